/*
 * The risk register with its inherent and residual heat maps; one risk with
 * its treatment form and, for the owner's account only, its acceptance.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

const col aims__web_risk_cols[] = {
	{ "id", "Risk", "/risks/", NULL, NULL }, { "system", "System", "/systems/", NULL, NULL }, { "title", "Title", NULL, NULL, NULL },
	{ "owner", "Owner", NULL, NULL, NULL }, { "inherent.score", "Inherent", NULL, NULL, NULL },
	{ "residual.score", "Residual", NULL, NULL, NULL }, { "treatment", "Treatment", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL }
};

static json_t *heat(W *w, int residual, int *err)
{
	json_t *h = NULL;
	json_t *req = residual ? json_pack("{s:b}", "residual", 1) : json_object();
	if ((*err = aims__web_call(&h, NULL, w, "risk.heatmap", req)) < 0)
		return NULL;
	/* rows of equal likelihood, highest first, as the library lists the cells */
	json_t *rows = json_array(), *cell, *cur = NULL;
	json_int_t lk = -1;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(h, "cells")) && (cell = json_array_get(json_object_get(h, "cells"), i)) != NULL; i++) {
		json_int_t l = json_integer_value(json_object_get(cell, "likelihood"));
		if (!cur || l != lk) {
			cur = json_array();
			json_array_append_new(rows, json_pack("{s:I, s:o}", "likelihood", l, "cells", cur));
			lk = l;
		}
		json_array_append(cur, cell);
	}
	json_t *impacts = json_array();
	json_t *first = json_object_get(json_array_get(rows, 0), "cells");
	for (i = 0; i < json_array_size(first) && (cell = json_array_get(first, i)) != NULL; i++)
		json_array_append(impacts, json_object_get(cell, "impact"));
	json_t *out = json_pack("{s:o, s:o, s:O, s:s}", "rows", rows, "impacts", impacts, "risks",
				json_object_get(h, "risks"), "caption", residual ? "Residual risk" : "Inherent risk");
	json_decref(h);
	return out;
}

int aims__web_pg_risks(W *w)
{
	int err = 0;
	json_t *inh = heat(w, 0, &err);
	if (!inh)
		return err < 0 ? aims__web_fail(w, err) : aims__oom();
	json_t *res = heat(w, 1, &err);
	if (!res) {
		json_decref(inh);
		return err < 0 ? aims__web_fail(w, err) : aims__oom();
	}
	return aims__web_list_page(w, "Risk register", "risk.list", NULL, "risks", aims__web_risk_cols, "/api/v1/risks", "risks.csv",
			 json_pack("{s:o, s:o}", "inherent", inh, "residual", res));
}

/* the treatment form: option, actions (one "CONTROL: TEXT" a line), residual estimate */
static int risk_treat(W *w, const char *id)
{
	json_t *req = json_pack("{s:s, s:s}", "id", id, "option", aims__web_fstr(w, "option")), *acts = json_array();
	const char *p = aims__web_fstr(w, "actions");
	int err;
	if (!req || !acts) {
		json_decref(req);
		json_decref(acts);
		return aims__oom();
	}
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t b = 0;
		while (b < n && (p[b] == ' ' || p[b] == '\t'))
			b++;
		if (n > b)
			json_array_append_new(acts, json_stringn(p + b, n - b));
		p += n + (p[n] == '\n');
	}
	json_object_set_new(req, "action", acts);
	static const char *const nums[] = { "residual_likelihood", "residual_impact", NULL };
	for (const char *const *k = nums; *k; k++) {
		const char *v = aims__web_fstr(w, *k);
		char *end = NULL;
		if (!*v)
			continue;
		long x = strtol(v, &end, 10);
		if (*end) {
			json_decref(req);
			aims__err_set(AIMS_EINVALID, "%s: '%.32s' is not a number", *k, v);
			aims__err_set_field(*k);
			return aims__web_fail(w, AIMS_EINVALID);
		}
		json_object_set_new(req, *k, json_integer(x));
	}
	w->if_match = aims__web_fstr(w, "etag");
	if ((err = aims__web_call(NULL, NULL, w, "risk.treat", req)) < 0)
		return aims__web_fail(w, err);
	return aims__web_redirect_to(w, "/risks/", id, NULL);
}

int aims__web_pg_risk(W *w, const char *id, const char *action)
{
	json_t *r = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(action, "treat") == 0)
			return risk_treat(w, id);
		if (strcmp(action, "accept") != 0) {
			return aims__web_no_action(w);
		}
		json_t *req = json_pack("{s:s}", "id", id);
		if (*aims__web_fstr(w, "note"))
			json_object_set_new(req, "note", json_string(aims__web_fstr(w, "note")));
		if ((err = aims__web_call(NULL, NULL, w, "risk.accept", req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/risks/", id, NULL);
	}
	if (*action) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	if ((err = aims__web_call(&r, NULL, w, "risk.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	const char *owner = json_string_value(json_object_get(r, "owner"));
	const json_t *acc = json_object_get(r, "acceptance");
	int accepted = json_is_object(acc) && json_is_true(json_object_get(acc, "valid"));
	/* acceptance is offered only to the owner's account (the operation refuses anyone else too) */
	int offer = !accepted && owner && w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT &&
		    strcmp(owner, w->rq->principal->name) == 0 && aims__web_can(w, "risk.accept");
	aims_buf acts = AIMS_BUF_INIT;
	json_t *a;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(r, "actions")) && (a = json_array_get(json_object_get(r, "actions"), i)) != NULL; i++)
		aims_buf_printf(&acts, "%s: %s\n", json_string_value(json_object_get(a, "control")),
				json_string_value(json_object_get(a, "action")));
	json_t *options = aims__web_choices("risk.treat", "option");
	json_t *opt;
	for (i = 0; i < json_array_size(options) && (opt = json_array_get(options, i)) != NULL; i++)
		json_object_set_new(opt, "selected", json_boolean(aims__web_str_is(r, "treatment", json_string_value(json_object_get(opt, "value")))));
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:b, s:b, s:o, s:s#, s:s, s:o, s:O?, s:O?}", "r", r, "api",
				aims__web_url("/api/v1/risks/", id, NULL), "accept_href", aims__web_url("/risks/", id, "/accept"),
				"can_accept", offer, "can_treat", aims__web_can(w, "risk.manage"), "treat_href",
				aims__web_url("/risks/", id, "/treat"), "actions_text", acts.ptr, acts.len, "etag", w->etag, "options",
				options, "res_l", json_object_get(json_object_get(r, "residual"), "likelihood"), "res_i",
				json_object_get(json_object_get(r, "residual"), "impact"));
	aims_buf_release(&acts);
	return aims__web_page(w, 200, "risk.html", id, ctx);
}
