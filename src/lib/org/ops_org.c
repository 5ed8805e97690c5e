/*
 * Operations on the organization's facts and the store's status (aims org
 * set | show, aims status, aims version; /api/v1/org, /status, /version).
 */
#include "aims/aims.h"
#include "core/core.h"
#include "op/op_internal.h"

static int op_org_set(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err = aims_org_set(ctx->store, aims_req_str(req, "name"), aims_req_str(req, "sector"),
			       aims_req_str(req, "country"));
	return err < 0 ? err : aims_org_json(&res->json, ctx->store);
}

static int op_org_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	(void)req;
	return aims_org_json(&res->json, ctx->store);
}

static int op_status(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	(void)req;
	return aims_status_json(&res->json, ctx->store);
}

static int op_version(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	(void)req;
	if (!(res->json = json_pack("{s:s, s:i}", "version", aims_version(), "schema",
				    aims_store_schema_version(ctx->store))))
		return aims__oom();
	return 0;
}

static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_org_set[] = {
	{ "name", AIMS_FT_STRING, 0, "NAME", "the organization's name", NULL },
	{ "sector", AIMS_FT_STRING, 0, "SECTOR", "its sector, e.g. 'consumer lending'", NULL },
	{ "country", AIMS_FT_STRING, 0, "CODE", "its country as an ISO 3166-1 alpha-2 code, e.g. DE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_org[] = {
	{ "org.set", "org set", "PATCH", "/org", "org.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE, f_org_set,
	  "record facts about the organization", NULL, "org.show", NULL, op_org_set },
	{ "org.show", "org show", "GET", "/org", "read", 0, f_none, "show the organization's recorded facts", NULL,
	  NULL, NULL, op_org_show },
	{ "status", "status", "GET", "/status", "read", 0, f_none,
	  "summarize the store: organization, schema, frameworks and content digest", NULL, NULL, NULL, op_status },
	{ "version", "version", "GET", "/version", "read", 0, f_none,
	  "print the version of aims and of its store schema", NULL, NULL, NULL, op_version },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
