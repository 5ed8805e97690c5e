/*
 * Internals of the decision logs shared by decision.c, decision_canon.c,
 * decision_canon_ref.c, the unit tests and the fuzz harnesses: the strict
 * single-pass canonicalizer with reusable scratch buffers, and the
 * jansson-based reference canonicalization it is fuzzed against.
 */
#ifndef AIMS_DECISION_INTERNAL_H
#define AIMS_DECISION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/decision.h"

/**
 * The input aims_decision_ingest hands a canonicalizing thread at once, for
 * the fuzz harness, whose inputs are too short to make several chunks of
 * the usual 256 KiB: 1 to 256 KiB; 0 restores the default.
 */
void aims__decision_ingest_chunk(size_t bytes);

/** Scratch state of the canonicalizer, reused from record to record. */
typedef struct aims__dcanon aims__dcanon;

int aims__dcanon_new(aims__dcanon **out);
void aims__dcanon_free(aims__dcanon *c);

/** Fields of a record the layers above the log check (borrowed until the next call). */
typedef struct {
	const char *model;          /**< decoded `model` (name@version), NULL when absent */
	size_t model_len;
	const char *model_digest;   /**< `model_digest` (sha256:<64 hex>), NULL when absent */
	aims_decision_members members; /**< where confidence, output, input and review lie in the canonical bytes */
} aims__dfields;

/**
 * The canonical bytes of one NDJSON line (docs/ledger.md, "Canonical
 * record") into out, which has room for AIMS_DECISION_RECORD_MAX bytes;
 * *len gets their length. f (may be NULL) gets the fields above.
 * AIMS_EINVALID naming the field or the column at fault.
 */
int aims__dcanon_run(aims__dcanon *c, char *out, size_t *len, const char *line, size_t n,
		     aims__dfields *f);

/**
 * The same in two steps, so a caller can place the bytes once it knows
 * their length: aims__dcanon_scan checks the line and gives the canonical
 * length in *len (and the fields in f); aims__dcanon_emit then writes those
 * *len bytes to out (and the member spans to f). Nothing may use c between
 * the two.
 */
int aims__dcanon_scan(aims__dcanon *c, size_t *len, const char *line, size_t n, aims__dfields *f);
void aims__dcanon_emit(aims__dcanon *c, char *out, aims__dfields *f);

/**
 * The same canonical form computed with jansson (parse, check the fields,
 * dump with JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII plus the two
 * rules of our own). It is the executable specification that
 * fuzz/decision_canon_diff.c and the unit tests hold the scanner to, byte
 * for byte; it is not used on the ingest path. *out: free().
 */
int aims__decision_canonical_ref(char **out, size_t *len, const char *line, size_t n);

/* ---- shared by the two ways a decision log is kept: files (decision.c), the store (decision_db.c) ---- */

#include "aims/decision.h"
#include "aims/note.h"
#include "aims/store.h"

/** AIMS_EINVALID unless aims_decision_name_valid(name). */
int aims__dlog_check_name(const char *name);
/** Origin (free()) and retention of a registered log; AIMS_ENOTFOUND if none. */
int aims__dlog_registry_get(char **origin, int *days, aims_store *s, const char *name);
/** Whether a registered log keeps its entries in the store (1) or in files (0). */
int aims__dlog_in_store(int *in_store, aims_store *s, const char *name);
/** "sha256:<hex>" of a committed head (size, root): the digest its audit entries carry. */
int aims__dlog_head_digest(char out[72], uint64_t size, const uint8_t root[32]);
/**
 * Write the committed head (size, end, root; nothing pending) and an audit
 * entry `action decision-head NAME` whose digests are the head's after and
 * before (prev_size, prev_root; none when legacy), or detail_digest; inside
 * the caller's transaction.
 */
int aims__dlog_head_write(aims_store *store, const char *name, int legacy, uint64_t prev_size,
			  const uint8_t prev_root[32], const char *action, uint64_t size, uint64_t off,
			  const uint8_t root[32], const char *detail_digest);
/** An earlier batch with idempotency key `key` (else with `digest`): 1, its first index, count, digest. */
int aims__dlog_batch_find(aims_store *store, const char *name, const char *key, const char *digest,
			  uint64_t *first, uint64_t *count, char found[72]);
/** Committed before (key, else digest): 1 with its first index and count, 0 if not; AIMS_ECONFLICT for a key
 *  used for another batch. */
int aims__dlog_batch_dup(aims_store *store, const char *name, const char *key, const char *digest,
			 uint64_t *first, uint64_t *count);
int aims__dlog_batch_insert(aims_store *store, const char *name, const char *key, const char *digest,
			    uint64_t first, uint64_t count);
/** The checkpoint body of a signed note, parsed without checking signatures. */
int aims__dlog_note_checkpoint(aims_checkpoint **cp, const char *note, size_t len);

/** A checkpoint seen by verification. */
typedef struct {
	uint64_t size;
	uint8_t root[32];
	int latest;
} aims__dlog_cp;

/** Open a checkpoint note with the verifier keys, check its origin and add it to *v. */
int aims__dlog_add_checkpoint(aims__dlog_cp **v, size_t *n, size_t *cap, const char *note, size_t len,
			      const char *origin, const char *const *vkeys, size_t nvkeys, const char *what);
int aims__dlog_cmp_cp(const void *a, const void *b);
/** Witness cosignatures on a checkpoint: *cosigned 1 when one by a witness key verifies. */
int aims__dlog_cosignatures(int *cosigned, const char *note, size_t len, const char *const *wkeys,
			    size_t nwkeys, const char *what);

/* ---- a decision log kept in the store (decision_db.c): every table row in one transaction ---- */

typedef struct aims__ddb aims__ddb;

/* open (opts->write or create: as the log's sequencer, waiting for its lock); origin as registered */
int aims__ddb_open(aims__ddb **out, aims_store *store, const char *system, const char *origin,
		   const aims_decision_options *opts);
void aims__ddb_free(aims__ddb *d);
uint64_t aims__ddb_size(const aims__ddb *d);
uint64_t aims__ddb_durable(const aims__ddb *d);
int aims__ddb_append(aims__ddb *d, const void *record, size_t len);
/* in_commit: NULL, or called inside the commit's transaction (aims_decision_ingest_options.in_commit) */
int aims__ddb_commit(aims__ddb *d, const char *key, aims_decision_commit_info *info, int (*in_commit)(void *),
		     void *arg);
int aims__ddb_rollback(aims__ddb *d);
int aims__ddb_checkpoint(aims__ddb *d, char **note);
int aims__ddb_foreach(aims__ddb *d, uint64_t from, uint64_t limit, aims_decision_record_fn fn, void *arg);
int aims__ddb_receipt(char **out, size_t *len, aims__ddb *d, uint64_t index);
int aims__ddb_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims__ddb *d, uint64_t index,
			      uint64_t size);
int aims__ddb_consistency_proof(uint8_t (**proof)[32], size_t *len, aims__ddb *d, uint64_t old_size,
				uint64_t size);
int aims__ddb_root(uint8_t root[32], aims__ddb *d, uint64_t size);
/** The latest signed checkpoint of a log kept in the store (AIMS_ENOTFOUND: none yet). */
int aims__ddb_checkpoint_read(char **note, size_t *len, aims_store *store, const char *system);
/** Drop bodies below the first record inside the period (cutoff, unix seconds); see aims_decision_prune. */
int aims__ddb_prune(aims_store *store, const char *system, int64_t cutoff, int64_t created_at,
		    uint64_t *pruned);

#endif
