/*
 * Benchmark of the catalog loader, each part against a baseline run in the
 * same process (see bench/bench.h and docs/benchmarks.md):
 *
 *  (a) parse: aims_catalog_parse() of each built-in catalog (parse,
 *      validate, index, SHA-256) against a bare jansson json_loadb() of the
 *      same bytes, so the ratio is what validation and indexing cost;
 *  (b) store: aims_catalog_load_all() of every built-in catalog into a fresh
 *      store (one transaction, prepared statements) against a naive loader
 *      that inserts the same requirement rows into a table of the same shape
 *      with one transaction per row, same pragmas (WAL, synchronous=FULL);
 *  (c) read: aims_catalog_read() of iso27001-2022 against a plain SELECT of
 *      the same rows.
 *
 * Temporary stores go to $TMPDIR (or /tmp) and are removed afterwards.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/aims.h"
#include "bench.h"

#define REPS_FAST 11  /* parse and read: a repetition is ~BENCH_REP_SECONDS */
#define REPS_STORE 7  /* store: the naive baseline takes about a second a repetition */
#define READ_FRAMEWORK "iso27001-2022"

static char tmpdir[512];
static volatile size_t sink;  /* keeps results alive so the work is not optimised away */

static void die_aims(const char *what)
{
	bench_die(what, aims_error_last());
}

/* ---- (a) parse ---- */

typedef struct {
	const char *data;
	size_t len;
} parse_ctx;

static int run_aims_parse(void *p)
{
	parse_ctx *c = p;
	aims_catalog *cat;
	if (aims_catalog_parse(&cat, c->data, c->len, "bench") < 0)
		return 1;
	sink += aims_catalog_count(cat);
	aims_catalog_free(cat);
	return 0;
}

static int run_jansson_parse(void *p)
{
	parse_ctx *c = p;
	json_error_t jerr;
	json_t *root = json_loadb(c->data, c->len, 0, &jerr);
	if (!root)
		return 1;
	sink += json_object_size(root);
	json_decref(root);
	return 0;
}

static void bench_parse(void)
{
	double bytes_all = 0, t_ours_all = 0, t_base_all = 0;

	bench_table("(a) parse: aims_catalog_parse (parse + validate + index + SHA-256) vs bare json_loadb",
		    "bytes", "MB/s");
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name;
		parse_ctx c;
		aims_catalog *cat;
		char label[64];
		double t_ours, t_base;

		if (aims_catalog_builtin(i, &name, &c.data, &c.len) < 0)
			die_aims("built-in catalog");
		if (aims_catalog_parse(&cat, c.data, c.len, name) < 0)
			continue;  /* a crosswalk: not a framework catalog */
		snprintf(label, sizeof(label), "%s", aims_catalog_framework(cat)->framework);
		aims_catalog_free(cat);

		bench_case ours = { NULL, run_aims_parse, NULL, &c, 0 };
		bench_case bare = { NULL, run_jansson_parse, NULL, &c, 0 };
		bench_pair(&ours, &bare, REPS_FAST, &t_ours, &t_base);
		bench_row(label, (double)c.len, (double)c.len / t_ours / 1e6, (double)c.len / t_base / 1e6);
		bytes_all += (double)c.len;
		t_ours_all += t_ours;
		t_base_all += t_base;
	}
	bench_row("all catalogs", bytes_all, bytes_all / t_ours_all / 1e6, bytes_all / t_base_all / 1e6);
}

/* ---- (b) store ---- */

typedef struct {
	char *framework, *id, *kind, *title, *parent, *summary, *text, *chapter;
	long seq;
} row;

typedef struct {
	row *rows;
	size_t count;
	char path[600];
	aims_store *store;   /* ours */
	sqlite3 *db;         /* baseline */
	sqlite3_stmt *ins;
	size_t loaded;
	int n;               /* repetition number, for fresh file names */
} store_ctx;

static char *dup0(const char *s)
{
	char *d;
	size_t n;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	if (!(d = malloc(n)))
		bench_die("out of memory", NULL);
	memcpy(d, s, n);
	return d;
}

/* the requirement rows every built-in catalog stores, taken from the parsed catalogs */
static void collect_rows(store_ctx *c)
{
	size_t cap = 0;

	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *data;
		size_t len;
		aims_catalog *cat;
		if (aims_catalog_builtin(i, &name, &data, &len) < 0)
			die_aims("built-in catalog");
		if (aims_catalog_parse(&cat, data, len, name) < 0)
			continue;
		for (size_t k = 0; k < aims_catalog_count(cat); k++) {
			const aims_requirement *r = aims_catalog_at(cat, k);
			if (c->count == cap) {
				cap = cap ? cap * 2 : 256;
				if (!(c->rows = realloc(c->rows, cap * sizeof(*c->rows))))
					bench_die("out of memory", NULL);
			}
			row *w = &c->rows[c->count++];
			w->framework = dup0(aims_catalog_framework(cat)->framework);
			w->id = dup0(r->id);
			w->kind = dup0(r->kind);
			w->title = dup0(r->title);
			w->parent = dup0(r->parent);
			w->summary = dup0(r->summary);
			w->text = dup0(r->text);
			w->chapter = dup0(r->chapter);
			w->seq = (long)k;
		}
		aims_catalog_free(cat);
	}
}

static void free_rows(store_ctx *c)
{
	for (size_t i = 0; i < c->count; i++) {
		row *w = &c->rows[i];
		char *fields[] = { w->framework, w->id, w->kind, w->title,
				   w->parent, w->summary, w->text, w->chapter };
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
			free(fields[k]);
	}
	free(c->rows);
}

static void remove_db(const char *path)
{
	char p[640];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static void fresh_path(store_ctx *c, const char *what)
{
	if (snprintf(c->path, sizeof(c->path), "%s/%s-%d.db", tmpdir, what, c->n++) >=
	    (int)sizeof(c->path))
		bench_die("temporary path too long", tmpdir);
	remove_db(c->path);
}

static int open_aims_store(store_ctx *c)
{
	aims_store_options opts = AIMS_STORE_OPTIONS_INIT;
	opts.create = 1;
	if (aims_store_open(&c->store, c->path, &opts) < 0)
		die_aims("opening store");
	return 0;
}

static int setup_ours(void *p)
{
	store_ctx *c = p;
	fresh_path(c, "aims");
	return open_aims_store(c);
}

static int run_ours_store(void *p)
{
	store_ctx *c = p;
	if (aims_catalog_load_all(c->store, NULL, &c->loaded) < 0)
		die_aims("loading catalogs");
	return 0;
}

static void teardown_ours(void *p)
{
	store_ctx *c = p;
	aims_store_free(c->store);
	c->store = NULL;
	remove_db(c->path);
}

static void sql_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		bench_die("sqlite", sqlite3_errmsg(db));
}

/* the requirements table of the store schema (src/lib/store/migrations.c), minus the foreign key */
static int setup_naive(void *p)
{
	store_ctx *c = p;
	fresh_path(c, "naive");
	if (sqlite3_open(c->path, &c->db) != SQLITE_OK)
		bench_die("sqlite open", c->path);
	sql_exec(c->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
	sql_exec(c->db,
		 "CREATE TABLE requirements ("
		 "  framework TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
		 "  kind TEXT NOT NULL, title TEXT NOT NULL, parent TEXT, summary TEXT,"
		 "  body TEXT, chapter TEXT, PRIMARY KEY (framework, id));"
		 "CREATE INDEX requirements_seq ON requirements(framework, seq);"
		 "CREATE INDEX requirements_parent ON requirements(framework, parent);");
	if (sqlite3_prepare_v2(c->db,
			"INSERT INTO requirements (framework, id, seq, kind, title, parent, summary, body, chapter) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &c->ins, NULL) != SQLITE_OK)
		bench_die("sqlite prepare", sqlite3_errmsg(c->db));
	return 0;
}

static void bind(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* autocommit: every INSERT is its own transaction, as a naive loader does */
static int run_naive_store(void *p)
{
	store_ctx *c = p;
	for (size_t i = 0; i < c->count; i++) {
		const row *w = &c->rows[i];
		bind(c->ins, 1, w->framework);
		bind(c->ins, 2, w->id);
		sqlite3_bind_int64(c->ins, 3, w->seq);
		bind(c->ins, 4, w->kind);
		bind(c->ins, 5, w->title);
		bind(c->ins, 6, w->parent);
		bind(c->ins, 7, w->summary);
		bind(c->ins, 8, w->text);
		bind(c->ins, 9, w->chapter);
		if (sqlite3_step(c->ins) != SQLITE_DONE)
			bench_die("sqlite insert", sqlite3_errmsg(c->db));
		sqlite3_reset(c->ins);
	}
	return 0;
}

static void teardown_naive(void *p)
{
	store_ctx *c = p;
	sqlite3_finalize(c->ins);
	c->ins = NULL;
	sqlite3_close(c->db);
	c->db = NULL;
	remove_db(c->path);
}

static void bench_store(store_ctx *c)
{
	char label[64];
	double t_ours, t_base, rows = (double)c->count;

	bench_case ours = { setup_ours, run_ours_store, teardown_ours, c, 1 };
	bench_case naive = { setup_naive, run_naive_store, teardown_naive, c, 1 };
	bench_pair(&ours, &naive, REPS_STORE, &t_ours, &t_base);
	bench_table("(b) store: aims_catalog_load_all (1 transaction) vs naive loader (1 transaction a row)",
		    "rows", "rows/s");
	snprintf(label, sizeof(label), "%zu catalogs", c->loaded);
	bench_row(label, rows, rows / t_ours, rows / t_base);
}

/* ---- (c) read ---- */

static int run_ours_read(void *p)
{
	store_ctx *c = p;
	aims_catalog *cat;
	if (aims_catalog_read(&cat, c->store, READ_FRAMEWORK) < 0)
		die_aims("reading catalog");
	sink += aims_catalog_count(cat);
	aims_catalog_free(cat);
	return 0;
}

static int run_plain_read(void *p)
{
	store_ctx *c = p;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db,
			"SELECT id, kind, title, parent, summary, body, chapter FROM requirements "
			"WHERE framework = ? ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		bench_die("sqlite prepare", sqlite3_errmsg(c->db));
	sqlite3_bind_text(st, 1, READ_FRAMEWORK, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int k = 0; k < 7; k++) {
			const unsigned char *v = sqlite3_column_text(st, k);
			sink += v ? (size_t)sqlite3_column_bytes(st, k) : 0;
		}
	sqlite3_finalize(st);
	return 0;
}

static void bench_read(store_ctx *c)
{
	double t_ours, t_base, rows;
	aims_catalog *cat;

	fresh_path(c, "read");
	open_aims_store(c);
	if (aims_catalog_load_all(c->store, NULL, NULL) < 0)
		die_aims("loading catalogs");
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		bench_die("sqlite open", c->path);
	if (aims_catalog_read(&cat, c->store, READ_FRAMEWORK) < 0)
		die_aims("reading catalog");
	rows = (double)aims_catalog_count(cat);
	aims_catalog_free(cat);

	bench_case ours = { NULL, run_ours_read, NULL, c, 0 };
	bench_case plain = { NULL, run_plain_read, NULL, c, 0 };
	bench_pair(&ours, &plain, REPS_FAST, &t_ours, &t_base);
	bench_table("(c) read: aims_catalog_read (rows + rebuild + validate) vs plain SELECT", "rows",
		    "rows/s");
	bench_row(READ_FRAMEWORK, rows, rows / t_ours, rows / t_base);

	sqlite3_close(c->db);
	c->db = NULL;
	aims_store_free(c->store);
	c->store = NULL;
	remove_db(c->path);
}

int main(int argc, char **argv)
{
	store_ctx sc;
	double t0 = bench_now();

	memset(&sc, 0, sizeof(sc));
	bench_tmpdir(tmpdir, sizeof(tmpdir), "catalog");
	if (aims_global_init() < 0)
		die_aims("initialising");

	bench_header(argc, argv, "aims benchmark: catalog loader (bench/catalog.c)");
	printf("libs:    aims %s, jansson %s, sqlite %s; temp %s\n", aims_version(), JANSSON_VERSION,
	       sqlite3_libversion(), tmpdir);
	printf("figures: medians of %d (parse, read) or %d (store) alternating repetitions;\n"
	       "         time ratio = aims time / baseline time (below 1: aims is faster)\n",
	       REPS_FAST, REPS_STORE);
	fflush(stdout);

	bench_parse();
	fflush(stdout);
	collect_rows(&sc);
	bench_store(&sc);
	fflush(stdout);
	bench_read(&sc);
	free_rows(&sc);

	if (rmdir(tmpdir) != 0)
		fprintf(stderr, "bench: cannot remove '%s'\n", tmpdir);
	printf("\ntotal %.1f s\n", bench_now() - t0);
	return 0;
}
