/*
 * AI objectives (ISO/IEC 42001 6.2) with a KPI computed from the store, a
 * target, and the trend over the periods before. The KPI kinds and their
 * exact definitions are in docs/pdca.md ("Objectives"); each is computed
 * from records aims keeps: monitoring runs, corrective actions, incidents,
 * nonconformities, human review of AI decisions, evaluations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/inventory.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kpis[] = { "monitoring-pass-rate", "drift-alerts", "overdue-actions",
				    "incidents-reported-in-time", "open-nonconformities", "override-rate",
				    "evaluations-recorded" };
static const char *const everys[] = { "month", "quarter", "year" };
static const char *const ops[] = { "<=", ">=", "<", ">", "==" };

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ">= 0.9" -> op, value */
static int parse_target(char op[3], double *value, const char *t)
{
	char o[3] = "";
	int n = 0;
	if (!t || sscanf(t, " %2[<>=] %lf %n", o, value, &n) != 2 || t[n] != '\0' || !aims__in_list(o, ops, N(ops)))
	{
		(void)aims__pdca_ferr(AIMS_EINVALID, "target", "target '%s': expected an operator and a number, e.g. "
				      "'>= 0.95' or '<= 2' (operators <=, >=, <, >, ==)", t ? t : "");
		return AIMS_EINVALID;
	}
	snprintf(op, 3, "%s", o);
	return 0;
}

int aims_objective_add(json_t **out, aims_store *store, const char *title, const char *kpi, const char *target,
		       const char *system, const char *owner, const char *every)
{
	const aims_principal *who;
	aims_system *sys = NULL;
	json_t *body = NULL;
	char id[32], now[32], op[3] = "";
	double value = 0;
	int64_t seq;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("title", title, 1, 1)) < 0)
		return err;
	if (!kpi || !aims__in_list(kpi, kpis, N(kpis)))
		return aims__pdca_ferr(AIMS_EINVALID, "kpi", "kpi '%s': expected monitoring-pass-rate, drift-alerts, "
				       "overdue-actions, incidents-reported-in-time, open-nonconformities, override-rate or "
				       "evaluations-recorded", kpi ? kpi : "");
	if ((err = parse_target(op, &value, target)) < 0)
		return err;
	if (every && !aims__in_list(every, everys, N(everys)))
		return aims__pdca_ferr(AIMS_EINVALID, "every", "every '%s': expected month, quarter or year", every);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if (system && (err = aims_system_get(&sys, store, system)) < 0) {
		aims__err_set_field("system");
		goto done;
	}
	if (owner && (err = aims_principal_check_name(store, owner, "owner")) < 0) {
		aims__err_set_field("owner");
		goto done;
	}
	if ((err = aims__pdca_next_id(id, &seq, store, PDCA_OBJECTIVE, "OBJ")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:{s:s, s:f}, s:o, s:s, s:s, s:s, s:s, s:s}", "id", id, "title", title, "kpi",
			 kpi, "target", "op", op, "value", value, "system", aims__pdca_jstr(system), "owner",
			 owner ? owner : who->name, "every", every ? every : "quarter", "status", "active", "created_by",
			 who->name, "created_at", now);
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_OBJECTIVE, id, seq, body, "add", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_OBJECTIVE, id, "objective");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	aims_system_free(sys);
	return err;
}

/* ---- KPIs ---- */

static int in(const char *t, const char *since, const char *until)
{
	return t && strncmp(t, since, 10) >= 0 && strncmp(t, until, 10) < 0;
}

/* a run that breached on drift: dataset drift, or a threshold on a drift result not held (a run of a plan from
 * before plans had several evaluations: any breach, drift being all they evaluated) */
static int drift_alert(const json_t *run)
{
	const json_t *res = json_object_get(run, "result"), *c;
	size_t i;
	if (strcmp(str(run, "status"), "breach") != 0)
		return 0;
	if (!json_object_get(res, "evaluations"))
		return 1;
	if (json_is_true(json_object_get(res, "dataset_drift")))
		return 1;
	json_array_foreach(json_object_get(res, "thresholds"), i, c) {
		if (json_is_false(json_object_get(c, "held")) && aims__strcmp0(str(c, "kind"), "drift") == 0)
			return 1;
	}
	return 0;
}

/* the value of `kpi` for [since, until): a number, or null when the period has no data for a rate */
static int kpi_value(json_t **out, aims_store *store, const char *kpi, const char *system, const char *since,
		     const char *until)
{
	json_t *all = NULL, *b;
	size_t i;
	int err = 0;
	long num = 0, den = 0;
	*out = NULL;
	if (strcmp(kpi, "monitoring-pass-rate") == 0 || strcmp(kpi, "drift-alerts") == 0) {
		if ((err = aims__pdca_list(&all, store, PDCA_RUN, "x", NULL, system, NULL, NULL)) < 0)
			return err;
		json_array_foreach(json_object_get(all, "x"), i, b) {
			/* a run belongs to the period its window starts in */
			if (!in(str(b, "since"), since, until))
				continue;
			den += strcmp(str(b, "status"), "error") != 0;
			num += strcmp(kpi, "drift-alerts") == 0 ? drift_alert(b) :
								  strcmp(str(b, "status"), "within-thresholds") == 0;
		}
		*out = strcmp(kpi, "drift-alerts") == 0 ? json_integer(num) : den ? json_real((double)num / den) : json_null();
	} else if (strcmp(kpi, "overdue-actions") == 0) {
		if ((err = aims__pdca_list(&all, store, PDCA_CA, "x", NULL, system, NULL, NULL)) < 0)
			return err;
		json_array_foreach(json_object_get(all, "x"), i, b) {
			/* due before the period's end and not closed by then */
			const char *due = str(b, "due"), *closed = str(b, "closed_at");
			if (due && strncmp(due, until, 10) < 0 && strncmp(str(b, "added_at"), until, 10) < 0 &&
			    !(closed && strncmp(closed, until, 10) < 0) && !(closed && strncmp(closed, due, 10) <= 0))
				num++;
		}
		*out = json_integer(num);
	} else if (strcmp(kpi, "incidents-reported-in-time") == 0) {
		if ((err = aims_incident_list(&all, store, system, NULL, 0)) < 0)
			return err;
		json_array_foreach(json_object_get(all, "incidents"), i, b) {
			if (!json_is_true(json_object_get(b, "serious")) || !in(str(b, "opened_at"), since, until))
				continue;
			den++;
			num += str(b, "deadline_state") && strcmp(str(b, "deadline_state"), "met") == 0;
		}
		*out = den ? json_real((double)num / den) : json_null();
	} else if (strcmp(kpi, "open-nonconformities") == 0) {
		if ((err = aims__pdca_list(&all, store, PDCA_NC, "x", NULL, system, NULL, NULL)) < 0)
			return err;
		json_array_foreach(json_object_get(all, "x"), i, b) {
			const char *closed = str(b, "closed_at");
			num += strncmp(str(b, "opened_at"), until, 10) < 0 && !(closed && strncmp(closed, until, 10) < 0);
		}
		*out = json_integer(num);
	} else if (strcmp(kpi, "override-rate") == 0 || strcmp(kpi, "evaluations-recorded") == 0) {
		aims__stmt *st = NULL;
		int rate = strcmp(kpi, "override-rate") == 0;
		err = aims__stmt_prepare(&st, store, rate ?
			"SELECT COUNT(*), COALESCE(SUM(CASE WHEN action = 'override' THEN 1 ELSE 0 END), 0) FROM review_queue "
			"WHERE status = 'reviewed' AND reviewed_at >= ? AND reviewed_at < ? AND (CAST(? AS TEXT) IS NULL OR "
			"system = ?)" :
			"SELECT COUNT(*), 0 FROM eval_results WHERE recorded_at >= ? AND recorded_at < ? AND "
			"(CAST(? AS TEXT) IS NULL OR system = ?)");
		if (err >= 0 && (err = aims__stmt_bind_text(st, 1, since)) >= 0 && (err = aims__stmt_bind_text(st, 2, until)) >= 0 &&
		    (err = aims__stmt_bind_text(st, 3, system)) >= 0 && (err = aims__stmt_bind_text(st, 4, system)) >= 0)
			err = aims__stmt_step(st);
		if (err == 1) {
			den = (long)aims__stmt_int64(st, 0);
			num = (long)aims__stmt_int64(st, 1);
			err = 0;
		}
		aims__stmt_free(st);
		if (err < 0)
			return err;
		*out = rate ? (den ? json_real((double)num / den) : json_null()) : json_integer(den);
	}
	json_decref(all);
	return *out ? 0 : aims__oom();
}

static int met(const json_t *v, const char *op, double target)
{
	double x = json_number_value(v);
	if (strcmp(op, "<=") == 0)
		return x <= target;
	if (strcmp(op, ">=") == 0)
		return x >= target;
	if (strcmp(op, "<") == 0)
		return x < target;
	if (strcmp(op, ">") == 0)
		return x > target;
	return x == target;
}

/* the period named by `every` that contains `date` (YYYY-MM-DD), stepped back `back` periods */
static void period_name(char name[32], const char *every, const char *date, int back)
{
	int y = 0, m = 1, d = 1;
	(void)aims__date_parse(&y, &m, &d, date);
	if (strcmp(every, "year") == 0)
		snprintf(name, 32, "%04d", (y - back) % 10000);
	else if (strcmp(every, "quarter") == 0) {
		int q = (m - 1) / 3 - back;
		while (q < 0) {
			q += 4;
			y--;
		}
		snprintf(name, 32, "%04d-Q%d", y % 10000, q + 1);
	} else {
		int k = y * 12 + (m - 1) - back;
		snprintf(name, 32, "%04d-%02d", (k / 12) % 10000, k % 12 + 1);
	}
}

int aims_objective_status(json_t **out, aims_store *store, const char *period)
{
	json_t *all = NULL, *res = json_array(), *o;
	size_t i;
	int err;
	char since[32], until[32], now[32];
	*out = NULL;
	if (!res)
		return aims__oom();
	if (period && (err = aims__pdca_period(since, until, period)) < 0)
		goto done;
	if ((err = aims__pdca_list(&all, store, PDCA_OBJECTIVE, "x", "active", NULL, NULL, NULL)) < 0)
		goto done;
	aims__time_now(now);
	json_array_foreach(json_object_get(all, "x"), i, o) {
		const json_t *t = json_object_get(o, "target");
		const char *op = str(t, "op"), *every = str(o, "every");
		double target = json_number_value(json_object_get(t, "value"));
		json_t *trend = json_array(), *cur = NULL;
		char base[32];
		/* the period asked for, or the current one of the objective's kind; then the three of its kind
		   before it */
		snprintf(base, sizeof(base), "%s", period ? since : now);
		for (int back = 0; back < 4 && err >= 0; back++) {
			char name[32], s[32], u[32];
			json_t *v = NULL;
			if (period && back == 0)
				snprintf(name, sizeof(name), "%s", period);
			else
				period_name(name, every, base, back);
			if ((err = aims__pdca_period(s, u, name)) < 0 ||
			    (err = kpi_value(&v, store, str(o, "kpi"), str(o, "system"), s, u)) < 0)
				break;
			json_t *p = json_pack("{s:s, s:O, s:o}", "period", name, "value", v, "met",
					      json_is_null(v) ? json_null() : json_boolean(met(v, op, target)));
			json_decref(v);
			if (!p || json_array_append_new(trend, p) < 0) {
				err = aims__oom();
				break;
			}
			if (back == 0)
				cur = p;
		}
		if (err < 0) {
			json_decref(trend);
			break;
		}
		json_t *row = json_pack("{s:O, s:O, s:O, s:O, s:O?, s:O, s:O?, s:O?, s:O}", "id", json_object_get(o, "id"),
					"title", json_object_get(o, "title"), "kpi", json_object_get(o, "kpi"), "target", t,
					"system", json_object_get(o, "system"), "owner", json_object_get(o, "owner"),
					"value", json_object_get(cur, "value"), "met", json_object_get(cur, "met"),
					"trend", trend);
		json_decref(trend);
		if (!row || json_array_append_new(res, row) < 0) {
			err = aims__oom();
			break;
		}
	}
	if (err >= 0 && !(*out = json_pack("{s:O}", "objectives", res)))
		err = aims__oom();
done:
	json_decref(all);
	json_decref(res);
	return err < 0 ? err : 0;
}

int aims_objective_list(json_t **out, aims_store *store)
{
	return aims__pdca_list(out, store, PDCA_OBJECTIVE, "objectives", NULL, NULL, NULL, NULL);
}
