/*
 * The organization's recorded facts (name, sector, country) that reports
 * use, and the status summary of a store: organization, store and schema,
 * framework catalogs, crosswalks, the latest ISMS version and the content
 * digest.
 */
#ifndef AIMS_ORG_H
#define AIMS_ORG_H

#include <jansson.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Record the facts given (NULL keeps a fact as it is), in one transaction:
 * `name` and `sector` one line of text, `country` an ISO 3166-1 alpha-2
 * code in capitals (DE). At least one must be given. A bad value is
 * AIMS_EUSAGE naming the field (aims_error_last_field()) and nothing is
 * written. Each change is an audit entry of the acting principal.
 */
int aims_org_set(aims_store *store, const char *name, const char *sector, const char *country);

/** The facts as JSON: {"name", "sector", "country"}, null when not set. */
int aims_org_json(json_t **out, aims_store *store);

/**
 * The status of the store as JSON (what `aims status --json` prints and GET
 * /api/v1/status returns): {"organization": {"name", "sector", "country"},
 * "store": {"backend", "location", "schema_version", "content_digest"},
 * "frameworks": [{"framework", "title", "version", "requirements",
 * "kinds": {KIND: COUNT}}], "crosswalks": N, "isms": {"version", "source",
 * "imported_at", "rows"} or null}.
 */
int aims_status_json(json_t **out, aims_store *store);

#ifdef __cplusplus
}
#endif
#endif
