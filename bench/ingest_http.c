/*
 * Benchmark of decision ingest over HTTP against the command line, on the
 * same generated NDJSON file, as users run them: `aims decision ingest
 * --system S FILE` (a process, end to end: reading, canonicalizing,
 * checking the model against the inventory, appending, committing, signing
 * the checkpoint) and `aims serve` receiving the same records as POST
 * /api/v1/systems/S/decisions requests with a service account's token
 * (curl --data-binary, batches of BATCH records, one request after the
 * other, the server buffering each body and running the same ingest). Each
 * round ingests into a fresh decision log for each path; the two alternate,
 * three rounds, and the medians of records/s and their ratio are printed
 * beside the peak RSS of the CLI process and of the server.
 *
 * Usage: build/bench/ingest_http [RECORDS [BATCH]]   (AIMS=path/to/aims, default build/aims;
 *        defaults 200000 records, batches of 50000)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <jansson.h>

#include "bench.h"

#define ROUNDS 3

static const char *aims;
static char dir[512];
static char db[600];
static pid_t server = -1;

/* a benchmark that stops early (bench_die) stops its server too */
static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
}

/* run a command (argv), standard output into *out (may be NULL); the exit status; peak RSS in KiB */
static int run(char **out, long *rss_kb, char *const argv[])
{
	int fd[2];
	if (pipe(fd) < 0)
		bench_die("pipe", strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	while (buf && (r = read(fd[0], buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (n + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			bench_die("out of memory", NULL);
	}
	close(fd[0]);
	int st = 0;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0)
		bench_die("wait4", strerror(errno));
	if (rss_kb)
		*rss_kb = ru.ru_maxrss;
	if (buf)
		buf[n] = '\0';
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *aims_ok(const char *what, char *const argv[])
{
	char *out = NULL;
	if (run(&out, NULL, argv) != 0)
		bench_die(what, out);
	return out;
}

/* one realistic record, about 270 bytes */
static void record(FILE *f, long i)
{
	fprintf(f, "{\"time\":\"2026-03-%02ldT%02ld:%02ld:%02ldZ\",\"model\":\"credit-score@2.1\",\"input_digest\":"
		"\"sha256:%064lx\",\"output\":{\"approve\":%s,\"limit\":%ld},\"confidence\":0.%06ld,"
		"\"explanation\":\"income above threshold; debt ratio %ld%%\"}\n",
		1 + i % 28, i / 3600 % 24, i / 60 % 60, i % 60, (unsigned long)i * 2654435761UL, i % 3 ? "true" : "false",
		1000 + i % 9000, (i * 7919) % 1000000, i % 100);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
	long batch = argc > 2 ? strtol(argv[2], NULL, 10) : 50000;
	char key[600], portf[600], file[600], model[600], port_s[32];
	aims = getenv("AIMS") ? getenv("AIMS") : "build/aims";

	if (n <= 0 || batch <= 0)
		bench_die("usage", "ingest_http [RECORDS [BATCH]]");
	bench_tmpdir(dir, sizeof(dir), "ingest-http");
	snprintf(db, sizeof(db), "%s/aims.db", dir);
	snprintf(key, sizeof(key), "%s/k.key", dir);
	snprintf(portf, sizeof(portf), "%s/port", dir);
	snprintf(file, sizeof(file), "%s/all.ndjson", dir);
	snprintf(model, sizeof(model), "%s/model.bin", dir);

	/* the store: a ledger key, the model, a service account with a token (as a user sets it up) */
	FILE *m = fopen(model, "w");
	if (!m || fputs("weights\n", m) < 0 || fclose(m) != 0)
		bench_die("model file", strerror(errno));
	free(aims_ok("init", (char *const[]){ (char *)aims, "--db", db, "init", NULL }));
	free(aims_ok("keygen", (char *const[]){ (char *)aims, "ledger", "keygen", "--name", "bench.example/aims", "--out",
						key, NULL }));
	free(aims_ok("setup", (char *const[]){ (char *)aims, "--db", db, "ledger", "setup", "--key", key, NULL }));
	free(aims_ok("model", (char *const[]){ (char *)aims, "--db", db, "model", "register", "credit-score@2.1",
					       "--file", model, NULL }));
	free(aims_ok("user", (char *const[]){ (char *)aims, "--db", db, "user", "add", "svc", "--role", "service",
					      "--json", NULL }));
	char *tj = aims_ok("token", (char *const[]){ (char *)aims, "--db", db, "token", "create", "--user", "svc",
						     "--json", NULL });
	json_t *tdoc = json_loads(tj, 0, NULL);
	const char *tok = json_string_value(json_object_get(tdoc, "token"));
	if (!tok)
		bench_die("token", tj);
	free(tj);
	char auth[512];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);

	/* the input: one file for the CLI, the same bytes in batches for HTTP */
	FILE *all = fopen(file, "w");
	long nbatches = (n + batch - 1) / batch;
	if (!all)
		bench_die("input", strerror(errno));
	for (long b = 0; b < nbatches; b++) {
		char bf[640];
		snprintf(bf, sizeof(bf), "%s/batch-%ld.ndjson", dir, b);
		FILE *f = fopen(bf, "w");
		if (!f)
			bench_die("batch file", strerror(errno));
		for (long i = b * batch; i < n && i < (b + 1) * batch; i++) {
			record(f, i);
			record(all, i);
		}
		if (fclose(f) != 0)
			bench_die("batch file", strerror(errno));
	}
	if (fclose(all) != 0)
		bench_die("input", strerror(errno));
	struct stat st;
	stat(file, &st);

	/* the server: request bodies of streams may be 64 x --max-body */
	char maxb[32];
	snprintf(maxb, sizeof(maxb), "%ld", (long)(batch * 400 / 64 + 65536));
	server = fork();
	if (server == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2);
		execl(aims, aims, "--db", db, "serve", "--listen", "127.0.0.1:0", "--port-file", portf, "--max-body", maxb,
		      (char *)NULL);
		_exit(127);
	}
	atexit(stop_server);
	snprintf(port_s, sizeof(port_s), "%d", bench_wait_port(portf, aims));

	printf("# decision ingest: %ld records (%.1f MB, about %ld bytes each); CLI: aims decision ingest FILE; "
	       "HTTP: POST /api/v1/systems/S/decisions, %ld requests of %ld records (curl, one after the other); "
	       "median of %d alternating rounds, a fresh log each\n", n, st.st_size / 1e6, (long)(st.st_size / n),
	       nbatches, batch, ROUNDS);
	double cli_rps[ROUNDS], http_rps[ROUNDS];
	long cli_kb = 0;
	for (int r = 0; r < ROUNDS; r++) {
		char sys_c[32], sys_h[32], url[256];
		long kb = 0;
		snprintf(sys_c, sizeof(sys_c), "cli-%d", r);
		snprintf(sys_h, sizeof(sys_h), "http-%d", r);
		free(aims_ok("system", (char *const[]){ (char *)aims, "--db", db, "system", "add", sys_c, NULL }));
		free(aims_ok("system", (char *const[]){ (char *)aims, "--db", db, "system", "add", sys_h, NULL }));

		double t0 = bench_now();
		char *out = NULL;
		if (run(&out, &kb, (char *const[]){ (char *)aims, "--db", db, "decision", "ingest", "--system", sys_c, file,
						     NULL }) != 0)
			bench_die("aims decision ingest", out);
		double tc = bench_now() - t0;
		free(out);
		if (kb > cli_kb)
			cli_kb = kb;

		snprintf(url, sizeof(url), "http://127.0.0.1:%s/api/v1/systems/%s/decisions", port_s, sys_h);
		t0 = bench_now();
		for (long b = 0; b < nbatches; b++) {
			char bf[660], code[8];
			snprintf(bf, sizeof(bf), "@%s/batch-%ld.ndjson", dir, b);
			out = NULL;
			if (run(&out, NULL, (char *const[]){ "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X",
							     "POST", "-H", auth, "-H",
							     "Content-Type: application/x-ndjson", "--data-binary", bf,
							     url, NULL }) != 0 || !out || strcmp(out, "200") != 0) {
				snprintf(code, sizeof(code), "%.3s", out ? out : "");
				bench_die("POST decisions answered", code);
			}
			free(out);
		}
		double th = bench_now() - t0;
		cli_rps[r] = n / tc;
		http_rps[r] = n / th;
		printf("# round %d: CLI %.0f records/s (%.2f s); HTTP %.0f records/s (%.2f s)\n", r + 1, cli_rps[r], tc,
		       http_rps[r], th);
	}
	long server_kb = bench_vm_hwm_kb(server);
	double c = bench_median(cli_rps, ROUNDS), h = bench_median(http_rps, ROUNDS);
	printf("%-44s %12s %10s %12s\n", "case", "records/s", "MB/s", "peak RSS MiB");
	printf("%-44s %12.0f %10.1f %12.1f\n", "aims decision ingest FILE (CLI, end to end)", c,
	       c * ((double)st.st_size / n) / 1e6, cli_kb / 1024.0);
	printf("%-44s %12.0f %10.1f %12.1f\n", "POST /api/v1/systems/S/decisions (aims serve)", h,
	       h * ((double)st.st_size / n) / 1e6, server_kb / 1024.0);
	printf("ratio HTTP/CLI records/s: %.2f (target >= 0.50)\n", h / c);

	stop_server();
	json_decref(tdoc);
	char rm[600];
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "bench: could not remove %s\n", dir);
	return 0;
}
