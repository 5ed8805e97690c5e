/*
 * A deterministic quantile summary for numeric columns too large to keep
 * (drift.c switches to it above max_exact values). Merge and reduce:
 * values are gathered in a level-0 buffer of k; a full buffer is sorted and
 * carried up. Two full sorted buffers of one level (items of weight w) are
 * merged and every other item is kept with weight 2w, alternating between
 * the odd and the even positions from one compaction to the next.
 *
 * Error bound: for any x, if r of the 2k merged items are <= x, the kept
 * half holds floor(r/2) or ceil(r/2) of them, so the weighted count below x
 * moves by at most w. The summary adds w for every compaction; err / n then
 * bounds |F_summary(x) - F_exact(x)| at every x, which is what the KS
 * statistic and the Wasserstein distance are built from. With n values
 * there are at most n / (2^(h+1) k) compactions at level h, each adding
 * 2^h, so err / n <= log2(n/k) / (2k).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "drift_internal.h"

#define SKETCH_MAX_LEVELS 64

struct aims__sketch {
	size_t k;
	uint64_t n;
	double *buf0;             /* level 0, unsorted, up to k values */
	size_t n0;
	double *level[SKETCH_MAX_LEVELS]; /* sorted full buffers of k values, or NULL */
	double *tmp;              /* 2k merge space */
	uint64_t err;             /* sum of the weights of all compactions */
	unsigned flip;            /* alternates the kept half */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int aims__sketch_new(aims__sketch **out, size_t k)
{
	aims__sketch *s;

	*out = NULL;
	if (k < 16)
		k = 16;
	if (!(s = aims__calloc(1, sizeof(*s))))
		return aims__oom();
	s->k = k;
	if (!(s->buf0 = aims__malloc(k * sizeof(double))) || !(s->tmp = aims__malloc(2 * k * sizeof(double)))) {
		aims__sketch_free(s);
		return aims__oom();
	}
	*out = s;
	return 0;
}

void aims__sketch_free(aims__sketch *s)
{
	if (!s)
		return;
	aims__free(s->buf0);
	aims__free(s->tmp);
	for (int h = 0; h < SKETCH_MAX_LEVELS; h++)
		aims__free(s->level[h]);
	aims__free(s);
}

/* carry the sorted buffer `b` (k values of weight 2^h) into level h; takes b */
static int carry(aims__sketch *s, double *b, int h)
{
	while (h < SKETCH_MAX_LEVELS && s->level[h]) {
		double *a = s->level[h];
		size_t i = 0, j = 0, o = 0, k = s->k;
		/* merge a and b into tmp */
		while (i < k || j < k)
			s->tmp[o++] = (j >= k || (i < k && a[i] <= b[j])) ? a[i++] : b[j++];
		/* keep every other one into a */
		for (size_t t = 0; t < k; t++)
			a[t] = s->tmp[2 * t + (s->flip & 1)];
		s->flip++;
		s->err += (uint64_t)1 << h;
		aims__free(b);
		s->level[h] = NULL;
		b = a;
		h++;
	}
	if (h >= SKETCH_MAX_LEVELS) {
		aims__free(b);
		return aims__err(AIMS_EINVALID, "quantile sketch: too many values");
	}
	s->level[h] = b;
	return 0;
}

int aims__sketch_add(aims__sketch *s, double v)
{
	s->buf0[s->n0++] = v;
	s->n++;
	if (s->n0 == s->k) {
		double *b = aims__malloc(s->k * sizeof(double));
		if (!b)
			return aims__oom();
		qsort(s->buf0, s->k, sizeof(double), cmp_double);
		memcpy(b, s->buf0, s->k * sizeof(double));
		s->n0 = 0;
		return carry(s, b, 0);
	}
	return 0;
}

int aims__sketch_merge(aims__sketch *dst, const aims__sketch *src)
{
	int err;
	if (dst->k != src->k)
		return aims__err(AIMS_EUSAGE, "quantile sketch: merging summaries of different sizes");
	/* full buffers: k values of weight 2^h each, carried into the same level of dst */
	for (int h = 0; h < SKETCH_MAX_LEVELS; h++) {
		if (!src->level[h])
			continue;
		double *b = aims__malloc(src->k * sizeof(double));
		if (!b)
			return aims__oom();
		memcpy(b, src->level[h], src->k * sizeof(double));
		dst->n += (uint64_t)src->k << h;
		if ((err = carry(dst, b, h)) < 0)
			return err;
	}
	dst->err += src->err;
	for (size_t i = 0; i < src->n0; i++)
		if ((err = aims__sketch_add(dst, src->buf0[i])) < 0)
			return err;
	return 0;
}

uint64_t aims__sketch_count(const aims__sketch *s)
{
	return s->n;
}

double aims__sketch_eps(const aims__sketch *s)
{
	return s->n ? (double)s->err / (double)s->n : 0.0;
}

typedef struct {
	double v;
	uint64_t w;
} wpoint;

static int cmp_wpoint(const void *a, const void *b)
{
	double x = ((const wpoint *)a)->v, y = ((const wpoint *)b)->v;
	return (x > y) - (x < y);
}

int aims__sketch_points(double **vals, uint64_t **wts, size_t *n, const aims__sketch *s)
{
	size_t total = s->n0, o = 0;
	wpoint *p;

	*vals = NULL;
	*wts = NULL;
	*n = 0;
	for (int h = 0; h < SKETCH_MAX_LEVELS; h++)
		if (s->level[h])
			total += s->k;
	if (!(p = aims__malloc((total ? total : 1) * sizeof(*p))))
		return aims__oom();
	for (size_t i = 0; i < s->n0; i++)
		p[o++] = (wpoint){ s->buf0[i], 1 };
	for (int h = 0; h < SKETCH_MAX_LEVELS; h++)
		if (s->level[h])
			for (size_t i = 0; i < s->k; i++)
				p[o++] = (wpoint){ s->level[h][i], (uint64_t)1 << h };
	qsort(p, total, sizeof(*p), cmp_wpoint);
	*vals = aims__malloc((total ? total : 1) * sizeof(double));
	*wts = aims__malloc((total ? total : 1) * sizeof(uint64_t));
	if (!*vals || !*wts) {
		aims__free(*vals);
		aims__free(*wts);
		*vals = NULL;
		*wts = NULL;
		aims__free(p);
		return aims__oom();
	}
	for (size_t i = 0; i < total; i++) {
		(*vals)[i] = p[i].v;
		(*wts)[i] = p[i].w;
	}
	*n = total;
	aims__free(p);
	return 0;
}
