/*
 * The evidence ledger's governance log: every write any aims module makes
 * appends one audit entry, in the same transaction, to an RFC 9162 Merkle
 * tree kept as C2SP tlog-tiles in the store; signed checkpoints (C2SP
 * signed notes) let anyone with the public key check that no entry was
 * changed, removed, inserted or reordered. The AI decision logs, one per AI
 * system, are in decision.h. Formats: docs/ledger.md.
 */
#ifndef AIMS_LEDGER_H
#define AIMS_LEDGER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "note.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AIMS_LEDGER_GOVERNANCE "governance"
/** EU AI Act Art. 19(1) and 26(6): logs are kept at least six months. */
#define AIMS_LEDGER_MIN_RETENTION_DAYS 183

/** One audit entry. Strings are borrowed from the list that holds it. */
typedef struct {
	int64_t index;
	const char *time;         /* RFC 3339 UTC */
	const char *actor;
	const char *action;       /* create, update, delete, import, load, approve, ... */
	const char *object_type;  /* e.g. "framework", "isms", "soa-control", "setting" */
	const char *object_id;
	const char *new_digest;   /* "sha256:<hex>" of the new state, NULL on delete */
	const char *prev_digest;  /* "sha256:<hex>" of the previous state, NULL on create */
	int pruned;               /* the body was dropped by retention; the leaf hash remains */
} aims_ledger_entry;

/**
 * Append one audit entry to the governance log inside the caller's
 * transaction (it opens a nested one), with the store's actor
 * (aims_store_set_actor) and the current time. Modules call this for every
 * write.
 */
int aims_ledger_append(aims_store *store, const char *action, const char *object_type,
		       const char *object_id, const char *new_digest, const char *prev_digest);

/** "sha256:<hex>" of bytes, for the digest fields; out has room for 72 bytes. */
int aims_ledger_digest(char out[72], const void *data, size_t len);

typedef struct {
	aims_ledger_entry *items;
	size_t count;
	void *priv_;
} aims_ledger_entries;

/** The governance log's entries, oldest first; object_id NULL for all. */
int aims_ledger_log_read(aims_ledger_entries **out, aims_store *store, const char *object_id);
void aims_ledger_entries_free(aims_ledger_entries *list);

/**
 * The RFC 9162 inclusion proof of governance entry `index` in the tree of
 * the first `size` entries (a checkpoint's size), from the stored tiles in
 * O(log size) reads; free *proof with aims_merkle_proof_free. AIMS_EINVALID
 * when index >= size; AIMS_ETAMPERED (a tile is missing) when size exceeds
 * the log.
 */
int aims_ledger_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims_store *store, uint64_t index,
				uint64_t size);

/**
 * The JSON of one audit entry, as `aims ledger log --json` and GET /api/v1/ledger/entries give it:
 * {"index", "time", "actor", "action", "object_type", "object_id", "new_digest", "prev_digest",
 * "pruned"}. NULL when out of memory.
 */
json_t *aims_ledger_entry_json(const aims_ledger_entry *e);

/** Size and root of the governance log. */
int aims_ledger_head(uint64_t *size, uint8_t root[32], aims_store *store);

/**
 * Record the key that signs checkpoints (a signer key file written by
 * `aims ledger keygen`). The store keeps the file's path and the verifier
 * key, never the private key. *vkey (may be NULL) receives the verifier key.
 */
int aims_ledger_setup(aims_store *store, const char *key_path, char **vkey);

/** Load the signer recorded by aims_ledger_setup; AIMS_ENOTFOUND if none. */
int aims_ledger_signer(aims_note_signer **out, aims_store *store);

/** The verifier key recorded by aims_ledger_setup (caller frees), or AIMS_ENOTFOUND. */
int aims_ledger_vkey(char **vkey, aims_store *store);

/**
 * Sign a checkpoint of the governance log at its current size, unless one
 * exists for that size. *note (may be NULL) receives the signed note.
 */
int aims_ledger_checkpoint(aims_store *store, const aims_note_signer *signer, char **note);

/** The latest checkpoint of a log (signed note text; caller frees), or AIMS_ENOTFOUND. */
int aims_ledger_latest_checkpoint(char **note, aims_store *store, const char *log);

/**
 * With a signing key set up, every entry older than this many seconds must
 * be covered by a signed checkpoint (a write signs one at once; entries of
 * the last minutes may be waiting for theirs).
 */
#define AIMS_LEDGER_CHECKPOINT_GRACE 300

/**
 * The body of a c2sp.org/tlog-witness add-checkpoint request for the
 * governance log's latest checkpoint: "old N", the RFC 9162 consistency
 * proof from the size N the witness last cosigned (0: none) in base64, an
 * empty line and the signed checkpoint. *out: free().
 */
int aims_ledger_witness_request(char **out, size_t *len, aims_store *store, uint64_t old_size);

/**
 * Add the cosignature lines a witness returned (add-checkpoint's response)
 * to the governance checkpoint they are for: every key in witness_keys (its
 * cosigner key, type 0x04) must have a valid cosignature in them
 * (AIMS_ETAMPERED otherwise; AIMS_ECONFLICT when it has cosigned that
 * checkpoint already). *size gets the checkpoint's size.
 */
int aims_ledger_add_cosignatures(uint64_t *size, aims_store *store, const char *lines, size_t len,
				 const char *const *witness_keys, size_t nkeys);

/** What aims_ledger_verify checked. */
typedef struct {
	uint64_t entries;       /* entries recomputed */
	uint64_t checkpoints;   /* checkpoint signatures and roots checked */
	uint64_t tiles;         /* stored tiles compared */
	int64_t first_bad;      /* first entry that no longer verifies, -1 if none */
	uint64_t pruned;        /* entries without a body (retention) */
	uint64_t covered;       /* entries covered by the latest signed checkpoint */
	uint64_t cosigned;      /* checkpoints with a verified witness cosignature */
	uint64_t trusted_size;  /* size of the trusted checkpoint proven consistent; 0: none */
} aims_ledger_verify_stats;

/**
 * Recompute the governance log's tree from its entries, compare every
 * stored tile, and check every checkpoint's signature against `vkeys` (the
 * recorded verifier key when nvkeys is 0) and its root against the
 * recomputed tree. AIMS_ETAMPERED with a message naming the first entry that
 * no longer verifies.
 */
int aims_ledger_verify(aims_ledger_verify_stats *stats, aims_store *store, const char *const *vkeys,
		       size_t nvkeys);

/**
 * Drop the bodies of governance entries older than the retention period
 * (days, at least AIMS_LEDGER_MIN_RETENTION_DAYS) before now, by the real
 * clock: from the start of the log up to the first entry that is inside the
 * period by its own time or, with a signing key, is not covered by a
 * checkpoint signed before the period began. The latest entry of each
 * object keeps its body. Leaf hashes stay, so the tree still verifies; the
 * prune is recorded as "prune ledger governance below K". *pruned (may be
 * NULL) receives the number of bodies dropped now.
 */
int aims_ledger_prune(aims_store *store, int retention_days, uint64_t *pruned);

#ifdef __cplusplus
}
#endif
#endif
