/*
 * Operations on datasets (aims dataset; /api/v1/datasets, /api/v1/dataset)
 * and the JSON of a dataset, built once here for the command line and the
 * API. Registering and verifying take the file's digest (the request's
 * "artifact", aims_artifact_json): the bytes are hashed where they are, by
 * the command line, so the same operation serves a client of the API.
 * A dataset is addressed by its reference in the query (?ref=) or the body,
 * not the path: references hold '/' and '#' (s3://bucket#path/file@v1).
 */
#include <stdio.h>
#include <string.h>

#include "aims/op.h"
#include "inventory_internal.h"
#include "op/op_internal.h"

json_t *aims_dataset_json(const aims_dataset *d)
{
	json_t *facets = json_loads(d->facets ? d->facets : "{}", 0, NULL);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:s, s:o, s:I, s:s, s:s}",
			 "ref", d->ref, "namespace", d->ns, "name", d->name, "version", d->version, "digest",
			 aims_json_str(d->digest), "size", d->size >= 0 ? json_integer(d->size) : json_null(), "file",
			 aims_json_str(d->file), "source", aims_json_str(d->source), "licence", aims_json_str(d->licence),
			 "collection", aims_json_str(d->collection), "personal_data", aims_json_str(d->personal_data),
			 "limitations", aims_json_str(d->limitations), "biases", aims_json_str(d->biases), "motivation",
			 aims_json_str(d->motivation), "preprocessing", aims_json_str(d->preprocessing), "uses",
			 aims_json_str(d->uses), "distribution", aims_json_str(d->distribution), "maintenance",
			 aims_json_str(d->maintenance), "origin", d->origin, "facets", facets ? facets : json_object(),
			 "record_version", (json_int_t)d->record_version, "created_at", d->created_at, "updated_at",
			 d->updated_at);
}

static int dataset_doc(json_t **out, aims_store *store, const char *ref)
{
	aims_dataset *d = NULL;
	int err;
	*out = NULL;
	if ((err = aims_dataset_get(&d, store, ref)) < 0)
		return err;
	*out = aims_dataset_json(d);
	aims_dataset_free(d);
	return *out ? 0 : aims__oom();
}

static int op_dataset_register(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_dataset_fields f = AIMS_DATASET_FIELDS_INIT;
	aims_artifact *art = NULL;
	aims_buf full = AIMS_BUF_INIT;
	const char *ref = aims_req_str(req, "ref");
	int err, created = 0;

	f.ns = aims_req_str(req, "namespace");
	f.source = aims_req_str(req, "source");
	f.licence = aims_req_str(req, "licence");
	f.collection = aims_req_str(req, "collection");
	f.personal_data = aims_req_str(req, "personal_data");
	f.limitations = aims_req_str(req, "limitations");
	f.biases = aims_req_str(req, "biases");
	f.motivation = aims_req_str(req, "motivation");
	f.preprocessing = aims_req_str(req, "preprocessing");
	f.uses = aims_req_str(req, "uses");
	f.distribution = aims_req_str(req, "distribution");
	f.maintenance = aims_req_str(req, "maintenance");
	if ((err = aims_artifact_from_json(&art, json_object_get(req, "artifact"), "artifact")) < 0)
		return err;
	if ((err = aims_dataset_register(&created, ctx->store, ref, art, &f)) < 0)
		goto done;
	/* read back as registered: in its namespace when one was given */
	if (strncmp(ref, "dataset:", 8) == 0)
		ref += 8;
	if (f.ns && *f.ns && (err = aims_buf_printf(&full, "%s#%s", f.ns, ref)) < 0)
		goto done;
	if ((err = dataset_doc(&res->json, ctx->store, full.len ? full.ptr : ref)) < 0)
		goto done;
	if (json_object_set_new(res->json, "created", json_boolean(created)) < 0)
		err = aims__oom();
done:
	aims_buf_release(&full);
	aims_artifact_free(art);
	return err;
}

/* the verdict of a comparison as a document: a difference is a finding (exit 4), not an error */
int aims__inv_verify_doc(aims_op_result *res, int err, const char *key, const char *ref, const aims_artifact *art,
			 int files)
{
	if (err < 0 && err != AIMS_ETAMPERED)
		return err;
	if (!(res->json = json_pack("{s:s, s:b, s:s}", key, ref, "verified", err == 0, "digest", art->digest)) ||
	    (files && json_object_set_new(res->json, "files", json_integer((json_int_t)art->count)) < 0) ||
	    (err < 0 && json_object_set_new(res->json, "error", json_string(aims_error_last())) < 0))
		return aims__oom();
	if (err < 0)
		res->outcome = AIMS_ETAMPERED;
	return 0;
}

static int op_dataset_verify(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_artifact *art = NULL;
	const char *ref = aims_req_str(req, "ref");
	int err;
	if ((err = aims_artifact_from_json(&art, json_object_get(req, "artifact"), "artifact")) < 0)
		return err;
	err = aims__inv_verify_doc(res, aims_dataset_verify(ctx->store, ref, art), "dataset", ref, art, 0);
	aims_artifact_free(art);
	return err;
}

static int op_dataset_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return dataset_doc(&res->json, ctx->store, aims_req_str(req, "ref"));
}

static int op_dataset_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_datasets *l = NULL;
	json_t *a;
	int err;
	(void)req;
	if ((err = aims_dataset_list(&l, ctx->store)) < 0)
		return err;
	a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_dataset_json(l->items[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_datasets_free(l);
	if (!a || !(res->json = json_pack("{s:o}", "datasets", a)))
		return aims__oom();
	return 0;
}

#define ARTIFACT_FIELD(what) \
	{ "artifact", AIMS_FT_JSON, AIMS_FF_REQUIRED | AIMS_FF_NOCLI, "ARTIFACT", \
	  what ": {\"kind\": \"file\", \"files\": [{\"path\", \"digest\", \"size\"}]} (the command line hashes " \
	  "--file PATH)", NULL }

static const aims_op_field f_dataset_register[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "NAME@VERSION", "the dataset version to register",
	  NULL },
	{ "namespace", AIMS_FT_STRING, 0, "NS", "a namespace, to match the dataset as OpenLineage names it (e.g. "
	  "s3://bucket)", NULL },
	{ "source", AIMS_FT_STRING, 0, "TEXT", "where the data comes from", NULL },
	{ "licence", AIMS_FT_STRING, 0, "TEXT", "the data's licence or terms of use", NULL },
	{ "collection", AIMS_FT_TEXT, 0, "TEXT", "how the data was collected", NULL },
	{ "personal_data", AIMS_FT_STRING, 0, "yes|no", "whether it holds personal data", NULL },
	{ "limitations", AIMS_FT_TEXT, 0, "TEXT", "known limitations", NULL },
	{ "biases", AIMS_FT_TEXT, 0, "TEXT", "known biases", NULL },
	{ "motivation", AIMS_FT_TEXT, 0, "TEXT", "why the dataset was created (datasheet: motivation)", NULL },
	{ "preprocessing", AIMS_FT_TEXT, 0, "TEXT", "cleaning, labelling and other preprocessing", NULL },
	{ "uses", AIMS_FT_TEXT, 0, "TEXT", "what the data is and is not for", NULL },
	{ "distribution", AIMS_FT_TEXT, 0, "TEXT", "how it is distributed or shared", NULL },
	{ "maintenance", AIMS_FT_TEXT, 0, "TEXT", "who maintains it and how", NULL },
	ARTIFACT_FIELD("the file's digest and size"),
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_dataset_verify[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF", "the registered dataset version", NULL },
	ARTIFACT_FIELD("the digest of the file to check"),
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_dataset_ref[] = {
	{ "ref", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "REF",
	  "NAME@VERSION, NAME (the latest) or NAMESPACE#NAME[@VERSION], with or without 'dataset:'", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };

const aims_op aims__ops_dataset[] = {
	{ "dataset.list", "dataset list", "GET", "/datasets", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "list the datasets in the inventory", "datasets", NULL, NULL, op_dataset_list },
	{ "dataset.register", "dataset register", "POST", "/datasets", "inventory.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_dataset_register, "register a dataset version by the SHA-256 of its file",
	  NULL, NULL, NULL, op_dataset_register },
	{ "dataset.show", "dataset show", "GET", "/dataset", "read", AIMS_OP_CACHEABLE, f_dataset_ref,
	  "show a dataset version with its provenance and facets", NULL, NULL, NULL, op_dataset_show },
	{ "dataset.verify", "dataset verify", "POST", "/dataset/verify", "verify", 0, f_dataset_verify,
	  "check a file against a registered dataset version", NULL, NULL, NULL, op_dataset_verify },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
