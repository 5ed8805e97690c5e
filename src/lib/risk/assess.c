/*
 * AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5.2-A.5.5):
 * the questionnaire is checked key by key (answers.c gives file, line and
 * key for every refusal), stored as canonical JSON with its digest and the
 * digest of the file's bytes, approved with four eyes, and compared with
 * the system as it is now to tell when it is due again. The data-source
 * trigger uses what the inventory knows: the datasets the deployed model
 * was trained on (the model's wasDerivedFrom links), every dataset upstream
 * of the system in the lineage graph, plus any data_sources listed in the
 * answers.
 */
#include <stdio.h>
#include <string.h>

#include "aims/assess.h"
#include "aims/auth.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "answers.h"
#include "core/core.h"
#include "core/json.h"
#include "risk_internal.h"
#include "audit/state.h"

static const char *const top_keys[] = {
	"intended_use", "affected_groups", "benefits", "harms", "misuse", "mitigations", "human_oversight",
	"data_sources", "notes"
};
static const char *const top_required[] = {
	"intended_use", "affected_groups", "benefits", "harms", "misuse", "mitigations", "human_oversight"
};
static const char *const group_keys[] = { "group", "description", "vulnerable" };
static const char *const harm_keys[] = { "harm", "level", "affected", "severity", "reversibility" };
const char *const aims_assess_levels[] = { "individual", "group", "society", NULL };
const char *const aims_assess_severities[] = { "low", "medium", "high", "critical", NULL };
const char *const aims_assess_reversibilities[] = { "reversible", "partially-reversible", "irreversible", NULL };

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* a NULL-terminated list's values */
#define NV(a) (N(a) - 1)

static int text_list(const aims__ans_doc *d, const aims__ans *m, const char *key, size_t min)
{
	const aims__ans *seq;
	int err;
	if ((err = aims__ans_seq(&seq, d, m, "", key, min)) < 0)
		return err;
	for (size_t i = 0; i < seq->count; i++) {
		const aims__ans *v = seq->items[i];
		char path[96];
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if (v->kind != AIMS__ANS_SCALAR || v->vtype == AIMS__VAL_NULL || v->vtype == AIMS__VAL_BOOL)
			return aims__ans_err(d, v, path, "wrong type: expected text");
		if (!aims__text_ok(v->text, 0) || strlen(v->text) > 4000)
			return aims__ans_err(d, v, path, "expected printable text up to 4000 bytes");
	}
	return 0;
}

static int check_doc(const aims__ans_doc *d)
{
	const aims__ans *m = d->root, *seq;
	const char *s;
	int err, b;
	if ((err = aims__ans_keys(d, m, "", top_keys, N(top_keys), top_required, N(top_required))) < 0 ||
	    (err = aims__ans_text(&s, d, m, "", "intended_use", 0)) < 0 ||
	    (err = aims__ans_text(&s, d, m, "", "human_oversight", 0)) < 0 ||
	    (err = text_list(d, m, "benefits", 1)) < 0 || (err = text_list(d, m, "misuse", 0)) < 0 ||
	    (err = text_list(d, m, "mitigations", 1)) < 0)
		return err;
	if (aims__ans_get(m, "data_sources") && (err = text_list(d, m, "data_sources", 0)) < 0)
		return err;
	if (aims__ans_get(m, "notes") && (err = aims__ans_text(&s, d, m, "", "notes", 0)) < 0)
		return err;
	if ((err = aims__ans_seq(&seq, d, m, "", "affected_groups", 1)) < 0)
		return err;
	for (size_t i = 0; i < seq->count; i++) {
		const aims__ans *g = seq->items[i];
		char p[64];
		snprintf(p, sizeof(p), "affected_groups[%zu]", i);
		if (g->kind != AIMS__ANS_MAP)
			return aims__ans_err(d, g, p, "wrong type: expected a mapping with group (and description, "
					     "vulnerable)");
		static const char *const req[] = { "group" };
		if ((err = aims__ans_keys(d, g, p, group_keys, N(group_keys), req, 1)) < 0 ||
		    (err = aims__ans_text(&s, d, g, p, "group", 1)) < 0 ||
		    (aims__ans_get(g, "description") && (err = aims__ans_text(&s, d, g, p, "description", 0)) < 0) ||
		    (aims__ans_get(g, "vulnerable") && (err = aims__ans_bool(&b, d, g, p, "vulnerable")) < 0))
			return err;
	}
	if ((err = aims__ans_seq(&seq, d, m, "", "harms", 1)) < 0)
		return err;
	for (size_t i = 0; i < seq->count; i++) {
		const aims__ans *h = seq->items[i];
		char p[64];
		snprintf(p, sizeof(p), "harms[%zu]", i);
		if (h->kind != AIMS__ANS_MAP)
			return aims__ans_err(d, h, p, "wrong type: expected a mapping with harm, level, affected, severity "
					     "and reversibility");
		if ((err = aims__ans_keys(d, h, p, harm_keys, N(harm_keys), harm_keys, N(harm_keys))) < 0 ||
		    (err = aims__ans_text(&s, d, h, p, "harm", 0)) < 0 ||
		    (err = aims__ans_enum(&s, d, h, p, "level", aims_assess_levels, NV(aims_assess_levels))) < 0 ||
		    (err = aims__ans_text(&s, d, h, p, "affected", 1)) < 0 ||
		    (err = aims__ans_enum(&s, d, h, p, "severity", aims_assess_severities, NV(aims_assess_severities))) < 0 ||
		    (err = aims__ans_enum(&s, d, h, p, "reversibility", aims_assess_reversibilities,
					  NV(aims_assess_reversibilities))) < 0)
			return err;
	}
	return 0;
}

int aims_assess_answers_check(const char *data, size_t len, const char *name)
{
	aims__ans_doc d;
	int err;
	if ((err = aims__ans_parse(&d, data, len, name)) < 0)
		return err;
	err = check_doc(&d);
	aims__ans_release(&d);
	return err;
}

void aims_assessment_free(aims_assessment *a)
{
	if (!a)
		return;
	aims__free(a->id);
	aims__free(a->system);
	aims__free(a->status);
	aims__free(a->author);
	aims__free(a->approver);
	aims__free(a->approved_at);
	aims__free(a->answers);
	aims__free(a->source);
	aims__free(a->source_digest);
	aims__free(a->digest);
	aims__free(a->snapshot);
	aims__free(a->created_at);
	aims__free(a);
}

void aims_assessments_free(aims_assessments *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		aims_assessment_free(l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

#define IA_COLS "id, system, version, status, author, approver, approved_at, answers, source, source_digest, " \
		"digest, snapshot, created_at"

static int from_row(aims_assessment **out, aims__stmt *st)
{
	aims_assessment *a = aims__calloc(1, sizeof(*a));
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	if ((err = aims__stmt_text_dup(&a->id, st, 0)) < 0 || (err = aims__stmt_text_dup(&a->system, st, 1)) < 0 ||
	    (err = aims__stmt_text_dup(&a->status, st, 3)) < 0 || (err = aims__stmt_text_dup(&a->author, st, 4)) < 0 ||
	    (err = aims__stmt_text_dup(&a->approver, st, 5)) < 0 || (err = aims__stmt_text_dup(&a->approved_at, st, 6)) < 0 ||
	    (err = aims__stmt_text_dup(&a->answers, st, 7)) < 0 || (err = aims__stmt_text_dup(&a->source, st, 8)) < 0 ||
	    (err = aims__stmt_text_dup(&a->source_digest, st, 9)) < 0 || (err = aims__stmt_text_dup(&a->digest, st, 10)) < 0 ||
	    (err = aims__stmt_text_dup(&a->snapshot, st, 11)) < 0 || (err = aims__stmt_text_dup(&a->created_at, st, 12)) < 0) {
		aims_assessment_free(a);
		return err;
	}
	a->version = (int)aims__stmt_int64(st, 2);
	*out = a;
	return 0;
}

int aims_assess_get(aims_assessment **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	int err;
	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " IA_COLS " FROM impact_assessments WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no impact assessment '%s' (see 'aims assess list')", id);
		goto done;
	}
	err = from_row(out, st);
done:
	aims__stmt_free(st);
	return err;
}

int aims_assess_list(aims_assessments **out, aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	aims_assessments *l = aims__calloc(1, sizeof(*l));
	size_t cap = 0;
	int err;
	*out = NULL;
	if (!l)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, system ? "SELECT " IA_COLS " FROM impact_assessments WHERE system = ? "
						    "ORDER BY seq" : "SELECT " IA_COLS " FROM impact_assessments ORDER BY seq")) < 0 ||
	    (system && (err = aims__stmt_bind_text(st, 1, system)) < 0))
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(aims_assessment *))) < 0 ||
		    (err = from_row(&l->items[l->count], st)) < 0)
			goto fail;
		l->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_assessments_free(l);
	return err;
}

int aims_assess_impact(char **id_out, aims_store *store, const char *system, const char *data, size_t len,
		       const char *name)
{
	aims__ans_doc d;
	aims__stmt *st = NULL;
	json_t *j = NULL;
	char *canon = NULL, dg[72], sdg[72], id[32], now[32];
	int err, began = 0;

	if (id_out)
		*id_out = NULL;
	if ((err = aims__ans_parse(&d, data, len, name)) < 0)
		return err;
	if ((err = check_doc(&d)) < 0)
		goto done;
	if (!(j = aims__ans_to_json(d.root)) || !(canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_ledger_digest(dg, canon, strlen(canon))) < 0 || (err = aims_ledger_digest(sdg, data, len)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims__risk_system_check(store, system)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1, (SELECT COALESCE(MAX(version), 0) "
				      "+ 1 FROM impact_assessments WHERE system = ?) FROM impact_assessments")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	int64_t seq = aims__stmt_int64(st, 0), version = aims__stmt_int64(st, 1);
	aims__stmt_free(st);
	st = NULL;
	snprintf(id, sizeof(id), "IA-%03lld", (long long)seq);
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO impact_assessments (id, seq, system, version, answers, "
				      "source, source_digest, digest, status, author, created_at) VALUES "
				      "(?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, system)) < 0 || (err = aims__stmt_bind_int64(st, 4, version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, canon)) < 0 || (err = aims__stmt_bind_text(st, 6, d.name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, sdg)) < 0 || (err = aims__stmt_bind_text(st, 8, dg)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, "create", "impact-assessment", id, dg, NULL)) < 0)
		goto done;
	if (id_out && !(*id_out = aims__strdup(id))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_store_commit(store)) < 0) {
		if (id_out) {
			aims__free(*id_out);
			*id_out = NULL;
		}
		goto done;
	}
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	json_decref(j);
	aims__free(canon);
	aims__ans_release(&d);
	return err;
}

/* the facts a significant change is judged on: intended use, deployed model, its data */
static int system_state(json_t **out, aims_store *store, const char *system, const char *answers)
{
	aims_system *sys = NULL;
	aims_model *m = NULL;
	char *model = NULL;
	json_t *data = NULL, *ans = NULL;
	int err;
	*out = NULL;
	if ((err = aims_system_get(&sys, store, system)) < 0 ||
	    (err = aims_system_current_model(&model, store, system, NULL)) < 0)
		goto done;
	if (!(data = json_array())) {
		err = aims__oom();
		goto done;
	}
	if (model) {
		err = aims_model_get(&m, store, model);
		if (err == AIMS_ENOTFOUND)
			aims_error_clear();
		else if (err < 0)
			goto done;
		for (size_t i = 0; m && i < m->ntrained_on; i++)
			if (json_array_append_new(data, json_string(m->trained_on[i])) < 0) {
				err = aims__oom();
				goto done;
			}
	}
	/* every dataset upstream of the system in the lineage graph (through the models it used and the
	 * runs that made them) */
	char sref[96];
	aims_lineage_graph *g = NULL;
	snprintf(sref, sizeof(sref), "system:%s", system);
	err = aims_lineage_query(&g, store, sref, AIMS_LINEAGE_UPSTREAM);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		err = 0;
	} else if (err < 0) {
		goto done;
	}
	for (size_t i = 0; g && i < g->nnodes; i++) {
		if (strcmp(g->nodes[i].type, "dataset") != 0)
			continue;
		int seen = 0;
		size_t k;
		json_t *w;
		json_array_foreach(data, k, w) {
			seen = seen || strcmp(json_string_value(w), g->nodes[i].ref) == 0;
		}
		if (!seen && json_array_append_new(data, json_string(g->nodes[i].ref)) < 0) {
			aims_lineage_graph_free(g);
			err = aims__oom();
			goto done;
		}
	}
	aims_lineage_graph_free(g);
	/* data sources named in the approved answers count as known sources too */
	if (answers && (ans = json_loads(answers, 0, NULL))) {
		json_t *v;
		size_t i;
		json_array_foreach(json_object_get(ans, "data_sources"), i, v) {
			if (json_is_string(v) && json_array_append(data, v) < 0) {
				err = aims__oom();
				goto done;
			}
		}
	}
	*out = json_pack("{s:s, s:o, s:o}", "intended_use", sys->intended_use ? sys->intended_use : "",
			 "model", model ? json_string(model) : json_null(), "data_sources", data);
	data = NULL;
	if (!*out)
		err = aims__oom();
done:
	json_decref(data);
	json_decref(ans);
	aims__free(model);
	aims_model_free(m);
	aims_system_free(sys);
	return err;
}

int aims_assess_approve(aims_store *store, const char *id)
{
	const aims_principal *who = aims_store_principal(store);
	const char *approver = aims_store_actor(store);
	aims_assessment *a = NULL;
	aims__stmt *st = NULL;
	json_t *state = NULL;
	char *snap = NULL, now[32];
	int err, began = 0;

	if (who->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "%s: approving an impact assessment needs an authenticated principal", id);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_assess_get(&a, store, id)) < 0)
		goto done;
	if (strcmp(a->status, "draft") != 0) {
		err = aims__err(AIMS_ECONFLICT, "%s is %s: only a draft can be approved", id, a->status);
		goto done;
	}
	/* ISO/IEC 42001 A.5.2: the assessment is reviewed by someone other than its author; both are
	 * principals, the approver the authenticated one, never a name the caller chose */
	if (aims_principal_is(who, a->author)) {
		err = aims__err(AIMS_EPERM, "%s needs four eyes: its author '%s' may not approve it (acting as '%s'); "
				"another account must", id, a->author, approver);
		goto done;
	}
	if ((err = system_state(&state, store, a->system, a->answers)) < 0)
		goto done;
	if (!(snap = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII))) {
		err = aims__oom();
		goto done;
	}
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE impact_assessments SET status = 'superseded' WHERE system = ? "
				      "AND status = 'approved'")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, a->system)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store, "UPDATE impact_assessments SET status = 'approved', approver = ?, "
				      "approved_at = ?, snapshot = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, approver)) < 0 || (err = aims__stmt_bind_text(st, 2, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, snap)) < 0 || (err = aims__stmt_bind_text(st, 4, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, "approve", "impact-assessment", id, a->digest, a->digest)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	json_decref(state);
	aims__free(snap);
	aims_assessment_free(a);
	return err;
}

static int add_reason(aims_buf *b, const char *fmt, const char *x, const char *y)
{
	if (b->len && aims_buf_puts(b, "; ") < 0)
		return aims__oom();
	return aims_buf_printf(b, fmt, x ? x : "none", y ? y : "none");
}

int aims_assess_due(int *due, char **reasons, aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	aims_assessment *a = NULL;
	json_t *then = NULL, *now = NULL;
	aims_buf why = AIMS_BUF_INIT;
	int err;

	*due = 0;
	if (reasons)
		*reasons = NULL;
	if ((err = aims__risk_system_check(store, system)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " IA_COLS " FROM impact_assessments WHERE system = ? AND "
				      "status = 'approved' ORDER BY version DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		*due = 1;
		err = aims_buf_puts(&why, "no approved impact assessment");
		goto out;
	}
	if ((err = from_row(&a, st)) < 0)
		goto done;
	if (!(then = json_loads(a->snapshot ? a->snapshot : "{}", 0, NULL))) {
		err = aims__err(AIMS_ETAMPERED, "%s: its approval snapshot is not valid JSON", a->id);
		goto done;
	}
	if ((err = system_state(&now, store, system, a->answers)) < 0)
		goto done;
	/* 42001 6.1.4 / 8.4: reassess on significant change */
	json_t *m0 = json_object_get(then, "model"), *m1 = json_object_get(now, "model");
	if (!json_equal(m0, m1) &&
	    (err = add_reason(&why, "new model deployed (%s -> %s)", json_string_value(m0), json_string_value(m1))) < 0)
		goto done;
	json_t *u0 = json_object_get(then, "intended_use"), *u1 = json_object_get(now, "intended_use");
	if (!json_equal(u0, u1) && (err = add_reason(&why, "new intended use%s%s", "", "")) < 0)
		goto done;
	json_t *d0 = json_object_get(then, "data_sources"), *v;
	size_t i;
	json_array_foreach(json_object_get(now, "data_sources"), i, v) {
		int known = 0;
		size_t k;
		json_t *w;
		json_array_foreach(d0, k, w) {
			known = known || json_equal(v, w);
		}
		if (!known && (err = add_reason(&why, "new data source %s%s", json_string_value(v), "")) < 0)
			goto done;
	}
	*due = why.len > 0;
out:
	if (why.len && reasons && !(*reasons = aims_buf_detach(&why, NULL)))
		err = aims__oom();
	if (err > 0)
		err = 0;
done:
	aims__stmt_free(st);
	aims_buf_release(&why);
	json_decref(then);
	json_decref(now);
	aims_assessment_free(a);
	return err;
}

/* ---- state against the ledger ---- */

/* an assessment's audit entries name the digest of its canonical answers */
int aims__assessment_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, answers FROM impact_assessments ORDER BY seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *a = aims__stmt_text(st, 1);
		if ((err = aims_ledger_digest(dg, a ? a : "", a ? strlen(a) : 0)) < 0 ||
		    (err = emit(arg, "impact-assessment", aims__stmt_text(st, 0), dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
