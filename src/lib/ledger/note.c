/*
 * C2SP signed notes (c2sp.org/signed-note), checkpoints
 * (c2sp.org/tlog-checkpoint) and proofs (c2sp.org/tlog-proof) with Ed25519
 * keys from libsodium. Parsing follows Go's golang.org/x/mod/sumdb/note
 * (note.Open), the reference implementation, clause by clause, and is
 * strict: anything that is not exactly the format is refused with
 * AIMS_EINVALID before any signature is looked at. Secret key material
 * lives only in fixed buffers that are wiped with sodium_memzero() and
 * never appears in an error message.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aims/merkle.h"
#include "aims/note.h"
#include "core/core.h"
#include "ledger_internal.h"

#define ALG_ED25519 0x01
#define ALG_COSIG_V1 0x04           /* c2sp.org/tlog-cosignature, Ed25519 */
#define COSIG_HEADER "cosignature/v1\n"
#define SIG_PREFIX "\xe2\x80\x94 "   /* em dash U+2014, space */
#define SIG_PREFIX_LEN 4
#define PROOF_HEADER "c2sp.org/tlog-proof@v1"
#define PROOF_MAX_SIZE (2 * AIMS_NOTE_MAX_SIZE)
#define KEY_FILE_MAX 4096
#define NAME_SHOW 64   /* longest key name quoted in a message */

struct aims_note_signer {
	char *name;
	uint32_t id;
	unsigned char alg;  /* ALG_ED25519 (notes) or ALG_COSIG_V1 (cosignatures) */
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

/* ---- base64 (RFC 4648 section 4, with padding, canonical) ---- */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

/* out: b64_len(n) + 1 bytes */
static void b64_encode(char *out, const unsigned char *in, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode standard base64 with padding. Refuses a length that is not a
 * multiple of 4, characters outside the alphabet, misplaced padding and
 * non-zero bits in the last character before padding (RFC 4648 3.5), so
 * that every byte string has exactly one accepted encoding. out must hold
 * n / 4 * 3 bytes. Returns the decoded length, or -1.
 */
void aims__base64(char *out, const unsigned char *in, size_t n)
{
	b64_encode(out, in, n);
}

static long b64_decode(unsigned char *out, const char *in, size_t n)
{
	size_t o = 0;
	if (n % 4 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)in[i + (size_t)k];
			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -1;  /* data after padding */
			v[k] = b64_value(c);
			if (v[k] < 0)
				return -1;
		}
		if ((pad == 1 && (v[2] & 3)) || (pad == 2 && (v[1] & 15)))
			return -1;  /* non-canonical trailing bits */
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[o++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(w >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)w;
	}
	return (long)o;
}

/* ---- UTF-8 and names ---- */

/* decode one code point as Go's utf8.DecodeRune does; -1 when invalid */
static long utf8_next(const unsigned char *s, size_t n, size_t *size)
{
	unsigned char c = s[0];
	long cp;
	size_t need;
	if (c < 0x80) {
		*size = 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		cp = c & 0x07;
	} else {
		return -1;
	}
	if (n < need)
		return -1;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*size = need;
	return cp;
}

/*
 * c2sp.org/signed-note, Format: valid UTF-8 without ASCII control
 * characters other than newline. Returns the offset of the first bad byte,
 * or n when all is well.
 */
static size_t text_check(const char *s, size_t n, int allow_newline)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t size = 1;
		long cp = utf8_next(u + i, n - i, &size);
		if (cp < 0 || (cp < 0x20 && !(cp == '\n' && allow_newline)))
			return i;
		i += size;
	}
	return n;
}

/* Go's unicode.IsSpace: Latin-1 spaces and the White_Space property */
static int is_unicode_space(long cp)
{
	switch (cp) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202f: case 0x205f: case 0x3000:
		return 1;
	default:
		return cp >= 0x2000 && cp <= 0x200a;
	}
}

/* c2sp.org/signed-note: key names are non-empty, UTF-8, no spaces, no '+' */
static int name_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	if (n == 0)
		return 0;
	while (i < n) {
		size_t size = 1;
		long cp = utf8_next(u + i, n - i, &size);
		if (cp < 0x20 || cp == '+' || is_unicode_space(cp))
			return 0;
		i += size;
	}
	return 1;
}

static int parse_hex32(uint32_t *out, const char *s, size_t n)
{
	uint32_t v = 0;
	if (n != 8)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* ASCII decimal without leading zeros (unless "0") that fits in 64 bits */
static int parse_u64(uint64_t *out, const char *s, size_t n)
{
	uint64_t v = 0;
	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* precision for quoting a key name of n bytes that is not NUL-terminated */
static int show(size_t n)
{
	return n > NAME_SHOW ? NAME_SHOW : (int)n;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int name_id_alg(uint32_t *id, const char *name, size_t name_len,
		       const unsigned char pk[crypto_sign_PUBLICKEYBYTES], unsigned char alg)
{
	/* c2sp.org/signed-note, Ed25519 signatures: key ID =
	 * SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4];
	 * c2sp.org/tlog-cosignature, Ed25519 cosignatures: the same with 0x04 */
	const unsigned char sep[2] = { '\n', alg };
	unsigned char sum[32];
	aims__sha256 *h = NULL;
	int err;
	if ((err = aims__sha256_new(&h)) < 0)
		return err;
	if ((err = aims__sha256_update(h, name, name_len)) < 0 ||
	    (err = aims__sha256_update(h, sep, sizeof(sep))) < 0 ||
	    (err = aims__sha256_update(h, pk, crypto_sign_PUBLICKEYBYTES)) < 0 ||
	    (err = aims__sha256_final(h, sum)) < 0)
		goto done;
	*id = be32(sum);
done:
	aims__sha256_free(h);
	return err;
}

static int name_id(uint32_t *id, const char *name, size_t name_len,
		   const unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	return name_id_alg(id, name, name_len, pk, ALG_ED25519);
}

int aims_note_key_id(uint32_t *id, const char *name, const unsigned char pubkey[32])
{
	int err;
	if (!id || !name || !pubkey)
		return aims__err(AIMS_EUSAGE, "aims_note_key_id: NULL argument");
	if ((err = aims_global_init()) < 0)
		return err;
	return name_id(id, name, strlen(name), pubkey);
}

void aims_note_secret_free(char *secret)
{
	if (!secret)
		return;
	sodium_memzero(secret, strlen(secret));
	aims__free(secret);
}

/* ---- verifier keys ---- */

typedef struct {
	const char *name;   /* borrowed from the key string */
	size_t name_len;
	uint32_t id;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char alg;  /* ALG_ED25519, or ALG_COSIG_V1 for a witness (cosigner) key */
	int used;           /* a signature by this key was seen */
} vkey_parsed;

/* "name+hexid+base64(0x01||pubkey)", as Go's note.NewVerifier */
static int vkey_parse(vkey_parsed *v, const char *vkey)
{
	unsigned char raw[48];
	const char *p1 = strchr(vkey, '+');
	const char *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	uint32_t want = 0;
	int err;

	memset(v, 0, sizeof(*v));
	/* a signer key given by mistake must not end up in a message */
	if (strncmp(vkey, "PRIVATE+KEY+", 12) == 0)
		return aims__err(AIMS_EINVALID, "a signer (private) key was given where a verifier "
				 "key is expected; keep it secret");
	if (!p2 || !name_valid(vkey, (size_t)(p1 - vkey)))
		return aims__err(AIMS_EINVALID, "malformed verifier key: not name+keyid+key with a "
				 "valid key name");
	v->name = vkey;
	v->name_len = (size_t)(p1 - vkey);
	const char *b64 = p2 + 1;
	size_t b64n = strlen(b64);
	int nl = show(v->name_len);
	if (parse_hex32(&v->id, p1 + 1, (size_t)(p2 - p1 - 1)) < 0)
		return aims__err(AIMS_EINVALID, "verifier key '%.*s+...': key ID is not 8 hex digits",
				 nl, vkey);
	if (b64n != b64_len(1 + crypto_sign_PUBLICKEYBYTES) ||
	    b64_decode(raw, b64, b64n) != 1 + crypto_sign_PUBLICKEYBYTES)
		return aims__err(AIMS_EINVALID, "verifier key '%.*s+...': key is not base64 of 33 bytes",
				 nl, vkey);
	if (raw[0] != ALG_ED25519 && raw[0] != ALG_COSIG_V1)
		return aims__err(AIMS_EINVALID, "verifier key '%.*s+...': unknown algorithm %u",
				 nl, vkey, raw[0]);
	v->alg = raw[0];
	memcpy(v->pk, raw + 1, crypto_sign_PUBLICKEYBYTES);
	if ((err = name_id_alg(&want, v->name, v->name_len, v->pk, v->alg)) < 0)
		return err;
	if (want != v->id)
		return aims__err(AIMS_EINVALID, "verifier key '%.*s+...': key ID does not match the key",
				 nl, vkey);
	return 0;
}

int aims_note_verifier_check(const char *vkey)
{
	vkey_parsed v;
	int err;
	if (!vkey)
		return aims__err(AIMS_EUSAGE, "aims_note_verifier_check: NULL key");
	if ((err = aims_global_init()) < 0)
		return err;
	return vkey_parse(&v, vkey);
}

/* ---- signer keys ---- */

static void signer_wipe_free(aims_note_signer *s)
{
	if (!s)
		return;
	aims__free(s->name);
	sodium_memzero(s, sizeof(*s));
	aims__free(s);
}

void aims_note_signer_free(aims_note_signer *s)
{
	signer_wipe_free(s);
}

/* "PRIVATE+KEY+name+hexid+base64(0x01||seed)", as Go's note.NewSigner;
 * messages say what is wrong but never quote the key */
static int signer_parse_n(aims_note_signer **out, const char *skey, size_t n)
{
	static const char prefix[] = "PRIVATE+KEY+";
	const size_t plen = sizeof(prefix) - 1;
	unsigned char raw[48];
	aims_note_signer *s = NULL;
	uint32_t want = 0;
	int err = 0;

	*out = NULL;
	if (n > 0 && skey[n - 1] == '\n')
		n--;
	if (n < plen || memcmp(skey, prefix, plen) != 0)
		return aims__err(AIMS_EINVALID, "malformed signer key: it does not start with PRIVATE+KEY+");
	const char *name = skey + plen;
	const char *end = skey + n;
	const char *p1 = memchr(name, '+', (size_t)(end - name));
	const char *p2 = p1 ? memchr(p1 + 1, '+', (size_t)(end - p1 - 1)) : NULL;
	if (!p2)
		return aims__err(AIMS_EINVALID, "malformed signer key: not PRIVATE+KEY+name+keyid+key");
	if (!name_valid(name, (size_t)(p1 - name)))
		return aims__err(AIMS_EINVALID, "malformed signer key: bad key name");
	if (!(s = aims__calloc(1, sizeof(*s))))
		return aims__oom();
	if (parse_hex32(&s->id, p1 + 1, (size_t)(p2 - p1 - 1)) < 0) {
		err = aims__err(AIMS_EINVALID, "malformed signer key: key ID is not 8 hex digits");
		goto done;
	}
	size_t b64n = (size_t)(end - p2 - 1);
	if (b64n != b64_len(1 + crypto_sign_SEEDBYTES) ||
	    b64_decode(raw, p2 + 1, b64n) != 1 + crypto_sign_SEEDBYTES) {
		err = aims__err(AIMS_EINVALID, "malformed signer key: key is not base64 of 33 bytes");
		goto done;
	}
	if (raw[0] != ALG_ED25519 && raw[0] != ALG_COSIG_V1) {
		err = aims__err(AIMS_EINVALID, "malformed signer key: unknown algorithm");
		goto done;
	}
	s->alg = raw[0];
	if (crypto_sign_seed_keypair(s->pk, s->sk, raw + 1) != 0) {
		err = aims__err(AIMS_ERROR, "cannot derive the Ed25519 key");
		goto done;
	}
	if (!(s->name = aims__strndup(name, (size_t)(p1 - name)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = name_id_alg(&want, s->name, strlen(s->name), s->pk, s->alg)) < 0)
		goto done;
	if (want != s->id) {
		err = aims__err(AIMS_EINVALID, "malformed signer key: key ID does not match the key");
		goto done;
	}
	*out = s;
	s = NULL;
done:
	sodium_memzero(raw, sizeof(raw));
	signer_wipe_free(s);
	return err;
}

int aims_note_signer_parse(aims_note_signer **out, const char *skey)
{
	int err;
	if (!out || !skey)
		return aims__err(AIMS_EUSAGE, "aims_note_signer_parse: NULL argument");
	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	return signer_parse_n(out, skey, strlen(skey));
}

const char *aims_note_signer_name(const aims_note_signer *s)
{
	return s->name;
}

uint32_t aims_note_signer_id(const aims_note_signer *s)
{
	return s->id;
}

static char *make_vkey(const char *name, uint32_t id, const unsigned char pk[32], unsigned char alg)
{
	unsigned char raw[1 + crypto_sign_PUBLICKEYBYTES];
	char b64[64];
	size_t n = strlen(name) + 1 + 8 + 1 + b64_len(sizeof(raw)) + 1;
	char *out = aims__malloc(n);
	if (!out)
		return NULL;
	raw[0] = alg;
	memcpy(raw + 1, pk, crypto_sign_PUBLICKEYBYTES);
	b64_encode(b64, raw, sizeof(raw));
	snprintf(out, n, "%s+%08" PRIx32 "+%s", name, id, b64);
	return out;
}

int aims_note_signer_verifier(char **vkey, const aims_note_signer *s)
{
	if (!vkey || !s)
		return aims__err(AIMS_EUSAGE, "aims_note_signer_verifier: NULL argument");
	if (!(*vkey = make_vkey(s->name, s->id, s->pk, s->alg)))
		return aims__oom();
	return 0;
}

static int keygen_alg(char **signer, char **verifier, const char *name, unsigned char alg)
{
	unsigned char seed[1 + crypto_sign_SEEDBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char b64[64];
	char *skey = NULL, *vkey = NULL;
	uint32_t id = 0;
	int err;

	if (!signer || !verifier || !name)
		return aims__err(AIMS_EUSAGE, "aims_note_keygen: NULL argument");
	*signer = *verifier = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	if (!name_valid(name, strlen(name)))
		return aims__err(AIMS_EINVALID, "key name '%.*s' is not valid: it must be non-empty "
				 "UTF-8 without spaces, '+' or control characters", 120, name);
	seed[0] = alg;
	randombytes_buf(seed + 1, crypto_sign_SEEDBYTES);
	if (crypto_sign_seed_keypair(pk, sk, seed + 1) != 0) {
		err = aims__err(AIMS_ERROR, "cannot make an Ed25519 key");
		goto done;
	}
	if ((err = name_id_alg(&id, name, strlen(name), pk, alg)) < 0)
		goto done;
	/* one exact allocation: a growing buffer would leave copies of the secret */
	size_t n = 12 + strlen(name) + 1 + 8 + 1 + b64_len(sizeof(seed)) + 1;
	if (!(vkey = make_vkey(name, id, pk, alg)) || !(skey = aims__malloc(n))) {
		err = aims__oom();
		goto done;
	}
	b64_encode(b64, seed, sizeof(seed));
	snprintf(skey, n, "PRIVATE+KEY+%s+%08" PRIx32 "+%s", name, id, b64);
	*signer = skey;
	*verifier = vkey;
	skey = vkey = NULL;
done:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(b64, sizeof(b64));
	aims_note_secret_free(skey);
	aims__free(vkey);
	return err;
}

int aims_note_keygen(char **signer, char **verifier, const char *name)
{
	return keygen_alg(signer, verifier, name, ALG_ED25519);
}

int aims_note_cosigner_keygen(char **signer, char **verifier, const char *name)
{
	return keygen_alg(signer, verifier, name, ALG_COSIG_V1);
}

int aims_note_signer_is_cosigner(const aims_note_signer *s)
{
	return s->alg == ALG_COSIG_V1;
}

/* ---- key files ---- */

int aims_note_signer_load(aims_note_signer **out, const char *path)
{
	char buf[KEY_FILE_MAX + 1];
	struct stat st;
	size_t len = 0;
	int err = 0;
	int fd;

	if (!out || !path)
		return aims__err(AIMS_EUSAGE, "aims_note_signer_load: NULL argument");
	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	/* O_NOFOLLOW: a key is read from the file named, never through a link;
	 * O_NONBLOCK: a FIFO planted at the path cannot make us hang */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			return aims__err(AIMS_EINVALID, "key file '%s' is a symbolic link: refusing "
					 "to read a key through it", path);
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR,
				 "cannot open key file '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		err = aims__err(AIMS_ERROR, "cannot stat key file '%s': %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		err = aims__err(AIMS_EINVALID, "key file '%s' is not a regular file", path);
		goto done;
	}
	if (st.st_mode & 077) {
		err = aims__err(AIMS_EINVALID, "key file '%s' is accessible by group or others "
				"(mode %04o): it must be 0600 (chmod 600 '%s')",
				path, (unsigned)(st.st_mode & 07777), path);
		goto done;
	}
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = aims__err(AIMS_ERROR, "cannot read key file '%s': %s", path, strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > KEY_FILE_MAX) {
			err = aims__err(AIMS_EINVALID, "key file '%s' is too large to be a key", path);
			goto done;
		}
	}
	if (memchr(buf, '\0', len)) {
		err = aims__err(AIMS_EINVALID, "key file '%s': malformed signer key", path);
		goto done;
	}
	if ((err = signer_parse_n(out, buf, len)) < 0)
		aims__err_prefix("key file '%s'", path);
done:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return err;
}

int aims_note_key_write(const char *path, const char *skey)
{
	aims_note_signer *s = NULL;
	size_t len, off = 0;
	int err, fd;

	if (!path || !skey)
		return aims__err(AIMS_EUSAGE, "aims_note_key_write: NULL argument");
	if ((err = aims_note_signer_parse(&s, skey)) < 0)
		return err;
	aims_note_signer_free(s);
	len = strlen(skey);
	/* O_EXCL with O_CREAT: never overwrite, never follow a planted link */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return aims__err(AIMS_ECONFLICT, "'%s' already exists: refusing to overwrite "
					 "a key file", path);
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR,
				 "cannot create key file '%s': %s", path, strerror(errno));
	}
	/* exactly 0600 whatever the umask */
	if (fchmod(fd, 0600) != 0) {
		err = aims__err(AIMS_ERROR, "cannot set the mode of '%s': %s", path, strerror(errno));
		goto fail;
	}
	while (off < len + 1) {
		ssize_t w = off < len ? write(fd, skey + off, len - off) : write(fd, "\n", 1);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = aims__err(AIMS_ERROR, "cannot write key file '%s': %s", path, strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		err = aims__err(AIMS_ERROR, "cannot sync key file '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		err = aims__err(AIMS_ERROR, "cannot write key file '%s': %s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(path);
	return err;
}

/* ---- signed notes ---- */

typedef struct {
	const char *name;    /* inside the message */
	size_t name_len;
	const char *line;    /* "name b64", for dropping repeated unknown lines */
	size_t line_len;
	uint32_t id;
	const unsigned char *sig;  /* inside parsed_note.raw */
	size_t sig_len;
	int verified;
	int skip;            /* a repeat of an earlier signature */
	int cosignature;     /* verified as a c2sp.org/tlog-cosignature (v1, Ed25519) */
	uint64_t timestamp;  /* of a cosignature: when the witness made it */
} parsed_sig;

typedef struct {
	size_t text_len;
	size_t nsigs;
	parsed_sig sigs[AIMS_NOTE_MAX_SIGS];
	unsigned char *raw;  /* decoded signatures */
} parsed_note;

static size_t line_number(const char *msg, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += msg[i] == '\n';
	return line;
}

/* c2sp.org/signed-note, Format; the checks and their order are Go's note.Open */
static int note_parse(parsed_note *p, const char *msg, size_t len)
{
	size_t bad, split = 0, off;
	int found = 0;

	memset(p, 0, sizeof(*p));
	if (len > AIMS_NOTE_MAX_SIZE)
		return aims__err(AIMS_EINVALID, "malformed note: larger than %zu bytes",
				 AIMS_NOTE_MAX_SIZE);
	if ((bad = text_check(msg, len, 1)) < len)
		return aims__err(AIMS_EINVALID, "malformed note: line %zu: not UTF-8 or a control "
				 "character other than newline", line_number(msg, bad));
	/* the text is separated from the signatures by the last empty line */
	for (size_t i = len; i >= 2; i--)
		if (msg[i - 2] == '\n' && msg[i - 1] == '\n') {
			split = i - 2;
			found = 1;
			break;
		}
	if (!found)
		return aims__err(AIMS_EINVALID, "malformed note: no empty line before the signatures");
	p->text_len = split + 1;
	off = split + 2;
	if (off >= len)
		return aims__err(AIMS_EINVALID, "malformed note: no signature lines");
	if (msg[len - 1] != '\n')
		return aims__err(AIMS_EINVALID, "malformed note: the last line does not end in a newline");
	if (!(p->raw = aims__malloc((len - off) / 4 * 3 + 1)))
		return aims__oom();
	size_t rawlen = 0;
	size_t lineno = line_number(msg, off) - 1;
	while (off < len) {
		const char *line = msg + off;
		const char *nl = memchr(line, '\n', len - off);  /* found: msg ends in '\n' */
		size_t n = (size_t)(nl - line);
		lineno++;
		off += n + 1;
		if (n < SIG_PREFIX_LEN || memcmp(line, SIG_PREFIX, SIG_PREFIX_LEN) != 0)
			return aims__err(AIMS_EINVALID, "malformed note: line %zu: a signature line must "
					 "start with an em dash (U+2014) and a space", lineno);
		line += SIG_PREFIX_LEN;
		n -= SIG_PREFIX_LEN;
		const char *sp = memchr(line, ' ', n);
		size_t name_len = sp ? (size_t)(sp - line) : n;
		const char *b64 = sp ? sp + 1 : line + n;
		size_t b64n = sp ? n - name_len - 1 : 0;
		if (!name_valid(line, name_len))
			return aims__err(AIMS_EINVALID, "malformed note: line %zu: bad key name", lineno);
		long dec = b64n ? b64_decode(p->raw + rawlen, b64, b64n) : -1;
		if (dec < 0)
			return aims__err(AIMS_EINVALID, "malformed note: line %zu: signature is not "
					 "base64", lineno);
		if (dec < 5)
			return aims__err(AIMS_EINVALID, "malformed note: line %zu: signature too short",
					 lineno);
		if (p->nsigs == AIMS_NOTE_MAX_SIGS)
			return aims__err(AIMS_EINVALID, "malformed note: more than %d signatures",
					 AIMS_NOTE_MAX_SIGS);
		parsed_sig *s = &p->sigs[p->nsigs++];
		s->name = line;
		s->name_len = name_len;
		s->line = line;
		s->line_len = n;
		s->id = be32(p->raw + rawlen);
		s->sig = p->raw + rawlen + 4;
		s->sig_len = (size_t)dec - 4;
		rawlen += (size_t)dec;
	}
	return 0;
}

static int note_check(const char *msg, size_t len)
{
	parsed_note *p = aims__malloc(sizeof(*p));
	int err;
	if (!p)
		return aims__oom();
	err = note_parse(p, msg, len);
	aims__free(p->raw);
	aims__free(p);
	return err;
}

int aims_note_check_syntax(const char *msg, size_t len)
{
	if (!msg)
		return aims__err(AIMS_EUSAGE, "aims_note_check_syntax: NULL note");
	return note_check(msg, len);
}

int aims_note_sign(char **note, size_t *len, const char *text, size_t text_len,
		   const aims_note_signer *signer)
{
	unsigned char sig[4 + crypto_sign_BYTES];
	char b64[128];
	aims_buf b = AIMS_BUF_INIT;
	size_t bad;
	int err;

	if (!note || !text || !signer)
		return aims__err(AIMS_EUSAGE, "aims_note_sign: NULL argument");
	*note = NULL;
	if (len)
		*len = 0;
	if ((err = aims_global_init()) < 0)
		return err;
	if (signer->alg != ALG_ED25519)
		return aims__err(AIMS_EINVALID, "key '%s' is a cosigner (witness) key: it makes cosignatures "
				 "of checkpoints, not note signatures", signer->name);
	/* c2sp.org/signed-note, Format: text ends in newline, UTF-8, no controls */
	if (text_len == 0 || text[text_len - 1] != '\n')
		return aims__err(AIMS_EINVALID, "cannot sign: the text must end in a newline");
	if ((bad = text_check(text, text_len, 1)) < text_len)
		return aims__err(AIMS_EINVALID, "cannot sign: line %zu of the text is not UTF-8 or "
				 "has a control character other than newline", line_number(text, bad));
	b.max = AIMS_NOTE_MAX_SIZE;
	sig[0] = (unsigned char)(signer->id >> 24);
	sig[1] = (unsigned char)(signer->id >> 16);
	sig[2] = (unsigned char)(signer->id >> 8);
	sig[3] = (unsigned char)signer->id;
	if (crypto_sign_detached(sig + 4, NULL, (const unsigned char *)text, text_len, signer->sk) != 0)
		return aims__err(AIMS_ERROR, "Ed25519 signing failed");
	b64_encode(b64, sig, sizeof(sig));
	if ((err = aims_buf_put(&b, text, text_len)) < 0 ||
	    (err = aims_buf_printf(&b, "\n" SIG_PREFIX "%s %s\n", signer->name, b64)) < 0) {
		if (err == AIMS_EINVALID)
			(void)aims__err(AIMS_EINVALID, "cannot sign: the note would be larger than "
					"%zu bytes", AIMS_NOTE_MAX_SIZE);
		goto done;
	}
	if (len)
		*len = b.len;
	if (!(*note = aims_buf_detach(&b, NULL)))
		err = aims__oom();
done:
	aims_buf_release(&b);
	return err;
}

/*
 * c2sp.org/tlog-cosignature, Ed25519: the signature bytes are a big-endian
 * 64-bit timestamp and an Ed25519 signature over "cosignature/v1\n",
 * "time <timestamp>\n" and the note text (the checkpoint body with its
 * final newline).
 */
static int cosig_message(aims_buf *m, uint64_t timestamp, const char *text, size_t text_len)
{
	int err;
	if ((err = aims_buf_puts(m, COSIG_HEADER)) < 0 ||
	    (err = aims_buf_printf(m, "time %" PRIu64 "\n", timestamp)) < 0 ||
	    (err = aims_buf_put(m, text, text_len)) < 0)
		return err;
	return 0;
}

static int cosig_verify(parsed_sig *s, const char *text, size_t text_len,
			const unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	aims_buf m = AIMS_BUF_INIT;
	uint64_t ts = 0;
	int err;
	if (s->sig_len != 8 + crypto_sign_BYTES)
		return aims__err(AIMS_ETAMPERED, "invalid cosignature for key '%.*s+%08" PRIx32 "': %zu bytes, "
				 "not a timestamp and an Ed25519 signature", show(s->name_len), s->name, s->id,
				 s->sig_len);
	for (int i = 0; i < 8; i++)
		ts = ts << 8 | s->sig[i];
	if (ts > (uint64_t)INT64_MAX)
		return aims__err(AIMS_ETAMPERED, "invalid cosignature for key '%.*s+%08" PRIx32 "': its "
				 "timestamp exceeds 2^63 - 1", show(s->name_len), s->name, s->id);
	m.max = AIMS_NOTE_MAX_SIZE + 64;
	if ((err = cosig_message(&m, ts, text, text_len)) < 0) {
		aims_buf_release(&m);
		return err;
	}
	int bad = crypto_sign_verify_detached(s->sig + 8, (const unsigned char *)m.ptr, m.len, pk) != 0;
	aims_buf_release(&m);
	if (bad)
		return aims__err(AIMS_ETAMPERED, "invalid cosignature for key '%.*s+%08" PRIx32 "': the "
				 "checkpoint was changed or not cosigned by this witness", show(s->name_len),
				 s->name, s->id);
	s->cosignature = 1;
	s->timestamp = ts;
	return 0;
}

int aims_note_cosign(char **line, size_t *len, const char *note, size_t note_len,
		     const aims_note_signer *cosigner, uint64_t timestamp)
{
	unsigned char sig[4 + 8 + crypto_sign_BYTES];
	char b64[160];
	aims_buf m = AIMS_BUF_INIT, b = AIMS_BUF_INIT;
	parsed_note *p = NULL;
	int err;

	if (!line || !note || !cosigner)
		return aims__err(AIMS_EUSAGE, "aims_note_cosign: NULL argument");
	*line = NULL;
	if (len)
		*len = 0;
	if ((err = aims_global_init()) < 0)
		return err;
	if (cosigner->alg != ALG_COSIG_V1)
		return aims__err(AIMS_EINVALID, "key '%s' is not a cosigner (witness) key (make one with "
				 "'aims ledger keygen --cosigner')", cosigner->name);
	if (timestamp > (uint64_t)INT64_MAX)
		return aims__err(AIMS_EINVALID, "a cosignature timestamp must not exceed 2^63 - 1");
	if (!(p = aims__calloc(1, sizeof(*p))))
		return aims__oom();
	/* what is cosigned is the text of a well-formed signed checkpoint */
	aims_checkpoint *cp = NULL;
	if ((err = note_parse(p, note, note_len)) < 0 ||
	    (err = aims_checkpoint_parse(&cp, note, p->text_len)) < 0)
		goto done;
	aims_checkpoint_free(cp);
	m.max = AIMS_NOTE_MAX_SIZE + 64;
	if ((err = cosig_message(&m, timestamp, note, p->text_len)) < 0)
		goto done;
	sig[0] = (unsigned char)(cosigner->id >> 24);
	sig[1] = (unsigned char)(cosigner->id >> 16);
	sig[2] = (unsigned char)(cosigner->id >> 8);
	sig[3] = (unsigned char)cosigner->id;
	for (int i = 0; i < 8; i++)
		sig[4 + i] = (unsigned char)(timestamp >> (56 - 8 * i));
	if (crypto_sign_detached(sig + 12, NULL, (const unsigned char *)m.ptr, m.len, cosigner->sk) != 0) {
		err = aims__err(AIMS_ERROR, "Ed25519 signing failed");
		goto done;
	}
	b64_encode(b64, sig, sizeof(sig));
	if ((err = aims_buf_printf(&b, SIG_PREFIX "%s %s\n", cosigner->name, b64)) < 0)
		goto done;
	if (len)
		*len = b.len;
	if (!(*line = aims_buf_detach(&b, NULL)))
		err = aims__oom();
done:
	if (p)
		aims__free(p->raw);
	aims__free(p);
	aims_buf_release(&m);
	aims_buf_release(&b);
	return err;
}

int aims_note_add_signatures(char **out, size_t *out_len, const char *note, size_t note_len,
			     const char *lines, size_t lines_len, const char *const *keys, size_t nkeys,
			     size_t *added)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_note *n = NULL;
	int err;

	if (!out || !note || !lines || (nkeys && !keys))
		return aims__err(AIMS_EUSAGE, "aims_note_add_signatures: NULL argument");
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (added)
		*added = 0;
	if (nkeys == 0)
		return aims__err(AIMS_EUSAGE, "no key to check the new signatures with");
	if ((err = aims_note_check_syntax(note, note_len)) < 0)
		return err;
	/* the response of a witness (c2sp.org/tlog-witness, add-checkpoint) is
	 * signature lines: appended to the note, they must verify with the keys */
	if (lines_len == 0 || lines[lines_len - 1] != '\n')
		return aims__err(AIMS_EINVALID, "the signatures must be lines, each ending in a newline");
	for (size_t i = 0; i < lines_len;) {
		const char *nl = memchr(lines + i, '\n', lines_len - i);
		if (nl == lines + i || (size_t)(nl - lines - i) < SIG_PREFIX_LEN ||
		    memcmp(lines + i, SIG_PREFIX, SIG_PREFIX_LEN) != 0)
			return aims__err(AIMS_EINVALID, "signature line %zu does not start with an em dash "
					 "(U+2014) and a space", line_number(lines, i));
		i = (size_t)(nl - lines) + 1;
	}
	b.max = AIMS_NOTE_MAX_SIZE;
	if ((err = aims_buf_put(&b, note, note_len)) < 0 || (err = aims_buf_put(&b, lines, lines_len)) < 0) {
		if (err == AIMS_EINVALID)
			(void)aims__err(AIMS_EINVALID, "the note with the signatures would be larger than "
					"%zu bytes", AIMS_NOTE_MAX_SIZE);
		goto done;
	}
	/* every key given must have signed, validly, in the lines added: the text with
	 * only those lines must verify with it, and the note must not have it yet */
	aims_buf only = AIMS_BUF_INIT;
	const char *split = NULL;
	for (size_t i = note_len; i >= 2 && !split; i--)
		if (note[i - 2] == '\n' && note[i - 1] == '\n')
			split = note + i - 1;
	only.max = AIMS_NOTE_MAX_SIZE;
	if (!split || (err = aims_buf_put(&only, note, (size_t)(split - note) + 1)) < 0 ||
	    (err = aims_buf_put(&only, lines, lines_len)) < 0) {
		aims_buf_release(&only);
		if (err == 0)
			err = aims__err(AIMS_EINVALID, "malformed note");
		goto done;
	}
	for (size_t k = 0; k < nkeys; k++) {
		aims_note *before = NULL;
		if ((err = aims_note_open(&n, only.ptr, only.len, keys + k, 1)) < 0) {
			aims_buf_release(&only);
			goto done;
		}
		aims_note_free(n);
		n = NULL;
		if (aims_note_open(&before, note, note_len, keys + k, 1) == 0) {
			aims_note_free(before);
			aims_buf_release(&only);
			err = aims__err(AIMS_ECONFLICT, "the note already carries a signature by '%.*s'",
					(int)(strchr(keys[k], '+') ? strchr(keys[k], '+') - keys[k] : 0), keys[k]);
			goto done;
		}
		aims_error_clear();
	}
	aims_buf_release(&only);
	/* and the whole note: an invalid signature by the key already there would hide the new one */
	for (size_t k = 0; k < nkeys; k++) {
		if ((err = aims_note_open(&n, b.ptr, b.len, keys + k, 1)) < 0)
			goto done;
		aims_note_free(n);
		n = NULL;
	}
	if (added)
		*added = nkeys;
	if (out_len)
		*out_len = b.len;
	if (!(*out = aims_buf_detach(&b, NULL)))
		err = aims__oom();
done:
	aims_note_free(n);
	aims_buf_release(&b);
	return err;
}

/* the internal object behind an aims_note */
typedef struct {
	aims_note pub;
	char *text;
	aims_note_sig *sigs;
	char *names;
} note_obj;

void aims_note_free(aims_note *n)
{
	note_obj *o = (note_obj *)n;
	if (!o)
		return;
	aims__free(o->text);
	aims__free(o->sigs);
	aims__free(o->names);
	aims__free(o);
}

static int build_note(aims_note **out, const char *msg, const parsed_note *p, size_t nverified)
{
	note_obj *o = aims__calloc(1, sizeof(*o));
	size_t names_len = 0, k = 0, pos = 0;
	if (!o)
		return aims__oom();
	for (size_t i = 0; i < p->nsigs; i++)
		if (!p->sigs[i].skip)
			names_len += p->sigs[i].name_len + 1;
	if (!(o->text = aims__strndup(msg, p->text_len)) ||
	    !(o->sigs = aims__calloc(p->nsigs ? p->nsigs : 1, sizeof(*o->sigs))) ||
	    !(o->names = aims__malloc(names_len ? names_len : 1))) {
		aims_note_free(&o->pub);
		return aims__oom();
	}
	/* verified signatures first, then those by unknown keys, as Go's Note */
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < p->nsigs; i++) {
			const parsed_sig *s = &p->sigs[i];
			if (s->skip || s->verified != pass)
				continue;
			memcpy(o->names + pos, s->name, s->name_len);
			o->names[pos + s->name_len] = '\0';
			o->sigs[k].name = o->names + pos;
			o->sigs[k].key_id = s->id;
			o->sigs[k].verified = s->verified;
			o->sigs[k].cosignature = s->cosignature;
			o->sigs[k].timestamp = s->timestamp;
			pos += s->name_len + 1;
			k++;
		}
	o->pub.text = o->text;
	o->pub.text_len = p->text_len;
	o->pub.sigs = o->sigs;
	o->pub.nsigs = k;
	o->pub.nverified = nverified;
	*out = &o->pub;
	return 0;
}

int aims_note_open(aims_note **out, const char *msg, size_t len,
		   const char *const *vkeys, size_t nvkeys)
{
	parsed_note *p = NULL;
	vkey_parsed *keys = NULL;
	size_t nverified = 0;
	int err;

	if (!out || !msg || (nvkeys && !vkeys))
		return aims__err(AIMS_EUSAGE, "aims_note_open: NULL argument");
	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	if (!(p = aims__calloc(1, sizeof(*p))) ||
	    !(keys = aims__calloc(nvkeys ? nvkeys : 1, sizeof(*keys)))) {
		err = aims__oom();
		goto done;
	}
	for (size_t k = 0; k < nvkeys; k++) {
		if (!vkeys[k]) {
			err = aims__err(AIMS_EUSAGE, "aims_note_open: verifier key %zu is NULL", k);
			goto done;
		}
		if ((err = vkey_parse(&keys[k], vkeys[k])) < 0)
			goto done;
		/* two different keys with one name and ID: the list cannot be trusted
		 * (Go's "ambiguous key"); the same key given twice is harmless */
		for (size_t j = 0; j < k; j++)
			if (keys[j].id == keys[k].id && keys[j].name_len == keys[k].name_len &&
			    memcmp(keys[j].name, keys[k].name, keys[k].name_len) == 0 &&
			    memcmp(keys[j].pk, keys[k].pk, sizeof(keys[k].pk)) != 0) {
				err = aims__err(AIMS_EINVALID, "ambiguous verifier keys: two keys named "
						"'%.*s' with key ID %08" PRIx32,
						show(keys[k].name_len), keys[k].name, keys[k].id);
				goto done;
			}
	}
	if ((err = note_parse(p, msg, len)) < 0)
		goto done;
	for (size_t i = 0; i < p->nsigs; i++) {
		parsed_sig *s = &p->sigs[i];
		vkey_parsed *v = NULL;
		for (size_t k = 0; k < nvkeys && !v; k++)
			if (keys[k].id == s->id && keys[k].name_len == s->name_len &&
			    memcmp(keys[k].name, s->name, s->name_len) == 0)
				v = &keys[k];
		if (!v) {
			/* c2sp.org/signed-note: ignore signatures from unknown keys;
			 * drop repeated identical lines (Go) */
			for (size_t j = 0; j < i && !s->skip; j++)
				if (!p->sigs[j].verified && p->sigs[j].line_len == s->line_len &&
				    memcmp(p->sigs[j].line, s->line, s->line_len) == 0)
					s->skip = 1;
			continue;
		}
		/* several signatures by one key: the first one counts (Go) */
		if (v->used) {
			s->skip = 1;
			continue;
		}
		v->used = 1;
		/* a known key's signature must verify, or the whole note is rejected */
		if (v->alg == ALG_COSIG_V1) {
			if ((err = cosig_verify(s, msg, p->text_len, v->pk)) < 0)
				goto done;
		} else if (s->sig_len != crypto_sign_BYTES ||
			   crypto_sign_verify_detached(s->sig, (const unsigned char *)msg, p->text_len,
						       v->pk) != 0) {
			err = aims__err(AIMS_ETAMPERED, "invalid signature for key '%.*s+%08" PRIx32
					"': the note was changed or not signed by this key",
					show(s->name_len), s->name, s->id);
			goto done;
		}
		s->verified = 1;
		nverified++;
	}
	if (nverified == 0) {
		char who[256] = "";
		size_t wl = 0;
		for (size_t i = 0; i < p->nsigs && wl < sizeof(who) - 1; i++) {
			if (p->sigs[i].skip)
				continue;
			int w = snprintf(who + wl, sizeof(who) - wl, "%s'%.*s+%08" PRIx32 "'",
					 wl ? ", " : "", show(p->sigs[i].name_len), p->sigs[i].name,
					 p->sigs[i].id);
			if (w < 0)
				break;
			wl += (size_t)w;
		}
		if (wl >= sizeof(who))  /* cut: end it cleanly */
			memcpy(who + sizeof(who) - 5, "...", 4);
		err = aims__err(AIMS_ETAMPERED, "note has no signature by a known key (signed by %s)",
				who);
		goto done;
	}
	err = build_note(out, msg, p, nverified);
done:
	if (p)
		aims__free(p->raw);
	aims__free(p);
	aims__free(keys);
	return err;
}

int aims_note_verify(char **text, size_t *text_len, const char *msg, size_t len,
		     const char *const *vkeys, size_t nvkeys)
{
	aims_note *n = NULL;
	int err;
	if (text)
		*text = NULL;
	if (text_len)
		*text_len = 0;
	if ((err = aims_note_open(&n, msg, len, vkeys, nvkeys)) < 0)
		return err;
	if (text) {
		/* hand over the text rather than copy it */
		note_obj *o = (note_obj *)n;
		*text = o->text;
		o->text = NULL;
	}
	if (text_len)
		*text_len = n->text_len;
	aims_note_free(n);
	return 0;
}

/* ---- checkpoints ---- */

typedef struct {
	aims_checkpoint pub;
	char *buf;
	const char **ext;
} checkpoint_obj;

void aims_checkpoint_free(aims_checkpoint *cp)
{
	checkpoint_obj *o = (checkpoint_obj *)cp;
	if (!o)
		return;
	aims__free(o->buf);
	aims__free(o->ext);
	aims__free(o);
}

static int line_ok(const char *s, size_t n)
{
	return n > 0 && text_check(s, n, 0) == n;
}

int aims_checkpoint_format(char **text, size_t *len, const char *origin, uint64_t size,
			   const unsigned char root[32], const char *const *extensions,
			   size_t nextensions)
{
	aims_buf b = AIMS_BUF_INIT;
	char b64[48];
	int err;

	if (!text || !origin || !root || (nextensions && !extensions))
		return aims__err(AIMS_EUSAGE, "aims_checkpoint_format: NULL argument");
	*text = NULL;
	if (len)
		*len = 0;
	/* c2sp.org/tlog-checkpoint, Note text: non-empty lines */
	if (!line_ok(origin, strlen(origin)))
		return aims__err(AIMS_EINVALID, "checkpoint origin must be non-empty text without "
				 "newlines or control characters");
	for (size_t i = 0; i < nextensions; i++)
		if (!extensions[i] || !line_ok(extensions[i], strlen(extensions[i])))
			return aims__err(AIMS_EINVALID, "checkpoint extension line %zu must be non-empty "
					 "text without newlines or control characters", i + 1);
	b.max = AIMS_NOTE_MAX_SIZE;
	b64_encode(b64, root, 32);
	if ((err = aims_buf_printf(&b, "%s\n%" PRIu64 "\n%s\n", origin, size, b64)) < 0)
		goto done;
	for (size_t i = 0; i < nextensions; i++)
		if ((err = aims_buf_printf(&b, "%s\n", extensions[i])) < 0)
			goto done;
	if (len)
		*len = b.len;
	if (!(*text = aims_buf_detach(&b, NULL)))
		err = aims__oom();
done:
	aims_buf_release(&b);
	return err;
}

int aims_checkpoint_parse(aims_checkpoint **out, const char *text, size_t len)
{
	checkpoint_obj *o = NULL;
	size_t nlines = 0, bad;
	int err = 0;

	if (!out || !text)
		return aims__err(AIMS_EUSAGE, "aims_checkpoint_parse: NULL argument");
	*out = NULL;
	if (len > AIMS_NOTE_MAX_SIZE)
		return aims__err(AIMS_EINVALID, "malformed checkpoint: larger than %zu bytes",
				 AIMS_NOTE_MAX_SIZE);
	if (len == 0 || text[len - 1] != '\n')
		return aims__err(AIMS_EINVALID, "malformed checkpoint: the text must end in a newline");
	if ((bad = text_check(text, len, 1)) < len)
		return aims__err(AIMS_EINVALID, "malformed checkpoint: line %zu: not UTF-8 or a "
				 "control character other than newline", line_number(text, bad));
	/* c2sp.org/tlog-checkpoint, Note text: at least three non-empty lines */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n') {
			if (i == 0 || text[i - 1] == '\n')
				return aims__err(AIMS_EINVALID, "malformed checkpoint: line %zu is empty",
						 nlines + 1);
			nlines++;
		}
	if (nlines < 3)
		return aims__err(AIMS_EINVALID, "malformed checkpoint: fewer than three lines "
				 "(origin, tree size, root hash)");
	if (!(o = aims__calloc(1, sizeof(*o))) || !(o->buf = aims__malloc(len + 1)) ||
	    !(o->ext = aims__calloc(nlines - 3 + 1, sizeof(*o->ext)))) {
		err = aims__oom();
		goto done;
	}
	memcpy(o->buf, text, len);
	o->buf[len] = '\0';
	char *line[3] = { NULL, NULL, NULL };
	char *p = o->buf;
	for (size_t i = 0; i < nlines; i++) {
		char *nl = strchr(p, '\n');
		*nl = '\0';
		if (i < 3)
			line[i] = p;
		else
			o->ext[i - 3] = p;
		p = nl + 1;
	}
	if (parse_u64(&o->pub.size, line[1], strlen(line[1])) < 0) {
		err = aims__err(AIMS_EINVALID, "malformed checkpoint: line 2: tree size '%.*s' is not a "
				"decimal number without leading zeros", 40, line[1]);
		goto done;
	}
	unsigned char root[48];
	size_t rn = strlen(line[2]);
	if (rn != b64_len(32) || b64_decode(root, line[2], rn) != 32) {
		err = aims__err(AIMS_EINVALID, "malformed checkpoint: line 3: root hash is not "
				"base64 of 32 bytes");
		goto done;
	}
	memcpy(o->pub.root, root, 32);
	o->pub.origin = line[0];
	o->pub.extensions = o->ext;
	o->pub.nextensions = nlines - 3;
	*out = &o->pub;
	o = NULL;
done:
	aims_checkpoint_free(o ? &o->pub : NULL);
	return err;
}

int aims_checkpoint_open(aims_checkpoint **out, const char *note, size_t len,
			 const char *const *vkeys, size_t nvkeys)
{
	aims_note *n = NULL;
	int err;
	if (!out)
		return aims__err(AIMS_EUSAGE, "aims_checkpoint_open: NULL argument");
	*out = NULL;
	if ((err = aims_note_open(&n, note, len, vkeys, nvkeys)) < 0)
		return err;
	err = aims_checkpoint_parse(out, n->text, n->text_len);
	aims_note_free(n);
	return err;
}

/* ---- proofs (c2sp.org/tlog-proof) ---- */

typedef struct {
	aims_tlog_proof pub;
	unsigned char *extra;
	unsigned char (*hashes)[32];
	char *checkpoint;
} proof_obj;

void aims_tlog_proof_free(aims_tlog_proof *p)
{
	proof_obj *o = (proof_obj *)p;
	if (!o)
		return;
	aims__free(o->extra);
	aims__free(o->hashes);
	aims__free(o->checkpoint);
	aims__free(o);
}

int aims_tlog_proof_format(char **out, size_t *len, uint64_t index,
			   const unsigned char *extra, size_t extra_len,
			   const unsigned char (*hashes)[32], size_t nhashes,
			   const char *checkpoint, size_t checkpoint_len)
{
	aims_buf b = AIMS_BUF_INIT;
	char h64[48];
	int err;

	if (!out || !checkpoint || (nhashes && !hashes))
		return aims__err(AIMS_EUSAGE, "aims_tlog_proof_format: NULL argument");
	*out = NULL;
	if (len)
		*len = 0;
	if (nhashes > AIMS_TLOG_PROOF_MAX_HASHES)
		return aims__err(AIMS_EINVALID, "an inclusion proof has at most %d hashes, not %zu",
				 AIMS_TLOG_PROOF_MAX_HASHES, nhashes);
	if ((err = note_check(checkpoint, checkpoint_len)) < 0) {
		aims__err_prefix("checkpoint");
		return err;
	}
	b.max = PROOF_MAX_SIZE;
	if ((err = aims_buf_puts(&b, PROOF_HEADER "\n")) < 0)
		goto done;
	if (extra && extra_len) {
		char *e64;
		if (extra_len > AIMS_NOTE_MAX_SIZE) {
			err = aims__err(AIMS_EINVALID, "extra data larger than %zu bytes",
					AIMS_NOTE_MAX_SIZE);
			goto done;
		}
		if (!(e64 = aims__malloc(b64_len(extra_len) + 1))) {
			err = aims__oom();
			goto done;
		}
		b64_encode(e64, extra, extra_len);
		err = aims_buf_printf(&b, "extra %s\n", e64);
		aims__free(e64);
		if (err < 0)
			goto done;
	}
	if ((err = aims_buf_printf(&b, "index %" PRIu64 "\n", index)) < 0)
		goto done;
	for (size_t i = 0; i < nhashes; i++) {
		b64_encode(h64, hashes[i], 32);
		if ((err = aims_buf_printf(&b, "%s\n", h64)) < 0)
			goto done;
	}
	if ((err = aims_buf_putc(&b, '\n')) < 0 ||
	    (err = aims_buf_put(&b, checkpoint, checkpoint_len)) < 0)
		goto done;
	if (len)
		*len = b.len;
	if (!(*out = aims_buf_detach(&b, NULL)))
		err = aims__oom();
done:
	aims_buf_release(&b);
	return err;
}

/* the next line of data[*off..len) without its newline; -1 if none is complete */
static int next_line(const char **line, size_t *n, const char *data, size_t len, size_t *off)
{
	const char *nl;
	if (*off >= len || !(nl = memchr(data + *off, '\n', len - *off)))
		return -1;
	*line = data + *off;
	*n = (size_t)(nl - *line);
	*off += *n + 1;
	return 0;
}

int aims_tlog_proof_parse(aims_tlog_proof **out, const char *data, size_t len)
{
	proof_obj *o = NULL;
	const char *line;
	size_t n, off = 0, lineno = 1;
	int err = 0;

	if (!out || !data)
		return aims__err(AIMS_EUSAGE, "aims_tlog_proof_parse: NULL argument");
	*out = NULL;
	if (len > PROOF_MAX_SIZE)
		return aims__err(AIMS_EINVALID, "malformed proof: larger than %zu bytes",
				 (size_t)PROOF_MAX_SIZE);
	if (!(o = aims__calloc(1, sizeof(*o))) ||
	    !(o->hashes = aims__malloc(AIMS_TLOG_PROOF_MAX_HASHES * sizeof(*o->hashes)))) {
		err = aims__oom();
		goto done;
	}
	/* the first line MUST be the string c2sp.org/tlog-proof@v1 */
	if (next_line(&line, &n, data, len, &off) < 0 || n != strlen(PROOF_HEADER) ||
	    memcmp(line, PROOF_HEADER, n) != 0) {
		err = aims__err(AIMS_EINVALID, "malformed proof: line 1 is not '" PROOF_HEADER "'");
		goto done;
	}
	lineno++;
	if (next_line(&line, &n, data, len, &off) < 0) {
		err = aims__err(AIMS_EINVALID, "malformed proof: line %zu: missing 'index N'", lineno);
		goto done;
	}
	/* the second line MAY be "extra " and base64 data */
	if (n >= 6 && memcmp(line, "extra ", 6) == 0) {
		long dec = -1;
		if (n > 6 && (o->extra = aims__malloc((n - 6) / 4 * 3 + 1)) == NULL) {
			err = aims__oom();
			goto done;
		}
		if (n > 6)
			dec = b64_decode(o->extra, line + 6, n - 6);
		if (dec <= 0) {
			err = aims__err(AIMS_EINVALID, "malformed proof: line %zu: extra data is not "
					"non-empty base64", lineno);
			goto done;
		}
		o->pub.extra = o->extra;
		o->pub.extra_len = (size_t)dec;
		lineno++;
		if (next_line(&line, &n, data, len, &off) < 0) {
			err = aims__err(AIMS_EINVALID, "malformed proof: line %zu: missing 'index N'",
					lineno);
			goto done;
		}
	}
	if (n < 6 || memcmp(line, "index ", 6) != 0 || parse_u64(&o->pub.index, line + 6, n - 6) < 0) {
		err = aims__err(AIMS_EINVALID, "malformed proof: line %zu: expected 'index N' with N a "
				"decimal number without leading zeros", lineno);
		goto done;
	}
	/* zero or more hashes, then an empty line */
	for (;;) {
		lineno++;
		if (next_line(&line, &n, data, len, &off) < 0) {
			err = aims__err(AIMS_EINVALID, "malformed proof: no empty line before the "
					"checkpoint");
			goto done;
		}
		if (n == 0)
			break;
		unsigned char h[48];
		if (o->pub.nhashes == AIMS_TLOG_PROOF_MAX_HASHES) {
			err = aims__err(AIMS_EINVALID, "malformed proof: more than %d proof hashes",
					AIMS_TLOG_PROOF_MAX_HASHES);
			goto done;
		}
		if (n != b64_len(32) || b64_decode(h, line, n) != 32) {
			err = aims__err(AIMS_EINVALID, "malformed proof: line %zu: not a base64 SHA-256 "
					"hash", lineno);
			goto done;
		}
		memcpy(o->hashes[o->pub.nhashes++], h, 32);
	}
	/* then the checkpoint, verbatim */
	if ((err = note_check(data + off, len - off)) < 0) {
		aims__err_prefix("malformed proof: checkpoint (from line %zu)", lineno + 1);
		goto done;
	}
	if (!(o->checkpoint = aims__strndup(data + off, len - off))) {
		err = aims__oom();
		goto done;
	}
	o->pub.hashes = (const unsigned char (*)[32])o->hashes;
	o->pub.checkpoint = o->checkpoint;
	o->pub.checkpoint_len = len - off;
	*out = &o->pub;
	o = NULL;
done:
	aims_tlog_proof_free(o ? &o->pub : NULL);
	return err;
}

int aims_tlog_proof_verify(aims_checkpoint **checkpoint, uint64_t *index, const char *data,
			   size_t len, const unsigned char leaf_hash[32], const char *origin,
			   const char *const *vkeys, size_t nvkeys)
{
	aims_tlog_proof *p = NULL;
	aims_checkpoint *cp = NULL;
	int err;

	if (checkpoint)
		*checkpoint = NULL;
	if (!data || !leaf_hash)
		return aims__err(AIMS_EUSAGE, "aims_tlog_proof_verify: NULL argument");
	if ((err = aims_tlog_proof_parse(&p, data, len)) < 0)
		return err;
	if ((err = aims_checkpoint_open(&cp, p->checkpoint, p->checkpoint_len, vkeys, nvkeys)) < 0) {
		aims__err_prefix("proof checkpoint");
		goto done;
	}
	/* the origin names the log; a checkpoint of another log proves nothing */
	if (origin && strcmp(origin, cp->origin) != 0) {
		err = aims__err(AIMS_ETAMPERED, "proof checkpoint is for log '%.*s', not '%s'",
				120, cp->origin, origin);
		goto done;
	}
	if ((err = aims_merkle_verify_inclusion(p->index, cp->size, leaf_hash, p->hashes, p->nhashes,
						cp->root)) < 0) {
		aims__err_prefix("inclusion proof of entry %" PRIu64 " in tree of size %" PRIu64,
				 p->index, cp->size);
		goto done;
	}
	if (index)
		*index = p->index;
	if (checkpoint) {
		*checkpoint = cp;
		cp = NULL;
	}
done:
	aims_checkpoint_free(cp);
	aims_tlog_proof_free(p);
	return err;
}
