/*
 * What is due: one list across the modules (ISO/IEC 42001 9 and 10 need
 * every open item owned and dated). Each item names its module, record,
 * what is due, who owns it, when, and whether that is past. The reads go
 * through the modules' own operations (documents, risks, assessments) or
 * the Check-and-Act records, so the rules are the modules'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/doc.h"
#include "aims/inventory.h"
#include "aims/policy.h"
#include "core/json.h"
#include "oversight/stage.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}


typedef struct {
	json_t *items;
	const char *who;      /* only this owner's, or NULL */
	char today[11];       /* YYYY-MM-DD */
	char horizon[11];     /* items due after this day are left out */
} due_ctx;

/* add an item; `due` is a date or an RFC 3339 time (NULL: no date, always listed) */
static int add(due_ctx *c, const char *module, const char *id, const char *what, const char *owner, const char *due)
{
	char day[11] = "";
	if (c->who && (!owner || strcmp(owner, c->who) != 0))
		return 0;
	if (due)
		snprintf(day, sizeof(day), "%.10s", due);
	if (day[0] && strcmp(day, c->horizon) > 0)
		return 0;
	json_t *it = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "module", module, "id", id, "what", what, "owner",
			       aims__pdca_jstr(owner), "due", aims__pdca_jstr(due), "overdue",
			       day[0] && strcmp(day, c->today) < 0);
	if (!it || json_array_append_new(c->items, it) < 0)
		return aims__oom();
	return 0;
}

static int documents(due_ctx *c, aims_store *store)
{
	json_t *d = NULL, *v;
	size_t i;
	int err = aims__pdca_read_op(&d, store, "doc.due", NULL);
	if (err < 0)
		return err;
	json_array_foreach(json_object_get(d, "due"), i, v) {
		char what[300];
		snprintf(what, sizeof(what), "review of document '%s' (version %lld)", str(v, "title") ? str(v, "title") : "",
			 (long long)json_integer_value(json_object_get(v, "version")));
		if ((err = add(c, "document", str(v, "id"), what, str(v, "owner"), str(v, "next_review"))) < 0)
			break;
	}
	json_decref(d);
	return err;
}

static int risks(due_ctx *c, aims_store *store)
{
	json_t *d = NULL, *v;
	size_t i;
	int err = aims__pdca_read_op(&d, store, "risk.list", NULL);
	if (err < 0)
		return err;
	json_array_foreach(json_object_get(d, "risks"), i, v) {
		const char *st = str(v, "status");
		if (!json_is_true(json_object_get(v, "above_tolerance")) || (st && (strcmp(st, "accepted") == 0 ||
										    strcmp(st, "closed") == 0)))
			continue;
		char what[400];
		snprintf(what, sizeof(what), "risk above tolerance, %s: %s", st ? st : "open", str(v, "title") ? str(v, "title") : "");
		if ((err = add(c, "risk", str(v, "id"), what, str(v, "owner"), NULL)) < 0)
			break;
	}
	json_decref(d);
	return err;
}

static int assessments(due_ctx *c, aims_store *store)
{
	json_t *d = NULL, *v;
	size_t i;
	int err = aims__pdca_read_op(&d, store, "assess.list", NULL);
	if (err < 0)
		return err;
	json_array_foreach(json_object_get(d, "systems"), i, v) {
		if (!json_is_true(json_object_get(v, "due")))
			continue;
		char what[300];
		snprintf(what, sizeof(what), "impact assessment of AI system %s", str(v, "system"));
		if ((err = add(c, "impact-assessment", str(v, "system"), what, NULL, NULL)) < 0)
			break;
	}
	json_decref(d);
	return err;
}

/* the review marks incidents put on risks and assessments: the risk's owner */
static int review_marks(due_ctx *c, aims_store *store)
{
	aims__stmt *st = NULL;
	int err = aims__stmt_prepare(&st, store, "SELECT m.object_type, m.object_id, m.reason, m.marked_at, r.owner FROM "
				     "review_marks m LEFT JOIN risks r ON m.object_type = 'risk' AND r.id = m.object_id "
				     "ORDER BY m.marked_at, m.object_type, m.object_id");
	if (err < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		char what[400], ref[160];
		snprintf(what, sizeof(what), "review (%s)", aims__stmt_text(st, 2));
		snprintf(ref, sizeof(ref), "%s:%s", aims__stmt_text(st, 0), aims__stmt_text(st, 1));
		if ((err = add(c, "review", ref, what, aims__stmt_text(st, 4), NULL)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

static int pdca(due_ctx *c, aims_store *store)
{
	aims__stmt *st = NULL;
	int err = aims__stmt_prepare(&st, store, "SELECT kind, id, body FROM pdca_records WHERE kind IN ('incident', "
				     "'nonconformity', 'corrective-action', 'audit', 'supplier') AND status <> 'closed' ORDER BY kind, seq");
	if (err < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		json_t *b = NULL;
		const char *kind = aims__stmt_text(st, 0), *text = aims__stmt_text(st, 2);
		char what[1200];
		if ((err = aims__json_parse(&b, text, strlen(text), aims__stmt_text(st, 1))) < 0)
			break;
		if (strcmp(kind, "incident") == 0) {
			if (json_is_true(json_object_get(b, "serious")) && strcmp(str(b, "status"), "open") == 0) {
				snprintf(what, sizeof(what), "report of serious incident (%s): %s", str(b, "article"),
					 str(b, "title"));
				err = add(c, "incident", str(b, "id"), what, str(b, "opened_by"), str(b, "deadline"));
			}
		} else if (strcmp(kind, "nonconformity") == 0) {
			snprintf(what, sizeof(what), "nonconformity (%s): %s", str(b, "status"), str(b, "title"));
			err = add(c, "nonconformity", str(b, "id"), what, str(b, "owner"), str(b, "due"));
		} else if (strcmp(kind, "corrective-action") == 0) {
			const char *s = str(b, "status");
			snprintf(what, sizeof(what), "%s of %s: %s",
				 strcmp(s, "done") == 0 ? "effectiveness review of corrective action" :
				 strcmp(s, "effective") == 0 ? "closing corrective action" : "corrective action",
				 str(b, "nonconformity"), str(b, "description"));
			err = add(c, "corrective-action", str(b, "id"), what, str(b, "owner"), str(b, "due"));
		} else if (strcmp(kind, "supplier") == 0) {
			if (str(b, "due")) {
				snprintf(what, sizeof(what), "assessment of supplier %s", str(b, "title"));
				err = add(c, "supplier", str(b, "id"), what, str(b, "added_by"), str(b, "due"));
			}
		} else {
			snprintf(what, sizeof(what), "internal audit (%s): %s", str(b, "status"), str(b, "title"));
			err = add(c, "audit", str(b, "id"), what, str(b, "auditor"), str(b, "planned"));
		}
		json_decref(b);
		if (err < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* active monitoring plans whose last complete period has no run */
static int monitoring(due_ctx *c, aims_store *store)
{
	json_t *plans = NULL, *p;
	size_t i;
	int err = aims__pdca_list(&plans, store, PDCA_PLAN, "plans", "active", NULL, NULL, NULL);
	if (err < 0)
		return err;
	json_array_foreach(json_object_get(plans, "plans"), i, p) {
		char period[16], since[32], until[32], id[96], what[200];
		json_t *run = NULL;
		aims__monitor_period(period, since, until, str(p, "every"), aims__clock_now());
		snprintf(id, sizeof(id), "%s/%s", str(p, "id"), period);
		if (aims__pdca_get(&run, store, PDCA_RUN, id, "run") == 0) {
			json_decref(run);
			continue;
		}
		aims_error_clear();
		snprintf(what, sizeof(what), "monitoring run of plan %s for %s (aims monitor run)", str(p, "id"), period);
		if ((err = add(c, "monitoring-plan", id, what, str(p, "owner"), until)) < 0)
			break;
	}
	json_decref(plans);
	return err;
}

/* decisions awaiting human review, per AI system whose policy sets a deadline (review.due_days): one item
 * for the system, due when its oldest pending decision is; reviewers take them from the shared queue */
static int reviews(due_ctx *c, aims_store *store)
{
	aims_systems *l = NULL;
	int err;
	if ((err = aims__review_settle(store)) < 0 || (err = aims_system_list(&l, store)) < 0)
		return err;
	for (size_t i = 0; err >= 0 && i < l->count; i++) {
		aims_policy *p = NULL;
		aims__stmt *st = NULL;
		const char *system = l->items[i]->name;
		if ((err = aims_policy_for_system(&p, store, system)) < 0)
			break;
		if (!p || !p->review.present || p->review.due_days <= 0) {
			aims_policy_free(p);
			continue;
		}
		if ((err = aims__stmt_prepare(&st, store, "SELECT COUNT(*), MIN(seq), MIN(selected_at) FROM review_queue "
					      "WHERE status IN ('pending', 'assigned') AND system = ? AND" AIMS__REVIEW_COMMITTED)) == 0 &&
		    (err = aims__stmt_bind_text(st, 1, system)) == 0 && (err = aims__stmt_step(st)) == 1 &&
		    aims__stmt_int64(st, 0) > 0) {
			int64_t t0 = 0;
			char due[32], id[32], what[200];
			err = 0;
			if (aims__rfc3339(&t0, NULL, aims__stmt_text(st, 2), strlen(aims__stmt_text(st, 2)), 0) == 0) {
				aims__time_format(due, t0 + (int64_t)p->review.due_days * 86400);
				snprintf(id, sizeof(id), "REV-%06lld", (long long)aims__stmt_int64(st, 1));
				snprintf(what, sizeof(what), "%lld decision%s of %s awaiting human review, oldest %s (aims "
					 "review next; policy %s: within %d days)", (long long)aims__stmt_int64(st, 0),
					 aims__stmt_int64(st, 0) == 1 ? "" : "s", system, id, p->name, p->review.due_days);
				err = add(c, "review", id, what, NULL, due);
			}
		} else if (err > 0) {
			err = 0;
		}
		aims__stmt_free(st);
		aims_policy_free(p);
	}
	aims_systems_free(l);
	return err < 0 ? err : 0;
}

static int by_due(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *dx = str(x, "due"), *dy = str(y, "due");
	int c;
	if (!dx || !dy)
		c = dx ? -1 : dy ? 1 : 0; /* dated items first */
	else
		c = strncmp(dx, dy, 10);
	if (c == 0)
		c = strcmp(str(x, "module"), str(y, "module"));
	return c ? c : strcmp(str(x, "id"), str(y, "id"));
}

int aims_due(json_t **out, aims_store *store, const char *who, int within_days)
{
	due_ctx c;
	char t[32];
	int err;
	*out = NULL;
	if (within_days < 0 || within_days > 3650)
		return aims__pdca_ferr(AIMS_EINVALID, "within", "within %d: expected 0 to 3650 days", within_days);
	memset(&c, 0, sizeof(c));
	c.who = who;
	aims__time_now(t);
	snprintf(c.today, sizeof(c.today), "%.10s", t);
	aims__time_format(t, aims__clock_now() + (int64_t)within_days * 86400);
	snprintf(c.horizon, sizeof(c.horizon), "%.10s", t);
	if (!(c.items = json_array()))
		return aims__oom();
	if ((err = documents(&c, store)) < 0 || (err = risks(&c, store)) < 0 || (err = assessments(&c, store)) < 0 ||
	    (err = review_marks(&c, store)) < 0 || (err = pdca(&c, store)) < 0 || (err = monitoring(&c, store)) < 0 ||
	    (err = reviews(&c, store)) < 0) {
		json_decref(c.items);
		return err;
	}
	/* sort: dated first by date, then undated */
	size_t n = json_array_size(c.items);
	json_t **v = n ? aims__calloc(n, sizeof(json_t *)) : NULL;
	if (n && !v) {
		json_decref(c.items);
		return aims__oom();
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(c.items, i));
	if (n)
		qsort(v, n, sizeof(json_t *), by_due);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		if (sorted && json_array_append_new(sorted, v[i]) < 0)
			err = aims__oom();
		else if (!sorted)
			json_decref(v[i]);
	aims__free(v);
	json_decref(c.items);
	if (!sorted || err < 0) {
		json_decref(sorted);
		return err < 0 ? err : aims__oom();
	}
	if (!(*out = json_pack("{s:o, s:s, s:s}", "items", sorted, "today", c.today, "until", c.horizon)))
		return aims__oom();
	return 0;
}

/* ---- evidence for the gap analysis ---- */

static int ev_add(json_t *a, const char *req, const char *ref)
{
	return json_array_append_new(a, json_pack("{s:s, s:s}", "requirement", req, "ref", ref)) < 0 ? aims__oom() : 0;
}

int aims_pdca_evidence(json_t **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_doc_list *docs = NULL;
	json_t *a = json_array();
	int err;
	*out = NULL;
	if (!a)
		return aims__oom();
	/* only the records that can be evidence: the gap analysis runs on every dashboard view */
	if ((err = aims__stmt_prepare(&st, store, "SELECT kind, id, body FROM pdca_records WHERE "
				      "(kind = 'monitoring-run' AND status <> 'error') OR "
				      "(kind IN ('audit', 'nonconformity') AND status = 'closed') OR "
				      "(kind = 'concern' AND status <> 'new') OR kind IN ('incident', 'supplier') "
				      "ORDER BY kind, seq")) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *kind = aims__stmt_text(st, 0), *id = aims__stmt_text(st, 1), *text = aims__stmt_text(st, 2);
		json_t *b = NULL;
		char ref[160];
		if ((err = aims__json_parse(&b, text, strlen(text), id)) < 0)
			break;
		snprintf(ref, sizeof(ref), "%s:%s", kind, id);
		const char *status = str(b, "status");
		if (strcmp(kind, PDCA_RUN) == 0 && strcmp(status, "error") != 0) {
			/* a plan that ran and evaluated: monitoring is operated (9.1) */
			snprintf(ref, sizeof(ref), "monitoring-plan:%s", str(b, "plan"));
			err = ev_add(a, "9.1", ref);
		} else if (strcmp(kind, PDCA_AUDIT) == 0 && strcmp(status, "closed") == 0) {
			if ((err = ev_add(a, "9.2.1", ref)) >= 0)
				err = ev_add(a, "9.2.2", ref);
		} else if (strcmp(kind, PDCA_NC) == 0 && strcmp(status, "closed") == 0) {
			if ((err = ev_add(a, "10.2", ref)) >= 0)
				err = ev_add(a, "10.1", ref);
		} else if (strcmp(kind, PDCA_CONCERN) == 0 && strcmp(status, "new") != 0) {
			err = ev_add(a, "A.3.3", ref);
		} else if (strcmp(kind, PDCA_INCIDENT) == 0 && json_array_size(json_object_get(b, "reports")) > 0) {
			err = ev_add(a, "A.8.4", ref);
		} else if (strcmp(kind, PDCA_SUPPLIER) == 0) {
			const json_t *r = json_object_get(b, "responsibilities");
			if (json_array_size(json_object_get(r, "organization")) + json_array_size(json_object_get(r, "supplier")))
				err = ev_add(a, "A.10.2", ref);
			if (err >= 0 && json_array_size(json_object_get(b, "assessments")))
				err = ev_add(a, "A.10.3", ref);
		}
		json_decref(b);
		if (err < 0)
			break;
	}
	aims__stmt_free(st);
	if (err < 0)
		goto done;
	/* approved management review records (9.3) */
	if ((err = aims_doc_list_read(&docs, store)) < 0)
		goto done;
	for (size_t i = 0; i < docs->count; i++) {
		const aims_doc *d = docs->items[i];
		char ref[160];
		if (!d->type || strcmp(d->type, "management-review") != 0 || d->latest_approved < 1 ||
		    d->status == AIMS_DOC_RETIRED)
			continue;
		snprintf(ref, sizeof(ref), "doc:%s@v%d", d->id, d->latest_approved);
		if ((err = ev_add(a, "9.3.1", ref)) < 0 || (err = ev_add(a, "9.3.2", ref)) < 0 ||
		    (err = ev_add(a, "9.3.3", ref)) < 0)
			goto done;
	}
	*out = a;
	a = NULL;
done:
	json_decref(a);
	aims_doc_list_free(docs);
	return err < 0 ? err : 0;
}
