/*
 * Kolmogorov-Smirnov distributions for the drift tests.
 *
 * Two samples, exact: the statistic D of samples of sizes n1, n2 takes the
 * values h / lcm(n1, n2). Under the null every arrangement of the pooled
 * sample is equally likely, so P(D >= d) is the share of monotone lattice
 * paths from (0,0) to (n1,n2) that touch the lines |x/n1 - y/n2| = d
 * (Gnedenko-Korolyuk; Hodges 1958). For n1 = n2 the reflection principle
 * gives an alternating sum of binomial ratios; otherwise we run a recursion
 * over the lattice on q(i,j), the probability that a uniformly chosen path
 * to (i,j) has already left the band: q = 1 outside the band, q(0,0) = 0 and
 * q(i,j) = (i q(i-1,j) + j q(i,j-1)) / (i+j) inside. All terms are
 * non-negative, so tiny p-values keep their relative accuracy.
 *
 * One sample, P(D_n >= d) (the asymptotic path of the two-sample test uses
 * it with n = round(n1 n2 / (n1 + n2))), with the method choice of Simard &
 * L'Ecuyer (2011), "Computing the two-sided Kolmogorov-Smirnov
 * distribution", J. Stat. Software 39(11), in the form scipy 1.10 applies:
 * - n d <= 1/2: 1; n d <= 1: Ruben & Gambino's closed form n!/n^n (2nd-1)^n;
 *   n d >= n - 1: 2 (1-d)^n; d >= 1/2: twice the one-sided Smirnov tail;
 * - n <= 140: Durbin's matrix (Marsaglia, Tsang & Wang 2003) for n d^2 <=
 *   0.754693, Pomeranz's recursion for n d^2 <= 4, else twice Smirnov;
 * - n > 140: 0 for n d^2 >= 370, twice Smirnov for n d^2 >= 2.2, else
 *   1 - CDF with Durbin's matrix when n <= 100000 and n d^1.5 <= 1.4, and
 *   the Pelz-Good (1976) asymptotic series otherwise.
 * The one-sided tail P(D+_n >= d) is the Birnbaum-Tingey (1951) sum.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "drift_internal.h"

#define KS_MAX_AUTO_N 10000

static double clip01(double p)
{
	if (isnan(p))
		return p;
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* ---- two samples, exact ---- */

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* floor(a / b) for b > 0 and any sign of a */
static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && (a < 0))
		q--;
	return q;
}

/* P(D_{n,n} >= h/n) = 2 sum_{k>=1} (-1)^(k+1) C(2n, n-kh) / C(2n, n) */
static double ks2_equal_sf(uint64_t n, uint64_t h)
{
	size_t kmax = (size_t)(n / h), nt = 0;
	double *t = aims__malloc((kmax + 1) * sizeof(*t)), term = 1.0, sum = 0;

	if (!t)
		return -1;
	for (size_t k = 1; k <= kmax; k++) {
		for (uint64_t j = (k - 1) * h; j < k * h; j++)
			term *= (double)(n - j) / (double)(n + 1 + j);
		t[nt++] = term;
		if (term == 0)
			break;
	}
	/* smallest terms first */
	for (size_t k = nt; k-- > 0;)
		sum = t[k] - sum;
	aims__free(t);
	return clip01(2.0 * sum);
}

double aims__ks2_exact_sf(uint64_t n1, uint64_t n2, uint64_t h)
{
	uint64_t g, A, B;
	double *row;
	double q = 1.0;

	if (n1 == 0 || n2 == 0 || h == 0)
		return 1.0;
	if (n1 > ((uint64_t)1 << 31) || n2 > ((uint64_t)1 << 31))
		return -1;
	if (n1 == n2)
		return ks2_equal_sf(n1, h);
	g = gcd_u64(n1, n2);
	A = n2 / g; /* weight of a step in sample 1 */
	B = n1 / g; /* weight of a step in sample 2 */
	if (h > A * n1) /* D <= 1 = lcm / lcm */
		return 0.0;
	row = aims__malloc((size_t)(n2 + 1) * sizeof(*row));
	if (!row)
		return -1;
	for (uint64_t j = 0; j <= n2; j++)
		row[j] = 1.0;
	for (uint64_t i = 0; i <= n1; i++) {
		int64_t lo = floordiv((int64_t)(i * A) - (int64_t)h, (int64_t)B) + 1;
		int64_t hi = floordiv((int64_t)(i * A + h - 1), (int64_t)B);
		double left = 1.0; /* q(i, j-1): outside below the window */
		if (lo < 0)
			lo = 0;
		if (hi > (int64_t)n2)
			hi = (int64_t)n2;
		for (int64_t j = lo; j <= hi; j++) {
			double v;
			if (i == 0 && j == 0)
				v = 0.0;
			else
				v = ((double)i * row[j] + (double)j * left) / (double)(i + (uint64_t)j);
			row[j] = v;
			left = v;
		}
		if (i == n1)
			q = (hi == (int64_t)n2 && lo <= (int64_t)n2) ? row[n2] : 1.0;
	}
	aims__free(row);
	return clip01(q);
}

/* ---- one sample ---- */

/* n!/n^n as m * 2^e (exact product, rescaled) */
static double nfact_over_npow(double n, int *e)
{
	double p = 1.0;
	int ex = 0;
	for (uint64_t ii = 1; ii <= (uint64_t)n; ii++) {
		int k;
		p *= (double)ii / n;
		p = frexp(p, &k);
		ex += k;
	}
	*e = ex;
	return p;
}

double aims__smirnov_sf(double d, double n)
{
	double jmax, scale = -INFINITY, sum = 0, lgn;

	if (isnan(d) || !(n >= 1))
		return NAN;
	if (d <= 0)
		return 1.0;
	if (d >= 1)
		return 0.0;
	/* P(D+_n >= d) = d sum_{j=0}^{floor(n(1-d))} C(n,j) (1-d-j/n)^(n-j) (d+j/n)^(j-1) */
	jmax = floor(n * (1.0 - d));
	lgn = lgamma(n + 1.0);
	for (uint64_t jj = 0; jj <= (uint64_t)jmax; jj++) {
		double j = (double)jj, base = (n - j - n * d) / n, lt;
		if (base <= 0) {
			if (j == n) /* 0^0 */
				base = 1;
			else
				continue;
		}
		lt = lgn - lgamma(j + 1.0) - lgamma(n - j + 1.0) + (n - j) * log(base) +
		     (j - 1.0) * log(d + j / n);
		if (lt > scale) {
			sum = sum * exp(scale - lt) + 1.0;
			scale = lt;
		} else {
			sum += exp(lt - scale);
		}
	}
	if (sum == 0)
		return 0.0;
	return clip01(d * sum * exp(scale));
}

/* C = A * B for m x m matrices (row major) */
static void matmul(double *c, const double *a, const double *b, int m)
{
	for (int i = 0; i < m; i++) {
		double *ci = c + (size_t)i * (size_t)m;
		memset(ci, 0, (size_t)m * sizeof(*ci));
		for (int k = 0; k < m; k++) {
			double aik = a[(size_t)i * (size_t)m + (size_t)k];
			const double *bk = b + (size_t)k * (size_t)m;
			if (aik == 0)
				continue;
			for (int j = 0; j < m; j++)
				ci[j] += aik * bk[j];
		}
	}
}

/* scale a matrix so its largest entry is in [0.5, 1); returns the binary exponent taken out */
static int mat_normalize(double *a, int m)
{
	double mx = 0;
	int e;
	for (size_t i = 0; i < (size_t)m * (size_t)m; i++)
		if (fabs(a[i]) > mx)
			mx = fabs(a[i]);
	if (mx == 0)
		return 0;
	frexp(mx, &e);
	for (size_t i = 0; i < (size_t)m * (size_t)m; i++)
		a[i] = ldexp(a[i], -e);
	return e;
}

/*
 * Durbin's matrix method in the form of Marsaglia, Tsang & Wang (2003):
 * with n d = k - h (k integer, 0 <= h < 1) and m = 2k - 1, P(D_n < d) =
 * n!/n^n (H^n)_{kk} for the m x m matrix H with H_ij = 1/(i-j+1)! (0 when
 * i-j+1 < 0), first column (1 - h^i)/i!, last row (1 - h^(m-j+1))/(m-j+1)!
 * and corner (1 - 2h^m + max(0, 2h-1)^m)/m!.
 */
double aims__kolmogorov_cdf_durbin(double d, double n)
{
	double nd = n * d, h, *H = NULL, *P = NULL, *T = NULL, res = NAN, fac;
	int k, m, eh = 0, ep = 0, ef;
	unsigned long long nn;
	int have = 0;

	if (d >= 1)
		return 1.0;
	if (nd <= 0.5)
		return 0.0;
	k = (int)ceil(nd);
	h = k - nd;
	m = 2 * k - 1;
	if (m > 4000)
		return NAN;
	H = aims__calloc((size_t)m * (size_t)m, sizeof(*H));
	P = aims__calloc((size_t)m * (size_t)m, sizeof(*P));
	T = aims__calloc((size_t)m * (size_t)m, sizeof(*T));
	if (!H || !P || !T)
		goto done;
	/* interior: H[r][c] = 1/(r-c+1)! for r - c + 1 >= 0 */
	for (int r = 0; r < m; r++)
		for (int c = 0; c < m; c++) {
			int q = r - c + 1;
			if (q < 0)
				continue;
			fac = 1.0;
			for (int t = 2; t <= q; t++)
				fac /= t;
			H[(size_t)r * (size_t)m + (size_t)c] = fac;
		}
	for (int r = 0; r < m; r++) {
		fac = 1.0;
		for (int t = 2; t <= r + 1; t++)
			fac /= t;
		H[(size_t)r * (size_t)m] = (1.0 - pow(h, r + 1)) * fac;
	}
	for (int c = 0; c < m; c++) {
		int q = m - c;
		fac = 1.0;
		for (int t = 2; t <= q; t++)
			fac /= t;
		H[(size_t)(m - 1) * (size_t)m + (size_t)c] = (1.0 - pow(h, q)) * fac;
	}
	fac = 1.0;
	for (int t = 2; t <= m; t++)
		fac /= t;
	H[(size_t)(m - 1) * (size_t)m] = (1.0 - 2.0 * pow(h, m) + pow(fmax(0.0, 2.0 * h - 1.0), m)) * fac;

	/* P = H^n by squaring, every product renormalized with its exponent kept */
	nn = (unsigned long long)n;
	while (nn) {
		if (nn & 1) {
			if (!have) {
				memcpy(P, H, (size_t)m * (size_t)m * sizeof(*P));
				ep = eh;
				have = 1;
			} else {
				matmul(T, P, H, m);
				memcpy(P, T, (size_t)m * (size_t)m * sizeof(*P));
				ep += eh + mat_normalize(P, m);
			}
		}
		nn >>= 1;
		if (nn) {
			matmul(T, H, H, m);
			memcpy(H, T, (size_t)m * (size_t)m * sizeof(*H));
			eh = 2 * eh + mat_normalize(H, m);
		}
	}
	{
		double v = P[(size_t)(k - 1) * (size_t)m + (size_t)(k - 1)];
		double f = nfact_over_npow(n, &ef);
		res = v <= 0 ? 0.0 : ldexp(v * f, ep + ef);
	}
done:
	aims__free(H);
	aims__free(P);
	aims__free(T);
	return res;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * Pomeranz's recursion, in this form: scale the sample to [0, n] (t = n d)
 * and let N(s) count the points <= s; D_n < d exactly when s - t < N(s) <
 * s + t for every s. The bounds change only at the breakpoints where s - t
 * or s + t is an integer; between breakpoints b_{i-1} < b_i the count must
 * stay in [lo_i, hi_i]. The counts at the breakpoints form a Markov chain
 * whose increments over an interval of length L weigh L^m / m!; the CDF is
 * n!/n^n times the weight of the sequences ending at n.
 */
double aims__kolmogorov_cdf_pomeranz(double d, double n)
{
	double t = n * d, *b = NULL, *v = NULL, *w = NULL, *pw = NULL, res = NAN;
	size_t nb = 0, cap, ni = (size_t)n;
	int ex = 0, ef;

	if (d >= 1)
		return 1.0;
	if (t <= 0.5)
		return 0.0;
	if (n > 100000)
		return NAN;
	cap = 2 * ni + 4;
	b = aims__malloc(cap * sizeof(*b));
	v = aims__calloc(ni + 1, sizeof(*v));
	w = aims__calloc(ni + 1, sizeof(*w));
	pw = aims__calloc(ni + 2, sizeof(*pw));
	if (!b || !v || !w || !pw)
		goto done;
	b[nb++] = 0;
	b[nb++] = n;
	for (uint64_t jj = 0; (double)jj <= n + ceil(t) + 1; jj++) {
		double s1 = (double)jj - t, s2 = (double)jj + t;
		if (s1 > 0 && s1 < n && nb < cap)
			b[nb++] = s1;
		if (s2 > 0 && s2 < n && nb < cap)
			b[nb++] = s2;
	}
	qsort(b, nb, sizeof(*b), cmp_double);
	v[0] = 1.0;
	for (size_t i = 1; i < nb; i++) {
		double len = b[i] - b[i - 1], mid = 0.5 * (b[i] + b[i - 1]), mx = 0;
		long lo, hi;
		int e;
		if (len <= 0)
			continue;
		lo = (long)floor(mid - t) + 1;
		hi = (long)ceil(mid + t) - 1;
		if (lo < 0)
			lo = 0;
		if (hi > (long)ni)
			hi = (long)ni;
		/* len^m / m! */
		pw[0] = 1.0;
		for (size_t m = 1; m <= ni; m++)
			pw[m] = pw[m - 1] * len / (double)m;
		for (long c = 0; c <= (long)ni; c++) {
			double s = 0;
			if (c <= hi)
				for (long c0 = lo; c0 <= c; c0++)
					s += v[c0] * pw[c - c0];
			w[c] = s;
			if (s > mx)
				mx = s;
		}
		if (mx == 0) {
			res = 0.0;
			goto done;
		}
		frexp(mx, &e);
		for (size_t c = 0; c <= ni; c++)
			v[c] = ldexp(w[c], -e);
		ex += e;
	}
	{
		double f = nfact_over_npow(n, &ef);
		res = ldexp(v[ni] * f, ex + ef);
	}
done:
	aims__free(b);
	aims__free(v);
	aims__free(w);
	aims__free(pw);
	return res;
}

/*
 * Pelz & Good (1976): P(D_n <= d) ~ K0(z) + K1(z)/sqrt(n) + K2(z)/n +
 * K3(z)/n^(3/2) with z = d sqrt(n), each K written with the theta-function
 * transform as sums over odd m of polynomials in m times exp(-pi^2 m^2 /
 * (8 z^2)), plus, for K2 and K3, sums over all k of exp(-pi^2 k^2 / (2 z^2)).
 */
double aims__kolmogorov_cdf_pelz_good(double d, double n)
{
	const double pi2 = M_PI * M_PI;
	const double s2pi = sqrt(2.0 * M_PI);
	double z, z2, z3, z4, z6, z8, z10, s0 = 0, s1 = 0, s2 = 0, s3 = 0, x2 = 0, x3 = 0;
	double k0, k1, k2, k3;
	int kmax;

	if (d <= 0)
		return 0.0;
	if (d >= 1)
		return 1.0;
	z = d * sqrt(n);
	z2 = z * z; z3 = z2 * z; z4 = z2 * z2; z6 = z4 * z2; z8 = z4 * z4; z10 = z8 * z2;
	if (pi2 / (8.0 * z2) > 708.0)
		return 0.0;
	/* terms beyond exp(-745) vanish */
	kmax = (int)ceil((sqrt(745.0 * 8.0 * z2 / pi2) + 1.0) / 2.0) + 1;
	for (int k = kmax; k >= 1; k--) {
		double m = 2.0 * k - 1, m2 = m * m, a = pi2 * m2 / 4.0, e = exp(-pi2 * m2 / (8.0 * z2));
		s0 += e;
		s1 += (a - z2) * e;
		s2 += (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * a + (1 - 2 * z2) * a * a) * e;
		s3 += (-30 * z6 - 90 * z8 + (135 * z4 - 96 * z6) * a + (212 * z4 - 60 * z2) * a * a +
		       (5 - 30 * z2) * a * a * a) * e;
	}
	kmax = (int)ceil(sqrt(745.0 * 2.0 * z2 / pi2)) + 1;
	for (int k = kmax; k >= 1; k--) {
		double kk = (double)k * k, e = exp(-pi2 * kk / (2.0 * z2));
		x2 += kk * e;
		x3 += (3 * z2 - pi2 * kk) * kk * e;
	}
	k0 = s2pi / z * s0;
	k1 = s2pi / (6 * z4) * s1;
	k2 = s2pi / (72 * z6 * z) * s2 - pi2 * s2pi / (36 * z3) * x2;
	k3 = s2pi / (6480 * z10) * s3 + pi2 * s2pi / (216 * z6) * x3;
	return k0 + k1 / sqrt(n) + k2 / n + k3 / (n * sqrt(n));
}

double aims__kolmogorov_sf(double d, double n)
{
	double t, nx2;

	if (isnan(d) || isnan(n) || n < 1 || n != floor(n))
		return NAN;
	if (d >= 1)
		return 0.0;
	if (d <= 0)
		return 1.0;
	t = n * d;
	if (t <= 1.0) {
		int e;
		double f;
		if (t <= 0.5)
			return 1.0;
		/* Ruben-Gambino: P(D_n < d) = n!/n^n (2t - 1)^n for 1/2 <= t <= 1 */
		f = nfact_over_npow(n, &e);
		return clip01(1.0 - ldexp(f, e) * pow(2 * t - 1, n));
	}
	if (t >= n - 1)
		return clip01(2.0 * pow(1.0 - d, n));
	if (d >= 0.5)
		return clip01(2.0 * aims__smirnov_sf(d, n));
	nx2 = t * d;
	if (n <= 140) {
		if (nx2 <= 0.754693)
			return clip01(1.0 - aims__kolmogorov_cdf_durbin(d, n));
		if (nx2 <= 4)
			return clip01(1.0 - aims__kolmogorov_cdf_pomeranz(d, n));
		return clip01(2.0 * aims__smirnov_sf(d, n));
	}
	if (nx2 >= 370.0)
		return 0.0;
	if (nx2 >= 2.2)
		return clip01(2.0 * aims__smirnov_sf(d, n));
	if (n <= 100000 && n * pow(d, 1.5) <= 1.4)
		return clip01(1.0 - aims__kolmogorov_cdf_durbin(d, n));
	return clip01(1.0 - aims__kolmogorov_cdf_pelz_good(d, n));
}

/* ---- the two-sample test ---- */

double aims__ks_asymp_pvalue(double d, double n1, double n2)
{
	double m = n1 > n2 ? n1 : n2, k = n1 > n2 ? n2 : n1;
	double en = m * k / (m + k);
	return clip01(aims__kolmogorov_sf(d, rint(en)));
}

void aims__ks_2samp(aims__ks_result *out, const double *a, size_t n1, const double *b, size_t n2, double *w1)
{
	size_t i = 0, j = 0;
	int64_t best = 0;
	double d, prev = 0, fd = 0, sum = 0, comp = 0;

	if (n1 == 0 || n2 == 0) {
		out->statistic = 0;
		out->pvalue = 1;
		out->method = "asymp";
		if (w1)
			*w1 = 0;
		return;
	}
	/*
	 * walk the pooled distinct values: F1 - F2 = (i n2 - j n1) / (n1 n2);
	 * the Wasserstein term |F1 - F2| (v - previous v) is summed with
	 * Neumaier's compensation, F as i / n1 - j / n2 like scipy
	 */
	while (i < n1 || j < n2) {
		double v, t, x;
		int64_t diff;
		if (j >= n2 || (i < n1 && a[i] <= b[j]))
			v = a[i];
		else
			v = b[j];
		if (i + j > 0) {
			x = fd * (v - prev);
			t = sum + x;
			comp += fabs(sum) >= fabs(x) ? (sum - t) + x : (x - t) + sum;
			sum = t;
		}
		while (i < n1 && a[i] <= v)
			i++;
		while (j < n2 && b[j] <= v)
			j++;
		diff = (int64_t)i * (int64_t)n2 - (int64_t)j * (int64_t)n1;
		if (diff < 0)
			diff = -diff;
		if (diff > best)
			best = diff;
		fd = fabs((double)i / (double)n1 - (double)j / (double)n2);
		prev = v;
	}
	if (w1)
		*w1 = sum + comp;
	d = (double)best / ((double)n1 * (double)n2);
	out->statistic = d;
	out->method = "asymp";
	if (n1 <= KS_MAX_AUTO_N && n2 <= KS_MAX_AUTO_N) {
		uint64_t g = gcd_u64(n1, n2), h = (uint64_t)best / g, n1g = n1 / g;
		double lcm = (double)n1g * (double)n2, p;
		out->statistic = (double)h / lcm;
		p = h == 0 ? 1.0 : aims__ks2_exact_sf(n1, n2, h);
		if (p >= 0 && p <= 1) {
			out->pvalue = p;
			out->method = "exact";
			return;
		}
		d = out->statistic;
	}
	out->pvalue = aims__ks_asymp_pvalue(d, (double)n1, (double)n2);
}
