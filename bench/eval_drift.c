/*
 * Benchmark of `aims eval drift` (aims_drift_run) against the same
 * evaluation written with pandas + scipy (bench/eval_drift_baseline.py, run
 * by the system python in the same invocation). Data: generated
 * reproducibly (fixed-seed generator), a reference and a current CSV file of
 * ROWS rows x 20 columns each: 12 numeric (normal, exponential, integer
 * counts, a wide-range uniform; 6 of them shifted in the current file) and
 * 8 categorical (2 to 40 levels; 4 shifted). Reports the median time of
 * REPS runs of ours and of the baseline, the ratio, and the peak RSS of
 * each. Files go to $TMPDIR (or /tmp) and are removed afterwards.
 *
 * usage: eval_drift [ROWS]   (default 1000000 rows per file; KEEP=1 keeps
 *        the generated files, e.g. for profiling)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aims/aims.h"
#include "bench.h"

#define REPS 3
#define NNUM 12
#define NCAT 8

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return ((double)(rnd() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2.0 * log(unif())) * cos(2.0 * M_PI * unif());
}

static void gen(const char *path, long rows, int current, uint64_t seed)
{
	FILE *f = fopen(path, "w");
	static const char *const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN";
	char buf[1 << 16];

	if (!f)
		bench_die("cannot write", path);
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	rng_state = seed;
	for (int c = 0; c < NNUM; c++)
		fprintf(f, "n%d,", c);
	for (int c = 0; c < NCAT; c++)
		fprintf(f, "c%d%s", c, c + 1 < NCAT ? "," : "\n");
	for (long r = 0; r < rows; r++) {
		for (int c = 0; c < NNUM; c++) {
			double shift = current && c % 2 == 0 ? 0.05 * (c + 1) : 0;
			switch (c % 4) {
			case 0: fprintf(f, "%.6f,", 50 + 10 * (normal() + shift)); break;
			case 1: fprintf(f, "%.5f,", -log(unif()) * (1 + shift)); break;
			case 2: fprintf(f, "%d,", (int)(unif() * (20 + 10 * shift))); break;
			default: fprintf(f, "%.3f,", unif() * 1e6 * (1 + shift)); break;
			}
		}
		for (int c = 0; c < NCAT; c++) {
			int levels = 2 + c * 5;
			double u = unif();
			if (current && c % 2 == 1)
				u = u * u; /* skew towards the first levels */
			fputc(letters[(int)(u * levels) % levels], f);
			fputc(c + 1 < NCAT ? ',' : '\n', f);
		}
	}
	if (fclose(f) != 0)
		bench_die("cannot write", path);
}

static double cpu_seconds(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

static double run_ours(const char *ref, const char *cur, size_t *drifted)
{
	aims_drift_source r = { 0 }, c = { 0 };
	aims_drift *d = NULL;
	double t0 = bench_now(), t;

	r.path = ref;
	c.path = cur;
	if (aims_drift_run(&d, &r, &c, NULL) < 0)
		bench_die("aims_drift_run", aims_error_last());
	t = bench_now() - t0;
	*drifted = 0;
	for (size_t i = 0; i < aims_drift_ncolumns(d); i++)
		*drifted += aims_drift_column_get(d, i)->drift != 0;
	aims_drift_free(d);
	return t;
}

/* the baseline's own timing (work only) and wall time including start-up */
static double run_base(const char *script, const char *ref, const char *cur, long *drifted, double *wall)
{
	char cmd[4096], line[256];
	double secs = -1, t0 = bench_now();
	FILE *p;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s' '%s' '%s'", script, ref, cur);
	if (!(p = popen(cmd, "r")))
		bench_die("cannot run", cmd);
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "seconds %lf drifted %ld", &secs, drifted) == 2)
			break;
	while (fgets(line, sizeof(line), p))
		;
	if (pclose(p) != 0 || secs < 0)
		bench_die("baseline failed", cmd);
	*wall = bench_now() - t0;
	return secs;
}

int main(int argc, char **argv)
{
	long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	char dir[512], ref[600], cur[600], script[600];
	double ours[REPS], base[REPS], wall[REPS], to, tb, cpu_o = 0, cpu_b = 0, c0;
	size_t nd = 0;
	long bd = 0;
	struct rusage ru;

	if (rows < 1000)
		bench_die("ROWS must be at least 1000", NULL);
	bench_tmpdir(dir, sizeof(dir), "drift");
	snprintf(ref, sizeof(ref), "%s/ref.csv", dir);
	snprintf(cur, sizeof(cur), "%s/cur.csv", dir);
	snprintf(script, sizeof(script), "%s", "bench/eval_drift_baseline.py");
	if (access(script, R_OK) != 0)
		bench_die("run from the source tree: missing", script);
	bench_header(argc, argv, "eval drift: aims_drift_run vs pandas + scipy 1.10 (bench/eval_drift_baseline.py)");
	gen(ref, rows, 0, 20261128);
	gen(cur, rows, 1, 20261129);
	printf("data:    %ld + %ld rows x %d columns (%d numeric, %d categorical), generated with fixed seeds\n",
	       rows, rows, NNUM + NCAT, NNUM, NCAT);
	for (int r = 0; r < REPS; r++) {
		c0 = cpu_seconds(RUSAGE_SELF);
		ours[r] = run_ours(ref, cur, &nd);
		cpu_o += cpu_seconds(RUSAGE_SELF) - c0;
		c0 = cpu_seconds(RUSAGE_CHILDREN);
		base[r] = run_base(script, ref, cur, &bd, &wall[r]);
		cpu_b += cpu_seconds(RUSAGE_CHILDREN) - c0;
	}
	if ((long)nd != bd)
		bench_die("aims and the baseline disagree on the number of drifted columns", NULL);
	to = bench_median(ours, REPS);
	tb = bench_median(base, REPS);
	bench_table("median of 3 runs, reading both files and computing every column", "rows", "rows/s");
	bench_row("drift 20 columns", (double)(2 * rows), 2.0 * (double)rows / to, 2.0 * (double)rows / tb);
	printf("  aims %.3f s, baseline %.3f s (%.3f s with interpreter start-up): aims is %.1fx faster\n", to, tb,
	       bench_median(wall, REPS), tb / to);
	printf("  CPU time per run (all threads; baseline with start-up): aims %.3f s, baseline %.3f s (%.1fx)\n",
	       cpu_o / REPS, cpu_b / REPS, cpu_b / cpu_o);
	printf("  load average at the end: ");
	{
		FILE *la = fopen("/proc/loadavg", "r");
		char buf[64] = "unknown";
		if (la) {
			if (!fgets(buf, sizeof(buf), la))
				snprintf(buf, sizeof(buf), "unknown\n");
			fclose(la);
		}
		printf("%s%s", buf, strchr(buf, '\n') ? "" : "\n");
	}
	printf("  drifted columns: %zu of %d (both agree)\n", nd, NNUM + NCAT);
	getrusage(RUSAGE_SELF, &ru);
	printf("  peak RSS: aims %.1f MiB", (double)ru.ru_maxrss / 1024.0);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf(", baseline %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
	if (!getenv("KEEP")) unlink(ref);
	if (!getenv("KEEP")) unlink(cur);
	if (!getenv("KEEP")) rmdir(dir); else printf("kept %s\n", dir);
	return 0;
}
