/*
 * The records of the Check-and-Act registers, one a page: an AI incident
 * with its EU AI Act Art. 73 deadline and reports, a nonconformity with its
 * corrective actions, one corrective action with its effectiveness review,
 * an internal audit with its sample and findings (docs/pdca.md). Each page
 * links its record's JSON in the API and its history in the ledger, and
 * offers the record's actions as forms posted to PATH/ACTION: each is the
 * operation of `aims incident ...`, `aims nc ...` or `aims audit ...`,
 * which enforces the rules (a refusal shows its message).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

/* an action of a record's page: POST PREFIX/{id}/NAME calls op with {"id"} and the form's keys */
typedef struct {
	const char *name, *op;
	const char *const *keys;
	int etag;               /* the form carries the ETag of the record it was made from */
} act;

static const char *const k_inc_update[] = { "description", "severity", "harm", "affected_groups", "evidence", "note",
					    NULL };
static const char *const k_inc_report[] = { "to", "name", "channel", "reference", "sent_at", "kind", NULL };
static const char *const k_note[] = { "note", NULL };
static const char *const k_inc_nc[] = { "requirement", "owner", "due", NULL };
static const char *const k_nc_analyse[] = { "root_cause", NULL };
static const char *const k_ca_add[] = { "description", "owner", "due", NULL };
static const char *const k_ca_review[] = { "result", "note", "evidence", NULL };
static const char *const k_none[] = { NULL };
static const char *const k_finding[] = { "kind", "text", "requirement", "record", "owner", "due", NULL };
static const char *const k_sample[] = { "record", "note", NULL };
static const char *const k_summary[] = { "summary", NULL };

static const act inc_acts[] = { { "update", "incident.update", k_inc_update, 1 },
				{ "report", "incident.report", k_inc_report, 0 },
				{ "close", "incident.close", k_note, 0 },
				{ "nonconformity", "incident.nc", k_inc_nc, 0 },
				{ NULL, NULL, NULL, 0 } };
static const act nc_acts[] = { { "analyse", "nc.analyse", k_nc_analyse, 0 },
			       { "actions", "ca.add", k_ca_add, 0 },
			       { "close", "nc.close", k_note, 0 },
			       { NULL, NULL, NULL, 0 } };
static const act ca_acts[] = { { "done", "ca.done", k_note, 0 },
			       { "review", "ca.review", k_ca_review, 0 },
			       { "close", "ca.close", k_none, 0 },
			       { NULL, NULL, NULL, 0 } };
static const act audit_acts[] = { { "finding", "audit.finding", k_finding, 0 },
				  { "sample", "audit.sample", k_sample, 0 },
				  { "close", "audit.close", k_summary, 0 },
				  { NULL, NULL, NULL, 0 } };

/* a post to PREFIX/{id}/ACTION: its operation as the signed-in principal, then back to the record
   (ca.add goes to the new action's page); anything else is 404 */
static int post(W *w, const act *acts, const char *prefix, const char *id, const char *action)
{
	const act *a = acts;
	while (a->name && strcmp(a->name, action) != 0)
		a++;
	if (!a->name)
		return aims__web_no_action(w);
	json_t *req = aims__web_req1("id", id), *got = NULL;
	int err;
	if (!req || aims__web_form_copy(req, w, a->keys) < 0) {
		json_decref(req);
		return aims__oom();
	}
	if (a->etag)
		w->if_match = aims__web_fstr(w, "etag");
	if ((err = aims__web_call(&got, NULL, w, a->op, req)) < 0)
		return aims__web_fail(w, err);
	if (strcmp(a->op, "ca.add") == 0 && json_is_string(json_object_get(got, "id")))
		err = aims__web_redirect_to(w, "/corrective-actions/", json_string_value(json_object_get(got, "id")), NULL);
	else
		err = aims__web_redirect_to(w, prefix, id, NULL);
	json_decref(got);
	return err;
}

/* what every record page has: its JSON in the API, its ledger history, its own path for the forms
   (rec is stolen, also when this fails) */
static json_t *base(const char *api, const char *page, const char *id, json_t *rec, const char *key)
{
	return json_pack("{s:o, s:o, s:o, s:o}", key, rec, "api", aims__web_url(api, id, NULL), "ledger_href",
			 aims__web_url("/ledger?object=", id, NULL), "base", aims__web_url(page, id, NULL));
}

/* "evaluation:EVAL-0003" as a link to the evaluation's report; other evidence is text */
static void evidence_link(json_t *ctx, const json_t *rec, const char *key)
{
	const char *ev = json_string_value(json_object_get(rec, key ? key : "evidence"));
	if (ev && strncmp(ev, "evaluation:", 11) == 0 && ev[11])
		json_object_set_new(ctx, "evidence_href", aims__web_url("/api/v1/evaluations/", ev + 11, "?format=html"));
}

static json_t *choices_selected(const char *op, const char *field, const json_t *rec, const char *key)
{
	json_t *c = aims__web_choices(op, field), *o;
	size_t i;
	json_array_foreach(c, i, o) {
		json_object_set_new(o, "selected", json_boolean(rec && aims__web_str_is(rec, key, json_string_value(
			json_object_get(o, "value")))));
	}
	return c;
}

/* ---- /incidents/{id} ---- */

int aims__web_pg_incident(W *w, const char *id, const char *action)
{
	json_t *inc = NULL, *ctx, *v;
	int err;
	size_t i;
	if (strcmp(w->rq->method, "POST") == 0)
		return post(w, inc_acts, "/incidents/", id, action);
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&inc, NULL, w, "incident.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	int open = !aims__web_str_is(inc, "status", "closed");
	json_t *ncs = json_array();
	json_array_foreach(json_object_get(inc, "nonconformities"), i, v) {
		json_array_append_new(ncs, json_pack("{s:O, s:o}", "id", v, "href",
						     aims__web_url("/nonconformities/", json_string_value(v), NULL)));
	}
	if (!(ctx = base("/api/v1/incidents/", "/incidents/", id, inc, "inc")))
		return aims__oom();
	evidence_link(ctx, inc, NULL);
	json_object_set_new(ctx, "ncs", ncs);
	json_object_set_new(ctx, "etag", json_string(w->etag));
	json_object_set_new(ctx, "open_deadline", json_boolean(aims__web_str_is(inc, "deadline_state", "open")));
	json_object_set_new(ctx, "can_manage", json_boolean(open && aims__web_can(w, "incident.manage")));
	json_object_set_new(ctx, "can_report", json_boolean(open && aims__web_can(w, "incident.report")));
	json_object_set_new(ctx, "can_nc", json_boolean(aims__web_can(w, "nc.manage")));
	json_object_set_new(ctx, "severities", choices_selected("incident.update", "severity", inc, "severity"));
	json_object_set_new(ctx, "harms", choices_selected("incident.update", "harm", inc, "harm"));
	json_object_set_new(ctx, "recipients", choices_selected("incident.report", "to", NULL, NULL));
	json_object_set_new(ctx, "report_kinds", choices_selected("incident.report", "kind", NULL, NULL));
	return aims__web_page(w, 200, "incident.html", id, ctx);
}

/* ---- /nonconformities/{id} ---- */

static const col nc_action_cols[] = {
	{ "id", "Action", "/corrective-actions/", NULL, NULL }, { "description", "Corrective action", NULL, NULL, NULL },
	{ "owner", "Owner", NULL, NULL, NULL }, { "due", "Due", NULL, NULL, NULL }, { "overdue", "Overdue", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "review.result", "Effectiveness", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* the page of the record a nonconformity came from (an audit finding AUD-001/F-002, a monitoring run
   PLAN/PERIOD, an incident or a concern) */
static json_t *source_href(const json_t *nc)
{
	const char *src = json_string_value(json_object_get(nc, "source")),
		   *ref = json_string_value(json_object_get(nc, "source_ref"));
	char head[128];
	if (!src || !ref || !*ref)
		return NULL;
	snprintf(head, sizeof(head), "%.*s", (int)strcspn(ref, "/"), ref);
	if (strcmp(src, "internal-audit") == 0)
		return aims__web_url("/audits/", head, NULL);
	if (strcmp(src, "monitoring") == 0)
		return aims__web_url("/monitoring/plans/", head, NULL);
	if (strcmp(src, "incident") == 0)
		return aims__web_url("/incidents/", ref, NULL);
	if (strcmp(src, "concern") == 0)
		return aims__web_url("/api/v1/concerns/", ref, NULL);
	return NULL;
}

int aims__web_pg_nc(W *w, const char *id, const char *action)
{
	json_t *nc = NULL, *ctx;
	int err;
	if (strcmp(w->rq->method, "POST") == 0)
		return post(w, nc_acts, "/nonconformities/", id, action);
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&nc, NULL, w, "nc.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	int open = !aims__web_str_is(nc, "status", "closed");
	json_t *src = source_href(nc);
	json_t *acts = json_incref(json_object_get(nc, "actions"));
	if (!(ctx = base("/api/v1/nonconformities/", "/nonconformities/", id, nc, "nc"))) {
		json_decref(src);
		json_decref(acts);
		return aims__oom();
	}
	evidence_link(ctx, nc, NULL);
	if (src)
		json_object_set_new(ctx, "source_href", src);
	/* the actions as a small table (the document holds them; no second call) */
	json_t *rows = json_array(), *a;
	size_t i;
	json_array_foreach(acts, i, a) {
		json_t *cells = json_array();
		for (const col *c = nc_action_cols; c->key; c++) {
			const json_t *v = strchr(c->key, '.') ? json_object_get(json_object_get(a, "review"), "result")
							     : json_object_get(a, c->key);
			json_t *cell = json_pack("{s:s}", "text", json_is_string(v) ? json_string_value(v)
								  : json_is_true(v) ? "yes" : json_is_false(v) ? "no" : "");
			if (c->link && json_is_string(v))
				json_object_set_new(cell, "href", aims__web_url(c->link, json_string_value(v), NULL));
			json_array_append_new(cells, cell);
		}
		json_array_append_new(rows, json_pack("{s:o}", "cells", cells));
	}
	json_t *hdr = json_array();
	for (const col *c = nc_action_cols; c->key; c++)
		json_array_append_new(hdr, json_pack("{s:s}", "label", c->label));
	json_object_set_new(ctx, "actions", json_pack("{s:o, s:o, s:b}", "columns", hdr, "rows", rows, "empty",
						      json_array_size(acts) == 0));
	json_decref(acts);
	json_object_set_new(ctx, "can_manage", json_boolean(open && aims__web_can(w, "nc.manage")));
	return aims__web_page(w, 200, "nonconformity.html", id, ctx);
}

/* ---- /corrective-actions/{id} ---- */

int aims__web_pg_ca(W *w, const char *id, const char *action)
{
	json_t *doc = NULL, *ca = NULL, *a, *ctx;
	size_t i;
	int err;
	if (strcmp(w->rq->method, "POST") == 0)
		return post(w, ca_acts, "/corrective-actions/", id, action);
	if (*action)
		return aims__web_not_found(w);
	/* ca.list is the one operation that reads corrective actions by themselves */
	if ((err = aims__web_call(&doc, NULL, w, "ca.list", NULL)) < 0)
		return aims__web_fail(w, err);
	json_array_foreach(json_object_get(doc, "actions"), i, a) {
		if (aims__web_str_is(a, "id", id)) {
			ca = json_incref(a);
			break;
		}
	}
	json_decref(doc);
	if (!ca) {
		aims__err_set(AIMS_ENOTFOUND, "corrective action %s: not found", id);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	const char *st = json_string_value(json_object_get(ca, "status"));
	const char *nc = json_string_value(json_object_get(ca, "nonconformity"));
	const char *owner = json_string_value(json_object_get(ca, "owner"));
	int mine = owner && w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT && strcmp(owner, w->rq->principal->name) == 0;
	int closed = st && strcmp(st, "closed") == 0;
	json_t *nc_href = aims__web_url("/nonconformities/", nc ? nc : "", NULL);
	json_t *nc_api = aims__web_url("/api/v1/nonconformities/", nc ? nc : "", NULL);
	if (!(ctx = base("/api/v1/corrective-actions/", "/corrective-actions/", id, ca, "ca"))) {
		json_decref(nc_href);
		json_decref(nc_api);
		return aims__oom();
	}
	/* the API has no corrective action by itself: its JSON is in its nonconformity's */
	json_object_set_new(ctx, "api", nc_api);
	json_object_set_new(ctx, "nc_href", nc_href);
	evidence_link(ctx, json_object_get(ca, "review"), NULL);
	json_object_set_new(ctx, "can_done", json_boolean(st && strcmp(st, "open") == 0 && aims__web_can(w, "nc.manage")));
	/* the review is never offered to the action's owner (ca.review refuses the owner too) */
	json_object_set_new(ctx, "can_review", json_boolean(st && strcmp(st, "done") == 0 && !mine &&
							    aims__web_can(w, "nc.review")));
	/* closing is offered until closed: without an effective review ca.close refuses and says why */
	json_object_set_new(ctx, "can_close", json_boolean(!closed && aims__web_can(w, "nc.manage")));
	json_object_set_new(ctx, "results", aims__web_choices("ca.review", "result"));
	return aims__web_page(w, 200, "corrective_action.html", id, ctx);
}

/* ---- /audits/{id} ---- */

int aims__web_pg_audit(W *w, const char *id, const char *action)
{
	json_t *au = NULL, *ctx, *f;
	size_t i;
	int err;
	if (strcmp(w->rq->method, "POST") == 0)
		return post(w, audit_acts, "/audits/", id, action);
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&au, NULL, w, "audit.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	json_array_foreach(json_object_get(au, "findings"), i, f) {
		const char *nc = json_string_value(json_object_get(f, "nonconformity"));
		if (nc)
			json_object_set_new(f, "nc_href", aims__web_url("/nonconformities/", nc, NULL));
	}
	/* only the audit's auditor is offered its forms (audit.finding refuses anyone else too) */
	int mine = w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT && aims__web_str_is(au, "auditor", w->rq->principal->name);
	int open = !aims__web_str_is(au, "status", "closed");
	if (!(ctx = base("/api/v1/audits/", "/audits/", id, au, "audit")))
		return aims__oom();
	json_object_set_new(ctx, "can_conduct", json_boolean(open && mine && aims__web_can(w, "audit.conduct")));
	json_object_set_new(ctx, "kinds", aims__web_choices("audit.finding", "kind"));
	return aims__web_page(w, 200, "audit.html", id, ctx);
}
