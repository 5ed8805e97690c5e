/*
 * Operations on policies (aims policy set | check | list | show | retire;
 * /api/v1/policies). The policy file travels as text (a FILE field): the
 * command line reads the named file, the API takes it in the request body,
 * and refusals name the file (or "request body"), the line and the key.
 */
#include <string.h>

#include "aims/op.h"
#include "aims/policy.h"
#include "core/core.h"
#include "op/op_internal.h"

static const char *input_name(const aims_op_ctx *ctx)
{
	return ctx->input_name ? ctx->input_name : "request body";
}

static int op_policy_set(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *text = aims_req_str(req, "file");
	aims_policy *p = NULL;
	int changed = 0, err;
	if ((err = aims_policy_set(&p, &changed, ctx->store, text, strlen(text), input_name(ctx))) < 0)
		return err;
	res->json = aims_policy_json(p);
	if (res->json && json_object_set_new(res->json, "changed", json_boolean(changed)) < 0) {
		json_decref(res->json);
		res->json = NULL;
	}
	aims_policy_free(p);
	return res->json ? 0 : aims__oom();
}

static int op_policy_check(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *text = aims_req_str(req, "file");
	aims_policy *p = NULL;
	int err;
	if ((err = aims_policy_parse(&p, text, strlen(text), input_name(ctx))) < 0)
		return err;
	res->json = aims_policy_json(p);
	aims_policy_free(p);
	return res->json ? 0 : aims__oom();
}

static int op_policy_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_policy *p = NULL;
	int64_t version = aims_req_int(req, "version", 0);
	int err;
	if (version < 0 || version > 1000000)
		return aims__err(AIMS_EINVALID, "version %lld: expected a version number", (long long)version);
	if ((err = aims_policy_get(&p, ctx->store, aims_req_str(req, "name"), (int)version)) < 0)
		return err;
	res->json = aims_policy_json(p);
	if (res->json && aims_req_bool(req, "body") &&
	    json_object_set_new(res->json, "body", json_string(p->body)) < 0) {
		json_decref(res->json);
		res->json = NULL;
	}
	aims_policy_free(p);
	return res->json ? 0 : aims__oom();
}

static int op_policy_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_policies *l = NULL;
	json_t *a;
	int err;
	if ((err = aims_policy_list(&l, ctx->store, aims_req_str(req, "name"))) < 0)
		return err;
	if (!(a = json_array())) {
		aims_policies_free(l);
		return aims__oom();
	}
	for (size_t i = 0; i < l->count; i++)
		if (json_array_append_new(a, aims_policy_json(l->items[i])) < 0) {
			json_decref(a);
			aims_policies_free(l);
			return aims__oom();
		}
	aims_policies_free(l);
	if (!(res->json = json_pack("{s:o}", "policies", a)))
		return aims__oom();
	return 0;
}

static int op_policy_retire(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_policy *p = NULL;
	int err;
	if ((err = aims_policy_retire(&p, ctx->store, aims_req_str(req, "name"))) < 0)
		return err;
	res->json = aims_policy_json(p);
	aims_policy_free(p);
	return res->json ? 0 : aims__oom();
}

static const aims_op_field f_file[] = {
	{ "file", AIMS_FT_FILE, AIMS_FF_REQUIRED | AIMS_FF_ARG, "FILE", "the policy file (YAML, or JSON)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_show[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the policy", NULL },
	{ "version", AIMS_FT_INT, 0, "N", "this version (default: the latest)", NULL },
	{ "body", AIMS_FT_BOOL, 0, NULL, "include the policy file as stored", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_list[] = {
	{ "name", AIMS_FT_STRING, 0, "NAME", "every version of this policy (default: the latest of each)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_name[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the policy", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_policy[] = {
	{ "policy.check", "policy check", "POST", "/policy-checks", "read", 0, f_file,
	  "check a policy file without storing it", NULL, NULL, NULL, op_policy_check },
	{ "policy.list", "policy list", "GET", "/policies", "read", AIMS_OP_LIST, f_list,
	  "list the policies (the latest version of each), or every version of one", "policies", NULL, NULL,
	  op_policy_list },
	{ "policy.retire", "policy retire", "POST", "/policies/{name}/retire", "policy.manage", AIMS_OP_WRITE, f_name,
	  "retire a policy: it no longer applies (a new version, in the ledger)", NULL, NULL, NULL, op_policy_retire },
	{ "policy.set", "policy set", "POST", "/policies", "policy.manage", AIMS_OP_WRITE | AIMS_OP_CREATED, f_file,
	  "store a policy file as the next version of the policy it names", NULL, NULL, NULL, op_policy_set },
	{ "policy.show", "policy show", "GET", "/policies/{name}", "read", 0, f_show,
	  "show a policy (a version of it) with its digest and provenance", NULL, NULL, NULL, op_policy_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
