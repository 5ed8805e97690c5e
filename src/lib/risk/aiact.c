/*
 * EU AI Act classification (Regulation (EU) 2024/1689): a pure function
 * from the answers to the tier, the basis, the obligations for the role,
 * the Art. 27 FRIA flag and the Art. 6(3) exemption duties. The order of
 * the tests follows the Act: Art. 5 prohibitions first, then Art. 6(1)
 * (Annex I safety components), Art. 6(2) (Annex III) with the Art. 6(3)
 * exemption and its profiling override, then Art. 50 transparency, which
 * applies on top of any tier, and the general-purpose AI model duties of
 * Art. 53 and 55. Descriptions are our own summaries; docs/aiact.md.
 */
#include <stdio.h>
#include <string.h>

#include "aims/aiact.h"
#include "answers.h"
#include "core/core.h"

const char *const aims_aiact_roles[] = { "provider", "deployer", "both", NULL };

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
	O_ART4, O_ART5, O_ART6_4,
	O_ART9, O_ART10, O_ART11, O_ART12, O_ART13, O_ART14, O_ART15, O_ART16, O_ART17, O_ART18, O_ART19,
	O_ART26_USE, O_ART26_MONITOR, O_ART26_LOGS, O_ART26_WORKERS, O_ART26_REGISTER, O_ART26_INFORM,
	O_ART27, O_ART43, O_ART47, O_ART48, O_ART49_1, O_ART49_2,
	O_ART50_1, O_ART50_2, O_ART50_3, O_ART50_4,
	O_ART53_DOC, O_ART53_COPYRIGHT, O_ART55,
	O_ART72, O_ART73, O_ART86,
	O_COUNT
};

static const aims_aiact_obligation obligations[O_COUNT] = {
	[O_ART4] = { "art4-ai-literacy", "Article 4", "Article 4", "both",
		"Make sure staff and others who operate or use the system for the organization have enough AI "
		"literacy for their role and its context, and keep a record of the measures." },
	[O_ART5] = { "art5-prohibited-practice", "Article 5(1)", "Article 5", "both",
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
		"As a public authority or body: check that the system is registered in the EU database, register the "
		"use (Art. 49(3)) and do not use an unregistered system." },
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
		"it into service (Annex III point 2 systems: at national level)." },
	[O_ART49_2] = { "art49-2-registration", "Article 49(2)", "Article 49", "provider",
		"Register the provider and the system in the EU database although it is considered not high-risk "
		"under Art. 6(3)." },
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

size_t aims_aiact_obligation_count(void)
{
	return O_COUNT;
}

const aims_aiact_obligation *aims_aiact_obligation_at(size_t i)
{
	return i < O_COUNT ? &obligations[i] : NULL;
}

/* ---- answers ---- */

static const char *const answer_keys[] = {
	"role", "prohibited_practice", "annex_i_safety_component", "annex_iii_area", "art6_3_exemption",
	"profiling", "interacts_with_natural_persons", "generates_synthetic_content",
	"emotion_recognition_or_biometric_categorisation", "deep_fake", "gpai", "systemic_risk",
	"public_body_or_public_service"
};
#define NKEYS (sizeof(answer_keys) / sizeof(answer_keys[0]))

int aims_aiact_answers_parse(aims_aiact_answers *out, const char *data, size_t len, const char *name)
{
	aims__ans_doc d;
	const aims__ans *m;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = aims__ans_parse(&d, data, len, name)) < 0)
		return err;
	m = d.root;
	if ((err = aims__ans_keys(&d, m, "", answer_keys, NKEYS, answer_keys, NKEYS)) < 0 ||
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
	    (err = aims__ans_bool(&out->emotion_recognition_or_biometric_categorisation, &d, m, "",
				  "emotion_recognition_or_biometric_categorisation")) < 0 ||
	    (err = aims__ans_bool(&out->deep_fake, &d, m, "", "deep_fake")) < 0 ||
	    (err = aims__ans_bool(&out->gpai, &d, m, "", "gpai")) < 0 ||
	    (err = aims__ans_bool(&out->systemic_risk, &d, m, "", "systemic_risk")) < 0 ||
	    (err = aims__ans_bool(&out->public_body_or_public_service, &d, m, "", "public_body_or_public_service")) < 0)
		goto done;
	/* combinations the Act does not allow */
	if (out->systemic_risk && !out->gpai) {
		err = aims__ans_err(&d, aims__ans_get(m, "systemic_risk"), "systemic_risk",
				    "true only for a general-purpose AI model (gpai is false; Art. 51)");
		goto done;
	}
	if (strcmp(out->art6_3_exemption, "none") != 0 && strcmp(out->annex_iii_area, "none") == 0) {
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

void aims_aiact_result_release(aims_aiact_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nbasis; i++)
		aims__free(r->basis[i]);
	aims__free(r->basis);
	aims__free(r->obligations);
	aims__free(r->exemption_duties);
	memset(r, 0, sizeof(*r));
}

static int add_basis(aims_aiact_result *r, const char *fmt, const char *arg)
{
	char buf[160];
	snprintf(buf, sizeof(buf), fmt, arg ? arg : "");
	char **nb = aims__realloc(r->basis, (r->nbasis + 1) * sizeof(*nb));
	if (!nb)
		return aims__oom();
	r->basis = nb;
	if (!(r->basis[r->nbasis] = aims__strdup(buf)))
		return aims__oom();
	r->nbasis++;
	return 0;
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
	       in_table(aims_aiact_exemptions, a->art6_3_exemption);
}

int aims_aiact_classify(aims_aiact_result *r, const aims_aiact_answers *a)
{
	int want[O_COUNT];
	int err = 0, high = 0, exempt = 0, annex_iii, transparency, provider, deployer;

	memset(r, 0, sizeof(*r));
	memset(want, 0, sizeof(want));
	if (!valid_answers(a))
		return aims__err(AIMS_EUSAGE, "aims_aiact_classify: answers not filled in (use aims_aiact_answers_parse)");
	provider = strcmp(a->role, "deployer") != 0;
	deployer = strcmp(a->role, "provider") != 0;
	annex_iii = strcmp(a->annex_iii_area, "none") != 0;
	transparency = a->interacts_with_natural_persons || a->generates_synthetic_content ||
		       a->emotion_recognition_or_biometric_categorisation || a->deep_fake;

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
		if ((err = add_basis(r, "Article 6(1)", NULL)) < 0 || (err = add_basis(r, "Annex I", NULL)) < 0)
			goto fail;
	}
	/* Art. 6(2) with the 6(3) exemption; profiling keeps it high-risk (6(3), third subparagraph) */
	if (annex_iii) {
		size_t e = index_of(aims_aiact_exemptions, a->art6_3_exemption);
		if (e > 0 && !a->profiling) {
			static const char *const points[] = { "", "a", "b", "c", "d" };
			char art[32];
			snprintf(art, sizeof(art), "Article 6(3)(%s)", points[e]);
			if (!high) {
				exempt = 1;
				r->exemption = e == 1 ? "Article 6(3)(a)" : e == 2 ? "Article 6(3)(b)"
					     : e == 3 ? "Article 6(3)(c)" : "Article 6(3)(d)";
			}
			if ((err = add_basis(r, "Annex III point %s", a->annex_iii_area)) < 0 ||
			    (err = add_basis(r, "%s", art)) < 0)
				goto fail;
		} else {
			high = 1;
			if ((err = add_basis(r, "Article 6(2)", NULL)) < 0 ||
			    (err = add_basis(r, "Annex III point %s", a->annex_iii_area)) < 0)
				goto fail;
			if (e > 0 && (err = add_basis(r, "Article 6(3), third subparagraph (profiling of natural persons)",
						      NULL)) < 0)
				goto fail;
		}
	}
	/* Art. 50 applies on top of any tier */
	if (a->interacts_with_natural_persons && (err = add_basis(r, "Article 50(1)", NULL)) < 0)
		goto fail;
	if (a->generates_synthetic_content && (err = add_basis(r, "Article 50(2)", NULL)) < 0)
		goto fail;
	if (a->emotion_recognition_or_biometric_categorisation && (err = add_basis(r, "Article 50(3)", NULL)) < 0)
		goto fail;
	if (a->deep_fake && (err = add_basis(r, "Article 50(4)", NULL)) < 0)
		goto fail;
	if (a->gpai && (err = add_basis(r, "Article 53", NULL)) < 0)
		goto fail;
	if (a->gpai && a->systemic_risk && (err = add_basis(r, "Article 55", NULL)) < 0)
		goto fail;

	r->tier = high ? "high-risk" : transparency ? "limited-risk" : "minimal-risk";
	want[O_ART4] = 1;
	if (high) {
		for (int o = O_ART9; o <= O_ART19; o++)
			want[o] = 1;
		want[O_ART43] = want[O_ART47] = want[O_ART48] = want[O_ART72] = want[O_ART73] = 1;
		if (annex_iii)
			want[O_ART49_1] = 1;
		want[O_ART26_USE] = want[O_ART26_MONITOR] = want[O_ART26_LOGS] = want[O_ART26_WORKERS] = 1;
		if (a->public_body_or_public_service)
			want[O_ART26_REGISTER] = 1;
		if (annex_iii) {
			want[O_ART26_INFORM] = 1;
			/* Art. 86 covers Annex III systems except point 2 */
			if (strcmp(a->annex_iii_area, "2") != 0)
				want[O_ART86] = 1;
		}
		/* Art. 27(1): Art. 6(2) systems except area 2, used by public bodies or private providers of
		 * public services, and systems of Annex III points 5(b) and 5(c) */
		if (annex_iii && deployer && strcmp(a->annex_iii_area, "2") != 0 &&
		    (a->public_body_or_public_service || strcmp(a->annex_iii_area, "5(b)") == 0 ||
		     strcmp(a->annex_iii_area, "5(c)") == 0)) {
			r->fria_required = 1;
			want[O_ART27] = 1;
		}
	}
	if (exempt)
		want[O_ART6_4] = want[O_ART49_2] = 1;
	want[O_ART50_1] = a->interacts_with_natural_persons;
	want[O_ART50_2] = a->generates_synthetic_content;
	want[O_ART50_3] = a->emotion_recognition_or_biometric_categorisation;
	want[O_ART50_4] = a->deep_fake;
	if (a->gpai)
		want[O_ART53_DOC] = want[O_ART53_COPYRIGHT] = 1;
	if (a->gpai && a->systemic_risk)
		want[O_ART55] = 1;

collect:
	if (!(r->obligations = aims__calloc(O_COUNT, sizeof(const aims_aiact_obligation *))) ||
	    !(r->exemption_duties = aims__calloc(2, sizeof(const aims_aiact_obligation *)))) {
		err = aims__oom();
		goto fail;
	}
	for (int o = 0; o < O_COUNT; o++) {
		if (!want[o])
			continue;
		const char *role = obligations[o].role;
		int applies = strcmp(role, "both") == 0 || (strcmp(role, "provider") == 0 && provider) ||
			      (strcmp(role, "deployer") == 0 && deployer);
		if (applies)
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
