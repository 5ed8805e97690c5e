/*
 * aims doc: controlled documents of the AI management system (scope, AI
 * policy, risk criteria, RACI, concern reporting, objectives, procedures):
 * create from templates, edit, submit, approve with four eyes, retire,
 * compare versions, list due reviews and export as HTML.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

const cli_opt cmd_doc_new_opts[] = {
	{ "type", "TYPE", "scope, ai-policy, risk-criteria, raci, concern-reporting, objectives or procedure", OPT_VALUE },
	{ "template", "NAME", "start from a built-in template (default: the type's own)", OPT_VALUE },
	{ "title", "TEXT", "the title (default: the template's)", OPT_VALUE },
	{ "owner", "NAME", "who owns the document (required)", OPT_VALUE },
	{ "id", "SLUG", "the id (letters, digits, '-'; default DOC-NNN)", OPT_VALUE },
	{ "body", "FILE", "the Markdown body from FILE ('-' for standard input) instead of a template", OPT_VALUE },
	{ "review-months", "N", "review interval in months (1 to 120; default the template's, else 12)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_edit_opts[] = {
	{ "body", "FILE", "replace the Markdown body with FILE ('-' for standard input)", OPT_VALUE },
	{ "title", "TEXT", "new title", OPT_VALUE },
	{ "owner", "NAME", "new owner", OPT_VALUE },
	{ "link", "ID", "link a requirement: 42001 id (5.2, A.2.2) or iso27001-2022:ID (repeatable)", OPT_VALUE | OPT_MULTI },
	{ "unlink", "ID", "remove a link (repeatable)", OPT_VALUE | OPT_MULTI },
	{ "review-months", "N", "review interval in months (1 to 120)", OPT_VALUE },
	{ "version", "V", "the version to edit; an approved version is refused (exit 3)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_show_opts[] = {
	{ "version", "V", "an approved version instead of the working copy", OPT_VALUE },
	{ "html", "FILE", "also write the document as one self-contained HTML page", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_list_opts[] = {
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_approve_opts[] = {
	{ "approver", "NAME", "who approves (required; not the author for four-eyes types)", OPT_VALUE },
	{ "date", "YYYY-MM-DD", "the approval date (default today), e.g. for a document approved on paper before", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_diff_opts[] = {
	{ "from", "V", "the older version (default: the one before --to)", OPT_VALUE },
	{ "to", "V", "the newer version, or 'draft' for the working copy (default)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_due_opts[] = {
	{ "now", "DATE", "the day to check against (YYYY-MM-DD or RFC 3339; default today)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_doc_export_opts[] = {
	{ "html", "DIR", "the directory to write (created if missing)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *doc_json(const aims_doc *d, int with_body)
{
	json_t *links = json_array();
	for (size_t i = 0; links && i < d->nlinks; i++)
		json_array_append_new(links, json_string(d->links[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:i, s:o, s:s, s:o}",
		"id", d->id, "type", d->type, "title", d->title, "owner", d->owner,
		"status", aims_doc_status_name(d->status), "version", d->version,
		"latest_approved", d->latest_approved, "author", opt_str(d->author),
		"approver", opt_str(d->approver), "approved_at", opt_str(d->approved_at),
		"next_review", opt_str(d->next_review), "review_months", d->review_months,
		"links", links, "digest", d->digest, "updated_at", opt_str(d->updated_at));
	if (o && with_body)
		json_object_set_new(o, "body", json_string(d->body ? d->body : ""));
	return o;
}

/* the Markdown body: text (UTF-8, which the library checks), at most 4 MiB */
static int read_body(char **out, const char *path)
{
	size_t len = 0;
	int rc = cli_read_file(out, &len, path, (size_t)4 << 20);
	if (rc == EXIT_OK && memchr(*out, '\0', len)) {
		fprintf(stderr, "error: '%s': not a text file (it holds a NUL byte)\n", path);
		free(*out);
		*out = NULL;
		return EXIT_INPUT;
	}
	return rc;
}

static int parse_int(int *out, const char *s, int lo, int hi)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_doc_new(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc_new_opts o = AIMS_DOC_NEW_INIT;
	char *body = NULL, *id = NULL;
	const char *rm = cli_get(ctx, "review-months");
	int rc, err;

	o.type = cli_get(ctx, "type");
	o.template_name = cli_get(ctx, "template");
	o.title = cli_get(ctx, "title");
	o.owner = cli_get(ctx, "owner");
	o.id = cli_get(ctx, "id");
	if (!o.type && !o.template_name)
		return cli_usage(ctx, "missing --type TYPE or --template NAME");
	if (!o.owner)
		return cli_usage(ctx, "missing --owner NAME");
	if (rm && parse_int(&o.review_months, rm, 1, 120) < 0)
		return cli_usage(ctx, "--review-months '%s': expected 1 to 120", rm);
	if (cli_get(ctx, "body") && (rc = read_body(&body, cli_get(ctx, "body"))) != EXIT_OK)
		return rc;
	o.body = body;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_doc_create(&id, store, &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json) {
		aims_doc *d = NULL;
		if ((err = aims_doc_read(&d, store, id, 0)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		rc = cli_print_json(doc_json(d, 0));
		aims_doc_free(d);
	} else {
		printf("created %s (draft version 1)\n", id);
	}
done:
	free(body);
	free(id);
	aims_store_free(store);
	return rc;
}

int cmd_doc_edit(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc_edit_opts o = AIMS_DOC_EDIT_INIT;
	const char *add[CLI_MAX_VALUES], *rem[CLI_MAX_VALUES];
	const char *rm = cli_get(ctx, "review-months"), *ver = cli_get(ctx, "version");
	char *body = NULL;
	int rc, err;

	o.title = cli_get(ctx, "title");
	o.owner = cli_get(ctx, "owner");
	o.nadd = (size_t)cli_get_all(ctx, "link", add, CLI_MAX_VALUES);
	o.nremove = (size_t)cli_get_all(ctx, "unlink", rem, CLI_MAX_VALUES);
	o.add_links = add;
	o.remove_links = rem;
	if (rm && parse_int(&o.review_months, rm, 1, 120) < 0)
		return cli_usage(ctx, "--review-months '%s': expected 1 to 120", rm);
	if (ver && parse_int(&o.edit_version, ver, 1, 1000000) < 0)
		return cli_usage(ctx, "--version '%s': expected a version number", ver);
	if (!o.title && !o.owner && !o.nadd && !o.nremove && !rm && !cli_get(ctx, "body"))
		return cli_usage(ctx, "nothing to change: give --body, --title, --owner, --link, --unlink or --review-months");
	if (cli_get(ctx, "body") && (rc = read_body(&body, cli_get(ctx, "body"))) != EXIT_OK)
		return rc;
	o.body = body;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_doc_edit(store, ctx->args[0], &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) == EXIT_OK) {
		aims_doc *d = NULL;
		if (aims_doc_read(&d, store, ctx->args[0], 0) == 0)
			printf("%s: draft version %d saved\n", d->id, d->version);
		aims_doc_free(d);
	}
done:
	free(body);
	aims_store_free(store);
	return rc;
}

int cmd_doc_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc *d = NULL;
	aims_doc_list *vers = NULL;
	aims_buf buf = AIMS_BUF_INIT;
	const char *ver = cli_get(ctx, "version"), *html = cli_get(ctx, "html");
	int rc, err, v = 0;

	if (ver && parse_int(&v, ver, 1, 1000000) < 0)
		return cli_usage(ctx, "--version '%s': expected a version number", ver);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_read(&d, store, ctx->args[0], v)) < 0 ||
	    (err = aims_doc_versions(&vers, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (html) {
		if ((err = aims_doc_render_html(&buf, store, d)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_write_file(html, buf.ptr, buf.len)) != EXIT_OK)
			goto done;
	}
	if (ctx->json) {
		json_t *o = doc_json(d, 1), *va = json_array();
		for (size_t i = 0; va && i < vers->count; i++) {
			const aims_doc *x = vers->items[i];
			json_array_append_new(va, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "version", x->version,
				"approver", x->approver, "approved_at", x->approved_at, "next_review", x->next_review,
				"author", x->author, "digest", x->digest));
		}
		if (o)
			json_object_set_new(o, "versions", va);
		else
			json_decref(va);
		rc = cli_print_json(o);
	} else {
		printf("%s  %s\ntype: %s\nstatus: %s, version %d%s\nowner: %s\nauthor: %s\n", d->id, d->title,
		       aims_doc_type_title(d->type), aims_doc_status_name(d->status), d->version,
		       d->is_working && (d->status == AIMS_DOC_DRAFT || d->status == AIMS_DOC_IN_REVIEW)
		       ? " (not approved)" : "", d->owner, d->author ? d->author : "-");
		if (d->approver)
			printf("approved by %s on %s; next review %s (every %d months)\n", d->approver,
			       d->approved_at, d->next_review, d->review_months);
		printf("digest: %s\nlinks:", d->digest);
		for (size_t i = 0; i < d->nlinks; i++)
			printf(" %s", d->links[i]);
		printf("%s\napproved versions:", d->nlinks ? "" : " -");
		for (size_t i = 0; i < vers->count; i++)
			printf(" %d", vers->items[i]->version);
		printf("%s\n\n%s%s", vers->count ? "" : " none", d->body,
		       d->body[0] && d->body[strlen(d->body) - 1] != '\n' ? "\n" : "");
		rc = EXIT_OK;
	}
done:
	aims_buf_release(&buf);
	aims_doc_list_free(vers);
	aims_doc_free(d);
	aims_store_free(store);
	return rc;
}

static int print_list(cli_ctx *ctx, const aims_doc_list *l, const char *key)
{
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++)
			json_array_append_new(a, doc_json(l->items[i], 0));
		return cli_print_json(json_pack("{s:o}", key, a));
	}
	static const char *const hdr[] = { "ID", "TYPE", "STATUS", "VERSION", "APPROVER", "APPROVED", "NEXT REVIEW", "TITLE" };
	cli_table *t = cli_table_new(8, hdr);
	for (size_t i = 0; i < l->count; i++) {
		const aims_doc *d = l->items[i];
		char v[32];
		snprintf(v, sizeof(v), "%d%s", d->version,
			 d->status == AIMS_DOC_DRAFT || d->status == AIMS_DOC_IN_REVIEW ? "*" : "");
		const char *row[] = { d->id, d->type, aims_doc_status_name(d->status), v, d->approver ? d->approver : "-",
			d->approved_at ? d->approved_at : "-", d->next_review ? d->next_review : "-", d->title };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_doc_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc_list *l = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_list_read(&l, store)) < 0)
		rc = cli_fail(err);
	else if ((rc = print_list(ctx, l, "documents")) == EXIT_OK && !ctx->json)
		printf("\n%zu documents (* = version of an unapproved draft)\n", l->count);
	aims_doc_list_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_doc_due(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc_list *l = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_due(&l, store, cli_get(ctx, "now"))) < 0)
		rc = cli_fail(err);
	else if ((rc = print_list(ctx, l, "due")) == EXIT_OK && !ctx->json)
		printf("\n%zu document%s past %s review date\n", l->count, l->count == 1 ? "" : "s",
		       l->count == 1 ? "its" : "their");
	aims_doc_list_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_doc_approve(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc *d = NULL;
	int rc, err, version = 0;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_approve(&version, store, ctx->args[0], cli_get(ctx, "approver"), cli_get(ctx, "date"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if ((err = aims_doc_read(&d, store, ctx->args[0], version)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json)
		rc = cli_print_json(doc_json(d, 0));
	else
		printf("%s version %d approved by %s on %s; next review %s\ndigest: %s\n", d->id, d->version,
		       d->approver, d->approved_at, d->next_review, d->digest);
done:
	aims_doc_free(d);
	aims_store_free(store);
	return rc;
}

int cmd_doc_submit(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_submit(store, ctx->args[0])) < 0)
		rc = cli_fail(err);
	else if ((rc = cli_after_write(store)) == EXIT_OK)
		printf("%s is in review\n", ctx->args[0]);
	aims_store_free(store);
	return rc;
}

int cmd_doc_retire(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_retire(store, ctx->args[0])) < 0)
		rc = cli_fail(err);
	else if ((rc = cli_after_write(store)) == EXIT_OK)
		printf("%s retired\n", ctx->args[0]);
	aims_store_free(store);
	return rc;
}

int cmd_doc_diff(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_buf buf = AIMS_BUF_INIT;
	const char *from = cli_get(ctx, "from"), *to = cli_get(ctx, "to");
	int rc, err, f = -1, t = -1;
	if (from && parse_int(&f, from, 1, 1000000) < 0)
		return cli_usage(ctx, "--from '%s': expected a version number", from);
	if (to && strcmp(to, "draft") != 0 && parse_int(&t, to, 1, 1000000) < 0)
		return cli_usage(ctx, "--to '%s': expected a version number or 'draft'", to);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_diff(&buf, store, ctx->args[0], f, t)) < 0)
		rc = cli_fail(err);
	else
		fwrite(buf.ptr, 1, buf.len, stdout);
	aims_buf_release(&buf);
	aims_store_free(store);
	return rc;
}

int cmd_doc_export(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_doc_list *l = NULL;
	aims_buf buf = AIMS_BUF_INIT;
	const char *dir = cli_get(ctx, "html");
	char path[4096];
	int rc, err;

	if (!dir)
		return cli_usage(ctx, "missing --html DIR");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "error: cannot create '%s': %s\n", dir, strerror(errno));
		return EXIT_FAILURE_;
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_doc_list_read(&l, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	for (size_t i = 0; i < l->count; i++) {
		aims_buf_clear(&buf);
		if ((err = aims_doc_render_html(&buf, store, l->items[i])) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if (snprintf(path, sizeof(path), "%s/%s.html", dir, l->items[i]->id) >= (int)sizeof(path)) {
			rc = cli_usage(ctx, "'%s': path too long", dir);
			goto done;
		}
		if ((rc = cli_write_file(path, buf.ptr, buf.len)) != EXIT_OK)
			goto done;
	}
	aims_buf_clear(&buf);
	if ((err = aims_doc_index_html(&buf, store, l)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	if ((rc = cli_write_file(path, buf.ptr, buf.len)) == EXIT_OK)
		printf("%zu documents and index.html written to '%s'\n", l->count, dir);
done:
	aims_buf_release(&buf);
	aims_doc_list_free(l);
	aims_store_free(store);
	return rc;
}
