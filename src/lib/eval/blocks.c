/*
 * An evaluation input cut into blocks at record boundaries, so that several
 * threads can parse it at once (evalpass.c). Whoever needs the next block
 * reads it, under a lock: raw bytes are hashed (SHA-256, as aims_rows
 * does: the compressed bytes of a gzip file), decompressed, and cut after
 * the last whole record; the rest waits for the next block. For CSV a
 * newline ends a record only outside quotes, which a running count of
 * quote characters tells (a doubled quote inside a field counts twice);
 * every block after the first starts with the input's header record, so
 * each can be read by an ordinary rows reader (aims__rows_open_block) with
 * the line numbers of the whole input. A decision-log selection is already
 * in memory and is only cut.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/core.h"
#include "pass_internal.h"

#define DEFAULT_BLOCK ((size_t)4 << 20)
#define RAW_CHUNK ((size_t)1 << 20)

struct aims__blocks {
	pthread_mutex_t mu;
	char *name;
	size_t block_size;
	int ndjson;
	uint64_t size_hint;

	/* a file */
	int fd, own_fd;
	int gz, zinit, raw_eof;
	z_stream zs;
	unsigned char *raw;
	aims__sha256 *sha;
	unsigned char digest[32];
	int digest_done;

	/* a selection in memory */
	char *mem;
	size_t mem_len, mem_pos;
	uint64_t *line_map;
	size_t nline_map;
	uint64_t pruned;

	/* decoded bytes not yet handed out */
	char *carry;             /* [carry_pos, carry_len) not handed out yet */
	size_t carry_pos, carry_len, carry_cap;
	int eof;                 /* every decoded byte is in carry */
	uint64_t line;           /* line of carry[carry_pos] */
	char *head;              /* CSV: the header record (with the blank lines before it) */
	size_t head_len;
	uint64_t head_lines;
	size_t nblocks;
	uint64_t bytes;
	size_t stop_after;       /* no block after this index (SIZE_MAX: none) */
	int failed;
	int fail_code;
	char fail_msg[1024];
};

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int blocks_new(aims__blocks **out, const char *name, size_t block_size)
{
	aims__blocks *b = aims__calloc(1, sizeof(*b));
	if (!b || !(b->name = aims__strdup(name))) {
		aims__free(b);
		return aims__oom();
	}
	if (pthread_mutex_init(&b->mu, NULL) != 0) {
		aims__free(b->name);
		aims__free(b);
		return aims__err(AIMS_ERROR, "cannot create a lock");
	}
	b->fd = -1;
	b->block_size = block_size ? block_size : DEFAULT_BLOCK;
	b->line = 1;
	b->stop_after = SIZE_MAX;
	*out = b;
	return 0;
}

void aims__blocks_free(aims__blocks *b)
{
	if (!b)
		return;
	if (b->own_fd && b->fd >= 0)
		close(b->fd);
	if (b->gz)
		inflateEnd(&b->zs);
	aims__sha256_free(b->sha);
	aims__free(b->raw);
	aims__free(b->mem);
	aims__free(b->line_map);
	aims__free(b->carry);
	aims__free(b->head);
	aims__free(b->name);
	pthread_mutex_destroy(&b->mu);
	aims__free(b);
}

/* room for `n` more decoded bytes in carry */
static int carry_room(aims__blocks *b, size_t n)
{
	if (b->carry_cap - b->carry_len >= n + 1)
		return 0;
	if (b->carry_pos) {
		memmove(b->carry, b->carry + b->carry_pos, b->carry_len - b->carry_pos);
		b->carry_len -= b->carry_pos;
		b->carry_pos = 0;
		if (b->carry_cap - b->carry_len >= n + 1)
			return 0;
	}
	size_t cap = b->carry_cap ? b->carry_cap : 64;
	while (cap - b->carry_len < n + 1)
		cap *= 2;
	char *c = aims__realloc(b->carry, cap);
	if (!c)
		return aims__oom();
	b->carry = c;
	b->carry_cap = cap;
	return 0;
}

static int raw_read(aims__blocks *b, unsigned char *dst, size_t n, size_t *got)
{
	ssize_t k;
	*got = 0;
	if (b->raw_eof)
		return 0;
	do
		k = read(b->fd, dst, n);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return aims__err(AIMS_ERROR, "'%s': read: %s", b->name, strerror(errno));
	if (k == 0) {
		b->raw_eof = 1;
		return 0;
	}
	*got = (size_t)k;
	if (aims__sha256_update(b->sha, dst, *got) < 0)
		return aims__err(AIMS_ERROR, "'%s': sha256 failed", b->name);
	return 0;
}

/* append up to about RAW_CHUNK decoded bytes to carry; sets eof at the end */
static int decode_more(aims__blocks *b)
{
	size_t got;
	int err;
	if (b->mem) {
		size_t k = b->mem_len - b->mem_pos;
		if (k > b->block_size)
			k = b->block_size;
		if ((err = carry_room(b, k)) < 0)
			return err;
		memcpy(b->carry + b->carry_len, b->mem + b->mem_pos, k);
		b->carry_len += k;
		b->mem_pos += k;
		if (b->mem_pos == b->mem_len)
			b->eof = 1;
		return 0;
	}
	if ((err = carry_room(b, RAW_CHUNK)) < 0)
		return err;
	if (!b->gz) {
		if ((err = raw_read(b, (unsigned char *)b->carry + b->carry_len, RAW_CHUNK, &got)) < 0)
			return err;
		b->carry_len += got;
		if (got == 0)
			b->eof = 1;
		return 0;
	}
	for (;;) {
		if (b->zs.avail_in == 0 && !b->raw_eof) {
			size_t k;
			if ((err = raw_read(b, b->raw, RAW_CHUNK, &k)) < 0)
				return err;
			b->zs.next_in = b->raw;
			b->zs.avail_in = (uInt)k;
		}
		if (b->zs.avail_in == 0 && b->raw_eof) {
			if (b->zinit == 2)
				return aims__err(AIMS_EINVALID, "'%s': truncated gzip data", b->name);
			b->eof = 1;
			return 0;
		}
		if (b->zinit == 1 && inflateReset(&b->zs) != Z_OK)
			return aims__err(AIMS_ERROR, "'%s': zlib reset failed", b->name);
		b->zinit = 2;
		b->zs.next_out = (unsigned char *)b->carry + b->carry_len;
		b->zs.avail_out = (uInt)RAW_CHUNK;
		int zr = inflate(&b->zs, Z_NO_FLUSH);
		got = RAW_CHUNK - b->zs.avail_out;
		b->carry_len += got;
		if (zr == Z_STREAM_END)
			b->zinit = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return aims__err(AIMS_EINVALID, "'%s': corrupt gzip data (%s)", b->name,
					 b->zs.msg ? b->zs.msg : "inflate failed");
		if (got > 0)
			return 0;
	}
}

/* the first raw bytes: gzip or not */
static int start_file(aims__blocks *b)
{
	size_t got = 0, k;
	int err;
	if ((err = aims__sha256_new(&b->sha)) < 0)
		return err;
	if (!(b->raw = aims__malloc(RAW_CHUNK)))
		return aims__oom();
	while (got < 2 && !b->raw_eof) {
		if ((err = raw_read(b, b->raw + got, RAW_CHUNK - got, &k)) < 0)
			return err;
		got += k;
	}
	if (got >= 2 && b->raw[0] == 0x1f && b->raw[1] == 0x8b) {
		if (inflateInit2(&b->zs, 15 + 16) != Z_OK)
			return aims__err(AIMS_ERROR, "'%s': zlib initialisation failed", b->name);
		b->gz = 1;
		b->zinit = 2;
		b->zs.next_in = b->raw;
		b->zs.avail_in = (uInt)got;
		return 0;
	}
	if ((err = carry_room(b, got)) < 0)
		return err;
	memcpy(b->carry, b->raw, got);
	b->carry_len = got;
	if (b->raw_eof)
		b->eof = 1;
	return 0;
}

/* the format, from the name or the first non-blank decoded byte (as aims_rows_open does) */
static int detect_format(aims__blocks *b)
{
	int err;
	if (has_suffix(b->name, ".ndjson") || has_suffix(b->name, ".jsonl") || has_suffix(b->name, ".ndjson.gz") ||
	    has_suffix(b->name, ".jsonl.gz")) {
		b->ndjson = 1;
		return 0;
	}
	for (;;) {
		size_t i = 0;
		while (i < b->carry_len && i < 4096 && (b->carry[i] == ' ' || b->carry[i] == '\t' ||
							b->carry[i] == '\r' || b->carry[i] == '\n'))
			i++;
		if (i + 3 <= b->carry_len && memcmp(b->carry + i, "\xEF\xBB\xBF", 3) == 0)
			i += 3;
		if (i < b->carry_len || b->eof || b->carry_len >= 8192) {
			b->ndjson = i < b->carry_len && b->carry[i] == '{';
			return 0;
		}
		if ((err = decode_more(b)) < 0)
			return err;
	}
}

int aims__blocks_open_file(aims__blocks **out, const char *path, size_t block_size)
{
	aims__blocks *b = NULL;
	struct stat st;
	int err, is_stdin = strcmp(path, "-") == 0;

	*out = NULL;
	if ((err = blocks_new(&b, is_stdin ? "(stdin)" : path, block_size)) < 0)
		return err;
	if (is_stdin) {
		b->fd = STDIN_FILENO;
	} else {
		b->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (b->fd < 0) {
			err = aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_EINVALID, "'%s': %s", path, strerror(errno));
			goto fail;
		}
		b->own_fd = 1;
		if (fstat(b->fd, &st) == 0 && S_ISREG(st.st_mode))
			b->size_hint = (uint64_t)st.st_size;
	}
	if ((err = start_file(b)) < 0 || (err = detect_format(b)) < 0)
		goto fail;
	*out = b;
	return 0;
fail:
	aims__blocks_free(b);
	return err;
}

int aims__blocks_open_mem(aims__blocks **out, char *mem, size_t len, uint64_t *line_map, size_t nline_map,
			  uint64_t pruned, const char *name, size_t block_size)
{
	aims__blocks *b = NULL;
	int err;
	*out = NULL;
	if ((err = blocks_new(&b, name, block_size)) < 0) {
		aims__free(mem);
		aims__free(line_map);
		return err;
	}
	b->mem = mem;
	b->mem_len = len;
	b->line_map = line_map;
	b->nline_map = nline_map;
	b->pruned = pruned;
	b->ndjson = 1;
	b->size_hint = len;
	if (aims__sha256_oneshot(b->digest, mem, len) < 0) {
		aims__blocks_free(b);
		return aims__err(AIMS_ERROR, "'%s': sha256 failed", name);
	}
	b->digest_done = 1;
	if (len == 0)
		b->eof = 1;
	*out = b;
	return 0;
}

/* the last '\n' in s[0..n), or NULL (memrchr is a GNU extension) */
static const char *last_nl(const char *s, size_t n)
{
	while (n > 0)
		if (s[--n] == '\n')
			return s + n;
	return NULL;
}

/*
 * The end of the last whole record in s[0..n) (0 when none ends there). For
 * CSV a newline ends a record when the count of quotes before it is even.
 */
static size_t last_cut(const char *s, size_t n, int csv)
{
	if (!csv) {
		const char *nl = last_nl(s, n);
		return nl ? (size_t)(nl - s) + 1 : 0;
	}
	size_t best = 0, p = 0;
	int odd = 0;
	while (p < n) {
		const char *q = memchr(s + p, '"', n - p);
		size_t end = q ? (size_t)(q - s) : n;
		if (!odd && end > p) {
			const char *nl = last_nl(s + p, end - p);
			if (nl)
				best = (size_t)(nl - s) + 1;
		}
		if (!q)
			break;
		odd = !odd;
		p = end + 1;
	}
	return best;
}

/* CSV: the header record, with any blank lines before it, copied from the start of the input */
static int take_header(aims__blocks *b)
{
	int err;
	for (;;) {
		size_t p = 0;
		/* blank lines ("\n" or "\r\n") as the reader skips them */
		while (p < b->carry_len && (b->carry[p] == '\n' || (b->carry[p] == '\r' && p + 1 < b->carry_len &&
								     b->carry[p + 1] == '\n')))
			p += b->carry[p] == '\n' ? 1 : 2;
		int odd = 0;
		size_t i;
		for (i = p; i < b->carry_len; i++) {
			if (b->carry[i] == '"')
				odd = !odd;
			else if (b->carry[i] == '\n' && !odd)
				break;
		}
		if (i < b->carry_len || b->eof) {
			size_t n = i < b->carry_len ? i + 1 : b->carry_len;
			if (!(b->head = aims__malloc(n + 1)))
				return aims__oom();
			memcpy(b->head, b->carry, n);
			b->head[n] = '\0';
			b->head_len = n;
			for (size_t k = 0; k < n; k++)
				b->head_lines += b->head[k] == '\n';
			return 0;
		}
		if (b->carry_len >= AIMS_ROWS_MAX_RECORD)
			return aims__err(AIMS_EINVALID, "'%s' line 1: record longer than %zu bytes", b->name,
					 AIMS_ROWS_MAX_RECORD);
		if ((err = decode_more(b)) < 0)
			return err;
	}
}

static int blk_room(aims__block *blk, size_t n)
{
	if (blk->cap >= n + 1)
		return 0;
	size_t cap = blk->cap ? blk->cap : 4096;
	while (cap < n + 1)
		cap *= 2;
	char *d = aims__malloc(cap);
	if (!d)
		return aims__oom();
	aims__free(blk->data);
	blk->data = d;
	blk->cap = cap;
	return 0;
}

static int only_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static int next_locked(aims__blocks *b, aims__block *blk)
{
	int err, csv = !b->ndjson;
	for (;;) {
		if (b->nblocks > b->stop_after)
			return 0;
		if (csv && !b->head && (err = take_header(b)) < 0)
			return err;
		while (!b->eof && b->carry_len - b->carry_pos < b->block_size)
			if ((err = decode_more(b)) < 0)
				return err;
		const char *c = b->carry + b->carry_pos;
		size_t avail = b->carry_len - b->carry_pos, cut;
		if (avail == 0 && b->eof && b->nblocks > 0)
			break;
		/* the first block keeps the header in place; later blocks get a copy in front */
		size_t skip = (csv && b->nblocks == 0) ? b->head_len : 0;
		size_t lim = skip + b->block_size < avail ? skip + b->block_size : avail;
		if (b->eof && lim == avail) {
			cut = avail;
		} else {
			cut = skip + last_cut(c + skip, lim - skip, csv);
			if (cut == skip && lim < avail)
				cut = skip + last_cut(c + skip, avail - skip, csv);
			if (cut == skip && b->eof) {
				cut = avail;
			} else if (cut == skip) {
				if (avail >= AIMS_ROWS_MAX_RECORD + skip)
					return aims__err(AIMS_EINVALID, "'%s' line %llu: record longer than %zu bytes", b->name,
							 (unsigned long long)b->line, AIMS_ROWS_MAX_RECORD);
				/* one record longer than a block: read on until it ends */
				size_t want = b->carry_len - b->carry_pos + b->block_size;
				while (!b->eof && b->carry_len - b->carry_pos < want)
					if ((err = decode_more(b)) < 0)
						return err;
				continue;
			}
		}
		size_t lines = 0;
		for (const char *p = c, *e = c + cut; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
			lines++;
		/* a tail of blank lines is no block of its own (an NDJSON reader would find no object in it) */
		int emit = b->nblocks == 0 || !only_blank(c + skip, cut - skip);
		if (emit) {
			size_t hl = (csv && b->nblocks > 0) ? b->head_len : 0;
			if ((err = blk_room(blk, hl + cut)) < 0)
				return err;
			if (hl)
				memcpy(blk->data, b->head, hl);
			memcpy(blk->data + hl, c, cut);
			blk->len = hl + cut;
			blk->data[blk->len] = '\0';
			blk->first_line = hl ? b->line - b->head_lines : b->line;
			blk->index = b->nblocks++;
		}
		b->line += lines;
		b->bytes += cut;
		blk->bytes = b->bytes;
		b->carry_pos += cut;
		if (emit)
			return 1;
	}
	if (!b->mem && !b->digest_done) {
		if (aims__sha256_final(b->sha, b->digest) < 0)
			return aims__err(AIMS_ERROR, "'%s': sha256 failed", b->name);
		b->digest_done = 1;
	}
	return 0;
}

int aims__blocks_next(aims__blocks *b, aims__block *blk)
{
	int rc;
	pthread_mutex_lock(&b->mu);
	if (b->failed) {
		rc = aims__err(b->fail_code, "%s", b->fail_msg);
	} else if ((rc = next_locked(b, blk)) < 0) {
		b->failed = 1;
		b->fail_code = rc;
		snprintf(b->fail_msg, sizeof(b->fail_msg), "%s", aims_error_last());
	}
	pthread_mutex_unlock(&b->mu);
	return rc;
}

void aims__blocks_stop_after(aims__blocks *b, size_t last)
{
	pthread_mutex_lock(&b->mu);
	if (last < b->stop_after)
		b->stop_after = last;
	pthread_mutex_unlock(&b->mu);
}

void aims__block_release(aims__block *blk)
{
	aims__free(blk->data);
	memset(blk, 0, sizeof(*blk));
}

size_t aims__blocks_count(const aims__blocks *b)
{
	return b->nblocks;
}

int aims__blocks_ndjson(const aims__blocks *b)
{
	return b->ndjson;
}

const char *aims__blocks_name(const aims__blocks *b)
{
	return b->name;
}

uint64_t aims__blocks_size_hint(const aims__blocks *b)
{
	return b->gz ? 0 : b->size_hint;
}

const uint64_t *aims__blocks_line_map(const aims__blocks *b, size_t *n)
{
	*n = b->nline_map;
	return b->line_map;
}

uint64_t aims__blocks_pruned(const aims__blocks *b)
{
	return b->pruned;
}

int aims__blocks_digest(char out[72], const aims__blocks *b)
{
	if (!b->digest_done)
		return aims__err(AIMS_EUSAGE, "'%s': digest before the end of the input", b->name);
	snprintf(out, 72, "sha256:");
	aims__hex(out + 7, b->digest, 32);
	return 0;
}
