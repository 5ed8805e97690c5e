/*
 * Review metrics of one AI system (/systems/{name}/review-metrics, the path
 * of the API's review.metrics): coverage (share of decisions reviewed),
 * override rate, median time to review, backlog and explanation share,
 * recomputed from the decision log for a period (?since=, ?until=) exactly
 * as `aims review metrics` does; the three shares drawn as bars with their
 * table; the system's recorded oversight reports; and, for the roles that
 * may, a form recording the metrics as evidence (review.report, as
 * `aims review report`).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

/* the figures of review.metrics, in the order shown: key, label, whether a share (0..1) */
static const struct {
	const char *key, *label;
	const char *bar; /* a share (0..1): its name in the chart */
} FIGURES[] = {
	{ "decisions", "Decisions in the log", NULL },
	{ "selected", "Selected for review", NULL },
	{ "reviewed", "Reviewed", NULL },
	{ "share_reviewed", "Share of decisions reviewed (coverage)", "coverage" },
	{ "reviewed_at_source", "Reviewed at the source (before ingest)", NULL },
	{ "overrides", "Overridden", NULL },
	{ "override_rate", "Override rate (of the reviewed)", "override rate" },
	{ "median_time_to_review_seconds", "Median time to review (seconds)", NULL },
	{ "backlog", "Backlog (selected, not yet reviewed)", NULL },
	{ "explanations", "Decisions with an explanation", NULL },
	{ "explanation_share", "Share with an explanation", "explanation share" },
	{ "review_records", "Review records in the log", NULL },
	{ "reviews_invalid", "Review records not counted (invalid)", NULL },
	{ "pruned", "Records pruned from the log", NULL },
	{ "log_size", "Entries in the log", NULL },
};

/* a figure as text: integers as they are, other numbers with 4 decimals (shares also as a percentage) */
static json_t *figure_text(const json_t *v, int share)
{
	char t[96];
	if (json_is_integer(v))
		snprintf(t, sizeof(t), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_number(v) && share)
		snprintf(t, sizeof(t), "%.4f (%.1f%%)", json_number_value(v), json_number_value(v) * 100);
	else if (json_is_number(v))
		snprintf(t, sizeof(t), "%.4f", json_number_value(v));
	else
		snprintf(t, sizeof(t), "n/a");
	return json_string(t);
}

static int record_report(W *w, const char *system)
{
	static const char *const keys[] = { "since", "until", NULL };
	json_t *req = aims__web_req1("system", system);
	int err;
	if (!req)
		return aims__oom();
	if (aims__web_form_copy(req, w, keys) < 0) {
		json_decref(req);
		return aims__oom();
	}
	if ((err = aims__web_call(NULL, NULL, w, "review.report", req)) < 0)
		return aims__web_fail(w, err);
	return aims__web_redirect_to(w, "/systems/", system, "/review-metrics");
}

int aims__web_pg_review_metrics(W *w, const char *system)
{
	const char *since = aims__web_qstr(w, "since"), *until = aims__web_qstr(w, "until");
	json_t *m = NULL, *req, *ctx, *rows, *bars_rows;
	aims_buf desc = AIMS_BUF_INIT;
	int err;
	if (strcmp(w->rq->method, "POST") == 0)
		return record_report(w, system);
	if (!(req = aims__web_req1("system", system)))
		return aims__oom();
	if (since && *since)
		json_object_set_new(req, "since", json_string(since));
	if (until && *until)
		json_object_set_new(req, "until", json_string(until));
	if ((err = aims__web_call(&m, NULL, w, "review.metrics", req)) < 0)
		return aims__web_fail(w, err);
	rows = json_array();
	bars_rows = json_array();
	(void)aims_buf_printf(&desc, "Shares of %s's decisions:", system);
	for (size_t i = 0; i < sizeof(FIGURES) / sizeof(FIGURES[0]); i++) {
		const json_t *v = json_object_get(m, FIGURES[i].key);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "key", FIGURES[i].key, "label", FIGURES[i].label,
						      "value", figure_text(v, FIGURES[i].bar != NULL)));
		if (!FIGURES[i].bar)
			continue;
		json_array_append_new(bars_rows, json_pack("{s:s, s:[O]}", "label", FIGURES[i].bar, "values",
							   v ? v : json_null()));
		if (json_is_number(v))
			(void)aims_buf_printf(&desc, " %s %.4f.", FIGURES[i].label, json_number_value(v));
		else
			(void)aims_buf_printf(&desc, " %s undefined (nothing to divide by).", FIGURES[i].label);
	}
	static const char *const one[] = { "share" };
	static const char *const color[] = { "#0b4f9c" };
	aims__web_bars bc = { "chart-shares", "Coverage, override rate and explanation share", one, color, 1, 1.0, NULL, 0 };
	json_t *api = aims__web_url("/api/v1/systems/", system, "/review-metrics");
	ctx = json_pack("{s:s, s:o, s:o?, s:o, s:s, s:s, s:O?, s:O?, s:O?, s:o, s:o, s:b, s:o}", "system", system,
			"figures", rows, "shares_svg", aims__web_svg_bars(&bc, bars_rows, desc.ptr ? desc.ptr : ""), "api", api,
			"since", since ? since : "", "until", until ? until : "", "period_since", json_object_get(m, "since"),
			"period_until", json_object_get(m, "until"), "computed_at", json_object_get(m, "computed_at"),
			"system_href", aims__web_url("/systems/", system, NULL), "log_href",
			aims__web_url("/decisions/", system, NULL), "can_record", aims__web_can(w, "review.report"),
			"action", aims__web_url("/systems/", system, "/review-metrics"));
	json_decref(bars_rows);
	json_decref(m);
	aims_buf_release(&desc);
	if (!ctx)
		return aims__oom();
	if ((err = aims__web_sub_table(ctx, "reports", w, "review.reports", aims__web_req1("system", system), "reports",
				       aims__web_review_report_cols)) < 0) {
		json_decref(ctx);
		return aims__web_fail(w, err);
	}
	char title[160];
	snprintf(title, sizeof(title), "Review metrics of %s", system);
	return aims__web_page(w, 200, "review_metrics.html", title, ctx);
}
