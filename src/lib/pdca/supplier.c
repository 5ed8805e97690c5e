/*
 * Suppliers (ISO/IEC 42001 A.10): who supplies AI systems, models, data and
 * services, what they supply to which system and model of the inventory,
 * how responsibilities are allocated between the organization and the
 * supplier (A.10.2), and the supplier's assessments with the next one due
 * (A.10.3).
 */
#include <stdio.h>
#include <string.h>

#include "aims/inventory.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const provides[] = { "ai-system", "model", "data", "service" };
static const char *const results[] = { "acceptable", "conditional", "unacceptable" };

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int strings(json_t **out, const char *field, const char *const *v, size_t n, const char *const *allowed,
		   size_t nallowed)
{
	int err = 0;
	if (!(*out = json_array()))
		return aims__oom();
	for (size_t i = 0; i < n && err >= 0; i++) {
		if ((err = aims__pdca_text(field, v[i], 1, 1)) < 0)
			break;
		if (allowed && !aims__in_list(v[i], allowed, nallowed)) {
			err = aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': expected ai-system, model, data or service", field,
					      v[i]);
			break;
		}
		if (json_array_append_new(*out, json_string(v[i])) < 0)
			err = aims__oom();
	}
	return err < 0 ? err : 0;
}

static int check_date(const char *field, const char *d)
{
	int y, m, dd;
	if (d && (strlen(d) != 10 || aims__date_parse(&y, &m, &dd, d) < 0))
		return aims__pdca_ferr(AIMS_EINVALID, field, "%s '%s': expected a date YYYY-MM-DD", field, d);
	return 0;
}

int aims_supplier_add(json_t **out, aims_store *store, const aims_supplier_new *in)
{
	const aims_principal *who;
	json_t *body = NULL, *prov = NULL, *sys = NULL, *mod = NULL, *ours = NULL, *theirs = NULL, *have;
	char id[32], now[32];
	int64_t seq;
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0 || (err = aims__pdca_text("name", in->name, 1, 1)) < 0 ||
	    (err = aims__pdca_text("contact", in->contact, 0, 1)) < 0 ||
	    (err = check_date("next_assessment", in->next_assessment)) < 0)
		return err;
	if (in->nprovides == 0)
		return aims__pdca_ferr(AIMS_EINVALID, "provides", "provides: name what the supplier provides (ai-system, "
				       "model, data or service)");
	if ((err = strings(&prov, "provides", in->provides, in->nprovides, provides, N(provides))) < 0 ||
	    (err = strings(&sys, "system", in->systems, in->nsystems, NULL, 0)) < 0 ||
	    (err = strings(&mod, "model", in->models, in->nmodels, NULL, 0)) < 0 ||
	    (err = strings(&ours, "ours", in->ours, in->nours, NULL, 0)) < 0 ||
	    (err = strings(&theirs, "theirs", in->theirs, in->ntheirs, NULL, 0)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	for (size_t i = 0; i < in->nsystems; i++) {
		aims_system *s = NULL;
		if ((err = aims_system_get(&s, store, in->systems[i])) < 0) {
			aims__err_set_field("system");
			goto done;
		}
		aims_system_free(s);
	}
	for (size_t i = 0; i < in->nmodels; i++) {
		aims_model *m = NULL;
		if ((err = aims_model_get(&m, store, in->models[i])) < 0) {
			aims__err_set_field("model");
			goto done;
		}
		aims_model_free(m);
	}
	json_t *all = NULL;
	if ((err = aims__pdca_list(&all, store, PDCA_SUPPLIER, "suppliers", NULL, NULL, NULL, NULL)) < 0)
		goto done;
	size_t i;
	json_array_foreach(json_object_get(all, "suppliers"), i, have) {
		if (strcmp(str(have, "title"), in->name) == 0) {
			err = aims__err(AIMS_ECONFLICT, "supplier '%s': registered already as %s", in->name, str(have, "id"));
			break;
		}
	}
	json_decref(all);
	if (err < 0 || (err = aims__pdca_next_id(id, &seq, store, PDCA_SUPPLIER, "SUP")) < 0)
		goto done;
	aims__time_now(now);
	body = json_pack("{s:s, s:s, s:O, s:o, s:O, s:O, s:{s:O, s:O}, s:[], s:o, s:s, s:s, s:s}", "id", id, "title",
			 in->name, "provides", prov, "contact", aims__pdca_jstr(in->contact), "systems", sys, "models", mod,
			 "responsibilities", "organization", ours, "supplier", theirs, "assessments", "due",
			 aims__pdca_jstr(in->next_assessment), "status", "active", "added_by", who->name, "added_at", now);
	if (!body) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_SUPPLIER, id, seq, body, "add", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_SUPPLIER, id, "supplier");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(body);
	json_decref(prov);
	json_decref(sys);
	json_decref(mod);
	json_decref(ours);
	json_decref(theirs);
	return err;
}

int aims_supplier_get(json_t **out, aims_store *store, const char *id)
{
	return aims__pdca_get(out, store, PDCA_SUPPLIER, id, "supplier");
}

int aims_supplier_list(json_t **out, aims_store *store)
{
	return aims__pdca_list(out, store, PDCA_SUPPLIER, "suppliers", NULL, NULL, NULL, NULL);
}

int aims_supplier_assess(json_t **out, aims_store *store, const char *id, const char *result, const char *note,
			 const char *next)
{
	const aims_principal *who;
	json_t *b = NULL;
	char now[32];
	int err, began = 0;
	*out = NULL;
	if ((err = aims__pdca_principal(&who, store)) < 0)
		return err;
	if (!result || !aims__in_list(result, results, N(results)))
		return aims__pdca_ferr(AIMS_EINVALID, "result", "result '%s': expected acceptable, conditional or "
				       "unacceptable", result ? result : "");
	if ((err = aims__pdca_text("note", note, 1, 0)) < 0 || (err = check_date("next", next)) < 0)
		return err;
	aims__time_now(now);
	if (next && strncmp(next, now, 10) <= 0)
		return aims__pdca_ferr(AIMS_EINVALID, "next", "next %s: the next assessment lies in the future", next);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__pdca_get(&b, store, PDCA_SUPPLIER, id, "supplier")) < 0)
		goto done;
	if (json_array_append_new(json_object_get(b, "assessments"), json_pack("{s:s, s:s, s:s, s:s}", "result", result,
									       "note", note, "by", who->name, "at", now)) < 0 ||
	    json_object_set_new(b, "due", aims__pdca_jstr(next)) < 0 ||
	    json_object_set_new(b, "last_result", json_string(result)) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__pdca_save(store, PDCA_SUPPLIER, id, 0, b, "assess", &began)) < 0)
		goto done;
	err = aims__pdca_get(out, store, PDCA_SUPPLIER, id, "supplier");
done:
	if (began)
		aims_store_rollback(store);
	json_decref(b);
	return err;
}
