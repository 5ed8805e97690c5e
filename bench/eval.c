/*
 * Benchmark of `aims eval fairness` + `aims eval performance` (one pass of
 * aims_eval_binary over aims_rows) against the same evaluation written with
 * pandas + scikit-learn (bench/eval_baseline.py, run by the system python
 * in the same invocation). Data: ROWS decision rows generated reproducibly
 * (splitmix64 with a fixed seed) into a CSV file: id, y_true, y_score
 * (printf %.17g), y_pred, group (5 levels), sex (2 levels); fairness over
 * both sensitive columns and their intersection, performance with the
 * score. Reports the median wall and CPU time of REPS runs of each (CPU
 * time says more on a loaded machine: both sides are single-threaded), the
 * ratios, both
 * answers for one figure (they must agree), and the peak RSS of aims (this
 * process) and of the baseline (its child). The file goes to $TMPDIR (or
 * /tmp) and is removed afterwards (KEEP=1 keeps it).
 *
 * The path users run is measured too: the command `aims eval fairness
 * --data FILE --json` (the aims binary beside this benchmark's folder, or
 * $AIMS), which opens the file and hands the operation eval.fairness the
 * open stream, against the library call doing the same fairness work in
 * this process; its peak RSS shows that the command reads in bounded memory.
 *
 * usage: eval [ROWS [REPS]]   (default 10000000 rows, 1 run: the baseline alone takes about a
 * minute; give REPS for medians)
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

static void gen(const char *path, long rows)
{
	static const double share[5] = { 0.40, 0.25, 0.15, 0.15, 0.05 };
	static const double base[5] = { 0.55, 0.45, 0.50, 0.35, 0.60 };
	FILE *f = fopen(path, "w");
	static char buf[1 << 20];

	if (!f)
		bench_die("cannot write", path);
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	rng_state = 20261128;
	fputs("id,y_true,y_score,y_pred,group,sex\n", f);
	for (long r = 0; r < rows; r++) {
		double u = unif(), acc = 0;
		int g = 0;
		while (g < 4 && u >= acc + share[g])
			acc += share[g++];
		int male = unif() < 0.48;
		int y = unif() < base[g] + (male ? 0.05 : -0.05);
		/* a score that separates the classes imperfectly, in [0, 1] */
		double s = (y ? 0.62 : 0.38) + 0.22 * (unif() + unif() + unif() - 1.5);
		s = s < 0 ? 0 : s > 1 ? 1 : s;
		fprintf(f, "%ld,%d,%.17g,%d,g%d,%s\n", r + 1, y, s, s >= 0.5, g, male ? "male" : "female");
	}
	if (fclose(f) != 0)
		bench_die("cannot write", path);
}

static double figure(const char *json, const char *key)
{
	const char *p = strstr(json, key);
	if (!p)
		bench_die("figure missing from the result", key);
	return strtod(p + strlen(key) + 3, NULL);  /* "key": value */
}

static double cpu_self(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

/* wall seconds; *cpu gets the CPU seconds (user + system) */
static double run_ours(const char *path, double *auc, double *dpd, double *cpu)
{
	static const char *const groups[] = { "group", "sex" };
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_rows *rows = NULL;
	char *fair = NULL, *perf = NULL;
	double t0 = bench_now(), c0 = cpu_self(), t;

	o.label = "y_true";
	o.pred = "y_pred";
	o.score = "y_score";
	o.groups = groups;
	o.ngroups = 2;
	if (aims_rows_open(&rows, path) < 0 || aims_eval_binary(&fair, &perf, rows, &o) < 0)
		bench_die("aims_eval_binary", aims_error_last());
	t = bench_now() - t0;
	*cpu = cpu_self() - c0;
	*auc = figure(perf, "\"roc_auc");
	*dpd = figure(fair, "\"demographic_parity_difference");
	free(fair);
	free(perf);
	aims_rows_free(rows);
	return t;
}

/* the fairness work alone, in this process: what the command does besides starting and printing */
static double run_lib_fairness(const char *path, double *cpu)
{
	static const char *const groups[] = { "group", "sex" };
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_rows *rows = NULL;
	char *fair = NULL;
	double t0 = bench_now(), c0 = cpu_self(), t;

	o.label = "y_true";
	o.pred = "y_pred";
	o.score = "y_score";
	o.groups = groups;
	o.ngroups = 2;
	if (aims_rows_open(&rows, path) < 0 || aims_eval_binary(&fair, NULL, rows, &o) < 0)
		bench_die("aims_eval_binary", aims_error_last());
	t = bench_now() - t0;
	*cpu = cpu_self() - c0;
	free(fair);
	aims_rows_free(rows);
	return t;
}

/* the command `aims eval fairness --data PATH ... --json` (output to /dev/null); *cpu and *rss_kib of the child */
static double run_cmd(const char *aims, const char *path, double *cpu, long *rss_kib)
{
	char *const argv[] = { (char *)aims, "eval", "fairness", "--data", (char *)path, "--label", "y_true", "--pred",
			       "y_pred", "--score", "y_score", "--group", "group", "--group", "sex", "--json", NULL };
	struct rusage ru;
	int status = 0;
	double t0 = bench_now();
	fflush(NULL); /* the child must not write this process's buffered output again */
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", NULL);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(aims, argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("the command failed", aims);
	*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
	*rss_kib = ru.ru_maxrss;
	return bench_now() - t0;
}

static double run_base(const char *script, const char *path, double *auc, double *dpd, double *cpu)
{
	char cmd[4096], line[512];
	double secs = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s' '%s'", script, path);
	if (!(p = popen(cmd, "r")))
		bench_die("cannot run", cmd);
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "seconds %lf cpu %lf roc_auc %lf dpd %lf", &secs, cpu, auc, dpd) == 4)
			break;
	while (fgets(line, sizeof(line), p))
		;
	if (pclose(p) != 0 || secs < 0)
		bench_die("baseline failed", cmd);
	return secs;
}

int main(int argc, char **argv)
{
	long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 10000000;
	int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1;
	const char *script = "bench/eval_baseline.py";
	char dir[512], path[600];
	double ours[BENCH_MAX_REPS], base[BENCH_MAX_REPS], co[BENCH_MAX_REPS], cb[BENCH_MAX_REPS];
	double to, tb, auc = 0, dpd = 0, bauc = 0, bdpd = 0;
	double tc[BENCH_MAX_REPS], cc[BENCH_MAX_REPS], tl[BENCH_MAX_REPS], cl[BENCH_MAX_REPS];
	long rss_cmd = 0;
	char aims[1024];
	struct rusage ru;

	if (rows < 1000 || reps < 1 || reps > BENCH_MAX_REPS)
		bench_die("usage: eval [ROWS >= 1000 [REPS 1..31]]", NULL);
	if (access(script, R_OK) != 0)
		bench_die("run from the source tree: missing", script);
	/* the aims binary: $AIMS, else BUILD/aims for this BUILD/bench/eval */
	if (getenv("AIMS") && *getenv("AIMS")) {
		snprintf(aims, sizeof(aims), "%s", getenv("AIMS"));
	} else {
		snprintf(aims, sizeof(aims), "%s", argv[0]);
		char *slash = strrchr(aims, '/');
		if (slash)
			*slash = '\0';
		slash = strrchr(aims, '/');
		if (slash)
			snprintf(slash + 1, sizeof(aims) - (size_t)(slash + 1 - aims), "aims");
		else
			snprintf(aims, sizeof(aims), "aims");
	}
	if (access(aims, X_OK) != 0)
		bench_die("no aims binary (set AIMS)", aims);
	bench_tmpdir(dir, sizeof(dir), "eval");
	snprintf(path, sizeof(path), "%s/decisions.csv", dir);
	bench_header(argc, argv, "eval fairness + performance: aims_eval_binary vs pandas + scikit-learn 1.2 "
		     "(bench/eval_baseline.py)");
	gen(path, rows);
	printf("data:    %ld decision rows (id, y_true, y_score, y_pred, group x5, sex x2), fixed seed\n", rows);
	for (int r = 0; r < reps; r++) {
		ours[r] = run_ours(path, &auc, &dpd, &co[r]);
		base[r] = run_base(script, path, &bauc, &bdpd, &cb[r]);
	}
	if (fabs(auc - bauc) > 1e-9 * fabs(bauc) || fabs(dpd - bdpd) > 1e-9 * fabs(bdpd))
		bench_die("aims and the baseline disagree", NULL);
	to = bench_median(ours, reps);
	tb = bench_median(base, reps);
	bench_table("median of the runs: read the CSV, fairness (2 columns + intersection) and performance",
		    "rows", "rows/s");
	bench_row("fairness+performance", (double)rows, (double)rows / to, (double)rows / tb);
	printf("  wall: aims %.3f s, baseline %.3f s (after its imports): aims is %.1fx faster\n", to, tb, tb / to);
	double cpo = bench_median(co, reps), cpb = bench_median(cb, reps);
	printf("  cpu:  aims %.3f s, baseline %.3f s (user + system): aims is %.1fx faster\n", cpo, cpb, cpb / cpo);
	printf("  roc_auc %.12f, demographic_parity_difference (group) %.12f: both agree to 1e-9\n", auc, dpd);
	/* the command users run against the same work in this process, alternating */
	for (int r = 0; r < reps; r++) {
		long k = 0;
		tc[r] = run_cmd(aims, path, &cc[r], &k);
		rss_cmd = k > rss_cmd ? k : rss_cmd;
		tl[r] = run_lib_fairness(path, &cl[r]);
	}
	double mtc = bench_median(tc, reps), mtl = bench_median(tl, reps);
	double mcc = bench_median(cc, reps), mcl = bench_median(cl, reps);
	printf("  command path: 'aims eval fairness --data FILE --json' (the operation reading the open file): "
	       "wall %.3f s, cpu %.3f s, peak RSS %.1f MiB\n", mtc, mcc, (double)rss_cmd / 1024.0);
	printf("                library call (aims_rows_open + aims_eval_binary, fairness only): wall %.3f s, "
	       "cpu %.3f s: the command takes %.2fx its cpu\n", mtl, mcl, mcc / mcl);
	getrusage(RUSAGE_SELF, &ru);
	printf("  peak RSS: aims %.1f MiB", (double)ru.ru_maxrss / 1024.0);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf(", baseline %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
	if (getenv("KEEP")) {
		printf("kept %s\n", path);
	} else {
		unlink(path);
		rmdir(dir);
	}
	return 0;
}
