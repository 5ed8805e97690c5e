/*
 * The fundamental rights impact assessment template (EU AI Act Art. 27):
 * Markdown with one section per Art. 27(1) point (a)-(f) plus the Art.
 * 27(3) notification, pre-filled with what the store knows about the system
 * (inventory record, latest impact assessment, risk register) and marked
 * where the deployer still has to write. Headings are our own wording.
 */
#include <stdio.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/assess.h"
#include "aims/inventory.h"
#include "aims/risk.h"
#include "core/core.h"
#include "core/json.h"
#include "risk_internal.h"
#include "report/report_internal.h"

/* what the template leaves for the deployer to write (Art. 27 answers aims cannot know) */
#define FILL_IN "_To complete by the deployer._"

static int para(aims_buf *out, const char *label, const char *text)
{
	if (!text || !*text)
		return aims_buf_printf(out, "- %s: " FILL_IN "\n", label);
	return aims_buf_printf(out, "- %s: %s\n", label, text);
}

/* the latest approved assessment, else the latest draft; NULL when none */
static int latest_assessment(json_t **answers, aims_assessment **which, aims_store *store, const char *system)
{
	aims_assessments *l = NULL;
	int err;
	*answers = NULL;
	*which = NULL;
	if ((err = aims_assess_list(&l, store, system)) < 0)
		return err;
	aims_assessment *pick = NULL;
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i]->status, "approved") == 0 || !pick || strcmp(pick->status, "approved") != 0)
			pick = l->items[i];
	if (pick) {
		for (size_t i = 0; i < l->count; i++)
			if (l->items[i] == pick)
				l->items[i] = NULL;
		*answers = json_loads(pick->answers, 0, NULL);
		*which = pick;
	}
	for (size_t i = 0; i < l->count; i++)
		aims_assessment_free(l->items[i]);
	l->count = 0;
	aims_assessments_free(l);
	return 0;
}

int aims_aiact_fria(aims_buf *out, aims_store *store, const char *system, int force)
{
	aims_aiact_record *rec = NULL;
	aims_system *sys = NULL;
	aims_assessment *ia = NULL;
	aims_risks *risks = NULL;
	json_t *ans = NULL, *res = NULL, *v;
	char *org = NULL, now[32];
	size_t i, start = out->len;
	int err;

	if ((err = aims_aiact_read(&rec, store, system, 0)) < 0)
		return err;
	if (!rec->fria_required && !force) {
		err = aims__err(AIMS_ECONFLICT, "%s: classification version %d (%s) does not require a fundamental rights "
				"impact assessment (Art. 27); force it (--force) for the template anyway", system, rec->version,
				rec->tier);
		goto done;
	}
	if ((err = aims_system_get(&sys, store, system)) < 0 ||
	    (err = latest_assessment(&ans, &ia, store, system)) < 0 || (err = aims_risk_list(&risks, store, system)) < 0 ||
	    (err = aims_store_setting_get(&org, store, "org.name")) < 0)
		goto done;
	res = json_loads(rec->result, 0, NULL);
	aims__time_now(now);
	if ((err = aims_buf_printf(out, "# Fundamental rights impact assessment: %s\n\n", system)) < 0 ||
	    (err = aims_buf_printf(out, "Deployer: %s. Prepared %.10s from the aims store. EU AI Act "
				   "(Regulation (EU) 2024/1689) Article 27; classification version %d: %s",
				   org ? org : "(organization not set)", now, rec->version, rec->tier)) < 0)
		goto done;
	json_array_foreach(json_object_get(res, "basis"), i, v) {
		if ((err = aims_buf_printf(out, "%s%s", i ? ", " : " (", json_string_value(v))) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(out, json_array_size(json_object_get(res, "basis")) ? ").\n\n" : ".\n\n")) < 0)
		goto done;
	if (ia && (err = aims_buf_printf(out, "Impact assessment used: %s version %d (%s, digest %s).\n\n", ia->id,
					 ia->version, ia->status, ia->digest)) < 0)
		goto done;

	/* (a) processes */
	if ((err = aims_buf_puts(out, "## (a) The deployer's processes in which the system is used\n\n")) < 0 ||
	    (err = para(out, "Purpose", sys->purpose)) < 0 || (err = para(out, "Intended use", sys->intended_use)) < 0 ||
	    (err = para(out, "Intended use (impact assessment)", json_string_value(json_object_get(ans, "intended_use")))) < 0 ||
	    (err = aims_buf_puts(out, "- Process steps, decisions supported and who acts on the output: " FILL_IN "\n\n")) < 0)
		goto done;
	/* (b) period and frequency */
	if ((err = aims_buf_puts(out, "## (b) Period of time and frequency of use\n\n")) < 0 ||
	    (err = para(out, "Life-cycle stage", sys->lifecycle)) < 0 ||
	    (err = aims_buf_puts(out, "- Start of use, planned period, how often and how many decisions: " FILL_IN "\n\n")) < 0)
		goto done;
	/* (c) categories of persons */
	if ((err = aims_buf_puts(out, "## (c) Categories of natural persons and groups likely to be affected\n\n")) < 0 ||
	    (err = para(out, "Affected groups (inventory)", sys->affected_groups)) < 0)
		goto done;
	json_array_foreach(json_object_get(ans, "affected_groups"), i, v) {
		const char *d = json_string_value(json_object_get(v, "description"));
		if ((err = aims_buf_printf(out, "- %s%s%s%s\n", json_string_value(json_object_get(v, "group")),
					   d ? ": " : "", d ? d : "",
					   json_is_true(json_object_get(v, "vulnerable")) ? " (vulnerable group)" : "")) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(out, "\n## (d) Specific risks of harm to these persons and groups\n\n")) < 0)
		goto done;
	size_t nharms = 0;
	json_array_foreach(json_object_get(ans, "harms"), i, v) {
		nharms++;
		if ((err = aims_buf_printf(out, "- %s (%s level; affects %s; severity %s, %s)\n",
					   json_string_value(json_object_get(v, "harm")),
					   json_string_value(json_object_get(v, "level")),
					   json_string_value(json_object_get(v, "affected")),
					   json_string_value(json_object_get(v, "severity")),
					   json_string_value(json_object_get(v, "reversibility")))) < 0)
			goto done;
	}
	for (size_t k = 0; k < risks->count; k++) {
		const aims_risk *r = risks->items[k];
		nharms++;
		if ((err = aims_buf_printf(out, "- %s %s (%s; score %d, %s)\n", r->id, r->title, r->category,
					   r->effective_score, r->status)) < 0)
			goto done;
	}
	if (!nharms && (err = aims_buf_puts(out, "- " FILL_IN "\n")) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "- Information from the provider's instructions for use (Art. 13): " FILL_IN "\n\n"
				 "## (e) Human oversight measures\n\n")) < 0 ||
	    (err = para(out, "Oversight mode (inventory)", sys->oversight)) < 0 ||
	    (err = para(out, "Oversight (impact assessment)",
			json_string_value(json_object_get(ans, "human_oversight")))) < 0 ||
	    (err = aims_buf_puts(out, "- Who oversees, their competence, training and authority: " FILL_IN "\n\n"
				 "## (f) Measures if the risks materialise, internal governance and complaints\n\n")) < 0)
		goto done;
	json_array_foreach(json_object_get(ans, "mitigations"), i, v) {
		if ((err = aims_buf_printf(out, "- %s\n", json_string_value(v))) < 0)
			goto done;
	}
	for (size_t k = 0; k < risks->count; k++)
		for (size_t a = 0; a < risks->items[k]->nactions; a++)
			if ((err = aims_buf_printf(out, "- %s: %s (ISO/IEC 42001 %s)\n", risks->items[k]->id,
						   risks->items[k]->actions[a].action, risks->items[k]->actions[a].control)) < 0)
				goto done;
	if ((err = aims_buf_puts(out, "- Internal governance (who decides to suspend use): " FILL_IN "\n"
				 "- Complaint mechanism for affected persons: " FILL_IN "\n\n"
				 "## Notification (Art. 27(3))\n\n"
				 "- Market surveillance authority notified of the results, using the AI Office template: "
				 FILL_IN "\n- Date: " FILL_IN "\n")) < 0)
		goto done;
	/* user fields may hold raw HTML: a Markdown renderer must show it, not run it */
	err = aims__md_escape_html(out, start);
done:
	json_decref(ans);
	json_decref(res);
	aims__free(org);
	aims_assessment_free(ia);
	aims_risks_free(risks);
	aims_system_free(sys);
	aims_aiact_record_free(rec);
	return err;
}
