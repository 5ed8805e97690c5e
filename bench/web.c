/*
 * Benchmark of the web UI as a browser uses it: a signed-in session asks
 * `aims serve` (the real binary on a real store) for the dashboard and for a
 * system's page, against the baseline of asking the same server, with the
 * same session and connection, for the API documents the page is built from
 * (the same operations, one request each; lists fetched whole with
 * limit=1000 pages). The two alternate; the medians of the time per page and
 * their ratio are printed with the server's peak RSS. Two store sizes: the
 * demo's (1 AI system, 20 risks) and 100 AI systems with 2,000 risks.
 * The API and the pages answer repeated reads from the worker's caches while
 * the store is unchanged (AIMS_OP_CACHEABLE documents); the "store just
 * changed" rows make a write from another handle before every request, so
 * both build every document from the store.
 *
 * Usage: build/bench/web [REPS]   (AIMS=path/to/aims, default build/aims; run from the source tree)
 */
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "aims/aims.h"
#include "bench.h"

typedef struct {
	CURL *h;
	aims_store *touch;           /* cold cases: a handle of this process that changes the store first */
	int port;
	const char *const *paths;    /* requests of one sample; a path ending in '*' is a list fetched whole */
	long status_want;            /* 200 for pages */
	size_t bytes;
} client;

static size_t sink(char *p, size_t sz, size_t n, void *ud)
{
	client *c = ud;
	(void)p;
	c->bytes += sz * n;
	return sz * n;
}

static long total_count;

static size_t header(char *p, size_t sz, size_t n, void *ud)
{
	(void)ud;
	if (sz * n > 15 && strncasecmp(p, "X-Total-Count:", 14) == 0)
		total_count = strtol(p + 14, NULL, 10);
	return sz * n;
}

static long get(client *c, const char *path)
{
	char url[1024];
	long code = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", c->port, path);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	if (curl_easy_perform(c->h) != CURLE_OK)
		bench_die("request failed", url);
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

/* untimed: a write from another handle moves the store's data version, so the server's caches are dropped */
static int touch(void *ctx)
{
	client *c = ctx;
	static int n;
	char v[32];
	snprintf(v, sizeof(v), "%d", ++n);
	return c->touch && aims_store_setting_set(c->touch, "bench.touch", v) < 0;
}

static int run_page(void *ctx)
{
	client *c = ctx;
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
	for (const char *const *p = c->paths; *p; p++)
		if (get(c, *p) != 200)
			bench_die("the page did not answer 200", *p);
	return 0;
}

static int run_api(void *ctx)
{
	client *c = ctx;
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
	for (const char *const *p = c->paths; *p; p++) {
		size_t n = strlen(*p);
		if ((*p)[n - 1] != '*') {
			(void)get(c, *p); /* 200, or 404 where the page too finds nothing (no classification) */
			continue;
		}
		/* a list: every page of it, as a client reading all of it must */
		for (long off = 0;; off += 1000) {
			char path[512];
			snprintf(path, sizeof(path), "%.*s%climit=1000&offset=%ld", (int)(n - 1), *p,
				 memchr(*p, '?', n) ? '&' : '?', off);
			total_count = 0;
			if (get(c, path) != 200)
				bench_die("an API list did not answer 200", path);
			if (off + 1000 >= total_count)
				break;
		}
	}
	return 0;
}

static void sh(const char *cmd)
{
	if (system(cmd) != 0)
		bench_die("command failed", cmd);
}

/* a store of `systems` AI systems, 20 library risks each, system-00 classified; returns the session password */
static char *make_store(const char *aims, const char *dir, const char *db, int systems)
{
	char cmd[2048];
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_principal admin = { AIMS_PRINCIPAL_ACCOUNT, "bench-admin", AIMS_ROLE_ADMIN };
	char *pw = NULL;
	snprintf(cmd, sizeof(cmd), "'%s' --db '%s' init --org 'Bench GmbH' > /dev/null && "
		 "'%s' --db '%s' isms import examples/isms-soa.csv > /dev/null", aims, db, aims, db);
	sh(cmd);
	if (aims_store_open(&s, db, &so) < 0 || aims_store_set_principal(s, &admin) < 0)
		bench_die("store", aims_error_last());
	if (aims_account_add(&pw, s, "bench", AIMS_ROLE_COMPLIANCE_MANAGER, NULL) < 0)
		bench_die("account", aims_error_last());
	for (int i = 0; i < systems; i++) {
		char name[32];
		aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
		f.purpose = "score consumer credit applications";
		f.owner = "Head of Credit";
		snprintf(name, sizeof(name), "system-%02d", i);
		if (aims_system_add(s, name, &f) < 0 || aims_risk_library_add(NULL, s, name, NULL, "bench") < 0)
			bench_die("system", aims_error_last());
	}
	aims_store_free(s);
	snprintf(cmd, sizeof(cmd), "'%s' --db '%s' aiact classify system-00 --answers examples/aiact-credit-score.yaml "
		 "> /dev/null", aims, db);
	sh(cmd);
	(void)dir;
	return pw;
}

static void measure(const char *aims, int systems, int reps)
{
	char dir[512], db[600], portf[600], body[256], rm[600];
	bench_tmpdir(dir, sizeof(dir), "web");
	snprintf(db, sizeof(db), "%s/aims.db", dir);
	snprintf(portf, sizeof(portf), "%s/port", dir);
	char *pw = make_store(aims, dir, db, systems);

	pid_t child = fork();
	if (child == 0) {
		execl(aims, aims, "--db", db, "serve", "--listen", "127.0.0.1:0", "--port-file", portf, "--threads", "4",
		      (char *)NULL);
		_exit(127);
	}

	client c = { 0 };
	c.port = bench_wait_port(portf, aims);
	c.h = curl_easy_init();
	curl_easy_setopt(c.h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(c.h, CURLOPT_HEADERFUNCTION, header);
	/* sign in once: pages and API calls go with the same session cookie */
	char url[128];
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/session", c.port);
	snprintf(body, sizeof(body), "{\"user\": \"bench\", \"password\": \"%s\"}", pw);
	curl_easy_setopt(c.h, CURLOPT_URL, url);
	curl_easy_setopt(c.h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c.h, CURLOPT_POSTFIELDS, body);
	long code = 0;
	if (curl_easy_perform(c.h) != CURLE_OK || (curl_easy_getinfo(c.h, CURLINFO_RESPONSE_CODE, &code), code != 201))
		bench_die("sign-in failed", NULL);
	curl_easy_setopt(c.h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdr);
	memset(body, 0, sizeof(body));

	/* the dashboard's operations: gap.analysis, doc.due, risk.list, assess.list, system.list, eval.list,
	   and aiact.obligations of each system */
	static const char *const dash_page[] = { "/", NULL };
	const char **dash_api = calloc((size_t)systems + 8, sizeof(char *));
	char (*obl)[96] = calloc((size_t)systems, sizeof(*obl));
	if (!dash_api || !obl)
		bench_die("out of memory", NULL);
	int k = 0;
	dash_api[k++] = "/api/v1/gap-analysis";
	dash_api[k++] = "/api/v1/document-reviews*";
	dash_api[k++] = "/api/v1/risks*";
	dash_api[k++] = "/api/v1/impact-assessments*";
	dash_api[k++] = "/api/v1/systems*";
	dash_api[k++] = "/api/v1/evaluations*";
	for (int i = 0; i < systems; i++) {
		snprintf(obl[i], sizeof(obl[i]), "/api/v1/systems/system-%02d/aiact-obligations", i);
		dash_api[k++] = obl[i];
	}
	/* a system's page: system.show, lineage.graph (SVG), aiact.show, and its risks, assessments,
	   evaluations, deployments and obligations */
	static const char *const sys_page[] = { "/systems/system-00", NULL };
	static const char *const sys_api[] = { "/api/v1/systems/system-00",
		"/api/v1/lineage/graph?ref=system:system-00&format=svg", "/api/v1/systems/system-00/aiact-classification",
		"/api/v1/risks?system=system-00*", "/api/v1/impact-assessments?system=system-00*",
		"/api/v1/evaluations?system=system-00*", "/api/v1/deployments?system=system-00*",
		"/api/v1/systems/system-00/aiact-obligations", NULL };

	client page = c, api = c;
	bench_case cp = { NULL, run_page, NULL, &page, 0 }, ca = { NULL, run_api, NULL, &api, 0 };
	double tp, ta;
	page.paths = dash_page;
	api.paths = dash_api;
	bench_pair(&cp, &ca, reps, &tp, &ta);
	size_t pb = page.bytes;
	printf("  %-40s %8d %12.2f %12.2f %9.2fx\n", "dashboard  GET /", systems, tp * 1e3, ta * 1e3, tp / ta);
	page.paths = sys_page;
	api.paths = sys_api;
	cp.iters = ca.iters = 0;
	bench_pair(&cp, &ca, reps, &tp, &ta);
	printf("  %-40s %8d %12.2f %12.2f %9.2fx\n", "system page GET /systems/system-00", systems, tp * 1e3, ta * 1e3,
	       tp / ta);
	/* cold: every request after a change of the store, so neither the API nor the pages can use a cache */
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_principal admin = { AIMS_PRINCIPAL_ACCOUNT, "bench-admin", AIMS_ROLE_ADMIN };
	if (aims_store_open(&page.touch, db, &so) < 0 || aims_store_set_principal(page.touch, &admin) < 0)
		bench_die("store", aims_error_last());
	api.touch = page.touch;
	cp.setup = ca.setup = touch;
	cp.iters = ca.iters = 1;
	page.paths = dash_page;
	api.paths = dash_api;
	bench_pair(&cp, &ca, reps, &tp, &ta);
	printf("  %-40s %8d %12.2f %12.2f %9.2fx\n", "dashboard, store just changed", systems, tp * 1e3, ta * 1e3, tp / ta);
	page.paths = sys_page;
	api.paths = sys_api;
	bench_pair(&cp, &ca, reps, &tp, &ta);
	printf("  %-40s %8d %12.2f %12.2f %9.2fx\n", "system page, store just changed", systems, tp * 1e3, ta * 1e3,
	       tp / ta);
	aims_store_free(page.touch);
	printf("  server peak RSS %.1f MiB (%zu page bytes read)\n", bench_vm_hwm_kb(child) / 1024.0, pb + page.bytes);

	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	curl_easy_cleanup(c.h);
	free(dash_api);
	free(obl);
	free(pw);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (getenv("AIMS_BENCH_KEEP"))
		printf("  (store kept: %s)\n", db);
	else if (system(rm) != 0)
		fprintf(stderr, "bench: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 7;
	const char *aims = getenv("AIMS") ? getenv("AIMS") : "build/aims";
	curl_global_init(CURL_GLOBAL_DEFAULT);
	bench_header(argc, argv, "web UI: pages rendered by aims serve vs the API requests they are built from");
	printf("\none signed-in session, one keep-alive connection, median of %d alternating repetitions\n", reps);
	printf("  %-40s %8s %12s %12s %10s\n", "page", "systems", "page ms", "API ms", "ratio");
	measure(aims, 1, reps);
	measure(aims, 100, reps);
	printf("ratio = page time / time of its API requests (target <= 2.00)\n");
	curl_global_cleanup();
	return 0;
}
