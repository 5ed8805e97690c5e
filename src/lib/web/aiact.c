/*
 * A system's EU AI Act classification and the obligations that result, with
 * the form that tracks an obligation (status, evidence, note).
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

int aims__web_pg_aiact(W *w, const char *system, const char *action)
{
	json_t *cls = NULL;
	int err;
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
	err = aims__web_call(&cls, NULL, w, "aiact.show", aims__web_req1("system", system));
	if (err < 0)
		return aims__web_fail(w, err);
	json_t *ctx = json_pack("{s:o, s:s, s:o, s:o}", "c", cls, "system", system, "api",
				aims__web_url("/api/v1/systems/", system, "/aiact-classification"), "system_href",
				aims__web_url("/systems/", system, NULL));
	if ((err = aims__web_sub_table(ctx, "obligations", w, "aiact.obligations", aims__web_req1("system", system), "obligations",
			     aims__web_obligation_cols)) < 0) {
		json_decref(ctx);
		return aims__web_fail(w, err);
	}
	/* the form to track an obligation: its ids from the classification */
	json_t *ids = json_array(), *o;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(json_object_get(ctx, "c"), "obligations")) && (o = json_array_get(json_object_get(json_object_get(ctx, "c"), "obligations"), i)) != NULL; i++)
		json_array_append_new(ids, json_pack("{s:O, s:O}", "id", json_object_get(o, "id"), "article",
						     json_object_get(o, "article")));
	json_object_set_new(ctx, "obligation_ids", ids);
	json_object_set_new(ctx, "statuses", aims__web_choices("aiact.obligation_set", "status"));
	json_object_set_new(ctx, "can_track", json_boolean(aims__web_can(w, "aiact.manage")));
	json_object_set_new(ctx, "track_href", aims__web_url("/aiact/", system, "/obligation"));
	return aims__web_page(w, 200, "aiact.html", system, ctx);
}
