/*
 * Ingest bound to the inventory: AI decision records go into the decision
 * log of an AI system that is in the inventory, and the model each record
 * names must be a registered model version. This layer uses both the
 * ledger (decision.h, a pure log that knows nothing of systems and models)
 * and the inventory (inventory.h); the aims command, and later the HTTP
 * API with its Idempotency-Key header, call it rather than the ledger.
 * Rules: docs/ledger.md ("Ingest").
 */
#ifndef AIMS_INGEST_H
#define AIMS_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include "decision.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned int version;             /**< AIMS_INGEST_OPTIONS_VERSION */
	const char *name;                 /**< the input's name in messages (NULL: "<input>") */
	/** A retried batch with the same key is a no-op; the key with other records is refused. */
	const char *idempotency_key;
	void (*on_progress)(uint64_t records, void *arg);  /**< records read so far, now and then */
	void *progress_arg;
	void (*on_ack)(uint64_t size, void *arg);          /**< the batch is committed: the log's size */
	void *ack_arg;
} aims_ingest_options;

#define AIMS_INGEST_OPTIONS_VERSION 1
#define AIMS_INGEST_OPTIONS_INIT { AIMS_INGEST_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }

typedef struct {
	uint64_t appended;        /**< records added by this call (0 for a duplicate) */
	uint64_t first;           /**< index of the batch's first record (of the earlier one for a duplicate) */
	uint64_t count;           /**< records in the batch */
	uint64_t size;            /**< the log's committed size afterwards */
	int duplicate;            /**< the batch was committed before: nothing was added */
	char digest[72];          /**< the batch digest (docs/ledger.md) */
	uint64_t selected;        /**< records the system's review policy queued for human review (oversight.h) */
	/** The records are committed, but the decision log's checkpoint was not signed: why. */
	char *checkpoint_error;
	/** The records are committed, but the governance log's checkpoint was not signed: why. */
	char *governance_error;
} aims_ingest_result;

/**
 * Ingest NDJSON decision records read with `read` into the decision log of
 * AI system `system` (created on its first ingest), streaming, with memory
 * bounded by AIMS_DECISION_INGEST_MEMORY. Refused before anything is read:
 * an AI system not in the inventory (AIMS_ENOTFOUND naming it), a store
 * whose ledger key was never set up (AIMS_ENOTFOUND), a log with bytes it
 * did not commit (AIMS_ECONFLICT: an interrupted ingest, see
 * aims_decision_recover; AIMS_ETAMPERED: a foreign append). Refused with
 * nothing appended: a bad line (AIMS_EINVALID with its line number), a
 * record whose `model` is not a registered model version, or whose
 * `model_digest` differs from the registered model's digest (AIMS_EINVALID
 * with the line and the value), an idempotency key used before for other
 * records (AIMS_ECONFLICT). A batch committed before is a duplicate: 0 and
 * res->duplicate. Signing a checkpoint after the commit is not part of
 * the commit: a failure is reported in res, not as an error, and the next
 * write signs. Release res with aims_ingest_result_release().
 */
int aims_ingest_decisions(aims_ingest_result *res, aims_store *store, const char *system,
			  aims_decision_read_fn read, void *read_arg, const aims_ingest_options *opts);

/** The same, reading a file descriptor to its end. */
int aims_ingest_decisions_fd(aims_ingest_result *res, aims_store *store, const char *system, int fd,
			     const aims_ingest_options *opts);

void aims_ingest_result_release(aims_ingest_result *res);

#ifdef __cplusplus
}
#endif
#endif
