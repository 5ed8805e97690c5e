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


/* ---- the PostgreSQL dialect and URLs (pure functions: both runs) ---- */

static void expect_translation(const char *sql, const char *want, int nparams, int invalidates)
{
	aims_buf out = AIMS_BUF_INIT;
	int n = -1, inv = -1;
	assert_aims_ok(aims__pg_translate(&out, sql, &n, &inv));
	if (strcmp(out.ptr, want) != 0)
		fail_msg("translated\n  %s\ninto\n  %s\nnot\n  %s", sql, out.ptr, want);
	assert_int_equal(n, nparams);
	assert_int_equal(inv, invalidates);
	aims_buf_release(&out);
}

static void test_pg_translate(void **state)
{
	(void)state;
	/* placeholders, but not inside literals, quoted names or comments */
	expect_translation("SELECT a FROM t WHERE x = ? AND y = '?' AND \"w?\" = ? -- ?\n AND z = ? /* ? */",
			   "SELECT a FROM t WHERE x = $1 AND y = '?' AND \"w?\" = $2 -- ?\n AND z = $3 /* ? */", 3, 0);
	expect_translation("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1, 0);
	/* numbered as in SQLite: ?NNN keeps its number, a bare ? follows the highest so far */
	expect_translation("VALUES (?3, ?1, ?), (?2, ?)", "VALUES ($3, $1, $4), ($2, $5)", 5, 0);
	/* column types of CREATE and ALTER TABLE; text sorts by bytes */
	expect_translation("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL, c BLOB, d REAL, e int)",
			   "CREATE TABLE t (a BIGINT PRIMARY KEY, b TEXT COLLATE \"C\" NOT NULL, c BYTEA, "
			   "d DOUBLE PRECISION, e BIGINT)", 0, 1);
	expect_translation("ALTER TABLE t ADD COLUMN f TEXT", "ALTER TABLE t ADD COLUMN f TEXT COLLATE \"C\"", 0, 1);
	/* only there: an index, a CAST, a value, a quoted name keep their words */
	expect_translation("CREATE INDEX i ON t(a); INSERT INTO t VALUES (?, CAST(? AS INTEGER), 'TEXT')",
			   "CREATE INDEX i ON t(a); INSERT INTO t VALUES ($1, CAST($2 AS INTEGER), 'TEXT')", 2, 0);
	expect_translation("CREATE TABLE \"INTEGER\" (\"TEXT\" TEXT); CREATE TABLE u (v BLOB)",
			   "CREATE TABLE \"INTEGER\" (\"TEXT\" TEXT COLLATE \"C\"); CREATE TABLE u (v BYTEA)", 0, 1);
	expect_translation("DROP TABLE t", "DROP TABLE t", 0, 1);
	expect_translation("", "", 0, 0);
}

static void expect_redacted(const char *url, const char *want)
{
	char *out = NULL;
	assert_aims_ok(aims__store_url_redact(&out, url));
	assert_string_equal(out, want);
	aims__free(out);
}

static void test_url_redact(void **state)
{
	(void)state;
	expect_redacted("postgres://alice:s3cret@db.example:5432/aims", "postgres://alice:***@db.example:5432/aims");
	expect_redacted("postgresql://alice@db/aims?sslmode=require&password=x&application_name=a",
			"postgresql://alice@db/aims?sslmode=require&password=***&application_name=a");
	expect_redacted("postgres:///aims?password=p", "postgres:///aims?password=***");
	expect_redacted("postgres://db/aims", "postgres://db/aims");
	expect_redacted("/var/lib/aims/a:b@c.db", "/var/lib/aims/a:b@c.db");
	/* what the store reports is the redacted form */
	aims_store *s = NULL;
	assert_aims_error(aims_store_open(&s, "postgres://u:hunter2@127.0.0.1:1/aims", NULL), AIMS_ERROR,
			  "postgres://u:***@127.0.0.1:1/aims");
	assert_null(strstr(aims_error_last(), "hunter2"));
}

/* ---- behaviour the two backends share ---- */

static void test_text_sorts_by_bytes(void **state)
{
	(void)state;
	aims_store *s = open_new("order.db");
	static const char *const keys[] = { "b", "B", "_x", "a", "\xc3\xa9", "A", "aa" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_aims_ok(aims_store_setting_set(s, keys[i], "v"));
	static const char *const want[] = { "A", "B", "_x", "a", "aa", "b", "\xc3\xa9" };
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT key FROM settings ORDER BY key"));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(aims__stmt_step(st), 1);
		assert_string_equal(aims__stmt_text(st, 0), want[i]);
	}
	assert_int_equal(aims__stmt_step(st), 0);
	aims__stmt_free(st);
	/* comparisons are byte-wise and case-sensitive too */
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT COUNT(*) FROM settings WHERE key > ? AND key LIKE 'a%'"));
	assert_aims_ok(aims__stmt_bind_text(st, 1, "B"));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_int_equal(aims__stmt_int64(st, 0), 2);
	aims__stmt_free(st);
	aims_store_free(s);
}

static void test_values_round_trip(void **state)
{
	(void)state;
	aims_store *s = open_new("values.db");
	const unsigned char blob[5] = { 0, 0xff, '\\', 'x', 0 };
	aims__stmt *st = NULL;
	assert_aims_ok(aims__store_exec(s, "INSERT INTO ledger_logs (id, kind, origin, retention_days, created_at) "
					   "VALUES ('l', 'governance', 'o', 183, 't')"));
	assert_aims_ok(aims__stmt_prepare(&st, s, "INSERT INTO ledger_tiles (log, level, idx, data) VALUES (?, ?, ?, ?)"));
	assert_aims_ok(aims__stmt_bind_text(st, 1, "l"));
	assert_aims_ok(aims__stmt_bind_int64(st, 2, 0));
	assert_aims_ok(aims__stmt_bind_int64(st, 3, INT64_MAX));
	assert_aims_ok(aims__stmt_bind_blob(st, 4, blob, sizeof(blob)));
	assert_int_equal(aims__stmt_step(st), 0);
	/* a statement runs again after a reset, with new bindings (an empty blob is not NULL) */
	assert_aims_ok(aims__stmt_reset(st));
	assert_aims_ok(aims__stmt_bind_text(st, 1, "l"));
	assert_aims_ok(aims__stmt_bind_int64(st, 2, 1));
	assert_aims_ok(aims__stmt_bind_int64(st, 3, -5));
	assert_aims_ok(aims__stmt_bind_blob(st, 4, "", 0));
	assert_int_equal(aims__stmt_step(st), 0);
	assert_aims_error(aims__stmt_bind_int64(st, 5, 1), AIMS_ERROR, "database bind");
	aims__stmt_free(st);
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT level, idx, data, length(data), data IS NULL, "
					   "COUNT(*) OVER (), CAST(NULL AS TEXT) FROM ledger_tiles ORDER BY level"));
	assert_int_equal(aims__stmt_columns(st), 7);
	assert_string_equal(aims__stmt_name(st, 1), "idx");
	assert_int_equal(aims__stmt_step(st), 1);
	assert_int_equal(aims__stmt_type(st, 0), AIMS__INT);
	assert_int_equal(aims__stmt_int64(st, 1), INT64_MAX);
	assert_string_equal(aims__stmt_text(st, 1), "9223372036854775807");
	assert_int_equal(aims__stmt_type(st, 2), AIMS__BLOB);
	size_t len = 0;
	const void *b = aims__stmt_blob(st, 2, &len);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(b, blob, sizeof(blob));
	assert_int_equal(aims__stmt_int64(st, 3), 5);
	assert_int_equal(aims__stmt_int64(st, 4), 0); /* a boolean reads as 0/1 */
	assert_string_equal(aims__stmt_text(st, 4), "0");
	assert_int_equal(aims__stmt_int64(st, 5), 2);
	assert_int_equal(aims__stmt_type(st, 6), AIMS__NULL);
	assert_null(aims__stmt_text(st, 6));
	assert_int_equal(aims__stmt_step(st), 1);
	assert_int_equal(aims__stmt_int64(st, 1), -5);
	assert_int_equal(aims__stmt_type(st, 2), AIMS__BLOB);
	(void)aims__stmt_blob(st, 2, &len);
	assert_int_equal(len, 0);
	assert_int_equal(aims__stmt_step(st), 0);
	aims__stmt_free(st);
	/* a statement that cannot be prepared fails at once */
	assert_aims_error(aims__stmt_prepare(&st, s, "SELECT nothing FROM nowhere"), AIMS_ERROR, "database: ");
	assert_null(st);
	aims_store_free(s);
}

static void test_locks(void **state)
{
	(void)state;
	aims_store *a = open_new("locks.db"), *b = NULL, *c = NULL;
	int got = -1;
	assert_aims_ok(aims_store_open(&b, test_store_url("locks.db"), NULL));
	assert_aims_ok(aims__store_lock(a, "decision/credit", 0, &got));
	assert_int_equal(got, 1);
	assert_aims_ok(aims__store_lock(b, "decision/credit", 0, &got));
	assert_int_equal(got, 0);
	assert_aims_ok(aims__store_lock(b, "decision/credit", 100, &got)); /* waits, then gives up */
	assert_int_equal(got, 0);
	assert_aims_ok(aims__store_lock(b, "decision/fraud", 0, &got)); /* another name is free */
	assert_int_equal(got, 1);
	assert_aims_ok(aims__store_unlock(a, "decision/credit"));
	assert_aims_ok(aims__store_lock(b, "decision/credit", 0, &got));
	assert_int_equal(got, 1);
	assert_aims_ok(aims__store_lock(a, "decision/credit", 0, &got));
	assert_int_equal(got, 0);
	/* the end of the holder (as when its process dies) releases its locks */
	assert_aims_ok(aims_store_open(&c, test_store_url("locks.db"), NULL));
	aims_store_free(b);
	assert_aims_ok(aims__store_lock(c, "decision/credit", 1000, &got));
	assert_int_equal(got, 1);
	assert_aims_ok(aims__store_lock(a, "decision/fraud", 0, &got));
	assert_int_equal(got, 1);
	assert_aims_error(aims__store_lock(a, "", 0, &got), AIMS_EUSAGE, "empty lock name");
	if (test_backend_is_postgres())
		assert_aims_error(aims__store_unlock(a, "decision/credit"), AIMS_EUSAGE, "not held");
	aims_store_free(c);
	aims_store_free(a);
}

static void make_content(aims_store *s)
{
	char *skey = NULL, *vkey = NULL, *recorded = NULL;
	aims_note_signer *signer = NULL;
	test_act_as(s, "test-admin", AIMS_ROLE_ADMIN);
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	assert_aims_ok(aims_store_setting_set(s, "org.name", "M\xc3\xbcller & S\xc3\xb6hne"));
	assert_aims_ok(aims_note_keygen(&skey, &vkey, "copy.example/aims"));
	unlink(test_path("copy.key"));
	assert_aims_ok(aims_note_key_write(test_path("copy.key"), skey));
	assert_aims_ok(aims_ledger_setup(s, test_path("copy.key"), &recorded));
	assert_aims_ok(aims_ledger_signer(&signer, s));
	assert_aims_ok(aims_ledger_checkpoint(s, signer, NULL));
	assert_aims_ok(aims_store_setting_set(s, "org.sector", "lending"));
	assert_aims_ok(aims_ledger_checkpoint(s, signer, NULL));
	aims_note_signer_free(signer);
	aims_note_secret_free(skey);
	free(vkey);
	free(recorded);
}

/* everything that must come out equal: content digest, ledger head, latest checkpoint */
static void same_store(aims_store *a, aims_store *b)
{
	char da[65], db[65], *na = NULL, *nb = NULL;
	uint64_t sa = 0, sb = 0;
	uint8_t ra[32], rb[32];
	assert_aims_ok(aims_store_content_digest(da, a));
	assert_aims_ok(aims_store_content_digest(db, b));
	assert_string_equal(da, db);
	assert_aims_ok(aims_ledger_head(&sa, ra, a));
	assert_aims_ok(aims_ledger_head(&sb, rb, b));
	assert_int_equal(sa, sb);
	assert_memory_equal(ra, rb, 32);
	assert_aims_ok(aims_ledger_latest_checkpoint(&na, a, "governance"));
	assert_aims_ok(aims_ledger_latest_checkpoint(&nb, b, "governance"));
	assert_string_equal(na, nb);
	free(na);
	free(nb);
	aims_ledger_verify_stats vs;
	assert_aims_ok(aims_ledger_verify(&vs, b, NULL, 0));
	assert_int_equal(vs.entries, sa);
}

static aims_store *open_admin(const char *url, int create)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = create;
	assert_aims_ok(aims_store_open(&s, url, &o));
	test_act_as(s, "test-admin", AIMS_ROLE_ADMIN);
	return s;
}

static void test_copy(void **state)
{
	(void)state;
	aims_store *a = open_new("copy-a.db"), *b = NULL;
	aims_store_copy_stats st;
	make_content(a);
	test_store_remove("copy-b.db");
	b = open_admin(test_store_url("copy-b.db"), 1);
	assert_aims_ok(aims_store_copy(b, a, &st));
	assert_true(st.tables > 20);
	assert_true(st.rows > 400);
	same_store(a, b);
	/* into a store with content: refused, and nothing changes there */
	char before[65], after[65];
	assert_aims_ok(aims_store_content_digest(before, b));
	assert_aims_error(aims_store_copy(b, a, NULL), AIMS_ECONFLICT, "is not empty");
	assert_aims_ok(aims_store_content_digest(after, b));
	assert_string_equal(before, after);
	/* it needs the admin role on both sides */
	aims_store *c = NULL;
	test_store_remove("copy-c.db");
	c = open_admin(test_store_url("copy-c.db"), 1);
	test_act_as(a, "auditor", AIMS_ROLE_AUDITOR);
	assert_aims_error(aims_store_copy(c, a, NULL), AIMS_EPERM, "admin role");
	test_act_as(a, "test-admin", AIMS_ROLE_ADMIN);
	/* a store with decision logs (files beside a SQLite store) is refused */
	assert_aims_ok(aims__store_exec(a, "INSERT INTO ledger_logs (id, kind, origin, retention_days, created_at) "
					   "VALUES ('decision/credit', 'decision', 'o', 183, 't')"));
	assert_aims_error(aims_store_copy(c, a, NULL), AIMS_ECONFLICT, "decision logs (decision/credit)");
	assert_aims_ok(aims__store_exec(a, "DELETE FROM ledger_logs WHERE id = 'decision/credit'"));
	assert_aims_ok(aims_store_copy(c, a, NULL));
	same_store(a, c);
	aims_store_free(c);
	if (test_backend_is_postgres()) {
		/* PostgreSQL -> SQLite file -> PostgreSQL: still the same store */
		aims_store *f = NULL, *d = NULL;
		test_store_remove("copy-d.db");
		unlink(test_path("copy-f.db"));
		f = open_admin(test_path("copy-f.db"), 1);
		assert_aims_ok(aims_store_copy(f, a, NULL));
		same_store(a, f);
		d = open_admin(test_store_url("copy-d.db"), 1);
		assert_aims_ok(aims_store_copy(d, f, NULL));
		same_store(f, d);
		same_store(a, d);
		aims_store_free(f);
		aims_store_free(d);
	}
	aims_store_free(a);
	aims_store_free(b);
}

/* ---- PostgreSQL only: transient conflicts and lost connections ---- */

typedef struct {
	const char *name;
	int rc;
	int attempts_seen;
	char msg[512];
} op_thread;

static void *run_system_set(void *arg)
{
	op_thread *t = arg;
	aims_store *s = NULL;
	aims_op_result res = AIMS_OP_RESULT_INIT;
	if ((t->rc = aims_store_open(&s, test_store_url(t->name), NULL)) < 0) {
		snprintf(t->msg, sizeof(t->msg), "%s", aims_error_last());
		return NULL;
	}
	test_act_as(s, "test-admin", AIMS_ROLE_ADMIN);
	aims_op_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	json_t *req = json_pack("{s:s, s:s}", "name", "credit", "purpose", "changed by the retried writer");
	t->rc = aims_op_call(&res, aims_op_find("system.set"), &ctx, req);
	snprintf(t->msg, sizeof(t->msg), "%s", aims_error_last());
	json_decref(req);
	aims_op_result_release(&res);
	aims_store_free(s);
	return NULL;
}

/* wait until some backend of database `name` waits for a lock */
static int wait_for_blocked(PGconn *watch, const char *db)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
		 "WHERE NOT l.granted AND a.datname = '%s'", db);
	for (int i = 0; i < 500; i++) {
		PGresult *r = PQexec(watch, sql);
		int n = PQresultStatus(r) == PGRES_TUPLES_OK ? (int)strtol(PQgetvalue(r, 0, 0), NULL, 10) : 0;
		PQclear(r);
		if (n > 0)
			return 1;
		usleep(10000);
	}
	return 0;
}

static PGresult *must(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	return r;
}

/*
 * Another program holds the ledger's tile row and then asks for the AI
 * system's row, which an aims update (holding the writers' lock and the
 * system's row) has changed and now waits for the tile behind: a deadlock.
 * PostgreSQL ends one side; the other side asks for its check ten seconds
 * late, so aims's side is the one ended, `rounds` times in a row.
 */
static void deadlock_rounds(const char *name, int rounds, op_thread *t)
{
	char db[64];
	test_db_name(db, name);
	PGconn *other = PQconnectdb(test_store_url(name)), *watch = PQconnectdb(test_store_url(name));
	assert_int_equal(PQstatus(other), CONNECTION_OK);
	assert_int_equal(PQstatus(watch), CONNECTION_OK);
	PQclear(must(other, "SET deadlock_timeout = '10s'"));
	PQclear(must(other, "BEGIN"));
	PQclear(must(other, "UPDATE ledger_tiles SET data = data WHERE level = 0 AND idx = 0"));
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, run_system_set, t), 0);
	for (int r = 0; r < rounds; r++) {
		assert_true(wait_for_blocked(watch, db));
		/* closes the cycle; returns once aims's transaction was ended */
		PQclear(must(other, "UPDATE ai_systems SET purpose = purpose WHERE name = 'credit'"));
		PQclear(must(other, "COMMIT"));
		if (r + 1 < rounds) {
			PQclear(must(other, "BEGIN"));
			PQclear(must(other, "UPDATE ledger_tiles SET data = data WHERE level = 0 AND idx = 0"));
		}
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	PQfinish(other);
	PQfinish(watch);
}

static aims_store *store_with_system(const char *name)
{
	aims_store *s = open_new(name);
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx;
	test_act_as(s, "test-admin", AIMS_ROLE_ADMIN);
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	json_t *req = json_pack("{s:s, s:s}", "name", "credit", "purpose", "score loans");
	assert_aims_ok(aims_op_call(&res, aims_op_find("system.add"), &ctx, req));
	json_decref(req);
	aims_op_result_release(&res);
	return s;
}

static int64_t system_version(aims_store *s)
{
	aims__stmt *st = NULL;
	assert_aims_ok(aims__stmt_prepare(&st, s, "SELECT version FROM ai_systems WHERE name = 'credit'"));
	assert_int_equal(aims__stmt_step(st), 1);
	int64_t v = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return v;
}

static void test_deadlock_is_retried(void **state)
{
	(void)state;
	test_only_postgres("SQLite writers take the write lock at BEGIN: a conflict is a wait, never a deadlock");
	aims_store *s = store_with_system("deadlock.db");
	op_thread t = { "deadlock.db", -1, 0, "" };
	deadlock_rounds("deadlock.db", 1, &t);
	if (t.rc != 0)
		fail_msg("the update was not retried: %d %s", t.rc, t.msg);
	assert_int_equal(system_version(s), 2); /* applied once */
	assert_aims_ok(aims_ledger_verify(NULL, s, NULL, 0));
	aims_store_free(s);
}

static void test_deadlock_retries_are_bounded(void **state)
{
	(void)state;
	test_only_postgres("SQLite writers take the write lock at BEGIN: a conflict is a wait, never a deadlock");
	aims_store *s = store_with_system("deadlock5.db");
	op_thread t = { "deadlock5.db", -1, 0, "" };
	deadlock_rounds("deadlock5.db", AIMS__STORE_RETRIES, &t);
	assert_int_equal(t.rc, AIMS_ECONFLICT);
	if (!strstr(t.msg, "gave up after 5 attempts") || !strstr(t.msg, "deadlock detected (SQLSTATE 40P01)"))
		fail_msg("unclear message: %s", t.msg);
	assert_int_equal(system_version(s), 1); /* nothing applied */
	assert_aims_ok(aims_ledger_verify(NULL, s, NULL, 0));
	aims_store_free(s);
}

static void terminate_others(const char *name)
{
	char db[64], sql[256];
	test_db_name(db, name);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'", db);
	assert_int_equal(test_pg_admin(sql), 0);
	usleep(50000);
}

static void test_lost_connection(void **state)
{
	(void)state;
	test_only_postgres("a SQLite store has no connection to lose");
	aims_store *s = open_new("conn.db");
	char *v = NULL;
	assert_aims_ok(aims_store_setting_set(s, "k", "1"));
	/* between statements: the next one connects again and runs */
	terminate_others("conn.db");
	assert_aims_ok(aims_store_setting_get(&v, s, "k"));
	assert_string_equal(v, "1");
	free(v);
	/* inside a transaction: the transaction's work is lost, and that is an error */
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims__store_exec(s, "UPDATE settings SET value = '2' WHERE key = 'k'"));
	terminate_others("conn.db");
	assert_int_not_equal(aims__store_exec(s, "UPDATE settings SET value = '3' WHERE key = 'k'"), 0);
	assert_int_not_equal(aims_store_commit(s), 0);
	while (aims_store_rollback(s) == 0)
		;
	v = NULL;
	assert_aims_ok(aims_store_setting_get(&v, s, "k"));
	assert_string_equal(v, "1");
	free(v);
	/* a handle holding a lock does not quietly connect again: its lock is gone */
	int got = 0;
	assert_aims_ok(aims__store_lock(s, "seq", 0, &got));
	assert_int_equal(got, 1);
	terminate_others("conn.db");
	assert_aims_error(aims_store_setting_get(&v, s, "k"), AIMS_ERROR, "locks it held");
	aims_store_free(s);
}

static void test_commit_after_error_fails(void **state)
{
	(void)state;
	aims_store *s = open_new("aborted.db");
	assert_aims_ok(aims_store_begin(s));
	assert_aims_ok(aims_store_setting_set(s, "k", "1"));
	/* a failed statement inside the transaction: SQLite goes on, PostgreSQL refuses the rest */
	assert_int_equal(aims__store_exec(s, "INSERT INTO settings (key, value) VALUES ('k', 'dup')"), AIMS_ECONFLICT);
	if (test_backend_is_postgres()) {
		assert_aims_error(aims_store_commit(s), AIMS_ERROR, "rolled back");
		char *v = NULL;
		assert_aims_ok(aims_store_setting_get(&v, s, "k"));
		assert_null(v);
	} else {
		assert_aims_ok(aims_store_commit(s));
	}
	aims_store_free(s);
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
		cmocka_unit_test(test_pg_translate),
		cmocka_unit_test(test_url_redact),
		cmocka_unit_test(test_text_sorts_by_bytes),
		cmocka_unit_test(test_values_round_trip),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_deadlock_is_retried),
		cmocka_unit_test(test_deadlock_retries_are_bounded),
		cmocka_unit_test(test_lost_connection),
		cmocka_unit_test(test_commit_after_error_fails),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
