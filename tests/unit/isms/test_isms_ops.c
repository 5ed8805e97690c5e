/*
 * Unit tests of the ISMS operations (isms.import, isms.show, isms.versions)
 * and their JSON: an import takes the CSV text and names it by the
 * request's source, else by the input's name, in messages and in the
 * version it stores; a refused import stores nothing; the documents have
 * their keys in order and survive allocation failures.
 */
#include "helpers.h"
#include "core/core.h"

#define HEADER "control,applicable,status,justification,owner,evidence\n"

static aims_store *new_store(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	return s;
}

/* run `name` with the request {"file": csv, ...more}; input_name as a front end would set it */
static int import(aims_op_result *res, aims_store *s, const char *csv, const char *source, const char *input_name)
{
	aims_op_ctx ctx;
	json_t *req = json_pack("{s:s}", "file", csv);
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.input_name = input_name;
	ctx.client = "http";
	if (source)
		json_object_set_new(req, "source", json_string(source));
	int rc = aims_op_call(res, aims_op_find("isms.import"), &ctx, req);
	json_decref(req);
	return rc;
}

static int show(aims_op_result *res, aims_store *s, const char *name, json_t *req)
{
	aims_op_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	int rc = aims_op_call(res, aims_op_find(name), &ctx, req);
	json_decref(req);
	return rc;
}

static void test_import_show_versions(void **state)
{
	(void)state;
	aims_store *s = new_store("ops.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	char before[65], after[65];
	const char *good = HEADER "A.5.1,yes,implemented,,CISO,POL-1; POL-2\nA.7.1,no,,Fully remote,,\n";

	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_error(import(&res, s, good, NULL, "request body"), AIMS_EPERM, "permission 'isms.manage'");
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);

	/* a bad row: named by the input's name, or by the request's source; nothing stored */
	assert_aims_ok(aims_store_content_digest(before, s));
	assert_aims_error(import(&res, s, HEADER "A.5.1,yes,done,,,\n", NULL, "request body"), AIMS_EINVALID,
			  "'request body' line 2: status: 'done'");
	assert_aims_error(import(&res, s, HEADER "A.5.1,yes,implemented,,,\nA.5.2,perhaps,,,,\n", "soa.csv",
				 "request body"), AIMS_EINVALID, "'soa.csv' line 3: applicable:");
	/* control characters reach the parser, which names the line and the field */
	assert_aims_error(import(&res, s, HEADER "A.5.1,yes,implemented,a\001b,,\n", "soa.csv", NULL), AIMS_EINVALID,
			  "'soa.csv' line 2: justification:");
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);

	assert_aims_ok(import(&res, s, good, "soa.csv", "request body"));
	assert_true(res.wrote);
	assert_int_equal(json_integer_value(json_object_get(res.json, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(res.json, "source")), "soa.csv");
	json_t *ctl = json_array_get(json_object_get(res.json, "controls"), 0);
	char *t = json_dumps(ctl, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(t, "{\"control\":\"A.5.1\",\"applicable\":true,\"status\":\"implemented\","
			       "\"justification\":null,\"owner\":\"CISO\",\"evidence\":[\"POL-1\",\"POL-2\"],\"line\":2}");
	free(t);
	json_t *summary = json_object_get(res.json, "summary");
	assert_int_equal(json_integer_value(json_object_get(summary, "implemented")), 1);
	assert_int_equal(json_integer_value(json_object_get(summary, "excluded")), 1);
	assert_int_equal(json_array_size(json_object_get(summary, "missing")), 91);
	json_t *imported = json_incref(res.json);
	aims_op_result_release(&res);

	/* without a source the input's name is kept */
	assert_aims_ok(import(&res, s, good, NULL, "standard input"));
	assert_string_equal(json_string_value(json_object_get(res.json, "source")), "standard input");
	aims_op_result_release(&res);

	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_ok(show(&res, s, "isms.show", json_pack("{s:i}", "version", 1)));
	assert_true(json_equal(res.json, imported));
	assert_true(strncmp(res.etag, "\"sha256:", 8) == 0);
	aims_op_result_release(&res);
	json_decref(imported);
	assert_aims_ok(show(&res, s, "isms.show", NULL));
	assert_int_equal(json_integer_value(json_object_get(res.json, "version")), 2);
	aims_op_result_release(&res);
	assert_aims_error(show(&res, s, "isms.show", json_pack("{s:i}", "version", 0)), AIMS_EUSAGE, "positive");
	assert_string_equal(aims_error_last_field(), "version");
	assert_aims_error(show(&res, s, "isms.show", json_pack("{s:i}", "version", 7)), AIMS_ENOTFOUND, "7");
	assert_aims_error(show(&res, s, "isms.show", json_pack("{s:s}", "version", "two")), AIMS_EINVALID, "version");

	assert_aims_ok(show(&res, s, "isms.versions", NULL));
	json_t *v = json_object_get(res.json, "versions");
	assert_int_equal(json_array_size(v), 2);
	t = json_dumps(json_array_get(v, 1), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(strstr(t, "{\"version\":2,\"framework\":\"iso27001-2022\",\"imported_at\":\""));
	assert_non_null(strstr(t, "\"source\":\"standard input\",\"digest\":\""));
	free(t);
	aims_op_result_release(&res);
	aims_store_free(s);
}

static void test_document_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db");
	const char *csv = HEADER "A.5.1,yes,implemented,,CISO,POL-1; POL-2\nA.7.1,no,,Fully remote,,\n";
	aims_isms *isms = NULL;
	aims_catalog *cat = NULL;
	int64_t v = 0;
	assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "soa.csv", &v));
	assert_aims_ok(aims_isms_read(&isms, s, v));
	assert_aims_ok(aims_catalog_read(&cat, s, "iso27001-2022"));
	for (unsigned long n = 1;; n++) {
		aims__alloc_fail_after(n);
		json_t *doc = aims_isms_json(isms, cat);
		json_t *info = doc ? aims_isms_info_json(aims_isms_info_get(isms)) : NULL;
		aims__alloc_fail_after(0);
		if (doc && info) {
			assert_int_equal(json_array_size(json_object_get(doc, "controls")), 2);
			json_decref(doc);
			json_decref(info);
			break;
		}
		json_decref(doc);
	}
	aims_catalog_free(cat);
	aims_isms_free(isms);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_show_versions),
		cmocka_unit_test(test_document_survives_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
