/*
 * Unit tests of the catalog operations (catalog.list, catalog.show) and
 * their JSON: a requirement with its optional members only when present,
 * a catalog cut to one requirement and what it contains or to one kind,
 * the refusals (unknown framework or id: not found; unknown kind: the field
 * named), and the builders under allocation failures.
 */
#include "helpers.h"
#include "core/core.h"

static aims_store *new_store(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
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

static json_t *ids(const json_t *doc)
{
	json_t *a = json_array(), *r;
	size_t i;
	json_array_foreach(json_object_get(doc, "requirements"), i, r)
		json_array_append(a, json_object_get(r, "id"));
	return a;
}

static void test_requirement_json(void **state)
{
	(void)state;
	aims_requirement r = { "A.6.2.4", "control", "AI system verification and validation", "A.6", NULL, NULL, NULL };
	json_t *o = aims_requirement_json(&r);
	char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(t, "{\"id\":\"A.6.2.4\",\"kind\":\"control\",\"title\":\"AI system verification and "
			       "validation\",\"parent\":\"A.6\"}");
	free(t);
	json_decref(o);
	aims_requirement top = { "Annex III", "annex", "High-risk AI systems", NULL, "sum", "text", "ch" };
	o = aims_requirement_json(&top);
	t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(t, "{\"id\":\"Annex III\",\"kind\":\"annex\",\"title\":\"High-risk AI systems\",\"parent\":null,"
			       "\"summary\":\"sum\",\"text\":\"text\",\"chapter\":\"ch\"}");
	free(t);
	json_decref(o);
}

static void test_show_and_list(void **state)
{
	(void)state;
	aims_store *s = new_store("ops.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;

	assert_aims_ok(call(&res, s, "catalog.list", NULL));
	assert_int_equal(json_array_size(json_object_get(res.json, "frameworks")), 4);
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "catalog.show", "{\"framework\": \"iso42001-2023\", \"id\": \"A.6\"}"));
	json_t *got = ids(res.json), *want = json_loads("[\"A.6\",\"A.6.1.2\",\"A.6.1.3\",\"A.6.2.2\",\"A.6.2.3\","
							"\"A.6.2.4\",\"A.6.2.5\",\"A.6.2.6\",\"A.6.2.7\",\"A.6.2.8\"]", 0, NULL);
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);
	assert_string_equal(json_string_value(json_object_get(res.json, "framework")), "iso42001-2023");
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "catalog.show", "{\"framework\": \"eu-ai-act-2024\", \"kind\": \"annex\"}"));
	assert_int_equal(json_array_size(json_object_get(res.json, "requirements")), 13);
	aims_op_result_release(&res);
	assert_aims_ok(call(&res, s, "catalog.show", "{\"framework\": \"iso42001-2023\", \"kind\": \"article\"}"));
	assert_int_equal(json_array_size(json_object_get(res.json, "requirements")), 0);
	aims_op_result_release(&res);

	assert_aims_error(call(&res, s, "catalog.show", "{\"framework\": \"iso42001-2023\", \"kind\": \"controls\"}"),
			  AIMS_EUSAGE, "kind 'controls' is not a requirement kind");
	assert_string_equal(aims_error_last_field(), "kind");
	assert_aims_error(call(&res, s, "catalog.show", "{\"framework\": \"iso42001-2023\", \"id\": \"A.99\"}"),
			  AIMS_ENOTFOUND, "no requirement 'A.99' in 'iso42001-2023'");
	assert_aims_error(call(&res, s, "catalog.show", "{\"framework\": \"iso9999\"}"), AIMS_ENOTFOUND, "iso9999");
	assert_aims_error(call(&res, s, "catalog.show", NULL), AIMS_EINVALID, "framework");
	test_act_as(s, "ingest", AIMS_ROLE_SERVICE);
	assert_aims_error(call(&res, s, "catalog.list", NULL), AIMS_EPERM, "permission 'read'");
	aims_store_free(s);
}

static void test_builders_survive_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db");
	aims_catalog *cat = NULL;
	aims_catalog_list *list = NULL;
	assert_aims_ok(aims_catalog_read(&cat, s, "nist-ai-rmf-1.0"));
	assert_aims_ok(aims_catalog_list_read(&list, s));
	for (unsigned long n = 1;; n++) {
		json_t *doc = NULL, *l = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_catalog_json(&doc, cat, "GOVERN 1", NULL);
		if (rc == 0 && !(l = aims_catalog_list_json(list)))
			rc = AIMS_ENOMEM;
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(json_array_size(json_object_get(doc, "requirements")), 8);
			json_decref(doc);
			json_decref(l);
			break;
		}
		assert_int_equal(rc, AIMS_ENOMEM);
		json_decref(doc);
	}
	aims_catalog_list_free(list);
	aims_catalog_free(cat);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requirement_json),
		cmocka_unit_test(test_show_and_list),
		cmocka_unit_test(test_builders_survive_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
