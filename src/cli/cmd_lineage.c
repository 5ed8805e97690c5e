/*
 * aims lineage: ingest OpenLineage events, walk the lineage graph upstream
 * or downstream from a system, model, dataset, run or job, draw it, and
 * show a training run. aims mlflow import: MLflow model versions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_lineage_walk_opts[] = {
	{ "type", "TYPE", "list only nodes of this type: system, model, dataset, run or job", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_lineage_graph_opts[] = {
	{ "format", "FORMAT", "dot (default) or svg", OPT_VALUE },
	{ "direction", "DIR", "both (default), upstream or downstream", OPT_VALUE },
	{ "out", "FILE", "write to FILE instead of standard output", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_lineage_ingest_opts[] = {
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int node_ok(const char *type)
{
	static const char *const t[] = { "system", "model", "dataset", "run", "job" };
	for (size_t i = 0; i < 5; i++)
		if (strcmp(type, t[i]) == 0)
			return 1;
	return 0;
}

static int walk(cli_ctx *ctx, int dir)
{
	aims_store *store = NULL;
	aims_lineage_graph *g = NULL;
	const char *type = cli_get(ctx, "type");
	int rc, err;
	if (type && !node_ok(type))
		return cli_usage(ctx, "--type '%s': expected system, model, dataset, run or job", type);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_lineage_query(&g, store, ctx->args[0], dir)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *nodes = json_array(), *edges = json_array();
		for (size_t i = 0; nodes && i < g->nnodes; i++) {
			const aims_lineage_node *n = &g->nodes[i];
			if (type && strcmp(n->type, type) != 0)
				continue;
			json_array_append_new(nodes, json_pack("{s:s, s:s, s:s, s:o, s:o}", "ref", n->ref, "type", n->type,
							       "name", n->name, "version", *n->version ? json_string(n->version) : json_null(),
							       "namespace", *n->ns ? json_string(n->ns) : json_null()));
		}
		for (size_t i = 0; edges && !type && i < g->nedges; i++)
			json_array_append_new(edges, json_pack("{s:s, s:s, s:s}", "relation", g->edges[i].relation, "from",
							       g->edges[i].from, "to", g->edges[i].to));
		rc = cli_print_json(json_pack("{s:s, s:s, s:o, s:o}", "ref", g->nodes[0].ref, "direction",
					      dir == AIMS_LINEAGE_UPSTREAM ? "upstream" : "downstream", "nodes", nodes,
					      "edges", edges));
		goto done;
	}
	for (size_t i = 1; i < g->nnodes; i++)
		if (!type || strcmp(g->nodes[i].type, type) == 0)
			printf("%s\n", g->nodes[i].ref);
	rc = EXIT_OK;
done:
	aims_lineage_graph_free(g);
	aims_store_free(store);
	return rc;
}

int cmd_lineage_upstream(cli_ctx *ctx)
{
	return walk(ctx, AIMS_LINEAGE_UPSTREAM);
}

int cmd_lineage_downstream(cli_ctx *ctx)
{
	return walk(ctx, AIMS_LINEAGE_DOWNSTREAM);
}

int cmd_lineage_graph(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_lineage_graph *g = NULL;
	aims_buf out = AIMS_BUF_INIT;
	const char *fmt = cli_get(ctx, "format"), *d = cli_get(ctx, "direction"), *file = cli_get(ctx, "out");
	int rc, err, dir = AIMS_LINEAGE_BOTH, svg;
	if (!fmt)
		fmt = "dot";
	if (strcmp(fmt, "dot") != 0 && strcmp(fmt, "svg") != 0)
		return cli_usage(ctx, "--format '%s': expected dot or svg", fmt);
	svg = strcmp(fmt, "svg") == 0;
	if (d && strcmp(d, "upstream") == 0)
		dir = AIMS_LINEAGE_UPSTREAM;
	else if (d && strcmp(d, "downstream") == 0)
		dir = AIMS_LINEAGE_DOWNSTREAM;
	else if (d && strcmp(d, "both") != 0)
		return cli_usage(ctx, "--direction '%s': expected both, upstream or downstream", d);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_lineage_query(&g, store, ctx->args[0], dir)) < 0 ||
	    (err = svg ? aims_lineage_svg(&out, g) : aims_lineage_dot(&out, g)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (file) {
		rc = cli_write_file(file, out.ptr, out.len);
	} else {
		fwrite(out.ptr, 1, out.len, stdout);
		rc = EXIT_OK;
	}
done:
	aims_buf_release(&out);
	aims_lineage_graph_free(g);
	aims_store_free(store);
	return rc;
}

int cmd_lineage_ingest(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_lineage_stats s;
	char *data = NULL;
	size_t len = 0;
	const char *path = ctx->nargs ? ctx->args[0] : "-";
	int rc, err;
	if ((rc = cli_read_file(&data, &len, path, (size_t)1 << 30)) != EXIT_OK)
		return rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_lineage_ingest(&s, store, data, len, strcmp(path, "-") == 0 ? "standard input" : path)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (s.stored && (rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json) {
		rc = cli_print_json(json_pack("{s:I, s:I, s:I, s:I}", "events", (json_int_t)s.events, "stored",
					      (json_int_t)s.stored, "duplicates", (json_int_t)s.duplicates, "runs",
					      (json_int_t)s.runs));
	} else {
		printf("%zu event%s: %zu stored, %zu already known; %zu run%s updated\n", s.events, s.events == 1 ? "" : "s",
		       s.stored, s.duplicates, s.runs, s.runs == 1 ? "" : "s");
		rc = EXIT_OK;
	}
done:
	free(data);
	aims_store_free(store);
	return rc;
}

int cmd_lineage_run(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_run *r = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_run_get(&r, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *in = json_array(), *out = json_array();
		for (size_t i = 0; in && i < r->ninputs; i++)
			json_array_append_new(in, json_string(r->inputs[i]));
		for (size_t i = 0; out && i < r->noutputs; i++)
			json_array_append_new(out, json_string(r->outputs[i]));
		json_t *facets = r->facets ? json_loads(r->facets, 0, NULL) : NULL;
		json_t *params = r->parameters ? json_loads(r->parameters, 0, NULL) : NULL;
		rc = cli_print_json(json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:o, s:o}", "id", r->id,
					      "job_namespace", jstr(r->job_namespace), "job_name", jstr(r->job_name), "state",
					      jstr(r->state), "started_at", jstr(r->started_at), "ended_at", jstr(r->ended_at),
					      "code_version", jstr(r->code_version), "parameters", params ? params : json_null(),
					      "facets", facets ? facets : json_object(), "origin", r->origin, "events",
					      (json_int_t)r->record_version, "inputs", in, "outputs", out));
		goto done;
	}
	printf("run:%s\njob: %s%s%s\nstate: %s\nstarted: %s\nended: %s\ncode version: %s\nparameters: %s\n", r->id,
	       r->job_namespace ? r->job_namespace : "", r->job_namespace ? "#" : "", r->job_name ? r->job_name : "-",
	       r->state ? r->state : "-", r->started_at ? r->started_at : "-", r->ended_at ? r->ended_at : "-",
	       r->code_version ? r->code_version : "-", r->parameters ? r->parameters : "-");
	printf("inputs:%s\n", r->ninputs ? "" : " none");
	for (size_t i = 0; i < r->ninputs; i++)
		printf("  %s\n", r->inputs[i]);
	printf("outputs:%s\n", r->noutputs ? "" : " none");
	for (size_t i = 0; i < r->noutputs; i++)
		printf("  %s\n", r->outputs[i]);
	rc = EXIT_OK;
done:
	aims_run_free(r);
	aims_store_free(store);
	return rc;
}
