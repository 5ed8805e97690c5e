/*
 * AI incidents (ISO/IEC 42001 A.8.4, 10.2; EU AI Act Art. 3(49), 26(5), 73).
 *
 * A serious incident has a reporting deadline counted from the time the
 * organization became aware of it (Art. 73(2)-(4)): 15 days in general, 10
 * days where a person's death may have been caused, 2 days for a widespread
 * infringement or a serious and irreversible disruption of critical
 * infrastructure (Art. 3(49)(b)). Who must be told follows the
 * organization's role for the system: a provider reports to the market
 * surveillance authority (Art. 73(1)); a deployer informs first the provider,
 * then the market surveillance authority (Art. 26(5)). The deadline is the
 * outer bound; the Act asks for "immediately". docs/pdca.md has the reading.
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

static const char *const harms[] = { "health", "critical-infrastructure", "fundamental-rights",
				     "property-environment", "other" };
static const char *const severities[] = { "low", "medium", "high", "critical" };
static const char *const recipients[] = { "market-surveillance-authority", "provider", "importer", "distributor",
					  "notified-body", "other" };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	int days;
	const char *article;
} cases[] = {
	{ "default", 15, "Art. 73(2)" },
	{ "death", 10, "Art. 73(4)" },
	{ "widespread", 2, "Art. 73(3)" },
	{ "critical-infrastructure", 2, "Art. 73(3), Art. 3(49)(b)" },
};

static int case_index(const char *c)
{
	for (size_t i = 0; i < N(cases); i++)
		if (strcmp(cases[i].name, c ? c : "default") == 0)
			return (int)i;
	return -1;
}

int aims_incident_report_days(const char *serious_case)
{
	int i = case_index(serious_case);
	return i < 0 ? -1 : cases[i].days;
}

static int in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int one_of(const char *field, const char *v, const char *const *list, size_t n)
{
	if (in(v, list, n))
		return 0;
	char all[256] = "";
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(all);
		snprintf(all + l, sizeof(all) - l, "%s%s", i ? ", " : "", list[i]);
	}
	return aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': expected one of %s", field, v ? v : "", all);
}

static int parse_time(int64_t *t, const char *field, const char *s)
{
	if (!s || aims__rfc3339(t, NULL, s, strlen(s), 0) < 0)
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': expected an RFC 3339 time such as "
				       "2026-03-02T09:00:00Z", field, s ? s : "");
	if (*t > aims__clock_now() + 300)
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': in the future", field, s);
	return 0;
}

/* the reports a serious incident needs, by the organization's role */
static json_t *required_reports(const char *role)
{
	if (strcmp(role, "deployer") == 0)
		return json_pack("[s, s]", "provider", "market-surveillance-authority");
	return json_pack("[s]", "market-surveillance-authority");
}

/* every required recipient has a report: the latest sent time among them, or "" when one is missing */
static void reported(char out[32], const json_t *inc)
{
	size_t i, k;
	json_t *need, *r;
	out[0] = '\0';
	char last[32] = "";
	json_array_foreach(json_object_get(inc, "required_reports"), i, need) {
		const char *first = NULL;
		json_array_foreach(json_object_get(inc, "reports"), k, r) {
			const char *at = json_string_value(json_object_get(r, "sent_at"));
			if (json_equal(json_object_get(r, "recipient"), need) && at && (!first || strcmp(at, first) < 0))
				first = at;
		}
		if (!first)
			return;
		if (strcmp(first, last) > 0)
			snprintf(last, sizeof(last), "%s", first);
	}
	snprintf(out, 32, "%s", last);
}

/* a copy of the stored record with the clock's view: deadline_state, hours_left */
static int decorate(json_t **out, json_t *inc)
{
	json_t *d = json_deep_copy(inc);
	if (!d)
		return aims__oom();
	const char *deadline = json_string_value(json_object_get(inc, "deadline"));
	const char *state = NULL;
	json_t *hours = json_null();
	if (json_is_true(json_object_get(inc, "serious")) && deadline) {
		char done[32];
		int64_t dl = 0;
		aims__rfc3339(&dl, NULL, deadline, strlen(deadline), 0);
		reported(done, inc);
		if (done[0])
			state = strcmp(done, deadline) <= 0 ? "met" : "met-late";
		else {
			int64_t left = dl - aims__clock_now();
			state = left < 0 ? "overdue" : "open";
			if (left >= 0) {
				json_decref(hours);
				hours = json_integer(left / 3600);
			}
		}
	}
	if (json_object_set_new(d, "deadline_state", aims__pdca_jstr(state)) < 0 ||
	    json_object_set_new(d, "hours_left", hours) < 0) {
		json_decref(d);
		return aims__oom();
	}
	*out = d;
	return 0;
}

int aims_incident_get(json_t **out, aims_store *store, const char *id)
{
	json_t *b = NULL;
	int err = aims__pdca_get(&b, store, PDCA_INCIDENT, id, "incident");
	*out = NULL;
	if (err == 0)
		err = decorate(out, b);
	json_decref(b);
	return err;
}

int aims_incident_list(json_t **out, aims_store *store, const char *system, const char *status, int overdue)
{
	json_t *all = NULL, *keep = json_array();
	size_t i;
	json_t *b;
	int err;
	*out = NULL;
	if (!keep)
		return aims__oom();
	if (status && !in(status, (const char *const[]){ "open", "reported", "closed" }, 3)) {
		json_decref(keep);
		return aims__pdca_ferr(AIMS_EINVALID, "status", "status '%s': expected open, reported or closed", status);
	}
	if ((err = aims__pdca_list(&all, store, PDCA_INCIDENT, "incidents", status, system, NULL, NULL)) < 0) {
		json_decref(keep);
		return err;
	}
	json_array_foreach(json_object_get(all, "incidents"), i, b) {
		json_t *d = NULL;
		if ((err = decorate(&d, b)) < 0)
			break;
		const char *st = json_string_value(json_object_get(d, "deadline_state"));
		if (overdue && !(st && strcmp(st, "overdue") == 0)) {
			json_decref(d);
			continue;
		}
		if (json_array_append_new(keep, d) < 0) {
			err = aims__oom();
			break;
		}
	}
	json_decref(all);
	if (err >= 0 && !(*out = json_pack("{s:O}", "incidents", keep)))
		err = aims__oom();
	json_decref(keep);
	return err < 0 ? err : 0;
}

/* the risks and the impact assessment of the system, marked for review; their ids into `marked` */
static int mark_for_review(json_t *marked, aims_store *store, const char *system, const char *id)
{
	static const struct {
		const char *type, *sql;
	} q[] = {
		{ "risk", "SELECT id FROM risks WHERE system = ? ORDER BY seq" },
		{ "impact-assessment", "SELECT id FROM impact_assessments WHERE system = ? AND status <> 'superseded' "
				       "ORDER BY seq" },
	};
	char source[64], reason[160];
	int err = 0;
	snprintf(source, sizeof(source), "incident:%s", id);
	snprintf(reason, sizeof(reason), "incident %s concerns AI system %s", id, system);
	for (size_t k = 0; k < N(q) && err >= 0; k++) {
		aims__stmt *st = NULL;
		json_t *ids = json_array();
		if (!ids)
			return aims__oom();
		if ((err = aims__stmt_prepare(&st, store, q[k].sql)) < 0 || (err = aims__stmt_bind_text(st, 1, system)) < 0) {
			aims__stmt_free(st);
			json_decref(ids);
			return err;
		}
		while ((err = aims__stmt_step(st)) == 1)
			if (json_array_append_new(ids, json_string(aims__stmt_text(st, 0))) < 0) {
				err = aims__oom();
				break;
			}
		aims__stmt_free(st);
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v) {
			if (err >= 0)
				err = aims__pdca_mark_review(store, q[k].type, json_string_value(v), source, reason);
			if (err >= 0 && json_array_append_new(marked, json_pack("{s:s, s:O}", "type", q[k].type, "id", v)) < 0)
				err = aims__oom();
		}
		json_decref(ids);
	}
	return err < 0 ? err : 0;
}

static int check_isms_controls(json_t **out, aims_store *store, const char *const *c, size_t n)
{
	int err = 0;
	if (!(*out = json_array()))
		return aims__oom();
	for (size_t i = 0; i < n && err >= 0; i++) {
		if ((err = aims__pdca_requirement(store, "iso27001-2022", c[i], "isms_controls")) < 0)
			break;
		if (json_array_append_new(*out, json_string(c[i])) < 0)
			err = aims__oom();
	}
	return err < 0 ? err : 0;
}

int aims_incident_open(json_t **out, aims_store *store, const aims_incident_new *in_)
{
	const aims_principal *who;
	aims_system *sys = NULL;
	aims_model *m = NULL;
	json_t *body = NULL, *marked = NULL, *isms = NULL;
	char id[32], now[32], aware[32], deadline[32] = "";
	int64_t seq, at;
	int err, began = 0, ci = -1;
	const char *role;

	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if ((err = aims__pdca_text("title", in_->title, 1, 1)) < 0 || (err = aims__pdca_text("system", in_->system, 1, 1)) < 0 ||
	    (err = aims__pdca_text("description", in_->description, 0, 0)) < 0 ||
	    (err = aims__pdca_text("affected_groups", in_->affected_groups, 0, 1)) < 0 ||
	    (err = aims__pdca_text("evidence", in_->evidence, 0, 1)) < 0 ||
	    (err = one_of("harm", in_->harm, harms, N(harms))) < 0 ||
	    (err = one_of("severity", in_->severity, severities, N(severities))) < 0)
		return err;
	if (in_->serious_case && !in_->serious)
		return aims__pdca_ferr(AIMS_EINVALID, "serious_case", "serious_case '%s': only for a serious incident "
				       "(Art. 3(49)): add serious", in_->serious_case);
	if (in_->serious && (ci = case_index(in_->serious_case)) < 0)
		return aims__pdca_ferr(AIMS_EINVALID, "serious_case", "serious_case '%s': expected default (Art. 73(2), "
				       "15 days), death (Art. 73(4), 10 days), widespread or critical-infrastructure "
				       "(Art. 73(3), 2 days)", in_->serious_case);
	if (in_->role && strcmp(in_->role, "provider") != 0 && strcmp(in_->role, "deployer") != 0)
		return aims__pdca_ferr(AIMS_EINVALID, "role", "role '%s': expected provider or deployer", in_->role);
	if (in_->awareness) {
		if ((err = parse_time(&at, "awareness", in_->awareness)) < 0)
			return err;
	} else
		at = aims__clock_now();
	aims__time_format(aware, at);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_system_get(&sys, store, in_->system)) < 0) {
		aims__err_set_field("system");
		goto done;
	}
	if (in_->model && (err = aims_model_get(&m, store, in_->model)) < 0) {
		aims__err_set_field("model");
		goto done;
	}
	role = in_->role ? in_->role : (sys->role && strcmp(sys->role, "deployer") == 0 ? "deployer" : "provider");
	if ((err = check_isms_controls(&isms, store, in_->isms_controls, in_->n_isms_controls)) < 0)
		goto done;
	if (ci >= 0)
		aims__time_format(deadline, at + (int64_t)cases[ci].days * 86400);
	if ((err = aims__pdca_next_id(id, &seq, store, PDCA_INCIDENT, "INC")) < 0)
		goto done;
	if (!(marked = json_array())) {
		err = aims__oom();
		goto done;
	}
	if ((err = mark_for_review(marked, store, in_->system, id)) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:O, "
			 "s:[], s:[], s:[], s:O, s:s, s:s, s:s, s:n, s:n, s:n}",
			 "id", id, "title", in_->title, "system", in_->system,
			 "model", aims__pdca_jstr(in_->model), "harm", in_->harm, "severity", in_->severity,
			 "serious", in_->serious ? 1 : 0,
			 "serious_case", ci >= 0 ? json_string(cases[ci].name) : json_null(),
			 "article", ci >= 0 ? json_string(cases[ci].article) : json_null(),
			 "report_days", ci >= 0 ? json_integer(cases[ci].days) : json_null(),
			 "role", role, "awareness", aware,
			 "deadline", deadline[0] ? json_string(deadline) : json_null(),
			 "required_reports", in_->serious ? required_reports(role) : json_array(),
			 "description", aims__pdca_jstr(in_->description),
			 "affected_groups", aims__pdca_jstr(in_->affected_groups),
			 "evidence", aims__pdca_jstr(in_->evidence), "isms_controls", isms,
			 "reports", "notes", "nonconformities", "marked_for_review", marked,
			 "status", "open", "opened_by", who->name, "opened_at", now,
			 "closed_by", "closed_at", "closure");
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_INCIDENT, id, seq, body, "open", &began)) < 0)
		goto done;
	err = decorate(out, body);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	json_decref(marked);
	json_decref(isms);
	aims_system_free(sys);
	aims_model_free(m);
	return err;
}

/* read incident `id` for a change inside a transaction the caller opened */
static int load_open(json_t **b, aims_store *store, const char *id, const char *doing)
{
	int err = aims__pdca_get(b, store, PDCA_INCIDENT, id, "incident");
	if (err < 0)
		return err;
	if (strcmp(json_string_value(json_object_get(*b, "status")), "closed") == 0)
		return aims__err(AIMS_ECONFLICT, "incident %s: closed; it cannot be %s", id, doing);
	return 0;
}

static int finish(json_t **out, aims_store *store, const char *id, json_t *b, const char *action, int *began)
{
	int err;
	if ((err = aims__pdca_save(store, PDCA_INCIDENT, id, 0, b, action, began)) < 0)
		return err;
	return decorate(out, b);
}

int aims_incident_update(json_t **out, aims_store *store, const char *id, const json_t *changes)
{
	static const char *const fields[] = { "description", "severity", "harm", "affected_groups", "evidence", "note" };
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0, any = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	for (size_t i = 0; i < N(fields); i++) {
		const char *v = json_string_value(json_object_get(changes, fields[i]));
		if (!v)
			continue;
		any = 1;
		if ((err = aims__pdca_text(fields[i], v, 1, strcmp(fields[i], "description") != 0 &&
					   strcmp(fields[i], "note") != 0)) < 0 ||
		    (strcmp(fields[i], "severity") == 0 && (err = one_of("severity", v, severities, N(severities))) < 0) ||
		    (strcmp(fields[i], "harm") == 0 && (err = one_of("harm", v, harms, N(harms))) < 0))
			return err;
	}
	if (!any)
		return aims__err(AIMS_EINVALID, "incident %s: nothing to change (description, severity, harm, "
				 "affected_groups, evidence or note)", id);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load_open(&b, store, id, "updated")) < 0)
		goto done;
	aims__time_now(now);
	for (size_t i = 0; i < N(fields) && err >= 0; i++) {
		const char *v = json_string_value(json_object_get(changes, fields[i]));
		if (!v)
			continue;
		if (strcmp(fields[i], "note") == 0)
			err = json_array_append_new(json_object_get(b, "notes"), json_pack("{s:s, s:s, s:s}", "note", v,
										    "by", who->name, "at", now));
		else
			err = json_object_set_new(b, fields[i], json_string(v));
		if (err < 0)
			err = aims__oom();
	}
	if (err >= 0)
		err = finish(out, store, id, b, "update", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_incident_report(json_t **out, aims_store *store, const char *id, const char *recipient, const char *name,
			 const char *channel, const char *reference, const char *sent_at, const char *kind)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32], sent[32];
	int64_t t;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if ((err = one_of("to", recipient, recipients, N(recipients))) < 0 ||
	    (err = aims__pdca_text("name", name, 0, 1)) < 0 || (err = aims__pdca_text("channel", channel, 0, 1)) < 0 ||
	    (err = aims__pdca_text("reference", reference, 0, 1)) < 0)
		return err;
	if (kind && strcmp(kind, "initial") != 0 && strcmp(kind, "complete") != 0)
		return aims__pdca_ferr(AIMS_EINVALID, "kind", "kind '%s': expected initial (Art. 73(5): incomplete, to be "
				       "completed) or complete", kind);
	if (sent_at) {
		if ((err = parse_time(&t, "sent_at", sent_at)) < 0)
			return err;
	} else
		t = aims__clock_now();
	aims__time_format(sent, t);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load_open(&b, store, id, "reported")) < 0)
		goto done;
	if (strcmp(sent, json_string_value(json_object_get(b, "awareness"))) < 0) {
		err = aims__pdca_ferr(AIMS_EINVALID, "sent_at", "sent_at %s: before the incident's awareness time %s", sent,
				      json_string_value(json_object_get(b, "awareness")));
		goto done;
	}
	aims__time_now(now);
	if (json_array_append_new(json_object_get(b, "reports"),
				  json_pack("{s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:s}", "recipient", recipient, "name",
					    aims__pdca_jstr(name), "channel", aims__pdca_jstr(channel), "reference",
					    aims__pdca_jstr(reference), "kind", kind ? kind : "complete", "sent_at", sent,
					    "recorded_by", who->name, "recorded_at", now)) < 0) {
		err = aims__oom();
		goto done;
	}
	char done_at[32];
	reported(done_at, b);
	if (done_at[0] && json_is_true(json_object_get(b, "serious")) &&
	    json_object_set_new(b, "status", json_string("reported")) < 0) {
		err = aims__oom();
		goto done;
	}
	err = finish(out, store, id, b, "report", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_incident_close(json_t **out, aims_store *store, const char *id, const char *note)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32], done_at[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if ((err = aims__pdca_text("note", note, 1, 0)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load_open(&b, store, id, "closed again")) < 0)
		goto done;
	reported(done_at, b);
	if (json_is_true(json_object_get(b, "serious")) && !done_at[0]) {
		aims_buf need = AIMS_BUF_INIT;
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(b, "required_reports"), i, r) {
			if (aims_buf_puts(&need, i ? " and " : "") < 0 || aims_buf_puts(&need, json_string_value(r)) < 0)
				break;
		}
		err = aims__err(AIMS_ECONFLICT, "incident %s: a serious incident closes only after its report to %s is "
				"recorded (aims incident report %s --to ...)", id, need.ptr ? need.ptr : "", id);
		aims_buf_release(&need);
		goto done;
	}
	aims__time_now(now);
	if (json_object_set_new(b, "status", json_string("closed")) < 0 ||
	    json_object_set_new(b, "closed_by", json_string(who->name)) < 0 ||
	    json_object_set_new(b, "closed_at", json_string(now)) < 0 ||
	    json_object_set_new(b, "closure", json_string(note)) < 0) {
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

int aims_incident_nc(json_t **out, aims_store *store, const char *incident, const char *requirement,
		     const char *owner, const char *due)
{
	json_t *b = NULL;
	char *nc = NULL, title[1100];
	int err, began = 0;
	*out = NULL;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__pdca_get(&b, store, PDCA_INCIDENT, incident, "incident")) < 0)
		goto done;
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(b, "title")));
	aims_nc_new in_ = { .source = "incident", .source_ref = incident, .requirement = requirement,
			    .system = json_string_value(json_object_get(b, "system")), .title = title,
			    .description = json_string_value(json_object_get(b, "description")),
			    .evidence = json_string_value(json_object_get(b, "evidence")), .owner = owner, .due = due };
	if ((err = aims_nc_open(store, &in_, &nc)) < 0)
		goto done;
	if (json_array_append_new(json_object_get(b, "nonconformities"), json_string(nc)) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_INCIDENT, incident, 0, b, "link", &began)) < 0)
		goto done;
	err = aims_nc_get(out, store, nc);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	aims__free(nc);
	return err;
}
