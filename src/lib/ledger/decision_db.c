/*
 * Decision logs kept in the store (include/aims/decision.h, docs/ledger.md
 * "Decision logs in PostgreSQL"): the same RFC 9162 tree, C2SP tiles and
 * signed checkpoints as the files beside a SQLite store, held in three
 * tables, so that every node of a PostgreSQL installation serves the same
 * proofs and receipts and losing a node loses nothing acknowledged.
 *
 *   ledger_decision_entries      (log, idx) -> canonical record (NULL once pruned)
 *   ledger_decision_tiles        (log, level, idx) -> the tile's hashes, width = length / 32
 *   ledger_decision_checkpoints  (log, seq) -> every signed checkpoint, in order
 *
 * One sequencer per log: a writer holds the store's named lock
 * "decision/NAME" (a PostgreSQL session advisory lock, so it is released
 * when its node dies) from open to free. A batch is one transaction: its
 * rows are inserted as they are appended, and at commit its tiles, the
 * batch, the committed head and the governance audit entry are written and
 * the transaction commits; only then is the batch acknowledged. A batch
 * that does not commit (a bad line, a duplicate, a crash, a killed node)
 * leaves nothing behind, so there is no torn tail to recover. The
 * transaction takes the database's writers' turn only at commit, so a long
 * ingest does not hold up the other writers (aims__store_begin_deferred).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/decision.h"
#include "aims/ledger.h"
#include "aims/merkle.h"
#include "core/core.h"
#include "ledger/decision_internal.h"
#include "ledger_internal.h"
#include "store/store_internal.h"

#define TLEVELS 8
#define TW AIMS_MERKLE_TILE_WIDTH
#define TILE_BYTES (TW * 32)
#define MANY 64                          /* rows per multi-row INSERT */
#define PENDING_BYTES ((size_t)4 << 20)  /* record bytes held before they are sent */
#define READ_BYTES ((size_t)8 << 20)     /* rows per SELECT when reading entries: about this many bytes */

struct aims__ddb {
	aims_store *store;
	char *name, *origin;
	char id[96], lock[96];
	aims_decision_options opts;
	int writer, locked, in_tx;
	aims_merkle_frontier *f;
	uint8_t (*tile)[TW][32];          /* the current (partial) tile of each level */
	unsigned width[TLEVELS];
	uint64_t tindex[TLEVELS];
	uint64_t size, durable;
	uint8_t head_root[32];
	int in_batch;
	aims__sha256 *bdig;               /* the batch digest: SHA-256 over its leaf hashes */
	aims_buf pend;                    /* records not yet sent: 4-byte length, bytes */
	uint32_t npend;
	uint64_t pend_first;              /* index of the first of them */
	aims__stmt *ins_one, *ins_many, *tile_put;
	int has_cp;
	uint64_t cp_size;
	uint8_t cp_root[32];
	char *sign_err;
};

uint64_t aims__ddb_size(const aims__ddb *d)
{
	return d->size;
}

uint64_t aims__ddb_durable(const aims__ddb *d)
{
	return d->durable;
}

/* ---- reading tiles: the hash reader for proofs and for loading the frontier ---- */

typedef struct {
	aims_store *store;
	const char *id, *name;
	uint64_t size;                 /* tiles of the tree of this size */
	aims__stmt *st;
	int have[TLEVELS];
	uint64_t idx[TLEVELS];
	size_t len[TLEVELS];
	uint8_t data[TLEVELS][TILE_BYTES];
} dreader;

/* rows per SELECT for results of about READ_BYTES, from the last result's bytes per row (libpq holds a
 * whole result in memory) */
static uint64_t rows_for(size_t bytes, uint64_t got)
{
	uint64_t fit = READ_BYTES / (bytes / got + 1);
	return fit < 16 ? 16 : fit > 4096 ? 4096 : fit;
}

static void dreader_release(dreader *r)
{
	if (r)
		aims__stmt_free(r->st);
}

static int dreader_init(dreader **out, aims_store *store, const char *id, const char *name, uint64_t size)
{
	dreader *r = aims__calloc(1, sizeof(*r));
	if (!(*out = r))
		return aims__oom();
	r->store = store;
	r->id = id;
	r->name = name;
	r->size = size;
	return 0;
}

static void dreader_free(dreader *r)
{
	dreader_release(r);
	aims__free(r);
}

/* tile (L, idx) of at least w hashes into r->data[L] */
static int dreader_load(dreader *r, unsigned L, uint64_t idx, unsigned w)
{
	int err;
	if (r->have[L] && r->idx[L] == idx && r->len[L] >= (size_t)w * 32)
		return 0;
	if (!r->st && (err = aims__stmt_prepare(&r->st, r->store, "SELECT data FROM ledger_decision_tiles WHERE "
						"log = ? AND level = ? AND idx = ?")) < 0)
		return err;
	if ((err = aims__stmt_reset(r->st)) < 0 || (err = aims__stmt_bind_text(r->st, 1, r->id)) < 0 ||
	    (err = aims__stmt_bind_int64(r->st, 2, L)) < 0 || (err = aims__stmt_bind_int64(r->st, 3, (int64_t)idx)) < 0 ||
	    (err = aims__stmt_step(r->st)) < 0)
		return err;
	if (err == 0)
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile %u/%" PRIu64 " is missing from the store",
				 r->name, L, idx);
	size_t n = 0;
	const void *b = aims__stmt_blob(r->st, 0, &n);
	if (!b || n % 32 != 0 || n > TILE_BYTES || n < (size_t)w * 32)
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile %u/%" PRIu64 " in the store has %zu bytes, "
				 "not %u hashes", r->name, L, idx, n, w);
	memcpy(r->data[L], b, n);
	r->have[L] = 1;
	r->idx[L] = idx;
	r->len[L] = n;
	return 0;
}

static int dreader_hash(uint8_t out[32], unsigned level, uint64_t index, void *arg)
{
	dreader *r = arg;
	aims_merkle_tile t;
	int err;
	if ((err = aims_merkle_tile_for_hash(&t, level, index)) < 0)
		return err;
	if (t.level >= TLEVELS)
		return aims__err(AIMS_EINVALID, "no tile level %u", t.level);
	unsigned w = aims_merkle_tile_width(r->size, t.level, t.index);
	if (w < t.width)
		return aims__err(AIMS_EINVALID, "hash at level %u index %" PRIu64 " is not in the tree of size %" PRIu64,
				 level, index, r->size);
	if ((err = dreader_load(r, t.level, t.index, w)) < 0)
		return err;
	t.width = w;
	return aims_merkle_tile_hash(out, &t, r->data[t.level], (size_t)w * 32, level, index);
}

/* ---- the committed head, the tree and the latest checkpoint ---- */

static int head_read(aims_store *s, const char *id, const char *name, uint64_t *size, uint8_t root[32])
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT size, root FROM ledger_decision_heads WHERE log = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	size_t rl = 0;
	const void *r = err == 1 ? aims__stmt_blob(st, 1, &rl) : NULL;
	if (err == 0 || !r || rl != 32 || aims__stmt_type(st, 0) == AIMS__NULL || aims__stmt_int64(st, 0) < 0) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': its committed head is %s the store", name,
				err == 0 ? "missing from" : "malformed in");
		goto done;
	}
	*size = (uint64_t)aims__stmt_int64(st, 0);
	memcpy(root, r, 32);
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* the latest checkpoint: *note (free()) and its parsed size and root; AIMS_ENOTFOUND when none */
static int latest_cp(char **note, size_t *len, aims_checkpoint **cp, aims_store *s, const char *id,
		     const char *name)
{
	aims__stmt *st = NULL;
	int err;
	*note = NULL;
	*len = 0;
	if (cp)
		*cp = NULL;
	if ((err = aims__stmt_prepare(&st, s, "SELECT note FROM ledger_decision_checkpoints WHERE log = ? "
				      "ORDER BY seq DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "decision log '%s' has no checkpoint yet", name);
		goto done;
	}
	if ((err = aims__stmt_text_dup(note, st, 0)) < 0)
		goto done;
	*len = *note ? strlen(*note) : 0;
	err = cp ? aims__dlog_note_checkpoint(cp, *note ? *note : "", *len) : 0;
done:
	aims__stmt_free(st);
	if (err < 0) {
		aims__free(*note);
		*note = NULL;
	}
	return err;
}

/* the frontier, the partial tiles and the checkpoint of the committed head; its root must match */
static int load_state(aims__ddb *d)
{
	dreader *r = NULL;
	uint8_t root[32];
	int err;
	if ((err = head_read(d->store, d->id, d->name, &d->durable, d->head_root)) < 0)
		return err;
	d->size = d->durable;
	aims_merkle_frontier_reset(d->f);
	if ((err = dreader_init(&r, d->store, d->id, d->name, d->durable)) < 0)
		return err;
	if (d->durable > 0 && (err = aims_merkle_frontier_load(d->f, d->durable, dreader_hash, r)) < 0)
		goto done;
	if ((err = aims_merkle_frontier_root(root, d->f)) < 0)
		goto done;
	if (memcmp(root, d->head_root, 32) != 0) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the tiles in the store do not give the root "
				"committed for its %" PRIu64 " entries", d->name, d->durable);
		goto done;
	}
	for (unsigned L = 0; L < TLEVELS; L++) {
		uint64_t n = d->durable >> (8 * L);
		d->tindex[L] = n / TW;
		d->width[L] = (unsigned)(n % TW);
		if (d->width[L] == 0)
			continue;
		if ((err = dreader_load(r, L, d->tindex[L], d->width[L])) < 0)
			goto done;
		memcpy(d->tile[L], r->data[L], (size_t)d->width[L] * 32);
	}
	char *note = NULL;
	size_t nlen = 0;
	aims_checkpoint *cp = NULL;
	err = latest_cp(&note, &nlen, &cp, d->store, d->id, d->name);
	d->has_cp = err == 0;
	if (err == 0) {
		d->cp_size = cp->size;
		memcpy(d->cp_root, cp->root, 32);
	} else if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		err = 0;
	}
	aims__free(note);
	aims_checkpoint_free(cp);
done:
	dreader_free(r);
	return err;
}

/* ---- signing ---- */

static int sign_checkpoint(aims__ddb *d, uint64_t size, char **note_out)
{
	aims__stmt *st = NULL;
	char *text = NULL, *note = NULL, now[32];
	size_t tlen, nlen;
	uint8_t root[32];
	int err;

	if (note_out)
		*note_out = NULL;
	if ((err = aims_merkle_frontier_root(root, d->f)) < 0 ||
	    (err = aims_checkpoint_format(&text, &tlen, d->origin, size, root, NULL, 0)) < 0 ||
	    (err = aims_note_sign(&note, &nlen, text, tlen, d->opts.signer)) < 0)
		goto done;
	aims__time_now(now);
	if ((err = aims_store_begin(d->store)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, d->store, "INSERT INTO ledger_decision_checkpoints (log, seq, size, "
				      "note, signed_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM "
				      "ledger_decision_checkpoints WHERE log = ?), ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, d->id)) < 0 || (err = aims__stmt_bind_text(st, 2, d->id)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, (int64_t)size)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, note)) < 0 || (err = aims__stmt_bind_text(st, 5, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0 || (err = aims_store_commit(d->store)) < 0) {
		aims_store_rollback(d->store);
		goto done;
	}
	err = 0;
	d->has_cp = 1;
	d->cp_size = size;
	memcpy(d->cp_root, root, 32);
	if (note_out) {
		*note_out = note;
		note = NULL;
	}
done:
	aims__stmt_free(st);
	free(text);
	free(note);
	return err;
}

/* a checkpoint of the committed size when it has none; a failure is kept in d->sign_err */
static int sign_if_behind(aims__ddb *d)
{
	int err;
	if (!d->opts.signer || d->durable == 0 || (d->has_cp && d->cp_size == d->durable))
		return 0;
	if ((err = sign_checkpoint(d, d->durable, NULL)) < 0) {
		aims__free(d->sign_err);
		d->sign_err = aims__strdup(aims_error_last());
		return err;
	}
	aims__free(d->sign_err);
	d->sign_err = NULL;
	return 0;
}

/* ---- opening ---- */

void aims__ddb_free(aims__ddb *d)
{
	if (!d)
		return;
	if (d->in_tx) {
		aims_store_rollback(d->store);
		d->in_tx = 0;
	}
	aims__stmt_free(d->ins_one);
	aims__stmt_free(d->ins_many);
	aims__stmt_free(d->tile_put);
	if (d->locked)
		(void)aims__store_unlock(d->store, d->lock);
	aims_merkle_frontier_free(d->f);
	aims__sha256_free(d->bdig);
	aims_buf_release(&d->pend);
	aims__free(d->tile);
	aims__free(d->name);
	aims__free(d->origin);
	aims__free(d->sign_err);
	aims__free(d);
}

int aims__ddb_open(aims__ddb **out, aims_store *store, const char *system, const char *origin,
		   const aims_decision_options *opts)
{
	aims__ddb *d;
	int err, got = 0;

	*out = NULL;
	if (!(d = aims__calloc(1, sizeof(*d))))
		return aims__oom();
	d->store = store;
	d->opts = *opts;
	d->writer = opts->create || opts->write;
	aims_buf_init(&d->pend, 0);
	snprintf(d->id, sizeof(d->id), "decision/%s", system);
	snprintf(d->lock, sizeof(d->lock), "decision/%s", system);
	if (!(d->name = aims__strdup(system)) || !(d->origin = aims__strdup(origin)) ||
	    !(d->tile = aims__calloc(TLEVELS, sizeof(*d->tile)))) {
		err = aims__oom();
		goto fail;
	}
	if ((err = aims_merkle_frontier_new(&d->f)) < 0 || (err = aims__sha256_new(&d->bdig)) < 0)
		goto fail;
	/* the sequencer: one handle at a time, on any node, appends to a log */
	if (d->writer) {
		if ((err = aims__store_lock(store, d->lock, -1, &got)) < 0)
			goto fail;
		if (!got) {
			err = aims__err(AIMS_ECONFLICT, "decision log '%s': another writer holds it", system);
			goto fail;
		}
		d->locked = 1;
	}
	if ((err = load_state(d)) < 0)
		goto fail;
	if (d->writer) {
		/* rows past the committed head cannot come from a batch (it commits whole): foreign */
		aims__stmt *st = NULL;
		if ((err = aims__stmt_prepare(&st, store, "SELECT MIN(idx) FROM ledger_decision_entries WHERE log = ? "
					      "AND idx >= ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, d->id)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 2, (int64_t)d->durable)) < 0 || (err = aims__stmt_step(st)) < 0) {
			aims__stmt_free(st);
			goto fail;
		}
		if (err == 1 && aims__stmt_type(st, 0) != AIMS__NULL) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %lld in the store is beyond the %"
					PRIu64 " committed: a foreign append", system, (long long)aims__stmt_int64(st, 0),
					d->durable);
			aims__stmt_free(st);
			goto fail;
		}
		aims__stmt_free(st);
		/* a crash between a commit and its checkpoint: sign it now */
		(void)sign_if_behind(d);
	}
	*out = d;
	return 0;
fail:
	aims__ddb_free(d);
	return err;
}

/* ---- appending ---- */

static int send_one(aims__ddb *d, uint64_t idx, const void *rec, size_t len)
{
	int err;
	if (!d->ins_one && (err = aims__stmt_prepare(&d->ins_one, d->store, "INSERT INTO ledger_decision_entries "
						     "(log, idx, body) VALUES (?, ?, ?)")) < 0)
		return err;
	if ((err = aims__stmt_reset(d->ins_one)) < 0 || (err = aims__stmt_bind_text(d->ins_one, 1, d->id)) < 0 ||
	    (err = aims__stmt_bind_int64(d->ins_one, 2, (int64_t)idx)) < 0 ||
	    (err = aims__stmt_bind_blob(d->ins_one, 3, rec, len)) < 0 || (err = aims__stmt_step(d->ins_one)) < 0)
		return err;
	return 0;
}

/* send the records held, MANY to a statement; the rest one by one when `all`, else kept for the next */
static int flush_pending(aims__ddb *d, int all)
{
	const unsigned char *p = (const unsigned char *)d->pend.ptr;
	uint64_t idx = d->pend_first;
	uint32_t left = d->npend;
	int err;
	if (left >= MANY && !d->ins_many) {
		aims_buf q = AIMS_BUF_INIT;
		err = aims_buf_puts(&q, "INSERT INTO ledger_decision_entries (log, idx, body) VALUES ");
		for (int i = 0; err == 0 && i < MANY; i++)
			err = aims_buf_puts(&q, i ? ", (?, ?, ?)" : "(?, ?, ?)");
		if (err == 0)
			err = aims__stmt_prepare(&d->ins_many, d->store, q.ptr);
		aims_buf_release(&q);
		if (err < 0)
			return err;
	}
	while (left >= MANY) {
		if ((err = aims__stmt_reset(d->ins_many)) < 0)
			return err;
		for (int i = 0; i < MANY; i++) {
			uint32_t n;
			memcpy(&n, p, 4);
			if ((err = aims__stmt_bind_text(d->ins_many, 3 * i + 1, d->id)) < 0 ||
			    (err = aims__stmt_bind_int64(d->ins_many, 3 * i + 2, (int64_t)idx++)) < 0 ||
			    (err = aims__stmt_bind_blob(d->ins_many, 3 * i + 3, p + 4, n)) < 0)
				return err;
			p += 4 + n;
		}
		if ((err = aims__stmt_step(d->ins_many)) < 0)
			return err;
		left -= MANY;
	}
	while (all && left > 0) {
		uint32_t n;
		memcpy(&n, p, 4);
		if ((err = send_one(d, idx++, p + 4, n)) < 0)
			return err;
		p += 4 + n;
		left--;
	}
	size_t rest = d->pend.len - (size_t)(p - (const unsigned char *)d->pend.ptr);
	memmove(d->pend.ptr, p, rest);
	d->pend.len = rest;
	d->npend = left;
	d->pend_first = idx;
	return 0;
}

static int put_tile(aims__ddb *d, unsigned L, uint64_t idx, const void *data, unsigned w)
{
	int err;
	if (!d->tile_put && (err = aims__stmt_prepare(&d->tile_put, d->store, "INSERT INTO ledger_decision_tiles "
						      "(log, level, idx, data) VALUES (?, ?, ?, ?) ON CONFLICT "
						      "(log, level, idx) DO UPDATE SET data = excluded.data")) < 0)
		return err;
	if ((err = aims__stmt_reset(d->tile_put)) < 0 || (err = aims__stmt_bind_text(d->tile_put, 1, d->id)) < 0 ||
	    (err = aims__stmt_bind_int64(d->tile_put, 2, L)) < 0 ||
	    (err = aims__stmt_bind_int64(d->tile_put, 3, (int64_t)idx)) < 0 ||
	    (err = aims__stmt_bind_blob(d->tile_put, 4, data, (size_t)w * 32)) < 0 ||
	    (err = aims__stmt_step(d->tile_put)) < 0)
		return err;
	return 0;
}

int aims__ddb_append(aims__ddb *d, const void *record, size_t len)
{
	uint8_t leaf[32];
	int err;
	if (!d->writer)
		return aims__err(AIMS_EUSAGE, "decision log '%s' is not open for writing", d->name);
	if (len == 0 || len > AIMS_DECISION_RECORD_MAX)
		return aims__err(AIMS_EINVALID, "decision record of %zu bytes (1 to %zu)", len, AIMS_DECISION_RECORD_MAX);
	if (!d->in_batch) {
		if ((err = aims__store_begin_deferred(d->store)) < 0)
			return err;
		d->in_tx = 1;
		d->in_batch = 1;
		d->pend.len = 0;
		d->npend = 0;
		d->pend_first = d->size;
		unsigned char scratch[32];
		(void)aims__sha256_final(d->bdig, scratch);  /* a fresh digest */
	}
	if ((err = aims_merkle_frontier_append_entry(d->f, leaf, record, len)) < 0 ||
	    (err = aims__sha256_update(d->bdig, leaf, 32)) < 0)
		goto fail;
	uint32_t n = (uint32_t)len;
	if ((err = aims_buf_put(&d->pend, &n, 4)) < 0 || (err = aims_buf_put(&d->pend, record, len)) < 0)
		goto fail;
	d->npend++;
	d->size++;
	/* the stored hashes this record completed, into the tiles; a full tile is written at once */
	const uint8_t (*h)[32];
	size_t c = aims_merkle_frontier_completed(d->f, &h);
	for (unsigned L = 0; L < TLEVELS && (size_t)L * 8 < c; L++) {
		memcpy(d->tile[L][d->width[L]++], h[L * 8], 32);
		if (d->width[L] == TW) {
			if ((err = put_tile(d, L, d->tindex[L], d->tile[L], TW)) < 0)
				goto fail;
			d->width[L] = 0;
			d->tindex[L]++;
		}
	}
	/* at most PENDING_BYTES (plus one record) held: full statements go, a few large records one by one */
	if ((d->pend.len >= PENDING_BYTES || d->npend >= 16 * MANY) && (err = flush_pending(d, d->npend < MANY)) < 0)
		goto fail;
	return 0;
fail: {
	char why[512];
	snprintf(why, sizeof(why), "%s", aims_error_last());
	(void)aims__ddb_rollback(d);
	return aims__err(err, "%s", why);
}
}

int aims__ddb_rollback(aims__ddb *d)
{
	int err = 0;
	if (d->in_tx) {
		err = aims_store_rollback(d->store);
		d->in_tx = 0;
	}
	d->in_batch = 0;
	d->pend.len = 0;
	d->npend = 0;
	int e2 = load_state(d);
	return err < 0 ? err : e2;
}

int aims__ddb_commit(aims__ddb *d, const char *key, aims_decision_commit_info *info, int (*in_commit)(void *),
		     void *arg)
{
	uint8_t root[32], dg[32];
	char digest[72];
	uint64_t first = d->durable, count, f0 = 0, c0 = 0;
	int err, dup = 0;

	memset(info, 0, sizeof(*info));
	info->first = info->size = d->durable;
	if (!d->in_batch)
		return 0;
	count = d->size - d->durable;
	if ((err = flush_pending(d, 1)) < 0)
		goto fail;
	for (unsigned L = 0; L < TLEVELS; L++)
		if (d->width[L] > 0 && (err = put_tile(d, L, d->tindex[L], d->tile[L], d->width[L])) < 0)
			goto fail;
	if ((err = aims__sha256_final(d->bdig, dg)) < 0 || (err = aims_merkle_frontier_root(root, d->f)) < 0)
		goto fail;
	memcpy(digest, "sha256:", 7);
	aims__hex(digest + 7, dg, 32);
	snprintf(info->digest, sizeof(info->digest), "%s", digest);
	/* what others share from here on: the batches, the head, the governance log */
	if ((err = aims__store_writer_turn(d->store)) < 0)
		goto fail;
	if ((err = aims__dlog_batch_dup(d->store, d->name, key, digest, &f0, &c0)) < 0)
		goto fail;
	dup = err;
	if (dup) {
		if ((err = aims__ddb_rollback(d)) < 0)
			return err;
		info->duplicate = 1;
		info->first = f0;
		info->count = c0;
		info->size = d->durable;
		return 0;
	}
	if ((err = aims__dlog_batch_insert(d->store, d->name, key, digest, first, count)) < 0 ||
	    (err = aims__dlog_head_write(d->store, d->name, 0, d->durable, d->head_root, "import", d->size, 0,
					 root, NULL)) < 0 ||
	    (in_commit && (err = in_commit(arg)) < 0))
		goto fail;
	/* the checkpoint of the new size in the same transaction, so that no reader ever sees committed records
	 * without one; failing to sign (its own savepoint, rolled back) does not hold the records back */
	if (d->opts.signer) {
		if (sign_checkpoint(d, d->size, NULL) < 0) {
			aims__free(d->sign_err);
			d->sign_err = aims__strdup(aims_error_last());
			aims_error_clear();
		} else {
			aims__free(d->sign_err);
			d->sign_err = NULL;
		}
	}
	d->in_tx = 0;
	if ((err = aims_store_commit(d->store)) < 0) {
		aims_store_rollback(d->store);
		(void)load_state(d);
		d->in_batch = 0;
		return err;
	}
	/* committed: acknowledged from here on */
	d->in_batch = 0;
	d->durable = d->size;
	memcpy(d->head_root, root, 32);
	info->count = count;
	info->size = d->durable;
	if (d->opts.signer && !(d->has_cp && d->cp_size == d->durable))
		info->checkpoint_error = aims__strdup(d->sign_err ? d->sign_err : "checkpoint not signed");
	if (d->opts.on_ack)
		d->opts.on_ack(d->durable, d->opts.ack_arg);
	return 0;
fail: {
	char why[512];
	snprintf(why, sizeof(why), "%s", aims_error_last());
	(void)aims__ddb_rollback(d);
	return aims__err(err, "%s", why);
}
}

int aims__ddb_checkpoint(aims__ddb *d, char **note)
{
	aims_decision_commit_info info;
	int err;
	memset(&info, 0, sizeof(info));
	if ((err = aims__ddb_commit(d, NULL, &info, NULL, NULL)) < 0)
		return err;
	aims_decision_commit_info_release(&info);
	return sign_checkpoint(d, d->durable, note);
}

/* ---- reading ---- */

int aims__ddb_foreach(aims__ddb *d, uint64_t from, uint64_t limit, aims_decision_record_fn fn, void *arg)
{
	aims__stmt *st = NULL;
	dreader *r = NULL;
	uint64_t i = from, end = d->durable, rows = 64;
	int err = 0;
	if (limit && from + limit < end)
		end = from + limit;
	if (i >= end)
		return 0;
	if ((err = aims__stmt_prepare(&st, d->store, "SELECT idx, body FROM ledger_decision_entries WHERE log = ? "
				      "AND idx >= ? AND idx < ? ORDER BY idx LIMIT ?")) < 0)
		return err;
	while (i < end) {
		uint64_t got = 0;
		size_t bytes = 0;
		/* a whole result is held in memory (libpq): its rows sized by the last one's records */
		if ((err = aims__stmt_reset(st)) < 0 || (err = aims__stmt_bind_text(st, 1, d->id)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 2, (int64_t)i)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, (int64_t)end)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 4, (int64_t)rows)) < 0)
			goto done;
		while ((err = aims__stmt_step(st)) == 1) {
			uint8_t leaf[32];
			size_t n = 0;
			const void *b;
			if ((uint64_t)aims__stmt_int64(st, 0) != i) {
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " is missing from the "
						"store", d->name, i);
				goto done;
			}
			b = aims__stmt_blob(st, 1, &n);
			bytes += n + 32;
			if (aims__stmt_type(st, 1) == AIMS__NULL) {
				/* pruned: the leaf hash is in the level-0 tile */
				if (!r && (err = dreader_init(&r, d->store, d->id, d->name, d->durable)) < 0)
					goto done;
				if ((err = dreader_hash(leaf, 0, i, r)) < 0)
					goto done;
				b = NULL;
				n = 0;
			} else if ((err = aims_merkle_leaf_hash(leaf, b ? b : "", n)) < 0) {
				goto done;
			}
			if ((err = fn(i, (const char *)b, n, leaf, arg)) != 0)
				goto done;
			i++;
			got++;
		}
		if (err < 0)
			goto done;
		if (got > 0)
			rows = rows_for(bytes, got);
		if (got == 0) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " is missing from the store",
					d->name, i);
			goto done;
		}
	}
	err = 0;
done:
	aims__stmt_free(st);
	dreader_free(r);
	return err;
}

static int proof_reader(dreader **r, aims__ddb *d, uint64_t size)
{
	if (size > d->durable)
		return aims__err(AIMS_EINVALID, "decision log '%s' has %" PRIu64 " durable records, not %" PRIu64,
				 d->name, d->durable, size);
	return dreader_init(r, d->store, d->id, d->name, d->durable);
}

int aims__ddb_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims__ddb *d, uint64_t index, uint64_t size)
{
	dreader *r = NULL;
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = proof_reader(&r, d, size)) < 0)
		return err;
	err = aims_merkle_stored_inclusion_proof(proof, len, index, size, dreader_hash, r);
	dreader_free(r);
	return err;
}

int aims__ddb_consistency_proof(uint8_t (**proof)[32], size_t *len, aims__ddb *d, uint64_t old_size,
				uint64_t size)
{
	dreader *r = NULL;
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = proof_reader(&r, d, size)) < 0)
		return err;
	err = aims_merkle_stored_consistency_proof(proof, len, old_size, size, dreader_hash, r);
	dreader_free(r);
	return err;
}

int aims__ddb_root(uint8_t root[32], aims__ddb *d, uint64_t size)
{
	dreader *r = NULL;
	int err;
	if ((err = proof_reader(&r, d, size)) < 0)
		return err;
	err = aims_merkle_stored_root(root, size, dreader_hash, r);
	dreader_free(r);
	return err;
}

typedef struct {
	char *data;
	size_t len;
} one_rec;

static int grab(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	one_rec *r = arg;
	(void)index;
	(void)leaf;
	if (data && !(r->data = aims__strndup(data, len)))
		return aims__oom();
	r->len = data ? len : 0;
	return 0;
}

int aims__ddb_receipt(char **out, size_t *len, aims__ddb *d, uint64_t index)
{
	char *note = NULL;
	size_t nlen = 0, plen = 0;
	aims_checkpoint *cp = NULL;
	uint8_t (*proof)[32] = NULL;
	one_rec rec = { NULL, 0 };
	int err;

	*out = NULL;
	*len = 0;
	if ((err = latest_cp(&note, &nlen, &cp, d->store, d->id, d->name)) < 0)
		return err;
	if (index >= cp->size || cp->size > d->durable) {
		err = aims__err(AIMS_ENOTFOUND, "decision log '%s': entry %" PRIu64 " is not in the latest checkpoint "
				"(size %" PRIu64 ")", d->name, index, cp->size);
		goto done;
	}
	if ((err = aims__ddb_inclusion_proof(&proof, &plen, d, index, cp->size)) < 0 ||
	    (err = aims__ddb_foreach(d, index, 1, grab, &rec)) < 0)
		goto done;
	err = aims_tlog_proof_format(out, len, index, (const unsigned char *)rec.data, rec.len,
				     (const unsigned char (*)[32])proof, plen, note, nlen);
done:
	aims_merkle_proof_free(proof);
	aims__free(rec.data);
	aims__free(note);
	aims_checkpoint_free(cp);
	return err;
}

int aims__ddb_checkpoint_read(char **note, size_t *len, aims_store *store, const char *system)
{
	char id[96];
	snprintf(id, sizeof(id), "decision/%s", system);
	return latest_cp(note, len, NULL, store, id, system);
}

/* ---- verification ---- */

/* compare a recomputed tile with the stored one */
static int compare_tile(dreader *r, unsigned L, uint64_t idx, unsigned w, const uint8_t *mine)
{
	if (dreader_load(r, L, idx, w) < 0) {
		char why[256];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		return aims__err(AIMS_ETAMPERED, "%s (entries from %" PRIu64 " no longer verify)", why,
				 (idx * TW) << (8 * L));
	}
	if (r->len[L] != (size_t)w * 32)
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile %u/%" PRIu64 " in the store has %zu hashes, "
				 "the tree of %" PRIu64 " entries has %u", r->name, L, idx, r->len[L] / 32, r->size, w);
	for (unsigned k = 0; k < w; k++)
		if (memcmp(r->data[L] + (size_t)k * 32, mine + (size_t)k * 32, 32) != 0)
			return aims__err(AIMS_ETAMPERED, "decision log '%s': tile %u/%" PRIu64 " differs from the "
					 "entries at hash %u (entries from %" PRIu64 " no longer verify)", r->name, L, idx,
					 k, ((idx * TW + k) << (8 * L)));
	return 0;
}

int aims__ddb_verify(aims_store *store, const char *system, const char *origin, const aims__dverify_opts *o,
		     aims__dverify_stats *stats)
{
	aims__stmt *st = NULL;
	dreader *r = NULL;
	aims_merkle_frontier *f = NULL;
	aims__dlog_cp *cps = NULL;
	uint8_t (*mine)[TW][32] = NULL, head_root[32], root[32];
	uint8_t (*proof)[32] = NULL;
	unsigned width[TLEVELS] = { 0 };
	uint64_t tindex[TLEVELS] = { 0 }, hsize = 0, bound = 0, maxcp = 0, n = 0, i = 0;
	size_t ncp = 0, capcp = 0, k = 0;
	int64_t prev_cp = -1;
	uint64_t rows = 64;
	char id[96];
	int err, snap = 0;

	snprintf(id, sizeof(id), "decision/%s", system);
	/* one state of the store throughout: a batch committed meanwhile (rows, head, checkpoint) is not half seen */
	if ((snap = aims__store_snapshot(store)) < 0)
		return snap;
	if ((err = head_read(store, id, system, &hsize, head_root)) < 0)
		goto done;
	/* rows: exactly 0 .. hsize-1 */
	if ((err = aims__stmt_prepare(&st, store, "SELECT COUNT(*), MAX(idx) FROM ledger_decision_entries WHERE "
				      "log = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	n = (uint64_t)aims__stmt_int64(st, 0);
	int64_t maxidx = aims__stmt_type(st, 1) == AIMS__NULL ? -1 : aims__stmt_int64(st, 1);
	aims__stmt_free(st);
	st = NULL;
	if (maxidx >= (int64_t)hsize) {
		stats->first_bad = (int64_t)hsize;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': entries beyond the %" PRIu64 " the store committed "
				"(up to %lld) that no aims ingest wrote: a foreign append", system, hsize,
				(long long)maxidx);
		goto done;
	}
	/* fewer rows than committed: the scan below names the first one missing */
	(void)n;
	if (o->have_bound)
		bound = o->prune_bound;
	else if ((err = aims__prune_bound(&bound, store, id)) < 0)
		goto done;
	/* every checkpoint signed, in order, each by the log key and for this log */
	if ((err = aims__stmt_prepare(&st, store, "SELECT seq, note FROM ledger_decision_checkpoints WHERE log = ? "
				      "ORDER BY seq")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0)
		goto done;
	int64_t seq_expect = 1;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *note = aims__stmt_text(st, 1);
		char what[96];
		int cs = 0;
		snprintf(what, sizeof(what), "checkpoint %zu of the history", ncp + 1);
		if (aims__stmt_int64(st, 0) != seq_expect++) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': checkpoint %zu of the history is missing "
					"from the store", system, ncp + 1);
			goto done;
		}
		if ((err = aims__dlog_add_checkpoint(&cps, &ncp, &capcp, note ? note : "", note ? strlen(note) : 0,
						     origin, o->vkeys, o->nvkeys, what)) < 0 ||
		    (err = aims__dlog_cosignatures(&cs, note ? note : "", note ? strlen(note) : 0, o->wkeys, o->nwkeys,
						   what)) < 0) {
			aims__err_prefix("decision log '%s'", system);
			goto done;
		}
		if (ncp > 1 && cps[ncp - 1].size < cps[ncp - 2].size) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': %s has size %" PRIu64 ", smaller than the one "
					"before", system, what, cps[ncp - 1].size);
			goto done;
		}
		stats->cosigned += (uint64_t)cs;
	}
	aims__stmt_free(st);
	st = NULL;
	if (err < 0)
		goto done;
	stats->checkpoints = ncp;
	maxcp = ncp ? cps[ncp - 1].size : 0;
	if (maxcp > hsize) {
		stats->first_bad = (int64_t)hsize;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': a checkpoint of size %" PRIu64 " is beyond the %" PRIu64
				" entries committed: entries from %" PRIu64 " were removed", system, maxcp, hsize, hsize);
		goto done;
	}
	if (o->trusted.have && o->trusted.size > hsize) {
		stats->first_bad = (int64_t)hsize;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s' has %" PRIu64 " entries, fewer than the %" PRIu64
				" of the trusted checkpoint: entries from %" PRIu64 " were removed (truncation or rollback)",
				system, hsize, o->trusted.size, hsize);
		goto done;
	}

	/* recompute the tree from the entries, comparing every tile and every checkpoint's root */
	if ((err = aims_merkle_frontier_new(&f)) < 0 || (err = dreader_init(&r, store, id, system, hsize)) < 0)
		goto done;
	if (!(mine = aims__calloc(TLEVELS, sizeof(*mine)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__stmt_prepare(&st, store, "SELECT idx, body FROM ledger_decision_entries WHERE log = ? AND "
				      "idx >= ? ORDER BY idx LIMIT ?")) < 0)
		goto done;
	for (;;) {
		while (k < ncp && cps[k].size == i) {
			if ((err = aims_merkle_frontier_root(root, f)) < 0)
				goto done;
			if (memcmp(root, cps[k].root, 32) != 0) {
				uint64_t from = prev_cp < 0 ? 0 : (uint64_t)prev_cp;
				stats->first_bad = (int64_t)from;
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': an entry from %" PRIu64 " to %" PRIu64
						" no longer verifies: the signed checkpoint of size %" PRIu64 " does not match "
						"the entries in the store", system, from, cps[k].size - 1, cps[k].size);
				goto done;
			}
			prev_cp = (int64_t)cps[k].size;
			k++;
		}
		if (o->trusted.have && o->trusted.size == i) {
			if ((err = aims_merkle_frontier_root(root, f)) < 0)
				goto done;
			if (memcmp(root, o->trusted.root, 32) != 0) {
				stats->first_bad = prev_cp < 0 ? 0 : prev_cp;
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': the first %" PRIu64 " entries do not "
						"give the root of the trusted checkpoint of that size: the log was "
						"rewritten (a fork)", system, i);
				goto done;
			}
		}
		if (i == hsize)
			break;
		uint64_t got = 0;
		size_t bytes = 0;
		if ((err = aims__stmt_reset(st)) < 0 || (err = aims__stmt_bind_text(st, 1, id)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 2, (int64_t)i)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, (int64_t)rows)) < 0)
			goto done;
		while (i < hsize && (k >= ncp || cps[k].size != i) && (err = aims__stmt_step(st)) == 1) {
			uint8_t leaf[32], stored[32];
			size_t bl = 0;
			const void *b = aims__stmt_blob(st, 1, &bl);
			bytes += bl + 32;
			if ((uint64_t)aims__stmt_int64(st, 0) != i) {
				stats->first_bad = (int64_t)i;
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " is missing from the "
						"store (entries from %" PRIu64 " were removed)", system, i, i);
				goto done;
			}
			/* the stored leaf hash of the level-0 tile, compared one by one to name a changed record */
			if ((err = dreader_hash(stored, 0, i, r)) < 0) {
				stats->first_bad = (int64_t)i;
				if (err != AIMS_ETAMPERED)
					err = aims__err(AIMS_ETAMPERED, "%s", aims_error_last());
				goto done;
			}
			if (aims__stmt_type(st, 1) == AIMS__NULL) {
				stats->pruned++;
				if (i >= bound) {
					stats->first_bad = (int64_t)i;
					err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " has no body (pruned), "
							"but the governance log records pruning of this log only below entry %"
							PRIu64 ": a record inside the retention period was dropped", system, i,
							bound);
					goto done;
				}
				memcpy(leaf, stored, 32);
			} else if ((err = aims_merkle_leaf_hash(leaf, b ? b : "", bl)) < 0) {
				goto done;
			} else if (memcmp(leaf, stored, 32) != 0) {
				stats->first_bad = (int64_t)i;
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " no longer verifies: its "
						"leaf hash differs from tile 0/%" PRIu64 " (hash %" PRIu64 ")", system, i,
						i / TW, i % TW);
				goto done;
			}
			if ((err = aims_merkle_frontier_append(f, leaf)) < 0)
				goto done;
			const uint8_t (*h)[32];
			size_t c = aims_merkle_frontier_completed(f, &h);
			for (unsigned L = 0; L < TLEVELS && (size_t)L * 8 < c; L++) {
				memcpy(mine[L][width[L]++], h[L * 8], 32);
				if (width[L] == TW) {
					if (L > 0 && (err = compare_tile(r, L, tindex[L], TW, mine[L][0])) < 0) {
						stats->first_bad = (int64_t)((tindex[L] * TW) << (8 * L));
						goto done;
					}
					stats->tiles++;
					width[L] = 0;
					tindex[L]++;
				}
			}
			i++;
			got++;
		}
		if (err < 0)
			goto done;
		if (got > 0)
			rows = rows_for(bytes, got);
		if (got == 0 && i < hsize && (k >= ncp || cps[k].size != i)) {
			stats->first_bad = (int64_t)i;
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " is missing from the store "
					"(entries from %" PRIu64 " were removed)", system, i, i);
			goto done;
		}
	}
	aims__stmt_free(st);
	st = NULL;
	for (unsigned L = 0; L < TLEVELS; L++) {
		if (width[L] > 0 && (err = compare_tile(r, L, tindex[L], width[L], mine[L][0])) < 0) {
			stats->first_bad = (int64_t)((tindex[L] * TW) << (8 * L));
			goto done;
		}
		stats->tiles += width[L] > 0;
	}
	stats->entries = i;
	stats->covered = maxcp;
	if ((err = aims_merkle_frontier_root(root, f)) < 0)
		goto done;
	if (memcmp(root, head_root, 32) != 0) {
		stats->first_bad = 0;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': its %" PRIu64 " entries do not give the root committed "
				"in the store", system, i);
		goto done;
	}
	if (hsize > maxcp) {
		stats->first_bad = (int64_t)maxcp;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': entries %" PRIu64 " to %" PRIu64 " are not covered by "
				"a signed checkpoint%s (a crash before the checkpoint was signed, which the next 'aims "
				"decision' command that writes the log repairs, or checkpoints removed from the store)",
				system, maxcp, hsize - 1, ncp ? "" : " (there is none)");
		goto done;
	}
	/* RFC 9162 2.1.4: the trusted checkpoint's tree is a prefix of the tree now */
	if (o->trusted.have && o->trusted.size > 0 && o->trusted.size < hsize) {
		size_t plen = 0;
		if ((err = aims_merkle_stored_consistency_proof(&proof, &plen, o->trusted.size, hsize, dreader_hash, r)) < 0)
			goto done;
		if (aims_merkle_verify_consistency(o->trusted.size, hsize, o->trusted.root, root,
						   (const uint8_t (*)[32])proof, plen) < 0) {
			stats->first_bad = 0;
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the tree of %" PRIu64 " entries is not consistent "
					"with the trusted checkpoint of size %" PRIu64 " (RFC 9162 consistency proof): %s",
					system, hsize, o->trusted.size, aims_error_last());
			goto done;
		}
	}
	err = 0;
done:
	aims__stmt_free(st);
	dreader_free(r);
	if (snap > 0) {
		/* the snapshot only read: ending it keeps the verdict (and its message) */
		char why[1024];
		int code = aims_error_last_code();
		snprintf(why, sizeof(why), "%s", aims_error_last());
		(void)aims_store_commit(store);
		if (err < 0)
			aims__err_set(code ? code : err, "%s", why);
	}
	aims_merkle_frontier_free(f);
	aims_merkle_proof_free(proof);
	aims__free(mine);
	aims__free(cps);
	return err;
}

/* ---- retention ---- */

typedef struct {
	int64_t cutoff, created_at;
	uint64_t k, count;
	int stop;
} prune_scan;

static int prune_cb(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	prune_scan *p = arg;
	(void)leaf;
	if (data && !p->stop) {
		json_t *o = json_loadb(data, len, 0, NULL);
		json_t *tv = o ? json_object_get(o, "time") : NULL;
		int64_t rt;
		if (json_is_string(tv) && aims__rfc3339(&rt, NULL, json_string_value(tv), json_string_length(tv), 0) == 0 &&
		    rt < p->cutoff && p->created_at < p->cutoff)
			p->count++;
		else
			p->stop = 1;
		json_decref(o);
	}
	if (p->stop)
		return 1;
	p->k = index + 1;
	return 0;
}

int aims__ddb_prune(aims_store *store, const char *system, int64_t cutoff, int64_t created_at, uint64_t *pruned)
{
	aims_decision_options wo = AIMS_DECISION_OPTIONS_INIT;
	aims__ddb *d = NULL;
	aims__stmt *st = NULL;
	char *origin = NULL;
	prune_scan p = { cutoff, created_at, 0, 0, 0 };
	int err;

	wo.write = 1;
	if ((err = aims__dlog_registry_get(&origin, NULL, store, system)) < 0 ||
	    (err = aims__ddb_open(&d, store, system, origin, &wo)) < 0)
		goto done;
	if ((err = aims__ddb_foreach(d, 0, 0, prune_cb, &p)) < 0)
		goto done;
	if (p.count == 0) {
		err = 0;
		goto done;
	}
	char detail[64], dig[72], what[128];
	snprintf(detail, sizeof(detail), "pruned=%" PRIu64, p.count);
	snprintf(what, sizeof(what), "decision/%s" AIMS__PRUNE_BELOW "%" PRIu64, system, p.k);
	if ((err = aims_ledger_digest(dig, detail, strlen(detail))) < 0 || (err = aims_store_begin(store)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "UPDATE ledger_decision_entries SET body = NULL WHERE log = ? AND "
				      "idx < ? AND body IS NOT NULL")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, d->id)) < 0 || (err = aims__stmt_bind_int64(st, 2, (int64_t)p.k)) < 0 ||
	    (err = aims__stmt_step(st)) < 0 ||
	    (err = aims__dlog_head_write(store, system, 0, d->durable, d->head_root, "prune", d->durable, 0,
					 d->head_root, dig)) < 0 ||
	    (err = aims_ledger_append(store, "prune", AIMS__PRUNE_TYPE, what, NULL, NULL)) < 0 ||
	    (err = aims_store_commit(store)) < 0) {
		aims_store_rollback(store);
		goto done;
	}
	if (pruned)
		*pruned = p.count;
	err = 0;
done:
	aims__stmt_free(st);
	aims__ddb_free(d);
	aims__free(origin);
	return err;
}
