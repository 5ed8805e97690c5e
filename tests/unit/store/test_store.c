/*
 * Unit tests of the store, on the backend of the run (helpers.h): opening
 * and creating, migrations (upgrade of an old store, refusal of a newer
 * one), nested transactions, settings, the content digest, one handle per
 * thread used concurrently, advisory locks, copying between stores (and
 * between backends on the PostgreSQL run), and PostgreSQL's SQL dialect,
 * deadlock handling and reconnection.
 */
#include "helpers.h"
#include "core/core.h"
#include "store/store_internal.h"

#include <pthread.h>
#include <libpq-fe.h>
#include <sqlite3.h>

void aims__store_set_migrations(const aims__migration *list, size_t count);

static aims_store *open_new(const char *name)
{
	return test_store_fresh(name);
}

/* does the store have a table of that name (through the backend's own catalog) */
static int has_table(aims_store *s, const char *name)
{
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, test_sql("SELECT COUNT(*) FROM sqlite_schema WHERE name = ?",
		"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?")));
	assert_aims_ok(aims__stmt_bind_text(st, 1, name));
	assert_int_equal(aims__stmt_step(st), 1);
	int n = (int)aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return n;
}

static void test_missing_store_is_not_found(void **state)
{
	(void)state;
	aims_store *s = NULL;
	test_store_remove("nope.db");
	assert_aims_error(aims_store_open(&s, test_store_url("nope.db"), NULL), AIMS_ENOTFOUND, "aims init");
	assert_null(s);
	assert_int_equal(access(test_path("nope.db"), F_OK), -1);
	/* a read-only open creates nothing either, and a second look still finds nothing */
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	o.readonly = 1;
	o.create = 1;
	assert_aims_error(aims_store_open(&s, test_store_url("nope.db"), &o), AIMS_ENOTFOUND, "aims init");
	assert_aims_error(aims_store_open(&s, test_store_url("nope.db"), NULL), AIMS_ENOTFOUND, "aims init");
}

static void test_create_applies_migrations(void **state)
{
	(void)state;
	aims_store *s = open_new("new.db");
	assert_int_equal(aims_store_schema_version(s), aims_store_schema_latest());
	assert_true(aims_store_schema_latest() >= 1);
	assert_string_equal(aims_store_backend(s), test_sql("sqlite", "postgres"));
	assert_string_equal(aims_store_location(s), test_store_url("new.db"));
	aims_store_free(s);
	/* reopening runs nothing and keeps the version */
	assert_aims_ok(aims_store_open(&s, test_store_url("new.db"), NULL));
	assert_int_equal(aims_store_schema_version(s), aims_store_schema_latest());
	aims_store_free(s);
	if (!test_backend_is_postgres()) {
		/* sqlite: prefix selects the same backend */
		char url[PATH_MAX + 16];
		snprintf(url, sizeof(url), "sqlite:%s", test_path("new.db"));
		assert_aims_ok(aims_store_open(&s, url, NULL));
		aims_store_free(s);
	}
}

static void test_foreign_keys_are_enforced(void **state)
{
	(void)state;
	aims_store *s = open_new("fk.db");
	/* a requirement needs its framework */
	assert_aims_error(aims__store_exec(s, "INSERT INTO requirements (framework, id, seq, kind, title) "
					      "VALUES ('nope', 'x', 0, 'clause', 't')"),
			  AIMS_ECONFLICT, test_sql("FOREIGN KEY", "foreign key"));
	aims_store_free(s);
}

static void test_pragmas(void **state)
{
	(void)state;
	test_only_sqlite("journal mode and foreign key enforcement are SQLite settings");
	aims_store *s = open_new("pragma.db");
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "PRAGMA journal_mode"));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_string_equal(aims__stmt_text(st, 0), "wal");
	aims__stmt_free(st);
	assert_aims_ok(aims__stmt_prepare(&st, s, "PRAGMA foreign_keys"));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_int_equal(aims__stmt_int64(st, 0), 1);
	aims__stmt_free(st);
	/* foreign keys are enforced: a requirement needs its framework */
	assert_aims_error(aims__store_exec(s, "INSERT INTO requirements (framework, id, seq, kind, title) "
					      "VALUES ('nope', 'x', 0, 'clause', 't')"),
			  AIMS_ECONFLICT, "FOREIGN KEY");
	aims_store_free(s);
}

static const aims__migration v1_only[] = {
	{ 1, "first", "CREATE TABLE t1 (a TEXT PRIMARY KEY);" },
};
static const aims__migration v1_v2[] = {
	{ 1, "first", "CREATE TABLE t1 (a TEXT PRIMARY KEY);" },
	{ 2, "second", "ALTER TABLE t1 ADD COLUMN b TEXT; CREATE TABLE t2 (x INTEGER);" },
};
static const aims__migration v1_bad2[] = {
	{ 1, "first", "CREATE TABLE t1 (a TEXT PRIMARY KEY);" },
	{ 2, "broken", "CREATE TABLE t3 (y INTEGER); THIS IS NOT SQL;" },
};

static void test_old_store_is_upgraded(void **state)
{
	(void)state;
	aims_store *s = NULL;
	aims__store_set_migrations(v1_only, 1);
	s = open_new("old.db");
	assert_int_equal(aims_store_schema_version(s), 1);
	assert_aims_ok(aims__store_exec(s, "INSERT INTO t1 (a) VALUES ('kept')"));
	aims_store_free(s);

	aims__store_set_migrations(v1_v2, 2);
	assert_aims_ok(aims_store_open(&s, test_store_url("old.db"), NULL));
	assert_int_equal(aims_store_schema_version(s), 2);
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT a, b FROM t1"));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_string_equal(aims__stmt_text(st, 0), "kept");
	assert_null(aims__stmt_text(st, 1));
	aims__stmt_free(st);
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT COUNT(*) FROM aims_schema"));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_int_equal(aims__stmt_int64(st, 0), 2);
	aims__stmt_free(st);
	aims_store_free(s);
	aims__store_set_migrations(NULL, 0);
}

static void test_failed_migration_changes_nothing(void **state)
{
	(void)state;
	aims_store *s = NULL;
	aims__store_set_migrations(v1_only, 1);
	s = open_new("bad-mig.db");
	aims_store_free(s);
	aims__store_set_migrations(v1_bad2, 2);
	assert_aims_error(aims_store_open(&s, test_store_url("bad-mig.db"), NULL), AIMS_ERROR,
			  "migration 2 (broken)");
	assert_null(s);
	aims__store_set_migrations(v1_only, 1);
	assert_aims_ok(aims_store_open(&s, test_store_url("bad-mig.db"), NULL));
	assert_int_equal(aims_store_schema_version(s), 1);
	/* t3 from the half-run migration was rolled back */
	assert_int_equal(has_table(s, "t1"), 1);
	assert_int_equal(has_table(s, "t3"), 0);
	aims_store_free(s);
	aims__store_set_migrations(NULL, 0);
}

static void test_newer_store_is_refused(void **state)
{
	(void)state;
	aims_store *s = open_new("future.db");
	assert_aims_ok(aims__store_exec(s, "INSERT INTO aims_schema VALUES (999, 'future', '2030-01-01')"));
	aims_store_free(s);
	assert_aims_error(aims_store_open(&s, test_store_url("future.db"), NULL), AIMS_EVERSION,
			  "schema version 999, newer");
	assert_null(s);
}

/* run SQL on a PostgreSQL test database directly (as another program would) */
static void pg_run(const char *name, const char *sql)
{
	PGconn *c = PQconnectdb(test_store_url(name));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

static void test_foreign_database_is_refused(void **state)
{
	(void)state;
	aims_store *s = NULL;
	/* no server at that address: a clear error naming the store, not a crash or a hang */
	assert_aims_error(aims_store_open(&s, "postgres://127.0.0.1:1/aims", NULL), AIMS_ERROR,
			  "cannot connect to store 'postgres://127.0.0.1:1/aims'");
	assert_aims_error(aims_store_open(&s, "ftp://x", NULL), AIMS_EINVALID, "unknown URL scheme");
	if (test_backend_is_postgres()) {
		/* a database with tables of someone else's, and an empty database */
		char sql[256], db[64];
		test_store_remove("foreign.db");
		test_store_remove("empty.db");
		test_db_name(db, "foreign.db");
		snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", db);
		assert_int_equal(test_pg_admin(sql), 0);
		pg_run("foreign.db", "CREATE TABLE x (y integer)");
		assert_aims_error(aims_store_open(&s, test_store_url("foreign.db"), NULL), AIMS_EINVALID,
				  "not an aims store");
		test_db_name(db, "empty.db");
		snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", db);
		assert_int_equal(test_pg_admin(sql), 0);
		assert_aims_error(aims_store_open(&s, test_store_url("empty.db"), NULL), AIMS_ENOTFOUND,
				  "the database is empty");
		/* init makes an empty database (created by an administrator) a store */
		aims_store_options o = AIMS_STORE_OPTIONS_INIT;
		o.create = 1;
		assert_aims_ok(aims_store_open(&s, test_store_url("empty.db"), &o));
		aims_store_free(s);
		return;
	}
	sqlite3 *db = NULL;
	unlink(test_path("foreign.db"));
	assert_int_equal(sqlite3_open(test_path("foreign.db"), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE x (y)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_aims_error(aims_store_open(&s, test_path("foreign.db"), NULL), AIMS_EINVALID,
			  "not an aims store");
	test_write_file(test_path("text.db"), "this is not a database, just some text\n");
	assert_aims_error(aims_store_open(&s, test_path("text.db"), NULL), AIMS_EINVALID, "text.db");
}

static int count_settings(aims_store *s)
{
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT COUNT(*) FROM settings"));
	assert_int_equal(aims__stmt_step(st), 1);
	int n = (int)aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return n;
}

static void test_nested_transactions(void **state)
{
	(void)state;
	aims_store *s = open_new("tx.db");
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "a", "1"));
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "b", "2"));
	(void)aims__err(AIMS_EINVALID, "the reason");
	assert_aims_ok(aims_store_rollback(s)); /* inner only */
	assert_string_equal(aims_error_last(), "the reason");
	assert_int_equal(count_settings(s), 1);
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "c", "3"));
	assert_aims_ok(aims_store_commit(s));
	assert_aims_ok(aims_store_commit(s));
	assert_int_equal(count_settings(s), 2);
	/* an outer rollback drops everything inside it */
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "d", "4"));
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "e", "5"));
	assert_aims_ok(aims_store_commit(s));
	assert_aims_ok(aims_store_rollback(s));
	assert_int_equal(count_settings(s), 2);
	assert_aims_error(aims_store_commit(s), AIMS_EUSAGE, "without a transaction");
	/* a handle freed inside a transaction rolls it back */
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "f", "6"));
	aims_store_free(s);
	assert_aims_ok(aims_store_open(&s, test_store_url("tx.db"), NULL));
	assert_int_equal(count_settings(s), 2);
	aims_store_free(s);
}

static void test_settings(void **state)
{
	(void)state;
	aims_store *s = open_new("settings.db");
	char *v = NULL;
	assert_aims_ok(aims_store_setting_get(&v, s, "org.name"));
	assert_null(v);
	assert_aims_ok(aims_store_setting_set(s, "org.name", "Acme"));
	assert_aims_ok(aims_store_setting_set(s, "org.name", "Acme AG"));
	assert_aims_ok(aims_store_setting_get(&v, s, "org.name"));
	assert_string_equal(v, "Acme AG");
	free(v);
	assert_aims_ok(aims_store_setting_set(s, "org.name", NULL));
	assert_aims_ok(aims_store_setting_get(&v, s, "org.name"));
	assert_null(v);
	assert_aims_error(aims_store_setting_set(s, "", "x"), AIMS_EUSAGE, "empty");
	aims_store_free(s);
}

static void test_content_digest(void **state)
{
	(void)state;
	char d1[65], d2[65], d3[65], d4[65];
	aims_store *a = open_new("dig-a.db");
	aims_store *b = open_new("dig-b.db");
	assert_aims_ok(aims_store_content_digest(d1, a));
	assert_int_equal(strlen(d1), 64);
	/* the same content written in another order gives the same digest */
	assert_aims_ok(aims_store_setting_set(a, "x", "1"));
	assert_aims_ok(aims_store_setting_set(a, "y", "2"));
	assert_aims_ok(aims_store_setting_set(b, "y", "2"));
	assert_aims_ok(aims_store_setting_set(b, "x", "1"));
	assert_aims_ok(aims_store_content_digest(d2, a));
	assert_aims_ok(aims_store_content_digest(d3, b));
	assert_string_not_equal(d1, d2);
	assert_string_equal(d2, d3);
	/* a value moved between rows is a different content */
	assert_aims_ok(aims_store_setting_set(b, "x", "12"));
	assert_aims_ok(aims_store_setting_set(b, "y", ""));
	assert_aims_ok(aims_store_content_digest(d4, b));
	assert_string_not_equal(d3, d4);
	aims_store_free(a);
	aims_store_free(b);
}

#define THREADS 4
#define PER_THREAD 50

static void *writer(void *arg)
{
	intptr_t id = (intptr_t)arg;
	aims_store *s = NULL;
	intptr_t failures = 0;
	if (aims_store_open(&s, test_store_url("threads.db"), NULL) < 0)
		return (void *)(intptr_t)1000;
	for (int i = 0; i < PER_THREAD; i++) {
		char key[64];
		snprintf(key, sizeof(key), "t%ld.%d", (long)id, i);
		if (aims_store_begin(s) < 0 || aims_store_setting_set(s, key, "v") < 0 ||
		    aims_store_commit(s) < 0)
			failures++;
	}
	aims_store_free(s);
	return (void *)failures;
}

static void test_one_handle_per_thread(void **state)
{
	(void)state;
	aims_store *s = open_new("threads.db");
	pthread_t t[THREADS];
	for (intptr_t i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, (void *)i), 0);
	for (int i = 0; i < THREADS; i++) {
		void *failures = NULL;
		assert_int_equal(pthread_join(t[i], &failures), 0);
		assert_int_equal((intptr_t)failures, 0);
	}
	assert_int_equal(count_settings(s), THREADS * PER_THREAD);
	aims_store_free(s);
}

static void test_open_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = open_new("oom.db");
	aims_store_free(s);
	/* fail the 1st, 2nd, ... allocation until open succeeds; nothing may leak or crash */
	for (unsigned long n = 1; n < 200; n++) {
		aims__alloc_fail_after(n);
		int rc = aims_store_open(&s, test_store_url("oom.db"), NULL);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			aims_store_free(s);
			return;
		}
		assert_null(s);
		assert_int_equal(rc, AIMS_ENOMEM);
	}
	fail_msg("open never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_store_is_not_found),
		cmocka_unit_test(test_create_applies_migrations),
		cmocka_unit_test(test_foreign_keys_are_enforced),
		cmocka_unit_test(test_pragmas),
		cmocka_unit_test(test_old_store_is_upgraded),
		cmocka_unit_test(test_failed_migration_changes_nothing),
		cmocka_unit_test(test_newer_store_is_refused),
		cmocka_unit_test(test_foreign_database_is_refused),
		cmocka_unit_test(test_nested_transactions),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_content_digest),
		cmocka_unit_test(test_one_handle_per_thread),
		cmocka_unit_test(test_open_survives_allocation_failures),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
