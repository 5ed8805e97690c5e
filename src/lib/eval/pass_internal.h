/*
 * Internal pieces of the one-pass, many-core evaluation (evalpass.c): the
 * input cut into blocks at record boundaries (blocks.c), a rows reader over
 * one block (rows.c), and accumulators that each worker thread fills from
 * its blocks and that are merged at the end: fairness and performance
 * (fairness.c, performance.c) and the current side of a drift comparison
 * (drift.c). Not public API.
 */
#ifndef AIMS_EVAL_PASS_INTERNAL_H
#define AIMS_EVAL_PASS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/drift.h"
#include "aims/eval.h"
#include "aims/rows.h"
#include "aims/store.h"

/* ---- rows.c ---- */

/**
 * A reader over one block of a larger input: `data` holds whole records
 * (for CSV after the first block: the input's header record first), read
 * as aims_rows_open_mem does, without a digest of its own (the block
 * source hashes the whole input). Lines are counted from `first_line`; for
 * a decision-log selection, `line_map` (borrowed) maps each NDJSON line of
 * the whole selection to its record index.
 */
int aims__rows_open_block(aims_rows **out, const char *data, size_t len, const char *name, int ndjson,
			  uint64_t first_line, const uint64_t *line_map, size_t nline_map);

/**
 * The records of a system's decision log whose time is in [since, until),
 * as NDJSON in memory (*mem, aims__free) with the record index of each line
 * (*map, aims__free) and the count of pruned records left out. The errors
 * of aims_rows_open_decisions.
 */
int aims__rows_select_decisions(char **mem, size_t *len, uint64_t **map, size_t *nmap, uint64_t *pruned,
				aims_store *store, const char *system, const char *since, const char *until);

/* ---- blocks.c: an input cut at record boundaries, handed out to several threads ---- */

typedef struct aims__blocks aims__blocks;

typedef struct {
	char *data;              /* the block (owned by the caller of next; reused from call to call) */
	size_t len, cap;
	uint64_t first_line;     /* line of data[0] */
	size_t index;            /* 0, 1, ... in input order */
	uint64_t bytes;          /* decoded input bytes covered so far, for estimates */
} aims__block;

/** A file ("-" = standard input; gzip allowed). `block_size` 0 = 4 MiB. */
int aims__blocks_open_file(aims__blocks **out, const char *path, size_t block_size);

/**
 * A decision-log selection in memory (taken: freed with the source); `name`
 * is used in messages, `pruned` is the number of records left out.
 */
int aims__blocks_open_mem(aims__blocks **out, char *mem, size_t len, uint64_t *line_map, size_t nline_map,
			  uint64_t pruned, const char *name, size_t block_size);

/**
 * The next block into blk (its buffer grows as needed): 1, 0 at the end of
 * the input, negative on a read error (named by file and line). Several
 * threads may call it; the reading itself is serialized. After an error
 * every later call fails too.
 */
int aims__blocks_next(aims__blocks *b, aims__block *blk);

/** Stop handing out blocks after index `last` (an error was found in it). */
void aims__blocks_stop_after(aims__blocks *b, size_t last);

void aims__block_release(aims__block *blk);

/** Blocks handed out so far. */
size_t aims__blocks_count(const aims__blocks *b);

/** Whether the input is NDJSON; its name in messages; the total size when known (0 otherwise). */
int aims__blocks_ndjson(const aims__blocks *b);
const char *aims__blocks_name(const aims__blocks *b);
uint64_t aims__blocks_size_hint(const aims__blocks *b);
/** Decision logs: the line map and pruned records. */
const uint64_t *aims__blocks_line_map(const aims__blocks *b, size_t *n);
uint64_t aims__blocks_pruned(const aims__blocks *b);

/** "sha256:<hex>" of the input bytes as read (the compressed bytes of a gzip file); after the end. */
int aims__blocks_digest(char out[72], const aims__blocks *b);

void aims__blocks_free(aims__blocks *b);

/* ---- fairness.c, performance.c: the binary-classification accumulator ---- */

typedef struct aims__bin aims__bin;

/** An accumulator for fairness (when `fairness`) and performance; the options are checked here. */
int aims__bin_new(aims__bin **out, const aims_eval_options *o, int fairness);

/**
 * Bind the columns of a reader before its rows. `first` (the input's first
 * block or the whole input) requires every column; a later NDJSON block may
 * lack one (its rows then count as missing in it).
 */
int aims__bin_bind(aims__bin *b, aims_rows *rows, int first);

/** One row of the bound reader (a row with a missing value is counted as skipped). */
int aims__bin_row(aims__bin *b, aims_rows *rows, const char *const *f, const size_t *l);

/** Add src's rows to dst (src is left empty). */
int aims__bin_merge(aims__bin *dst, aims__bin *src);

/** Sort the scores kept for ROC AUC (a worker sorts its own before the merge). */
int aims__bin_presort(aims__bin *b);

/** Rows used so far. */
uint64_t aims__bin_used(const aims__bin *b);

typedef struct {
	const char *name;        /* the input's name */
	const char *digest;      /* "sha256:..." */
	int ndjson;
	uint64_t rows_read;
	uint64_t rows_pruned;    /* decision-log records left out (counted as skipped) */
} aims__bin_input;

/**
 * The fairness and performance documents (either pointer may be NULL; free
 * with free()), as aims_eval_binary makes them. AIMS_EINVALID when no row
 * was usable.
 */
int aims__bin_json(char **fairness, char **performance, aims__bin *b, const aims__bin_input *in);

void aims__bin_free(aims__bin *b);

/* ---- drift.c: the current side of a comparison, filled by several threads ---- */

typedef struct aims__drift_part aims__drift_part;

/**
 * Start a comparison: options checked, the columns taken from the reference
 * (or the options), the reference not read yet (aims__drift_read_reference
 * may run on another thread while parts are filled).
 */
int aims__drift_begin(aims_drift **out, const aims_drift_source *ref, const aims_drift_options *opts);

/** Read the whole reference side. */
int aims__drift_read_reference(aims_drift *d);

int aims__drift_part_new(aims__drift_part **out, aims_drift *d);

/** Bind a reader's columns (`first`: the first block, where every column must exist for CSV). */
int aims__drift_part_bind(aims__drift_part *p, aims_rows *rows, int first);

int aims__drift_part_row(aims__drift_part *p, aims_rows *rows, const char *const *f, const size_t *l);

/** Make room for about `n` values per numeric column (an estimate; growth goes on as usual). */
int aims__drift_part_reserve(aims__drift_part *p, uint64_t n);

/** Sort the part's values (its worker does, so that the merge keeps them sorted and nothing is sorted after). */
int aims__drift_part_presort(aims__drift_part *p);

/** Move the part's values and counts into the comparison's current side (p is left empty). */
int aims__drift_part_merge(aims_drift *d, aims__drift_part *p);

void aims__drift_part_free(aims__drift_part *p);

/**
 * Finish: name, digest and row count of the current input; sides whose
 * category counts are incomplete are read again from `cur` (the reference
 * from its own source); then every column's figures.
 */
int aims__drift_end(aims_drift *d, const aims_drift_source *cur, const char *cur_digest, uint64_t cur_rows);

#endif
