/*
 * The PostgreSQL backend (libpq), selected by a postgres:// or
 * postgresql:// store URL. One connection per handle.
 *
 * Modules write the portable SQL of store_internal.h; this file turns it
 * into PostgreSQL's: `?` placeholders become $1, $2, ...; in CREATE and
 * ALTER TABLE the SQLite column types become PostgreSQL's (INTEGER -> BIGINT,
 * BLOB -> BYTEA, REAL -> DOUBLE PRECISION) and every TEXT column gets the "C"
 * collation, so that text compares and sorts by bytes as in SQLite, whatever
 * the locale the database was created with.
 *
 * Statements are prepared once per connection and kept in a small cache
 * keyed by their text (least recently used ones are deallocated), because
 * modules prepare a statement for each use. Results are fetched whole, in
 * text format: a module may run other statements while it walks the rows of
 * one, as SQLite allows. Values map to the store's types by column type:
 * int2/4/8 and oid are INT, boolean is INT (0/1), float and numeric are REAL,
 * bytea is BLOB, everything else TEXT.
 *
 * Transactions: the outermost begin is READ COMMITTED plus a
 * transaction-scoped advisory lock that every writer of the database takes,
 * so writers take turns as they do on SQLite and a transaction's statements
 * see every write committed before it took the lock, on any node. Lock waits
 * end after the store's busy timeout (lock_timeout). A statement outside a
 * transaction that fails on a serialization failure or deadlock is run
 * again (at most AIMS__STORE_RETRIES times); inside a transaction the caller
 * must run the whole transaction again (aims__store_retryable). A broken
 * connection is re-established when no transaction was open.
 */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/core.h"
#include "store_internal.h"

enum {
	OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
	OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700
};

#define CACHE_MAX 256

typedef struct pg_prep {
	char *sql;          /* translated text */
	uint64_t hash;
	char name[24];      /* server-side name while prepared */
	int nparams;
	unsigned gen;       /* connection generation it was prepared in (0: not prepared) */
	unsigned refs;      /* live statements using it */
	uint64_t used;      /* for least-recently-used eviction */
	PGresult *desc;     /* PQdescribePrepared, once asked for */
} pg_prep;

typedef struct pg_conn {
	PGconn *conn;
	char *url;          /* as given (with any password), for reconnecting */
	char *shown;        /* with the password replaced, for messages */
	int readonly;
	int lock_ms;
	unsigned gen;       /* bumped when the server forgets prepared statements */
	unsigned next_name;
	uint64_t clock;
	pg_prep **cache;
	size_t ncache, capcache;
	int retryable;      /* the last error was 40001 or 40P01 */
	int in_tx;          /* between a begin and its COMMIT or ROLLBACK (whatever the connection says) */
	int nlocks;         /* named session locks held */
} pg_conn;

typedef struct pg_stmt {
	pg_conn *c;
	pg_prep *p;
	char **vals;
	int *lens, *fmts;
	PGresult *res;      /* bytea values decoded in place (see decode_bytea) */
	int row, nrows;
} pg_stmt;

static void notice_ignore(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* the library never prints: notices (e.g. "already exists, skipping") are dropped */
}

/* ---- errors ---- */

/* libpq's multi-line messages on one line, without the trailing newline */
static void one_line(char *out, size_t n, const char *msg)
{
	size_t j = 0;
	for (const char *p = msg ? msg : ""; *p && j + 1 < n; p++) {
		if (*p == '\n' || *p == '\t') {
			if (p[1] && j && out[j - 1] != ' ')
				out[j++] = ' ';
			continue;
		}
		out[j++] = *p;
	}
	while (j && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
}

static int sqlstate_is(const PGresult *res, const char *code)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return s && strncmp(s, code, strlen(code)) == 0;
}

static int is_transient(const PGresult *res)
{
	return sqlstate_is(res, "40001") || sqlstate_is(res, "40P01");
}

/* record the error of a failed result (or of the connection when res is NULL) */
static int pg_err(pg_conn *c, const PGresult *res, const char *what)
{
	char msg[1024];
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int code = AIMS_ERROR;

	one_line(msg, sizeof(msg), primary ? primary : PQerrorMessage(c->conn));
	c->retryable = is_transient(res);
	if (!state)
		return aims__err(AIMS_ERROR, "%s: %s", what, msg[0] ? msg : "connection to the server lost");
	if (strncmp(state, "23", 2) == 0 || c->retryable)
		code = AIMS_ECONFLICT; /* a constraint, or a conflict with a concurrent transaction */
	else if (strcmp(state, "53200") == 0)
		code = AIMS_ENOMEM;
	if (strcmp(state, "55P03") == 0)
		return aims__err(AIMS_ERROR, "%s: the store is busy: another writer held a lock for more than %d ms "
				 "(%s)", what, c->lock_ms, msg);
	if (strncmp(state, "40", 2) == 0 || strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0)
		return aims__err(code, "%s: %s (SQLSTATE %s)", what, msg, state);
	return aims__err(code, "%s: %s", what, msg);
}

/* ---- translation of the portable SQL ---- */

static int is_word(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

static int word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* skip blanks and comments */
static const char *skip_space(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static const char *next_word(const char *p, size_t *n)
{
	p = skip_space(p);
	*n = 0;
	while (is_word(p[*n]))
		(*n)++;
	return p;
}

/* what a statement starting at p is: 2 = CREATE/ALTER TABLE (types to map), 1 = ALTER/DROP, 0 = other */
static int statement_kind(const char *p)
{
	size_t n, m;
	const char *w = next_word(p, &n);
	const char *v = next_word(w + n, &m);
	if (word_is(w, n, "CREATE")) {
		while (word_is(v, m, "TEMP") || word_is(v, m, "TEMPORARY") || word_is(v, m, "UNLOGGED"))
			v = next_word(v + m, &m);
		return word_is(v, m, "TABLE") ? 2 : 0;
	}
	if (word_is(w, n, "ALTER"))
		return word_is(v, m, "TABLE") ? 2 : 1;
	return word_is(w, n, "DROP") ? 1 : 0;
}

int aims__pg_translate(aims_buf *out, const char *sql, int *nparams, int *invalidates)
{
	int n = 0, kind = statement_kind(sql), err = 0;
	const char *p = sql;

	*nparams = 0;
	*invalidates = kind != 0;
	aims_buf_clear(out);
	while (*p && err == 0) {
		char ch = *p;
		if (ch == '\'' || ch == '"') {
			/* a string literal or a quoted identifier, doubled quotes inside */
			const char *e = p + 1;
			while (*e && !(*e == ch && e[1] != ch))
				e += *e == ch ? 2 : 1;
			if (*e)
				e++;
			err = aims_buf_put(out, p, (size_t)(e - p));
			p = e;
		} else if ((ch == '-' && p[1] == '-') || (ch == '/' && p[1] == '*')) {
			const char *e = skip_space(p);
			err = aims_buf_put(out, p, (size_t)(e - p));
			p = e;
		} else if (ch == '?' && p[1] >= '0' && p[1] <= '9') {
			/* ?NNN, as SQLite numbers a parameter; a later bare ? is the highest so far plus one */
			int k = 0;
			const char *d = ++p;
			while (*p >= '0' && *p <= '9' && k < 100000)
				k = k * 10 + (*p++ - '0');
			err = aims_buf_printf(out, "$%.*s", (int)(p - d), d);
			if (k > n)
				n = k;
		} else if (ch == '?') {
			err = aims_buf_printf(out, "$%d", ++n);
			p++;
		} else if (ch == ';') {
			err = aims_buf_putc(out, ch);
			p++;
			kind = statement_kind(p);
			if (kind)
				*invalidates = 1;
		} else if (is_word(ch) && (p == sql || !is_word(p[-1]))) {
			size_t len = 0;
			while (is_word(p[len]))
				len++;
			if (kind == 2 && (word_is(p, len, "INTEGER") || word_is(p, len, "INT")))
				err = aims_buf_puts(out, "BIGINT");
			else if (kind == 2 && word_is(p, len, "BLOB"))
				err = aims_buf_puts(out, "BYTEA");
			else if (kind == 2 && word_is(p, len, "REAL"))
				err = aims_buf_puts(out, "DOUBLE PRECISION");
			else if (kind == 2 && word_is(p, len, "TEXT"))
				err = aims_buf_puts(out, "TEXT COLLATE \"C\"");
			else
				err = aims_buf_put(out, p, len);
			p += len;
		} else {
			err = aims_buf_putc(out, ch);
			p++;
		}
	}
	*nparams = n;
	return err;
}

/* ---- connections ---- */

/* connect with `url`, or with its server and credentials but database `dbname` */
static PGconn *pg_connect(const char *url, const char *dbname)
{
	const char *keys[] = { "fallback_application_name", "connect_timeout", "dbname", "dbname", NULL };
	const char *vals[] = { "aims", "10", url, dbname, NULL };
	if (!dbname)
		keys[3] = vals[3] = NULL;
	return PQconnectdbParams(keys, vals, 1);
}

static int session_setup(pg_conn *c)
{
	char sql[256];
	PGresult *res;
	snprintf(sql, sizeof(sql),
		 "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET bytea_output = hex; "
		 "SET lock_timeout = %d; SET default_transaction_read_only = %s", c->lock_ms,
		 c->readonly ? "on" : "off");
	res = PQexec(c->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int err = pg_err(c, res, "database");
		PQclear(res);
		return err;
	}
	PQclear(res);
	return 0;
}

/* the database name a URL names (PQconninfoParse), or NULL */
static char *url_dbname(const char *url)
{
	char *errmsg = NULL, *name = NULL;
	PQconninfoOption *o = PQconninfoParse(url, &errmsg), *i;
	PQfreemem(errmsg);
	for (i = o; i && i->keyword; i++)
		if (strcmp(i->keyword, "dbname") == 0 && i->val && *i->val)
			name = aims__strdup(i->val);
	PQconninfoFree(o);
	return name;
}

/* on the server of `url`: does database `name` exist (*exists), and create it when asked */
static int maintenance(pg_conn *c, const char *name, int create, int *exists)
{
	static const char *const dbs[] = { "postgres", "template1" };
	PGconn *m = NULL;
	PGresult *res = NULL;
	const char *params[1] = { name };
	char msg[512];
	int err = 0;

	*exists = -1;
	for (size_t i = 0; i < 2; i++) {
		m = pg_connect(c->url, dbs[i]);
		if (PQstatus(m) == CONNECTION_OK)
			break;
		if (i == 1) {
			one_line(msg, sizeof(msg), PQerrorMessage(m));
			PQfinish(m);
			return aims__err(AIMS_ERROR, "cannot connect to store '%s': %s", c->shown, msg);
		}
		PQfinish(m);
	}
	PQsetNoticeProcessor(m, notice_ignore, NULL);
	res = PQexecParams(m, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		one_line(msg, sizeof(msg), PQresultErrorMessage(res));
		err = aims__err(AIMS_ERROR, "store '%s': %s", c->shown, msg);
		goto done;
	}
	*exists = PQntuples(res) > 0;
	if (*exists || !create)
		goto done;
	PQclear(res);
	res = NULL;
	char *ident = PQescapeIdentifier(m, name, strlen(name));
	aims_buf sql = AIMS_BUF_INIT;
	if (!ident || aims_buf_printf(&sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' "
				      "LC_COLLATE 'C' LC_CTYPE 'C'", ident) < 0) {
		PQfreemem(ident);
		aims_buf_release(&sql);
		err = aims__oom();
		goto done;
	}
	PQfreemem(ident);
	res = PQexec(m, sql.ptr);
	aims_buf_release(&sql);
	/* created meanwhile by someone else (42P04) is as good */
	if (PQresultStatus(res) != PGRES_COMMAND_OK && !sqlstate_is(res, "42P04")) {
		one_line(msg, sizeof(msg), PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		err = aims__err(AIMS_ERROR, "store '%s': cannot create database '%s': %s (create it beforehand, "
				"owned by the role aims connects as)", c->shown, name, msg);
	}
done:
	PQclear(res);
	PQfinish(m);
	return err;
}

static void cache_clear(pg_conn *c, int all);

static int pg_open(void **impl, const char *location, const aims_store_options *opts)
{
	pg_conn *c = aims__calloc(1, sizeof(*c));
	char *dbname = NULL;
	int err = 0;

	*impl = NULL;
	if (!c)
		return aims__oom();
	c->readonly = opts->readonly;
	c->lock_ms = opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : AIMS_STORE_BUSY_LIMIT_MS;
	if (!(c->url = aims__strdup(location)) || aims__store_url_redact(&c->shown, location) < 0) {
		err = aims__oom();
		goto fail;
	}
	c->conn = pg_connect(location, NULL);
	if (PQstatus(c->conn) != CONNECTION_OK) {
		char msg[512];
		int exists = -1;
		one_line(msg, sizeof(msg), PQerrorMessage(c->conn));
		PQfinish(c->conn);
		c->conn = NULL;
		if (!(dbname = url_dbname(location))) {
			err = aims__err(AIMS_EINVALID, "store '%s' names no database (postgres://[USER@]HOST[:PORT]/DATABASE)",
					c->shown);
			goto fail;
		}
		/* is it the database that is missing? the server's maintenance database knows */
		if (maintenance(c, dbname, 0, &exists) < 0 || exists != 0) {
			err = aims__err(AIMS_ERROR, "cannot connect to store '%s': %s", c->shown, msg);
			goto fail;
		}
		if (!opts->create || opts->readonly) {
			err = aims__err(AIMS_ENOTFOUND, "no aims store at '%s' (run 'aims init' to create one)", c->shown);
			goto fail;
		}
		if ((err = maintenance(c, dbname, 1, &exists)) < 0)
			goto fail;
		c->conn = pg_connect(location, NULL);
		if (PQstatus(c->conn) != CONNECTION_OK) {
			one_line(msg, sizeof(msg), PQerrorMessage(c->conn));
			err = aims__err(AIMS_ERROR, "cannot connect to store '%s': %s", c->shown, msg);
			goto fail;
		}
	}
	PQsetNoticeProcessor(c->conn, notice_ignore, NULL);
	if ((err = session_setup(c)) < 0)
		goto fail;
	c->gen = 1;
	aims__free(dbname);
	*impl = c;
	return 0;
fail:
	aims__free(dbname);
	if (c->conn)
		PQfinish(c->conn);
	aims__free(c->url);
	aims__free(c->shown);
	aims__free(c);
	return err;
}

static void pg_close(void *impl)
{
	pg_conn *c = impl;
	cache_clear(c, 1);
	aims__free(c->cache);
	PQfinish(c->conn);
	aims__free(c->url);
	aims__free(c->shown);
	aims__free(c);
}

/*
 * Before a command: if the connection broke while no transaction was open
 * (the server restarted, a proxy dropped it), connect again. Inside a
 * transaction the work is lost and the caller must hear about it.
 */
static int ensure_connected(pg_conn *c)
{
	if (PQstatus(c->conn) == CONNECTION_OK)
		return 0;
	if (c->nlocks > 0)
		return aims__err(AIMS_ERROR, "store '%s': the connection was lost, and with it the locks it held",
				 c->shown);
	PQreset(c->conn);
	if (PQstatus(c->conn) != CONNECTION_OK)
		return pg_err(c, NULL, "database");
	c->gen++; /* the new session knows no prepared statements */
	return session_setup(c);
}

/*
 * After a failed command: did it fail because the connection broke while no
 * transaction was open? Then nothing was lost: connect again, and the caller
 * runs the command once more (1). 0: not so; < 0: connecting again failed.
 */
static int reconnected(pg_conn *c, int idle)
{
	if (!idle || PQstatus(c->conn) == CONNECTION_OK)
		return 0;
	int err = ensure_connected(c);
	return err < 0 ? err : 1;
}

static int pg_configure(void *impl)
{
	(void)impl;
	return 0;
}

/* placeholders, or a statement whose types change or that changes a table (a ';' in a literal
 * only makes this say yes needlessly) */
static int needs_translation(const char *sql)
{
	if (strchr(sql, '?'))
		return 1;
	for (const char *p = sql; p; p = strchr(p, ';')) {
		if (*p == ';')
			p++;
		if (statement_kind(p))
			return 1;
	}
	return 0;
}

static int pg_exec(void *impl, const char *sql)
{
	pg_conn *c = impl;
	aims_buf t = AIMS_BUF_INIT;
	int nparams = 0, invalidates = 0, err;
	PGresult *res = NULL;
	int idle = !c->in_tx;

	/* transaction control and the like go as they are: no allocation, so a rollback works out of memory */
	const char *text = sql;
	if (needs_translation(sql)) {
		if ((err = aims__pg_translate(&t, sql, &nparams, &invalidates)) < 0)
			goto done;
		text = t.ptr;
	}
	if (idle && (err = ensure_connected(c)) < 0)
		goto done;
	res = PQexec(c->conn, text);
	/* the end of the transaction, whatever came of it: the next statement may connect again */
	if (strncasecmp(sql, "COMMIT", 6) == 0 ||
	    (strncasecmp(sql, "ROLLBACK", 8) == 0 && strncasecmp(sql, "ROLLBACK TO", 11) != 0))
		c->in_tx = 0;
	ExecStatusType rs = PQresultStatus(res);
	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK && rs != PGRES_EMPTY_QUERY &&
	    reconnected(c, idle) == 1) {
		PQclear(res);
		res = PQexec(c->conn, text);
		rs = PQresultStatus(res);
	}
	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK && rs != PGRES_EMPTY_QUERY) {
		err = pg_err(c, res, "database");
		goto done;
	}
	/* COMMIT of a transaction an error aborted only rolls it back: that is a failure */
	if (strncasecmp(sql, "COMMIT", 6) == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		err = aims__err(AIMS_ERROR, "database: the transaction was rolled back because a statement in it "
				"failed");
		goto done;
	}
	if (invalidates) {
		/* the shape of a table may have changed: prepared SELECT * would refuse to run */
		PQclear(res);
		res = PQexec(c->conn, "DEALLOCATE ALL");
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			err = pg_err(c, res, "database");
			goto done;
		}
		c->gen++;
	}
	err = 0;
done:
	PQclear(res);
	aims_buf_release(&t);
	return err;
}

static long long lock_key(const char *space, const char *name);

static int pg_begin(void *impl)
{
	pg_conn *c = impl;
	char sql[128];
	/* the one writers' lock of the database */
	snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(%lld)",
		 lock_key("aims.write", ""));
	c->retryable = 0;
	int err = pg_exec(c, sql);
	if (err < 0 && PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(c->conn, "ROLLBACK");
		PQclear(res);
	}
	c->in_tx = err == 0;
	return err;
}

/* a bulk write's transaction: the writers' lock is taken later (pg_writer_lock) */
static int pg_begin_deferred(void *impl)
{
	pg_conn *c = impl;
	c->retryable = 0;
	int err = pg_exec(c, "BEGIN ISOLATION LEVEL READ COMMITTED");
	c->in_tx = err == 0;
	return err;
}

static int pg_writer_lock(void *impl)
{
	pg_conn *c = impl;
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%lld)", lock_key("aims.write", ""));
	return pg_exec(c, sql);
}

static int pg_snapshot(void *impl)
{
	pg_conn *c = impl;
	int err = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	c->in_tx = err == 0;
	return err;
}

static int pg_retryable(void *impl, int clear)
{
	pg_conn *c = impl;
	int r = c->retryable;
	if (clear)
		c->retryable = 0;
	return r;
}

/* ---- the statement cache ---- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void prep_free(pg_conn *c, pg_prep *p, int deallocate)
{
	if (deallocate && p->gen == c->gen && PQstatus(c->conn) == CONNECTION_OK &&
	    PQtransactionStatus(c->conn) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", p->name);
		PQclear(PQexec(c->conn, sql));
	}
	PQclear(p->desc);
	aims__free(p->sql);
	aims__free(p);
}

static void cache_clear(pg_conn *c, int all)
{
	size_t j = 0;
	for (size_t i = 0; i < c->ncache; i++) {
		if (all || c->cache[i]->refs == 0)
			prep_free(c, c->cache[i], 0);
		else
			c->cache[j++] = c->cache[i];
	}
	c->ncache = j;
}

/* evict the least recently used unused entry when the cache is full */
static void cache_evict(pg_conn *c)
{
	size_t victim = c->ncache;
	if (c->ncache < CACHE_MAX)
		return;
	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i]->refs == 0 && (victim == c->ncache || c->cache[i]->used < c->cache[victim]->used))
			victim = i;
	if (victim == c->ncache)
		return; /* all in use: grow instead */
	prep_free(c, c->cache[victim], 1);
	c->cache[victim] = c->cache[--c->ncache];
}

static int cache_get(pg_prep **out, pg_conn *c, const char *sql)
{
	aims_buf t = AIMS_BUF_INIT;
	int nparams = 0, invalidates = 0, err;
	pg_prep *p;

	*out = NULL;
	if ((err = aims__pg_translate(&t, sql, &nparams, &invalidates)) < 0) {
		aims_buf_release(&t);
		return err;
	}
	uint64_t h = fnv1a(t.ptr);
	for (size_t i = 0; i < c->ncache; i++) {
		p = c->cache[i];
		if (p->hash == h && strcmp(p->sql, t.ptr) == 0) {
			aims_buf_release(&t);
			p->used = ++c->clock;
			*out = p;
			return 0;
		}
	}
	cache_evict(c);
	if ((err = aims__grow(&c->cache, &c->capcache, c->ncache + 1, sizeof(pg_prep *))) < 0 ||
	    !(p = aims__calloc(1, sizeof(*p)))) {
		aims_buf_release(&t);
		return err < 0 ? err : aims__oom();
	}
	p->sql = aims_buf_detach(&t, NULL);
	if (!p->sql) {
		aims__free(p);
		return aims__oom();
	}
	p->hash = h;
	p->nparams = nparams;
	p->used = ++c->clock;
	c->cache[c->ncache++] = p;
	*out = p;
	return 0;
}

/* make sure the server has the statement prepared on the current connection */
static int prep_ready(pg_conn *c, pg_prep *p)
{
	if (p->gen == c->gen)
		return 0;
	snprintf(p->name, sizeof(p->name), "aims_%u", ++c->next_name);
	PQclear(p->desc);
	p->desc = NULL;
	PGresult *res = PQprepare(c->conn, p->name, p->sql, p->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int err = pg_err(c, res, "database");
		PQclear(res);
		return err;
	}
	PQclear(res);
	p->gen = c->gen;
	return 0;
}

/* ---- statements ---- */

static int pg_prepare(void **out, void *impl, const char *sql)
{
	pg_conn *c = impl;
	pg_stmt *s = NULL;
	pg_prep *p = NULL;
	int err;

	*out = NULL;
	if (!c->in_tx && (err = ensure_connected(c)) < 0)
		return err;
	if ((err = cache_get(&p, c, sql)) < 0)
		return err;
	/* prepared now, so that a statement that cannot run fails here, as with SQLite */
	int idle = !c->in_tx;
	if ((err = prep_ready(c, p)) < 0 && reconnected(c, idle) == 1)
		err = prep_ready(c, p);
	if (err < 0)
		return err;
	if (!(s = aims__calloc(1, sizeof(*s))))
		return aims__oom();
	s->c = c;
	s->p = p;
	s->row = -1;
	if (p->nparams > 0 &&
	    (!(s->vals = aims__calloc((size_t)p->nparams, sizeof(*s->vals))) ||
	     !(s->lens = aims__calloc((size_t)p->nparams, sizeof(*s->lens))) ||
	     !(s->fmts = aims__calloc((size_t)p->nparams, sizeof(*s->fmts))))) {
		aims__free(s->vals);
		aims__free(s->lens);
		aims__free(s);
		return aims__oom();
	}
	p->refs++;
	*out = s;
	return 0;
}

static int bind_slot(pg_stmt *s, int idx)
{
	if (idx < 1 || idx > s->p->nparams)
		return aims__err(AIMS_ERROR, "database bind: index %d out of range (1-%d)", idx, s->p->nparams);
	aims__free(s->vals[idx - 1]);
	s->vals[idx - 1] = NULL;
	s->lens[idx - 1] = 0;
	s->fmts[idx - 1] = 0;
	return 0;
}

static int pg_bind_null(void *st, int idx)
{
	return bind_slot(st, idx);
}

static int bind_copy(pg_stmt *s, int idx, const void *v, size_t len, int binary)
{
	int err = bind_slot(s, idx);
	if (err < 0)
		return err;
	if (len > (size_t)0x7fffffff)
		return aims__err(AIMS_EINVALID, "database bind: value of %zu bytes is too large", len);
	char *copy = aims__malloc(len + 1);
	if (!copy)
		return aims__oom();
	if (len)
		memcpy(copy, v, len);
	copy[len] = '\0';
	s->vals[idx - 1] = copy;
	s->lens[idx - 1] = (int)len;
	s->fmts[idx - 1] = binary;
	return 0;
}

static int pg_bind_int64(void *st, int idx, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", (long long)v);
	return bind_copy(st, idx, num, (size_t)n, 0);
}

static int pg_bind_double(void *st, int idx, double v)
{
	char num[40];
	int n = snprintf(num, sizeof(num), "%.17g", v);
	return bind_copy(st, idx, num, (size_t)n, 0);
}

static int pg_bind_text(void *st, int idx, const char *v, size_t len)
{
	if (memchr(v, '\0', len))
		return aims__err(AIMS_EINVALID, "database bind: text with a NUL byte");
	return bind_copy(st, idx, v, len, 0);
}

static int pg_bind_blob(void *st, int idx, const void *v, size_t len)
{
	return bind_copy(st, idx, v, len, 1);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * bytea comes as text, "\x" and two hex digits a byte. Each value is
 * decoded where it lies in the result (the bytes are never longer than
 * their text), NUL-terminated, once when the result arrives: reading a blob
 * then allocates nothing and cannot fail. Its length is (text length - 2) / 2.
 */
static int decode_bytea(pg_conn *c, PGresult *res)
{
	for (int col = 0; col < PQnfields(res); col++) {
		if (PQftype(res, col) != OID_BYTEA)
			continue;
		for (int row = 0; row < PQntuples(res); row++) {
			if (PQgetisnull(res, row, col))
				continue;
			char *v = PQgetvalue(res, row, col);
			size_t n = (size_t)PQgetlength(res, row, col);
			if (n < 2 || v[0] != '\\' || v[1] != 'x' || n % 2)
				return aims__err(AIMS_ERROR, "database: store '%s' sent a bytea value that is not hex",
						 c->shown);
			size_t j = 0;
			for (size_t i = 2; i < n; i += 2, j++) {
				int hi = hexval(v[i]), lo = hexval(v[i + 1]);
				if (hi < 0 || lo < 0)
					return aims__err(AIMS_ERROR, "database: store '%s' sent a bytea value that is not "
							 "hex", c->shown);
				v[j] = (char)(hi << 4 | lo);
			}
			v[j] = '\0';
		}
	}
	return 0;
}

static int run(pg_stmt *s)
{
	pg_conn *c = s->c;
	int err;

	for (int attempt = 0;; attempt++) {
		int idle = !c->in_tx;
		if (idle && (err = ensure_connected(c)) < 0)
			return err;
		if ((err = prep_ready(c, s->p)) < 0)
			return err;
		PGresult *res = PQexecPrepared(c->conn, s->p->name, s->p->nparams, (const char *const *)s->vals,
					       s->lens, s->fmts, 0);
		ExecStatusType rs = PQresultStatus(res);
		if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
			if ((err = decode_bytea(c, res)) < 0) {
				PQclear(res);
				return err;
			}
			s->res = res;
			s->nrows = rs == PGRES_TUPLES_OK ? PQntuples(res) : 0;
			s->row = -1;
			return 0;
		}
		/* a connection that broke between transactions lost nothing: connect again, run it again */
		if (attempt == 0 && (err = reconnected(c, idle)) != 0) {
			PQclear(res);
			if (err < 0)
				return err;
			continue;
		}
		/* outside a transaction the statement is the whole unit of work: run it again */
		if (idle && is_transient(res) && attempt + 1 < AIMS__STORE_RETRIES) {
			PQclear(res);
			aims__store_backoff(attempt);
			continue;
		}
		err = pg_err(c, res, "database");
		if (idle && c->retryable) {
			/* the retries are done: callers must not run it again */
			aims__err_prefix("gave up after %d attempts", attempt + 1);
			c->retryable = 0;
		}
		PQclear(res);
		return err;
	}
}

static int pg_step(void *st)
{
	pg_stmt *s = st;
	int err;
	if (!s->res && (err = run(s)) < 0)
		return err;
	if (s->row + 1 < s->nrows) {
		s->row++;
		return 1;
	}
	s->row = s->nrows;
	return 0;
}

static int pg_reset(void *st)
{
	pg_stmt *s = st;
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	for (int i = 0; i < s->p->nparams; i++)
		bind_slot(s, i + 1);
	return 0;
}

/* the result's shape: from the result once run, else from the server's description */
static const PGresult *shape(pg_stmt *s)
{
	if (s->res)
		return s->res;
	if (!s->p->desc && prep_ready(s->c, s->p) == 0) {
		PGresult *d = PQdescribePrepared(s->c->conn, s->p->name);
		if (PQresultStatus(d) == PGRES_COMMAND_OK)
			s->p->desc = d;
		else
			PQclear(d);
	}
	return s->p->desc;
}

static int pg_columns(void *st)
{
	const PGresult *r = shape(st);
	return r ? PQnfields(r) : 0;
}

static const char *pg_col_name(void *st, int col)
{
	const PGresult *r = shape(st);
	return r && col >= 0 && col < PQnfields(r) ? PQfname(r, col) : NULL;
}

static int has_value(const pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res) &&
	       !PQgetisnull(s->res, s->row, col);
}

static int pg_type(void *st, int col)
{
	pg_stmt *s = st;
	if (!has_value(s, col))
		return AIMS__NULL;
	switch (PQftype(s->res, col)) {
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: case OID_BOOL:
		return AIMS__INT;
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
		return AIMS__REAL;
	case OID_BYTEA:
		return AIMS__BLOB;
	default:
		return AIMS__TEXT;
	}
}

static int64_t pg_col_int64(void *st, int col)
{
	pg_stmt *s = st;
	if (!has_value(s, col))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == OID_BOOL)
		return v[0] == 't';
	if (PQftype(s->res, col) == OID_FLOAT4 || PQftype(s->res, col) == OID_FLOAT8 ||
	    PQftype(s->res, col) == OID_NUMERIC)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_col_double(void *st, int col)
{
	pg_stmt *s = st;
	if (!has_value(s, col))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

/* a decoded bytea value (decode_bytea) */
static const unsigned char *bytea(pg_stmt *s, int col, size_t *len)
{
	*len = ((size_t)PQgetlength(s->res, s->row, col) - 2) / 2;
	return (const unsigned char *)PQgetvalue(s->res, s->row, col);
}

static const char *pg_col_text(void *st, int col)
{
	pg_stmt *s = st;
	size_t len;
	if (!has_value(s, col))
		return NULL;
	switch (PQftype(s->res, col)) {
	case OID_BOOL:
		return PQgetvalue(s->res, s->row, col)[0] == 't' ? "1" : "0";
	case OID_BYTEA:
		return (const char *)bytea(s, col, &len);
	default:
		return PQgetvalue(s->res, s->row, col);
	}
}

static const void *pg_col_blob(void *st, int col, size_t *len)
{
	pg_stmt *s = st;
	*len = 0;
	if (!has_value(s, col))
		return NULL;
	if (PQftype(s->res, col) == OID_BYTEA)
		return bytea(s, col, len);
	*len = (size_t)PQgetlength(s->res, s->row, col);
	return PQgetvalue(s->res, s->row, col);
}

static void pg_finalize(void *st)
{
	pg_stmt *s = st;
	if (!s)
		return;
	pg_reset(s);
	aims__free(s->vals);
	aims__free(s->lens);
	aims__free(s->fmts);
	s->p->refs--;
	aims__free(s);
}

/* ---- catalog queries ---- */

static int name_list(pg_conn *c, const char *sql, const char *param, char ***names, size_t *count)
{
	const char *params[1] = { param };
	char **v = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	*names = NULL;
	*count = 0;
	PGresult *res = PQexecParams(c->conn, sql, param ? 1 : 0, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		err = pg_err(c, res, "database");
		PQclear(res);
		return err;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		if ((err = aims__grow(&v, &cap, n + 1, sizeof(*v))) < 0)
			goto fail;
		if (!(v[n] = aims__strdup(PQgetvalue(res, i, 0)))) {
			err = aims__oom();
			goto fail;
		}
		n++;
	}
	PQclear(res);
	*names = v;
	*count = n;
	return 0;
fail:
	PQclear(res);
	for (size_t i = 0; i < n; i++)
		aims__free(v[i]);
	aims__free(v);
	return err;
}

static int pg_tables(void *impl, char ***names, size_t *count)
{
	pg_conn *c = impl;
	int err;
	if (!c->in_tx && (err = ensure_connected(c)) < 0)
		return err;
	/* the tables of the schema new tables go to (the first of the search_path that exists) */
	return name_list(c, "SELECT c.relname::text FROM pg_catalog.pg_class c "
			    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
			    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
			    "ORDER BY c.relname COLLATE \"C\"", NULL, names, count);
}

static int pg_references(void *impl, const char *table, char ***names, size_t *count)
{
	return name_list(impl, "SELECT DISTINCT r.relname::text FROM pg_catalog.pg_constraint k "
			       "JOIN pg_catalog.pg_class t ON t.oid = k.conrelid "
			       "JOIN pg_catalog.pg_class r ON r.oid = k.confrelid "
			       "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
			       "WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1 "
			       "ORDER BY 1", table, names, count);
}

/* ---- advisory locks ---- */

/* a name's 63-bit advisory lock key (FNV-1a over space and name) */
static long long lock_key(const char *space, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = space; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ ':') * 1099511628211ull;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (long long)(h >> 1);
}

static int lock_call(pg_conn *c, const char *fn, const char *name, int *result)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT %s(%lld)", fn, lock_key("aims.lock", name));
	PGresult *res = PQexec(c->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		int err = pg_err(c, res, "database lock");
		PQclear(res);
		return err;
	}
	*result = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

static int pg_lock(void *impl, const char *name, int wait_ms, int *got)
{
	pg_conn *c = impl;
	int err, waited = 0;

	*got = 0;
	if (c->nlocks == 0 && !c->in_tx && (err = ensure_connected(c)) < 0)
		return err;
	for (;;) {
		if ((err = lock_call(c, "pg_try_advisory_lock", name, got)) < 0)
			return err;
		if (*got) {
			c->nlocks++;
			return 0;
		}
		if (wait_ms >= 0 && waited >= wait_ms)
			return 0;
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		waited += 20;
	}
}

static int pg_unlock(void *impl, const char *name)
{
	pg_conn *c = impl;
	int held = 0, err;
	if ((err = lock_call(c, "pg_advisory_unlock", name, &held)) < 0)
		return err;
	if (!held)
		return aims__err(AIMS_EUSAGE, "lock '%s' is not held by this handle", name);
	c->nlocks--;
	return 0;
}

const aims__store_ops aims__postgres_ops = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_null = pg_bind_null,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_double = pg_bind_double,
	.step = pg_step,
	.reset = pg_reset,
	.columns = pg_columns,
	.type = pg_type,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_double = pg_col_double,
	.col_name = pg_col_name,
	.finalize = pg_finalize,
	.tables = pg_tables,
	.configure = pg_configure,
	.begin = pg_begin,
	.begin_deferred = pg_begin_deferred,
	.writer_lock = pg_writer_lock,
	.snapshot = pg_snapshot,
	.retryable = pg_retryable,
	.references = pg_references,
	.lock = pg_lock,
	.unlock = pg_unlock,
};
