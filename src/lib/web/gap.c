/*
 * The gap analysis (run on every view) and the ISO/IEC 42001 Statement of
 * Applicability with the form that changes a control's entry.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col gap_cols[] = {
	{ "id", "Requirement", NULL, NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "group", "Group", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "credit", "Credit", NULL, NULL, NULL }, { "aims_evidence", "AIMS evidence", NULL, NULL, NULL },
	{ "to_add", "To add", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_gap(W *w)
{
	json_t *gap = NULL;
	int err = aims__web_call(&gap, NULL, w, "gap.analysis", NULL);
	if (err < 0)
		return aims__web_fail(w, err);
	json_t *table = NULL;
	err = aims__web_list_table(&table, w, json_object_get(gap, "items"), gap_cols, "gap-analysis.csv");
	if (err) {
		json_decref(gap);
		return err < 0 ? err : 0;
	}
	json_t *sum = json_object_get(gap, "summary");
	json_t *ctx = json_pack("{s:o, s:O, s:I, s:s, s:s}", "table", table, "summary", sum, "readiness",
				(json_int_t)(json_number_value(json_object_get(sum, "readiness")) * 100 + 0.5), "api",
				"/api/v1/gap-analysis", "report", "/api/v1/gap-analysis?format=html");
	json_decref(gap);
	return aims__web_page(w, 200, "gap.html", "Gap analysis", ctx);
}

static const col soa_cols[] = {
	{ "control", "Control", "/soa/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL }, { "applicable", "Applicable", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "owner", "Owner", NULL, NULL, NULL }, { "gap", "Gap", NULL, NULL, NULL },
	{ "justification", "Justification", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

int aims__web_pg_soa(W *w)
{
	return aims__web_list_page(w, "Statement of Applicability", "soa.list", NULL, "controls", soa_cols, "/api/v1/soa",
				   "soa.csv", json_pack("{s:s}", "report", "/api/v1/soa?format=html"));
}

int aims__web_pg_soa_control(W *w, const char *control)
{
	json_t *c = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		static const char *const keys[] = { "applicable", "status", "owner", "justification", NULL };
		json_t *req = json_pack("{s:s}", "control", control);
		if (!req || aims__web_form_copy(req, w, keys) < 0) {
			json_decref(req);
			return aims__oom();
		}
		w->if_match = aims__web_fstr(w, "etag");
		if ((err = aims__web_call(NULL, NULL, w, "soa.set", req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/soa/", control, NULL);
	}
	if ((err = aims__web_call(&c, NULL, w, "soa.show", aims__web_req1("control", control))) < 0)
		return aims__web_fail(w, err);
	json_t *ctx = json_pack("{s:o, s:s, s:b, s:o, s:o}", "c", c, "etag", w->etag, "can_edit", aims__web_can(w, "soa.manage"),
				"api", aims__web_url("/api/v1/soa/", control, NULL), "statuses",
				json_pack("[{s:s},{s:s},{s:s},{s:s}]", "value", "implemented", "value", "partial", "value",
					  "planned", "value", "not-implemented"));
	const char *st = json_string_value(json_object_get(c, "status"));
	json_t *sv;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(ctx, "statuses")) && (sv = json_array_get(json_object_get(ctx, "statuses"), i)) != NULL; i++)
		json_object_set_new(sv, "selected", json_boolean(st && aims__web_str_is(sv, "value", st)));
	json_object_set_new(ctx, "yes", json_boolean(json_is_true(json_object_get(c, "applicable"))));
	return aims__web_page(w, 200, "soa_control.html", control, ctx);
}
