/*
 * Benchmark of review selection on the ingest path (issue 15): the command
 * users run, `aims decision ingest --system S FILE`, end to end, on a store
 * whose policy has review rules (every record is scanned, the selected ones
 * enter the review queue with a ledger entry per batch) against the same
 * command on a store without a review policy (the baseline), alternating
 * the two, each repetition on a fresh store and a fresh decision log (the
 * stores are made before the clock starts), $AIMS_BENCH_REVIEW_REPS
 * repetitions each (default 21: the whole effect is about 15 ms a run, and
 * with 7 one run in eight was an outlier; $AIMS_BENCH_KEEP=1 keeps the input and the
 * policy file and prints their folder). The target: selection adds at most 10% to
 * the end-to-end time.
 *
 * The input: N realistic NDJSON decision records (default 200,000, or
 * $AIMS_BENCH_REVIEW_N; about 300 bytes each: time, model, input digest,
 * output with a class and a limit, confidence, an explanation, two input
 * fields), generated reproducibly. The rules: confidence below 0.03, output
 * class refer (3% of the records), input channel branch (3%), a 2% seeded
 * sample: about 10% of the records are selected, a realistic share for
 * human review. $AIMS_BENCH_REVIEW_AA=1 runs both sides without review
 * rules (an A/A run): its ratio is what this machine's noise alone gives,
 * to read the real run's ratio against. $AIMS_BENCH_REVIEW_HEAVY=1 selects about 45% instead
 * (confidence below 0.3, decline, branch, a 5% sample), to show how the
 * cost grows with the share selected (each selected record is a row of the
 * review queue). Besides wall time it prints the child's CPU time
 * (user + system) and peak resident memory (ru_maxrss). The aims binary is
 * $AIMS, else ../aims beside this benchmark. Files go to $TMPDIR (or /tmp).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"


static char tmpdir[512], aims[PATH_MAX], input[600], policy[600];

typedef struct {
	int with_policy;         /* 1: the review policy set; 0: none; 2: none either (the A/A run's first side) */
	int serial;
	char dir[700];
	double cpu[BENCH_MAX_REPS], user[BENCH_MAX_REPS], sys[BENCH_MAX_REPS];
	long rss_kb;
	int n;
	char selected[64];
} side;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* run aims with argv (NULL-terminated) in `dir`, stdout to `out` (or /dev/null); returns the child's rusage */
static int run(struct rusage *ru, const char *dir, const char *out, char *const argv[])
{
	pid_t pid = fork();
	int status = 0;
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int nul = open("/dev/null", O_WRONLY);
		if (fd < 0 || nul < 0 || chdir(dir) != 0)
			_exit(127);
		dup2(fd, 1);
		dup2(nul, 2);
		unsetenv("AIMS_TOKEN");
		unsetenv("AIMS_SERVER");
		execv(aims, argv);
		_exit(127);
	}
	struct rusage r;
	if (wait4(pid, &status, 0, &r) < 0)
		return -1;
	if (ru)
		*ru = r;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int setup(void *arg)
{
	side *s = arg;
	char db[800], key[800];
	snprintf(s->dir, sizeof(s->dir), "%s/%s-%d", tmpdir, s->with_policy == 1 ? "review" : s->with_policy == 2 ? "again" : "plain", s->serial++);
	if (mkdir(s->dir, 0700) != 0)
		return -1;
	snprintf(db, sizeof(db), "%s/aims.db", s->dir);
	snprintf(key, sizeof(key), "%s/ledger.key", s->dir);
	char *a1[] = { aims, "--db", db, "init", NULL };
	char *a2[] = { aims, "ledger", "keygen", "--name", "bench.example/aims", "--out", key, NULL };
	char *a3[] = { aims, "--db", db, "ledger", "setup", "--key", key, NULL };
	char *a4[] = { aims, "--db", db, "system", "add", "credit-score", NULL };
	char *a5[] = { aims, "--db", db, "policy", "set", policy, NULL };
	/* the records name credit-risk@8: ingest refuses a model version the inventory does not have */
	char model[800];
	snprintf(model, sizeof(model), "%s/model.bin", s->dir);
	FILE *mf = fopen(model, "w");
	if (!mf || fputs("credit-risk weights 8\n", mf) < 0 || fclose(mf) != 0)
		return -1;
	char *a6[] = { aims, "--db", db, "model", "register", "credit-risk@8", "--file", model, NULL };
	if (run(NULL, s->dir, NULL, a1) < 0 || run(NULL, s->dir, NULL, a2) < 0 || run(NULL, s->dir, NULL, a3) < 0 ||
	    run(NULL, s->dir, NULL, a4) < 0 || run(NULL, s->dir, NULL, a6) < 0 ||
	    (s->with_policy == 1 && run(NULL, s->dir, NULL, a5) < 0))
		return -1;
	return 0;
}

static int ingest(void *arg)
{
	side *s = arg;
	char db[800], out[800];
	struct rusage ru;
	snprintf(db, sizeof(db), "%s/aims.db", s->dir);
	snprintf(out, sizeof(out), "%s/out.json", s->dir);
	char *argv[] = { aims, "--db", db, "decision", "ingest", "--system", "credit-score", input, "--json", NULL };
	if (run(&ru, s->dir, out, argv) < 0)
		return -1;
	if (s->n < BENCH_MAX_REPS) {
		s->user[s->n] = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
		s->sys[s->n] = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
		s->cpu[s->n] = s->user[s->n] + s->sys[s->n];
		s->n++;
	}
	if (ru.ru_maxrss > s->rss_kb)
		s->rss_kb = ru.ru_maxrss;
	FILE *f = fopen(out, "r");
	char line[512];
	while (f && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "\"selected_for_review\":");
		if (p)
			snprintf(s->selected, sizeof(s->selected), "%s", p + 22 + strspn(p + 22, " "));
	}
	if (f)
		fclose(f);
	s->selected[strcspn(s->selected, "\n,}")] = '\0';
	return 0;
}

static void teardown(void *arg)
{
	rm_tree(((side *)arg)->dir);
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

static void write_input(uint64_t n)
{
	/* 100 buckets: decline 15, refer 3, approve the rest */
	static const char *const classes[] = { "decline", "refer", "approve" };
	FILE *f = fopen(input, "w");
	if (!f)
		bench_die("cannot write the input", strerror(errno));
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (uint64_t i = 0; i < n; i++) {
		char hex[65];
		for (int k = 0; k < 64; k++) {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			hex[k] = "0123456789abcdef"[(x * 0x2545f4914f6cdd1dULL) >> 60];
		}
		hex[64] = '\0';
		unsigned conf = (unsigned)((x >> 11) % 100);
		fprintf(f, "{\"time\":\"2026-11-%02dT%02d:%02d:%02dZ\",\"model\":\"credit-risk@8\",\"input_digest\":\"sha256:%s\","
			"\"output\":{\"decision\":\"%s\",\"limit_eur\":%u},\"confidence\":%u.%02u,"
			"\"explanation\":\"debt-to-income ratio %u%%\",\"input\":{\"channel\":\"%s\",\"product\":\"loan\"}}\n",
			(int)(1 + i / 86400 % 28), (int)(i / 3600 % 24), (int)(i / 60 % 60), (int)(i % 60), hex,
			classes[(x >> 3) % 100 < 15 ? 0 : (x >> 3) % 100 < 18 ? 1 : 2], (unsigned)((x >> 20) % 20) * 500,
			conf / 100, conf % 100, (unsigned)(20 + (x >> 30) % 40), (x >> 40) % 100 < 3 ? "branch" : "online");
	}
	if (fclose(f) != 0)
		bench_die("cannot write the input", strerror(errno));
}

int main(int argc, char **argv)
{
	uint64_t n = env_u64("AIMS_BENCH_REVIEW_N", 200000);
	const char *env_aims = getenv("AIMS");
	side with = { .with_policy = 1 }, without = { .with_policy = 0 };
	bench_case ours = { setup, ingest, teardown, &with, 1 };
	bench_case base = { setup, ingest, teardown, &without, 1 };
	double t_ours, t_base;
	struct stat st;

	bench_header(argc, argv, "aims benchmark: review selection on decision ingest (bench/review.c)");
	if (env_aims && *env_aims) {
		snprintf(aims, sizeof(aims), "%s", env_aims);
	} else {
		char self[PATH_MAX - 16];
		ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (k <= 0)
			bench_die("cannot find this program", NULL);
		self[k] = '\0';
		*strrchr(self, '/') = '\0';
		snprintf(aims, sizeof(aims), "%s/../aims", self);
	}
	if (access(aims, X_OK) != 0)
		bench_die("the aims binary is not there (set AIMS)", aims);
	bench_tmpdir(tmpdir, sizeof(tmpdir), "review");
	snprintf(input, sizeof(input), "%s/decisions.ndjson", tmpdir);
	snprintf(policy, sizeof(policy), "%s/policy.yaml", tmpdir);
	FILE *pf = fopen(policy, "w");
	int heavy = env_u64("AIMS_BENCH_REVIEW_HEAVY", 0) != 0;
	if (!pf || fputs(heavy ? "policy: bench-review\napplies_to: {systems: [credit-score]}\nreview:\n"
			 "  confidence_below: 0.3\n  output_field: decision\n  output_classes: [decline]\n"
			 "  input:\n    channel: [branch]\n  sample_rate: 0.05\n  seed: 1\n" :
			 "policy: bench-review\napplies_to: {systems: [credit-score]}\nreview:\n  confidence_below: 0.03\n"
			 "  output_field: decision\n  output_classes: [refer]\n  input:\n    channel: [branch]\n"
			 "  sample_rate: 0.02\n  seed: 1\n", pf) < 0 || fclose(pf) != 0)
		bench_die("cannot write the policy", NULL);
	write_input(n);
	if (stat(input, &st) != 0)
		bench_die("cannot stat the input", NULL);
	printf("aims:    %s\ninput:   %" PRIu64 " records, %.1f MB; rules: %s\n", aims, n, (double)st.st_size / 1e6,
	       heavy ? "heavy (about 45% selected)" : "realistic (about 10% selected)");

	int aa = env_u64("AIMS_BENCH_REVIEW_AA", 0) != 0;
	if (aa) {
		with.with_policy = 2;
		printf("A/A run: both sides without review rules; the ratio below is the noise of this machine\n");
	}
	int reps = (int)env_u64("AIMS_BENCH_REVIEW_REPS", 21);
	if (reps > BENCH_MAX_REPS)
		reps = BENCH_MAX_REPS;
	bench_pair(&ours, &base, reps, &t_ours, &t_base);
	double c_ours = bench_median(with.cpu, with.n), c_base = bench_median(without.cpu, without.n);

	char title[200];
	snprintf(title, sizeof(title), "aims decision ingest FILE, end to end: with review rules (aims) vs no review "
		 "policy (base), median of %d, alternating", reps);
	bench_table(title, "records", "rec/s");
	bench_row("ingest + selection", (double)n, (double)n / t_ours, (double)n / t_base);
	if (aa)
		printf("\n  wall time    side 1 %.2f s, side 2 %.2f s, both without rules: ratio %.3f (noise: %+.1f%%)\n",
		       t_ours, t_base, t_ours / t_base, (t_ours / t_base - 1) * 100);
	else
		printf("\n  wall time    with rules %.2f s, without %.2f s: ratio %.3f (selection adds %+.1f%%; target <= +10%%)\n",
		       t_ours, t_base, t_ours / t_base, (t_ours / t_base - 1) * 100);
	printf("  CPU time     with rules %.2f s, without %.2f s: ratio %.3f\n", c_ours, c_base, c_ours / c_base);
	/* apart: on a virtual machine the kernel's copying of written bytes into the page cache (system
	 * time) varies from run to run by more than the whole effect measured (docs/benchmarks.md) */
	double u_ours = bench_median(with.user, with.n), u_base = bench_median(without.user, without.n);
	double s_ours = bench_median(with.sys, with.n), s_base = bench_median(without.sys, without.n);
	printf("  of which     user %.2f s / %.2f s (ratio %.3f), system %.2f s / %.2f s (ratio %.3f)\n", u_ours,
	       u_base, u_ours / u_base, s_ours, s_base, s_base > 0 ? s_ours / s_base : 0.0);
	printf("  peak RSS     with rules %ld KiB, without %ld KiB\n", with.rss_kb, without.rss_kb);
	printf("  selected     %s of %" PRIu64 " records per ingest\n", with.selected[0] ? with.selected : "?", n);
	if (env_u64("AIMS_BENCH_KEEP", 0))
		printf("  kept         %s\n", tmpdir);
	else
		rm_tree(tmpdir);
	return 0;
}
