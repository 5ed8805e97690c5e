/*
 * Benchmark: evidence packs (aims pack) cost what they hold, not what the
 * store holds. Three stores with the same AI system and records are packed
 * with the command users run (`aims --db STORE pack --system credit-score
 * --tar --out FILE`, a child process; its wall time and peak RSS from
 * wait4):
 *
 *   small  the records alone (the baseline);
 *   big    the same plus AIMS_BENCH_PACK_GOV (default 1,000,000) governance
 *          entries of other objects and AIMS_BENCH_PACK_DECISIONS (default
 *          10,000,000) decision records in another system's decision log;
 *   wide   the records plus AIMS_BENCH_PACK_INCLUDED (default 5,000) more
 *          entries the pack includes (changes of a SoA control).
 *
 * The ratio big/small should be near 1 (the pack does not depend on the
 * store's size) and wide/small grow with the entries included. The filler
 * governance entries are written straight into the store's tables with
 * their RFC 9162 leaf hashes and tiles computed by the library's Merkle
 * frontier (appending a million entries one write at a time would take
 * hours: aims_ledger_append counts the log on every write); `aims ledger
 * verify` then recomputes the whole tree, so the store is a valid one.
 * AIMS_BENCH_AIMS names the aims binary (default build/aims). Run from the
 * repository's root (make bench does): the stores import examples/isms-soa.csv.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "aims/aims.h"
#include "bench.h"

#define REPS 3
#define DEC_SIZE 160

static char tmpdir[1024];
static const char *aims_bin;
static char keypath[1200];
static aims_note_signer *signer;

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	return v && *v ? strtoull(v, NULL, 10) : def;
}

static void die_aims(const char *what)
{
	bench_die(what, aims_error_last());
}

/* the filler: n governance entries about other AI systems, straight into an empty governance log */
static void fill_governance(const char *dbpath, uint64_t n, const char *origin)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *tile = NULL;
	aims_merkle_frontier *f = NULL;
	unsigned char *tiles[8] = { 0 };
	size_t tlen[8] = { 0 };
	if (sqlite3_open(dbpath, &db) != SQLITE_OK || aims_merkle_frontier_new(&f) < 0)
		bench_die("filler: open", sqlite3_errmsg(db));
	sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
	char sql[256];
	snprintf(sql, sizeof(sql), "INSERT INTO ledger_logs (id, kind, origin, retention_days, created_at) "
		 "VALUES ('governance', 'governance', '%s', 183, '2026-01-01T00:00:00Z')", origin);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO ledger_entries (log, idx, time, actor, action, object_type, object_id, "
			       "new_digest, prev_digest, body, leaf_hash) VALUES ('governance', ?, ?, 'os:bench', 'update', "
			       "'ai-system', ?, ?, NULL, ?, ?)", -1, &ins, NULL) != SQLITE_OK)
		bench_die("filler: prepare", sqlite3_errmsg(db));
	for (unsigned lv = 0; lv < 8; lv++) {
		size_t cap = (size_t)(n >> (8 * lv)) * 32 + 32;
		if (!(tiles[lv] = malloc(cap)))
			bench_die("filler: out of memory", NULL);
	}
	for (uint64_t i = 0; i < n; i++) {
		char id[32], dg[80], tm[32];
		uint8_t leaf[32];
		snprintf(id, sizeof(id), "filler-%07" PRIu64, i % 100000);
		snprintf(dg, sizeof(dg), "sha256:%064" PRIx64, i);
		snprintf(tm, sizeof(tm), "2026-01-%02dT%02d:%02d:%02dZ", (int)(1 + i / 86400 % 28), (int)(i / 3600 % 24),
			 (int)(i / 60 % 60), (int)(i % 60));
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:n}", "v", 1, "time", tm, "actor", "os:bench",
				      "action", "update", "object_type", "ai-system", "object_id", id, "new_digest", dg,
				      "prev_digest");
		char *body = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		json_decref(o);
		size_t blen = strlen(body);
		if (aims_merkle_frontier_append_entry(f, leaf, body, blen) < 0)
			die_aims("filler: frontier");
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
		sqlite3_bind_text(ins, 2, tm, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, dg, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 5, body, (int)blen, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 6, leaf, 32, SQLITE_TRANSIENT);
		if (sqlite3_step(ins) != SQLITE_DONE)
			bench_die("filler: insert", sqlite3_errmsg(db));
		sqlite3_reset(ins);
		free(body);
		/* the stored hashes this leaf completes go to their tiles (levels 0, 8, 16, ...), as the ledger does */
		const uint8_t (*done)[32] = NULL;
		size_t ndone = aims_merkle_frontier_completed(f, &done);
		for (size_t k = 0; k < ndone; k += AIMS_MERKLE_TILE_HEIGHT) {
			unsigned lv = (unsigned)(k / AIMS_MERKLE_TILE_HEIGHT);
			memcpy(tiles[lv] + tlen[lv], done[k], 32);
			tlen[lv] += 32;
		}
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO ledger_tiles (log, level, idx, data) VALUES ('governance', ?, ?, ?)", -1,
			       &tile, NULL) != SQLITE_OK)
		bench_die("filler: prepare tiles", sqlite3_errmsg(db));
	for (unsigned lv = 0; lv < 8; lv++) {
		for (size_t off = 0; off < tlen[lv]; off += 256 * 32) {
			size_t w = tlen[lv] - off < 256 * 32 ? tlen[lv] - off : 256 * 32;
			sqlite3_bind_int(tile, 1, (int)lv);
			sqlite3_bind_int64(tile, 2, (sqlite3_int64)(off / (256 * 32)));
			sqlite3_bind_blob(tile, 3, tiles[lv] + off, (int)w, SQLITE_TRANSIENT);
			if (sqlite3_step(tile) != SQLITE_DONE)
				bench_die("filler: tile", sqlite3_errmsg(db));
			sqlite3_reset(tile);
		}
		free(tiles[lv]);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(tile);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		bench_die("filler: commit", sqlite3_errmsg(db));
	sqlite3_close(db);
	aims_merkle_frontier_free(f);
}

static void fill_decisions(aims_store *store, uint64_t n)
{
	aims_decision_log *log = NULL;
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	char rec[DEC_SIZE + 1];
	o.create = 1;
	o.signer = signer;
	if (aims_decision_open(&log, store, "bulk", &o) < 0)
		die_aims("decisions: open");
	for (uint64_t i = 0; i < n; i++) {
		int k = snprintf(rec, sizeof(rec), "{\"confidence\":0.5,\"input_digest\":\"sha256:%064" PRIx64 "\",\"i\":%" PRIu64 "}", i, i);
		if (aims_decision_append(log, rec, (size_t)k) < 0)
			die_aims("decisions: append");
	}
	if (aims_decision_close(log) < 0)
		die_aims("decisions: close");
}

/* a store with the AI system's records, the filler, `extra` more included entries; its checkpoint signed */
static void build(const char *path, uint64_t gov, uint64_t dec, uint64_t extra)
{
	aims_store *s = NULL;
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_principal p;
	so.create = 1;
	if (aims_store_open(&s, path, &so) < 0)
		die_aims("store");
	aims_store_free(s);
	if (gov)
		fill_governance(path, gov, aims_note_signer_name(signer));
	so.create = 0;
	if (aims_store_open(&s, path, &so) < 0 || aims_principal_os(&p, s) < 0 || aims_store_set_principal(s, &p) < 0)
		die_aims("store: reopen");
	if (aims_catalog_load_all(s, NULL, NULL) < 0 || aims_ledger_setup(s, keypath, NULL) < 0 ||
	    aims_isms_import(s, "examples/isms-soa.csv", NULL) < 0)
		die_aims("store: catalogs, key and the ISMS state of examples/isms-soa.csv");
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	f.purpose = "score consumer credit applications";
	f.lifecycle = "operating";
	if (aims_system_add(s, "credit-score", &f) < 0)
		die_aims("system");
	aims_soa_update u = AIMS_SOA_UPDATE_INIT;
	u.applicable = 0;
	u.justification = "No AI system is offered to customers";
	if (aims_soa_set(s, "A.10.4", &u) < 0)
		die_aims("soa");
	char *id = NULL;
	for (int k = 0; k < 3; k++) {
		if (aims_eval_record(&id, s, "credit-score", "performance",
				     "[{\"name\": \"decisions.csv\", \"sha256\": \"sha256:"
				     "0000000000000000000000000000000000000000000000000000000000000000\", \"rows\": 100}]",
				     "{}", "{\"n\": 100}") < 0)
			die_aims("eval");
		free(id);
	}
	if (aims_store_begin(s) < 0)
		die_aims("begin");
	for (uint64_t i = 0; i < extra; i++) {
		char owner[32];
		aims_soa_update o = AIMS_SOA_UPDATE_INIT;
		snprintf(owner, sizeof(owner), "owner %" PRIu64, i);
		o.owner = owner;
		if (aims_soa_set(s, "A.9.2", &o) < 0)
			die_aims("soa updates");
	}
	if (aims_store_commit(s) < 0)
		die_aims("commit");
	if (dec)
		fill_decisions(s, dec);
	if (aims_ledger_checkpoint(s, signer, NULL) < 0)
		die_aims("checkpoint");
	aims_store_free(s);
}

typedef struct {
	double secs, rss_mb;
	long long entries, files, bytes;
} run_result;

/* run `aims --db DB pack --system credit-score --tar --out OUT --json`: wall time, peak RSS, what it holds */
static run_result run_pack(const char *db)
{
	char out[1200], js[1200];
	run_result r = { 0, 0, 0, 0, 0 };
	snprintf(out, sizeof(out), "%s/pack.tar", tmpdir);
	snprintf(js, sizeof(js), "%s/pack.json", tmpdir);
	unlink(out);
	fflush(stdout); /* else the child's freopen writes what is buffered here once more */
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", strerror(errno));
	if (pid == 0) {
		if (!freopen(js, "w", stdout))
			_exit(126);
		execl(aims_bin, aims_bin, "--db", db, "pack", "--system", "credit-score", "--tar", "--out", out, "--json",
		      (char *)NULL);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		bench_die("aims pack failed", db);
	r.secs = bench_now() - t0;
	r.rss_mb = (double)ru.ru_maxrss / 1024.0;
	json_error_t je;
	json_t *j = json_load_file(js, 0, &je);
	r.entries = (long long)json_integer_value(json_object_get(j, "entries"));
	r.files = (long long)json_integer_value(json_object_get(j, "files"));
	json_decref(j);
	struct stat sb;
	if (stat(out, &sb) == 0)
		r.bytes = (long long)sb.st_size;
	return r;
}

static double file_mb(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (double)sb.st_size / 1048576.0 : 0;
}

static double tree_bytes;

static int add_size(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path; (void)ftw;
	if (flag == FTW_F)
		tree_bytes += (double)sb->st_size;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

/* the decision logs' files beside the store */
static double dir_mb(const char *path)
{
	tree_bytes = 0;
	nftw(path, add_size, 16, FTW_PHYS);
	return tree_bytes / 1048576.0;
}

int main(int argc, char **argv)
{
	uint64_t gov = env_u64("AIMS_BENCH_PACK_GOV", 1000000);
	uint64_t dec = env_u64("AIMS_BENCH_PACK_DECISIONS", 10000000);
	uint64_t inc = env_u64("AIMS_BENCH_PACK_INCLUDED", 5000);
	char *skey = NULL, *vkey = NULL;
	aims_bin = getenv("AIMS_BENCH_AIMS") && *getenv("AIMS_BENCH_AIMS") ? getenv("AIMS_BENCH_AIMS") : "build/aims";

	bench_header(argc, argv, "aims benchmark: evidence packs (bench/pack.c)");
	if (access(aims_bin, X_OK) != 0)
		bench_die("no aims binary (set AIMS_BENCH_AIMS)", aims_bin);
	bench_tmpdir(tmpdir, sizeof(tmpdir), "pack");
	printf("command: %s --db STORE pack --system credit-score --tar --out FILE (median of %d runs; peak RSS of "
	       "the command)\n", aims_bin, REPS);
	printf("stores:  small = the AI system's records; big = + %" PRIu64 " governance entries of other objects "
	       "(AIMS_BENCH_PACK_GOV) + %" PRIu64 " decision records of another system (AIMS_BENCH_PACK_DECISIONS); "
	       "wide = + %" PRIu64 " entries the pack includes (AIMS_BENCH_PACK_INCLUDED)\n", gov, dec, inc);
	if (aims_note_keygen(&skey, &vkey, "bench.example/aims") < 0 || aims_note_signer_parse(&signer, skey) < 0)
		die_aims("key");
	snprintf(keypath, sizeof(keypath), "%s/ledger.key", tmpdir);
	if (aims_note_key_write(keypath, skey) < 0)
		die_aims("key file");
	aims_note_secret_free(skey);

	static const char *const names[] = { "small", "big", "wide" };
	char paths[3][1300];
	double build_s[3];
	for (int c = 0; c < 3; c++) {
		snprintf(paths[c], sizeof(paths[c]), "%.1200s/%s.db", tmpdir, names[c]);
		double t0 = bench_now();
		build(paths[c], c == 1 ? gov : 0, c == 1 ? dec : 0, c == 2 ? inc : 0);
		build_s[c] = bench_now() - t0;
	}
	/* the big store is a valid one: the whole governance tree recomputed */
	{
		aims_store *s = NULL;
		aims_store_options so = AIMS_STORE_OPTIONS_INIT;
		aims_ledger_verify_stats vs;
		const char *k[] = { vkey };
		double t0 = bench_now();
		if (aims_store_open(&s, paths[1], &so) < 0 || aims_ledger_verify(&vs, s, k, 1) < 0)
			die_aims("verify the big store");
		printf("big store verified: %" PRIu64 " governance entries recomputed (%.1f s); stores built in %.1f, %.1f, "
		       "%.1f s\n", vs.entries, bench_now() - t0, build_s[0], build_s[1], build_s[2]);
		aims_store_free(s);
	}

	run_result res[3][REPS];
	for (int rep = 0; rep < REPS; rep++)
		for (int c = 0; c < 3; c++) /* alternating, so drift hits all alike */
			res[c][rep] = run_pack(paths[c]);
	printf("\n%-6s %14s %14s %10s %12s %8s %10s %10s %8s %8s\n", "store", "gov entries", "decisions", "store MB",
	       "pack entries", "files", "pack KB", "median s", "ratio", "RSS MB");
	double base = 0;
	for (int c = 0; c < 3; c++) {
		double t[REPS], rss = 0;
		for (int rep = 0; rep < REPS; rep++) {
			t[rep] = res[c][rep].secs;
			if (res[c][rep].rss_mb > rss)
				rss = res[c][rep].rss_mb;
		}
		double med = bench_median(t, REPS);
		if (c == 0)
			base = med;
		char logdir[1400];
		snprintf(logdir, sizeof(logdir), "%.1300s.ledger", paths[c]);
		double mb = file_mb(paths[c]) + dir_mb(logdir);
		uint64_t g = c == 1 ? gov : 0;
		printf("%-6s %14" PRIu64 " %14" PRIu64 " %10.1f %12lld %8lld %10.1f %10.3f %8.2f %8.1f\n", names[c], g,
		       c == 1 ? dec : (uint64_t)0, mb, res[c][0].entries, res[c][0].files, (double)res[c][0].bytes / 1024.0,
		       med, med / base, rss);
	}
	printf("\nratio: median time against the small store's in this run. big/small near 1: the pack does not "
	       "grow with the store; wide/small grows with the entries the pack holds.\n");
	free(vkey);
	aims_note_signer_free(signer);
	if (!getenv("AIMS_BENCH_KEEP"))
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
