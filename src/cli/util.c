/*
 * Shared plumbing of the command line: option lookup, error reporting and
 * exit statuses, opening the store, tables, wrapped text and JSON output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

const char *cli_get(const cli_ctx *ctx, const char *name)
{
	for (int i = ctx->nvals - 1; i >= 0; i--)
		if (strcmp(ctx->vals[i].name, name) == 0)
			return ctx->vals[i].value;
	return NULL;
}

int cli_flag(const cli_ctx *ctx, const char *name)
{
	return cli_get(ctx, name) != NULL;
}

int cli_get_all(const cli_ctx *ctx, const char *name, const char **out, int max)
{
	int n = 0;
	for (int i = 0; i < ctx->nvals && n < max; i++)
		if (strcmp(ctx->vals[i].name, name) == 0)
			out[n++] = ctx->vals[i].value;
	return n;
}

int cli_exit_status(int code)
{
	switch (code) {
	case AIMS_OK: return EXIT_OK;
	case AIMS_EDENIED: return EXIT_FINDING;
	case AIMS_EUSAGE: return EXIT_USAGE;
	case AIMS_EINVALID:
	case AIMS_ECONFLICT:
	case AIMS_EVERSION: return EXIT_INPUT;
	case AIMS_ETAMPERED: return EXIT_INTEGRITY;
	case AIMS_ENOTFOUND: return EXIT_NOTFOUND;
	case AIMS_ESTALE: return EXIT_INPUT;
	case AIMS_EPERM:
	case AIMS_EAUTH:
	case AIMS_ETHROTTLED: return EXIT_DENIED;
	default: return EXIT_FAILURE_;
	}
}

int cli_fail(int code)
{
	const char *msg = aims_error_last();
	fprintf(stderr, "error: %s\n", *msg ? msg : aims_error_name(code));
	return cli_exit_status(code);
}

int cli_usage(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: aims %s%s%s\n", ctx->cmd->name, ctx->cmd->args[0] ? " " : "",
		ctx->cmd->args);
	return EXIT_USAGE;
}

int cli_open_store(aims_store **out, const cli_ctx *ctx, int create)
{
	aims_store_options opts = AIMS_STORE_OPTIONS_INIT;
	opts.create = create > 0;
	int err = aims_store_open(out, ctx->db, &opts);
	if (err == AIMS_ENOTFOUND && create == CLI_STORE_IF_EXISTS) {
		aims_error_clear();
		*out = NULL;
		return 0;
	}
	if (err < 0)
		return cli_fail(err);
	/* who acts: the account of the API token in AIMS_TOKEN, else the local OS user */
	aims_principal p;
	const char *token = getenv("AIMS_TOKEN");
	if (token && *token)
		err = aims_principal_from_token(&p, *out, token);
	else
		err = aims_principal_os(&p, *out);
	if (err < 0 || (err = aims_store_set_principal(*out, &p)) < 0) {
		aims_store_free(*out);
		*out = NULL;
		return cli_fail(err);
	}
	static int warned;
	const char *actor = getenv("AIMS_ACTOR");
	if (actor && *actor && !warned) {
		fprintf(stderr, "warning: AIMS_ACTOR no longer chooses who acts: aims acts as '%s' "
			"(an AIMS_TOKEN account, else the OS user)\n", p.name);
		warned = 1;
	}
	return 0;
}

int cli_write_file(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "error: '%s': path too long\n", path);
		return EXIT_USAGE;
	}
	/* write beside the target and rename, so a reader never sees half a file */
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "error: cannot write '%s': %s\n", path, strerror(errno));
		return EXIT_FAILURE_;
	}
	size_t n = fwrite(data, 1, len, f);
	int bad = n != len || fflush(f) != 0;
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		fprintf(stderr, "error: cannot write '%s': %s\n", path, strerror(errno));
		unlink(tmp);
		return EXIT_FAILURE_;
	}
	return EXIT_OK;
}

int cli_print_json(json_t *v)
{
	if (!v) {
		fprintf(stderr, "error: out of memory\n");
		return EXIT_FAILURE_;
	}
	int rc = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(v);
	fputc('\n', stdout);
	if (rc != 0) {
		fprintf(stderr, "error: cannot write JSON output\n");
		return EXIT_FAILURE_;
	}
	return EXIT_OK;
}

/* ---- tables ---- */

struct cli_table {
	int ncols;
	size_t nrows, cap;
	char **cells;  /* row-major, (nrows + 1) * ncols, row 0 = headers */
};

cli_table *cli_table_new(int ncols, const char *const *headers)
{
	cli_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ncols = ncols;
	cli_table_add(t, headers);
	return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
	if (!t)
		return;
	if (t->nrows == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		char **nc = realloc(t->cells, ncap * (size_t)t->ncols * sizeof(*nc));
		if (!nc)
			return;
		t->cells = nc;
		t->cap = ncap;
	}
	for (int c = 0; c < t->ncols; c++) {
		const char *v = cells[c] ? cells[c] : "";
		/* one line per cell: newlines and tabs become spaces */
		char *copy = strdup(v);
		if (copy)
			for (char *p = copy; *p; p++)
				if (*p == '\n' || *p == '\t' || *p == '\r')
					*p = ' ';
		t->cells[t->nrows * (size_t)t->ncols + (size_t)c] = copy;
	}
	t->nrows++;
}

/* display width of UTF-8 text: count code points, not bytes */
static size_t text_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* byte length of the first `w` code points of s */
static size_t prefix_bytes(const char *s, size_t w)
{
	size_t n = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == w)
				break;
			n++;
		}
	}
	return i;
}

int cli_term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	if (cols) {
		long v = strtol(cols, NULL, 10);
		if (v > 20 && v < 10000)
			return (int)v;
	}
	return 0; /* unlimited */
}

void cli_table_print(cli_table *t, FILE *out)
{
	if (!t)
		return;
	size_t width[32] = { 0 };
	int nc = t->ncols < 32 ? t->ncols : 32;
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < nc; c++) {
			const char *v = t->cells[r * (size_t)t->ncols + (size_t)c];
			size_t w = v ? text_width(v) : 0;
			if (w > width[c])
				width[c] = w;
		}
	int term = cli_term_width();
	for (size_t r = 0; r < t->nrows; r++) {
		size_t used = 0;
		for (int c = 0; c < nc; c++) {
			const char *v = t->cells[r * (size_t)t->ncols + (size_t)c];
			if (!v)
				v = "";
			if (c == nc - 1) {
				size_t w = text_width(v);
				/* on a terminal, cut the last column at the edge */
				if (term && used + w > (size_t)term && (size_t)term > used + 4) {
					size_t keep = (size_t)term - used - 3;
					fprintf(out, "%.*s...", (int)prefix_bytes(v, keep), v);
				} else {
					fputs(v, out);
				}
			} else {
				size_t pad = width[c] - text_width(v) + 2;
				fputs(v, out);
				for (size_t k = 0; k < pad; k++)
					fputc(' ', out);
				used += width[c] + 2;
			}
		}
		fputc('\n', out);
	}
}

void cli_table_free(cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void cli_wrap(FILE *out, const char *text, int indent, int width)
{
	if (width <= 0)
		width = 80;
	int avail = width - indent;
	if (avail < 20)
		avail = 20;
	const char *p = text;
	while (*p) {
		/* one paragraph line at a time, breaking at spaces */
		const char *nl = strchr(p, '\n');
		size_t linelen = nl ? (size_t)(nl - p) : strlen(p);
		const char *end = p + linelen;
		while (p < end) {
			while (p < end && *p == ' ')
				p++;
			const char *q = p, *brk = NULL;
			size_t w = 0;
			while (q < end && w < (size_t)avail) {
				if (*q == ' ')
					brk = q;
				if (((unsigned char)*q & 0xc0) != 0x80)
					w++;
				q++;
			}
			if (q < end && brk && brk > p)
				q = brk;
			fprintf(out, "%*s%.*s\n", indent, "", (int)(q - p), p);
			p = q;
		}
		if (!nl)
			break;
		fputc('\n', out); /* a newline in the text separates paragraphs */
		p = nl + 1;
	}
}

int cli_print_csv(json_t *items)
{
	aims_buf b = AIMS_BUF_INIT;
	int err;
	if (!items)
		return cli_fail(AIMS_ENOMEM);
	err = aims_json_list_csv(&b, items);
	json_decref(items);
	if (err < 0) {
		aims_buf_release(&b);
		return cli_fail(err);
	}
	fwrite(b.ptr, 1, b.len, stdout);
	aims_buf_release(&b);
	return EXIT_OK;
}

/* remove a temporary tree (best effort; symbolic links are removed, not followed) */
static void rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			char sub[PATH_MAX];
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < sizeof(sub))
				rm_tree(sub);
		}
		if (d)
			closedir(d);
	}
	remove(path);
}

/* the Chromium to print with: $AIMS_CHROMIUM, else the first of the usual names on PATH */
static int find_chromium(char *out, size_t size)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" };
	const char *env = getenv("AIMS_CHROMIUM");
	if (env && *env) {
		snprintf(out, size, "%s", env);
		return access(out, X_OK) == 0 ? 0 : -1;
	}
	const char *path = getenv("PATH");
	for (size_t i = 0; path && i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = path;
		while (*p) {
			size_t n = strcspn(p, ":");
			snprintf(out, size, "%.*s/%s", (int)n, p, names[i]);
			if (n && access(out, X_OK) == 0)
				return 0;
			p += n + (p[n] == ':');
		}
	}
	return -1;
}

int cli_html_to_pdf(const char *html, size_t len, const char *pdf)
{
	char chromium[PATH_MAX], dir[] = "/tmp/aims-pdf-XXXXXX", page[PATH_MAX + 16], profile[PATH_MAX + 16];
	char abs_pdf[PATH_MAX + 8], arg_pdf[PATH_MAX + 32], url[PATH_MAX + 32];
	int rc = EXIT_FAILURE_;
	if (find_chromium(chromium, sizeof(chromium)) < 0) {
		fprintf(stderr, "error: --pdf needs headless Chromium: %s\n",
			getenv("AIMS_CHROMIUM") ? "$AIMS_CHROMIUM is not an executable" :
						  "no chromium on PATH (install it, or set AIMS_CHROMIUM)");
		return EXIT_FAILURE_;
	}
	if (!mkdtemp(dir)) {
		fprintf(stderr, "error: --pdf: cannot make a temporary directory: %s\n", strerror(errno));
		return EXIT_FAILURE_;
	}
	snprintf(page, sizeof(page), "%s/report.html", dir);
	snprintf(profile, sizeof(profile), "%s/profile", dir);
	if (pdf[0] == '/') {
		snprintf(abs_pdf, sizeof(abs_pdf), "%s", pdf);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			goto done;
		snprintf(abs_pdf, sizeof(abs_pdf), "%s/%s", cwd, pdf);
	}
	snprintf(arg_pdf, sizeof(arg_pdf), "--print-to-pdf=%s", abs_pdf);
	snprintf(url, sizeof(url), "file://%s", page);
	if (cli_write_file(page, html, len) != EXIT_OK)
		goto done;
	char dataarg[PATH_MAX + 32];
	snprintf(dataarg, sizeof(dataarg), "--user-data-dir=%s", profile);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "error: --pdf: fork: %s\n", strerror(errno));
		goto done;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		      "--no-first-run", "--disable-extensions", dataarg, arg_pdf, url, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	FILE *f = fopen(abs_pdf, "rb");
	char magic[5] = { 0 };
	if (!f || fread(magic, 1, 4, f) != 4 || memcmp(magic, "%PDF", 4) != 0) {
		fprintf(stderr, "error: --pdf: %s did not write a PDF to '%s' (exit %d)\n", chromium, pdf,
			WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		if (f)
			fclose(f);
		goto done;
	}
	fclose(f);
	rc = EXIT_OK;
done:
	/* the temporary page and Chromium's profile */
	rm_tree(dir);
	return rc;
}
