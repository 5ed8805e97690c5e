/*
 * Unit tests of the RFC 4180 CSV reader: quoting, embedded separators and
 * newlines, CRLF, BOM, blank lines, line numbers, malformed input, and the
 * same records from a file as from memory.
 */
#include "helpers.h"
#include "aims/csv.h"
#include "core/core.h"

/* read all records; each record's fields joined by '|', records by '\n' */
static int read_all(const char *data, size_t len, aims_buf *out, size_t *lines, size_t nlines)
{
	aims_csv *c = NULL;
	char **f;
	size_t *l, n;
	int rc;
	size_t rec = 0;
	if ((rc = aims_csv_open_mem(&c, data, len, "t.csv")) < 0)
		return rc;
	while ((rc = aims_csv_next(c, &f, &l, &n)) == 1) {
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(strlen(f[i]), l[i]);
			aims_buf_printf(out, "%s%s", i ? "|" : "", f[i]);
		}
		aims_buf_putc(out, '\n');
		if (lines && rec < nlines)
			lines[rec] = aims_csv_line(c);
		rec++;
	}
	aims_csv_free(c);
	return rc;
}

static void expect(const char *in, const char *want)
{
	aims_buf b = AIMS_BUF_INIT;
	int rc = read_all(in, strlen(in), &b, NULL, 0);
	if (rc != 0)
		fail_msg("input %s: error %d: %s", in, rc, aims_error_last());
	assert_string_equal(b.ptr, want);
	aims_buf_release(&b);
}

static void test_csv_basic(void **state)
{
	(void)state;
	expect("a,b,c\n1,2,3\n", "a|b|c\n1|2|3\n");
	expect("a,b,c\r\n1,2,3\r\n", "a|b|c\n1|2|3\n");
	expect("a,b\n1,2", "a|b\n1|2\n");                  /* no final newline */
	expect("a,,c\n,,\n", "a||c\n||\n");                  /* empty fields */
	expect("\"a,b\",\"c\"\"d\",\"e\nf\"\n", "a,b|c\"d|e\nf\n");
	expect("\"\",x\n", "|x\n");
	expect("a\n\n\r\nb\n", "a\nb\n");                    /* blank lines skipped */
	expect("\xEF\xBB\xBFh1,h2\nv1,v2\n", "h1|h2\nv1|v2\n"); /* BOM */
	expect("", "");
	expect("x\ry,z\n", "x\ry|z\n");                      /* lone CR inside a field is data */
	expect("\"q\"\r\n\"r\"", "q\nr\n");
	expect("caf\xC3\xA9,na\xC3\xAFve\n", "caf\xC3\xA9|na\xC3\xAFve\n");
}

static void test_csv_line_numbers(void **state)
{
	(void)state;
	const char *in = "h\n\"multi\nline\"\n\nlast\n";
	size_t lines[3] = { 0 };
	aims_buf b = AIMS_BUF_INIT;
	assert_int_equal(read_all(in, strlen(in), &b, lines, 3), 0);
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 2);
	assert_int_equal(lines[2], 5);
	aims_buf_release(&b);
}

static void expect_error(const char *in, const char *needle)
{
	aims_buf b = AIMS_BUF_INIT;
	int rc = read_all(in, strlen(in), &b, NULL, 0);
	if (rc != AIMS_EINVALID)
		fail_msg("input %s: expected an error, got %d", in, rc);
	if (!strstr(aims_error_last(), needle))
		fail_msg("message '%s' lacks '%s'", aims_error_last(), needle);
	aims_buf_release(&b);
}

static void test_csv_errors(void **state)
{
	(void)state;
	expect_error("a,b\n\"open,x\n", "'t.csv' line 2: quoted field never closed");
	expect_error("a,b\n\"x\"y,z\n", "'t.csv' line 2: field 1: text after the closing quote");
	expect_error("a,b\nx,y\"z\n", "'t.csv' line 2: field 2: quote inside an unquoted field");
}

static void test_csv_file_equals_memory(void **state)
{
	(void)state;
	/* a file larger than the read buffer, with a quoted field across the boundary */
	aims_buf text = AIMS_BUF_INIT, want = AIMS_BUF_INIT, got = AIMS_BUF_INIT;
	for (int i = 0; i < 5000; i++)
		aims_buf_printf(&text, "%d,\"field, %d\nwith \"\"quotes\"\"\",plain%d\r\n", i, i, i);
	test_write_file(test_path("big.csv"), text.ptr);
	assert_int_equal(read_all(text.ptr, text.len, &want, NULL, 0), 0);
	aims_csv *c = NULL;
	char **f;
	size_t *l, n;
	int rc;
	size_t records = 0;
	assert_aims_ok(aims_csv_open(&c, test_path("big.csv")));
	while ((rc = aims_csv_next(c, &f, &l, &n)) == 1) {
		for (size_t i = 0; i < n; i++)
			aims_buf_printf(&got, "%s%s", i ? "|" : "", f[i]);
		aims_buf_putc(&got, '\n');
		records++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(records, 5000);
	assert_int_equal(aims_csv_line(c), 2 * 4999 + 1);
	assert_string_equal(got.ptr, want.ptr);
	aims_csv_free(c);
	assert_aims_error(aims_csv_open(&c, test_path("none.csv")), AIMS_ENOTFOUND, "none.csv");
	aims_buf_release(&text);
	aims_buf_release(&want);
	aims_buf_release(&got);
}

static void test_csv_allocation_failures(void **state)
{
	(void)state;
	const char *in = "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r\n\"x\",y\n";
	for (unsigned long n = 1; n < 100; n++) {
		aims_buf b = AIMS_BUF_INIT;
		aims__alloc_fail_after(n);
		int rc = read_all(in, strlen(in), &b, NULL, 0);
		aims__alloc_fail_after(0);
		aims_buf_release(&b);
		if (rc == 0)
			return;
		assert_int_equal(rc, AIMS_ENOMEM);
	}
	fail_msg("never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_basic),
		cmocka_unit_test(test_csv_line_numbers),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_file_equals_memory),
		cmocka_unit_test(test_csv_allocation_failures),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
