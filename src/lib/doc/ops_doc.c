/*
 * Operations on controlled documents (aims doc; /api/v1/documents,
 * /document-reviews, /document-export), and the JSON of a document, built
 * once here for the command line and the API. A body arrives as text (the
 * command line reads the file). Approval compares principals: for the
 * four-eyes types the author, the principal of the last edit, may not
 * approve (doc.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/doc.h"
#include "aims/op.h"
#include "core/core.h"
#include "doc_internal.h"
#include "op/op_internal.h"

json_t *aims_doc_json(const aims_doc *d, int with_body)
{
	json_t *links = json_array(), *o;
	for (size_t i = 0; links && i < d->nlinks; i++)
		if (json_array_append_new(links, json_string(d->links[i])) < 0) {
			json_decref(links);
			links = NULL;
		}
	if (!links)
		return NULL;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:i, s:o, s:s, s:o}",
		      "id", d->id, "type", d->type, "title", d->title, "owner", d->owner,
		      "status", aims_doc_status_name(d->status), "version", d->version,
		      "latest_approved", d->latest_approved, "author", aims_json_str(d->author),
		      "approver", aims_json_str(d->approver), "approved_at", aims_json_str(d->approved_at),
		      "next_review", aims_json_str(d->next_review), "review_months", d->review_months,
		      "links", links, "digest", d->digest, "updated_at", aims_json_str(d->updated_at));
	if (o && with_body && json_object_set_new(o, "body", json_string(d->body ? d->body : "")) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *aims_doc_version_json(const aims_doc *v)
{
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:s}", "version", v->version, "approver", aims_json_str(v->approver),
			 "approved_at", aims_json_str(v->approved_at), "next_review", aims_json_str(v->next_review),
			 "author", aims_json_str(v->author), "digest", v->digest);
}

/* ---- reading a request ---- */

/* a version number field: 0 when absent, else 1 or more */
static int version_field(int *out, const json_t *req, const char *name)
{
	*out = 0;
	if (!aims_req_has(req, name))
		return 0;
	int64_t v = aims_req_int(req, name, 0);
	if (v < 1 || v > 1000000) {
		aims__err_set(AIMS_EINVALID, "%s %lld: not a version number", name, (long long)v);
		aims__err_set_field(name);
		return AIMS_EINVALID;
	}
	*out = (int)v;
	return 0;
}

static int review_months_field(int *out, const json_t *req)
{
	*out = 0;
	if (!aims_req_has(req, "review_months"))
		return 0;
	int64_t v = aims_req_int(req, "review_months", 0);
	if (v < 1 || v > 120) {
		aims__err_set(AIMS_EINVALID, "review_months %lld: expected 1 to 120", (long long)v);
		aims__err_set_field("review_months");
		return AIMS_EINVALID;
	}
	*out = (int)v;
	return 0;
}

/* ---- documents ---- */

/* one document (the working copy, or approved `version`) without its body */
static int doc_doc(json_t **out, aims_store *store, const char *id, int version)
{
	aims_doc *d = NULL;
	int err = aims_doc_read(&d, store, id, version);
	*out = NULL;
	if (err < 0)
		return err;
	*out = aims_doc_json(d, 0);
	aims_doc_free(d);
	return *out ? 0 : aims__oom();
}

static int op_doc_new(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_doc_new_opts o = AIMS_DOC_NEW_INIT;
	char *id = NULL;
	int err;
	o.type = aims_req_str(req, "type");
	o.template_name = aims_req_str(req, "template");
	o.title = aims_req_str(req, "title");
	o.owner = aims_req_str(req, "owner");
	o.id = aims_req_str(req, "id");
	o.body = aims_req_str(req, "body");
	if ((err = review_months_field(&o.review_months, req)) < 0 || (err = aims_doc_create(&id, ctx->store, &o)) < 0)
		return err;
	err = doc_doc(&res->json, ctx->store, id, 0);
	aims__free(id);
	return err;
}

static int op_doc_edit(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_doc_edit_opts o = AIMS_DOC_EDIT_INIT;
	const char **add = NULL, **rem = NULL, *id = aims_req_str(req, "id");
	int err;
	o.title = aims_req_str(req, "title");
	o.owner = aims_req_str(req, "owner");
	o.body = aims_req_str(req, "body");
	if ((err = review_months_field(&o.review_months, req)) < 0 || (err = version_field(&o.edit_version, req, "version")) < 0)
		return err;
	if ((err = aims_req_list(&add, &o.nadd, req, "link")) < 0 || (err = aims_req_list(&rem, &o.nremove, req, "unlink")) < 0)
		goto done;
	o.add_links = add;
	o.remove_links = rem;
	if (!o.title && !o.owner && !o.body && !o.nadd && !o.nremove && !o.review_months) {
		err = aims__err(AIMS_EINVALID, "%s: nothing to change (give a body, title, owner, link, unlink or review "
				"interval)", id);
		goto done;
	}
	if ((err = aims_doc_edit(ctx->store, id, &o)) < 0)
		goto done;
	err = doc_doc(&res->json, ctx->store, id, 0);
done:
	aims__free(add);
	aims__free(rem);
	return err;
}

static int op_doc_submit(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err;
	if ((err = aims_doc_submit(ctx->store, aims_req_str(req, "id"))) < 0)
		return err;
	return doc_doc(&res->json, ctx->store, aims_req_str(req, "id"), 0);
}

static int op_doc_approve(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err, version = 0;
	/* the acting principal approves: doc.c refuses the author of a four-eyes type */
	if ((err = aims_doc_approve(&version, ctx->store, aims_req_str(req, "id"), aims_req_str(req, "date"))) < 0)
		return err;
	return doc_doc(&res->json, ctx->store, aims_req_str(req, "id"), version);
}

static int op_doc_retire(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err;
	if ((err = aims_doc_retire(ctx->store, aims_req_str(req, "id"))) < 0)
		return err;
	return doc_doc(&res->json, ctx->store, aims_req_str(req, "id"), 0);
}

static int op_doc_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *id = aims_req_str(req, "id"), *fmt = aims_req_str(req, "format");
	aims_doc *d = NULL;
	aims_doc_list *vers = NULL;
	json_t *o = NULL, *va = NULL;
	int err, v;

	if ((err = version_field(&v, req, "version")) < 0 || (err = aims_doc_read(&d, ctx->store, id, v)) < 0)
		return err;
	if (fmt && strcmp(fmt, "html") == 0) {
		if ((err = aims_doc_render_html(&res->body, ctx->store, d)) == 0)
			res->content_type = "text/html; charset=utf-8";
		goto done;
	}
	if ((err = aims_doc_versions(&vers, ctx->store, id)) < 0)
		goto done;
	if (!(o = aims_doc_json(d, 1)) || !(va = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < vers->count; i++)
		if (json_array_append_new(va, aims_doc_version_json(vers->items[i])) < 0) {
			err = aims__oom();
			goto done;
		}
	if (json_object_set_new(o, "versions", va) < 0) {
		va = NULL;
		err = aims__oom();
		goto done;
	}
	va = NULL;
	res->json = o;
	o = NULL;
	err = 0;
done:
	json_decref(o);
	json_decref(va);
	aims_doc_list_free(vers);
	aims_doc_free(d);
	return err;
}

static int list_doc(json_t **out, const aims_doc_list *l, const char *key)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_doc_json(l->items[i], 0)) < 0) {
			json_decref(a);
			a = NULL;
		}
	if (!a || !(*out = json_pack("{s:o}", key, a)))
		return aims__oom();
	return 0;
}

static int op_doc_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_doc_list *l = NULL;
	int err;
	(void)req;
	if ((err = aims_doc_list_read(&l, ctx->store)) < 0)
		return err;
	err = list_doc(&res->json, l, "documents");
	aims_doc_list_free(l);
	return err;
}

static int op_doc_due(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_doc_list *l = NULL;
	int err;
	if ((err = aims_doc_due(&l, ctx->store, aims_req_str(req, "now"))) < 0)
		return err;
	err = list_doc(&res->json, l, "due");
	aims_doc_list_free(l);
	return err;
}

static int op_doc_diff(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *id = aims_req_str(req, "id"), *to = aims_req_str(req, "to");
	aims_buf out = AIMS_BUF_INIT;
	int err, from = -1, t = -1;
	if (aims_req_has(req, "from") && (err = version_field(&from, req, "from")) < 0)
		return err;
	if (to && strcmp(to, "draft") != 0) {
		char *end = NULL;
		long v = strtol(to, &end, 10);
		if (!*to || *end || v < 1 || v > 1000000) {
			aims__err_set(AIMS_EINVALID, "to '%s': expected a version number or 'draft'", to);
			aims__err_set_field("to");
			return AIMS_EINVALID;
		}
		t = (int)v;
	}
	if ((err = aims_doc_diff(&out, ctx->store, id, from, t)) < 0) {
		aims_buf_release(&out);
		return err;
	}
	res->json = json_pack("{s:s, s:s%}", "id", id, "diff", out.ptr ? out.ptr : "", out.len);
	aims_buf_release(&out);
	return res->json ? 0 : aims__oom();
}

/* every document as a printable page plus the index, for a directory on the command line */
static int op_doc_export(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_doc_list *l = NULL;
	aims_buf buf = AIMS_BUF_INIT;
	json_t *pages = NULL;
	char file[96];
	int err;
	(void)req;
	if ((err = aims_doc_list_read(&l, ctx->store)) < 0)
		return err;
	if (!(pages = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i <= l->count; i++) {
		aims_buf_clear(&buf);
		if (i < l->count) {
			snprintf(file, sizeof(file), "%s.html", l->items[i]->id);
			err = aims_doc_render_html(&buf, ctx->store, l->items[i]);
		} else {
			snprintf(file, sizeof(file), "index.html");
			err = aims_doc_index_html(&buf, ctx->store, l);
		}
		if (err < 0)
			goto done;
		if (json_array_append_new(pages, json_pack("{s:o, s:s, s:s%}", "id",
							   i < l->count ? json_string(l->items[i]->id) : json_null(),
							   "file", file, "html", buf.ptr ? buf.ptr : "", buf.len)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (!(res->json = json_pack("{s:i, s:o}", "documents", (int)l->count, "pages", pages))) {
		pages = NULL;
		err = aims__oom();
		goto done;
	}
	pages = NULL;
	err = 0;
done:
	json_decref(pages);
	aims_buf_release(&buf);
	aims_doc_list_free(l);
	return err;
}

/* ---- the table ---- */

static const char *const html_format[] = { "html", NULL };

static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_id[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the document", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_new[] = {
	{ "type", AIMS_FT_STRING, 0, "TYPE",
	  "scope, ai-policy, risk-criteria, raci, concern-reporting, objectives or procedure", aims_doc_types },
	{ "template", AIMS_FT_STRING, 0, "NAME", "start from a built-in template (default: the type's own)", NULL },
	{ "title", AIMS_FT_STRING, 0, "TEXT", "the title (default: the template's)", NULL },
	{ "owner", AIMS_FT_STRING, AIMS_FF_REQUIRED, "NAME", "who owns the document", NULL },
	{ "id", AIMS_FT_STRING, 0, "SLUG", "the id (letters, digits, '-'; default DOC-NNN)", NULL },
	{ "body", AIMS_FT_FILE, 0, "FILE", "the Markdown body from FILE ('-' for standard input) instead of a template",
	  NULL },
	{ "review_months", AIMS_FT_INT, 0, "N", "review interval in months (1 to 120; default the template's, else 12)",
	  NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_edit[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the document", NULL },
	{ "body", AIMS_FT_FILE, 0, "FILE", "replace the Markdown body with FILE ('-' for standard input)", NULL },
	{ "title", AIMS_FT_STRING, 0, "TEXT", "new title", NULL },
	{ "owner", AIMS_FT_STRING, 0, "NAME", "new owner", NULL },
	{ "link", AIMS_FT_LIST, 0, "ID", "link a requirement: 42001 id (5.2, A.2.2) or iso27001-2022:ID (repeatable)",
	  NULL },
	{ "unlink", AIMS_FT_LIST, 0, "ID", "remove a link (repeatable)", NULL },
	{ "review_months", AIMS_FT_INT, 0, "N", "review interval in months (1 to 120)", NULL },
	{ "version", AIMS_FT_INT, 0, "V", "the version to edit; an approved version is refused (exit 3)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_show[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the document", NULL },
	{ "version", AIMS_FT_INT, 0, "V", "an approved version instead of the working copy", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_approve[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the document", NULL },
	{ "date", AIMS_FT_DATE, 0, "YYYY-MM-DD",
	  "the approval date (default today), e.g. for a document approved on paper before", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_due[] = {
	{ "now", AIMS_FT_STRING, 0, "DATE", "the day to check against (YYYY-MM-DD or RFC 3339; default today)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_diff[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the document", NULL },
	{ "from", AIMS_FT_INT, 0, "V", "the older version (default: the one before --to)", NULL },
	{ "to", AIMS_FT_STRING, 0, "V", "the newer version, or 'draft' for the working copy (default)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_doc[] = {
	{ "doc.approve", "doc approve", "POST", "/documents/{id}/approve", "doc.approve", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_approve, "approve a document's draft as a new immutable version (four eyes: not its author)", NULL,
	  "doc.show", NULL, op_doc_approve },
	{ "doc.diff", "doc diff", "GET", "/documents/{id}/diff", "read", AIMS_OP_CACHEABLE, f_diff,
	  "show what changed between two versions of a document (unified diff)", NULL, NULL, NULL, op_doc_diff },
	{ "doc.due", "doc due", "GET", "/document-reviews", "read", AIMS_OP_LIST, f_due,
	  "list documents past their review date", "due", NULL, NULL, op_doc_due },
	{ "doc.edit", "doc edit", "PATCH", "/documents/{id}", "doc.edit", AIMS_OP_WRITE | AIMS_OP_UPDATE, f_edit,
	  "change a document's working copy; an approved document gets a new draft", NULL, "doc.show", NULL,
	  op_doc_edit },
	{ "doc.export", "doc export", "GET", "/document-export", "read", 0, f_none,
	  "every document as a printable HTML page, with an index", NULL, NULL, NULL, op_doc_export },
	{ "doc.list", "doc list", "GET", "/documents", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none, "list the controlled documents",
	  "documents", NULL, NULL, op_doc_list },
	{ "doc.new", "doc new", "POST", "/documents", "doc.edit", AIMS_OP_WRITE | AIMS_OP_CREATED, f_new,
	  "create a controlled document, from a template written for aims", NULL, NULL, NULL, op_doc_new },
	{ "doc.retire", "doc retire", "POST", "/documents/{id}/retire", "doc.edit", AIMS_OP_WRITE | AIMS_OP_UPDATE, f_id,
	  "retire a document: it stays readable but is no longer in force", NULL, "doc.show", NULL, op_doc_retire },
	{ "doc.show", "doc show", "GET", "/documents/{id}", "read", 0, f_show,
	  "show a document: metadata, approved versions and body", NULL, NULL, html_format, op_doc_show },
	{ "doc.submit", "doc submit", "POST", "/documents/{id}/submit", "doc.edit", AIMS_OP_WRITE | AIMS_OP_UPDATE, f_id,
	  "mark a draft as in review", NULL, "doc.show", NULL, op_doc_submit },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
