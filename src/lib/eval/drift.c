/*
 * Data drift between a reference and a current data set, column by column
 * (definitions in docs/drift.md). One pass over each input collects, per
 * column and side, the numeric values (kept exactly up to max_exact, then in
 * the quantile sketch of sketch.c) while every value parses as a finite
 * number, and the category counts once a value does not. A column is
 * numeric when every non-missing value of both sides is a number (unless
 * forced); when a side turned out categorical after numbers had been seen,
 * that input is read a second time to count its categories.
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "aims/rows.h"
#include "core/core.h"
#include "drift_internal.h"
#include "eval_internal.h"
#include "pass_internal.h"

#define NHIST 20
/* inputs of at least this many bytes together are read in parallel, one thread each */
#define PARALLEL_BYTES ((uint64_t)4 << 20)
/* numeric columns are computed in two threads from this many values in all */
#define PARALLEL_VALUES 400000
/* rows read before the row count of a file is estimated */
#define ESTIMATE_ROWS 4096

typedef struct {
	char *key;
	size_t len;
	uint64_t hash;
	uint64_t cnt[2];
} cat_entry;

/* open addressing over `cats`; slots hold index + 1, 0 = empty */
typedef struct {
	cat_entry *cats;
	size_t n, cap;
	size_t *slots;
	size_t nslots;
	size_t byte1[256];     /* one-byte keys: index + 1, 0 = not seen */
} cat_table;

typedef struct {
	uint64_t n, missing;
	int numeric_ok;        /* every value so far is a finite number */
	uint64_t nums_seen;    /* numbers seen before the first non-number */
	int cat_from_start;    /* category counts cover every value of this side */
	int cat_on;            /* counting categories now */
	uint64_t bad_line;     /* first non-number */
	char *bad_value;
	/*
	 * The exact values: while every number of the side is a plain decimal
	 * with the same count of decimals (exponent iexp) and an integer part
	 * m <= 2^31 - 1 (imode), the integers m in ivals (half the memory, a
	 * cheaper sort; m * 10^iexp is the value exactly as parsed), else the
	 * doubles in vals. nvals and cap count the array in use.
	 */
	int imode;
	int iexp;
	int32_t *ivals;
	double *vals;
	size_t nvals, cap;
	int sorted;            /* the values are in increasing order (a part sorted by its worker, then merged) */
	aims__sketch *sk;
} side_t;

typedef struct {
	char *name;
	int forced;            /* 0, 'n' or 'c' */
	long idx[2];           /* column index in each input, -1 = not (yet) present */
	side_t s[2];
	/* categories of each side (so the two inputs can be read in parallel);
	 * merged into tab[0] before the figures are computed */
	cat_table tab[2];
	aims_drift_column res;
	char *reason;
	char *note;
	aims__drift_hist hist;
} col_t;

typedef struct {
	char *name;
	char digest[72];
	uint64_t rows;
	int opened;          /* a stream source was opened once: a second read rewinds it */
	off_t start;         /* where the stream started (-1: it cannot be rewound) */
} input_t;

struct aims_drift {
	aims_drift_options opts;
	col_t *cols;
	size_t ncols;
	input_t in[2];
	double share;
	int dataset;
	size_t tested, drifted;
	/* the parallel pass (aims__drift_begin): the reference's source, opened, read later */
	aims_drift_source ref_src;
	aims_rows *ref_rows;
};

/* ---- small helpers ---- */

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* the entry for key v in table t, added with zero counts when new */
static int cat_find(cat_entry **out, cat_table *t, const char *v, size_t len)
{
	uint64_t h;
	size_t i;

	if (len == 1 && t->byte1[(unsigned char)v[0]]) {
		*out = &t->cats[t->byte1[(unsigned char)v[0]] - 1];
		return 0;
	}
	h = fnv1a(v, len);
	if (t->n * 2 >= t->nslots) {
		size_t ns = t->nslots ? t->nslots * 2 : 64;
		size_t *sl = aims__calloc(ns, sizeof(*sl));
		if (!sl)
			return aims__oom();
		for (size_t k = 0; k < t->n; k++) {
			size_t j = (size_t)(t->cats[k].hash & (ns - 1));
			while (sl[j])
				j = (j + 1) & (ns - 1);
			sl[j] = k + 1;
		}
		aims__free(t->slots);
		t->slots = sl;
		t->nslots = ns;
	}
	i = (size_t)(h & (t->nslots - 1));
	while (t->slots[i]) {
		cat_entry *e = &t->cats[t->slots[i] - 1];
		if (e->hash == h && e->len == len && memcmp(e->key, v, len) == 0) {
			*out = e;
			return 0;
		}
		i = (i + 1) & (t->nslots - 1);
	}
	if (aims__grow(&t->cats, &t->cap, t->n + 1, sizeof(*t->cats)) < 0)
		return aims__oom();
	if (!(t->cats[t->n].key = aims__strndup(v, len)))
		return aims__oom();
	t->cats[t->n].len = len;
	t->cats[t->n].hash = h;
	if (len == 1)
		t->byte1[(unsigned char)v[0]] = t->n + 1;
	t->cats[t->n].cnt[0] = t->cats[t->n].cnt[1] = 0;
	t->slots[i] = t->n + 1;
	*out = &t->cats[t->n++];
	return 0;
}

static int cat_count(col_t *c, int side, const char *v, size_t len)
{
	cat_entry *e;
	int err;
	if ((err = cat_find(&e, &c->tab[side], v, len)) < 0)
		return err;
	e->cnt[side]++;
	return 0;
}

static void cat_table_release(cat_table *t)
{
	for (size_t k = 0; k < t->n; k++)
		aims__free(t->cats[k].key);
	aims__free(t->cats);
	aims__free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* the current side's counts into the reference table */
static int cat_merge(col_t *c)
{
	cat_table *t1 = &c->tab[1];
	for (size_t k = 0; k < t1->n; k++) {
		cat_entry *e;
		int err;
		if ((err = cat_find(&e, &c->tab[0], t1->cats[k].key, t1->cats[k].len)) < 0)
			return err;
		e->cnt[1] += t1->cats[k].cnt[1];
	}
	cat_table_release(t1);
	return 0;
}

/* the powers of ten that are exact in a double */
static const double p10[] = { 1e0,  1e1,  1e2,	1e3,  1e4,  1e5,  1e6,	1e7,  1e8,  1e9,  1e10, 1e11,
			      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/*
 * Fast path for plain decimals: the digits as an integer *mant, the power
 * of ten *exp10 and the sign *neg. With at most 19 digits (so the integer
 * cannot overflow), mant <= 2^53 and |exp10| <= 22 (10^exp10 exact in a
 * double), fast_value's single multiplication or division is correctly
 * rounded, so it equals strtod's result (Clinger 1990). 1 = parsed, 0 = not
 * handled (the caller falls back to strtod).
 */
static int parse_fast(uint64_t *mant, int *exp10, int *neg, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *digits0, *dot = NULL;
	uint64_t m = 0;
	int ndigits, e10 = 0;

	*neg = 0;
	if (p < end && (*p == '-' || *p == '+'))
		*neg = *p++ == '-';
	digits0 = p;
	for (; p < end; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';
		if (d < 10)
			m = m * 10 + d; /* wraps when too long: refused below */
		else if (*p == '.' && !dot)
			dot = p;
		else
			break;
	}
	ndigits = (int)(p - digits0) - (dot != NULL);
	if (ndigits <= 0 || ndigits > 19)
		return 0;
	if (dot)
		e10 = -(int)(p - dot - 1);
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0, ev = 0, ed = 0;
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		while (p < end && *p >= '0' && *p <= '9' && ed < 5) {
			ev = ev * 10 + (*p++ - '0');
			ed++;
		}
		if (!ed)
			return 0;
		e10 += eneg ? -ev : ev;
	}
	if (p != end || m > ((uint64_t)1 << 53) || e10 < -22 || e10 > 22)
		return 0;
	*mant = m;
	*exp10 = e10;
	return 1;
}

/* the value of a plain decimal parsed by parse_fast */
static double fast_value(uint64_t m, int e10, int neg)
{
	double x = e10 >= 0 ? (double)m * p10[e10] : (double)m / p10[-e10];
	return neg ? -x : x;
}

/* the value of integer m at exponent e10, as parsed */
static double from_int(int32_t m, int e10)
{
	return fast_value(m < 0 ? (uint64_t)(-(int64_t)m) : (uint64_t)m, e10, m < 0);
}

/*
 * A finite number written the usual way (strtod syntax, surrounding blanks
 * allowed): 2 when it is a plain decimal, *out not set (value = fast_value
 * (*mant, *exp10, *neg)), 1 for other numbers (value in *out), 0 for
 * anything else.
 */
static int parse_num(double *out, uint64_t *mant, int *exp10, int *neg, const char *s, size_t len)
{
	char *end;
	double v;

	if (parse_fast(mant, exp10, neg, s, len))
		return 2;
	/* more digits than the fast path takes (scores written with %.17g): the correctly rounded parser of
	 * performance.c, which gives strtod's double without its cost */
	if (aims__parse_score(out, s, len) == 0)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	/* refuse hex floats and words strtod would take (inf, nan) */
	{
		const char *p = s;
		if (*p == '+' || *p == '-')
			p++;
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return 0;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end == s)
		return 0;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

/* ---- radix sort of doubles (LSD, 4 passes of 16 bits over order-preserving keys) ---- */

static uint64_t dkey(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}

static double dunkey(uint64_t k)
{
	uint64_t u = (k & 0x8000000000000000ULL) ? (k & ~0x8000000000000000ULL) : ~k;
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * Large value arrays: ask for transparent huge pages (where the kernel does
 * them on request), which saves most of the page faults of first touching
 * hundreds of megabytes; a hint only.
 */
static void advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	const size_t huge = (size_t)2 << 20;
	size_t skip = (size_t)((huge - (uintptr_t)p % huge) % huge);
	if (len >= 2 * huge && len - skip >= huge)
		(void)madvise((char *)p + skip, (len - skip) / huge * huge, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/* scratch memory of one computing thread, kept across columns */
typedef struct {
	uint64_t *tmp;         /* the radix sort's other buffer */
	size_t tmpcap;
	double *dv[2];         /* the sorted doubles of an integer side */
	size_t dcap[2];
} sort_scratch;

static int scratch_reserve(uint64_t **p, size_t *cap, size_t n)
{
	if (*cap >= n)
		return 0;
	aims__free(*p);
	*cap = 0;
	if (!(*p = aims__malloc(n * sizeof(**p))))
		return aims__oom();
	advise_huge(*p, n * sizeof(**p));
	*cap = n;
	return 0;
}

/*
 * Sort v in place: LSD radix sort over order-preserving integer keys, with
 * `tmp` as the other buffer. One pass counts the 11-bit digits of every
 * key; a digit is live when the keys do not all share it, and only live
 * digits get a pass. The first pass computes the keys as it reads the
 * doubles and the last one turns them back as it writes (or a final sweep
 * does, when the number of passes is odd). -0.0 and 0.0 compare equal and
 * come out as 0.0. The scratch buffer (*tmp, *tmpcap) is kept across
 * columns (fresh large allocations cost page faults each time). Keys stored
 * in v's memory are legal for allocated memory: each store sets the
 * effective type.
 */
static int sort_doubles(double *v, size_t n, sort_scratch *sc)
{
	enum { BITS = 11, NB = 1 << BITS, PASSES = 6 };
	uint32_t cnt[PASSES][NB];
	int live[PASSES], nlive = 0;
	uint64_t *vk = (uint64_t *)(void *)v, *t, k0;

	if (n < 2048 || n > UINT32_MAX) {
		qsort(v, n, sizeof(*v), cmp_double);
		return 0;
	}
	if (scratch_reserve(&sc->tmp, &sc->tmpcap, n) < 0)
		return aims__oom();
	t = sc->tmp;
	memset(cnt, 0, sizeof(cnt));
	for (size_t i = 0; i < n; i++) {
		uint64_t k = dkey(v[i] == 0 ? 0.0 : v[i]);
		for (int p = 0; p < PASSES; p++)
			cnt[p][(k >> (BITS * p)) & (NB - 1)]++;
	}
	k0 = dkey(v[0] == 0 ? 0.0 : v[0]);
	for (int p = 0; p < PASSES; p++)
		if (cnt[p][(k0 >> (BITS * p)) & (NB - 1)] != n)
			live[nlive++] = p;
	if (nlive == 0) {
		/* every key equal: only zeros of either sign need a rewrite */
		for (size_t i = 0; i < n; i++)
			if (v[i] == 0)
				v[i] = 0.0;
		return 0;
	}
	for (int q = 0; q < nlive; q++) {
		uint32_t *c = cnt[live[q]], sum = 0;
		for (size_t i = 0; i < NB; i++) {
			uint32_t x = c[i];
			c[i] = sum;
			sum += x;
		}
	}
	for (int q = 0; q < nlive; q++) {
		uint32_t *c = cnt[live[q]];
		int sh = BITS * live[q];
		/* passes alternate v -> t -> v ...; the first reads v as doubles */
		uint64_t *src = q % 2 ? t : vk, *dst = q % 2 ? vk : t;
		if (q == 0) {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = dkey(v[i] == 0 ? 0.0 : v[i]);
				t[c[(k >> sh) & (NB - 1)]++] = k;
			}
		} else if (q == nlive - 1 && dst == vk) {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = src[i];
				v[c[(k >> sh) & (NB - 1)]++] = dunkey(k);
			}
			return 0;
		} else {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = src[i];
				dst[c[(k >> sh) & (NB - 1)]++] = k;
			}
		}
	}
	/* an odd number of passes ends in t */
	for (size_t i = 0; i < n; i++)
		v[i] = dunkey(t[i]);
	return 0;
}

/*
 * Sort the integers iv[0..n) of an integer side (LSD radix sort, 11-bit
 * digits, only live ones) and write them as doubles (from_int at exponent
 * e10, an increasing function) to out[0..n). iv is scratch afterwards.
 */
static int sort_ints(double *out, int32_t *iv, size_t n, int e10, sort_scratch *sc)
{
	enum { BITS = 11, NB = 1 << BITS, PASSES = 3 };
	uint32_t cnt[PASSES][NB], *a = (uint32_t *)(void *)iv, *b, k0;
	int live[PASSES], nlive = 0;
	int err;

	if (n < 2) {
		if (n)
			out[0] = from_int(iv[0], e10);
		return 0;
	}
	if (n < 2048 || n > UINT32_MAX) {
		for (size_t i = 0; i < n; i++)
			out[i] = from_int(iv[i], e10);
		qsort(out, n, sizeof(*out), cmp_double);
		return 0;
	}
	if ((err = scratch_reserve(&sc->tmp, &sc->tmpcap, n)) < 0)
		return err;
	b = (uint32_t *)(void *)sc->tmp;
	memset(cnt, 0, sizeof(cnt));
	for (size_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)iv[i] ^ 0x80000000u;
		a[i] = k;
		for (int p = 0; p < PASSES; p++)
			cnt[p][(k >> (BITS * p)) & (NB - 1)]++;
	}
	k0 = a[0];
	for (int p = 0; p < PASSES; p++)
		if (cnt[p][(k0 >> (BITS * p)) & (NB - 1)] != n) {
			uint32_t sum = 0;
			for (size_t i = 0; i < NB; i++) {
				uint32_t c = cnt[p][i];
				cnt[p][i] = sum;
				sum += c;
			}
			live[nlive++] = p;
		}
	for (int q = 0; q < nlive; q++) {
		uint32_t *c = cnt[live[q]];
		int sh = BITS * live[q];
		if (q == nlive - 1) {
			/* the last pass writes the doubles */
			for (size_t i = 0; i < n; i++) {
				uint32_t k = a[i];
				out[c[(k >> sh) & (NB - 1)]++] = from_int((int32_t)(k ^ 0x80000000u), e10);
			}
			return 0;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i] >> sh) & (NB - 1)]++] = a[i];
		{
			uint32_t *t = a;
			a = b;
			b = t;
		}
	}
	/* every value equal */
	for (size_t i = 0; i < n; i++)
		out[i] = from_int((int32_t)(a[i] ^ 0x80000000u), e10);
	return 0;
}

/* sort iv[0..n) in place (LSD radix sort, 11-bit digits, only live ones) */
static int sort_int32(int32_t *iv, size_t n, sort_scratch *sc)
{
	enum { BITS = 11, NB = 1 << BITS, PASSES = 3 };
	uint32_t cnt[PASSES][NB], *a = (uint32_t *)(void *)iv, *b, *orig = a, k0;
	int err;

	if (n < 2)
		return 0;
	if ((err = scratch_reserve(&sc->tmp, &sc->tmpcap, (n + 1) / 2)) < 0)
		return err;
	b = (uint32_t *)(void *)sc->tmp;
	memset(cnt, 0, sizeof(cnt));
	for (size_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)iv[i] ^ 0x80000000u;
		a[i] = k;
		for (int p = 0; p < PASSES; p++)
			cnt[p][(k >> (BITS * p)) & (NB - 1)]++;
	}
	k0 = a[0];
	for (int p = 0; p < PASSES; p++) {
		if (cnt[p][(k0 >> (BITS * p)) & (NB - 1)] == n)
			continue;
		uint32_t sum = 0, *c = cnt[p];
		for (size_t i = 0; i < NB; i++) {
			uint32_t x = c[i];
			c[i] = sum;
			sum += x;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i] >> (BITS * p)) & (NB - 1)]++] = a[i];
		uint32_t *t = a;
		a = b;
		b = t;
	}
	if (a != orig)
		memcpy(orig, a, n * sizeof(*a));
	for (size_t i = 0; i < n; i++)
		orig[i] ^= 0x80000000u;
	return 0;
}

/*
 * Double the value array of a side. Large arrays get a new block with the
 * huge-page hint and a copy (realloc would move them without the hint; in
 * our measurements the hinted copy faulted less).
 */
static int grow_values(side_t *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, size = s->imode ? sizeof(int32_t) : sizeof(double);
	void *v, *old = s->imode ? (void *)s->ivals : (void *)s->vals;

	if (cap > SIZE_MAX / sizeof(double) / 2)
		return aims__oom();
	if (cap * size < ((size_t)4 << 20)) {
		if (!(v = aims__realloc(old, cap * size)))
			return aims__oom();
	} else {
		if (!(v = aims__malloc(cap * size)))
			return aims__oom();
		advise_huge(v, cap * size);
		if (s->nvals)
			memcpy(v, old, s->nvals * size);
		aims__free(old);
	}
	if (s->imode)
		s->ivals = v;
	else
		s->vals = v;
	s->cap = cap;
	return 0;
}

/* from integers to doubles (the first value that is not a plain decimal at the side's exponent) */
static int leave_imode(side_t *s)
{
	double *v = NULL;

	if (s->cap) {
		if (!(v = aims__malloc(s->cap * sizeof(double))))
			return aims__oom();
		advise_huge(v, s->cap * sizeof(double));
		for (size_t i = 0; i < s->nvals; i++)
			v[i] = from_int(s->ivals[i], s->iexp);
	} else {
		s->nvals = 0;
	}
	s->imode = 0;
	aims__free(s->ivals);
	s->ivals = NULL;
	s->vals = v;
	return 0;
}

/* make room for `n` values in one step */
static int reserve_values(side_t *s, size_t n)
{
	size_t size = s->imode ? sizeof(int32_t) : sizeof(double);
	void *v, *old = s->imode ? (void *)s->ivals : (void *)s->vals;

	if (n > SIZE_MAX / sizeof(double) / 2)
		return 0; /* an estimate only: keep growing as usual */
	if (!(v = aims__malloc(n * size)))
		return aims__oom();
	advise_huge(v, n * size);
	if (s->nvals && old)
		memcpy(v, old, s->nvals * size);
	aims__free(old);
	if (s->imode)
		s->ivals = v;
	else
		s->vals = v;
	s->cap = n;
	return 0;
}

/* ---- reading ---- */

/* a decision log (not a file or a stream) */
static int is_log(const aims_drift_source *src)
{
	return !src->path && !src->stream;
}

static const char *source_name(const aims_drift_source *src)
{
	return src->path ? src->path : "-";
}

/* the size of a regular file the source reads, else 0 (unknown: a pipe, a decision log, memory) */
static uint64_t source_size(const aims_drift_source *src)
{
	struct stat st;
	int fd = src->stream ? fileno(src->stream) : -1;
	if (src->stream)
		return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	if (!src->path || strcmp(src->path, "-") == 0 || stat(src->path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	return (uint64_t)st.st_size;
}

static int open_source(aims_drift *d, aims_rows **r, const aims_drift_source *src, int side)
{
	if (src->stream) {
		input_t *in = &d->in[side];
		if (!in->opened) {
			in->opened = 1;
			in->start = ftello(src->stream);
		} else if (in->start < 0 || fseeko(src->stream, in->start, SEEK_SET) != 0) {
			return aims__err(AIMS_EINVALID, "'%s': a column has text after numbers, so the data must be read "
					 "again, but this stream cannot be rewound: give a file rather than a pipe, or "
					 "name the column with --categorical", strcmp(source_name(src), "-") == 0 ?
					 "(stdin)" : source_name(src));
		}
		return aims_rows_open_stream(r, src->stream, source_name(src));
	}
	if (src->path)
		return aims_rows_open(r, src->path);
	if (!src->store || !src->system)
		return aims__err(AIMS_EUSAGE, "drift: a source needs a path, a stream, or a store and a system");
	return aims_rows_open_decisions(r, src->store, src->system, src->since, src->until);
}

static int add_value(aims_drift *d, col_t *c, int side, const char *v, size_t len, aims_rows *r)
{
	side_t *s = &c->s[side];
	double x;
	uint64_t m = 0;
	int err, kind, e10 = 0, neg = 0;

	s->n++;
	if (s->numeric_ok && c->forced != 'c') {
		if ((kind = parse_num(&x, &m, &e10, &neg, v, len)) != 0) {
			s->nums_seen++;
			if (s->imode) {
				if (s->nvals == 0 && kind == 2)
					s->iexp = e10;
				/* -0 only as a double */
				if (kind == 2 && e10 == s->iexp && m <= INT32_MAX && (m || !neg) &&
				    s->nvals < d->opts.max_exact) {
					if (s->nvals == s->cap && grow_values(s) < 0)
						return aims__oom();
					s->ivals[s->nvals++] = (int32_t)(neg ? -(int64_t)m : (int64_t)m);
					s->sorted = 0;
					return 0;
				}
				if ((err = leave_imode(s)) < 0)
					return err;
			}
			if (kind == 2)
				x = fast_value(m, e10, neg);
			if (s->sk)
				return aims__sketch_add(s->sk, x);
			if (s->nvals >= d->opts.max_exact) {
				if ((err = aims__sketch_new(&s->sk, d->opts.sketch_k)) < 0)
					return err;
				for (size_t i = 0; i < s->nvals; i++)
					if ((err = aims__sketch_add(s->sk, s->vals[i])) < 0)
						return err;
				aims__free(s->vals);
				s->vals = NULL;
				s->nvals = s->cap = 0;
				return aims__sketch_add(s->sk, x);
			}
			if (s->nvals == s->cap && grow_values(s) < 0)
				return aims__oom();
			s->vals[s->nvals++] = x;
			s->sorted = 0;
			return 0;
		}
		if (c->forced == 'n')
			return aims__err(AIMS_EINVALID, "'%s' line %llu: column '%s': '%.40s' is not a finite number",
					 aims_rows_name(r), (unsigned long long)aims_rows_line(r), c->name, v);
		s->numeric_ok = 0;
		s->bad_line = aims_rows_line(r);
		if (!(s->bad_value = aims__strndup(v, len > 40 ? 40 : len)))
			return aims__oom();
		aims__free(s->vals);
		s->vals = NULL;
		aims__free(s->ivals);
		s->ivals = NULL;
		s->imode = 0;
		s->nvals = s->cap = 0;
		aims__sketch_free(s->sk);
		s->sk = NULL;
		s->cat_on = 1;
		if (s->nums_seen == 0)
			s->cat_from_start = 1;
	}
	if (s->cat_on)
		return cat_count(c, side, v, len);
	return 0;
}

static int resolve_cols(aims_drift *d, aims_rows *r, int side)
{
	for (size_t i = 0; i < d->ncols; i++) {
		col_t *c = &d->cols[i];
		if (c->idx[side] < 0) {
			for (size_t k = 0; k < aims_rows_ncols(r); k++)
				if (strcmp(aims_rows_colname(r, k), c->name) == 0) {
					c->idx[side] = (long)k;
					break;
				}
		}
	}
	return 0;
}

/* open a source; for the reference, set up the columns; find the columns in it */
static int read_begin(aims_drift *d, const aims_drift_source *src, int side, aims_rows **out)
{
	aims_rows *r = NULL;
	int err, ndjson;

	*out = NULL;
	if ((err = open_source(d, &r, src, side)) < 0)
		return err;
	ndjson = is_log(src) || aims_rows_is_ndjson(r);
	if (side == 0 && !d->cols) {
		/* the columns: options, or all of the reference */
		size_t n = d->opts.columns ? d->opts.ncolumns : aims_rows_ncols(r);
		if (!(d->cols = aims__calloc(n ? n : 1, sizeof(*d->cols)))) {
			err = aims__oom();
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			const char *name = d->opts.columns ? d->opts.columns[i] : aims_rows_colname(r, i);
			col_t *c = &d->cols[d->ncols];
			int dup = 0;
			for (size_t k = 0; k < d->ncols; k++)
				if (strcmp(d->cols[k].name, name) == 0)
					dup = 1;
			if (dup)
				continue;
			/* a decision log's bookkeeping fields are not data to compare */
			if (!d->opts.columns && is_log(src) &&
			    (strcmp(name, "time") == 0 || strcmp(name, "input_digest") == 0 ||
			     strcmp(name, "model_digest") == 0 || strcmp(name, "explanation") == 0))
				continue;
			if (!(c->name = aims__strdup(name))) {
				err = aims__oom();
				goto done;
			}
			c->idx[0] = c->idx[1] = -1;
			for (int s = 0; s < 2; s++) {
				c->s[s].numeric_ok = 1;
				c->s[s].imode = 1;
			}
			for (size_t k = 0; k < d->opts.nnumeric; k++)
				if (strcmp(d->opts.numeric[k], name) == 0)
					c->forced = 'n';
			for (size_t k = 0; k < d->opts.ncategorical; k++)
				if (strcmp(d->opts.categorical[k], name) == 0) {
					if (c->forced == 'n') {
						err = aims__err(AIMS_EUSAGE, "column '%s' is forced both numeric and categorical",
								name);
						d->ncols++;
						goto done;
					}
					c->forced = 'c';
				}
			if (c->forced == 'c')
				for (int s = 0; s < 2; s++) {
					c->s[s].numeric_ok = 0;
					c->s[s].cat_on = c->s[s].cat_from_start = 1;
				}
			d->ncols++;
		}
		/* forced names must be compared columns */
		for (size_t k = 0; k < d->opts.nnumeric + d->opts.ncategorical; k++) {
			const char *name = k < d->opts.nnumeric ? d->opts.numeric[k] : d->opts.categorical[k - d->opts.nnumeric];
			int found = 0;
			for (size_t i = 0; i < d->ncols; i++)
				if (strcmp(d->cols[i].name, name) == 0)
					found = 1;
			if (!found) {
				err = aims__err(AIMS_ENOTFOUND, "'%s': no column '%s' among the compared columns",
						aims_rows_name(r), name);
				goto done;
			}
		}
	}
	resolve_cols(d, r, side);
	if (!ndjson)
		for (size_t i = 0; i < d->ncols; i++)
			if (d->cols[i].idx[side] < 0) {
				if ((err = aims_rows_col(r, d->cols[i].name)) >= 0)
					err = aims__err(AIMS_ENOTFOUND, "'%s': no column '%s'", aims_rows_name(r),
							d->cols[i].name);
				goto done;
			}
	*out = r;
	return 0;
done:
	aims_rows_free(r);
	return err;
}

/* one pass over an opened source (freed here); `rescan` counts only categories of the columns marked for it */
static int read_rows(aims_drift *d, const aims_drift_source *src, int side, const unsigned char *rescan, aims_rows *r)
{
	const char *const *f;
	const size_t *lens;
	size_t ncols_seen;
	int err, ndjson = is_log(src) || aims_rows_is_ndjson(r);
	uint64_t file_size = 0, sample_rows = 0, sample_bytes = 0;

	ncols_seen = aims_rows_ncols(r);
	if (!ndjson)
		file_size = source_size(src);
	while ((err = aims_rows_next(r, &f, &lens)) == 1) {
		if (aims_rows_ncols(r) != ncols_seen) {
			resolve_cols(d, r, side);
			ncols_seen = aims_rows_ncols(r);
		}
		/*
		 * Size the value arrays once from an estimate of the row count
		 * (file size / bytes per row of the first rows; low for gzip,
		 * then they grow as usual): saves the copies and page faults of
		 * growing hundreds of megabytes by doubling.
		 */
		if (file_size && !rescan) {
			if (sample_rows < ESTIMATE_ROWS) {
				for (size_t k = 0; k < ncols_seen; k++)
					sample_bytes += (f[k] ? lens[k] : 0) + 1;
				sample_rows++;
			} else if (sample_rows == ESTIMATE_ROWS) {
				uint64_t est = file_size / (sample_bytes / sample_rows + 1) * 21 / 20 + 1;
				sample_rows++;
				for (size_t i = 0; i < d->ncols; i++) {
					side_t *sd = &d->cols[i].s[side];
					if (sd->numeric_ok && !sd->sk && (sd->vals || sd->ivals) && est > sd->cap && est <= d->opts.max_exact &&
					    (err = reserve_values(sd, (size_t)est)) < 0)
						goto done;
				}
			}
		}
		for (size_t i = 0; i < d->ncols; i++) {
			col_t *c = &d->cols[i];
			long idx = c->idx[side];
			const char *v = idx >= 0 ? f[idx] : NULL;
			if (rescan) {
				if (rescan[i] && v && (err = cat_count(c, side, v, lens[idx])) < 0)
					goto done;
				continue;
			}
			if (!v) {
				c->s[side].missing++;
				continue;
			}
			if ((err = add_value(d, c, side, v, lens[idx], r)) < 0)
				goto done;
		}
	}
	if (err < 0)
		goto done;
	if (!rescan) {
		input_t *in = &d->in[side];
		if (ndjson)
			for (size_t i = 0; i < d->ncols; i++)
				if (d->cols[i].idx[side] < 0) {
					err = aims__err(AIMS_ENOTFOUND, "'%s': no column '%s'", aims_rows_name(r),
							d->cols[i].name);
					goto done;
				}
		if (!is_log(src)) {
			in->name = aims__strdup(source_name(src));
		} else {
			aims_buf b;
			aims_buf_init(&b, 4096);
			if (aims_buf_printf(&b, "decisions:%s[%s,%s)", src->system, src->since ? src->since : "",
					    src->until ? src->until : "") < 0) {
				aims_buf_release(&b);
				err = aims__oom();
				goto done;
			}
			in->name = aims_buf_detach(&b, NULL);
		}
		if (!in->name) {
			err = aims__oom();
			goto done;
		}
		in->rows = aims_rows_read(r);
		if ((err = aims_rows_digest(in->digest, r)) < 0)
			goto done;
	}
	err = 0;
done:
	aims_rows_free(r);
	return err;
}

static int read_side(aims_drift *d, const aims_drift_source *src, int side, const unsigned char *rescan)
{
	aims_rows *r;
	int err;
	if ((err = read_begin(d, src, side, &r)) < 0)
		return err;
	return read_rows(d, src, side, rescan, r);
}

/* the current input is read on a second thread when both inputs are large files */
typedef struct {
	aims_drift *d;
	const aims_drift_source *src;
	aims_rows *r;
	int err;
	char msg[1024];
} reader_job;

static void *reader_thread(void *p)
{
	reader_job *j = p;
	j->err = read_rows(j->d, j->src, 1, NULL, j->r);
	if (j->err < 0)
		snprintf(j->msg, sizeof(j->msg), "%s", aims_error_last());
	return NULL;
}

static int big_files(const aims_drift_source *a, const aims_drift_source *b)
{
	uint64_t sa = source_size(a), sb = source_size(b);
	return sa && sb && sa + sb >= PARALLEL_BYTES;
}

static int read_both(aims_drift *d, const aims_drift_source *ref, const aims_drift_source *cur)
{
	aims_rows *r0 = NULL, *r1 = NULL;
	reader_job job;
	pthread_t th;
	int err;

	if ((err = read_begin(d, ref, 0, &r0)) < 0)
		return err;
	if ((err = read_begin(d, cur, 1, &r1)) < 0) {
		aims_rows_free(r0);
		return err;
	}
	if (!big_files(ref, cur)) {
		if ((err = read_rows(d, ref, 0, NULL, r0)) < 0) {
			aims_rows_free(r1);
			return err;
		}
		return read_rows(d, cur, 1, NULL, r1);
	}
	memset(&job, 0, sizeof(job));
	job.d = d;
	job.src = cur;
	job.r = r1;
	if (pthread_create(&th, NULL, reader_thread, &job) != 0) {
		if ((err = read_rows(d, ref, 0, NULL, r0)) < 0) {
			aims_rows_free(r1);
			return err;
		}
		return read_rows(d, cur, 1, NULL, r1);
	}
	err = read_rows(d, ref, 0, NULL, r0);
	pthread_join(th, NULL);
	if (err < 0)
		return err;
	if (job.err < 0)
		return aims__err(job.err, "%s", job.msg);
	return 0;
}

/* ---- numeric figures over weighted sorted points ---- */

typedef struct {
	const double *v;
	const uint64_t *w;  /* NULL = every weight 1 */
	size_t np;          /* points */
	double n;           /* total weight */
	double eps;         /* rank error bound (fraction) */
	double *own_v;
	uint64_t *own_w;
} wdist;

static double wt(const wdist *a, size_t i)
{
	return a->w ? (double)a->w[i] : 1.0;
}

/* Neumaier summation */
typedef struct {
	double s, c;
} ksum;

static void ksum_add(ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

/*
 * Walk the pooled distinct values: sup |F1 - F2| and the Wasserstein-1
 * distance, the integral of |F1 - F2| (F right-continuous, as scipy).
 */
static void walk(const wdist *a, const wdist *b, double *ks, double *w1)
{
	size_t i = 0, j = 0;
	double ca = 0, cb = 0, best = 0, prev = 0, fa = 0, fb = 0;
	int started = 0;
	ksum s = { 0, 0 };

	while (i < a->np || j < b->np) {
		double v;
		if (j >= b->np || (i < a->np && a->v[i] <= b->v[j]))
			v = a->v[i];
		else
			v = b->v[j];
		if (started)
			ksum_add(&s, fabs(fa - fb) * (v - prev));
		while (i < a->np && a->v[i] <= v)
			ca += wt(a, i++);
		while (j < b->np && b->v[j] <= v)
			cb += wt(b, j++);
		fa = ca / a->n;
		fb = cb / b->n;
		if (fabs(fa - fb) > best)
			best = fabs(fa - fb);
		prev = v;
		started = 1;
	}
	*ks = best;
	*w1 = s.s + s.c;
}

/* value at quantile q: numpy's linear interpolation for unit weights, the weighted rank otherwise */
static double quantile(const wdist *a, double q)
{
	if (!a->w) {
		double h = (a->n - 1) * q, lo = floor(h), t = h - lo, x0, x1;
		size_t k = (size_t)lo;
		x0 = a->v[k];
		x1 = k + 1 < a->np ? a->v[k + 1] : x0;
		/* numpy 1.24 _lerp: a + (b-a) t, from the other end when t >= 0.5 */
		return t >= 0.5 ? x1 - (x1 - x0) * (1 - t) : x0 + (x1 - x0) * t;
	} else {
		double target = q * a->n, c = 0;
		for (size_t i = 0; i < a->np; i++) {
			c += wt(a, i);
			if (c >= target)
				return a->v[i];
		}
		return a->v[a->np - 1];
	}
}

/* weight of points <= x */
static double wcount_le(const wdist *a, double x)
{
	size_t lo = 0, hi = a->np;
	double c = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!a->w)
		return (double)lo;
	for (size_t i = 0; i < lo; i++)
		c += (double)a->w[i];
	return c;
}

static double psi_term(double pr, double pc)
{
	if (pr < AIMS_DRIFT_PSI_FLOOR)
		pr = AIMS_DRIFT_PSI_FLOOR;
	if (pc < AIMS_DRIFT_PSI_FLOOR)
		pc = AIMS_DRIFT_PSI_FLOOR;
	return (pc - pr) * log(pc / pr);
}

static double numeric_psi(const wdist *a, const wdist *b)
{
	double edges[AIMS_DRIFT_PSI_BINS] = { 0 }, prev_r = 0, prev_c = 0, psi = 0;
	size_t ne = 0;

	for (int k = 1; k < AIMS_DRIFT_PSI_BINS; k++) {
		double e = quantile(a, (double)k / AIMS_DRIFT_PSI_BINS);
		if (ne == 0 || e > edges[ne - 1])
			edges[ne++] = e;
	}
	for (size_t k = 0; k <= ne; k++) {
		double cr = k < ne ? wcount_le(a, edges[k]) : a->n;
		double cc = k < ne ? wcount_le(b, edges[k]) : b->n;
		psi += psi_term((cr - prev_r) / a->n, (cc - prev_c) / b->n);
		prev_r = cr;
		prev_c = cc;
	}
	return psi;
}

static int numeric_hist(aims__drift_hist *hst, const wdist *a, const wdist *b)
{
	double lo = fmin(a->v[0], b->v[0]), hi = fmax(a->v[a->np - 1], b->v[b->np - 1]);
	const wdist *ab[2] = { a, b };

	hst->nbins = NHIST;
	hst->lo = lo;
	hst->hi = hi;
	hst->ref = aims__calloc(NHIST, sizeof(double));
	hst->cur = aims__calloc(NHIST, sizeof(double));
	if (!hst->ref || !hst->cur)
		return aims__oom();
	for (int s = 0; s < 2; s++) {
		double *h = s ? hst->cur : hst->ref;
		if (!ab[s]->w && hi > lo) {
			/* sorted values: the bin is monotone in the value, so find each bin's end by bisection */
			size_t start = 0;
			for (int k = 0; k < NHIST; k++) {
				size_t l = start, r = ab[s]->np;
				if (k == NHIST - 1) {
					l = r;
				} else {
					while (l < r) {
						size_t m = l + (r - l) / 2;
						if ((int)((ab[s]->v[m] - lo) / (hi - lo) * NHIST) <= k)
							l = m + 1;
						else
							r = m;
					}
				}
				h[k] = (double)(l - start);
				start = l;
			}
		} else for (size_t i = 0; i < ab[s]->np; i++) {
			int k = hi > lo ? (int)((ab[s]->v[i] - lo) / (hi - lo) * NHIST) : 0;
			if (k >= NHIST)
				k = NHIST - 1;
			if (k < 0)
				k = 0;
			h[k] += wt(ab[s], i);
		}
		for (int k = 0; k < NHIST; k++)
			h[k] /= ab[s]->n;
	}
	return 0;
}

static int side_dist(wdist *out, side_t *s, int side, sort_scratch *sc)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (s->sk) {
		if ((err = aims__sketch_points(&out->own_v, &out->own_w, &out->np, s->sk)) < 0)
			return err;
		out->v = out->own_v;
		out->w = out->own_w;
		out->n = (double)aims__sketch_count(s->sk);
		out->eps = aims__sketch_eps(s->sk);
		return 0;
	}
	if (s->imode) {
		size_t need = s->nvals ? s->nvals : 1;
		if (!sc->dv[side] || sc->dcap[side] < need) {
			aims__free(sc->dv[side]);
			sc->dcap[side] = 0;
			if (!(sc->dv[side] = aims__malloc(need * sizeof(double))))
				return aims__oom();
			advise_huge(sc->dv[side], need * sizeof(double));
			sc->dcap[side] = need;
		}
		if (s->sorted) {
			for (size_t i = 0; i < s->nvals; i++)
				sc->dv[side][i] = from_int(s->ivals[i], s->iexp);
		} else if ((err = sort_ints(sc->dv[side], s->ivals, s->nvals, s->iexp, sc)) < 0) {
			return err;
		}
		out->v = sc->dv[side];
	} else {
		if (!s->sorted && (err = sort_doubles(s->vals, s->nvals, sc)) < 0)
			return err;
		out->v = s->vals;
	}
	out->np = s->nvals;
	out->n = (double)s->nvals;
	return 0;
}

static void side_dist_release(wdist *w)
{
	aims__free(w->own_v);
	aims__free(w->own_w);
}

static int set_reason(col_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_reason(col_t *c, const char *fmt, ...)
{
	aims_buf b;
	va_list ap;
	int err;

	aims_buf_init(&b, 4096);
	va_start(ap, fmt);
	err = aims_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (err < 0) {
		aims_buf_release(&b);
		return err;
	}
	aims__free(c->reason);
	c->reason = aims_buf_detach(&b, NULL);
	c->res.reason = c->reason;
	return 0;
}

static int compute_numeric(aims_drift *d, col_t *c, sort_scratch *sc)
{
	wdist a, b;
	aims_drift_column *r = &c->res;
	int err;

	if ((err = side_dist(&a, &c->s[0], 0, sc)) < 0)
		return err;
	if ((err = side_dist(&b, &c->s[1], 1, sc)) < 0) {
		side_dist_release(&a);
		return err;
	}
	if (!c->s[0].sk && !c->s[1].sk) {
		aims__ks_result k;
		aims__ks_2samp(&k, a.v, a.np, b.v, b.np, &r->wasserstein);
		r->ks_statistic = k.statistic;
		r->ks_pvalue = k.pvalue;
		r->ks_method = k.method;
	} else {
		double range = fmax(a.v[a.np - 1], b.v[b.np - 1]) - fmin(a.v[0], b.v[0]);
		walk(&a, &b, &r->ks_statistic, &r->wasserstein);
		r->ks_method = "sketch";
		r->ks_error_bound = a.eps + b.eps;
		r->wasserstein_error_bound = (a.eps + b.eps) * range;
		r->ks_pvalue = aims__ks_asymp_pvalue(r->ks_statistic, a.n, b.n);
		r->approximate = 1;
	}
	r->psi = numeric_psi(&a, &b);
	err = numeric_hist(&c->hist, &a, &b);
	if (err == 0) {
		int by_p = r->ks_pvalue < d->opts.ks_alpha, by_psi = r->psi >= d->opts.psi_threshold;
		r->drift = by_p || by_psi;
		if (by_p || by_psi)
			err = set_reason(c, "%s%s%s", by_p ? "ks p-value below alpha" : "",
					 by_p && by_psi ? "; " : "", by_psi ? "psi at or above threshold" : "");
		else
			err = set_reason(c, "ks p-value at or above alpha and psi below threshold");
	}
	side_dist_release(&a);
	side_dist_release(&b);
	return err;
}

static int cmp_cat(const void *x, const void *y)
{
	const cat_entry *a = x, *b = y;
	uint64_t ta = a->cnt[0] + a->cnt[1], tb = b->cnt[0] + b->cnt[1];
	if (ta != tb)
		return ta < tb ? 1 : -1;
	return strcmp(a->key, b->key);
}

static int compute_categorical(aims_drift *d, col_t *c)
{
	aims_drift_column *r = &c->res;
	double n0 = (double)r->n_ref, n1 = (double)r->n_cur, N = n0 + n1, js = 0, psi = 0;
	ksum chi = { 0, 0 };
	size_t K = 0;

	cat_entry *cats;
	int err;

	if ((err = cat_merge(c)) < 0)
		return err;
	cats = c->tab[0].cats;
	K = c->tab[0].n;
	aims__free(c->tab[0].slots); /* no lookups from here on */
	c->tab[0].slots = NULL;
	c->tab[0].nslots = 0;
	memset(c->tab[0].byte1, 0, sizeof(c->tab[0].byte1));
	qsort(cats, K, sizeof(*cats), cmp_cat);
	r->ncategories = K;
	for (size_t k = 0; k < K; k++) {
		double o0 = (double)cats[k].cnt[0], o1 = (double)cats[k].cnt[1], col = o0 + o1;
		double e0 = n0 * col / N, e1 = n1 * col / N, p = o0 / n0, q = o1 / n1, m = (p + q) / 2;
		ksum_add(&chi, (o0 - e0) * (o0 - e0) / e0);
		ksum_add(&chi, (o1 - e1) * (o1 - e1) / e1);
		if (p > 0)
			js += p * log(p / m);
		if (q > 0)
			js += q * log(q / m);
		psi += psi_term(p, q);
	}
	if (K <= 1) {
		r->chi2_statistic = 0;
		r->chi2_pvalue = 1;
		r->chi2_dof = 0;
	} else {
		r->chi2_statistic = chi.s + chi.c;
		r->chi2_dof = (int)(K - 1);
		r->chi2_pvalue = aims__chi2_sf(r->chi2_statistic, (double)(K - 1));
	}
	js /= log(2.0);
	r->jensenshannon = sqrt(js > 0 ? js / 2 : 0);
	r->psi = psi;
	/* histogram: the 12 largest categories, the rest as one bar */
	{
		size_t nb = K > 12 ? 13 : K;
		aims__drift_hist *h = &c->hist;
		h->nbins = nb;
		h->ref = aims__calloc(nb ? nb : 1, sizeof(double));
		h->cur = aims__calloc(nb ? nb : 1, sizeof(double));
		h->labels = aims__calloc(nb ? nb : 1, sizeof(char *));
		if (!h->ref || !h->cur || !h->labels)
			return aims__oom();
		for (size_t k = 0; k < K; k++) {
			size_t bin = k < 12 ? k : 12;
			h->ref[bin] += (double)cats[k].cnt[0] / n0;
			h->cur[bin] += (double)cats[k].cnt[1] / n1;
		}
		for (size_t k = 0; k < nb; k++)
			if (!(h->labels[k] = aims__strdup(k < 12 ? cats[k].key : "(other)")))
				return aims__oom();
	}
	{
		int by_p = r->chi2_pvalue < d->opts.chi2_alpha, by_psi = r->psi >= d->opts.psi_threshold;
		r->drift = by_p || by_psi;
		if (by_p || by_psi)
			return set_reason(c, "%s%s%s", by_p ? "chi-square p-value below alpha" : "",
					  by_p && by_psi ? "; " : "", by_psi ? "psi at or above threshold" : "");
		return set_reason(c, "chi-square p-value at or above alpha and psi below threshold");
	}
}

/* the figures of the tested columns, shared out between threads by a counter */
typedef struct {
	aims_drift *d;
	atomic_size_t next;
	atomic_int failed;
} compute_job;

typedef struct {
	compute_job *job;
	int err;
	char msg[1024];
} compute_worker;

static void *compute_thread(void *p)
{
	compute_worker *w = p;
	compute_job *j = w->job;
	aims_drift *d = j->d;
	sort_scratch sc;
	size_t i;

	memset(&sc, 0, sizeof(sc));

	while (!atomic_load(&j->failed) && (i = atomic_fetch_add(&j->next, 1)) < d->ncols) {
		col_t *c = &d->cols[i];
		if (!c->res.tested)
			continue;
		w->err = strcmp(c->res.type, "numeric") == 0 ? compute_numeric(d, c, &sc)
							     : compute_categorical(d, c);
		if (w->err < 0) {
			snprintf(w->msg, sizeof(w->msg), "%s", aims_error_last());
			atomic_store(&j->failed, 1);
			break;
		}
	}
	aims__free(sc.tmp);
	aims__free(sc.dv[0]);
	aims__free(sc.dv[1]);
	return NULL;
}

static int compute(aims_drift *d)
{
	compute_job job;
	compute_worker w[2];
	pthread_t th;
	uint64_t work = 0;
	int err, threaded = 0;

	for (size_t i = 0; i < d->ncols; i++) {
		col_t *c = &d->cols[i];
		aims_drift_column *r = &c->res;
		int numeric = c->forced != 'c' && c->s[0].numeric_ok && c->s[1].numeric_ok;
		r->name = c->name;
		r->type = numeric ? "numeric" : "categorical";
		r->n_ref = c->s[0].n;
		r->n_cur = c->s[1].n;
		r->missing_ref = c->s[0].missing;
		r->missing_cur = c->s[1].missing;
		r->ks_method = NULL;
		if (!numeric && c->forced != 'c' && (!c->s[0].bad_value != !c->s[1].bad_value) &&
		    c->s[c->s[0].bad_value ? 1 : 0].n > 0) {
			int t = c->s[0].bad_value ? 0 : 1; /* the side with text */
			aims_buf b;
			aims_buf_init(&b, 4096);
			if ((err = aims_buf_printf(&b, "numbers in '%s' but text in '%s' (line %llu: '%s'): compared as categorical",
						   d->in[1 - t].name, d->in[t].name, (unsigned long long)c->s[t].bad_line,
						   c->s[t].bad_value ? c->s[t].bad_value : "")) < 0) {
				aims_buf_release(&b);
				return err;
			}
			c->note = aims_buf_detach(&b, NULL);
			r->note = c->note;
		}
		if (r->n_ref == 0 || r->n_cur == 0) {
			r->tested = 0;
			r->drift = 0;
			if ((err = set_reason(c, "no values in the %s data", r->n_ref == 0 && r->n_cur == 0 ? "reference or current" :
					      r->n_ref == 0 ? "reference" : "current")) < 0)
				return err;
			continue;
		}
		r->tested = 1;
		if (numeric)
			work += r->n_ref + r->n_cur;
	}
	/* the per-column work in two threads when there is enough of it */
	job.d = d;
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, 0);
	memset(w, 0, sizeof(w));
	w[0].job = w[1].job = &job;
	if (work >= PARALLEL_VALUES && pthread_create(&th, NULL, compute_thread, &w[1]) == 0)
		threaded = 1;
	compute_thread(&w[0]);
	if (threaded)
		pthread_join(th, NULL);
	for (int k = 0; k < 2; k++)
		if (w[k].err < 0)
			return k == 0 ? w[0].err : aims__err(w[1].err, "%s", w[1].msg);
	for (size_t i = 0; i < d->ncols; i++) {
		d->tested += d->cols[i].res.tested != 0;
		d->drifted += d->cols[i].res.drift != 0;
	}
	d->share = d->tested ? (double)d->drifted / (double)d->tested : 0.0;
	d->dataset = d->tested > 0 && d->share >= d->opts.share_threshold;
	return 0;
}

static int drift_new(aims_drift **out, const aims_drift_options *opts)
{
	aims_drift_options def = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift *d;

	*out = NULL;
	if (!opts)
		opts = &def;
	if (opts->version != AIMS_DRIFT_OPTIONS_VERSION)
		return aims__err(AIMS_EUSAGE, "drift: options version %u is not %u", opts->version,
				 AIMS_DRIFT_OPTIONS_VERSION);
	if (!(opts->ks_alpha > 0 && opts->ks_alpha < 1) || !(opts->chi2_alpha > 0 && opts->chi2_alpha < 1))
		return aims__err(AIMS_EUSAGE, "drift: alpha must be between 0 and 1");
	if (!(opts->psi_threshold > 0) || !(opts->share_threshold > 0 && opts->share_threshold <= 1))
		return aims__err(AIMS_EUSAGE, "drift: psi threshold must be positive and share threshold in (0, 1]");
	if (!(d = aims__calloc(1, sizeof(*d))))
		return aims__oom();
	d->opts = *opts;
	if (d->opts.max_exact < 1)
		d->opts.max_exact = 1;
	if (d->opts.sketch_k < 16)
		d->opts.sketch_k = AIMS_DRIFT_SKETCH_K;
	*out = d;
	return 0;
}

/* sides that turned out categorical after numbers were seen are read again to count their categories */
static int rescan_and_compute(aims_drift *d, const aims_drift_source *const src[2])
{
	unsigned char *rescan = NULL;
	int err;
	if (d->ncols == 0)
		return aims__err(AIMS_EINVALID, "'%s': no columns to compare", d->in[0].name);
	if (!(rescan = aims__calloc(d->ncols, 1)))
		return aims__oom();
	for (int s = 0; s < 2; s++) {
		int any = 0;
		memset(rescan, 0, d->ncols);
		for (size_t i = 0; i < d->ncols; i++) {
			col_t *c = &d->cols[i];
			int categorical = c->forced == 'c' || !c->s[0].numeric_ok || !c->s[1].numeric_ok;
			if (categorical && !c->s[s].cat_from_start) {
				rescan[i] = 1;
				any = 1;
				cat_table_release(&c->tab[s]);
				c->s[s].numeric_ok = 0;
				aims__free(c->s[s].vals);
				c->s[s].vals = NULL;
				aims__free(c->s[s].ivals);
				c->s[s].ivals = NULL;
				c->s[s].imode = 0;
				c->s[s].nvals = c->s[s].cap = 0;
				aims__sketch_free(c->s[s].sk);
				c->s[s].sk = NULL;
			}
		}
		if (any && (err = read_side(d, src[s], s, rescan)) < 0)
			goto done;
	}
	err = compute(d);
done:
	aims__free(rescan);
	return err;
}

int aims_drift_run(aims_drift **out, const aims_drift_source *ref, const aims_drift_source *cur,
		   const aims_drift_options *opts)
{
	aims_drift *d;
	const aims_drift_source *src[2] = { ref, cur };
	int err;

	*out = NULL;
	if ((err = drift_new(&d, opts)) < 0)
		return err;
	if ((err = read_both(d, ref, cur)) < 0 || (err = rescan_and_compute(d, src)) < 0) {
		aims_drift_free(d);
		return err;
	}
	*out = d;
	return 0;
}

/* ---- the parallel pass: parts of the current side filled by several threads, then merged ---- */

struct aims__drift_part {
	aims_drift *d;
	col_t *cols;            /* names borrowed from d; side 1 and tab[1] in use */
	size_t ncols_bound;     /* the reader's columns at bind (NDJSON adds columns) */
	unsigned char *seen;    /* column found in some reader */
};

int aims__drift_begin(aims_drift **out, const aims_drift_source *ref, const aims_drift_options *opts)
{
	aims_drift *d;
	int err;
	*out = NULL;
	if ((err = drift_new(&d, opts)) < 0)
		return err;
	d->ref_src = *ref;
	if ((err = read_begin(d, ref, 0, &d->ref_rows)) < 0)
		goto fail;
	if (d->ncols == 0) {
		err = aims__err(AIMS_EINVALID, "'%s': no columns to compare", aims_rows_name(d->ref_rows));
		goto fail;
	}
	*out = d;
	return 0;
fail:
	aims_drift_free(d);
	return err;
}

int aims__drift_read_reference(aims_drift *d)
{
	aims_rows *r = d->ref_rows;
	d->ref_rows = NULL;
	if (!r)
		return aims__err(AIMS_EUSAGE, "drift: the reference was read already");
	return read_rows(d, &d->ref_src, 0, NULL, r);
}

int aims__drift_part_new(aims__drift_part **out, aims_drift *d)
{
	aims__drift_part *p = aims__calloc(1, sizeof(*p));
	*out = NULL;
	if (!p || !(p->cols = aims__calloc(d->ncols ? d->ncols : 1, sizeof(*p->cols))) ||
	    !(p->seen = aims__calloc(d->ncols ? d->ncols : 1, 1))) {
		if (p)
			aims__free(p->cols);
		aims__free(p);
		return aims__oom();
	}
	p->d = d;
	for (size_t i = 0; i < d->ncols; i++) {
		col_t *c = &p->cols[i];
		c->name = d->cols[i].name;
		c->forced = d->cols[i].forced;
		c->idx[0] = c->idx[1] = -1;
		c->s[1].numeric_ok = c->forced != 'c';
		c->s[1].imode = 1;
		if (c->forced == 'c')
			c->s[1].cat_on = c->s[1].cat_from_start = 1;
	}
	*out = p;
	return 0;
}

static void side_release(side_t *s)
{
	aims__free(s->vals);
	aims__free(s->ivals);
	aims__free(s->bad_value);
	aims__sketch_free(s->sk);
	s->vals = NULL;
	s->ivals = NULL;
	s->bad_value = NULL;
	s->sk = NULL;
	s->nvals = s->cap = 0;
}

void aims__drift_part_free(aims__drift_part *p)
{
	if (!p)
		return;
	for (size_t i = 0; p->cols && i < p->d->ncols; i++) {
		side_release(&p->cols[i].s[1]);
		cat_table_release(&p->cols[i].tab[1]);
	}
	aims__free(p->cols);
	aims__free(p->seen);
	aims__free(p);
}

static void part_resolve(aims__drift_part *p, aims_rows *r)
{
	for (size_t i = 0; i < p->d->ncols; i++) {
		col_t *c = &p->cols[i];
		if (c->idx[1] >= 0)
			continue;
		int k = aims_rows_col(r, c->name);
		if (k >= 0) {
			c->idx[1] = k;
			p->seen[i] = 1;
		} else {
			aims_error_clear();
		}
	}
	p->ncols_bound = aims_rows_ncols(r);
}

int aims__drift_part_bind(aims__drift_part *p, aims_rows *rows, int first)
{
	for (size_t i = 0; i < p->d->ncols; i++)
		p->cols[i].idx[1] = -1;
	part_resolve(p, rows);
	if (first && !aims_rows_is_ndjson(rows))
		for (size_t i = 0; i < p->d->ncols; i++)
			if (p->cols[i].idx[1] < 0)
				return aims__err(AIMS_ENOTFOUND, "'%s': no column '%s'", aims_rows_name(rows), p->cols[i].name);
	return 0;
}

int aims__drift_part_row(aims__drift_part *p, aims_rows *rows, const char *const *f, const size_t *l)
{
	int err;
	if (aims_rows_ncols(rows) != p->ncols_bound)
		part_resolve(p, rows);
	for (size_t i = 0; i < p->d->ncols; i++) {
		col_t *c = &p->cols[i];
		long idx = c->idx[1];
		const char *v = idx >= 0 ? f[idx] : NULL;
		if (!v) {
			c->s[1].missing++;
			continue;
		}
		if ((err = add_value(p->d, c, 1, v, l[idx], rows)) < 0)
			return err;
	}
	return 0;
}

int aims__drift_part_reserve(aims__drift_part *p, uint64_t n)
{
	int err;
	for (size_t i = 0; i < p->d->ncols; i++) {
		side_t *sd = &p->cols[i].s[1];
		if (sd->numeric_ok && !sd->sk && (sd->vals || sd->ivals) && n > sd->cap && n <= p->d->opts.max_exact &&
		    (err = reserve_values(sd, (size_t)n)) < 0)
			return err;
	}
	return 0;
}

/* every value of side s into its sketch (made now when there is none) */
static int to_sketch(aims_drift *d, side_t *s)
{
	int err;
	if (!s->sk) {
		if ((err = aims__sketch_new(&s->sk, d->opts.sketch_k)) < 0)
			return err;
		for (size_t i = 0; i < s->nvals; i++)
			if ((err = aims__sketch_add(s->sk, s->imode ? from_int(s->ivals[i], s->iexp) : s->vals[i])) < 0)
				return err;
	}
	aims__free(s->vals);
	aims__free(s->ivals);
	s->vals = NULL;
	s->ivals = NULL;
	s->imode = 0;
	s->nvals = s->cap = 0;
	return 0;
}

/* the numbers of S after those of D (both sides numeric so far) */
/*
 * Two sorted value arrays into D, still sorted: D's array grows to the
 * total, its values move to the end, and the merge writes from the front
 * (it never overtakes the values it has still to read), so no third array
 * is made. Integers stay integers when both sides have the same exponent;
 * otherwise both become doubles (from_int is increasing, so order holds).
 */
static int merge_sorted(side_t *D, side_t *S, size_t total)
{
	size_t nd = D->nvals, ns = S->nvals, i = 0, j = 0, k = 0;
	int err;
	if (D->imode && S->imode && D->iexp == S->iexp) {
		if (total > D->cap) {
			int32_t *v = aims__realloc(D->ivals, total * sizeof(*v));
			if (!v)
				return aims__oom();
			D->ivals = v;
			D->cap = total;
		}
		int32_t *v = D->ivals, *src = v + (total - nd);
		memmove(src, v, nd * sizeof(*v));
		while (i < nd && j < ns)
			v[k++] = S->ivals[j] < src[i] ? S->ivals[j++] : src[i++];
		while (j < ns)
			v[k++] = S->ivals[j++];
		D->nvals = total;
		return 0;
	}
	if (D->imode && (err = leave_imode(D)) < 0)
		return err;
	if (total > D->cap) {
		double *v = aims__realloc(D->vals, total * sizeof(*v));
		if (!v)
			return aims__oom();
		D->vals = v;
		D->cap = total;
	}
	double *v = D->vals, *src = v + (total - nd);
	memmove(src, v, nd * sizeof(*v));
	while (i < nd && j < ns) {
		double x = S->imode ? from_int(S->ivals[j], S->iexp) : S->vals[j];
		if (x < src[i]) {
			v[k++] = x;
			j++;
		} else {
			v[k++] = src[i++];
		}
	}
	for (; j < ns; j++)
		v[k++] = S->imode ? from_int(S->ivals[j], S->iexp) : S->vals[j];
	D->nvals = total;
	return 0;
}

/* sort the current side's values of every column of a part (its worker does, before the merge) */
int aims__drift_part_presort(aims__drift_part *p)
{
	sort_scratch sc;
	int err = 0;
	memset(&sc, 0, sizeof(sc));
	for (size_t i = 0; i < p->d->ncols && err == 0; i++) {
		side_t *S = &p->cols[i].s[1];
		if (S->sk || !S->numeric_ok || S->sorted)
			continue;
		if (S->imode) {
			err = sort_int32(S->ivals, S->nvals, &sc);
		} else {
			err = sort_doubles(S->vals, S->nvals, &sc);
			/* -0.0 sorts as 0.0 and is written as 0.0 by the radix sort; qsort (small parts) keeps it */
			for (size_t k = 0; err == 0 && k < S->nvals; k++)
				if (S->vals[k] == 0)
					S->vals[k] = 0.0;
		}
		S->sorted = err == 0;
	}
	aims__free(sc.tmp);
	return err;
}

static int merge_values(aims_drift *d, side_t *D, side_t *S)
{
	int err;
	if (S->nvals == 0 && !S->sk)
		return 0;
	if (D->sk || S->sk || D->nvals + S->nvals > d->opts.max_exact) {
		if ((err = to_sketch(d, D)) < 0)
			return err;
		if (S->sk)
			return aims__sketch_merge(D->sk, S->sk);
		for (size_t i = 0; i < S->nvals; i++)
			if ((err = aims__sketch_add(D->sk, S->imode ? from_int(S->ivals[i], S->iexp) : S->vals[i])) < 0)
				return err;
		return 0;
	}
	if (D->nvals == 0) {
		/* take S's array as it is (sorted or not) */
		D->sorted = S->sorted;
		aims__free(D->vals);
		aims__free(D->ivals);
		D->vals = S->vals;
		D->ivals = S->ivals;
		D->imode = S->imode;
		D->iexp = S->iexp;
		D->nvals = S->nvals;
		D->cap = S->cap;
		S->vals = NULL;
		S->ivals = NULL;
		S->nvals = S->cap = 0;
		return 0;
	}
	size_t total = D->nvals + S->nvals;
	if (D->sorted && S->sorted)
		return merge_sorted(D, S, total);
	D->sorted = 0;
	if (D->imode && S->imode && D->iexp == S->iexp) {
		if (total > D->cap) {
			int32_t *v = aims__realloc(D->ivals, total * sizeof(*v));
			if (!v)
				return aims__oom();
			D->ivals = v;
			D->cap = total;
		}
		memcpy(D->ivals + D->nvals, S->ivals, S->nvals * sizeof(*S->ivals));
		D->nvals = total;
		return 0;
	}
	if (D->imode && (err = leave_imode(D)) < 0)
		return err;
	if (total > D->cap) {
		double *v = aims__realloc(D->vals, total * sizeof(*v));
		if (!v)
			return aims__oom();
		D->vals = v;
		D->cap = total;
	}
	for (size_t i = 0; i < S->nvals; i++)
		D->vals[D->nvals + i] = S->imode ? from_int(S->ivals[i], S->iexp) : S->vals[i];
	D->nvals = total;
	return 0;
}

/* side S of a part into side D of the comparison (current data) */
static int merge_side(aims_drift *d, col_t *dc, col_t *pc)
{
	side_t *D = &dc->s[1], *S = &pc->s[1];
	int err;
	/* do the category counts of each side cover every value it saw? */
	int d_cover = D->cat_on ? D->cat_from_start : D->n == 0;
	int s_cover = S->cat_on ? S->cat_from_start : S->n == 0;
	if (S->bad_value && (!D->bad_value || S->bad_line < D->bad_line)) {
		aims__free(D->bad_value);
		D->bad_value = S->bad_value;
		D->bad_line = S->bad_line;
		S->bad_value = NULL;
	}
	if (D->numeric_ok && S->numeric_ok) {
		if ((err = merge_values(d, D, S)) < 0)
			return err;
	} else {
		if (D->numeric_ok) {
			/* D saw numbers only; its values are not needed any more */
			aims__free(D->vals);
			aims__free(D->ivals);
			aims__sketch_free(D->sk);
			D->vals = NULL;
			D->ivals = NULL;
			D->sk = NULL;
			D->nvals = D->cap = 0;
			D->imode = 0;
			D->numeric_ok = 0;
		}
		D->cat_on = 1;
		D->cat_from_start = d_cover && s_cover;
		cat_table *t = &pc->tab[1];
		for (size_t k = 0; k < t->n; k++) {
			cat_entry *e;
			if ((err = cat_find(&e, &dc->tab[1], t->cats[k].key, t->cats[k].len)) < 0)
				return err;
			e->cnt[1] += t->cats[k].cnt[1];
		}
	}
	D->n += S->n;
	D->missing += S->missing;
	D->nums_seen += S->nums_seen;
	side_release(S);
	cat_table_release(&pc->tab[1]);
	S->n = S->missing = S->nums_seen = 0;
	return 0;
}

int aims__drift_part_merge(aims_drift *d, aims__drift_part *p)
{
	int err;
	for (size_t i = 0; i < d->ncols; i++) {
		if ((err = merge_side(d, &d->cols[i], &p->cols[i])) < 0)
			return err;
		if (p->seen[i])
			d->cols[i].idx[1] = 0;   /* found in the current input */
	}
	return 0;
}

int aims__drift_end(aims_drift *d, const aims_drift_source *cur, const char *cur_digest, uint64_t cur_rows)
{
	const aims_drift_source *src[2] = { &d->ref_src, cur };
	input_t *in = &d->in[1];
	aims_buf b;
	int err;

	if (d->ref_rows && (err = aims__drift_read_reference(d)) < 0)
		return err;
	aims_buf_init(&b, 4096);
	if (cur->path)
		err = aims_buf_puts(&b, cur->path);
	else
		err = aims_buf_printf(&b, "decisions:%s[%s,%s)", cur->system, cur->since ? cur->since : "",
				      cur->until ? cur->until : "");
	if (err < 0 || !(in->name = aims_buf_detach(&b, NULL))) {
		aims_buf_release(&b);
		return aims__oom();
	}
	for (size_t i = 0; i < d->ncols; i++) {
		if (d->cols[i].idx[1] < 0)
			return aims__err(AIMS_ENOTFOUND, "'%s': no column '%s'", in->name, d->cols[i].name);
		d->cols[i].idx[1] = -1;   /* a second read (rescan) finds the columns in its own reader */
	}
	snprintf(in->digest, sizeof(in->digest), "%s", cur_digest);
	in->rows = cur_rows;
	return rescan_and_compute(d, src);
}

void aims_drift_free(aims_drift *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ncols; i++) {
		col_t *c = &d->cols[i];
		aims__free(c->name);
		for (int s = 0; s < 2; s++) {
			aims__free(c->s[s].vals);
			aims__free(c->s[s].ivals);
			aims__free(c->s[s].bad_value);
			aims__sketch_free(c->s[s].sk);
		}
		cat_table_release(&c->tab[0]);
		cat_table_release(&c->tab[1]);
		aims__free(c->reason);
		aims__free(c->note);
		aims__free(c->hist.ref);
		aims__free(c->hist.cur);
		if (c->hist.labels)
			for (size_t k = 0; k < c->hist.nbins; k++)
				aims__free(c->hist.labels[k]);
		aims__free(c->hist.labels);
	}
	aims__free(d->cols);
	for (int s = 0; s < 2; s++)
		aims__free(d->in[s].name);
	aims_rows_free(d->ref_rows);
	aims__free(d);
}

size_t aims_drift_ncolumns(const aims_drift *d)
{
	return d->ncols;
}

const aims_drift_column *aims_drift_column_get(const aims_drift *d, size_t i)
{
	return i < d->ncols ? &d->cols[i].res : NULL;
}

double aims_drift_share(const aims_drift *d)
{
	return d->share;
}

int aims_drift_dataset(const aims_drift *d)
{
	return d->dataset;
}

const aims__drift_hist *aims__drift_column_hist(const aims_drift *d, size_t i)
{
	return i < d->ncols ? &d->cols[i].hist : NULL;
}

/* ---- JSON ---- */

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int dump(aims_buf *out, json_t *v)
{
	char *s;
	int err;

	if (!v)
		return aims__oom();
	s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(v);
	if (!s)
		return aims__oom();
	err = aims_buf_puts(out, s);
	aims__free(s);
	return err;
}

static json_t *thresholds(const aims_drift *d)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:f, s:I, s:I, s:i}", "ks_alpha", num(d->opts.ks_alpha),
			 "chi2_alpha", num(d->opts.chi2_alpha), "psi", num(d->opts.psi_threshold), "drift_share",
			 num(d->opts.share_threshold), "psi_floor", AIMS_DRIFT_PSI_FLOOR, "max_exact",
			 (json_int_t)d->opts.max_exact, "sketch_k", (json_int_t)d->opts.sketch_k, "psi_bins",
			 AIMS_DRIFT_PSI_BINS);
}

static json_t *inputs(const aims_drift *d)
{
	json_t *a = json_array();
	for (int s = 0; s < 2 && a; s++)
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I}", "role", s ? "current" : "reference",
						       "name", d->in[s].name, "sha256", d->in[s].digest, "rows",
						       (json_int_t)d->in[s].rows)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int aims_drift_inputs_json(aims_buf *out, const aims_drift *d)
{
	return dump(out, inputs(d));
}

int aims_drift_params_json(aims_buf *out, const aims_drift *d)
{
	json_t *o = json_object(), *cols = json_array();
	if (!o || !cols) {
		json_decref(o);
		json_decref(cols);
		return aims__oom();
	}
	for (size_t i = 0; i < d->ncols; i++)
		json_array_append_new(cols, json_string(d->cols[i].name));
	json_object_set_new(o, "columns", cols);
	json_object_set_new(o, "thresholds", thresholds(d));
	return dump(out, o);
}

int aims_drift_json(aims_buf *out, const aims_drift *d)
{
	json_t *o = json_object(), *cols = json_array();

	if (!o || !cols) {
		json_decref(o);
		json_decref(cols);
		return aims__oom();
	}
	for (size_t i = 0; i < d->ncols; i++) {
		const col_t *c = &d->cols[i];
		const aims_drift_column *r = &c->res;
		json_t *st = json_object(), *co = json_object();
		if (!st || !co) {
			json_decref(st);
			json_decref(co);
			json_decref(o);
			json_decref(cols);
			return aims__oom();
		}
		json_object_set_new(co, "name", json_string(r->name));
		json_object_set_new(co, "type", json_string(r->type));
		json_object_set_new(co, "n_ref", json_integer((json_int_t)r->n_ref));
		json_object_set_new(co, "n_cur", json_integer((json_int_t)r->n_cur));
		json_object_set_new(co, "missing_ref", json_integer((json_int_t)r->missing_ref));
		json_object_set_new(co, "missing_cur", json_integer((json_int_t)r->missing_cur));
		json_object_set_new(co, "tested", json_boolean(r->tested));
		if (r->tested && strcmp(r->type, "numeric") == 0) {
			json_object_set_new(st, "ks_statistic", num(r->ks_statistic));
			json_object_set_new(st, "ks_pvalue", num(r->ks_pvalue));
			json_object_set_new(st, "ks_method", json_string(r->ks_method));
			if (r->approximate) {
				json_object_set_new(st, "ks_error_bound", num(r->ks_error_bound));
				json_object_set_new(st, "wasserstein_error_bound", num(r->wasserstein_error_bound));
			}
			json_object_set_new(st, "wasserstein", num(r->wasserstein));
			json_object_set_new(st, "psi", num(r->psi));
		} else if (r->tested) {
			json_t *cats = json_array();
			json_object_set_new(st, "chi2_statistic", num(r->chi2_statistic));
			json_object_set_new(st, "chi2_pvalue", num(r->chi2_pvalue));
			json_object_set_new(st, "chi2_dof", json_integer(r->chi2_dof));
			json_object_set_new(st, "jensenshannon", num(r->jensenshannon));
			json_object_set_new(st, "psi", num(r->psi));
			for (size_t k = 0; k < c->tab[0].n && k < 50 && cats; k++)
				json_array_append_new(cats, json_pack("{s:s, s:I, s:I}", "value", c->tab[0].cats[k].key,
								      "ref", (json_int_t)c->tab[0].cats[k].cnt[0], "cur",
								      (json_int_t)c->tab[0].cats[k].cnt[1]));
			json_object_set_new(co, "categories", json_integer((json_int_t)r->ncategories));
			json_object_set_new(co, "top_categories", cats ? cats : json_array());
		}
		json_object_set_new(co, "statistics", st);
		json_object_set_new(co, "approximate", json_boolean(r->approximate));
		json_object_set_new(co, "drift", json_boolean(r->drift));
		json_object_set_new(co, "reason", json_string(r->reason ? r->reason : ""));
		json_object_set_new(co, "note", r->note ? json_string(r->note) : json_null());
		json_array_append_new(cols, co);
	}
	json_object_set_new(o, "kind", json_string("drift"));
	json_object_set_new(o, "inputs", inputs(d));
	json_object_set_new(o, "thresholds", thresholds(d));
	json_object_set_new(o, "columns", cols);
	json_object_set_new(o, "columns_tested", json_integer((json_int_t)d->tested));
	json_object_set_new(o, "columns_drifted", json_integer((json_int_t)d->drifted));
	json_object_set_new(o, "drift_share", num(d->share));
	json_object_set_new(o, "dataset_drift", json_boolean(d->dataset));
	return dump(out, o);
}
