/*
 * Management reviews (ISO/IEC 42001 9.3) and monitoring plans (9.1, EU AI
 * Act Art. 72), and the router of the PDCA record pages (pdca_pages.c).
 *
 * A management review is a controlled document of type management-review
 * that `aims review-pack record` made from the review pack of a period and
 * the review's decisions: /management-reviews lists them (with the forms
 * that record one and open a period's pack), /management-reviews/{id} shows
 * one with its submit and approve actions (the document workflow: never
 * approved by its author). /monitoring/plans lists the monitoring plans;
 * /monitoring/plans/{name} shows one with its runs and their results, and
 * runs or retires it (the operations of `aims monitor ...`).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/doc.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

/* ---- lists rendered by list.html inside a page of their own ---- */

/* the list.html markup of `table` (stolen) into ctx[key], with what list.html reads of the page */
static int list_markup(json_t *ctx, const char *key, W *w, json_t *table, const char *api, const char *heading)
{
	const aims__builtin_file *f = aims__web_file("list.html");
	json_t *d = json_pack("{s:o, s:s, s:s, s:s, s:s}", "table", table, "api", api, "heading", heading, "path",
			      w->rq->path, "csrf", w->rq->csrf ? w->rq->csrf : "");
	aims_buf b = AIMS_BUF_INIT;
	int err;
	if (!f || !d) {
		json_decref(d);
		return f ? aims__oom() : aims__err(AIMS_ERROR, "web: no template list.html");
	}
	if ((err = aims__web_render(&b, "list.html", (const char *)f->data, f->len, d)) == 0 &&
	    json_object_set_new(ctx, key, json_stringn(b.ptr ? b.ptr : "", b.len)) < 0)
		err = aims__oom();
	aims_buf_release(&b);
	json_decref(d);
	return err;
}

/* ---- management reviews ---- */

static const col review_cols[] = {
	{ "id", "Management review", "/management-reviews/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "owner", "Owner", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "version", "Version", NULL, NULL, NULL }, { "author", "Recorded by", NULL, NULL, NULL },
	{ "approver", "Approver", NULL, NULL, NULL }, { "approved_at", "Approved", NULL, NULL, NULL },
	{ "updated_at", "Updated", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static int is_review(const json_t *d)
{
	return aims__web_str_is(d, "type", "management-review");
}

static int pg_reviews(W *w)
{
	json_t *doc = NULL, *items, *d, *table = NULL;
	size_t i;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "period", "decisions", "owner", NULL };
		json_t *req = json_object(), *got = NULL;
		if (!req || aims__web_form_copy(req, w, keys) < 0) {
			json_decref(req);
			return aims__oom();
		}
		if ((err = aims__web_call(&got, NULL, w, "mgmt_review.record", req)) < 0)
			return aims__web_fail(w, err);
		err = aims__web_redirect_to(w, "/management-reviews/", json_string_value(json_object_get(got, "document")), NULL);
		json_decref(got);
		return err;
	}
	if ((err = aims__web_call(&doc, NULL, w, "doc.list", NULL)) < 0)
		return aims__web_fail(w, err);
	if (!(items = json_array())) {
		json_decref(doc);
		return aims__oom();
	}
	json_array_foreach(json_object_get(doc, "documents"), i, d) {
		if (is_review(d))
			json_array_append(items, d);
	}
	json_decref(doc);
	err = aims__web_list_table(&table, w, items, review_cols, "management-reviews.csv");
	json_decref(items);
	if (err)
		return err < 0 ? err : 0;
	json_t *ctx = json_pack("{s:b}", "can_record", aims__web_can(w, "doc.edit"));
	if (!ctx) {
		json_decref(table);
		return aims__oom();
	}
	if ((err = list_markup(ctx, "list", w, table, "/api/v1/documents", "Management reviews")) < 0) {
		json_decref(ctx);
		return err;
	}
	return aims__web_page(w, 200, "mgmt_review.html", "Management reviews", ctx);
}

static int pg_review(W *w, const char *id, const char *action)
{
	json_t *doc = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		/* the document workflow of the review's record: doc.submit, doc.approve */
		const char *op = strcmp(action, "submit") == 0 ? "doc.submit" : strcmp(action, "approve") == 0 ? "doc.approve"
														  : NULL;
		if (!op)
			return aims__web_no_action(w);
		if ((err = aims__web_call(NULL, NULL, w, op, aims__web_req1("id", id))) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/management-reviews/", id, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&doc, NULL, w, "doc.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	if (!is_review(doc)) {
		json_decref(doc);
		aims__err_set(AIMS_ENOTFOUND, "management review %s: not found (document %s is not one)", id, id);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	aims_buf html = AIMS_BUF_INIT;
	const char *body = json_string_value(json_object_get(doc, "body"));
	if ((err = aims_doc_markdown_html(&html, body ? body : "")) < 0) {
		json_decref(doc);
		return err;
	}
	/* the period is the title's last word ("Management review 2026-Q2") */
	const char *title = json_string_value(json_object_get(doc, "title"));
	const char *period = title && strrchr(title, ' ') ? strrchr(title, ' ') + 1 : "";
	const char *st = json_string_value(json_object_get(doc, "status"));
	const char *author = json_string_value(json_object_get(doc, "author"));
	int mine = author && w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT && strcmp(author, w->rq->principal->name) == 0;
	json_t *ctx = json_pack("{s:o, s:s#, s:o, s:o, s:o, s:o, s:o, s:b, s:b}", "review", doc, "html", html.ptr ? html.ptr : "",
				html.len, "api", aims__web_url("/api/v1/documents/", id, NULL), "ledger_href",
				aims__web_url("/ledger?object=", id, NULL), "base", aims__web_url("/management-reviews/", id, NULL),
				"doc_href", aims__web_url("/documents/", id, NULL), "pack_href",
				aims__web_url("/api/v1/management-review-pack?format=html&period=", period, NULL), "can_submit",
				st && strcmp(st, "draft") == 0 && aims__web_can(w, "doc.edit"), "can_approve",
				/* never offered to its author (doc.approve refuses the author too) */
				st && strcmp(st, "in-review") == 0 && !mine && aims__web_can(w, "doc.approve"));
	aims_buf_release(&html);
	return aims__web_page(w, 200, "mgmt_review.html", id, ctx);
}

/* ---- monitoring plans ---- */

static const col plan_cols[] = {
	{ "id", "Plan", "/monitoring/plans/", NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "every", "Every", NULL, NULL, NULL }, { "evaluations", "Evaluations", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "incident_on_breach", "Breach opens an incident", NULL, NULL, NULL },
	{ "created_at", "Added", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col plan_run_cols[] = {
	{ "period", "Period", NULL, NULL, NULL }, { "status", "Result", NULL, NULL, NULL },
	{ "ran_at", "Ran", NULL, NULL, NULL }, { "ran_by", "By", NULL, NULL, NULL },
	{ "result.rows", "Rows", NULL, NULL, NULL }, { "result.drift_share", "Drift share", NULL, NULL, NULL },
	{ "result.evaluations.drift", "Drift evaluation", "/api/v1/evaluations/", NULL, "?format=html" },
	{ "result.evaluations.fairness", "Fairness evaluation", "/api/v1/evaluations/", NULL, "?format=html" },
	{ "result.evaluations.performance", "Performance evaluation", "/api/v1/evaluations/", NULL, "?format=html" },
	{ "thresholds_text", "Thresholds", NULL, NULL, NULL },
	{ "result.nonconformity", "Nonconformity", "/nonconformities/", NULL, NULL },
	{ "result.incident", "Incident", "/incidents/", NULL, NULL }, { "result.error", "Error", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static int pg_plans(W *w)
{
	json_t *doc = NULL, *table = NULL, *ctx;
	int err;
	if ((err = aims__web_call(&doc, NULL, w, "monitor.plan_list", NULL)) < 0)
		return aims__web_fail(w, err);
	err = aims__web_list_table(&table, w, json_object_get(doc, "plans"), plan_cols, "monitoring-plans.csv");
	json_decref(doc);
	if (err)
		return err < 0 ? err : 0;
	if (!(ctx = json_pack("{s:b}", "plans", 1))) {
		json_decref(table);
		return aims__oom();
	}
	if ((err = list_markup(ctx, "list", w, table, "/api/v1/monitoring-plans", "Monitoring plans")) < 0) {
		json_decref(ctx);
		return err;
	}
	return aims__web_page(w, 200, "monitor_plan.html", "Monitoring plans", ctx);
}

/* a run's threshold checks as one line: "roc_auc >= 0.75: held; ..." */
static void thresholds_text(json_t *run)
{
	const json_t *checks = json_object_get(json_object_get(run, "result"), "thresholds"), *c;
	aims_buf b = AIMS_BUF_INIT;
	size_t i;
	json_array_foreach(checks, i, c) {
		aims_buf_printf(&b, "%s%s: %s", i ? "; " : "", json_string_value(json_object_get(c, "threshold")),
				json_is_true(json_object_get(c, "held")) ? "held" : "not held");
	}
	json_object_set_new(run, "thresholds_text", json_stringn(b.ptr ? b.ptr : "", b.len));
	aims_buf_release(&b);
}

static int pg_plan(W *w, const char *name, const char *action)
{
	json_t *plan = NULL, *doc = NULL, *runs, *r, *table = NULL;
	size_t i;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *req = NULL;
		const char *op = NULL;
		if (strcmp(action, "run") == 0) {
			op = "monitor.run";
			req = json_pack("{s:s}", "plan", name);
			if (req && *aims__web_fstr(w, "period"))
				json_object_set_new(req, "period", json_string(aims__web_fstr(w, "period")));
		} else if (strcmp(action, "retire") == 0) {
			op = "monitor.plan_retire";
			req = aims__web_req1("name", name);
		}
		if (!op)
			return aims__web_no_action(w);
		if (!req)
			return aims__oom();
		if ((err = aims__web_call(NULL, NULL, w, op, req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/monitoring/plans/", name, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&plan, NULL, w, "monitor.plan_show", aims__web_req1("name", name))) < 0)
		return aims__web_fail(w, err);
	if ((err = aims__web_call(&doc, NULL, w, "monitor.runs",
				  aims__web_req1("system", json_string_value(json_object_get(plan, "system"))))) < 0) {
		json_decref(plan);
		return aims__web_fail(w, err);
	}
	if (!(runs = json_array())) {
		json_decref(plan);
		json_decref(doc);
		return aims__oom();
	}
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		if (aims__web_str_is(r, "plan", name)) {
			thresholds_text(r);
			json_array_append(runs, r);
		}
	}
	json_decref(doc);
	err = aims__web_list_table(&table, w, runs, plan_run_cols, "monitoring-runs.csv");
	json_decref(runs);
	if (err) {
		json_decref(plan);
		return err < 0 ? err : 0;
	}
	int active = aims__web_str_is(plan, "status", "active");
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:b, s:b}", "plan", plan, "api",
				aims__web_url("/api/v1/monitoring-plans/", name, NULL), "ledger_href",
				aims__web_url("/ledger?object=", name, NULL), "base", aims__web_url("/monitoring/plans/", name, NULL),
				"can_run", active && aims__web_can(w, "eval.record"), "can_retire",
				active && aims__web_can(w, "monitor.manage"));
	if (!ctx) {
		json_decref(table);
		return aims__oom();
	}
	if ((err = list_markup(ctx, "list", w, table, "/api/v1/monitoring-runs", "Runs of this plan")) < 0) {
		json_decref(ctx);
		return err;
	}
	return aims__web_page(w, 200, "monitor_plan.html", name, ctx);
}

/* ---- the router of the PDCA record pages ---- */

/* path = prefix + "ID" or prefix + "ID/ACTION": id and action (action "" when absent); 0 when it is not */
static int record_path(char *id, size_t cap, const char **action, const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0)
		return 0;
	path += n;
	size_t k = strcspn(path, "/");
	if (k == 0 || k >= cap)
		return 0;
	memcpy(id, path, k);
	id[k] = '\0';
	*action = path[k] ? path + k + 1 : "";
	return strchr(*action, '/') == NULL;
}

int aims__web_pdca_route(int *rc, W *w, const char *p)
{
	char id[256];
	const char *action = "";
	int post = strcmp(w->rq->method, "POST") == 0;
	if (record_path(id, sizeof(id), &action, p, "/incidents/"))
		*rc = aims__web_pg_incident(w, id, action);
	else if (record_path(id, sizeof(id), &action, p, "/nonconformities/"))
		*rc = aims__web_pg_nc(w, id, action);
	else if (record_path(id, sizeof(id), &action, p, "/corrective-actions/"))
		*rc = aims__web_pg_ca(w, id, action);
	else if (record_path(id, sizeof(id), &action, p, "/audits/"))
		*rc = aims__web_pg_audit(w, id, action);
	else if (strcmp(p, "/management-reviews") == 0)
		*rc = pg_reviews(w);
	else if (record_path(id, sizeof(id), &action, p, "/management-reviews/"))
		*rc = pg_review(w, id, action);
	else if (strcmp(p, "/monitoring/plans") == 0)
		*rc = post ? aims__web_not_found(w) : pg_plans(w);
	else if (record_path(id, sizeof(id), &action, p, "/monitoring/plans/"))
		*rc = pg_plan(w, id, action);
	else
		return 0;
	return 1;
}
