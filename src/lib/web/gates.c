/*
 * Lifecycle gates (docs/oversight.md): gate requests with the form to ask
 * for one, a request with its approvals and what its policy still needs
 * (approve or reject it: never offered to its requester, whom gate.approve
 * refuses too), the recorded gate checks with the form that runs one, and
 * gate exceptions with the forms to request and approve one. Every action
 * is the operation of `aims gate ...`.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col gate_cols[] = {
	{ "id", "Request", "/gates/", NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "model", "Model", NULL, NULL, NULL }, { "stage", "Stage", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "requester", "Requested by", NULL, NULL, NULL }, { "requested_at", "Requested", NULL, NULL, NULL },
	{ "policy", "Policy", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col check_cols[] = {
	{ "check_id", "Check", NULL, NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "model", "Model", NULL, NULL, NULL }, { "stage", "Stage", NULL, NULL, NULL },
	{ "allowed", "Allowed", NULL, NULL, NULL }, { "passed", "Passed", NULL, NULL, NULL },
	{ "exception.id", "Exception", NULL, NULL, NULL }, { "purpose", "Purpose", NULL, NULL, NULL },
	{ "checked_by", "Checked by", NULL, NULL, NULL }, { "checked_at", "Checked", NULL, NULL, NULL },
	{ "unmet", "Unmet conditions", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};
static const col exception_cols[] = {
	{ "id", "Exception", NULL, NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "model", "Model", NULL, NULL, NULL }, { "stage", "Stage", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "reason", "Reason", NULL, NULL, NULL },
	{ "expires", "Last day", NULL, NULL, NULL }, { "requester", "Requested by", NULL, NULL, NULL },
	{ "approvals", "Approvals", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* the fields of a gate form (system, model, stage, and the form's own) into a request */
static json_t *gate_req(const W *w, const char *const *more)
{
	static const char *const keys[] = { "system", "model", "to", NULL };
	json_t *req = json_object();
	if (req && (aims__web_form_copy(req, w, keys) < 0 || (more && aims__web_form_copy(req, w, more) < 0))) {
		json_decref(req);
		return NULL;
	}
	return req;
}

/* /gates: the requests; a post asks for one */
int aims__web_pg_gates(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const more[] = { "note", NULL };
		json_t *req = gate_req(w, more), *doc = NULL;
		int err;
		if (!req)
			return aims__oom();
		if ((err = aims__web_call(&doc, NULL, w, "gate.request", req)) < 0)
			return aims__web_fail(w, err);
		err = aims__web_redirect_to(w, "/gates/", json_string_value(json_object_get(doc, "id")), NULL);
		json_decref(doc);
		return err;
	}
	return aims__web_list_page(w, "Lifecycle gates", "gate.list", NULL, "gates", gate_cols, "/api/v1/gates",
				   "gates.csv",
				   json_pack("{s:b, s:o}", "can_gate_request", aims__web_can(w, "gate.request"), "stages",
					     aims__web_choices("gate.request", "to")));
}

/* /gates/{id}: one request; posts to /approve and /reject decide it */
int aims__web_pg_gate(W *w, const char *id, const char *action)
{
	json_t *g = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *req = aims__web_req1("id", id);
		const char *opname = NULL;
		if (strcmp(action, "approve") == 0) {
			opname = "gate.approve";
			if (req && *aims__web_fstr(w, "note"))
				json_object_set_new(req, "note", json_string(aims__web_fstr(w, "note")));
		} else if (strcmp(action, "reject") == 0) {
			opname = "gate.reject";
			if (req && *aims__web_fstr(w, "reason"))
				json_object_set_new(req, "reason", json_string(aims__web_fstr(w, "reason")));
		}
		if (!opname) {
			json_decref(req);
			return aims__web_no_action(w);
		}
		if ((err = aims__web_call(NULL, NULL, w, opname, req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/gates/", id, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&g, NULL, w, "gate.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	int open = aims__web_str_is(g, "status", "open");
	/* the requester is not offered the approval (gate.approve refuses it); it may withdraw by rejecting */
	int mine = w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT &&
		   aims__web_str_is(g, "requester", w->rq->principal->name);
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:b, s:b}", "g", g, "api", aims__web_url("/api/v1/gates/", id, NULL),
				"approve_href", aims__web_url("/gates/", id, "/approve"), "reject_href",
				aims__web_url("/gates/", id, "/reject"), "can_approve",
				open && !mine && aims__web_can(w, "gate.approve"), "can_reject",
				open && aims__web_can(w, "gate.approve"));
	return aims__web_page(w, 200, "gate.html", id, ctx);
}

/* /gate-checks: the recorded checks, newest first; a post runs one (a refusal is a result, not an error) */
int aims__web_pg_gate_checks(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *req = gate_req(w, NULL), *doc = NULL;
		int err;
		if (!req)
			return aims__oom();
		if ((err = aims__web_call(&doc, NULL, w, "gate.check", req)) < 0)
			return aims__web_fail(w, err);
		char title[64];
		snprintf(title, sizeof(title), "Gate check %s", json_string_value(json_object_get(doc, "check_id")));
		return aims__web_page(w, 200, "gate.html", title, json_pack("{s:o}", "check", doc));
	}
	return aims__web_list_page(w, "Gate checks", "gate.checks", NULL, "checks", check_cols, "/api/v1/gate-checks",
				   "gate-checks.csv",
				   json_pack("{s:b, s:o}", "can_gate_check", aims__web_can(w, "gate.check"), "stages",
					     aims__web_choices("gate.check", "to")));
}

/* /gate-exceptions: pending, active and expired exceptions; posts request one or approve one */
int aims__web_pg_gate_exceptions(W *w, const char *id, const char *action)
{
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (!*id) {
			static const char *const more[] = { "reason", "expires", NULL };
			json_t *req = gate_req(w, more);
			if (!req)
				return aims__oom();
			if ((err = aims__web_call(NULL, NULL, w, "gate.exception_request", req)) < 0)
				return aims__web_fail(w, err);
			return aims__web_redirect(w, "/gate-exceptions");
		}
		if (strcmp(action, "approve") != 0) {
			return aims__web_no_action(w);
		}
		if ((err = aims__web_call(NULL, NULL, w, "gate.exception_approve", aims__web_req1("id", id))) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect(w, "/gate-exceptions");
	}
	if (*id)
		return aims__web_not_found(w);
	json_t *doc = NULL, *pending = json_array(), *e;
	size_t i;
	if (!pending)
		return aims__oom();
	if ((err = aims__web_call(&doc, NULL, w, "gate.exception_list", json_pack("{s:b}", "all", 1))) < 0) {
		json_decref(pending);
		return aims__web_fail(w, err);
	}
	/* approvals shown by name; the pending ones offered to approve */
	json_array_foreach(json_object_get(doc, "exceptions"), i, e) {
		json_t *names = json_array(), *a;
		size_t j;
		json_array_foreach(json_object_get(e, "approvals"), j, a) {
			json_array_append(names, json_object_get(a, "principal"));
		}
		json_object_set_new(e, "approvals", names);
		if (aims__web_str_is(e, "status", "pending"))
			json_array_append_new(pending, json_pack("{s:O, s:o}", "id", json_object_get(e, "id"), "href",
								 aims__web_url("/gate-exceptions/", json_string_value(
									 json_object_get(e, "id")), "/approve")));
	}
	json_t *table = NULL;
	if ((err = aims__web_list_table(&table, w, json_object_get(doc, "exceptions"), exception_cols,
					"gate-exceptions.csv")) != 0) {
		json_decref(doc);
		json_decref(pending);
		return err < 0 ? err : 0;
	}
	json_decref(doc);
	json_t *ctx = json_pack("{s:o, s:s, s:s, s:o, s:b, s:b, s:o}", "table", table, "api", "/api/v1/gate-exceptions",
				"heading", "Gate exceptions", "pending", pending, "can_exception_approve",
				aims__web_can(w, "gate.approve") && json_array_size(pending) > 0, "can_exception_request",
				aims__web_can(w, "gate.exception"), "stages", aims__web_choices("gate.exception_request", "to"));
	return aims__web_page(w, 200, "list.html", "Gate exceptions", ctx);
}
