/*
 * JSON helpers on top of jansson: the error position of a syntax error,
 * and the line of a value named by a path such as "requirements[12].parent",
 * so that content errors in a file can name a line as well as a field
 * (jansson keeps no positions for values it has parsed).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

typedef struct {
	const char *p, *end;
} cursor;

static void skip_ws(cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* skip one string starting at '"'; leave cursor after the closing quote */
static int skip_string(cursor *c)
{
	if (c->p >= c->end || *c->p != '"')
		return -1;
	c->p++;
	while (c->p < c->end) {
		if (*c->p == '\\') {
			c->p += 2;
			continue;
		}
		if (*c->p == '"') {
			c->p++;
			return 0;
		}
		c->p++;
	}
	return -1;
}

static int skip_value(cursor *c, int depth)
{
	skip_ws(c);
	if (c->p >= c->end || depth > 64)
		return -1;
	char ch = *c->p;
	if (ch == '"')
		return skip_string(c);
	if (ch == '{' || ch == '[') {
		char close = ch == '{' ? '}' : ']';
		c->p++;
		skip_ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return 0;
		}
		for (;;) {
			if (ch == '{') {
				skip_ws(c);
				if (skip_string(c) < 0)
					return -1;
				skip_ws(c);
				if (c->p >= c->end || *c->p != ':')
					return -1;
				c->p++;
			}
			if (skip_value(c, depth + 1) < 0)
				return -1;
			skip_ws(c);
			if (c->p >= c->end)
				return -1;
			if (*c->p == ',') {
				c->p++;
				continue;
			}
			if (*c->p == close) {
				c->p++;
				return 0;
			}
			return -1;
		}
	}
	/* number, true, false, null */
	while (c->p < c->end && !strchr(",]} \t\r\n", *c->p))
		c->p++;
	return 0;
}

/* compare the JSON string at the cursor (no escapes expected in keys) with key[0..klen) */
static int key_equals(const char *start, const char *stop, const char *key, size_t klen)
{
	/* start points after the opening quote, stop at the closing quote */
	return (size_t)(stop - start) == klen && memcmp(start, key, klen) == 0;
}

int aims__json_locate(const char *text, size_t len, const char *path, int *line, int *column)
{
	cursor c = { text, text + len };
	const char *q = path;

	*line = 0;
	*column = 0;
	while (*q) {
		skip_ws(&c);
		if (c.p >= c.end)
			return -1;
		if (*q == '[') {
			char *endp = NULL;
			long idx = strtol(q + 1, &endp, 10);
			if (!endp || *endp != ']' || idx < 0 || *c.p != '[')
				return -1;
			q = endp + 1;
			c.p++;
			for (long i = 0; i < idx; i++) {
				if (skip_value(&c, 0) < 0)
					return -1;
				skip_ws(&c);
				if (c.p >= c.end || *c.p != ',')
					return -1;
				c.p++;
			}
			skip_ws(&c);
		} else {
			if (*q == '.')
				q++;
			size_t klen = strcspn(q, ".[");
			if (*c.p != '{')
				return -1;
			c.p++;
			for (;;) {
				skip_ws(&c);
				if (c.p >= c.end || *c.p != '"')
					return -1;
				const char *ks = c.p + 1;
				if (skip_string(&c) < 0)
					return -1;
				const char *ke = c.p - 1;
				skip_ws(&c);
				if (c.p >= c.end || *c.p != ':')
					return -1;
				c.p++;
				skip_ws(&c);
				if (key_equals(ks, ke, q, klen))
					break;
				if (skip_value(&c, 0) < 0)
					return -1;
				skip_ws(&c);
				if (c.p >= c.end || *c.p != ',')
					return -1;
				c.p++;
			}
			q += klen;
		}
	}
	skip_ws(&c);
	int l = 1, col = 1;
	for (const char *p = text; p < c.p; p++) {
		if (*p == '\n') {
			l++;
			col = 1;
		} else {
			col++;
		}
	}
	*line = l;
	*column = col;
	return 0;
}

int aims__json_path_err(int code, const char *name, const char *text, size_t len,
			const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int line = 0, col = 0;

	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	if (text && aims__json_locate(text, len, path, &line, &col) == 0)
		return aims__err(code, "'%s' line %d: %s: %s", name, line, path, msg);
	return aims__err(code, "'%s': %s: %s", name, path, msg);
}

int aims__json_parse(json_t **out, const char *data, size_t len, const char *name)
{
	json_error_t jerr;

	aims_global_init();
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out) {
		if (jerr.line <= 0)
			return aims__err(AIMS_EINVALID, "'%s': %s", name, jerr.text);
		return aims__err(AIMS_EINVALID, "'%s' line %d column %d: %s", name, jerr.line,
				 jerr.column, jerr.text);
	}
	return 0;
}

/* ---- validating members ---- */

int aims__in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int aims__text_ok(const char *s, int single_line)
{
	int nonspace = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && !(!single_line && (*p == '\n' || *p == '\t')))
			return 0;
		if (*p != ' ')
			nonspace = 1;
	}
	return nonspace;
}

int aims__json_field_err(const aims__json_src *src, const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	aims__json_path_err(AIMS_EINVALID, src->name, src->text, src->len, path, "%s", msg);
	return AIMS_EINVALID;
}

void aims__json_join_path(char *out, size_t size, const char *prefix, const char *key)
{
	snprintf(out, size, "%s%s%s", prefix, *prefix ? "." : "", key);
}

int aims__json_get_str(const char **out, json_t *obj, const char *key, int required, int single_line,
		       const aims__json_src *src, const char *prefix)
{
	char path[128];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	aims__json_join_path(path, sizeof(path), prefix, key);
	if (!v || json_is_null(v)) {
		if (required)
			return v ? aims__json_field_err(src, path, "must not be null")
				 : aims__json_field_err(src, prefix[0] ? prefix : "(top level)",
							"missing field '%s'", key);
		return 0;
	}
	if (!json_is_string(v))
		return aims__json_field_err(src, path, "must be a string");
	if (!aims__text_ok(json_string_value(v), single_line))
		return aims__json_field_err(src, path, "must be non-empty text without control characters");
	if (single_line && json_string_length(v) > 1024)
		return aims__json_field_err(src, path, "longer than 1024 characters");
	*out = json_string_value(v);
	return 0;
}

int aims__json_check_keys(json_t *obj, const char *const *allowed, size_t n, const aims__json_src *src,
			  const char *prefix)
{
	const char *key;
	json_t *v;
	char path[128];

	json_object_foreach(obj, key, v) {
		if (!aims__in_list(key, allowed, n)) {
			aims__json_join_path(path, sizeof(path), prefix, key);
			return aims__json_field_err(src, path, "unknown field '%s'", key);
		}
	}
	return 0;
}
