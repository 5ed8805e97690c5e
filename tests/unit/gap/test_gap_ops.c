/*
 * Unit tests of the gap analysis and SoA operations (gap.analysis,
 * soa.list, soa.show, soa.set) and their JSON: the documented keys, the
 * reports as formats (HTML, CSV), fail_on_gap as a finding, the refusals
 * naming the field (usage errors the command line has always given exit 2),
 * permissions, the acting principal in the ledger, and the builders under
 * allocation failures.
 */
#include "helpers.h"
#include "core/core.h"

static aims_store *new_store(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	const char *csv = "control,applicable,status,justification,owner,evidence\n"
			  "A.8.15,yes,implemented,,CISO,EV-LOG\n"
			  "9.2.1,yes,implemented,,CISO,EV-AUDIT\n"
			  "A.5.1,yes,partial,,CISO,EV-POL\n";
	int64_t v = 0;
	o.create = 1;
	unlink(test_path(name));
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "isms.csv", &v));
	return s;
}

static int call(aims_op_result *res, aims_store *s, const char *name, const char *req_text)
{
	aims_op_ctx ctx;
	json_t *req = NULL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	if (req_text && !(req = json_loads(req_text, 0, NULL)))
		fail_msg("bad request text %s", req_text);
	int rc = aims_op_call(res, aims_op_find(name), &ctx, req);
	json_decref(req);
	return rc;
}

static int has_keys(const json_t *o, const char *const *keys)
{
	size_t n = 0;
	for (; keys[n]; n++)
		if (!json_object_get(o, keys[n]))
			return 0;
	return json_object_size(o) == n;
}

static void test_gap_analysis(void **state)
{
	(void)state;
	aims_store *s = new_store("gap.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	static const char *const top[] = { "isms", "summary", "groups", "items", NULL };
	static const char *const part[] = { "requirements", "covered", "partial", "gap", "excluded", "readiness", NULL };

	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_ok(call(&res, s, "gap.analysis", NULL));
	assert_true(has_keys(res.json, top));
	const json_t *sum = json_object_get(res.json, "summary");
	assert_true(has_keys(json_object_get(sum, "clauses"), part));
	assert_int_equal(json_integer_value(json_object_get(sum, "requirements")), 70);
	assert_int_equal(json_array_size(json_object_get(res.json, "items")), 70);
	assert_int_equal(res.outcome, 0);
	/* the published figures: 4 decimals */
	double r = json_number_value(json_object_get(sum, "readiness"));
	assert_true(fabs(r * 10000.0 - floor(r * 10000.0 + 0.5)) < 1e-6);
	assert_true(res.etag[0] != '\0');
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "gap.analysis", "{\"format\": \"html\", \"fail_on_gap\": true}"));
	assert_null(res.json);
	assert_string_equal(res.content_type, "text/html; charset=utf-8");
	assert_true(res.body.len > 1000 && strncmp(res.body.ptr, "<!DOCTYPE html>", 15) == 0);
	assert_int_equal(res.outcome, AIMS_EDENIED);
	aims_op_result_release(&res);

	assert_aims_error(call(&res, s, "gap.analysis", "{\"isms_version\": 0}"), AIMS_EUSAGE,
			  "isms_version '0': expected a positive number");
	assert_string_equal(aims_error_last_field(), "isms_version");
	assert_aims_error(call(&res, s, "gap.analysis", "{\"isms_version\": 7}"), AIMS_ENOTFOUND, "7");
	assert_aims_error(call(&res, s, "gap.analysis", "{\"format\": \"csv\"}"), AIMS_EINVALID, "format");
	test_act_as(s, "ingest", AIMS_ROLE_SERVICE);
	assert_aims_error(call(&res, s, "gap.analysis", NULL), AIMS_EPERM, "permission 'read'");
	aims_store_free(s);
}

static void test_percent_follows_the_published_value(void **state)
{
	(void)state;
	assert_true(aims_gap_round(0.004949999) == 0.0049);
	assert_int_equal(aims_gap_percent(0.42), 42);
	/* 0.1249996 publishes as 0.125: the text (from the JSON) and the HTML both show 13% */
	assert_int_equal(aims_gap_percent(0.1249996), 13);
	assert_int_equal(aims_gap_percent(aims_gap_round(0.1249996)), 13);
	assert_int_equal(aims_gap_percent(0.0), 0);
	assert_int_equal(aims_gap_percent(1.0), 100);
}

static void test_soa(void **state)
{
	(void)state;
	aims_store *s = new_store("soa.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	static const char *const control[] = { "control", "title", "group", "decided", "applicable", "justification",
					       "status", "owner", "updated_at", "gap", "evidence", "risks", NULL };

	assert_aims_ok(call(&res, s, "soa.list", NULL));
	assert_string_equal(json_string_value(json_object_get(res.json, "framework")), "iso42001-2023");
	assert_int_equal(json_array_size(json_object_get(res.json, "controls")), 38);
	assert_true(has_keys(json_array_get(json_object_get(res.json, "controls"), 0), control));
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "soa.list", "{\"format\": \"csv\"}"));
	assert_string_equal(res.content_type, "text/csv; charset=utf-8");
	assert_true(strncmp(res.body.ptr, "control,title,group,applicable", 30) == 0);
	aims_op_result_release(&res);

	/* usage errors name the field; nothing is written */
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.7.5\", \"applicable\": \"maybe\"}"), AIMS_EUSAGE,
			  "applicable 'maybe': expected yes or no");
	assert_string_equal(aims_error_last_field(), "applicable");
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.7.5\", \"status\": \"done\"}"), AIMS_EUSAGE,
			  "status 'done'");
	assert_string_equal(aims_error_last_field(), "status");
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.7.5\", \"status\": \"unknown\"}"), AIMS_EUSAGE,
			  "status 'unknown'");
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.7.5\"}"), AIMS_EUSAGE, "nothing to set");
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.10.4\", \"applicable\": \"no\"}"), AIMS_EINVALID,
			  "justification");
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.99.1\", \"owner\": \"x\"}"), AIMS_ENOTFOUND,
			  "A.99.1");

	assert_aims_ok(call(&res, s, "soa.set", "{\"control\": \"A.7.5\", \"applicable\": \"Yes\", \"status\": "
				"\"partial\", \"owner\": \"Head of Data\"}"));
	assert_true(json_is_true(json_object_get(res.json, "decided")));
	assert_string_equal(json_string_value(json_object_get(res.json, "status")), "partial");
	assert_string_equal(json_string_value(json_object_get(res.json, "owner")), "Head of Data");
	assert_int_equal(res.wrote, 1);
	aims_op_result_release(&res);

	/* the per-control document is the list's entry */
	assert_aims_ok(call(&res, s, "soa.show", "{\"control\": \"A.7.5\"}"));
	json_t *one = json_incref(res.json);
	aims_op_result_release(&res);
	assert_aims_ok(call(&res, s, "soa.list", NULL));
	json_t *c;
	size_t i;
	int seen = 0;
	json_array_foreach(json_object_get(res.json, "controls"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "control")), "A.7.5") == 0)
			seen = json_equal(c, one);
	}
	assert_true(seen);
	json_decref(one);
	aims_op_result_release(&res);
	assert_aims_error(call(&res, s, "soa.show", "{\"control\": \"6.1.4\"}"), AIMS_ENOTFOUND,
			  "'6.1.4' is not an ISO/IEC 42001 Annex A control");

	/* the ledger names the acting principal; an auditor may read but not decide */
	aims_ledger_entries *log = NULL;
	assert_aims_ok(aims_ledger_log_read(&log, s, "A.7.5"));
	assert_int_equal(log->count, 1);
	assert_string_equal(log->items[0].object_type, "soa-control");
	assert_string_equal(log->items[0].actor, "cm");
	aims_ledger_entries_free(log);
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_error(call(&res, s, "soa.set", "{\"control\": \"A.7.5\", \"owner\": \"x\"}"), AIMS_EPERM,
			  "permission 'soa.manage'");
	assert_aims_ok(call(&res, s, "soa.show", "{\"control\": \"A.7.5\"}"));
	assert_string_equal(json_string_value(json_object_get(res.json, "owner")), "Head of Data");
	aims_op_result_release(&res);
	aims_store_free(s);
}

static void test_builders_survive_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db");
	aims_gap *gap = NULL;
	aims_soa *soa = NULL;
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	assert_aims_ok(aims_soa_read(&soa, s));
	for (unsigned long n = 1;; n++) {
		aims__alloc_fail_after(n);
		json_t *g = aims_gap_json(gap), *o = g ? aims_soa_json(soa) : NULL;
		aims__alloc_fail_after(0);
		if (g && o) {
			assert_int_equal(json_array_size(json_object_get(g, "items")), 70);
			assert_int_equal(json_array_size(json_object_get(o, "controls")), 38);
			json_decref(g);
			json_decref(o);
			break;
		}
		json_decref(g);
		assert_null(o);
	}
	aims_soa_free(soa);
	aims_gap_free(gap);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap_analysis),
		cmocka_unit_test(test_percent_follows_the_published_value),
		cmocka_unit_test(test_soa),
		cmocka_unit_test(test_builders_survive_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
