/*
 * Unit tests of C2SP signed notes, checkpoints and proofs (src/lib/ledger/
 * note.c): the published test vectors of Go's golang.org/x/mod/sumdb/note
 * (the reference implementation) verified and signed byte for byte, Go's
 * own negative cases (mangled keys, malformed notes, too many signatures,
 * invalid signatures), key IDs, key files (mode 0600, O_EXCL, symbolic
 * links refused), checkpoint and tlog-proof round trips and refusals,
 * offline proof verification against the RFC 9162 Merkle code, and every
 * allocation failing in turn.
 */
#include "helpers.h"

#include <sodium.h>

#include "aims/note.h"
#include "aims/merkle.h"
#include "core/core.h"

/* ---- the vectors of golang.org/x/mod/sumdb/note (note.go, note_test.go) ---- */

#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define TEXT "If you think cryptography is the answer to your problem,\n" \
	     "then you don't know what your problem is.\n"
#define PETER_SIG "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
#define ENOCH_SIG "\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
#define GO_NOTE TEXT "\n" PETER_SIG

static const char *const peter[] = { PETER_VKEY };
static const char *const both[] = { PETER_VKEY, ENOCH_VKEY };

static int open_str(aims_note **out, const char *msg, const char *const *keys, size_t n)
{
	return aims_note_open(out, msg, strlen(msg), keys, n);
}

static int verify_str(const char *msg, const char *const *keys, size_t n)
{
	return aims_note_verify(NULL, NULL, msg, strlen(msg), keys, n);
}

/* the message of `rc` must not contain `secret` */
static void assert_no_leak(const char *secret)
{
	if (strstr(aims_error_last(), secret))
		fail_msg("message quotes secret material: %s", aims_error_last());
}

static void test_go_vector_verifies(void **state)
{
	aims_note *n = NULL;
	(void)state;
	assert_aims_ok(open_str(&n, GO_NOTE, peter, 1));
	assert_int_equal(n->text_len, strlen(TEXT));
	assert_string_equal(n->text, TEXT);
	assert_int_equal(n->nsigs, 1);
	assert_int_equal(n->nverified, 1);
	assert_string_equal(n->sigs[0].name, "PeterNeumann");
	assert_int_equal(n->sigs[0].key_id, 0xc74f20a3u);
	assert_int_equal(n->sigs[0].verified, 1);
	aims_note_free(n);

	char *text = NULL;
	size_t len = 0;
	assert_aims_ok(aims_note_verify(&text, &len, GO_NOTE, strlen(GO_NOTE), peter, 1));
	assert_string_equal(text, TEXT);
	assert_int_equal(len, strlen(TEXT));
	free(text);
}

static void test_go_vector_sign_is_byte_exact(void **state)
{
	aims_note_signer *s = NULL;
	char *note = NULL, *vkey = NULL;
	size_t len = 0;
	(void)state;
	assert_aims_ok(aims_note_signer_parse(&s, PETER_SKEY));
	assert_string_equal(aims_note_signer_name(s), "PeterNeumann");
	assert_int_equal(aims_note_signer_id(s), 0xc74f20a3u);
	assert_aims_ok(aims_note_signer_verifier(&vkey, s));
	assert_string_equal(vkey, PETER_VKEY);
	/* Ed25519 is deterministic: Go's TestSign output, byte for byte */
	assert_aims_ok(aims_note_sign(&note, &len, TEXT, strlen(TEXT), s));
	assert_string_equal(note, GO_NOTE);
	assert_int_equal(len, strlen(GO_NOTE));
	free(note);
	free(vkey);
	/* Go's "Sign with short text": no final newline */
	assert_aims_error(aims_note_sign(&note, &len, "abc", 3, s), AIMS_EINVALID, "newline");
	assert_null(note);
	assert_aims_error(aims_note_sign(&note, &len, "a\rb\n", 4, s), AIMS_EINVALID, "control");
	assert_aims_error(aims_note_sign(&note, &len, "\xff\n", 2, s), AIMS_EINVALID, "UTF-8");
	aims_note_signer_free(s);
}

static void test_go_open_two_signers(void **state)
{
	const char *msg = TEXT "\n" PETER_SIG ENOCH_SIG;
	aims_note *n = NULL;
	(void)state;
	/* one verified, one by an unknown key (Go TestOpen) */
	assert_aims_ok(open_str(&n, msg, peter, 1));
	assert_int_equal(n->nsigs, 2);
	assert_int_equal(n->nverified, 1);
	assert_string_equal(n->sigs[0].name, "PeterNeumann");
	assert_int_equal(n->sigs[0].verified, 1);
	assert_string_equal(n->sigs[1].name, "EnochRoot");
	assert_int_equal(n->sigs[1].key_id, 0xaf0cfe78u);
	assert_int_equal(n->sigs[1].verified, 0);
	aims_note_free(n);
	/* both verified */
	assert_aims_ok(open_str(&n, msg, both, 2));
	assert_int_equal(n->nverified, 2);
	aims_note_free(n);
	/* both unknown */
	assert_aims_error(open_str(&n, msg, NULL, 0), AIMS_ETAMPERED, "no signature by a known key");
	assert_null(n);
	/* Enoch only, with Peter's key given twice: harmless */
	const char *const twice[] = { ENOCH_VKEY, PETER_VKEY, ENOCH_VKEY };
	assert_aims_ok(verify_str(TEXT "\n" ENOCH_SIG, twice, 3));
}

static void test_go_vector_tampered(void **state)
{
	char msg[512];
	(void)state;
	/* a flipped byte in the text */
	snprintf(msg, sizeof(msg), "%s", GO_NOTE);
	msg[3] ^= 1;
	assert_aims_error(verify_str(msg, peter, 1), AIMS_ETAMPERED, "invalid signature for key "
			  "'PeterNeumann+c74f20a3'");
	/* a flipped bit in the signature (after the key ID) */
	snprintf(msg, sizeof(msg), "%s", GO_NOTE);
	char *b64 = strstr(msg, "x08go/");
	assert_non_null(b64);
	b64[20] = b64[20] == 'A' ? 'B' : 'A';
	assert_aims_error(verify_str(msg, peter, 1), AIMS_ETAMPERED, "invalid signature");
	/* Go's "Invalid signature": four characters inserted, a 71-byte signature */
	snprintf(msg, sizeof(msg), "%s\n%.60sABCD%s", TEXT, PETER_SIG, &PETER_SIG[60]);
	assert_aims_error(verify_str(msg, peter, 1), AIMS_ETAMPERED, "invalid signature");
	/* a wrong key name in the signature line: the key is unknown */
	snprintf(msg, sizeof(msg), "%s\n\xe2\x80\x94 PeterNeumanm %s", TEXT, strstr(PETER_SIG, "x08go"));
	assert_aims_error(verify_str(msg, peter, 1), AIMS_ETAMPERED, "no signature by a known key");
	/* a key with the same name and another ID: unknown, so not verified */
	char *skey = NULL, *vkey = NULL;
	assert_aims_ok(aims_note_keygen(&skey, &vkey, "PeterNeumann"));
	const char *const other[] = { vkey };
	assert_aims_error(verify_str(GO_NOTE, other, 1), AIMS_ETAMPERED,
			  "signed by 'PeterNeumann+c74f20a3'");
	/* a wrong key ID in the signature line (Go's "x08g" -> "xxxx") */
	snprintf(msg, sizeof(msg), "%s\n\xe2\x80\x94 PeterNeumann xxxx%s", TEXT,
		 strstr(PETER_SIG, "x08go") + 4);
	assert_aims_error(verify_str(msg, peter, 1), AIMS_ETAMPERED, "no signature by a known key");
	aims_note_secret_free(skey);
	free(vkey);
}

static void test_key_ids(void **state)
{
	unsigned char raw[64];
	size_t n = 0;
	uint32_t id = 0;
	(void)state;
	/* the public key inside Peter's verifier key */
	const char *b64 = strrchr(PETER_VKEY, '+') + 1;
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), b64, strlen(b64), NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(n, 33);
	assert_int_equal(raw[0], 1);
	assert_aims_ok(aims_note_key_id(&id, "PeterNeumann", raw + 1));
	assert_int_equal(id, 0xc74f20a3u);
	assert_aims_ok(aims_note_key_id(&id, "PeterNeumanN", raw + 1));
	assert_int_not_equal(id, 0xc74f20a3u);
	b64 = strrchr(ENOCH_VKEY, '+') + 1;
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), b64, strlen(b64), NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_aims_ok(aims_note_key_id(&id, "EnochRoot", raw + 1));
	assert_int_equal(id, 0xaf0cfe78u);
}

/* Go's TestNewVerifier and TestNewSigner: every substring and every
 * single-byte change of a good key is refused */
static void test_mangled_keys_refused(void **state)
{
	char buf[128];
	aims_note_signer *s = NULL;
	(void)state;
	assert_aims_ok(aims_note_verifier_check(PETER_VKEY));
	assert_aims_ok(aims_note_verifier_check(ENOCH_VKEY));
	size_t n = strlen(PETER_VKEY);
	for (size_t i = 0; i <= n; i++)
		for (size_t j = i + 1; j <= n; j++) {
			if (i == 0 && j == n)
				continue;
			snprintf(buf, sizeof(buf), "%.*s", (int)(j - i), &PETER_VKEY[i]);
			if (aims_note_verifier_check(buf) == 0)
				fail_msg("verifier key '%s' accepted", buf);
		}
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", PETER_VKEY);
		buf[i]++;
		if (aims_note_verifier_check(buf) == 0)
			fail_msg("verifier key '%s' accepted", buf);
	}
	/* wrong length key and unknown algorithm, both with adjusted key IDs */
	assert_aims_error(aims_note_verifier_check(
		"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="),
		AIMS_EINVALID, "base64 of 33 bytes");
	assert_aims_error(aims_note_verifier_check(
		"PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
		AIMS_EINVALID, "unknown algorithm");
	assert_aims_error(aims_note_verifier_check("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
			  AIMS_EINVALID, "valid key name");
	/* a signer key where a verifier key belongs: refused, and not quoted */
	assert_aims_error(aims_note_verifier_check(PETER_SKEY), AIMS_EINVALID, "signer (private) key");
	assert_no_leak("AYEKFALV");

	assert_aims_ok(aims_note_signer_parse(&s, PETER_SKEY));
	aims_note_signer_free(s);
	assert_aims_ok(aims_note_signer_parse(&s, PETER_SKEY "\n"));  /* as in a key file */
	aims_note_signer_free(s);
	n = strlen(PETER_SKEY);
	for (size_t i = 0; i <= n; i++)
		for (size_t j = i + 1; j <= n; j++) {
			if (i == 0 && j == n)
				continue;
			snprintf(buf, sizeof(buf), "%.*s", (int)(j - i), &PETER_SKEY[i]);
			if (aims_note_signer_parse(&s, buf) == 0)
				fail_msg("signer key '%s' accepted", buf);
			assert_null(s);
			assert_no_leak("AYEKFALV");
			assert_no_leak("Hfx09iU");
		}
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", PETER_SKEY);
		buf[i]++;
		if (aims_note_signer_parse(&s, buf) == 0)
			fail_msg("signer key '%s' accepted", buf);
		assert_no_leak("Hfx09iU");
	}
}

static void test_keygen_sign_verify(void **state)
{
	char *skey = NULL, *vkey = NULL, *skey2 = NULL, *vkey2 = NULL, *note = NULL;
	aims_note_signer *s = NULL;
	aims_note *n = NULL;
	size_t len = 0;
	const char *text = "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	(void)state;

	assert_aims_ok(aims_note_keygen(&skey, &vkey, "example.com/log"));
	assert_aims_ok(aims_note_keygen(&skey2, &vkey2, "example.com/log"));
	/* name+8 hex+base64(33 bytes); signer key PRIVATE+KEY+same */
	assert_int_equal(strncmp(vkey, "example.com/log+", 16), 0);
	assert_int_equal(strlen(vkey), 16 + 8 + 1 + 44);
	assert_int_equal(vkey[24], '+');
	assert_int_equal(strncmp(skey, "PRIVATE+KEY+", 12), 0);
	assert_int_equal(strncmp(skey + 12, vkey, 25), 0);
	assert_string_not_equal(vkey, vkey2);
	assert_aims_ok(aims_note_verifier_check(vkey));

	assert_aims_ok(aims_note_signer_parse(&s, skey));
	char *back = NULL;
	assert_aims_ok(aims_note_signer_verifier(&back, s));
	assert_string_equal(back, vkey);
	free(back);
	assert_aims_ok(aims_note_sign(&note, &len, text, strlen(text), s));
	const char *const mine[] = { vkey2, vkey };
	assert_aims_ok(aims_note_open(&n, note, len, mine, 2));
	assert_string_equal(n->text, text);
	assert_int_equal(n->nverified, 1);
	aims_note_free(n);
	const char *const theirs[] = { vkey2 };
	assert_aims_error(aims_note_verify(NULL, NULL, note, len, theirs, 1), AIMS_ETAMPERED,
			  "no signature by a known key");
	/* another public key under this name and key ID is refused as a key */
	char forged[128];
	snprintf(forged, sizeof(forged), "%.25s%s", vkey, vkey2 + 25);
	const char *const amb[] = { vkey, forged };
	assert_aims_error(aims_note_verify(NULL, NULL, note, len, amb, 2), AIMS_EINVALID,
			  "key ID does not match the key");
	free(note);

	/* texts with empty lines and an em dash line still round-trip */
	const char *odd = "a\n\n\xe2\x80\x94 not a signature\n\nb\n";
	assert_aims_ok(aims_note_sign(&note, &len, odd, strlen(odd), s));
	assert_aims_ok(aims_note_open(&n, note, len, mine, 2));
	assert_string_equal(n->text, odd);
	aims_note_free(n);
	free(note);

	/* bad names */
	char *x = NULL, *y = NULL;
	assert_aims_error(aims_note_keygen(&x, &y, ""), AIMS_EINVALID, "not valid");
	assert_aims_error(aims_note_keygen(&x, &y, "a+b"), AIMS_EINVALID, "not valid");
	assert_aims_error(aims_note_keygen(&x, &y, "a b"), AIMS_EINVALID, "not valid");
	assert_aims_error(aims_note_keygen(&x, &y, "a\xc2\xa0" "b"), AIMS_EINVALID, "not valid");
	assert_aims_error(aims_note_keygen(&x, &y, "a\xe3\x80\x80"), AIMS_EINVALID, "not valid");
	assert_aims_error(aims_note_keygen(&x, &y, "\xc0\xaf"), AIMS_EINVALID, "not valid");
	assert_null(x);
	assert_null(y);
	assert_aims_ok(aims_note_keygen(&x, &y, "caf\xc3\xa9.example/log"));
	aims_note_secret_free(x);
	free(y);

	aims_note_signer_free(s);
	aims_note_secret_free(skey);
	aims_note_secret_free(skey2);
	free(vkey);
	free(vkey2);
}

static void expect_malformed(const char *msg, size_t len, const char *needle)
{
	aims_note *n = NULL;
	int rc = aims_note_open(&n, msg, len, peter, 1);
	if (rc != AIMS_EINVALID)
		fail_msg("expected a malformed note, got %d (%s) for:\n%s", rc, aims_error_last(), msg);
	assert_null(n);
	if (!strstr(aims_error_last(), needle))
		fail_msg("message '%s' does not contain '%s'", aims_error_last(), needle);
	assert_int_equal(aims_note_check_syntax(msg, len), AIMS_EINVALID);
}

#define MALFORMED(s, needle) expect_malformed((s), strlen(s), (needle))

static void test_malformed_notes(void **state)
{
	(void)state;
	/* Go's badMsgs */
	MALFORMED(TEXT, "no empty line");
	MALFORMED(TEXT "\n", "no signature lines");
	expect_malformed(GO_NOTE, strlen(GO_NOTE) - 1, "does not end in a newline");
	MALFORMED("\x01" TEXT "\n" PETER_SIG, "control character");
	MALFORMED("\xff" TEXT "\n" PETER_SIG, "not UTF-8");
	MALFORMED(TEXT "\n\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=", "newline");
	MALFORMED(TEXT "\n\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "signature is not base64");
	MALFORMED(TEXT "\n" PETER_SIG "Unexpected line.\n", "em dash");
	/* no empty line between text and signatures */
	MALFORMED(TEXT PETER_SIG, "no empty line");
	/* a hyphen or two instead of the em dash; a missing space */
	MALFORMED(TEXT "\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "em dash");
	MALFORMED(TEXT "\n-- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "em dash");
	MALFORMED(TEXT "\n\xe2\x80\x94PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "em dash");
	/* bad base64: wrong alphabet, missing padding, non-canonical last bits, empty */
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann x08go_ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "not base64");
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n", "not base64");
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n", "not base64");
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann \n", "not base64");
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann\n", "not base64");
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "not base64");
	/* signature too short to hold a key ID and a signature byte */
	MALFORMED(TEXT "\n\xe2\x80\x94 PeterNeumann AAAA\n", "too short");
	/* bad names: empty, with '+' */
	MALFORMED(TEXT "\n\xe2\x80\x94  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "bad key name");
	MALFORMED(TEXT "\n\xe2\x80\x94 Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "bad key name");
	/* CRLF line ends are control characters */
	MALFORMED("a\r\n\n" PETER_SIG, "control character");
	/* a NUL byte */
	expect_malformed("a\0b\n\n" PETER_SIG, sizeof("a\0b\n\n" PETER_SIG) - 1, "control character");
	/* an overlong encoding and a surrogate */
	MALFORMED("\xc0\xae\n\n" PETER_SIG, "not UTF-8");
	MALFORMED("\xed\xa0\x80\n\n" PETER_SIG, "not UTF-8");
	/* an empty message */
	expect_malformed("", 0, "no empty line");
}

static void test_signature_counts(void **state)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_note *n = NULL;
	(void)state;
	/* Go's "Duplicated verified and unverified signatures" */
	char msg[2048];
	snprintf(msg, sizeof(msg), "%s\n%s%s%s%s%.60sABCD%s", TEXT, PETER_SIG, PETER_SIG, ENOCH_SIG,
		 ENOCH_SIG, ENOCH_SIG, &ENOCH_SIG[60]);
	assert_aims_ok(open_str(&n, msg, peter, 1));
	assert_int_equal(n->nverified, 1);
	assert_int_equal(n->nsigs, 3);  /* peter, enoch, enoch with ABCD */
	assert_string_equal(n->sigs[1].name, "EnochRoot");
	assert_string_equal(n->sigs[2].name, "EnochRoot");
	aims_note_free(n);
	/* a repeated signature by a known key is not looked at again: Go ignores
	 * a bad second one, so do we */
	snprintf(msg, sizeof(msg), "%s\n%s%.60sABCD%s", TEXT, PETER_SIG, PETER_SIG, &PETER_SIG[60]);
	assert_aims_ok(verify_str(msg, peter, 1));
	/* but a bad first one rejects the note */
	snprintf(msg, sizeof(msg), "%s\n%.60sABCD%s%s", TEXT, PETER_SIG, &PETER_SIG[60], PETER_SIG);
	assert_aims_error(verify_str(msg, peter, 1), AIMS_ETAMPERED, "invalid signature");

	/* exactly 100 signatures are accepted, 101 are not (with or without keys) */
	assert_aims_ok(aims_buf_puts(&b, TEXT "\n"));
	for (int i = 0; i < 100; i++)
		assert_aims_ok(aims_buf_puts(&b, PETER_SIG));
	assert_aims_ok(aims_note_verify(NULL, NULL, b.ptr, b.len, peter, 1));
	assert_aims_ok(aims_buf_puts(&b, PETER_SIG));
	assert_aims_error(aims_note_verify(NULL, NULL, b.ptr, b.len, peter, 1), AIMS_EINVALID,
			  "more than 100 signatures");
	assert_aims_error(aims_note_verify(NULL, NULL, b.ptr, b.len, NULL, 0), AIMS_EINVALID,
			  "more than 100 signatures");
	aims_buf_release(&b);
}

static void test_size_limit(void **state)
{
	aims_note_signer *s = NULL;
	char *note = NULL;
	size_t len = 0;
	(void)state;
	size_t big = AIMS_NOTE_MAX_SIZE;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, 'a', big);
	for (size_t i = 99; i < big; i += 100)
		text[i] = '\n';
	text[big - 1] = '\n';
	text[big] = '\0';
	/* a note just over 1 MiB is refused before anything else */
	assert_aims_ok(aims_note_signer_parse(&s, PETER_SKEY));
	assert_aims_error(aims_note_sign(&note, &len, text, big, s), AIMS_EINVALID, "larger than");
	assert_null(note);
	size_t small = big - 200;
	text[small - 1] = '\n';
	assert_aims_ok(aims_note_sign(&note, &len, text, small, s));
	assert_true(len <= AIMS_NOTE_MAX_SIZE);
	assert_aims_ok(aims_note_verify(NULL, NULL, note, len, peter, 1));
	free(note);
	aims_buf b = AIMS_BUF_INIT;
	assert_aims_ok(aims_buf_put(&b, text, big));
	assert_aims_ok(aims_buf_puts(&b, "\n" PETER_SIG));
	assert_aims_error(aims_note_verify(NULL, NULL, b.ptr, b.len, peter, 1), AIMS_EINVALID,
			  "larger than");
	aims_buf_release(&b);
	free(text);
	aims_note_signer_free(s);
}

/* ---- key files ---- */

static void test_key_file(void **state)
{
	struct stat st;
	aims_note_signer *s = NULL;
	const char *path = test_path("peter.key");
	(void)state;

	assert_aims_ok(aims_note_key_write(path, PETER_SKEY));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_aims_ok(aims_note_signer_load(&s, path));
	assert_string_equal(aims_note_signer_name(s), "PeterNeumann");
	assert_int_equal(aims_note_signer_id(s), 0xc74f20a3u);
	aims_note_signer_free(s);

	/* O_EXCL: an existing file is never overwritten */
	char *other = NULL, *vkey = NULL;
	assert_aims_ok(aims_note_keygen(&other, &vkey, "EnochRoot"));
	assert_aims_error(aims_note_key_write(path, other), AIMS_ECONFLICT, "already exists");
	assert_aims_ok(aims_note_signer_load(&s, path));
	assert_string_equal(aims_note_signer_name(s), "PeterNeumann");
	aims_note_signer_free(s);

	/* a (dangling) symbolic link at the path is not followed on write */
	const char *link = test_path("link.key");
	const char *target = test_path("target.key");
	assert_int_equal(symlink(target, link), 0);
	assert_aims_error(aims_note_key_write(link, other), AIMS_ECONFLICT, "already exists");
	assert_int_equal(access(target, F_OK), -1);
	/* nor on read, even to a good key file */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(path, link), 0);
	assert_aims_error(aims_note_signer_load(&s, link), AIMS_EINVALID, "symbolic link");
	assert_null(s);

	/* group or other access refused */
	assert_int_equal(chmod(path, 0640), 0);
	assert_aims_error(aims_note_signer_load(&s, path), AIMS_EINVALID, "mode 0640");
	assert_int_equal(chmod(path, 0604), 0);
	assert_aims_error(aims_note_signer_load(&s, path), AIMS_EINVALID, "accessible by group or others");
	assert_int_equal(chmod(path, 0400), 0);
	assert_aims_ok(aims_note_signer_load(&s, path));
	aims_note_signer_free(s);

	/* missing, a directory, not a key: no key material in the message */
	assert_aims_error(aims_note_signer_load(&s, test_path("none.key")), AIMS_ENOTFOUND, "none.key");
	assert_aims_error(aims_note_signer_load(&s, test_tmp()), AIMS_EINVALID, "not a regular file");
	const char *bad = test_path("bad.key");
	test_write_file(bad, "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz\n");
	assert_int_equal(chmod(bad, 0600), 0);
	assert_aims_error(aims_note_signer_load(&s, bad), AIMS_EINVALID, "does not match");
	assert_no_leak("AYEKFALV");
	/* writing refuses what is not a signer key */
	assert_aims_error(aims_note_key_write(test_path("v.key"), PETER_VKEY), AIMS_EINVALID,
			  "malformed signer key");
	assert_int_equal(access(test_path("v.key"), F_OK), -1);
	aims_note_secret_free(other);
	free(vkey);
}

/* ---- checkpoints ---- */

static const unsigned char root1[32] = {
	0x0a, 0xc5, 0x18, 0x6a, 0x91, 0x86, 0x3e, 0x8e, 0x1d, 0x90, 0xc8, 0x08, 0x01, 0x4a, 0xa8, 0x9b,
	0xf5, 0xda, 0x8e, 0x3e, 0xe1, 0xd9, 0xf0, 0x76, 0x30, 0xf0, 0x37, 0x8f, 0x68, 0xf1, 0xab, 0x62,
};

static void test_checkpoint_round_trip(void **state)
{
	aims_checkpoint *cp = NULL;
	char *text = NULL;
	size_t len = 0;
	(void)state;
	/* the example of c2sp.org/tlog-checkpoint */
	const char *ex = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
	assert_aims_ok(aims_checkpoint_parse(&cp, ex, strlen(ex)));
	assert_string_equal(cp->origin, "example.com/behind-the-sofa");
	assert_true(cp->size == 20852163);
	assert_memory_equal(cp->root, root1, 32);
	assert_int_equal(cp->nextensions, 0);
	assert_aims_ok(aims_checkpoint_format(&text, &len, cp->origin, cp->size, cp->root, NULL, 0));
	assert_string_equal(text, ex);
	assert_int_equal(len, strlen(ex));
	free(text);
	aims_checkpoint_free(cp);

	const char *ext[] = { "ext one", "\xe2\x80\x94 two" };
	assert_aims_ok(aims_checkpoint_format(&text, &len, "o", UINT64_MAX, root1, ext, 2));
	assert_aims_ok(aims_checkpoint_parse(&cp, text, len));
	assert_true(cp->size == UINT64_MAX);
	assert_int_equal(cp->nextensions, 2);
	assert_string_equal(cp->extensions[0], "ext one");
	assert_string_equal(cp->extensions[1], "\xe2\x80\x94 two");
	aims_checkpoint_free(cp);
	free(text);
	assert_aims_ok(aims_checkpoint_format(&text, &len, "o", 0, root1, NULL, 0));
	assert_string_equal(text, "o\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
	free(text);
}

static void expect_bad_checkpoint(const char *text, const char *needle)
{
	aims_checkpoint *cp = NULL;
	int rc = aims_checkpoint_parse(&cp, text, strlen(text));
	if (rc != AIMS_EINVALID)
		fail_msg("checkpoint accepted (%d):\n%s", rc, text);
	assert_null(cp);
	if (!strstr(aims_error_last(), needle))
		fail_msg("message '%s' does not contain '%s'", aims_error_last(), needle);
}

#define R "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="

static void test_checkpoint_refusals(void **state)
{
	char *text = NULL;
	size_t len = 0;
	(void)state;
	expect_bad_checkpoint("", "newline");
	expect_bad_checkpoint("o\n1\n" R, "newline");
	expect_bad_checkpoint("o\n1\n", "fewer than three");
	expect_bad_checkpoint("\n1\n" R "\n", "line 1 is empty");
	expect_bad_checkpoint("o\n1\n" R "\n\n", "line 4 is empty");
	expect_bad_checkpoint("o\n1\n" R "\n\next\n", "line 4 is empty");
	expect_bad_checkpoint("o\n01\n" R "\n", "leading zeros");
	expect_bad_checkpoint("o\n00\n" R "\n", "leading zeros");
	expect_bad_checkpoint("o\n-1\n" R "\n", "tree size");
	expect_bad_checkpoint("o\n+1\n" R "\n", "tree size");
	expect_bad_checkpoint("o\n 1\n" R "\n", "tree size");
	expect_bad_checkpoint("o\n0x10\n" R "\n", "tree size");
	expect_bad_checkpoint("o\n18446744073709551616\n" R "\n", "tree size");
	expect_bad_checkpoint("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n", "root hash");
	expect_bad_checkpoint("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "root hash");
	expect_bad_checkpoint("o\n1\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n", "root hash");
	expect_bad_checkpoint("o\n1\n" R "=\n", "root hash");
	expect_bad_checkpoint("o\r\n1\n" R "\n", "control character");
	/* formatting refuses what would not parse back */
	assert_aims_error(aims_checkpoint_format(&text, &len, "", 1, root1, NULL, 0), AIMS_EINVALID,
			  "origin");
	assert_aims_error(aims_checkpoint_format(&text, &len, "a\nb", 1, root1, NULL, 0),
			  AIMS_EINVALID, "origin");
	const char *ext[] = { "ok", "" };
	assert_aims_error(aims_checkpoint_format(&text, &len, "o", 1, root1, ext, 2), AIMS_EINVALID,
			  "extension line 2");
	assert_null(text);
}

static void test_checkpoint_open(void **state)
{
	aims_note_signer *s = NULL;
	aims_checkpoint *cp = NULL;
	char *skey = NULL, *vkey = NULL, *body = NULL, *note = NULL;
	size_t blen = 0, nlen = 0;
	(void)state;
	assert_aims_ok(aims_note_keygen(&skey, &vkey, "example.com/log"));
	assert_aims_ok(aims_note_signer_parse(&s, skey));
	assert_aims_ok(aims_checkpoint_format(&body, &blen, "example.com/log", 42, root1, NULL, 0));
	assert_aims_ok(aims_note_sign(&note, &nlen, body, blen, s));
	const char *const keys[] = { vkey };
	assert_aims_ok(aims_checkpoint_open(&cp, note, nlen, keys, 1));
	assert_string_equal(cp->origin, "example.com/log");
	assert_true(cp->size == 42);
	aims_checkpoint_free(cp);
	/* a signed text that is not a checkpoint */
	free(note);
	assert_aims_ok(aims_note_sign(&note, &nlen, "hello\n", 6, s));
	assert_aims_error(aims_checkpoint_open(&cp, note, nlen, keys, 1), AIMS_EINVALID,
			  "fewer than three");
	assert_null(cp);
	/* a changed tree size */
	free(note);
	assert_aims_ok(aims_note_sign(&note, &nlen, body, blen, s));
	note[17] = '3';
	assert_aims_error(aims_checkpoint_open(&cp, note, nlen, keys, 1), AIMS_ETAMPERED,
			  "invalid signature");
	free(note);
	free(body);
	free(vkey);
	aims_note_secret_free(skey);
	aims_note_signer_free(s);
}

/* ---- tlog-proof ---- */

static void test_tlog_proof_round_trip(void **state)
{
	unsigned char hashes[3][32];
	aims_tlog_proof *p = NULL;
	char *out = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	(void)state;
	for (int i = 0; i < 3; i++)
		memset(hashes[i], 0x11 * (i + 1), 32);
	const unsigned char extra[] = "age-v1.2.1-darwin-arm64.tar.gz";
	assert_aims_ok(aims_tlog_proof_format(&out, &len, 73894, extra, sizeof(extra) - 1,
					      (const unsigned char (*)[32])hashes, 3,
					      GO_NOTE, strlen(GO_NOTE)));
	assert_int_equal(strncmp(out, "c2sp.org/tlog-proof@v1\nextra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6\n"
				 "index 73894\nERERERERERERERERERERERERERERERERERERERERERE=\n", 127), 0);
	assert_non_null(strstr(out, "\nindex 73894\n"));
	assert_non_null(strstr(out, "\n\n" TEXT "\n" PETER_SIG));
	assert_aims_ok(aims_tlog_proof_parse(&p, out, len));
	assert_true(p->index == 73894);
	assert_int_equal(p->extra_len, sizeof(extra) - 1);
	assert_memory_equal(p->extra, extra, sizeof(extra) - 1);
	assert_int_equal(p->nhashes, 3);
	assert_memory_equal(p->hashes[2], hashes[2], 32);
	assert_string_equal(p->checkpoint, GO_NOTE);
	assert_aims_ok(aims_tlog_proof_format(&again, &len2, p->index, p->extra, p->extra_len,
					      p->hashes, p->nhashes, p->checkpoint, p->checkpoint_len));
	assert_string_equal(again, out);
	aims_tlog_proof_free(p);
	free(out);
	free(again);

	/* no extra, no hashes (a tree of one leaf) */
	assert_aims_ok(aims_tlog_proof_format(&out, &len, 0, NULL, 0, NULL, 0, GO_NOTE, strlen(GO_NOTE)));
	assert_string_equal(out, "c2sp.org/tlog-proof@v1\nindex 0\n\n" GO_NOTE);
	assert_aims_ok(aims_tlog_proof_parse(&p, out, len));
	assert_null(p->extra);
	assert_int_equal(p->nhashes, 0);
	assert_true(p->index == 0);
	aims_tlog_proof_free(p);
	free(out);
	/* the checkpoint must be a signed note */
	assert_aims_error(aims_tlog_proof_format(&out, &len, 0, NULL, 0, NULL, 0, TEXT, strlen(TEXT)),
			  AIMS_EINVALID, "checkpoint");
}

static void expect_bad_proof(const char *data, const char *needle)
{
	aims_tlog_proof *p = NULL;
	int rc = aims_tlog_proof_parse(&p, data, strlen(data));
	if (rc != AIMS_EINVALID)
		fail_msg("proof accepted (%d):\n%s", rc, data);
	assert_null(p);
	if (!strstr(aims_error_last(), needle))
		fail_msg("message '%s' does not contain '%s'", aims_error_last(), needle);
}

#define H "ERERERERERERERERERERERERERERERERERERERERERE="

static void test_tlog_proof_refusals(void **state)
{
	aims_buf b = AIMS_BUF_INIT;
	(void)state;
	expect_bad_proof("", "line 1");
	expect_bad_proof("c2sp.org/tlog-proof@v2\nindex 0\n\n" GO_NOTE, "line 1");
	expect_bad_proof("c2sp.org/tlog-proof@v1\n", "missing 'index N'");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex 01\n\n" GO_NOTE, "line 2: expected 'index N'");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex \n\n" GO_NOTE, "expected 'index N'");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex -1\n\n" GO_NOTE, "expected 'index N'");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nIndex 1\n\n" GO_NOTE, "expected 'index N'");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nextra \nindex 1\n\n" GO_NOTE, "extra data");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nextra !!!!\nindex 1\n\n" GO_NOTE, "extra data");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nextra YQ==\n\n" GO_NOTE, "line 3: expected 'index N'");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex 1\nindex 1\n\n" GO_NOTE, "line 3: not a base64");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex 1\nYQ==\n\n" GO_NOTE, "line 3: not a base64");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex 1\n" H "\n", "no empty line");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex 1\n" H "\n\n", "checkpoint");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nindex 1\n" H "\n\n" TEXT, "checkpoint");
	expect_bad_proof("c2sp.org/tlog-proof@v1\nextra YQ==\nextra YQ==\nindex 1\n\n" GO_NOTE,
			 "expected 'index N'");
	/* 64 hashes are the most a proof can need; 65 are refused */
	assert_aims_ok(aims_buf_puts(&b, "c2sp.org/tlog-proof@v1\nindex 5\n"));
	for (int i = 0; i < 64; i++)
		assert_aims_ok(aims_buf_puts(&b, H "\n"));
	aims_buf b2 = AIMS_BUF_INIT;
	assert_aims_ok(aims_buf_printf(&b2, "%s\n%s", b.ptr, GO_NOTE));
	aims_tlog_proof *p = NULL;
	assert_aims_ok(aims_tlog_proof_parse(&p, b2.ptr, b2.len));
	assert_int_equal(p->nhashes, 64);
	aims_tlog_proof_free(p);
	assert_aims_ok(aims_buf_printf(&b, H "\n\n%s", GO_NOTE));
	expect_bad_proof(b.ptr, "more than 64");
	aims_buf_release(&b);
	aims_buf_release(&b2);
}

/* a log of n entries, a signed checkpoint and a proof for entry i */
static void make_proof(char **proof, size_t *plen, unsigned char leaf[32], const char *origin,
		       aims_note_signer *s, size_t n, uint64_t i)
{
	uint8_t (*leaves)[32] = calloc(n, 32);
	uint8_t (*path)[32] = NULL;
	uint8_t root[32];
	size_t pathlen = 0, blen = 0, nlen = 0;
	char *body = NULL, *note = NULL, entry[32];
	assert_non_null(leaves);
	for (size_t k = 0; k < n; k++) {
		int m = snprintf(entry, sizeof(entry), "entry %zu", k);
		assert_aims_ok(aims_merkle_leaf_hash(leaves[k], entry, (size_t)m));
	}
	memcpy(leaf, leaves[i], 32);
	assert_aims_ok(aims_merkle_root(root, (const uint8_t (*)[32])leaves, n));
	assert_aims_ok(aims_merkle_inclusion_proof(&path, &pathlen, (const uint8_t (*)[32])leaves, n, i));
	assert_aims_ok(aims_checkpoint_format(&body, &blen, origin, n, root, NULL, 0));
	assert_aims_ok(aims_note_sign(&note, &nlen, body, blen, s));
	assert_aims_ok(aims_tlog_proof_format(proof, plen, i, NULL, 0, (const unsigned char (*)[32])path,
					      pathlen, note, nlen));
	aims_merkle_proof_free(path);
	free(body);
	free(note);
	free(leaves);
}

static void test_tlog_proof_verify(void **state)
{
	aims_note_signer *s = NULL;
	aims_checkpoint *cp = NULL;
	char *skey = NULL, *vkey = NULL, *skey2 = NULL, *vkey2 = NULL, *proof = NULL;
	unsigned char leaf[32];
	size_t len = 0;
	uint64_t index = 99;
	(void)state;
	assert_aims_ok(aims_note_keygen(&skey, &vkey, "example.com/log"));
	assert_aims_ok(aims_note_keygen(&skey2, &vkey2, "example.com/log"));
	assert_aims_ok(aims_note_signer_parse(&s, skey));
	const char *const keys[] = { vkey };
	const char *const wrong[] = { vkey2 };

	for (size_t n = 1; n <= 9; n++)
		for (uint64_t i = 0; i < n; i++) {
			make_proof(&proof, &len, leaf, "example.com/log", s, n, i);
			assert_aims_ok(aims_tlog_proof_verify(&cp, &index, proof, len, leaf,
							      "example.com/log", keys, 1));
			assert_true(index == i);
			assert_true(cp->size == n);
			aims_checkpoint_free(cp);
			free(proof);
		}

	make_proof(&proof, &len, leaf, "example.com/log", s, 7, 3);
	assert_aims_ok(aims_tlog_proof_verify(NULL, NULL, proof, len, leaf, NULL, keys, 1));
	/* another log's origin, another key, another leaf */
	assert_aims_error(aims_tlog_proof_verify(&cp, NULL, proof, len, leaf, "example.com/other",
						 keys, 1), AIMS_ETAMPERED, "not 'example.com/other'");
	assert_null(cp);
	assert_aims_error(aims_tlog_proof_verify(NULL, NULL, proof, len, leaf, NULL, wrong, 1),
			  AIMS_ETAMPERED, "no signature by a known key");
	leaf[0] ^= 1;
	assert_int_equal(aims_tlog_proof_verify(NULL, NULL, proof, len, leaf, NULL, keys, 1),
			 AIMS_ETAMPERED);
	leaf[0] ^= 1;
	/* a changed index or a changed proof hash */
	char *idx = strstr(proof, "index 3\n");
	assert_non_null(idx);
	idx[6] = '2';
	assert_int_equal(aims_tlog_proof_verify(NULL, NULL, proof, len, leaf, NULL, keys, 1),
			 AIMS_ETAMPERED);
	idx[6] = '3';
	idx[8] = idx[8] == 'A' ? 'B' : 'A';
	assert_int_equal(aims_tlog_proof_verify(NULL, NULL, proof, len, leaf, NULL, keys, 1),
			 AIMS_ETAMPERED);
	free(proof);

	aims_note_signer_free(s);
	aims_note_secret_free(skey);
	aims_note_secret_free(skey2);
	free(vkey);
	free(vkey2);
}

/* ---- every allocation failing in turn ---- */

static int run_everything(void)
{
	aims_note_signer *s = NULL;
	aims_note *n = NULL;
	aims_checkpoint *cp = NULL;
	aims_tlog_proof *p = NULL;
	char *skey = NULL, *vkey = NULL, *note = NULL, *body = NULL, *proof = NULL, *text = NULL;
	size_t len = 0, blen = 0, plen = 0;
	uint32_t id = 0;
	unsigned char pk[32] = { 1 };
	unsigned char hashes[2][32] = { { 1 }, { 2 } };
	int rc;

	if ((rc = aims_note_keygen(&skey, &vkey, "example.com/log")) < 0 ||
	    (rc = aims_note_key_id(&id, "x", pk)) < 0 ||
	    (rc = aims_note_signer_parse(&s, PETER_SKEY)) < 0 ||
	    (rc = aims_note_sign(&note, &len, TEXT, strlen(TEXT), s)) < 0 ||
	    (rc = aims_note_open(&n, TEXT "\n" PETER_SIG ENOCH_SIG, strlen(TEXT "\n" PETER_SIG ENOCH_SIG),
				 both, 2)) < 0 ||
	    (rc = aims_note_verify(&text, NULL, note, len, peter, 1)) < 0 ||
	    (rc = aims_checkpoint_format(&body, &blen, "o", 5, root1, NULL, 0)) < 0 ||
	    (rc = aims_checkpoint_parse(&cp, body, blen)) < 0 ||
	    (rc = aims_tlog_proof_format(&proof, &plen, 1, (const unsigned char *)"x", 1,
					 (const unsigned char (*)[32])hashes, 2, GO_NOTE,
					 strlen(GO_NOTE))) < 0 ||
	    (rc = aims_tlog_proof_parse(&p, proof, plen)) < 0)
		goto done;
	rc = aims_note_verify(NULL, NULL, GO_NOTE, strlen(GO_NOTE), NULL, 0);
	rc = rc == AIMS_ETAMPERED ? 0 : rc;
done:
	aims_tlog_proof_free(p);
	aims_checkpoint_free(cp);
	aims_note_free(n);
	aims_note_signer_free(s);
	aims_note_secret_free(skey);
	free(vkey);
	free(note);
	free(body);
	free(proof);
	free(text);
	return rc;
}

static void test_allocation_failures(void **state)
{
	(void)state;
	for (unsigned long k = 1; k < 1000; k++) {
		aims__alloc_fail_after(k);
		int rc = run_everything();
		aims__alloc_fail_after(0);
		if (rc == 0)
			return;
		if (rc != AIMS_ENOMEM)
			fail_msg("allocation %lu failing gave %d: %s", k, rc, aims_error_last());
	}
	fail_msg("never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go_vector_verifies),
		cmocka_unit_test(test_go_vector_sign_is_byte_exact),
		cmocka_unit_test(test_go_open_two_signers),
		cmocka_unit_test(test_go_vector_tampered),
		cmocka_unit_test(test_key_ids),
		cmocka_unit_test(test_mangled_keys_refused),
		cmocka_unit_test(test_keygen_sign_verify),
		cmocka_unit_test(test_malformed_notes),
		cmocka_unit_test(test_signature_counts),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_key_file),
		cmocka_unit_test(test_checkpoint_round_trip),
		cmocka_unit_test(test_checkpoint_refusals),
		cmocka_unit_test(test_checkpoint_open),
		cmocka_unit_test(test_tlog_proof_round_trip),
		cmocka_unit_test(test_tlog_proof_refusals),
		cmocka_unit_test(test_tlog_proof_verify),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
