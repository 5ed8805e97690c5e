/*
 * Nonconformities and corrective actions (ISO/IEC 42001 10.2).
 *
 * A nonconformity (NC-NNN) is opened from a source (internal audit, failed
 * monitoring, an incident, a concern, an external audit), analysed for its
 * root cause, and closed once it has corrective actions (CA-NNN) that are
 * all closed. An action is done by its owner, then reviewed for
 * effectiveness by another account; only an action found effective closes.
 * An action found not effective is open again. docs/pdca.md has the rules.
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

static const char *const sources[] = { "internal-audit", "monitoring", "incident", "concern", "external-audit",
				       "other" };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int is(const json_t *o, const char *k, const char *v)
{
	const char *s = str(o, k);
	return s && strcmp(s, v) == 0;
}

static int check_due(const char *due)
{
	int y, m, d;
	if (due && (strlen(due) != 10 || aims__date_parse(&y, &m, &d, due) < 0))
		return aims__pdca_ferr(AIMS_EINVALID, "due", "due '%s': expected a date YYYY-MM-DD", due);
	return 0;
}

static int check_owner(const char **owner, aims_store *store, const char *given, const aims_principal *who)
{
	int err;
	*owner = given ? given : who->name;
	if (given && (err = aims_principal_check_name(store, given, "owner")) < 0) {
		aims__err_set_field("owner");
		return err;
	}
	return 0;
}

int aims_nc_open(aims_store *store, const aims_nc_new *in, char **id_out)
{
	const aims_principal *who;
	aims_system *sys = NULL;
	json_t *body = NULL;
	const char *owner;
	char id[32], now[32];
	int64_t seq;
	int err, began = 0;

	*id_out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if (!in->source || !aims__in_list(in->source, sources, N(sources)))
		return aims__pdca_ferr(AIMS_EINVALID, "source", "source '%s': expected internal-audit, monitoring, "
				       "incident, concern, external-audit or other", in->source ? in->source : "");
	if ((err = aims__pdca_text("title", in->title, 1, 1)) < 0 ||
	    (err = aims__pdca_text("source_ref", in->source_ref, 0, 1)) < 0 ||
	    (err = aims__pdca_text("description", in->description, 0, 0)) < 0 ||
	    (err = aims__pdca_text("evidence", in->evidence, 0, 1)) < 0 || (err = check_due(in->due)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if (in->requirement && (err = aims__pdca_requirement(store, "iso42001-2023", in->requirement, "requirement")) < 0)
		goto done;
	if (in->system && (err = aims_system_get(&sys, store, in->system)) < 0) {
		aims__err_set_field("system");
		goto done;
	}
	if ((err = check_owner(&owner, store, in->owner, who)) < 0 ||
	    (err = aims__pdca_next_id(id, &seq, store, PDCA_NC, "NC")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:n, s:s, s:s, s:s, s:n, s:n, s:n}", "id", id,
			 "title", in->title, "source", in->source, "source_ref", aims__pdca_jstr(in->source_ref),
			 "requirement", aims__pdca_jstr(in->requirement), "system", aims__pdca_jstr(in->system),
			 "description", aims__pdca_jstr(in->description), "evidence", aims__pdca_jstr(in->evidence),
			 "owner", owner, "due", aims__pdca_jstr(in->due), "root_cause", "status", "open", "opened_by",
			 who->name, "opened_at", now, "closed_by", "closed_at", "closure");
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_NC, id, seq, body, "open", &began)) < 0)
		goto done;
	if (!(*id_out = aims__strdup(id)))
		err = aims__oom();
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	aims_system_free(sys);
	return err;
}

/* today as YYYY-MM-DD */
static void today(char out[11])
{
	char now[32];
	aims__time_now(now);
	snprintf(out, 11, "%.10s", now);
}

/* an action with "overdue" as of today (not part of the stored record) */
static int ca_decorate(json_t **out, const json_t *ca)
{
	char t[11];
	const char *due = str(ca, "due");
	today(t);
	if (!(*out = json_deep_copy(ca)))
		return aims__oom();
	if (json_object_set_new(*out, "overdue", json_boolean(due && !is(ca, "status", "closed") && strcmp(due, t) < 0)) < 0)
		return aims__oom();
	return 0;
}

int aims_nc_get(json_t **out, aims_store *store, const char *id)
{
	json_t *b = NULL, *acts = NULL, *list = json_array();
	size_t i;
	json_t *a;
	int err;
	*out = NULL;
	if (!list)
		return aims__oom();
	if ((err = aims__pdca_get(&b, store, PDCA_NC, id, "nonconformity")) < 0 ||
	    (err = aims__pdca_list(&acts, store, PDCA_CA, "actions", NULL, NULL, NULL, id)) < 0)
		goto done;
	/* oldest first inside a nonconformity */
	for (i = json_array_size(json_object_get(acts, "actions")); i-- > 0;) {
		json_t *d = NULL;
		a = json_array_get(json_object_get(acts, "actions"), i);
		if ((err = ca_decorate(&d, a)) < 0 || json_array_append_new(list, d) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
	}
	if (json_object_set(b, "actions", list) < 0) {
		err = aims__oom();
		goto done;
	}
	*out = b;
	b = NULL;
done:
	json_decref(b);
	json_decref(acts);
	json_decref(list);
	return err;
}

int aims_nc_list(json_t **out, aims_store *store, const char *status, const char *system, const char *owner)
{
	static const char *const statuses[] = { "open", "analysed", "closed" };
	json_t *all = NULL, *acts = NULL, *counts = json_object(), *b, *a;
	size_t i;
	int err;
	*out = NULL;
	if (status && !aims__in_list(status, statuses, N(statuses)))
		return aims__pdca_ferr(AIMS_EINVALID, "status", "status '%s': expected open, analysed or closed", status);
	if (!counts)
		return aims__oom();
	if ((err = aims__pdca_list(&all, store, PDCA_NC, "nonconformities", status, system, owner, NULL)) < 0 ||
	    (err = aims__pdca_list(&acts, store, PDCA_CA, "actions", NULL, NULL, NULL, NULL)) < 0)
		goto done;
	/* each with the count of its actions and of those still open: all actions read once, counted by their
	   nonconformity ([total, open]) */
	json_array_foreach(json_object_get(acts, "actions"), i, a) {
		json_t *c = json_object_get(counts, str(a, "nonconformity"));
		if (!c && (json_object_set_new(counts, str(a, "nonconformity"), c = json_pack("[i, i]", 0, 0)) < 0 || !c)) {
			err = aims__oom();
			goto done;
		}
		json_array_set_new(c, 0, json_integer(json_integer_value(json_array_get(c, 0)) + 1));
		json_array_set_new(c, 1, json_integer(json_integer_value(json_array_get(c, 1)) + !is(a, "status", "closed")));
	}
	json_array_foreach(json_object_get(all, "nonconformities"), i, b) {
		json_t *c = json_object_get(counts, str(b, "id"));
		if (json_object_set_new(b, "actions_total", json_integer(json_integer_value(json_array_get(c, 0)))) < 0 ||
		    json_object_set_new(b, "actions_open", json_integer(json_integer_value(json_array_get(c, 1)))) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	*out = all;
	all = NULL;
done:
	json_decref(all);
	json_decref(acts);
	json_decref(counts);
	return err < 0 ? err : 0;
}

/* begin, read the record of kind `kind`, refuse a closed one */
static int load(json_t **b, aims_store *store, const char *kind, const char *id, const char *doing)
{
	int err = aims__pdca_get(b, store, kind, id, strcmp(kind, PDCA_NC) == 0 ? "nonconformity" : "corrective action");
	if (err < 0)
		return err;
	if (is(*b, "status", "closed"))
		return aims__err(AIMS_ECONFLICT, "%s %s: closed; it cannot be %s", kind, id, doing);
	return 0;
}

static int set(json_t *b, const char *k, json_t *v)
{
	return json_object_set_new(b, k, v) < 0 ? aims__oom() : 0;
}

/* write record `b` and return the nonconformity's document (for an action: its own) */
static int finish(json_t **out, aims_store *store, const char *kind, const char *id, json_t *b, const char *action,
		  int *began)
{
	int err;
	if ((err = aims__pdca_save(store, kind, id, 0, b, action, began)) < 0)
		return err;
	if (strcmp(kind, PDCA_NC) == 0)
		return aims_nc_get(out, store, id);
	return ca_decorate(out, b);
}

int aims_nc_analyse(json_t **out, aims_store *store, const char *id, const char *root_cause)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("root_cause", root_cause, 1, 0)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	aims__time_now(now);
	if ((err = load(&b, store, PDCA_NC, id, "analysed")) < 0 ||
	    (err = set(b, "root_cause", json_pack("{s:s, s:s, s:s}", "text", root_cause, "by", who->name, "at", now))) < 0 ||
	    (err = set(b, "status", json_string("analysed"))) < 0)
		goto done;
	err = finish(out, store, PDCA_NC, id, b, "analyse", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_nc_close(json_t **out, aims_store *store, const char *id, const char *note)
{
	const aims_principal *who;
	json_t *b = NULL, *acts = NULL, *a;
	char now[32];
	size_t i;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("note", note, 1, 0)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, PDCA_NC, id, "closed again")) < 0 ||
	    (err = aims__pdca_list(&acts, store, PDCA_CA, "actions", NULL, NULL, NULL, id)) < 0)
		goto done;
	if (json_is_null(json_object_get(b, "root_cause"))) {
		err = aims__err(AIMS_ECONFLICT, "nonconformity %s: no root cause recorded (aims nc analyse %s "
				"--root-cause TEXT)", id, id);
		goto done;
	}
	if (json_array_size(json_object_get(acts, "actions")) == 0) {
		err = aims__err(AIMS_ECONFLICT, "nonconformity %s: no corrective action (aims nc action add %s ...)", id, id);
		goto done;
	}
	json_array_foreach(json_object_get(acts, "actions"), i, a) {
		if (!is(a, "status", "closed")) {
			err = aims__err(AIMS_ECONFLICT, "nonconformity %s: corrective action %s is %s; every action must be "
					"closed after its effectiveness review first", id, str(a, "id"), str(a, "status"));
			goto done;
		}
	}
	aims__time_now(now);
	if ((err = set(b, "status", json_string("closed"))) < 0 || (err = set(b, "closed_by", json_string(who->name))) < 0 ||
	    (err = set(b, "closed_at", json_string(now))) < 0 || (err = set(b, "closure", json_string(note))) < 0)
		goto done;
	err = finish(out, store, PDCA_NC, id, b, "close", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	json_decref(acts);
	return err;
}

int aims_ca_add(json_t **out, aims_store *store, const char *nc, const char *description, const char *owner,
		const char *due)
{
	const aims_principal *who;
	json_t *b = NULL, *ca = NULL;
	const char *own;
	char id[32], now[32];
	int64_t seq;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 ||
	    (err = aims__pdca_text("description", description, 1, 0)) < 0 || (err = check_due(due)) < 0)
		return err;
	if (!due)
		return aims__pdca_ferr(AIMS_EINVALID, "due", "due: required (a corrective action has a due date)");
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, PDCA_NC, nc, "given actions")) < 0 || (err = check_owner(&own, store, owner, who)) < 0 ||
	    (err = aims__pdca_next_id(id, &seq, store, PDCA_CA, "CA")) < 0)
		goto done;
	aims__time_now(now);
	ca = json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:n}", "id", id, "nonconformity", nc,
		       "system", aims__pdca_jstr(str(b, "system")), "description", description, "owner", own, "due", due,
		       "status", "open", "added_by", who->name, "done", "review", "closed_at");
	if (!ca || json_object_set_new(ca, "added_at", json_string(now)) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_CA, id, seq, ca, "add", &began)) < 0)
		goto done;
	err = ca_decorate(out, ca);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	json_decref(ca);
	return err;
}

int aims_ca_done(json_t **out, aims_store *store, const char *id, const char *note)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("note", note, 1, 0)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, PDCA_CA, id, "done")) < 0)
		goto done;
	if (!is(b, "status", "open")) {
		err = aims__err(AIMS_ECONFLICT, "corrective action %s: %s already; it awaits its effectiveness review", id,
				str(b, "status"));
		goto done;
	}
	aims__time_now(now);
	if ((err = set(b, "status", json_string("done"))) < 0 ||
	    (err = set(b, "done", json_pack("{s:s, s:s, s:s}", "note", note, "by", who->name, "at", now))) < 0)
		goto done;
	err = finish(out, store, PDCA_CA, id, b, "done", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_ca_review(json_t **out, aims_store *store, const char *id, const char *result, const char *note,
		   const char *evidence)
{
	const aims_principal *who;
	json_t *b = NULL, *hist;
	char now[32];
	int err, began = 0, effective;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if (!result || (strcmp(result, "effective") != 0 && strcmp(result, "not-effective") != 0))
		return aims__pdca_ferr(AIMS_EINVALID, "result", "result '%s': expected effective or not-effective",
				       result ? result : "");
	if ((err = aims__pdca_text("note", note, 1, 0)) < 0 || (err = aims__pdca_text("evidence", evidence, 0, 1)) < 0)
		return err;
	effective = strcmp(result, "effective") == 0;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, PDCA_CA, id, "reviewed")) < 0)
		goto done;
	if (!is(b, "status", "done")) {
		err = aims__err(AIMS_ECONFLICT, "corrective action %s: %s; an effectiveness review follows the owner's "
				"report that it is done (aims nc action done %s)", id, str(b, "status"), id);
		goto done;
	}
	if (strcmp(str(b, "owner"), who->name) == 0) {
		err = aims__err(AIMS_EPERM, "corrective action %s: %s owns it and may not review its own action's "
				"effectiveness; another account must", id, who->name);
		goto done;
	}
	aims__time_now(now);
	/* a review that found the action not effective stays in the record's history */
	if (!json_is_array(hist = json_object_get(b, "previous_reviews")) &&
	    (err = set(b, "previous_reviews", hist = json_array())) < 0)
		goto done;
	if (json_is_object(json_object_get(b, "review")) && json_array_append(hist, json_object_get(b, "review")) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = set(b, "review", json_pack("{s:s, s:s, s:o, s:s, s:s}", "result", result, "note", note, "evidence",
					      aims__pdca_jstr(evidence), "by", who->name, "at", now))) < 0 ||
	    (err = set(b, "status", json_string(effective ? "effective" : "open"))) < 0)
		goto done;
	if (!effective && (err = set(b, "done", json_null())) < 0)
		goto done;
	err = finish(out, store, PDCA_CA, id, b, "review", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_ca_close(json_t **out, aims_store *store, const char *id)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = load(&b, store, PDCA_CA, id, "closed again")) < 0)
		goto done;
	if (!is(b, "status", "effective")) {
		err = aims__err(AIMS_ECONFLICT, "corrective action %s: %s; an action closes only after an effectiveness "
				"review found it effective (aims nc action review %s --result effective ...)", id,
				str(b, "status"), id);
		goto done;
	}
	aims__time_now(now);
	if ((err = set(b, "status", json_string("closed"))) < 0 || (err = set(b, "closed_at", json_string(now))) < 0 ||
	    (err = set(b, "closed_by", json_string(who->name))) < 0)
		goto done;
	err = finish(out, store, PDCA_CA, id, b, "close", &began);
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}

int aims_ca_list(json_t **out, aims_store *store, const char *status, const char *owner, int overdue)
{
	static const char *const statuses[] = { "open", "done", "effective", "closed" };
	json_t *all = NULL, *keep = json_array(), *a;
	size_t i;
	int err;
	*out = NULL;
	if (!keep)
		return aims__oom();
	if (status && !aims__in_list(status, statuses, N(statuses))) {
		json_decref(keep);
		return aims__pdca_ferr(AIMS_EINVALID, "status", "status '%s': expected open, done, effective or closed",
				       status);
	}
	if ((err = aims__pdca_list(&all, store, PDCA_CA, "actions", status, NULL, owner, NULL)) < 0) {
		json_decref(keep);
		return err;
	}
	json_array_foreach(json_object_get(all, "actions"), i, a) {
		json_t *d = NULL;
		if ((err = ca_decorate(&d, a)) < 0)
			break;
		if (overdue && !json_is_true(json_object_get(d, "overdue"))) {
			json_decref(d);
			continue;
		}
		if (json_array_append_new(keep, d) < 0) {
			err = aims__oom();
			break;
		}
	}
	json_decref(all);
	if (err >= 0 && !(*out = json_pack("{s:O}", "actions", keep)))
		err = aims__oom();
	json_decref(keep);
	return err < 0 ? err : 0;
}
