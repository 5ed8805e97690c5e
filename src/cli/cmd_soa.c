/*
 * aims soa, soa show and soa set: the ISO/IEC 42001 Statement of
 * Applicability. The work and the JSON are the library's operations
 * (soa.list, soa.show, soa.set); this file prints their documents for
 * people. --csv prints the CSV format of soa.list, --html FILE writes its
 * HTML format beside the table (cmd_run_report).
 */
#include <string.h>

#include "commands.h"

const cli_opt cmd_soa_opts[] = {
	{ "json", NULL, "print JSON instead of text", 0 },
	{ "csv", NULL, "print CSV instead of text", 0 },
	{ "html", "FILE", "also write the SoA as one self-contained HTML file", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

/* --csv: the operation's CSV format, printed (unless the report call asked for HTML already) */
int cmd_soa_prepare(cli_ctx *ctx, json_t *req)
{
	if (!cli_flag(ctx, "csv"))
		return EXIT_OK;
	if (ctx->json)
		return cli_usage(ctx, "--json and --csv exclude each other");
	if (json_object_get(req, "format"))
		return EXIT_OK;
	return json_object_set_new(req, "format", json_string("csv")) == 0 ? EXIT_OK : EXIT_FAILURE_;
}

static const char *applicability(const json_t *c)
{
	if (!json_is_true(json_object_get(c, "decided")))
		return "undecided";
	return json_is_true(json_object_get(c, "applicable")) ? "yes" : "no";
}

int cmd_soa_render(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "CONTROL", "APPLICABLE", "STATUS", "ISMS", "OWNER", "JUSTIFICATION" };
	const json_t *controls = json_object_get(res->json, "controls");
	const char *html = cli_get(ctx, "html");
	cli_table *t = cli_table_new(6, hdr);
	size_t undecided = 0, i;
	json_t *c;
	json_array_foreach(controls, i, c) {
		undecided += !json_is_true(json_object_get(c, "decided"));
		const char *row[] = { js(c, "control"), applicability(c), js(c, "status"), js(c, "gap"), js(c, "owner"),
				      js(c, "justification") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	printf("\n%zu controls, %zu not yet decided ('aims soa set CONTROL --applicable yes|no "
	       "--justification TEXT')\n", json_array_size(controls), undecided);
	if (html)
		printf("SoA written to '%s'\n", html);
	return EXIT_OK;
}

static void print_list(const char *label, const json_t *a)
{
	size_t i;
	json_t *v;
	printf("  %-14s", label);
	json_array_foreach(a, i, v) {
		printf("%s%s", i ? ", " : "", json_string_value(v));
	}
	printf("%s\n", json_array_size(a) ? "" : "-");
}

int cmd_soa_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *c = res->json;
	(void)ctx;
	printf("%s  %s\n", js(c, "control"), js(c, "title"));
	printf("  %-14s%s\n", "group:", js(c, "group"));
	printf("  %-14s%s\n", "applicable:", applicability(c));
	printf("  %-14s%s\n", "justification:", js(c, "justification"));
	printf("  %-14s%s\n", "status:", js(c, "status"));
	printf("  %-14s%s\n", "owner:", js(c, "owner"));
	printf("  %-14s%s\n", "ISMS:", js(c, "gap"));
	print_list("evidence:", json_object_get(c, "evidence"));
	print_list("risks:", json_object_get(c, "risks"));
	printf("  %-14s%s\n", "updated:", js(c, "updated_at"));
	return EXIT_OK;
}

/* 'aims soa set' has always been silent on success (--json prints the control) */
int cmd_soa_render_set(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	(void)res;
	return EXIT_OK;
}
