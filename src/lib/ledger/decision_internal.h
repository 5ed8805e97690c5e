/*
 * Internals of the decision logs shared by decision.c, decision_canon.c,
 * decision_canon_ref.c, the unit tests and the fuzz harnesses: the strict
 * single-pass canonicalizer with reusable scratch buffers, and the
 * jansson-based reference canonicalization it is fuzzed against.
 */
#ifndef AIMS_DECISION_INTERNAL_H
#define AIMS_DECISION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/** Scratch state of the canonicalizer, reused from record to record. */
typedef struct aims__dcanon aims__dcanon;

int aims__dcanon_new(aims__dcanon **out);
void aims__dcanon_free(aims__dcanon *c);

/** Fields of a record the layers above the log check (borrowed until the next call). */
typedef struct {
	const char *model;          /**< decoded `model` (name@version), NULL when absent */
	size_t model_len;
	const char *model_digest;   /**< `model_digest` (sha256:<64 hex>), NULL when absent */
} aims__dfields;

/**
 * The canonical bytes of one NDJSON line (docs/ledger.md, "Canonical
 * record") into out, which has room for AIMS_DECISION_RECORD_MAX bytes;
 * *len gets their length. f (may be NULL) gets the fields above.
 * AIMS_EINVALID naming the field or the column at fault.
 */
int aims__dcanon_run(aims__dcanon *c, char *out, size_t *len, const char *line, size_t n,
		     aims__dfields *f);

/**
 * The same canonical form computed with jansson (parse, check the fields,
 * dump with JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII plus the two
 * rules of our own). It is the executable specification that
 * fuzz/decision_canon_diff.c and the unit tests hold the scanner to, byte
 * for byte; it is not used on the ingest path. *out: free().
 */
int aims__decision_canonical_ref(char **out, size_t *len, const char *line, size_t n);

#endif
