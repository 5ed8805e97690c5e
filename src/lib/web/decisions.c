/*
 * Decision logs: the logs, one log's records a page at a time, one record
 * with its leaf hash, its receipt as a file that verifies offline, and the
 * log's verification; all through the decision operations.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

#define DECISIONS_PAGE 50

/* a request for one AI system's log operation: {"system": S} plus more */
static json_t *sys_req(const char *system)
{
	return json_pack("{s:s}", "system", system);
}

/* one value of a record as compact JSON text for a table cell ("" when absent) */
static json_t *jcompact(const json_t *v)
{
	if (!v)
		return json_string("");
	if (json_is_string(v))
		return json_incref((json_t *)v);
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	json_t *j = json_string(t ? t : "");
	free(t);
	return j;
}

int aims__web_pg_decision_logs(W *w)
{
	json_t *doc = NULL, *logs = json_array(), *v;
	size_t i;
	int err = aims__web_call(&doc, NULL, w, "decision.list", NULL);
	if (err < 0 || !logs) {
		json_decref(logs);
		return err < 0 ? aims__web_fail(w, err) : aims__oom();
	}
	json_array_foreach(json_object_get(doc, "systems"), i, v) {
		json_t *one = NULL;
		const char *name = json_string_value(v);
		/* the size: the first record's page says it */
		if (aims__web_call(&one, NULL, w, "decision.log", json_pack("{s:s, s:I}", "system", name, "limit", (json_int_t)1)) < 0)
			aims_error_clear();
		json_t *u = aims__web_url("", name, NULL);
		json_array_append_new(logs, json_pack("{s:s, s:o, s:O}", "name", name, "url", u, "size",
						      json_object_get(one, "size") ? json_object_get(one, "size") : json_null()));
		json_decref(one);
	}
	json_decref(doc);
	return aims__web_page(w, 200, "decisions.html", "Decision logs",
		    json_pack("{s:{s:o, s:I, s:b}}", "logs_table", "logs", logs, "count", (json_int_t)json_array_size(logs),
			      "empty", json_array_size(logs) == 0));
}

/* a number from the query string (0 when absent); -1 when it is not a whole number */
static int64_t qnum(const W *w, const char *k)
{
	const char *s = aims__web_qstr(w, k);
	if (!s || !*s)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

int aims__web_pg_decision_log(W *w, const char *system)
{
	json_t *doc = NULL, *rows = json_array(), *e;
	size_t i;
	int64_t from = qnum(w, "from");
	if (!rows)
		return aims__oom();
	if (from < 0) {
		json_decref(rows);
		aims__err_set(AIMS_EINVALID, "from: expected an entry number");
		return aims__web_fail(w, AIMS_EINVALID);
	}
	int err = aims__web_call(&doc, NULL, w, "decision.log", json_pack("{s:s, s:I, s:I}", "system", system, "from", (json_int_t)from,
							       "limit", (json_int_t)DECISIONS_PAGE));
	if (err < 0) {
		json_decref(rows);
		return aims__web_fail(w, err);
	}
	int64_t size = json_integer_value(json_object_get(doc, "size"));
	json_array_foreach(json_object_get(doc, "entries"), i, e) {
		const json_t *r = json_object_get(e, "record");
		char idx[32];
		snprintf(idx, sizeof(idx), "/%lld", (long long)json_integer_value(json_object_get(e, "index")));
		json_t *href = aims__web_url("/decisions/", system, idx);
		const json_t *rv = json_object_get(r, "review");
		json_array_append_new(rows, json_pack("{s:O, s:o, s:o, s:o, s:o, s:o, s:o}", "index", json_object_get(e, "index"),
						      "href", href, "time", jcompact(json_object_get(r, "time")), "model",
						      jcompact(json_object_get(r, "model")), "output",
						      json_is_true(json_object_get(e, "pruned")) ? json_string("(pruned)") :
						      jcompact(json_object_get(r, "output")),
						      "confidence", jcompact(json_object_get(r, "confidence")), "review",
						      rv ? jcompact(json_object_get(rv, "action")) : json_string("")));
	}
	size_t n = json_array_size(rows);
	json_t *ctx = json_pack("{s:s, s:o, s:O, s:O, s:I, s:I, s:b, s:o, s:o}", "system", system, "system_url",
				aims__web_url("", system, NULL), "size", json_object_get(doc, "size"), "origin",
				json_object_get(doc, "origin") ? json_object_get(doc, "origin") : json_null(), "first",
				(json_int_t)from, "last", (json_int_t)(n ? from + (int64_t)n - 1 : from), "empty", n == 0,
				"entries", rows, "api", aims__web_url("/api/v1/systems/", system, "/decisions"));
	json_decref(doc);
	if (!ctx)
		return aims__oom();
	char q[64];
	if (from > 0) {
		int64_t prev = from > DECISIONS_PAGE ? from - DECISIONS_PAGE : 0;
		snprintf(q, sizeof(q), "?from=%lld", (long long)prev);
		json_object_set_new(ctx, "prev_href", aims__web_url("/decisions/", system, q));
	}
	int64_t next = from + (int64_t)n;
	if (next < size) {
		snprintf(q, sizeof(q), "?from=%lld", (long long)next);
		json_object_set_new(ctx, "next_href", aims__web_url("/decisions/", system, q));
	}
	char title[160];
	snprintf(title, sizeof(title), "Decision log of %s", system);
	return aims__web_page(w, 200, "decisions.html", title, json_pack("{s:o}", "log", ctx));
}

int aims__web_pg_decision_record(W *w, const char *system, const char *index)
{
	json_t *doc = NULL;
	char *end = NULL;
	long long ix = strtoll(index, &end, 10);
	if (!*index || !end || *end || ix < 0 || index[0] == '+' || index[0] == '-')
		return aims__web_not_found(w);
	int err = aims__web_call(&doc, NULL, w, "decision.log", json_pack("{s:s, s:I, s:I}", "system", system, "from", (json_int_t)ix,
							       "limit", (json_int_t)1));
	if (err < 0)
		return aims__web_fail(w, err);
	json_t *e = json_array_get(json_object_get(doc, "entries"), 0);
	if (!e || json_integer_value(json_object_get(e, "index")) != ix) {
		json_decref(doc);
		aims__err_set(AIMS_ENOTFOUND, "decision log '%s' has no entry %lld", system, ix);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	char *text = json_dumps(json_object_get(e, "record"), JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	json_t *ctx = json_pack("{s:s, s:o, s:I, s:O, s:O, s:s}", "system", system, "system_url", aims__web_url("", system, NULL),
				"index", (json_int_t)ix, "leaf_hash", json_object_get(e, "leaf_hash"), "pruned",
				json_object_get(e, "pruned"), "json", text ? text : "");
	free(text);
	json_decref(doc);
	char title[160];
	snprintf(title, sizeof(title), "Decision %lld of %s", ix, system);
	return ctx ? aims__web_page(w, 200, "decisions.html", title, json_pack("{s:o}", "record", ctx)) : aims__oom();
}

/* the receipt as a file (text/plain): the same bytes as `aims decision receipt --out FILE` */
int aims__web_pg_decision_receipt(W *w, const char *system, const char *index)
{
	json_t *doc = NULL;
	int err = aims__web_call(&doc, NULL, w, "decision.receipt", json_pack("{s:s, s:s}", "system", system, "index", index));
	if (err < 0)
		return aims__web_fail(w, err);
	const char *r = json_string_value(json_object_get(doc, "receipt"));
	aims_buf_clear(&w->rs->body);
	err = aims_buf_puts(&w->rs->body, r ? r : "") < 0 ? aims__oom() : 0;
	json_decref(doc);
	w->rs->status = 200;
	w->rs->content_type = "text/plain; charset=utf-8";
	return err;
}

int aims__web_pg_decision_verify(W *w, const char *system)
{
	json_t *doc = NULL;
	int err = aims__web_call(&doc, NULL, w, "decision.verify", sys_req(system));
	json_t *ctx;
	if (err == AIMS_ETAMPERED || err == AIMS_EINVALID) {
		ctx = json_pack("{s:s, s:o, s:b, s:s}", "system", system, "system_url", aims__web_url("", system, NULL), "ok", 0, "error",
				aims_error_last());
		aims_error_clear();
	} else if (err < 0) {
		return aims__web_fail(w, err);
	} else {
		ctx = json_pack("{s:s, s:o, s:b, s:O}", "system", system, "system_url", aims__web_url("", system, NULL), "ok",
				json_is_true(json_object_get(doc, "verified")), "entries", json_object_get(doc, "entries"));
	}
	json_decref(doc);
	char title[160];
	snprintf(title, sizeof(title), "Verification of the decision log of %s", system);
	return ctx ? aims__web_page(w, 200, "decisions.html", title, json_pack("{s:o}", "verification", ctx)) : aims__oom();
}
