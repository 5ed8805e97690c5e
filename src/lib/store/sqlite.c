/*
 * The embedded SQLite backend (the default store). One connection per
 * handle, opened in multi-thread mode: SQLite's own locking is off because
 * aims uses a handle from one thread at a time. WAL lets readers run beside
 * the single writer; foreign keys are enforced; writers wait on a busy
 * timeout instead of failing at once.
 *
 * Named advisory locks (aims__store_lock) are open-file-description locks
 * on one byte each of the file PATH.locks beside the store: they belong to
 * the handle, end with it or its process, and exclude other handles of the
 * same process as well as other processes.
 */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store_internal.h"

/* how long a writer waits for a busy store: set on each open (one process, one setting in practice) */
static _Atomic int busy_limit_ms = AIMS_STORE_BUSY_LIMIT_MS;

/*
 * The busy handler (its argument points at the limit in ms): a pause that doubles
 * from 1 ms up to 250 ms between tries, until the limit is spent; then
 * SQLite reports SQLITE_BUSY and the message says how long we waited.
 */
static int busy_retry(void *arg, int count)
{
	int limit = *(const _Atomic int *)arg, waited = 0, pause = 1;
	for (int i = 0; i < count; i++) {
		waited += pause;
		pause = pause < 125 ? pause * 2 : 250;
	}
	if (waited >= limit)
		return 0;
	if (waited + pause > limit)
		pause = limit - waited;
	struct timespec ts = { pause / 1000, (long)(pause % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 1;
}

static int sq_err(sqlite3 *db, const char *what)
{
	int rc = sqlite3_extended_errcode(db);
	int code = AIMS_ERROR;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return aims__err(AIMS_ERROR, "%s: the store is busy: another writer held it for more than %d ms, "
				 "as long as a writer retries; try again", what, (int)busy_limit_ms);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = AIMS_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_NOMEM)
		code = AIMS_ENOMEM;
	else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		code = AIMS_ETAMPERED;
	return aims__err(code, "%s: %s", what, sqlite3_errmsg(db));
}

typedef struct sq_conn {
	sqlite3 *db;
	char *path;
	int lockfd;       /* PATH.locks, opened on the first lock */
} sq_conn;

static int sq_open(void **impl, const char *location, const aims_store_options *opts)
{
	sqlite3 *db = NULL;
	sq_conn *c = NULL;
	struct stat st;
	char pragma[128];
	char *msg = NULL;
	int flags = SQLITE_OPEN_NOMUTEX;

	*impl = NULL;
	if (stat(location, &st) != 0) {
		if (errno != ENOENT)
			return aims__err(AIMS_ERROR, "cannot open store '%s': %s", location, strerror(errno));
		if (!opts->create || opts->readonly)
			return aims__err(AIMS_ENOTFOUND,
					 "no aims store at '%s' (run 'aims init' to create one)", location);
		if (!opts->readonly) {
			/* created here, 0600 whatever the umask: SQLite gives the WAL and
			 * shared-memory files the mode of the database file */
			int fd = aims__open_private(location, O_RDWR | O_CREAT | O_EXCL);
			if (fd < 0 && errno != EEXIST)
				return aims__err(errno == ENOENT || errno == EACCES ? AIMS_EINVALID : AIMS_ERROR,
						 "cannot create store '%s': %s", location, strerror(errno));
			if (fd >= 0)
				close(fd);
		}
	} else if (S_ISDIR(st.st_mode)) {
		return aims__err(AIMS_EINVALID, "store '%s' is a directory", location);
	}
	flags |= opts->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (opts->create && !opts->readonly)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(location, &db, flags, NULL) != SQLITE_OK) {
		int err = aims__err(AIMS_ERROR, "cannot open store '%s': %s", location,
				    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return err;
	}
	sqlite3_extended_result_codes(db, 1);
	busy_limit_ms = opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : AIMS_STORE_BUSY_LIMIT_MS;
	sqlite3_busy_handler(db, busy_retry, (void *)&busy_limit_ms);
	/* only settings that leave the file untouched: WAL comes in sq_configure */
	snprintf(pragma, sizeof(pragma), "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
	if (sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK) {
		int err = aims__err(sqlite3_errcode(db) == SQLITE_NOTADB ? AIMS_EINVALID : AIMS_ERROR,
				    "cannot open store '%s': %s", location, msg ? msg : "unknown error");
		sqlite3_free(msg);
		sqlite3_close(db);
		return err;
	}
	if (!(c = aims__calloc(1, sizeof(*c))) || !(c->path = aims__strdup(location))) {
		aims__free(c);
		sqlite3_close(db);
		return aims__oom();
	}
	c->db = db;
	c->lockfd = -1;
	*impl = c;
	return 0;
}

#define DB(impl) (((sq_conn *)(impl))->db)

static int sq_configure(void *impl)
{
	char *msg = NULL;
	if (sqlite3_exec(DB(impl), "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
		int err = sq_err(DB(impl), "cannot switch the store to WAL mode");
		sqlite3_free(msg);
		return err;
	}
	return 0;
}

static void sq_close(void *impl)
{
	sq_conn *c = impl;
	sqlite3_close_v2(c->db);
	if (c->lockfd >= 0)
		close(c->lockfd);
	aims__free(c->path);
	aims__free(c);
}

static int sq_exec(void *impl, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(DB(impl), sql, NULL, NULL, &msg) != SQLITE_OK) {
		int err = sq_err(DB(impl), "database");
		sqlite3_free(msg);
		return err;
	}
	return 0;
}

/* writers take turns: the write lock is taken at once, not at the first write */
static int sq_begin(void *impl)
{
	return sq_exec(impl, "BEGIN IMMEDIATE");
}

/* a deferred transaction: its first read fixes the snapshot (WAL) that all its reads see */
static int sq_snapshot(void *impl)
{
	return sq_exec(impl, "BEGIN DEFERRED");
}

/*
 * No SQLite error is worth running a transaction again for: writers begin
 * with the write lock (BEGIN IMMEDIATE), so a conflict is a wait up to the
 * busy timeout, and what is still busy after it is reported as such.
 */
static int sq_retryable(void *impl, int clear)
{
	(void)impl;
	(void)clear;
	return 0;
}

static int sq_prepare(void **st, void *impl, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(DB(impl), sql, -1, &s, NULL) != SQLITE_OK)
		return sq_err(DB(impl), "database");
	*st = s;
	return 0;
}

static int bind_rc(void *st, int rc)
{
	if (rc != SQLITE_OK)
		return sq_err(sqlite3_db_handle(st), "database bind");
	return 0;
}

static int sq_bind_null(void *st, int idx)
{
	return bind_rc(st, sqlite3_bind_null(st, idx));
}

static int sq_bind_int64(void *st, int idx, int64_t v)
{
	return bind_rc(st, sqlite3_bind_int64(st, idx, v));
}

static int sq_bind_text(void *st, int idx, const char *v, size_t len)
{
	return bind_rc(st, sqlite3_bind_text64(st, idx, v, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_text_ref(void *st, int idx, const char *v, size_t len)
{
	return bind_rc(st, sqlite3_bind_text64(st, idx, v, len, SQLITE_STATIC, SQLITE_UTF8));
}

static int sq_bind_blob(void *st, int idx, const void *v, size_t len)
{
	return bind_rc(st, sqlite3_bind_blob64(st, idx, len ? v : "", len, SQLITE_TRANSIENT));
}

static int sq_bind_double(void *st, int idx, double v)
{
	return bind_rc(st, sqlite3_bind_double(st, idx, v));
}

static int sq_step(void *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sq_err(sqlite3_db_handle(st), "database");
}

static int sq_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}

static int sq_columns(void *st)
{
	return sqlite3_column_count(st);
}

static int sq_type(void *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER: return AIMS__INT;
	case SQLITE_FLOAT: return AIMS__REAL;
	case SQLITE_TEXT: return AIMS__TEXT;
	case SQLITE_BLOB: return AIMS__BLOB;
	default: return AIMS__NULL;
	}
}

static int64_t sq_col_int64(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static const char *sq_col_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static const void *sq_col_blob(void *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);
	*len = (size_t)sqlite3_column_bytes(st, col);
	return p;
}

static double sq_col_double(void *st, int col)
{
	return sqlite3_column_double(st, col);
}

static const char *sq_col_name(void *st, int col)
{
	return sqlite3_column_name(st, col);
}

static void sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static int name_list(sqlite3 *db, const char *sql, const char *param, char ***names, size_t *count)
{
	sqlite3_stmt *st = NULL;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int rc, err = 0;

	*names = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return sq_err(db, "database");
	if (param && sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		sqlite3_finalize(st);
		return sq_err(db, "database");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((err = aims__grow(&v, &cap, n + 1, sizeof(*v))) < 0)
			goto fail;
		if (!(v[n] = aims__strdup((const char *)sqlite3_column_text(st, 0)))) {
			err = aims__oom();
			goto fail;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		err = sq_err(db, "database");
		goto fail;
	}
	sqlite3_finalize(st);
	*names = v;
	*count = n;
	return 0;
fail:
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		aims__free(v[i]);
	aims__free(v);
	return err;
}

static int sq_tables(void *impl, char ***names, size_t *count)
{
	return name_list(DB(impl), "SELECT name FROM sqlite_schema WHERE type = 'table' "
			 "AND name NOT LIKE 'sqlite_%' ORDER BY name", NULL, names, count);
}

static int sq_references(void *impl, const char *table, char ***names, size_t *count)
{
	return name_list(DB(impl), "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?) ORDER BY 1", table,
			 names, count);
}

/* a transaction of SQLite is the writers' turn from its BEGIN IMMEDIATE on */
static int sq_writer_lock(void *impl)
{
	(void)impl;
	return 0;
}

/* ---- advisory locks: one byte of PATH.locks per name ---- */

static off_t lock_byte(const char *name)
{
	uint32_t h = 2166136261u;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (off_t)(h & 0x3fffffff);
}

static int lock_file(sq_conn *c)
{
	if (c->lockfd >= 0)
		return 0;
	aims_buf path = AIMS_BUF_INIT;
	int err = aims_buf_printf(&path, "%s.locks", c->path);
	if (err < 0)
		return err;
	c->lockfd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->lockfd < 0)
		err = aims__err(AIMS_ERROR, "cannot open lock file '%s': %s", path.ptr, strerror(errno));
	aims_buf_release(&path);
	return err;
}

static int sq_lock(void *impl, const char *name, int wait_ms, int *got)
{
	sq_conn *c = impl;
	int err, waited = 0;
	*got = 0;
	if ((err = lock_file(c)) < 0)
		return err;
	for (;;) {
		struct flock fl;
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = lock_byte(name);
		fl.l_len = 1;
		if (fcntl(c->lockfd, F_OFD_SETLK, &fl) == 0) {
			*got = 1;
			return 0;
		}
		if (errno != EAGAIN && errno != EACCES && errno != EINTR)
			return aims__err(AIMS_ERROR, "cannot lock '%s.locks': %s", c->path, strerror(errno));
		if (wait_ms >= 0 && waited >= wait_ms)
			return 0;
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		waited += 20;
	}
}

static int sq_unlock(void *impl, const char *name)
{
	sq_conn *c = impl;
	struct flock fl;
	if (c->lockfd < 0)
		return aims__err(AIMS_EUSAGE, "lock '%s' is not held by this handle", name);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = lock_byte(name);
	fl.l_len = 1;
	if (fcntl(c->lockfd, F_OFD_SETLK, &fl) != 0)
		return aims__err(AIMS_ERROR, "cannot unlock '%s.locks': %s", c->path, strerror(errno));
	return 0;
}

const aims__store_ops aims__sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_null = sq_bind_null,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_text_ref = sq_bind_text_ref,
	.bind_blob = sq_bind_blob,
	.bind_double = sq_bind_double,
	.step = sq_step,
	.reset = sq_reset,
	.columns = sq_columns,
	.type = sq_type,
	.col_int64 = sq_col_int64,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_double = sq_col_double,
	.col_name = sq_col_name,
	.finalize = sq_finalize,
	.tables = sq_tables,
	.configure = sq_configure,
	.begin = sq_begin,
	.begin_deferred = sq_begin,
	.writer_lock = sq_writer_lock,
	.snapshot = sq_snapshot,
	.retryable = sq_retryable,
	.references = sq_references,
	.lock = sq_lock,
	.unlock = sq_unlock,
};
