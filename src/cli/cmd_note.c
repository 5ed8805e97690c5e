/*
 * aims ledger keygen | note sign | note verify: Ed25519 keys and C2SP
 * signed notes (c2sp.org/signed-note). keygen makes the key a log signs its
 * checkpoints with; sign and verify work on any note, so that third parties
 * can check what aims publishes and aims can check notes from elsewhere
 * (Go's sumdb, Sigstore, witnesses). None of these needs a store.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

#define MAX_VKEYS 64

const cli_opt cmd_ledger_keygen_opts[] = {
	{ "name", "ORIGIN", "the key name: the log's origin, e.g. example.com/aims (required)", OPT_VALUE },
	{ "out", "FILE", "where to write the signer key (default ./ORIGIN.key; never overwritten)",
	  OPT_VALUE },
	{ "cosigner", NULL, "make a witness (cosigner) key, type 0x04 (c2sp.org/tlog-cosignature)", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_note_cosign_opts[] = {
	{ "key", "FILE", "the witness's cosigner key file ('aims ledger keygen --cosigner'; required)", OPT_VALUE },
	{ "vkey", "VKEY", "the log's verifier key: the checkpoint must verify with it (required)",
	  OPT_VALUE | OPT_MULTI },
	{ "time", "SECONDS", "the cosignature's timestamp, seconds since 1970 (default now)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_note_sign_opts[] = {
	{ "key", "FILE", "the signer key file written by 'aims ledger keygen' (mode 0600; required)",
	  OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_note_verify_opts[] = {
	{ "text", NULL, "print the verified text instead of the signers", 0 },
	{ "vkey", "VKEY", "a trusted verifier key name+keyid+key (repeatable)", OPT_VALUE | OPT_MULTI },
	{ "vkey-file", "FILE", "read trusted verifier keys from FILE, one per line ('#' comments)",
	  OPT_VALUE },
	{ "witness-key", "VKEY", "a trusted witness's cosigner key (type 0x04): its cosignature must be there "
	  "and verify (repeatable)", OPT_VALUE | OPT_MULTI },
	{ "witness-quorum", "N", "how many of the --witness-key witnesses must have cosigned (default: all)",
	  OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

int cmd_ledger_keygen(cli_ctx *ctx)
{
	const char *name = cli_get(ctx, "name");
	const char *out = cli_get(ctx, "out");
	char *skey = NULL, *vkey = NULL;
	char path[4096];
	int err, rc;

	if (!name)
		return cli_usage(ctx, "option '--name ORIGIN' is required");
	if (!out) {
		/* the default file is in the current directory: a name with '/'
		 * would put it elsewhere (or nowhere), so ask for --out */
		if (strchr(name, '/'))
			return cli_usage(ctx, "key name '%s' contains '/': give the key file with --out FILE",
					 name);
		if (snprintf(path, sizeof(path), "%s.key", name) >= (int)sizeof(path))
			return cli_usage(ctx, "key name too long");
		out = path;
	}
	if ((err = (cli_flag(ctx, "cosigner") ? aims_note_cosigner_keygen : aims_note_keygen)(&skey, &vkey, name)) < 0)
		return cli_fail(err);
	if ((err = aims_note_key_write(out, skey)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	printf("%s\n", vkey);
	fprintf(stderr, "wrote the signer key for '%s' to '%s' (mode 0600): keep it secret; "
		"the verifier key above is public\n", name, out);
	rc = EXIT_OK;
done:
	aims_note_secret_free(skey);
	free(vkey);
	return rc;
}

int cmd_note_sign(cli_ctx *ctx)
{
	const char *keyfile = cli_get(ctx, "key");
	const char *in = ctx->nargs ? ctx->args[0] : "-";
	aims_note_signer *signer = NULL;
	char *text = NULL, *note = NULL;
	size_t len = 0, nlen = 0;
	int err, rc;

	if (!keyfile)
		return cli_usage(ctx, "option '--key FILE' is required");
	if ((err = aims_note_signer_load(&signer, keyfile)) < 0)
		return cli_fail(err);
	if ((rc = cli_read_file(&text, &len, in, AIMS_NOTE_MAX_SIZE + 1)) != EXIT_OK)
		goto done;
	if ((err = aims_note_sign(&note, &nlen, text, len, signer)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	fwrite(note, 1, nlen, stdout);
	rc = EXIT_OK;
done:
	free(note);
	free(text);
	aims_note_signer_free(signer);
	return rc;
}

int cmd_note_verify(cli_ctx *ctx)
{
	const char *keys[MAX_VKEYS];
	const char *keyfile = cli_get(ctx, "vkey-file");
	char *filekeys = NULL, *msg = NULL;
	size_t flen = 0, len = 0;
	aims_note *note = NULL;
	int n, err, rc;

	n = cli_get_all(ctx, "vkey", keys, MAX_VKEYS);
	if (keyfile) {
		if ((rc = cli_read_file(&filekeys, &flen, keyfile, 1 << 20)) != EXIT_OK)
			return rc;
		/* one key per line; blank lines and '#' comments are skipped */
		for (char *line = filekeys; line && *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			size_t l = strlen(line);
			while (l && (line[l - 1] == '\r' || line[l - 1] == ' ' || line[l - 1] == '\t'))
				line[--l] = '\0';
			if (l && line[0] != '#') {
				if (n == MAX_VKEYS) {
					fprintf(stderr, "error: more than %d verifier keys\n", MAX_VKEYS);
					rc = EXIT_USAGE;
					goto done;
				}
				keys[n++] = line;
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	int nlog = n;
	int nw = cli_get_all(ctx, "witness-key", keys + n, MAX_VKEYS - n);
	const char *q = cli_get(ctx, "witness-quorum");
	long quorum = nw;
	n += nw;
	if (n == 0) {
		rc = cli_usage(ctx, "no verifier key: give --vkey VKEY, --vkey-file FILE or --witness-key VKEY");
		goto done;
	}
	if (q) {
		char *end = NULL;
		quorum = strtol(q, &end, 10);
		if (!*q || *end || quorum < 1 || quorum > nw) {
			rc = cli_usage(ctx, "--witness-quorum '%s': expected 1 to the number of --witness-key (%d)",
				       q, nw);
			goto done;
		}
	}
	if ((rc = cli_read_file(&msg, &len, ctx->args[0], AIMS_NOTE_MAX_SIZE + 1)) != EXIT_OK)
		goto done;
	const char *file = strcmp(ctx->args[0], "-") == 0 ? "(stdin)" : ctx->args[0];
	if ((err = aims_note_open(&note, msg, len, keys, (size_t)n)) < 0) {
		fprintf(stderr, "error: '%s': %s\n", file, aims_error_last());
		rc = cli_exit_status(err);
		goto done;
	}
	/* the log's own signature, when log keys were given, and the quorum of witnesses */
	long signed_by_log = 0, cosigned = 0;
	for (size_t i = 0; i < note->nsigs; i++) {
		if (!note->sigs[i].verified)
			continue;
		if (note->sigs[i].cosignature)
			cosigned++;
		else
			signed_by_log++;
	}
	if (nlog > 0 && signed_by_log == 0) {
		fprintf(stderr, "error: '%s': note has no signature by a --vkey key (only cosignatures)\n", file);
		rc = EXIT_INTEGRITY;
		goto done;
	}
	if (cosigned < quorum) {
		fprintf(stderr, "error: '%s': cosigned by %ld of the %d witnesses given, %ld needed\n", file,
			cosigned, nw, quorum);
		rc = EXIT_INTEGRITY;
		goto done;
	}
	if (cli_flag(ctx, "text")) {
		fwrite(note->text, 1, note->text_len, stdout);
	} else {
		for (size_t i = 0; i < note->nsigs; i++) {
			const aims_note_sig *g = &note->sigs[i];
			if (!g->verified)
				continue;
			if (g->cosignature) {
				char t[32];
				cli_time_format(t, (int64_t)g->timestamp);
				printf("verified: cosigned by %s+%08x at %s\n", g->name, (unsigned)g->key_id, t);
			} else {
				printf("verified: signed by %s+%08x\n", g->name, (unsigned)g->key_id);
			}
		}
	}
	rc = EXIT_OK;
done:
	aims_note_free(note);
	free(msg);
	free(filekeys);
	return rc;
}

int cmd_note_cosign(cli_ctx *ctx)
{
	const char *keyfile = cli_get(ctx, "key"), *t = cli_get(ctx, "time");
	const char *vkeys[MAX_VKEYS];
	const char *in = ctx->nargs ? ctx->args[0] : "-";
	int nv = cli_get_all(ctx, "vkey", vkeys, MAX_VKEYS);
	aims_note_signer *signer = NULL;
	aims_checkpoint *cp = NULL;
	char *note = NULL, *line = NULL;
	size_t len = 0, llen = 0;
	uint64_t ts;
	int err, rc;

	if (!keyfile)
		return cli_usage(ctx, "option '--key FILE' is required");
	if (nv == 0)
		return cli_usage(ctx, "option '--vkey VKEY' (the log's verifier key) is required: a witness "
				 "cosigns only checkpoints the log signed");
	if (t) {
		char *end = NULL;
		errno = 0;
		unsigned long long v = strtoull(t, &end, 10);
		if (!*t || *end || errno || *t == '-' || v > (unsigned long long)INT64_MAX)
			return cli_usage(ctx, "--time '%s': expected seconds since 1970", t);
		ts = (uint64_t)v;
	} else {
		ts = (uint64_t)time(NULL);
	}
	if ((err = aims_note_signer_load(&signer, keyfile)) < 0)
		return cli_fail(err);
	if ((rc = cli_read_file(&note, &len, in, AIMS_NOTE_MAX_SIZE + 1)) != EXIT_OK)
		goto done;
	if ((err = aims_checkpoint_open(&cp, note, len, vkeys, (size_t)nv)) < 0 ||
	    (err = aims_note_cosign(&line, &llen, note, len, signer, ts)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	fwrite(line, 1, llen, stdout);
	rc = EXIT_OK;
done:
	aims_checkpoint_free(cp);
	free(line);
	free(note);
	aims_note_signer_free(signer);
	return rc;
}
