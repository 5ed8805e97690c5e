/*
 * HTML reports of fairness and performance results: one self-contained
 * page (inline CSS and SVG drawn here, no scripts, prints on A4) built
 * from the result JSON of aims_eval_binary, so a stored result renders the
 * same as a fresh one. Charts: rates per group (selection rate, TPR, FPR),
 * disparate impact per group against the four-fifths band, the ROC curve
 * and the calibration (reliability) curve.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "report/report_internal.h"

#define W 700

static const char *const RATE_KEYS[] = { "selection_rate", "tpr", "fpr" };
static const char *const RATE_NAMES[] = { "selection rate", "true positive rate", "false positive rate" };
static const char *const RATE_COLORS[] = { "#3b6ea8", "#2e7d4f", "#c98a12" };

static int esc(aims_buf *b, const char *s)
{
	return aims_html_escape(b, s ? s : "");
}

static int fmt(aims_buf *b, json_t *v, const char *f)
{
	if (!json_is_number(v))
		return aims_buf_puts(b, "&ndash;");
	return aims_buf_printf(b, f, json_number_value(v));
}

/* grouped horizontal bars: per group, one bar per rate, axis 0..1 */
static int svg_rates(aims_buf *b, json_t *groups)
{
	const int left = 200, right = 30, bh = 7, top = 30;
	size_t n = json_array_size(groups), i;
	int gh = 3 * bh + 8, h = top + (int)n * gh + 24, err;
	double span = W - left - right;
	json_t *g;
	if ((err = aims_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				   "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"rates per group\">", W, h, W, h)) < 0)
		return err;
	for (int k = 0; k < 3; k++)
		(void)aims_buf_printf(b, "<rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>"
				      "<text x=\"%d\" y=\"15\" font-size=\"10\">%s</text>", left + k * 160,
				      RATE_COLORS[k], left + k * 160 + 14, RATE_NAMES[k]);
	for (int t = 0; t <= 10; t += 2) {
		double x = left + span * t / 10.0;
		(void)aims_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e1e6ed\"/>"
				      "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">%.1f</text>",
				      x, top - 4, x, h - 20, x, h - 8, t / 10.0);
	}
	for (i = 0; (g = json_array_get(groups, i)) != NULL; i++) {
		int y = top + (int)i * gh;
		(void)aims_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">", left - 6,
				      y + 3 * bh / 2 + 4);
		(void)esc(b, json_string_value(json_object_get(g, "group")));
		(void)aims_buf_puts(b, "</text>");
		for (int k = 0; k < 3; k++) {
			json_t *v = json_object_get(g, RATE_KEYS[k]);
			if (!json_is_number(v)) {
				(void)aims_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"8\" fill=\"#7b8494\">"
						      "undefined</text>", left + 2, y + k * bh + bh);
				continue;
			}
			(void)aims_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
					      "<title>%s %.4f</title></rect>", left, y + k * bh,
					      span * json_number_value(v), bh - 1, RATE_COLORS[k], RATE_NAMES[k],
					      json_number_value(v));
		}
	}
	return aims_buf_puts(b, "</svg>\n");
}

/* disparate impact per group on an axis 0..max, with the four-fifths band shaded */
static int svg_impact(aims_buf *b, json_t *groups)
{
	const int left = 200, right = 30, bh = 12, top = 24;
	size_t n = json_array_size(groups), i;
	int h = top + (int)n * (bh + 6) + 24, err;
	double max = 1.5, span = W - left - right;
	json_t *g;
	for (i = 0; (g = json_array_get(groups, i)) != NULL; i++) {
		json_t *v = json_object_get(g, "disparate_impact");
		if (json_is_number(v) && json_number_value(v) > max)
			max = json_number_value(v);
	}
	max = ceil(max * 4) / 4;
	if ((err = aims_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				   "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"disparate impact\">"
				   "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#2e7d4f\" "
				   "fill-opacity=\"0.12\"/><text x=\"%.1f\" y=\"14\" font-size=\"9\" fill=\"#2e7d4f\">"
				   "four-fifths band 0.8 &ndash; 1.25</text>", W, h, W, h, left + span * 0.8 / max,
				   top - 4, span * 0.45 / max, h - top - 16, left + span * 0.8 / max)) < 0)
		return err;
	for (int q = 0; q <= (int)(max * 4 + 0.5); q++) {
		double t = q / 4.0, x = left + span * t / max;
		(void)aims_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>"
				      "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">%.2f</text>",
				      x, top - 4, x, h - 20, fabs(t - 1) < 1e-9 ? "#5a6475" : "#e1e6ed", x, h - 8, t);
	}
	for (i = 0; (g = json_array_get(groups, i)) != NULL; i++) {
		int y = top + (int)i * (bh + 6);
		json_t *v = json_object_get(g, "disparate_impact");
		(void)aims_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">", left - 6,
				      y + bh - 2);
		(void)esc(b, json_string_value(json_object_get(g, "group")));
		(void)aims_buf_puts(b, "</text>");
		if (!json_is_number(v)) {
			(void)aims_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"9\" fill=\"#7b8494\">undefined"
					      "</text>", left + 2, y + bh - 2);
			continue;
		}
		double d = json_number_value(v);
		(void)aims_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
				      "<title>%.4f</title></rect>", left, y, span * d / max, bh,
				      json_is_true(json_object_get(g, "four_fifths")) ? "#3b6ea8" : "#b63a3a", d);
	}
	return aims_buf_puts(b, "</svg>\n");
}

/* a unit-square plot (x, y in [0, 1]) with a dashed diagonal */
static int svg_unit_begin(aims_buf *b, const char *label, const char *xl, const char *yl)
{
	int err = aims_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"330\" height=\"330\" "
				  "viewBox=\"0 0 330 330\" role=\"img\" aria-label=\"%s\" style=\"margin-right:6mm\">"
				  "<rect x=\"40\" y=\"10\" width=\"270\" height=\"270\" fill=\"none\" stroke=\"#c9d1dc\"/>"
				  "<line x1=\"40\" y1=\"280\" x2=\"310\" y2=\"10\" stroke=\"#9aa3b2\" "
				  "stroke-dasharray=\"4 3\"/>", label);
	for (int t = 0; t <= 4; t++) {
		double p = 270.0 * t / 4;
		(void)aims_buf_printf(b, "<text x=\"%.1f\" y=\"295\" font-size=\"9\" text-anchor=\"middle\">%.2f</text>"
				      "<text x=\"34\" y=\"%.1f\" font-size=\"9\" text-anchor=\"end\">%.2f</text>",
				      40 + p, t / 4.0, 283 - p, t / 4.0);
	}
	(void)aims_buf_printf(b, "<text x=\"175\" y=\"320\" font-size=\"10\" text-anchor=\"middle\">%s</text>"
			      "<text x=\"10\" y=\"150\" font-size=\"10\" transform=\"rotate(-90 10 150)\" "
			      "text-anchor=\"middle\">%s</text>", xl, yl);
	return err;
}

static int svg_roc(aims_buf *b, json_t *curve)
{
	size_t i;
	json_t *pt;
	int err = svg_unit_begin(b, "ROC curve", "false positive rate", "true positive rate");
	if (err < 0)
		return err;
	(void)aims_buf_puts(b, "<polyline fill=\"none\" stroke=\"#3b6ea8\" stroke-width=\"2\" points=\"");
	for (i = 0; (pt = json_array_get(curve, i)) != NULL; i++)
		(void)aims_buf_printf(b, "%.1f,%.1f ", 40 + 270 * json_number_value(json_array_get(pt, 0)),
				      280 - 270 * json_number_value(json_array_get(pt, 1)));
	return aims_buf_puts(b, "\"/></svg>");
}

static int svg_calibration(aims_buf *b, json_t *bins)
{
	size_t i;
	json_t *bin;
	int err = svg_unit_begin(b, "calibration curve", "mean score in bin", "fraction of positives");
	if (err < 0)
		return err;
	(void)aims_buf_puts(b, "<polyline fill=\"none\" stroke=\"#c98a12\" stroke-width=\"2\" points=\"");
	for (i = 0; (bin = json_array_get(bins, i)) != NULL; i++) {
		json_t *x = json_object_get(bin, "mean_score"), *y = json_object_get(bin, "fraction_positive");
		if (json_is_number(x) && json_is_number(y))
			(void)aims_buf_printf(b, "%.1f,%.1f ", 40 + 270 * json_number_value(x),
					      280 - 270 * json_number_value(y));
	}
	(void)aims_buf_puts(b, "\"/>");
	for (i = 0; (bin = json_array_get(bins, i)) != NULL; i++) {
		json_t *x = json_object_get(bin, "mean_score"), *y = json_object_get(bin, "fraction_positive");
		if (json_is_number(x) && json_is_number(y))
			(void)aims_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#c98a12\"><title>n %lld"
					      "</title></circle>", 40 + 270 * json_number_value(x),
					      280 - 270 * json_number_value(y),
					      (long long)json_integer_value(json_object_get(bin, "n")));
	}
	return aims_buf_puts(b, "</svg>");
}

static int undefined_list(aims_buf *b, json_t *undef)
{
	const char *k;
	json_t *v;
	if (json_object_size(undef) == 0)
		return 0;
	(void)aims_buf_puts(b, "<p class=\"small\">Undefined: ");
	int first = 1;
	for (void *it = json_object_iter(undef); it && (k = json_object_iter_key(it)) != NULL &&
	     (v = json_object_iter_value(it)) != NULL; it = json_object_iter_next(undef, it)) {
		(void)aims_buf_puts(b, first ? "" : "; ");
		(void)esc(b, k);
		(void)aims_buf_puts(b, " &ndash; ");
		(void)esc(b, json_string_value(v));
		first = 0;
	}
	return aims_buf_puts(b, "</p>\n");
}

static int input_section(aims_buf *b, json_t *r)
{
	json_t *in = json_object_get(r, "input");
	(void)aims_buf_puts(b, "<p class=\"small\">Input <span class=\"ev\">");
	(void)esc(b, json_string_value(json_object_get(in, "name")));
	(void)aims_buf_puts(b, "</span> &middot; ");
	(void)esc(b, json_string_value(json_object_get(in, "sha256")));
	return aims_buf_printf(b, " &middot; %lld rows read, %lld used, %lld skipped for missing values</p>\n",
			       (long long)json_integer_value(json_object_get(in, "rows_read")),
			       (long long)json_integer_value(json_object_get(in, "rows_used")),
			       (long long)json_integer_value(json_object_get(in, "rows_skipped")));
}

static int fairness_html(aims_buf *b, json_t *r)
{
	size_t i, g;
	json_t *s, *gj, *params = json_object_get(r, "params");
	static const char *const agg[] = { "demographic_parity_difference", "demographic_parity_ratio",
					   "equalized_odds_difference", "equalized_odds_ratio",
					   "equal_opportunity_difference", "equal_opportunity_ratio" };
	(void)input_section(b, r);
	(void)aims_buf_puts(b, "<p class=\"small\">Label <b>");
	(void)esc(b, json_string_value(json_object_get(params, "label")));
	(void)aims_buf_puts(b, "</b>, prediction <b>");
	(void)esc(b, json_string_value(json_object_get(params, "pred")));
	(void)aims_buf_puts(b, "</b>, positive value <b>");
	(void)esc(b, json_string_value(json_object_get(params, "pos_label")));
	(void)aims_buf_printf(b, "</b>. Small group: fewer than %lld rows or fewer than %lld positive or negative "
			      "labels.</p>\n", (long long)json_integer_value(json_object_get(params, "min_group_size")),
			      (long long)json_integer_value(json_object_get(params, "min_class_count")));
	if (json_array_size(json_object_get(r, "flags")) > 0) {
		(void)aims_buf_puts(b, "<h2>Flags</h2><ul>");
		for (i = 0; (s = json_array_get(json_object_get(r, "flags"), i)) != NULL; i++) {
			(void)aims_buf_puts(b, "<li>");
			(void)esc(b, json_string_value(s));
			(void)aims_buf_puts(b, "</li>");
		}
		(void)aims_buf_puts(b, "</ul>\n");
	}
	for (i = 0; (s = json_array_get(json_object_get(r, "sensitive"), i)) != NULL; i++) {
		json_t *groups = json_object_get(s, "groups");
		(void)aims_buf_puts(b, "<h2>");
		(void)esc(b, json_string_value(json_object_get(s, "name")));
		(void)aims_buf_puts(b, "</h2>\n<p class=\"small\">Reference group: ");
		(void)esc(b, json_string_value(json_object_get(s, "reference")));
		(void)aims_buf_puts(b, " (");
		(void)esc(b, json_string_value(json_object_get(s, "reference_rule")));
		(void)aims_buf_puts(b, ")</p>\n<div class=\"kpis\">");
		for (size_t a = 0; a < 6; a++) {
			(void)aims_buf_puts(b, "<div class=\"kpi\"><b>");
			(void)fmt(b, json_object_get(s, agg[a]), "%.4f");
			(void)aims_buf_printf(b, "</b><span>%s</span></div>", agg[a]);
			if (a == 2)
				(void)aims_buf_puts(b, "</div><div class=\"kpis\">");
		}
		(void)aims_buf_puts(b, "</div>\n<h3>Rates per group</h3>\n");
		(void)svg_rates(b, groups);
		(void)aims_buf_puts(b, "<h3>Disparate impact against the reference group</h3>\n");
		(void)svg_impact(b, groups);
		(void)aims_buf_puts(b, "<table><tr><th>group</th><th class=\"num\">n</th><th class=\"num\">selection</th>"
				    "<th class=\"num\">TPR</th><th class=\"num\">FPR</th><th class=\"num\">TNR</th>"
				    "<th class=\"num\">FNR</th><th class=\"num\">precision</th><th class=\"num\">accuracy"
				    "</th><th class=\"num\">impact</th><th>4/5</th><th>small</th></tr>\n");
		for (g = 0; (gj = json_array_get(groups, g)) != NULL; g++) {
			static const char *const cols[] = { "selection_rate", "tpr", "fpr", "tnr", "fnr", "precision",
							    "accuracy", "disparate_impact" };
			json_t *ff = json_object_get(gj, "four_fifths");
			(void)aims_buf_puts(b, "<tr><td>");
			(void)esc(b, json_string_value(json_object_get(gj, "group")));
			(void)aims_buf_printf(b, "</td><td class=\"num\">%lld</td>",
					      (long long)json_integer_value(json_object_get(gj, "n")));
			for (size_t c = 0; c < 8; c++) {
				(void)aims_buf_puts(b, "<td class=\"num\">");
				(void)fmt(b, json_object_get(gj, cols[c]), "%.4f");
				(void)aims_buf_puts(b, "</td>");
			}
			(void)aims_buf_puts(b, "<td>");
			if (json_is_boolean(ff))
				(void)aims__report_status_badge(b, json_is_true(ff) ? "covered" : "gap",
								json_is_true(ff) ? "ok" : "outside");
			(void)aims_buf_puts(b, "</td><td>");
			(void)esc(b, json_string_value(json_object_get(gj, "small_reason")));
			(void)aims_buf_puts(b, "</td></tr>\n");
		}
		(void)aims_buf_puts(b, "</table>\n");
		(void)undefined_list(b, json_object_get(s, "undefined"));
	}
	return 0;
}

static int performance_html(aims_buf *b, json_t *r)
{
	static const char *const keys[] = { "accuracy", "precision", "recall", "f1", "roc_auc", "log_loss",
					    "brier", "ece" };
	json_t *cm = json_object_get(r, "confusion_matrix");
	(void)input_section(b, r);
	(void)aims_buf_puts(b, "<div class=\"kpis\">");
	for (size_t k = 0; k < 8; k++) {
		(void)aims_buf_puts(b, "<div class=\"kpi\"><b>");
		(void)fmt(b, json_object_get(r, keys[k]), "%.4f");
		(void)aims_buf_printf(b, "</b><span>%s</span></div>", keys[k]);
		if (k == 3)
			(void)aims_buf_puts(b, "</div><div class=\"kpis\">");
	}
	(void)aims_buf_printf(b, "</div>\n<h2>Confusion matrix</h2><table style=\"width:auto\"><tr><th></th>"
			      "<th>predicted negative</th><th>predicted positive</th></tr><tr><th>actual negative</th>"
			      "<td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr><tr><th>actual positive</th>"
			      "<td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr></table>\n",
			      (long long)json_integer_value(json_object_get(cm, "tn")),
			      (long long)json_integer_value(json_object_get(cm, "fp")),
			      (long long)json_integer_value(json_object_get(cm, "fn")),
			      (long long)json_integer_value(json_object_get(cm, "tp")));
	(void)undefined_list(b, json_object_get(r, "undefined"));
	if (json_array_size(json_object_get(r, "roc_curve")) > 0 || json_array_size(json_object_get(r, "calibration")) > 0) {
		(void)aims_buf_puts(b, "<h2>ROC and calibration</h2>\n<div>");
		if (json_array_size(json_object_get(r, "roc_curve")) > 0)
			(void)svg_roc(b, json_object_get(r, "roc_curve"));
		if (json_array_size(json_object_get(r, "calibration")) > 0)
			(void)svg_calibration(b, json_object_get(r, "calibration"));
		(void)aims_buf_puts(b, "</div>\n<p class=\"small\">Calibration: 10 equal-width score bins; expected "
				    "calibration error = sum over bins of (rows in bin / rows) &times; |fraction of "
				    "positives &minus; mean score|.</p>\n");
	}
	return 0;
}

/* a drift result from its JSON (e.g. a stored one): the figures without the histograms, which need the data */
static int drift_html(aims_buf *b, json_t *r)
{
	json_t *cols = json_object_get(r, "columns"), *c, *in;
	json_t *share = json_object_get(r, "drift_share");
	size_t i;
	(void)aims_buf_printf(b, "<div class=\"kpis\"><div class=\"kpi\"><b>%s</b><span>dataset drift</span></div>"
			      "<div class=\"kpi\"><b>", json_is_true(json_object_get(r, "dataset_drift")) ? "yes" : "no");
	if (json_is_number(share))
		(void)aims__report_percent(b, json_number_value(share));
	else
		(void)aims_buf_puts(b, "&ndash;");
	(void)aims_buf_printf(b, "</b><span>drift share</span></div><div class=\"kpi\"><b>%lld of %lld</b>"
			      "<span>tested columns drifted</span></div><div class=\"kpi\"><b>%zu</b><span>columns "
			      "compared</span></div></div>\n",
			      (long long)json_integer_value(json_object_get(r, "columns_drifted")),
			      (long long)json_integer_value(json_object_get(r, "columns_tested")), json_array_size(cols));
	for (i = 0; (in = json_array_get(json_object_get(r, "inputs"), i)) != NULL; i++) {
		(void)aims_buf_puts(b, "<p class=\"small\">");
		(void)esc(b, json_string_value(json_object_get(in, "role")));
		(void)aims_buf_puts(b, " <span class=\"ev\">");
		(void)esc(b, json_string_value(json_object_get(in, "name")));
		(void)aims_buf_puts(b, "</span> &middot; ");
		(void)esc(b, json_string_value(json_object_get(in, "sha256")));
		(void)aims_buf_printf(b, " &middot; %lld rows</p>\n", (long long)json_integer_value(json_object_get(in, "rows")));
	}
	(void)aims_buf_puts(b, "<h2>Columns</h2>\n<table><tr><th>column</th><th>type</th><th class=\"num\">n ref</th>"
			    "<th class=\"num\">n cur</th><th>test</th><th class=\"num\">statistic</th>"
			    "<th class=\"num\">p-value</th><th>distance</th><th class=\"num\">PSI</th><th>drift</th></tr>\n");
	for (i = 0; (c = json_array_get(cols, i)) != NULL; i++) {
		json_t *st = json_object_get(c, "statistics");
		const char *type = json_string_value(json_object_get(c, "type"));
		const char *method = json_string_value(json_object_get(st, "ks_method"));
		int numeric = type && strcmp(type, "numeric") == 0, drift = json_is_true(json_object_get(c, "drift"));
		(void)aims_buf_puts(b, "<tr><td>");
		(void)esc(b, json_string_value(json_object_get(c, "name")));
		(void)aims_buf_puts(b, "</td><td>");
		(void)esc(b, type);
		(void)aims_buf_printf(b, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>",
				      (long long)json_integer_value(json_object_get(c, "n_ref")),
				      (long long)json_integer_value(json_object_get(c, "n_cur")));
		if (!json_is_true(json_object_get(c, "tested"))) {
			(void)aims_buf_puts(b, "<td colspan=\"5\">");
			(void)esc(b, json_string_value(json_object_get(c, "reason")));
			(void)aims_buf_puts(b, "</td><td>untested</td></tr>\n");
			continue;
		}
		(void)aims_buf_printf(b, "<td>%s</td><td class=\"num\">",
				      !numeric ? "chi-square" : json_is_true(json_object_get(c, "approximate")) ? "KS (sketch)" :
				      method && strcmp(method, "exact") == 0 ? "KS exact" : "KS asymptotic");
		(void)fmt(b, json_object_get(st, numeric ? "ks_statistic" : "chi2_statistic"), "%.4g");
		(void)aims_buf_puts(b, "</td><td class=\"num\">");
		(void)fmt(b, json_object_get(st, numeric ? "ks_pvalue" : "chi2_pvalue"), "%.4g");
		(void)aims_buf_puts(b, numeric ? "</td><td>Wasserstein " : "</td><td>Jensen-Shannon ");
		(void)fmt(b, json_object_get(st, numeric ? "wasserstein" : "jensenshannon"), "%.4g");
		(void)aims_buf_puts(b, "</td><td class=\"num\">");
		(void)fmt(b, json_object_get(st, "psi"), "%.4f");
		(void)aims_buf_puts(b, "</td><td>");
		(void)aims__report_status_badge(b, drift ? "gap" : "covered", drift ? "drift" : "no drift");
		(void)aims_buf_puts(b, "</td></tr>\n");
	}
	(void)aims_buf_puts(b, "</table>\n<h2>Notes per column</h2>\n<ul>");
	for (i = 0; (c = json_array_get(cols, i)) != NULL; i++) {
		json_t *bound = json_object_get(json_object_get(c, "statistics"), "ks_error_bound");
		(void)aims_buf_puts(b, "<li><b>");
		(void)esc(b, json_string_value(json_object_get(c, "name")));
		(void)aims_buf_puts(b, "</b>: ");
		(void)esc(b, json_string_value(json_object_get(c, "reason")));
		if (json_is_string(json_object_get(c, "note"))) {
			(void)aims_buf_puts(b, ". ");
			(void)esc(b, json_string_value(json_object_get(c, "note")));
		}
		if (json_is_true(json_object_get(c, "approximate")) && json_is_number(bound))
			(void)aims_buf_printf(b, ". Approximate: quantile sketch, |D - D_exact| &le; %.3g",
					      json_number_value(bound));
		(void)aims_buf_puts(b, "</li>");
	}
	return aims_buf_puts(b, "</ul>\n<p class=\"small\">The distributions (histograms) are drawn from the data by "
			     "'aims eval drift --html'; a stored result keeps the figures above. Definitions: "
			     "docs/drift.md.</p>\n");
}

int aims_eval_report_html(char **html, size_t *len, const char *kind, const char *result_json)
{
	json_t *r = NULL;
	aims_buf b = AIMS_BUF_INIT;
	char now[32];
	int err;

	*html = NULL;
	*len = 0;
	if (!kind || (strcmp(kind, "fairness") != 0 && strcmp(kind, "performance") != 0 && strcmp(kind, "drift") != 0))
		return aims__err(AIMS_EUSAGE, "HTML report: kind '%s': expected fairness, performance or drift",
				 kind ? kind : "(null)");
	if ((err = aims__json_parse(&r, result_json, strlen(result_json), "result")) < 0)
		return err;
	int fair = strcmp(kind, "fairness") == 0, drift = strcmp(kind, "drift") == 0;
	if (!json_is_object(r) || (drift ? !json_is_array(json_object_get(r, "columns"))
					 : !json_is_object(json_object_get(r, "input")))) {
		err = aims__err(AIMS_EINVALID, "HTML report: not a %s result", kind);
		goto done;
	}
	aims__time_now(now);
	if ((err = aims__report_begin(&b, fair ? "Fairness evaluation" : drift ? "Data drift report" : "Performance evaluation",
				      fair ? "Group fairness of a binary classifier (ISO/IEC 42001 A.6.2.4, A.6.2.6)"
				      : drift ? "Data drift between a reference and a current data set (ISO/IEC 42001 "
						"A.6.2.6, A.7.4)"
					   : "Model performance of a binary classifier (ISO/IEC 42001 A.6.2.4, A.6.2.6)")) < 0)
		goto done;
	if ((err = fair ? fairness_html(&b, r) : drift ? drift_html(&b, r) : performance_html(&b, r)) < 0)
		goto done;
	if ((err = aims_buf_printf(&b, "<footer><div>generated %s by aims %s &middot; definitions: "
				   "docs/%s.md</div></footer>\n</body></html>\n", now, aims_version(),
				   drift ? "drift" : "evaluation")) < 0)
		goto done;
	*html = aims_buf_detach(&b, len);
	if (!*html)
		err = aims__oom();
done:
	json_decref(r);
	aims_buf_release(&b);
	return err;
}
