/*
 * Internal numerics of the drift evaluation: special functions (special.c),
 * the Kolmogorov-Smirnov distributions (ks.c), a deterministic quantile
 * sketch with a proven rank-error bound (sketch.c) and the HTML report
 * (drift_report.c). Not part of the public API; exposed here so the unit
 * tests can check each piece against scipy.
 */
#ifndef AIMS_DRIFT_INTERNAL_H
#define AIMS_DRIFT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/buf.h"
#include "aims/drift.h"

/* ---- special.c ---- */

/**
 * Regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a)
 * for a > 0, x >= 0 (NaN otherwise). Series for P below x < a + 1 (Q = 1 - P,
 * no cancellation there since Q is not small), modified-Lentz continued
 * fraction for Q above. Like Cephes/scipy, the result is exactly 0 when the
 * prefactor x^a e^-x / Gamma(a) is below exp(-709.78).
 */
double aims__gamma_q(double a, double x);

/** Survival function of the chi-square distribution with `dof` > 0 degrees of freedom. */
double aims__chi2_sf(double x, double dof);

/** log(n! / n^n) for n >= 1. */
double aims__log_nfact_over_npow(double n);

/* ---- ks.c ---- */

/**
 * Exact two-sided P(D_{n1,n2} >= h / lcm(n1, n2)) for the two-sample
 * Kolmogorov-Smirnov statistic of continuous data, 0 < h (integer). Equal
 * sizes use the reflection series; unequal sizes count the lattice paths
 * that leave the band with a normalized recursion whose terms are all
 * positive (accurate even for tiny probabilities). Returns a probability in
 * [0, 1], or -1 when the computation cannot be done (sizes too large).
 */
double aims__ks2_exact_sf(uint64_t n1, uint64_t n2, uint64_t h);

/**
 * P(D_n >= d) for the one-sample two-sided Kolmogorov statistic (scipy's
 * kstwo.sf), choosing the method by Simard & L'Ecuyer (2011): Ruben-Gambino
 * closed forms near the ends, the exact one-sided Smirnov sum doubled for
 * large d, the Durbin matrix (Marsaglia-Tsang-Wang) or Pomeranz recursion
 * for small n, the Pelz-Good asymptotic series otherwise.
 */
double aims__kolmogorov_sf(double d, double n);

/** P(D+_n >= d), the one-sided Smirnov statistic (Birnbaum-Tingey sum). */
double aims__smirnov_sf(double d, double n);

/** CDF pieces, exposed for tests. */
double aims__kolmogorov_cdf_durbin(double d, double n);
double aims__kolmogorov_cdf_pomeranz(double d, double n);
double aims__kolmogorov_cdf_pelz_good(double d, double n);

typedef struct {
	double statistic;   /* D (the lattice value h/lcm for the exact method) */
	double pvalue;
	const char *method; /* "exact" or "asymp" */
} aims__ks_result;

/**
 * Two-sample two-sided KS test on sorted samples a[0..n1), b[0..n2) (n1, n2
 * > 0), with scipy.stats.ks_2samp(method='auto') rules: exact when
 * max(n1, n2) <= 10000 (asymptotic if the exact computation fails),
 * otherwise kstwo.sf(D, round(n1 n2 / (n1 + n2))). When w1 is not NULL it
 * also gets the Wasserstein-1 distance (the integral of |F1 - F2|), from
 * the same walk over the pooled values.
 */
void aims__ks_2samp(aims__ks_result *out, const double *a, size_t n1, const double *b, size_t n2, double *w1);

/** p-value for an already known D with the same rules (used by the sketch path: asymptotic). */
double aims__ks_asymp_pvalue(double d, double n1, double n2);

/* ---- sketch.c ---- */

/*
 * A deterministic mergeable quantile summary ("merge and reduce"): full
 * buffers of k values at the same level are merged and every other value is
 * kept with double weight, alternating which half is kept. Each such
 * compaction at weight w moves any rank by at most w; the summary adds those
 * up, so err_weight / n is a proven bound on the error of its empirical CDF
 * at every point.
 */
typedef struct aims__sketch aims__sketch;

int aims__sketch_new(aims__sketch **out, size_t k);
int aims__sketch_add(aims__sketch *s, double v);
void aims__sketch_free(aims__sketch *s);
uint64_t aims__sketch_count(const aims__sketch *s);
/**
 * Add every value summarized by src to dst (both with the same k): src's
 * level buffers are carried into dst as they are, its unsorted values added
 * one by one, and the error bounds add up, so the bound stays proven.
 */
int aims__sketch_merge(aims__sketch *dst, const aims__sketch *src);
/** Proven bound on |F_sketch(x) - F_exact(x)| for every x (a fraction of n). */
double aims__sketch_eps(const aims__sketch *s);
/**
 * The summary as sorted values with integer weights (summing to the count);
 * *vals and *wts are allocated (aims__free).
 */
int aims__sketch_points(double **vals, uint64_t **wts, size_t *n, const aims__sketch *s);

/* ---- drift.c <-> drift_report.c ---- */

/* histogram of one column for the report: bins over [lo, hi] or categories */
typedef struct {
	size_t nbins;
	double lo, hi;        /* numeric range */
	double *ref, *cur;    /* proportions per bin */
	char **labels;        /* categorical labels (NULL for numeric) */
} aims__drift_hist;

const aims__drift_hist *aims__drift_column_hist(const aims_drift *d, size_t i);

#endif
