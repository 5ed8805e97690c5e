/*
 * AI decision logs: one append-only, tamper-evident log per AI system of
 * the decisions it made (time, model, input digest, output, confidence,
 * explanation, human review), for EU AI Act Art. 12, 19 and 26(6). Each log
 * is an RFC 9162 Merkle tree kept in files beside the store:
 *
 *   <store>.ledger/decision/<SYSTEM>/entries      length-prefixed canonical records
 *   <store>.ledger/decision/<SYSTEM>/tile/...     C2SP tlog-tiles (static files)
 *   <store>.ledger/decision/<SYSTEM>/checkpoint   latest signed checkpoint (C2SP)
 *   <store>.ledger/decision/<SYSTEM>/checkpoints  every checkpoint signed, in order
 *
 * The entries file is the truth: tiles and checkpoints are derived from it
 * and rebuilt when a crash left them behind. Records are appended by one
 * sequencer (an exclusive lock on the log) in batches; a batch is made
 * durable with one fdatasync before it is acknowledged. Formats, the
 * canonical record form and the recovery rules: docs/ledger.md.
 *
 * With a PostgreSQL store a log is kept in the store instead (tables of
 * entries, tiles and checkpoints; docs/ledger.md, "Decision logs in
 * PostgreSQL"): the sequencer is a named lock of the store, so one node at
 * a time appends, and a batch is one transaction, acknowledged when it
 * commits. The functions below work the same on both.
 */
#ifndef AIMS_DECISION_H
#define AIMS_DECISION_H

#include <stddef.h>
#include <stdint.h>
#include "note.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest AI system name (characters [A-Za-z0-9._-]). */
#define AIMS_DECISION_NAME_MAX 64
/** Largest NDJSON line and largest canonical record: 1 MiB. */
#define AIMS_DECISION_RECORD_MAX ((size_t)1 << 20)
/**
 * Most memory an ingest holds at once, whatever the size of its input: the
 * chunks of input read ahead, the buffers of canonical records waiting to
 * be hashed and written, the full tiles not yet written and the scratch of
 * each canonicalizing thread (docs/ledger.md, "Ingest"). The process stays
 * far below 256 MiB RSS.
 */
#define AIMS_DECISION_INGEST_MEMORY ((size_t)80 << 20)

/**
 * Normalize one NDJSON decision record (without its newline) into the
 * canonical bytes that are hashed (docs/ledger.md, "Canonical record").
 * *out is NUL-terminated (free with free()), *len its length. Pure: no
 * store, no files. AIMS_EINVALID with the field at fault in the message.
 */
int aims_decision_canonical(char **out, size_t *len, const char *line, size_t line_len);

/** Whether `name` is a valid AI system name (1-64 of [A-Za-z0-9._-], not "." or ".."). */
int aims_decision_name_valid(const char *name);

/** An open decision log; the process holds its lock until it is freed. */
typedef struct aims_decision_log aims_decision_log;

typedef struct {
	unsigned int version;             /**< AIMS_DECISION_OPTIONS_VERSION */
	int create;                       /**< register and create the log if it does not exist (implies write) */
	const aims_note_signer *signer;   /**< signs checkpoints (borrowed); NULL: none are signed */
	/** Called after each commit with the log's committed size (acknowledged records). */
	void (*on_ack)(uint64_t size, void *arg);
	void *ack_arg;
	int write;                        /**< open to append: refuse a log with bytes it did not commit */
	const char *key_name;             /**< origin of a new log when there is no signer: the ledger key's name */
} aims_decision_options;

#define AIMS_DECISION_OPTIONS_VERSION 2
#define AIMS_DECISION_OPTIONS_INIT { AIMS_DECISION_OPTIONS_VERSION, 0, NULL, NULL, NULL, 0, NULL }

/**
 * Open the decision log of AI system `system`, taking its exclusive lock
 * (waits while another process holds it). The store keeps what the last
 * writer committed (size, end in `entries`, root): the files must give
 * that root, else AIMS_ETAMPERED; bytes after the committed end are either
 * the torn tail of an ingest that never committed (a writer refuses with
 * AIMS_ECONFLICT until aims_decision_recover() removed them; a reader does
 * not see them) or a foreign append (AIMS_ETAMPERED naming the offset, for
 * every opener). Tiles and the checkpoint are brought up to the committed
 * size (a checkpoint is signed only when opts->signer is set).
 * AIMS_ENOTFOUND when the log does not exist and opts->create is not set
 * (creating needs a signer or opts->key_name: it makes the origin);
 * AIMS_EINVALID for a bad name. Free with aims_decision_close().
 */
int aims_decision_open(aims_decision_log **out, aims_store *store, const char *system,
		       const aims_decision_options *opts);

/**
 * Commit what was appended (aims_decision_commit without a key), release
 * the lock and free the log. Returns the first error; the log is freed
 * either way (records not committed are then removed). NULL is fine.
 */
int aims_decision_close(aims_decision_log *log);

/** Free without committing: records appended since the last commit are removed. */
void aims_decision_free(aims_decision_log *log);

/** Records in the log, including appended ones not yet committed. */
uint64_t aims_decision_size(const aims_decision_log *log);

/** Records committed (acknowledged). */
uint64_t aims_decision_durable_size(const aims_decision_log *log);

/** The log's checkpoint origin line; borrowed. */
const char *aims_decision_origin(const aims_decision_log *log);

/**
 * Append one canonical record (from aims_decision_canonical, or bytes the
 * caller vouches for: at most AIMS_DECISION_RECORD_MAX, not empty) to the
 * batch being built. The first append of a batch marks the log as having
 * an ingest in progress (in the store); a writer thread hashes the records
 * and writes them after the committed end of `entries`. Nothing is
 * acknowledged before aims_decision_commit(). No allocation per record.
 */
int aims_decision_append(aims_decision_log *log, const void *record, size_t len);

/** What a commit did. */
typedef struct {
	uint64_t first;           /**< index of the batch's first record */
	uint64_t count;           /**< records in the batch (0: nothing was appended) */
	uint64_t size;            /**< the log's committed size afterwards */
	int duplicate;            /**< the same batch was committed before: nothing was added */
	char digest[72];          /**< the batch digest, "sha256:<hex>" over its leaf hashes */
	/** The records are committed but no checkpoint was signed, and why (free());
	 *  the next write signs one. NULL when signed (or there is no signer). */
	char *checkpoint_error;
} aims_decision_commit_info;

/** Free what an aims_decision_commit_info holds (not the struct). */
void aims_decision_commit_info_release(aims_decision_commit_info *info);

/**
 * Commit the batch: the records are made durable (fdatasync), the tiles
 * written and synced, and the store records the new committed head, the
 * batch (its digest and `idempotency_key`, may be NULL) and an audit entry
 * in the governance log, in one transaction: from then on the records are
 * acknowledged. A batch whose digest (or key) was committed before to this
 * log is removed again and reported as a duplicate (0, info->duplicate);
 * a key used before for a different batch is AIMS_ECONFLICT. Then a
 * checkpoint is signed; failing to sign does not undo the commit
 * (info->checkpoint_error). info may be NULL.
 */
int aims_decision_commit(aims_decision_log *log, const char *idempotency_key, aims_decision_commit_info *info);

/** Remove the records appended since the last commit (entries cut back, their tiles removed). */
int aims_decision_rollback(aims_decision_log *log);

/**
 * Commit what is pending, then sign and publish a checkpoint of the
 * committed size (AIMS_EUSAGE without a signer). *note (may be NULL) gets
 * the signed note (free with free()).
 */
int aims_decision_checkpoint(aims_decision_log *log, char **note);

/** Reads up to len bytes of input into buf: the count, 0 at the end, or a negative aims error code. */
typedef int64_t (*aims_decision_read_fn)(void *buf, size_t len, void *arg);

/**
 * Checks a record's model against something outside the log (the
 * inventory): `model` is the decoded name@version (NULL when the record
 * has only a model_digest), `model_digest` its digest or NULL. 0, or a
 * negative error code with a message naming the value. The ingest may call
 * it from any of its threads (one call at a time) and remember a model and
 * digest it accepted for the rest of the ingest: the answer must depend on
 * them alone.
 */
typedef int (*aims_decision_check_fn)(void *arg, const char *model, size_t model_len,
				      const char *model_digest);

/** A member's value inside a canonical record: offset and length in bytes (len 0: the member is absent). */
typedef struct {
	size_t off, len;
} aims_decision_span;

/** The top-level members of a canonical record that review selection reads, as the ingest found them. */
typedef struct {
	aims_decision_span confidence, output, input, review;
} aims_decision_members;

typedef struct {
	unsigned int version;             /**< AIMS_DECISION_INGEST_OPTIONS_VERSION */
	aims_decision_read_fn read;       /**< the NDJSON input */
	void *read_arg;
	const char *name;                 /**< the input's name in messages */
	const char *idempotency_key;      /**< NULL: none (the batch digest still makes a retry a no-op) */
	aims_decision_check_fn check;     /**< NULL: no check */
	void *check_arg;
	/** Called on the caller's thread as records go to the writer (every 65,536 or so), with their count. */
	void (*on_progress)(uint64_t records, void *arg);
	void *progress_arg;
	/**
	 * NULL, or called on the caller's thread with each record once it is
	 * canonical and checked, before it is appended: `index` is the one it
	 * will have if the batch commits (it may not: a bad line later, or a
	 * duplicate batch); `m` says where its top-level members lie (found
	 * while canonicalizing, so the caller need not scan the record again).
	 * 0, or a negative error code that stops the ingest (the log is rolled
	 * back). The layer above the log uses it to look at the records without
	 * reading them back after the commit.
	 */
	int (*on_record)(void *arg, uint64_t index, const char *record, size_t len, const aims_decision_members *m);
	void *record_arg;
	/**
	 * NULL, or called once on the caller's thread inside the store
	 * transaction that commits the batch, after its batch and head rows are
	 * written (not for a duplicate batch, nor for an empty one): what it
	 * writes to the log's store commits with the records or not at all. A
	 * negative error code rolls the batch back and is returned. Gets
	 * record_arg.
	 */
	int (*in_commit)(void *arg);
	/**
	 * NULL, or called once on the caller's thread after the last record
	 * was read and the log's own threads finished writing, before the batch
	 * commits (also for an empty or a duplicate batch, and when writing
	 * failed), outside any store transaction. A negative error code rolls
	 * the batch back and is returned. Gets record_arg.
	 */
	int (*before_commit)(void *arg);
	/**
	 * NULL, or called once on the caller's thread when the ingest fails
	 * while reading (a bad line, a read error, a refusal of a callback),
	 * before the batch is rolled back; from the commit on, before_commit
	 * is called instead. The caller stops what it runs beside the ingest on
	 * the same store. Gets record_arg.
	 */
	void (*on_abort)(void *arg);
	/**
	 * NULL, or called with each record on the log's hashing thread, in
	 * order, once its RFC 9162 leaf hash is known: `index` as for
	 * on_record, `m` the member spans the canonicalizer found. 0, or a
	 * negative error code that fails the ingest (the log is rolled back).
	 * Work here is off the thread that reads and canonicalizes, which is
	 * the ingest's critical path. Only for a log kept in files (the SQLite
	 * store); AIMS_EUSAGE otherwise. Gets record_arg.
	 */
	int (*on_hashed)(void *arg, uint64_t index, const char *record, size_t len, const uint8_t leaf_hash[32],
			 const aims_decision_members *m);
} aims_decision_ingest_options;

#define AIMS_DECISION_INGEST_OPTIONS_VERSION 1
#define AIMS_DECISION_INGEST_OPTIONS_INIT { AIMS_DECISION_INGEST_OPTIONS_VERSION, NULL, NULL, NULL, NULL, \
					    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Ingest NDJSON in one streaming pass, memory bounded by
 * AIMS_DECISION_INGEST_MEMORY whatever the input's size: each line (a blank
 * one is skipped) is canonicalized, checked with o->check, appended and
 * hashed while the next is read (for a log kept in files, on two threads
 * that take chunks of whole lines, the records kept in input order; with
 * on_record, on the caller's thread). The first bad line is refused with
 * o->name, its line number and the reason (AIMS_EINVALID, or the check's
 * error) and the log is rolled back to its size before the call: a bad line
 * anywhere means nothing is appended. At the end of the input the batch is
 * committed (aims_decision_commit, with o->idempotency_key). The log must
 * be open for writing with nothing pending.
 */
int aims_decision_ingest(aims_decision_log *log, aims_decision_commit_info *info,
			 const aims_decision_ingest_options *o);

/** What aims_decision_recover found and did. */
typedef struct {
	uint64_t size;            /**< the committed size (unchanged) */
	uint64_t offset;          /**< the committed end of `entries` where bytes were cut */
	uint64_t cut_bytes;       /**< bytes removed after it (0: nothing to recover) */
	char cut_digest[72];      /**< their SHA-256, "sha256:<hex>" (empty when none) */
	int foreign;              /**< the bytes were a foreign append (removed only when asked) */
	int adopted;              /**< a log from before committed heads was adopted as it is */
} aims_decision_recovery;

/**
 * Bring the log of `system` back to what its last writer committed: the
 * torn tail of an ingest that did not commit (a crash, a kill) is cut off,
 * the tiles written for it are removed and the in-progress mark cleared,
 * recorded in the governance log (`recover decision-log SYSTEM`, with the
 * digest of the bytes removed). Bytes beyond the committed end that no
 * ingest was writing are a foreign append: AIMS_ETAMPERED naming the
 * offset, unless discard_foreign is set (then they are cut off and recorded
 * the same way). Nothing to do is fine (cut_bytes 0, nothing recorded).
 */
int aims_decision_recover(aims_decision_recovery *res, aims_store *store, const char *system,
			  const aims_note_signer *signer, int discard_foreign);

/** Called for each record by aims_decision_foreach; data is NULL for a pruned record. */
typedef int (*aims_decision_record_fn)(uint64_t index, const char *data, size_t len,
				       const uint8_t leaf_hash[32], void *arg);

/**
 * Call fn for records from index `from`, at most `limit` of them (0 = all)
 * of the durable log; a non-zero return from fn stops and is returned.
 */
int aims_decision_foreach(aims_decision_log *log, uint64_t from, uint64_t limit,
			  aims_decision_record_fn fn, void *arg);

/**
 * A C2SP tlog-proof receipt for record `index` against the latest signed
 * checkpoint, with the proof read from the tiles (O(log n) reads) and the
 * canonical record as the proof's extra data (none when pruned).
 * AIMS_ENOTFOUND when no checkpoint covers the index. *out: free().
 */
int aims_decision_receipt(char **out, size_t *len, aims_decision_log *log, uint64_t index);

/**
 * The RFC 9162 inclusion proof of record `index` in the tree of the first
 * `size` records (at most the durable size, which the tiles cover), read
 * from the tiles: O(log n) tile reads. Free *proof with aims_merkle_proof_free().
 */
int aims_decision_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims_decision_log *log,
				  uint64_t index, uint64_t size);

/** The RFC 9162 consistency proof from `old_size` to `size`, from the tiles. */
int aims_decision_consistency_proof(uint8_t (**proof)[32], size_t *len, aims_decision_log *log,
				    uint64_t old_size, uint64_t size);

/** The root of the tree of the first `size` records, from the tiles. */
int aims_decision_root(uint8_t root[32], aims_decision_log *log, uint64_t size);

/**
 * Check a receipt offline with only verifier keys: the checkpoint's
 * signature, and the inclusion of the record's leaf hash at its index. The
 * record is `entry` when given (its canonical bytes), else the receipt's
 * extra data; when both are there they must be equal. *index (may be NULL)
 * gets the index. 0, AIMS_ETAMPERED or AIMS_EINVALID.
 */
int aims_decision_verify_receipt(uint64_t *index, const char *receipt, size_t len,
				 const char *entry, size_t entry_len, const char *const *vkeys,
				 size_t nvkeys);

/**
 * Recompute the decision log of `system` from its entries and compare every
 * stored tile, the latest checkpoint and every checkpoint of the history
 * (signature against `vkeys`, or the ledger's recorded verifier key when
 * nvkeys is 0, and root). AIMS_ETAMPERED with a message naming the first
 * entry that no longer verifies. *entries (may be NULL) gets the count
 * checked.
 */
int aims_decision_verify(aims_store *store, const char *system, const char *const *vkeys,
			 size_t nvkeys, uint64_t *entries);

/** The names of the decision logs registered in the store, sorted; free with aims_decision_logs_free(). */
int aims_decision_logs(char ***names, size_t *count, aims_store *store);
void aims_decision_logs_free(char **names, size_t count);

/**
 * Drop the bodies of records older than the retention period
 * (`retention_days`, 0 = the log's, at least AIMS_LEDGER_MIN_RETENTION_DAYS:
 * AIMS_EINVALID for less) before now, by the real clock: from the start of
 * the log up to the first record whose own time is inside the period; none
 * while the log itself (its creation in the governance log) is younger than
 * the period. A pruned record keeps its leaf hash, so the tree and every
 * checkpoint still verify; the prune is recorded in the governance log as
 * "prune ledger decision/SYSTEM below K". *pruned (may be NULL) gets the
 * number of records pruned now.
 */
int aims_decision_prune(aims_store *store, const char *system, int retention_days, uint64_t *pruned);

/** Set a log's retention period in days (at least AIMS_LEDGER_MIN_RETENTION_DAYS). */
int aims_decision_set_retention(aims_store *store, const char *system, int days);

#ifdef __cplusplus
}
#endif
#endif
