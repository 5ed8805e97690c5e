/*
 * Unit tests of the core: aims_buf, the per-thread error state, SHA-256
 * and the JSON position locator.
 */
#include "helpers.h"
#include "core/core.h"
#include "core/json.h"

#include <fcntl.h>

#include <pthread.h>

static void test_buf_empty_is_not_null(void **state)
{
	(void)state;
	aims_buf b = AIMS_BUF_INIT;
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	size_t len = 99;
	char *s = aims_buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	aims_buf_release(&b);
	assert_string_equal(b.ptr, "");
}

static void test_buf_grows_and_formats(void **state)
{
	(void)state;
	aims_buf b = AIMS_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		assert_aims_ok(aims_buf_printf(&b, "%d,", i));
	assert_int_equal(b.len, strlen(b.ptr));
	assert_true(strncmp(b.ptr, "0,1,2,", 6) == 0);
	assert_non_null(strstr(b.ptr, "998,999,"));
	assert_aims_ok(aims_buf_putc(&b, 'x'));
	assert_int_equal(b.ptr[b.len - 1], 'x');
	assert_int_equal(b.ptr[b.len], '\0');
	aims_buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	aims_buf_release(&b);
}

static void test_buf_limit(void **state)
{
	(void)state;
	aims_buf b;
	aims_buf_init(&b, 10);
	assert_aims_ok(aims_buf_puts(&b, "0123456789"));
	assert_aims_error(aims_buf_putc(&b, 'x'), AIMS_EINVALID, "limit of 10 bytes");
	assert_string_equal(b.ptr, "0123456789");
	assert_aims_error(aims_buf_put(&b, "y", SIZE_MAX), AIMS_EINVALID, "limit");
	aims_buf_release(&b);
}

static void test_buf_oom(void **state)
{
	(void)state;
	aims_buf b = AIMS_BUF_INIT;
	aims__alloc_fail_after(1);
	assert_aims_error(aims_buf_puts(&b, "hello"), AIMS_ENOMEM, "out of memory");
	aims__alloc_fail_after(0);
	assert_string_equal(b.ptr, "");
	assert_aims_ok(aims_buf_puts(&b, "hello"));
	assert_string_equal(b.ptr, "hello");
	aims_buf_release(&b);
}

static void test_error_prefix_and_clear(void **state)
{
	(void)state;
	assert_int_equal(aims__err(AIMS_ENOTFOUND, "no '%s'", "x"), AIMS_ENOTFOUND);
	aims__err_prefix("reading '%s'", "f.json");
	assert_string_equal(aims_error_last(), "reading 'f.json': no 'x'");
	assert_int_equal(aims_error_last_code(), AIMS_ENOTFOUND);
	aims_error_clear();
	assert_string_equal(aims_error_last(), "");
	assert_int_equal(aims_error_last_code(), AIMS_OK);
	assert_string_equal(aims_error_name(AIMS_ETAMPERED), "integrity failure");
}

static void test_error_long_message_is_cut(void **state)
{
	(void)state;
	char big[5000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	(void)aims__err(AIMS_EINVALID, "%s", big);
	assert_true(strlen(aims_error_last()) < 4096);
	aims__err_prefix("file 'x'");
	assert_true(strncmp(aims_error_last(), "file 'x': aaa", 13) == 0);
}

static void *thread_err(void *arg)
{
	(void)aims__err(AIMS_ECONFLICT, "thread %s", (const char *)arg);
	return (void *)(intptr_t)(strcmp(aims_error_last(), "thread two") == 0);
}

static void test_error_is_per_thread(void **state)
{
	(void)state;
	pthread_t t;
	void *ok = NULL;
	(void)aims__err(AIMS_EINVALID, "main thread");
	assert_int_equal(pthread_create(&t, NULL, thread_err, "two"), 0);
	assert_int_equal(pthread_join(t, &ok), 0);
	assert_true(ok != NULL);
	assert_string_equal(aims_error_last(), "main thread");
	assert_int_equal(aims_error_last_code(), AIMS_EINVALID);
}

static void test_sha256_known_answers(void **state)
{
	(void)state;
	unsigned char md[32];
	char hex[65];
	/* FIPS 180-2 test vectors */
	assert_aims_ok(aims__sha256_oneshot(md, "", 0));
	aims__hex(hex, md, 32);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_aims_ok(aims__sha256_oneshot(md, "abc", 3));
	aims__hex(hex, md, 32);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* streaming in pieces equals one shot, and the context is reusable */
	aims__sha256 *h = NULL;
	assert_aims_ok(aims__sha256_new(&h));
	for (int round = 0; round < 2; round++) {
		assert_aims_ok(aims__sha256_update(h, "a", 1));
		assert_aims_ok(aims__sha256_update(h, "bc", 2));
		assert_aims_ok(aims__sha256_final(h, md));
		aims__hex(hex, md, 32);
		assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}
	aims__sha256_free(h);
}

static void test_json_locate(void **state)
{
	(void)state;
	const char *text = "{\n  \"a\": 1,\n  \"list\": [\n    {\"x\": \"q\\\"]\"},\n    {\"x\": 2,\n     \"y\": [1, {\"z\": null}]}\n  ]\n}\n";
	int line, col;
	assert_int_equal(aims__json_locate(text, strlen(text), "a", &line, &col), 0);
	assert_int_equal(line, 2);
	assert_int_equal(aims__json_locate(text, strlen(text), "list[1].y[1].z", &line, &col), 0);
	assert_int_equal(line, 6);
	assert_int_equal(aims__json_locate(text, strlen(text), "list[0].x", &line, &col), 0);
	assert_int_equal(line, 4);
	assert_int_equal(aims__json_locate(text, strlen(text), "list[5]", &line, &col), -1);
	assert_int_equal(aims__json_locate(text, strlen(text), "nope", &line, &col), -1);
}

static void test_json_parse_error_position(void **state)
{
	(void)state;
	json_t *j = NULL;
	assert_aims_error(aims__json_parse(&j, "{\n \"a\": 1,\n \"a\": 2}", 19, "dup.json"),
			  AIMS_EINVALID, "'dup.json' line 3");
	assert_null(j);
	assert_aims_error(aims__json_parse(&j, "{\n\n  \"a\" 1}", 11, "bad.json"), AIMS_EINVALID,
			  "'bad.json' line 3 column");
}

static void test_grow(void **state)
{
	(void)state;
	int *v = NULL;
	size_t cap = 0;
	assert_aims_ok(aims__grow(&v, &cap, 1, sizeof(*v)));
	assert_int_equal(cap, 16);
	for (int i = 0; i < 1000; i++) {
		assert_aims_ok(aims__grow(&v, &cap, (size_t)i + 1, sizeof(*v)));
		v[i] = i;
	}
	assert_true(cap >= 1000 && cap < 2048);
	assert_int_equal(v[999], 999);
	/* a failed growth leaves the array and its capacity as they were */
	size_t before = cap;
	aims__alloc_fail_after(1);
	assert_aims_error(aims__grow(&v, &cap, cap + 1, sizeof(*v)), AIMS_ENOMEM, "out of memory");
	aims__alloc_fail_after(0);
	assert_int_equal(cap, before);
	assert_int_equal(v[500], 500);
	assert_aims_error(aims__grow(&v, &cap, SIZE_MAX / 2, sizeof(*v)), AIMS_ENOMEM, "too long");
	free(v);
}

static int rfc(int64_t *t, int *us, const char *s, int lenient)
{
	return aims__rfc3339(t, us, s, strlen(s), lenient);
}

static void test_dates_and_rfc3339(void **state)
{
	int64_t t = 0;
	int us = -1, y, m, d;
	(void)state;
	assert_int_equal(rfc(&t, &us, "1970-01-01T00:00:00Z", 0), 0);
	assert_true(t == 0 && us == 0);
	/* date -d 2024-02-29T12:34:56Z +%s = 1709210096; the offset moves it back 5h30 */
	assert_int_equal(rfc(&t, &us, "2024-02-29T12:34:56.123456789Z", 0), 0);
	assert_true(t == 1709210096 && us == 123456);
	assert_int_equal(rfc(&t, NULL, "2024-02-29T18:04:56+05:30", 0), 0);
	assert_true(t == 1709210096);
	assert_int_equal(rfc(&t, &us, "2024-02-29T12:34:56.5-01:00", 0), 0);
	assert_true(t == 1709210096 + 3600 && us == 500000);
	/* strict refuses what lenient takes */
	assert_int_equal(rfc(&t, NULL, "2024-02-29t12:34:56z", 0), -1);
	assert_int_equal(rfc(&t, NULL, "2024-02-29 12:34:56Z", 0), -1);
	assert_int_equal(rfc(&t, NULL, "2024-02-29T12:34:56.1234567891Z", 0), -1);
	assert_int_equal(rfc(&t, &us, "2024-02-29 12:34:56.1234567891z", 1), 0);
	assert_true(t == 1709210096 && us == 123456);
	/* refused by both */
	static const char *const bad[] = { "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
					   "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+0100",
					   "2024-01-01T00:00:00Z ", "2024-1-01T00:00:00Z", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rfc(&t, NULL, bad[i], 0), -1);
		assert_int_equal(rfc(&t, NULL, bad[i], 1), -1);
	}
	assert_int_equal(aims__date_parse(&y, &m, &d, "2024-02-29"), 0);
	assert_true(y == 2024 && m == 2 && d == 29);
	assert_int_equal(aims__date_parse(&y, &m, &d, "2023-02-29"), -1);
	assert_int_equal(aims__date_parse(&y, &m, &d, "2024-02-29T10:00:00Z"), 0);
	assert_int_equal(aims__date_parse(&y, &m, &d, "2024-02-29x"), -1);
	assert_int_equal(aims__days_in_month(1900, 2), 28);
	assert_int_equal(aims__days_in_month(2000, 2), 29);
}

static void test_read_file(void **state)
{
	(void)state;
	char *data = NULL;
	size_t len = 0;
	test_write_file(test_path("f.txt"), "hello\n");
	assert_aims_ok(aims_file_read(&data, &len, test_path("f.txt"), 0));
	assert_int_equal(len, 6);
	assert_string_equal(data, "hello\n");
	free(data);
	assert_aims_error(aims_file_read(&data, &len, test_path("missing"), 0), AIMS_ENOTFOUND, "missing");
	/* a directory given as a file is bad input, never an empty file */
	assert_aims_error(aims_file_read(&data, &len, test_tmp(), 0), AIMS_EINVALID, "is a directory");
	int fd = -1;
	assert_aims_error(aims_file_open_input(&fd, test_tmp()), AIMS_EINVALID, "is a directory");
	assert_int_equal(fd, -1);
	assert_aims_error(aims_file_read(&data, &len, test_path("f.txt"), 5), AIMS_EINVALID, "larger than 5 bytes");
	assert_aims_ok(aims_file_read(&data, &len, test_path("f.txt"), 6));
	free(data);
}

static void test_write_file_safely(void **state)
{
	(void)state;
	char *data = NULL;
	struct stat st;
	/* a symbolic link at the target is replaced, its victim untouched */
	test_write_file(test_path("victim"), "keep me\n");
	unlink(test_path("out.html"));
	assert_int_equal(symlink(test_path("victim"), test_path("out.html")), 0);
	assert_aims_ok(aims_file_write(test_path("out.html"), "report\n", 7));
	assert_int_equal(lstat(test_path("out.html"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_aims_ok(aims_file_read(&data, NULL, test_path("victim"), 0));
	assert_string_equal(data, "keep me\n");
	free(data);
	assert_aims_ok(aims_file_read(&data, NULL, test_path("out.html"), 0));
	assert_string_equal(data, "report\n");
	free(data);
	/* the old fixed temporary name, planted as a link, is not what aims writes through */
	unlink(test_path("out2.html.tmp"));
	assert_int_equal(symlink(test_path("victim"), test_path("out2.html.tmp")), 0);
	assert_aims_ok(aims_file_write(test_path("out2.html"), "x", 1));
	assert_aims_ok(aims_file_read(&data, NULL, test_path("victim"), 0));
	assert_string_equal(data, "keep me\n");
	free(data);
	/* a folder as the target, a missing folder: refused, nothing left behind */
	assert_aims_error(aims_file_write(test_tmp(), "x", 1), AIMS_EINVALID, "is a directory");
	assert_aims_error(aims_file_write(test_path("no/such/file"), "x", 1), AIMS_ERROR, "cannot write");
}

static void test_private_files(void **state)
{
	(void)state;
	struct stat st;
	mode_t old = umask(0);
	unlink(test_path("private"));
	int fd = aims__open_private(test_path("private"), O_RDWR | O_CREAT | O_EXCL);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(test_path("private"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	rmdir(test_path("pdir"));
	assert_int_equal(aims__mkdir_private(test_path("pdir")), 0);
	assert_int_equal(stat(test_path("pdir"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* and with a umask that takes the owner's bits too */
	umask(0277);
	rmdir(test_path("pdir2"));
	assert_int_equal(aims__mkdir_private(test_path("pdir2")), 0);
	assert_int_equal(stat(test_path("pdir2"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	unlink(test_path("pdir2/f"));
	fd = aims__open_private(test_path("pdir2/f"), O_RDWR | O_CREAT);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(test_path("pdir2/f"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* never through a link */
	unlink(test_path("plink"));
	assert_int_equal(symlink(test_path("private"), test_path("plink")), 0);
	assert_true(aims__open_private(test_path("plink"), O_RDWR | O_CREAT) < 0);
	umask(old);
}

static void test_utf8(void **state)
{
	(void)state;
	static const char ok[] = "a\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80";
	assert_int_equal(aims__utf8_valid(ok, strlen(ok)), strlen(ok));
	assert_int_equal(aims__utf8_valid("ab\xff", 3), 2);
	assert_int_equal(aims__utf8_valid("a\xc0\xaf", 3), 1);       /* overlong '/' */
	assert_int_equal(aims__utf8_valid("a\xed\xa0\x80", 4), 1);   /* a surrogate */
	assert_int_equal(aims__utf8_valid("\xf4\x90\x80\x80", 4), 0); /* past U+10FFFF */
	assert_int_equal(aims__utf8_valid("a\xe2\x80", 3), 1);       /* cut short */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_empty_is_not_null),
		cmocka_unit_test(test_buf_grows_and_formats),
		cmocka_unit_test(test_buf_limit),
		cmocka_unit_test(test_buf_oom),
		cmocka_unit_test(test_error_prefix_and_clear),
		cmocka_unit_test(test_error_long_message_is_cut),
		cmocka_unit_test(test_error_is_per_thread),
		cmocka_unit_test(test_sha256_known_answers),
		cmocka_unit_test(test_json_locate),
		cmocka_unit_test(test_json_parse_error_position),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_write_file_safely),
		cmocka_unit_test(test_private_files),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_dates_and_rfc3339),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
