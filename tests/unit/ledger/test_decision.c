/*
 * Unit tests of the AI decision logs (include/aims/decision.h): the
 * canonical record form, and the scanner equal to the jansson reference
 * byte for byte (crafted cases, millions of numbers); append / commit /
 * rollback / reopen, the streaming ingest (input in odd pieces, a bad last
 * line rolls everything back, idempotent retries), receipts verified
 * offline, verification and tampering, foreign appends and the torn tail
 * of an uncommitted batch, pruning, and allocation failures on the
 * canonicalizer.
 */
#include "helpers.h"

#include <fcntl.h>
#include <sys/wait.h>

#include "aims/decision.h"
#include "aims/ledger.h"
#include "aims/merkle.h"
#include "core/core.h"
#include "ledger/decision_internal.h"
#include "store/store_internal.h"

static const char *D64 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static char *canon(const char *line)
{
	char *c = NULL;
	size_t n;
	assert_aims_ok(aims_decision_canonical(&c, &n, line, strlen(line)));
	assert_int_equal(n, strlen(c));
	return c;
}

static void test_canonical_form(void **state)
{
	(void)state;
	char line[1024], *c;
	snprintf(line, sizeof(line), "{ \"time\": \"2026-01-02T03:04:05.5+01:00\", \"output\": {\"z\": 1, "
		 "\"a\": \"\xc3\xa9\"}, \"model\": \"m@1\", \"input_digest\": \"%s\", \"confidence\": 1.0, "
		 "\"review\": {\"reviewer\": \"r\", \"action\": \"accept\"} }", D64);
	c = canon(line);
	char want[1024];
	snprintf(want, sizeof(want), "{\"confidence\":1,\"input_digest\":\"%s\",\"model\":\"m@1\","
		 "\"output\":{\"a\":\"\\u00E9\",\"z\":1},\"review\":{\"action\":\"accept\",\"reviewer\":\"r\"},"
		 "\"time\":\"2026-01-02T03:04:05.5+01:00\"}", D64);
	assert_string_equal(c, want);
	free(c);
	/* confidence: shortest decimal, at most 6 places */
	snprintf(line, sizeof(line), "{\"time\":\"2026-01-02T03:04:05Z\",\"model_digest\":\"%s\","
		 "\"input_digest\":\"%s\",\"output\":null,\"confidence\":0.125000}", D64, D64);
	c = canon(line);
	assert_non_null(strstr(c, "{\"confidence\":0.125,"));
	free(c);
}

static void test_canonical_refusals(void **state)
{
	(void)state;
	char line[1024];
	char *c = NULL;
	size_t n;
	struct { const char *fmt; const char *needle; } cases[] = {
		{ "{\"time\":\"2026-01-02 03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1}", "time" },
		{ "{\"time\":\"2026-02-30T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1}", "time" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m\",\"input_digest\":\"%s\",\"output\":1}", "model" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"input_digest\":\"%s\",\"output\":1}", "model" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%sA\",\"output\":1}", "input_digest" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\"}", "output" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1,\"confidence\":1.5}", "confidence" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1,\"confidence\":0.1234567}", "6 decimal" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1,\"review\":{\"reviewer\":\"x\",\"action\":\"maybe\"}}", "review.action" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1,\"x\":2}", "unknown key 'x'" },
		{ "{\"time\":\"2026-01-02T03:04:05Z\",\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"%s\",\"output\":1}", "duplicate" },
		{ "[\"%s\"]", "object" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), cases[i].fmt, D64);
		assert_aims_error(aims_decision_canonical(&c, &n, line, strlen(line)), AIMS_EINVALID,
				  cases[i].needle);
		assert_null(c);
	}
}

static void test_canonical_alloc_failures(void **state)
{
	(void)state;
	char line[512], *c;
	size_t n;
	snprintf(line, sizeof(line), "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":"
		 "\"%s\",\"output\":{\"a\":[1,2,3]},\"confidence\":0.5,\"explanation\":\"e\"}", D64);
	for (unsigned long k = 1; k < 200; k++) {
		aims__alloc_fail_after(k);
		int rc = aims_decision_canonical(&c, &n, line, strlen(line));
		aims__alloc_fail_after(0);
		if (rc == 0) {
			free(c);
			break;
		}
		assert_true(rc == AIMS_ENOMEM || rc == AIMS_EINVALID);
		assert_null(c);
	}
}

/* the scanner and the jansson reference agree: both refuse, or both give these bytes */
static void same_as_reference(aims__dcanon *c, char *out, const char *line, size_t n, int want_ok)
{
	char *ref = NULL;
	size_t rlen = 0, slen = 0;
	int rr = aims__decision_canonical_ref(&ref, &rlen, line, n);
	int rs = aims__dcanon_run(c, out, &slen, line, n, NULL);
	if ((rr == 0) != (rs == 0))
		fail_msg("scanner %d, reference %d on: %.*s", rs, rr, (int)(n > 300 ? 300 : n), line);
	if (want_ok >= 0 && (rs == 0) != want_ok)
		fail_msg("expected %s: %.*s (%s)", want_ok ? "accepted" : "refused", (int)(n > 300 ? 300 : n), line,
			 aims_error_last());
	if (rs == 0 && (slen != rlen || memcmp(out, ref, rlen) != 0))
		fail_msg("bytes differ:\n%.*s\n%s", (int)slen, out, ref);
	free(ref);
}

static void test_scanner_equals_reference(void **state)
{
	(void)state;
	aims__dcanon *c;
	char *out = malloc(AIMS_DECISION_RECORD_MAX), line[4096];
	const char *head = "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":"
			   "\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":";
	struct { const char *output; int ok; } cases[] = {
		{ "{\"z\":{\"b\":1,\"a\":[{\"y\":2,\"x\":3}]},\"\\u0061\":\"\\ud83d\\ude00\\u007f\x7f\xc3\xa9\\/\"}", 1 },
		{ "{\"\\n\":1,\"A\":2,\"\\u00e9\":3,\"\":4,\"aa\":5,\"a\":6}", 1 },  /* sorted by bytes, not by escapes */
		{ "[9223372036854775807,-9223372036854775808,9223372036854775808,-99999999999999999999]", 1 },
		{ "[1e-400,-0,-0.0,0.1,1E5,1e22,1e23,123456789012345678,4.9e-324,1.7976931348623157e308]", 1 },
		{ "[100000000000000.125,100000000000000.375,0.30000000000000004,2.5e-5,9.9999999999999995e-6]", 1 },
		{ "1e400", 0 }, { "-1e400", 0 }, { "01", 0 }, { "1.", 0 }, { ".5", 0 }, { "+1", 0 }, { "1e", 0 },
		{ "{\"a\":1,\"a\":2}", 0 }, { "{\"a\":1,\"\\u0061\":2}", 0 }, { "[{\"b\":{\"c\":1,\"c\":1}}]", 0 },
		{ "\"\\u0000\"", 0 }, { "\"\\ud800\"", 0 }, { "\"\\udc00\"", 0 }, { "\"\\ud800\\u0041\"", 0 },
		{ "\"\xed\xa0\x80\"", 0 }, { "\"\xc0\xaf\"", 0 }, { "\"\xf4\x90\x80\x80\"", 0 }, { "\"\xc3\"", 0 },
		{ "\"a\tb\"", 0 }, { "\"\\x\"", 0 }, { "\"\\u12g4\"", 0 }, { "[1,]", 0 }, { "{\"a\":}", 0 },
		{ "tru", 0 }, { "nul", 0 }, { "[true,false,null]", 1 }, { "\"\\b\\f\\n\\r\\t\\\"\\\\\"", 1 },
		{ "{}", 1 }, { "[]", 1 }, { "\"\x01\"", 0 }, { "\xc3\xa9", 0 },
	};
	assert_aims_ok(aims__dcanon_new(&c));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(line, sizeof(line), "%s%s}", head, cases[i].output);
		same_as_reference(c, out, line, (size_t)n, cases[i].ok);
	}
	/* field rules, white space, CR, trailing garbage, other top levels */
	const char *lines[] = {
		"  {\"output\":1,\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
		"\"model_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\r"
		"\"time\":\"2026-01-02T03:04:05.123456789-01:30\",\"confidence\":0.000001,\"explanation\":\"\\u2028\"}\t",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"a@b@c\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1} x",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"@b\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"a@\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"a\\u0040b\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"confidence\":1}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"a\\u007fb@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"review\":{\"reviewer\":\"\\u00e9\",\"action\":\"accept\",\"reason\":\"r\"}}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"review\":{\"action\":\"override\",\"reviewer\":\"r\",\"extra\":1}}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"review\":{\"action\":\"accept\",\"reviewer\":\"\"}}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"confidence\":\"0.5\"}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"confidence\":99999999999999999999}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"explanation\":2}",
		"{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":1,\"time\":\"2026-01-02T03:04:05Z\"}",
		"[{\"time\":1}]", "", "   ", "{", "{\"time\"", "null", "{}", "{\"\\u0074ime\":\"2026-01-02T03:04:05Z\"}",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		same_as_reference(c, out, lines[i], strlen(lines[i]), -1);
	/* a NUL byte is refused wherever it is (jansson would skip one after a number or a literal) */
	{
		static const char nul_after[] = "{\"time\":\"2026-01-02T03:04:05Z\",\"model\":\"m@1\",\"input_digest\":"
			"\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"output\":[1\0,true\0]}";
		same_as_reference(c, out, nul_after, sizeof(nul_after) - 1, 0);
	}
	/* nesting: 2048 values deep is the most (the record object is the first) */
	for (int depth = 2046; depth <= 2048; depth++) {
		aims_buf b = AIMS_BUF_INIT;
		assert_aims_ok(aims_buf_puts(&b, head));
		for (int k = 0; k < depth - 1; k++)
			assert_aims_ok(aims_buf_putc(&b, '['));
		assert_aims_ok(aims_buf_puts(&b, "1"));
		for (int k = 0; k < depth - 1; k++)
			assert_aims_ok(aims_buf_putc(&b, ']'));
		assert_aims_ok(aims_buf_putc(&b, '}'));
		same_as_reference(c, out, b.ptr, b.len, depth < 2048);
		aims_buf_release(&b);
	}
	/* a canonical record of exactly the limit, and one byte more (DEL is written as 6 bytes) */
	for (int extra = 0; extra < 2; extra++) {
		aims_buf b = AIMS_BUF_INIT;
		size_t base = strlen(head) + 3;  /* head, the two quotes, the closing brace */
		assert_aims_ok(aims_buf_puts(&b, head));
		assert_aims_ok(aims_buf_putc(&b, '"'));
		size_t fill = AIMS_DECISION_RECORD_MAX - base + (size_t)extra;
		for (size_t k = 0; k < fill % 6; k++)
			assert_aims_ok(aims_buf_putc(&b, 'x'));
		for (size_t k = 0; k < fill / 6; k++)
			assert_aims_ok(aims_buf_putc(&b, 0x7f));
		assert_aims_ok(aims_buf_puts(&b, "\"}"));
		same_as_reference(c, out, b.ptr, b.len, extra == 0);
		aims_buf_release(&b);
	}
	/* numbers: every kind of double, printed as the reference (glibc) prints them */
	uint64_t st = 88172645463325252ULL;
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(line, sizeof(line), "%s[", head);
		for (int k = 0; k < 16; k++) {
			double d;
			uint64_t r;
			st ^= st << 13, st ^= st >> 7, st ^= st << 17;
			r = st;
			switch (r % 4) {
			case 0: memcpy(&d, &r, 8); if (!isfinite(d)) d = 0.5; break;
			case 1: d = ldexp((double)(r >> 11), (int)(r % 140) - 120); break;
			case 2: d = (double)(r % 100000000000000000ULL) / 8.0; break;
			default: d = (double)(r % 1000000) / pow(10, (int)(r % 12)); break;
			}
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%.17g", k ? "," : "", (r & 1) ? -d : d);
		}
		n += snprintf(line + n, sizeof(line) - (size_t)n, "]}");
		same_as_reference(c, out, line, (size_t)n, 1);
	}
	aims__dcanon_free(c);
	free(out);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(aims_decision_name_valid("credit-scoring_v2.1"));
	assert_false(aims_decision_name_valid(""));
	assert_false(aims_decision_name_valid(".."));
	assert_false(aims_decision_name_valid("a/b"));
	assert_false(aims_decision_name_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

typedef struct {
	aims_store *store;
	aims_note_signer *signer;
	char *vkey;
} fixture;

static int setup(void **state)
{
	static int n;
	char db[64];
	fixture *f = calloc(1, sizeof(*f));
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	char *skey;
	so.create = 1;
	snprintf(db, sizeof(db), "d%d.db", n++);
	assert_aims_ok(aims_store_open(&f->store, test_path(db), &so));
	assert_aims_ok(aims_note_keygen(&skey, &f->vkey, "test.example/aims"));
	assert_aims_ok(aims_note_signer_parse(&f->signer, skey));
	aims_note_secret_free(skey);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	aims_note_signer_free(f->signer);
	free(f->vkey);
	aims_store_free(f->store);
	free(f);
	return 0;
}

static void record(char *out, size_t size, int i)
{
	snprintf(out, size, "{\"input_digest\":\"%s\",\"model\":\"m@1\",\"output\":%d,"
		 "\"time\":\"2026-01-01T00:00:00Z\"}", D64, i);
}

static void append_n(fixture *f, const char *sys, int from, int n)
{
	aims_decision_log *l;
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	char rec[256];
	o.create = 1;
	o.signer = f->signer;
	assert_aims_ok(aims_decision_open(&l, f->store, sys, &o));
	assert_int_equal(aims_decision_size(l), (uint64_t)from);
	for (int i = from; i < from + n; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_decision_append(l, rec, strlen(rec)));
	}
	assert_aims_ok(aims_decision_close(l));
}

static void test_append_verify_receipt(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	uint64_t n = 0, idx = 0;
	aims_decision_log *l;
	char *receipt, rec[256];
	size_t rlen;

	assert_aims_error(aims_decision_open(&l, f->store, "s1", NULL), AIMS_ENOTFOUND, "no decision log");
	append_n(f, "s1", 0, 1000);
	append_n(f, "s1", 1000, 77);
	assert_aims_ok(aims_decision_verify(f->store, "s1", keys, 1, &n));
	assert_int_equal(n, 1077);

	assert_aims_ok(aims_decision_open(&l, f->store, "s1", NULL));
	assert_aims_ok(aims_decision_receipt(&receipt, &rlen, l, 1050));
	record(rec, sizeof(rec), 1050);
	assert_aims_ok(aims_decision_verify_receipt(&idx, receipt, rlen, NULL, 0, keys, 1));
	assert_int_equal(idx, 1050);
	assert_aims_ok(aims_decision_verify_receipt(&idx, receipt, rlen, rec, strlen(rec), keys, 1));
	record(rec, sizeof(rec), 1051);
	assert_aims_error(aims_decision_verify_receipt(&idx, receipt, rlen, rec, strlen(rec), keys, 1),
			  AIMS_ETAMPERED, "not the record");
	free(receipt);
	assert_aims_error(aims_decision_receipt(&receipt, &rlen, l, 1077), AIMS_ENOTFOUND, "1077");

	/* proofs from tiles agree with the root */
	uint8_t root[32], (*proof)[32], leaf[32];
	size_t plen;
	record(rec, sizeof(rec), 300);
	assert_aims_ok(aims_merkle_leaf_hash(leaf, rec, strlen(rec)));
	assert_aims_ok(aims_decision_root(root, l, 1000));
	assert_aims_ok(aims_decision_inclusion_proof(&proof, &plen, l, 300, 1000));
	assert_aims_ok(aims_merkle_verify_inclusion(300, 1000, leaf, (const uint8_t (*)[32])proof, plen, root));
	aims_merkle_proof_free(proof);
	uint8_t root2[32];
	assert_aims_ok(aims_decision_root(root2, l, 1077));
	assert_aims_ok(aims_decision_consistency_proof(&proof, &plen, l, 1000, 1077));
	assert_aims_ok(aims_merkle_verify_consistency(1000, 1077, root, root2, (const uint8_t (*)[32])proof, plen));
	aims_merkle_proof_free(proof);
	aims_decision_free(l);

	char **names;
	size_t count;
	assert_aims_ok(aims_decision_logs(&names, &count, f->store));
	assert_int_equal(count, 1);
	assert_string_equal(names[0], "s1");
	aims_decision_logs_free(names, count);
}

static void flip(const char *path, long off)
{
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	int c = fgetc(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	fputc(c ^ 0x10, fp);
	fclose(fp);
}

static void test_tamper_and_foreign_append(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	char path[PATH_MAX + 128];
	uint64_t n;
	aims_decision_log *l;
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_recovery r;
	struct stat st;
	append_n(f, "s2", 0, 600);

	/* bytes after the committed end that no ingest was writing: refused by every opener */
	snprintf(path, sizeof(path), "%s.ledger/decision/s2/entries", aims_store_location(f->store));
	assert_int_equal(stat(path, &st), 0);
	off_t committed = st.st_size;
	FILE *fp = fopen(path, "ab");
	assert_non_null(fp);
	fwrite("\0\0\0\x50{\"in", 1, 8, fp);
	fclose(fp);
	assert_aims_error(aims_decision_verify(f->store, "s2", keys, 1, &n), AIMS_ETAMPERED, "foreign append");
	o.write = 1;
	o.signer = f->signer;
	assert_aims_error(aims_decision_open(&l, f->store, "s2", &o), AIMS_ETAMPERED, "not written by aims");
	assert_aims_error(aims_decision_open(&l, f->store, "s2", NULL), AIMS_ETAMPERED, "foreign append");
	assert_aims_error(aims_decision_recover(&r, f->store, "s2", f->signer, 0), AIMS_ETAMPERED, "foreign");
	assert_aims_ok(aims_decision_recover(&r, f->store, "s2", f->signer, 1));
	assert_int_equal(r.cut_bytes, 8);
	assert_true(r.foreign);
	assert_int_equal(r.offset, (uint64_t)committed);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, committed);
	assert_aims_ok(aims_decision_verify(f->store, "s2", keys, 1, &n));
	assert_int_equal(n, 600);
	append_n(f, "s2", 600, 1);

	/* a flipped byte in record 0: its body starts at byte 4 */
	flip(path, 20);
	assert_aims_error(aims_decision_verify(f->store, "s2", keys, 1, &n), AIMS_ETAMPERED,
			  "entry 0 no longer verifies");
	flip(path, 20);
	assert_aims_ok(aims_decision_verify(f->store, "s2", keys, 1, &n));
	/* a flipped byte in a tile */
	snprintf(path, sizeof(path), "%s.ledger/decision/s2/tile0.pack", aims_store_location(f->store));
	flip(path, 8192 + 32 * 7 + 3);
	assert_aims_error(aims_decision_verify(f->store, "s2", keys, 1, &n), AIMS_ETAMPERED, "entry 263");
	flip(path, 8192 + 32 * 7 + 3);
	assert_aims_ok(aims_decision_verify(f->store, "s2", keys, 1, &n));
	/* a committed root changed in the store: writers and verify refuse the log */
	assert_aims_ok(aims__store_exec(f->store, "UPDATE ledger_decision_heads SET root = zeroblob(32) "
					"WHERE log = 'decision/s2'"));
	assert_aims_error(aims_decision_open(&l, f->store, "s2", &o), AIMS_ETAMPERED, "root committed");
	assert_aims_error(aims_decision_verify(f->store, "s2", keys, 1, &n), AIMS_ETAMPERED, "root committed");
	/* and a head deleted from the store */
	assert_aims_ok(aims__store_exec(f->store, "DELETE FROM ledger_decision_heads WHERE log = 'decision/s2'"));
	assert_aims_error(aims_decision_open(&l, f->store, "s2", NULL), AIMS_ETAMPERED, "head is missing");
}

static off_t entries_size(fixture *f, const char *sys)
{
	char path[PATH_MAX + 128];
	struct stat st;
	snprintf(path, sizeof(path), "%s.ledger/decision/%s/entries", aims_store_location(f->store), sys);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void test_commit_rollback_torn_tail(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_commit_info info;
	aims_decision_recovery r;
	aims_decision_log *l;
	char rec[256];
	uint64_t n;

	append_n(f, "s4", 0, 100);
	off_t committed = entries_size(f, "s4");
	o.create = 1;
	o.signer = f->signer;
	/* freed without a commit: removed */
	assert_aims_ok(aims_decision_open(&l, f->store, "s4", &o));
	for (int i = 100; i < 150; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_decision_append(l, rec, strlen(rec)));
	}
	assert_int_equal(aims_decision_size(l), 150);
	assert_int_equal(aims_decision_durable_size(l), 100);
	aims_decision_free(l);
	assert_int_equal(entries_size(f, "s4"), committed);
	/* rolled back, then a commit with a key; the same records again are a duplicate */
	assert_aims_ok(aims_decision_open(&l, f->store, "s4", &o));
	assert_int_equal(aims_decision_size(l), 100);
	for (int i = 100; i < 600; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_decision_append(l, rec, strlen(rec)));
	}
	assert_aims_ok(aims_decision_rollback(l));
	assert_int_equal(aims_decision_size(l), 100);
	for (int i = 100; i < 110; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_decision_append(l, rec, strlen(rec)));
	}
	assert_aims_ok(aims_decision_commit(l, "batch-1", &info));
	assert_int_equal(info.first, 100);
	assert_int_equal(info.count, 10);
	assert_int_equal(info.size, 110);
	assert_false(info.duplicate);
	assert_null(info.checkpoint_error);
	char digest[72];
	snprintf(digest, sizeof(digest), "%s", info.digest);
	for (int i = 100; i < 110; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_decision_append(l, rec, strlen(rec)));
	}
	assert_aims_ok(aims_decision_commit(l, NULL, &info));
	assert_true(info.duplicate);
	assert_int_equal(info.first, 100);
	assert_int_equal(info.size, 110);
	assert_string_equal(info.digest, digest);
	record(rec, sizeof(rec), 110);
	assert_aims_ok(aims_decision_append(l, rec, strlen(rec)));
	assert_aims_error(aims_decision_commit(l, "batch-1", &info), AIMS_ECONFLICT, "another batch");
	assert_int_equal(aims_decision_size(l), 110);
	aims_decision_free(l);
	assert_aims_ok(aims_decision_verify(f->store, "s4", keys, 1, &n));
	assert_int_equal(n, 110);
	committed = entries_size(f, "s4");

	/* a writer killed before its commit: a child process appends until bytes reach the file */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		aims_store *cs = NULL;
		aims_store_options so = AIMS_STORE_OPTIONS_INIT;
		aims_decision_log *cl;
		if (aims_store_open(&cs, aims_store_location(f->store), &so) < 0 ||
		    aims_decision_open(&cl, cs, "s4", &o) < 0)
			_exit(2);
		for (int i = 0; i < 2000000; i++) {
			struct stat st;
			char path[PATH_MAX + 128];
			record(rec, sizeof(rec), 1000 + i);
			if (aims_decision_append(cl, rec, strlen(rec)) < 0)
				_exit(3);
			snprintf(path, sizeof(path), "%s.ledger/decision/s4/entries", aims_store_location(cs));
			if ((i & 1023) == 0 && stat(path, &st) == 0 && st.st_size > committed + 4096)
				_exit(0);  /* as if killed: no commit, no cleanup */
		}
		_exit(4);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	off_t torn = entries_size(f, "s4");
	assert_true(torn > committed);
	/* readers see the committed records; writers refuse until recovered */
	assert_aims_ok(aims_decision_open(&l, f->store, "s4", NULL));
	assert_int_equal(aims_decision_size(l), 110);
	aims_decision_free(l);
	assert_aims_ok(aims_decision_verify(f->store, "s4", keys, 1, &n));
	assert_int_equal(n, 110);
	assert_aims_error(aims_decision_open(&l, f->store, "s4", &o), AIMS_ECONFLICT, "aims decision recover");
	assert_aims_ok(aims_decision_recover(&r, f->store, "s4", f->signer, 0));
	assert_int_equal(r.cut_bytes, (uint64_t)(torn - committed));
	assert_false(r.foreign);
	assert_int_equal(entries_size(f, "s4"), committed);
	assert_aims_ok(aims_decision_recover(&r, f->store, "s4", f->signer, 0));
	assert_int_equal(r.cut_bytes, 0);
	append_n(f, "s4", 110, 300);
	assert_aims_ok(aims_decision_verify(f->store, "s4", keys, 1, &n));
	assert_int_equal(n, 410);
}

/* an input served in pieces of `chunk` bytes */
typedef struct {
	const char *data;
	size_t len, pos, chunk;
} mem_src;

static int64_t mem_read(void *buf, size_t len, void *arg)
{
	mem_src *m = arg;
	size_t n = m->len - m->pos;
	if (n > len)
		n = len;
	if (n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (int64_t)n;
}

static int refuse_x(void *arg, const char *model, size_t len, const char *digest)
{
	(void)arg;
	(void)digest;
	if (model && len == 3 && memcmp(model, "x@2", 3) == 0)
		return aims__err(AIMS_EINVALID, "model: 'x@2' is not registered");
	return 0;
}

static int ingest_mem(aims_decision_log *l, aims_decision_commit_info *info, const char *data, size_t len,
		      size_t chunk, const char *key)
{
	aims_decision_ingest_options io = AIMS_DECISION_INGEST_OPTIONS_INIT;
	mem_src m = { data, len, 0, chunk };
	io.read = mem_read;
	io.read_arg = &m;
	io.name = "mem.ndjson";
	io.idempotency_key = key;
	io.check = refuse_x;
	return aims_decision_ingest(l, info, &io);
}

static void test_streaming_ingest(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_commit_info info;
	aims_decision_log *l;
	aims_buf in = AIMS_BUF_INIT, bad = AIMS_BUF_INIT;
	char rec[256];
	uint64_t n;

	/* 3000 records with CR LF, blank lines and a last line without a newline */
	for (int i = 0; i < 3000; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_buf_printf(&in, "%s%s%s", i % 7 == 0 ? "  \n" : "", rec,
					       i == 2999 ? "" : i % 3 == 0 ? "\r\n" : "\n"));
	}
	o.create = 1;
	o.signer = f->signer;
	assert_aims_ok(aims_decision_open(&l, f->store, "s5", &o));
	assert_aims_ok(ingest_mem(l, &info, in.ptr, in.len, 7, NULL));
	assert_int_equal(info.count, 3000);
	assert_int_equal(info.size, 3000);
	assert_aims_ok(ingest_mem(l, &info, in.ptr, in.len, (size_t)1 << 20, NULL));
	assert_true(info.duplicate);
	assert_int_equal(aims_decision_size(l), 3000);
	off_t committed = entries_size(f, "s5");

	/* a bad last line: nothing of the batch is left, whatever was written already */
	for (int i = 3000; i < 40000; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_buf_printf(&bad, "%s\n", rec));
	}
	assert_aims_ok(aims_buf_puts(&bad, "{\"time\":\"2026-01-01T00:00:00Z\"}\n"));
	assert_aims_error(ingest_mem(l, &info, bad.ptr, bad.len, 65536, NULL), AIMS_EINVALID,
			  "'mem.ndjson' line 37001: model");
	assert_int_equal(aims_decision_size(l), 3000);
	assert_int_equal(entries_size(f, "s5"), committed);
	/* the check refuses a record: its line and value */
	aims_buf_clear(&bad);
	record(rec, sizeof(rec), 3000);
	assert_aims_ok(aims_buf_printf(&bad, "%s\n", rec));
	char *at = strstr(rec, "m@1");
	memcpy(at, "x@2", 3);
	assert_aims_ok(aims_buf_printf(&bad, "%s\n", rec));
	assert_aims_error(ingest_mem(l, &info, bad.ptr, bad.len, 100, NULL), AIMS_EINVALID,
			  "'mem.ndjson' line 2: model: 'x@2'");
	/* a line longer than a record may be */
	aims_buf_clear(&bad);
	for (size_t k = 0; k < AIMS_DECISION_RECORD_MAX + 10; k++)
		assert_aims_ok(aims_buf_putc(&bad, ' '));
	assert_aims_error(ingest_mem(l, &info, bad.ptr, bad.len, 1 << 16, NULL), AIMS_EINVALID, "line 1: record longer");
	/* idempotency keys */
	aims_buf_clear(&bad);
	for (int i = 3000; i < 3005; i++) {
		record(rec, sizeof(rec), i);
		assert_aims_ok(aims_buf_printf(&bad, "%s\n", rec));
	}
	assert_aims_ok(ingest_mem(l, &info, bad.ptr, bad.len, 4096, "req-1"));
	assert_int_equal(info.first, 3000);
	assert_int_equal(info.count, 5);
	assert_aims_ok(ingest_mem(l, &info, bad.ptr, bad.len, 4096, "req-1"));
	assert_true(info.duplicate);
	record(rec, sizeof(rec), 3005);
	assert_aims_error(ingest_mem(l, &info, rec, strlen(rec), 4096, "req-1"), AIMS_ECONFLICT, "req-1");
	assert_int_equal(aims_decision_size(l), 3005);
	assert_aims_ok(aims_decision_close(l));
	assert_aims_ok(aims_decision_verify(f->store, "s5", keys, 1, &n));
	assert_int_equal(n, 3005);
	aims_buf_release(&in);
	aims_buf_release(&bad);
}

/* the model check of test_chunked_ingest: counts its calls, refuses models named bad@... */
static int check_count(void *arg, const char *model, size_t len, const char *digest)
{
	int *calls = arg;
	(void)digest;
	(*calls)++;
	if (model && len >= 4 && memcmp(model, "bad@", 4) == 0)
		return aims__err(AIMS_EINVALID, "model: '%.*s' is not registered", (int)len, model);
	return 0;
}

typedef struct {
	char **want;   /* the canonical form of each record, in input order */
	size_t *wlen, n, seen;
	int mismatch;
} readback;

static int compare_back(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	readback *r = arg;
	(void)leaf;
	if (index != r->seen || index >= r->n || len != r->wlen[index] || memcmp(data, r->want[index], len) != 0)
		r->mismatch = 1;
	r->seen++;
	return 0;
}

/* NDJSON of n records (keys out of order, lengths varying, CR LF, blank lines, a record of
 * about 900 KiB) with, when asked, line `bad_line` naming model bad@1 and line `syntax_line` cut short */
static void chunked_input(aims_buf *in, int n, int bad_line, int syntax_line, int *lines)
{
	int line = 0;
	aims_buf_clear(in);
	for (int i = 0; i < n; i++) {
		if (i % 997 == 0) {
			assert_aims_ok(aims_buf_puts(in, i % 2 ? "\n" : " \t\r\n"));
			line++;
		}
		line++;
		const char *model = line == bad_line ? "bad@1" : i % 3 == 0 ? "a@1" : i % 3 == 1 ? "b@2" : "c@3";
		assert_aims_ok(aims_buf_printf(in, "{\"time\":\"2026-01-01T00:00:%02d.%03dZ\",\"model\":\"%s\","
					   "\"output\":{\"score\":0.%d,\"decision\":\"%s\",\"n\":%d},"
					   "\"input_digest\":\"%s\",\"confidence\":0.%02d,\"explanation\":\"",
					   i % 60, i % 1000, model, i, i % 2 ? "approve" : "deny", i, D64, i % 100));
		size_t pad = i == n / 3 ? (size_t)900 << 10 : (size_t)(i * 7919 % 400);
		for (size_t k = 0; k < pad; k++)
			assert_aims_ok(aims_buf_putc(in, (char)('a' + (int)(k % 26))));
		assert_aims_ok(aims_buf_puts(in, line == syntax_line ? "\"\n" : i % 5 == 0 ? "\"}\r\n" : "\"}\n"));
	}
	*lines = line;
}

/* an ingest of several chunks (canonicalized on two threads): every record in input order, and the
 * first bad line of the input named with its line number, whichever thread found it */
static void test_chunked_ingest(void **state)
{
	fixture *f = *state;
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_ingest_options io = AIMS_DECISION_INGEST_OPTIONS_INIT;
	aims_decision_commit_info info;
	aims_decision_log *l;
	aims_buf in = AIMS_BUF_INIT;
	int calls = 0, lines = 0, n = 40000;
	char msg[160];

	o.create = 1;
	o.signer = f->signer;
	assert_aims_ok(aims_decision_open(&l, f->store, "s7", &o));
	io.read = mem_read;
	io.name = "big.ndjson";
	io.check = check_count;
	io.check_arg = &calls;

	/* good: every record, in order, equal to its canonical form computed alone */
	chunked_input(&in, n, 0, 0, &lines);
	assert_true(in.len > (size_t)8 << 20);   /* several chunks of the reading */
	mem_src m = { in.ptr, in.len, 0, 65536 };
	io.read_arg = &m;
	assert_aims_ok(aims_decision_ingest(l, &info, &io));
	assert_int_equal(info.count, n);
	/* the check's answer is remembered per thread: three models, two threads */
	assert_in_range(calls, 3, 6);
	readback r = { calloc((size_t)n, sizeof(char *)), calloc((size_t)n, sizeof(size_t)), (size_t)n, 0, 0 };
	assert_non_null(r.want);
	assert_non_null(r.wlen);
	size_t k = 0;
	for (const char *p = in.ptr, *end = in.ptr + in.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = (size_t)(nl - p);
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		if (strspn(p, " \t\r") < ll) {
			assert_true(k < (size_t)n);
			assert_aims_ok(aims_decision_canonical(&r.want[k], &r.wlen[k], p, ll));
			k++;
		}
		p = nl + 1;
	}
	assert_int_equal(k, n);
	assert_aims_ok(aims_decision_foreach(l, 0, 0, compare_back, &r));
	assert_int_equal(r.seen, n);
	assert_false(r.mismatch);
	for (size_t i = 0; i < (size_t)n; i++)
		free(r.want[i]);
	free(r.want);
	free(r.wlen);
	off_t committed = entries_size(f, "s7");

	/* a refused model late in the input, then also a line cut short earlier in another chunk */
	int late = lines - 100, early = lines / 4;
	chunked_input(&in, n, late, 0, &lines);
	mem_src m2 = { in.ptr, in.len, 0, (size_t)1 << 20 };
	io.read_arg = &m2;
	snprintf(msg, sizeof(msg), "'big.ndjson' line %d: model: 'bad@1' is not registered", late);
	assert_aims_error(aims_decision_ingest(l, &info, &io), AIMS_EINVALID, msg);
	chunked_input(&in, n, late, early, &lines);
	mem_src m3 = { in.ptr, in.len, 0, 4096 };
	io.read_arg = &m3;
	snprintf(msg, sizeof(msg), "'big.ndjson' line %d: column", early);
	assert_aims_error(aims_decision_ingest(l, &info, &io), AIMS_EINVALID, msg);
	/* a line longer than a record may be, in the middle */
	chunked_input(&in, n, 0, 0, &lines);
	aims_buf big = AIMS_BUF_INIT;
	size_t half = in.len / 2;
	while (in.ptr[half - 1] != '\n')
		half++;
	assert_aims_ok(aims_buf_put(&big, in.ptr, half));
	for (size_t i = 0; i < AIMS_DECISION_RECORD_MAX + 2; i++)
		assert_aims_ok(aims_buf_putc(&big, 'x'));
	assert_aims_ok(aims_buf_put(&big, "\n", 1));
	assert_aims_ok(aims_buf_put(&big, in.ptr + half, in.len - half));
	int before = 0;
	for (size_t i = 0; i < half; i++)
		before += in.ptr[i] == '\n';
	mem_src m4 = { big.ptr, big.len, 0, 65536 };
	io.read_arg = &m4;
	snprintf(msg, sizeof(msg), "'big.ndjson' line %d: record longer than", before + 1);
	assert_aims_error(aims_decision_ingest(l, &info, &io), AIMS_EINVALID, msg);
	assert_int_equal(aims_decision_size(l), n);
	assert_int_equal(entries_size(f, "s7"), committed);
	aims_buf_release(&big);
	aims_buf_release(&in);
	assert_aims_ok(aims_decision_close(l));
}

static void test_prune(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	uint64_t n = 0, pruned = 0;
	/* the log is made on 2026-01-01 (the test clock), its records say 2026-01-01 */
	setenv("AIMS_TEST_NOW", "2026-01-01T00:00:00Z", 1);
	append_n(f, "s3", 0, 300);
	assert_aims_error(aims_decision_prune(f->store, "s3", 30, &pruned), AIMS_EINVALID, "183");
	/* half a year minus a day later, nothing is old enough */
	setenv("AIMS_TEST_NOW", "2026-07-02T00:00:00Z", 1);
	assert_aims_ok(aims_decision_prune(f->store, "s3", 0, &pruned));
	assert_int_equal(pruned, 0);
	/* keep the entries as they are before the prune, to replay a crash after its commit */
	char path[PATH_MAX + 128], old_path[PATH_MAX + 160], cmd[6 * PATH_MAX];
	snprintf(path, sizeof(path), "%s.ledger/decision/s3/entries", aims_store_location(f->store));
	snprintf(old_path, sizeof(old_path), "%s.before", path);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, old_path);
	assert_int_equal(system(cmd), 0);
	setenv("AIMS_TEST_NOW", "2027-01-01T00:00:00Z", 1);
	assert_aims_ok(aims_decision_prune(f->store, "s3", 0, &pruned));
	assert_int_equal(pruned, 300);
	unsetenv("AIMS_TEST_NOW");
	assert_aims_ok(aims_decision_verify(f->store, "s3", keys, 1, &n));
	assert_int_equal(n, 300);
	off_t pruned_size = entries_size(f, "s3");
	/* the store committed the prune, the new entries did not replace the old yet: the next open does it */
	snprintf(cmd, sizeof(cmd), "mv '%s' '%s.prune' && mv '%s' '%s'", path, path, old_path, path);
	assert_int_equal(system(cmd), 0);
	assert_true(entries_size(f, "s3") > pruned_size);
	aims_decision_log *l;
	assert_aims_ok(aims_decision_open(&l, f->store, "s3", NULL));
	aims_decision_free(l);
	assert_int_equal(entries_size(f, "s3"), pruned_size);
	assert_aims_ok(aims_decision_verify(f->store, "s3", keys, 1, &n));
	assert_int_equal(n, 300);
	append_n(f, "s3", 300, 5);
	assert_aims_ok(aims_decision_verify(f->store, "s3", keys, 1, &n));
	assert_int_equal(n, 305);
	assert_aims_error(aims_decision_set_retention(f->store, "s3", 100), AIMS_EINVALID, "183");
	assert_aims_ok(aims_decision_set_retention(f->store, "s3", 400));
	/* a log made now with records that say they are old: the log's own age counts */
	append_n(f, "s4", 0, 10);
	assert_aims_ok(aims_decision_prune(f->store, "s4", 0, &pruned));
	assert_int_equal(pruned, 0);
}

/* a log written before the store kept committed heads (migration 12) is adopted as it is, once */
static void test_legacy_log_adopted(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	aims_decision_log *l;
	aims_ledger_entries *gl;
	uint64_t n;
	append_n(f, "s6", 0, 600);
	/* written as before the pack: every full level-0 tile a file of its own */
	{
		char pack[PATH_MAX + 128], tile[PATH_MAX + 256], rel[AIMS_MERKLE_TILE_PATH_MAX];
		unsigned char t[8192];
		snprintf(pack, sizeof(pack), "%s.ledger/decision/s6/tile0.pack", aims_store_location(f->store));
		FILE *pf = fopen(pack, "rb");
		assert_non_null(pf);
		for (uint64_t i = 0; fread(t, 1, sizeof(t), pf) == sizeof(t); i++) {
			aims_merkle_tile mt = { 0, i, AIMS_MERKLE_TILE_WIDTH };
			assert_aims_ok(aims_merkle_tile_path(rel, sizeof(rel), &mt));
			snprintf(tile, sizeof(tile), "%s.ledger/decision/s6/%s", aims_store_location(f->store), rel);
			FILE *tf = fopen(tile, "wb");
			assert_non_null(tf);
			assert_int_equal(fwrite(t, 1, sizeof(t), tf), sizeof(t));
			fclose(tf);
		}
		fclose(pf);
		assert_int_equal(truncate(pack, 0), 0);
	}
	assert_aims_ok(aims__store_exec(f->store, "UPDATE ledger_decision_heads SET size = NULL, end_offset = NULL, "
					"root = NULL WHERE log = 'decision/s6'"));
	assert_aims_ok(aims_decision_verify(f->store, "s6", keys, 1, &n));
	assert_int_equal(n, 600);
	assert_aims_ok(aims_decision_open(&l, f->store, "s6", NULL));
	assert_int_equal(aims_decision_durable_size(l), 600);
	aims_decision_free(l);
	assert_aims_ok(aims_ledger_log_read(&gl, f->store, "s6"));
	size_t updates = 0;
	for (size_t i = 0; i < gl->count; i++)
		updates += strcmp(gl->items[i].action, "update") == 0 && strcmp(gl->items[i].object_type, "decision-head") == 0;
	assert_int_equal(updates, 1);
	aims_ledger_entries_free(gl);
	append_n(f, "s6", 600, 300);  /* tile 2 goes to the pack, tiles 0 and 1 stay files */
	assert_aims_ok(aims_decision_verify(f->store, "s6", keys, 1, &n));
	assert_int_equal(n, 900);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_form),
		cmocka_unit_test(test_canonical_refusals),
		cmocka_unit_test(test_canonical_alloc_failures),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_append_verify_receipt, setup, teardown),
		cmocka_unit_test(test_scanner_equals_reference),
		cmocka_unit_test_setup_teardown(test_tamper_and_foreign_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_rollback_torn_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_streaming_ingest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunked_ingest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_log_adopted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
