/*
 * Operations on models (aims model; /api/v1/models, /api/v1/model) and the
 * JSON of a model, built once here for the command line and the API. As
 * for datasets, registering and verifying take the digests of the model's
 * file or directory (the request's "artifact"), computed where the files
 * are, and a model is addressed by its reference in the query or body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/op.h"
#include "inventory_internal.h"
#include "op/op_internal.h"

static json_t *jparse(const char *s)
{
	json_t *j = s ? json_loads(s, 0, NULL) : NULL;
	return j ? j : json_null();
}

json_t *aims_model_json(const aims_model *m)
{
	json_t *files = json_array(), *ds = json_array();
	for (size_t i = 0; files && i < m->nfiles; i++)
		if (json_array_append_new(files, json_pack("{s:s, s:s, s:I}", "path", m->files[i].path, "digest",
							   m->files[i].digest, "size", (json_int_t)m->files[i].size)) < 0) {
			json_decref(files);
			files = NULL;
		}
	for (size_t i = 0; ds && i < m->ntrained_on; i++)
		if (json_array_append_new(ds, json_string(m->trained_on[i])) < 0) {
			json_decref(ds);
			ds = NULL;
		}
	if (!files || !ds) {
		json_decref(files);
		json_decref(ds);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:I, s:s, s:s}",
			 "ref", m->ref, "name", m->name, "version", m->version, "digest", aims_json_str(m->digest), "kind",
			 aims_json_str(m->kind), "framework", aims_json_str(m->framework), "licence",
			 aims_json_str(m->licence), "run", aims_json_str(m->run), "source", aims_json_str(m->source),
			 "description", aims_json_str(m->description), "tags", jparse(m->tags), "aliases",
			 jparse(m->aliases), "origin", m->origin, "files", files, "trained_on", ds, "record_version",
			 (json_int_t)m->record_version, "created_at", m->created_at, "updated_at", m->updated_at);
}

static int model_doc(json_t **out, aims_store *store, const char *ref)
{
	aims_model *m = NULL;
	int err;
	*out = NULL;
	if ((err = aims_model_get(&m, store, ref)) < 0)
		return err;
	*out = aims_model_json(m);
	aims_model_free(m);
	return *out ? 0 : aims__oom();
}

static int op_model_register(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_model_fields f = AIMS_MODEL_FIELDS_INIT;
	aims_artifact *art = NULL;
	const char **ds = NULL;
	size_t nds = 0;
	int err, created = 0;

	f.run = aims_req_str(req, "run");
	f.framework = aims_req_str(req, "framework");
	f.licence = aims_req_str(req, "licence");
	f.source = aims_req_str(req, "source");
	f.description = aims_req_str(req, "description");
	if ((err = aims_req_list(&ds, &nds, req, "trained_on")) < 0)
		return err;
	f.trained_on = ds;
	f.ntrained_on = nds;
	if ((err = aims_artifact_from_json(&art, json_object_get(req, "artifact"), "artifact")) < 0 ||
	    (err = aims_model_register(&created, ctx->store, aims_req_str(req, "ref"), art, &f)) < 0 ||
	    (err = model_doc(&res->json, ctx->store, aims_req_str(req, "ref"))) < 0)
		goto done;
	if (json_object_set_new(res->json, "created", json_boolean(created)) < 0)
		err = aims__oom();
done:
	aims__free(ds);
	aims_artifact_free(art);
	return err;
}

static int op_model_verify(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_artifact *art = NULL;
	const char *ref = aims_req_str(req, "ref");
	int err;
	if ((err = aims_artifact_from_json(&art, json_object_get(req, "artifact"), "artifact")) < 0)
		return err;
	err = aims__inv_verify_doc(res, aims_model_verify(ctx->store, ref, art), "model", ref, art, 1);
	aims_artifact_free(art);
	return err;
}

/* the in-toto Statement whose subjects are the model's recorded files */
static int model_statement(aims_op_result *res, const aims_model *m)
{
	aims_artifact a;
	char *st = NULL;
	int err;
	if (!m->digest)
		return aims__err(AIMS_ENOTFOUND, "model %s has no recorded artifact digest", m->ref + 6);
	memset(&a, 0, sizeof(a));
	if (!(a.files = aims__calloc(m->nfiles ? m->nfiles : 1, sizeof(*a.files))))
		return aims__oom();
	a.count = m->nfiles;
	a.is_dir = m->kind && strcmp(m->kind, "dir") == 0;
	snprintf(a.digest, sizeof(a.digest), "%s", m->digest);
	for (size_t i = 0; i < m->nfiles; i++) {
		a.files[i].path = m->files[i].path;
		snprintf(a.files[i].digest, sizeof(a.files[i].digest), "%s", m->files[i].digest);
		a.files[i].size = (uint64_t)m->files[i].size;
		a.total += a.files[i].size;
	}
	err = aims_artifact_statement(&st, &a, m->name, m->version);
	aims__free(a.files);
	if (err < 0)
		return err;
	if ((err = aims_buf_puts(&res->body, st)) == 0 && (err = aims_buf_putc(&res->body, '\n')) == 0)
		res->content_type = "application/vnd.in-toto+json";
	free(st);
	return err;
}

static int op_model_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *fmt = aims_req_str(req, "format");
	aims_model *m = NULL;
	int err;
	if (!fmt || strcmp(fmt, "in-toto") != 0)
		return model_doc(&res->json, ctx->store, aims_req_str(req, "ref"));
	if ((err = aims_model_get(&m, ctx->store, aims_req_str(req, "ref"))) < 0)
		return err;
	err = model_statement(res, m);
	aims_model_free(m);
	return err;
}

static int op_model_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_models *l = NULL;
	json_t *a;
	int err;
	(void)req;
	if ((err = aims_model_list(&l, ctx->store)) < 0)
		return err;
	a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_model_json(l->items[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_models_free(l);
	if (!a || !(res->json = json_pack("{s:o}", "models", a)))
		return aims__oom();
	return 0;
}

#define ARTIFACT_FIELD(what) \
	{ "artifact", AIMS_FT_JSON, AIMS_FF_REQUIRED | AIMS_FF_NOCLI, "ARTIFACT", \
	  what ": {\"kind\": \"file\"|\"dir\", \"files\": [{\"path\", \"digest\", \"size\"}]} (the command line " \
	  "hashes --file PATH or --dir DIR)", NULL }

static const aims_op_field f_model_register[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "NAME@VERSION", "the model version to register", NULL },
	{ "trained_on", AIMS_FT_LIST, 0, "DATASET@VER", "a dataset the model was trained on (repeatable)", NULL },
	{ "run", AIMS_FT_STRING, 0, "ID", "the training run that produced it", NULL },
	{ "framework", AIMS_FT_STRING, 0, "TEXT", "e.g. scikit-learn 1.2, PyTorch 2.1", NULL },
	{ "licence", AIMS_FT_STRING, 0, "TEXT", "the model's licence", NULL },
	{ "source", AIMS_FT_STRING, 0, "TEXT", "where the artifact lives (URI)", NULL },
	{ "description", AIMS_FT_TEXT, 0, "TEXT", "what the model does", NULL },
	ARTIFACT_FIELD("the digests of the model's file or directory"),
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_model_verify[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF", "the registered model version", NULL },
	ARTIFACT_FIELD("the digests of the file or directory to check"),
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_model_ref[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF",
	  "NAME@VERSION or NAME (the latest version), with or without 'model:'", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const char *const intoto_format[] = { "in-toto", NULL };

const aims_op aims__ops_model[] = {
	{ "model.list", "model list", "GET", "/models", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "list the models in the inventory", "models", NULL, NULL, op_model_list },
	{ "model.register", "model register", "POST", "/models", "inventory.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_model_register, "register a model version by the digests of its file or directory", NULL, NULL, NULL,
	  op_model_register },
	{ "model.show", "model show", "GET", "/model", "read", AIMS_OP_CACHEABLE, f_model_ref,
	  "show a model version, its files and what it was trained on", NULL, NULL, intoto_format, op_model_show },
	{ "model.verify", "model verify", "POST", "/model/verify", "verify", 0, f_model_verify,
	  "check a file or directory against a registered model version", NULL, NULL, NULL, op_model_verify },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
