/*
 * libFuzzer harness for the streaming ingest's reading (aims_decision_ingest
 * on a log kept in files, src/lib/ledger/decision.c), which cuts its input
 * into chunks of whole lines and canonicalizes them on two threads. It
 * checks that this gives what a plain line-by-line reading gives: every
 * non-blank line's canonical form (aims_decision_canonical), in input order,
 * reaches the hashing thread with its index; or, when a line is bad (not a
 * decision record, or naming the model the check refuses), the ingest
 * refuses with that first bad line's number. Nothing is ever committed: the
 * before_commit hook refuses, and the log must be back at size 0 after each
 * input. The chunk size is set to a few bytes (aims__decision_ingest_chunk,
 * from the input's first byte) so that short inputs make many chunks, and
 * the input is fed in reads of sizes taken from its second byte. Any
 * difference calls abort(). Seeds are in fuzz/corpus/decision_ingest/.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aims/aims.h"
#include "aims/decision.h"
#include "aims/note.h"
#include "core/core.h"
#include "ledger/decision_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "check failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

static aims_store *store;
static aims_decision_log *dlog;
static aims_note_signer *signer;

typedef struct {
	const uint8_t *data;
	size_t len, pos, step;
} src;

static int64_t src_read(void *buf, size_t len, void *arg)
{
	src *s = arg;
	size_t n = s->len - s->pos;
	if (n > len)
		n = len;
	if (n > s->step)
		n = s->step;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (int64_t)n;
}

/* the records the hashing thread saw, in order */
typedef struct {
	char *buf;
	size_t len, cap;
	uint64_t count;
	int out_of_order;
} seen;

static int on_hashed(void *arg, uint64_t index, const char *record, size_t len, const uint8_t leaf[32],
		     const aims_decision_members *m)
{
	seen *s = arg;
	(void)leaf;
	(void)m;
	if (index != s->count)
		s->out_of_order = 1;
	s->count++;
	if (s->len + len + 1 > s->cap) {
		size_t nc = (s->len + len + 1) * 2;
		char *nb = realloc(s->buf, nc);
		CHECK(nb != NULL);
		s->buf = nb;
		s->cap = nc;
	}
	memcpy(s->buf + s->len, record, len);
	s->buf[s->len + len] = '\n';
	s->len += len + 1;
	return 0;
}

static int refuse_commit(void *arg)
{
	(void)arg;
	return aims__err(AIMS_ECONFLICT, "fuzz: no commit");
}

/* the model check: refuses bad@1 */
static int check_model(void *arg, const char *model, size_t len, const char *digest)
{
	(void)arg;
	(void)digest;
	if (model && len == 5 && memcmp(model, "bad@1", 5) == 0)
		return aims__err(AIMS_EINVALID, "model: 'bad@1' is refused");
	return 0;
}

/* the top-level model of a canonical record is bad@1 */
static int refused(const char *rec, size_t len)
{
	json_t *j = json_loadb(rec, len, 0, NULL);
	CHECK(j != NULL);
	json_t *m = json_object_get(j, "model");
	int r = json_is_string(m) && strcmp(json_string_value(m), "bad@1") == 0;
	json_decref(j);
	return r;
}

static char dir[1024];   /* a folder of its own under $TMPDIR (or /tmp) for the store and its log */

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* the store and its log are removed when the fuzzer exits */
static void cleanup(void)
{
	aims_decision_free(dlog);
	aims_store_free(store);
	aims_note_signer_free(signer);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	char path[1100];
	aims_store_options so = AIMS_STORE_OPTIONS_INIT;
	aims_decision_options o = AIMS_DECISION_OPTIONS_INIT;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/aims-fuzz-ingest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/f.db", dir);
	so.create = 1;
	CHECK(aims_store_open(&store, path, &so) == 0);
	char *skey = NULL, *vkey = NULL;
	CHECK(aims_note_keygen(&skey, &vkey, "fuzz.example/aims") == 0);
	CHECK(aims_note_signer_parse(&signer, skey) == 0);
	aims_note_secret_free(skey);
	free(vkey);
	o.create = 1;
	o.signer = signer;
	atexit(cleanup);
	if (aims_decision_open(&dlog, store, "fz", &o) < 0) {
		fprintf(stderr, "%s\n", aims_error_last());
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dlog)
		setup();
	if (size < 2)
		return 0;
	aims__decision_ingest_chunk(1 + data[0] % 64);
	src in = { data + 2, size - 2, 0, 1 + (size_t)data[1] * 3 };
	const char *text = (const char *)data + 2;
	size_t n = size - 2;

	/* the plain reading: line by line, as docs/ledger.md describes the input */
	aims_buf want = AIMS_BUF_INIT;
	uint64_t bad_line = 0, line = 0, records = 0;
	for (size_t pos = 0; pos < n && !bad_line;) {
		const char *nl = memchr(text + pos, '\n', n - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : n - pos;
		const char *ln = text + pos;
		pos = nl ? pos + ll + 1 : n;
		line++;
		if (ll > 0 && ln[ll - 1] == '\r')
			ll--;
		size_t k = 0;
		while (k < ll && (ln[k] == ' ' || ln[k] == '\t'))
			k++;
		if (k == ll)
			continue;
		char *c = NULL;
		size_t cl = 0;
		if (aims_decision_canonical(&c, &cl, ln, ll) < 0 || refused(c, cl)) {
			bad_line = line;
		} else {
			CHECK(aims_buf_put(&want, c, cl) == 0 && aims_buf_putc(&want, '\n') == 0);
			records++;
		}
		free(c);
	}

	seen got = { NULL, 0, 0, 0, 0 };
	aims_decision_ingest_options io = AIMS_DECISION_INGEST_OPTIONS_INIT;
	aims_decision_commit_info info;
	io.read = src_read;
	io.read_arg = &in;
	io.name = "fz";
	io.check = check_model;
	io.on_hashed = on_hashed;
	io.record_arg = &got;
	io.before_commit = refuse_commit;
	int rc = aims_decision_ingest(dlog, &info, &io);
	CHECK(rc < 0);
	if (bad_line) {
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "'fz' line %llu: ", (unsigned long long)bad_line);
		CHECK(rc == AIMS_EINVALID);
		CHECK(strncmp(aims_error_last(), prefix, strlen(prefix)) == 0);
	} else {
		CHECK(rc == AIMS_ECONFLICT);
		CHECK(strstr(aims_error_last(), "fuzz: no commit") != NULL);
		CHECK(got.count == records && !got.out_of_order);
		CHECK(got.len == want.len && (want.len == 0 || memcmp(got.buf, want.ptr, want.len) == 0));
	}
	CHECK(aims_decision_size(dlog) == 0);
	free(got.buf);
	aims_buf_release(&want);
	return 0;
}
