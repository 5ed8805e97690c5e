/*
 * The store: where aims keeps its state. A store is opened from a URL
 * (a file path or `sqlite:PATH` for the embedded SQLite backend; other
 * schemes are refused until their backend exists) and brings its schema up
 * to date with numbered migrations on open. A handle is used by one thread
 * at a time; open one handle per thread.
 */
#ifndef AIMS_STORE_H
#define AIMS_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aims_store aims_store;

typedef struct {
	unsigned int version;    /**< AIMS_STORE_OPTIONS_VERSION */
	int create;              /**< create the store when it does not exist */
	int readonly;            /**< open read-only (no migrations are run) */
	int busy_timeout_ms;     /**< wait at most this long for a busy store; 0 = AIMS_STORE_BUSY_LIMIT_MS */
	/* With PostgreSQL, create makes the database when it does not exist (the role needs CREATEDB). */
} aims_store_options;

/**
 * A writer that finds the store busy (another writer holds it) retries with
 * a growing pause (1 ms, doubling up to 250 ms) for at most this long in all,
 * then fails with a message saying so (AIMS_ERROR).
 */
#define AIMS_STORE_BUSY_LIMIT_MS 30000

#define AIMS_STORE_OPTIONS_VERSION 1
#define AIMS_STORE_OPTIONS_INIT { AIMS_STORE_OPTIONS_VERSION, 0, 0, 0 }

/**
 * Open the store at `url`, applying pending migrations. A store whose schema
 * is newer than this library knows is refused with AIMS_EVERSION; a missing
 * store is AIMS_ENOTFOUND unless opts->create is set. `opts` may be NULL.
 * The handle belongs to the caller: free it with aims_store_free().
 */
int aims_store_open(aims_store **out, const char *url, const aims_store_options *opts);

/** Close the store; rolls back any open transaction. NULL is allowed. */
void aims_store_free(aims_store *store);

/**
 * Transactions nest: the outermost begin starts a write transaction, inner
 * ones are savepoints. Every multi-row write in the library runs inside one.
 */
int aims_store_begin(aims_store *store);
int aims_store_commit(aims_store *store);
int aims_store_rollback(aims_store *store);

/** The schema version of the open store. */
int aims_store_schema_version(const aims_store *store);

/** The newest schema version this library knows. */
int aims_store_schema_latest(void);

/** Backend name ("sqlite", "postgres") and the location as opened, with any password
 * replaced by "***"; borrowed. */
const char *aims_store_backend(const aims_store *store);
const char *aims_store_location(const aims_store *store);

/**
 * A setting of the organization (e.g. "org.name"); *out is a copy owned by
 * the caller, or NULL when unset.
 */
int aims_store_setting_get(char **out, aims_store *store, const char *key);
int aims_store_setting_set(aims_store *store, const char *key, const char *value);

/**
 * The name of the principal acting on this handle, for the audit trail
 * ("alice", "os:alice"); "unknown" when none was set. Set it with
 * aims_store_set_principal() (auth.h), never from free text.
 */
const char *aims_store_actor(const aims_store *store);

/**
 * A number that changes whenever another handle (thread or process) has
 * committed a change to the store since this handle last asked, so a
 * front end can tell whether what it cached from this handle is still
 * current (writes through this same handle do not change it: the caller
 * knows about those). AIMS_EUSAGE when the backend cannot tell.
 */
int aims_store_data_version(int64_t *out, aims_store *store);

/**
 * A SHA-256 over the logical content of the store (every table, rows in
 * primary-key order), as 64 hex digits plus NUL. Equal content gives an
 * equal digest whatever the backend or the file layout.
 */
int aims_store_content_digest(char out[65], aims_store *store);

typedef struct {
	size_t tables;       /**< tables copied */
	uint64_t rows;       /**< rows copied */
} aims_store_copy_stats;

/**
 * Copy everything `src` holds into `dst`, whatever their backends: every
 * table row for row (the content, the ledger's entries, tiles and
 * checkpoints, accounts, tokens, sessions and the schema's record), from one
 * consistent snapshot of src (writers of src are not held up) in one
 * transaction on dst; then every table is read back on both sides and
 * compared (AIMS_ETAMPERED if one differs). So every ledger root,
 * checkpoint and content digest of dst equals src's. dst must have the same
 * schema version and hold nothing yet (a store just created by
 * aims_store_open with opts.create), else AIMS_EVERSION or AIMS_ECONFLICT;
 * the principals on both handles need the admin role (AIMS_EPERM). A src
 * with decision logs is refused (AIMS_ECONFLICT): their entries are files
 * beside a SQLite store. `stats` may be NULL.
 */
int aims_store_copy(aims_store *dst, aims_store *src, aims_store_copy_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
