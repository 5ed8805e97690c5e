/*
 * The drift report: one self-contained HTML page (inline CSS and SVG, no
 * scripts) with the dataset verdict, a table of every column's figures and,
 * per column, reference and current histograms side by side: 20 equal-width
 * bins over the pooled range for numeric columns, the 12 most frequent
 * categories (the rest as "(other)") for categorical ones. Bars show the
 * share of each side's non-missing values.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "drift_internal.h"
#include "report/report_internal.h"

#define COL_REF "#4a78b5"
#define COL_CUR "#d9822b"

static int fmt_num(aims_buf *out, double v)
{
	if (!isfinite(v))
		return aims_buf_puts(out, "-");
	if (v != 0 && (fabs(v) < 1e-4 || fabs(v) >= 1e6))
		return aims_buf_printf(out, "%.3e", v);
	return aims_buf_printf(out, "%.4f", v);
}

/* grouped bars: for each bin a reference and a current bar, heights as shares */
static int svg_hist(aims_buf *out, const aims_drift_column *c, const aims__drift_hist *h)
{
	const int width = 700, height = 190, left = 44, right = 10, top = 22, bottom = 38;
	double maxv = 0, plot_w = width - left - right, plot_h = height - top - bottom, bw;
	int err;

	for (size_t k = 0; k < h->nbins; k++)
		maxv = fmax(maxv, fmax(h->ref[k], h->cur[k]));
	if (maxv <= 0)
		maxv = 1;
	bw = plot_w / (double)(h->nbins ? h->nbins : 1);
	if ((err = aims_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 %d %d\" "
				   "width=\"100%%\" aria-label=\"reference and current distribution of ", width, height)) < 0 ||
	    (err = aims_html_escape(out, c->name)) < 0 ||
	    (err = aims_buf_printf(out, "\"><rect x=\"%d\" y=\"4\" width=\"11\" height=\"11\" fill=\"" COL_REF "\"/>"
				   "<text x=\"%d\" y=\"13\" font-size=\"11\">reference</text>"
				   "<rect x=\"%d\" y=\"4\" width=\"11\" height=\"11\" fill=\"" COL_CUR "\"/>"
				   "<text x=\"%d\" y=\"13\" font-size=\"11\">current</text>"
				   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#9aa3b2\"/>"
				   "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"end\">%.0f%%</text>"
				   "<text x=\"%d\" y=\"%.1f\" font-size=\"9\" text-anchor=\"end\">0%%</text>",
				   left, left + 15, left + 90, left + 105, left, top + plot_h, width - right, top + plot_h,
				   left - 4, top + 8, maxv * 100, left - 4, top + plot_h)) < 0)
		return err;
	for (size_t k = 0; k < h->nbins; k++) {
		double x = left + bw * (double)k, hr = h->ref[k] / maxv * plot_h, hc = h->cur[k] / maxv * plot_h;
		double w = bw * 0.42;
		if ((err = aims_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" COL_REF
					   "\"><title>reference %.2f%%</title></rect>"
					   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" COL_CUR
					   "\"><title>current %.2f%%</title></rect>",
					   x + bw * 0.06, top + plot_h - hr, w, hr, h->ref[k] * 100, x + bw * 0.06 + w,
					   top + plot_h - hc, w, hc, h->cur[k] * 100)) < 0)
			return err;
		if (h->labels) {
			char lab[24];
			snprintf(lab, sizeof(lab), "%.14s", h->labels[k]);
			if ((err = aims_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\">",
						   x + bw / 2, top + plot_h + 12)) < 0 ||
			    (err = aims_html_escape(out, lab)) < 0 || (err = aims_buf_puts(out, "</text>")) < 0)
				return err;
		}
	}
	if (!h->labels) {
		for (int t = 0; t <= 4; t++) {
			double v = h->lo + (h->hi - h->lo) * t / 4.0;
			if ((err = aims_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\">%.4g</text>",
						   left + plot_w * t / 4.0, top + plot_h + 12, v)) < 0)
				return err;
		}
	}
	return aims_buf_puts(out, "</svg>\n");
}

static int footer(aims_buf *out, aims_store *store)
{
	char now[32];
	if (store)
		return aims__report_end(out, store);
	aims__time_now(now);
	return aims_buf_printf(out, "<footer><div>generated %s by aims %s</div></footer>\n</body></html>\n", now,
			       aims_version());
}

int aims_drift_html(aims_buf *out, const aims_drift *d, aims_store *store)
{
	aims_buf sub = AIMS_BUF_INIT, in = AIMS_BUF_INIT;
	size_t n = aims_drift_ncolumns(d), drifted = 0, tested = 0;
	int err;

	for (size_t i = 0; i < n; i++) {
		const aims_drift_column *c = aims_drift_column_get(d, i);
		drifted += c->drift != 0;
		tested += c->tested != 0;
	}
	if ((err = aims_drift_inputs_json(&in, d)) < 0)
		goto done;
	if ((err = aims_buf_printf(&sub, "%zu of %zu tested columns drifted", drifted, tested)) < 0 ||
	    (err = aims__report_begin(out, "Data drift report", sub.ptr)) < 0)
		goto done;
	if ((err = aims_buf_printf(out, "<div class=\"kpis\"><div class=\"kpi\"><b>%s</b><span>dataset drift</span></div>"
				   "<div class=\"kpi\"><b>", aims_drift_dataset(d) ? "yes" : "no")) < 0 ||
	    (err = aims__report_percent(out, aims_drift_share(d))) < 0 ||
	    (err = aims_buf_printf(out, "</b><span>drift share</span></div><div class=\"kpi\"><b>%zu</b>"
				   "<span>columns compared</span></div></div>\n", n)) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "<p class=\"small ev\">inputs: ")) < 0 || (err = aims_html_escape(out, in.ptr)) < 0 ||
	    (err = aims_buf_puts(out, "</p>\n<h2>Columns</h2>\n<table><tr><th>column</th><th>type</th>"
				 "<th class=\"num\">n ref</th><th class=\"num\">n cur</th><th>test</th>"
				 "<th class=\"num\">statistic</th><th class=\"num\">p-value</th><th>distance</th>"
				 "<th class=\"num\">PSI</th><th>drift</th></tr>\n")) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const aims_drift_column *c = aims_drift_column_get(d, i);
		int numeric = strcmp(c->type, "numeric") == 0;
		if ((err = aims_buf_puts(out, "<tr><td>")) < 0 || (err = aims_html_escape(out, c->name)) < 0 ||
		    (err = aims_buf_printf(out, "</td><td>%s</td><td class=\"num\">%llu</td><td class=\"num\">%llu</td>",
					   c->type, (unsigned long long)c->n_ref, (unsigned long long)c->n_cur)) < 0)
			goto done;
		if (!c->tested) {
			err = aims_buf_puts(out, "<td colspan=\"5\">");
			if (err == 0)
				err = aims_html_escape(out, c->reason);
			if (err == 0)
				err = aims_buf_puts(out, "</td><td>untested</td></tr>\n");
			if (err < 0)
				goto done;
			continue;
		}
		if ((err = aims_buf_printf(out, "<td>%s</td><td class=\"num\">", numeric ? (c->approximate ? "KS (sketch)" : c->ks_method && strcmp(c->ks_method, "exact") == 0 ? "KS exact" : "KS asymptotic") : "chi-square")) < 0 ||
		    (err = fmt_num(out, numeric ? c->ks_statistic : c->chi2_statistic)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td class=\"num\">")) < 0 ||
		    (err = fmt_num(out, numeric ? c->ks_pvalue : c->chi2_pvalue)) < 0 ||
		    (err = aims_buf_puts(out, numeric ? "</td><td>Wasserstein " : "</td><td>Jensen-Shannon ")) < 0 ||
		    (err = fmt_num(out, numeric ? c->wasserstein : c->jensenshannon)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td class=\"num\">")) < 0 || (err = fmt_num(out, c->psi)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims__report_status_badge(out, c->drift ? "gap" : "covered", c->drift ? "drift" : "no drift")) < 0 ||
		    (err = aims_buf_puts(out, "</td></tr>\n")) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(out, "</table>\n<h2>Distributions</h2>\n")) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const aims_drift_column *c = aims_drift_column_get(d, i);
		const aims__drift_hist *h = aims__drift_column_hist(d, i);
		if ((err = aims_buf_puts(out, "<h3>")) < 0 || (err = aims_html_escape(out, c->name)) < 0 ||
		    (err = aims_buf_printf(out, " <span class=\"small\">(%s)</span></h3>\n<p class=\"small\">", c->type)) < 0 ||
		    (err = aims_html_escape(out, c->reason)) < 0)
			goto done;
		if (c->note && ((err = aims_buf_puts(out, ". ")) < 0 || (err = aims_html_escape(out, c->note)) < 0))
			goto done;
		if (c->approximate &&
		    (err = aims_buf_printf(out, ". Approximate: quantile sketch, |D - D_exact| &le; %.3g", c->ks_error_bound)) < 0)
			goto done;
		if ((err = aims_buf_puts(out, "</p>\n")) < 0)
			goto done;
		if (c->tested && h && h->nbins && (err = svg_hist(out, c, h)) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(out, "<p class=\"small\">KS: two-sample Kolmogorov-Smirnov (exact when both sides have at "
				 "most 10000 values, else asymptotic); PSI: 10 reference-decile bins (categories for "
				 "categorical columns), proportions floored at 0.0001, natural log; Jensen-Shannon "
				 "distance in base 2. Definitions: docs/drift.md.</p>\n")) < 0)
		goto done;
	err = footer(out, store);
done:
	aims_buf_release(&sub);
	aims_buf_release(&in);
	return err;
}
