/*
 * Operations on the AI risk register (aims risk; /api/v1/risks,
 * /risk-criteria, /risk-categories, /risk-library, /risk-heatmap,
 * /risk-report), and the JSON of a risk and of the criteria, built once here
 * for the command line and the API. Acceptance compares principals: the
 * acting principal must be the one named as the risk's owner (risk.c).
 */
#include <stdio.h>
#include <string.h>

#include "aims/op.h"
#include "aims/risk.h"
#include "core/core.h"
#include "op/op_internal.h"
#include "risk_internal.h"

/* ---- JSON ---- */

json_t *aims_risk_criteria_json(const aims_risk_criteria *c)
{
	return json_pack("{s:i, s:i, s:i, s:s, s:i, s:i, s:s, s:o, s:o}", "version", c->version, "likelihood_max",
			 c->likelihood_max, "impact_max", c->impact_max, "score", c->score_fn, "appetite", c->appetite,
			 "tolerance", c->tolerance, "digest", c->digest,
			 "created_at", c->version ? json_string(c->created_at) : json_null(),
			 "actor", c->version ? json_string(c->actor) : json_null());
}

static json_t *str_array(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* "score,model" -> ["score", "model"] */
static json_t *changed_array(const char *changed)
{
	json_t *a = json_array();
	for (const char *p = changed; a && p && *p;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		if (json_array_append_new(a, json_stringn(p, n)) < 0) {
			json_decref(a);
			return NULL;
		}
		p += n + (c ? 1 : 0);
	}
	return a;
}

static json_t *actions_json(const aims_risk *r, aims_store *store)
{
	json_t *acts = json_array();
	for (size_t i = 0; acts && i < r->nactions; i++) {
		char **l27 = NULL, **lact = NULL;
		size_t n27 = 0, nact = 0;
		if (aims_risk_control_links(&l27, &n27, &lact, &nact, store, r->actions[i].control) < 0) {
			json_decref(acts);
			return NULL;
		}
		json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "control", r->actions[i].control, "action",
				      r->actions[i].action, "iso27001", str_array(l27, n27), "eu_ai_act",
				      str_array(lact, nact));
		aims_risk_strings_free(l27, n27);
		aims_risk_strings_free(lact, nact);
		if (!o || json_array_append_new(acts, o) < 0) {
			json_decref(acts);
			aims__err_set(AIMS_ENOMEM, "out of memory");
			return NULL;
		}
	}
	if (!acts)
		aims__err_set(AIMS_ENOMEM, "out of memory");
	return acts;
}

json_t *aims_risk_json(const aims_risk *r, aims_store *store)
{
	const aims_risk_category *cat = aims_risk_category_find(r->category);
	json_t *acts = actions_json(r, store), *acc = json_null(), *o;
	if (!acts)
		return NULL;
	if (r->acceptance) {
		const aims_risk_acceptance *a = r->acceptance;
		acc = json_pack("{s:s, s:s, s:o, s:s, s:b, s:o, s:o}", "accepted_by", a->accepted_by, "accepted_at",
				a->accepted_at, "note", aims_json_str(a->note), "digest", a->digest, "valid", a->valid,
				"changed", changed_array(a->changed), "invalidated_at", aims_json_str(a->invalidated_at));
		if (!acc) {
			json_decref(acts);
			aims__err_set(AIMS_ENOMEM, "out of memory");
			return NULL;
		}
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:{s:i, s:i, s:i}, s:o, s:o, s:o, s:i, s:b, s:s, "
		      "s:o, s:s, s:o, s:o, s:s, s:s}",
		      "id", r->id, "system", r->system, "title", r->title, "category", r->category,
		      "category_title", cat ? cat->title : r->category, "description", aims_json_str(r->description),
		      "owner", r->owner, "inherent", "likelihood", r->likelihood, "impact", r->impact, "score", r->score,
		      "treatment", aims_json_str(r->treatment), "actions", acts,
		      "residual", r->res_likelihood ? json_pack("{s:i, s:i, s:i}", "likelihood", r->res_likelihood,
								"impact", r->res_impact, "score", r->res_score)
						    : json_null(),
		      "effective_score", r->effective_score, "above_tolerance", r->above_tolerance, "status", r->status,
		      "review_date", aims_json_str(r->review_date), "source", r->source, "model", aims_json_str(r->model),
		      "acceptance", acc, "created_at", r->created_at, "updated_at", r->updated_at);
	if (!o)
		aims__err_set(AIMS_ENOMEM, "out of memory");
	return o;
}

/* ---- reading a request ---- */

/* a likelihood or impact field: 0 when absent; out of 1..100 is refused naming the field (the scale check
 * against the criteria is the library's) */
static int level_field(int *out, const json_t *req, const char *name)
{
	*out = 0;
	if (!aims_req_has(req, name))
		return 0;
	int64_t v = aims_req_int(req, name, 0);
	if (v < 1 || v > 100) {
		aims__err_set(AIMS_EINVALID, "%s %lld: not on a scale of the risk criteria (1 to at most 10)", name,
			      (long long)v);
		aims__err_set_field(name);
		return AIMS_EINVALID;
	}
	*out = (int)v;
	return 0;
}

/* an integer field of the criteria, kept small enough for the library's range checks to name it */
static int crit_field(int *v, const json_t *req, const char *name)
{
	if (!aims_req_has(req, name))
		return 0;
	int64_t x = aims_req_int(req, name, 0);
	if (x < -1000000 || x > 1000000) {
		aims__err_set(AIMS_EINVALID, "%s %lld: out of range", name, (long long)x);
		aims__err_set_field(name);
		return AIMS_EINVALID;
	}
	*v = (int)x;
	return 0;
}

/* a JSON builder returned NULL: the error it set (a crosswalk read), else out of memory */
static int json_failed(void)
{
	int code = aims_error_last_code();
	return code < 0 ? code : aims__oom();
}

static int risk_doc(json_t **out, aims_store *store, const char *id)
{
	aims_risk *r = NULL;
	int err = aims_risk_get(&r, store, id);
	*out = NULL;
	if (err < 0)
		return err;
	*out = aims_risk_json(r, store);
	aims_risk_free(r);
	return *out ? 0 : json_failed();
}

static int set_message(aims_op_result *res, const char *msg)
{
	return (res->message = aims__strdup(msg)) ? 0 : aims__oom();
}

/* ---- criteria ---- */

static int criteria_doc(json_t **out, aims_store *store, int history)
{
	aims_risk_criteria c, *v = NULL;
	size_t n = 0;
	json_t *a = NULL;
	int err;
	*out = NULL;
	if ((err = aims_risk_criteria_get(&c, store)) < 0)
		return err;
	if (!history)
		return (*out = aims_risk_criteria_json(&c)) ? 0 : aims__oom();
	if ((err = aims_risk_criteria_versions(&v, &n, store)) < 0)
		return err;
	if (!(a = json_array()))
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(a, aims_risk_criteria_json(&v[i])) < 0)
			goto oom;
	aims_risk_criteria_versions_free(v);
	if (!(*out = json_pack("{s:o, s:o}", "current", aims_risk_criteria_json(&c), "versions", a)))
		return aims__oom();
	return 0;
oom:
	json_decref(a);
	aims_risk_criteria_versions_free(v);
	return aims__oom();
}

static int op_risk_criteria(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return criteria_doc(&res->json, ctx->store, aims_req_bool(req, "history"));
}

static int op_risk_set_criteria(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_risk_criteria c;
	const char *fn = aims_req_str(req, "score");
	int err;
	if (!aims_req_has(req, "likelihood_max") && !aims_req_has(req, "impact_max") && !fn &&
	    !aims_req_has(req, "appetite") && !aims_req_has(req, "tolerance"))
		return aims__err(AIMS_EINVALID, "risk criteria: nothing to change (give likelihood_max, impact_max, "
				 "score, appetite or tolerance)");
	if ((err = aims_risk_criteria_get(&c, ctx->store)) < 0 ||
	    (err = crit_field(&c.likelihood_max, req, "likelihood_max")) < 0 ||
	    (err = crit_field(&c.impact_max, req, "impact_max")) < 0 ||
	    (err = crit_field(&c.appetite, req, "appetite")) < 0 || (err = crit_field(&c.tolerance, req, "tolerance")) < 0)
		return err;
	if (fn)
		snprintf(c.score_fn, sizeof(c.score_fn), "%s", fn);
	if ((err = aims_risk_criteria_set(NULL, ctx->store, &c, aims_req_str(req, "note"))) < 0)
		return err;
	return criteria_doc(&res->json, ctx->store, aims_req_bool(req, "history"));
}

/* ---- taxonomy and library ---- */

static int op_risk_categories(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	json_t *a = json_array();
	(void)ctx;
	(void)req;
	for (size_t i = 0; a && i < aims_risk_category_count(); i++) {
		const aims_risk_category *c = aims_risk_category_at(i);
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "id", c->id, "title", c->title, "source",
						       c->source)) < 0) {
			json_decref(a);
			return aims__oom();
		}
	}
	return a && (res->json = json_pack("{s:o}", "categories", a)) ? 0 : aims__oom();
}

static int op_risk_library_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	json_t *a = json_array();
	(void)ctx;
	(void)req;
	for (size_t i = 0; a && i < aims_risk_library_count(); i++) {
		const aims_risk_template *t = aims_risk_library_at(i);
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "key", t->key, "category",
						       t->category, "title", t->title, "description", t->description,
						       "likelihood", t->likelihood, "impact", t->impact, "control",
						       t->control)) < 0) {
			json_decref(a);
			return aims__oom();
		}
	}
	return a && (res->json = json_pack("{s:o}", "library", a)) ? 0 : aims__oom();
}

static int op_risk_library_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system");
	size_t added = 0;
	int err;
	if ((err = aims_risk_library_add(&added, ctx->store, system, aims_req_str(req, "category"),
					 aims_req_str(req, "owner"))) < 0)
		return err;
	return (res->json = json_pack("{s:s, s:i}", "system", system, "added", (int)added)) ? 0 : aims__oom();
}

/* ---- the register ---- */

static int op_risk_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_risk_new_opts o = AIMS_RISK_NEW_INIT;
	char *id = NULL;
	int err;
	o.system = aims_req_str(req, "system");
	o.title = aims_req_str(req, "title");
	o.category = aims_req_str(req, "category");
	o.owner = aims_req_str(req, "owner");
	o.description = aims_req_str(req, "description");
	o.review_date = aims_req_str(req, "review");
	if ((err = level_field(&o.likelihood, req, "likelihood")) < 0 || (err = level_field(&o.impact, req, "impact")) < 0 ||
	    (err = aims_risk_add(&id, ctx->store, &o)) < 0)
		return err;
	err = risk_doc(&res->json, ctx->store, id);
	aims__free(id);
	return err;
}

static int op_risk_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return risk_doc(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_risk_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_risks *l = NULL;
	aims_risk_criteria c;
	json_t *a = NULL;
	int err;
	if ((err = aims_risk_criteria_get(&c, ctx->store)) < 0 ||
	    (err = aims_risk_list(&l, ctx->store, aims_req_str(req, "system"))) < 0)
		return err;
	if (!(a = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < l->count; i++) {
		json_t *o = aims_risk_json(l->items[i], ctx->store);
		if (!o) {
			err = json_failed();
			goto done;
		}
		if (json_array_append_new(a, o) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (!(res->json = json_pack("{s:o, s:o}", "criteria", aims_risk_criteria_json(&c), "risks", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	json_decref(a);
	aims_risks_free(l);
	return err;
}

static int op_risk_set(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_risk_set_opts o = AIMS_RISK_SET_INIT;
	const char *id = aims_req_str(req, "id");
	int err, changed = 0;
	o.title = aims_req_str(req, "title");
	o.description = aims_req_str(req, "description");
	o.category = aims_req_str(req, "category");
	o.owner = aims_req_str(req, "owner");
	o.review_date = aims_req_str(req, "review");
	if ((err = aims_risk_set(&changed, ctx->store, id, &o)) < 0)
		return err;
	if (!changed) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s: unchanged", id);
		if ((err = set_message(res, msg)) < 0)
			return err;
	}
	return risk_doc(&res->json, ctx->store, id);
}

/* "A.7.4: check data quality" -> control "A.7.4", action "check data quality" */
static int op_risk_treat(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_risk_treat_opts o = AIMS_RISK_TREAT_INIT;
	const char **raw = NULL, **controls = NULL, **actions = NULL;
	char **copies = NULL;
	size_t n = 0;
	int err;
	o.option = aims_req_str(req, "option");
	if ((err = level_field(&o.res_likelihood, req, "residual_likelihood")) < 0 ||
	    (err = level_field(&o.res_impact, req, "residual_impact")) < 0 || (err = aims_req_list(&raw, &n, req, "action")) < 0)
		return err;
	if (n && (!(controls = aims__calloc(n, sizeof(*controls))) || !(actions = aims__calloc(n, sizeof(*actions))) ||
		  !(copies = aims__calloc(n, sizeof(*copies))))) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(raw[i], ':');
		if (!colon || colon == raw[i]) {
			char field[32];
			snprintf(field, sizeof(field), "action[%zu]", i);
			aims__err_set(AIMS_EINVALID, "action '%s': expected 'CONTROL: TEXT', e.g. 'A.7.4: check data quality'",
				      raw[i]);
			aims__err_set_field(field);
			err = AIMS_EINVALID;
			goto done;
		}
		if (!(copies[i] = aims__strndup(raw[i], (size_t)(colon - raw[i])))) {
			err = aims__oom();
			goto done;
		}
		const char *text = colon + 1;
		while (*text == ' ')
			text++;
		controls[i] = copies[i];
		actions[i] = text;
	}
	o.controls = controls;
	o.actions = actions;
	o.nactions = n;
	if ((err = aims_risk_treat(ctx->store, aims_req_str(req, "id"), &o)) < 0)
		goto done;
	err = risk_doc(&res->json, ctx->store, aims_req_str(req, "id"));
done:
	for (size_t i = 0; copies && i < n; i++)
		aims__free(copies[i]);
	aims__free(copies);
	aims__free(controls);
	aims__free(actions);
	aims__free(raw);
	return err;
}

static int op_risk_accept(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err;
	/* the acting principal accepts: risk.c refuses anyone but the risk's owner */
	if ((err = aims_risk_accept(ctx->store, aims_req_str(req, "id"), aims_req_str(req, "note"))) < 0)
		return err;
	return risk_doc(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_risk_review(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_risk_review_opts o = AIMS_RISK_REVIEW_INIT;
	int err;
	o.next_review = aims_req_str(req, "next");
	o.note = aims_req_str(req, "note");
	if ((err = level_field(&o.likelihood, req, "likelihood")) < 0 || (err = level_field(&o.impact, req, "impact")) < 0 ||
	    (err = level_field(&o.res_likelihood, req, "residual_likelihood")) < 0 ||
	    (err = level_field(&o.res_impact, req, "residual_impact")) < 0 ||
	    (err = aims_risk_review(ctx->store, aims_req_str(req, "id"), &o)) < 0)
		return err;
	return risk_doc(&res->json, ctx->store, aims_req_str(req, "id"));
}

/* ---- heat map and report ---- */

static const char *zone(const aims_risk_criteria *c, int score)
{
	return score <= c->appetite ? "within-appetite" : score <= c->tolerance ? "tolerable" : "above-tolerance";
}

/* the heat map as data: one cell per likelihood x impact pair with its score, zone and count */
static json_t *heatmap_json(const aims_risks *l, const aims_risk_criteria *c, const char *system, int residual)
{
	json_t *cells = json_array();
	for (int li = c->likelihood_max; cells && li >= 1; li--)
		for (int im = 1; im <= c->impact_max; im++) {
			int n = 0;
			for (size_t i = 0; i < l->count; i++) {
				const aims_risk *r = l->items[i];
				int rl = residual && r->res_likelihood ? r->res_likelihood : r->likelihood;
				int ri = residual && r->res_likelihood ? r->res_impact : r->impact;
				n += rl == li && ri == im;
			}
			int s = aims_risk_score(c, li, im);
			if (json_array_append_new(cells, json_pack("{s:i, s:i, s:i, s:s, s:i}", "likelihood", li, "impact",
								   im, "score", s, "zone", zone(c, s), "count", n)) < 0) {
				json_decref(cells);
				return NULL;
			}
		}
	if (!cells)
		return NULL;
	return json_pack("{s:o, s:b, s:o, s:i, s:o}", "system", aims_json_str(system), "residual", residual,
			 "criteria", aims_risk_criteria_json(c), "risks", (int)l->count, "cells", cells);
}

static int op_risk_heatmap(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system"), *fmt = aims_req_str(req, "format");
	int residual = aims_req_bool(req, "residual");
	aims_risks *l = NULL;
	aims_risk_criteria c;
	int err;
	if ((err = aims_risk_criteria_get(&c, ctx->store)) < 0 || (err = aims_risk_list(&l, ctx->store, system)) < 0)
		return err;
	if (fmt && strcmp(fmt, "svg") == 0) {
		if ((err = aims_risk_heatmap_svg(&res->body, l, &c, residual)) == 0) {
			char msg[64];
			snprintf(msg, sizeof(msg), "%zu risks", l->count);
			res->content_type = "image/svg+xml";
			err = set_message(res, msg);
		}
	} else if (!(res->json = heatmap_json(l, &c, system, residual))) {
		err = aims__oom();
	}
	aims_risks_free(l);
	return err;
}

static int op_risk_report(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system"), *fmt = aims_req_str(req, "format");
	aims_risks *l = NULL;
	aims_risk_criteria c;
	size_t treated = 0, above = 0, awaiting = 0, accepted = 0;
	int err;
	if (fmt && strcmp(fmt, "html") == 0) {
		if ((err = aims_risk_report_html(&res->body, ctx->store, system)) < 0)
			return err;
		res->content_type = "text/html; charset=utf-8";
		return 0;
	}
	/* the report's key figures */
	if ((system && (err = aims__risk_system_check(ctx->store, system)) < 0) ||
	    (err = aims_risk_criteria_get(&c, ctx->store)) < 0 || (err = aims_risk_list(&l, ctx->store, system)) < 0)
		return err;
	for (size_t i = 0; i < l->count; i++) {
		const aims_risk *r = l->items[i];
		treated += r->treatment != NULL;
		above += (size_t)r->above_tolerance;
		awaiting += strcmp(r->status, "awaiting acceptance") == 0;
		accepted += strcmp(r->status, "accepted") == 0;
	}
	res->json = json_pack("{s:o, s:o, s:i, s:i, s:i, s:i, s:i}", "system", aims_json_str(system), "criteria",
			      aims_risk_criteria_json(&c), "risks", (int)l->count, "treated", (int)treated,
			      "above_tolerance", (int)above, "awaiting_acceptance", (int)awaiting, "accepted",
			      (int)accepted);
	aims_risks_free(l);
	return res->json ? 0 : aims__oom();
}

/* ---- the table ---- */

static const char *const score_fns[] = { "product", "sum", "max", NULL };
static const char *const svg_format[] = { "svg", NULL };
static const char *const html_format[] = { "html", NULL };

static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };
static const aims_op_field f_criteria[] = {
	{ "history", AIMS_FT_BOOL, 0, NULL, "list every stored version", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_set_criteria[] = {
	{ "likelihood_max", AIMS_FT_INT, 0, "N", "likelihood scale 1..N (2-10)", NULL },
	{ "impact_max", AIMS_FT_INT, 0, "N", "impact scale 1..N (2-10)", NULL },
	{ "score", AIMS_FT_STRING, 0, "FN", "score function: product (default), sum or max", score_fns },
	{ "appetite", AIMS_FT_INT, 0, "N", "scores up to N are accepted as a matter of course", NULL },
	{ "tolerance", AIMS_FT_INT, 0, "N", "scores above N need the risk owner's explicit acceptance", NULL },
	{ "note", AIMS_FT_STRING, 0, "TEXT", "why the criteria changed (one line)", NULL },
	{ "history", AIMS_FT_BOOL, 0, NULL, "answer with every stored version", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_add[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "SYSTEM", "the AI system (in the inventory)", NULL },
	{ "title", AIMS_FT_STRING, AIMS_FF_REQUIRED, "TEXT", "a one-line title", NULL },
	{ "category", AIMS_FT_STRING, AIMS_FF_REQUIRED, "ID", "a category of the taxonomy, see 'aims risk categories'",
	  NULL },
	{ "owner", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PRINCIPAL",
	  "the risk owner, who alone can accept it: an account of the store or os:LOGIN", NULL },
	{ "likelihood", AIMS_FT_INT, AIMS_FF_REQUIRED, "N", "inherent likelihood on the criteria's scale", NULL },
	{ "impact", AIMS_FT_INT, AIMS_FF_REQUIRED, "N", "inherent impact on the criteria's scale", NULL },
	{ "description", AIMS_FT_TEXT, 0, "TEXT", "what could happen and to whom", NULL },
	{ "review", AIMS_FT_DATE, 0, "YYYY-MM-DD", "next review date", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_id[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the risk (RISK-NNN)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_list[] = {
	{ "system", AIMS_FT_STRING, 0, "NAME", "only the risks of this AI system", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_set[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the risk (RISK-NNN)", NULL },
	{ "title", AIMS_FT_STRING, 0, "TEXT", "a new one-line title", NULL },
	{ "description", AIMS_FT_TEXT, 0, "TEXT", "a new description (empty: none)", NULL },
	{ "category", AIMS_FT_STRING, 0, "ID", "a new category of the taxonomy", NULL },
	{ "owner", AIMS_FT_STRING, 0, "PRINCIPAL", "a new risk owner: an account of the store or os:LOGIN", NULL },
	{ "review", AIMS_FT_DATE, 0, "YYYY-MM-DD", "a new next review date", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_treat[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the risk (RISK-NNN)", NULL },
	{ "option", AIMS_FT_STRING, AIMS_FF_REQUIRED, "OPTION", "modify, avoid, share or retain", aims_risk_treatments },
	{ "action", AIMS_FT_LIST, 0, "CONTROL: TEXT", "an action under an ISO/IEC 42001 Annex A control, e.g. "
	  "'A.7.4: check data quality' (repeatable; replaces earlier actions)", NULL },
	{ "residual_likelihood", AIMS_FT_INT, 0, "N", "residual likelihood after treatment", NULL },
	{ "residual_impact", AIMS_FT_INT, 0, "N", "residual impact after treatment", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_accept[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the risk (RISK-NNN)", NULL },
	{ "note", AIMS_FT_STRING, 0, "TEXT", "the reason for accepting (one line)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_review[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the risk (RISK-NNN)", NULL },
	{ "likelihood", AIMS_FT_INT, 0, "N", "new inherent likelihood", NULL },
	{ "impact", AIMS_FT_INT, 0, "N", "new inherent impact", NULL },
	{ "residual_likelihood", AIMS_FT_INT, 0, "N", "new residual likelihood", NULL },
	{ "residual_impact", AIMS_FT_INT, 0, "N", "new residual impact", NULL },
	{ "next", AIMS_FT_DATE, 0, "YYYY-MM-DD", "next review date", NULL },
	{ "note", AIMS_FT_STRING, 0, "TEXT", "what the review found (one line)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_library_add[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system (in the inventory)", NULL },
	{ "owner", AIMS_FT_STRING, AIMS_FF_REQUIRED, "PRINCIPAL",
	  "owner of the added risks: an account of the store or os:LOGIN", NULL },
	{ "category", AIMS_FT_STRING, 0, "ID", "only the library's risks of this category", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_heatmap[] = {
	{ "system", AIMS_FT_STRING, 0, "NAME", "only the risks of this AI system", NULL },
	{ "residual", AIMS_FT_BOOL, 0, NULL, "place risks at their residual estimate", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_risk[] = {
	{ "risk.accept", "risk accept", "POST", "/risks/{id}/accept", "risk.accept", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_accept, "the risk owner accepts a risk as it is now", NULL, "risk.show", NULL, op_risk_accept },
	{ "risk.add", "risk add", "POST", "/risks", "risk.manage", AIMS_OP_WRITE | AIMS_OP_CREATED, f_add,
	  "add a risk to the register of an AI system", NULL, NULL, NULL, op_risk_add },
	{ "risk.categories", "risk categories", "GET", "/risk-categories", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none,
	  "list the AI risk taxonomy", "categories", NULL, NULL, op_risk_categories },
	{ "risk.criteria", "risk criteria", "GET", "/risk-criteria", "read", AIMS_OP_CACHEABLE, f_criteria,
	  "show or change the AI risk criteria (scales, score, appetite, tolerance)", NULL, NULL, NULL,
	  op_risk_criteria },
	{ "risk.heatmap", "risk heatmap", "GET", "/risk-heatmap", "read", 0, f_heatmap,
	  "a risk heat map (likelihood x impact, counts per cell), as SVG or data", NULL, NULL, svg_format,
	  op_risk_heatmap },
	{ "risk.library_add", "risk library add", "POST", "/systems/{system}/risk-library", "risk.manage", AIMS_OP_WRITE,
	  f_library_add, "add the starter library of typical AI risks to a system", NULL, NULL, NULL,
	  op_risk_library_add },
	{ "risk.library_list", "risk library list", "GET", "/risk-library", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE,
	  f_none,
	  "list the starter library of typical AI risks", "library", NULL, NULL, op_risk_library_list },
	{ "risk.list", "risk list", "GET", "/risks", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_list,
	  "list the AI risk register", "risks",
	  NULL, NULL, op_risk_list },
	{ "risk.report", "risk report", "GET", "/risk-report", "read", 0, f_list,
	  "the AI risk report: one self-contained HTML page, or its key figures", NULL, NULL, html_format,
	  op_risk_report },
	{ "risk.review", "risk review", "POST", "/risks/{id}/reviews", "risk.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_review, "record a review of a risk, optionally re-scoring it", NULL, "risk.show", NULL, op_risk_review },
	{ "risk.set", "risk set", "PATCH", "/risks/{id}", "risk.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE, f_set,
	  "change the title, description, category, owner or review date of a risk", NULL, "risk.show", NULL,
	  op_risk_set },
	{ "risk.set_criteria", NULL, "PATCH", "/risk-criteria", "risk.criteria", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_set_criteria, "record the next version of the AI risk criteria and rescore every risk", NULL,
	  "risk.criteria", NULL, op_risk_set_criteria },
	{ "risk.show", "risk show", "GET", "/risks/{id}", "read", AIMS_OP_CACHEABLE, f_id, "show one risk with its treatment and acceptance",
	  NULL, NULL, NULL, op_risk_show },
	{ "risk.treat", "risk treat", "PUT", "/risks/{id}/treatment", "risk.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_treat, "record the treatment of a risk: option, actions under 42001 controls, residual estimate", NULL,
	  "risk.show", NULL, op_risk_treat },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
