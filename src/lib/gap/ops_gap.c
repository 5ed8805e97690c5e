/*
 * Operations of the ISO 27001 -> ISO 42001 gap analysis and of the ISO/IEC
 * 42001 Statement of Applicability (aims gap, aims soa; /api/v1/gap-analysis,
 * /api/v1/soa), and the JSON of both, built once here for the command line
 * and the API. The HTML reports and the SoA's CSV are formats of the reading
 * operations (report.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aims/gap.h"
#include "aims/op.h"
#include "aims/report.h"
#include "aims/soa.h"
#include "core/core.h"
#include "op/op_internal.h"

/* ---- JSON ---- */

static json_t *strs(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *part_json(const aims_gap_part *p)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:f}", "requirements", (json_int_t)p->requirements,
			 "covered", (json_int_t)p->covered, "partial", (json_int_t)p->partial, "gap", (json_int_t)p->gap,
			 "excluded", (json_int_t)p->excluded, "readiness", aims_gap_round(p->readiness));
}

static json_t *support_json(const aims_gap_support *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:f}", "control", p->control, "title", p->title,
			 "relationship", p->relationship, "confidence", p->confidence,
			 "status", p->has_row ? aims_impl_status_name(p->status) : "unknown",
			 "applicable", p->has_row && p->applicable, "contribution", aims_gap_status_name(p->contribution),
			 "credit", aims_gap_round(p->credit));
}

static json_t *item_json(const aims_gap_item *it)
{
	json_t *sup = json_array();
	for (size_t k = 0; sup && k < it->nsupported; k++)
		if (json_array_append_new(sup, support_json(&it->supported_by[k])) < 0) {
			json_decref(sup);
			return NULL;
		}
	if (!sup)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:f, s:o, s:o, s:o, s:o, s:o}", "id", it->id, "kind",
			 it->kind, "title", it->title, "group", it->group, "status", aims_gap_status_name(it->status),
			 "applicable", it->applicable, "credit", aims_gap_round(it->credit), "credited_by",
			 aims_json_str(it->credited_by), "supported_by", sup, "reusable_evidence",
			 strs(it->evidence, it->nevidence), "aims_evidence", strs(it->aims_evidence, it->naims_evidence),
			 "to_add", aims_json_str(it->to_add));
}

json_t *aims_gap_json(const aims_gap *gap)
{
	const aims_gap_summary *s = aims_gap_summary_get(gap);
	const aims_isms_info *isms = aims_gap_isms(gap);
	json_t *items = json_array(), *groups = json_array();

	for (size_t i = 0; items && i < aims_gap_count(gap); i++)
		if (json_array_append_new(items, item_json(aims_gap_at(gap, i))) < 0) {
			json_decref(items);
			items = NULL;
		}
	for (size_t i = 0; groups && i < aims_gap_group_count(gap); i++) {
		const aims_gap_group *g = aims_gap_group_at(gap, i);
		if (json_array_append_new(groups, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "group", g->group,
							    "title", g->title, "requirements",
							    (json_int_t)g->requirements, "covered", (json_int_t)g->covered,
							    "partial", (json_int_t)g->partial, "gap", (json_int_t)g->gap,
							    "excluded", (json_int_t)g->excluded)) < 0) {
			json_decref(groups);
			groups = NULL;
		}
	}
	if (!items || !groups) {
		json_decref(items);
		json_decref(groups);
		return NULL;
	}
	return json_pack("{s:{s:I, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:[f, f], s:o, s:o}, "
			 "s:o, s:o}",
			 "isms", "version", (json_int_t)isms->version, "source", isms->source, "imported_at",
			 isms->imported_at, "digest", isms->digest,
			 "summary", "requirements", (json_int_t)s->requirements, "covered", (json_int_t)s->covered,
			 "partial", (json_int_t)s->partial, "gap", (json_int_t)s->gap, "excluded", (json_int_t)s->excluded,
			 "reuse_ratio", s->reuse_ratio, "readiness", aims_gap_round(s->readiness), "readiness_range",
			 aims_gap_round(s->readiness_low), aims_gap_round(s->readiness_high), "clauses",
			 part_json(&s->clauses), "annex_a", part_json(&s->annex_a),
			 "groups", groups, "items", items);
}

json_t *aims_soa_entry_json(const aims_soa_entry *e)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "control", e->control, "title",
			 e->title, "group", e->group, "decided", e->decided, "applicable", e->applicable,
			 "justification", aims_json_str(e->justification),
			 "status", e->status == AIMS_STATUS_UNKNOWN ? json_null() : json_string(aims_impl_status_name(e->status)),
			 "owner", aims_json_str(e->owner), "updated_at", aims_json_str(e->updated_at),
			 "gap", e->gap_status < 0 ? json_null() : json_string(aims_gap_status_name((aims_gap_status)e->gap_status)),
			 "evidence", strs(e->evidence, e->nevidence), "risks", strs(e->risks, e->nrisks));
}

json_t *aims_soa_json(const aims_soa *soa)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < aims_soa_count(soa); i++)
		if (json_array_append_new(arr, aims_soa_entry_json(aims_soa_at(soa, i))) < 0) {
			json_decref(arr);
			return NULL;
		}
	if (!arr)
		return NULL;
	return json_pack("{s:s, s:o}", "framework", "iso42001-2023", "controls", arr);
}

/* ---- helpers ---- */

/* a wrong value the command line has always called a usage error (exit 2); HTTP 400 naming the field */
static int usage_field(const char *field, const char *value, const char *expected)
{
	aims__err_set(AIMS_EUSAGE, "%s '%s': expected %s", field, value, expected);
	aims__err_set_field(field);
	return AIMS_EUSAGE;
}

static int is_format(const json_t *req, const char *name)
{
	const char *fmt = aims_req_str(req, "format");
	return fmt && strcmp(fmt, name) == 0;
}

/* ---- gap analysis ---- */

static int op_gap_analysis(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int64_t version = aims_req_int(req, "isms_version", 0);
	aims_gap *gap = NULL;
	int err;
	if (aims_req_has(req, "isms_version") && version <= 0) {
		char v[32];
		snprintf(v, sizeof(v), "%lld", (long long)version);
		return usage_field("isms_version", v, "a positive number");
	}
	if ((err = aims_gap_compute(&gap, ctx->store, version)) < 0)
		return err;
	if (is_format(req, "html")) {
		err = aims_report_gap_html(&res->body, ctx->store, gap);
		res->content_type = "text/html; charset=utf-8";
	} else if (!(res->json = aims_gap_json(gap))) {
		err = aims__oom();
	}
	/* for CI: any applicable requirement left a gap is a finding (exit 1), with the document */
	if (err == 0 && aims_req_bool(req, "fail_on_gap") && aims_gap_summary_get(gap)->gap > 0)
		res->outcome = AIMS_EDENIED;
	aims_gap_free(gap);
	return err;
}

/* ---- Statement of Applicability ---- */

static int op_soa_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_soa *soa = NULL;
	int err;
	if ((err = aims_soa_read(&soa, ctx->store)) < 0)
		return err;
	if (is_format(req, "html")) {
		err = aims_report_soa_html(&res->body, ctx->store, soa);
		res->content_type = "text/html; charset=utf-8";
	} else if (is_format(req, "csv")) {
		err = aims_report_soa_csv(&res->body, soa);
		res->content_type = "text/csv; charset=utf-8";
	} else if (!(res->json = aims_soa_json(soa))) {
		err = aims__oom();
	}
	aims_soa_free(soa);
	return err;
}

static int control_doc(json_t **out, aims_store *store, const char *control)
{
	aims_soa *soa = NULL;
	int err;
	*out = NULL;
	if ((err = aims_soa_read(&soa, store)) < 0)
		return err;
	const aims_soa_entry *e = aims_soa_find(soa, control);
	if (!e)
		err = aims__err(AIMS_ENOTFOUND, "'%s' is not an ISO/IEC 42001 Annex A control (controls are written like "
				"'A.6.2.4')", control);
	else if (!(*out = aims_soa_entry_json(e)))
		err = aims__oom();
	aims_soa_free(soa);
	return err;
}

static int op_soa_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return control_doc(&res->json, ctx->store, aims_req_str(req, "control"));
}

static int op_soa_set(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_soa_update upd = AIMS_SOA_UPDATE_INIT;
	const char *control = aims_req_str(req, "control");
	const char *app = aims_req_str(req, "applicable"), *status = aims_req_str(req, "status");
	int err;

	if (app) {
		if (strcasecmp(app, "yes") == 0 || strcasecmp(app, "y") == 0 || strcasecmp(app, "true") == 0)
			upd.applicable = 1;
		else if (strcasecmp(app, "no") == 0 || strcasecmp(app, "n") == 0 || strcasecmp(app, "false") == 0)
			upd.applicable = 0;
		else
			return usage_field("applicable", app, "yes or no");
	}
	if (status) {
		upd.status = aims_impl_status_parse(status);
		if (upd.status < 0 || upd.status == AIMS_STATUS_UNKNOWN)
			return usage_field("status", status, "implemented, partial, planned or not-implemented");
	}
	upd.justification = aims_req_str(req, "justification");
	upd.owner = aims_req_str(req, "owner");
	if (!app && !status && !upd.justification && !upd.owner)
		return aims__err(AIMS_EUSAGE, "%s: nothing to set: give applicable, justification, status or owner",
				 control);
	if ((err = aims_soa_set(ctx->store, control, &upd)) < 0)
		return err;
	return control_doc(&res->json, ctx->store, control);
}

/* ---- the table ---- */

static const char *const html_format[] = { "html", NULL };
static const char *const soa_formats[] = { "html", "csv", NULL };

static const aims_op_field f_gap[] = {
	{ "isms_version", AIMS_FT_INT, 0, "N", "use this imported ISMS version instead of the latest", NULL },
	{ "fail_on_gap", AIMS_FT_BOOL, 0, NULL, "exit 1 (a finding) when any applicable requirement is a gap (for CI)",
	  NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_control[] = {
	{ "control", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "CONTROL", "an ISO/IEC 42001 Annex A control, "
	  "e.g. A.6.2.4", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_soa_set[] = {
	{ "control", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "CONTROL", "an ISO/IEC 42001 Annex A control, "
	  "e.g. A.6.2.4", NULL },
	{ "applicable", AIMS_FT_STRING, 0, "yes|no", "whether the control applies", NULL },
	{ "justification", AIMS_FT_TEXT, 0, "TEXT", "why the control is included or excluded", NULL },
	{ "status", AIMS_FT_STRING, 0, "STATUS", "implemented, partial, planned or not-implemented", NULL },
	{ "owner", AIMS_FT_STRING, 0, "NAME", "who owns the control", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_gap[] = {
	{ "gap.analysis", "gap", "GET", "/gap-analysis", "read", AIMS_OP_CACHEABLE, f_gap,
	  "ISO 27001 -> ISO 42001 gap analysis: readiness, what the ISMS covers, what to reuse, what to add", NULL,
	  NULL, html_format, op_gap_analysis },
	{ "soa.list", "soa", "GET", "/soa", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "the ISO 42001 Statement of Applicability: the 38 Annex A controls", "controls", NULL, soa_formats,
	  op_soa_list },
	{ "soa.set", "soa set", "PATCH", "/soa/{control}", "soa.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE, f_soa_set,
	  "record applicability, justification, status or owner of a 42001 Annex A control", NULL, "soa.show", NULL,
	  op_soa_set },
	{ "soa.show", "soa show", "GET", "/soa/{control}", "read", AIMS_OP_CACHEABLE, f_control,
	  "show one ISO 42001 Annex A control of the Statement of Applicability", NULL, NULL, NULL, op_soa_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
