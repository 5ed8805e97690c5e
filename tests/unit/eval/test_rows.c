/*
 * Unit tests for the evaluation reader (include/aims/rows.h): CSV quoting,
 * CRLF, missing values, ragged rows, NDJSON flattening, gzip, digests,
 * long records across buffer refills and allocation failures.
 */
#include "helpers.h"

#include <zlib.h>

#include "core/core.h"

static aims_rows *open_mem(const char *text, const char *name, int ndjson)
{
	aims_rows *r = NULL;
	int rc = aims_rows_open_mem(&r, text, strlen(text), name, ndjson);
	if (rc != 0)
		fail_msg("open failed: %s", aims_error_last());
	return r;
}

static void test_csv_basic(void **state)
{
	(void)state;
	const char *text = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x,y\",3\r\n\r\n,\"he said \"\"hi\"\"\",\"multi\nline\"\n7,8,\n";
	aims_rows *r = open_mem(text, "t.csv", 0);
	const char *const *f;
	const size_t *l;

	assert_int_equal(aims_rows_ncols(r), 3);
	assert_string_equal(aims_rows_colname(r, 0), "a");
	assert_null(aims_rows_colname(r, 3));
	assert_int_equal(aims_rows_col(r, "c"), 2);
	assert_int_equal(aims_rows_is_ndjson(r), 0);

	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_string_equal(f[0], "1");
	assert_string_equal(f[1], "x,y");
	assert_int_equal(l[1], 3);
	assert_string_equal(f[2], "3");
	assert_int_equal(aims_rows_line(r), 2);

	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_null(f[0]);
	assert_string_equal(f[1], "he said \"hi\"");
	assert_string_equal(f[2], "multi\nline");
	assert_int_equal(aims_rows_line(r), 4);
	aims_rows_skip(r);
	aims_rows_skip(r);  /* counted once */

	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_string_equal(f[0], "7");
	assert_null(f[2]);
	assert_int_equal(aims_rows_line(r), 6);

	char d[72];
	assert_aims_error(aims_rows_digest(d, r), AIMS_EUSAGE, "digest");
	assert_int_equal(aims_rows_next(r, &f, &l), 0);
	assert_int_equal(aims_rows_read(r), 3);
	assert_int_equal(aims_rows_skipped(r), 1);
	assert_int_equal(aims_rows_missing(r, 0), 1);
	assert_int_equal(aims_rows_missing(r, 1), 0);
	assert_int_equal(aims_rows_missing(r, 2), 1);

	unsigned char md[32];
	char hex[65];
	/* the digest is of the raw bytes */
	aims_rows_free(r);
	r = open_mem(text, "t.csv", 0);
	while (aims_rows_next(r, &f, &l) == 1)
		;
	assert_int_equal(aims_rows_digest(d, r), 0);
	(void)md;
	(void)hex;
	assert_int_equal(strncmp(d, "sha256:", 7), 0);
	assert_int_equal(strlen(d), 71);
	aims_rows_free(r);
	/* no trailing newline */
	r = open_mem("a,b\n1,2", "t.csv", 0);
	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_string_equal(f[1], "2");
	assert_int_equal(aims_rows_next(r, &f, &l), 0);
	aims_rows_free(r);
}

static void test_csv_errors(void **state)
{
	(void)state;
	aims_rows *r;
	const char *const *f;
	const size_t *l;

	r = open_mem("a,b,c\n1,2,3\n4,5\n", "bad.csv", 0);
	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_aims_error(aims_rows_next(r, &f, &l), AIMS_EINVALID, "'bad.csv' line 3: 2 fields, expected 3");
	aims_rows_free(r);

	/* a ragged row's empty fields are not counted as missing values */
	r = open_mem("a,b,c\n,2\n", "bad.csv", 0);
	assert_aims_error(aims_rows_next(r, &f, &l), AIMS_EINVALID, "line 2: 2 fields, expected 3");
	assert_int_equal(aims_rows_missing(r, 0), 0);
	assert_int_equal(aims_rows_read(r), 0);
	aims_rows_free(r);

	r = open_mem("a,b\n1,\"open\n2,3\n", "q.csv", 0);
	assert_aims_error(aims_rows_next(r, &f, &l), AIMS_EINVALID, "'q.csv' line 2: quoted field not closed");
	aims_rows_free(r);

	r = open_mem("a,b\n1,\"x\"y\n", "q.csv", 0);
	assert_aims_error(aims_rows_next(r, &f, &l), AIMS_EINVALID, "line 2: text after the closing quote");
	aims_rows_free(r);

	r = open_mem("a,b\n", "t.csv", 0);
	assert_aims_error(aims_rows_col(r, "x"), AIMS_ENOTFOUND, "'t.csv': no column 'x' (columns: a, b)");
	aims_rows_free(r);

	assert_aims_error(aims_rows_open_mem(&r, "a,a\n", 4, "d.csv", 0), AIMS_EINVALID,
			  "'d.csv' line 1: duplicate column 'a'");
	assert_null(r);
	assert_aims_error(aims_rows_open_mem(&r, "", 0, "e.csv", 0), AIMS_EINVALID, "'e.csv': empty input");
	assert_aims_error(aims_rows_open(&r, test_path("nope.csv")), AIMS_ENOTFOUND, "nope.csv");
}

static void test_ndjson(void **state)
{
	(void)state;
	const char *text =
		"{\"time\":\"2026-01-01T00:00:00Z\",\"output\":{\"pred\":1,\"score\":0.25},\"g\":\"a\\u00e9\"}\n"
		"\n"
		"{\"output\":{\"pred\":0,\"score\":null},\"g\":\"\",\"extra\":[1,{\"x\":2}],\"ok\":true}\r\n";
	aims_rows *r = open_mem(text, "d.jsonl", 0);
	const char *const *f;
	const size_t *l;

	assert_int_equal(aims_rows_is_ndjson(r), 1);
	assert_int_equal(aims_rows_ncols(r), 4);
	int pred = aims_rows_col(r, "output.pred"), score = aims_rows_col(r, "output.score");
	int g = aims_rows_col(r, "g"), t = aims_rows_col(r, "time");
	assert_true(pred >= 0 && score >= 0 && g >= 0 && t >= 0);
	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_string_equal(f[pred], "1");
	assert_string_equal(f[score], "0.25");
	assert_string_equal(f[g], "a\xC3\xA9");
	assert_int_equal(l[g], 3);
	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_int_equal(aims_rows_line(r), 3);
	assert_string_equal(f[pred], "0");
	assert_null(f[score]);
	assert_null(f[g]);
	assert_null(f[t]);
	assert_int_equal(aims_rows_ncols(r), 6);
	int ex = aims_rows_col(r, "extra"), ok = aims_rows_col(r, "ok");
	assert_string_equal(f[ex], "[1,{\"x\":2}]");
	assert_string_equal(f[ok], "true");
	assert_int_equal(aims_rows_next(r, &f, &l), 0);
	assert_int_equal(aims_rows_missing(r, (size_t)ex), 1);   /* absent in row 1 */
	assert_int_equal(aims_rows_missing(r, (size_t)score), 1);
	assert_int_equal(aims_rows_missing(r, (size_t)t), 1);
	aims_rows_free(r);

	/* content sniffing: first byte '{' */
	r = open_mem("  {\"a\":1}\n", "x.txt", 0);
	assert_int_equal(aims_rows_is_ndjson(r), 1);
	aims_rows_free(r);

	r = open_mem("{\"a\":1}\n{\"a\":2,\"a\":3}\n", "d.ndjson", 0);
	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_aims_error(aims_rows_next(r, &f, &l), AIMS_EINVALID, "'d.ndjson' line 2: duplicate key 'a'");
	aims_rows_free(r);

	r = open_mem("{\"a\":1}\n{\"a\":tru}\n", "d.ndjson", 0);
	assert_int_equal(aims_rows_next(r, &f, &l), 1);
	assert_aims_error(aims_rows_next(r, &f, &l), AIMS_EINVALID, "'d.ndjson' line 2: column 6:");
	aims_rows_free(r);

	assert_aims_error(aims_rows_open_mem(&r, "[1]\n", 4, "d.ndjson", 0), AIMS_EINVALID,
			  "expected a JSON object");
}

static void write_gz(const char *path, const char *text, int members)
{
	gzFile z = gzopen(path, "wb");
	assert_non_null(z);
	size_t n = strlen(text), half = members > 1 ? n / 2 : n;
	assert_int_equal(gzwrite(z, text, (unsigned)half), (int)half);
	assert_int_equal(gzclose(z), Z_OK);
	if (members > 1) {
		z = gzopen(path, "ab");
		assert_non_null(z);
		assert_int_equal(gzwrite(z, text + half, (unsigned)(n - half)), (int)(n - half));
		assert_int_equal(gzclose(z), Z_OK);
	}
}

static void test_gzip_and_large(void **state)
{
	(void)state;
	/* 200000 rows: crosses many buffer refills, in plain and gzip form */
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_puts(&b, "id,label,text\n");
	for (int i = 0; i < 200000; i++)
		aims_buf_printf(&b, "%d,%d,%s\n", i, i % 3, i % 1000 == 0 ? "\"a\nb,\"\"c\"\"\"" : "plain");
	const char *plain = test_path("big.csv"), *gz = test_path("big.csv.gz");
	test_write_file(plain, b.ptr);
	write_gz(gz, b.ptr, 2);

	char d1[72], d2[72];
	const char *paths[2] = { plain, gz };
	for (int k = 0; k < 2; k++) {
		aims_rows *r = NULL;
		const char *const *f;
		const size_t *l;
		long i = 0;
		int rc;
		assert_int_equal(aims_rows_open(&r, paths[k]), 0);
		while ((rc = aims_rows_next(r, &f, &l)) == 1) {
			if (strtol(f[0], NULL, 10) != i)
				fail_msg("row %ld: id %s", i, f[0]);
			if (i % 1000 == 0)
				assert_string_equal(f[2], "a\nb,\"c\"");
			else
				assert_string_equal(f[2], "plain");
			i++;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(i, 200000);
		assert_int_equal(aims_rows_read(r), 200000);
		assert_int_equal(aims_rows_digest(k ? d2 : d1, r), 0);
		aims_rows_free(r);
	}
	/* each digest is of the file's own bytes */
	assert_string_not_equal(d1, d2);
	unsigned char md[32];
	char hex[65];
	char *data;
	size_t len;
	assert_int_equal(aims_global_init(), 0);
	FILE *fp = fopen(plain, "rb");
	assert_non_null(fp);
	data = malloc(b.len);
	assert_non_null(data);
	len = fread(data, 1, b.len, fp);
	fclose(fp);
	assert_int_equal(len, b.len);
	/* sha256 via zlib-free path: compare with the reader's own digest of memory input */
	aims_rows *m = NULL;
	const char *const *f;
	const size_t *l;
	assert_int_equal(aims_rows_open_mem(&m, data, len, "m.csv", 0), 0);
	while (aims_rows_next(m, &f, &l) == 1)
		;
	char d3[72];
	assert_int_equal(aims_rows_digest(d3, m), 0);
	assert_string_equal(d1, d3);
	aims_rows_free(m);
	free(data);
	(void)md;
	(void)hex;

	/* a corrupt gzip file */
	const char *bad = test_path("bad.csv.gz");
	FILE *bf = fopen(bad, "wb");
	assert_non_null(bf);
	fwrite("\x1f\x8b\x08\x00garbage-garbage-garbage", 1, 27, bf);
	fclose(bf);
	aims_rows *r = NULL;
	assert_aims_error(aims_rows_open(&r, bad), AIMS_EINVALID, "bad.csv.gz");
	aims_buf_release(&b);
}

/* an open stream reads as the file does: the same rows and digest, gzip by its magic bytes, NDJSON by name */
static void test_stream(void **state)
{
	(void)state;
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_puts(&b, "id,v\n");
	for (int i = 0; i < 50000; i++)
		aims_buf_printf(&b, "%d,%s\n", i, i % 7 ? "x" : "");
	const char *plain = test_path("s.csv"), *gz = test_path("s.csv.gz");
	test_write_file(plain, b.ptr);
	write_gz(gz, b.ptr, 1);
	const char *paths[2] = { plain, gz };
	for (int k = 0; k < 2; k++) {
		char d1[72], d2[72];
		aims_rows *r = NULL;
		const char *const *f;
		const size_t *l;
		FILE *fp;
		int rc;
		assert_int_equal(aims_rows_open(&r, paths[k]), 0);
		while ((rc = aims_rows_next(r, &f, &l)) == 1)
			;
		assert_int_equal(rc, 0);
		assert_int_equal(aims_rows_digest(d1, r), 0);
		aims_rows_free(r);
		assert_non_null(fp = fopen(paths[k], "rb"));
		assert_int_equal(aims_rows_open_stream(&r, fp, "-"), 0);
		assert_string_equal(aims_rows_name(r), "(stdin)");
		while ((rc = aims_rows_next(r, &f, &l)) == 1)
			;
		assert_int_equal(rc, 0);
		assert_int_equal(aims_rows_read(r), 50000);
		assert_int_equal(aims_rows_missing(r, 1), 50000 / 7 + 1);
		assert_int_equal(aims_rows_digest(d2, r), 0);
		assert_string_equal(d1, d2);
		aims_rows_free(r);
		fclose(fp);
	}
	/* the name chooses NDJSON as a file name does; errors name it */
	FILE *mf = fmemopen((char *)"a,b\n1,2\n", 8, "r");
	aims_rows *r = NULL;
	assert_non_null(mf);
	assert_aims_error(aims_rows_open_stream(&r, mf, "body.ndjson"), AIMS_EINVALID, "'body.ndjson' line 1");
	fclose(mf);
	/* a stream that cannot be read */
	FILE *wf = fopen(test_path("w.csv"), "wb");
	assert_non_null(wf);
	assert_aims_error(aims_rows_open_stream(&r, wf, "w.csv"), AIMS_ERROR, "'w.csv': read");
	fclose(wf);
	aims_buf_release(&b);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	const char *text = "a,b\n1,2\n3,4\n";
	const char *nd = "{\"a\":{\"b\":\"x\"}}\n{\"c\":1}\n";
	for (int which = 0; which < 2; which++) {
		for (unsigned long n = 1; n < 200; n++) {
			aims_rows *r = NULL;
			const char *const *f;
			const size_t *l;
			const char *t = which ? nd : text;
			aims__alloc_fail_after(n);
			int rc = aims_rows_open_mem(&r, t, strlen(t), "a.csv", which);
			if (rc == 0)
				while ((rc = aims_rows_next(r, &f, &l)) == 1)
					;
			aims__alloc_fail_after(0);
			aims_rows_free(r);
			if (rc == 0)
				break;
			assert_int_equal(rc, AIMS_ENOMEM);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_basic),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_ndjson),
		cmocka_unit_test(test_gzip_and_large),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
