/*
 * Unit tests for the oversight module (src/lib/oversight/): the record
 * scanner against jansson, review selection rules and the seeded sampler
 * (expected bits computed by tests/ref/review_ref.py),
 * the matching of approvers to role counts, and gates through the library:
 * an open gate without a policy, approvals by distinct principals, evaluations
 * bound to a model digest, exceptions, refusals and allocation failures.
 */
#include "helpers.h"

#include <time.h>

#include "core/core.h"
#include "ledger/decision_internal.h"
#include "oversight/oversight_internal.h"

/* ---- the scanner ---- */

static void scan_case(const char *json, const char *key, const char *want)
{
	const char *keys[1] = { key };
	aims__jspan v;
	int rc = aims__jscan_members(&v, keys, 1, json, strlen(json));
	json_error_t je;
	json_t *j = json_loads(json, JSON_DECODE_ANY, &je);
	if (!want) {
		if (rc == 0)
			fail_msg("'%s' was accepted", json);
		assert_true(!j || !json_is_object(j));
		json_decref(j);
		return;
	}
	if (rc < 0)
		fail_msg("'%s' was refused", json);
	assert_true(json_is_object(j));
	json_t *m = json_object_get(j, key);
	if (!*want) {
		assert_null(v.p);
		assert_null(m);
	} else {
		assert_non_null(v.p);
		if (v.n != strlen(want) || memcmp(v.p, want, v.n) != 0)
			fail_msg("'%s' member %s: got '%.*s', want '%s'", json, key, (int)v.n, v.p, want);
		json_t *back = json_loadb(v.p, v.n, JSON_DECODE_ANY, &je);
		assert_true(json_equal(back, m));
		json_decref(back);
	}
	json_decref(j);
}

static void test_scan(void **state)
{
	(void)state;
	scan_case("{\"a\":1,\"b\":{\"c\":[1,{\"d\":\"}\"}]},\"e\":\"x\\\"y\"}", "b", "{\"c\":[1,{\"d\":\"}\"}]}");
	scan_case("{\"a\":1,\"b\":{\"c\":[1,{\"d\":\"}\"}]},\"e\":\"x\\\"y\"}", "e", "\"x\\\"y\"");
	scan_case(" { \"a\" : -1.5e+3 , \"b\" : true } ", "a", "-1.5e+3");
	scan_case("{\"a\":null}", "a", "null");
	scan_case("{\"a\":null}", "z", "");
	scan_case("{}", "z", "");
	scan_case("{\"x\":{\"a\":1}}", "a", "");
	scan_case("{\"a\":1", "a", NULL);
	scan_case("{\"a\":1,}", "a", NULL);
	scan_case("{\"a\" 1}", "a", NULL);
	scan_case("{\"a\":[1,2}", "a", NULL);
	scan_case("{\"a\":tru}", "a", NULL);
	scan_case("{\"a\":1} x", "a", NULL);
	scan_case("[1]", "a", NULL);
	scan_case("{\"a\":\"x}", "a", NULL);
	scan_case("{\"a\":\"x\\\"}", "a", NULL);
	scan_case("{\"a\":\"x\\\\\"}", "a", "\"x\\\\\"");
	scan_case("{\"a\":01.}", "a", NULL);
	/* paths, equality, numbers, strings with escapes */
	const char *rec = "{\"input\":{\"geo\":{\"region\":\"nord\"},\"n\":3},\"output\":\"d\\u00e9cline\"}";
	static const char *const keys[] = { "input", "output" };
	aims__jspan v[2], f;
	assert_int_equal(aims__jscan_members(v, keys, 2, rec, strlen(rec)), 0);
	assert_int_equal(aims__jscan_path(&f, v[0], "geo.region"), 1);
	assert_true(aims__jscan_is(f, "nord"));
	assert_false(aims__jscan_is(f, "nor"));
	assert_int_equal(aims__jscan_path(&f, v[0], "geo.x"), 0);
	assert_int_equal(aims__jscan_path(&f, v[0], "n.x"), 0);
	assert_int_equal(aims__jscan_path(&f, v[0], "n"), 1);
	assert_true(aims__jscan_is(f, "3"));
	double d = 0;
	assert_int_equal(aims__jscan_number(&d, f), 0);
	assert_true(d == 3);
	assert_true(aims__jscan_is(v[1], "d\xc3\xa9" "cline"));
	assert_int_equal(aims__jscan_number(&d, v[1]), -1);
}

/* ---- selection ---- */

static aims_policy *review_policy(const char *rules)
{
	char buf[1024];
	aims_policy *p = NULL;
	snprintf(buf, sizeof(buf), "policy: r\napplies_to: {systems: [credit]}\nreview:\n%s", rules);
	assert_aims_ok(aims_policy_parse(&p, buf, strlen(buf), "r.yaml"));
	return p;
}

static unsigned pick(const aims_policy *p, uint64_t index, const char *rec)
{
	unsigned why = 99;
	assert_aims_ok(aims_review_match(&why, &p->review, "credit", index, rec, strlen(rec)));
	return why;
}

/* the scanner's number reading (a fast exact path, else strtod) gives strtod's double, bit for bit */
static void test_number_exact(void **state)
{
	static const char *const nums[] = { "0", "-0", "0.1", "0.2", "0.3", "0.87", "0.59", "0.6", "1", "0.03",
					    "123456789012345", "0.000000000000001", "9.999999999999999",
					    "0.30000000000000004", "1234567890123456789", "1e-3", "2.5E+2", "-17.25",
					    "0.1000000000000000055511151231257827", "99999999999999.9", "5e-324",
					    /* longer than the scanner's stack copy (found by fuzz/review_match) */
					    "0.006666666666666666666666666666666666666666060000700000000000000000",
					    "-1234567890123456789012345678901234567890123456789012345678901234567890e-60" };
	(void)state;
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		aims__jspan v = { nums[i], strlen(nums[i]) };
		double got = -1, want = strtod(nums[i], NULL);
		assert_int_equal(aims__jscan_number(&got, v), 0);
		assert_memory_equal(&got, &want, sizeof(double));
	}
	aims__jspan bad = { "0.5x", 4 };
	double d;
	assert_int_not_equal(aims__jscan_number(&d, bad), 0);
	static const char longbad[] = "0.0000000000000000000000000000000000000000000000000000000000000000000001x";
	aims__jspan lb = { longbad, sizeof(longbad) - 1 };
	assert_int_equal(aims__jscan_number(&d, lb), -1);
	aims__jspan ln = { longbad, sizeof(longbad) - 2 };
	aims__alloc_fail_after(1);
	int rc = aims__jscan_number(&d, ln);
	aims__alloc_fail_after(0);
	assert_int_equal(rc, AIMS_ENOMEM);
}

static void test_match(void **state)
{
	(void)state;
	aims_policy *p = review_policy("  confidence_below: 0.6\n  output_field: decision\n  output_classes: [decline]\n"
				       "  input:\n    channel: [branch, phone]\n    geo.region: [nord]\n");
	assert_int_equal(pick(p, 0, "{\"confidence\":0.59,\"output\":{\"decision\":\"approve\"}}"), AIMS_REVIEW_CONFIDENCE);
	assert_int_equal(pick(p, 0, "{\"confidence\":0.6,\"output\":{\"decision\":\"approve\"}}"), 0);
	assert_int_equal(pick(p, 0, "{\"confidence\":0.1,\"output\":{\"decision\":\"decline\"}}"),
			 AIMS_REVIEW_CONFIDENCE | AIMS_REVIEW_OUTPUT);
	assert_int_equal(pick(p, 0, "{\"output\":\"decline\"}"), 0);   /* the field is not there */
	assert_int_equal(pick(p, 0, "{\"input\":{\"channel\":\"phone\"},\"output\":1}"), AIMS_REVIEW_INPUT);
	assert_int_equal(pick(p, 0, "{\"input\":{\"geo\":{\"region\":\"nord\"}},\"output\":1}"), AIMS_REVIEW_INPUT);
	assert_int_equal(pick(p, 0, "{\"input\":{\"channel\":\"web\"},\"output\":1}"), 0);
	/* reviewed at the source, or a review record: never selected */
	assert_int_equal(pick(p, 0, "{\"confidence\":0.1,\"review\":{\"action\":\"accept\"}}"), 0);
	unsigned why;
	assert_aims_error(aims_review_match(&why, &p->review, "credit", 3, "[1]", 3), AIMS_EINVALID, "decision record 3");
	assert_aims_error(aims_review_match(&why, &p->review, "credit", 3, "{\"output\":{\"decision\":", 21),
			  AIMS_EINVALID, "not a JSON object");
	aims_policy_free(p);
	/* the output itself as the class; a number written as in the policy */
	p = review_policy("  output_classes: [\"7\", decline]\n");
	assert_int_equal(pick(p, 0, "{\"output\":7}"), AIMS_REVIEW_OUTPUT);
	assert_int_equal(pick(p, 0, "{\"output\":\"7\"}"), AIMS_REVIEW_OUTPUT);
	assert_int_equal(pick(p, 0, "{\"output\":7.0}"), 0);
	aims_policy_free(p);
	/* the sampler (seed 7, system credit, rate 0.25): bits computed by tests/ref/review_ref.py's sample_value */
	static const char want[] = "1010100101000000001000000000001000000000100100001000101000000110";
	p = review_policy("  sample_rate: 0.25\n  seed: 7\n");
	for (uint64_t i = 0; i < 64; i++) {
		unsigned w = pick(p, i, "{\"output\":1}");
		if ((w == AIMS_REVIEW_SAMPLE) != (want[i] == '1'))
			fail_msg("index %llu: sampled %u, expected %c", (unsigned long long)i, w, want[i]);
	}
	aims_policy_free(p);
}

/*
 * The compiled matcher the ingest uses (aims_review_match_members on the
 * canonicalizer's bytes and member spans) against the general scanner on
 * the same bytes and the expected reasons: plain keys and texts compared as
 * bytes, and what it hands back to the scanners (a '/' or a non-ASCII
 * character in a text, an escaped string or key, an object compared with a
 * text), keys found after others, prefixes that must not match.
 */
static void compiled_case(const aims_policy *p, const char *line, unsigned want)
{
	static char out[AIMS_DECISION_RECORD_MAX];
	aims__dcanon *c = NULL;
	aims__dfields f;
	size_t clen = 0;
	unsigned general = 99, compiled = 98;
	char rec[2048];
	snprintf(rec, sizeof(rec), "{\"time\":\"2026-11-01T00:00:00Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:"
		 "05a799d68d0b2e1520d39ab3a68e0078c0e812812e7e1a8feec495ad22292f91\",%s}", line);
	assert_aims_ok(aims__dcanon_new(&c));
	assert_aims_ok(aims__dcanon_run(c, out, &clen, rec, strlen(rec), &f));
	assert_aims_ok(aims_review_match(&general, &p->review, "credit", 5, out, clen));
	assert_aims_ok(aims_review_match_members(&compiled, &p->review, "credit", 5, out, clen, &f.members));
	if (general != want || compiled != want)
		fail_msg("%.*s: general %u, compiled %u, want %u", (int)clen, out, general, compiled, want);
	aims__dcanon_free(c);
}

static void test_compiled(void **state)
{
	(void)state;
	aims_policy *p = review_policy("  confidence_below: 0.25\n  output_field: result.class\n"
				       "  output_classes: [decline, \"7\", \"true\", \"d\xc3\xa9ny\", \"a/b\", \"[1\"]\n"
				       "  input:\n    channel: [branch]\n    zone.code: [\"12\"]\n    k-x_1: [v]\n");
	const unsigned O = AIMS_REVIEW_OUTPUT, I = AIMS_REVIEW_INPUT, C = AIMS_REVIEW_CONFIDENCE;
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"decline\"}}", O);
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"declined\"}}", 0);     /* a longer string */
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"decl\"}}", 0);         /* a prefix */
	compiled_case(p, "\"output\":{\"result\":{\"a\":1,\"class\":7}}", O);        /* after another key; a number */
	compiled_case(p, "\"output\":{\"result\":{\"class\":71}}", 0);
	compiled_case(p, "\"output\":{\"result\":{\"class\":true}}", O);
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"true\"}}", O);
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"d\\u00e9ny\"}}", O);  /* escaped in the input */
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"d\xc3\xa9ny\"}}", O);
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"a/b\"}}", O);
	compiled_case(p, "\"output\":{\"result\":{\"class\":[1,2]}}", 0);             /* an array is not "[1" */
	compiled_case(p, "\"output\":{\"result\":{\"class\":\"say \\\"no\\\"\"}}", 0);
	compiled_case(p, "\"output\":{\"results\":{\"class\":\"decline\"}}", 0);    /* a key that only begins so */
	compiled_case(p, "\"output\":{\"res\":{\"class\":\"decline\"}}", 0);
	compiled_case(p, "\"output\":{\"result\":{\"classZ:7,\":1}}", 0);
	compiled_case(p, "\"output\":{\"result\":\"decline\"}", 0);                 /* the path ends early */
	compiled_case(p, "\"output\":{\"r\\u0065sult\":{\"class\":\"decline\"}}", O); /* an escaped key */
	compiled_case(p, "\"input\":{\"a\":[1,{\"b\":\"}\"}],\"channel\":\"branch\"},\"output\":1", I);
	compiled_case(p, "\"input\":{\"channel\":\"branches\"},\"output\":1", 0);
	compiled_case(p, "\"input\":{\"zone\":{\"code\":12}},\"output\":1", I);
	compiled_case(p, "\"input\":{\"zone\":{\"code\":\"12\"}},\"output\":1", I);
	compiled_case(p, "\"input\":{\"zone\":{\"code\":123}},\"output\":1", 0);
	compiled_case(p, "\"input\":{\"k-x_1\":\"v\"},\"output\":1", I);
	compiled_case(p, "\"input\":{\"k-x_1\":\"w\",\"k-x_1x\":\"v\"},\"output\":1", 0);
	compiled_case(p, "\"confidence\":0.2,\"input\":{\"channel\":\"branch\"},\"output\":1", C | I);
	compiled_case(p, "\"confidence\":0.2,\"output\":{\"result\":{\"class\":\"decline\"}},\"review\":"
		      "{\"action\":\"accept\",\"reviewer\":\"x\"}", 0);
	aims_policy_free(p);
	/* the output itself, no path */
	p = review_policy("  output_classes: [refer, \"0\"]\n");
	compiled_case(p, "\"output\":\"refer\"", O);
	compiled_case(p, "\"output\":\"referral\"", 0);
	compiled_case(p, "\"output\":0", O);
	compiled_case(p, "\"output\":{\"refer\":1}", 0);
	aims_policy_free(p);
}

static void test_ov_match(void **state)
{
	(void)state;
	aims_policy_approval req[2] = { { (char *)"risk-owner", AIMS_ROLE_RISK_OWNER, 1 },
					{ (char *)"compliance-manager", AIMS_ROLE_COMPLIANCE_MANAGER, 1 } };
	int have[2];
	/* one account holding both roles fills one slot only */
	unsigned a1[] = { AIMS_ROLE_RISK_OWNER | AIMS_ROLE_COMPLIANCE_MANAGER };
	aims__ov_match(have, req, 2, a1, 1);
	assert_int_equal(have[0] + have[1], 1);
	/* the matching reassigns: both-roles first, then a compliance manager */
	unsigned a2[] = { AIMS_ROLE_RISK_OWNER | AIMS_ROLE_COMPLIANCE_MANAGER, AIMS_ROLE_COMPLIANCE_MANAGER };
	aims__ov_match(have, req, 2, a2, 2);
	assert_int_equal(have[0], 1);
	assert_int_equal(have[1], 1);
	unsigned a3[] = { AIMS_ROLE_ADMIN, AIMS_ROLE_REVIEWER };
	aims__ov_match(have, req, 2, a3, 2);
	assert_int_equal(have[0] + have[1], 0);
}

/* ---- gates ---- */

static aims_store *gate_store(const char *name)
{
	aims_store *s = NULL;
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	aims_model_fields mf = AIMS_MODEL_FIELDS_INIT;
	aims_artifact *art = NULL;
	o.create = 1;
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_system_add(s, "credit", &f));
	test_write_file(test_path("m.bin"), "weights\n");
	assert_aims_ok(aims_artifact_hash(&art, test_path("m.bin"), 0, NULL, NULL));
	assert_aims_ok(aims_model_register(NULL, s, "credit-risk@1", art, &mf));
	aims_artifact_free(art);
	assert_aims_ok(aims_model_register(NULL, s, "credit-risk@2", NULL, &mf));
	return s;
}

static const char *GATES = "policy: g\napplies_to: {systems: [credit]}\nstages:\n  deployed:\n"
			   "    approvals: [{role: risk-owner, count: 1}, {role: compliance-manager, count: 1}]\n"
			   "    evaluations: [{kind: performance, max_age_days: 10, thresholds: ['roc_auc >= 0.75']}]\n"
			   "exceptions:\n  approvals: [{role: risk-owner, count: 2}]\n  max_days: 3\n";

static size_t unmet(json_t *r)
{
	return json_array_size(json_object_get(r, "unmet"));
}

static void test_gates(void **state)
{
	(void)state;
	aims_store *s = gate_store("gates.db");
	json_t *r = NULL, *g = NULL;
	int allowed = -1;
	/* no policy: open, and deployments are not checked */
	assert_aims_ok(aims_gate_check(&r, s, "credit", "credit-risk", "deployed", NULL));
	assert_true(json_is_true(json_object_get(r, "allowed")));
	assert_string_equal(json_string_value(json_object_get(r, "model")), "credit-risk@2");
	json_decref(r);
	assert_aims_ok(aims_gate_deploy(s, "credit", "credit-risk@1", "production"));
	assert_aims_ok(aims_policy_set(NULL, NULL, s, GATES, strlen(GATES), "g.yaml"));
	assert_aims_error(aims_gate_check(&r, s, "credit", "credit-risk@1", "shipped", NULL), AIMS_EINVALID, "stage 'shipped'");
	assert_aims_error(aims_gate_check(&r, s, "nope", "credit-risk@1", "deployed", NULL), AIMS_ENOTFOUND, "nope");
	assert_aims_error(aims_gate_check(&r, s, "credit", "ghost@1", "deployed", NULL), AIMS_ENOTFOUND, "ghost");
	/* staging is not gated; production is refused with the reasons */
	assert_aims_ok(aims_gate_deploy(s, "credit", "credit-risk@1", "staging"));
	assert_aims_error(aims_gate_deploy(s, "credit", "credit-risk@1", "production"), AIMS_EDENIED, "3 conditions unmet");
	assert_aims_ok(aims_gate_check_record(&r, &allowed, s, "credit", "credit-risk@1", "deployed", NULL));
	assert_int_equal(allowed, 0);
	assert_int_equal(unmet(r), 3);
	assert_string_equal(json_string_value(json_object_get(r, "check_id")), "GC-000002");
	json_decref(r);
	/* a model without an artifact digest cannot be evaluated */
	assert_aims_ok(aims_gate_check(&r, s, "credit", "credit-risk@2", "deployed", NULL));
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(r, "unmet"), 2)), "has no artifact digest"));
	json_decref(r);
	/* approvals: the requester never counts; one decision per principal */
	test_act_as(s, "ml", AIMS_ROLE_ML_ENGINEER | AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_gate_request(&g, s, "credit", "credit-risk@1", "deployed", NULL));
	json_decref(g);
	assert_aims_error(aims_gate_decide(&g, s, "GATE-0001", 1, NULL), AIMS_EPERM, "may not approve");
	test_act_as(s, "ro", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_gate_decide(&g, s, "GATE-0001", 1, "ok"));
	json_decref(g);
	assert_aims_error(aims_gate_decide(&g, s, "GATE-0001", 0, NULL), AIMS_ECONFLICT, "decided already");
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_gate_decide(&g, s, "GATE-0001", 1, NULL));
	assert_string_equal(json_string_value(json_object_get(g, "status")), "approved");
	json_decref(g);
	assert_aims_error(aims_gate_decide(&g, s, "GATE-0009", 1, NULL), AIMS_ENOTFOUND, "GATE-0009");
	/* evaluations bind to the digest */
	const char *in = "[{\"name\":\"d.csv\",\"sha256\":\"sha256:4d034efcda5c376b0eaabb08c9c06fd2ee9186b3a204d25720ae2b1f5b031de0\",\"rows\":1}]";
	char *id = NULL;
	assert_aims_error(aims_eval_record_model(&id, s, "credit", "ghost@3", "performance", in, "{}", "{\"roc_auc\":0.8}"),
			  AIMS_ENOTFOUND, "ghost");
	assert_aims_ok(aims_eval_record_model(&id, s, "credit", "credit-risk@1", "performance", in, "{}", "{\"roc_auc\":0.7}"));
	free(id);
	aims_eval_result *er = NULL;
	assert_aims_ok(aims_eval_get(&er, s, "EVAL-0001"));
	assert_string_equal(er->model, "credit-risk@1");
	assert_true(strncmp(er->model_digest, "sha256:", 7) == 0);
	aims_eval_result_free(er);
	assert_aims_ok(aims_gate_check(&r, s, "credit", "credit-risk@1", "deployed", NULL));
	assert_int_equal(unmet(r), 1);
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(r, "unmet"), 0)),
			       "performance EVAL-0001 is outside the threshold roc_auc >= 0.75: roc_auc 0.7"));
	json_decref(r);
	assert_aims_ok(aims_eval_record_model(&id, s, "credit", "credit-risk@1", "performance", in, "{}", "{\"roc_auc\":0.8}"));
	free(id);
	assert_aims_ok(aims_gate_check(&r, s, "credit", "credit-risk@1", "deployed", NULL));
	assert_true(json_is_true(json_object_get(r, "passed")));
	json_decref(r);
	assert_aims_ok(aims_gate_deploy(s, "credit", "credit-risk@1", "production"));
	/* as of 11 days ahead the evaluation is too old */
	char later[32];
	time_t t = time(NULL) + 11 * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(later, sizeof(later), "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_aims_ok(aims_gate_check(&r, s, "credit", "credit-risk@1", "deployed", later));
	assert_int_equal(unmet(r), 1);
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(r, "unmet"), 0)), "is 11 days old"));
	json_decref(r);
	/* exceptions: two distinct risk owners, neither the requester */
	char today[11], far[11];
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	t += 10 * 86400;
	gmtime_r(&t, &tm);
	strftime(far, sizeof(far), "%Y-%m-%d", &tm);
	assert_aims_error(aims_gate_exception_request(&g, s, "credit", "credit-risk@2", "deployed", "x", far),
			  AIMS_EINVALID, "at most 3 days ahead");
	assert_aims_error(aims_gate_exception_request(&g, s, "credit", "credit-risk@2", "deployed", "x", "2020-01-01"),
			  AIMS_EINVALID, "at most 3 days ahead");
	assert_aims_error(aims_gate_exception_request(&g, s, "credit", "credit-risk@2", "deployed", "x", "soon"),
			  AIMS_EINVALID, "not a date");
	assert_aims_ok(aims_gate_exception_request(&g, s, "credit", "credit-risk@2", "deployed", "urgent fix", today));
	json_decref(g);
	assert_aims_error(aims_gate_exception_approve(&g, s, "EXC-0001"), AIMS_EPERM, "may not approve");
	test_act_as(s, "ro", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_gate_exception_approve(&g, s, "EXC-0001"));
	json_decref(g);
	assert_aims_error(aims_gate_deploy(s, "credit", "credit-risk@2", "production"), AIMS_EDENIED, "refused");
	test_act_as(s, "ro2", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_gate_exception_approve(&g, s, "EXC-0001"));
	assert_string_equal(json_string_value(json_object_get(g, "status")), "active");
	json_decref(g);
	assert_aims_ok(aims_gate_deploy(s, "credit", "credit-risk@2", "production"));
	assert_aims_ok(aims_gate_exception_list(&g, s, NULL, 0));
	assert_int_equal(json_array_size(json_object_get(g, "exceptions")), 1);
	json_decref(g);
	/* no principal: refused */
	assert_aims_ok(aims_store_set_principal(s, NULL));
	assert_aims_error(aims_gate_request(&g, s, "credit", "credit-risk@1", "approved", NULL), AIMS_EAUTH, "not signed in");
	aims_store_free(s);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	aims_store *s = gate_store("alloc.db");
	assert_aims_ok(aims_policy_set(NULL, NULL, s, GATES, strlen(GATES), "g.yaml"));
	for (unsigned long n = 1; n < 200000; n++) {
		json_t *r = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_gate_check(&r, s, "credit", "credit-risk@1", "deployed", NULL);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(unmet(r), 3);
			json_decref(r);
			aims_store_free(s);
			return;
		}
		assert_null(r);
	}
	fail_msg("never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_number_exact),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_compiled),
		cmocka_unit_test(test_ov_match),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
