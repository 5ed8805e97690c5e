/*
 * What the governance log, the decision logs and their verification share
 * inside the ledger module (not part of the public API).
 */
#ifndef AIMS_LEDGER_INTERNAL_H
#define AIMS_LEDGER_INTERNAL_H

#include <stdint.h>

#include "aims/ledger.h"
#include "aims/decision.h"

/* the object id of a prune record: "<log> below <K>" (object type "ledger", action "prune") */
#define AIMS__PRUNE_TYPE "ledger"
#define AIMS__PRUNE_BELOW " below "

/* a checkpoint given from outside the store (aims ledger verify --trusted) */
typedef struct {
	int have;
	uint64_t size;
	uint8_t root[32];
} aims__trusted_cp;

/* how to verify one decision log, and what verifying it found */
typedef struct {
	const char *const *vkeys;  /* the log key(s): never empty here */
	size_t nvkeys;
	const char *const *wkeys;  /* witness (cosigner) keys */
	size_t nwkeys;
	aims__trusted_cp trusted;
	int have_bound;            /* prune_bound is given (else it is looked up) */
	uint64_t prune_bound;      /* records below this index may have been pruned */
} aims__dverify_opts;

typedef struct {
	uint64_t entries, checkpoints, tiles, pruned, cosigned, covered;
	int64_t first_bad;
} aims__dverify_stats;

int aims__decision_verify(aims_store *store, const char *system, const aims__dverify_opts *o,
			  aims__dverify_stats *st);

/* aims__decision_verify of a log kept in the store (decision_db.c); origin as registered */
int aims__ddb_verify(aims_store *store, const char *system, const char *origin, const aims__dverify_opts *o,
		     aims__dverify_stats *stats);

/* a governance entry that created decision log `system`: its index (or -1) */
int aims__decision_created(int64_t *idx, aims_store *store, const char *system);

/*
 * The largest K of the prune records "<log> below K" in the governance log
 * that a signed checkpoint covers (all of them when no key is set up): the
 * entries of `log` below K may have lost their bodies. 0 when none.
 */
int aims__prune_bound(uint64_t *bound, aims_store *store, const char *log);

/* "<log> below <K>" -> K; -1 when `object_id` is not the prune record of `log` */
int aims__prune_record_parse(uint64_t *k, const char *object_id, const char *log);

/* a prune record seen while walking the governance log */
typedef struct {
	char *log;
	uint64_t k;
	int64_t idx;
} aims__prune_rec;

/* verifying the governance log: what to check it with, and what it found */
typedef struct {
	/* in */
	const char *const *vkeys;
	size_t nvkeys;
	const char *const *wkeys;
	size_t nwkeys;
	aims__trusted_cp trusted;
	/* each entry in order, after it verified (NULL: none) */
	int (*on_entry)(void *arg, int64_t idx, const char *type, const char *id, const char *action,
			const char *new_digest, int pruned);
	void *arg;
	/* out */
	aims_ledger_verify_stats *stats;
	aims__prune_rec *prunes;   /* the prune records of every log */
	size_t nprunes, cprunes;
	int keyed;                 /* a signing key is set up */
} aims__gov_ctx;

int aims__gov_verify(aims_store *s, aims__gov_ctx *c);
void aims__gov_ctx_release(aims__gov_ctx *c);
/* after aims__gov_verify: the largest prune bound of `log` under a signed checkpoint */
uint64_t aims__gov_prune_bound(const aims__gov_ctx *c, const char *log);
/* the given verifier keys, or the recorded one (*owned, to free; `one` holds it) */
int aims__ledger_resolve_vkeys(const char *const **vkeys, size_t *nvkeys, char **owned, const char **one,
			       aims_store *s);

/* the latest checkpoint note of decision log `system`, read-only; AIMS_ENOTFOUND when none */
int aims__decision_checkpoint_read(char **note, size_t *len, aims_store *store, const char *system);

/* base64 (RFC 4648, padded) of n bytes into out (4 * ((n + 2) / 3) + 1 bytes) */
void aims__base64(char *out, const unsigned char *in, size_t n);

#endif
