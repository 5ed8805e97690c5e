/*
 * The Annex IV technical documentation pack (EU AI Act Art. 11): the nine
 * sections of Annex IV, each item filled from what the store holds (the
 * inventory record, deployments, model and training data lineage, risk
 * register, impact assessments, classification and obligation evidence,
 * decision logs, the 42001 SoA) and marked found or missing. Nothing is
 * invented: an item without a source in the store is "missing", with what
 * would fill it. Section headings are our summaries of Annex IV.
 */
#include <stdio.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/assess.h"
#include "aims/eval.h"
#include "aims/inventory.h"
#include "aims/report.h"
#include "aims/risk.h"
#include "core/core.h"
#include "report/report_internal.h"
#include "risk_internal.h"

typedef struct {
	aims_buf *out;
	aims_aiact_annex_iv_stats *st;
} pack;

static int section(pack *p, const char *title)
{
	int err;
	if ((err = aims_buf_puts(p->out, "</tbody></table>\n<h2>")) < 0 || (err = aims_html_escape(p->out, title)) < 0)
		return err;
	return aims_buf_puts(p->out, "</h2>\n<table><thead><tr><th style=\"width:32%\">Item</th><th>Status</th>"
			     "<th>What the store holds</th></tr></thead><tbody>\n");
}

/* one item: found when `found` is non-NULL (the evidence), else missing with `hint` */
static int item(pack *p, const char *what, const char *found, const char *hint)
{
	int err;
	p->st->items++;
	if (found)
		p->st->found++;
	else
		p->st->missing++;
	if ((err = aims_buf_puts(p->out, "<tr><td>")) < 0 || (err = aims_html_escape(p->out, what)) < 0 ||
	    (err = aims_buf_puts(p->out, "</td><td>")) < 0 ||
	    (err = aims__report_status_badge(p->out, found ? "covered" : "gap", found ? "found" : "missing")) < 0 ||
	    (err = aims_buf_puts(p->out, "</td><td>")) < 0 || (err = aims_html_escape(p->out, found ? found : hint)) < 0)
		return err;
	return aims_buf_puts(p->out, "</td></tr>\n");
}

static int count_sql(int64_t *n, aims_store *store, const char *sql, const char *arg)
{
	aims__stmt *st = NULL;
	int err;
	*n = 0;
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0 || (arg && (err = aims__stmt_bind_text(st, 1, arg)) < 0) ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 1)
		*n = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return 0;
}

/* evidence of a tracked obligation (key) as "OBL-001 met: ref, ref", or NULL when none */
static int obligation_evidence(char *out, size_t size, const aims_aiact_items *items, const char *key)
{
	out[0] = '\0';
	for (size_t i = 0; items && i < items->count; i++) {
		const aims_aiact_item *it = &items->items[i];
		if (strcmp(it->key, key) != 0 || it->nevidence == 0)
			continue;
		size_t used = (size_t)snprintf(out, size, "%s (%s): ", it->id, it->status);
		for (size_t k = 0; k < it->nevidence && used < size; k++)
			used += (size_t)snprintf(out + used, size - used, "%s%s", k ? ", " : "", it->evidence[k]);
		return 1;
	}
	return 0;
}

/* the system's evaluation results of `kind` (NULL: any) as "EVAL-0001 (date): summary; ...", or NULL */
static int eval_text(char *out, size_t size, const aims_eval_results *ev, const char *kind)
{
	size_t used = 0, n = 0;
	out[0] = '\0';
	for (size_t i = 0; ev && i < ev->count && used < size; i++) {
		const aims_eval_result *e = &ev->items[i];
		if (kind && strcmp(e->kind, kind) != 0)
			continue;
		used += (size_t)snprintf(out + used, size - used, "%s%s %s (%.10s): %s", n ? "; " : "", e->id, e->kind,
					 e->recorded_at ? e->recorded_at : "", e->summary ? e->summary : "");
		n++;
	}
	return n > 0;
}

/* "PREFIX ref ref ..." of the graph's nodes of `type` (plus `first`); 0 when there are none */
static int list_nodes(char *out, size_t size, const char *prefix, const char *first, const aims_lineage_graph *g,
		      const char *type)
{
	size_t used = 0, n = first ? 1 : 0;
	for (size_t i = 0; g && i < g->nnodes; i++)
		n += strcmp(g->nodes[i].type, type) == 0 && !(first && strstr(g->nodes[i].ref, first));
	if (!n)
		return 0;
	used = (size_t)snprintf(out, size, prefix, n == 1 ? "" : "s");
	if (first && used < size)
		used += (size_t)snprintf(out + used, size - used, " %s", first);
	for (size_t i = 0; g && i < g->nnodes && used < size; i++)
		if (strcmp(g->nodes[i].type, type) == 0 && !(first && strstr(g->nodes[i].ref, first)))
			used += (size_t)snprintf(out + used, size - used, " %s", g->nodes[i].ref);
	return 1;
}

int aims_aiact_annex_iv_html(aims_buf *out, aims_aiact_annex_iv_stats *stats, aims_store *store, const char *system)
{
	aims_aiact_annex_iv_stats local = { 0, 0, 0 };
	aims_system *sys = NULL;
	aims_model *model = NULL;
	aims_deployments *deps = NULL;
	aims_risks *risks = NULL;
	aims_assessments *ias = NULL;
	aims_aiact_record *rec = NULL;
	aims_aiact_items *items = NULL;
	aims_eval_results *evals = NULL;
	aims_lineage_graph *lin = NULL;
	aims_risk_criteria crit;
	char *current = NULL, *org = NULL, buf[2048], sub[256];
	pack p;
	int err, found_a = 0, found_d = 0;

	p.out = out;
	p.st = stats ? stats : &local;
	memset(p.st, 0, sizeof(*p.st));
	if ((err = aims_system_get(&sys, store, system)) < 0)
		return err;
	if ((err = aims_system_current_model(&current, store, system, NULL)) < 0 ||
	    (err = aims_deploy_list(&deps, store, system)) < 0 || (err = aims_risk_list(&risks, store, system)) < 0 ||
	    (err = aims_risk_criteria_get(&crit, store)) < 0 || (err = aims_assess_list(&ias, store, system)) < 0 ||
	    (err = aims_store_setting_get(&org, store, "org.name")) < 0)
		goto done;
	if (current) {
		err = aims_model_get(&model, store, current);
		if (err == AIMS_ENOTFOUND)
			aims_error_clear();
		else if (err < 0)
			goto done;
	}
	err = aims_aiact_read(&rec, store, system, 0);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		rec = NULL;
	} else if (err < 0) {
		goto done;
	}
	if ((err = aims_aiact_items_read(&items, store, system, 0)) < 0 ||
	    (err = aims_eval_list(&evals, store, system, NULL)) < 0)
		goto done;

	snprintf(sub, sizeof(sub), "AI system %s - EU AI Act Article 11 and Annex IV%s%s", system,
		 rec ? "; classified " : "", rec ? rec->tier : "");
	if ((err = aims__report_begin(out, "Annex IV technical documentation", sub)) < 0 ||
	    (err = aims_buf_puts(out, "<p class=\"small\">Each item is filled from the aims store and marked found or "
				 "missing; a missing item names what would fill it. Nothing here is inferred.</p>\n"
				 "<table><tbody>\n")) < 0)
		goto done;

	/* 1 */
	if ((err = section(&p, "1. General description of the AI system")) < 0)
		goto done;
	if (sys->purpose || sys->intended_use)
		snprintf(buf, sizeof(buf), "Purpose: %s. Intended use: %s. Provider: %s. Inventory record version %lld.",
			 sys->purpose ? sys->purpose : "-", sys->intended_use ? sys->intended_use : "-",
			 org ? org : "(organization not set)", (long long)sys->version);
	if ((err = item(&p, "(a) Intended purpose, provider, version", sys->purpose || sys->intended_use ? buf : NULL,
			"record the purpose and intended use: aims system set --purpose/--intended-use")) < 0)
		goto done;
	if ((err = item(&p, "(b) Interaction with other hardware, software and AI systems", NULL,
			"not recorded in the inventory: describe interfaces in a controlled document")) < 0)
		goto done;
	if (current)
		snprintf(buf, sizeof(buf), "Deployed model %s%s%s.", current, model && model->framework ? ", framework " : "",
			 model && model->framework ? model->framework : "");
	if ((err = item(&p, "(c) Versions of software and firmware", current ? buf : NULL,
			"no deployment recorded: aims deploy record")) < 0)
		goto done;
	if (deps && deps->count) {
		size_t used = (size_t)snprintf(buf, sizeof(buf), "%zu deployment%s:", deps->count, deps->count == 1 ? "" : "s");
		for (size_t i = 0; i < deps->count && used < sizeof(buf); i++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, " %s@%s in %s (%.10s);", deps->items[i].model,
						 deps->items[i].model_version, deps->items[i].env, deps->items[i].deployed_at);
	}
	if ((err = item(&p, "(d) Forms in which it is placed on the market or put into service",
			deps && deps->count ? buf : NULL, "no deployment recorded: aims deploy record")) < 0 ||
	    (err = item(&p, "(e) Hardware it is intended to run on", NULL, "not recorded in the inventory")) < 0 ||
	    (err = item(&p, "(g)-(h) User interface and instructions for use for the deployer",
			obligation_evidence(buf, sizeof(buf), items, "art13-transparency-to-deployers") ? buf : NULL,
			"attach the instructions for use as evidence of the Art. 13 obligation")) < 0)
		goto done;

	/* 2 */
	if ((err = section(&p, "2. Elements of the system and its development process")) < 0)
		goto done;
	/* runs and datasets upstream of the deployed model in the lineage graph (OpenLineage, MLflow) */
	if (current) {
		char mref[160];
		snprintf(mref, sizeof(mref), "model:%s", current);
		err = aims_lineage_query(&lin, store, mref, AIMS_LINEAGE_UPSTREAM);
		if (err == AIMS_ENOTFOUND)
			aims_error_clear();
		else if (err < 0)
			goto done;
	}
	if (list_nodes(buf, sizeof(buf), "Training run%s:", model && model->run ? model->run : NULL, lin, "run"))
		found_a = 1;
	if ((err = item(&p, "(a) Development methods and steps, third-party tools", found_a ? buf : NULL,
			"no training run linked to the deployed model (OpenLineage or MLflow import)")) < 0)
		goto done;
	if (model && model->description)
		snprintf(buf, sizeof(buf), "%s", model->description);
	if ((err = item(&p, "(b)-(c) Design specifications and architecture", model && model->description ? buf : NULL,
			"no model description recorded")) < 0)
		goto done;
	if (model && model->ntrained_on) {
		size_t used = (size_t)snprintf(buf, sizeof(buf), "Trained on:");
		for (size_t i = 0; i < model->ntrained_on && used < sizeof(buf); i++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, " %s", model->trained_on[i]);
		found_d = 1;
	} else if (list_nodes(buf, sizeof(buf), "Dataset%s upstream in the lineage:", NULL, lin, "dataset")) {
		found_d = 1;
	}
	if ((err = item(&p, "(d) Data requirements, datasheets and provenance of training data", found_d ? buf : NULL,
			"no datasets linked to the deployed model (aims model register --trained-on, lineage)")) < 0)
		goto done;
	int oversight = sys->oversight && strcmp(sys->oversight, "unspecified") != 0;
	if (oversight)
		snprintf(buf, sizeof(buf), "Oversight mode: %s.", sys->oversight);
	if ((err = item(&p, "(e) Assessment of human oversight measures (Art. 14)", oversight ? buf : NULL,
			"record the oversight mode: aims system set --oversight")) < 0)
		goto done;
	if ((err = item(&p, "(g) Validation and testing procedures, metrics, test logs",
			eval_text(buf, sizeof(buf), evals, NULL) ? buf : NULL,
			"no evaluation results recorded: aims eval performance, aims eval fairness")) < 0)
		goto done;
	size_t adv = 0;
	for (size_t i = 0; i < risks->count; i++)
		adv += strncmp(risks->items[i]->category, "adversarial-", 12) == 0 && risks->items[i]->treatment;
	if (adv)
		snprintf(buf, sizeof(buf), "%zu treated adversarial-attack risk%s in the register.", adv, adv == 1 ? "" : "s");
	if ((err = item(&p, "(h) Cybersecurity measures", adv ? buf : NULL,
			"no treated adversarial-attack risk in the register")) < 0)
		goto done;

	/* 3 */
	if ((err = section(&p, "3. Monitoring, functioning and control")) < 0)
		goto done;
	const aims_assessment *approved = NULL;
	for (size_t i = 0; i < ias->count; i++)
		if (strcmp(ias->items[i]->status, "approved") == 0)
			approved = ias->items[i];
	if (approved)
		snprintf(buf, sizeof(buf), "Impact assessment %s version %d approved by %s (%.23s...).", approved->id,
			 approved->version, approved->approver, approved->digest);
	if ((err = item(&p, "Foreseeable unintended outcomes and risks to health, safety and fundamental rights",
			approved ? buf : NULL, "no approved impact assessment: aims assess impact, aims assess approve")) < 0 ||
	    (err = item(&p, "Capabilities and limitations, accuracy for groups",
			eval_text(buf, sizeof(buf), evals, "fairness") ? buf : NULL,
			"no fairness evaluation recorded: aims eval fairness")) < 0)
		goto done;
	if (oversight)
		snprintf(buf, sizeof(buf), "Oversight mode: %s.", sys->oversight);
	if ((err = item(&p, "Human oversight measures", oversight ? buf : NULL, "record the oversight mode")) < 0)
		goto done;

	/* 4 */
	if ((err = section(&p, "4. Appropriateness of the performance metrics")) < 0 ||
	    (err = item(&p, "Performance metrics and why they fit",
			eval_text(buf, sizeof(buf), evals, "performance") ? buf : NULL,
			"no performance evaluation recorded: aims eval performance")) < 0)
		goto done;

	/* 5 */
	if ((err = section(&p, "5. Risk management system (Art. 9)")) < 0)
		goto done;
	if (risks->count) {
		size_t treated = 0, awaiting = 0;
		for (size_t i = 0; i < risks->count; i++) {
			treated += risks->items[i]->treatment != NULL;
			awaiting += strcmp(risks->items[i]->status, "awaiting acceptance") == 0;
		}
		snprintf(buf, sizeof(buf), "%zu risks (%zu treated, %zu awaiting acceptance) under risk criteria version "
			 "%d (%.23s...).", risks->count, treated, awaiting, crit.version, crit.digest);
	}
	if ((err = item(&p, "Risk register, criteria and treatment", risks->count ? buf : NULL,
			"no risks recorded: aims risk add, aims risk library add")) < 0)
		goto done;

	/* 6 */
	if ((err = section(&p, "6. Changes through the life cycle")) < 0)
		goto done;
	if (sys->version > 1 || (deps && deps->count > 1))
		snprintf(buf, sizeof(buf), "Inventory record version %lld; %zu deployment%s recorded.", (long long)sys->version,
			 deps ? deps->count : 0, deps && deps->count == 1 ? "" : "s");
	if ((err = item(&p, "Relevant changes made by the provider", sys->version > 1 || (deps && deps->count > 1) ? buf : NULL,
			"no change recorded after the first version")) < 0)
		goto done;

	/* 7 */
	if ((err = section(&p, "7. Standards and specifications applied")) < 0)
		goto done;
	int64_t nsoa = 0;
	if ((err = count_sql(&nsoa, store, "SELECT COUNT(*) FROM soa_controls", NULL)) < 0)
		goto done;
	if (nsoa)
		snprintf(buf, sizeof(buf), "ISO/IEC 42001:2023 statement of applicability with %lld decided control%s "
			 "(not a harmonised standard).", (long long)nsoa, nsoa == 1 ? "" : "s");
	if ((err = item(&p, "Harmonised standards, or the solutions adopted", nsoa ? buf : NULL,
			"no ISO/IEC 42001 SoA decisions recorded: aims soa set")) < 0)
		goto done;

	/* 8 */
	if ((err = section(&p, "8. EU declaration of conformity (Art. 47)")) < 0 ||
	    (err = item(&p, "Copy of the EU declaration of conformity",
			obligation_evidence(buf, sizeof(buf), items, "art47-declaration-of-conformity") ? buf : NULL,
			"attach the declaration as evidence of the Art. 47 obligation (aims aiact obligation set)")) < 0)
		goto done;

	/* 9 */
	if ((err = section(&p, "9. Post-market monitoring (Art. 72)")) < 0 ||
	    (err = item(&p, "Post-market monitoring system and plan",
			obligation_evidence(buf, sizeof(buf), items, "art72-post-market-monitoring") ? buf : NULL,
			"attach the monitoring plan as evidence of the Art. 72 obligation")) < 0)
		goto done;
	int64_t logs = 0;
	if ((err = count_sql(&logs, store, "SELECT COUNT(*) FROM ledger_logs WHERE id = 'decision/' || ?", system)) < 0)
		goto done;
	if (logs)
		snprintf(buf, sizeof(buf), "Decision log 'decision/%s' kept in the evidence ledger (Art. 12, 19).", system);
	if ((err = item(&p, "Operating data collected (automatic logs)", logs ? buf : NULL,
			"no decision log: aims decision ingest --system")) < 0)
		goto done;
	if ((err = item(&p, "Drift monitoring in operation", eval_text(buf, sizeof(buf), evals, "drift") ? buf : NULL,
			"no drift evaluation recorded: aims eval drift")) < 0)
		goto done;
	if ((err = aims_buf_printf(out, "</tbody></table>\n<p><b>%zu items: %zu found, %zu missing.</b></p>\n",
				   p.st->items, p.st->found, p.st->missing)) < 0 ||
	    (err = aims__report_end(out, store)) < 0)
		goto done;
done:
	aims__free(current);
	aims__free(org);
	aims_model_free(model);
	aims_deployments_free(deps);
	aims_risks_free(risks);
	aims_assessments_free(ias);
	aims_aiact_record_free(rec);
	aims_aiact_items_free(items);
	aims_eval_results_free(evals);
	aims_lineage_graph_free(lin);
	aims_system_free(sys);
	return err;
}
