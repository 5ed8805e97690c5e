/*
 * RFC 4180 CSV reader. A small state machine over a read buffer: fields are
 * collected into one record buffer (aims_buf with a limit) and split by
 * offsets, so a record costs no allocation once the buffers have grown.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "aims/csv.h"
#include "core.h"

#define READ_CHUNK 65536

struct aims_csv {
	char *name;
	int fd;               /* -1 for memory input */
	int own_fd;
	const char *mem;      /* memory input */
	size_t mem_len, mem_pos;
	char *rbuf;           /* read buffer for fd input */
	size_t rlen, rpos;
	int eof;
	int started;          /* BOM check done */
	size_t line;          /* current line (1-based) */
	size_t rec_line;      /* line the last record started on */
	aims_buf rec;         /* field bytes, each followed by NUL */
	size_t *offs, *lens;  /* per field */
	char **ptrs;
	size_t nfields, cap;
};

static int csv_new(aims_csv **out, const char *name)
{
	aims_csv *c = aims__calloc(1, sizeof(*c));
	if (!c || !(c->name = aims__strdup(name))) {
		aims__free(c);
		return aims__oom();
	}
	c->fd = -1;
	c->line = 1;
	aims_buf_init(&c->rec, AIMS_CSV_MAX_RECORD);
	*out = c;
	return 0;
}

int aims_csv_open(aims_csv **out, const char *path)
{
	int err;
	*out = NULL;
	if ((err = csv_new(out, strcmp(path, "-") == 0 ? "(stdin)" : path)) < 0)
		return err;
	aims_csv *c = *out;
	if (strcmp(path, "-") == 0) {
		c->fd = STDIN_FILENO;
	} else {
		if ((err = aims_file_open_input(&c->fd, path)) < 0) {
			aims_csv_free(c);
			*out = NULL;
			return err;
		}
		c->own_fd = 1;
	}
	if (!(c->rbuf = aims__malloc(READ_CHUNK))) {
		aims_csv_free(c);
		*out = NULL;
		return aims__oom();
	}
	return 0;
}

int aims_csv_open_mem(aims_csv **out, const char *data, size_t len, const char *name)
{
	int err;
	*out = NULL;
	if ((err = csv_new(out, name ? name : "(csv)")) < 0)
		return err;
	(*out)->mem = data;
	(*out)->mem_len = len;
	return 0;
}

void aims_csv_free(aims_csv *c)
{
	if (!c)
		return;
	if (c->own_fd)
		close(c->fd);
	aims__free(c->name);
	aims__free(c->rbuf);
	aims_buf_release(&c->rec);
	aims__free(c->offs);
	aims__free(c->lens);
	aims__free(c->ptrs);
	aims__free(c);
}

size_t aims_csv_line(const aims_csv *c)
{
	return c->rec_line;
}

const char *aims_csv_name(const aims_csv *c)
{
	return c->name;
}

/* next byte, or -1 at end of input, or -2 on a read error */
static int get(aims_csv *c)
{
	if (c->mem) {
		if (c->mem_pos >= c->mem_len)
			return -1;
		return (unsigned char)c->mem[c->mem_pos++];
	}
	if (c->fd < 0 && !c->mem)
		return -1; /* empty memory input */
	if (c->rpos >= c->rlen) {
		if (c->eof)
			return -1;
		ssize_t n;
		do
			n = read(c->fd, c->rbuf, READ_CHUNK);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			(void)aims__err(AIMS_ERROR, "cannot read '%s': %s", c->name, strerror(errno));
			return -2;
		}
		if (n == 0) {
			c->eof = 1;
			return -1;
		}
		c->rlen = (size_t)n;
		c->rpos = 0;
	}
	return (unsigned char)c->rbuf[c->rpos++];
}

static void unget(aims_csv *c)
{
	if (c->mem)
		c->mem_pos--;
	else
		c->rpos--;
}

/* make room for one more field and mark where it starts */
static int begin_field(aims_csv *c)
{
	if (c->nfields == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		size_t *no = aims__realloc(c->offs, ncap * sizeof(*no));
		if (!no)
			return aims__oom();
		c->offs = no;
		size_t *nl = aims__realloc(c->lens, ncap * sizeof(*nl));
		if (!nl)
			return aims__oom();
		c->lens = nl;
		char **np = aims__realloc(c->ptrs, ncap * sizeof(*np));
		if (!np)
			return aims__oom();
		c->ptrs = np;
		c->cap = ncap;
	}
	c->offs[c->nfields] = c->rec.len;
	return 0;
}

static int end_field(aims_csv *c)
{
	int err;
	c->lens[c->nfields] = c->rec.len - c->offs[c->nfields];
	if ((err = aims_buf_putc(&c->rec, '\0')) < 0)
		return err;
	c->nfields++;
	return 0;
}

static int put_failed(aims_csv *c, int err)
{
	if (err == AIMS_ENOMEM)
		return err;
	return aims__err(AIMS_EINVALID, "'%s' line %zu: record longer than %zu bytes", c->name,
			 c->rec_line, (size_t)AIMS_CSV_MAX_RECORD);
}

int aims_csv_next(aims_csv *c, char ***fields, size_t **lens, size_t *count)
{
	int ch, err;

	*fields = NULL;
	*lens = NULL;
	*count = 0;
	if (!c->started) {
		c->started = 1;
		/* a UTF-8 byte-order mark is not data */
		int a = get(c);
		if (a == 0xEF) {
			int b = get(c), d = get(c);
			if (!(b == 0xBB && d == 0xBF)) {
				/* not a BOM: only possible with memory input, rewind */
				if (c->mem)
					c->mem_pos = 0;
				else
					return aims__err(AIMS_EINVALID, "'%s' line 1: invalid UTF-8 at the start",
							 c->name);
			}
		} else if (a >= 0) {
			unget(c);
		} else if (a == -2) {
			return AIMS_ERROR;
		}
	}
	for (;;) {
		aims_buf_clear(&c->rec);
		c->nfields = 0;
		ch = get(c);
		if (ch == -1)
			return 0;
		if (ch == -2)
			return AIMS_ERROR;
		/* skip blank lines */
		if (ch == '\n') {
			c->line++;
			continue;
		}
		if (ch == '\r') {
			int n = get(c);
			if (n == '\n') {
				c->line++;
				continue;
			}
			if (n >= 0)
				unget(c);
		}
		unget(c);
		break;
	}
	c->rec_line = c->line;
	for (;;) {
		/* start of a field */
		if ((err = begin_field(c)) < 0)
			return err;
		ch = get(c);
		if (ch == -2)
			return AIMS_ERROR;
		if (ch == '"') {
			size_t qline = c->line;
			for (;;) {
				ch = get(c);
				if (ch == -2)
					return AIMS_ERROR;
				if (ch == -1)
					return aims__err(AIMS_EINVALID, "'%s' line %zu: quoted field never closed",
							 c->name, qline);
				if (ch == '"') {
					int n = get(c);
					if (n == '"') {
						if ((err = aims_buf_putc(&c->rec, '"')) < 0)
							return put_failed(c, err);
						continue;
					}
					if (n >= 0)
						unget(c);
					break;
				}
				if (ch == '\n')
					c->line++;
				if ((err = aims_buf_putc(&c->rec, (char)ch)) < 0)
					return put_failed(c, err);
			}
			ch = get(c);
			if (ch == -2)
				return AIMS_ERROR;
			if (ch == '\r') {
				int n = get(c);
				if (n != '\n' && n != -1)
					return aims__err(AIMS_EINVALID, "'%s' line %zu: bare carriage return after a quoted field",
							 c->name, c->line);
				ch = n == -1 ? -1 : '\n';
			}
			if (ch != ',' && ch != '\n' && ch != -1)
				return aims__err(AIMS_EINVALID,
						 "'%s' line %zu: field %zu: text after the closing quote", c->name,
						 c->line, c->nfields + 1);
		} else {
			while (ch != ',' && ch != '\n' && ch != -1) {
				if (ch == -2)
					return AIMS_ERROR;
				if (ch == '\r') {
					int n = get(c);
					if (n == '\n' || n == -1) {
						ch = n == -1 ? -1 : '\n';
						break;
					}
					if (n >= 0)
						unget(c);
				} else if (ch == '"') {
					return aims__err(AIMS_EINVALID,
							 "'%s' line %zu: field %zu: quote inside an unquoted field",
							 c->name, c->line, c->nfields + 1);
				}
				if ((err = aims_buf_putc(&c->rec, (char)ch)) < 0)
					return put_failed(c, err);
				ch = get(c);
			}
		}
		if ((err = end_field(c)) < 0)
			return err;
		if (ch == ',')
			continue;
		if (ch == '\n')
			c->line++;
		break;
	}
	for (size_t i = 0; i < c->nfields; i++)
		c->ptrs[i] = c->rec.ptr + c->offs[i];
	*fields = c->ptrs;
	*lens = c->lens;
	*count = c->nfields;
	return 1;
}
