/*
 * Prometheus metrics of aims serve (text exposition format 0.0.4): requests
 * and their latencies per operation and status class, decisions ingested.
 * Counters are atomics indexed by the operation's position in the table, so
 * counting costs no lock on the request path. The size of each decision log
 * is the one the last ingest through this server committed (a small table
 * under a mutex, touched once per ingest request, not per record).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "server.h"

/* latency buckets, seconds (upper bounds) */
static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NB (sizeof(bounds) / sizeof(bounds[0]))

typedef struct {
	atomic_ullong by_class[6];     /* 1xx..5xx by first digit; [0] unused */
	atomic_ullong buckets[NB + 1]; /* last: +Inf */
	atomic_ullong micros;          /* sum of latencies, microseconds */
} op_metrics;

static op_metrics *ops;
static size_t nops;
static atomic_ullong ingested;

#define LOG_SLOTS 256  /* decision logs whose size is exported (more: the first 256 seen) */
static struct {
	char name[AIMS_DECISION_NAME_MAX + 1];
	unsigned long long size;
} logs[LOG_SLOTS];
static size_t nlogs;
static pthread_mutex_t logs_lock = PTHREAD_MUTEX_INITIALIZER;

void aims_metrics_init(size_t n)
{
	ops = calloc(n ? n : 1, sizeof(*ops));
	nops = ops ? n : 0;
}

void aims_metrics_request(size_t i, int status, double seconds)
{
	if (i >= nops)
		return;
	int cls = status / 100;
	if (cls < 1 || cls > 5)
		cls = 5;
	atomic_fetch_add(&ops[i].by_class[cls], 1);
	size_t b = 0;
	while (b < NB && seconds > bounds[b])
		b++;
	atomic_fetch_add(&ops[i].buckets[b], 1);
	atomic_fetch_add(&ops[i].micros, (unsigned long long)(seconds * 1e6));
}

void aims_metrics_ingest(uint64_t records)
{
	atomic_fetch_add(&ingested, records);
}

void aims_metrics_log_size(const char *system, uint64_t size)
{
	size_t i;
	if (!aims_decision_name_valid(system))
		return;
	pthread_mutex_lock(&logs_lock);
	for (i = 0; i < nlogs && strcmp(logs[i].name, system) != 0; i++)
		;
	if (i == nlogs && nlogs < LOG_SLOTS)
		snprintf(logs[nlogs++].name, sizeof(logs[0].name), "%s", system);
	if (i < nlogs && size > logs[i].size)
		logs[i].size = size;
	pthread_mutex_unlock(&logs_lock);
}

int aims_metrics_render(char **out, size_t *len)
{
	size_t n;
	const aims_op *t = aims_ops(&n);
	aims_buf b = AIMS_BUF_INIT;
	int err = 0;
	*out = NULL;
	err |= aims_buf_puts(&b, "# HELP aims_http_requests_total HTTP requests by operation and status class.\n"
			     "# TYPE aims_http_requests_total counter\n");
	for (size_t i = 0; i < nops && i < n; i++)
		for (int c = 1; c <= 5; c++) {
			unsigned long long v = atomic_load(&ops[i].by_class[c]);
			if (v)
				err |= aims_buf_printf(&b, "aims_http_requests_total{op=\"%s\",code=\"%dxx\"} %llu\n",
						       t[i].name, c, v);
		}
	err |= aims_buf_puts(&b, "# HELP aims_http_request_duration_seconds Time to answer a request.\n"
			     "# TYPE aims_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < nops && i < n; i++) {
		unsigned long long cum = 0, total = 0;
		for (size_t k = 0; k <= NB; k++)
			total += atomic_load(&ops[i].buckets[k]);
		if (!total)
			continue;
		for (size_t k = 0; k < NB; k++) {
			cum += atomic_load(&ops[i].buckets[k]);
			err |= aims_buf_printf(&b, "aims_http_request_duration_seconds_bucket{op=\"%s\",le=\"%g\"} %llu\n",
					       t[i].name, bounds[k], cum);
		}
		err |= aims_buf_printf(&b, "aims_http_request_duration_seconds_bucket{op=\"%s\",le=\"+Inf\"} %llu\n"
				       "aims_http_request_duration_seconds_sum{op=\"%s\"} %.6f\n"
				       "aims_http_request_duration_seconds_count{op=\"%s\"} %llu\n",
				       t[i].name, total, t[i].name, (double)atomic_load(&ops[i].micros) / 1e6, t[i].name,
				       total);
	}
	err |= aims_buf_printf(&b, "# HELP aims_decisions_ingested_total Decision records appended over HTTP.\n"
			       "# TYPE aims_decisions_ingested_total counter\naims_decisions_ingested_total %llu\n",
			       (unsigned long long)atomic_load(&ingested));
	/* a system name is [A-Za-z0-9._-]: nothing to escape in a label value */
	pthread_mutex_lock(&logs_lock);
	if (nlogs)
		err |= aims_buf_puts(&b, "# HELP aims_decision_log_size Records in an AI system's decision log, as the last "
				     "ingest through this server committed.\n# TYPE aims_decision_log_size gauge\n");
	for (size_t i = 0; i < nlogs; i++)
		err |= aims_buf_printf(&b, "aims_decision_log_size{system=\"%s\"} %llu\n", logs[i].name, logs[i].size);
	pthread_mutex_unlock(&logs_lock);
	if (err) {
		aims_buf_release(&b);
		return -1;
	}
	*out = aims_buf_detach(&b, len);
	return *out ? 0 : -1;
}
