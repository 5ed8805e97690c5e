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
/** Largest NDJSON input read by one ingest: 1 GiB. */
#define AIMS_DECISION_INPUT_MAX ((size_t)1 << 30)

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
	int create;                       /**< register and create the log if it does not exist */
	const aims_note_signer *signer;   /**< signs checkpoints (borrowed); NULL: none are signed */
	/** Called after each batch is durable with the log's size (acknowledged records). */
	void (*on_ack)(uint64_t size, void *arg);
	void *ack_arg;
	unsigned int batch_ms;            /**< most time a batch collects records; 0 = 10 ms */
	unsigned int checkpoint_ms;       /**< most time between checkpoints while appending; 0 = 1000 */
} aims_decision_options;

#define AIMS_DECISION_OPTIONS_VERSION 1
#define AIMS_DECISION_OPTIONS_INIT { AIMS_DECISION_OPTIONS_VERSION, 0, NULL, NULL, NULL, 0, 0 }

/**
 * Open the decision log of AI system `system`, taking its exclusive lock
 * (waits while another process holds it) and recovering it: a torn record
 * at the end of the entries (a crash during a write) is cut off, tiles and
 * the checkpoint are brought up to the entries (a checkpoint is signed only
 * when opts->signer is set). AIMS_ENOTFOUND when the log does not exist and
 * opts->create is not set (creating needs a signer: its name makes the
 * origin); AIMS_ETAMPERED when the stored state contradicts itself (a
 * checkpoint beyond the entries, a checkpoint whose root the entries do not
 * give); AIMS_EINVALID for a bad name. Free with aims_decision_close().
 */
int aims_decision_open(aims_decision_log **out, aims_store *store, const char *system,
		       const aims_decision_options *opts);

/**
 * Make everything appended durable, write the tiles and a signed checkpoint
 * (when there is a signer and anything changed), release the lock and free
 * the log. Returns the first error; the log is freed either way. NULL is fine.
 */
int aims_decision_close(aims_decision_log *log);

/** Free without syncing: records appended since the last sync are dropped. */
void aims_decision_free(aims_decision_log *log);

/** Records in the log, including appended ones not yet durable. */
uint64_t aims_decision_size(const aims_decision_log *log);

/** Records durable (acknowledged). */
uint64_t aims_decision_durable_size(const aims_decision_log *log);

/** The log's checkpoint origin line; borrowed. */
const char *aims_decision_origin(const aims_decision_log *log);

/**
 * Append one canonical record (from aims_decision_canonical, or bytes the
 * caller vouches for: at most AIMS_DECISION_RECORD_MAX, not empty). The
 * record is buffered; the batch is written and made durable with one
 * fdatasync when it is batch_ms old or large, and a checkpoint is signed
 * when checkpoint_ms have passed. No allocation per record.
 */
int aims_decision_append(aims_decision_log *log, const void *record, size_t len);

/** Write and fdatasync the buffered records now, then acknowledge them. */
int aims_decision_sync(aims_decision_log *log);

/**
 * Sync, write the tiles, and sign and publish a checkpoint of the current
 * size (AIMS_EUSAGE without a signer). *note (may be NULL) gets the signed
 * note (free with free()).
 */
int aims_decision_checkpoint(aims_decision_log *log, char **note);

/**
 * Ingest NDJSON: every line of `data` (a blank line is skipped) is
 * normalized first; the first bad line is refused with `name`, its line
 * number and the reason (AIMS_EINVALID) and nothing is appended. Then all
 * records are appended, synced and checkpointed (needs a signer). *appended
 * (may be NULL) gets the count.
 */
int aims_decision_ingest(aims_decision_log *log, uint64_t *appended, const char *data, size_t len,
			 const char *name);

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
