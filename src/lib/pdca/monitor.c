/*
 * Monitoring plans (ISO/IEC 42001 9.1; EU AI Act Art. 72 post-market
 * monitoring) and their runs.
 *
 * A plan says, for one AI system, that its decision log is checked for
 * drift every day, week or month: the last complete period's decisions
 * against a fixed reference window, with the drift module's thresholds.
 * `aims monitor run` runs what is due: for each active plan the period that
 * ended last, once (a run is keyed by plan and period, so running again in
 * the same period, from cron or a timer, does nothing). Each run records the
 * drift evaluation as evidence; a breach (dataset drift) opens a
 * nonconformity linked to that evidence, and, when the plan says so, an AI
 * incident. docs/monitoring.md describes plans, periods and scheduling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/drift.h"
#include "aims/eval.h"
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

int aims_monitor_plan_add(json_t **out, aims_store *store, const aims_monitor_plan_new *in)
{
	static const char *const everys[] = { "day", "week", "month" };
	const aims_principal *who;
	aims_system *sys = NULL;
	json_t *body = NULL, *cols = json_array();
	const char *owner;
	char now[32];
	int64_t seq;
	int err, began = 0;
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
	if ((err = time_ok("ref_since", in->ref_since)) < 0 || (err = time_ok("ref_until", in->ref_until)) < 0)
		goto done;
	if (!in->ref_since || !in->ref_until || strcmp(in->ref_since, in->ref_until) >= 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, in->ref_since ? "ref_until" : "ref_since", "the reference window "
				      "needs ref_since before ref_until (the period the current decisions are compared with)");
		goto done;
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
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:f, s:b, s:s, s:s, s:s, s:s}", "id", in->name, "system",
			 in->system, "kind", "drift", "every", in->every, "ref_since", in->ref_since, "ref_until",
			 in->ref_until, "columns", cols, "share_threshold", in->share_threshold > 0 ? in->share_threshold : 0.5,
			 "incident_on_breach", in->incident ? 1 : 0, "owner", owner, "status", "active", "created_by",
			 who->name, "created_at", now);
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
static int run_plan(json_t **entry, int *ran, aims_store *store, const json_t *plan, const char *named)
{
	const aims_principal *who = aims_store_principal(store);
	aims_drift_options opts = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift_source ref = { 0 }, cur = { 0 };
	aims_drift *d = NULL;
	aims_buf json = AIMS_BUF_INIT, inputs = AIMS_BUF_INIT, params = AIMS_BUF_INIT;
	const char *cols[64];
	char period[16], since[32], until[32], id[96], now[32], *eval = NULL, *nc = NULL;
	json_t *body = NULL, *inc = NULL, *res = NULL;
	int64_t seq;
	int err, began = 0, breach = 0;
	const char *system = str(plan, "system"), *name = str(plan, "id");

	*entry = NULL;
	*ran = 0;
	if (named) {
		if ((err = named_period(since, until, str(plan, "every"), named)) < 0)
			return err;
		snprintf(period, sizeof(period), "%s", named);
	} else
		aims__monitor_period(period, since, until, str(plan, "every"), aims__clock_now());
	snprintf(id, sizeof(id), "%s/%s", name, period);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	/* the writers' lock is held from here: a second run of the same period waits, then finds this one */
	if (aims__pdca_get(entry, store, PDCA_RUN, id, "monitoring run") == 0) {
		err = aims_store_rollback(store);
		return err;
	}
	aims_error_clear();
	opts.ncolumns = json_array_size(json_object_get(plan, "columns"));
	if (opts.ncolumns > N(cols))
		opts.ncolumns = N(cols);
	for (size_t i = 0; i < opts.ncolumns; i++)
		cols[i] = json_string_value(json_array_get(json_object_get(plan, "columns"), i));
	opts.columns = opts.ncolumns ? cols : NULL;
	opts.share_threshold = json_number_value(json_object_get(plan, "share_threshold"));
	ref.store = cur.store = store;
	ref.system = cur.system = system;
	ref.since = str(plan, "ref_since");
	ref.until = str(plan, "ref_until");
	cur.since = since;
	cur.until = until;
	aims__time_now(now);
	err = aims_drift_run(&d, &ref, &cur, &opts);
	if (err < 0) {
		/* no evaluation this period (e.g. no decisions in the window): the run says why */
		res = json_pack("{s:s, s:s}", "outcome", "error", "error", aims_error_last());
		aims_error_clear();
	} else {
		if ((err = aims_drift_json(&json, d)) < 0 || (err = aims_drift_inputs_json(&inputs, d)) < 0 ||
		    (err = aims_drift_params_json(&params, d)) < 0 ||
		    (err = aims_eval_record_model(&eval, store, system, NULL, "drift", inputs.ptr, params.ptr, json.ptr)) < 0)
			goto done;
		breach = aims_drift_dataset(d);
		res = json_pack("{s:s, s:f, s:s}", "outcome", breach ? "breach" : "within-thresholds", "drift_share",
				aims_drift_share(d), "evaluation", eval);
	}
	if (!res) {
		err = aims__oom();
		goto done;
	}
	if (breach) {
		char title[200], evidence[64], due[32];
		snprintf(title, sizeof(title), "Monitoring plan %s: drift of %s's decisions in %s", name, system, period);
		snprintf(evidence, sizeof(evidence), "evaluation:%s", eval);
		aims__time_format(due, aims__clock_now() + 30 * 86400);
		due[10] = '\0';
		aims_nc_new n = { .source = "monitoring", .source_ref = id, .requirement = "9.1", .system = system,
				  .title = title,
				  .description = "The decisions of the period drifted from the plan's reference window beyond "
						 "its threshold (see the evaluation).",
				  .evidence = evidence, .owner = str(plan, "owner"), .due = due };
		if ((err = aims_nc_open(store, &n, &nc)) < 0 || (err = json_object_set_new(res, "nonconformity",
											 json_string(nc))) < 0)
			goto done;
		if (json_is_true(json_object_get(plan, "incident_on_breach"))) {
			aims_incident_new i = { .title = title, .system = system, .harm = "other", .severity = "medium",
						.description = "Opened by a monitoring run whose drift threshold was breached.",
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
	aims_drift_free(d);
	aims_buf_release(&json);
	aims_buf_release(&inputs);
	aims_buf_release(&params);
	free(eval);
	aims__free(nc);
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
