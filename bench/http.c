/*
 * Benchmark of the HTTP API as clients use it: wrk (Debian package) at 64
 * connections against `aims serve` (the real binary, a real store, token
 * authentication, the operation table, JSON from the library) for
 * GET /api/v1/systems, and against a bare libmicrohttpd handler in this
 * process that returns the same bytes with the same thread pool: the
 * baseline is what the HTTP library alone costs on this machine now. The
 * two alternate, three rounds each; the medians and their ratio are
 * printed with p99 latency and the peak RSS of both servers.
 *
 * Usage: build/bench/http [SECONDS]   (AIMS=path/to/aims, default build/aims)
 */
#include <errno.h>
#include <microhttpd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "aims/aims.h"
#include "bench.h"

#define SYSTEMS 20
#define ROUNDS 3
#define THREADS 4

static char *payload;
static size_t payload_len;

static enum MHD_Result bare(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)cls; (void)url; (void)method; (void)version; (void)upload; (void)upload_size;
	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(payload_len, payload, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result rc = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return rc;
}

typedef struct {
	double rps, p99_ms;
} wrk_result;

static double unit_ms(const char *u)
{
	if (strncmp(u, "us", 2) == 0)
		return 1e-3;
	if (strncmp(u, "ms", 2) == 0)
		return 1;
	if (u[0] == 's')
		return 1000;
	if (u[0] == 'm')
		return 60000;
	return 1;
}

static wrk_result run_wrk(int port, const char *path, const char *token, int seconds)
{
	char cmd[1024];
	wrk_result w = { 0, 0 };
	snprintf(cmd, sizeof(cmd), "wrk -t2 -c64 -d%ds --latency -H 'Authorization: Bearer %s' "
		 "http://127.0.0.1:%d%s 2>&1", seconds, token, port, path);
	FILE *p = popen(cmd, "r");
	char line[512];
	if (!p)
		bench_die("cannot run wrk", strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		double v;
		char u[8];
		if (sscanf(line, " Requests/sec: %lf", &v) == 1)
			w.rps = v;
		if (sscanf(line, " 99%% %lf%7s", &v, u) == 2)
			w.p99_ms = v * unit_ms(u);
		if (strstr(line, "Non-2xx"))
			bench_die("wrk saw non-2xx answers", line);
	}
	if (pclose(p) != 0 || w.rps <= 0)
		bench_die("wrk failed (is the Debian package wrk installed?)", cmd);
	return w;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median3(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmp_d);
	return v[ROUNDS / 2];
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 8;
	const char *aims = getenv("AIMS") ? getenv("AIMS") : "build/aims";
	char dir[512], db[600], portf[600];
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_principal admin = { AIMS_PRINCIPAL_ACCOUNT, "bench-admin", AIMS_ROLE_ADMIN };
	aims_principal me = { AIMS_PRINCIPAL_ACCOUNT, "bench", AIMS_ROLE_AUDITOR };
	char *pw = NULL, *token = NULL, *id = NULL;

	bench_tmpdir(dir, sizeof(dir), "http");
	snprintf(db, sizeof(db), "%s/aims.db", dir);
	snprintf(portf, sizeof(portf), "%s/port", dir);
	so.create = 1;
	if (aims_store_open(&s, db, &so) < 0 || aims_store_set_principal(s, &admin) < 0)
		bench_die("store", aims_error_last());
	for (int i = 0; i < SYSTEMS; i++) {
		char name[32];
		aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
		f.purpose = "credit scoring for consumer loans";
		f.owner = "Head of Credit";
		snprintf(name, sizeof(name), "system-%02d", i);
		if (aims_system_add(s, name, &f) < 0)
			bench_die("system add", aims_error_last());
	}
	if (aims_account_add(&pw, s, "bench", AIMS_ROLE_AUDITOR, NULL) < 0 || aims_store_set_principal(s, &me) < 0 ||
	    aims_token_create(&token, &id, s, "bench", NULL, "benchmark") < 0)
		bench_die("account", aims_error_last());
	/* the baseline's bytes are the API's document for this store */
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx = { 0 };
	ctx.store = s;
	if (aims_op_call(&res, aims_op_find("system.list"), &ctx, NULL) < 0)
		bench_die("system.list", aims_error_last());
	payload = json_dumps(res.json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	payload_len = strlen(payload);
	aims_op_result_release(&res);
	aims_store_free(s);

	pid_t child = fork();
	if (child == 0) {
		char threads[8];
		snprintf(threads, sizeof(threads), "%d", THREADS);
		execl(aims, aims, "--db", db, "serve", "--listen", "127.0.0.1:0", "--port-file", portf, "--threads", threads,
		      (char *)NULL);
		_exit(127);
	}
	int aims_port = bench_wait_port(portf, aims);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, bare, NULL,
						MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS, MHD_OPTION_END);
	if (!d)
		bench_die("bare libmicrohttpd", NULL);
	int bare_port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;

	printf("# HTTP API: GET /api/v1/systems (%d systems, %zu bytes), wrk -t2 -c64 -d%ds, %d server threads, "
	       "median of %d alternating rounds\n", SYSTEMS, payload_len, seconds, THREADS, ROUNDS);
	double a_rps[ROUNDS], b_rps[ROUNDS], a_p99[ROUNDS], b_p99[ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		wrk_result b = run_wrk(bare_port, "/api/v1/systems", token, seconds);
		wrk_result a = run_wrk(aims_port, "/api/v1/systems", token, seconds);
		b_rps[r] = b.rps;
		b_p99[r] = b.p99_ms;
		a_rps[r] = a.rps;
		a_p99[r] = a.p99_ms;
		printf("# round %d: bare %.0f req/s p99 %.2f ms; aims %.0f req/s p99 %.2f ms\n", r + 1, b.rps, b.p99_ms,
		       a.rps, a.p99_ms);
	}
	long aims_kb = bench_vm_hwm_kb(child);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double ar = median3(a_rps), br = median3(b_rps), ap = median3(a_p99), bp = median3(b_p99);
	printf("%-34s %12s %10s %12s\n", "case", "requests/s", "p99 ms", "peak RSS MiB");
	printf("%-34s %12.0f %10.2f %12.1f\n", "bare libmicrohttpd, same bytes", br, bp, ru.ru_maxrss / 1024.0);
	printf("%-34s %12.0f %10.2f %12.1f\n", "aims serve GET /api/v1/systems", ar, ap, aims_kb / 1024.0);
	printf("ratio aims/bare requests/s: %.2f (target >= 0.50); aims p99 %.2f ms (target < 10 ms)\n", ar / br, ap);

	MHD_stop_daemon(d);
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	free(payload);
	free(pw);
	free(token);
	free(id);
	char rm[600];
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "bench: could not remove %s\n", dir);
	return 0;
}
