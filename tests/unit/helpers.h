/*
 * Shared helpers for the cmocka unit tests: a fresh temporary directory per
 * test binary and small assertion helpers for library errors.
 */
#ifndef AIMS_TEST_HELPERS_H
#define AIMS_TEST_HELPERS_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw */
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ftw.h>

#include "aims/aims.h"

static char test_tmpdir[PATH_MAX];

static inline int test_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static inline void test_tmp_cleanup(void)
{
	if (test_tmpdir[0] && !getenv("AIMS_TEST_KEEP"))
		nftw(test_tmpdir, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* make a fresh directory under $AIMS_TEST_TMP (or /tmp) and return its path */
static inline const char *test_tmp(void)
{
	if (!test_tmpdir[0]) {
		const char *base = getenv("AIMS_TEST_TMP");
		if (!base || !*base)
			base = "/tmp";
		mkdir(base, 0700);
		snprintf(test_tmpdir, sizeof(test_tmpdir), "%s/aims-unit-XXXXXX", base);
		if (!mkdtemp(test_tmpdir))
			fail_msg("cannot create a temporary directory under %s", base);
		atexit(test_tmp_cleanup);
	}
	return test_tmpdir;
}

/* a path inside the temporary directory; static storage rotates over 8 slots */
static inline const char *test_path(const char *name)
{
	static char paths[8][PATH_MAX + 64];
	static int slot;
	char *p = paths[slot++ % 8];
	snprintf(p, PATH_MAX + 64, "%s/%s", test_tmp(), name);
	return p;
}

static inline void test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* assert that `call` failed with `code` and the message contains `needle` */
#define assert_aims_error(call, code, needle) do { \
	int rc_ = (call); \
	if (rc_ != (code)) \
		fail_msg("expected %d, got %d: %s", (code), rc_, aims_error_last()); \
	if (!strstr(aims_error_last(), (needle))) \
		fail_msg("message '%s' does not contain '%s'", aims_error_last(), (needle)); \
} while (0)

#define assert_aims_ok(call) do { \
	int rc_ = (call); \
	if (rc_ != 0) \
		fail_msg("%s failed with %d: %s", #call, rc_, aims_error_last()); \
} while (0)

/* a p-value equal to a reference value within the project's rule: 1e-6
 * relative, or 1e-12 absolute when the reference is tiny (below 1e-6) */
static inline int test_p_close(double got, double want)
{
	if (got == want)
		return 1;
	if (fabs(got - want) <= 1e-12 && want < 1e-6)
		return 1;
	return fabs(got - want) <= 1e-6 * fabs(want);
}

/* act as account `name` with `roles` on this handle (tests construct principals; front ends authenticate) */
static inline void test_act_as(aims_store *s, const char *name, unsigned roles)
{
	aims_principal p;
	memset(&p, 0, sizeof(p));
	p.kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.roles = roles;
	if (aims_store_set_principal(s, &p) < 0)
		fail_msg("cannot act as %s: %s", name, aims_error_last());
}

/* create account `name` (as an administrator), then act as `then` again; the password is dropped */
static inline void test_account(aims_store *s, const char *name, unsigned roles, const char *then)
{
	const aims_principal keep = *aims_store_principal(s);
	char *pw = NULL;
	test_act_as(s, "test-admin", AIMS_ROLE_ADMIN);
	if (aims_account_add(&pw, s, name, roles, NULL) < 0)
		fail_msg("cannot add account %s: %s", name, aims_error_last());
	free(pw);
	if (then)
		test_act_as(s, then, AIMS_ROLES_ALL);
	else if (keep.kind != AIMS_PRINCIPAL_NONE && aims_store_set_principal(s, &keep) < 0)
		fail_msg("cannot restore the principal");
}

#endif
