/*
 * Unit tests of the EU AI Act operations (aiact.classify, show,
 * obligations, obligation_show, obligation_set, fria, annex_iv) and their
 * JSON: the answers as text naming ctx->input_name in refusals, the stored
 * classification document, obligations on a given day, usage errors and
 * permissions, the acting principal in the ledger, the FRIA and Annex IV
 * formats, and the builders under allocation failures.
 */
#include "helpers.h"
#include "core/core.h"

/* the current answers format: a deployer of an Annex III 5(b) system with profiling (high-risk, FRIA) */
static const char *CREDIT =
	"role: deployer\nart2_exclusion: none\nprohibited_practice: none\nannex_i_safety_component: false\n"
	"annex_i_section_b: false\nannex_iii_area: 5(b)\nart6_3_exemption: none\nprofiling: true\n"
	"interacts_with_natural_persons: false\ngenerates_synthetic_content: false\nemotion_recognition: false\n"
	"biometric_categorisation: none\ndeep_fake: false\ngpai: false\nsystemic_risk: false\n"
	"gpai_open_source: false\nbuilds_on_third_party_gpai: false\nfree_open_source_licence: false\n"
	"public_authority: false\nprovides_public_service: true\naffects_workers: true\n";

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	o.create = 1;
	unlink(test_path(name));
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	f.purpose = "credit scoring";
	assert_aims_ok(aims_system_add(s, "credit", &f));
	return s;
}

static int call_named(aims_op_result *res, aims_store *s, const char *name, json_t *req, const char *input_name)
{
	aims_op_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	ctx.input_name = input_name;
	int rc = aims_op_call(res, aims_op_find(name), &ctx, req);
	json_decref(req);
	return rc;
}

static int call(aims_op_result *res, aims_store *s, const char *name, const char *req_text)
{
	json_t *req = NULL;
	if (req_text && !(req = json_loads(req_text, 0, NULL)))
		fail_msg("bad request text %s", req_text);
	return call_named(res, s, name, req, NULL);
}

static json_t *classify_req(const char *system, const char *answers)
{
	return json_pack("{s:s, s:s}", "system", system, "answers", answers);
}

static void test_classify_and_show(void **state)
{
	(void)state;
	aims_store *s = fresh("classify.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;

	assert_aims_ok(call_named(&res, s, "aiact.classify", classify_req("credit", CREDIT), "credit.yaml"));
	assert_int_equal(res.wrote, 1);
	assert_string_equal(json_string_value(json_object_get(res.json, "system")), "credit");
	assert_int_equal(json_integer_value(json_object_get(res.json, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(res.json, "tier")), "high-risk");
	assert_true(json_is_true(json_object_get(res.json, "fria_required")));
	const json_t *o0 = json_array_get(json_object_get(res.json, "obligations"), 0);
	assert_non_null(json_object_get(o0, "id"));
	assert_string_equal(json_string_value(json_object_get(o0, "status")), "open");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res.json, "answers"), "format")), 2);
	json_t *classified = json_incref(res.json);
	aims_op_result_release(&res);

	/* show answers the same document */
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	assert_aims_ok(call(&res, s, "aiact.show", "{\"system\": \"credit\"}"));
	assert_true(json_equal(res.json, classified));
	json_decref(classified);
	aims_op_result_release(&res);

	/* an auditor may not classify; a risk owner neither */
	assert_aims_error(call_named(&res, s, "aiact.classify", classify_req("credit", CREDIT), "credit.yaml"), AIMS_EPERM,
			  "permission 'aiact.manage'");
	test_act_as(s, "rob", AIMS_ROLE_RISK_OWNER);
	assert_aims_error(call_named(&res, s, "aiact.classify", classify_req("credit", CREDIT), "credit.yaml"), AIMS_EPERM,
			  "permission 'aiact.manage'");

	/* refusals name the input, the line and the key, and the field of the request */
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	char bad[2048];
	snprintf(bad, sizeof(bad), "%s", CREDIT);
	char *at = strstr(bad, "profiling: true");
	assert_non_null(at);
	memcpy(at, "profiling: xxxx", 15);
	assert_aims_error(call_named(&res, s, "aiact.classify", classify_req("credit", bad), "request body"),
			  AIMS_EINVALID, "'request body' line 8: profiling: wrong type");
	assert_string_equal(aims_error_last_field(), "answers");
	assert_aims_error(call_named(&res, s, "aiact.classify", classify_req("nobody", CREDIT), NULL), AIMS_ENOTFOUND,
			  "nobody");
	assert_aims_error(call(&res, s, "aiact.show", "{\"system\": \"nobody\"}"), AIMS_ENOTFOUND, "nobody");

	/* the ledger names the acting principal */
	aims_ledger_entries *log = NULL;
	assert_aims_ok(aims_ledger_log_read(&log, s, "credit"));
	int classified_by_cm = 0;
	for (size_t i = 0; i < log->count; i++)
		classified_by_cm |= strcmp(log->items[i].object_type, "aiact-classification") == 0 &&
				    strcmp(log->items[i].actor, "cm") == 0;
	assert_true(classified_by_cm);
	aims_ledger_entries_free(log);
	aims_store_free(s);
}

static void test_obligations(void **state)
{
	(void)state;
	aims_store *s = fresh("obligations.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	char req[256];

	assert_aims_error(call(&res, s, "aiact.obligations", "{\"system\": \"credit\"}"), AIMS_ENOTFOUND,
			  "no EU AI Act classification yet");
	assert_aims_ok(call_named(&res, s, "aiact.classify", classify_req("credit", CREDIT), "credit.yaml"));
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "aiact.obligations", "{\"system\": \"credit\", \"on\": \"2025-03-01\"}"));
	assert_string_equal(json_string_value(json_object_get(res.json, "on")), "2025-03-01");
	assert_int_equal(json_integer_value(json_object_get(res.json, "classification")), 1);
	const json_t *items = json_object_get(res.json, "obligations");
	assert_true(json_array_size(items) >= 8);
	size_t applying = 0, i;
	json_t *it;
	json_array_foreach(items, i, it) {
		applying += json_is_true(json_object_get(it, "applies"));
	}
	assert_int_equal(applying, 1); /* Art. 4 only */
	char id[32];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(json_array_get(items, 0), "id")));
	aims_op_result_release(&res);
	assert_aims_error(call(&res, s, "aiact.obligations", "{\"system\": \"credit\", \"on\": \"2026-02-30\"}"),
			  AIMS_EINVALID, "'2026-02-30' is not a date");
	assert_string_equal(aims_error_last_field(), "on");

	/* obligation set: usage errors, met needs evidence, the document is obligation_show's */
	snprintf(req, sizeof(req), "{\"id\": \"%s\"}", id);
	assert_aims_error(call(&res, s, "aiact.obligation_set", req), AIMS_EUSAGE, "nothing to change");
	snprintf(req, sizeof(req), "{\"id\": \"%s\", \"status\": \"done\"}", id);
	assert_aims_error(call(&res, s, "aiact.obligation_set", req), AIMS_EINVALID, "status");
	snprintf(req, sizeof(req), "{\"id\": \"%s\", \"status\": \"met\"}", id);
	assert_aims_error(call(&res, s, "aiact.obligation_set", req), AIMS_ECONFLICT, "needs evidence");
	snprintf(req, sizeof(req), "{\"id\": \"%s\", \"status\": \"met\", \"evidence\": [\"DOC-1\", \"DOC-1\", \"x\"]}",
		 id);
	assert_aims_ok(call(&res, s, "aiact.obligation_set", req));
	json_t *set = json_incref(res.json);
	assert_string_equal(json_string_value(json_object_get(set, "status")), "met");
	assert_int_equal(json_array_size(json_object_get(set, "evidence")), 2);
	aims_op_result_release(&res);
	snprintf(req, sizeof(req), "{\"id\": \"%s\"}", id);
	assert_aims_ok(call(&res, s, "aiact.obligation_show", req));
	assert_true(json_equal(res.json, set));
	json_decref(set);
	aims_op_result_release(&res);
	assert_aims_error(call(&res, s, "aiact.obligation_show", "{\"id\": \"OBL-999\"}"), AIMS_ENOTFOUND, "OBL-999");
	assert_aims_error(call(&res, s, "aiact.obligation_set", "{\"id\": \"OBL-999\", \"note\": \"x\"}"), AIMS_ENOTFOUND,
			  "OBL-999");
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);
	snprintf(req, sizeof(req), "{\"id\": \"%s\", \"note\": \"x\"}", id);
	assert_aims_error(call(&res, s, "aiact.obligation_set", req), AIMS_EPERM, "permission 'aiact.manage'");
	aims_store_free(s);
}

static void test_fria_and_annex_iv(void **state)
{
	(void)state;
	aims_store *s = fresh("reports.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;

	assert_aims_error(call(&res, s, "aiact.fria", "{\"system\": \"credit\"}"), AIMS_ENOTFOUND, "classification");
	assert_aims_ok(call_named(&res, s, "aiact.classify", classify_req("credit", CREDIT), "credit.yaml"));
	aims_op_result_release(&res);
	test_act_as(s, "eve", AIMS_ROLE_AUDITOR);

	assert_aims_ok(call(&res, s, "aiact.fria", "{\"system\": \"credit\"}"));
	assert_true(json_is_true(json_object_get(res.json, "fria_required")));
	const char *md = json_string_value(json_object_get(res.json, "markdown"));
	assert_non_null(md);
	assert_non_null(strstr(md, "## (a)"));
	char *copy = strdup(md);
	aims_op_result_release(&res);
	assert_aims_ok(call(&res, s, "aiact.fria", "{\"system\": \"credit\", \"format\": \"markdown\"}"));
	assert_null(res.json);
	assert_string_equal(res.content_type, "text/markdown; charset=utf-8");
	assert_int_equal(res.body.len, strlen(copy));
	assert_memory_equal(res.body.ptr, copy, res.body.len);
	free(copy);
	aims_op_result_release(&res);

	assert_aims_ok(call(&res, s, "aiact.annex_iv", "{\"system\": \"credit\"}"));
	json_int_t items = json_integer_value(json_object_get(res.json, "items"));
	assert_true(items > 15);
	assert_int_equal(items, json_integer_value(json_object_get(res.json, "found")) +
					json_integer_value(json_object_get(res.json, "missing")));
	assert_null(json_object_get(res.json, "html"));
	aims_op_result_release(&res);
	assert_aims_ok(call(&res, s, "aiact.annex_iv", "{\"system\": \"credit\", \"format\": \"html\"}"));
	assert_true(strncmp(res.body.ptr, "<!DOCTYPE html>", 15) == 0);
	aims_op_result_release(&res);
	assert_aims_error(call(&res, s, "aiact.annex_iv", "{\"system\": \"nobody\"}"), AIMS_ENOTFOUND, "nobody");
	aims_store_free(s);
}

static void test_builders_survive_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = fresh("oom.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_aiact_record *rec = NULL;
	aims_aiact_items *items = NULL;
	assert_aims_ok(call_named(&res, s, "aiact.classify", classify_req("credit", CREDIT), "credit.yaml"));
	aims_op_result_release(&res);
	assert_aims_ok(aims_aiact_read(&rec, s, "credit", 0));
	assert_aims_ok(aims_aiact_items_read(&items, s, "credit", 1));
	for (unsigned long n = 1;; n++) {
		aims__alloc_fail_after(n);
		json_t *r = aims_aiact_record_json(rec, items);
		json_t *it = r ? aims_aiact_item_json(&items->items[0]) : NULL;
		aims__alloc_fail_after(0);
		if (r && it) {
			assert_int_equal(json_array_size(json_object_get(r, "obligations")), items->count);
			json_decref(r);
			json_decref(it);
			break;
		}
		json_decref(r);
		assert_null(it);
	}
	aims_aiact_items_free(items);
	aims_aiact_record_free(rec);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_and_show),
		cmocka_unit_test(test_obligations),
		cmocka_unit_test(test_fria_and_annex_iv),
		cmocka_unit_test(test_builders_survive_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
