/*
 * aims aiact: EU AI Act classification of an AI system from an answers
 * file, the obligations it brings as tracked items (status, evidence), the
 * Art. 27 fundamental rights impact assessment template and the Annex IV
 * technical documentation pack. The work and the JSON are the library's
 * operations (aiact.*); this file prints their documents for people.
 */
#include <string.h>

#include "aims/aiact.h"
#include "commands.h"

const cli_opt cmd_aiact_fria_opts[] = {
	{ "out", "FILE", "write the Markdown to FILE instead of standard output", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_aiact_annex_iv_opts[] = {
	{ "html", "FILE", "the HTML file to write (required)", OPT_VALUE | OPT_FORMAT },
	{ "json", NULL, "print the counts as JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long ji(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* ---- classification ---- */

/* a version 1 answers file: what it cannot decide, on standard error before the classification (docs/aiact.md);
 * a file that does not parse is left for the operation to refuse */
int cmd_aiact_classify_prepare(cli_ctx *ctx, json_t *req)
{
	const json_t *text = json_object_get(req, "answers");
	aims_aiact_answers a;
	if (!json_is_string(text))
		return EXIT_OK;
	if (aims_aiact_answers_parse(&a, json_string_value(text), json_string_length(text),
				     ctx->input_name ? ctx->input_name : "answers") < 0) {
		aims_error_clear();
		return EXIT_OK;
	}
	for (size_t i = 0; i < a.nwarnings; i++)
		fprintf(stderr, "warning: %s\n", a.warnings[i]);
	return EXIT_OK;
}

static void print_lines(const json_t *o, const char *key, const char *title)
{
	json_t *v;
	size_t i;
	if (json_array_size(json_object_get(o, key)) == 0)
		return;
	printf("%s:\n", title);
	json_array_foreach(json_object_get(o, key), i, v) {
		printf("  - ");
		cli_wrap(stdout, json_string_value(v), 4, cli_term_width());
	}
}

/* with_warnings: also the warnings of the answers (classify printed those on standard error) */
static void print_record(const json_t *o, int with_warnings)
{
	json_t *basis = json_object_get(o, "basis"), *v;
	size_t i;
	printf("%s: %s (classification version %lld)\n", js(o, "system"), js(o, "tier"), ji(o, "version"));
	printf("basis: ");
	if (json_array_size(basis) == 0)
		printf("no Article 5, 6 or 50 criterion applies");
	json_array_foreach(basis, i, v) {
		printf("%s%s", i ? ", " : "", json_string_value(v));
	}
	printf("\nfundamental rights impact assessment (Art. 27): %s\n",
	       json_is_true(json_object_get(o, "fria_required")) ? "required" : "not required");
	json_t *ex = json_object_get(o, "exemption");
	if (json_is_object(ex)) {
		printf("exemption: %s; the provider's duties:\n", json_string_value(json_object_get(ex, "article")));
		json_array_foreach(json_object_get(ex, "duties"), i, v) {
			printf("  %s\n", json_string_value(json_object_get(v, "article")));
			cli_wrap(stdout, json_string_value(json_object_get(v, "description")), 11, cli_term_width());
		}
	}
	print_lines(o, "notes", "notes");
	if (with_warnings)
		print_lines(o, "warnings", "warnings");
	printf("obligations (%s):\n", json_string_value(json_object_get(json_object_get(o, "answers"), "role")));
	json_array_foreach(json_object_get(o, "obligations"), i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *from = json_string_value(json_object_get(v, "applies_from"));
		printf("  %-8s %s%s%s%s\n", id ? id : "-", json_string_value(json_object_get(v, "article")),
		       from ? " (applies from " : "", from ? from : "", from ? ")" : "");
		cli_wrap(stdout, json_string_value(json_object_get(v, "description")), 11, cli_term_width());
	}
	if (json_array_size(json_object_get(o, "obligations")) == 0)
		printf("  none\n");
}

int cmd_aiact_render_classify(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	print_record(res->json, 0);
	return EXIT_OK;
}

int cmd_aiact_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	print_record(res->json, 1);
	return EXIT_OK;
}

/* ---- obligations ---- */

int cmd_aiact_render_obligations(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "ARTICLE", "ROLE", "STATUS", "APPLIES", "EVIDENCE", "DESCRIPTION" };
	const json_t *items = json_object_get(res->json, "obligations");
	cli_table *t = cli_table_new(7, hdr);
	size_t now_applies = 0, open = 0, met = 0, i;
	json_t *it;
	json_array_foreach(items, i, it) {
		int active = json_is_true(json_object_get(it, "active"));
		const char *from = json_string_value(json_object_get(it, "applies_from"));
		int applies = json_is_true(json_object_get(it, "applies"));
		char ev[32], st[64], ap[32];
		snprintf(ev, sizeof(ev), "%zu", json_array_size(json_object_get(it, "evidence")));
		snprintf(st, sizeof(st), "%s%s", js(it, "status"), active ? "" : " (inactive)");
		if (!from)
			snprintf(ap, sizeof(ap), "-");
		else if (applies)
			snprintf(ap, sizeof(ap), "yes");
		else
			snprintf(ap, sizeof(ap), "from %s", from);
		now_applies += active && applies;
		open += active && strcmp(js(it, "status"), "open") == 0;
		met += active && strcmp(js(it, "status"), "met") == 0;
		const char *cells[] = { js(it, "id"), js(it, "article"), js(it, "role"), st, ap, ev, js(it, "description") };
		if (t)
			cli_table_add(t, cells);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	printf("%s: %s, %zu obligations, %zu met, %zu open; %zu apply on %s%s\n", js(res->json, "system"),
	       js(res->json, "tier"), json_array_size(items), met, open, now_applies, js(res->json, "on"),
	       cli_get(ctx, "on") ? "" : " (today)");
	return EXIT_OK;
}

int cmd_aiact_render_obligation_set(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *it = res->json;
	size_t n = json_array_size(json_object_get(it, "evidence"));
	(void)ctx;
	printf("%s (%s, %s): %s, %zu evidence reference%s\n", js(it, "id"), js(it, "system"), js(it, "article"),
	       js(it, "status"), n, n == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_aiact_render_obligation_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *it = res->json;
	const char *from = json_string_value(json_object_get(it, "applies_from"));
	size_t i;
	json_t *v;
	(void)ctx;
	printf("%s  %s (%s)%s\n", js(it, "id"), js(it, "article"), js(it, "role"),
	       json_is_true(json_object_get(it, "active")) ? "" : " (inactive)");
	printf("  system:       %s\n  requirement:  %s\n  status:       %s\n  applies from: %s\n", js(it, "system"),
	       js(it, "requirement"), js(it, "status"), from ? from : "-");
	printf("  evidence:    ");
	json_array_foreach(json_object_get(it, "evidence"), i, v) {
		printf("%s %s", i ? "," : "", json_string_value(v));
	}
	printf("%s\n  note:         %s\n  updated:      %s\n", json_array_size(json_object_get(it, "evidence")) ? "" : " -",
	       js(it, "note"), js(it, "updated_at"));
	cli_wrap(stdout, js(it, "description"), 2, cli_term_width());
	return EXIT_OK;
}

/* ---- FRIA template and Annex IV pack ---- */

int cmd_aiact_fria_prepare(cli_ctx *ctx, json_t *req)
{
	(void)req;
	if (ctx->json && cli_get(ctx, "out"))
		return cli_usage(ctx, "--out and --json exclude each other");
	return EXIT_OK;
}

/* the template's Markdown, to --out FILE or standard output */
int cmd_aiact_render_fria(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *md = json_object_get(res->json, "markdown");
	const char *path = cli_get(ctx, "out");
	int rc;
	if (!path) {
		fwrite(json_string_value(md), 1, json_string_length(md), stdout);
		return EXIT_OK;
	}
	if ((rc = cli_write_file(path, json_string_value(md), json_string_length(md))) == EXIT_OK)
		printf("wrote %s\n", path);
	return rc;
}

static int annex_iv_missing_html(cli_ctx *ctx, const aims_op_result *res)
{
	(void)res;
	return cli_usage(ctx, "missing --html FILE");
}

static int annex_iv_text(cli_ctx *ctx, const aims_op_result *res)
{
	printf("wrote %s: %lld Annex IV items, %lld found, %lld missing\n", cli_get(ctx, "html"), ji(res->json, "items"),
	       ji(res->json, "found"), ji(res->json, "missing"));
	return EXIT_OK;
}

/* the operation's counts with the file written, as this command has always printed them */
static int annex_iv_json(cli_ctx *ctx, const aims_op_result *res)
{
	return cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:I}", "system", js(res->json, "system"), "html",
					cli_get(ctx, "html"), "items", (json_int_t)ji(res->json, "items"), "found",
					(json_int_t)ji(res->json, "found"), "missing",
					(json_int_t)ji(res->json, "missing")));
}

/* --html FILE is required; a missing one is reported after the operation (the permission first) */
int cmd_aiact_annex_iv(cli_ctx *ctx)
{
	if (!cli_get(ctx, "html"))
		return cmd_run_report_with(ctx, annex_iv_missing_html);
	return cmd_run_report_with(ctx, ctx->json ? annex_iv_json : annex_iv_text);
}
