/*
 * The store's internal interface: a table of functions each backend fills
 * in, and the statement API that modules use for their queries. Modules
 * write portable SQL (the common subset of SQLite and PostgreSQL, `?`
 * placeholders, ON CONFLICT upserts) and never talk to a backend directly,
 * so a PostgreSQL backend is a new file here and nothing else changes.
 */
#ifndef AIMS_STORE_INTERNAL_H
#define AIMS_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/auth.h"
#include "aims/buf.h"
#include "aims/store.h"
#include "core/core.h"

enum { AIMS__NULL = 0, AIMS__INT, AIMS__REAL, AIMS__TEXT, AIMS__BLOB };

typedef struct aims__stmt aims__stmt;

typedef struct aims__store_ops {
	const char *name;
	/* open `location` (creating it when opts->create; a missing one is AIMS_ENOTFOUND) */
	int (*open)(void **impl, const char *location, const aims_store_options *opts);
	void (*close)(void *impl);
	/* run SQL without parameters or results (may hold several statements) */
	int (*exec)(void *impl, const char *sql);
	int (*prepare)(void **st, void *impl, const char *sql);
	int (*bind_null)(void *st, int idx);
	int (*bind_int64)(void *st, int idx, int64_t v);
	int (*bind_text)(void *st, int idx, const char *v, size_t len);
	/* NULL, or bind_text without a copy: v stays valid until the statement is reset or freed */
	int (*bind_text_ref)(void *st, int idx, const char *v, size_t len);
	int (*bind_blob)(void *st, int idx, const void *v, size_t len);
	int (*bind_double)(void *st, int idx, double v);
	int (*step)(void *st);              /* 1 = row, 0 = done, < 0 = error */
	int (*reset)(void *st);
	int (*columns)(void *st);
	int (*type)(void *st, int col);
	int64_t (*col_int64)(void *st, int col);
	const char *(*col_text)(void *st, int col);
	const void *(*col_blob)(void *st, int col, size_t *len);
	double (*col_double)(void *st, int col);
	/* the name of a result column (valid before the first step) */
	const char *(*col_name)(void *st, int col);
	void (*finalize)(void *st);
	/* the names of the tables that hold content, sorted; caller frees each and the array */
	int (*tables)(void *impl, char ***names, size_t *count);
	/* settings for writing (journal mode), applied once the store is known to be ours */
	int (*configure)(void *impl);
	/*
	 * Start the outermost (write) transaction. Writers take turns: SQLite's
	 * BEGIN IMMEDIATE, PostgreSQL's transaction-scoped advisory lock. So a
	 * transaction sees every write committed before it began, on every node,
	 * and a read-check-write inside it (If-Match, MAX(seq) + 1, the ledger's
	 * next index) cannot interleave with another writer's.
	 */
	int (*begin)(void *impl);
	/*
	 * Start the outermost transaction without the writers' turn, and take
	 * the turn later inside it (writer_lock): a long bulk write (a decision
	 * log's batch, serialized by its own sequencer lock) lets other writers
	 * go on until it writes what they share. SQLite: the same as begin.
	 */
	int (*begin_deferred)(void *impl);
	int (*writer_lock)(void *impl);
	/* start a read-only transaction that sees one state of the store throughout */
	int (*snapshot)(void *impl);
	/* whether the last error was a transient conflict (serialization failure, deadlock)
	 * that running the whole transaction again may resolve; `clear` forgets it */
	int (*retryable)(void *impl, int clear);
	/* the tables that rows of `table` reference by foreign key (caller frees as for tables) */
	int (*references)(void *impl, const char *table, char ***names, size_t *count);
	/* named advisory locks held by the handle (see aims__store_lock) */
	int (*lock)(void *impl, const char *name, int wait_ms, int *got);
	int (*unlock)(void *impl, const char *name);
} aims__store_ops;

extern const aims__store_ops aims__sqlite_ops;
extern const aims__store_ops aims__postgres_ops;

struct aims_store {
	const aims__store_ops *ops;
	void *impl;
	char *location;
	int schema_version;
	int tx_depth;
	int readonly;
	aims_principal principal;  /* who acts on this handle (kind NONE: nobody set one) */
	struct aims__stmt *data_version;  /* PRAGMA data_version, prepared on first use */
};

struct aims__stmt {
	aims_store *store;
	void *impl;
};

int aims__store_exec(aims_store *s, const char *sql);
/*
 * Commits while `on` do not wait for the disk (SQLite: synchronous NORMAL
 * instead of FULL; PostgreSQL: nothing changes). Only for rows that count
 * once a later transaction, committed with it off, says so: in SQLite's
 * write-ahead log that commit's sync makes every earlier frame durable
 * too, and recovery never keeps a later commit without the earlier ones.
 * The review queue's staged rows (oversight/review.c) are such rows.
 */
int aims__store_defer_sync(aims_store *s, int on);
int aims__stmt_prepare(aims__stmt **out, aims_store *s, const char *sql);
int aims__stmt_bind_null(aims__stmt *st, int idx);
/* aims__stmt_bind_text without a copy where the backend allows: v must stay valid until the next reset */
int aims__stmt_bind_text_ref(aims__stmt *st, int idx, const char *v);
int aims__stmt_bind_int64(aims__stmt *st, int idx, int64_t v);
/* NULL binds SQL NULL */
int aims__stmt_bind_text(aims__stmt *st, int idx, const char *v);
int aims__stmt_bind_blob(aims__stmt *st, int idx, const void *v, size_t len);
int aims__stmt_bind_double(aims__stmt *st, int idx, double v);
int aims__stmt_step(aims__stmt *st);
int aims__stmt_reset(aims__stmt *st);
int aims__stmt_columns(aims__stmt *st);
int aims__stmt_type(aims__stmt *st, int col);
int64_t aims__stmt_int64(aims__stmt *st, int col);
/* NULL for SQL NULL; borrowed until the next step/reset/free */
const char *aims__stmt_text(aims__stmt *st, int col);
/* a copy of a text column (NULL stays NULL); AIMS_ENOMEM */
int aims__stmt_text_dup(char **out, aims__stmt *st, int col);
const void *aims__stmt_blob(aims__stmt *st, int col, size_t *len);
double aims__stmt_double(aims__stmt *st, int col);
const char *aims__stmt_name(aims__stmt *st, int col);
void aims__stmt_free(aims__stmt *st);

/*
 * A named advisory lock, held by this handle until aims__store_unlock(), the
 * handle's end or (PostgreSQL) the end of its connection, e.g. when its
 * process dies: one holder at a time across handles, processes and nodes.
 * wait_ms: 0 tries once, < 0 waits as long as it takes. *got is 1 when the
 * lock is now held. A handle takes a name at most once. This is how one node
 * at a time becomes the sequencer of a decision log.
 */
int aims__store_lock(aims_store *s, const char *name, int wait_ms, int *got);

/*
 * A bulk write: the outermost transaction begins without the writers' turn
 * (aims__store_begin_deferred; inside a transaction it is a savepoint as
 * aims_store_begin) and takes it with aims__store_writer_turn before the
 * first write to anything shared (the governance log, heads). Commit and
 * roll back as usual. Only for writes already serialized by their own lock.
 */
/*
 * Read what follows in one state of the store (a read-only snapshot
 * transaction) when the handle has no transaction yet: 1 when one was begun
 * (end it with aims_store_commit), 0 when the caller's transaction already
 * gives one view.
 */
int aims__store_snapshot(aims_store *s);

int aims__store_begin_deferred(aims_store *s);
int aims__store_writer_turn(aims_store *s);
int aims__store_unlock(aims_store *s, const char *name);

/*
 * After a failed write: whether it failed on a transient conflict with a
 * concurrent transaction (PostgreSQL serialization failure or deadlock)
 * and no transaction is left open, so running the whole unit of work again
 * may succeed. Callers retry at most AIMS__STORE_RETRIES times, sleeping
 * aims__store_backoff(attempt) between attempts, then report the conflict.
 */
#define AIMS__STORE_RETRIES 5
int aims__store_retryable(aims_store *s);
/* forget an earlier conflict (before a new unit of work on a reused handle) */
void aims__store_retry_clear(aims_store *s);
void aims__store_backoff(int attempt);

/* a URL with its password replaced by "***" (for messages and aims_store_location) */
int aims__store_url_redact(char **out, const char *url);

/* PostgreSQL dialect: `?` -> $n, SQLite column types in CREATE/ALTER TABLE -> PostgreSQL's
 * (exposed for the unit tests) */
int aims__pg_translate(aims_buf *out, const char *sql, int *nparams, int *invalidates);

/* migrations */
typedef struct {
	int version;
	const char *name;
	const char *sql;
} aims__migration;

extern const aims__migration aims__migrations[];
extern const size_t aims__migration_count;

/*
 * State digests: the rows a query returns (with `arg` bound to its one
 * parameter), every column typed and length-prefixed, after a label, into
 * h; and "sha256:<hex>" of "aims-state v1", the object's type and id and
 * the rows of each query (labels[i], sqls[i] with the id bound), for the
 * objects whose audit entries name the digest of their stored rows.
 */
int aims__store_hash_rows(aims__sha256 *h, aims_store *s, const char *label, const char *sql, const char *arg);
int aims__store_state_digest(char out[72], aims_store *s, const char *type, const char *id,
			     const char *const *labels, const char *const *sqls, size_t n);

#endif
