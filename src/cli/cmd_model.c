/*
 * aims model: register models by content digest (a file, or a directory
 * with per-file digests and a manifest digest), verify, list and show them
 * with their in-toto statement. The work and the JSON are the library's
 * operations (model.*); this file hashes the user's file or directory where
 * it is (a prepare hook) and prints the results for people.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_model_register_opts[] = {
	{ "file", "PATH", "the model artifact as one file", OPT_VALUE },
	{ "dir", "DIR", "the model artifact as a directory (every regular file under it)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_model_verify_opts[] = {
	{ "file", "PATH", "the file to check", OPT_VALUE },
	{ "dir", "DIR", "the directory to check", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_model_show_opts[] = {
	{ "in-toto", NULL, "print the in-toto Statement whose subjects are the model's files", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

/* register and verify: --file PATH or --dir DIR, hashed here; the operation gets the digests */
int cmd_model_prepare(cli_ctx *ctx, json_t *req)
{
	const char *file = cli_get(ctx, "file"), *dir = cli_get(ctx, "dir");
	int rc;
	/* a principal without the permission is told so before the files are read */
	if ((rc = cmd_inventory_permitted(ctx)) != EXIT_OK)
		return rc;
	if (!file && !dir)
		return cli_usage(ctx, "missing --file PATH or --dir DIR");
	if (file && dir)
		return cli_usage(ctx, "give --file PATH or --dir DIR, not both");
	return cmd_inventory_hash(req, file ? file : dir, dir != NULL);
}

int cmd_model_render_register(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *m = res->json;
	size_t n = json_array_size(json_object_get(m, "files"));
	(void)ctx;
	printf("%s %s %s (%zu file%s)\n", json_is_true(json_object_get(m, "created")) ? "registered" :
	       "unchanged (already registered with this artifact):", js(m, "ref"), js(m, "digest"), n, n == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_model_render_verify(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *v = res->json;
	long long n = (long long)json_integer_value(json_object_get(v, "files"));
	(void)ctx;
	if (!json_is_true(json_object_get(v, "verified"))) {
		fprintf(stderr, "error: %s\n", js(v, "error"));
		return EXIT_OK; /* the outcome gives the exit status */
	}
	printf("%s: ok (%s, %lld file%s)\n", js(v, "model"), js(v, "digest"), n, n == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_model_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "MODEL", "DIGEST", "FILES", "FRAMEWORK", "RUN", "ORIGIN" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *m;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "models"), i, m) {
		const char *ref = js(m, "ref");
		char n[32], dg[20];
		snprintf(n, sizeof(n), "%zu", json_array_size(json_object_get(m, "files")));
		snprintf(dg, sizeof(dg), "%.19s", js(m, "digest"));
		const char *row[] = { strncmp(ref, "model:", 6) == 0 ? ref + 6 : ref, dg, n, js(m, "framework"), js(m, "run"),
			js(m, "origin") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* show --in-toto: the operation's in-toto format (printed as it comes) */
int cmd_model_show_prepare(cli_ctx *ctx, json_t *req)
{
	if (cli_flag(ctx, "in-toto") && json_object_set_new(req, "format", json_string("in-toto")) < 0)
		return cli_fail(AIMS_ENOMEM);
	return EXIT_OK;
}

int cmd_model_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const key[] = { "framework", "licence", "run", "source", "description", "tags", "aliases" };
	const json_t *m = res->json;
	size_t i;
	json_t *x;
	(void)ctx;
	printf("%s\ndigest: %s (%s)\n", js(m, "ref"),
	       json_is_string(json_object_get(m, "digest")) ? js(m, "digest") : "not recorded", js(m, "kind"));
	for (i = 0; i < sizeof(key) / sizeof(key[0]); i++) {
		x = json_object_get(m, key[i]);
		if (json_is_string(x)) {
			printf("%s: %s\n", key[i], json_string_value(x));
		} else if (x && !json_is_null(x)) {
			/* tags and aliases: the JSON as stored */
			char *text = cmd_inventory_json_text(x);
			printf("%s: %s\n", key[i], text ? text : "?");
			free(text);
		}
	}
	json_t *ds = json_object_get(m, "trained_on"), *files = json_object_get(m, "files");
	printf("trained on:%s\n", json_array_size(ds) ? "" : " not recorded");
	json_array_foreach(ds, i, x) {
		printf("  %s\n", json_string_value(x));
	}
	printf("files:%s\n", json_array_size(files) ? "" : " none");
	json_array_foreach(files, i, x) {
		printf("  %s  %12lld  %s\n", js(x, "digest"), (long long)json_integer_value(json_object_get(x, "size")),
		       js(x, "path"));
	}
	printf("origin: %s, record version %lld\n", js(m, "origin"),
	       (long long)json_integer_value(json_object_get(m, "record_version")));
	return EXIT_OK;
}
