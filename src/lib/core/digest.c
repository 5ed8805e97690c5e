/*
 * SHA-256 through OpenSSL's libcrypto, which uses the SHA extensions or
 * AVX2 code paths of the CPU. The EVP_MD is fetched once per process (a
 * fetch per hash costs a lock and a lookup); contexts are reused.
 */
#include <openssl/evp.h>
#include <pthread.h>

#include "core.h"

struct aims__sha256 {
	EVP_MD_CTX *ctx;
};

static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *md(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	return sha256_md;
}

int aims__sha256_new(aims__sha256 **out)
{
	*out = NULL;
	if (!md())
		return aims__err(AIMS_ERROR, "libcrypto has no SHA-256");
	aims__sha256 *h = aims__calloc(1, sizeof(*h));
	if (!h)
		return aims__oom();
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex2(h->ctx, md(), NULL)) {
		EVP_MD_CTX_free(h->ctx);
		aims__free(h);
		return aims__err(AIMS_ERROR, "cannot start SHA-256");
	}
	*out = h;
	return 0;
}

int aims__sha256_update(aims__sha256 *h, const void *data, size_t len)
{
	if (!EVP_DigestUpdate(h->ctx, data, len))
		return aims__err(AIMS_ERROR, "SHA-256 update failed");
	return 0;
}

int aims__sha256_final(aims__sha256 *h, unsigned char out[32])
{
	unsigned int n = 0;
	if (!EVP_DigestFinal_ex(h->ctx, out, &n) || n != 32 ||
	    !EVP_DigestInit_ex2(h->ctx, NULL, NULL))
		return aims__err(AIMS_ERROR, "SHA-256 final failed");
	return 0;
}

int aims__sha256_peek(const aims__sha256 *h, unsigned char out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok = c && EVP_MD_CTX_copy_ex(c, h->ctx) && EVP_DigestFinal_ex(c, out, &n) && n == 32;
	EVP_MD_CTX_free(c);
	return ok ? 0 : aims__err(AIMS_ERROR, "SHA-256 final failed");
}

void aims__sha256_free(aims__sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	aims__free(h);
}

int aims__sha256_oneshot(unsigned char out[32], const void *data, size_t len)
{
	unsigned int n = 0;
	if (!md())
		return aims__err(AIMS_ERROR, "libcrypto has no SHA-256");
	if (!EVP_Digest(data, len, out, &n, md(), NULL) || n != 32)
		return aims__err(AIMS_ERROR, "SHA-256 failed");
	return 0;
}

void aims__hex(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}
