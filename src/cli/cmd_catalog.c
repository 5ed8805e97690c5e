/*
 * aims catalog list | show: the framework catalogs in the store.
 */
#include <string.h>

#include "commands.h"

const cli_opt cmd_catalog_show_opts[] = {
	{ "json", NULL, "print JSON instead of text", 0 },
	{ "kind", "KIND", "only requirements of this kind (clause, control, group, function, category, "
			  "subcategory, chapter, section, article, annex, annex-iii-area)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_catalog_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_catalog_list *list = NULL;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_catalog_list_read(&list, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < list->count; i++) {
			const aims_framework *f = &list->items[i];
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
				"framework", f->framework, "title", f->title, "version", f->version,
				"publisher", f->publisher, "source", f->source, "licence", f->licence,
				"requirements", (json_int_t)list->requirement_counts[i],
				"digest", f->digest, "loaded_at", f->loaded_at));
		}
		rc = cli_print_json(json_pack("{s:o}", "frameworks", arr));
		goto done;
	}
	if (list->count == 0) {
		printf("no frameworks loaded (run 'aims init')\n");
		rc = EXIT_OK;
		goto done;
	}
	static const char *const hdr[] = { "FRAMEWORK", "VERSION", "PUBLISHER", "REQS", "TITLE" };
	cli_table *t = cli_table_new(5, hdr);
	for (size_t i = 0; i < list->count; i++) {
		const aims_framework *f = &list->items[i];
		char n[32];
		snprintf(n, sizeof(n), "%zu", list->requirement_counts[i]);
		const char *row[] = { f->framework, f->version, f->publisher, n, f->title };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_catalog_list_free(list);
	aims_store_free(store);
	return rc;
}

static json_t *req_json(const aims_requirement *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "id", r->id, "kind", r->kind, "title", r->title,
			      "parent", str_or_null(r->parent));
	if (o && r->summary)
		json_object_set_new(o, "summary", json_string(r->summary));
	if (o && r->text)
		json_object_set_new(o, "text", json_string(r->text));
	if (o && r->chapter)
		json_object_set_new(o, "chapter", json_string(r->chapter));
	return o;
}

/* is r inside (or equal to) the requirement `root`? */
static int within(const aims_catalog *cat, const aims_requirement *r, const char *root)
{
	for (int depth = 0; r && depth < 64; depth++) {
		if (strcmp(r->id, root) == 0)
			return 1;
		r = r->parent ? aims_catalog_find(cat, r->parent) : NULL;
	}
	return 0;
}

static int depth_of(const aims_catalog *cat, const aims_requirement *r)
{
	int d = 0;
	while (r && r->parent && d < 64) {
		r = aims_catalog_find(cat, r->parent);
		d++;
	}
	return d;
}

int cmd_catalog_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_catalog *cat = NULL;
	const char *framework = ctx->args[0];
	const char *id = ctx->nargs > 1 ? ctx->args[1] : NULL;
	const char *kind = cli_get(ctx, "kind");
	const aims_requirement *top = NULL;
	int rc, err;

	static const char *const kinds[] = { "clause", "control", "group", "function", "category",
		"subcategory", "chapter", "section", "article", "annex", "annex-iii-area" };
	if (kind) {
		size_t k = 0;
		while (k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[k], kind) != 0)
			k++;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			return cli_usage(ctx, "--kind '%s' is not a requirement kind", kind);
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_catalog_read(&cat, store, framework)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (id && !(top = aims_catalog_find(cat, id))) {
		fprintf(stderr, "error: no requirement '%s' in '%s'\n", id, framework);
		rc = EXIT_NOTFOUND;
		goto done;
	}
	const aims_framework *fw = aims_catalog_framework(cat);
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < aims_catalog_count(cat); i++) {
			const aims_requirement *r = aims_catalog_at(cat, i);
			if ((id && !within(cat, r, id)) || (kind && strcmp(r->kind, kind) != 0))
				continue;
			json_array_append_new(arr, req_json(r));
		}
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "framework", fw->framework,
				      "title", fw->title, "version", fw->version, "publisher", fw->publisher,
				      "source", fw->source, "licence", fw->licence);
		if (o && fw->notes)
			json_object_set_new(o, "notes", json_string(fw->notes));
		if (o) {
			json_object_set_new(o, "digest", str_or_null(fw->digest));
			json_object_set_new(o, "loaded_at", str_or_null(fw->loaded_at));
			json_object_set_new(o, "requirements", arr);
		} else {
			json_decref(arr);
		}
		rc = cli_print_json(o);
		goto done;
	}
	int width = cli_term_width();
	if (top) {
		printf("%s %s: %s\n", fw->framework, top->id, top->title);
		printf("  kind:    %s\n", top->kind);
		printf("  parent:  %s\n", top->parent ? top->parent : "-");
		if (top->chapter)
			printf("  chapter: %s\n", top->chapter);
		if (top->summary) {
			printf("\n");
			cli_wrap(stdout, top->summary, 2, width ? width : 100);
		}
		if (top->text) {
			printf("\n");
			cli_wrap(stdout, top->text, 2, width ? width : 100);
		}
	} else {
		printf("%s: %s (%s, %s)\n", fw->framework, fw->title, fw->publisher, fw->version);
		printf("source:  %s\n", fw->source);
		printf("licence: %s\n", fw->licence);
	}
	static const char *const hdr[] = { "ID", "KIND", "TITLE" };
	cli_table *t = cli_table_new(3, hdr);
	int base = top ? depth_of(cat, top) + 1 : 0;
	size_t shown = 0;
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if ((top && (r == top || !within(cat, r, id))) || (kind && strcmp(r->kind, kind) != 0))
			continue;
		char ind[160];
		int d = depth_of(cat, r) - base;
		if (kind)
			d = 0;
		snprintf(ind, sizeof(ind), "%*s%s", d > 0 ? 2 * d : 0, "", r->id);
		const char *row[] = { ind, r->kind, r->title };
		cli_table_add(t, row);
		shown++;
	}
	if (shown) {
		printf("\n");
		cli_table_print(t, stdout);
	}
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_catalog_free(cat);
	aims_store_free(store);
	return rc;
}
