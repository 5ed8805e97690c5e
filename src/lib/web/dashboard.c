/*
 * The dashboard: ISO/IEC 42001 readiness and coverage by clause and by Annex
 * A group, what awaits someone (documents due, risks above tolerance,
 * assessments due, open EU AI Act obligations), and per AI system its latest
 * fairness, performance and drift results and its decision log's latest
 * signed checkpoint (with the governance log's: what `aims ledger verify`
 * checks the logs against; each links to its verification).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/ledger.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static json_t *coverage(const json_t *g)
{
	json_int_t req = json_integer_value(json_object_get(g, "requirements"));
	json_int_t cov = json_integer_value(json_object_get(g, "covered"));
	json_int_t part = json_integer_value(json_object_get(g, "partial"));
	json_int_t gap = json_integer_value(json_object_get(g, "gap"));
	json_int_t exc = json_integer_value(json_object_get(g, "excluded"));
	json_int_t base = req - exc;
	int pct = base > 0 ? (int)((100 * cov + 50 * part + base / 2) / base) : 100;
	json_t *o = json_deep_copy(g);
	if (o) {
		json_object_set_new(o, "percent", json_integer(pct));
		json_object_set_new(o, "bar", json_integer((pct + 5) / 10 * 10));
		json_object_set_new(o, "has_gap", json_boolean(gap > 0));
	}
	return o;
}

/*
 * One log's latest signed checkpoint from the ledger.export document: its
 * signed size, the root hash (the note's third line) and where it is
 * verified. `log` is "governance" or "decision/SYSTEM".
 */
static json_t *checkpoint(const json_t *exp, const char *log, const char *verify_href)
{
	const json_t *e;
	size_t i;
	json_array_foreach(json_object_get(exp, "logs"), i, e) {
		if (!aims__web_str_is(e, "log", log))
			continue;
		const char *note = json_string_value(json_object_get(e, "checkpoint"));
		const char *root = note ? strchr(note, '\n') : NULL;
		root = root ? strchr(root + 1, '\n') : NULL;
		size_t n = root ? strcspn(root + 1, "\n") : 0;
		return json_pack("{s:s, s:O, s:O, s:s#, s:s}", "log", log, "origin", json_object_get(e, "origin"), "size",
				 json_object_get(e, "size"), "root", root ? root + 1 : "", n, "verify_href", verify_href);
	}
	return NULL;
}

int aims__web_pg_dashboard(W *w)
{
	json_t *gap = NULL, *due = NULL, *risks = NULL, *assess = NULL, *systems = NULL, *evals = NULL, *cps = NULL;
	json_t *ctx = json_object(), *clauses = json_array(), *annex = json_array(), *sys = json_array();
	json_t *await = json_array(), *adue = json_array(), *obl = json_array();
	int err;
	if (!ctx || !clauses || !annex || !sys || !await || !adue || !obl) {
		err = aims__oom();
		goto out;
	}
	/* a store without an imported ISMS has no gap analysis yet: the dashboard says so */
	if ((err = aims__web_call(&gap, NULL, w, "gap.analysis", NULL)) == AIMS_ENOTFOUND) {
		json_object_set_new(ctx, "no_gap", json_string(aims_error_last()));
		aims_error_clear();
		err = 0;
	}
	if (err < 0 || (err = aims__web_call(&due, NULL, w, "doc.due", NULL)) < 0 ||
	    (err = aims__web_call(&risks, NULL, w, "risk.list", NULL)) < 0 ||
	    (err = aims__web_call(&assess, NULL, w, "assess.list", NULL)) < 0 ||
	    (err = aims__web_call(&systems, NULL, w, "system.list", NULL)) < 0 ||
	    (err = aims__web_call(&evals, NULL, w, "eval.list", NULL)) < 0) {
		err = aims__web_fail(w, err);
		goto out;
	}
	/* the latest signed checkpoint of every log (none before 'aims ledger setup' signed one) */
	if ((err = aims__web_call(&cps, NULL, w, "ledger.export", NULL)) == AIMS_ENOTFOUND) {
		json_object_set_new(ctx, "no_checkpoint", json_string(aims_error_last()));
		aims_error_clear();
	} else if (err < 0) {
		err = aims__web_fail(w, err);
		goto out;
	} else {
		json_object_set_new(ctx, "governance_checkpoint", checkpoint(cps, AIMS_LEDGER_GOVERNANCE, "/ledger/verification"));
	}
	json_t *g;
	size_t i;
	for (i = 0; i < json_array_size(json_object_get(gap, "groups")) && (g = json_array_get(json_object_get(gap, "groups"), i)) != NULL; i++) {
		const char *id = json_string_value(json_object_get(g, "group"));
		json_array_append_new(id && id[0] == 'A' ? annex : clauses, coverage(g));
	}
	for (i = 0; i < json_array_size(json_object_get(risks, "risks")) && (g = json_array_get(json_object_get(risks, "risks"), i)) != NULL; i++) {
		const char *st = json_string_value(json_object_get(g, "status"));
		if (json_is_true(json_object_get(g, "above_tolerance")) && !(st && (strcmp(st, "accepted") == 0 ||
										    strcmp(st, "closed") == 0)))
			json_array_append(await, g);
	}
	for (i = 0; i < json_array_size(json_object_get(assess, "systems")) && (g = json_array_get(json_object_get(assess, "systems"), i)) != NULL; i++)
		if (json_is_true(json_object_get(g, "due")))
			json_array_append(adue, g);
	for (i = 0; i < json_array_size(json_object_get(systems, "systems")) && (g = json_array_get(json_object_get(systems, "systems"), i)) != NULL; i++) {
		const char *name = json_string_value(json_object_get(g, "name"));
		json_t *s = json_pack("{s:s, s:o, s:o, s:o}", "name", name, "href", aims__web_url("/systems/", name, NULL),
				      "latest", json_array(), "aiact_href", aims__web_url("/aiact/", name, NULL));
		if (!s)
			continue;
		/* the latest evaluation of each kind (the list is in recording order) */
		const char *kinds[] = { "fairness", "performance", "drift" };
		for (int k = 0; k < 3; k++) {
			json_t *e, *last = NULL;
			size_t j;
			for (j = 0; j < json_array_size(json_object_get(evals, "evaluations")) && (e = json_array_get(json_object_get(evals, "evaluations"), j)) != NULL; j++)
				if (json_equal(json_object_get(e, "system"), json_object_get(g, "name")) &&
				    aims__web_str_is(e, "kind", kinds[k]))
					last = e;
			json_array_append_new(json_object_get(s, "latest"),
					      last ? json_pack("{s:s, s:O, s:O, s:O}", "kind", kinds[k], "id",
							       json_object_get(last, "id"), "recorded_at",
							       json_object_get(last, "recorded_at"), "summary",
							       json_object_get(last, "summary")) :
						     json_pack("{s:s, s:b}", "kind", kinds[k], "none", 1));
		}
		/* open obligations of the EU AI Act classification */
		json_t *ob = NULL;
		if (aims__web_call(&ob, NULL, w, "aiact.obligations", aims__web_req1("system", name)) == 0) {
			json_t *o;
			size_t j;
			int open = 0;
			for (j = 0; j < json_array_size(json_object_get(ob, "obligations")) && (o = json_array_get(json_object_get(ob, "obligations"), j)) != NULL; j++)
				if (json_is_true(json_object_get(o, "applies")) && aims__web_str_is(o, "status", "open"))
					open++;
			json_object_set_new(s, "obligations_open", json_integer(open));
			json_object_set_new(s, "tier", json_copy(json_object_get(ob, "tier")));
			if (open)
				json_array_append_new(obl, json_pack("{s:s, s:i, s:o}", "system", name, "open", open, "href",
								     aims__web_url("/aiact/", name, NULL)));
		} else {
			aims_error_clear();
			json_object_set_new(s, "unclassified", json_true());
		}
		json_decref(ob);
		/* its decision log's latest signed checkpoint, verified on the log's verification page */
		if (cps) {
			aims_buf lb = AIMS_BUF_INIT;
			json_t *vh = aims__web_url("/decisions/", name, "/verification");
			json_t *cp = NULL;
			if (aims_buf_printf(&lb, "decision/%s", name) == 0 && vh)
				cp = checkpoint(cps, lb.ptr, json_string_value(vh));
			aims_buf_release(&lb);
			json_decref(vh);
			json_object_set_new(s, "checkpoint", cp ? cp : json_pack("{s:b}", "none", 1));
		}
		json_array_append_new(sys, s);
	}
	json_t *sum = json_object_get(gap, "summary");
	if (sum)
		json_object_set_new(ctx, "readiness_percent", json_integer((json_int_t)(json_number_value(json_object_get(sum, "readiness")) * 100 + 0.5)));
	json_object_set(ctx, "summary", sum);
	/* named apart from the summary's own "readiness", "clauses" and "annex_a", which the template's
	   {{#summary}} section would find first */
	json_object_set_new(ctx, "clause_groups", clauses);
	json_object_set_new(ctx, "annex_groups", annex);
	json_object_set(ctx, "docs_due", json_object_get(due, "due"));
	json_object_set_new(ctx, "risks_awaiting", await);
	json_object_set_new(ctx, "assess_due", adue);
	json_object_set_new(ctx, "obligations_open", obl);
	json_object_set_new(ctx, "systems", sys);
	clauses = annex = await = adue = obl = sys = NULL;
	err = aims__web_page(w, 200, "dashboard.html", "Dashboard", ctx);
	ctx = NULL;
out:
	json_decref(ctx);
	json_decref(clauses);
	json_decref(annex);
	json_decref(sys);
	json_decref(await);
	json_decref(adue);
	json_decref(obl);
	json_decref(gap);
	json_decref(due);
	json_decref(risks);
	json_decref(assess);
	json_decref(systems);
	json_decref(evals);
	json_decref(cps);
	return err;
}
