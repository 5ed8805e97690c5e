/*
 * aims ledger setup | checkpoint | log | verify | prune: the governance log
 * (the audit trail of every write), its signing key and its verification.
 * Key generation is in cmd_note.c; the AI decision logs in cmd_decision.c.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_ledger_setup_opts[] = {
	{ "key", "FILE", "the signer key file written by 'aims ledger keygen'", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_ledger_log_opts[] = {
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ "csv", NULL, "print the entries as CSV (the members of the JSON entries as columns)", 0 },
	{ "object", "ID", "only entries about this object id", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_ledger_verify_opts[] = {
	{ "vkey", "VKEY", "verifier key to check checkpoint signatures with (default: the recorded one)",
	  OPT_VALUE | OPT_MULTI },
	{ "system", "NAME", "verify only the decision log of this AI system", OPT_VALUE },
	{ "json", NULL, "print JSON instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_ledger_prune_opts[] = {
	{ "retention-days", "DAYS", "keep entry bodies this many days (default and minimum 183)", OPT_VALUE },
	{ "now", "TIME", "the time to count from (RFC 3339 UTC; default: now)", OPT_VALUE },
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
	char *note = NULL;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_ledger_signer(&signer, store)) < 0 ||
	    (err = aims_ledger_checkpoint(store, signer, NULL)) < 0 ||
	    (err = aims_ledger_latest_checkpoint(&note, store, AIMS_LEDGER_GOVERNANCE)) < 0)
		rc = cli_fail(err);
	else
		fputs(note, stdout);
	free(note);
	aims_note_signer_free(signer);
	aims_store_free(store);
	return rc;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_ledger_log(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_ledger_entries *l = NULL;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_ledger_log_read(&l, store, cli_get(ctx, "object"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json || cli_flag(ctx, "csv")) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < l->count; i++) {
			const aims_ledger_entry *e = &l->items[i];
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
				"index", (json_int_t)e->index, "time", e->time, "actor", e->actor,
				"action", e->action, "object_type", e->object_type, "object_id", e->object_id,
				"new_digest", opt_str(e->new_digest), "prev_digest", opt_str(e->prev_digest),
				"pruned", e->pruned));
		}
		if (!ctx->json)
			rc = cli_print_csv(arr);
		else
			rc = cli_print_json(json_pack("{s:s, s:o}", "log", AIMS_LEDGER_GOVERNANCE, "entries", arr));
		goto done;
	}
	static const char *const hdr[] = { "#", "TIME", "ACTOR", "ACTION", "OBJECT", "NEW" };
	cli_table *t = cli_table_new(6, hdr);
	for (size_t i = 0; i < l->count; i++) {
		const aims_ledger_entry *e = &l->items[i];
		char idx[32], obj[512], nd[24];
		snprintf(idx, sizeof(idx), "%lld", (long long)e->index);
		snprintf(obj, sizeof(obj), "%s %s", e->object_type, e->object_id);
		snprintf(nd, sizeof(nd), "%.19s", e->new_digest ? e->new_digest : "-");
		const char *row[] = { idx, e->time, e->actor, e->action, obj, nd };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_ledger_entries_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_ledger_verify(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_ledger_verify_stats st;
	const char *vkeys[16];
	const char *system = cli_get(ctx, "system");
	int nv = cli_get_all(ctx, "vkey", vkeys, 16);
	char **names = NULL;
	size_t nnames = 0;
	json_t *logs = json_array();
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0) {
		json_decref(logs);
		return rc;
	}
	/* the governance log, unless one decision log is named */
	if (!system) {
		if ((err = aims_ledger_verify(&st, store, vkeys, (size_t)nv)) < 0)
			goto fail;
		json_array_append_new(logs, json_pack("{s:s, s:I, s:I, s:I}", "log", AIMS_LEDGER_GOVERNANCE,
			"entries", (json_int_t)st.entries, "checkpoints", (json_int_t)st.checkpoints,
			"tiles", (json_int_t)st.tiles));
		if (!ctx->json)
			printf("governance log: %llu entries, %llu tiles and %llu signed checkpoints verified\n",
			       (unsigned long long)st.entries, (unsigned long long)st.tiles,
			       (unsigned long long)st.checkpoints);
		if ((err = aims_decision_logs(&names, &nnames, store)) < 0)
			goto fail;
	} else {
		if (!(names = calloc(1, sizeof(*names))) || !(names[0] = strdup(system))) {
			err = AIMS_ENOMEM;
			goto fail;
		}
		nnames = 1;
	}
	/* then every decision log (or the named one) */
	for (size_t i = 0; i < nnames; i++) {
		uint64_t entries = 0;
		if ((err = aims_decision_verify(store, names[i], vkeys, (size_t)nv, &entries)) < 0)
			goto fail;
		char log[128];
		snprintf(log, sizeof(log), "decision/%s", names[i]);
		json_array_append_new(logs, json_pack("{s:s, s:I}", "log", log, "entries", (json_int_t)entries));
		if (!ctx->json)
			printf("decision log %s: %llu entries, tiles and checkpoint verified\n", names[i],
			       (unsigned long long)entries);
	}
	aims_decision_logs_free(names, nnames);
	names = NULL;
	if (ctx->json)
		rc = cli_print_json(json_pack("{s:b, s:o}", "ok", 1, "logs", logs));
	else {
		json_decref(logs);
		rc = EXIT_OK;
	}
	aims_store_free(store);
	return rc;
fail:
	rc = cli_fail(err);
	if (ctx->json)
		cli_print_json(json_pack("{s:b, s:s, s:I}", "ok", 0, "error", aims_error_last(),
					 "first_bad_entry", (json_int_t)(system ? -1 : st.first_bad)));
	json_decref(logs);
	if (names)
		aims_decision_logs_free(names, nnames);
	aims_store_free(store);
	return rc;
}

int cmd_ledger_prune(cli_ctx *ctx)
{
	aims_store *store = NULL;
	const char *d = cli_get(ctx, "retention-days");
	long days = AIMS_LEDGER_MIN_RETENTION_DAYS;
	uint64_t pruned = 0;
	int rc, err;

	if (d) {
		char *end = NULL;
		days = strtol(d, &end, 10);
		if (!*d || *end || days <= 0 || days > 36500)
			return cli_usage(ctx, "--retention-days '%s': expected a number of days", d);
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_ledger_prune(store, (int)days, cli_get(ctx, "now"), &pruned)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	printf("governance log: %llu entry bodies older than %ld days are pruned; the tree still verifies\n",
	       (unsigned long long)pruned, days);
	/* every decision log, with its own retention period unless --retention-days is given */
	char **names = NULL;
	size_t nnames = 0;
	if ((err = aims_decision_logs(&names, &nnames, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	for (size_t i = 0; i < nnames; i++) {
		uint64_t n = 0;
		if ((err = aims_decision_prune(store, names[i], d ? (int)days : 0, cli_get(ctx, "now"), &n)) < 0) {
			rc = cli_fail(err);
			break;
		}
		printf("decision log %s: %llu record bodies pruned\n", names[i], (unsigned long long)n);
	}
	aims_decision_logs_free(names, nnames);
	if (rc == EXIT_OK)
		rc = cli_after_write(store);
done:
	aims_store_free(store);
	return rc;
}
