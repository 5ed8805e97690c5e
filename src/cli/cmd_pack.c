/*
 * aims pack | pack verify: evidence packs (docs/audit.md). `pack` runs the
 * pack.create operation for its archive and writes it as a directory or,
 * with --tar, as one file; `pack verify` checks a pack offline, without a
 * store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"

const cli_opt cmd_pack_opts[] = {
	{ "out", "DIR", "the new (or empty) directory to write the pack into; with --tar the archive file", OPT_VALUE | OPT_REQUIRED },
	{ "system", "SYSTEM", "only this AI system's records (and the organization's)", OPT_VALUE },
	{ "as-of", "DATE", "prove the entries against the last checkpoint signed by the end of DATE (UTC)", OPT_VALUE },
	{ "tar", NULL, "write one ustar archive instead of a directory", 0 },
	{ "json", NULL, "print JSON instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_pack_verify_opts[] = {
	{ "vkey", "VKEY", "the verifier key to trust (the key text, or a file holding it; default: the pack's own vkey.txt)",
	  OPT_VALUE | OPT_MULTI },
	{ "json", NULL, "print JSON instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const char *manifest_member(const aims_pack *p)
{
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->files[i].path, "manifest.json") == 0)
			return (const char *)p->files[i].data;
	return NULL;
}

int cmd_pack(cli_ctx *ctx)
{
	const aims_op *op = aims_op_find("pack.create");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_store *store = NULL;
	aims_pack *pack = NULL;
	const char *out = cli_get(ctx, "out");
	int tar = cli_get(ctx, "tar") != NULL;
	json_t *req = json_object(), *m = NULL;
	int rc, err;

	if (!req)
		return EXIT_FAILURE_;
	if ((cli_get(ctx, "system") && json_object_set_new(req, "system", json_string(cli_get(ctx, "system"))) < 0) ||
	    (cli_get(ctx, "as-of") && json_object_set_new(req, "as_of", json_string(cli_get(ctx, "as-of"))) < 0) ||
	    json_object_set_new(req, "format", json_string("tar")) < 0) {
		json_decref(req);
		return EXIT_FAILURE_;
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0) {
		json_decref(req);
		return rc;
	}
	aims_op_ctx octx;
	memset(&octx, 0, sizeof(octx));
	octx.store = store;
	octx.principal = aims_store_principal(store);
	octx.client = "cli";
	if ((err = aims_op_call(&res, op, &octx, req)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((err = aims_pack_from_tar(&pack, res.body.ptr, res.body.len, "pack")) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (tar)
		rc = cli_write_file(out, res.body.ptr, res.body.len);
	else
		rc = (err = aims_pack_write_dir(pack, out)) < 0 ? cli_fail(err) : EXIT_OK;
	if (rc != EXIT_OK)
		goto done;
	json_error_t je;
	const char *mt = manifest_member(pack);
	if (!mt || !(m = json_loads(mt, 0, &je))) {
		fprintf(stderr, "error: the pack has no manifest\n");
		rc = EXIT_FAILURE_;
		goto done;
	}
	if (ctx->json) {
		rc = cli_print_json(json_pack("{s:s, s:b, s:I, s:I, s:I, s:O, s:O}", "out", out, "tar", tar, "files",
					      (json_int_t)pack->count, "entries",
					      (json_int_t)json_array_size(json_object_get(m, "entries")), "tree_size",
					      json_integer_value(json_object_get(m, "tree_size")), "origin",
					      json_object_get(m, "origin"), "omitted", json_object_get(m, "omitted")));
	} else {
		printf("wrote %s%s: %zu files, %zu ledger entries with inclusion proofs against checkpoint %s size %lld\n",
		       out, tar ? " (tar)" : "", pack->count, json_array_size(json_object_get(m, "entries")),
		       json_string_value(json_object_get(m, "origin")),
		       (long long)json_integer_value(json_object_get(m, "tree_size")));
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(m, "omitted"), i, o) {
			printf("  not included: %s\n", json_string_value(o));
		}
	}
done:
	json_decref(m);
	json_decref(req);
	aims_pack_free(pack);
	aims_op_result_release(&res);
	aims_store_free(store);
	return rc;
}

/* a --vkey value: the key itself, or a file holding it */
static char *vkey_value(const char *v)
{
	struct stat st;
	if (stat(v, &st) == 0 && S_ISREG(st.st_mode)) {
		FILE *f = fopen(v, "r");
		char buf[1024];
		if (!f)
			return NULL;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		return strdup(buf);
	}
	return strdup(v);
}

int cmd_pack_verify(cli_ctx *ctx)
{
	const char *given[16];
	char *keys[16];
	int nv = cli_get_all(ctx, "vkey", given, 16), rc = EXIT_OK, err;
	aims_pack *pack = NULL;
	aims_pack_verify_stats st;

	for (int i = 0; i < nv; i++)
		if (!(keys[i] = vkey_value(given[i]))) {
			fprintf(stderr, "error: cannot read the verifier key '%s': %s\n", given[i], strerror(errno));
			for (int k = 0; k < i; k++)
				free(keys[k]);
			return EXIT_INPUT;
		}
	if ((err = aims_pack_read(&pack, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((err = aims_pack_verify(&st, pack, (const char *const *)keys, (size_t)nv)) < 0) {
		if (ctx->json && err == AIMS_ETAMPERED) {
			cli_print_json(aims_pack_verify_result(err, &st, nv == 0));
			fprintf(stderr, "error: %s\n", aims_error_last());
			rc = EXIT_INTEGRITY;
		} else {
			rc = cli_fail(err);
		}
		goto done;
	}
	if (ctx->json)
		rc = cli_print_json(aims_pack_verify_result(0, &st, nv == 0));
	else
		printf("verified %s: %zu files, %zu ledger entries with inclusion proofs, checkpoint %s size %llu%s\n",
		       ctx->args[0], st.files, st.entries, st.signer, (unsigned long long)st.tree_size,
		       nv == 0 ? " (with the pack's own vkey.txt: give --vkey to check against a key you trust)" : "");
done:
	for (int i = 0; i < nv; i++)
		free(keys[i]);
	aims_pack_free(pack);
	return rc;
}
