/*
 * The guided EU AI Act classification form of /aiact/{system}: one question
 * per key of an answers file (aims_aiact_answer_keys, docs/aiact.md), each
 * with the article it decides and a short explanation in our own words,
 * pre-filled from the system's latest classification. Saving writes the
 * answers as the text of an answers file and calls aiact.classify, the
 * operation `aims aiact classify` calls, as the signed-in principal: the
 * library checks every answer and the combinations the Act excludes, and its
 * refusal ("'form' line L: KEY: reason") is shown at the question it names.
 */
#include <stdlib.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/aims.h"
#include "core/core.h"
#include "pages.h"

typedef struct {
	const char *value, *label;
} opt_label;

typedef struct {
	const char *key;
	const char *section;
	const char *title;       /* the question */
	const char *article;     /* what it decides */
	const char *help;        /* our own short explanation */
	const char *const *values; /* the library's allowed values; NULL: yes or no */
	const opt_label *labels; /* a label per value */
	int select;              /* a drop-down list instead of radio buttons */
} question;

static const opt_label role_labels[] = {
	{ "provider", "Provider: we develop it (or have it developed) and place it on the market or put it into service under our name" },
	{ "deployer", "Deployer: we use it under our own authority" },
	{ "both", "Both provider and deployer" },
	{ "product-manufacturer", "Product manufacturer: it is placed on the market with our Annex I product, under our name" },
	{ "importer", "Importer: we bring a non-EU provider's system onto the EU market" },
	{ "distributor", "Distributor: we make it available in the supply chain, neither provider nor importer" },
	{ "authorised-representative", "Authorised representative of a provider established outside the EU" },
	{ NULL, NULL }
};

static const opt_label exclusion_labels[] = {
	{ "none", "None of these" },
	{ "military-defence-national-security", "Used only for military, defence or national security purposes (Art. 2(3))" },
	{ "scientific-research", "Developed and put into service only for scientific research and development (Art. 2(6))" },
	{ "pre-market-research", "Research, testing or development before it is placed on the market, not tested in real-world conditions (Art. 2(8))" },
	{ NULL, NULL }
};

static const opt_label practice_labels[] = {
	{ "none", "None" },
	{ "subliminal-manipulation", "(a) Subliminal, manipulative or deceptive techniques that distort behaviour and cause significant harm" },
	{ "exploiting-vulnerabilities", "(b) Exploiting vulnerabilities of age, disability or a social or economic situation" },
	{ "social-scoring", "(c) Social scoring that leads to detrimental or unfavourable treatment" },
	{ "criminal-risk-profiling", "(d) Predicting that a person will commit a crime from profiling or personality traits alone" },
	{ "facial-image-scraping", "(e) Facial recognition databases built by untargeted scraping of images" },
	{ "emotion-recognition-work-education", "(f) Inferring emotions at the workplace or in education (other than for medical or safety reasons)" },
	{ "biometric-categorisation-sensitive", "(g) Biometric categorisation that deduces race, political opinions, religion, sex life or similar" },
	{ "realtime-remote-biometric-identification", "(h) Real-time remote biometric identification in public spaces for law enforcement" },
	{ NULL, NULL }
};

static const opt_label annex_iii_labels[] = {
	{ "none", "None of these areas" },
	{ "1(a)", "1(a) Biometrics: remote biometric identification" },
	{ "1(b)", "1(b) Biometrics: categorisation by sensitive or protected attributes" },
	{ "1(c)", "1(c) Biometrics: emotion recognition" },
	{ "2", "2 Critical infrastructure: safety component of digital infrastructure, traffic or utilities" },
	{ "3(a)", "3(a) Education: access or admission to education and training" },
	{ "3(b)", "3(b) Education: evaluating learning outcomes" },
	{ "3(c)", "3(c) Education: deciding the level of education a person may access" },
	{ "3(d)", "3(d) Education: monitoring prohibited behaviour of students during tests" },
	{ "4(a)", "4(a) Employment: recruitment and selection of candidates" },
	{ "4(b)", "4(b) Employment: decisions on promotion, termination, task allocation or monitoring of workers" },
	{ "5(a)", "5(a) Essential services: eligibility for public assistance benefits and services" },
	{ "5(b)", "5(b) Essential services: creditworthiness or credit score of natural persons (not fraud detection)" },
	{ "5(c)", "5(c) Essential services: risk assessment and pricing in life and health insurance" },
	{ "5(d)", "5(d) Essential services: evaluating emergency calls and dispatching emergency services" },
	{ "6(a)", "6(a) Law enforcement: the risk of a person becoming a victim of crime" },
	{ "6(b)", "6(b) Law enforcement: polygraphs and similar tools" },
	{ "6(c)", "6(c) Law enforcement: the reliability of evidence" },
	{ "6(d)", "6(d) Law enforcement: the risk of offending or re-offending, not from profiling alone" },
	{ "6(e)", "6(e) Law enforcement: profiling in detecting, investigating or prosecuting crime" },
	{ "7(a)", "7(a) Migration and border control: polygraphs and similar tools" },
	{ "7(b)", "7(b) Migration and border control: security, irregular migration or health risks of a person" },
	{ "7(c)", "7(c) Migration and border control: examining applications for asylum, visas or residence permits" },
	{ "7(d)", "7(d) Migration and border control: detecting, recognising or identifying persons" },
	{ "8(a)", "8(a) Justice: assisting a judicial authority in researching and applying facts and law" },
	{ "8(b)", "8(b) Democratic processes: influencing the outcome of an election or referendum, or voting behaviour" },
	{ NULL, NULL }
};

static const opt_label exemption_labels[] = {
	{ "none", "No exemption claimed" },
	{ "narrow-procedural-task", "(a) It performs a narrow procedural task" },
	{ "improves-human-activity", "(b) It improves the result of a human activity already completed" },
	{ "detects-decision-patterns", "(c) It detects decision patterns or deviations from them, without replacing the human assessment" },
	{ "preparatory-task", "(d) It performs a preparatory task to an assessment of an Annex III use" },
	{ NULL, NULL }
};

static const opt_label biometric_labels[] = {
	{ "none", "No biometric categorisation" },
	{ "sensitive-attributes", "By sensitive or protected attributes (Annex III point 1(b))" },
	{ "other", "By other attributes only (Art. 50(3))" },
	{ NULL, NULL }
};

static const char S_SCOPE[] = "Scope and role";
static const char S_PROHIBITED[] = "Prohibited practices";
static const char S_HIGH[] = "High-risk";
static const char S_TRANSPARENCY[] = "Transparency";
static const char S_GPAI[] = "General-purpose AI models";
static const char S_DEPLOYER[] = "Use by the deployer";

/* in the order they are asked; every key of aims_aiact_answer_keys has one */
static const question questions[] = {
	{ "role", S_SCOPE, "What is the organization's role for this system?", "Art. 3(3)-(7), 16, 22-26",
	  "Decides whose obligations are listed. An operator that puts its name on a high-risk system, substantially "
	  "modifies it or gives it a high-risk purpose becomes its provider (Art. 25(1)): choose provider then.",
	  aims_aiact_roles, role_labels, 0 },
	{ "art2_exclusion", S_SCOPE, "Is the system outside the Regulation for one of these reasons?", "Art. 2(3), 2(6), 2(8)",
	  "When one applies the Act does not apply at all: the system is out of scope and has no obligations.",
	  aims_aiact_exclusions, exclusion_labels, 0 },
	{ "free_open_source_licence", S_SCOPE, "Is the AI system released under a free and open-source licence?", "Art. 2(12)",
	  "Such a system is out of scope unless it is high-risk, prohibited or falls under the transparency duties of Art. 50.",
	  NULL, NULL, 0 },
	{ "prohibited_practice", S_PROHIBITED, "Does the system carry out one of the practices Art. 5(1) prohibits?", "Art. 5(1)",
	  "A prohibited practice may not be placed on the market, put into service or used in the EU.",
	  aims_aiact_practices, practice_labels, 1 },
	{ "annex_i_safety_component", S_HIGH,
	  "Is the system a safety component of a product covered by Annex I (or itself such a product) that needs a third-party conformity assessment?",
	  "Art. 6(1)", "Machinery, toys, medical devices, lifts, radio equipment and the other product laws of Annex I: such a "
	  "system is high-risk.", NULL, NULL, 0 },
	{ "annex_i_section_b", S_HIGH, "Is that product under Annex I Section B (vehicles, aviation, marine equipment, rail)?",
	  "Art. 2(2)", "For Section B products only Art. 6(1), 102-109 and 112 apply. Answer yes only for a safety component of "
	  "an Annex I product.", NULL, NULL, 0 },
	{ "annex_iii_area", S_HIGH, "Is the system used in one of the areas of Annex III?", "Art. 6(2), Annex III",
	  "A system intended for one of these uses is high-risk unless an Art. 6(3) exemption applies.",
	  aims_aiact_annex_iii_points, annex_iii_labels, 1 },
	{ "art6_3_exemption", S_HIGH, "Does an Art. 6(3) exemption apply to this Annex III system?", "Art. 6(3), 6(4), 49(2)",
	  "An exempted system is not high-risk, but the provider documents the assessment and registers the system. An "
	  "exemption needs an Annex III use, and never applies when the system profiles people.",
	  aims_aiact_exemptions, exemption_labels, 0 },
	{ "profiling", S_HIGH, "Does the system profile natural persons?", "Art. 6(3), third subparagraph",
	  "Automated evaluation of personal aspects such as work performance, economic situation, health, preferences or "
	  "behaviour. An Annex III system that profiles is always high-risk.", NULL, NULL, 0 },
	{ "emotion_recognition", S_HIGH, "Does the system identify or infer emotions or intentions from biometric data?",
	  "Art. 3(39), Annex III 1(c), Art. 50(3)", "Every emotion recognition system is high-risk, and the people exposed to it "
	  "must be informed.", NULL, NULL, 0 },
	{ "biometric_categorisation", S_HIGH, "Does the system sort people into categories from their biometric data?",
	  "Art. 3(40), Annex III 1(b), Art. 50(3)", "Categorisation by sensitive or protected attributes is high-risk; any "
	  "biometric categorisation must be disclosed to the people exposed to it.",
	  aims_aiact_biometric_categorisations, biometric_labels, 0 },
	{ "law_enforcement_or_migration", S_HIGH,
	  "Is the system used in the areas of law enforcement, migration, asylum or border control management?",
	  "Art. 49(4)", "Decides where a biometric system of Annex III point 1 is registered: in the non-public section "
	  "of the EU database when used in these areas. Systems of points 6 and 7 are always in these areas: answer yes "
	  "for them.", NULL, NULL, 0 },
	{ "interacts_with_natural_persons", S_TRANSPARENCY, "Does the system interact directly with people (a chatbot, a voice assistant)?",
	  "Art. 50(1)", "People must be told that they are interacting with an AI system, unless it is obvious.", NULL, NULL, 0 },
	{ "generates_synthetic_content", S_TRANSPARENCY, "Does the system generate synthetic audio, images, video or text?",
	  "Art. 50(2)", "The output must be marked in a machine-readable way as artificially generated.", NULL, NULL, 0 },
	{ "deep_fake", S_TRANSPARENCY, "Does the system generate or manipulate deep fakes?", "Art. 50(4)",
	  "Image, audio or video content that resembles real people, places or events and would falsely appear authentic "
	  "must be disclosed as such.", NULL, NULL, 0 },
	{ "gpai", S_GPAI, "Does the organization provide a general-purpose AI model?", "Art. 3(63), 53",
	  "A model trained on broad data that can perform a wide range of distinct tasks, placed on the market by the "
	  "organization.", NULL, NULL, 0 },
	{ "systemic_risk", S_GPAI, "Does that model have systemic risk?", "Art. 51, 55",
	  "High-impact capabilities (presumed above 10^25 FLOP of training compute) or a Commission decision. Yes only when "
	  "the organization provides a general-purpose AI model.", NULL, NULL, 0 },
	{ "gpai_open_source", S_GPAI, "Is that model released under a free and open-source licence, with its weights, architecture and usage information public?",
	  "Art. 53(2)", "Exempts from the technical documentation duties of Art. 53(1)(a)-(b), unless the model has systemic "
	  "risk. Yes only when the organization provides a general-purpose AI model.", NULL, NULL, 0 },
	{ "builds_on_third_party_gpai", S_GPAI, "Is the system built on another provider's general-purpose AI model?",
	  "Art. 25(4), 53", "Art. 53 then binds that provider, not the organization; a high-risk system's provider needs "
	  "the written agreement of Art. 25(4).", NULL, NULL, 0 },
	{ "public_authority", S_DEPLOYER, "Is the deployer a public authority or an EU institution, body, office or agency, or does it act on their behalf?",
	  "Art. 26(8), 27(1), 49(3)", "Such deployers register their use of a high-risk system and assess its impact on "
	  "fundamental rights.", NULL, NULL, 0 },
	{ "provides_public_service", S_DEPLOYER, "Is the deployer a body governed by public law, or a private entity providing public services?",
	  "Art. 27(1)", "Such deployers assess the impact on fundamental rights before using a high-risk system (FRIA).",
	  NULL, NULL, 0 },
	{ "affects_workers", S_DEPLOYER, "Does the deployer, as employer, use the system at the workplace with workers subject to it?",
	  "Art. 26(7)", "Workers' representatives and the affected workers must be informed before it is used.", NULL, NULL, 0 },
};

#define NQ (sizeof(questions) / sizeof(questions[0]))

static const question *question_of(const char *key)
{
	for (size_t i = 0; i < NQ; i++)
		if (strcmp(questions[i].key, key) == 0)
			return &questions[i];
	return NULL;
}

static const char *label_of(const question *q, const char *value)
{
	if (!q->values)
		return strcmp(value, "true") == 0 ? "Yes" : strcmp(value, "false") == 0 ? "No" : value;
	for (const opt_label *l = q->labels; l && l->value; l++)
		if (strcmp(l->value, value) == 0)
			return l->label;
	return value;
}

const char *aims__web_aiact_question_check(void)
{
	/* every key of the answers format is asked, and nothing else; every value has its label */
	for (const char *const *k = aims_aiact_answer_keys; *k; k++) {
		const question *q = question_of(*k);
		if (!q)
			return *k;
		for (const char *const *v = q->values; v && *v; v++)
			if (label_of(q, *v) == *v)
				return *v;
	}
	for (size_t i = 0; i < NQ; i++) {
		const char *const *k = aims_aiact_answer_keys;
		while (*k && strcmp(*k, questions[i].key) != 0)
			k++;
		if (!*k)
			return questions[i].key;
	}
	return NULL;
}

/* the answers as form values: "true"/"false" for yes-or-no questions, the value for the others */
static json_t *as_values(const json_t *answers)
{
	json_t *v = json_object();
	for (size_t i = 0; v && i < NQ; i++) {
		const json_t *a = json_object_get(answers, questions[i].key);
		if (json_is_boolean(a))
			json_object_set_new(v, questions[i].key, json_string(json_is_true(a) ? "true" : "false"));
		else if (json_is_string(a))
			json_object_set_new(v, questions[i].key, json_string(json_string_value(a)));
	}
	return v;
}

int aims__web_aiact_form(W *w, json_t *ctx, const char *system, const json_t *answers, int entered,
			 const json_t *errors)
{
	static const char *const yes_no[] = { "true", "false", NULL };
	json_t *vals = entered ? json_incref((json_t *)answers) : as_values(answers);
	json_t *sections = json_array(), *summary = json_array(), *cur = NULL;
	const char *cur_title = NULL;
	int can = aims__web_can(w, "aiact.manage");
	if (!vals || !sections || !summary)
		goto oom;
	for (size_t i = 0; i < NQ; i++) {
		const question *q = &questions[i];
		const char *val = json_string_value(json_object_get(vals, q->key));
		const char *err = json_string_value(json_object_get(errors, q->key));
		char id[64];
		snprintf(id, sizeof(id), "q-%s", q->key);
		if (!cur_title || strcmp(cur_title, q->section) != 0) {
			cur = json_array();
			if (!cur || json_array_append_new(sections, json_pack("{s:s, s:o}", "title", q->section, "questions", cur)) < 0)
				goto oom;
			cur_title = q->section;
		}
		json_t *opts = json_array();
		const char *const *vs = q->values ? q->values : yes_no;
		for (size_t k = 0; opts && vs[k]; k++) {
			char oid[96];
			snprintf(oid, sizeof(oid), "%s-%zu", id, k);
			json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b}", "value", vs[k], "label", label_of(q, vs[k]),
							      "oid", oid, "checked", val && strcmp(val, vs[k]) == 0));
		}
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:s?, s:s?}", "key", q->key, "id", id, "title",
				      q->title, "article", q->article, "help", q->help, "options", opts, "radio", !q->select,
				      "select", q->select, "error", err, "answer", val ? label_of(q, val) : NULL);
		if (!o || json_array_append_new(cur, o) < 0)
			goto oom;
		if (err) {
			char href[80];
			snprintf(href, sizeof(href), "#%s", id);
			json_array_append_new(summary, json_pack("{s:s, s:s, s:s}", "href", href, "title", q->title, "error", err));
		}
	}
	/* an error that names no question (the form as a whole) */
	const char *general = json_string_value(json_object_get(errors, ""));
	json_t *fctx = json_pack("{s:I, s:b, s:o, s:o, s:o, s:s, s:s?, s:b, s:b}", "version",
				 json_integer_value(json_object_get(json_object_get(ctx, "c"), "version")), "has_summary",
				 json_array_size(summary) > 0,
				 "sections", sections, "summary", summary, "action",
				 aims__web_url("/aiact/", system, "/classify"), "csrf", w->rq->csrf ? w->rq->csrf : "",
				 "general", general, "can_classify", can, "answered", json_object_size(vals) > 0);
	sections = summary = NULL;
	json_decref(vals);
	vals = NULL;
	if (!fctx)
		goto oom;
	const aims__builtin_file *f = aims__web_file("aiact_form.html");
	aims_buf html = AIMS_BUF_INIT;
	int e = f ? aims__web_render(&html, f->name, (const char *)f->data, f->len, fctx)
		  : aims__err(AIMS_ERROR, "web: no template aiact_form.html");
	json_decref(fctx);
	if (e == 0 && json_object_set_new(ctx, "classify_form", json_stringn(html.ptr ? html.ptr : "", html.len)) < 0)
		e = aims__oom();
	aims_buf_release(&html);
	return e;
oom:
	json_decref(vals);
	json_decref(sections);
	json_decref(summary);
	return aims__oom();
}

/*
 * The question a refusal of the answers names: "'form' line L: KEY: reason"
 * (docs/aiact.md); *reason points into msg. NULL when it names none.
 */
static const question *refused_question(const char *msg, const char **reason)
{
	static const char name[] = "'form'";
	const char *p = msg;
	if (strncmp(p, name, sizeof(name) - 1) != 0)
		return NULL;
	p += sizeof(name) - 1;
	if (strncmp(p, " line ", 6) == 0)
		p += 6 + strspn(p + 6, "0123456789");
	if (strncmp(p, ": ", 2) != 0)
		return NULL;
	p += 2;
	size_t n = strcspn(p, ":");
	for (size_t i = 0; i < NQ; i++)
		if (strlen(questions[i].key) == n && strncmp(questions[i].key, p, n) == 0 && p[n] == ':') {
			*reason = p[n + 1] == ' ' ? p + n + 2 : p + n + 1;
			return &questions[i];
		}
	return NULL;
}

int aims__web_aiact_classify(W *w, const char *system, json_t **entered, json_t **errors)
{
	json_t *ans = json_object();
	int err;
	*entered = json_object();
	*errors = json_object();
	if (!ans || !*entered || !*errors) {
		json_decref(ans);
		return aims__oom();
	}
	/* the answers file, in the order of the questions: yes or no as JSON booleans, the others as text */
	for (size_t i = 0; i < NQ; i++) {
		const question *q = &questions[i];
		const char *v = aims__web_fstr(w, q->key);
		if (!*v) {
			json_object_set_new(*errors, q->key, json_string("missing answer: choose one"));
			continue;
		}
		json_object_set_new(*entered, q->key, json_string(v));
		json_object_set_new(ans, q->key, !q->values && strcmp(v, "true") == 0    ? json_true()
						 : !q->values && strcmp(v, "false") == 0 ? json_false()
											 : json_string(v));
	}
	/* (to an account that may not classify, the operation answers: a refusal) */
	if (json_object_size(*errors) && aims__web_can(w, "aiact.manage")) {
		json_decref(ans);
		return 1;
	}
	/* the form was made from classification version N (0: none): another one since is not overwritten unseen */
	const char *from = aims__web_fstr(w, "version");
	if (*from && aims__web_can(w, "aiact.manage")) {
		json_t *cur = NULL;
		err = aims__web_call(&cur, NULL, w, "aiact.show", aims__web_req1("system", system));
		if (err == AIMS_ENOTFOUND)
			aims_error_clear();
		else if (err < 0) {
			json_decref(ans);
			return err;
		}
		json_int_t now = json_integer_value(json_object_get(cur, "version"));
		if (strtoll(from, NULL, 10) != now) {
			char msg[512];
			snprintf(msg, sizeof(msg), "the classification changed since this form was opened (from version %s): "
				 "version %lld of %s is the latest now; check the answers below and classify again to "
				 "replace it", from, (long long)now,
				 json_string_value(json_object_get(cur, "classified_at")) ?
				 json_string_value(json_object_get(cur, "classified_at")) : "-");
			json_object_set_new(*errors, "", json_string(msg));
			json_decref(cur);
			json_decref(ans);
			return 1;
		}
		json_decref(cur);
	}
	char *text = json_dumps(ans, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(ans);
	if (!text)
		return aims__oom();
	err = aims__web_call(NULL, NULL, w, "aiact.classify", json_pack("{s:s, s:s}", "system", system, "answers", text));
	free(text);
	if (err != AIMS_EINVALID)
		return err;
	/* a refused answer: shown at its question with the library's reason */
	const char *msg = aims_error_last(), *reason = NULL;
	const question *q = refused_question(msg, &reason);
	json_object_set_new(*errors, q ? q->key : "", json_string(q ? reason : msg));
	aims_error_clear();
	return 1;
}
