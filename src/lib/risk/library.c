/*
 * The starter library: typical AI risks, one or two per category of the
 * taxonomy, written in our own words, that can be added to a system in one
 * command and then scored and treated like any other risk. Suggested
 * scores are on a 5 x 5 scale and scaled to the criteria in force.
 */
#include <stdio.h>
#include <string.h>

#include "aims/auth.h"
#include "aims/risk.h"
#include "core/core.h"
#include "risk_internal.h"

static const aims_risk_template library[] = {
	{ "bias-outcomes", "bias-fairness", "Outcomes differ unfairly between groups of people",
	  "The system's decisions or error rates differ between groups defined by protected characteristics, "
	  "because of skewed training data, proxies for those characteristics or the chosen objective.",
	  3, 4, "A.7.4" },
	{ "bias-feedback-loop", "bias-fairness", "Decisions feed back into the data and entrench bias",
	  "Outputs influence who is seen again (approved, inspected, shown), so later training data reflects the "
	  "system's own past choices and a small disparity grows over time.", 2, 4, "A.6.2.6" },
	{ "drift-inputs", "data-drift", "Input data drifts away from the training data",
	  "The population, channels or upstream systems change, so the data the model sees in operation no longer "
	  "resembles the data it was validated on, and accuracy falls without anyone noticing.", 4, 3, "A.6.2.6" },
	{ "drift-concept", "data-drift", "The relation between inputs and outcome changes",
	  "Economic, seasonal or behavioural changes alter what the inputs mean for the outcome, so a model that "
	  "still sees familiar inputs gives stale answers.", 3, 3, "A.6.2.6" },
	{ "misuse-outside-purpose", "misuse", "The system is used outside its intended purpose",
	  "Staff or customers apply the system to decisions, populations or settings it was not designed or "
	  "validated for, for example using a triage score as a final decision.", 3, 4, "A.9.4" },
	{ "evasion-inputs", "adversarial-evasion", "Crafted inputs make the model decide wrongly",
	  "Someone who knows or probes the model changes inputs slightly so that it misclassifies them, for "
	  "example to pass a screening or avoid detection.", 2, 4, "A.6.2.4" },
	{ "poisoning-training-data", "adversarial-poisoning", "Training data or a model artefact is tampered with",
	  "Manipulated records in a data source, or a replaced model file, plant a weakness or backdoor that only "
	  "shows under conditions the attacker controls.", 2, 5, "A.7.5" },
	{ "extraction-api", "adversarial-model-extraction", "The model is copied through its interface",
	  "Many queries against a prediction interface let an outsider rebuild an equivalent model or infer "
	  "confidential training data.", 2, 3, "A.6.2.5" },
	{ "prompt-injection", "adversarial-prompt-injection", "Instructions hidden in content take over a language model",
	  "Text in user input, documents or web pages that the model reads overrides its instructions, leaks "
	  "data or triggers actions it was not meant to take.", 3, 4, "A.6.2.4" },
	{ "unexplained-decisions", "transparency", "Decisions cannot be explained to the people affected",
	  "Neither staff nor the people affected can learn the main reasons for an output, so errors go "
	  "unchallenged and explanation duties cannot be met.", 3, 3, "A.8.2" },
	{ "personal-data-exposure", "privacy", "Personal data is exposed or used beyond its purpose",
	  "Training data, logs or model outputs reveal personal data, or data collected for one purpose is reused "
	  "for the model without a lawful basis.", 3, 4, "A.7.3" },
	{ "harm-physical", "safety", "A wrong output leads to physical or health harm",
	  "The system's output directly or indirectly affects physical processes, health or safety, and an error "
	  "is not caught before it has an effect.", 2, 5, "A.6.2.4" },
	{ "unclear-ownership", "accountability", "No one is clearly responsible for the system's outcomes",
	  "Roles for approving releases, watching performance and answering complaints are not assigned, so "
	  "problems are noticed late and nobody acts on them.", 3, 3, "A.3.2" },
	{ "supplier-model-change", "third-party", "A supplier changes or withdraws a model or data source",
	  "A third-party model, API or dataset changes behaviour, terms or availability without notice, and the "
	  "organization's own controls do not detect it.", 3, 3, "A.10.3" },
	{ "complex-environment", "environment-complexity", "The operating environment is more varied than tested",
	  "The system works in an open setting with many situations that testing could not cover, so rare cases "
	  "meet untested behaviour.", 3, 3, "A.6.2.4" },
	{ "automation-without-review", "level-of-automation", "Decisions take effect without meaningful human review",
	  "A high level of automation, or reviewers who routinely confirm outputs, means errors reach people "
	  "before anyone can intervene.", 3, 4, "A.9.2" },
	{ "ml-overfitting", "machine-learning", "The model learned shortcuts that do not generalise",
	  "Leakage, overfitting or spurious correlations give good validation figures that do not hold on new "
	  "data.", 3, 3, "A.6.2.4" },
	{ "hardware-failure", "system-hardware", "Computing resources fail or behave differently",
	  "Hardware faults, capacity limits or numerical differences between environments make the system "
	  "unavailable or change its results.", 2, 3, "A.4.5" },
	{ "lifecycle-retirement", "system-lifecycle", "Changes and retirement are not controlled",
	  "Model updates, retraining or retirement happen without the checks of the first release, or an old "
	  "version keeps running unnoticed.", 3, 3, "A.6.2.5" },
	{ "immature-technology", "technology-readiness", "The technique is not mature enough for the use",
	  "A new method has little operating history, so its failure modes and limits are not yet known.",
	  2, 4, "A.6.2.2" },
};
#define NLIB (sizeof(library) / sizeof(library[0]))

size_t aims_risk_library_count(void)
{
	return NLIB;
}

const aims_risk_template *aims_risk_library_at(size_t i)
{
	return i < NLIB ? &library[i] : NULL;
}

/* a 1-5 suggestion on a 1-max scale, rounded up, at least 1 */
static int scale(int v, int max)
{
	int s = (v * max + 4) / 5;
	return s < 1 ? 1 : s > max ? max : s;
}

static int already_added(int *yes, aims_store *store, const char *system, const char *source)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM risks WHERE system = ? AND source = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_text(st, 2, source)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	*yes = err == 1;
	aims__stmt_free(st);
	return 0;
}

int aims_risk_library_add(size_t *added, aims_store *store, const char *system, const char *category, const char *owner)
{
	aims_risk_criteria c;
	size_t n = 0;
	int err;
	if (added)
		*added = 0;
	if (category && !aims_risk_category_find(category))
		return aims__err(AIMS_EINVALID, "category '%s': not a category of the AI risk taxonomy (see 'aims risk "
				 "categories')", category);
	/* the owner alone accepts the risks: a principal, checked even when every risk is skipped */
	if ((err = aims_principal_check_name(store, owner, "risk owner")) < 0 ||
	    (err = aims_risk_criteria_get(&c, store)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	if ((err = aims__risk_system_check(store, system)) < 0)
		goto fail;
	for (size_t i = 0; i < NLIB; i++) {
		const aims_risk_template *t = &library[i];
		char source[96];
		int yes = 0;
		if (category && strcmp(category, t->category) != 0)
			continue;
		snprintf(source, sizeof(source), "library:%s", t->key);
		if ((err = already_added(&yes, store, system, source)) < 0)
			goto fail;
		if (yes)
			continue;
		aims_risk_new_opts o = AIMS_RISK_NEW_INIT;
		o.system = system;
		o.title = t->title;
		o.category = t->category;
		o.description = t->description;
		o.owner = owner;
		o.likelihood = scale(t->likelihood, c.likelihood_max);
		o.impact = scale(t->impact, c.impact_max);
		o.source = source;
		if ((err = aims_risk_add(NULL, store, &o)) < 0)
			goto fail;
		n++;
	}
	if ((err = aims_store_commit(store)) < 0)
		goto fail;
	if (added)
		*added = n;
	return 0;
fail:
	aims_store_rollback(store);
	return err;
}
