/*
 * The web UI's template renderer: a small subset of Mustache over a JSON
 * context. {{name}} and {{a.b}} insert a value HTML-escaped (the default),
 * {{{name}}} inserts it as is (only for markup the library made itself, such
 * as the lineage SVG or a rendered document), {{#name}}...{{/name}} repeats
 * for each item of an array, enters an object, or shows the block when the
 * value is true, a non-empty string or a non-zero number; {{^name}}...{{/name}}
 * shows the block when it would not. {{.}} is the current item. Names are
 * looked up from the innermost context outwards. A template with an unclosed
 * or unbalanced tag is refused (AIMS_EINVALID naming the template and line).
 */
#include <string.h>

#include "core/core.h"
#include "web_internal.h"

#define DEPTH 24

typedef struct {
	const char *name;    /* template name for messages */
	const char *base;    /* start of the template (line numbers) */
	const json_t *stack[DEPTH];
	int depth;
	aims_buf *out;
} tpl;

static int line_of(const tpl *t, const char *p)
{
	int line = 1;
	for (const char *q = t->base; q < p; q++)
		line += *q == '\n';
	return line;
}

int aims__web_escape(aims_buf *out, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (!rep)
			continue;
		if (aims_buf_put(out, s + run, i - run) < 0 || aims_buf_puts(out, rep) < 0)
			return aims__oom();
		run = i + 1;
	}
	return aims_buf_put(out, s + run, n - run) < 0 ? aims__oom() : 0;
}

static const json_t *lookup(const tpl *t, const char *name, size_t n)
{
	if (n == 1 && name[0] == '.')
		return t->depth ? t->stack[t->depth - 1] : NULL;
	size_t seg = 0;
	while (seg < n && name[seg] != '.')
		seg++;
	char key[128];
	if (seg >= sizeof(key))
		return NULL;
	memcpy(key, name, seg);
	key[seg] = '\0';
	const json_t *v = NULL;
	for (int i = t->depth - 1; i >= 0 && !v; i--)
		if (json_is_object(t->stack[i]))
			v = json_object_get(t->stack[i], key);
	/* the rest of a dotted name is looked up in the value found */
	size_t p = seg;
	while (v && p < n) {
		size_t s = ++p;
		while (p < n && name[p] != '.')
			p++;
		if (p - s >= sizeof(key))
			return NULL;
		memcpy(key, name + s, p - s);
		key[p - s] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static int truthy(const json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_OBJECT: return 1;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return 1;
	default: return 0;
	}
}

static int emit(tpl *t, const json_t *v, int raw)
{
	char num[64];
	const char *s = NULL;
	size_t n = 0;
	if (!v)
		return 0;
	/* json_typeof of NULL is undefined: checked above */
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		n = (size_t)snprintf(num, sizeof(num), "%g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	default:
		return 0;
	}
	if (raw)
		return aims_buf_put(t->out, s, n) < 0 ? aims__oom() : 0;
	return aims__web_escape(t->out, s, n);
}

/* the end of the block opened by {{#name}} or {{^name}} at p: *close at its {{/name}}, *after after it */
static int block_end(const char **close, const char **after, const tpl *t, const char *p, const char *end,
		     const char *name, size_t n)
{
	int nest = 1;
	while (p < end) {
		const char *o = strstr(p, "{{");
		if (!o || o >= end)
			break;
		const char *c = strstr(o + 2, "}}");
		if (!c || c > end)
			break;
		char k = o[2];
		if ((k == '#' || k == '^' || k == '/') && (size_t)(c - o - 3) == n && memcmp(o + 3, name, n) == 0) {
			nest += k == '/' ? -1 : 1;
			if (nest == 0) {
				*close = o;
				*after = c + 2;
				return 0;
			}
		}
		p = c + 2;
	}
	return aims__err(AIMS_EINVALID, "template %s line %d: {{#%.*s}} is not closed", t->name, line_of(t, p),
			 (int)n, name);
}

static int render(tpl *t, const char *p, const char *end)
{
	while (p < end) {
		const char *o = strstr(p, "{{");
		if (!o || o >= end)
			return aims_buf_put(t->out, p, (size_t)(end - p)) < 0 ? aims__oom() : 0;
		if (aims_buf_put(t->out, p, (size_t)(o - p)) < 0)
			return aims__oom();
		int raw = o[2] == '{';
		const char *name = o + 2 + raw;
		const char *c = strstr(name, raw ? "}}}" : "}}");
		if (!c || c > end)
			return aims__err(AIMS_EINVALID, "template %s line %d: tag not closed", t->name, line_of(t, o));
		char kind = raw ? 0 : *name;
		if (kind == '#' || kind == '^' || kind == '/')
			name++;
		size_t n = (size_t)(c - name);
		p = c + (raw ? 3 : 2);
		if (n == 0)
			return aims__err(AIMS_EINVALID, "template %s line %d: empty tag", t->name, line_of(t, o));
		if (kind == '/')
			return aims__err(AIMS_EINVALID, "template %s line %d: {{/%.*s}} closes nothing", t->name,
					 line_of(t, o), (int)n, name);
		const json_t *v = lookup(t, name, n);
		if (kind != '#' && kind != '^') {
			int err = emit(t, v, raw);
			if (err < 0)
				return err;
			continue;
		}
		const char *close, *after;
		int err = block_end(&close, &after, t, p, end, name, n);
		if (err < 0)
			return err;
		if (kind == '^') {
			if (!truthy(v) && (err = render(t, p, close)) < 0)
				return err;
		} else if (truthy(v)) {
			if (t->depth >= DEPTH)
				return aims__err(AIMS_EINVALID, "template %s line %d: blocks nested too deeply", t->name,
						 line_of(t, o));
			if (json_is_array(v)) {
				for (size_t i = 0; i < json_array_size(v); i++) {
					t->stack[t->depth++] = json_array_get(v, i);
					err = render(t, p, close);
					t->depth--;
					if (err < 0)
						return err;
				}
			} else {
				t->stack[t->depth++] = v;
				err = render(t, p, close);
				t->depth--;
				if (err < 0)
					return err;
			}
		}
		p = after;
	}
	return 0;
}

int aims__web_render(aims_buf *out, const char *name, const char *text, size_t len, const json_t *ctx)
{
	tpl t;
	memset(&t, 0, sizeof(t));
	t.name = name;
	t.base = text;
	t.out = out;
	t.stack[t.depth++] = ctx;
	return render(&t, text, text + len);
}
