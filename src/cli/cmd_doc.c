/*
 * aims doc: controlled documents of the AI management system (scope, AI
 * policy, risk criteria, RACI, concern reporting, objectives, procedures).
 * The work and the JSON are the library's operations (doc.*): create from
 * templates, edit, submit, approve with four eyes (the acting principal,
 * never the author of the last edit), retire, compare versions, list due
 * reviews and export as HTML; this file prints their results for people and
 * writes the exported pages into the directory given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

const cli_opt cmd_doc_show_opts[] = {
	{ "html", "FILE", "write the document as one self-contained HTML page instead", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_export_opts[] = {
	{ "html", "DIR", "the directory to write (created if missing; required unless --json)", OPT_VALUE },
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

/* a working copy that is not approved: its version number is that of the draft */
static int unapproved(const json_t *d)
{
	const char *st = js(d, "status");
	return strcmp(st, "draft") == 0 || strcmp(st, "in-review") == 0;
}

int cmd_doc_render_new(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("created %s (draft version %lld)\n", js(res->json, "id"), ji(res->json, "version"));
	return EXIT_OK;
}

int cmd_doc_render_edit(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("%s: draft version %lld saved\n", js(res->json, "id"), ji(res->json, "version"));
	return EXIT_OK;
}

int cmd_doc_render_submit(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("%s is in review\n", js(res->json, "id"));
	return EXIT_OK;
}

int cmd_doc_render_retire(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("%s retired\n", js(res->json, "id"));
	return EXIT_OK;
}

int cmd_doc_render_approve(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *d = res->json;
	(void)ctx;
	printf("%s version %lld approved by %s on %s; next review %s\ndigest: %s\n", js(d, "id"), ji(d, "version"),
	       js(d, "approver"), js(d, "approved_at"), js(d, "next_review"), js(d, "digest"));
	return EXIT_OK;
}

int cmd_doc_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *d = res->json;
	size_t i;
	json_t *v;
	if (!d) {
		/* --html FILE: the page was written */
		printf("wrote %s\n", cli_get(ctx, "html"));
		return EXIT_OK;
	}
	const char *body = json_string_value(json_object_get(d, "body"));
	const json_t *links = json_object_get(d, "links"), *versions = json_object_get(d, "versions");
	if (!body)
		body = "";
	printf("%s  %s\ntype: %s\nstatus: %s, version %lld%s\nowner: %s\nauthor: %s\n", js(d, "id"), js(d, "title"),
	       aims_doc_type_title(js(d, "type")), js(d, "status"), ji(d, "version"),
	       unapproved(d) ? " (not approved)" : "", js(d, "owner"), js(d, "author"));
	if (json_is_string(json_object_get(d, "approver")))
		printf("approved by %s on %s; next review %s (every %lld months)\n", js(d, "approver"),
		       js(d, "approved_at"), js(d, "next_review"), ji(d, "review_months"));
	printf("digest: %s\nlinks:", js(d, "digest"));
	json_array_foreach(links, i, v) {
		printf(" %s", json_string_value(v));
	}
	printf("%s\napproved versions:", json_array_size(links) ? "" : " -");
	json_array_foreach(versions, i, v) {
		printf(" %lld", ji(v, "version"));
	}
	printf("%s\n\n%s%s", json_array_size(versions) ? "" : " none", body,
	       body[0] && body[strlen(body) - 1] != '\n' ? "\n" : "");
	return EXIT_OK;
}

static void print_table(const json_t *docs)
{
	static const char *const hdr[] = { "ID", "TYPE", "STATUS", "VERSION", "APPROVER", "APPROVED", "NEXT REVIEW",
					   "TITLE" };
	cli_table *t = cli_table_new(8, hdr);
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) {
		char v[32];
		snprintf(v, sizeof(v), "%lld%s", ji(d, "version"), unapproved(d) ? "*" : "");
		const char *row[] = { js(d, "id"), js(d, "type"), js(d, "status"), v, js(d, "approver"),
				      js(d, "approved_at"), js(d, "next_review"), js(d, "title") };
		cli_table_add(t, row);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
}

int cmd_doc_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *docs = json_object_get(res->json, "documents");
	(void)ctx;
	print_table(docs);
	printf("\n%zu documents (* = version of an unapproved draft)\n", json_array_size(docs));
	return EXIT_OK;
}

int cmd_doc_render_due(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *due = json_object_get(res->json, "due");
	size_t n = json_array_size(due);
	(void)ctx;
	print_table(due);
	printf("\n%zu document%s past %s review date\n", n, n == 1 ? "" : "s", n == 1 ? "its" : "their");
	return EXIT_OK;
}

int cmd_doc_render_diff(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *diff = json_object_get(res->json, "diff");
	(void)ctx;
	fwrite(json_string_value(diff), 1, json_string_length(diff), stdout);
	return EXIT_OK;
}

/* doc export --html DIR: the directory exists (or is made) before anything is read */
int cmd_doc_export_prepare(cli_ctx *ctx, json_t *req)
{
	const char *dir = cli_get(ctx, "html");
	(void)req;
	if (ctx->json || !dir)
		return EXIT_OK;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "error: cannot create '%s': %s\n", dir, strerror(errno));
		return EXIT_FAILURE_;
	}
	return EXIT_OK;
}

int cmd_doc_render_export(cli_ctx *ctx, const aims_op_result *res)
{
	const char *dir = cli_get(ctx, "html");
	char path[4096];
	size_t i;
	json_t *p;
	int rc;
	/* checked after the operation, so that a principal without permission is told that first */
	if (!dir)
		return cli_usage(ctx, "missing --html DIR (or --json)");
	json_array_foreach(json_object_get(res->json, "pages"), i, p) {
		const json_t *html = json_object_get(p, "html");
		const char *file = js(p, "file");
		/* the library names the files (an id is a slug or DOC-NNN); refuse anything that would leave DIR */
		if (strchr(file, '/') || file[0] == '.') {
			fprintf(stderr, "error: refusing to write page '%s' outside '%s'\n", file, dir);
			return EXIT_FAILURE_;
		}
		if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
			return cli_usage(ctx, "'%s': path too long", dir);
		if ((rc = cli_write_file(path, json_string_value(html), json_string_length(html))) != EXIT_OK)
			return rc;
	}
	printf("%lld documents and index.html written to '%s'\n", ji(res->json, "documents"), dir);
	return EXIT_OK;
}
