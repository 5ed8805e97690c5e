/*
 * Policies as code (policy.h): a policy file is read with the answers-file
 * reader (risk/answers.h: YAML through libyaml or JSON, every value with
 * its line), checked key by key so that each refusal names the file, the
 * line and the key, and turned into a canonical JSON form whose digest
 * identifies the policy's content. Stored versions keep the file as given;
 * reading one back parses it again and compares the digest, so a policy
 * edited in the store is noticed (AIMS_ETAMPERED). Format: docs/oversight.md.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/auth.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "aims/policy.h"
#include "audit/state.h"
#include "core/core.h"
#include "core/json.h"
#include "risk/answers.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *const aims_policy_stages[] = { "validation", "approved", "deployed", "retired", NULL };

static const char *const tiers[] = { "prohibited", "high-risk", "limited-risk", "minimal-risk" };
static const char *const eval_kinds[] = { "fairness", "performance", "drift" };

int aims_policy_stage_index(const char *name)
{
	for (int i = 0; name && i < AIMS_POLICY_NSTAGES; i++)
		if (strcmp(name, aims_policy_stages[i]) == 0)
			return i;
	return -1;
}

/* ---- freeing ---- */

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		aims__free(v[i]);
	aims__free(v);
}

static void approvals_free(aims_policy_approval *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++)
		aims__free(a[i].role);
	aims__free(a);
}

static void stage_release(aims_policy_stage *s)
{
	approvals_free(s->approvals, s->napprovals);
	for (size_t i = 0; s->evaluations && i < s->nevaluations; i++) {
		aims_policy_eval *e = &s->evaluations[i];
		aims__free(e->kind);
		for (size_t k = 0; e->thresholds && k < e->nthresholds; k++) {
			aims__free(e->thresholds[k].metric);
			aims__free(e->thresholds[k].text);
		}
		aims__free(e->thresholds);
	}
	aims__free(s->evaluations);
	strings_free(s->aiact_keys, s->naiact_keys);
	memset(s, 0, sizeof(*s));
}

void aims_policy_free(aims_policy *p)
{
	if (!p)
		return;
	aims__free(p->name);
	aims__free(p->description);
	strings_free(p->systems, p->nsystems);
	aims__free(p->system_lines);
	strings_free(p->tiers, p->ntiers);
	for (int i = 0; i < AIMS_POLICY_NSTAGES; i++)
		stage_release(&p->stages[i]);
	approvals_free(p->exception_approvals, p->nexception_approvals);
	aims__free(p->review.output_field);
	strings_free(p->review.output_classes, p->review.noutput_classes);
	for (size_t i = 0; p->review.inputs && i < p->review.ninputs; i++) {
		aims__free(p->review.inputs[i].field);
		strings_free(p->review.inputs[i].values, p->review.inputs[i].nvalues);
	}
	aims__free(p->review.inputs);
	aims__free(p->canonical);
	aims__free(p->status);
	aims__free(p->source);
	aims__free(p->source_digest);
	aims__free(p->body);
	aims__free(p->actor);
	aims__free(p->created_at);
	aims__free(p);
}

void aims_policies_free(aims_policies *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		aims_policy_free(l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

/* ---- typed getters on top of the answers reader ---- */

static void path_of(char *out, size_t size, const char *prefix, const char *key)
{
	aims__json_join_path(out, size, prefix, key);
}

static int is_scalar_text(const aims__ans *v)
{
	return v->kind == AIMS__ANS_SCALAR && v->vtype != AIMS__VAL_NULL && v->vtype != AIMS__VAL_BOOL;
}

/* an integer in [min, max] */
static int get_int(int64_t *out, const aims__ans_doc *d, const aims__ans *m, const char *prefix, const char *key,
		   int64_t min, int64_t max)
{
	const aims__ans *v = aims__ans_get(m, key);
	char path[256];
	path_of(path, sizeof(path), prefix, key);
	if (!v)
		return aims__ans_err(d, m, path, "missing");
	if (v->kind != AIMS__ANS_SCALAR || v->vtype != AIMS__VAL_INT)
		return aims__ans_err(d, v, path, "wrong type: expected a whole number from %lld to %lld",
				     (long long)min, (long long)max);
	errno = 0;
	char *end = NULL;
	long long x = strtoll(v->text, &end, 10);
	if (errno || *end || x < min || x > max)
		return aims__ans_err(d, v, path, "'%s' is not a whole number from %lld to %lld", v->text,
				     (long long)min, (long long)max);
	*out = x;
	return 0;
}

/* a number in [min, max] (ints too) */
static int get_num(double *out, const aims__ans_doc *d, const aims__ans *m, const char *prefix, const char *key,
		   double min, double max)
{
	const aims__ans *v = aims__ans_get(m, key);
	char path[256];
	path_of(path, sizeof(path), prefix, key);
	if (!v)
		return aims__ans_err(d, m, path, "missing");
	if (v->kind != AIMS__ANS_SCALAR || (v->vtype != AIMS__VAL_INT && v->vtype != AIMS__VAL_NUM))
		return aims__ans_err(d, v, path, "wrong type: expected a number from %g to %g", min, max);
	errno = 0;
	char *end = NULL;
	double x = strtod(v->text, &end);
	if (errno || *end || !isfinite(x) || x < min || x > max)
		return aims__ans_err(d, v, path, "'%s' is not a number from %g to %g", v->text, min, max);
	*out = x;
	return 0;
}

/* a boolean (true/false) */
static int get_bool(int *out, const aims__ans_doc *d, const aims__ans *m, const char *prefix, const char *key)
{
	return aims__ans_bool(out, d, m, prefix, key);
}

/* [A-Za-z0-9_-]+ segments separated by '.', at most 4 of them and 128 bytes */
static int field_path_ok(const char *s)
{
	size_t n = strlen(s), seg = 0, segs = 1;
	if (n == 0 || n > 128)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p == '.') {
			if (seg == 0)
				return 0;
			seg = 0;
			segs++;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return 0;
		seg++;
	}
	return seg > 0 && segs <= 4;
}

static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > AIMS_POLICY_NAME_MAX)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

/* a list of one-line texts; each checked by `ok` (may be NULL) which names what is expected */
static int get_texts(char ***out, size_t *n, int **lines, const aims__ans_doc *d, const aims__ans *m,
		     const char *prefix, const char *key, size_t min_items, int (*ok)(const char *),
		     const char *expected)
{
	const aims__ans *seq;
	char path[256];
	int err;
	*out = NULL;
	*n = 0;
	if ((err = aims__ans_seq(&seq, d, m, prefix, key, min_items)) < 0)
		return err;
	if (seq->count > 1000) {
		path_of(path, sizeof(path), prefix, key);
		return aims__ans_err(d, seq, path, "more than 1000 items");
	}
	if (seq->count == 0)
		return 0;
	char **v = aims__calloc(seq->count, sizeof(*v));
	int *ln = lines ? aims__calloc(seq->count, sizeof(*ln)) : NULL;
	if (!v || (lines && !ln)) {
		aims__free(v);
		aims__free(ln);
		return aims__oom();
	}
	for (size_t i = 0; i < seq->count; i++) {
		const aims__ans *it = seq->items[i];
		char p2[300];
		path_of(path, sizeof(path), prefix, key);
		snprintf(p2, sizeof(p2), "%s[%zu]", path, i);
		if (!is_scalar_text(it) || !aims__text_ok(it->text, 1) || strlen(it->text) > 256) {
			err = aims__ans_err(d, it, p2, "expected %s", expected);
			goto fail;
		}
		if (ok && !ok(it->text)) {
			err = aims__ans_err(d, it, p2, "'%s' is not %s", it->text, expected);
			goto fail;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(v[k], it->text) == 0) {
				err = aims__ans_err(d, it, p2, "'%s' is listed twice", it->text);
				goto fail;
			}
		if (!(v[i] = aims__strdup(it->text))) {
			err = aims__oom();
			goto fail;
		}
		if (ln)
			ln[i] = it->line;
	}
	*out = v;
	*n = seq->count;
	if (lines)
		*lines = ln;
	return 0;
fail:
	strings_free(v, seq->count);
	aims__free(ln);
	return err;
}

static int system_name_ok(const char *s)
{
	return aims_system_name_valid(s);
}

static int tier_ok(const char *s)
{
	return aims__in_list(s, tiers, N(tiers));
}

static int obligation_ok(const char *s)
{
	for (size_t i = 0; i < aims_aiact_obligation_count(); i++)
		if (strcmp(aims_aiact_obligation_at(i)->key, s) == 0)
			return 1;
	return 0;
}

/* approvals: a list of {role, count} with distinct roles */
static int get_approvals(aims_policy_approval **out, size_t *n, const aims__ans_doc *d, const aims__ans *m,
			 const char *prefix, const char *key)
{
	static const char *const keys[] = { "role", "count" };
	const aims__ans *seq;
	char path[256];
	int err;
	*out = NULL;
	*n = 0;
	if ((err = aims__ans_seq(&seq, d, m, prefix, key, 1)) < 0)
		return err;
	path_of(path, sizeof(path), prefix, key);
	if (seq->count > AIMS_ROLE_COUNT)
		return aims__ans_err(d, seq, path, "at most %d items (one per role)", AIMS_ROLE_COUNT);
	aims_policy_approval *a = aims__calloc(seq->count, sizeof(*a));
	if (!a)
		return aims__oom();
	for (size_t i = 0; i < seq->count; i++) {
		const aims__ans *it = seq->items[i];
		const aims__ans *rv;
		char p[300];
		int64_t count = 0;
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (it->kind != AIMS__ANS_MAP) {
			err = aims__ans_err(d, it, p, "wrong type: expected a mapping with role and count");
			goto fail;
		}
		if ((err = aims__ans_keys(d, it, p, keys, N(keys), keys, N(keys))) < 0 ||
		    (err = get_int(&count, d, it, p, "count", 1, 20)) < 0)
			goto fail;
		rv = aims__ans_get(it, "role");
		char rp[320];
		snprintf(rp, sizeof(rp), "%s.role", p);
		if (!is_scalar_text(rv) || !aims_role_bit(rv->text)) {
			aims_buf roles = AIMS_BUF_INIT;
			(void)aims_roles_format(&roles, AIMS_ROLES_ALL);
			err = aims__ans_err(d, rv, rp, "'%s' is not a role (roles: %s)", is_scalar_text(rv) ? rv->text : "",
					    roles.ptr ? roles.ptr : "");
			aims_buf_release(&roles);
			goto fail;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(a[k].role, rv->text) == 0) {
				err = aims__ans_err(d, rv, rp, "role '%s' is listed twice: give one count per role", rv->text);
				goto fail;
			}
		if (!(a[i].role = aims__strdup(rv->text))) {
			err = aims__oom();
			goto fail;
		}
		a[i].bit = aims_role_bit(rv->text);
		a[i].count = (int)count;
	}
	*out = a;
	*n = seq->count;
	return 0;
fail:
	approvals_free(a, seq->count);
	return err;
}

/* "metric op number" into t; AIMS_EINVALID with why[] saying what is wrong */
static int threshold_parse(aims_policy_threshold *t, const char *s, char *why, size_t whysize)
{
	static const char *const ops[] = { ">=", "<=", "==", ">", "<" };
	char metric[96];
	const char *p = s;
	size_t mn = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	memset(t, 0, sizeof(*t));
	if (mn == 0 || mn >= sizeof(metric)) {
		snprintf(why, whysize, "'%s': expected METRIC OP NUMBER, e.g. 'roc_auc >= 0.75'", s);
		return AIMS_EINVALID;
	}
	memcpy(metric, p, mn);
	metric[mn] = '\0';
	p += mn;
	p += strspn(p, " ");
	const char *op = NULL;
	for (size_t i = 0; i < N(ops); i++)
		if (strncmp(p, ops[i], strlen(ops[i])) == 0) {
			op = ops[i];
			break;
		}
	if (!op) {
		snprintf(why, whysize, "'%s': expected one of >=, >, <=, <, == after '%s'", s, metric);
		return AIMS_EINVALID;
	}
	p += strlen(op);
	p += strspn(p, " ");
	errno = 0;
	char *end = NULL;
	double v = strtod(p, &end);
	if (!*p || errno || !end || !isfinite(v) || end[strspn(end, " ")] != '\0' || (*p != '-' && *p != '.' &&
										     (*p < '0' || *p > '9'))) {
		snprintf(why, whysize, "'%s': expected a number after '%s'", s, op);
		return AIMS_EINVALID;
	}
	char text[160];
	snprintf(text, sizeof(text), "%s %s %.15g", metric, op, v);
	if (!(t->metric = aims__strdup(metric)) || !(t->text = aims__strdup(text))) {
		aims_policy_threshold_release(t);
		return aims__oom();
	}
	snprintf(t->op, sizeof(t->op), "%s", op);
	t->value = v;
	return 0;
}

int aims_policy_threshold_parse(aims_policy_threshold *t, const char *s)
{
	char why[256];
	int err = threshold_parse(t, s ? s : "", why, sizeof(why));
	return err == AIMS_EINVALID ? aims__err(AIMS_EINVALID, "%s", why) : err;
}

void aims_policy_threshold_release(aims_policy_threshold *t)
{
	if (!t)
		return;
	aims__free(t->metric);
	aims__free(t->text);
	t->metric = t->text = NULL;
}

static int holds(double v, const char *op, double t)
{
	if (strcmp(op, ">=") == 0)
		return v >= t;
	if (strcmp(op, ">") == 0)
		return v > t;
	if (strcmp(op, "<=") == 0)
		return v <= t;
	if (strcmp(op, "<") == 0)
		return v < t;
	return v == t;
}

/* each value of `metric` in an evaluation's results: top level, each sensitive attribute, each tested column */
typedef struct {
	const char *label;      /* the attribute or column, NULL at the top level */
	json_t *value;          /* number or null */
} mval;

static size_t metric_values(mval *out, size_t max, json_t *res, const char *metric)
{
	size_t n = 0, i;
	json_t *v = json_object_get(res, metric), *e;
	if (v && (json_is_number(v) || json_is_null(v))) {
		out[n].label = NULL;
		out[n++].value = v;
		return n;
	}
	json_array_foreach(json_object_get(res, "sensitive"), i, e) {
		json_t *x = json_object_get(e, metric);
		if (x && (json_is_number(x) || json_is_null(x)) && n < max) {
			out[n].label = json_string_value(json_object_get(e, "name"));
			out[n++].value = x;
		}
	}
	json_array_foreach(json_object_get(res, "columns"), i, e) {
		json_t *x = json_object_get(json_object_get(e, "statistics"), metric);
		/* a statistic that does not apply to the column's type is null there: not a value */
		if (json_is_number(x) && n < max) {
			out[n].label = json_string_value(json_object_get(e, "name"));
			out[n++].value = x;
		}
	}
	return n;
}

int aims_policy_threshold_apply(size_t *found, char *bad, size_t badsize, const aims_policy_threshold *t,
				json_t *results)
{
	mval vals[256];
	size_t n = metric_values(vals, 256, results, t->metric), used = 0;
	int met = n > 0;
	if (badsize)
		bad[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (json_is_number(vals[i].value) && holds(json_number_value(vals[i].value), t->op, t->value))
			continue;
		met = 0;
		char val[64];
		if (json_is_number(vals[i].value))
			snprintf(val, sizeof(val), "%.6g", json_number_value(vals[i].value));
		else
			snprintf(val, sizeof(val), "undefined");
		if (used < badsize) {
			int w = snprintf(bad + used, badsize - used, "%s%s%s%s %s", used ? "; " : "",
					 vals[i].label ? vals[i].label : "", vals[i].label ? ": " : "", t->metric, val);
			if (w > 0)
				used += (size_t)w;
		}
	}
	*found = n;
	return met;
}

static int parse_threshold(aims_policy_threshold *t, const aims__ans_doc *d, const aims__ans *at, const char *path)
{
	const char *s = is_scalar_text(at) ? at->text : NULL;
	char why[256];
	if (!s)
		return aims__ans_err(d, at, path, "expected a threshold such as 'roc_auc >= 0.75'");
	int err = threshold_parse(t, s, why, sizeof(why));
	return err == AIMS_EINVALID ? aims__ans_err(d, at, path, "%s", why) : err;
}

static int get_evaluations(aims_policy_stage *st, const aims__ans_doc *d, const aims__ans *m, const char *prefix)
{
	static const char *const keys[] = { "kind", "max_age_days", "thresholds" };
	static const char *const req[] = { "kind", "max_age_days" };
	const aims__ans *seq;
	char path[256];
	int err;
	if ((err = aims__ans_seq(&seq, d, m, prefix, "evaluations", 1)) < 0)
		return err;
	path_of(path, sizeof(path), prefix, "evaluations");
	if (seq->count > 16)
		return aims__ans_err(d, seq, path, "at most 16 evaluations");
	if (!(st->evaluations = aims__calloc(seq->count, sizeof(*st->evaluations))))
		return aims__oom();
	st->nevaluations = seq->count;
	for (size_t i = 0; i < seq->count; i++) {
		const aims__ans *it = seq->items[i], *th;
		aims_policy_eval *e = &st->evaluations[i];
		const char *kind;
		int64_t days = 0;
		char p[300];
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (it->kind != AIMS__ANS_MAP)
			return aims__ans_err(d, it, p, "wrong type: expected a mapping with kind, max_age_days and "
					     "thresholds");
		if ((err = aims__ans_keys(d, it, p, keys, N(keys), req, N(req))) < 0 ||
		    (err = aims__ans_enum(&kind, d, it, p, "kind", eval_kinds, N(eval_kinds))) < 0 ||
		    (err = get_int(&days, d, it, p, "max_age_days", 1, 3650)) < 0)
			return err;
		for (size_t k = 0; k < i; k++)
			if (strcmp(st->evaluations[k].kind, kind) == 0) {
				char kp[320];
				snprintf(kp, sizeof(kp), "%s.kind", p);
				return aims__ans_err(d, aims__ans_get(it, "kind"), kp, "'%s' is listed twice", kind);
			}
		if (!(e->kind = aims__strdup(kind)))
			return aims__oom();
		e->max_age_days = (int)days;
		if (!aims__ans_get(it, "thresholds"))
			continue;
		if ((err = aims__ans_seq(&th, d, it, p, "thresholds", 0)) < 0)
			return err;
		if (th->count > 32) {
			char tp[320];
			snprintf(tp, sizeof(tp), "%s.thresholds", p);
			return aims__ans_err(d, th, tp, "at most 32 thresholds");
		}
		if (th->count && !(e->thresholds = aims__calloc(th->count, sizeof(*e->thresholds))))
			return aims__oom();
		for (size_t k = 0; k < th->count; k++) {
			char tp[340];
			snprintf(tp, sizeof(tp), "%s.thresholds[%zu]", p, k);
			e->nthresholds = k + 1;
			if ((err = parse_threshold(&e->thresholds[k], d, th->items[k], tp)) < 0)
				return err;
		}
	}
	return 0;
}

static int get_stage(aims_policy_stage *st, const aims__ans_doc *d, const aims__ans *m, const char *prefix)
{
	static const char *const keys[] = { "approvals", "impact_assessment", "evaluations", "risks_within_tolerance",
					    "aiact_obligations" };
	const aims__ans *v;
	int err;
	if (m->kind != AIMS__ANS_MAP)
		return aims__ans_err(d, m, prefix, "wrong type: expected a mapping of conditions (%s, %s, %s, %s, %s)",
				     keys[0], keys[1], keys[2], keys[3], keys[4]);
	if ((err = aims__ans_keys(d, m, prefix, keys, N(keys), NULL, 0)) < 0)
		return err;
	if (m->count == 0)
		return aims__ans_err(d, m, prefix, "no conditions: give at least one of %s, %s, %s, %s, %s", keys[0],
				     keys[1], keys[2], keys[3], keys[4]);
	st->present = 1;
	if (aims__ans_get(m, "approvals") &&
	    (err = get_approvals(&st->approvals, &st->napprovals, d, m, prefix, "approvals")) < 0)
		return err;
	if (aims__ans_get(m, "impact_assessment") &&
	    (err = get_bool(&st->impact_assessment, d, m, prefix, "impact_assessment")) < 0)
		return err;
	if (aims__ans_get(m, "risks_within_tolerance") &&
	    (err = get_bool(&st->risks_within_tolerance, d, m, prefix, "risks_within_tolerance")) < 0)
		return err;
	if (aims__ans_get(m, "evaluations") && (err = get_evaluations(st, d, m, prefix)) < 0)
		return err;
	if ((v = aims__ans_get(m, "aiact_obligations"))) {
		char path[256];
		path_of(path, sizeof(path), prefix, "aiact_obligations");
		if (v->kind == AIMS__ANS_SCALAR) {
			if (!is_scalar_text(v) || strcmp(v->text, "all") != 0)
				return aims__ans_err(d, v, path, "expected 'all' or a list of obligation keys (e.g. "
						     "art14-human-oversight)");
			st->aiact_all = 1;
		} else if ((err = get_texts(&st->aiact_keys, &st->naiact_keys, NULL, d, m, prefix, "aiact_obligations",
					    1, obligation_ok, "an EU AI Act obligation key (see docs/aiact.md)")) < 0) {
			return err;
		}
	}
	return 0;
}

static int get_review(aims_policy_review *r, const aims__ans_doc *d, const aims__ans *m)
{
	static const char *const keys[] = { "confidence_below", "output_field", "output_classes", "input",
					    "sample_rate", "seed", "due_days" };
	const aims__ans *v;
	int err;
	if (m->kind != AIMS__ANS_MAP)
		return aims__ans_err(d, m, "review", "wrong type: expected a mapping of selection rules");
	if ((err = aims__ans_keys(d, m, "review", keys, N(keys), NULL, 0)) < 0)
		return err;
	r->present = 1;
	if (aims__ans_get(m, "confidence_below")) {
		if ((err = get_num(&r->confidence_below, d, m, "review", "confidence_below", 0, 1)) < 0)
			return err;
		if (r->confidence_below <= 0)
			return aims__ans_err(d, aims__ans_get(m, "confidence_below"), "review.confidence_below",
					     "must be above 0 (a confidence below 0 never occurs)");
		r->has_confidence = 1;
	}
	if ((v = aims__ans_get(m, "output_field"))) {
		if (!is_scalar_text(v) || !field_path_ok(v->text))
			return aims__ans_err(d, v, "review.output_field", "expected a field name (A-Z a-z 0-9 _ -, "
					     "dotted for nested objects, e.g. decision)");
		if (!aims__ans_get(m, "output_classes"))
			return aims__ans_err(d, v, "review.output_field", "needs output_classes (the values that "
					     "select a decision)");
		if (!(r->output_field = aims__strdup(v->text)))
			return aims__oom();
	}
	if (aims__ans_get(m, "output_classes") &&
	    (err = get_texts(&r->output_classes, &r->noutput_classes, NULL, d, m, "review", "output_classes", 1, NULL,
			     "one line of text (an output value)")) < 0)
		return err;
	if ((v = aims__ans_get(m, "input"))) {
		if (v->kind != AIMS__ANS_MAP || v->count == 0)
			return aims__ans_err(d, v, "review.input", "expected a mapping of input field -> list of values");
		if (v->count > 32)
			return aims__ans_err(d, v, "review.input", "at most 32 input fields");
		if (!(r->inputs = aims__calloc(v->count, sizeof(*r->inputs))))
			return aims__oom();
		for (size_t i = 0; i < v->count; i++) {
			char p[300];
			snprintf(p, sizeof(p), "review.input.%s", v->keys[i]);
			r->ninputs = i + 1;
			if (!field_path_ok(v->keys[i]))
				return aims__ans_err(d, v->items[i], p, "not a field name (A-Z a-z 0-9 _ -, dotted for "
						     "nested objects)");
			if (!(r->inputs[i].field = aims__strdup(v->keys[i])))
				return aims__oom();
			if ((err = get_texts(&r->inputs[i].values, &r->inputs[i].nvalues, NULL, d, v, "review.input",
					     v->keys[i], 1, NULL, "one line of text (a field value)")) < 0)
				return err;
		}
	}
	if (aims__ans_get(m, "sample_rate")) {
		double rate;
		if ((err = get_num(&rate, d, m, "review", "sample_rate", 0, 1)) < 0)
			return err;
		double ppm = rate * 1e6, k = floor(ppm + 0.5);
		if (fabs(ppm - k) > 1e-6)
			return aims__ans_err(d, aims__ans_get(m, "sample_rate"), "review.sample_rate",
					     "more than 6 decimal places");
		r->sample_ppm = (uint32_t)k;
		if (r->sample_ppm && !aims__ans_get(m, "seed"))
			return aims__ans_err(d, m, "review.seed", "missing: a random sample needs a seed (any whole "
					     "number) so that it can be reproduced");
	}
	if (aims__ans_get(m, "seed")) {
		int64_t seed;
		if ((err = get_int(&seed, d, m, "review", "seed", 0, INT64_MAX)) < 0)
			return err;
		r->seed = (uint64_t)seed;
	}
	if (aims__ans_get(m, "due_days")) {
		int64_t days;
		if ((err = get_int(&days, d, m, "review", "due_days", 1, 365)) < 0)
			return err;
		r->due_days = (int)days;
	}
	if (!r->has_confidence && !r->noutput_classes && !r->ninputs && !r->sample_ppm)
		return aims__ans_err(d, m, "review", "no selection rule: give confidence_below, output_classes, input "
				     "or sample_rate");
	return 0;
}

static int get_exceptions(aims_policy *p, const aims__ans_doc *d, const aims__ans *m)
{
	static const char *const keys[] = { "approvals", "max_days" };
	int64_t days = 0;
	int err, total = 0;
	if (m->kind != AIMS__ANS_MAP)
		return aims__ans_err(d, m, "exceptions", "wrong type: expected a mapping with approvals and max_days");
	if ((err = aims__ans_keys(d, m, "exceptions", keys, N(keys), keys, N(keys))) < 0 ||
	    (err = get_approvals(&p->exception_approvals, &p->nexception_approvals, d, m, "exceptions", "approvals")) < 0 ||
	    (err = get_int(&days, d, m, "exceptions", "max_days", 1, 365)) < 0)
		return err;
	for (size_t i = 0; i < p->nexception_approvals; i++)
		total += p->exception_approvals[i].count;
	if (total < 2)
		return aims__ans_err(d, aims__ans_get(m, "approvals"), "exceptions.approvals",
				     "an exception needs the approval of at least two accounts (counts add up to %d)",
				     total);
	p->has_exceptions = 1;
	p->exception_max_days = (int)days;
	return 0;
}

/* ---- canonical form ---- */

static json_t *strings_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *approvals_json(const aims_policy_approval *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_pack("{s:s, s:i}", "role", a[i].role, "count", a[i].count)) < 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *stage_json(const aims_policy_stage *s)
{
	json_t *evals = json_array(), *o;
	for (size_t i = 0; evals && i < s->nevaluations; i++) {
		const aims_policy_eval *e = &s->evaluations[i];
		json_t *th = json_array();
		for (size_t k = 0; th && k < e->nthresholds; k++)
			if (json_array_append_new(th, json_pack("{s:s, s:s, s:f}", "metric", e->thresholds[k].metric, "op",
								e->thresholds[k].op, "value", e->thresholds[k].value)) < 0) {
				json_decref(th);
				th = NULL;
			}
		if (!th || json_array_append_new(evals, json_pack("{s:s, s:i, s:o}", "kind", e->kind, "max_age_days",
								   e->max_age_days, "thresholds", th)) < 0) {
			json_decref(evals);
			return NULL;
		}
	}
	json_t *ob = s->aiact_all ? json_string("all") : s->naiact_keys ? strings_json(s->aiact_keys, s->naiact_keys) :
		     json_null();
	o = json_pack("{s:o, s:b, s:o, s:b, s:o}", "approvals", approvals_json(s->approvals, s->napprovals),
		      "impact_assessment", s->impact_assessment, "evaluations", evals, "risks_within_tolerance",
		      s->risks_within_tolerance, "aiact_obligations", ob);
	return o;
}

static json_t *review_json(const aims_policy_review *r)
{
	json_t *in = json_object();
	for (size_t i = 0; in && i < r->ninputs; i++)
		if (json_object_set_new(in, r->inputs[i].field, strings_json(r->inputs[i].values, r->inputs[i].nvalues)) < 0) {
			json_decref(in);
			return NULL;
		}
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "confidence_below",
			      r->has_confidence ? json_real(r->confidence_below) : json_null(), "output_field",
			      r->output_field ? json_string(r->output_field) : json_null(), "output_classes",
			      strings_json(r->output_classes, r->noutput_classes), "input", in, "sample_rate",
			      r->sample_ppm ? json_real(r->sample_ppm / 1e6) : json_null(), "seed",
			      r->sample_ppm || r->seed ? json_integer((json_int_t)r->seed) : json_null());
	/* only when set: the canonical form (and digest) of policies without a deadline stays as it was */
	if (o && r->due_days && json_object_set_new(o, "due_days", json_integer(r->due_days)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *content_json(const aims_policy *p)
{
	json_t *stages = json_object();
	for (int i = 0; stages && i < AIMS_POLICY_NSTAGES; i++)
		if (p->stages[i].present && json_object_set_new(stages, aims_policy_stages[i], stage_json(&p->stages[i])) < 0) {
			json_decref(stages);
			return NULL;
		}
	json_t *exc = p->has_exceptions ?
		json_pack("{s:o, s:i}", "approvals", approvals_json(p->exception_approvals, p->nexception_approvals),
			  "max_days", p->exception_max_days) : json_null();
	return json_pack("{s:s, s:o, s:{s:o, s:o}, s:o, s:o, s:o}", "name", p->name, "description",
			 p->description ? json_string(p->description) : json_null(), "applies_to", "systems",
			 strings_json(p->systems, p->nsystems), "tiers", strings_json(p->tiers, p->ntiers), "stages",
			 stages, "exceptions", exc, "review", p->review.present ? review_json(&p->review) : json_null());
}

static int canonicalize(aims_policy *p)
{
	json_t *c = content_json(p);
	if (!c)
		return aims__oom();
	p->canonical = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
	json_decref(c);
	if (!p->canonical)
		return aims__oom();
	return aims_ledger_digest(p->digest, p->canonical, strlen(p->canonical));
}

/* ---- parse ---- */

int aims_policy_parse(aims_policy **out, const char *data, size_t len, const char *name)
{
	static const char *const top[] = { "policy", "description", "applies_to", "stages", "exceptions", "review" };
	static const char *const top_req[] = { "policy", "applies_to" };
	static const char *const scope_keys[] = { "systems", "tiers" };
	aims__ans_doc d;
	aims_policy *p = NULL;
	const aims__ans *m, *v;
	const char *s;
	int err;

	*out = NULL;
	if ((err = aims__ans_parse(&d, data, len, name)) < 0)
		return err;
	if (!(p = aims__calloc(1, sizeof(*p)))) {
		err = aims__oom();
		goto done;
	}
	m = d.root;
	if ((err = aims__ans_keys(&d, m, "", top, N(top), top_req, N(top_req))) < 0 ||
	    (err = aims__ans_text(&s, &d, m, "", "policy", 1)) < 0)
		goto done;
	if (!name_ok(s)) {
		err = aims__ans_err(&d, aims__ans_get(m, "policy"), "policy", "'%s' is not a policy name (1 to %d of "
				    "a-z 0-9 . _ -, starting with a letter or digit)", s, AIMS_POLICY_NAME_MAX);
		goto done;
	}
	if (!(p->name = aims__strdup(s))) {
		err = aims__oom();
		goto done;
	}
	if (aims__ans_get(m, "description")) {
		if ((err = aims__ans_text(&s, &d, m, "", "description", 0)) < 0)
			goto done;
		if (!(p->description = aims__strdup(s))) {
			err = aims__oom();
			goto done;
		}
	}
	v = aims__ans_get(m, "applies_to");
	if (v->kind != AIMS__ANS_MAP) {
		err = aims__ans_err(&d, v, "applies_to", "wrong type: expected a mapping with systems and/or tiers");
		goto done;
	}
	if ((err = aims__ans_keys(&d, v, "applies_to", scope_keys, N(scope_keys), NULL, 0)) < 0)
		goto done;
	if (aims__ans_get(v, "systems") &&
	    (err = get_texts(&p->systems, &p->nsystems, &p->system_lines, &d, v, "applies_to", "systems", 0,
			     system_name_ok, "an AI system name (1 to 64 of A-Z a-z 0-9 . _ -)")) < 0)
		goto done;
	if (aims__ans_get(v, "tiers") &&
	    (err = get_texts(&p->tiers, &p->ntiers, NULL, &d, v, "applies_to", "tiers", 0, tier_ok,
			     "an EU AI Act tier (prohibited, high-risk, limited-risk, minimal-risk)")) < 0)
		goto done;
	if (p->nsystems == 0 && p->ntiers == 0) {
		err = aims__ans_err(&d, v, "applies_to", "names no AI system and no tier: the policy would apply to "
				    "nothing");
		goto done;
	}
	if ((v = aims__ans_get(m, "stages"))) {
		if (v->kind != AIMS__ANS_MAP || v->count == 0) {
			err = aims__ans_err(&d, v, "stages", "expected a mapping of stages (validation, approved, deployed, "
					    "retired) to their conditions");
			goto done;
		}
		if ((err = aims__ans_keys(&d, v, "stages", aims_policy_stages, AIMS_POLICY_NSTAGES, NULL, 0)) < 0)
			goto done;
		for (int i = 0; i < AIMS_POLICY_NSTAGES; i++) {
			const aims__ans *sv = aims__ans_get(v, aims_policy_stages[i]);
			char sp[64];
			snprintf(sp, sizeof(sp), "stages.%s", aims_policy_stages[i]);
			if (sv && (err = get_stage(&p->stages[i], &d, sv, sp)) < 0)
				goto done;
		}
	}
	if ((v = aims__ans_get(m, "exceptions")) && (err = get_exceptions(p, &d, v)) < 0)
		goto done;
	if ((v = aims__ans_get(m, "review")) && (err = get_review(&p->review, &d, v)) < 0)
		goto done;
	if (!aims__ans_get(m, "stages") && !p->review.present) {
		err = aims__ans_err(&d, m, "stages", "missing: a policy needs stages, review rules or both");
		goto done;
	}
	if ((err = canonicalize(p)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	aims_policy_free(p);
	aims__ans_release(&d);
	return err;
}

/* ---- the store ---- */

#define COLS "name, version, status, source, source_digest, body, digest, actor, created_at"

/* a stored version: parse its body again and check its digest */
static int from_row(aims_policy **out, aims__stmt *st)
{
	const char *name = aims__stmt_text(st, 0), *source = aims__stmt_text(st, 3), *body = aims__stmt_text(st, 5);
	const char *digest = aims__stmt_text(st, 6);
	aims_policy *p = NULL;
	int err;
	*out = NULL;
	if (!name || !body || !source || !digest)
		return aims__err(AIMS_ETAMPERED, "policy '%s': a stored version has no body", name ? name : "?");
	if ((err = aims_policy_parse(&p, body, strlen(body), source)) < 0 || !p) {
		aims__err_prefix("policy '%s' version %lld in the store", name,
				 (long long)aims__stmt_int64(st, 1));
		return err == AIMS_ENOMEM ? err : AIMS_ETAMPERED;
	}
	if (strcmp(p->digest, digest) != 0 || strcmp(p->name, name) != 0) {
		err = aims__err(AIMS_ETAMPERED, "policy '%s' version %lld: the stored file no longer gives its recorded "
				"digest %s", name, (long long)aims__stmt_int64(st, 1), digest);
		aims_policy_free(p);
		return err;
	}
	p->version = (int)aims__stmt_int64(st, 1);
	if ((err = aims__stmt_text_dup(&p->status, st, 2)) < 0 || (err = aims__stmt_text_dup(&p->source, st, 3)) < 0 ||
	    (err = aims__stmt_text_dup(&p->source_digest, st, 4)) < 0 || (err = aims__stmt_text_dup(&p->body, st, 5)) < 0 ||
	    (err = aims__stmt_text_dup(&p->actor, st, 7)) < 0 || (err = aims__stmt_text_dup(&p->created_at, st, 8)) < 0) {
		aims_policy_free(p);
		return err;
	}
	aims__free(p->system_lines);
	p->system_lines = NULL;
	*out = p;
	return 0;
}

int aims_policy_get(aims_policy **out, aims_store *store, const char *name, int version)
{
	aims__stmt *st = NULL;
	int err;
	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, version > 0 ?
				      "SELECT " COLS " FROM policies WHERE name = ? AND version = ?" :
				      "SELECT " COLS " FROM policies WHERE name = ? ORDER BY version DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 ||
	    (version > 0 && (err = aims__stmt_bind_int64(st, 2, version)) < 0) || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = version > 0 ? aims__err(AIMS_ENOTFOUND, "policy '%s' has no version %d", name, version) :
				    aims__err(AIMS_ENOTFOUND, "no policy '%s' (see 'aims policy list')", name);
		goto done;
	}
	err = from_row(out, st);
done:
	aims__stmt_free(st);
	return err;
}

int aims_policy_list(aims_policies **out, aims_store *store, const char *name)
{
	aims__stmt *st = NULL;
	aims_policies *l = aims__calloc(1, sizeof(*l));
	size_t cap = 0;
	int err;
	*out = NULL;
	if (!l)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, name ?
				      "SELECT " COLS " FROM policies WHERE name = ? ORDER BY version" :
				      "SELECT " COLS " FROM policies p WHERE version = (SELECT MAX(version) FROM policies "
				      "q WHERE q.name = p.name) ORDER BY name")) < 0 ||
	    (name && (err = aims__stmt_bind_text(st, 1, name)) < 0))
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(aims_policy *))) < 0 ||
		    (err = from_row(&l->items[l->count], st)) < 0)
			goto fail;
		l->count++;
	}
	if (err < 0)
		goto fail;
	if (name && l->count == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no policy '%s' (see 'aims policy list')", name);
		goto fail;
	}
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_policies_free(l);
	return err;
}

static int in(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* no other active policy names a system or tier this one names */
static int check_overlap(aims_store *store, const aims_policy *p)
{
	aims_policies *l = NULL;
	int err;
	if ((err = aims_policy_list(&l, store, NULL)) < 0)
		return err;
	for (size_t i = 0; i < l->count && err == 0; i++) {
		const aims_policy *o = l->items[i];
		if (strcmp(o->name, p->name) == 0 || strcmp(o->status, "active") != 0)
			continue;
		for (size_t k = 0; k < p->nsystems && err == 0; k++)
			if (in(o->systems, o->nsystems, p->systems[k]))
				err = aims__err(AIMS_ECONFLICT, "policy '%s': AI system '%s' is already governed by policy "
						"'%s' (a system has one policy: change or retire '%s' first)", p->name,
						p->systems[k], o->name, o->name);
		for (size_t k = 0; k < p->ntiers && err == 0; k++)
			if (in(o->tiers, o->ntiers, p->tiers[k]))
				err = aims__err(AIMS_ECONFLICT, "policy '%s': tier '%s' is already governed by policy '%s' "
						"(change or retire '%s' first)", p->name, p->tiers[k], o->name, o->name);
	}
	aims_policies_free(l);
	return err;
}

static int insert_version(aims_store *store, const aims_policy *p, int version, const char *status,
			  const char *source, const char *source_digest, const char *body)
{
	aims__stmt *st = NULL;
	char now[32];
	int err;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO policies (name, version, status, source, source_digest, "
				      "body, canonical, digest, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, p->name)) < 0 || (err = aims__stmt_bind_int64(st, 2, version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, status)) < 0 || (err = aims__stmt_bind_text(st, 4, source)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, source_digest)) < 0 || (err = aims__stmt_bind_text(st, 6, body)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, p->canonical)) < 0 || (err = aims__stmt_bind_text(st, 8, p->digest)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims_policy_set(aims_policy **out, int *changed, aims_store *store, const char *data, size_t len,
		    const char *name)
{
	aims_policy *p = NULL, *prev = NULL;
	char sdg[72];
	int err, began = 0;

	if (out)
		*out = NULL;
	if (changed)
		*changed = 0;
	if ((err = aims_policy_parse(&p, data, len, name)) < 0)
		return err;
	if ((err = aims_ledger_digest(sdg, data, len)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	for (size_t i = 0; i < p->nsystems; i++) {
		aims_system *s = NULL;
		err = aims_system_get(&s, store, p->systems[i]);
		aims_system_free(s);
		if (err == AIMS_ENOTFOUND) {
			err = aims__err(AIMS_EINVALID, "'%s' line %d: applies_to.systems[%zu]: no AI system '%s' in the "
					"inventory (see 'aims system list')", name, p->system_lines ? p->system_lines[i] : 0, i,
					p->systems[i]);
			goto done;
		}
		if (err < 0)
			goto done;
	}
	if ((err = aims_policy_get(&prev, store, p->name, 0)) == AIMS_ENOTFOUND)
		aims_error_clear();
	else if (err < 0)
		goto done;
	if (prev && strcmp(prev->status, "active") == 0 && strcmp(prev->digest, p->digest) == 0) {
		/* the same content: nothing to record */
		if ((err = aims_store_commit(store)) < 0)
			goto done;
		began = 0;
		if (out) {
			*out = prev;
			prev = NULL;
		}
		goto done;
	}
	if ((err = check_overlap(store, p)) < 0)
		goto done;
	int version = prev ? prev->version + 1 : 1;
	if ((err = insert_version(store, p, version, "active", name, sdg, data)) < 0 ||
	    (err = aims_ledger_append(store, prev ? "update" : "create", "policy", p->name, p->digest,
				      prev ? prev->digest : NULL)) < 0)
		goto done;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (changed)
		*changed = 1;
	if (out)
		err = aims_policy_get(out, store, p->name, version);
done:
	if (began)
		aims_store_rollback(store);
	aims_policy_free(prev);
	aims_policy_free(p);
	return err;
}

int aims_policy_retire(aims_policy **out, aims_store *store, const char *name)
{
	aims_policy *prev = NULL;
	int err, began = 0;
	if (out)
		*out = NULL;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_policy_get(&prev, store, name, 0)) < 0)
		goto done;
	if (strcmp(prev->status, "retired") == 0) {
		err = aims__err(AIMS_ECONFLICT, "policy '%s' is retired already (version %d)", name, prev->version);
		goto done;
	}
	if ((err = insert_version(store, prev, prev->version + 1, "retired", prev->source, prev->source_digest,
				  prev->body)) < 0 ||
	    (err = aims_ledger_append(store, "retire", "policy", name, prev->digest, prev->digest)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (out)
		err = aims_policy_get(out, store, name, prev->version + 1);
done:
	if (began)
		aims_store_rollback(store);
	aims_policy_free(prev);
	return err;
}

/*
 * The state check (docs/ledger.md "State against the ledger"): every stored
 * version of a policy is one of its audit entries, "create" (version 1),
 * "update" or "retire" (a retired version), each naming the digest of the
 * policy's canonical content. Each version's file is parsed again; its
 * digest and canonical form must be the ones stored, and the version's
 * entry must exist: so an edited file or status, and a version added or
 * removed with SQL, are found.
 */
int aims__policy_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_buf m = AIMS_BUF_INIT;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT name, version, status, source, body, canonical, digest FROM "
				      "policies ORDER BY name, version")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *name = aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "", *status = aims__stmt_text(st, 2);
		const char *body = aims__stmt_text(st, 4);
		int64_t version = aims__stmt_int64(st, 1);
		aims_policy *p = NULL;
		int rc = body ? aims_policy_parse(&p, body, strlen(body), aims__stmt_text(st, 3) ? aims__stmt_text(st, 3) :
						  "policy") : AIMS_EINVALID;
		if (rc == AIMS_ENOMEM) {
			err = rc;
			break;
		}
		aims_error_clear();
		int same = rc == 0 && p && strcmp(p->name, name) == 0 && aims__strcmp0(p->canonical, aims__stmt_text(st, 5)) == 0 &&
			   aims__strcmp0(p->digest, aims__stmt_text(st, 6)) == 0 &&
			   (aims__strcmp0(status, "active") == 0 || (aims__strcmp0(status, "retired") == 0 && version > 1));
		const char *action = version == 1 ? "create" : aims__strcmp0(status, "retired") == 0 ? "retire" : "update";
		aims_buf_clear(&m);
		err = same ? aims_buf_printf(&m, "%s %s", action, p->digest) :
			     aims_buf_printf(&m, "%s (version %lld: the stored file does not give its digest)", action,
					     (long long)version);
		aims_policy_free(p);
		if (err < 0 || (err = emit(arg, "policy", name, m.ptr, AIMS__STATE_MEMBER)) < 0)
			break;
	}
	aims__stmt_free(st);
	aims_buf_release(&m);
	return err < 0 ? err : 0;
}

int aims_policy_for_system(aims_policy **out, aims_store *store, const char *system)
{
	aims_policies *l = NULL;
	aims_aiact_record *cls = NULL;
	int err;
	size_t pick = (size_t)-1;
	*out = NULL;
	if ((err = aims_policy_list(&l, store, NULL)) < 0)
		return err;
	for (size_t i = 0; i < l->count && pick == (size_t)-1; i++)
		if (strcmp(l->items[i]->status, "active") == 0 && in(l->items[i]->systems, l->items[i]->nsystems, system))
			pick = i;
	if (pick == (size_t)-1) {
		if ((err = aims_aiact_read(&cls, store, system, 0)) == AIMS_ENOTFOUND)
			aims_error_clear();
		else if (err < 0)
			goto done;
		for (size_t i = 0; cls && i < l->count && pick == (size_t)-1; i++)
			if (strcmp(l->items[i]->status, "active") == 0 && in(l->items[i]->tiers, l->items[i]->ntiers, cls->tier))
				pick = i;
	}
	if (pick != (size_t)-1) {
		*out = l->items[pick];
		l->items[pick] = l->items[l->count - 1];
		l->count--;
	}
	err = 0;
done:
	aims_aiact_record_free(cls);
	aims_policies_free(l);
	return err;
}

json_t *aims_policy_json(const aims_policy *p)
{
	json_t *o = content_json(p);
	if (!o)
		return NULL;
	if (json_object_set_new(o, "version", json_integer(p->version)) < 0 ||
	    json_object_set_new(o, "status", p->status ? json_string(p->status) : json_null()) < 0 ||
	    json_object_set_new(o, "digest", json_string(p->digest)) < 0 ||
	    json_object_set_new(o, "source", p->source ? json_string(p->source) : json_null()) < 0 ||
	    json_object_set_new(o, "source_digest", p->source_digest ? json_string(p->source_digest) : json_null()) < 0 ||
	    json_object_set_new(o, "actor", p->actor ? json_string(p->actor) : json_null()) < 0 ||
	    json_object_set_new(o, "created_at", p->created_at ? json_string(p->created_at) : json_null()) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}
