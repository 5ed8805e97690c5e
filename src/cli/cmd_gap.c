/*
 * aims gap: the ISO 27001 -> ISO 42001 gap analysis, as a table, JSON or a
 * self-contained HTML report.
 */
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
			json_array_append_new(sup, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
				"control", p->control, "title", p->title, "relationship", p->relationship,
				"confidence", p->confidence,
				"status", p->has_row ? aims_impl_status_name(p->status) : "unknown",
				"applicable", p->has_row && p->applicable,
				"contribution", aims_gap_status_name(p->contribution)));
		}
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}",
			"id", it->id, "kind", it->kind, "title", it->title, "group", it->group,
			"status", aims_gap_status_name(it->status), "applicable", it->applicable,
			"supported_by", sup, "reusable_evidence", strs(it->evidence, it->nevidence),
			"to_add", it->to_add ? json_string(it->to_add) : json_null()));
	}
	for (size_t i = 0; groups && i < aims_gap_group_count(gap); i++) {
		const aims_gap_group *g = aims_gap_group_at(gap, i);
		json_array_append_new(groups, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
			"group", g->group, "title", g->title, "requirements", (json_int_t)g->requirements,
			"covered", (json_int_t)g->covered, "partial", (json_int_t)g->partial,
			"gap", (json_int_t)g->gap, "excluded", (json_int_t)g->excluded));
	}
	return json_pack("{s:{s:I, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I, s:I, s:f}, s:o, s:o}",
		"isms", "version", (json_int_t)isms->version, "source", isms->source,
		"imported_at", isms->imported_at, "digest", isms->digest,
		"summary", "requirements", (json_int_t)s->requirements, "covered", (json_int_t)s->covered,
		"partial", (json_int_t)s->partial, "gap", (json_int_t)s->gap,
		"excluded", (json_int_t)s->excluded, "reuse_ratio", s->reuse_ratio,
		"groups", groups, "items", items);
}

static void gap_text(const aims_gap *gap)
{
	const aims_gap_summary *s = aims_gap_summary_get(gap);
	const aims_isms_info *isms = aims_gap_isms(gap);
	printf("ISO 27001 -> ISO 42001 gap analysis (ISMS version %lld from '%s')\n\n",
	       (long long)isms->version, isms->source);
	printf("requirements %zu: covered %zu, partial %zu, gap %zu", s->requirements, s->covered,
	       s->partial, s->gap);
	if (s->excluded)
		printf(", excluded %zu", s->excluded);
	printf("; reuse ratio %.0f%%\n\n", s->reuse_ratio * 100.0);

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

	static const char *const ih[] = { "REQUIREMENT", "STATUS", "SUPPORTED BY", "TO ADD" };
	t = cli_table_new(4, ih);
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
		const char *row[] = { it->id, it->applicable ? aims_gap_status_name(it->status) : "excluded",
				      len ? sup : "-", it->to_add ? it->to_add : "" };
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
