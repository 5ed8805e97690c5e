/*
 * Shared helpers for the cmocka unit tests: a fresh temporary directory per
 * test binary, stores on the backend the harness chose, and small assertion
 * helpers for library errors.
 *
 * Backends: a test opens its stores by name with test_store_url(NAME). On
 * the default run that is a SQLite file in the temporary directory. When
 * tests/pg-harness.sh has set AIMS_TEST_DB_URL_BASE (a postgres:// URL
 * ending in '/'), it is a PostgreSQL database of its own, named after the
 * binary, its process and NAME, created by aims_store_open(create) and
 * dropped when the binary exits. A test about one backend only says so with
 * test_only_sqlite()/test_only_postgres() (cmocka skip, with the reason).
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
#include <errno.h>
#include <libpq-fe.h>

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

/* ---- stores on the backend of this run ---- */

#define TEST_MAX_DBS 256
static char test_dbs[TEST_MAX_DBS][64];
static int test_ndbs;

/* the PostgreSQL URL base of this run, or NULL on SQLite */
static inline const char *test_pg_base(void)
{
	const char *b = getenv("AIMS_TEST_DB_URL_BASE");
	return b && *b ? b : NULL;
}

static inline int test_backend_is_postgres(void)
{
	return test_pg_base() != NULL;
}

static inline void test_pg_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* "does not exist, skipping" */
}

/* run one statement on the server's maintenance database (creating or dropping databases) */
static inline int test_pg_admin(const char *sql)
{
	char url[1024];
	snprintf(url, sizeof(url), "%spostgres", test_pg_base());
	PGconn *c = PQconnectdb(url);
	int ok = PQstatus(c) == CONNECTION_OK;
	if (ok) {
		PQsetNoticeProcessor(c, test_pg_notice, NULL);
		PGresult *r = PQexec(c, sql);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "# test_pg_admin: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	} else {
		fprintf(stderr, "# test_pg_admin: %s", PQerrorMessage(c));
	}
	PQfinish(c);
	return ok ? 0 : -1;
}

/* the database name for store `name` of this binary: u_BINARY_PID_NAME, lowercase, at most 63 bytes */
static inline void test_db_name(char out[64], const char *name)
{
	extern char *program_invocation_short_name;
	char raw[256];
	size_t j = 0;
	snprintf(raw, sizeof(raw), "u_%s_%d_%s", program_invocation_short_name, (int)getpid(), name);
	for (size_t i = 0; raw[i] && j < 63; i++) {
		char ch = raw[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		out[j++] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_';
	}
	out[j] = '\0';
}

static inline void test_pg_drop(const char *db)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%.63s\" WITH (FORCE)", db);
	(void)test_pg_admin(sql);
}

static inline void test_dbs_cleanup(void)
{
	if (getenv("AIMS_TEST_KEEP"))
		return;
	for (int i = 0; i < test_ndbs; i++)
		test_pg_drop(test_dbs[i]);
	test_ndbs = 0;
}

/*
 * The URL of this binary's store `name` on the backend of the run: a file in
 * the temporary directory, or a PostgreSQL database (see the top). Static
 * storage rotating over 8 slots, as test_path.
 */
static inline const char *test_store_url(const char *name)
{
	static char urls[8][1200];
	static int slot;
	if (!test_pg_base())
		return test_path(name);
	char db[64];
	test_db_name(db, name);
	int known = 0;
	for (int i = 0; i < test_ndbs; i++)
		known |= strcmp(test_dbs[i], db) == 0;
	if (!known && test_ndbs < TEST_MAX_DBS) {
		if (test_ndbs == 0)
			atexit(test_dbs_cleanup);
		snprintf(test_dbs[test_ndbs++], 64, "%s", db);
	}
	char *u = urls[slot++ % 8];
	snprintf(u, 1200, "%s%s", test_pg_base(), db);
	return u;
}

/* remove store `name`, so that the next open with create starts from nothing */
static inline void test_store_remove(const char *name)
{
	if (test_pg_base()) {
		char db[64];
		test_db_name(db, name);
		test_pg_drop(db);
		return;
	}
	static const char *const suffixes[] = { "", "-wal", "-shm", ".locks" };
	for (size_t i = 0; i < 4; i++) {
		char p[PATH_MAX + 80];
		snprintf(p, sizeof(p), "%s%s", test_path(name), suffixes[i]);
		unlink(p);
	}
}

/* open (creating) a fresh store `name` */
static inline aims_store *test_store_fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	if (aims_store_open(&s, test_store_url(name), &o) < 0)
		fail_msg("cannot create store %s: %s", name, aims_error_last());
	return s;
}

/* one of two spellings of SQL, for a test that changes a store behind the library's back */
static inline const char *test_sql(const char *sqlite, const char *postgres)
{
	return test_pg_base() ? postgres : sqlite;
}

/* a test about one backend only: skip it (with the reason) on the other */
#define test_only_sqlite(why) do { \
	if (test_pg_base()) { \
		print_message("# skipped on PostgreSQL: %s\n", (why)); \
		skip(); \
	} \
} while (0)
#define test_only_postgres(why) do { \
	if (!test_pg_base()) { \
		print_message("# skipped on SQLite: %s\n", (why)); \
		skip(); \
	} \
} while (0)

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
