/*
 * The evaluation reader (include/aims/rows.h): CSV and NDJSON, plain or
 * gzip, streamed through one buffer of decoded bytes.
 *
 * Why not src/lib/core/csv.c: that reader copies every field into a record
 * buffer and walks the input one byte at a time through a state machine;
 * the evaluation benchmark reads 10 million rows, where those copies were
 * the largest cost. Here fields are split in place: a record's end is found
 * first (memchr for the newline, memchr for a quote; a quote-aware scan
 * only for records that contain one), then its fields are NUL-terminated
 * (and unquoted) inside the buffer, so a row costs no copy and no
 * allocation. The input bytes are hashed as they are read (SHA-256 runs
 * on the CPU's SHA extensions where present), before any decompression.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "aims/decision.h"
#include "aims/rows.h"
#include "core/core.h"
#include "pass_internal.h"

#define CHUNK ((size_t)1 << 20)          /* bytes read per read() */
#define JSON_MAX_DEPTH 32
#define NO_FIELD SIZE_MAX

struct aims_rows {
	char *name;
	int fd, own_fd;
	FILE *fp;                        /* stream input (not owned) */
	const char *mem;                 /* memory input */
	size_t mem_len, mem_pos;
	char *mem_owned;                 /* decision-log selection */
	uint64_t *line_map;              /* decision log: record index of each NDJSON line */
	size_t nline_map;
	int map_borrowed;                /* a block of a larger input: line_map belongs to the caller */
	int no_digest;                   /* a block of a larger input: its whole input is hashed elsewhere */
	uint64_t line_base;              /* line of the first byte (0: 1) */
	int raw_eof;                     /* no more raw bytes */
	int gz, zinit;
	z_stream zs;
	unsigned char *zin;              /* compressed bytes waiting for inflate */
	aims__sha256 *sha;
	unsigned char digest[32];
	int digest_done;

	char *buf;                       /* decoded bytes; [pos, len) not yet parsed */
	size_t cap, len, pos;
	int eof;                         /* every decoded byte is in buf */
	int ndjson;
	int failed;                      /* an error was returned: no more rows */

	uint64_t line;                   /* line of the next unparsed byte (1-based) */
	uint64_t rec_line;
	uint64_t nread, nskipped;
	int cur_skipped;
	int pending;                     /* NDJSON: the first object is parsed, not yet returned */

	char **cols;
	size_t ncols, colcap;
	uint64_t *missing;
	const char **fields;
	size_t *lens;

	/* CSV: field bounds of the current record */
	size_t *fb, *fe;
	unsigned char *fq;
	size_t fcap;

	/* NDJSON: key -> column hash (index + 1, 0 empty), values of the row */
	size_t *htab;
	size_t hcap;
	char *scratch;
	size_t slen, scap;
	size_t *soff;                    /* per column: offset in scratch or NO_FIELD */
	char path[1024];
};

/* ---- raw input, decompression, digest ---- */

static int raw_read(aims_rows *r, unsigned char *dst, size_t n, size_t *got)
{
	*got = 0;
	if (r->raw_eof)
		return 0;
	if (r->mem) {
		size_t k = r->mem_len - r->mem_pos;
		if (k > n)
			k = n;
		memcpy(dst, r->mem + r->mem_pos, k);
		r->mem_pos += k;
		*got = k;
		if (k > 0 && r->mem_pos == r->mem_len) {
			r->raw_eof = 1;   /* known now: saves a read (and a buffer growth) */
			if (r->sha && aims__sha256_update(r->sha, dst, k) < 0)
				return aims__err(AIMS_ERROR, "'%s': sha256 failed", r->name);
			return 0;
		}
	} else if (r->fp) {
		/* fread of a whole chunk reads into dst directly: no copy through the stream's buffer */
		*got = fread(dst, 1, n, r->fp);
		if (*got < n && ferror(r->fp))
			return aims__err(AIMS_ERROR, "'%s': read: %s", r->name, strerror(errno ? errno : EIO));
	} else {
		ssize_t k;
		do
			k = read(r->fd, dst, n);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return aims__err(AIMS_ERROR, "'%s': read: %s", r->name, strerror(errno));
		*got = (size_t)k;
	}
	if (*got == 0) {
		r->raw_eof = 1;
		return 0;
	}
	if (r->sha && aims__sha256_update(r->sha, dst, *got) < 0)
		return aims__err(AIMS_ERROR, "'%s': sha256 failed", r->name);
	return 0;
}

/* Append up to `room` decoded bytes at buf + len; *got = 0 means end of input. */
static int decode_more(aims_rows *r, size_t room, size_t *got)
{
	int err;
	*got = 0;
	if (!r->gz) {
		if ((err = raw_read(r, (unsigned char *)r->buf + r->len, room, got)) < 0)
			return err;
		r->len += *got;
		return 0;
	}
	while (*got == 0) {
		if (r->zs.avail_in == 0 && !r->raw_eof) {
			size_t k;
			if ((err = raw_read(r, r->zin, CHUNK, &k)) < 0)
				return err;
			r->zs.next_in = r->zin;
			r->zs.avail_in = (uInt)k;
		}
		if (r->zs.avail_in == 0 && r->raw_eof) {
			if (r->zinit == 2)       /* stopped inside a gzip member */
				return aims__err(AIMS_EINVALID, "'%s': truncated gzip data", r->name);
			return 0;
		}
		if (r->zinit == 1) {         /* a finished member followed by more bytes */
			if (inflateReset(&r->zs) != Z_OK)
				return aims__err(AIMS_ERROR, "'%s': zlib reset failed", r->name);
		}
		r->zinit = 2;
		r->zs.next_out = (unsigned char *)r->buf + r->len;
		r->zs.avail_out = (uInt)room;
		int zr = inflate(&r->zs, Z_NO_FLUSH);
		*got = room - r->zs.avail_out;
		r->len += *got;
		if (zr == Z_STREAM_END)
			r->zinit = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return aims__err(AIMS_EINVALID, "'%s': corrupt gzip data (%s)", r->name,
					 r->zs.msg ? r->zs.msg : "inflate failed");
	}
	return 0;
}

/*
 * Make more decoded bytes available after buf + len, keeping [pos, len):
 * the unparsed tail moves to the front, the buffer grows when the record
 * in progress fills it (up to the record limit). *more = 0 at the end.
 */
static int fill(aims_rows *r, int *more)
{
	int err;
	size_t got;
	*more = 0;
	if (r->eof)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	/* a small buffer (memory input) grows when full, a large one when less than half a chunk is free */
	if (r->cap - r->len - 1 < (r->cap > CHUNK ? CHUNK / 2 : 1)) {
		if (r->len >= AIMS_ROWS_MAX_RECORD)
			return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": record longer than %zu bytes",
					 r->name, r->line, AIMS_ROWS_MAX_RECORD);
		size_t ncap = r->cap * 2;
		char *nb = aims__realloc(r->buf, ncap);
		if (!nb)
			return aims__oom();
		r->buf = nb;
		r->cap = ncap;
	}
	if ((err = decode_more(r, r->cap - r->len - 1, &got)) < 0)
		return err;
	if (got == 0)
		r->eof = 1;
	*more = got > 0;
	return 0;
}

/* ---- columns ---- */

static uint64_t hash_key(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int find_col(const aims_rows *r, const char *s, size_t n)
{
	if (!r->htab)
		return -1;
	for (size_t h = hash_key(s, n) & (r->hcap - 1);; h = (h + 1) & (r->hcap - 1)) {
		size_t v = r->htab[h];
		if (v == 0)
			return -1;
		if (strlen(r->cols[v - 1]) == n && memcmp(r->cols[v - 1], s, n) == 0)
			return (int)(v - 1);
	}
}

static int rehash(aims_rows *r, size_t ncap)
{
	size_t *t = aims__calloc(ncap, sizeof(*t));
	if (!t)
		return aims__oom();
	for (size_t i = 0; i < r->ncols; i++) {
		size_t h = hash_key(r->cols[i], strlen(r->cols[i])) & (ncap - 1);
		while (t[h])
			h = (h + 1) & (ncap - 1);
		t[h] = i + 1;
	}
	aims__free(r->htab);
	r->htab = t;
	r->hcap = ncap;
	return 0;
}

/* Add a column; `prior` rows read before it count as missing in it. */
static int add_col(aims_rows *r, const char *s, size_t n, uint64_t prior)
{
	int err;
	if (r->ncols >= AIMS_ROWS_MAX_COLS)
		return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": more than %d columns", r->name,
				 r->rec_line, AIMS_ROWS_MAX_COLS);
	if (find_col(r, s, n) >= 0)
		return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": duplicate column '%.*s'", r->name,
				 r->rec_line, (int)(n > 200 ? 200 : n), s);
	if (r->ncols + 1 > r->colcap) {
		size_t cap = r->colcap ? r->colcap * 2 : 16;
		char **c = aims__realloc(r->cols, cap * sizeof(*c));
		if (!c)
			return aims__oom();
		r->cols = c;
		uint64_t *m = aims__realloc(r->missing, cap * sizeof(*m));
		if (!m)
			return aims__oom();
		r->missing = m;
		const char **f = aims__realloc(r->fields, cap * sizeof(*f));
		if (!f)
			return aims__oom();
		r->fields = f;
		size_t *l = aims__realloc(r->lens, cap * sizeof(*l));
		if (!l)
			return aims__oom();
		r->lens = l;
		size_t *so = aims__realloc(r->soff, cap * sizeof(*so));
		if (!so)
			return aims__oom();
		r->soff = so;
		r->colcap = cap;
	}
	if (!(r->cols[r->ncols] = aims__strndup(s, n)))
		return aims__oom();
	r->missing[r->ncols] = prior;
	r->soff[r->ncols] = NO_FIELD;
	r->lens[r->ncols] = 0;
	r->fields[r->ncols] = NULL;
	r->ncols++;
	if (r->ncols * 2 > r->hcap) {
		if ((err = rehash(r, r->hcap ? r->hcap * 2 : 64)) < 0) {
			r->ncols--;
			aims__free(r->cols[r->ncols]);
			return err;
		}
	} else {
		size_t h = hash_key(s, n) & (r->hcap - 1);
		while (r->htab[h])
			h = (h + 1) & (r->hcap - 1);
		r->htab[h] = r->ncols;
	}
	return 0;
}

/* ---- CSV ---- */

static int grow_fields(aims_rows *r, size_t need)
{
	if (need <= r->fcap)
		return 0;
	size_t cap = r->fcap ? r->fcap : 16;
	while (cap < need)
		cap *= 2;
	size_t *b = aims__realloc(r->fb, cap * sizeof(*b));
	if (!b)
		return aims__oom();
	r->fb = b;
	size_t *e = aims__realloc(r->fe, cap * sizeof(*e));
	if (!e)
		return aims__oom();
	r->fe = e;
	unsigned char *q = aims__realloc(r->fq, cap);
	if (!q)
		return aims__oom();
	r->fq = q;
	r->fcap = cap;
	return 0;
}

/*
 * Find the bounds of the next CSV record from pos. 1 = found (*nf fields,
 * *endp the offset after its line end, *lines the newlines it spans),
 * 0 = the buffer ends first (read more), <0 error. At EOF the record ends
 * at the end of the input.
 */
static int csv_scan(aims_rows *r, size_t *nf, size_t *endp, uint64_t *lines)
{
	char *b = r->buf;
	size_t p = r->pos, end = r->len, n = 0;
	int err;
	*lines = 0;
	char *nl = memchr(b + p, '\n', end - p);
	size_t stop = nl ? (size_t)(nl - b) : end;
	if (!memchr(b + p, '"', stop - p)) {
		/* fast path: no quote before the line end */
		if (!nl && !r->eof)
			return 0;
		size_t le = stop;
		if (le > p && b[le - 1] == '\r')
			le--;
		size_t s = p;
		for (size_t i = p; i < le; i++) {
			if (b[i] == ',') {
				if (n + 1 >= r->fcap && (err = grow_fields(r, n + 2)) < 0)
					return err;
				r->fb[n] = s;
				r->fe[n] = i;
				r->fq[n] = 0;
				n++;
				s = i + 1;
			}
		}
		if (n + 1 > r->fcap && (err = grow_fields(r, n + 1)) < 0)
			return err;
		r->fb[n] = s;
		r->fe[n] = le;
		r->fq[n] = 0;
		*nf = n + 1;
		*endp = nl ? stop + 1 : end;
		*lines = nl ? 1 : 0;
		return 1;
	}
	/* general path: quoted fields may hold commas, quotes and newlines */
	size_t i = p;
	for (;;) {
		if (n + 1 > r->fcap && (err = grow_fields(r, n + 1)) < 0)
			return err;
		if (i < end && b[i] == '"') {
			size_t j = i + 1;
			for (;;) {
				char *q = memchr(b + j, '"', end - j);
				if (!q) {
					if (!r->eof)
						return 0;
					return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64
							 ": quoted field not closed before the end of the input",
							 r->name, r->line);
				}
				j = (size_t)(q - b) + 1;
				if (j == end && !r->eof)
					return 0;
				if (j < end && b[j] == '"') {
					j++;
					continue;
				}
				break;
			}
			r->fb[n] = i + 1;
			r->fe[n] = j - 1;
			r->fq[n] = 1;
			for (size_t k = i + 1; k < j - 1; k++)
				*lines += b[k] == '\n';
			i = j;
			size_t t = i;
			if (t < end && b[t] == '\r' && t + 1 < end && b[t + 1] == '\n')
				t++;
			else if (t < end && b[t] == '\r' && t + 1 == end && !r->eof)
				return 0;
			if (t < end && b[t] != ',' && b[t] != '\n')
				return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64
						 ": text after the closing quote of field %zu",
						 r->name, r->line + *lines, n + 1);
			n++;
			if (t >= end) {
				*nf = n;
				*endp = end;
				return 1;
			}
			if (b[t] == '\n') {
				*nf = n;
				*endp = t + 1;
				*lines += 1;
				return 1;
			}
			i = t + 1;  /* after the comma */
			continue;
		}
		/* unquoted field: up to a comma or the line end; a quote inside is kept */
		size_t s = i;
		while (i < end && b[i] != ',' && b[i] != '\n')
			i++;
		if (i == end && !r->eof)
			return 0;
		size_t fe = i;
		if (i == end || b[i] == '\n') {
			if (fe > s && b[fe - 1] == '\r')
				fe--;
		}
		r->fb[n] = s;
		r->fe[n] = fe;
		r->fq[n] = 0;
		n++;
		if (i == end) {
			*nf = n;
			*endp = end;
			return 1;
		}
		if (b[i] == '\n') {
			*nf = n;
			*endp = i + 1;
			*lines += 1;
			return 1;
		}
		i++;
	}
}

/* Read the next CSV record into fb/fe (blank lines skipped). 1, 0 at end, <0. */
static int csv_record(aims_rows *r, size_t *nf)
{
	int err, more;
	for (;;) {
		size_t endp;
		uint64_t lines;
		if (r->pos == r->len) {
			if (r->eof)
				return 0;
			if ((err = fill(r, &more)) < 0)
				return err;
			continue;
		}
		/* a blank line */
		if (r->buf[r->pos] == '\n' || (r->buf[r->pos] == '\r' && r->pos + 1 < r->len &&
					       r->buf[r->pos + 1] == '\n')) {
			r->pos += r->buf[r->pos] == '\n' ? 1 : 2;
			r->line++;
			continue;
		}
		if ((err = csv_scan(r, nf, &endp, &lines)) < 0)
			return err;
		if (err == 0) {
			if ((err = fill(r, &more)) < 0)
				return err;
			continue;
		}
		/* split in place */
		char *b = r->buf;
		for (size_t k = 0; k < *nf; k++) {
			size_t s = r->fb[k], e = r->fe[k];
			if (r->fq[k]) {
				size_t w = s;
				for (size_t x = s; x < e; x++) {
					b[w++] = b[x];
					if (b[x] == '"')
						x++;   /* "" -> " */
				}
				e = w;
				r->fe[k] = e;
			}
			b[e] = '\0';
		}
		r->rec_line = r->line;
		r->line += lines;
		r->pos = endp;
		return 1;
	}
}

static int csv_header(aims_rows *r)
{
	size_t nf;
	int err = csv_record(r, &nf);
	if (err < 0)
		return err;
	if (err == 0)
		return aims__err(AIMS_EINVALID, "'%s': empty input, no header row", r->name);
	for (size_t k = 0; k < nf; k++) {
		const char *s = r->buf + r->fb[k];
		size_t n = r->fe[k] - r->fb[k];
		if (k == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		if ((err = add_col(r, s, n, 0)) < 0)
			return err;
	}
	return 0;
}

/*
 * The common case first: a whole line in the buffer with no quote in it
 * is split and NUL-terminated in one loop straight into the row (no
 * field-bound arrays, no second pass). 1 = a row, 0 = not this case.
 */
static int csv_fast(aims_rows *r, size_t *nfp)
{
	char *b = r->buf + r->pos, *nl, *e, *s;
	size_t avail = r->len - r->pos, nf = 0;
	if (avail == 0 || !(nl = memchr(b, '\n', avail)) || nl == b || memchr(b, '"', (size_t)(nl - b)))
		return 0;
	e = nl[-1] == '\r' ? nl - 1 : nl;
	if (e == b)
		return 0;   /* a blank CRLF line */
	s = b;
	for (char *p = b;; p++) {
		if (p != e && *p != ',')
			continue;
		if (nf < r->ncols) {
			size_t n = (size_t)(p - s);
			r->lens[nf] = n;
			r->fields[nf] = n ? s : NULL;
		}
		nf++;
		*p = '\0';
		if (p == e)
			break;
		s = p + 1;
	}
	r->rec_line = r->line++;
	r->pos = (size_t)(nl - r->buf) + 1;
	*nfp = nf;
	return 1;
}

static int csv_next(aims_rows *r)
{
	size_t nf;
	if (csv_fast(r, &nf)) {
		if (nf != r->ncols)
			return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": %zu field%s, expected %zu (the header's "
					 "columns)", r->name, r->rec_line, nf, nf == 1 ? "" : "s", r->ncols);
		for (size_t k = 0; k < nf; k++)   /* counted once the row is known to be whole */
			r->missing[k] += r->fields[k] == NULL;
		return 1;
	}
	int rc = csv_record(r, &nf);
	if (rc <= 0)
		return rc;
	if (nf != r->ncols)
		return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": %zu field%s, expected %zu (the header's columns)",
				 r->name, r->rec_line, nf, nf == 1 ? "" : "s", r->ncols);
	for (size_t k = 0; k < nf; k++) {
		size_t n = r->fe[k] - r->fb[k];
		r->lens[k] = n;
		if (n == 0) {
			r->fields[k] = NULL;
			r->missing[k]++;
		} else {
			r->fields[k] = r->buf + r->fb[k];
		}
	}
	return 1;
}

/* ---- NDJSON ---- */

typedef struct {
	aims_rows *r;
	const char *s, *e;   /* the line */
	const char *p;
	uint64_t prior;      /* rows before this one (missing count of a new column) */
} jctx;

static int jerr(jctx *j, const char *what)
{
	return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": column %zu: %s", j->r->name,
			 j->r->rec_line, (size_t)(j->p - j->s) + 1, what);
}

static void jws(jctx *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static int scratch_put(aims_rows *r, const char *s, size_t n)
{
	if (r->slen + n + 1 > r->scap) {
		size_t cap = r->scap ? r->scap : 256;
		while (cap < r->slen + n + 1)
			cap *= 2;
		char *nb = aims__realloc(r->scratch, cap);
		if (!nb)
			return aims__oom();
		r->scratch = nb;
		r->scap = cap;
	}
	memcpy(r->scratch + r->slen, s, n);
	r->slen += n;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex4(jctx *j, unsigned *u)
{
	if (j->e - j->p < 4)
		return jerr(j, "bad \\u escape");
	*u = 0;
	for (int k = 0; k < 4; k++) {
		int v = hexval(j->p[k]);
		if (v < 0)
			return jerr(j, "bad \\u escape");
		*u = *u * 16 + (unsigned)v;
	}
	j->p += 4;
	return 0;
}

/* A JSON string at p (on its quote): decoded into scratch when `out`, else only checked. */
static int jstring(jctx *j, int out)
{
	int err;
	j->p++;
	for (;;) {
		const char *s = j->p;
		while (j->p < j->e && *j->p != '"' && *j->p != '\\' && (unsigned char)*j->p >= 0x20)
			j->p++;
		if (out && j->p > s && (err = scratch_put(j->r, s, (size_t)(j->p - s))) < 0)
			return err;
		if (j->p >= j->e)
			return jerr(j, "unterminated string");
		if (*j->p == '"') {
			j->p++;
			return 0;
		}
		if ((unsigned char)*j->p < 0x20)
			return jerr(j, "control character in a string");
		j->p++;  /* backslash */
		if (j->p >= j->e)
			return jerr(j, "unterminated string");
		char c = *j->p++, o;
		switch (c) {
		case '"': o = '"'; break;
		case '\\': o = '\\'; break;
		case '/': o = '/'; break;
		case 'b': o = '\b'; break;
		case 'f': o = '\f'; break;
		case 'n': o = '\n'; break;
		case 'r': o = '\r'; break;
		case 't': o = '\t'; break;
		case 'u': {
			unsigned u, lo;
			char utf[4];
			size_t n;
			if ((err = hex4(j, &u)) < 0)
				return err;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (j->e - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
					return jerr(j, "unpaired surrogate in a \\u escape");
				j->p += 2;
				if ((err = hex4(j, &lo)) < 0)
					return err;
				if (lo < 0xDC00 || lo > 0xDFFF)
					return jerr(j, "unpaired surrogate in a \\u escape");
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				return jerr(j, "unpaired surrogate in a \\u escape");
			}
			if (u == 0)
				return jerr(j, "\\u0000 in a string");
			if (u < 0x80) {
				utf[0] = (char)u;
				n = 1;
			} else if (u < 0x800) {
				utf[0] = (char)(0xC0 | (u >> 6));
				utf[1] = (char)(0x80 | (u & 0x3F));
				n = 2;
			} else if (u < 0x10000) {
				utf[0] = (char)(0xE0 | (u >> 12));
				utf[1] = (char)(0x80 | ((u >> 6) & 0x3F));
				utf[2] = (char)(0x80 | (u & 0x3F));
				n = 3;
			} else {
				utf[0] = (char)(0xF0 | (u >> 18));
				utf[1] = (char)(0x80 | ((u >> 12) & 0x3F));
				utf[2] = (char)(0x80 | ((u >> 6) & 0x3F));
				utf[3] = (char)(0x80 | (u & 0x3F));
				n = 4;
			}
			if (out && (err = scratch_put(j->r, utf, n)) < 0)
				return err;
			continue;
		}
		default:
			j->p--;
			return jerr(j, "bad escape in a string");
		}
		if (out && (err = scratch_put(j->r, &o, 1)) < 0)
			return err;
	}
}

static int jnumber(jctx *j)
{
	const char *s = j->p;
	if (j->p < j->e && *j->p == '-')
		j->p++;
	if (j->p < j->e && *j->p == '0') {
		j->p++;
	} else if (j->p < j->e && *j->p >= '1' && *j->p <= '9') {
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	} else {
		j->p = s;
		return jerr(j, "expected a value");
	}
	if (j->p < j->e && *j->p == '.') {
		j->p++;
		if (j->p >= j->e || *j->p < '0' || *j->p > '9')
			return jerr(j, "bad number");
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->e || *j->p < '0' || *j->p > '9')
			return jerr(j, "bad number");
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return 0;
}

static int jvalue(jctx *j, int depth, size_t plen, int out);

/* An object at p; keys are appended to the path (plen bytes so far). */
static int jobject(jctx *j, int depth, size_t plen, int out)
{
	int err;
	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		jws(j);
		if (j->p >= j->e || *j->p != '"')
			return jerr(j, "expected a string key");
		size_t klen = plen;
		if (out) {
			/* decode the key into scratch, then move it into the path */
			size_t mark = j->r->slen;
			if ((err = jstring(j, 1)) < 0)
				return err;
			size_t n = j->r->slen - mark;
			if (plen + (plen ? 1 : 0) + n >= sizeof(j->r->path))
				return jerr(j, "key path longer than 1023 bytes");
			if (plen)
				j->r->path[klen++] = '.';
			if (n > 0)  /* an empty key leaves scratch unallocated */
				memcpy(j->r->path + klen, j->r->scratch + mark, n);
			klen += n;
			j->r->slen = mark;
		} else if ((err = jstring(j, 0)) < 0) {
			return err;
		}
		jws(j);
		if (j->p >= j->e || *j->p != ':')
			return jerr(j, "expected ':'");
		j->p++;
		jws(j);
		if ((err = jvalue(j, depth + 1, klen, out)) < 0)
			return err;
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == '}') {
			j->p++;
			return 0;
		}
		return jerr(j, "expected ',' or '}'");
	}
}

static int jarray(jctx *j, int depth)
{
	int err;
	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		jws(j);
		if ((err = jvalue(j, depth + 1, 0, 0)) < 0)
			return err;
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == ']') {
			j->p++;
			return 0;
		}
		return jerr(j, "expected ',' or ']'");
	}
}

/* Record the value that starts at scratch offset `mark` (or none) for column path[0..plen). */
static int jleaf(jctx *j, size_t plen, size_t mark, int missing)
{
	aims_rows *r = j->r;
	int err, c = find_col(r, r->path, plen);
	if (c < 0) {
		if ((err = add_col(r, r->path, plen, j->prior)) < 0)
			return err;
		c = (int)r->ncols - 1;
	}
	if (r->soff[c] != NO_FIELD || r->lens[c] == 1) {
		j->p = j->s;
		return aims__err(AIMS_EINVALID, "'%s' line %" PRIu64 ": duplicate key '%s'", r->name,
				 r->rec_line, r->cols[c]);
	}
	if (missing || r->slen == mark) {
		r->slen = mark;
		r->lens[c] = 1;  /* seen, missing: marked with length 1 until the row is finished */
		return 0;
	}
	r->soff[c] = mark;
	r->lens[c] = r->slen - mark;
	return scratch_put(r, "", 1);  /* the NUL after the value */
}

static int jvalue(jctx *j, int depth, size_t plen, int out)
{
	int err;
	if (depth > JSON_MAX_DEPTH)
		return jerr(j, "nested deeper than 32 levels");
	if (j->p >= j->e)
		return jerr(j, "expected a value");
	char c = *j->p;
	if (c == '{')
		return jobject(j, depth, plen, out);
	size_t mark = out ? j->r->slen : 0;
	const char *s = j->p;
	int missing = 0;
	if (c == '"') {
		if ((err = jstring(j, out)) < 0)
			return err;
	} else {
		if (c == '[') {
			err = jarray(j, depth);
		} else if (c == 't' && j->e - j->p >= 4 && memcmp(j->p, "true", 4) == 0) {
			j->p += 4;
			err = 0;
		} else if (c == 'f' && j->e - j->p >= 5 && memcmp(j->p, "false", 5) == 0) {
			j->p += 5;
			err = 0;
		} else if (c == 'n' && j->e - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
			j->p += 4;
			missing = 1;
			err = 0;
		} else {
			err = jnumber(j);
		}
		if (err < 0)
			return err;
		if (out && !missing && (err = scratch_put(j->r, s, (size_t)(j->p - s))) < 0)
			return err;
	}
	if (!out)
		return 0;
	return jleaf(j, plen, mark, missing);
}

/* Parse one NDJSON line [s, e) into fields. */
static int ndjson_parse(aims_rows *r, const char *s, const char *e)
{
	jctx j = { r, s, e, s, r->nread };
	int err;
	r->slen = 0;
	for (size_t k = 0; k < r->ncols; k++) {
		r->soff[k] = NO_FIELD;
		r->lens[k] = 0;
	}
	jws(&j);
	if (j.p >= j.e || *j.p != '{')
		return jerr(&j, "expected a JSON object");
	if ((err = jobject(&j, 1, 0, 1)) < 0)
		return err;
	jws(&j);
	if (j.p != j.e)
		return jerr(&j, "text after the object");
	for (size_t k = 0; k < r->ncols; k++) {
		if (r->soff[k] == NO_FIELD) {
			r->fields[k] = NULL;
			r->lens[k] = 0;
			r->missing[k]++;
		} else {
			r->fields[k] = r->scratch + r->soff[k];
		}
	}
	return 0;
}

static int ndjson_next(aims_rows *r)
{
	int err, more;
	for (;;) {
		char *b = r->buf + r->pos;
		char *nl = memchr(b, '\n', r->len - r->pos);
		if (!nl && !r->eof) {
			if ((err = fill(r, &more)) < 0)
				return err;
			continue;
		}
		if (!nl && r->pos == r->len)
			return 0;
		const char *s = b, *e = nl ? nl : r->buf + r->len;
		r->rec_line = r->line;
		r->line++;
		r->pos = nl ? (size_t)(nl - r->buf) + 1 : r->len;
		const char *t = s;
		while (t < e && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t == e)
			continue;   /* blank line */
		if (r->line_map && r->rec_line - 1 < r->nline_map)
			r->rec_line = r->line_map[r->rec_line - 1] + 1;
		if (r->rec_line == 1 && e - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3;
		if ((err = ndjson_parse(r, s, e)) < 0)
			return err;
		return 1;
	}
}

/* ---- open, next, free ---- */

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int name_ndjson(const char *name)
{
	return has_suffix(name, ".ndjson") || has_suffix(name, ".jsonl") ||
	       has_suffix(name, ".ndjson.gz") || has_suffix(name, ".jsonl.gz");
}

static int rows_start(aims_rows *r, int ndjson)
{
	int err, more;
	size_t got;
	if (!r->no_digest && (err = aims__sha256_new(&r->sha)) < 0)
		return err;
	/* memory input: a buffer of its size (fuzzing opens many small inputs) */
	size_t first = r->mem && r->mem_len < CHUNK ? (r->mem_len < 64 ? 64 : r->mem_len) : CHUNK;
	r->line = r->line_base ? r->line_base : 1;
	if (!(r->buf = aims__malloc(first + 1)))
		return aims__oom();
	r->cap = first + 1;
	/* the first raw bytes decide between plain and gzip */
	if ((err = raw_read(r, (unsigned char *)r->buf, first, &got)) < 0)
		return err;
	while (got < 2 && !r->raw_eof) {
		size_t k;
		if ((err = raw_read(r, (unsigned char *)r->buf + got, first - got, &k)) < 0)
			return err;
		got += k;
	}
	if (got >= 2 && (unsigned char)r->buf[0] == 0x1f && (unsigned char)r->buf[1] == 0x8b) {
		if (!(r->zin = aims__malloc(CHUNK)))
			return aims__oom();
		memcpy(r->zin, r->buf, got);
		if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
			return aims__err(AIMS_ERROR, "'%s': zlib initialisation failed", r->name);
		r->gz = 1;
		r->zinit = 2;
		r->zs.next_in = r->zin;
		r->zs.avail_in = (uInt)got;
		r->len = 0;
		if ((err = fill(r, &more)) < 0)
			return err;
	} else {
		r->len = got;
		if (r->raw_eof)
			r->eof = 1;
	}
	if (!ndjson) {
		size_t i = 0;
		while (i < r->len && i < 4096 && (r->buf[i] == ' ' || r->buf[i] == '\t' || r->buf[i] == '\r' ||
						  r->buf[i] == '\n'))
			i++;
		if (i + 3 <= r->len && memcmp(r->buf + i, "\xEF\xBB\xBF", 3) == 0)
			i += 3;
		ndjson = i < r->len && r->buf[i] == '{';
	}
	r->ndjson = ndjson;
	if (!ndjson)
		return csv_header(r);
	if ((err = ndjson_next(r)) < 0)
		return err;
	if (err == 0)
		return aims__err(AIMS_EINVALID, "'%s': empty input, no JSON object", r->name);
	r->pending = 1;
	return 0;
}

static int rows_new(aims_rows **out, const char *name)
{
	aims_rows *r = aims__calloc(1, sizeof(*r));
	if (!r || !(r->name = aims__strdup(name))) {
		aims__free(r);
		return aims__oom();
	}
	r->fd = -1;
	*out = r;
	return 0;
}

int aims_rows_open(aims_rows **out, const char *path)
{
	aims_rows *r = NULL;
	int err;
	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	int is_stdin = strcmp(path, "-") == 0;
	if ((err = rows_new(&r, is_stdin ? "(stdin)" : path)) < 0)
		return err;
	if (is_stdin) {
		r->fd = STDIN_FILENO;
	} else {
		if ((err = aims_file_open_input(&r->fd, path)) < 0)
			goto fail;
		r->own_fd = 1;
	}
	if ((err = rows_start(r, name_ndjson(path))) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	aims_rows_free(r);
	return err;
}

int aims_rows_open_stream(aims_rows **out, FILE *f, const char *name)
{
	aims_rows *r = NULL;
	int err;
	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	if (!f || !name)
		return aims__err(AIMS_EUSAGE, "aims_rows_open_stream: no stream or no name");
	if ((err = rows_new(&r, strcmp(name, "-") == 0 ? "(stdin)" : name)) < 0)
		return err;
	r->fp = f;
	clearerr(f);
	errno = 0;
	if ((err = rows_start(r, name_ndjson(name))) < 0) {
		aims_rows_free(r);
		return err;
	}
	*out = r;
	return 0;
}

int aims_rows_open_mem(aims_rows **out, const char *data, size_t len, const char *name, int ndjson)
{
	aims_rows *r = NULL;
	int err;
	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	if ((err = rows_new(&r, name)) < 0)
		return err;
	r->mem = data ? data : "";
	r->mem_len = data ? len : 0;
	if ((err = rows_start(r, ndjson || name_ndjson(name))) < 0) {
		aims_rows_free(r);
		return err;
	}
	*out = r;
	return 0;
}

/* ---- decision logs ---- */

typedef struct {
	aims_buf out;
	uint64_t *map;
	size_t nmap, mapcap;
	int64_t since, until;
	int has_since, has_until;
	uint64_t pruned;
	const char *system;
} dsel;

/* The `time` member of a canonical record (keys sorted, no whitespace). */
static int record_time(int64_t *t, const char *d, size_t n)
{
	static const char key[] = "\"time\":\"";
	const char *p = d, *e = d + n;
	while (p < e) {
		const char *q = memchr(p, '"', (size_t)(e - p));
		if (!q || (size_t)(e - q) < sizeof(key) - 1)
			return -1;
		if (memcmp(q, key, sizeof(key) - 1) == 0 && q > d && (q[-1] == '{' || q[-1] == ',')) {
			const char *v = q + sizeof(key) - 1, *ve = memchr(v, '"', (size_t)(e - v));
			if (!ve)
				return -1;
			return aims__rfc3339(t, NULL, v, (size_t)(ve - v), 0);
		}
		p = q + 1;
	}
	return -1;
}

static int select_record(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	dsel *s = arg;
	int64_t t;
	int err;
	(void)leaf;
	if (!data) {
		s->pruned++;
		return 0;
	}
	if (s->has_since || s->has_until) {
		if (record_time(&t, data, len) < 0)
			return aims__err(AIMS_ETAMPERED, "decisions:%s record %" PRIu64 ": no valid time",
					 s->system, index);
		if ((s->has_since && t < s->since) || (s->has_until && t >= s->until))
			return 0;
	}
	if ((err = aims__grow(&s->map, &s->mapcap, s->nmap + 1, sizeof(*s->map))) < 0)
		return err;
	s->map[s->nmap++] = index;
	if ((err = aims_buf_put(&s->out, data, len)) < 0 || (err = aims_buf_putc(&s->out, '\n')) < 0)
		return err;
	return 0;
}

static int bound(int64_t *t, int *has, const char *s, const char *what)
{
	*has = 0;
	if (!s)
		return 0;
	if (aims__rfc3339(t, NULL, s, strlen(s), 0) < 0)
		return aims__err(AIMS_EINVALID, "%s '%s': not an RFC 3339 date-time (e.g. 2026-01-31T00:00:00Z)",
				 what, s);
	*has = 1;
	return 0;
}

int aims__rows_select_decisions(char **mem, size_t *len, uint64_t **map, size_t *nmap, uint64_t *pruned,
				aims_store *store, const char *system, const char *since, const char *until)
{
	aims_decision_options opts = AIMS_DECISION_OPTIONS_INIT;
	aims_decision_log *log = NULL;
	dsel s;
	int err;

	*mem = NULL;
	*len = 0;
	*map = NULL;
	*nmap = 0;
	*pruned = 0;
	memset(&s, 0, sizeof(s));
	aims_buf_init(&s.out, 0);
	s.system = system;
	if (!aims_decision_name_valid(system))
		return aims__err(AIMS_EINVALID, "'%s': not a valid AI system name", system);
	if ((err = bound(&s.since, &s.has_since, since, "--since")) < 0 ||
	    (err = bound(&s.until, &s.has_until, until, "--until")) < 0)
		goto done;
	if ((err = aims_decision_open(&log, store, system, &opts)) < 0) {
		if (err == AIMS_ENOTFOUND)
			err = aims__err(AIMS_ENOTFOUND, "AI system '%s' has no decision log", system);
		goto done;
	}
	if ((err = aims_decision_foreach(log, 0, 0, select_record, &s)) < 0)
		goto done;
	if (s.nmap == 0) {
		err = aims__err(AIMS_ENOTFOUND, "decisions:%s: no decision records%s", system,
				since || until ? " in the time range" : "");
		goto done;
	}
	if (!(*mem = aims_buf_detach(&s.out, len))) {
		err = aims__oom();
		goto done;
	}
	*map = s.map;
	*nmap = s.nmap;
	*pruned = s.pruned;
	s.map = NULL;
	err = 0;
done:
	aims__free(s.map);
	aims_buf_release(&s.out);
	if (log)
		aims_decision_free(log);
	return err;
}

int aims_rows_open_decisions(aims_rows **out, aims_store *store, const char *system, const char *since,
			     const char *until)
{
	aims_rows *r = NULL;
	char name[AIMS_DECISION_NAME_MAX + 16];
	char *mem = NULL;
	uint64_t *map = NULL, pruned = 0;
	size_t len = 0, nmap = 0;
	int err;

	*out = NULL;
	if ((err = aims__rows_select_decisions(&mem, &len, &map, &nmap, &pruned, store, system, since, until)) < 0)
		return err;
	snprintf(name, sizeof(name), "decisions:%s", system);
	if ((err = rows_new(&r, name)) < 0)
		goto done;
	r->mem_owned = mem;
	r->mem_len = len;
	r->mem = mem;
	mem = NULL;
	r->line_map = map;
	r->nline_map = nmap;
	map = NULL;
	r->nskipped = pruned;
	if ((err = rows_start(r, 1)) < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	aims_rows_free(r);
	aims__free(mem);
	aims__free(map);
	return err;
}

int aims__rows_open_block(aims_rows **out, const char *data, size_t len, const char *name, int ndjson,
			  uint64_t first_line, const uint64_t *line_map, size_t nline_map)
{
	aims_rows *r = NULL;
	int err;
	*out = NULL;
	if ((err = rows_new(&r, name)) < 0)
		return err;
	r->mem = data ? data : "";
	r->mem_len = data ? len : 0;
	r->no_digest = 1;
	r->line_base = first_line ? first_line : 1;
	r->line_map = (uint64_t *)line_map;
	r->nline_map = nline_map;
	r->map_borrowed = 1;
	if ((err = rows_start(r, ndjson)) < 0) {
		aims_rows_free(r);
		return err;
	}
	*out = r;
	return 0;
}

int aims_rows_next(aims_rows *r, const char *const **fields, const size_t **lens)
{
	int rc;
	if (r->failed)
		return aims__err(AIMS_EUSAGE, "'%s': reading after an error", r->name);
	r->cur_skipped = 0;
	if (r->pending) {
		r->pending = 0;
		rc = 1;
	} else {
		rc = r->ndjson ? ndjson_next(r) : csv_next(r);
	}
	if (rc < 0) {
		r->failed = 1;
		return rc;
	}
	if (rc == 0) {
		if (!r->digest_done) {
			/* drain raw bytes the parser did not need (none, unless the input stopped early) */
			while (!r->raw_eof) {
				unsigned char tmp[4096];
				size_t got;
				if ((rc = raw_read(r, tmp, sizeof(tmp), &got)) < 0)
					return rc;
			}
			if (r->sha) {
				if (aims__sha256_final(r->sha, r->digest) < 0)
					return aims__err(AIMS_ERROR, "'%s': sha256 failed", r->name);
				r->digest_done = 1;
			}
		}
		return 0;
	}
	r->nread++;
	*fields = (const char *const *)r->fields;
	*lens = r->lens;
	return 1;
}

void aims_rows_free(aims_rows *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	if (r->gz)
		inflateEnd(&r->zs);
	aims__sha256_free(r->sha);
	aims__free(r->zin);
	aims__free(r->buf);
	for (size_t i = 0; i < r->ncols; i++)
		aims__free(r->cols[i]);
	aims__free(r->cols);
	aims__free(r->missing);
	aims__free(r->fields);
	aims__free(r->lens);
	aims__free(r->soff);
	aims__free(r->fb);
	aims__free(r->fe);
	aims__free(r->fq);
	aims__free(r->htab);
	aims__free(r->scratch);
	aims__free(r->mem_owned);
	if (!r->map_borrowed)
		aims__free(r->line_map);
	aims__free(r->name);
	aims__free(r);
}

size_t aims_rows_ncols(const aims_rows *r)
{
	return r->ncols;
}

const char *aims_rows_colname(const aims_rows *r, size_t i)
{
	return i < r->ncols ? r->cols[i] : NULL;
}

int aims_rows_col(const aims_rows *r, const char *name)
{
	int c = find_col(r, name, strlen(name));
	if (c >= 0)
		return c;
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_init(&b, 4096);
	for (size_t i = 0; i < r->ncols && b.len < 400; i++)
		(void)aims_buf_printf(&b, "%s%s", i ? ", " : "", r->cols[i]);
	if (b.len >= 400)
		(void)aims_buf_puts(&b, ", ...");
	aims__err_set(AIMS_ENOTFOUND, "'%s': no column '%s' (columns: %s)", r->name, name, b.ptr);
	aims_buf_release(&b);
	return AIMS_ENOTFOUND;
}

uint64_t aims_rows_line(const aims_rows *r)
{
	return r->rec_line;
}

uint64_t aims_rows_read(const aims_rows *r)
{
	return r->nread;
}

uint64_t aims_rows_skipped(const aims_rows *r)
{
	return r->nskipped;
}

void aims_rows_skip(aims_rows *r)
{
	if (!r->cur_skipped && r->nread > 0) {
		r->cur_skipped = 1;
		r->nskipped++;
	}
}

uint64_t aims_rows_missing(const aims_rows *r, size_t col)
{
	return col < r->ncols ? r->missing[col] : 0;
}

const char *aims_rows_name(const aims_rows *r)
{
	return r->name;
}

int aims_rows_is_ndjson(const aims_rows *r)
{
	return r->ndjson;
}

int aims_rows_digest(char out[72], const aims_rows *r)
{
	if (!r->digest_done)
		return aims__err(AIMS_EUSAGE, "'%s': digest before the end of the input", r->name);
	snprintf(out, 72, "sha256:");
	aims__hex(out + 7, r->digest, 32);
	return 0;
}
