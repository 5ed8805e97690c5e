/*
 * aims dataset: register datasets by content digest, verify bytes against
 * the registration, list and show them. Also the hashing progress bar the
 * model commands share (on a terminal only).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

const cli_opt cmd_dataset_register_opts[] = {
	{ "file", "PATH", "the dataset's file (required), hashed with SHA-256", OPT_VALUE },
	{ "namespace", "NS", "a namespace, to match the dataset as OpenLineage names it (e.g. s3://bucket)", OPT_VALUE },
	{ "source", "TEXT", "where the data comes from", OPT_VALUE },
	{ "licence", "TEXT", "the data's licence or terms of use", OPT_VALUE },
	{ "collection", "TEXT", "how the data was collected", OPT_VALUE },
	{ "personal-data", "yes|no", "whether it holds personal data", OPT_VALUE },
	{ "limitations", "TEXT", "known limitations", OPT_VALUE },
	{ "biases", "TEXT", "known biases", OPT_VALUE },
	{ "motivation", "TEXT", "why the dataset was created (datasheet: motivation)", OPT_VALUE },
	{ "preprocessing", "TEXT", "cleaning, labelling and other preprocessing", OPT_VALUE },
	{ "uses", "TEXT", "what the data is and is not for", OPT_VALUE },
	{ "distribution", "TEXT", "how it is distributed or shared", OPT_VALUE },
	{ "maintenance", "TEXT", "who maintains it and how", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_dataset_verify_opts[] = {
	{ "file", "PATH", "the file to check (required)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
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

json_t *cli_dataset_json(const aims_dataset *d)
{
	json_t *facets = json_loads(d->facets ? d->facets : "{}", 0, NULL);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:s, s:o, s:I, s:s, s:s}",
			 "ref", d->ref, "namespace", d->ns, "name", d->name, "version", d->version, "digest",
			 jstr(d->digest), "size", d->size >= 0 ? json_integer(d->size) : json_null(), "file", jstr(d->file),
			 "source", jstr(d->source), "licence", jstr(d->licence), "collection", jstr(d->collection),
			 "personal_data", jstr(d->personal_data), "limitations", jstr(d->limitations), "biases",
			 jstr(d->biases), "motivation", jstr(d->motivation), "preprocessing", jstr(d->preprocessing),
			 "uses", jstr(d->uses), "distribution", jstr(d->distribution), "maintenance",
			 jstr(d->maintenance), "origin", d->origin, "facets", facets ? facets : json_object(),
			 "record_version", (json_int_t)d->record_version, "created_at", d->created_at, "updated_at",
			 d->updated_at);
}

static void print_dataset(const aims_dataset *d)
{
	printf("%s\n", d->ref);
	printf("digest: %s\n", d->digest ? d->digest : "not recorded");
	if (d->size >= 0)
		printf("size: %lld bytes%s%s\n", (long long)d->size, d->file ? ", file " : "", d->file ? d->file : "");
	const char *k[] = { "source", "licence", "collection", "personal data", "limitations", "biases", "motivation",
		"preprocessing", "uses", "distribution", "maintenance" };
	const char *v[] = { d->source, d->licence, d->collection, d->personal_data, d->limitations, d->biases,
		d->motivation, d->preprocessing, d->uses, d->distribution, d->maintenance };
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (v[i])
			printf("%s: %s\n", k[i], v[i]);
	printf("origin: %s, record version %lld\n", d->origin, (long long)d->record_version);
	if (d->facets && strcmp(d->facets, "{}") != 0)
		printf("facets: %s\n", d->facets);
}

int cmd_dataset_register(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_artifact *art = NULL;
	aims_dataset *d = NULL;
	aims_dataset_fields f = AIMS_DATASET_FIELDS_INIT;
	const char *file = cli_get(ctx, "file");
	int rc, err, created = 0;

	if (!file)
		return cli_usage(ctx, "missing --file PATH");
	f.ns = cli_get(ctx, "namespace");
	f.source = cli_get(ctx, "source");
	f.licence = cli_get(ctx, "licence");
	f.collection = cli_get(ctx, "collection");
	f.personal_data = cli_get(ctx, "personal-data");
	f.limitations = cli_get(ctx, "limitations");
	f.biases = cli_get(ctx, "biases");
	f.motivation = cli_get(ctx, "motivation");
	f.preprocessing = cli_get(ctx, "preprocessing");
	f.uses = cli_get(ctx, "uses");
	f.distribution = cli_get(ctx, "distribution");
	f.maintenance = cli_get(ctx, "maintenance");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((rc = cli_hash(&art, file, 0)) != EXIT_OK)
		goto done;
	if ((err = aims_dataset_register(&created, store, ctx->args[0], art, &f)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (created && (rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	const char *r = strncmp(ctx->args[0], "dataset:", 8) == 0 ? ctx->args[0] + 8 : ctx->args[0];
	char *full = NULL;
	if (f.ns && *f.ns) {
		size_t n = strlen(f.ns) + strlen(r) + 2;
		if (!(full = malloc(n))) {
			rc = cli_fail(AIMS_ENOMEM);
			goto done;
		}
		snprintf(full, n, "%s#%s", f.ns, r);
	}
	err = aims_dataset_get(&d, store, full ? full : r);
	free(full);
	if (err < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *o = cli_dataset_json(d);
		if (o)
			json_object_set_new(o, "created", json_boolean(created));
		rc = cli_print_json(o);
	} else {
		printf("%s %s %s\n", created ? "registered" : "unchanged (already registered with these bytes):",
		       d->ref, d->digest);
		rc = EXIT_OK;
	}
done:
	aims_dataset_free(d);
	aims_artifact_free(art);
	aims_store_free(store);
	return rc;
}

int cmd_dataset_verify(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_artifact *art = NULL;
	const char *file = cli_get(ctx, "file");
	int rc, err;
	if (!file)
		return cli_usage(ctx, "missing --file PATH");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((rc = cli_hash(&art, file, 0)) != EXIT_OK)
		goto done;
	err = aims_dataset_verify(store, ctx->args[0], art);
	if (err < 0 && err != AIMS_ETAMPERED) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *o = json_pack("{s:s, s:b, s:s}", "dataset", ctx->args[0], "verified", err == 0, "digest", art->digest);
		if (o && err < 0)
			json_object_set_new(o, "error", json_string(aims_error_last()));
		cli_print_json(o);
		rc = err < 0 ? EXIT_INTEGRITY : EXIT_OK;
	} else if (err < 0) {
		rc = cli_fail(err);
	} else {
		printf("%s: ok (%s)\n", file, art->digest);
		rc = EXIT_OK;
	}
done:
	aims_artifact_free(art);
	aims_store_free(store);
	return rc;
}

int cmd_dataset_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_datasets *l = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_dataset_list(&l, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++)
			json_array_append_new(a, cli_dataset_json(l->items[i]));
		rc = cli_print_json(json_pack("{s:o}", "datasets", a));
		goto done;
	}
	static const char *const hdr[] = { "DATASET", "DIGEST", "SIZE", "PERSONAL", "ORIGIN" };
	cli_table *t = cli_table_new(5, hdr);
	for (size_t i = 0; i < l->count; i++) {
		const aims_dataset *d = l->items[i];
		char size[32], dg[20];
		snprintf(size, sizeof(size), "%lld", (long long)d->size);
		snprintf(dg, sizeof(dg), "%.19s", d->digest ? d->digest : "-");
		const char *row[] = { d->ref + 8, dg, d->size >= 0 ? size : "-", d->personal_data ? d->personal_data : "-",
			d->origin };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_datasets_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_dataset_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_dataset *d = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_dataset_get(&d, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		rc = cli_print_json(cli_dataset_json(d));
	} else {
		print_dataset(d);
		rc = EXIT_OK;
	}
done:
	aims_dataset_free(d);
	aims_store_free(store);
	return rc;
}
