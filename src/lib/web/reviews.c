/*
 * Human review of AI decisions (docs/oversight.md): the review queue, taking
 * the next decision to review (review.next assigns it to the signed-in
 * reviewer), one item with the decision record and its explanation, and
 * accepting or overriding it (review.accept, review.override: a review
 * record appended to the system's decision log); the recorded oversight
 * reports. Every action is the operation of `aims review ...`.
 */
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

static const col review_cols[] = {
	{ "id", "Review", "/reviews/", NULL, NULL }, { "system", "AI system", "/decisions/", NULL, NULL },
	{ "entry", "Decision", NULL, NULL, NULL }, { "reasons", "Selected for", NULL, NULL, NULL },
	{ "status", "Status", NULL, NULL, NULL }, { "assigned_to", "Assigned to", NULL, NULL, NULL },
	{ "reviewer", "Reviewer", NULL, NULL, NULL }, { "action", "Review", NULL, NULL, NULL },
	{ "selected_at", "Selected", NULL, NULL, NULL }, { "reviewed_at", "Reviewed", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
const col aims__web_review_report_cols[] = {
	{ "id", "Report", NULL, NULL, NULL }, { "system", "AI system", "/systems/", NULL, NULL },
	{ "decisions", "Decisions", NULL, NULL, NULL }, { "reviewed", "Reviewed", NULL, NULL, NULL },
	{ "share_reviewed", "Share reviewed", NULL, NULL, NULL }, { "override_rate", "Override rate", NULL, NULL, NULL },
	{ "backlog", "Backlog", NULL, NULL, NULL }, { "recorded_at", "Recorded", NULL, NULL, NULL },
	{ "recorded_by", "By", NULL, NULL, NULL }, { "digest", "Digest", NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* /reviews: the queue; a post to /reviews/next takes the next decision (of ?system= or the form's system) */
int aims__web_pg_reviews(W *w)
{
	json_t *extra = json_pack("{s:b}", "can_review", aims__web_can(w, "review.decide"));
	int err;
	if (!extra)
		return aims__oom();
	if ((err = aims__web_sub_table(extra, "reports", w, "review.reports", NULL, "reports", aims__web_review_report_cols)) < 0) {
		json_decref(extra);
		return aims__web_fail(w, err);
	}
	/* each AI system's review metrics page */
	json_t *sys = NULL, *links = json_array(), *it;
	if ((err = aims__web_call(&sys, NULL, w, "system.list", NULL)) < 0) {
		json_decref(links);
		json_decref(extra);
		return aims__web_fail(w, err);
	}
	for (size_t i = 0; (it = json_array_get(json_object_get(sys, "systems"), i)) != NULL; i++) {
		const char *name = json_string_value(json_object_get(it, "name"));
		if (name)
			json_array_append_new(links, json_pack("{s:s, s:o}", "name", name, "href",
							       aims__web_url("/systems/", name, "/review-metrics")));
	}
	json_decref(sys);
	json_object_set_new(extra, "has_metrics_links", json_boolean(json_array_size(links) > 0));
	json_object_set_new(extra, "metrics_links", links);
	return aims__web_list_page(w, "Human review", "review.list", NULL, "reviews", review_cols, "/api/v1/reviews",
				   "reviews.csv", extra);
}

static int review_next(W *w)
{
	json_t *doc = NULL, *req = json_object();
	const char *system = aims__web_fstr(w, "system");
	int err;
	if (!req)
		return aims__oom();
	if (*system)
		json_object_set_new(req, "system", json_string(system));
	if ((err = aims__web_call(&doc, NULL, w, "review.next", req)) < 0)
		return aims__web_fail(w, err);
	const char *id = json_string_value(json_object_get(json_object_get(doc, "item"), "id"));
	if (!id) {
		json_decref(doc);
		return aims__web_page(w, 200, "review.html", "Nothing to review", json_pack("{s:b}", "none", 1));
	}
	err = aims__web_redirect_to(w, "/reviews/", id, NULL);
	json_decref(doc);
	return err;
}

/* a value of the decision record as indented JSON text */
static json_t *pretty(const json_t *v)
{
	return aims__web_json_text(v, 15);
}

/* /reviews/{id}: one item; posts to /accept and /override decide it */
int aims__web_pg_review(W *w, const char *id, const char *action)
{
	json_t *it = NULL;
	int err;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(id, "next") == 0 && !*action)
			return review_next(w);
		json_t *req = aims__web_req1("id", id);
		const char *opname = NULL;
		if (!req)
			return aims__oom();
		if (strcmp(action, "accept") == 0)
			opname = "review.accept";
		else if (strcmp(action, "override") == 0)
			opname = "review.override";
		if (!opname) {
			json_decref(req);
			return aims__web_no_action(w);
		}
		static const char *const keys[] = { "reason", "outcome", NULL };
		if (aims__web_form_copy(req, w, keys) < 0) {
			json_decref(req);
			return aims__oom();
		}
		if ((err = aims__web_call(NULL, NULL, w, opname, req)) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/reviews/", id, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&it, NULL, w, "review.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	const char *system = json_string_value(json_object_get(it, "system"));
	char entry[32];
	snprintf(entry, sizeof(entry), "/%lld", (long long)json_integer_value(json_object_get(it, "entry")));
	/* the explanation: its text, and the feature contributions as rows */
	const json_t *ex = json_object_get(it, "explanation");
	json_t *contrib = json_array(), *v;
	const char *k;
	json_object_foreach(json_object_get(ex, "contributions"), k, v) {
		json_array_append_new(contrib, json_pack("{s:s, s:o}", "feature", k, "value", pretty(v)));
	}
	const char *assigned = json_string_value(json_object_get(it, "assigned_to"));
	/* offered to a reviewer while the item is open and not assigned to someone else (the operation checks) */
	int offer = !aims__web_str_is(it, "status", "reviewed") && aims__web_can(w, "review.decide") &&
		    (!assigned || (w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT &&
				   strcmp(assigned, w->rq->principal->name) == 0));
	int has_contributions = json_array_size(contrib) > 0;
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:o?, s:o, s:b, s:o, s:o, s:o, s:b}", "it", it, "api",
				aims__web_url("/api/v1/reviews/", id, NULL), "record_href",
				aims__web_url("/decisions/", system ? system : "", entry), "decision_json",
				pretty(json_object_get(it, "decision")), "explanation_text",
				json_is_string(ex) ? json_string(json_string_value(ex)) :
				json_is_string(json_object_get(ex, "text")) ? json_copy(json_object_get(ex, "text")) : NULL,
				"contributions", contrib, "has_contributions", has_contributions, "accept_href", aims__web_url("/reviews/", id, "/accept"),
				"override_href", aims__web_url("/reviews/", id, "/override"), "log_href",
				aims__web_url("/decisions/", system ? system : "", NULL), "can_decide", offer);
	return aims__web_page(w, 200, "review.html", id, ctx);
}
