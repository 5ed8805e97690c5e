/*
 * Operations of AI incidents and of nonconformities with their corrective
 * actions (aims incident ..., aims nc ...; /api/v1/incidents,
 * /nonconformities, /corrective-actions). The documents are built in
 * incident.c and nc.c.
 */
#include <stdio.h>
#include <string.h>

#include "aims/op.h"
#include "aims/pdca.h"
#include "core/core.h"
#include "op/op_internal.h"

static const char *const harms[] = { "health", "critical-infrastructure", "fundamental-rights", "property-environment",
				     "other", NULL };
static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const cases[] = { "default", "death", "widespread", "critical-infrastructure", NULL };
static const char *const roles[] = { "provider", "deployer", NULL };
static const char *const recipients[] = { "market-surveillance-authority", "provider", "importer", "distributor",
					  "notified-body", "other", NULL };
static const char *const report_kinds[] = { "initial", "complete", NULL };
static const char *const inc_statuses[] = { "open", "reported", "closed", NULL };
static const char *const sources[] = { "internal-audit", "monitoring", "incident", "concern", "external-audit",
				       "other", NULL };
static const char *const nc_statuses[] = { "open", "analysed", "closed", NULL };
static const char *const ca_statuses[] = { "open", "done", "effective", "closed", NULL };
static const char *const results[] = { "effective", "not-effective", NULL };
static const char *const audit_statuses[] = { "planned", "in-progress", "closed", NULL };
static const char *const finding_kinds[] = { "conformity", "observation", "nonconformity", NULL };

#define S(k) aims_req_str(req, k)

/* ---- incidents ---- */

static int op_incident_open(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char **controls = NULL;
	size_t n = 0;
	int err = aims_req_list(&controls, &n, req, "isms_control");
	if (err < 0)
		return err;
	aims_incident_new in = { .title = S("title"), .system = S("system"), .model = S("model"), .harm = S("harm"),
				 .severity = S("severity"), .serious = aims_req_bool(req, "serious"),
				 .serious_case = S("serious_case"), .role = S("role"), .awareness = S("awareness"),
				 .description = S("description"), .affected_groups = S("affected_groups"),
				 .evidence = S("evidence"), .isms_controls = controls, .n_isms_controls = n };
	err = aims_incident_open(&res->json, ctx->store, &in);
	aims__free(controls);
	return err;
}

static int op_incident_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_incident_get(&res->json, ctx->store, S("id"));
}

static int op_incident_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_incident_list(&res->json, ctx->store, S("system"), S("status"), aims_req_bool(req, "overdue"));
}

static int op_incident_update(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_incident_update(&res->json, ctx->store, S("id"), req);
}

static int op_incident_report(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_incident_report(&res->json, ctx->store, S("id"), S("to"), S("name"), S("channel"), S("reference"),
				    S("sent_at"), S("kind"));
}

static int op_incident_close(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_incident_close(&res->json, ctx->store, S("id"), S("note"));
}

static int op_incident_nc(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_incident_nc(&res->json, ctx->store, S("id"), S("requirement"), S("owner"), S("due"));
}

/* ---- nonconformities ---- */

static int op_nc_open(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	char *id = NULL;
	aims_nc_new in = { .source = S("source"), .source_ref = S("source_ref"), .requirement = S("requirement"),
			   .system = S("system"), .title = S("title"), .description = S("description"),
			   .evidence = S("evidence"), .owner = S("owner"), .due = S("due") };
	int err = aims_nc_open(ctx->store, &in, &id);
	if (err == 0)
		err = aims_nc_get(&res->json, ctx->store, id);
	aims__free(id);
	return err;
}

static int op_nc_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_nc_get(&res->json, ctx->store, S("id"));
}

static int op_nc_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_nc_list(&res->json, ctx->store, S("status"), S("system"), S("owner"));
}

static int op_nc_analyse(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_nc_analyse(&res->json, ctx->store, S("id"), S("root_cause"));
}

static int op_nc_close(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_nc_close(&res->json, ctx->store, S("id"), S("note"));
}

static int op_ca_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_ca_add(&res->json, ctx->store, S("id"), S("description"), S("owner"), S("due"));
}

static int op_ca_done(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_ca_done(&res->json, ctx->store, S("id"), S("note"));
}

static int op_ca_review(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_ca_review(&res->json, ctx->store, S("id"), S("result"), S("note"), S("evidence"));
}

static int op_ca_close(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_ca_close(&res->json, ctx->store, S("id"));
}

static int op_ca_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_ca_list(&res->json, ctx->store, S("status"), S("owner"), aims_req_bool(req, "overdue"));
}

/* ---- monitoring ---- */

static int op_monitor_plan_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char **cols = NULL, **evs = NULL, **groups = NULL, **ths = NULL;
	size_t n = 0, nev = 0, ng = 0, nth = 0;
	int err;
	if ((err = aims_req_list(&cols, &n, req, "column")) < 0 || (err = aims_req_list(&evs, &nev, req, "evaluation")) < 0 ||
	    (err = aims_req_list(&groups, &ng, req, "group")) < 0 || (err = aims_req_list(&ths, &nth, req, "threshold")) < 0)
		goto done;
	aims_monitor_plan_new in = { .name = S("name"), .system = S("system"), .every = S("every"),
				     .ref_since = S("ref_since"), .ref_until = S("ref_until"), .columns = cols, .ncolumns = n,
				     .share_threshold = aims_req_num(req, "share_threshold", 0),
				     .incident = aims_req_bool(req, "incident"), .owner = S("owner"), .evaluations = evs,
				     .nevaluations = nev, .data = S("data"), .reference = S("reference"), .label = S("label"),
				     .pred = S("pred"), .score = S("score"), .groups = groups, .ngroups = ng,
				     .thresholds = ths, .nthresholds = nth };
	err = aims_monitor_plan_add(&res->json, ctx->store, &in);
done:
	aims__free(cols);
	aims__free(evs);
	aims__free(groups);
	aims__free(ths);
	return err;
}

static int op_monitor_plan_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_monitor_plan_get(&res->json, ctx->store, S("name"));
}

static int op_monitor_plan_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_monitor_plan_list(&res->json, ctx->store, S("system"));
}

static int op_monitor_plan_retire(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_monitor_plan_retire(&res->json, ctx->store, S("name"));
}

static int op_monitor_run(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err = aims_monitor_run(&res->json, ctx->store, S("system"), S("plan"), S("period"));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(res->json, "runs"), i, r) {
		res->wrote |= json_is_true(json_object_get(r, "ran_now"));
	}
	return err;
}

static int op_monitor_runs(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_monitor_runs(&res->json, ctx->store, S("system"));
}

/* ---- concerns ---- */

static int op_concern_submit(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_concern_new in = { .summary = S("summary"), .details = S("details"), .kind = S("kind"), .system = S("system"),
				.contact = S("contact"), .client_addr = ctx->client_addr };
	return aims_concern_submit(&res->json, ctx->store, &in);
}

static int op_concern_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_concern_get(&res->json, ctx->store, S("id"));
}

static int op_concern_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_concern_list(&res->json, ctx->store, S("status"));
}

static int op_concern_triage(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_concern_triage(&res->json, ctx->store, S("id"), S("category"), S("severity"), S("system"), S("owner"));
}

static int op_concern_close(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_concern_close(&res->json, ctx->store, S("id"), S("outcome"), aims_req_bool(req, "nonconformity"));
}

static int op_concern_intake(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_concern_intake_set(&res->json, ctx->store, strcmp(S("state"), "on") == 0);
}

/* ---- suppliers ---- */

static int op_supplier_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char **l[5] = { NULL };
	size_t n[5] = { 0 };
	static const char *const f[5] = { "provides", "system", "model", "ours", "theirs" };
	int err = 0;
	for (size_t i = 0; i < 5 && err == 0; i++)
		err = aims_req_list(&l[i], &n[i], req, f[i]);
	if (err == 0) {
		aims_supplier_new in = { .name = S("name"), .provides = l[0], .nprovides = n[0], .systems = l[1],
					 .nsystems = n[1], .models = l[2], .nmodels = n[2], .ours = l[3], .nours = n[3],
					 .theirs = l[4], .ntheirs = n[4], .contact = S("contact"),
					 .next_assessment = S("next_assessment") };
		err = aims_supplier_add(&res->json, ctx->store, &in);
	}
	for (size_t i = 0; i < 5; i++)
		aims__free(l[i]);
	return err;
}

static int op_supplier_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_supplier_get(&res->json, ctx->store, S("id"));
}

static int op_supplier_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	(void)req;
	return aims_supplier_list(&res->json, ctx->store);
}

static int op_supplier_assess(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_supplier_assess(&res->json, ctx->store, S("id"), S("result"), S("note"), S("next"));
}

/* ---- objectives ---- */

static int op_objective_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_objective_add(&res->json, ctx->store, S("title"), S("kpi"), S("target"), S("system"), S("owner"),
				  S("every"));
}

static int op_objective_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	(void)req;
	return aims_objective_list(&res->json, ctx->store);
}

static int op_objective_status(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_objective_status(&res->json, ctx->store, S("period"));
}

/* ---- ISMS exchange ---- */

static int exchange_import(aims_op_result *res, aims_op_ctx *ctx, const json_t *req, const char *kind)
{
	const json_t *file = json_object_get(req, "file");
	return aims_pdca_import(&res->json, ctx->store, kind, json_string_value(file), json_string_length(file),
				ctx->input_name ? ctx->input_name : "request body");
}

static int exchange_export(aims_op_result *res, aims_op_ctx *ctx, const json_t *req, const char *kind)
{
	const char *syntax = S("syntax") ? S("syntax") : "csv";
	int err = aims_pdca_export(&res->body, ctx->store, kind, syntax);
	res->content_type = strcmp(syntax, "json") == 0 ? "application/json" : "text/csv; charset=utf-8";
	return err;
}

static int op_incident_import(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return exchange_import(res, ctx, req, "incidents");
}

static int op_nc_import(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return exchange_import(res, ctx, req, "nonconformities");
}

static int op_incident_export(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return exchange_export(res, ctx, req, "incidents");
}

static int op_nc_export(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return exchange_export(res, ctx, req, "nonconformities");
}

/* ---- what is due ---- */

static int op_due(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int64_t within = aims_req_int(req, "within", 30);
	if (within < 0 || within > 3650)
		return aims__err(AIMS_EINVALID, "within %lld: expected 0 to 3650 days", (long long)within);
	return aims_due(&res->json, ctx->store, S("for"), (int)within);
}

/* ---- management review ---- */

static const char *const html_only[] = { "html", NULL };

static int op_review_pack(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	json_t *p = NULL;
	int err = aims_review_pack(&p, ctx->store, S("period"));
	if (err < 0)
		return err;
	if (S("format")) {
		if ((err = aims_review_pack_html(&res->body, p, ctx->store)) < 0) {
			json_decref(p);
			return err;
		}
		res->content_type = "text/html; charset=utf-8";
		json_decref(p);
		return 0;
	}
	res->json = p;
	return 0;
}

static int op_review_record(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *owner = S("owner");
	if (!owner)
		owner = ctx->principal ? ctx->principal->name : NULL;
	return aims_review_record(&res->json, ctx->store, S("period"), S("decisions"), owner);
}

/* ---- internal audits ---- */

static int op_audit_plan(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char **reqs = NULL, **syss = NULL;
	size_t nr = 0, ns = 0;
	int err;
	if ((err = aims_req_list(&reqs, &nr, req, "requirement")) == 0 &&
	    (err = aims_req_list(&syss, &ns, req, "system")) == 0)
		err = S("programme") ? aims_audit_programme_plan(&res->json, ctx->store, S("programme"), S("title"),
								 S("period"), S("auditor"), reqs, nr, syss, ns, S("planned")) :
				       aims_internal_audit_plan(&res->json, ctx->store, S("title"), S("period"), S("auditor"),
								reqs, nr, syss, ns, S("planned"));
	aims__free(reqs);
	aims__free(syss);
	return err;
}

static int op_audit_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_internal_audit_get(&res->json, ctx->store, S("id"));
}

static int op_audit_report(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	json_t *r = NULL;
	int err = aims_internal_audit_report(&r, ctx->store, S("id"));
	if (err < 0)
		return err;
	if (S("format")) {
		err = aims_internal_audit_report_html(&res->body, r, ctx->store);
		json_decref(r);
		if (err < 0)
			return err;
		res->content_type = "text/html; charset=utf-8";
		return 0;
	}
	res->json = r;
	return 0;
}

static int op_audit_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_internal_audit_list(&res->json, ctx->store, S("status"));
}

static int op_audit_sample(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_internal_audit_sample(&res->json, ctx->store, S("id"), S("record"), S("note"));
}

static int op_audit_finding(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_internal_audit_finding(&res->json, ctx->store, S("id"), S("kind"), S("requirement"), S("text"), S("record"),
				  S("owner"), S("due"));
}

static int op_audit_close(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_internal_audit_close(&res->json, ctx->store, S("id"), S("summary"));
}

/* ---- audit programmes ---- */

static int op_programme_create(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_audit_programme_new in = { .title = S("title"), .period = S("period"), .objective = S("objective"),
					.frequency = S("frequency"), .method = S("method"), .owner = S("owner") };
	return aims_audit_programme_create(&res->json, ctx->store, &in);
}

static int op_programme_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_audit_programme_add(&res->json, ctx->store, S("id"), S("audit"));
}

static int op_programme_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_audit_programme_get(&res->json, ctx->store, S("id"));
}

static int op_programme_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	(void)req;
	return aims_audit_programme_list(&res->json, ctx->store);
}

/* ---- fields ---- */

#define F_END { NULL, 0, 0, NULL, NULL, NULL }
#define F_ID(what) { "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", what, NULL }
#define F_NOTE(req, what) { "note", AIMS_FT_TEXT, (req), "TEXT", what, NULL }

static const aims_op_field f_incident_open[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system involved", NULL },
	{ "title", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "what happened, in one line", NULL },
	{ "harm", AIMS_FT_STRING, AIMS_FF_REQUIRED, "KIND", "the harm (Art. 3(49)): health, critical-infrastructure, "
	  "fundamental-rights, property-environment or other", harms },
	{ "severity", AIMS_FT_STRING, AIMS_FF_REQUIRED, "LEVEL", "low, medium, high or critical", severities },
	{ "serious", AIMS_FT_BOOL, 0, NULL, "a serious incident under Art. 3(49): reported under Art. 73", NULL },
	{ "serious_case", AIMS_FT_STRING, 0, "CASE", "the Art. 73 clock: default (15 days), death (10 days), widespread "
	  "or critical-infrastructure (2 days)", cases },
	{ "role", AIMS_FT_STRING, 0, "ROLE", "the organization's role for the system: provider or deployer (default: "
	  "from the system's record)", roles },
	{ "awareness", AIMS_FT_STRING, 0, "TIME", "when the organization became aware (RFC 3339; default now)", NULL },
	{ "model", AIMS_FT_STRING, 0, "NAME@VER", "the model version involved", NULL },
	{ "description", AIMS_FT_TEXT, 0, "TEXT", "what happened", NULL },
	{ "affected_groups", AIMS_FT_STRING, 0, "TEXT", "who was affected", NULL },
	{ "evidence", AIMS_FT_STRING, 0, "REF", "evidence, e.g. evaluation:EVAL-0003 or a ticket", NULL },
	{ "isms_control", AIMS_FT_LIST, 0, "CONTROL", "an ISO/IEC 27001 control the incident also concerns "
	  "(repeatable), e.g. A.5.24", NULL },
	F_END
};
static const aims_op_field f_incident_show[] = { F_ID("the incident (INC-NNN)"), F_END };
static const aims_op_field f_incident_list[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's incidents", NULL },
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only open, reported or closed incidents", inc_statuses },
	{ "overdue", AIMS_FT_BOOL, 0, NULL, "only serious incidents past their reporting deadline without the report",
	  NULL },
	F_END
};
static const aims_op_field f_incident_update[] = {
	F_ID("the incident (INC-NNN)"),
	{ "description", AIMS_FT_TEXT, 0, "TEXT", "a new description", NULL },
	{ "severity", AIMS_FT_STRING, 0, "LEVEL", "a new severity", severities },
	{ "harm", AIMS_FT_STRING, 0, "KIND", "a new harm category", harms },
	{ "affected_groups", AIMS_FT_STRING, 0, "TEXT", "who was affected", NULL },
	{ "evidence", AIMS_FT_STRING, 0, "REF", "evidence", NULL },
	F_NOTE(0, "a note added to the incident's history"),
	F_END
};
static const aims_op_field f_incident_report[] = {
	F_ID("the incident (INC-NNN)"),
	{ "to", AIMS_FT_STRING, AIMS_FF_REQUIRED, "RECIPIENT", "market-surveillance-authority, provider, importer, "
	  "distributor, notified-body or other", recipients },
	{ "name", AIMS_FT_STRING, 0, "NAME", "the recipient by name, e.g. the authority", NULL },
	{ "channel", AIMS_FT_STRING, 0, "TEXT", "how it was sent (portal, e-mail, ...)", NULL },
	{ "reference", AIMS_FT_STRING, 0, "TEXT", "the recipient's or the sender's reference", NULL },
	{ "sent_at", AIMS_FT_STRING, 0, "TIME", "when it was sent (RFC 3339; default now)", NULL },
	{ "kind", AIMS_FT_STRING, 0, "KIND", "initial (Art. 73(5): incomplete, completed later) or complete (default)",
	  report_kinds },
	F_END
};
static const aims_op_field f_incident_close[] = {
	F_ID("the incident (INC-NNN)"), F_NOTE(AIMS_FF_REQUIRED, "how it was resolved"), F_END
};
static const aims_op_field f_incident_nc[] = {
	F_ID("the incident (INC-NNN)"),
	{ "requirement", AIMS_FT_STRING, 0, "ID", "the ISO/IEC 42001 clause or control concerned, e.g. A.8.4", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who owns the nonconformity (default: the acting account)", NULL },
	{ "due", AIMS_FT_DATE, 0, "YYYY-MM-DD", "when it should be resolved", NULL },
	F_END
};
static const aims_op_field f_nc_open[] = {
	{ "title", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "the nonconformity, in one line", NULL },
	{ "source", AIMS_FT_STRING, AIMS_FF_REQUIRED, "SOURCE", "internal-audit, monitoring, incident, concern, "
	  "external-audit or other", sources },
	{ "source_ref", AIMS_FT_STRING, 0, "REF", "the originating record, e.g. INC-003 or an audit finding", NULL },
	{ "requirement", AIMS_FT_STRING, 0, "ID", "the ISO/IEC 42001 clause or control not met, e.g. 9.1 or A.6.2.6",
	  NULL },
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "the AI system concerned", NULL },
	{ "description", AIMS_FT_TEXT, 0, "TEXT", "what was found", NULL },
	{ "evidence", AIMS_FT_STRING, 0, "REF", "evidence, e.g. evaluation:EVAL-0003", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who owns it (default: the acting account)", NULL },
	{ "due", AIMS_FT_DATE, 0, "YYYY-MM-DD", "when it should be resolved", NULL },
	F_END
};
static const aims_op_field f_nc_show[] = { F_ID("the nonconformity (NC-NNN)"), F_END };
static const aims_op_field f_nc_list[] = {
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only open, analysed or closed ones", nc_statuses },
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "only this owner's", NULL },
	F_END
};
static const aims_op_field f_nc_analyse[] = {
	F_ID("the nonconformity (NC-NNN)"),
	{ "root_cause", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "the root cause found", NULL },
	F_END
};
static const aims_op_field f_nc_close[] = {
	F_ID("the nonconformity (NC-NNN)"), F_NOTE(AIMS_FF_REQUIRED, "the closing note"), F_END
};
static const aims_op_field f_ca_add[] = {
	F_ID("the nonconformity (NC-NNN)"),
	{ "description", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "the corrective action", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who carries it out (default: the acting account)", NULL },
	{ "due", AIMS_FT_DATE, AIMS_FF_REQUIRED, "YYYY-MM-DD", "when it is due", NULL },
	F_END
};
static const aims_op_field f_ca_done[] = {
	F_ID("the corrective action (CA-NNN)"), F_NOTE(AIMS_FF_REQUIRED, "what was done"), F_END
};
static const aims_op_field f_ca_review[] = {
	F_ID("the corrective action (CA-NNN)"),
	{ "result", AIMS_FT_STRING, AIMS_FF_REQUIRED, "RESULT", "effective or not-effective", results },
	F_NOTE(AIMS_FF_REQUIRED, "how the effectiveness was judged"),
	{ "evidence", AIMS_FT_STRING, 0, "REF", "evidence of the effect, e.g. evaluation:EVAL-0007", NULL },
	F_END
};
static const aims_op_field f_ca_close[] = { F_ID("the corrective action (CA-NNN)"), F_END };
static const aims_op_field f_ca_list[] = {
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only open, done, effective or closed actions", ca_statuses },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "only this owner's actions", NULL },
	{ "overdue", AIMS_FT_BOOL, 0, NULL, "only actions past their due date and not closed", NULL },
	F_END
};

static const char *const everys[] = { "day", "week", "month", NULL };
static const char *const evaluations[] = { "fairness", "performance", "drift", NULL };
static const aims_op_field f_monitor_plan_add[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "NAME", "the plan's name (a-z 0-9 . _ -)", NULL },
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED, "SYSTEM", "the AI system monitored (its decision log is the "
	  "default input)", NULL },
	{ "every", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PERIOD", "day, week or month: the period each run covers", everys },
	{ "evaluation", AIMS_FT_LIST, 0, "KIND", "fairness, performance or drift (repeatable; default drift); all run "
	  "in one pass over the input", evaluations },
	{ "data", AIMS_FT_STRING, 0, "FILE", "the current data: a CSV/NDJSON file (gzip allowed) read at each run on "
	  "the machine running the plans (default: the period's decisions)", NULL },
	{ "reference", AIMS_FT_STRING, 0, "FILE", "drift: a reference file (default: the reference window of the log)",
	  NULL },
	{ "ref_since", AIMS_FT_STRING, 0, "TIME", "start of the reference window of the decision log (RFC 3339)", NULL },
	{ "ref_until", AIMS_FT_STRING, 0, "TIME", "end of the reference window of the decision log (RFC 3339)", NULL },
	{ "label", AIMS_FT_STRING, 0, "COL", "fairness, performance: the true outcome column", NULL },
	{ "pred", AIMS_FT_STRING, 0, "COL", "fairness, performance: the predicted outcome column", NULL },
	{ "score", AIMS_FT_STRING, 0, "COL", "performance: the positive-class score column", NULL },
	{ "group", AIMS_FT_LIST, 0, "COL", "fairness: a sensitive column (repeatable)", NULL },
	{ "threshold", AIMS_FT_LIST, 0, "RULE", "METRIC OP NUMBER, e.g. 'roc_auc >= 0.75' (repeatable): not held is a "
	  "breach", NULL },
	{ "column", AIMS_FT_LIST, 0, "FIELD", "drift: a field compared (repeatable; default every field)", NULL },
	{ "share_threshold", AIMS_FT_NUMBER, 0, "X", "dataset drift when this share of the fields drifted (default 0.5)",
	  NULL },
	{ "incident", AIMS_FT_BOOL, 0, NULL, "a breach also opens an AI incident", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who owns the plan and the nonconformities it opens", NULL },
	F_END
};
static const aims_op_field f_monitor_plan_name[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "the plan", NULL }, F_END
};
static const aims_op_field f_monitor_system[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's plans", NULL }, F_END
};
static const aims_op_field f_monitor_run[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's plans", NULL },
	{ "plan", AIMS_FT_STRING, 0, "NAME", "only this plan", NULL },
	{ "period", AIMS_FT_STRING, 0, "PERIOD", "with --plan: a past period to run (YYYY-MM, YYYY-Www or YYYY-MM-DD, as "
	  "the plan's), e.g. to catch up after an outage", NULL },
	F_END
};

static const char *const concern_kinds[] = { "concern", "adverse-impact", NULL };
static const char *const concern_statuses[] = { "new", "triaged", "closed", NULL };
static const char *const on_off[] = { "on", "off", NULL };
static const aims_op_field f_concern_submit[] = {
	{ "summary", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "the concern, in one line", NULL },
	{ "details", AIMS_FT_TEXT, 0, "TEXT", "what happened (at most 4000 bytes)", NULL },
	{ "kind", AIMS_FT_STRING, 0, "KIND", "concern (default) or adverse-impact (a report of adverse impact)",
	  concern_kinds },
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "the AI system concerned", NULL },
	{ "contact", AIMS_FT_STRING, 0, "TEXT", "how to reach the submitter", NULL },
	F_END
};
static const aims_op_field f_concern_show[] = { F_ID("the concern (CON-NNN)"), F_END };
static const aims_op_field f_concern_list[] = {
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only new, triaged or closed concerns", concern_statuses }, F_END
};
static const aims_op_field f_concern_triage[] = {
	F_ID("the concern (CON-NNN)"),
	{ "category", AIMS_FT_STRING, AIMS_FF_REQUIRED, "CATEGORY", "bias-fairness, privacy, safety, transparency, "
	  "misuse, security, performance or other", NULL },
	{ "severity", AIMS_FT_STRING, AIMS_FF_REQUIRED, "LEVEL", "low, medium, high or critical", severities },
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "the AI system concerned", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who follows it up (default the acting account)", NULL },
	F_END
};
static const aims_op_field f_concern_close[] = {
	F_ID("the concern (CON-NNN)"),
	{ "outcome", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "what was found and done", NULL },
	{ "nonconformity", AIMS_FT_BOOL, 0, NULL, "also open a nonconformity (source concern)", NULL },
	F_END
};
static const aims_op_field f_concern_intake[] = {
	{ "state", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "on|off", "whether people without an account may "
	  "submit concerns", on_off },
	F_END
};

static const char *const supplier_results[] = { "acceptable", "conditional", "unacceptable", NULL };
static const aims_op_field f_none_pdca[] = { F_END };
static const aims_op_field f_supplier_add[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "NAME", "the supplier's name", NULL },
	{ "provides", AIMS_FT_LIST, AIMS_FF_REQUIRED, "KIND", "what it provides: ai-system, model, data or service "
	  "(repeatable)", NULL },
	{ "system", AIMS_FT_LIST, 0, "SYSTEM", "an AI system it supplies (repeatable)", NULL },
	{ "model", AIMS_FT_LIST, 0, "NAME@VER", "a model version it supplies (repeatable)", NULL },
	{ "ours", AIMS_FT_LIST, 0, "TEXT", "a responsibility the organization keeps (A.10.2; repeatable)", NULL },
	{ "theirs", AIMS_FT_LIST, 0, "TEXT", "a responsibility allocated to the supplier (A.10.2; repeatable)", NULL },
	{ "contact", AIMS_FT_STRING, 0, "TEXT", "the supplier's contact", NULL },
	{ "next_assessment", AIMS_FT_DATE, 0, "YYYY-MM-DD", "when the supplier is to be assessed", NULL },
	F_END
};
static const aims_op_field f_supplier_show[] = { F_ID("the supplier (SUP-NNN)"), F_END };
static const aims_op_field f_supplier_assess[] = {
	F_ID("the supplier (SUP-NNN)"),
	{ "result", AIMS_FT_STRING, AIMS_FF_REQUIRED, "RESULT", "acceptable, conditional or unacceptable",
	  supplier_results },
	F_NOTE(AIMS_FF_REQUIRED, "what was assessed and found"),
	{ "next", AIMS_FT_DATE, 0, "YYYY-MM-DD", "when the next assessment is due", NULL },
	F_END
};

static const char *const kpi_kinds[] = { "monitoring-pass-rate", "drift-alerts", "overdue-actions",
					 "incidents-reported-in-time", "open-nonconformities", "override-rate",
					 "evaluations-recorded", NULL };
static const char *const objective_everys[] = { "month", "quarter", "year", NULL };
static const aims_op_field f_objective_add[] = {
	{ "title", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "the objective", NULL },
	{ "kpi", AIMS_FT_STRING, AIMS_FF_REQUIRED, "KPI", "what measures it (docs/pdca.md, \"Objectives\")", kpi_kinds },
	{ "target", AIMS_FT_STRING, AIMS_FF_REQUIRED, "OP NUMBER", "the target, e.g. '>= 0.95' or '<= 2'", NULL },
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's records count", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who answers for it (default the acting account)", NULL },
	{ "every", AIMS_FT_STRING, 0, "PERIOD", "month, quarter (default) or year", objective_everys },
	F_END
};
static const aims_op_field f_objective_status[] = {
	{ "period", AIMS_FT_STRING, 0, "PERIOD", "2026, 2026-Q2, 2026-05 or YYYY-MM-DD..YYYY-MM-DD (default the current "
	  "period of each objective)", NULL },
	F_END
};

static const char *const syntaxes[] = { "csv", "json", NULL };
static const aims_op_field f_exchange_import[] = {
	{ "file", AIMS_FT_FILE, AIMS_FF_REQUIRED | AIMS_FF_ARG, "FILE", "the ISMS tool's export: CSV or JSON with the "
	  "columns of docs/pdca.md ('-' for standard input)", NULL },
	F_END
};
static const aims_op_field f_exchange_export[] = {
	{ "syntax", AIMS_FT_STRING, 0, "csv|json", "CSV (default) or JSON", syntaxes },
	F_END
};

static const aims_op_field f_due[] = {
	{ "for", AIMS_FT_STRING, 0, "PRINCIPAL", "only what this account (or os:LOGIN) owns", NULL },
	{ "within", AIMS_FT_INT, 0, "DAYS", "items due within DAYS from today, and every overdue one (default 30)", NULL },
	F_END
};

static const aims_op_field f_review_pack[] = {
	{ "period", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PERIOD", "2026, 2026-Q2, 2026-05 or YYYY-MM-DD..YYYY-MM-DD (end "
	  "exclusive)", NULL },
	F_END
};
static const aims_op_field f_review_record[] = {
	{ "period", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PERIOD", "the period reviewed, as for the pack", NULL },
	{ "decisions", AIMS_FT_FILE, AIMS_FF_REQUIRED, "FILE", "the review's decisions and actions (Markdown; '-' for "
	  "standard input)", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "the record's owner (default the acting account)", NULL },
	F_END
};

static const aims_op_field f_audit_plan[] = {
	{ "title", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "the audit, in one line", NULL },
	{ "period", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PERIOD", "the period audited, e.g. 2026-Q2", NULL },
	{ "auditor", AIMS_FT_STRING, AIMS_FF_REQUIRED, "ACCOUNT", "an account with the auditor role, independent of "
	  "the audited owners", NULL },
	{ "requirement", AIMS_FT_LIST, 0, "ID", "an ISO/IEC 42001 clause or control in scope (repeatable)", NULL },
	{ "system", AIMS_FT_LIST, 0, "SYSTEM", "an AI system in scope (repeatable)", NULL },
	{ "planned", AIMS_FT_DATE, 0, "YYYY-MM-DD", "when it is planned", NULL },
	{ "programme", AIMS_FT_STRING, 0, "PRG-NNN", "put the audit into this audit programme (its period must lie "
	  "inside the programme's)", NULL },
	F_END
};
static const aims_op_field f_programme_create[] = {
	{ "title", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "the programme, in one line", NULL },
	{ "period", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PERIOD", "2026, 2026-Q2, 2026-05 or FROM..TO (YYYY-MM-DD, end "
	  "exclusive)", NULL },
	{ "objective", AIMS_FT_TEXT, 0, "TEXT", "what the programme is to achieve", NULL },
	{ "frequency", AIMS_FT_STRING, 0, "TEXT", "how often areas are audited, e.g. 'each quarter; A.6 yearly'", NULL },
	{ "method", AIMS_FT_STRING, 0, "TEXT", "the audit methods, e.g. 'interviews and record sampling'", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "who is responsible for the programme (default the acting account)",
	  NULL },
	F_END
};
static const aims_op_field f_programme_show[] = { F_ID("the audit programme (PRG-NNN)"), F_END };
static const aims_op_field f_programme_add[] = {
	F_ID("the audit programme (PRG-NNN)"),
	{ "audit", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "AUDIT", "the audit (AUD-NNN), its period inside the "
	  "programme's", NULL },
	F_END
};
static const aims_op_field f_audit_show[] = { F_ID("the audit (AUD-NNN)"), F_END };
static const aims_op_field f_audit_list[] = {
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only planned, in-progress or closed audits", audit_statuses },
	F_END
};
static const aims_op_field f_audit_sample[] = {
	F_ID("the audit (AUD-NNN)"),
	{ "record", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TYPE:ID", "a governed record as in the ledger, e.g. "
	  "risk:RISK-001", NULL },
	F_NOTE(0, "what was looked at"),
	F_END
};
static const aims_op_field f_audit_finding[] = {
	F_ID("the audit (AUD-NNN)"),
	{ "kind", AIMS_FT_STRING, AIMS_FF_REQUIRED, "KIND", "conformity, observation or nonconformity", finding_kinds },
	{ "text", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "the finding", NULL },
	{ "requirement", AIMS_FT_STRING, 0, "ID", "the ISO/IEC 42001 clause or control it concerns", NULL },
	{ "record", AIMS_FT_STRING, 0, "TYPE:ID", "the record it is based on", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "a nonconformity's owner", NULL },
	{ "due", AIMS_FT_DATE, 0, "YYYY-MM-DD", "a nonconformity's due date", NULL },
	F_END
};
static const aims_op_field f_audit_close[] = {
	F_ID("the audit (AUD-NNN)"),
	{ "summary", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "the audit's conclusion", NULL },
	F_END
};

const aims_op aims__ops_pdca[] = {
	{ "audit.close", "audit close", "POST", "/audits/{id}/close", "audit.conduct", AIMS_OP_WRITE, f_audit_close,
	  "close an internal audit with its summary (its auditor)", NULL, NULL, NULL, op_audit_close },
	{ "audit.finding", "audit finding", "POST", "/audits/{id}/findings", "audit.conduct", AIMS_OP_WRITE,
	  f_audit_finding, "record an audit finding; a nonconformity finding opens a nonconformity", NULL, NULL, NULL,
	  op_audit_finding },
	{ "audit.list", "audit list", "GET", "/audits", "read", AIMS_OP_LIST, f_audit_list,
	  "list internal audits, newest first", "audits", NULL, NULL, op_audit_list },
	{ "audit.plan", "audit plan", "POST", "/audits", "audit.manage", AIMS_OP_WRITE | AIMS_OP_CREATED, f_audit_plan,
	  "plan an internal audit (ISO/IEC 42001 9.2) with its scope and an independent auditor", NULL, NULL, NULL,
	  op_audit_plan },
	{ "audit.sample", "audit sample", "POST", "/audits/{id}/sample", "audit.conduct", AIMS_OP_WRITE, f_audit_sample,
	  "add a governed record to an audit's sample (its auditor)", NULL, NULL, NULL, op_audit_sample },
	{ "monitor.plan_add", "monitor plan add", "POST", "/monitoring-plans", "monitor.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_monitor_plan_add,
	  "add a monitoring plan: drift of an AI system's decisions each day, week or month", NULL, NULL, NULL,
	  op_monitor_plan_add },
	{ "monitor.plan_list", "monitor plan list", "GET", "/monitoring-plans", "read", AIMS_OP_LIST, f_monitor_system,
	  "list monitoring plans", "plans", NULL, NULL, op_monitor_plan_list },
	{ "monitor.plan_retire", "monitor plan retire", "POST", "/monitoring-plans/{name}/retire", "monitor.manage",
	  AIMS_OP_WRITE, f_monitor_plan_name, "retire a monitoring plan", NULL, NULL, NULL, op_monitor_plan_retire },
	{ "monitor.plan_show", "monitor plan show", "GET", "/monitoring-plans/{name}", "read", 0, f_monitor_plan_name,
	  "show a monitoring plan", NULL, NULL, NULL, op_monitor_plan_show },
	{ "monitor.run", "monitor run", "POST", "/monitoring-runs", "eval.record", 0,
	  f_monitor_run, "run the monitoring plans that are due, once per period; a breach opens a nonconformity",
	  NULL, NULL, NULL, op_monitor_run },
	{ "monitor.runs", "monitor runs", "GET", "/monitoring-runs", "read", AIMS_OP_LIST, f_monitor_system,
	  "list monitoring runs, newest first", "runs", NULL, NULL, op_monitor_runs },
	{ "audit.programme_add", "audit programme add", "POST", "/audit-programmes/{id}/audits", "audit.manage",
	  AIMS_OP_WRITE, f_programme_add, "put an internal audit into an audit programme", NULL, NULL, NULL,
	  op_programme_add },
	{ "audit.programme_create", "audit programme create", "POST", "/audit-programmes", "audit.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_programme_create,
	  "create an audit programme (ISO/IEC 42001 9.2.2) for a period: objective, frequency, methods, owner", NULL,
	  NULL, NULL, op_programme_create },
	{ "audit.programme_list", "audit programme list", "GET", "/audit-programmes", "read", AIMS_OP_LIST, f_none_pdca,
	  "list audit programmes with their coverage, newest first", "programmes", NULL, NULL, op_programme_list },
	{ "audit.programme_show", "audit programme show", "GET", "/audit-programmes/{id}", "read", 0, f_programme_show,
	  "show an audit programme: its audits' status, the nonconformities they opened, and which clauses, controls "
	  "and AI systems its audits cover and which not", NULL, NULL, NULL, op_programme_show },
	{ "audit.report", "audit report", "GET", "/audits/{id}/report", "read", 0, f_audit_show,
	  "an internal audit's report: scope, sample, findings and the nonconformities they opened with their status "
	  "now", NULL, NULL, html_only, op_audit_report },
	{ "audit.show", "audit show", "GET", "/audits/{id}", "read", 0, f_audit_show,
	  "show an internal audit with its scope, sample and findings: its report", NULL, NULL, NULL, op_audit_show },
	{ "ca.add", "nc action add", "POST", "/nonconformities/{id}/actions", "nc.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_ca_add, "add a corrective action with owner and due date to a nonconformity", NULL, NULL, NULL, op_ca_add },
	{ "ca.close", "nc action close", "POST", "/corrective-actions/{id}/close", "nc.manage", AIMS_OP_WRITE, f_ca_close,
	  "close a corrective action that its effectiveness review found effective", NULL, NULL, NULL, op_ca_close },
	{ "ca.done", "nc action done", "POST", "/corrective-actions/{id}/done", "nc.manage", AIMS_OP_WRITE, f_ca_done,
	  "report a corrective action done; it then awaits its effectiveness review", NULL, NULL, NULL, op_ca_done },
	{ "ca.list", "nc actions", "GET", "/corrective-actions", "read", AIMS_OP_LIST, f_ca_list,
	  "list corrective actions, newest first", "actions", NULL, NULL, op_ca_list },
	{ "ca.review", "nc action review", "POST", "/corrective-actions/{id}/review", "nc.review", AIMS_OP_WRITE,
	  f_ca_review, "review a done corrective action's effectiveness (an account other than its owner)", NULL, NULL,
	  NULL, op_ca_review },
	{ "mgmt_review.pack", "review-pack", "GET", "/management-review-pack", "read", 0, f_review_pack,
	  "the inputs of a management review (ISO/IEC 42001 9.3.2) for a period, computed from the store", NULL, NULL,
	  html_only, op_review_pack },
	{ "mgmt_review.record", "review-pack record", "POST", "/management-reviews", "doc.edit",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_review_record,
	  "record a management review's decisions with its inputs as a controlled document", NULL, NULL, NULL,
	  op_review_record },
	{ "concern.close", "concern close", "POST", "/concerns/{id}/close", "concern.triage", AIMS_OP_WRITE,
	  f_concern_close, "close a concern with its outcome, optionally opening a nonconformity", NULL, NULL, NULL,
	  op_concern_close },
	{ "concern.intake", "concern intake", "PUT", "/concern-intake", "concern.triage", AIMS_OP_WRITE, f_concern_intake,
	  "allow or refuse concerns from people without an account", NULL, NULL, NULL, op_concern_intake },
	{ "concern.list", "concern list", "GET", "/concerns", "read", AIMS_OP_LIST, f_concern_list,
	  "list concerns, newest first", "concerns", NULL, NULL, op_concern_list },
	{ "concern.show", "concern show", "GET", "/concerns/{id}", "read", 0, f_concern_show, "show a concern", NULL, NULL,
	  NULL, op_concern_show },
	{ "concern.submit", "concern submit", "POST", "/concerns", "concern.submit", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_concern_submit, "submit a concern or a report of adverse impact of an AI system", NULL, NULL, NULL,
	  op_concern_submit },
	{ "concern.submit_public", NULL, "POST", "/public/concerns", "read",
	  AIMS_OP_PUBLIC | AIMS_OP_NOCLI | AIMS_OP_WRITE | AIMS_OP_CREATED, f_concern_submit,
	  "submit a concern without an account, when the organization allows it (rate-limited)", NULL, NULL, NULL,
	  op_concern_submit },
	{ "concern.triage", "concern triage", "POST", "/concerns/{id}/triage", "concern.triage", AIMS_OP_WRITE,
	  f_concern_triage, "triage a concern: category, severity, AI system, owner", NULL, NULL, NULL, op_concern_triage },
	{ "objective.add", "objective add", "POST", "/objectives", "objective.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_objective_add, "set an AI objective (ISO/IEC 42001 6.2) with a KPI computed from the store and a target",
	  NULL, NULL, NULL, op_objective_add },
	{ "objective.list", "objective list", "GET", "/objectives", "read", AIMS_OP_LIST, f_none_pdca,
	  "list AI objectives", "objectives", NULL, NULL, op_objective_list },
	{ "objective.status", "objective status", "GET", "/objectives/status", "read", AIMS_OP_LIST, f_objective_status,
	  "each objective's KPI for a period, whether its target is met, and the trend", "objectives", NULL, NULL,
	  op_objective_status },
	{ "supplier.add", "supplier add", "POST", "/suppliers", "supplier.manage", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_supplier_add, "register a supplier of AI systems, models, data or services (ISO/IEC 42001 A.10)", NULL, NULL,
	  NULL, op_supplier_add },
	{ "supplier.assess", "supplier assess", "POST", "/suppliers/{id}/assessments", "supplier.manage", AIMS_OP_WRITE,
	  f_supplier_assess, "record a supplier's assessment and when the next is due", NULL, NULL, NULL,
	  op_supplier_assess },
	{ "supplier.list", "supplier list", "GET", "/suppliers", "read", AIMS_OP_LIST, f_none_pdca,
	  "list suppliers, newest first", "suppliers", NULL, NULL, op_supplier_list },
	{ "supplier.show", "supplier show", "GET", "/suppliers/{id}", "read", 0, f_supplier_show,
	  "show a supplier with its responsibilities and assessments", NULL, NULL, NULL, op_supplier_show },
	{ "due.list", "due", "GET", "/due", "read", AIMS_OP_LIST, f_due,
	  "list what is due or overdue across the modules, for one person or all", "items", NULL, NULL, op_due },
	{ "incident.close", "incident close", "POST", "/incidents/{id}/close", "incident.manage", AIMS_OP_WRITE,
	  f_incident_close, "close an incident (a serious one only after its required reports)", NULL, NULL, NULL,
	  op_incident_close },
	{ "incident.export", "incident export", "GET", "/incidents/export", "read", 0, f_exchange_export,
	  "export incidents for the ISMS tool (CSV or JSON, the columns of docs/pdca.md)", NULL, NULL, NULL,
	  op_incident_export },
	{ "incident.import", "incident import", "POST", "/incidents/import", "incident.manage", AIMS_OP_WRITE,
	  f_exchange_import, "import incidents from the ISMS tool, all or nothing; rows imported before are left alone",
	  NULL, NULL, NULL, op_incident_import },
	{ "incident.list", "incident list", "GET", "/incidents", "read", AIMS_OP_LIST, f_incident_list,
	  "list AI incidents with their reporting deadlines, newest first", "incidents", NULL, NULL, op_incident_list },
	{ "incident.nc", "incident nc", "POST", "/incidents/{id}/nonconformities", "nc.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_incident_nc, "open the nonconformity an incident gives rise to", NULL, NULL,
	  NULL, op_incident_nc },
	{ "incident.open", "incident open", "POST", "/systems/{system}/incidents", "incident.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_incident_open,
	  "record an AI incident; a serious one gets its EU AI Act Art. 73 reporting deadline", NULL, NULL, NULL,
	  op_incident_open },
	{ "incident.report", "incident report", "POST", "/incidents/{id}/reports", "incident.report", AIMS_OP_WRITE,
	  f_incident_report, "record a report of an incident sent to an authority, the provider or another party", NULL,
	  NULL, NULL, op_incident_report },
	{ "incident.show", "incident show", "GET", "/incidents/{id}", "read", 0, f_incident_show,
	  "show an incident with its reports, deadline and what it marked for review", NULL, NULL, NULL,
	  op_incident_show },
	{ "incident.update", "incident update", "PATCH", "/incidents/{id}", "incident.manage",
	  AIMS_OP_WRITE | AIMS_OP_UPDATE, f_incident_update, "change an open incident's description, severity, harm, "
	  "affected groups or evidence, or add a note", NULL, "incident.show", NULL, op_incident_update },
	{ "nc.analyse", "nc analyse", "POST", "/nonconformities/{id}/analysis", "nc.manage", AIMS_OP_WRITE, f_nc_analyse,
	  "record a nonconformity's root cause", NULL, NULL, NULL, op_nc_analyse },
	{ "nc.close", "nc close", "POST", "/nonconformities/{id}/close", "nc.manage", AIMS_OP_WRITE, f_nc_close,
	  "close a nonconformity whose corrective actions are all closed", NULL, NULL, NULL, op_nc_close },
	{ "nc.export", "nc export", "GET", "/nonconformities/export", "read", 0, f_exchange_export,
	  "export nonconformities for the ISMS tool (CSV or JSON, the columns of docs/pdca.md)", NULL, NULL, NULL,
	  op_nc_export },
	{ "nc.import", "nc import", "POST", "/nonconformities/import", "nc.manage", AIMS_OP_WRITE, f_exchange_import,
	  "import nonconformities from the ISMS tool, all or nothing; rows imported before are left alone", NULL, NULL,
	  NULL, op_nc_import },
	{ "nc.list", "nc list", "GET", "/nonconformities", "read", AIMS_OP_LIST, f_nc_list,
	  "list nonconformities, newest first", "nonconformities", NULL, NULL, op_nc_list },
	{ "nc.open", "nc open", "POST", "/nonconformities", "nc.manage", AIMS_OP_WRITE | AIMS_OP_CREATED, f_nc_open,
	  "record a nonconformity (ISO/IEC 42001 10.2)", NULL, NULL, NULL, op_nc_open },
	{ "nc.show", "nc show", "GET", "/nonconformities/{id}", "read", 0, f_nc_show,
	  "show a nonconformity with its corrective actions", NULL, NULL, NULL, op_nc_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
