/*
 * The AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3; EU AI Act
 * Art. 9): versioned criteria, risks per inventory AI system, treatments
 * linked to Annex A controls, reviews, and acceptance by the risk owner.
 * An acceptance keeps a canonical JSON snapshot of what was accepted; the
 * risk is compared with it whenever it is read (a model deployment happens
 * in the inventory module, which knows nothing of risks) and, on every
 * write here, an acceptance that no longer matches is marked invalidated
 * with an audit entry. Every write runs in one transaction with its audit
 * entry. Rules: docs/risk.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aims/catalog.h"
#include "aims/crosswalk.h"
#include "aims/inventory.h"
#include "aims/auth.h"
#include "aims/ledger.h"
#include "aims/risk.h"
#include "core/core.h"
#include "core/json.h"
#include "risk_internal.h"
#include "store/store_internal.h"
#include "audit/state.h"

#define ISO42001 "iso42001-2023"

const char *const aims_risk_treatments[] = { "modify", "avoid", "share", "retain", NULL };

/* ---- taxonomy: the AI risk categories, then the 42001 Annex C risk sources ---- */

static const aims_risk_category categories[] = {
	{ "bias-fairness", "Bias and unfairness", "AI risk taxonomy" },
	{ "data-drift", "Data drift and performance degradation", "AI risk taxonomy" },
	{ "misuse", "Misuse and misapplication", "AI risk taxonomy" },
	{ "adversarial-evasion", "Adversarial attack: evasion", "AI risk taxonomy" },
	{ "adversarial-poisoning", "Adversarial attack: data or model poisoning", "AI risk taxonomy" },
	{ "adversarial-model-extraction", "Adversarial attack: model extraction", "AI risk taxonomy" },
	{ "adversarial-prompt-injection", "Adversarial attack: prompt injection", "AI risk taxonomy" },
	{ "transparency", "Lack of transparency and explainability", "AI risk taxonomy" },
	{ "privacy", "Privacy", "AI risk taxonomy" },
	{ "safety", "Safety", "AI risk taxonomy" },
	{ "accountability", "Accountability", "AI risk taxonomy" },
	{ "third-party", "Third party and supplier", "AI risk taxonomy" },
	{ "environment-complexity", "Complexity of the environment", "ISO/IEC 42001 Annex C risk source" },
	{ "level-of-automation", "Level of automation", "ISO/IEC 42001 Annex C risk source" },
	{ "machine-learning", "Machine-learning specific issues", "ISO/IEC 42001 Annex C risk source" },
	{ "system-hardware", "System hardware issues", "ISO/IEC 42001 Annex C risk source" },
	{ "system-lifecycle", "System life-cycle issues", "ISO/IEC 42001 Annex C risk source" },
	{ "technology-readiness", "Technology readiness", "ISO/IEC 42001 Annex C risk source" },
};
#define NCATEGORIES (sizeof(categories) / sizeof(categories[0]))

size_t aims_risk_category_count(void)
{
	return NCATEGORIES;
}

const aims_risk_category *aims_risk_category_at(size_t i)
{
	return i < NCATEGORIES ? &categories[i] : NULL;
}

const aims_risk_category *aims_risk_category_find(const char *id)
{
	for (size_t i = 0; id && i < NCATEGORIES; i++)
		if (strcmp(categories[i].id, id) == 0)
			return &categories[i];
	return NULL;
}

/* ---- small helpers ---- */

int aims__risk_date_ok(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && aims__date_parse(&y, &m, &d, s) == 0;
}

int aims__risk_line_ok(const char *what, const char *v, size_t max)
{
	if (!v || !*v)
		return aims__err(AIMS_EINVALID, "%s: must not be empty", what);
	if (!aims__text_ok(v, 1))
		return aims__err(AIMS_EINVALID, "%s: must be one line of printable text", what);
	if (strlen(v) > max)
		return aims__err(AIMS_EINVALID, "%s: longer than %zu characters", what, max);
	return 0;
}

int aims__risk_system_check(aims_store *store, const char *system)
{
	aims_system *sys = NULL;
	int err;
	if (!system || !*system)
		return aims__err(AIMS_EINVALID, "system: missing (an AI system of the inventory)");
	if ((err = aims_system_get(&sys, store, system)) < 0) {
		if (err == AIMS_ENOTFOUND)
			return aims__err(AIMS_ENOTFOUND, "no AI system '%s' in the inventory (see 'aims system list')",
					 system);
		return err;
	}
	aims_system_free(sys);
	return 0;
}

/* ---- criteria ---- */

static const char *const score_fns[] = { "product", "sum", "max" };

int aims_risk_score(const aims_risk_criteria *c, int l, int i)
{
	if (strcmp(c->score_fn, "sum") == 0)
		return l + i;
	if (strcmp(c->score_fn, "max") == 0)
		return l > i ? l : i;
	return l * i;
}

static int criteria_digest(aims_risk_criteria *c)
{
	char text[256];
	int n = snprintf(text, sizeof(text), "aims-risk-criteria v1\nlikelihood: 1-%d\nimpact: 1-%d\nscore: %s\n"
			 "appetite: %d\ntolerance: %d\n", c->likelihood_max, c->impact_max, c->score_fn, c->appetite,
			 c->tolerance);
	return aims_ledger_digest(c->digest, text, (size_t)n);
}

static void criteria_defaults(aims_risk_criteria *c)
{
	memset(c, 0, sizeof(*c));
	c->likelihood_max = 5;
	c->impact_max = 5;
	snprintf(c->score_fn, sizeof(c->score_fn), "product");
	c->appetite = 4;
	c->tolerance = 9;
	(void)criteria_digest(c);
}

#define CRIT_COLS "version, likelihood_max, impact_max, score_fn, appetite, tolerance, digest, created_at, actor"

static void criteria_from_row(aims_risk_criteria *c, aims__stmt *st)
{
	memset(c, 0, sizeof(*c));
	c->version = (int)aims__stmt_int64(st, 0);
	c->likelihood_max = (int)aims__stmt_int64(st, 1);
	c->impact_max = (int)aims__stmt_int64(st, 2);
	snprintf(c->score_fn, sizeof(c->score_fn), "%s", aims__stmt_text(st, 3) ? aims__stmt_text(st, 3) : "product");
	c->appetite = (int)aims__stmt_int64(st, 4);
	c->tolerance = (int)aims__stmt_int64(st, 5);
	snprintf(c->digest, sizeof(c->digest), "%s", aims__stmt_text(st, 6) ? aims__stmt_text(st, 6) : "");
	snprintf(c->created_at, sizeof(c->created_at), "%s", aims__stmt_text(st, 7) ? aims__stmt_text(st, 7) : "");
	snprintf(c->actor, sizeof(c->actor), "%s", aims__stmt_text(st, 8) ? aims__stmt_text(st, 8) : "");
}

int aims_risk_criteria_get(aims_risk_criteria *out, aims_store *store)
{
	aims__stmt *st = NULL;
	int err;
	criteria_defaults(out);
	if ((err = aims__stmt_prepare(&st, store, "SELECT " CRIT_COLS " FROM risk_criteria ORDER BY version DESC "
				      "LIMIT 1")) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1)
		criteria_from_row(out, st);
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims_risk_criteria_versions(aims_risk_criteria **out, size_t *count, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_risk_criteria *v = NULL;
	size_t n = 0, cap = 0;
	int err;
	*out = NULL;
	*count = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " CRIT_COLS " FROM risk_criteria ORDER BY version")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&v, &cap, n + 1, sizeof(*v))) < 0)
			goto fail;
		criteria_from_row(&v[n++], st);
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = v;
	*count = n;
	return 0;
fail:
	aims__stmt_free(st);
	aims__free(v);
	return err;
}

void aims_risk_criteria_versions_free(aims_risk_criteria *v)
{
	aims__free(v);
}

static int criteria_check(const aims_risk_criteria *c)
{
	if (c->likelihood_max < 2 || c->likelihood_max > 10)
		return aims__err(AIMS_EINVALID, "likelihood scale: 1-%d is not between 1-2 and 1-10", c->likelihood_max);
	if (c->impact_max < 2 || c->impact_max > 10)
		return aims__err(AIMS_EINVALID, "impact scale: 1-%d is not between 1-2 and 1-10", c->impact_max);
	if (!aims__in_list(c->score_fn, score_fns, 3))
		return aims__err(AIMS_EINVALID, "score function '%s': use product, sum or max", c->score_fn);
	int top = aims_risk_score(c, c->likelihood_max, c->impact_max);
	if (c->appetite < 1 || c->appetite > top)
		return aims__err(AIMS_EINVALID, "appetite %d: not between 1 and the highest score %d", c->appetite, top);
	if (c->tolerance < c->appetite || c->tolerance > top)
		return aims__err(AIMS_EINVALID, "tolerance %d: not between the appetite %d and the highest score %d",
				 c->tolerance, c->appetite, top);
	return 0;
}

int aims_risk_criteria_set(int *version_out, aims_store *store, const aims_risk_criteria *in, const char *note)
{
	aims_risk_criteria c = *in;
	aims_risk_criteria cur;
	aims__stmt *st = NULL;
	aims_risks *all = NULL;
	char now[32];
	int err, began = 0;

	if (version_out)
		*version_out = 0;
	if ((err = criteria_check(&c)) < 0)
		return err;
	if (note && (err = aims__risk_line_ok("note", note, 1000)) < 0)
		return err;
	if ((err = criteria_digest(&c)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_risk_criteria_get(&cur, store)) < 0)
		goto done;
	c.version = cur.version + 1;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO risk_criteria (version, likelihood_max, impact_max, "
				      "score_fn, appetite, tolerance, note, digest, actor, created_at) VALUES "
				      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, c.version)) < 0 || (err = aims__stmt_bind_int64(st, 2, c.likelihood_max)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, c.impact_max)) < 0 || (err = aims__stmt_bind_text(st, 4, c.score_fn)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 5, c.appetite)) < 0 || (err = aims__stmt_bind_int64(st, 6, c.tolerance)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, note)) < 0 || (err = aims__stmt_bind_text(st, 8, c.digest)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	char vid[16];
	snprintf(vid, sizeof(vid), "%d", c.version);
	if ((err = aims_ledger_append(store, "create", "risk-criteria", vid, c.digest, cur.version ? cur.digest : NULL)) < 0)
		goto done;
	/* rescore every risk under the new criteria; out-of-scale values are refused */
	if ((err = aims_risk_list(&all, store, NULL)) < 0)
		goto done;
	for (size_t i = 0; i < all->count; i++) {
		aims_risk *r = all->items[i];
		if (r->likelihood > c.likelihood_max || r->impact > c.impact_max || r->res_likelihood > c.likelihood_max ||
		    r->res_impact > c.impact_max) {
			err = aims__err(AIMS_ECONFLICT, "%s: its likelihood or impact is outside the new scales "
					"(1-%d x 1-%d): review it first", r->id, c.likelihood_max, c.impact_max);
			goto done;
		}
		int s = aims_risk_score(&c, r->likelihood, r->impact);
		int rs = r->res_likelihood ? aims_risk_score(&c, r->res_likelihood, r->res_impact) : 0;
		if (s == r->score && rs == r->res_score)
			continue;
		if ((err = aims__stmt_prepare(&st, store, "UPDATE risks SET score = ?, res_score = ?, updated_at = ? "
					      "WHERE id = ?")) < 0 ||
		    (err = aims__stmt_bind_int64(st, 1, s)) < 0 ||
		    (err = rs ? aims__stmt_bind_int64(st, 2, rs) : aims__stmt_bind_null(st, 2)) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, now)) < 0 || (err = aims__stmt_bind_text(st, 4, r->id)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
		if ((err = aims__risk_after_write(store, r->id, "rescore", NULL)) < 0)
			goto done;
	}
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (version_out)
		*version_out = c.version;
done:
	aims__stmt_free(st);
	aims_risks_free(all);
	if (began)
		aims_store_rollback(store);
	return err;
}

/* ---- reading risks ---- */

static void acceptance_release(aims_risk_acceptance *a)
{
	if (!a)
		return;
	aims__free(a->accepted_by);
	aims__free(a->accepted_at);
	aims__free(a->note);
	aims__free(a->snapshot);
	aims__free(a->digest);
	aims__free(a->invalidated_at);
	aims__free(a->invalidated_by);
	aims__free(a->changed);
	aims__free(a);
}

void aims_risk_free(aims_risk *r)
{
	if (!r)
		return;
	aims__free(r->id);
	aims__free(r->system);
	aims__free(r->title);
	aims__free(r->category);
	aims__free(r->description);
	aims__free(r->owner);
	aims__free(r->treatment);
	aims__free(r->review_date);
	aims__free(r->source);
	aims__free(r->created_at);
	aims__free(r->updated_at);
	for (size_t i = 0; i < r->nactions; i++) {
		aims__free(r->actions[i].control);
		aims__free(r->actions[i].action);
	}
	aims__free(r->actions);
	acceptance_release(r->acceptance);
	aims__free(r->model);
	aims__free(r);
}

void aims_risks_free(aims_risks *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		aims_risk_free(l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

#define RISK_COLS "id, system, title, category, description, owner, likelihood, impact, score, treatment, " \
		  "res_likelihood, res_impact, res_score, review_date, source, created_at, updated_at"

static int risk_from_row(aims_risk **out, aims__stmt *st)
{
	aims_risk *r = aims__calloc(1, sizeof(*r));
	int err;
	*out = NULL;
	if (!r)
		return aims__oom();
	if ((err = aims__stmt_text_dup(&r->id, st, 0)) < 0 || (err = aims__stmt_text_dup(&r->system, st, 1)) < 0 ||
	    (err = aims__stmt_text_dup(&r->title, st, 2)) < 0 || (err = aims__stmt_text_dup(&r->category, st, 3)) < 0 ||
	    (err = aims__stmt_text_dup(&r->description, st, 4)) < 0 || (err = aims__stmt_text_dup(&r->owner, st, 5)) < 0 ||
	    (err = aims__stmt_text_dup(&r->treatment, st, 9)) < 0 ||
	    (err = aims__stmt_text_dup(&r->review_date, st, 13)) < 0 ||
	    (err = aims__stmt_text_dup(&r->source, st, 14)) < 0 || (err = aims__stmt_text_dup(&r->created_at, st, 15)) < 0 ||
	    (err = aims__stmt_text_dup(&r->updated_at, st, 16)) < 0) {
		aims_risk_free(r);
		return err;
	}
	r->likelihood = (int)aims__stmt_int64(st, 6);
	r->impact = (int)aims__stmt_int64(st, 7);
	r->score = (int)aims__stmt_int64(st, 8);
	r->res_likelihood = (int)aims__stmt_int64(st, 10);
	r->res_impact = (int)aims__stmt_int64(st, 11);
	r->res_score = (int)aims__stmt_int64(st, 12);
	*out = r;
	return 0;
}

/* the canonical snapshot of a risk as it is now (what an acceptance records) */
int aims__risk_snapshot(char **out, const aims_risk *r)
{
	json_t *o = NULL, *acts = NULL, *t = NULL;
	*out = NULL;
	if (!(acts = json_array()))
		return aims__oom();
	for (size_t i = 0; i < r->nactions; i++)
		if (json_array_append_new(acts, json_pack("{s:s, s:s}", "action", r->actions[i].action, "control",
							  r->actions[i].control)) < 0) {
			json_decref(acts);
			return aims__oom();
		}
	if (r->treatment)
		t = json_pack("{s:s, s:o}", "option", r->treatment, "actions", acts);
	else {
		json_decref(acts);
		t = json_null();
	}
	o = json_pack("{s:i, s:s, s:{s:i, s:i, s:i}, s:o, s:o, s:s, s:o}", "criteria_version", r->criteria_version,
		      "id", r->id, "inherent", "likelihood", r->likelihood, "impact", r->impact, "score", r->score,
		      "model", r->model ? json_string(r->model) : json_null(),
		      "residual", r->res_likelihood ? json_pack("{s:i, s:i, s:i}", "likelihood", r->res_likelihood,
								"impact", r->res_impact, "score", r->res_score)
						    : json_null(),
		      "system", r->system, "treatment", t);
	if (!o)
		return aims__oom();
	*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(o);
	return *out ? 0 : aims__oom();
}

/* compare the accepted snapshot with now: "score", "treatment", "model", comma-joined; NULL if equal */
static int snapshot_changes(char **changed, const char *then, const char *now)
{
	json_t *a = NULL, *b = NULL;
	aims_buf out = AIMS_BUF_INIT;
	int err = 0;
	*changed = NULL;
	if (!(a = json_loads(then, 0, NULL)) || !(b = json_loads(now, 0, NULL))) {
		err = aims__err(AIMS_ETAMPERED, "an acceptance snapshot is not valid JSON");
		goto done;
	}
	int score = !json_equal(json_object_get(a, "inherent"), json_object_get(b, "inherent")) ||
		    !json_equal(json_object_get(a, "residual"), json_object_get(b, "residual"));
	int treat = !json_equal(json_object_get(a, "treatment"), json_object_get(b, "treatment"));
	int model = !json_equal(json_object_get(a, "model"), json_object_get(b, "model"));
	if ((score && (err = aims_buf_puts(&out, "score")) < 0) ||
	    (treat && (err = aims_buf_printf(&out, "%streatment", out.len ? "," : "")) < 0) ||
	    (model && (err = aims_buf_printf(&out, "%smodel", out.len ? "," : "")) < 0))
		goto done;
	if (out.len && !(*changed = aims_buf_detach(&out, NULL)))
		err = aims__oom();
done:
	aims_buf_release(&out);
	json_decref(a);
	json_decref(b);
	return err;
}

/* actions, the latest acceptance, the system's model, and the derived status */
static int risk_complete(aims_risk *r, aims_store *store, const aims_risk_criteria *c)
{
	aims__stmt *st = NULL;
	char *snap = NULL;
	size_t cap = 0;
	int err;

	if ((err = aims__stmt_prepare(&st, store, "SELECT control, action FROM risk_actions WHERE risk = ? "
				      "ORDER BY seq")) < 0 || (err = aims__stmt_bind_text(st, 1, r->id)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&r->actions, &cap, r->nactions + 1, sizeof(*r->actions))) < 0)
			goto done;
		aims_risk_action *a = &r->actions[r->nactions];
		memset(a, 0, sizeof(*a));
		r->nactions++;
		if ((err = aims__stmt_text_dup(&a->control, st, 0)) < 0 || (err = aims__stmt_text_dup(&a->action, st, 1)) < 0)
			goto done;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	err = aims_system_current_model(&r->model, store, r->system, NULL);
	if (err == AIMS_ENOTFOUND) {
		/* the system was removed from the inventory: no model to compare */
		aims_error_clear();
		r->model = NULL;
	} else if (err < 0) {
		goto done;
	}
	r->criteria_version = c->version;
	if ((err = aims__stmt_prepare(&st, store, "SELECT seq, accepted_by, accepted_at, note, snapshot, digest, "
				      "invalidated_at, invalidated_by FROM risk_acceptances WHERE risk = ? "
				      "ORDER BY seq DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, r->id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		aims_risk_acceptance *a = aims__calloc(1, sizeof(*a));
		if (!a) {
			err = aims__oom();
			goto done;
		}
		r->acceptance = a;
		a->seq = (int)aims__stmt_int64(st, 0);
		if ((err = aims__stmt_text_dup(&a->accepted_by, st, 1)) < 0 || (err = aims__stmt_text_dup(&a->accepted_at, st, 2)) < 0 ||
		    (err = aims__stmt_text_dup(&a->note, st, 3)) < 0 || (err = aims__stmt_text_dup(&a->snapshot, st, 4)) < 0 ||
		    (err = aims__stmt_text_dup(&a->digest, st, 5)) < 0 || (err = aims__stmt_text_dup(&a->invalidated_at, st, 6)) < 0 ||
		    (err = aims__stmt_text_dup(&a->invalidated_by, st, 7)) < 0)
			goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	r->effective_score = r->res_likelihood ? r->res_score : r->score;
	r->above_tolerance = r->effective_score > c->tolerance;
	if (r->acceptance) {
		if ((err = aims__risk_snapshot(&snap, r)) < 0 ||
		    (err = snapshot_changes(&r->acceptance->changed, r->acceptance->snapshot, snap)) < 0)
			goto done;
		if (!r->acceptance->changed && r->acceptance->invalidated_by &&
		    !(r->acceptance->changed = aims__strdup(r->acceptance->invalidated_by))) {
			err = aims__oom();
			goto done;
		}
		r->acceptance->valid = !r->acceptance->changed && !r->acceptance->invalidated_at;
	}
	if (r->acceptance && r->acceptance->valid)
		r->status = "accepted";
	else if (r->above_tolerance)
		r->status = "awaiting acceptance";
	else
		r->status = r->treatment ? "treated" : "open";
	err = 0;
done:
	aims__free(snap);
	aims__stmt_free(st);
	return err;
}

int aims_risk_get(aims_risk **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	aims_risk *r = NULL;
	aims_risk_criteria c;
	int err;
	*out = NULL;
	if ((err = aims_risk_criteria_get(&c, store)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " RISK_COLS " FROM risks WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no risk '%s' (see 'aims risk list')", id);
		goto done;
	}
	if ((err = risk_from_row(&r, st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = risk_complete(r, store, &c)) < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	aims__stmt_free(st);
	aims_risk_free(r);
	return err;
}

int aims_risk_count(aims_risk_counts *out, aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	int err;
	memset(out, 0, sizeof(*out));
	if ((err = aims__stmt_prepare(&st, store, system ? "SELECT COUNT(*), COUNT(treatment) FROM risks WHERE system = ?"
						     : "SELECT COUNT(*), COUNT(treatment) FROM risks")) < 0 ||
	    (system && (err = aims__stmt_bind_text(st, 1, system)) < 0) || (err = aims__stmt_step(st)) < 0)
		goto done;
	out->risks = (size_t)aims__stmt_int64(st, 0);
	out->treated = (size_t)aims__stmt_int64(st, 1);
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims_risk_list(aims_risks **out, aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	aims_risks *l = NULL;
	aims_risk_criteria c;
	size_t cap = 0;
	int err;
	*out = NULL;
	if ((err = aims_risk_criteria_get(&c, store)) < 0)
		return err;
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, system ? "SELECT " RISK_COLS " FROM risks WHERE system = ? ORDER BY seq"
						    : "SELECT " RISK_COLS " FROM risks ORDER BY seq")) < 0 ||
	    (system && (err = aims__stmt_bind_text(st, 1, system)) < 0))
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		aims_risk *r = NULL;
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(aims_risk *))) < 0 ||
		    (err = risk_from_row(&r, st)) < 0)
			goto fail;
		l->items[l->count++] = r;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < l->count; i++)
		if ((err = risk_complete(l->items[i], store, &c)) < 0)
			goto fail;
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_risks_free(l);
	return err;
}

/* ---- writing ---- */

/*
 * The digest a risk's audit entries name: its stored rows (the risk, its
 * treatment actions, acceptances and reviews), so that a change made outside
 * aims (`update risks set score = 1`) shows. The acceptance snapshot, which
 * also covers the system's current model and the criteria in force, keeps
 * its own digest in risk_acceptances.
 */
static int rows_digest(char out[72], aims_store *store, const char *id)
{
	static const char *const labels[] = { "risks", "risk_actions", "risk_acceptances", "risk_reviews" };
	static const char *const sqls[] = {
		"SELECT id, seq, system, title, category, description, owner, likelihood, impact, score, treatment, "
		"res_likelihood, res_impact, res_score, review_date, source, created_at, updated_at FROM risks WHERE id = ?",
		"SELECT seq, control, action FROM risk_actions WHERE risk = ? ORDER BY seq",
		"SELECT seq, accepted_by, accepted_at, note, snapshot, digest, invalidated_at, invalidated_by FROM "
		"risk_acceptances WHERE risk = ? ORDER BY seq",
		"SELECT seq, reviewer, reviewed_at, note, next_review FROM risk_reviews WHERE risk = ? ORDER BY seq"
	};
	return aims__store_state_digest(out, store, "risk", id, labels, sqls, 4);
}

int aims__risk_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id FROM risks ORDER BY seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1)
		if ((err = rows_digest(dg, store, aims__stmt_text(st, 0))) < 0 ||
		    (err = emit(arg, "risk", aims__stmt_text(st, 0), dg, AIMS__STATE_LATEST)) < 0)
			break;
	aims__stmt_free(st);
	if (err < 0)
		return err;
	/* each version of the criteria: the digest of its scales and thresholds */
	if ((err = aims__stmt_prepare(&st, store, "SELECT " CRIT_COLS " FROM risk_criteria ORDER BY version")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		aims_risk_criteria c;
		char vid[16];
		criteria_from_row(&c, st);
		snprintf(vid, sizeof(vid), "%d", c.version);
		if ((err = criteria_digest(&c)) < 0 || (err = emit(arg, "risk-criteria", vid, c.digest, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/*
 * After a write to a risk: when a standing acceptance no longer matches,
 * mark it invalidated, then append the risk's audit entry (the digest of its
 * rows now) and the acceptance's. Runs inside the caller's transaction.
 */
int aims__risk_after_write(aims_store *store, const char *id, const char *action, const char *prev_digest)
{
	aims_risk *r = NULL;
	aims__stmt *st = NULL;
	char *snap = NULL, dg[72], rdg[72], now[32];
	int err, invalidated = 0;
	if ((err = aims_risk_get(&r, store, id)) < 0 || (err = aims__risk_snapshot(&snap, r)) < 0 ||
	    (err = aims_ledger_digest(dg, snap, strlen(snap))) < 0)
		goto done;
	if (r->acceptance && !r->acceptance->valid && !r->acceptance->invalidated_at) {
		aims__time_now(now);
		if ((err = aims__stmt_prepare(&st, store, "UPDATE risk_acceptances SET invalidated_at = ?, "
					      "invalidated_by = ? WHERE risk = ? AND seq = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, now)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, r->acceptance->changed)) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, id)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 4, r->acceptance->seq)) < 0 || (err = aims__stmt_step(st)) < 0)
			goto done;
		invalidated = 1;
	}
	/* the risk's entry names the digest of its rows (owner and title too), which verification recomputes */
	if ((err = rows_digest(rdg, store, id)) < 0 ||
	    (err = aims_ledger_append(store, action, "risk", id, rdg, prev_digest)) < 0)
		goto done;
	if (invalidated &&
	    (err = aims_ledger_append(store, "invalidate", "risk-acceptance", id, dg, r->acceptance->digest)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	aims__free(snap);
	aims_risk_free(r);
	return err;
}

static int current_digest(char out[72], aims_store *store, const char *id)
{
	return rows_digest(out, store, id);
}

static int check_level(const char *what, int v, int max)
{
	if (v < 1 || v > max)
		return aims__err(AIMS_EINVALID, "%s %d: not on the scale 1-%d of the risk criteria", what, v, max);
	return 0;
}

int aims_risk_add(char **id_out, aims_store *store, const aims_risk_new_opts *o)
{
	aims__stmt *st = NULL;
	aims_risk_criteria c;
	char id[32], now[32];
	int err, began = 0;

	if (id_out)
		*id_out = NULL;
	if (!o || o->version != AIMS_RISK_NEW_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_risk_new_opts version not supported");
	if ((err = aims__risk_line_ok("title", o->title, 200)) < 0 ||
	    (err = aims_principal_check_name(store, o->owner, "risk owner")) < 0)
		return err;
	if (!aims_risk_category_find(o->category))
		return aims__err(AIMS_EINVALID, "category '%s': not a category of the AI risk taxonomy (see 'aims risk "
				 "categories')", o->category ? o->category : "");
	if (o->description && (strlen(o->description) > 8000 || !aims__text_ok(o->description, 0)))
		return aims__err(AIMS_EINVALID, "description: printable text up to 8000 characters");
	if (o->review_date && !aims__risk_date_ok(o->review_date))
		return aims__err(AIMS_EINVALID, "review date '%s': expected YYYY-MM-DD", o->review_date);
	if ((err = aims_risk_criteria_get(&c, store)) < 0 || (err = check_level("likelihood", o->likelihood, c.likelihood_max)) < 0 ||
	    (err = check_level("impact", o->impact, c.impact_max)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__risk_system_check(store, o->system)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM risks")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	int64_t seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	st = NULL;
	snprintf(id, sizeof(id), "RISK-%03lld", (long long)seq);
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO risks (id, seq, system, title, category, description, "
				      "owner, likelihood, impact, score, review_date, source, created_at, updated_at) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, o->system)) < 0 || (err = aims__stmt_bind_text(st, 4, o->title)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, o->category)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, o->description)) < 0 || (err = aims__stmt_bind_text(st, 7, o->owner)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 8, o->likelihood)) < 0 || (err = aims__stmt_bind_int64(st, 9, o->impact)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 10, aims_risk_score(&c, o->likelihood, o->impact))) < 0 ||
	    (err = aims__stmt_bind_text(st, 11, o->review_date)) < 0 ||
	    (err = aims__stmt_bind_text(st, 12, o->source ? o->source : "manual")) < 0 ||
	    (err = aims__stmt_bind_text(st, 13, now)) < 0 || (err = aims__stmt_bind_text(st, 14, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims__risk_after_write(store, id, "create", NULL)) < 0)
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
	return err;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int aims_risk_set(int *changed, aims_store *store, const char *id, const aims_risk_set_opts *o)
{
	aims_risk *r = NULL;
	aims__stmt *st = NULL;
	char prev[72], now[32];
	int err, began = 0;

	if (changed)
		*changed = 0;
	if (!o || o->version != AIMS_RISK_SET_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_risk_set_opts version not supported");
	if (!o->title && !o->description && !o->category && !o->owner && !o->review_date)
		return aims__err(AIMS_EINVALID, "%s: nothing to change (give a title, description, category, owner or "
				 "review date)", id);
	if ((o->title && (err = aims__risk_line_ok("title", o->title, 200)) < 0) ||
	    (o->owner && (err = aims_principal_check_name(store, o->owner, "risk owner")) < 0))
		return err;
	if (o->category && !aims_risk_category_find(o->category))
		return aims__err(AIMS_EINVALID, "category '%s': not a category of the AI risk taxonomy (see 'aims risk "
				 "categories')", o->category);
	if (o->description && *o->description && (strlen(o->description) > 8000 || !aims__text_ok(o->description, 0)))
		return aims__err(AIMS_EINVALID, "description: printable text up to 8000 characters");
	if (o->review_date && !aims__risk_date_ok(o->review_date))
		return aims__err(AIMS_EINVALID, "review date '%s': expected YYYY-MM-DD", o->review_date);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_risk_get(&r, store, id)) < 0 || (err = current_digest(prev, store, id)) < 0)
		goto done;
	const char *title = o->title ? o->title : r->title;
	const char *desc = o->description ? (*o->description ? o->description : NULL) : r->description;
	const char *cat = o->category ? o->category : r->category;
	const char *owner = o->owner ? o->owner : r->owner;
	const char *review = o->review_date ? o->review_date : r->review_date;
	if (same(title, r->title) && same(desc, r->description) && same(cat, r->category) && same(owner, r->owner) &&
	    same(review, r->review_date)) {
		err = aims_store_commit(store);
		began = 0;
		goto done;
	}
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE risks SET title = ?, description = ?, category = ?, owner = ?, "
				      "review_date = ?, updated_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, title)) < 0 || (err = aims__stmt_bind_text(st, 2, desc)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, cat)) < 0 || (err = aims__stmt_bind_text(st, 4, owner)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, review)) < 0 || (err = aims__stmt_bind_text(st, 6, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	/* the audit entry covers the record (owner, title, ...); a stale acceptance is recorded as on every write */
	if ((err = aims__risk_after_write(store, id, "update", prev)) < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (changed)
		*changed = 1;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	aims_risk_free(r);
	return err;
}

static int control_ok(const aims_catalog *cat, const char *control)
{
	const aims_requirement *req = aims_catalog_find(cat, control);
	if (!req || strcmp(req->kind, "control") != 0)
		return aims__err(AIMS_EINVALID, "control '%s': not an ISO/IEC 42001 Annex A control (e.g. A.6.2.4)",
				 control ? control : "");
	return 0;
}

int aims_risk_treat(aims_store *store, const char *id, const aims_risk_treat_opts *o)
{
	aims_catalog *cat = NULL;
	aims_risk_criteria c;
	aims__stmt *st = NULL;
	char prev[72], now[32];
	int err, began = 0;

	if (!o || o->version != AIMS_RISK_TREAT_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_risk_treat_opts version not supported");
	if (!o->option || !aims__in_list(o->option, aims_risk_treatments, 4))
		return aims__err(AIMS_EINVALID, "treatment option '%s': use modify, avoid, share or retain",
				 o->option ? o->option : "");
	if (o->nactions > 64)
		return aims__err(AIMS_EINVALID, "at most 64 treatment actions");
	if ((o->res_likelihood == 0) != (o->res_impact == 0))
		return aims__err(AIMS_EINVALID, "residual estimate: give both likelihood and impact");
	if ((err = aims_risk_criteria_get(&c, store)) < 0)
		return err;
	if (o->res_likelihood && ((err = check_level("residual likelihood", o->res_likelihood, c.likelihood_max)) < 0 ||
				  (err = check_level("residual impact", o->res_impact, c.impact_max)) < 0))
		return err;
	if ((err = aims_catalog_read(&cat, store, ISO42001)) < 0) {
		if (err == AIMS_ENOTFOUND)
			aims__err_prefix("treatment actions link to ISO/IEC 42001 controls (run 'aims init')");
		return err;
	}
	for (size_t i = 0; i < o->nactions; i++) {
		char what[32];
		snprintf(what, sizeof(what), "action %zu", i + 1);
		if ((err = control_ok(cat, o->controls[i])) < 0 || (err = aims__risk_line_ok(what, o->actions[i], 1000)) < 0)
			goto done;
	}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = current_digest(prev, store, id)) < 0)
		goto done;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE risks SET treatment = ?, res_likelihood = ?, res_impact = ?, "
				      "res_score = ?, updated_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, o->option)) < 0 ||
	    (err = o->res_likelihood ? aims__stmt_bind_int64(st, 2, o->res_likelihood) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = o->res_likelihood ? aims__stmt_bind_int64(st, 3, o->res_impact) : aims__stmt_bind_null(st, 3)) < 0 ||
	    (err = o->res_likelihood ? aims__stmt_bind_int64(st, 4, aims_risk_score(&c, o->res_likelihood, o->res_impact))
				     : aims__stmt_bind_null(st, 4)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, now)) < 0 || (err = aims__stmt_bind_text(st, 6, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store, "DELETE FROM risk_actions WHERE risk = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < o->nactions; i++) {
		if ((err = aims__stmt_prepare(&st, store, "INSERT INTO risk_actions (risk, seq, control, action) VALUES "
					      "(?, ?, ?, ?)")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, (int64_t)i + 1)) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, o->controls[i])) < 0 ||
		    (err = aims__stmt_bind_text(st, 4, o->actions[i])) < 0 || (err = aims__stmt_step(st)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
	}
	if ((err = aims__risk_after_write(store, id, "treat", prev)) < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	aims_catalog_free(cat);
	return err;
}

int aims_risk_accept(aims_store *store, const char *id, const char *note)
{
	const aims_principal *who = aims_store_principal(store);
	const char *actor = aims_store_actor(store);
	aims_risk *r = NULL;
	aims__stmt *st = NULL;
	char *snap = NULL, dg[72], now[32], prev_dg[72], now_dg[72];
	int err, began = 0;

	if (who->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "%s: accepting a risk needs an authenticated principal", id);
	if (note && (err = aims__risk_line_ok("note", note, 1000)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_risk_get(&r, store, id)) < 0)
		goto done;
	/* ISO/IEC 42001 6.1.3 f): residual risks are accepted by the risk owner, no one else; the owner is
	 * a principal (an account, or os:LOGIN) and is compared with the authenticated one, never with text
	 * the caller chose */
	if (!aims_principal_is(who, r->owner)) {
		err = aims__err(AIMS_EPERM, "%s: only its risk owner '%s' can accept it, not '%s'", id, r->owner, actor);
		goto done;
	}
	if (r->acceptance && r->acceptance->valid) {
		err = aims__err(AIMS_ECONFLICT, "%s is accepted already (by %s on %s) and has not changed since", id,
				r->acceptance->accepted_by, r->acceptance->accepted_at);
		goto done;
	}
	if ((err = aims__risk_snapshot(&snap, r)) < 0 || (err = aims_ledger_digest(dg, snap, strlen(snap))) < 0 ||
	    (err = rows_digest(prev_dg, store, id)) < 0)
		goto done;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO risk_acceptances (risk, seq, accepted_by, accepted_at, "
				      "note, snapshot, digest) VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, r->acceptance ? r->acceptance->seq + 1 : 1)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, actor)) < 0 || (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, note)) < 0 || (err = aims__stmt_bind_text(st, 6, snap)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, dg)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = rows_digest(now_dg, store, id)) < 0 ||
	    (err = aims_ledger_append(store, "accept", "risk", id, now_dg, prev_dg)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	aims__free(snap);
	aims_risk_free(r);
	return err;
}

int aims_risk_review(aims_store *store, const char *id, const aims_risk_review_opts *o)
{
	aims_risk *r = NULL;
	aims_risk_criteria c;
	aims__stmt *st = NULL;
	char prev[72], now[32];
	int err, began = 0;

	if (!o || o->version != AIMS_RISK_REVIEW_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_risk_review_opts version not supported");
	if (o->next_review && !aims__risk_date_ok(o->next_review))
		return aims__err(AIMS_EINVALID, "next review '%s': expected YYYY-MM-DD", o->next_review);
	if (o->note && (err = aims__risk_line_ok("note", o->note, 1000)) < 0)
		return err;
	if ((o->likelihood == 0) != (o->impact == 0) || (o->res_likelihood == 0) != (o->res_impact == 0))
		return aims__err(AIMS_EINVALID, "re-scoring: give both likelihood and impact");
	if ((err = aims_risk_criteria_get(&c, store)) < 0)
		return err;
	if ((o->likelihood && ((err = check_level("likelihood", o->likelihood, c.likelihood_max)) < 0 ||
			       (err = check_level("impact", o->impact, c.impact_max)) < 0)) ||
	    (o->res_likelihood && ((err = check_level("residual likelihood", o->res_likelihood, c.likelihood_max)) < 0 ||
				   (err = check_level("residual impact", o->res_impact, c.impact_max)) < 0)))
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_risk_get(&r, store, id)) < 0 || (err = current_digest(prev, store, id)) < 0)
		goto done;
	int l = o->likelihood ? o->likelihood : r->likelihood, i = o->likelihood ? o->impact : r->impact;
	int rl = o->res_likelihood ? o->res_likelihood : r->res_likelihood;
	int ri = o->res_likelihood ? o->res_impact : r->res_impact;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE risks SET likelihood = ?, impact = ?, score = ?, "
				      "res_likelihood = ?, res_impact = ?, res_score = ?, review_date = ?, updated_at = ? "
				      "WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, l)) < 0 || (err = aims__stmt_bind_int64(st, 2, i)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, aims_risk_score(&c, l, i))) < 0 ||
	    (err = rl ? aims__stmt_bind_int64(st, 4, rl) : aims__stmt_bind_null(st, 4)) < 0 ||
	    (err = rl ? aims__stmt_bind_int64(st, 5, ri) : aims__stmt_bind_null(st, 5)) < 0 ||
	    (err = rl ? aims__stmt_bind_int64(st, 6, aims_risk_score(&c, rl, ri)) : aims__stmt_bind_null(st, 6)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, o->next_review ? o->next_review : r->review_date)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, now)) < 0 || (err = aims__stmt_bind_text(st, 9, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO risk_reviews (risk, seq, reviewer, reviewed_at, note, "
				      "next_review) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM risk_reviews "
				      "WHERE risk = ?), ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, now)) < 0 || (err = aims__stmt_bind_text(st, 5, o->note)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, o->next_review)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims__risk_after_write(store, id, "review", prev)) < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	aims_risk_free(r);
	return err;
}

/* ---- crosswalk view of a control ---- */

void aims_risk_strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		aims__free(v[i]);
	aims__free(v);
}

static int one_hop_targets(char ***out, size_t *count, aims_store *store, const char *control, const char *fw)
{
	aims_path_list *pl = NULL;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int err;
	*out = NULL;
	*count = 0;
	err = aims_map_paths(&pl, store, ISO42001, control, fw, NULL);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		return 0;
	}
	if (err < 0)
		return err;
	for (size_t i = 0; i < pl->count; i++) {
		const aims_path *p = &pl->items[i];
		if (p->nhops != 1 || p->support == AIMS_SUPPORT_NONE)
			continue;
		const char *t = p->hops[0].to_id;
		int seen = 0;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(v[k], t) == 0;
		if (seen)
			continue;
		if ((err = aims__grow(&v, &cap, n + 1, sizeof(*v))) < 0)
			goto fail;
		if (!(v[n] = aims__strdup(t))) {
			err = aims__oom();
			goto fail;
		}
		n++;
	}
	aims_path_list_free(pl);
	*out = v;
	*count = n;
	return 0;
fail:
	aims_path_list_free(pl);
	aims_risk_strings_free(v, n);
	return err;
}

int aims_risk_control_links(char ***iso27001, size_t *n27, char ***aiact, size_t *nact, aims_store *store,
			    const char *control)
{
	int err;
	*aiact = NULL;
	*nact = 0;
	if ((err = one_hop_targets(iso27001, n27, store, control, "iso27001-2022")) < 0)
		return err;
	if ((err = one_hop_targets(aiact, nact, store, control, "eu-ai-act-2024")) < 0) {
		aims_risk_strings_free(*iso27001, *n27);
		*iso27001 = NULL;
		*n27 = 0;
	}
	return err;
}
