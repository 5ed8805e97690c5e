/*
 * Internal parts of the binary-classification evaluations shared by
 * fairness.c (the one pass over the rows, group fairness), performance.c
 * (whole-population metrics) and eval_report.c (HTML). Not public API.
 */
#ifndef AIMS_EVAL_INTERNAL_H
#define AIMS_EVAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/eval.h"
#include "core/core.h"
#include "core/json.h"

#define AIMS__ECE_BINS 10
#define AIMS__KEY_BLOCK ((size_t)1 << 20)

/* confusion counts; positive = the positive label */
typedef struct {
	uint64_t tp, fp, tn, fn;
} aims__conf;

/* whole-population accumulator */
typedef struct {
	int with_score;
	aims__conf c;
	double sum_logloss, sum_brier;
	uint64_t bin_n[AIMS__ECE_BINS];
	double bin_score[AIMS__ECE_BINS], bin_pos[AIMS__ECE_BINS];
	/*
	 * (score bits << 1 | label) of every row, for ROC AUC; see performance.c.
	 * Kept in blocks of AIMS__KEY_BLOCK so that growing never copies; each
	 * block is sorted on its own at the end and the blocks are merged.
	 */
	uint64_t **blocks;
	size_t nblocks, capblocks;
	size_t lastcap;   /* keys the last block has room for */
	size_t nkeys;
	/*
	 * After a merge the blocks are no longer all full but the last: blen
	 * holds each block's count (NULL before; no row is added after a merge).
	 * sorted: every block is sorted already (aims__perf_presort).
	 */
	size_t *blen;
	int sorted;
} aims__perf;

static inline void aims__conf_add(aims__conf *c, int y, int yhat)
{
	if (y)
		yhat ? c->tp++ : c->fn++;
	else
		yhat ? c->fp++ : c->tn++;
}

/**
 * Parse a score: a decimal number (optional sign, digits, fraction,
 * exponent) correctly rounded to the nearest double, as strtod does. 0, or
 * -1 when the text is not a finite number.
 */
int aims__parse_score(double *out, const char *s, size_t n);

int aims__perf_init(aims__perf *p, int with_score);
void aims__perf_release(aims__perf *p);

/* Add one row; score in [0, 1] when with_score. */
int aims__perf_add(aims__perf *p, int y, int yhat, double score);

/** Sort every block of keys (so that merging accumulators keeps them sorted). */
int aims__perf_presort(aims__perf *p);

/** Add src's rows to dst: counts and sums, and src's key blocks (moved, src is left empty). */
int aims__perf_merge(aims__perf *dst, aims__perf *src);

/** The performance figures as members of `obj` (confusion matrix, metrics, curves, undefined). */
int aims__perf_json(json_t *obj, aims__perf *p);

/** A rate num/den as JSON, or null and a reason in `undef` under `key` when den is 0. */
json_t *aims__rate(uint64_t num, uint64_t den, json_t *undef, const char *key, const char *why);

/** A double as JSON (never NaN: the callers check). */
json_t *aims__real(double v);

#endif
