/*
 * One pass over an evaluation input for several evaluations at once, on
 * every core: the input (a CSV/NDJSON file, gzip allowed, or a window of an
 * AI system's decision log) is cut into blocks at record boundaries, worker
 * threads parse the blocks and feed their own accumulators for fairness,
 * performance and the current side of a drift comparison, and the
 * accumulators are merged at the end. The figures are those of
 * aims_eval_binary (eval.h) and aims_drift_run (drift.h) on the same data:
 * counts, drift statistics and ROC AUC are identical; sums (log loss, Brier
 * score, calibration) may differ in the last bits because they are added in
 * another order. This is what a monitoring run uses (pdca.h); rules in
 * docs/monitoring.md.
 */
#ifndef AIMS_EVALPASS_H
#define AIMS_EVALPASS_H

#include <stdint.h>

#include "drift.h"
#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AIMS_EVAL_PASS_OPTIONS_VERSION 1

typedef struct {
	unsigned version;                       /* AIMS_EVAL_PASS_OPTIONS_VERSION */
	const aims_eval_options *binary;        /* label, pred, score, groups: for fairness and performance */
	int fairness, performance;              /* which of the two (binary must be set for either) */
	const aims_drift_source *drift_reference; /* drift of the input against this reference; NULL: no drift */
	const aims_drift_options *drift;        /* NULL: the defaults */
	unsigned threads;                       /* 0: one per online core */
	size_t block_size;                      /* bytes per block; 0: 4 MiB */
} aims_eval_pass_options;

#define AIMS_EVAL_PASS_OPTIONS_INIT { AIMS_EVAL_PASS_OPTIONS_VERSION, NULL, 0, 0, NULL, NULL, 0, 0 }

typedef struct {
	char *fairness;              /* JSON as aims_eval_binary makes it (free()), or NULL */
	char *performance;           /* likewise */
	aims_drift *drift;           /* aims_drift_free(), or NULL */
	char digest[72];             /* "sha256:..." of the input as read */
	uint64_t rows;               /* rows read */
	unsigned threads;            /* worker threads used */
	size_t blocks;               /* blocks the input was cut into */
} aims_eval_pass_result;

/**
 * Read `input` once and compute what the options ask for. Bad input names
 * the file, line and column (the first bad row of the input, whichever
 * thread met it). `input->path` "-" reads standard input. For a decision
 * log window, input->store, system, since and until as in drift.h. Release
 * the result with aims_eval_pass_result_release() (also after an error).
 */
int aims_eval_pass(aims_eval_pass_result *out, const aims_drift_source *input, const aims_eval_pass_options *opts);

void aims_eval_pass_result_release(aims_eval_pass_result *r);

#ifdef __cplusplus
}
#endif
#endif
