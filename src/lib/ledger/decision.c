/*
 * AI decision logs: one RFC 9162 Merkle tree per AI system, kept in files
 * beside the store (include/aims/decision.h, docs/ledger.md). One sequencer
 * (the holder of the log's flock) appends length-prefixed canonical records
 * to `entries` in batches, each made durable with one fdatasync before it
 * is acknowledged; the tree's stored hashes are collected in memory as the
 * frontier completes them and written as C2SP tlog-tiles when a checkpoint
 * is signed (at least every second while appending, and at the end).
 *
 * Crash safety rests on one order of writes: entries (fdatasync) -> tiles
 * (syncfs) -> checkpoint history, checkpoint, state (syncfs). `state` says
 * up to which size the tiles are durable and where that size ends in
 * `entries`; it is only a hint, checked against the entries file's inode
 * and length. Opening a log re-reads the entries after that point, cuts off
 * a torn tail, and brings tiles and checkpoint up to the entries.
 */
#define _GNU_SOURCE /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aims/decision.h"
#include "aims/ledger.h"
#include "aims/merkle.h"
#include "core/core.h"
#include "store/store_internal.h"

#define TLEVELS 8                          /* tile levels: 8 * 8 = 64 tree levels */
#define TW AIMS_MERKLE_TILE_WIDTH
#define TILE_BYTES (TW * 32)
#define PRUNED_WORD 0x80000020u            /* length word of a pruned record: bit 31 + 32 */
#define BATCH_BYTES ((size_t)16 << 20)     /* a batch is written when this full, or batch_ms old */
#define PENDING_TILES_MAX ((size_t)16 << 20) /* full tiles held before they are written */
#define READ_CHUNK ((size_t)8 << 20)
#define STATE_MAGIC "aims decision state 2"
#define TCACHE_SLOTS 256                   /* tiles cached for proofs: 256 * 16 KiB = 4 MiB at most */

/* ---- small file helpers ---- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int write_all(int fd, const void *data, size_t len, const char *path)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return aims__err(AIMS_ERROR, "cannot write '%s': %s", path, strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* read up to len bytes at off; *got is what was there */
static int pread_full(int fd, void *buf, size_t len, uint64_t off, size_t *got, const char *path)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return aims__err(AIMS_ERROR, "cannot read '%s': %s", path, strerror(errno));
		if (n == 0)
			break;
		done += (size_t)n;
	}
	*got = done;
	return 0;
}

/* write a file whole: beside it, then rename, so a reader never sees half */
static int write_atomic(const char *path, const void *data, size_t len, int sync)
{
	char tmp[PATH_MAX];
	int fd, err;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return aims__err(AIMS_ERROR, "'%s': path too long", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return aims__err(AIMS_ERROR, "cannot create '%s': %s", tmp, strerror(errno));
	err = write_all(fd, data, len, tmp);
	if (err == 0 && sync && fdatasync(fd) != 0)
		err = aims__err(AIMS_ERROR, "cannot sync '%s': %s", tmp, strerror(errno));
	if (close(fd) != 0 && err == 0)
		err = aims__err(AIMS_ERROR, "cannot write '%s': %s", tmp, strerror(errno));
	if (err == 0 && rename(tmp, path) != 0)
		err = aims__err(AIMS_ERROR, "cannot rename '%s': %s", tmp, strerror(errno));
	if (err < 0)
		unlink(tmp);
	return err;
}

/* read a whole small file; AIMS_ENOTFOUND when it does not exist */
static int read_small(char **data, size_t *len, const char *path, size_t max)
{
	struct stat st;
	int fd, err;
	size_t got;
	*data = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return AIMS_ENOTFOUND;
		return aims__err(AIMS_ERROR, "cannot open '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || (size_t)st.st_size > max) {
		close(fd);
		return aims__err(AIMS_ETAMPERED, "'%s' is larger than %zu bytes", path, max);
	}
	char *buf = aims__malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return aims__oom();
	}
	err = pread_full(fd, buf, (size_t)st.st_size, 0, &got, path);
	close(fd);
	if (err < 0) {
		aims__free(buf);
		return err;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static int mkdir_p(const char *path, size_t from)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);
	if (n >= sizeof(tmp))
		return aims__err(AIMS_ERROR, "'%s': path too long", path);
	memcpy(tmp, path, n + 1);
	for (size_t i = from ? from : 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		char c = tmp[i];
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return aims__err(AIMS_ERROR, "cannot create directory '%s': %s", tmp, strerror(errno));
		tmp[i] = c;
	}
	return 0;
}

/* ---- names and the registry (ledger_logs) ---- */

int aims_decision_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > AIMS_DECISION_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int check_name(const char *name)
{
	if (!aims_decision_name_valid(name))
		return aims__err(AIMS_EINVALID, "'%.80s' is not a valid AI system name (1 to %d characters "
				 "of A-Z a-z 0-9 . _ -)", name ? name : "", AIMS_DECISION_NAME_MAX);
	return 0;
}

/* origin and retention of a registered log; AIMS_ENOTFOUND if none */
static int registry_get(char **origin, int *days, aims_store *s, const char *name)
{
	aims__stmt *st = NULL;
	char id[96];
	int err;
	snprintf(id, sizeof(id), "decision/%s", name);
	if (origin)
		*origin = NULL;
	if ((err = aims__stmt_prepare(&st, s, "SELECT origin, retention_days FROM ledger_logs "
				      "WHERE id = ? AND kind = 'decision'")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no decision log for AI system '%s' (run 'aims decision "
				"ingest --system %s' first)", name, name);
		goto done;
	}
	err = 0;
	if (days)
		*days = (int)aims__stmt_int64(st, 1);
	if (origin && !(*origin = aims__strdup(aims__stmt_text(st, 0))))
		err = aims__oom();
done:
	aims__stmt_free(st);
	return err;
}

static int registry_add(aims_store *s, const char *name, const char *origin)
{
	aims__stmt *st = NULL;
	char id[96], now[32];
	int err;
	snprintf(id, sizeof(id), "decision/%s", name);
	aims__time_now(now);
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, s, "INSERT INTO ledger_logs (id, kind, origin, retention_days, "
				      "created_at) VALUES (?, 'decision', ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, origin)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, AIMS_LEDGER_MIN_RETENTION_DAYS)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	err = aims_ledger_append(s, "create", "decision-log", name, NULL, NULL);
done:
	aims__stmt_free(st);
	if (err < 0) {
		aims_store_rollback(s);
		return err;
	}
	return aims_store_commit(s);
}

int aims_decision_logs(char ***names, size_t *count, aims_store *s)
{
	aims__stmt *st = NULL;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int err;
	*names = NULL;
	*count = 0;
	if ((err = aims__stmt_prepare(&st, s, "SELECT id FROM ledger_logs WHERE kind = 'decision' "
				      "ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) > 0) {
		const char *id = aims__stmt_text(st, 0);
		if (!id || strncmp(id, "decision/", 9) != 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			char **nv = aims__realloc(v, nc * sizeof(*nv));
			if (!nv) {
				err = aims__oom();
				break;
			}
			v = nv;
			cap = nc;
		}
		if (!(v[n] = aims__strdup(id + 9))) {
			err = aims__oom();
			break;
		}
		n++;
	}
	aims__stmt_free(st);
	if (err < 0) {
		aims_decision_logs_free(v, n);
		return err;
	}
	*names = v;
	*count = n;
	return 0;
}

void aims_decision_logs_free(char **names, size_t count)
{
	for (size_t i = 0; names && i < count; i++)
		aims__free(names[i]);
	aims__free(names);
}

int aims_decision_set_retention(aims_store *s, const char *name, int days)
{
	aims__stmt *st = NULL;
	char id[96], d[32];
	int err;
	if ((err = check_name(name)) < 0 || (err = registry_get(NULL, NULL, s, name)) < 0)
		return err;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS)
		return aims__err(AIMS_EINVALID, "retention of %d days is below the minimum of %d days "
				 "(EU AI Act Art. 19(1) and 26(6): at least six months)", days,
				 AIMS_LEDGER_MIN_RETENTION_DAYS);
	snprintf(id, sizeof(id), "decision/%s", name);
	snprintf(d, sizeof(d), "retention_days=%d", days);
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, s, "UPDATE ledger_logs SET retention_days = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, days)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	char dig[72];
	if ((err = aims_ledger_digest(dig, d, strlen(d))) < 0)
		goto done;
	err = aims_ledger_append(s, "update", "decision-log", name, dig, NULL);
done:
	aims__stmt_free(st);
	if (err < 0) {
		aims_store_rollback(s);
		return err;
	}
	return aims_store_commit(s);
}

/* ---- reading the entries file ---- */

/* A sequential reader of length-prefixed records. */
typedef struct {
	int fd;
	const char *path;
	unsigned char *buf;
	size_t len, pos;       /* buf[pos..len) not yet consumed */
	uint64_t base;         /* file offset of buf[0] */
	uint64_t end;          /* file length */
} ereader;

enum { REC_EOF = 0, REC_OK = 1, REC_TORN = 2 };

static int er_init(ereader *r, int fd, const char *path, uint64_t from)
{
	struct stat st;
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->path = path;
	if (fstat(fd, &st) != 0)
		return aims__err(AIMS_ERROR, "cannot stat '%s': %s", path, strerror(errno));
	r->end = (uint64_t)st.st_size;
	r->base = from;
	if (!(r->buf = aims__malloc(READ_CHUNK)))
		return aims__oom();
	return 0;
}

static void er_release(ereader *r)
{
	aims__free(r->buf);
	r->buf = NULL;
}

/* have at least `need` bytes at pos, unless the file ends first */
static int er_fill(ereader *r, size_t need)
{
	if (r->len - r->pos >= need)
		return 0;
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->base += r->pos;
	r->len -= r->pos;
	r->pos = 0;
	uint64_t at = r->base + r->len;
	if (at >= r->end)
		return 0;
	size_t want = READ_CHUNK - r->len;
	if ((uint64_t)want > r->end - at)
		want = (size_t)(r->end - at);
	size_t got;
	int err = pread_full(r->fd, r->buf + r->len, want, at, &got, r->path);
	if (err < 0)
		return err;
	r->len += got;
	if (got < want)
		r->end = at + got;
	return 0;
}

/* whether the file is all zero bytes from `off` to its end (a crash can leave that) */
static int zeros_to_end(ereader *r)
{
	for (;;) {
		for (size_t i = r->pos; i < r->len; i++)
			if (r->buf[i])
				return 0;
		r->pos = r->len;
		if (r->base + r->len >= r->end)
			return 1;
		if (er_fill(r, 1) < 0)
			return 0;
	}
}

/*
 * The next record: REC_OK with *data and *len (or *pruned and the leaf hash in
 * *data), REC_EOF at a clean end, REC_TORN when the file ends inside a
 * record (or in zeros), AIMS_ETAMPERED for a length word no writer makes.
 * *off gets the record's file offset.
 */
static int er_next(ereader *r, const unsigned char **data, uint32_t *len, int *pruned, uint64_t *off,
		   uint64_t index)
{
	int err;
	if ((err = er_fill(r, 4)) < 0)
		return err;
	*off = r->base + r->pos;
	if (r->len - r->pos == 0)
		return REC_EOF;
	if (r->len - r->pos < 4)
		return REC_TORN;
	uint32_t w = get_be32(r->buf + r->pos);
	uint32_t n;
	if (w == PRUNED_WORD) {
		n = 32;
		*pruned = 1;
	} else if (w >= 1 && w <= AIMS_DECISION_RECORD_MAX) {
		n = w;
		*pruned = 0;
	} else {
		if (w == 0 && zeros_to_end(r))
			return REC_TORN;
		return aims__err(AIMS_ETAMPERED, "entry %" PRIu64 " (byte %" PRIu64 " of '%s'): bad record "
				 "length %" PRIu32, index, *off, r->path, w);
	}
	if ((err = er_fill(r, 4 + (size_t)n)) < 0)
		return err;
	if (r->len - r->pos < 4 + (size_t)n)
		return REC_TORN;
	*data = r->buf + r->pos + 4;
	*len = n;
	r->pos += 4 + (size_t)n;
	return REC_OK;
}

/* ---- the open log ---- */

typedef struct {
	uint64_t idx;
	unsigned w;
	int valid;
} partial_file;

/*
 * A tile read for proofs, with every complete hash inside it: h[0..w) are the
 * tile's hashes (tree level 8L), then the complete hashes of the 7 levels
 * above them, level r starting at h[tc_base(r)]. Full tiles never change;
 * a partial tile is used only at the tree size it was read for.
 */
typedef struct {
	int valid;
	unsigned level, w;
	uint64_t idx, size, stamp;
	uint8_t h[2 * TW - 1][32];
} tile_slot;

struct aims_decision_log {
	aims_store *store;
	char *name, *origin, *dir;
	char epath[PATH_MAX];
	int lockfd, efd;
	aims_decision_options opts;
	aims_merkle_frontier *f;
	uint8_t tile[TLEVELS][TW][32];   /* the current (partial) tile of each level */
	unsigned width[TLEVELS];
	uint64_t tindex[TLEVELS];
	partial_file pw[TLEVELS];        /* the partial tile file last written per level */
	partial_file stale[TLEVELS];     /* superseded partial files, removed once state moved on */
	aims_buf full;                   /* full tiles not yet written: level, index, hashes */
	unsigned char *wbuf;             /* the batch being collected */
	size_t wlen, wcap;
	/* the batch being written and synced by a writer thread meanwhile */
	struct {
		pthread_t th;
		int active, err;         /* err: errno of a failed write or sync */
		int fd;
		unsigned char *buf;
		size_t len, cap;
		uint64_t off, size;      /* file offset; log size once it is durable */
	} w;
	uint64_t pending_off;            /* file offset of wbuf[0] */
	uint64_t size, durable, offset, tiles_size;
	int has_cp;
	uint64_t cp_size;
	uint8_t cp_root[32];
	int verifying;                   /* opened by verify: it checks the checkpoints itself */
	int keep_tiles;                  /* write no tiles and no state (verify, state not trusted) */
	uint64_t last_off;               /* file offset and leaf hash of the last record */
	uint8_t last_leaf[32];
	double batch_start, last_cp;
	unsigned since_check;
	char lastdir[PATH_MAX];
	tile_slot *tc[TCACHE_SLOTS];     /* the proof tile cache, allocated as used */
	unsigned tc_n;
	uint64_t tc_clock;
	aims__sha256 *tc_h;
};

static int lpath(char *out, const aims_decision_log *l, const char *rel)
{
	if (snprintf(out, PATH_MAX, "%s/%s", l->dir, rel) >= PATH_MAX)
		return aims__err(AIMS_ERROR, "'%s/%s': path too long", l->dir, rel);
	return 0;
}

static int tile_file(char *out, const aims_decision_log *l, unsigned level, uint64_t index, unsigned w)
{
	aims_merkle_tile t = { level, index, w };
	char rel[AIMS_MERKLE_TILE_PATH_MAX];
	int err;
	if ((err = aims_merkle_tile_path(rel, sizeof(rel), &t)) < 0)
		return err;
	return lpath(out, l, rel);
}

uint64_t aims_decision_size(const aims_decision_log *l)
{
	return l->size;
}

uint64_t aims_decision_durable_size(const aims_decision_log *l)
{
	return l->durable;
}

const char *aims_decision_origin(const aims_decision_log *l)
{
	return l->origin;
}

/* record the stored hashes the last frontier append completed */
static int tiles_add(aims_decision_log *l)
{
	const uint8_t (*h)[32];
	size_t c = aims_merkle_frontier_completed(l->f, &h);
	for (unsigned L = 0; L < TLEVELS && (size_t)L * 8 < c; L++) {
		memcpy(l->tile[L][l->width[L]++], h[L * 8], 32);
		if (l->width[L] == TW) {
			unsigned char hdr[12];
			int err;
			put_be32(hdr, L);
			put_be32(hdr + 4, (uint32_t)(l->tindex[L] >> 32));
			put_be32(hdr + 8, (uint32_t)l->tindex[L]);
			if ((err = aims_buf_put(&l->full, hdr, sizeof(hdr))) < 0 ||
			    (err = aims_buf_put(&l->full, l->tile[L], TILE_BYTES)) < 0)
				return err;
			l->width[L] = 0;
			l->tindex[L]++;
		}
	}
	return 0;
}

static int write_tile(aims_decision_log *l, const char *path, const void *data, size_t len, int atomic)
{
	const char *slash = strrchr(path, '/');
	size_t dl = (size_t)(slash - path);
	int err;
	if (dl >= sizeof(l->lastdir))
		return aims__err(AIMS_ERROR, "'%s': path too long", path);
	if (strncmp(l->lastdir, path, dl) != 0 || l->lastdir[dl] != '\0') {
		char d[PATH_MAX];
		memcpy(d, path, dl);
		d[dl] = '\0';
		if ((err = mkdir_p(d, strlen(l->dir))) < 0)
			return err;
		memcpy(l->lastdir, d, dl + 1);
	}
	if (atomic)
		return write_atomic(path, data, len, 0);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return aims__err(AIMS_ERROR, "cannot create '%s': %s", path, strerror(errno));
	err = write_all(fd, data, len, path);
	if (close(fd) != 0 && err == 0)
		err = aims__err(AIMS_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return err;
}

/* write the full tiles held in memory (not the partial ones) */
static int flush_full_tiles(aims_decision_log *l)
{
	char path[PATH_MAX];
	int err;
	for (size_t off = 0; off + 12 + TILE_BYTES <= l->full.len; off += 12 + TILE_BYTES) {
		const unsigned char *p = (const unsigned char *)l->full.ptr + off;
		unsigned L = get_be32(p);
		uint64_t idx = (uint64_t)get_be32(p + 4) << 32 | get_be32(p + 8);
		if ((err = tile_file(path, l, L, idx, TW)) < 0 ||
		    (err = write_tile(l, path, p + 12, TILE_BYTES, 0)) < 0)
			return err;
	}
	aims_buf_clear(&l->full);
	return 0;
}

/* write every tile up to the current size, drop superseded partial tiles, syncfs */
static int write_tiles(aims_decision_log *l)
{
	char path[PATH_MAX];
	int err;
	if ((err = flush_full_tiles(l)) < 0)
		return err;
	for (unsigned L = 0; L < TLEVELS; L++) {
		partial_file *p = &l->pw[L];
		if (p->valid && (p->idx != l->tindex[L] || p->w != l->width[L])) {
			/* kept until `state` no longer names a size whose partial tile this is */
			if (l->stale[L].valid && tile_file(path, l, L, l->stale[L].idx, l->stale[L].w) == 0)
				unlink(path);
			l->stale[L] = *p;
			p->valid = 0;
		}
		if (l->width[L] == 0 || p->valid)
			continue;
		if ((err = tile_file(path, l, L, l->tindex[L], l->width[L])) < 0 ||
		    (err = write_tile(l, path, l->tile[L], (size_t)l->width[L] * 32, 1)) < 0)
			return err;
		p->idx = l->tindex[L];
		p->w = l->width[L];
		p->valid = 1;
	}
	if (syncfs(l->efd) != 0)
		return aims__err(AIMS_ERROR, "cannot sync the tiles of '%s': %s", l->dir, strerror(errno));
	l->tiles_size = l->size;
	return 0;
}

static int write_state(aims_decision_log *l)
{
	char path[PATH_MAX], text[192], hex[65];
	int err;
	/* size, its end in entries, and the offset and leaf hash of the record
	 * before it: recovery trusts the state only when that record is there */
	aims__hex(hex, l->last_leaf, 32);
	int n = snprintf(text, sizeof(text), STATE_MAGIC "\n%" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n",
			 l->tiles_size, l->offset, l->tiles_size ? l->last_off : 0,
			 l->tiles_size ? hex : "-");
	if ((err = lpath(path, l, "state")) < 0 || (err = write_atomic(path, text, (size_t)n, 0)) < 0)
		return err;
	/* partial tiles superseded before this state are no longer needed by recovery */
	for (unsigned L = 0; L < TLEVELS; L++) {
		if (l->stale[L].valid && tile_file(path, l, L, l->stale[L].idx, l->stale[L].w) == 0 &&
		    unlink(path) == 0) {
			char *slash = strrchr(path, '/');
			*slash = '\0';
			rmdir(path);  /* the "N.p" folder, once its last partial tile is gone */
		}
		l->stale[L].valid = 0;
	}
	return 0;
}

/* ---- batches: the sequencer's durable append ---- */

/*
 * One batch is written and fdatasync'ed by a writer thread while the next
 * is collected and hashed, so the disk and the CPU work at the same time.
 * A batch is acknowledged only after its fdatasync returned.
 */
static void *writer_main(void *arg)
{
	aims_decision_log *l = arg;
	const unsigned char *p = l->w.buf;
	size_t len = l->w.len;
	uint64_t off = l->w.off;
	l->w.err = 0;
	while (len > 0) {
		ssize_t n = pwrite(l->w.fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			l->w.err = n < 0 ? errno : EIO;
			return NULL;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	if (fdatasync(l->w.fd) != 0)
		l->w.err = errno;
	return NULL;
}

/* the batch in flight is done: acknowledge it */
static int writer_done(aims_decision_log *l)
{
	l->w.active = 0;
	if (l->w.err)
		return aims__err(AIMS_ERROR, "cannot write '%s': %s", l->epath, strerror(l->w.err));
	l->offset = l->w.off + l->w.len;
	l->durable = l->w.size;
	if (l->opts.on_ack)
		l->opts.on_ack(l->durable, l->opts.ack_arg);
	return 0;
}

/* wait for the batch in flight */
static int writer_join(aims_decision_log *l)
{
	if (!l->w.active)
		return 0;
	pthread_join(l->w.th, NULL);
	return writer_done(l);
}

/* hand the collected batch to the writer thread */
static int writer_submit(aims_decision_log *l)
{
	int err;
	if ((err = writer_join(l)) < 0)
		return err;
	if (l->wlen == 0)
		return 0;
	unsigned char *b = l->w.buf;
	size_t cap = l->w.cap;
	l->w.buf = l->wbuf;
	l->w.cap = l->wcap;
	l->w.len = l->wlen;
	l->w.off = l->pending_off;
	l->w.size = l->size;
	l->w.fd = l->efd;
	l->wbuf = b;
	l->wcap = cap;
	l->pending_off += l->wlen;
	l->wlen = 0;
	l->w.active = 1;
	if (pthread_create(&l->w.th, NULL, writer_main, l) != 0) {
		writer_main(l);  /* no thread to be had: write it here */
		return writer_done(l);
	}
	return 0;
}

int aims_decision_sync(aims_decision_log *l)
{
	int err;
	if ((err = writer_submit(l)) < 0)
		return err;
	return writer_join(l);
}

static int sign_checkpoint(aims_decision_log *l, char **note_out)
{
	char path[PATH_MAX], *text = NULL, *note = NULL;
	size_t tlen, nlen;
	uint8_t root[32];
	unsigned char hdr[4];
	int err, fd = -1;

	if ((err = aims_merkle_frontier_root(root, l->f)) < 0 ||
	    (err = aims_checkpoint_format(&text, &tlen, l->origin, l->size, root, NULL, 0)) < 0 ||
	    (err = aims_note_sign(&note, &nlen, text, tlen, l->opts.signer)) < 0)
		goto done;
	/* history first: a crash between the two leaves the history ahead, never behind */
	if ((err = lpath(path, l, "checkpoints")) < 0)
		goto done;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", path, strerror(errno));
		goto done;
	}
	put_be32(hdr, (uint32_t)nlen);
	if ((err = write_all(fd, hdr, 4, path)) < 0 || (err = write_all(fd, note, nlen, path)) < 0)
		goto done;
	if ((err = lpath(path, l, "checkpoint")) < 0 || (err = write_atomic(path, note, nlen, 0)) < 0 ||
	    (err = write_state(l)) < 0)
		goto done;
	if (syncfs(l->efd) != 0) {
		err = aims__err(AIMS_ERROR, "cannot sync '%s': %s", l->dir, strerror(errno));
		goto done;
	}
	l->has_cp = 1;
	l->cp_size = l->size;
	memcpy(l->cp_root, root, 32);
	l->last_cp = now_s();
	if (note_out) {
		*note_out = note;
		note = NULL;
	}
done:
	if (fd >= 0)
		close(fd);
	free(text);
	free(note);
	return err;
}

int aims_decision_checkpoint(aims_decision_log *l, char **note)
{
	int err;
	if (note)
		*note = NULL;
	if (!l->opts.signer)
		return aims__err(AIMS_EUSAGE, "decision log '%s': no key to sign checkpoints", l->name);
	if ((err = aims_decision_sync(l)) < 0)
		return err;
	if (l->tiles_size != l->size && (err = write_tiles(l)) < 0)
		return err;
	return sign_checkpoint(l, note);
}

int aims_decision_append(aims_decision_log *l, const void *record, size_t len)
{
	int err;
	if (len == 0 || len > AIMS_DECISION_RECORD_MAX)
		return aims__err(AIMS_EINVALID, "decision record of %zu bytes (1 to %zu allowed)", len,
				 AIMS_DECISION_RECORD_MAX);
	if (l->wcap - l->wlen < len + 4) {
		size_t nc = l->wcap ? l->wcap : BATCH_BYTES + AIMS_DECISION_RECORD_MAX + 4;
		while (nc - l->wlen < len + 4)
			nc *= 2;
		unsigned char *nb = aims__realloc(l->wbuf, nc);
		if (!nb)
			return aims__oom();
		l->wbuf = nb;
		l->wcap = nc;
	}
	if (l->wlen == 0)
		l->batch_start = now_s();
	if ((err = aims_merkle_frontier_append_entry(l->f, l->last_leaf, record, len)) < 0)
		return err;
	if ((err = tiles_add(l)) < 0)
		return err;
	l->last_off = l->pending_off + l->wlen;
	put_be32(l->wbuf + l->wlen, (uint32_t)len);
	memcpy(l->wbuf + l->wlen + 4, record, len);
	l->wlen += len + 4;
	l->size++;
	/* the clock is read every 64 records: cheap, and 64 records take microseconds */
	if (l->wlen >= BATCH_BYTES || (++l->since_check & 63) == 0) {
		double t = now_s();
		if (l->wlen >= BATCH_BYTES || (t - l->batch_start) * 1000 >= l->opts.batch_ms) {
			if ((err = writer_submit(l)) < 0)
				return err;
			if (l->opts.signer && (t - l->last_cp) * 1000 >= l->opts.checkpoint_ms)
				return aims_decision_checkpoint(l, NULL);
			if (l->full.len >= PENDING_TILES_MAX)
				return flush_full_tiles(l);
		}
	}
	return 0;
}

/* ---- tile reading: the hash reader for proofs and loading the frontier ---- */

typedef struct {
	aims_decision_log *l;
	uint64_t size;               /* tiles of the tree of this size */
	int cached;                  /* through l's tile cache (proofs), or data (recovery) */
	int slot[TLEVELS];           /* cached: the slot last used per tile level, or -1 */
	int have[TLEVELS];
	uint64_t idx[TLEVELS];
	unsigned w[TLEVELS];
	uint8_t (*data)[TILE_BYTES]; /* not cached: TLEVELS tiles */
} tile_reader;

static int read_tile(uint8_t *data, aims_decision_log *l, unsigned L, uint64_t idx, unsigned w)
{
	char path[PATH_MAX];
	struct stat st;
	size_t got;
	int err, fd;
	if ((err = tile_file(path, l, L, idx, w)) < 0)
		return err;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile '%s' is missing (%s)", l->name,
				 path + strlen(l->dir) + 1, strerror(errno));
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != (uint64_t)w * 32) {
		close(fd);
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile '%s' is not %u bytes long", l->name,
				 path + strlen(l->dir) + 1, w * 32);
	}
	err = pread_full(fd, data, (size_t)w * 32, 0, &got, path);
	close(fd);
	if (err == 0 && got != (size_t)w * 32)
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': tile '%s' is short", l->name, path);
	return err;
}

static unsigned tc_base(unsigned r)
{
	return 2 * TW - (2 * TW >> r);
}

static int tc_usable(const tile_slot *s, unsigned L, uint64_t idx, unsigned w, uint64_t size)
{
	return s->valid && s->level == L && s->idx == idx && s->w == w && (w == TW || s->size == size);
}

/* the slot of tile (L, idx, w) of the tree of `size`: found, or read and filled in */
static int tc_get(tile_slot **out, tile_reader *r, unsigned L, uint64_t idx, unsigned w)
{
	aims_decision_log *l = r->l;
	tile_slot *s;
	int err, k = r->slot[L];
	if (k >= 0 && tc_usable(l->tc[k], L, idx, w, r->size))
		goto hit;
	for (k = 0; k < (int)l->tc_n; k++)
		if (tc_usable(l->tc[k], L, idx, w, r->size))
			goto hit;
	/* a miss: a new slot while there is room, else the least recently used of the
	 * lowest level (the least likely to be asked again), never one this proof uses */
	if (l->tc_n < TCACHE_SLOTS) {
		if (!(l->tc[l->tc_n] = aims__calloc(1, sizeof(tile_slot))))
			return aims__oom();
		k = (int)l->tc_n++;
	} else {
		k = -1;
		for (int i = 0; i < (int)l->tc_n; i++) {
			const tile_slot *c = l->tc[i], *b = k >= 0 ? l->tc[k] : NULL;
			int used = 0;
			for (unsigned j = 0; j < TLEVELS; j++)
				used |= j != L && r->slot[j] == i;
			if (used)
				continue;
			if (!c->valid) {
				k = i;
				break;
			}
			if (!b || c->level < b->level || (c->level == b->level && c->stamp < b->stamp))
				k = i;
		}
	}
	if (k < 0) /* cannot happen: a proof holds fewer slots than the cache has */
		return aims__err(AIMS_ERROR, "decision log: tile cache has no free slot");
	s = l->tc[k];
	s->valid = 0;
	if ((err = read_tile(s->h[0], l, L, idx, w)) < 0)
		return err;
	if (!l->tc_h && (err = aims__sha256_new(&l->tc_h)) < 0)
		return err;
	for (unsigned lv = 1; lv < AIMS_MERKLE_TILE_HEIGHT; lv++) {
		const uint8_t *below = &s->h[0][0] + (size_t)tc_base(lv - 1) * 32;
		uint8_t *here = &s->h[0][0] + (size_t)tc_base(lv) * 32, buf[65], node[32];
		buf[0] = 0x01;
		for (unsigned j = 0; j < w >> lv; j++) {
			memcpy(buf + 1, below + (size_t)j * 64, 64);
			if ((err = aims__sha256_update(l->tc_h, buf, sizeof(buf))) < 0 ||
			    (err = aims__sha256_final(l->tc_h, node)) < 0)
				return err;
			memcpy(here + (size_t)j * 32, node, 32);
		}
	}
	s->valid = 1;
	s->level = L;
	s->idx = idx;
	s->w = w;
	s->size = r->size;
hit:
	r->slot[L] = k;
	l->tc[k]->stamp = ++l->tc_clock;
	*out = l->tc[k];
	return 0;
}

static int tile_read_hash(uint8_t out[32], unsigned level, uint64_t index, void *arg)
{
	tile_reader *r = arg;
	aims_merkle_tile t;
	int err;
	if ((err = aims_merkle_tile_for_hash(&t, level, index)) < 0)
		return err;
	if (t.level >= TLEVELS)
		return aims__err(AIMS_EINVALID, "no tile level %u", t.level);
	unsigned w = aims_merkle_tile_width(r->size, t.level, t.index);
	if (w < t.width)
		return aims__err(AIMS_EINVALID, "hash at level %u index %" PRIu64 " is not in the tree of "
				 "size %" PRIu64, level, index, r->size);
	unsigned L = t.level;
	if (r->cached) {
		tile_slot *s;
		unsigned lv = level % AIMS_MERKLE_TILE_HEIGHT;
		if ((err = tc_get(&s, r, L, t.index, w)) < 0)
			return err;
		memcpy(out, s->h[tc_base(lv) + ((index << lv) % TW >> lv)], 32);
		return 0;
	}
	if (!r->have[L] || r->idx[L] != t.index || r->w[L] != w) {
		if ((err = read_tile(r->data[L], r->l, L, t.index, w)) < 0)
			return err;
		r->have[L] = 1;
		r->idx[L] = t.index;
		r->w[L] = w;
	}
	t.width = w;
	return aims_merkle_tile_hash(out, &t, r->data[L], (size_t)w * 32, level, index);
}

/* ---- opening and recovery ---- */

/* the checkpoint body of a signed note, parsed without checking signatures */
static int parse_note_checkpoint(aims_checkpoint **cp, const char *note, size_t len)
{
	const char *sep = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (note[i] == '\n' && note[i + 1] == '\n') {
			sep = note + i;
			break;
		}
	if (!sep)
		return aims__err(AIMS_ETAMPERED, "not a signed note");
	return aims_checkpoint_parse(cp, note, (size_t)(sep - note) + 1);
}

/* whether the record at `at` ends at `end` and has leaf hash `leaf` */
static int record_matches(aims_decision_log *l, uint64_t at, uint64_t end, const uint8_t leaf[32])
{
	unsigned char w[4], *rec = NULL;
	uint8_t h[32];
	size_t got;
	int ok = 0;
	if (pread_full(l->efd, w, 4, at, &got, l->epath) < 0 || got != 4)
		return 0;
	uint32_t n = get_be32(w);
	if (n == PRUNED_WORD)
		n = 32;
	else if (n == 0 || n > AIMS_DECISION_RECORD_MAX)
		return 0;
	if (at + 4 + n != end || !(rec = aims__malloc(n)))
		return 0;
	if (pread_full(l->efd, rec, n, at + 4, &got, l->epath) == 0 && got == n) {
		if (get_be32(w) == PRUNED_WORD)
			ok = memcmp(rec, leaf, 32) == 0;
		else
			ok = aims_merkle_leaf_hash(h, rec, n) == 0 && memcmp(h, leaf, 32) == 0;
	}
	aims__free(rec);
	return ok;
}

static int unhex32(uint8_t out[32], const char *s)
{
	for (int i = 0; i < 64; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		out[i / 2] = (uint8_t)(i % 2 ? (out[i / 2] | v) : v << 4);
	}
	return s[64] == '\0' ? 0 : -1;
}

static int read_state(uint64_t *size, uint64_t *off, int *invalid, aims_decision_log *l)
{
	char path[PATH_MAX], *text = NULL, hex[80];
	size_t len;
	uint64_t s, o, p;
	uint8_t leaf[32];
	int err;
	*size = *off = 0;
	*invalid = 0;
	if ((err = lpath(path, l, "state")) < 0)
		return err;
	if ((err = read_small(&text, &len, path, 256)) < 0)
		return err == AIMS_ENOTFOUND ? 0 : err;
	*invalid = 1;
	if (sscanf(text, STATE_MAGIC "\n%" SCNu64 " %" SCNu64 " %" SCNu64 " %70s", &s, &o, &p, hex) == 4 &&
	    s > 0 && unhex32(leaf, hex) == 0 && record_matches(l, p, o, leaf)) {
		*size = s;
		*off = o;
		*invalid = 0;
		l->last_off = p;
		memcpy(l->last_leaf, leaf, 32);
	}
	aims__free(text);
	return 0;
}

/* cut a torn tail off the checkpoint history */
static int recover_history(aims_decision_log *l)
{
	char path[PATH_MAX], *data = NULL;
	size_t len, off = 0;
	int err;
	if ((err = lpath(path, l, "checkpoints")) < 0)
		return err;
	if ((err = read_small(&data, &len, path, (size_t)1 << 30)) < 0)
		return err == AIMS_ENOTFOUND ? 0 : err;
	while (off + 4 <= len) {
		uint32_t n = get_be32((const unsigned char *)data + off);
		if (n == 0 || n > AIMS_NOTE_MAX_SIZE || off + 4 + n > len)
			break;
		off += 4 + n;
	}
	aims__free(data);
	if (off != len && truncate(path, (off_t)off) != 0)
		return aims__err(AIMS_ERROR, "cannot truncate '%s': %s", path, strerror(errno));
	return 0;
}

static int check_cp_root(aims_decision_log *l)
{
	uint8_t root[32];
	int err;
	if (!l->has_cp || l->verifying || aims_merkle_frontier_size(l->f) != l->cp_size)
		return 0;
	if ((err = aims_merkle_frontier_root(root, l->f)) < 0)
		return err;
	if (memcmp(root, l->cp_root, 32) != 0)
		return aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint of size %" PRIu64 " does "
				 "not match the entries (run 'aims decision verify --system %s')", l->name,
				 l->cp_size, l->name);
	return 0;
}

static int recover(aims_decision_log *l)
{
	char path[PATH_MAX], *note = NULL;
	size_t nlen;
	aims_checkpoint *cp = NULL;
	tile_reader *tr = NULL;
	ereader er;
	uint64_t S, O, count = 0, end = 0;
	int err, rc = 0;

	memset(&er, 0, sizeof(er));
	if ((err = recover_history(l)) < 0)
		return err;
	/* the latest checkpoint */
	if ((err = lpath(path, l, "checkpoint")) < 0)
		return err;
	err = read_small(&note, &nlen, path, AIMS_NOTE_MAX_SIZE);
	if (err == 0) {
		if ((err = parse_note_checkpoint(&cp, note, nlen)) < 0) {
			char why[256];
			snprintf(why, sizeof(why), "%s", aims_error_last());
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint is malformed: %s",
					l->name, why);
			if (l->verifying)
				err = 0;  /* verify reports it with the signature check */
			goto cp_done;
		}
		if (strcmp(cp->origin, l->origin) != 0 && !l->verifying) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint is for '%s', not '%s'",
					l->name, cp->origin, l->origin);
			goto done;
		}
		l->has_cp = 1;
		l->cp_size = cp->size;
		memcpy(l->cp_root, cp->root, 32);
	} else if (err != AIMS_ENOTFOUND) {
		goto done;
	} else {
		err = 0;
	}
cp_done:
	if (err < 0)
		goto done;

	/* the durable tiles, then the entries after them */
	int invalid;
	if ((err = read_state(&S, &O, &invalid, l)) < 0)
		goto done;
	/* verify must not rebuild tiles that exist from entries that may have been
	 * changed: with a state that does not match, it compares what is there */
	if (invalid && l->verifying)
		l->keep_tiles = 1;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((err = er_init(&er, l->efd, l->epath, O)) < 0)
			goto done;
		count = 0;
		for (;;) {
			const unsigned char *d;
			uint32_t n;
			int pr;
			uint64_t off;
			rc = er_next(&er, &d, &n, &pr, &off, S + count);
			if (rc < 0 || rc == REC_TORN || rc == REC_EOF) {
				end = off;
				break;
			}
			count++;
		}
		er_release(&er);
		if (rc >= 0 || attempt == 1 || O == 0)
			break;
		/* the state pointed into the middle of a record: start over from the beginning */
		S = O = 0;
	}
	if (rc < 0) {
		err = rc;
		goto done;
	}
	if (l->has_cp && l->cp_size > S + count) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint of size %" PRIu64 " is "
				"beyond the %" PRIu64 " entries", l->name, l->cp_size, S + count);
		goto done;
	}
	if (rc == REC_TORN) {
		if (ftruncate(l->efd, (off_t)end) != 0 || fdatasync(l->efd) != 0) {
			err = aims__err(AIMS_ERROR, "cannot truncate '%s': %s", l->epath, strerror(errno));
			goto done;
		}
	}

	/* the frontier and the partial tiles at S, from the tiles */
	if (S > 0) {
		if (!(tr = aims__calloc(1, sizeof(*tr))) || !(tr->data = aims__malloc(TLEVELS * TILE_BYTES))) {
			err = aims__oom();
			goto done;
		}
		tr->l = l;
		tr->size = S;
		if ((err = aims_merkle_frontier_load(l->f, S, tile_read_hash, tr)) < 0)
			goto done;
		for (unsigned L = 0; L < TLEVELS; L++) {
			uint64_t idx = (S >> (8 * L)) / TW;
			unsigned w = aims_merkle_tile_width(S, L, idx);
			l->tindex[L] = idx;
			l->width[L] = w;
			if (w > 0) {
				if ((err = read_tile((uint8_t *)l->tile[L], l, L, idx, w)) < 0)
					goto done;
				l->pw[L].idx = idx;
				l->pw[L].w = w;
				l->pw[L].valid = 1;
			}
		}
	}
	l->tiles_size = S;
	l->size = S;
	if ((err = check_cp_root(l)) < 0)
		goto done;

	/* hash what the tiles do not cover yet */
	if (count > 0) {
		if ((err = er_init(&er, l->efd, l->epath, O)) < 0)
			goto done;
		for (uint64_t i = 0; i < count; i++) {
			const unsigned char *d;
			uint32_t n;
			int pr;
			uint64_t off;
			if ((rc = er_next(&er, &d, &n, &pr, &off, l->size)) != REC_OK) {
				err = rc < 0 ? rc : aims__err(AIMS_ERROR, "'%s' changed while it was read", l->epath);
				goto done;
			}
			if (pr) {
				memcpy(l->last_leaf, d, 32);
				err = aims_merkle_frontier_append(l->f, d);
			} else {
				err = aims_merkle_frontier_append_entry(l->f, l->last_leaf, d, n);
			}
			if (err < 0 || (err = tiles_add(l)) < 0)
				goto done;
			l->last_off = off;
			l->size++;
			if ((err = check_cp_root(l)) < 0)
				goto done;
			if (l->full.len >= PENDING_TILES_MAX && l->keep_tiles)
				aims_buf_clear(&l->full);
			else if (l->full.len >= PENDING_TILES_MAX && (err = flush_full_tiles(l)) < 0)
				goto done;
		}
	}
	l->durable = l->size;
	l->offset = l->pending_off = end;
	if ((count > 0 || rc == REC_TORN) && !l->keep_tiles) {
		if ((err = write_tiles(l)) < 0 || (err = write_state(l)) < 0)
			goto done;
	}
	if (l->opts.signer && l->size > 0 && (!l->has_cp || l->cp_size < l->size))
		err = sign_checkpoint(l, NULL);
done:
	er_release(&er);
	if (tr)
		aims__free(tr->data);
	aims__free(tr);
	aims__free(note);
	aims_checkpoint_free(cp);
	return err;
}

void aims_decision_free(aims_decision_log *l)
{
	if (!l)
		return;
	if (l->w.active) {
		pthread_join(l->w.th, NULL);
		l->w.active = 0;
	}
	aims__free(l->w.buf);
	if (l->efd >= 0)
		close(l->efd);
	if (l->lockfd >= 0)
		close(l->lockfd);  /* releases the flock */
	aims_merkle_frontier_free(l->f);
	for (unsigned k = 0; k < l->tc_n; k++)
		aims__free(l->tc[k]);
	aims__sha256_free(l->tc_h);
	aims_buf_release(&l->full);
	aims__free(l->wbuf);
	aims__free(l->name);
	aims__free(l->origin);
	aims__free(l->dir);
	aims__free(l);
}

int aims_decision_close(aims_decision_log *l)
{
	int err = 0;
	if (!l)
		return 0;
	if ((err = aims_decision_sync(l)) == 0) {
		if (l->opts.signer && l->size > 0 && (!l->has_cp || l->cp_size != l->size))
			err = aims_decision_checkpoint(l, NULL);
		else if (l->tiles_size != l->size && (err = write_tiles(l)) == 0)
			err = write_state(l);
	}
	aims_decision_free(l);
	return err;
}

static int open_log(aims_decision_log **out, aims_store *store, const char *system,
		    const aims_decision_options *opts, int verifying)
{
	aims_decision_options def = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_log *l = NULL;
	char path[PATH_MAX];
	int err;

	*out = NULL;
	if (!opts)
		opts = &def;
	if ((err = check_name(system)) < 0)
		return err;
	/* the entries are files beside a SQLite store; a PostgreSQL store does not hold them yet */
	if (strcmp(aims_store_backend(store), "sqlite") != 0)
		return aims__err(AIMS_EINVALID, "decision log '%s': decision logs are kept in files beside a SQLite "
				 "store and are not available with a %s store yet", system, aims_store_backend(store));
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	l->lockfd = l->efd = -1;
	l->verifying = verifying;
	l->opts = *opts;
	if (!l->opts.batch_ms)
		l->opts.batch_ms = 10;
	if (!l->opts.checkpoint_ms)
		l->opts.checkpoint_ms = 1000;
	l->store = store;
	aims_buf_init(&l->full, 0);
	if (!(l->name = aims__strdup(system))) {
		err = aims__oom();
		goto fail;
	}
	err = registry_get(&l->origin, NULL, store, system);
	if (err == AIMS_ENOTFOUND && opts->create) {
		if (!opts->signer) {
			err = aims__err(AIMS_EUSAGE, "creating decision log '%s' needs a signing key", system);
			goto fail;
		}
		aims_buf o = AIMS_BUF_INIT;
		if ((err = aims_buf_printf(&o, "%s/decision/%s", aims_note_signer_name(opts->signer),
					   system)) < 0 ||
		    (err = registry_add(store, system, o.ptr)) < 0) {
			aims_buf_release(&o);
			goto fail;
		}
		l->origin = aims_buf_detach(&o, NULL);
		if (!l->origin) {
			err = aims__oom();
			goto fail;
		}
	} else if (err < 0) {
		goto fail;
	}
	aims_buf d = AIMS_BUF_INIT;
	if ((err = aims_buf_printf(&d, "%s.ledger/decision/%s", aims_store_location(store), system)) < 0) {
		aims_buf_release(&d);
		goto fail;
	}
	if (!(l->dir = aims_buf_detach(&d, NULL))) {
		err = aims__oom();
		goto fail;
	}
	if ((err = mkdir_p(l->dir, 0)) < 0 || (err = lpath(path, l, "lock")) < 0)
		goto fail;
	if ((l->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", path, strerror(errno));
		goto fail;
	}
	/* the sequencer: one process at a time works on a log */
	while (flock(l->lockfd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			err = aims__err(AIMS_ERROR, "cannot lock '%s': %s", path, strerror(errno));
			goto fail;
		}
	}
	if ((err = lpath(l->epath, l, "entries")) < 0)
		goto fail;
	if ((l->efd = open(l->epath, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", l->epath, strerror(errno));
		goto fail;
	}
	if ((err = aims_merkle_frontier_new(&l->f)) < 0 || (err = recover(l)) < 0)
		goto fail;
	l->last_cp = now_s();
	*out = l;
	return 0;
fail:
	aims_decision_free(l);
	return err;
}

int aims_decision_open(aims_decision_log **out, aims_store *store, const char *system,
		       const aims_decision_options *opts)
{
	return open_log(out, store, system, opts, 0);
}

/* ---- ingest ---- */

int aims_decision_ingest(aims_decision_log *l, uint64_t *appended, const char *data, size_t len,
			 const char *name)
{
	aims_buf recs = AIMS_BUF_INIT;
	uint64_t n = 0, lineno = 0;
	int err = 0;

	if (appended)
		*appended = 0;
	if (!l->opts.signer)
		return aims__err(AIMS_EUSAGE, "decision log '%s': no key to sign checkpoints", l->name);
	aims_buf_init(&recs, (size_t)1 << 31);
	/* every line first: one bad line and nothing is appended */
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t e = nl ? (size_t)(nl - data) : len, ll = e - pos;
		const char *line = data + pos;
		lineno++;
		pos = nl ? e + 1 : len;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		size_t k = 0;
		while (k < ll && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == ll)
			continue;
		char *c;
		size_t clen;
		unsigned char hdr[4];
		if ((err = aims_decision_canonical(&c, &clen, line, ll)) < 0) {
			aims__err_prefix("'%s' line %" PRIu64, name, lineno);
			goto done;
		}
		put_be32(hdr, (uint32_t)clen);
		if ((err = aims_buf_put(&recs, hdr, 4)) < 0 || (err = aims_buf_put(&recs, c, clen)) < 0) {
			aims__free(c);
			goto done;
		}
		aims__free(c);
		n++;
	}
	for (size_t off = 0; off < recs.len;) {
		uint32_t rl = get_be32((const unsigned char *)recs.ptr + off);
		if ((err = aims_decision_append(l, recs.ptr + off + 4, rl)) < 0)
			goto done;
		off += 4 + (size_t)rl;
	}
	if ((err = aims_decision_checkpoint(l, NULL)) < 0)
		goto done;
	if (appended)
		*appended = n;
done:
	aims_buf_release(&recs);
	return err;
}

/* ---- reading records ---- */

int aims_decision_foreach(aims_decision_log *l, uint64_t from, uint64_t limit,
			  aims_decision_record_fn fn, void *arg)
{
	ereader er;
	uint64_t i = 0, done_n = 0;
	int err, rc;
	if ((err = er_init(&er, l->efd, l->epath, 0)) < 0)
		return err;
	er.end = l->offset;
	while (i < l->durable && (limit == 0 || done_n < limit)) {
		const unsigned char *d;
		uint32_t n;
		int pr;
		uint64_t off;
		uint8_t leaf[32];
		if ((rc = er_next(&er, &d, &n, &pr, &off, i)) != REC_OK) {
			err = rc < 0 ? rc : aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64
						      " is missing", l->name, i);
			break;
		}
		if (i >= from) {
			if (pr)
				memcpy(leaf, d, 32);
			else if ((err = aims_merkle_leaf_hash(leaf, d, n)) < 0)
				break;
			if ((err = fn(i, pr ? NULL : (const char *)d, pr ? 0 : n, leaf, arg)) != 0)
				break;
			done_n++;
		}
		i++;
	}
	er_release(&er);
	return err;
}

/* ---- proofs from the tiles ---- */

static void cached_reader(tile_reader *tr, aims_decision_log *l, uint64_t size)
{
	memset(tr, 0, sizeof(*tr));
	tr->l = l;
	tr->size = size;
	tr->cached = 1;
	for (unsigned L = 0; L < TLEVELS; L++)
		tr->slot[L] = -1;
}

static int proof_reader(tile_reader *out, aims_decision_log *l, uint64_t size)
{
	int err = 0;
	if (size > l->durable)
		return aims__err(AIMS_EINVALID, "decision log '%s' has %" PRIu64 " durable records, not %"
				 PRIu64, l->name, l->durable, size);
	if (l->tiles_size != l->size && (err = aims_decision_sync(l)) == 0 && (err = write_tiles(l)) == 0)
		err = write_state(l);
	if (l->tiles_size != l->size)
		return err < 0 ? err : aims__err(AIMS_ERROR, "decision log '%s': tiles are behind", l->name);
	cached_reader(out, l, l->tiles_size);
	return 0;
}

int aims_decision_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims_decision_log *l,
				  uint64_t index, uint64_t size)
{
	tile_reader tr;
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = proof_reader(&tr, l, size)) < 0)
		return err;
	err = aims_merkle_stored_inclusion_proof(proof, len, index, size, tile_read_hash, &tr);
	return err;
}

int aims_decision_consistency_proof(uint8_t (**proof)[32], size_t *len, aims_decision_log *l,
				    uint64_t old_size, uint64_t size)
{
	tile_reader tr;
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = proof_reader(&tr, l, size)) < 0)
		return err;
	err = aims_merkle_stored_consistency_proof(proof, len, old_size, size, tile_read_hash, &tr);
	return err;
}

int aims_decision_root(uint8_t root[32], aims_decision_log *l, uint64_t size)
{
	tile_reader tr;
	int err;
	if ((err = proof_reader(&tr, l, size)) < 0)
		return err;
	err = aims_merkle_stored_root(root, size, tile_read_hash, &tr);
	return err;
}

/* ---- receipts ---- */

typedef struct {
	char *data;
	size_t len;
	int found;
} one_record;

static int grab_record(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	one_record *r = arg;
	(void)index;
	(void)leaf;
	r->found = 1;
	if (data && !(r->data = aims__strndup(data, len)))
		return aims__oom();
	r->len = data ? len : 0;
	return 0;
}

int aims_decision_receipt(char **out, size_t *len, aims_decision_log *l, uint64_t index)
{
	char path[PATH_MAX], *note = NULL;
	size_t nlen, plen = 0;
	aims_checkpoint *cp = NULL;
	uint8_t (*proof)[32] = NULL;
	tile_reader tr;
	one_record rec = { NULL, 0, 0 };
	int err;

	*out = NULL;
	*len = 0;
	if ((err = lpath(path, l, "checkpoint")) < 0)
		return err;
	if ((err = read_small(&note, &nlen, path, AIMS_NOTE_MAX_SIZE)) < 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "decision log '%s' has no checkpoint yet", l->name);
		goto done;
	}
	if ((err = parse_note_checkpoint(&cp, note, nlen)) < 0)
		goto done;
	if (index >= cp->size) {
		err = aims__err(AIMS_ENOTFOUND, "decision log '%s': entry %" PRIu64 " is not in the latest "
				"checkpoint (size %" PRIu64 ")", l->name, index, cp->size);
		goto done;
	}
	cached_reader(&tr, l, l->tiles_size);
	if ((err = aims_merkle_stored_inclusion_proof(&proof, &plen, index, cp->size, tile_read_hash, &tr)) < 0 ||
	    (err = aims_decision_foreach(l, index, 1, grab_record, &rec)) < 0)
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

int aims_decision_verify_receipt(uint64_t *index, const char *receipt, size_t len, const char *entry,
				 size_t entry_len, const char *const *vkeys, size_t nvkeys)
{
	aims_tlog_proof *p = NULL;
	aims_checkpoint *cp = NULL;
	uint8_t leaf[32];
	int err;
	if (index)
		*index = 0;
	if ((err = aims_tlog_proof_parse(&p, receipt, len)) < 0)
		return err;
	if (entry && p->extra &&
	    (p->extra_len != entry_len || memcmp(p->extra, entry, entry_len) != 0)) {
		err = aims__err(AIMS_ETAMPERED, "the entry is not the record the receipt was issued for");
		goto done;
	}
	if (!entry && !p->extra) {
		err = aims__err(AIMS_EINVALID, "the receipt holds no record (it was pruned): give the "
				"record's canonical bytes");
		goto done;
	}
	if (entry)
		err = aims_merkle_leaf_hash(leaf, entry, entry_len);
	else
		err = aims_merkle_leaf_hash(leaf, p->extra, p->extra_len);
	if (err < 0)
		goto done;
	err = aims_tlog_proof_verify(&cp, index, receipt, len, leaf, NULL, vkeys, nvkeys);
done:
	aims_tlog_proof_free(p);
	aims_checkpoint_free(cp);
	return err;
}

/* ---- verification ---- */

typedef struct {
	uint64_t size;
	uint8_t root[32];
	int latest;
} cp_item;

static int add_checkpoint(cp_item **v, size_t *n, size_t *cap, const char *note, size_t len,
			  const char *origin, const char *const *vkeys, size_t nvkeys, const char *what)
{
	aims_checkpoint *cp = NULL;
	int err;
	if ((err = aims_checkpoint_open(&cp, note, len, vkeys, nvkeys)) < 0) {
		aims__err_prefix("%s", what);
		return err == AIMS_EINVALID ? aims__err(AIMS_ETAMPERED, "%s", aims_error_last()) : err;
	}
	if (strcmp(cp->origin, origin) != 0) {
		err = aims__err(AIMS_ETAMPERED, "%s is for '%s', not '%s'", what, cp->origin, origin);
		goto done;
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		cp_item *nv = aims__realloc(*v, nc * sizeof(*nv));
		if (!nv) {
			err = aims__oom();
			goto done;
		}
		*v = nv;
		*cap = nc;
	}
	(*v)[*n].size = cp->size;
	memcpy((*v)[*n].root, cp->root, 32);
	(*v)[*n].latest = 0;
	(*n)++;
done:
	aims_checkpoint_free(cp);
	return err;
}

static int cmp_cp(const void *a, const void *b)
{
	const cp_item *x = a, *y = b;
	return (x->size > y->size) - (x->size < y->size);
}

/* the stored tile against the recomputed one: name the first entry it covers that differs */
static int compare_tile(aims_decision_log *l, unsigned L, uint64_t idx, unsigned w, const uint8_t *mine,
			uint8_t *buf)
{
	char path[PATH_MAX];
	if (read_tile(buf, l, L, idx, w) < 0) {
		char why[PATH_MAX + 128];
		uint64_t first = (idx * TW) << (8 * L);
		snprintf(why, sizeof(why), "%s", aims_error_last());
		return aims__err(AIMS_ETAMPERED, "%s (entries from %" PRIu64 " no longer verify)", why, first);
	}
	for (unsigned j = 0; j < w; j++) {
		if (memcmp(buf + (size_t)j * 32, mine + (size_t)j * 32, 32) == 0)
			continue;
		uint64_t first = (idx * TW + j) << (8 * L);
		tile_file(path, l, L, idx, w);
		if (L == 0)
			return aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " no longer "
					 "verifies: its leaf hash differs from tile '%s' (hash %u)", l->name,
					 first, path + strlen(l->dir) + 1, j);
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile '%s' differs at hash %u: entries "
				 "from %" PRIu64 " to %" PRIu64 " no longer verify", l->name,
				 path + strlen(l->dir) + 1, j, first, first + ((uint64_t)1 << (8 * L)) - 1);
	}
	return 0;
}

/*
 * Verify hashes the leaves on two threads: the main thread reads the entries
 * into chunks (in order, so a bad record is still found and named first), a
 * worker hashes the leaves of the chunk read last while the main thread
 * feeds the frontier with the chunk before it, and both share the hashing
 * when one of them would otherwise wait. Each thread has its own SHA-256
 * context.
 */
#define VCHUNK_ENTRIES 4096
#define VCHUNK_BYTES ((size_t)2 << 20)
#define VBLOCK 256                         /* leaves claimed at a time */

typedef struct {
	unsigned char *data;              /* the records (or pruned leaf hashes), copied */
	size_t dlen, dcap;
	size_t off[VCHUNK_ENTRIES];
	uint32_t len[VCHUNK_ENTRIES];
	unsigned char pruned[VCHUNK_ENTRIES];
	uint8_t leaf[VCHUNK_ENTRIES][32];
	size_t n;                         /* records read */
	size_t next, done;                /* leaves claimed, leaves hashed (under the pool's lock) */
	int herr;                         /* a hashing failure */
	int err;                          /* reading stopped after the n records with this error */
	char msg[PATH_MAX + 256];
} vchunk;

typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	vchunk *offer;                    /* the chunk whose leaves are being hashed */
	int quit;
	aims__sha256 *h;                  /* the worker's */
} vpool;

static int leaf_of(aims__sha256 *h, uint8_t out[32], const vchunk *c, size_t j)
{
	static const uint8_t zero = 0;
	int err;
	if (c->pruned[j]) {
		memcpy(out, c->data + c->off[j], 32);
		return 0;
	}
	if ((err = aims__sha256_update(h, &zero, 1)) < 0 ||
	    (err = aims__sha256_update(h, c->data + c->off[j], c->len[j])) < 0)
		return err;
	return aims__sha256_final(h, out);
}

/* hash blocks of the offered chunk while any are unclaimed; the lock is held on entry and exit */
static void vpool_work(vpool *p, aims__sha256 *h)
{
	vchunk *c;
	while ((c = p->offer) && c->next < c->n) {
		size_t a = c->next, b = a + VBLOCK < c->n ? a + VBLOCK : c->n;
		int herr = 0;
		c->next = b;
		pthread_mutex_unlock(&p->mu);
		for (size_t j = a; j < b && herr == 0; j++)
			herr = leaf_of(h, c->leaf[j], c, j);
		pthread_mutex_lock(&p->mu);
		if (herr < 0)
			c->herr = herr;
		c->done += b - a;
		if (c->done == c->n)
			pthread_cond_broadcast(&p->cv);
	}
}

static void *vpool_main(void *arg)
{
	vpool *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->quit) {
		vpool_work(p, p->h);
		if (!p->quit)
			pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void vpool_offer(vpool *p, vchunk *c)
{
	pthread_mutex_lock(&p->mu);
	c->next = c->done = 0;
	c->herr = 0;
	p->offer = c;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* help hash the offered chunk c, then wait until all its leaves are done */
static int vpool_finish(vpool *p, vchunk *c, aims__sha256 *h)
{
	pthread_mutex_lock(&p->mu);
	vpool_work(p, h);
	while (c->done < c->n)
		pthread_cond_wait(&p->cv, &p->mu);
	p->offer = NULL;
	int herr = c->herr;
	pthread_mutex_unlock(&p->mu);
	return herr < 0 ? aims__err(AIMS_ERROR, "SHA-256 failed while verifying") : 0;
}

/* read records [*i, size) into c, at most one chunk; a reading error is kept for after them */
static int vchunk_read(vchunk *c, ereader *er, uint64_t *i, uint64_t size, const char *system)
{
	c->n = 0;
	c->dlen = 0;
	c->err = 0;
	while (c->n < VCHUNK_ENTRIES && c->dlen < VCHUNK_BYTES && *i < size) {
		const unsigned char *d;
		uint32_t n;
		int pr, rc;
		uint64_t off;
		if ((rc = er_next(er, &d, &n, &pr, &off, *i)) != REC_OK) {
			c->err = rc < 0 ? rc : aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64
							 " no longer verifies: the entries end inside it",
							 system, *i);
			snprintf(c->msg, sizeof(c->msg), "%s", aims_error_last());
			return 0;
		}
		if (c->dcap - c->dlen < n) {
			size_t nc = c->dcap ? c->dcap : VCHUNK_BYTES + 4096;
			while (nc - c->dlen < n)
				nc *= 2;
			unsigned char *nb = aims__realloc(c->data, nc);
			if (!nb)
				return aims__oom();
			c->data = nb;
			c->dcap = nc;
		}
		memcpy(c->data + c->dlen, d, n);
		c->off[c->n] = c->dlen;
		c->len[c->n] = n;
		c->pruned[c->n] = (unsigned char)pr;
		c->dlen += n;
		c->n++;
		(*i)++;
	}
	return 0;
}

int aims_decision_verify(aims_store *store, const char *system, const char *const *vkeys,
			 size_t nvkeys, uint64_t *entries)
{
	aims_decision_log *l = NULL;
	aims_merkle_frontier *f = NULL;
	char path[PATH_MAX], *vk = NULL, *hist = NULL, *note = NULL;
	const char *keys[1];
	size_t hlen = 0, nlen = 0, ncp = 0, capcp = 0, k = 0;
	cp_item *cps = NULL;
	uint8_t (*mine)[TW][32] = NULL, *buf = NULL, *stored0 = NULL;
	unsigned width[TLEVELS] = { 0 };
	uint64_t tindex[TLEVELS] = { 0 }, i = 0, iread = 0;
	ereader er;
	vpool pool;
	vchunk *ch[2] = { NULL, NULL }, *cur = NULL, *nxt = NULL;
	aims__sha256 *mh = NULL;
	pthread_t worker;
	int err, started = 0;
	size_t pos = 0;

	memset(&er, 0, sizeof(er));
	memset(&pool, 0, sizeof(pool));
	pthread_mutex_init(&pool.mu, NULL);
	pthread_cond_init(&pool.cv, NULL);
	if (entries)
		*entries = 0;
	if (nvkeys == 0) {
		if ((err = aims_ledger_vkey(&vk, store)) < 0) {
			if (err == AIMS_ENOTFOUND)
				err = aims__err(AIMS_ENOTFOUND, "no verifier key: give one or run 'aims ledger setup'");
			return err;
		}
		keys[0] = vk;
		vkeys = keys;
		nvkeys = 1;
	}
	if ((err = open_log(&l, store, system, NULL, 1)) < 0)
		goto done;
	/* every checkpoint: signature and origin now, root when the recomputation gets there */
	if ((err = lpath(path, l, "checkpoints")) < 0)
		goto done;
	err = read_small(&hist, &hlen, path, (size_t)1 << 30);
	if (err < 0 && err != AIMS_ENOTFOUND)
		goto done;
	for (size_t off = 0; hist && off + 4 <= hlen;) {
		uint32_t n = get_be32((const unsigned char *)hist + off);
		char what[96];
		snprintf(what, sizeof(what), "checkpoint %zu of the history", ncp + 1);
		if (off + 4 + n > hlen) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': %s is cut short", system, what);
			goto done;
		}
		if ((err = add_checkpoint(&cps, &ncp, &capcp, hist + off + 4, n, l->origin, vkeys, nvkeys,
					  what)) < 0)
			goto done;
		if (ncp > 1 && cps[ncp - 1].size < cps[ncp - 2].size) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': %s has size %" PRIu64 ", smaller than "
					"the one before", system, what, cps[ncp - 1].size);
			goto done;
		}
		off += 4 + n;
	}
	if ((err = lpath(path, l, "checkpoint")) < 0)
		goto done;
	err = read_small(&note, &nlen, path, AIMS_NOTE_MAX_SIZE);
	if (err == 0) {
		if ((err = add_checkpoint(&cps, &ncp, &capcp, note, nlen, l->origin, vkeys, nvkeys,
					  "the latest checkpoint")) < 0)
			goto done;
	} else if (err != AIMS_ENOTFOUND || l->size > 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint is missing", system);
		goto done;
	}
	if (ncp > 1)
		qsort(cps, ncp, sizeof(*cps), cmp_cp);
	if (ncp > 0 && cps[ncp - 1].size > l->size) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': a checkpoint of size %" PRIu64 " is beyond "
				"the %" PRIu64 " entries", system, cps[ncp - 1].size, l->size);
		goto done;
	}

	/* recompute the tree from the entries, comparing each tile as it completes */
	if ((err = aims_merkle_frontier_new(&f)) < 0)
		goto done;
	if (!(mine = aims__calloc(TLEVELS, sizeof(*mine))) || !(buf = aims__malloc(TILE_BYTES)) ||
	    !(stored0 = aims__malloc(TILE_BYTES))) {
		err = aims__oom();
		goto done;
	}
	if ((err = er_init(&er, l->efd, l->epath, 0)) < 0)
		goto done;
	if (!(ch[0] = aims__calloc(1, sizeof(vchunk))) || !(ch[1] = aims__calloc(1, sizeof(vchunk)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__sha256_new(&mh)) < 0 || (err = aims__sha256_new(&pool.h)) < 0)
		goto done;
	if (l->size > VCHUNK_ENTRIES && pthread_create(&worker, NULL, vpool_main, &pool) == 0)
		started = 1;  /* without it the main thread hashes every leaf itself */
	/* the first chunk, offered; the second read meanwhile */
	nxt = ch[0];
	if ((err = vchunk_read(nxt, &er, &iread, l->size, system)) < 0)
		goto done;
	vpool_offer(&pool, nxt);
	cur = ch[1];
	cur->n = 0;
	cur->err = 0;
	pos = 0;
	for (;;) {
		uint8_t root[32];
		while (k < ncp && cps[k].size == i) {
			if ((err = aims_merkle_frontier_root(root, f)) < 0)
				goto done;
			if (memcmp(root, cps[k].root, 32) != 0) {
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': the signed checkpoint of size "
						"%" PRIu64 " does not match entries 0 to %" PRIu64 ": an entry before "
						"it was changed and its tiles rewritten", system, cps[k].size,
						cps[k].size ? cps[k].size - 1 : 0);
				goto done;
			}
			k++;
		}
		if (i == l->size)
			break;
		if (pos == cur->n) {
			/* cur is used up: the error it ended with, else read the chunk after
			 * nxt into it while nxt is hashed, and go on with nxt */
			if (cur->err) {
				err = aims__err(cur->err, "%s", cur->msg);
				goto done;
			}
			if (!nxt) {
				err = aims__err(AIMS_ERROR, "decision log '%s': verify lost its place at entry %"
						PRIu64, system, i);
				goto done;
			}
			vchunk *fill = cur;
			fill->n = 0;
			fill->err = 0;
			if (!nxt->err && (err = vchunk_read(fill, &er, &iread, l->size, system)) < 0)
				goto done;
			if ((err = vpool_finish(&pool, nxt, mh)) < 0)
				goto done;
			cur = nxt;
			nxt = NULL;
			if (fill->n > 0 || fill->err) {
				vpool_offer(&pool, fill);
				nxt = fill;
			}
			pos = 0;
			if (cur->n == 0)
				continue;  /* an error right at the start of a chunk */
		}
		if ((err = aims_merkle_frontier_append(f, cur->leaf[pos++])) < 0)
			goto done;
		/* leaves are compared one by one, so a changed record is named even
		 * when it also shifted the records after it */
		if (width[0] == 0) {
			unsigned w = aims_merkle_tile_width(l->size, 0, tindex[0]);
			if ((err = read_tile(stored0, l, 0, tindex[0], w)) < 0) {
				char why[PATH_MAX + 128];
				snprintf(why, sizeof(why), "%s", aims_error_last());
				err = aims__err(AIMS_ETAMPERED, "%s (entries from %" PRIu64 " no longer verify)",
						why, tindex[0] * TW);
				goto done;
			}
		}
		const uint8_t (*h)[32];
		size_t c = aims_merkle_frontier_completed(f, &h);
		if (memcmp(stored0 + (size_t)width[0] * 32, h[0], 32) != 0) {
			tile_file(path, l, 0, tindex[0], aims_merkle_tile_width(l->size, 0, tindex[0]));
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " no longer "
					"verifies: its leaf hash differs from tile '%s' (hash %u)", system, i,
					path + strlen(l->dir) + 1, width[0]);
			goto done;
		}
		for (unsigned L = 0; L < TLEVELS && (size_t)L * 8 < c; L++) {
			memcpy(mine[L][width[L]++], h[L * 8], 32);
			if (width[L] == TW && L == 0) {
				width[L] = 0;
				tindex[L]++;
			} else if (width[L] == TW) {
				if ((err = compare_tile(l, L, tindex[L], TW, mine[L][0], buf)) < 0)
					goto done;
				width[L] = 0;
				tindex[L]++;
			}
		}
		i++;
	}
	for (unsigned L = 1; L < TLEVELS; L++)
		if (width[L] > 0 && (err = compare_tile(l, L, tindex[L], width[L], mine[L][0], buf)) < 0)
			goto done;
	if (entries)
		*entries = i;
done:
	if (started) {
		pthread_mutex_lock(&pool.mu);
		pool.quit = 1;
		pthread_cond_broadcast(&pool.cv);
		pthread_mutex_unlock(&pool.mu);
		pthread_join(worker, NULL);
	}
	pthread_mutex_destroy(&pool.mu);
	pthread_cond_destroy(&pool.cv);
	aims__sha256_free(mh);
	aims__sha256_free(pool.h);
	for (int c = 0; c < 2; c++) {
		if (ch[c])
			aims__free(ch[c]->data);
		aims__free(ch[c]);
	}
	er_release(&er);
	aims__free(mine);
	aims__free(buf);
	aims__free(stored0);
	aims__free(cps);
	aims__free(hist);
	aims__free(note);
	free(vk);
	aims_merkle_frontier_free(f);
	aims_decision_free(l);
	return err;
}

/* ---- retention ---- */

int aims_decision_prune(aims_store *store, const char *system, int days, const char *now,
			uint64_t *pruned)
{
	aims_decision_log *l = NULL;
	char tmp[PATH_MAX], nowbuf[32];
	unsigned char *out = NULL;
	size_t olen = 0;
	uint64_t count = 0, i = 0, written = 0, last_new = 0;
	int64_t t;
	ereader er;
	int err, rc, fd = -1;

	memset(&er, 0, sizeof(er));
	if (pruned)
		*pruned = 0;
	if ((err = check_name(system)) < 0)
		return err;
	if (days == 0 && (err = registry_get(NULL, &days, store, system)) < 0)
		return err;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS)
		return aims__err(AIMS_EINVALID, "retention of %d days is below the minimum of %d days "
				 "(EU AI Act Art. 19(1) and 26(6): at least six months)", days,
				 AIMS_LEDGER_MIN_RETENTION_DAYS);
	if (!now) {
		aims__time_now(nowbuf);
		now = nowbuf;
	}
	if (aims__rfc3339(&t, NULL, now, strlen(now), 0) < 0)
		return aims__err(AIMS_EINVALID, "'%s' is not an RFC 3339 time", now);
	int64_t cutoff = t - (int64_t)days * 86400;

	if ((err = aims_decision_open(&l, store, system, NULL)) < 0)
		return err;
	if ((err = lpath(tmp, l, "entries.prune")) < 0)
		goto done;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot create '%s': %s", tmp, strerror(errno));
		goto done;
	}
	if (!(out = aims__malloc(READ_CHUNK + AIMS_DECISION_RECORD_MAX + 8))) {
		err = aims__oom();
		goto done;
	}
	if ((err = er_init(&er, l->efd, l->epath, 0)) < 0)
		goto done;
	for (i = 0; i < l->size; i++) {
		const unsigned char *d;
		uint32_t n;
		int pr;
		uint64_t off;
		if ((rc = er_next(&er, &d, &n, &pr, &off, i)) != REC_OK) {
			err = rc < 0 ? rc : aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64
						      " is missing", system, i);
			goto done;
		}
		int drop = 0;
		last_new = written + olen;
		if (!pr) {
			json_t *o = json_loadb((const char *)d, n, 0, NULL);
			json_t *tv = o ? json_object_get(o, "time") : NULL;
			int64_t rt;
			if (json_is_string(tv) &&
			    aims__rfc3339(&rt, NULL, json_string_value(tv), json_string_length(tv), 0) == 0 &&
			    rt < cutoff)
				drop = 1;
			json_decref(o);
		}
		if (drop) {
			put_be32(out + olen, PRUNED_WORD);
			if ((err = aims_merkle_leaf_hash(out + olen + 4, d, n)) < 0)
				goto done;
			olen += 36;
			count++;
		} else {
			put_be32(out + olen, pr ? PRUNED_WORD : n);
			memcpy(out + olen + 4, d, n);
			olen += 4 + (size_t)n;
		}
		if (olen >= READ_CHUNK) {
			if ((err = write_all(fd, out, olen, tmp)) < 0)
				goto done;
			written += olen;
			olen = 0;
		}
	}
	if ((err = write_all(fd, out, olen, tmp)) < 0)
		goto done;
	if (count == 0)
		goto done;
	if (fdatasync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		err = aims__err(AIMS_ERROR, "cannot write '%s': %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	/* the new entries replace the old whole; state is rewritten for the new file */
	if (rename(tmp, l->epath) != 0) {
		err = aims__err(AIMS_ERROR, "cannot replace '%s': %s", l->epath, strerror(errno));
		goto done;
	}
	close(l->efd);
	if ((l->efd = open(l->epath, O_RDWR | O_CLOEXEC)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", l->epath, strerror(errno));
		goto done;
	}
	struct stat st;
	if (fstat(l->efd, &st) != 0) {
		err = aims__err(AIMS_ERROR, "cannot stat '%s': %s", l->epath, strerror(errno));
		goto done;
	}
	l->offset = l->pending_off = (uint64_t)st.st_size;
	l->last_off = last_new;
	if ((err = write_state(l)) < 0)
		goto done;
	if (syncfs(l->efd) != 0) {
		err = aims__err(AIMS_ERROR, "cannot sync '%s': %s", l->dir, strerror(errno));
		goto done;
	}
	char detail[64];
	snprintf(detail, sizeof(detail), "pruned=%" PRIu64, count);
	char dig[72];
	if ((err = aims_ledger_digest(dig, detail, strlen(detail))) < 0 ||
	    (err = aims_ledger_append(store, "prune", "decision-log", system, dig, NULL)) < 0)
		goto done;
	if (pruned)
		*pruned = count;
done:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	er_release(&er);
	aims__free(out);
	aims_decision_free(l);
	return err;
}
