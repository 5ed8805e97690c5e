/*
 * Tabular input for evaluations: a streaming reader of CSV (RFC 4180) and
 * NDJSON files, plain or gzip-compressed, and of an AI system's decision
 * log, giving one row at a time as an array of string fields with memory
 * bounded by the longest record. It counts rows read, rows the caller
 * skipped and missing values per column, and hashes the input bytes so an
 * evaluation can record exactly what it read. Rules: docs/evaluation.md.
 *
 * - CSV: a header row names the columns; quoted fields may hold commas,
 *   quotes ("") and newlines; LF or CRLF line ends; a UTF-8 byte-order mark
 *   is dropped; a blank line is skipped. Every record must have as many
 *   fields as the header (a ragged row is an error naming file and line).
 * - NDJSON: one JSON object per line; nested objects are flattened with
 *   '.' (`{"output":{"pred":1}}` gives column `output.pred`); numbers,
 *   true and false are given as written; an array as its JSON text. The
 *   columns are the keys of the first object; a key first seen later adds a
 *   column (missing in the rows before).
 * - A value is missing (field NULL) when a CSV field is empty (quoted or
 *   not), or an NDJSON key is absent, null or "".
 * - Input starting with the gzip magic bytes 1f 8b is decompressed (zlib);
 *   NDJSON is chosen by the name (.ndjson or .jsonl, before an optional
 *   .gz) or when the first non-blank byte is '{'. "-" is standard input.
 */
#ifndef AIMS_ROWS_H
#define AIMS_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest record (line, or lines of one quoted CSV record): 16 MiB. */
#define AIMS_ROWS_MAX_RECORD ((size_t)16 << 20)
/** Most columns of an input. */
#define AIMS_ROWS_MAX_COLS 4096

typedef struct aims_rows aims_rows;

/**
 * Open a CSV or NDJSON file ("-" = standard input), gzip-compressed or
 * not, and read its header (CSV) or first object (NDJSON). AIMS_ENOTFOUND
 * when the file does not exist, AIMS_EINVALID for an unreadable file or a
 * bad header/first record (named by file and line). Free with aims_rows_free().
 */
int aims_rows_open(aims_rows **out, const char *path);

/**
 * Read an open stream (a file or standard input on the command line, an
 * HTTP request body on the server) as aims_rows_open reads a file: in
 * chunks, with memory bounded by the longest record, gzip detected by its
 * magic bytes. The stream is not closed. `name` is used in messages ("-"
 * is shown as "(stdin)") and, by its suffix, chooses NDJSON as a file name
 * does.
 */
int aims_rows_open_stream(aims_rows **out, FILE *f, const char *name);

/**
 * Read from memory (not copied: keep it alive while reading); `name` is
 * used in messages; `ndjson` forces NDJSON (else detected from the name
 * and content as for files). Used by tests and fuzzing.
 */
int aims_rows_open_mem(aims_rows **out, const char *data, size_t len, const char *name, int ndjson);

/**
 * The decision log of AI system `system` as NDJSON rows (the canonical
 * records: time, model, input_digest, output.*, confidence, review.*...),
 * only records whose `time` is in [since, until) (RFC 3339; either may be
 * NULL for no bound; compared as instants). Pruned records are left out
 * and counted as skipped. The selected records are collected in memory
 * (one pass over the log). The name in messages is "decisions:SYSTEM" and
 * the line of a row is its record index in the log plus one.
 * AIMS_ENOTFOUND when the system has no decision log.
 */
int aims_rows_open_decisions(aims_rows **out, aims_store *store, const char *system,
			     const char *since, const char *until);

/** Free the reader (and close the file). NULL is fine. */
void aims_rows_free(aims_rows *r);

/** Number of columns (may grow while reading NDJSON). */
size_t aims_rows_ncols(const aims_rows *r);

/** Name of column i (borrowed), or NULL when i is out of range. */
const char *aims_rows_colname(const aims_rows *r, size_t i);

/**
 * Index of the column named `name`, or AIMS_ENOTFOUND with the message
 * "'f.csv': no column 'x' (columns: a, b, c)".
 */
int aims_rows_col(const aims_rows *r, const char *name);

/**
 * Read the next row: 1 with *fields and *lens set (arrays of
 * aims_rows_ncols() entries, borrowed until the next call; a field is
 * NUL-terminated, NULL when missing, lens[i] its length), 0 at the end,
 * or a negative code with a message naming the file and line (ragged row,
 * unterminated quote, bad JSON, record too long, corrupt gzip).
 */
int aims_rows_next(aims_rows *r, const char *const **fields, const size_t **lens);

/** Line on which the current row starts (1-based). */
uint64_t aims_rows_line(const aims_rows *r);

/** Rows returned by aims_rows_next so far. */
uint64_t aims_rows_read(const aims_rows *r);

/**
 * Rows skipped: marked by the caller with aims_rows_skip() (evaluations
 * skip a row with a missing value in a column they need) plus, for
 * decision logs, pruned records.
 */
uint64_t aims_rows_skipped(const aims_rows *r);

/** Mark the current row as skipped (counted once per row). */
void aims_rows_skip(aims_rows *r);

/** Missing values seen so far in column `col` (over all rows read, skipped or not). */
uint64_t aims_rows_missing(const aims_rows *r, size_t col);

/** The name used in messages (the path, "(stdin)" or "decisions:SYSTEM"). */
const char *aims_rows_name(const aims_rows *r);

/** Whether the input is NDJSON (1) or CSV (0). */
int aims_rows_is_ndjson(const aims_rows *r);

/**
 * SHA-256 of the input bytes as read (the compressed bytes of a gzip file;
 * for a decision log, its selected canonical records each followed by a
 * newline) as "sha256:<64 hex>". Valid once aims_rows_next returned 0,
 * AIMS_EUSAGE before.
 */
int aims_rows_digest(char out[72], const aims_rows *r);

#ifdef __cplusplus
}
#endif
#endif
