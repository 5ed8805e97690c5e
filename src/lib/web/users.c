/*
 * Accounts and roles, for administrators: the list, adding an account (its
 * initial password shown once), disabling and enabling one.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col user_cols[] = {
	{ "name", "Account", NULL, NULL, NULL }, { "display_name", "Name", NULL, NULL, NULL }, { "roles", "Roles", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "tokens", "API tokens", NULL, NULL, NULL }, { "created_at", "Created", NULL, NULL, NULL },
	{ "created_by", "Created by", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_users(W *w, const char *name, const char *action)
{
	int err;
	if (!aims__web_can(w, "user.manage")) {
		aims__err_set(AIMS_EPERM, "%s: users and roles are for administrators", w->rq->principal->name);
		return aims__web_fail(w, AIMS_EPERM);
	}
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *out = NULL;
		if (!*name) {
			json_t *req = json_pack("{s:s}", "name", aims__web_fstr(w, "name"));
			const json_t *roles = json_object_get(w->rq->form, "role");
			json_object_set_new(req, "role", json_is_array(roles) ? json_deep_copy(roles) :
							  json_pack("[s]", aims__web_fstr(w, "role")));
			if (*aims__web_fstr(w, "display_name"))
				json_object_set_new(req, "display_name", json_string(aims__web_fstr(w, "display_name")));
			if ((err = aims__web_call(&out, NULL, w, "user.add", req)) < 0)
				return aims__web_fail(w, err);
			return aims__web_page(w, 201, "user_added.html", "Account added", json_pack("{s:o}", "u", out));
		}
		const char *opname = strcmp(action, "disable") == 0 ? "user.disable" :
				     strcmp(action, "enable") == 0 ? "user.enable" : NULL;
		if (!opname) {
			return aims__web_no_action(w);
		}
		if ((err = aims__web_call(NULL, NULL, w, opname, aims__web_req1("name", name))) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect(w, "/users");
	}
	if (*name) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	json_t *doc = NULL, *u;
	size_t i;
	if ((err = aims__web_call(&doc, NULL, w, "user.list", NULL)) < 0)
		return aims__web_fail(w, err);
	json_t *table = NULL;
	err = aims__web_list_table(&table, w, json_object_get(doc, "users"), user_cols, "users.csv");
	if (err) {
		json_decref(doc);
		return err < 0 ? err : 0;
	}
	json_t *acts = json_array();
	for (i = 0; i < json_array_size(json_object_get(doc, "users")) && (u = json_array_get(json_object_get(doc, "users"), i)) != NULL; i++) {
		const char *n = json_string_value(json_object_get(u, "name"));
		int off = aims__web_str_is(u, "status", "disabled");
		json_array_append_new(acts, json_pack("{s:s, s:o, s:s}", "name", n, "href",
						      aims__web_url("/users/", n, off ? "/enable" : "/disable"), "label",
						      off ? "Enable" : "Disable"));
	}
	json_decref(doc);
	return aims__web_page(w, 200, "users.html", "Users and roles",
		    json_pack("{s:o, s:o, s:o, s:s}", "table", table, "actions", acts, "roles",
			      aims__web_choices("user.add", "role"), "api", "/api/v1/users"));
}
