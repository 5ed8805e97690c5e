/*
 * Unit tests of the AI decision logs (include/aims/decision.h): the
 * canonical record form, append / close / reopen, receipts verified
 * offline, verification and tampering, torn-tail recovery, pruning, and
 * allocation failures on the canonicalizer.
 */
#include "helpers.h"

#include <fcntl.h>

#include "aims/decision.h"
#include "aims/merkle.h"
#include "core/core.h"

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

static void test_tamper_and_torn_tail(void **state)
{
	fixture *f = *state;
	const char *keys[1] = { f->vkey };
	char path[PATH_MAX + 128];
	uint64_t n;
	append_n(f, "s2", 0, 600);

	/* a torn tail is cut off */
	snprintf(path, sizeof(path), "%s.ledger/decision/s2/entries", aims_store_location(f->store));
	FILE *fp = fopen(path, "ab");
	assert_non_null(fp);
	fwrite("\0\0\0\x50{\"in", 1, 8, fp);
	fclose(fp);
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
	snprintf(path, sizeof(path), "%s.ledger/decision/s2/tile/0/001", aims_store_location(f->store));
	flip(path, 32 * 7 + 3);
	assert_aims_error(aims_decision_verify(f->store, "s2", keys, 1, &n), AIMS_ETAMPERED, "entry 263");
	flip(path, 32 * 7 + 3);
	assert_aims_ok(aims_decision_verify(f->store, "s2", keys, 1, &n));
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
	setenv("AIMS_TEST_NOW", "2027-01-01T00:00:00Z", 1);
	assert_aims_ok(aims_decision_prune(f->store, "s3", 0, &pruned));
	assert_int_equal(pruned, 300);
	unsetenv("AIMS_TEST_NOW");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_form),
		cmocka_unit_test(test_canonical_refusals),
		cmocka_unit_test(test_canonical_alloc_failures),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_append_verify_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_and_torn_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
