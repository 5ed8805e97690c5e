/*
 * Internal audits (ISO/IEC 42001 9.2). An audit (AUD-NNN) has a period, a
 * scope of clauses and controls and AI systems, and one auditor: an account
 * with the auditor role that owns nothing in the scope (no risk,
 * nonconformity or corrective action of an AI system in scope), so that the
 * auditor does not audit their own work. Only that auditor samples records
 * and records findings; a finding of kind nonconformity opens a
 * nonconformity (source internal-audit, source_ref AUD-NNN/F-NNN). The audit
 * document with its sample and findings is its report.
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "aims/report.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "report/report_internal.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "programme": the audit programme the audit is in (PRG-NNN), or null; computed when read */
static int set_programme(json_t *a, const json_t *map)
{
	const char *p = json_string_value(json_object_get(map, json_string_value(json_object_get(a, "id"))));
	return json_object_set_new(a, "programme", aims__pdca_jstr(p)) < 0 ? aims__oom() : 0;
}

/* the audit's document: the stored record with its programme */
static int audit_doc(json_t **out, aims_store *store, const char *id)
{
	json_t *map = NULL;
	int err;
	if ((err = aims__pdca_get(out, store, PDCA_AUDIT, id, "audit")) < 0)
		return err;
	if ((err = aims__audit_programme_map(&map, store)) < 0 || (err = set_programme(*out, map)) < 0) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(map);
	return err;
}

/* the records in scope that `who` owns, as "risk RISK-001" texts (at most a few) into `found` */
static int owned_in_scope(char *found, size_t size, aims_store *store, const char *who, const json_t *systems)
{
	static const char *const sql[] = {
		"SELECT id FROM risks WHERE owner = ? AND system = ?",
		"SELECT id FROM pdca_records WHERE owner = ? AND system = ? AND kind IN ('nonconformity', "
		"'corrective-action')",
	};
	size_t i;
	json_t *sys;
	found[0] = '\0';
	json_array_foreach(systems, i, sys) {
		for (size_t k = 0; k < N(sql); k++) {
			aims__stmt *st = NULL;
			int err;
			if ((err = aims__stmt_prepare(&st, store, sql[k])) < 0 || (err = aims__stmt_bind_text(st, 1, who)) < 0 ||
			    (err = aims__stmt_bind_text(st, 2, json_string_value(sys))) < 0) {
				aims__stmt_free(st);
				return err;
			}
			while ((err = aims__stmt_step(st)) == 1) {
				size_t l = strlen(found);
				if (l < size - 40)
					snprintf(found + l, size - l, "%s%s", l ? ", " : "", aims__stmt_text(st, 0));
			}
			aims__stmt_free(st);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

int aims_internal_audit_plan(json_t **out, aims_store *store, const char *title, const char *period, const char *auditor,
		    const char *const *requirements, size_t nreq, const char *const *systems, size_t nsys,
		    const char *planned)
{
	const aims_principal *who;
	aims_account *acc = NULL;
	json_t *body = NULL, *reqs = json_array(), *syss = json_array();
	char id[32], now[32], owned[512];
	int64_t seq;
	int err, began = 0, y, m, d;

	*out = NULL;
	if (!reqs || !syss) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("title", title, 1, 1)) < 0 ||
	    (err = aims__pdca_text("period", period, 1, 1)) < 0 || (err = aims__pdca_text("auditor", auditor, 1, 1)) < 0)
		goto done;
	if (planned && (strlen(planned) != 10 || aims__date_parse(&y, &m, &d, planned) < 0)) {
		err = aims__pdca_ferr(AIMS_EINVALID, "planned", "planned '%s': expected a date YYYY-MM-DD", planned);
		goto done;
	}
	if (nreq + nsys == 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, "requirement", "scope: name at least one requirement (clause or "
				      "control) or AI system");
		goto done;
	}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	for (size_t i = 0; i < nreq; i++) {
		if ((err = aims__pdca_requirement(store, "iso42001-2023", requirements[i], "requirement")) < 0)
			goto done;
		if (json_array_append_new(reqs, json_string(requirements[i])) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	for (size_t i = 0; i < nsys; i++) {
		aims_system *s = NULL;
		if ((err = aims_system_get(&s, store, systems[i])) < 0) {
			aims__err_set_field("system");
			goto done;
		}
		aims_system_free(s);
		if (json_array_append_new(syss, json_string(systems[i])) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if ((err = aims_account_get(&acc, store, auditor)) < 0) {
		aims__err_set_field("auditor");
		goto done;
	}
	if (!(acc->roles & AIMS_ROLE_AUDITOR) || !acc->status || strcmp(acc->status, "active") != 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, "auditor", "auditor '%s': an active account with the auditor role is "
				      "needed", auditor);
		goto done;
	}
	if ((err = owned_in_scope(owned, sizeof(owned), store, auditor, syss)) < 0)
		goto done;
	if (owned[0]) {
		err = aims__err(AIMS_EPERM, "auditor %s owns records in the audit's scope (%s) and would audit their own "
				"work; choose an auditor independent of the audited owners", auditor, owned);
		goto done;
	}
	if ((err = aims__pdca_next_id(id, &seq, store, PDCA_AUDIT, "AUD")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:o, s:s, s:[], s:[], s:s, s:s, s:n, s:n, s:n}", "id", id, "title",
			 title, "period", period, "auditor", auditor, "scope_requirements", reqs, "scope_systems", syss,
			 "planned", aims__pdca_jstr(planned), "status", "planned", "sample", "findings", "opened_by",
			 who->name, "opened_at", now, "closed_at", "closed_by", "summary");
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_AUDIT, id, seq, body, "plan", &began)) < 0)
		goto done;
	err = audit_doc(out, store, id);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	json_decref(reqs);
	json_decref(syss);
	aims_account_free(acc);
	return err;
}

int aims_internal_audit_get(json_t **out, aims_store *store, const char *id)
{
	return audit_doc(out, store, id);
}

int aims_internal_audit_list(json_t **out, aims_store *store, const char *status)
{
	static const char *const statuses[] = { "planned", "in-progress", "closed" };
	*out = NULL;
	if (status && !aims__in_list(status, statuses, N(statuses)))
		return aims__pdca_ferr(AIMS_EINVALID, "status", "status '%s': expected planned, in-progress or closed",
				       status);
	json_t *map = NULL, *a;
	size_t i;
	int err;
	if ((err = aims__audit_programme_map(&map, store)) < 0 ||
	    (err = aims__pdca_list(out, store, PDCA_AUDIT, "audits", status, NULL, NULL, NULL)) < 0)
		goto done;
	json_array_foreach(json_object_get(*out, "audits"), i, a) {
		if ((err = set_programme(a, map)) < 0) {
			json_decref(*out);
			*out = NULL;
			goto done;
		}
	}
done:
	json_decref(map);
	return err;
}

/* begin; the audit, not closed, and the acting principal its auditor */
static int load_as_auditor(json_t **b, const aims_principal **who, aims_store *store, const char *id, int *began)
{
	int err;
	if ((err = aims__pdca_principal(who, store)) < 0 || (err = aims_store_begin(store)) < 0)
		return err;
	*began = 1;
	if ((err = aims__pdca_get(b, store, PDCA_AUDIT, id, "audit")) < 0)
		return err;
	if (strcmp(str(*b, "status"), "closed") == 0)
		return aims__err(AIMS_ECONFLICT, "audit %s: closed", id);
	if (strcmp(str(*b, "auditor"), (*who)->name) != 0)
		return aims__err(AIMS_EPERM, "audit %s: only its auditor %s samples records and records findings, not %s",
				 id, str(*b, "auditor"), (*who)->name);
	return json_object_set_new(*b, "status", json_string("in-progress")) < 0 ? aims__oom() : 0;
}

/* a governed object exists: it has entries in the governance ledger ("type:id") */
static int check_record(aims_store *store, const char *ref)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;
	char type[64];
	aims__stmt *st = NULL;
	int err;
	if (!colon || colon == ref || !colon[1] || (size_t)(colon - ref) >= sizeof(type))
		return aims__pdca_ferr(AIMS_EINVALID, "record", "record '%s': expected TYPE:ID as in the ledger, e.g. "
				       "risk:RISK-001 or document:ai-policy", ref ? ref : "");
	snprintf(type, sizeof(type), "%.*s", (int)(colon - ref), ref);
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM ledger_entries WHERE log = 'governance' AND "
				      "object_type = ? AND object_id = ? LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, type)) < 0 || (err = aims__stmt_bind_text(st, 2, colon + 1)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	aims__stmt_free(st);
	if (err == 0)
		return aims__pdca_ferr(AIMS_ENOTFOUND, "record", "record %s: no such governed object in the ledger", ref);
	return 0;
}

static int finish(json_t **out, aims_store *store, const char *id, json_t *b, const char *action, int *began)
{
	int err;
	if ((err = aims__pdca_save(store, PDCA_AUDIT, id, 0, b, action, began)) < 0)
		return err;
	return audit_doc(out, store, id);
}

int aims_internal_audit_sample(json_t **out, aims_store *store, const char *id, const char *record, const char *note)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_text("note", note, 0, 0)) < 0)
		return err;
	if ((err = load_as_auditor(&b, &who, store, id, &began)) < 0 || (err = check_record(store, record)) < 0)
		goto done;
	aims__time_now(now);
	if (json_array_append_new(json_object_get(b, "sample"), json_pack("{s:s, s:o, s:s}", "record", record, "note",
									  aims__pdca_jstr(note), "at", now)) < 0) {
		err = aims__oom();
		goto done;
	}
	err = finish(out, store, id, b, "sample", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_internal_audit_finding(json_t **out, aims_store *store, const char *id, const char *kind, const char *requirement,
		       const char *text, const char *record, const char *owner, const char *due)
{
	static const char *const kinds[] = { "conformity", "observation", "nonconformity" };
	const aims_principal *who;
	json_t *b = NULL;
	char now[32], fid[16], ref[64];
	char *nc = NULL;
	int err, began = 0;
	*out = NULL;
	if (!kind || !aims__in_list(kind, kinds, N(kinds)))
		return aims__pdca_ferr(AIMS_EINVALID, "kind", "kind '%s': expected conformity, observation or "
				       "nonconformity", kind ? kind : "");
	if ((err = aims__pdca_text("text", text, 1, 0)) < 0)
		return err;
	if ((owner || due) && strcmp(kind, "nonconformity") != 0)
		return aims__pdca_ferr(AIMS_EINVALID, owner ? "owner" : "due", "%s: only for a finding of kind "
				       "nonconformity (it goes to the nonconformity)", owner ? "owner" : "due");
	if ((err = load_as_auditor(&b, &who, store, id, &began)) < 0)
		goto done;
	if (requirement && (err = aims__pdca_requirement(store, "iso42001-2023", requirement, "requirement")) < 0)
		goto done;
	if (record && (err = check_record(store, record)) < 0)
		goto done;
	snprintf(fid, sizeof(fid), "F-%03zu", json_array_size(json_object_get(b, "findings")) + 1);
	snprintf(ref, sizeof(ref), "%s/%s", id, fid);
	if (strcmp(kind, "nonconformity") == 0) {
		char title[200];
		const json_t *sys = json_array_get(json_object_get(b, "scope_systems"), 0);
		snprintf(title, sizeof(title), "Audit %s finding %s%s%s", id, fid, requirement ? ": " : "",
			 requirement ? requirement : "");
		aims_nc_new in = { .source = "internal-audit", .source_ref = ref, .requirement = requirement,
				   .system = json_array_size(json_object_get(b, "scope_systems")) == 1 ?
						     json_string_value(sys) : NULL,
				   .title = title, .description = text, .evidence = record, .owner = owner, .due = due };
		if ((err = aims_nc_open(store, &in, &nc)) < 0)
			goto done;
	}
	aims__time_now(now);
	if (json_array_append_new(json_object_get(b, "findings"),
				  json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:s}", "id", fid, "kind", kind, "requirement",
					    aims__pdca_jstr(requirement), "text", text, "record", aims__pdca_jstr(record),
					    "nonconformity", aims__pdca_jstr(nc), "at", now)) < 0) {
		err = aims__oom();
		goto done;
	}
	err = finish(out, store, id, b, "finding", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	aims__free(nc);
	return err;
}

int aims_internal_audit_close(json_t **out, aims_store *store, const char *id, const char *summary)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_text("summary", summary, 1, 0)) < 0)
		return err;
	if ((err = load_as_auditor(&b, &who, store, id, &began)) < 0)
		goto done;
	if (json_array_size(json_object_get(b, "findings")) == 0) {
		err = aims__err(AIMS_ECONFLICT, "audit %s: no findings recorded; an audit reports at least one (a "
				"conformity counts)", id);
		goto done;
	}
	aims__time_now(now);
	if (json_object_set_new(b, "status", json_string("closed")) < 0 ||
	    json_object_set_new(b, "closed_at", json_string(now)) < 0 ||
	    json_object_set_new(b, "closed_by", json_string(who->name)) < 0 ||
	    json_object_set_new(b, "summary", json_string(summary)) < 0) {
		err = aims__oom();
		goto done;
	}
	err = finish(out, store, id, b, "close", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_internal_audit_report(json_t **out, aims_store *store, const char *id)
{
	json_t *a = NULL, *ncs = json_array(), *counts = json_pack("{s:i, s:i, s:i}", "conformity", 0, "observation", 0,
								   "nonconformity", 0);
	json_t *f;
	size_t i;
	int err;
	*out = NULL;
	if (!ncs || !counts) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_internal_audit_get(&a, store, id)) < 0)
		goto done;
	json_array_foreach(json_object_get(a, "findings"), i, f) {
		const char *kind = str(f, "kind"), *ncid = str(f, "nonconformity");
		json_t *nc = NULL;
		if (kind && json_object_get(counts, kind) &&
		    json_object_set_new(counts, kind, json_integer(json_integer_value(json_object_get(counts, kind)) + 1)) < 0) {
			err = aims__oom();
			goto done;
		}
		if (!ncid)
			continue;
		if ((err = aims_nc_get(&nc, store, ncid)) < 0)
			goto done;
		err = json_array_append_new(ncs, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "id", ncid, "finding",
							  str(f, "id"), "title", aims__pdca_jstr(str(nc, "title")),
							  "status", aims__pdca_jstr(str(nc, "status")), "owner",
							  aims__pdca_jstr(str(nc, "owner")), "due",
							  aims__pdca_jstr(str(nc, "due"))));
		json_decref(nc);
		if (err < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (json_object_set(a, "counts", counts) < 0 || json_object_set(a, "nonconformities", ncs) < 0) {
		err = aims__oom();
		goto done;
	}
	*out = a;
	a = NULL;
	err = 0;
done:
	json_decref(a);
	json_decref(ncs);
	json_decref(counts);
	return err;
}

/* "a, b, c" of a string array, "-" when empty */
static int join(aims_buf *b, const json_t *arr)
{
	size_t i;
	json_t *v;
	int err = 0;
	if (json_array_size(arr) == 0)
		return aims_buf_puts(b, "-");
	json_array_foreach(arr, i, v) {
		if ((i && (err = aims_buf_puts(b, ", ")) < 0) || (err = aims_html_escape(b, json_string_value(v))) < 0)
			return err;
	}
	return err;
}

static int row(aims_buf *b, const char *head, const char *val)
{
	int err;
	if ((err = aims_buf_puts(b, "<tr><th>")) < 0 || (err = aims_html_escape(b, head)) < 0 ||
	    (err = aims_buf_puts(b, "</th><td>")) < 0 || (err = aims_html_escape(b, val ? val : "-")) < 0)
		return err;
	return aims_buf_puts(b, "</td></tr>\n");
}

int aims_internal_audit_report_html(aims_buf *b, const json_t *r, aims_store *store)
{
	static const char *const sk[] = { "record", "note", "at" };
	static const char *const sh[] = { "Record", "Note", "Sampled at" };
	static const char *const fk[] = { "id", "kind", "requirement", "text", "record", "nonconformity", "at" };
	static const char *const fh[] = { "Finding", "Kind", "Requirement", "Text", "Record", "Nonconformity", "At" };
	static const char *const nk[] = { "id", "finding", "title", "status", "owner", "due" };
	static const char *const nh[] = { "Nonconformity", "Finding", "Title", "Status now", "Owner", "Due" };
	const json_t *c = json_object_get(r, "counts");
	char sub[200];
	int err;
	snprintf(sub, sizeof(sub), "Internal audit (ISO/IEC 42001 9.2) %s, period %s: %s", str(r, "id"),
		 str(r, "period"), str(r, "status"));
	if ((err = aims__report_begin(b, str(r, "title"), sub)) < 0 || (err = aims__pdca_h2(b, "9.2.2", "Audit")) < 0 ||
	    (err = aims_buf_puts(b, "<table><tbody>\n")) < 0 || (err = row(b, "Audit", str(r, "id"))) < 0 ||
	    (err = row(b, "Period", str(r, "period"))) < 0 || (err = row(b, "Auditor", str(r, "auditor"))) < 0 ||
	    (err = row(b, "Planned", str(r, "planned"))) < 0 || (err = row(b, "Planned by", str(r, "opened_by"))) < 0 ||
	    (err = row(b, "Status", str(r, "status"))) < 0 || (err = row(b, "Closed", str(r, "closed_at"))) < 0 ||
	    (err = aims_buf_puts(b, "<tr><th>Requirements in scope</th><td>")) < 0 ||
	    (err = join(b, json_object_get(r, "scope_requirements"))) < 0 ||
	    (err = aims_buf_puts(b, "</td></tr>\n<tr><th>AI systems in scope</th><td>")) < 0 ||
	    (err = join(b, json_object_get(r, "scope_systems"))) < 0 ||
	    (err = aims_buf_puts(b, "</td></tr>\n</tbody></table>\n")) < 0 ||
	    (err = aims__pdca_h2(b, "9.2.2", "Sampled records")) < 0 ||
	    ((err = aims__pdca_none(b, json_object_get(r, "sample"), "sampled records")) == 0 &&
	     (err = aims__pdca_table(b, json_object_get(r, "sample"), sk, sh, N(sk))) < 0) || err < 0 ||
	    (err = aims__pdca_h2(b, "9.2.2", "Findings")) < 0 ||
	    (err = aims_buf_printf(b, "<p>%lld conformities, %lld observations, %lld nonconformities.</p>\n",
				   (long long)json_integer_value(json_object_get(c, "conformity")),
				   (long long)json_integer_value(json_object_get(c, "observation")),
				   (long long)json_integer_value(json_object_get(c, "nonconformity")))) < 0 ||
	    ((err = aims__pdca_none(b, json_object_get(r, "findings"), "findings")) == 0 &&
	     (err = aims__pdca_table(b, json_object_get(r, "findings"), fk, fh, N(fk))) < 0) || err < 0 ||
	    (err = aims__pdca_h2(b, "10.2", "Nonconformities raised and their status")) < 0 ||
	    ((err = aims__pdca_none(b, json_object_get(r, "nonconformities"), "nonconformities")) == 0 &&
	     (err = aims__pdca_table(b, json_object_get(r, "nonconformities"), nk, nh, N(nk))) < 0) || err < 0 ||
	    (err = aims__pdca_h2(b, "9.2.2", "Conclusion")) < 0 || (err = aims_buf_puts(b, "<p>")) < 0 ||
	    (err = aims_html_escape(b, str(r, "summary") ? str(r, "summary") : "Not closed yet: no conclusion.")) < 0 ||
	    (err = aims_buf_puts(b, "</p>\n")) < 0)
		return err;
	return aims__report_end(b, store);
}
