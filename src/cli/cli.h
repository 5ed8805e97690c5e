/*
 * The aims command line: the command table, option parsing, output helpers
 * and the mapping from library error codes to exit statuses. Each
 * subcommand lives in cmd_<name>.c and uses only libaims' public headers.
 */
#ifndef AIMS_CLI_H
#define AIMS_CLI_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "aims/aims.h"

/* exit statuses (documented in aims(1)) */
enum {
	EXIT_OK = 0,
	EXIT_FINDING = 1,   /* a check failed or found something */
	EXIT_USAGE = 2,     /* wrong command line */
	EXIT_INPUT = 3,     /* bad input: file, value, store version */
	EXIT_INTEGRITY = 4, /* integrity verification failed */
	EXIT_NOTFOUND = 5,  /* the named object does not exist */
	EXIT_FAILURE_ = 6,  /* anything else: I/O, database, out of memory */
	EXIT_DENIED = 7     /* not permitted (role, ownership, separation of duties) or not authenticated */
};

enum {
	OPT_VALUE = 1 << 0,  /* takes an argument */
	OPT_MULTI = 1 << 1,  /* may be given several times */
	OPT_REQUIRED = 1 << 2, /* must be given (from an operation's required field) */
	OPT_FORMAT = 1 << 3  /* --NAME FILE: ask the operation for format NAME and write it to FILE */
};

typedef struct {
	const char *name;   /* long name without "--" */
	const char *arg;    /* argument placeholder (NULL for a flag) */
	const char *help;
	int flags;
} cli_opt;

struct cli_ctx;
struct aims_op;

typedef struct cli_cmd {
	const char *name;      /* "catalog show": words separated by one space */
	int (*run)(struct cli_ctx *ctx);
	const char *args;      /* synopsis after the options, e.g. "FRAMEWORK [ID]" */
	int min_args, max_args;  /* positional argument count; max -1 = any */
	const char *summary;   /* one line, lowercase, no period */
	const char *desc;      /* paragraphs for --help and the man page */
	const cli_opt *opts;   /* terminated by { NULL }; for an operation: options beyond its fields */
	const char *op;        /* the operation (op.h) this command runs through cli_run_op, or NULL;
				  its fields give the options, its summary the summary (when summary is NULL) */
	/* print the operation's result for people (NULL: print the JSON) */
	int (*render)(struct cli_ctx *ctx, const aims_op_result *res);
	/* complete the request before the call (e.g. hash a local file), or NULL */
	int (*prepare)(struct cli_ctx *ctx, json_t *req);
} cli_cmd;

#define CLI_MAX_VALUES 64

typedef struct cli_ctx {
	const cli_cmd *cmd;
	const char *db;            /* --db or AIMS_DB or "./aims.db" */
	const char *server;        /* --server URL or AIMS_SERVER: act through the API instead of a store */
	const char *input_name;    /* the input file of an operation, for messages */
	const aims_op_stream *inputs; /* the opened files of the operation's input fields (cli_run_op) */
	size_t ninputs;
	int json;                  /* --json given */
	int nargs;
	char **args;               /* positional arguments */
	int nvals;
	struct { const char *name; const char *value; } vals[CLI_MAX_VALUES];
} cli_ctx;

extern const cli_cmd cli_commands[];
extern const size_t cli_command_count;
extern const cli_opt cli_global_opts[];

/* options */
const char *cli_get(const cli_ctx *ctx, const char *name);    /* last value, or NULL */
int cli_flag(const cli_ctx *ctx, const char *name);          /* given at all */
int cli_get_all(const cli_ctx *ctx, const char *name, const char **out, int max);

/* errors: print "error: <message>" and return the exit status for `code` */
int cli_fail(int code);
int cli_usage(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_exit_status(int code);

/* the store: open the one named by --db/AIMS_DB (create only for init; CLI_STORE_IF_EXISTS: a missing
   store is no error, *out is NULL) */
#define CLI_STORE_IF_EXISTS (-1)
int cli_open_store(aims_store **out, const cli_ctx *ctx, int create);
/* the same, read-only: for verification, which must change nothing */
int cli_open_store_readonly(aims_store **out, const cli_ctx *ctx);

/* read a whole input file, or standard input for '-' (aims_file_read: a directory is
 * refused with exit 3); max 0 = the library's default; prints the error */
int cli_read_file(char **data, size_t *len, const char *path, size_t max);
/* write a whole file: a new file beside it (O_EXCL|O_NOFOLLOW), synced, renamed over it
 * (aims_file_write); prints the error */
int cli_write_file(const char *path, const char *data, size_t len);
/* print an array of objects as CSV (aims_json_list_csv) on standard output; takes the reference */
int cli_print_csv(json_t *items);
/* print an HTML page to a PDF file with headless Chromium ($AIMS_CHROMIUM, else chromium on PATH) */
int cli_html_to_pdf(const char *html, size_t len, const char *pdf);

/* output: standard output and error through the filter that shows control characters escaped */
void cli_output_init(void);
void cli_time_format(char out[32], int64_t epoch);   /* RFC 3339 UTC, e.g. 2026-03-01T12:00:00Z */
int cli_print_json(json_t *v);                  /* pretty, keys in insertion order, newline; steals v */

typedef struct cli_table cli_table;
cli_table *cli_table_new(int ncols, const char *const *headers);
void cli_table_add(cli_table *t, const char *const *cells);  /* copies cells */
void cli_table_print(cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

/* text wrapped to the width, each line indented */
void cli_wrap(FILE *out, const char *text, int indent, int width);
int cli_term_width(void);

/* operations: commands that run an operation of the library's table */
int cli_run_op(cli_ctx *ctx);
int cli_build_request(json_t **out, cli_ctx *ctx, const aims_op *op);
const cli_opt *cli_cmd_opts(const cli_cmd *cmd);   /* the op's fields as options, then the command's own */
const char *cli_cmd_summary(const cli_cmd *cmd);
/* the operation on the server named by ctx->server, with AIMS_TOKEN (remote.c) */
int cli_remote_call(aims_op_result *res, cli_ctx *ctx, const aims_op *op, const json_t *req, FILE *input);
/* read a whole file or standard input ('-'); refuses directories; prints the error */
int cli_read_text(char **out, size_t *len, const char *path, size_t max);

/* help */
void cli_print_help(FILE *out, const cli_cmd *cmd);
void cli_print_overview(FILE *out);
void cli_print_man(FILE *out);
const cli_cmd *cli_find(const char *name);

#endif
