/*
 * aims model: register models by content digest (a file, or a directory
 * with per-file digests and a manifest digest), verify, list and show them
 * with their in-toto statement.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_model_register_opts[] = {
	{ "file", "PATH", "the model artifact as one file", OPT_VALUE },
	{ "dir", "DIR", "the model artifact as a directory (every regular file under it)", OPT_VALUE },
	{ "trained-on", "DATASET@VER", "a dataset the model was trained on (repeatable)", OPT_VALUE | OPT_MULTI },
	{ "run", "ID", "the training run that produced it", OPT_VALUE },
	{ "framework", "TEXT", "e.g. scikit-learn 1.2, PyTorch 2.1", OPT_VALUE },
	{ "licence", "TEXT", "the model's licence", OPT_VALUE },
	{ "source", "TEXT", "where the artifact lives (URI)", OPT_VALUE },
	{ "description", "TEXT", "what the model does", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_model_verify_opts[] = {
	{ "file", "PATH", "the file to check", OPT_VALUE },
	{ "dir", "DIR", "the directory to check", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_model_show_opts[] = {
	{ "in-toto", NULL, "print the in-toto Statement whose subjects are the model's files", 0 },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jparse(const char *s)
{
	json_t *j = s ? json_loads(s, 0, NULL) : NULL;
	return j ? j : json_null();
}

json_t *cli_model_json(const aims_model *m)
{
	json_t *files = json_array(), *ds = json_array();
	for (size_t i = 0; files && i < m->nfiles; i++)
		json_array_append_new(files, json_pack("{s:s, s:s, s:I}", "path", m->files[i].path, "digest",
						       m->files[i].digest, "size", (json_int_t)m->files[i].size));
	for (size_t i = 0; ds && i < m->ntrained_on; i++)
		json_array_append_new(ds, json_string(m->trained_on[i]));
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:I, s:s, s:s}",
			 "ref", m->ref, "name", m->name, "version", m->version, "digest", jstr(m->digest), "kind",
			 jstr(m->kind), "framework", jstr(m->framework), "licence", jstr(m->licence), "run", jstr(m->run),
			 "source", jstr(m->source), "description", jstr(m->description), "tags", jparse(m->tags),
			 "aliases", jparse(m->aliases), "origin", m->origin, "files", files ? files : json_null(),
			 "trained_on", ds ? ds : json_null(), "record_version", (json_int_t)m->record_version,
			 "created_at", m->created_at, "updated_at", m->updated_at);
}

static int artifact_arg(aims_artifact **art, cli_ctx *ctx, int required)
{
	const char *file = cli_get(ctx, "file"), *dir = cli_get(ctx, "dir");
	*art = NULL;
	if (file && dir)
		return cli_usage(ctx, "give --file PATH or --dir DIR, not both");
	if (!file && !dir)
		return required ? cli_usage(ctx, "missing --file PATH or --dir DIR") : EXIT_OK;
	return cli_hash(art, file ? file : dir, dir != NULL);
}

int cmd_model_register(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_artifact *art = NULL;
	aims_model *m = NULL;
	aims_model_fields f = AIMS_MODEL_FIELDS_INIT;
	const char *ds[CLI_MAX_VALUES];
	int rc, err, created = 0;

	f.ntrained_on = (size_t)cli_get_all(ctx, "trained-on", ds, CLI_MAX_VALUES);
	f.trained_on = ds;
	f.run = cli_get(ctx, "run");
	f.framework = cli_get(ctx, "framework");
	f.licence = cli_get(ctx, "licence");
	f.source = cli_get(ctx, "source");
	f.description = cli_get(ctx, "description");
	if (!cli_get(ctx, "file") && !cli_get(ctx, "dir"))
		return cli_usage(ctx, "missing --file PATH or --dir DIR");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((rc = artifact_arg(&art, ctx, 1)) != EXIT_OK)
		goto done;
	if ((err = aims_model_register(&created, store, ctx->args[0], art, &f)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (created && (rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if ((err = aims_model_get(&m, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *o = cli_model_json(m);
		if (o)
			json_object_set_new(o, "created", json_boolean(created));
		rc = cli_print_json(o);
	} else {
		printf("%s %s %s (%zu file%s)\n", created ? "registered" : "unchanged (already registered with this "
		       "artifact):", m->ref, m->digest, m->nfiles, m->nfiles == 1 ? "" : "s");
		rc = EXIT_OK;
	}
done:
	aims_model_free(m);
	aims_artifact_free(art);
	aims_store_free(store);
	return rc;
}

int cmd_model_verify(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_artifact *art = NULL;
	int rc, err;
	if (!cli_get(ctx, "file") && !cli_get(ctx, "dir"))
		return cli_usage(ctx, "missing --file PATH or --dir DIR");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((rc = artifact_arg(&art, ctx, 1)) != EXIT_OK)
		goto done;
	if (!art) {
		rc = EXIT_USAGE;
		goto done;
	}
	err = aims_model_verify(store, ctx->args[0], art);
	if (err < 0 && err != AIMS_ETAMPERED) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *o = json_pack("{s:s, s:b, s:s}", "model", ctx->args[0], "verified", err == 0, "digest", art->digest);
		if (o && err < 0)
			json_object_set_new(o, "error", json_string(aims_error_last()));
		cli_print_json(o);
		rc = err < 0 ? EXIT_INTEGRITY : EXIT_OK;
	} else if (err < 0) {
		rc = cli_fail(err);
	} else {
		printf("%s: ok (%s, %zu file%s)\n", ctx->args[0], art->digest, art->count, art->count == 1 ? "" : "s");
		rc = EXIT_OK;
	}
done:
	aims_artifact_free(art);
	aims_store_free(store);
	return rc;
}

int cmd_model_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_models *l = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_model_list(&l, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++)
			json_array_append_new(a, cli_model_json(l->items[i]));
		rc = cli_print_json(json_pack("{s:o}", "models", a));
		goto done;
	}
	static const char *const hdr[] = { "MODEL", "DIGEST", "FILES", "FRAMEWORK", "RUN", "ORIGIN" };
	cli_table *t = cli_table_new(6, hdr);
	for (size_t i = 0; i < l->count; i++) {
		const aims_model *m = l->items[i];
		char n[32], dg[20];
		snprintf(n, sizeof(n), "%zu", m->nfiles);
		snprintf(dg, sizeof(dg), "%.19s", m->digest ? m->digest : "-");
		const char *row[] = { m->ref + 6, dg, n, m->framework ? m->framework : "-", m->run ? m->run : "-", m->origin };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_models_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_model_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_model *m = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_model_get(&m, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (cli_flag(ctx, "in-toto")) {
		aims_artifact a;
		char *st = NULL;
		memset(&a, 0, sizeof(a));
		if (!m->digest) {
			rc = cli_fail(aims_model_verify(store, ctx->args[0], NULL));
			goto done;
		}
		if (!(a.files = calloc(m->nfiles ? m->nfiles : 1, sizeof(*a.files)))) {
			rc = cli_fail(AIMS_ENOMEM);
			goto done;
		}
		a.count = m->nfiles;
		a.is_dir = m->kind && strcmp(m->kind, "dir") == 0;
		snprintf(a.digest, sizeof(a.digest), "%s", m->digest);
		for (size_t i = 0; i < m->nfiles; i++) {
			a.files[i].path = m->files[i].path;
			snprintf(a.files[i].digest, sizeof(a.files[i].digest), "%s", m->files[i].digest);
			a.files[i].size = (uint64_t)m->files[i].size;
			a.total += a.files[i].size;
		}
		err = aims_artifact_statement(&st, &a, m->name, m->version);
		free(a.files);
		if (err < 0) {
			rc = cli_fail(err);
			goto done;
		}
		printf("%s\n", st);
		free(st);
		rc = EXIT_OK;
	} else if (ctx->json) {
		rc = cli_print_json(cli_model_json(m));
	} else {
		printf("%s\ndigest: %s (%s)\n", m->ref, m->digest ? m->digest : "not recorded", m->kind ? m->kind : "-");
		const char *k[] = { "framework", "licence", "run", "source", "description", "tags", "aliases" };
		const char *v[] = { m->framework, m->licence, m->run, m->source, m->description, m->tags, m->aliases };
		for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
			if (v[i])
				printf("%s: %s\n", k[i], v[i]);
		printf("trained on:%s\n", m->ntrained_on ? "" : " not recorded");
		for (size_t i = 0; i < m->ntrained_on; i++)
			printf("  %s\n", m->trained_on[i]);
		printf("files:%s\n", m->nfiles ? "" : " none");
		for (size_t i = 0; i < m->nfiles; i++)
			printf("  %s  %12lld  %s\n", m->files[i].digest, (long long)m->files[i].size, m->files[i].path);
		printf("origin: %s, record version %lld\n", m->origin, (long long)m->record_version);
		rc = EXIT_OK;
	}
done:
	aims_model_free(m);
	aims_store_free(store);
	return rc;
}
