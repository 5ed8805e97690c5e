/*
 * Unit tests of the drift evaluation through its public API (aims_drift_run
 * on small files with figures computed by scipy 1.10.1), of the quantile
 * sketch's proven error bound, of error paths (unknown column, conflicting
 * overrides, bad options), of open streams as sources (a second read
 * rewinds a file, a pipe refuses it) and of every allocation failing in turn.
 */
#include "helpers.h"

#include <math.h>
#include <unistd.h>

#include "core/core.h"
#include "eval/drift_internal.h"

static const char *write_pair(void)
{
	static char ref[PATH_MAX];
	aims_buf a = AIMS_BUF_INIT, b = AIMS_BUF_INIT;

	aims_buf_puts(&a, "x,c,empty\n");
	for (int i = 1; i <= 40; i++)
		aims_buf_printf(&a, "%d,%s,\n", i * i % 17, i % 3 == 1 ? "u" : i % 3 == 2 ? "v" : "w");
	aims_buf_puts(&b, "empty,c,x\n");
	for (int i = 1; i <= 30; i++)
		aims_buf_printf(&b, ",%s,%g\n", i % 4 == 1 ? "u" : i % 4 == 2 ? "v" : i % 4 == 3 ? "w" : "z",
				(double)(i * i % 13) + 1.5);
	test_write_file(test_path("ref.csv"), a.ptr);
	test_write_file(test_path("cur.csv"), b.ptr);
	snprintf(ref, sizeof(ref), "%s", test_path("ref.csv"));
	aims_buf_release(&a);
	aims_buf_release(&b);
	return ref;
}

static void test_figures_match_scipy(void **state)
{
	char ref[PATH_MAX], cur[PATH_MAX];
	aims_drift_source r = { 0 }, c = { 0 };
	aims_drift *d = NULL;
	const aims_drift_column *x, *k, *e;
	aims_buf json = AIMS_BUF_INIT, html = AIMS_BUF_INIT;
	(void)state;

	snprintf(ref, sizeof(ref), "%s", write_pair());
	snprintf(cur, sizeof(cur), "%s", test_path("cur.csv"));
	r.path = ref;
	c.path = cur;
	assert_aims_ok(aims_drift_run(&d, &r, &c, NULL));
	assert_int_equal(aims_drift_ncolumns(d), 3);
	x = aims_drift_column_get(d, 0);
	k = aims_drift_column_get(d, 1);
	e = aims_drift_column_get(d, 2);
	assert_null(aims_drift_column_get(d, 3));
	/* x: scipy ks_2samp and wasserstein_distance */
	assert_string_equal(x->type, "numeric");
	assert_string_equal(x->ks_method, "exact");
	assert_true(fabs(x->ks_statistic - 0.23333333333333334) < 1e-15);
	assert_true(fabs(x->ks_pvalue / 0.27124368406521887 - 1) < 1e-9);
	assert_true(fabs(x->wasserstein / 1.9166666666666665 - 1) < 1e-12);
	/* p = 0.27: drift only through PSI */
	assert_int_equal(x->drift, x->psi >= 0.2);
	assert_non_null(strstr(x->reason, x->drift ? "psi at or above" : "at or above alpha"));
	/* c: chi2_contingency(correction=False), jensenshannon(base=2) */
	assert_string_equal(k->type, "categorical");
	assert_int_equal(k->chi2_dof, 3);
	assert_int_equal(k->ncategories, 4);
	assert_true(fabs(k->chi2_statistic / 10.410732323232324 - 1) < 1e-12);
	assert_true(fabs(k->chi2_pvalue / 0.01537884073160634 - 1) < 1e-9);
	assert_true(fabs(k->jensenshannon / 0.35814959830315524 - 1) < 1e-12);
	assert_true(k->drift);
	/* PSI of the categories: floor 1e-4 on z's reference share */
	{
		double pr[4] = { 14 / 40.0, 13 / 40.0, 13 / 40.0, 1e-4 }, pc[4] = { 8 / 30.0, 8 / 30.0, 7 / 30.0, 7 / 30.0 };
		double psi = 0;
		for (int i = 0; i < 4; i++)
			psi += (pc[i] - pr[i]) * log(pc[i] / pr[i]);
		assert_true(fabs(k->psi / psi - 1) < 1e-12);
	}
	/* the report's histogram of x: 20 equal-width bins over the pooled range, shares per side */
	{
		const aims__drift_hist *h = aims__drift_column_hist(d, 0);
		double lo = 0, hi = 16, want[2][20] = { { 0 } };
		for (int i = 1; i <= 40; i++) {
			int b = (int)(((double)(i * i % 17) - lo) / (hi - lo) * 20);
			want[0][b > 19 ? 19 : b] += 1.0 / 40;
		}
		for (int i = 1; i <= 30; i++) {
			int b = (int)(((double)(i * i % 13) + 1.5 - lo) / (hi - lo) * 20);
			want[1][b > 19 ? 19 : b] += 1.0 / 30;
		}
		assert_non_null(h);
		assert_int_equal(h->nbins, 20);
		assert_true(h->lo == lo && h->hi == hi);
		for (int b = 0; b < 20; b++)
			assert_true(fabs(h->ref[b] - want[0][b]) < 1e-12 && fabs(h->cur[b] - want[1][b]) < 1e-12);
	}
	/* all-missing: untested, not a NaN */
	assert_false(e->tested);
	assert_int_equal(e->missing_ref, 40);
	assert_int_equal(e->missing_cur, 30);
	/* share over the two tested columns */
	assert_true(fabs(aims_drift_share(d) - (x->drift + k->drift) / 2.0) < 1e-15);
	assert_int_equal(aims_drift_dataset(d), x->drift + k->drift >= 1);
	assert_aims_ok(aims_drift_json(&json, d));
	assert_non_null(strstr(json.ptr, "\"columns_tested\":2"));
	assert_non_null(strstr(json.ptr, "\"ks_method\":\"exact\""));
	assert_null(strstr(json.ptr, "nan"));
	assert_aims_ok(aims_drift_html(&html, d, NULL));
	assert_non_null(strstr(html.ptr, "<svg"));
	aims_buf_release(&json);
	aims_buf_release(&html);
	aims_drift_free(d);
}

static void test_errors(void **state)
{
	char ref[PATH_MAX], cur[PATH_MAX];
	aims_drift_source r = { 0 }, c = { 0 };
	aims_drift_options o = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift *d = NULL;
	const char *cols[] = { "x", "nope" }, *both[] = { "x" };
	(void)state;

	snprintf(ref, sizeof(ref), "%s", write_pair());
	snprintf(cur, sizeof(cur), "%s", test_path("cur.csv"));
	r.path = ref;
	c.path = cur;
	o.columns = cols;
	o.ncolumns = 2;
	assert_aims_error(aims_drift_run(&d, &r, &c, &o), AIMS_ENOTFOUND, "no column 'nope'");
	assert_null(d);
	o.ncolumns = 1;
	o.numeric = both;
	o.nnumeric = 1;
	o.categorical = both;
	o.ncategorical = 1;
	assert_aims_error(aims_drift_run(&d, &r, &c, &o), AIMS_EUSAGE, "both numeric and categorical");
	o.ncategorical = 0;
	o.ks_alpha = 1.5;
	assert_aims_error(aims_drift_run(&d, &r, &c, &o), AIMS_EUSAGE, "alpha");
	o.ks_alpha = 0.05;
	o.version = 99;
	assert_aims_error(aims_drift_run(&d, &r, &c, &o), AIMS_EUSAGE, "version");
	o = (aims_drift_options)AIMS_DRIFT_OPTIONS_INIT;
	o.categorical = both;
	o.ncategorical = 1;
	assert_aims_ok(aims_drift_run(&d, &r, &c, &o));
	assert_string_equal(aims_drift_column_get(d, 0)->type, "categorical");
	aims_drift_free(d);
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* the sketch's ECDF is within its stated eps of the exact ECDF at every point */
static void test_sketch_bound(void **state)
{
	const size_t n = 200000, k = 64;
	aims__sketch *s = NULL;
	double *v = malloc(n * sizeof(double)), *pv = NULL, eps, worst = 0;
	uint64_t *pw = NULL, seed = 1, total = 0;
	size_t np = 0;
	(void)state;

	assert_non_null(v);
	assert_aims_ok(aims__sketch_new(&s, k));
	for (size_t i = 0; i < n; i++) {
		/* a mix with ties and a heavy tail */
		v[i] = (i % 3 == 0) ? (double)(lcg(&seed) % 50) : exp((double)(lcg(&seed) % 100000) / 10000.0);
		assert_aims_ok(aims__sketch_add(s, v[i]));
	}
	assert_int_equal(aims__sketch_count(s), n);
	eps = aims__sketch_eps(s);
	assert_true(eps > 0);
	assert_true(eps <= log2((double)n / k) / (2.0 * k) + 1e-12);
	assert_aims_ok(aims__sketch_points(&pv, &pw, &np, s));
	qsort(v, n, sizeof(double), cmp_d);
	for (size_t i = 0; i < np; i++)
		total += pw[i];
	assert_int_equal(total, n);
	/* check at every summary point and every exact value (step functions change only there) */
	{
		size_t j = 0;
		double c = 0;
		for (size_t i = 0; i < n; i++) {
			if (i + 1 < n && v[i + 1] == v[i])
				continue;
			while (j < np && pv[j] <= v[i])
				c += (double)pw[j++];
			double err = fabs(c / n - (double)(i + 1) / n);
			if (err > worst)
				worst = err;
		}
	}
	assert_true(worst <= eps);
	assert_true(worst > 0); /* the test is not vacuous: the sketch does lose information */
	aims__free(pv);
	aims__free(pw);
	aims__sketch_free(s);
	free(v);
}

static void test_sketch_path_through_api(void **state)
{
	char ref[PATH_MAX], cur[PATH_MAX];
	aims_drift_source r = { 0 }, c = { 0 };
	aims_drift_options o = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift *d = NULL;
	const aims_drift_column *x;
	(void)state;

	snprintf(ref, sizeof(ref), "%s", write_pair());
	snprintf(cur, sizeof(cur), "%s", test_path("cur.csv"));
	r.path = ref;
	c.path = cur;
	o.max_exact = 10;
	o.sketch_k = 16;
	assert_aims_ok(aims_drift_run(&d, &r, &c, &o));
	x = aims_drift_column_get(d, 0);
	assert_string_equal(x->ks_method, "sketch");
	assert_true(x->approximate);
	assert_true(fabs(x->ks_statistic - 0.23333333333333334) <= x->ks_error_bound + 1e-15);
	aims_drift_free(d);
}

/*
 * Numbers parse exactly as strtod: the reference writes each value the
 * plain way (the fast decimal path), the current the same text behind 22
 * leading zeros (too many digits for the fast path: strtod). Any value that
 * came out different by one ulp would make the KS statistic and the
 * Wasserstein distance non-zero. 3000 values also take the radix sort.
 * Column x mixes formats (stored as doubles); y has four decimals
 * throughout (the reference keeps the integers m of m * 10^-4); z leaves
 * that integer storage after 2500 values with two decimals.
 */
static void test_numbers_parse_as_strtod(void **state)
{
	static const char *const special[] = { "9007199254740992", "9007199254740993", "1e22",	"1e23",
					       "123456789012345678", "0.1",  "-0", "0.30000000000000004",
					       "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324", "1e-22",
					       "8.5", "-.5", "7.", "+3.25e+2" };
	char ref[PATH_MAX], cur[PATH_MAX];
	aims_buf a = AIMS_BUF_INIT, b = AIMS_BUF_INIT;
	aims_drift_source r = { 0 }, c = { 0 };
	aims_drift *d = NULL;
	const aims_drift_column *x;
	uint64_t st = 12345;
	(void)state;

	aims_buf_puts(&a, "x,y,z\n");
	aims_buf_puts(&b, "x,y,z\n");
	for (int i = 0; i < 3000; i++) {
		char v[64];
		const char *t;
		double u;
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		u = (double)(st >> 11) / 9007199254740992.0;
		switch (i % 6) {
		case 0: snprintf(v, sizeof(v), "%.6f", (u - 0.5) * 2000); break;
		case 1: snprintf(v, sizeof(v), "%.15g", u); break;
		case 2: snprintf(v, sizeof(v), "%.3e", u * 1e-5); break;
		case 3: snprintf(v, sizeof(v), "%d", (int)(u * 1e6) - 500000); break;
		case 4: snprintf(v, sizeof(v), "%.17g", u * 1e3); break;
		default: snprintf(v, sizeof(v), "%s", special[(i / 6) % (sizeof(special) / sizeof(*special))]); break;
		}
		t = v + (v[0] == '-' || v[0] == '+');
		aims_buf_printf(&a, "%s,", v);
		aims_buf_printf(&b, "%.*s0000000000000000000000%s,", (int)(t - v), v, t);
		snprintf(v, sizeof(v), "%.4f", (u - 0.3) * 1e5);
		t = v + (v[0] == '-');
		aims_buf_printf(&a, "%s,", v);
		aims_buf_printf(&b, "%.*s0000000000000000000000%s,", (int)(t - v), v, t);
		snprintf(v, sizeof(v), i < 2500 ? "%.2f" : "%.3f", (u - 0.5) * 7);
		t = v + (v[0] == '-');
		aims_buf_printf(&a, "%s\n", v);
		aims_buf_printf(&b, "%.*s0000000000000000000000%s\n", (int)(t - v), v, t);
	}
	test_write_file(test_path("ref.csv"), a.ptr);
	test_write_file(test_path("cur.csv"), b.ptr);
	aims_buf_release(&a);
	aims_buf_release(&b);
	snprintf(ref, sizeof(ref), "%s", test_path("ref.csv"));
	snprintf(cur, sizeof(cur), "%s", test_path("cur.csv"));
	r.path = ref;
	c.path = cur;
	assert_aims_ok(aims_drift_run(&d, &r, &c, NULL));
	for (size_t i = 0; i < 3; i++) {
		x = aims_drift_column_get(d, i);
		assert_string_equal(x->type, "numeric");
		assert_int_equal(x->n_ref, 3000);
		assert_int_equal(x->n_cur, 3000);
		assert_true(x->ks_statistic == 0);
		assert_true(x->wasserstein == 0);
		assert_true(x->psi == 0);
	}
	aims_drift_free(d);
}

/*
 * Open streams read like files (the command line passes its opened files,
 * the server its request bodies): the same figures, the name from `path`.
 * A side whose column turns categorical late is read twice: a file stream
 * is rewound, a pipe cannot be and says so.
 */
static void test_streams(void **state)
{
	char ref[PATH_MAX], cur[PATH_MAX];
	aims_drift_source r = { 0 }, c = { 0 };
	aims_drift *d1 = NULL, *d2 = NULL;
	aims_buf j1 = AIMS_BUF_INIT, j2 = AIMS_BUF_INIT, late = AIMS_BUF_INIT;
	FILE *rf, *cf;
	int fds[2];
	(void)state;

	snprintf(ref, sizeof(ref), "%s", write_pair());
	snprintf(cur, sizeof(cur), "%s", test_path("cur.csv"));
	r.path = ref;
	c.path = cur;
	assert_aims_ok(aims_drift_run(&d1, &r, &c, NULL));
	assert_aims_ok(aims_drift_json(&j1, d1));
	assert_non_null(rf = fopen(ref, "rb"));
	assert_non_null(cf = fopen(cur, "rb"));
	r.stream = rf;
	c.stream = cf;
	assert_aims_ok(aims_drift_run(&d2, &r, &c, NULL));
	assert_aims_ok(aims_drift_json(&j2, d2));
	assert_string_equal(j1.ptr, j2.ptr);
	aims_drift_free(d1);
	aims_drift_free(d2);
	d1 = d2 = NULL;

	/* x is numeric for 100 rows of the current data, then text: the current side is read again */
	aims_buf_puts(&late, "x\n");
	for (int i = 0; i < 100; i++)
		aims_buf_printf(&late, "%d\n", i);
	aims_buf_puts(&late, "high\n");
	test_write_file(test_path("late.csv"), late.ptr);
	rewind(rf);
	fclose(cf);
	assert_non_null(cf = fopen(test_path("late.csv"), "rb"));
	r.stream = NULL;
	r.path = test_path("late.csv");
	c.stream = cf;
	c.path = "late.csv";
	assert_aims_ok(aims_drift_run(&d1, &r, &c, NULL));
	assert_string_equal(aims_drift_column_get(d1, 0)->type, "categorical");
	assert_int_equal(aims_drift_column_get(d1, 0)->n_cur, 101);
	aims_drift_free(d1);
	d1 = NULL;

	/* the same data through a pipe: no second read */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], late.ptr, late.len), (ssize_t)late.len);
	close(fds[1]);
	FILE *pf = fdopen(fds[0], "rb");
	assert_non_null(pf);
	c.stream = pf;
	c.path = "-";
	assert_aims_error(aims_drift_run(&d1, &r, &c, NULL), AIMS_EINVALID, "'(stdin)': a column has text after numbers");
	fclose(pf);
	fclose(rf);
	fclose(cf);
	aims_buf_release(&j1);
	aims_buf_release(&j2);
	aims_buf_release(&late);
}

/* every allocation failing in turn: an error or a result, never a crash or a leak */
static void test_alloc_failures(void **state)
{
	char ref[PATH_MAX], cur[PATH_MAX];
	aims_drift_source r = { 0 }, c = { 0 };
	int ok = 0;
	(void)state;

	snprintf(ref, sizeof(ref), "%s", write_pair());
	snprintf(cur, sizeof(cur), "%s", test_path("cur.csv"));
	r.path = ref;
	c.path = cur;
	for (unsigned long n = 1; n < 5000 && !ok; n++) {
		aims_drift *d = NULL;
		aims_buf json = AIMS_BUF_INIT;
		int err;
		aims__alloc_fail_after(n);
		err = aims_drift_run(&d, &r, &c, NULL);
		if (err == 0)
			err = aims_drift_json(&json, d);
		aims__alloc_fail_after(0);
		if (err == 0)
			ok = 1;
		else
			assert_null(err == AIMS_ENOMEM ? NULL : "unexpected error");
		aims_buf_release(&json);
		aims_drift_free(d);
	}
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures_match_scipy),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sketch_bound),
		cmocka_unit_test(test_sketch_path_through_api),
		cmocka_unit_test(test_numbers_parse_as_strtod),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests_name("eval drift", tests, NULL, NULL);
}
