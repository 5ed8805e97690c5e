/*
 * Benchmark of decision ingest into logs kept in a PostgreSQL store, on the
 * path users run: the command `aims --db postgres://... decision ingest
 * --system S FILE` (a whole process: reading, canonicalizing, checking the
 * model against the inventory, hashing into the tree, the rows, tiles,
 * batch, head and governance entry in one transaction, the signed
 * checkpoint), against, in the same run and alternating:
 *
 *  - a plain batched INSERT into the same server: the same NDJSON lines as
 *    bytea rows (log, idx, body), 64 rows per statement, one transaction
 *    per file, through libpq from this process (no parsing, no hashing);
 *  - the same command on a SQLite store, whose logs are files beside it.
 *
 * Cases: (a) one log; (b) proof latency: a receipt of an entry of that log
 * through the library, on both stores; (c) 8 logs at once (8 processes,
 * each its own AI system, against 8 plain inserters on 8 connections).
 * Peak RSS of the command is printed beside its time. Needs AIMS_BENCH_PG or AIMS_TEST_DB_URL_BASE (a
 * postgres:// URL ending in '/'); `make bench` runs it under
 * tests/pg-harness.sh with AIMS_PG_DURABLE=1 (commits synced, as SQLite's
 * synchronous = FULL). See docs/benchmarks.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aims/decision.h"
#include "bench.h"

#define LOGS 8
#define N1 100000     /* records in the one-log case */
#define N8 40000      /* records per log in the 8-log case */
#define REPS 3
#define MANY 64

static char tmpdir[512], aims_bin[1024], pg_url[1024], pg_plain[1024], pg_admin_url[1024], sq_path[700];
static char files[LOGS][800];
static char dbname[64], plainname[64];

/* ---- the aims command, as users run it ---- */

/* run argv (NULL-terminated), wait; *rss_kb gets the child's peak RSS */
static void run_wait(char *const argv[], long *rss_kb)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", strerror(errno));
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench: command failed:");
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
		exit(1);
	}
	if (rss_kb && ru.ru_maxrss > *rss_kb)
		*rss_kb = ru.ru_maxrss;
}

static void aims(const char *db, long *rss, const char *a1, const char *a2, const char *a3, const char *a4,
		 const char *a5, const char *a6)
{
	char *argv[12] = { aims_bin, "--db", (char *)db, (char *)a1, (char *)a2, (char *)a3, (char *)a4, (char *)a5,
			   (char *)a6, NULL };
	run_wait(argv, rss);
}

typedef struct {
	const char *db;
	char system[32];
	const char *file;
	long rss;
} ingest_job;

static void *ingest_main(void *arg)
{
	ingest_job *j = arg;
	aims(j->db, &j->rss, "decision", "ingest", "--system", j->system, j->file, NULL);
	return NULL;
}

static int rep_no;

/* n logs at once, each into a new system of its own; returns seconds, *rss the largest peak */
static double aims_ingest(const char *db, int n, long *rss)
{
	pthread_t th[LOGS];
	ingest_job jobs[LOGS];
	double t0;
	rep_no++;
	for (int k = 0; k < n; k++) {
		jobs[k].db = db;
		snprintf(jobs[k].system, sizeof(jobs[k].system), "s%d-%d", rep_no, k);
		jobs[k].file = files[k];
		jobs[k].rss = 0;
		aims(db, NULL, "system", "add", jobs[k].system, NULL, NULL, NULL);
	}
	t0 = bench_now();
	for (int k = 0; k < n; k++)
		if (pthread_create(&th[k], NULL, ingest_main, &jobs[k]) != 0)
			bench_die("pthread_create", NULL);
	for (int k = 0; k < n; k++) {
		pthread_join(th[k], NULL);
		if (jobs[k].rss > *rss)
			*rss = jobs[k].rss;
	}
	return bench_now() - t0;
}

/* ---- the baseline: plain batched INSERTs ---- */

typedef struct {
	const char *file;
	char log[32];
} plain_job;

static void pg_must(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		bench_die(sql, PQerrorMessage(c));
	PQclear(r);
}

static void *plain_main(void *arg)
{
	plain_job *j = arg;
	PGconn *c = PQconnectdb(pg_plain);
	FILE *f = fopen(j->file, "r");
	char *line = NULL, *bodies[MANY], idxs[MANY][24], sql[MANY * 24 + 128];
	size_t cap = 0;
	ssize_t len;
	int lens[MANY], n = 0;
	long idx = 0;
	const char *vals[3 * MANY];
	int vlens[3 * MANY], fmts[3 * MANY];

	if (PQstatus(c) != CONNECTION_OK || !f)
		bench_die("plain inserter", PQerrorMessage(c));
	int o = snprintf(sql, sizeof(sql), "INSERT INTO plain (log, idx, body) VALUES ");
	for (int i = 0; i < MANY; i++)
		o += snprintf(sql + o, sizeof(sql) - (size_t)o, "%s($%d, $%d, $%d)", i ? ", " : "", 3 * i + 1,
			      3 * i + 2, 3 * i + 3);
	PGresult *pr = PQprepare(c, "many", sql, 3 * MANY, NULL);
	if (PQresultStatus(pr) != PGRES_COMMAND_OK)
		bench_die("prepare", PQerrorMessage(c));
	PQclear(pr);
	pg_must(c, "BEGIN");
	for (int i = 0; i < MANY; i++)
		bodies[i] = NULL;
	for (;;) {
		len = getline(&line, &cap, f);
		if (len > 0) {
			if (line[len - 1] == '\n')
				len--;
			free(bodies[n]);
			bodies[n] = malloc((size_t)len);
			if (!bodies[n])
				bench_die("out of memory", NULL);
			memcpy(bodies[n], line, (size_t)len);
			lens[n] = (int)len;
			snprintf(idxs[n], sizeof(idxs[n]), "%ld", idx++);
			n++;
		}
		if (n == MANY || (len < 0 && n > 0)) {
			for (int i = 0; i < n; i++) {
				vals[3 * i] = j->log;
				vlens[3 * i] = 0;
				fmts[3 * i] = 0;
				vals[3 * i + 1] = idxs[i];
				vlens[3 * i + 1] = 0;
				fmts[3 * i + 1] = 0;
				vals[3 * i + 2] = bodies[i];
				vlens[3 * i + 2] = lens[i];
				fmts[3 * i + 2] = 1;
			}
			PGresult *r;
			if (n == MANY) {
				r = PQexecPrepared(c, "many", 3 * MANY, vals, vlens, fmts, 0);
			} else {
				for (int i = 0; i < n; i++) {
					r = PQexecParams(c, "INSERT INTO plain (log, idx, body) VALUES ($1, $2, $3)", 3, NULL,
							 vals + 3 * i, vlens + 3 * i, fmts + 3 * i, 0);
					if (PQresultStatus(r) != PGRES_COMMAND_OK)
						bench_die("insert", PQerrorMessage(c));
					PQclear(r);
				}
				r = PQexec(c, "SELECT 1");
			}
			if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
				bench_die("insert", PQerrorMessage(c));
			PQclear(r);
			n = 0;
		}
		if (len < 0)
			break;
	}
	pg_must(c, "COMMIT");
	for (int i = 0; i < MANY; i++)
		free(bodies[i]);
	free(line);
	fclose(f);
	PQfinish(c);
	return NULL;
}

static double plain_ingest(int n)
{
	pthread_t th[LOGS];
	plain_job jobs[LOGS];
	double t0 = bench_now();
	rep_no++;
	for (int k = 0; k < n; k++) {
		jobs[k].file = files[k];
		snprintf(jobs[k].log, sizeof(jobs[k].log), "p%d-%d", rep_no, k);
		if (pthread_create(&th[k], NULL, plain_main, &jobs[k]) != 0)
			bench_die("pthread_create", NULL);
	}
	for (int k = 0; k < n; k++)
		pthread_join(th[k], NULL);
	return bench_now() - t0;
}

/* ---- setup ---- */

static void gen(const char *path, int n, int k)
{
	FILE *f = fopen(path, "w");
	if (!f)
		bench_die("cannot write", path);
	for (int i = 0; i < n; i++)
		fprintf(f, "{\"time\":\"2026-02-%02dT%02d:%02d:%02dZ\",\"model\":\"credit@4\",\"input_digest\":\"sha256:"
			"%064x\",\"output\":{\"id\":%d,\"log\":%d,\"approve\":%s,\"score\":0.%04d},\"confidence\":0.%02d,"
			"\"explanation\":\"score above cut-off\"}\n", 1 + (i / 86400) % 28, (i / 3600) % 24,
			(i / 60) % 60, i % 60, (unsigned)(i * 2654435761u), i, k, i % 3 ? "true" : "false", i % 10000,
			i % 100);
	if (fclose(f) != 0)
		bench_die("cannot write", path);
}

static void setup_store(const char *db)
{
	char key[700], model[700];
	snprintf(key, sizeof(key), "%s/ledger.key", tmpdir);
	snprintf(model, sizeof(model), "%s/model.bin", tmpdir);
	aims(db, NULL, "init", NULL, NULL, NULL, NULL, NULL);
	aims(db, NULL, "ledger", "setup", "--key", key, NULL, NULL);
	aims(db, NULL, "model", "register", "credit@4", "--file", model, NULL);
}

static void admin(const char *sql)
{
	PGconn *c = PQconnectdb(pg_admin_url);
	if (PQstatus(c) != CONNECTION_OK)
		bench_die("postgres", PQerrorMessage(c));
	pg_must(c, sql);
	PQfinish(c);
}

/* median seconds of one receipt (the inclusion proof from the tiles, the record, the checkpoint) of
 * an index spread over the log, through the library as `aims decision receipt` and the API call it */
static double receipt_latency(const char *db, const char *system, uint64_t size)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_decision_log *l = NULL;
	aims_decision_options dopts = AIMS_DECISION_OPTIONS_INIT;
	double t[201];
	if (aims_store_open(&s, db, &o) < 0 || bench_act_as(s, "bench") < 0 ||
	    aims_decision_open(&l, s, system, &dopts) < 0)
		bench_die("opening the log", aims_error_last());
	for (int i = 0; i < 201; i++) {
		char *out = NULL;
		size_t len = 0;
		uint64_t idx = (uint64_t)((i * 2654435761u) % size);
		double t0 = bench_now();
		if (aims_decision_receipt(&out, &len, l, idx) < 0)
			bench_die("receipt", aims_error_last());
		t[i] = bench_now() - t0;
		free(out);
	}
	aims_decision_free(l);
	aims_store_free(s);
	return bench_median(t, 201);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void row(const char *name, double records, double t_ours, double t_base, long rss_kb)
{
	printf("  %-34s %9.0f %12.0f %12.0f %9.2fx %8.1f MiB\n", name, records, records / t_ours, records / t_base,
	       t_ours / t_base, (double)rss_kb / 1024.0);
}

int main(int argc, char **argv)
{
	const char *pg = getenv("AIMS_BENCH_PG");
	double t_start = bench_now();

	if (!pg || !*pg)
		pg = getenv("AIMS_TEST_DB_URL_BASE");
	bench_header(argc, argv, "aims benchmark: decision ingest into logs kept in PostgreSQL (bench/decision_store.c)");
	if (!pg || !*pg) {
		printf("postgres: not run (set AIMS_BENCH_PG to a postgres:// URL ending in '/', or run under "
		       "tests/pg-harness.sh as 'make bench' does)\n");
		return 0;
	}
	bench_tmpdir(tmpdir, sizeof(tmpdir), "decision-store");
	if (aims_global_init() < 0)
		bench_die("initialising", aims_error_last());
	ssize_t n = readlink("/proc/self/exe", aims_bin, sizeof(aims_bin) - 16);
	if (n <= 0)
		bench_die("cannot find this program", NULL);
	aims_bin[n] = '\0';
	*strrchr(aims_bin, '/') = '\0';
	char *slash = strrchr(aims_bin, '/');
	if (!slash)
		bench_die("cannot find build/aims", aims_bin);
	snprintf(slash, sizeof(aims_bin) - (size_t)(slash - aims_bin), "/aims");
	if (access(aims_bin, X_OK) != 0)
		bench_die("cannot find the aims binary beside bench/", aims_bin);

	snprintf(dbname, sizeof(dbname), "bench_dlog_%d", (int)getpid());
	snprintf(plainname, sizeof(plainname), "bench_dplain_%d", (int)getpid());
	snprintf(pg_url, sizeof(pg_url), "%s%s", pg, dbname);
	snprintf(pg_plain, sizeof(pg_plain), "%s%s", pg, plainname);
	snprintf(pg_admin_url, sizeof(pg_admin_url), "%spostgres", pg);
	snprintf(sq_path, sizeof(sq_path), "%s/aims.db", tmpdir);
	char sql[200], key[700], model[700];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", plainname);
	admin(sql);
	{
		PGconn *c = PQconnectdb(pg_plain);
		if (PQstatus(c) != CONNECTION_OK)
			bench_die("postgres", PQerrorMessage(c));
		pg_must(c, "CREATE TABLE plain (log TEXT NOT NULL, idx BIGINT NOT NULL, body BYTEA, PRIMARY KEY (log, idx))");
		PQfinish(c);
	}
	snprintf(key, sizeof(key), "%s/ledger.key", tmpdir);
	snprintf(model, sizeof(model), "%s/model.bin", tmpdir);
	{
		char *argv_k[] = { aims_bin, "ledger", "keygen", "--name", "bench.example/aims", "--out", key, NULL };
		run_wait(argv_k, NULL);
		FILE *f = fopen(model, "w");
		if (!f || fputs("weights\n", f) < 0 || fclose(f) != 0)
			bench_die("cannot write", model);
	}
	for (int k = 0; k < LOGS; k++) {
		snprintf(files[k], sizeof(files[k]), "%s/d%d.ndjson", tmpdir, k);
		gen(files[k], k == 0 ? N1 : N8, k);
	}
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
	admin(sql);
	setup_store(pg_url);
	setup_store(sq_path);
	struct stat st;
	stat(files[0], &st);
	printf("input:   %d records per file (%.0f bytes each), %d files of %d for the 8-log case\n", N1,
	       (double)st.st_size / N1, LOGS, N8);
	printf("figures: medians of %d alternating repetitions; records/s; time ratio = aims time / baseline time\n",
	       REPS);

	double a[REPS], b[REPS], c[REPS];
	long rss_pg = 0, rss_sq = 0, rss_pg8 = 0;
	/* the first file holds N1 records; the 8-log case uses N8 of each (files 1..7 hold N8, file 0 is cut) */
	for (int r = 0; r < REPS; r++) {
		a[r] = aims_ingest(pg_url, 1, &rss_pg);
		b[r] = plain_ingest(1);
		c[r] = aims_ingest(sq_path, 1, &rss_sq);
	}
	double tpg = bench_median(a, REPS), tplain = bench_median(b, REPS), tsq = bench_median(c, REPS);
	printf("\n(a) one log, %d records: aims decision ingest (whole process) against a plain batched INSERT\n", N1);
	printf("  %-34s %9s %12s %12s %10s %12s\n", "case", "records", "aims rec/s", "base rec/s", "time ratio",
	       "peak RSS");
	row("postgres store vs plain INSERT", N1, tpg, tplain, rss_pg);
	row("sqlite store (files) vs plain INSERT", N1, tsq, tplain, rss_sq);
	row("postgres store vs sqlite store", N1, tpg, tsq, rss_pg);
	fflush(stdout);

	{
		char spg[32], ssq[32];
		/* the last repetition's logs: its numbers went postgres, plain, sqlite */
		snprintf(spg, sizeof(spg), "s%d-0", rep_no - 2);
		snprintf(ssq, sizeof(ssq), "s%d-0", rep_no);
		double lpg = receipt_latency(pg_url, spg, N1), lsq = receipt_latency(sq_path, ssq, N1);
		printf("\n(b) proof latency: a receipt (inclusion proof, record, checkpoint) of an entry of a log of %d "
		       "records, median of 201\n", N1);
		printf("  postgres store %.3f ms, sqlite store (files) %.3f ms, ratio %.2fx\n", lpg * 1e3, lsq * 1e3,
		       lpg / lsq);
		fflush(stdout);
	}

	/* 8 logs: file 0 cut to N8 records so that every log gets the same */
	{
		char cut[600];
		snprintf(cut, sizeof(cut), "%s/d0.ndjson", tmpdir);
		FILE *in = fopen(cut, "r");
		char out_path[600];
		snprintf(out_path, sizeof(out_path), "%s/d0-8.ndjson", tmpdir);
		FILE *out = fopen(out_path, "w");
		char *line = NULL;
		size_t cap = 0;
		for (int i = 0; in && out && i < N8 && getline(&line, &cap, in) > 0; i++)
			fputs(line, out);
		free(line);
		if (!in || !out || fclose(out) != 0)
			bench_die("cannot cut", cut);
		fclose(in);
		snprintf(files[0], sizeof(files[0]), "%s", out_path);
	}
	for (int r = 0; r < REPS; r++) {
		a[r] = aims_ingest(pg_url, LOGS, &rss_pg8);
		b[r] = plain_ingest(LOGS);
	}
	tpg = bench_median(a, REPS);
	tplain = bench_median(b, REPS);
	printf("\n(c) %d logs at once, %d records each: %d aims processes against %d plain inserters\n", LOGS, N8,
	       LOGS, LOGS);
	printf("  %-34s %9s %12s %12s %10s %12s\n", "case", "records", "aims rec/s", "base rec/s", "time ratio",
	       "peak RSS");
	row("postgres store vs plain INSERT", (double)LOGS * N8, tpg, tplain, rss_pg8);

	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", dbname);
	admin(sql);
	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", plainname);
	admin(sql);
	if (nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "bench: cannot remove '%s'\n", tmpdir);
	printf("\ntotal %.1f s\n", bench_now() - t_start);
	return 0;
}
