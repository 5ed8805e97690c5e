/*
 * libFuzzer harness for the C2SP parsers of src/lib/ledger/note.c: every
 * input goes to the signed-note parser and verifier (with a fixed verifier
 * key, Peter Neumann's from Go's sumdb/note tests), the checkpoint parser
 * and the tlog-proof parser, and is signed when it is a signable text. The
 * promises checked: a failure returns a negative code, leaves the output
 * NULL and records a message; a verified note's text is a prefix of the
 * input ending in a newline; a parsed checkpoint or proof formats back to
 * exactly the input (the parsers accept only canonical forms); whatever is
 * signed opens again with the same text; a signed checkpoint cosigned by a
 * witness key (c2sp.org/tlog-cosignature) opens with that key and gives
 * back the timestamp; signature lines added with aims_note_add_signatures
 * verify with the key they were checked with. A broken promise calls abort().
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
/* a witness's cosigner key, made for this harness */
static const char *const wkeys[] = {
	"fuzz.example/witness+3e4d6282+BAMSsUJBNR3DjlaFl4kbffimdxqXOJnH5J1nDGpZtPVn",
};
static const char wskey[] =
	"PRIVATE+KEY+fuzz.example/witness+3e4d6282+BBZnfav4eGbqqrnYm4UZP/iKz8pbjCnBtbCj30ANarYM";

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

static void fuzz_cosign(const char *msg, size_t size)
{
	static aims_note_signer *w;
	aims_checkpoint *cp = NULL;
	aims_note *n = NULL;
	char *line = NULL, *both = NULL;
	size_t llen = 0, blen = 0;
	if (!w && aims_note_signer_parse(&w, wskey) != 0)
		abort();
	/* the witness's signature lines checked as a response to this note */
	int err = aims_note_add_signatures(&both, &blen, msg, size, msg, size, wkeys, 1, NULL);
	if (err != 0)
		failed(err, both);
	free(both);
	both = NULL;
	/* only what the log signed is cosigned */
	if (aims_checkpoint_open(&cp, msg, size, vkeys, 1) != 0) {
		aims_error_clear();
		return;
	}
	aims_checkpoint_free(cp);
	uint64_t ts = (uint64_t)size * 1000003u;
	CHECK(aims_note_cosign(&line, &llen, msg, size, w, ts) == 0);
	/* refused when the witness signed already (conflict), when the note would grow too large
	 * (invalid), or when the note carries an invalid signature by the witness (tampered) */
	CHECK(aims_note_add_signatures(&both, &blen, msg, size, line, llen, wkeys, 1, NULL) == 0 ||
	      aims_error_last_code() == AIMS_ECONFLICT || aims_error_last_code() == AIMS_EINVALID ||
	      aims_error_last_code() == AIMS_ETAMPERED);
	if (both) {
		CHECK(aims_note_open(&n, both, blen, wkeys, 1) == 0);
		CHECK(n->nverified >= 1 && n->sigs[0].cosignature && n->sigs[0].timestamp == ts);
		aims_note_free(n);
	}
	free(both);
	free(line);
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
	fuzz_cosign(copy, size);
	free(copy);
	return 0;
}
