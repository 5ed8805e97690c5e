/*
 * Verification of all the evidence a store holds, for an auditor: the
 * governance log, every decision log the governance log says exists, the
 * state of every governed object against the digest of its latest audit
 * entry, checkpoints kept outside the store (RFC 9162 consistency from each
 * to the tree now) and witness cosignatures. Nothing is written. Formats and
 * the threat model: docs/ledger.md.
 */
#ifndef AIMS_AUDIT_H
#define AIMS_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "ledger.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most state findings listed in a report (all are counted). */
#define AIMS_AUDIT_FINDINGS_MAX 1000

typedef struct {
	unsigned int version;               /**< AIMS_AUDIT_OPTIONS_VERSION */
	const char *const *vkeys;           /**< log verifier keys; none: the one recorded in the store */
	size_t nvkeys;
	const char *const *witness_keys;    /**< witness cosigner keys: their cosignatures must verify */
	size_t nwitness_keys;
	const char *trusted;                /**< checkpoints exported earlier (aims_audit_export), or NULL */
	size_t trusted_len;
	int state;                          /**< compare every governed object with its latest audit entry */
	const char *system;                 /**< only the decision log of this AI system (no governance, no state) */
} aims_audit_options;

#define AIMS_AUDIT_OPTIONS_VERSION 1
#define AIMS_AUDIT_OPTIONS_INIT { AIMS_AUDIT_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, 1, NULL }

/** One log and what verifying it found. Strings belong to the report. */
typedef struct {
	const char *log;                 /**< "governance" or "decision/<system>" */
	int code;                        /**< 0: it verified; else an aims_error_code, e.g. AIMS_ETAMPERED */
	const char *error;               /**< why it failed, NULL when it verified */
	aims_ledger_verify_stats stats;  /**< entries, checkpoints, tiles, first_bad, ... */
	int64_t created;                 /**< governance entry that created a decision log, -1 if none */
} aims_audit_log;

/** A governed object whose state does not match the ledger. */
typedef struct {
	const char *object_type, *object_id;
	const char *problem;   /**< "changed", "not in the ledger", "deleted outside aims", ... */
	const char *recorded;  /**< digest in its latest audit entry, or NULL */
	const char *actual;    /**< digest of the object now, or NULL when it is gone */
	int64_t entry;         /**< index of that audit entry, -1 when there is none */
} aims_audit_finding;

typedef struct {
	aims_audit_log *logs;
	size_t nlogs;
	int state_checked;                /**< the state was compared (the governance log verified) */
	uint64_t objects;                 /**< governed objects compared */
	aims_audit_finding *findings;     /**< at most AIMS_AUDIT_FINDINGS_MAX */
	size_t nfindings;
	uint64_t findings_total;
	void *priv_;
} aims_audit_report;

/**
 * Verify everything, read-only: 0 when all holds; AIMS_ETAMPERED when a log
 * or an object does not (the message names the first; *out lists all);
 * other codes when verification itself could not run. *out is set whenever
 * the return is 0 or AIMS_ETAMPERED; free it with aims_audit_report_free().
 */
int aims_audit_verify(aims_audit_report **out, aims_store *store, const aims_audit_options *opts);
void aims_audit_report_free(aims_audit_report *r);

/**
 * The current signed checkpoint of every log as a JSON document
 * ({"format": "aims-checkpoints/v1", "exported_at", "logs": [{"log",
 * "origin", "size", "checkpoint"}]}) to keep outside the store; `aims ledger
 * verify --trusted FILE` proves that the logs grew from these. *json: free().
 */
int aims_audit_export(char **json, size_t *len, aims_store *store);

/**
 * The JSON of a verification report, as `aims ledger verify --json` and GET
 * /api/v1/ledger/verification give it: {"ok", "logs": [{"log", "ok", "entries", "checkpoints",
 * "tiles", "pruned", "covered", "cosigned", "trusted_size"?, "created_by_entry"?, "error"?,
 * "first_bad_entry"?}], "state": {"checked", "objects", "findings_total", "findings": [...]}}, plus
 * "error" and "first_bad_entry" (of the governance log) when `verify_err` (the return of
 * aims_audit_verify) is negative. NULL when out of memory.
 */
json_t *aims_audit_report_json(const aims_audit_report *r, int verify_err, const char *error);

#ifdef __cplusplus
}
#endif
#endif
