/*
 * Operations: every user-visible thing aims does, defined once. Each
 * operation names its CLI words, its HTTP method and path under /api/v1,
 * the permission it needs (auth.h), its request fields and its response,
 * and one function that does the work and builds the response document.
 * The command line and the HTTP server both parse their input into the same
 * request (a JSON object) and call aims_op_call(), so `aims ... --json` and
 * the API return the same document for the same object; `aims help`, the
 * man page, the OpenAPI document and docs/permissions.md are generated from
 * this table.
 */
#ifndef AIMS_OP_H
#define AIMS_OP_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include "auth.h"
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* field types */
enum {
	AIMS_FT_STRING = 1,  /* one line of text */
	AIMS_FT_TEXT,        /* text that may span lines */
	AIMS_FT_INT,         /* integer (the CLI parses decimal) */
	AIMS_FT_NUMBER,      /* number */
	AIMS_FT_BOOL,        /* true/false (a CLI flag) */
	AIMS_FT_LIST,        /* array of strings (a repeatable CLI option) */
	AIMS_FT_DATE,        /* YYYY-MM-DD */
	AIMS_FT_JSON,        /* any JSON value (objects, arrays) */
	AIMS_FT_FILE,        /* file contents as UTF-8 text: the CLI reads the named file ('-' = stdin);
				the operation's parser checks the content (control characters too) */
	AIMS_FT_INPUT        /* a data stream the op reads (CSV, NDJSON, gzip), never a JSON value: the
				CLI opens the file the option names ('-' = stdin); over HTTP the request body
				(the op's first input field) or the multipart/form-data part of this name.
				The op gets it with aims_op_input(); it is not in the request object */
};

/* field flags */
enum {
	AIMS_FF_REQUIRED = 1 << 0,   /* must be present */
	AIMS_FF_PATH = 1 << 1,       /* part of the URL path ({name}); a positional CLI argument */
	AIMS_FF_ARG = 1 << 2,        /* a positional CLI argument although not in the path */
	AIMS_FF_NOCLI = 1 << 3,      /* not offered as a CLI option (set by the CLI itself) */
	AIMS_FF_SECRET = 1 << 4,     /* never echoed in errors or logs (passwords) */
	AIMS_FF_STORE = 1 << 5,      /* AIMS_OP_STORE_OPTIONAL: given, the request needs the store */
	AIMS_FF_OPTION = 1 << 6      /* with AIMS_FF_PATH: in the URL path, but a CLI option (--name VALUE)
					rather than a positional argument (commands older than the API) */
};

typedef struct {
	const char *name;            /* JSON name, snake_case; CLI option --name with '-' for '_' */
	int type;                    /* AIMS_FT_* */
	int flags;                   /* AIMS_FF_* */
	const char *arg;             /* placeholder in help, e.g. "NAME", "N", "YYYY-MM-DD" */
	const char *help;            /* one line */
	const char *const *choices;  /* allowed values (NULL-terminated), or NULL */
} aims_op_field;

/* operation flags */
enum {
	AIMS_OP_WRITE = 1 << 0,      /* changes the store (a transaction; CLI signs a checkpoint after) */
	AIMS_OP_UPDATE = 1 << 1,     /* changes one existing object: If-Match against get_op's ETag */
	AIMS_OP_LIST = 1 << 2,       /* response has an array under list_key: the API paginates it */
	AIMS_OP_STREAM = 1 << 3,     /* reads a stream (ctx->input): a file/stdin on the CLI, the body over HTTP */
	AIMS_OP_CREATED = 1 << 4,    /* success creates an object (HTTP 201) */
	AIMS_OP_PUBLIC = 1 << 5,     /* no principal needed (sign-in) */
	AIMS_OP_IDEMPOTENT = 1 << 6, /* honours an idempotency key (ctx->idempotency_key) */
	AIMS_OP_NOCLI = 1 << 7,      /* offered by the API only */
	AIMS_OP_CACHEABLE = 1 << 8,  /* a read whose document depends only on the request and the store's
					rows (not on the principal, files or the clock): a server may answer
					it from a cache until the store changes */
	AIMS_OP_STORE_OPTIONAL = 1 << 9 /* works on its inputs alone unless an AIMS_FF_STORE field is given
					   (an evaluation of a file): aims_op_call then accepts ctx->store NULL,
					   and with no store there is no principal and no permission check
					   (roles are a store's; nothing of a store is read or written).
					   The CLI runs such a request without a store when there is none
					   (with one, the principal's roles apply as usual). Such an op
					   may also write when asked to (eval --record): it checks the
					   permission for that itself and sets res->wrote, and aims_op_call
					   then signs the checkpoint as after an AIMS_OP_WRITE op */
};

typedef struct aims_op aims_op;

/** A data stream of an AIMS_FT_INPUT field. */
typedef struct {
	const char *field;               /* the field's name */
	FILE *f;                         /* the stream (owned by the front end) */
	const char *name;                /* its name in messages and results: the path as given on the CLI
					    ('-' for standard input), the part's file name or "request body"
					    over HTTP */
} aims_op_stream;

/** What an operation runs with. */
typedef struct {
	aims_store *store;               /* with the principal set */
	const aims_principal *principal;
	FILE *input;                     /* AIMS_OP_STREAM: the stream to read */
	const char *input_name;          /* its name for messages (a path, "standard input", "request body") */
	const char *input_type;          /* its media type when known (e.g. "application/x-ndjson"), else NULL */
	const char *if_match;            /* an ETag the object must still have, or NULL */
	const char *idempotency_key;     /* AIMS_OP_IDEMPOTENT: the caller's key, or NULL */
	const char *client;              /* "cli" or "http", for the few differences in defaults */
	const char *client_addr;         /* the HTTP client's address (sign-in throttling), or NULL */
	const char *session;             /* the caller's session cookie (sign-out), or NULL */
	const aims_op_stream *inputs;     /* the streams of AIMS_FT_INPUT fields that were given */
	size_t ninputs;
	/* progress of a long operation (NULL: none wanted): `event` is "read" (records read so far, now
	   and then) or "acked" (records committed); the CLI prints them with --progress */
	void (*progress)(void *arg, const char *event, uint64_t n);
	void *progress_arg;
} aims_op_ctx;

/** What an operation returns. */
typedef struct {
	json_t *json;                    /* the response document (owned), or NULL when body is used */
	aims_buf body;                   /* a non-JSON document (HTML, CSV, SVG, Markdown, DOT) */
	const char *content_type;        /* of body, e.g. "text/html; charset=utf-8" */
	char etag[80];                   /* the object's ETag ("" when none): set by aims_op_call */
	int outcome;                     /* 0, or a finding the front end reports with the document:
					    AIMS_EDENIED (check failed, exit 1), AIMS_ETAMPERED (exit 4) */
	char *message;                   /* a line for people about the outcome, or NULL (owned) */
	int wrote;                       /* the operation changed the store */
	char *session_cookie;            /* sign-in: the new session's cookie value (a secret; owned) */
	char *warning;                   /* something went wrong after the work was done, e.g. the checkpoint
					    could not be signed (owned; front ends show it, the exit stays 0) */
} aims_op_result;

#define AIMS_OP_RESULT_INIT { NULL, AIMS_BUF_INIT, NULL, "", 0, NULL, 0, NULL, NULL }

void aims_op_result_release(aims_op_result *res);

struct aims_op {
	const char *name;                /* "risk.accept" */
	const char *cli;                 /* "risk accept" (NULL: no CLI words) */
	const char *method;              /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *path;                /* "/risks/{id}/accept" (under /api/v1) */
	const char *perm;                /* permission name (auth.h) */
	int flags;                       /* AIMS_OP_* */
	const aims_op_field *fields;     /* terminated by { NULL } */
	const char *summary;             /* one line, lowercase, no period */
	const char *list_key;            /* AIMS_OP_LIST: the array member */
	const char *get_op;              /* AIMS_OP_UPDATE: the operation that reads the object (its ETag) */
	const char *const *formats;      /* other formats the op can render (e.g. "html", "csv"), or NULL */
	int (*run)(aims_op_result *res, aims_op_ctx *ctx, const json_t *req);
};

/** The operation table, sorted by name; *count gets its length. */
const aims_op *aims_ops(size_t *count);

/** The operation `name` ("risk.accept"), or NULL. */
const aims_op *aims_op_find(const char *name);

/** The operation whose CLI words are `words` ("risk accept"), or NULL. */
const aims_op *aims_op_find_cli(const char *words);

/**
 * Run `op` for the principal set on ctx->store: check the permission,
 * validate `req` against the op's fields (unknown, missing, mistyped or
 * out-of-list fields are AIMS_EINVALID naming the field, see
 * aims_error_last_field()), check If-Match for updates (AIMS_ESTALE), run
 * it (writes in one transaction) and set res->etag for documents of one
 * object. `req` may be NULL for no fields. res must be initialised with
 * AIMS_OP_RESULT_INIT; release it with aims_op_result_release().
 */
int aims_op_call(aims_op_result *res, const aims_op *op, aims_op_ctx *ctx, const json_t *req);

/**
 * The operation for HTTP `method` on `path` (the part after /api/v1,
 * percent-decoded), with the path's {fields} added to *params (a new object,
 * caller decrefs). Returns the operation, or NULL with *status 404 (no such
 * path) or 405 (the path exists, not with this method). HEAD matches GET.
 */
const aims_op *aims_op_route(json_t **params, int *status, const char *method, const char *path);

/**
 * Add one query parameter to an operation request, converted to the type of
 * the field it names (integers, numbers, true/false, repeated list items);
 * an unknown name is added as text for validation to refuse. AIMS_EINVALID
 * naming the parameter for a value that is not UTF-8 or given twice.
 */
int aims_op_query_param(json_t *req, const aims_op *op, const char *name, const char *value);

/**
 * Check `req` against the fields of `op` without running it: a JSON object
 * (or NULL) whose members are fields of the op (or "format" when the op
 * has formats), each of its field's type, within its choices, with every
 * required field present. AIMS_EINVALID naming the field otherwise.
 */
int aims_op_validate(const aims_op *op, const json_t *req);

/** The ETag of a JSON document: "\"sha256:<first 32 hex digits>\"" of its canonical form. */
int aims_op_etag(char out[80], const json_t *doc);

/** The OpenAPI 3.1 document of the API, generated from the table (caller decrefs). */
int aims_op_openapi(json_t **out);

/** docs/permissions.md: the permission table and the operation x role matrix, as Markdown. */
int aims_op_permissions_md(aims_buf *out);

/* ---- helpers for operations (reading a validated request) ---- */

/** A string field, or NULL when absent (validation already checked the type). */
const char *aims_req_str(const json_t *req, const char *name);
/** An integer field; `def` when absent. */
int64_t aims_req_int(const json_t *req, const char *name, int64_t def);
/** A number field; `def` when absent. */
double aims_req_num(const json_t *req, const char *name, double def);
/** A boolean field; 0 when absent. */
int aims_req_bool(const json_t *req, const char *name);
/** Whether the field is present. */
int aims_req_has(const json_t *req, const char *name);
/** The strings of a list field: *n items into a new array of borrowed pointers (caller frees the array). */
int aims_req_list(const char ***out, size_t *n, const json_t *req, const char *name);

/** The stream of input field `field` (its name into *name when not NULL), or NULL when not given. */
FILE *aims_op_input(const aims_op_ctx *ctx, const char *field, const char **name);

/** Whether the op has a field of type AIMS_FT_INPUT. */
int aims_op_has_inputs(const aims_op *op);

/**
 * The CSV (RFC 4180, CRLF line ends, a header row) of an array of JSON
 * objects: one column per member in order of first appearance, an object
 * member as one column per its members ("inherent.score"), arrays of text
 * joined with "; ", other values as compact JSON, null empty. Every
 * AIMS_OP_LIST operation answers format "csv" this way unless it renders CSV
 * itself (aims_op_call does the conversion).
 */
int aims_json_list_csv(aims_buf *out, const json_t *items);

/** JSON string or null. */
json_t *aims_json_str(const char *s);

#ifdef __cplusplus
}
#endif
#endif
