/*
 * The backend-independent half of the store: URL dispatch, nested
 * transactions (savepoints inside one write transaction), migrations,
 * settings and the logical content digest. Backends live beside this file.
 */
#include <stdio.h>
#include <string.h>

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
		err = aims__store_exec(s, "BEGIN IMMEDIATE");
	else {
		snprintf(sql, sizeof(sql), "SAVEPOINT aims_sp%d", s->tx_depth);
		err = aims__store_exec(s, sql);
	}
	if (err < 0)
		return err;
	s->tx_depth++;
	return 0;
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
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
		return aims__err(AIMS_EINVALID,
				 "store '%s': the PostgreSQL backend is not part of this build", url);
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
	if (!(s = aims__calloc(1, sizeof(*s))) || !(s->location = aims__strdup(location))) {
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
		err = aims__err(AIMS_ENOTFOUND, "no aims store at '%s' (the file is empty; run 'aims init')",
				location);
		goto fail;
	}
	if (s->schema_version > aims_store_schema_latest()) {
		err = aims__err(AIMS_EVERSION,
				"store '%s' has schema version %d, newer than this aims %s knows (%d); "
				"use a newer aims", location, s->schema_version, AIMS_VERSION,
				aims_store_schema_latest());
		goto fail;
	}
	if (!s->readonly && (err = ops->configure(s->impl)) < 0)
		goto fail;
	if (s->schema_version < aims_store_schema_latest()) {
		if (s->readonly) {
			err = aims__err(AIMS_EVERSION,
					"store '%s' has schema version %d and needs upgrading to %d; "
					"open it read-write once", location, s->schema_version,
					aims_store_schema_latest());
			goto fail;
		}
		if ((err = migrate(s)) < 0) {
			aims__err_prefix("store '%s'", location);
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

/* one row, every column typed and length-prefixed */
static int hash_row(aims__sha256 *h, aims__stmt *st, int ncol)
{
	int err;
	for (int c = 0; c < ncol; c++) {
		int type = aims__stmt_type(st, c);
		unsigned char tb = (unsigned char)type;
		size_t len = 0;
		const void *v = NULL;
		char num[32];
		if (type == AIMS__INT || type == AIMS__REAL || type == AIMS__TEXT) {
			v = aims__stmt_text(st, c);
			len = v ? strlen(v) : 0;
			if (type == AIMS__INT) {
				snprintf(num, sizeof(num), "%lld", (long long)aims__stmt_int64(st, c));
				v = num;
				len = strlen(num);
			}
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
 * The digest covers table names and every row, in the order of all columns,
 * with each value typed and length-prefixed, so that no two different
 * contents serialize to the same bytes. aims_schema is left out: it records
 * when migrations ran, not what the organization stored; so are the ledger
 * tables: the audit trail is the history of how the content came to be, and
 * it has its own digest, the Merkle root in its signed checkpoints.
 */
int aims_store_content_digest(char out[65], aims_store *s)
{
	aims__sha256 *h = NULL;
	aims__stmt *st = NULL;
	char **tables = NULL;
	size_t ntables = 0;
	aims_buf sql = AIMS_BUF_INIT;
	unsigned char md[32];
	int err;

	out[0] = '\0';
	if ((err = aims__sha256_new(&h)) < 0 ||
	    (err = s->ops->tables(s->impl, &tables, &ntables)) < 0)
		goto done;
	for (size_t t = 0; t < ntables; t++) {
		/* sessions and sign-in throttling are operational state, not content */
		if (strcmp(tables[t], "aims_schema") == 0 || strncmp(tables[t], "ledger_", 7) == 0 ||
		    strcmp(tables[t], "auth_sessions") == 0 || strcmp(tables[t], "auth_throttle") == 0)
			continue;
		aims_buf_clear(&sql);
		if ((err = aims_buf_printf(&sql, "SELECT * FROM \"%s\"", tables[t])) < 0 ||
		    (err = aims__stmt_prepare(&st, s, sql.ptr)) < 0)
			goto done;
		int ncol = aims__stmt_columns(st);
		aims_buf_clear(&sql);
		if ((err = aims_buf_printf(&sql, "SELECT * FROM \"%s\" ORDER BY ", tables[t])) < 0)
			goto done;
		for (int c = 1; c <= ncol; c++)
			if ((err = aims_buf_printf(&sql, "%s%d", c > 1 ? ", " : "", c)) < 0)
				goto done;
		aims__stmt_free(st);
		st = NULL;
		if ((err = aims__stmt_prepare(&st, s, sql.ptr)) < 0 ||
		    (err = digest_put_len(h, strlen(tables[t]))) < 0 ||
		    (err = aims__sha256_update(h, tables[t], strlen(tables[t]))) < 0)
			goto done;
		while ((err = aims__stmt_step(st)) == 1)
			if ((err = hash_row(h, st, ncol)) < 0)
				goto done;
		if (err < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
	}
	if ((err = aims__sha256_final(h, md)) < 0)
		goto done;
	aims__hex(out, md, 32);
	err = 0;
done:
	aims__stmt_free(st);
	for (size_t t = 0; t < ntables; t++)
		aims__free(tables[t]);
	aims__free(tables);
	aims_buf_release(&sql);
	aims__sha256_free(h);
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
