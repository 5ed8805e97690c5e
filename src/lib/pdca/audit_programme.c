/*
 * Audit programmes (ISO/IEC 42001 9.2.2). A programme (PRG-NNN) plans the
 * internal audits of a period: its objective, frequency, methods and the
 * person responsible, and the audits (AUD-NNN) that carry it out. An audit
 * joins a programme when its own period lies inside the programme's, and it
 * belongs to one programme at most. What the programme covers is computed
 * when it is read, from its audits' scopes against the loaded ISO/IEC 42001
 * catalog (the clauses 4-10 without subclauses, the Annex A controls) and the
 * AI systems of the inventory that are not retired: each covered item with
 * the audits covering it, and the items no audit covers. A scope item covers
 * itself and everything under it (clause 9.2 covers 9.2.1 and 9.2.2; group
 * A.6 covers its controls). The programme's document also gives each
 * audit's status and the nonconformities its findings opened, with their
 * status now. Only the stored record (without these computed members) is
 * digested into the ledger.
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

#define FW "iso42001-2023"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int in_array(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (json_string_value(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	}
	return 0;
}

int aims_audit_programme_create(json_t **out, aims_store *store, const aims_audit_programme_new *in)
{
	const aims_principal *who;
	json_t *body = NULL;
	char id[32], now[32], since[32], until[32];
	const char *owner;
	int64_t seq;
	int err, began = 0;

	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("title", in->title, 1, 1)) < 0 ||
	    (err = aims__pdca_text("period", in->period, 1, 1)) < 0 ||
	    (err = aims__pdca_text("objective", in->objective, 0, 0)) < 0 ||
	    (err = aims__pdca_text("frequency", in->frequency, 0, 1)) < 0 ||
	    (err = aims__pdca_text("method", in->method, 0, 1)) < 0 || (err = aims__pdca_period(since, until, in->period)) < 0)
		return err;
	owner = in->owner ? in->owner : who->name;
	if (in->owner && (err = aims_principal_check_name(store, in->owner, "owner")) < 0) {
		aims__err_set_field("owner");
		return err;
	}
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__pdca_next_id(id, &seq, store, PDCA_PROGRAMME, "PRG")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:[], s:s, s:s, s:s}", "id", id, "title",
			 in->title, "period", in->period, "since", since, "until", until, "objective",
			 aims__pdca_jstr(in->objective), "frequency", aims__pdca_jstr(in->frequency), "method",
			 aims__pdca_jstr(in->method), "owner", owner, "audits", "status", "active", "opened_by", who->name,
			 "opened_at", now);
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_PROGRAMME, id, seq, body, "create", &began)) < 0)
		goto done;
	err = aims_audit_programme_get(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	return err;
}

/* the programme holding `audit`, other than `except`, into *held (NULL: none; json_decref) */
static int holder(json_t **held, aims_store *store, const char *audit, const char *except)
{
	json_t *all = NULL, *p;
	size_t i;
	int err;
	*held = NULL;
	if ((err = aims__pdca_list(&all, store, PDCA_PROGRAMME, "programmes", NULL, NULL, NULL, NULL)) < 0)
		return err;
	json_array_foreach(json_object_get(all, "programmes"), i, p) {
		if ((!except || strcmp(str(p, "id"), except) != 0) && in_array(json_object_get(p, "audits"), audit)) {
			*held = json_incref(p);
			break;
		}
	}
	json_decref(all);
	return 0;
}

/* inside the caller's transaction: add `audit` to programme `id` (a ledger entry "add" of the programme) */
int aims__audit_programme_add(aims_store *store, const char *id, const char *audit)
{
	json_t *p = NULL, *a = NULL, *other = NULL;
	char since[32], until[32];
	int err;
	if ((err = aims__pdca_text("audit", audit, 1, 1)) < 0)
		return err;
	if ((err = aims__pdca_get(&p, store, PDCA_PROGRAMME, id, "audit programme")) < 0)
		goto done;
	if ((err = aims__pdca_get(&a, store, PDCA_AUDIT, audit, "audit")) < 0) {
		aims__err_set_field("audit");
		goto done;
	}
	if (in_array(json_object_get(p, "audits"), audit)) {
		err = aims__pdca_ferr(AIMS_ECONFLICT, "audit", "audit %s is already in audit programme %s", audit, id);
		goto done;
	}
	if ((err = holder(&other, store, audit, id)) < 0)
		goto done;
	if (other) {
		err = aims__pdca_ferr(AIMS_ECONFLICT, "audit", "audit %s is already in audit programme %s; an audit "
				      "belongs to one programme", audit, str(other, "id"));
		goto done;
	}
	if (aims__pdca_period(since, until, str(a, "period")) < 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, "audit", "audit %s: its period '%s' is not a year (2026), a quarter "
				      "(2026-Q2), a month (2026-05) or YYYY-MM-DD..YYYY-MM-DD, so it cannot be placed in "
				      "audit programme %s (%s..%s)", audit, str(a, "period"), id, str(p, "since"),
				      str(p, "until"));
		goto done;
	}
	if (strcmp(since, str(p, "since")) < 0 || strcmp(until, str(p, "until")) > 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, "audit", "audit %s: its period %s (%s..%s) is outside audit "
				      "programme %s's period %s (%s..%s, end exclusive)", audit, str(a, "period"), since,
				      until, id, str(p, "period"), str(p, "since"), str(p, "until"));
		goto done;
	}
	if (json_array_append_new(json_object_get(p, "audits"), json_string(audit)) < 0) {
		err = aims__oom();
		goto done;
	}
	err = aims__pdca_put(store, PDCA_PROGRAMME, id, 0, p, "add");
done:
	json_decref(p);
	json_decref(a);
	json_decref(other);
	return err;
}

int aims_audit_programme_add(json_t **out, aims_store *store, const char *id, const char *audit)
{
	const aims_principal *who;
	int err;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims_store_begin(store)) < 0)
		return err;
	if ((err = aims__audit_programme_add(store, id, audit)) < 0 || (err = aims_store_commit(store)) < 0) {
		aims_store_rollback(store);
		return err;
	}
	return aims_audit_programme_get(out, store, id);
}

/* ---- coverage ---- */

/* the loaded catalog's requirements of ISO/IEC 42001: *items [[id, kind, parent]] in catalog order, *parents
   {id: parent} (both owned by the caller, also on error) */
static int catalog(json_t **items, json_t **parents, aims_store *store)
{
	aims__stmt *st = NULL;
	int err;
	*items = json_array();
	*parents = json_object();
	if (!*items || !*parents)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, kind, parent FROM requirements WHERE framework = ? "
				      "ORDER BY seq")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, FW)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	while ((err = aims__stmt_step(st)) == 1) {
		const char *pid = aims__stmt_text(st, 2);
		if (json_array_append_new(*items, json_pack("[s, s, s?]", aims__stmt_text(st, 0), aims__stmt_text(st, 1),
							    pid)) < 0 ||
		    (pid && json_object_set_new(*parents, aims__stmt_text(st, 0), json_string(pid)) < 0)) {
			err = aims__oom();
			break;
		}
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* the audits (ids, in the programme's order) whose requirement scope holds `req` or one of its ancestors */
static int covering(json_t **by, const json_t *audits, const json_t *parents, const char *req)
{
	size_t i;
	json_t *a;
	*by = json_array();
	if (!*by)
		return aims__oom();
	json_array_foreach(audits, i, a) {
		const json_t *scope = json_object_get(a, "scope_requirements");
		for (const char *r = req; r; r = str(parents, r)) {
			if (in_array(scope, r)) {
				if (json_array_append_new(*by, json_string(str(a, "id"))) < 0)
					return aims__oom();
				break;
			}
		}
	}
	return 0;
}

/* put `id` into covered [{"id", "audits"}] or uncovered [id] of `part`, by the audits in `by` (consumed) */
static int place(json_t *part, const char *id, json_t *by)
{
	int err;
	if (json_array_size(by) > 0)
		err = json_array_append_new(json_object_get(part, "covered"), json_pack("{s:s, s:o}", "id", id, "audits", by));
	else {
		json_decref(by);
		err = json_array_append_new(json_object_get(part, "uncovered"), json_string(id));
	}
	return err < 0 ? aims__oom() : 0;
}

static int coverage(json_t **out, aims_store *store, const json_t *audits)
{
	json_t *items = NULL, *parents = NULL, *haschild = json_object(), *it;
	json_t *cov = json_pack("{s:{s:[], s:[]}, s:{s:[], s:[]}, s:{s:[], s:[]}}", "clauses", "covered", "uncovered",
				"controls", "covered", "uncovered", "systems", "covered", "uncovered");
	aims_systems *sl = NULL;
	size_t i;
	int err;
	*out = NULL;
	if (!haschild || !cov) {
		err = aims__oom();
		goto done;
	}
	if ((err = catalog(&items, &parents, store)) < 0)
		goto done;
	json_array_foreach(items, i, it) {
		const char *pid = json_string_value(json_array_get(it, 2));
		if (pid && json_object_set_new(haschild, pid, json_true()) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	json_array_foreach(items, i, it) {
		const char *id = json_string_value(json_array_get(it, 0)), *kind = json_string_value(json_array_get(it, 1));
		const char *part = strcmp(kind, "control") == 0 ? "controls" :
				   strcmp(kind, "clause") == 0 && !json_object_get(haschild, id) ? "clauses" : NULL;
		json_t *by = NULL;
		if (!part)
			continue;
		if ((err = covering(&by, audits, parents, id)) < 0) {
			json_decref(by);
			goto done;
		}
		if ((err = place(json_object_get(cov, part), id, by)) < 0)
			goto done;
	}
	/* AI systems: every system in an audit's scope, then the inventory's others that are not retired */
	if ((err = aims_system_list(&sl, store)) < 0)
		goto done;
	for (size_t k = 0; k < sl->count; k++) {
		const aims_system *s = sl->items[k];
		json_t *by = json_array(), *a;
		size_t j;
		if (!by) {
			err = aims__oom();
			goto done;
		}
		json_array_foreach(audits, j, a) {
			if (in_array(json_object_get(a, "scope_systems"), s->name) &&
			    json_array_append_new(by, json_string(str(a, "id"))) < 0) {
				json_decref(by);
				err = aims__oom();
				goto done;
			}
		}
		if (json_array_size(by) == 0 && s->status && strcmp(s->status, "retired") == 0) {
			json_decref(by);
			continue;
		}
		if ((err = place(json_object_get(cov, "systems"), s->name, by)) < 0)
			goto done;
	}
	*out = cov;
	cov = NULL;
done:
	aims_systems_free(sl);
	json_decref(items);
	json_decref(parents);
	json_decref(haschild);
	json_decref(cov);
	return err;
}

/* the stored programme with "coverage", "audit_status" and "nonconformities" computed now */
static int complete(json_t *p, aims_store *store)
{
	json_t *audits = json_array(), *status = json_array(), *ncs = json_array(), *cov = NULL, *id;
	size_t i;
	int err = 0;
	if (!audits || !status || !ncs) {
		err = aims__oom();
		goto done;
	}
	json_array_foreach(json_object_get(p, "audits"), i, id) {
		json_t *r = NULL, *n;
		size_t k;
		if ((err = aims_internal_audit_report(&r, store, json_string_value(id))) < 0)
			goto done;
		if (json_array_append(audits, r) < 0 ||
		    json_array_append_new(status, json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "id",
							     json_object_get(r, "id"), "title", json_object_get(r, "title"),
							     "period", json_object_get(r, "period"), "status",
							     json_object_get(r, "status"), "auditor", json_object_get(r, "auditor"),
							     "planned", json_object_get(r, "planned"), "closed_at",
							     json_object_get(r, "closed_at"), "findings",
							     json_object_get(r, "counts"))) < 0) {
			json_decref(r);
			err = aims__oom();
			goto done;
		}
		json_array_foreach(json_object_get(r, "nonconformities"), k, n) {
			json_t *e = json_deep_copy(n);
			if (!e || json_object_set_new(e, "audit", json_string(json_string_value(id))) < 0 ||
			    json_array_append_new(ncs, e) < 0) {
				json_decref(r);
				err = aims__oom();
				goto done;
			}
		}
		json_decref(r);
	}
	if ((err = coverage(&cov, store, audits)) < 0)
		goto done;
	if (json_object_set_new(p, "coverage", cov) < 0 || json_object_set(p, "audit_status", status) < 0 ||
	    json_object_set(p, "nonconformities", ncs) < 0)
		err = aims__oom();
done:
	json_decref(audits);
	json_decref(status);
	json_decref(ncs);
	return err;
}

int aims_audit_programme_get(json_t **out, aims_store *store, const char *id)
{
	json_t *p = NULL;
	int err;
	*out = NULL;
	if ((err = aims__pdca_get(&p, store, PDCA_PROGRAMME, id, "audit programme")) < 0)
		return err;
	if ((err = complete(p, store)) < 0) {
		json_decref(p);
		return err;
	}
	*out = p;
	return 0;
}

int aims_audit_programme_list(json_t **out, aims_store *store)
{
	json_t *l = NULL, *p;
	size_t i;
	int err;
	*out = NULL;
	if ((err = aims__pdca_list(&l, store, PDCA_PROGRAMME, "programmes", NULL, NULL, NULL, NULL)) < 0)
		return err;
	json_array_foreach(json_object_get(l, "programmes"), i, p) {
		if ((err = complete(p, store)) < 0) {
			json_decref(l);
			return err;
		}
	}
	*out = l;
	return 0;
}

int aims__audit_programme_map(json_t **map, aims_store *store)
{
	json_t *all = NULL, *p, *a;
	size_t i, k;
	int err;
	*map = NULL;
	if ((err = aims__pdca_list(&all, store, PDCA_PROGRAMME, "programmes", NULL, NULL, NULL, NULL)) < 0)
		return err;
	if (!(*map = json_object())) {
		json_decref(all);
		return aims__oom();
	}
	json_array_foreach(json_object_get(all, "programmes"), i, p) {
		json_array_foreach(json_object_get(p, "audits"), k, a) {
			if (json_string_value(a) &&
			    json_object_set_new(*map, json_string_value(a), json_string(str(p, "id"))) < 0) {
				err = aims__oom();
				goto done;
			}
		}
	}
done:
	json_decref(all);
	if (err < 0) {
		json_decref(*map);
		*map = NULL;
	}
	return err;
}

int aims_audit_programme_plan(json_t **out, aims_store *store, const char *programme, const char *title,
			      const char *period, const char *auditor, const char *const *requirements, size_t nreq,
			      const char *const *systems, size_t nsys, const char *planned)
{
	json_t *a = NULL, *p = NULL;
	char id[32], since[32], until[32];
	int err;
	*out = NULL;
	if ((err = aims__pdca_text("programme", programme, 1, 1)) < 0)
		return err;
	if ((err = aims__pdca_get(&p, store, PDCA_PROGRAMME, programme, "audit programme")) < 0) {
		aims__err_set_field("programme");
		return err;
	}
	/* the audit's period, checked here so that the error names the field given */
	if (period && aims__pdca_period(since, until, period) < 0)
		err = aims__pdca_ferr(AIMS_EINVALID, "period", "period '%s': an audit of audit programme %s needs a year "
				      "(2026), a quarter (2026-Q2), a month (2026-05) or YYYY-MM-DD..YYYY-MM-DD", period,
				      programme);
	else if (period && (strcmp(since, str(p, "since")) < 0 || strcmp(until, str(p, "until")) > 0))
		err = aims__pdca_ferr(AIMS_EINVALID, "period", "period %s (%s..%s): outside audit programme %s's period "
				      "%s (%s..%s, end exclusive)", period, since, until, programme, str(p, "period"),
				      str(p, "since"), str(p, "until"));
	json_decref(p);
	if (err < 0 || (err = aims_store_begin(store)) < 0)
		return err;
	if ((err = aims_internal_audit_plan(&a, store, title, period, auditor, requirements, nreq, systems, nsys,
					    planned)) < 0)
		goto fail;
	snprintf(id, sizeof(id), "%s", str(a, "id"));
	json_decref(a);
	if ((err = aims__audit_programme_add(store, programme, id)) < 0 || (err = aims_store_commit(store)) < 0)
		goto fail;
	return aims_internal_audit_get(out, store, id);
fail:
	aims_store_rollback(store);
	return err;
}
