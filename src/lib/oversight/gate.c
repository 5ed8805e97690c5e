/*
 * Lifecycle gates (oversight.h): the check of a model version against the
 * conditions its policy sets for a stage, gate requests and their
 * approvals by distinct accounts, documented exceptions, and the check a
 * production deployment passes. Every condition is evaluated and reported,
 * met or not, so a refusal lists everything that is missing at once.
 * Rules: docs/oversight.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/assess.h"
#include "aims/eval.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "aims/risk.h"
#include "core/core.h"
#include "core/json.h"
#include "audit/state.h"
#include "oversight_internal.h"
#include "store/store_internal.h"

#define DAY 86400

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/*
 * The canonical forms whose digests the ledger entries of gate requests and
 * exceptions name: built here once, for the writes and for the state check,
 * which recomputes them from the stored columns. NULL when out of memory.
 */
static json_t *request_canon(const char *id, const char *system, const char *model, const char *model_digest,
			     const char *stage, const char *requester, const char *note, const char *policy,
			     const char *at)
{
	return json_pack("{s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:o, s:o, s:s?}", "id", id, "system", system, "model", model,
			 "model_digest", jstr(model_digest), "stage", stage, "requester", requester, "note", jstr(note),
			 "policy", jstr(policy), "requested_at", at);
}

static json_t *decision_canon(const char *request, const char *principal, const char *roles, const char *decision,
			      const char *note, const char *at)
{
	return json_pack("{s:s, s:s?, s:s?, s:s, s:o, s:s?}", "request", request, "principal", principal, "roles", roles,
			 "decision", decision, "note", jstr(note), "decided_at", at);
}

static json_t *exception_canon(const char *id, const char *system, const char *model, const char *stage,
			       const char *reason, const char *expires, const char *requester, const char *policy,
			       const char *at)
{
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", id, "system", system, "model",
			 model, "stage", stage, "reason", reason, "expires", expires, "requester", requester, "policy",
			 policy, "requested_at", at);
}

static json_t *exception_approval_canon(const char *exception, const char *principal, const char *roles,
					const char *at)
{
	return json_pack("{s:s, s:s?, s:s?, s:s?}", "exception", exception, "principal", principal, "roles", roles,
			 "approved_at", at);
}

/* ---- the model version and the time of a check ---- */

typedef struct {
	char ref[600];          /* NAME@VERSION */
	char *digest;           /* NULL when no artifact was recorded */
} model_id;

static int model_resolve(model_id *m, aims_store *store, const char *ref)
{
	aims_model *mod = NULL;
	int err;
	memset(m, 0, sizeof(*m));
	if ((err = aims_model_get(&mod, store, ref)) < 0)
		return err;
	snprintf(m->ref, sizeof(m->ref), "%s@%s", mod->name, mod->version);
	if (mod->digest && !(m->digest = aims__strdup(mod->digest)))
		err = aims__oom();
	aims_model_free(mod);
	return err;
}

static int when(int64_t *t, char text[32], const char *at)
{
	int64_t now;
	char buf[32];
	aims__time_now(buf);
	if (aims__rfc3339(&now, NULL, buf, strlen(buf), 0) < 0)
		return aims__err(AIMS_ERROR, "cannot read the clock");
	if (!at) {
		*t = now;
		snprintf(text, 32, "%s", buf);
		return 0;
	}
	if (aims__rfc3339(t, NULL, at, strlen(at), 0) < 0)
		return aims__err(AIMS_EINVALID, "at '%s': not an RFC 3339 date-time (e.g. 2026-06-30T00:00:00Z)", at);
	if (*t < now - 60)
		return aims__err(AIMS_EINVALID, "at '%s' lies in the past: a gate is checked now or as of a later time",
				 at);
	snprintf(text, 32, "%.31s", at);
	return 0;
}

/* ---- condition list ---- */

typedef struct {
	json_t *conds;
	json_t *unmet;
} clist;

static int cond_add(clist *c, const char *condition, int met, json_t *extra, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int cond_add(clist *c, const char *condition, int met, json_t *extra, const char *fmt, ...)
{
	char detail[1536];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	json_t *o = json_pack("{s:s, s:b, s:s}", "condition", condition, "met", met, "detail", detail);
	if (!o) {
		json_decref(extra);
		return aims__oom();
	}
	if (extra && json_object_update(o, extra) < 0) {
		json_decref(extra);
		json_decref(o);
		return aims__oom();
	}
	json_decref(extra);
	if (json_array_append_new(c->conds, o) < 0)
		return aims__oom();
	if (!met) {
		char line[1700];
		snprintf(line, sizeof(line), "%s: %s", condition, detail);
		if (json_array_append_new(c->unmet, json_string(line)) < 0)
			return aims__oom();
	}
	return 0;
}

/* ---- approvals ---- */

/* the latest request for (system, model, stage) that is not rejected: its id and requester, or none */
static int current_request(char **id, char **requester, aims_store *store, const char *system, const char *model,
			   const char *stage)
{
	aims__stmt *st = NULL;
	int err;
	*id = *requester = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, requester FROM gate_requests WHERE system = ? AND model = ? "
				      "AND stage = ? AND status <> 'rejected' ORDER BY seq DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_text(st, 2, model)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, stage)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && ((err = aims__stmt_text_dup(id, st, 0)) < 0 || (err = aims__stmt_text_dup(requester, st, 1)) < 0))
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

typedef struct {
	char names[64][AIMS_PRINCIPAL_MAX];
	unsigned roles[64];
	size_t n;
} approvers;

static int roles_bits(const char *list)
{
	unsigned bits = 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (char *p = buf; *p;) {
		size_t n = strcspn(p, ",");
		char save = p[n];
		p[n] = '\0';
		bits |= aims_role_bit(p);
		if (!save)
			break;
		p += n + 1;
	}
	return (int)bits;
}

/* approvals (decision approve) of a request or an exception, never the requester's */
static int load_approvers(approvers *a, aims_store *store, const char *sql, const char *id, const char *requester)
{
	aims__stmt *st = NULL;
	int err;
	memset(a, 0, sizeof(*a));
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0 || (err = aims__stmt_bind_text(st, 1, id)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1 && a->n < 64) {
		const char *who = aims__stmt_text(st, 0);
		if (!who || (requester && strcmp(who, requester) == 0))
			continue;
		snprintf(a->names[a->n], AIMS_PRINCIPAL_MAX, "%s", who);
		a->roles[a->n] = (unsigned)roles_bits(aims__stmt_text(st, 1));
		a->n++;
	}
done:
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

static void approver_text(char *out, size_t size, const approvers *a)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < a->n && used < size; i++) {
		char r[160];
		aims__ov_roles(r, sizeof(r), a->roles[i]);
		int w = snprintf(out + used, size - used, "%s%s (%s)", i ? ", " : "", a->names[i], r);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (!a->n)
		snprintf(out, size, "none");
}

static int check_approvals(clist *c, aims_store *store, const aims_policy_stage *ps, const char *system,
			   const char *model, const char *stage)
{
	char *id = NULL, *requester = NULL, who[1024];
	approvers a;
	int have[AIMS_ROLE_COUNT + 1], err;
	if ((err = current_request(&id, &requester, store, system, model, stage)) < 0)
		return err;
	if (!id) {
		for (size_t i = 0; i < ps->napprovals && err == 0; i++)
			err = cond_add(c, "approval", 0, json_pack("{s:s, s:i, s:i, s:n}", "role", ps->approvals[i].role,
								 "required", ps->approvals[i].count, "have", 0, "request"),
				       "%d account%s with role %s must approve: no gate request for %s -> %s yet ('aims gate "
				       "request %s --model %s --to %s')", ps->approvals[i].count,
				       ps->approvals[i].count == 1 ? "" : "s", ps->approvals[i].role, model, stage, system,
				       model, stage);
		return err;
	}
	if ((err = load_approvers(&a, store, "SELECT principal, roles FROM gate_approvals WHERE request = ? AND "
				  "decision = 'approve' ORDER BY decided_at, principal", id, requester)) < 0)
		goto done;
	aims__ov_match(have, ps->approvals, ps->napprovals, a.roles, a.n);
	approver_text(who, sizeof(who), &a);
	for (size_t i = 0; i < ps->napprovals && err == 0; i++) {
		int met = have[i] >= ps->approvals[i].count;
		err = cond_add(c, "approval", met, json_pack("{s:s, s:i, s:i, s:s}", "role", ps->approvals[i].role,
							   "required", ps->approvals[i].count, "have", have[i], "request", id),
			       "%d of %d distinct account%s with role %s approved %s (approvals: %s; the requester %s "
			       "does not count, and each account counts once)", have[i], ps->approvals[i].count,
			       ps->approvals[i].count == 1 ? "" : "s", ps->approvals[i].role, id, who, requester);
	}
done:
	aims__free(id);
	aims__free(requester);
	return err;
}

/* ---- impact assessment ---- */

static int check_assessment(clist *c, aims_store *store, const char *system, const char *model)
{
	aims_assessments *l = NULL;
	const aims_assessment *ok = NULL;
	int err;
	if ((err = aims_assess_list(&l, store, system)) < 0)
		return err;
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i]->status, "approved") == 0)
			ok = l->items[i];
	if (!ok) {
		err = cond_add(c, "impact_assessment", 0, json_pack("{s:n}", "assessment"),
			       "no approved impact assessment of %s covers %s ('aims assess impact', then another "
			       "account approves it)", system, model);
		goto done;
	}
	json_t *snap = ok->snapshot ? json_loads(ok->snapshot, 0, NULL) : NULL;
	const char *covered = json_string_value(json_object_get(snap, "model"));
	int met = covered && strcmp(covered, model) == 0;
	if (met)
		err = cond_add(c, "impact_assessment", 1, json_pack("{s:s, s:s}", "assessment", ok->id, "covers", covered),
			       "%s (approved by %s at %s) covers %s", ok->id, ok->approver ? ok->approver : "?",
			       ok->approved_at ? ok->approved_at : "?", model);
	else
		err = cond_add(c, "impact_assessment", 0, json_pack("{s:s, s:o}", "assessment", ok->id, "covers",
								  jstr(covered)),
			       "the approved impact assessment %s covers %s, not %s: assess the system again with %s "
			       "deployed for validation (e.g. in staging) and have it approved", ok->id,
			       covered ? covered : "no model", model, model);
	json_decref(snap);
done:
	aims_assessments_free(l);
	return err;
}

/* ---- evaluations ---- */

static int check_thresholds(clist *c, aims_store *store, const aims_policy_eval *pe, const char *eval_id)
{
	aims_eval_result *r = NULL;
	json_t *res = NULL;
	int err;
	if ((err = aims_eval_get(&r, store, eval_id)) < 0)
		return err;
	if (!(res = json_loads(r->results ? r->results : "{}", 0, NULL))) {
		err = aims__err(AIMS_ETAMPERED, "evaluation %s: its stored results are not JSON", eval_id);
		goto done;
	}
	for (size_t k = 0; k < pe->nthresholds && err == 0; k++) {
		const aims_policy_threshold *t = &pe->thresholds[k];
		char bad[1024];
		size_t n = 0;
		int met = aims_policy_threshold_apply(&n, bad, sizeof(bad), t, res);
		json_t *extra = json_pack("{s:s, s:s, s:s}", "kind", pe->kind, "evaluation", eval_id, "threshold", t->text);
		if (n == 0)
			err = cond_add(c, "evaluation", 0, extra, "%s %s has no %s to compare with '%s'", pe->kind, eval_id,
				       t->metric, t->text);
		else if (met)
			err = cond_add(c, "evaluation", 1, extra, "%s %s: %s holds", pe->kind, eval_id, t->text);
		else
			err = cond_add(c, "evaluation", 0, extra, "%s %s is outside the threshold %s: %s", pe->kind, eval_id,
				       t->text, bad);
	}
done:
	json_decref(res);
	aims_eval_result_free(r);
	return err;
}

static int check_evaluation(clist *c, aims_store *store, const aims_policy_eval *pe, const char *system,
			    const model_id *m, int64_t at)
{
	aims_eval_results *l = NULL;
	const aims_eval_result *fresh = NULL, *stale = NULL, *other = NULL;
	int err;
	if (!m->digest)
		return cond_add(c, "evaluation", 0, json_pack("{s:s, s:n}", "kind", pe->kind, "evaluation"),
				"%s has no artifact digest in the inventory, so no %s evaluation can be tied to its bytes "
				"(register it with --file or --dir)", m->ref, pe->kind);
	if ((err = aims_eval_list(&l, store, system, pe->kind)) < 0)
		return err;
	for (size_t i = 0; i < l->count; i++) {
		const aims_eval_result *r = &l->items[i];
		int64_t t;
		if (!r->model_digest || strcmp(r->model_digest, m->digest) != 0) {
			other = r;
			continue;
		}
		if (aims__rfc3339(&t, NULL, r->recorded_at, strlen(r->recorded_at), 0) < 0)
			continue;
		if (at - t <= (int64_t)pe->max_age_days * DAY)
			fresh = r;   /* oldest first: the last one is the latest */
		else
			stale = r;
	}
	if (fresh) {
		err = check_thresholds(c, store, pe, fresh->id);
		if (err == 0 && pe->nthresholds == 0)
			err = cond_add(c, "evaluation", 1, json_pack("{s:s, s:s}", "kind", pe->kind, "evaluation", fresh->id),
				       "%s %s of %s recorded %s", pe->kind, fresh->id, m->ref, fresh->recorded_at);
	} else if (stale) {
		int64_t t = 0;
		(void)aims__rfc3339(&t, NULL, stale->recorded_at, strlen(stale->recorded_at), 0);
		err = cond_add(c, "evaluation", 0, json_pack("{s:s, s:s}", "kind", pe->kind, "evaluation", stale->id),
			       "the latest %s evaluation of %s, %s recorded %s, is %lld days old: the policy accepts "
			       "at most %d days", pe->kind, m->ref, stale->id, stale->recorded_at,
			       (long long)((at - t) / DAY), pe->max_age_days);
	} else if (other) {
		err = cond_add(c, "evaluation", 0, json_pack("{s:s, s:n}", "kind", pe->kind, "evaluation"),
			       "no %s evaluation of %s (digest %s); %s is of %s (digest %s) and does not count", pe->kind,
			       m->ref, m->digest, other->id, other->model ? other->model : "no recorded model",
			       other->model_digest ? other->model_digest : "none");
	} else {
		err = cond_add(c, "evaluation", 0, json_pack("{s:s, s:n}", "kind", pe->kind, "evaluation"),
			       "no %s evaluation of %s recorded ('aims eval %s ... --system %s --record --model %s')",
			       pe->kind, m->ref, pe->kind, system, m->ref);
	}
	aims_eval_results_free(l);
	return err;
}

/* ---- risks and obligations ---- */

static int check_risks(clist *c, aims_store *store, const char *system)
{
	aims_risks *l = NULL;
	aims_risk_criteria cr;
	int err, open = 0;
	if ((err = aims_risk_criteria_get(&cr, store)) < 0 || (err = aims_risk_list(&l, store, system)) < 0)
		return err;
	for (size_t i = 0; i < l->count && err == 0; i++) {
		const aims_risk *r = l->items[i];
		if (strcmp(r->status, "awaiting acceptance") != 0)
			continue;
		open++;
		err = cond_add(c, "risk", 0, json_pack("{s:s, s:i, s:s}", "risk", r->id, "score", r->effective_score,
						     "owner", r->owner),
			       "%s '%s' (score %d above tolerance %d) is %s and awaits acceptance by its owner %s%s", r->id,
			       r->title, r->effective_score, cr.tolerance, r->treatment ? "treated" : "untreated", r->owner,
			       r->acceptance && !r->acceptance->valid ? " (its earlier acceptance no longer holds)" : "");
	}
	if (err == 0 && open == 0)
		err = cond_add(c, "risk", 1, json_pack("{s:n}", "risk"), "no risk of %s above tolerance %d is untreated "
			       "or awaiting acceptance (%zu risks)", system, cr.tolerance, l->count);
	aims_risks_free(l);
	return err;
}

static int check_obligations(clist *c, aims_store *store, const aims_policy_stage *ps, const char *system)
{
	aims_aiact_record *cls = NULL;
	aims_aiact_items *items = NULL;
	int err, unmet = 0;
	err = aims_aiact_read(&cls, store, system, 0);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		return cond_add(c, "aiact_obligation", 0, json_pack("{s:n}", "obligation"),
				"%s has no EU AI Act classification ('aims aiact classify'), so its obligations are "
				"unknown", system);
	}
	if (err < 0 || (err = aims_aiact_items_read(&items, store, system, 0)) < 0)
		goto done;
	for (size_t i = 0; i < items->count && err == 0; i++) {
		const aims_aiact_item *it = &items->items[i];
		int wanted = ps->aiact_all;
		for (size_t k = 0; !wanted && k < ps->naiact_keys; k++)
			wanted = strcmp(ps->aiact_keys[k], it->key) == 0;
		if (!wanted || !it->active || strcmp(it->status, "met") == 0 || strcmp(it->status, "not-applicable") == 0)
			continue;
		unmet++;
		err = cond_add(c, "aiact_obligation", 0, json_pack("{s:s, s:s, s:s}", "obligation", it->id, "key", it->key,
								 "status", it->status),
			       "%s %s (%s) is %s with %zu evidence reference%s: it must be met, with evidence, or not "
			       "applicable", it->id, it->article, it->key, it->status, it->nevidence,
			       it->nevidence == 1 ? "" : "s");
	}
	if (err == 0 && unmet == 0)
		err = cond_add(c, "aiact_obligation", 1, json_pack("{s:n}", "obligation"),
			       "the %s obligations of %s's classification (%s) that the policy names are met or not "
			       "applicable", cls->tier, system, cls->tier);
done:
	aims_aiact_items_free(items);
	aims_aiact_record_free(cls);
	return err;
}

/* ---- exceptions ---- */

/* an active exception for (system, model, stage) valid on the day of `at` */
static int active_exception(json_t **out, aims_store *store, const char *system, const char *model, const char *stage,
			    const char *at)
{
	aims__stmt *st = NULL;
	char day[11];
	int err;
	*out = NULL;
	snprintf(day, sizeof(day), "%.10s", at);
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, reason, expires, requester FROM gate_exceptions WHERE "
				      "system = ? AND model = ? AND stage = ? AND status = 'active' AND expires >= ? "
				      "ORDER BY seq DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_text(st, 2, model)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, stage)) < 0 || (err = aims__stmt_bind_text(st, 4, day)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && !(*out = json_pack("{s:s, s:s, s:s, s:s}", "id", aims__stmt_text(st, 0), "reason",
					   aims__stmt_text(st, 1), "expires", aims__stmt_text(st, 2), "requester",
					   aims__stmt_text(st, 3)))) {
		err = aims__oom();
		goto done;
	}
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* ---- the check ---- */

int aims_gate_check(json_t **result, aims_store *store, const char *system, const char *model, const char *stage,
		    const char *at)
{
	aims_system *sys = NULL;
	aims_policy *pol = NULL;
	model_id m = { "", NULL };
	clist c = { NULL, NULL };
	json_t *exc = NULL, *polj = NULL;
	char attext[32];
	int64_t t;
	int err, si = aims_policy_stage_index(stage);

	*result = NULL;
	if (si < 0)
		return aims__err(AIMS_EINVALID, "stage '%s': not one of validation, approved, deployed, retired",
				 stage ? stage : "");
	if ((err = when(&t, attext, at)) < 0 || (err = aims_system_get(&sys, store, system)) < 0 ||
	    (err = model_resolve(&m, store, model)) < 0 || (err = aims_policy_for_system(&pol, store, system)) < 0)
		goto done;
	if (!(c.conds = json_array()) || !(c.unmet = json_array())) {
		err = aims__oom();
		goto done;
	}
	const aims_policy_stage *ps = pol ? &pol->stages[si] : NULL;
	if (ps && ps->present) {
		if ((ps->napprovals && (err = check_approvals(&c, store, ps, system, m.ref, stage)) < 0) ||
		    (ps->impact_assessment && (err = check_assessment(&c, store, system, m.ref)) < 0))
			goto done;
		for (size_t i = 0; i < ps->nevaluations; i++)
			if ((err = check_evaluation(&c, store, &ps->evaluations[i], system, &m, t)) < 0)
				goto done;
		if ((ps->risks_within_tolerance && (err = check_risks(&c, store, system)) < 0) ||
		    ((ps->aiact_all || ps->naiact_keys) && (err = check_obligations(&c, store, ps, system)) < 0))
			goto done;
	}
	int passed = json_array_size(c.unmet) == 0;
	if (!passed && (err = active_exception(&exc, store, system, m.ref, stage, attext)) < 0)
		goto done;
	if (pol && !(polj = json_pack("{s:s, s:i, s:s}", "name", pol->name, "version", pol->version, "digest",
				      pol->digest))) {
		err = aims__oom();
		goto done;
	}
	char note[256] = "";
	if (!pol)
		snprintf(note, sizeof(note), "no policy applies to %s: the gate is open", system);
	else if (!ps->present)
		snprintf(note, sizeof(note), "policy %s sets no conditions for stage %s: the gate is open", pol->name, stage);
	*result = json_pack("{s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:s}", "system", system, "model",
			    m.ref, "model_digest", jstr(m.digest), "stage", stage, "policy", polj ? polj : json_null(),
			    "allowed", passed || exc != NULL, "passed", passed, "exception", exc ? exc : json_null(),
			    "conditions", c.conds, "unmet", c.unmet, "note", note[0] ? json_string(note) : json_null(),
			    "at", attext);
	polj = exc = c.conds = c.unmet = NULL;
	if (!*result)
		err = aims__oom();
done:
	json_decref(c.conds);
	json_decref(c.unmet);
	json_decref(exc);
	json_decref(polj);
	aims__free(m.digest);
	aims_policy_free(pol);
	aims_system_free(sys);
	return err;
}

/* store a check result and its ledger entry; *id gets GC-NNNNNN */
static int record_check(char id[32], aims_store *store, json_t *result, const char *purpose)
{
	aims__stmt *st = NULL;
	char *canon = NULL, dg[72], now[32];
	size_t clen;
	int err, began = 0, allowed = json_is_true(json_object_get(result, "allowed"));
	int passed = json_is_true(json_object_get(result, "passed"));
	const char *exc = json_string_value(json_object_get(json_object_get(result, "exception"), "id"));

	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM gate_checks")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	int64_t seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	st = NULL;
	snprintf(id, 32, "GC-%06lld", (long long)seq);
	aims__time_now(now);
	if (json_object_set_new(result, "check_id", json_string(id)) < 0 ||
	    json_object_set_new(result, "purpose", json_string(purpose)) < 0 ||
	    json_object_set_new(result, "checked_by", json_string(aims_store_actor(store))) < 0 ||
	    json_object_set_new(result, "checked_at", json_string(now)) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__ov_canonical(&canon, &clen, result)) < 0 || (err = aims_ledger_digest(dg, canon, clen)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO gate_checks (seq, system, model, stage, purpose, allowed, "
				      "exception, result, digest, actor, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, json_string_value(json_object_get(result, "system")))) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, json_string_value(json_object_get(result, "model")))) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, json_string_value(json_object_get(result, "stage")))) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, purpose)) < 0 || (err = aims__stmt_bind_int64(st, 6, allowed)) < 0 ||
	    (err = exc ? aims__stmt_bind_text(st, 7, exc) : aims__stmt_bind_null(st, 7)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, canon)) < 0 || (err = aims__stmt_bind_text(st, 9, dg)) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 11, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, passed ? "allow" : allowed ? "allow-exception" : "refuse", "gate-check", id,
				      dg, NULL)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	aims__free(canon);
	return err;
}

static int digest_of(char dg[72], json_t *v);

/*
 * The state check (docs/ledger.md "State against the ledger"): a gate check's
 * digest is that of its canonical result, which its ledger entry names. The
 * columns kept beside the result for lookups (system, model, stage, purpose,
 * allowed, exception, actor, time) must say what the result says; a row where
 * they do not, or whose result is no longer a JSON object, gets the digest of
 * nothing any entry recorded, so it is reported as changed.
 */
int aims__gate_check_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char id[32], dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT seq, result, system, model, stage, purpose, allowed, exception, "
				      "actor, checked_at FROM gate_checks ORDER BY seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *res = aims__stmt_text(st, 1) ? aims__stmt_text(st, 1) : "";
		json_t *r = json_loads(res, 0, NULL);
		const char *col[] = { "system", "model", "stage", "purpose", "checked_by", "checked_at" };
		const int colidx[] = { 2, 3, 4, 5, 8, 9 };
		snprintf(id, sizeof(id), "GC-%06lld", (long long)aims__stmt_int64(st, 0));
		int same = json_is_object(r) && aims__strcmp0(json_string_value(json_object_get(r, "check_id")), id) == 0 &&
			   json_is_true(json_object_get(r, "allowed")) == (aims__stmt_int64(st, 6) != 0) &&
			   aims__strcmp0(json_string_value(json_object_get(json_object_get(r, "exception"), "id")),
					 aims__stmt_text(st, 7)) == 0;
		for (size_t c = 0; same && c < sizeof(col) / sizeof(col[0]); c++)
			same = aims__strcmp0(json_string_value(json_object_get(r, col[c])), aims__stmt_text(st, colidx[c])) == 0;
		if (same)
			err = digest_of(dg, r);
		else
			err = aims_ledger_digest(dg, "gate check: columns differ from the result", 41);
		json_decref(r);
		if (err < 0 || (err = emit(arg, "gate-check", id, dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* "ACTION DIGEST" of a canonical object into m, or a text no entry records when `ok` is 0 */
static int member_of(aims_buf *m, const char *action, json_t *canon, int ok, const char *why)
{
	char dg[72];
	int err;
	aims_buf_clear(m);
	if (!canon)
		return aims__oom();
	if (ok) {
		if ((err = digest_of(dg, canon)) < 0)
			return err;
		return aims_buf_printf(m, "%s %s", action, dg);
	}
	return aims_buf_printf(m, "%s (%s)", action, why);
}

/*
 * The state check (docs/ledger.md "State against the ledger"): a gate
 * request's audit entries are its request, naming the digest of the
 * canonical request, and one approve or reject entry per decision, naming
 * the digest of that decision. Each is recomputed from the columns and must
 * be the digest stored beside them; the status must follow from the
 * decisions (rejected when one rejected it, closed at the time of the last
 * decision). Whether an approved request had every approval its policy
 * asked for is not recomputed (that depends on the policy in force at the
 * decision); the gate check itself counts the approvals again.
 */
int aims__gate_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL, *ap = NULL;
	aims_buf m = AIMS_BUF_INIT;
	json_t *c = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, system, model, model_digest, stage, status, requester, note, "
				      "policy, digest, requested_at, closed_at FROM gate_requests ORDER BY seq")) < 0 ||
	    (err = aims__stmt_prepare(&ap, store, "SELECT principal, roles, decision, note, digest, decided_at FROM "
				      "gate_approvals WHERE request = ? ORDER BY principal")) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "", *status = aims__stmt_text(st, 5);
		char last[32] = "";
		int rejects = 0, approves = 0;
		if ((err = aims__stmt_reset(ap)) < 0 || (err = aims__stmt_bind_text(ap, 1, id)) < 0)
			goto done;
		while ((err = aims__stmt_step(ap)) == 1) {
			const char *decision = aims__stmt_text(ap, 2) ? aims__stmt_text(ap, 2) : "", *at = aims__stmt_text(ap, 5);
			char dg[72];
			rejects += strcmp(decision, "reject") == 0;
			approves += strcmp(decision, "approve") == 0;
			if (at && strcmp(at, last) > 0)
				snprintf(last, sizeof(last), "%s", at);
			json_decref(c);
			c = decision_canon(id, aims__stmt_text(ap, 0), aims__stmt_text(ap, 1), decision,
					   aims__stmt_text(ap, 3), at);
			int ok = c && (err = digest_of(dg, c)) == 0 && aims__strcmp0(dg, aims__stmt_text(ap, 4)) == 0;
			if (err < 0 || (err = member_of(&m, decision, c, ok, "the decision's columns do not give its digest")) < 0 ||
			    (err = emit(arg, "gate", id, m.ptr, AIMS__STATE_MEMBER)) < 0)
				goto done;
		}
		if (err < 0)
			goto done;
		const char *closed = aims__stmt_text(st, 11);
		int consistent = aims__strcmp0(status, "open") == 0 ? !closed && !rejects :
				 aims__strcmp0(status, "approved") == 0 ? !rejects && approves && aims__strcmp0(closed, last) == 0 :
				 aims__strcmp0(status, "rejected") == 0 ? rejects && aims__strcmp0(closed, last) == 0 : 0;
		char dg[72];
		json_decref(c);
		c = request_canon(id, aims__stmt_text(st, 1), aims__stmt_text(st, 2), aims__stmt_text(st, 3),
				  aims__stmt_text(st, 4), aims__stmt_text(st, 6), aims__stmt_text(st, 7), aims__stmt_text(st, 8),
				  aims__stmt_text(st, 10));
		int ok = c && (err = digest_of(dg, c)) == 0 && aims__strcmp0(dg, aims__stmt_text(st, 9)) == 0 && consistent;
		if (err < 0 || (err = member_of(&m, "request", c, ok, "the columns do not give its digest, or the status "
						"does not follow from the decisions")) < 0 ||
		    (err = emit(arg, "gate", id, m.ptr, AIMS__STATE_MEMBER)) < 0)
			goto done;
	}
done:
	json_decref(c);
	aims__stmt_free(st);
	aims__stmt_free(ap);
	aims_buf_release(&m);
	return err < 0 ? err : 0;
}

/*
 * Likewise for gate exceptions: the request entry names the digest of the
 * canonical request, each approval its own digest, and an active exception
 * has its "activate" entry (naming the request's digest again); a pending
 * one has none. So an exception activated, changed or given an approval with
 * SQL is found.
 */
int aims__gate_exception_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL, *ap = NULL;
	aims_buf m = AIMS_BUF_INIT;
	json_t *c = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, system, model, stage, reason, expires, status, requester, "
				      "policy, digest, requested_at, active_at FROM gate_exceptions ORDER BY seq")) < 0 ||
	    (err = aims__stmt_prepare(&ap, store, "SELECT principal, roles, digest, approved_at FROM "
				      "gate_exception_approvals WHERE exception = ? ORDER BY principal")) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "", *status = aims__stmt_text(st, 6);
		char dg[72];
		if ((err = aims__stmt_reset(ap)) < 0 || (err = aims__stmt_bind_text(ap, 1, id)) < 0)
			goto done;
		while ((err = aims__stmt_step(ap)) == 1) {
			json_decref(c);
			c = exception_approval_canon(id, aims__stmt_text(ap, 0), aims__stmt_text(ap, 1), aims__stmt_text(ap, 3));
			int ok = c && (err = digest_of(dg, c)) == 0 && aims__strcmp0(dg, aims__stmt_text(ap, 2)) == 0;
			if (err < 0 || (err = member_of(&m, "approve", c, ok, "the approval's columns do not give its digest")) < 0 ||
			    (err = emit(arg, "gate-exception", id, m.ptr, AIMS__STATE_MEMBER)) < 0)
				goto done;
		}
		if (err < 0)
			goto done;
		json_decref(c);
		c = exception_canon(id, aims__stmt_text(st, 1), aims__stmt_text(st, 2), aims__stmt_text(st, 3),
				    aims__stmt_text(st, 4), aims__stmt_text(st, 5), aims__stmt_text(st, 7), aims__stmt_text(st, 8),
				    aims__stmt_text(st, 10));
		int active = aims__strcmp0(status, "active") == 0 && aims__stmt_text(st, 11);
		int ok = c && (err = digest_of(dg, c)) == 0 && aims__strcmp0(dg, aims__stmt_text(st, 9)) == 0 &&
			 (active || (aims__strcmp0(status, "pending") == 0 && !aims__stmt_text(st, 11)));
		if (err < 0 || (err = member_of(&m, "request", c, ok, "the columns do not give its digest, or its status is "
						"not pending or active")) < 0 ||
		    (err = emit(arg, "gate-exception", id, m.ptr, AIMS__STATE_MEMBER)) < 0)
			goto done;
		if (active && (err = member_of(&m, "activate", c, ok, "")) == 0)
			err = emit(arg, "gate-exception", id, m.ptr, AIMS__STATE_MEMBER);
		if (err < 0)
			goto done;
	}
done:
	json_decref(c);
	aims__stmt_free(st);
	aims__stmt_free(ap);
	aims_buf_release(&m);
	return err < 0 ? err : 0;
}

int aims_gate_check_record(json_t **result, int *allowed, aims_store *store, const char *system, const char *model,
			   const char *stage, const char *at)
{
	char id[32];
	int err;
	if (allowed)
		*allowed = 0;
	if ((err = aims_gate_check(result, store, system, model, stage, at)) < 0)
		return err;
	if ((err = record_check(id, store, *result, "check")) < 0) {
		json_decref(*result);
		*result = NULL;
		return err;
	}
	if (allowed)
		*allowed = json_is_true(json_object_get(*result, "allowed"));
	return 0;
}

int aims_gate_deploy(aims_store *store, const char *system, const char *model, const char *env)
{
	json_t *r = NULL;
	char id[32];
	int err;
	if (!env || strcmp(env, "production") != 0)
		return 0;
	if ((err = aims_gate_check(&r, store, system, model, "deployed", NULL)) < 0)
		return err;
	if (json_is_null(json_object_get(r, "policy")) || json_is_true(json_object_get(r, "passed")) ||
	    json_array_size(json_object_get(r, "conditions")) == 0) {
		json_decref(r);
		return 0;
	}
	if ((err = record_check(id, store, r, "deploy")) < 0) {
		json_decref(r);
		return err;
	}
	if (json_is_true(json_object_get(r, "allowed"))) {
		json_decref(r);
		return 0;
	}
	/* the message lists every unmet condition that fits; the recorded check has all of them */
	aims_buf b = AIMS_BUF_INIT;
	json_t *unmet = json_object_get(r, "unmet"), *pol = json_object_get(r, "policy"), *u;
	size_t i, shown = 0;
	aims_buf_init(&b, 1800);
	(void)aims_buf_printf(&b, "deployment of %s to production refused by policy '%s' version %lld (stage deployed, "
			      "check %s): %zu condition%s unmet",
			      json_string_value(json_object_get(r, "model")), json_string_value(json_object_get(pol, "name")),
			      (long long)json_integer_value(json_object_get(pol, "version")), id, json_array_size(unmet),
			      json_array_size(unmet) == 1 ? "" : "s");
	json_array_foreach(unmet, i, u) {
		if (aims_buf_printf(&b, "\n  - %s", json_string_value(u)) < 0)
			break;
		shown++;
	}
	if (shown < json_array_size(unmet)) {
		aims_buf_release(&b);
		aims_buf_init(&b, 0);
		(void)aims_buf_printf(&b, "deployment of %s to production refused by policy '%s' (stage deployed, check "
				      "%s): %zu conditions unmet, the first: %s; see 'aims gate check %s --model %s --to "
				      "deployed'", json_string_value(json_object_get(r, "model")),
				      json_string_value(json_object_get(pol, "name")), id, json_array_size(unmet),
				      json_string_value(json_array_get(unmet, 0)), system,
				      json_string_value(json_object_get(r, "model")));
	}
	err = aims__err(AIMS_EDENIED, "%s", b.ptr ? b.ptr : "deployment refused by its gate");
	aims_buf_release(&b);
	json_decref(r);
	return err;
}

/* ---- gate requests ---- */

static int next_seq(int64_t *seq, aims_store *store, const char *table)
{
	aims__stmt *st = NULL;
	char sql[128];
	int err;
	snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(seq), 0) + 1 FROM %s", table);
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0 || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	*seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return 0;
}

static int digest_of(char dg[72], json_t *v)
{
	char *c = NULL;
	size_t n;
	int err = aims__ov_canonical(&c, &n, v);
	if (err == 0)
		err = aims_ledger_digest(dg, c, n);
	aims__free(c);
	return err;
}

static int policy_ref(char out[96], aims_store *store, const char *system, aims_policy **keep)
{
	aims_policy *p = NULL;
	int err = aims_policy_for_system(&p, store, system);
	out[0] = '\0';
	if (err < 0)
		return err;
	if (p)
		snprintf(out, 96, "%s@%d", p->name, p->version);
	if (keep)
		*keep = p;
	else
		aims_policy_free(p);
	return 0;
}

int aims_gate_request(json_t **out, aims_store *store, const char *system, const char *model, const char *stage,
		      const char *note)
{
	const aims_principal *who;
	aims_system *sys = NULL;
	model_id m = { "", NULL };
	aims__stmt *st = NULL;
	json_t *canon = NULL;
	char id[32], now[32], dg[72], pref[96];
	int64_t seq;
	int err, began = 0;

	*out = NULL;
	if ((err = aims__ov_principal(&who, store)) < 0)
		return err;
	if (aims_policy_stage_index(stage) < 0)
		return aims__err(AIMS_EINVALID, "stage '%s': not one of validation, approved, deployed, retired", stage);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_system_get(&sys, store, system)) < 0 || (err = model_resolve(&m, store, model)) < 0 ||
	    (err = policy_ref(pref, store, system, NULL)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id FROM gate_requests WHERE system = ? AND model = ? AND "
				      "stage = ? AND status = 'open'")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_text(st, 2, m.ref)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, stage)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		err = aims__err(AIMS_ECONFLICT, "%s is already open for %s -> %s of %s (approve or reject it first)",
				aims__stmt_text(st, 0), m.ref, stage, system);
		goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = next_seq(&seq, store, "gate_requests")) < 0)
		goto done;
	snprintf(id, sizeof(id), "GATE-%04lld", (long long)seq);
	aims__time_now(now);
	if (!(canon = request_canon(id, system, m.ref, m.digest, stage, who->name, note, pref[0] ? pref : NULL, now))) {
		err = aims__oom();
		goto done;
	}
	if ((err = digest_of(dg, canon)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO gate_requests (id, seq, system, model, model_digest, stage, "
				      "status, requester, note, policy, digest, requested_at) VALUES (?, ?, ?, ?, ?, ?, "
				      "'open', ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, system)) < 0 || (err = aims__stmt_bind_text(st, 4, m.ref)) < 0 ||
	    (err = m.digest ? aims__stmt_bind_text(st, 5, m.digest) : aims__stmt_bind_null(st, 5)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, stage)) < 0 || (err = aims__stmt_bind_text(st, 7, who->name)) < 0 ||
	    (err = note ? aims__stmt_bind_text(st, 8, note) : aims__stmt_bind_null(st, 8)) < 0 ||
	    (err = pref[0] ? aims__stmt_bind_text(st, 9, pref) : aims__stmt_bind_null(st, 9)) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, dg)) < 0 || (err = aims__stmt_bind_text(st, 11, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, "request", "gate", id, dg, NULL)) < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	err = aims_gate_get(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	json_decref(canon);
	aims__free(m.digest);
	aims_system_free(sys);
	return err;
}

/* the policy version a request or exception names ("NAME@VERSION"), or NULL */
static int named_policy(aims_policy **out, aims_store *store, const char *ref)
{
	char name[96];
	*out = NULL;
	if (!ref)
		return 0;
	const char *at = strrchr(ref, '@');
	if (!at || (size_t)(at - ref) >= sizeof(name))
		return aims__err(AIMS_ETAMPERED, "policy reference '%s' is malformed", ref);
	memcpy(name, ref, (size_t)(at - ref));
	name[at - ref] = '\0';
	char *end = NULL;
	long v = strtol(at + 1, &end, 10);
	if (!end || *end || v < 1 || v > 1000000)
		return aims__err(AIMS_ETAMPERED, "policy reference '%s' is malformed", ref);
	return aims_policy_get(out, store, name, (int)v);
}

/* what the applicable policy still needs for a request's stage: [{role, required, have}] and whether all is in */
static int needs_json(json_t **out, int *complete, aims_store *store, const char *system, const char *stage,
		      const char *id, const char *requester)
{
	aims_policy *p = NULL;
	approvers a;
	int have[AIMS_ROLE_COUNT + 1], err;
	*out = NULL;
	*complete = 0;
	if ((err = aims_policy_for_system(&p, store, system)) < 0)
		return err;
	int si = aims_policy_stage_index(stage);
	if (!(*out = json_array())) {
		aims_policy_free(p);
		return aims__oom();
	}
	if (!p || si < 0 || !p->stages[si].present || p->stages[si].napprovals == 0) {
		aims_policy_free(p);
		return 0;
	}
	const aims_policy_stage *ps = &p->stages[si];
	if ((err = load_approvers(&a, store, "SELECT principal, roles FROM gate_approvals WHERE request = ? AND "
				  "decision = 'approve' ORDER BY decided_at, principal", id, requester)) < 0) {
		aims_policy_free(p);
		return err;
	}
	aims__ov_match(have, ps->approvals, ps->napprovals, a.roles, a.n);
	*complete = 1;
	for (size_t i = 0; i < ps->napprovals; i++) {
		*complete = *complete && have[i] >= ps->approvals[i].count;
		if (json_array_append_new(*out, json_pack("{s:s, s:i, s:i}", "role", ps->approvals[i].role, "required",
							  ps->approvals[i].count, "have", have[i])) < 0) {
			aims_policy_free(p);
			return aims__oom();
		}
	}
	aims_policy_free(p);
	return 0;
}

static json_t *roles_array(const char *list)
{
	json_t *a = json_array();
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (char *p = buf; a && *p;) {
		size_t n = strcspn(p, ",");
		if (json_array_append_new(a, json_stringn(p, n)) < 0) {
			json_decref(a);
			return NULL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return a;
}

#define REQ_COLS "id, system, model, model_digest, stage, status, requester, note, policy, digest, requested_at, closed_at"

static json_t *request_row_json(aims__stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o}", "id", aims__stmt_text(st, 0),
			 "system", aims__stmt_text(st, 1), "model", aims__stmt_text(st, 2), "model_digest",
			 jstr(aims__stmt_text(st, 3)), "stage", aims__stmt_text(st, 4), "status", aims__stmt_text(st, 5),
			 "requester", aims__stmt_text(st, 6), "note", jstr(aims__stmt_text(st, 7)), "policy",
			 jstr(aims__stmt_text(st, 8)), "digest", aims__stmt_text(st, 9), "requested_at",
			 aims__stmt_text(st, 10), "closed_at", jstr(aims__stmt_text(st, 11)));
}

int aims_gate_get(json_t **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	json_t *o = NULL, *ap = NULL, *needs = NULL;
	int err, complete;
	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " REQ_COLS " FROM gate_requests WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no gate request '%s' (see 'aims gate list')", id);
		goto done;
	}
	if (!(o = request_row_json(st))) {
		err = aims__oom();
		goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	if (!(ap = json_array())) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__stmt_prepare(&st, store, "SELECT principal, roles, decision, note, decided_at FROM gate_approvals "
				      "WHERE request = ? ORDER BY decided_at, principal")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1)
		if (json_array_append_new(ap, json_pack("{s:s, s:o, s:s, s:o, s:s}", "principal", aims__stmt_text(st, 0),
							"roles", roles_array(aims__stmt_text(st, 1)), "decision",
							aims__stmt_text(st, 2), "note", jstr(aims__stmt_text(st, 3)),
							"decided_at", aims__stmt_text(st, 4))) < 0) {
			err = aims__oom();
			goto done;
		}
	if (err < 0)
		goto done;
	if ((err = needs_json(&needs, &complete, store, json_string_value(json_object_get(o, "system")),
			      json_string_value(json_object_get(o, "stage")), id,
			      json_string_value(json_object_get(o, "requester")))) < 0)
		goto done;
	if (json_object_set_new(o, "approvals", ap) < 0) {
		ap = NULL;
		err = aims__oom();
		goto done;
	}
	ap = NULL;
	if (json_object_set_new(o, "needs", needs) < 0) {
		needs = NULL;
		err = aims__oom();
		goto done;
	}
	needs = NULL;
	*out = o;
	o = NULL;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(o);
	json_decref(ap);
	json_decref(needs);
	return err;
}

int aims_gate_decide(json_t **out, aims_store *store, const char *id, int approve, const char *note)
{
	const aims_principal *who;
	aims__stmt *st = NULL;
	json_t *req = NULL, *canon = NULL, *needs = NULL;
	char now[32], dg[72], roles[200];
	int err, began = 0, complete = 0;

	*out = NULL;
	if ((err = aims__ov_principal(&who, store)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_gate_get(&req, store, id)) < 0)
		goto done;
	const char *status = json_string_value(json_object_get(req, "status"));
	const char *requester = json_string_value(json_object_get(req, "requester"));
	if (strcmp(status, "rejected") == 0) {
		err = aims__err(AIMS_ECONFLICT, "%s was rejected: request the gate again ('aims gate request')", id);
		goto done;
	}
	if (approve && aims_principal_is(who, requester)) {
		err = aims__err(AIMS_EPERM, "%s: '%s' requested it and may not approve it; approvals come from other "
				"accounts (four eyes)", id, who->name);
		goto done;
	}
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(req, "approvals"), i, a) {
		if (aims_principal_is(who, json_string_value(json_object_get(a, "principal")))) {
			err = aims__err(AIMS_ECONFLICT, "%s: '%s' decided already (%s at %s); each account decides once",
					id, who->name, json_string_value(json_object_get(a, "decision")),
					json_string_value(json_object_get(a, "decided_at")));
			goto done;
		}
	}
	aims__time_now(now);
	aims__ov_roles(roles, sizeof(roles), who->roles);
	if (!(canon = decision_canon(id, who->name, roles, approve ? "approve" : "reject", note, now))) {
		err = aims__oom();
		goto done;
	}
	if ((err = digest_of(dg, canon)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO gate_approvals (request, principal, roles, decision, note, "
				      "digest, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, who->name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, roles)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, approve ? "approve" : "reject")) < 0 ||
	    (err = note ? aims__stmt_bind_text(st, 5, note) : aims__stmt_bind_null(st, 5)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, dg)) < 0 || (err = aims__stmt_bind_text(st, 7, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	const char *next = "open";
	if (!approve) {
		next = "rejected";
	} else {
		if ((err = needs_json(&needs, &complete, store, json_string_value(json_object_get(req, "system")),
				      json_string_value(json_object_get(req, "stage")), id, requester)) < 0)
			goto done;
		next = complete ? "approved" : "open";
	}
	if ((err = aims__stmt_prepare(&st, store, "UPDATE gate_requests SET status = ?, closed_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, next)) < 0 ||
	    (err = strcmp(next, "open") ? aims__stmt_bind_text(st, 2, now) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, approve ? "approve" : "reject", "gate", id, dg,
				      json_string_value(json_object_get(req, "digest")))) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	err = aims_gate_get(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	json_decref(req);
	json_decref(canon);
	json_decref(needs);
	return err;
}

int aims_gate_list(json_t **out, aims_store *store, const char *system, const char *status)
{
	aims__stmt *st = NULL;
	json_t *a = json_array();
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT " REQ_COLS " FROM gate_requests WHERE (CAST(? AS TEXT) IS NULL OR system = ?) "
				      "AND (CAST(? AS TEXT) IS NULL OR status = ?) ORDER BY seq DESC")) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 1, system) : aims__stmt_bind_null(st, 1)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = status ? aims__stmt_bind_text(st, 3, status) : aims__stmt_bind_null(st, 3)) < 0 ||
	    (err = status ? aims__stmt_bind_text(st, 4, status) : aims__stmt_bind_null(st, 4)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1)
		if (json_array_append_new(a, request_row_json(st)) < 0) {
			err = aims__oom();
			goto done;
		}
	if (err < 0)
		goto done;
	if (!(*out = json_pack("{s:o}", "gates", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(a);
	return err;
}

int aims_gate_checks(json_t **out, aims_store *store, const char *system, int limit)
{
	aims__stmt *st = NULL;
	json_t *a = json_array();
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT result, digest FROM gate_checks WHERE (CAST(? AS TEXT) IS NULL OR system = ?) "
				      "ORDER BY seq DESC LIMIT ?")) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 1, system) : aims__stmt_bind_null(st, 1)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, limit > 0 ? limit : 100)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *r = aims__stmt_text(st, 0);
		json_t *j = r ? json_loads(r, 0, NULL) : NULL;
		if (!j || !json_is_object(j)) {
			json_decref(j);
			err = aims__err(AIMS_ETAMPERED, "a stored gate check is not JSON");
			goto done;
		}
		/* the digest of the stored result (what its ledger entry names), beside it */
		if (json_object_set_new(j, "digest", json_string(aims__stmt_text(st, 1))) < 0) {
			json_decref(j);
			err = aims__oom();
			goto done;
		}
		if (json_array_append_new(a, j) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (err < 0)
		goto done;
	if (!(*out = json_pack("{s:o}", "checks", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(a);
	return err;
}

/* ---- exceptions ---- */

#define EXC_COLS "id, system, model, stage, reason, expires, status, requester, policy, digest, requested_at, active_at"

static int exception_json(json_t **out, aims_store *store, aims__stmt *row, const char *today)
{
	aims__stmt *st = NULL;
	json_t *ap = json_array(), *o;
	const char *id = aims__stmt_text(row, 0), *expires = aims__stmt_text(row, 5), *status = aims__stmt_text(row, 6);
	int err;
	*out = NULL;
	if (!ap)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT principal, roles, approved_at FROM gate_exception_approvals "
				      "WHERE exception = ? ORDER BY approved_at, principal")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1)
		if (json_array_append_new(ap, json_pack("{s:s, s:o, s:s}", "principal", aims__stmt_text(st, 0), "roles",
							roles_array(aims__stmt_text(st, 1)), "approved_at",
							aims__stmt_text(st, 2))) < 0) {
			err = aims__oom();
			goto done;
		}
	if (err < 0)
		goto done;
	/* an exception past its last day is expired, whatever its stored status */
	const char *shown = strcmp(expires, today) < 0 ? "expired" : status;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", id, "system",
		      aims__stmt_text(row, 1), "model", aims__stmt_text(row, 2), "stage", aims__stmt_text(row, 3), "reason",
		      aims__stmt_text(row, 4), "expires", expires, "status", shown, "requester", aims__stmt_text(row, 7),
		      "policy", aims__stmt_text(row, 8), "digest", aims__stmt_text(row, 9), "requested_at",
		      aims__stmt_text(row, 10), "active_at", jstr(aims__stmt_text(row, 11)), "approvals", ap);
	ap = NULL;
	if (!o) {
		err = aims__oom();
		goto done;
	}
	*out = o;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(ap);
	return err;
}

static int exception_get(json_t **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	char now[32];
	int err;
	*out = NULL;
	aims__time_now(now);
	now[10] = '\0';
	if ((err = aims__stmt_prepare(&st, store, "SELECT " EXC_COLS " FROM gate_exceptions WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no gate exception '%s' (see 'aims gate exceptions')", id);
		goto done;
	}
	err = exception_json(out, store, st, now);
done:
	aims__stmt_free(st);
	return err;
}

int aims_gate_exception_list(json_t **out, aims_store *store, const char *system, int all)
{
	aims__stmt *st = NULL;
	json_t *a = json_array(), *e = NULL;
	char now[32];
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	aims__time_now(now);
	now[10] = '\0';
	if ((err = aims__stmt_prepare(&st, store, "SELECT " EXC_COLS " FROM gate_exceptions WHERE (CAST(? AS TEXT) IS NULL OR system = ?) "
				      "AND (? = 1 OR expires >= ?) ORDER BY seq DESC")) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 1, system) : aims__stmt_bind_null(st, 1)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, all ? 1 : 0)) < 0 || (err = aims__stmt_bind_text(st, 4, now)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = exception_json(&e, store, st, now)) < 0)
			goto done;
		if (json_array_append_new(a, e) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (err < 0)
		goto done;
	if (!(*out = json_pack("{s:o}", "exceptions", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(a);
	return err;
}

static int days_from_civil(int64_t *out, const char *date)
{
	int64_t t;
	char buf[32];
	snprintf(buf, sizeof(buf), "%.10sT00:00:00Z", date);
	if (strlen(date) < 10 || aims__rfc3339(&t, NULL, buf, strlen(buf), 0) < 0)
		return -1;
	*out = t / DAY;
	return 0;
}

int aims_gate_exception_request(json_t **out, aims_store *store, const char *system, const char *model,
				const char *stage, const char *reason, const char *expires)
{
	const aims_principal *who;
	aims_system *sys = NULL;
	aims_policy *pol = NULL;
	model_id m = { "", NULL };
	aims__stmt *st = NULL;
	json_t *canon = NULL;
	char id[32], now[32], dg[72], pref[96];
	int64_t seq, today, last;
	int err, began = 0, si = aims_policy_stage_index(stage);

	*out = NULL;
	if ((err = aims__ov_principal(&who, store)) < 0)
		return err;
	if (si < 0)
		return aims__err(AIMS_EINVALID, "stage '%s': not one of validation, approved, deployed, retired", stage);
	if (!reason || !aims__text_ok(reason, 0))
		return aims__err(AIMS_EINVALID, "reason: an exception needs a documented reason");
	aims__time_now(now);
	if (days_from_civil(&today, now) < 0 || !expires || strlen(expires) != 10 || days_from_civil(&last, expires) < 0)
		return aims__err(AIMS_EINVALID, "expires '%s': not a date YYYY-MM-DD", expires ? expires : "");
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_system_get(&sys, store, system)) < 0 || (err = model_resolve(&m, store, model)) < 0 ||
	    (err = policy_ref(pref, store, system, &pol)) < 0)
		goto done;
	if (!pol) {
		err = aims__err(AIMS_ECONFLICT, "no policy applies to %s: its gates are open, there is nothing to except",
				system);
		goto done;
	}
	if (!pol->has_exceptions) {
		err = aims__err(AIMS_ECONFLICT, "policy '%s' allows no exceptions (it has no 'exceptions' section)",
				pol->name);
		goto done;
	}
	if (last < today || last > today + pol->exception_max_days) {
		err = aims__err(AIMS_EINVALID, "expires %s: an exception of policy '%s' lasts from today to at most %d days "
				"ahead", expires, pol->name, pol->exception_max_days);
		goto done;
	}
	if ((err = next_seq(&seq, store, "gate_exceptions")) < 0)
		goto done;
	snprintf(id, sizeof(id), "EXC-%04lld", (long long)seq);
	if (!(canon = exception_canon(id, system, m.ref, stage, reason, expires, who->name, pref, now))) {
		err = aims__oom();
		goto done;
	}
	if ((err = digest_of(dg, canon)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO gate_exceptions (id, seq, system, model, stage, reason, "
				      "expires, status, requester, policy, digest, requested_at) VALUES (?, ?, ?, ?, ?, ?, "
				      "?, 'pending', ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, system)) < 0 || (err = aims__stmt_bind_text(st, 4, m.ref)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, stage)) < 0 || (err = aims__stmt_bind_text(st, 6, reason)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, expires)) < 0 || (err = aims__stmt_bind_text(st, 8, who->name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, pref)) < 0 || (err = aims__stmt_bind_text(st, 10, dg)) < 0 ||
	    (err = aims__stmt_bind_text(st, 11, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, "request", "gate-exception", id, dg, NULL)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	err = exception_get(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	json_decref(canon);
	aims__free(m.digest);
	aims_policy_free(pol);
	aims_system_free(sys);
	return err;
}

int aims_gate_exception_approve(json_t **out, aims_store *store, const char *id)
{
	const aims_principal *who;
	aims_policy *pol = NULL;
	aims__stmt *st = NULL;
	json_t *exc = NULL, *canon = NULL;
	approvers a;
	char now[32], dg[72], roles[200];
	int err, began = 0, have[AIMS_ROLE_COUNT + 1];

	*out = NULL;
	if ((err = aims__ov_principal(&who, store)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = exception_get(&exc, store, id)) < 0)
		goto done;
	const char *status = json_string_value(json_object_get(exc, "status"));
	const char *requester = json_string_value(json_object_get(exc, "requester"));
	if (strcmp(status, "expired") == 0) {
		err = aims__err(AIMS_ECONFLICT, "%s expired on %s", id, json_string_value(json_object_get(exc, "expires")));
		goto done;
	}
	if (aims_principal_is(who, requester)) {
		err = aims__err(AIMS_EPERM, "%s: '%s' asked for the exception and may not approve it; two other accounts "
				"must", id, who->name);
		goto done;
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(exc, "approvals"), i, x) {
		if (aims_principal_is(who, json_string_value(json_object_get(x, "principal")))) {
			err = aims__err(AIMS_ECONFLICT, "%s: '%s' approved it already; an exception needs distinct accounts",
					id, who->name);
			goto done;
		}
	}
	if ((err = named_policy(&pol, store, json_string_value(json_object_get(exc, "policy")))) < 0)
		goto done;
	unsigned need = 0;
	for (size_t k = 0; pol && k < pol->nexception_approvals; k++)
		need |= pol->exception_approvals[k].bit;
	if (!pol || !(who->roles & need)) {
		char nr[200], hr[200];
		aims__ov_roles(nr, sizeof(nr), need);
		aims__ov_roles(hr, sizeof(hr), who->roles);
		err = aims__err(AIMS_EPERM, "%s: policy '%s' lets accounts with the roles %s approve exceptions; '%s' has %s",
				id, pol ? pol->name : "?", nr, who->name, hr[0] ? hr : "none");
		goto done;
	}
	aims__time_now(now);
	aims__ov_roles(roles, sizeof(roles), who->roles);
	if (!(canon = exception_approval_canon(id, who->name, roles, now))) {
		err = aims__oom();
		goto done;
	}
	if ((err = digest_of(dg, canon)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO gate_exception_approvals (exception, principal, roles, "
				      "digest, approved_at) VALUES (?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, who->name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, roles)) < 0 || (err = aims__stmt_bind_text(st, 4, dg)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = load_approvers(&a, store, "SELECT principal, roles FROM gate_exception_approvals WHERE exception = ? "
				  "ORDER BY approved_at, principal", id, requester)) < 0)
		goto done;
	aims__ov_match(have, pol->exception_approvals, pol->nexception_approvals, a.roles, a.n);
	int complete = 1;
	for (size_t k = 0; k < pol->nexception_approvals; k++)
		complete = complete && have[k] >= pol->exception_approvals[k].count;
	if (complete && strcmp(status, "pending") == 0 &&
	    ((err = aims__stmt_prepare(&st, store, "UPDATE gate_exceptions SET status = 'active', active_at = ? WHERE "
				       "id = ?")) < 0 ||
	     (err = aims__stmt_bind_text(st, 1, now)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	     (err = aims__stmt_step(st)) < 0))
		goto done;
	if ((err = aims_ledger_append(store, "approve", "gate-exception", id, dg,
				      json_string_value(json_object_get(exc, "digest")))) < 0 ||
	    (complete && strcmp(status, "pending") == 0 &&
	     (err = aims_ledger_append(store, "activate", "gate-exception", id,
				       json_string_value(json_object_get(exc, "digest")), NULL)) < 0) ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	err = exception_get(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	json_decref(exc);
	json_decref(canon);
	aims_policy_free(pol);
	return err;
}
