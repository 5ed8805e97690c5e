/*
 * aims gap: the ISO 27001 -> ISO 42001 gap analysis, as a table, JSON or a
 * self-contained HTML report.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_gap_opts[] = {
	{ "json", NULL, "print JSON instead of text", 0 },
	{ "html", "FILE", "also write the report as one self-contained HTML file", OPT_VALUE },
	{ "isms-version", "N", "use this imported ISMS version instead of the latest", OPT_VALUE },
	{ "fail-on-gap", NULL, "exit 1 when any applicable requirement is a gap (for CI)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static json_t *strs(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* readiness figures to 4 decimals: stable output, no spurious binary digits */
static double round4(double v)
{
	return floor(v * 10000.0 + 0.5) / 10000.0;
}

static json_t *part_json(const aims_gap_part *p)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:f}", "requirements", (json_int_t)p->requirements,
			 "covered", (json_int_t)p->covered, "partial", (json_int_t)p->partial, "gap", (json_int_t)p->gap,
			 "excluded", (json_int_t)p->excluded, "readiness", round4(p->readiness));
}

/* a share as a whole percentage, rounded as the HTML report rounds it */
static int pct(double v)
{
	return (int)(v * 100.0 + 0.5);
}

static void print_part(const char *name, const aims_gap_part *p)
{
	printf("  %-9s %3d%%  %zu requirements: covered %zu, partial %zu, gap %zu", name, pct(p->readiness),
	       p->requirements, p->covered, p->partial, p->gap);
	if (p->excluded)
		printf(", excluded %zu", p->excluded);
	printf("\n");
}

static json_t *gap_json(const aims_gap *gap)
{
	const aims_gap_summary *s = aims_gap_summary_get(gap);
	const aims_isms_info *isms = aims_gap_isms(gap);
	json_t *items = json_array(), *groups = json_array();

	for (size_t i = 0; items && i < aims_gap_count(gap); i++) {
		const aims_gap_item *it = aims_gap_at(gap, i);
		json_t *sup = json_array();
		for (size_t k = 0; sup && k < it->nsupported; k++) {
			const aims_gap_support *p = &it->supported_by[k];
			json_array_append_new(sup, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:f}",
				"control", p->control, "title", p->title, "relationship", p->relationship,
				"confidence", p->confidence,
				"status", p->has_row ? aims_impl_status_name(p->status) : "unknown",
				"applicable", p->has_row && p->applicable,
				"contribution", aims_gap_status_name(p->contribution), "credit", round4(p->credit)));
		}
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:f, s:o, s:o, s:o, s:o, s:o}",
			"id", it->id, "kind", it->kind, "title", it->title, "group", it->group,
			"status", aims_gap_status_name(it->status), "applicable", it->applicable,
			"credit", round4(it->credit),
			"credited_by", it->credited_by ? json_string(it->credited_by) : json_null(),
			"supported_by", sup, "reusable_evidence", strs(it->evidence, it->nevidence),
			"aims_evidence", strs(it->aims_evidence, it->naims_evidence),
			"to_add", it->to_add ? json_string(it->to_add) : json_null()));
	}
	for (size_t i = 0; groups && i < aims_gap_group_count(gap); i++) {
		const aims_gap_group *g = aims_gap_group_at(gap, i);
		json_array_append_new(groups, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
			"group", g->group, "title", g->title, "requirements", (json_int_t)g->requirements,
			"covered", (json_int_t)g->covered, "partial", (json_int_t)g->partial,
			"gap", (json_int_t)g->gap, "excluded", (json_int_t)g->excluded));
	}
	return json_pack("{s:{s:I, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:[f, f], s:o, s:o}, "
			 "s:o, s:o}",
		"isms", "version", (json_int_t)isms->version, "source", isms->source,
		"imported_at", isms->imported_at, "digest", isms->digest,
		"summary", "requirements", (json_int_t)s->requirements, "covered", (json_int_t)s->covered,
		"partial", (json_int_t)s->partial, "gap", (json_int_t)s->gap,
		"excluded", (json_int_t)s->excluded, "reuse_ratio", s->reuse_ratio,
		"readiness", round4(s->readiness), "readiness_range", round4(s->readiness_low),
		round4(s->readiness_high), "clauses", part_json(&s->clauses), "annex_a", part_json(&s->annex_a),
		"groups", groups, "items", items);
}

static void gap_text(const aims_gap *gap)
{
	const aims_gap_summary *s = aims_gap_summary_get(gap);
	const aims_isms_info *isms = aims_gap_isms(gap);
	printf("ISO 27001 -> ISO 42001 gap analysis (ISMS version %lld from '%s')\n\n",
	       (long long)isms->version, isms->source);
	printf("readiness %d%% (range %d-%d%%): strength-weighted, see docs/gap-analysis.md\n", pct(s->readiness),
	       pct(s->readiness_low), pct(s->readiness_high));
	print_part("clauses", &s->clauses);
	print_part("Annex A", &s->annex_a);
	printf("requirements %zu: covered %zu, partial %zu, gap %zu", s->requirements, s->covered,
	       s->partial, s->gap);
	if (s->excluded)
		printf(", excluded %zu", s->excluded);
	printf("; reuse ratio %d%% (touched by any support)\n\n", pct(s->reuse_ratio));

	static const char *const gh[] = { "GROUP", "COVERED", "PARTIAL", "GAP", "TITLE" };
	cli_table *t = cli_table_new(5, gh);
	for (size_t i = 0; i < aims_gap_group_count(gap); i++) {
		const aims_gap_group *g = aims_gap_group_at(gap, i);
		char c[16], p[16], x[16];
		snprintf(c, sizeof(c), "%zu", g->covered);
		snprintf(p, sizeof(p), "%zu", g->partial);
		snprintf(x, sizeof(x), "%zu", g->gap);
		const char *row[] = { g->group, c, p, x, g->title };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	printf("\n");

	static const char *const ih[] = { "REQUIREMENT", "STATUS", "CREDIT", "SUPPORTED BY", "TO ADD" };
	t = cli_table_new(5, ih);
	for (size_t i = 0; i < aims_gap_count(gap); i++) {
		const aims_gap_item *it = aims_gap_at(gap, i);
		char sup[256] = "";
		size_t len = 0;
		for (size_t k = 0; k < it->nsupported; k++) {
			const aims_gap_support *p = &it->supported_by[k];
			if (p->contribution == AIMS_GAP_GAP)
				continue;
			int w = snprintf(sup + len, sizeof(sup) - len, "%s%s", len ? " " : "", p->control);
			if (w < 0 || (size_t)w >= sizeof(sup) - len)
				break;
			len += (size_t)w;
		}
		for (size_t k = 0; k < it->naims_evidence; k++) {
			int w = snprintf(sup + len, sizeof(sup) - len, "%s%s", len ? " " : "", it->aims_evidence[k]);
			if (w < 0 || (size_t)w >= sizeof(sup) - len)
				break;
			len += (size_t)w;
		}
		char credit[16];
		snprintf(credit, sizeof(credit), "%.2f", it->credit);
		const char *row[] = { it->id, it->applicable ? aims_gap_status_name(it->status) : "excluded",
				      it->applicable ? credit : "-", len ? sup : "-", it->to_add ? it->to_add : "" };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
}

int cmd_gap(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_gap *gap = NULL;
	aims_buf html = AIMS_BUF_INIT;
	const char *html_path = cli_get(ctx, "html");
	const char *v = cli_get(ctx, "isms-version");
	long long version = 0;
	int rc, err;

	if (v) {
		char *end = NULL;
		version = strtoll(v, &end, 10);
		if (!*v || *end || version <= 0)
			return cli_usage(ctx, "--isms-version '%s': expected a positive number", v);
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_gap_compute(&gap, store, version)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (html_path) {
		if ((err = aims_report_gap_html(&html, store, gap)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_write_file(html_path, html.ptr, html.len)) != 0)
			goto done;
	}
	if (ctx->json)
		rc = cli_print_json(gap_json(gap));
	else {
		gap_text(gap);
		if (html_path)
			printf("\nreport written to '%s'\n", html_path);
		rc = EXIT_OK;
	}
	if (rc == EXIT_OK && cli_flag(ctx, "fail-on-gap") && aims_gap_summary_get(gap)->gap > 0)
		rc = EXIT_FINDING;
done:
	aims_buf_release(&html);
	aims_gap_free(gap);
	aims_store_free(store);
	return rc;
}
