/*
 * Operations on the lineage graph (aims lineage, aims mlflow import;
 * /api/v1/lineage, /api/v1/run, /api/v1/mlflow/import) and the JSON of a
 * graph and a run, built once here for the command line and the API.
 *
 * POST /api/v1/lineage takes OpenLineage RunEvents as the OpenLineage
 * clients' HTTP transport sends them: one JSON event per request body
 * (Content-Type: application/json, Authorization: Bearer TOKEN), gzip
 * compressed when the transport is configured so; the command line sends
 * a whole file (one object, an array or NDJSON) through the same
 * operation. References hold '/' and '#', so walks take them in the query.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "aims/op.h"
#include "inventory_internal.h"
#include "op/op_internal.h"

/* the most an ingested input may hold, compressed or not */
#define INPUT_MAX ((size_t)1 << 30)

static const char *const node_types[] = { "system", "model", "dataset", "run", "job", NULL };
static const char *const directions[] = { "both", "upstream", "downstream", NULL };

/* ---- JSON ---- */

json_t *aims_lineage_graph_json(const aims_lineage_graph *g, int direction, const char *type)
{
	json_t *nodes = json_array(), *edges = json_array();
	int ok = nodes && edges;
	for (size_t i = 0; ok && i < g->nnodes; i++) {
		const aims_lineage_node *n = &g->nodes[i];
		if (type && strcmp(n->type, type) != 0)
			continue;
		ok = json_array_append_new(nodes, json_pack("{s:s, s:s, s:s, s:o, s:o}", "ref", n->ref, "type", n->type,
							    "name", n->name, "version",
							    *n->version ? json_string(n->version) : json_null(),
							    "namespace", *n->ns ? json_string(n->ns) : json_null())) == 0;
	}
	for (size_t i = 0; ok && !type && i < g->nedges; i++)
		ok = json_array_append_new(edges, json_pack("{s:s, s:s, s:s}", "relation", g->edges[i].relation, "from",
							    g->edges[i].from, "to", g->edges[i].to)) == 0;
	if (!ok || g->nnodes == 0) {
		json_decref(nodes);
		json_decref(edges);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:o, s:o}", "ref", g->nodes[0].ref, "direction",
			 direction == AIMS_LINEAGE_UPSTREAM ? "upstream" :
			 direction == AIMS_LINEAGE_DOWNSTREAM ? "downstream" : "both", "nodes", nodes, "edges", edges);
}

static json_t *str_array(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *aims_run_json(const aims_run *r)
{
	json_t *in = str_array(r->inputs, r->ninputs), *out = str_array(r->outputs, r->noutputs);
	json_t *facets = r->facets ? json_loads(r->facets, 0, NULL) : NULL;
	json_t *params = r->parameters ? json_loads(r->parameters, 0, NULL) : NULL;
	if (!in || !out) {
		json_decref(in);
		json_decref(out);
		json_decref(facets);
		json_decref(params);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:o, s:o}", "id", r->id,
			 "job_namespace", aims_json_str(r->job_namespace), "job_name", aims_json_str(r->job_name), "state",
			 aims_json_str(r->state), "started_at", aims_json_str(r->started_at), "ended_at",
			 aims_json_str(r->ended_at), "code_version", aims_json_str(r->code_version), "parameters",
			 params ? params : json_null(), "facets", facets ? facets : json_object(), "origin", r->origin,
			 "events", (json_int_t)r->record_version, "inputs", in, "outputs", out);
}

/* ---- reading an ingested input ---- */

/* gzip-compressed input (the transport's compression, or a .gz file) inflated */
static int gunzip(aims_buf *out, const aims_buf *in, const char *name)
{
	z_stream zs;
	unsigned char chunk[65536];
	int zr, err = 0;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return aims__oom();
	zs.next_in = (unsigned char *)in->ptr;
	zs.avail_in = (uInt)in->len; /* the input is at most 1 GiB */
	out->max = INPUT_MAX;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr == Z_BUF_ERROR)
			break; /* no more input: truncated */
		if (zr != Z_OK && zr != Z_STREAM_END) {
			err = aims__err(AIMS_EINVALID, "'%s': corrupt gzip data (%s)", name, zs.msg ? zs.msg : "inflate failed");
			break;
		}
		if (aims_buf_put(out, chunk, sizeof(chunk) - zs.avail_out) < 0) {
			err = aims__err(AIMS_EINVALID, "'%s': larger than 1 GiB when decompressed", name);
			break;
		}
		if (zr == Z_STREAM_END && zs.avail_in > 0) {
			/* another gzip member follows (concatenated files) */
			if (inflateReset(&zs) != Z_OK) {
				err = aims__oom();
				break;
			}
			zr = Z_OK;
		}
	} while (zr != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
	if (!err && zr != Z_STREAM_END)
		err = aims__err(AIMS_EINVALID, "'%s': truncated gzip data", name);
	inflateEnd(&zs);
	if (err < 0)
		aims_buf_release(out);
	return err;
}

/* the whole input of a stream operation, decompressed when it is gzip */
static int read_input(aims_buf *out, aims_op_ctx *ctx)
{
	const char *name = ctx->input_name ? ctx->input_name : "input";
	aims_buf raw = AIMS_BUF_INIT;
	char chunk[65536];
	size_t n;
	int err = 0;
	aims_buf_init(&raw, INPUT_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), ctx->input)) > 0)
		if (aims_buf_put(&raw, chunk, n) < 0) {
			aims_buf_release(&raw);
			return aims__err(AIMS_EINVALID, "'%s': larger than 1 GiB", name);
		}
	if (ferror(ctx->input)) {
		aims_buf_release(&raw);
		return aims__err(AIMS_ERROR, "cannot read '%s'", name);
	}
	if (raw.len >= 2 && (unsigned char)raw.ptr[0] == 0x1f && (unsigned char)raw.ptr[1] == 0x8b) {
		err = gunzip(out, &raw, name);
		aims_buf_release(&raw);
		return err;
	}
	*out = raw;
	return 0;
}

/* ---- operations ---- */

static int op_lineage_ingest(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_lineage_stats s;
	aims_buf in = AIMS_BUF_INIT;
	int err;
	(void)req;
	if ((err = read_input(&in, ctx)) < 0)
		return err;
	err = aims_lineage_ingest(&s, ctx->store, in.ptr, in.len, ctx->input_name);
	aims_buf_release(&in);
	if (err < 0)
		return err;
	if (!(res->json = json_pack("{s:I, s:I, s:I, s:I}", "events", (json_int_t)s.events, "stored",
				    (json_int_t)s.stored, "duplicates", (json_int_t)s.duplicates, "runs",
				    (json_int_t)s.runs)))
		return aims__oom();
	return 0;
}

static int op_mlflow_import(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_mlflow_stats s;
	aims_buf in = AIMS_BUF_INIT;
	int err;
	(void)req;
	if ((err = read_input(&in, ctx)) < 0)
		return err;
	err = aims_mlflow_import(&s, ctx->store, in.ptr, in.len, ctx->input_name);
	aims_buf_release(&in);
	if (err < 0)
		return err;
	if (!(res->json = json_pack("{s:I, s:I, s:I}", "models", (json_int_t)s.models, "created", (json_int_t)s.created,
				    "runs", (json_int_t)s.runs)))
		return aims__oom();
	return 0;
}

static int walk(aims_op_result *res, aims_op_ctx *ctx, const json_t *req, int direction)
{
	aims_lineage_graph *g = NULL;
	int err;
	if ((err = aims_lineage_query(&g, ctx->store, aims_req_str(req, "ref"), direction)) < 0)
		return err;
	res->json = aims_lineage_graph_json(g, direction, aims_req_str(req, "type"));
	aims_lineage_graph_free(g);
	return res->json ? 0 : aims__oom();
}

static int op_lineage_upstream(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return walk(res, ctx, req, AIMS_LINEAGE_UPSTREAM);
}

static int op_lineage_downstream(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return walk(res, ctx, req, AIMS_LINEAGE_DOWNSTREAM);
}

static int op_lineage_graph(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *fmt = aims_req_str(req, "format"), *d = aims_req_str(req, "direction");
	aims_lineage_graph *g = NULL;
	int err, dir = AIMS_LINEAGE_BOTH;
	if (d && strcmp(d, "upstream") == 0)
		dir = AIMS_LINEAGE_UPSTREAM;
	else if (d && strcmp(d, "downstream") == 0)
		dir = AIMS_LINEAGE_DOWNSTREAM;
	if ((err = aims_lineage_query(&g, ctx->store, aims_req_str(req, "ref"), dir)) < 0)
		return err;
	if (fmt && strcmp(fmt, "svg") == 0) {
		if ((err = aims_lineage_svg(&res->body, g)) == 0)
			res->content_type = "image/svg+xml";
	} else if (fmt && strcmp(fmt, "dot") == 0) {
		if ((err = aims_lineage_dot(&res->body, g)) == 0)
			res->content_type = "text/vnd.graphviz; charset=utf-8";
	} else if (!(res->json = aims_lineage_graph_json(g, dir, NULL))) {
		err = aims__oom();
	}
	aims_lineage_graph_free(g);
	return err;
}

static int op_lineage_run(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_run *r = NULL;
	int err;
	if ((err = aims_run_get(&r, ctx->store, aims_req_str(req, "id"))) < 0)
		return err;
	res->json = aims_run_json(r);
	aims_run_free(r);
	return res->json ? 0 : aims__oom();
}

/* ---- the table ---- */

#define REF_FIELD \
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF", "where to start: system:NAME, " \
	  "model:NAME[@VER], dataset:[NAMESPACE#]NAME[@VER], run:ID or job:[NAMESPACE#]NAME", NULL }

static const aims_op_field f_walk[] = {
	REF_FIELD,
	{ "type", AIMS_FT_STRING, 0, "TYPE", "list only nodes of this type: system, model, dataset, run or job",
	  node_types },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_graph[] = {
	REF_FIELD,
	{ "direction", AIMS_FT_STRING, 0, "DIR", "both (default), upstream or downstream", directions },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_run[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "ID", "the run's id (an OpenLineage runId, an MLflow "
	  "run_id)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const char *const graph_formats[] = { "dot", "svg", NULL };

const aims_op aims__ops_lineage[] = {
	{ "lineage.downstream", "lineage downstream", "GET", "/lineage/downstream", "read", AIMS_OP_CACHEABLE, f_walk,
	  "list everything made from REF: runs, datasets, models and the systems using them", NULL, NULL, NULL,
	  op_lineage_downstream },
	{ "lineage.graph", "lineage graph", "GET", "/lineage/graph", "read", AIMS_OP_CACHEABLE, f_graph,
	  "draw the lineage around REF as Graphviz DOT or SVG", NULL, NULL, graph_formats, op_lineage_graph },
	{ "lineage.ingest", "lineage ingest", "POST", "/lineage", "lineage.ingest", AIMS_OP_WRITE | AIMS_OP_STREAM,
	  f_none, "ingest OpenLineage RunEvents (JSON object, array or NDJSON)", NULL, NULL, NULL, op_lineage_ingest },
	{ "lineage.run", "lineage run", "GET", "/run", "read", AIMS_OP_CACHEABLE, f_run,
	  "show a training run: job, state, times, code version, inputs and outputs", NULL, NULL, NULL, op_lineage_run },
	{ "lineage.upstream", "lineage upstream", "GET", "/lineage/upstream", "read", AIMS_OP_CACHEABLE, f_walk,
	  "list everything REF was made from: models, runs, jobs and datasets", NULL, NULL, NULL, op_lineage_upstream },
	{ "mlflow.import", "mlflow import", "POST", "/mlflow/import", "lineage.ingest", AIMS_OP_WRITE | AIMS_OP_STREAM,
	  f_none, "import model versions and runs from an MLflow search response", NULL, NULL, NULL, op_mlflow_import },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
