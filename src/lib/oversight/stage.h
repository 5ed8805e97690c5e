/*
 * Review selection with the queue rows written while a batch is ingested
 * (review.c, "staging"): for the ingest layer (src/lib/ingest/decisions.c)
 * when the system's decision log is kept in files (the SQLite store). The
 * rules run on the log's hashing thread (aims_review_stage_hashed), the
 * selections are written as packs (review_packs) by a thread of their own
 * and stay invisible until the batch commits: readers of the queue take
 * only packs and rows below the log's committed size
 * (AIMS__REVIEW_COMMITTED), after turning committed packs into rows
 * (aims__review_settle). docs/oversight.md, "Where the
 * review hook is attached".
 */
#ifndef AIMS_OVERSIGHT_STAGE_H
#define AIMS_OVERSIGHT_STAGE_H

#include <pthread.h>
#include <stdint.h>

#include "aims/oversight.h"

/**
 * The condition of a committed queue row (or pack), for every reading of the
 * queue: its entry (a pack's last entry) below its log's committed size (a
 * row a batch is writing, or one a crashed batch left, is at or beyond it).
 * A log without a recorded size (from before migration 12) shows all its
 * rows.
 */
#define AIMS__REVIEW_BELOW_SIZE(table, entry)                                                                     \
	" " table "." entry " < COALESCE((SELECT h.size FROM ledger_decision_heads h WHERE h.log = 'decision/' || " \
	table ".system), " table "." entry " + 1) "
#define AIMS__REVIEW_COMMITTED AIMS__REVIEW_BELOW_SIZE("review_queue", "entry")

/**
 * Start the writer of the queue rows for a batch whose first record will
 * have index `from`. The store handle is shared: the caller holds
 * `store_mu` whenever it uses the store until aims_review_stage_finish.
 * Call before the ingest starts; the records then come through
 * aims_review_stage_hashed, not aims_review_note.
 */
int aims_review_stage_start(aims_review_selector *sel, uint64_t from, pthread_mutex_t *store_mu);

/**
 * aims_decision_ingest_options.on_hashed, with the selector as record_arg:
 * the rules on each record, on the log's hashing thread; the selected ones
 * go to the writer in blocks.
 */
int aims_review_stage_hashed(void *sel, uint64_t index, const char *record, size_t len, const uint8_t leaf_hash[32],
			     const aims_decision_members *m);

/**
 * aims_decision_ingest_options.before_commit, with the selector as
 * record_arg: the last rows written and the writer stopped; its error, if
 * any. aims_review_note_in_commit then records the rows' digests in the
 * batch's commit, and aims_review_note_commit frees the selector.
 */
int aims_review_stage_finish(void *sel);

/**
 * aims_decision_ingest_options.on_abort, with the selector as record_arg:
 * the writer stopped (the blocks it has not written are dropped) before the
 * ingest rolls the log back, which uses the store.
 */
void aims_review_stage_cancel(void *sel);

/** The batch did not commit: stop the writer, delete its rows, free the selector. */
int aims_review_note_abort(aims_review_selector *sel);

/**
 * Delete the queue rows and packs of `system` at or beyond index `from` (the log's
 * committed size): left by a batch that did not commit (a crash while it was
 * ingested). A read of the index when there are none.
 */
int aims_review_unstage(aims_store *store, const char *system, uint64_t from);

/**
 * The selections a staged ingest wrote as packs (review_packs), once their
 * batch committed, turned into queue rows: every reading and writing of
 * review_queue calls this first (in a transaction of its own, or nested in
 * the caller's). A read of the pack table when there is nothing to do.
 */
int aims__review_settle(aims_store *store);

/** aims_review_unstage from the committed size the log's head records (before a recovery). */
int aims_review_unstage_committed(aims_store *store, const char *system);

#endif
