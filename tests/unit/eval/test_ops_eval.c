/*
 * Unit tests of the evaluation operations through aims_op_call (the path
 * the command line and the server share): data as input streams, a file
 * evaluation without a store, a decision log and --record needing one,
 * input fields never taken from the JSON request, the eval.record
 * permission checked on top of read, the checkpoint after a record, and
 * the stored results' JSON and HTML (a stored drift result included).
 */
#include "helpers.h"

#include "aims/op.h"

static const char CSV[] = "y,p,s,g\n1,1,0.9,a\n0,0,0.2,a\n1,0,0.4,b\n0,1,0.7,b\n1,1,0.8,a\n0,0,0.1,b\n";

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	unlink(test_path(name));
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "root-admin", AIMS_ROLE_ADMIN);
	return s;
}

static FILE *mem(const char *text)
{
	FILE *f = fmemopen((char *)text, strlen(text), "r");
	assert_non_null(f);
	return f;
}

static void test_file_without_store(void **state)
{
	(void)state;
	aims_op_result res = AIMS_OP_RESULT_INIT;
	FILE *f = mem(CSV);
	aims_op_stream in = { "data", f, "d.csv" };
	aims_op_ctx ctx = { 0 };
	ctx.inputs = &in;
	ctx.ninputs = 1;
	json_t *req = json_pack("{s:s, s:s, s:s, s:[s]}", "label", "y", "pred", "p", "score", "s", "group", "g");
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.fairness"), &ctx, req));
	json_t *input = json_object_get(res.json, "input");
	assert_string_equal(json_string_value(json_object_get(input, "name")), "d.csv");
	assert_int_equal(json_integer_value(json_object_get(input, "rows_read")), 6);
	assert_int_equal(res.wrote, 0);
	aims_op_result_release(&res);
	fclose(f);

	/* the HTML report as a format: the command line gets the JSON beside it, HTTP only the page */
	f = mem(CSV);
	in.f = f;
	json_object_set_new(req, "format", json_string("html"));
	ctx.client = "cli";
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.fairness"), &ctx, req));
	assert_non_null(res.json);
	assert_non_null(strstr(res.body.ptr, "Fairness evaluation"));
	assert_string_equal(res.content_type, "text/html; charset=utf-8");
	aims_op_result_release(&res);
	fclose(f);
	f = mem(CSV);
	in.f = f;
	ctx.client = "http";
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.fairness"), &ctx, req));
	assert_null(res.json);
	assert_non_null(strstr(res.body.ptr, "<svg"));
	aims_op_result_release(&res);
	fclose(f);
	json_decref(req);

	/* a decision log needs the store; so does --record (through --system) */
	ctx.inputs = NULL;
	ctx.ninputs = 0;
	req = json_pack("{s:s, s:s, s:s}", "label", "y", "pred", "p", "system", "credit");
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.performance"), &ctx, req), AIMS_EUSAGE,
			  "'eval.performance' needs a store");
	json_decref(req);
	/* no data and no system */
	req = json_pack("{s:s, s:s}", "label", "y", "pred", "p");
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.performance"), &ctx, req), AIMS_EUSAGE,
			  "--data FILE, or --system NAME");
	assert_string_equal(aims_error_last_field(), "data");
	/* an input field is never a JSON value */
	json_object_set_new(req, "data", json_string("d.csv"));
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.performance"), &ctx, req), AIMS_EINVALID,
			  "data: a data stream");
	json_decref(req);
	/* a stream for a field the op does not read */
	f = mem(CSV);
	aims_op_stream other = { "ref", f, "r.csv" };
	ctx.inputs = &other;
	ctx.ninputs = 1;
	req = json_pack("{s:s, s:s}", "label", "y", "pred", "p");
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.performance"), &ctx, req), AIMS_EINVALID,
			  "reads no data stream of this name");
	assert_string_equal(aims_error_last_field(), "ref");
	json_decref(req);
	fclose(f);
}

static void test_drift_streams_and_options(void **state)
{
	(void)state;
	aims_op_result res = AIMS_OP_RESULT_INIT;
	FILE *r = mem("a,b\n1,x\n2,y\n3,x\n4,y\n"), *c = mem("a,b\n5,x\n6,x\n7,x\n8,y\n");
	aims_op_stream in[2] = { { "ref", r, "ref.csv" }, { "cur", c, "-" } };
	aims_op_ctx ctx = { 0 };
	ctx.inputs = in;
	ctx.ninputs = 2;
	json_t *req = json_pack("{s:[s], s:b}", "columns", "a,b", "check", 1);
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.drift"), &ctx, req));
	json_t *inputs = json_object_get(res.json, "inputs");
	assert_string_equal(json_string_value(json_object_get(json_array_get(inputs, 0), "name")), "ref.csv");
	assert_string_equal(json_string_value(json_object_get(json_array_get(inputs, 1), "name")), "-");
	assert_int_equal(json_array_size(json_object_get(res.json, "columns")), 2);
	assert_true(json_is_true(json_object_get(res.json, "dataset_drift")));
	assert_int_equal(res.outcome, AIMS_EDENIED); /* --check: the dataset drifted */
	aims_op_result_release(&res);
	json_decref(req);
	/* options checked as the command line did, naming the field */
	rewind(r);
	rewind(c);
	req = json_pack("{s:f}", "alpha", 2.0);
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.drift"), &ctx, req), AIMS_EUSAGE, "between 0 and 1");
	assert_string_equal(aims_error_last_field(), "alpha");
	json_decref(req);
	req = json_pack("{s:s}", "since", "2026-01-01T00:00:00Z");
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.drift"), &ctx, req), AIMS_EUSAGE, "time windows need --system");
	json_decref(req);
	ctx.ninputs = 1;
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.drift"), &ctx, NULL), AIMS_EUSAGE,
			  "give --ref FILE and --cur FILE");
	assert_string_equal(aims_error_last_field(), "cur");
	fclose(r);
	fclose(c);
}

static void test_record_and_stored(void **state)
{
	(void)state;
	aims_store *s = fresh("ops-eval.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx = { 0 };
	FILE *f = mem(CSV);
	aims_op_stream in = { "data", f, "d.csv" };
	json_t *sys = json_pack("{s:s}", "name", "credit");
	ctx.store = s;
	assert_aims_ok(aims_op_call(&res, aims_op_find("system.add"), &ctx, sys));
	aims_op_result_release(&res);
	json_decref(sys);
	ctx.principal = NULL;
	ctx.inputs = &in;
	ctx.ninputs = 1;
	json_t *req = json_pack("{s:s, s:s, s:s, s:b}", "label", "y", "pred", "p", "system", "credit", "record", 1);
	/* an auditor may evaluate, not record: refused before any data is read, nothing stored */
	test_act_as(s, "aud", AIMS_ROLE_AUDITOR);
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.performance"), &ctx, req), AIMS_EPERM,
			  "permission 'eval.record'");
	assert_int_equal(ftell(f), 0);
	/* an ML engineer records: the op wrote, the id is in the document */
	test_act_as(s, "eng", AIMS_ROLE_ML_ENGINEER);
	ctx.principal = NULL;
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.performance"), &ctx, req));
	assert_int_equal(res.wrote, 1);
	assert_string_equal(json_string_value(json_object_get(res.json, "evaluation_id")), "EVAL-0001");
	aims_op_result_release(&res);
	json_decref(req);
	fclose(f);

	/* a drift result from files cannot be recorded: evidence is linked to an AI system */
	FILE *r = mem("a\n1\n2\n3\n"), *c = mem("a\n4\n5\n6\n");
	aims_op_stream two[2] = { { "ref", r, "r.csv" }, { "cur", c, "c.csv" } };
	ctx.inputs = two;
	ctx.ninputs = 2;
	ctx.principal = NULL;
	req = json_pack("{s:b}", "record", 1);
	assert_aims_error(aims_op_call(&res, aims_op_find("eval.drift"), &ctx, req), AIMS_EUSAGE, "--record needs --system");
	json_decref(req);
	fclose(r);
	fclose(c);

	/* list and show: the stored result's JSON, and its HTML */
	ctx.inputs = NULL;
	ctx.ninputs = 0;
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.list"), &ctx, NULL));
	json_t *items = json_object_get(res.json, "evaluations");
	assert_int_equal(json_array_size(items), 1);
	assert_null(json_object_get(json_array_get(items, 0), "results"));
	aims_op_result_release(&res);
	req = json_pack("{s:s}", "id", "EVAL-0001");
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.show"), &ctx, req));
	assert_string_equal(json_string_value(json_object_get(res.json, "kind")), "performance");
	assert_string_equal(json_string_value(json_array_get(json_object_get(res.json, "controls"), 1)), "A.6.2.6");
	assert_true(json_is_object(json_object_get(res.json, "results")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(res.json, "inputs"), 0),
							    "rows")), 6);
	aims_op_result_release(&res);
	json_decref(req);
	aims_store_free(s);
}

/* a stored drift result renders as HTML from its JSON */
static void test_drift_report_from_json(void **state)
{
	(void)state;
	aims_op_result res = AIMS_OP_RESULT_INIT;
	FILE *r = mem("a,b\n1,x\n2,y\n3,x\n4,y\n"), *c = mem("a,b\n5,x\n6,x\n7,x\n8,\n");
	aims_op_stream in[2] = { { "ref", r, "ref.csv" }, { "cur", c, "cur.csv" } };
	aims_op_ctx ctx = { 0 };
	char *html = NULL, *doc;
	size_t len = 0;
	ctx.inputs = in;
	ctx.ninputs = 2;
	assert_aims_ok(aims_op_call(&res, aims_op_find("eval.drift"), &ctx, NULL));
	assert_non_null(doc = json_dumps(res.json, JSON_COMPACT));
	assert_aims_ok(aims_eval_report_html(&html, &len, "drift", doc));
	assert_non_null(strstr(html, "Data drift report"));
	assert_non_null(strstr(html, "<td>a</td>"));
	assert_non_null(strstr(html, "cur.csv"));
	assert_non_null(strstr(html, "KS exact"));
	assert_non_null(strstr(html, "chi-square"));
	assert_int_equal(strlen(html), len);
	free(html);
	html = NULL;
	assert_aims_error(aims_eval_report_html(&html, &len, "drift", "{\"kind\": \"drift\"}"), AIMS_EINVALID,
			  "not a drift result");
	assert_aims_error(aims_eval_report_html(&html, &len, "bias", doc), AIMS_EUSAGE, "expected fairness");
	free(doc);
	aims_op_result_release(&res);
	fclose(r);
	fclose(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_without_store),
		cmocka_unit_test(test_drift_streams_and_options),
		cmocka_unit_test(test_record_and_stored),
		cmocka_unit_test(test_drift_report_from_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
