/*
 * The AI inventory: systems (and the form to add one), a system's page with
 * its lineage graph, card, classification, risks, assessments, evaluations,
 * deployments and obligations; models, datasets and evaluations as lists
 * (impact assessments: assess_form.c).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col system_cols[] = {
	{ "name", "Name", "/systems/", NULL, NULL }, { "purpose", "Purpose", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL },
	{ "lifecycle", "Life cycle", NULL, NULL, NULL }, { "role", "EU AI Act role", NULL, NULL, NULL },
	{ "current_model", "Model", NULL, NULL, NULL }, { "status", "Status", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_systems(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "name", "purpose", "intended_use", "misuse", "owner", "lifecycle",
						    "role", "oversight", "affected_groups", NULL };
		json_t *req = json_object();
		int err = req ? aims__web_form_copy(req, w, keys) : aims__oom();
		if (err < 0) {
			json_decref(req);
			return err;
		}
		if ((err = aims__web_call(NULL, NULL, w, "system.add", req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/systems/", aims__web_fstr(w, "name"), NULL);
	}
	json_t *extra = json_pack("{s:b, s:o, s:o, s:o}", "can_add", aims__web_can(w, "inventory.manage"), "lifecycles",
				  aims__web_choices("system.add", "lifecycle"), "roles", aims__web_choices("system.add", "role"), "oversights",
				  aims__web_choices("system.add", "oversight"));
	return aims__web_list_page(w, "AI systems", "system.list", NULL, "systems", system_cols, "/api/v1/systems", "systems.csv",
			 extra);
}

const col aims__web_assess_cols[] = {
	{ "id", "Assessment", "/assessments/", NULL, NULL }, { "system", "System", "/systems/", NULL, NULL }, { "version", "Version", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "author", "Author", NULL, NULL, NULL }, { "approver", "Approver", NULL, NULL, NULL },
	{ "approved_at", "Approved", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col eval_cols[] = {
	{ "id", "Evaluation", "/evaluations/", NULL, NULL }, { "system", "System", "/systems/", NULL, NULL },
	{ "kind", "Kind", NULL, NULL, NULL },
	{ "recorded_at", "Recorded", NULL, NULL, NULL }, { "controls", "Controls", NULL, NULL, NULL },
	{ "summary", "Summary", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col deploy_cols[] = {
	{ "seq", "#", NULL, NULL, NULL }, { "model", "Model", NULL, NULL, NULL }, { "env", "Environment", NULL, NULL, NULL },
	{ "deployed_at", "Deployed", NULL, NULL, NULL }, { "deployed_by", "By", NULL, NULL, NULL }, { "notes", "Notes", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_system(W *w, const char *name)
{
	json_t *sys = NULL, *ctx = NULL, *cls = NULL;
	aims_buf svg = AIMS_BUF_INIT;
	int err;
	if ((err = aims__web_call(&sys, NULL, w, "system.show", aims__web_req1("name", name))) < 0)
		return aims__web_fail(w, err);
	ctx = json_pack("{s:o, s:o, s:o, s:o, s:o}", "system", sys, "api", aims__web_url("/api/v1/systems/", name, NULL), "card_html",
			aims__web_url("/api/v1/systems/", name, "/card?format=html"), "card_md",
			aims__web_url("/api/v1/systems/", name, "/card?format=markdown"), "aiact_href", aims__web_url("/aiact/", name, NULL));
	if (ctx)
		json_object_set_new(ctx, "review_metrics_href", aims__web_url("/systems/", name, "/review-metrics"));
	if (!ctx)
		return aims__oom();
	/* the questionnaire of the next impact assessment, pre-filled from the latest */
	json_object_set_new(ctx, "assess_href", aims__web_url("/assessments/new?system=", name, NULL));
	json_object_set_new(ctx, "can_assess", json_boolean(aims__web_can(w, "assess.edit")));
	json_t *lg = json_pack("{s:s}", "format", "svg");
	aims_buf r = AIMS_BUF_INIT;
	aims_buf_printf(&r, "system:%s", name);
	json_object_set_new(lg, "ref", json_string(r.ptr));
	aims_buf_release(&r);
	if (aims__web_call(NULL, &svg, w, "lineage.graph", lg) == 0 && svg.len)
		json_object_set_new(ctx, "lineage_svg", json_stringn(svg.ptr, svg.len));
	else
		aims_error_clear();
	aims_buf_release(&svg);
	if (aims__web_call(&cls, NULL, w, "aiact.show", aims__web_req1("system", name)) == 0)
		json_object_set_new(ctx, "aiact", cls);
	else
		aims_error_clear();
	if ((err = aims__web_sub_table(ctx, "risks", w, "risk.list", aims__web_req1("system", name), "risks",
				       aims__web_risk_cols)) < 0 ||
	    (err = aims__web_sub_table(ctx, "assessments", w, "assess.list", aims__web_req1("system", name), "assessments",
				       aims__web_assess_cols)) < 0 ||
	    (err = aims__web_sub_table(ctx, "evaluations", w, "eval.list", aims__web_req1("system", name), "evaluations",
				       eval_cols)) < 0 ||
	    (err = aims__web_sub_table(ctx, "deployments", w, "deploy.list", aims__web_req1("system", name), "deployments",
				       deploy_cols)) < 0 ||
	    (err = aims__web_sub_table(ctx, "obligations", w, "aiact.obligations", aims__web_req1("system", name),
				       "obligations", aims__web_obligation_cols)) < 0) {
		json_decref(ctx);
		return aims__web_fail(w, err);
	}
	return aims__web_page(w, 200, "system.html", name, ctx);
}

static const col model_cols[] = {
	{ "ref", "Model", NULL, NULL, NULL }, { "framework", "Framework", NULL, NULL, NULL }, { "licence", "Licence", NULL, NULL, NULL },
	{ "description", "Description", NULL, NULL, NULL }, { "digest", "Digest", NULL, NULL, NULL },
	{ "updated_at", "Updated", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static const col dataset_cols[] = {
	{ "ref", "Dataset", NULL, NULL, NULL }, { "source", "Source", NULL, NULL, NULL }, { "personal_data", "Personal data", NULL, NULL, NULL },
	{ "licence", "Licence", NULL, NULL, NULL }, { "limitations", "Limitations", NULL, NULL, NULL },
	{ "digest", "Digest", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

/* the inventory's plain lists, each read by its operation */
static const aims__web_list lists[] = {
	{ "/models", "Models", "model.list", "models", model_cols, "/api/v1/models", "models.csv" },
	{ "/datasets", "Datasets", "dataset.list", "datasets", dataset_cols, "/api/v1/datasets", "datasets.csv" },
	{ "/evaluations", "Evaluations", "eval.list", "evaluations", eval_cols, "/api/v1/evaluations", "evaluations.csv" },
};

const aims__web_list *aims__web_inventory_list(const char *path)
{
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strcmp(lists[i].path, path) == 0)
			return &lists[i];
	return NULL;
}
