/*
 * aims serve: the HTTP front end of libaims on libmicrohttpd. Every route
 * of /api/v1 comes from the library's operation table (op.h); this folder
 * only translates HTTP to operation requests and results back to HTTP:
 * authentication (API tokens, session cookies with CSRF tokens), RFC 9457
 * problem documents, ETag/If-Match, pagination, request limits, security
 * headers, a JSON-lines access log and Prometheus metrics.
 */
#ifndef AIMS_SERVER_H
#define AIMS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "aims/buf.h"
#include "aims/op.h"

typedef struct {
	const char *db;            /* the store's URL */
	const char *listen;        /* "HOST:PORT" ("127.0.0.1:8642"); port 0 picks a free one */
	const char *tls_cert;      /* PEM files, both or neither */
	const char *tls_key;
	int insecure_listen;       /* allow a non-loopback address without TLS */
	int threads;               /* worker threads (0: 2 x cores, at least 4) */
	const char *access_log;    /* file for the JSON-lines access log ("-" = stderr, NULL = none) */
	const char *port_file;     /* write the bound port here once listening (tests use port 0) */
	size_t max_body;           /* largest JSON request body; stream and data bodies (ingest, evaluations) get 64x */
} aims_server_options;

/* run until SIGTERM or SIGINT; prints where it listens on stderr; returns an exit status */
int aims_server_run(const aims_server_options *opts);

/* ---- internal to src/server ---- */

/* the data streams of an operation's input fields from the request body (inputs.c) */
#define AIMS_SERVER_MAX_INPUTS 8
typedef struct {
	aims_op_stream streams[AIMS_SERVER_MAX_INPUTS];
	size_t n;
	aims_buf data[AIMS_SERVER_MAX_INPUTS];     /* multipart parts */
	char names[AIMS_SERVER_MAX_INPUTS][256];   /* their file names */
} aims_server_inputs;
struct MHD_Connection;
/* 0, or the HTTP status of the refusal with the message in err (and the field when there is one) */
int aims_server_inputs_open(aims_server_inputs *in, struct MHD_Connection *conn, const aims_op *op, const char *body,
			    size_t len, char *err, size_t errcap, char *field, size_t fieldcap);
void aims_server_inputs_close(aims_server_inputs *in);

/* metrics (metrics.c) */
void aims_metrics_init(size_t nops);
void aims_metrics_request(size_t op_index, int status, double seconds);
void aims_metrics_ingest(uint64_t records);
void aims_metrics_log_size(const char *system, uint64_t size);  /* after an ingest */
int aims_metrics_render(char **out, size_t *len);  /* Prometheus text format; free() the result */

#endif
