/*
 * Operations on the framework catalogs in the store (aims catalog list |
 * show; GET /api/v1/catalogs, /catalogs/{framework}), and the JSON of a
 * requirement, a catalog and the list of catalogs, built once here for the
 * command line and the API. Loading catalogs from a folder stays with
 * `aims init`, which reads the local files.
 */
#include <string.h>

#include "aims/catalog.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

json_t *aims_requirement_json(const aims_requirement *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "id", r->id, "kind", r->kind, "title", r->title, "parent",
			      aims_json_str(r->parent));
	if (o && ((r->summary && json_object_set_new(o, "summary", json_string(r->summary)) < 0) ||
		  (r->text && json_object_set_new(o, "text", json_string(r->text)) < 0) ||
		  (r->chapter && json_object_set_new(o, "chapter", json_string(r->chapter)) < 0))) {
		json_decref(o);
		return NULL;
	}
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

int aims_catalog_json(json_t **out, const aims_catalog *cat, const char *id, const char *kind)
{
	const aims_framework *fw = aims_catalog_framework(cat);
	json_t *o = NULL, *a = NULL;

	*out = NULL;
	if (id && !aims_catalog_find(cat, id))
		return aims__err(AIMS_ENOTFOUND, "no requirement '%s' in '%s'", id, fw->framework);
	if (!(a = json_array()))
		return aims__oom();
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if ((id && !within(cat, r, id)) || (kind && strcmp(r->kind, kind) != 0))
			continue;
		if (json_array_append_new(a, aims_requirement_json(r)) < 0)
			goto oom;
	}
	if (!(o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "framework", fw->framework, "title", fw->title,
			    "version", fw->version, "publisher", fw->publisher, "source", fw->source, "licence",
			    fw->licence)) ||
	    (fw->notes && json_object_set_new(o, "notes", json_string(fw->notes)) < 0) ||
	    json_object_set_new(o, "digest", aims_json_str(fw->digest)) < 0 ||
	    json_object_set_new(o, "loaded_at", aims_json_str(fw->loaded_at)) < 0)
		goto oom;
	if (json_object_set_new(o, "requirements", a) < 0) {
		a = NULL;
		goto oom;
	}
	*out = o;
	return 0;
oom:
	json_decref(a);
	json_decref(o);
	return aims__oom();
}

json_t *aims_catalog_list_json(const aims_catalog_list *list)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < list->count; i++) {
		const aims_framework *f = &list->items[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "framework", f->framework,
				      "title", f->title, "version", f->version, "publisher", f->publisher, "source",
				      f->source, "licence", f->licence, "requirements",
				      (json_int_t)list->requirement_counts[i], "digest", aims_json_str(f->digest),
				      "loaded_at", aims_json_str(f->loaded_at));
		if (json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a ? json_pack("{s:o}", "frameworks", a) : NULL;
}

static int op_catalog_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_catalog_list *list = NULL;
	int err;
	(void)req;
	if ((err = aims_catalog_list_read(&list, ctx->store)) < 0)
		return err;
	if (!(res->json = aims_catalog_list_json(list)))
		err = aims__oom();
	aims_catalog_list_free(list);
	return err;
}

static int is_kind(const char *kind)
{
	for (const char *const *k = aims_requirement_kinds; *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

static int op_catalog_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *kind = aims_req_str(req, "kind");
	aims_catalog *cat = NULL;
	int err;

	if (kind && !is_kind(kind)) {
		aims__err_set(AIMS_EUSAGE, "kind '%s' is not a requirement kind (clause, control, group, function, "
			      "category, subcategory, chapter, section, article, annex, annex-iii-area)", kind);
		aims__err_set_field("kind");
		return AIMS_EUSAGE;
	}
	if ((err = aims_catalog_read(&cat, ctx->store, aims_req_str(req, "framework"))) < 0)
		return err;
	err = aims_catalog_json(&res->json, cat, aims_req_str(req, "id"), kind);
	aims_catalog_free(cat);
	return err;
}

static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_catalog_show[] = {
	{ "framework", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "FRAMEWORK", "the framework, e.g. iso42001-2023",
	  NULL },
	{ "id", AIMS_FT_STRING, AIMS_FF_ARG, "ID", "only this requirement and those within it (e.g. A.6, 'GOVERN 1.1')",
	  NULL },
	{ "kind", AIMS_FT_STRING, 0, "KIND", "only requirements of this kind (clause, control, group, function, "
	  "category, subcategory, chapter, section, article, annex, annex-iii-area)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_catalog[] = {
	{ "catalog.list", "catalog list", "GET", "/catalogs", "read", AIMS_OP_LIST, f_none,
	  "list the framework catalogs in the store", "frameworks", NULL, NULL, op_catalog_list },
	{ "catalog.show", "catalog show", "GET", "/catalogs/{framework}", "read", 0, f_catalog_show,
	  "show a framework's requirements, or one requirement and what it contains", NULL, NULL, NULL,
	  op_catalog_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
