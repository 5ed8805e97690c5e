/*
 * The gap analysis and Statement of Applicability reports (HTML and CSV).
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "report_internal.h"

static const char *const gap_series[] = { "covered", "partial", "gap", "excluded" };
static const char *const gap_colors[] = { "#2e7d4f", "#c98a12", "#b63a3a", "#7b8494" };

static int is_annex(const char *group)
{
	return group[0] == 'A' && group[1] == '.';
}

static int chart(aims_buf *out, const aims_gap *gap, int annex, const char *label)
{
	aims__bar_row rows[32];
	char labels[32][96];
	size_t n = 0;
	for (size_t i = 0; i < aims_gap_group_count(gap) && n < 32; i++) {
		const aims_gap_group *g = aims_gap_group_at(gap, i);
		if (is_annex(g->group) != annex)
			continue;
		/* cut long titles at a word, with an ellipsis */
		size_t tl = strlen(g->title);
		if (tl <= 30) {
			snprintf(labels[n], sizeof(labels[n]), "%s %s", g->group, g->title);
		} else {
			int cut = 30;
			while (cut > 10 && g->title[cut] != ' ')
				cut--;
			snprintf(labels[n], sizeof(labels[n]), "%s %.*s\xe2\x80\xa6", g->group, cut, g->title);
		}
		rows[n].label = labels[n];
		rows[n].values[0] = g->covered;
		rows[n].values[1] = g->partial;
		rows[n].values[2] = g->gap;
		rows[n].values[3] = g->excluded;
		n++;
	}
	return aims__svg_stacked_bars(out, label, rows, n, gap_series, gap_colors, annex ? 4 : 3);
}

static int kpi(aims_buf *out, const char *value, const char *what)
{
	int err;
	if ((err = aims_buf_puts(out, "<div class=\"kpi\"><b>")) < 0 ||
	    (err = aims_buf_puts(out, value)) < 0 ||
	    (err = aims_buf_puts(out, "</b><span>")) < 0 ||
	    (err = aims_html_escape(out, what)) < 0)
		return err;
	return aims_buf_puts(out, "</span></div>");
}

static int item_rows(aims_buf *out, const aims_gap *gap, int annex)
{
	int err;
	const char *current = NULL;
	for (size_t i = 0; i < aims_gap_count(gap); i++) {
		const aims_gap_item *it = aims_gap_at(gap, i);
		if (is_annex(it->group) != annex)
			continue;
		if (!current || strcmp(current, it->group) != 0) {
			const aims_gap_group *g = NULL;
			for (size_t k = 0; k < aims_gap_group_count(gap); k++)
				if (strcmp(aims_gap_group_at(gap, k)->group, it->group) == 0)
					g = aims_gap_group_at(gap, k);
			if (current && (err = aims_buf_puts(out, "</tbody></table>\n")) < 0)
				return err;
			if ((err = aims_buf_puts(out, "<h3>")) < 0 ||
			    (err = aims_html_escape(out, it->group)) < 0 ||
			    (err = aims_buf_putc(out, ' ')) < 0 ||
			    (err = aims_html_escape(out, g ? g->title : "")) < 0 ||
			    (err = aims_buf_puts(out, "</h3><table><thead><tr><th style=\"width:12%\">Requirement</th>"
						 "<th style=\"width:9%\">Status</th><th style=\"width:27%\">Supported by (ISO 27001)</th>"
						 "<th style=\"width:17%\">Reusable evidence</th><th>What the AI requirement adds</th>"
						 "</tr></thead><tbody>\n")) < 0)
				return err;
			current = it->group;
		}
		const char *st = it->applicable ? aims_gap_status_name(it->status) : "excluded";
		if ((err = aims_buf_puts(out, "<tr><td><b>")) < 0 ||
		    (err = aims_html_escape(out, it->id)) < 0 ||
		    (err = aims_buf_puts(out, "</b><br><span class=\"small\">")) < 0 ||
		    (err = aims_html_escape(out, it->title)) < 0 ||
		    (err = aims_buf_puts(out, "</span></td><td>")) < 0 ||
		    (err = aims__report_status_badge(out, st, st)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0)
			return err;
		if (it->nsupported == 0 && (err = aims_buf_puts(out, "<span class=\"small\">nothing in ISO 27001</span>")) < 0)
			return err;
		for (size_t s = 0; s < it->nsupported; s++) {
			const aims_gap_support *sp = &it->supported_by[s];
			const char *state = !sp->has_row ? "no row" : !sp->applicable ? "excluded"
					    : aims_impl_status_name(sp->status);
			if ((err = aims_buf_puts(out, s ? "<br>" : "")) < 0 ||
			    (err = aims_html_escape(out, sp->control)) < 0 ||
			    (err = aims_buf_puts(out, " <span class=\"small\">")) < 0 ||
			    (err = aims_html_escape(out, sp->relationship)) < 0 ||
			    (err = aims_buf_puts(out, ", ")) < 0 ||
			    (err = aims_html_escape(out, state)) < 0 ||
			    (err = aims_buf_puts(out, "</span>")) < 0)
				return err;
		}
		if ((err = aims_buf_puts(out, "</td><td class=\"ev\">")) < 0)
			return err;
		for (size_t e = 0; e < it->nevidence; e++)
			if ((err = aims_buf_puts(out, e ? "<br>" : "")) < 0 ||
			    (err = aims_html_escape(out, it->evidence[e])) < 0)
				return err;
		if ((err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, it->to_add ? it->to_add : "")) < 0 ||
		    (err = aims_buf_puts(out, "</td></tr>\n")) < 0)
			return err;
	}
	return current ? aims_buf_puts(out, "</tbody></table>\n") : 0;
}

int aims_report_gap_html(aims_buf *out, aims_store *store, const aims_gap *gap)
{
	const aims_gap_summary *sum = aims_gap_summary_get(gap);
	const aims_isms_info *isms = aims_gap_isms(gap);
	char sub[512], v[64];
	int err;

	snprintf(sub, sizeof(sub), "From the ISO/IEC 27001:2022 ISMS state (version %lld, imported from '%s' on %s) "
		 "to the requirements of ISO/IEC 42001:2023.", (long long)isms->version, isms->source,
		 isms->imported_at);
	if ((err = aims__report_begin(out, "ISO/IEC 42001 gap analysis", sub)) < 0 ||
	    (err = aims_buf_puts(out, "<div class=\"kpis\">")) < 0)
		return err;
	/* the headline: strength-weighted readiness, then the two parts of the standard */
	snprintf(v, sizeof(v), "%d%%", aims_gap_percent(sum->readiness));
	snprintf(sub, sizeof(sub), "readiness (range %d-%d%%)", aims_gap_percent(sum->readiness_low),
		 aims_gap_percent(sum->readiness_high));
	if ((err = kpi(out, v, sub)) < 0)
		return err;
	snprintf(v, sizeof(v), "%d%%", aims_gap_percent(sum->clauses.readiness));
	if ((err = kpi(out, v, "clauses 4-10")) < 0)
		return err;
	snprintf(v, sizeof(v), "%d%%", aims_gap_percent(sum->annex_a.readiness));
	if ((err = kpi(out, v, "Annex A controls")) < 0)
		return err;
	snprintf(v, sizeof(v), "%zu", sum->requirements);
	if ((err = kpi(out, v, "requirements assessed")) < 0)
		return err;
	snprintf(v, sizeof(v), "%zu", sum->covered);
	if ((err = kpi(out, v, "covered by the ISMS")) < 0)
		return err;
	snprintf(v, sizeof(v), "%zu", sum->partial);
	if ((err = kpi(out, v, "partly covered")) < 0)
		return err;
	snprintf(v, sizeof(v), "%zu", sum->gap);
	if ((err = kpi(out, v, "gaps")) < 0)
		return err;
	snprintf(v, sizeof(v), "%d%%", aims_gap_percent(sum->reuse_ratio));
	if ((err = kpi(out, v, "reuse ratio: share touched by any support")) < 0 ||
	    (err = aims_buf_puts(out, "</div>\n")) < 0)
		return err;
	if (sum->excluded &&
	    (err = aims_buf_printf(out, "<p class=\"small\">%zu Annex A control(s) excluded in the ISO/IEC 42001 "
				   "Statement of Applicability are not counted.</p>\n", sum->excluded)) < 0)
		return err;
	if ((err = aims_buf_puts(out, "<h2>Coverage of the management-system clauses</h2>\n")) < 0 ||
	    (err = chart(out, gap, 0, "coverage per clause")) < 0 ||
	    (err = aims_buf_puts(out, "<h2>Coverage of the Annex A controls</h2>\n")) < 0 ||
	    (err = chart(out, gap, 1, "coverage per Annex A group")) < 0 ||
	    (err = aims_buf_puts(out, "<p class=\"small\">Rule: a requirement is <b>covered</b> when an implemented "
				 "ISO 27001 control fully supports it (equal-to, equivalent-to or superset-of in the "
				 "crosswalk); <b>partial</b> when an implemented control partly supports it (subset-of, "
				 "intersects-with) or a partly implemented control supports it; otherwise a <b>gap</b>. "
				 "Planned, not implemented and excluded controls contribute nothing; records kept in aims "
				 "(approved documents, risk register, impact assessments, evaluations, decision logs, "
				 "datasets, inventory) make a requirement partial. <b>Readiness</b> gives each requirement "
				 "the credit of its best support: relationship weight (equal-to and superset-of 1, "
				 "equivalent-to 0.9, subset-of 0.6, intersects-with 0.4) x confidence (high 1, medium 0.85, "
				 "low 0.6) x status (implemented 1, partial 0.5), or 0.5 for evidence kept in aims, and "
				 "averages over the applicable requirements; the range uses pessimistic and optimistic "
				 "weights (docs/gap-analysis.md).</p>\n")) < 0 ||
	    (err = aims_buf_puts(out, "<h2>Clauses 4 to 10</h2>\n")) < 0 ||
	    (err = item_rows(out, gap, 0)) < 0 ||
	    (err = aims_buf_puts(out, "<h2>Annex A controls</h2>\n")) < 0 ||
	    (err = item_rows(out, gap, 1)) < 0)
		return err;
	return aims__report_end(out, store);
}

static const char *soa_status(const aims_soa_entry *e)
{
	return e->status == AIMS_STATUS_UNKNOWN ? "not set" : aims_impl_status_name(e->status);
}

int aims_report_soa_html(aims_buf *out, aims_store *store, const aims_soa *soa)
{
	static const char *const series[] = { "applicable", "excluded", "undecided" };
	static const char *const colors[] = { "#2e7d4f", "#7b8494", "#c98a12" };
	aims__bar_row rows[16];
	size_t nrows = 0, undecided = 0, excluded = 0;
	int err;

	for (size_t i = 0; i < aims_soa_count(soa); i++) {
		const aims_soa_entry *e = aims_soa_at(soa, i);
		size_t r = 0;
		while (r < nrows && strcmp(rows[r].label, e->group) != 0)
			r++;
		if (r == nrows) {
			if (nrows == 16)
				continue;
			memset(&rows[nrows], 0, sizeof(rows[nrows]));
			rows[nrows++].label = e->group;
		}
		size_t which = !e->decided ? 2 : e->applicable ? 0 : 1;
		rows[r].values[which]++;
		undecided += !e->decided;
		excluded += e->decided && !e->applicable;
	}
	char sub[256];
	snprintf(sub, sizeof(sub), "ISO/IEC 42001:2023, 6.1.3: the %zu Annex A controls, %zu excluded, %zu not yet decided.",
		 aims_soa_count(soa), excluded, undecided);
	if ((err = aims__report_begin(out, "Statement of Applicability", sub)) < 0 ||
	    (err = aims__svg_stacked_bars(out, "applicability per Annex A group", rows, nrows, series, colors, 3)) < 0)
		return err;
	if (aims_soa_gap(soa)) {
		const aims_gap_summary *sum = aims_gap_summary_get(aims_soa_gap(soa));
		if ((err = aims_buf_printf(out, "<p class=\"small\">ISMS support from the gap analysis: %zu covered, "
					   "%zu partial, %zu %s among the applicable requirements.</p>\n",
					   sum->covered, sum->partial, sum->gap, sum->gap == 1 ? "gap" : "gaps")) < 0)
			return err;
	}
	if ((err = aims_buf_puts(out, "<table><thead><tr><th style=\"width:11%\">Control</th><th style=\"width:9%\">"
				 "Applicable</th><th style=\"width:30%\">Justification</th><th style=\"width:11%\">Status</th>"
				 "<th style=\"width:11%\">Owner</th><th style=\"width:9%\">ISMS support</th>"
				 "<th>Evidence and risks</th></tr></thead><tbody>\n")) < 0)
		return err;
	for (size_t i = 0; i < aims_soa_count(soa); i++) {
		const aims_soa_entry *e = aims_soa_at(soa, i);
		const char *app = !e->decided ? "undecided" : e->applicable ? "yes" : "no";
		if ((err = aims_buf_puts(out, "<tr><td><b>")) < 0 ||
		    (err = aims_html_escape(out, e->control)) < 0 ||
		    (err = aims_buf_puts(out, "</b><br><span class=\"small\">")) < 0 ||
		    (err = aims_html_escape(out, e->title)) < 0 ||
		    (err = aims_buf_puts(out, "</span></td><td>")) < 0 ||
		    (err = aims__report_status_badge(out, !e->decided ? "partial" : e->applicable ? "covered" : "excluded",
						     app)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, e->justification ? e->justification : "")) < 0 ||
		    (err = (!e->justification ? aims_buf_puts(out, "<span class=\"small\">justification missing</span>") : 0)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, soa_status(e))) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, e->owner ? e->owner : "")) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0)
			return err;
		if (e->gap_status >= 0) {
			const char *g = aims_gap_status_name((aims_gap_status)e->gap_status);
			if ((err = aims__report_status_badge(out, g, g)) < 0)
				return err;
		}
		if ((err = aims_buf_puts(out, "</td><td class=\"ev\">")) < 0)
			return err;
		for (size_t k = 0; k < e->nevidence; k++)
			if ((err = aims_buf_puts(out, k ? "<br>" : "")) < 0 ||
			    (err = aims_html_escape(out, e->evidence[k])) < 0)
				return err;
		for (size_t k = 0; k < e->nrisks; k++)
			if ((err = aims_buf_puts(out, "<br>risk ")) < 0 ||
			    (err = aims_html_escape(out, e->risks[k])) < 0)
				return err;
		if ((err = aims_buf_puts(out, "</td></tr>\n")) < 0)
			return err;
	}
	if ((err = aims_buf_puts(out, "</tbody></table>\n")) < 0)
		return err;
	return aims__report_end(out, store);
}

static int join(aims_buf *tmp, const char *const *v, size_t n)
{
	int err;
	aims_buf_clear(tmp);
	for (size_t i = 0; i < n; i++)
		if ((err = aims_buf_printf(tmp, "%s%s", i ? ";" : "", v[i])) < 0)
			return err;
	return 0;
}

int aims_report_soa_csv(aims_buf *out, const aims_soa *soa)
{
	aims_buf tmp = AIMS_BUF_INIT;
	int err;

	if ((err = aims_buf_puts(out, "control,title,group,applicable,justification,status,owner,gap,evidence,risks\r\n")) < 0)
		return err;
	for (size_t i = 0; i < aims_soa_count(soa); i++) {
		const aims_soa_entry *e = aims_soa_at(soa, i);
		const char *fields[10];
		fields[0] = e->control;
		fields[1] = e->title;
		fields[2] = e->group;
		fields[3] = !e->decided ? "" : e->applicable ? "yes" : "no";
		fields[4] = e->justification ? e->justification : "";
		fields[5] = e->status == AIMS_STATUS_UNKNOWN ? "" : aims_impl_status_name(e->status);
		fields[6] = e->owner ? e->owner : "";
		fields[7] = e->gap_status >= 0 ? aims_gap_status_name((aims_gap_status)e->gap_status) : "";
		for (size_t f = 0; f < 8; f++)
			if ((err = aims_csv_field(out, fields[f])) < 0 || (err = aims_buf_putc(out, ',')) < 0)
				goto done;
		if ((err = join(&tmp, e->evidence, e->nevidence)) < 0 ||
		    (err = aims_csv_field(out, tmp.ptr)) < 0 || (err = aims_buf_putc(out, ',')) < 0 ||
		    (err = join(&tmp, e->risks, e->nrisks)) < 0 ||
		    (err = aims_csv_field(out, tmp.ptr)) < 0 || (err = aims_buf_puts(out, "\r\n")) < 0)
			goto done;
	}
done:
	aims_buf_release(&tmp);
	return err;
}
