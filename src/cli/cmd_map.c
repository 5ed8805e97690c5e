/*
 * aims map list | show | path: the crosswalks between frameworks in the
 * store, their rows, and the paths of one or two rows that lead from a
 * requirement of one framework to requirements of another. The work and
 * the JSON are the library's operations (map.list, map.show, map.path);
 * this file prints their documents for people.
 */
#include <string.h>

#include "commands.h"

const cli_opt cmd_map_opts[] = {
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

int cmd_map_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "FROM", "TO", "ROWS", "TITLE" };
	const json_t *list = json_object_get(res->json, "crosswalks");
	size_t i;
	json_t *c;
	(void)ctx;
	if (json_array_size(list) == 0) {
		printf("no crosswalks loaded (run 'aims init')\n");
		return EXIT_OK;
	}
	cli_table *t = cli_table_new(4, hdr);
	json_array_foreach(list, i, c) {
		char n[32];
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(json_object_get(c, "rows")));
		const char *row[] = { js(c, "from"), js(c, "to"), n, js(c, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* the options the rows need, checked before anything is asked (as always: exit 2) */
int cmd_map_show(cli_ctx *ctx)
{
	const char *from = cli_get(ctx, "from"), *to = cli_get(ctx, "to"), *target = cli_get(ctx, "target");
	if (!from || !*from || !to || !*to)
		return cli_usage(ctx, "--from FRAMEWORK and --to FRAMEWORK are required");
	if (target && !*target)
		return cli_usage(ctx, "--target needs a requirement id");
	return cli_run_op(ctx);
}

int cmd_map_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *o = res->json, *maps = json_object_get(o, "mappings");
	const char *target = cli_get(ctx, "target"), *from = js(o, "from"), *to = js(o, "to");
	int width = cli_term_width();
	size_t i;
	json_t *m;

	printf("%s -> %s: %s\n", from, to, js(o, "title"));
	printf("source:  %s\n", js(o, "source"));
	printf("licence: %s\n", js(o, "licence"));
	if (json_is_true(json_object_get(o, "inverted")))
		printf("read inverted from the stored crosswalk %s -> %s\n", to, from);
	if (target) {
		json_array_foreach(json_object_get(o, "targets"), i, m) {
			const char *adds = json_string_value(json_object_get(m, "adds"));
			if (!adds || strcmp(js(m, "id"), target) != 0)
				continue;
			printf("\nwhat %s %s adds:\n", to, target);
			cli_wrap(stdout, adds, 2, width ? width : 100);
			break;
		}
	}
	/* a crosswalk with roles (whom the target binds, on every row or none) shows them in their own column */
	int roles = json_object_get(json_array_get(maps, 0), "role") != NULL;
	static const char *const hdr[] = { "SOURCE", "REL", "TARGET", "CONF", "EXPLANATION" };
	static const char *const hdr_roles[] = { "SOURCE", "REL", "TARGET", "ROLE", "CONF", "EXPLANATION" };
	cli_table *t = roles ? cli_table_new(6, hdr_roles) : cli_table_new(5, hdr);
	json_array_foreach(maps, i, m) {
		const char *row[] = { js(m, "source"), js(m, "relationship"), js(m, "target"), js(m, "confidence"),
				      js(m, "explanation") };
		const char *row_roles[] = { js(m, "source"), js(m, "relationship"), js(m, "target"), js(m, "role"),
					    js(m, "confidence"), js(m, "explanation") };
		cli_table_add(t, roles ? row_roles : row);
	}
	printf("\n");
	if (json_array_size(maps))
		cli_table_print(t, stdout);
	else
		printf("no rows for %s %s\n", to, target ? target : "");
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_map_render_path(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *from = json_object_get(res->json, "from"), *to = json_object_get(res->json, "to");
	const json_t *paths = json_object_get(res->json, "paths");
	const char *to_id = json_string_value(json_object_get(to, "id"));
	int width = cli_term_width();
	size_t n = json_array_size(paths), i, h;
	json_t *p, *x;
	(void)ctx;

	/* no path: a finding (the operation's outcome gives exit 1) */
	if (n == 0) {
		printf("no path from %s:%s to %s%s%s\n", js(from, "framework"), js(from, "id"), js(to, "framework"),
		       to_id ? ":" : "", to_id ? to_id : "");
		return EXIT_OK;
	}
	printf("%s:%s -> %s%s%s: %zu path%s\n", js(from, "framework"), js(from, "id"), js(to, "framework"),
	       to_id ? ":" : "", to_id ? to_id : "", n, n == 1 ? "" : "s");
	json_array_foreach(paths, i, p) {
		const json_t *hops = json_object_get(p, "hops");
		size_t nh = json_array_size(hops);
		printf("\n%zu. %s support, %zu hop%s\n", i + 1, js(p, "support"), nh, nh == 1 ? "" : "s");
		json_array_foreach(hops, h, x) {
			const char *role = json_string_value(json_object_get(x, "role"));
			printf("   %s %s %s (confidence %s%s%s%s)\n", js(x, "from"), js(x, "relationship"), js(x, "to"),
			       js(x, "confidence"), role ? ", binds " : "", role ? role : "",
			       json_is_true(json_object_get(x, "reversed")) ? "; row read against its direction" : "");
			cli_wrap(stdout, js(x, "explanation"), 6, width ? width : 100);
		}
	}
	return EXIT_OK;
}
