/*
 * Unit tests of the one-pass, many-core evaluation (aims_eval_pass): on the
 * same input it must give what aims_eval_binary (fairness, and performance
 * without the sensitive columns, as aims eval gives them) and aims_drift_run
 * give on one thread (counts and drift figures exactly, sums to 1e-12), whatever
 * the block size and the number of threads, for CSV with quoted fields
 * spanning lines, gzip and NDJSON whose keys appear late; the first bad row
 * is reported with its line whichever thread meets it; a merged quantile
 * sketch keeps its proven bound.
 */
#include "helpers.h"

#include <zlib.h>

/* a deterministic generator (splitmix64) */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static double unif(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* n rows: label, score, prediction, two sensitive columns, a number, a text column with quotes and newlines */
static void write_csv(const char *path, int n, uint64_t seed, double shift, int bad_line)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	rng_state = seed;
	fprintf(f, "y_true,y_score,y_pred,group,sex,income,note\n");
	int line = 2;
	for (int i = 0; i < n; i++) {
		int g = (int)(rnd() % 4);
		double s = unif();
		int y = unif() < (0.3 + 0.1 * g + shift * 0.2);
		int yhat = s > 0.5 - shift * 0.1;
		const char *sex = rnd() % 3 ? "f" : "m";
		double inc = 1000 + 50 * g + 300 * unif() + 400 * shift;
		if (line == bad_line)
			fprintf(f, "%d,oops,%d,g%d,%s,%.2f,x\n", y, yhat, g, sex, inc);
		else if (i % 97 == 5)
			fprintf(f, "%d,%.17g,%d,,%s,%.2f,\"two\nlines, \"\"quoted\"\"\"\n", y, s, yhat, sex, inc);
		else if (i % 89 == 7)
			fprintf(f, "%d,,%d,g%d,%s,,plain\n", y, yhat, g, sex);
		else
			fprintf(f, "%d,%.17g,%d,g%d,%s,%.2f,plain\n", y, s, yhat, g, sex, inc);
		line += (i % 97 == 5) ? 2 : 1;
	}
	assert_int_equal(fclose(f), 0);
}

/* numbers equal to 1e-12 (relative), everything else exactly */
static int near(json_t *a, json_t *b, const char *path)
{
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		if (fabs(x - y) <= 1e-12 * (fabs(x) > 1 ? fabs(x) : 1))
			return 1;
		print_error("%s: %.17g != %.17g\n", path, x, y);
		return 0;
	}
	if (json_typeof(a) != json_typeof(b)) {
		print_error("%s: types differ\n", path);
		return 0;
	}
	if (json_is_object(a)) {
		const char *k;
		json_t *v;
		if (json_object_size(a) != json_object_size(b)) {
			print_error("%s: object sizes differ\n", path);
			return 0;
		}
		json_object_foreach(a, k, v) {
			char p[512];
			snprintf(p, sizeof(p), "%s.%s", path, k);
			if (!json_object_get(b, k) || !near(v, json_object_get(b, k), p))
				return 0;
		}
		return 1;
	}
	if (json_is_array(a)) {
		size_t i;
		json_t *v;
		if (json_array_size(a) != json_array_size(b)) {
			print_error("%s: array sizes differ\n", path);
			return 0;
		}
		json_array_foreach(a, i, v) {
			char p[512];
			snprintf(p, sizeof(p), "%s[%zu]", path, i);
			if (!near(v, json_array_get(b, i), p))
				return 0;
		}
		return 1;
	}
	if (!json_equal(a, b)) {
		print_error("%s: values differ\n", path);
		return 0;
	}
	return 1;
}

static void assert_json_near(const char *a, const char *b)
{
	json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
	assert_non_null(x);
	assert_non_null(y);
	assert_true(near(x, y, "$"));
	json_decref(x);
	json_decref(y);
}

static const char *groups[] = { "group", "sex" };

static void single(char **fair, char **perf, char **drift, const char *cur, const char *ref)
{
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_rows *r = NULL;
	o.label = "y_true";
	o.pred = "y_pred";
	o.score = "y_score";
	o.groups = groups;
	o.ngroups = 2;
	/* each as aims eval fairness | performance computes it: performance without the sensitive columns, so
	   a row without a group value (the data has some) counts for performance, not for fairness */
	assert_aims_ok(aims_rows_open(&r, cur));
	assert_aims_ok(aims_eval_binary(fair, NULL, r, &o));
	aims_rows_free(r);
	o.groups = NULL;
	o.ngroups = 0;
	assert_aims_ok(aims_rows_open(&r, cur));
	assert_aims_ok(aims_eval_binary(NULL, perf, r, &o));
	aims_rows_free(r);
	if (drift) {
		aims_drift_source a = { 0 }, b = { 0 };
		aims_drift *d = NULL;
		aims_buf j = AIMS_BUF_INIT;
		a.path = ref;
		b.path = cur;
		assert_aims_ok(aims_drift_run(&d, &a, &b, NULL));
		assert_aims_ok(aims_drift_json(&j, d));
		*drift = aims_buf_detach(&j, NULL);
		aims_drift_free(d);
	}
}

static int run_pass(aims_eval_pass_result *res, const char *cur, const char *ref, unsigned threads, size_t bs)
{
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_eval_pass_options po = AIMS_EVAL_PASS_OPTIONS_INIT;
	aims_drift_source in = { 0 }, rs = { 0 };
	o.label = "y_true";
	o.pred = "y_pred";
	o.score = "y_score";
	o.groups = groups;
	o.ngroups = 2;
	in.path = cur;
	rs.path = ref;
	po.binary = &o;
	po.fairness = po.performance = 1;
	po.drift_reference = ref ? &rs : NULL;
	po.threads = threads;
	po.block_size = bs;
	return aims_eval_pass(res, &in, &po);
}

static void check_same(const char *cur, const char *ref, unsigned threads, size_t bs)
{
	char *f1 = NULL, *p1 = NULL, *d1 = NULL;
	aims_eval_pass_result res;
	aims_buf j = AIMS_BUF_INIT;
	single(&f1, &p1, &d1, cur, ref);
	assert_aims_ok(run_pass(&res, cur, ref, threads, bs));
	assert_true(res.blocks >= 1);
	/* small blocks: the input was really cut, and every thread asked for got a worker */
	if (bs && bs < 10000)
		assert_true(res.blocks > 10);
	assert_int_equal(res.threads, threads);
	assert_non_null(res.fairness);
	assert_non_null(res.performance);
	assert_json_near(f1, res.fairness);
	assert_json_near(p1, res.performance);
	assert_aims_ok(aims_drift_json(&j, res.drift));
	assert_json_near(d1, j.ptr);
	aims_buf_release(&j);
	aims_eval_pass_result_release(&res);
	free(f1);
	free(p1);
	free(d1);
}

static void test_same_as_one_thread(void **state)
{
	(void)state;
	const char *ref = test_path("ref.csv"), *cur = test_path("cur.csv");
	char r[PATH_MAX], c[PATH_MAX];
	snprintf(r, sizeof(r), "%s", ref);
	snprintf(c, sizeof(c), "%s", cur);
	write_csv(r, 3000, 1, 0, 0);
	write_csv(c, 20000, 2, 0.5, 0);
	/* tiny blocks: many of them, records with quoted newlines cut across block ends */
	check_same(c, r, 3, 4096);
	check_same(c, r, 2, 100000);
	check_same(c, r, 1, 0);
	check_same(c, r, 4, 777);
}

static void test_gzip_and_digest(void **state)
{
	(void)state;
	char r[PATH_MAX], c[PATH_MAX], gz[PATH_MAX];
	aims_eval_pass_result res;
	aims_rows *rows = NULL;
	char dg[72];
	const char *const *f;
	const size_t *l;
	snprintf(r, sizeof(r), "%s", test_path("ref2.csv"));
	snprintf(c, sizeof(c), "%s", test_path("cur2.csv"));
	snprintf(gz, sizeof(gz), "%s", test_path("cur2.csv.gz"));
	write_csv(r, 500, 3, 0, 0);
	write_csv(c, 5000, 4, 0.2, 0);
	char *data = NULL;
	size_t len = 0;
	FILE *in = fopen(c, "rb");
	assert_non_null(in);
	fseek(in, 0, SEEK_END);
	len = (size_t)ftell(in);
	fseek(in, 0, SEEK_SET);
	data = malloc(len);
	assert_int_equal(fread(data, 1, len, in), len);
	fclose(in);
	gzFile g = gzopen(gz, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
	gzclose(g);
	free(data);
	check_same(gz, r, 3, 2048);
	/* the digest is that of the bytes as read, as aims_rows gives it */
	assert_aims_ok(aims_rows_open(&rows, gz));
	while (aims_rows_next(rows, &f, &l) == 1)
		;
	assert_aims_ok(aims_rows_digest(dg, rows));
	aims_rows_free(rows);
	assert_aims_ok(run_pass(&res, gz, NULL, 2, 1024));
	assert_string_equal(res.digest, dg);
	assert_null(res.drift);
	assert_int_equal(res.rows, 5000);
	aims_eval_pass_result_release(&res);
}

static void test_ndjson_late_keys(void **state)
{
	(void)state;
	char c[PATH_MAX], r[PATH_MAX];
	snprintf(c, sizeof(c), "%s", test_path("cur.ndjson"));
	snprintf(r, sizeof(r), "%s", test_path("ref.ndjson"));
	for (int k = 0; k < 2; k++) {
		FILE *f = fopen(k ? r : c, "w");
		assert_non_null(f);
		rng_state = 10 + (uint64_t)k;
		for (int i = 0; i < (k ? 800 : 6000); i++) {
			double s = unif();
			int g = (int)(rnd() % 3);
			/* "extra" first appears after a few thousand records */
			if (i > 4000)
				fprintf(f, "{\"y_true\":%d,\"y_score\":%.17g,\"y_pred\":%d,\"group\":\"g%d\",\"sex\":\"%s\","
					"\"income\":%d,\"note\":{\"a\":%d}}\n", unif() < 0.4, s, s > 0.5, g, i % 2 ? "f" : "m",
					1000 + g * 10 + (int)(rnd() % 50), i % 5);
			else
				fprintf(f, "{\"sex\":\"%s\",\"y_pred\":%d,\"y_score\":%.17g,\"y_true\":%d,\"group\":\"g%d\","
					"\"income\":%d,\"note\":{\"a\":%d}}\n\n", i % 2 ? "f" : "m", s > 0.5, s, unif() < 0.4, g,
					1000 + g * 10 + (int)(rnd() % 50 + k * 20), i % 5);
		}
		fclose(f);
	}
	check_same(c, r, 3, 3000);
}

static void test_first_bad_row_wins(void **state)
{
	(void)state;
	char c[PATH_MAX];
	aims_eval_pass_result res;
	snprintf(c, sizeof(c), "%s", test_path("bad.csv"));
	write_csv(c, 20000, 5, 0, 15000);
	/* one thread: the message of the single reader */
	char *f = NULL, *p = NULL;
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_rows *r = NULL;
	o.label = "y_true";
	o.pred = "y_pred";
	o.score = "y_score";
	o.groups = groups;
	o.ngroups = 2;
	assert_aims_ok(aims_rows_open(&r, c));
	assert_int_equal(aims_eval_binary(&f, &p, r, &o), AIMS_EINVALID);
	char want[1024];
	snprintf(want, sizeof(want), "%s", aims_error_last());
	aims_rows_free(r);
	assert_non_null(strstr(want, "line 15000"));
	for (unsigned t = 1; t <= 4; t++) {
		assert_int_equal(run_pass(&res, c, NULL, t, 5000), AIMS_EINVALID);
		assert_string_equal(aims_error_last(), want);
		aims_eval_pass_result_release(&res);
	}
	/* a missing column: named with the file */
	aims_eval_pass_options po = AIMS_EVAL_PASS_OPTIONS_INIT;
	aims_drift_source in = { 0 };
	o.label = "nope";
	in.path = c;
	po.binary = &o;
	po.performance = 1;
	po.threads = 2;
	po.block_size = 4096;
	assert_aims_error(aims_eval_pass(&res, &in, &po), AIMS_ENOTFOUND, "no column 'nope'");
	aims_eval_pass_result_release(&res);
	/* nothing to do; missing file */
	po.performance = 0;
	assert_aims_error(aims_eval_pass(&res, &in, &po), AIMS_EUSAGE, "nothing to evaluate");
	po.performance = 1;
	o.label = "y_true";
	in.path = test_path("missing.csv");
	assert_aims_error(aims_eval_pass(&res, &in, &po), AIMS_ENOTFOUND, "missing.csv");
	/* an empty file: the reader's own message */
	in.path = test_path("empty.csv");
	test_write_file(in.path, "");
	assert_aims_error(aims_eval_pass(&res, &in, &po), AIMS_EINVALID, "empty input");
}

static void test_sketch_merge_keeps_bound(void **state)
{
	(void)state;
	char r[PATH_MAX], c[PATH_MAX];
	aims_drift_source a = { 0 }, b = { 0 };
	aims_drift_options dopt = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift *one = NULL;
	aims_eval_pass_result res;
	aims_eval_pass_options po = AIMS_EVAL_PASS_OPTIONS_INIT;
	snprintf(r, sizeof(r), "%s", test_path("sr.csv"));
	snprintf(c, sizeof(c), "%s", test_path("sc.csv"));
	write_csv(r, 20000, 7, 0, 0);
	write_csv(c, 30000, 8, 0.3, 0);
	dopt.max_exact = 2000;
	dopt.sketch_k = 64;
	dopt.columns = (const char *const[]){ "income" };
	dopt.ncolumns = 1;
	a.path = r;
	b.path = c;
	assert_aims_ok(aims_drift_run(&one, &a, &b, &dopt));
	po.drift_reference = &a;
	po.drift = &dopt;
	po.threads = 3;
	po.block_size = 8192;
	assert_aims_ok(aims_eval_pass(&res, &b, &po));
	const aims_drift_column *x = aims_drift_column_get(one, 0), *y = aims_drift_column_get(res.drift, 0);
	assert_string_equal(x->ks_method, "sketch");
	assert_string_equal(y->ks_method, "sketch");
	assert_int_equal(x->n_cur, y->n_cur);
	/* both approximate the same exact statistic within their proven bounds */
	assert_true(fabs(x->ks_statistic - y->ks_statistic) <= x->ks_error_bound + y->ks_error_bound + 1e-12);
	assert_true(y->ks_error_bound > 0 && y->ks_error_bound < 0.2);
	aims_drift_free(one);
	aims_eval_pass_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_one_thread),
		cmocka_unit_test(test_gzip_and_digest),
		cmocka_unit_test(test_ndjson_late_keys),
		cmocka_unit_test(test_first_bad_row_wins),
		cmocka_unit_test(test_sketch_merge_keeps_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
