/*
 * The governance log: the audit trail of every write aims makes. Each entry
 * is a canonical JSON object (docs/ledger.md, "Governance entries") whose
 * RFC 9162 leaf hash is appended, in the writer's own transaction, to a
 * Merkle tree stored as C2SP tlog-tiles (tiles of 256 hashes) in the
 * ledger_tiles table, so the tree, proofs and checkpoints need O(log n)
 * reads. Checkpoints are C2SP tlog-checkpoint bodies signed as C2SP signed
 * notes with the key recorded by aims_ledger_setup.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "aims/ledger.h"
#include "aims/merkle.h"
#include "core/core.h"
#include "ledger_internal.h"
#include "store/store_internal.h"

#define GOV AIMS_LEDGER_GOVERNANCE
#define DEFAULT_ORIGIN "aims.local/governance"
#define AIMS__STR_(x) #x
#define AIMS__STR(x) AIMS__STR_(x)

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

/* well-formed UTF-8 (core.h); NULL is fine */
static int utf8_ok(const char *s)
{
	return !s || aims__utf8_valid(s, strlen(s)) == strlen(s);
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
	/* the last index, not a count: a lookup in the primary key, not a scan of the log */
	if ((err = aims__stmt_prepare(&st, s, "SELECT COALESCE(MAX(idx), -1) + 1 FROM ledger_entries WHERE log = ?")) < 0 ||
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

int aims_ledger_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims_store *s, uint64_t index, uint64_t size)
{
	tile_reader rd = { s, GOV, NULL };
	int err;
	*proof = NULL;
	*len = 0;
	/* no count of the log here (that is a scan): a size beyond it finds its tiles missing */
	if (index >= size)
		return aims__err(AIMS_EINVALID, "governance entry %llu: not in a tree of %llu entries",
				 (unsigned long long)index, (unsigned long long)size);
	err = aims_merkle_stored_inclusion_proof(proof, len, index, size, read_stored_hash, &rd);
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

/*
 * The absolute path recorded for a key file: its folder resolved, its own
 * name kept, so that a symbolic link at the key's name is refused when the
 * key is loaded (O_NOFOLLOW) now and at every later signing.
 */
static int key_file_path(char real[PATH_MAX], const char *key_path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(key_path, '/');
	const char *base = slash ? slash + 1 : key_path;
	size_t dl = slash ? (size_t)(slash - key_path) : 0;
	struct stat st;

	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return aims__err(AIMS_EINVALID, "'%s' names a folder, not a key file", key_path);
	if (dl >= sizeof(dir))
		return aims__err(AIMS_EINVALID, "key file '%s': path too long", key_path);
	if (slash) {
		memcpy(dir, key_path, dl);
		dir[dl] = '\0';
	}
	char rdir[PATH_MAX];
	if (!realpath(slash ? (dl ? dir : "/") : ".", rdir))
		return aims__err(AIMS_ENOTFOUND, "cannot find key file '%s': %s", key_path, strerror(errno));
	if (snprintf(real, PATH_MAX, "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, base) >= PATH_MAX)
		return aims__err(AIMS_EINVALID, "key file '%s': path too long", key_path);
	if (lstat(real, &st) != 0)
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, "cannot find key file '%s': %s",
				 key_path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return aims__err(AIMS_EINVALID, "key file '%s' is a symbolic link: refusing to read a key "
				 "through it (give the file itself)", key_path);
	return 0;
}

int aims_ledger_setup(aims_store *s, const char *key_path, char **vkey_out)
{
	aims_note_signer *signer = NULL;
	aims__stmt *st = NULL;
	char *vkey = NULL;
	char real[PATH_MAX];
	int err;

	if (vkey_out)
		*vkey_out = NULL;
	if ((err = key_file_path(real, key_path)) < 0)
		return err;
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

/* ---- witnesses (c2sp.org/tlog-witness) ---- */

int aims_ledger_witness_request(char **out, size_t *len, aims_store *s, uint64_t old_size)
{
	tile_reader rd = { s, GOV, NULL };
	aims_buf b = AIMS_BUF_INIT;
	aims_checkpoint *cp = NULL;
	uint8_t (*proof)[32] = NULL;
	char *note = NULL, b64[48];
	size_t plen = 0;
	int err;

	*out = NULL;
	if (len)
		*len = 0;
	if ((err = aims_ledger_latest_checkpoint(&note, s, GOV)) < 0)
		return err;
	/* the body: the signatures are the witness's to check */
	const char *sep = strstr(note, "\n\n");
	if (!sep || aims_checkpoint_parse(&cp, note, (size_t)(sep - note) + 1) < 0) {
		err = aims__err(AIMS_ETAMPERED, "governance log: the latest checkpoint is malformed");
		goto done;
	}
	if (old_size > cp->size) {
		err = aims__err(AIMS_EINVALID, "old size %llu is beyond the latest checkpoint's size %llu",
				(unsigned long long)old_size, (unsigned long long)cp->size);
		goto done;
	}
	/* add-checkpoint: "old N", the consistency proof from N (none from 0 or to itself), an empty line, the checkpoint */
	if (old_size > 0 && old_size < cp->size &&
	    (err = aims_merkle_stored_consistency_proof(&proof, &plen, old_size, cp->size, read_stored_hash, &rd)) < 0)
		goto done;
	if ((err = aims_buf_printf(&b, "old %llu\n", (unsigned long long)old_size)) < 0)
		goto done;
	for (size_t i = 0; i < plen; i++) {
		aims__base64(b64, proof[i], 32);
		if ((err = aims_buf_printf(&b, "%s\n", b64)) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(&b, "\n")) < 0 || (err = aims_buf_puts(&b, note)) < 0)
		goto done;
	if (len)
		*len = b.len;
	if (!(*out = aims_buf_detach(&b, NULL)))
		err = aims__oom();
done:
	aims__stmt_free(rd.st);
	aims_merkle_proof_free(proof);
	aims_checkpoint_free(cp);
	aims_buf_release(&b);
	free(note);
	return err;
}

int aims_ledger_add_cosignatures(uint64_t *size, aims_store *s, const char *lines, size_t len,
				 const char *const *witness_keys, size_t nkeys)
{
	aims__stmt *st = NULL, *up = NULL;
	char *merged = NULL;
	size_t mlen = 0;
	int err, tried = 0;

	if (size)
		*size = 0;
	if (nkeys == 0)
		return aims__err(AIMS_EUSAGE, "the witness's cosigner key is needed to check its cosignatures");
	for (size_t k = 0; k < nkeys; k++)
		if ((err = aims_note_verifier_check(witness_keys[k])) < 0)
			return err;
	if ((err = aims_store_begin(s)) < 0)
		return err;
	/* the checkpoint the witness cosigned: the latest, or one before it if the log grew meanwhile */
	if ((err = aims__stmt_prepare(&st, s, "SELECT size, note FROM ledger_checkpoints WHERE log = ? ORDER BY size "
				      "DESC LIMIT 64")) < 0 || (err = aims__stmt_bind_text(st, 1, GOV)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *note = aims__stmt_text(st, 1);
		tried++;
		err = aims_note_add_signatures(&merged, &mlen, note, strlen(note), lines, len, witness_keys, nkeys, NULL);
		if (err == AIMS_EINVALID || err == AIMS_ECONFLICT || err == AIMS_ENOMEM)
			goto fail;
		if (err == 0) {
			if (size)
				*size = (uint64_t)aims__stmt_int64(st, 0);
			if ((err = aims__stmt_prepare(&up, s, "UPDATE ledger_checkpoints SET note = ? WHERE log = ? AND "
						      "size = ?")) < 0 ||
			    (err = aims__stmt_bind_text(up, 1, merged)) < 0 || (err = aims__stmt_bind_text(up, 2, GOV)) < 0 ||
			    (err = aims__stmt_bind_int64(up, 3, aims__stmt_int64(st, 0))) < 0 ||
			    (err = aims__stmt_step(up)) < 0)
				goto fail;
			break;
		}
		aims_error_clear();
	}
	if (err < 0)
		goto fail;
	if (!merged) {
		err = aims__err(tried ? AIMS_ETAMPERED : AIMS_ENOTFOUND, tried ? "the cosignatures do not verify with the "
				"witness key(s) for any of the latest %d checkpoints of the governance log" :
				"the governance log has no signed checkpoint", tried);
		goto fail;
	}
	aims__stmt_free(st);
	aims__stmt_free(up);
	free(merged);
	return aims_store_commit(s);
fail:
	aims__stmt_free(st);
	aims__stmt_free(up);
	free(merged);
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
	char *created_at;
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

/* runs of entries without a body */
typedef struct {
	uint64_t from, to;  /* [from, to) */
} run;

static int runs_add(run **v, size_t *n, size_t *cap, uint64_t idx)
{
	int err;
	if (*n && (*v)[*n - 1].to == idx) {
		(*v)[*n - 1].to++;
		return 0;
	}
	if ((err = aims__grow(v, cap, *n + 1, sizeof(**v))) < 0)
		return err;
	(*v)[*n].from = idx;
	(*v)[*n].to = idx + 1;
	(*n)++;
	return 0;
}

int aims__prune_record_parse(uint64_t *k, const char *object_id, const char *log)
{
	size_t ll = strlen(log), bl = strlen(AIMS__PRUNE_BELOW);
	uint64_t v = 0;
	if (!object_id || strncmp(object_id, log, ll) != 0 || strncmp(object_id + ll, AIMS__PRUNE_BELOW, bl) != 0)
		return -1;
	const char *p = object_id + ll + bl;
	if (!*p || (p[0] == '0' && p[1]))
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*k = v;
	return 0;
}

/* whether a signing key is set up for the store's checkpoints */
static int key_configured(int *yes, aims_store *s)
{
	char *v = NULL;
	int err = aims_store_setting_get(&v, s, "ledger.vkey");
	*yes = v != NULL;
	aims__free(v);
	return err;
}

int aims__prune_bound(uint64_t *bound, aims_store *s, const char *log)
{
	aims__stmt *st = NULL;
	uint64_t covered = UINT64_MAX;
	int err, keyed = 0;
	size_t ll = strlen(log) + strlen(AIMS__PRUNE_BELOW);
	char prefix[160];
	*bound = 0;
	snprintf(prefix, sizeof(prefix), "%s%s", log, AIMS__PRUNE_BELOW);
	if ((err = key_configured(&keyed, s)) < 0)
		return err;
	if (keyed) {
		/* only a prune record under a signed checkpoint counts: anyone can insert a row */
		if ((err = aims__stmt_prepare(&st, s, "SELECT COALESCE(MAX(size), 0) FROM ledger_checkpoints "
					      "WHERE log = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 || (err = aims__stmt_step(st)) < 0)
			goto done;
		covered = (uint64_t)aims__stmt_int64(st, 0);
		aims__stmt_free(st);
		st = NULL;
	}
	if ((err = aims__stmt_prepare(&st, s, "SELECT object_id FROM ledger_entries WHERE log = ? AND "
				      "object_type = ? AND action = 'prune' AND body IS NOT NULL AND idx < ? AND "
				      "substr(object_id, 1, ?) = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, AIMS__PRUNE_TYPE)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, covered > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)covered)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 4, (int64_t)ll)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, prefix)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		uint64_t k;
		if (aims__prune_record_parse(&k, aims__stmt_text(st, 0), log) == 0 && k > *bound)
			*bound = k;
	}
done:
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

void aims__gov_ctx_release(aims__gov_ctx *c)
{
	for (size_t i = 0; i < c->nprunes; i++)
		aims__free(c->prunes[i].log);
	aims__free(c->prunes);
	c->prunes = NULL;
	c->nprunes = c->cprunes = 0;
}

/* the checkpoint at index k of cps (size == expect): signature, cosignatures, root */
static int check_gov_checkpoint(aims__gov_ctx *c, const ckpt *cp_row, aims_merkle_frontier *f, uint64_t prev)
{
	aims_checkpoint *cp = NULL;
	uint8_t root[32];
	int err, cs = 0;
	int orc = aims_checkpoint_open(&cp, cp_row->note, strlen(cp_row->note), c->vkeys, c->nvkeys);
	if (orc == AIMS_ENOMEM)
		return orc;
	if (orc < 0) {
		aims__err_prefix("governance log: checkpoint at size %llu", (unsigned long long)cp_row->size);
		return AIMS_ETAMPERED;
	}
	if (cp->size != cp_row->size) {
		aims_checkpoint_free(cp);
		return aims__err(AIMS_ETAMPERED, "governance log: checkpoint row at size %llu holds another size",
				 (unsigned long long)cp_row->size);
	}
	if ((err = aims_merkle_frontier_root(root, f)) < 0) {
		aims_checkpoint_free(cp);
		return err;
	}
	int bad = memcmp(cp->root, root, 32) != 0;
	aims_checkpoint_free(cp);
	if (bad) {
		/* the tree up to `prev` gave the signed root there: the change is after it */
		c->stats->first_bad = (int64_t)prev;
		if (cp_row->size == prev + 1)
			return aims__err(AIMS_ETAMPERED, "governance log: entry %llu no longer verifies: the signed "
					 "checkpoint of size %llu does not match the entries (the entry, its leaf hash "
					 "and its tiles were rewritten)", (unsigned long long)prev,
					 (unsigned long long)cp_row->size);
		return aims__err(AIMS_ETAMPERED, "governance log: an entry from %llu to %llu no longer verifies: "
				 "the signed checkpoint of size %llu does not match the entries%s (an entry, its leaf "
				 "hash and its tiles were rewritten)", (unsigned long long)prev,
				 (unsigned long long)cp_row->size - 1, (unsigned long long)cp_row->size,
				 prev ? ", the one before it does" : "");
	}
	if (c->nwkeys) {
		aims_note *n = NULL;
		err = aims_note_open(&n, cp_row->note, strlen(cp_row->note), c->wkeys, c->nwkeys);
		if (err == 0)
			cs = 1;
		else if (err == AIMS_ENOMEM)
			return err;
		else if (strstr(aims_error_last(), "no signature by a known key"))
			aims_error_clear();
		else {
			aims__err_prefix("governance log: checkpoint at size %llu", (unsigned long long)cp_row->size);
			return AIMS_ETAMPERED;
		}
		aims_note_free(n);
	}
	c->stats->checkpoints++;
	c->stats->cosigned += (uint64_t)cs;
	return 0;
}

int aims__gov_verify(aims_store *s, aims__gov_ctx *c)
{
	aims_ledger_verify_stats *stats = c->stats;
	aims_merkle_frontier *f = NULL;
	aims__stmt *st = NULL, *tst = NULL;
	ckpt *cps = NULL;
	run *nulls = NULL;
	size_t ncps = 0, capc = 0, next_cp = 0, nnulls = 0, cnulls = 0;
	tile_level levels[8];
	unsigned char stored0[256 * 32];
	size_t stored0_w = 0;
	uint64_t expect = 0, total = 0, last_cp = 0, prev_ok = 0, gov_bound = 0;
	int64_t stale = -1;       /* first entry past the latest checkpoint older than the grace period */
	int64_t tile_bad = -1;    /* first leaf that differs from its stored level-0 tile */
	int64_t bodiless_uncovered = -1;
	int64_t now = aims__clock_now();
	int err;

	memset(stats, 0, sizeof(*stats));
	memset(levels, 0, sizeof(levels));
	stats->first_bad = -1;
	if ((err = key_configured(&c->keyed, s)) < 0 || (err = log_size(&total, s, GOV)) < 0)
		return err;
	c->keyed |= c->nvkeys > 0;
	/* checkpoints, by size */
	if ((err = aims__stmt_prepare(&st, s, "SELECT size, note, created_at FROM ledger_checkpoints WHERE log = ? "
				      "ORDER BY size")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&cps, &capc, ncps + 1, sizeof(*cps))) < 0)
			goto done;
		cps[ncps].size = (uint64_t)aims__stmt_int64(st, 0);
		cps[ncps].created_at = NULL;
		if (!(cps[ncps].note = aims__strdup(aims__stmt_text(st, 1))) ||
		    aims__stmt_text_dup(&cps[ncps].created_at, st, 2) < 0) {
			aims__free(cps[ncps].note);
			err = aims__oom();
			goto done;
		}
		ncps++;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if (ncps && c->nvkeys == 0) {
		err = aims__err(AIMS_ETAMPERED, "governance log: %zu checkpoint(s) but no verifier key "
				"(give --vkey or run 'aims ledger setup')", ncps);
		goto done;
	}
	last_cp = ncps ? cps[ncps - 1].size : 0;
	if (c->trusted.have && c->trusted.size > total) {
		stats->first_bad = (int64_t)total;
		err = aims__err(AIMS_ETAMPERED, "governance log has %llu entries, fewer than the %llu of the "
				"trusted checkpoint: entries from %llu were removed (truncation or rollback)",
				(unsigned long long)total, (unsigned long long)c->trusted.size,
				(unsigned long long)total);
		goto done;
	}

	if ((err = aims_merkle_frontier_new(&f)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&tst, s, "SELECT data FROM ledger_tiles WHERE log = ? AND level = 0 AND idx = ?")) < 0 ||
	    (err = aims__stmt_prepare(&st, s,
			"SELECT idx, time, actor, action, object_type, object_id, new_digest, prev_digest, body, "
			"leaf_hash FROM ledger_entries WHERE log = ? ORDER BY idx")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0)
		goto done;
	for (;;) {
		/* checkpoints at the current size */
		while (next_cp < ncps && cps[next_cp].size <= expect) {
			if (cps[next_cp].size < expect) {
				err = aims__err(AIMS_ETAMPERED, "governance log: checkpoint order is broken");
				goto done;
			}
			if ((err = check_gov_checkpoint(c, &cps[next_cp], f, prev_ok)) < 0) {
				if (tile_bad >= (int64_t)prev_ok && tile_bad < (int64_t)cps[next_cp].size) {
					stats->first_bad = tile_bad;
					err = aims__err(AIMS_ETAMPERED, "governance log: entry %lld no longer verifies: its leaf "
							"hash differs from tile 0/%llu (hash %u), and the signed checkpoint of "
							"size %llu does not match the entries", (long long)tile_bad,
							(unsigned long long)(tile_bad / 256), (unsigned)(tile_bad % 256),
							(unsigned long long)cps[next_cp].size);
				}
				goto done;
			}
			prev_ok = cps[next_cp].size;
			next_cp++;
		}
		if (c->trusted.have && c->trusted.size == expect) {
			uint8_t root[32];
			if ((err = aims_merkle_frontier_root(root, f)) < 0)
				goto done;
			if (memcmp(root, c->trusted.root, 32) != 0) {
				stats->first_bad = (int64_t)prev_ok;
				err = aims__err(AIMS_ETAMPERED, "governance log: the first %llu entries do not give the "
						"root of the trusted checkpoint of that size: the log was rewritten (a "
						"fork)", (unsigned long long)expect);
				goto done;
			}
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
		int pruned = aims__stmt_type(st, 8) == AIMS__NULL;
		uint8_t leaf[32];
		if (hlen != 32) {
			stats->first_bad = idx;
			err = aims__err(AIMS_ETAMPERED, "governance log: entry %lld has a damaged leaf hash", (long long)idx);
			goto done;
		}
		if (!pruned) {
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
			stats->pruned++;
			if ((err = runs_add(&nulls, &nnulls, &cnulls, (uint64_t)idx)) < 0)
				goto done;
		}
		/* the leaf against its stored level-0 tile, at once, so that a leaf hash
		 * changed with its body is named exactly */
		if (expect % 256 == 0) {
			size_t tl = 0;
			if ((err = aims__stmt_reset(tst)) < 0 || (err = aims__stmt_bind_text(tst, 1, GOV)) < 0 ||
			    (err = aims__stmt_bind_int64(tst, 2, (int64_t)(expect / 256))) < 0 ||
			    (err = aims__stmt_step(tst)) < 0)
				goto done;
			const void *td = err == 1 ? aims__stmt_blob(tst, 0, &tl) : NULL;
			stored0_w = td && tl % 32 == 0 && tl <= sizeof(stored0) ? tl / 32 : 0;
			if (stored0_w)
				memcpy(stored0, td, tl);
		}
		/* which of the two changed, the entry or the tile, the signed checkpoints decide */
		if (tile_bad < 0 && expect % 256 < stored0_w && memcmp(stored0 + (expect % 256) * 32, leaf, 32) != 0)
			tile_bad = idx;  /* a missing or short tile: the comparison of all tiles names it */
		/* entries past the latest checkpoint: recent enough to be signed with the next write */
		if (c->keyed && (uint64_t)idx >= last_cp) {
			int64_t t;
			const char *tm = aims__stmt_text(st, 1);
			if (pruned && bodiless_uncovered < 0)
				bodiless_uncovered = idx;
			if (stale < 0 && (!tm || aims__rfc3339(&t, NULL, tm, strlen(tm), 0) < 0 ||
					  t < now - AIMS_LEDGER_CHECKPOINT_GRACE))
				stale = idx;
		}
		/* prune records: which entries may have lost their bodies */
		const char *otype = aims__stmt_text(st, 4), *oid = aims__stmt_text(st, 5);
		const char *action = aims__stmt_text(st, 3);
		if (!pruned && otype && oid && action && strcmp(otype, AIMS__PRUNE_TYPE) == 0 &&
		    strcmp(action, "prune") == 0) {
			const char *sp = strstr(oid, AIMS__PRUNE_BELOW);
			uint64_t k;
			if (sp) {
				char *log = aims__strndup(oid, (size_t)(sp - oid));
				if (!log) {
					err = aims__oom();
					goto done;
				}
				if (aims__prune_record_parse(&k, oid, log) == 0) {
					if ((err = aims__grow(&c->prunes, &c->cprunes, c->nprunes + 1, sizeof(*c->prunes))) < 0) {
						aims__free(log);
						goto done;
					}
					c->prunes[c->nprunes].log = log;
					c->prunes[c->nprunes].k = k;
					c->prunes[c->nprunes].idx = idx;
					c->nprunes++;
					log = NULL;
				}
				aims__free(log);
			}
		}
		if (c->on_entry && (err = c->on_entry(c->arg, idx, otype, oid, action, aims__stmt_text(st, 6),
						      pruned)) < 0)
			goto done;
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
	/* a leaf that differs from its tile past the last signed checkpoint: either may have changed */
	if (tile_bad >= 0 && (uint64_t)tile_bad >= last_cp && next_cp >= ncps) {
		stats->first_bad = tile_bad;
		err = aims__err(AIMS_ETAMPERED, "governance log: tile 0/%llu differs from the entries (first entry "
				"affected: %lld): entry %lld no longer verifies, or the tile was changed (no signed "
				"checkpoint covers them to tell which)", (unsigned long long)(tile_bad / 256),
				(long long)tile_bad, (long long)tile_bad);
		goto done;
	}
	if (next_cp < ncps) {
		err = aims__err(AIMS_ETAMPERED, "governance log: a checkpoint at size %llu is beyond the %llu entries "
				"(entries from %llu were removed)", (unsigned long long)cps[next_cp].size,
				(unsigned long long)expect, (unsigned long long)expect);
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
	/* with a signing key, the entries must be under a signed checkpoint: all but those
	 * of the last few minutes, which the next write's checkpoint will cover */
	stats->covered = last_cp;
	if (c->keyed && expect == 0) {
		err = aims__err(AIMS_ETAMPERED, "governance log: a signing key is set up (setting ledger.vkey), but "
				"the governance log has no entries: its entries, tiles and checkpoints were removed");
		stats->first_bad = 0;
		goto done;
	}
	if (c->keyed && ncps == 0) {
		stats->first_bad = 0;
		err = aims__err(AIMS_ETAMPERED, "governance log: a signing key is set up, but no signed checkpoint "
				"covers its %llu entries: the checkpoints were removed (entries from 0 no longer verify)",
				(unsigned long long)expect);
		goto done;
	}
	if (bodiless_uncovered >= 0 || stale >= 0) {
		int64_t at = bodiless_uncovered >= 0 && (stale < 0 || bodiless_uncovered < stale) ? bodiless_uncovered : stale;
		stats->first_bad = (int64_t)last_cp;
		err = aims__err(AIMS_ETAMPERED, "governance log: entries %llu to %llu are not covered by a signed "
				"checkpoint, and entry %lld %s: checkpoints were removed, or entries appended outside "
				"aims (a write signs its checkpoint at once; 'aims ledger checkpoint' signs one)",
				(unsigned long long)last_cp, (unsigned long long)expect - 1, (long long)at,
				at == bodiless_uncovered ? "has no body" :
				"is older than the " AIMS__STR(AIMS_LEDGER_CHECKPOINT_GRACE) " seconds allowed");
		goto done;
	}
	/* retention: only entries below a prune record's bound may have lost their bodies */
	for (size_t i = 0; i < c->nprunes; i++)
		if (strcmp(c->prunes[i].log, GOV) == 0 && (!c->keyed || (uint64_t)c->prunes[i].idx < last_cp) &&
		    c->prunes[i].k > gov_bound)
			gov_bound = c->prunes[i].k;
	for (size_t i = 0; i < nnulls; i++) {
		if (nulls[i].to > gov_bound) {
			uint64_t first = nulls[i].from > gov_bound ? nulls[i].from : gov_bound;
			stats->first_bad = (int64_t)first;
			err = aims__err(AIMS_ETAMPERED, "governance log: entry %llu has no body, but the governance log "
					"records pruning only below entry %llu: an entry inside the retention period "
					"lost its body", (unsigned long long)first, (unsigned long long)gov_bound);
			goto done;
		}
	}
	/* RFC 9162 2.1.4: the trusted checkpoint's tree is a prefix of the tree now */
	if (c->trusted.have && c->trusted.size > 0 && c->trusted.size < expect) {
		tile_reader rd = { s, GOV, NULL };
		uint8_t (*proof)[32] = NULL, root[32];
		size_t plen = 0;
		if ((err = aims_merkle_frontier_root(root, f)) < 0 ||
		    (err = aims_merkle_stored_consistency_proof(&proof, &plen, c->trusted.size, expect,
								read_stored_hash, &rd)) < 0) {
			aims__stmt_free(rd.st);
			goto done;
		}
		aims__stmt_free(rd.st);
		err = aims_merkle_verify_consistency(c->trusted.size, expect, c->trusted.root, root,
						     (const uint8_t (*)[32])proof, plen);
		aims_merkle_proof_free(proof);
		if (err < 0) {
			stats->first_bad = 0;
			err = aims__err(AIMS_ETAMPERED, "governance log: the tree of %llu entries is not consistent with "
					"the trusted checkpoint of size %llu (RFC 9162 consistency proof): %s",
					(unsigned long long)expect, (unsigned long long)c->trusted.size,
					aims_error_last());
			goto done;
		}
		stats->trusted_size = c->trusted.size;
	} else if (c->trusted.have) {
		stats->trusted_size = c->trusted.size;
	}
	err = 0;
done:
	aims__stmt_free(st);
	aims__stmt_free(tst);
	aims_merkle_frontier_free(f);
	for (size_t i = 0; i < ncps; i++) {
		aims__free(cps[i].note);
		aims__free(cps[i].created_at);
	}
	aims__free(cps);
	aims__free(nulls);
	for (size_t l = 0; l < 8; l++) {
		for (size_t t = 0; t < levels[l].cap; t++)
			aims__free(levels[l].tiles ? levels[l].tiles[t] : NULL);
		aims__free(levels[l].tiles);
	}
	return err;
}

/* the verifier keys: the ones given, else the recorded one (*owned, to free) */
static int resolve_vkeys(const char *const **vkeys, size_t *nvkeys, char **owned, const char **one,
			 aims_store *s)
{
	int err;
	*owned = NULL;
	if (*nvkeys > 0)
		return 0;
	err = aims_ledger_vkey(owned, s);
	if (err < 0 && err != AIMS_ENOTFOUND)
		return err;
	aims_error_clear();
	if (*owned) {
		one[0] = *owned;
		*vkeys = one;
		*nvkeys = 1;
	}
	return 0;
}

uint64_t aims__gov_prune_bound(const aims__gov_ctx *c, const char *log)
{
	uint64_t b = 0;
	for (size_t i = 0; i < c->nprunes; i++)
		if (strcmp(c->prunes[i].log, log) == 0 && (!c->keyed || (uint64_t)c->prunes[i].idx < c->stats->covered) &&
		    c->prunes[i].k > b)
			b = c->prunes[i].k;
	return b;
}

int aims__ledger_resolve_vkeys(const char *const **vkeys, size_t *nvkeys, char **owned, const char **one,
			       aims_store *s)
{
	return resolve_vkeys(vkeys, nvkeys, owned, one, s);
}

int aims_ledger_verify(aims_ledger_verify_stats *stats, aims_store *s, const char *const *vkeys,
		       size_t nvkeys)
{
	aims_ledger_verify_stats local;
	aims__gov_ctx c;
	char *owned = NULL;
	const char *one[1];
	int err;

	memset(&local, 0, sizeof(local));
	memset(&c, 0, sizeof(c));
	c.stats = stats ? stats : &local;
	memset(c.stats, 0, sizeof(*c.stats));
	c.stats->first_bad = -1;
	if ((err = resolve_vkeys(&vkeys, &nvkeys, &owned, one, s)) < 0)
		return err;
	c.vkeys = vkeys;
	c.nvkeys = nvkeys;
	err = aims__gov_verify(s, &c);
	aims__gov_ctx_release(&c);
	aims__free(owned);
	return err;
}

/* ---- retention ---- */

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

static int query_u64(uint64_t *out, aims_store *s, const char *sql, const char *a1, const char *a2)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, s, sql)) < 0 || (err = aims__stmt_bind_text(st, 1, a1)) < 0 ||
	    (a2 && (err = aims__stmt_bind_text(st, 2, a2)) < 0) || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	*out = (uint64_t)aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return 0;
}

int aims_ledger_prune(aims_store *s, int days, uint64_t *pruned)
{
	aims__stmt *st = NULL;
	char cutoff[32];
	uint64_t before = 0, after = 0, size = 0, k_time = 0, k_cp = 0, k;
	int err, keyed = 0;

	if (pruned)
		*pruned = 0;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS)
		return aims__err(AIMS_EINVALID, "retention of %d days is below the minimum of %d days "
				 "(EU AI Act Art. 19(1) and 26(6): at least six months)", days,
				 AIMS_LEDGER_MIN_RETENTION_DAYS);
	/* the real clock: nothing a caller passes can make the period shorter */
	aims__time_format(cutoff, aims__clock_now() - (int64_t)days * 86400);
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = count_pruned(&before, s)) < 0 || (err = log_size(&size, s, GOV)) < 0 ||
	    (err = key_configured(&keyed, s)) < 0)
		goto fail;
	/*
	 * Retention runs from the start of the log: up to the first entry that is
	 * inside the period by its own time or, with a signing key, that no
	 * checkpoint signed before the cutoff covers (so that a time stamp alone
	 * cannot make an entry look old). The prune record names that bound, and
	 * verification refuses a missing body above it.
	 */
	if ((err = query_u64(&k_time, s, "SELECT COALESCE(MIN(idx), -1) FROM ledger_entries WHERE log = ? AND "
			     "time >= ?", GOV, cutoff)) < 0)
		goto fail;
	k = (int64_t)k_time < 0 ? size : k_time;
	if (keyed) {
		if ((err = query_u64(&k_cp, s, "SELECT COALESCE(MAX(size), 0) FROM ledger_checkpoints WHERE log = ? "
				     "AND created_at < ?", GOV, cutoff)) < 0)
			goto fail;
		if (k_cp < k)
			k = k_cp;
	}
	/* the latest entry of each object keeps its body: the state is checked against it */
	if ((err = aims__stmt_prepare(&st, s,
			"UPDATE ledger_entries SET body = NULL WHERE log = ? AND idx < ? AND body IS NOT NULL AND "
			"idx < (SELECT MAX(e.idx) FROM ledger_entries e WHERE e.log = ledger_entries.log AND "
			"e.object_type = ledger_entries.object_type AND e.object_id = ledger_entries.object_id)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, GOV)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, (int64_t)k)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	if ((err = count_pruned(&after, s)) < 0)
		goto fail;
	/* pruning is itself a governance action */
	if (after > before) {
		char what[96];
		snprintf(what, sizeof(what), "%s" AIMS__PRUNE_BELOW "%llu", GOV, (unsigned long long)k);
		if ((err = aims_ledger_append(s, "prune", AIMS__PRUNE_TYPE, what, NULL, NULL)) < 0)
			goto fail;
	}
	if (pruned)
		*pruned = after - before;
	return aims_store_commit(s);
fail:
	aims__stmt_free(st);
	aims_store_rollback(s);
	return err;
}
