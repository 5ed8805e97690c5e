/*
 * What every page is made with: an operation called through aims_op_call()
 * with the signed-in principal (so the permission table decides, exactly as
 * for the API), the request's query and form fields, links, and a template
 * of templates/web/ rendered inside the layout; a refused operation becomes
 * a page with its message and the API's status code.
 */
#include <ctype.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

const aims__builtin_file *aims__web_file(const char *name)
{
	for (size_t i = 0; i < aims__web_file_count; i++)
		if (aims__web_files[i].name && strcmp(aims__web_files[i].name, name) == 0)
			return &aims__web_files[i];
	return NULL;
}

int aims__web_status(int code)
{
	switch (code) {
	case AIMS_EINVALID:
	case AIMS_EUSAGE: return 400;
	case AIMS_EAUTH: return 401;
	case AIMS_EPERM: return 403;
	case AIMS_ENOTFOUND: return 404;
	case AIMS_ECONFLICT:
	case AIMS_EVERSION:
	case AIMS_ETAMPERED: return 409;
	case AIMS_ESTALE: return 412;
	case AIMS_EDENIED: return 422;
	case AIMS_ETHROTTLED: return 429;
	default: return 500;
	}
}

int aims__web_signed_in(const W *w)
{
	return w->rq->principal && w->rq->principal->kind != AIMS_PRINCIPAL_NONE;
}

/* whether the principal holds `perm` (for offering a form; the operation checks again) */
int aims__web_can(const W *w, const char *perm)
{
	if (!aims__web_signed_in(w))
		return 0;
	int ok = aims_permission_check(w->rq->principal, perm) == 0;
	aims_error_clear();
	return ok;
}

/* run operation `name` with request `req` (stolen); its JSON into *out (or the body into *body) */
int aims__web_call(json_t **out, aims_buf *body, W *w, const char *name, json_t *req)
{
	const aims_op *op = aims_op_find(name);
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx;
	int err;
	if (out)
		*out = NULL;
	if (!op) {
		json_decref(req);
		return aims__err(AIMS_ERROR, "web: no operation %s", name);
	}
	/* a cacheable read answered before, as long as the store is unchanged: still only with the permission */
	char *key = NULL;
	if ((op->flags & AIMS_OP_CACHEABLE) && w->rq->cache && out && !body && aims__web_signed_in(w) &&
	    aims_permission_check(w->rq->principal, op->perm) == 0) {
		char *canon = req ? json_dumps(req, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
		aims_buf k = AIMS_BUF_INIT;
		if (canon && aims_buf_printf(&k, "%s %s", op->name, canon) == 0)
			key = aims_buf_detach(&k, NULL);
		aims_buf_release(&k);
		free(canon);
		if (key && (*out = aims__web_cache_get(w->rq->cache, key, w->etag)) != NULL) {
			aims__free(key);
			json_decref(req);
			w->if_match = NULL;
			return 0;
		}
	}
	aims_error_clear();
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = w->rq->store;
	ctx.principal = w->rq->principal;
	ctx.client = "http";
	ctx.client_addr = w->rq->client_addr;
	ctx.session = w->rq->session;
	ctx.input_name = "form";
	ctx.if_match = w->if_match && *w->if_match ? w->if_match : NULL;
	aims_store_set_principal(w->rq->store, aims__web_signed_in(w) ? w->rq->principal : NULL);
	err = aims_op_call(&res, op, &ctx, req);
	aims_store_set_principal(w->rq->store, NULL);
	json_decref(req);
	w->if_match = NULL;
	snprintf(w->etag, sizeof(w->etag), "%s", res.etag);
	if (err == 0 && key && res.json && !res.outcome && !res.message && !res.warning)
		aims__web_cache_put(w->rq->cache, key, res.json, res.etag);
	aims__free(key);
	if (err == 0) {
		if (out) {
			*out = res.json;
			res.json = NULL;
		}
		if (body) {
			*body = res.body;
			res.body = (aims_buf)AIMS_BUF_INIT;
		}
		if (w->rs && res.session_cookie) {
			w->rs->session_cookie = res.session_cookie;
			res.session_cookie = NULL;
		}
	}
	aims_op_result_release(&res);
	return err;
}

int aims__web_str_is(const json_t *o, const char *key, const char *val)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && strcmp(s, val) == 0;
}

json_t *aims__web_req1(const char *k, const char *v)
{
	return v ? json_pack("{s:s}", k, v) : json_object();
}

const char *aims__web_qstr(const W *w, const char *k)
{
	return json_string_value(json_object_get(w->rq->query, k));
}

/* a form field as text ("" when absent; the first value when repeated) */
const char *aims__web_fstr(const W *w, const char *k)
{
	const json_t *v = json_object_get(w->rq->form, k);
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* copy non-empty form fields into req */
int aims__web_form_copy(json_t *req, const W *w, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *v = aims__web_fstr(w, *keys);
		if (*v && json_object_set_new(req, *keys, json_string(v)) < 0)
			return aims__oom();
	}
	return 0;
}

/* percent-encode s for a URL path segment or query value */
void aims__web_url_put(aims_buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			aims_buf_putc(b, (char)c);
		else
			aims_buf_printf(b, "%%%02X", c);
	}
}

json_t *aims__web_url(const char *prefix, const char *s, const char *suffix)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_puts(&b, prefix);
	aims__web_url_put(&b, s);
	if (suffix)
		aims_buf_puts(&b, suffix);
	json_t *j = json_stringn(b.ptr, b.len);
	aims_buf_release(&b);
	return j;
}

/* ---- rendering ---- */

static int render_file(aims_buf *out, const char *name, const json_t *ctx)
{
	const aims__builtin_file *f = aims__web_file(name);
	if (!f)
		return aims__err(AIMS_ERROR, "web: no template %s", name);
	return aims__web_render(out, name, (const char *)f->data, f->len, ctx);
}

/* render template `tpl` with ctx (stolen) inside the layout; status is the HTTP status */
int aims__web_page(W *w, int status, const char *tpl, const char *title, json_t *ctx)
{
	aims_buf content = AIMS_BUF_INIT;
	int err;
	if (!ctx)
		return aims__oom();
	if (aims__web_signed_in(w)) {
		json_t *roles = json_array();
		for (unsigned i = 0; roles && i < AIMS_ROLE_COUNT; i++)
			if (w->rq->principal->roles & (1u << i))
				json_array_append_new(roles, json_string(aims_role_names[i]));
		json_object_set_new(ctx, "me", json_pack("{s:s, s:o?}", "name", w->rq->principal->name, "roles", roles));
		json_object_set_new(ctx, "can_users", json_boolean(aims__web_can(w, "user.manage")));
	}
	json_object_set_new(ctx, "csrf", json_string(w->rq->csrf ? w->rq->csrf : ""));
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "path", json_string(w->rq->path));
	if ((err = render_file(&content, tpl, ctx)) == 0) {
		json_object_set_new(ctx, "content", json_stringn(content.ptr, content.len));
		aims_buf_clear(&w->rs->body);
		err = render_file(&w->rs->body, "layout.html", ctx);
	}
	aims_buf_release(&content);
	json_decref(ctx);
	w->rs->status = status;
	w->rs->content_type = "text/html; charset=utf-8";
	return err;
}

/* the page for a refused or failed operation: its message and the API's status */
int aims__web_fail(W *w, int code)
{
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s", aims_error_last());
	aims_error_clear();
	return aims__web_page(w, aims__web_status(code), "error.html", "Not done",
		    json_pack("{s:s, s:i, s:s?}", "message", msg, "status", aims__web_status(code), "back",
			      json_string_value(json_object_get(w->rq->query, "back"))));
}

int aims__web_not_found(W *w)
{
	aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
	return aims__web_fail(w, AIMS_ENOTFOUND);
}

int aims__web_no_action(W *w)
{
	aims__err_set(AIMS_ENOTFOUND, "%s: no such action", w->rq->path);
	return aims__web_fail(w, AIMS_ENOTFOUND);
}

json_t *aims__web_json_text(const json_t *v, int real_precision)
{
	char *t = v ? json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_REAL_PRECISION(real_precision))
		    : NULL;
	json_t *j = json_string(t ? t : "");
	free(t);
	return j;
}

int aims__web_redirect(W *w, const char *to)
{
	snprintf(w->rs->location, sizeof(w->rs->location), "%s", to);
	w->rs->status = 303;
	w->rs->content_type = "text/plain; charset=utf-8";
	aims_buf_clear(&w->rs->body);
	return aims_buf_puts(&w->rs->body, "see other\n") < 0 ? aims__oom() : 0;
}

int aims__web_redirect_to(W *w, const char *prefix, const char *id, const char *suffix)
{
	json_t *u = aims__web_url(prefix, id, suffix);
	int err = u ? aims__web_redirect(w, json_string_value(u)) : aims__oom();
	json_decref(u);
	return err;
}
