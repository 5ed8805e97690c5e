/*
 * Benchmark of the path users run to ingest AI decisions (docs/benchmarks.md):
 * one generated NDJSON file of N realistic decision records (about 270 bytes
 * each; N from argv[1], else $AIMS_BENCH_INGEST_N, else 2,000,000), and in
 * the same run, on that file:
 *
 *  (1) `aims decision ingest --system S FILE`: the real binary, started as a
 *      user starts it (fork + exec, on a store set up beforehand with the
 *      system, its models and a ledger key; the setup is not timed);
 *  (2) the library's append path on the same records already in canonical
 *      form (read from a file of canonical lines, aims_decision_append each,
 *      aims_decision_close to commit), in a child process;
 *  (3) a batched SQLite baseline: the same lines into a table with WAL,
 *      synchronous=FULL, 1000 rows a transaction and CHECK (json_valid(body))
 *      on each, in a child process;
 *  (4) the disk: write + fdatasync of the file's byte count to a new file.
 *
 * The four run AIMS_BENCH_INGEST_REPS times (default 3), each round in
 * another order, and each prints the median of its runs: records/s, MB/s of
 * the input and the peak RSS of its process (getrusage of the child), then
 * the ratios the issue asks for. Files go to
 * $TMPDIR (or /tmp) and are removed (AIMS_BENCH_KEEP keeps them): the large
 * ones as soon as a case is done, the tile folders (many small files) only
 * at the end, because on ext4 without a journal creating a file right after
 * many were deleted is slow (the allocator skips recently deleted inodes)
 * and one case's clean-up would slow the next. The aims binary is $AIMS,
 * else ../aims beside this benchmark's binary.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aims/aims.h"
#include "aims/decision.h"
#include "aims/note.h"
#include "bench.h"

static char tmpdir[512], aims_bin[PATH_MAX];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static uint64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* ---- the input ---- */

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* N records as a producer sends them: keys in its own order, times a few ms apart */
static uint64_t generate(const char *path, uint64_t n)
{
	static const char *const models[] = { "credit-risk@7", "credit-risk@8", "fraud@3" };
	static const char *const decisions[] = { "approve", "decline", "refer" };
	static const char *const why[] = { "score above cut-off", "debt-to-income ratio above policy",
					   "thin credit file: manual review", "income verified, low risk" };
	FILE *f = fopen(path, "w");
	uint64_t s = 0x9e3779b97f4a7c15ULL, bytes = 0;
	if (!f)
		bench_die("cannot create", path);
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t ms = 1767225600000ULL + i * 7;  /* 2026-01-01T00:00:00Z onwards */
		time_t t = (time_t)(ms / 1000);
		struct tm tm;
		char ts[40], hex[65];
		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
		for (int k = 0; k < 64; k += 16) {
			uint64_t x = rng(&s);
			for (int j = 0; j < 16; j++)
				hex[k + j] = "0123456789abcdef"[(x >> (4 * j)) & 15];
		}
		hex[64] = '\0';
		uint64_t r = rng(&s);
		int n1 = fprintf(f, "{\"time\":\"%s.%03uZ\",\"model\":\"%s\",\"input_digest\":\"sha256:%s\","
				 "\"output\":{\"decision\":\"%s\",\"limit_eur\":%u,\"score\":0.%04u},"
				 "\"confidence\":0.%02u,\"explanation\":\"%s\"}\n", ts, (unsigned)(ms % 1000),
				 models[r % 3], hex, decisions[(r >> 8) % 3], (unsigned)((r >> 16) % 40) * 500,
				 (unsigned)((r >> 24) % 10000), (unsigned)((r >> 40) % 100), why[(r >> 48) % 4]);
		if (n1 < 0)
			bench_die("cannot write", path);
		bytes += (uint64_t)n1;
	}
	if (fclose(f) != 0)
		bench_die("cannot write", path);
	return bytes;
}

/* the canonical form of every line, one a line, for the append path */
static void canonical_file(const char *in, const char *out)
{
	FILE *f = fopen(in, "r"), *g = fopen(out, "w");
	char *line = NULL, *c;
	size_t cap = 0, cl;
	ssize_t n;
	if (!f || !g)
		bench_die("cannot open", in);
	setvbuf(g, NULL, _IOFBF, 1 << 20);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (aims_decision_canonical(&c, &cl, line, (size_t)n - 1) < 0)
			bench_die("canonical", aims_error_last());
		fwrite(c, 1, cl, g);
		fputc('\n', g);
		free(c);
	}
	free(line);
	fclose(f);
	if (fclose(g) != 0)
		bench_die("cannot write", out);
}

/* ---- running cases in child processes ---- */

typedef struct {
	double seconds;
	long rss_kib;
} result;

static int cmp_seconds(const void *a, const void *b)
{
	double x = ((const result *)a)->seconds, y = ((const result *)b)->seconds;
	return (x > y) - (x < y);
}

/* the median time of n runs (the lower middle one of an even count), with the largest peak RSS */
static result median_of(const result *runs, int n)
{
	result *v = malloc((size_t)n * sizeof(*v)), m;
	if (!v)
		bench_die("out of memory", NULL);
	memcpy(v, runs, (size_t)n * sizeof(*v));
	qsort(v, (size_t)n, sizeof(*v), cmp_seconds);
	m = v[(n - 1) / 2];
	for (int i = 0; i < n; i++)
		if (v[i].rss_kib > m.rss_kib)
			m.rss_kib = v[i].rss_kib;
	free(v);
	return m;
}

/* run argv (NULL-terminated) with stdout to /dev/null; its time and peak RSS */
static result run_exec(char *const argv[], int quiet_ok)
{
	struct rusage ru;
	int status;
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		bench_die("wait4", strerror(errno));
	result r = { bench_now() - t0, ru.ru_maxrss };
	if (!quiet_ok && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		fprintf(stderr, "bench: command failed (status %d):", status);
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
		exit(1);
	}
	return r;
}

/* run fn(arg) in a child process: its time and peak RSS */
static result run_child(int (*fn)(void *), void *arg)
{
	struct rusage ru;
	int status;
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", strerror(errno));
	if (pid == 0)
		_exit(fn(arg) == 0 ? 0 : 1);
	if (wait4(pid, &status, 0, &ru) != pid)
		bench_die("wait4", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("a benchmark case failed", NULL);
	result r = { bench_now() - t0, ru.ru_maxrss };
	return r;
}

static void aims_cmd(const char *db, const char *a1, const char *a2, const char *a3, const char *a4,
		     const char *a5, const char *a6)
{
	char *argv[12];
	int k = 0;
	argv[k++] = aims_bin;
	argv[k++] = (char *)"--db";
	argv[k++] = (char *)db;
	const char *rest[] = { a1, a2, a3, a4, a5, a6 };
	for (int i = 0; i < 6 && rest[i]; i++)
		argv[k++] = (char *)rest[i];
	argv[k] = NULL;
	run_exec(argv, 0);
}

/* a store with the system, its three models and a ledger key */
static void setup_store(const char *dir)
{
	char db[1100], key[1100], model[1100], cmd[6 * 1100 + PATH_MAX * 3 + 256];
	snprintf(db, sizeof(db), "%s/aims.db", dir);
	snprintf(key, sizeof(key), "%s/ledger.key", dir);
	snprintf(model, sizeof(model), "%s/model.bin", dir);
	mkdir(dir, 0700);
	aims_cmd(db, "init", NULL, NULL, NULL, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "'%s' ledger keygen --name bench.example/aims --out '%s' >/dev/null 2>&1 && "
		 "'%s' --db '%s' ledger setup --key '%s' >/dev/null && echo weights >'%s'", aims_bin, key, aims_bin,
		 db, key, model);
	if (system(cmd) != 0)
		bench_die("setup", cmd);
	aims_cmd(db, "system", "add", "credit", "--purpose", "credit scoring", NULL);
	aims_cmd(db, "model", "register", "credit-risk@7", "--file", model, NULL);
	aims_cmd(db, "model", "register", "credit-risk@8", "--file", model, NULL);
	aims_cmd(db, "model", "register", "fraud@3", "--file", model, NULL);
}

/* (2) the append path: canonical lines read and appended, then committed */
typedef struct {
	const char *canon, *dir;
} append_arg;

static int append_case(void *p)
{
	append_arg *a = p;
	aims_store *store = NULL;
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_note_signer *signer = NULL;
	aims_decision_log *log = NULL;
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	char db[1024];
	snprintf(db, sizeof(db), "%s/aims.db", a->dir);
	if (aims_store_open(&store, db, &so) < 0 || aims_ledger_signer(&signer, store) < 0)
		return 1;
	o.create = 1;
	o.signer = signer;
	if (aims_decision_open(&log, store, "credit", &o) < 0)
		return 1;
	int fd = open(a->canon, O_RDONLY);
	size_t cap = (size_t)8 << 20, have = 0;
	char *buf = malloc(cap);
	if (fd < 0 || !buf)
		return 1;
	for (;;) {
		ssize_t r = read(fd, buf + have, cap - have);
		if (r < 0)
			return 1;
		have += (size_t)r;
		size_t pos = 0;
		char *nl;
		while ((nl = memchr(buf + pos, '\n', have - pos))) {
			if (aims_decision_append(log, buf + pos, (size_t)(nl - (buf + pos))) < 0)
				return 1;
			pos = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
		if (r == 0)
			break;
	}
	close(fd);
	free(buf);
	int err = aims_decision_close(log);
	aims_note_signer_free(signer);
	aims_store_free(store);
	return err < 0;
}

/* (3) SQLite: WAL, synchronous=FULL, 1000 rows a transaction, json_valid() on each line */
static int sqlite_case(void *p)
{
	const char **a = p;  /* input, database */
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open(a[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE decisions ("
			 "id INTEGER PRIMARY KEY, body TEXT NOT NULL CHECK (json_valid(body)))", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO decisions (body) VALUES (?)", -1, &st, NULL) != SQLITE_OK)
		return 1;
	int fd = open(a[0], O_RDONLY);
	size_t cap = (size_t)8 << 20, have = 0;
	char *buf = malloc(cap);
	unsigned in_tx = 0;
	if (fd < 0 || !buf)
		return 1;
	for (;;) {
		ssize_t r = read(fd, buf + have, cap - have);
		if (r < 0)
			return 1;
		have += (size_t)r;
		size_t pos = 0;
		char *nl;
		while ((nl = memchr(buf + pos, '\n', have - pos))) {
			if (in_tx == 0 && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
				return 1;
			sqlite3_bind_text(st, 1, buf + pos, (int)(nl - (buf + pos)), SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				return 1;
			sqlite3_reset(st);
			if (++in_tx == 1000) {
				if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
					return 1;
				in_tx = 0;
			}
			pos = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
		if (r == 0)
			break;
	}
	if (in_tx && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return 1;
	close(fd);
	free(buf);
	sqlite3_finalize(st);
	return sqlite3_close(db) != SQLITE_OK;
}

/* (4) the disk: the same byte count written in 8 MiB writes to a new file, then fdatasync */
typedef struct {
	const char *path;
	uint64_t bytes;
} disk_arg;

static int disk_case(void *p)
{
	disk_arg *a = p;
	size_t chunk = (size_t)8 << 20;
	unsigned char *buf = malloc(chunk);
	uint64_t s = 12345;
	int fd = open(a->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || !buf)
		return 1;
	for (size_t i = 0; i + 8 <= chunk; i += 8) {
		uint64_t x = rng(&s);
		memcpy(buf + i, &x, 8);
	}
	for (uint64_t done = 0; done < a->bytes;) {
		size_t n = a->bytes - done < chunk ? (size_t)(a->bytes - done) : chunk;
		ssize_t w = write(fd, buf, n);
		if (w <= 0)
			return 1;
		done += (uint64_t)w;
	}
	int err = fdatasync(fd);
	close(fd);
	free(buf);
	return err != 0;
}

static void row(const char *name, uint64_t n, uint64_t bytes, result r)
{
	printf("  %-46s %8.2f s %12.0f %9.1f %10.1f\n", name, r.seconds, (double)n / r.seconds,
	       (double)bytes / r.seconds / 1e6, (double)r.rss_kib / 1024);
}

int main(int argc, char **argv)
{
	const char *env_n = getenv("AIMS_BENCH_INGEST_N");
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : env_n ? strtoull(env_n, NULL, 10) : 2000000;
	char input[1024], canon[1024], dir[1024], db[1100], sqldb[1024], diskf[1024], logdir[1200];

	if (n == 0)
		bench_die("the record count must be at least 1", NULL);
	if (getenv("AIMS") && *getenv("AIMS")) {
		snprintf(aims_bin, sizeof(aims_bin), "%s", getenv("AIMS"));
	} else {
		char self[PATH_MAX];
		snprintf(self, sizeof(self), "%s", argv[0]);
		snprintf(aims_bin, sizeof(aims_bin), "%s/../aims", dirname(self));
	}
	if (access(aims_bin, X_OK) != 0)
		bench_die("no aims binary (set AIMS)", aims_bin);
	bench_header(argc, argv, "aims benchmark: decision ingest, the path users run (bench/ingest.c)");
	bench_tmpdir(tmpdir, sizeof(tmpdir), "ingest");
	printf("libs:    aims %s, sqlite %s; binary %s; temp %s\n", aims_version(), sqlite3_libversion(), aims_bin,
	       tmpdir);

	snprintf(input, sizeof(input), "%s/decisions.ndjson", tmpdir);
	snprintf(canon, sizeof(canon), "%s/canonical.ndjson", tmpdir);
	snprintf(sqldb, sizeof(sqldb), "%s/baseline.db", tmpdir);
	snprintf(diskf, sizeof(diskf), "%s/disk.bin", tmpdir);
	uint64_t bytes = generate(input, n);
	canonical_file(input, canon);
	uint64_t cbytes = file_size(canon);
	printf("input:   %" PRIu64 " records, %" PRIu64 " bytes (%.0f bytes a record); canonical %" PRIu64
	       " bytes\n", n, bytes, (double)bytes / (double)n, cbytes);

	/*
	 * The four cases REPS times (AIMS_BENCH_INGEST_REPS, default 3), each
	 * round in another order (rotated by one), and the median of each. One
	 * run of each was not enough on the virtual machines of
	 * docs/benchmarks.md: whichever case came first after the input was
	 * written paid for the page cache's first touch of memory (the kernel's
	 * copy into it took up to a second more), which is the machine's, not
	 * the case's.
	 */
	const char *env_r = getenv("AIMS_BENCH_INGEST_REPS");
	long rl = env_r ? strtol(env_r, NULL, 10) : 0;
	int reps = rl > 0 && rl <= 100 ? (int)rl : 3;
	result *runs[4];
	uint64_t written = 0;
	for (int k = 0; k < 4; k++)
		if (!(runs[k] = calloc((size_t)reps, sizeof(result))))
			bench_die("out of memory", NULL);
	printf("runs:    %d rounds of the four cases, each round in another order; the median of each\n\n", reps);
	for (int r = 0; r < reps; r++) {
		printf("  round %d:", r + 1);
		for (int k = 0; k < 4; k++) {
			int c = (k + r) % 4;
			result res;
			if (c == 0) {
				/* (1) the command, as a user runs it */
				snprintf(dir, sizeof(dir), "%s/e2e%d", tmpdir, r);
				setup_store(dir);
				snprintf(db, sizeof(db), "%s/aims.db", dir);
				char *argv1[] = { aims_bin, (char *)"--db", db, (char *)"decision", (char *)"ingest",
						  (char *)"--system", (char *)"credit", input, NULL };
				sync();
				res = run_exec(argv1, 0);
				snprintf(logdir, sizeof(logdir), "%s.ledger/decision/credit/entries", db);
				written = file_size(logdir);
				unlink(logdir);
			} else if (c == 1) {
				/* (2) the append path on canonical records */
				snprintf(dir, sizeof(dir), "%s/append%d", tmpdir, r);
				setup_store(dir);
				append_arg aa = { canon, dir };
				sync();
				res = run_child(append_case, &aa);
				snprintf(logdir, sizeof(logdir), "%s/aims.db.ledger/decision/credit/entries", dir);
				unlink(logdir);
			} else if (c == 2) {
				/* (3) SQLite */
				const char *sa[2] = { input, sqldb };
				sync();
				res = run_child(sqlite_case, (void *)sa);
				unlink(sqldb);
				snprintf(logdir, sizeof(logdir), "%s-wal", sqldb);
				unlink(logdir);
				snprintf(logdir, sizeof(logdir), "%s-shm", sqldb);
				unlink(logdir);
			} else {
				/* (4) the disk */
				disk_arg da = { diskf, bytes };
				sync();
				res = run_child(disk_case, &da);
				unlink(diskf);
			}
			runs[c][r] = res;
			printf("  (%d) %.2f s", c + 1, res.seconds);
			fflush(stdout);
		}
		printf("\n");
	}
	result r1 = median_of(runs[0], reps), r2 = median_of(runs[1], reps), r3 = median_of(runs[2], reps),
	       r4 = median_of(runs[3], reps);

	printf("\n%" PRIu64 " records, the same input file for every case (MB/s: its bytes / time; median of %d, "
	       "peak RSS the largest)\n", n, reps);
	printf("  %-46s %10s %12s %9s %10s\n", "case", "time", "records/s", "MB/s", "peak RSS MiB");
	row("(1) aims decision ingest FILE (the binary)", n, bytes, r1);
	row("(2) aims_decision_append, canonical records", n, cbytes, r2);
	row("(3) SQLite WAL, sync FULL, 1000 rows/tx", n, bytes, r3);
	row("(4) disk: write + fdatasync, same bytes", n, bytes, r4);
	double vs_sql = r3.seconds / r1.seconds, vs_app = r2.seconds / r1.seconds;
	double vs_disk = ((double)bytes / r1.seconds) / ((double)bytes / r4.seconds);
	printf("\n  ingest / SQLite baseline (records/s):   %5.2fx   (target >= 2x)\n", vs_sql);
	printf("  ingest / append path (records/s):       %5.0f%%   (target >= 70%%)\n", vs_app * 100);
	printf("  ingest / disk synced write (bytes/s):   %5.0f%%   (target >= 60%%)\n", vs_disk * 100);
	printf("  ingest peak RSS: %.1f MiB (target < 256 MiB); entries written: %" PRIu64 " bytes\n",
	       (double)r1.rss_kib / 1024, written);
	for (int k = 0; k < 4; k++)
		free(runs[k]);

	if (!getenv("AIMS_BENCH_KEEP"))
		rm_rf(tmpdir);
	return 0;
}
