/*
 * aims catalog list | show: the framework catalogs in the store. The work
 * and the JSON are the library's operations (catalog.list, catalog.show);
 * this file prints their results for people.
 */
#include <string.h>

#include "commands.h"

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

int cmd_catalog_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "FRAMEWORK", "VERSION", "PUBLISHER", "REQS", "TITLE" };
	const json_t *list = json_object_get(res->json, "frameworks");
	size_t i;
	json_t *f;
	(void)ctx;
	if (json_array_size(list) == 0) {
		printf("no frameworks loaded (run 'aims init')\n");
		return EXIT_OK;
	}
	cli_table *t = cli_table_new(5, hdr);
	json_array_foreach(list, i, f) {
		char n[32];
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(json_object_get(f, "requirements")));
		const char *row[] = { js(f, "framework"), js(f, "version"), js(f, "publisher"), n, js(f, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/*
 * --kind is checked before the store is opened (exit 2, as a usage error).
 * For people the whole requirement (or framework) is asked for and the
 * renderer filters by kind itself: the text shows the requirement named by
 * ID in full even when it is not of that kind.
 */
int cmd_catalog_show_prepare(cli_ctx *ctx, json_t *req)
{
	const char *kind = cli_get(ctx, "kind");
	const char *const *k = aims_requirement_kinds;
	if (!kind)
		return EXIT_OK;
	while (*k && strcmp(*k, kind) != 0)
		k++;
	if (!*k)
		return cli_usage(ctx, "--kind '%s' is not a requirement kind", kind);
	if (!ctx->json)
		json_object_del(req, "kind");
	return EXIT_OK;
}

/* depth of a requirement among those of the document: parents outside it end the walk */
static int depth_of(const json_t *index, const json_t *r)
{
	int d = 0;
	const char *parent;
	while (r && (parent = json_string_value(json_object_get(r, "parent"))) != NULL && d < 64) {
		r = json_object_get(index, parent);
		if (r)
			d++;
	}
	return d;
}

int cmd_catalog_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *fw = res->json;
	const json_t *reqs = json_object_get(fw, "requirements");
	const char *id = ctx->nargs > 1 ? ctx->args[1] : NULL;
	const char *kind = cli_get(ctx, "kind");
	json_t *index = json_object(), *r;
	const json_t *top = NULL;
	size_t i;

	if (!index) {
		fprintf(stderr, "error: out of memory\n");
		return EXIT_FAILURE_;
	}
	json_array_foreach(reqs, i, r)
		if (json_object_set(index, js(r, "id"), r) < 0) {
			json_decref(index);
			fprintf(stderr, "error: out of memory\n");
			return EXIT_FAILURE_;
		}
	top = id ? json_object_get(index, id) : NULL;
	int width = cli_term_width();
	if (top) {
		printf("%s %s: %s\n", js(fw, "framework"), js(top, "id"), js(top, "title"));
		printf("  kind:    %s\n", js(top, "kind"));
		printf("  parent:  %s\n", js(top, "parent"));
		if (json_object_get(top, "chapter"))
			printf("  chapter: %s\n", js(top, "chapter"));
		if (json_object_get(top, "summary")) {
			printf("\n");
			cli_wrap(stdout, js(top, "summary"), 2, width ? width : 100);
		}
		if (json_object_get(top, "text")) {
			printf("\n");
			cli_wrap(stdout, js(top, "text"), 2, width ? width : 100);
		}
	} else {
		printf("%s: %s (%s, %s)\n", js(fw, "framework"), js(fw, "title"), js(fw, "publisher"), js(fw, "version"));
		printf("source:  %s\n", js(fw, "source"));
		printf("licence: %s\n", js(fw, "licence"));
	}
	static const char *const hdr[] = { "ID", "KIND", "TITLE" };
	cli_table *t = cli_table_new(3, hdr);
	int base = top ? depth_of(index, top) + 1 : 0;
	size_t shown = 0;
	json_array_foreach(reqs, i, r) {
		if (r == top || (kind && strcmp(js(r, "kind"), kind) != 0))
			continue;
		char ind[160];
		int d = kind ? 0 : depth_of(index, r) - base;
		snprintf(ind, sizeof(ind), "%*s%s", d > 0 ? 2 * d : 0, "", js(r, "id"));
		const char *row[] = { ind, js(r, "kind"), js(r, "title") };
		cli_table_add(t, row);
		shown++;
	}
	if (shown) {
		printf("\n");
		cli_table_print(t, stdout);
	}
	cli_table_free(t);
	json_decref(index);
	return EXIT_OK;
}
