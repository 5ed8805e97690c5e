/*
 * Benchmark of the store backends (SQLite file, PostgreSQL database) on the
 * paths users run, each against a plain baseline on the same backend in the
 * same run (see bench/bench.h and docs/benchmarks.md):
 *
 *  (a) governance writes: aims_op_call("system.add") - permission check,
 *      validation, one write transaction (the writers' lock, the AI system
 *      and its first version, the ledger entry and its tiles) and, as a
 *      ledger key is recorded, a signed checkpoint after it - against plain
 *      INSERTs of a 300-byte row into a table of the same database through
 *      the backend's own client (sqlite3 / libpq): one row per transaction,
 *      and 100 rows per transaction;
 *  (b) the same with 4 writers at once (a handle each), against 4 plain
 *      inserters;
 *  (c) API reads: GET /api/v1/systems/NAME from `aims serve` on the store
 *      (libcurl, keep-alive), 1 and 4 clients, against the same read
 *      through aims_op_call("system.show") in this process.
 *
 * SQLite runs on a file in $TMPDIR (or /tmp). PostgreSQL runs when
 * AIMS_BENCH_PG (a postgres:// URL ending in '/', to which a database name
 * is appended) or AIMS_TEST_DB_URL_BASE is set: `make bench` runs the
 * benchmarks under tests/pg-harness.sh with AIMS_PG_DURABLE=1, so the server
 * syncs its commits as SQLite does (synchronous = FULL). The databases are
 * created by aims and dropped at the end.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
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
#include "bench.h"

#define REPS 5
#define WRITES_PER_REP 20
#define ROWS_PER_REP 200
#define BATCH 100
#define THREADS 4
#define READ_SECONDS 0.5

static char tmpdir[512];
static char aims_bin[1024];

static void die_aims(const char *what)
{
	bench_die(what, aims_error_last());
}

typedef struct {
	const char *backend;     /* "sqlite" or "postgres" */
	char url[1200];          /* the aims store */
	char raw[1200];          /* the baseline's database: a file, or a conninfo URL */
	char admin[1200];        /* PostgreSQL: the maintenance database */
	char dbname[64], rawname[64];
} target;

/* ---- plain inserts through the backend's own client ---- */

typedef struct {
	const target *t;
	sqlite3 *db;
	PGconn *pg;
	long next;
	int batch;               /* rows per transaction */
	char row[301];
} raw_ctx;

static void raw_open(raw_ctx *r, const target *t)
{
	memset(r, 0, sizeof(*r));
	memset(r->row, 'x', 300);
	r->row[300] = '\0';
	r->t = t;
	if (strcmp(t->backend, "sqlite") == 0) {
		if (sqlite3_open(t->raw, &r->db) != SQLITE_OK ||
		    sqlite3_exec(r->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
				 "PRAGMA busy_timeout = 10000; "
				 "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
				 NULL, NULL, NULL) != SQLITE_OK)
			bench_die("sqlite baseline", sqlite3_errmsg(r->db));
	} else {
		r->pg = PQconnectdb(t->raw);
		if (PQstatus(r->pg) != CONNECTION_OK)
			bench_die("postgres baseline", PQerrorMessage(r->pg));
		PGresult *res = PQexec(r->pg, "SET client_min_messages = warning; "
					      "CREATE TABLE IF NOT EXISTS rows (id BIGINT PRIMARY KEY, body TEXT NOT NULL)");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			bench_die("postgres baseline", PQresultErrorMessage(res));
		PQclear(res);
		res = PQprepare(r->pg, "ins", "INSERT INTO rows (id, body) VALUES ($1, $2)", 2, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			bench_die("postgres baseline", PQresultErrorMessage(res));
		PQclear(res);
	}
}

static void raw_close(raw_ctx *r)
{
	if (r->db)
		sqlite3_close(r->db);
	if (r->pg)
		PQfinish(r->pg);
}

static void pg_must(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		bench_die(sql, PQresultErrorMessage(res));
	PQclear(res);
}

/* ROWS_PER_REP rows in transactions of r->batch rows */
static int raw_run(void *ctx)
{
	raw_ctx *r = ctx;
	if (r->db) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(r->db, "INSERT INTO rows (id, body) VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
			return 1;
		for (long i = 0; i < ROWS_PER_REP; i++) {
			if (r->batch > 1 && i % r->batch == 0 && sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
				return 1;
			sqlite3_bind_int64(st, 1, r->next++);
			sqlite3_bind_text(st, 2, r->row, 300, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				bench_die("sqlite baseline insert", sqlite3_errmsg(r->db));
			sqlite3_reset(st);
			if (r->batch > 1 && (i + 1) % r->batch == 0 &&
			    sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
				return 1;
		}
		sqlite3_finalize(st);
		return 0;
	}
	for (long i = 0; i < ROWS_PER_REP; i++) {
		char id[32];
		const char *vals[2] = { id, r->row };
		if (r->batch > 1 && i % r->batch == 0)
			pg_must(r->pg, "BEGIN");
		snprintf(id, sizeof(id), "%ld", r->next++);
		PGresult *res = PQexecPrepared(r->pg, "ins", 2, vals, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			bench_die("postgres baseline insert", PQresultErrorMessage(res));
		PQclear(res);
		if (r->batch > 1 && (i + 1) % r->batch == 0)
			pg_must(r->pg, "COMMIT");
	}
	return 0;
}

/* ---- governance writes through the operation table ---- */

typedef struct {
	aims_store *s;
	const char *prefix;
	long next;
} gov_ctx;

static void act_as_admin(aims_store *s)
{
	aims_principal p;
	memset(&p, 0, sizeof(p));
	p.kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(p.name, sizeof(p.name), "bench-admin");
	p.roles = AIMS_ROLE_ADMIN;
	if (aims_store_set_principal(s, &p) < 0)
		die_aims("principal");
}

static aims_store *open_store(const char *url, int create)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = create;
	o.busy_timeout_ms = 30000;
	if (aims_store_open(&s, url, &o) < 0)
		die_aims(url);
	act_as_admin(s);
	return s;
}

static int op(aims_store *s, const char *name, json_t *req, aims_op_result *res)
{
	aims_op_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.client = "cli";
	int rc = aims_op_call(res, aims_op_find(name), &ctx, req);
	json_decref(req);
	return rc;
}

static int gov_run(void *arg)
{
	gov_ctx *g = arg;
	for (int i = 0; i < WRITES_PER_REP; i++) {
		char name[64];
		aims_op_result res = AIMS_OP_RESULT_INIT;
		snprintf(name, sizeof(name), "%s-%06ld", g->prefix, g->next++);
		if (op(g->s, "system.add", json_pack("{s:s, s:s}", "name", name, "purpose", "benchmark"), &res) < 0)
			die_aims("system.add");
		if (res.warning)
			bench_die("system.add", res.warning);
		aims_op_result_release(&res);
	}
	return 0;
}

/* ---- several at once ---- */

typedef struct {
	bench_case *c;
	pthread_barrier_t *gate;
} thread_arg;

static void *thread_main(void *arg)
{
	thread_arg *a = arg;
	pthread_barrier_wait(a->gate);
	if (a->c->run(a->c->ctx) != 0)
		bench_die("thread", NULL);
	return NULL;
}

/* seconds for THREADS cases run at once, one call each */
static double parallel(bench_case *cs)
{
	pthread_t th[THREADS];
	thread_arg args[THREADS];
	pthread_barrier_t gate;
	pthread_barrier_init(&gate, NULL, THREADS + 1);
	for (int i = 0; i < THREADS; i++) {
		args[i].c = &cs[i];
		args[i].gate = &gate;
		if (pthread_create(&th[i], NULL, thread_main, &args[i]) != 0)
			bench_die("pthread_create", strerror(errno));
	}
	pthread_barrier_wait(&gate);
	double t0 = bench_now();
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	double t = bench_now() - t0;
	pthread_barrier_destroy(&gate);
	return t;
}

/* ---- API reads ---- */

typedef struct {
	pid_t pid;
	int port;
	char token[256];
} server;

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	*(size_t *)arg += size * n;
	return size * n;
}

typedef struct {
	const server *srv;
	CURL *curl;
	struct curl_slist *hdrs;
	double seconds;
	long reads;
	size_t bytes;
} reader;

static void reader_init(reader *r, const server *srv)
{
	char url[128], auth[300];
	memset(r, 0, sizeof(*r));
	r->srv = srv;
	r->curl = curl_easy_init();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/systems/credit", srv->port);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", srv->token);
	r->hdrs = curl_slist_append(NULL, auth);
	curl_easy_setopt(r->curl, CURLOPT_URL, url);
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, &r->bytes);
}

/* GETs for READ_SECONDS on one keep-alive connection */
static int reader_run(void *arg)
{
	reader *r = arg;
	double t0 = bench_now(), t;
	do {
		long status = 0;
		if (curl_easy_perform(r->curl) != CURLE_OK)
			bench_die("GET", "request failed");
		curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status != 200)
			bench_die("GET /api/v1/systems/credit", "status is not 200");
		r->reads++;
		t = bench_now() - t0;
	} while (t < READ_SECONDS);
	r->seconds = t;
	return 0;
}

static void reader_free(reader *r)
{
	curl_slist_free_all(r->hdrs);
	curl_easy_cleanup(r->curl);
}

static void server_start(server *srv, const target *t)
{
	char portfile[600], threads[16];
	snprintf(portfile, sizeof(portfile), "%s/port-%s", tmpdir, t->backend);
	snprintf(threads, sizeof(threads), "%d", THREADS);
	unlink(portfile);
	srv->pid = fork();
	if (srv->pid < 0)
		bench_die("fork", strerror(errno));
	if (srv->pid == 0) {
		unsetenv("AIMS_TOKEN");
		unsetenv("AIMS_SERVER");
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(aims_bin, aims_bin, "--db", t->url, "serve", "--listen", "127.0.0.1:0", "--port-file", portfile,
		      "--threads", threads, (char *)NULL);
		_exit(127);
	}
	srv->port = bench_wait_port(portfile, aims_bin);
}

static void server_stop(server *srv, double *rss_mib)
{
	int status;
	struct rusage ru;
	kill(srv->pid, SIGTERM);
	if (wait4(srv->pid, &status, 0, &ru) == srv->pid)
		*rss_mib = (double)ru.ru_maxrss / 1024.0;
}

typedef struct {
	aims_store *s;
	long reads;
} inproc_ctx;

static int inproc_run(void *arg)
{
	inproc_ctx *c = arg;
	aims_op_result res = AIMS_OP_RESULT_INIT;
	if (op(c->s, "system.show", json_pack("{s:s}", "name", "credit"), &res) < 0)
		die_aims("system.show");
	aims_op_result_release(&res);
	c->reads++;
	return 0;
}

/* ---- one backend ---- */

static void bench_backend(const target *t)
{
	aims_store *s = open_store(t->url, 1), *ws[THREADS];
	char *skey = NULL, *vkey = NULL, *rec = NULL, keyfile[600];
	double tg, tr1, trb, tp, tpr;

	/* a recorded ledger key: every write signs a checkpoint, as in production */
	snprintf(keyfile, sizeof(keyfile), "%s/bench.key", tmpdir);
	unlink(keyfile);
	if (aims_note_keygen(&skey, &vkey, "bench.example/aims") < 0 || aims_note_key_write(keyfile, skey) < 0 ||
	    aims_ledger_setup(s, keyfile, &rec) < 0)
		die_aims("ledger key");
	aims_note_secret_free(skey);
	free(vkey);
	free(rec);

	printf("\n%s: store %s\n", t->backend, t->url);
	bench_table("(a) governance writes: system.add with a signed checkpoint, against plain INSERTs",
		    "n/rep", "writes|rows/s");
	gov_ctx g = { s, "a", 0 };
	raw_ctx r1, rb;
	raw_open(&r1, t);
	raw_open(&rb, t);
	r1.batch = 1;
	rb.batch = BATCH;
	rb.next = 1000000000L;
	bench_case cg = { NULL, gov_run, NULL, &g, 1 }, c1 = { NULL, raw_run, NULL, &r1, 1 },
		   cb = { NULL, raw_run, NULL, &rb, 1 };
	double a[REPS], b[REPS], c[REPS];
	for (int i = 0; i < REPS; i++) {
		a[i] = bench_rep(&cg) / WRITES_PER_REP;
		b[i] = bench_rep(&c1) / ROWS_PER_REP;
		c[i] = bench_rep(&cb) / ROWS_PER_REP;
	}
	tg = bench_median(a, REPS);
	tr1 = bench_median(b, REPS);
	trb = bench_median(c, REPS);
	bench_row("vs 1 row/transaction", WRITES_PER_REP, 1 / tg, 1 / tr1);
	bench_row("vs 100 rows/transaction", WRITES_PER_REP, 1 / tg, 1 / trb);
	fflush(stdout);

	/* (b) several writers at once */
	bench_case cs[THREADS], rs[THREADS];
	gov_ctx gs[THREADS];
	raw_ctx raws[THREADS];
	static const char *const prefixes[THREADS] = { "b0", "b1", "b2", "b3" };
	for (int i = 0; i < THREADS; i++) {
		ws[i] = open_store(t->url, 0);
		gs[i] = (gov_ctx){ ws[i], prefixes[i], 0 };
		cs[i] = (bench_case){ NULL, gov_run, NULL, &gs[i], 1 };
		raw_open(&raws[i], t);
		raws[i].batch = 1;
		raws[i].next = 2000000000L + 100000000L * i;
		rs[i] = (bench_case){ NULL, raw_run, NULL, &raws[i], 1 };
	}
	for (int i = 0; i < REPS; i++) {
		a[i] = parallel(cs) / (THREADS * WRITES_PER_REP);
		b[i] = parallel(rs) / (THREADS * ROWS_PER_REP);
	}
	tp = bench_median(a, REPS);
	tpr = bench_median(b, REPS);
	bench_table("(b) 4 writers at once, against 4 plain inserters (1 row/transaction)", "n/rep",
		    "writes|rows/s");
	bench_row("4 writers", THREADS * WRITES_PER_REP, 1 / tp, 1 / tpr);
	for (int i = 0; i < THREADS; i++) {
		aims_store_free(ws[i]);
		raw_close(&raws[i]);
	}
	raw_close(&r1);
	raw_close(&rb);
	fflush(stdout);

	/* (c) API reads */
	aims_op_result res = AIMS_OP_RESULT_INIT;
	char *pw = NULL, *tok = NULL;
	if (op(s, "system.add", json_pack("{s:s, s:s}", "name", "credit", "purpose", "score loans"), &res) < 0 ||
	    aims_account_add(&pw, s, "reader", AIMS_ROLE_AUDITOR, NULL) < 0)
		die_aims("reader");
	aims_op_result_release(&res);
	aims_principal p;
	memset(&p, 0, sizeof(p));
	p.kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(p.name, sizeof(p.name), "reader");
	p.roles = AIMS_ROLE_AUDITOR;
	if (aims_store_set_principal(s, &p) < 0 || aims_token_create(&tok, NULL, s, "reader", NULL, "bench") < 0)
		die_aims("token");
	server srv;
	memset(&srv, 0, sizeof(srv));
	snprintf(srv.token, sizeof(srv.token), "%s", tok);
	free(tok);
	free(pw);
	server_start(&srv, t);
	reader rd[THREADS];
	bench_case rcs[THREADS];
	inproc_ctx ip = { s, 0 };
	bench_case ci = { NULL, inproc_run, NULL, &ip, 0 };
	double h1[REPS], hb[REPS], h4[REPS];
	for (int i = 0; i < THREADS; i++) {
		reader_init(&rd[i], &srv);
		rcs[i] = (bench_case){ NULL, reader_run, NULL, &rd[i], 1 };
	}
	bench__calibrate(&ci);
	for (int i = 0; i < REPS; i++) {
		long before = rd[0].reads;
		reader_run(&rd[0]);
		h1[i] = rd[0].seconds / (double)(rd[0].reads - before);
		hb[i] = bench_rep(&ci);
		long b4 = 0;
		for (int k = 0; k < THREADS; k++)
			b4 += rd[k].reads;
		double secs = parallel(rcs);
		long a4 = 0;
		for (int k = 0; k < THREADS; k++)
			a4 += rd[k].reads;
		h4[i] = secs / (double)(a4 - b4);
	}
	double rss = 0;
	for (int i = 0; i < THREADS; i++)
		reader_free(&rd[i]);
	server_stop(&srv, &rss);
	bench_table("(c) API reads: GET /api/v1/systems/credit, against system.show in this process", "clients",
		    "reads/s");
	double t1 = bench_median(h1, REPS), tb = bench_median(hb, REPS), t4 = bench_median(h4, REPS);
	bench_row("1 client, keep-alive", 1, 1 / t1, 1 / tb);
	bench_row("4 clients, keep-alive", THREADS, 1 / t4, 1 / tb);
	printf("  peak RSS of aims serve: %.1f MiB\n", rss);
	aims_store_free(s);
}

/* ---- targets ---- */

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void pg_admin(const target *t, const char *sql)
{
	PGconn *c = PQconnectdb(t->admin);
	if (PQstatus(c) != CONNECTION_OK)
		bench_die("postgres", PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		bench_die(sql, PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(c);
}

int main(int argc, char **argv)
{
	const char *pg = getenv("AIMS_BENCH_PG");
	double t0 = bench_now();
	struct rusage ru;

	if (!pg || !*pg)
		pg = getenv("AIMS_TEST_DB_URL_BASE");
	bench_tmpdir(tmpdir, sizeof(tmpdir), "store");
	/* build/bench/store -> build/aims */
	ssize_t n = readlink("/proc/self/exe", aims_bin, sizeof(aims_bin) - 16);
	if (n <= 0)
		bench_die("cannot find this program", NULL);
	aims_bin[n] = '\0';
	char *slash = strrchr(aims_bin, '/');
	*slash = '\0';
	slash = strrchr(aims_bin, '/');
	if (!slash)
		bench_die("cannot find build/aims", aims_bin);
	snprintf(slash, sizeof(aims_bin) - (size_t)(slash - aims_bin), "/aims");
	if (access(aims_bin, X_OK) != 0)
		bench_die("cannot find the aims binary beside bench/", aims_bin);
	if (aims_global_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die_aims("initialising");

	bench_header(argc, argv, "aims benchmark: store backends (bench/store.c)");
	printf("libs:    aims %s, sqlite %s, libpq %d, %s; temp %s\n", aims_version(), sqlite3_libversion(),
	       PQlibVersion(), curl_version(), tmpdir);
	printf("figures: medians of %d alternating repetitions (%d writes, %d plain rows, %.0f s of reads each);\n"
	       "         time ratio = aims time / baseline time per write, row or read (below 1: aims is faster)\n",
	       REPS, WRITES_PER_REP, ROWS_PER_REP, READ_SECONDS);
	fflush(stdout);

	target sq;
	memset(&sq, 0, sizeof(sq));
	sq.backend = "sqlite";
	snprintf(sq.url, sizeof(sq.url), "%s/gov.db", tmpdir);
	snprintf(sq.raw, sizeof(sq.raw), "%s/plain.db", tmpdir);
	bench_backend(&sq);

	if (pg && *pg) {
		target p;
		memset(&p, 0, sizeof(p));
		p.backend = "postgres";
		snprintf(p.dbname, sizeof(p.dbname), "bench_gov_%d", (int)getpid());
		snprintf(p.rawname, sizeof(p.rawname), "bench_plain_%d", (int)getpid());
		snprintf(p.url, sizeof(p.url), "%s%s", pg, p.dbname);
		snprintf(p.raw, sizeof(p.raw), "%s%s", pg, p.rawname);
		snprintf(p.admin, sizeof(p.admin), "%spostgres", pg);
		char sql[160];
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", p.rawname);
		pg_admin(&p, sql);
		bench_backend(&p);
		snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", p.dbname);
		pg_admin(&p, sql);
		snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", p.rawname);
		pg_admin(&p, sql);
	} else {
		printf("\npostgres: not run (set AIMS_BENCH_PG to a postgres:// URL ending in '/', or run under "
		       "tests/pg-harness.sh as 'make bench' does)\n");
	}

	if (nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "bench: cannot remove '%s'\n", tmpdir);
	getrusage(RUSAGE_SELF, &ru);
	printf("\npeak RSS of this benchmark: %.1f MiB\ntotal %.1f s\n", (double)ru.ru_maxrss / 1024.0,
	       bench_now() - t0);
	curl_global_cleanup();
	return 0;
}
