/*
 * Human oversight that holds (ISO/IEC 42001 A.6.2.5, A.9.2, 9.1; EU AI Act
 * Art. 14 and 26):
 *
 * - Lifecycle gates. A model version reaches a stage (validation,
 *   approved, deployed, retired) only when the conditions of the policy that
 *   applies to its AI system (policy.h) hold: approvals by roles from
 *   distinct accounts (never the requester), an approved impact assessment
 *   covering the version, evaluations of its exact digest recorded within N
 *   days and inside thresholds, no risk above tolerance untreated or
 *   awaiting acceptance, and the tier's EU AI Act obligations met with
 *   evidence. A documented exception (reason, expiry, approval by two
 *   accounts holding the roles the policy names) lets a refused gate pass
 *   until it expires. Recording a production deployment runs the same
 *   check. Every request, approval, rejection, check, refusal and exception
 *   is a governance ledger entry.
 * - Human review of AI decisions. The review rules of the policy select
 *   decisions as they are ingested (confidence below a threshold, listed
 *   output classes, values of named input fields, a seeded reproducible
 *   random sample); selected decisions wait in a queue for accounts with the
 *   reviewer role, whose accept or override is appended to the system's
 *   decision log as a review record that names the reviewed entry by index
 *   and leaf hash. Metrics per system and period are recomputed from the
 *   log.
 *
 * Documents are JSON objects built here, the same for the command line and
 * the API. Rules and formats: docs/oversight.md.
 */
#ifndef AIMS_OVERSIGHT_H
#define AIMS_OVERSIGHT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "decision.h"
#include "policy.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- lifecycle gates ---- */

/**
 * Check model version `model` (NAME@VERSION, or NAME for its latest) of AI
 * system `system` against the conditions its policy sets for `stage`, as of
 * `at` (RFC 3339; NULL = now; only evaluation ages and exception expiry
 * depend on it, and it may not lie in the past). Writes nothing. *result:
 * {"system", "model", "model_digest", "stage", "policy", "allowed",
 * "passed", "exception", "conditions": [{"condition", "met", "detail",
 * ...}], "unmet": [TEXT], "at"} (docs/oversight.md). With no policy, or no
 * conditions for the stage, the gate is open ("allowed": true).
 */
int aims_gate_check(json_t **result, aims_store *store, const char *system, const char *model,
		    const char *stage, const char *at);

/**
 * aims_gate_check, recorded: the result is stored as a gate check (id
 * GC-NNNNNN, "check_id" in *result) and the ledger gets an "allow",
 * "allow-exception" or "refuse" entry naming it. *allowed (may be NULL)
 * says whether the gate let the model version pass.
 */
int aims_gate_check_record(json_t **result, int *allowed, aims_store *store, const char *system,
			   const char *model, const char *stage, const char *at);

/**
 * The gate a deployment passes: for env "production", stage "deployed" is
 * checked and AIMS_EDENIED returned (after recording the refusal in the
 * ledger) unless it passes or an active exception covers it; the message
 * lists the unmet conditions. A deployment allowed by an exception is
 * recorded too. Any other environment, or no policy: 0 and nothing recorded.
 */
int aims_gate_deploy(aims_store *store, const char *system, const char *model, const char *env);

/**
 * Request gate `stage` for a model version: GATE-NNNN, requested by the
 * store's principal, on which approvals are counted. AIMS_ECONFLICT when a
 * request for the same system, model version and stage is still open.
 */
int aims_gate_request(json_t **out, aims_store *store, const char *system, const char *model,
		      const char *stage, const char *note);

/**
 * The store's principal approves (approve = 1) or rejects request `id`. The
 * requester may not approve (AIMS_EPERM) but may withdraw by rejecting; a
 * principal decides once (AIMS_ECONFLICT); a rejected request takes no
 * decision. The principal's roles at that moment are recorded with it.
 */
int aims_gate_decide(json_t **out, aims_store *store, const char *id, int approve, const char *note);

/** A gate request with its approvals and what its policy still needs. */
int aims_gate_get(json_t **out, aims_store *store, const char *id);

/** Gate requests, newest first; system and status (open, approved, rejected) filter (may be NULL). */
int aims_gate_list(json_t **out, aims_store *store, const char *system, const char *status);

/**
 * Recorded gate checks and refusals of a system (NULL: all), newest first, at most `limit` (0 = 100):
 * {"checks": [result + "digest"]}, each the stored result (check_id, purpose, checked_by, checked_at
 * added) with the SHA-256 digest of its canonical form that its ledger entry names.
 */
int aims_gate_checks(json_t **out, aims_store *store, const char *system, int limit);

/**
 * Ask for an exception to gate `stage` for a model version: a reason, and
 * the last day it is valid (YYYY-MM-DD, from today to today plus the
 * policy's exceptions.max_days). The policy that applies must allow
 * exceptions (AIMS_ECONFLICT otherwise). EXC-NNNN, pending until accounts
 * holding the roles the policy names approve it.
 */
int aims_gate_exception_request(json_t **out, aims_store *store, const char *system, const char *model,
				const char *stage, const char *reason, const char *expires);

/**
 * The store's principal approves exception `id`: it must hold one of the
 * roles the policy names (AIMS_EPERM), must not be the requester (AIMS_EPERM)
 * and approves once (AIMS_ECONFLICT). The exception becomes active when the
 * approvals fill the policy's counts with distinct accounts.
 */
int aims_gate_exception_approve(json_t **out, aims_store *store, const char *id);

/** Exceptions, newest first: pending and active unexpired ones, or all with `all`; system filters. */
int aims_gate_exception_list(json_t **out, aims_store *store, const char *system, int all);

/* ---- human review of AI decisions ---- */

/* why a decision was selected (bits) */
enum {
	AIMS_REVIEW_CONFIDENCE = 1 << 0,  /* confidence below the threshold */
	AIMS_REVIEW_OUTPUT = 1 << 1,      /* a listed output class */
	AIMS_REVIEW_INPUT = 1 << 2,       /* a listed value of a named input field */
	AIMS_REVIEW_SAMPLE = 1 << 3       /* the random sample */
};

/**
 * Whether the review rules select record `index` of `system`'s decision
 * log (its canonical JSON, `len` bytes): *reasons gets AIMS_REVIEW_* bits
 * (0: not selected). Review records and decisions that carry a review are
 * never selected. The sample mixes x = SEED ^ FNV-1a-64(SYSTEM) ^ INDEX *
 * 0x9e3779b97f4a7c15 (64-bit arithmetic) with SplitMix64's finalizer and
 * selects when the result modulo 1000000 is below the rate in parts per
 * million (docs/oversight.md; tests/ref/review_ref.py computes the same).
 * Pure; AIMS_EINVALID when the record is not a JSON object.
 */
int aims_review_match(unsigned *reasons, const aims_policy_review *rules, const char *system, uint64_t index,
		      const char *record, size_t len);
/**
 * The same on a canonical record whose top-level members are already
 * located (`m`, as aims_decision_ingest finds them), without scanning the
 * record again: the result equals aims_review_match's on the same record
 * (fuzz/review_match.c checks it).
 */
int aims_review_match_members(unsigned *reasons, const aims_policy_review *rules, const char *system,
			      uint64_t index, const char *record, size_t len, const aims_decision_members *m);

/**
 * The ingest hook. Open a selector for `system` (the review rules of the
 * policy that applies to it; *out = NULL when there are none, and then
 * nothing needs to be called), give it each record appended to the
 * system's decision log with its index and leaf hash, and finish it: the
 * selected decisions enter the review queue (at most every 65536 in one
 * transaction, each with one ledger entry naming the batch's digest).
 */
typedef struct aims_review_selector aims_review_selector;
int aims_review_selector_open(aims_review_selector **out, aims_store *store, const char *system);
int aims_review_consider(aims_review_selector *sel, uint64_t index, const uint8_t leaf_hash[32],
			 const char *record, size_t len);
/** Enqueue what is left and free the selector (also on error); *selected (may be NULL) gets the total. */
int aims_review_selector_finish(aims_review_selector *sel, uint64_t *selected);
/** Free without enqueueing what is buffered. NULL is fine. */
void aims_review_selector_free(aims_review_selector *sel);

/**
 * Selection while a batch is ingested (aims_decision_ingest_options.on_record):
 * aims_review_note looks at each record with the index it will have and
 * keeps the selected ones (index, leaf hash, reasons) without touching the
 * store, up to one flush (65536 selected; past that the rest is read back
 * from the log after the commit, so memory stays bounded).
 * aims_review_note_in_commit, as aims_decision_ingest_options.in_commit
 * with the selector as record_arg, enqueues the kept ones inside the
 * batch's own commit, so that a committed batch never lacks its selections
 * (a crash between the two could otherwise lose them). After the batch
 * committed (and was not a duplicate), aims_review_note_commit enqueues
 * what is left (all of it without the in-commit step; past one flush, the
 * rest read back from the log) exactly as aims_review_select_log would
 * have, and frees the selector (also on error); when the batch did not
 * commit, free it with aims_review_selector_free instead. The ingest layer
 * (aims_ingest_decisions) may instead have the rows written while the
 * batch is read, invisible until it commits (src/lib/oversight/stage.h);
 * then the rules run on the log's hashing thread and aims_review_note is
 * not used.
 */
int aims_review_note(aims_review_selector *sel, uint64_t index, const char *record, size_t len,
		     const aims_decision_members *m);
int aims_review_note_in_commit(void *sel);
int aims_review_note_commit(aims_review_selector *sel, aims_decision_log *log, uint64_t *selected);

/**
 * Select among the records of an open decision log from index `from` to its
 * end (the records one ingest appended): a selector fed by
 * aims_decision_foreach. *selected (may be NULL) gets the number queued.
 */
int aims_review_select_log(uint64_t *selected, aims_store *store, aims_decision_log *log, const char *system,
			   uint64_t from);

/**
 * Take the next decision to review (the store's principal; a reviewer
 * gets back the one already assigned to it first): the oldest pending
 * item, of `system` when given, becomes assigned to the principal. *out is
 * the item with the decision record and its explanation, or {"item": null}
 * when the queue is empty.
 */
int aims_review_next(json_t **out, aims_store *store, const char *system);

/**
 * Accept (action "accept") or override ("override": `outcome_json`, the
 * human outcome as JSON, and a reason are required) queue item `id`: a
 * review record {"review": {"action", "entry", "leaf_hash", "outcome",
 * "reason", "reviewer"}, "time"} is appended to the system's decision log
 * through its append API (needs the ledger key), the item is closed and the
 * ledger gets a "review" entry. AIMS_ECONFLICT when reviewed already or
 * assigned to another principal.
 */
int aims_review_decide(json_t **out, aims_store *store, const char *id, const char *action,
		       const char *outcome_json, const char *reason);

/** A queue item with its decision record; AIMS_ENOTFOUND naming it. */
int aims_review_get(json_t **out, aims_store *store, const char *id);

/** Queue items, oldest first; system and status (pending, assigned, reviewed) filter; at most limit (0 = all). */
int aims_review_list(json_t **out, aims_store *store, const char *system, const char *status, int64_t limit);

/**
 * Decisions waiting for review past their deadline: for each AI system
 * (`system`, or every system when NULL) whose policy sets review.due_days,
 * the items still pending or assigned that were selected more than that
 * many days before now. *out: {"overdue_reviews": [{"system", "policy"
 * (NAME@VERSION), "due_days", "selected_before", "overdue" (count),
 * "oldest" (REV-NNNNNN), "oldest_selected_at"}]}, only systems with overdue
 * items. AIMS_ENOTFOUND for an unknown system.
 */
int aims_review_overdue(json_t **out, aims_store *store, const char *system);

/**
 * Review metrics of `system` for decisions whose time is in [since, until)
 * (RFC 3339; NULL = no bound), recomputed from its decision log: decisions,
 * selected, reviewed (share_reviewed), overrides (override_rate), the
 * median seconds from a decision's time to its first review record,
 * backlog (selected and not reviewed), decisions with an explanation
 * (explanation_share). Rules: docs/oversight.md.
 */
int aims_review_metrics(json_t **out, aims_store *store, const char *system, const char *since,
			const char *until);

/**
 * Record the review metrics as evidence (OVR-NNNN) for ISO/IEC 42001 9.1
 * and EU AI Act Art. 14 and 26: stored with their digest and a ledger
 * entry, and referenced from the system's tracked obligations
 * art14-human-oversight and art26-use-and-oversight when it has them.
 */
int aims_review_report(json_t **out, aims_store *store, const char *system, const char *since,
		       const char *until);

/**
 * The recorded review metrics (aims_review_report) of `system` (NULL: every
 * system), oldest first: {"reports": [the stored metrics (id, evidence_for,
 * recorded_by, recorded_at) + "digest", the SHA-256 of their canonical form
 * that the ledger entry names]}.
 */
int aims_review_reports(json_t **out, aims_store *store, const char *system);

/**
 * The "Human oversight" section of a system card (Markdown): the policy in
 * force, review metrics, active exceptions and the latest gate checks.
 */
int aims_oversight_card_md(aims_buf *md, aims_store *store, const char *system);

#ifdef __cplusplus
}
#endif
#endif
