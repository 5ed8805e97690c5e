/*
 * Operations on the crosswalks between frameworks (aims map; /api/v1/
 * crosswalks, /crosswalk-rows, /crosswalk-paths), and the JSON of a
 * crosswalk list, of one crosswalk's rows and of the paths between
 * requirements, built once here for the command line and the API. Every
 * document depends only on the loaded catalogs and crosswalks.
 */
#include <stdio.h>
#include <string.h>

#include "aims/catalog.h"
#include "aims/crosswalk.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

/* ---- JSON ---- */

static json_t *info_json(const aims_crosswalk_info *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "from", c->from, "to", c->to, "title", c->title, "source",
			      c->source, "licence", c->licence, "method", c->method);
	if (o && c->notes && json_object_set_new(o, "notes", json_string(c->notes)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *aims_crosswalk_list_json(const aims_crosswalk_list *list)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < list->count; i++) {
		const aims_crosswalk_info *c = &list->items[i];
		json_t *o = info_json(c);
		if (!o || json_object_set_new(o, "rows", json_integer((json_int_t)list->row_counts[i])) < 0 ||
		    json_object_set_new(o, "digest", aims_json_str(c->digest)) < 0 ||
		    json_object_set_new(o, "loaded_at", aims_json_str(c->loaded_at)) < 0) {
			json_decref(o);
			json_decref(arr);
			return NULL;
		}
		if (json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr ? json_pack("{s:o}", "crosswalks", arr) : NULL;
}

json_t *aims_crosswalk_json(const aims_crosswalk *cw, const char *target)
{
	const aims_crosswalk_info *in = aims_crosswalk_info_get(cw);
	json_t *maps = json_array(), *targets = json_array(), *o = info_json(in);

	if (!o || !maps || !targets || json_object_set_new(o, "digest", aims_json_str(in->digest)) < 0 ||
	    json_object_set_new(o, "inverted", json_boolean(aims_crosswalk_inverted(cw))) < 0)
		goto oom;
	for (size_t i = 0; i < aims_crosswalk_count(cw); i++) {
		const aims_mapping *m = aims_crosswalk_at(cw, i);
		if (target && strcmp(m->target, target) != 0)
			continue;
		json_t *row = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}", "source", aims_json_str(m->source), "target",
					m->target, "relationship", m->relationship, "rationale", m->rationale,
					"confidence", m->confidence, "explanation", m->explanation);
		if (row && m->role && json_object_set_new(row, "role", json_string(m->role)) < 0) {
			json_decref(row);
			goto oom;
		}
		if (json_array_append_new(maps, row) < 0)
			goto oom;
	}
	for (size_t i = 0; i < aims_crosswalk_target_count(cw); i++) {
		const char *id = NULL, *adds = NULL;
		aims_crosswalk_target_at(cw, i, &id, &adds);
		if (target && strcmp(id, target) != 0)
			continue;
		if (json_array_append_new(targets, json_pack("{s:s, s:s}", "id", id, "adds", adds)) < 0)
			goto oom;
	}
	if (json_object_set_new(o, "mappings", maps) < 0) {
		maps = NULL;
		goto oom;
	}
	if (json_object_set_new(o, "targets", targets) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
oom:
	json_decref(o);
	json_decref(maps);
	json_decref(targets);
	return NULL;
}

static const char *support_name(int support)
{
	return support == AIMS_SUPPORT_FULL ? "full" : support == AIMS_SUPPORT_PARTIAL ? "partial" : "none";
}

static json_t *node_str(const char *fw, const char *id)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s:%s", fw, id);
	return json_string(buf);
}

json_t *aims_path_list_json(const aims_path_list *list, const char *from_fw, const char *from_id, const char *to_fw,
			    const char *to_id)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < list->count; i++) {
		const aims_path *p = &list->items[i];
		json_t *hops = json_array();
		for (size_t h = 0; hops && h < p->nhops; h++) {
			const aims_hop *x = &p->hops[h];
			json_t *hop = json_pack("{s:o, s:o, s:s, s:s, s:s, s:b}", "from",
						node_str(x->from_framework, x->from_id), "to",
						node_str(x->to_framework, x->to_id), "relationship", x->relationship,
						"confidence", x->confidence, "explanation", x->explanation, "reversed",
						x->reversed);
			if (hop && x->role && json_object_set_new(hop, "role", json_string(x->role)) < 0) {
				json_decref(hop);
				hop = NULL;
			}
			if (json_array_append_new(hops, hop) < 0) {
				json_decref(hops);
				hops = NULL;
			}
		}
		if (!hops ||
		    json_array_append_new(arr, json_pack("{s:s, s:o}", "support", support_name(p->support), "hops", hops)) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (!arr)
		return NULL;
	return json_pack("{s:{s:s, s:o}, s:{s:s, s:o}, s:o}", "from", "framework", from_fw, "id", aims_json_str(from_id),
			 "to", "framework", to_fw, "id", aims_json_str(to_id), "paths", arr);
}

/* ---- operations ---- */

static int op_map_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_crosswalk_list *list = NULL;
	int err;
	(void)req;
	if ((err = aims_crosswalk_list_read(&list, ctx->store)) < 0)
		return err;
	if (!(res->json = aims_crosswalk_list_json(list)))
		err = aims__oom();
	aims_crosswalk_list_free(list);
	return err;
}

static int usage(const char *field, const char *msg, const char *value)
{
	aims__err_set(AIMS_EUSAGE, "'%s' %s", value, msg);
	aims__err_set_field(field);
	return AIMS_EUSAGE;
}

static int op_map_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *from = aims_req_str(req, "from"), *to = aims_req_str(req, "to");
	const char *target = aims_req_str(req, "target");
	aims_crosswalk *cw = NULL;
	aims_catalog *cat = NULL;
	int err;
	if (!*from || !*to) {
		aims__err_set(AIMS_EUSAGE, "from and to are required: the frameworks the rows start from and lead to");
		aims__err_set_field(*from ? "to" : "from");
		return AIMS_EUSAGE;
	}
	if (target && !*target)
		return usage("target", "is not a requirement id", target);
	if ((err = aims_crosswalk_read(&cw, ctx->store, from, to)) < 0)
		return err;
	/* with a target: it must be a requirement of the framework the rows lead to */
	if (target) {
		if ((err = aims_catalog_read(&cat, ctx->store, to)) < 0)
			goto done;
		if (!aims_catalog_find(cat, target)) {
			err = aims__err(AIMS_ENOTFOUND, "no requirement '%s' in '%s'", target, to);
			goto done;
		}
	}
	if (!(res->json = aims_crosswalk_json(cw, target)))
		err = aims__oom();
done:
	aims_catalog_free(cat);
	aims_crosswalk_free(cw);
	return err;
}

/* "FRAMEWORK:ID" (id required) or, when id_optional, "FRAMEWORK" */
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

static int op_map_path(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *from = aims_req_str(req, "from"), *to = aims_req_str(req, "to");
	const char *from_id, *to_id;
	char from_fw[128], to_fw[128];
	aims_path_list *list = NULL;
	int err;

	if (split_ref(from, from_fw, sizeof(from_fw), &from_id, 0) < 0)
		return usage("from", "is not FRAMEWORK:ID (e.g. iso27001-2022:A.8.15)", from);
	if (split_ref(to, to_fw, sizeof(to_fw), &to_id, 1) < 0)
		return usage("to", "is not FRAMEWORK:ID or FRAMEWORK (e.g. eu-ai-act-2024:Article 12)", to);
	if (strcmp(from_fw, to_fw) == 0) {
		aims__err_set(AIMS_EUSAGE, "'%s' and '%s' are in the same framework", from, to);
		aims__err_set_field("to");
		return AIMS_EUSAGE;
	}
	if ((err = aims_map_paths(&list, ctx->store, from_fw, from_id, to_fw, to_id)) < 0)
		return err;
	if (!(res->json = aims_path_list_json(list, from_fw, from_id, to_fw, to_id)))
		err = aims__oom();
	else if (list->count == 0)
		res->outcome = AIMS_EDENIED; /* no path is a finding (exit 1), not an error */
	aims_path_list_free(list);
	return err;
}

/* ---- the table ---- */

static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_show[] = {
	{ "from", AIMS_FT_STRING, AIMS_FF_REQUIRED, "FRAMEWORK", "the framework the rows start from", NULL },
	{ "to", AIMS_FT_STRING, AIMS_FF_REQUIRED, "FRAMEWORK", "the framework the rows lead to", NULL },
	{ "target", AIMS_FT_STRING, 0, "ID", "only the rows for this requirement of the --to framework", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_path[] = {
	{ "from", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "FRAMEWORK:ID", "the requirement the paths start from",
	  NULL },
	{ "to", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "FRAMEWORK[:ID]",
	  "the requirement, or any requirement of the framework, the paths lead to", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_map[] = {
	{ "map.list", "map list", "GET", "/crosswalks", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "list the crosswalks between frameworks in the store", "crosswalks", NULL, NULL, op_map_list },
	{ "map.path", "map path", "GET", "/crosswalk-paths", "read", AIMS_OP_CACHEABLE, f_path,
	  "follow crosswalk rows from a requirement to another framework", NULL, NULL, NULL, op_map_path },
	{ "map.show", "map show", "GET", "/crosswalk-rows", "read", AIMS_OP_CACHEABLE, f_show,
	  "show the rows of the crosswalk between two frameworks", NULL, NULL, NULL, op_map_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
