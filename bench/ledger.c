/*
 * Benchmark of the AI decision log (include/aims/decision.h), against
 * SQLite baselines run in the same process (see bench/bench.h and
 * docs/benchmarks.md):
 *
 *  (a) ingest: N records of 300 bytes (default 10 million, or
 *      $AIMS_BENCH_LEDGER_N), generated in memory reproducibly, appended
 *      through aims_decision_append as one batch and committed (entries
 *      fdatasync'ed, tiles synced, head and audit entry in the store, a
 *      signed checkpoint), against SQLite (WAL, synchronous=FULL) inserting
 *      the same records one row per transaction and 1000 rows per
 *      transaction. The path users run, the command on a file, is measured
 *      by bench/ingest.c;
 *  (b) the NDJSON path: aims_decision_canonical on 100,000 lines;
 *  (c) verify: aims_decision_verify of the whole log (every leaf
 *      recomputed, every tile and checkpoint compared), entries/s;
 *  (d) proofs at that size: inclusion and consistency proofs read from the
 *      tiles, median microseconds over 1001 random proofs each.
 *
 * The SQLite one-row-per-transaction baseline runs 100,000 rows or 20
 * seconds, whichever comes first ($AIMS_BENCH_LEDGER_SQLITE_ROWS), and is
 * compared by rate. Files go to $TMPDIR (or /tmp) and are removed.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/aims.h"
#include "aims/decision.h"
#include "aims/merkle.h"
#include "aims/note.h"
#include "bench.h"

#define REC_SIZE 300
#define NPROOFS 1001

static char tmpdir[512];

static void die_aims(const char *what)
{
	bench_die(what, aims_error_last());
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	unsigned long long x = strtoull(v, &end, 10);
	return *end || x == 0 ? def : (uint64_t)x;
}

/* record i: a canonical decision record of exactly REC_SIZE bytes */
static void make_record(char *out, uint64_t i)
{
	static const char head[] = "{\"confidence\":0.83,\"input_digest\":\"sha256:";
	char hex[65];
	uint64_t x = i * 0x9e3779b97f4a7c15ULL + 1;
	for (int k = 0; k < 64; k++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		hex[k] = "0123456789abcdef"[(x * 0x2545f4914f6cdd1dULL) >> 60];
	}
	hex[64] = '\0';
	int n = snprintf(out, REC_SIZE + 1, "%s%s\",\"model\":\"credit-score@2.1\",\"output\":{\"approve\":%s,"
			 "\"id\":%020" PRIu64 ",\"pad\":\"", head, hex, (i & 1) ? "true" : "false", i);
	const char *tail = "\"},\"time\":\"2026-03-01T12:00:00Z\"}";
	size_t tl = strlen(tail);
	memset(out + n, 'x', REC_SIZE - (size_t)n - tl);
	memcpy(out + REC_SIZE - tl, tail, tl);
	out[REC_SIZE] = '\0';
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---- SQLite baselines ---- */

static double sqlite_rate(const char *path, uint64_t n, int per_tx, double max_s, uint64_t *done)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char rec[REC_SIZE + 1];
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE decisions (idx INTEGER PRIMARY KEY, body BLOB NOT NULL, "
			 "leaf BLOB NOT NULL)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO decisions (idx, body, leaf) VALUES (?, ?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		bench_die("sqlite setup", sqlite3_errmsg(db));
	double t0 = bench_now();
	uint64_t i = 0;
	while (i < n) {
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		for (int k = 0; k < per_tx && i < n; k++, i++) {
			uint8_t leaf[32];
			make_record(rec, i);
			aims_merkle_leaf_hash(leaf, rec, REC_SIZE);  /* an audit table stores a digest too */
			sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
			sqlite3_bind_blob(st, 2, rec, REC_SIZE, SQLITE_STATIC);
			sqlite3_bind_blob(st, 3, leaf, 32, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				bench_die("sqlite insert", sqlite3_errmsg(db));
			sqlite3_reset(st);
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			bench_die("sqlite commit", sqlite3_errmsg(db));
		if (bench_now() - t0 > max_s)
			break;
	}
	double t = bench_now() - t0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	*done = i;
	return (double)i / t;
}

static uint64_t acks;
static void on_ack(uint64_t size, void *arg)
{
	(void)arg;
	(void)size;
	acks++;
}

int main(int argc, char **argv)
{
	uint64_t n = env_u64("AIMS_BENCH_LEDGER_N", 10000000);
	uint64_t nsql = env_u64("AIMS_BENCH_LEDGER_SQLITE_ROWS", 100000);
	char path[1024], *skey = NULL, *vkey = NULL, rec[REC_SIZE + 1];
	aims_store *store = NULL;
	aims_note_signer *signer = NULL;
	aims_decision_log *log = NULL;
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_decision_options opts = AIMS_DECISION_OPTIONS_INIT;
	const char *tmp = getenv("TMPDIR");

	bench_header(argc, argv, "aims benchmark: AI decision log (bench/ledger.c)");
	snprintf(tmpdir, sizeof(tmpdir), "%s/aims-bench-ledger-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpdir))
		bench_die("cannot create a temporary directory", tmpdir);
	printf("libs:    aims %s, sqlite %s; temp %s\n", aims_version(), sqlite3_libversion(), tmpdir);
	printf("records: %" PRIu64 " of %d bytes (AIMS_BENCH_LEDGER_N), one batch committed at the end\n", n,
	       REC_SIZE);

	so.create = 1;
	snprintf(path, sizeof(path), "%s/aims.db", tmpdir);
	if (aims_store_open(&store, path, &so) < 0)
		die_aims("store");
	if (aims_note_keygen(&skey, &vkey, "bench.example/aims") < 0 ||
	    aims_note_signer_parse(&signer, skey) < 0)
		die_aims("key");

	/* (a) ingest */
	opts.create = 1;
	opts.signer = signer;
	opts.on_ack = on_ack;
	if (aims_decision_open(&log, store, "bench", &opts) < 0)
		die_aims("open");
	double t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		make_record(rec, i);
		if (aims_decision_append(log, rec, REC_SIZE) < 0)
			die_aims("append");
	}
	if (aims_decision_checkpoint(log, NULL) < 0)
		die_aims("checkpoint");
	double t_ing = bench_now() - t0;
	/* the generator alone, to subtract nothing but to show what it costs */
	double g0 = bench_now();
	for (uint64_t i = 0; i < n / 10; i++)
		make_record(rec, i);
	double t_gen = (bench_now() - g0) * 10;
	double r_ing = (double)n / t_ing;

	snprintf(path, sizeof(path), "%s/base1.db", tmpdir);
	uint64_t done1, done1000;
	double r1 = sqlite_rate(path, nsql, 1, 20.0, &done1);
	snprintf(path, sizeof(path), "%s/base1000.db", tmpdir);
	double r1000 = sqlite_rate(path, nsql > 100000 ? nsql : 100000, 1000, 60.0, &done1000);

	printf("\n(a) ingest: aims_decision_append and a commit (tiles, signed checkpoint) vs SQLite "
	       "(WAL, synchronous=FULL)\n");
	printf("  %-34s %12s %14s %12s\n", "case", "records", "records/s", "aims speedup");
	printf("  %-34s %12" PRIu64 " %14.0f %12s\n", "aims decision log", n, r_ing, "");
	printf("  %-34s %12" PRIu64 " %14.0f %11.1fx\n", "sqlite, 1 row per transaction", done1, r1, r_ing / r1);
	printf("  %-34s %12" PRIu64 " %14.0f %11.1fx\n", "sqlite, 1000 rows per transaction", done1000, r1000,
	       r_ing / r1000);
	printf("  ingest took %.2f s (%" PRIu64 " commit; record generation %.2f s of it); the command "
	       "on a file: bench/ingest.c\n", t_ing, acks, t_gen);

	/* (b) the NDJSON path */
	{
		uint64_t m = n < 100000 ? n : 100000;
		char line[512];
		double c0 = bench_now();
		for (uint64_t i = 0; i < m; i++) {
			char *c;
			size_t cl;
			int ll = snprintf(line, sizeof(line), "{\"time\":\"2026-03-01T12:00:00Z\",\"model\":"
					  "\"credit-score@2.1\",\"input_digest\":\"sha256:%064" PRIu64 "\","
					  "\"output\":{\"approve\":true,\"id\":%" PRIu64 ",\"pad\":\"%0150d\"},"
					  "\"confidence\":0.83}", i, i, 0);
			if (aims_decision_canonical(&c, &cl, line, (size_t)ll) < 0)
				die_aims("canonical");
			free(c);
		}
		double tc = bench_now() - c0;
		printf("\n(b) NDJSON path: aims_decision_canonical (parse, check, canonical JSON) on %" PRIu64
		       " lines: %.0f lines/s\n", m, (double)m / tc);
	}

	/* (c) verify */
	uint64_t checked = 0;
	const char *keys[1] = { vkey };
	double v0 = bench_now();
	aims_decision_free(log);  /* the lock: verify opens the log itself */
	log = NULL;
	if (aims_decision_verify(store, "bench", keys, 1, &checked) < 0)
		die_aims("verify");
	double t_ver = bench_now() - v0;
	printf("\n(c) verify: aims_decision_verify (every leaf recomputed, every tile and checkpoint "
	       "compared)\n");
	printf("  %" PRIu64 " entries in %.2f s: %.0f entries/s (target >= 3,000,000)\n", checked, t_ver,
	       (double)checked / t_ver);

	/* (d) proofs */
	opts = (aims_decision_options)AIMS_DECISION_OPTIONS_INIT;
	if (aims_decision_open(&log, store, "bench", &opts) < 0)
		die_aims("reopen");
	double ti[NPROOFS], tc[NPROOFS];
	uint64_t x = 42;
	size_t plen_i = 0, plen_c = 0;
	for (int k = 0; k < NPROOFS; k++) {
		uint8_t (*p)[32] = NULL;
		size_t len;
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t idx = (x >> 11) % n, old = 1 + (x >> 13) % n;
		double p0 = bench_now();
		if (aims_decision_inclusion_proof(&p, &len, log, idx, n) < 0)
			die_aims("inclusion proof");
		ti[k] = (bench_now() - p0) * 1e6;
		aims_merkle_proof_free(p);
		plen_i += len;
		p0 = bench_now();
		if (aims_decision_consistency_proof(&p, &len, log, old, n) < 0)
			die_aims("consistency proof");
		tc[k] = (bench_now() - p0) * 1e6;
		aims_merkle_proof_free(p);
		plen_c += len;
	}
	qsort(ti, NPROOFS, sizeof(double), cmp_d);
	qsort(tc, NPROOFS, sizeof(double), cmp_d);
	printf("\n(d) proofs from the tiles at size %" PRIu64 " (%d random proofs each; one open log and "
	       "its tile cache, tiles in the page cache)\n", n, NPROOFS);
	printf("  inclusion:   median %.1f us, p99 %.1f us, %.1f hashes on average (target < 50 us)\n",
	       ti[NPROOFS / 2], ti[NPROOFS * 99 / 100], (double)plen_i / NPROOFS);
	printf("  consistency: median %.1f us, p99 %.1f us, %.1f hashes on average\n", tc[NPROOFS / 2],
	       tc[NPROOFS * 99 / 100], (double)plen_c / NPROOFS);

	aims_decision_free(log);
	aims_note_signer_free(signer);
	aims_note_secret_free(skey);
	free(vkey);
	aims_store_free(store);
	if (!getenv("AIMS_BENCH_KEEP"))
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
