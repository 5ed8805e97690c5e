/*
 * Small helpers shared by the benchmarks in bench/: a monotonic clock,
 * timing a case as the median of several repetitions, running a case and
 * its baseline in alternation, and printing the header and table rows.
 *
 * The machines these run on are noisy (shared, 2 cores), so absolute times
 * mean little. Every benchmark therefore times our code against a baseline
 * doing comparable work in the same run, alternating the two so that drift
 * hits both alike, and reports the ratio of the medians.
 * See docs/benchmarks.md.
 */
#ifndef AIMS_BENCH_H
#define AIMS_BENCH_H

#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aims/aims.h"

#define BENCH_MAX_REPS 31

/* Wanted length of one repetition when a case's iteration count is calibrated. */
#ifndef BENCH_REP_SECONDS
#define BENCH_REP_SECONDS 0.1
#endif

/** One timed case. `run` is the work measured; `setup` and `teardown`
 *  (may be NULL) run untimed before and after each repetition.
 *  Each returns 0, or non-zero to stop the benchmark. */
typedef struct {
	int (*setup)(void *ctx);
	int (*run)(void *ctx);
	void (*teardown)(void *ctx);
	void *ctx;
	long iters;   /* calls of run() per repetition; 0 = calibrate to BENCH_REP_SECONDS */
} bench_case;

/** Seconds on the monotonic clock. */
static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/** Print a message and exit: a benchmark that cannot run has nothing to report. */
static inline void bench_die(const char *what, const char *detail)
{
	fprintf(stderr, "bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

/* act as account `name` holding every role: benchmarks set up stores directly through the library, where a
 * front end would have authenticated the principal (the CLI and the server never do this) */
static inline int bench_act_as(aims_store *s, const char *name)
{
	aims_principal p;
	memset(&p, 0, sizeof(p));
	p.kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.roles = AIMS_ROLES_ALL;
	return aims_store_set_principal(s, &p);
}


/* A new private folder $TMPDIR/aims-bench-NAME-XXXXXX (or under /tmp) into out; exits on failure. */
static inline void bench_tmpdir(char *out, size_t size, const char *name)
{
	const char *t = getenv("TMPDIR");
	if (snprintf(out, size, "%s/aims-bench-%s-XXXXXX", t && *t ? t : "/tmp", name) >= (int)size)
		bench_die("TMPDIR too long", t);
	if (!mkdtemp(out))
		bench_die("cannot create a temporary folder under", t && *t ? t : "/tmp");
}

/* The peak RSS so far (VmHWM, KiB) of a running process, 0 when unknown. */
static inline long bench_vm_hwm_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* The port `aims serve --port-file FILE` wrote, waiting up to 10 s for it; exits when it never came. */
static inline int bench_wait_port(const char *port_file, const char *aims)
{
	char port[32] = "";
	for (int i = 0; i < 200 && !port[0]; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			if (!fgets(port, sizeof(port), f))
				port[0] = '\0';
			fclose(f);
		}
		if (!port[0])
			usleep(50000);
	}
	if (!port[0])
		bench_die("aims serve did not start", aims);
	return (int)strtol(port, NULL, 10);
}

static inline int bench__cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/** Median of v[0..n) (sorts v). */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench__cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** One repetition of c: seconds per call of run(). */
static inline double bench_rep(bench_case *c)
{
	double t0, t1;

	if (c->setup && c->setup(c->ctx) != 0)
		bench_die("setup failed", NULL);
	t0 = bench_now();
	for (long i = 0; i < c->iters; i++)
		if (c->run(c->ctx) != 0)
			bench_die("run failed", NULL);
	t1 = bench_now();
	if (c->teardown)
		c->teardown(c->ctx);
	return (t1 - t0) / (double)c->iters;
}

/* choose iters so one repetition takes about BENCH_REP_SECONDS (one warm-up call) */
static inline void bench__calibrate(bench_case *c)
{
	if (c->iters > 0)
		return;
	c->iters = 1;
	double t = bench_rep(c);
	long n = t > 0 ? (long)(BENCH_REP_SECONDS / t) : 1000;
	c->iters = n < 1 ? 1 : n > 1000000 ? 1000000 : n;
}

/**
 * Time `ours` and `base` in alternation, `reps` repetitions each (at most
 * BENCH_MAX_REPS), in the order ours-base, base-ours, ours-base, ...;
 * *t_ours and *t_base receive the median seconds per call.
 */
static inline void bench_pair(bench_case *ours, bench_case *base, int reps,
			      double *t_ours, double *t_base)
{
	double a[BENCH_MAX_REPS], b[BENCH_MAX_REPS];

	if (reps < 1 || reps > BENCH_MAX_REPS)
		bench_die("bad repetition count", NULL);
	bench__calibrate(ours);
	bench__calibrate(base);
	/* ABBA: whichever side runs first in a pair pays for what the one before left (a file just
	 * deleted, pages to reclaim); bench/review.c's A/A run measured +3% for the first side */
	for (int r = 0; r < reps; r++) {
		if (r % 2 == 0) {
			a[r] = bench_rep(ours);
			b[r] = bench_rep(base);
		} else {
			b[r] = bench_rep(base);
			a[r] = bench_rep(ours);
		}
	}
	*t_ours = bench_median(a, reps);
	*t_base = bench_median(b, reps);
}

/** Print the command, the machine and the date: figures mean nothing without them. */
static inline void bench_header(int argc, char **argv, const char *title)
{
	char model[256] = "unknown", line[512], date[64] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");
	time_t now = time(NULL);
	struct tm tm;

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');
			if (strncmp(line, "model name", 10) == 0 && colon) {
				colon += strspn(colon + 1, " \t") + 1;
				colon[strcspn(colon, "\n")] = '\0';
				snprintf(model, sizeof(model), "%s", colon);
				break;
			}
		}
		fclose(f);
	}
	if (gmtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("%s\n", title);
	printf("command: ");
	for (int i = 0; i < argc; i++)
		printf("%s%s", i ? " " : "", argv[i]);
	printf("\nmachine: %ld cpus, %s\n", sysconf(_SC_NPROCESSORS_ONLN), model);
	printf("date:    %s\n", date);
}

/** Start a table: a title line, then the column heads. `size` and `unit` name
 *  the size column (e.g. "bytes") and the rate unit (e.g. "MB/s"). */
static inline void bench_table(const char *title, const char *size, const char *unit)
{
	char ours[32], base[32];

	snprintf(ours, sizeof(ours), "aims %s", unit);
	snprintf(base, sizeof(base), "base %s", unit);
	printf("\n%s\n", title);
	printf("  %-22s %10s %14s %14s %10s\n", "case", size, ours, base, "time ratio");
}

/**
 * One row: rates of ours and of the baseline (higher is faster) and the
 * ratio of our time to the baseline's (below 1: ours is faster).
 */
static inline void bench_row(const char *name, double size, double rate_ours, double rate_base)
{
	double ratio = rate_ours > 0 ? rate_base / rate_ours : 0;
	printf("  %-22s %10.0f %14.1f %14.1f %9.2fx\n", name, size, rate_ours, rate_base, ratio);
}

#endif
