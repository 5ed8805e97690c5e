/*
 * One pass, every core (include/aims/evalpass.h). The input is handed out
 * in blocks (blocks.c); each worker thread opens a rows reader over its
 * block and feeds the row to its own fairness/performance accumulator and
 * its own part of the drift comparison's current side, so nothing is shared
 * while rows are read. When the input is used up, each worker sorts its
 * ROC keys, the workers' accumulators are merged and the figures computed.
 * The drift reference is read on one more thread meanwhile. The first bad
 * row of the input is reported whichever thread met it: a worker that
 * fails records its block's index, no block after it is handed out, and the
 * error of the lowest block wins.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "aims/evalpass.h"
#include "core/core.h"
#include "pass_internal.h"

#define MAX_THREADS 64

typedef struct job job;

typedef struct {
	job *j;
	aims__bin *bin;
	aims__drift_part *part;
	aims__block blk;
	uint64_t rows;
	int reserved;
} worker;

struct job {
	aims__blocks *src;
	const aims_eval_pass_options *o;
	aims_drift *d;
	int ndjson;
	const char *name;
	const uint64_t *map;
	size_t nmap;
	unsigned nthreads;
	pthread_mutex_t mu;
	size_t err_block;        /* SIZE_MAX: none */
	int err;
	char msg[1024];
	char field[128];
};

static void fail(job *j, size_t block, int err)
{
	pthread_mutex_lock(&j->mu);
	if (block < j->err_block || j->err_block == SIZE_MAX) {
		j->err_block = block;
		j->err = err;
		snprintf(j->msg, sizeof(j->msg), "%s", aims_error_last());
	}
	pthread_mutex_unlock(&j->mu);
	if (block != SIZE_MAX)
		aims__blocks_stop_after(j->src, block);
}

static size_t first_error(job *j)
{
	pthread_mutex_lock(&j->mu);
	size_t b = j->err_block;
	pthread_mutex_unlock(&j->mu);
	return b;
}

/* one block: a reader over it, every row to the accumulators */
static int one_block(worker *w)
{
	job *j = w->j;
	aims_rows *r = NULL;
	const char *const *f;
	const size_t *l;
	int err, first = w->blk.index == 0;

	if ((err = aims__rows_open_block(&r, w->blk.data, w->blk.len, j->name, j->ndjson, w->blk.first_line, j->map,
					 j->nmap)) < 0)
		return err;
	if ((w->bin && (err = aims__bin_bind(w->bin, r, first)) < 0) ||
	    (w->part && (err = aims__drift_part_bind(w->part, r, first)) < 0))
		goto done;
	while ((err = aims_rows_next(r, &f, &l)) == 1)
		if ((w->bin && (err = aims__bin_row(w->bin, r, f, l)) < 0) ||
		    (w->part && (err = aims__drift_part_row(w->part, r, f, l)) < 0))
			goto done;
	if (err < 0)
		goto done;
	uint64_t n = aims_rows_read(r);
	w->rows += n;
	/* size the drift arrays once from the first block: rows per byte times this thread's share */
	uint64_t total = aims__blocks_size_hint(j->src);
	if (w->part && !w->reserved && total && w->blk.len && n) {
		double est = (double)n * ((double)total / (double)w->blk.len) / j->nthreads * 1.1 + 1024;
		w->reserved = 1;
		if ((err = aims__drift_part_reserve(w->part, (uint64_t)est)) < 0)
			goto done;
	}
	err = 0;
done:
	aims_rows_free(r);
	return err;
}

static void *work(void *arg)
{
	worker *w = arg;
	job *j = w->j;
	int rc;
	while ((rc = aims__blocks_next(j->src, &w->blk)) == 1) {
		if (first_error(j) < w->blk.index)
			break;
		if ((rc = one_block(w)) < 0) {
			fail(j, w->blk.index, rc);
			break;
		}
	}
	if (rc < 0 && first_error(j) == SIZE_MAX)
		fail(j, SIZE_MAX - 1, rc);   /* a read error: after every block handed out so far */
	if (first_error(j) == SIZE_MAX && w->bin && (rc = aims__bin_presort(w->bin)) < 0)
		fail(j, SIZE_MAX - 1, rc);
	if (first_error(j) == SIZE_MAX && w->part && (rc = aims__drift_part_presort(w->part)) < 0)
		fail(j, SIZE_MAX - 1, rc);
	aims__block_release(&w->blk);
	return NULL;
}

typedef struct {
	aims_drift *d;
	int err;
	char msg[1024];
} ref_job;

static void *read_reference(void *arg)
{
	ref_job *r = arg;
	if ((r->err = aims__drift_read_reference(r->d)) < 0)
		snprintf(r->msg, sizeof(r->msg), "%s", aims_error_last());
	return NULL;
}

/* the drift side of the merge: every worker's part into the comparison, then its statistics */
typedef struct {
	worker *w;
	unsigned n;
	aims_drift *d;
	const aims_drift_source *input;
	const char *digest;
	uint64_t rows;
	int err;
	char msg[1024];
} tail_job;

static void *drift_tail(void *arg)
{
	tail_job *t = arg;
	int err = 0;
	for (unsigned i = 0; err == 0 && i < t->n; i++)
		err = aims__drift_part_merge(t->d, t->w[i].part);
	if (err == 0)
		err = aims__drift_end(t->d, t->input, t->digest, t->rows);
	if ((t->err = err) < 0)
		snprintf(t->msg, sizeof(t->msg), "%s", aims_error_last());
	return NULL;
}

void aims_eval_pass_result_release(aims_eval_pass_result *r)
{
	if (!r)
		return;
	free(r->fairness);
	free(r->performance);
	aims_drift_free(r->drift);
	memset(r, 0, sizeof(*r));
}

static unsigned cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

int aims_eval_pass(aims_eval_pass_result *out, const aims_drift_source *input, const aims_eval_pass_options *o)
{
	job j;
	worker w[MAX_THREADS];
	pthread_t th[MAX_THREADS], rth;
	ref_job rj;
	int err, ref_threaded = 0, mu_init = 0;
	unsigned started = 1;
	aims__bin_input bi;

	memset(out, 0, sizeof(*out));
	memset(&j, 0, sizeof(j));
	memset(w, 0, sizeof(w));
	memset(&rj, 0, sizeof(rj));
	j.err_block = SIZE_MAX;
	if (!o || o->version != AIMS_EVAL_PASS_OPTIONS_VERSION || !input)
		return aims__err(AIMS_EUSAGE, "aims_eval_pass: bad arguments");
	if ((o->fairness || o->performance) && !o->binary)
		return aims__err(AIMS_EUSAGE, "aims_eval_pass: fairness and performance need the label and prediction columns");
	if (!o->fairness && !o->performance && !o->drift_reference)
		return aims__err(AIMS_EUSAGE, "aims_eval_pass: nothing to evaluate");
	if ((err = aims_global_init()) < 0)
		return err;
	if (pthread_mutex_init(&j.mu, NULL) != 0)
		return aims__err(AIMS_ERROR, "cannot create a lock");
	mu_init = 1;
	j.o = o;

	/* the input */
	if (input->path) {
		if ((err = aims__blocks_open_file(&j.src, input->path, o->block_size)) < 0)
			goto done;
	} else {
		char *mem = NULL, name[160];
		uint64_t *map = NULL, pruned = 0;
		size_t len = 0, nmap = 0;
		if (!input->store || !input->system) {
			err = aims__err(AIMS_EUSAGE, "aims_eval_pass: the input needs a path or a store and a system");
			goto done;
		}
		if ((err = aims__rows_select_decisions(&mem, &len, &map, &nmap, &pruned, input->store, input->system,
						       input->since, input->until)) < 0)
			goto done;
		snprintf(name, sizeof(name), "decisions:%s", input->system);
		if ((err = aims__blocks_open_mem(&j.src, mem, len, map, nmap, pruned, name, o->block_size)) < 0)
			goto done;
	}
	j.ndjson = aims__blocks_ndjson(j.src);
	j.name = aims__blocks_name(j.src);
	j.map = aims__blocks_line_map(j.src, &j.nmap);

	/* the reference: its columns now, its rows on a thread of its own while the input is read */
	if (o->drift_reference) {
		if ((err = aims__drift_begin(&out->drift, o->drift_reference, o->drift)) < 0)
			goto done;
		rj.d = out->drift;
		if (pthread_create(&rth, NULL, read_reference, &rj) == 0)
			ref_threaded = 1;
		else
			read_reference(&rj);
	}

	/* the workers */
	unsigned n = o->threads ? o->threads : cores();
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	uint64_t size = aims__blocks_size_hint(j.src);
	size_t bs = o->block_size ? o->block_size : ((size_t)4 << 20);
	if (size && size <= bs)
		n = 1;   /* one block: nothing to share */
	j.nthreads = n;
	for (unsigned i = 0; i < n; i++) {
		w[i].j = &j;
		if ((o->fairness || o->performance) && (err = aims__bin_new(&w[i].bin, o->binary, o->fairness)) < 0)
			goto join;
		if (out->drift && (err = aims__drift_part_new(&w[i].part, out->drift)) < 0)
			goto join;
	}
	for (started = 1; started < n; started++)
		if (pthread_create(&th[started], NULL, work, &w[started]) != 0)
			break;
	work(&w[0]);
join:
	for (unsigned i = 1; i < started; i++)
		pthread_join(th[i], NULL);
	if (ref_threaded)
		pthread_join(rth, NULL);
	ref_threaded = 0;
	if (err < 0)
		goto done;
	if (rj.err < 0) {
		err = aims__err(rj.err, "%s", rj.msg);
		goto done;
	}
	if (j.err_block != SIZE_MAX) {
		err = aims__err(j.err, "%s", j.msg);
		goto done;
	}

	/* merge, in worker order: the drift comparison on a thread of its own while this one merges the
	 * fairness and performance accumulators (the ROC curve's merge of sorted blocks): the two are
	 * independent, and each was a single-threaded tail of about a quarter of a second on ten million rows */
	if ((err = aims__blocks_digest(out->digest, j.src)) < 0)
		goto done;
	out->rows = 0;
	for (unsigned i = 0; i < started; i++)
		out->rows += w[i].rows;
	out->threads = started;
	out->blocks = aims__blocks_count(j.src);
	tail_job tj;
	memset(&tj, 0, sizeof(tj));
	tj.w = w;
	tj.n = started;
	tj.d = out->drift;
	tj.input = input;
	tj.digest = out->digest;
	tj.rows = out->rows;
	int tail_threaded = 0;
	if (out->drift) {
		if (w[0].bin && pthread_create(&rth, NULL, drift_tail, &tj) == 0)
			tail_threaded = 1;
		else
			drift_tail(&tj);
	}
	for (unsigned i = 1; err == 0 && i < started; i++)
		if (w[0].bin)
			err = aims__bin_merge(w[0].bin, w[i].bin);
	if (err == 0 && w[0].bin) {
		memset(&bi, 0, sizeof(bi));
		bi.name = j.name;
		bi.digest = out->digest;
		bi.ndjson = j.ndjson;
		bi.rows_read = out->rows;
		bi.rows_pruned = aims__blocks_pruned(j.src);
		err = aims__bin_json(o->fairness ? &out->fairness : NULL, o->performance ? &out->performance : NULL,
				     w[0].bin, &bi);
	}
	if (tail_threaded)
		pthread_join(rth, NULL);
	if (err < 0)
		goto done;
	if (tj.err < 0) {
		err = aims__err(tj.err, "%s", tj.msg);
		goto done;
	}
	err = 0;
done:
	if (ref_threaded)
		pthread_join(rth, NULL);
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		aims__bin_free(w[i].bin);
		aims__drift_part_free(w[i].part);
		aims__block_release(&w[i].blk);
	}
	aims__blocks_free(j.src);
	if (mu_init)
		pthread_mutex_destroy(&j.mu);
	if (err < 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", aims_error_last());
		aims_eval_pass_result_release(out);
		aims__err_set(err, "%s", msg);
	}
	return err;
}
