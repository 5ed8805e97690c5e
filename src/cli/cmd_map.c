/*
 * aims map list | show | path: the crosswalks between frameworks in the
 * store, their rows, and the paths of one or two rows that lead from a
 * requirement of one framework to requirements of another.
 */
#include <string.h>

#include "aims/crosswalk.h"
#include "commands.h"

const cli_opt cmd_map_show_opts[] = {
	{ "from", "FRAMEWORK", "the framework the rows start from (required)", OPT_VALUE },
	{ "to", "FRAMEWORK", "the framework the rows lead to (required)", OPT_VALUE },
	{ "target", "ID", "only the rows for this requirement of the --to framework", OPT_VALUE },
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ NULL, NULL, NULL, 0 }
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_map_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_crosswalk_list *list = NULL;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_crosswalk_list_read(&list, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < list->count; i++) {
			const aims_crosswalk_info *c = &list->items[i];
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "from", c->from, "to", c->to,
					      "title", c->title, "source", c->source, "licence", c->licence,
					      "method", c->method);
			if (o && c->notes)
				json_object_set_new(o, "notes", json_string(c->notes));
			if (o) {
				json_object_set_new(o, "rows", json_integer((json_int_t)list->row_counts[i]));
				json_object_set_new(o, "digest", str_or_null(c->digest));
				json_object_set_new(o, "loaded_at", str_or_null(c->loaded_at));
			}
			json_array_append_new(arr, o);
		}
		rc = cli_print_json(json_pack("{s:o}", "crosswalks", arr));
		goto done;
	}
	if (list->count == 0) {
		printf("no crosswalks loaded (run 'aims init')\n");
		rc = EXIT_OK;
		goto done;
	}
	static const char *const hdr[] = { "FROM", "TO", "ROWS", "TITLE" };
	cli_table *t = cli_table_new(4, hdr);
	for (size_t i = 0; i < list->count; i++) {
		const aims_crosswalk_info *c = &list->items[i];
		char n[32];
		snprintf(n, sizeof(n), "%zu", list->row_counts[i]);
		const char *row[] = { c->from, c->to, n, c->title };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_crosswalk_list_free(list);
	aims_store_free(store);
	return rc;
}

/* with --target: is the id a requirement of the framework? (exit 5 when not) */
static int check_target(aims_store *store, const char *framework, const char *id)
{
	aims_catalog *cat = NULL;
	int err = aims_catalog_read(&cat, store, framework);
	if (err < 0)
		return cli_fail(err);
	int found = aims_catalog_find(cat, id) != NULL;
	aims_catalog_free(cat);
	if (!found) {
		fprintf(stderr, "error: no requirement '%s' in '%s'\n", id, framework);
		return EXIT_NOTFOUND;
	}
	return EXIT_OK;
}

static json_t *show_json(const aims_crosswalk *cw, const char *target)
{
	const aims_crosswalk_info *in = aims_crosswalk_info_get(cw);
	json_t *maps = json_array(), *targets = json_array();
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "from", in->from, "to", in->to,
			      "title", in->title, "source", in->source, "licence", in->licence,
			      "method", in->method);

	if (!o || !maps || !targets) {
		json_decref(o);
		json_decref(maps);
		json_decref(targets);
		return NULL;
	}
	if (in->notes)
		json_object_set_new(o, "notes", json_string(in->notes));
	json_object_set_new(o, "digest", str_or_null(in->digest));
	json_object_set_new(o, "inverted", json_boolean(aims_crosswalk_inverted(cw)));
	for (size_t i = 0; i < aims_crosswalk_count(cw); i++) {
		const aims_mapping *m = aims_crosswalk_at(cw, i);
		if (target && strcmp(m->target, target) != 0)
			continue;
		json_t *row = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}",
			"source", str_or_null(m->source), "target", m->target,
			"relationship", m->relationship, "rationale", m->rationale,
			"confidence", m->confidence, "explanation", m->explanation);
		if (row && m->role)
			json_object_set_new(row, "role", json_string(m->role));
		json_array_append_new(maps, row);
	}
	for (size_t i = 0; i < aims_crosswalk_target_count(cw); i++) {
		const char *id = NULL, *adds = NULL;
		aims_crosswalk_target_at(cw, i, &id, &adds);
		if (target && strcmp(id, target) != 0)
			continue;
		json_array_append_new(targets, json_pack("{s:s, s:s}", "id", id, "adds", adds));
	}
	json_object_set_new(o, "mappings", maps);
	json_object_set_new(o, "targets", targets);
	return o;
}

int cmd_map_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_crosswalk *cw = NULL;
	const char *from = cli_get(ctx, "from"), *to = cli_get(ctx, "to");
	const char *target = cli_get(ctx, "target");
	int rc, err;

	if (!from || !*from || !to || !*to)
		return cli_usage(ctx, "--from FRAMEWORK and --to FRAMEWORK are required");
	if (target && !*target)
		return cli_usage(ctx, "--target needs a requirement id");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_crosswalk_read(&cw, store, from, to)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (target && (rc = check_target(store, to, target)) != EXIT_OK)
		goto done;
	if (ctx->json) {
		rc = cli_print_json(show_json(cw, target));
		goto done;
	}
	const aims_crosswalk_info *in = aims_crosswalk_info_get(cw);
	int width = cli_term_width();
	printf("%s -> %s: %s\n", in->from, in->to, in->title);
	printf("source:  %s\n", in->source);
	printf("licence: %s\n", in->licence);
	if (aims_crosswalk_inverted(cw))
		printf("read inverted from the stored crosswalk %s -> %s\n", in->to, in->from);
	if (target) {
		const char *adds = aims_crosswalk_adds(cw, target);
		if (adds) {
			printf("\nwhat %s %s adds:\n", in->to, target);
			cli_wrap(stdout, adds, 2, width ? width : 100);
		}
	}
	/* a crosswalk with roles (whom the target binds) shows them in their own column */
	int roles = aims_crosswalk_count(cw) > 0 && aims_crosswalk_at(cw, 0)->role != NULL;
	static const char *const hdr[] = { "SOURCE", "REL", "TARGET", "CONF", "EXPLANATION" };
	static const char *const hdr_roles[] = { "SOURCE", "REL", "TARGET", "ROLE", "CONF", "EXPLANATION" };
	cli_table *t = roles ? cli_table_new(6, hdr_roles) : cli_table_new(5, hdr);
	size_t shown = 0;
	for (size_t i = 0; i < aims_crosswalk_count(cw); i++) {
		const aims_mapping *m = aims_crosswalk_at(cw, i);
		if (target && strcmp(m->target, target) != 0)
			continue;
		const char *row[] = { m->source ? m->source : "-", m->relationship, m->target,
				      m->confidence, m->explanation };
		const char *row_roles[] = { m->source ? m->source : "-", m->relationship, m->target,
					    m->role ? m->role : "-", m->confidence, m->explanation };
		cli_table_add(t, roles ? row_roles : row);
		shown++;
	}
	printf("\n");
	if (shown)
		cli_table_print(t, stdout);
	else
		printf("no rows for %s %s\n", in->to, target ? target : "");
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_crosswalk_free(cw);
	aims_store_free(store);
	return rc;
}

/* split "FRAMEWORK:ID" (id required) or, when id_optional, "FRAMEWORK" */
static int split_ref(const char *arg, char *fw, size_t fwsize, const char **id, int id_optional)
{
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);

	*id = NULL;
	if (n == 0 || n >= fwsize || (!colon && !id_optional) || (colon && !colon[1]))
		return -1;
	memcpy(fw, arg, n);
	fw[n] = '\0';
	*id = colon ? colon + 1 : NULL;
	return 0;
}

static const char *support_name(int support)
{
	return support == AIMS_SUPPORT_FULL ? "full" : support == AIMS_SUPPORT_PARTIAL ? "partial" : "none";
}

static json_t *ref_json(const char *fw, const char *id)
{
	return json_pack("{s:s, s:o}", "framework", fw, "id", str_or_null(id));
}

static json_t *node_str(const char *fw, const char *id)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s:%s", fw, id);
	return json_string(buf);
}

static json_t *paths_json(const aims_path_list *list, const char *from_fw, const char *from_id,
			  const char *to_fw, const char *to_id)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < list->count; i++) {
		const aims_path *p = &list->items[i];
		json_t *hops = json_array();
		for (size_t h = 0; hops && h < p->nhops; h++) {
			const aims_hop *x = &p->hops[h];
			json_t *hop = json_pack("{s:o, s:o, s:s, s:s, s:s, s:b}",
				"from", node_str(x->from_framework, x->from_id),
				"to", node_str(x->to_framework, x->to_id),
				"relationship", x->relationship, "confidence", x->confidence,
				"explanation", x->explanation, "reversed", x->reversed);
			if (hop && x->role)
				json_object_set_new(hop, "role", json_string(x->role));
			json_array_append_new(hops, hop);
		}
		json_array_append_new(arr, json_pack("{s:s, s:o}", "support", support_name(p->support),
						     "hops", hops));
	}
	return json_pack("{s:o, s:o, s:o}", "from", ref_json(from_fw, from_id), "to", ref_json(to_fw, to_id),
			 "paths", arr);
}

int cmd_map_path(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_path_list *list = NULL;
	char from_fw[128], to_fw[128];
	const char *from_id, *to_id;
	int rc, err;

	if (split_ref(ctx->args[0], from_fw, sizeof(from_fw), &from_id, 0) < 0)
		return cli_usage(ctx, "'%s' is not FRAMEWORK:ID (e.g. iso27001-2022:A.8.15)", ctx->args[0]);
	if (split_ref(ctx->args[1], to_fw, sizeof(to_fw), &to_id, 1) < 0)
		return cli_usage(ctx, "'%s' is not FRAMEWORK:ID or FRAMEWORK (e.g. eu-ai-act-2024:Article 12)",
				 ctx->args[1]);
	if (strcmp(from_fw, to_fw) == 0)
		return cli_usage(ctx, "'%s' and '%s' are in the same framework", ctx->args[0], ctx->args[1]);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_map_paths(&list, store, from_fw, from_id, to_fw, to_id)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	/* no path is a finding, not an error */
	rc = list->count ? EXIT_OK : EXIT_FINDING;
	if (ctx->json) {
		int jrc = cli_print_json(paths_json(list, from_fw, from_id, to_fw, to_id));
		if (jrc != EXIT_OK)
			rc = jrc;
		goto done;
	}
	if (list->count == 0) {
		printf("no path from %s:%s to %s%s%s\n", from_fw, from_id, to_fw, to_id ? ":" : "",
		       to_id ? to_id : "");
		goto done;
	}
	int width = cli_term_width();
	printf("%s:%s -> %s%s%s: %zu path%s\n", from_fw, from_id, to_fw, to_id ? ":" : "",
	       to_id ? to_id : "", list->count, list->count == 1 ? "" : "s");
	for (size_t i = 0; i < list->count; i++) {
		const aims_path *p = &list->items[i];
		printf("\n%zu. %s support, %zu hop%s\n", i + 1, support_name(p->support), p->nhops,
		       p->nhops == 1 ? "" : "s");
		for (size_t h = 0; h < p->nhops; h++) {
			const aims_hop *x = &p->hops[h];
			printf("   %s:%s %s %s:%s (confidence %s%s%s%s)\n", x->from_framework, x->from_id,
			       x->relationship, x->to_framework, x->to_id, x->confidence, x->role ? ", binds " : "",
			       x->role ? x->role : "", x->reversed ? "; row read against its direction" : "");
			cli_wrap(stdout, x->explanation, 6, width ? width : 100);
		}
	}
done:
	aims_path_list_free(list);
	aims_store_free(store);
	return rc;
}
