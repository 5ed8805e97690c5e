/*
 * Unit tests of the organization's facts and the status summary, and of
 * their operations (org.set, org.show, status, version): values are checked
 * in the library (a bad one names the field and writes nothing), the
 * documents have their keys in order, the operations check the permission
 * table and take the acting principal for the audit trail, and the JSON
 * builders survive allocation failures.
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
	return s;
}

static void assert_json_text(const json_t *doc, const char *want)
{
	char *got = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("got %s, want %s", got, want);
	free(got);
}

static void assert_org(aims_store *s, const char *want)
{
	json_t *o = NULL;
	assert_aims_ok(aims_org_json(&o, s));
	assert_json_text(o, want);
	json_decref(o);
}

static void test_org_set_and_refusals(void **state)
{
	(void)state;
	aims_store *s = new_store("org.db");
	char before[65], after[65];

	assert_org(s, "{\"name\":null,\"sector\":null,\"country\":null}");
	assert_aims_ok(aims_org_set(s, "Northwind Lending GmbH", NULL, "DE"));
	assert_org(s, "{\"name\":\"Northwind Lending GmbH\",\"sector\":null,\"country\":\"DE\"}");
	assert_aims_ok(aims_org_set(s, NULL, "consumer lending", NULL));
	assert_org(s, "{\"name\":\"Northwind Lending GmbH\",\"sector\":\"consumer lending\",\"country\":\"DE\"}");

	assert_aims_ok(aims_store_content_digest(before, s));
	assert_aims_error(aims_org_set(s, NULL, NULL, NULL), AIMS_EUSAGE, "nothing to set");
	/* a good name with a bad country: nothing at all is written */
	static const char *const bad_countries[] = { "de", "DEU", "D1", "12", "D E", "" };
	for (size_t i = 0; i < sizeof(bad_countries) / sizeof(bad_countries[0]); i++) {
		assert_aims_error(aims_org_set(s, "Other Ltd", NULL, bad_countries[i]), AIMS_EUSAGE, "country '");
		assert_string_equal(aims_error_last_field(), "country");
	}
	assert_aims_error(aims_org_set(s, "", NULL, NULL), AIMS_EUSAGE, "name: must not be empty");
	assert_string_equal(aims_error_last_field(), "name");
	assert_aims_error(aims_org_set(s, "Other Ltd", "retail\nbanking", NULL), AIMS_EUSAGE, "sector: must be one line");
	assert_string_equal(aims_error_last_field(), "sector");
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);
	aims_store_free(s);
}

static const aims_op *op(const char *name)
{
	const aims_op *o = aims_op_find(name);
	if (!o)
		fail_msg("no operation '%s'", name);
	return o;
}

/* run operation `name` as the store's principal with the request given as JSON text */
static int call(aims_op_result *res, aims_store *s, const char *name, const char *req_text)
{
	aims_op_ctx ctx;
	json_t *req = NULL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	if (req_text && !(req = json_loads(req_text, 0, NULL)))
		fail_msg("bad request text %s", req_text);
	int rc = aims_op_call(res, op(name), &ctx, req);
	json_decref(req);
	return rc;
}

static void test_org_operations(void **state)
{
	(void)state;
	aims_store *s = new_store("ops.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;

	/* org.set: the principal's permission, the document after the change, the audit entry's actor */
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_error(call(&res, s, "org.set", "{\"name\": \"Taken Over\"}"), AIMS_EPERM, "permission 'org.manage'");
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(call(&res, s, "org.set", "{\"name\": \"Northwind\", \"country\": \"DE\"}"));
	assert_json_text(res.json, "{\"name\":\"Northwind\",\"sector\":null,\"country\":\"DE\"}");
	assert_true(res.wrote);
	aims_op_result_release(&res);
	assert_aims_error(call(&res, s, "org.set", "{\"country\": \"deu\"}"), AIMS_EUSAGE, "country 'deu'");
	assert_string_equal(aims_error_last_field(), "country");
	assert_aims_error(call(&res, s, "org.set", "{\"colour\": \"red\"}"), AIMS_EINVALID, "colour");
	aims_ledger_entries *log = NULL;
	assert_aims_ok(aims_ledger_log_read(&log, s, "org.country"));
	assert_int_equal(log->count, 1);
	assert_string_equal(log->items[0].actor, "cm");
	assert_string_equal(log->items[0].object_type, "setting");
	aims_ledger_entries_free(log);

	/* org.show and status for a reader; ETags on documents of one object */
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_ok(call(&res, s, "org.show", NULL));
	assert_json_text(res.json, "{\"name\":\"Northwind\",\"sector\":null,\"country\":\"DE\"}");
	assert_true(strncmp(res.etag, "\"sha256:", 8) == 0);
	aims_op_result_release(&res);
	assert_aims_ok(call(&res, s, "status", NULL));
	json_t *want = NULL;
	assert_aims_ok(aims_status_json(&want, s));
	assert_true(json_equal(res.json, want));
	json_decref(want);
	aims_op_result_release(&res);
	assert_aims_ok(call(&res, s, "version", NULL));
	assert_string_equal(json_string_value(json_object_get(res.json, "version")), aims_version());
	assert_int_equal(json_integer_value(json_object_get(res.json, "schema")), aims_store_schema_latest());
	aims_op_result_release(&res);

	/* a service account reads nothing */
	test_act_as(s, "ingest", AIMS_ROLE_SERVICE);
	assert_aims_error(call(&res, s, "status", NULL), AIMS_EPERM, "permission 'read'");
	aims_store_free(s);
}

static void test_status_document(void **state)
{
	(void)state;
	aims_store *s = new_store("status.db");
	json_t *st = NULL;
	const char *csv = "control,applicable,status,justification,owner,evidence\nA.5.1,yes,implemented,,,\n";
	int64_t v = 0;

	assert_aims_ok(aims_status_json(&st, s));
	char *keys = NULL;
	aims_buf b = AIMS_BUF_INIT;
	const char *k;
	json_t *x;
	json_object_foreach(st, k, x)
		assert_aims_ok(aims_buf_printf(&b, "%s ", k));
	keys = aims_buf_detach(&b, NULL);
	assert_string_equal(keys, "organization store frameworks crosswalks isms ");
	aims__free(keys);
	assert_int_equal(json_array_size(json_object_get(st, "frameworks")), 4);
	assert_true(json_is_null(json_object_get(st, "isms")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(st, "store"), "backend")), aims_store_backend(s));
	/* kinds add up to the requirements of each framework */
	size_t i;
	json_array_foreach(json_object_get(st, "frameworks"), i, x) {
		json_int_t sum = 0;
		json_t *c;
		json_object_foreach(json_object_get(x, "kinds"), k, c)
			sum += json_integer_value(c);
		assert_int_equal(sum, json_integer_value(json_object_get(x, "requirements")));
	}
	json_decref(st);

	assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "soa.csv", &v));
	assert_aims_ok(aims_status_json(&st, s));
	json_t *isms = json_object_get(st, "isms");
	assert_int_equal(json_integer_value(json_object_get(isms, "version")), v);
	assert_int_equal(json_integer_value(json_object_get(isms, "rows")), 1);
	assert_string_equal(json_string_value(json_object_get(isms, "source")), "soa.csv");
	json_decref(st);
	aims_store_free(s);
}

static void test_documents_survive_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db");
	assert_aims_ok(aims_org_set(s, "Northwind", "lending", "DE"));
	for (unsigned long n = 1;; n++) {
		json_t *st = NULL, *org = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_status_json(&st, s);
		if (rc == 0)
			rc = aims_org_json(&org, s);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_non_null(st);
			assert_non_null(org);
			json_decref(st);
			json_decref(org);
			break;
		}
		if (rc != AIMS_ENOMEM)
			fail_msg("failing allocation %lu: %d: %s", n, rc, aims_error_last());
		assert_null(org);
		json_decref(st);
	}
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org_set_and_refusals),
		cmocka_unit_test(test_org_operations),
		cmocka_unit_test(test_status_document),
		cmocka_unit_test(test_documents_survive_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
