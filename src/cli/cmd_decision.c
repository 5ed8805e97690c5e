/*
 * aims decision ingest | log | receipt | recover | verify | verify-receipt |
 * prune | list: the AI decision logs (include/aims/decision.h,
 * docs/ledger.md). Ingest goes through aims_ingest_decisions
 * (include/aims/ingest.h), which binds it to the inventory and streams the
 * input; checkpoints are signed with the ledger's key ('aims ledger
 * setup'); verify-receipt needs no store at all, only the verifier key.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aims/decision.h"
#include "aims/ingest.h"
#include "aims/ledger.h"
#include "commands.h"

#define MAX_VKEYS 64

const cli_opt cmd_decision_ingest_opts[] = {
	{ "system", "NAME", "the AI system whose decision log this is (required; in the inventory)", OPT_VALUE },
	{ "idempotency-key", "KEY", "a retry with the same key adds nothing; the key with other records is refused",
	  OPT_VALUE },
	{ "progress", NULL, "print 'read N' now and then and 'acked N' once committed, on standard error", 0 },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_recover_opts[] = {
	{ "system", "NAME", "the AI system (required)", OPT_VALUE },
	{ "discard-foreign", NULL, "also cut off bytes no ingest was writing (a foreign append)", 0 },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_log_opts[] = {
	{ "system", "NAME", "the AI system (required)", OPT_VALUE },
	{ "from", "I", "first entry to show (default 0)", OPT_VALUE },
	{ "limit", "N", "show at most N entries (default all)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_receipt_opts[] = {
	{ "system", "NAME", "the AI system (required)", OPT_VALUE },
	{ "index", "I", "the entry (from 0; required)", OPT_VALUE },
	{ "out", "FILE", "write the receipt to FILE instead of standard output", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_verify_opts[] = {
	{ "system", "NAME", "the AI system (required)", OPT_VALUE },
	{ "vkey", "VKEY", "a trusted verifier key (repeatable; default: the ledger's recorded key)",
	  OPT_VALUE | OPT_MULTI },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_verify_receipt_opts[] = {
	{ "vkey", "VKEY", "a trusted verifier key (repeatable; required)", OPT_VALUE | OPT_MULTI },
	{ "entry", "FILE", "the record's canonical bytes, checked against the receipt", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_decision_prune_opts[] = {
	{ "system", "NAME", "the AI system (required)", OPT_VALUE },
	{ "days", "N", "retention period in days (at least 183; default the log's)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

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

static int parse_u64(uint64_t *out, const cli_ctx *ctx, const char *opt, const char *v)
{
	char *end;
	errno = 0;
	*out = 0;
	if (!v || !*v || *v == '-' || *v == '+') {
		return cli_usage(ctx, "--%s: '%s' is not a number", opt, v ? v : "");
	}
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || *end)
		return cli_usage(ctx, "--%s: '%s' is not a number", opt, v);
	*out = x;
	return 0;
}

static int need_system(const cli_ctx *ctx, const char **system)
{
	*system = cli_get(ctx, "system");
	if (!*system)
		return cli_usage(ctx, "--system NAME is required");
	return 0;
}

static void print_ack(uint64_t size, void *arg)
{
	(void)arg;
	fprintf(stderr, "acked %" PRIu64 "\n", size);
	fflush(stderr);
}

static void print_progress(uint64_t records, void *arg)
{
	(void)arg;
	fprintf(stderr, "read %" PRIu64 "\n", records);
	fflush(stderr);
}

int cmd_decision_ingest(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_ingest_options opts = AIMS_INGEST_OPTIONS_INIT;
	aims_ingest_result res;
	const char *system, *file = ctx->nargs ? ctx->args[0] : "-";
	const char *key = cli_get(ctx, "idempotency-key");
	int is_stdin = strcmp(file, "-") == 0, fd = -1, rc, err;

	memset(&res, 0, sizeof(res));
	if ((rc = need_system(ctx, &system)) != 0)
		return rc;
	if (!aims_decision_name_valid(system))
		return cli_usage(ctx, "'%s' is not a valid AI system name (1 to 64 of A-Z a-z 0-9 . _ -)",
				 system);
	if (key && (!*key || strlen(key) > 255))
		return cli_usage(ctx, "--idempotency-key: 1 to 255 characters");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if (is_stdin) {
		fd = STDIN_FILENO;
	} else if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "error: cannot open '%s': %s\n", file, strerror(errno));
		rc = errno == ENOENT ? EXIT_NOTFOUND : EXIT_INPUT;
		goto done;
	}
	opts.name = is_stdin ? "<stdin>" : file;
	opts.idempotency_key = key;
	if (cli_flag(ctx, "progress")) {
		opts.on_ack = print_ack;
		opts.on_progress = print_progress;
	}
	if ((err = aims_ingest_decisions_fd(&res, store, system, fd, &opts)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	/* committed: a checkpoint that could not be signed is said, not an error */
	if (res.checkpoint_error)
		fprintf(stderr, "warning: the records are committed, but the checkpoint of decision log %s was "
			"not signed: %s; the next write signs it\n", system, res.checkpoint_error);
	if (res.governance_error)
		fprintf(stderr, "warning: the records are committed, but the governance log's checkpoint was "
			"not signed: %s; the next write signs it\n", res.governance_error);
	if (ctx->json || cli_flag(ctx, "json"))
		rc = cli_print_json(json_pack("{s:s, s:I, s:I, s:I, s:b, s:s, s:s?, s:b, s:I}", "system", system,
					      "appended", (json_int_t)res.appended, "first", (json_int_t)res.first,
					      "size", (json_int_t)res.size, "duplicate", res.duplicate,
					      "batch_digest", res.digest, "idempotency_key", key, "checkpoint",
					      !res.checkpoint_error, "selected_for_review", (json_int_t)res.selected));
	else if (res.duplicate)
		printf("already ingested: this batch (%s) is entries %" PRIu64 " to %" PRIu64 " of decision log "
		       "%s; nothing appended (size %" PRIu64 ")\n", res.digest, res.first,
		       res.first + res.count - (res.count > 0), system, res.size);
	else
		printf("appended %" PRIu64 " records to decision log %s (size %" PRIu64 ", %s)\n", res.appended,
		       system, res.size, res.checkpoint_error ? "checkpoint not signed" : "checkpoint signed");
	if (rc == EXIT_OK && !ctx->json && !cli_flag(ctx, "json") && res.selected)
		printf("selected %" PRIu64 " of them for human review ('aims review next')\n", res.selected);
done:
	if (fd >= 0 && !is_stdin)
		close(fd);
	aims_ingest_result_release(&res);
	aims_store_free(store);
	return rc;
}

int cmd_decision_recover(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_note_signer *signer = NULL;
	aims_decision_recovery r;
	const char *system;
	int rc, err;

	if ((rc = need_system(ctx, &system)) != 0)
		return rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if (aims_ledger_signer(&signer, store) < 0)
		signer = NULL;  /* recovery does not need to sign; the next write does */
	if ((err = aims_decision_recover(&r, store, system, signer, cli_flag(ctx, "discard-foreign"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json || cli_flag(ctx, "json"))
		rc = cli_print_json(json_pack("{s:s, s:I, s:I, s:I, s:s?, s:b, s:b}", "system", system, "size",
					      (json_int_t)r.size, "offset", (json_int_t)r.offset, "cut_bytes",
					      (json_int_t)r.cut_bytes, "cut_digest",
					      r.cut_bytes ? r.cut_digest : NULL, "foreign", r.foreign, "adopted",
					      r.adopted));
	else if (r.adopted)
		printf("decision log %s: adopted as it is, %" PRIu64 " committed records\n", system, r.size);
	else if (r.cut_bytes)
		printf("decision log %s: cut off %" PRIu64 " bytes at offset %" PRIu64 " (%s, %s); %" PRIu64
		       " committed records\n", system, r.cut_bytes, r.offset,
		       r.foreign ? "a foreign append" : "an ingest that did not commit", r.cut_digest, r.size);
	else
		printf("decision log %s: nothing to recover, %" PRIu64 " committed records\n", system, r.size);
	if (rc == EXIT_OK)
		rc = cli_after_write(store);  /* signs the governance log if the recovery was recorded */
done:
	aims_note_signer_free(signer);
	aims_store_free(store);
	return rc;
}

/* the signer, when a ledger key is recorded: recovery then signs too */
static int open_log(aims_decision_log **log, aims_note_signer **signer, aims_store *store,
		    const char *system)
{
	aims_decision_options opts = AIMS_DECISION_OPTIONS_INIT;
	*signer = NULL;
	if (aims_ledger_signer(signer, store) < 0)
		*signer = NULL;
	opts.signer = *signer;
	return aims_decision_open(log, store, system, &opts);
}

typedef struct {
	int json;
	json_t *arr;
} log_ctx;

static int print_record(uint64_t index, const char *data, size_t len, const uint8_t leaf[32], void *arg)
{
	log_ctx *c = arg;
	char hex[65];
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[leaf[i] >> 4];
		hex[2 * i + 1] = digits[leaf[i] & 15];
	}
	hex[64] = '\0';
	if (c->json) {
		json_t *rec = data ? json_loadb(data, len, 0, NULL) : json_null();
		json_t *o = json_pack("{s:I, s:s, s:b, s:o}", "index", (json_int_t)index, "leaf_hash", hex,
				      "pruned", data == NULL, "record", rec ? rec : json_null());
		if (!o || json_array_append_new(c->arr, o) != 0)
			return -1;
		return 0;
	}
	if (data)
		printf("%" PRIu64 "\t%.*s\n", index, (int)len, data);
	else
		printf("%" PRIu64 "\tpruned (leaf hash %s)\n", index, hex);
	return 0;
}

int cmd_decision_log(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_note_signer *signer = NULL;
	aims_decision_log *log = NULL;
	const char *system;
	uint64_t from = 0, limit = 0;
	log_ctx c = { ctx->json || cli_flag(ctx, "json"), NULL };
	int rc, err;

	if ((rc = need_system(ctx, &system)) != 0)
		return rc;
	if ((cli_get(ctx, "from") && (rc = parse_u64(&from, ctx, "from", cli_get(ctx, "from"))) != 0) ||
	    (cli_get(ctx, "limit") && (rc = parse_u64(&limit, ctx, "limit", cli_get(ctx, "limit"))) != 0))
		return rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = open_log(&log, &signer, store, system)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (c.json && !(c.arr = json_array())) {
		rc = cli_fail(AIMS_ENOMEM);
		goto done;
	}
	if ((err = aims_decision_foreach(log, from, limit, print_record, &c)) != 0) {
		rc = cli_fail(err < 0 ? err : AIMS_ENOMEM);
		goto done;
	}
	if (c.json) {
		rc = cli_print_json(json_pack("{s:s, s:s, s:I, s:o}", "system", system, "origin",
					      aims_decision_origin(log), "size",
					      (json_int_t)aims_decision_size(log), "entries", c.arr));
		c.arr = NULL;
	}
done:
	json_decref(c.arr);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	aims_store_free(store);
	return rc;
}

int cmd_decision_receipt(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_note_signer *signer = NULL;
	aims_decision_log *log = NULL;
	const char *system, *out = cli_get(ctx, "out");
	char *proof = NULL;
	size_t plen = 0;
	uint64_t index = 0;
	int rc, err;

	if ((rc = need_system(ctx, &system)) != 0)
		return rc;
	if (!cli_get(ctx, "index"))
		return cli_usage(ctx, "--index I is required");
	if ((rc = parse_u64(&index, ctx, "index", cli_get(ctx, "index"))) != 0)
		return rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = open_log(&log, &signer, store, system)) < 0 ||
	    (err = aims_decision_receipt(&proof, &plen, log, index)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (out)
		rc = cli_write_file(out, proof, plen);
	else if (fwrite(proof, 1, plen, stdout) != plen)
		rc = EXIT_FAILURE_;
done:
	free(proof);
	aims_decision_free(log);
	aims_note_signer_free(signer);
	aims_store_free(store);
	return rc;
}

int cmd_decision_verify(cli_ctx *ctx)
{
	aims_store *store = NULL;
	const char *system, *vkeys[MAX_VKEYS];
	uint64_t n = 0;
	int rc, err;

	if ((rc = need_system(ctx, &system)) != 0)
		return rc;
	int nv = cli_get_all(ctx, "vkey", vkeys, MAX_VKEYS);
	if ((rc = cli_open_store_readonly(&store, ctx)) != 0)
		return rc;
	err = aims_decision_verify(store, system, vkeys, (size_t)nv, &n);
	if (err < 0) {
		rc = cli_fail(err);
	} else if (ctx->json || cli_flag(ctx, "json")) {
		rc = cli_print_json(json_pack("{s:s, s:b, s:I}", "system", system, "verified", 1, "entries",
					      (json_int_t)n));
	} else {
		printf("decision log %s verified: %" PRIu64 " entries, every tile and checkpoint\n", system, n);
	}
	aims_store_free(store);
	return rc;
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

int cmd_decision_prune(cli_ctx *ctx)
{
	aims_store *store = NULL;
	const char *system;
	uint64_t days = 0, n = 0;
	int rc, err;

	if ((rc = need_system(ctx, &system)) != 0)
		return rc;
	if (cli_get(ctx, "days") && (rc = parse_u64(&days, ctx, "days", cli_get(ctx, "days"))) != 0)
		return rc;
	if (cli_get(ctx, "days") && days == 0)
		return cli_usage(ctx, "--days must be at least %d", AIMS_LEDGER_MIN_RETENTION_DAYS);
	if (days > 100000)
		days = 100000;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	err = aims_decision_prune(store, system, (int)days, &n);
	if (err < 0)
		rc = cli_fail(err);
	else if ((rc = cli_after_write(store)) != EXIT_OK)
		;
	else if (ctx->json || cli_flag(ctx, "json"))
		rc = cli_print_json(json_pack("{s:s, s:I}", "system", system, "pruned", (json_int_t)n));
	else
		printf("pruned %" PRIu64 " records of decision log %s\n", n, system);
	aims_store_free(store);
	return rc;
}

int cmd_decision_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	char **names = NULL;
	size_t n = 0;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_decision_logs(&names, &n, store)) < 0) {
		rc = cli_fail(err);
	} else if (ctx->json || cli_flag(ctx, "json")) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < n; i++)
			json_array_append_new(a, json_string(names[i]));
		rc = cli_print_json(a ? json_pack("{s:o}", "systems", a) : NULL);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", names[i]);
	}
	aims_decision_logs_free(names, n);
	aims_store_free(store);
	return rc;
}
