/*
 * Operations on AI system impact assessments (aims assess;
 * /api/v1/impact-assessments), and the JSON of an assessment, built once
 * here for the command line and the API. The answers arrive as text (the
 * command line reads the file); refusals name it (ctx->input_name), the line
 * and the key. Approval is four eyes between principals (assess.c).
 */
#include <stdio.h>
#include <string.h>

#include "aims/assess.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

/* the largest answers document accepted */
#define ANSWERS_MAX ((size_t)1 << 20)

json_t *aims_assessment_json(const aims_assessment *a, int with_answers)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s}", "id", a->id, "system",
			      a->system, "version", a->version, "status", a->status, "author", a->author, "approver",
			      aims_json_str(a->approver), "approved_at", aims_json_str(a->approved_at), "source",
			      a->source, "source_digest", a->source_digest, "digest", a->digest, "created_at",
			      a->created_at);
	if (!o) {
		aims__err_set(AIMS_ENOMEM, "out of memory");
		return NULL;
	}
	if (!with_answers)
		return o;
	json_t *ans = json_loads(a->answers ? a->answers : "", 0, NULL);
	json_t *snap = a->snapshot ? json_loads(a->snapshot, 0, NULL) : json_null();
	if (!ans || !snap) {
		json_decref(ans);
		json_decref(snap);
		json_decref(o);
		aims__err_set(AIMS_ETAMPERED, "%s: its stored answers or approval snapshot are not valid JSON", a->id);
		return NULL;
	}
	if (json_object_set_new(o, "answers", ans) < 0 || json_object_set_new(o, "snapshot", snap) < 0) {
		json_decref(o);
		aims__err_set(AIMS_ENOMEM, "out of memory");
		return NULL;
	}
	return o;
}

static int json_failed(void)
{
	int code = aims_error_last_code();
	return code < 0 ? code : aims__oom();
}

/* an assessment with its answers, snapshot and whether its system is due for a new one */
static int assessment_doc(json_t **out, aims_store *store, const char *id)
{
	aims_assessment *a = NULL;
	char *why = NULL;
	int err, due = 0;
	*out = NULL;
	if ((err = aims_assess_get(&a, store, id)) < 0)
		return err;
	if (!(*out = aims_assessment_json(a, 1))) {
		err = json_failed();
		goto done;
	}
	err = aims_assess_due(&due, &why, store, a->system);
	if (err == AIMS_ENOTFOUND) {
		/* the system left the inventory: nothing to be due against */
		aims_error_clear();
		err = 0;
		goto done;
	}
	if (err < 0 || json_object_set_new(*out, "system_due", json_boolean(due)) < 0 ||
	    json_object_set_new(*out, "due_reasons", aims_json_str(why)) < 0) {
		err = err < 0 ? err : aims__oom();
		goto done;
	}
done:
	if (err < 0) {
		json_decref(*out);
		*out = NULL;
	}
	aims__free(why);
	aims_assessment_free(a);
	return err;
}

static int op_assess_impact(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *answers = aims_req_str(req, "answers");
	const char *name = ctx->input_name ? ctx->input_name : "answers";
	size_t len = strlen(answers);
	char *id = NULL;
	int err;
	if (len > ANSWERS_MAX) {
		aims__err_set(AIMS_EINVALID, "'%s': larger than %zu bytes", name, ANSWERS_MAX);
		aims__err_set_field("answers");
		return AIMS_EINVALID;
	}
	if ((err = aims_assess_impact(&id, ctx->store, aims_req_str(req, "system"), answers, len, name)) < 0)
		return err;
	err = assessment_doc(&res->json, ctx->store, id);
	aims__free(id);
	return err;
}

static int op_assess_approve(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err;
	/* the acting principal approves: assess.c refuses the author */
	if ((err = aims_assess_approve(ctx->store, aims_req_str(req, "id"))) < 0)
		return err;
	return assessment_doc(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_assess_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return assessment_doc(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_assess_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *only = aims_req_str(req, "system");
	aims_assessments *l = NULL;
	json_t *a = NULL, *systems = NULL;
	int err;
	if ((err = aims_assess_list(&l, ctx->store, only)) < 0)
		return err;
	if (!(a = json_array()) || !(systems = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < l->count; i++) {
		json_t *o = aims_assessment_json(l->items[i], 0);
		if (!o || json_array_append_new(a, o) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	/* whether a new assessment is due, once per system seen (or the one asked for) */
	for (size_t i = 0; i <= l->count; i++) {
		const char *sys = i < l->count ? l->items[i]->system : (l->count ? NULL : only);
		int seen = 0, due = 0;
		char *why = NULL;
		for (size_t k = 0; sys && k < i && !seen; k++)
			seen = l->items[k]->system && strcmp(l->items[k]->system, sys) == 0;
		if (!sys || seen)
			continue;
		if ((err = aims_assess_due(&due, &why, ctx->store, sys)) < 0)
			goto done;
		json_t *o = json_pack("{s:s, s:b, s:o}", "system", sys, "due", due, "reasons", aims_json_str(why));
		aims__free(why);
		if (!o || json_array_append_new(systems, o) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (!(res->json = json_pack("{s:o, s:o}", "assessments", a, "systems", systems))) {
		a = systems = NULL;
		err = aims__oom();
		goto done;
	}
	a = systems = NULL;
	err = 0;
done:
	json_decref(a);
	json_decref(systems);
	aims_assessments_free(l);
	return err;
}

static const aims_op_field f_impact[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system (in the inventory)", NULL },
	{ "answers", AIMS_FT_FILE, AIMS_FF_REQUIRED, "FILE",
	  "the questionnaire (YAML, or JSON; '-' for standard input)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_id[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the impact assessment (IA-NNN)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_list[] = {
	{ "system", AIMS_FT_STRING, 0, "NAME", "only this AI system", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_assess[] = {
	{ "assess.approve", "assess approve", "POST", "/impact-assessments/{id}/approve", "assess.approve",
	  AIMS_OP_WRITE | AIMS_OP_UPDATE, f_id, "approve an impact assessment (four eyes: never its author)", NULL,
	  "assess.show", NULL, op_assess_approve },
	{ "assess.impact", "assess impact", "POST", "/systems/{system}/impact-assessments", "assess.edit",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_impact,
	  "record an AI system impact assessment from a questionnaire (ISO/IEC 42001 6.1.4, A.5)", NULL, NULL, NULL,
	  op_assess_impact },
	{ "assess.list", "assess list", "GET", "/impact-assessments", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_list,
	  "list impact assessments and whether each system's is due", "assessments", NULL, NULL, op_assess_list },
	{ "assess.show", "assess show", "GET", "/impact-assessments/{id}", "read", AIMS_OP_CACHEABLE, f_id,
	  "show an impact assessment with its answers", NULL, NULL, NULL, op_assess_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
