/*
 * Unit tests of the crosswalk operations (map.list, map.show, map.path) and
 * their JSON: the documented keys, a crosswalk cut to one target, the
 * inverted reading, paths with their hops, no path as a finding, the
 * refusals naming the field, and the builders under allocation failures.
 */
#include "helpers.h"
#include "core/core.h"

static aims_store *new_store(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	unlink(test_path(name));
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

static void test_list_and_show(void **state)
{
	(void)state;
	aims_store *s = new_store("map.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;

	assert_aims_ok(call(&res, s, "map.list", NULL));
	const json_t *cws = json_object_get(res.json, "crosswalks");
	assert_int_equal(json_array_size(cws), 4);
	const json_t *first = json_array_get(cws, 0);
	const char *key;
	json_t *v;
	static const char *const order[] = { "from", "to", "title", "source", "licence", "method" };
	size_t k = 0;
	json_object_foreach((json_t *)first, key, v) {
		if (k < 6)
			assert_string_equal(key, order[k]);
		k++;
	}
	assert_non_null(json_object_get(first, "rows"));
	assert_non_null(json_object_get(first, "digest"));
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "map.show", "{\"from\": \"iso27001-2022\", \"to\": \"iso42001-2023\", \"target\": "
				"\"A.6.2.8\"}"));
	assert_false(json_is_true(json_object_get(res.json, "inverted")));
	json_t *m;
	size_t i;
	assert_true(json_array_size(json_object_get(res.json, "mappings")) > 0);
	json_array_foreach(json_object_get(res.json, "mappings"), i, m) {
		assert_string_equal(json_string_value(json_object_get(m, "target")), "A.6.2.8");
		assert_null(json_object_get(m, "role"));
	}
	assert_int_equal(json_array_size(json_object_get(res.json, "targets")), 1);
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "map.show", "{\"from\": \"iso42001-2023\", \"to\": \"iso27001-2022\"}"));
	assert_true(json_is_true(json_object_get(res.json, "inverted")));
	assert_int_equal(json_array_size(json_object_get(res.json, "targets")), 0);
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "map.show", "{\"from\": \"iso42001-2023\", \"to\": \"eu-ai-act-2024\"}"));
	assert_non_null(json_object_get(json_array_get(json_object_get(res.json, "mappings"), 0), "role"));
	aims_op_result_release(&res);

	assert_aims_error(call(&res, s, "map.show", "{\"from\": \"iso27001-2022\", \"to\": \"iso42001-2023\", \"target\": "
				   "\"A.99\"}"), AIMS_ENOTFOUND, "no requirement 'A.99' in 'iso42001-2023'");
	assert_aims_error(call(&res, s, "map.show", "{\"from\": \"nist-ai-rmf-1.0\", \"to\": \"eu-ai-act-2024\"}"),
			  AIMS_ENOTFOUND, "nist-ai-rmf-1.0");
	assert_aims_error(call(&res, s, "map.show", "{\"from\": \"\", \"to\": \"iso42001-2023\"}"), AIMS_EUSAGE,
			  "required");
	assert_string_equal(aims_error_last_field(), "from");
	assert_aims_error(call(&res, s, "map.show", "{\"from\": \"iso27001-2022\"}"), AIMS_EINVALID, "to");
	aims_store_free(s);
}

static void test_paths(void **state)
{
	(void)state;
	aims_store *s = new_store("path.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;

	assert_aims_ok(call(&res, s, "map.path", "{\"from\": \"iso27001-2022:A.8.15\", \"to\": \"eu-ai-act-2024:Article 12\"}"));
	assert_int_equal(res.outcome, 0);
	const json_t *from = json_object_get(res.json, "from"), *to = json_object_get(res.json, "to");
	assert_string_equal(json_string_value(json_object_get(from, "framework")), "iso27001-2022");
	assert_string_equal(json_string_value(json_object_get(to, "id")), "Article 12");
	const json_t *p = json_array_get(json_object_get(res.json, "paths"), 0);
	assert_non_null(p);
	const json_t *hop = json_array_get(json_object_get(p, "hops"), 0);
	assert_string_equal(json_string_value(json_object_get(hop, "from")), "iso27001-2022:A.8.15");
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "map.path", "{\"from\": \"iso42001-2023:A.6.2.8\", \"to\": \"eu-ai-act-2024\"}"));
	assert_true(json_is_null(json_object_get(json_object_get(res.json, "to"), "id")));
	aims_op_result_release(&res);

	/* no path: the document with an empty list, and a finding */
	assert_aims_ok(call(&res, s, "map.path", "{\"from\": \"iso42001-2023:A.5.5\", \"to\": \"iso27001-2022\"}"));
	assert_int_equal(json_array_size(json_object_get(res.json, "paths")), 0);
	assert_int_equal(res.outcome, AIMS_EDENIED);
	aims_op_result_release(&res);

	assert_aims_error(call(&res, s, "map.path", "{\"from\": \"iso27001-2022\", \"to\": \"eu-ai-act-2024\"}"),
			  AIMS_EUSAGE, "'iso27001-2022' is not FRAMEWORK:ID");
	assert_string_equal(aims_error_last_field(), "from");
	assert_aims_error(call(&res, s, "map.path", "{\"from\": \"iso27001-2022:A.8.15\", \"to\": \"eu-ai-act-2024:\"}"),
			  AIMS_EUSAGE, "is not FRAMEWORK:ID or FRAMEWORK");
	assert_string_equal(aims_error_last_field(), "to");
	assert_aims_error(call(&res, s, "map.path", "{\"from\": \":A.8.15\", \"to\": \"eu-ai-act-2024\"}"), AIMS_EUSAGE,
			  "FRAMEWORK:ID");
	assert_aims_error(call(&res, s, "map.path", "{\"from\": \"iso27001-2022:A.8.15\", \"to\": \"iso27001-2022:A.8.16\"}"),
			  AIMS_EUSAGE, "are in the same framework");
	assert_aims_error(call(&res, s, "map.path", "{\"from\": \"iso27001-2022:A.99\", \"to\": \"eu-ai-act-2024\"}"),
			  AIMS_ENOTFOUND, "no requirement 'A.99' in 'iso27001-2022'");
	test_act_as(s, "ingest", AIMS_ROLE_SERVICE);
	assert_aims_error(call(&res, s, "map.list", NULL), AIMS_EPERM, "permission 'read'");
	aims_store_free(s);
}

static void test_builders_survive_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db");
	aims_crosswalk_list *list = NULL;
	aims_crosswalk *cw = NULL;
	aims_path_list *paths = NULL;
	assert_aims_ok(aims_crosswalk_list_read(&list, s));
	assert_aims_ok(aims_crosswalk_read(&cw, s, "iso42001-2023", "eu-ai-act-2024"));
	assert_aims_ok(aims_map_paths(&paths, s, "iso27001-2022", "A.8.15", "eu-ai-act-2024", NULL));
	assert_true(paths->count > 0);
	for (unsigned long n = 1;; n++) {
		aims__alloc_fail_after(n);
		json_t *l = aims_crosswalk_list_json(list);
		json_t *c = l ? aims_crosswalk_json(cw, NULL) : NULL;
		json_t *p = c ? aims_path_list_json(paths, "iso27001-2022", "A.8.15", "eu-ai-act-2024", NULL) : NULL;
		aims__alloc_fail_after(0);
		if (l && c && p) {
			assert_int_equal(json_array_size(json_object_get(l, "crosswalks")), 4);
			assert_int_equal(json_array_size(json_object_get(p, "paths")), paths->count);
			json_decref(l);
			json_decref(c);
			json_decref(p);
			break;
		}
		json_decref(l);
		json_decref(c);
		assert_null(p);
	}
	aims_path_list_free(paths);
	aims_crosswalk_free(cw);
	aims_crosswalk_list_free(list);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_show),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_builders_survive_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
