/*
 * Document templates: Markdown files with a small front matter, written by
 * us (no text of any standard), compiled into the library from templates/
 * by tools/embed.c. The front matter parser is fuzzed (fuzz/doc_front_matter.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "doc_internal.h"

size_t aims_doc_template_count(void)
{
	return aims__builtin_template_count;
}

int aims_doc_template_at(size_t i, const char **name, const char **text, size_t *len)
{
	static char names[64][64];
	if (i >= aims__builtin_template_count || i >= 64)
		return aims__err(AIMS_ENOTFOUND, "no built-in template %zu", i);
	const char *n = aims__builtin_templates[i].name;
	size_t l = strlen(n);
	if (l > 3 && strcmp(n + l - 3, ".md") == 0)
		l -= 3;
	if (l >= sizeof(names[i]))
		l = sizeof(names[i]) - 1;
	memcpy(names[i], n, l);
	names[i][l] = '\0';
	*name = names[i];
	*text = (const char *)aims__builtin_templates[i].data;
	*len = aims__builtin_templates[i].len;
	return 0;
}

void aims_doc_front_matter_release(aims_doc_front_matter *fm)
{
	if (!fm)
		return;
	aims__free(fm->type);
	aims__free(fm->title);
	aims_doc_names_free(fm->links, fm->nlinks);
	memset(fm, 0, sizeof(*fm));
}

void aims_doc_names_free(char **names, size_t count)
{
	for (size_t i = 0; names && i < count; i++)
		aims__free(names[i]);
	aims__free(names);
}

static int add_link(aims_doc_front_matter *fm, const char *s, size_t n)
{
	char **l = aims__realloc(fm->links, (fm->nlinks + 1) * sizeof(*l));
	if (!l)
		return aims__oom();
	fm->links = l;
	if (!(l[fm->nlinks] = aims__strndup(s, n)))
		return aims__oom();
	fm->nlinks++;
	return 0;
}

int aims_doc_front_matter_parse(aims_doc_front_matter *out, const char *text, size_t len,
				const char *name)
{
	size_t pos = 0;
	int line = 1, err;

	memset(out, 0, sizeof(*out));
	if (len < 4 || memcmp(text, "---\n", 4) != 0)
		return aims__err(AIMS_EINVALID, "'%s' line 1: a template starts with a '---' line", name);
	pos = 4;
	for (;;) {
		line++;
		if (pos >= len) {
			err = aims__err(AIMS_EINVALID, "'%s' line %d: front matter not closed by '---'", name, line);
			goto fail;
		}
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *l = text + pos;
		size_t ll = end - pos;
		pos = nl ? end + 1 : len;
		if (ll == 3 && memcmp(l, "---", 3) == 0)
			break;
		const char *colon = memchr(l, ':', ll);
		if (!colon || memchr(l, '\0', ll)) {
			err = aims__err(AIMS_EINVALID, "'%s' line %d: expected 'key: value'", name, line);
			goto fail;
		}
		size_t kl = (size_t)(colon - l);
		const char *v = colon + 1;
		size_t vl = ll - kl - 1;
		while (vl && (*v == ' ' || *v == '\t')) {
			v++;
			vl--;
		}
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
			vl--;
		if (kl == 4 && memcmp(l, "type", 4) == 0 && !out->type) {
			if (!(out->type = aims__strndup(v, vl))) {
				err = aims__oom();
				goto fail;
			}
		} else if (kl == 5 && memcmp(l, "title", 5) == 0 && !out->title) {
			if (!(out->title = aims__strndup(v, vl))) {
				err = aims__oom();
				goto fail;
			}
		} else if (kl == 13 && memcmp(l, "review-months", 13) == 0) {
			int m = 0;
			if (vl == 0 || vl > 3) {
				err = aims__err(AIMS_EINVALID, "'%s' line %d: review-months: expected 1 to 120", name, line);
				goto fail;
			}
			for (size_t i = 0; i < vl; i++) {
				if (v[i] < '0' || v[i] > '9') {
					m = -1;
					break;
				}
				m = m * 10 + (v[i] - '0');
			}
			if (m < 1 || m > 120) {
				err = aims__err(AIMS_EINVALID, "'%s' line %d: review-months: expected 1 to 120", name, line);
				goto fail;
			}
			out->review_months = m;
		} else if (kl == 5 && memcmp(l, "links", 5) == 0) {
			size_t i = 0;
			while (i < vl) {
				while (i < vl && v[i] == ' ')
					i++;
				size_t s = i;
				while (i < vl && v[i] != ' ')
					i++;
				if (i > s && (err = add_link(out, v + s, i - s)) < 0)
					goto fail;
			}
		} else {
			err = aims__err(AIMS_EINVALID, "'%s' line %d: unknown or repeated key '%.*s'", name, line,
					(int)(kl > 40 ? 40 : kl), l);
			goto fail;
		}
	}
	out->body_offset = pos;
	return 0;
fail:
	aims_doc_front_matter_release(out);
	return err;
}
