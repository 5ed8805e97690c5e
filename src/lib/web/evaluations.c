/*
 * One stored evaluation (/evaluations/{id}): its record and its results
 * drawn as charts made here as inline SVG (no script, no style attribute:
 * the pages' CSP allows neither inline). Fairness: per sensitive attribute
 * the rates per group and the disparate impact against the four-fifths band;
 * performance: the confusion matrix, the ROC and calibration curves;
 * drift: the PSI per column against its threshold. Every chart has a title
 * and a description for assistive technology and is followed by a table of
 * the same numbers (what prints and what a screen reader reads). When the
 * system has more than one evaluation of the kind, a trend of its headline
 * figure over them. Everything comes from eval.show and eval.list.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

#define CW 720        /* width of a chart */
#define TREND_MAX 12  /* evaluations in a trend: the newest */

static const char INK[] = "#1a1a1a", GRID[] = "#d5d9df", BAD[] = "#a3201b";

/* an SVG being written; bad is set by the first failed append */
typedef struct {
	aims_buf b;
	int bad;
} svg;

static void sv(svg *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sv(svg *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (aims_buf_vprintf(&s->b, fmt, ap) < 0)
		s->bad = 1;
	va_end(ap);
}

static void sv_esc(svg *s, const char *t)
{
	if (aims__web_escape(&s->b, t ? t : "", t ? strlen(t) : 0) < 0)
		s->bad = 1;
}

/* the opening of a chart: its title and description name it for assistive technology */
static void sv_begin(svg *s, const char *id, int h, const char *title, const char *desc)
{
	sv(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	      "role=\"img\" aria-labelledby=\"%s-t %s-d\" font-family=\"system-ui, sans-serif\" font-size=\"11\" "
	      "fill=\"%s\"><title id=\"%s-t\">", id, CW, h, CW, h, id, id, INK, id);
	sv_esc(s, title);
	sv(s, "</title><desc id=\"%s-d\">", id);
	sv_esc(s, desc);
	sv(s, "</desc>");
}

/* a label that fits left of the bars: at most LABEL_MAX bytes, cut at a character and marked with an ellipsis
   (the chart's description and table give it whole) */
#define LABEL_MAX 28
static void sv_label(svg *s, const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n <= LABEL_MAX) {
		sv_esc(s, t);
		return;
	}
	n = LABEL_MAX - 1;
	while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
		n--;
	if (aims__web_escape(&s->b, t, n) < 0)
		s->bad = 1;
	sv(s, "\xE2\x80\xA6");
}

/* the chart as a JSON string for {{{...}}}, or NULL (out of memory) */
static json_t *sv_end(svg *s)
{
	sv(s, "</svg>");
	json_t *j = s->bad ? NULL : json_stringn(s->b.ptr, s->b.len);
	aims_buf_release(&s->b);
	return j;
}

/* a number as text with `digits` decimals, or "n/a" */
static json_t *num(const json_t *v, int digits)
{
	char t[64];
	if (!json_is_number(v))
		return json_string("n/a");
	snprintf(t, sizeof(t), "%.*f", digits, json_number_value(v));
	return json_string(t);
}

/* a step of 1, 2, 2.5 or 5 times a power of ten that divides 0..max into at most 6 parts */
static double nice_step(double max)
{
	static const double m[] = { 1, 2, 2.5, 5 };
	double p = pow(10, floor(log10(max / 6)));
	for (int i = 0; i < 4; i++)
		if (max / (m[i] * p) <= 6)
			return m[i] * p;
	return 10 * p;
}

/* ---- horizontal bars ---- */

json_t *aims__web_svg_bars(const aims__web_bars *c, const json_t *rows, const char *desc)
{
	const int left = 180, right = 90, bh = 13, gap = 9;
	int top = c->nseries > 1 ? 40 : 22, rh = (int)c->nseries * bh + gap;
	int h = top + (int)json_array_size(rows) * rh + 24;
	double span = CW - left - right, max = c->max > 0 && isfinite(c->max) ? c->max : 1, step = nice_step(max);
	svg s = { AIMS_BUF_INIT, 0 };
	const json_t *r;
	size_t i;
	sv_begin(&s, c->id, h, c->title, desc);
	for (size_t k = 0; c->nseries > 1 && k < c->nseries; k++)
		sv(&s, "<rect x=\"%d\" y=\"6\" width=\"11\" height=\"11\" fill=\"%s\"/><text x=\"%d\" y=\"16\">%s</text>",
		   left + (int)k * 150, c->colors[k], left + (int)k * 150 + 15, c->series[k]);
	max = ceil(max / step - 1e-9) * step;
	for (int t = 0; t * step <= max + 1e-9; t++) {
		double x = left + span * t * step / max;
		sv(&s, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/><text x=\"%.1f\" y=\"%d\" "
		       "text-anchor=\"middle\">%g</text>", x, top - 4, x, h - 20, GRID, x, h - 6, t * step);
	}
	for (i = 0; (r = json_array_get(rows, i)) != NULL; i++) {
		int y = top + (int)i * rh;
		sv(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + (int)c->nseries * bh / 2 + 4);
		sv_label(&s, json_string_value(json_object_get(r, "label")));
		sv(&s, "</text>");
		for (size_t k = 0; k < c->nseries; k++) {
			const json_t *v = json_array_get(json_object_get(r, "values"), k);
			int by = y + (int)k * bh, bad = json_is_true(json_array_get(json_object_get(r, "bad"), k));
			if (!json_is_number(v)) {
				sv(&s, "<text x=\"%d\" y=\"%d\">undefined</text>", left + 4, by + bh - 3);
				continue;
			}
			double d = json_number_value(v), wd = span * fmin(fmax(d, 0), max) / max;
			sv(&s, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s/>"
			       "<text x=\"%.1f\" y=\"%d\">%.4f%s</text>", left, by, wd, bh - 2, bad ? BAD : c->colors[k],
			   bad ? " stroke=\"#1a1a1a\" stroke-dasharray=\"3 2\"" : "", left + wd + 4, by + bh - 3, d,
			   bad ? " outside" : "");
		}
	}
	for (size_t l = 0; l < c->nlines; l++) {
		double x = left + span * fmin(c->lines[l], max) / max;
		sv(&s, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" "
		       "stroke-dasharray=\"6 3\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-weight=\"700\">"
		       "%g</text>", x, top - 6, x, h - 20, INK, x, top - 8 > 12 ? top - 8 : 12, c->lines[l]);
	}
	return sv_end(&s);
}

/* ---- a plot on the unit square (ROC, calibration) ---- */

/* points: [[x, y], ...] in [0, 1] */
static json_t *svg_unit(const char *id, const char *title, const char *desc, const char *xl, const char *yl,
			const json_t *points, int dots)
{
	const int x0 = 60, y0 = 290, side = 270;
	svg s = { AIMS_BUF_INIT, 0 };
	const json_t *p;
	size_t i;
	sv_begin(&s, id, 340, title, desc);
	sv(&s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#767676\"/><line x1=\"%d\" "
	       "y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#767676\" stroke-dasharray=\"4 3\"/>", x0, y0 - side, side, side,
	   x0, y0, x0 + side, y0 - side);
	for (int t = 0; t <= 4; t++)
		sv(&s, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2f</text><text x=\"%d\" y=\"%.1f\" "
		       "text-anchor=\"end\">%.2f</text>", x0 + side * t / 4.0, y0 + 14, t / 4.0, x0 - 5,
		   y0 - side * t / 4.0 + 4, t / 4.0);
	sv(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text><text x=\"14\" y=\"%d\" "
	       "transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>", x0 + side / 2, y0 + 32, xl,
	   y0 - side / 2, y0 - side / 2, yl);
	sv(&s, "<polyline fill=\"none\" stroke=\"#0b4f9c\" stroke-width=\"2\" points=\"");
	for (i = 0; (p = json_array_get(points, i)) != NULL; i++)
		sv(&s, "%.1f,%.1f ", x0 + side * json_number_value(json_array_get(p, 0)),
		   y0 - side * json_number_value(json_array_get(p, 1)));
	sv(&s, "\"/>");
	for (i = 0; dots && (p = json_array_get(points, i)) != NULL; i++)
		sv(&s, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#0b4f9c\"/>",
		   x0 + side * json_number_value(json_array_get(p, 0)), y0 - side * json_number_value(json_array_get(p, 1)));
	return sv_end(&s);
}

/* ---- a trend: one figure over successive evaluations ---- */

/* values: [number|null, ...] oldest first; a dashed line at `line` when it is a number */
static json_t *svg_trend(const char *title, const char *desc, const json_t *values, double line)
{
	const int left = 60, right = 30, top = 16, ph = 160, h = top + ph + 40;
	size_t n = json_array_size(values), i;
	double max = 1, span = CW - left - right;
	svg s = { AIMS_BUF_INIT, 0 };
	for (i = 0; i < n; i++)
		if (json_is_number(json_array_get(values, i)))
			max = fmax(max, json_number_value(json_array_get(values, i)));
	if (isfinite(line))
		max = fmax(max, line);
	sv_begin(&s, "chart-trend", h, title, desc);
	double step = nice_step(max);
	max = ceil(max / step - 1e-9) * step;
	for (int t = 0; t * step <= max + 1e-9; t++) {
		double y = top + ph - ph * t * step / max;
		sv(&s, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/><text x=\"%d\" y=\"%.1f\" "
		       "text-anchor=\"end\">%g</text>", left, y, CW - right, y, GRID, left - 6, y + 4, t * step);
	}
	if (isfinite(line))
		sv(&s, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
		       "stroke-dasharray=\"6 3\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"700\">%g"
		       "</text>", left, top + ph - ph * line / max, CW - right, top + ph - ph * line / max, INK,
		   CW - right, top + ph - ph * line / max - 4, line);
	sv(&s, "<polyline fill=\"none\" stroke=\"#0b4f9c\" stroke-width=\"2\" points=\"");
	for (i = 0; i < n; i++)
		if (json_is_number(json_array_get(values, i)))
			sv(&s, "%.1f,%.1f ", left + (n > 1 ? span * (double)i / (double)(n - 1) : 0),
			   top + ph - ph * json_number_value(json_array_get(values, i)) / max);
	sv(&s, "\"/>");
	for (i = 0; i < n; i++) {
		double x = left + (n > 1 ? span * (double)i / (double)(n - 1) : 0);
		const json_t *v = json_array_get(values, i);
		if (json_is_number(v))
			sv(&s, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#0b4f9c\"/>", x,
			   top + ph - ph * json_number_value(v) / max);
		sv(&s, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%zu</text>", x, top + ph + 16, i + 1);
	}
	sv(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">evaluation (oldest first, as in the table)</text>",
	   left + (int)span / 2, h - 4);
	return sv_end(&s);
}

/* ---- fairness ---- */

static const char *const RATES[] = { "selection_rate", "tpr", "fpr" };
static const char *const RATE_NAMES[] = { "selection rate", "true positive rate", "false positive rate" };
static const char *const RATE_COLORS[] = { "#0b4f9c", "#2b6e3f", "#8a5a00" };
static const char *const AGG[] = { "demographic_parity_difference", "demographic_parity_ratio",
				   "equalized_odds_difference", "equalized_odds_ratio",
				   "equal_opportunity_difference", "equal_opportunity_ratio" };
static const char *const GROUP_COLS[] = { "selection_rate", "tpr", "fpr", "tnr", "fnr", "precision", "accuracy",
					  "disparate_impact" };

static void say(aims_buf *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(aims_buf *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)aims_buf_vprintf(d, fmt, ap);
	va_end(ap);
}

static void say_num(aims_buf *d, const json_t *v)
{
	if (json_is_number(v))
		say(d, "%.4f", json_number_value(v));
	else
		say(d, "undefined");
}

/* one sensitive attribute: its aggregates, two charts and the table of its groups */
static json_t *fairness_attr(const json_t *a, size_t ai)
{
	const json_t *groups = json_object_get(a, "groups"), *g;
	const char *name = json_string_value(json_object_get(a, "name")), *ref = json_string_value(json_object_get(a, "reference"));
	json_t *aggs = json_array(), *rate_rows = json_array(), *di_rows = json_array(), *rows = json_array();
	aims_buf d1 = AIMS_BUF_INIT, d2 = AIMS_BUF_INIT, t1 = AIMS_BUF_INIT, t2 = AIMS_BUF_INIT;
	char id1[32], id2[32];
	double dimax = 1.5;
	size_t i;
	for (i = 0; i < 6; i++)
		json_array_append_new(aggs, json_pack("{s:s, s:o}", "key", AGG[i], "value", num(json_object_get(a, AGG[i]), 4)));
	say(&d1, "Rates per group of %s.", name ? name : "");
	say(&d2, "Disparate impact of each group of %s against the reference group %s; the four-fifths rule asks for "
		 "0.8 to 1.25.", name ? name : "", ref ? ref : "");
	for (i = 0; (g = json_array_get(groups, i)) != NULL; i++) {
		const char *gn = json_string_value(json_object_get(g, "group"));
		const json_t *di = json_object_get(g, "disparate_impact"), *ff = json_object_get(g, "four_fifths");
		json_t *vals = json_array(), *cells = json_array();
		say(&d1, " %s:", gn ? gn : "");
		for (size_t k = 0; k < 3; k++) {
			json_array_append(vals, json_object_get(g, RATES[k]) ? json_object_get(g, RATES[k]) : json_null());
			say(&d1, " %s ", RATE_NAMES[k]);
			say_num(&d1, json_object_get(g, RATES[k]));
			say(&d1, k < 2 ? "," : ".");
		}
		json_array_append_new(rate_rows, json_pack("{s:s?, s:o}", "label", gn, "values", vals));
		if (json_is_number(di))
			dimax = fmax(dimax, json_number_value(di));
		say(&d2, " %s ", gn ? gn : "");
		say_num(&d2, di);
		say(&d2, "%s.", json_is_false(ff) ? " (outside)" : "");
		json_array_append_new(di_rows, json_pack("{s:s?, s:[O], s:[b]}", "label", gn, "values", di ? di : json_null(),
							 "bad", json_is_false(ff)));
		for (size_t c = 0; c < sizeof(GROUP_COLS) / sizeof(GROUP_COLS[0]); c++)
			json_array_append_new(cells, json_pack("{s:s, s:o}", "key", GROUP_COLS[c], "text",
							       num(json_object_get(g, GROUP_COLS[c]), 4)));
		json_array_append_new(rows, json_pack("{s:s?, s:I, s:o, s:s, s:s?}", "group", gn, "n",
						      json_integer_value(json_object_get(g, "n")), "cells", cells,
						      "four_fifths", json_is_true(ff) ? "within" : json_is_false(ff) ? "outside" : "n/a",
						      "small", json_string_value(json_object_get(g, "small_reason"))));
	}
	snprintf(id1, sizeof(id1), "chart-rates-%zu", ai);
	snprintf(id2, sizeof(id2), "chart-impact-%zu", ai);
	say(&t1, "Rates per group: %s", name ? name : "");
	say(&t2, "Disparate impact against %s", ref ? ref : "the reference group");
	static const double band[] = { 0.8, 1.25 };
	aims__web_bars rc = { id1, t1.ptr, RATE_NAMES, RATE_COLORS, 3, 1.0, NULL, 0 };
	aims__web_bars dc = { id2, t2.ptr, NULL, RATE_COLORS, 1, dimax, band, 2 };
	json_t *o = json_pack("{s:I, s:s?, s:s?, s:s?, s:o, s:o?, s:o?, s:o, s:s, s:s, s:o?}", "idx", (json_int_t)ai, "name", name, "reference", ref,
			      "reference_rule", json_string_value(json_object_get(a, "reference_rule")), "aggregates", aggs,
			      "rates_svg", aims__web_svg_bars(&rc, rate_rows, d1.ptr ? d1.ptr : ""), "impact_svg",
			      aims__web_svg_bars(&dc, di_rows, d2.ptr ? d2.ptr : ""), "groups", rows, "rates_id", id1, "impact_id", id2,
			      "undefined", json_object_size(json_object_get(a, "undefined")) ?
			      aims__web_json_text(json_object_get(a, "undefined"), 6) : NULL);
	json_decref(rate_rows);
	json_decref(di_rows);
	aims_buf_release(&d1);
	aims_buf_release(&d2);
	aims_buf_release(&t1);
	aims_buf_release(&t2);
	return o;
}

static json_t *fairness(const json_t *r)
{
	json_t *attrs = json_array(), *flags = json_array();
	const json_t *a, *f;
	size_t i;
	for (i = 0; (a = json_array_get(json_object_get(r, "sensitive"), i)) != NULL; i++)
		json_array_append_new(attrs, fairness_attr(a, i));
	for (i = 0; (f = json_array_get(json_object_get(r, "flags"), i)) != NULL; i++)
		json_array_append(flags, (json_t *)f);
	return json_pack("{s:o, s:b, s:o}", "attributes", attrs, "has_flags", json_array_size(flags) > 0, "flags", flags);
}

/* ---- performance ---- */

static const char *const PERF[] = { "accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "ece" };

static json_t *performance(const json_t *r)
{
	const json_t *cm = json_object_get(r, "confusion_matrix"), *roc = json_object_get(r, "roc_curve"), *p;
	const json_t *cal = json_object_get(r, "calibration");
	json_t *kpis = json_array(), *o, *pts = json_array();
	aims_buf d = AIMS_BUF_INIT;
	size_t i;
	for (i = 0; i < sizeof(PERF) / sizeof(PERF[0]); i++)
		json_array_append_new(kpis, json_pack("{s:s, s:o}", "key", PERF[i], "value", num(json_object_get(r, PERF[i]), 4)));
	o = json_pack("{s:o, s:{s:I, s:I, s:I, s:I}, s:I}", "kpis", kpis, "cm", "tn",
		      json_integer_value(json_object_get(cm, "tn")), "fp", json_integer_value(json_object_get(cm, "fp")), "fn",
		      json_integer_value(json_object_get(cm, "fn")), "tp", json_integer_value(json_object_get(cm, "tp")), "n",
		      json_integer_value(json_object_get(r, "n")));
	if (!o)
		return NULL;
	if (json_array_size(roc) > 0) {
		json_t *rows = json_array();
		say(&d, "ROC curve through %zu points; area under the curve ", json_array_size(roc));
		say_num(&d, json_object_get(r, "roc_auc"));
		say(&d, ". The points are in the table below the chart.");
		for (i = 0; (p = json_array_get(roc, i)) != NULL; i++)
			json_array_append_new(rows, json_pack("{s:o, s:o}", "fpr", num(json_array_get(p, 0), 4), "tpr",
							      num(json_array_get(p, 1), 4)));
		json_object_set_new(o, "roc_svg", svg_unit("chart-roc", "ROC curve", d.ptr ? d.ptr : "", "false positive rate",
							    "true positive rate", roc, 0));
		json_object_set_new(o, "roc_points", rows);
		aims_buf_clear(&d);
	}
	if (json_array_size(cal) > 0) {
		json_t *rows = json_array();
		say(&d, "Calibration: fraction of positives against the mean score in each of %zu score bins; expected "
			"calibration error ", json_array_size(cal));
		say_num(&d, json_object_get(r, "ece"));
		say(&d, ".");
		for (i = 0; (p = json_array_get(cal, i)) != NULL; i++) {
			const json_t *x = json_object_get(p, "mean_score"), *y = json_object_get(p, "fraction_positive");
			if (json_is_number(x) && json_is_number(y))
				json_array_append_new(pts, json_pack("[O, O]", x, y));
			json_array_append_new(rows, json_pack("{s:o, s:o, s:I, s:o, s:o}", "lower", num(json_object_get(p, "lower"), 2),
							      "upper", num(json_object_get(p, "upper"), 2), "n",
							      json_integer_value(json_object_get(p, "n")), "mean_score", num(x, 4),
							      "fraction_positive", num(y, 4)));
		}
		json_object_set_new(o, "calibration_svg", svg_unit("chart-calibration", "Calibration curve", d.ptr ? d.ptr : "",
								    "mean score in bin", "fraction of positives", pts, 1));
		json_object_set_new(o, "calibration", rows);
	}
	json_decref(pts);
	aims_buf_release(&d);
	return o;
}

/* ---- drift ---- */

static json_t *drift(const json_t *r)
{
	const json_t *cols = json_object_get(r, "columns"), *c, *th = json_object_get(r, "thresholds");
	json_t *rows = json_array(), *bar_rows = json_array();
	double psi_t = json_is_number(json_object_get(th, "psi")) ? json_number_value(json_object_get(th, "psi")) : 0.2;
	double max = psi_t * 2;
	aims_buf d = AIMS_BUF_INIT;
	size_t i;
	say(&d, "Population stability index (PSI) per column; at or above %g is drift.", psi_t);
	for (i = 0; (c = json_array_get(cols, i)) != NULL; i++) {
		const json_t *st = json_object_get(c, "statistics"), *psi = json_object_get(st, "psi");
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *type = json_string_value(json_object_get(c, "type"));
		int numeric = type && strcmp(type, "numeric") == 0, tested = json_is_true(json_object_get(c, "tested"));
		int psi_bad = json_is_number(psi) && json_number_value(psi) >= psi_t;
		if (json_is_number(psi))
			max = fmax(max, json_number_value(psi));
		say(&d, " %s ", name ? name : "");
		say_num(&d, tested ? psi : NULL);
		say(&d, "%s.", psi_bad ? " (at or above the threshold)" : "");
		json_array_append_new(bar_rows, json_pack("{s:s?, s:[O], s:[b]}", "label", name, "values",
							  tested && psi ? psi : json_null(), "bad", psi_bad));
		json_array_append_new(rows, json_pack(
			"{s:s?, s:s?, s:I, s:I, s:b, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:s, s:s?}", "name", name, "type", type,
			"n_ref", json_integer_value(json_object_get(c, "n_ref")), "n_cur",
			json_integer_value(json_object_get(c, "n_cur")), "tested", tested, "test",
			numeric ? (json_is_true(json_object_get(c, "approximate")) ? "KS (sketch)" : "KS") : "chi-square",
			"statistic", num(json_object_get(st, numeric ? "ks_statistic" : "chi2_statistic"), 4), "pvalue",
			num(json_object_get(st, numeric ? "ks_pvalue" : "chi2_pvalue"), 4), "alpha",
			num(json_object_get(th, numeric ? "ks_alpha" : "chi2_alpha"), 4), "distance_name",
			numeric ? "Wasserstein" : "Jensen-Shannon", "distance",
			num(json_object_get(st, numeric ? "wasserstein" : "jensenshannon"), 4), "psi", num(psi, 4), "drift",
			!tested ? "untested" : json_is_true(json_object_get(c, "drift")) ? "drift" : "no drift", "reason",
			json_string_value(json_object_get(c, "reason"))));
	}
	static const char *const one[] = { "PSI" };
	static const char *const color[] = { "#0b4f9c" };
	double lines[] = { psi_t };
	aims__web_bars bc = { "chart-psi", "PSI per column", one, color, 1, max, lines, 1 };
	json_t *o = json_pack("{s:o, s:o?, s:o, s:o, s:s, s:I, s:I, s:o, s:o?}", "columns", rows, "psi_svg",
			      aims__web_svg_bars(&bc, bar_rows, d.ptr ? d.ptr : ""), "psi_threshold", num(json_object_get(th, "psi"), 4),
			      "share_threshold", num(json_object_get(th, "drift_share"), 4), "dataset_drift",
			      json_is_true(json_object_get(r, "dataset_drift")) ? "yes" : "no", "tested",
			      json_integer_value(json_object_get(r, "columns_tested")), "drifted",
			      json_integer_value(json_object_get(r, "columns_drifted")), "share",
			      num(json_object_get(r, "drift_share"), 4), "inputs",
			      json_deep_copy(json_object_get(r, "inputs")));
	json_decref(bar_rows);
	aims_buf_release(&d);
	return o;
}

/* ---- the trend over the system's evaluations of the kind ---- */

/* the headline figure of a result of `kind` (borrowed), and its name; attr: the fairness attribute to follow */
static const json_t *headline(const json_t *r, const char *kind, const char *attr, const char **name)
{
	if (strcmp(kind, "fairness") == 0) {
		const json_t *a;
		*name = "demographic_parity_ratio";
		for (size_t i = 0; (a = json_array_get(json_object_get(r, "sensitive"), i)) != NULL; i++)
			if (aims__web_str_is(a, "name", attr))
				return json_object_get(a, "demographic_parity_ratio");
		return NULL;
	}
	if (strcmp(kind, "performance") == 0) {
		*name = json_is_number(json_object_get(r, "roc_auc")) ? "roc_auc" : "accuracy";
		return json_object_get(r, *name);
	}
	*name = "drift_share";
	return json_object_get(r, "drift_share");
}

static int trend(json_t *ctx, W *w, const json_t *ev)
{
	const char *system = json_string_value(json_object_get(ev, "system"));
	const char *kind = json_string_value(json_object_get(ev, "kind")), *metric = NULL;
	const json_t *res = json_object_get(ev, "results");
	const char *attr = json_string_value(json_object_get(json_array_get(json_object_get(res, "sensitive"), 0), "name"));
	json_t *doc = NULL, *list, *values, *rows;
	double line = NAN;
	int err;
	if (!system || !kind)
		return 0;
	json_t *req = json_pack("{s:s, s:s}", "system", system, "kind", kind);
	if ((err = aims__web_call(&doc, NULL, w, "eval.list", req)) < 0)
		return err;
	list = json_object_get(doc, "evaluations");
	size_t n = json_array_size(list), from = n > TREND_MAX ? n - TREND_MAX : 0;
	if (n < 2) {
		json_decref(doc);
		return 0;
	}
	(void)headline(res, kind, attr, &metric);
	if (strcmp(kind, "fairness") == 0)
		line = 0.8;
	else if (strcmp(kind, "drift") == 0 && json_is_number(json_object_get(json_object_get(res, "thresholds"), "drift_share")))
		line = json_number_value(json_object_get(json_object_get(res, "thresholds"), "drift_share"));
	values = json_array();
	rows = json_array();
	aims_buf d = AIMS_BUF_INIT;
	say(&d, "%s of %s's last %zu %s evaluations, oldest first:", metric, system, n - from, kind);
	for (size_t i = from; i < n; i++) {
		const char *id = json_string_value(json_object_get(json_array_get(list, i), "id"));
		json_t *one = NULL;
		if ((err = aims__web_call(&one, NULL, w, "eval.show", aims__web_req1("id", id))) < 0)
			break;
		const char *m = NULL;
		const json_t *v = headline(json_object_get(one, "results"), kind, attr, &m);
		json_array_append(values, json_is_number(v) ? (json_t *)v : json_null());
		say(&d, " %s ", id ? id : "");
		say_num(&d, v);
		say(&d, i + 1 < n ? "," : ".");
		json_array_append_new(rows, json_pack("{s:I, s:s?, s:o, s:O?, s:o, s:b}", "n", (json_int_t)(i - from) + 1, "id", id,
						      "href", aims__web_url("/evaluations/", id ? id : "", NULL), "recorded_at",
						      json_object_get(one, "recorded_at"), "value", num(v, 4), "this",
						      aims__web_str_is(ev, "id", id ? id : "")));
		json_decref(one);
	}
	if (err >= 0) {
		char title[160];
		if (attr && strcmp(kind, "fairness") == 0)
			snprintf(title, sizeof(title), "%s of %s over the evaluations", metric, attr);
		else
			snprintf(title, sizeof(title), "%s over the evaluations", metric);
		json_object_set_new(ctx, "trend", json_pack("{s:s, s:s?, s:o?, s:o, s:o?}", "metric", metric, "attribute",
							     strcmp(kind, "fairness") == 0 ? attr : NULL, "svg",
							     svg_trend(title, d.ptr ? d.ptr : "", values, line), "rows", rows,
							     "line", isfinite(line) ? json_real(line) : NULL));
		rows = NULL;
	}
	json_decref(rows);
	json_decref(values);
	json_decref(doc);
	aims_buf_release(&d);
	return err < 0 ? err : 0;
}

/* /evaluations/{id} */
int aims__web_pg_evaluation(W *w, const char *id)
{
	json_t *ev = NULL, *ctx;
	int err;
	if ((err = aims__web_call(&ev, NULL, w, "eval.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	const char *kind = json_string_value(json_object_get(ev, "kind")), *system = json_string_value(json_object_get(ev, "system"));
	const json_t *r = json_object_get(ev, "results");
	ctx = json_pack("{s:O, s:o, s:o, s:o, s:o}", "ev", ev, "api", aims__web_url("/api/v1/evaluations/", id, NULL), "report",
			aims__web_url("/api/v1/evaluations/", id, "?format=html"), "system_href",
			aims__web_url("/systems/", system ? system : "", NULL), "params_text",
			aims__web_json_text(json_object_get(ev, "params"), 6));
	if (!ctx) {
		json_decref(ev);
		return aims__oom();
	}
	if (json_is_object(r) && kind) {
		json_t *sec = strcmp(kind, "fairness") == 0 ? fairness(r) : strcmp(kind, "performance") == 0 ? performance(r) :
			      strcmp(kind, "drift") == 0 ? drift(r) : NULL;
		if (sec)
			json_object_set_new(ctx, kind, sec);
		if ((err = trend(ctx, w, ev)) < 0) {
			json_decref(ctx);
			json_decref(ev);
			return aims__web_fail(w, err);
		}
	}
	json_decref(ev);
	char title[96];
	snprintf(title, sizeof(title), "Evaluation %s", id);
	return aims__web_page(w, 200, "evaluation.html", title, ctx);
}
