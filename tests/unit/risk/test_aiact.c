/*
 * Unit tests of the EU AI Act classifier and the answers reader: the seven
 * cases of issue 7, the classification defects of issue 17 (one test per
 * defect, named by the article that decides it: Art. 49(5), 26(8), the
 * version 1 public_body_or_public_service key, 53(2), 25(4), 2(2), 26(7),
 * Annex III 1(b)/1(c), Arts. 22-25, Art. 2 exclusions, 49(4) (point 1 only in
 * law enforcement and migration), 113 dates)
 * and the rules around them (Annex I, transparency on top of high-risk,
 * GPAI, FRIA for public bodies and not for Annex III point 2,
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
#include "store/store_internal.h"

/* the current answers format, one key per line in the order of aims_aiact_answer_keys */
static const char *BASE =
	"role: provider\nart2_exclusion: none\nprohibited_practice: none\nannex_i_safety_component: false\n"
	"annex_i_section_b: false\nannex_iii_area: none\nart6_3_exemption: none\nprofiling: false\n"
	"interacts_with_natural_persons: false\ngenerates_synthetic_content: false\nemotion_recognition: false\n"
	"biometric_categorisation: none\ndeep_fake: false\ngpai: false\nsystemic_risk: false\n"
	"gpai_open_source: false\nbuilds_on_third_party_gpai: false\nfree_open_source_licence: false\n"
	"public_authority: false\nprovides_public_service: false\naffects_workers: true\n"
	"law_enforcement_or_migration: false\n";

/* a version 1 file (the 13 keys before issue 17) */
static const char *BASE_V1 =
	"role: provider\nprohibited_practice: none\nannex_i_safety_component: false\nannex_iii_area: none\n"
	"art6_3_exemption: none\nprofiling: false\ninteracts_with_natural_persons: false\n"
	"generates_synthetic_content: false\nemotion_recognition_or_biometric_categorisation: false\n"
	"deep_fake: false\ngpai: false\nsystemic_risk: false\npublic_body_or_public_service: false\n";

/* base with "key: value" lines replaced (overrides: "key: value" pairs) into text */
static size_t text_with(char *text, const char *base, const char *const *over, size_t n)
{
	size_t used = 0;
	const char *p = base;
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
	return used;
}

static void answers_with(aims_aiact_answers *a, const char *const *over, size_t n)
{
	char text[4096];
	size_t used = text_with(text, BASE, over, n);
	assert_aims_ok(aims_aiact_answers_parse(a, text, used, "case.yaml"));
}

/* the refusal of BASE with overrides: AIMS_EINVALID whose message contains `needle` */
static void refused_with(const char *const *over, size_t n, const char *needle)
{
	char text[4096];
	aims_aiact_answers a;
	size_t used = text_with(text, BASE, over, n);
	assert_aims_error(aims_aiact_answers_parse(&a, text, used, "bad.yaml"), AIMS_EINVALID, needle);
}

static void v1_with(aims_aiact_answers *a, const char *const *over, size_t n)
{
	char text[4096];
	size_t used = text_with(text, BASE_V1, over, n);
	assert_aims_ok(aims_aiact_answers_parse(a, text, used, "old.yaml"));
}

/* the date the obligation with this article applies from in a result, or NULL */
static const char *date_of_article(const aims_aiact_result *r, const char *article)
{
	for (size_t i = 0; i < r->nobligations; i++)
		if (strcmp(r->obligations[i]->article, article) == 0)
			return r->applies_from[i];
	return NULL;
}

static int has_note(const aims_aiact_result *r, const char *needle)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], needle))
			return 1;
	return 0;
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
	CLASSIFY(r, "role: both", "annex_iii_area: 1(c)", "emotion_recognition: true",
		 "generates_synthetic_content: true", "deep_fake: true");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_article(&r, "Article 50(2)"));
	assert_true(has_article(&r, "Article 50(3)"));
	assert_true(has_article(&r, "Article 50(4)"));
	assert_true(has_article(&r, "Article 9"));
	assert_true(has_article(&r, "Article 26(6)"));
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);

	/* FRIA: a public authority deploying an Annex III system; never for point 2; never for providers */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 3(a)", "public_authority: true");
	assert_true(r.fria_required);
	assert_true(has_article(&r, "Article 26(8)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: deployer", "annex_iii_area: 2", "public_authority: true");
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

/* ---- issue 17: classification defects, each with the article that decides it ---- */

/* Art. 49(1) excludes Annex III point 2; Art. 49(5): point 2 is registered at national level */
static void test_art49_5_point_2_registers_nationally(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "annex_iii_area: 2");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_article(&r, "Article 49(5)"));
	assert_false(has_article(&r, "Article 49(1)"));
	assert_false(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	/* any other point: the EU database of Art. 49(1), no national registration */
	CLASSIFY(r, "annex_iii_area: 4(a)");
	assert_true(has_article(&r, "Article 49(1)"));
	assert_false(has_article(&r, "Article 49(5)"));
	aims_aiact_result_release(&r);
	/* the stored description no longer mixes the two */
	for (size_t i = 0; i < aims_aiact_obligation_count(); i++)
		if (strcmp(aims_aiact_obligation_at(i)->key, "art49-registration") == 0)
			assert_null(strstr(aims_aiact_obligation_at(i)->description, "national"));
}

/* Art. 26(8) (and 49(3)): public authorities, Union institutions, bodies, offices or agencies deploying an
 * Annex III system other than point 2; never for an Annex I product alone (Art. 71(1), 49(3)) */
static void test_art26_8_public_authorities_only(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "role: deployer", "annex_iii_area: 5(a)", "public_authority: true");
	assert_true(has_article(&r, "Article 26(8)"));
	aims_aiact_result_release(&r);
	/* a private entity providing a public service: a FRIA (Art. 27(1)), but no 26(8) */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 5(a)", "provides_public_service: true");
	assert_false(has_article(&r, "Article 26(8)"));
	assert_true(r.fria_required);
	assert_true(has_article(&r, "Article 27"));
	aims_aiact_result_release(&r);
	/* neither: no 26(8), no FRIA for 5(a) */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 5(a)");
	assert_false(has_article(&r, "Article 26(8)"));
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);
	/* a public authority with a point 2 system */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 2", "public_authority: true");
	assert_string_equal(r.tier, "high-risk");
	assert_false(has_article(&r, "Article 26(8)"));
	aims_aiact_result_release(&r);
	/* a public authority deploying an Annex I safety component */
	CLASSIFY(r, "role: deployer", "annex_i_safety_component: true", "public_authority: true");
	assert_string_equal(r.tier, "high-risk");
	assert_false(has_article(&r, "Article 26(8)"));
	assert_true(has_article(&r, "Article 26(1)-(2)"));
	aims_aiact_result_release(&r);
}

/* the version 1 key public_body_or_public_service is read as provides_public_service (Art. 27(1)), with a
 * warning that Art. 26(8) cannot be decided; version 1 files keep working */
static void test_public_body_version_1(void **state)
{
	(void)state;
	aims_aiact_answers a;
	aims_aiact_result r;
	static const char *const over[] = { "role: deployer", "annex_iii_area: 3(a)", "public_body_or_public_service: true" };
	v1_with(&a, over, 3);
	assert_int_equal(a.format, 1);
	assert_int_equal(a.provides_public_service, 1);
	assert_int_equal(a.public_authority, 0);
	assert_int_equal(a.affects_workers, 1);
	assert_int_equal(a.nwarnings, 2);
	assert_non_null(strstr(a.warnings[0], "'old.yaml': a version 1 answers file"));
	assert_non_null(strstr(a.warnings[1], "'old.yaml' line 13: public_body_or_public_service: read as "
				"provides_public_service"));
	assert_non_null(strstr(a.warnings[1], "Art. 26(8)"));
	assert_aims_ok(aims_aiact_classify(&r, &a));
	assert_true(r.fria_required);
	assert_false(has_article(&r, "Article 26(8)"));
	assert_int_equal(r.nwarnings, 2);
	aims_aiact_result_release(&r);
	/* a version 1 file is exactly the 13 keys: a current key in it is refused, naming both */
	char text[4096];
	size_t n = text_with(text, BASE_V1, NULL, 0);
	snprintf(text + n, sizeof(text) - n, "public_authority: true\n");
	assert_aims_error(aims_aiact_answers_parse(&a, text, strlen(text), "mixed.yaml"), AIMS_EINVALID,
			  "'mixed.yaml' line 14: public_authority: a key of the current answers format in a version 1 file");
	/* and a missing version 1 key is still refused */
	snprintf(text, sizeof(text), "%s", BASE_V1);
	*strstr(text, "deep_fake: false\n") = '\0';
	assert_aims_error(aims_aiact_answers_parse(&a, text, strlen(text), "short.yaml"), AIMS_EINVALID,
			  "deep_fake: missing answer");
}

/* Art. 53(2): an open-source general-purpose model without systemic risk is spared Art. 53(1)(a)-(b) */
static void test_art53_2_open_source_model(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "gpai: true", "gpai_open_source: true");
	assert_false(has_article(&r, "Article 53(1)(a)-(b)"));
	assert_true(has_article(&r, "Article 53(1)(c)-(d)"));
	assert_true(has_note(&r, "Article 53(2)"));
	aims_aiact_result_release(&r);
	/* not with systemic risk */
	CLASSIFY(r, "gpai: true", "gpai_open_source: true", "systemic_risk: true");
	assert_true(has_article(&r, "Article 53(1)(a)-(b)"));
	assert_true(has_article(&r, "Article 55(1)"));
	aims_aiact_result_release(&r);
	static const char *const bad[] = { "gpai_open_source: true" };
	refused_with(bad, 1, "'bad.yaml' line 16: gpai_open_source: true only for a general-purpose AI model");
}

/* building on another provider's model: Art. 53 binds that provider; a high-risk integrator needs the
 * written agreement of Art. 25(4) */
static void test_third_party_model(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "builds_on_third_party_gpai: true", "interacts_with_natural_persons: true");
	assert_string_equal(r.tier, "limited-risk");
	assert_false(has_article(&r, "Article 53(1)(a)-(b)"));
	assert_false(has_article(&r, "Article 53(1)(c)-(d)"));
	assert_false(has_article(&r, "Article 25(4)"));
	assert_true(has_note(&r, "Article 53"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "builds_on_third_party_gpai: true", "annex_iii_area: 4(a)");
	assert_true(has_article(&r, "Article 25(4)"));
	assert_false(has_article(&r, "Article 53(1)(a)-(b)"));
	aims_aiact_result_release(&r);
}

/* Art. 2(2): for an Annex I Section B product only Art. 6(1), 102-109 and 112 apply */
static void test_art2_2_annex_i_section_b(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "annex_i_safety_component: true", "annex_i_section_b: true", "role: both",
		 "interacts_with_natural_persons: true");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_basis(&r, "Article 6(1)"));
	assert_true(has_basis(&r, "Annex I Section B"));
	assert_true(has_basis(&r, "Article 2(2)"));
	assert_int_equal(r.nobligations, 1);
	assert_string_equal(r.obligations[0]->article, "Article 2(2)");
	assert_string_equal(r.applies_from[0], "2027-08-02");   /* Art. 113(c) */
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);
	/* Section A: the full regime */
	CLASSIFY(r, "annex_i_safety_component: true");
	assert_true(has_article(&r, "Article 9"));
	assert_false(has_article(&r, "Article 2(2)"));
	aims_aiact_result_release(&r);
	static const char *const bad[] = { "annex_i_section_b: true" };
	refused_with(bad, 1, "line 5: annex_i_section_b: true only for a safety component of an Annex I product");
}

/* Art. 26(7): only an employer using the system at the workplace informs its workers */
static void test_art26_7_only_where_workers_are_affected(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "role: deployer", "annex_iii_area: 5(b)", "affects_workers: false");
	assert_false(has_article(&r, "Article 26(7)"));
	assert_true(has_article(&r, "Article 26(6)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: deployer", "annex_iii_area: 4(b)", "affects_workers: true");
	assert_true(has_article(&r, "Article 26(7)"));
	aims_aiact_result_release(&r);
}

/* emotion recognition is Annex III 1(c) whatever it infers; biometric categorisation is 1(b) only by
 * sensitive or protected attributes; both bring Art. 50(3) */
static void test_emotion_recognition_and_biometric_categorisation(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "role: deployer", "emotion_recognition: true");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_basis(&r, "Annex III point 1(c)"));
	assert_true(has_article(&r, "Article 50(3)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: deployer", "biometric_categorisation: other");
	assert_string_equal(r.tier, "limited-risk");
	assert_true(has_article(&r, "Article 50(3)"));
	assert_false(has_basis(&r, "Annex III point 1(b)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: deployer", "biometric_categorisation: sensitive-attributes");
	assert_string_equal(r.tier, "high-risk");
	assert_true(has_basis(&r, "Annex III point 1(b)"));
	aims_aiact_result_release(&r);
	/* both on top of another Annex III point */
	CLASSIFY(r, "annex_iii_area: 4(a)", "emotion_recognition: true");
	assert_true(has_basis(&r, "Annex III point 4(a)"));
	assert_true(has_basis(&r, "Annex III point 1(c)"));
	/* point 1 goes to the non-public section only in law enforcement, migration, asylum, border control */
	assert_false(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "annex_iii_area: 4(a)", "emotion_recognition: true", "law_enforcement_or_migration: true");
	assert_true(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	static const char *const c[] = { "annex_iii_area: 1(c)" };
	refused_with(c, 1, "line 6: annex_iii_area: point 1(c) is emotion recognition: answer emotion_recognition: true");
	static const char *const b[] = { "annex_iii_area: 1(b)", "biometric_categorisation: other" };
	refused_with(b, 2, "line 6: annex_iii_area: point 1(b) is biometric categorisation by sensitive");
	/* the version 1 key: Art. 50(3), with a warning that Annex III cannot be decided */
	aims_aiact_answers a;
	static const char *const old[] = { "role: deployer", "emotion_recognition_or_biometric_categorisation: true" };
	v1_with(&a, old, 2);
	assert_int_equal(a.emotion_recognition, 0);
	assert_string_equal(a.biometric_categorisation, "other");
	assert_int_equal(a.nwarnings, 2);
	assert_non_null(strstr(a.warnings[1], "line 9: emotion_recognition_or_biometric_categorisation"));
	assert_aims_ok(aims_aiact_classify(&r, &a));
	assert_string_equal(r.tier, "limited-risk");
	assert_true(has_article(&r, "Article 50(3)"));
	aims_aiact_result_release(&r);
	/* a version 1 file naming point 1(c) is emotion recognition */
	static const char *const old_c[] = { "role: deployer", "annex_iii_area: 1(c)" };
	v1_with(&a, old_c, 2);
	assert_int_equal(a.emotion_recognition, 1);
	assert_int_equal(a.nwarnings, 1);
}

/* Arts. 22-25: importers, distributors, authorised representatives and product manufacturers */
static void test_roles_of_arts_22_to_25(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "role: importer", "annex_iii_area: 4(a)");
	assert_string_equal(r.tier, "high-risk");
	assert_int_equal(r.nobligations, 1);
	assert_string_equal(r.obligations[0]->article, "Article 23");
	assert_string_equal(r.obligations[0]->role, "importer");
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: distributor", "annex_i_safety_component: true");
	assert_int_equal(r.nobligations, 1);
	assert_string_equal(r.obligations[0]->article, "Article 24");
	assert_string_equal(r.applies_from[0], "2027-08-02");   /* Art. 6(1) alone: Art. 113(c) */
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: authorised-representative", "annex_iii_area: 5(b)");
	assert_int_equal(r.nobligations, 1);
	assert_string_equal(r.obligations[0]->article, "Article 22(3)");
	assert_false(r.fria_required);
	aims_aiact_result_release(&r);
	CLASSIFY(r, "role: authorised-representative", "gpai: true");
	assert_true(has_article(&r, "Article 54(3)"));
	assert_false(has_article(&r, "Article 53(1)(a)-(b)"));
	aims_aiact_result_release(&r);
	/* not high-risk: no duty for an importer, and a note says why */
	CLASSIFY(r, "role: importer", "interacts_with_natural_persons: true");
	assert_int_equal(r.nobligations, 0);
	assert_true(has_note(&r, "Articles 22-24"));
	aims_aiact_result_release(&r);
	/* Art. 25(3): the product manufacturer is the provider of an Annex I Section A system */
	CLASSIFY(r, "role: product-manufacturer", "annex_i_safety_component: true");
	assert_true(has_basis(&r, "Article 25(3)"));
	assert_true(has_article(&r, "Article 9"));
	assert_true(has_article(&r, "Article 4"));
	assert_false(has_article(&r, "Article 26(1)-(2)"));
	aims_aiact_result_release(&r);
	/* prohibited practices bind every operator */
	CLASSIFY(r, "role: distributor", "prohibited_practice: social-scoring");
	assert_true(has_article(&r, "Article 5(1)"));
	aims_aiact_result_release(&r);
}

/* Art. 2(3), (6), (8): outside the Regulation; Art. 2(12): open source outside Art. 5, 50 and high-risk */
static void test_art2_exclusions(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "art2_exclusion: military-defence-national-security", "prohibited_practice: social-scoring");
	assert_string_equal(r.tier, "out-of-scope");
	assert_int_equal(r.nbasis, 1);
	assert_string_equal(r.basis[0], "Article 2(3)");
	assert_int_equal(r.nobligations, 0);
	aims_aiact_result_release(&r);
	CLASSIFY(r, "art2_exclusion: scientific-research", "annex_iii_area: 4(a)");
	assert_string_equal(r.tier, "out-of-scope");
	assert_string_equal(r.basis[0], "Article 2(6)");
	aims_aiact_result_release(&r);
	CLASSIFY(r, "art2_exclusion: pre-market-research");
	assert_string_equal(r.basis[0], "Article 2(8)");
	aims_aiact_result_release(&r);
	/* open source: out of scope as a minimal-risk system */
	CLASSIFY(r, "free_open_source_licence: true", "role: both");
	assert_string_equal(r.tier, "out-of-scope");
	assert_true(has_basis(&r, "Article 2(12)"));
	assert_int_equal(r.nobligations, 0);
	aims_aiact_result_release(&r);
	/* but not under Art. 50, nor high-risk, nor prohibited */
	CLASSIFY(r, "free_open_source_licence: true", "interacts_with_natural_persons: true");
	assert_string_equal(r.tier, "limited-risk");
	assert_true(has_article(&r, "Article 50(1)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "free_open_source_licence: true", "annex_iii_area: 3(a)");
	assert_string_equal(r.tier, "high-risk");
	aims_aiact_result_release(&r);
	CLASSIFY(r, "free_open_source_licence: true", "prohibited_practice: subliminal-manipulation");
	assert_string_equal(r.tier, "prohibited");
	aims_aiact_result_release(&r);
	static const char *const bad[] = { "art2_exclusion: hobby" };
	refused_with(bad, 1, "line 2: art2_exclusion: 'hobby' is not one of none, military-defence-national-security");
}

/* Art. 49(4): registrations for Annex III points 1, 6 and 7 go to the non-public section */
static void test_art49_4_non_public_registration(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "annex_iii_area: 6(a)", "law_enforcement_or_migration: true");
	assert_true(has_article(&r, "Article 49(1)"));
	assert_true(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	/* point 1 (biometrics): only "in the areas of law enforcement, migration, asylum and border control
	 * management" */
	CLASSIFY(r, "annex_iii_area: 1(a)", "art6_3_exemption: preparatory-task", "law_enforcement_or_migration: true");
	assert_true(has_article(&r, "Article 49(2)"));
	assert_true(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "annex_iii_area: 1(a)", "art6_3_exemption: preparatory-task");
	assert_true(has_article(&r, "Article 49(2)"));
	assert_false(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "annex_iii_area: 1(a)");
	assert_true(has_article(&r, "Article 49(1)"));
	assert_false(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	/* points 6 and 7 are those areas: answering false there is a contradiction */
	static const char *const le6[] = { "annex_iii_area: 6(d)", "law_enforcement_or_migration: false" };
	refused_with(le6, 2, "line 22: law_enforcement_or_migration: Annex III point 6(d) is in the areas of law "
		     "enforcement, migration, asylum and border control management: answer true");
	/* a file of the format before the question (version 2): the default, and a warning where it decides */
	{
		char text[4096], *cut;
		aims_aiact_answers a;
		static const char *const p1[] = { "annex_iii_area: 1(a)" };
		text_with(text, BASE, p1, 1);
		cut = strstr(text, "law_enforcement_or_migration:");
		*cut = '\0';
		assert_aims_ok(aims_aiact_answers_parse(&a, text, strlen(text), "v2.yaml"));
		assert_int_equal(a.format, 2);
		assert_int_equal(a.law_enforcement_or_migration, 0);
		assert_int_equal(a.nwarnings, 1);
		assert_non_null(strstr(a.warnings[0], "'v2.yaml': no law_enforcement_or_migration"));
		assert_aims_ok(aims_aiact_classify(&r, &a));
		assert_false(has_article(&r, "Article 49(4)"));
		aims_aiact_result_release(&r);
		static const char *const p7[] = { "annex_iii_area: 7(a)" };
		text_with(text, BASE, p7, 1);
		cut = strstr(text, "law_enforcement_or_migration:");
		*cut = '\0';
		assert_aims_ok(aims_aiact_answers_parse(&a, text, strlen(text), "v2.yaml"));
		assert_int_equal(a.format, 2);
		assert_int_equal(a.law_enforcement_or_migration, 1);
		assert_int_equal(a.nwarnings, 0);
		assert_aims_ok(aims_aiact_classify(&r, &a));
		assert_true(has_article(&r, "Article 49(4)"));
		aims_aiact_result_release(&r);
	}
	CLASSIFY(r, "role: deployer", "annex_iii_area: 7(b)", "public_authority: true", "law_enforcement_or_migration: true");
	assert_true(has_article(&r, "Article 26(8)"));
	assert_true(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	/* a deployer that registers nothing has no 49(4) */
	CLASSIFY(r, "role: deployer", "annex_iii_area: 7(b)", "law_enforcement_or_migration: true");
	assert_false(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
	CLASSIFY(r, "annex_iii_area: 4(a)");
	assert_false(has_article(&r, "Article 49(4)"));
	aims_aiact_result_release(&r);
}

/* Art. 113: each obligation carries the date it applies from */
static void test_art113_dates(void **state)
{
	(void)state;
	aims_aiact_result r;
	CLASSIFY(r, "role: both", "annex_iii_area: 5(b)", "interacts_with_natural_persons: true", "gpai: true");
	assert_string_equal(date_of_article(&r, "Article 4"), "2025-02-02");             /* Art. 113(a) */
	assert_string_equal(date_of_article(&r, "Article 53(1)(a)-(b)"), "2025-08-02");  /* Art. 113(b) */
	assert_string_equal(date_of_article(&r, "Article 9"), "2026-08-02");             /* Art. 113 */
	assert_string_equal(date_of_article(&r, "Article 26(6)"), "2026-08-02");
	assert_string_equal(date_of_article(&r, "Article 50(1)"), "2026-08-02");
	assert_string_equal(date_of_article(&r, "Article 27"), "2026-08-02");
	aims_aiact_result_release(&r);
	/* the obligations that follow from Art. 6(1) alone: Art. 113(c) */
	CLASSIFY(r, "role: both", "annex_i_safety_component: true");
	assert_string_equal(date_of_article(&r, "Article 9"), "2027-08-02");
	assert_string_equal(date_of_article(&r, "Article 26(1)-(2)"), "2027-08-02");
	assert_string_equal(date_of_article(&r, "Article 4"), "2025-02-02");
	aims_aiact_result_release(&r);
	/* Annex I and Annex III together: high-risk under Art. 6(2) as well, from 2026 */
	CLASSIFY(r, "annex_i_safety_component: true", "annex_iii_area: 2");
	assert_string_equal(date_of_article(&r, "Article 9"), "2026-08-02");
	aims_aiact_result_release(&r);
	CLASSIFY(r, "prohibited_practice: social-scoring");
	assert_string_equal(date_of_article(&r, "Article 5(1)"), "2025-02-02");
	aims_aiact_result_release(&r);

	int yes = -1;
	assert_aims_ok(aims_aiact_applies_on(&yes, "2026-08-02", "2026-08-01"));
	assert_int_equal(yes, 0);
	assert_aims_ok(aims_aiact_applies_on(&yes, "2026-08-02", "2026-08-02"));
	assert_int_equal(yes, 1);
	assert_aims_ok(aims_aiact_applies_on(&yes, "2025-02-02", NULL));   /* today, after 2025 */
	assert_int_equal(yes, 1);
	assert_aims_error(aims_aiact_applies_on(&yes, "2026-08-02", "2026-02-30"), AIMS_EINVALID,
			  "'2026-02-30' is not a date");
	assert_aims_error(aims_aiact_applies_on(&yes, "2026-08-02", "tomorrow"), AIMS_EINVALID, "'tomorrow'");
	char today[16];
	aims_aiact_today(today);
	assert_int_equal(strlen(today), 10);
	assert_aims_ok(aims_aiact_applies_on(&yes, today, today));
	assert_int_equal(yes, 1);
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
		"{\"role\": \"provider\", \"art2_exclusion\": \"none\", \"prohibited_practice\": \"none\",\n"
		" \"annex_i_safety_component\": false, \"annex_i_section_b\": false,\n"
		" \"annex_iii_area\": \"none\", \"art6_3_exemption\": \"none\", \"profiling\": false,\n"
		" \"interacts_with_natural_persons\": false, \"generates_synthetic_content\": false,\n"
		" \"emotion_recognition\": false, \"biometric_categorisation\": \"none\", \"deep_fake\": false,\n"
		" \"gpai\": false, \"systemic_risk\": false, \"gpai_open_source\": false,\n"
		" \"builds_on_third_party_gpai\": false, \"free_open_source_licence\": false,\n"
		" \"public_authority\": true, \"provides_public_service\": false, \"affects_workers\": true,\n"
		" \"law_enforcement_or_migration\": false}";
	char buf[4096];
	assert_aims_ok(aims_aiact_answers_parse(&j, json, strlen(json), "a.json"));
	snprintf(buf, sizeof(buf), "%s", BASE);
	char *p = strstr(buf, "public_authority: false");
	memcpy(p + strlen("public_authority: "), "true \n", 6);
	assert_aims_ok(aims_aiact_answers_parse(&y, buf, strlen(buf), "a.yaml"));
	assert_memory_equal(&y, &j, sizeof(y));
	assert_int_equal(y.public_authority, 1);
	assert_int_equal(y.format, 3);
	assert_int_equal(y.nwarnings, 0);

	/* quoted "true" is text, not a boolean */
	snprintf(buf, sizeof(buf), "%s", BASE);
	p = strstr(buf, "gpai: false");
	memcpy(p, "gpai: \"no\" ", 11);
	assert_aims_error(aims_aiact_answers_parse(&y, buf, strlen(buf), "q.yaml"), AIMS_EINVALID,
			  "'q.yaml' line 14: gpai: wrong type: expected true or false, got text 'no'");
	/* every key of the current format is required; an unknown one is refused */
	snprintf(buf, sizeof(buf), "%s", BASE);
	p = strstr(buf, "affects_workers: true\n");
	*p = '\0';
	assert_aims_error(aims_aiact_answers_parse(&y, buf, strlen(buf), "m.yaml"), AIMS_EINVALID,
			  "'m.yaml' line 1: affects_workers: missing answer");
	snprintf(buf, sizeof(buf), "%sworkers_affected: true\n", BASE);
	assert_aims_error(aims_aiact_answers_parse(&y, buf, strlen(buf), "u.yaml"), AIMS_EINVALID,
			  "'u.yaml' line 23: workers_affected: unknown key");
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
			  "'t.json' line 2: role: wrong type: expected one of provider, deployer, both, product-manufacturer, "
			  "importer, distributor, authorised-representative, got a list");
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

/* Art. 113 in the store: each tracked item keeps its date, and a re-classification that moves the system
 * from Art. 6(1) to Art. 6(2) moves the date of the items it keeps */
static void test_stored_dates(void **state)
{
	(void)state;
	aims_store *s = fresh("dates.db");
	aims_aiact_answers a;
	aims_aiact_items *l = NULL;
	static const char *const annex_i[] = { "role: provider", "annex_i_safety_component: true" };
	static const char *const both[] = { "role: provider", "annex_i_safety_component: true", "annex_iii_area: 2" };
	answers_with(&a, annex_i, 2);
	assert_aims_ok(aims_aiact_store(NULL, s, "credit", &a));
	assert_aims_ok(aims_aiact_items_read(&l, s, "credit", 0));
	int seen = 0;
	for (size_t i = 0; i < l->count; i++) {
		assert_non_null(l->items[i].applies_from);
		if (strcmp(l->items[i].key, "art9-risk-management") == 0) {
			assert_string_equal(l->items[i].applies_from, "2027-08-02");
			seen++;
		}
		if (strcmp(l->items[i].key, "art4-ai-literacy") == 0) {
			assert_string_equal(l->items[i].applies_from, "2025-02-02");
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	aims_aiact_items_free(l);
	answers_with(&a, both, 3);
	assert_aims_ok(aims_aiact_store(NULL, s, "credit", &a));
	assert_aims_ok(aims_aiact_items_read(&l, s, "credit", 0));
	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->items[i].key, "art9-risk-management") == 0)
			assert_string_equal(l->items[i].applies_from, "2026-08-02");
		if (strcmp(l->items[i].key, "art49-5-national-registration") == 0)
			assert_string_equal(l->items[i].applies_from, "2026-08-02");
		assert_string_not_equal(l->items[i].key, "art49-registration");
	}
	aims_aiact_items_free(l);
	aims_aiact_record *rec = NULL;
	assert_aims_ok(aims_aiact_read(&rec, s, "credit", 0));
	assert_non_null(strstr(rec->result, "\"applies_from\":\"2026-08-02\""));
	assert_non_null(strstr(rec->result, "\"notes\":[]"));
	assert_non_null(strstr(rec->answers, "\"format\":3"));
	aims_aiact_record_free(rec);
	aims_store_free(s);
}

void aims__store_set_migrations(const aims__migration *list, size_t count);

/* migration 10 dates the obligations a store kept before it: by key, and the high-risk ones by the
 * latest classification (Art. 6(2) -> 2026-08-02, Art. 6(1) alone -> 2027-08-02) */
static void test_migration_10_dates_old_obligations(void **state)
{
	(void)state;
	size_t before10 = 0;
	while (before10 < aims__migration_count && aims__migrations[before10].version < 10)
		before10++;
	assert_true(before10 < aims__migration_count);
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove("m10.db");
	aims__store_set_migrations(aims__migrations, before10);
	assert_aims_ok(aims_store_open(&s, test_store_url("m10.db"), &o));
	assert_aims_ok(aims__store_exec(s,
		"INSERT INTO aiact_classifications (system, version, answers, result, tier, fria_required, digest, actor, "
		"classified_at) VALUES "
		"('iii', 1, '{}', '{\"tier\":\"high-risk\",\"basis\":[\"Article 6(1)\",\"Annex I\"]}', 'high-risk', 0, 'x', 'a', 't'),"
		"('iii', 2, '{}', '{\"tier\":\"high-risk\",\"basis\":[\"Article 6(2)\",\"Annex III point 4(a)\"]}', "
		"'high-risk', 0, 'x', 'a', 't'),"
		"('i', 1, '{}', '{\"tier\":\"high-risk\",\"basis\":[\"Article 6(1)\",\"Annex I\"]}', 'high-risk', 0, 'x', 'a', 't');"
		"INSERT INTO aiact_obligations (id, seq, system, key, article, requirement, role, description, status, "
		"evidence, active, updated_at) VALUES "
		"('OBL-001', 1, 'iii', 'art9-risk-management', 'Article 9', 'Article 9', 'provider', 'd', 'open', '', 1, 't'),"
		"('OBL-002', 2, 'i', 'art9-risk-management', 'Article 9', 'Article 9', 'provider', 'd', 'open', '', 1, 't'),"
		"('OBL-003', 3, 'i', 'art4-ai-literacy', 'Article 4', 'Article 4', 'both', 'd', 'open', '', 1, 't'),"
		"('OBL-004', 4, 'i', 'art53-gpai-documentation', 'Article 53(1)(a)-(b)', 'Article 53', 'provider', 'd', "
		"'open', '', 1, 't'),"
		"('OBL-005', 5, 'i', 'art49-registration', 'Article 49(1)', 'Article 49', 'provider', 'd', 'open', '', 1, 't');"));
	aims_store_free(s);
	aims__store_set_migrations(NULL, 0);
	assert_aims_ok(aims_store_open(&s, test_store_url("m10.db"), NULL));
	assert_int_equal(aims_store_schema_version(s), aims_store_schema_latest());
	aims_aiact_items *l = NULL;
	assert_aims_ok(aims_aiact_items_read(&l, s, NULL, 1));
	assert_int_equal(l->count, 5);
	static const char *const want[] = { "2026-08-02", "2027-08-02", "2025-02-02", "2025-08-02", "2026-08-02" };
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(l->items[i].applies_from, want[i]);
	aims_aiact_items_free(l);
	/* the crosswalk rows got their role column, empty */
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT COUNT(*) FROM crosswalk_mappings WHERE role IS NOT NULL"));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_int_equal(aims__stmt_int64(st, 0), 0);
	aims__stmt_free(st);
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
		cmocka_unit_test(test_art49_5_point_2_registers_nationally),
		cmocka_unit_test(test_art26_8_public_authorities_only),
		cmocka_unit_test(test_public_body_version_1),
		cmocka_unit_test(test_art53_2_open_source_model),
		cmocka_unit_test(test_third_party_model),
		cmocka_unit_test(test_art2_2_annex_i_section_b),
		cmocka_unit_test(test_art26_7_only_where_workers_are_affected),
		cmocka_unit_test(test_emotion_recognition_and_biometric_categorisation),
		cmocka_unit_test(test_roles_of_arts_22_to_25),
		cmocka_unit_test(test_art2_exclusions),
		cmocka_unit_test(test_art49_4_non_public_registration),
		cmocka_unit_test(test_art113_dates),
		cmocka_unit_test(test_articles_in_catalog),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_stored),
		cmocka_unit_test(test_stored_dates),
		cmocka_unit_test(test_migration_10_dates_old_obligations),
		cmocka_unit_test(test_store_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
