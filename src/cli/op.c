/*
 * Commands that are operations of the library's operation table (op.h):
 * argv -> request (positional arguments and options mapped to the
 * operation's fields by name), then the operation, on the store
 * (aims_op_call) or on a server (--server URL, remote.c), then the
 * response: --json prints the document the API returns, a format option
 * (--html FILE, ...) writes the rendered document, otherwise the command's
 * renderer prints it for people.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* ---- options of an operation command: the op's fields plus the command's own ---- */

struct opt_cache {
	const cli_cmd *cmd;
	cli_opt *opts;
	char *names;   /* the options' dashed names, one block */
};

static struct opt_cache cache[8];

/* "intended_use" -> "intended-use": a copy the caller frees (the name itself when out of memory) */
static const char *dashed(const char *name)
{
	size_t n = strlen(name);
	char *s = malloc(n + 1);
	if (!s)
		return name;
	for (size_t i = 0; i <= n; i++)
		s[i] = name[i] == '_' ? '-' : name[i];
	return s;
}

static int cli_field(const aims_op_field *f)
{
	if (f->flags & AIMS_FF_OPTION)
		return !(f->flags & AIMS_FF_NOCLI);
	return !(f->flags & (AIMS_FF_PATH | AIMS_FF_ARG | AIMS_FF_NOCLI));
}

/* a positional CLI argument (a path field that is not an option, or an AIMS_FF_ARG field) */
static int cli_positional(const aims_op_field *f)
{
	return (f->flags & (AIMS_FF_PATH | AIMS_FF_ARG)) && !(f->flags & AIMS_FF_OPTION);
}

const cli_opt *cli_cmd_opts(const cli_cmd *cmd)
{
	const aims_op *op = cmd->op ? aims_op_find(cmd->op) : NULL;
	size_t n = 0, k = 0, slot = 0;
	if (!op)
		return cmd->opts;
	for (size_t i = 0; i < sizeof(cache) / sizeof(cache[0]); i++) {
		if (cache[i].cmd == cmd)
			return cache[i].opts;
		if (!cache[i].cmd) {
			slot = i;
			break;
		}
		slot = i;
	}
	size_t nlen = 0;
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if (cli_field(f)) {
			n++;
			nlen += strlen(f->name) + 1;
		}
	for (const cli_opt *o = cmd->opts; o && o->name; o++)
		n++;
	cli_opt *v = calloc(n + 4, sizeof(*v));
	char *names = malloc(nlen + 1), *np = names;
	if (!v || !names) {
		free(v);
		free(names);
		return cmd->opts;
	}
	for (const aims_op_field *f = op->fields; f && f->name; f++) {
		if (!cli_field(f))
			continue;
		for (size_t i = 0; i <= strlen(f->name); i++)
			np[i] = f->name[i] == '_' ? '-' : f->name[i];
		v[k].name = np;
		np += strlen(f->name) + 1;
		v[k].arg = f->type == AIMS_FT_BOOL ? NULL : (f->arg ? f->arg : "VALUE");
		v[k].help = f->help;
		v[k].flags = f->type == AIMS_FT_BOOL ? 0 : OPT_VALUE | (f->type == AIMS_FT_LIST ? OPT_MULTI : 0);
		if (f->flags & AIMS_FF_REQUIRED)
			v[k].flags |= OPT_REQUIRED;
		k++;
	}
	int has_json = 0, has_csv = 0;
	for (const cli_opt *o = cmd->opts; o && o->name; o++) {
		v[k++] = *o;
		has_json |= strcmp(o->name, "json") == 0;
		has_csv |= strcmp(o->name, "csv") == 0;
	}
	if (!has_json)
		v[k++] = (cli_opt){ "json", NULL, "print the JSON document (the API's response body)", 0 };
	if (!has_csv && op->list_key)
		v[k++] = (cli_opt){ "csv", NULL, "print the list as CSV (a header row, one row per item)", 0 };
	for (const cli_opt *o = cmd->opts; o && o->name; o++)
		if ((o->flags & OPT_FORMAT) && strcmp(o->name, "html") == 0) {
			v[k++] = (cli_opt){ "pdf", "FILE", "write the HTML report as PDF to FILE (headless Chromium: "
					    "$AIMS_CHROMIUM, else chromium on PATH)", OPT_VALUE };
			break;
		}
	if (cache[slot].cmd) {
		/* more op commands than slots in one process: only help and man do that */
		free(cache[slot].opts);
		free(cache[slot].names);
	}
	cache[slot].cmd = cmd;
	cache[slot].opts = v;
	cache[slot].names = names;
	return v;
}

const char *cli_cmd_summary(const cli_cmd *cmd)
{
	const aims_op *op = cmd->op ? aims_op_find(cmd->op) : NULL;
	if (cmd->summary)
		return cmd->summary;
	return op ? op->summary : "";
}

/* ---- argv -> request ---- */

static int parse_int(json_t **out, const char *opt, const char *s)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !*s || *end) {
		fprintf(stderr, "error: %s '%s': expected an integer\n", opt, s);
		return EXIT_USAGE;
	}
	*out = json_integer(v);
	return EXIT_OK;
}

static int parse_num(json_t **out, const char *opt, const char *s)
{
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || !*s || *end || !isfinite(v)) {
		fprintf(stderr, "error: %s '%s': expected a number\n", opt, s);
		return EXIT_USAGE;
	}
	*out = json_real(v);
	return EXIT_OK;
}

int cli_read_text(char **out, size_t *len, const char *path, size_t max)
{
	/* the one way inputs are read (aims_file_read): a directory is refused, '-' is standard input */
	return cli_read_file(out, len, path, max);
}

/* the offset of the first byte that does not begin a valid UTF-8 sequence, or len */
static size_t utf8_bad(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned long cp, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, min = 0x10000;
		else
			return i;
		cp = c & (0x3fu >> n);
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static int field_value(json_t **out, const aims_op_field *f, const char *optname, const char *value,
		       const char **input_name)
{
	*out = NULL;
	switch (f->type) {
	case AIMS_FT_INT:
		return parse_int(out, optname, value);
	case AIMS_FT_NUMBER:
		return parse_num(out, optname, value);
	case AIMS_FT_BOOL:
		*out = json_true();
		return EXIT_OK;
	case AIMS_FT_FILE: {
		char *data = NULL;
		size_t len = 0;
		int rc = cli_read_text(&data, &len, value, (size_t)64 << 20);
		if (rc != EXIT_OK)
			return rc;
		if (strlen(data) != len || !(*out = json_stringn(data, len))) {
			/* name the line of the first NUL byte or bad UTF-8 sequence, as the operation's parser would */
			size_t nul = strlen(data), bad = utf8_bad((const unsigned char *)data, len), at, line = 1;
			at = nul < bad ? nul : bad;
			for (size_t i = 0; i < at; i++)
				line += data[i] == '\n';
			if (at == len)
				fprintf(stderr, "error: out of memory\n");
			else
				fprintf(stderr, "error: '%s' line %zu: %s\n", strcmp(value, "-") == 0 ? "standard input" : value,
					line, at == nul ? "contains a NUL byte (expected a text file)" : "not valid UTF-8 text");
			free(data);
			return at == len ? EXIT_FAILURE_ : EXIT_INPUT;
		}
		free(data);
		*input_name = strcmp(value, "-") == 0 ? "standard input" : value;
		return EXIT_OK;
	}
	default:
		*out = json_string(value);
		if (!*out) {
			fprintf(stderr, "error: %s: the value is not valid UTF-8\n", optname);
			return EXIT_INPUT;
		}
		return EXIT_OK;
	}
}

int cli_build_request(json_t **out, cli_ctx *ctx, const aims_op *op)
{
	json_t *req = json_object();
	int pos = 0, rc = EXIT_OK;
	*out = NULL;
	if (!req)
		return EXIT_FAILURE_;
	for (const aims_op_field *f = op->fields; f && f->name; f++) {
		json_t *v = NULL;
		char optname[96];
		if (cli_positional(f)) {
			if (pos >= ctx->nargs) {
				pos++;
				continue;
			}
			snprintf(optname, sizeof(optname), "%s", f->arg ? f->arg : f->name);
			if ((rc = field_value(&v, f, optname, ctx->args[pos++], &ctx->input_name)) != EXIT_OK)
				goto fail;
		} else if ((f->flags & AIMS_FF_NOCLI) || f->type == AIMS_FT_INPUT) {
			continue; /* input fields are files cli_run_op opens */
		} else {
			const char *cname = dashed(f->name);
			snprintf(optname, sizeof(optname), "--%s", cname);
			if (cname != f->name)
				free((char *)cname);
			const char *oname = optname + 2;
			if (f->type == AIMS_FT_LIST) {
				const char *vals[CLI_MAX_VALUES];
				int n = cli_get_all(ctx, oname, vals, CLI_MAX_VALUES);
				if (n == 0)
					continue;
				if (!(v = json_array())) {
					rc = EXIT_FAILURE_;
					goto fail;
				}
				for (int i = 0; i < n; i++) {
					json_t *s = json_string(vals[i]);
					if (!s) {
						fprintf(stderr, "error: %s: the value is not valid UTF-8\n", optname);
						json_decref(v);
						rc = EXIT_INPUT;
						goto fail;
					}
					json_array_append_new(v, s);
				}
			} else {
				const char *s = cli_get(ctx, oname);
				if (!s)
					continue;
				if ((rc = field_value(&v, f, optname, s, &ctx->input_name)) != EXIT_OK)
					goto fail;
			}
		}
		if (!v || json_object_set_new(req, f->name, v) < 0) {
			rc = EXIT_FAILURE_;
			goto fail;
		}
	}
	/* a required option that is missing is a usage error, before anything is opened */
	for (const aims_op_field *f = op->fields; f && f->name; f++) {
		if (!(f->flags & AIMS_FF_REQUIRED) || (f->flags & AIMS_FF_NOCLI) || json_object_get(req, f->name))
			continue;
		if (f->type == AIMS_FT_INPUT) {
			const char *cname = dashed(f->name);
			int given = cli_get(ctx, cname) != NULL;
			if (cname != f->name)
				free((char *)cname);
			if (given)
				continue;
		}
		if (cli_positional(f))
			fprintf(stderr, "error: missing %s\n", f->arg ? f->arg : f->name);
		else {
			const char *cname = dashed(f->name);
			fprintf(stderr, "error: missing --%s %s\n", cname, f->arg ? f->arg : "");
			if (cname != f->name)
				free((char *)cname);
		}
		fprintf(stderr, "usage: aims %s%s%s (see 'aims %s --help')\n", ctx->cmd->name,
			ctx->cmd->args[0] ? " " : "", ctx->cmd->args, ctx->cmd->name);
		rc = EXIT_USAGE;
		goto fail;
	}
	*out = req;
	return EXIT_OK;
fail:
	json_decref(req);
	return rc;
}

/* ---- the response ---- */

static int outcome_status(int outcome)
{
	return outcome ? cli_exit_status(outcome) : EXIT_OK;
}

/* the op's input fields given as options: each file opened ('-' = standard input, once) */
static int open_inputs(aims_op_stream *in, size_t *n, size_t max, cli_ctx *ctx, const aims_op *op)
{
	int used_stdin = 0;
	*n = 0;
	for (const aims_op_field *f = op->fields; f && f->name; f++) {
		if (f->type != AIMS_FT_INPUT || (f->flags & AIMS_FF_NOCLI))
			continue;
		const char *cname = dashed(f->name);
		const char *path = cli_get(ctx, cname);
		if (cname != f->name)
			free((char *)cname);
		if (!path)
			continue;
		if (*n >= max) {
			fprintf(stderr, "error: internal: '%s' has more input fields than the command line opens\n", op->name);
			return EXIT_FAILURE_;
		}
		FILE *fp;
		struct stat stt;
		if (strcmp(path, "-") == 0) {
			if (used_stdin++) {
				fprintf(stderr, "error: only one input can be standard input ('-')\n");
				return EXIT_USAGE;
			}
			fp = stdin;
		} else if (!(fp = fopen(path, "rb"))) {
			fprintf(stderr, "error: '%s': %s\n", path, strerror(errno));
			return errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAILURE_;
		} else if (fstat(fileno(fp), &stt) == 0 && S_ISDIR(stt.st_mode)) {
			fclose(fp);
			fprintf(stderr, "error: '%s' is a directory, not a file\n", path);
			return EXIT_INPUT;
		}
		in[*n].field = f->name;
		in[*n].f = fp;
		in[*n].name = path;
		(*n)++;
	}
	return EXIT_OK;
}

static void close_inputs(aims_op_stream *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (in[i].f && in[i].f != stdin)
			fclose(in[i].f);
}

/* AIMS_OP_STORE_OPTIONAL: whether the request needs the store (an AIMS_FF_STORE field is given) */
static int request_needs_store(const aims_op *op, const json_t *req)
{
	if (!(op->flags & AIMS_OP_STORE_OPTIONAL))
		return 1;
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if ((f->flags & AIMS_FF_STORE) && json_object_get(req, f->name))
			return 1;
	return 0;
}

/* a format option of the command given (e.g. --html FILE): its name and the file */
static const cli_opt *format_opt(const cli_ctx *ctx, const char **file)
{
	for (const cli_opt *o = ctx->cmd->opts; o && o->name; o++)
		if ((o->flags & OPT_FORMAT) && (*file = cli_get(ctx, o->name)) != NULL)
			return o;
	*file = NULL;
	return NULL;
}

/* --progress of a long operation: 'read N' now and then, 'acked N' once committed, on standard error */
static void print_progress(void *arg, const char *event, uint64_t n)
{
	(void)arg;
	fprintf(stderr, "%s %llu\n", event, (unsigned long long)n);
	fflush(stderr);
}

int cli_run_op(cli_ctx *ctx)
{
	const aims_op *op = aims_op_find(ctx->cmd->op);
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_store *store = NULL;
	json_t *req = NULL;
	FILE *in = NULL;
	aims_op_stream inputs[8];
	size_t ninputs = 0;
	const char *file = NULL;
	const cli_opt *fmt;
	int rc, err;

	if (!op) {
		fprintf(stderr, "error: internal: command '%s' names no operation\n", ctx->cmd->name);
		return EXIT_FAILURE_;
	}
	if ((rc = cli_build_request(&req, ctx, op)) != EXIT_OK)
		return rc;
	if ((fmt = format_opt(ctx, &file)) != NULL && json_object_set_new(req, "format", json_string(fmt->name)) < 0) {
		rc = EXIT_FAILURE_;
		goto done;
	}
	/* --pdf FILE: the HTML report, printed to PDF by headless Chromium */
	const char *pdf = NULL;
	for (const cli_opt *o = ctx->cmd->opts; o && o->name && !pdf; o++)
		if ((o->flags & OPT_FORMAT) && strcmp(o->name, "html") == 0)
			pdf = cli_get(ctx, "pdf");
	if (pdf && fmt && strcmp(fmt->name, "html") != 0)
		pdf = NULL;
	if (pdf && !fmt && json_object_set_new(req, "format", json_string("html")) < 0) {
		rc = EXIT_FAILURE_;
		goto done;
	}
	if (ctx->cmd->prepare && (rc = ctx->cmd->prepare(ctx, req)) != EXIT_OK)
		goto done;
	/* --csv of a list command that has no CSV option of its own */
	if (op->list_key && cli_flag(ctx, "csv") && !json_object_get(req, "format") &&
	    json_object_set_new(req, "format", json_string("csv")) < 0) {
		rc = EXIT_FAILURE_;
		goto done;
	}
	if (op->flags & AIMS_OP_STREAM) {
		/* the input is the positional argument after the operation's own, or standard input */
		int nown = 0;
		for (const aims_op_field *f = op->fields; f && f->name; f++)
			nown += cli_positional(f);
		const char *path = ctx->nargs > nown ? ctx->args[nown] : "-";
		struct stat stt;
		if (strcmp(path, "-") == 0) {
			in = stdin;
			ctx->input_name = "standard input";
		} else if (!(in = fopen(path, "rb"))) {
			fprintf(stderr, "error: cannot open '%s': %s\n", path, strerror(errno));
			rc = errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAILURE_;
			goto done;
		} else if (fstat(fileno(in), &stt) == 0 && S_ISDIR(stt.st_mode)) {
			fprintf(stderr, "error: '%s' is a directory, not a file\n", path);
			rc = EXIT_INPUT;
			goto done;
		} else {
			ctx->input_name = path;
		}
	}
	if ((rc = open_inputs(inputs, &ninputs, sizeof(inputs) / sizeof(inputs[0]), ctx, op)) != EXIT_OK)
		goto done;
	ctx->inputs = inputs;
	ctx->ninputs = ninputs;
	if (ctx->server) {
		rc = cli_remote_call(&res, ctx, op, req, in);
		if (rc != EXIT_OK)
			goto done;
	} else {
		aims_op_ctx octx = { 0 };
		/* an evaluation of a file works where there is no store (with one, its roles apply) */
		if ((rc = cli_open_store(&store, ctx, request_needs_store(op, req) ? 0 : CLI_STORE_IF_EXISTS)) != 0)
			goto done;
		octx.store = store;
		octx.principal = store ? aims_store_principal(store) : NULL;
		octx.inputs = inputs;
		octx.ninputs = ninputs;
		octx.input = in;
		octx.input_name = ctx->input_name;
		octx.if_match = cli_get(ctx, "if-match");
		octx.idempotency_key = cli_get(ctx, "idempotency-key");
		octx.client = "cli";
		if (cli_flag(ctx, "progress")) {
			octx.progress = print_progress;
			octx.progress_arg = NULL;
		}
		if ((err = aims_op_call(&res, op, &octx, req)) < 0) {
			rc = cli_fail(err);
			if (err == AIMS_EUSAGE) /* as cli_usage() ends a usage error */
				fprintf(stderr, "usage: aims %s%s%s\n", ctx->cmd->name, ctx->cmd->args[0] ? " " : "",
					ctx->cmd->args);
			goto done;
		}
	}
	if (res.warning)
		fprintf(stderr, "warning: %s\n", res.warning);
	if (pdf && (rc = cli_html_to_pdf(res.body.ptr, res.body.len, pdf)) != EXIT_OK)
		goto done;
	if (pdf && !fmt) {
		if (ctx->json && res.json)
			rc = cli_print_json(json_incref(res.json));
		else
			printf("wrote %s\n", pdf);
	} else if (fmt) {
		if ((rc = cli_write_file(file, res.body.ptr, res.body.len)) != EXIT_OK)
			goto done;
		if (ctx->json && res.json)
			rc = cli_print_json(json_incref(res.json));
		else if (ctx->cmd->render)
			rc = ctx->cmd->render(ctx, &res);
		else
			printf("wrote %s\n", file);
	} else if (!res.json) {
		fwrite(res.body.ptr, 1, res.body.len, stdout);
		rc = EXIT_OK;
	} else if (ctx->json || !ctx->cmd->render) {
		rc = cli_print_json(json_incref(res.json));
	} else {
		rc = ctx->cmd->render(ctx, &res);
	}
	if (rc == EXIT_OK)
		rc = outcome_status(res.outcome);
	if (res.outcome && res.message)
		fprintf(stderr, "%s\n", res.message);
done:
	if (in && in != stdin)
		fclose(in);
	close_inputs(inputs, ninputs);
	ctx->inputs = NULL;
	ctx->ninputs = 0;
	aims_op_result_release(&res);
	json_decref(req);
	aims_store_free(store);
	return rc;
}
