/*
 * Evidence kept in aims itself for ISO/IEC 42001 requirements (the rule is
 * docs/gap-analysis.md, "Evidence kept in aims"). One reader per source,
 * each reading its module once through that module's public functions:
 *
 *   source                       requirements it is evidence for
 *   approved documents           the 42001 requirements their approved version links to
 *   risk register (any risk)     6.1.2, 8.2 (aims_risk_count: counts, not every risk)
 *   treated risks                6.1.3, 8.3
 *   approved impact assessments  6.1.4, 8.4, A.5.2, A.5.3, A.5.4, A.5.5
 *   evaluation results           the controls they are recorded against (aims_eval_controls)
 *   decision logs                A.6.2.8
 *   datasets with a datasheet    A.4.3
 *   datasets with provenance     A.7.5
 *   systems with intended use    A.9.4
 *   deployments                  A.6.2.5
 *   EU AI Act classifications    4.1
 *
 * A new kind of record (the PDCA records: internal audits for 9.2.x,
 * management reviews for 9.3.x, nonconformities for 10.2) is one more
 * reader and one more row of `sources` below.
 */
#include <stdio.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/assess.h"
#include "aims/decision.h"
#include "aims/doc.h"
#include "aims/eval.h"
#include "aims/inventory.h"
#include "aims/pdca.h"
#include "aims/risk.h"
#include "core/core.h"
#include "gap_internal.h"

void aims__gap_evs_release(aims__gap_evs *e)
{
	for (size_t i = 0; e && i < e->count; i++) {
		aims__free(e->items[i].req);
		aims__free(e->items[i].ref);
	}
	if (e) {
		aims__free(e->items);
		memset(e, 0, sizeof(*e));
	}
}

static int add(aims__gap_evs *e, const char *req, size_t req_len, const char *ref)
{
	int err;
	for (size_t i = 0; i < e->count; i++)  /* the same record twice for one requirement: once */
		if (strlen(e->items[i].req) == req_len && strncmp(e->items[i].req, req, req_len) == 0 &&
		    strcmp(e->items[i].ref, ref) == 0)
			return 0;
	if ((err = aims__grow(&e->items, &e->cap, e->count + 1, sizeof(*e->items))) < 0)
		return err;
	aims__gap_ev *v = &e->items[e->count];
	v->operated = 0;
	v->req = aims__strndup(req, req_len);
	v->ref = aims__strdup(ref);
	if (!v->req || !v->ref) {
		aims__free(v->req);
		aims__free(v->ref);
		return aims__oom();
	}
	e->count++;
	return 0;
}

static int add_all(aims__gap_evs *e, const char *const *reqs, const char *ref)
{
	int err;
	for (size_t i = 0; reqs[i]; i++)
		if ((err = add(e, reqs[i], strlen(reqs[i]), ref)) < 0)
			return err;
	return 0;
}

/* approved, not retired documents: what their latest approved version links to in ISO/IEC 42001 */
static int from_documents(aims__gap_evs *e, aims_store *store)
{
	aims_doc_list *list = NULL;
	int err;
	if ((err = aims_doc_list_read(&list, store)) < 0)
		return err;
	for (size_t i = 0; i < list->count && err == 0; i++) {
		const aims_doc *d = list->items[i];
		aims_doc *approved = NULL;
		if (d->status == AIMS_DOC_RETIRED || d->latest_approved == 0)
			continue;
		/* a document with a newer draft counts with the links of its approved version */
		if (d->status != AIMS_DOC_APPROVED && (err = aims_doc_read(&approved, store, d->id, d->latest_approved)) < 0)
			break;
		const aims_doc *v = approved ? approved : d;
		char ref[160];
		snprintf(ref, sizeof(ref), "doc:%s@v%d", d->id, d->latest_approved);
		/* links are stored as FRAMEWORK:ID; the ISO/IEC 42001 ones name requirements of the gap */
		static const char fw[] = "iso42001-2023:";
		for (size_t k = 0; k < v->nlinks && err == 0; k++)
			if (strncmp(v->links[k], fw, sizeof(fw) - 1) == 0)
				err = add(e, v->links[k] + sizeof(fw) - 1, strlen(v->links[k]) - (sizeof(fw) - 1), ref);
		aims_doc_free(approved);
	}
	aims_doc_list_free(list);
	return err;
}

static int from_risks(aims__gap_evs *e, aims_store *store)
{
	static const char *const registered[] = { "6.1.2", "8.2", NULL };
	static const char *const treated[] = { "6.1.3", "8.3", NULL };
	aims_risk_counts n;
	char ref[64];
	int err;
	/* the counts only: reading every risk computes its status, acceptance and model (bench/gap.c) */
	if ((err = aims_risk_count(&n, store, NULL)) < 0)
		return err;
	if (n.risks) {
		snprintf(ref, sizeof(ref), "risk-register:%zu risk%s", n.risks, n.risks == 1 ? "" : "s");
		err = add_all(e, registered, ref);
	}
	if (err == 0 && n.treated) {
		snprintf(ref, sizeof(ref), "risk-register:%zu treated", n.treated);
		err = add_all(e, treated, ref);
	}
	return err;
}

static int from_assessments(aims__gap_evs *e, aims_store *store)
{
	static const char *const reqs[] = { "6.1.4", "8.4", "A.5.2", "A.5.3", "A.5.4", "A.5.5", NULL };
	aims_assessments *list = NULL;
	int err;
	if ((err = aims_assess_list(&list, store, NULL)) < 0)
		return err;
	for (size_t i = 0; i < list->count && err == 0; i++) {
		char ref[96];
		if (strcmp(list->items[i]->status, "approved") != 0)
			continue;
		snprintf(ref, sizeof(ref), "assessment:%s", list->items[i]->id);
		err = add_all(e, reqs, ref);
	}
	aims_assessments_free(list);
	return err;
}

/* evaluation results, the latest per system and kind, for the controls they were recorded against */
static int from_evaluations(aims__gap_evs *e, aims_store *store)
{
	aims_eval_results *list = NULL;
	int err;
	if ((err = aims_eval_list(&list, store, NULL, NULL)) < 0)
		return err;
	for (size_t i = 0; i < list->count && err == 0; i++) {
		const aims_eval_result *r = &list->items[i];
		int later = 0;
		for (size_t k = i + 1; k < list->count && !later; k++)  /* oldest first: a later one replaces it */
			later = strcmp(list->items[k].system, r->system) == 0 && strcmp(list->items[k].kind, r->kind) == 0;
		if (later || !r->controls)
			continue;
		char ref[64];
		snprintf(ref, sizeof(ref), "eval:%s", r->id);
		for (const char *c = r->controls; *c && err == 0;) {
			size_t n = strcspn(c, " ");
			if (n)
				err = add(e, c, n, ref);
			c += n;
			c += strspn(c, " ");
		}
	}
	aims_eval_results_free(list);
	return err;
}

static int from_decision_logs(aims__gap_evs *e, aims_store *store)
{
	char **names = NULL;
	size_t n = 0;
	int err;
	if ((err = aims_decision_logs(&names, &n, store)) < 0)
		return err;
	for (size_t i = 0; i < n && err == 0; i++) {
		char ref[96];
		snprintf(ref, sizeof(ref), "decision-log:%s", names[i]);
		err = add(e, "A.6.2.8", 7, ref);
	}
	aims_decision_logs_free(names, n);
	return err;
}

/* datasets: documented (a datasheet with at least the source) and with provenance (content digest and
 * source, or recorded by lineage or MLflow) */
static int from_datasets(aims__gap_evs *e, aims_store *store)
{
	aims_datasets *list = NULL;
	size_t documented = 0, traced = 0;
	char ref[64];
	int err;
	if ((err = aims_dataset_list(&list, store)) < 0)
		return err;
	for (size_t i = 0; i < list->count; i++) {
		const aims_dataset *d = list->items[i];
		documented += d->source != NULL;
		traced += (d->digest && d->source) || (d->origin && strcmp(d->origin, "register") != 0);
	}
	if (documented) {
		snprintf(ref, sizeof(ref), "datasets:%zu with a datasheet", documented);
		err = add(e, "A.4.3", 5, ref);
	}
	if (err == 0 && traced) {
		snprintf(ref, sizeof(ref), "datasets:%zu with provenance", traced);
		err = add(e, "A.7.5", 5, ref);
	}
	aims_datasets_free(list);
	return err;
}

/* the inventory: intended use recorded (A.9.4), EU AI Act classification (4.1) */
static int from_systems(aims__gap_evs *e, aims_store *store)
{
	aims_systems *list = NULL;
	int err;
	if ((err = aims_system_list(&list, store)) < 0)
		return err;
	for (size_t i = 0; i < list->count && err == 0; i++) {
		const aims_system *s = list->items[i];
		aims_aiact_record *rec = NULL;
		char ref[128];
		if (s->status && strcmp(s->status, "retired") == 0)
			continue;
		if (s->intended_use && *s->intended_use) {
			snprintf(ref, sizeof(ref), "system:%s", s->name);
			if ((err = add(e, "A.9.4", 5, ref)) < 0)
				break;
		}
		err = aims_aiact_read(&rec, store, s->name, 0);
		if (err == AIMS_ENOTFOUND) {
			err = 0;
			continue;
		}
		if (err == 0) {
			snprintf(ref, sizeof(ref), "aiact:%s@v%d", s->name, rec->version);
			err = add(e, "4.1", 3, ref);
		}
		aims_aiact_record_free(rec);
	}
	aims_systems_free(list);
	return err;
}

static int from_deployments(aims__gap_evs *e, aims_store *store)
{
	aims_deployments *list = NULL;
	int err;
	if ((err = aims_deploy_list(&list, store, NULL)) < 0)
		return err;
	if (list->count) {
		char ref[64];
		snprintf(ref, sizeof(ref), "deployments:%zu recorded", list->count);
		err = add(e, "A.6.2.5", 7, ref);
	}
	aims_deployments_free(list);
	return err;
}

int aims__gap_operated_requirement(const char *id)
{
	static const char *const ids[] = { "9.1", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
					   "A.3.3", "A.8.4", "A.10.2", "A.10.3" };
	for (size_t i = 0; id && i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strcmp(id, ids[i]) == 0)
			return 1;
	return 0;
}

/* the Check-and-Act records (pdca.h): monitoring, audits, management reviews, nonconformities, concerns,
 * incidents, suppliers */
static int from_pdca(aims__gap_evs *e, aims_store *store)
{
	json_t *a = NULL, *v;
	size_t i;
	int err;
	if ((err = aims_pdca_evidence(&a, store)) < 0)
		return err;
	json_array_foreach(a, i, v) {
		const char *req = json_string_value(json_object_get(v, "requirement"));
		if ((err = add(e, req, strlen(req), json_string_value(json_object_get(v, "ref")))) < 0)
			break;
		for (size_t k = 0; k < e->count; k++)
			if (strcmp(e->items[k].req, req) == 0 &&
			    strcmp(e->items[k].ref, json_string_value(json_object_get(v, "ref"))) == 0)
				e->items[k].operated = 1;
	}
	json_decref(a);
	return err < 0 ? err : 0;
}

static const struct {
	const char *name;
	int (*read)(aims__gap_evs *e, aims_store *store);
} sources[] = {
	{ "controlled documents", from_documents },
	{ "risk register", from_risks },
	{ "impact assessments", from_assessments },
	{ "evaluation results", from_evaluations },
	{ "decision logs", from_decision_logs },
	{ "datasets", from_datasets },
	{ "AI systems", from_systems },
	{ "deployments", from_deployments },
	{ "Check-and-Act records", from_pdca },
};

int aims__gap_aims_evidence(aims__gap_evs *out, aims_store *store)
{
	int err;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if ((err = sources[i].read(out, store)) < 0) {
			aims__err_prefix("gap analysis: reading %s", sources[i].name);
			aims__gap_evs_release(out);
			return err;
		}
	return 0;
}
