/*
 * A system's EU AI Act classification and the obligations that result, with
 * the form that tracks an obligation (status, evidence, note) and the
 * guided classification form (aiact_form.c).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

const col aims__web_obligation_cols[] = {
	{ "id", "Obligation", NULL, NULL, NULL }, { "article", "Article", NULL, NULL, NULL },
	{ "description", "Requirement", NULL, NULL, NULL }, { "applies_from", "Applies from", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "evidence", "Evidence", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* the page: classification, obligations, the forms; `entered` and `errors` re-show a refused classification */
static int aiact_page(W *w, const char *system, const json_t *entered, const json_t *errors)
{
	json_t *cls = NULL, *sys = NULL;
	int err = aims__web_call(&cls, NULL, w, "aiact.show", aims__web_req1("system", system));
	if (err == AIMS_ENOTFOUND) {
		/* a system of the inventory not classified yet: only the questions */
		if ((err = aims__web_call(&sys, NULL, w, "system.show", aims__web_req1("name", system))) < 0)
			return aims__web_fail(w, err);
		json_decref(sys);
		aims_error_clear();
		err = 0;
	}
	if (err < 0)
		return aims__web_fail(w, err);
	json_t *ctx = json_pack("{s:o?, s:s, s:o, s:o}", "c", cls, "system", system, "api",
				aims__web_url("/api/v1/systems/", system, "/aiact-classification"), "system_href",
				aims__web_url("/systems/", system, NULL));
	if (!ctx)
		return aims__oom();
	if (!cls)
		json_object_set_new(ctx, "unclassified", json_true());
	json_object_set_new(ctx, "can_classify", json_boolean(aims__web_can(w, "aiact.manage")));
	if ((err = aims__web_sub_table(ctx, "obligations", w, "aiact.obligations", aims__web_req1("system", system), "obligations",
			     aims__web_obligation_cols)) < 0 ||
	    (err = aims__web_aiact_form(w, ctx, system, entered ? entered : json_object_get(cls, "answers"), entered != NULL,
					errors)) < 0) {
		json_decref(ctx);
		return aims__web_fail(w, err);
	}
	/* the form to track an obligation: its ids from the classification */
	json_t *ids = json_array(), *o;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(cls, "obligations")) && (o = json_array_get(json_object_get(cls, "obligations"), i)) != NULL; i++)
		json_array_append_new(ids, json_pack("{s:O, s:O}", "id", json_object_get(o, "id"), "article",
						     json_object_get(o, "article")));
	json_object_set_new(ctx, "obligation_ids", ids);
	json_object_set_new(ctx, "statuses", aims__web_choices("aiact.obligation_set", "status"));
	json_object_set_new(ctx, "can_track", json_boolean(cls && aims__web_can(w, "aiact.manage")));
	json_object_set_new(ctx, "track_href", aims__web_url("/aiact/", system, "/obligation"));
	return aims__web_page(w, errors ? 400 : 200, "aiact.html", system, ctx);
}

int aims__web_pg_aiact(W *w, const char *system, const char *action)
{
	int err;
	if (strcmp(w->rq->method, "POST") == 0 && strcmp(action, "classify") == 0) {
		json_t *entered = NULL, *errors = NULL;
		if ((err = aims__web_aiact_classify(w, system, &entered, &errors)) == 0)
			err = aims__web_redirect_to(w, "/aiact/", system, NULL);
		else if (err == 1)
			err = aiact_page(w, system, entered, errors);
		else
			err = aims__web_fail(w, err);
		json_decref(entered);
		json_decref(errors);
		return err;
	}
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(action, "obligation") != 0) {
			return aims__web_no_action(w);
		}
		static const char *const keys[] = { "status", "note", NULL };
		json_t *req = json_pack("{s:s}", "id", aims__web_fstr(w, "id"));
		if (!req || aims__web_form_copy(req, w, keys) < 0) {
			json_decref(req);
			return aims__oom();
		}
		if (*aims__web_fstr(w, "evidence"))
			json_object_set_new(req, "evidence", json_pack("[s]", aims__web_fstr(w, "evidence")));
		if ((err = aims__web_call(NULL, NULL, w, "aiact.obligation_set", req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/aiact/", system, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	return aiact_page(w, system, NULL, NULL);
}
