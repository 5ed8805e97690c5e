/*
 * Concerns and reports of adverse impact (ISO/IEC 42001 A.3.3, A.8.3).
 *
 * Anyone with an account submits a concern (CON-NNN); when the
 * organization enables public intake (`aims concern intake on`), a person
 * without an account can too, through the API's public path or the web
 * form, bounded in size and in rate per client address and overall, and
 * the answer names only the new concern's id. Compliance triages a concern
 * (category, AI system, severity, assignee) and closes it with an outcome,
 * optionally opening a nonconformity (source concern).
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define INTAKE_SETTING "concerns.public_intake"
#define PER_ADDRESS_PER_HOUR 5
#define ALL_PER_HOUR 100
#define MAX_TEXT 4000

static const char *const kinds[] = { "concern", "adverse-impact" };
static const char *const categories[] = { "bias-fairness", "privacy", "safety", "transparency", "misuse",
					  "security", "performance", "other" };
static const char *const severities[] = { "low", "medium", "high", "critical" };

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int aims_concern_intake_set(json_t **out, aims_store *store, int on)
{
	int err = aims_store_setting_set(store, INTAKE_SETTING, on ? "on" : "off");
	*out = NULL;
	if (err < 0)
		return err;
	return (*out = json_pack("{s:b}", "public_intake", on)) ? 0 : aims__oom();
}

static int intake_on(aims_store *store)
{
	char *v = NULL;
	int on = aims_store_setting_get(&v, store, INTAKE_SETTING) == 0 && v && strcmp(v, "on") == 0;
	aims__free(v);
	aims_error_clear();
	return on;
}

/* count one submission against `key` in the current hour; AIMS_ETHROTTLED past `limit` */
static int throttle(aims_store *store, const char *key, int64_t limit)
{
	aims__stmt *st = NULL;
	int64_t hour = aims__clock_now() / 3600 * 3600, start = -1, count = 0;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT win_start, count FROM concern_intake WHERE key = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 1) {
		start = aims__stmt_int64(st, 0);
		count = aims__stmt_int64(st, 1);
	}
	aims__stmt_free(st);
	st = NULL;
	if (start != hour)
		count = 0;
	if (count >= limit)
		return aims__err(AIMS_ETHROTTLED, "too many concerns submitted without an account in this hour: try again "
				 "later or write to the organization");
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO concern_intake (key, win_start, count) VALUES (?, ?, ?) "
				      "ON CONFLICT (key) DO UPDATE SET win_start = excluded.win_start, count = "
				      "excluded.count")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 || (err = aims__stmt_bind_int64(st, 2, hour)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, count + 1)) < 0)
		goto done;
	err = aims__stmt_step(st);
done:
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_concern_submit(json_t **out, aims_store *store, const aims_concern_new *in)
{
	const aims_principal *who = aims_store_principal(store);
	int anonymous = !who || who->kind == AIMS_PRINCIPAL_NONE;
	aims_system *sys = NULL;
	json_t *body = NULL;
	char id[32], now[32];
	int64_t seq;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_text("summary", in->summary, 1, 1)) < 0 ||
	    (err = aims__pdca_text("details", in->details, 0, 0)) < 0 ||
	    (err = aims__pdca_text("contact", in->contact, 0, 1)) < 0)
		return err;
	if (in->details && strlen(in->details) > MAX_TEXT)
		return aims__pdca_ferr(AIMS_EINVALID, "details", "details: at most %d bytes", MAX_TEXT);
	if (in->kind && !aims__in_list(in->kind, kinds, N(kinds)))
		return aims__pdca_ferr(AIMS_EINVALID, "kind", "kind '%s': expected concern or adverse-impact", in->kind);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if (anonymous) {
		char key[96];
		if (!intake_on(store)) {
			err = aims__err(AIMS_EAUTH, "concerns are taken from signed-in accounts only: this organization has "
					"not enabled public intake");
			goto done;
		}
		snprintf(key, sizeof(key), "addr:%.80s", in->client_addr ? in->client_addr : "unknown");
		if ((err = throttle(store, key, PER_ADDRESS_PER_HOUR)) < 0 || (err = throttle(store, "all", ALL_PER_HOUR)) < 0)
			goto done;
	}
	if (in->system && (err = aims_system_get(&sys, store, in->system)) < 0) {
		aims__err_set_field("system");
		goto done;
	}
	if ((err = aims__pdca_next_id(id, &seq, store, PDCA_CONCERN, "CON")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:n, s:n, s:n, s:n, s:n, s:n, s:n}", "id", id,
			 "title", in->summary, "kind", in->kind ? in->kind : "concern", "details",
			 aims__pdca_jstr(in->details), "system", aims__pdca_jstr(in->system), "contact",
			 aims__pdca_jstr(in->contact), "submitted_by", anonymous ? "anonymous" : who->name, "submitted_at",
			 now, "status", "new", "category", "severity", "owner", "triaged_by", "outcome", "nonconformity",
			 "closed_at");
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_CONCERN, id, seq, body, "submit", &began)) < 0)
		goto done;
	/* a submitter without an account learns the id, nothing else of the register */
	if (anonymous)
		err = (*out = json_pack("{s:s, s:s, s:s}", "id", id, "status", "new", "submitted_at", now)) ? 0 : aims__oom();
	else
		err = aims__pdca_get(out, store, PDCA_CONCERN, id, "concern");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	aims_system_free(sys);
	return err;
}

int aims_concern_get(json_t **out, aims_store *store, const char *id)
{
	return aims__pdca_get(out, store, PDCA_CONCERN, id, "concern");
}

int aims_concern_list(json_t **out, aims_store *store, const char *status)
{
	static const char *const statuses[] = { "new", "triaged", "closed" };
	*out = NULL;
	if (status && !aims__in_list(status, statuses, N(statuses)))
		return aims__pdca_ferr(AIMS_EINVALID, "status", "status '%s': expected new, triaged or closed", status);
	return aims__pdca_list(out, store, PDCA_CONCERN, "concerns", status, NULL, NULL, NULL);
}

static int load(json_t **b, aims_store *store, const char *id, const char *doing)
{
	int err = aims__pdca_get(b, store, PDCA_CONCERN, id, "concern");
	if (err < 0)
		return err;
	if (strcmp(str(*b, "status"), "closed") == 0)
		return aims__err(AIMS_ECONFLICT, "concern %s: closed; it cannot be %s", id, doing);
	return 0;
}

int aims_concern_triage(json_t **out, aims_store *store, const char *id, const char *category, const char *severity,
			const char *system, const char *owner)
{
	const aims_principal *who;
	aims_system *sys = NULL;
	json_t *b = NULL;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if (!category || !aims__in_list(category, categories, N(categories)))
		return aims__pdca_ferr(AIMS_EINVALID, "category", "category '%s': expected bias-fairness, privacy, safety, "
				       "transparency, misuse, security, performance or other", category ? category : "");
	if (!severity || !aims__in_list(severity, severities, N(severities)))
		return aims__pdca_ferr(AIMS_EINVALID, "severity", "severity '%s': expected low, medium, high or critical",
				       severity ? severity : "");
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, id, "triaged")) < 0)
		goto done;
	if (system && (err = aims_system_get(&sys, store, system)) < 0) {
		aims__err_set_field("system");
		goto done;
	}
	if (owner && (err = aims_principal_check_name(store, owner, "owner")) < 0) {
		aims__err_set_field("owner");
		goto done;
	}
	if (json_object_set_new(b, "category", json_string(category)) < 0 ||
	    json_object_set_new(b, "severity", json_string(severity)) < 0 ||
	    json_object_set_new(b, "owner", json_string(owner ? owner : who->name)) < 0 ||
	    json_object_set_new(b, "triaged_by", json_string(who->name)) < 0 ||
	    json_object_set_new(b, "status", json_string("triaged")) < 0 ||
	    (system && json_object_set_new(b, "system", json_string(system)) < 0)) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_CONCERN, id, 0, b, "triage", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_CONCERN, id, "concern");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	aims_system_free(sys);
	return err;
}

int aims_concern_close(json_t **out, aims_store *store, const char *id, const char *outcome, int nonconformity)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32], *nc = NULL;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("outcome", outcome, 1, 0)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, id, "closed again")) < 0)
		goto done;
	if (strcmp(str(b, "status"), "triaged") != 0) {
		err = aims__err(AIMS_ECONFLICT, "concern %s: not triaged yet (aims concern triage %s ...)", id, id);
		goto done;
	}
	if (nonconformity) {
		aims_nc_new n = { .source = "concern", .source_ref = id, .system = str(b, "system"), .title = str(b, "title"),
				  .description = str(b, "details"), .owner = str(b, "owner") };
		if ((err = aims_nc_open(store, &n, &nc)) < 0 || json_object_set_new(b, "nonconformity", json_string(nc)) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
	}
	aims__time_now(now);
	if (json_object_set_new(b, "outcome", json_pack("{s:s, s:s, s:s}", "text", outcome, "by", who->name, "at", now)) <
		    0 ||
	    json_object_set_new(b, "status", json_string("closed")) < 0 ||
	    json_object_set_new(b, "closed_at", json_string(now)) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_CONCERN, id, 0, b, "close", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_CONCERN, id, "concern");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	aims__free(nc);
	return err;
}
