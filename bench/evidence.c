/*
 * Benchmark of the evidence checks of issue 20, on the path users run (the
 * aims command on a store):
 *
 * (a) `aims ledger verify` with the state check (every governed object
 *     recomputed and compared with the digest of its latest audit entry)
 *     against plain `aims ledger verify --no-state` on the same store, in
 *     alternation: OBJECTS governed objects (a tenth AI systems, the rest
 *     settings) and ENTRIES governance entries (the objects' creation, then
 *     updates of the settings), a checkpoint signed every 10,000 entries
 *     and at the end, one decision log of 1,000 records. The ratio is what
 *     the state check adds.
 * (b) `aims lineage ingest` of one OpenLineage event with 2,500 to 20,000
 *     inputs, each into a fresh store: seconds per input, and the ratio of
 *     each to the 2,500-input case (1.0 is linear; the probe measured 8.2x
 *     at 20,000 before the fix).
 *
 * Both report wall time and the peak RSS of the aims process (wait4). The
 * store goes to $TMPDIR (or /tmp) and is removed afterwards (KEEP=1 keeps it).
 *
 * usage: evidence [OBJECTS [ENTRIES [REPS]]]   (default 100000 1000000 3)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aims/aims.h"
#include "bench.h"

static char aims_bin[PATH_MAX + 16];

static void must(int err, const char *what)
{
	if (err < 0)
		bench_die(what, aims_error_last());
}

/* run the aims command: wall seconds and the child's peak RSS in MiB; status must be 0 */
static double run_aims(const char *const *args, double *rss_mib)
{
	char *argv[32];
	int n = 0;
	argv[n++] = aims_bin;
	for (; args[n - 1] && n < 31; n++)
		argv[n] = (char *)args[n - 1];
	argv[n] = NULL;
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0)
		bench_die("cannot fork", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		execv(aims_bin, argv);
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		bench_die("wait4 failed", strerror(errno));
	double t = bench_now() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("aims failed", args[2]);
	*rss_mib = (double)ru.ru_maxrss / 1024.0;
	return t;
}

static void build_store(const char *db, const char *keyfile, long objects, long entries)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_note_signer *signer = NULL;
	char *skey = NULL, *vkey = NULL;
	long done = 0, systems = objects / 10, settings = objects - systems;
	char key[64], val[64], rec[256];

	o.create = 1;
	must(aims_store_open(&s, db, &o), "open");
	must(bench_act_as(s, "bench"), "actor");
	must(aims_note_keygen(&skey, &vkey, "bench.example/aims"), "keygen");
	must(aims_note_key_write(keyfile, skey), "key");
	must(aims_ledger_setup(s, keyfile, NULL), "setup");
	must(aims_ledger_signer(&signer, s), "signer");
	must(aims_store_begin(s), "begin");
	for (long i = 0; i < systems; i++) {
		aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
		char name[32];
		snprintf(name, sizeof(name), "sys-%06ld", i);
		f.purpose = "benchmark system";
		must(aims_system_add(s, name, &f), "system add");
	}
	for (long i = 0; done < entries; i++) {
		snprintf(key, sizeof(key), "bench.k%06ld", i % settings);
		snprintf(val, sizeof(val), "v%ld", i);
		must(aims_store_setting_set(s, key, val), "setting");
		done = systems + i + 3;
		if (i % 10000 == 9999) {
			must(aims_store_commit(s), "commit");
			must(aims_ledger_checkpoint(s, signer, NULL), "checkpoint");
			must(aims_store_begin(s), "begin");
		}
	}
	must(aims_store_commit(s), "commit");
	/* one decision log of 1,000 records */
	aims_decision_log *l = NULL;
	aims_decision_options d = AIMS_DECISION_OPTIONS_INIT;
	d.create = 1;
	d.signer = signer;
	must(aims_decision_open(&l, s, "sys-000000", &d), "decision open");
	for (int i = 0; i < 1000; i++) {
		int n = snprintf(rec, sizeof(rec), "{\"input_digest\":\"sha256:%064d\",\"model\":\"m@1\",\"output\":%d,"
				 "\"time\":\"2026-01-01T00:00:00Z\"}", i, i);
		must(aims_decision_append(l, rec, (size_t)n), "decision append");
	}
	must(aims_decision_close(l), "decision close");
	must(aims_ledger_checkpoint(s, signer, NULL), "checkpoint");
	aims_note_signer_free(signer);
	aims_note_secret_free(skey);
	free(vkey);
	aims_store_free(s);
}

static void lineage_event(const char *path, int inputs)
{
	FILE *f = fopen(path, "w");
	if (!f)
		bench_die("cannot write", path);
	fprintf(f, "{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-03-01T10:00:00Z\",\"producer\":\"bench\","
		"\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
		"\"run\":{\"runId\":\"3f5e8d1c-1111-4222-8333-944455556666\"},\"job\":{\"namespace\":\"ns\","
		"\"name\":\"job\"},\"inputs\":[");
	for (int i = 0; i < inputs; i++)
		fprintf(f, "%s{\"namespace\":\"s3://bench\",\"name\":\"in/%06d.parquet\"}", i ? "," : "", i);
	fprintf(f, "],\"outputs\":[{\"namespace\":\"s3://bench\",\"name\":\"out.parquet\"}]}\n");
	if (fclose(f) != 0)
		bench_die("cannot write", path);
}

static void rm_store(const char *db)
{
	char p[PATH_MAX], cmd[PATH_MAX + 32];
	static const char *const sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
		unlink(p);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s.ledger'", db);
	if (system(cmd) != 0)
		bench_die("cannot remove", db);
}

int main(int argc, char **argv)
{
	long objects = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	long entries = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
	int reps = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
	char dir[512], db[600], keyfile[600], ev[600], self[PATH_MAX - 16];
	double ours[BENCH_MAX_REPS], base[BENCH_MAX_REPS], rss_o = 0, rss_b = 0, r;

	if (objects < 10 || entries < objects + 3 || reps < 1 || reps > BENCH_MAX_REPS)
		bench_die("usage: evidence [OBJECTS >= 10 [ENTRIES > OBJECTS [REPS 1..31]]]", NULL);
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		bench_die("cannot find myself", NULL);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(aims_bin, sizeof(aims_bin), "%s/../aims", self);
	if (access(aims_bin, X_OK) != 0)
		bench_die("the aims command is not built beside the benchmark", aims_bin);
	bench_tmpdir(dir, sizeof(dir), "evidence");
	snprintf(db, sizeof(db), "%s/store.db", dir);
	snprintf(keyfile, sizeof(keyfile), "%s/bench.key", dir);
	bench_header(argc, argv, "evidence: ledger verify with the state check vs without; lineage ingest per input");

	double t0 = bench_now();
	build_store(db, keyfile, objects, entries);
	printf("store:   %ld governed objects (%ld AI systems, %ld settings), %ld governance entries, "
	       "1 decision log of 1000 records; built in %.1f s\n", objects, objects / 10, objects - objects / 10,
	       entries, bench_now() - t0);

	const char *with[] = { "--db", db, "ledger", "verify", NULL };
	const char *without[] = { "--db", db, "ledger", "verify", "--no-state", NULL };
	for (int i = 0; i < reps; i++) {
		ours[i] = run_aims(with, &r);
		rss_o = r > rss_o ? r : rss_o;
		base[i] = run_aims(without, &r);
		rss_b = r > rss_b ? r : rss_b;
	}
	double to = bench_median(ours, reps), tb = bench_median(base, reps);
	bench_table("(a) aims ledger verify (median of the runs): with the state check vs --no-state", "entries",
		    "entries/s");
	bench_row("verify + state", (double)entries, (double)entries / to, (double)entries / tb);
	printf("  wall: with state %.2f s, without %.2f s: the state check adds %.0f%% (ratio %.2f)\n", to, tb,
	       (to / tb - 1) * 100, to / tb);
	printf("  peak RSS: with state %.1f MiB, without %.1f MiB\n", rss_o, rss_b);

	static const int sizes[] = { 2500, 5000, 10000, 20000 };
	double per0 = 0;
	printf("\n(b) aims lineage ingest of one event, fresh store each (median of %d runs)\n", reps);
	printf("  %-10s %10s %14s %10s %12s\n", "inputs", "seconds", "us per input", "ratio", "peak RSS");
	snprintf(ev, sizeof(ev), "%s/event.json", dir);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		char ldb[700];
		double t[BENCH_MAX_REPS], rss = 0;
		lineage_event(ev, sizes[k]);
		snprintf(ldb, sizeof(ldb), "%s/lineage.db", dir);
		for (int i = 0; i < reps; i++) {
			const char *init[] = { "--db", ldb, "init", NULL };
			const char *ing[] = { "--db", ldb, "lineage", "ingest", ev, NULL };
			rm_store(ldb);
			run_aims(init, &r);
			t[i] = run_aims(ing, &r);
			rss = r > rss ? r : rss;
		}
		double med = bench_median(t, reps), per = med / sizes[k];
		if (k == 0)
			per0 = per;
		printf("  %-10d %10.3f %14.1f %9.2fx %9.1f MiB\n", sizes[k], med, per * 1e6, per / per0, rss);
	}
	if (getenv("KEEP")) {
		printf("kept %s\n", dir);
	} else {
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			bench_die("cannot remove", dir);
	}
	return 0;
}
