/*
 * Monitoring plans (ISO/IEC 42001 9.1; EU AI Act Art. 72 post-market
 * monitoring) and their runs.
 *
 * A plan says, for one AI system, which evaluations (fairness, performance,
 * drift) run every day, week or month, on what (the last complete period's
 * decisions of its log, or a data file read at each run; drift against a
 * reference window of the log or a reference file) and against which
 * thresholds (the policy syntax, e.g. "demographic_parity_ratio >= 0.8").
 * A run reads its input once for all its evaluations, on every core
 * (aims_eval_pass).
 * `aims monitor run` runs what is due: for each active plan the period that
 * ended last, once (a run is keyed by plan and period, so running again in
 * the same period, from cron or a timer, does nothing). Each run records the
 * drift evaluation as evidence; a breach (dataset drift) opens a
 * nonconformity linked to that evidence, and, when the plan says so, an AI
 * incident. docs/monitoring.md describes plans, periods and scheduling.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/drift.h"
#include "aims/eval.h"
#include "aims/evalpass.h"
#include "aims/policy.h"
#include "aims/inventory.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' ||
		      s[i] == '.'))
			return 0;
	return 1;
}

static int time_ok(const char *field, const char *s)
{
	if (s && aims__rfc3339(NULL, NULL, s, strlen(s), 0) < 0)
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': expected an RFC 3339 time such as "
				       "2026-01-01T00:00:00Z", field, s);
	return 0;
}

/* the plan's evaluations, in the order fairness, performance, drift; none given: drift */
static int plan_evaluations(const char *evals[3], int *fair, int *perf, int *drift, const aims_monitor_plan_new *in)
{
	static const char *const kinds[] = { "fairness", "performance", "drift" };
	int have[3] = { 0, 0, in->nevaluations == 0 };
	for (size_t i = 0; i < in->nevaluations; i++) {
		size_t k = 0;
		while (k < 3 && aims__strcmp0(in->evaluations[i], kinds[k]) != 0)
			k++;
		if (k == 3)
			return aims__pdca_ferr(AIMS_EINVALID, "evaluation", "evaluation '%s': expected fairness, performance "
					       "or drift", in->evaluations[i] ? in->evaluations[i] : "");
		if (have[k])
			return aims__pdca_ferr(AIMS_EINVALID, "evaluation", "evaluation '%s' is named twice", kinds[k]);
		have[k] = 1;
	}
	for (int k = 0; k < 3; k++)
		evals[k] = have[k] ? kinds[k] : NULL;
	*fair = have[0];
	*perf = have[1];
	*drift = have[2];
	return 0;
}

/* a data file of the plan: it must be readable now; kept as an absolute path (cron runs elsewhere) */
static int plan_file(char out[PATH_MAX], const char *field, const char *path)
{
	out[0] = '\0';
	if (!path)
		return 0;
	if (!*path || strcmp(path, "-") == 0)
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s: a file that each run reads (not standard input)", field);
	if (!realpath(path, out) || access(out, R_OK) != 0) {
		out[0] = '\0';
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s: cannot read '%s'", field, path);
	}
	return 0;
}

int aims_monitor_plan_add(json_t **out, aims_store *store, const aims_monitor_plan_new *in)
{
	static const char *const everys[] = { "day", "week", "month" };
	const aims_principal *who;
	aims_system *sys = NULL;
	json_t *body = NULL, *cols = json_array(), *groups = NULL, *ths = NULL;
	const char *owner, *evals[3] = { NULL, NULL, NULL };
	char now[32], data[PATH_MAX] = "", reference[PATH_MAX] = "";
	int64_t seq;
	int err, began = 0, fair = 0, perf = 0, drift = 0;
	*out = NULL;
	if (!cols)
		return aims__oom();
	if ((err = aims__pdca_principal(&who, store)) < 0)
		goto done;
	if (!name_ok(in->name)) {
		err = aims__pdca_ferr(AIMS_EINVALID, "name", "name '%s': expected 1 to 64 of a-z 0-9 . _ -",
				      in->name ? in->name : "");
		goto done;
	}
	if (!in->every || !aims__in_list(in->every, everys, N(everys))) {
		err = aims__pdca_ferr(AIMS_EINVALID, "every", "every '%s': expected day, week or month",
				      in->every ? in->every : "");
		goto done;
	}
	if ((err = plan_evaluations(evals, &fair, &perf, &drift, in)) < 0)
		goto done;
	if ((err = time_ok("ref_since", in->ref_since)) < 0 || (err = time_ok("ref_until", in->ref_until)) < 0)
		goto done;
	if (drift && in->data && !in->reference) {
		err = aims__pdca_ferr(AIMS_EINVALID, "reference", "drift of a data file needs a reference file to compare "
				      "it with");
		goto done;
	}
	if (drift && !in->reference && (!in->ref_since || !in->ref_until || strcmp(in->ref_since, in->ref_until) >= 0)) {
		err = aims__pdca_ferr(AIMS_EINVALID, in->ref_since ? "ref_until" : "ref_since", "the reference window "
				      "needs ref_since before ref_until (the period the current decisions are compared with), "
				      "or a reference file");
		goto done;
	}
	if ((fair || perf) && (!in->label || !*in->label || !in->pred || !*in->pred)) {
		err = aims__pdca_ferr(AIMS_EINVALID, !in->label || !*in->label ? "label" : "pred", "%s needs the label and "
				      "pred columns", fair ? "fairness" : "performance");
		goto done;
	}
	if (fair && in->ngroups == 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, "group", "fairness needs at least one group column");
		goto done;
	}
	if (in->ngroups > AIMS_EVAL_MAX_GROUPS) {
		err = aims__pdca_ferr(AIMS_EINVALID, "group", "at most %d group columns", AIMS_EVAL_MAX_GROUPS);
		goto done;
	}
	if ((err = plan_file(data, "data", in->data)) < 0 || (err = plan_file(reference, "reference", in->reference)) < 0)
		goto done;
	if (!(groups = json_array()) || !(ths = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < in->ngroups; i++)
		if ((err = aims__pdca_text("group", in->groups[i], 1, 1)) < 0 ||
		    json_array_append_new(groups, json_string(in->groups[i])) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
	if (in->nthresholds > 32) {
		err = aims__pdca_ferr(AIMS_EINVALID, "threshold", "at most 32 thresholds");
		goto done;
	}
	for (size_t i = 0; i < in->nthresholds; i++) {
		aims_policy_threshold t;
		if ((err = aims_policy_threshold_parse(&t, in->thresholds[i])) < 0) {
			aims__err_prefix("threshold %zu", i + 1);
			aims__err_set_field("threshold");
			goto done;
		}
		err = json_array_append_new(ths, json_string(t.text));
		aims_policy_threshold_release(&t);
		if (err < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (in->share_threshold < 0 || in->share_threshold > 1) {
		err = aims__pdca_ferr(AIMS_EINVALID, "share_threshold", "share_threshold %g: expected 0 to 1",
				      in->share_threshold);
		goto done;
	}
	for (size_t i = 0; i < in->ncolumns; i++)
		if ((err = aims__pdca_text("column", in->columns[i], 1, 1)) < 0 ||
		    json_array_append_new(cols, json_string(in->columns[i])) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims_system_get(&sys, store, in->system)) < 0) {
		aims__err_set_field("system");
		goto done;
	}
	owner = in->owner ? in->owner : who->name;
	if (in->owner && (err = aims_principal_check_name(store, in->owner, "owner")) < 0) {
		aims__err_set_field("owner");
		goto done;
	}
	json_t *have = NULL;
	if (aims__pdca_get(&have, store, PDCA_PLAN, in->name, "monitoring plan") == 0) {
		json_decref(have);
		err = aims__err(AIMS_ECONFLICT, "monitoring plan %s: exists (retire it first, or choose another name)",
				in->name);
		goto done;
	}
	aims_error_clear();
	if ((err = aims__pdca_next_id((char[32]){ 0 }, &seq, store, PDCA_PLAN, "P")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:O, s:f, s:b, s:s, s:s, s:s, s:s}", "id", in->name, "system",
			 in->system, "kind", fair || perf ? "evaluations" : "drift", "every", in->every, "ref_since",
			 in->ref_since, "ref_until", in->ref_until, "columns", cols, "share_threshold",
			 in->share_threshold > 0 ? in->share_threshold : 0.5, "incident_on_breach", in->incident ? 1 : 0,
			 "owner", owner, "status", "active", "created_by", who->name, "created_at", now);
	if (body) {
		json_t *ev = json_array();
		for (size_t i = 0; ev && i < 3; i++)
			if (evals[i] && json_array_append_new(ev, json_string(evals[i])) < 0) {
				json_decref(ev);
				ev = NULL;
			}
		if (!ev || json_object_set_new(body, "evaluations", ev) < 0 ||
		    json_object_set_new(body, "data", *data ? json_string(data) : json_null()) < 0 ||
		    json_object_set_new(body, "reference", *reference ? json_string(reference) : json_null()) < 0 ||
		    json_object_set_new(body, "label", in->label ? json_string(in->label) : json_null()) < 0 ||
		    json_object_set_new(body, "pred", in->pred ? json_string(in->pred) : json_null()) < 0 ||
		    json_object_set_new(body, "score", in->score ? json_string(in->score) : json_null()) < 0 ||
		    json_object_set(body, "groups", groups) < 0 || json_object_set(body, "thresholds", ths) < 0) {
			json_decref(body);
			body = NULL;
		}
	}
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_PLAN, in->name, seq, body, "create", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_PLAN, in->name, "monitoring plan");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	json_decref(cols);
	json_decref(groups);
	json_decref(ths);
	aims_system_free(sys);
	return err;
}

int aims_monitor_plan_get(json_t **out, aims_store *store, const char *name)
{
	return aims__pdca_get(out, store, PDCA_PLAN, name, "monitoring plan");
}

int aims_monitor_plan_list(json_t **out, aims_store *store, const char *system)
{
	return aims__pdca_list(out, store, PDCA_PLAN, "plans", NULL, system, NULL, NULL);
}

int aims_monitor_plan_retire(json_t **out, aims_store *store, const char *name)
{
	const aims_principal *who;
	json_t *b = NULL;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__pdca_get(&b, store, PDCA_PLAN, name, "monitoring plan")) < 0)
		goto done;
	if (strcmp(str(b, "status"), "retired") == 0) {
		err = aims__err(AIMS_ECONFLICT, "monitoring plan %s: retired already", name);
		goto done;
	}
	if (json_object_set_new(b, "status", json_string("retired")) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_PLAN, name, 0, b, "retire", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_PLAN, name, "monitoring plan");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

/* days since 1970-01-01 of a civil date, and back */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/*
 * The last complete period before `now`: its name and window [since, until).
 * day: the day before; week: the ISO week (Monday to Monday) before this
 * one; month: the month before this one.
 */
void aims__monitor_period(char name[16], char since[32], char until[32], const char *every, int64_t now)
{
	int64_t today = now >= 0 ? now / 86400 : (now - 86399) / 86400, start, end;
	char t[32];
	int y, m, d;
	aims__time_format(t, today * 86400);
	aims__date_parse(&y, &m, &d, t);
	if (strcmp(every, "day") == 0) {
		start = today - 1;
		end = today;
		aims__time_format(t, start * 86400);
		snprintf(name, 16, "%.10s", t);
	} else if (strcmp(every, "week") == 0) {
		int64_t dow = ((today % 7) + 7 + 3) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */
		end = today - dow;
		start = end - 7;
		/* ISO week number of the period's Thursday */
		int64_t thu = start + 3;
		char tt[32];
		int ty, tm, td;
		aims__time_format(tt, thu * 86400);
		aims__date_parse(&ty, &tm, &td, tt);
		int64_t week = (thu - days_from_civil(ty, 1, 1)) / 7 + 1;
		snprintf(name, 16, "%04d-W%02d", ty % 10000, (int)(week % 100));
	} else {
		int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
		start = days_from_civil(py, (unsigned)pm, 1);
		end = days_from_civil(y, (unsigned)m, 1);
		snprintf(name, 16, "%04d-%02d", py % 10000, pm % 100);
	}
	aims__time_format(since, start * 86400);
	aims__time_format(until, end * 86400);
}

/*
 * A named period of a plan's kind (month YYYY-MM, week YYYY-Www, day YYYY-MM-DD) and its window; it must
 * be over. AIMS_EINVALID naming the field otherwise.
 */
static int named_period(char since[32], char until[32], const char *every, const char *name)
{
	int y = 0, m = 0, d = 0, w = 0;
	char tail[4];
	int64_t start = -1, end = -1;
	size_t n = strlen(name);
	if (strcmp(every, "month") == 0 && n == 7 && sscanf(name, "%4d-%2d%1s", &y, &m, tail) == 2 && y >= 1970 &&
	    y < 9999 && m >= 1 && m <= 12) {
		start = days_from_civil(y, (unsigned)m, 1);
		end = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1u : (unsigned)m + 1, 1);
	} else if (strcmp(every, "week") == 0 && n == 8 && sscanf(name, "%4d-W%2d%1s", &y, &w, tail) == 2 &&
		   y >= 1970 && y < 9999 && w >= 1 && w <= 53) {
		/* ISO week 1 holds the year's first Thursday; its Monday starts it */
		int64_t jan4 = days_from_civil(y, 1, 4), dow = ((jan4 % 7) + 7 + 3) % 7;
		start = jan4 - dow + (int64_t)(w - 1) * 7;
		end = start + 7;
		char chk[16], s2[32], u2[32];
		aims__monitor_period(chk, s2, u2, "week", end * 86400);
		if (strcmp(chk, name) != 0)
			start = -1; /* week 53 of a year that has 52 */
	} else if (strcmp(every, "day") == 0 && n == 10 && aims__date_parse(&y, &m, &d, name) == 0) {
		start = days_from_civil(y, (unsigned)m, (unsigned)d);
		end = start + 1;
	}
	if (start < 0)
		return aims__pdca_ferr(AIMS_EINVALID, "period", "period '%s': not a %s of the plan (month YYYY-MM, week "
				       "YYYY-Www, day YYYY-MM-DD)", name, every);
	if (end * 86400 > aims__clock_now())
		return aims__pdca_ferr(AIMS_EINVALID, "period", "period '%s': not over yet", name);
	aims__time_format(since, start * 86400);
	aims__time_format(until, end * 86400);
	return 0;
}

/* run one plan for its due period (or `named`); *entry: the run's record (new, or the one of an earlier run) */
/* the strings of a plan's array `key` into v (at most max) */
static size_t plan_list(const char **v, size_t max, const json_t *plan, const char *key)
{
	size_t n = json_array_size(json_object_get(plan, key));
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(json_object_get(plan, key), i));
	return n;
}

/* record one evaluation as evidence; its id into ids[kind] */
static int record_one(json_t *ids, aims_store *store, const char *system, const char *kind, const char *result,
		      aims_drift *d)
{
	aims_buf json = AIMS_BUF_INIT, inputs = AIMS_BUF_INIT, params = AIMS_BUF_INIT;
	char *id = NULL;
	int err;
	if (!d)
		err = aims_eval_record_binary(&id, store, system, NULL, kind, result);
	else if ((err = aims_drift_json(&json, d)) == 0 && (err = aims_drift_inputs_json(&inputs, d)) == 0 &&
		 (err = aims_drift_params_json(&params, d)) == 0)
		err = aims_eval_record_model(&id, store, system, NULL, "drift", inputs.ptr, params.ptr, json.ptr);
	if (err == 0 && json_object_set_new(ids, kind, json_string(id)) < 0)
		err = aims__oom();
	aims_buf_release(&json);
	aims_buf_release(&inputs);
	aims_buf_release(&params);
	free(id);
	return err;
}

/*
 * Check the plan's thresholds on the run's results: {"threshold", "held", "values", "outside", "evaluation"} per
 * threshold into checks; *broken gets the first evaluation with one not held (a threshold whose metric is in no
 * result is not held: the plan asks for a figure the run did not give).
 */
static int check_plan_thresholds(json_t *checks, const char **broken, const json_t *plan, json_t *const res[3],
				 const char *const kinds[3], const json_t *ids)
{
	const char *texts[32];
	size_t n = plan_list(texts, 32, plan, "thresholds");
	int err = 0;
	for (size_t i = 0; i < n && err == 0; i++) {
		aims_policy_threshold t;
		if ((err = aims_policy_threshold_parse(&t, texts[i])) < 0)
			return err;
		size_t found = 0;
		int held = 1;
		char bad[512] = "", one[512];
		const char *where = NULL;
		for (int k = 0; k < 3; k++) {
			size_t f = 0;
			if (!res[k])
				continue;
			int ok = aims_policy_threshold_apply(&f, one, sizeof(one), &t, res[k]);
			if (f == 0)
				continue;
			found += f;
			if (!where)
				where = kinds[k];
			if (!ok) {
				held = 0;
				where = kinds[k];
				snprintf(bad, sizeof(bad), "%s", one);
			}
		}
		if (found == 0)
			held = 0;
		if (!held && !*broken)
			*broken = where ? where : "";
		json_t *c = json_pack("{s:s, s:b, s:I, s:s?, s:s?, s:s?}", "threshold", t.text, "held", held, "values",
				      (json_int_t)found, "outside", found ? (held ? NULL : bad) : "no value in this run's results",
				      "kind", where, "evaluation", where ? json_string_value(json_object_get(ids, where)) : NULL);
		aims_policy_threshold_release(&t);
		if (!c || json_array_append_new(checks, c) < 0)
			err = aims__oom();
	}
	return err;
}

static int run_plan(json_t **entry, int *ran, aims_store *store, const json_t *plan, const char *named)
{
	static const char *const kinds[3] = { "fairness", "performance", "drift" };
	const aims_principal *who = aims_store_principal(store);
	aims_drift_options dopts = AIMS_DRIFT_OPTIONS_INIT;
	aims_eval_options bo = AIMS_EVAL_OPTIONS_INIT;
	aims_eval_pass_options po = AIMS_EVAL_PASS_OPTIONS_INIT;
	aims_eval_pass_result pr;
	aims_drift_source ref = { 0 }, cur = { 0 };
	const char *cols[64], *groups[AIMS_EVAL_MAX_GROUPS], *evs[3], *broken = NULL;
	char period[16], since[32], until[32], id[96], now[32], *nc = NULL;
	json_t *body = NULL, *inc = NULL, *res = NULL, *ids = json_object(), *checks = json_array(), *rj[3] = { 0 };
	int64_t seq;
	int err, began = 0, breach = 0, fair = 0, perf = 0, drift = 0;
	const char *system = str(plan, "system"), *name = str(plan, "id");

	memset(&pr, 0, sizeof(pr));
	*entry = NULL;
	*ran = 0;
	if (!ids || !checks) {
		err = aims__oom();
		goto done;
	}
	if (named) {
		if ((err = named_period(since, until, str(plan, "every"), named)) < 0)
			goto done;
		snprintf(period, sizeof(period), "%s", named);
	} else
		aims__monitor_period(period, since, until, str(plan, "every"), aims__clock_now());
	snprintf(id, sizeof(id), "%s/%s", name, period);
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	/* the writers' lock is held from here: a second run of the same period waits, then finds this one */
	if (aims__pdca_get(entry, store, PDCA_RUN, id, "monitoring run") == 0) {
		began = 0;
		err = aims_store_rollback(store);
		goto done;
	}
	aims_error_clear();
	/* what the plan evaluates (a plan from before evaluations: drift of the decision log) */
	size_t nev = plan_list(evs, 3, plan, "evaluations");
	for (size_t k = 0; k < nev; k++) {
		fair |= aims__strcmp0(evs[k], "fairness") == 0;
		perf |= aims__strcmp0(evs[k], "performance") == 0;
		drift |= aims__strcmp0(evs[k], "drift") == 0;
	}
	if (nev == 0)
		drift = 1;
	dopts.ncolumns = plan_list(cols, N(cols), plan, "columns");
	dopts.columns = dopts.ncolumns ? cols : NULL;
	dopts.share_threshold = json_number_value(json_object_get(plan, "share_threshold"));
	bo.label = str(plan, "label");
	bo.pred = str(plan, "pred");
	bo.score = str(plan, "score");
	bo.ngroups = plan_list(groups, N(groups), plan, "groups");
	bo.groups = bo.ngroups ? groups : NULL;
	if (str(plan, "data"))
		cur.path = str(plan, "data");
	else {
		cur.store = store;
		cur.system = system;
		cur.since = since;
		cur.until = until;
	}
	if (str(plan, "reference"))
		ref.path = str(plan, "reference");
	else {
		ref.store = store;
		ref.system = system;
		ref.since = str(plan, "ref_since");
		ref.until = str(plan, "ref_until");
	}
	po.binary = fair || perf ? &bo : NULL;
	po.fairness = fair;
	po.performance = perf;
	po.drift_reference = drift ? &ref : NULL;
	po.drift = &dopts;
	aims__time_now(now);
	if (aims_eval_pass(&pr, &cur, &po) < 0) {
		/* no evaluation this period (e.g. no decisions in the window, a file gone): the run says why */
		res = json_pack("{s:s, s:s}", "outcome", "error", "error", aims_error_last());
		aims_error_clear();
	} else {
		const char *results[3] = { pr.fairness, pr.performance, NULL };
		for (int k = 0; k < 3; k++) {
			if (k < 2 && !results[k])
				continue;
			if (k == 2 && !pr.drift)
				continue;
			if ((err = record_one(ids, store, system, kinds[k], results[k], k == 2 ? pr.drift : NULL)) < 0)
				goto done;
			if (k < 2 && !(rj[k] = json_loads(results[k], 0, NULL))) {
				err = aims__oom();
				goto done;
			}
		}
		if (pr.drift) {
			aims_buf dj = AIMS_BUF_INIT;
			if ((err = aims_drift_json(&dj, pr.drift)) == 0 && !(rj[2] = json_loads(dj.ptr, 0, NULL)))
				err = aims__oom();
			aims_buf_release(&dj);
			if (err < 0)
				goto done;
		}
		if ((err = check_plan_thresholds(checks, &broken, plan, rj, kinds, ids)) < 0)
			goto done;
		int drifted = pr.drift && aims_drift_dataset(pr.drift);
		breach = drifted || broken;
		if (drifted && !broken)
			broken = "drift";
		/* "evaluation": the evidence of the breach, else the first recorded (drift's for a drift plan) */
		const char *first = json_string_value(json_object_get(ids, broken && *broken ? broken : "drift"));
		for (int k = 0; !first && k < 3; k++)
			first = json_string_value(json_object_get(ids, kinds[k]));
		res = json_pack("{s:s, s:O, s:O, s:s?, s:s, s:I, s:I}", "outcome", breach ? "breach" : "within-thresholds",
				"evaluations", ids, "thresholds", checks, "evaluation", first, "input_digest", pr.digest,
				"rows", (json_int_t)pr.rows, "threads", (json_int_t)pr.threads);
		if (res && pr.drift && (json_object_set_new(res, "drift_share", json_real(aims_drift_share(pr.drift))) < 0 ||
					json_object_set_new(res, "dataset_drift", json_boolean(drifted)) < 0)) {
			json_decref(res);
			res = NULL;
		}
	}
	if (!res) {
		err = aims__oom();
		goto done;
	}
	if (breach) {
		char title[200], evidence[64], due[32], desc[600];
		const char *eid = json_string_value(json_object_get(res, "evaluation"));
		snprintf(title, sizeof(title), "Monitoring plan %s: %s of %s's %s in %s", name,
			 broken && strcmp(broken, "drift") != 0 ? "a threshold not held" : "drift", system,
			 str(plan, "data") ? "data" : "decisions", period);
		snprintf(evidence, sizeof(evidence), "evaluation:%s", eid ? eid : "");
		if (broken && strcmp(broken, "drift") != 0)
			snprintf(desc, sizeof(desc), "The %s evaluation of the period did not hold the plan's thresholds (see "
				 "the run's thresholds and the evaluation).", *broken ? broken : "");
		else
			snprintf(desc, sizeof(desc), "The %s of the period drifted from the plan's reference beyond its "
				 "threshold (see the evaluation).", str(plan, "data") ? "data" : "decisions");
		aims__time_format(due, aims__clock_now() + 30 * 86400);
		due[10] = '\0';
		aims_nc_new n = { .source = "monitoring", .source_ref = id, .requirement = "9.1", .system = system,
				  .title = title, .description = desc, .evidence = evidence, .owner = str(plan, "owner"),
				  .due = due };
		if ((err = aims_nc_open(store, &n, &nc)) < 0 || (err = json_object_set_new(res, "nonconformity",
											 json_string(nc))) < 0)
			goto done;
		if (json_is_true(json_object_get(plan, "incident_on_breach"))) {
			aims_incident_new i = { .title = title, .system = system, .harm = "other", .severity = "medium",
						.description = "Opened by a monitoring run whose threshold was breached.",
						.evidence = evidence };
			if ((err = aims_incident_open(&inc, store, &i)) < 0 ||
			    (err = json_object_set(res, "incident", json_object_get(inc, "id"))) < 0)
				goto done;
		}
	}
	if ((err = aims__pdca_next_id((char[32]){ 0 }, &seq, store, PDCA_RUN, "R")) < 0)
		goto done;
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s}", "id", id, "plan", name, "system", system,
			 "period", period, "since", since, "until", until, "status", json_string_value(json_object_get(res,
											"outcome")),
			 "result", res, "ran_by", who ? who->name : "", "ran_at", now);
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_RUN, id, seq, body, "run", &began)) < 0)
		goto done;
	*ran = 1;
	err = aims__pdca_get(entry, store, PDCA_RUN, id, "monitoring run");
done:
	if (began)
		aims_store_rollback(store);
	aims_eval_pass_result_release(&pr);
	aims__free(nc);
	for (int k = 0; k < 3; k++)
		json_decref(rj[k]);
	json_decref(ids);
	json_decref(checks);
	json_decref(body);
	json_decref(inc);
	json_decref(res);
	return err;
}

int aims_monitor_run(json_t **out, aims_store *store, const char *system, const char *plan_name,
		     const char *period)
{
	const aims_principal *who;
	json_t *plans = NULL, *runs = json_array(), *p;
	size_t i;
	int err;
	*out = NULL;
	if (!runs)
		return aims__oom();
	if ((err = aims__pdca_principal(&who, store)) < 0 ||
	    (err = aims__pdca_list(&plans, store, PDCA_PLAN, "plans", "active", system, NULL, NULL)) < 0) {
		json_decref(runs);
		return err;
	}
	if (period && !plan_name) {
		json_decref(plans);
		json_decref(runs);
		return aims__pdca_ferr(AIMS_EINVALID, "period", "period: names a past period of one plan: give plan too");
	}
	if (plan_name) {
		json_t *one = NULL;
		if ((err = aims__pdca_get(&one, store, PDCA_PLAN, plan_name, "monitoring plan")) < 0) {
			json_decref(plans);
			json_decref(runs);
			aims__err_set_field("plan");
			return err;
		}
		if (strcmp(str(one, "status"), "active") != 0) {
			json_decref(one);
			json_decref(plans);
			json_decref(runs);
			return aims__pdca_ferr(AIMS_EINVALID, "plan", "monitoring plan %s: retired", plan_name);
		}
		json_decref(plans);
		plans = json_pack("{s:[o]}", "plans", one);
	}
	json_array_foreach(json_object_get(plans, "plans"), i, p) {
		json_t *e = NULL;
		int ran = 0;
		if ((err = run_plan(&e, &ran, store, p, period)) < 0)
			break;
		if (json_object_set_new(e, "ran_now", json_boolean(ran)) < 0 || json_array_append_new(runs, e) < 0) {
			err = aims__oom();
			break;
		}
	}
	json_decref(plans);
	if (err >= 0 && !(*out = json_pack("{s:O}", "runs", runs)))
		err = aims__oom();
	json_decref(runs);
	return err < 0 ? err : 0;
}

int aims_monitor_runs(json_t **out, aims_store *store, const char *system)
{
	return aims__pdca_list(out, store, PDCA_RUN, "runs", NULL, system, NULL, NULL);
}
