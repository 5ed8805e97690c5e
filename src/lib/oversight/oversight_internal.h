/*
 * Internal to the oversight module: a small scanner that finds members of a
 * JSON object without building a tree (review selection runs on every
 * ingested decision and must stay cheap), and helpers the gate and review
 * code share.
 */
#ifndef AIMS_OVERSIGHT_INTERNAL_H
#define AIMS_OVERSIGHT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/auth.h"
#include "aims/oversight.h"
#include "core/core.h"

/** A value inside a JSON text: its bytes as written. */
typedef struct {
	const char *p;
	size_t n;
} aims__jspan;

/**
 * The values of the members `keys[0..nkeys)` of the JSON object `s` (first
 * occurrence of each; n = 0 when absent), in one pass over its top level.
 * 0, or -1 when `s` is not one well-formed JSON object (nesting deeper than
 * 64 counts as malformed).
 */
int aims__jscan_members(aims__jspan *vals, const char *const *keys, size_t nkeys, const char *s, size_t n);

/** The value at dotted `path` ("a.b") inside the object span `obj`: 1 found, 0 not, -1 malformed. */
int aims__jscan_path(aims__jspan *out, aims__jspan obj, const char *path);

/** Whether the value `v` is the string `text`, or a number/true/false/null written exactly as `text`. */
int aims__jscan_is(aims__jspan v, const char *text);

/** A number value as a double (any length): 0, -1 when `v` is not a JSON number, AIMS_ENOMEM. */
int aims__jscan_number(double *out, aims__jspan v);

/** A string value decoded (caller frees): 0, or -1 when `v` is not a JSON string. */
int aims__jscan_string(char **out, aims__jspan v);

/**
 * The review rules compiled for the ingest's selector (scan.c): each
 * path split and each text measured once, so that matching a canonical
 * record with its member spans (aims_review_match_members' contract and
 * result) costs a few byte comparisons. `rules` must outlive the matcher.
 */
typedef struct aims__review_matcher aims__review_matcher;
int aims__review_matcher_new(aims__review_matcher **out, const aims_policy_review *rules, uint64_t system_hash);
void aims__review_matcher_free(aims__review_matcher *mt);
int aims__review_matcher_run(unsigned *reasons, const aims__review_matcher *mt, uint64_t index, const char *record,
			     size_t len, const aims_decision_members *m);
uint64_t aims__review_system_hash(const char *system);

/* One selection of the review queue: its entry, leaf hash (hex) and reasons (bits). */
typedef struct {
	uint64_t index;
	char leaf[65];
	unsigned reasons;
} aims__review_pick;

/* The line "INDEX LEAF_HASH REASONS\n" of a selection, as the 'select' ledger entries digest it and a pack
 * holds it; its length, or -1 when it does not fit in `size`. */
int aims__review_queue_line(char *out, size_t size, uint64_t index, const char *leaf, long long reasons);

/*
 * A pack's text read back (oversight/review.c): exactly `n` lines as
 * aims__review_queue_line writes them (no leading zeros, a 64-digit
 * lowercase hex leaf hash), each entry in [lo, hi], into *items (grown as
 * needed, *cap its room). 0 when it reads so; 1 when it does not, with *bad
 * the first line that does not (0: the count of lines); an error code when
 * memory runs out.
 */
int aims__review_pack_read(aims__review_pick **items, size_t *cap, const char *text, size_t len, int64_t n,
			   int64_t lo, int64_t hi, int64_t *bad);

/** The store's principal, refused (AIMS_EAUTH) when none is set. */
int aims__ov_principal(const aims_principal **out, aims_store *store);

/** Role names of a principal's bits, "a,b" (static buffer per call site is the caller's). */
void aims__ov_roles(char *out, size_t size, unsigned roles);

/**
 * Match approvers to required counts of roles: each approver (role bits)
 * fills at most one slot, a slot needs its role; have[i] gets the slots of
 * requirement i filled (a maximum bipartite matching). n approvers <= 64.
 */
void aims__ov_match(int *have, const aims_policy_approval *req, size_t nreq, const unsigned *approver_roles,
		    size_t napprovers);

/** The JSON of canonical bytes as stored: keys sorted, compact, ASCII, DEL escaped. *out: free(). */
int aims__ov_canonical(char **out, size_t *len, const json_t *v);

#endif
