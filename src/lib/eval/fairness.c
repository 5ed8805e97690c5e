/*
 * Group fairness of a binary classifier, and the one pass over the rows
 * that feeds it and the performance figures (aims_eval_binary).
 *
 * Per group of each sensitive column (and of their intersection when
 * there are several): confusion counts and the rates derived from them;
 * between-groups aggregates as Fairlearn names them (difference = largest
 * minus smallest group value, ratio = smallest / largest; equalized odds
 * takes the worse of TPR and FPR); the disparate impact of each group
 * (its selection rate over the reference group's) with the four-fifths
 * band of the US Uniform Guidelines (29 CFR 1607.4(D)) read both ways as
 * Aequitas does (0.8 <= ratio <= 1.25); and a small-group flag. Definitions
 * and the rules for undefined figures: docs/evaluation.md.
 */
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "pass_internal.h"

#define MAX_GROUP_VALUES 10000

/* ---- groups of one sensitive column (or of the intersection) ---- */

typedef struct {
	char *key;          /* the value, or for the intersection the member indexes (uint32 each) */
	size_t klen;
	char *name;         /* printable: the value, or the values joined with " & " */
	uint64_t hash;
	aims__conf c;
} group;

typedef struct {
	group *g;
	size_t count, cap;
	size_t *tab;        /* index + 1; 0 = empty */
	size_t tcap;
} gmap;

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/*
 * Text from the data for the JSON result: jansson refuses strings that are
 * not UTF-8 (and would silently drop the member), so a byte sequence that
 * is not well-formed UTF-8 becomes U+FFFD. Free with aims__free().
 */
static char *utf8_clean(const char *s)
{
	aims_buf b = AIMS_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = 0;
		unsigned c = *p;
		if (c < 0x80)
			n = 1;
		else if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80) {
				n = 0;   /* also stops at the terminating NUL */
				break;
			}
		/* overlong three- and four-byte forms, surrogates, above U+10FFFF */
		if ((n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))) ||
		    (n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))))
			n = 0;
		if (n == 0) {
			if (aims_buf_puts(&b, "\xEF\xBF\xBD") < 0)
				goto oom;
			p++;
		} else {
			if (aims_buf_put(&b, p, n) < 0)
				goto oom;
			p += n;
		}
	}
	return aims_buf_detach(&b, NULL);
oom:
	aims_buf_release(&b);
	return NULL;
}

/* a JSON string of text from the data or the command line (see utf8_clean) */
static json_t *jtext(const char *s)
{
	json_t *j;
	char *c;
	if (!s)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if (!(c = utf8_clean(s)))
		return NULL;
	j = json_string(c);
	aims__free(c);
	return j;
}

/* obj[key] = v, with the key cleaned as jtext does */
static void set_text_key(json_t *obj, const char *key, json_t *v)
{
	char *c = utf8_clean(key);
	if (c)
		json_object_set_new(obj, c, v);
	else
		json_decref(v);
	aims__free(c);
}

static void gmap_release(gmap *m)
{
	for (size_t i = 0; i < m->count; i++) {
		aims__free(m->g[i].key);
		aims__free(m->g[i].name);
	}
	aims__free(m->g);
	aims__free(m->tab);
	memset(m, 0, sizeof(*m));
}

/* memcmp(a, b, n) == 0 without a call for the short keys groups have */
static int same(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Index of the group with this key, added when new; *idx. */
static int gmap_get(size_t *idx, gmap *m, const char *key, size_t klen, const char *what)
{
	uint64_t h = fnv(key, klen);
	if (m->tcap) {
		for (size_t s = h & (m->tcap - 1);; s = (s + 1) & (m->tcap - 1)) {
			size_t v = m->tab[s];
			if (!v)
				break;
			const group *g = &m->g[v - 1];
			if (g->hash == h && g->klen == klen && same(g->key, key, klen)) {
				*idx = v - 1;
				return 0;
			}
		}
	}
	if (m->count >= MAX_GROUP_VALUES)
		return aims__err(AIMS_EINVALID, "sensitive column '%s': more than %d distinct values "
				 "(a continuous attribute? bin it into groups first)", what, MAX_GROUP_VALUES);
	if (aims__grow(&m->g, &m->cap, m->count + 1, sizeof(*m->g)) < 0)
		return AIMS_ENOMEM;
	group *g = &m->g[m->count];
	memset(g, 0, sizeof(*g));
	if (!(g->key = aims__malloc(klen + 1)))
		return aims__oom();
	memcpy(g->key, key, klen);
	g->key[klen] = '\0';
	g->klen = klen;
	g->hash = h;
	m->count++;
	if (m->count * 2 > m->tcap) {
		size_t ncap = m->tcap ? m->tcap * 2 : 64;
		size_t *t = aims__calloc(ncap, sizeof(*t));
		if (!t) {
			m->count--;
			aims__free(g->key);
			return aims__oom();
		}
		for (size_t i = 0; i < m->count; i++) {
			size_t s = m->g[i].hash & (ncap - 1);
			while (t[s])
				s = (s + 1) & (ncap - 1);
			t[s] = i + 1;
		}
		aims__free(m->tab);
		m->tab = t;
		m->tcap = ncap;
	} else {
		size_t s = h & (m->tcap - 1);
		while (m->tab[s])
			s = (s + 1) & (m->tcap - 1);
		m->tab[s] = m->count;
	}
	*idx = m->count - 1;
	return 0;
}

/* ---- the pass: an accumulator one or several readers feed (pass_internal.h) ---- */

/* missing-value counters: label, pred, score, then the sensitive columns */
#define MISS_LABEL 0
#define MISS_PRED 1
#define MISS_SCORE 2
#define MISS_GROUP 3

struct aims__bin {
	const aims_eval_options *o;
	int fairness;
	int c_label, c_pred, c_score, c_group[AIMS_EVAL_MAX_GROUPS];  /* of the bound reader; -1 = absent */
	size_t ng;
	size_t ncols_bound;                     /* the reader's columns at bind (NDJSON adds columns) */
	gmap maps[AIMS_EVAL_MAX_GROUPS + 1];   /* one per column, then the intersection */
	/*
	 * Caches in front of the maps (sensitive columns have few values):
	 * per column, a slot chosen by length, first and last byte remembers a
	 * group (index + 1), checked by comparing the bytes; for two columns
	 * with fewer than 256 groups each, a direct table of the intersection.
	 */
	uint32_t cache[AIMS_EVAL_MAX_GROUPS][256];
	uint32_t *pairs;
	aims__perf perf;
	/*
	 * used: rows with a label, a prediction (and a score when asked):
	 * performance counts them all; gskipped of them lack a sensitive value
	 * and are left out of fairness only (when both are computed in one pass,
	 * performance is that of every usable row, as aims eval performance
	 * gives it). skipped: rows without label, prediction or score.
	 */
	uint64_t used, skipped, gskipped;
	uint64_t missing[MISS_GROUP + AIMS_EVAL_MAX_GROUPS];
};

typedef aims__bin pass;

static int group_of(size_t *idx, pass *ps, size_t k, const char *v, size_t n)
{
	unsigned slot = (unsigned)(n * 31 + (unsigned char)v[0] * 7 + (unsigned char)v[n - 1]) & 255;
	uint32_t c = ps->cache[k][slot];
	if (c) {
		const group *g = &ps->maps[k].g[c - 1];
		if (g->klen == n && same(g->key, v, n)) {
			*idx = c - 1;
			return 0;
		}
	}
	int err = gmap_get(idx, &ps->maps[k], v, n, ps->o->groups[k]);
	if (err == 0)
		ps->cache[k][slot] = (uint32_t)*idx + 1;
	return err;
}

static int intersection_of(size_t *idx, pass *ps, const size_t *gi)
{
	uint32_t tuple[AIMS_EVAL_MAX_GROUPS] = { 0 };
	int direct = ps->ng == 2 && gi[0] < 256 && gi[1] < 256, err;
	if (direct) {
		if (!ps->pairs && !(ps->pairs = aims__calloc((size_t)256 * 256, sizeof(*ps->pairs))))
			return aims__oom();
		uint32_t c = ps->pairs[gi[0] * 256 + gi[1]];
		if (c) {
			*idx = c - 1;
			return 0;
		}
	}
	for (size_t k = 0; k < ps->ng; k++)
		tuple[k] = (uint32_t)gi[k];
	if ((err = gmap_get(idx, &ps->maps[ps->ng], (const char *)tuple, ps->ng * sizeof(uint32_t),
			    "intersection")) < 0)
		return err;
	if (direct)
		ps->pairs[gi[0] * 256 + gi[1]] = (uint32_t)*idx + 1;
	return 0;
}

static int is_positive(const char *v, size_t n, const char *pos, size_t plen)
{
	if (pos)
		return n == plen && memcmp(v, pos, n) == 0;
	return (n == 1 && v[0] == '1') || (n == 4 && memcmp(v, "true", 4) == 0);
}

static int resolve(int *col, aims_rows *rows, const char *name, const char *flag, int required)
{
	if (!name || !*name)
		return aims__err(AIMS_EUSAGE, "%s: a column name is required", flag);
	*col = aims_rows_col(rows, name);
	if (*col < 0 && !required) {
		aims_error_clear();
		*col = -1;
		return 0;
	}
	return *col < 0 ? *col : 0;
}

int aims__bin_new(aims__bin **out, const aims_eval_options *o, int fairness)
{
	aims__bin *b;
	int err;
	*out = NULL;
	if (!o || o->version != AIMS_EVAL_OPTIONS_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_eval_binary: bad arguments");
	if (fairness && o->ngroups == 0)
		return aims__err(AIMS_EUSAGE, "fairness needs at least one sensitive column (--group)");
	if (o->ngroups > AIMS_EVAL_MAX_GROUPS)
		return aims__err(AIMS_EUSAGE, "at most %d sensitive columns (--group)", AIMS_EVAL_MAX_GROUPS);
	if (o->pos_label && !*o->pos_label)
		return aims__err(AIMS_EUSAGE, "--pos-label: the positive value must not be empty");
	for (size_t k = 0; fairness && k < o->ngroups; k++)
		for (size_t q = 0; q < k; q++)
			if (o->groups[q] && o->groups[k] && strcmp(o->groups[q], o->groups[k]) == 0)
				return aims__err(AIMS_EUSAGE, "--group '%s' given twice", o->groups[k]);
	if (!(b = aims__calloc(1, sizeof(*b))))
		return aims__oom();
	b->o = o;
	b->fairness = fairness;
	b->ng = fairness ? o->ngroups : 0;
	b->c_score = -1;
	if ((err = aims__perf_init(&b->perf, o->score != NULL)) < 0) {
		aims__free(b);
		return err;
	}
	*out = b;
	return 0;
}

void aims__bin_free(aims__bin *b)
{
	if (!b)
		return;
	for (size_t k = 0; k <= AIMS_EVAL_MAX_GROUPS; k++)
		gmap_release(&b->maps[k]);
	aims__free(b->pairs);
	aims__perf_release(&b->perf);
	aims__free(b);
}

uint64_t aims__bin_used(const aims__bin *b)
{
	return b->used;
}

int aims__bin_bind(aims__bin *b, aims_rows *rows, int first)
{
	const aims_eval_options *o = b->o;
	int err;
	b->c_score = -1;
	if ((err = resolve(&b->c_label, rows, o->label, "--label", first)) < 0 ||
	    (err = resolve(&b->c_pred, rows, o->pred, "--pred", first)) < 0 ||
	    (o->score && (err = resolve(&b->c_score, rows, o->score, "--score", first)) < 0))
		return err;
	for (size_t k = 0; k < b->ng; k++)
		if ((err = resolve(&b->c_group[k], rows, o->groups[k], "--group", first)) < 0)
			return err;
	b->ncols_bound = aims_rows_ncols(rows);
	return 0;
}

/* a later NDJSON record added columns: find the ones this reader lacked */
static void rebind(aims__bin *b, aims_rows *rows)
{
	const aims_eval_options *o = b->o;
	if (b->c_label < 0)
		(void)resolve(&b->c_label, rows, o->label, "--label", 0);
	if (b->c_pred < 0)
		(void)resolve(&b->c_pred, rows, o->pred, "--pred", 0);
	if (o->score && b->c_score < 0)
		(void)resolve(&b->c_score, rows, o->score, "--score", 0);
	for (size_t k = 0; k < b->ng; k++)
		if (b->c_group[k] < 0)
			(void)resolve(&b->c_group[k], rows, o->groups[k], "--group", 0);
	b->ncols_bound = aims_rows_ncols(rows);
}

static const char *field(const char *const *f, int c)
{
	return c >= 0 ? f[c] : NULL;
}

int aims__bin_row(aims__bin *ps, aims_rows *rows, const char *const *f, const size_t *l)
{
	const aims_eval_options *o = ps->o;
	const char *pos = o->pos_label;
	size_t plen = pos ? strlen(pos) : 0;
	size_t gi[AIMS_EVAL_MAX_GROUPS] = { 0 };
	int err;

	if (aims_rows_ncols(rows) != ps->ncols_bound)
		rebind(ps, rows);
	const char *lv = field(f, ps->c_label), *pv = field(f, ps->c_pred);
	const char *sv = o->score ? field(f, ps->c_score) : NULL;
	ps->missing[MISS_LABEL] += !lv;
	ps->missing[MISS_PRED] += !pv;
	if (o->score)
		ps->missing[MISS_SCORE] += !sv;
	int missing = !lv || !pv || (o->score && !sv);
	int gmissing = 0;
	for (size_t k = 0; k < ps->ng; k++) {
		const char *v = field(f, ps->c_group[k]);
		if (!v) {
			ps->missing[MISS_GROUP + k]++;
			gmissing = 1;
			continue;
		}
		if ((err = group_of(&gi[k], ps, k, v, l[ps->c_group[k]])) < 0)
			return err;
	}
	if (missing || gmissing)
		aims_rows_skip(rows);
	if (missing) {
		ps->skipped++;
		return 0;
	}
	int y = is_positive(lv, l[ps->c_label], pos, plen);
	int yhat = is_positive(pv, l[ps->c_pred], pos, plen);
	double score = 0;
	if (o->score && (aims__parse_score(&score, sv, l[ps->c_score]) < 0 || score < 0 || score > 1))
		return aims__err(AIMS_EINVALID, "'%s' line %llu: column '%s': '%.40s' is not a score "
				 "(a number from 0 to 1)", aims_rows_name(rows),
				 (unsigned long long)aims_rows_line(rows), o->score, sv);
	if ((err = aims__perf_add(&ps->perf, y, yhat, score)) < 0)
		return err;
	ps->used++;
	if (gmissing) {
		ps->gskipped++;
		return 0;
	}
	for (size_t k = 0; k < ps->ng; k++)
		aims__conf_add(&ps->maps[k].g[gi[k]].c, y, yhat);
	if (ps->ng > 1) {
		size_t ii;
		if ((err = intersection_of(&ii, ps, gi)) < 0)
			return err;
		aims__conf_add(&ps->maps[ps->ng].g[ii].c, y, yhat);
	}
	return 0;
}

static void conf_sum(aims__conf *d, const aims__conf *s)
{
	d->tp += s->tp;
	d->fp += s->fp;
	d->tn += s->tn;
	d->fn += s->fn;
}

int aims__bin_merge(aims__bin *dst, aims__bin *src)
{
	size_t idx, *map[AIMS_EVAL_MAX_GROUPS] = { NULL };
	int err = 0;

	/* groups of each column by value; src index -> dst index for the intersection */
	for (size_t k = 0; k < src->ng && err == 0; k++) {
		if (!(map[k] = aims__calloc(src->maps[k].count + 1, sizeof(size_t)))) {
			err = aims__oom();
			break;
		}
		for (size_t i = 0; i < src->maps[k].count && err == 0; i++) {
			const group *g = &src->maps[k].g[i];
			if ((err = gmap_get(&idx, &dst->maps[k], g->key, g->klen, dst->o->groups[k])) == 0) {
				conf_sum(&dst->maps[k].g[idx].c, &g->c);
				map[k][i] = idx;
			}
		}
	}
	if (err == 0 && src->ng > 1) {
		const gmap *m = &src->maps[src->ng];
		for (size_t i = 0; i < m->count && err == 0; i++) {
			size_t gi[AIMS_EVAL_MAX_GROUPS];
			for (size_t k = 0; k < src->ng; k++) {
				uint32_t v;
				memcpy(&v, m->g[i].key + k * sizeof(uint32_t), sizeof(v));
				gi[k] = map[k][v];
			}
			if ((err = intersection_of(&idx, dst, gi)) == 0)
				conf_sum(&dst->maps[dst->ng].g[idx].c, &m->g[i].c);
		}
	}
	for (size_t k = 0; k < AIMS_EVAL_MAX_GROUPS; k++)
		aims__free(map[k]);
	if (err < 0)
		return err;
	if ((err = aims__perf_merge(&dst->perf, &src->perf)) < 0)
		return err;
	dst->used += src->used;
	dst->skipped += src->skipped;
	dst->gskipped += src->gskipped;
	for (size_t i = 0; i < MISS_GROUP + AIMS_EVAL_MAX_GROUPS; i++)
		dst->missing[i] += src->missing[i];
	src->used = src->skipped = src->gskipped = 0;
	memset(src->missing, 0, sizeof(src->missing));
	return 0;
}

int aims__bin_presort(aims__bin *b)
{
	return aims__perf_presort(&b->perf);
}

/* ---- fairness JSON ---- */

static uint64_t gn(const group *g)
{
	return g->c.tp + g->c.fp + g->c.tn + g->c.fn;
}

static int cmp_name(const void *a, const void *b)
{
	const group *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static double rate(uint64_t num, uint64_t den)
{
	return (double)num / (double)den;
}

enum { R_SEL, R_TPR, R_FPR, R_N };

/* value of rate r for a group, or -1 when undefined */
static double group_rate(const group *g, int r)
{
	const aims__conf *c = &g->c;
	switch (r) {
	case R_SEL:
		return gn(g) ? rate(c->tp + c->fp, gn(g)) : -1;
	case R_TPR:
		return c->tp + c->fn ? rate(c->tp, c->tp + c->fn) : -1;
	default:
		return c->fp + c->tn ? rate(c->fp, c->fp + c->tn) : -1;
	}
}

/*
 * Between-groups difference and ratio of rate r over the groups where it is
 * defined; groups left out are named in `notes`. 0 when defined, -1 not.
 */
static int between(double *diff, double *ratio, int *ratio_ok, group **gs, size_t n, int r, json_t *notes)
{
	static const char *const rname[] = { "selection_rate", "tpr", "fpr" };
	static const char *const why[] = { "no rows", "no positive labels", "no negative labels" };
	double lo = 0, hi = 0;
	size_t k = 0;
	json_t *left = json_array();
	for (size_t i = 0; i < n; i++) {
		double v = group_rate(gs[i], r);
		if (v < 0) {
			json_array_append_new(left, json_string(gs[i]->name));
			continue;
		}
		if (k == 0 || v < lo)
			lo = v;
		if (k == 0 || v > hi)
			hi = v;
		k++;
	}
	if (json_array_size(left) > 0)
		json_array_append_new(notes, json_pack("{sssssO}", "rate", rname[r], "reason", why[r], "groups_left_out",
						       left));
	json_decref(left);
	if (k == 0)
		return -1;
	*diff = hi - lo;
	*ratio_ok = hi > 0;
	*ratio = hi > 0 ? lo / hi : 0;
	return 0;
}

static void set_pair(json_t *o, json_t *undef, const char *dname, const char *rname, int ok, double d,
		     double r, int rok, const char *why)
{
	if (!ok) {
		json_object_set_new(o, dname, json_null());
		json_object_set_new(o, rname, json_null());
		json_object_set_new(undef, dname, json_string(why));
		json_object_set_new(undef, rname, json_string(why));
		return;
	}
	json_object_set_new(o, dname, json_real(d));
	if (rok) {
		json_object_set_new(o, rname, json_real(r));
	} else {
		json_object_set_new(o, rname, json_null());
		json_object_set_new(undef, rname, json_string("the largest group rate is 0 (0/0)"));
	}
}

static json_t *group_json(const group *g, const aims_eval_options *o, unsigned min_n, unsigned min_c,
			  const char *const *cols, size_t ncols, const char *const *vals)
{
	const aims__conf *c = &g->c;
	uint64_t n = gn(g), P = c->tp + c->fn, N = c->fp + c->tn;
	json_t *u = json_object(), *values = json_object();
	(void)o;
	for (size_t k = 0; k < ncols; k++)
		set_text_key(values, cols[k], json_string(vals[k]));
	json_t *j = json_pack("{sssosIsIsIsIsIsIsIsI}", "group", g->name, "values", values, "n", (json_int_t)n,
			      "positives", (json_int_t)P, "negatives", (json_int_t)N, "predicted_positives",
			      (json_int_t)c->tp + (json_int_t)c->fp, "tp", (json_int_t)c->tp, "fp", (json_int_t)c->fp, "tn",
			      (json_int_t)c->tn, "fn", (json_int_t)c->fn);
	const char *empty = "no rows in the group (its rows were skipped for missing values)";
	json_object_set_new(j, "selection_rate", aims__rate(c->tp + c->fp, n, u, "selection_rate", empty));
	json_object_set_new(j, "tpr", aims__rate(c->tp, P, u, "tpr", n ? "no positive labels in the group" : empty));
	json_object_set_new(j, "fpr", aims__rate(c->fp, N, u, "fpr", n ? "no negative labels in the group" : empty));
	json_object_set_new(j, "tnr", aims__rate(c->tn, N, u, "tnr", n ? "no negative labels in the group" : empty));
	json_object_set_new(j, "fnr", aims__rate(c->fn, P, u, "fnr", n ? "no positive labels in the group" : empty));
	json_object_set_new(j, "precision", aims__rate(c->tp, c->tp + c->fp, u, "precision",
							n ? "no positive predictions in the group" : empty));
	json_object_set_new(j, "accuracy", aims__rate(c->tp + c->tn, n, u, "accuracy", empty));
	/* small-group rule */
	char why[160] = "";
	if (n < min_n)
		snprintf(why, sizeof(why), "n = %llu < %u", (unsigned long long)n, min_n);
	else if (P < min_c)
		snprintf(why, sizeof(why), "%llu positive labels < %u", (unsigned long long)P, min_c);
	else if (N < min_c)
		snprintf(why, sizeof(why), "%llu negative labels < %u", (unsigned long long)N, min_c);
	json_object_set_new(j, "small", json_boolean(why[0] != '\0'));
	json_object_set_new(j, "small_reason", why[0] ? json_string(why) : json_null());
	json_object_set_new(j, "undefined", u);
	return j;
}

/* One sensitive column (k < ng) or the intersection (k == ng). */
static int sensitive_json(json_t **out, pass *ps, size_t k, json_t *flags, int *ref_used)
{
	const aims_eval_options *o = ps->o;
	gmap *m = &ps->maps[k];
	unsigned min_n = o->min_group_size ? o->min_group_size : 30;
	unsigned min_c = o->min_class_count ? o->min_class_count : 5;
	group **gs = NULL;
	const char *cols[AIMS_EVAL_MAX_GROUPS], *vals[AIMS_EVAL_MAX_GROUPS];
	size_t ncols = k < ps->ng ? 1 : ps->ng;
	aims_buf name = AIMS_BUF_INIT;
	json_t *j = NULL, *arr, *undef, *notes, *colarr;
	int err = 0;

	/* printable names */
	for (size_t i = 0; i < m->count; i++) {
		group *g = &m->g[i];
		if (k < ps->ng) {
			g->name = utf8_clean(g->key);
		} else {
			/* the member columns' names are made first (k < ng) */
			aims_buf b = AIMS_BUF_INIT;
			for (size_t c = 0; c < ps->ng; c++) {
				uint32_t idx;
				memcpy(&idx, g->key + c * sizeof(uint32_t), sizeof(idx));
				if (aims_buf_printf(&b, "%s%s", c ? " & " : "", ps->maps[c].g[idx].name) < 0)
					break;
			}
			g->name = aims_buf_detach(&b, NULL);
		}
		if (!g->name) {
			err = aims__oom();
			goto done;
		}
	}
	if (!(gs = aims__calloc(m->count + 1, sizeof(group *)))) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < m->count; i++)
		gs[i] = &m->g[i];
	qsort(gs, m->count, sizeof(group *), cmp_name);

	colarr = json_array();
	for (size_t c = 0; c < ncols; c++) {
		char *clean;
		cols[c] = o->groups[k < ps->ng ? k : c];
		json_array_append_new(colarr, jtext(cols[c]));
		if (!(clean = utf8_clean(cols[c])) || aims_buf_printf(&name, "%s%s", c ? " & " : "", clean) < 0) {
			aims__free(clean);
			json_decref(colarr);
			err = aims__oom();
			goto done;
		}
		aims__free(clean);
	}
	j = json_pack("{sssO}", "name", name.ptr, "columns", colarr);
	json_decref(colarr);

	/* reference group: the one given, else the largest (first by name on a tie) */
	const group *ref = NULL;
	const char *ref_rule = "largest group";
	if (o->reference) {
		for (size_t i = 0; i < m->count; i++)
			if (strcmp(gs[i]->name, o->reference) == 0)
				ref = gs[i];
		if (ref) {
			ref_rule = "given";
			*ref_used = 1;
		}
	}
	if (!ref)
		for (size_t i = 0; i < m->count; i++)
			if (!ref || gn(gs[i]) > gn(ref))
				ref = gs[i];
	double ref_sel = ref ? group_rate(ref, R_SEL) : -1;
	json_object_set_new(j, "reference", ref ? json_string(ref->name) : json_null());
	json_object_set_new(j, "reference_rule", json_string(ref_rule));

	arr = json_array();
	json_object_set_new(j, "groups", arr);
	for (size_t i = 0; i < m->count; i++) {
		group *g = gs[i];
		if (k < ps->ng) {
			vals[0] = g->name;
		} else {
			for (size_t c = 0; c < ps->ng; c++) {
				uint32_t idx;
				memcpy(&idx, g->key + c * sizeof(uint32_t), sizeof(idx));
				vals[c] = ps->maps[c].g[idx].name;
			}
		}
		json_t *gj = group_json(g, o, min_n, min_c, cols, ncols, vals);
		json_t *gu = json_object_get(gj, "undefined");
		double sel = group_rate(g, R_SEL);
		if (sel < 0 || ref_sel <= 0) {
			json_object_set_new(gj, "disparate_impact", json_null());
			json_object_set_new(gj, "four_fifths", json_null());
			json_object_set_new(gu, "disparate_impact",
					    json_string(sel < 0 ? "no rows in the group"
							: "the reference group's selection rate is 0"));
		} else {
			double di = sel / ref_sel;
			int ok = di >= 0.8 && di <= 1.25;
			json_object_set_new(gj, "disparate_impact", json_real(di));
			json_object_set_new(gj, "four_fifths", json_boolean(ok));
			if (!ok)
				json_array_append_new(flags, json_sprintf("%s = %s: disparate impact %.4f outside [0.8, 1.25] "
									  "(four-fifths rule) against '%s'",
									  name.ptr, g->name, di, ref->name));
		}
		if (json_is_true(json_object_get(gj, "small")))
			json_array_append_new(flags, json_sprintf("%s = %s: small group (%s)", name.ptr, g->name,
								  json_string_value(json_object_get(gj, "small_reason"))));
		json_array_append_new(arr, gj);
	}

	/* aggregates over the groups that have rows */
	undef = json_object();
	notes = json_array();
	double sd, sr, td, tr, fd, fr;
	int srok = 0, trok = 0, frok = 0;
	int sok = between(&sd, &sr, &srok, gs, m->count, R_SEL, notes) == 0;
	int tok = between(&td, &tr, &trok, gs, m->count, R_TPR, notes) == 0;
	int fok = between(&fd, &fr, &frok, gs, m->count, R_FPR, notes) == 0;
	set_pair(j, undef, "demographic_parity_difference", "demographic_parity_ratio", sok, sd, sr, srok,
		 "no group has rows");
	if (tok && fok) {
		json_object_set_new(j, "equalized_odds_difference", json_real(td > fd ? td : fd));
		if (trok && frok) {
			json_object_set_new(j, "equalized_odds_ratio", json_real(tr < fr ? tr : fr));
		} else {
			json_object_set_new(j, "equalized_odds_ratio", json_null());
			json_object_set_new(undef, "equalized_odds_ratio",
					    json_string("the largest group TPR or FPR is 0 (0/0)"));
		}
	} else {
		const char *why = !tok ? "no group has positive labels" : "no group has negative labels";
		json_object_set_new(j, "equalized_odds_difference", json_null());
		json_object_set_new(j, "equalized_odds_ratio", json_null());
		json_object_set_new(undef, "equalized_odds_difference", json_string(why));
		json_object_set_new(undef, "equalized_odds_ratio", json_string(why));
	}
	set_pair(j, undef, "equal_opportunity_difference", "equal_opportunity_ratio", tok, td, tr, trok,
		 "no group has positive labels");
	json_object_set_new(j, "undefined", undef);
	json_object_set_new(j, "notes", notes);
	*out = j;
	j = NULL;
done:
	json_decref(j);
	aims__free(gs);
	aims_buf_release(&name);
	return err;
}

/* ---- entry point ---- */

/* the input as the result of `fairness` (rows without a sensitive value left out) or of performance sees it */
static json_t *input_json(const aims__bin *ps, const aims__bin_input *in, int fairness)
{
	const aims_eval_options *o = ps->o;
	json_t *miss = json_object();
	uint64_t gs = fairness ? ps->gskipped : 0;
	set_text_key(miss, o->label, json_integer((json_int_t)ps->missing[MISS_LABEL]));
	set_text_key(miss, o->pred, json_integer((json_int_t)ps->missing[MISS_PRED]));
	if (o->score)
		set_text_key(miss, o->score, json_integer((json_int_t)ps->missing[MISS_SCORE]));
	for (size_t k = 0; fairness && k < ps->ng; k++)
		set_text_key(miss, o->groups[k], json_integer((json_int_t)ps->missing[MISS_GROUP + k]));
	uint64_t skipped = ps->skipped + gs + in->rows_pruned, used = ps->used - gs;
	return json_pack("{sosssssIsIsIso}", "name", jtext(in->name), "sha256", in->digest, "format",
			 in->ndjson ? "ndjson" : "csv", "rows_read", (json_int_t)in->rows_read,
			 "rows_skipped", (json_int_t)skipped, "rows_used", (json_int_t)used, "missing", miss);
}

static json_t *params_json(const aims_eval_options *o, int fairness)
{
	json_t *p = json_pack("{sosososo}", "label", jtext(o->label), "pred", jtext(o->pred), "score", jtext(o->score),
			      "pos_label", jtext(o->pos_label ? o->pos_label : "1|true"));
	if (fairness) {
		json_t *g = json_array();
		for (size_t k = 0; k < o->ngroups; k++)
			json_array_append_new(g, jtext(o->groups[k]));
		json_object_set_new(p, "groups", g);
		json_object_set_new(p, "reference", jtext(o->reference));
		json_object_set_new(p, "min_group_size", json_integer(o->min_group_size ? o->min_group_size : 30));
		json_object_set_new(p, "min_class_count", json_integer(o->min_class_count ? o->min_class_count : 5));
	}
	return p;
}

static int dump(char **out, json_t *j)
{
	if (!j)
		return aims__oom();
	*out = json_dumps(j, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(j);
	return *out ? 0 : aims__oom();
}

int aims__bin_json(char **fairness, char **performance, aims__bin *ps, const aims__bin_input *in)
{
	const aims_eval_options *o = ps->o;
	json_t *fj = NULL, *pj = NULL;
	int err = 0;

	if (fairness)
		*fairness = NULL;
	if (performance)
		*performance = NULL;
	if (fairness && !ps->fairness)
		return aims__err(AIMS_EUSAGE, "aims__bin_json: fairness was not accumulated");
	if (ps->used == 0 || (fairness && ps->used == ps->gskipped))
		return aims__err(AIMS_EINVALID, "'%s': no usable rows (%llu read, %llu skipped for missing values)",
				 in->name, (unsigned long long)in->rows_read,
				 (unsigned long long)(ps->skipped + (fairness ? ps->gskipped : 0) + in->rows_pruned));
	if (performance) {
		pj = json_pack("{ssss}", "kind", "performance", "tool", "aims " AIMS_VERSION);
		json_object_set_new(pj, "input", input_json(ps, in, 0));
		json_object_set_new(pj, "params", params_json(o, 0));
		if ((err = aims__perf_json(pj, &ps->perf)) < 0)
			goto done;
	}
	if (fairness) {
		json_t *sens = json_array(), *flags = json_array();
		int ref_used = 0;
		fj = json_pack("{ssss}", "kind", "fairness", "tool", "aims " AIMS_VERSION);
		json_object_set_new(fj, "input", input_json(ps, in, 1));
		json_object_set_new(fj, "params", params_json(o, 1));
		json_object_set_new(fj, "sensitive", sens);
		json_object_set_new(fj, "flags", flags);
		for (size_t k = 0; k < ps->ng + (ps->ng > 1); k++) {
			json_t *sj = NULL;
			if ((err = sensitive_json(&sj, ps, k, flags, &ref_used)) < 0)
				goto done;
			json_array_append_new(sens, sj);
		}
		if (o->reference && !ref_used) {
			err = aims__err(AIMS_EINVALID, "--reference '%s': no such group in %s", o->reference,
					o->ngroups > 1 ? "any sensitive column" : o->groups[0]);
			goto done;
		}
	}
	if (performance && (err = dump(performance, pj)) < 0) {
		pj = NULL;
		goto done;
	}
	pj = NULL;
	if (fairness && (err = dump(fairness, fj)) < 0) {
		fj = NULL;
		goto done;
	}
	fj = NULL;
done:
	if (err < 0 && performance) {
		free(*performance);
		*performance = NULL;
	}
	json_decref(pj);
	json_decref(fj);
	return err;
}

int aims_eval_binary(char **fairness, char **performance, aims_rows *rows, const aims_eval_options *o)
{
	aims__bin *b = NULL;
	aims__bin_input in;
	const char *const *f;
	const size_t *l;
	char digest[72];
	int err, rc;

	if (fairness)
		*fairness = NULL;
	if (performance)
		*performance = NULL;
	if (!o || o->version != AIMS_EVAL_OPTIONS_VERSION || (!fairness && !performance))
		return aims__err(AIMS_EUSAGE, "aims_eval_binary: bad arguments");
	if ((err = aims__bin_new(&b, o, fairness != NULL)) < 0)
		return err;
	if ((err = aims__bin_bind(b, rows, 1)) < 0)
		goto done;
	uint64_t skipped0 = aims_rows_skipped(rows);
	while ((rc = aims_rows_next(rows, &f, &l)) == 1)
		if ((err = aims__bin_row(b, rows, f, l)) < 0)
			goto done;
	if ((err = rc) < 0)
		goto done;
	memset(&in, 0, sizeof(in));
	in.name = aims_rows_name(rows);
	in.ndjson = aims_rows_is_ndjson(rows);
	in.rows_read = aims_rows_read(rows);
	in.rows_pruned = skipped0;
	if (b->used == 0) {
		err = aims__bin_json(fairness, performance, b, &in);
		goto done;
	}
	if ((err = aims_rows_digest(digest, rows)) < 0)
		goto done;
	in.digest = digest;
	err = aims__bin_json(fairness, performance, b, &in);
done:
	aims__bin_free(b);
	return err;
}
