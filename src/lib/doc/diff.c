/*
 * A small unified line diff: longest common subsequence over the lines that
 * differ once the common head and tail are cut off, printed as hunks with
 * three lines of context, in the format of `diff -u`.
 */
#include <stdint.h>
#include <string.h>

#include "core/core.h"
#include "doc_internal.h"

#define CONTEXT 3
/* the LCS table is (n+1)*(m+1) cells; refuse inputs that would make it huge */
#define MAX_CELLS ((size_t)1 << 24)

typedef struct {
	const char *p;
	size_t len;
} line;

static int split(line **out, size_t *n, const char *s)
{
	size_t cap = 1, k = 0;
	for (const char *p = s; *p; p++)
		cap += *p == '\n';
	line *v = aims__calloc(cap, sizeof(*v));
	if (!v)
		return aims__oom();
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t l = nl ? (size_t)(nl - s) : strlen(s);
		v[k].p = s;
		v[k].len = l;
		k++;
		s += l + (nl ? 1 : 0);
	}
	*out = v;
	*n = k;
	return 0;
}

static int eq(const line *a, const line *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* one edit script entry: ' ' keep, '-' delete (index in a), '+' insert (index in b) */
typedef struct {
	char op;
	size_t ai, bi;
} edit;

static int put_line(aims_buf *out, char op, const line *l)
{
	int err;
	if ((err = aims_buf_putc(out, op)) < 0 || (err = aims_buf_put(out, l->p, l->len)) < 0)
		return err;
	return aims_buf_putc(out, '\n');
}

int aims_doc_diff_text(aims_buf *out, const char *a_name, const char *a, const char *b_name, const char *b)
{
	line *la = NULL, *lb = NULL;
	size_t na = 0, nb = 0;
	uint32_t *t = NULL;
	edit *ed = NULL;
	size_t ne = 0;
	int err;

	if ((err = split(&la, &na, a)) < 0 || (err = split(&lb, &nb, b)) < 0)
		goto done;
	size_t pre = 0, suf = 0;
	while (pre < na && pre < nb && eq(&la[pre], &lb[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && eq(&la[na - 1 - suf], &lb[nb - 1 - suf]))
		suf++;
	size_t n = na - pre - suf, m = nb - pre - suf;
	if ((n + 1) > MAX_CELLS / (m + 1)) {
		err = aims__err(AIMS_EINVALID, "the versions differ in too many lines to compare (%zu and %zu)", n, m);
		goto done;
	}
	if (!(t = aims__calloc((n + 1) * (m + 1), sizeof(*t))) ||
	    !(ed = aims__calloc(na + nb + 1, sizeof(*ed)))) {
		err = aims__oom();
		goto done;
	}
	/* t[i][j] = LCS length of a[pre+i..] and b[pre+j..] within the middle part */
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;) {
			uint32_t *c = &t[i * (m + 1) + j];
			if (eq(&la[pre + i], &lb[pre + j]))
				*c = t[(i + 1) * (m + 1) + j + 1] + 1;
			else {
				uint32_t down = t[(i + 1) * (m + 1) + j], right = t[i * (m + 1) + j + 1];
				*c = down >= right ? down : right;
			}
		}
	for (size_t i = 0; i < pre; i++)
		ed[ne++] = (edit){ ' ', i, i };
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && eq(&la[pre + i], &lb[pre + j])) {
			ed[ne++] = (edit){ ' ', pre + i, pre + j };
			i++;
			j++;
		} else if (i < n && (j == m || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1])) {
			ed[ne++] = (edit){ '-', pre + i, pre + j };   /* deletions before insertions, as diff -u */
			i++;
		} else {
			ed[ne++] = (edit){ '+', pre + i, pre + j };
			j++;
		}
	}
	for (size_t k = 0; k < suf; k++)
		ed[ne++] = (edit){ ' ', na - suf + k, nb - suf + k };

	if ((err = aims_buf_printf(out, "--- %s\n+++ %s\n", a_name, b_name)) < 0)
		goto done;
	/* hunks: runs of changes joined when less than 2*CONTEXT equal lines apart */
	size_t k = 0;
	while (k < ne) {
		while (k < ne && ed[k].op == ' ')
			k++;
		if (k == ne)
			break;
		size_t start = k >= CONTEXT ? k - CONTEXT : 0, end = k;
		for (;;) {
			while (end < ne && ed[end].op != ' ')
				end++;
			size_t same = 0;
			while (end + same < ne && ed[end + same].op == ' ')
				same++;
			if (end + same < ne && same <= 2 * CONTEXT) {
				end += same;
				continue;
			}
			end += same < CONTEXT ? same : CONTEXT;
			break;
		}
		size_t a0 = ed[start].ai, b0 = ed[start].bi, ac = 0, bc = 0;
		for (size_t x = start; x < end; x++) {
			ac += ed[x].op != '+';
			bc += ed[x].op != '-';
		}
		if ((err = aims_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? a0 + 1 : a0, ac,
					   bc ? b0 + 1 : b0, bc)) < 0)
			goto done;
		for (size_t x = start; x < end; x++) {
			const line *l = ed[x].op == '+' ? &lb[ed[x].bi] : &la[ed[x].ai];
			if ((err = put_line(out, ed[x].op, l)) < 0)
				goto done;
		}
		k = end;
	}
	err = 0;
done:
	aims__free(la);
	aims__free(lb);
	aims__free(t);
	aims__free(ed);
	return err;
}
