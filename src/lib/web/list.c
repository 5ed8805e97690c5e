/*
 * Lists: a table of an operation's items by columns, filtered (?q=), sorted
 * (?sort=KEY&dir=asc|desc), paged (?page=N) or downloaded whole as CSV
 * (?format=csv); an object's own items as a small table; the choices of an
 * operation's field for a <select>.
 */
#include <ctype.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

#define PAGE_ROWS 50

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
	aims__web_url_put(&b, q);
	if (sort && *sort) {
		aims_buf_puts(&b, "&sort=");
		aims__web_url_put(&b, sort);
		aims_buf_puts(&b, "&dir=");
		aims__web_url_put(&b, dir);
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
int aims__web_list_table(json_t **table, W *w, const json_t *items, const col *cols, const char *csvname)
{
	const char *q = aims__web_qstr(w, "q") ? aims__web_qstr(w, "q") : "";
	const char *sort = aims__web_qstr(w, "sort") ? aims__web_qstr(w, "sort") : "";
	const char *dir = aims__web_qstr(w, "dir") && strcmp(aims__web_qstr(w, "dir"), "desc") == 0 ? "desc" : "asc";
	const char *fmt = aims__web_qstr(w, "format");
	long pg = aims__web_qstr(w, "page") ? strtol(aims__web_qstr(w, "page"), NULL, 10) : 1;
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
							    aims__web_url(cols[c].link, json_string_value(lk), cols[c].link_suffix));
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
int aims__web_list_page(W *w, const char *title, const char *opname, json_t *req, const char *key, const col *cols,
		     const char *api, const char *csvname, json_t *extra)
{
	json_t *doc = NULL, *table = NULL;
	int err = aims__web_call(&doc, NULL, w, opname, req);
	if (err < 0) {
		json_decref(extra);
		return aims__web_fail(w, err);
	}
	err = aims__web_list_table(&table, w, json_object_get(doc, key), cols, csvname);
	json_decref(doc);
	if (err) {
		json_decref(extra);
		return err < 0 ? err : 0;
	}
	json_t *ctx = extra ? extra : json_object();
	json_object_set_new(ctx, "table", table);
	json_object_set_new(ctx, "api", json_string(api));
	json_object_set_new(ctx, "heading", json_string(title));
	return aims__web_page(w, 200, "list.html", title, ctx);
}

/* the choices of a field of an operation, as [{value}] for a <select> */
json_t *aims__web_choices(const char *opname, const char *field)
{
	const aims_op *op = aims_op_find(opname);
	json_t *a = json_array();
	for (const aims_op_field *f = op ? op->fields : NULL; f && f->name && a; f++)
		if (strcmp(f->name, field) == 0 && f->choices)
			for (const char *const *c = f->choices; *c; c++)
				json_array_append_new(a, json_pack("{s:s}", "value", *c));
	return a;
}

/* a list of `key` from operation `opname` rendered as a small table (no paging: an object's own items) */
int aims__web_sub_table(json_t *ctx, const char *name, W *w, const char *opname, json_t *req, const char *key,
		     const col *cols)
{
	json_t *doc = NULL;
	int err = aims__web_call(&doc, NULL, w, opname, req);
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
				json_object_set_new(cell, "href", aims__web_url(c->link, json_string_value(lk), c->link_suffix));
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

int aims__web_list_show(W *w, const aims__web_list *l)
{
	return aims__web_list_page(w, l->title, l->op, NULL, l->key, l->cols, l->api, l->csv, NULL);
}
