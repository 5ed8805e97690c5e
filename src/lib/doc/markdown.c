/*
 * A safe Markdown subset to HTML, for controlled documents: ATX headings,
 * paragraphs, unordered and ordered lists, **strong**, *emphasis*, `code`,
 * fenced code blocks and pipe tables. Every character of the input reaches
 * the output escaped; raw HTML, links and images are shown as text, so a
 * document cannot inject markup or load anything.
 */
#include <string.h>

#include "aims/report.h"
#include "core/core.h"
#include "doc_internal.h"

static int esc_n(aims_buf *out, const char *s, size_t n)
{
	int err = 0;
	for (size_t i = 0; i < n && err == 0; i++) {
		switch (s[i]) {
		case '&': err = aims_buf_puts(out, "&amp;"); break;
		case '<': err = aims_buf_puts(out, "&lt;"); break;
		case '>': err = aims_buf_puts(out, "&gt;"); break;
		case '"': err = aims_buf_puts(out, "&quot;"); break;
		case '\'': err = aims_buf_puts(out, "&#39;"); break;
		case '\r': break;
		default: err = aims_buf_putc(out, s[i]); break;
		}
	}
	return err;
}

static const char *find_n(const char *s, size_t n, const char *pat)
{
	size_t pl = strlen(pat);
	for (size_t i = 0; i + pl <= n; i++)
		if (memcmp(s + i, pat, pl) == 0)
			return s + i;
	return NULL;
}

/* inline: `code`, **strong**, *em*; unmatched markers are text */
static int inline_md(aims_buf *out, const char *s, size_t n, int depth)
{
	int err = 0;
	size_t i = 0;
	while (i < n && err == 0) {
		if (s[i] == '`') {
			const char *e = memchr(s + i + 1, '`', n - i - 1);
			if (e) {
				if ((err = aims_buf_puts(out, "<code>")) < 0 ||
				    (err = esc_n(out, s + i + 1, (size_t)(e - s - i - 1))) < 0 ||
				    (err = aims_buf_puts(out, "</code>")) < 0)
					return err;
				i = (size_t)(e - s) + 1;
				continue;
			}
		} else if (depth < 4 && s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
			const char *e = find_n(s + i + 2, n - i - 2, "**");
			if (e && e > s + i + 2) {
				if ((err = aims_buf_puts(out, "<strong>")) < 0 ||
				    (err = inline_md(out, s + i + 2, (size_t)(e - s - i - 2), depth + 1)) < 0 ||
				    (err = aims_buf_puts(out, "</strong>")) < 0)
					return err;
				i = (size_t)(e - s) + 2;
				continue;
			}
		} else if (depth < 4 && (s[i] == '*' || s[i] == '_') && i + 1 < n && s[i + 1] != ' ' &&
			   (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(')) {
			const char *e = memchr(s + i + 1, s[i], n - i - 1);
			if (e && e > s + i + 1 && e[-1] != ' ') {
				if ((err = aims_buf_puts(out, "<em>")) < 0 ||
				    (err = inline_md(out, s + i + 1, (size_t)(e - s - i - 1), depth + 1)) < 0 ||
				    (err = aims_buf_puts(out, "</em>")) < 0)
					return err;
				i = (size_t)(e - s) + 1;
				continue;
			}
		}
		err = esc_n(out, s + i, 1);
		i++;
	}
	return err;
}

typedef struct {
	const char *p;
	size_t len;
} mline;

static int is_blank(const mline *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->p[i] != ' ' && l->p[i] != '\t' && l->p[i] != '\r')
			return 0;
	return 1;
}

static size_t indent(const mline *l)
{
	size_t i = 0;
	while (i < l->len && l->p[i] == ' ')
		i++;
	return i;
}

/* "- x", "* x", "+ x" -> 1; "12. x" -> 2; else 0; *skip = where the text starts */
static int list_item(const mline *l, size_t *skip)
{
	size_t i = indent(l);
	if (i + 1 < l->len && (l->p[i] == '-' || l->p[i] == '*' || l->p[i] == '+') && l->p[i + 1] == ' ') {
		*skip = i + 2;
		return 1;
	}
	size_t d = i;
	while (d < l->len && d - i < 9 && l->p[d] >= '0' && l->p[d] <= '9')
		d++;
	if (d > i && d + 1 < l->len && (l->p[d] == '.' || l->p[d] == ')') && l->p[d + 1] == ' ') {
		*skip = d + 2;
		return 2;
	}
	return 0;
}

static int is_table_row(const mline *l)
{
	size_t i = indent(l);
	return i < l->len && l->p[i] == '|';
}

static int is_table_sep(const mline *l)
{
	if (!is_table_row(l))
		return 0;
	for (size_t i = 0; i < l->len; i++)
		if (!strchr("|-: \t\r", l->p[i]))
			return 0;
	return 1;
}

static int table_row(aims_buf *out, const mline *l, const char *cell)
{
	const char *s = l->p + indent(l) + 1, *end = l->p + l->len;
	int err;
	while (end > s && (end[-1] == ' ' || end[-1] == '\r' || end[-1] == '\t'))
		end--;
	if (end > s && end[-1] == '|')
		end--;
	if ((err = aims_buf_puts(out, "<tr>")) < 0)
		return err;
	for (;;) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		const char *ce = bar ? bar : end, *cs = s;
		while (cs < ce && *cs == ' ')
			cs++;
		while (ce > cs && ce[-1] == ' ')
			ce--;
		if ((err = aims_buf_printf(out, "<%s>", cell)) < 0 || (err = inline_md(out, cs, (size_t)(ce - cs), 0)) < 0 ||
		    (err = aims_buf_printf(out, "</%s>", cell)) < 0)
			return err;
		if (!bar)
			break;
		s = bar + 1;
	}
	return aims_buf_puts(out, "</tr>\n");
}

int aims_doc_markdown_html(aims_buf *out, const char *md)
{
	mline *lines = NULL;
	size_t n = 0, cap = 1;
	int err = 0;

	for (const char *p = md; *p; p++)
		cap += *p == '\n';
	if (!(lines = aims__calloc(cap, sizeof(*lines))))
		return aims__oom();
	for (const char *s = md; *s;) {
		const char *nl = strchr(s, '\n');
		size_t l = nl ? (size_t)(nl - s) : strlen(s);
		lines[n].p = s;
		lines[n].len = l;
		n++;
		s += l + (nl ? 1 : 0);
	}
	size_t i = 0;
	while (i < n && err == 0) {
		const mline *l = &lines[i];
		size_t ind = indent(l), skip = 0;
		int kind;
		if (is_blank(l)) {
			i++;
		} else if (l->len - ind >= 3 && memcmp(l->p + ind, "```", 3) == 0) {
			/* fenced code: everything up to the closing fence, verbatim */
			if ((err = aims_buf_puts(out, "<pre><code>")) < 0)
				break;
			for (i++; i < n && err == 0; i++) {
				size_t li = indent(&lines[i]);
				if (lines[i].len - li >= 3 && memcmp(lines[i].p + li, "```", 3) == 0) {
					i++;
					break;
				}
				if ((err = esc_n(out, lines[i].p, lines[i].len)) == 0)
					err = aims_buf_putc(out, '\n');
			}
			if (err == 0)
				err = aims_buf_puts(out, "</code></pre>\n");
		} else if (l->p[ind] == '#') {
			size_t h = 0;
			while (ind + h < l->len && l->p[ind + h] == '#' && h < 7)
				h++;
			if (h <= 6 && (ind + h == l->len || l->p[ind + h] == ' ')) {
				size_t s = ind + h;
				while (s < l->len && l->p[s] == ' ')
					s++;
				size_t e = l->len;
				while (e > s && (l->p[e - 1] == ' ' || l->p[e - 1] == '#' || l->p[e - 1] == '\r'))
					e--;
				/* the page title is the h1: document headings start one level down */
				int lvl = (int)h + 1 > 6 ? 6 : (int)h + 1;
				if ((err = aims_buf_printf(out, "<h%d>", lvl)) == 0 &&
				    (err = inline_md(out, l->p + s, e - s, 0)) == 0)
					err = aims_buf_printf(out, "</h%d>\n", lvl);
				i++;
			} else {
				goto paragraph;
			}
		} else if (is_table_row(l) && i + 1 < n && is_table_sep(&lines[i + 1])) {
			if ((err = aims_buf_puts(out, "<table><thead>")) < 0 || (err = table_row(out, l, "th")) < 0 ||
			    (err = aims_buf_puts(out, "</thead><tbody>\n")) < 0)
				break;
			for (i += 2; i < n && is_table_row(&lines[i]) && err == 0; i++)
				err = table_row(out, &lines[i], "td");
			if (err == 0)
				err = aims_buf_puts(out, "</tbody></table>\n");
		} else if ((kind = list_item(l, &skip)) != 0) {
			const char *tag = kind == 1 ? "ul" : "ol";
			if ((err = aims_buf_printf(out, "<%s>\n", tag)) < 0)
				break;
			while (i < n && err == 0 && list_item(&lines[i], &skip) == kind) {
				if ((err = aims_buf_puts(out, "<li>")) < 0 ||
				    (err = inline_md(out, lines[i].p + skip, lines[i].len - skip, 0)) < 0)
					break;
				/* continuation lines: indented, not blank, not a new item */
				for (i++; i < n && !is_blank(&lines[i]) && indent(&lines[i]) >= 2 &&
					  !list_item(&lines[i], &skip) && err == 0; i++) {
					size_t ci = indent(&lines[i]);
					if ((err = aims_buf_putc(out, ' ')) == 0)
						err = inline_md(out, lines[i].p + ci, lines[i].len - ci, 0);
				}
				if (err == 0)
					err = aims_buf_puts(out, "</li>\n");
			}
			if (err == 0)
				err = aims_buf_printf(out, "</%s>\n", tag);
		} else {
paragraph:
			if ((err = aims_buf_puts(out, "<p>")) < 0)
				break;
			size_t first = i;
			for (; i < n && !is_blank(&lines[i]) && err == 0; i++) {
				const mline *c = &lines[i];
				size_t ci = indent(c);
				if (i > first && (c->p[ci] == '#' || list_item(c, &skip) ||
						  (c->len - ci >= 3 && memcmp(c->p + ci, "```", 3) == 0) ||
						  (is_table_row(c) && i + 1 < n && is_table_sep(&lines[i + 1]))))
					break;
				if (i > first)
					err = aims_buf_putc(out, '\n');
				if (err == 0)
					err = inline_md(out, c->p + ci, c->len - ci, 0);
			}
			if (err == 0)
				err = aims_buf_puts(out, "</p>\n");
		}
	}
	aims__free(lines);
	return err;
}
