/*
 * aims ledger setup | checkpoint | log | verify | prune: the governance log
 * (the audit trail of every write), its signing key and its verification.
 * Key generation is in cmd_note.c; the AI decision logs in cmd_decision.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_ledger_setup_opts[] = {
	{ "key", "FILE", "the signer key file written by 'aims ledger keygen'", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_ledger_checkpoint_opts[] = {
	{ "export", "FILE", "write the current signed checkpoint of every log to FILE (JSON), to keep outside "
	  "the store", OPT_VALUE },
	{ "witness-request", "OLD", "print the add-checkpoint request for a witness (c2sp.org/tlog-witness) that "
	  "last cosigned size OLD (0: never)", OPT_VALUE },
	{ "add-cosignature", "FILE", "add the cosignature lines a witness returned (FILE, '-' for standard input); "
	  "needs --witness-key", OPT_VALUE },
	{ "witness-key", "VKEY", "the witness's cosigner key, to check its cosignatures with (repeatable)",
	  OPT_VALUE | OPT_MULTI },
	{ NULL, NULL, NULL, 0 }
};

int cli_after_write(aims_store *store)
{
	aims_note_signer *signer = NULL;
	int err = aims_ledger_signer(&signer, store);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		return EXIT_OK; /* no key recorded: entries are appended, checkpoints wait */
	}
	if (err < 0 || aims_ledger_checkpoint(store, signer, NULL) < 0) {
		aims_note_signer_free(signer);
		fprintf(stderr, "error: the write succeeded but its checkpoint was not signed: %s\n",
			aims_error_last());
		return EXIT_FAILURE_;
	}
	aims_note_signer_free(signer);
	return EXIT_OK;
}

int cmd_ledger_setup(cli_ctx *ctx)
{
	aims_store *store = NULL;
	char *vkey = NULL;
	const char *key = cli_get(ctx, "key");
	int rc, err;

	if (!key)
		return cli_usage(ctx, "missing --key FILE");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_ledger_setup(store, key, &vkey)) < 0) {
		rc = cli_fail(err);
	} else if ((rc = cli_after_write(store)) == EXIT_OK) {
		printf("checkpoints of this store are signed with '%s'; verifier key:\n%s\n", key, vkey);
	}
	free(vkey);
	aims_store_free(store);
	return rc;
}

int cmd_ledger_checkpoint(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_note_signer *signer = NULL;
	const char *exp = cli_get(ctx, "export"), *wreq = cli_get(ctx, "witness-request");
	const char *cosig = cli_get(ctx, "add-cosignature"), *wkeys[16];
	int nw = cli_get_all(ctx, "witness-key", wkeys, 16);
	char *note = NULL, *lines = NULL;
	size_t len = 0;
	uint64_t old = 0;
	int rc, err;

	if ((exp != NULL) + (wreq != NULL) + (cosig != NULL) > 1)
		return cli_usage(ctx, "give one of --export, --witness-request and --add-cosignature");
	if (cosig && nw == 0)
		return cli_usage(ctx, "--add-cosignature needs the witness's key: --witness-key VKEY");
	if (wreq) {
		char *end = NULL;
		errno = 0;
		unsigned long long v = strtoull(wreq, &end, 10);
		if (!*wreq || *end || errno || *wreq == '-')
			return cli_usage(ctx, "--witness-request '%s': expected the size the witness last cosigned", wreq);
		old = (uint64_t)v;
	}
	if (cosig && (rc = cli_read_file(&lines, &len, cosig, AIMS_NOTE_MAX_SIZE)) != EXIT_OK)
		return rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if (exp) {
		/* what an auditor or a git repository keeps: every log's latest signed checkpoint */
		if ((err = aims_audit_export(&note, &len, store)) < 0) {
			rc = cli_fail(err);
		} else if ((rc = cli_write_file(exp, note, len)) == EXIT_OK) {
			printf("wrote the signed checkpoints of every log to '%s': keep it outside the store; "
			       "'aims ledger verify --trusted %s' proves the logs only grew since\n", exp, exp);
		}
		goto done;
	}
	if (wreq) {
		if ((err = aims_ledger_witness_request(&note, &len, store, old)) < 0)
			rc = cli_fail(err);
		else
			fwrite(note, 1, len, stdout);
		goto done;
	}
	if (cosig) {
		uint64_t size = 0;
		if ((err = aims_ledger_add_cosignatures(&size, store, lines, len, wkeys, (size_t)nw)) < 0)
			rc = cli_fail(err);
		else
			printf("governance checkpoint of size %llu: %d witness cosignature(s) added\n",
			       (unsigned long long)size, nw);
		goto done;
	}
	if ((err = aims_ledger_signer(&signer, store)) < 0 ||
	    (err = aims_ledger_checkpoint(store, signer, NULL)) < 0 ||
	    (err = aims_ledger_latest_checkpoint(&note, store, AIMS_LEDGER_GOVERNANCE)) < 0)
		rc = cli_fail(err);
	else
		fputs(note, stdout);
done:
	free(note);
	free(lines);
	aims_note_signer_free(signer);
	aims_store_free(store);
	return rc;
}

static const char *js(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static unsigned long long ji(const json_t *o, const char *k)
{
	return (unsigned long long)json_integer_value(json_object_get(o, k));
}

int cmd_ledger_render_log(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "#", "TIME", "ACTOR", "ACTION", "OBJECT", "NEW" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *e;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "entries"), i, e) {
		char idx[32], obj[512], nd[24];
		const char *n = json_string_value(json_object_get(e, "new_digest"));
		snprintf(idx, sizeof(idx), "%lld", (long long)json_integer_value(json_object_get(e, "index")));
		snprintf(obj, sizeof(obj), "%s %s", js(e, "object_type"), js(e, "object_id"));
		snprintf(nd, sizeof(nd), "%.19s", n ? n : "-");
		const char *row[] = { idx, js(e, "time"), js(e, "actor"), js(e, "action"), obj, nd };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* one log's line; its error on standard error unless it is the message the runner prints after */
static void print_log(const json_t *l, const char *message)
{
	const char *log = js(l, "log");
	const char *name = strncmp(log, "decision/", 9) == 0 ? log + 9 : NULL;
	if (!json_is_true(json_object_get(l, "ok"))) {
		const char *e = json_string_value(json_object_get(l, "error"));
		if (name)
			printf("decision log %s: FAILED\n", name);
		else
			printf("%s log: FAILED\n", log);
		if (!e || !*e)
			e = "verification failed";
		if (!message || strncmp(message, "error: ", 7) != 0 || strcmp(message + 7, e) != 0)
			fprintf(stderr, "error: %s\n", e);
		return;
	}
	if (name)
		printf("decision log %s: %llu entries, %llu tiles and %llu signed checkpoints verified", name,
		       ji(l, "entries"), ji(l, "tiles"), ji(l, "checkpoints"));
	else
		printf("governance log: %llu entries, %llu tiles and %llu signed checkpoints verified", ji(l, "entries"),
		       ji(l, "tiles"), ji(l, "checkpoints"));
	if (ji(l, "pruned"))
		printf(" (%llu pruned)", ji(l, "pruned"));
	if (ji(l, "cosigned"))
		printf("; %llu cosigned by a witness", ji(l, "cosigned"));
	if (ji(l, "trusted_size"))
		printf("; grew from the trusted checkpoint of size %llu", ji(l, "trusted_size"));
	putchar('\n');
}

int cmd_ledger_render_verify(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *st = json_object_get(res->json, "state");
	const json_t *findings = json_object_get(st, "findings");
	unsigned long long total = ji(st, "findings_total"), objects = ji(st, "objects");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(res->json, "logs"), i, v) {
		print_log(v, res->message);
	}
	if (json_is_true(json_object_get(st, "checked"))) {
		if (total == 0)
			printf("state: %llu governed objects match their latest audit entries\n", objects);
		json_array_foreach(findings, i, v) {
			const json_t *e = json_object_get(v, "entry");
			printf("state: %s %s: %s", js(v, "object_type"), js(v, "object_id"), js(v, "problem"));
			if (json_is_integer(e))
				printf(" (audit entry %lld)", (long long)json_integer_value(e));
			putchar('\n');
		}
		if (total > json_array_size(findings))
			printf("state: and %llu more\n", total - (unsigned long long)json_array_size(findings));
		if (total) {
			char msg[256];
			snprintf(msg, sizeof(msg), "%llu of %llu governed objects do not match their latest audit entries",
				 total, objects);
			if (!res->message || strncmp(res->message, "error: ", 7) != 0 || strcmp(res->message + 7, msg) != 0)
				fprintf(stderr, "error: %s\n", msg);
		}
	} else if (!cli_flag(ctx, "no-state") && !cli_get(ctx, "system")) {
		printf("state: not compared (the governance log did not verify)\n");
	}
	return EXIT_OK;
}

int cmd_ledger_render_prune(cli_ctx *ctx, const aims_op_result *res)
{
	size_t i;
	json_t *v;
	(void)ctx;
	printf("governance log: %llu entry bodies older than %llu days pruned; the tree still verifies\n",
	       ji(res->json, "pruned"), ji(res->json, "retention_days"));
	json_array_foreach(json_object_get(res->json, "decision_logs"), i, v) {
		printf("decision log %s: %llu record bodies pruned\n", js(v, "system"), ji(v, "pruned"));
	}
	return EXIT_OK;
}
