/*
 * The organization's facts (settings org.name, org.sector, org.country) and
 * the status summary of a store. The facts are checked here, so the command
 * line and the API refuse the same values with the same message.
 */
#include <string.h>

#include "aims/catalog.h"
#include "aims/crosswalk.h"
#include "aims/isms.h"
#include "aims/op.h"
#include "aims/org.h"
#include "core/core.h"

static const char *const facts[] = { "name", "sector", "country" };
#define NFACTS 3

static int fact_err(const char *field, const char *fmt, const char *value)
{
	aims__err_set(AIMS_EUSAGE, fmt, field, value);
	aims__err_set_field(field);
	return AIMS_EUSAGE;
}

static int check_fact(const char *field, const char *v)
{
	if (!*v)
		return fact_err(field, "%s: must not be empty%s", "");
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return fact_err(field, "%s: must be one line of text without control characters%s", "");
	return 0;
}

int aims_org_set(aims_store *store, const char *name, const char *sector, const char *country)
{
	const char *vals[NFACTS] = { name, sector, country };
	int err;

	if (!name && !sector && !country)
		return aims__err(AIMS_EUSAGE, "nothing to set: give name, sector or country");
	if (country && (strlen(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' ||
			country[1] > 'Z'))
		return fact_err("country", "%s '%s': expected a two-letter ISO 3166-1 code in capitals", country);
	for (size_t i = 0; i < NFACTS; i++)
		if (vals[i] && (err = check_fact(facts[i], vals[i])) < 0)
			return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	for (size_t i = 0; i < NFACTS; i++) {
		char key[32];
		snprintf(key, sizeof(key), "org.%s", facts[i]);
		if (vals[i] && (err = aims_store_setting_set(store, key, vals[i])) < 0) {
			aims_store_rollback(store);
			return err;
		}
	}
	return aims_store_commit(store);
}

/* the three facts into `o`, null when unset */
static int put_facts(json_t *o, aims_store *store)
{
	for (size_t i = 0; i < NFACTS; i++) {
		char key[32], *v = NULL;
		int err;
		snprintf(key, sizeof(key), "org.%s", facts[i]);
		if ((err = aims_store_setting_get(&v, store, key)) < 0)
			return err;
		err = json_object_set_new(o, facts[i], aims_json_str(v));
		aims__free(v);
		if (err < 0)
			return aims__oom();
	}
	return 0;
}

int aims_org_json(json_t **out, aims_store *store)
{
	json_t *o = json_object();
	int err;
	*out = NULL;
	if (!o)
		return aims__oom();
	if ((err = put_facts(o, store)) < 0) {
		json_decref(o);
		return err;
	}
	*out = o;
	return 0;
}

/* {KIND: COUNT} in the order the kinds first appear in the catalog */
static json_t *kind_counts(const aims_catalog *cat)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < aims_catalog_count(cat); i++) {
		const char *k = aims_catalog_at(cat, i)->kind;
		json_t *n = json_object_get(o, k);
		if (json_object_set_new(o, k, json_integer(n ? json_integer_value(n) + 1 : 1)) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static int frameworks_json(json_t **out, aims_store *store, const aims_catalog_list *list)
{
	json_t *a = json_array();
	int err = 0;
	*out = NULL;
	if (!a)
		return aims__oom();
	for (size_t i = 0; i < list->count && err == 0; i++) {
		aims_catalog *cat = NULL;
		const aims_framework *f = &list->items[i];
		if ((err = aims_catalog_read(&cat, store, f->framework)) < 0)
			break;
		json_t *kinds = kind_counts(cat);
		if (!kinds || json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:o}", "framework", f->framework,
								   "title", f->title, "version", f->version,
								   "requirements", (json_int_t)aims_catalog_count(cat),
								   "kinds", kinds)) < 0)
			err = aims__oom();
		aims_catalog_free(cat);
	}
	if (err < 0) {
		json_decref(a);
		return err;
	}
	*out = a;
	return 0;
}

int aims_status_json(json_t **out, aims_store *store)
{
	aims_catalog_list *list = NULL;
	aims_crosswalk_list *cws = NULL;
	aims_isms_info *isms = NULL;
	size_t nisms = 0;
	char digest[65];
	json_t *org = NULL, *fws = NULL, *last = NULL;
	int err;

	*out = NULL;
	if ((err = aims_org_json(&org, store)) < 0 || (err = aims_catalog_list_read(&list, store)) < 0 ||
	    (err = aims_crosswalk_list_read(&cws, store)) < 0 || (err = aims_isms_versions(&isms, &nisms, store)) < 0 ||
	    (err = aims_store_content_digest(digest, store)) < 0 || (err = frameworks_json(&fws, store, list)) < 0)
		goto done;
	if (nisms) {
		const aims_isms_info *l = &isms[nisms - 1];
		last = json_pack("{s:I, s:s, s:s, s:I}", "version", (json_int_t)l->version, "source", l->source,
				 "imported_at", l->imported_at, "rows", (json_int_t)l->rows);
	} else {
		last = json_null();
	}
	/* json_pack takes org, fws and last, also when it fails */
	*out = json_pack("{s:o, s:{s:s, s:s, s:i, s:s}, s:o, s:I, s:o}", "organization", org, "store", "backend",
			 aims_store_backend(store), "location", aims_store_location(store), "schema_version",
			 aims_store_schema_version(store), "content_digest", digest, "frameworks", fws, "crosswalks",
			 (json_int_t)cws->count, "isms", last);
	org = fws = NULL;
	err = *out ? 0 : aims__oom();
done:
	json_decref(org);
	json_decref(fws);
	aims_isms_versions_free(isms, nisms);
	aims_crosswalk_list_free(cws);
	aims_catalog_list_free(list);
	return err;
}
