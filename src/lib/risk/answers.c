/*
 * The answers-file reader (answers.h): YAML through libyaml's event parser,
 * JSON through jansson, both into one tree of nodes with line numbers, and
 * typed getters whose refusals name the file, the line and the key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "answers.h"
#include "core/core.h"
#include "core/json.h"

static void node_free(aims__ans *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->count; i++) {
		if (n->keys)
			aims__free(n->keys[i]);
		node_free(n->items[i]);
	}
	aims__free(n->keys);
	aims__free(n->items);
	aims__free(n->text);
	aims__free(n);
}

void aims__ans_release(aims__ans_doc *doc)
{
	if (!doc)
		return;
	node_free(doc->root);
	aims__free(doc->name);
	doc->root = NULL;
	doc->name = NULL;
}

static aims__ans *node_new(int kind, int line)
{
	aims__ans *n = aims__calloc(1, sizeof(*n));
	if (n) {
		n->kind = kind;
		n->line = line;
	}
	return n;
}

/* append child (and key, for maps); takes both on success */
static int node_add(aims__ans *parent, char *key, aims__ans *child)
{
	if (parent->count == parent->cap) {
		size_t cap = parent->cap, cap2 = parent->cap;
		if (aims__grow(&parent->items, &cap, parent->count + 1, sizeof(aims__ans *)) < 0)
			return aims__oom();
		if (parent->kind == AIMS__ANS_MAP &&
		    aims__grow(&parent->keys, &cap2, parent->count + 1, sizeof(char *)) < 0)
			return aims__oom();
		parent->cap = cap;
	}
	if (parent->kind == AIMS__ANS_MAP)
		parent->keys[parent->count] = key;
	parent->items[parent->count++] = child;
	return 0;
}

int aims__ans_err(const aims__ans_doc *d, const aims__ans *at, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at && at->line > 0)
		return aims__err(AIMS_EINVALID, "'%s' line %d: %s%s%s", d->name, at->line, path ? path : "",
				 path && *path ? ": " : "", msg);
	return aims__err(AIMS_EINVALID, "'%s': %s%s%s", d->name, path ? path : "", path && *path ? ": " : "", msg);
}

/* ---- YAML ---- */

static int plain_type(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	static const char *const bools[] = { "true", "True", "TRUE", "false", "False", "FALSE" };
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(s, nulls[i]) == 0)
			return AIMS__VAL_NULL;
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (strcmp(s, bools[i]) == 0)
			return AIMS__VAL_BOOL;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	size_t digits = strspn(p, "0123456789");
	if (digits && !p[digits])
		return AIMS__VAL_INT;
	/* [digits][.digits][e[+-]digits] with at least one digit */
	size_t frac = 0;
	const char *q = p + digits;
	if (*q == '.') {
		frac = strspn(q + 1, "0123456789");
		q += 1 + frac;
	}
	if (digits + frac == 0)
		return AIMS__VAL_STR;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '-' || *q == '+')
			q++;
		size_t e = strspn(q, "0123456789");
		if (!e)
			return AIMS__VAL_STR;
		q += e;
	}
	return *q ? AIMS__VAL_STR : AIMS__VAL_NUM;
}

typedef struct {
	aims__ans *node;
	char *key;        /* maps: the key waiting for its value */
	int key_line;
} frame;

static int yaml_fail(const aims__ans_doc *d, const yaml_parser_t *p)
{
	return aims__err(AIMS_EINVALID, "'%s' line %lu: YAML syntax error: %s%s%s", d->name,
			 (unsigned long)p->problem_mark.line + 1, p->problem ? p->problem : "malformed",
			 p->context ? " " : "", p->context ? p->context : "");
}

static int parse_yaml(aims__ans_doc *d, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	frame stack[AIMS__ANS_MAX_DEPTH + 1];
	int depth = 0, err = 0, docs = 0, done = 0, have_event = 0;

	memset(stack, 0, sizeof(stack));
	if (!yaml_parser_initialize(&parser))
		return aims__oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			err = yaml_fail(d, &parser);
			goto fail;
		}
		have_event = 1;
		int line = (int)ev.start_mark.line + 1;
		aims__ans at = { 0 };
		at.line = line;
		aims__ans *made = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				err = aims__ans_err(d, &at, NULL, "more than one YAML document");
				goto fail;
			}
			break;
		case YAML_ALIAS_EVENT:
			err = aims__ans_err(d, &at, NULL, "aliases (*name) are not accepted in answers files");
			goto fail;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			const unsigned char *anchor = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.anchor
				: ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
				: ev.data.mapping_start.anchor;
			const unsigned char *tag = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.tag
				: ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.tag
				: ev.data.mapping_start.tag;
			if (anchor || tag) {
				err = aims__ans_err(d, &at, NULL, "anchors (&name) and tags (!tag) are not accepted in "
						    "answers files");
				goto fail;
			}
			frame *top = depth ? &stack[depth - 1] : NULL;
			if (ev.type != YAML_SCALAR_EVENT && top && top->node->kind == AIMS__ANS_MAP && !top->key) {
				err = aims__ans_err(d, &at, NULL, "a key must be plain text, not a list or mapping");
				goto fail;
			}
			if (ev.type == YAML_SCALAR_EVENT && top && top->node->kind == AIMS__ANS_MAP && !top->key) {
				/* a key */
				const char *k = (const char *)ev.data.scalar.value;
				if (strlen(k) != ev.data.scalar.length) {
					err = aims__ans_err(d, &at, NULL, "a key holds a NUL byte");
					goto fail;
				}
				if (aims__ans_get(top->node, k)) {
					err = aims__ans_err(d, &at, k, "duplicate key");
					goto fail;
				}
				if (!(top->key = aims__strdup(k))) {
					err = aims__oom();
					goto fail;
				}
				top->key_line = line;
				break;
			}
			if (ev.type == YAML_SCALAR_EVENT) {
				if (!(made = node_new(AIMS__ANS_SCALAR, line))) {
					err = aims__oom();
					goto fail;
				}
				if (strlen((const char *)ev.data.scalar.value) != ev.data.scalar.length) {
					node_free(made);
					err = aims__ans_err(d, &at, NULL, "a value holds a NUL byte");
					goto fail;
				}
				if (!(made->text = aims__strdup((const char *)ev.data.scalar.value))) {
					node_free(made);
					err = aims__oom();
					goto fail;
				}
				made->vtype = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain_type(made->text)
											       : AIMS__VAL_STR;
			} else {
				if (depth >= AIMS__ANS_MAX_DEPTH) {
					err = aims__ans_err(d, &at, NULL, "nested more than %d levels", AIMS__ANS_MAX_DEPTH);
					goto fail;
				}
				if (!(made = node_new(ev.type == YAML_SEQUENCE_START_EVENT ? AIMS__ANS_SEQ : AIMS__ANS_MAP,
						      line))) {
					err = aims__oom();
					goto fail;
				}
			}
			/* attach to the parent (or become the root) */
			if (!top) {
				d->root = made;
			} else if (top->node->kind == AIMS__ANS_MAP) {
				if (top->key_line)
					made->line = made->kind == AIMS__ANS_SCALAR ? made->line : top->key_line;
				if ((err = node_add(top->node, top->key, made)) < 0) {
					node_free(made);
					goto fail;
				}
				top->key = NULL;
				top->key_line = 0;
			} else if ((err = node_add(top->node, NULL, made)) < 0) {
				node_free(made);
				goto fail;
			}
			if (made->kind != AIMS__ANS_SCALAR) {
				stack[depth].node = made;
				stack[depth].key = NULL;
				stack[depth].key_line = 0;
				depth++;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		have_event = 0;
	}
	yaml_parser_delete(&parser);
	return 0;
fail:
	for (int i = 0; i < depth; i++)
		aims__free(stack[i].key);
	if (have_event)
		yaml_event_delete(&ev);
	yaml_parser_delete(&parser);
	return err;
}

/* ---- JSON ---- */

static int from_json(aims__ans **out, json_t *v, const aims__ans_doc *d, const char *text, size_t len,
		     const char *path, int depth)
{
	int line = 0, col = 0;
	aims__ans *n = NULL;
	int err = 0;
	*out = NULL;
	if (depth > AIMS__ANS_MAX_DEPTH) {
		aims__ans at = { 0 };
		(void)aims__json_locate(text, len, path, &at.line, &col);
		return aims__ans_err(d, &at, path, "nested more than %d levels", AIMS__ANS_MAX_DEPTH);
	}
	if (aims__json_locate(text, len, path, &line, &col) < 0)
		line = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		if (!(n = node_new(AIMS__ANS_MAP, line)))
			return aims__oom();
		json_object_foreach(v, k, x) {
			char sub[512];
			aims__ans *c = NULL;
			char *kc;
			aims__json_join_path(sub, sizeof(sub), path, k);
			if ((err = from_json(&c, x, d, text, len, sub, depth + 1)) < 0)
				goto fail;
			if (!(kc = aims__strdup(k))) {
				node_free(c);
				err = aims__oom();
				goto fail;
			}
			if ((err = node_add(n, kc, c)) < 0) {
				aims__free(kc);
				node_free(c);
				goto fail;
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		if (!(n = node_new(AIMS__ANS_SEQ, line)))
			return aims__oom();
		json_array_foreach(v, i, x) {
			char sub[512];
			aims__ans *c = NULL;
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if ((err = from_json(&c, x, d, text, len, sub, depth + 1)) < 0)
				goto fail;
			if ((err = node_add(n, NULL, c)) < 0) {
				node_free(c);
				goto fail;
			}
		}
	} else {
		char buf[64];
		const char *t = buf;
		if (!(n = node_new(AIMS__ANS_SCALAR, line)))
			return aims__oom();
		if (json_is_string(v)) {
			t = json_string_value(v);
			if (strlen(t) != json_string_length(v)) {
				node_free(n);
				aims__ans at = { 0 };
				at.line = line;
				return aims__ans_err(d, &at, path, "a value holds a NUL byte");
			}
			n->vtype = AIMS__VAL_STR;
		} else if (json_is_boolean(v)) {
			t = json_is_true(v) ? "true" : "false";
			n->vtype = AIMS__VAL_BOOL;
		} else if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
			n->vtype = AIMS__VAL_INT;
		} else if (json_is_real(v)) {
			snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
			n->vtype = AIMS__VAL_NUM;
		} else {
			t = "";
			n->vtype = AIMS__VAL_NULL;
		}
		if (!(n->text = aims__strdup(t))) {
			node_free(n);
			return aims__oom();
		}
	}
	*out = n;
	return 0;
fail:
	node_free(n);
	return err;
}

int aims__ans_parse(aims__ans_doc *out, const char *data, size_t len, const char *name)
{
	json_t *j = NULL;
	int err;
	memset(out, 0, sizeof(*out));
	if (!(out->name = aims__strdup(name ? name : "answers")))
		return aims__oom();
	if (len > AIMS__ANS_MAX_BYTES) {
		err = aims__err(AIMS_EINVALID, "'%s': larger than 1 MiB", out->name);
		goto fail;
	}
	if (memchr(data, '\0', len)) {
		err = aims__err(AIMS_EINVALID, "'%s': not a text file (NUL byte)", out->name);
		goto fail;
	}
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < len && data[i] == '{') {
		if ((err = aims__json_parse(&j, data, len, out->name)) < 0)
			goto fail;
		if ((err = from_json(&out->root, j, out, data, len, "", 0)) < 0)
			goto fail;
		json_decref(j);
		j = NULL;
	} else if ((err = parse_yaml(out, data, len)) < 0) {
		goto fail;
	}
	if (!out->root || out->root->kind != AIMS__ANS_MAP) {
		aims__ans at = { 0 };
		at.line = out->root ? out->root->line : 0;
		err = aims__ans_err(out, out->root ? &at : NULL, NULL, "expected a mapping of answers (key: value lines)");
		goto fail;
	}
	return 0;
fail:
	json_decref(j);
	aims__ans_release(out);
	return err;
}

aims__ans *aims__ans_get(const aims__ans *m, const char *key)
{
	if (!m || m->kind != AIMS__ANS_MAP)
		return NULL;
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->keys[i], key) == 0)
			return m->items[i];
	return NULL;
}

static void join(char *out, size_t size, const char *prefix, const char *key)
{
	aims__json_join_path(out, size, prefix ? prefix : "", key);
}

static void list_text(char *out, size_t size, const char *const *v, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		int w = snprintf(out + used, size - used, "%s%s", i ? ", " : "", v[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int aims__ans_keys(const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		   const char *const *allowed, size_t nallowed, const char *const *required, size_t nrequired)
{
	char path[512], list[1024];
	for (size_t i = 0; i < m->count; i++) {
		if (aims__in_list(m->keys[i], allowed, nallowed))
			continue;
		join(path, sizeof(path), prefix, m->keys[i]);
		list_text(list, sizeof(list), allowed, nallowed);
		return aims__ans_err(d, m->items[i], path, "unknown key (expected %s)", list);
	}
	for (size_t i = 0; i < nrequired; i++) {
		if (aims__ans_get(m, required[i]))
			continue;
		join(path, sizeof(path), prefix, required[i]);
		return aims__ans_err(d, m, path, "missing answer");
	}
	return 0;
}

static const char *type_name(const aims__ans *n)
{
	if (n->kind == AIMS__ANS_MAP)
		return "a mapping";
	if (n->kind == AIMS__ANS_SEQ)
		return "a list";
	switch (n->vtype) {
	case AIMS__VAL_NULL: return "nothing (null)";
	case AIMS__VAL_BOOL: return "true/false";
	case AIMS__VAL_INT:
	case AIMS__VAL_NUM: return "a number";
	default: return "text";
	}
}

static int need(const aims__ans **v, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		const char *key, char *path, size_t size)
{
	join(path, size, prefix, key);
	*v = aims__ans_get(m, key);
	if (!*v)
		return aims__ans_err(d, m, path, "missing answer");
	return 0;
}

int aims__ans_bool(int *out, const aims__ans_doc *d, const aims__ans *m, const char *prefix, const char *key)
{
	const aims__ans *v;
	char path[512];
	int err;
	if ((err = need(&v, d, m, prefix, key, path, sizeof(path))) < 0)
		return err;
	if (v->kind != AIMS__ANS_SCALAR || v->vtype != AIMS__VAL_BOOL)
		return aims__ans_err(d, v, path, "wrong type: expected true or false, got %s%s%s%s", type_name(v),
				     v->kind == AIMS__ANS_SCALAR && v->vtype != AIMS__VAL_NULL ? " '" : "",
				     v->kind == AIMS__ANS_SCALAR && v->vtype != AIMS__VAL_NULL ? v->text : "",
				     v->kind == AIMS__ANS_SCALAR && v->vtype != AIMS__VAL_NULL ? "'" : "");
	*out = v->text[0] == 't' || v->text[0] == 'T';
	return 0;
}

int aims__ans_enum(const char **out, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		   const char *key, const char *const *values, size_t nvalues)
{
	const aims__ans *v;
	char path[512], list[2048];
	int err;
	if ((err = need(&v, d, m, prefix, key, path, sizeof(path))) < 0)
		return err;
	list_text(list, sizeof(list), values, nvalues);
	if (v->kind != AIMS__ANS_SCALAR || v->vtype == AIMS__VAL_NULL || v->vtype == AIMS__VAL_BOOL)
		return aims__ans_err(d, v, path, "wrong type: expected one of %s, got %s", list, type_name(v));
	for (size_t i = 0; i < nvalues; i++)
		if (strcmp(v->text, values[i]) == 0) {
			*out = values[i];
			return 0;
		}
	return aims__ans_err(d, v, path, "'%s' is not one of %s", v->text, list);
}

int aims__ans_text(const char **out, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		   const char *key, int single_line)
{
	const aims__ans *v;
	char path[512];
	int err;
	if ((err = need(&v, d, m, prefix, key, path, sizeof(path))) < 0)
		return err;
	if (v->kind != AIMS__ANS_SCALAR || v->vtype == AIMS__VAL_NULL || v->vtype == AIMS__VAL_BOOL)
		return aims__ans_err(d, v, path, "wrong type: expected text, got %s", type_name(v));
	if (!aims__text_ok(v->text, single_line))
		return aims__ans_err(d, v, path, "expected %stext that is not blank and has no control characters",
				     single_line ? "one line of " : "");
	if (strlen(v->text) > (single_line ? 1024u : 65536u))
		return aims__ans_err(d, v, path, "longer than %u bytes", single_line ? 1024u : 65536u);
	*out = v->text;
	return 0;
}

int aims__ans_seq(const aims__ans **out, const aims__ans_doc *d, const aims__ans *m, const char *prefix,
		  const char *key, size_t min_items)
{
	const aims__ans *v;
	char path[512];
	int err;
	if ((err = need(&v, d, m, prefix, key, path, sizeof(path))) < 0)
		return err;
	if (v->kind != AIMS__ANS_SEQ)
		return aims__ans_err(d, v, path, "wrong type: expected a list, got %s", type_name(v));
	if (v->count < min_items)
		return aims__ans_err(d, v, path, "needs at least %zu item%s", min_items, min_items == 1 ? "" : "s");
	*out = v;
	return 0;
}

json_t *aims__ans_to_json(const aims__ans *n)
{
	json_t *o = NULL;
	if (n->kind == AIMS__ANS_MAP) {
		if (!(o = json_object()))
			return NULL;
		for (size_t i = 0; i < n->count; i++) {
			json_t *c = aims__ans_to_json(n->items[i]);
			if (!c || json_object_set_new(o, n->keys[i], c) < 0) {
				json_decref(o);
				return NULL;
			}
		}
		return o;
	}
	if (n->kind == AIMS__ANS_SEQ) {
		if (!(o = json_array()))
			return NULL;
		for (size_t i = 0; i < n->count; i++) {
			json_t *c = aims__ans_to_json(n->items[i]);
			if (!c || json_array_append_new(o, c) < 0) {
				json_decref(o);
				return NULL;
			}
		}
		return o;
	}
	switch (n->vtype) {
	case AIMS__VAL_NULL: return json_null();
	case AIMS__VAL_BOOL: return json_boolean(n->text[0] == 't' || n->text[0] == 'T');
	default: return json_string(n->text);
	}
}
