/*
 * Management review (ISO/IEC 42001 9.3). `aims review-pack --period P`
 * assembles the inputs clause 9.3.2 lists, each computed from the store for
 * the period: the status of actions from previous reviews, changes (in the
 * organization's issues and in the AI systems) as the governance ledger
 * recorded them, monitoring and evaluation results with their trend,
 * nonconformities and corrective actions, audit results, incidents, KPIs,
 * risk status, and opportunities for improvement. An input with nothing in
 * the period says so. With decisions (9.3.3) the pack is recorded as a
 * controlled document of type management-review, which is approved through
 * the document workflow (by an account other than its author).
 */
#include <stdio.h>
#include <string.h>

#include "aims/doc.h"
#include "aims/report.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "report/report_internal.h"
#include "store/store_internal.h"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "2026", "2026-Q2", "2026-05", or "YYYY-MM-DD..YYYY-MM-DD": the window [since, until) as dates */
int aims__pdca_period(char since[32], char until[32], const char *p)
{
	int y, m, d, y2, m2, d2;
	unsigned q;
	char tail[8];
	size_t n = p ? strlen(p) : 0;
	if (n == 4 && sscanf(p, "%4d%1s", &y, tail) == 1 && y >= 1970 && y < 10000) {
		snprintf(since, 32, "%04d-01-01", y);
		snprintf(until, 32, "%04d-01-01", y + 1 > 9999 ? 9999 : y + 1);
		return 0;
	}
	if (n == 7 && p[4] == '-' && p[5] == 'Q' && sscanf(p, "%4d-Q%1u%1s", &y, &q, tail) == 2 && q >= 1 && q <= 4 &&
	    y >= 1970 && y < 9999) {
		snprintf(since, 32, "%04d-%02u-01", y, 3 * q - 2);
		if (q == 4)
			snprintf(until, 32, "%04d-01-01", y + 1);
		else
			snprintf(until, 32, "%04d-%02u-01", y, 3 * q + 1);
		return 0;
	}
	if (n == 7 && p[4] == '-' && sscanf(p, "%4d-%2d%1s", &y, &m, tail) == 2 && m >= 1 && m <= 12 && y >= 1970 &&
	    y < 9999) {
		snprintf(since, 32, "%04d-%02d-01", y, m);
		snprintf(until, 32, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
		return 0;
	}
	/* the first date on its own: aims__date_parse takes a date, or a time after 'T', not "..": before this
	   copy every FROM..TO was refused */
	char from[11];
	snprintf(from, sizeof(from), "%.10s", p ? p : "");
	if (n == 22 && p[10] == '.' && p[11] == '.' && aims__date_parse(&y, &m, &d, from) == 0 &&
	    aims__date_parse(&y2, &m2, &d2, p + 12) == 0 && strncmp(p, p + 12, 10) < 0) {
		snprintf(since, 32, "%.10s", p);
		snprintf(until, 32, "%.10s", p + 12);
		return 0;
	}
	return aims__pdca_ferr(AIMS_EINVALID, "period", "period '%s': expected a year (2026), a quarter (2026-Q2), a "
			       "month (2026-05) or YYYY-MM-DD..YYYY-MM-DD (end exclusive)", p ? p : "");
}


/* a time or date falls in [since, until) (compared as text: dates and RFC 3339 UTC times) */
static int in(const char *t, const char *since, const char *until)
{
	return t && strncmp(t, since, 10) >= 0 && strncmp(t, until, 10) < 0;
}

static int put(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v) < 0 ? aims__oom() : 0;
}

static int inc(json_t *o, const char *k)
{
	return put(o, k, json_integer(json_integer_value(json_object_get(o, k)) + 1));
}

/* 9.3.2 b, c: the governance ledger's entries of the period, by object type and action; AI systems' own */
static int changes(json_t *pack, aims_store *store, const char *since, const char *until)
{
	static const char *const ai[] = { "ai-system", "model", "dataset", "deployment", "lineage-event" };
	static const char *const org[] = { "document", "setting", "soa-control", "isms", "risk-criteria", "policy" };
	aims__stmt *st = NULL;
	json_t *by = json_array(), *ai_ch = json_array(), *org_ch = json_array();
	int err;
	if (!by || !ai_ch || !org_ch) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__stmt_prepare(&st, store, "SELECT time, actor, action, object_type, object_id FROM ledger_entries "
				      "WHERE log = 'governance' AND time >= ? AND time < ? ORDER BY idx")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, since)) < 0 || (err = aims__stmt_bind_text(st, 2, until)) < 0)
		goto done;
	json_t *counts = json_object();
	if (!counts) {
		err = aims__oom();
		goto done;
	}
	while ((err = aims__stmt_step(st)) == 1) {
		const char *type = aims__stmt_text(st, 3);
		char key[160];
		snprintf(key, sizeof(key), "%s %s", type, aims__stmt_text(st, 2));
		if ((err = inc(counts, key)) < 0)
			break;
		json_t *row = NULL;
		if (aims__in_list(type, ai, sizeof(ai) / sizeof(ai[0])) || aims__in_list(type, org, sizeof(org) / sizeof(org[0])))
			row = json_pack("{s:s, s:s, s:s, s:s, s:s}", "time", aims__stmt_text(st, 0), "actor",
					aims__stmt_text(st, 1), "action", aims__stmt_text(st, 2), "object_type", type,
					"object_id", aims__stmt_text(st, 4));
		if (row && json_array_append_new(aims__in_list(type, ai, sizeof(ai) / sizeof(ai[0])) ? ai_ch : org_ch,
						 row) < 0)
			err = aims__oom();
		if (err < 0)
			break;
	}
	const char *k;
	json_t *v;
	json_object_foreach(counts, k, v) {
		const char *sp = strchr(k, ' ');
		if (err >= 0 && json_array_append_new(by, json_pack("{s:s%, s:s, s:O?}", "object_type", k, (size_t)(sp - k),
								    "action", sp + 1, "entries", v)) < 0)
			err = aims__oom();
	}
	json_decref(counts);
	if (err < 0)
		goto done;
	err = put(pack, "changes", json_pack("{s:O?, s:O?, s:O?}", "ledger_entries_by_type", by, "ai_systems", ai_ch,
					     "organization", org_ch));
done:
	aims__stmt_free(st);
	json_decref(by);
	json_decref(ai_ch);
	json_decref(org_ch);
	return err < 0 ? err : 0;
}

/* the pdca records of `kind` */
static int records(json_t **out, aims_store *store, const char *kind, const char *key)
{
	return aims__pdca_list(out, store, kind, key, NULL, NULL, NULL, NULL);
}

/* 9.3.2 d: monitoring runs and evaluations of the period, with their trend per system and kind */
static int monitoring(json_t *pack, aims_store *store, const char *since, const char *until, json_t *kpi)
{
	json_t *runs = NULL, *evals = NULL, *sel = json_array(), *by = json_object(), *e, *ev = json_array();
	size_t i;
	int err, within = 0, total = 0;
	if (!sel || !by || !ev) {
		err = aims__oom();
		goto done;
	}
	if ((err = records(&runs, store, PDCA_RUN, "runs")) < 0 || (err = aims__pdca_read_op(&evals, store, "eval.list", NULL)) < 0)
		goto done;
	/* oldest first, for the trend */
	for (i = json_array_size(json_object_get(runs, "runs")); i-- > 0;) {
		e = json_array_get(json_object_get(runs, "runs"), i);
		if (!in(str(e, "ran_at"), since, until))
			continue;
		total++;
		within += strcmp(str(e, "status"), "within-thresholds") == 0;
		if (json_array_append_new(sel, json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(e, "id"), "period",
							 json_object_get(e, "period"), "status", json_object_get(e, "status"),
							 "drift_share", json_object_get(json_object_get(e, "result"), "drift_share"),
							 "nonconformity", json_object_get(json_object_get(e, "result"),
											  "nonconformity"))) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	json_array_foreach(json_object_get(evals, "evaluations"), i, e) {
		if (!in(str(e, "recorded_at"), since, until))
			continue;
		char key[200];
		snprintf(key, sizeof(key), "%s %s", str(e, "system"), str(e, "kind"));
		if ((err = inc(by, key)) < 0 ||
		    json_array_append_new(ev, json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(e, "id"), "system",
							json_object_get(e, "system"), "kind", json_object_get(e, "kind"),
							"recorded_at", json_object_get(e, "recorded_at"), "summary",
							json_object_get(e, "summary"))) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
	}
	if ((err = put(pack, "monitoring", json_pack("{s:O?, s:O?, s:O?}", "runs", sel, "evaluations", ev,
						     "evaluations_by_system_and_kind", by))) < 0)
		goto done;
	err = put(kpi, "monitoring_runs_within_thresholds", total ? json_real((double)within / total) : json_null());
done:
	json_decref(runs);
	json_decref(evals);
	json_decref(sel);
	json_decref(by);
	json_decref(ev);
	return err;
}

/* 9.3.2 d: nonconformities and corrective actions; 9.3.2 e (opportunities): those closed in the period */
static int ncs(json_t *pack, aims_store *store, const char *since, const char *until, json_t *kpi, json_t *opp)
{
	json_t *nl = NULL, *cl = NULL, *opened = json_array(), *open_end = json_array(), *ca = json_object(), *e;
	size_t i;
	int err, overdue = 0;
	char today[32];
	aims__time_now(today);
	if (!opened || !open_end || !ca) {
		err = aims__oom();
		goto done;
	}
	if ((err = records(&nl, store, PDCA_NC, "nonconformities")) < 0 || (err = records(&cl, store, PDCA_CA, "actions")) < 0)
		goto done;
	json_array_foreach(json_object_get(nl, "nonconformities"), i, e) {
		json_t *brief = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(e, "id"), "title",
					  json_object_get(e, "title"), "source", json_object_get(e, "source"), "requirement",
					  json_object_get(e, "requirement"), "status", json_object_get(e, "status"), "owner",
					  json_object_get(e, "owner"));
		if (!brief) {
			err = aims__oom();
			goto done;
		}
		if (in(str(e, "opened_at"), since, until) && json_array_append(opened, brief) < 0)
			err = aims__oom();
		if (strncmp(str(e, "opened_at"), until, 10) < 0 &&
		    !(json_is_string(json_object_get(e, "closed_at")) && strncmp(str(e, "closed_at"), until, 10) < 0) &&
		    json_array_append(open_end, brief) < 0)
			err = aims__oom();
		if (in(str(e, "closed_at"), since, until) &&
		    json_array_append_new(opp, json_pack("{s:s, s:O?, s:O?, s:O?}", "kind", "nonconformity closed", "id",
							 json_object_get(e, "id"), "title", json_object_get(e, "title"),
							 "root_cause", json_object_get(json_object_get(e, "root_cause"),
										       "text"))) < 0)
			err = aims__oom();
		json_decref(brief);
		if (err < 0)
			goto done;
	}
	json_array_foreach(json_object_get(cl, "actions"), i, e) {
		if ((err = inc(ca, str(e, "status"))) < 0)
			goto done;
		overdue += str(e, "due") && strcmp(str(e, "status"), "closed") != 0 && strncmp(str(e, "due"), today, 10) < 0;
	}
	if ((err = put(pack, "nonconformities", json_pack("{s:O?, s:O?, s:O?, s:i}", "opened", opened, "open_at_end", open_end,
							   "corrective_actions_by_status", ca, "corrective_actions_overdue",
							   overdue))) < 0)
		goto done;
	err = put(kpi, "corrective_actions_overdue", json_integer(overdue));
done:
	json_decref(nl);
	json_decref(cl);
	json_decref(opened);
	json_decref(open_end);
	json_decref(ca);
	return err;
}

/* 9.3.2 d: audit results; observations are opportunities */
static int audits(json_t *pack, aims_store *store, const char *since, const char *until, json_t *opp)
{
	json_t *al = NULL, *sel = json_array(), *e, *f;
	size_t i, k;
	int err;
	if (!sel)
		return aims__oom();
	if ((err = records(&al, store, PDCA_AUDIT, "audits")) < 0)
		goto done;
	json_array_foreach(json_object_get(al, "audits"), i, e) {
		if (!in(str(e, "closed_at"), since, until))
			continue;
		int kinds[3] = { 0, 0, 0 };
		json_array_foreach(json_object_get(e, "findings"), k, f) {
			const char *kind = str(f, "kind");
			kinds[strcmp(kind, "conformity") == 0 ? 0 : strcmp(kind, "observation") == 0 ? 1 : 2]++;
			if (strcmp(kind, "observation") == 0 &&
			    json_array_append_new(opp, json_pack("{s:s, s:s++, s:O?}", "kind", "audit observation", "id",
								 str(e, "id"), "/", str(f, "id"), "title",
								 json_object_get(f, "text"))) < 0)
				err = aims__oom();
		}
		if (err < 0 || json_array_append_new(sel, json_pack("{s:O?, s:O?, s:O?, s:O?, s:i, s:i, s:i}", "id",
								  json_object_get(e, "id"), "title", json_object_get(e, "title"),
								  "auditor", json_object_get(e, "auditor"), "summary",
								  json_object_get(e, "summary"), "conformities", kinds[0],
								  "observations", kinds[1], "nonconformities", kinds[2])) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
	}
	err = put(pack, "audits", json_incref(sel));
done:
	json_decref(al);
	json_decref(sel);
	return err;
}

/* the number of covered items of a programme's coverage part, and of all its items */
static int part_count(const json_t *prog, const char *part, const char *which)
{
	const json_t *c = json_object_get(json_object_get(prog, "coverage"), part);
	size_t n = json_array_size(json_object_get(c, "covered"));
	return (int)(strcmp(which, "covered") == 0 ? n : n + json_array_size(json_object_get(c, "uncovered")));
}

/* 9.3.2 d: the audit programmes whose period meets the review's, with their progress and coverage now */
static int programmes(json_t *pack, aims_store *store, const char *since, const char *until)
{
	json_t *pl = NULL, *sel = json_array(), *p, *v;
	size_t i, k;
	int err;
	if (!sel)
		return aims__oom();
	if ((err = aims_audit_programme_list(&pl, store)) < 0)
		goto done;
	json_array_foreach(json_object_get(pl, "programmes"), i, p) {
		int closed = 0, open = 0;
		if (strcmp(str(p, "since"), until) >= 0 || strcmp(str(p, "until"), since) <= 0)
			continue;
		json_array_foreach(json_object_get(p, "audit_status"), k, v) {
			closed += strcmp(str(v, "status"), "closed") == 0;
		}
		json_array_foreach(json_object_get(p, "nonconformities"), k, v) {
			open += strcmp(str(v, "status"), "closed") != 0;
		}
		if (json_array_append_new(sel, json_pack("{s:O?, s:O?, s:O?, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
							 "id", json_object_get(p, "id"), "title", json_object_get(p, "title"),
							 "period", json_object_get(p, "period"), "audits",
							 (int)json_array_size(json_object_get(p, "audits")), "audits_closed",
							 closed, "clauses_covered", part_count(p, "clauses", "covered"),
							 "clauses_total", part_count(p, "clauses", "total"),
							 "controls_covered", part_count(p, "controls", "covered"),
							 "controls_total", part_count(p, "controls", "total"),
							 "systems_covered", part_count(p, "systems", "covered"),
							 "systems_total", part_count(p, "systems", "total"),
							 "nonconformities_open", open)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	err = put(pack, "audit_programmes", json_incref(sel));
done:
	json_decref(pl);
	json_decref(sel);
	return err;
}

/* 9.3.2 d: incidents of the period and how their reporting went */
static int incidents(json_t *pack, aims_store *store, const char *since, const char *until, json_t *kpi)
{
	json_t *il = NULL, *sel = json_array(), *e;
	size_t i;
	int err, serious = 0, met = 0;
	if (!sel)
		return aims__oom();
	if ((err = aims_incident_list(&il, store, NULL, NULL, 0)) < 0)
		goto done;
	json_array_foreach(json_object_get(il, "incidents"), i, e) {
		if (!in(str(e, "opened_at"), since, until))
			continue;
		if (json_is_true(json_object_get(e, "serious"))) {
			serious++;
			met += str(e, "deadline_state") && strcmp(str(e, "deadline_state"), "met") == 0;
		}
		if (json_array_append_new(sel, json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(e, "id"),
							 "title", json_object_get(e, "title"), "system",
							 json_object_get(e, "system"), "severity", json_object_get(e, "severity"),
							 "serious", json_object_get(e, "serious"), "status",
							 json_object_get(e, "status"), "deadline_state",
							 json_object_get(e, "deadline_state"))) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if ((err = put(pack, "incidents", json_incref(sel))) < 0)
		goto done;
	err = put(kpi, "serious_incidents_reported_in_time", serious ? json_real((double)met / serious) : json_null());
done:
	json_decref(il);
	json_decref(sel);
	return err;
}

/* 9.3.2 d: risk status now, from the register */
static int risks(json_t *pack, aims_store *store)
{
	json_t *rl = NULL, *by = json_object(), *e;
	size_t i;
	int err, above = 0;
	if (!by)
		return aims__oom();
	if ((err = aims__pdca_read_op(&rl, store, "risk.list", NULL)) < 0)
		goto done;
	json_array_foreach(json_object_get(rl, "risks"), i, e) {
		if ((err = inc(by, str(e, "status") ? str(e, "status") : "open")) < 0)
			goto done;
		above += json_is_true(json_object_get(e, "above_tolerance"));
	}
	err = put(pack, "risks", json_pack("{s:i, s:O?, s:i}", "total", (int)json_array_size(json_object_get(rl, "risks")),
					   "by_status", by, "above_tolerance", above));
done:
	json_decref(rl);
	json_decref(by);
	return err;
}

/* 9.3.2 d: the objectives' KPIs for the period (6.2) */
static int objectives(json_t *pack, aims_store *store, const char *period)
{
	json_t *st = NULL, *sel = json_array(), *o;
	size_t i;
	int err;
	if (!sel)
		return aims__oom();
	if ((err = aims_objective_status(&st, store, period)) < 0)
		goto done;
	json_array_foreach(json_object_get(st, "objectives"), i, o) {
		char target[64];
		snprintf(target, sizeof(target), "%s %g", str(json_object_get(o, "target"), "op"),
			 json_number_value(json_object_get(json_object_get(o, "target"), "value")));
		if (json_array_append_new(sel, json_pack("{s:O?, s:O?, s:O?, s:s, s:O?, s:O?}", "id", json_object_get(o, "id"),
							 "title", json_object_get(o, "title"), "kpi", json_object_get(o, "kpi"),
							 "target", target, "value", json_object_get(o, "value"), "met",
							 json_object_get(o, "met"))) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	err = put(pack, "objectives", json_incref(sel));
done:
	json_decref(st);
	json_decref(sel);
	return err;
}

/* 9.3.2 a: earlier management review records and their status */
static int previous(json_t *pack, aims_store *store, const char *since)
{
	json_t *dl = NULL, *sel = json_array(), *e;
	size_t i;
	int err;
	if (!sel)
		return aims__oom();
	if ((err = aims__pdca_read_op(&dl, store, "doc.list", NULL)) < 0)
		goto done;
	json_array_foreach(json_object_get(dl, "documents"), i, e) {
		if (!str(e, "type") || strcmp(str(e, "type"), "management-review") != 0)
			continue;
		if (str(e, "updated_at") && strncmp(str(e, "updated_at"), since, 10) >= 0 && !str(e, "approved_at"))
			continue;
		if (json_array_append_new(sel, json_pack("{s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(e, "id"), "title",
							 json_object_get(e, "title"), "status", json_object_get(e, "status"),
							 "approved_at", json_object_get(e, "approved_at"))) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	err = put(pack, "previous_reviews", json_incref(sel));
done:
	json_decref(dl);
	json_decref(sel);
	return err;
}

int aims_review_pack(json_t **out, aims_store *store, const char *period)
{
	char since[32], until[32], now[32];
	json_t *pack = NULL, *kpi = json_object(), *opp = json_array();
	int err;
	*out = NULL;
	if (!kpi || !opp) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_period(since, until, period)) < 0)
		goto done;
	aims__time_now(now);
	if (!(pack = json_pack("{s:s, s:s, s:s, s:s}", "period", period, "since", since, "until", until, "generated_at",
			       now))) {
		err = aims__oom();
		goto done;
	}
	if ((err = previous(pack, store, since)) < 0 || (err = changes(pack, store, since, until)) < 0 ||
	    (err = monitoring(pack, store, since, until, kpi)) < 0 || (err = ncs(pack, store, since, until, kpi, opp)) < 0 ||
	    (err = audits(pack, store, since, until, opp)) < 0 || (err = programmes(pack, store, since, until)) < 0 || (err = incidents(pack, store, since, until, kpi)) < 0 ||
	    (err = risks(pack, store)) < 0 || (err = put(pack, "kpis", json_incref(kpi))) < 0 ||
	    (err = objectives(pack, store, period)) < 0 ||
	    (err = put(pack, "opportunities", json_incref(opp))) < 0)
		goto done;
	*out = pack;
	pack = NULL;
done:
	json_decref(pack);
	json_decref(kpi);
	json_decref(opp);
	return err;
}

/* ---- rendering ---- */

int aims__pdca_h2(aims_buf *b, const char *clause, const char *title)
{
	int err;
	if ((err = aims_buf_printf(b, "<h2>%s ", clause)) < 0 || (err = aims_html_escape(b, title)) < 0)
		return err;
	return aims_buf_puts(b, "</h2>\n");
}

int aims__pdca_none(aims_buf *b, const json_t *a, const char *what)
{
	if (json_array_size(a) > 0)
		return 0;
	int err = aims_buf_puts(b, "<p class=\"none\">None recorded in the period: ");
	if (err >= 0)
		err = aims_html_escape(b, what);
	return err < 0 ? err : aims_buf_puts(b, ".</p>\n") < 0 ? aims__oom() : 1;
}

/* a table of the members `keys` of each object of `a` */
int aims__pdca_table(aims_buf *b, const json_t *a, const char *const *keys, const char *const *heads, size_t n)
{
	size_t i, k;
	json_t *e;
	int err = aims_buf_puts(b, "<table><thead><tr>");
	for (k = 0; k < n && err >= 0; k++)
		if ((err = aims_buf_puts(b, "<th>")) >= 0 && (err = aims_html_escape(b, heads[k])) >= 0)
			err = aims_buf_puts(b, "</th>");
	if (err >= 0)
		err = aims_buf_puts(b, "</tr></thead><tbody>\n");
	json_array_foreach(a, i, e) {
		if (err >= 0)
			err = aims_buf_puts(b, "<tr>");
		for (k = 0; k < n && err >= 0; k++) {
			json_t *v = json_object_get(e, keys[k]);
			char num[64] = "";
			if (json_is_integer(v))
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			else if (json_is_real(v))
				snprintf(num, sizeof(num), "%.3g", json_real_value(v));
			else if (json_is_boolean(v))
				snprintf(num, sizeof(num), "%s", json_is_true(v) ? "yes" : "no");
			if ((err = aims_buf_puts(b, "<td>")) >= 0 &&
			    (err = aims_html_escape(b, json_is_string(v) ? json_string_value(v) : num[0] ? num : "-")) >= 0)
				err = aims_buf_puts(b, "</td>");
		}
		if (err >= 0)
			err = aims_buf_puts(b, "</tr>\n");
	}
	return err < 0 ? err : aims_buf_puts(b, "</tbody></table>\n");
}

static int counts(aims_buf *b, const json_t *o, const char *label)
{
	const char *k;
	json_t *v;
	int err = aims_buf_puts(b, "<p>");
	if (err >= 0)
		err = aims_html_escape(b, label);
	if (err >= 0 && json_object_size(o) == 0)
		err = aims_buf_puts(b, " none");
	json_object_foreach((json_t *)o, k, v) {
		if (err >= 0 && (err = aims_buf_puts(b, " ")) >= 0 && (err = aims_html_escape(b, k)) >= 0)
			err = aims_buf_printf(b, ": %lld;", (long long)json_integer_value(v));
	}
	return err < 0 ? err : aims_buf_puts(b, "</p>\n");
}

int aims_review_pack_html(aims_buf *b, const json_t *p, aims_store *store)
{
	char sub[160];
	int err;
	const json_t *ch = json_object_get(p, "changes"), *mon = json_object_get(p, "monitoring"),
		     *nc = json_object_get(p, "nonconformities"), *rk = json_object_get(p, "risks"),
		     *kp = json_object_get(p, "kpis");
	snprintf(sub, sizeof(sub), "Period %s (%s to %s, end exclusive): the inputs of ISO/IEC 42001 9.3.2, computed "
		 "from the store", str(p, "period"), str(p, "since"), str(p, "until"));
	if ((err = aims__report_begin(b, "Management review pack", sub)) < 0)
		return err;
#define T(a, ...)                                                                                  \
	do {                                                                                       \
		static const char *const keys_[] = { __VA_ARGS__ };                                \
		if ((err = aims__pdca_none(b, (a), "entries")) == 0)                                          \
			err = aims__pdca_table(b, (a), keys_, keys_, sizeof(keys_) / sizeof(keys_[0]));       \
		if (err < 0)                                                                       \
			return err;                                                                \
	} while (0)
	if ((err = aims__pdca_h2(b, "9.3.2 a", "Status of actions from previous management reviews")) < 0)
		return err;
	T(json_object_get(p, "previous_reviews"), "id", "title", "status", "approved_at");
	if ((err = counts(b, json_object_get(nc, "corrective_actions_by_status"), "Corrective actions by status:")) < 0 ||
	    (err = aims__pdca_h2(b, "9.3.2 b", "Changes in issues relevant to the AI management system")) < 0)
		return err;
	T(json_object_get(ch, "organization"), "time", "actor", "action", "object_type", "object_id");
	if ((err = aims__pdca_h2(b, "9.3.2 c", "Changes in the AI systems")) < 0)
		return err;
	T(json_object_get(ch, "ai_systems"), "time", "actor", "action", "object_type", "object_id");
	if ((err = aims__pdca_h2(b, "9.3.2 d", "Monitoring and measurement results")) < 0)
		return err;
	T(json_object_get(mon, "runs"), "id", "period", "status", "drift_share", "nonconformity");
	T(json_object_get(mon, "evaluations"), "id", "system", "kind", "recorded_at", "summary");
	if ((err = aims__pdca_h2(b, "9.3.2 d", "Nonconformities and corrective actions")) < 0)
		return err;
	T(json_object_get(nc, "opened"), "id", "title", "source", "requirement", "status", "owner");
	if ((err = aims_buf_puts(b, "<p>Open at the end of the period:</p>\n")) < 0)
		return err;
	T(json_object_get(nc, "open_at_end"), "id", "title", "source", "requirement", "status", "owner");
	if ((err = aims_buf_printf(b, "<p>Corrective actions overdue today: %lld</p>\n",
				   (long long)json_integer_value(json_object_get(nc, "corrective_actions_overdue")))) < 0 ||
	    (err = aims__pdca_h2(b, "9.3.2 d", "Audit results")) < 0)
		return err;
	T(json_object_get(p, "audits"), "id", "title", "auditor", "conformities", "observations", "nonconformities",
	  "summary");
	if ((err = aims_buf_puts(b, "<p>Audit programmes of the period (coverage of clauses, Annex A controls and AI "
				"systems by their audits):</p>\n")) < 0)
		return err;
	T(json_object_get(p, "audit_programmes"), "id", "title", "period", "audits", "audits_closed", "clauses_covered",
	  "clauses_total", "controls_covered", "controls_total", "systems_covered", "systems_total",
	  "nonconformities_open");
	if ((err = aims__pdca_h2(b, "9.3.2 d", "AI incidents")) < 0)
		return err;
	T(json_object_get(p, "incidents"), "id", "title", "system", "severity", "serious", "status", "deadline_state");
	if ((err = aims__pdca_h2(b, "9.3.2 d", "Objectives (6.2)")) < 0)
		return err;
	T(json_object_get(p, "objectives"), "id", "title", "kpi", "target", "value", "met");
	if ((err = aims__pdca_h2(b, "9.3.2 d", "Key figures")) < 0)
		return err;
	const char *k;
	json_t *v;
	if ((err = aims_buf_puts(b, "<table><tbody>\n")) < 0)
		return err;
	json_object_foreach((json_t *)kp, k, v) {
		char val[64];
		if (json_is_real(v))
			snprintf(val, sizeof(val), "%.1f%%", 100 * json_real_value(v));
		else if (json_is_integer(v))
			snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		else
			snprintf(val, sizeof(val), "no data in the period");
		if ((err = aims_buf_puts(b, "<tr><th>")) < 0 || (err = aims_html_escape(b, k)) < 0 ||
		    (err = aims_buf_puts(b, "</th><td>")) < 0 || (err = aims_html_escape(b, val)) < 0 ||
		    (err = aims_buf_puts(b, "</td></tr>\n")) < 0)
			return err;
	}
	if ((err = aims_buf_puts(b, "</tbody></table>\n")) < 0 || (err = aims__pdca_h2(b, "9.3.2 d", "Risk status")) < 0 ||
	    (err = aims_buf_printf(b, "<p>%lld risks, %lld above tolerance.</p>\n",
				   (long long)json_integer_value(json_object_get(rk, "total")),
				   (long long)json_integer_value(json_object_get(rk, "above_tolerance")))) < 0 ||
	    (err = counts(b, json_object_get(rk, "by_status"), "By status:")) < 0 ||
	    (err = aims__pdca_h2(b, "9.3.2 e", "Opportunities for continual improvement")) < 0)
		return err;
	T(json_object_get(p, "opportunities"), "kind", "id", "title", "root_cause");
#undef T
	return aims__report_end(b, store);
}

/* the Markdown of a recorded review: the decisions, then the inputs in brief */
static int record_body(aims_buf *b, const json_t *p, const char *decisions, const char *digest)
{
	const json_t *nc = json_object_get(p, "nonconformities");
	int err;
	if ((err = aims_buf_printf(b, "# Management review %s\n\nPeriod %s to %s (end exclusive). Inputs: the review "
				   "pack generated %s, SHA-256 %s.\n\n## Decisions (ISO/IEC 42001 9.3.3)\n\n",
				   str(p, "period"), str(p, "since"), str(p, "until"), str(p, "generated_at"), digest)) < 0 ||
	    (err = aims_buf_puts(b, decisions)) < 0 ||
	    (err = aims_buf_printf(b, "\n\n## Inputs in brief (9.3.2)\n\n"
				   "- previous review records: %zu\n- changes to AI systems in the ledger: %zu\n"
				   "- monitoring runs: %zu; evaluations recorded: %zu\n"
				   "- nonconformities opened: %zu; open at the end: %zu\n- audits closed: %zu\n"
				   "- incidents: %zu\n- risks: %lld, above tolerance %lld\n- opportunities: %zu\n",
				   json_array_size(json_object_get(p, "previous_reviews")),
				   json_array_size(json_object_get(json_object_get(p, "changes"), "ai_systems")),
				   json_array_size(json_object_get(json_object_get(p, "monitoring"), "runs")),
				   json_array_size(json_object_get(json_object_get(p, "monitoring"), "evaluations")),
				   json_array_size(json_object_get(nc, "opened")), json_array_size(json_object_get(nc, "open_at_end")),
				   json_array_size(json_object_get(p, "audits")), json_array_size(json_object_get(p, "incidents")),
				   (long long)json_integer_value(json_object_get(json_object_get(p, "risks"), "total")),
				   (long long)json_integer_value(json_object_get(json_object_get(p, "risks"), "above_tolerance")),
				   json_array_size(json_object_get(p, "opportunities")))) < 0)
		return err;
	return aims__md_escape_html(b, 0);
}

int aims_review_record(json_t **out, aims_store *store, const char *period, const char *decisions, const char *owner)
{
	aims_doc_new_opts o = AIMS_DOC_NEW_INIT;
	aims_buf body = AIMS_BUF_INIT;
	json_t *p = NULL;
	char id[64], title[96], dg[72], *made = NULL;
	int err;
	*out = NULL;
	if ((err = aims__pdca_text("decisions", decisions, 1, 0)) < 0 || (err = aims_review_pack(&p, store, period)) < 0)
		return err;
	snprintf(id, sizeof(id), "management-review-%s", period);
	for (char *c = id; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c == '.' ? '-' : *c);
	snprintf(title, sizeof(title), "Management review %s", period);
	if ((err = aims__pdca_digest(dg, p)) < 0 || (err = record_body(&body, p, decisions, dg)) < 0 ||
	    (err = aims_buf_putc(&body, '\0')) < 0)
		goto done;
	o.id = id;
	o.type = "management-review";
	o.title = title;
	o.owner = owner;
	o.body = body.ptr;
	if ((err = aims_doc_create(&made, store, &o)) < 0)
		goto done;
	if (!(*out = json_pack("{s:s, s:s, s:s, s:O?}", "document", made, "period", period, "pack_digest", dg, "pack", p)))
		err = aims__oom();
done:
	aims_buf_release(&body);
	json_decref(p);
	aims__free(made);
	return err;
}
