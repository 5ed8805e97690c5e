/*
 * The concern form (open without an account when the organization turned
 * public intake on) and the lists of the Check-and-Act registers: incidents,
 * nonconformities, corrective actions, internal audits, audit programmes, monitoring runs,
 * suppliers, concerns, objectives and what is due.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

/* the concern form (ISO/IEC 42001 A.3.3, A.8.3): open to people without an account when the organization
   turned public intake on (the operation refuses otherwise); signed in, the form carries the CSRF token */
int aims__web_pg_concern(W *w)
{
	char *org = NULL;
	json_t *ctx;
	(void)aims_store_setting_get(&org, w->rq->store, "org.name");
	aims_error_clear();
	ctx = json_pack("{s:s}", "org", org ? org : "this organization");
	aims__free(org);
	if (!ctx)
		return aims__oom();
	if (aims__web_signed_in(w) && w->rq->csrf && json_object_set_new(ctx, "csrf", json_string(w->rq->csrf)) < 0) {
		json_decref(ctx);
		return aims__oom();
	}
	if (strcmp(w->rq->method, "POST") == 0) {
		if (aims__web_signed_in(w)) {
			const char *t = aims__web_fstr(w, "csrf");
			if (!w->rq->csrf || strcmp(t, w->rq->csrf) != 0) {
				json_decref(ctx);
				aims__err_set(AIMS_EPERM, "the form's CSRF token is missing or not this session's: reload the page");
				return aims__web_fail(w, AIMS_EPERM);
			}
		}
		json_t *req = json_object(), *got = NULL;
		static const char *const keys[] = { "summary", "details", "kind", "contact", NULL };
		if (!req || aims__web_form_copy(req, w, keys) < 0) {
			json_decref(req);
			json_decref(ctx);
			return aims__oom();
		}
		/* empty optional fields are left out */
		for (size_t i = 1; keys[i]; i++)
			if (json_is_string(json_object_get(req, keys[i])) && !*json_string_value(json_object_get(req, keys[i])))
				json_object_del(req, keys[i]);
		int err = aims__web_call(&got, NULL, w, "concern.submit_public", req);
		if (err < 0) {
			char msg[512];
			snprintf(msg, sizeof(msg), "%s", aims_error_last());
			aims_error_clear();
			json_object_set_new(ctx, "error", json_string(msg));
			json_object_set_new(ctx, "summary", json_string(aims__web_fstr(w, "summary")));
			json_object_set_new(ctx, "details", json_string(aims__web_fstr(w, "details")));
			json_object_set_new(ctx, "contact", json_string(aims__web_fstr(w, "contact")));
			return aims__web_page(w, aims__web_status(err), "concern.html", "Report a concern", ctx);
		}
		json_object_set_new(ctx, "done", json_true());
		json_object_set(ctx, "id", json_object_get(got, "id"));
		json_object_set(ctx, "submitted_at", json_object_get(got, "submitted_at"));
		json_decref(got);
		return aims__web_page(w, 201, "concern.html", "Concern recorded", ctx);
	}
	return aims__web_page(w, 200, "concern.html", "Report a concern", ctx);
}

static const col incident_cols[] = {
	{ "id", "Incident", "/incidents/", NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "title", "Title", NULL, NULL, NULL }, { "severity", "Severity", NULL, NULL, NULL },
	{ "serious", "Serious (Art. 3(49))", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "awareness", "Aware since", NULL, NULL, NULL }, { "deadline", "Report due (Art. 73)", NULL, NULL, NULL },
	{ "deadline_state", "Deadline", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col nc_cols[] = {
	{ "id", "Nonconformity", "/nonconformities/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "source", "Source", NULL, NULL, NULL }, { "requirement", "Requirement", NULL, NULL, NULL },
	{ "system", "AI system", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "due", "Due", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "actions_open", "Actions open", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col ca_cols[] = {
	{ "id", "Action", "/corrective-actions/", NULL, NULL }, { "nonconformity", "Nonconformity", "/nonconformities/",
	  "nonconformity", NULL },
	{ "description", "Corrective action", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "due", "Due", NULL, NULL, NULL }, { "overdue", "Overdue", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col audit_cols[] = {
	{ "id", "Audit", "/audits/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "period", "Period", NULL, NULL, NULL }, { "auditor", "Auditor", NULL, NULL, NULL },
	{ "scope_requirements", "Scope", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "summary", "Summary", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col programme_cols[] = {
	{ "id", "Audit programme", "/api/v1/audit-programmes/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "period", "Period", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "audits", "Audits", NULL, NULL, NULL },
	{ "coverage.clauses.uncovered", "Clauses not covered", NULL, NULL, NULL },
	{ "coverage.controls.uncovered", "Annex A controls not covered", NULL, NULL, NULL },
	{ "coverage.systems.uncovered", "AI systems not covered", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col run_cols[] = {
	{ "id", "Monitoring run", NULL, NULL, NULL }, { "plan", "Plan", "/monitoring/plans/", NULL, NULL },
	{ "system", "AI system", "/systems/", NULL, NULL },
	{ "period", "Period", NULL, NULL, NULL }, { "status", "Result", NULL, NULL, NULL },
	{ "result.drift_share", "Drift share", NULL, NULL, NULL },
	{ "result.evaluation", "Evidence", "/api/v1/evaluations/", "result.evaluation", "?format=html" },
	{ "result.nonconformity", "Nonconformity", "/nonconformities/", "result.nonconformity", NULL },
	{ "result.incident", "Incident", "/incidents/", "result.incident", NULL },
	{ "result.error", "Error", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col supplier_cols[] = {
	{ "id", "Supplier", "/api/v1/suppliers/", NULL, NULL }, { "title", "Name", NULL, NULL, NULL },
	{ "provides", "Provides", NULL, NULL, NULL }, { "systems", "AI systems", NULL, NULL, NULL },
	{ "last_result", "Last assessment", NULL, NULL, NULL }, { "due", "Next assessment", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const col concern_cols[] = {
	{ "id", "Concern", "/api/v1/concerns/", NULL, NULL }, { "title", "Summary", NULL, NULL, NULL },
	{ "kind", "Kind", NULL, NULL, NULL }, { "submitted_by", "Submitted by", NULL, NULL, NULL },
	{ "submitted_at", "Submitted", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL },
	{ "category", "Category", NULL, NULL, NULL }, { "severity", "Severity", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const col objective_cols[] = {
	{ "id", "Objective", NULL, NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "kpi", "KPI", NULL, NULL, NULL },
	{ "target.op", "Target", NULL, NULL, NULL }, { "target.value", "Target value", NULL, NULL, NULL },
	{ "value", "This period", NULL, NULL, NULL }, { "met", "Met", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const col due_cols[] = {
	{ "due", "Due", NULL, NULL, NULL }, { "overdue", "Overdue", NULL, NULL, NULL }, { "what", "What", NULL, NULL, NULL },
	{ "id", "Record", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* the registers' lists, each read by its operation */
static const aims__web_list registers[] = {
	{ "/incidents", "AI incidents", "incident.list", "incidents", incident_cols, "/api/v1/incidents", "incidents.csv" },
	{ "/nonconformities", "Nonconformities", "nc.list", "nonconformities", nc_cols, "/api/v1/nonconformities",
	  "nonconformities.csv" },
	{ "/monitoring", "Monitoring runs", "monitor.runs", "runs", run_cols, "/api/v1/monitoring-runs",
	  "monitoring-runs.csv" },
	{ "/suppliers", "Suppliers", "supplier.list", "suppliers", supplier_cols, "/api/v1/suppliers", "suppliers.csv" },
	{ "/concerns", "Concerns", "concern.list", "concerns", concern_cols, "/api/v1/concerns", "concerns.csv" },
	{ "/objectives", "Objectives", "objective.status", "objectives", objective_cols, "/api/v1/objectives/status",
	  "objectives.csv" },
	{ "/due", "What is due", "due.list", "items", due_cols, "/api/v1/due", "due.csv" },
	{ "/audits", "Internal audits", "audit.list", "audits", audit_cols, "/api/v1/audits", "audits.csv" },
	{ "/audit-programmes", "Audit programmes", "audit.programme_list", "programmes", programme_cols,
	  "/api/v1/audit-programmes", "audit-programmes.csv" },
	{ "/corrective-actions", "Corrective actions", "ca.list", "actions", ca_cols, "/api/v1/corrective-actions",
	  "corrective-actions.csv" },
};

const aims__web_list *aims__web_register_list(const char *path)
{
	for (size_t i = 0; i < sizeof(registers) / sizeof(registers[0]); i++)
		if (strcmp(registers[i].path, path) == 0)
			return &registers[i];
	return NULL;
}
