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

const cli_opt cmd_ledger_log_opts[] = {
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ "object", "ID", "only entries about this object id", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_ledger_verify_opts[] = {
	{ "vkey", "VKEY", "verifier key to check checkpoint signatures with (default: the recorded one)",
	  OPT_VALUE | OPT_MULTI },
	{ "system", "NAME", "verify only the decision log of this AI system", OPT_VALUE },
	{ "trusted", "FILE", "checkpoints exported earlier ('aims ledger checkpoint --export'): every log must have "
	  "grown from them (RFC 9162 consistency)", OPT_VALUE },
	{ "witness-key", "VKEY", "a witness's cosigner key: its cosignatures on the checkpoints must verify "
	  "(repeatable)", OPT_VALUE | OPT_MULTI },
	{ "state", NULL, "compare every governed object with its latest audit entry (the default)", 0 },
	{ "no-state", NULL, "do not compare the governed objects", 0 },
	{ "json", NULL, "print JSON instead of text", 0 },
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

const cli_opt cmd_ledger_prune_opts[] = {
	{ "retention-days", "DAYS", "keep entry bodies this many days (default and minimum 183)", OPT_VALUE },
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
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < l->count; i++) {
			const aims_ledger_entry *e = &l->items[i];
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
				"index", (json_int_t)e->index, "time", e->time, "actor", e->actor,
				"action", e->action, "object_type", e->object_type, "object_id", e->object_id,
				"new_digest", opt_str(e->new_digest), "prev_digest", opt_str(e->prev_digest),
				"pruned", e->pruned));
		}
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

static json_t *log_json(const aims_audit_log *l)
{
	json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "log", l->log, "ok", l->code == 0,
			      "entries", (json_int_t)l->stats.entries, "checkpoints", (json_int_t)l->stats.checkpoints,
			      "tiles", (json_int_t)l->stats.tiles, "pruned", (json_int_t)l->stats.pruned,
			      "covered", (json_int_t)l->stats.covered, "cosigned", (json_int_t)l->stats.cosigned);
	if (!o)
		return NULL;
	if (l->stats.trusted_size)
		json_object_set_new(o, "trusted_size", json_integer((json_int_t)l->stats.trusted_size));
	if (l->created >= 0)
		json_object_set_new(o, "created_by_entry", json_integer(l->created));
	if (l->code < 0) {
		json_object_set_new(o, "error", json_string(l->error ? l->error : ""));
		json_object_set_new(o, "first_bad_entry", json_integer(l->stats.first_bad));
	}
	return o;
}

static void print_log(const aims_audit_log *l)
{
	const char *name = strncmp(l->log, "decision/", 9) == 0 ? l->log + 9 : NULL;
	if (l->code < 0) {
		if (name)
			printf("decision log %s: FAILED\n", name);
		else
			printf("%s log: FAILED\n", l->log);
		fprintf(stderr, "error: %s\n", l->error ? l->error : "verification failed");
		return;
	}
	if (name)
		printf("decision log %s: %llu entries, %llu tiles and %llu signed checkpoints verified", name,
		       (unsigned long long)l->stats.entries, (unsigned long long)l->stats.tiles,
		       (unsigned long long)l->stats.checkpoints);
	else
		printf("governance log: %llu entries, %llu tiles and %llu signed checkpoints verified",
		       (unsigned long long)l->stats.entries, (unsigned long long)l->stats.tiles,
		       (unsigned long long)l->stats.checkpoints);
	if (l->stats.pruned)
		printf(" (%llu pruned)", (unsigned long long)l->stats.pruned);
	if (l->stats.cosigned)
		printf("; %llu cosigned by a witness", (unsigned long long)l->stats.cosigned);
	if (l->stats.trusted_size)
		printf("; grew from the trusted checkpoint of size %llu", (unsigned long long)l->stats.trusted_size);
	putchar('\n');
}

int cmd_ledger_verify(cli_ctx *ctx)
{
	aims_audit_options o = AIMS_AUDIT_OPTIONS_INIT;
	aims_audit_report *r = NULL;
	aims_store *store = NULL;
	const char *vkeys[16], *wkeys[16], *trusted_file = cli_get(ctx, "trusted");
	char *trusted = NULL;
	size_t tlen = 0;
	int rc, err;

	if (cli_flag(ctx, "state") && cli_flag(ctx, "no-state"))
		return cli_usage(ctx, "give --state or --no-state, not both");
	o.nvkeys = (size_t)cli_get_all(ctx, "vkey", vkeys, 16);
	o.vkeys = vkeys;
	o.nwitness_keys = (size_t)cli_get_all(ctx, "witness-key", wkeys, 16);
	o.witness_keys = wkeys;
	o.system = cli_get(ctx, "system");
	o.state = !cli_flag(ctx, "no-state") && !o.system;
	if (o.system && cli_flag(ctx, "state"))
		return cli_usage(ctx, "--state checks the whole store: leave out --system");
	if (trusted_file && (rc = cli_read_file(&trusted, &tlen, trusted_file, (size_t)64 << 20)) != EXIT_OK)
		return rc;
	o.trusted = trusted;
	o.trusted_len = tlen;
	if ((rc = cli_open_store_readonly(&store, ctx)) != 0)
		goto done;
	err = aims_audit_verify(&r, store, &o);
	if (!r) {
		rc = cli_fail(err);
		goto done;
	}
	rc = err < 0 ? cli_exit_status(err) : EXIT_OK;
	if (ctx->json) {
		json_t *logs = json_array(), *findings = json_array();
		int64_t gov_bad = -1;
		for (size_t i = 0; logs && i < r->nlogs; i++) {
			json_array_append_new(logs, log_json(&r->logs[i]));
			if (strcmp(r->logs[i].log, AIMS_LEDGER_GOVERNANCE) == 0)
				gov_bad = r->logs[i].stats.first_bad;
		}
		for (size_t i = 0; findings && i < r->nfindings; i++) {
			const aims_audit_finding *f = &r->findings[i];
			json_array_append_new(findings, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "object_type",
				f->object_type, "object_id", f->object_id, "problem", f->problem,
				"recorded", f->recorded ? json_string(f->recorded) : json_null(),
				"actual", f->actual ? json_string(f->actual) : json_null(),
				"entry", f->entry >= 0 ? json_integer(f->entry) : json_null()));
		}
		json_t *out = json_pack("{s:b, s:o, s:{s:b, s:I, s:I, s:o}}", "ok", err == 0, "logs", logs, "state",
					"checked", r->state_checked, "objects", (json_int_t)r->objects, "findings_total",
					(json_int_t)r->findings_total, "findings", findings);
		if (out && err < 0) {
			json_object_set_new(out, "error", json_string(aims_error_last()));
			json_object_set_new(out, "first_bad_entry", json_integer(gov_bad));
		}
		if (cli_print_json(out) != EXIT_OK)
			rc = EXIT_FAILURE_;
		if (err < 0)
			fprintf(stderr, "error: %s\n", aims_error_last());
		goto done;
	}
	for (size_t i = 0; i < r->nlogs; i++)
		print_log(&r->logs[i]);
	if (r->state_checked) {
		if (r->findings_total == 0)
			printf("state: %llu governed objects match their latest audit entries\n",
			       (unsigned long long)r->objects);
		for (size_t i = 0; i < r->nfindings; i++) {
			const aims_audit_finding *f = &r->findings[i];
			printf("state: %s %s: %s", f->object_type, f->object_id, f->problem);
			if (f->entry >= 0)
				printf(" (audit entry %lld)", (long long)f->entry);
			putchar('\n');
		}
		if (r->findings_total > r->nfindings)
			printf("state: and %llu more\n", (unsigned long long)(r->findings_total - r->nfindings));
		if (r->findings_total)
			fprintf(stderr, "error: %llu of %llu governed objects do not match their latest audit entries\n",
				(unsigned long long)r->findings_total, (unsigned long long)r->objects);
	} else if (o.state) {
		printf("state: not compared (the governance log did not verify)\n");
	}
done:
	aims_audit_report_free(r);
	free(trusted);
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
	if ((err = aims_ledger_prune(store, (int)days, &pruned)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	printf("governance log: %llu entry bodies older than %ld days pruned; the tree still verifies\n",
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
		if ((err = aims_decision_prune(store, names[i], d ? (int)days : 0, &n)) < 0) {
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
