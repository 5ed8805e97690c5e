/*
 * aims lineage (ingest OpenLineage events, walk the lineage graph upstream
 * or downstream, draw it, show a training run) and aims mlflow import. The
 * work and the JSON are the library's operations (lineage.*,
 * mlflow.import); this file checks the drawing options and prints the
 * results for people.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_lineage_graph_opts[] = {
	{ "format", "FORMAT", "dot (default) or svg", OPT_VALUE },
	{ "out", "FILE", "write to FILE instead of standard output", OPT_VALUE | OPT_FORMAT },
	{ "dot", "FILE", "write Graphviz DOT to FILE (as --format dot --out FILE)", OPT_VALUE | OPT_FORMAT },
	{ "svg", "FILE", "write the SVG drawing to FILE (as --format svg --out FILE)", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long ji(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* ---- ingest ---- */

int cmd_lineage_render_ingest(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *s = res->json;
	long long events = ji(s, "events"), runs = ji(s, "runs");
	(void)ctx;
	printf("%lld event%s: %lld stored, %lld already known; %lld run%s updated\n", events, events == 1 ? "" : "s",
	       ji(s, "stored"), ji(s, "duplicates"), runs, runs == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_mlflow_render_import(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *s = res->json;
	long long models = ji(s, "models");
	(void)ctx;
	printf("%lld model version%s: %lld new; %lld linked to runs\n", models, models == 1 ? "" : "s",
	       ji(s, "created"), ji(s, "runs"));
	return EXIT_OK;
}

/* ---- walks ---- */

int cmd_lineage_walk_prepare(cli_ctx *ctx, json_t *req)
{
	const char *type = cli_get(ctx, "type");
	static const char *const t[] = { "system", "model", "dataset", "run", "job" };
	(void)req;
	for (size_t i = 0; type && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(type, t[i]) == 0)
			return EXIT_OK;
	if (type)
		return cli_usage(ctx, "--type '%s': expected system, model, dataset, run or job", type);
	return EXIT_OK;
}

int cmd_lineage_render_walk(cli_ctx *ctx, const aims_op_result *res)
{
	const char *start = js(res->json, "ref");
	size_t i;
	json_t *n;
	(void)ctx;
	/* every node reached, without the start (with --type the document holds only that type) */
	json_array_foreach(json_object_get(res->json, "nodes"), i, n) {
		if (strcmp(js(n, "ref"), start) != 0)
			printf("%s\n", js(n, "ref"));
	}
	return EXIT_OK;
}

/* ---- graph ---- */

int cmd_lineage_graph_prepare(cli_ctx *ctx, json_t *req)
{
	const char *fmt = cli_get(ctx, "format"), *d = cli_get(ctx, "direction");
	int files = (cli_get(ctx, "out") != NULL) + (cli_get(ctx, "dot") != NULL) + (cli_get(ctx, "svg") != NULL);
	if (fmt && strcmp(fmt, "dot") != 0 && strcmp(fmt, "svg") != 0)
		return cli_usage(ctx, "--format '%s': expected dot or svg", fmt);
	if (d && strcmp(d, "upstream") != 0 && strcmp(d, "downstream") != 0 && strcmp(d, "both") != 0)
		return cli_usage(ctx, "--direction '%s': expected both, upstream or downstream", d);
	if (files > 1)
		return cli_usage(ctx, "give one of --out FILE, --dot FILE and --svg FILE");
	if (fmt && (cli_get(ctx, "dot") || cli_get(ctx, "svg")))
		return cli_usage(ctx, "--format goes with --out FILE (or standard output)");
	if (ctx->json) {
		/* the graph as JSON, printed */
		if (fmt || files)
			return cli_usage(ctx, "--json prints the graph as JSON: not with --format, --out, --dot or --svg");
		return EXIT_OK;
	}
	if (cli_get(ctx, "svg"))
		fmt = "svg";
	else if (cli_get(ctx, "dot") || !fmt)
		fmt = "dot";
	if (json_object_set_new(req, "format", json_string(fmt)) < 0)
		return cli_fail(AIMS_ENOMEM);
	return EXIT_OK;
}

int cmd_lineage_render_graph(cli_ctx *ctx, const aims_op_result *res)
{
	/* called once the drawing is written to the file given: nothing more to say */
	(void)ctx;
	(void)res;
	return EXIT_OK;
}

/* ---- runs ---- */

int cmd_lineage_render_run(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *r = res->json, *params = json_object_get(r, "parameters");
	const char *ns = json_string_value(json_object_get(r, "job_namespace"));
	char *ptext = params && !json_is_null(params) ? cmd_inventory_json_text(params) : NULL;
	size_t i;
	json_t *x;
	(void)ctx;
	printf("run:%s\njob: %s%s%s\nstate: %s\nstarted: %s\nended: %s\ncode version: %s\nparameters: %s\n",
	       js(r, "id"), ns ? ns : "", ns ? "#" : "", js(r, "job_name"), js(r, "state"), js(r, "started_at"),
	       js(r, "ended_at"), js(r, "code_version"), ptext ? ptext : "-");
	free(ptext);
	printf("inputs:%s\n", json_array_size(json_object_get(r, "inputs")) ? "" : " none");
	json_array_foreach(json_object_get(r, "inputs"), i, x) {
		printf("  %s\n", json_string_value(x));
	}
	printf("outputs:%s\n", json_array_size(json_object_get(r, "outputs")) ? "" : " none");
	json_array_foreach(json_object_get(r, "outputs"), i, x) {
		printf("  %s\n", json_string_value(x));
	}
	return EXIT_OK;
}
