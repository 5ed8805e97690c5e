/*
 * Operations on the ISO/IEC 27001 ISMS state (aims isms import | show |
 * versions; /api/v1/isms, /isms/versions), and the JSON of a row, of a
 * version's facts and of a whole version, built once here for the command
 * line and the API. An import receives the CSV text (the CLI reads the
 * file) and names it in messages by the request's `source`, else by the
 * input's name (ctx->input_name).
 */
#include <string.h>

#include "aims/isms.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

json_t *aims_isms_control_json(const aims_isms_control *r)
{
	json_t *ev = json_array();
	for (size_t k = 0; ev && k < r->nevidence; k++)
		if (json_array_append_new(ev, json_string(r->evidence[k])) < 0) {
			json_decref(ev);
			return NULL;
		}
	if (!ev)
		return NULL;
	return json_pack("{s:s, s:b, s:s, s:o, s:o, s:o, s:I}", "control", r->control, "applicable", r->applicable,
			 "status", aims_impl_status_name(r->status), "justification", aims_json_str(r->justification),
			 "owner", aims_json_str(r->owner), "evidence", ev, "line", (json_int_t)r->line);
}

json_t *aims_isms_info_json(const aims_isms_info *info)
{
	return json_pack("{s:I, s:s, s:o, s:s, s:s, s:I}", "version", (json_int_t)info->version, "framework",
			 info->framework, "imported_at", aims_json_str(info->imported_at), "source", info->source,
			 "digest", info->digest, "rows", (json_int_t)info->rows);
}

json_t *aims_isms_json(const aims_isms *isms, const aims_catalog *cat)
{
	size_t implemented = 0, partial = 0, planned = 0, not_implemented = 0, excluded = 0;
	json_t *rows = json_array(), *missing = json_array(), *o = NULL;

	if (!rows || !missing)
		goto fail;
	for (size_t i = 0; i < aims_isms_count(isms); i++) {
		const aims_isms_control *r = aims_isms_at(isms, i);
		if (json_array_append_new(rows, aims_isms_control_json(r)) < 0)
			goto fail;
		if (!r->applicable) {
			excluded++;
			continue;
		}
		switch (r->status) {
		case AIMS_STATUS_IMPLEMENTED: implemented++; break;
		case AIMS_STATUS_PARTIAL: partial++; break;
		case AIMS_STATUS_PLANNED: planned++; break;
		default: not_implemented++; break;
		}
	}
	for (size_t i = 0; cat && i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if (strcmp(r->kind, "control") == 0 && !aims_isms_find(isms, r->id) &&
		    json_array_append_new(missing, json_string(r->id)) < 0)
			goto fail;
	}
	const aims_isms_info *info = aims_isms_info_get(isms);
	o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:I, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:o}}", "version",
		      (json_int_t)info->version, "framework", info->framework, "imported_at",
		      aims_json_str(info->imported_at), "source", info->source, "digest", info->digest, "rows",
		      (json_int_t)info->rows, "controls", rows, "summary", "implemented", (json_int_t)implemented,
		      "partial", (json_int_t)partial, "planned", (json_int_t)planned, "not-implemented",
		      (json_int_t)not_implemented, "excluded", (json_int_t)excluded, "missing", missing);
	return o; /* json_pack took rows and missing, also when it failed */
fail:
	json_decref(rows);
	json_decref(missing);
	return NULL;
}

/* the document of version `version` (0: the latest) */
static int isms_doc(json_t **out, aims_store *store, int64_t version)
{
	aims_isms *isms = NULL;
	aims_catalog *cat = NULL;
	int err;

	*out = NULL;
	if ((err = aims_isms_read(&isms, store, version)) < 0 ||
	    (err = aims_catalog_read(&cat, store, aims_isms_info_get(isms)->framework)) < 0)
		goto done;
	if (!(*out = aims_isms_json(isms, cat)))
		err = aims__oom();
done:
	aims_catalog_free(cat);
	aims_isms_free(isms);
	return err;
}

static int op_isms_import(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const json_t *file = json_object_get(req, "file");
	const char *name = aims_req_str(req, "source");
	int64_t version = 0;
	int err;

	if (!name)
		name = ctx->input_name ? ctx->input_name : "request";
	if ((err = aims_isms_import_mem(ctx->store, json_string_value(file), json_string_length(file), name,
					&version)) < 0)
		return err;
	/* read it back: what is reported is what the store holds */
	return isms_doc(&res->json, ctx->store, version);
}

static int op_isms_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int64_t version = aims_req_int(req, "version", 0);
	if (aims_req_has(req, "version") && version <= 0) {
		aims__err_set(AIMS_EUSAGE, "version %lld: needs a positive whole number", (long long)version);
		aims__err_set_field("version");
		return AIMS_EUSAGE;
	}
	return isms_doc(&res->json, ctx->store, version);
}

static int op_isms_versions(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_isms_info *list = NULL;
	size_t n = 0;
	json_t *a;
	int err;
	(void)req;
	if ((err = aims_isms_versions(&list, &n, ctx->store)) < 0)
		return err;
	a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, aims_isms_info_json(&list[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_isms_versions_free(list, n);
	if (!a || !(res->json = json_pack("{s:o}", "versions", a)))
		return aims__oom();
	return 0;
}

static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_isms_import[] = {
	{ "file", AIMS_FT_FILE, AIMS_FF_REQUIRED | AIMS_FF_ARG, "FILE",
	  "the ISMS state as CSV (on the command line a file, '-' for standard input)", NULL },
	{ "source", AIMS_FT_STRING, AIMS_FF_NOCLI, "NAME",
	  "the file name kept with the version and used in messages (default: the input's name)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_isms_show[] = {
	{ "version", AIMS_FT_INT, AIMS_FF_NOCLI, "N", "show version N instead of the latest", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_isms[] = {
	{ "isms.import", "isms import", "POST", "/isms/versions", "isms.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_isms_import, "import the ISO/IEC 27001 ISMS state (statement of applicability) from CSV", NULL, NULL,
	  NULL, op_isms_import },
	{ "isms.show", "isms show", "GET", "/isms", "read", 0, f_isms_show,
	  "show the ISMS state: each control's applicability, status, owner and evidence", NULL, NULL, NULL,
	  op_isms_show },
	{ "isms.versions", "isms versions", "GET", "/isms/versions", "read", AIMS_OP_LIST, f_none,
	  "list the imported ISMS versions", "versions", NULL, NULL, op_isms_versions },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
