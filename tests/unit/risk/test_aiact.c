/*
 * Unit tests of the EU AI Act classifier and the answers reader: the seven
 * cases of issue 7 and the rules around them (Annex I, transparency on top
 * of high-risk, GPAI, FRIA for public bodies and not for Annex III point 2,
 * exemption duties for a deployer), every obligation's article being an
 * article of the stored EU AI Act catalog, YAML and JSON giving the same
 * answers, the reader's refusals with line and key, the parser under
 * allocation failures, and the stored side: versions, tracked obligations
 * (evidence for "met", inactive after a re-classification), the FRIA and
 * Annex IV outputs, and a classification that fails at any allocation
 * leaving nothing stored.
 */
#include "helpers.h"
#include "core/core.h"

static const char *BASE =
	"role: provider\nprohibited_practice: none\nannex_i_safety_component: false\nannex_iii_area: none\n"
	"art6_3_exemption: none\nprofiling: false\ninteracts_with_natural_persons: false\n"
	"generates_synthetic_content: false\nemotion_recognition_or_biometric_categorisation: false\n"
	"deep_fake: false\ngpai: false\nsystemic_risk: false\npublic_body_or_public_service: false\n";

/* BASE with "key: value" lines replaced (overrides: "key: value\n..." pairs) */
static void answers_with(aims_aiact_answers *a, const char *const *over, size_t n)
{
	char text[2048];
	size_t used = 0;
	const char *p = BASE;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p) + 1;
		const char *line = p;
		size_t llen = len;
		for (size_t i = 0; i < n; i++) {
			const char *colon = strchr(over[i], ':');
			size_t klen = (size_t)(colon - over[i]);
			if (strncmp(p, over[i], klen + 1) == 0) {
				line = over[i];
				llen = strlen(over[i]);
			}
		}
		memcpy(text + used, line, llen);
		used += llen;
		if (line != p)
			text[used++] = '\n';
		p += len;
	}
	text[used] = '\0';
	assert_aims_ok(aims_aiact_answers_parse(a, text, used, "case.yaml"));
}

static int has_article(const aims_aiact_result *r, const char *article)
{
	for (size_t i = 0; i < r->nobligations; i++)
		if (strcmp(r->obligations[i]->article, article) == 0)
			return 1;
	return 0;
}

static int has_basis(const aims_aiact_result *r, const char *b)
{
	for (size_t i = 0; i < r->nbasis; i++)
		if (strcmp(r->basis[i], b) == 0)
			return 1;
	return 0;
}

#define CLASSIFY(r, ...) do { \
	static const char *const o_[] = { __VA_ARGS__ }; \
	aims_aiact_answers a_; \
	answers_with(&a_, o_, sizeof(o_) / sizeof(o_[0])); \
	assert_aims_ok(aims_aiact_classify(&(r), &a_)); \
} while (0)

static void test_issue_cases(void **state)
{
	(void)state;
	aims_aiact_result r;

	/* CV screening for recruitment (4(a)) by a provider */
	CLASSIFY(r, "annex_iii_area: 4(a)", "profiling: true");
	assert_string_equal(r.tier, "high-risk");
	for (int a = 9; a <= 15; a++) {
		char art[16];
		snprintf(art, sizeof(art), "Article %d", a);
		assert_true(has_article(&r, art));
	}
	assert_true(has_article(&r, "Article 17"));
	assert_false(has_article(&r, "Article 26(1)-(2)"));
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);

	/* credit scoring (5(b)) by a deployer */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 5(b)", "profiling: true");
	assert_string_equal(r.tier, "high-risk");
	assert_true(r.fria_required);
	assert_true(has_article(&r, "Article 26(1)-(2)"));
	assert_true(has_article(&r, "Article 27"));
	assert_false(has_article(&r, "Article 9"));
	aims_aiact_result_release(&r);

	/* social scoring */
	CLASSIFY(r, "prohibited_practice: social-scoring", "annex_iii_area: 5(b)", "interacts_with_natural_persons: true");
	assert_string_equal(r.tier, "prohibited");
	assert_int_equal(r.nbasis, 1);
	assert_string_equal(r.basis[0], "Article 5(1)(c)");
	assert_int_equal(r.nobligations, 1);
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);

	/* a customer-service chatbot */
	CLASSIFY(r, "interacts_with_natural_persons: true");
	assert_string_equal(r.tier, "limited-risk");
	assert_true(has_basis(&r, "Article 50(1)"));
	assert_true(has_article(&r, "Article 50(1)"));
	aims_aiact_result_release(&r);

	/* a spam filter */
	CLASSIFY(r, "role: deployer");
	assert_string_equal(r.tier, "minimal-risk");
	assert_int_equal(r.nbasis, 0);
	assert_int_equal(r.nobligations, 1);
	assert_string_equal(r.obligations[0]->article, "Article 4");
	aims_aiact_result_release(&r);

	/* Annex III with an Art. 6(3) exemption and no profiling */
	CLASSIFY(r, "annex_iii_area: 3(b)", "art6_3_exemption: detects-decision-patterns");
	assert_string_equal(r.tier, "minimal-risk");
	assert_string_equal(r.exemption, "Article 6(3)(c)");
	assert_int_equal(r.nexemption_duties, 2);
	assert_true(has_article(&r, "Article 6(4)"));
	assert_true(has_article(&r, "Article 49(2)"));
	assert_false(has_article(&r, "Article 9"));
	aims_aiact_result_release(&r);

	/* the same with profiling */
	CLASSIFY(r, "annex_iii_area: 3(b)", "art6_3_exemption: detects-decision-patterns", "profiling: true");
	assert_string_equal(r.tier, "high-risk");
	assert_null(r.exemption);
	assert_true(has_basis(&r, "Article 6(3), third subparagraph (profiling of natural persons)"));
	assert_true(has_article(&r, "Article 9"));
	assert_false(has_article(&r, "Article 6(4)"));
	aims_aiact_result_release(&r);
}

static void test_more_rules(void **state)
{
	(void)state;
	aims_aiact_result r;

	/* Art. 6(1): no 6(3) exemption for an Annex I safety component; registration is an Annex III duty */
	CLASSIFY(r, "annex_i_safety_component: true");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_basis(&r, "Annex I"));
	assert_false(has_article(&r, "Article 49(1)"));
	aims_aiact_result_release(&r);

	/* transparency duties on top of high-risk, split by role */
	CLASSIFY(r, "role: both", "annex_iii_area: 1(c)", "emotion_recognition_or_biometric_categorisation: true",
		 "generates_synthetic_content: true", "deep_fake: true");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_article(&r, "Article 50(2)"));
	assert_true(has_article(&r, "Article 50(3)"));
	assert_true(has_article(&r, "Article 50(4)"));
	assert_true(has_article(&r, "Article 9"));
	assert_true(has_article(&r, "Article 26(6)"));
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);

	/* FRIA: a public body deploying an Annex III system; never for point 2; never for providers */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 3(a)", "public_body_or_public_service: true");
	assert_true(r.fria_required);
	assert_true(has_article(&r, "Article 26(8)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: deployer", "annex_iii_area: 2", "public_body_or_public_service: true");
	assert_string_equal(r.tier, "high-risk");
	assert_false(r.fria_required);
	assert_false(has_article(&r, "Article 86"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: provider", "annex_iii_area: 5(c)");
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);

	/* GPAI with systemic risk: provider duties of Art. 53 and 55; none for a deployer */
	CLASSIFY(r, "gpai: true", "systemic_risk: true");
	assert_string_equal(r.tier, "minimal-risk");
	assert_true(has_article(&r, "Article 53(1)(a)-(b)"));
	assert_true(has_article(&r, "Article 55(1)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: deployer", "gpai: true");
	assert_false(has_article(&r, "Article 53(1)(a)-(b)"));
	assert_true(has_basis(&r, "Article 53"));
	aims_aiact_result_release(&r);

	/* a deployer relying on a provider's 6(3) assessment: the duties are reported, not its obligations */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 4(b)", "art6_3_exemption: preparatory-task");
	assert_string_equal(r.exemption, "Article 6(3)(d)");
	assert_int_equal(r.nexemption_duties, 2);
	assert_false(has_article(&r, "Article 6(4)"));
	aims_aiact_result_release(&r);

	/* the classifier refuses answers that were not parsed */
	aims_aiact_answers bad;
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(aims_aiact_classify(&r, &bad), AIMS_EUSAGE);
}

static void test_articles_in_catalog(void **state)
{
	(void)state;
	aims_catalog *cat = NULL;
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *data;
		size_t len;
		assert_aims_ok(aims_catalog_builtin(i, &name, &data, &len));
		if (strstr(name, "eu-ai-act-2024.json") && !strstr(name, "crosswalk"))
			assert_aims_ok(aims_catalog_parse(&cat, data, len, name));
	}
	assert_non_null(cat);
	for (size_t i = 0; i < aims_aiact_obligation_count(); i++) {
		const aims_aiact_obligation *o = aims_aiact_obligation_at(i);
		const aims_requirement *r = aims_catalog_find(cat, o->requirement);
		if (!r)
			fail_msg("obligation %s: '%s' is not in the EU AI Act catalog", o->key, o->requirement);
		assert_string_equal(r->kind, "article");
		/* the article text starts with the catalog id */
		assert_int_equal(strncmp(o->article, o->requirement, strlen(o->requirement)), 0);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(o->key, aims_aiact_obligation_at(k)->key);
	}
	assert_null(aims_aiact_obligation_at(aims_aiact_obligation_count()));
	aims_catalog_free(cat);
}

static void test_reader(void **state)
{
	(void)state;
	aims_aiact_answers y, j;
	const char *json =
		"{\"role\": \"provider\", \"prohibited_practice\": \"none\", \"annex_i_safety_component\": false,\n"
		" \"annex_iii_area\": \"none\", \"art6_3_exemption\": \"none\", \"profiling\": false,\n"
		" \"interacts_with_natural_persons\": false, \"generates_synthetic_content\": false,\n"
		" \"emotion_recognition_or_biometric_categorisation\": false, \"deep_fake\": false, \"gpai\": false,\n"
		" \"systemic_risk\": false, \"public_body_or_public_service\": true}";
	char buf[2048];
	assert_aims_ok(aims_aiact_answers_parse(&j, json, strlen(json), "a.json"));
	snprintf(buf, sizeof(buf), "%s", BASE);
	char *p = strstr(buf, "public_body_or_public_service: false");
	memcpy(p + strlen("public_body_or_public_service: "), "true \n", 6);
	assert_aims_ok(aims_aiact_answers_parse(&y, buf, strlen(buf), "a.yaml"));
	assert_memory_equal(&y, &j, sizeof(y));
	assert_int_equal(y.public_body_or_public_service, 1);

	/* quoted "true" is text, not a boolean */
	snprintf(buf, sizeof(buf), "%s", BASE);
	p = strstr(buf, "gpai: false");
	memcpy(p, "gpai: \"no\" ", 11);
	assert_aims_error(aims_aiact_answers_parse(&y, buf, strlen(buf), "q.yaml"), AIMS_EINVALID,
			  "'q.yaml' line 11: gpai: wrong type: expected true or false, got text 'no'");
	/* duplicate keys, aliases, two documents, a list at the top, nesting, NUL bytes */
	assert_aims_error(aims_aiact_answers_parse(&y, "role: provider\nrole: deployer\n", 30, "d.yaml"),
			  AIMS_EINVALID, "'d.yaml' line 2: role: duplicate key");
	assert_aims_error(aims_aiact_answers_parse(&y, "a: &x provider\nrole: *x\n", 24, "al.yaml"), AIMS_EINVALID,
			  "line 1: anchors");
	assert_aims_error(aims_aiact_answers_parse(&y, "role: x\n---\nrole: y\n", 20, "m.yaml"), AIMS_EINVALID,
			  "line 2: more than one YAML document");
	assert_aims_error(aims_aiact_answers_parse(&y, "- a\n- b\n", 8, "l.yaml"), AIMS_EINVALID,
			  "'l.yaml' line 1: expected a mapping");
	assert_aims_error(aims_aiact_answers_parse(&y, "", 0, "e.yaml"), AIMS_EINVALID, "'e.yaml': expected a mapping");
	const char *deep = "a: [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]\n";
	assert_aims_error(aims_aiact_answers_parse(&y, deep, strlen(deep), "n.yaml"),
			  AIMS_EINVALID, "nested more than 16 levels");
	assert_aims_error(aims_aiact_answers_parse(&y, "role: a\0b\n", 10, "z.yaml"), AIMS_EINVALID, "NUL byte");
	/* found by fuzz/aiact_answers.c: a list or mapping as a key */
	const char *k1 = "[\"role\": x, ]", *k2 = "? [a]\n: b\n";
	assert_aims_error(aims_aiact_answers_parse(&y, k1, strlen(k1), "k.yaml"), AIMS_EINVALID,
			  "'k.yaml' line 1: expected a mapping");
	assert_aims_error(aims_aiact_answers_parse(&y, k2, strlen(k2), "k2.yaml"), AIMS_EINVALID,
			  "a key must be plain text");
	assert_aims_error(aims_aiact_answers_parse(&y, "{\"role\": 1, \"role\": 2}", 22, "dup.json"), AIMS_EINVALID,
			  "dup.json");
	snprintf(buf, sizeof(buf), "{\"role\":\n  [\"provider\"],%s", strchr(json, ',') + 1);
	assert_aims_error(aims_aiact_answers_parse(&y, buf, strlen(buf), "t.json"), AIMS_EINVALID,
			  "'t.json' line 2: role: wrong type: expected one of provider, deployer, both, got a list");
	/* a refused file leaves the output zeroed */
	assert_null(y.role);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	for (unsigned long n = 1; n < 10000; n++) {
		aims_aiact_answers a;
		aims_aiact_result r;
		aims__alloc_fail_after(n);
		int rc = aims_aiact_answers_parse(&a, BASE, strlen(BASE), "a.yaml");
		if (rc == 0)
			rc = aims_aiact_classify(&r, &a);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_string_equal(r.tier, "minimal-risk");
			aims_aiact_result_release(&r);
			return;
		}
		assert_int_equal(rc, AIMS_ENOMEM);
	}
	fail_msg("never succeeded");
}

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	f.purpose = "credit scoring";
	assert_aims_ok(aims_system_add(s, "credit", &f));
	return s;
}

static size_t count_items(aims_store *s, int inactive)
{
	aims_aiact_items *l = NULL;
	assert_aims_ok(aims_aiact_items_read(&l, s, "credit", inactive));
	size_t n = l->count;
	aims_aiact_items_free(l);
	return n;
}

static void test_stored(void **state)
{
	(void)state;
	aims_store *s = fresh("stored.db");
	aims_aiact_answers a;
	aims_aiact_record *rec = NULL;
	aims_aiact_items *l = NULL;
	aims_aiact_set_opts so = AIMS_AIACT_SET_INIT;
	aims_buf md = AIMS_BUF_INIT, html = AIMS_BUF_INIT;
	aims_aiact_annex_iv_stats st;
	static const char *const credit[] = { "role: deployer", "annex_iii_area: 5(b)", "profiling: true" };
	static const char *const spam[] = { "role: deployer" };

	answers_with(&a, credit, 3);
	assert_aims_ok(aims_aiact_store(&rec, s, "credit", &a));
	assert_int_equal(rec->version, 1);
	assert_string_equal(rec->tier, "high-risk");
	assert_true(rec->fria_required);
	assert_non_null(strstr(rec->result, "\"fria_required\":true"));
	aims_aiact_record_free(rec);
	size_t n = count_items(s, 0);
	assert_true(n >= 8);

	/* status and evidence; met needs evidence */
	assert_aims_ok(aims_aiact_items_read(&l, s, "credit", 0));
	char id[32];
	snprintf(id, sizeof(id), "%s", l->items[0].id);
	aims_aiact_items_free(l);
	so.status = "met";
	assert_aims_error(aims_aiact_item_set(s, id, &so), AIMS_ECONFLICT, "needs evidence");
	const char *ev[] = { "DOC-001", "DOC-001" };
	so.add_evidence = ev;
	so.nadd = 2;
	assert_aims_ok(aims_aiact_item_set(s, id, &so));
	so.status = "done";
	assert_aims_error(aims_aiact_item_set(s, id, &so), AIMS_EINVALID, "status 'done'");

	/* FRIA and Annex IV from the store */
	assert_aims_ok(aims_aiact_fria(&md, s, "credit", 0));
	assert_non_null(strstr(md.ptr, "## (f) Measures if the risks materialise"));
	assert_non_null(strstr(md.ptr, "Annex III point 5(b)"));
	assert_aims_ok(aims_aiact_annex_iv_html(&html, &st, s, "credit"));
	assert_int_equal(st.found + st.missing, st.items);
	assert_true(st.found >= 1);
	assert_non_null(strstr(html.ptr, "<h2>9. Post-market monitoring (Art. 72)</h2>"));

	/* re-classification: items no longer needed become inactive and keep their status */
	answers_with(&a, spam, 1);
	assert_aims_ok(aims_aiact_store(NULL, s, "credit", &a));
	assert_int_equal(count_items(s, 0), 1);
	assert_int_equal(count_items(s, 1), n);
	md.len = 0;
	assert_aims_error(aims_aiact_fria(&md, s, "credit", 0), AIMS_ECONFLICT, "does not require");
	assert_aims_ok(aims_aiact_read(&rec, s, "credit", 1));
	assert_string_equal(rec->tier, "high-risk");
	aims_aiact_record_free(rec);
	assert_aims_error(aims_aiact_read(&rec, s, "credit", 7), AIMS_ENOTFOUND, "version 7");
	assert_aims_error(aims_aiact_store(NULL, s, "nobody", &a), AIMS_ENOTFOUND, "nobody");
	aims_buf_release(&md);
	aims_buf_release(&html);
	aims_store_free(s);
}

static void test_store_alloc_failures(void **state)
{
	(void)state;
	aims_store *s = fresh("alloc.db");
	aims_aiact_answers a;
	static const char *const credit[] = { "role: both", "annex_iii_area: 5(b)", "profiling: true" };
	answers_with(&a, credit, 3);
	for (unsigned long n = 1; n < 100000; n++) {
		aims_aiact_record *rec = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_aiact_store(&rec, s, "credit", &a);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(rec->version, 1);
			aims_aiact_record_free(rec);
			assert_true(count_items(s, 0) > 20);
			aims_store_free(s);
			return;
		}
		assert_null(rec);
		/* nothing half-written */
		assert_int_equal(count_items(s, 1), 0);
		assert_int_equal(aims_aiact_read(&rec, s, "credit", 0), AIMS_ENOTFOUND);
	}
	fail_msg("store never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_cases),
		cmocka_unit_test(test_more_rules),
		cmocka_unit_test(test_articles_in_catalog),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_stored),
		cmocka_unit_test(test_store_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
