/*
 * aims dataset: register datasets by content digest, verify bytes against
 * the registration, list and show them. The work and the JSON are the
 * library's operations (dataset.*); this file hashes the user's file where
 * it is (a prepare hook: the operation gets the digest, locally or over the
 * API) and prints the results for people. Also what the model and lineage
 * commands share: the hashing progress bar (on a terminal only), the
 * permission check before hashing, and the stored form of JSON values.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

const cli_opt cmd_dataset_register_opts[] = {
	{ "file", "PATH", "the dataset's file (required), hashed with SHA-256", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_dataset_verify_opts[] = {
	{ "file", "PATH", "the file to check (required)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

void cli_hash_progress(uint64_t done, uint64_t total, void *arg)
{
	int *last = arg;
	if (total < ((uint64_t)64 << 20))
		return; /* small inputs: no bar */
	int pct = (int)(done * 100 / total);
	if (pct == *last)
		return;
	*last = pct;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\rhashing [%s] %3d%% %llu/%llu MiB", bar, pct, (unsigned long long)(done >> 20),
		(unsigned long long)(total >> 20));
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cli_hash(aims_artifact **out, const char *path, int dir)
{
	int last = -1, err;
	int tty = isatty(STDERR_FILENO);
	err = aims_artifact_hash(out, path, dir, tty ? cli_hash_progress : NULL, &last);
	if (tty && last >= 0 && last < 100)
		fputc('\n', stderr);
	return err < 0 ? cli_fail(err) : EXIT_OK;
}

int cmd_inventory_permitted(cli_ctx *ctx)
{
	const aims_op *op = aims_op_find(ctx->cmd->op);
	aims_store *store = NULL;
	int rc, err;
	/* on a server, the server decides (and says so before anything is sent) */
	if (ctx->server || !op)
		return EXIT_OK;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	err = aims_permission_check(aims_store_principal(store), op->perm);
	aims_store_free(store);
	return err < 0 ? cli_fail(err) : EXIT_OK;
}

int cmd_inventory_hash(json_t *req, const char *path, int dir)
{
	aims_artifact *art = NULL;
	int rc = cli_hash(&art, path, dir);
	if (rc != EXIT_OK)
		return rc;
	json_t *a = aims_artifact_json(art);
	aims_artifact_free(art);
	if (!a || json_object_set_new(req, "artifact", a) < 0)
		return cli_fail(AIMS_ENOMEM);
	return EXIT_OK;
}

char *cmd_inventory_json_text(const json_t *v)
{
	/* as the inventory stores it: compact, sorted keys, ASCII, reals with 15 significant digits when
	 * that is exact (0.05 stays 0.05), else 17 */
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	json_t *back = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
	int exact = back && json_equal(back, (json_t *)v);
	json_decref(back);
	if (s && !exact) {
		free(s);
		s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY |
			       JSON_REAL_PRECISION(17));
	}
	return s;
}

/* ---- register and verify: the file is hashed here, the operation gets its digest ---- */

int cmd_dataset_prepare(cli_ctx *ctx, json_t *req)
{
	const char *file = cli_get(ctx, "file");
	int rc;
	/* a principal without the permission is told so before a large file is read */
	if ((rc = cmd_inventory_permitted(ctx)) != EXIT_OK)
		return rc;
	if (!file)
		return cli_usage(ctx, "missing --file PATH");
	return cmd_inventory_hash(req, file, 0);
}

int cmd_dataset_render_register(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *d = res->json;
	(void)ctx;
	printf("%s %s %s\n", json_is_true(json_object_get(d, "created")) ? "registered" :
	       "unchanged (already registered with these bytes):", js(d, "ref"), js(d, "digest"));
	return EXIT_OK;
}

int cmd_dataset_render_verify(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *v = res->json;
	if (!json_is_true(json_object_get(v, "verified"))) {
		fprintf(stderr, "error: %s\n", js(v, "error"));
		return EXIT_OK; /* the outcome gives the exit status */
	}
	printf("%s: ok (%s)\n", cli_get(ctx, "file"), js(v, "digest"));
	return EXIT_OK;
}

/* ---- reading ---- */

int cmd_dataset_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "DATASET", "DIGEST", "SIZE", "PERSONAL", "ORIGIN" };
	cli_table *t = cli_table_new(5, hdr);
	size_t i;
	json_t *d;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "datasets"), i, d) {
		const char *ref = js(d, "ref");
		json_t *size = json_object_get(d, "size");
		char sz[32], dg[20];
		snprintf(sz, sizeof(sz), "%lld", (long long)json_integer_value(size));
		snprintf(dg, sizeof(dg), "%.19s", js(d, "digest"));
		const char *row[] = { strncmp(ref, "dataset:", 8) == 0 ? ref + 8 : ref, dg, json_is_integer(size) ? sz : "-",
			js(d, "personal_data"), js(d, "origin") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_dataset_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const label[] = { "source", "licence", "collection", "personal data", "limitations", "biases",
		"motivation", "preprocessing", "uses", "distribution", "maintenance" };
	static const char *const key[] = { "source", "licence", "collection", "personal_data", "limitations", "biases",
		"motivation", "preprocessing", "uses", "distribution", "maintenance" };
	const json_t *d = res->json, *size = json_object_get(d, "size"), *facets = json_object_get(d, "facets");
	const char *file = json_string_value(json_object_get(d, "file"));
	(void)ctx;
	printf("%s\n", js(d, "ref"));
	printf("digest: %s\n", json_is_string(json_object_get(d, "digest")) ? js(d, "digest") : "not recorded");
	if (json_is_integer(size))
		printf("size: %lld bytes%s%s\n", (long long)json_integer_value(size), file ? ", file " : "", file ? file : "");
	for (size_t i = 0; i < sizeof(key) / sizeof(key[0]); i++) {
		const char *v = json_string_value(json_object_get(d, key[i]));
		if (v)
			printf("%s: %s\n", label[i], v);
	}
	printf("origin: %s, record version %lld\n", js(d, "origin"),
	       (long long)json_integer_value(json_object_get(d, "record_version")));
	if (json_object_size(facets)) {
		char *text = cmd_inventory_json_text(facets);
		printf("facets: %s\n", text ? text : "?");
		free(text);
	}
	return EXIT_OK;
}
