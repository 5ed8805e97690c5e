/*
 * The web UI: one function per page. Each builds a JSON context from the
 * documents of operations called through aims_op_call() with the signed-in
 * principal (so the permission table decides, exactly as for the API) and
 * renders a template of templates/web/ into the layout. Writes are forms
 * posted to the page's own path with the session's CSRF token; a refused
 * operation shows its message with the API's status code. Lists can be
 * filtered, sorted, paged and downloaded as CSV; object pages link to the
 * object's JSON under /api/v1.
 */
#include <ctype.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/doc.h"
#include "aims/op.h"
#include "core/core.h"
#include "web_internal.h"

#define PAGE_ROWS 50

typedef struct {
	const aims_web_request *rq;
	aims_web_response *rs;
	const char *if_match;   /* for the next call: the ETag a form was made from */
	char etag[80];          /* of the last call's document */
} W;

const aims__builtin_file *aims__web_file(const char *name)
{
	for (size_t i = 0; i < aims__web_file_count; i++)
		if (aims__web_files[i].name && strcmp(aims__web_files[i].name, name) == 0)
			return &aims__web_files[i];
	return NULL;
}

void aims_web_response_release(aims_web_response *res)
{
	aims_buf_release(&res->body);
	if (res->session_cookie) {
		memset(res->session_cookie, 0, strlen(res->session_cookie));
		aims__free(res->session_cookie);
	}
	res->session_cookie = NULL;
}

static int status_of(int code)
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

static int signed_in(const W *w)
{
	return w->rq->principal && w->rq->principal->kind != AIMS_PRINCIPAL_NONE;
}

/* whether the principal holds `perm` (for offering a form; the operation checks again) */
static int can(const W *w, const char *perm)
{
	if (!signed_in(w))
		return 0;
	int ok = aims_permission_check(w->rq->principal, perm) == 0;
	aims_error_clear();
	return ok;
}

/* run operation `name` with request `req` (stolen); its JSON into *out (or the body into *body) */
static int call(json_t **out, aims_buf *body, W *w, const char *name, json_t *req)
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
	if ((op->flags & AIMS_OP_CACHEABLE) && w->rq->cache && out && !body && signed_in(w) &&
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
	aims_store_set_principal(w->rq->store, signed_in(w) ? w->rq->principal : NULL);
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

static int str_is(const json_t *o, const char *key, const char *val)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && strcmp(s, val) == 0;
}

static json_t *req1(const char *k, const char *v)
{
	return v ? json_pack("{s:s}", k, v) : json_object();
}

static const char *qstr(const W *w, const char *k)
{
	return json_string_value(json_object_get(w->rq->query, k));
}

/* a form field as text ("" when absent; the first value when repeated) */
static const char *fstr(const W *w, const char *k)
{
	const json_t *v = json_object_get(w->rq->form, k);
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* copy non-empty form fields into req */
static int form_copy(json_t *req, const W *w, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *v = fstr(w, *keys);
		if (*v && json_object_set_new(req, *keys, json_string(v)) < 0)
			return aims__oom();
	}
	return 0;
}

/* percent-encode s for a URL path segment or query value */
static void url_put(aims_buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			aims_buf_putc(b, (char)c);
		else
			aims_buf_printf(b, "%%%02X", c);
	}
}

static json_t *jurl(const char *prefix, const char *s, const char *suffix)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_puts(&b, prefix);
	url_put(&b, s);
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
static int page(W *w, int status, const char *tpl, const char *title, json_t *ctx)
{
	aims_buf content = AIMS_BUF_INIT;
	int err;
	if (!ctx)
		return aims__oom();
	if (signed_in(w)) {
		json_t *roles = json_array();
		for (unsigned i = 0; roles && i < AIMS_ROLE_COUNT; i++)
			if (w->rq->principal->roles & (1u << i))
				json_array_append_new(roles, json_string(aims_role_names[i]));
		json_object_set_new(ctx, "me", json_pack("{s:s, s:o?}", "name", w->rq->principal->name, "roles", roles));
		json_object_set_new(ctx, "can_users", json_boolean(can(w, "user.manage")));
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
static int fail(W *w, int code)
{
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s", aims_error_last());
	aims_error_clear();
	return page(w, status_of(code), "error.html", "Not done",
		    json_pack("{s:s, s:i, s:s?}", "message", msg, "status", status_of(code), "back",
			      json_string_value(json_object_get(w->rq->query, "back"))));
}

static int not_found(W *w)
{
	aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
	return fail(w, AIMS_ENOTFOUND);
}

static int redirect(W *w, const char *to)
{
	snprintf(w->rs->location, sizeof(w->rs->location), "%s", to);
	w->rs->status = 303;
	w->rs->content_type = "text/plain; charset=utf-8";
	aims_buf_clear(&w->rs->body);
	return aims_buf_puts(&w->rs->body, "see other\n") < 0 ? aims__oom() : 0;
}

static int redirect_to(W *w, const char *prefix, const char *id, const char *suffix)
{
	json_t *u = jurl(prefix, id, suffix);
	int err = u ? redirect(w, json_string_value(u)) : aims__oom();
	json_decref(u);
	return err;
}

/* ---- generic lists: filter, sort, page, CSV ---- */

typedef struct {
	const char *key;     /* dotted path in an item */
	const char *label;
	const char *link;    /* prefix of a link: prefix + url(value of link_key) */
	const char *link_key;
	const char *link_suffix; /* appended to the link (e.g. "?format=html") */
} col;

static void cell_text(aims_buf *b, const json_t *v)
{
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING: aims_buf_puts(b, json_string_value(v)); break;
	case JSON_INTEGER: aims_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL: aims_buf_printf(b, "%.4g", json_real_value(v)); break;
	case JSON_TRUE: aims_buf_puts(b, "yes"); break;
	case JSON_FALSE: aims_buf_puts(b, "no"); break;
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				aims_buf_puts(b, ", ");
			cell_text(b, json_array_get(v, i));
		}
		break;
	default: break;
	}
}

static const json_t *path_get(const json_t *o, const char *key)
{
	char part[64];
	while (o && *key) {
		size_t n = strcspn(key, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, key, n);
		part[n] = '\0';
		o = json_is_object(o) ? json_object_get(o, part) : NULL;
		key += n + (key[n] == '.');
	}
	return o;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

typedef struct {
	json_t *cells;      /* array of strings */
	const json_t *sortv;
	const json_t *item;
} row;

static int row_cmp(const row *a, const row *b)
{
	const json_t *x = a->sortv, *y = b->sortv;
	if (json_is_number(x) && json_is_number(y)) {
		double d = json_number_value(x) - json_number_value(y);
		return d < 0 ? -1 : d > 0;
	}
	if (!x || json_is_null(x))
		return (!y || json_is_null(y)) ? 0 : 1;
	if (!y || json_is_null(y))
		return -1;
	aims_buf s = AIMS_BUF_INIT, t = AIMS_BUF_INIT;
	cell_text(&s, x);
	cell_text(&t, y);
	int c = strcmp(s.ptr, t.ptr);
	aims_buf_release(&s);
	aims_buf_release(&t);
	return c;
}

/* stable merge sort of rows */
static void sort_rows(row *r, row *tmp, size_t n, int desc)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_rows(r, tmp, h, desc);
	sort_rows(r + h, tmp, n - h, desc);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		int c = row_cmp(&r[j], &r[i]);
		if (desc ? c > 0 : c < 0)
			tmp[k++] = r[j++];
		else
			tmp[k++] = r[i++];
	}
	while (i < h)
		tmp[k++] = r[i++];
	while (j < n)
		tmp[k++] = r[j++];
	memcpy(r, tmp, n * sizeof(*r));
}

static void csv_field(aims_buf *b, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		aims_buf_putc(b, '"');
	if (strchr("=+-@\t", *s) && *s)
		aims_buf_putc(b, '\''); /* a spreadsheet must not take a cell for a formula */
	for (; *s; s++) {
		if (*s == '"')
			aims_buf_putc(b, '"');
		aims_buf_putc(b, *s);
	}
	if (quote)
		aims_buf_putc(b, '"');
}

/* the list's URL with its state and one parameter changed */
static json_t *list_href(const W *w, const char *q, const char *sort, const char *dir, long pg, const char *fmt)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_puts(&b, w->rq->path);
	aims_buf_puts(&b, "?q=");
	url_put(&b, q);
	if (sort && *sort) {
		aims_buf_puts(&b, "&sort=");
		url_put(&b, sort);
		aims_buf_puts(&b, "&dir=");
		url_put(&b, dir);
	}
	if (pg > 1)
		aims_buf_printf(&b, "&page=%ld", pg);
	if (fmt)
		aims_buf_printf(&b, "&format=%s", fmt);
	json_t *j = json_stringn(b.ptr, b.len);
	aims_buf_release(&b);
	return j;
}

/*
 * The table of `items` (an array, borrowed) by columns `cols`: filtered by
 * ?q=, sorted by ?sort=KEY&dir=asc|desc, paged by ?page=N; ?format=csv
 * answers the whole filtered list as CSV named `csvname` instead (returns 1
 * then). Otherwise *table gets the template's data.
 */
static int list_table(json_t **table, W *w, const json_t *items, const col *cols, const char *csvname)
{
	const char *q = qstr(w, "q") ? qstr(w, "q") : "";
	const char *sort = qstr(w, "sort") ? qstr(w, "sort") : "";
	const char *dir = qstr(w, "dir") && strcmp(qstr(w, "dir"), "desc") == 0 ? "desc" : "asc";
	const char *fmt = qstr(w, "format");
	long pg = qstr(w, "page") ? strtol(qstr(w, "page"), NULL, 10) : 1;
	size_t ncol = 0, n = json_array_size(items), kept = 0;
	int sortcol = -1, err = 0;
	*table = NULL;
	while (cols[ncol].key)
		ncol++;
	for (size_t c = 0; c < ncol; c++)
		if (strcmp(cols[c].key, sort) == 0)
			sortcol = (int)c;
	row *rows = aims__calloc(n + 1, sizeof(*rows)), *tmp = aims__calloc(n + 1, sizeof(*rows));
	if (!rows || !tmp) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *it = json_array_get(items, i);
		json_t *cells = json_array();
		int match = !*q;
		aims_buf b = AIMS_BUF_INIT;
		for (size_t c = 0; cells && c < ncol; c++) {
			aims_buf_clear(&b);
			cell_text(&b, path_get(it, cols[c].key));
			json_array_append_new(cells, json_stringn(b.ptr, b.len));
			if (!match && contains_ci(b.ptr, q))
				match = 1;
		}
		aims_buf_release(&b);
		if (!cells) {
			err = aims__oom();
			goto done;
		}
		if (!match) {
			json_decref(cells);
			continue;
		}
		rows[kept].cells = cells;
		rows[kept].item = it;
		rows[kept].sortv = sortcol >= 0 ? path_get(it, cols[sortcol].key) : NULL;
		kept++;
	}
	if (sortcol >= 0)
		sort_rows(rows, tmp, kept, strcmp(dir, "desc") == 0);
	if (fmt && strcmp(fmt, "csv") == 0) {
		aims_buf *o = &w->rs->body;
		aims_buf_clear(o);
		for (size_t c = 0; c < ncol; c++) {
			if (c)
				aims_buf_putc(o, ',');
			csv_field(o, cols[c].label);
		}
		aims_buf_puts(o, "\r\n");
		for (size_t i = 0; i < kept; i++) {
			for (size_t c = 0; c < ncol; c++) {
				if (c)
					aims_buf_putc(o, ',');
				csv_field(o, json_string_value(json_array_get(rows[i].cells, c)));
			}
			aims_buf_puts(o, "\r\n");
		}
		w->rs->status = 200;
		w->rs->content_type = "text/csv; charset=utf-8";
		snprintf(w->rs->filename, sizeof(w->rs->filename), "%s", csvname);
		err = 1;
		goto done;
	}
	size_t pages = kept ? (kept + PAGE_ROWS - 1) / PAGE_ROWS : 1;
	if (pg < 1)
		pg = 1;
	if ((size_t)pg > pages)
		pg = (long)pages;
	json_t *t = json_object(), *hdr = json_array(), *jr = json_array();
	if (!t || !hdr || !jr) {
		json_decref(t);
		json_decref(hdr);
		json_decref(jr);
		err = aims__oom();
		goto done;
	}
	for (size_t c = 0; c < ncol; c++) {
		int on = (int)c == sortcol;
		const char *next = on && strcmp(dir, "asc") == 0 ? "desc" : "asc";
		json_array_append_new(hdr, json_pack("{s:s, s:o, s:s, s:s}", "label", cols[c].label, "href",
						     list_href(w, q, cols[c].key, next, 1, NULL), "aria_sort",
						     on ? (strcmp(dir, "asc") == 0 ? "ascending" : "descending") : "none",
						     "mark", on ? (strcmp(dir, "asc") == 0 ? " \u25b2" : " \u25bc") : ""));
	}
	for (size_t i = (size_t)(pg - 1) * PAGE_ROWS; i < kept && i < (size_t)pg * PAGE_ROWS; i++) {
		json_t *cells = json_array();
		for (size_t c = 0; cells && c < ncol; c++) {
			json_t *cell = json_pack("{s:O}", "text", json_array_get(rows[i].cells, c));
			if (cell && cols[c].link) {
				const json_t *lk = path_get(rows[i].item, cols[c].link_key ? cols[c].link_key : cols[c].key);
				if (json_is_string(lk))
					json_object_set_new(cell, "href",
							    jurl(cols[c].link, json_string_value(lk), cols[c].link_suffix));
			}
			json_array_append_new(cells, cell);
		}
		json_array_append_new(jr, json_pack("{s:o}", "cells", cells));
	}
	json_object_set_new(t, "columns", hdr);
	json_object_set_new(t, "rows", jr);
	json_object_set_new(t, "total", json_integer((json_int_t)n));
	json_object_set_new(t, "shown", json_integer((json_int_t)kept));
	json_object_set_new(t, "page", json_integer(pg));
	json_object_set_new(t, "pages", json_integer((json_int_t)pages));
	json_object_set_new(t, "q", json_string(q));
	json_object_set_new(t, "sort", json_string(sort));
	json_object_set_new(t, "dir", json_string(dir));
	json_object_set_new(t, "empty", json_boolean(kept == 0));
	if (pg > 1)
		json_object_set_new(t, "prev_href", list_href(w, q, sort, dir, pg - 1, NULL));
	if ((size_t)pg < pages)
		json_object_set_new(t, "next_href", list_href(w, q, sort, dir, pg + 1, NULL));
	json_object_set_new(t, "csv_href", list_href(w, q, sort, dir, 1, "csv"));
	*table = t;
done:
	for (size_t i = 0; rows && i < kept; i++)
		json_decref(rows[i].cells);
	aims__free(rows);
	aims__free(tmp);
	return err;
}

/* a list page: the op's array under key, its table, plus `extra` (stolen) members */
static int list_page(W *w, const char *title, const char *opname, json_t *req, const char *key, const col *cols,
		     const char *api, const char *csvname, json_t *extra)
{
	json_t *doc = NULL, *table = NULL;
	int err = call(&doc, NULL, w, opname, req);
	if (err < 0) {
		json_decref(extra);
		return fail(w, err);
	}
	err = list_table(&table, w, json_object_get(doc, key), cols, csvname);
	json_decref(doc);
	if (err) {
		json_decref(extra);
		return err < 0 ? err : 0;
	}
	json_t *ctx = extra ? extra : json_object();
	json_object_set_new(ctx, "table", table);
	json_object_set_new(ctx, "api", json_string(api));
	json_object_set_new(ctx, "heading", json_string(title));
	return page(w, 200, "list.html", title, ctx);
}

/* ---- sign-in, sign-out, own account ---- */

static int pg_login(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *req = json_pack("{s:s, s:s}", "user", fstr(w, "user"), "password", fstr(w, "password"));
		int err = call(NULL, NULL, w, "session.login", req);
		if (err == 0)
			return redirect(w, "/");
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", aims_error_last());
		aims_error_clear();
		return page(w, status_of(err), "login.html", "Sign in",
			    json_pack("{s:s, s:s}", "error", msg, "user", fstr(w, "user")));
	}
	if (signed_in(w))
		return redirect(w, "/");
	return page(w, 200, "login.html", "Sign in", json_object());
}

/* the concern form (ISO/IEC 42001 A.3.3, A.8.3): open to people without an account when the organization
   turned public intake on (the operation refuses otherwise); signed in, the form carries the CSRF token */
static int pg_concern(W *w)
{
	char *org = NULL;
	json_t *ctx;
	(void)aims_store_setting_get(&org, w->rq->store, "org.name");
	aims_error_clear();
	ctx = json_pack("{s:s}", "org", org ? org : "this organization");
	aims__free(org);
	if (!ctx)
		return aims__oom();
	if (signed_in(w) && w->rq->csrf && json_object_set_new(ctx, "csrf", json_string(w->rq->csrf)) < 0) {
		json_decref(ctx);
		return aims__oom();
	}
	if (strcmp(w->rq->method, "POST") == 0) {
		if (signed_in(w)) {
			const char *t = fstr(w, "csrf");
			if (!w->rq->csrf || strcmp(t, w->rq->csrf) != 0) {
				json_decref(ctx);
				aims__err_set(AIMS_EPERM, "the form's CSRF token is missing or not this session's: reload the page");
				return fail(w, AIMS_EPERM);
			}
		}
		json_t *req = json_object(), *got = NULL;
		static const char *const keys[] = { "summary", "details", "kind", "contact", NULL };
		if (!req || form_copy(req, w, keys) < 0) {
			json_decref(req);
			json_decref(ctx);
			return aims__oom();
		}
		/* empty optional fields are left out */
		for (size_t i = 1; keys[i]; i++)
			if (json_is_string(json_object_get(req, keys[i])) && !*json_string_value(json_object_get(req, keys[i])))
				json_object_del(req, keys[i]);
		int err = call(&got, NULL, w, "concern.submit_public", req);
		if (err < 0) {
			char msg[512];
			snprintf(msg, sizeof(msg), "%s", aims_error_last());
			aims_error_clear();
			json_object_set_new(ctx, "error", json_string(msg));
			json_object_set_new(ctx, "summary", json_string(fstr(w, "summary")));
			json_object_set_new(ctx, "details", json_string(fstr(w, "details")));
			json_object_set_new(ctx, "contact", json_string(fstr(w, "contact")));
			return page(w, status_of(err), "concern.html", "Report a concern", ctx);
		}
		json_object_set_new(ctx, "done", json_true());
		json_object_set(ctx, "id", json_object_get(got, "id"));
		json_object_set(ctx, "submitted_at", json_object_get(got, "submitted_at"));
		json_decref(got);
		return page(w, 201, "concern.html", "Concern recorded", ctx);
	}
	return page(w, 200, "concern.html", "Report a concern", ctx);
}

static int pg_logout(W *w)
{
	int err = call(NULL, NULL, w, "session.logout", NULL);
	if (err < 0)
		return fail(w, err);
	w->rs->end_session = 1;
	return redirect(w, "/login");
}

static int pg_account(W *w, const char *sub)
{
	json_t *me = NULL, *tokens = NULL, *ctx;
	int err;
	const char *name = w->rq->principal->name;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(sub, "tokens") == 0) {
			json_t *req = json_object(), *tok = NULL;
			static const char *const keys[] = { "label", "expires", NULL };
			if (!req || form_copy(req, w, keys) < 0) {
				json_decref(req);
				return aims__oom();
			}
			if ((err = call(&tok, NULL, w, "token.create", req)) < 0)
				return fail(w, err);
			/* shown once, on this page only: the token is not kept anywhere else */
			err = page(w, 201, "token.html", "New API token", json_pack("{s:o}", "token", tok));
			return err;
		}
		if (strncmp(sub, "tokens/", 7) == 0 && strlen(sub) > 14 && strcmp(sub + strlen(sub) - 7, "/revoke") == 0) {
			char id[128];
			snprintf(id, sizeof(id), "%.*s", (int)(strlen(sub) - 14), sub + 7);
			if ((err = call(NULL, NULL, w, "token.revoke", req1("id", id))) < 0)
				return fail(w, err);
			return redirect(w, "/account");
		}
		if (strcmp(sub, "password") == 0) {
			if (strcmp(fstr(w, "password"), fstr(w, "password2")) != 0) {
				aims__err_set(AIMS_EINVALID, "password: the two entries differ");
				return fail(w, AIMS_EINVALID);
			}
			json_t *req = json_pack("{s:s, s:s}", "name", name, "password", fstr(w, "password"));
			if ((err = call(NULL, NULL, w, "user.passwd", req)) < 0)
				return fail(w, err);
			return redirect(w, "/account");
		}
		aims__err_set(AIMS_ENOTFOUND, "no such form");
		return fail(w, AIMS_ENOTFOUND);
	}
	if (*sub) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return fail(w, AIMS_ENOTFOUND);
	}
	if ((err = call(&me, NULL, w, "whoami", NULL)) < 0)
		return fail(w, err);
	if (can(w, "token.own") && (err = call(&tokens, NULL, w, "token.list", NULL)) < 0) {
		json_decref(me);
		return fail(w, err);
	}
	json_t *tl = json_object_get(tokens, "tokens");
	for (size_t i = 0; i < json_array_size(tl); i++) {
		json_t *t = json_array_get(tl, i);
		json_object_set_new(t, "revoke_href",
				    jurl("/account/tokens/", json_string_value(json_object_get(t, "id")), "/revoke"));
	}
	ctx = json_pack("{s:o, s:O?, s:b, s:b}", "who", me, "tokens", tl, "can_tokens", can(w, "token.own"),
			"is_account", w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT);
	json_decref(tokens);
	return page(w, 200, "account.html", "Your account", ctx);
}

/* ---- dashboard ---- */

static json_t *coverage(const json_t *g)
{
	json_int_t req = json_integer_value(json_object_get(g, "requirements"));
	json_int_t cov = json_integer_value(json_object_get(g, "covered"));
	json_int_t part = json_integer_value(json_object_get(g, "partial"));
	json_int_t gap = json_integer_value(json_object_get(g, "gap"));
	json_int_t exc = json_integer_value(json_object_get(g, "excluded"));
	json_int_t base = req - exc;
	int pct = base > 0 ? (int)((100 * cov + 50 * part + base / 2) / base) : 100;
	json_t *o = json_deep_copy(g);
	if (o) {
		json_object_set_new(o, "percent", json_integer(pct));
		json_object_set_new(o, "bar", json_integer((pct + 5) / 10 * 10));
		json_object_set_new(o, "has_gap", json_boolean(gap > 0));
	}
	return o;
}

static int pg_dashboard(W *w)
{
	json_t *gap = NULL, *due = NULL, *risks = NULL, *assess = NULL, *systems = NULL, *evals = NULL;
	json_t *ctx = json_object(), *clauses = json_array(), *annex = json_array(), *sys = json_array();
	json_t *await = json_array(), *adue = json_array(), *obl = json_array();
	int err;
	if (!ctx || !clauses || !annex || !sys || !await || !adue || !obl) {
		err = aims__oom();
		goto out;
	}
	/* a store without an imported ISMS has no gap analysis yet: the dashboard says so */
	if ((err = call(&gap, NULL, w, "gap.analysis", NULL)) == AIMS_ENOTFOUND) {
		json_object_set_new(ctx, "no_gap", json_string(aims_error_last()));
		aims_error_clear();
		err = 0;
	}
	if (err < 0 || (err = call(&due, NULL, w, "doc.due", NULL)) < 0 ||
	    (err = call(&risks, NULL, w, "risk.list", NULL)) < 0 || (err = call(&assess, NULL, w, "assess.list", NULL)) < 0 ||
	    (err = call(&systems, NULL, w, "system.list", NULL)) < 0 || (err = call(&evals, NULL, w, "eval.list", NULL)) < 0) {
		err = fail(w, err);
		goto out;
	}
	json_t *g;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(gap, "groups")) && (g = json_array_get(json_object_get(gap, "groups"), i)) != NULL; i++) {
		const char *id = json_string_value(json_object_get(g, "group"));
		json_array_append_new(id && id[0] == 'A' ? annex : clauses, coverage(g));
	}
	for (i = 0; i < json_array_size(json_object_get(risks, "risks")) && (g = json_array_get(json_object_get(risks, "risks"), i)) != NULL; i++) {
		const char *st = json_string_value(json_object_get(g, "status"));
		if (json_is_true(json_object_get(g, "above_tolerance")) && !(st && (strcmp(st, "accepted") == 0 ||
										    strcmp(st, "closed") == 0)))
			json_array_append(await, g);
	}
	for (i = 0; i < json_array_size(json_object_get(assess, "systems")) && (g = json_array_get(json_object_get(assess, "systems"), i)) != NULL; i++)
		if (json_is_true(json_object_get(g, "due")))
			json_array_append(adue, g);
	for (i = 0; i < json_array_size(json_object_get(systems, "systems")) && (g = json_array_get(json_object_get(systems, "systems"), i)) != NULL; i++) {
		const char *name = json_string_value(json_object_get(g, "name"));
		json_t *s = json_pack("{s:s, s:o, s:o, s:o}", "name", name, "href", jurl("/systems/", name, NULL),
				      "latest", json_array(), "aiact_href", jurl("/aiact/", name, NULL));
		if (!s)
			continue;
		/* the latest evaluation of each kind (the list is in recording order) */
		const char *kinds[] = { "fairness", "performance", "drift" };
		for (int k = 0; k < 3; k++) {
			json_t *e, *last = NULL;
			size_t j;
			for (j = 0; j < json_array_size(json_object_get(evals, "evaluations")) && (e = json_array_get(json_object_get(evals, "evaluations"), j)) != NULL; j++)
				if (json_equal(json_object_get(e, "system"), json_object_get(g, "name")) &&
				    str_is(e, "kind", kinds[k]))
					last = e;
			json_array_append_new(json_object_get(s, "latest"),
					      last ? json_pack("{s:s, s:O, s:O, s:O}", "kind", kinds[k], "id",
							       json_object_get(last, "id"), "recorded_at",
							       json_object_get(last, "recorded_at"), "summary",
							       json_object_get(last, "summary")) :
						     json_pack("{s:s, s:b}", "kind", kinds[k], "none", 1));
		}
		/* open obligations of the EU AI Act classification */
		json_t *ob = NULL;
		if (call(&ob, NULL, w, "aiact.obligations", req1("system", name)) == 0) {
			json_t *o;
			size_t j;
			int open = 0;
			for (j = 0; j < json_array_size(json_object_get(ob, "obligations")) && (o = json_array_get(json_object_get(ob, "obligations"), j)) != NULL; j++)
				if (json_is_true(json_object_get(o, "applies")) && str_is(o, "status", "open"))
					open++;
			json_object_set_new(s, "obligations_open", json_integer(open));
			json_object_set_new(s, "tier", json_copy(json_object_get(ob, "tier")));
			if (open)
				json_array_append_new(obl, json_pack("{s:s, s:i, s:o}", "system", name, "open", open, "href",
								     jurl("/aiact/", name, NULL)));
		} else {
			aims_error_clear();
			json_object_set_new(s, "unclassified", json_true());
		}
		json_decref(ob);
		json_array_append_new(sys, s);
	}
	json_t *sum = json_object_get(gap, "summary");
	if (sum)
		json_object_set_new(ctx, "readiness", json_integer((json_int_t)(json_number_value(json_object_get(sum, "readiness")) * 100 + 0.5)));
	json_object_set(ctx, "summary", sum);
	json_object_set_new(ctx, "clauses", clauses);
	json_object_set_new(ctx, "annex", annex);
	json_object_set(ctx, "docs_due", json_object_get(due, "due"));
	json_object_set_new(ctx, "risks_awaiting", await);
	json_object_set_new(ctx, "assess_due", adue);
	json_object_set_new(ctx, "obligations_open", obl);
	json_object_set_new(ctx, "systems", sys);
	clauses = annex = await = adue = obl = sys = NULL;
	err = page(w, 200, "dashboard.html", "Dashboard", ctx);
	ctx = NULL;
out:
	json_decref(ctx);
	json_decref(clauses);
	json_decref(annex);
	json_decref(sys);
	json_decref(await);
	json_decref(adue);
	json_decref(obl);
	json_decref(gap);
	json_decref(due);
	json_decref(risks);
	json_decref(assess);
	json_decref(systems);
	json_decref(evals);
	return err;
}

/* ---- AI inventory ---- */

static const col system_cols[] = {
	{ "name", "Name", "/systems/", NULL, NULL }, { "purpose", "Purpose", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "lifecycle", "Life cycle", NULL, NULL, NULL }, { "role", "EU AI Act role", NULL, NULL, NULL },
	{ "current_model", "Model", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* the choices of a field of an operation, as [{value}] for a <select> */
static json_t *choices(const char *opname, const char *field)
{
	const aims_op *op = aims_op_find(opname);
	json_t *a = json_array();
	for (const aims_op_field *f = op ? op->fields : NULL; f && f->name && a; f++)
		if (strcmp(f->name, field) == 0 && f->choices)
			for (const char *const *c = f->choices; *c; c++)
				json_array_append_new(a, json_pack("{s:s}", "value", *c));
	return a;
}

static int pg_systems(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "name", "purpose", "intended_use", "misuse", "owner", "lifecycle",
						    "role", "oversight", "affected_groups", NULL };
		json_t *req = json_object();
		int err = req ? form_copy(req, w, keys) : aims__oom();
		if (err < 0) {
			json_decref(req);
			return err;
		}
		if ((err = call(NULL, NULL, w, "system.add", req)) < 0)
			return fail(w, err);
		return redirect_to(w, "/systems/", fstr(w, "name"), NULL);
	}
	json_t *extra = json_pack("{s:b, s:o, s:o, s:o}", "can_add", can(w, "inventory.manage"), "lifecycles",
				  choices("system.add", "lifecycle"), "roles", choices("system.add", "role"), "oversights",
				  choices("system.add", "oversight"));
	return list_page(w, "AI systems", "system.list", NULL, "systems", system_cols, "/api/v1/systems", "systems.csv",
			 extra);
}

static const col risk_cols[] = {
	{ "id", "Risk", "/risks/", NULL, NULL }, { "system", "System", "/systems/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "owner", "Owner", NULL, NULL, NULL }, { "inherent.score", "Inherent", NULL, NULL, NULL },
	{ "residual.score", "Residual", NULL, NULL, NULL }, { "treatment", "Treatment", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* a list of `key` from operation `opname` rendered as a small table (no paging: an object's own items) */
static int sub_table(json_t *ctx, const char *name, W *w, const char *opname, json_t *req, const char *key,
		     const col *cols)
{
	json_t *doc = NULL;
	int err = call(&doc, NULL, w, opname, req);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		return 0;
	}
	if (err < 0)
		return err;
	json_t *rows = json_array(), *it;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(doc, key)) && (it = json_array_get(json_object_get(doc, key), i)) != NULL; i++) {
		json_t *cells = json_array();
		for (const col *c = cols; c->key && cells; c++) {
			aims_buf b = AIMS_BUF_INIT;
			cell_text(&b, path_get(it, c->key));
			json_t *cell = json_pack("{s:s#}", "text", b.ptr, b.len);
			aims_buf_release(&b);
			const json_t *lk = c->link ? path_get(it, c->link_key ? c->link_key : c->key) : NULL;
			if (cell && json_is_string(lk))
				json_object_set_new(cell, "href", jurl(c->link, json_string_value(lk), c->link_suffix));
			json_array_append_new(cells, cell);
		}
		json_array_append_new(rows, json_pack("{s:o}", "cells", cells));
	}
	json_t *hdr = json_array();
	for (const col *c = cols; c->key && hdr; c++)
		json_array_append_new(hdr, json_pack("{s:s}", "label", c->label));
	json_object_set_new(ctx, name, json_pack("{s:o, s:o, s:b}", "columns", hdr, "rows", rows, "empty",
						   json_array_size(json_object_get(doc, key)) == 0));
	json_decref(doc);
	return 0;
}

static const col assess_cols[] = {
	{ "id", "Assessment", NULL, NULL, NULL }, { "system", "System", "/systems/", NULL, NULL }, { "version", "Version", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "author", "Author", NULL, NULL, NULL }, { "approver", "Approver", NULL, NULL, NULL },
	{ "approved_at", "Approved", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col incident_cols[] = {
	{ "id", "Incident", "/api/v1/incidents/", NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "title", "Title", NULL, NULL, NULL }, { "severity", "Severity", NULL, NULL, NULL },
	{ "serious", "Serious (Art. 3(49))", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "awareness", "Aware since", NULL, NULL, NULL }, { "deadline", "Report due (Art. 73)", NULL, NULL, NULL },
	{ "deadline_state", "Deadline", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col nc_cols[] = {
	{ "id", "Nonconformity", "/api/v1/nonconformities/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "source", "Source", NULL, NULL, NULL }, { "requirement", "Requirement", NULL, NULL, NULL },
	{ "system", "AI system", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "due", "Due", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "actions_open", "Actions open", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col ca_cols[] = {
	{ "id", "Action", NULL, NULL, NULL }, { "nonconformity", "Nonconformity", "/api/v1/nonconformities/",
	  "nonconformity", NULL },
	{ "description", "Corrective action", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "due", "Due", NULL, NULL, NULL }, { "overdue", "Overdue", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col audit_cols[] = {
	{ "id", "Audit", "/api/v1/audits/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "period", "Period", NULL, NULL, NULL }, { "auditor", "Auditor", NULL, NULL, NULL },
	{ "scope_requirements", "Scope", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "summary", "Summary", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col run_cols[] = {
	{ "id", "Monitoring run", NULL, NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "period", "Period", NULL, NULL, NULL }, { "status", "Result", NULL, NULL, NULL },
	{ "result.drift_share", "Drift share", NULL, NULL, NULL },
	{ "result.evaluation", "Evidence", "/api/v1/evaluations/", "result.evaluation", "?format=html" },
	{ "result.nonconformity", "Nonconformity", "/api/v1/nonconformities/", "result.nonconformity", NULL },
	{ "result.error", "Error", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col supplier_cols[] = {
	{ "id", "Supplier", "/api/v1/suppliers/", NULL, NULL }, { "title", "Name", NULL, NULL, NULL },
	{ "provides", "Provides", NULL, NULL, NULL }, { "systems", "AI systems", NULL, NULL, NULL },
	{ "last_result", "Last assessment", NULL, NULL, NULL }, { "due", "Next assessment", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
static const col concern_cols[] = {
	{ "id", "Concern", "/api/v1/concerns/", NULL, NULL }, { "title", "Summary", NULL, NULL, NULL },
	{ "kind", "Kind", NULL, NULL, NULL }, { "submitted_by", "Submitted by", NULL, NULL, NULL },
	{ "submitted_at", "Submitted", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "category", "Category", NULL, NULL, NULL }, { "severity", "Severity", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
static const col objective_cols[] = {
	{ "id", "Objective", NULL, NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "kpi", "KPI", NULL, NULL, NULL },
	{ "target.op", "Target", NULL, NULL, NULL }, { "target.value", "Target value", NULL, NULL, NULL },
	{ "value", "This period", NULL, NULL, NULL }, { "met", "Met", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
static const col due_cols[] = {
	{ "due", "Due", NULL, NULL, NULL }, { "overdue", "Overdue", NULL, NULL, NULL }, { "what", "What", NULL, NULL, NULL },
	{ "id", "Record", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col eval_cols[] = {
	{ "id", "Evaluation", "/api/v1/evaluations/", NULL, "?format=html" }, { "system", "System", "/systems/", NULL, NULL },
	{ "kind", "Kind", NULL, NULL, NULL },
	{ "recorded_at", "Recorded", NULL, NULL, NULL }, { "controls", "Controls", NULL, NULL, NULL },
	{ "summary", "Summary", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col obligation_cols[] = {
	{ "id", "Obligation", NULL, NULL, NULL }, { "article", "Article", NULL, NULL, NULL },
	{ "description", "Requirement", NULL, NULL, NULL }, { "applies_from", "Applies from", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "evidence", "Evidence", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col deploy_cols[] = {
	{ "seq", "#", NULL, NULL, NULL }, { "model", "Model", NULL, NULL, NULL }, { "env", "Environment", NULL, NULL, NULL },
	{ "deployed_at", "Deployed", NULL, NULL, NULL }, { "deployed_by", "By", NULL, NULL, NULL }, { "notes", "Notes", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static int pg_system(W *w, const char *name)
{
	json_t *sys = NULL, *ctx = NULL, *cls = NULL;
	aims_buf svg = AIMS_BUF_INIT;
	int err;
	if ((err = call(&sys, NULL, w, "system.show", req1("name", name))) < 0)
		return fail(w, err);
	ctx = json_pack("{s:o, s:o, s:o, s:o, s:o}", "system", sys, "api", jurl("/api/v1/systems/", name, NULL), "card_html",
			jurl("/api/v1/systems/", name, "/card?format=html"), "card_md",
			jurl("/api/v1/systems/", name, "/card?format=markdown"), "aiact_href", jurl("/aiact/", name, NULL));
	if (!ctx)
		return aims__oom();
	json_t *lg = json_pack("{s:s}", "format", "svg");
	aims_buf r = AIMS_BUF_INIT;
	aims_buf_printf(&r, "system:%s", name);
	json_object_set_new(lg, "ref", json_string(r.ptr));
	aims_buf_release(&r);
	if (call(NULL, &svg, w, "lineage.graph", lg) == 0 && svg.len)
		json_object_set_new(ctx, "lineage_svg", json_stringn(svg.ptr, svg.len));
	else
		aims_error_clear();
	aims_buf_release(&svg);
	if (call(&cls, NULL, w, "aiact.show", req1("system", name)) == 0)
		json_object_set_new(ctx, "aiact", cls);
	else
		aims_error_clear();
	if ((err = sub_table(ctx, "risks", w, "risk.list", req1("system", name), "risks", risk_cols)) < 0 ||
	    (err = sub_table(ctx, "assessments", w, "assess.list", req1("system", name), "assessments", assess_cols)) < 0 ||
	    (err = sub_table(ctx, "evaluations", w, "eval.list", req1("system", name), "evaluations", eval_cols)) < 0 ||
	    (err = sub_table(ctx, "deployments", w, "deploy.list", req1("system", name), "deployments", deploy_cols)) < 0 ||
	    (err = sub_table(ctx, "obligations", w, "aiact.obligations", req1("system", name), "obligations",
			     obligation_cols)) < 0) {
		json_decref(ctx);
		return fail(w, err);
	}
	return page(w, 200, "system.html", name, ctx);
}

static const col model_cols[] = {
	{ "ref", "Model", NULL, NULL, NULL }, { "framework", "Framework", NULL, NULL, NULL }, { "licence", "Licence", NULL, NULL, NULL },
	{ "description", "Description", NULL, NULL, NULL }, { "digest", "Digest", NULL, NULL, NULL },
	{ "updated_at", "Updated", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col dataset_cols[] = {
	{ "ref", "Dataset", NULL, NULL, NULL }, { "source", "Source", NULL, NULL, NULL }, { "personal_data", "Personal data", NULL, NULL, NULL },
	{ "licence", "Licence", NULL, NULL, NULL }, { "limitations", "Limitations", NULL, NULL, NULL },
	{ "digest", "Digest", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* ---- gap analysis and SoA ---- */

static const col gap_cols[] = {
	{ "id", "Requirement", NULL, NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "group", "Group", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "credit", "Credit", NULL, NULL, NULL }, { "aims_evidence", "AIMS evidence", NULL, NULL, NULL },
	{ "to_add", "To add", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static int pg_gap(W *w)
{
	json_t *gap = NULL;
	int err = call(&gap, NULL, w, "gap.analysis", NULL);
	if (err < 0)
		return fail(w, err);
	json_t *table = NULL;
	err = list_table(&table, w, json_object_get(gap, "items"), gap_cols, "gap-analysis.csv");
	if (err) {
		json_decref(gap);
		return err < 0 ? err : 0;
	}
	json_t *sum = json_object_get(gap, "summary");
	json_t *ctx = json_pack("{s:o, s:O, s:I, s:s, s:s}", "table", table, "summary", sum, "readiness",
				(json_int_t)(json_number_value(json_object_get(sum, "readiness")) * 100 + 0.5), "api",
				"/api/v1/gap-analysis", "report", "/api/v1/gap-analysis?format=html");
	json_decref(gap);
	return page(w, 200, "gap.html", "Gap analysis", ctx);
}

static const col soa_cols[] = {
	{ "control", "Control", "/soa/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "applicable", "Applicable", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL }, { "gap", "Gap", NULL, NULL, NULL },
	{ "justification", "Justification", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static int pg_soa_control(W *w, const char *control)
{
	json_t *c = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "applicable", "status", "owner", "justification", NULL };
		json_t *req = json_pack("{s:s}", "control", control);
		if (!req || form_copy(req, w, keys) < 0) {
			json_decref(req);
			return aims__oom();
		}
		w->if_match = fstr(w, "etag");
		if ((err = call(NULL, NULL, w, "soa.set", req)) < 0)
			return fail(w, err);
		return redirect_to(w, "/soa/", control, NULL);
	}
	if ((err = call(&c, NULL, w, "soa.show", req1("control", control))) < 0)
		return fail(w, err);
	json_t *ctx = json_pack("{s:o, s:s, s:b, s:o, s:o}", "c", c, "etag", w->etag, "can_edit", can(w, "soa.manage"),
				"api", jurl("/api/v1/soa/", control, NULL), "statuses",
				json_pack("[{s:s},{s:s},{s:s},{s:s}]", "value", "implemented", "value", "partial", "value",
					  "planned", "value", "not-implemented"));
	const char *st = json_string_value(json_object_get(c, "status"));
	json_t *sv;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(ctx, "statuses")) && (sv = json_array_get(json_object_get(ctx, "statuses"), i)) != NULL; i++)
		json_object_set_new(sv, "selected", json_boolean(st && str_is(sv, "value", st)));
	json_object_set_new(ctx, "yes", json_boolean(json_is_true(json_object_get(c, "applicable"))));
	return page(w, 200, "soa_control.html", control, ctx);
}

/* ---- documents ---- */

static const col doc_cols[] = {
	{ "id", "Document", "/documents/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "type", "Type", NULL, NULL, NULL },
	{ "owner", "Owner", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL }, { "version", "Version", NULL, NULL, NULL },
	{ "author", "Author", NULL, NULL, NULL }, { "approver", "Approver", NULL, NULL, NULL },
	{ "next_review", "Next review", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static int pg_documents(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "type", "title", "owner", "id", NULL };
		json_t *req = json_object(), *doc = NULL;
		int err = req ? form_copy(req, w, keys) : aims__oom();
		if (err < 0) {
			json_decref(req);
			return err;
		}
		if ((err = call(&doc, NULL, w, "doc.new", req)) < 0)
			return fail(w, err);
		err = redirect_to(w, "/documents/", json_string_value(json_object_get(doc, "id")), NULL);
		json_decref(doc);
		return err;
	}
	json_t *extra = json_pack("{s:b, s:o}", "can_new", can(w, "doc.edit"), "types", choices("doc.new", "type"));
	return list_page(w, "Documents", "doc.list", NULL, "documents", doc_cols, "/api/v1/documents", "documents.csv",
			 extra);
}

static int pg_document(W *w, const char *id, const char *action)
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
			if (form_copy(req, w, keys) < 0) {
				json_decref(req);
				return aims__oom();
			}
			w->if_match = fstr(w, "etag");
		} else if (strcmp(action, "submit") == 0) {
			opname = "doc.submit";
		} else if (strcmp(action, "approve") == 0) {
			opname = "doc.approve";
		}
		if (!opname) {
			json_decref(req);
			aims__err_set(AIMS_ENOTFOUND, "%s: no such action", w->rq->path);
			return fail(w, AIMS_ENOTFOUND);
		}
		if ((err = call(NULL, NULL, w, opname, req)) < 0)
			return fail(w, err);
		return redirect_to(w, "/documents/", id, NULL);
	}
	if (strcmp(action, "diff") == 0) {
		json_t *req = json_pack("{s:s}", "id", id), *d = NULL;
		if (qstr(w, "from") && *qstr(w, "from"))
			json_object_set_new(req, "from", json_integer(strtol(qstr(w, "from"), NULL, 10)));
		if (qstr(w, "to") && *qstr(w, "to"))
			json_object_set_new(req, "to", json_string(qstr(w, "to")));
		if ((err = call(&d, NULL, w, "doc.diff", req)) < 0)
			return fail(w, err);
		json_t *lines = json_array();
		const char *p = json_string_value(json_object_get(d, "diff"));
		while (p && *p) {
			size_t n = strcspn(p, "\n");
			const char *cls = *p == '+' ? "add" : *p == '-' ? "del" : *p == '@' ? "hunk" : "ctx";
			json_array_append_new(lines, json_pack("{s:s#, s:s}", "text", p, n, "class", cls));
			p += n + (p[n] == '\n');
		}
		json_t *ctx = json_pack("{s:s, s:o, s:o, s:o}", "id", id, "lines", lines, "back", jurl("/documents/", id, NULL),
					"api", jurl("/api/v1/documents/", id, "/diff"));
		json_decref(d);
		return page(w, 200, "diff.html", "Changes", ctx);
	}
	if (*action) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return fail(w, AIMS_ENOTFOUND);
	}
	if ((err = call(&doc, NULL, w, "doc.show", req1("id", id))) < 0)
		return fail(w, err);
	aims_buf html = AIMS_BUF_INIT;
	const char *body = json_string_value(json_object_get(doc, "body"));
	if ((err = aims_doc_markdown_html(&html, body ? body : "")) < 0) {
		json_decref(doc);
		return err;
	}
	const char *st = json_string_value(json_object_get(doc, "status"));
	json_t *ctx = json_pack("{s:o, s:s, s:s#, s:o, s:o, s:b, s:b, s:b, s:b}", "doc", doc, "etag", w->etag, "html",
				html.ptr, html.len, "api", jurl("/api/v1/documents/", id, NULL), "base",
				jurl("/documents/", id, NULL), "can_edit", can(w, "doc.edit"), "can_approve",
				can(w, "doc.approve") && st && strcmp(st, "approved") != 0, "can_submit",
				can(w, "doc.edit") && st && strcmp(st, "draft") == 0, "has_versions",
				json_array_size(json_object_get(doc, "versions")) > 1 ||
					(st && strcmp(st, "approved") != 0 &&
					 json_integer_value(json_object_get(doc, "latest_approved")) > 0));
	aims_buf_release(&html);
	return page(w, 200, "document.html", id, ctx);
}

/* ---- risks ---- */

static json_t *heat(W *w, int residual, int *err)
{
	json_t *h = NULL;
	json_t *req = residual ? json_pack("{s:b}", "residual", 1) : json_object();
	if ((*err = call(&h, NULL, w, "risk.heatmap", req)) < 0)
		return NULL;
	/* rows of equal likelihood, highest first, as the library lists the cells */
	json_t *rows = json_array(), *cell, *cur = NULL;
	json_int_t lk = -1;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(h, "cells")) && (cell = json_array_get(json_object_get(h, "cells"), i)) != NULL; i++) {
		json_int_t l = json_integer_value(json_object_get(cell, "likelihood"));
		if (!cur || l != lk) {
			cur = json_array();
			json_array_append_new(rows, json_pack("{s:I, s:o}", "likelihood", l, "cells", cur));
			lk = l;
		}
		json_array_append(cur, cell);
	}
	json_t *impacts = json_array();
	json_t *first = json_object_get(json_array_get(rows, 0), "cells");
	for (i = 0; i < json_array_size(first) && (cell = json_array_get(first, i)) != NULL; i++)
		json_array_append(impacts, json_object_get(cell, "impact"));
	json_t *out = json_pack("{s:o, s:o, s:O, s:s}", "rows", rows, "impacts", impacts, "risks",
				json_object_get(h, "risks"), "caption", residual ? "Residual risk" : "Inherent risk");
	json_decref(h);
	return out;
}

static int pg_risks(W *w)
{
	int err = 0;
	json_t *inh = heat(w, 0, &err);
	if (!inh)
		return err < 0 ? fail(w, err) : aims__oom();
	json_t *res = heat(w, 1, &err);
	if (!res) {
		json_decref(inh);
		return err < 0 ? fail(w, err) : aims__oom();
	}
	return list_page(w, "Risk register", "risk.list", NULL, "risks", risk_cols, "/api/v1/risks", "risks.csv",
			 json_pack("{s:o, s:o}", "inherent", inh, "residual", res));
}

/* the treatment form: option, actions (one "CONTROL: TEXT" a line), residual estimate */
static int risk_treat(W *w, const char *id)
{
	json_t *req = json_pack("{s:s, s:s}", "id", id, "option", fstr(w, "option")), *acts = json_array();
	const char *p = fstr(w, "actions");
	int err;
	if (!req || !acts) {
		json_decref(req);
		json_decref(acts);
		return aims__oom();
	}
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t b = 0;
		while (b < n && (p[b] == ' ' || p[b] == '\t'))
			b++;
		if (n > b)
			json_array_append_new(acts, json_stringn(p + b, n - b));
		p += n + (p[n] == '\n');
	}
	json_object_set_new(req, "action", acts);
	static const char *const nums[] = { "residual_likelihood", "residual_impact", NULL };
	for (const char *const *k = nums; *k; k++) {
		const char *v = fstr(w, *k);
		char *end = NULL;
		if (!*v)
			continue;
		long x = strtol(v, &end, 10);
		if (*end) {
			json_decref(req);
			aims__err_set(AIMS_EINVALID, "%s: '%.32s' is not a number", *k, v);
			aims__err_set_field(*k);
			return fail(w, AIMS_EINVALID);
		}
		json_object_set_new(req, *k, json_integer(x));
	}
	w->if_match = fstr(w, "etag");
	if ((err = call(NULL, NULL, w, "risk.treat", req)) < 0)
		return fail(w, err);
	return redirect_to(w, "/risks/", id, NULL);
}

static int pg_risk(W *w, const char *id, const char *action)
{
	json_t *r = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(action, "treat") == 0)
			return risk_treat(w, id);
		if (strcmp(action, "accept") != 0) {
			aims__err_set(AIMS_ENOTFOUND, "%s: no such action", w->rq->path);
			return fail(w, AIMS_ENOTFOUND);
		}
		json_t *req = json_pack("{s:s}", "id", id);
		if (*fstr(w, "note"))
			json_object_set_new(req, "note", json_string(fstr(w, "note")));
		if ((err = call(NULL, NULL, w, "risk.accept", req)) < 0)
			return fail(w, err);
		return redirect_to(w, "/risks/", id, NULL);
	}
	if (*action) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return fail(w, AIMS_ENOTFOUND);
	}
	if ((err = call(&r, NULL, w, "risk.show", req1("id", id))) < 0)
		return fail(w, err);
	const char *owner = json_string_value(json_object_get(r, "owner"));
	const json_t *acc = json_object_get(r, "acceptance");
	int accepted = json_is_object(acc) && json_is_true(json_object_get(acc, "valid"));
	/* acceptance is offered only to the owner's account (the operation refuses anyone else too) */
	int offer = !accepted && owner && w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT &&
		    strcmp(owner, w->rq->principal->name) == 0 && can(w, "risk.accept");
	aims_buf acts = AIMS_BUF_INIT;
	json_t *a;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(r, "actions")) && (a = json_array_get(json_object_get(r, "actions"), i)) != NULL; i++)
		aims_buf_printf(&acts, "%s: %s\n", json_string_value(json_object_get(a, "control")),
				json_string_value(json_object_get(a, "action")));
	json_t *options = choices("risk.treat", "option");
	json_t *opt;
	for (i = 0; i < json_array_size(options) && (opt = json_array_get(options, i)) != NULL; i++)
		json_object_set_new(opt, "selected", json_boolean(str_is(r, "treatment", json_string_value(json_object_get(opt, "value")))));
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:b, s:b, s:o, s:s#, s:s, s:o, s:O?, s:O?}", "r", r, "api",
				jurl("/api/v1/risks/", id, NULL), "accept_href", jurl("/risks/", id, "/accept"),
				"can_accept", offer, "can_treat", can(w, "risk.manage"), "treat_href",
				jurl("/risks/", id, "/treat"), "actions_text", acts.ptr, acts.len, "etag", w->etag, "options",
				options, "res_l", json_object_get(json_object_get(r, "residual"), "likelihood"), "res_i",
				json_object_get(json_object_get(r, "residual"), "impact"));
	aims_buf_release(&acts);
	return page(w, 200, "risk.html", id, ctx);
}

/* ---- EU AI Act ---- */

static int pg_aiact(W *w, const char *system, const char *action)
{
	json_t *cls = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(action, "obligation") != 0) {
			aims__err_set(AIMS_ENOTFOUND, "%s: no such action", w->rq->path);
			return fail(w, AIMS_ENOTFOUND);
		}
		static const char *const keys[] = { "status", "note", NULL };
		json_t *req = json_pack("{s:s}", "id", fstr(w, "id"));
		if (!req || form_copy(req, w, keys) < 0) {
			json_decref(req);
			return aims__oom();
		}
		if (*fstr(w, "evidence"))
			json_object_set_new(req, "evidence", json_pack("[s]", fstr(w, "evidence")));
		if ((err = call(NULL, NULL, w, "aiact.obligation_set", req)) < 0)
			return fail(w, err);
		return redirect_to(w, "/aiact/", system, NULL);
	}
	if (*action)
		return not_found(w);
	err = call(&cls, NULL, w, "aiact.show", req1("system", system));
	if (err < 0)
		return fail(w, err);
	json_t *ctx = json_pack("{s:o, s:s, s:o, s:o}", "c", cls, "system", system, "api",
				jurl("/api/v1/systems/", system, "/aiact-classification"), "system_href",
				jurl("/systems/", system, NULL));
	if ((err = sub_table(ctx, "obligations", w, "aiact.obligations", req1("system", system), "obligations",
			     obligation_cols)) < 0) {
		json_decref(ctx);
		return fail(w, err);
	}
	/* the form to track an obligation: its ids from the classification */
	json_t *ids = json_array(), *o;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(json_object_get(ctx, "c"), "obligations")) && (o = json_array_get(json_object_get(json_object_get(ctx, "c"), "obligations"), i)) != NULL; i++)
		json_array_append_new(ids, json_pack("{s:O, s:O}", "id", json_object_get(o, "id"), "article",
						     json_object_get(o, "article")));
	json_object_set_new(ctx, "obligation_ids", ids);
	json_object_set_new(ctx, "statuses", choices("aiact.obligation_set", "status"));
	json_object_set_new(ctx, "can_track", json_boolean(can(w, "aiact.manage")));
	json_object_set_new(ctx, "track_href", jurl("/aiact/", system, "/obligation"));
	return page(w, 200, "aiact.html", system, ctx);
}

/* ---- users ---- */

static const col user_cols[] = {
	{ "name", "Account", NULL, NULL, NULL }, { "display_name", "Name", NULL, NULL, NULL }, { "roles", "Roles", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "tokens", "API tokens", NULL, NULL, NULL }, { "created_at", "Created", NULL, NULL, NULL },
	{ "created_by", "Created by", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static int pg_users(W *w, const char *name, const char *action)
{
	int err;
	if (!can(w, "user.manage")) {
		aims__err_set(AIMS_EPERM, "%s: users and roles are for administrators", w->rq->principal->name);
		return fail(w, AIMS_EPERM);
	}
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *out = NULL;
		if (!*name) {
			json_t *req = json_pack("{s:s}", "name", fstr(w, "name"));
			const json_t *roles = json_object_get(w->rq->form, "role");
			json_object_set_new(req, "role", json_is_array(roles) ? json_deep_copy(roles) :
							  json_pack("[s]", fstr(w, "role")));
			if (*fstr(w, "display_name"))
				json_object_set_new(req, "display_name", json_string(fstr(w, "display_name")));
			if ((err = call(&out, NULL, w, "user.add", req)) < 0)
				return fail(w, err);
			return page(w, 201, "user_added.html", "Account added", json_pack("{s:o}", "u", out));
		}
		const char *opname = strcmp(action, "disable") == 0 ? "user.disable" :
				     strcmp(action, "enable") == 0 ? "user.enable" : NULL;
		if (!opname) {
			aims__err_set(AIMS_ENOTFOUND, "%s: no such action", w->rq->path);
			return fail(w, AIMS_ENOTFOUND);
		}
		if ((err = call(NULL, NULL, w, opname, req1("name", name))) < 0)
			return fail(w, err);
		return redirect(w, "/users");
	}
	if (*name) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return fail(w, AIMS_ENOTFOUND);
	}
	json_t *doc = NULL, *u;
	size_t i;
	if ((err = call(&doc, NULL, w, "user.list", NULL)) < 0)
		return fail(w, err);
	json_t *table = NULL;
	err = list_table(&table, w, json_object_get(doc, "users"), user_cols, "users.csv");
	if (err) {
		json_decref(doc);
		return err < 0 ? err : 0;
	}
	json_t *acts = json_array();
	for (i = 0; i < json_array_size(json_object_get(doc, "users")) && (u = json_array_get(json_object_get(doc, "users"), i)) != NULL; i++) {
		const char *n = json_string_value(json_object_get(u, "name"));
		int off = str_is(u, "status", "disabled");
		json_array_append_new(acts, json_pack("{s:s, s:o, s:s}", "name", n, "href",
						      jurl("/users/", n, off ? "/enable" : "/disable"), "label",
						      off ? "Enable" : "Disable"));
	}
	json_decref(doc);
	return page(w, 200, "users.html", "Users and roles",
		    json_pack("{s:o, s:o, s:o, s:s}", "table", table, "actions", acts, "roles",
			      choices("user.add", "role"), "api", "/api/v1/users"));
}

/* ---- routing ---- */

/* split "/a/b/c" after prefix: *one = "b", *rest = "c" (both "" when absent) */
static int split(char *one, size_t cap1, const char **rest, const char *path)
{
	size_t n = strcspn(path, "/");
	if (n == 0 || n >= cap1)
		return -1;
	memcpy(one, path, n);
	one[n] = '\0';
	*rest = path[n] ? path + n + 1 : "";
	return 0;
}

/* ---- decision logs and the ledger ---- */

#define DECISIONS_PAGE 50

/* a request for one AI system's log operation: {"system": S} plus more */
static json_t *sys_req(const char *system)
{
	return json_pack("{s:s}", "system", system);
}

/* one value of a record as compact JSON text for a table cell ("" when absent) */
static json_t *jcompact(const json_t *v)
{
	if (!v)
		return json_string("");
	if (json_is_string(v))
		return json_incref((json_t *)v);
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	json_t *j = json_string(t ? t : "");
	free(t);
	return j;
}

static int pg_decision_logs(W *w)
{
	json_t *doc = NULL, *logs = json_array(), *v;
	size_t i;
	int err = call(&doc, NULL, w, "decision.list", NULL);
	if (err < 0 || !logs) {
		json_decref(logs);
		return err < 0 ? fail(w, err) : aims__oom();
	}
	json_array_foreach(json_object_get(doc, "systems"), i, v) {
		json_t *one = NULL;
		const char *name = json_string_value(v);
		/* the size: the first record's page says it */
		if (call(&one, NULL, w, "decision.log", json_pack("{s:s, s:I}", "system", name, "limit", (json_int_t)1)) < 0)
			aims_error_clear();
		json_t *u = jurl("", name, NULL);
		json_array_append_new(logs, json_pack("{s:s, s:o, s:O}", "name", name, "url", u, "size",
						      json_object_get(one, "size") ? json_object_get(one, "size") : json_null()));
		json_decref(one);
	}
	json_decref(doc);
	return page(w, 200, "decisions.html", "Decision logs",
		    json_pack("{s:{s:o, s:I, s:b}}", "logs_table", "logs", logs, "count", (json_int_t)json_array_size(logs),
			      "empty", json_array_size(logs) == 0));
}

/* a number from the query string (0 when absent); -1 when it is not a whole number */
static int64_t qnum(const W *w, const char *k)
{
	const char *s = qstr(w, k);
	if (!s || !*s)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static int pg_decision_log(W *w, const char *system)
{
	json_t *doc = NULL, *rows = json_array(), *e;
	size_t i;
	int64_t from = qnum(w, "from");
	if (!rows)
		return aims__oom();
	if (from < 0) {
		json_decref(rows);
		aims__err_set(AIMS_EINVALID, "from: expected an entry number");
		return fail(w, AIMS_EINVALID);
	}
	int err = call(&doc, NULL, w, "decision.log", json_pack("{s:s, s:I, s:I}", "system", system, "from", (json_int_t)from,
							       "limit", (json_int_t)DECISIONS_PAGE));
	if (err < 0) {
		json_decref(rows);
		return fail(w, err);
	}
	int64_t size = json_integer_value(json_object_get(doc, "size"));
	json_array_foreach(json_object_get(doc, "entries"), i, e) {
		const json_t *r = json_object_get(e, "record");
		char idx[32];
		snprintf(idx, sizeof(idx), "/%lld", (long long)json_integer_value(json_object_get(e, "index")));
		json_t *href = jurl("/decisions/", system, idx);
		const json_t *rv = json_object_get(r, "review");
		json_array_append_new(rows, json_pack("{s:O, s:o, s:o, s:o, s:o, s:o, s:o}", "index", json_object_get(e, "index"),
						      "href", href, "time", jcompact(json_object_get(r, "time")), "model",
						      jcompact(json_object_get(r, "model")), "output",
						      json_is_true(json_object_get(e, "pruned")) ? json_string("(pruned)") :
						      jcompact(json_object_get(r, "output")),
						      "confidence", jcompact(json_object_get(r, "confidence")), "review",
						      rv ? jcompact(json_object_get(rv, "action")) : json_string("")));
	}
	size_t n = json_array_size(rows);
	json_t *ctx = json_pack("{s:s, s:o, s:O, s:O, s:I, s:I, s:b, s:o, s:o}", "system", system, "system_url",
				jurl("", system, NULL), "size", json_object_get(doc, "size"), "origin",
				json_object_get(doc, "origin") ? json_object_get(doc, "origin") : json_null(), "first",
				(json_int_t)from, "last", (json_int_t)(n ? from + (int64_t)n - 1 : from), "empty", n == 0,
				"entries", rows, "api", jurl("/api/v1/systems/", system, "/decisions"));
	json_decref(doc);
	if (!ctx)
		return aims__oom();
	char q[64];
	if (from > 0) {
		int64_t prev = from > DECISIONS_PAGE ? from - DECISIONS_PAGE : 0;
		snprintf(q, sizeof(q), "?from=%lld", (long long)prev);
		json_object_set_new(ctx, "prev_href", jurl("/decisions/", system, q));
	}
	int64_t next = from + (int64_t)n;
	if (next < size) {
		snprintf(q, sizeof(q), "?from=%lld", (long long)next);
		json_object_set_new(ctx, "next_href", jurl("/decisions/", system, q));
	}
	char title[160];
	snprintf(title, sizeof(title), "Decision log of %s", system);
	return page(w, 200, "decisions.html", title, json_pack("{s:o}", "log", ctx));
}

static int pg_decision_record(W *w, const char *system, const char *index)
{
	json_t *doc = NULL;
	char *end = NULL;
	long long ix = strtoll(index, &end, 10);
	if (!*index || !end || *end || ix < 0 || index[0] == '+' || index[0] == '-')
		return not_found(w);
	int err = call(&doc, NULL, w, "decision.log", json_pack("{s:s, s:I, s:I}", "system", system, "from", (json_int_t)ix,
							       "limit", (json_int_t)1));
	if (err < 0)
		return fail(w, err);
	json_t *e = json_array_get(json_object_get(doc, "entries"), 0);
	if (!e || json_integer_value(json_object_get(e, "index")) != ix) {
		json_decref(doc);
		aims__err_set(AIMS_ENOTFOUND, "decision log '%s' has no entry %lld", system, ix);
		return fail(w, AIMS_ENOTFOUND);
	}
	char *text = json_dumps(json_object_get(e, "record"), JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	json_t *ctx = json_pack("{s:s, s:o, s:I, s:O, s:O, s:s}", "system", system, "system_url", jurl("", system, NULL),
				"index", (json_int_t)ix, "leaf_hash", json_object_get(e, "leaf_hash"), "pruned",
				json_object_get(e, "pruned"), "json", text ? text : "");
	free(text);
	json_decref(doc);
	char title[160];
	snprintf(title, sizeof(title), "Decision %lld of %s", ix, system);
	return ctx ? page(w, 200, "decisions.html", title, json_pack("{s:o}", "record", ctx)) : aims__oom();
}

/* the receipt as a file (text/plain): the same bytes as `aims decision receipt --out FILE` */
static int pg_decision_receipt(W *w, const char *system, const char *index)
{
	json_t *doc = NULL;
	int err = call(&doc, NULL, w, "decision.receipt", json_pack("{s:s, s:s}", "system", system, "index", index));
	if (err < 0)
		return fail(w, err);
	const char *r = json_string_value(json_object_get(doc, "receipt"));
	aims_buf_clear(&w->rs->body);
	err = aims_buf_puts(&w->rs->body, r ? r : "") < 0 ? aims__oom() : 0;
	json_decref(doc);
	w->rs->status = 200;
	w->rs->content_type = "text/plain; charset=utf-8";
	return err;
}

static int pg_decision_verify(W *w, const char *system)
{
	json_t *doc = NULL;
	int err = call(&doc, NULL, w, "decision.verify", sys_req(system));
	json_t *ctx;
	if (err == AIMS_ETAMPERED || err == AIMS_EINVALID) {
		ctx = json_pack("{s:s, s:o, s:b, s:s}", "system", system, "system_url", jurl("", system, NULL), "ok", 0, "error",
				aims_error_last());
		aims_error_clear();
	} else if (err < 0) {
		return fail(w, err);
	} else {
		ctx = json_pack("{s:s, s:o, s:b, s:O}", "system", system, "system_url", jurl("", system, NULL), "ok",
				json_is_true(json_object_get(doc, "verified")), "entries", json_object_get(doc, "entries"));
	}
	json_decref(doc);
	char title[160];
	snprintf(title, sizeof(title), "Verification of the decision log of %s", system);
	return ctx ? page(w, 200, "decisions.html", title, json_pack("{s:o}", "verification", ctx)) : aims__oom();
}

static int pg_ledger(W *w, int verify)
{
	json_t *ctx = json_object(), *doc = NULL;
	const char *object = qstr(w, "object");
	int err;
	if (!ctx)
		return aims__oom();
	if (object && *object) {
		if ((err = call(&doc, NULL, w, "ledger.log", json_pack("{s:s}", "object", object))) < 0) {
			json_decref(ctx);
			return fail(w, err);
		}
		json_t *entries = json_object_get(doc, "entries");
		json_object_set_new(ctx, "object", json_string(object));
		json_object_set_new(ctx, "history", json_pack("{s:O, s:s, s:I, s:b}", "entries", entries, "object", object,
							      "count", (json_int_t)json_array_size(entries), "empty",
							      json_array_size(entries) == 0));
		json_decref(doc);
		doc = NULL;
	}
	if (verify) {
		err = call(&doc, NULL, w, "ledger.verify", NULL);
		if (err < 0 && !doc) {
			json_decref(ctx);
			return fail(w, err);
		}
		aims_error_clear();
		json_t *st = json_object_get(doc, "state"), *findings = json_array(), *f;
		size_t i;
		json_array_foreach(json_object_get(st, "findings"), i, f) {
			aims_buf b = AIMS_BUF_INIT;
			aims_buf_printf(&b, "%s %s: %s", json_string_value(json_object_get(f, "object_type")),
					json_string_value(json_object_get(f, "object_id")),
					json_string_value(json_object_get(f, "problem")));
			json_array_append_new(findings, json_stringn(b.ptr ? b.ptr : "", b.len));
			aims_buf_release(&b);
		}
		json_object_set_new(ctx, "verification", json_pack("{s:b, s:O, s:O, s:b, s:O, s:o}", "ok",
									 json_is_true(json_object_get(doc, "ok")), "error",
									 json_object_get(doc, "error") ? json_object_get(doc, "error") : json_null(),
									 "logs", json_object_get(doc, "logs"), "state_checked",
									 json_is_true(json_object_get(st, "checked")), "objects",
									 json_object_get(st, "objects") ? json_object_get(st, "objects") : json_null(),
									 "findings", findings));
		json_decref(doc);
	}
	return page(w, 200, "ledger.html", verify ? "Ledger verification" : "Ledger", ctx);
}

static int route(W *w)
{
	const char *p = w->rq->path, *rest = "";
	char seg[256];
	int post = strcmp(w->rq->method, "POST") == 0;
	if (strcmp(p, "/") == 0)
		return post ? not_found(w) : pg_dashboard(w);
	if (strcmp(p, "/logout") == 0)
		return post ? pg_logout(w) : redirect(w, "/");
	if (strncmp(p, "/account", 8) == 0 && (p[8] == '\0' || p[8] == '/'))
		return pg_account(w, p[8] ? p + 9 : "");
	if (strcmp(p, "/systems") == 0)
		return pg_systems(w);
	if (strncmp(p, "/systems/", 9) == 0 && !post && split(seg, sizeof(seg), &rest, p + 9) == 0 && !*rest)
		return pg_system(w, seg);
	if (strcmp(p, "/models") == 0 && !post)
		return list_page(w, "Models", "model.list", NULL, "models", model_cols, "/api/v1/models", "models.csv", NULL);
	if (strcmp(p, "/datasets") == 0 && !post)
		return list_page(w, "Datasets", "dataset.list", NULL, "datasets", dataset_cols, "/api/v1/datasets",
				 "datasets.csv", NULL);
	if (strcmp(p, "/gap") == 0 && !post)
		return pg_gap(w);
	if (strcmp(p, "/soa") == 0 && !post)
		return list_page(w, "Statement of Applicability", "soa.list", NULL, "controls", soa_cols, "/api/v1/soa",
				 "soa.csv", json_pack("{s:s}", "report", "/api/v1/soa?format=html"));
	if (strncmp(p, "/soa/", 5) == 0 && split(seg, sizeof(seg), &rest, p + 5) == 0 && !*rest)
		return pg_soa_control(w, seg);
	if (strcmp(p, "/documents") == 0)
		return pg_documents(w);
	if (strncmp(p, "/documents/", 11) == 0 && split(seg, sizeof(seg), &rest, p + 11) == 0 && !strchr(rest, '/'))
		return pg_document(w, seg, rest);
	if (strcmp(p, "/risks") == 0 && !post)
		return pg_risks(w);
	if (strncmp(p, "/risks/", 7) == 0 && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return pg_risk(w, seg, rest);
	if (strcmp(p, "/assessments") == 0 && !post)
		return list_page(w, "Impact assessments", "assess.list", NULL, "assessments", assess_cols,
				 "/api/v1/impact-assessments", "assessments.csv", NULL);
	if (strcmp(p, "/evaluations") == 0 && !post)
		return list_page(w, "Evaluations", "eval.list", NULL, "evaluations", eval_cols, "/api/v1/evaluations",
				 "evaluations.csv", NULL);
	if (strcmp(p, "/incidents") == 0 && !post)
		return list_page(w, "AI incidents", "incident.list", NULL, "incidents", incident_cols, "/api/v1/incidents",
				 "incidents.csv", NULL);
	if (strcmp(p, "/nonconformities") == 0 && !post)
		return list_page(w, "Nonconformities", "nc.list", NULL, "nonconformities", nc_cols,
				 "/api/v1/nonconformities", "nonconformities.csv", NULL);
	if (strcmp(p, "/monitoring") == 0 && !post)
		return list_page(w, "Monitoring runs", "monitor.runs", NULL, "runs", run_cols, "/api/v1/monitoring-runs",
				 "monitoring-runs.csv", NULL);
	if (strcmp(p, "/suppliers") == 0 && !post)
		return list_page(w, "Suppliers", "supplier.list", NULL, "suppliers", supplier_cols, "/api/v1/suppliers",
				 "suppliers.csv", NULL);
	if (strcmp(p, "/concerns") == 0 && !post)
		return list_page(w, "Concerns", "concern.list", NULL, "concerns", concern_cols, "/api/v1/concerns",
				 "concerns.csv", NULL);
	if (strcmp(p, "/objectives") == 0 && !post)
		return list_page(w, "Objectives", "objective.status", NULL, "objectives", objective_cols,
				 "/api/v1/objectives/status", "objectives.csv", NULL);
	if (strcmp(p, "/due") == 0 && !post)
		return list_page(w, "What is due", "due.list", NULL, "items", due_cols, "/api/v1/due", "due.csv", NULL);
	if (strcmp(p, "/audits") == 0 && !post)
		return list_page(w, "Internal audits", "audit.list", NULL, "audits", audit_cols, "/api/v1/audits",
				 "audits.csv", NULL);
	if (strcmp(p, "/corrective-actions") == 0 && !post)
		return list_page(w, "Corrective actions", "ca.list", NULL, "actions", ca_cols, "/api/v1/corrective-actions",
				 "corrective-actions.csv", NULL);
	if (strncmp(p, "/aiact/", 7) == 0 && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return pg_aiact(w, seg, rest);
	if (strcmp(p, "/decisions") == 0 && !post)
		return pg_decision_logs(w);
	if (strncmp(p, "/decisions/", 11) == 0 && !post && split(seg, sizeof(seg), &rest, p + 11) == 0) {
		char ix[64];
		const char *more = "";
		if (!*rest)
			return pg_decision_log(w, seg);
		if (strcmp(rest, "verification") == 0)
			return pg_decision_verify(w, seg);
		if (split(ix, sizeof(ix), &more, rest) == 0 && !*more)
			return pg_decision_record(w, seg, ix);
		if (split(ix, sizeof(ix), &more, rest) == 0 && strcmp(more, "receipt") == 0)
			return pg_decision_receipt(w, seg, ix);
		return not_found(w);
	}
	if (strcmp(p, "/ledger") == 0 && !post)
		return pg_ledger(w, 0);
	if (strcmp(p, "/ledger/verification") == 0 && !post)
		return pg_ledger(w, 1);
	if (strcmp(p, "/users") == 0)
		return pg_users(w, "", "");
	if (strncmp(p, "/users/", 7) == 0 && post && split(seg, sizeof(seg), &rest, p + 7) == 0 && !strchr(rest, '/'))
		return pg_users(w, seg, rest);
	return not_found(w);
}

static const char *static_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	return NULL;
}

int aims_web_handle(aims_web_response *res, const aims_web_request *req)
{
	W w;
	memset(&w, 0, sizeof(w));
	w.rq = req;
	w.rs = res;
	res->status = 200;
	if (strncmp(req->path, "/static/", 8) == 0) {
		const aims__builtin_file *f = static_type(req->path + 8) ? aims__web_file(req->path + 8) : NULL;
		if (!f || strcmp(req->method, "POST") == 0)
			return not_found(&w);
		res->content_type = static_type(req->path + 8);
		aims_buf_clear(&res->body);
		return aims_buf_put(&res->body, f->data, f->len) < 0 ? aims__oom() : 0;
	}
	if (strcmp(req->path, "/login") == 0)
		return pg_login(&w);
	if (strcmp(req->path, "/concern") == 0)
		return pg_concern(&w);
	if (!signed_in(&w)) {
		if (strcmp(req->path, "/") == 0 && strcmp(req->method, "POST") != 0)
			return page(&w, 200, "login.html", "Sign in", json_object());
		return redirect(&w, "/login");
	}
	/* a form of this UI carries the session's CSRF token; anything else posting here is refused */
	if (strcmp(req->method, "POST") == 0) {
		const char *t = fstr(&w, "csrf");
		if (!req->csrf || !*req->csrf || strlen(t) != strlen(req->csrf) || strcmp(t, req->csrf) != 0) {
			aims__err_set(AIMS_EPERM, "the form's CSRF token is missing or not this session's: reload the page");
			return fail(&w, AIMS_EPERM);
		}
	}
	return route(&w);
}
