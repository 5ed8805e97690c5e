/*
 * Controlled documents: the list and a new draft from a template; one
 * document read (Markdown rendered), edited, submitted and approved; the
 * changes since its last approved version.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/doc.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col doc_cols[] = {
	{ "id", "Document", "/documents/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "type", "Type", NULL, NULL, NULL },
	{ "owner", "Owner", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL }, { "version", "Version", NULL, NULL, NULL },
	{ "author", "Author", NULL, NULL, NULL }, { "approver", "Approver", NULL, NULL, NULL },
	{ "next_review", "Next review", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_documents(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "type", "title", "owner", "id", NULL };
		json_t *req = json_object(), *doc = NULL;
		int err = req ? aims__web_form_copy(req, w, keys) : aims__oom();
		if (err < 0) {
			json_decref(req);
			return err;
		}
		if ((err = aims__web_call(&doc, NULL, w, "doc.new", req)) < 0)
			return aims__web_fail(w, err);
		err = aims__web_redirect_to(w, "/documents/", json_string_value(json_object_get(doc, "id")), NULL);
		json_decref(doc);
		return err;
	}
	json_t *extra = json_pack("{s:b, s:o}", "can_new", aims__web_can(w, "doc.edit"), "types", aims__web_choices("doc.new", "type"));
	return aims__web_list_page(w, "Documents", "doc.list", NULL, "documents", doc_cols, "/api/v1/documents", "documents.csv",
			 extra);
}

int aims__web_pg_document(W *w, const char *id, const char *action)
{
	json_t *doc = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *req = json_pack("{s:s}", "id", id);
		const char *opname = NULL;
		if (!req)
			return aims__oom();
		if (strcmp(action, "edit") == 0) {
			static const char *const keys[] = { "body", "title", "owner", NULL, NULL };
			opname = "doc.edit";
			if (aims__web_form_copy(req, w, keys) < 0) {
				json_decref(req);
				return aims__oom();
			}
			w->if_match = aims__web_fstr(w, "etag");
		} else if (strcmp(action, "submit") == 0) {
			opname = "doc.submit";
		} else if (strcmp(action, "approve") == 0) {
			opname = "doc.approve";
		}
		if (!opname) {
			json_decref(req);
			return aims__web_no_action(w);
		}
		if ((err = aims__web_call(NULL, NULL, w, opname, req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/documents/", id, NULL);
	}
	if (strcmp(action, "diff") == 0) {
		json_t *req = json_pack("{s:s}", "id", id), *d = NULL;
		if (aims__web_qstr(w, "from") && *aims__web_qstr(w, "from"))
			json_object_set_new(req, "from", json_integer(strtol(aims__web_qstr(w, "from"), NULL, 10)));
		if (aims__web_qstr(w, "to") && *aims__web_qstr(w, "to"))
			json_object_set_new(req, "to", json_string(aims__web_qstr(w, "to")));
		if ((err = aims__web_call(&d, NULL, w, "doc.diff", req)) < 0)
			return aims__web_fail(w, err);
		json_t *lines = json_array();
		const char *p = json_string_value(json_object_get(d, "diff"));
		while (p && *p) {
			size_t n = strcspn(p, "\n");
			const char *cls = *p == '+' ? "add" : *p == '-' ? "del" : *p == '@' ? "hunk" : "ctx";
			json_array_append_new(lines, json_pack("{s:s#, s:s}", "text", p, n, "class", cls));
			p += n + (p[n] == '\n');
		}
		json_t *ctx = json_pack("{s:s, s:o, s:o, s:o}", "id", id, "lines", lines, "back", aims__web_url("/documents/", id, NULL),
					"api", aims__web_url("/api/v1/documents/", id, "/diff"));
		json_decref(d);
		return aims__web_page(w, 200, "diff.html", "Changes", ctx);
	}
	if (*action) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	if ((err = aims__web_call(&doc, NULL, w, "doc.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	aims_buf html = AIMS_BUF_INIT;
	const char *body = json_string_value(json_object_get(doc, "body"));
	if ((err = aims_doc_markdown_html(&html, body ? body : "")) < 0) {
		json_decref(doc);
		return err;
	}
	const char *st = json_string_value(json_object_get(doc, "status"));
	json_t *ctx = json_pack("{s:o, s:s, s:s#, s:o, s:o, s:b, s:b, s:b, s:b}", "doc", doc, "etag", w->etag, "html",
				html.ptr, html.len, "api", aims__web_url("/api/v1/documents/", id, NULL), "base",
				aims__web_url("/documents/", id, NULL), "can_edit", aims__web_can(w, "doc.edit"), "can_approve",
				aims__web_can(w, "doc.approve") && st && strcmp(st, "approved") != 0, "can_submit",
				aims__web_can(w, "doc.edit") && st && strcmp(st, "draft") == 0, "has_versions",
				json_array_size(json_object_get(doc, "versions")) > 1 ||
					(st && strcmp(st, "approved") != 0 &&
					 json_integer_value(json_object_get(doc, "latest_approved")) > 0));
	aims_buf_release(&html);
	return aims__web_page(w, 200, "document.html", id, ctx);
}
