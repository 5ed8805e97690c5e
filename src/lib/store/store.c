/*
 * The backend-independent half of the store: URL dispatch, nested
 * transactions (savepoints inside one write transaction), migrations,
 * settings and the logical content digest. Backends live beside this file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aims/ledger.h"
#include "core/core.h"
#include "store_internal.h"
#include "audit/state.h"

static const aims__migration *migrations = aims__migrations;
static size_t migration_count;
static int migration_count_set;

/* test hook: run with another migration list (NULL restores the real one) */
void aims__store_set_migrations(const aims__migration *list, size_t count);
void aims__store_set_migrations(const aims__migration *list, size_t count)
{
	migrations = list ? list : aims__migrations;
	migration_count = list ? count : aims__migration_count;
	migration_count_set = 1;
}

static size_t mig_count(void)
{
	return migration_count_set ? migration_count : aims__migration_count;
}

int aims_store_schema_latest(void)
{
	size_t n = mig_count();
	return n ? migrations[n - 1].version : 0;
}

/* ---- statements: thin dispatch to the backend ---- */

int aims__store_exec(aims_store *s, const char *sql)
{
	return s->ops->exec(s->impl, sql);
}

int aims__store_defer_sync(aims_store *s, int on)
{
	if (s->ops != &aims__sqlite_ops)
		return 0;
	return aims__store_exec(s, on ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
}

int aims__stmt_prepare(aims__stmt **out, aims_store *s, const char *sql)
{
	*out = NULL;
	aims__stmt *st = aims__calloc(1, sizeof(*st));
	if (!st)
		return aims__oom();
	st->store = s;
	int err = s->ops->prepare(&st->impl, s->impl, sql);
	if (err < 0) {
		aims__free(st);
		return err;
	}
	*out = st;
	return 0;
}

int aims__stmt_bind_null(aims__stmt *st, int idx)
{
	return st->store->ops->bind_null(st->impl, idx);
}

int aims__stmt_bind_int64(aims__stmt *st, int idx, int64_t v)
{
	return st->store->ops->bind_int64(st->impl, idx, v);
}

int aims__stmt_bind_text_ref(aims__stmt *st, int idx, const char *v)
{
	if (!v)
		return st->store->ops->bind_null(st->impl, idx);
	if (!st->store->ops->bind_text_ref)
		return st->store->ops->bind_text(st->impl, idx, v, strlen(v));
	return st->store->ops->bind_text_ref(st->impl, idx, v, strlen(v));
}

int aims__stmt_bind_text(aims__stmt *st, int idx, const char *v)
{
	if (!v)
		return st->store->ops->bind_null(st->impl, idx);
	return st->store->ops->bind_text(st->impl, idx, v, strlen(v));
}

int aims__stmt_bind_blob(aims__stmt *st, int idx, const void *v, size_t len)
{
	return st->store->ops->bind_blob(st->impl, idx, v, len);
}

int aims__stmt_bind_double(aims__stmt *st, int idx, double v)
{
	return st->store->ops->bind_double(st->impl, idx, v);
}

int aims__stmt_step(aims__stmt *st)
{
	return st->store->ops->step(st->impl);
}

int aims__stmt_reset(aims__stmt *st)
{
	return st->store->ops->reset(st->impl);
}

int aims__stmt_columns(aims__stmt *st)
{
	return st->store->ops->columns(st->impl);
}

int aims__stmt_type(aims__stmt *st, int col)
{
	return st->store->ops->type(st->impl, col);
}

int64_t aims__stmt_int64(aims__stmt *st, int col)
{
	return st->store->ops->col_int64(st->impl, col);
}

const char *aims__stmt_text(aims__stmt *st, int col)
{
	return st->store->ops->col_text(st->impl, col);
}

int aims__stmt_text_dup(char **out, aims__stmt *st, int col)
{
	const char *v = aims__stmt_text(st, col);
	*out = NULL;
	if (v && !(*out = aims__strdup(v)))
		return aims__oom();
	return 0;
}

const void *aims__stmt_blob(aims__stmt *st, int col, size_t *len)
{
	return st->store->ops->col_blob(st->impl, col, len);
}

double aims__stmt_double(aims__stmt *st, int col)
{
	return st->store->ops->col_double(st->impl, col);
}

const char *aims__stmt_name(aims__stmt *st, int col)
{
	return st->store->ops->col_name(st->impl, col);
}

void aims__stmt_free(aims__stmt *st)
{
	if (!st)
		return;
	st->store->ops->finalize(st->impl);
	aims__free(st);
}

int aims_store_data_version(int64_t *out, aims_store *s)
{
	int err;
	*out = 0;
	if (strcmp(s->ops->name, "sqlite") != 0)
		return aims__err(AIMS_EUSAGE, "the %s backend cannot tell changes by other handles", s->ops->name);
	/* asked on every request of a server: the statement is prepared once per handle */
	if (!s->data_version && (err = aims__stmt_prepare(&s->data_version, s, "PRAGMA data_version")) < 0)
		return err;
	if ((err = aims__stmt_step(s->data_version)) < 0) {
		aims__stmt_reset(s->data_version);
		return err;
	}
	*out = aims__stmt_int64(s->data_version, 0);
	return aims__stmt_reset(s->data_version);
}

/* ---- transactions ---- */

int aims_store_begin(aims_store *s)
{
	char sql[64];
	int err;

	if (s->readonly)
		return aims__err(AIMS_EUSAGE, "store '%s' is open read-only", s->location);
	if (s->tx_depth == 0)
		err = s->ops->begin(s->impl);
	else {
		snprintf(sql, sizeof(sql), "SAVEPOINT aims_sp%d", s->tx_depth);
		err = aims__store_exec(s, sql);
	}
	if (err < 0)
		return err;
	s->tx_depth++;
	return 0;
}

int aims__store_begin_deferred(aims_store *s)
{
	int err;
	if (s->readonly)
		return aims__err(AIMS_EUSAGE, "store '%s' is open read-only", s->location);
	if (s->tx_depth > 0)
		return aims_store_begin(s);
	if ((err = s->ops->begin_deferred(s->impl)) < 0)
		return err;
	s->tx_depth++;
	return 0;
}

int aims__store_writer_turn(aims_store *s)
{
	if (s->tx_depth <= 0)
		return aims__err(AIMS_EUSAGE, "the writers' turn is taken inside a transaction");
	return s->ops->writer_lock(s->impl);
}

int aims_store_commit(aims_store *s)
{
	char sql[64];
	int err;

	if (s->tx_depth <= 0)
		return aims__err(AIMS_EUSAGE, "commit without a transaction");
	if (s->tx_depth == 1)
		err = aims__store_exec(s, "COMMIT");
	else {
		snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT aims_sp%d", s->tx_depth - 1);
		err = aims__store_exec(s, sql);
	}
	if (err < 0)
		return err;
	s->tx_depth--;
	return 0;
}

int aims_store_rollback(aims_store *s)
{
	char sql[96];
	int err;

	if (s->tx_depth <= 0)
		return aims__err(AIMS_EUSAGE, "rollback without a transaction");
	/* keep the error that made the caller roll back */
	char saved[1024];
	int code = aims_error_last_code();
	snprintf(saved, sizeof(saved), "%s", aims_error_last());
	if (s->tx_depth == 1)
		err = aims__store_exec(s, "ROLLBACK");
	else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT aims_sp%d; RELEASE SAVEPOINT aims_sp%d",
			 s->tx_depth - 1, s->tx_depth - 1);
		err = aims__store_exec(s, sql);
	}
	s->tx_depth--;
	if (err == 0 && code != AIMS_OK)
		(void)aims__err(code, "%s", saved);
	return err;
}

/* ---- open, migrate, close ---- */

static int read_schema_version(aims_store *s, int *version, size_t *ntables)
{
	aims__stmt *st = NULL;
	char **tables = NULL;
	size_t n = 0;
	int err, found = 0;

	*version = 0;
	if ((err = s->ops->tables(s->impl, &tables, &n)) < 0)
		return err;
	*ntables = n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tables[i], "aims_schema") == 0)
			found = 1;
		aims__free(tables[i]);
	}
	aims__free(tables);
	if (!found) {
		/* a database with tables but no aims_schema is not ours */
		return n ? aims__err(AIMS_EINVALID,
				     "'%s' is not an aims store (it has tables but no schema record)",
				     s->location)
			 : 0;
	}
	if ((err = aims__stmt_prepare(&st, s, "SELECT MAX(version) FROM aims_schema")) < 0)
		return err;
	if ((err = aims__stmt_step(st)) == 1) {
		*version = (int)aims__stmt_int64(st, 0);
		err = 0;
	}
	aims__stmt_free(st);
	return err;
}

static int migrate(aims_store *s)
{
	aims__stmt *st = NULL;
	char now[32];
	int err = 0;

	if (s->schema_version == 0 &&
	    (err = aims__store_exec(s, "CREATE TABLE IF NOT EXISTS aims_schema ("
				       " version INTEGER PRIMARY KEY,"
				       " name TEXT NOT NULL,"
				       " applied_at TEXT NOT NULL)")) < 0)
		return err;
	for (size_t i = 0; i < mig_count(); i++) {
		const aims__migration *m = &migrations[i];
		if (m->version <= s->schema_version)
			continue;
		if ((err = aims_store_begin(s)) < 0)
			return err;
		if ((err = aims__store_exec(s, m->sql)) < 0) {
			aims__err_prefix("migration %d (%s)", m->version, m->name);
			goto fail;
		}
		aims__time_now(now);
		if ((err = aims__stmt_prepare(&st, s,
				"INSERT INTO aims_schema (version, name, applied_at) VALUES (?, ?, ?)")) < 0 ||
		    (err = aims__stmt_bind_int64(st, 1, m->version)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, m->name)) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, now)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto fail;
		aims__stmt_free(st);
		st = NULL;
		if ((err = aims_store_commit(s)) < 0)
			goto fail;
		s->schema_version = m->version;
	}
	return 0;
fail:
	aims__stmt_free(st);
	if (s->tx_depth)
		aims_store_rollback(s);
	return err;
}

static int parse_url(const aims__store_ops **ops, const char **location, const char *url)
{
	*ops = NULL;
	*location = NULL;
	if (!url || !*url)
		return aims__err(AIMS_EUSAGE, "empty store URL");
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		*ops = &aims__postgres_ops;
		*location = url;
		return 0;
	}
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	else if (strstr(url, "://"))
		return aims__err(AIMS_EINVALID, "store '%s': unknown URL scheme", url);
	if (!*url)
		return aims__err(AIMS_EINVALID, "store URL 'sqlite:' names no file");
	*ops = &aims__sqlite_ops;
	*location = url;
	return 0;
}

int aims_store_open(aims_store **out, const char *url, const aims_store_options *opts)
{
	aims_store_options def = AIMS_STORE_OPTIONS_INIT;
	const aims__store_ops *ops = NULL;
	const char *location = NULL;
	aims_store *s = NULL;
	int err;

	*out = NULL;
	aims_global_init();
	if (!opts)
		opts = &def;
	if (opts->version != AIMS_STORE_OPTIONS_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_store_options version %u not supported", opts->version);
	if ((err = parse_url(&ops, &location, url)) < 0)
		return err;
	if (!(s = aims__calloc(1, sizeof(*s))) || aims__store_url_redact(&s->location, location) < 0) {
		aims__free(s);
		return aims__oom();
	}
	s->ops = ops;
	s->readonly = opts->readonly;
	if ((err = ops->open(&s->impl, location, opts)) < 0)
		goto fail;
	size_t ntables = 0;
	if ((err = read_schema_version(s, &s->schema_version, &ntables)) < 0)
		goto fail;
	if (ntables == 0 && !opts->create) {
		/* an existing but empty file is not a store, and a read must not make it one */
		err = aims__err(AIMS_ENOTFOUND, "no aims store at '%s' (the %s is empty; run 'aims init')",
				s->location, ops == &aims__sqlite_ops ? "file" : "database");
		goto fail;
	}
	if (s->schema_version > aims_store_schema_latest()) {
		err = aims__err(AIMS_EVERSION,
				"store '%s' has schema version %d, newer than this aims %s knows (%d); "
				"use a newer aims", s->location, s->schema_version, AIMS_VERSION,
				aims_store_schema_latest());
		goto fail;
	}
	if (!s->readonly && (err = ops->configure(s->impl)) < 0)
		goto fail;
	if (s->schema_version < aims_store_schema_latest()) {
		if (s->readonly) {
			err = aims__err(AIMS_EVERSION,
					"store '%s' has schema version %d and needs upgrading to %d; "
					"open it read-write once", s->location, s->schema_version,
					aims_store_schema_latest());
			goto fail;
		}
		if ((err = migrate(s)) < 0) {
			aims__err_prefix("store '%s'", s->location);
			goto fail;
		}
	}
	*out = s;
	return 0;
fail:
	aims_store_free(s);
	return err;
}

void aims_store_free(aims_store *s)
{
	if (!s)
		return;
	while (s->tx_depth > 0)
		if (aims_store_rollback(s) < 0)
			break;
	aims__stmt_free(s->data_version);
	if (s->impl)
		s->ops->close(s->impl);
	aims__free(s->location);
	aims__free(s);
}

int aims_store_set_principal(aims_store *s, const aims_principal *p)
{
	if (!p) {
		memset(&s->principal, 0, sizeof(s->principal)); /* nobody acts until a principal is set again */
		return 0;
	}
	if (p->kind == AIMS_PRINCIPAL_NONE || !p->name[0] || !memchr(p->name, '\0', sizeof(p->name)))
		return aims__err(AIMS_EUSAGE, "no principal");
	for (const char *c = p->name; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f)
			return aims__err(AIMS_EINVALID, "principal name must be one word of printable text");
	s->principal = *p;
	return 0;
}

const aims_principal *aims_store_principal(const aims_store *s)
{
	return &s->principal;
}

const char *aims_store_actor(const aims_store *s)
{
	return s->principal.kind != AIMS_PRINCIPAL_NONE ? s->principal.name : "unknown";
}

int aims_store_schema_version(const aims_store *s)
{
	return s->schema_version;
}

const char *aims_store_backend(const aims_store *s)
{
	return s->ops->name;
}

const char *aims_store_location(const aims_store *s)
{
	return s->location;
}

/* ---- settings ---- */

int aims_store_setting_get(char **out, aims_store *s, const char *key)
{
	aims__stmt *st = NULL;
	int err;

	*out = NULL;
	if ((err = aims__stmt_prepare(&st, s, "SELECT value FROM settings WHERE key = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		*out = aims__strdup(aims__stmt_text(st, 0));
		err = *out ? 0 : aims__oom();
	}
done:
	aims__stmt_free(st);
	return err;
}

int aims_store_setting_set(aims_store *s, const char *key, const char *value)
{
	aims__stmt *st = NULL;
	char *old = NULL;
	char newd[72], prevd[72];
	int err;

	if (!key || !*key)
		return aims__err(AIMS_EUSAGE, "empty setting name");
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = aims_store_setting_get(&old, s, key)) < 0)
		goto fail;
	if (value)
		err = aims__stmt_prepare(&st, s,
			"INSERT INTO settings (key, value) VALUES (?, ?) "
			"ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	else
		err = aims__stmt_prepare(&st, s, "DELETE FROM settings WHERE key = ?");
	if (err < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 ||
	    (value && (err = aims__stmt_bind_text(st, 2, value)) < 0) ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	/* the audit trail, when the value really changed */
	if (aims__strcmp0(old, value) != 0) {
		if ((value && (err = aims_ledger_digest(newd, value, strlen(value))) < 0) ||
		    (old && (err = aims_ledger_digest(prevd, old, strlen(old))) < 0) ||
		    (err = aims_ledger_append(s, !value ? "delete" : old ? "update" : "create", "setting", key,
					      value ? newd : NULL, old ? prevd : NULL)) < 0)
			goto fail;
	}
	aims__free(old);
	return aims_store_commit(s);
fail:
	aims__stmt_free(st);
	aims__free(old);
	aims_store_rollback(s);
	return err;
}

/* ---- content digest ---- */

static int digest_put_len(aims__sha256 *h, uint64_t n)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(n >> (56 - 8 * i));
	return aims__sha256_update(h, b, 8);
}

/* SELECT * FROM table ORDER BY every column, NULLs first (SQLite's order, asked of PostgreSQL) */
static int select_all(aims__stmt **out, aims_store *s, const char *table, int *ncol)
{
	aims_buf sql = AIMS_BUF_INIT;
	int err;

	*out = NULL;
	if ((err = aims_buf_printf(&sql, "SELECT * FROM \"%s\"", table)) < 0 ||
	    (err = aims__stmt_prepare(out, s, sql.ptr)) < 0)
		goto done;
	*ncol = aims__stmt_columns(*out);
	aims__stmt_free(*out);
	*out = NULL;
	if ((err = aims_buf_puts(&sql, " ORDER BY ")) < 0)
		goto done;
	for (int c = 1; c <= *ncol; c++)
		if ((err = aims_buf_printf(&sql, "%s%d NULLS FIRST", c > 1 ? ", " : "", c)) < 0)
			goto done;
	err = aims__stmt_prepare(out, s, sql.ptr);
done:
	aims_buf_release(&sql);
	return err;
}

/* one row, every column typed and length-prefixed; integers as decimal text and reals as %.17g,
 * so that the same values give the same bytes on every backend */
static int hash_row(aims__sha256 *h, aims__stmt *st, int ncol)
{
	int err;
	for (int c = 0; c < ncol; c++) {
		int type = aims__stmt_type(st, c);
		unsigned char tb = (unsigned char)type;
		size_t len = 0;
		const void *v = NULL;
		char num[40];
		if (type == AIMS__INT) {
			snprintf(num, sizeof(num), "%lld", (long long)aims__stmt_int64(st, c));
			v = num;
			len = strlen(num);
		} else if (type == AIMS__REAL) {
			snprintf(num, sizeof(num), "%.17g", aims__stmt_double(st, c));
			v = num;
			len = strlen(num);
		} else if (type == AIMS__TEXT) {
			v = aims__stmt_text(st, c);
			len = v ? strlen(v) : 0;
		} else if (type == AIMS__BLOB) {
			v = aims__stmt_blob(st, c, &len);
		}
		if ((err = aims__sha256_update(h, &tb, 1)) < 0 || (err = digest_put_len(h, len)) < 0 ||
		    (len && (err = aims__sha256_update(h, v, len)) < 0))
			return err;
	}
	return 0;
}

int aims__store_hash_rows(aims__sha256 *h, aims_store *s, const char *label, const char *sql, const char *arg)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = digest_put_len(h, strlen(label))) < 0 || (err = aims__sha256_update(h, label, strlen(label))) < 0 ||
	    (err = aims__stmt_prepare(&st, s, sql)) < 0 || (arg && (err = aims__stmt_bind_text(st, 1, arg)) < 0))
		goto done;
	int ncol = aims__stmt_columns(st);
	uint64_t nrows = 0;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = hash_row(h, st, ncol)) < 0)
			goto done;
		nrows++;
	}
	if (err == 0)
		err = digest_put_len(h, nrows);
done:
	aims__stmt_free(st);
	return err;
}

int aims__store_state_digest(char out[72], aims_store *s, const char *type, const char *id,
			     const char *const *labels, const char *const *sqls, size_t n)
{
	aims__sha256 *h = NULL;
	unsigned char md[32];
	char hex[65];
	int err;
	out[0] = '\0';
	if ((err = aims__sha256_new(&h)) < 0)
		return err;
	static const char magic[] = "aims-state v1\n";
	if ((err = aims__sha256_update(h, magic, sizeof(magic) - 1)) < 0 ||
	    (err = digest_put_len(h, strlen(type))) < 0 || (err = aims__sha256_update(h, type, strlen(type))) < 0 ||
	    (err = digest_put_len(h, strlen(id))) < 0 || (err = aims__sha256_update(h, id, strlen(id))) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		if ((err = aims__store_hash_rows(h, s, labels[i], sqls[i], id)) < 0)
			goto done;
	if ((err = aims__sha256_final(h, md)) < 0)
		goto done;
	aims__hex(hex, md, 32);
	snprintf(out, 72, "sha256:%s", hex);
done:
	aims__sha256_free(h);
	return err;
}

/*
 * Feed one table into the digest: its name, then every row in the order of
 * all its columns, each value typed and length-prefixed, so that no two
 * different contents serialize to the same bytes. Integers are hashed as
 * decimal text and reals as %.17g, so the same values give the same bytes
 * on every backend.
 */
static int digest_table(aims__sha256 *h, aims_store *s, const char *table, uint64_t *rows)
{
	aims__stmt *st = NULL;
	int ncol = 0, err;

	if ((err = select_all(&st, s, table, &ncol)) < 0 ||
	    (err = digest_put_len(h, strlen(table))) < 0 ||
	    (err = aims__sha256_update(h, table, strlen(table))) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if (rows)
			(*rows)++;
		if ((err = hash_row(h, st, ncol)) < 0)
			goto done;
	}
done:
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		aims__free(v[i]);
	aims__free(v);
}

/* operational state and the schema's own record, not what the organization stored */
static int is_content_table(const char *t)
{
	return strcmp(t, "aims_schema") != 0 && strncmp(t, "ledger_", 7) != 0 && strcmp(t, "auth_sessions") != 0 &&
	       strcmp(t, "auth_throttle") != 0;
}

/*
 * The digest covers table names and every row of the content tables.
 * aims_schema is left out: it records when migrations ran, not what the
 * organization stored; so are the ledger tables: the audit trail is the
 * history of how the content came to be, and it has its own digest, the
 * Merkle root in its signed checkpoints; and sessions and sign-in throttling
 * are operational state.
 */
int aims_store_content_digest(char out[65], aims_store *s)
{
	aims__sha256 *h = NULL;
	char **tables = NULL;
	size_t ntables = 0;
	unsigned char md[32];
	int err;

	out[0] = '\0';
	if ((err = aims__sha256_new(&h)) < 0 ||
	    (err = s->ops->tables(s->impl, &tables, &ntables)) < 0)
		goto done;
	for (size_t t = 0; t < ntables; t++)
		if (is_content_table(tables[t]) && (err = digest_table(h, s, tables[t], NULL)) < 0)
			goto done;
	if ((err = aims__sha256_final(h, md)) < 0)
		goto done;
	aims__hex(out, md, 32);
	err = 0;
done:
	free_names(tables, ntables);
	aims__sha256_free(h);
	return err;
}

/* ---- conflicts between concurrent transactions ---- */

int aims__store_retryable(aims_store *s)
{
	return s->tx_depth == 0 && s->ops->retryable(s->impl, 0);
}

void aims__store_retry_clear(aims_store *s)
{
	(void)s->ops->retryable(s->impl, 1);
}

void aims__store_backoff(int attempt)
{
	/* 10, 20, 40, 80 ... ms, each with up to as much again at random, so that the losers spread out */
	static _Thread_local unsigned seed;
	if (!seed)
		seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&attempt;
	long ms = 10L << (attempt < 6 ? attempt : 6);
	ms += (long)(rand_r(&seed) % (unsigned)ms);
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* ---- advisory locks ---- */

int aims__store_lock(aims_store *s, const char *name, int wait_ms, int *got)
{
	*got = 0;
	if (!name || !*name)
		return aims__err(AIMS_EUSAGE, "empty lock name");
	return s->ops->lock(s->impl, name, wait_ms, got);
}

int aims__store_unlock(aims_store *s, const char *name)
{
	return s->ops->unlock(s->impl, name);
}

/* ---- URLs ---- */

int aims__store_url_redact(char **out, const char *url)
{
	aims_buf b = AIMS_BUF_INIT;
	const char *p = strstr(url, "://");
	int err = 0;

	*out = NULL;
	if (!p) {
		*out = aims__strdup(url);
		return *out ? 0 : aims__oom();
	}
	p += 3;
	/* user:password@ in the authority */
	const char *auth_end = p + strcspn(p, "/?#");
	const char *at = NULL;
	for (const char *q = p; q < auth_end; q++)
		if (*q == '@')
			at = q;
	const char *colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	if (colon)
		err = aims_buf_put(&b, url, (size_t)(colon - url + 1)) < 0 || aims_buf_puts(&b, "***") < 0 ||
		      aims_buf_put(&b, at, (size_t)(auth_end - at)) < 0;
	else
		err = aims_buf_put(&b, url, (size_t)(auth_end - url)) < 0;
	/* password=... among the parameters: segments start at '?', '&' or '#' */
	for (const char *q = auth_end; *q && !err;) {
		size_t n = strcspn(q + 1, "?&#") + 1;
		if ((*q == '?' || *q == '&') && strncmp(q + 1, "password=", 9) == 0)
			err = aims_buf_put(&b, q, 10) < 0 || aims_buf_puts(&b, "***") < 0;
		else
			err = aims_buf_put(&b, q, n) < 0;
		q += n;
	}
	if (err) {
		aims_buf_release(&b);
		return aims__oom();
	}
	*out = aims_buf_detach(&b, NULL);
	return *out ? 0 : aims__oom();
}

/* ---- copying a store ---- */

/* a read-only transaction that sees one state of the store throughout */
static int begin_snapshot(aims_store *s)
{
	int err;
	if (s->tx_depth != 0)
		return aims__err(AIMS_EUSAGE, "store '%s': a snapshot needs a handle without a transaction",
				 s->location);
	if ((err = s->ops->snapshot(s->impl)) < 0)
		return err;
	s->tx_depth = 1;
	return 0;
}

int aims__store_snapshot(aims_store *s)
{
	int err;
	if (s->tx_depth != 0)
		return 0;
	if ((err = begin_snapshot(s)) < 0)
		return err;
	return 1;
}

static int has_rows(int *yes, aims_store *s, const char *table)
{
	aims_buf sql = AIMS_BUF_INIT;
	aims__stmt *st = NULL;
	int err;
	*yes = 0;
	if ((err = aims_buf_printf(&sql, "SELECT 1 FROM \"%s\" LIMIT 1", table)) >= 0 &&
	    (err = aims__stmt_prepare(&st, s, sql.ptr)) >= 0 && (err = aims__stmt_step(st)) >= 0) {
		*yes = err == 1;
		err = 0;
	}
	aims__stmt_free(st);
	aims_buf_release(&sql);
	return err;
}

/* the tables in an order where every table comes after those it references (ties by name) */
static int copy_order(size_t *order, aims_store *s, char **tables, size_t n)
{
	unsigned char *deps = aims__calloc(n * n + 1, 1), *done = aims__calloc(n + 1, 1);
	int err = 0;

	if (!deps || !done) {
		err = aims__oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char **refs = NULL;
		size_t nrefs = 0;
		if ((err = s->ops->references(s->impl, tables[i], &refs, &nrefs)) < 0)
			goto out;
		for (size_t r = 0; r < nrefs; r++)
			for (size_t j = 0; j < n; j++)
				if (j != i && strcmp(refs[r], tables[j]) == 0)
					deps[i * n + j] = 1;
		free_names(refs, nrefs);
	}
	for (size_t k = 0; k < n; k++) {
		size_t pick = n;
		for (size_t i = 0; i < n && pick == n; i++) {
			if (done[i])
				continue;
			size_t j = 0;
			while (j < n && !(deps[i * n + j] && !done[j]))
				j++;
			if (j == n)
				pick = i;
		}
		if (pick == n) {
			err = aims__err(AIMS_ERROR, "store '%s': the tables' foreign keys form a cycle", s->location);
			goto out;
		}
		done[pick] = 1;
		order[k] = pick;
	}
out:
	aims__free(deps);
	aims__free(done);
	return err;
}

static int copy_table(aims_store *dst, aims_store *src, const char *table, uint64_t *rows)
{
	aims__stmt *from = NULL, *to = NULL;
	aims_buf sql = AIMS_BUF_INIT;
	int ncol = 0, err;

	if ((err = select_all(&from, src, table, &ncol)) < 0)
		goto done;
	if ((err = aims_buf_printf(&sql, "INSERT INTO \"%s\" (", table)) < 0)
		goto done;
	for (int c = 0; c < ncol; c++) {
		const char *name = aims__stmt_name(from, c);
		if (!name) {
			err = aims__err(AIMS_ERROR, "store '%s': table '%s': no name for column %d", src->location,
					table, c + 1);
			goto done;
		}
		if ((err = aims_buf_printf(&sql, "%s\"%s\"", c ? ", " : "", name)) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(&sql, ") VALUES (")) < 0)
		goto done;
	for (int c = 0; c < ncol; c++)
		if ((err = aims_buf_puts(&sql, c ? ", ?" : "?")) < 0)
			goto done;
	if ((err = aims_buf_putc(&sql, ')')) < 0 || (err = aims__stmt_prepare(&to, dst, sql.ptr)) < 0)
		goto done;
	while ((err = aims__stmt_step(from)) == 1) {
		for (int c = 0; c < ncol && err >= 0; c++) {
			size_t len = 0;
			const void *v;
			switch (aims__stmt_type(from, c)) {
			case AIMS__INT:
				err = aims__stmt_bind_int64(to, c + 1, aims__stmt_int64(from, c));
				break;
			case AIMS__REAL:
				err = aims__stmt_bind_double(to, c + 1, aims__stmt_double(from, c));
				break;
			case AIMS__TEXT:
				err = aims__stmt_bind_text(to, c + 1, aims__stmt_text(from, c));
				break;
			case AIMS__BLOB:
				v = aims__stmt_blob(from, c, &len);
				err = aims__stmt_bind_blob(to, c + 1, v, len);
				break;
			default:
				err = aims__stmt_bind_null(to, c + 1);
			}
		}
		if (err < 0 || (err = aims__stmt_step(to)) < 0 || (err = aims__stmt_reset(to)) < 0) {
			aims__err_prefix("store '%s': table '%s', row %llu", dst->location, table,
					 (unsigned long long)*rows + 1);
			goto done;
		}
		(*rows)++;
	}
done:
	aims__stmt_free(from);
	aims__stmt_free(to);
	aims_buf_release(&sql);
	return err < 0 ? err : 0;
}

static int same_tables(aims_store *dst, aims_store *src, char **tables, size_t n)
{
	char **other = NULL;
	size_t m = 0;
	int err = dst->ops->tables(dst->impl, &other, &m);
	if (err < 0)
		return err;
	for (size_t i = 0; i < n || i < m; i++) {
		const char *a = i < n ? tables[i] : NULL, *b = i < m ? other[i] : NULL;
		if (aims__strcmp0(a, b) != 0) {
			err = aims__err(AIMS_EVERSION, "store copy: '%s' and '%s' have different tables ('%s' against "
					"'%s')", src->location, dst->location, a ? a : "none", b ? b : "none");
			break;
		}
	}
	free_names(other, m);
	return err;
}

/* the decision logs whose entries are files beside a SQLite store (a log kept in the store is copied with it) */
static int decision_logs(aims_buf *names, aims_store *s)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT id FROM ledger_logs WHERE kind = 'decision' AND "
				      "storage = 'files' ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1)
		if ((err = aims_buf_printf(names, "%s%s", names->len ? ", " : "", aims__stmt_text(st, 0))) < 0)
			break;
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_store_copy(aims_store *dst, aims_store *src, aims_store_copy_stats *stats)
{
	char **tables = NULL;
	size_t n = 0, *order = NULL;
	uint64_t rows = 0;
	aims_buf logs = AIMS_BUF_INIT;
	int err, in_src = 0, in_dst = 0;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!dst || !src || dst == src)
		return aims__err(AIMS_EUSAGE, "store copy needs two different stores");
	/* it reads password hashes and token hashes and writes a whole store */
	if (!(aims_store_principal(src)->roles & AIMS_ROLE_ADMIN) ||
	    !(aims_store_principal(dst)->roles & AIMS_ROLE_ADMIN))
		return aims__err(AIMS_EPERM, "store copy needs the admin role on both stores ('%s' acts on '%s', '%s' "
				 "on '%s')", aims_store_actor(src), src->location, aims_store_actor(dst),
				 dst->location);
	if (src->schema_version != dst->schema_version)
		return aims__err(AIMS_EVERSION, "store copy: '%s' has schema version %d and '%s' %d; open the older "
				 "one read-write with this aims first", src->location, src->schema_version,
				 dst->location, dst->schema_version);
	if ((err = begin_snapshot(src)) < 0)
		return err;
	in_src = 1;
	if ((err = decision_logs(&logs, src)) < 0)
		goto done;
	if (logs.len) {
		err = aims__err(AIMS_ECONFLICT, "store copy: '%s' has decision logs (%s), whose entries are files "
				"beside the store that 'aims store copy' does not copy yet", src->location, logs.ptr);
		goto done;
	}
	if ((err = src->ops->tables(src->impl, &tables, &n)) < 0 || (err = same_tables(dst, src, tables, n)) < 0)
		goto done;
	if ((err = aims_store_begin(dst)) < 0)
		goto done;
	in_dst = 1;
	for (size_t i = 0; i < n; i++) {
		int yes = 0;
		if (strcmp(tables[i], "aims_schema") != 0 && (err = has_rows(&yes, dst, tables[i])) < 0)
			goto done;
		if (yes) {
			err = aims__err(AIMS_ECONFLICT, "store copy: '%s' is not empty (table '%s' has rows); copy into "
					"a new store", dst->location, tables[i]);
			goto done;
		}
	}
	if (!(order = aims__calloc(n + 1, sizeof(*order)))) {
		err = aims__oom();
		goto done;
	}
	/* the schema's record comes along too: the versions are the same, the history is the source's */
	if ((err = copy_order(order, src, tables, n)) < 0 || (err = aims__store_exec(dst, "DELETE FROM aims_schema")) < 0)
		goto done;
	for (size_t k = 0; k < n; k++)
		if ((err = copy_table(dst, src, tables[order[k]], &rows)) < 0)
			goto done;
	in_dst = 0;
	if ((err = aims_store_commit(dst)) < 0)
		goto done;
	/* read back: every table the same, row for row, on both sides */
	for (size_t i = 0; i < n; i++) {
		aims__sha256 *ha = NULL, *hb = NULL;
		unsigned char a[32], b[32];
		if ((err = aims__sha256_new(&ha)) >= 0 && (err = aims__sha256_new(&hb)) >= 0 &&
		    (err = digest_table(ha, src, tables[i], NULL)) >= 0 &&
		    (err = digest_table(hb, dst, tables[i], NULL)) >= 0 &&
		    (err = aims__sha256_final(ha, a)) >= 0 && (err = aims__sha256_final(hb, b)) >= 0 &&
		    memcmp(a, b, 32) != 0)
			err = aims__err(AIMS_ETAMPERED, "store copy: table '%s' of '%s' differs from the source after the "
					"copy", tables[i], dst->location);
		aims__sha256_free(ha);
		aims__sha256_free(hb);
		if (err < 0)
			goto done;
	}
	if (stats) {
		stats->tables = n;
		stats->rows = rows;
	}
	err = 0;
done:
	if (in_dst)
		aims_store_rollback(dst);
	if (in_src) {
		/* the snapshot only read: ending it cannot lose anything */
		int e = aims_store_commit(src);
		if (err == 0)
			err = e;
	}
	aims__free(order);
	free_names(tables, n);
	aims_buf_release(&logs);
	return err;
}

/* ---- state against the ledger: each setting's audit entry holds the digest of its value ---- */

int aims__setting_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT key, value FROM settings ORDER BY key")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *v = aims__stmt_text(st, 1);
		if ((err = aims_ledger_digest(dg, v ? v : "", v ? strlen(v) : 0)) < 0 ||
		    (err = emit(arg, "setting", aims__stmt_text(st, 0), dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
