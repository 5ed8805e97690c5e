/*
 * aims isms import | show | versions: the organization's ISO/IEC 27001 ISMS
 * state (Statement of Applicability and clause status), imported from CSV
 * as numbered versions. The work and the JSON are the library's operations
 * (isms.import, isms.show, isms.versions); this file completes their
 * requests and prints their results for people.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_isms_show_opts[] = {
	{ "version", "N", "show version N instead of the latest", OPT_VALUE },
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

/* the file's name is kept with the version: FILE as given, '(stdin)' for '-' */
int cmd_isms_import_prepare(cli_ctx *ctx, json_t *req)
{
	const char *path = ctx->args[0];
	const char *source = strcmp(path, "-") == 0 ? "(stdin)" : path;
	json_t *v = json_string(source);
	if (!v) {
		fprintf(stderr, "error: '%s': the file name is not valid UTF-8\n", path);
		return EXIT_INPUT;
	}
	if (json_object_set_new(req, "source", v) < 0)
		return EXIT_FAILURE_;
	ctx->input_name = source;
	return EXIT_OK;
}

int cmd_isms_render_import(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("imported %lld rows from '%s' as ISMS version %lld\n", ji(res->json, "rows"), js(res->json, "source"),
	       ji(res->json, "version"));
	return EXIT_OK;
}

/* --version N: a positive whole number, checked before the store is opened */
int cmd_isms_show_prepare(cli_ctx *ctx, json_t *req)
{
	const char *s = cli_get(ctx, "version");
	char *end;
	if (!s)
		return EXIT_OK;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return cli_usage(ctx, "--version needs a positive whole number, not '%s'", s);
	return json_object_set_new(req, "version", json_integer(v)) < 0 ? EXIT_FAILURE_ : EXIT_OK;
}

int cmd_isms_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "CONTROL", "APPLICABLE", "STATUS", "OWNER", "EVIDENCE" };
	const json_t *doc = res->json, *summary = json_object_get(doc, "summary");
	size_t i, nmissing = json_array_size(json_object_get(summary, "missing"));
	json_t *r;
	(void)ctx;

	printf("ISMS version %lld (%s), imported %s from '%s'\n", ji(doc, "version"), js(doc, "framework"),
	       js(doc, "imported_at"), js(doc, "source"));
	printf("sha256 %s, %lld rows\n\n", js(doc, "digest"), ji(doc, "rows"));
	cli_table *t = cli_table_new(5, hdr);
	json_array_foreach(json_object_get(doc, "controls"), i, r) {
		aims_buf ev = AIMS_BUF_INIT;
		size_t k;
		json_t *e;
		int applicable = json_is_true(json_object_get(r, "applicable"));
		json_array_foreach(json_object_get(r, "evidence"), k, e)
			(void)aims_buf_printf(&ev, "%s%s", k ? "; " : "", json_string_value(e));
		const char *row[] = { js(r, "control"), applicable ? "yes" : "no", applicable ? js(r, "status") : "excluded",
				      js(r, "owner"), ev.len ? ev.ptr : "-" };
		cli_table_add(t, row);
		aims_buf_release(&ev);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	printf("\n%lld implemented, %lld partial, %lld planned, %lld not-implemented, %lld excluded; "
	       "%zu Annex A control%s without a row\n", ji(summary, "implemented"), ji(summary, "partial"),
	       ji(summary, "planned"), ji(summary, "not-implemented"), ji(summary, "excluded"), nmissing,
	       nmissing == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_isms_render_versions(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "VERSION", "IMPORTED", "ROWS", "DIGEST", "SOURCE" };
	const json_t *list = json_object_get(res->json, "versions");
	size_t i;
	json_t *v;
	(void)ctx;
	if (json_array_size(list) == 0) {
		printf("no ISMS state imported (run 'aims isms import FILE')\n");
		return EXIT_OK;
	}
	cli_table *t = cli_table_new(5, hdr);
	json_array_foreach(list, i, v) {
		char ver[32], rows[32], digest[16];
		snprintf(ver, sizeof(ver), "%lld", ji(v, "version"));
		snprintf(rows, sizeof(rows), "%lld", ji(v, "rows"));
		snprintf(digest, sizeof(digest), "%.12s", js(v, "digest"));
		const char *row[] = { ver, js(v, "imported_at"), rows, digest, js(v, "source") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}
