/*
 * The governance log: the audit trail of every write aims makes. Each entry
 * is a canonical JSON object (docs/ledger.md, "Governance entries") whose
 * RFC 9162 leaf hash is appended, in the writer's own transaction, to a
 * Merkle tree stored as C2SP tlog-tiles (tiles of 256 hashes) in the
 * ledger_tiles table, so the tree, proofs and checkpoints need O(log n)
 * reads. Checkpoints are C2SP tlog-checkpoint bodies signed as C2SP signed
 * notes with the key recorded by aims_ledger_setup.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aims/ledger.h"
#include "aims/merkle.h"
#include "core/core.h"
#include "store/store_internal.h"

#define GOV AIMS_LEDGER_GOVERNANCE
#define DEFAULT_ORIGIN "aims.local/governance"

/* ---- helpers ---- */

int aims_ledger_digest(char out[72], const void *data, size_t len)
{
	unsigned char md[32];
	int err;
	char hex[65];
	if ((err = aims__sha256_oneshot(md, data, len)) < 0)
		return err;
	aims__hex(hex, md, 32);
	snprintf(out, 72, "sha256:%s", hex);
	return 0;
}

/* well-formed UTF-8 (no overlong forms, no surrogates) */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p) {
		unsigned c = *p, n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
		if (n == 9)
			return 0;
		unsigned cp = n == 0 ? c : n == 1 ? c & 0x1f : n == 2 ? c & 0x0f : c & 0x07;
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* the canonical bytes of an entry: JSON, sorted keys, no spaces, ASCII only */
static int canonical(char **out, size_t *len, const char *time, const char *actor, const char *action,
		     const char *otype, const char *oid, const char *newd, const char *prevd)
{
	const char *all[] = { time, actor, action, otype, oid, newd, prevd };
	for (size_t i = 0; i < 7; i++)
		if ((i < 5 && !all[i]) || !utf8_ok(all[i]))
			return aims__err(AIMS_EINVALID, "audit entry: fields must be valid UTF-8 text");
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "v", 1, "time", time,
			      "actor", actor, "action", action, "object_type", otype, "object_id", oid,
			      "new_digest", newd ? json_string(newd) : json_null(),
			      "prev_digest", prevd ? json_string(prevd) : json_null());
	if (!o)
		return aims__oom();
	*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!*out)
		return aims__oom();
	*len = strlen(*out);
	return 0;
}

static int ensure_log(aims_store *s, const char *id, const char *kind, const char *origin)
{
	aims__stmt *st = NULL;
	char now[32];
	int err;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, s,
			"INSERT INTO ledger_logs (id, kind, origin, retention_days, created_at) "
			"VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, kind)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, origin)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 4, AIMS_LEDGER_MIN_RETENTION_DAYS)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	aims__stmt_free(st);
	return 0;
}

static int log_size(uint64_t *size, aims_store *s, const char *log)
{
	aims__stmt *st = NULL;
	int err;
	*size = 0;
	if ((err = aims__stmt_prepare(&st, s, "SELECT COUNT(*) FROM ledger_entries WHERE log = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, log)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	*size = (uint64_t)aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return 0;
}

/* ---- tiles in the store ---- */

typedef struct {
	aims_store *store;
	const char *log;
	aims__stmt *st;
} tile_reader;

static int read_stored_hash(uint8_t out[32], unsigned level, uint64_t index, void *arg)
{
	tile_reader *r = arg;
	aims_merkle_tile t;
	int err;

	if ((err = aims_merkle_tile_for_hash(&t, level, index)) < 0)
		return err;
	if (!r->st && (err = aims__stmt_prepare(&r->st, r->store,
			"SELECT data FROM ledger_tiles WHERE log = ? AND level = ? AND idx = ?")) < 0)
		return err;
	if ((err = aims__stmt_reset(r->st)) < 0 ||
	    (err = aims__stmt_bind_text(r->st, 1, r->log)) < 0 ||
	    (err = aims__stmt_bind_int64(r->st, 2, t.level)) < 0 ||
	    (err = aims__stmt_bind_int64(r->st, 3, (int64_t)t.index)) < 0 ||
	    (err = aims__stmt_step(r->st)) < 0)
		return err;
	if (err == 0)
		return aims__err(AIMS_ETAMPERED, "ledger '%s': tile %u/%llu is missing", r->log, t.level,
				 (unsigned long long)t.index);
	size_t len = 0;
	const void *data = aims__stmt_blob(r->st, 0, &len);
	if (len % 32 || len == 0 || len > 256 * 32)
		return aims__err(AIMS_ETAMPERED, "ledger '%s': tile %u/%llu has a bad size", r->log, t.level,
				 (unsigned long long)t.index);
	t.width = (unsigned)(len / 32);
	return aims_merkle_tile_hash(out, &t, data, len, level, index);
}

/* append one stored hash to its tile (creating it) */
static int tile_append(aims_store *s, const char *log, unsigned tlevel, uint64_t tindex, const uint8_t h[32])
{
	aims__stmt *st = NULL;
	unsigned char buf[256 * 32];
	size_t len = 0;
	int err;

	if ((err = aims__stmt_prepare(&st, s, "SELECT data FROM ledger_tiles WHERE log = ? AND level = ? AND idx = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, log)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, tlevel)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, (int64_t)tindex)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		const void *d = aims__stmt_blob(st, 0, &len);
		if (len >= sizeof(buf) || len % 32) {
			err = aims__err(AIMS_ETAMPERED, "ledger '%s': tile %u/%llu is full or damaged", log, tlevel,
					(unsigned long long)tindex);
			goto done;
		}
		memcpy(buf, d, len);
	}
	memcpy(buf + len, h, 32);
	len += 32;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, s,
			"INSERT INTO ledger_tiles (log, level, idx, data) VALUES (?, ?, ?, ?) "
			"ON CONFLICT (log, level, idx) DO UPDATE SET data = excluded.data")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, log)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, tlevel)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, (int64_t)tindex)) < 0 ||
	    (err = aims__stmt_bind_blob(st, 4, buf, len)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* ---- append ---- */

int aims_ledger_append(aims_store *s, const char *action, const char *otype, const char *oid,
		       const char *newd, const char *prevd)
{
	aims_merkle_frontier *f = NULL;
	tile_reader rd = { s, GOV, NULL };
	aims__stmt *st = NULL;
	char *body = NULL;
	size_t blen = 0;
	uint64_t size = 0;
	uint8_t leaf[32];
	char now[32];
	int err;

	if (!action || !otype || !oid)
		return aims__err(AIMS_EUSAGE, "audit entry needs an action, an object type and an id");
	aims__time_now(now);
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = ensure_log(s, GOV, "governance", DEFAULT_ORIGIN)) < 0 ||
	    (err = log_size(&size, s, GOV)) < 0 ||
	    (err = canonical(&body, &blen, now, aims_store_actor(s), action, otype, oid, newd, prevd)) < 0 ||
	    (err = aims_merkle_frontier_new(&f)) < 0 ||
	    (err = aims_merkle_frontier_load(f, size, read_stored_hash, &rd)) < 0 ||
	    (err = aims_merkle_frontier_append_entry(f, leaf, body, blen)) < 0)
		goto fail;
	if ((err = aims__stmt_prepare(&st, s,
			"INSERT INTO ledger_entries (log, idx, time, actor, action, object_type, object_id, "
			"new_digest, prev_digest, body, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, (int64_t)size)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, aims_store_actor(s))) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, action)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, otype)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, oid)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, newd)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, prevd)) < 0 ||
	    (err = aims__stmt_bind_blob(st, 10, body, blen)) < 0 ||
	    (err = aims__stmt_bind_blob(st, 11, leaf, 32)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	/* the stored hashes this leaf completes go to their tiles (levels 0, 8, 16, ...) */
	const uint8_t (*done)[32] = NULL;
	size_t ndone = aims_merkle_frontier_completed(f, &done);
	uint64_t nsize = size + 1;
	for (size_t k = 0; k < ndone; k += AIMS_MERKLE_TILE_HEIGHT) {
		uint64_t index = (nsize >> k) - 1;
		if ((err = tile_append(s, GOV, (unsigned)(k / AIMS_MERKLE_TILE_HEIGHT),
				       index / AIMS_MERKLE_TILE_WIDTH, done[k])) < 0)
			goto fail;
	}
	aims__stmt_free(st);
	aims__stmt_free(rd.st);
	aims_merkle_frontier_free(f);
	free(body);
	return aims_store_commit(s);
fail:
	aims__stmt_free(st);
	aims__stmt_free(rd.st);
	aims_merkle_frontier_free(f);
	free(body);
	aims_store_rollback(s);
	return err;
}

int aims_ledger_head(uint64_t *size, uint8_t root[32], aims_store *s)
{
	tile_reader rd = { s, GOV, NULL };
	int err;
	if ((err = log_size(size, s, GOV)) < 0)
		return err;
	err = aims_merkle_stored_root(root, *size, read_stored_hash, &rd);
	aims__stmt_free(rd.st);
	return err;
}

/* ---- reading the log ---- */

void aims_ledger_entries_free(aims_ledger_entries *l)
{
	if (!l)
		return;
	json_decref(l->priv_);
	aims__free(l->items);
	aims__free(l);
}

int aims_ledger_log_read(aims_ledger_entries **out, aims_store *s, const char *object_id)
{
	aims_ledger_entries *l = NULL;
	aims__stmt *st = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	aims_global_init();
	if (!(l = aims__calloc(1, sizeof(*l))) || !(l->priv_ = json_array())) {
		aims__free(l);
		return aims__oom();
	}
	if ((err = aims__stmt_prepare(&st, s,
			"SELECT idx, time, actor, action, object_type, object_id, new_digest, prev_digest, "
			"body IS NULL FROM ledger_entries WHERE log = ? AND (CAST(? AS TEXT) IS NULL OR object_id = ?) "
			"ORDER BY idx")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, object_id)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, object_id)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(*l->items))) < 0)
			goto fail;
		aims_ledger_entry *e = &l->items[l->count];
		const char **fields[] = { &e->time, &e->actor, &e->action, &e->object_type, &e->object_id,
					  &e->new_digest, &e->prev_digest };
		e->index = aims__stmt_int64(st, 0);
		for (int c = 0; c < 7; c++) {
			const char *v = aims__stmt_text(st, c + 1);
			*fields[c] = NULL;
			if (!v)
				continue;
			json_t *js = json_string(v);
			if (!js || json_array_append_new(l->priv_, js) < 0) {
				err = aims__oom();
				goto fail;
			}
			*fields[c] = json_string_value(js);
		}
		e->pruned = aims__stmt_int64(st, 8) != 0;
		l->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_ledger_entries_free(l);
	return err;
}

/* ---- keys and checkpoints ---- */

int aims_ledger_setup(aims_store *s, const char *key_path, char **vkey_out)
{
	aims_note_signer *signer = NULL;
	aims__stmt *st = NULL;
	char *vkey = NULL;
	char real[PATH_MAX];
	int err;

	if (vkey_out)
		*vkey_out = NULL;
	if (!realpath(key_path, real))
		return aims__err(AIMS_ENOTFOUND, "cannot find key file '%s'", key_path);
	if ((err = aims_note_signer_load(&signer, real)) < 0 ||
	    (err = aims_note_signer_verifier(&vkey, signer)) < 0)
		goto done;
	/* checkpoints already signed under another name would no longer verify */
	if ((err = aims__stmt_prepare(&st, s,
			"SELECT origin FROM ledger_logs WHERE id = ? AND EXISTS "
			"(SELECT 1 FROM ledger_checkpoints WHERE log = ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, GOV)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && strcmp(aims__stmt_text(st, 0), aims_note_signer_name(signer)) != 0) {
		err = aims__err(AIMS_ECONFLICT, "the governance log is already signed as '%s', not '%s'",
				aims__stmt_text(st, 0), aims_note_signer_name(signer));
		goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_begin(s)) < 0)
		goto done;
	if ((err = ensure_log(s, GOV, "governance", aims_note_signer_name(signer))) < 0 ||
	    (err = aims__stmt_prepare(&st, s, "UPDATE ledger_logs SET origin = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, aims_note_signer_name(signer))) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, GOV)) < 0 ||
	    (err = aims__stmt_step(st)) < 0 ||
	    (err = aims_store_setting_set(s, "ledger.key_file", real)) < 0 ||
	    (err = aims_store_setting_set(s, "ledger.vkey", vkey)) < 0) {
		aims_store_rollback(s);
		goto done;
	}
	if ((err = aims_store_commit(s)) < 0)
		goto done;
	if (vkey_out) {
		*vkey_out = vkey;
		vkey = NULL;
	}
done:
	aims__stmt_free(st);
	aims_note_signer_free(signer);
	free(vkey);
	return err;
}

int aims_ledger_vkey(char **vkey, aims_store *s)
{
	int err = aims_store_setting_get(vkey, s, "ledger.vkey");
	if (err == 0 && !*vkey)
		return aims__err(AIMS_ENOTFOUND, "no ledger key recorded (run 'aims ledger setup --key FILE')");
	return err;
}

int aims_ledger_signer(aims_note_signer **out, aims_store *s)
{
	char *path = NULL;
	int err;
	*out = NULL;
	if ((err = aims_store_setting_get(&path, s, "ledger.key_file")) < 0)
		return err;
	if (!path)
		return aims__err(AIMS_ENOTFOUND,
				 "no ledger key recorded (run 'aims ledger keygen' and 'aims ledger setup --key FILE')");
	err = aims_note_signer_load(out, path);
	aims__free(path);
	return err;
}

static int log_origin(char **origin, aims_store *s, const char *log)
{
	aims__stmt *st = NULL;
	int err;
	*origin = NULL;
	if ((err = aims__stmt_prepare(&st, s, "SELECT origin FROM ledger_logs WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, log)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 1 && !(*origin = aims__strdup(aims__stmt_text(st, 0)))) {
		aims__stmt_free(st);
		return aims__oom();
	}
	aims__stmt_free(st);
	return 0;
}

int aims_ledger_checkpoint(aims_store *s, const aims_note_signer *signer, char **note_out)
{
	aims__stmt *st = NULL;
	char *origin = NULL, *body = NULL, *note = NULL;
	size_t blen = 0, nlen = 0;
	uint64_t size = 0;
	uint8_t root[32];
	char now[32];
	int err;

	if (note_out)
		*note_out = NULL;
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = ensure_log(s, GOV, "governance", aims_note_signer_name(signer))) < 0 ||
	    (err = log_origin(&origin, s, GOV)) < 0)
		goto fail;
	if (!origin || strcmp(origin, aims_note_signer_name(signer)) != 0) {
		err = aims__err(AIMS_ECONFLICT, "the governance log's origin is '%s' but the key is '%s' "
				"(run 'aims ledger setup --key FILE')", origin ? origin : "",
				aims_note_signer_name(signer));
		goto fail;
	}
	if ((err = aims_ledger_head(&size, root, s)) < 0 ||
	    (err = aims_checkpoint_format(&body, &blen, origin, size, root, NULL, 0)) < 0 ||
	    (err = aims_note_sign(&note, &nlen, body, blen, signer)) < 0)
		goto fail;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, s,
			"INSERT INTO ledger_checkpoints (log, size, note, created_at) VALUES (?, ?, ?, ?) "
			"ON CONFLICT (log, size) DO NOTHING")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, (int64_t)size)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, note)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	free(body);
	aims__free(origin);
	if ((err = aims_store_commit(s)) < 0) {
		free(note);
		return err;
	}
	if (note_out)
		*note_out = note;
	else
		free(note);
	return 0;
fail:
	aims__stmt_free(st);
	free(body);
	free(note);
	aims__free(origin);
	aims_store_rollback(s);
	return err;
}

int aims_ledger_latest_checkpoint(char **note, aims_store *s, const char *log)
{
	aims__stmt *st = NULL;
	int err;
	*note = NULL;
	if ((err = aims__stmt_prepare(&st, s,
			"SELECT note FROM ledger_checkpoints WHERE log = ? ORDER BY size DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, log ? log : GOV)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 0) {
		aims__stmt_free(st);
		return aims__err(AIMS_ENOTFOUND, "no checkpoint for log '%s'", log ? log : GOV);
	}
	*note = aims__strdup(aims__stmt_text(st, 0));
	aims__stmt_free(st);
	return *note ? 0 : aims__oom();
}

/* ---- verification ---- */

typedef struct {
	uint64_t size;
	char *note;
} ckpt;

/* expected tiles, rebuilt from the entries: tiles[level] is an array of 256-hash tiles */
typedef struct {
	unsigned char **tiles;
	size_t ntiles, cap;
} tile_level;

static int expect_hash(tile_level *lv, uint64_t index, const uint8_t h[32])
{
	size_t t = (size_t)(index / 256), old = lv->cap;
	int err;
	if ((err = aims__grow(&lv->tiles, &lv->cap, t + 1, sizeof(*lv->tiles))) < 0)
		return err;
	if (lv->cap > old)
		memset(lv->tiles + old, 0, (lv->cap - old) * sizeof(*lv->tiles));
	if (!lv->tiles[t] && !(lv->tiles[t] = aims__calloc(256, 32)))
		return aims__oom();
	if (t + 1 > lv->ntiles)
		lv->ntiles = t + 1;
	memcpy(lv->tiles[t] + (index % 256) * 32, h, 32);
	return 0;
}

int aims_ledger_verify(aims_ledger_verify_stats *stats, aims_store *s, const char *const *vkeys,
		       size_t nvkeys)
{
	aims_ledger_verify_stats local;
	aims_merkle_frontier *f = NULL;
	aims__stmt *st = NULL;
	ckpt *cps = NULL;
	size_t ncps = 0, capc = 0, next_cp = 0;
	tile_level levels[8];
	char *stored_vkey = NULL;
	const char *keys_one[1];
	uint64_t expect = 0;
	int err;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	memset(levels, 0, sizeof(levels));
	stats->first_bad = -1;
	if (nvkeys == 0) {
		err = aims_ledger_vkey(&stored_vkey, s);
		if (err < 0 && err != AIMS_ENOTFOUND)
			return err;
		aims_error_clear();
		if (stored_vkey) {
			keys_one[0] = stored_vkey;
			vkeys = keys_one;
			nvkeys = 1;
		}
	}
	/* checkpoints, by size */
	if ((err = aims__stmt_prepare(&st, s, "SELECT size, note FROM ledger_checkpoints WHERE log = ? ORDER BY size")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&cps, &capc, ncps + 1, sizeof(*cps))) < 0)
			goto done;
		cps[ncps].size = (uint64_t)aims__stmt_int64(st, 0);
		if (!(cps[ncps].note = aims__strdup(aims__stmt_text(st, 1)))) {
			err = aims__oom();
			goto done;
		}
		ncps++;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if (ncps && nvkeys == 0) {
		err = aims__err(AIMS_ETAMPERED, "governance log: %zu checkpoint(s) but no verifier key "
				"(give --vkey or run 'aims ledger setup')", ncps);
		goto done;
	}

	if ((err = aims_merkle_frontier_new(&f)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, s,
			"SELECT idx, time, actor, action, object_type, object_id, new_digest, prev_digest, body, "
			"leaf_hash FROM ledger_entries WHERE log = ? ORDER BY idx")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0)
		goto done;
	for (;;) {
		/* checkpoints at the current size */
		while (next_cp < ncps && cps[next_cp].size <= expect) {
			aims_checkpoint *cp = NULL;
			uint8_t root[32];
			if (cps[next_cp].size < expect) {
				err = aims__err(AIMS_ETAMPERED, "governance log: checkpoint order is broken");
				goto done;
			}
			int orc = aims_checkpoint_open(&cp, cps[next_cp].note, strlen(cps[next_cp].note), vkeys, nvkeys);
			if (orc == AIMS_ENOMEM) {
				err = orc;
				goto done;
			}
			if (orc < 0) {
				aims__err_prefix("governance log: checkpoint at size %llu",
						 (unsigned long long)cps[next_cp].size);
				err = AIMS_ETAMPERED;
				goto done;
			}
			if (cp->size != cps[next_cp].size) {
				aims_checkpoint_free(cp);
				err = aims__err(AIMS_ETAMPERED, "governance log: checkpoint row at size %llu holds another size",
						(unsigned long long)cps[next_cp].size);
				goto done;
			}
			if ((err = aims_merkle_frontier_root(root, f)) < 0) {
				aims_checkpoint_free(cp);
				goto done;
			}
			int bad = memcmp(cp->root, root, 32) != 0;
			aims_checkpoint_free(cp);
			if (bad) {
				err = aims__err(AIMS_ETAMPERED, "governance log: the signed checkpoint at size %llu does not "
						"match the entries: some entry before %llu was changed, removed, inserted or reordered",
						(unsigned long long)cps[next_cp].size, (unsigned long long)cps[next_cp].size);
				goto done;
			}
			stats->checkpoints++;
			next_cp++;
		}
		if ((err = aims__stmt_step(st)) < 0)
			goto done;
		if (err == 0)
			break;
		int64_t idx = aims__stmt_int64(st, 0);
		if (idx < 0 || (uint64_t)idx != expect) {
			stats->first_bad = (int64_t)expect;
			err = aims__err(AIMS_ETAMPERED, "governance log: entry %llu is missing (next stored entry is %lld)",
					(unsigned long long)expect, (long long)idx);
			goto done;
		}
		size_t blen = 0, hlen = 0;
		const void *body = aims__stmt_blob(st, 8, &blen);
		const void *stored_leaf = aims__stmt_blob(st, 9, &hlen);
		uint8_t leaf[32];
		if (hlen != 32) {
			stats->first_bad = idx;
			err = aims__err(AIMS_ETAMPERED, "governance log: entry %lld has a damaged leaf hash", (long long)idx);
			goto done;
		}
		if (aims__stmt_type(st, 8) != AIMS__NULL) {
			/* the body must be the canonical form of the columns, and hash to the leaf */
			char *canon = NULL;
			size_t clen = 0;
			int crc = canonical(&canon, &clen, aims__stmt_text(st, 1), aims__stmt_text(st, 2),
					    aims__stmt_text(st, 3), aims__stmt_text(st, 4), aims__stmt_text(st, 5),
					    aims__stmt_text(st, 6), aims__stmt_text(st, 7));
			if (crc == AIMS_ENOMEM) {
				err = crc;
				goto done;
			}
			if (crc < 0) {
				stats->first_bad = idx;
				err = aims__err(AIMS_ETAMPERED, "governance log: entry %lld has damaged fields", (long long)idx);
				goto done;
			}
			int same = clen == blen && memcmp(canon, body, blen) == 0;
			free(canon);
			if ((err = aims_merkle_leaf_hash(leaf, body, blen)) < 0)
				goto done;
			if (!same || memcmp(leaf, stored_leaf, 32) != 0) {
				stats->first_bad = idx;
				err = aims__err(AIMS_ETAMPERED, "governance log: entry %lld no longer verifies "
						"(its %s changed)", (long long)idx, same ? "leaf hash" : "content");
				goto done;
			}
		} else {
			memcpy(leaf, stored_leaf, 32); /* pruned: the leaf hash stands for the body */
		}
		if ((err = aims_merkle_frontier_append(f, leaf)) < 0)
			goto done;
		const uint8_t (*doneh)[32] = NULL;
		size_t ndone = aims_merkle_frontier_completed(f, &doneh);
		for (size_t k = 0; k < ndone; k += AIMS_MERKLE_TILE_HEIGHT) {
			size_t lvl = k / AIMS_MERKLE_TILE_HEIGHT;
			if (lvl >= 8)
				break;
			if ((err = expect_hash(&levels[lvl], (aims_merkle_frontier_size(f) >> k) - 1, doneh[k])) < 0)
				goto done;
		}
		expect++;
		stats->entries++;
	}
	if (next_cp < ncps) {
		err = aims__err(AIMS_ETAMPERED, "governance log: a checkpoint at size %llu is beyond the %llu entries "
				"(entries were removed)", (unsigned long long)cps[next_cp].size, (unsigned long long)expect);
		stats->first_bad = (int64_t)expect;
		goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	/* every stored tile equals the tile rebuilt from the entries */
	if ((err = aims__stmt_prepare(&st, s, "SELECT level, idx, data FROM ledger_tiles WHERE log = ? ORDER BY level, idx")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0)
		goto done;
	size_t seen[8] = { 0 };
	while ((err = aims__stmt_step(st)) == 1) {
		int64_t lvl = aims__stmt_int64(st, 0), ti = aims__stmt_int64(st, 1);
		size_t len = 0;
		const unsigned char *data = aims__stmt_blob(st, 2, &len);
		unsigned width = lvl >= 0 && lvl < 8 ? aims_merkle_tile_width(expect, (unsigned)lvl, (uint64_t)ti) : 0;
		if (lvl < 0 || lvl >= 8 || ti < 0 || (size_t)ti >= levels[lvl].ntiles || !levels[lvl].tiles[ti] ||
		    width == 0 || len != (size_t)width * 32) {
			err = aims__err(AIMS_ETAMPERED, "governance log: stored tile %lld/%lld does not belong to a tree "
					"of %llu entries", (long long)lvl, (long long)ti, (unsigned long long)expect);
			goto done;
		}
		for (unsigned h = 0; h < width; h++) {
			if (memcmp(data + (size_t)h * 32, levels[lvl].tiles[ti] + (size_t)h * 32, 32) != 0) {
				uint64_t first = ((uint64_t)ti * 256 + h) << (8 * lvl);
				stats->first_bad = (int64_t)first;
				err = aims__err(AIMS_ETAMPERED, "governance log: tile %lld/%lld differs from the entries "
						"(first entry affected: %llu)", (long long)lvl, (long long)ti,
						(unsigned long long)first);
				goto done;
			}
		}
		seen[lvl]++;
		stats->tiles++;
	}
	if (err < 0)
		goto done;
	for (size_t lvl = 0; lvl < 8; lvl++) {
		size_t want = 0;
		for (size_t t = 0; t < levels[lvl].ntiles; t++)
			want += aims_merkle_tile_width(expect, (unsigned)lvl, t) > 0;
		if (seen[lvl] != want) {
			err = aims__err(AIMS_ETAMPERED, "governance log: %zu tile(s) at level %zu missing",
					want - seen[lvl], lvl);
			goto done;
		}
	}
	err = 0;
done:
	aims__stmt_free(st);
	aims_merkle_frontier_free(f);
	for (size_t i = 0; i < ncps; i++)
		aims__free(cps[i].note);
	aims__free(cps);
	for (size_t l = 0; l < 8; l++) {
		for (size_t t = 0; t < levels[l].cap; t++)
			aims__free(levels[l].tiles ? levels[l].tiles[t] : NULL);
		aims__free(levels[l].tiles);
	}
	aims__free(stored_vkey);
	return err;
}

/* ---- retention ---- */

static int parse_time(time_t *out, const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	char z = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 || z != 'Z' || strlen(s) != 20)
		return aims__err(AIMS_EINVALID, "'%s' is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SSZ)",
				 s ? s : "");
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

static int count_pruned(uint64_t *n, aims_store *s)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT COUNT(*) FROM ledger_entries WHERE log = ? AND body IS NULL")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	*n = (uint64_t)aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return 0;
}

int aims_ledger_prune(aims_store *s, int days, const char *now, uint64_t *pruned)
{
	aims__stmt *st = NULL;
	char cutoff[32], nowbuf[32];
	time_t t;
	struct tm tm;
	int err;

	if (pruned)
		*pruned = 0;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS)
		return aims__err(AIMS_EINVALID, "retention of %d days is below the minimum of %d days "
				 "(EU AI Act Art. 19(1) and 26(6): at least six months)", days,
				 AIMS_LEDGER_MIN_RETENTION_DAYS);
	if (!now) {
		aims__time_now(nowbuf);
		now = nowbuf;
	}
	if ((err = parse_time(&t, now)) < 0)
		return err;
	t -= (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%SZ", &tm);
	uint64_t before = 0, after = 0;
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = count_pruned(&before, s)) < 0)
		goto fail;
	if ((err = aims__stmt_prepare(&st, s,
			"UPDATE ledger_entries SET body = NULL WHERE log = ? AND time < ? AND body IS NOT NULL")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, cutoff)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	if ((err = count_pruned(&after, s)) < 0)
		goto fail;
	/* pruning is itself a governance action */
	if (after > before) {
		char what[96];
		snprintf(what, sizeof(what), "governance before %s", cutoff);
		if ((err = aims_ledger_append(s, "prune", "ledger", what, NULL, NULL)) < 0)
			goto fail;
	}
	if (pruned)
		*pruned = after;
	return aims_store_commit(s);
fail:
	aims__stmt_free(st);
	aims_store_rollback(s);
	return err;
}
