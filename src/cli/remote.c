/*
 * `aims --server URL ...`: an operation sent to the HTTP API instead of a
 * store, with the API token from AIMS_TOKEN (Authorization: Bearer). The
 * request is the same one the command would pass to aims_op_call(): path
 * fields go into the URL, the rest into the query (GET, DELETE) or a JSON
 * body; a stream operation sends its input as the body, an operation with
 * input fields (AIMS_FT_INPUT) its files as the parts of a
 * multipart/form-data body, each named by its field with the path as given
 * as its file name, streamed (never read whole into memory). The answer is read
 * back into an aims_op_result, so the command prints exactly what it prints
 * on a local store. libcurl does the HTTP (and TLS; AIMS_CA_FILE names a CA
 * bundle for a private certificate authority).
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

struct reply {
	aims_buf body;
	char content_type[128];
	char etag[80];
	char outcome[32];
	char warning[1024];
	char note[1024];
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	return aims_buf_put(&r->body, p, size * n) < 0 ? 0 : size * n;
}

static void header_value(char *out, size_t cap, const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	if (len <= nlen + 1 || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
		return;
	const char *v = line + nlen + 1;
	size_t vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	if (vlen >= cap)
		vlen = cap - 1;
	memcpy(out, v, vlen);
	out[vlen] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t len = size * n;
	header_value(r->content_type, sizeof(r->content_type), p, len, "Content-Type");
	header_value(r->etag, sizeof(r->etag), p, len, "ETag");
	header_value(r->outcome, sizeof(r->outcome), p, len, "Aims-Outcome");
	header_value(r->warning, sizeof(r->warning), p, len, "Aims-Warning");
	header_value(r->note, sizeof(r->note), p, len, "Aims-Note");
	return len;
}

static size_t on_read(char *p, size_t size, size_t n, void *ud)
{
	return fread(p, size, n, (FILE *)ud) * size;
}

/* append a query or path value, percent-encoded */
static int put_escaped(aims_buf *b, CURL *c, const char *s)
{
	char *e = curl_easy_escape(c, s, 0);
	if (!e)
		return -1;
	int err = aims_buf_puts(b, e);
	curl_free(e);
	return err;
}

static int put_query_value(aims_buf *b, CURL *c, const char *name, json_t *v, int *first)
{
	char num[64];
	const char *s = NULL;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			if (put_query_value(b, c, name, e, first) < 0)
				return -1;
		return 0;
	}
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v)), s = num;
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.17g", json_real_value(v)), s = num;
	else if (json_is_boolean(v))
		s = json_is_true(v) ? "true" : "false";
	else
		return 0;
	if (aims_buf_puts(b, *first ? "?" : "&") < 0 || put_escaped(b, c, name) < 0 || aims_buf_putc(b, '=') < 0 ||
	    put_escaped(b, c, s) < 0)
		return -1;
	*first = 0;
	return 0;
}

static int status_exit(long status)
{
	switch (status) {
	case 400: case 409: case 412: case 413: case 415: case 422: case 428: return EXIT_INPUT;
	case 401: case 403: return EXIT_DENIED;
	case 404: return EXIT_NOTFOUND;
	default: return EXIT_FAILURE_;
	}
}

/*
 * The API refuses an update without If-Match (428). The command line holds
 * no earlier read to take an ETag from: without --if-match it changes the
 * object as it is now, as on a local store, so it reads the object's
 * current ETag first (GET of the op's get_op with the path fields).
 */
static int current_etag(char out[80], cli_ctx *ctx, const aims_op *op, const json_t *req)
{
	const aims_op *get = aims_op_find(op->get_op);
	aims_op_result r = AIMS_OP_RESULT_INIT;
	json_t *greq = json_object();
	int rc = EXIT_FAILURE_;

	out[0] = '\0';
	if (!get || !greq) {
		fprintf(stderr, "error: cannot read the current version of the object '%s' changes\n", op->name);
		goto done;
	}
	for (const aims_op_field *f = get->fields; f && f->name; f++) {
		json_t *v = (f->flags & AIMS_FF_PATH) ? json_object_get(req, f->name) : NULL;
		if (v && json_object_set(greq, f->name, v) < 0) {
			fprintf(stderr, "error: out of memory\n");
			goto done;
		}
	}
	if ((rc = cli_remote_call(&r, ctx, get, greq, NULL)) == EXIT_OK)
		snprintf(out, 80, "%s", r.etag);
done:
	aims_op_result_release(&r);
	json_decref(greq);
	return rc;
}

int cli_remote_call(aims_op_result *res, cli_ctx *ctx, const aims_op *op, const json_t *req, FILE *input)
{
	struct reply r;
	aims_buf url = AIMS_BUF_INIT, auth = AIMS_BUF_INIT;
	struct curl_slist *hdr = NULL;
	json_t *body = NULL, *rest = NULL;
	char *body_text = NULL;
	curl_mime *mime = NULL;
	const char *token = getenv("AIMS_TOKEN");
	long status = 0;
	int rc = EXIT_FAILURE_, first = 1;
	CURL *c = NULL;

	memset(&r, 0, sizeof(r));
	aims_buf_init(&r.body, (size_t)256 << 20);
	if (op->flags & AIMS_OP_NOCLI) {
		fprintf(stderr, "error: '%s' is not a command\n", op->name);
		return EXIT_USAGE;
	}
	if (!token || !*token) {
		fprintf(stderr, "error: --server needs an API token in AIMS_TOKEN (see 'aims token create')\n");
		return EXIT_DENIED;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(c = curl_easy_init()) || !(rest = json_deep_copy(req))) {
		fprintf(stderr, "error: cannot set up the HTTP client\n");
		goto done;
	}
	/* URL: the server, /api/v1, the path with its {fields} filled in */
	const char *base = ctx->server;
	size_t blen = strlen(base);
	while (blen && base[blen - 1] == '/')
		blen--;
	if (aims_buf_put(&url, base, blen) < 0 || aims_buf_puts(&url, "/api/v1") < 0)
		goto oom;
	for (const char *p = op->path; *p;) {
		if (*p != '{') {
			if (aims_buf_putc(&url, *p++) < 0)
				goto oom;
			continue;
		}
		const char *end = strchr(p, '}');
		char name[64];
		size_t n = end ? (size_t)(end - p - 1) : 0;
		if (!end || n >= sizeof(name))
			goto oom;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		const char *v = json_string_value(json_object_get(rest, name));
		if (!v) {
			fprintf(stderr, "error: missing %s\n", name);
			rc = EXIT_USAGE;
			goto done;
		}
		if (put_escaped(&url, c, v) < 0)
			goto oom;
		json_object_del(rest, name);
		p = end + 1;
	}
	int has_inputs = aims_op_has_inputs(op);
	int in_query = strcmp(op->method, "GET") == 0 || strcmp(op->method, "DELETE") == 0 || input || has_inputs;
	if (in_query) {
		const char *key;
		json_t *v;
		json_object_foreach(rest, key, v)
			if (put_query_value(&url, c, key, v, &first) < 0)
				goto oom;
	} else {
		body = rest;
		rest = NULL;
		if (!(body_text = json_dumps(body, JSON_COMPACT)))
			goto oom;
	}
	if (aims_buf_printf(&auth, "Authorization: Bearer %s", token) < 0 || !(hdr = curl_slist_append(hdr, auth.ptr)) ||
	    !(hdr = curl_slist_append(hdr, "Accept: application/json, */*")))
		goto oom;
	if (ctx->input_name && input && !(hdr = curl_slist_append(hdr, "Content-Type: application/octet-stream")))
		goto oom;
	if (body_text && !(hdr = curl_slist_append(hdr, "Content-Type: application/json")))
		goto oom;
	const char *ifm = cli_get(ctx, "if-match"), *idem = cli_get(ctx, "idempotency-key");
	char extra[512], cur[80];
	if (!ifm && (op->flags & AIMS_OP_UPDATE) && op->get_op) {
		if ((rc = current_etag(cur, ctx, op, req)) != EXIT_OK)
			goto done;
		rc = EXIT_FAILURE_;
		ifm = cur[0] ? cur : NULL;
	}
	if (ifm) {
		snprintf(extra, sizeof(extra), "If-Match: %s", ifm);
		if (!(hdr = curl_slist_append(hdr, extra)))
			goto oom;
	}
	if (idem) {
		snprintf(extra, sizeof(extra), "Idempotency-Key: %s", idem);
		if (!(hdr = curl_slist_append(hdr, extra)))
			goto oom;
	}
	curl_easy_setopt(c, CURLOPT_URL, url.ptr);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, op->method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (getenv("AIMS_CA_FILE"))
		curl_easy_setopt(c, CURLOPT_CAINFO, getenv("AIMS_CA_FILE"));
	if (input) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, input);
	} else if (has_inputs && ctx->ninputs) {
		if (!(mime = curl_mime_init(c)))
			goto oom;
		for (size_t i = 0; i < ctx->ninputs; i++) {
			curl_mimepart *part = curl_mime_addpart(mime);
			if (!part || curl_mime_name(part, ctx->inputs[i].field) != CURLE_OK ||
			    curl_mime_filename(part, ctx->inputs[i].name) != CURLE_OK ||
			    curl_mime_type(part, "application/octet-stream") != CURLE_OK ||
			    curl_mime_data_cb(part, -1, on_read, NULL, NULL, ctx->inputs[i].f) != CURLE_OK)
				goto oom;
		}
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, op->method);
	} else if (has_inputs) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	} else if (body_text) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body_text);
	}
	CURLcode cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		fprintf(stderr, "error: cannot reach '%s': %s\n", ctx->server, curl_easy_strerror(cc));
		goto done;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	int is_json = strncasecmp(r.content_type, "application/json", 16) == 0 ||
		      strncasecmp(r.content_type, "application/problem+json", 24) == 0;
	if (status >= 400) {
		json_t *p = is_json ? json_loadb(r.body.ptr, r.body.len, 0, NULL) : NULL;
		const char *detail = p ? json_string_value(json_object_get(p, "detail")) : NULL;
		fprintf(stderr, "error: %s\n", detail ? detail : "the server refused the request");
		json_decref(p);
		rc = status_exit(status);
		goto done;
	}
	if (is_json) {
		json_error_t je;
		if (!(res->json = json_loadb(r.body.ptr, r.body.len, JSON_DECODE_ANY, &je))) {
			fprintf(stderr, "error: the server's answer is not JSON: %s\n", je.text);
			goto done;
		}
	} else {
		res->body = r.body;
		aims_buf_init(&r.body, 0);
	}
	snprintf(res->etag, sizeof(res->etag), "%s", r.etag);
	if (strcmp(r.outcome, "denied") == 0)
		res->outcome = AIMS_EDENIED;
	else if (strcmp(r.outcome, "tampered") == 0)
		res->outcome = AIMS_ETAMPERED;
	if (r.warning[0])
		res->warning = strdup(r.warning);
	if (r.note[0])
		res->message = strdup(r.note);
	rc = EXIT_OK;
	goto done;
oom:
	fprintf(stderr, "error: out of memory\n");
done:
	curl_mime_free(mime);
	curl_slist_free_all(hdr);
	if (c)
		curl_easy_cleanup(c);
	free(body_text);
	json_decref(body);
	json_decref(rest);
	aims_buf_release(&r.body);
	aims_buf_release(&url);
	if (auth.len)
		memset(auth.ptr, 0, auth.len);
	aims_buf_release(&auth);
	return rc;
}
