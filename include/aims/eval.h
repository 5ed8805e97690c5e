/*
 * Evaluation of AI systems (ISO/IEC 42001 A.6.2.4 verification and
 * validation, A.6.2.6 operation and monitoring, A.7.4 data quality; EU AI
 * Act Art. 15 and 72): group fairness and model performance of a binary
 * classifier computed from a file or a decision log (include/aims/rows.h),
 * self-contained HTML reports, and evaluation runs stored as evidence
 * linked to the AI system and the controls they support. Definitions,
 * conventions and thresholds: docs/evaluation.md.
 */
#ifndef AIMS_EVAL_H
#define AIMS_EVAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "rows.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- binary classification: fairness and performance ---- */

typedef struct {
	unsigned int version;             /**< AIMS_EVAL_OPTIONS_VERSION */
	const char *label;                /**< column of the true outcome (required) */
	const char *pred;                 /**< column of the predicted outcome (required) */
	const char *score;                /**< column of the positive-class score in [0, 1], or NULL */
	const char *const *groups;        /**< sensitive columns (fairness needs at least one) */
	size_t ngroups;                   /**< at most AIMS_EVAL_MAX_GROUPS */
	const char *pos_label;            /**< the positive value; NULL: "1" or "true" */
	const char *reference;            /**< reference group for disparate impact; NULL: the largest */
	unsigned int min_group_size;      /**< small-group rule: n below this; 0 = 30 */
	unsigned int min_class_count;     /**< small-group rule: positives or negatives below this; 0 = 5 */
} aims_eval_options;

#define AIMS_EVAL_OPTIONS_VERSION 1
#define AIMS_EVAL_OPTIONS_INIT { AIMS_EVAL_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, 0 }
#define AIMS_EVAL_MAX_GROUPS 8

/**
 * Read every remaining row of `rows` once and compute group fairness
 * (when `fairness` is not NULL) and performance (when `performance` is not
 * NULL). Each result is a JSON object (keys in docs/evaluation.md; free
 * with free()). A row with a missing value in a column in use is skipped
 * (aims_rows_skip) and counted. AIMS_ENOTFOUND for an unknown column,
 * AIMS_EINVALID for a non-numeric score or one outside [0, 1] (naming file,
 * line and column), no usable rows, or an unknown reference group. An
 * undefined figure (a rate with a zero denominator, ROC AUC with one
 * class...) is JSON null with its reason under "undefined", never NaN.
 */
int aims_eval_binary(char **fairness, char **performance, aims_rows *rows, const aims_eval_options *opts);

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts) for a result
 * of aims_eval_binary: kind "fairness" (rates per group with the
 * four-fifths band) or "performance" (ROC and calibration curves,
 * confusion matrix); or for the JSON of a drift result (aims_drift_json,
 * e.g. a stored one): verdict, inputs and the figures of every column (the
 * histograms need the data: aims_drift_html). *html: free with free().
 */
int aims_eval_report_html(char **html, size_t *len, const char *kind, const char *result_json);

/* ---- evaluation results as evidence ---- */

/** The 42001 controls an evaluation of `kind` evidences, space-separated; NULL for an unknown kind. */
const char *aims_eval_controls(const char *kind);

/**
 * Store an evaluation run as evidence linked to AI system `system` (it must
 * exist in the inventory) and to the 42001 controls it evidences
 * (aims_eval_controls: fairness and performance A.6.2.4 A.6.2.6; drift
 * A.6.2.6 A.7.4), with the library version as tool version, and append an
 * audit entry to the governance ledger in the same transaction. kind is
 * "fairness", "performance" or "drift"; inputs_json is a JSON array of
 * {"name", "sha256", "rows"}; params_json and results_json are JSON
 * objects. *id gets the new id, EVAL-0001, EVAL-0002... (free with free()).
 */
int aims_eval_record(char **id, aims_store *store, const char *system, const char *kind,
		     const char *inputs_json, const char *params_json, const char *results_json);

/**
 * As aims_eval_record, for the model version `model_ref` (NAME@VERSION, or
 * NAME for its latest; it must be in the inventory, AIMS_ENOTFOUND
 * otherwise): the record also keeps the model and its artifact digest, in
 * the canonical record as "model" and "model_digest", so lifecycle gates
 * count the evaluation only for a model with exactly those bytes
 * (oversight.h). model_ref NULL is aims_eval_record.
 */
int aims_eval_record_model(char **id, aims_store *store, const char *system, const char *model_ref,
			   const char *kind, const char *inputs_json, const char *params_json,
			   const char *results_json);

/**
 * Record a fairness or performance result as aims_eval_binary made it (its
 * JSON, with "input" and "params"): the inputs and parameters are taken
 * from it. `kind` is "fairness" or "performance".
 */
int aims_eval_record_binary(char **id, aims_store *store, const char *system, const char *model_ref,
			    const char *kind, const char *result);

typedef struct {
	char *id;            /**< EVAL-0001 */
	char *system;        /**< the AI system */
	char *kind;          /**< fairness | performance | drift */
	char *recorded_at;   /**< RFC 3339 UTC */
	char *controls;      /**< 42001 control ids, space-separated, e.g. "A.6.2.4 A.6.2.6" */
	char *summary;       /**< one line, e.g. "demographic_parity_difference 0.0123 (gender)" */
	char *tool_version;  /**< "aims 0.1.0" */
	char *digest;        /**< sha256: of the canonical record (what the ledger entry names) */
	char *model;         /**< the model version evaluated (NAME@VERSION), NULL when not recorded */
	char *model_digest;  /**< its artifact digest when recorded, NULL when unknown */
	char *inputs;        /**< JSON array; only filled by aims_eval_get */
	char *params;        /**< JSON object; only filled by aims_eval_get */
	char *results;       /**< JSON object; only filled by aims_eval_get */
} aims_eval_result;

typedef struct {
	aims_eval_result *items;
	size_t count;
} aims_eval_results;

/** Stored results, oldest first; `system` and `kind` (either may be NULL) filter. */
int aims_eval_list(aims_eval_results **out, aims_store *store, const char *system, const char *kind);
void aims_eval_results_free(aims_eval_results *list);

/**
 * The JSON of a stored result, as `aims eval list|show --json` and the API
 * give it: {"id", "system", "kind", "recorded_at", "controls": [ID],
 * "summary", "tool_version", "digest"}, plus "inputs", "params" and
 * "results" when the result has them (from aims_eval_get). Caller decrefs.
 */
json_t *aims_eval_result_json(const aims_eval_result *r);

/** One stored result with its inputs, parameters and results; AIMS_ENOTFOUND naming the id. */
int aims_eval_get(aims_eval_result **out, aims_store *store, const char *id);
void aims_eval_result_free(aims_eval_result *res);

#ifdef __cplusplus
}
#endif
#endif
