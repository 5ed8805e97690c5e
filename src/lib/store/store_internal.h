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
#include "aims/store.h"
#include "core/core.h"

enum { AIMS__NULL = 0, AIMS__INT, AIMS__REAL, AIMS__TEXT, AIMS__BLOB };

typedef struct aims__stmt aims__stmt;

typedef struct aims__store_ops {
	const char *name;
	/* open `location`; set *exists to whether it existed before */
	int (*open)(void **impl, const char *location, const aims_store_options *opts);
	void (*close)(void *impl);
	/* run SQL without parameters or results (may hold several statements) */
	int (*exec)(void *impl, const char *sql);
	int (*prepare)(void **st, void *impl, const char *sql);
	int (*bind_null)(void *st, int idx);
	int (*bind_int64)(void *st, int idx, int64_t v);
	int (*bind_text)(void *st, int idx, const char *v, size_t len);
	int (*bind_blob)(void *st, int idx, const void *v, size_t len);
	int (*step)(void *st);              /* 1 = row, 0 = done, < 0 = error */
	int (*reset)(void *st);
	int (*columns)(void *st);
	int (*type)(void *st, int col);
	int64_t (*col_int64)(void *st, int col);
	const char *(*col_text)(void *st, int col);
	const void *(*col_blob)(void *st, int col, size_t *len);
	void (*finalize)(void *st);
	/* the names of the tables that hold content, sorted; caller frees each and the array */
	int (*tables)(void *impl, char ***names, size_t *count);
	/* settings for writing (journal mode), applied once the store is known to be ours */
	int (*configure)(void *impl);
} aims__store_ops;

extern const aims__store_ops aims__sqlite_ops;

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
int aims__stmt_prepare(aims__stmt **out, aims_store *s, const char *sql);
int aims__stmt_bind_null(aims__stmt *st, int idx);
int aims__stmt_bind_int64(aims__stmt *st, int idx, int64_t v);
/* NULL binds SQL NULL */
int aims__stmt_bind_text(aims__stmt *st, int idx, const char *v);
int aims__stmt_bind_blob(aims__stmt *st, int idx, const void *v, size_t len);
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
void aims__stmt_free(aims__stmt *st);

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
