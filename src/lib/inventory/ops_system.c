/*
 * Operations on AI systems and deployments (aims system, aims deploy;
 * /api/v1/systems, /deployments), and the JSON of a system and a
 * deployment, built once here for the command line and the API.
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "aims/op.h"
#include "aims/oversight.h"
#include "core/core.h"
#include "op/op_internal.h"

json_t *aims_system_json(const aims_system *s)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:I, s:o, s:o, s:o}", "name", s->name,
			 "purpose", aims_json_str(s->purpose), "intended_use", aims_json_str(s->intended_use),
			 "misuse", aims_json_str(s->misuse), "owner", aims_json_str(s->owner), "lifecycle",
			 s->lifecycle, "role", s->role, "oversight", s->oversight, "affected_groups",
			 aims_json_str(s->affected_groups), "status", s->status, "version", (json_int_t)s->version,
			 "digest", aims_json_str(s->digest), "created_at", aims_json_str(s->created_at),
			 "updated_at", aims_json_str(s->updated_at));
}

json_t *aims_deployment_json(const aims_deployment *d)
{
	char model[512];
	snprintf(model, sizeof(model), "%s@%s", d->model, d->model_version);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "system", d->system, "seq", (json_int_t)d->seq,
			 "model", model, "env", d->env, "deployed_at", d->deployed_at, "deployed_by", d->deployed_by,
			 "notes", aims_json_str(d->notes), "digest", d->digest);
}

static json_t *deployments_json(const aims_deployments *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_deployment_json(&l->items[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* the whole document of a system: its record, current model and deployment history */
static int system_doc(json_t **out, aims_store *store, const char *name)
{
	aims_system *s = NULL;
	aims_deployments *dl = NULL;
	char *cur = NULL;
	json_t *o = NULL, *a = NULL;
	int err;

	*out = NULL;
	if ((err = aims_system_get(&s, store, name)) < 0 || (err = aims_deploy_list(&dl, store, name)) < 0 ||
	    (err = aims_system_current_model(&cur, store, name, NULL)) < 0)
		goto done;
	if (!(o = aims_system_json(s)) || !(a = deployments_json(dl)) ||
	    json_object_set_new(o, "current_model", aims_json_str(cur)) < 0 ||
	    json_object_set_new(o, "deployments", a) < 0) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	*out = o;
	o = NULL;
	err = 0;
done:
	json_decref(o);
	aims__free(cur);
	aims_deployments_free(dl);
	aims_system_free(s);
	return err;
}

static void fields_from_req(aims_system_fields *f, const json_t *req)
{
	f->purpose = aims_req_str(req, "purpose");
	f->intended_use = aims_req_str(req, "intended_use");
	f->misuse = aims_req_str(req, "misuse");
	f->owner = aims_req_str(req, "owner");
	f->lifecycle = aims_req_str(req, "lifecycle");
	f->role = aims_req_str(req, "role");
	f->oversight = aims_req_str(req, "oversight");
	f->affected_groups = aims_req_str(req, "affected_groups");
	f->status = aims_req_str(req, "status");
}

static int op_system_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	int err;
	fields_from_req(&f, req);
	if ((err = aims_system_add(ctx->store, aims_req_str(req, "name"), &f)) < 0)
		return err;
	return system_doc(&res->json, ctx->store, aims_req_str(req, "name"));
}

static int op_system_set(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	const char *name = aims_req_str(req, "name");
	int err, changed = 0;
	fields_from_req(&f, req);
	if (!f.purpose && !f.intended_use && !f.misuse && !f.owner && !f.lifecycle && !f.role && !f.oversight &&
	    !f.affected_groups && !f.status)
		return aims__err(AIMS_EINVALID, "nothing to change: give at least one field");
	if ((err = aims_system_set(&changed, ctx->store, name, &f)) < 0)
		return err;
	if (!changed) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s: unchanged", name);
		if (!(res->message = aims__strdup(msg)))
			return aims__oom();
	}
	return system_doc(&res->json, ctx->store, name);
}

static int op_system_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return system_doc(&res->json, ctx->store, aims_req_str(req, "name"));
}

static int op_system_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_systems *l = NULL;
	json_t *a = NULL;
	int err;
	(void)req;
	if ((err = aims_system_list(&l, ctx->store)) < 0)
		return err;
	if (!(a = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < l->count; i++) {
		char *cur = NULL;
		json_t *o = aims_system_json(l->items[i]);
		if (!o || (err = aims_system_current_model(&cur, ctx->store, l->items[i]->name, NULL)) < 0 ||
		    json_object_set_new(o, "current_model", aims_json_str(cur)) < 0 || json_array_append_new(a, o) < 0) {
			aims__free(cur);
			err = err < 0 ? err : aims__oom();
			goto done;
		}
		aims__free(cur);
	}
	if (!(res->json = json_pack("{s:o}", "systems", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	json_decref(a);
	aims_systems_free(l);
	return err;
}

static int op_deploy_record(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_deployments *l = NULL;
	int64_t seq = 0;
	int err;
	/* a production deployment passes the lifecycle gate "deployed" of the system's policy (oversight.h) */
	if ((err = aims_gate_deploy(ctx->store, aims_req_str(req, "system"), aims_req_str(req, "model"),
				    aims_req_str(req, "env"))) < 0)
		return err;
	if ((err = aims_deploy_record(&seq, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "model"),
				      aims_req_str(req, "env"), aims_req_str(req, "at"), aims_req_str(req, "notes"))) < 0 ||
	    (err = aims_deploy_list(&l, ctx->store, aims_req_str(req, "system"))) < 0)
		return err;
	for (size_t i = 0; i < l->count && !res->json; i++)
		if (l->items[i].seq == seq && !(res->json = aims_deployment_json(&l->items[i])))
			err = aims__oom();
	aims_deployments_free(l);
	return err;
}

static int op_deploy_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *sys = aims_req_str(req, "system");
	aims_deployments *l = NULL;
	aims_system *s = NULL;
	json_t *a;
	int err;
	if ((sys && (err = aims_system_get(&s, ctx->store, sys)) < 0) || (err = aims_deploy_list(&l, ctx->store, sys)) < 0) {
		aims_system_free(s);
		return err;
	}
	aims_system_free(s);
	a = deployments_json(l);
	aims_deployments_free(l);
	if (!a || !(res->json = json_pack("{s:o}", "deployments", a)))
		return aims__oom();
	return 0;
}

#define SYSTEM_FIELDS \
	{ "purpose", AIMS_FT_STRING, 0, "TEXT", "what the system is for", NULL }, \
	{ "intended_use", AIMS_FT_STRING, 0, "TEXT", "the intended use and users", NULL }, \
	{ "misuse", AIMS_FT_STRING, 0, "TEXT", "reasonably foreseeable misuse", NULL }, \
	{ "owner", AIMS_FT_STRING, 0, "NAME", "who is accountable for the system", NULL }, \
	{ "lifecycle", AIMS_FT_STRING, 0, "STAGE", "idea, design, development (default), validation, deployed, " \
	  "operating or retired", aims_system_lifecycles }, \
	{ "role", AIMS_FT_STRING, 0, "ROLE", "EU AI Act role: provider, deployer, both or unspecified (default)", \
	  aims_system_roles }, \
	{ "oversight", AIMS_FT_STRING, 0, "MODE", "human oversight: human-in-the-loop, human-on-the-loop, " \
	  "human-in-command, none or unspecified (default)", aims_system_oversights }, \
	{ "affected_groups", AIMS_FT_STRING, 0, "TEXT", "who is affected by the system's outputs", NULL }, \
	{ "status", AIMS_FT_STRING, 0, "STATUS", "active (default), suspended or retired", aims_system_statuses }

static const aims_op_field f_system_add[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "NAME", "the system's name: A-Z a-z 0-9 . _ -", NULL },
	SYSTEM_FIELDS,
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_system_set[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the system's name", NULL },
	SYSTEM_FIELDS,
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_system_name[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the system's name", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_deploy_record[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system", NULL },
	{ "model", AIMS_FT_STRING, AIMS_FF_REQUIRED, "NAME@VER", "the model version deployed (must be in the inventory)",
	  NULL },
	{ "env", AIMS_FT_STRING, AIMS_FF_REQUIRED, "ENV", "the environment, e.g. production or staging", NULL },
	{ "at", AIMS_FT_STRING, 0, "TIME", "when (RFC 3339; default now)", NULL },
	{ "notes", AIMS_FT_STRING, 0, "TEXT", "a note, e.g. a change ticket", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_deploy_list[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_ARG, "SYSTEM", "only this AI system's deployments", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_system[] = {
	{ "deploy.list", "deploy list", "GET", "/deployments", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_deploy_list,
	  "list deployments, oldest first", "deployments", NULL, NULL, op_deploy_list },
	{ "deploy.record", "deploy record", "POST", "/systems/{system}/deployments", "inventory.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_deploy_record,
	  "record that a model version was deployed for an AI system in an environment", NULL, NULL, NULL,
	  op_deploy_record },
	{ "system.add", "system add", "POST", "/systems", "inventory.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_system_add, "add an AI system to the inventory", NULL, NULL, NULL, op_system_add },
	{ "system.list", "system list", "GET", "/systems", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "list the AI systems of the inventory", "systems", NULL, NULL, op_system_list },
	{ "system.set", "system set", "PATCH", "/systems/{name}", "inventory.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_system_set, "change fields of an AI system (a new record version)", NULL, "system.show", NULL,
	  op_system_set },
	{ "system.show", "system show", "GET", "/systems/{name}", "read", AIMS_OP_CACHEABLE, f_system_name,
	  "show an AI system with its current model and deployments", NULL, NULL, NULL, op_system_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
