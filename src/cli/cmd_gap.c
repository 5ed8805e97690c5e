/*
 * aims gap: the ISO 27001 -> ISO 42001 gap analysis. The work and the JSON
 * are the library's operation gap.analysis; this file prints its document
 * for people. --html FILE (the report, a format of the operation) is written
 * beside the document the command prints, which the operation is asked for
 * separately (cmd_run_report, also used by 'aims soa').
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_gap_opts[] = {
	{ "html", "FILE", "also write the report as one self-contained HTML file", OPT_VALUE | OPT_FORMAT },
	{ "json", NULL, "print JSON instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* the report was written; the document comes with the second call */
static int render_quiet(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	(void)res;
	return EXIT_OK;
}

int cmd_run_report_with(cli_ctx *ctx, int (*render)(cli_ctx *ctx, const aims_op_result *res))
{
	const cli_cmd *self = ctx->cmd;
	cli_cmd c = *self;
	int rc = EXIT_OK, given = 0, json = ctx->json;
	for (const cli_opt *o = self->opts; o && o->name; o++)
		given |= (o->flags & OPT_FORMAT) && cli_get(ctx, o->name);
	given |= cli_get(ctx, "pdf") != NULL;
	if (given) {
		/* the format option: the operation renders the report and the runner writes it to FILE */
		c.render = render_quiet;
		ctx->cmd = &c;
		rc = cli_run_op(ctx);
		ctx->cmd = self;
		if (rc != EXIT_OK && rc != EXIT_FINDING)
			return rc;
	}
	/* the document, printed as JSON or for people; without the command's own options no format is asked */
	c = *self;
	c.opts = NULL;
	if (render) {
		/* the given renderer prints the document, JSON included */
		c.render = render;
		ctx->json = 0;
	}
	ctx->cmd = &c;
	rc = cli_run_op(ctx);
	ctx->cmd = self;
	ctx->json = json;
	return rc;
}

int cmd_run_report(cli_ctx *ctx)
{
	return cmd_run_report_with(ctx, NULL);
}

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long ji(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static int pct(const json_t *o, const char *key)
{
	return aims_gap_percent(json_number_value(json_object_get(o, key)));
}

static void print_part(const char *name, const json_t *p)
{
	printf("  %-9s %3d%%  %lld requirements: covered %lld, partial %lld, gap %lld", name, pct(p, "readiness"),
	       ji(p, "requirements"), ji(p, "covered"), ji(p, "partial"), ji(p, "gap"));
	if (ji(p, "excluded"))
		printf(", excluded %lld", ji(p, "excluded"));
	printf("\n");
}

/* "A.8.15 A.5.36 decision-log:x": the controls that contribute, then the evidence kept in aims (as much as
 * fits); returns the length of the complete entries, 0 for none */
static size_t supported_by(char *sup, size_t size, const json_t *it)
{
	size_t len = 0, k;
	json_t *p;
	sup[0] = '\0';
	json_array_foreach(json_object_get(it, "supported_by"), k, p) {
		if (strcmp(js(p, "contribution"), "gap") == 0)
			continue;
		int w = snprintf(sup + len, size - len, "%s%s", len ? " " : "", js(p, "control"));
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	json_array_foreach(json_object_get(it, "aims_evidence"), k, p) {
		int w = snprintf(sup + len, size - len, "%s%s", len ? " " : "", json_string_value(p));
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return len;
}

int cmd_gap_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *isms = json_object_get(res->json, "isms"), *s = json_object_get(res->json, "summary");
	const json_t *range = json_object_get(s, "readiness_range");
	const char *html = cli_get(ctx, "html");
	size_t i;
	json_t *v;

	printf("ISO 27001 -> ISO 42001 gap analysis (ISMS version %lld from '%s')\n\n", ji(isms, "version"),
	       js(isms, "source"));
	printf("readiness %d%% (range %d-%d%%): strength-weighted, see docs/gap-analysis.md\n", pct(s, "readiness"),
	       aims_gap_percent(json_number_value(json_array_get(range, 0))),
	       aims_gap_percent(json_number_value(json_array_get(range, 1))));
	print_part("clauses", json_object_get(s, "clauses"));
	print_part("Annex A", json_object_get(s, "annex_a"));
	printf("requirements %lld: covered %lld, partial %lld, gap %lld", ji(s, "requirements"), ji(s, "covered"),
	       ji(s, "partial"), ji(s, "gap"));
	if (ji(s, "excluded"))
		printf(", excluded %lld", ji(s, "excluded"));
	printf("; reuse ratio %d%% (touched by any support)\n\n", pct(s, "reuse_ratio"));

	static const char *const gh[] = { "GROUP", "COVERED", "PARTIAL", "GAP", "TITLE" };
	cli_table *t = cli_table_new(5, gh);
	json_array_foreach(json_object_get(res->json, "groups"), i, v) {
		char c[32], p[32], x[32];
		snprintf(c, sizeof(c), "%lld", ji(v, "covered"));
		snprintf(p, sizeof(p), "%lld", ji(v, "partial"));
		snprintf(x, sizeof(x), "%lld", ji(v, "gap"));
		const char *row[] = { js(v, "group"), c, p, x, js(v, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	printf("\n");

	static const char *const ih[] = { "REQUIREMENT", "STATUS", "CREDIT", "SUPPORTED BY", "TO ADD" };
	t = cli_table_new(5, ih);
	json_array_foreach(json_object_get(res->json, "items"), i, v) {
		int applicable = json_is_true(json_object_get(v, "applicable"));
		const char *to_add = json_string_value(json_object_get(v, "to_add"));
		char sup[256], credit[32];
		size_t len = supported_by(sup, sizeof(sup), v);
		snprintf(credit, sizeof(credit), "%.2f", json_number_value(json_object_get(v, "credit")));
		const char *row[] = { js(v, "id"), applicable ? js(v, "status") : "excluded", applicable ? credit : "-",
				      len ? sup : "-", to_add ? to_add : "" };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	if (html)
		printf("\nreport written to '%s'\n", html);
	return EXIT_OK;
}
