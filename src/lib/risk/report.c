/*
 * Risk heat maps (SVG drawn here: one cell per likelihood x impact pair,
 * coloured by the criteria's appetite and tolerance, with the number of
 * risks in each cell) and the self-contained HTML risk report built on the
 * report module's page frame (ISO/IEC 42001 6.1.2 d)-e), 8.2, 8.3).
 */
#include <stdio.h>
#include <string.h>

#include "aims/report.h"
#include "aims/risk.h"
#include "core/core.h"
#include "report/report_internal.h"
#include "risk_internal.h"

static const char *cell_fill(const aims_risk_criteria *c, int score)
{
	if (score <= c->appetite)
		return "#cfe8d6";
	if (score <= c->tolerance)
		return "#f6e3b4";
	return "#f3c0c0";
}

int aims_risk_heatmap_svg(aims_buf *out, const aims_risks *risks, const aims_risk_criteria *c, int residual)
{
	enum { CELL = 46, LEFT = 64, TOP = 34, BOTTOM = 46 };
	int lmax = c->likelihood_max, imax = c->impact_max;
	int counts[11][11];
	int w = LEFT + imax * CELL + 12, h = TOP + lmax * CELL + BOTTOM;
	int err;

	if (lmax < 1 || lmax > 10 || imax < 1 || imax > 10)
		return aims__err(AIMS_EINVALID, "heat map: scales must be 1-10");
	memset(counts, 0, sizeof(counts));
	for (size_t i = 0; risks && i < risks->count; i++) {
		const aims_risk *r = risks->items[i];
		int l = residual && r->res_likelihood ? r->res_likelihood : r->likelihood;
		int m = residual && r->res_likelihood ? r->res_impact : r->impact;
		if (l >= 1 && l <= lmax && m >= 1 && m <= imax)
			counts[l][m]++;
	}
	const char *title = residual ? "Residual risk" : "Inherent risk";
	if ((err = aims_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 %d %d\" "
				   "width=\"%d\" height=\"%d\" class=\"heatmap\" aria-label=\"%s heat map\">"
				   "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"600\">%s</text>",
				   w, h, w, h, title, LEFT, title)) < 0)
		return err;
	for (int l = lmax; l >= 1; l--) {
		int y = TOP + (lmax - l) * CELL;
		if ((err = aims_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d</text>",
					   LEFT - 8, y + CELL / 2 + 4, l)) < 0)
			return err;
		for (int m = 1; m <= imax; m++) {
			int x = LEFT + (m - 1) * CELL;
			int s = aims_risk_score(c, l, m);
			if ((err = aims_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
						   "stroke=\"#ffffff\" stroke-width=\"2\" data-likelihood=\"%d\" "
						   "data-impact=\"%d\" data-count=\"%d\"><title>likelihood %d, impact %d, "
						   "score %d: %d risk%s</title></rect>", x, y, CELL, CELL, cell_fill(c, s),
						   l, m, counts[l][m], l, m, s, counts[l][m], counts[l][m] == 1 ? "" : "s")) < 0)
				return err;
			if (counts[l][m] &&
			    (err = aims_buf_printf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"15\" fill=\"#1d2430\"/>"
						   "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"700\" fill=\"#ffffff\" "
						   "text-anchor=\"middle\">%d</text>", x + CELL / 2, y + CELL / 2,
						   x + CELL / 2, y + CELL / 2 + 5, counts[l][m])) < 0)
				return err;
		}
	}
	for (int m = 1; m <= imax; m++)
		if ((err = aims_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
					   LEFT + (m - 1) * CELL + CELL / 2, TOP + lmax * CELL + 16, m)) < 0)
			return err;
	return aims_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">impact</text>"
			       "<text x=\"14\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
			       "transform=\"rotate(-90 14 %d)\">likelihood</text></svg>\n",
			       LEFT + imax * CELL / 2, TOP + lmax * CELL + 36, TOP + lmax * CELL / 2,
			       TOP + lmax * CELL / 2);
}

static const char *badge(const char *status)
{
	if (strcmp(status, "accepted") == 0 || strcmp(status, "treated") == 0)
		return "covered";
	if (strcmp(status, "awaiting acceptance") == 0)
		return "gap";
	return "unknown";
}

static int td(aims_buf *out, const char *text)
{
	int err;
	if ((err = aims_buf_puts(out, "<td>")) < 0 || (err = aims_html_escape(out, text ? text : "-")) < 0)
		return err;
	return aims_buf_puts(out, "</td>");
}

static int kpi(aims_buf *out, size_t value, const char *label)
{
	return aims_buf_printf(out, "<div class=\"kpi\"><b>%zu</b><span>%s</span></div>", value, label);
}

int aims_risk_report_html(aims_buf *out, aims_store *store, const char *system)
{
	aims_risks *risks = NULL;
	aims_risk_criteria c;
	char sub[256];
	size_t awaiting = 0, accepted = 0, above = 0, treated = 0;
	int err;

	if (system && (err = aims__risk_system_check(store, system)) < 0)
		return err;
	if ((err = aims_risk_criteria_get(&c, store)) < 0 || (err = aims_risk_list(&risks, store, system)) < 0)
		return err;
	for (size_t i = 0; i < risks->count; i++) {
		const aims_risk *r = risks->items[i];
		awaiting += strcmp(r->status, "awaiting acceptance") == 0;
		accepted += strcmp(r->status, "accepted") == 0;
		above += (size_t)r->above_tolerance;
		treated += r->treatment != NULL;
	}
	snprintf(sub, sizeof(sub), "%s%s - ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3; EU AI Act Art. 9",
		 system ? "AI system " : "All AI systems", system ? system : "");
	if ((err = aims__report_begin(out, "AI risk report", sub)) < 0 ||
	    (err = aims_buf_puts(out, "<div class=\"kpis\">")) < 0 || (err = kpi(out, risks->count, "risks")) < 0 ||
	    (err = kpi(out, treated, "with a treatment")) < 0 || (err = kpi(out, above, "above tolerance")) < 0 ||
	    (err = kpi(out, awaiting, "awaiting acceptance")) < 0 || (err = kpi(out, accepted, "accepted")) < 0 ||
	    (err = aims_buf_puts(out, "</div>\n<h2>Risk criteria</h2>\n<p>")) < 0 ||
	    (err = aims_buf_printf(out, "Criteria version %d%s: likelihood 1-%d, impact 1-%d, score = %s, appetite up to "
				   "%d, tolerance up to %d (higher scores need the risk owner's explicit acceptance). "
				   "Digest <span class=\"ev\">%s</span>.</p>\n", c.version,
				   c.version ? "" : " (built-in defaults)", c.likelihood_max, c.impact_max,
				   strcmp(c.score_fn, "product") == 0 ? "likelihood &times; impact"
				   : strcmp(c.score_fn, "sum") == 0 ? "likelihood + impact" : "max(likelihood, impact)",
				   c.appetite, c.tolerance, c.digest)) < 0 ||
	    (err = aims_buf_puts(out, "<h2>Heat maps</h2>\n<div style=\"display:flex;gap:6mm;flex-wrap:wrap\">")) < 0 ||
	    (err = aims_risk_heatmap_svg(out, risks, &c, 0)) < 0 || (err = aims_risk_heatmap_svg(out, risks, &c, 1)) < 0 ||
	    (err = aims_buf_puts(out, "</div>\n<p class=\"small\">The residual map places treated risks at their "
				 "residual estimate and untreated ones at their inherent score. Green: within "
				 "appetite; amber: tolerable; red: above tolerance.</p>\n")) < 0)
		goto done;
	if ((err = aims_buf_printf(out, "<h2>Risk register</h2>\n<table><thead><tr><th>Risk</th>%s"
				 "<th>Title</th><th>Category</th><th>Owner</th><th class=\"num\">Inherent</th>"
				 "<th>Treatment</th><th class=\"num\">Residual</th><th>Status</th><th>Review</th>"
				 "</tr></thead><tbody>\n", system ? "" : "<th>System</th>")) < 0)
		goto done;
	for (size_t i = 0; i < risks->count; i++) {
		const aims_risk *r = risks->items[i];
		const aims_risk_category *cat = aims_risk_category_find(r->category);
		char inh[48], res[48];
		snprintf(inh, sizeof(inh), "%d (%dx%d)", r->score, r->likelihood, r->impact);
		if (r->res_likelihood)
			snprintf(res, sizeof(res), "%d (%dx%d)", r->res_score, r->res_likelihood, r->res_impact);
		else
			snprintf(res, sizeof(res), "-");
		if ((err = aims_buf_puts(out, "<tr>")) < 0 || (err = td(out, r->id)) < 0 ||
		    (!system && (err = td(out, r->system)) < 0) ||
		    (err = td(out, r->title)) < 0 || (err = td(out, cat ? cat->title : r->category)) < 0 ||
		    (err = td(out, r->owner)) < 0 || (err = aims_buf_printf(out, "<td class=\"num\">%s</td>", inh)) < 0 ||
		    (err = td(out, r->treatment)) < 0 || (err = aims_buf_printf(out, "<td class=\"num\">%s</td><td>", res)) < 0 ||
		    (err = aims__report_status_badge(out, badge(r->status), r->status)) < 0 ||
		    (err = aims_buf_puts(out, "</td>")) < 0 || (err = td(out, r->review_date)) < 0 ||
		    (err = aims_buf_puts(out, "</tr>\n")) < 0)
			goto done;
	}
	if (risks->count == 0 && (err = aims_buf_puts(out, "<tr><td colspan=\"10\">No risks recorded.</td></tr>\n")) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "</tbody></table>\n<h2>Treatment actions</h2>\n<table><thead><tr><th>Risk</th>"
				 "<th>Option</th><th>ISO/IEC 42001 control</th><th>Action</th><th>ISO/IEC 27001</th>"
				 "<th>EU AI Act</th></tr></thead><tbody>\n")) < 0)
		goto done;
	size_t nact = 0;
	for (size_t i = 0; i < risks->count; i++) {
		const aims_risk *r = risks->items[i];
		for (size_t k = 0; k < r->nactions; k++, nact++) {
			char **l27 = NULL, **lact = NULL;
			size_t n27 = 0, nl = 0;
			if ((err = aims_risk_control_links(&l27, &n27, &lact, &nl, store, r->actions[k].control)) < 0)
				goto done;
			if ((err = aims_buf_puts(out, "<tr>")) < 0 || (err = td(out, r->id)) < 0 || (err = td(out, r->treatment)) < 0 ||
			    (err = td(out, r->actions[k].control)) < 0 || (err = td(out, r->actions[k].action)) < 0 ||
			    (err = aims_buf_puts(out, "<td class=\"ev\">")) < 0) {
				aims_risk_strings_free(l27, n27);
				aims_risk_strings_free(lact, nl);
				goto done;
			}
			for (size_t j = 0; j < n27 && err == 0; j++)
				if ((err = aims_buf_puts(out, j ? ", " : "")) == 0)
					err = aims_html_escape(out, l27[j]);
			if (err == 0)
				err = aims_buf_puts(out, "</td><td class=\"ev\">");
			for (size_t j = 0; j < nl && err == 0; j++)
				if ((err = aims_buf_puts(out, j ? ", " : "")) == 0)
					err = aims_html_escape(out, lact[j]);
			aims_risk_strings_free(l27, n27);
			aims_risk_strings_free(lact, nl);
			if (err < 0 || (err = aims_buf_puts(out, "</td></tr>\n")) < 0)
				goto done;
		}
	}
	if (nact == 0 && (err = aims_buf_puts(out, "<tr><td colspan=\"6\">No treatment actions recorded.</td></tr>\n")) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "</tbody></table>\n<h2>Acceptances</h2>\n<table><thead><tr><th>Risk</th>"
				 "<th>Accepted by</th><th>At</th><th>Valid</th><th>Changed since</th><th>Snapshot digest</th>"
				 "</tr></thead><tbody>\n")) < 0)
		goto done;
	size_t nacc = 0;
	for (size_t i = 0; i < risks->count; i++) {
		const aims_risk_acceptance *a = risks->items[i]->acceptance;
		if (!a)
			continue;
		nacc++;
		if ((err = aims_buf_puts(out, "<tr>")) < 0 || (err = td(out, risks->items[i]->id)) < 0 ||
		    (err = td(out, a->accepted_by)) < 0 || (err = td(out, a->accepted_at)) < 0 ||
		    (err = aims_buf_puts(out, "<td>")) < 0 ||
		    (err = aims__report_status_badge(out, a->valid ? "covered" : "gap", a->valid ? "valid" : "invalidated")) < 0 ||
		    (err = aims_buf_puts(out, "</td>")) < 0 || (err = td(out, a->changed)) < 0 ||
		    (err = aims_buf_puts(out, "<td class=\"ev\">")) < 0 || (err = aims_html_escape(out, a->digest)) < 0 ||
		    (err = aims_buf_puts(out, "</td></tr>\n")) < 0)
			goto done;
	}
	if (nacc == 0 && (err = aims_buf_puts(out, "<tr><td colspan=\"6\">No acceptances recorded.</td></tr>\n")) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "</tbody></table>\n")) < 0 || (err = aims__report_end(out, store)) < 0)
		goto done;
done:
	aims_risks_free(risks);
	return err;
}
