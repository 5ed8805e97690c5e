/*
 * aims status and aims version: the first report on a store, and versions.
 */
#include <string.h>

#include "commands.h"

#define MAX_KINDS 16

typedef struct {
	const char *kind;
	size_t n;
} kind_count;

static size_t count_kinds(const aims_catalog *cat, kind_count *out)
{
	size_t nk = 0;
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const char *k = aims_catalog_at(cat, i)->kind;
		size_t j = 0;
		while (j < nk && strcmp(out[j].kind, k) != 0)
			j++;
		if (j == nk) {
			if (nk == MAX_KINDS)
				continue;
			out[nk].kind = k;
			out[nk].n = 0;
			nk++;
		}
		out[j].n++;
	}
	return nk;
}

int cmd_status(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_catalog_list *list = NULL;
	char *org[3] = { NULL, NULL, NULL };
	static const char *const keys[] = { "org.name", "org.sector", "org.country" };
	char digest[65];
	json_t *fws = NULL;
	aims_crosswalk_list *cws = NULL;
	aims_isms_info *isms = NULL;
	size_t nisms = 0;
	int rc, err = 0;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	for (int i = 0; i < 3 && err == 0; i++)
		err = aims_store_setting_get(&org[i], store, keys[i]);
	if (err < 0 || (err = aims_catalog_list_read(&list, store)) < 0 ||
	    (err = aims_crosswalk_list_read(&cws, store)) < 0 ||
	    (err = aims_isms_versions(&isms, &nisms, store)) < 0 ||
	    (err = aims_store_content_digest(digest, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	const aims_isms_info *last = nisms ? &isms[nisms - 1] : NULL;
	if (ctx->json)
		fws = json_array();
	else {
		printf("organization: %s", org[0] ? org[0] : "(not set: 'aims org set --name NAME')");
		if (org[1] || org[2])
			printf(" (%s%s%s)", org[1] ? org[1] : "", org[1] && org[2] ? ", " : "",
			       org[2] ? org[2] : "");
		printf("\nstore:        %s '%s', schema %d\n", aims_store_backend(store),
		       aims_store_location(store), aims_store_schema_version(store));
		printf("content:      sha256:%s\n", digest);
		if (last)
			printf("ISMS state:   version %lld, %zu rows from '%s' (%s)\n", (long long)last->version,
			       last->rows, last->source, last->imported_at);
		else
			printf("ISMS state:   none ('aims isms import FILE')\n");
		printf("crosswalks:   %zu\n\n", cws->count);
	}
	cli_table *t = NULL;
	if (!ctx->json) {
		static const char *const hdr[] = { "FRAMEWORK", "VERSION", "REQS", "BY KIND" };
		t = cli_table_new(4, hdr);
	}
	for (size_t i = 0; i < list->count; i++) {
		aims_catalog *cat = NULL;
		kind_count kc[MAX_KINDS];
		if ((err = aims_catalog_read(&cat, store, list->items[i].framework)) < 0) {
			rc = cli_fail(err);
			cli_table_free(t);
			goto done;
		}
		size_t nk = count_kinds(cat, kc);
		if (ctx->json) {
			json_t *kinds = json_object();
			for (size_t k = 0; kinds && k < nk; k++)
				json_object_set_new(kinds, kc[k].kind, json_integer((json_int_t)kc[k].n));
			json_array_append_new(fws, json_pack("{s:s, s:s, s:s, s:I, s:o}",
				"framework", list->items[i].framework, "title", list->items[i].title,
				"version", list->items[i].version,
				"requirements", (json_int_t)aims_catalog_count(cat), "kinds", kinds));
		} else {
			char by[256] = "", n[32];
			size_t len = 0;
			for (size_t k = 0; k < nk; k++) {
				int w = snprintf(by + len, sizeof(by) - len, "%s%zu %s", k ? ", " : "",
						 kc[k].n, kc[k].kind);
				if (w < 0 || (size_t)w >= sizeof(by) - len)
					break;
				len += (size_t)w;
			}
			snprintf(n, sizeof(n), "%zu", aims_catalog_count(cat));
			const char *row[] = { list->items[i].framework, list->items[i].version, n, by };
			cli_table_add(t, row);
		}
		aims_catalog_free(cat);
	}
	if (ctx->json) {
		json_t *o = json_object();
		for (int i = 0; o && i < 3; i++)
			json_object_set_new(o, keys[i] + 4, org[i] ? json_string(org[i]) : json_null());
		json_t *ij = last ? json_pack("{s:I, s:s, s:s, s:I}", "version", (json_int_t)last->version,
					      "source", last->source, "imported_at", last->imported_at,
					      "rows", (json_int_t)last->rows) : json_null();
		rc = cli_print_json(json_pack("{s:o, s:{s:s, s:s, s:i, s:s}, s:o, s:I, s:o}", "organization", o,
			"store", "backend", aims_store_backend(store), "location", aims_store_location(store),
			"schema_version", aims_store_schema_version(store), "content_digest", digest,
			"frameworks", fws, "crosswalks", (json_int_t)cws->count, "isms", ij));
		fws = NULL;
	} else {
		if (list->count)
			cli_table_print(t, stdout);
		else
			printf("no frameworks loaded (run 'aims init')\n");
		cli_table_free(t);
		rc = EXIT_OK;
	}
done:
	json_decref(fws);
	for (int i = 0; i < 3; i++)
		free(org[i]);
	aims_catalog_list_free(list);
	aims_crosswalk_list_free(cws);
	aims_isms_versions_free(isms, nisms);
	aims_store_free(store);
	return rc;
}

int cmd_version(cli_ctx *ctx)
{
	if (ctx->json)
		return cli_print_json(json_pack("{s:s, s:i}", "version", aims_version(),
						"schema", aims_store_schema_latest()));
	printf("aims %s (store schema %d)\n", aims_version(), aims_store_schema_latest());
	return EXIT_OK;
}
