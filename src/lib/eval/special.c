/*
 * Special functions for the drift tests: the regularized incomplete gamma
 * function (hence the chi-square survival function) and log(n!/n^n).
 * Written from the textbook definitions: the power series of the lower
 * function P(a, x) and the Legendre continued fraction of the upper
 * function Q(a, x), evaluated with the modified Lentz method.
 */
#include <float.h>
#include <math.h>

#include "drift_internal.h"

/* log of the largest double: a prefactor below exp(-this) is taken as 0 (as Cephes does) */
#define LOG_UNDERFLOW 709.782712893383996843
#define MAX_ITER 100000

/* log(x^a e^-x / Gamma(a)) */
static double log_prefactor(double a, double x)
{
	return a * log(x) - x - lgamma(a);
}

/* P(a, x) by the series e^-x x^a / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n)) */
static double gamma_p_series(double a, double x)
{
	double lp = log_prefactor(a, x);
	double term = 1.0 / a, sum = term;

	if (lp < -LOG_UNDERFLOW)
		return 0.0;
	for (int n = 1; n < MAX_ITER; n++) {
		term *= x / (a + n);
		sum += term;
		if (fabs(term) < fabs(sum) * DBL_EPSILON * 0.5)
			break;
	}
	return sum * exp(lp);
}

/*
 * Q(a, x) by the continued fraction
 *   Q = e^-x x^a / Gamma(a) * 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...)))
 * evaluated with the modified Lentz algorithm.
 */
static double gamma_q_cf(double a, double x)
{
	const double tiny = DBL_MIN / DBL_EPSILON;
	double lp = log_prefactor(a, x);
	double b = x + 1.0 - a, c = 1.0 / tiny, dd = 1.0 / b, h = dd;

	if (lp < -LOG_UNDERFLOW)
		return 0.0;
	for (int i = 1; i < MAX_ITER; i++) {
		double an = -i * (i - a), delta;
		b += 2.0;
		dd = an * dd + b;
		if (fabs(dd) < tiny)
			dd = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		dd = 1.0 / dd;
		delta = dd * c;
		h *= delta;
		if (fabs(delta - 1.0) < DBL_EPSILON)
			break;
	}
	return exp(lp) * h;
}

double aims__gamma_q(double a, double x)
{
	if (!(a > 0) || !(x >= 0) || isnan(a) || isnan(x))
		return NAN;
	if (x == 0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	if (x < a + 1.0) {
		double q = 1.0 - gamma_p_series(a, x);
		return q < 0 ? 0 : q;
	}
	return gamma_q_cf(a, x);
}

double aims__chi2_sf(double x, double dof)
{
	if (!(dof > 0))
		return NAN;
	if (isnan(x))
		return NAN;
	if (x <= 0)
		return 1.0;
	return aims__gamma_q(dof / 2.0, x / 2.0);
}

double aims__log_nfact_over_npow(double n)
{
	return lgamma(n + 1.0) - n * log(n);
}
