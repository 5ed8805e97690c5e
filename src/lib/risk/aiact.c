/*
 * EU AI Act classification (Regulation (EU) 2024/1689): a pure function
 * from the answers to the tier, the basis, the obligations for the role
 * with the date each applies from (Art. 113), the Art. 27 FRIA flag and the
 * Art. 6(3) exemption duties. The order of the tests follows the Act: the
 * Art. 2 exclusions first, then Art. 5 prohibitions, Art. 6(1) (Annex I
 * safety components; Section B products under Art. 2(2)), Art. 6(2) (Annex
 * III) with the Art. 6(3) exemption and its profiling override, then Art. 50
 * transparency, which applies on top of any tier, the general-purpose AI
 * model duties of Arts. 53-55, and the open-source exclusion of Art. 2(12).
 * Descriptions are our own summaries; docs/aiact.md.
 */
#include <stdio.h>
#include <string.h>

#include "aims/aiact.h"
#include "answers.h"
#include "core/core.h"
#include "core/json.h"

/* Art. 5(1) (a)-(h), in the order of the Act */
const char *const aims_aiact_practices[] = {
	"none", "subliminal-manipulation", "exploiting-vulnerabilities", "social-scoring",
	"criminal-risk-profiling", "facial-image-scraping", "emotion-recognition-work-education",
	"biometric-categorisation-sensitive", "realtime-remote-biometric-identification", NULL
};

/* Annex III points: area 2 has no sub-points */
const char *const aims_aiact_annex_iii_points[] = {
	"none", "1(a)", "1(b)", "1(c)", "2", "3(a)", "3(b)", "3(c)", "3(d)", "4(a)", "4(b)",
	"5(a)", "5(b)", "5(c)", "5(d)", "6(a)", "6(b)", "6(c)", "6(d)", "6(e)", "7(a)", "7(b)", "7(c)", "7(d)",
	"8(a)", "8(b)", NULL
};

/* Art. 6(3) second subparagraph, points (a)-(d) */
const char *const aims_aiact_exemptions[] = {
	"none", "narrow-procedural-task", "improves-human-activity", "detects-decision-patterns",
	"preparatory-task", NULL
};

static size_t count_of(const char *const *v)
{
	size_t n = 0;
	while (v[n])
		n++;
	return n;
}

static size_t index_of(const char *const *v, const char *s)
{
	for (size_t i = 0; v[i]; i++)
		if (s && strcmp(v[i], s) == 0)
			return i;
	return 0;
}

/* ---- the obligations, in article order ---- */

enum {
	O_ART2_2, O_ART4, O_ART5, O_ART6_4,
	O_ART9, O_ART10, O_ART11, O_ART12, O_ART13, O_ART14, O_ART15, O_ART16, O_ART17, O_ART18, O_ART19,
	O_ART22, O_ART23, O_ART24, O_ART25_4,
	O_ART26_USE, O_ART26_MONITOR, O_ART26_LOGS, O_ART26_WORKERS, O_ART26_REGISTER, O_ART26_INFORM,
	O_ART27, O_ART43, O_ART47, O_ART48, O_ART49_1, O_ART49_2, O_ART49_4, O_ART49_5,
	O_ART50_1, O_ART50_2, O_ART50_3, O_ART50_4,
	O_ART53_DOC, O_ART53_COPYRIGHT, O_ART54, O_ART55,
	O_ART72, O_ART73, O_ART86,
	O_COUNT
};

static const aims_aiact_obligation obligations[O_COUNT] = {
	[O_ART2_2] = { "art2-2-annex-i-section-b", "Article 2(2)", "Article 2", "operator",
		"The system is high-risk under Art. 6(1) as part of an Annex I Section B product: of this Regulation only "
		"Art. 6(1), 102-109 and 112 apply; meet the AI requirements as the sectoral legislation integrates them." },
	[O_ART4] = { "art4-ai-literacy", "Article 4", "Article 4", "both",
		"Make sure staff and others who operate or use the system for the organization have enough AI "
		"literacy for their role and its context, and keep a record of the measures." },
	[O_ART5] = { "art5-prohibited-practice", "Article 5(1)", "Article 5", "operator",
		"The practice is prohibited: do not place the system on the market, put it into service or use it; "
		"stop or withdraw it and record the decision." },
	[O_ART6_4] = { "art6-4-assessment", "Article 6(4)", "Article 6", "provider",
		"Document, before placing on the market or putting into service, the assessment that this Annex III "
		"system is not high-risk under Art. 6(3), and hand it to the authorities on request." },
	[O_ART9] = { "art9-risk-management", "Article 9", "Article 9", "provider",
		"Run a documented risk management system over the whole life cycle: identify and evaluate risks to "
		"health, safety and fundamental rights, including foreseeable misuse, treat them and test the system." },
	[O_ART10] = { "art10-data-governance", "Article 10", "Article 10", "provider",
		"Govern training, validation and test data: relevance, representativeness, errors and completeness, "
		"examination for bias and measures against it." },
	[O_ART11] = { "art11-technical-documentation", "Article 11", "Article 11", "provider",
		"Draw up the Annex IV technical documentation before placing on the market and keep it up to date." },
	[O_ART12] = { "art12-record-keeping", "Article 12", "Article 12", "provider",
		"Build in automatic event logging over the system's lifetime so that its functioning can be traced." },
	[O_ART13] = { "art13-transparency-to-deployers", "Article 13", "Article 13", "provider",
		"Make the system transparent enough for deployers to interpret its output and supply instructions "
		"for use with the contents the Act lists." },
	[O_ART14] = { "art14-human-oversight", "Article 14", "Article 14", "provider",
		"Design the system so that people can oversee it effectively: understand its limits, avoid automation "
		"bias, override or reverse its output and stop it." },
	[O_ART15] = { "art15-accuracy-robustness-cybersecurity", "Article 15", "Article 15", "provider",
		"Reach and declare appropriate accuracy, robustness and cybersecurity, including resilience against "
		"data poisoning, adversarial examples and model flaws." },
	[O_ART16] = { "art16-provider-obligations", "Article 16", "Article 16", "provider",
		"Meet the provider duties: name and contact on the system, corrective actions, information to "
		"authorities, accessibility requirements." },
	[O_ART17] = { "art17-quality-management", "Article 17", "Article 17", "provider",
		"Put in place a documented quality management system covering compliance strategy, design, testing, "
		"data management, post-market monitoring and incident reporting." },
	[O_ART18] = { "art18-documentation-keeping", "Article 18", "Article 18", "provider",
		"Keep the technical documentation, quality management documentation and declaration of conformity "
		"for 10 years after placing on the market." },
	[O_ART19] = { "art19-log-keeping", "Article 19", "Article 19", "provider",
		"Keep the automatically generated logs under the provider's control for at least six months." },
	[O_ART22] = { "art22-authorised-representative", "Article 22(3)", "Article 22", "authorised-representative",
		"Under the provider's written mandate: verify the declaration of conformity, technical documentation and "
		"conformity assessment, keep them and the provider's contact for 10 years, answer and cooperate with "
		"authorities, and register the system where the provider does not (Art. 49(1))." },
	[O_ART23] = { "art23-importer", "Article 23", "Article 23", "importer",
		"Before placing the system on the market, verify its conformity assessment, technical documentation, "
		"CE marking, declaration, instructions and authorised representative; put your name and address on it, "
		"keep the certificate, instructions and declaration for 10 years, and cooperate with authorities." },
	[O_ART24] = { "art24-distributor", "Article 24", "Article 24", "distributor",
		"Before making the system available, verify its CE marking, declaration and instructions and that the "
		"provider and importer met their duties; do not supply a non-conforming system, take corrective action "
		"and inform the provider and authorities of a risk." },
	[O_ART25_4] = { "art25-4-supplier-agreement", "Article 25(4)", "Article 25", "provider",
		"Agree in writing with the provider of the general-purpose AI model (or other component) the system "
		"integrates the information, capabilities, technical access and assistance needed to comply." },
	[O_ART26_USE] = { "art26-use-and-oversight", "Article 26(1)-(2)", "Article 26", "deployer",
		"Use the system according to its instructions and assign human oversight to competent, trained people "
		"with the authority and support they need." },
	[O_ART26_MONITOR] = { "art26-input-data-and-monitoring", "Article 26(4)-(5)", "Article 26", "deployer",
		"Make sure input data under the deployer's control is relevant and representative; monitor operation, "
		"inform the provider and authorities of risks and serious incidents, and suspend use if needed." },
	[O_ART26_LOGS] = { "art26-log-keeping", "Article 26(6)", "Article 26", "deployer",
		"Keep the logs the system generates, as far as they are under the deployer's control, for at least "
		"six months." },
	[O_ART26_WORKERS] = { "art26-inform-workers", "Article 26(7)", "Article 26", "deployer",
		"Before using the system at the workplace, inform workers' representatives and the workers affected." },
	[O_ART26_REGISTER] = { "art26-public-registration", "Article 26(8)", "Article 26", "deployer",
		"As a public authority or Union institution, body, office or agency: register the use in the EU "
		"database (Art. 49(3)) and do not use a system that is not registered there." },
	[O_ART26_INFORM] = { "art26-inform-affected-persons", "Article 26(11)", "Article 26", "deployer",
		"Tell the natural persons about whom the system makes or helps make decisions that it is used on them." },
	[O_ART27] = { "art27-fria", "Article 27", "Article 27", "deployer",
		"Before first use, carry out a fundamental rights impact assessment with the Art. 27(1) contents and "
		"notify the market surveillance authority of its results." },
	[O_ART43] = { "art43-conformity-assessment", "Article 43", "Article 43", "provider",
		"Have the system undergo the applicable conformity assessment procedure before placing it on the "
		"market or putting it into service." },
	[O_ART47] = { "art47-declaration-of-conformity", "Article 47", "Article 47", "provider",
		"Draw up and sign the EU declaration of conformity and keep it for 10 years." },
	[O_ART48] = { "art48-ce-marking", "Article 48", "Article 48", "provider",
		"Affix the CE marking to the system, its packaging or documentation (digitally for digital systems)." },
	[O_ART49_1] = { "art49-registration", "Article 49(1)", "Article 49", "provider",
		"Register the provider and the system in the EU database before placing it on the market or putting "
		"it into service." },
	[O_ART49_2] = { "art49-2-registration", "Article 49(2)", "Article 49", "provider",
		"Register the provider and the system in the EU database although it is considered not high-risk "
		"under Art. 6(3)." },
	[O_ART49_4] = { "art49-4-non-public-registration", "Article 49(4)", "Article 49", "both",
		"Annex III points 6 and 7 (law enforcement, migration, asylum and border control), and point 1 "
		"(biometrics) when used in those areas: make the registration in the secure non-public section of the "
		"EU database, with only the information Art. 49(4) lists." },
	[O_ART49_5] = { "art49-5-national-registration", "Article 49(5)", "Article 49", "provider",
		"Annex III point 2 (critical infrastructure): register the system at national level, not in the EU "
		"database." },
	[O_ART50_1] = { "art50-1-interaction-notice", "Article 50(1)", "Article 50", "provider",
		"Design the system so that people are told they are interacting with an AI system, unless it is "
		"obvious to a reasonably well-informed person." },
	[O_ART50_2] = { "art50-2-marking-synthetic-content", "Article 50(2)", "Article 50", "provider",
		"Mark synthetic audio, image, video or text outputs in a machine-readable way so they can be detected "
		"as artificially generated or manipulated." },
	[O_ART50_3] = { "art50-3-emotion-biometric-notice", "Article 50(3)", "Article 50", "deployer",
		"Inform the people exposed to the emotion recognition or biometric categorisation system that it "
		"operates, and process their personal data lawfully." },
	[O_ART50_4] = { "art50-4-deep-fake-disclosure", "Article 50(4)", "Article 50", "deployer",
		"Disclose that image, audio or video content (deep fake), or text published to inform the public, "
		"was artificially generated or manipulated." },
	[O_ART53_DOC] = { "art53-gpai-documentation", "Article 53(1)(a)-(b)", "Article 53", "provider",
		"Keep technical documentation of the general-purpose AI model (Annex XI) and give downstream "
		"providers the information they need (Annex XII)." },
	[O_ART53_COPYRIGHT] = { "art53-gpai-copyright-and-training-summary", "Article 53(1)(c)-(d)", "Article 53",
		"provider",
		"Put in place a policy to comply with Union copyright law and publish a sufficiently detailed summary "
		"of the content used for training." },
	[O_ART54] = { "art54-gpai-authorised-representative", "Article 54(3)", "Article 54",
		"authorised-representative",
		"Under the model provider's written mandate: verify its Annex XI documentation and Art. 53 (and 55) "
		"duties, keep a copy for 10 years, and answer and cooperate with the AI Office." },
	[O_ART55] = { "art55-systemic-risk", "Article 55(1)", "Article 55", "provider",
		"For a model with systemic risk: evaluate it including adversarial testing, assess and mitigate "
		"systemic risks, report serious incidents to the AI Office and ensure adequate cybersecurity." },
	[O_ART72] = { "art72-post-market-monitoring", "Article 72", "Article 72", "provider",
		"Set up a post-market monitoring system and plan that collects and analyses performance data over "
		"the system's lifetime." },
	[O_ART73] = { "art73-serious-incidents", "Article 73", "Article 73", "provider",
		"Report serious incidents to the market surveillance authority: at the latest 15 days after becoming "
		"aware, 10 days in case of death, 2 days for a widespread infringement or serious disruption of "
		"critical infrastructure." },
	[O_ART86] = { "art86-explanation", "Article 86", "Article 86", "deployer",
		"Give a person affected by a decision based on the system's output, on request, a clear and "
		"meaningful explanation of the system's role in the decision." },
};

/*
 * When each obligation applies (Art. 113): Chapters I and II from 2 February
 * 2025; Chapter V (general-purpose AI models) from 2 August 2025; the rest
 * from 2 August 2026, except Art. 6(1) and the obligations that follow from
 * it, from 2 August 2027. W_HIGH: a high-risk obligation, dated by the
 * classification (Art. 6(2) -> 2026, Art. 6(1) alone -> 2027).
 */
enum { W_CH_I_II, W_GPAI, W_GENERAL, W_HIGH, W_ART6_1 };

static const unsigned char when[O_COUNT] = {
	[O_ART2_2] = W_ART6_1, [O_ART4] = W_CH_I_II, [O_ART5] = W_CH_I_II, [O_ART6_4] = W_GENERAL,
	[O_ART9] = W_HIGH, [O_ART10] = W_HIGH, [O_ART11] = W_HIGH, [O_ART12] = W_HIGH, [O_ART13] = W_HIGH,
	[O_ART14] = W_HIGH, [O_ART15] = W_HIGH, [O_ART16] = W_HIGH, [O_ART17] = W_HIGH, [O_ART18] = W_HIGH,
	[O_ART19] = W_HIGH, [O_ART22] = W_HIGH, [O_ART23] = W_HIGH, [O_ART24] = W_HIGH, [O_ART25_4] = W_HIGH,
	[O_ART26_USE] = W_HIGH, [O_ART26_MONITOR] = W_HIGH, [O_ART26_LOGS] = W_HIGH, [O_ART26_WORKERS] = W_HIGH,
	[O_ART26_REGISTER] = W_GENERAL, [O_ART26_INFORM] = W_GENERAL, [O_ART27] = W_GENERAL, [O_ART43] = W_HIGH,
	[O_ART47] = W_HIGH, [O_ART48] = W_HIGH, [O_ART49_1] = W_GENERAL, [O_ART49_2] = W_GENERAL,
	[O_ART49_4] = W_GENERAL, [O_ART49_5] = W_GENERAL, [O_ART50_1] = W_GENERAL, [O_ART50_2] = W_GENERAL,
	[O_ART50_3] = W_GENERAL, [O_ART50_4] = W_GENERAL, [O_ART53_DOC] = W_GPAI, [O_ART53_COPYRIGHT] = W_GPAI,
	[O_ART54] = W_GPAI, [O_ART55] = W_GPAI, [O_ART72] = W_HIGH, [O_ART73] = W_HIGH, [O_ART86] = W_GENERAL,
};

static const char *date_of(int o, int annex_iii_high)
{
	switch (when[o]) {
	case W_CH_I_II: return AIMS_AIACT_DATE_CH_I_II;
	case W_GPAI: return AIMS_AIACT_DATE_GPAI;
	case W_HIGH: return annex_iii_high ? AIMS_AIACT_DATE_GENERAL : AIMS_AIACT_DATE_ART6_1;
	case W_ART6_1: return AIMS_AIACT_DATE_ART6_1;
	default: return AIMS_AIACT_DATE_GENERAL;
	}
}

size_t aims_aiact_obligation_count(void)
{
	return O_COUNT;
}

const aims_aiact_obligation *aims_aiact_obligation_at(size_t i)
{
	return i < O_COUNT ? &obligations[i] : NULL;
}

void aims_aiact_today(char out[16])
{
	char now[32];
	aims__time_now(now);   /* RFC 3339, UTC: its first 10 bytes are the date */
	snprintf(out, 16, "%.10s", now);
}

int aims_aiact_applies_on(int *applies, const char *applies_from, const char *on)
{
	char today[16];
	int y, m, d;
	*applies = 0;
	if (!on) {
		aims_aiact_today(today);
		on = today;
	}
	if (strlen(on) != 10 || aims__date_parse(&y, &m, &d, on) < 0)
		return aims__err(AIMS_EINVALID, "'%s' is not a date (YYYY-MM-DD)", on);
	if (!applies_from || strlen(applies_from) != 10 || aims__date_parse(&y, &m, &d, applies_from) < 0)
		return aims__err(AIMS_EINVALID, "'%s' is not a date (YYYY-MM-DD)", applies_from ? applies_from : "(none)");
	/* YYYY-MM-DD strings compare like the dates */
	*applies = strcmp(applies_from, on) <= 0;
	return 0;
}

/* ---- answers ---- */

const char *const aims_aiact_roles[] = {
	"provider", "deployer", "both", "product-manufacturer", "importer", "distributor", "authorised-representative",
	NULL
};

/* Art. 2(3), 2(6), 2(8) */
const char *const aims_aiact_exclusions[] = {
	"none", "military-defence-national-security", "scientific-research", "pre-market-research", NULL
};

/* Annex III 1(b) covers categorisation by sensitive or protected attributes; any other only Art. 50(3) */
const char *const aims_aiact_biometric_categorisations[] = { "none", "sensitive-attributes", "other", NULL };

const char *const aims_aiact_answer_keys[] = {
	"role", "art2_exclusion", "prohibited_practice", "annex_i_safety_component", "annex_i_section_b",
	"annex_iii_area", "art6_3_exemption", "profiling", "interacts_with_natural_persons",
	"generates_synthetic_content", "emotion_recognition", "biometric_categorisation", "deep_fake", "gpai",
	"systemic_risk", "gpai_open_source", "builds_on_third_party_gpai", "free_open_source_licence",
	"public_authority", "provides_public_service", "affects_workers",
	"law_enforcement_or_migration",   /* last: a file without it is a version 2 file (parse_current) */
	NULL
};

const char *const aims_aiact_answer_keys_v1[] = {
	"role", "prohibited_practice", "annex_i_safety_component", "annex_iii_area", "art6_3_exemption",
	"profiling", "interacts_with_natural_persons", "generates_synthetic_content",
	"emotion_recognition_or_biometric_categorisation", "deep_fake", "gpai", "systemic_risk",
	"public_body_or_public_service", NULL
};

static void warn(aims_aiact_answers *a, const char *fmt, const char *name, int line)
{
	if (a->nwarnings == AIMS_AIACT_MAX_WARNINGS)
		return;
	char where[300];
	if (line > 0)
		snprintf(where, sizeof(where), "'%s' line %d", name, line);
	else
		snprintf(where, sizeof(where), "'%s'", name);
	snprintf(a->warnings[a->nwarnings++], sizeof(a->warnings[0]), fmt, where);
}

/* the keys the current format added: in a version 1 file they are refused with a hint */
static int v1_refuse_new_keys(const aims__ans_doc *d, const aims__ans *m)
{
	for (size_t i = 0; i < m->count; i++) {
		const char *k = m->keys[i];
		if (aims__in_list(k, aims_aiact_answer_keys_v1, count_of(aims_aiact_answer_keys_v1)) ||
		    !aims__in_list(k, aims_aiact_answer_keys, count_of(aims_aiact_answer_keys)))
			continue;
		return aims__ans_err(d, m->items[i], k, "a key of the current answers format in a version 1 file (one "
				     "with public_body_or_public_service or emotion_recognition_or_biometric_categorisation): "
				     "replace those two keys and answer every current key (docs/aiact.md)");
	}
	return 0;
}

static int parse_v1(aims_aiact_answers *out, const aims__ans_doc *d, const aims__ans *m)
{
	int legacy_emotion = 0, legacy_public = 0, err;
	if ((err = v1_refuse_new_keys(d, m)) < 0 ||
	    (err = aims__ans_keys(d, m, "", aims_aiact_answer_keys_v1, count_of(aims_aiact_answer_keys_v1),
				  aims_aiact_answer_keys_v1, count_of(aims_aiact_answer_keys_v1))) < 0 ||
	    (err = aims__ans_bool(&legacy_emotion, d, m, "", "emotion_recognition_or_biometric_categorisation")) < 0 ||
	    (err = aims__ans_bool(&legacy_public, d, m, "", "public_body_or_public_service")) < 0)
		return err;
	/* the questions added since, with the defaults docs/aiact.md states */
	out->format = 1;
	out->art2_exclusion = aims_aiact_exclusions[0];
	out->annex_i_section_b = 0;
	out->emotion_recognition = strcmp(out->annex_iii_area, "1(c)") == 0;
	out->biometric_categorisation = strcmp(out->annex_iii_area, "1(b)") == 0 ? aims_aiact_biometric_categorisations[1]
				      : legacy_emotion && !out->emotion_recognition ? aims_aiact_biometric_categorisations[2]
				      : aims_aiact_biometric_categorisations[0];
	out->gpai_open_source = out->builds_on_third_party_gpai = out->free_open_source_licence = 0;
	out->public_authority = 0;
	out->provides_public_service = legacy_public;
	out->affects_workers = 1;
	out->law_enforcement_or_migration = out->annex_iii_area[0] == '6' || out->annex_iii_area[0] == '7';
	warn(out, "%s: a version 1 answers file (public_body_or_public_service, "
	     "emotion_recognition_or_biometric_categorisation): the questions added since take their defaults: no "
	     "Art. 2 exclusion, not Annex I Section B, not open source, no other provider's model, workers affected "
	     "(docs/aiact.md)", d->name, 0);
	if (legacy_public)
		warn(out, "%s: public_body_or_public_service: read as provides_public_service (Art. 27(1)); whether the "
		     "deployer is a public authority (Art. 26(8), 49(3)) cannot be decided from it: answer "
		     "public_authority", d->name, aims__ans_get(m, "public_body_or_public_service")->line);
	if (legacy_emotion && strcmp(out->annex_iii_area, "1(b)") != 0 && strcmp(out->annex_iii_area, "1(c)") != 0)
		warn(out, "%s: emotion_recognition_or_biometric_categorisation: read as biometric categorisation "
		     "outside Annex III (Art. 50(3) only); whether it is emotion recognition (Annex III 1(c)) or "
		     "categorisation by sensitive attributes (1(b)) cannot be decided from it: answer emotion_recognition "
		     "and biometric_categorisation",
		     d->name, aims__ans_get(m, "emotion_recognition_or_biometric_categorisation")->line);
	return 0;
}

/* the current format (3), and version 2: the same keys but law_enforcement_or_migration, the last one */
static int parse_current(aims_aiact_answers *out, const aims__ans_doc *d, const aims__ans *m)
{
	const aims__ans *le = aims__ans_get(m, "law_enforcement_or_migration");
	size_t nkeys = count_of(aims_aiact_answer_keys);
	int err;
	out->format = le ? 3 : 2;
	if ((err = aims__ans_keys(d, m, "", aims_aiact_answer_keys, nkeys, aims_aiact_answer_keys,
				  le ? nkeys : nkeys - 1)) < 0 ||
	    (le && (err = aims__ans_bool(&out->law_enforcement_or_migration, d, m, "", "law_enforcement_or_migration")) < 0) ||
	    (err = aims__ans_enum(&out->art2_exclusion, d, m, "", "art2_exclusion", aims_aiact_exclusions,
				  count_of(aims_aiact_exclusions))) < 0 ||
	    (err = aims__ans_bool(&out->annex_i_section_b, d, m, "", "annex_i_section_b")) < 0 ||
	    (err = aims__ans_bool(&out->emotion_recognition, d, m, "", "emotion_recognition")) < 0 ||
	    (err = aims__ans_enum(&out->biometric_categorisation, d, m, "", "biometric_categorisation",
				  aims_aiact_biometric_categorisations, count_of(aims_aiact_biometric_categorisations))) < 0 ||
	    (err = aims__ans_bool(&out->gpai_open_source, d, m, "", "gpai_open_source")) < 0 ||
	    (err = aims__ans_bool(&out->builds_on_third_party_gpai, d, m, "", "builds_on_third_party_gpai")) < 0 ||
	    (err = aims__ans_bool(&out->free_open_source_licence, d, m, "", "free_open_source_licence")) < 0 ||
	    (err = aims__ans_bool(&out->public_authority, d, m, "", "public_authority")) < 0 ||
	    (err = aims__ans_bool(&out->provides_public_service, d, m, "", "provides_public_service")) < 0 ||
	    (err = aims__ans_bool(&out->affects_workers, d, m, "", "affects_workers")) < 0)
		return err;
	/* the Annex III point and the biometric answers must tell the same story */
	if (strcmp(out->annex_iii_area, "1(c)") == 0 && !out->emotion_recognition)
		return aims__ans_err(d, aims__ans_get(m, "annex_iii_area"), "annex_iii_area",
				     "point 1(c) is emotion recognition: answer emotion_recognition: true");
	if (strcmp(out->annex_iii_area, "1(b)") == 0 && strcmp(out->biometric_categorisation, "sensitive-attributes") != 0)
		return aims__ans_err(d, aims__ans_get(m, "annex_iii_area"), "annex_iii_area",
				     "point 1(b) is biometric categorisation by sensitive or protected attributes: answer "
				     "biometric_categorisation: sensitive-attributes");
	if (out->annex_i_section_b && !out->annex_i_safety_component)
		return aims__ans_err(d, aims__ans_get(m, "annex_i_section_b"), "annex_i_section_b",
				     "true only for a safety component of an Annex I product (annex_i_safety_component is false)");
	if (out->gpai_open_source && !out->gpai)
		return aims__ans_err(d, aims__ans_get(m, "gpai_open_source"), "gpai_open_source",
				     "true only for a general-purpose AI model the organization provides (gpai is false)");
	/* Annex III points 6 and 7 are law enforcement and migration, asylum and border control management */
	int le_point = out->annex_iii_area[0] == '6' || out->annex_iii_area[0] == '7';
	if (le && le_point && !out->law_enforcement_or_migration)
		return aims__ans_err(d, le, "law_enforcement_or_migration",
				     "Annex III point %s is in the areas of law enforcement, migration, asylum and border "
				     "control management: answer true", out->annex_iii_area);
	if (!le) {
		out->law_enforcement_or_migration = le_point;
		int point_1 = out->annex_iii_area[0] == '1' || out->emotion_recognition ||
			      strcmp(out->biometric_categorisation, "sensitive-attributes") == 0;
		if (point_1)
			warn(out, "%s: no law_enforcement_or_migration (a file of the format before it): taken as false, so "
			     "the registration of this Annex III point 1 (biometric) system is not placed in the non-public "
			     "section of Art. 49(4); answer it (docs/aiact.md)", d->name, 0);
	}
	return 0;
}

int aims_aiact_answers_parse(aims_aiact_answers *out, const char *data, size_t len, const char *name)
{
	aims__ans_doc d;
	const aims__ans *m;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = aims__ans_parse(&d, data, len, name)) < 0)
		return err;
	m = d.root;
	/* the version 1 keys mark a version 1 file: it keeps working, with warnings (docs/aiact.md) */
	int v1 = aims__ans_get(m, "public_body_or_public_service") != NULL ||
		 aims__ans_get(m, "emotion_recognition_or_biometric_categorisation") != NULL;
	if ((v1 && (err = v1_refuse_new_keys(&d, m)) < 0) ||
	    (err = aims__ans_enum(&out->role, &d, m, "", "role", aims_aiact_roles, count_of(aims_aiact_roles))) < 0 ||
	    (err = aims__ans_enum(&out->prohibited_practice, &d, m, "", "prohibited_practice", aims_aiact_practices,
				  count_of(aims_aiact_practices))) < 0 ||
	    (err = aims__ans_bool(&out->annex_i_safety_component, &d, m, "", "annex_i_safety_component")) < 0 ||
	    (err = aims__ans_enum(&out->annex_iii_area, &d, m, "", "annex_iii_area", aims_aiact_annex_iii_points,
				  count_of(aims_aiact_annex_iii_points))) < 0 ||
	    (err = aims__ans_enum(&out->art6_3_exemption, &d, m, "", "art6_3_exemption", aims_aiact_exemptions,
				  count_of(aims_aiact_exemptions))) < 0 ||
	    (err = aims__ans_bool(&out->profiling, &d, m, "", "profiling")) < 0 ||
	    (err = aims__ans_bool(&out->interacts_with_natural_persons, &d, m, "", "interacts_with_natural_persons")) < 0 ||
	    (err = aims__ans_bool(&out->generates_synthetic_content, &d, m, "", "generates_synthetic_content")) < 0 ||
	    (err = aims__ans_bool(&out->deep_fake, &d, m, "", "deep_fake")) < 0 ||
	    (err = aims__ans_bool(&out->gpai, &d, m, "", "gpai")) < 0 ||
	    (err = aims__ans_bool(&out->systemic_risk, &d, m, "", "systemic_risk")) < 0)
		goto done;
	/* unknown and missing keys first for the whole file, then the values above were read */
	if ((err = v1 ? parse_v1(out, &d, m) : parse_current(out, &d, m)) < 0)
		goto done;
	/* combinations the Act does not allow */
	if (out->systemic_risk && !out->gpai) {
		err = aims__ans_err(&d, aims__ans_get(m, "systemic_risk"), "systemic_risk",
				    "true only for a general-purpose AI model (gpai is false; Art. 51)");
		goto done;
	}
	int annex_iii = strcmp(out->annex_iii_area, "none") != 0 || out->emotion_recognition ||
			strcmp(out->biometric_categorisation, "sensitive-attributes") == 0;
	if (strcmp(out->art6_3_exemption, "none") != 0 && !annex_iii) {
		err = aims__ans_err(&d, aims__ans_get(m, "art6_3_exemption"), "art6_3_exemption",
				    "an Art. 6(3) exemption applies only to an Annex III system (annex_iii_area is none)");
		goto done;
	}
	err = 0;
done:
	if (err < 0)
		memset(out, 0, sizeof(*out));
	aims__ans_release(&d);
	return err;
}

/* ---- classification ---- */

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		aims__free(v[i]);
	aims__free(v);
}

void aims_aiact_result_release(aims_aiact_result *r)
{
	if (!r)
		return;
	strings_free(r->basis, r->nbasis);
	strings_free(r->notes, r->nnotes);
	strings_free(r->warnings, r->nwarnings);
	aims__free(r->obligations);
	aims__free(r->applies_from);
	aims__free(r->exemption_duties);
	memset(r, 0, sizeof(*r));
}

static int push(char ***v, size_t *n, const char *fmt, const char *arg)
{
	char buf[512];
	snprintf(buf, sizeof(buf), fmt, arg ? arg : "");
	char **nv = aims__realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return aims__oom();
	*v = nv;
	if (!((*v)[*n] = aims__strdup(buf)))
		return aims__oom();
	(*n)++;
	return 0;
}

static int add_basis(aims_aiact_result *r, const char *fmt, const char *arg)
{
	return push(&r->basis, &r->nbasis, fmt, arg);
}

static int add_note(aims_aiact_result *r, const char *text)
{
	return push(&r->notes, &r->nnotes, "%s", text);
}

static int in_table(const char *const *v, const char *s)
{
	for (size_t i = 0; s && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int valid_answers(const aims_aiact_answers *a)
{
	return a && in_table(aims_aiact_roles, a->role) && in_table(aims_aiact_practices, a->prohibited_practice) &&
	       in_table(aims_aiact_annex_iii_points, a->annex_iii_area) &&
	       in_table(aims_aiact_exemptions, a->art6_3_exemption) && in_table(aims_aiact_exclusions, a->art2_exclusion) &&
	       in_table(aims_aiact_biometric_categorisations, a->biometric_categorisation);
}

/* does an obligation for role `orole` bind an organization answering `role`? */
static int binds(const char *orole, const char *role)
{
	int provider = strcmp(role, "provider") == 0 || strcmp(role, "both") == 0 ||
		       strcmp(role, "product-manufacturer") == 0;   /* Art. 25(3): the manufacturer is the provider */
	int deployer = strcmp(role, "deployer") == 0 || strcmp(role, "both") == 0;
	if (strcmp(orole, "operator") == 0)
		return 1;
	if (strcmp(orole, "both") == 0)
		return provider || deployer;
	if (strcmp(orole, "provider") == 0)
		return provider;
	if (strcmp(orole, "deployer") == 0)
		return deployer;
	return strcmp(orole, role) == 0;
}

int aims_aiact_classify(aims_aiact_result *r, const aims_aiact_answers *a)
{
	int want[O_COUNT];
	const char *points[3];
	size_t npoints = 0;
	int err = 0, high = 0, annex_iii_high = 0, exempt = 0, transparency, section_b_only = 0;

	memset(r, 0, sizeof(*r));
	memset(want, 0, sizeof(want));
	if (!valid_answers(a))
		return aims__err(AIMS_EUSAGE, "aims_aiact_classify: answers not filled in (use aims_aiact_answers_parse)");
	for (size_t i = 0; i < a->nwarnings && i < AIMS_AIACT_MAX_WARNINGS; i++)
		if ((err = push(&r->warnings, &r->nwarnings, "%s", a->warnings[i])) < 0)
			goto fail;
	/* the Annex III points the system falls under: the one answered, and emotion recognition (1(c)) and
	 * categorisation by sensitive attributes (1(b)), which Annex III lists whatever the area */
	if (strcmp(a->annex_iii_area, "none") != 0)
		points[npoints++] = a->annex_iii_area;
	if (a->emotion_recognition && strcmp(a->annex_iii_area, "1(c)") != 0)
		points[npoints++] = "1(c)";
	if (strcmp(a->biometric_categorisation, "sensitive-attributes") == 0 && strcmp(a->annex_iii_area, "1(b)") != 0)
		points[npoints++] = "1(b)";
	int any_but_2 = 0, area_2 = 0, secret = 0;
	for (size_t i = 0; i < npoints; i++) {
		any_but_2 |= strcmp(points[i], "2") != 0;
		area_2 |= strcmp(points[i], "2") == 0;
		/* Art. 49(4): points 6 and 7, and point 1 "in the areas of law enforcement, migration, asylum and
		 * border control management" */
		secret |= points[i][0] == '6' || points[i][0] == '7' || (points[i][0] == '1' && a->law_enforcement_or_migration);
	}
	transparency = a->interacts_with_natural_persons || a->generates_synthetic_content || a->emotion_recognition ||
		       strcmp(a->biometric_categorisation, "none") != 0 || a->deep_fake;

	/* Art. 2(3), (6), (8): outside the Regulation altogether */
	size_t x = index_of(aims_aiact_exclusions, a->art2_exclusion);
	if (x > 0) {
		static const char *const art[] = { "", "Article 2(3)", "Article 2(6)", "Article 2(8)" };
		r->tier = "out-of-scope";
		if ((err = add_basis(r, "%s", art[x])) < 0)
			goto fail;
		goto collect;
	}

	/* Art. 5(1): a prohibited practice decides alone */
	size_t p = index_of(aims_aiact_practices, a->prohibited_practice);
	if (p > 0) {
		char point[4] = { (char)('a' + (int)p - 1), '\0' };
		r->tier = "prohibited";
		if ((err = add_basis(r, "Article 5(1)(%s)", point)) < 0)
			goto fail;
		want[O_ART5] = 1;
		goto collect;
	}

	/* Art. 6(1): safety component of an Annex I product (no 6(3) exemption for these) */
	if (a->annex_i_safety_component) {
		high = 1;
		if ((err = add_basis(r, "Article 6(1)", NULL)) < 0 ||
		    (err = add_basis(r, a->annex_i_section_b ? "Annex I Section B" : "Annex I", NULL)) < 0)
			goto fail;
		if (strcmp(a->role, "product-manufacturer") == 0 && !a->annex_i_section_b &&
		    ((err = add_basis(r, "Article 25(3)", NULL)) < 0 ||
		     (err = add_note(r, "Article 25(3): as the manufacturer of the Annex I Section A product the system "
				     "is placed on the market or put into service with under its name, the organization is "
				     "considered the provider of the high-risk AI system.")) < 0))
			goto fail;
	}
	/* Art. 6(2) with the 6(3) exemption; profiling keeps it high-risk (6(3), third subparagraph) */
	if (npoints) {
		size_t e = index_of(aims_aiact_exemptions, a->art6_3_exemption);
		if (e > 0 && !a->profiling) {
			static const char *const letter[] = { "", "a", "b", "c", "d" };
			char art[32];
			snprintf(art, sizeof(art), "Article 6(3)(%s)", letter[e]);
			if (!high) {
				exempt = 1;
				r->exemption = e == 1 ? "Article 6(3)(a)" : e == 2 ? "Article 6(3)(b)"
					     : e == 3 ? "Article 6(3)(c)" : "Article 6(3)(d)";
			}
			for (size_t i = 0; i < npoints; i++)
				if ((err = add_basis(r, "Annex III point %s", points[i])) < 0)
					goto fail;
			if ((err = add_basis(r, "%s", art)) < 0)
				goto fail;
		} else {
			high = annex_iii_high = 1;
			if ((err = add_basis(r, "Article 6(2)", NULL)) < 0)
				goto fail;
			for (size_t i = 0; i < npoints; i++)
				if ((err = add_basis(r, "Annex III point %s", points[i])) < 0)
					goto fail;
			if (e > 0 && (err = add_basis(r, "Article 6(3), third subparagraph (profiling of natural persons)",
						      NULL)) < 0)
				goto fail;
		}
	}
	/* Art. 2(2): a Section B product that is high-risk under Art. 6(1) only */
	section_b_only = a->annex_i_safety_component && a->annex_i_section_b && !annex_iii_high;
	if (section_b_only && ((err = add_basis(r, "Article 2(2)", NULL)) < 0 ||
			       (err = add_note(r, "Article 2(2): for a high-risk system under Art. 6(1) related to a product "
					       "of Annex I Section B, only Art. 6(1), 102-109 and 112 of this Regulation "
					       "apply; its requirements reach the system through that sectoral legislation."))
			       < 0))
		goto fail;
	/* Art. 50 applies on top of any tier (not to a Section B product, Art. 2(2)) */
	if (!section_b_only) {
		if (a->interacts_with_natural_persons && (err = add_basis(r, "Article 50(1)", NULL)) < 0)
			goto fail;
		if (a->generates_synthetic_content && (err = add_basis(r, "Article 50(2)", NULL)) < 0)
			goto fail;
		if ((a->emotion_recognition || strcmp(a->biometric_categorisation, "none") != 0) &&
		    (err = add_basis(r, "Article 50(3)", NULL)) < 0)
			goto fail;
		if (a->deep_fake && (err = add_basis(r, "Article 50(4)", NULL)) < 0)
			goto fail;
	}
	if (a->gpai && (err = add_basis(r, "Article 53", NULL)) < 0)
		goto fail;
	if (a->gpai && a->systemic_risk && (err = add_basis(r, "Article 55", NULL)) < 0)
		goto fail;

	r->tier = high ? "high-risk" : transparency ? "limited-risk" : "minimal-risk";
	if (section_b_only) {
		want[O_ART2_2] = 1;
	} else {
		want[O_ART4] = 1;
		if (high) {
			for (int o = O_ART9; o <= O_ART19; o++)
				want[o] = 1;
			want[O_ART43] = want[O_ART47] = want[O_ART48] = want[O_ART72] = want[O_ART73] = 1;
			want[O_ART22] = want[O_ART23] = want[O_ART24] = 1;
			want[O_ART26_USE] = want[O_ART26_MONITOR] = want[O_ART26_LOGS] = 1;
			/* Art. 26(7): only an employer using it at the workplace */
			want[O_ART26_WORKERS] = a->affects_workers;
			if (a->builds_on_third_party_gpai)
				want[O_ART25_4] = 1;
		}
		if (annex_iii_high) {
			/* registration: EU database except point 2 (Art. 49(1)), point 2 nationally (49(5)) */
			want[O_ART49_1] = any_but_2;
			want[O_ART49_5] = area_2;
			/* Art. 26(8), 49(3): public authorities, Annex III except point 2, never Annex I alone */
			want[O_ART26_REGISTER] = a->public_authority && any_but_2;
			want[O_ART26_INFORM] = 1;
			/* Art. 86 covers Annex III systems except point 2 */
			want[O_ART86] = any_but_2;
			/* Art. 27(1): Art. 6(2) systems except area 2, used by public authorities and bodies governed by
			 * public law or private providers of public services, and systems of points 5(b) and 5(c) */
			int credit_or_insurance = 0;
			for (size_t i = 0; i < npoints; i++)
				credit_or_insurance |= strcmp(points[i], "5(b)") == 0 || strcmp(points[i], "5(c)") == 0;
			if (any_but_2 && binds("deployer", a->role) &&
			    (a->public_authority || a->provides_public_service || credit_or_insurance)) {
				r->fria_required = 1;
				want[O_ART27] = 1;
			}
		}
		if (exempt)
			want[O_ART6_4] = want[O_ART49_2] = 1;
		/* Art. 49(4): registrations for points 6 and 7, and point 1 in those areas, go to the non-public section */
		if (secret && ((binds("provider", a->role) && (want[O_ART49_1] || want[O_ART49_2])) ||
			       (binds("deployer", a->role) && want[O_ART26_REGISTER])))
			want[O_ART49_4] = 1;
		want[O_ART50_1] = a->interacts_with_natural_persons;
		want[O_ART50_2] = a->generates_synthetic_content;
		want[O_ART50_3] = a->emotion_recognition || strcmp(a->biometric_categorisation, "none") != 0;
		want[O_ART50_4] = a->deep_fake;
	}
	if (a->gpai) {
		/* Art. 53(2): the open-source exception lifts (a) and (b), not for a model with systemic risk */
		int open = a->gpai_open_source && !a->systemic_risk;
		want[O_ART53_DOC] = !open;
		want[O_ART53_COPYRIGHT] = 1;
		want[O_ART54] = !open;   /* Art. 54(6) */
		want[O_ART55] = a->systemic_risk;
		if (open && (err = add_note(r, "Article 53(2): the model is released under a free and open-source licence "
					    "with its weights and architecture public and has no systemic risk, so the "
					    "documentation duties of Art. 53(1)(a)-(b) (and Art. 54) do not apply; "
					    "53(1)(c)-(d) do.")) < 0)
			goto fail;
		if (a->gpai_open_source && a->systemic_risk &&
		    (err = add_note(r, "Article 53(2): the open-source exception does not apply to a model with systemic "
				    "risk.")) < 0)
			goto fail;
	}
	if (a->builds_on_third_party_gpai &&
	    (err = add_note(r, "Article 53: the duties of a general-purpose AI model bind the provider of the model the "
			    "system is built on, not the organization integrating it; that provider owes integrating "
			    "providers the Annex XII information (Art. 53(1)(b)), and for a high-risk system Art. 25(4) "
			    "asks for a written agreement with it.")) < 0)
		goto fail;
	/* Art. 2(12): an open-source system is out of scope unless high-risk, prohibited or under Art. 50 */
	if (a->free_open_source_licence && !high && !transparency) {
		r->tier = "out-of-scope";
		exempt = 0;
		r->exemption = NULL;
		for (int o = 0; o < O_COUNT; o++)
			if (o != O_ART53_DOC && o != O_ART53_COPYRIGHT && o != O_ART54 && o != O_ART55)
				want[o] = 0;
		if ((err = add_basis(r, "Article 2(12)", NULL)) < 0)
			goto fail;
	}
	if (!high && !binds("both", a->role) &&
	    (err = add_note(r, "Articles 22-24: importers, distributors and authorised representatives have duties for "
			    "high-risk AI systems (and authorised representatives of general-purpose AI model providers, "
			    "Art. 54); this system is not high-risk.")) < 0)
		goto fail;

collect:
	if (!(r->obligations = aims__calloc(O_COUNT, sizeof(const aims_aiact_obligation *))) ||
	    !(r->applies_from = aims__calloc(O_COUNT, sizeof(const char *))) ||
	    !(r->exemption_duties = aims__calloc(2, sizeof(const aims_aiact_obligation *)))) {
		err = aims__oom();
		goto fail;
	}
	for (int o = 0; o < O_COUNT; o++) {
		if (!want[o] || !binds(obligations[o].role, a->role))
			continue;
		r->applies_from[r->nobligations] = date_of(o, annex_iii_high);
		r->obligations[r->nobligations++] = &obligations[o];
	}
	if (exempt) {
		/* the provider's duties, reported whatever the role, so a deployer knows what to ask for */
		r->exemption_duties[r->nexemption_duties++] = &obligations[O_ART6_4];
		r->exemption_duties[r->nexemption_duties++] = &obligations[O_ART49_2];
	}
	return 0;
fail:
	aims_aiact_result_release(r);
	return err;
}
