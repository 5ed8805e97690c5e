/*
 * Policies as code (docs/oversight.md): the stored policies, one policy with
 * its source and versions, storing a new version from its YAML or JSON text
 * (policy.set, the same parser and checks as `aims policy set`) and retiring
 * one (policy.retire).
 */
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col policy_cols[] = {
	{ "name", "Policy", "/policies/", NULL, NULL }, { "version", "Version", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "description", "Description", NULL, NULL, NULL },
	{ "applies_to.systems", "AI systems", NULL, NULL, NULL }, { "applies_to.tiers", "EU AI Act tiers", NULL, NULL, NULL },
	{ "actor", "Stored by", NULL, NULL, NULL }, { "created_at", "Stored", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_policies(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *doc = NULL;
		int err = aims__web_call(&doc, NULL, w, "policy.set", json_pack("{s:s}", "file", aims__web_fstr(w, "file")));
		if (err < 0)
			return aims__web_fail(w, err);
		err = aims__web_redirect_to(w, "/policies/", json_string_value(json_object_get(doc, "name")), NULL);
		json_decref(doc);
		return err;
	}
	return aims__web_list_page(w, "Policies", "policy.list", NULL, "policies", policy_cols, "/api/v1/policies",
				   "policies.csv", json_pack("{s:b}", "can_set_policy", aims__web_can(w, "policy.manage")));
}

/* a stage's or the review's conditions as indented JSON (what the policy says, after parsing) */
static json_t *pretty(const json_t *v)
{
	return aims__web_json_text(v, 6);
}

int aims__web_pg_policy(W *w, const char *name, const char *action)
{
	json_t *p = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(action, "retire") != 0) {
			return aims__web_no_action(w);
		}
		if ((err = aims__web_call(NULL, NULL, w, "policy.retire", aims__web_req1("name", name))) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/policies/", name, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&p, NULL, w, "policy.show", json_pack("{s:s, s:b}", "name", name, "body", 1))) < 0)
		return aims__web_fail(w, err);
	json_t *stages = json_array(), *st;
	const char *stage;
	json_object_foreach(json_object_get(p, "stages"), stage, st) {
		json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", stage, "json", pretty(st)));
	}
	const json_t *rv = json_object_get(p, "review"), *ex = json_object_get(p, "exceptions");
	json_t *ctx = json_pack("{s:o, s:o, s:o?, s:o?, s:o, s:o, s:b}", "p", p, "stages", stages, "review_json",
				json_is_object(rv) ? pretty(rv) : NULL, "exceptions_json",
				json_is_object(ex) ? pretty(ex) : NULL, "api", aims__web_url("/api/v1/policies/", name, NULL),
				"retire_href", aims__web_url("/policies/", name, "/retire"), "can_retire",
				aims__web_can(w, "policy.manage") && aims__web_str_is(p, "status", "active"));
	return aims__web_page(w, 200, "policy.html", name, ctx);
}
