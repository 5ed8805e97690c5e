/*
 * The one table of the Check-and-Act records (pdca_records): numbering,
 * reading and writing a record's canonical JSON body, with its digest,
 * version and ledger entry; the state check's digests; review marks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "aims/ledger.h"
#include "aims/op.h"
#include "audit/state.h"
#include "core/json.h"
#include "oversight/oversight_internal.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

int aims__pdca_ferr(int code, const char *field, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	aims__err_set(code, "%s", msg);
	aims__err_set_field(field);
	return code;
}

/* a module's read operation, through the operation table, so that its rules and permission apply */
int aims__pdca_read_op(json_t **out, aims_store *store, const char *name, json_t *req)
{
	aims_op_result r = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx = { 0 };
	const aims_op *op = aims_op_find(name);
	json_t *empty = NULL;
	int err;
	*out = NULL;
	if (!op)
		return aims__err(AIMS_ERROR, "operation %s: missing", name);
	ctx.store = store;
	ctx.principal = aims_store_principal(store);
	ctx.client = "library";
	if (!req && !(req = empty = json_object()))
		return aims__oom();
	err = aims_op_call(&r, op, &ctx, req);
	json_decref(empty);
	if (err == 0) {
		*out = r.json;
		r.json = NULL;
	}
	aims_op_result_release(&r);
	return err;
}

int aims__pdca_principal(const aims_principal **out, aims_store *store)
{
	const aims_principal *p = aims_store_principal(store);
	*out = p;
	if (!p || p->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "not signed in: incidents, nonconformities and corrective actions are "
				 "recorded by an authenticated principal");
	return 0;
}

json_t *aims__pdca_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

int aims__pdca_digest(char dg[72], const json_t *v)
{
	char *c = NULL;
	size_t n;
	int err = aims__ov_canonical(&c, &n, v);
	if (err == 0)
		err = aims_ledger_digest(dg, c, n);
	aims__free(c);
	return err;
}

int aims__pdca_text(const char *field, const char *s, int required, int single_line)
{
	if (!s) {
		if (required)
			return aims__pdca_ferr(AIMS_EINVALID, field, "%s: required", field);
		return 0;
	}
	if (!aims__text_ok(s, single_line) || (single_line && strlen(s) > 1024) || strlen(s) > 65536)
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s: expected %s text without control characters, not empty "
				       "(at most %s bytes)", field, single_line ? "one line of" : "printable",
				       single_line ? "1024" : "65536");
	return 0;
}

int aims__pdca_requirement(aims_store *store, const char *framework, const char *id, const char *field)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT kind FROM requirements WHERE framework = ? AND id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, framework)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	aims__stmt_free(st);
	if (err == 0)
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': not a clause or control of %s (load the catalogs "
				       "with 'aims catalog load')", field, id, framework);
	return 0;
}

int aims__pdca_next_id(char id[32], int64_t *seq, aims_store *store, const char *kind, const char *prefix)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM pdca_records WHERE kind = ?")) <
		    0 ||
	    (err = aims__stmt_bind_text(st, 1, kind)) < 0 || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	*seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	snprintf(id, 32, "%s-%03lld", prefix, (long long)*seq);
	return 0;
}

/* the stored body with "id" and "title" first (the canonical form sorts keys; people and CSV read the id
   first), the other members after them in their stored order */
static int ordered(json_t **out, json_t *b)
{
	static const char *const first[] = { "id", "title" };
	json_t *o = json_object();
	const char *k;
	json_t *v;
	if (!o)
		return aims__oom();
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++)
		if ((v = json_object_get(b, first[i])) && json_object_set(o, first[i], v) < 0)
			goto oom;
	json_object_foreach(b, k, v) {
		if (!json_object_get(o, k) && json_object_set(o, k, v) < 0)
			goto oom;
	}
	*out = o;
	return 0;
oom:
	json_decref(o);
	return aims__oom();
}

int aims__pdca_get(json_t **body, aims_store *store, const char *kind, const char *id, const char *what)
{
	aims__stmt *st = NULL;
	int err;
	*body = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT body FROM pdca_records WHERE kind = ? AND id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, kind)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 0) {
		aims__stmt_free(st);
		return aims__err(AIMS_ENOTFOUND, "%s %s: not found", what, id);
	}
	const char *text = aims__stmt_text(st, 0);
	json_t *b = NULL;
	if ((err = aims__json_parse(&b, text, strlen(text), id)) == 0)
		err = ordered(body, b);
	json_decref(b);
	aims__stmt_free(st);
	return err;
}

static const char *member(const json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

int aims__pdca_put(aims_store *store, const char *kind, const char *id, int64_t seq, const json_t *body,
		   const char *action)
{
	aims__stmt *st = NULL;
	char dg[72], prev[72] = "", now[32];
	char *canon = NULL;
	size_t clen;
	int err;
	const char *due = member(body, "due") ? member(body, "due") : member(body, "deadline");

	if ((err = aims__ov_canonical(&canon, &clen, body)) < 0 || (err = aims_ledger_digest(dg, canon, clen)) < 0)
		goto done;
	aims__time_now(now);
	if (seq > 0) {
		const aims_principal *who = aims_store_principal(store);
		err = aims__stmt_prepare(&st, store, "INSERT INTO pdca_records (id, kind, seq, parent, system, owner, status, "
					 "due, body, digest, version, created_at, created_by, updated_at) VALUES (?, ?, ?, "
					 "?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)");
		if (err < 0 || (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, kind)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, seq)) < 0 ||
		    (err = aims__stmt_bind_text(st, 4, member(body, "nonconformity"))) < 0 ||
		    (err = aims__stmt_bind_text(st, 5, member(body, "system"))) < 0 ||
		    (err = aims__stmt_bind_text(st, 6, member(body, "owner"))) < 0 ||
		    (err = aims__stmt_bind_text(st, 7, member(body, "status"))) < 0 ||
		    (err = aims__stmt_bind_text(st, 8, due)) < 0 || (err = aims__stmt_bind_text(st, 9, canon)) < 0 ||
		    (err = aims__stmt_bind_text(st, 10, dg)) < 0 || (err = aims__stmt_bind_text(st, 11, now)) < 0 ||
		    (err = aims__stmt_bind_text(st, 12, who && who->kind != AIMS_PRINCIPAL_NONE ? who->name :
						"anonymous")) < 0 ||
		    (err = aims__stmt_bind_text(st, 13, now)) < 0 || (err = aims__stmt_step(st)) < 0)
			goto done;
	} else {
		if ((err = aims__stmt_prepare(&st, store, "SELECT digest FROM pdca_records WHERE kind = ? AND id = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, kind)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		if (err == 0) {
			err = aims__err(AIMS_ENOTFOUND, "%s %s: not found", kind, id);
			goto done;
		}
		snprintf(prev, sizeof(prev), "%s", aims__stmt_text(st, 0));
		aims__stmt_free(st);
		st = NULL;
		err = aims__stmt_prepare(&st, store, "UPDATE pdca_records SET owner = ?, status = ?, due = ?, body = ?, "
					 "digest = ?, version = version + 1, updated_at = ? WHERE kind = ? AND id = ?");
		if (err < 0 || (err = aims__stmt_bind_text(st, 1, member(body, "owner"))) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, member(body, "status"))) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, due)) < 0 || (err = aims__stmt_bind_text(st, 4, canon)) < 0 ||
		    (err = aims__stmt_bind_text(st, 5, dg)) < 0 || (err = aims__stmt_bind_text(st, 6, now)) < 0 ||
		    (err = aims__stmt_bind_text(st, 7, kind)) < 0 || (err = aims__stmt_bind_text(st, 8, id)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
	}
	err = aims_ledger_append(store, action, kind, id, dg, prev[0] ? prev : NULL);
done:
	aims__stmt_free(st);
	aims__free(canon);
	return err < 0 ? err : 0;
}

int aims__pdca_save(aims_store *store, const char *kind, const char *id, int64_t seq, const json_t *body,
		    const char *action, int *began)
{
	int err;
	if ((err = aims__pdca_put(store, kind, id, seq, body, action)) < 0 || (err = aims_store_commit(store)) < 0)
		return err;
	*began = 0;
	return 0;
}

int aims__pdca_list(json_t **out, aims_store *store, const char *kind, const char *list_key, const char *status,
		    const char *system, const char *owner, const char *parent)
{
	aims__stmt *st = NULL;
	json_t *items = json_array();
	int err;
	*out = NULL;
	if (!items)
		return aims__oom();
	err = aims__stmt_prepare(&st, store, "SELECT id, body FROM pdca_records WHERE kind = ? AND "
				 "(CAST(? AS TEXT) IS NULL OR status = ?) AND (CAST(? AS TEXT) IS NULL OR system = ?) AND "
				 "(CAST(? AS TEXT) IS NULL OR owner = ?) AND (CAST(? AS TEXT) IS NULL OR parent = ?) "
				 "ORDER BY seq DESC");
	if (err < 0 || (err = aims__stmt_bind_text(st, 1, kind)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, status)) < 0 || (err = aims__stmt_bind_text(st, 3, status)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, system)) < 0 || (err = aims__stmt_bind_text(st, 5, system)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, owner)) < 0 || (err = aims__stmt_bind_text(st, 7, owner)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, parent)) < 0 || (err = aims__stmt_bind_text(st, 9, parent)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		json_t *b = NULL, *o = NULL;
		const char *text = aims__stmt_text(st, 1);
		if ((err = aims__json_parse(&b, text, strlen(text), aims__stmt_text(st, 0))) < 0)
			break;
		err = ordered(&o, b);
		json_decref(b);
		if (err < 0)
			break;
		if (json_array_append_new(items, o) < 0) {
			err = aims__oom();
			break;
		}
	}
	if (err >= 0 && !(*out = json_pack("{s:O}", list_key, items)))
		err = aims__oom();
done:
	aims__stmt_free(st);
	json_decref(items);
	return err < 0 ? err : 0;
}

int aims__pdca_mark_review(aims_store *store, const char *object_type, const char *object_id, const char *source,
			   const char *reason)
{
	aims__stmt *st = NULL;
	char now[32];
	const aims_principal *who = aims_store_principal(store);
	int err;
	aims__time_now(now);
	err = aims__stmt_prepare(&st, store, "INSERT INTO review_marks (object_type, object_id, source, reason, "
				 "marked_at, marked_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (object_type, object_id, "
				 "source) DO NOTHING");
	if (err >= 0 && (err = aims__stmt_bind_text(st, 1, object_type)) >= 0 &&
	    (err = aims__stmt_bind_text(st, 2, object_id)) >= 0 && (err = aims__stmt_bind_text(st, 3, source)) >= 0 &&
	    (err = aims__stmt_bind_text(st, 4, reason)) >= 0 && (err = aims__stmt_bind_text(st, 5, now)) >= 0 &&
	    (err = aims__stmt_bind_text(st, 6, who ? who->name : "")) >= 0)
		err = aims__stmt_step(st);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* the state check: each record's digest recomputed from its stored body */
int aims__pdca_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT kind, id, body FROM pdca_records ORDER BY kind, seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		json_t *b = NULL;
		char dg[72];
		const char *text = aims__stmt_text(st, 2);
		if (aims__json_parse(&b, text, strlen(text), aims__stmt_text(st, 1)) < 0) {
			/* a body that is not JSON any more cannot match any digest the ledger names */
			snprintf(dg, sizeof(dg), "sha256:unreadable");
			aims_error_clear();
		} else if ((err = aims__pdca_digest(dg, b)) < 0) {
			json_decref(b);
			break;
		}
		json_decref(b);
		if ((err = emit(arg, aims__stmt_text(st, 0), aims__stmt_text(st, 1), dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
