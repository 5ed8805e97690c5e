/*
 * Whole-population performance of a binary classifier: confusion matrix,
 * accuracy, precision, recall, F1, ROC AUC (ties counted one half, as the
 * trapezoidal ROC area of scikit-learn), log loss (scores clipped to
 * [eps, 1 - eps] with eps the double machine epsilon, scikit-learn 1.2's
 * eps="auto"), Brier score and expected calibration error over 10
 * equal-width bins. Definitions: docs/evaluation.md.
 *
 * Scores are parsed here too: a correctly rounded decimal-to-double
 * conversion with a fast path (below) because strtod was the largest cost
 * of the 10-million-row benchmark after the reader itself.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "eval_internal.h"

/* ---- scores ---- */

#if LDBL_MANT_DIG == 64
static const long double pow10l_tab[28] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
	1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L
};

/*
 * Fast path: at most 19 significant digits m and a decimal exponent e with
 * |e| <= 27, so m and 10^|e| are exact in the x87 80-bit format (64-bit
 * significand) and m * 10^e or m / 10^-e is one correctly rounded
 * operation. Rounding that to double is then correct too unless the
 * extended result lies exactly halfway between two doubles (low 11 of its
 * 64 significand bits 10000000000b): only then can the two roundings differ
 * from one, and strtod decides. 1 = done, 0 = use strtod, -1 = not a number.
 */
static int fast_score(double *out, const char *s, size_t n)
{
	size_t i = 0;
	int neg = 0, any = 0, nd = 0, e10 = 0;
	uint64_t m = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		any = 1;
		if (m == 0 && s[i] == '0')
			continue;
		if (nd == 19)
			return 0;
		m = m * 10 + (uint64_t)(s[i] - '0');
		nd++;
	}
	if (i < n && s[i] == '.') {
		i++;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* eight fraction digits at a time (SWAR): most scores are %.17g */
		while (n - i >= 8 && nd <= 11) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			if ((v & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL ||
			    ((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL)
				break;
			v -= 0x3030303030303030ULL;
			v = v * 10 + (v >> 8);   /* pairs of digits */
			v = ((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
			     ((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
			if (m == 0 && v == 0) {
				e10 -= 8;            /* leading zeros */
			} else {
				nd += m == 0 ? (v >= 10000000 ? 8 : v >= 1000000 ? 7 : v >= 100000 ? 6 : v >= 10000 ? 5 :
						v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1) : 8;
				m = m * 100000000 + v;
				e10 -= 8;
			}
			any = 1;
			i += 8;
		}
#endif
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			any = 1;
			if (m == 0 && s[i] == '0') {
				e10--;
				continue;
			}
			if (nd == 19)
				return 0;
			m = m * 10 + (uint64_t)(s[i] - '0');
			nd++;
			e10--;
		}
	}
	if (!any)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int es = 1, ev = 0, ed = 0;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			es = s[i++] == '-' ? -1 : 1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, ed++) {
			if (ed == 4)
				return 0;
			ev = ev * 10 + (s[i] - '0');
		}
		if (ed == 0)
			return -1;
		e10 += es * ev;
	}
	if (i != n)
		return 0;
	if (m == 0) {
		*out = neg ? -0.0 : 0.0;
		return 1;
	}
	if (e10 < -27 || e10 > 27)
		return 0;
	long double x = (long double)m;
	x = e10 < 0 ? x / pow10l_tab[-e10] : x * pow10l_tab[e10];
	uint64_t sig;
	memcpy(&sig, &x, sizeof(sig));
	if ((sig & 0x7FF) == 0x400)
		return 0;
	double d = (double)x;
	*out = neg ? -d : d;
	return 1;
}
#endif

int aims__parse_score(double *out, const char *s, size_t n)
{
	char small[64], *copy = small, *end;
	double d;
	if (n == 0)
		return -1;
#if LDBL_MANT_DIG == 64
	int rc = fast_score(out, s, n);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
#endif
	/* strtod, but only for plain decimal text: no spaces, hex, inf or nan */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
			return -1;
	}
	if (n >= sizeof(small) && !(copy = aims__strndup(s, n)))
		return -1;
	if (copy == small) {
		memcpy(small, s, n);
		small[n] = '\0';
	}
	errno = 0;
	d = strtod(copy, &end);
	int ok = end == copy + n && isfinite(d);
	if (copy != small)
		aims__free(copy);
	if (!ok)
		return -1;
	*out = d;
	return 0;
}

/* ---- accumulation ---- */

/*
 * Ask for transparent huge pages on a large array: first-touch page faults
 * of 4 KiB pages were a third of the time of the benchmark's sort on a
 * virtual machine. Only a hint; nothing depends on it.
 */
static void hint_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const size_t huge = (size_t)2 << 20;
	size_t mis = (size_t)((uintptr_t)p & (huge - 1)), skip = mis ? huge - mis : 0;
	if (n >= 4 * huge)
		(void)madvise((char *)p + skip, (n - skip) & ~(huge - 1), MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

int aims__perf_init(aims__perf *p, int with_score)
{
	memset(p, 0, sizeof(*p));
	p->with_score = with_score;
	return 0;
}

void aims__perf_release(aims__perf *p)
{
	for (size_t b = 0; b < p->nblocks; b++)
		aims__free(p->blocks[b]);
	aims__free(p->blocks);
	aims__free(p->blen);
	p->blocks = NULL;
	p->blen = NULL;
	p->nblocks = p->capblocks = 0;
}

int aims__perf_add(aims__perf *p, int y, int yhat, double score)
{
	aims__conf_add(&p->c, y, yhat);
	if (!p->with_score)
		return 0;
	/* log loss: clip to [eps, 1 - eps], then the pair (1 - q, q) is normalised by its sum */
	double q = score < DBL_EPSILON ? DBL_EPSILON : score > 1 - DBL_EPSILON ? 1 - DBL_EPSILON : score;
	double a = 1 - q, t = a + q;
	p->sum_logloss -= log((y ? q : a) / t);
	double d = (double)y - score;
	p->sum_brier += d * d;
	int b = (int)floor(score * AIMS__ECE_BINS);
	if (b >= AIMS__ECE_BINS)
		b = AIMS__ECE_BINS - 1;
	p->bin_n[b]++;
	p->bin_score[b] += score;
	p->bin_pos[b] += y;
	size_t off = p->nkeys % AIMS__KEY_BLOCK;
	if (off == 0 || off == p->lastcap) {
		/* the first block starts small and doubles (small inputs stay small); later ones are full size */
		size_t cap = off == 0 ? (p->nblocks == 0 ? 1024 : AIMS__KEY_BLOCK) : p->lastcap * 2;
		uint64_t *blk;
		if (cap > AIMS__KEY_BLOCK)
			cap = AIMS__KEY_BLOCK;
		if (off == 0 && aims__grow(&p->blocks, &p->capblocks, p->nblocks + 1, sizeof(*p->blocks)) < 0)
			return AIMS_ENOMEM;
		if (!(blk = aims__realloc(off ? p->blocks[p->nblocks - 1] : NULL, cap * sizeof(*blk))))
			return aims__oom();
		hint_huge(blk, cap * sizeof(*blk));
		if (off == 0)
			p->nblocks++;
		p->blocks[p->nblocks - 1] = blk;
		p->lastcap = cap;
	}
	uint64_t bits;
	if (score == 0)
		score = 0;  /* -0 sorts as 0 */
	memcpy(&bits, &score, sizeof(bits));
	p->blocks[p->nblocks - 1][off] = bits << 1 | (uint64_t)(y != 0);
	p->nkeys++;
	return 0;
}

/* ---- JSON ---- */

json_t *aims__real(double v)
{
	return json_real(v);
}

json_t *aims__rate(uint64_t num, uint64_t den, json_t *undef, const char *key, const char *why)
{
	if (den == 0) {
		if (undef)
			json_object_set_new(undef, key, json_string(why));
		return json_null();
	}
	return json_real((double)num / (double)den);
}

/*
 * ROC AUC needs the rows in score order. Each block of keys (score bits << 1
 * | label) is sorted on its own with a bucket sort: scores are in [0, 1], so
 * floor(score * 2^k) is a monotone bucket number (the multiplication by a
 * power of two is exact); one counting and one scatter pass put every key
 * in its bucket, then each bucket is sorted by insertion (a few keys on
 * average) or qsort (many equal or close scores). The sorted blocks are
 * then merged with a small heap while the area and the curve are computed
 * from the stream, so no second array of all the keys is ever made: the
 * extra memory is one block. (A radix sort of all keys into a second array
 * cost three times as much on the 10-million-row benchmark, mostly in page
 * faults and cache misses.)
 */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static size_t bucket_of(uint64_t key, size_t nb)
{
	uint64_t bits = key >> 1;
	double s;
	memcpy(&s, &bits, sizeof(s));
	size_t b = (size_t)(s * (double)nb);
	return b >= nb ? nb - 1 : b;
}

/* sort a[0..m) into out[0..m); start has nb + 1 entries */
static void sort_block(const uint64_t *a, size_t m, uint64_t *out, uint32_t *start, size_t nb)
{
	memset(start, 0, (nb + 1) * sizeof(*start));
	for (size_t i = 0; i < m; i++)
		start[bucket_of(a[i], nb) + 1]++;
	for (size_t b = 0; b < nb; b++)
		start[b + 1] += start[b];
	for (size_t i = 0; i < m; i++)
		out[start[bucket_of(a[i], nb)]++] = a[i];
	/* start[b] is now the end of bucket b */
	for (size_t b = 0, lo = 0; b < nb; lo = start[b], b++) {
		size_t k = start[b] - lo;
		uint64_t *v = out + lo;
		if (k > 32) {
			qsort(v, k, sizeof(*v), cmp_u64);
			continue;
		}
		for (size_t i = 1; i < k; i++) {
			uint64_t key = v[i];
			size_t j = i;
			while (j > 0 && v[j - 1] > key) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = key;
		}
	}
}

/* merge state: one cursor per sorted block, a binary min-heap of (head key, block) */
typedef struct {
	uint64_t key;
	size_t b;
} hnode;

typedef struct {
	uint64_t **blk;
	size_t *pos, *len, n;
	hnode *heap;
} merger;

static void sift_down(merger *mg, size_t i)
{
	hnode x = mg->heap[i];
	for (;;) {
		size_t l = 2 * i + 1, m = l;
		if (l >= mg->n)
			break;
		if (l + 1 < mg->n && mg->heap[l + 1].key < mg->heap[l].key)
			m = l + 1;
		if (mg->heap[m].key >= x.key)
			break;
		mg->heap[i] = mg->heap[m];
		i = m;
	}
	mg->heap[i] = x;
}

/* the next key in order; 0 when every block is used up */
static int merge_next(merger *mg, uint64_t *key)
{
	if (mg->n == 0)
		return 0;
	hnode *top = &mg->heap[0];
	size_t b = top->b;
	*key = top->key;
	if (++mg->pos[b] == mg->len[b])
		*top = mg->heap[--mg->n];
	else
		top->key = mg->blk[b][mg->pos[b]];
	if (mg->n > 1)
		sift_down(mg, 0);
	return 1;
}

#define ROC_STEP 0.005  /* a curve point when FPR or TPR moved this much */

typedef struct {
	uint64_t P, N, negbelow, posbelow, u2;
	uint64_t last_fp, last_tp, step_fp, step_tp;  /* counts at the last point; the thinning steps */
	json_t *pts;      /* from the lowest threshold up: reversed at the end */
} roc_acc;

/* one group of equal scores, in increasing score order */
static void roc_group(roc_acc *a, uint64_t pos, uint64_t neg)
{
	/* predicted positive at this threshold: every row with this score or more */
	uint64_t fp = a->N - a->negbelow, tp = a->P - a->posbelow;
	if (a->negbelow + a->posbelow == 0 || a->last_fp - fp >= a->step_fp || a->last_tp - tp >= a->step_tp) {
		json_array_append_new(a->pts, json_pack("[ff]", (double)fp / (double)a->N, (double)tp / (double)a->P));
		a->last_fp = fp;
		a->last_tp = tp;
	}
	/* area: ties of equal score count one half (Mann-Whitney U / (P N)) */
	a->u2 += 2 * pos * a->negbelow + pos * neg;
	a->negbelow += neg;
	a->posbelow += pos;
}

/* keys in block b */
static size_t block_len(const aims__perf *p, size_t b)
{
	if (p->blen)
		return p->blen[b];
	return b + 1 < p->nblocks ? AIMS__KEY_BLOCK : p->nkeys - b * AIMS__KEY_BLOCK;
}

/* buckets for the keys of one block: about 8 keys a bucket */
static size_t bucket_count(size_t n)
{
	size_t nb = 1024;
	while (nb < AIMS__KEY_BLOCK / 8 && nb < n / 8)
		nb *= 2;
	return nb;
}

int aims__perf_presort(aims__perf *p)
{
	size_t nb = bucket_count(p->nkeys), bmax = 0;
	uint64_t *tmp = NULL;
	uint32_t *start = NULL;
	if (p->sorted || p->nkeys == 0) {
		p->sorted = 1;
		return 0;
	}
	for (size_t b = 0; b < p->nblocks; b++)
		if (block_len(p, b) > bmax)
			bmax = block_len(p, b);
	if (!(tmp = aims__malloc((bmax ? bmax : 1) * sizeof(*tmp))) || !(start = aims__malloc((nb + 1) * sizeof(*start)))) {
		aims__free(tmp);
		return aims__oom();
	}
	for (size_t b = 0; b < p->nblocks; b++) {
		size_t m = block_len(p, b);
		sort_block(p->blocks[b], m, tmp, start, nb);
		if (!p->blen) {
			/* every block but the last holds a full block: the sorted copy becomes the block */
			uint64_t *t = p->blocks[b];
			p->blocks[b] = tmp;
			tmp = t;
		} else {
			memcpy(p->blocks[b], tmp, m * sizeof(*tmp));
		}
	}
	aims__free(tmp);
	aims__free(start);
	p->sorted = 1;
	return 0;
}

int aims__perf_merge(aims__perf *dst, aims__perf *src)
{
	size_t need = dst->nblocks + src->nblocks;
	int err;
	if (dst->with_score != src->with_score)
		return aims__err(AIMS_EUSAGE, "performance accumulators of different kinds");
	if (src->nkeys && dst->nkeys && dst->sorted != src->sorted)
		return aims__err(AIMS_EUSAGE, "merging sorted and unsorted score keys");
	if (src->nblocks) {
		size_t *bl = aims__realloc(dst->blen, (need ? need : 1) * sizeof(*bl));
		if (!bl)
			return aims__oom();
		if (!dst->blen)
			for (size_t b = 0; b < dst->nblocks; b++)
				bl[b] = dst->nblocks == b + 1 ? dst->nkeys - b * AIMS__KEY_BLOCK : AIMS__KEY_BLOCK;
		dst->blen = bl;
		if ((err = aims__grow(&dst->blocks, &dst->capblocks, need, sizeof(*dst->blocks))) < 0)
			return err;
		for (size_t b = 0; b < src->nblocks; b++) {
			dst->blen[dst->nblocks] = block_len(src, b);
			dst->blocks[dst->nblocks++] = src->blocks[b];
		}
		dst->sorted = dst->nkeys ? dst->sorted : src->sorted;
		dst->nkeys += src->nkeys;
		aims__free(src->blocks);
		aims__free(src->blen);
		src->blocks = NULL;
		src->blen = NULL;
		src->nblocks = src->capblocks = 0;
		src->nkeys = 0;
	}
	dst->c.tp += src->c.tp;
	dst->c.fp += src->c.fp;
	dst->c.tn += src->c.tn;
	dst->c.fn += src->c.fn;
	dst->sum_logloss += src->sum_logloss;
	dst->sum_brier += src->sum_brier;
	for (int i = 0; i < AIMS__ECE_BINS; i++) {
		dst->bin_n[i] += src->bin_n[i];
		dst->bin_score[i] += src->bin_score[i];
		dst->bin_pos[i] += src->bin_pos[i];
	}
	memset(&src->c, 0, sizeof(src->c));
	src->sum_logloss = src->sum_brier = 0;
	memset(src->bin_n, 0, sizeof(src->bin_n));
	memset(src->bin_score, 0, sizeof(src->bin_score));
	memset(src->bin_pos, 0, sizeof(src->bin_pos));
	return 0;
}

static int roc_json(json_t *obj, aims__perf *p, uint64_t P, uint64_t N, json_t *undef)
{
	size_t nblk;
	merger mg;
	roc_acc acc;
	int err = 0;

	if (P == 0 || N == 0) {
		json_object_set_new(obj, "roc_auc", json_null());
		json_object_set_new(undef, "roc_auc", json_string(P == 0 ? "only one class in the labels (no positives)"
									  : "only one class in the labels (no negatives)"));
		json_object_set_new(obj, "roc_curve", json_array());
		return 0;
	}
	memset(&mg, 0, sizeof(mg));
	if ((err = aims__perf_presort(p)) < 0)
		return err;
	nblk = p->nblocks;
	if (!(mg.pos = aims__calloc(nblk, sizeof(*mg.pos))) || !(mg.len = aims__calloc(nblk, sizeof(*mg.len))) ||
	    !(mg.heap = aims__calloc(nblk, sizeof(*mg.heap)))) {
		err = aims__oom();
		goto done;
	}
	mg.n = 0;
	for (size_t b = 0; b < nblk; b++) {
		size_t m = block_len(p, b);
		mg.len[b] = m;
		if (m == 0)
			continue;
		mg.heap[mg.n].key = p->blocks[b][0];
		mg.heap[mg.n].b = b;
		mg.n++;
	}
	mg.blk = p->blocks;
	for (size_t i = mg.n / 2 + 1; i-- > 0;)
		if (i < mg.n)
			sift_down(&mg, i);

	memset(&acc, 0, sizeof(acc));
	acc.P = P;
	acc.N = N;
	acc.step_fp = (uint64_t)((double)N * ROC_STEP) + 1;
	acc.step_tp = (uint64_t)((double)P * ROC_STEP) + 1;
	acc.pts = json_array();
	uint64_t key, cur = 0, pos = 0, neg = 0;
	int have = 0;
	while (merge_next(&mg, &key)) {
		if (have && key >> 1 != cur) {
			roc_group(&acc, pos, neg);
			pos = neg = 0;
		}
		cur = key >> 1;
		have = 1;
		if (key & 1)
			pos++;
		else
			neg++;
	}
	roc_group(&acc, pos, neg);
	json_object_set_new(obj, "roc_auc", json_real((double)acc.u2 / (2.0 * (double)P * (double)N)));
	/* the curve from (0, 0) to (1, 1) */
	json_t *curve = json_array();
	json_array_append_new(curve, json_pack("[ff]", 0.0, 0.0));
	for (size_t i = json_array_size(acc.pts); i-- > 0;)
		json_array_append(curve, json_array_get(acc.pts, i));
	json_decref(acc.pts);
	json_object_set_new(obj, "roc_curve", curve);
done:
	aims__free(mg.pos);
	aims__free(mg.len);
	aims__free(mg.heap);
	return err;
}

int aims__perf_json(json_t *obj, aims__perf *p)
{
	const aims__conf *c = &p->c;
	uint64_t n = c->tp + c->fp + c->tn + c->fn, P = c->tp + c->fn, N = c->fp + c->tn;
	json_t *undef = json_object();
	int err = 0;

	json_object_set_new(obj, "n", json_integer((json_int_t)n));
	json_object_set_new(obj, "positives", json_integer((json_int_t)P));
	json_object_set_new(obj, "negatives", json_integer((json_int_t)N));
	json_object_set_new(obj, "predicted_positives", json_integer((json_int_t)c->tp + (json_int_t)c->fp));
	json_object_set_new(obj, "confusion_matrix",
			    json_pack("{sIsIsIsI}", "tn", (json_int_t)c->tn, "fp", (json_int_t)c->fp, "fn",
				      (json_int_t)c->fn, "tp", (json_int_t)c->tp));
	json_object_set_new(obj, "accuracy", aims__rate(c->tp + c->tn, n, undef, "accuracy", "no rows"));
	json_object_set_new(obj, "precision",
			    aims__rate(c->tp, c->tp + c->fp, undef, "precision", "no positive predictions"));
	json_object_set_new(obj, "recall", aims__rate(c->tp, P, undef, "recall", "no positive labels"));
	json_object_set_new(obj, "f1", aims__rate(2 * c->tp, 2 * c->tp + c->fp + c->fn, undef, "f1",
						  "no positive labels and no positive predictions"));
	if (!p->with_score) {
		static const char *const keys[] = { "roc_auc", "log_loss", "brier", "ece" };
		for (size_t k = 0; k < 4; k++) {
			json_object_set_new(obj, keys[k], json_null());
			json_object_set_new(undef, keys[k], json_string("no score column (--score)"));
		}
		json_object_set_new(obj, "roc_curve", json_array());
		json_object_set_new(obj, "calibration", json_array());
		json_object_set_new(obj, "undefined", undef);
		return 0;
	}
	if ((err = roc_json(obj, p, P, N, undef)) < 0) {
		json_decref(undef);
		return err;
	}
	if (P == 0 || N == 0 || n == 0) {
		json_object_set_new(obj, "log_loss", json_null());
		json_object_set_new(undef, "log_loss", json_string("only one class in the labels"));
	} else {
		json_object_set_new(obj, "log_loss", json_real(p->sum_logloss / (double)n));
	}
	if (n == 0) {
		json_object_set_new(obj, "brier", json_null());
		json_object_set_new(undef, "brier", json_string("no rows"));
		json_object_set_new(obj, "ece", json_null());
		json_object_set_new(undef, "ece", json_string("no rows"));
	} else {
		json_object_set_new(obj, "brier", json_real(p->sum_brier / (double)n));
		double ece = 0;
		json_t *bins = json_array();
		for (int b = 0; b < AIMS__ECE_BINS; b++) {
			json_t *o = json_pack("{sfsfsI}", "lower", b / (double)AIMS__ECE_BINS, "upper",
					      (b + 1) / (double)AIMS__ECE_BINS, "n", (json_int_t)p->bin_n[b]);
			if (p->bin_n[b] == 0) {
				json_object_set_new(o, "mean_score", json_null());
				json_object_set_new(o, "fraction_positive", json_null());
			} else {
				double conf = p->bin_score[b] / (double)p->bin_n[b];
				double acc = p->bin_pos[b] / (double)p->bin_n[b];
				json_object_set_new(o, "mean_score", json_real(conf));
				json_object_set_new(o, "fraction_positive", json_real(acc));
				ece += (double)p->bin_n[b] / (double)n * fabs(acc - conf);
			}
			json_array_append_new(bins, o);
		}
		json_object_set_new(obj, "ece", json_real(ece));
		json_object_set_new(obj, "calibration", bins);
	}
	json_object_set_new(obj, "undefined", undef);
	return 0;
}
