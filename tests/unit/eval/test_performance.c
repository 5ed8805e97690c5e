/*
 * Unit tests for the performance figures (src/lib/eval/performance.c):
 * score parsing against strtod, ROC AUC with ties against a brute-force
 * pair count, log-loss clipping, Brier, ECE bins, undefined figures, and
 * allocation failures.
 */
#include "helpers.h"

#include <float.h>
#include <math.h>

#include "core/core.h"
#include "eval/eval_internal.h"

static uint64_t rng = 12345;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void test_parse_score(void **state)
{
	(void)state;
	char buf[64];
	double d;
	/* random doubles in [0, 1] printed as %.17g, %.6f, %g and %.3e: equal to strtod */
	for (int i = 0; i < 200000; i++) {
		double v = (double)(rnd() >> 11) / 9007199254740992.0;
		const char *fmt = i % 4 == 0 ? "%.17g" : i % 4 == 1 ? "%.6f" : i % 4 == 2 ? "%g" : "%.3e";
		if (i % 1000 == 0)
			v = ldexp(v, -(int)(rnd() % 60));
		snprintf(buf, sizeof(buf), fmt, v);
		assert_int_equal(aims__parse_score(&d, buf, strlen(buf)), 0);
		if (d != strtod(buf, NULL))
			fail_msg("'%s': %.17g, strtod %.17g", buf, d, strtod(buf, NULL));
	}
	/* halfway cases and long digit strings go through strtod */
	static const char *const ok[] = { "0.5", "1", "0", "1.0", "-0", "+0.25", ".5", "5e-1", "0.100000000000000000000001",
					  "9007199254740993e-16", "0.30000000000000004", "1E0", "00000.1" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(aims__parse_score(&d, ok[i], strlen(ok[i])), 0);
		assert_true(d == strtod(ok[i], NULL));
	}
	static const char *const bad[] = { "", "abc", "1e", "nan", "inf", " 1", "1 ", "0x1p-3", "1..2", "--1", "1e+",
					   "1e99999", "." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (aims__parse_score(&d, bad[i], strlen(bad[i])) != -1)
			fail_msg("'%s' accepted as %.17g", bad[i], d);
}

static json_t *perf_of(const int *y, const int *yhat, const double *s, size_t n)
{
	aims__perf p;
	json_t *o = json_object();
	aims__perf_init(&p, s != NULL);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(aims__perf_add(&p, y[i], yhat[i], s ? s[i] : 0), 0);
	assert_int_equal(aims__perf_json(o, &p), 0);
	aims__perf_release(&p);
	return o;
}

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_number(v))
		fail_msg("%s is not a number", k);
	return json_number_value(v);
}

static void test_metrics_small(void **state)
{
	(void)state;
	/* the classic example: AUC 0.75 */
	int y[] = { 0, 0, 1, 1 }, yh[] = { 0, 0, 0, 1 };
	double s[] = { 0.1, 0.4, 0.35, 0.8 };
	json_t *o = perf_of(y, yh, s, 4);
	assert_true(num(o, "roc_auc") == 0.75);
	assert_true(num(o, "accuracy") == 0.75);
	assert_true(num(o, "precision") == 1.0);
	assert_true(num(o, "recall") == 0.5);
	assert_true(fabs(num(o, "f1") - 2.0 / 3.0) < 1e-15);
	double ll = -(log(0.9) + log(0.6) + log(0.35) + log(0.8)) / 4;
	assert_true(fabs(num(o, "log_loss") - ll) < 1e-15);
	double br = (0.01 + 0.16 + 0.65 * 0.65 + 0.04) / 4;
	assert_true(fabs(num(o, "brier") - br) < 1e-15);
	/* ECE: bins 1 (0.1), 3 (0.35), 4 (0.4), 8 (0.8): each |y - s| / 4 */
	double ece = (0.1 + 0.65 + 0.4 + 0.2) / 4;
	assert_true(fabs(num(o, "ece") - ece) < 1e-15);
	json_t *cal = json_object_get(o, "calibration");
	assert_int_equal(json_array_size(cal), 10);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cal, 3), "n")), 1);
	assert_true(json_is_null(json_object_get(json_array_get(cal, 0), "mean_score")));
	json_decref(o);

	/* ties count one half: pos {0.5, 0.9}, neg {0.5, 0.2} -> 3.5 / 4 */
	int y2[] = { 0, 1, 0, 1 }, yh2[] = { 1, 1, 0, 1 };
	double s2[] = { 0.5, 0.5, 0.2, 0.9 };
	o = perf_of(y2, yh2, s2, 4);
	assert_true(num(o, "roc_auc") == 0.875);
	/* a score of exactly 1 falls in the last bin */
	json_decref(o);
	int y3[] = { 1, 0 }, yh3[] = { 1, 0 };
	double s3[] = { 1.0, 0.0 };
	o = perf_of(y3, yh3, s3, 2);
	/* clipped to [eps, 1 - eps]: both terms -log(1 - eps) */
	assert_true(fabs(num(o, "log_loss") - (-log1p(-DBL_EPSILON))) < 1e-30);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(o, "calibration"), 9), "n")), 1);
	json_decref(o);
}

static void test_undefined(void **state)
{
	(void)state;
	int y[] = { 1, 1, 1 }, yh[] = { 0, 0, 0 };
	double s[] = { 0.2, 0.3, 0.4 };
	json_t *o = perf_of(y, yh, s, 3);
	assert_true(json_is_null(json_object_get(o, "roc_auc")));
	assert_true(json_is_null(json_object_get(o, "log_loss")));
	assert_true(json_is_null(json_object_get(o, "precision")));
	assert_true(num(o, "recall") == 0);
	assert_true(num(o, "f1") == 0);
	json_t *u = json_object_get(o, "undefined");
	assert_non_null(strstr(json_string_value(json_object_get(u, "roc_auc")), "one class"));
	assert_non_null(strstr(json_string_value(json_object_get(u, "precision")), "no positive predictions"));
	json_decref(o);
	/* without scores: the score figures are null with the reason */
	o = perf_of(y, yh, NULL, 3);
	assert_true(json_is_null(json_object_get(o, "brier")));
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(o, "undefined"), "ece")), "--score"));
	json_decref(o);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* AUC of many rows with many ties against an independent count over sorted halves */
static void test_auc_large(void **state)
{
	(void)state;
	size_t n = 2500000, np = 0, nn = 0;   /* three blocks of keys */
	int *y = malloc(n * sizeof(*y)), *yh = calloc(n, sizeof(*yh));
	double *s = malloc(n * sizeof(*s)), *ps = malloc(n * sizeof(*ps)), *ns = malloc(n * sizeof(*ns));
	assert_true(y && yh && s && ps && ns);
	for (size_t i = 0; i < n; i++) {
		y[i] = rnd() % 3 == 0;
		/* coarse scores (many ties) for a third of the rows, fine for the rest */
		double v = (double)(rnd() >> 11) / 9007199254740992.0;
		if (i % 3 == 0)
			v = floor(v * 50) / 50;
		s[i] = y[i] ? sqrt(v) : v;
		if (y[i])
			ps[np++] = s[i];
		else
			ns[nn++] = s[i];
	}
	qsort(ps, np, sizeof(*ps), cmp_d);
	qsort(ns, nn, sizeof(*ns), cmp_d);
	/* for each positive: negatives below + half the equal ones (two pointers) */
	double u = 0;
	size_t lo = 0, hi = 0;
	for (size_t i = 0; i < np; i++) {
		while (lo < nn && ns[lo] < ps[i])
			lo++;
		if (hi < lo)
			hi = lo;
		while (hi < nn && ns[hi] <= ps[i])
			hi++;
		u += (double)lo + 0.5 * (double)(hi - lo);
	}
	json_t *o = perf_of(y, yh, s, n);
	double auc = num(o, "roc_auc");
	if (fabs(auc - u / ((double)np * (double)nn)) > 1e-12)
		fail_msg("auc %.17g, expected %.17g", auc, u / ((double)np * (double)nn));
	/* the curve: (0, 0) to (1, 1), never going back, thinned to a few hundred points */
	json_t *curve = json_object_get(o, "roc_curve");
	size_t np_ = json_array_size(curve);
	assert_true(np_ > 100 && np_ <= 402);
	json_t *first = json_array_get(curve, 0), *last = json_array_get(curve, np_ - 1);
	assert_true(json_number_value(json_array_get(first, 0)) == 0 && json_number_value(json_array_get(first, 1)) == 0);
	assert_true(json_number_value(json_array_get(last, 0)) == 1.0 && json_number_value(json_array_get(last, 1)) == 1.0);
	for (size_t i = 1; i < np_; i++) {
		json_t *a = json_array_get(curve, i - 1), *b = json_array_get(curve, i);
		assert_true(json_number_value(json_array_get(a, 0)) <= json_number_value(json_array_get(b, 0)));
		assert_true(json_number_value(json_array_get(a, 1)) <= json_number_value(json_array_get(b, 1)));
	}
	json_decref(o);
	free(y);
	free(yh);
	free(s);
	free(ps);
	free(ns);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	const char *csv = "y,p,s,g\n1,1,0.9,a\n0,0,0.2,a\n1,0,0.4,b\n0,1,0.7,b\n";
	static const char *const groups[] = { "g" };
	for (unsigned long n = 1; n < 2000; n++) {
		aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
		aims_rows *r = NULL;
		char *f = NULL, *p = NULL;
		o.label = "y";
		o.pred = "p";
		o.score = "s";
		o.groups = groups;
		o.ngroups = 1;
		aims__alloc_fail_after(n);
		int rc = aims_rows_open_mem(&r, csv, strlen(csv), "a.csv", 0);
		if (rc == 0)
			rc = aims_eval_binary(&f, &p, r, &o);
		aims__alloc_fail_after(0);
		aims_rows_free(r);
		if (rc == 0) {
			assert_non_null(f);
			assert_non_null(p);
			free(f);
			free(p);
			return;
		}
		assert_null(f);
		assert_null(p);
	}
	fail_msg("never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_score),
		cmocka_unit_test(test_metrics_small),
		cmocka_unit_test(test_undefined),
		cmocka_unit_test(test_auc_large),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
