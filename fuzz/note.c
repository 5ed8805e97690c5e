/*
 * libFuzzer harness for the C2SP parsers of src/lib/ledger/note.c: every
 * input goes to the signed-note parser and verifier (with a fixed verifier
 * key, Peter Neumann's from Go's sumdb/note tests), the checkpoint parser
 * and the tlog-proof parser, and is signed when it is a signable text. The
 * promises checked: a failure returns a negative code, leaves the output
 * NULL and records a message; a verified note's text is a prefix of the
 * input ending in a newline; a parsed checkpoint or proof formats back to
 * exactly the input (the parsers accept only canonical forms); whatever is
 * signed opens again with the same text. A broken promise calls abort().
 * Build and run with `make fuzz`; seeds are in fuzz/corpus/note/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const vkeys[] = {
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
};
static const char skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

static void failed(int err, const void *out)
{
	CHECK(err < 0);
	CHECK(out == NULL);
	CHECK(aims_error_last()[0] != '\0');
	CHECK(aims_error_last_code() == err);
}

static void fuzz_note(const char *msg, size_t size)
{
	aims_note *n = (aims_note *)1;  /* must be reset */
	int err = aims_note_open(&n, msg, size, vkeys, 1);
	int syntax = aims_note_check_syntax(msg, size);
	if (err == 0) {
		CHECK(syntax == 0);
		CHECK(n->text_len > 0 && n->text_len < size);
		CHECK(memcmp(n->text, msg, n->text_len) == 0);
		CHECK(n->text[n->text_len - 1] == '\n' && n->text[n->text_len] == '\0');
		CHECK(n->nverified >= 1 && n->nverified <= n->nsigs);
		CHECK(n->nsigs <= AIMS_NOTE_MAX_SIGS);
		for (size_t i = 0; i < n->nsigs; i++)
			CHECK(n->sigs[i].name[0] != '\0' && n->sigs[i].verified == (i < n->nverified));
		aims_note_free(n);
	} else {
		failed(err, n);
		/* malformed is malformed with or without keys */
		CHECK((err == AIMS_EINVALID) == (syntax == AIMS_EINVALID));
		CHECK(err == AIMS_EINVALID || err == AIMS_ETAMPERED || err == AIMS_ENOMEM);
	}
}

static void fuzz_checkpoint(const char *text, size_t size)
{
	aims_checkpoint *cp = (aims_checkpoint *)1;
	int err = aims_checkpoint_parse(&cp, text, size);
	if (err == 0) {
		char *back = NULL;
		size_t len = 0;
		CHECK(cp->origin[0] != '\0');
		CHECK(aims_checkpoint_format(&back, &len, cp->origin, cp->size, cp->root,
					     cp->extensions, cp->nextensions) == 0);
		CHECK(len == size && memcmp(back, text, size) == 0);
		free(back);
		aims_checkpoint_free(cp);
	} else {
		failed(err, cp);
	}
}

static void fuzz_proof(const char *data, size_t size)
{
	aims_tlog_proof *p = (aims_tlog_proof *)1;
	int err = aims_tlog_proof_parse(&p, data, size);
	if (err == 0) {
		char *back = NULL;
		size_t len = 0;
		CHECK(p->nhashes <= AIMS_TLOG_PROOF_MAX_HASHES);
		CHECK(aims_note_check_syntax(p->checkpoint, p->checkpoint_len) == 0);
		CHECK(aims_tlog_proof_format(&back, &len, p->index, p->extra, p->extra_len, p->hashes,
					     p->nhashes, p->checkpoint, p->checkpoint_len) == 0);
		CHECK(len == size && memcmp(back, data, size) == 0);
		free(back);
		aims_tlog_proof_free(p);
	} else {
		failed(err, p);
	}
}

static void fuzz_sign(const char *text, size_t size)
{
	static aims_note_signer *signer;
	char *note = NULL, *back = NULL;
	size_t len = 0, blen = 0;
	if (!signer && aims_note_signer_parse(&signer, skey) != 0)
		abort();
	int err = aims_note_sign(&note, &len, text, size, signer);
	if (err != 0) {
		failed(err, note);
		return;
	}
	/* anything we sign opens with our key and gives back the same text */
	CHECK(aims_note_verify(&back, &blen, note, len, vkeys, 1) == 0);
	CHECK(blen == size && memcmp(back, text, size) == 0);
	free(back);
	free(note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a NUL-terminated copy, so that a parser reading past `size` is caught */
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	aims_error_clear();
	fuzz_note(copy, size);
	fuzz_checkpoint(copy, size);
	fuzz_proof(copy, size);
	fuzz_sign(copy, size);
	free(copy);
	return 0;
}
