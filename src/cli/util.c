/*
 * Shared plumbing of the command line: option lookup, error reporting and
 * exit statuses, opening the store, tables, wrapped text and JSON output.
 */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <time.h>
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

/* AIMS_BUSY_TIMEOUT: how long to wait for a busy store (ms); else the library's limit */
static int busy_timeout(void)
{
	const char *v = getenv("AIMS_BUSY_TIMEOUT");
	char *end = NULL;
	long ms = v && *v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && ms > 0 && ms <= 3600000 ? (int)ms : 0;
}

int cli_open_store_readonly(aims_store **out, const cli_ctx *ctx)
{
	aims_store_options opts = AIMS_STORE_OPTIONS_INIT;
	opts.readonly = 1;
	opts.busy_timeout_ms = busy_timeout();
	int err = aims_store_open(out, ctx->db, &opts);
	return err < 0 ? cli_fail(err) : 0;
}

int cli_open_store(aims_store **out, const cli_ctx *ctx, int create)
{
	aims_store_options opts = AIMS_STORE_OPTIONS_INIT;
	opts.create = create > 0;
	opts.busy_timeout_ms = busy_timeout();
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

int cli_read_file(char **data, size_t *len, const char *path, size_t max)
{
	int err = aims_file_read(data, len, path, max);
	return err < 0 ? cli_fail(err) : EXIT_OK;
}

int cli_write_file(const char *path, const char *data, size_t len)
{
	/* a new file beside the target, never through a symbolic link, then renamed */
	int err = aims_file_write(path, data, len);
	return err < 0 ? cli_fail(err) : EXIT_OK;
}

void cli_time_format(char out[32], int64_t epoch)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)epoch);
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

/* ---- output: control characters from data are shown, never obeyed ---- */

/*
 * Standard output and standard error are replaced by streams that write
 * through this filter, so that no text from the store or an input file (an
 * object id, a document body, a message quoting a file) can send a terminal
 * escape sequence: C0 control characters other than newline, tab and
 * carriage return (CSV line ends, progress bars), DEL and
 * the C1 controls U+0080-U+009F become visible \xNN or \uNNNN text. JSON
 * output has them escaped already; nothing aims writes on purpose is a
 * control character.
 */
typedef struct {
	int fd;
	int allow_cr;
	int lead;  /* a 0xC2 byte held back from the previous write */
} out_filter;

static int write_fd(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
	out_filter *f = cookie;
	char out[4096 + 16];
	size_t o = 0;
	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (o > 4096) {
			if (write_fd(f->fd, out, o) < 0)
				return -1;
			o = 0;
		}
		if (f->lead) {
			f->lead = 0;
			if (c >= 0x80 && c <= 0x9f) {
				o += (size_t)snprintf(out + o, 16, "\\u%04x", c);
				continue;
			}
			out[o++] = (char)0xc2;
		}
		if (c == 0xc2) {
			f->lead = 1;
			continue;
		}
		if ((c < 0x20 && c != '\n' && c != '\t' && !(c == '\r' && f->allow_cr)) || c == 0x7f)
			o += (size_t)snprintf(out + o, 16, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	if (o && write_fd(f->fd, out, o) < 0)
		return -1;
	return (ssize_t)size;
}

static int filter_close(void *cookie)
{
	out_filter *f = cookie;
	int rc = 0;
	if (f->lead)
		rc = write_fd(f->fd, "\xc2", 1);
	return rc;
}

static out_filter out_f = { STDOUT_FILENO, 1, 0 }, err_f = { STDERR_FILENO, 1, 0 };

void cli_output_init(void)
{
	cookie_io_functions_t io = { NULL, filter_write, NULL, filter_close };
	FILE *o = fopencookie(&out_f, "w", io), *e = fopencookie(&err_f, "w", io);
	if (o) {
		setvbuf(o, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 0);
		stdout = o;
	}
	if (e) {
		setvbuf(e, NULL, _IONBF, 0);
		stderr = e;
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
	char chromium[PATH_MAX], dir[PATH_MAX - 64], page[PATH_MAX + 16], profile[PATH_MAX + 16];
	char abs_pdf[PATH_MAX + 8], arg_pdf[PATH_MAX + 32], url[PATH_MAX + 32];
	int rc = EXIT_FAILURE_;
	if (find_chromium(chromium, sizeof(chromium)) < 0) {
		fprintf(stderr, "error: --pdf needs headless Chromium: %s\n",
			getenv("AIMS_CHROMIUM") ? "$AIMS_CHROMIUM is not an executable" :
						  "no chromium on PATH (install it, or set AIMS_CHROMIUM)");
		return EXIT_FAILURE_;
	}
	/* the page and Chromium's profile go to a private folder under $TMPDIR (or /tmp) */
	const char *tmp = getenv("TMPDIR");
	if (snprintf(dir, sizeof(dir), "%s/aims-pdf-XXXXXX", tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(dir) ||
	    !mkdtemp(dir)) {
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
