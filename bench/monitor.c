/*
 * Benchmark of a monitoring run: `aims monitor run` on a plan with
 * fairness, performance and drift over one data file (the command users
 * run from cron: it opens the store, reads the file once on every core,
 * records three evaluation results as evidence, checks the thresholds and
 * records the run), against the same evaluations written with pandas +
 * scikit-learn + scipy (bench/monitor_baseline.py, run by the system python
 * in the same invocation). The library call (aims_eval_pass) is timed too.
 *
 * Data, generated reproducibly (splitmix64, fixed seeds) into $TMPDIR: the
 * current file of ROWS decision rows and a reference file of ROWS/10 rows,
 * each y_true, y_score (%.17g), y_pred, group (5 levels), sex (2 levels),
 * income (2 decimals), age (integer); the current file's income and group
 * shares are shifted. Fairness over group and sex and their intersection;
 * performance with the score; drift of y_score, income, age, group and sex.
 * Both sides must agree on ROC AUC, the demographic parity difference of
 * group and the number of drifted columns.
 *
 * Reported: wall and CPU time (user + system, all threads) of each, the
 * ratios, and the peak RSS of the command (its own rusage) and of the
 * baseline (its child's).
 *
 * usage: monitor [ROWS [REPS]]   (default 10000000 rows, 1 run)
 *        AIMS=path/to/aims (default: the aims beside this benchmark's folder)
 */
#include <errno.h>
#include <jansson.h>
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
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return ((double)(rnd() >> 11) + 0.5) / 9007199254740992.0;
}

static void gen(const char *path, long rows, uint64_t seed, int shifted)
{
	static const double share0[5] = { 0.40, 0.25, 0.15, 0.15, 0.05 };
	static const double share1[5] = { 0.30, 0.25, 0.20, 0.15, 0.10 };
	static const double base[5] = { 0.55, 0.45, 0.50, 0.35, 0.60 };
	const double *share = shifted ? share1 : share0;
	FILE *f = fopen(path, "w");
	static char buf[1 << 20];

	if (!f)
		bench_die("cannot write", path);
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	rng_state = seed;
	fputs("y_true,y_score,y_pred,group,sex,income,age\n", f);
	for (long r = 0; r < rows; r++) {
		double u = unif(), acc = 0;
		int g = 0;
		while (g < 4 && u >= acc + share[g])
			acc += share[g++];
		int male = unif() < 0.48;
		int y = unif() < base[g] + (male ? 0.05 : -0.05);
		double s = (y ? 0.62 : 0.38) + 0.22 * (unif() + unif() + unif() - 1.5);
		s = s < 0 ? 0 : s > 1 ? 1 : s;
		double income = 1800 + 900 * unif() + 200 * g + (shifted ? 150 : 0);
		int age = 18 + (int)(rnd() % 63);
		fprintf(f, "%d,%.17g,%d,g%d,%s,%.2f,%d\n", y, s, s >= 0.5, g, male ? "male" : "female", income, age);
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

static double cpu_of(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec * 1e-6 + (double)ru->ru_stime.tv_sec +
	       (double)ru->ru_stime.tv_usec * 1e-6;
}

/* run argv, stdout to `out` (may be NULL); wall seconds, *cpu and *rss (MiB) of the child */
static double spawn(char *const argv[], const char *out, double *cpu, double *rss)
{
	struct rusage ru;
	int status;
	fflush(stdout);  /* else the child's copy of the buffer is written again */
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork", strerror(errno));
	if (pid == 0) {
		if (out && !freopen(out, "w", stdout))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		bench_die("wait4", strerror(errno));
	double t = bench_now() - t0;
	if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1)) {
		fprintf(stderr, "command failed (status %d):", status);
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
		exit(1);
	}
	if (cpu)
		*cpu = cpu_of(&ru);
	if (rss)
		*rss = (double)ru.ru_maxrss / 1024.0;
	return t;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	aims_buf b = AIMS_BUF_INIT;
	char chunk[65536];
	size_t n;
	if (!f)
		bench_die("cannot read", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		aims_buf_put(&b, chunk, n);
	fclose(f);
	return aims_buf_detach(&b, NULL);
}

/* the recorded evaluation `kind` of the run whose JSON is in run_json, as `aims eval show ID --json` (untimed) */
static char *eval_show(const char *aims, const char *db, const char *run_json, const char *kind, const char *dir)
{
	char *j = slurp(run_json), path[700];
	json_t *r = json_loads(j, 0, NULL);
	const char *id = json_string_value(
		json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(r, "runs"), 0), "result"),
						"evaluations"),
				kind));
	if (!id)
		bench_die("the run recorded no evaluation", kind);
	char *show[] = { (char *)aims, "--db", (char *)db, "eval", "show", (char *)id, "--json", NULL };
	snprintf(path, sizeof(path), "%s/%s.json", dir, kind);
	spawn(show, path, NULL, NULL);
	json_decref(r);
	free(j);
	char *out = slurp(path);
	unlink(path);
	return out;
}

/* the library call alone, in this process */
static double run_library(const char *cur, const char *ref, double *cpu)
{
	static const char *const groups[] = { "group", "sex" };
	static const char *const cols[] = { "y_score", "income", "age", "group", "sex" };
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_eval_pass_options po = AIMS_EVAL_PASS_OPTIONS_INIT;
	aims_drift_options dopt = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift_source in = { 0 }, rs = { 0 };
	aims_eval_pass_result res;
	struct rusage r0, r1;

	o.label = "y_true";
	o.pred = "y_pred";
	o.score = "y_score";
	o.groups = groups;
	o.ngroups = 2;
	dopt.columns = cols;
	dopt.ncolumns = 5;
	in.path = cur;
	rs.path = ref;
	po.binary = &o;
	po.fairness = po.performance = 1;
	po.drift_reference = &rs;
	po.drift = &dopt;
	getrusage(RUSAGE_SELF, &r0);
	double t0 = bench_now();
	if (aims_eval_pass(&res, &in, &po) < 0)
		bench_die("aims_eval_pass", aims_error_last());
	double t = bench_now() - t0;
	getrusage(RUSAGE_SELF, &r1);
	*cpu = cpu_of(&r1) - cpu_of(&r0);
	aims_eval_pass_result_release(&res);
	return t;
}

int main(int argc, char **argv)
{
	long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 10000000;
	int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1;
	const char *script = "bench/monitor_baseline.py";
	char dir[512], cur[600], ref[600], db[600], out[600], aims[1024], period[32];
	double tc[BENCH_MAX_REPS], cc[BENCH_MAX_REPS], tb[BENCH_MAX_REPS], cb[BENCH_MAX_REPS];
	double tl[BENCH_MAX_REPS], cl[BENCH_MAX_REPS], rss_cmd = 0, rss_base = 0, auc = 0, dpd = 0, bauc = 0, bdpd = 0;
	int drifted = -1, bdrifted = -2;

	if (rows < 1000 || reps < 1 || reps > BENCH_MAX_REPS)
		bench_die("usage: monitor [ROWS >= 1000 [REPS 1..31]]", NULL);
	if (access(script, R_OK) != 0)
		bench_die("run from the source tree: missing", script);
	if (getenv("AIMS") && *getenv("AIMS")) {
		snprintf(aims, sizeof(aims), "%s", getenv("AIMS"));
	} else {
		/* build/bench/monitor -> build/aims */
		snprintf(aims, sizeof(aims), "%s", argv[0]);
		char *slash = strrchr(aims, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(aims, sizeof(aims), ".");
		size_t n = strlen(aims);
		snprintf(aims + n, sizeof(aims) - n, "/../aims");
	}
	if (access(aims, X_OK) != 0)
		bench_die("cannot run the aims command (set AIMS)", aims);
	bench_tmpdir(dir, sizeof(dir), "monitor");
	snprintf(cur, sizeof(cur), "%s/current.csv", dir);
	snprintf(ref, sizeof(ref), "%s/reference.csv", dir);
	snprintf(db, sizeof(db), "%s/aims.db", dir);
	snprintf(out, sizeof(out), "%s/run.json", dir);
	bench_header(argc, argv, "monitoring run (fairness + performance + drift, one pass): aims monitor run vs "
		     "pandas + scikit-learn + scipy (bench/monitor_baseline.py)");
	gen(cur, rows, 20261205, 1);
	gen(ref, rows / 10, 20261204, 0);
	printf("data:    current %ld rows, reference %ld rows (y_true, y_score, y_pred, group x5, sex x2, income, "
	       "age), fixed seeds\n", rows, rows / 10);
	printf("threads: %ld online cpus\n", sysconf(_SC_NPROCESSORS_ONLN));

	/* a store with one system and a daily plan on the file */
	{
		char *init[] = { aims, "--db", db, "init", NULL };
		char *sys[] = { aims, "--db", db, "system", "add", "credit", "--purpose", "bench", NULL };
		char *plan[] = { aims, "--db", db, "monitor", "plan", "add", "bench", "--system", "credit",
				 "--evaluation", "fairness", "--evaluation", "performance", "--evaluation", "drift",
				 "--data", cur, "--reference", ref, "--label", "y_true", "--pred", "y_pred", "--score",
				 "y_score", "--group", "group", "--group", "sex", "--column", "y_score", "--column", "income",
				 "--column", "age", "--column", "group", "--column", "sex", "--every", "day",
				 "--threshold", "demographic_parity_ratio >= 0.8", "--threshold", "roc_auc >= 0.7",
				 "--threshold", "drift_share < 0.5", NULL };
		spawn(init, "/dev/null", NULL, NULL);
		spawn(sys, "/dev/null", NULL, NULL);
		spawn(plan, "/dev/null", NULL, NULL);
	}
	for (int r = 0; r < reps; r++) {
		/* each run is a past day of its own (a run is recorded once per period) */
		time_t day = time(NULL) - (time_t)(r + 2) * 86400;
		struct tm tm;
		gmtime_r(&day, &tm);
		strftime(period, sizeof(period), "%Y-%m-%d", &tm);
		char *run[] = { aims, "--db", db, "monitor", "run", "--plan", "bench", "--period", period, "--json", NULL };
		char *base[] = { "/usr/bin/python3", (char *)script, cur, ref, NULL };
		char bout[600];
		double rss;
		snprintf(bout, sizeof(bout), "%s/base.txt", dir);
		tc[r] = spawn(run, out, &cc[r], &rss);
		rss_cmd = rss > rss_cmd ? rss : rss_cmd;
		tb[r] = spawn(base, bout, &cb[r], &rss);
		rss_base = rss > rss_base ? rss : rss_base;
		tl[r] = run_library(cur, ref, &cl[r]);
		char *b = slurp(bout), *jf = eval_show(aims, db, out, "fairness", dir),
		     *jp = eval_show(aims, db, out, "performance", dir), *jd = eval_show(aims, db, out, "drift", dir);
		auc = figure(jp, "\"roc_auc");
		dpd = figure(jf, "\"demographic_parity_difference");
		drifted = (int)figure(jd, "\"columns_drifted");
		free(jf);
		free(jp);
		free(jd);
		if (sscanf(b, "seconds %*f cpu %*f roc_auc %lf dpd %lf drifted %d", &bauc, &bdpd, &bdrifted) != 3)
			bench_die("baseline output", b);
		free(b);
	}
	if (fabs(auc - bauc) > 1e-9 * fabs(bauc) || fabs(dpd - bdpd) > 1e-9 * fabs(bdpd) || drifted != bdrifted) {
		fprintf(stderr, "aims: roc_auc %.12f dpd %.12f drifted %d; baseline %.12f %.12f %d\n", auc, dpd, drifted,
			bauc, bdpd, bdrifted);
		bench_die("aims and the baseline disagree", NULL);
	}
	double wc = bench_median(tc, reps), wb = bench_median(tb, reps), wl = bench_median(tl, reps);
	double uc = bench_median(cc, reps), ub = bench_median(cb, reps), ul = bench_median(cl, reps);
	printf("\nmedian of %d run%s (each side reads both files and computes every figure)\n", reps, reps == 1 ? "" : "s");
	printf("  %-44s %9s %9s\n", "", "wall s", "cpu s");
	printf("  %-44s %9.3f %9.3f\n", "aims monitor run (the command, whole process)", wc, uc);
	printf("  %-44s %9.3f %9.3f\n", "aims_eval_pass (the library call)", wl, ul);
	printf("  %-44s %9.3f %9.3f\n", "pandas + scikit-learn + scipy (whole process)", wb, ub);
	printf("  ratio baseline / command: wall %.1fx, cpu %.1fx\n", wb / wc, ub / uc);
	printf("  roc_auc %.12f, demographic_parity_difference (group) %.12f, %d drifted columns: both agree\n", auc,
	       dpd, drifted);
	printf("  peak RSS: aims monitor run %.1f MiB, baseline %.1f MiB\n", rss_cmd, rss_base);
	if (getenv("KEEP")) {
		printf("kept %s\n", dir);
	} else {
		unlink(cur);
		unlink(ref);
		unlink(out);
		char p[700];
		snprintf(p, sizeof(p), "%s/base.txt", dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s-wal", db);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", db);
		unlink(p);
		unlink(db);
		rmdir(dir);
	}
	return 0;
}
