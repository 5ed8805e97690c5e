/*
 * Unit tests for evaluation results as evidence (src/lib/eval/record.c):
 * record, list, get, the controls per kind, the audit entry written in the
 * same transaction, refusals that leave the store unchanged, and
 * allocation failures.
 */
#include "helpers.h"

#include "core/core.h"

static aims_store *new_store(const char *name)
{
	aims_store *s = NULL;
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	f.purpose = "credit scoring";
	assert_aims_ok(aims_system_add(s, "credit", &f));
	return s;
}

static const char *INPUTS = "[{\"name\":\"d.csv\",\"sha256\":\"sha256:"
			    "4d034efcda5c376b0eaabb08c9c06fd2ee9186b3a204d25720ae2b1f5b031de0\",\"rows\":952}]";
static const char *FAIR = "{\"kind\":\"fairness\",\"sensitive\":[{\"name\":\"afam\","
			  "\"demographic_parity_difference\":0.125,\"equalized_odds_difference\":null}],\"flags\":[\"x\"]}";
static const char *PERF = "{\"kind\":\"performance\",\"n\":952,\"accuracy\":0.78,\"f1\":0.86,\"roc_auc\":0.79}";
static const char *DRIFT = "{\"kind\":\"drift\",\"columns_tested\":7,\"columns_drifted\":3,\"drift_share\":0.4286}";

static void test_record_list_get(void **state)
{
	(void)state;
	aims_store *s = new_store("rec.db");
	char *id = NULL;
	assert_aims_ok(aims_eval_record(&id, s, "credit", "fairness", INPUTS, "{\"label\":\"y\"}", FAIR));
	assert_string_equal(id, "EVAL-0001");
	free(id);
	assert_aims_ok(aims_eval_record(&id, s, "credit", "performance", INPUTS, "{}", PERF));
	assert_string_equal(id, "EVAL-0002");
	free(id);
	assert_aims_ok(aims_eval_record(&id, s, "credit", "drift", INPUTS, "{}", DRIFT));
	assert_string_equal(id, "EVAL-0003");
	free(id);

	aims_eval_results *l = NULL;
	assert_aims_ok(aims_eval_list(&l, s, NULL, NULL));
	assert_int_equal(l->count, 3);
	assert_string_equal(l->items[0].controls, "A.6.2.4 A.6.2.6");
	assert_string_equal(l->items[2].controls, "A.6.2.6 A.7.4");
	assert_string_equal(l->items[0].summary,
			    "afam: demographic_parity_difference 0.125, equalized_odds_difference n/a; 1 flag");
	assert_string_equal(l->items[1].summary, "n 952, accuracy 0.78, f1 0.86, roc_auc 0.79");
	assert_string_equal(l->items[2].summary, "3 of 7 columns drifted (share 0.4286)");
	assert_null(l->items[0].results);
	assert_true(strncmp(l->items[0].digest, "sha256:", 7) == 0);
	aims_eval_results_free(l);
	assert_aims_ok(aims_eval_list(&l, s, "credit", "drift"));
	assert_int_equal(l->count, 1);
	aims_eval_results_free(l);
	assert_aims_ok(aims_eval_list(&l, s, "other", NULL));
	assert_int_equal(l->count, 0);
	aims_eval_results_free(l);

	aims_eval_result *r = NULL;
	assert_aims_ok(aims_eval_get(&r, s, "EVAL-0002"));
	assert_string_equal(r->kind, "performance");
	assert_string_equal(r->system, "credit");
	assert_non_null(strstr(r->inputs, "\"rows\":952"));
	assert_non_null(strstr(r->results, "\"roc_auc\":0.79"));
	assert_true(strncmp(r->tool_version, "aims ", 5) == 0);

	/* the audit entry names the record's digest */
	aims_ledger_entries *e = NULL;
	assert_aims_ok(aims_ledger_log_read(&e, s, "EVAL-0002"));
	assert_int_equal(e->count, 1);
	assert_string_equal(e->items[0].action, "record");
	assert_string_equal(e->items[0].object_type, "evaluation");
	assert_string_equal(e->items[0].new_digest, r->digest);
	aims_ledger_entries_free(e);
	aims_eval_result_free(r);

	assert_aims_error(aims_eval_get(&r, s, "EVAL-0099"), AIMS_ENOTFOUND, "EVAL-0099");
	assert_null(r);
	aims_store_free(s);
}

static void test_refusals(void **state)
{
	(void)state;
	aims_store *s = new_store("ref.db");
	char before[65], after[65], *id = (char *)"x";
	assert_aims_ok(aims_store_content_digest(before, s));
	assert_aims_error(aims_eval_record(&id, s, "ghost", "fairness", INPUTS, "{}", FAIR), AIMS_ENOTFOUND, "ghost");
	assert_null(id);
	assert_aims_error(aims_eval_record(&id, s, "credit", "speed", INPUTS, "{}", FAIR), AIMS_EINVALID,
			  "kind 'speed'");
	assert_aims_error(aims_eval_record(&id, s, "credit", "fairness", "[]", "{}", FAIR), AIMS_EINVALID,
			  "at least one input");
	assert_aims_error(aims_eval_record(&id, s, "credit", "fairness", "[{\"name\":\"a\",\"sha256\":\"abc\",\"rows\":1}]",
					   "{}", FAIR), AIMS_EINVALID, "inputs[0].sha256");
	assert_aims_error(aims_eval_record(&id, s, "credit", "fairness", INPUTS, "[]", FAIR), AIMS_EINVALID,
			  "params must be a JSON object");
	assert_aims_error(aims_eval_record(&id, s, "credit", "fairness", INPUTS, "{}", "{bad"), AIMS_EINVALID, "results");
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);
	aims_store_free(s);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db");
	for (unsigned long n = 1; n < 5000; n++) {
		char *id = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_eval_record(&id, s, "credit", "performance", INPUTS, "{}", PERF);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_non_null(id);
			free(id);
			aims_eval_results *l = NULL;
			assert_aims_ok(aims_eval_list(&l, s, NULL, NULL));
			assert_int_equal(l->count, 1);   /* the failed attempts left nothing */
			aims_eval_results_free(l);
			aims_store_free(s);
			return;
		}
		assert_null(id);
	}
	fail_msg("never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_list_get),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
