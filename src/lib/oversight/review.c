/*
 * Human review of AI decisions (oversight.h): the selector the ingest path
 * feeds, the review queue, reviews appended to the decision log through its
 * append API (decision.h) as records of their own that name the reviewed
 * entry by index and leaf hash, metrics recomputed from the log, the
 * metrics recorded as evidence, and the oversight section of the system
 * card. Rules: docs/oversight.md.
 */
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "aims/merkle.h"
#include "audit/state.h"
#include "core/core.h"
#include "core/json.h"
#include "oversight_internal.h"
#include "stage.h"
#include "store/store_internal.h"

#define FLUSH_EVERY 65536

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void hex32(char out[65], const uint8_t h[32])
{
	aims__hex(out, h, 32);
}

static json_t *reasons_json(unsigned r)
{
	json_t *a = json_array();
	if (!a)
		return NULL;
	if ((r & AIMS_REVIEW_CONFIDENCE) && json_array_append_new(a, json_string("confidence")) < 0)
		goto fail;
	if ((r & AIMS_REVIEW_OUTPUT) && json_array_append_new(a, json_string("output")) < 0)
		goto fail;
	if ((r & AIMS_REVIEW_INPUT) && json_array_append_new(a, json_string("input")) < 0)
		goto fail;
	if ((r & AIMS_REVIEW_SAMPLE) && json_array_append_new(a, json_string("sample")) < 0)
		goto fail;
	return a;
fail:
	json_decref(a);
	return NULL;
}

/* ---- the selector (the ingest hook) ---- */

typedef aims__review_pick pick;

typedef struct stage stage;
static void stage_stop(aims_review_selector *s);

struct aims_review_selector {
	aims_store *store;
	stage *st;              /* NULL, or the rows are written while the batch is ingested (aims_review_stage_start) */
	char system[AIMS_DECISION_NAME_MAX + 1];
	aims_policy *policy;
	char pref[96];
	aims__review_matcher *matcher; /* the policy's rules compiled, with the system's hash for the sample */
	pick *items;
	size_t n, cap;
	uint64_t total;
	int overflow;          /* aims_review_note: more selected than one flush holds */
	uint64_t overflow_from; /* the first record not looked at inline */
};

int aims_review_selector_open(aims_review_selector **out, aims_store *store, const char *system)
{
	aims_policy *p = NULL;
	aims_review_selector *s;
	int err;
	*out = NULL;
	if (!aims_decision_name_valid(system))
		return aims__err(AIMS_EINVALID, "'%s': not a valid AI system name", system ? system : "");
	if ((err = aims_policy_for_system(&p, store, system)) < 0)
		return err;
	if (!p || !p->review.present) {
		aims_policy_free(p);
		return 0;
	}
	if (!(s = aims__calloc(1, sizeof(*s)))) {
		aims_policy_free(p);
		return aims__oom();
	}
	s->store = store;
	snprintf(s->system, sizeof(s->system), "%s", system);
	s->policy = p;
	if ((err = aims__review_matcher_new(&s->matcher, &p->review, aims__review_system_hash(s->system))) < 0) {
		aims_policy_free(p);
		aims__free(s);
		return err;
	}
	snprintf(s->pref, sizeof(s->pref), "%s@%d", p->name, p->version);
	*out = s;
	return 0;
}

void aims_review_selector_free(aims_review_selector *sel)
{
	if (!sel)
		return;
	stage_stop(sel);
	aims__review_matcher_free(sel->matcher);
	aims_policy_free(sel->policy);
	aims__free(sel->items);
	aims__free(sel);
}

/*
 * One selection as the digest of its flush covers it: "INDEX LEAF_HASH
 * REASONS\n" (written by flush(), recomputed by the state check). The
 * length, or -1 when it does not fit.
 */
int aims__review_queue_line(char *out, size_t size, uint64_t index, const char *leaf, long long reasons)
{
	/* as snprintf "%" PRIu64 " %s %lld\n", without its cost for every selected decision */
	char ib[20], rb[20];
	size_t in = 0, rn = 0, ll = leaf ? strlen(leaf) : 0;
	uint64_t v = index;
	unsigned long long r = reasons < 0 ? 0ULL - (unsigned long long)reasons : (unsigned long long)reasons;
	do
		ib[in++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	do
		rb[rn++] = (char)('0' + r % 10);
	while ((r /= 10) != 0);
	size_t n = in + 1 + ll + 1 + (reasons < 0) + rn + 1, k = 0;
	if (n >= size || n > INT_MAX)
		return -1;
	while (in > 0)
		out[k++] = ib[--in];
	out[k++] = ' ';
	memcpy(out + k, leaf ? leaf : "", ll);
	k += ll;
	out[k++] = ' ';
	if (reasons < 0)
		out[k++] = '-';
	while (rn > 0)
		out[k++] = rb[--rn];
	out[k++] = '\n';
	out[k] = '\0';
	return (int)n;
}

/*
 * The INSERT of queue rows: ROWS_AT_ONCE rows a statement, so that the
 * statement's own cost (the step, the reset) is paid once for them
 * (bench/review.c: 20,791 rows took about half as long as one statement
 * a row).
 */
#define ROWS_AT_ONCE 32

static int queue_insert_sql(aims_buf *sql, size_t rows)
{
	/* ?1 system, ?2 policy, ?3 time, bound once; then seq, entry, leaf hash, reasons of each row */
	int err = aims_buf_puts(sql, "INSERT INTO review_queue (seq, system, entry, leaf_hash, reasons, policy, status, "
				     "selected_at) VALUES ");
	for (size_t r = 0; err == 0 && r < rows; r++)
		err = aims_buf_printf(sql, "%s(?%zu, ?1, ?%zu, ?%zu, ?%zu, ?2, 'pending', ?3)", r ? ", " : "", 4 + 4 * r,
				      5 + 4 * r, 6 + 4 * r, 7 + 4 * r);
	return err < 0 ? err : aims_buf_puts(sql, " ON CONFLICT (system, entry) DO NOTHING");
}

/* the INSERT statements of write_rows and write_pack, prepared once for as many calls as the caller likes */
typedef struct {
	aims__stmt *one, *many, *pack;
} row_stmts;

static void row_stmts_free(row_stmts *q)
{
	aims__stmt_free(q->one);
	aims__stmt_free(q->many);
	aims__stmt_free(q->pack);
	q->one = q->many = q->pack = NULL;
}

/*
 * n selections into the queue, inside the caller's transaction: seq is the
 * highest queue number so far (advanced), lines gets the line of each for
 * its flush's digest. q holds the statements (prepared here when missing;
 * the caller frees them with row_stmts_free).
 */
static int write_rows(aims_store *store, row_stmts *qs, const char *system, const char *pref, const char *now,
		      const pick *items, size_t n, int64_t *seq, aims_buf *lines)
{
	aims_buf sql = AIMS_BUF_INIT;
	int err = 0;
	if (!qs->one && ((err = queue_insert_sql(&sql, 1)) < 0 || (err = aims__stmt_prepare(&qs->one, store, sql.ptr)) < 0))
		goto done;
	if (n >= ROWS_AT_ONCE && !qs->many) {
		aims_buf_clear(&sql);
		if ((err = queue_insert_sql(&sql, ROWS_AT_ONCE)) < 0 ||
		    (err = aims__stmt_prepare(&qs->many, store, sql.ptr)) < 0)
			goto done;
	}
	aims__stmt *one = qs->one, *many = qs->many;
	for (size_t i = 0; i < n;) {
		aims__stmt *q = n - i >= ROWS_AT_ONCE ? many : one;
		size_t rows = q == many ? ROWS_AT_ONCE : 1;
		/* the texts are bound by reference: items, system, pref and now outlive the step */
		if ((err = aims__stmt_reset(q)) < 0 || (err = aims__stmt_bind_text_ref(q, 1, system)) < 0 ||
		    (err = aims__stmt_bind_text_ref(q, 2, pref)) < 0 || (err = aims__stmt_bind_text_ref(q, 3, now)) < 0)
			goto done;
		for (size_t r = 0; r < rows; r++, i++) {
			int b = 3 + (int)(r * 4);
			char line[128];
			if ((err = aims__stmt_bind_int64(q, b + 1, ++*seq)) < 0 ||
			    (err = aims__stmt_bind_int64(q, b + 2, (int64_t)items[i].index)) < 0 ||
			    (err = aims__stmt_bind_text_ref(q, b + 3, items[i].leaf)) < 0 ||
			    (err = aims__stmt_bind_int64(q, b + 4, items[i].reasons)) < 0)
				goto done;
			if (!lines)
				continue;
			int len = aims__review_queue_line(line, sizeof(line), items[i].index, items[i].leaf, items[i].reasons);
			if (len < 0) {
				err = aims__err(AIMS_ERROR, "review queue: a selection too long for its line");
				goto done;
			}
			if ((err = aims_buf_put(lines, line, (size_t)len)) < 0)
				goto done;
		}
		if ((err = aims__stmt_step(q)) < 0)
			goto done;
	}
done:
	aims_buf_release(&sql);
	return err;
}

/*
 * n selections of a staged ingest as one pack (review_packs, migration 16):
 * one row holding their lines, the same "INDEX LEAF_HASH REASONS\n" lines
 * their group's digest covers (also appended to `lines`), numbered from
 * *seq + 1 (advanced). A queue row each made selection cost the ingest
 * about 8% of its time on its own, SQLite's insert into the table and its
 * two indexes (bench/review.c, docs/benchmarks.md); a pack is one insert
 * for a block of up to STAGE_BLOCK selections. The first reading or
 * writing of the queue after the batch commits turns packs into rows
 * (aims__review_settle); the state check reads packs as they are. `text`
 * is the caller's buffer for the pack's lines.
 */
static int write_pack(aims_store *store, row_stmts *qs, aims_buf *text, const char *system, const char *pref,
		      const char *now, const pick *items, size_t n, int64_t *seq, aims_buf *lines)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int err;
	if (n == 0)
		return 0;
	if (n > INT64_MAX - (uint64_t)*seq)
		return aims__err(AIMS_ERROR, "review queue: no queue numbers left");
	if (!qs->pack && (err = aims__stmt_prepare(&qs->pack, store, "INSERT INTO review_packs (system, first_seq, n, "
						   "first_entry, last_entry, policy, selected_at, lines) VALUES "
						   "(?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return err;
	aims_buf_clear(text);
	for (size_t i = 0; i < n; i++) {
		char line[128];
		int len = aims__review_queue_line(line, sizeof(line), items[i].index, items[i].leaf, items[i].reasons);
		if (len < 0)
			return aims__err(AIMS_ERROR, "review queue: a selection too long for its line");
		if ((err = aims_buf_put(text, line, (size_t)len)) < 0)
			return err;
		lo = items[i].index < lo ? items[i].index : lo;
		hi = items[i].index > hi ? items[i].index : hi;
	}
	if (hi > INT64_MAX)
		return aims__err(AIMS_ERROR, "review queue: a decision index beyond the store's integers");
	if ((err = aims_buf_put(lines, text->ptr, text->len)) < 0 || (err = aims__stmt_reset(qs->pack)) < 0 ||
	    (err = aims__stmt_bind_text_ref(qs->pack, 1, system)) < 0 ||
	    (err = aims__stmt_bind_int64(qs->pack, 2, *seq + 1)) < 0 ||
	    (err = aims__stmt_bind_int64(qs->pack, 3, (int64_t)n)) < 0 ||
	    (err = aims__stmt_bind_int64(qs->pack, 4, (int64_t)lo)) < 0 ||
	    (err = aims__stmt_bind_int64(qs->pack, 5, (int64_t)hi)) < 0 ||
	    (err = aims__stmt_bind_text_ref(qs->pack, 6, pref)) < 0 ||
	    (err = aims__stmt_bind_text_ref(qs->pack, 7, now)) < 0 ||
	    (err = aims__stmt_bind_text_ref(qs->pack, 8, text->ptr)) < 0 || (err = aims__stmt_step(qs->pack)) < 0)
		return err;
	*seq += (int64_t)n;
	return 0;
}

static int max_seq(int64_t *seq, aims_store *store)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT MAX(m) FROM (SELECT COALESCE(MAX(seq), 0) AS m FROM review_queue "
				      "UNION ALL SELECT COALESCE(MAX(first_seq + n - 1), 0) FROM review_packs) t")) >= 0 &&
	    (err = aims__stmt_step(st)) >= 0) {
		*seq = aims__stmt_int64(st, 0);
		err = 0;
	}
	aims__stmt_free(st);
	return err;
}

/* the buffered selections into the queue: one transaction, one ledger entry for the batch */
static int flush(aims_review_selector *s)
{
	aims_buf batch = AIMS_BUF_INIT;
	row_stmts qs = { NULL, NULL, NULL };
	char now[32], dg[72];
	int64_t seq = 0;
	int err;
	if (s->n == 0)
		return 0;
	aims__time_now(now);
	if ((err = aims_store_begin(s->store)) < 0)
		return err;
	/* the batch's digest covers one line per selection: "INDEX LEAF_HASH REASONS\n" */
	if ((err = max_seq(&seq, s->store)) >= 0 &&
	    (err = write_rows(s->store, &qs, s->system, s->pref, now, s->items, s->n, &seq, &batch)) >= 0)
		err = aims_ledger_digest(dg, batch.ptr, batch.len);
	row_stmts_free(&qs);  /* one flush: the statements are not kept past the rows */
	if (err < 0 || (err = aims_ledger_append(s->store, "select", "review-queue", s->system, dg, NULL)) < 0 ||
	    (err = aims_store_commit(s->store)) < 0) {
		aims_store_rollback(s->store);
		aims_buf_release(&batch);
		return err;
	}
	s->total += s->n;
	s->n = 0;
	aims_buf_release(&batch);
	return 0;
}

/*
 * ---- staging: the queue rows written while the batch is ingested ----
 *
 * Writing tens of thousands of queue rows inside the batch's commit made the
 * commit wait for them, and applying the rules on the ingest's own thread
 * lengthened its critical path (bench/review.c). With a decision log kept in
 * files (the SQLite store) the rules are applied on the log's hashing thread
 * instead (aims_decision_ingest_options.on_hashed: it has each record, its
 * member spans and its leaf hash), which hands blocks of selections to a
 * thread of its own that writes them as packs (write_pack) in transactions
 * of its own while the batch is still being read. The packs stay invisible
 * until the batch commits: every reading of the queue takes only packs and
 * rows below the log's committed size (PACK_COMMITTED, AIMS__REVIEW_COMMITTED
 * in stage.h), and the commit moves that size in the same transaction as the
 * 'select' ledger entries that name the selections' digests. These
 * transactions do not sync on their own; the batch's commit syncs them
 * (aims__store_defer_sync). Packs of a batch that did not commit (a bad
 * line, a duplicate, a crash) are at or beyond that size: they are deleted
 * when the batch is given up and, after a crash, by aims decision recover or
 * before the next ingest of the system (aims_review_unstage). The store
 * handle is shared with the caller's thread, which takes the same mutex to
 * use it meanwhile. Memory: at most
 * STAGE_PENDING blocks handed over, as many kept for reuse and the one being
 * filled, STAGE_BLOCK selections each (under 1 MiB), and the lines of the
 * group being written (at most FLUSH_EVERY of about 75 bytes: 5 MiB).
 */
#define STAGE_BLOCK 1024
#define STAGE_PENDING 4

typedef struct {
	pick *items;
	size_t n;
} block;

struct stage {
	pthread_t th;
	int started, joined;
	pthread_mutex_t mu;
	pthread_cond_t cv;               /* a block handed over, or room for one */
	block ring[STAGE_PENDING];
	size_t head, npending;
	block spare[STAGE_PENDING];      /* written blocks, their memory reused (fresh pages cost page faults) */
	size_t nspare;
	int done;                        /* no more blocks */
	int cancel;                      /* the batch is given up: the blocks left are dropped */
	int deferred;                    /* the store's commits do not sync (aims__store_defer_sync) */
	int err;                         /* the writer's first error, its message in msg */
	char msg[512];
	pthread_mutex_t *store_mu;       /* the caller's, held while the store is used */
	uint64_t from;                   /* the batch's first index */
	uint64_t rows;                   /* rows written */
	int wrote;                       /* some transaction committed rows */
	aims_buf lines;                  /* the lines of the group being written, hashed when it closes: hashing
					  * each pack's as it is written, beside the log's hashing thread, made the
					  * ingest slower (the command in a shell loop, 40 runs each: selection
					  * added 12.2% against 7.9%) */
	aims_buf pack;                   /* the lines of the pack being written */
	size_t group_rows;
	char (*digests)[72];             /* one per group of FLUSH_EVERY rows (the last may be shorter) */
	size_t ndigests, capdigests;
	char now[32];
	row_stmts qs;                    /* the writer's INSERT statements, kept from one transaction to the next */
};

static int close_group(stage *g)
{
	int err;
	if (g->group_rows == 0)
		return 0;
	if ((err = aims__grow(&g->digests, &g->capdigests, g->ndigests + 1, sizeof(*g->digests))) < 0 ||
	    (err = aims_ledger_digest(g->digests[g->ndigests], g->lines.ptr, g->lines.len)) < 0)
		return err;
	g->ndigests++;
	aims_buf_clear(&g->lines);
	g->group_rows = 0;
	return 0;
}

/*
 * The blocks of selections handed over since the last write, in one
 * transaction of their own (a writer that fell behind catches up with fewer
 * commits); groups as flush() makes them.
 */
static int stage_write(aims_review_selector *s, size_t first, size_t nblocks)
{
	stage *g = s->st;
	int64_t seq = 0;
	uint64_t rows = 0;
	int err;
	pthread_mutex_lock(g->store_mu);
	/* not synced on their own: the batch's commit syncs them (aims__store_defer_sync) */
	if (!g->deferred) {
		if ((err = aims__store_defer_sync(s->store, 1)) < 0)
			goto out;
		g->deferred = 1;
	}
	if ((err = aims_store_begin(s->store)) < 0)
		goto out;
	if ((err = max_seq(&seq, s->store)) < 0)
		goto rollback;
	for (size_t j = 0; j < nblocks; j++) {
		const block *bk = &g->ring[(first + j) % STAGE_PENDING];
		for (size_t i = 0; i < bk->n;) {
			size_t k = bk->n - i < FLUSH_EVERY - g->group_rows ? bk->n - i : FLUSH_EVERY - g->group_rows;
			if ((err = write_pack(s->store, &g->qs, &g->pack, s->system, s->pref, g->now, bk->items + i, k,
					      &seq, &g->lines)) < 0)
				goto rollback;
			g->group_rows += k;
			i += k;
			if (g->group_rows == FLUSH_EVERY && (err = close_group(g)) < 0)
				goto rollback;
		}
		rows += bk->n;
	}
	if ((err = aims_store_commit(s->store)) < 0)
		goto rollback;
	g->wrote = 1;
	g->rows += rows;
	goto out;
rollback:
	aims_store_rollback(s->store);
out:
	pthread_mutex_unlock(g->store_mu);
	return err;
}

static void *stage_main(void *arg)
{
	aims_review_selector *s = arg;
	stage *g = s->st;
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (g->npending == 0 && !g->done)
			pthread_cond_wait(&g->cv, &g->mu);
		if (g->npending == 0)
			break;
		/* the blocks handed over so far are this thread's until it gives them back */
		size_t first = g->head, nblocks = g->npending;
		int failed = g->err || g->cancel;
		pthread_mutex_unlock(&g->mu);
		int err = failed ? 0 : stage_write(s, first, nblocks);
		char msg[512];
		if (err < 0)
			snprintf(msg, sizeof(msg), "%s", aims_error_last());
		pthread_mutex_lock(&g->mu);
		for (size_t j = 0; j < nblocks; j++) {
			block *bk = &g->ring[(first + j) % STAGE_PENDING];
			if (g->nspare < STAGE_PENDING)
				g->spare[g->nspare++] = *bk;
			else
				aims__free(bk->items);
			bk->items = NULL;
			bk->n = 0;
		}
		if (err < 0 && !g->err) {
			g->err = err;
			memcpy(g->msg, msg, sizeof(msg));
		}
		g->head = (g->head + nblocks) % STAGE_PENDING;
		g->npending -= nblocks;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

/*
 * The selections kept so far to the writer (waits while it has
 * STAGE_PENDING blocks); its error, if it had one. Called by one thread at
 * a time: the log's hashing thread during the ingest, the caller's once it
 * is done.
 */
static int stage_hand(aims_review_selector *s)
{
	stage *g = s->st;
	int err = 0;
	block fresh = { NULL, 0 };
	pthread_mutex_lock(&g->mu);
	while (g->npending == STAGE_PENDING && !g->err && !g->cancel && !g->done)
		pthread_cond_wait(&g->cv, &g->mu);
	if (g->err) {
		err = aims__err(g->err, "%s", g->msg);
	} else if (g->cancel || g->done) {
		err = aims__err(AIMS_ERROR, "review selection: the review queue's writer has stopped");
	} else if (s->n > 0) {
		size_t tail = (g->head + g->npending) % STAGE_PENDING;
		g->ring[tail].items = s->items;
		g->ring[tail].n = s->n;
		g->npending++;
		if (g->nspare > 0)
			fresh = g->spare[--g->nspare];
		s->items = NULL;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	if (err == 0 && !s->items) {
		/* a spare block's memory, or a new one */
		s->items = fresh.items;
		s->n = 0;
		s->cap = fresh.items ? STAGE_BLOCK : 0;
		if (!fresh.items && (err = aims__grow(&s->items, &s->cap, STAGE_BLOCK, sizeof(*s->items))) == 0)
			s->cap = STAGE_BLOCK;
	}
	return err;
}

/* the writer told there is no more, and waited for */
static void stage_join(stage *g)
{
	if (!g->started || g->joined)
		return;
	pthread_mutex_lock(&g->mu);
	g->done = 1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->th, NULL);
	g->joined = 1;
}

/* the store's commits synced again (after the writer stopped): before the batch commits */
static int stage_sync_again(aims_review_selector *s)
{
	stage *g = s->st;
	if (!g || !g->deferred)
		return 0;
	g->deferred = 0;
	return aims__store_defer_sync(s->store, 0);
}

static void stage_stop(aims_review_selector *s)
{
	stage *g = s ? s->st : NULL;
	if (!g)
		return;
	stage_join(g);
	(void)stage_sync_again(s);
	for (size_t i = 0; i < STAGE_PENDING; i++)
		aims__free(g->ring[i].items);
	for (size_t i = 0; i < g->nspare; i++)
		aims__free(g->spare[i].items);
	row_stmts_free(&g->qs);
	if (g->started) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
	}
	aims_buf_release(&g->lines);
	aims_buf_release(&g->pack);
	aims__free(g->digests);
	aims__free(g);
	s->st = NULL;
}

int aims_review_stage_start(aims_review_selector *sel, uint64_t from, pthread_mutex_t *store_mu)
{
	stage *g;
	int err;
	if (!sel)
		return 0;
	if (sel->st || sel->n > 0)
		return aims__err(AIMS_EUSAGE, "review selection: staging starts before the first record");
	if (!(g = aims__calloc(1, sizeof(*g))))
		return aims__oom();
	g->store_mu = store_mu;
	g->from = from;
	aims_buf_init(&g->lines, 0);
	aims_buf_init(&g->pack, 0);
	aims__time_now(g->now);
	aims__free(sel->items);
	sel->cap = 0;
	sel->items = NULL;
	if ((err = aims__grow(&sel->items, &sel->cap, STAGE_BLOCK, sizeof(*sel->items))) < 0) {
		aims__free(g);
		return err;
	}
	sel->cap = STAGE_BLOCK;
	if (pthread_mutex_init(&g->mu, NULL) != 0) {
		aims__free(g);
		return aims__err(AIMS_ERROR, "review selection: cannot create a mutex");
	}
	if (pthread_cond_init(&g->cv, NULL) != 0) {
		pthread_mutex_destroy(&g->mu);
		aims__free(g);
		return aims__err(AIMS_ERROR, "review selection: cannot create a condition variable");
	}
	sel->st = g;
	g->started = 1;
	if (pthread_create(&g->th, NULL, stage_main, sel) != 0) {
		g->joined = 1;
		stage_stop(sel);
		return aims__err(AIMS_ERROR, "review selection: cannot start the queue's writer");
	}
	return 0;
}

int aims_review_stage_finish(void *arg)
{
	aims_review_selector *sel = arg;
	stage *g = sel ? sel->st : NULL;
	int err;
	if (!g)
		return 0;
	err = stage_hand(sel);
	stage_join(g);
	int e2 = stage_sync_again(sel);
	if (err == 0)
		err = e2;
	if (err < 0)
		return err;
	if (g->err)
		return aims__err(g->err, "%s", g->msg);
	return close_group(g);
}

void aims_review_stage_cancel(void *arg)
{
	aims_review_selector *sel = arg;
	stage *g = sel ? sel->st : NULL;
	if (!g || !g->started || g->joined)
		return;
	pthread_mutex_lock(&g->mu);
	g->cancel = 1;
	pthread_mutex_unlock(&g->mu);
	stage_join(g);
	(void)stage_sync_again(sel);  /* the rollback that follows syncs as it should */
}

int aims_review_unstage(aims_store *store, const char *system, uint64_t from)
{
	aims__stmt *st = NULL;
	int err;
	/* usually nothing: a look at the indexes first, a write only when there are rows or packs */
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM review_queue WHERE system = ?1 AND entry >= ?2 UNION ALL "
				      "SELECT 1 FROM review_packs WHERE system = ?1 AND last_entry >= ?2 LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_int64(st, 2, (int64_t)from)) < 0 ||
	    (err = aims__stmt_step(st)) <= 0) {
		aims__stmt_free(st);
		return err;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	/* a pack holds the selections of one batch: it is all at or beyond `from`, or all below */
	static const char *const sql[] = { "DELETE FROM review_queue WHERE system = ? AND entry >= ?",
					   "DELETE FROM review_packs WHERE system = ? AND last_entry >= ?" };
	for (size_t i = 0; i < sizeof(sql) / sizeof(*sql); i++) {
		if ((err = aims__stmt_prepare(&st, store, sql[i])) < 0 || (err = aims__stmt_bind_text(st, 1, system)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 2, (int64_t)from)) < 0 || (err = aims__stmt_step(st)) < 0) {
			aims__stmt_free(st);
			aims_store_rollback(store);
			return err;
		}
		aims__stmt_free(st);
		st = NULL;
	}
	if ((err = aims_store_commit(store)) < 0)
		aims_store_rollback(store);
	return err;
}

int aims_review_unstage_committed(aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	char id[AIMS_DECISION_NAME_MAX + 16];
	int err;
	snprintf(id, sizeof(id), "decision/%s", system);
	if ((err = aims__stmt_prepare(&st, store, "SELECT size FROM ledger_decision_heads WHERE log = ? AND size IS NOT "
				      "NULL")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) <= 0) {
		aims__stmt_free(st);
		return err;
	}
	int64_t size = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	return size < 0 ? 0 : aims_review_unstage(store, system, (uint64_t)size);
}

int aims_review_note_abort(aims_review_selector *sel)
{
	int err = 0;
	if (!sel)
		return 0;
	if (sel->st) {
		stage_join(sel->st);
		if ((err = stage_sync_again(sel)) == 0 && sel->st->wrote)
			err = aims_review_unstage(sel->store, sel->system, sel->st->from);
	}
	aims_review_selector_free(sel);
	return err;
}

/* one selected record into the buffer of the next flush */
static int push(aims_review_selector *s, uint64_t index, const uint8_t leaf_hash[32], unsigned why)
{
	int err;
	if ((err = aims__grow(&s->items, &s->cap, s->n + 1, sizeof(*s->items))) < 0)
		return err;
	s->items[s->n].index = index;
	if (leaf_hash)
		hex32(s->items[s->n].leaf, leaf_hash);
	else
		s->items[s->n].leaf[0] = '\0';
	s->items[s->n].reasons = why;
	s->n++;
	return 0;
}

int aims_review_consider(aims_review_selector *sel, uint64_t index, const uint8_t leaf_hash[32], const char *record,
			 size_t len)
{
	unsigned why;
	int err;
	if (!sel || !record)
		return 0;
	if ((err = aims_review_match(&why, &sel->policy->review, sel->system, index, record, len)) < 0 || !why)
		return err;
	if ((err = push(sel, index, leaf_hash, why)) < 0)
		return err;
	return sel->n >= FLUSH_EVERY ? flush(sel) : 0;
}

int aims_review_selector_finish(aims_review_selector *sel, uint64_t *selected)
{
	int err;
	if (selected)
		*selected = 0;
	if (!sel)
		return 0;
	err = flush(sel);
	if (selected)
		*selected = sel->total;
	aims_review_selector_free(sel);
	return err;
}

static int consider_cb(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	return aims_review_consider(arg, index, leaf, data, len);
}

int aims_review_note(aims_review_selector *sel, uint64_t index, const char *record, size_t len,
		     const aims_decision_members *m)
{
	uint8_t leaf[32];
	unsigned why;
	int err;
	if (!sel || !record || sel->overflow)
		return 0;
	if (sel->st)
		return aims__err(AIMS_EUSAGE, "review selection: a staged selector takes records from the hashing thread");
	if ((err = m ? aims__review_matcher_run(&why, sel->matcher, index, record, len, m) :
		       aims_review_match(&why, &sel->policy->review, sel->system, index, record, len)) < 0 || !why)
		return err;
	/* memory stays bounded: past one flush's worth the rest is read back after the commit, so the
	 * queue gets the same rows in the same transactions as from aims_review_consider */
	if (sel->n >= FLUSH_EVERY) {
		sel->overflow = 1;
		sel->overflow_from = index;
		return 0;
	}
	if ((err = aims_merkle_leaf_hash(leaf, record, len)) < 0)
		return err;
	return push(sel, index, leaf, why);
}

int aims_review_stage_hashed(void *arg, uint64_t index, const char *record, size_t len, const uint8_t leaf_hash[32],
			     const aims_decision_members *m)
{
	aims_review_selector *sel = arg;
	unsigned why;
	int err;
	if (!sel || !sel->st || !record)
		return 0;
	if ((err = m ? aims__review_matcher_run(&why, sel->matcher, index, record, len, m) :
		       aims_review_match(&why, &sel->policy->review, sel->system, index, record, len)) < 0 || !why)
		return err;
	if (sel->n >= STAGE_BLOCK && (err = stage_hand(sel)) < 0)
		return err;
	return push(sel, index, leaf_hash, why);
}

int aims_review_note_in_commit(void *arg)
{
	aims_review_selector *sel = arg;
	int err;
	if (!sel)
		return 0;
	if (sel->st) {
		/* staged: the rows are there, invisible until this transaction moves the log's size past them */
		for (size_t i = 0; i < sel->st->ndigests; i++)
			if ((err = aims_ledger_append(sel->store, "select", "review-queue", sel->system, sel->st->digests[i],
						      NULL)) < 0)
				return err;
		sel->total = sel->st->rows;
		return 0;
	}
	/* flush() nests in the commit's transaction (a savepoint) */
	return flush(sel);
}

int aims_review_note_commit(aims_review_selector *sel, aims_decision_log *log, uint64_t *selected)
{
	int err;
	if (selected)
		*selected = 0;
	if (!sel)
		return 0;
	if (sel->overflow) {
		if ((err = flush(sel)) < 0 ||
		    (err = aims_decision_foreach(log, sel->overflow_from, 0, consider_cb, sel)) != 0) {
			aims_review_selector_free(sel);
			return err < 0 ? err : aims__err(AIMS_ERROR, "review selection stopped");
		}
	}
	return aims_review_selector_finish(sel, selected);
}

int aims_review_select_log(uint64_t *selected, aims_store *store, aims_decision_log *log, const char *system,
			   uint64_t from)
{
	aims_review_selector *sel = NULL;
	int err;
	if (selected)
		*selected = 0;
	if ((err = aims_review_selector_open(&sel, store, system)) < 0 || !sel)
		return err;
	if ((err = aims_decision_foreach(log, from, 0, consider_cb, sel)) != 0) {
		aims_review_selector_free(sel);
		return err < 0 ? err : aims__err(AIMS_ERROR, "review selection stopped");
	}
	return aims_review_selector_finish(sel, selected);
}

/* ---- reading the reviewed record ---- */

typedef struct {
	char *data;
	size_t len;
	int pruned;
	uint8_t leaf[32];
} one_rec;

static int grab(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	one_rec *r = arg;
	(void)index;
	memcpy(r->leaf, leaf, 32);
	if (!data) {
		r->pruned = 1;
		return 0;
	}
	if (!(r->data = aims__strndup(data, len)))
		return aims__oom();
	r->len = len;
	return 0;
}

static int open_log(aims_decision_log **log, aims_note_signer **signer, aims_store *store, const char *system,
		    int need_signer)
{
	aims_decision_options opts = AIMS_DECISION_OPTIONS_INIT;
	int err;
	*log = NULL;
	*signer = NULL;
	err = aims_ledger_signer(signer, store);
	if (err == AIMS_ENOTFOUND && !need_signer) {
		aims_error_clear();
		*signer = NULL;
	} else if (err == AIMS_ENOTFOUND) {
		return aims__err(AIMS_ENOTFOUND, "no ledger key to sign the decision log's checkpoints: run 'aims ledger "
				 "keygen' and 'aims ledger setup --key FILE'");
	} else if (err < 0) {
		return err;
	}
	opts.signer = *signer;
	opts.write = need_signer;  /* the one writer (a review record) signs; readers only read */
	if ((err = aims_decision_open(log, store, system, &opts)) < 0) {
		aims_note_signer_free(*signer);
		*signer = NULL;
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "AI system '%s' has no decision log", system);
	}
	return err;
}

static int read_entry(one_rec *r, aims_decision_log *log, uint64_t entry)
{
	int err;
	memset(r, 0, sizeof(*r));
	if (entry >= aims_decision_durable_size(log))
		return aims__err(AIMS_ETAMPERED, "decision log '%s' has no entry %" PRIu64, "?", entry);
	if ((err = aims_decision_foreach(log, entry, 1, grab, r)) != 0)
		return err < 0 ? err : aims__oom();
	return 0;
}

/* ---- packs into queue rows ---- */

/* a pack of a batch that committed */
#define PACK_COMMITTED AIMS__REVIEW_BELOW_SIZE("review_packs", "last_entry")

/* one "INDEX LEAF_HASH REASONS\n" line of a pack at *p (advanced past it), as aims__review_queue_line writes it */
static int pack_line(pick *out, const char **p, const char *end)
{
	const char *q = *p;
	uint64_t v = 0;
	unsigned r = 0;
	size_t nd = 0;
	for (; q < end && *q >= '0' && *q <= '9'; q++, nd++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	if (nd == 0 || (nd > 1 && (*p)[0] == '0') || q >= end || *q++ != ' ' || end - q < 65)
		return -1;
	for (int i = 0; i < 64; i++)
		if (!((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'a' && q[i] <= 'f')))
			return -1;
	memcpy(out->leaf, q, 64);
	out->leaf[64] = '\0';
	q += 64;
	if (*q++ != ' ')
		return -1;
	for (nd = 0; q < end && *q >= '0' && *q <= '9'; q++, nd++) {
		if (r > 1000)
			return -1;
		r = r * 10 + (unsigned)(*q - '0');
	}
	if (nd == 0 || (nd > 1 && q[-(long)nd] == '0') || q >= end || *q++ != '\n')
		return -1;
	out->index = v;
	out->reasons = r;
	*p = q;
	return 0;
}

int aims__review_pack_read(pick **items, size_t *cap, const char *text, size_t len, int64_t n, int64_t lo, int64_t hi,
			   int64_t *bad)
{
	const char *p = text, *end = text + len;
	int64_t k = 0;
	int err;
	*bad = 0;
	/* a line is at least 69 bytes: the count is checked before any memory is taken for it */
	if (n <= 0 || (uint64_t)n > len / 69 || (uint64_t)n > SIZE_MAX / sizeof(pick))
		return 1;
	if ((err = aims__grow(items, cap, (size_t)n, sizeof(**items))) < 0)
		return err;
	for (; k < n && p < end; k++)
		if (pack_line(&(*items)[k], &p, end) < 0 || (int64_t)(*items)[k].index < lo ||
		    (int64_t)(*items)[k].index > hi) {
			*bad = k + 1;
			return 1;
		}
	if (k != n || p != end) {
		*bad = k < n ? 0 : n + 1;
		return 1;
	}
	return 0;
}

/*
 * The committed packs (write_pack) turned into queue rows, in a transaction
 * (nested in the caller's when it has one): what every reading and writing
 * of the queue does first, so that they see one table. A read of the
 * (usually empty) pack table when there are none. A pack whose lines do not
 * read back as its count of selections, in its range of entries, is
 * refused as tampered with.
 */
int aims__review_settle(aims_store *store)
{
	aims__stmt *st = NULL, *del = NULL;
	row_stmts qs = { NULL, NULL, NULL };
	pick *items = NULL;
	size_t cap = 0;
	int err, began = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM review_packs WHERE" PACK_COMMITTED "LIMIT 1")) < 0 ||
	    (err = aims__stmt_step(st)) <= 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims__stmt_prepare(&del, store, "DELETE FROM review_packs WHERE system = ? AND first_seq = ?")) < 0)
		goto done;
	/* one pack at a time: a reading is not kept open across the writes */
	for (;;) {
		aims__stmt_free(st);
		st = NULL;
		if ((err = aims__stmt_prepare(&st, store, "SELECT system, first_seq, n, first_entry, last_entry, policy, "
					      "selected_at, lines FROM review_packs WHERE" PACK_COMMITTED
					      "ORDER BY system, first_seq LIMIT 1")) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		if (err == 0)
			break;
		const char *system = aims__stmt_text(st, 0), *lines = aims__stmt_text(st, 7);
		int64_t first = aims__stmt_int64(st, 1), n = aims__stmt_int64(st, 2), bad = 0;
		if ((err = aims__review_pack_read(&items, &cap, lines ? lines : "", lines ? strlen(lines) : 0, n,
						  aims__stmt_int64(st, 3), aims__stmt_int64(st, 4), &bad)) < 0)
			goto done;
		if (err == 0 && first <= 0)
			err = 1;
		if (err == 1 && bad > 0) {
			err = aims__err(AIMS_ETAMPERED, "review queue: line %lld of the pack of %s from REV-%06lld is not "
					"\"INDEX LEAF_HASH REASONS\" in its range of entries", (long long)bad,
					system ? system : "?", (long long)first);
			goto done;
		}
		if (err == 1) {
			err = aims__err(AIMS_ETAMPERED, "review queue: the pack of %s from REV-%06lld does not hold the %lld "
					"selections it says", system ? system : "?", (long long)first, (long long)n);
			goto done;
		}
		int64_t seq = first - 1;
		if ((err = write_rows(store, &qs, system, aims__stmt_text(st, 5), aims__stmt_text(st, 6), items, (size_t)n,
				      &seq, NULL)) < 0 ||
		    (err = aims__stmt_reset(del)) < 0 || (err = aims__stmt_bind_text(del, 1, system)) < 0 ||
		    (err = aims__stmt_bind_int64(del, 2, first)) < 0 || (err = aims__stmt_step(del)) < 0)
			goto done;
	}
	err = aims_store_commit(store);
	began = 0;
done:
	if (began)
		aims_store_rollback(store);
	row_stmts_free(&qs);
	aims__stmt_free(st);
	aims__stmt_free(del);
	aims__free(items);
	return err < 0 ? err : 0;
}

/* ---- queue items ---- */

#define Q_COLS "seq, system, entry, leaf_hash, reasons, policy, status, selected_at, assigned_to, assigned_at, " \
	       "reviewer, action, reviewed_at, review_entry, review_leaf_hash"

static json_t *item_json(aims__stmt *st)
{
	char id[32];
	snprintf(id, sizeof(id), "REV-%06lld", (long long)aims__stmt_int64(st, 0));
	int has_re = aims__stmt_text(st, 13) != NULL;
	return json_pack("{s:s, s:s, s:I, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", id,
			 "system", aims__stmt_text(st, 1), "entry", (json_int_t)aims__stmt_int64(st, 2), "leaf_hash",
			 aims__stmt_text(st, 3), "reasons", reasons_json((unsigned)aims__stmt_int64(st, 4)), "policy",
			 aims__stmt_text(st, 5), "status", aims__stmt_text(st, 6), "selected_at", aims__stmt_text(st, 7),
			 "assigned_to", jstr(aims__stmt_text(st, 8)), "assigned_at", jstr(aims__stmt_text(st, 9)),
			 "reviewer", jstr(aims__stmt_text(st, 10)), "action", jstr(aims__stmt_text(st, 11)), "reviewed_at",
			 jstr(aims__stmt_text(st, 12)), "review_entry",
			 has_re ? json_integer(aims__stmt_int64(st, 13)) : json_null(), "review_leaf_hash",
			 jstr(aims__stmt_text(st, 14)));
}

/* REV-NNNNNN: the item's seq */
static int id_seq(int64_t *seq, const char *id)
{
	char *end = NULL;
	*seq = 0;
	if (id && strncmp(id, "REV-", 4) == 0 && id[4] >= '0' && id[4] <= '9')
		*seq = strtoll(id + 4, &end, 10);
	if (!end || *end || *seq <= 0)
		return aims__err(AIMS_ENOTFOUND, "no review item '%s' (see 'aims review list')", id ? id : "");
	return 0;
}

static int item_row(json_t **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	int64_t seq;
	int err;
	*out = NULL;
	if ((err = id_seq(&seq, id)) < 0 || (err = aims__review_settle(store)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " Q_COLS " FROM review_queue WHERE seq = ? AND" AIMS__REVIEW_COMMITTED)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, seq)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no review item '%s' (see 'aims review list')", id);
		goto done;
	}
	if (!(*out = item_json(st)))
		err = aims__oom();
	else
		err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* the item with its decision record (and the record's explanation shown apart) */
static int with_record(json_t *item, aims_store *store)
{
	aims_decision_log *log = NULL;
	aims_note_signer *signer = NULL;
	one_rec r;
	json_t *rec = NULL;
	char leaf[65];
	int err;
	memset(&r, 0, sizeof(r));
	if ((err = open_log(&log, &signer, store, json_string_value(json_object_get(item, "system")), 0)) < 0)
		return err;
	if ((err = read_entry(&r, log, (uint64_t)json_integer_value(json_object_get(item, "entry")))) < 0)
		goto done;
	hex32(leaf, r.leaf);
	if (strcmp(leaf, json_string_value(json_object_get(item, "leaf_hash"))) != 0) {
		err = aims__err(AIMS_ETAMPERED, "%s: entry %lld of the decision log no longer has the leaf hash it was "
				"selected with", json_string_value(json_object_get(item, "id")),
				(long long)json_integer_value(json_object_get(item, "entry")));
		goto done;
	}
	if (r.data && !(rec = json_loadb(r.data, r.len, 0, NULL))) {
		err = aims__err(AIMS_ETAMPERED, "%s: the decision record is not JSON", json_string_value(json_object_get(item, "id")));
		goto done;
	}
	json_t *expl = rec ? json_object_get(rec, "explanation") : NULL;
	if (json_object_set_new(item, "explanation", expl ? json_incref(expl) : json_null()) < 0 ||
	    json_object_set_new(item, "decision", rec ? rec : json_null()) < 0) {
		rec = NULL;
		err = aims__oom();
		goto done;
	}
	rec = NULL;
	err = 0;
done:
	json_decref(rec);
	aims__free(r.data);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	return err;
}

int aims_review_get(json_t **out, aims_store *store, const char *id)
{
	int err;
	if ((err = item_row(out, store, id)) < 0)
		return err;
	if ((err = with_record(*out, store)) < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

int aims_review_list(json_t **out, aims_store *store, const char *system, const char *status, int64_t limit)
{
	aims__stmt *st = NULL;
	json_t *a = json_array();
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	if ((err = aims__review_settle(store)) < 0 ||
	    (err = aims__stmt_prepare(&st, store, "SELECT " Q_COLS " FROM review_queue WHERE (CAST(? AS TEXT) IS NULL OR system = ?) "
				      "AND (CAST(? AS TEXT) IS NULL OR status = ?) AND" AIMS__REVIEW_COMMITTED "ORDER BY seq LIMIT ?")) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 1, system) : aims__stmt_bind_null(st, 1)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = status ? aims__stmt_bind_text(st, 3, status) : aims__stmt_bind_null(st, 3)) < 0 ||
	    (err = status ? aims__stmt_bind_text(st, 4, status) : aims__stmt_bind_null(st, 4)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 5, limit > 0 ? limit : INT64_MAX)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1)
		if (json_array_append_new(a, item_json(st)) < 0) {
			err = aims__oom();
			goto done;
		}
	if (err < 0)
		goto done;
	if (!(*out = json_pack("{s:o}", "reviews", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(a);
	return err;
}

int aims_review_next(json_t **out, aims_store *store, const char *system)
{
	const aims_principal *who;
	aims__stmt *st = NULL;
	json_t *item = NULL;
	char id[32] = "", now[32];
	int err, began = 0, fresh = 0;

	*out = NULL;
	if ((err = aims__ov_principal(&who, store)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__review_settle(store)) < 0)
		goto done;
	/* one at a time: the item already assigned to this reviewer comes back first */
	if ((err = aims__stmt_prepare(&st, store, "SELECT seq FROM review_queue WHERE status = 'assigned' AND "
				      "assigned_to = ? AND (CAST(? AS TEXT) IS NULL OR system = ?) ORDER BY seq LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, who->name)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 3, system) : aims__stmt_bind_null(st, 3)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1)
		snprintf(id, sizeof(id), "REV-%06lld", (long long)aims__stmt_int64(st, 0));
	aims__stmt_free(st);
	st = NULL;
	if (!id[0]) {
		if ((err = aims__stmt_prepare(&st, store, "SELECT seq FROM review_queue WHERE status = 'pending' AND "
					      "(CAST(? AS TEXT) IS NULL OR system = ?) AND" AIMS__REVIEW_COMMITTED "ORDER BY seq LIMIT 1")) < 0 ||
		    (err = system ? aims__stmt_bind_text(st, 1, system) : aims__stmt_bind_null(st, 1)) < 0 ||
		    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		if (err == 1) {
			snprintf(id, sizeof(id), "REV-%06lld", (long long)aims__stmt_int64(st, 0));
			fresh = 1;
		}
		aims__stmt_free(st);
		st = NULL;
	}
	if (fresh) {
		aims__time_now(now);
		int64_t seq;
		if ((err = id_seq(&seq, id)) < 0 ||
		    (err = aims__stmt_prepare(&st, store, "UPDATE review_queue SET status = 'assigned', assigned_to = ?, "
					      "assigned_at = ? WHERE seq = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, who->name)) < 0 || (err = aims__stmt_bind_text(st, 2, now)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, seq)) < 0 || (err = aims__stmt_step(st)) < 0 ||
		    (err = aims_ledger_append(store, "assign", "decision-review", id, NULL, NULL)) < 0)
			goto done;
	}
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (!id[0]) {
		if (!(*out = json_pack("{s:n}", "item")))
			err = aims__oom();
		goto done;
	}
	if ((err = aims_review_get(&item, store, id)) < 0)
		goto done;
	if (!(*out = json_pack("{s:o}", "item", item)))
		err = aims__oom();
	item = NULL;
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	json_decref(item);
	return err;
}

int aims_review_decide(json_t **out, aims_store *store, const char *id, const char *action, const char *outcome_json,
		       const char *reason)
{
	const aims_principal *who;
	aims_decision_log *log = NULL;
	aims_note_signer *signer = NULL;
	aims__stmt *st = NULL;
	json_t *item = NULL, *outcome = NULL, *rec = NULL, *review = NULL;
	one_rec r;
	char now[32], leaf[65], rleaf[65], dg[72], *canon = NULL;
	size_t clen;
	uint8_t h[32];
	int64_t qseq = 0;
	int err, began = 0, override;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if ((err = aims__ov_principal(&who, store)) < 0)
		return err;
	if (!action || (strcmp(action, "accept") != 0 && strcmp(action, "override") != 0))
		return aims__err(AIMS_EINVALID, "action '%s': expected accept or override", action ? action : "");
	override = strcmp(action, "override") == 0;
	if (override && (!reason || !aims__text_ok(reason, 0)))
		return aims__err(AIMS_EINVALID, "reason: an override needs the reviewer's reason");
	if (override && !outcome_json)
		return aims__err(AIMS_EINVALID, "outcome: an override records the human outcome");
	if (outcome_json) {
		json_error_t je;
		if (!(outcome = json_loads(outcome_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je)))
			return aims__err(AIMS_EINVALID, "outcome: not JSON (%s)", je.text);
		if (!override) {
			json_decref(outcome);
			return aims__err(AIMS_EINVALID, "outcome: an accepted decision keeps the AI's output");
		}
	}
	if ((err = item_row(&item, store, id)) < 0)
		goto done;
	const char *system = json_string_value(json_object_get(item, "system"));
	const char *status = json_string_value(json_object_get(item, "status"));
	const char *assigned = json_string_value(json_object_get(item, "assigned_to"));
	if (strcmp(status, "reviewed") == 0) {
		err = aims__err(AIMS_ECONFLICT, "%s was reviewed already by %s (%s)", id,
				json_string_value(json_object_get(item, "reviewer")),
				json_string_value(json_object_get(item, "action")));
		goto done;
	}
	if (assigned && !aims_principal_is(who, assigned)) {
		err = aims__err(AIMS_ECONFLICT, "%s is assigned to %s: '%s' takes the next one with 'aims review next'", id,
				assigned, who->name);
		goto done;
	}
	/* the log's lock first, then the store: the review record's index is the log's size */
	if ((err = open_log(&log, &signer, store, system, 1)) < 0)
		goto done;
	uint64_t entry = (uint64_t)json_integer_value(json_object_get(item, "entry"));
	if ((err = read_entry(&r, log, entry)) < 0)
		goto done;
	hex32(leaf, r.leaf);
	if (strcmp(leaf, json_string_value(json_object_get(item, "leaf_hash"))) != 0) {
		err = aims__err(AIMS_ETAMPERED, "%s: entry %" PRIu64 " of decision log '%s' no longer has the leaf hash "
				"it was selected with", id, entry, system);
		goto done;
	}
	if (r.pruned) {
		err = aims__err(AIMS_ECONFLICT, "%s: entry %" PRIu64 " was pruned; there is nothing left to review", id, entry);
		goto done;
	}
	aims__time_now(now);
	if (!(review = json_pack("{s:s, s:I, s:s, s:s}", "action", action, "entry", (json_int_t)entry, "leaf_hash", leaf,
				 "reviewer", who->name)) ||
	    (outcome && json_object_set_new(review, "outcome", outcome) < 0) ||
	    (reason && json_object_set_new(review, "reason", json_string(reason)) < 0)) {
		outcome = NULL;
		err = aims__oom();
		goto done;
	}
	outcome = NULL;
	if (!(rec = json_pack("{s:O, s:s}", "review", review, "time", now))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__ov_canonical(&canon, &clen, rec)) < 0 || (err = aims_merkle_leaf_hash(h, canon, clen)) < 0 ||
	    (err = aims_ledger_digest(dg, canon, clen)) < 0)
		goto done;
	hex32(rleaf, h);
	uint64_t rindex = aims_decision_size(log);
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims__stmt_prepare(&st, store, "UPDATE review_queue SET status = 'reviewed', reviewer = ?, action = ?, "
				      "reviewed_at = ?, review_entry = ?, review_leaf_hash = ?, assigned_to = COALESCE("
				      "assigned_to, ?), assigned_at = COALESCE(assigned_at, ?) WHERE seq = ? AND status <> "
				      "'reviewed'")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, who->name)) < 0 || (err = aims__stmt_bind_text(st, 2, action)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, now)) < 0 || (err = aims__stmt_bind_int64(st, 4, (int64_t)rindex)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, rleaf)) < 0 || (err = aims__stmt_bind_text(st, 6, who->name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, now)) < 0 ||
	    (err = id_seq(&qseq, id)) < 0 || (err = aims__stmt_bind_int64(st, 8, qseq)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, "review", "decision-review", id, dg, NULL)) < 0)
		goto done;
	/* the review record, through the decision log's append API, made durable and checkpointed */
	if ((err = aims_decision_append(log, canon, clen)) < 0)
		goto done;
	err = aims_decision_close(log);
	log = NULL;
	if (err < 0)
		goto done;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	err = aims_review_get(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	aims__free(r.data);
	aims__free(canon);
	json_decref(item);
	json_decref(outcome);
	json_decref(review);
	json_decref(rec);
	return err;
}

/* ---- metrics, recomputed from the log ---- */

typedef struct {
	uint64_t entry;        /* the reviewed entry */
	uint64_t index;        /* the review record's own index */
	char leaf[65];
	int override;
	int64_t t;
} rv;

typedef struct {
	uint64_t entry;
	int reviewed_in_queue;
} qi;

typedef struct {
	/* pass 1 */
	rv *reviews;
	size_t nreviews, cap;
	uint64_t review_records, pruned;
	/* pass 2 */
	int64_t since, until;
	int has_since, has_until;
	qi *queue;
	size_t nqueue;
	uint64_t decisions, selected, reviewed, at_source, overrides, backlog, explanations, invalid;
	double *durations;
	size_t ndur, durcap;
	const char *system;
} mctx;

static int rv_cmp(const void *a, const void *b)
{
	const rv *x = a, *y = b;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int record_time(int64_t *t, aims__jspan v)
{
	if (v.n < 2 || v.p[0] != '"')
		return -1;
	return aims__rfc3339(t, NULL, v.p + 1, v.n - 2, 0);
}

/* pass 1: the review records (few) */
static int pass1(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	static const char *const keys[] = { "review", "time" };
	mctx *m = arg;
	aims__jspan v[2], e;
	(void)leaf;
	if (!data) {
		m->pruned++;
		return 0;
	}
	if (aims__jscan_members(v, keys, 2, data, len) < 0)
		return aims__err(AIMS_ETAMPERED, "decision log '%s' entry %" PRIu64 ": not a JSON object", m->system, index);
	if (!v[0].p || aims__jscan_path(&e, v[0], "entry") != 1)
		return 0;
	json_t *rec = json_loadb(data, len, 0, NULL);
	json_t *r = json_object_get(rec, "review");
	const char *lh = json_string_value(json_object_get(r, "leaf_hash"));
	const char *action = json_string_value(json_object_get(r, "action"));
	json_t *ent = json_object_get(r, "entry");
	int64_t t;
	m->review_records++;
	if (!json_is_integer(ent) || json_integer_value(ent) < 0 || (uint64_t)json_integer_value(ent) >= index || !lh ||
	    strlen(lh) != 64 || !action || record_time(&t, v[1]) < 0) {
		m->invalid++;
		json_decref(rec);
		return 0;
	}
	int err = aims__grow(&m->reviews, &m->cap, m->nreviews + 1, sizeof(*m->reviews));
	if (err == 0) {
		rv *x = &m->reviews[m->nreviews++];
		x->entry = (uint64_t)json_integer_value(ent);
		x->index = index;
		snprintf(x->leaf, sizeof(x->leaf), "%s", lh);
		x->override = strcmp(action, "override") == 0;
		x->t = t;
	}
	json_decref(rec);
	return err;
}

static qi *queue_find(mctx *m, uint64_t entry)
{
	size_t lo = 0, hi = m->nqueue;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->queue[mid].entry == entry)
			return &m->queue[mid];
		if (m->queue[mid].entry < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* pass 2: the decisions of the period */
static int pass2(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	static const char *const keys[] = { "review", "time", "explanation" };
	mctx *m = arg;
	aims__jspan v[3], e;
	int64_t t;
	if (!data || aims__jscan_members(v, keys, 3, data, len) < 0)
		return 0;
	if (v[0].p && aims__jscan_path(&e, v[0], "entry") == 1)
		return 0; /* a review record */
	if (record_time(&t, v[1]) < 0)
		return aims__err(AIMS_ETAMPERED, "decision log '%s' entry %" PRIu64 ": no valid time", m->system, index);
	if ((m->has_since && t < m->since) || (m->has_until && t >= m->until))
		return 0;
	m->decisions++;
	if (v[2].p)
		m->explanations++;
	int reviewed = 0, override = 0;
	if (v[0].p) {
		/* reviewed where the decision was made */
		aims__jspan a;
		reviewed = 1;
		m->at_source++;
		override = aims__jscan_path(&a, v[0], "action") == 1 && aims__jscan_is(a, "override");
	}
	/* review records naming this entry with its leaf hash: the first gives the time, the last the outcome */
	char lh[65];
	hex32(lh, leaf);
	rv key;
	memset(&key, 0, sizeof(key));
	key.entry = index;
	size_t lo = 0, hi = m->nreviews;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->reviews[mid].entry < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	const rv *first = NULL, *last = NULL;
	for (size_t i = lo; i < m->nreviews && m->reviews[i].entry == index; i++) {
		if (strcmp(m->reviews[i].leaf, lh) != 0) {
			m->invalid++;
			continue;
		}
		if (!first)
			first = &m->reviews[i];
		last = &m->reviews[i];
	}
	if (first) {
		int err;
		if (!reviewed && (err = aims__grow(&m->durations, &m->durcap, m->ndur + 1, sizeof(double))) < 0)
			return err;
		if (!reviewed)
			m->durations[m->ndur++] = (double)(first->t - t);
		reviewed = 1;
		override = last->override;
	}
	if (reviewed)
		m->reviewed++;
	if (reviewed && override)
		m->overrides++;
	if (queue_find(m, index)) {
		m->selected++;
		if (!reviewed)
			m->backlog++;
	}
	return 0;
}

static int bound(int64_t *t, int *has, const char *s, const char *what)
{
	*has = 0;
	if (!s)
		return 0;
	if (aims__rfc3339(t, NULL, s, strlen(s), 0) < 0)
		return aims__err(AIMS_EINVALID, "%s '%s': not an RFC 3339 date-time (e.g. 2026-01-31T00:00:00Z)", what, s);
	*has = 1;
	return 0;
}

static json_t *ratio(uint64_t a, uint64_t b)
{
	return b ? json_real((double)a / (double)b) : json_null();
}

/* one system's overdue items under its policy's deadline, appended to `a` when there are any */
static int overdue_of(json_t *a, aims_store *store, const char *system, int64_t now)
{
	aims_policy *p = NULL;
	aims__stmt *st = NULL;
	char cutoff[32], pref[160];
	int err;
	if ((err = aims_policy_for_system(&p, store, system)) < 0)
		return err;
	if (!p || !p->review.present || p->review.due_days <= 0) {
		aims_policy_free(p);
		return 0;
	}
	aims__time_format(cutoff, now - (int64_t)p->review.due_days * 86400);
	snprintf(pref, sizeof(pref), "%s@%d", p->name, p->version);
	if ((err = aims__stmt_prepare(&st, store, "SELECT COUNT(*), MIN(seq), MIN(selected_at) FROM review_queue "
				      "WHERE status IN ('pending', 'assigned') AND system = ? AND selected_at < ? AND"
				      AIMS__REVIEW_COMMITTED)) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_text(st, 2, cutoff)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
	int64_t n = aims__stmt_int64(st, 0);
	if (n > 0) {
		char id[32];
		snprintf(id, sizeof(id), "REV-%06lld", (long long)aims__stmt_int64(st, 1));
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:I, s:s, s:s}", "system", system, "policy",
						       pref, "due_days", p->review.due_days, "selected_before", cutoff,
						       "overdue", (json_int_t)n, "oldest", id, "oldest_selected_at",
						       aims__stmt_text(st, 2))) < 0)
			err = aims__oom();
	}
done:
	aims__stmt_free(st);
	aims_policy_free(p);
	return err;
}

int aims_review_overdue(json_t **out, aims_store *store, const char *system)
{
	json_t *a = json_array();
	int64_t now = aims__clock_now();
	int err = 0;
	*out = NULL;
	if (!a)
		return aims__oom();
	if ((err = aims__review_settle(store)) < 0)
		goto done;
	if (system) {
		aims_system *sys = NULL;
		if ((err = aims_system_get(&sys, store, system)) < 0)
			goto done;
		aims_system_free(sys);
		err = overdue_of(a, store, system, now);
	} else {
		aims_systems *l = NULL;
		if ((err = aims_system_list(&l, store)) < 0)
			goto done;
		for (size_t i = 0; err >= 0 && i < l->count; i++)
			err = overdue_of(a, store, l->items[i]->name, now);
		aims_systems_free(l);
	}
	if (err >= 0 && !(*out = json_pack("{s:O}", "overdue_reviews", a)))
		err = aims__oom();
done:
	json_decref(a);
	return err < 0 ? err : 0;
}

int aims_review_metrics(json_t **out, aims_store *store, const char *system, const char *since, const char *until)
{
	aims_decision_log *log = NULL;
	aims_note_signer *signer = NULL;
	aims_system *sys = NULL;
	aims__stmt *st = NULL;
	mctx m;
	size_t qcap = 0;
	char now[32];
	int err;

	*out = NULL;
	memset(&m, 0, sizeof(m));
	m.system = system;
	if ((err = bound(&m.since, &m.has_since, since, "since")) < 0 ||
	    (err = bound(&m.until, &m.has_until, until, "until")) < 0 || (err = aims_system_get(&sys, store, system)) < 0)
		goto done;
	/* the queue: which entries were selected */
	if ((err = aims__review_settle(store)) < 0 ||
	    (err = aims__stmt_prepare(&st, store, "SELECT entry, status FROM review_queue WHERE system = ? AND"
				      AIMS__REVIEW_COMMITTED "ORDER BY entry")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&m.queue, &qcap, m.nqueue + 1, sizeof(*m.queue))) < 0)
			goto done;
		m.queue[m.nqueue].entry = (uint64_t)aims__stmt_int64(st, 0);
		m.queue[m.nqueue].reviewed_in_queue = strcmp(aims__stmt_text(st, 1), "reviewed") == 0;
		m.nqueue++;
	}
	if (err < 0)
		goto done;
	if ((err = open_log(&log, &signer, store, system, 0)) == AIMS_ENOTFOUND)
		aims_error_clear(); /* no decision log yet: every count is 0 */
	else if (err < 0)
		goto done;
	if (log) {
		if ((err = aims_decision_foreach(log, 0, 0, pass1, &m)) != 0)
			goto fail_foreach;
		if (m.nreviews > 1)
			qsort(m.reviews, m.nreviews, sizeof(*m.reviews), rv_cmp);
		if ((err = aims_decision_foreach(log, 0, 0, pass2, &m)) != 0)
			goto fail_foreach;
	}
	json_t *median = json_null();
	if (m.ndur) {
		qsort(m.durations, m.ndur, sizeof(double), dbl_cmp);
		median = json_real(m.ndur % 2 ? m.durations[m.ndur / 2] :
				   (m.durations[m.ndur / 2 - 1] + m.durations[m.ndur / 2]) / 2);
	}
	aims__time_now(now);
	*out = json_pack("{s:s, s:o, s:o, s:I, s:I, s:I, s:o, s:I, s:I, s:o, s:o, s:I, s:I, s:o, s:I, s:I, s:I, s:I, "
			 "s:s}", "system", system, "since", jstr(since), "until", jstr(until), "decisions",
			 (json_int_t)m.decisions, "selected", (json_int_t)m.selected, "reviewed", (json_int_t)m.reviewed,
			 "share_reviewed", ratio(m.reviewed, m.decisions), "reviewed_at_source", (json_int_t)m.at_source,
			 "overrides", (json_int_t)m.overrides, "override_rate", ratio(m.overrides, m.reviewed),
			 "median_time_to_review_seconds", median, "backlog", (json_int_t)m.backlog, "explanations",
			 (json_int_t)m.explanations, "explanation_share", ratio(m.explanations, m.decisions),
			 "review_records", (json_int_t)m.review_records, "reviews_invalid", (json_int_t)m.invalid,
			 "pruned", (json_int_t)m.pruned, "log_size", (json_int_t)(log ? aims_decision_size(log) : 0),
			 "computed_at", now);
	err = *out ? 0 : aims__oom();
	goto done;
fail_foreach:
	if (err > 0)
		err = aims__oom();
done:
	aims__stmt_free(st);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	aims_system_free(sys);
	aims__free(m.reviews);
	aims__free(m.queue);
	aims__free(m.durations);
	return err;
}

/* ---- metrics as evidence ---- */

#define EVIDENCE_FOR "iso42001-2023:9.1 eu-ai-act-2024:Article 14 eu-ai-act-2024:Article 26"

int aims_review_report(json_t **out, aims_store *store, const char *system, const char *since, const char *until)
{
	json_t *metrics = NULL, *ev = NULL;
	aims_aiact_items *items = NULL;
	aims__stmt *st = NULL;
	char *canon = NULL, id[32], dg[72], now[32], ref[64];
	size_t clen;
	int64_t seq;
	int err, began = 0;

	*out = NULL;
	if ((err = aims_review_metrics(&metrics, store, system, since, until)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM oversight_reports")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	st = NULL;
	snprintf(id, sizeof(id), "OVR-%04lld", (long long)seq);
	snprintf(ref, sizeof(ref), "oversight-report:%s", id);
	aims__time_now(now);
	if (!(ev = json_pack("[sss]", "iso42001-2023:9.1", "eu-ai-act-2024:Article 14", "eu-ai-act-2024:Article 26")) ||
	    json_object_set_new(metrics, "id", json_string(id)) < 0 || json_object_set(metrics, "evidence_for", ev) < 0 ||
	    json_object_set_new(metrics, "recorded_by", json_string(aims_store_actor(store))) < 0 ||
	    json_object_set_new(metrics, "recorded_at", json_string(now)) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__ov_canonical(&canon, &clen, metrics)) < 0 || (err = aims_ledger_digest(dg, canon, clen)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO oversight_reports (id, seq, system, since, until, metrics, "
				      "evidence_for, digest, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, system)) < 0 ||
	    (err = since ? aims__stmt_bind_text(st, 4, since) : aims__stmt_bind_null(st, 4)) < 0 ||
	    (err = until ? aims__stmt_bind_text(st, 5, until) : aims__stmt_bind_null(st, 5)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, canon)) < 0 || (err = aims__stmt_bind_text(st, 7, EVIDENCE_FOR)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, dg)) < 0 || (err = aims__stmt_bind_text(st, 9, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims_ledger_append(store, "record", "oversight-report", id, dg, NULL)) < 0)
		goto done;
	/* the report is evidence of the human-oversight obligations the system has */
	json_t *linked = json_array();
	if (!linked || json_object_set_new(metrics, "obligations", linked) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_aiact_items_read(&items, store, system, 0)) < 0)
		goto done;
	for (size_t i = 0; i < items->count; i++) {
		const aims_aiact_item *it = &items->items[i];
		if (strcmp(it->key, "art14-human-oversight") != 0 && strcmp(it->key, "art26-use-and-oversight") != 0)
			continue;
		aims_aiact_set_opts o = AIMS_AIACT_SET_INIT;
		const char *add[1] = { ref };
		o.add_evidence = add;
		o.nadd = 1;
		if ((err = aims_aiact_item_set(store, it->id, &o)) < 0)
			goto done;
		if (json_array_append_new(linked, json_string(it->id)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (json_object_set_new(metrics, "digest", json_string(dg)) < 0) {
		err = aims__oom();
		goto done;
	}
	*out = metrics;
	metrics = NULL;
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	aims_aiact_items_free(items);
	aims__free(canon);
	json_decref(ev);
	json_decref(metrics);
	return err;
}

int aims_review_reports(json_t **out, aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	json_t *a = json_array();
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, metrics, digest FROM oversight_reports WHERE "
				      "(CAST(? AS TEXT) IS NULL OR system = ?) ORDER BY seq")) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 1, system) : aims__stmt_bind_null(st, 1)) < 0 ||
	    (err = system ? aims__stmt_bind_text(st, 2, system) : aims__stmt_bind_null(st, 2)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *m = aims__stmt_text(st, 1);
		json_t *j = m ? json_loads(m, 0, NULL) : NULL;
		if (!json_is_object(j)) {
			json_decref(j);
			err = aims__err(AIMS_ETAMPERED, "%s: the stored review metrics are not a JSON object",
					aims__stmt_text(st, 0));
			goto done;
		}
		if (json_object_set_new(j, "digest", json_string(aims__stmt_text(st, 2))) < 0) {
			json_decref(j);
			err = aims__oom();
			goto done;
		}
		if (json_array_append_new(a, j) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (err < 0)
		goto done;
	err = (*out = json_pack("{s:O}", "reports", a)) ? 0 : aims__oom();
done:
	aims__stmt_free(st);
	json_decref(a);
	return err;
}

/* ---- the system card's section ---- */

static const char *numtext(char *buf, size_t n, json_t *v, int pct)
{
	if (!json_is_number(v))
		return "n/a";
	if (pct)
		snprintf(buf, n, "%.1f%%", json_number_value(v) * 100);
	else
		snprintf(buf, n, "%.0f", json_number_value(v));
	return buf;
}

int aims_oversight_card_md(aims_buf *md, aims_store *store, const char *system)
{
	aims_policy *p = NULL;
	json_t *m = NULL, *exc = NULL, *checks = NULL, *x;
	char a[32], b[32], c[32], d[32];
	size_t i;
	int err;
	if ((err = aims_policy_for_system(&p, store, system)) < 0)
		return err;
	if ((err = aims_buf_puts(md, "\n## Human oversight: gates and review\n\n")) < 0)
		goto done;
	if (p)
		err = aims_buf_printf(md, "Policy in force: %s version %d (%s).\n\n", p->name, p->version, p->digest);
	else
		err = aims_buf_puts(md, "No policy applies to this system: its lifecycle gates are open and no decision is "
				    "selected for review.\n\n");
	if (err < 0 || (err = aims_review_metrics(&m, store, system, NULL, NULL)) < 0)
		goto done;
	err = aims_buf_printf(md, "Review of AI decisions (all time, from the decision log): %lld decisions, %lld selected "
			      "for review, %lld reviewed (%s), %lld overridden (override rate %s), median time to review "
			      "%s s, backlog %lld; decisions with an explanation: %lld (%s). Evidence for ISO/IEC 42001 9.1 "
			      "and EU AI Act Art. 14 and 26.\n",
			      (long long)json_integer_value(json_object_get(m, "decisions")),
			      (long long)json_integer_value(json_object_get(m, "selected")),
			      (long long)json_integer_value(json_object_get(m, "reviewed")),
			      numtext(a, sizeof(a), json_object_get(m, "share_reviewed"), 1),
			      (long long)json_integer_value(json_object_get(m, "overrides")),
			      numtext(b, sizeof(b), json_object_get(m, "override_rate"), 1),
			      numtext(c, sizeof(c), json_object_get(m, "median_time_to_review_seconds"), 0),
			      (long long)json_integer_value(json_object_get(m, "backlog")),
			      (long long)json_integer_value(json_object_get(m, "explanations")),
			      numtext(d, sizeof(d), json_object_get(m, "explanation_share"), 1));
	if (err < 0 || (err = aims_gate_exception_list(&exc, store, system, 0)) < 0)
		goto done;
	if ((err = aims_buf_puts(md, "\nGate exceptions in force:")) < 0)
		goto done;
	int any = 0;
	json_array_foreach(json_object_get(exc, "exceptions"), i, x) {
		if (strcmp(json_string_value(json_object_get(x, "status")), "active") != 0)
			continue;
		any = 1;
		if ((err = aims_buf_printf(md, "\n\n- %s: %s -> %s until %s: %s", json_string_value(json_object_get(x, "id")),
					   json_string_value(json_object_get(x, "model")),
					   json_string_value(json_object_get(x, "stage")),
					   json_string_value(json_object_get(x, "expires")),
					   json_string_value(json_object_get(x, "reason")))) < 0)
			goto done;
	}
	if ((err = aims_buf_puts(md, any ? "\n" : " none.\n")) < 0 || (err = aims_gate_checks(&checks, store, system, 5)) < 0)
		goto done;
	if (json_array_size(json_object_get(checks, "checks")) &&
	    (err = aims_buf_puts(md, "\nLatest gate checks:\n")) < 0)
		goto done;
	json_array_foreach(json_object_get(checks, "checks"), i, x) {
		json_t *exn = json_object_get(x, "exception");
		if ((err = aims_buf_printf(md, "\n- %s %s: %s -> %s %s%s%s (%zu unmet)",
					   json_string_value(json_object_get(x, "check_id")),
					   json_string_value(json_object_get(x, "checked_at")),
					   json_string_value(json_object_get(x, "model")),
					   json_string_value(json_object_get(x, "stage")),
					   json_is_true(json_object_get(x, "allowed")) ? "allowed" : "refused",
					   json_is_object(exn) ? " by exception " : "",
					   json_is_object(exn) ? json_string_value(json_object_get(exn, "id")) : "",
					   json_array_size(json_object_get(x, "unmet")))) < 0)
			goto done;
	}
	if (json_array_size(json_object_get(checks, "checks")))
		err = aims_buf_puts(md, "\n");
done:
	aims_policy_free(p);
	json_decref(m);
	json_decref(exc);
	json_decref(checks);
	return err;
}

/*
 * The state check (docs/ledger.md "State against the ledger"): an oversight
 * report's digest is that of its canonical metrics as stored, which its
 * ledger entry names. The columns kept beside them (id, system, since, until,
 * evidence, actor, time, digest) must say what the metrics say; a row where
 * they do not, or whose metrics are no longer a JSON object, gets the digest
 * of nothing any entry recorded, so it is reported as changed.
 */
int aims__oversight_report_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_buf ev = AIMS_BUF_INIT;
	static const char bad[] = "oversight report: columns differ from the metrics";
	char id[32], dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, seq, system, since, until, metrics, evidence_for, digest, "
				      "actor, recorded_at FROM oversight_reports ORDER BY seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *rid = aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "", *txt = aims__stmt_text(st, 5);
		json_t *m = txt ? json_loads(txt, 0, NULL) : NULL, *e;
		size_t i;
		snprintf(id, sizeof(id), "OVR-%04lld", (long long)aims__stmt_int64(st, 1));
		aims_buf_clear(&ev);
		json_array_foreach(json_object_get(m, "evidence_for"), i, e)
			if ((err = aims_buf_printf(&ev, "%s%s", i ? " " : "", json_string_value(e) ? json_string_value(e) :
						   "")) < 0)
				break;
		if (err < 0) {
			json_decref(m);
			break;
		}
		const char *key[] = { "id", "system", "since", "until", "recorded_by", "recorded_at" };
		const int col[] = { 0, 2, 3, 4, 8, 9 };
		int same = json_is_object(m) && strcmp(rid, id) == 0 && aims__strcmp0(ev.ptr, aims__stmt_text(st, 6)) == 0;
		for (size_t k = 0; same && k < sizeof(key) / sizeof(key[0]); k++)
			same = aims__strcmp0(json_string_value(json_object_get(m, key[k])), aims__stmt_text(st, col[k])) == 0;
		json_decref(m);
		if (same && (err = aims_ledger_digest(dg, txt, strlen(txt))) < 0)
			break;
		if (!same || aims__strcmp0(dg, aims__stmt_text(st, 7)) != 0)
			err = aims_ledger_digest(dg, bad, strlen(bad));
		if (err < 0 || (err = emit(arg, "oversight-report", rid, dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	aims_buf_release(&ev);
	return err < 0 ? err : 0;
}

/*
 * The state check of the review queue: each 'select' entry of a system names
 * the digest of one flush, a line "INDEX LEAF_HASH REASONS\n" per selected
 * decision in the order of the queue. The system's rows and the lines of
 * its packs not yet turned into rows, in queue order, are cut into flushes
 * where the lines so far give the digest of a 'select' entry not yet
 * matched; lines left over are in no flush the ledger recorded (changed or
 * added with SQL), a flush no lines give was removed. Who was
 * assigned, who reviewed and how are the items' own entries
 * (decision-review), not the queue's.
 */
static int queue_flush_end(aims__state_emit emit, void *arg, const char *system, aims__sha256 *h, int64_t *rows)
{
	char m[160];
	if (*rows == 0)
		return 0;
	snprintf(m, sizeof(m), "select (%lld selected decisions after the last recorded flush)", (long long)*rows);
	*rows = 0;
	unsigned char md[32];
	int err = aims__sha256_final(h, md); /* resets h */
	return err < 0 ? err : emit(arg, "review-queue", system, m, AIMS__STATE_MEMBER);
}

/* one line of the queue into the running digest of its system's flush: a flush ends where the digest is one
 * the ledger recorded */
static int queue_state_line(aims__state_emit emit, void *arg, const char *system, aims__sha256 *h, int64_t *rows,
			    const char *line, size_t n)
{
	unsigned char md[32];
	char m[96], hex[65];
	int err;
	(*rows)++;
	if ((err = aims__sha256_update(h, line, n)) < 0 || (err = aims__sha256_peek(h, md)) < 0)
		return err;
	aims__hex(hex, md, 32);
	snprintf(m, sizeof(m), "select sha256:%s", hex);
	if ((err = emit(arg, "review-queue", system, m, AIMS__STATE_MEMBER_IF)) < 0)
		return err;
	if (err == 1) {
		*rows = 0;
		if ((err = aims__sha256_final(h, md)) < 0) /* the next flush starts */
			return err;
	}
	return 0;
}

int aims__review_queue_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims__sha256 *h = NULL;
	char sys[AIMS_DECISION_NAME_MAX + 2] = "", line[128], m[96];
	int64_t rows = 0;
	int err;
	if ((err = aims__sha256_new(&h)) < 0)
		return err;
	/* the queue's rows and the packs not yet turned into rows (aims__review_settle), read as they are:
	 * a pack's text is its lines */
	if ((err = aims__stmt_prepare(&st, store, "SELECT system, seq, entry, leaf_hash, reasons, lines FROM (SELECT system, "
				      "seq, entry, leaf_hash, reasons, NULL AS lines FROM review_queue WHERE"
				      AIMS__REVIEW_COMMITTED "UNION ALL SELECT system, first_seq, 0, NULL, 0, lines FROM "
				      "review_packs WHERE" PACK_COMMITTED ") t ORDER BY system, seq")) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *system = aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "";
		const char *pack = aims__stmt_text(st, 5);
		if (strcmp(system, sys) != 0) {
			if ((err = queue_flush_end(emit, arg, sys, h, &rows)) < 0)
				goto done;
			snprintf(sys, sizeof(sys), "%s", system);
		}
		if (pack) {
			for (const char *p = pack, *nl; *p && err >= 0; p = nl) {
				nl = strchr(p, '\n');
				nl = nl ? nl + 1 : p + strlen(p);
				err = queue_state_line(emit, arg, sys, h, &rows, p, (size_t)(nl - p));
			}
			if (err < 0)
				goto done;
			continue;
		}
		int n = aims__review_queue_line(line, sizeof(line), (uint64_t)aims__stmt_int64(st, 2), aims__stmt_text(st, 3),
				   (long long)aims__stmt_int64(st, 4));
		if (n < 0)
			n = snprintf(line, sizeof(line), "(a row too long for the queue)\n");
		if ((err = queue_state_line(emit, arg, sys, h, &rows, line, (size_t)n)) < 0)
			goto done;
	}
	if (err == 0)
		err = queue_flush_end(emit, arg, sys, h, &rows);
	if (err < 0)
		goto done;
	/* rows (and packs) at or beyond a log's committed size are a batch's while it is ingested (its
	 * head says so) or a crashed batch's, deleted by the next ingest; with no ingest pending, SQL
	 * added them */
	aims__stmt_free(st);
	if ((err = aims__stmt_prepare(&st, store, "SELECT system, CAST(SUM(c) AS BIGINT) FROM (SELECT q.system AS system, "
				      "COUNT(*) AS c FROM review_queue q JOIN ledger_decision_heads h ON h.log = 'decision/' "
				      "|| q.system WHERE h.size IS NOT NULL AND q.entry >= h.size AND h.pending_offset IS NULL "
				      "GROUP BY q.system UNION ALL SELECT p.system, SUM(p.n) FROM review_packs p JOIN "
				      "ledger_decision_heads h ON h.log = 'decision/' || p.system WHERE h.size IS NOT NULL "
				      "AND p.last_entry >= h.size AND h.pending_offset IS NULL GROUP BY p.system) t GROUP BY "
				      "system ORDER BY system")) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		snprintf(m, sizeof(m), "select (%lld queue rows beyond the committed decision log)",
			 (long long)aims__stmt_int64(st, 1));
		if ((err = emit(arg, "review-queue", aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "", m,
				AIMS__STATE_MEMBER)) < 0)
			goto done;
	}
done:
	aims__stmt_free(st);
	aims__sha256_free(h);
	return err < 0 ? err : 0;
}
