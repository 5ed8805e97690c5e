/*
 * aims decision ingest | log | receipt | recover | verify | prune | list:
 * operations of the library (src/lib/ingest/ops_decision.c, the same for
 * the API); here only what prints their documents for people. Ingest goes
 * through aims_ingest_decisions (include/aims/ingest.h), which binds it to
 * the inventory and streams the input. verify-receipt is a command of its
 * own: it needs no store at all, only the receipt and the verifier key.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "aims/decision.h"
#include "aims/ledger.h"
#include "commands.h"

#define MAX_VKEYS 64

/* options of the commands beyond their operation's fields */
const cli_opt cmd_decision_ingest_opts[] = {
	{ "idempotency-key", "KEY", "a retry with the same key adds nothing; the key with other records is refused",
	  OPT_VALUE },
	{ "progress", NULL, "print 'read N' now and then and 'acked N' once committed, on standard error", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_receipt_opts[] = {
	{ "out", "FILE", "write the receipt to FILE instead of standard output", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_verify_receipt_opts[] = {
	{ "vkey", "VKEY", "a trusted verifier key (repeatable; required)", OPT_VALUE | OPT_MULTI },
	{ "entry", "FILE", "the record's canonical bytes, checked against the receipt", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static unsigned long long ji(const json_t *o, const char *k)
{
	return (unsigned long long)json_integer_value(json_object_get(o, k));
}

int cmd_decision_render_ingest(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *d = res->json;
	(void)ctx;
	if (json_is_true(json_object_get(d, "duplicate"))) {
		printf("%s\n", res->message ? res->message : "already ingested: nothing appended");
		return EXIT_OK;
	}
	printf("appended %llu records to decision log %s (size %llu, %s)\n", ji(d, "appended"), js(d, "system"),
	       ji(d, "size"), json_is_true(json_object_get(d, "checkpoint")) ? "checkpoint signed" : "checkpoint not signed");
	if (ji(d, "selected_for_review"))
		printf("selected %llu of them for human review ('aims review next')\n", ji(d, "selected_for_review"));
	return EXIT_OK;
}

/* without --json, `decision log` prints the records' canonical bytes: the op's text form */
int cmd_decision_prepare_log(cli_ctx *ctx, json_t *req)
{
	if (ctx->json || cli_flag(ctx, "csv"))
		return EXIT_OK;
	return json_object_set_new(req, "format", json_string("text")) < 0 ? EXIT_FAILURE_ : EXIT_OK;
}

int cmd_decision_render_receipt(cli_ctx *ctx, const aims_op_result *res)
{
	const char *out = cli_get(ctx, "out");
	const json_t *r = json_object_get(res->json, "receipt");
	const char *proof = json_string_value(r);
	size_t len = json_string_length(r);
	if (!proof)
		return EXIT_FAILURE_;
	if (out)
		return cli_write_file(out, proof, len);
	return fwrite(proof, 1, len, stdout) == len ? EXIT_OK : EXIT_FAILURE_;
}

int cmd_decision_render_verify(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("decision log %s verified: %llu entries, every tile and checkpoint\n", js(res->json, "system"),
	       ji(res->json, "entries"));
	return EXIT_OK;
}

int cmd_decision_render_recover(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *d = res->json;
	(void)ctx;
	if (json_is_true(json_object_get(d, "adopted")))
		printf("decision log %s: adopted as it is, %llu committed records\n", js(d, "system"), ji(d, "size"));
	else if (ji(d, "cut_bytes"))
		printf("decision log %s: cut off %llu bytes at offset %llu (%s, %s); %llu committed records\n",
		       js(d, "system"), ji(d, "cut_bytes"), ji(d, "offset"),
		       json_is_true(json_object_get(d, "foreign")) ? "a foreign append" : "an ingest that did not commit",
		       js(d, "cut_digest"), ji(d, "size"));
	else
		printf("decision log %s: nothing to recover, %llu committed records\n", js(d, "system"), ji(d, "size"));
	return EXIT_OK;
}

int cmd_decision_render_prune(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("pruned %llu records of decision log %s\n", ji(res->json, "pruned"), js(res->json, "system"));
	return EXIT_OK;
}

int cmd_decision_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "systems"), i, v) {
		printf("%s\n", json_string_value(v));
	}
	return EXIT_OK;
}

/* read FILE or standard input ('-'), at most max bytes; prints the error */
static int slurp(char **data, size_t *len, const char *path, size_t max)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf;

	*data = NULL;
	*len = 0;
	if (!f) {
		fprintf(stderr, "error: cannot open '%s': %s\n", path, strerror(errno));
		return errno == ENOENT ? EXIT_NOTFOUND : EXIT_INPUT;
	}
	if (!(buf = malloc(cap + 1))) {
		if (!is_stdin)
			fclose(f);
		fprintf(stderr, "error: out of memory\n");
		return EXIT_FAILURE_;
	}
	for (;;) {
		if (n == cap) {
			char *nb = cap > max ? NULL : realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				if (!is_stdin)
					fclose(f);
				if (cap > max)
					fprintf(stderr, "error: '%s' is larger than %zu bytes\n", path, max);
				else
					fprintf(stderr, "error: out of memory\n");
				return cap > max ? EXIT_INPUT : EXIT_FAILURE_;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	int bad = ferror(f);
	if (!is_stdin)
		fclose(f);
	if (bad || n > max) {
		free(buf);
		if (bad)
			fprintf(stderr, "error: cannot read '%s'\n", path);
		else
			fprintf(stderr, "error: '%s' is larger than %zu bytes\n", path, max);
		return EXIT_INPUT;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return EXIT_OK;
}

int cmd_decision_verify_receipt(cli_ctx *ctx)
{
	const char *vkeys[MAX_VKEYS], *entry_file = cli_get(ctx, "entry");
	char *receipt = NULL, *entry = NULL;
	size_t rlen = 0, elen = 0;
	uint64_t index = 0;
	int rc, err;

	int nv = cli_get_all(ctx, "vkey", vkeys, MAX_VKEYS);
	if (nv == 0)
		return cli_usage(ctx, "--vkey VKEY is required");
	if ((rc = slurp(&receipt, &rlen, ctx->args[0], AIMS_NOTE_MAX_SIZE * 4)) != 0)
		return rc;
	if (entry_file && (rc = slurp(&entry, &elen, entry_file, AIMS_DECISION_RECORD_MAX)) != 0)
		goto done;
	/* a trailing newline in an --entry file is not part of the record */
	if (entry && elen > 0 && entry[elen - 1] == '\n')
		elen--;
	if ((err = aims_decision_verify_receipt(&index, receipt, rlen, entry, elen, vkeys, (size_t)nv)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	printf("receipt verified: entry %" PRIu64 " is in the signed checkpoint\n", index);
done:
	free(receipt);
	free(entry);
	return rc;
}

