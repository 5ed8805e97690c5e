/*
 * AI decision logs: one RFC 9162 Merkle tree per AI system, kept in files
 * beside the store (include/aims/decision.h, docs/ledger.md).
 *
 * Appending: the caller's thread canonicalizes (ingest) or copies (append)
 * records into buffers of about 8 MiB; a writer thread hashes each record
 * into the tree's frontier, collects the stored hashes it completes as
 * tiles, and writes the buffer after the committed end of `entries`,
 * starting the disk's writeback at once. Nothing is acknowledged until the
 * batch is committed: entries fdatasync'ed, tiles written and synced, and
 * in one store transaction the new committed head (size, end, root), the
 * batch (digest, idempotency key) and a governance audit entry. Then a
 * checkpoint is signed. A batch that is not committed (a bad line, a
 * duplicate, a crash) is removed: in-process by cutting `entries` back and
 * removing its tiles, after a crash by aims_decision_recover.
 *
 * The committed head in the store is what writers check the files against
 * on open: the tiles at the committed size must give the committed root;
 * bytes after the committed end are the torn tail of an uncommitted batch
 * when the store says an ingest was in progress, and a foreign append
 * otherwise. `state` says up to which size the tiles are durable and where
 * that size ends in `entries`; it is only a hint, checked against the
 * record it names.
 */
#define _GNU_SOURCE /* syncfs, sync_file_range */
#include <dirent.h>
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
#include "ledger/decision_internal.h"
#include "ledger_internal.h"
#include "audit/state.h"
#include "store/store_internal.h"

#define TLEVELS 8                          /* tile levels: 8 * 8 = 64 tree levels */
#define TW AIMS_MERKLE_TILE_WIDTH
#define TILE_BYTES (TW * 32)
#define PRUNED_WORD 0x80000020u            /* length word of a pruned record: bit 31 + 32 */
#define NBUF 8                             /* record buffers to the writer (an ingest fills two at once) */
#define BUF_BYTES ((size_t)4 << 20)        /* one buffer; a record of 1 MiB always fits */
#define PENDING_TILES_MAX ((size_t)16 << 20) /* full tiles held before they are written */
#define READ_CHUNK ((size_t)8 << 20)
#define INGEST_READ ((size_t)8 << 20)      /* ingest's input buffer (plus one line) */
#define STATE_MAGIC "aims decision state 2"
#define PACK_NAME "tile0.pack"             /* the full level-0 tiles, tile N at byte N * TILE_BYTES */
#define TCACHE_SLOTS 256                   /* tiles cached for proofs: 256 * 16 KiB = 4 MiB at most */

/* ---- small file helpers ---- */

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
	if ((fd = aims__open_private(tmp, O_WRONLY | O_CREAT | O_TRUNC)) < 0)
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
		if (aims__mkdir_private(tmp) != 0)
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

int aims__dlog_check_name(const char *name)
{
	if (!aims_decision_name_valid(name))
		return aims__err(AIMS_EINVALID, "'%.80s' is not a valid AI system name (1 to %d characters "
				 "of A-Z a-z 0-9 . _ -)", name ? name : "", AIMS_DECISION_NAME_MAX);
	return 0;
}

/* origin and retention of a registered log; AIMS_ENOTFOUND if none */
int aims__dlog_registry_get(char **origin, int *days, aims_store *s, const char *name)
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

int aims__dlog_in_store(int *in_store, aims_store *s, const char *name)
{
	aims__stmt *st = NULL;
	char id[96];
	int err;
	*in_store = 0;
	snprintf(id, sizeof(id), "decision/%s", name);
	if ((err = aims__stmt_prepare(&st, s, "SELECT storage FROM ledger_logs WHERE id = ? AND kind = 'decision'")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no decision log for AI system '%s'", name);
		goto done;
	}
	*in_store = aims__strcmp0(aims__stmt_text(st, 0), "store") == 0;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* the digest a decision log's audit entries name: its retention period */
static int retention_digest(char out[72], int days)
{
	char d[32];
	snprintf(d, sizeof(d), "retention_days=%d", days);
	return aims_ledger_digest(out, d, strlen(d));
}

int aims__decision_log_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT id, retention_days FROM ledger_logs WHERE kind = 'decision' "
				      "ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0);
		if (!id || strncmp(id, "decision/", 9) != 0)
			continue;
		if ((err = retention_digest(dg, (int)aims__stmt_int64(st, 1))) < 0 ||
		    (err = emit(arg, "decision-log", id + 9, dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}


/*
 * The committed head of every decision log (size and root): the digest an
 * import or adoption entry `decision-head NAME` named. A recovery or prune
 * leaves the head as a recorded one was, so the head must equal one of the
 * digests recorded for it. A log from before heads has none yet.
 */
int aims__decision_head_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT log, size, root FROM ledger_decision_heads ORDER BY log")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0);
		size_t rl = 0;
		const void *r = aims__stmt_blob(st, 2, &rl);
		if (!id || strncmp(id, "decision/", 9) != 0 || aims__stmt_type(st, 1) == AIMS__NULL)
			continue;
		if (!r || rl != 32 || aims__stmt_int64(st, 1) < 0) {
			/* a malformed head shows as a digest no entry names */
			snprintf(dg, sizeof(dg), "malformed");
		} else if ((err = aims__dlog_head_digest(dg, (uint64_t)aims__stmt_int64(st, 1), r)) < 0) {
			break;
		}
		if ((err = emit(arg, "decision-head", id + 9, dg, AIMS__STATE_RECORDED)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

static int registry_add(aims_store *s, const char *name, const char *origin, int in_store)
{
	aims__stmt *st = NULL;
	char id[96], now[32];
	int err;
	snprintf(id, sizeof(id), "decision/%s", name);
	aims__time_now(now);
	if ((err = aims_store_begin(s)) < 0)
		return err;
	/* two writers (two nodes) may create the same log at once: the second finds it (1) */
	if ((err = aims__stmt_prepare(&st, s, "SELECT 1 FROM ledger_logs WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if (err == 1) {
		aims_store_rollback(s);
		return 1;
	}
	if ((err = aims__stmt_prepare(&st, s, "INSERT INTO ledger_logs (id, kind, origin, retention_days, "
				      "created_at, storage) VALUES (?, 'decision', ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, origin)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, AIMS_LEDGER_MIN_RETENTION_DAYS)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, in_store ? "store" : "files")) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	/* the committed head of an empty log: size 0, end 0, the empty tree's root */
	uint8_t empty[32];
	if ((err = aims_merkle_empty_root(empty)) < 0 ||
	    (err = aims__stmt_prepare(&st, s, "INSERT INTO ledger_decision_heads (log, size, end_offset, root, "
				      "updated_at) VALUES (?, 0, 0, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_blob(st, 2, empty, 32)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	char dig[72];
	if ((err = retention_digest(dig, AIMS_LEDGER_MIN_RETENTION_DAYS)) == 0)
		err = aims_ledger_append(s, "create", "decision-log", name, dig, NULL);
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
	char id[96];
	int err;
	if ((err = aims__dlog_check_name(name)) < 0 || (err = aims__dlog_registry_get(NULL, NULL, s, name)) < 0)
		return err;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS)
		return aims__err(AIMS_EINVALID, "retention of %d days is below the minimum of %d days "
				 "(EU AI Act Art. 19(1) and 26(6): at least six months)", days,
				 AIMS_LEDGER_MIN_RETENTION_DAYS);
	snprintf(id, sizeof(id), "decision/%s", name);
	if ((err = aims_store_begin(s)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, s, "UPDATE ledger_logs SET retention_days = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, days)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	char dig[72];
	if ((err = retention_digest(dig, days)) < 0)
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

/* a buffer of length-prefixed records on its way from the caller to the writer thread */
typedef struct {
	unsigned char *data;
	size_t len;
	uint64_t count;
	uint64_t off;                    /* where it goes in entries (set by the hasher) */
	int state;                       /* B_FREE, B_FILLING, B_QUEUED, B_HASHING, B_HASHED, B_WRITING */
	uint32_t (*mem)[8];              /* with an on_hashed hook: each record's member spans (offset, length
					  * of confidence, output, input, review; a record is at most 1 MiB) */
	size_t memcap;
} rbuf;

enum { B_FREE, B_FILLING, B_QUEUED, B_HASHING, B_HASHED, B_WRITING };

struct aims_decision_log {
	aims__ddb *db;                   /* kept in the store (decision_db.c): everything below but the names unused */
	aims_store *store;
	char *name, *origin, *dir;
	char epath[PATH_MAX];
	int lockfd, efd, packfd;
	aims_decision_options opts;
	int writer;                      /* opened to append */
	aims_merkle_frontier *f;
	uint8_t tile[TLEVELS][TW][32];   /* the current (partial) tile of each level */
	unsigned width[TLEVELS];
	uint64_t tindex[TLEVELS];
	partial_file pw[TLEVELS];        /* the partial tile file last written per level */
	partial_file stale[TLEVELS];     /* superseded partial files, removed once state moved on */
	aims_buf full;                   /* full tiles not yet written: level, index, hashes */
	/* sizes: appended (by the caller), hashed (by the writer), committed; offsets in entries */
	uint64_t size, hsize, durable, tiles_size;
	uint64_t offset;                 /* end of the committed records */
	uint64_t wr_off;                 /* where the writer puts the next buffer */
	/* the committed head in the store */
	int head_legacy;                 /* a log from before heads: adopted on open */
	int head_pending;                /* an ingest was in progress (its tail is beyond offset) */
	uint8_t head_root[32];
	/* the batch being appended */
	int in_batch;
	uint64_t snap_tindex[TLEVELS];   /* tile indices when it began: its full tiles are from here */
	partial_file snap_pw[TLEVELS], snap_stale[TLEVELS];
	aims__sha256 *bdig;              /* the batch digest: SHA-256 over its leaf hashes */
	/* the writer thread and its buffers */
	pthread_t th;
	int th_started, th_quit, th_busy;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_free, cv_tiles;
	/* the thread that writes hashed buffers to entries, in order */
	pthread_t wth;
	int wth_started, wth_busy;
	pthread_cond_t cv_write;
	int wqueue[NBUF], wqhead, wqn;
	/* the tile thread: creating a file per tile is slow on some file systems */
	pthread_t tth;
	int tth_started, tth_busy;
	aims_buf tq;                     /* full tiles handed to it: level, index, hashes */
	rbuf bufs[NBUF];
	int queue[NBUF], qhead, qn;      /* queued buffers, in order */
	int fill;                        /* the buffer the caller fills, -1 none */
	/* aims_decision_ingest_options.on_hashed while an ingest runs: called by the hashing thread */
	int (*on_hashed)(void *arg, uint64_t index, const char *record, size_t len, const uint8_t leaf_hash[32],
			 const aims_decision_members *m);
	void *hashed_arg;
	int werr;                        /* the writer's first error, its message in wmsg */
	char wmsg[PATH_MAX + 256];
	int has_cp;
	uint64_t cp_size;
	uint8_t cp_root[32];
	char *sign_err;                  /* why the last checkpoint could not be signed */
	int verifying;                   /* opened by verify: it checks the checkpoints itself */
	int keep_tiles;                  /* write no tiles and no state (verify, state not trusted) */
	int recovering;                  /* opened by aims_decision_recover: a tail is expected */
	uint64_t last_off;               /* file offset and leaf hash of the last record hashed */
	uint8_t last_leaf[32];
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
	if (l->db)
		return aims__ddb_size(l->db);
	return l->size;
}

uint64_t aims_decision_durable_size(const aims_decision_log *l)
{
	if (l->db)
		return aims__ddb_durable(l->db);
	return l->durable;
}

const char *aims_decision_origin(const aims_decision_log *l)
{
	return l->origin;
}

/* ---- the committed head and the batches, in the store ---- */

static void log_id(char id[96], const char *name)
{
	snprintf(id, 96, "decision/%s", name);
}

/* "sha256:<hex>" of the head's canonical text, the digest its audit entries carry */
int aims__dlog_head_digest(char out[72], uint64_t size, const uint8_t root[32])
{
	char hex[65], text[160];
	aims__hex(hex, root, 32);
	int n = snprintf(text, sizeof(text), "aims decision head 1\nsize %" PRIu64 "\nroot %s\n", size, hex);
	return aims_ledger_digest(out, text, (size_t)n);
}

/* the head of l's log; a registered log without one lost it (AIMS_ETAMPERED) */
static int head_load(aims_decision_log *l, uint64_t *size, uint64_t *off)
{
	aims__stmt *st = NULL;
	char id[96];
	int err;
	log_id(id, l->name);
	*size = *off = 0;
	if ((err = aims__stmt_prepare(&st, l->store, "SELECT size, end_offset, root, pending_offset FROM "
				      "ledger_decision_heads WHERE log = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': its committed head is missing from the store",
				l->name);
		goto done;
	}
	err = 0;
	l->head_legacy = aims__stmt_type(st, 0) == AIMS__NULL;
	l->head_pending = aims__stmt_type(st, 3) != AIMS__NULL;
	if (!l->head_legacy) {
		size_t rl = 0;
		const void *r = aims__stmt_blob(st, 2, &rl);
		int64_t sz = aims__stmt_int64(st, 0), o = aims__stmt_int64(st, 1);
		if (!r || rl != 32 || sz < 0 || o < 0) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': its committed head in the store is "
					"malformed", l->name);
			goto done;
		}
		memcpy(l->head_root, r, 32);
		*size = (uint64_t)sz;
		*off = (uint64_t)o;
	}
done:
	aims__stmt_free(st);
	return err;
}

/* mark (or clear) an ingest in progress, in a transaction of its own */
static int head_set_pending(aims_decision_log *l, int on)
{
	aims__stmt *st = NULL;
	char id[96], now[32];
	int err;
	log_id(id, l->name);
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, l->store, "UPDATE ledger_decision_heads SET pending_offset = ?, "
				      "pending_since = ?, updated_at = ? WHERE log = ?")) < 0 ||
	    (err = on ? aims__stmt_bind_int64(st, 1, (int64_t)l->offset) : aims__stmt_bind_null(st, 1)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, on ? now : NULL)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, now)) < 0 || (err = aims__stmt_bind_text(st, 4, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
	l->head_pending = on;
done:
	aims__stmt_free(st);
	return err;
}

/*
 * Write the head (size, end, root; nothing pending) and an audit entry
 * `action decision-head NAME` whose digests are the head's before and
 * after (a recovery or prune names its own record instead); inside the
 * caller's transaction.
 */
int aims__dlog_head_write(aims_store *store, const char *name, int legacy, uint64_t prev_size,
			  const uint8_t prev_root[32], const char *action, uint64_t size, uint64_t off,
			  const uint8_t root[32], const char *detail_digest)
{
	aims__stmt *st = NULL;
	char id[96], now[32], nd[72], pd[72];
	int err;
	log_id(id, name);
	aims__time_now(now);
	if ((err = aims__dlog_head_digest(nd, size, root)) < 0 ||
	    (!legacy && (err = aims__dlog_head_digest(pd, prev_size, prev_root)) < 0))
		return err;
	if ((err = aims__stmt_prepare(&st, store, "UPDATE ledger_decision_heads SET size = ?, end_offset = ?, "
				      "root = ?, pending_offset = NULL, pending_since = NULL, updated_at = ? "
				      "WHERE log = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, (int64_t)size)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, (int64_t)off)) < 0 ||
	    (err = aims__stmt_bind_blob(st, 3, root, 32)) < 0 || (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = aims_ledger_append(store, action, "decision-head", name, detail_digest ? detail_digest : nd,
				 legacy ? NULL : pd);
done:
	aims__stmt_free(st);
	return err;
}

/*
 * An earlier batch of this log with idempotency key `key` (when given),
 * else with `digest`: 1 and its first index, count and digest; 0 if none.
 */
int aims__dlog_batch_find(aims_store *store, const char *name, const char *key, const char *digest,
			  uint64_t *first, uint64_t *count, char found[72])
{
	aims__stmt *st = NULL;
	char id[96];
	int err;
	log_id(id, name);
	if ((err = aims__stmt_prepare(&st, store, key ?
				      "SELECT first_index, count, digest FROM ledger_decision_batches "
				      "WHERE log = ? AND idempotency_key = ?" :
				      "SELECT first_index, count, digest FROM ledger_decision_batches "
				      "WHERE log = ? AND digest = ? ORDER BY seq LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, key ? key : digest)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		*first = (uint64_t)aims__stmt_int64(st, 0);
		*count = (uint64_t)aims__stmt_int64(st, 1);
		snprintf(found, 72, "%s", aims__stmt_text(st, 2) ? aims__stmt_text(st, 2) : "");
	}
done:
	aims__stmt_free(st);
	return err;
}

/*
 * Whether this batch (its key, else its digest) was committed to the log before: 1 with its first index and
 * count, 0 if not; a key used before for another batch is AIMS_ECONFLICT.
 */
int aims__dlog_batch_dup(aims_store *store, const char *name, const char *key, const char *digest,
			 uint64_t *first, uint64_t *count)
{
	char found[72];
	int err;
	if (key && (err = aims__dlog_batch_find(store, name, key, NULL, first, count, found)) != 0) {
		if (err == 1 && strcmp(found, digest) != 0)
			return aims__err(AIMS_ECONFLICT, "decision log '%s': idempotency key '%.100s' was used for "
					 "another batch (%s, entries %" PRIu64 " to %" PRIu64 ")", name, key, found, *first,
					 *first + *count - 1);
		return err;
	}
	return aims__dlog_batch_find(store, name, NULL, digest, first, count, found);
}

int aims__dlog_batch_insert(aims_store *store, const char *name, const char *key, const char *digest,
			    uint64_t first, uint64_t count)
{
	aims__stmt *st = NULL;
	char id[96], now[32];
	int err;
	log_id(id, name);
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO ledger_decision_batches (log, seq, "
				      "idempotency_key, digest, first_index, count, actor, committed_at) VALUES "
				      "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger_decision_batches "
				      "WHERE log = ?), ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, key)) < 0 || (err = aims__stmt_bind_text(st, 4, digest)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 5, (int64_t)first)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 6, (int64_t)count)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
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
	int fd = aims__open_private(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return aims__err(AIMS_ERROR, "cannot create '%s': %s", path, strerror(errno));
	err = write_all(fd, data, len, path);
	if (close(fd) != 0 && err == 0)
		err = aims__err(AIMS_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return err;
}

/* write the full tiles held in memory (not the partial ones) */
static int write_full_tiles(aims_decision_log *l, aims_buf *b)
{
	char path[PATH_MAX];
	int err;
	for (size_t off = 0; off + 12 + TILE_BYTES <= b->len; off += 12 + TILE_BYTES) {
		const unsigned char *p = (const unsigned char *)b->ptr + off;
		unsigned L = get_be32(p);
		uint64_t idx = (uint64_t)get_be32(p + 4) << 32 | get_be32(p + 8);
		if (L == 0) {
			/* one file for every full level-0 tile: one file per 256 records was the
			 * largest cost of an ingest where creating a file is slow */
			size_t done = 0;
			while (done < TILE_BYTES) {
				ssize_t w = pwrite(l->packfd, p + 12 + done, TILE_BYTES - done,
						   (off_t)(idx * TILE_BYTES + done));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					return aims__err(AIMS_ERROR, "cannot write '%s/%s': %s", l->dir, PACK_NAME,
							 strerror(w < 0 ? errno : EIO));
				done += (size_t)w;
			}
			continue;
		}
		if ((err = tile_file(path, l, L, idx, TW)) < 0 ||
		    (err = write_tile(l, path, p + 12, TILE_BYTES, 0)) < 0)
			return err;
	}
	aims_buf_clear(b);
	return 0;
}

static int flush_full_tiles(aims_decision_log *l)
{
	return write_full_tiles(l, &l->full);
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
	l->tiles_size = l->hsize;
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

/* ---- the writer thread: hashing and writing the batch ---- */

/* keep the writer's error and message for the caller's thread (messages are per thread) */
static void writer_fail(aims_decision_log *l, int err)
{
	pthread_mutex_lock(&l->mu);
	if (!l->werr) {
		l->werr = err < 0 ? err : AIMS_ERROR;
		snprintf(l->wmsg, sizeof(l->wmsg), "%s", aims_error_last());
	}
	pthread_mutex_unlock(&l->mu);
}

/* hash every record of b into the tree; b goes after what was hashed before */
static int writer_process(aims_decision_log *l, rbuf *b)
{
	size_t pos = 0, k = 0;
	int err;
	while (pos < b->len) {
		uint32_t n = get_be32(b->data + pos);
		uint8_t leaf[32];
		if ((err = aims_merkle_frontier_append_entry(l->f, leaf, b->data + pos + 4, n)) < 0 ||
		    (err = tiles_add(l)) < 0 || (err = aims__sha256_update(l->bdig, leaf, 32)) < 0)
			return err;
		if (l->on_hashed) {
			aims_decision_members m, *mp = NULL;
			if (b->mem && k < b->count) {
				const uint32_t *v = b->mem[k];
				m.confidence.off = v[0], m.confidence.len = v[1];
				m.output.off = v[2], m.output.len = v[3];
				m.input.off = v[4], m.input.len = v[5];
				m.review.off = v[6], m.review.len = v[7];
				mp = &m;
			}
			if ((err = l->on_hashed(l->hashed_arg, l->hsize, (const char *)b->data + pos + 4, n, leaf, mp)) < 0)
				return err;
		}
		memcpy(l->last_leaf, leaf, 32);
		l->last_off = l->wr_off + pos;
		l->hsize++;
		pos += 4 + (size_t)n;
		k++;
	}
	b->off = l->wr_off;
	l->wr_off += b->len;
	/* the tiles this buffer completed go to the tile thread (it may lag by PENDING_TILES_MAX) */
	if (l->full.len > 0 && !l->tth_started)
		return flush_full_tiles(l);
	if (l->full.len > 0) {
		pthread_mutex_lock(&l->mu);
		while (l->tq.len >= PENDING_TILES_MAX && !l->werr)
			pthread_cond_wait(&l->cv_free, &l->mu);
		err = aims_buf_put(&l->tq, l->full.ptr, l->full.len);
		pthread_cond_signal(&l->cv_tiles);
		pthread_mutex_unlock(&l->mu);
		if (err < 0)
			return err;
		aims_buf_clear(&l->full);
	}
	return 0;
}

/* write b where the hasher placed it */
static int write_buffer(aims_decision_log *l, rbuf *b)
{
	const unsigned char *p = b->data;
	size_t len = b->len;
	uint64_t off = b->off;
	while (len > 0) {
		ssize_t w = pwrite(l->efd, p, len, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return aims__err(AIMS_ERROR, "cannot write '%s': %s", l->epath, strerror(w < 0 ? errno : EIO));
		p += w;
		len -= (size_t)w;
		off += (uint64_t)w;
	}
	/* start the disk on it now, so the commit's fdatasync finds little left to do; only
	 * whole pages: the next buffer fills the last one, and writing into a page under
	 * writeback waits for the disk */
	uint64_t from = b->off & ~(uint64_t)4095, to = (b->off + b->len) & ~(uint64_t)4095;
	if (to > from)
		(void)sync_file_range(l->efd, (off_t)from, (off_t)(to - from), SYNC_FILE_RANGE_WRITE);
	return 0;
}

static void *write_main(void *arg)
{
	aims_decision_log *l = arg;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (l->wqn == 0 && !l->th_quit)
			pthread_cond_wait(&l->cv_write, &l->mu);
		if (l->wqn == 0)
			break;
		int i = l->wqueue[l->wqhead];
		l->wqhead = (l->wqhead + 1) % NBUF;
		l->wqn--;
		l->bufs[i].state = B_WRITING;
		l->wth_busy = 1;
		int failed = l->werr != 0;
		pthread_mutex_unlock(&l->mu);
		int err = failed ? 0 : write_buffer(l, &l->bufs[i]);
		if (err < 0)
			writer_fail(l, err);
		pthread_mutex_lock(&l->mu);
		l->bufs[i].state = B_FREE;
		l->bufs[i].len = 0;
		l->bufs[i].count = 0;
		l->wth_busy = 0;
		pthread_cond_broadcast(&l->cv_free);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

static void *tiles_main(void *arg)
{
	aims_decision_log *l = arg;
	aims_buf mine = AIMS_BUF_INIT;
	aims_buf_init(&mine, 0);
	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (l->tq.len == 0 && !l->th_quit)
			pthread_cond_wait(&l->cv_tiles, &l->mu);
		if (l->tq.len == 0)
			break;
		aims_buf t = l->tq;  /* take what is queued, leave an empty buffer */
		l->tq = mine;
		mine = t;
		l->tth_busy = 1;
		int failed = l->werr != 0;
		pthread_mutex_unlock(&l->mu);
		int err = failed ? 0 : write_full_tiles(l, &mine);
		aims_buf_clear(&mine);
		if (err < 0)
			writer_fail(l, err);
		pthread_mutex_lock(&l->mu);
		l->tth_busy = 0;
		pthread_cond_broadcast(&l->cv_free);
	}
	pthread_mutex_unlock(&l->mu);
	aims_buf_release(&mine);
	return NULL;
}

static void *writer_main(void *arg)
{
	aims_decision_log *l = arg;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (l->qn == 0 && !l->th_quit)
			pthread_cond_wait(&l->cv_work, &l->mu);
		if (l->qn == 0)
			break;
		int i = l->queue[l->qhead];
		l->qhead = (l->qhead + 1) % NBUF;
		l->qn--;
		l->bufs[i].state = B_HASHING;
		l->th_busy = 1;
		int failed = l->werr != 0;
		pthread_mutex_unlock(&l->mu);
		int err = failed ? 0 : writer_process(l, &l->bufs[i]);
		if (err == 0 && !failed && !l->wth_started)
			err = write_buffer(l, &l->bufs[i]);
		if (err < 0)
			writer_fail(l, err);
		pthread_mutex_lock(&l->mu);
		if (l->wth_started && !failed && err == 0) {
			l->bufs[i].state = B_HASHED;
			l->wqueue[(l->wqhead + l->wqn) % NBUF] = i;
			l->wqn++;
			pthread_cond_signal(&l->cv_write);
		} else {
			l->bufs[i].state = B_FREE;
			l->bufs[i].len = 0;
			l->bufs[i].count = 0;
		}
		l->th_busy = 0;
		pthread_cond_broadcast(&l->cv_free);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* hand the buffer being filled to the writer */
static void submit_fill(aims_decision_log *l)
{
	if (l->fill < 0)
		return;
	pthread_mutex_lock(&l->mu);
	if (l->bufs[l->fill].len == 0) {
		l->bufs[l->fill].state = B_FREE;
	} else {
		l->bufs[l->fill].state = B_QUEUED;
		l->queue[(l->qhead + l->qn) % NBUF] = l->fill;
		l->qn++;
		pthread_cond_signal(&l->cv_work);
	}
	pthread_mutex_unlock(&l->mu);
	l->fill = -1;
}

/* wait until the writer has hashed and written everything handed to it */
static int drain(aims_decision_log *l)
{
	submit_fill(l);
	if (!l->th_started)
		return 0;
	pthread_mutex_lock(&l->mu);
	while (l->qn > 0 || l->th_busy || l->wqn > 0 || l->wth_busy || l->tq.len > 0 || l->tth_busy)
		pthread_cond_wait(&l->cv_free, &l->mu);
	int err = l->werr;
	pthread_mutex_unlock(&l->mu);
	if (err)
		return aims__err(err, "%s", l->wmsg);
	return 0;
}

static void writer_stop(aims_decision_log *l)
{
	if (!l->th_started)
		return;
	submit_fill(l);
	pthread_mutex_lock(&l->mu);
	l->th_quit = 1;
	pthread_cond_broadcast(&l->cv_work);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->th, NULL);
	if (l->wth_started) {
		pthread_mutex_lock(&l->mu);
		pthread_cond_broadcast(&l->cv_write);
		pthread_mutex_unlock(&l->mu);
		pthread_join(l->wth, NULL);
		l->wth_started = 0;
	}
	if (l->tth_started) {
		pthread_mutex_lock(&l->mu);
		pthread_cond_broadcast(&l->cv_tiles);
		pthread_mutex_unlock(&l->mu);
		pthread_join(l->tth, NULL);
		l->tth_started = 0;
	}
	l->th_started = 0;
	l->th_quit = 0;
}

/*
 * A free buffer, marked B_FILLING, waiting for one as long as stop(arg)
 * says nothing (l->mu held throughout): its index, or -1 when stop did.
 */
static int take_free(aims_decision_log *l, int (*stop)(void *), void *arg)
{
	for (;;) {
		if (stop(arg))
			return -1;
		for (int i = 0; i < NBUF; i++) {
			if (l->bufs[i].state == B_FREE) {
				l->bufs[i].state = B_FILLING;
				return i;
			}
		}
		pthread_cond_wait(&l->cv_free, &l->mu);
	}
}

/* buffer i, taken, empty and with its memory (l->mu not held); AIMS_ENOMEM gives it back */
static int fill_start(aims_decision_log *l, int i)
{
	if (!l->bufs[i].data && !(l->bufs[i].data = aims__malloc(BUF_BYTES))) {
		pthread_mutex_lock(&l->mu);
		l->bufs[i].state = B_FREE;
		pthread_cond_broadcast(&l->cv_free);
		pthread_mutex_unlock(&l->mu);
		return aims__oom();
	}
	l->bufs[i].len = 0;
	l->bufs[i].count = 0;
	return 0;
}

static int writer_failed(void *arg)
{
	return ((aims_decision_log *)arg)->werr != 0;
}

/* room for `need` more bytes in the buffer being filled: *p points there */
static int reserve(aims_decision_log *l, size_t need, unsigned char **p)
{
	if (l->fill >= 0 && BUF_BYTES - l->bufs[l->fill].len >= need) {
		*p = l->bufs[l->fill].data + l->bufs[l->fill].len;
		return 0;
	}
	submit_fill(l);
	pthread_mutex_lock(&l->mu);
	int i = take_free(l, writer_failed, l), err = l->werr;
	pthread_mutex_unlock(&l->mu);
	if (i < 0)
		return aims__err(err < 0 ? err : AIMS_ERROR, "%s", l->wmsg);
	if ((err = fill_start(l, i)) < 0)
		return err;
	l->fill = i;
	*p = l->bufs[i].data;
	return 0;
}

/* a record of len bytes written after its length word at the end of b */
static void buf_add(rbuf *b, size_t len)
{
	put_be32(b->data + b->len, (uint32_t)len);
	b->len += 4 + len;
	b->count++;
}

/* with an on_hashed hook, a record's member spans travel with its buffer to the hashing thread */
static int keep_members(rbuf *b, const aims_decision_members *m)
{
	int err;
	if (b->count >= b->memcap && (err = aims__grow(&b->mem, &b->memcap, b->count + 1, sizeof(*b->mem))) < 0)
		return err;
	uint32_t *v = b->mem[b->count];
	v[0] = (uint32_t)m->confidence.off, v[1] = (uint32_t)m->confidence.len;
	v[2] = (uint32_t)m->output.off, v[3] = (uint32_t)m->output.len;
	v[4] = (uint32_t)m->input.off, v[5] = (uint32_t)m->input.len;
	v[6] = (uint32_t)m->review.off, v[7] = (uint32_t)m->review.len;
	return 0;
}

/* a line without its newline: *ll loses a final CR; whether only spaces and tabs are left */
static int blank_line(const char *ln, size_t *ll)
{
	size_t n = *ll, k = 0;
	if (n > 0 && ln[n - 1] == '\r')
		*ll = --n;
	while (k < n && (ln[k] == ' ' || ln[k] == '\t'))
		k++;
	return k == n;
}

/* the record of len bytes written at the reserved place is complete */
static void record_done(aims_decision_log *l, size_t len)
{
	buf_add(&l->bufs[l->fill], len);
	l->size++;
}

static int load_tree(aims_decision_log *l, uint64_t target, uint64_t target_off);
static void tree_reset(aims_decision_log *l);

/* the first append of a batch: mark the ingest in progress, start the writer */
static int begin_batch(aims_decision_log *l)
{
	int err;
	if (l->in_batch)
		return 0;
	if (!l->writer)
		return aims__err(AIMS_EUSAGE, "decision log '%s' is not open for writing", l->name);
	if ((err = head_set_pending(l, 1)) < 0)
		return err;
	uint8_t scratch[32];
	if ((!l->bdig && (err = aims__sha256_new(&l->bdig)) < 0) ||
	    (err = aims__sha256_final(l->bdig, scratch)) < 0)  /* a fresh digest for the batch */
		return err;
	for (unsigned L = 0; L < TLEVELS; L++) {
		l->snap_tindex[L] = l->tindex[L];
		l->snap_pw[L] = l->pw[L];
		l->snap_stale[L] = l->stale[L];
	}
	l->wr_off = l->offset;
	l->hsize = l->size;
	l->werr = 0;
	if (!l->th_started) {
		if (pthread_create(&l->th, NULL, writer_main, l) != 0)
			return aims__err(AIMS_ERROR, "decision log '%s': cannot start the writer thread", l->name);
		l->th_started = 1;
		if (pthread_create(&l->wth, NULL, write_main, l) == 0)
			l->wth_started = 1;
		if (pthread_create(&l->tth, NULL, tiles_main, l) == 0)
			l->tth_started = 1;
	}
	l->in_batch = 1;
	return 0;
}

int aims_decision_append(aims_decision_log *l, const void *record, size_t len)
{
	unsigned char *p;
	int err;
	if (l->db)
		return aims__ddb_append(l->db, record, len);
	if (len == 0 || len > AIMS_DECISION_RECORD_MAX)
		return aims__err(AIMS_EINVALID, "decision record of %zu bytes (1 to %zu allowed)", len,
				 AIMS_DECISION_RECORD_MAX);
	if ((err = begin_batch(l)) < 0 || (err = reserve(l, len + 4, &p)) < 0)
		return err;
	memcpy(p + 4, record, len);
	record_done(l, len);
	return 0;
}

/* unlink a tile file, and its ".p" folder once empty */
static void tile_unlink(aims_decision_log *l, unsigned L, uint64_t idx, unsigned w)
{
	char path[PATH_MAX];
	if (tile_file(path, l, L, idx, w) < 0 || unlink(path) != 0 || w == TW)
		return;
	char *slash = strrchr(path, '/');
	*slash = '\0';
	rmdir(path);
}

int aims_decision_rollback(aims_decision_log *l)
{
	int err = 0, e;
	if (l->db)
		return aims__ddb_rollback(l->db);
	if (!l->in_batch)
		return 0;
	(void)drain(l);  /* a writer error does not matter any more */
	l->werr = 0;
	if (ftruncate(l->efd, (off_t)l->offset) != 0 || fdatasync(l->efd) != 0)
		err = aims__err(AIMS_ERROR, "cannot cut '%s' back to %" PRIu64 " bytes: %s", l->epath, l->offset,
				strerror(errno));
	/* the tiles written for the batch: full ones from where it began, new partial ones */
	aims_buf_clear(&l->full);
	struct stat pst;
	if (fstat(l->packfd, &pst) == 0 && (uint64_t)pst.st_size > l->snap_tindex[0] * TILE_BYTES &&
	    ftruncate(l->packfd, (off_t)(l->snap_tindex[0] * TILE_BYTES)) != 0 && err == 0)
		err = aims__err(AIMS_ERROR, "cannot cut '%s/%s': %s", l->dir, PACK_NAME, strerror(errno));
	for (unsigned L = 0; L < TLEVELS; L++) {
		for (uint64_t i = l->snap_tindex[L]; L > 0 && i < l->tindex[L]; i++)
			tile_unlink(l, L, i, TW);
		partial_file *p = &l->pw[L], *q = &l->snap_pw[L];
		if (p->valid && !(q->valid && q->idx == p->idx && q->w == p->w))
			tile_unlink(l, L, p->idx, p->w);
		l->pw[L] = l->snap_pw[L];
		l->stale[L] = l->snap_stale[L];
	}
	l->lastdir[0] = '\0';
	l->in_batch = 0;
	l->size = l->hsize = l->durable;
	l->wr_off = l->offset;
	tree_reset(l);
	if ((e = load_tree(l, l->durable, l->offset)) < 0 && err == 0)
		err = e;
	if ((e = head_set_pending(l, 0)) < 0 && err == 0)
		err = e;
	return err;
}

static int sign_checkpoint(aims_decision_log *l, char **note_out)
{
	char path[PATH_MAX], *text = NULL, *note = NULL;
	size_t tlen, nlen;
	uint8_t root[32];
	unsigned char hdr[4];
	int err, fd = -1;

	if ((err = aims_merkle_frontier_root(root, l->f)) < 0 ||
	    (err = aims_checkpoint_format(&text, &tlen, l->origin, l->durable, root, NULL, 0)) < 0 ||
	    (err = aims_note_sign(&note, &nlen, text, tlen, l->opts.signer)) < 0)
		goto done;
	/* history first: a crash between the two leaves the history ahead, never behind */
	if ((err = lpath(path, l, "checkpoints")) < 0)
		goto done;
	if ((fd = aims__open_private(path, O_WRONLY | O_APPEND | O_CREAT)) < 0) {
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
	l->cp_size = l->durable;
	memcpy(l->cp_root, root, 32);
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

/*
 * Sign a checkpoint of the committed size when it has none; a failure is
 * kept in l->sign_err (the records are committed whatever happens here)
 * and returned.
 */
static int sign_if_behind(aims_decision_log *l)
{
	int err;
	if (!l->opts.signer || l->durable == 0 || (l->has_cp && l->cp_size == l->durable))
		return 0;
	if ((err = sign_checkpoint(l, NULL)) < 0) {
		aims__free(l->sign_err);
		l->sign_err = aims__strdup(aims_error_last());
		return err;
	}
	aims__free(l->sign_err);
	l->sign_err = NULL;
	return 0;
}

void aims_decision_commit_info_release(aims_decision_commit_info *info)
{
	if (!info)
		return;
	aims__free(info->checkpoint_error);
	info->checkpoint_error = NULL;
}

static int commit_with(aims_decision_log *l, const char *key, aims_decision_commit_info *info,
		       int (*before)(void *), int (*in_commit)(void *), void *arg);

int aims_decision_commit(aims_decision_log *l, const char *key, aims_decision_commit_info *info)
{
	return commit_with(l, key, info, NULL, NULL, NULL);
}

/*
 * The commit. before: NULL, or called once the writer threads are done
 * (aims_decision_ingest_options.before_commit: what the caller runs beside
 * the ingest finishes while the last records are hashed and written);
 * in_commit: NULL, or called inside its store transaction.
 */
static int commit_with(aims_decision_log *l, const char *key, aims_decision_commit_info *info,
		       int (*before)(void *), int (*in_commit)(void *), void *arg)
{
	aims_decision_commit_info local;
	uint8_t root[32], dg[32];
	char digest[72];
	uint64_t first = l->durable, count, f0 = 0, c0 = 0;
	int err, dup;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->first = l->durable;
	info->size = l->durable;
	if (key && (!*key || strlen(key) > 255))
		return aims__err(AIMS_EINVALID, "idempotency key: 1 to 255 characters");
	if (l->db) {
		if (before && (err = before(arg)) < 0) {
			char why[512];
			snprintf(why, sizeof(why), "%s", aims_error_last());
			(void)aims_decision_rollback(l);
			return aims__err(err, "%s", why);
		}
		return aims__ddb_commit(l->db, key, info, in_commit, arg);
	}
	if (!l->in_batch) {
		if (before && (err = before(arg)) < 0)
			return err;
		goto done;
	}
	/* the caller's work beside the ingest is finished even when the writers failed: the rollback
	 * below may use the store */
	err = drain(l);
	if (before) {
		int e2 = before(arg);
		if (err == 0)
			err = e2;
	}
	if (err < 0)
		goto fail;
	count = l->hsize - l->durable;
	if ((err = aims__sha256_final(l->bdig, dg)) < 0)
		goto fail;
	memcpy(digest, "sha256:", 7);
	aims__hex(digest + 7, dg, 32);
	snprintf(info->digest, sizeof(info->digest), "%s", digest);
	/* a batch committed before (its key, or its digest) is not added twice */
	if ((err = aims__dlog_batch_dup(l->store, l->name, key, digest, &f0, &c0)) < 0)
		goto fail;
	dup = err;
	if (dup) {
		if ((err = aims_decision_rollback(l)) < 0)
			return err;
		info->duplicate = 1;
		info->first = f0;
		info->count = c0;
		info->size = l->durable;
		return 0;
	}
	/* durable: the records, then the tiles; then the store says so */
	if (fdatasync(l->efd) != 0) {
		err = aims__err(AIMS_ERROR, "cannot sync '%s': %s", l->epath, strerror(errno));
		goto fail;
	}
	if ((err = write_tiles(l)) < 0 || (err = aims_merkle_frontier_root(root, l->f)) < 0)
		goto fail;
	if ((err = aims_store_begin(l->store)) < 0)
		goto fail;
	if ((err = aims__dlog_batch_insert(l->store, l->name, key, digest, first, count)) < 0 ||
	    (err = aims__dlog_head_write(l->store, l->name, l->head_legacy, l->durable, l->head_root, "import",
					  l->hsize, l->wr_off, root, NULL)) < 0 ||
	    (in_commit && (err = in_commit(arg)) < 0) || (err = aims_store_commit(l->store)) < 0) {
		aims_store_rollback(l->store);
		goto fail;
	}
	/* committed: acknowledged from here on */
	l->in_batch = 0;
	l->durable = l->hsize;
	l->offset = l->wr_off;
	memcpy(l->head_root, root, 32);
	l->head_legacy = 0;
	l->head_pending = 0;
	info->count = count;
	info->size = l->durable;
	if (l->opts.signer) {
		if (sign_if_behind(l) < 0)
			info->checkpoint_error = aims__strdup(l->sign_err ? l->sign_err : "checkpoint not signed");
	} else {
		(void)write_state(l);  /* the tiles are durable up to here: a hint for the next open */
	}
	if (l->opts.on_ack)
		l->opts.on_ack(l->durable, l->opts.ack_arg);
done:
	info->size = l->durable;
	return 0;
fail:
	{
		char why[PATH_MAX + 512];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		(void)aims_decision_rollback(l);
		return aims__err(err, "%s", why);
	}
}

int aims_decision_checkpoint(aims_decision_log *l, char **note)
{
	int err;
	if (note)
		*note = NULL;
	if (!l->opts.signer)
		return aims__err(AIMS_EUSAGE, "decision log '%s': no key to sign checkpoints", l->name);
	if (l->db)
		return aims__ddb_checkpoint(l->db, note);
	if ((err = aims_decision_commit(l, NULL, NULL)) < 0)
		return err;
	if (l->tiles_size != l->durable && (err = write_tiles(l)) < 0)
		return err;
	return sign_checkpoint(l, note);
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
	if (L == 0 && w == TW && l->packfd >= 0) {
		/* a full level-0 tile is in the pack; a hole there (all zero bytes) means it is
		 * not, as for tiles written before the pack, which are files */
		if ((err = pread_full(l->packfd, data, TILE_BYTES, idx * TILE_BYTES, &got, PACK_NAME)) < 0)
			return err;
		if (got == TILE_BYTES) {
			for (size_t i = 0; i < TILE_BYTES; i++)
				if (data[i])
					return 0;
		}
	}
	if ((err = tile_file(path, l, L, idx, w)) < 0)
		return err;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aims__err(AIMS_ETAMPERED, "decision log '%s': tile '%s' is missing%s (%s)", l->name,
				 path + strlen(l->dir) + 1, L == 0 && w == TW ? " from " PACK_NAME : "",
				 strerror(errno));
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
int aims__dlog_note_checkpoint(aims_checkpoint **cp, const char *note, size_t len)
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

/* forget the tree in memory (the files stay): load_tree builds it again */
static void tree_reset(aims_decision_log *l)
{
	aims_merkle_frontier_free(l->f);
	l->f = NULL;
	memset(l->width, 0, sizeof(l->width));
	memset(l->tindex, 0, sizeof(l->tindex));
	memset(l->pw, 0, sizeof(l->pw));
	aims_buf_clear(&l->full);
	l->size = l->hsize = l->tiles_size = 0;
	l->last_off = 0;
	memset(l->last_leaf, 0, 32);
}

/*
 * Build the tree of the first `target` records, which end at byte
 * target_off of `entries`: the frontier and the partial tiles from the
 * tiles at the size `state` names (when it checks out), then every record
 * after it hashed. The entries must hold exactly that many records there.
 */
static int load_tree(aims_decision_log *l, uint64_t target, uint64_t target_off)
{
	tile_reader *tr = NULL;
	ereader er;
	uint64_t S, O, count = 0, end = 0;
	int err, rc = 0, invalid;

	memset(&er, 0, sizeof(er));
	if (!l->f && (err = aims_merkle_frontier_new(&l->f)) < 0)
		return err;
	if ((err = read_state(&S, &O, &invalid, l)) < 0)
		return err;
	if (S > target || O > target_off) {
		/* a state beyond what was committed (a batch that did not commit): not ours to trust */
		S = O = 0;
		invalid = 1;
	}
	/* verify must not rebuild tiles that exist from entries that may have been
	 * changed: with a state that does not match, it compares what is there */
	if (invalid && l->verifying)
		l->keep_tiles = 1;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((err = er_init(&er, l->efd, l->epath, O)) < 0)
			goto done;
		if (er.end > target_off)
			er.end = target_off;
		count = 0;
		end = O;
		while (end < target_off) {
			const unsigned char *d;
			uint32_t n;
			int pr;
			uint64_t off;
			if ((rc = er_next(&er, &d, &n, &pr, &off, S + count)) != REC_OK)
				break;
			count++;
			end = off + 4 + n;
		}
		er_release(&er);
		if (end == target_off && S + count == target)
			break;
		if (attempt == 1 || (S == 0 && O == 0)) {
			if (rc < 0) {
				err = rc;
				goto done;
			}
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the entries do not hold the %" PRIu64
					" committed records ending at byte %" PRIu64 " (%" PRIu64 " records end at "
					"byte %" PRIu64 ")", l->name, target, target_off, S + count, end);
			goto done;
		}
		/* the state pointed elsewhere: start over from the beginning */
		S = O = 0;
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
	l->size = l->hsize = S;
	if ((err = check_cp_root(l)) < 0)
		goto done;

	/* hash what the tiles do not cover yet */
	if (count > 0) {
		if ((err = er_init(&er, l->efd, l->epath, O)) < 0)
			goto done;
		er.end = target_off;
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
			l->hsize++;
			if ((err = check_cp_root(l)) < 0)
				goto done;
			if (l->full.len >= PENDING_TILES_MAX && l->keep_tiles)
				aims_buf_clear(&l->full);
			else if (l->full.len >= PENDING_TILES_MAX && (err = flush_full_tiles(l)) < 0)
				goto done;
		}
	}
	l->durable = l->size;
	l->offset = l->wr_off = target_off;
	if (count > 0 && !l->keep_tiles) {
		if ((err = write_tiles(l)) < 0 || (err = write_state(l)) < 0)
			goto done;
	}
	err = 0;
done:
	er_release(&er);
	if (tr)
		aims__free(tr->data);
	aims__free(tr);
	return err;
}

/* a log from before committed heads: its records up to a clean end (a torn tail is cut off) */
static int legacy_scan(aims_decision_log *l, uint64_t *size, uint64_t *end)
{
	ereader er;
	int err, rc;
	uint64_t n = 0, e = 0;
	if ((err = er_init(&er, l->efd, l->epath, 0)) < 0)
		return err;
	for (;;) {
		const unsigned char *d;
		uint32_t len;
		int pr;
		uint64_t off;
		rc = er_next(&er, &d, &len, &pr, &off, n);
		if (rc != REC_OK) {
			if (rc != REC_EOF && rc != REC_TORN) {
				er_release(&er);
				return rc;
			}
			e = off;
			break;
		}
		n++;
	}
	er_release(&er);
	if (rc == REC_TORN && !l->verifying &&
	    (ftruncate(l->efd, (off_t)e) != 0 || fdatasync(l->efd) != 0))
		return aims__err(AIMS_ERROR, "cannot truncate '%s': %s", l->epath, strerror(errno));
	*size = n;
	*end = e;
	return 0;
}

/* a prune that committed in the store but crashed before its new entries replaced the old */
static int finish_prune(aims_decision_log *l, uint64_t committed_end)
{
	char tmp[PATH_MAX];
	struct stat st;
	int err;
	if ((err = lpath(tmp, l, "entries.prune")) < 0)
		return err;
	if (stat(tmp, &st) != 0)
		return 0;
	if ((uint64_t)st.st_size != committed_end || l->verifying) {
		if (!l->verifying)
			unlink(tmp);  /* the prune did not commit */
		return 0;
	}
	if (rename(tmp, l->epath) != 0)
		return aims__err(AIMS_ERROR, "cannot replace '%s': %s", l->epath, strerror(errno));
	close(l->efd);
	if ((l->efd = open(l->epath, O_RDWR | O_CLOEXEC)) < 0)
		return aims__err(AIMS_ERROR, "cannot open '%s': %s", l->epath, strerror(errno));
	return 0;
}

static int recover(aims_decision_log *l)
{
	char path[PATH_MAX], *note = NULL;
	size_t nlen;
	aims_checkpoint *cp = NULL;
	struct stat st;
	uint64_t hs = 0, ho = 0;
	int err;

	if ((err = recover_history(l)) < 0)
		return err;
	/* the latest checkpoint */
	if ((err = lpath(path, l, "checkpoint")) < 0)
		return err;
	err = read_small(&note, &nlen, path, AIMS_NOTE_MAX_SIZE);
	if (err == 0) {
		if ((err = aims__dlog_note_checkpoint(&cp, note, nlen)) < 0) {
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

	if ((err = head_load(l, &hs, &ho)) < 0)
		goto done;
	if (l->head_legacy) {
		/* written before the store kept heads: taken as it is, once */
		if ((err = legacy_scan(l, &hs, &ho)) < 0 || (err = load_tree(l, hs, ho)) < 0)
			goto done;
		if (!l->verifying) {
			uint8_t root[32];
			if ((err = aims_merkle_frontier_root(root, l->f)) < 0 || (err = aims_store_begin(l->store)) < 0)
				goto done;
			if ((err = aims__dlog_head_write(l->store, l->name, l->head_legacy, l->durable, l->head_root,
							 "update", hs, ho, root, NULL)) < 0 ||
			    (err = aims_store_commit(l->store)) < 0) {
				aims_store_rollback(l->store);
				goto done;
			}
			memcpy(l->head_root, root, 32);
			l->head_legacy = 0;
		}
	} else {
		if (!l->verifying && (err = finish_prune(l, ho)) < 0)
			goto done;
		if (fstat(l->efd, &st) != 0) {
			err = aims__err(AIMS_ERROR, "cannot stat '%s': %s", l->epath, strerror(errno));
			goto done;
		}
		uint64_t flen = (uint64_t)st.st_size;
		if (flen < ho) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': 'entries' ends at byte %" PRIu64 ", before "
					"the end of its %" PRIu64 " committed records (byte %" PRIu64 "): records were "
					"removed", l->name, flen, hs, ho);
			goto done;
		}
		if (flen > ho && !l->head_pending && !l->recovering) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': %" PRIu64 " bytes at offset %" PRIu64 " of "
					"'entries', after its %" PRIu64 " committed records, were not written by aims "
					"(a foreign append); see 'aims decision recover --system %s --discard-foreign'",
					l->name, flen - ho, ho, hs, l->name);
			goto done;
		}
		if (l->head_pending && l->writer && !l->recovering) {
			err = aims__err(AIMS_ECONFLICT, "decision log '%s': an ingest that did not commit left %" PRIu64
					" bytes at offset %" PRIu64 ", after the %" PRIu64 " committed records; they were "
					"never acknowledged: run 'aims decision recover --system %s'", l->name, flen - ho,
					ho, hs, l->name);
			goto done;
		}
		if ((err = load_tree(l, hs, ho)) < 0)
			goto done;
		/* verify recomputes everything itself and names the first entry that differs */
		uint8_t root[32];
		if (!l->verifying && (err = aims_merkle_frontier_root(root, l->f)) < 0)
			goto done;
		if (!l->verifying && memcmp(root, l->head_root, 32) != 0) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': its entries and tiles do not give the root "
					"committed in the store for its %" PRIu64 " records", l->name, hs);
			goto done;
		}
	}
	if (l->has_cp && l->cp_size > l->durable) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint of size %" PRIu64 " is "
				"beyond the %" PRIu64 " entries", l->name, l->cp_size, l->durable);
		goto done;
	}
	(void)sign_if_behind(l);  /* not signing now is no reason to refuse the log */
	err = 0;
done:
	aims__free(note);
	aims_checkpoint_free(cp);
	return err;
}

void aims_decision_free(aims_decision_log *l)
{
	if (!l)
		return;
	if (l->db) {
		aims__ddb_free(l->db);
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->cv_work);
		pthread_cond_destroy(&l->cv_free);
		pthread_cond_destroy(&l->cv_tiles);
		pthread_cond_destroy(&l->cv_write);
		aims__free(l->name);
		aims__free(l->origin);
		aims__free(l);
		return;
	}
	if (l->in_batch)
		(void)aims_decision_rollback(l);
	writer_stop(l);
	for (int i = 0; i < NBUF; i++) {
		aims__free(l->bufs[i].data);
		aims__free(l->bufs[i].mem);
	}
	if (l->efd >= 0)
		close(l->efd);
	if (l->packfd >= 0)
		close(l->packfd);
	if (l->lockfd >= 0)
		close(l->lockfd);  /* releases the flock */
	aims_merkle_frontier_free(l->f);
	for (unsigned k = 0; k < l->tc_n; k++)
		aims__free(l->tc[k]);
	aims__sha256_free(l->tc_h);
	aims__sha256_free(l->bdig);
	aims_buf_release(&l->full);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv_work);
	pthread_cond_destroy(&l->cv_free);
	pthread_cond_destroy(&l->cv_tiles);
	pthread_cond_destroy(&l->cv_write);
	aims_buf_release(&l->tq);
	aims__free(l->sign_err);
	aims__free(l->name);
	aims__free(l->origin);
	aims__free(l->dir);
	aims__free(l);
}

int aims_decision_close(aims_decision_log *l)
{
	aims_decision_commit_info info;
	int err = 0;
	if (!l)
		return 0;
	if (l->db) {
		err = aims__ddb_commit(l->db, NULL, &info, NULL, NULL);
		aims_decision_commit_info_release(&info);
		aims_decision_free(l);
		return err;
	}
	if (l->in_batch) {
		err = aims_decision_commit(l, NULL, &info);
		aims_decision_commit_info_release(&info);
	} else if (l->writer) {
		(void)sign_if_behind(l);
	}
	aims_decision_free(l);
	return err;
}

static int open_log(aims_decision_log **out, aims_store *store, const char *system,
		    const aims_decision_options *opts, int mode)
{
	aims_decision_options def = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_log *l = NULL;
	char path[PATH_MAX];
	int err, in_store = 0;

	*out = NULL;
	if (!opts)
		opts = &def;
	if ((err = aims__dlog_check_name(system)) < 0)
		return err;
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	l->lockfd = l->efd = l->packfd = -1;
	l->fill = -1;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv_work, NULL);
	pthread_cond_init(&l->cv_free, NULL);
	pthread_cond_init(&l->cv_tiles, NULL);
	pthread_cond_init(&l->cv_write, NULL);
	aims_buf_init(&l->tq, 0);
	l->verifying = mode == 1;
	l->recovering = mode == 2;
	l->opts = *opts;
	l->writer = !l->verifying && (opts->create || opts->write || l->recovering);
	l->store = store;
	aims_buf_init(&l->full, 0);
	if (!(l->name = aims__strdup(system))) {
		err = aims__oom();
		goto fail;
	}
	err = aims__dlog_registry_get(&l->origin, NULL, store, system);
	if (err == AIMS_ENOTFOUND && opts->create) {
		const char *key = opts->signer ? aims_note_signer_name(opts->signer) : opts->key_name;
		if (!key) {
			err = aims__err(AIMS_EUSAGE, "creating decision log '%s' needs a signing key", system);
			goto fail;
		}
		aims_buf o = AIMS_BUF_INIT;
		if ((err = aims_buf_printf(&o, "%s/decision/%s", key, system)) < 0 ||
		    (err = registry_add(store, system, o.ptr, strcmp(aims_store_backend(store), "sqlite") != 0)) < 0) {
			aims_buf_release(&o);
			goto fail;
		}
		if (err == 1) {
			/* created by another writer meanwhile: its origin */
			aims_buf_release(&o);
			if ((err = aims__dlog_registry_get(&l->origin, NULL, store, system)) < 0)
				goto fail;
			goto registered;
		}
		/* the creation is a governance entry: signed at once when the signer is the governance
		 * log's key (another key: its caller signs the governance log) */
		if ((err = aims_ledger_checkpoint(store, opts->signer, NULL)) == AIMS_ECONFLICT) {
			aims_error_clear();
			err = 0;
		}
		if (err < 0) {
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
registered:
	/* a log kept in the store (every log of a PostgreSQL store): decision_db.c */
	if ((err = aims__dlog_in_store(&in_store, store, system)) < 0)
		goto fail;
	if (in_store) {
		if (mode == 0) {
			if ((err = aims__ddb_open(&l->db, store, system, l->origin, opts)) < 0)
				goto fail;
			*out = l;
			return 0;
		}
		err = aims__err(AIMS_EUSAGE, "decision log '%s' is kept in the store", system);
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
	if ((l->lockfd = aims__open_private(path, O_RDWR | O_CREAT)) < 0) {
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
	if ((l->efd = aims__open_private(l->epath, O_RDWR | O_CREAT)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", l->epath, strerror(errno));
		goto fail;
	}
	if ((err = lpath(path, l, PACK_NAME)) < 0)
		goto fail;
	if ((l->packfd = aims__open_private(path, O_RDWR | O_CREAT)) < 0) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", path, strerror(errno));
		goto fail;
	}
	if ((err = aims_merkle_frontier_new(&l->f)) < 0 || (err = recover(l)) < 0)
		goto fail;
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

/* ---- ingest: the input canonicalized on two threads ---- */

/*
 * Why two canonicalizing threads: in a log kept in files, the thread that
 * read and canonicalized every record was the ingest's critical path (about
 * 60% of the process's CPU time, against 35% for the hashing thread, which
 * alone bounds the append path; docs/benchmarks.md). So the caller's thread
 * now only reads: it cuts the input into chunks of whole lines (PCHUNK bytes
 * and the rest of the last line), and two threads canonicalize chunks, each
 * into a record buffer of its own. A chunk's buffers go to the hashing
 * thread only when every earlier chunk's have gone (`next_submit`), so the
 * records keep the input's order. A thread whose buffer is full before its
 * chunk's turn waits for the turn: each holds one buffer at most, and the
 * other NBUF - 2 stay for the hashing and writing threads. Chunks are small
 * on purpose: a chunk's input and output stay in the caches between the
 * threads that read, canonicalize, hash and write it (2 MiB chunks took
 * 25% more time than 256 KiB on 2,000,000 records, and 128 KiB no less).
 *
 * A bad line stops its thread and every later chunk; earlier chunks run to
 * their end, so the error reported is the first in the input, with its line
 * number counted over the chunks before it (`lines_done`). The model check is
 * called one call at a time (check_mu) and its answer for a model is
 * remembered by each thread (pmodel), as the check allows.
 */
#define PCHUNK ((size_t)256 << 10)                        /* input one thread canonicalizes at once */
#define PSLAB (PCHUNK + AIMS_DECISION_RECORD_MAX + 2)     /* a chunk and the rest of its last line */
#define PSLABS 6                                          /* chunks read ahead or being canonicalized */
#define PWORKERS 2
#define PMODELS 16                                        /* models checked, remembered per thread */
#define PMODEL_MAX 1024                                   /* a model is at most 256 characters */

enum { S_FREE, S_READING, S_QUEUED, S_BUSY };

static size_t pchunk = PCHUNK;  /* smaller only in the fuzz harness (aims__decision_ingest_chunk) */

void aims__decision_ingest_chunk(size_t bytes)
{
	pchunk = bytes > 0 && bytes <= PCHUNK ? bytes : PCHUNK;
}

typedef struct {
	char *data;                  /* PSLAB bytes */
	size_t len;                  /* whole lines (the last may lack its newline at the end of input) */
	uint64_t chunk;              /* its number in the input */
	int state;
} pslab;

typedef struct {
	size_t len;                  /* the model's length */
	int has_model, has_digest;
	char model[PMODEL_MAX];
	char digest[71];
} pmodel;

typedef struct pingest pingest;

typedef struct {
	pingest *pi;
	pthread_t th;
	aims__dcanon *cn;
	int fill;                    /* the buffer it fills, -1 none */
	uint64_t chunk;              /* the chunk it canonicalizes */
	pmodel models[PMODELS];
	unsigned nmodels, next_model;
} pworker;

struct pingest {
	aims_decision_log *l;        /* l->mu guards what follows but the slabs' bytes and the workers' own */
	const aims_decision_ingest_options *o;
	pslab slab[PSLABS];
	int queue[PSLABS], qhead, qn; /* slabs queued, in input order */
	int eof;                     /* no more chunks will be queued */
	uint64_t next_submit;        /* the chunk whose buffers go to the hasher next */
	uint64_t lines_done;         /* lines of the chunks submitted */
	uint64_t err_chunk;          /* the first chunk that failed (UINT64_MAX: none) */
	uint64_t err_line;           /* its line within the chunk, 0: no line (a read or write error) */
	int err;
	char emsg[PATH_MAX + 512];
	pthread_cond_t cv_chunk;     /* a slab queued, or the end */
	pthread_cond_t cv_slab;      /* a slab freed */
	pthread_cond_t cv_turn;      /* next_submit moved on, or a failure */
	pthread_mutex_t check_mu;    /* o->check, one call at a time */
	pworker w[PWORKERS];
};

/* record a failure at `line` of `chunk` (l->mu held); the first in the input is kept */
static void p_fail_locked(pingest *pi, uint64_t chunk, uint64_t line, int err, const char *msg)
{
	if (chunk < pi->err_chunk || (chunk == pi->err_chunk && line < pi->err_line)) {
		pi->err_chunk = chunk;
		pi->err_line = line;
		pi->err = err < 0 ? err : AIMS_ERROR;
		snprintf(pi->emsg, sizeof(pi->emsg), "%s", msg);
	}
	pthread_cond_broadcast(&pi->cv_chunk);
	pthread_cond_broadcast(&pi->cv_slab);
	pthread_cond_broadcast(&pi->cv_turn);
	pthread_cond_broadcast(&pi->l->cv_free);
}

static void p_fail(pingest *pi, uint64_t chunk, uint64_t line, int err, const char *msg)
{
	pthread_mutex_lock(&pi->l->mu);
	p_fail_locked(pi, chunk, line, err, msg);
	pthread_mutex_unlock(&pi->l->mu);
}

/* whether w's chunk is to be given up: an earlier one failed, or the writers did (l->mu held) */
static int p_stopped(pingest *pi, pworker *w)
{
	aims_decision_log *l = pi->l;
	if (l->werr) {
		p_fail_locked(pi, w->chunk, 0, l->werr, l->wmsg);
		return 1;
	}
	return pi->err_chunk < w->chunk;
}

static int p_stop(void *arg)
{
	pworker *w = arg;
	return p_stopped(w->pi, w);
}

/* wait until w's chunk is next in order (l->mu held): 0, or -1 when it is to be given up */
static int p_wait_turn(pingest *pi, pworker *w)
{
	while (pi->next_submit != w->chunk) {
		if (p_stopped(pi, w))
			return -1;
		pthread_cond_wait(&pi->cv_turn, &pi->l->mu);
	}
	return p_stopped(pi, w) ? -1 : 0;
}

/* hand w's buffer to the hashing thread (l->mu held, w's turn) */
static void p_enqueue(aims_decision_log *l, pworker *w)
{
	if (w->fill < 0)
		return;
	rbuf *b = &l->bufs[w->fill];
	if (b->len == 0) {
		b->state = B_FREE;
		pthread_cond_broadcast(&l->cv_free);
	} else {
		b->state = B_QUEUED;
		l->queue[(l->qhead + l->qn) % NBUF] = w->fill;
		l->qn++;
		l->size += b->count;
		pthread_cond_signal(&l->cv_work);
	}
	w->fill = -1;
}

/* room for `need` bytes in w's buffer: *p points there; -1 when the chunk is to be given up */
static int p_reserve(pingest *pi, pworker *w, size_t need, unsigned char **p)
{
	aims_decision_log *l = pi->l;
	if (w->fill >= 0 && BUF_BYTES - l->bufs[w->fill].len >= need) {
		*p = l->bufs[w->fill].data + l->bufs[w->fill].len;
		return 0;
	}
	pthread_mutex_lock(&l->mu);
	if (w->fill >= 0) {
		/* full: it goes on when this chunk's turn has come (then every earlier chunk's has gone) */
		if (p_wait_turn(pi, w) < 0) {
			pthread_mutex_unlock(&l->mu);
			return -1;
		}
		p_enqueue(l, w);
	}
	int i = take_free(l, p_stop, w);
	pthread_mutex_unlock(&l->mu);
	if (i < 0)
		return -1;
	if (fill_start(l, i) < 0) {
		p_fail(pi, w->chunk, 0, AIMS_ENOMEM, aims_error_last());
		return -1;
	}
	w->fill = i;
	*p = l->bufs[i].data;
	return 0;
}

/* o->check, remembered per thread: the answer for a model and digest does not change during an ingest */
static int p_check(pingest *pi, pworker *w, const aims__dfields *f)
{
	const aims_decision_ingest_options *o = pi->o;
	int has_model = f->model != NULL, has_digest = f->model_digest != NULL;
	for (unsigned k = 0; k < w->nmodels; k++) {
		const pmodel *m = &w->models[k];
		if (m->has_model == has_model && m->has_digest == has_digest && m->len == f->model_len &&
		    (!has_model || memcmp(m->model, f->model, f->model_len) == 0) &&
		    (!has_digest || memcmp(m->digest, f->model_digest, 71) == 0))
			return 0;
	}
	pthread_mutex_lock(&pi->check_mu);
	int err = o->check(o->check_arg, f->model, f->model_len, f->model_digest);
	pthread_mutex_unlock(&pi->check_mu);
	if (err < 0 || f->model_len > PMODEL_MAX)
		return err;
	pmodel *m = &w->models[w->next_model];
	w->next_model = (w->next_model + 1) % PMODELS;
	if (w->nmodels < PMODELS)
		w->nmodels++;
	m->has_model = has_model;
	m->has_digest = has_digest;
	m->len = f->model_len;
	if (has_model)
		memcpy(m->model, f->model, f->model_len);
	if (has_digest)
		memcpy(m->digest, f->model_digest, 71);
	return 0;
}

/* canonicalize one chunk into w's buffers; 0, or -1 when it failed or was given up */
static int p_chunk(pingest *pi, pworker *w, const pslab *s, uint64_t *lines)
{
	aims_decision_log *l = pi->l;
	const aims_decision_ingest_options *o = pi->o;
	const char *p = s->data, *end = s->data + s->len;
	uint64_t line = 0;
	int err;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *ln = p;
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p), clen = 0;
		p = nl ? nl + 1 : end;
		line++;
		if (ll > AIMS_DECISION_RECORD_MAX + 1) {
			/* as the reading refuses a line it has not seen the end of, blank or not */
			char msg[64];
			snprintf(msg, sizeof(msg), "record longer than %zu bytes", AIMS_DECISION_RECORD_MAX);
			p_fail(pi, w->chunk, line, AIMS_EINVALID, msg);
			return -1;
		}
		if (blank_line(ln, &ll))
			continue;
		aims__dfields f;
		unsigned char *out;
		if ((err = aims__dcanon_scan(w->cn, &clen, ln, ll, &f)) < 0 ||
		    (o->check && (err = p_check(pi, w, &f)) < 0)) {
			p_fail(pi, w->chunk, line, err, aims_error_last());
			return -1;
		}
		if (p_reserve(pi, w, clen + 4, &out) < 0)
			return -1;
		aims__dcanon_emit(w->cn, (char *)out + 4, &f);
		rbuf *b = &l->bufs[w->fill];
		if (o->on_hashed && keep_members(b, &f.members) < 0) {
			p_fail(pi, w->chunk, 0, AIMS_ENOMEM, aims_error_last());
			return -1;
		}
		buf_add(b, clen);
	}
	*lines = line;
	return 0;
}

static void *p_main(void *arg)
{
	pworker *w = arg;
	pingest *pi = w->pi;
	aims_decision_log *l = pi->l;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		/* chunks queued before a failure are still taken: those before it must run to their end */
		while (pi->qn == 0 && !pi->eof)
			pthread_cond_wait(&pi->cv_chunk, &l->mu);
		if (pi->qn == 0)
			break;
		int si = pi->queue[pi->qhead];
		pi->qhead = (pi->qhead + 1) % PSLABS;
		pi->qn--;
		pslab *s = &pi->slab[si];
		s->state = S_BUSY;
		w->chunk = s->chunk;
		uint64_t lines = 0;
		int rc = -1;
		if (!p_stopped(pi, w)) {
			pthread_mutex_unlock(&l->mu);
			rc = p_chunk(pi, w, s, &lines);
			pthread_mutex_lock(&l->mu);
		}
		/* the chunk's last buffer goes on in its turn; the next chunk is another's in between */
		if (rc == 0 && p_wait_turn(pi, w) == 0) {
			p_enqueue(l, w);
			pi->next_submit++;
			pi->lines_done += lines;
			pthread_cond_broadcast(&pi->cv_turn);
		}
		s->state = S_FREE;
		pthread_cond_signal(&pi->cv_slab);
	}
	/* a chunk given up leaves its buffer: nothing of it is hashed */
	if (w->fill >= 0) {
		l->bufs[w->fill].state = B_FREE;
		l->bufs[w->fill].len = 0;
		l->bufs[w->fill].count = 0;
		w->fill = -1;
		pthread_cond_broadcast(&l->cv_free);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* a slab to read into (l->mu not held): its index, or -1 when the ingest failed */
static int p_slab(pingest *pi)
{
	pthread_mutex_lock(&pi->l->mu);
	for (;;) {
		if (pi->err_chunk != UINT64_MAX) {
			pthread_mutex_unlock(&pi->l->mu);
			return -1;
		}
		for (int i = 0; i < PSLABS; i++) {
			if (pi->slab[i].state == S_FREE) {
				pi->slab[i].state = S_READING;
				pthread_mutex_unlock(&pi->l->mu);
				return i;
			}
		}
		pthread_cond_wait(&pi->cv_slab, &pi->l->mu);
	}
}

/* whether bytes hold anything but blank lines */
static int p_has_record(const char *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n')
			return 1;
	return 0;
}

/*
 * The streaming ingest of a log kept in files: the caller's thread reads and
 * cuts chunks, PWORKERS threads canonicalize them (above). 0 with the
 * records appended (not yet committed), or the first error of the input.
 */
static int ingest_parallel(aims_decision_log *l, const aims_decision_ingest_options *o, const char *name)
{
	pingest *pi = NULL;
	char *carry = NULL;
	size_t ncarry = 0;
	uint64_t chunk = 0, reported = 0;
	int err = 0, started = 0, eof = 0;

	if (!(pi = aims__calloc(1, sizeof(*pi))) || !(carry = aims__malloc(AIMS_DECISION_RECORD_MAX + 2))) {
		aims__free(pi);
		return aims__oom();
	}
	pi->l = l;
	pi->o = o;
	pi->err_chunk = UINT64_MAX;
	pthread_cond_init(&pi->cv_chunk, NULL);
	pthread_cond_init(&pi->cv_slab, NULL);
	pthread_cond_init(&pi->cv_turn, NULL);
	pthread_mutex_init(&pi->check_mu, NULL);
	for (int i = 0; i < PSLABS; i++) {
		if (!(pi->slab[i].data = aims__malloc(PSLAB))) {
			err = aims__oom();
			goto out;
		}
	}
	for (int i = 0; i < PWORKERS; i++) {
		pi->w[i].pi = pi;
		pi->w[i].fill = -1;
		if ((err = aims__dcanon_new(&pi->w[i].cn)) < 0)
			goto out;
	}
	for (; started < PWORKERS; started++)
		if (pthread_create(&pi->w[started].th, NULL, p_main, &pi->w[started]) != 0)
			break;
	if (started == 0) {
		err = aims__err(AIMS_ERROR, "decision log '%s': cannot start the canonicalizing threads", l->name);
		goto out;
	}
	while (!eof) {
		int si = p_slab(pi);
		if (si < 0)
			break;
		pslab *s = &pi->slab[si];
		size_t have = ncarry;
		int rerr = 0, seen_nl = 0;  /* the carried bytes are after the last newline */
		memcpy(s->data, carry, ncarry);
		/* a chunk's worth, and more while no line has ended (up to a line too long) */
		while (!eof && !rerr && (have < pchunk || (!seen_nl && have <= AIMS_DECISION_RECORD_MAX + 1))) {
			int64_t r = o->read(s->data + have, PSLAB - have, o->read_arg);
			if (r < 0) {
				p_fail(pi, chunk, 0, (int)r, aims_error_last());
				rerr = 1;
			} else if (r == 0) {
				eof = 1;
			} else {
				seen_nl = seen_nl || memchr(s->data + have, '\n', (size_t)r) != NULL;
				have += (size_t)r;
			}
		}
		if (rerr) {
			pthread_mutex_lock(&l->mu);
			s->state = S_FREE;
			pthread_mutex_unlock(&l->mu);
			break;
		}
		/* whole lines go; the rest of the last is carried to the next chunk */
		const char *nl = have ? memrchr(s->data, '\n', have) : NULL;
		size_t len = eof ? have : nl ? (size_t)(nl - s->data) + 1 : 0;
		ncarry = have - len;
		if (ncarry > AIMS_DECISION_RECORD_MAX + 1) {
			char msg[128];
			snprintf(msg, sizeof(msg), "record longer than %zu bytes", AIMS_DECISION_RECORD_MAX);
			/* the line after this chunk's lines */
			p_fail(pi, chunk + (len > 0), 1, AIMS_EINVALID, msg);
			ncarry = 0;
			eof = 1;
		}
		memcpy(carry, s->data + len, ncarry);
		s->len = len;
		s->chunk = chunk;
		pthread_mutex_lock(&l->mu);
		/* the batch begins with the first chunk that has a record (a worker may be on blank ones) */
		if (len > 0 && !l->in_batch && p_has_record(s->data, len) && begin_batch(l) < 0) {
			p_fail_locked(pi, chunk, 0, aims_error_last_code(), aims_error_last());
			len = 0;
		}
		if (len > 0 && pi->err_chunk > chunk) {
			s->state = S_QUEUED;
			pi->queue[(pi->qhead + pi->qn) % PSLABS] = si;
			pi->qn++;
			chunk++;
			pthread_cond_signal(&pi->cv_chunk);
		} else {
			s->state = S_FREE;
		}
		uint64_t size = l->size;
		pthread_mutex_unlock(&l->mu);
		if (o->on_progress && size - reported >= 65536) {
			o->on_progress(size, o->progress_arg);
			reported = size;
		}
	}
	pthread_mutex_lock(&l->mu);
	pi->eof = 1;
	pthread_cond_broadcast(&pi->cv_chunk);
	pthread_mutex_unlock(&l->mu);
out:
	for (int i = 0; i < started; i++)
		pthread_join(pi->w[i].th, NULL);
	if (err == 0 && pi->err_chunk != UINT64_MAX) {
		if (pi->err_line > 0)
			err = aims__err(pi->err, "'%s' line %" PRIu64 ": %s", name, pi->lines_done + pi->err_line,
					pi->emsg);
		else
			err = aims__err(pi->err, "%s", pi->emsg);
	}
	for (int i = 0; i < PWORKERS; i++)
		aims__dcanon_free(pi->w[i].cn);
	for (int i = 0; i < PSLABS; i++)
		aims__free(pi->slab[i].data);
	pthread_cond_destroy(&pi->cv_chunk);
	pthread_cond_destroy(&pi->cv_slab);
	pthread_cond_destroy(&pi->cv_turn);
	pthread_mutex_destroy(&pi->check_mu);
	aims__free(pi);
	aims__free(carry);
	return err;
}

int aims_decision_ingest(aims_decision_log *l, aims_decision_commit_info *info,
			 const aims_decision_ingest_options *o)
{
	aims_decision_commit_info local;
	aims__dcanon *cn = NULL;
	char *buf = NULL;
	unsigned char *rec = NULL;        /* a log kept in the store: one canonical record at a time */
	const size_t cap = INGEST_READ + AIMS_DECISION_RECORD_MAX + 2;
	size_t have = 0, pos = 0;
	uint64_t lineno = 0;
	int err = 0, eof = 0, last_fill = -1;
	const char *name;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->first = info->size = l->durable;
	if (!o || !o->read)
		return aims__err(AIMS_EUSAGE, "aims_decision_ingest: no input");
	if (l->in_batch || (l->db && aims__ddb_size(l->db) != aims__ddb_durable(l->db)))
		return aims__err(AIMS_EUSAGE, "decision log '%s': a batch is already being appended", l->name);
	name = o->name ? o->name : "<input>";
	if (o->on_hashed && l->db)
		return aims__err(AIMS_EUSAGE, "decision log '%s' is kept in the store: no on_hashed hook", l->name);
	l->on_hashed = o->on_hashed;
	l->hashed_arg = o->record_arg;
	if (!l->db && !o->on_record) {
		/* a log in files: canonicalized on two threads; on_record needs each record on this thread */
		if ((err = ingest_parallel(l, o, name)) < 0)
			goto fail;
		goto commit;
	}
	if ((err = aims__dcanon_new(&cn)) < 0)
		return err;
	if (!(buf = aims__malloc(cap)) || (l->db && !(rec = aims__malloc(AIMS_DECISION_RECORD_MAX + 4)))) {
		err = aims__oom();
		goto fail;
	}
	for (;;) {
		char *nl = memchr(buf + pos, '\n', have - pos);
		if (!nl && !eof) {
			/* the rest is part of a line: keep it and read more */
			if (pos > 0) {
				memmove(buf, buf + pos, have - pos);
				have -= pos;
				pos = 0;
			}
			if (have > AIMS_DECISION_RECORD_MAX + 1) {
				err = aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": record longer than %zu bytes", name,
						lineno + 1, AIMS_DECISION_RECORD_MAX);
				goto fail;
			}
			int64_t r = o->read(buf + have, cap - have, o->read_arg);
			if (r < 0) {
				err = (int)r;
				goto fail;
			}
			if (r == 0)
				eof = 1;
			have += (size_t)r;
			continue;
		}
		if (!nl && pos == have)
			break;
		size_t e = nl ? (size_t)(nl - buf) : have, ll = e - pos;
		const char *line = buf + pos;
		pos = nl ? e + 1 : have;
		lineno++;
		if (blank_line(line, &ll))
			continue;
		unsigned char *p = NULL;
		size_t clen = 0;
		aims__dfields f;
		memset(&f, 0, sizeof(f));
		if (l->db)
			p = rec;
		else if ((err = begin_batch(l)) < 0 || (err = reserve(l, AIMS_DECISION_RECORD_MAX + 4, &p)) < 0)
			goto fail;
		if ((err = aims__dcanon_run(cn, (char *)p + 4, &clen, line, ll, &f)) < 0 ||
		    (o->check && (err = o->check(o->check_arg, f.model, f.model_len, f.model_digest)) < 0) ||
		    (o->on_record && (err = o->on_record(o->record_arg, l->db ? aims__ddb_size(l->db) : l->size,
							 (const char *)p + 4, clen, &f.members)) < 0)) {
			aims__err_prefix("'%s' line %" PRIu64, name, lineno);
			goto fail;
		}
		if (l->db) {
			if ((err = aims__ddb_append(l->db, p + 4, clen)) < 0)
				goto fail;
			uint64_t n = aims__ddb_size(l->db);
			if (o->on_progress && n % 65536 == 0)
				o->on_progress(n, o->progress_arg);
			continue;
		}
		if (o->on_hashed && (err = keep_members(&l->bufs[l->fill], &f.members)) < 0)
			goto fail;
		record_done(l, clen);
		if (l->fill != last_fill) {
			if (last_fill >= 0 && o->on_progress)
				o->on_progress(l->size - l->bufs[l->fill].count, o->progress_arg);
			last_fill = l->fill;
		}
	}
	aims__free(buf);
	buf = NULL;
	aims__free(rec);
	rec = NULL;
	aims__dcanon_free(cn);
	cn = NULL;
commit:
	err = commit_with(l, o->idempotency_key, info, o->before_commit, o->in_commit, o->record_arg);
	l->on_hashed = NULL;
	l->hashed_arg = NULL;
	return err;
fail:
	{
		char why[PATH_MAX + 512];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		aims__free(buf);
		aims__free(rec);
		aims__dcanon_free(cn);
		if (o->on_abort)
			o->on_abort(o->record_arg);
		(void)aims_decision_rollback(l);
		l->on_hashed = NULL;
		l->hashed_arg = NULL;
		return aims__err(err, "%s", why);
	}
}

/* ---- recovery after a crash ---- */

/* remove the tile files that are not tiles of the tree of `size` (written for records cut off) */
static void remove_stale_tiles(aims_decision_log *l, const char *rel, uint64_t size)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;
	if (lpath(path, l, rel) < 0 || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		char sub[PATH_MAX];
		aims_merkle_tile t;
		int is_entries = 0;
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name) >= (int)sizeof(sub) ||
		    lpath(path, l, sub) < 0 || lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			remove_stale_tiles(l, sub, size);
			rmdir(path);  /* only when it is empty now */
			continue;
		}
		if (!S_ISREG(st.st_mode) || aims_merkle_tile_parse(&t, &is_entries, sub) < 0 || is_entries ||
		    t.level >= TLEVELS)
			continue;
		uint64_t nfull = t.level < 7 ? size >> (8 * (t.level + 1)) : 0;
		unsigned w = aims_merkle_tile_width(size, t.level, t.index);
		int keep = t.width == TW ? t.index < nfull : (t.index == nfull && t.width == w);
		if (!keep)
			unlink(path);
	}
	closedir(d);
}

int aims_decision_recover(aims_decision_recovery *res, aims_store *store, const char *system,
			  const aims_note_signer *signer, int discard_foreign)
{
	aims_decision_options opts = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_log *l = NULL;
	aims__sha256 *h = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	int err, legacy;

	memset(res, 0, sizeof(*res));
	opts.signer = signer;
	opts.write = 1;
	if ((err = aims__dlog_check_name(system)) < 0)
		return err;
	/* a log kept in the store has no torn tail: a batch commits whole or not at all */
	int in_store = 0;
	if ((err = aims__dlog_in_store(&in_store, store, system)) < 0)
		return err;
	if (in_store) {
		if ((err = aims_decision_open(&l, store, system, &opts)) < 0)
			return err;
		res->size = aims__ddb_durable(l->db);
		aims_decision_free(l);
		return 0;
	}
	/* the head, before opening (which adopts a legacy log) */
	{
		aims_decision_log probe;
		uint64_t a, b;
		memset(&probe, 0, sizeof(probe));
		probe.store = store;
		probe.name = (char *)system;
		if ((err = aims__dlog_registry_get(NULL, NULL, store, system)) < 0 || (err = head_load(&probe, &a, &b)) < 0)
			return err;
		legacy = probe.head_legacy;
	}
	if ((err = open_log(&l, store, system, &opts, 2)) < 0)
		return err;
	res->size = l->durable;
	res->offset = l->offset;
	if (legacy) {
		res->adopted = 1;
		goto done;
	}
	if (fstat(l->efd, &st) != 0) {
		err = aims__err(AIMS_ERROR, "cannot stat '%s': %s", l->epath, strerror(errno));
		goto done;
	}
	uint64_t flen = (uint64_t)st.st_size;
	if (flen > l->offset) {
		res->foreign = !l->head_pending;
		if (res->foreign && !discard_foreign) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': %" PRIu64 " bytes at offset %" PRIu64 " were not "
					"written by aims (a foreign append, no ingest was in progress): keep a copy of "
					"'%s' for the investigation, then remove them with --discard-foreign", l->name,
					flen - l->offset, l->offset, l->epath);
			goto done;
		}
		/* the digest of what is cut off, for the audit entry */
		uint8_t md[32];
		size_t got;
		if ((err = aims__sha256_new(&h)) < 0)
			goto done;
		if (!(buf = aims__malloc(READ_CHUNK))) {
			err = aims__oom();
			goto done;
		}
		for (uint64_t at = l->offset; at < flen; at += got) {
			size_t want = flen - at < READ_CHUNK ? (size_t)(flen - at) : READ_CHUNK;
			if ((err = pread_full(l->efd, buf, want, at, &got, l->epath)) < 0 ||
			    (got > 0 && (err = aims__sha256_update(h, buf, got)) < 0))
				goto done;
			if (got == 0)
				break;
		}
		if ((err = aims__sha256_final(h, md)) < 0)
			goto done;
		memcpy(res->cut_digest, "sha256:", 7);
		aims__hex(res->cut_digest + 7, md, 32);
		res->cut_bytes = flen - l->offset;
		if (ftruncate(l->efd, (off_t)l->offset) != 0 || fdatasync(l->efd) != 0) {
			err = aims__err(AIMS_ERROR, "cannot cut '%s' back to %" PRIu64 " bytes: %s", l->epath, l->offset,
					strerror(errno));
			goto done;
		}
	}
	if (res->cut_bytes == 0 && !l->head_pending)
		goto done;
	remove_stale_tiles(l, "tile", l->durable);
	uint64_t keep = (l->durable / TW) * TILE_BYTES;
	struct stat pst;
	if (fstat(l->packfd, &pst) == 0 && (uint64_t)pst.st_size > keep && ftruncate(l->packfd, (off_t)keep) != 0) {
		err = aims__err(AIMS_ERROR, "cannot cut '%s/%s': %s", l->dir, PACK_NAME, strerror(errno));
		goto done;
	}
	if (syncfs(l->efd) != 0) {
		err = aims__err(AIMS_ERROR, "cannot sync '%s': %s", l->dir, strerror(errno));
		goto done;
	}
	/* recorded: what was cut, at which committed head */
	{
		char text[256], hex[65], dig[72];
		aims__hex(hex, l->head_root, 32);
		int n = snprintf(text, sizeof(text), "aims decision recovery 1\nsize %" PRIu64 "\nroot %s\ncut %" PRIu64
				 " bytes at %" PRIu64 "\n%s%s\n", l->durable, hex, res->cut_bytes, l->offset,
				 res->foreign ? "foreign " : "", res->cut_bytes ? res->cut_digest : "-");
		if ((err = aims_ledger_digest(dig, text, (size_t)n)) < 0 || (err = aims_store_begin(store)) < 0)
			goto done;
		if ((err = aims__dlog_head_write(l->store, l->name, l->head_legacy, l->durable, l->head_root, "recover",
						 l->durable, l->offset, l->head_root, dig)) < 0 ||
		    (err = aims_store_commit(store)) < 0) {
			aims_store_rollback(store);
			goto done;
		}
		l->head_pending = 0;
	}
	(void)sign_if_behind(l);
done:
	aims__free(buf);
	aims__sha256_free(h);
	aims_decision_free(l);
	return err;
}

/* ---- reading records ---- */

int aims_decision_foreach(aims_decision_log *l, uint64_t from, uint64_t limit,
			  aims_decision_record_fn fn, void *arg)
{
	ereader er;
	uint64_t i = 0, done_n = 0;
	int err, rc;
	if (l->db)
		return aims__ddb_foreach(l->db, from, limit, fn, arg);
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
	if (l->tiles_size != l->durable && !l->in_batch && (err = write_tiles(l)) == 0)
		err = write_state(l);
	if (l->tiles_size != l->durable)
		return err < 0 ? err : aims__err(AIMS_ERROR, "decision log '%s': tiles are behind", l->name);
	cached_reader(out, l, l->tiles_size);
	return 0;
}

int aims_decision_inclusion_proof(uint8_t (**proof)[32], size_t *len, aims_decision_log *l,
				  uint64_t index, uint64_t size)
{
	tile_reader tr;
	int err;
	if (l->db)
		return aims__ddb_inclusion_proof(proof, len, l->db, index, size);
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
	if (l->db)
		return aims__ddb_consistency_proof(proof, len, l->db, old_size, size);
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
	if (l->db)
		return aims__ddb_root(root, l->db, size);
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

	if (l->db)
		return aims__ddb_receipt(out, len, l->db, index);
	*out = NULL;
	*len = 0;
	if ((err = lpath(path, l, "checkpoint")) < 0)
		return err;
	if ((err = read_small(&note, &nlen, path, AIMS_NOTE_MAX_SIZE)) < 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "decision log '%s' has no checkpoint yet", l->name);
		goto done;
	}
	if ((err = aims__dlog_note_checkpoint(&cp, note, nlen)) < 0)
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

int aims__dlog_add_checkpoint(aims__dlog_cp **v, size_t *n, size_t *cap, const char *note, size_t len,
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
		aims__dlog_cp *nv = aims__realloc(*v, nc * sizeof(*nv));
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

int aims__dlog_cmp_cp(const void *a, const void *b)
{
	const aims__dlog_cp *x = a, *y = b;
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

/* ---- read-only verification ---- */

/*
 * A log opened for verification only: nothing is created, truncated,
 * rewritten or signed. The shared lock on `lock` (when the file is there)
 * waits for a writer holding the exclusive one, so the files are read as a
 * writer left them.
 */
static int view_open(aims_decision_log **out, aims_store *store, const char *system, const char *origin)
{
	aims_decision_log *l = NULL;
	aims_buf d = AIMS_BUF_INIT;
	char path[PATH_MAX];
	struct stat st;
	int err;

	*out = NULL;
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	l->lockfd = l->efd = l->packfd = -1;
	l->store = store;
	aims_buf_init(&l->full, 0);
	if (!(l->name = aims__strdup(system)) || !(l->origin = aims__strdup(origin))) {
		err = aims__oom();
		goto fail;
	}
	if ((err = aims_buf_printf(&d, "%s.ledger/decision/%s", aims_store_location(store), system)) < 0) {
		aims_buf_release(&d);
		goto fail;
	}
	if (!(l->dir = aims_buf_detach(&d, NULL))) {
		err = aims__oom();
		goto fail;
	}
	if (lstat(l->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': its folder '%s' is missing", system, l->dir);
		goto fail;
	}
	if ((err = lpath(path, l, "lock")) < 0)
		goto fail;
	if ((l->lockfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		while (flock(l->lockfd, LOCK_SH) != 0) {
			if (errno != EINTR) {
				err = aims__err(AIMS_ERROR, "cannot lock '%s': %s", path, strerror(errno));
				goto fail;
			}
		}
	}
	if ((err = lpath(l->epath, l, "entries")) < 0)
		goto fail;
	if ((l->efd = open(l->epath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		err = errno == ENOENT ? aims__err(AIMS_ETAMPERED, "decision log '%s': its entries file '%s' is "
						  "missing", system, l->epath)
				      : aims__err(AIMS_ERROR, "cannot open '%s': %s", l->epath, strerror(errno));
		goto fail;
	}
	/* full level-0 tiles; a log from before the pack has tile files only */
	if ((err = lpath(path, l, PACK_NAME)) < 0)
		goto fail;
	if ((l->packfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 && errno != ENOENT) {
		err = aims__err(AIMS_ERROR, "cannot open '%s': %s", path, strerror(errno));
		goto fail;
	}
	*out = l;
	return 0;
fail:
	aims_decision_free(l);
	return err;
}

/*
 * Count the complete records. A torn tail (a crash, or bytes that are not a
 * whole record) ends them; a length word no writer makes (damage) too, and
 * *bad says so: the walk then names the first record that no longer verifies.
 */
static int view_count(aims_decision_log *l, uint64_t *torn_at, int *bad, char *msg, size_t msgsize)
{
	ereader er;
	int err, rc;
	*torn_at = UINT64_MAX;
	*bad = 0;
	if ((err = er_init(&er, l->efd, l->epath, 0)) < 0)
		return err;
	l->size = 0;
	for (;;) {
		const unsigned char *d;
		uint32_t n;
		int pr;
		uint64_t off;
		rc = er_next(&er, &d, &n, &pr, &off, l->size);
		if (rc == AIMS_ETAMPERED) {
			*bad = 1;
			snprintf(msg, msgsize, "%s", aims_error_last());
			aims_error_clear();
			err = 0;
			break;
		}
		if (rc < 0) {
			err = rc;
			break;
		}
		if (rc != REC_OK) {
			if (rc == REC_TORN)
				*torn_at = off;
			l->offset = off;
			err = 0;
			break;
		}
		l->size++;
	}
	er_release(&er);
	return err;
}

int aims__decision_created(int64_t *idx, aims_store *s, const char *system)
{
	aims__stmt *st = NULL;
	int err;
	*idx = -1;
	if ((err = aims__stmt_prepare(&st, s, "SELECT MIN(idx) FROM ledger_entries WHERE log = ? AND "
				      "action = 'create' AND object_type = 'decision-log' AND object_id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, AIMS_LEDGER_GOVERNANCE)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, system)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && aims__stmt_type(st, 0) != AIMS__NULL)
		*idx = aims__stmt_int64(st, 0);
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* the checkpoints of a history file: each a 4-byte length and a note; *torn: an incomplete last one */
typedef struct {
	const char *note;
	size_t len;
} hist_item;

static int history_split(hist_item **items, size_t *n, int *torn, const char *data, size_t len)
{
	size_t cap = 0;
	int err;
	*items = NULL;
	*n = 0;
	*torn = 0;
	for (size_t off = 0; off < len;) {
		uint32_t w = off + 4 <= len ? get_be32((const unsigned char *)data + off) : 0;
		if (off + 4 > len || w == 0 || w > AIMS_NOTE_MAX_SIZE || off + 4 + w > len) {
			*torn = 1;
			break;
		}
		if ((err = aims__grow(items, &cap, *n + 1, sizeof(**items))) < 0)
			return err;
		(*items)[*n].note = data + off + 4;
		(*items)[*n].len = w;
		(*n)++;
		off += 4 + w;
	}
	return 0;
}

/* witness cosignatures on a checkpoint: each by a given witness key must verify */
int aims__dlog_cosignatures(int *cosigned, const char *note, size_t len, const char *const *wkeys,
			      size_t nwkeys, const char *what)
{
	aims_note *n = NULL;
	int err;
	*cosigned = 0;
	if (nwkeys == 0)
		return 0;
	err = aims_note_open(&n, note, len, wkeys, nwkeys);
	if (err == 0) {
		*cosigned = 1;
		aims_note_free(n);
		return 0;
	}
	if (err == AIMS_ENOMEM)
		return err;
	/* no witness cosigned this one: fine; an invalid cosignature is not */
	if (strstr(aims_error_last(), "no signature by a known key")) {
		aims_error_clear();
		return 0;
	}
	aims__err_prefix("%s", what);
	return err == AIMS_EINVALID ? aims__err(AIMS_ETAMPERED, "%s", aims_error_last()) : err;
}

int aims__decision_verify(aims_store *store, const char *system, const aims__dverify_opts *o,
			  aims__dverify_stats *stats)
{
	aims_decision_log *l = NULL;
	aims_merkle_frontier *f = NULL;
	char path[PATH_MAX], *hist = NULL, *note = NULL, *origin = NULL;
	size_t hlen = 0, nlen = 0, ncp = 0, capcp = 0, k = 0, nhist = 0;
	hist_item *hitems = NULL;
	aims__dlog_cp *cps = NULL;
	uint8_t (*mine)[TW][32] = NULL, *buf = NULL, *stored0 = NULL;
	uint8_t (*proof)[32] = NULL;
	unsigned width[TLEVELS] = { 0 };
	uint64_t tindex[TLEVELS] = { 0 }, i = 0, iread = 0, torn_at = 0, bound = 0, maxcp = 0, count = 0;
	uint64_t hsize = 0, hoff = 0;
	int64_t created = -1;
	ereader er;
	vpool pool;
	vchunk *ch[2] = { NULL, NULL }, *cur = NULL, *nxt = NULL;
	aims__sha256 *mh = NULL;
	tile_reader *tr = NULL;
	pthread_t worker;
	int err, started = 0, torn = 0, damaged = 0;
	char dmsg[PATH_MAX + 256] = "";
	size_t pos = 0;

	memset(&er, 0, sizeof(er));
	memset(&pool, 0, sizeof(pool));
	memset(stats, 0, sizeof(*stats));
	stats->first_bad = -1;
	pthread_mutex_init(&pool.mu, NULL);
	pthread_cond_init(&pool.cv, NULL);
	/* The registry row and the creation entry are written in one transaction, but read here in two
	 * statements that another node's creation can commit between (PostgreSQL reads each statement at
	 * its own snapshot): the registry first, so that a row found means its entry is visible too; a
	 * creation entry found without a row is read once more before it is called a removal. */
	if ((err = aims__dlog_check_name(system)) < 0)
		goto done;
	err = aims__dlog_registry_get(&origin, NULL, store, system);
	if (err < 0 && err != AIMS_ENOTFOUND)
		goto done;
	int registered = err == 0;
	if ((err = aims__decision_created(&created, store, system)) < 0)
		goto done;
	if (!registered && created >= 0) {
		if ((err = aims__dlog_registry_get(&origin, NULL, store, system)) < 0 && err != AIMS_ENOTFOUND)
			goto done;
		registered = err == 0;
		aims_error_clear();
	}
	if (!registered && created >= 0) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the governance log recorded its creation "
				"(entry %lld) but the store has no ledger_logs row for it", system, (long long)created);
		goto done;
	}
	if (!registered) {
		err = aims__err(AIMS_ENOTFOUND, "no decision log for AI system '%s' (run 'aims decision "
				"ingest --system %s' first)", system, system);
		goto done;
	}
	if (created < 0) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s' is registered in the store, but the "
				"governance log never recorded its creation", system);
		goto done;
	}
	int in_store = 0;
	if ((err = aims__dlog_in_store(&in_store, store, system)) < 0)
		goto done;
	if (in_store) {
		err = aims__ddb_verify(store, system, origin, o, stats);
		goto done;
	}
	/* a log registered a moment ago, whose folder its first ingest has not made yet: nothing was committed,
	 * so nothing can be missing (a folder removed after a commit is below: the head has records) */
	{
		aims__stmt *hs = NULL;
		char hid[96], dir[PATH_MAX];
		struct stat dst;
		snprintf(hid, sizeof(hid), "decision/%s", system);
		if ((err = aims__stmt_prepare(&hs, store, "SELECT size FROM ledger_decision_heads WHERE log = ? AND "
					      "pending_offset IS NULL")) < 0 ||
		    (err = aims__stmt_bind_text(hs, 1, hid)) < 0 || (err = aims__stmt_step(hs)) < 0) {
			aims__stmt_free(hs);
			goto done;
		}
		int empty = err == 1 && aims__stmt_type(hs, 0) != AIMS__NULL && aims__stmt_int64(hs, 0) == 0;
		aims__stmt_free(hs);
		err = 0;
		if (empty && snprintf(dir, sizeof(dir), "%s.ledger/decision/%s", aims_store_location(store), system) <
				     (int)sizeof(dir) &&
		    lstat(dir, &dst) != 0 && errno == ENOENT)
			goto done;
	}
	if ((err = view_open(&l, store, system, origin)) < 0 ||
	    (err = view_count(l, &torn_at, &damaged, dmsg, sizeof(dmsg))) < 0)
		goto done;
	/* what the store committed (issue 12): records beyond it are an ingest in progress (not yet part
	 * of the log) or a foreign append; fewer records than committed were removed */
	if ((err = head_load(l, &hsize, &hoff)) < 0)
		goto done;
	if (!l->head_legacy && !damaged) {
		if (l->size < hsize) {
			stats->first_bad = (int64_t)l->size;
			err = aims__err(AIMS_ETAMPERED, "decision log '%s' has %" PRIu64 " entries, fewer than the %"
					PRIu64 " the store committed: entries from %" PRIu64 " were removed", system,
					l->size, hsize, l->size);
			goto done;
		}
		if (!l->head_pending && (l->size > hsize || torn_at != UINT64_MAX)) {
			stats->first_bad = (int64_t)hsize;
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': bytes after the committed end (offset %"
					PRIu64 ") that no aims ingest wrote: a foreign append", system, hoff);
			goto done;
		}
		l->size = hsize;
	}
	if (o->have_bound)
		bound = o->prune_bound;
	else {
		char log[96];
		snprintf(log, sizeof(log), "decision/%s", system);
		if ((err = aims__prune_bound(&bound, store, log)) < 0)
			goto done;
	}

	/* the history, every checkpoint in it, and the latest checkpoint, which must be one of them */
	if ((err = lpath(path, l, "checkpoint")) < 0)
		goto done;
	err = read_small(&note, &nlen, path, AIMS_NOTE_MAX_SIZE);
	if (err < 0 && err != AIMS_ENOTFOUND)
		goto done;
	if (err == AIMS_ENOTFOUND && l->size > 0) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint is missing", system);
		goto done;
	}
	if ((err = lpath(path, l, "checkpoints")) < 0)
		goto done;
	err = read_small(&hist, &hlen, path, (size_t)1 << 30);
	if (err == AIMS_ENOTFOUND && (note || l->size > 0)) {
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint history 'checkpoints' is "
				"missing", system);
		goto done;
	}
	if (err < 0 && err != AIMS_ENOTFOUND)
		goto done;
	if ((err = history_split(&hitems, &nhist, &torn, hist ? hist : "", hlen)) < 0)
		goto done;
	for (size_t h = 0; h < nhist; h++) {
		char what[96];
		int cs = 0;
		snprintf(what, sizeof(what), "checkpoint %zu of the history", h + 1);
		if ((err = aims__dlog_add_checkpoint(&cps, &ncp, &capcp, hitems[h].note, hitems[h].len, l->origin, o->vkeys,
					  o->nvkeys, what)) < 0) {
			aims__err_prefix("decision log '%s'", system);
			goto done;
		}
		if (ncp > 1 && cps[ncp - 1].size < cps[ncp - 2].size) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': %s has size %" PRIu64 ", smaller than "
					"the one before", system, what, cps[ncp - 1].size);
			goto done;
		}
		if ((err = aims__dlog_cosignatures(&cs, hitems[h].note, hitems[h].len, o->wkeys, o->nwkeys, what)) < 0) {
			aims__err_prefix("decision log '%s'", system);
			goto done;
		}
		stats->cosigned += (uint64_t)cs;
	}
	if (note) {
		int cs = 0, found = 0;
		if ((err = aims__dlog_add_checkpoint(&cps, &ncp, &capcp, note, nlen, l->origin, o->vkeys, o->nvkeys,
					  "the latest checkpoint")) < 0 ||
		    (err = aims__dlog_cosignatures(&cs, note, nlen, o->wkeys, o->nwkeys, "the latest checkpoint")) < 0) {
			aims__err_prefix("decision log '%s'", system);
			goto done;
		}
		for (size_t h = 0; h + 1 < ncp && !found; h++)
			found = cps[h].size == cps[ncp - 1].size && memcmp(cps[h].root, cps[ncp - 1].root, 32) == 0;
		if (!found) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the latest checkpoint (size %" PRIu64 ") "
					"is not in the checkpoint history: the history was cut short or replaced",
					system, cps[ncp - 1].size);
			goto done;
		}
	}
	if (torn) {
		/* a crash while a checkpoint was added to the history leaves an incomplete
		 * last one, never published; anything else is damage */
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint history ends in an incomplete "
				"checkpoint after %zu whole ones (a crash while signing, which the next 'aims "
				"decision' command that opens the log repairs, or damage)", system, nhist);
		goto done;
	}
	if (ncp > 1)
		qsort(cps, ncp, sizeof(*cps), aims__dlog_cmp_cp);
	maxcp = ncp ? cps[ncp - 1].size : 0;
	stats->checkpoints = nhist;
	count = l->size;
	/* a damaged length word: walk the tree the checkpoints sign, to name the first record that differs;
	 * records past the last checkpoint are not in the tiles and not covered: verify those below */
	if ((damaged && maxcp > l->size) || l->size > maxcp)
		l->size = maxcp;
	if (maxcp > l->size) {
		stats->first_bad = (int64_t)l->size;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': a checkpoint of size %" PRIu64 " is beyond "
				"the %" PRIu64 " entries: entries from %" PRIu64 " were removed", system, maxcp,
				l->size, l->size);
		goto done;
	}
	if (o->trusted.have && o->trusted.size > l->size) {
		stats->first_bad = (int64_t)l->size;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s' has %" PRIu64 " entries, fewer than the %" PRIu64
				" of the trusted checkpoint: entries from %" PRIu64 " were removed (truncation or "
				"rollback)", system, l->size, o->trusted.size, l->size);
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
	int64_t prev_cp = -1;
	for (;;) {
		uint8_t root[32];
		while (k < ncp && cps[k].size == i) {
			if ((err = aims_merkle_frontier_root(root, f)) < 0)
				goto done;
			if (memcmp(root, cps[k].root, 32) != 0) {
				uint64_t from = prev_cp < 0 ? 0 : (uint64_t)prev_cp;
				stats->first_bad = (int64_t)from;
				if (cps[k].size == from + 1)
					err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " no longer "
							"verifies: the signed checkpoint of size %" PRIu64 " does not match "
							"the entries (the entry and its tiles were rewritten)", system,
							from, cps[k].size);
				else
					err = aims__err(AIMS_ETAMPERED, "decision log '%s': an entry from %" PRIu64 " to %"
							PRIu64 " no longer verifies: the signed checkpoint of size %" PRIu64
							" does not match the entries%s (the entry and its tiles were "
							"rewritten)", system, from, cps[k].size - 1, cps[k].size,
							prev_cp < 0 ? "" : ", the one before it does");
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
		/* retention: only records the governance log says were pruned may lack their body */
		if (cur->pruned[pos]) {
			stats->pruned++;
			if (i >= bound) {
				stats->first_bad = (int64_t)i;
				err = aims__err(AIMS_ETAMPERED, "decision log '%s': entry %" PRIu64 " has no body (a "
						"pruned marker), but the governance log records pruning of this log "
						"only below entry %" PRIu64 ": a record inside the retention period was "
						"dropped", system, i, bound);
				goto done;
			}
		}
		if ((err = aims_merkle_frontier_append(f, cur->leaf[pos++])) < 0)
			goto done;
		/* leaves are compared one by one, so a changed record is named even
		 * when it also shifted the records after it */
		if (width[0] == 0) {
			unsigned w = aims_merkle_tile_width(l->size, 0, tindex[0]);
			if (read_tile(stored0, l, 0, tindex[0], w) < 0) {
				char why[PATH_MAX + 128];
				snprintf(why, sizeof(why), "%s", aims_error_last());
				stats->first_bad = (int64_t)(tindex[0] * TW);
				err = aims__err(AIMS_ETAMPERED, "%s (entries from %" PRIu64 " no longer verify)",
						why, tindex[0] * TW);
				goto done;
			}
			stats->tiles++;
		}
		const uint8_t (*h)[32];
		size_t c = aims_merkle_frontier_completed(f, &h);
		if (memcmp(stored0 + (size_t)width[0] * 32, h[0], 32) != 0) {
			tile_file(path, l, 0, tindex[0], aims_merkle_tile_width(l->size, 0, tindex[0]));
			stats->first_bad = (int64_t)i;
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
				if ((err = compare_tile(l, L, tindex[L], TW, mine[L][0], buf)) < 0) {
					stats->first_bad = (int64_t)((tindex[L] * TW) << (8 * L));
					goto done;
				}
				stats->tiles++;
				width[L] = 0;
				tindex[L]++;
			}
		}
		i++;
	}
	for (unsigned L = 1; L < TLEVELS; L++) {
		if (width[L] > 0 && (err = compare_tile(l, L, tindex[L], width[L], mine[L][0], buf)) < 0) {
			stats->first_bad = (int64_t)((tindex[L] * TW) << (8 * L));
			goto done;
		}
		stats->tiles += width[L] > 0;
	}
	stats->entries = i;
	stats->covered = maxcp;
	if (damaged) {
		stats->first_bad = (int64_t)i;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': %s", system, dmsg);
		goto done;
	}
	/* every record is under a signed checkpoint: the sequencer signs one for each batch */
	if (count > maxcp) {
		stats->first_bad = (int64_t)maxcp;
		err = aims__err(AIMS_ETAMPERED, "decision log '%s': entries %" PRIu64 " to %" PRIu64 " are not "
				"covered by a signed checkpoint%s (records appended outside aims, or a crash before "
				"the checkpoint was signed, which the next 'aims decision' command that opens the "
				"log repairs)", system, maxcp, count - 1, ncp ? "" : " (there is none)");
		goto done;
	}
	/* RFC 9162 2.1.4: the trusted checkpoint's tree is a prefix of the tree now, proven from the tiles */
	if (o->trusted.have && o->trusted.size > 0 && o->trusted.size < l->size) {
		uint8_t now_root[32];
		size_t plen = 0;
		if (!(tr = aims__calloc(1, sizeof(*tr))) || !(tr->data = aims__malloc(TLEVELS * TILE_BYTES))) {
			err = aims__oom();
			goto done;
		}
		tr->l = l;
		tr->size = l->size;
		if ((err = aims_merkle_frontier_root(now_root, f)) < 0 ||
		    (err = aims_merkle_stored_consistency_proof(&proof, &plen, o->trusted.size, l->size,
								tile_read_hash, tr)) < 0)
			goto done;
		if (aims_merkle_verify_consistency(o->trusted.size, l->size, o->trusted.root, now_root,
						   (const uint8_t (*)[32])proof, plen) < 0) {
			stats->first_bad = 0;
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the tree of %" PRIu64 " entries is not "
					"consistent with the trusted checkpoint of size %" PRIu64 " (RFC 9162 "
					"consistency proof): %s", system, l->size, o->trusted.size, aims_error_last());
			goto done;
		}
	}
	/* the records the store committed give the root it committed */
	if (!l->head_legacy && i == hsize) {
		uint8_t root[32];
		if ((err = aims_merkle_frontier_root(root, f)) < 0)
			goto done;
		if (memcmp(root, l->head_root, 32) != 0) {
			stats->first_bad = 0;
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': its %" PRIu64 " entries do not give the "
					"root committed in the store", system, i);
			goto done;
		}
	}
	(void)torn_at;
	err = 0;
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
	if (tr)
		aims__free(tr->data);
	aims__free(tr);
	aims_merkle_proof_free(proof);
	er_release(&er);
	aims__free(mine);
	aims__free(buf);
	aims__free(stored0);
	aims__free(cps);
	aims__free(hitems);
	aims__free(hist);
	aims__free(note);
	aims__free(origin);
	aims_merkle_frontier_free(f);
	aims_decision_free(l);
	return err;
}

int aims__decision_checkpoint_read(char **note, size_t *len, aims_store *store, const char *system)
{
	aims_buf p = AIMS_BUF_INIT;
	int err;
	int in_store = 0;
	*note = NULL;
	*len = 0;
	if ((err = aims__dlog_check_name(system)) < 0)
		return err;
	if (aims__dlog_in_store(&in_store, store, system) == 0 && in_store)
		return aims__ddb_checkpoint_read(note, len, store, system);
	aims_error_clear();
	if ((err = aims_buf_printf(&p, "%s.ledger/decision/%s/checkpoint", aims_store_location(store), system)) < 0) {
		aims_buf_release(&p);
		return err;
	}
	err = read_small(note, len, p.ptr, AIMS_NOTE_MAX_SIZE);
	if (err == AIMS_ENOTFOUND)
		err = aims__err(AIMS_ENOTFOUND, "decision log '%s' has no checkpoint", system);
	aims_buf_release(&p);
	return err;
}

int aims_decision_verify(aims_store *store, const char *system, const char *const *vkeys, size_t nvkeys,
			 uint64_t *entries)
{
	aims__dverify_opts o;
	aims__dverify_stats st;
	char *vk = NULL;
	const char *keys[1];
	int err;
	memset(&o, 0, sizeof(o));
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
	o.vkeys = vkeys;
	o.nvkeys = nvkeys;
	err = aims__decision_verify(store, system, &o, &st);
	if (err == 0 && entries)
		*entries = st.entries;
	aims__free(vk);
	return err;
}

/* ---- retention ---- */

int aims_decision_prune(aims_store *store, const char *system, int days, uint64_t *pruned)
{
	aims_decision_log *l = NULL;
	char tmp[PATH_MAX];
	unsigned char *out = NULL;
	size_t olen = 0;
	uint64_t count = 0, i = 0, written = 0, last_new = 0, k = 0;
	int64_t created = -1, created_at = 0;
	ereader er;
	int err, rc, fd = -1, stop = 0;

	memset(&er, 0, sizeof(er));
	if (pruned)
		*pruned = 0;
	if ((err = aims__dlog_check_name(system)) < 0)
		return err;
	if (days == 0 && (err = aims__dlog_registry_get(NULL, &days, store, system)) < 0)
		return err;
	if (days < AIMS_LEDGER_MIN_RETENTION_DAYS)
		return aims__err(AIMS_EINVALID, "retention of %d days is below the minimum of %d days "
				 "(EU AI Act Art. 19(1) and 26(6): at least six months)", days,
				 AIMS_LEDGER_MIN_RETENTION_DAYS);
	/* the real clock: nothing a caller passes can make the period shorter */
	int64_t cutoff = aims__clock_now() - (int64_t)days * 86400;
	/* no record can be older than its log: the governance log's time of the creation is
	 * signed, a record's own time is what its producer wrote */
	if ((err = aims__decision_created(&created, store, system)) < 0)
		return err;
	if (created >= 0) {
		aims_ledger_entries *le = NULL;
		if ((err = aims_ledger_log_read(&le, store, system)) < 0)
			return err;
		for (size_t j = 0; j < le->count; j++)
			if (le->items[j].index == created &&
			    aims__rfc3339(&created_at, NULL, le->items[j].time, strlen(le->items[j].time), 0) < 0)
				created_at = INT64_MAX;
		aims_ledger_entries_free(le);
	}
	int in_store = 0;
	if ((err = aims__dlog_in_store(&in_store, store, system)) < 0)
		return err;
	if (in_store)
		return aims__ddb_prune(store, system, cutoff, created_at, pruned);
	aims_decision_options wo = AIMS_DECISION_OPTIONS_INIT;
	wo.write = 1;
	if ((err = aims_decision_open(&l, store, system, &wo)) < 0)
		return err;
	if ((err = lpath(tmp, l, "entries.prune")) < 0)
		goto done;
	if ((fd = aims__open_private(tmp, O_WRONLY | O_CREAT | O_TRUNC)) < 0) {
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
		/* from the start of the log up to the first record inside the period */
		if (!pr && !stop) {
			json_t *o = json_loadb((const char *)d, n, 0, NULL);
			json_t *tv = o ? json_object_get(o, "time") : NULL;
			int64_t rt;
			if (json_is_string(tv) &&
			    aims__rfc3339(&rt, NULL, json_string_value(tv), json_string_length(tv), 0) == 0 &&
			    rt < cutoff && created_at < cutoff)
				drop = 1;
			else
				stop = 1;
			json_decref(o);
		}
		if (!stop)
			k = i + 1;
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
	/* the store commits the new end (and the audit entry) first; a crash before the
	 * rename below is finished by the next open (finish_prune) */
	struct stat st;
	if (stat(tmp, &st) != 0) {
		err = aims__err(AIMS_ERROR, "cannot stat '%s': %s", tmp, strerror(errno));
		goto done;
	}
	char detail[64], dig[72];
	snprintf(detail, sizeof(detail), "pruned=%" PRIu64, count);
	if ((err = aims_ledger_digest(dig, detail, strlen(detail))) < 0 || (err = aims_store_begin(store)) < 0)
		goto done;
	if ((err = aims__dlog_head_write(l->store, l->name, l->head_legacy, l->durable, l->head_root, "prune",
					 l->durable, (uint64_t)st.st_size, l->head_root, dig)) < 0 ||
	    (err = aims_store_commit(store)) < 0) {
		aims_store_rollback(store);
		goto done;
	}
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
	l->offset = l->wr_off = (uint64_t)st.st_size;
	l->last_off = last_new;
	if ((err = write_state(l)) < 0)
		goto done;
	if (syncfs(l->efd) != 0) {
		err = aims__err(AIMS_ERROR, "cannot sync '%s': %s", l->dir, strerror(errno));
		goto done;
	}
	/* the record that allows the markers: verification refuses one at or above k */
	char what[128];
	snprintf(what, sizeof(what), "decision/%s" AIMS__PRUNE_BELOW "%" PRIu64, system, k);
	if ((err = aims_ledger_append(store, "prune", AIMS__PRUNE_TYPE, what, NULL, NULL)) < 0)
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
