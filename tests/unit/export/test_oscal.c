/*
 * Unit tests of the OSCAL export and import (include/aims/oscal.h): UUIDv5
 * known answers (Python's uuid.uuid5 in aims' namespace), control ids,
 * every kind from a small store (with and without an ISMS state), usage
 * errors, the import's plan and round trip, errors naming the JSON path, the
 * operations through aims_op_call with permissions, and the builders under
 * allocation failures.
 */
#include "helpers.h"
#include "core/core.h"
#include "export/oscal_internal.h"

static aims_store *new_store(const char *name, int with_isms)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	const char *csv = "control,applicable,status,justification,owner,evidence\n"
			  "A.8.15,yes,implemented,,CISO,EV-LOG\n"
			  "A.5.1,yes,partial,,CISO,EV-POL\n";
	int64_t v = 0;
	o.create = 1;
	unlink(test_path(name));
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	if (with_isms)
		assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "isms.csv", &v));
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	f.purpose = "score loans";
	f.lifecycle = "operating";
	assert_aims_ok(aims_system_add(s, "scorer", &f));
	aims_soa_update u = AIMS_SOA_UPDATE_INIT;
	u.applicable = 0;
	u.justification = "no customer-facing AI";
	assert_aims_ok(aims_soa_set(s, "A.10.4", &u));
	aims_soa_update u2 = AIMS_SOA_UPDATE_INIT;
	u2.status = AIMS_STATUS_PARTIAL;
	u2.owner = "Head of Data";
	assert_aims_ok(aims_soa_set(s, "A.7.5", &u2));
	return s;
}

static void test_uuid_and_ids(void **state)
{
	(void)state;
	char u[37];
	/* python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("3b0e8f52-615d-5c2e-9a44-7c1f0d6e4219"), "control/x"))' */
	assert_aims_ok(aims_oscal_uuid(u, "control/x"));
	assert_string_equal(u, "02fe43cb-d64b-551f-bb98-0af6a814c394");
	assert_aims_ok(aims_oscal_uuid(u, "resource/catalog/iso42001-2023"));
	assert_string_equal(u, "488b5b24-72bc-52dd-b90a-34ce0d61cff3");
	char *t = aims_oscal_control_id("A.6.2.4");
	assert_string_equal(t, "a.6.2.4");
	aims_oscal_free(t);
	t = aims_oscal_control_id("4.1");
	assert_string_equal(t, "clause-4.1");
	aims_oscal_free(t);
	t = aims_oscal_control_id("GOVERN 1.1");
	assert_string_equal(t, "govern-1.1");
	aims_oscal_free(t);
}

static void test_every_kind(void **state)
{
	(void)state;
	static const char *const models[] = { "catalog", "profile", "component-definition", "system-security-plan",
					      "assessment-results", "plan-of-action-and-milestones" };
	for (int isms = 0; isms <= 1; isms++) {
		aims_store *s = new_store(isms ? "kinds-isms.db" : "kinds.db", isms);
		for (size_t k = 0; aims_oscal_kinds[k]; k++) {
			json_t *doc = NULL;
			assert_aims_ok(aims_oscal_export(&doc, s, aims_oscal_kinds[k], "scorer", NULL));
			json_t *m = json_object_get(doc, models[k]);
			assert_non_null(m);
			assert_int_equal(json_object_size(doc), 1);
			assert_string_equal(json_string_value(json_object_get(json_object_get(m, "metadata"),
									      "oscal-version")), "1.1.2");
			/* the same state exports the same document */
			json_t *again = NULL;
			assert_aims_ok(aims_oscal_export(&again, s, aims_oscal_kinds[k], "scorer", NULL));
			assert_true(json_equal(doc, again));
			json_decref(again);
			json_decref(doc);
		}
		json_t *ar = NULL;
		assert_aims_ok(aims_oscal_export(&ar, s, "assessment-results", NULL, NULL));
		json_t *r0 = json_array_get(json_object_get(json_object_get(ar, "assessment-results"), "results"), 0);
		/* without an ISMS state there is no gap analysis: no findings */
		assert_int_equal(json_array_size(json_object_get(r0, "findings")), isms ? 69 : 0);
		json_decref(ar);
		aims_store_free(s);
	}
}

static void test_usage_errors(void **state)
{
	(void)state;
	aims_store *s = new_store("usage.db", 0);
	json_t *doc = NULL;
	assert_aims_error(aims_oscal_export(&doc, s, "mapping", NULL, NULL), AIMS_EUSAGE, "unknown kind 'mapping'");
	assert_aims_error(aims_oscal_export(&doc, s, "ssp", NULL, NULL), AIMS_EUSAGE, "--system");
	assert_aims_error(aims_oscal_export(&doc, s, "ssp", "ghost", NULL), AIMS_ENOTFOUND, "ghost");
	assert_aims_error(aims_oscal_export(&doc, s, "poam", "ghost", NULL), AIMS_ENOTFOUND, "ghost");
	assert_aims_error(aims_oscal_export(&doc, s, "catalog", NULL, "nist-csf-2.0"), AIMS_ENOTFOUND, "nist-csf-2.0");
	assert_null(doc);
	aims_store_free(s);
}

static void test_round_trip_and_plan(void **state)
{
	(void)state;
	aims_store *s = new_store("rt.db", 1), *t = NULL;
	json_t *doc = NULL;
	assert_aims_ok(aims_oscal_export(&doc, s, "profile", NULL, NULL));
	char *text = json_dumps(doc, JSON_COMPACT);
	assert_non_null(text);

	aims_catalog *c27 = NULL, *c42 = NULL;
	aims__oscal_plan *plan = NULL;
	assert_aims_ok(aims_catalog_read(&c27, s, "iso27001-2022"));
	assert_aims_ok(aims_catalog_read(&c42, s, "iso42001-2023"));
	assert_aims_ok(aims__oscal_parse(&plan, text, strlen(text), "p.json", c27, c42));
	assert_string_equal(plan->target, "soa");
	assert_int_equal(plan->excluded, 1);
	aims__oscal_plan_free(plan);
	plan = NULL;

	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	o.create = 1;
	unlink(test_path("rt2.db"));
	assert_aims_ok(aims_store_open(&t, test_store_url("rt2.db"), &o));
	test_act_as(t, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(t, NULL, NULL));
	aims_oscal_import_result r = AIMS_OSCAL_IMPORT_RESULT_INIT;
	assert_aims_ok(aims_oscal_import(&r, t, text, strlen(text), "p.json"));
	assert_string_equal(r.target, "soa");
	assert_int_equal(r.controls, 2);
	aims_soa *a = NULL, *b = NULL;
	assert_aims_ok(aims_soa_read(&a, s));
	assert_aims_ok(aims_soa_read(&b, t));
	for (size_t i = 0; i < aims_soa_count(a); i++) {
		const aims_soa_entry *x = aims_soa_at(a, i), *y = aims_soa_at(b, i);
		assert_string_equal(x->control, y->control);
		assert_int_equal(x->decided, y->decided);
		assert_int_equal(x->applicable, y->applicable);
		assert_int_equal(x->status, y->status);
		assert_int_equal(aims__strcmp0(x->justification, y->justification), 0);
		assert_int_equal(aims__strcmp0(x->owner, y->owner), 0);
	}
	aims_soa_free(a);
	aims_soa_free(b);

	/* an error names the file, the line and the path; nothing is written */
	const char *bad = "{\"profile\": {\"imports\": [{\"href\": \"x\",\n"
			  "  \"include-controls\": [{\"with-ids\": [\"a.5.1\", \"a.99\"]}]}]}}";
	assert_aims_error(aims__oscal_parse(&plan, bad, strlen(bad), "bad.json", c27, c42), AIMS_EINVALID,
			  "'bad.json' line 2: profile.imports[0].include-controls[0].with-ids[1]: 'a.99'");
	assert_null(plan);
	char dg0[65], dg1[65];
	assert_aims_ok(aims_store_content_digest(dg0, t));
	assert_aims_error(aims_oscal_import(&r, t, bad, strlen(bad), "bad.json"), AIMS_EINVALID, "a.99");
	assert_aims_ok(aims_store_content_digest(dg1, t));
	assert_string_equal(dg0, dg1);

	free(text);
	json_decref(doc);
	aims_catalog_free(c27);
	aims_catalog_free(c42);
	aims_store_free(t);
	aims_store_free(s);
}

static int call(aims_op_result *res, aims_store *s, const char *name, json_t *req)
{
	aims_op_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	return aims_op_call(res, aims_op_find(name), &ctx, req);
}

static void test_ops(void **state)
{
	(void)state;
	aims_store *s = new_store("ops.db", 1);
	aims_op_result res = AIMS_OP_RESULT_INIT;
	json_t *req = json_pack("{s:s}", "kind", "profile");
	assert_aims_ok(call(&res, s, "oscal.export", req));
	assert_non_null(json_object_get(res.json, "profile"));
	char *text = json_dumps(res.json, 0);
	aims_op_result_release(&res);
	json_decref(req);

	req = json_pack("{s:s, s:s}", "kind", "poam", "framework", "nist-ai-rmf-1.0");
	assert_aims_error(call(&res, s, "oscal.export", req), AIMS_EUSAGE, "framework");
	assert_string_equal(aims_error_last_field(), "framework");
	json_decref(req);
	req = json_pack("{s:s}", "kind", "ssp");
	assert_aims_error(call(&res, s, "oscal.export", req), AIMS_EUSAGE, "system");
	json_decref(req);

	req = json_pack("{s:s, s:s}", "file", text, "source", "profile.json");
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_error(call(&res, s, "oscal.import", req), AIMS_EPERM, "isms.manage");
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(call(&res, s, "oscal.import", req));
	assert_string_equal(json_string_value(json_object_get(res.json, "target")), "soa");
	assert_true(json_is_null(json_object_get(res.json, "isms_version")));
	assert_int_equal(json_integer_value(json_object_get(res.json, "excluded")), 1);
	aims_op_result_release(&res);
	json_decref(req);
	free(text);
	aims_store_free(s);
}

static void test_export_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db", 1);
	for (size_t k = 0; aims_oscal_kinds[k]; k++) {
		/* every allocation up to 256, then a sample that gets sparser (the exports make tens of
		   thousands): each failure must come back as an error with nothing leaked */
		for (unsigned long n = 1;; n += n < 256 ? 1 : n / 32) {
			json_t *doc = NULL;
			aims__alloc_fail_after(n);
			int rc = aims_oscal_export(&doc, s, aims_oscal_kinds[k], "scorer", NULL);
			aims__alloc_fail_after(0);
			if (rc == 0) {
				assert_non_null(doc);
				json_decref(doc);
				break;
			}
			assert_null(doc);
			assert_true(rc == AIMS_ENOMEM || rc == AIMS_ERROR);
			assert_true(n < 10000000);
		}
	}
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_and_ids),
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_round_trip_and_plan),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_export_survives_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
