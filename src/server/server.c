/*
 * aims serve: libmicrohttpd with a thread pool, one store handle per worker
 * thread, and routes taken from the operation table: METHOD /api/v1<path>
 * of every operation. A request becomes the same JSON request the command
 * line builds (path fields, query parameters, a JSON body; a stream
 * operation reads the body) and goes through aims_op_call(), which checks
 * the principal's permission. Around it: authentication (Bearer API token,
 * or session cookie plus X-CSRF-Token for unsafe methods), If-Match on
 * updates (428 without it, 412 when stale), pagination of lists, RFC 9457
 * problem documents naming the field, request size limits, security
 * headers, the access log and metrics. Secrets (tokens, cookies, passwords)
 * are never logged: the access log has method, path, status, size, time,
 * principal and operation only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "aims/aims.h"
#include "aims/web.h"
#include "server.h"

#define API "/api/v1"
#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

static struct {
	const aims_server_options *opts;
	const aims_op *ops;
	size_t nops;
	int tls;
	FILE *access;
	pthread_mutex_t access_lock;
	pthread_key_t store_key;
	char *openapi;       /* the OpenAPI document, rendered once */
	size_t openapi_len;
} srv;

/* ---- per-thread state: a store handle and caches that live as long as the store is unchanged ---- */

/*
 * Each worker keeps a cache of the principals of recent API tokens and of the
 * documents of recent cacheable reads (AIMS_OP_CACHEABLE: documents that
 * depend only on the request and the store's rows). Both are dropped whenever
 * the store's data version moves (another handle committed: a write through
 * another worker or process, a revoked token, a disabled account) and after
 * every write through this worker. A hit still checks the permission of the
 * principal; only the reading of rows and the building of JSON are saved.
 * This is what lets the API answer at a large fraction of the bare HTTP
 * library's rate (bench/http.c).
 */
#define RCACHE 256
#define PCACHE 64

typedef struct {
	char *key;          /* operation NUL request NUL page */
	size_t klen;
	char *body;
	size_t len;
	size_t total;       /* lists: the length before paging */
	char etag[80];
} rentry;

typedef struct {
	unsigned char hash[32];  /* SHA-256 of the token: the token itself is not kept */
	aims_principal p;
	int used;
} pentry;

typedef struct {
	aims_store *store;
	int64_t gen;
	int have_gen;
	rentry r[RCACHE];
	pentry pc[PCACHE];
	aims_web_cache *web;  /* the pages' cache of operation documents (web.h), flushed with the others */
} worker;

static void worker_flush(worker *w)
{
	for (int i = 0; i < RCACHE; i++) {
		free(w->r[i].key);
		free(w->r[i].body);
	}
	memset(w->r, 0, sizeof(w->r));
	memset(w->pc, 0, sizeof(w->pc));
	aims_web_cache_clear(w->web);
}

static void worker_release(void *p)
{
	worker *w = p;
	worker_flush(w);
	aims_web_cache_free(w->web);
	aims_store_free(w->store);
	free(w);
}

static int thread_worker(worker **out)
{
	worker *w = pthread_getspecific(srv.store_key);
	if (!w) {
		aims_store_options o = AIMS_STORE_OPTIONS_INIT;
		if (!(w = calloc(1, sizeof(*w))))
			return AIMS_ENOMEM;
		int err = aims_store_open(&w->store, srv.opts->db, &o);
		if (err < 0) {
			free(w);
			return err;
		}
		w->web = aims_web_cache_new(); /* NULL (out of memory): pages are built without a cache */
		pthread_setspecific(srv.store_key, w);
	}
	/* drop what another handle's commit may have made stale */
	int64_t v;
	if (aims_store_data_version(&v, w->store) < 0) {
		aims_error_clear();
		worker_flush(w);
		w->have_gen = 0;
	} else if (!w->have_gen || v != w->gen) {
		worker_flush(w);
		w->gen = v;
		w->have_gen = 1;
	}
	*out = w;
	return 0;
}

static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static int token_principal(aims_principal *p, worker *w, const char *token)
{
	unsigned char h[32];
	EVP_Digest(token, strlen(token), h, NULL, EVP_sha256(), NULL);
	pentry *e = &w->pc[h[0] % PCACHE];
	if (e->used && memcmp(e->hash, h, sizeof(h)) == 0) {
		*p = e->p;
		return 0;
	}
	int err = aims_principal_from_token(p, w->store, token);
	if (err < 0)
		return err;
	memcpy(e->hash, h, sizeof(h));
	e->p = *p;
	e->used = 1;
	return 0;
}

/* ---- per-request state ---- */

typedef struct {
	aims_buf body;
	int too_large;
	struct timespec t0;
	const aims_op *op;
	size_t op_index;
	json_t *path_params;
	int route;           /* 0 op, 1 openapi, 2 metrics, 3 not found, 4 method not allowed, 5 web UI */
	char principal[AIMS_PRINCIPAL_MAX];
} request;

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- routing ---- */

static void route(request *r, const char *method, const char *url)
{
	int status;
	if (strcmp(url, API "/openapi.json") == 0) {
		r->route = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? 1 : 4;
		return;
	}
	if (strcmp(url, "/metrics") == 0) {
		r->route = strcmp(method, "GET") == 0 ? 2 : 4;
		return;
	}
	if (strncmp(url, "/api/", 5) != 0) {
		/* everything outside /api and /metrics is the web UI (web.h) */
		r->route = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 || strcmp(method, "POST") == 0 ? 5 : 4;
		return;
	}
	if (strncmp(url, API "/", sizeof(API)) != 0) {
		r->route = 3;
		return;
	}
	r->op = aims_op_route(&r->path_params, &status, method, url + sizeof(API) - 1);
	if (!r->op) {
		r->route = status == 405 ? 4 : 3;
		return;
	}
	r->op_index = (size_t)(r->op - srv.ops);
	r->route = 0;
}

/* ---- responses ---- */

static void security_headers(struct MHD_Response *resp, int web)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* pages: same-origin, so that the browser names this origin on our own form posts (no-referrer would
	   make it send "Origin: null", which the form check refuses) */
	MHD_add_response_header(resp, "Referrer-Policy", web ? "same-origin" : "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
				web ? AIMS_WEB_CSP : "default-src 'none'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (srv.tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

/* one line of printable ASCII for a header value */
static void header_safe(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	for (; s && *s && n + 1 < cap; s++)
		out[n++] = ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f) ? ' ' : *s;
	out[n] = '\0';
}

static void access_log(struct MHD_Connection *c, const char *method, const char *url, int status, size_t bytes,
		       const request *r)
{
	if (!srv.access)
		return;
	char when[32], addr[INET6_ADDRSTRLEN] = "-";
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, sizeof(addr));
	}
	json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:s?, s:s?}", "time", when, "addr", addr, "method",
				 method, "path", url, "status", status, "bytes", (json_int_t)bytes, "ms",
				 elapsed(&r->t0) * 1000.0, "principal", r->principal[0] ? r->principal : NULL, "op",
				 r->op ? r->op->name : NULL);
	char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
	if (text) {
		pthread_mutex_lock(&srv.access_lock);
		fprintf(srv.access, "%s\n", text);
		fflush(srv.access);
		pthread_mutex_unlock(&srv.access_lock);
	}
	free(text);
	json_decref(line);
}

static enum MHD_Result respond(struct MHD_Connection *c, request *r, const char *method, const char *url, int status,
			    const char *ctype, const char *data, size_t len, struct MHD_Response **keep)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	security_headers(resp, r->route == 5);
	if (ctype)
		MHD_add_response_header(resp, "Content-Type", ctype);
	if (keep)
		*keep = resp; /* the caller adds headers, then queues */
	enum MHD_Result rc = MHD_YES;
	if (!keep) {
		rc = MHD_queue_response(c, (unsigned)status, resp);
		MHD_destroy_response(resp);
	}
	if (r->op)
		aims_metrics_request(r->op_index, status, elapsed(&r->t0));
	access_log(c, method, url, status, len, r);
	return rc;
}

static int code_status(int code)
{
	switch (code) {
	case AIMS_EINVALID:
	case AIMS_EUSAGE: return 400;
	case AIMS_EAUTH: return 401;
	case AIMS_EPERM: return 403;
	case AIMS_ENOTFOUND: return 404;
	case AIMS_ECONFLICT:
	case AIMS_EVERSION: return 409;
	case AIMS_ESTALE: return 412;
	case AIMS_EDENIED: return 422;
	case AIMS_ETAMPERED: return 409;
	case AIMS_ETHROTTLED: return 429;
	default: return 500;
	}
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	default: return "Internal Server Error";
	}
}

/* RFC 9457 problem details; `field` names the request field when there is one */
static enum MHD_Result problem(struct MHD_Connection *c, request *r, const char *method, const char *url, int status,
			       const char *detail, const char *field)
{
	struct MHD_Response *resp = NULL;
	char type[96];
	snprintf(type, sizeof(type), "https://aims.invalid/problems/%d", status);
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", status_title(status), "status", status,
			      "detail", detail && *detail ? detail : status_title(status), "instance", url);
	if (p && field && *field)
		json_object_set_new(p, "field", json_string(field));
	if (p && r->op)
		json_object_set_new(p, "operation", json_string(r->op->name));
	char *text = p ? json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(p);
	if (!text)
		return MHD_NO;
	/* with &resp, respond() only builds the response: it is queued below, after the extra headers */
	(void)respond(c, r, method, url, status, "application/problem+json", text, strlen(text), &resp);
	free(text);
	if (!resp)
		return MHD_NO;
	if (status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"aims\"");
	if (status == 429) {
		char ra[32];
		snprintf(ra, sizeof(ra), "%d", aims_error_retry_after() > 0 ? aims_error_retry_after() : 1);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- request -> operation request ---- */

struct query_ctx {
	json_t *req;
	const aims_op *op;
	int bad;
	char err[256];
	char field[96];
	long long limit, offset;
};

static int parse_ll(long long *out, const char *s)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !*s || *end)
		return -1;
	*out = v;
	return 0;
}

static enum MHD_Result on_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_ctx *q = cls;
	(void)kind;
	if (q->bad)
		return MHD_NO;
	if (!value)
		value = "";
	if ((q->op->flags & AIMS_OP_LIST) && (strcmp(key, "limit") == 0 || strcmp(key, "offset") == 0)) {
		long long v;
		if (parse_ll(&v, value) < 0 || v < 0 || (strcmp(key, "limit") == 0 && (v < 1 || v > PAGE_MAX))) {
			q->bad = 1;
			snprintf(q->err, sizeof(q->err), "%s: '%s' is not a valid number (limit 1-%d)", key, value, PAGE_MAX);
			snprintf(q->field, sizeof(q->field), "%s", key);
			return MHD_NO;
		}
		if (key[0] == 'l')
			q->limit = v;
		else
			q->offset = v;
		return MHD_YES;
	}
	if (aims_op_query_param(q->req, q->op, key, value) < 0) {
		q->bad = 1;
		snprintf(q->err, sizeof(q->err), "%s", aims_error_last());
		snprintf(q->field, sizeof(q->field), "%s", aims_error_last_field());
		return MHD_NO;
	}
	return MHD_YES;
}

/* cut a list response to one page; headers tell the total and the next page */
static void paginate(json_t *doc, const char *key, long long limit, long long offset, size_t *total)
{
	json_t *a = json_object_get(doc, key);
	*total = json_array_size(a);
	if (!json_is_array(a))
		return;
	json_t *page = json_array();
	for (size_t i = (size_t)offset; page && i < *total && i < (size_t)(offset + limit); i++)
		json_array_append(page, json_array_get(a, i));
	if (page)
		json_object_set_new(doc, key, page);
}

static int authenticate(aims_principal *p, char csrf[64], struct MHD_Connection *c, worker *w,
			const char **session)
{
	aims_store *store = w->store;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	memset(p, 0, sizeof(*p));
	csrf[0] = '\0';
	*session = NULL;
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return aims_error_clear(), AIMS_EAUTH;
		return token_principal(p, w, auth + 7);
	}
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "aims_session");
	if (cookie) {
		*session = cookie;
		if (aims_session_check(p, csrf, store, cookie, 0) < 0) {
			memset(p, 0, sizeof(*p));
			aims_error_clear(); /* an expired cookie is as good as none */
		}
	}
	return 0;
}

static void client_addr(char *out, size_t cap, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "-");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)cap);
}

static int unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static enum MHD_Result run_op(struct MHD_Connection *c, request *r, const char *method, const char *url)
{
	const aims_op *op = r->op;
	aims_op_result res = AIMS_OP_RESULT_INIT;
	struct query_ctx q;
	aims_principal p;
	aims_store *store = NULL;
	worker *w = NULL;
	char csrf[64], addr[INET6_ADDRSTRLEN];
	const char *session = NULL;
	char *ckey = NULL;
	size_t cklen = 0;
	FILE *in = NULL;
	aims_server_inputs inputs;
	enum MHD_Result rc;
	int err;

	memset(&inputs, 0, sizeof(inputs));
	memset(&q, 0, sizeof(q));
	q.op = op;
	q.limit = PAGE_DEFAULT;
	if (thread_worker(&w) < 0)
		return problem(c, r, method, url, 500, aims_error_last(), NULL);
	store = w->store;
	if (authenticate(&p, csrf, c, w, &session) < 0)
		return problem(c, r, method, url, 401, "the API token is not valid (unknown, expired or revoked)", NULL);
	if (p.kind != AIMS_PRINCIPAL_NONE)
		snprintf(r->principal, sizeof(r->principal), "%s", p.name);
	if (p.kind == AIMS_PRINCIPAL_NONE && !(op->flags & AIMS_OP_PUBLIC))
		return problem(c, r, method, url, 401, "not signed in: send 'Authorization: Bearer TOKEN' or sign in", NULL);
	/* the role check comes before anything about the request's form (aims_op_call checks it again) */
	if (!(op->flags & AIMS_OP_PUBLIC) && aims_permission_check(&p, op->perm) < 0)
		return problem(c, r, method, url, 403, aims_error_last(), NULL);
	/* a session (cookie) is something a browser sends by itself: unsafe methods need its CSRF token too */
	if (p.kind != AIMS_PRINCIPAL_NONE && csrf[0] && unsafe(method)) {
		const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!h || strlen(h) != strlen(csrf) || strcmp(h, csrf) != 0)
			return problem(c, r, method, url, 403, "missing or wrong X-CSRF-Token for this session", NULL);
	}
	if (!(q.req = r->path_params ? json_deep_copy(r->path_params) : json_object()))
		return problem(c, r, method, url, 500, "out of memory", NULL);
	int has_inputs = aims_op_has_inputs(op);
	int query_fields = !unsafe(method) || (op->flags & AIMS_OP_STREAM) || has_inputs;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_query, &q);
	if (q.bad) {
		rc = problem(c, r, method, url, 400, q.err, q.field);
		goto done;
	}
	/* a cacheable read answered before: the same bytes, as long as the store has not changed */
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	if ((op->flags & AIMS_OP_CACHEABLE) && !unsafe(method)) {
		char *canon = json_dumps(q.req, JSON_COMPACT | JSON_SORT_KEYS);
		aims_buf k = AIMS_BUF_INIT;
		if (canon && aims_buf_printf(&k, "%s%c%s%c%lld,%lld", op->name, 0, canon, 0, q.limit, q.offset) == 0)
			ckey = aims_buf_detach(&k, &cklen);
		aims_buf_release(&k);
		free(canon);
		rentry *e = ckey ? &w->r[fnv(ckey, cklen) % RCACHE] : NULL;
		if (e && e->key && e->klen == cklen && memcmp(e->key, ckey, cklen) == 0) {
			struct MHD_Response *resp = NULL;
			int st = inm && strcmp(inm, e->etag) == 0 ? 304 : 200;
			rc = respond(c, r, method, url, st, "application/json", e->body, st == 304 ? 0 : e->len, &resp);
			if (resp) {
				char hv[512];
				MHD_add_response_header(resp, "ETag", e->etag);
				if (op->flags & AIMS_OP_LIST) {
					snprintf(hv, sizeof(hv), "%zu", e->total);
					MHD_add_response_header(resp, "X-Total-Count", hv);
					if ((size_t)(q.offset + q.limit) < e->total) {
						snprintf(hv, sizeof(hv), "<%s?offset=%lld&limit=%lld>; rel=\"next\"", url,
							 q.offset + q.limit, q.limit);
						MHD_add_response_header(resp, "Link", hv);
					}
				}
				rc = MHD_queue_response(c, (unsigned)st, resp);
				MHD_destroy_response(resp);
			}
			goto done;
		}
	}
	if (!query_fields && json_object_size(q.req) > json_object_size(r->path_params)) {
		rc = problem(c, r, method, url, 400, "give the fields of this request in its JSON body, not in the query",
			     NULL);
		goto done;
	}
	if (has_inputs) {
		/* the data of input fields: the body, or its multipart/form-data parts */
		char msg[512], field[64];
		int status = aims_server_inputs_open(&inputs, c, op, r->body.ptr, r->body.len, msg, sizeof(msg), field,
						     sizeof(field));
		if (status) {
			rc = problem(c, r, method, url, status, msg, field[0] ? field : NULL);
			goto done;
		}
	} else if ((op->flags & AIMS_OP_STREAM)) {
		/* an empty stream is a valid (empty) input; fmemopen needs at least one byte of buffer */
		in = fmemopen(r->body.len ? r->body.ptr : (char *)"", r->body.len, "r");
		if (!in) {
			rc = problem(c, r, method, url, 500, "cannot read the request body", NULL);
			goto done;
		}
	} else if (unsafe(method) && r->body.len) {
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		json_error_t je;
		json_t *b;
		if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
			rc = problem(c, r, method, url, 415, "the request body must be JSON (Content-Type: application/json)",
				     NULL);
			goto done;
		}
		if (!(b = json_loadb(r->body.ptr, r->body.len, JSON_REJECT_DUPLICATES, &je))) {
			char msg[300];
			snprintf(msg, sizeof(msg), "request body line %d column %d: %s", je.line, je.column, je.text);
			rc = problem(c, r, method, url, 400, msg, NULL);
			goto done;
		}
		if (!json_is_object(b)) {
			json_decref(b);
			rc = problem(c, r, method, url, 400, "the request body must be a JSON object", NULL);
			goto done;
		}
		const char *key;
		json_t *v;
		json_object_foreach(b, key, v) {
			if (json_object_get(q.req, key)) {
				char msg[200];
				snprintf(msg, sizeof(msg), "%s: given in the path and in the body", key);
				json_decref(b);
				rc = problem(c, r, method, url, 400, msg, key);
				goto done;
			}
			json_object_set(q.req, key, v);
		}
		json_decref(b);
	}
	const char *if_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Match");
	if ((op->flags & AIMS_OP_UPDATE) && !if_match) {
		rc = problem(c, r, method, url, 428,
			     "this update needs an If-Match header with the object's ETag (from a GET of it)", NULL);
		goto done;
	}
	client_addr(addr, sizeof(addr), c);
	aims_op_ctx octx = { 0 };
	octx.store = store;
	octx.principal = &p;
	octx.input = in;
	octx.inputs = inputs.streams;
	octx.ninputs = inputs.n;
	octx.input_name = "request body";
	octx.input_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	octx.if_match = if_match;
	octx.idempotency_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
	octx.client = "http";
	octx.client_addr = addr;
	octx.session = session;
	if (p.kind != AIMS_PRINCIPAL_NONE)
		aims_store_set_principal(store, &p);
	else
		aims_store_set_principal(store, NULL);
	err = aims_op_call(&res, op, &octx, q.req);
	aims_store_set_principal(store, NULL);
	if (res.wrote || (op->flags & AIMS_OP_WRITE))
		worker_flush(w); /* this handle's own commits do not move its data version */
	if (err < 0) {
		rc = problem(c, r, method, url, code_status(err), aims_error_last(), aims_error_last_field());
		goto done;
	}
	if (strcmp(op->name, "decision.ingest") == 0 && res.json) {
		aims_metrics_ingest((uint64_t)json_integer_value(json_object_get(res.json, "appended")));
		aims_metrics_log_size(json_string_value(json_object_get(res.json, "system")),
				      (uint64_t)json_integer_value(json_object_get(res.json, "size")));
	}
	if (strcmp(op->name, "session.login") == 0 && res.session_cookie)
		snprintf(r->principal, sizeof(r->principal), "%s", json_string_value(json_object_get(res.json, "principal")));
	/* the document */
	char *text = NULL;
	const char *ctype = res.content_type ? res.content_type : "application/octet-stream";
	size_t len = 0, total = 0;
	if (res.json) {
		if ((op->flags & AIMS_OP_LIST) && op->list_key)
			paginate(res.json, op->list_key, q.limit, q.offset, &total);
		text = json_dumps(res.json, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		if (!text) {
			rc = problem(c, r, method, url, 500, "out of memory", NULL);
			goto done;
		}
		len = strlen(text);
		ctype = "application/json";
	}
	int status = (op->flags & AIMS_OP_CREATED) ? 201 : 200;
	if (!res.etag[0] && text && (op->flags & AIMS_OP_LIST))
		aims_op_etag(res.etag, res.json);
	if (ckey && text && !res.outcome && !res.warning && !res.message) {
		rentry *e = &w->r[fnv(ckey, cklen) % RCACHE];
		char *body = malloc(len + 1);
		if (body) {
			memcpy(body, text, len + 1);
			free(e->key);
			free(e->body);
			e->key = ckey;
			e->klen = cklen;
			e->body = body;
			e->len = len;
			e->total = total;
			snprintf(e->etag, sizeof(e->etag), "%s", res.etag);
			ckey = NULL;
		}
	}
	if (!unsafe(method) && res.etag[0] && inm && strcmp(inm, res.etag) == 0) {
		status = 304;
		len = 0;
	}
	struct MHD_Response *resp = NULL;
	rc = respond(c, r, method, url, status, ctype, text ? text : res.body.ptr, text ? len : (status == 304 ? 0 : res.body.len),
		  &resp);
	free(text);
	if (!resp)
		goto done;
	char hv[1024];
	if (res.etag[0])
		MHD_add_response_header(resp, "ETag", res.etag);
	if (res.outcome) {
		MHD_add_response_header(resp, "Aims-Outcome", res.outcome == AIMS_ETAMPERED ? "tampered" : "denied");
	}
	if (res.warning) {
		header_safe(hv, sizeof(hv), res.warning);
		MHD_add_response_header(resp, "Aims-Warning", hv);
	}
	if (res.message) {
		header_safe(hv, sizeof(hv), res.message);
		MHD_add_response_header(resp, "Aims-Note", hv);
	}
	if ((op->flags & AIMS_OP_LIST) && op->list_key) {
		snprintf(hv, sizeof(hv), "%zu", total);
		MHD_add_response_header(resp, "X-Total-Count", hv);
		if ((size_t)(q.offset + q.limit) < total) {
			snprintf(hv, sizeof(hv), "<%s?offset=%lld&limit=%lld>; rel=\"next\"", url, q.offset + q.limit, q.limit);
			MHD_add_response_header(resp, "Link", hv);
		}
	}
	if (res.session_cookie) {
		snprintf(hv, sizeof(hv), "aims_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", res.session_cookie,
			 AIMS_SESSION_MAX_SECONDS, srv.tls ? "; Secure" : "");
		MHD_add_response_header(resp, "Set-Cookie", hv);
		memset(hv, 0, sizeof(hv));
	}
	if (strcmp(op->name, "session.logout") == 0)
		MHD_add_response_header(resp, "Set-Cookie", srv.tls ?
					"aims_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure" :
					"aims_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
done:
	free(ckey);
	if (in)
		fclose(in);
	aims_server_inputs_close(&inputs);
	aims_op_result_release(&res);
	json_decref(q.req);
	return rc;
}

/* ---- the web UI (src/lib/web): pages built from the same operations, signed in by session cookie ---- */

static enum MHD_Result on_web_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	json_t *q = cls;
	(void)kind;
	json_t *v = json_string(value ? value : "");
	if (v && !json_object_get(q, key))
		json_object_set_new(q, key, v);
	else
		json_decref(v);
	return MHD_YES;
}

static enum MHD_Result run_web(struct MHD_Connection *c, request *r, const char *method, const char *url)
{
	aims_web_response res = AIMS_WEB_RESPONSE_INIT;
	aims_web_request rq;
	aims_principal p;
	worker *w = NULL;
	char csrf[64], addr[INET6_ADDRSTRLEN];
	const char *session = NULL;
	json_t *query = NULL, *form = NULL;
	enum MHD_Result rc;

	memset(&p, 0, sizeof(p));
	csrf[0] = '\0';
	if (thread_worker(&w) < 0)
		return problem(c, r, method, url, 500, aims_error_last(), NULL);
	/* the UI signs in with the session cookie only (a browser does not send API tokens) */
	session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "aims_session");
	if (session && aims_session_check(&p, csrf, w->store, session, 0) < 0) {
		memset(&p, 0, sizeof(p));
		csrf[0] = '\0';
		aims_error_clear();
	}
	if (p.kind != AIMS_PRINCIPAL_NONE)
		snprintf(r->principal, sizeof(r->principal), "%s", p.name);
	query = json_object();
	if (query)
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_web_query, query);
	if (strcmp(method, "POST") == 0) {
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		/* a browser names the page a form came from: another site's forms (sign-in included) are refused */
		const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
		const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
		if (origin) {
			char want[300];
			snprintf(want, sizeof(want), "%s://%s", srv.tls ? "https" : "http", host ? host : "");
			if (strcmp(origin, want) != 0) {
				json_decref(query);
				return problem(c, r, method, url, 403, "a form posted from another origin", NULL);
			}
		}
		if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
			json_decref(query);
			return problem(c, r, method, url, 415, "a form post must be application/x-www-form-urlencoded", NULL);
		}
		if (aims_web_form_parse(&form, r->body.ptr, r->body.len) < 0) {
			json_decref(query);
			return problem(c, r, method, url, 400, aims_error_last(), aims_error_last_field());
		}
	}
	client_addr(addr, sizeof(addr), c);
	memset(&rq, 0, sizeof(rq));
	rq.store = w->store;
	rq.cache = w->web;
	rq.principal = &p;
	rq.csrf = csrf[0] ? csrf : NULL;
	rq.session = session;
	rq.method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	rq.path = url;
	rq.query = query;
	rq.form = form;
	rq.client_addr = addr;
	int err = aims_web_handle(&res, &rq);
	if (strcmp(method, "POST") == 0)
		worker_flush(w); /* a form may have written through this handle */
	json_decref(query);
	json_decref(form);
	if (err < 0) {
		aims_web_response_release(&res);
		return problem(c, r, method, url, 500, aims_error_last(), NULL);
	}
	struct MHD_Response *resp = NULL;
	rc = respond(c, r, method, url, res.status, res.content_type, res.body.ptr, res.body.len, &resp);
	if (resp) {
		char hv[1024];
		if (res.location[0])
			MHD_add_response_header(resp, "Location", res.location);
		if (res.filename[0]) {
			snprintf(hv, sizeof(hv), "attachment; filename=\"%s\"", res.filename);
			MHD_add_response_header(resp, "Content-Disposition", hv);
		}
		if (res.session_cookie) {
			snprintf(hv, sizeof(hv), "aims_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
				 res.session_cookie, AIMS_SESSION_MAX_SECONDS, srv.tls ? "; Secure" : "");
			MHD_add_response_header(resp, "Set-Cookie", hv);
			memset(hv, 0, sizeof(hv));
		}
		if (res.end_session)
			MHD_add_response_header(resp, "Set-Cookie", srv.tls ?
						"aims_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure" :
						"aims_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
		rc = MHD_queue_response(c, (unsigned)res.status, resp);
		MHD_destroy_response(resp);
	}
	aims_web_response_release(&res);
	return rc;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	request *r = *con_cls;
	(void)cls;
	(void)version;
	if (!r) {
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &r->t0);
		route(r, method, url);
		size_t max = srv.opts->max_body;
		if (r->op && ((r->op->flags & AIMS_OP_STREAM) || aims_op_has_inputs(r->op)))
			max *= 64;
		aims_buf_init(&r->body, max);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && aims_buf_put(&r->body, upload, *upload_size) < 0)
			r->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	switch (r->route) {
	case 1:
		return respond(c, r, method, url, 200, "application/json", srv.openapi, srv.openapi_len, NULL);
	case 2: {
		char *m = NULL;
		size_t len = 0;
		if (aims_metrics_render(&m, &len) < 0)
			return problem(c, r, method, url, 500, "cannot render the metrics", NULL);
		enum MHD_Result rc = respond(c, r, method, url, 200, "text/plain; version=0.0.4", m, len, NULL);
		free(m);
		return rc;
	}
	case 3:
		return problem(c, r, method, url, 404, "no such resource", NULL);
	case 4:
		return problem(c, r, method, url, 405, "this method is not allowed on this resource", NULL);
	case 5:
		if (r->too_large)
			break;
		return run_web(c, r, method, url);
	default:
		break;
	}
	if (r->too_large) {
		char msg[128];
		snprintf(msg, sizeof(msg), "the request body is larger than %zu bytes", r->body.max);
		return problem(c, r, method, url, 413, msg, NULL);
	}
	return run_op(c, r, method, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	request *r = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (!r)
		return;
	json_decref(r->path_params);
	aims_buf_release(&r->body);
	free(r);
	*con_cls = NULL;
}

/* ---- start-up ---- */

static int parse_listen(struct sockaddr_storage *ss, socklen_t *len, int *loopback, const char *listen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	const char *h = listen;
	size_t hn;
	if (!colon)
		return -1;
	hn = (size_t)(colon - listen);
	if (hn >= 2 && listen[0] == '[' && listen[hn - 1] == ']') {
		h++;
		hn -= 2;
	}
	if (hn == 0 || hn >= sizeof(host))
		return -1;
	memcpy(host, h, hn);
	host[hn] = '\0';
	long port;
	char *end = NULL;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || !colon[1] || *end || port < 0 || port > 65535)
		return -1;
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (ss->ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)(void *)ss;
		in->sin_port = htons((uint16_t)port);
		*loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else if (ss->ss_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;
		in6->sin6_port = htons((uint16_t)port);
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	} else {
		return -1;
	}
	return 0;
}

static char *slurp(const char *path)
{
	char *data = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	aims_buf b = AIMS_BUF_INIT;
	char chunk[8192];
	size_t n;
	b.max = 1 << 20;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (aims_buf_put(&b, chunk, n) < 0)
			break;
	if (!ferror(f) && feof(f))
		data = aims_buf_detach(&b, NULL);
	aims_buf_release(&b);
	fclose(f);
	return data;
}

int aims_server_run(const aims_server_options *opts)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	int loopback = 0, rc = 6;
	char *cert = NULL, *key = NULL;
	struct MHD_Daemon *d = NULL;
	aims_store *probe = NULL;
	sigset_t set;
	json_t *oa = NULL;

	memset(&srv, 0, sizeof(srv));
	srv.opts = opts;
	srv.ops = aims_ops(&srv.nops);
	if (parse_listen(&ss, &sslen, &loopback, opts->listen) < 0) {
		fprintf(stderr, "error: --listen '%s': expected HOST:PORT, e.g. 127.0.0.1:8642\n", opts->listen);
		return 2;
	}
	if ((opts->tls_cert != NULL) != (opts->tls_key != NULL)) {
		fprintf(stderr, "error: --tls-cert and --tls-key go together\n");
		return 2;
	}
	srv.tls = opts->tls_cert != NULL;
	if (!loopback && !srv.tls && !opts->insecure_listen) {
		fprintf(stderr, "error: --listen '%s' is not a loopback address: serve it with --tls-cert and --tls-key, "
			"or say --insecure-listen (sessions and tokens would cross the network in clear text)\n",
			opts->listen);
		return 2;
	}
	/* the store must open (and be migrated) before anyone connects */
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	if (aims_store_open(&probe, opts->db, &so) < 0) {
		fprintf(stderr, "error: %s\n", aims_error_last());
		return aims_error_last_code() == AIMS_ENOTFOUND ? 5 : 3;
	}
	aims_store_free(probe);
	if (aims_op_openapi(&oa) < 0 || !(srv.openapi = json_dumps(oa, JSON_INDENT(1) | JSON_PRESERVE_ORDER))) {
		fprintf(stderr, "error: cannot build the OpenAPI document: %s\n", aims_error_last());
		json_decref(oa);
		return 6;
	}
	json_decref(oa);
	srv.openapi_len = strlen(srv.openapi);
	if (srv.tls && (!(cert = slurp(opts->tls_cert)) || !(key = slurp(opts->tls_key)))) {
		fprintf(stderr, "error: cannot read the TLS certificate or key\n");
		goto done;
	}
	if (opts->access_log) {
		srv.access = strcmp(opts->access_log, "-") == 0 ? stderr : fopen(opts->access_log, "a");
		if (!srv.access) {
			fprintf(stderr, "error: cannot open the access log '%s': %s\n", opts->access_log, strerror(errno));
			goto done;
		}
	}
	pthread_mutex_init(&srv.access_lock, NULL);
	pthread_key_create(&srv.store_key, worker_release);
	aims_metrics_init(srv.nops);

	/* SIGTERM and SIGINT are taken with sigwait below; workers never see them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = opts->threads > 0 ? (unsigned)opts->threads : (unsigned)(ncpu > 2 ? 2 * ncpu : 4);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (srv.tls)
		flags |= MHD_USE_TLS;
	if (srv.tls)
		d = MHD_start_daemon(flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				     MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
				     MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	else
		d = MHD_start_daemon(flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				     MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
				     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "error: cannot listen on '%s' (address in use, or not an address of this machine)\n",
			opts->listen);
		goto done;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = di ? di->port : 0;
	fprintf(stderr, "aims serve: listening on %s://%.*s:%u (%u threads, store %s)\n", srv.tls ? "https" : "http",
		(int)(strrchr(opts->listen, ':') - opts->listen), opts->listen, port, threads, opts->db);
	if (opts->port_file) {
		FILE *pf = fopen(opts->port_file, "w");
		if (pf) {
			fprintf(pf, "%u\n", port);
			fclose(pf);
		}
	}
	int sig = 0;
	while (sigwait(&set, &sig) == 0 && sig == SIGPIPE)
		;
	fprintf(stderr, "aims serve: signal %d, stopping\n", sig);
	MHD_stop_daemon(d);
	rc = 0;
done:
	if (srv.access && srv.access != stderr)
		fclose(srv.access);
	free(cert);
	if (key) {
		memset(key, 0, strlen(key));
		free(key);
	}
	free(srv.openapi);
	srv.openapi = NULL;
	return rc;
}
