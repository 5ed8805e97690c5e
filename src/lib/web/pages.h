/*
 * What the pages of the web UI share (page.c, list.c) and the pages each
 * file serves, for the router in web.c. A page is made only from operations
 * called with aims__web_call() as the signed-in principal; it never reads
 * the store itself.
 */
#ifndef AIMS_WEB_PAGES_H
#define AIMS_WEB_PAGES_H

#include <jansson.h>
#include "aims/buf.h"
#include "aims/web.h"
#include "web_internal.h"

/* one request being answered */
typedef struct {
	const aims_web_request *rq;
	aims_web_response *rs;
	const char *if_match;   /* for the next call: the ETag a form was made from */
	char etag[80];          /* of the last call's document */
} W;

/* ---- page.c: operations, request fields, links, rendering ---- */

/* the HTTP status of an error code, as the API answers it */
int aims__web_status(int code);
int aims__web_signed_in(const W *w);
/* whether the principal holds `perm` (for offering a form; the operation checks again) */
int aims__web_can(const W *w, const char *perm);
/* run operation `name` with request `req` (stolen); its JSON into *out (or the body into *body) */
int aims__web_call(json_t **out, aims_buf *body, W *w, const char *name, json_t *req);
/* whether o[key] is the string val */
int aims__web_str_is(const json_t *o, const char *key, const char *val);
/* {k: v} ({} when v is NULL) */
json_t *aims__web_req1(const char *k, const char *v);
/* a query parameter, or NULL */
const char *aims__web_qstr(const W *w, const char *k);
/* a form field as text ("" when absent; the first value when repeated) */
const char *aims__web_fstr(const W *w, const char *k);
/* copy non-empty form fields into req */
int aims__web_form_copy(json_t *req, const W *w, const char *const *keys);
/* percent-encode s for a URL path segment or query value */
void aims__web_url_put(aims_buf *b, const char *s);
/* prefix + url(s) + suffix as a JSON string */
json_t *aims__web_url(const char *prefix, const char *s, const char *suffix);
/* render template `tpl` with ctx (stolen) inside the layout; status is the HTTP status */
int aims__web_page(W *w, int status, const char *tpl, const char *title, json_t *ctx);
/* the page for a refused or failed operation: its message and the API's status */
int aims__web_fail(W *w, int code);
int aims__web_not_found(W *w);
/* the page for a POST to an action the page does not have (404) */
int aims__web_no_action(W *w);
/* a value as indented JSON text (keys sorted, reals with real_precision digits), as a JSON string */
json_t *aims__web_json_text(const json_t *v, int real_precision);
int aims__web_redirect(W *w, const char *to);
int aims__web_redirect_to(W *w, const char *prefix, const char *id, const char *suffix);

/* ---- list.c: lists filtered, sorted, paged and as CSV; small tables; choices ---- */

typedef struct {
	const char *key;     /* dotted path in an item */
	const char *label;
	const char *link;    /* prefix of a link: prefix + url(value of link_key) */
	const char *link_key;
	const char *link_suffix; /* appended to the link (e.g. "?format=html") */
} col;

/* a list page that is only its operation's list */
typedef struct {
	const char *path, *title;
	const char *op, *key;   /* the operation and the member of its document that holds the items */
	const col *cols;
	const char *api, *csv;  /* the list's JSON in the API; the CSV's file name */
} aims__web_list;

/*
 * The table of `items` (an array, borrowed) by columns `cols`: filtered by
 * ?q=, sorted by ?sort=KEY&dir=asc|desc, paged by ?page=N; ?format=csv
 * answers the whole filtered list as CSV named `csvname` instead (returns 1
 * then). Otherwise *table gets the template's data.
 */
int aims__web_list_table(json_t **table, W *w, const json_t *items, const col *cols, const char *csvname);
/* a list page: the op's array under key, its table, plus `extra` (stolen) members */
int aims__web_list_page(W *w, const char *title, const char *opname, json_t *req, const char *key, const col *cols,
			const char *api, const char *csvname, json_t *extra);
int aims__web_list_show(W *w, const aims__web_list *l);
/* a list of `key` from operation `opname` rendered as a small table into ctx[name] (no paging) */
int aims__web_sub_table(json_t *ctx, const char *name, W *w, const char *opname, json_t *req, const char *key,
			const col *cols);
/* the choices of a field of an operation, as [{value}] for a <select> */
json_t *aims__web_choices(const char *opname, const char *field);

/* ---- evaluations.c: charts as inline SVG (no script, no style attribute) ---- */

/* horizontal bars: per row one bar per series on an axis 0..max, thresholds as dashed lines */
typedef struct {
	const char *id, *title;    /* id: unique in the page (the chart's title and description ids derive from it) */
	const char *const *series; /* names of a row's bars (shown as a legend when there are several) */
	const char *const *colors;
	size_t nseries;
	double max;
	const double *lines;
	size_t nlines;
} aims__web_bars;
/* rows: [{"label": s, "values": [number|null, ...], "bad": [bool, ...]}]; desc: the numbers in words (the
   chart's text alternative); the SVG as a JSON string for {{{...}}}, NULL when out of memory */
json_t *aims__web_svg_bars(const aims__web_bars *c, const json_t *rows, const char *desc);

/* ---- the pages, by file ---- */

/* account.c */
int aims__web_pg_login(W *w);
int aims__web_pg_logout(W *w);
int aims__web_pg_account(W *w, const char *sub);
/* registers.c */
int aims__web_pg_concern(W *w);
const aims__web_list *aims__web_register_list(const char *path);
/* dashboard.c */
int aims__web_pg_dashboard(W *w);
/* inventory.c */
extern const col aims__web_assess_cols[];
int aims__web_pg_systems(W *w);
int aims__web_pg_system(W *w, const char *name);
const aims__web_list *aims__web_inventory_list(const char *path);
/* gap.c */
int aims__web_pg_gap(W *w);
int aims__web_pg_soa(W *w);
int aims__web_pg_soa_control(W *w, const char *control);
/* documents.c */
int aims__web_pg_documents(W *w);
int aims__web_pg_document(W *w, const char *id, const char *action);
/* risks.c */
extern const col aims__web_risk_cols[];
int aims__web_pg_risks(W *w);
int aims__web_pg_risk(W *w, const char *id, const char *action);
/* aiact.c */
extern const col aims__web_obligation_cols[];
int aims__web_pg_aiact(W *w, const char *system, const char *action);
/* aiact_form.c: the guided classification form */
/* its markup into ctx["classify_form"]: `answers` are a classification's (or, when `entered`, the form's
   values), `errors` ({key: message}, "" for the form as a whole) are shown at their questions */
int aims__web_aiact_form(W *w, json_t *ctx, const char *system, const json_t *answers, int entered,
			 const json_t *errors);
/* POST /aiact/{system}/classify: 0 classified; 1 refused, with *entered and *errors to show (caller
   decrefs both); <0 the operation failed otherwise */
int aims__web_aiact_classify(W *w, const char *system, json_t **entered, json_t **errors);
/* NULL when every answers key has its question and every value its label, else the one missing */
const char *aims__web_aiact_question_check(void);
/* assess_form.c: impact assessments, the guided questionnaire (/assessments/new), one assessment */
int aims__web_pg_assessments(W *w);
int aims__web_pg_assessment(W *w, const char *id, const char *action);
/* users.c */
int aims__web_pg_users(W *w, const char *name, const char *action);
/* decisions.c */
int aims__web_pg_decision_logs(W *w);
int aims__web_pg_decision_log(W *w, const char *system);
int aims__web_pg_decision_record(W *w, const char *system, const char *index);
int aims__web_pg_decision_receipt(W *w, const char *system, const char *index);
int aims__web_pg_decision_verify(W *w, const char *system);
/* ledger.c */
int aims__web_pg_ledger(W *w, int verify);
/* policies.c */
int aims__web_pg_policies(W *w);
int aims__web_pg_policy(W *w, const char *name, const char *action);
/* gates.c */
int aims__web_pg_gates(W *w);
int aims__web_pg_gate(W *w, const char *id, const char *action);
int aims__web_pg_gate_checks(W *w);
int aims__web_pg_gate_exceptions(W *w, const char *id, const char *action);
/* pdca_pages.c: incidents, nonconformities, corrective actions, audits */
int aims__web_pg_incident(W *w, const char *id, const char *action);
int aims__web_pg_nc(W *w, const char *id, const char *action);
int aims__web_pg_ca(W *w, const char *id, const char *action);
int aims__web_pg_audit(W *w, const char *id, const char *action);
/* pdca_plans.c: management reviews and monitoring plans; the router of the PDCA record pages */
/* 1 when path is a page of these files (its answer's code into *rc), else 0 */
int aims__web_pdca_route(int *rc, W *w, const char *path);
/* reviews.c */
int aims__web_pg_reviews(W *w);
int aims__web_pg_review(W *w, const char *id, const char *action);
extern const col aims__web_review_report_cols[];
/* evaluations.c */
int aims__web_pg_evaluation(W *w, const char *id);
/* review_metrics.c */
int aims__web_pg_review_metrics(W *w, const char *system);

#endif
