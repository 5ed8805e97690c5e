/*
 * Internal helpers of the inventory module: copies of columns, sequence
 * numbers, canonical digests, lineage nodes and edges, references.
 */
#ifndef AIMS_INVENTORY_INTERNAL_H
#define AIMS_INVENTORY_INTERNAL_H

#include <jansson.h>

#include "aims/inventory.h"
#include "aims/op.h"
#include "core/core.h"
#include "store/store_internal.h"

/* a copy of s (NULL stays NULL); 0 or AIMS_ENOMEM */
int aims__inv_dup(char **out, const char *s);


/* one integer from a query without parameters or with one text parameter (may be NULL) */
int aims__inv_int(int64_t *out, aims_store *store, const char *sql, const char *arg);

/* "sha256:<hex>" of the canonical JSON (sorted keys, compact) of obj */
int aims__inv_json_digest(char out[72], json_t *obj);

/* canonical JSON text of obj (sorted keys, compact); caller frees with aims__free */
int aims__inv_json_canon(char **out, json_t *obj);

/* json string or null */
json_t *aims__inv_jstr(const char *s);

/* lineage nodes and edges */
int aims__inv_node_key(char **key, const char *type, const char *ns, const char *name, const char *version);
int aims__inv_node(char **key, aims_store *store, const char *type, const char *ns, const char *name,
		   const char *version);
int aims__inv_edge(aims_store *store, const char *src, const char *relation, const char *dst);

/* the canonical reference of a node: "dataset:NS#NAME@VER", "model:NAME@VER", "run:ID", ... */
int aims__inv_node_ref(char **ref, const char *type, const char *ns, const char *name, const char *version);

/* split "NAME@VERSION" (both non-empty); *name, *version owned by the caller */
int aims__inv_split_ref(char **name, char **version, const char *ref, int version_required, const char *what);

/* resolve a reference to a node key (and its parts, each may be NULL) */
int aims__inv_resolve(char **key, aims_store *store, const char *ref);

/* a dataset reference -> its (ns, name, version) as stored */
int aims__inv_dataset_find(char **ns, char **name, char **version, aims_store *store, const char *ref);

/* a model reference -> (name, version) as stored */
int aims__inv_model_find(char **name, char **version, aims_store *store, const char *ref);

/* text fields: single line <= 1024 (0) or multi-line <= 64 KiB (1) */
int aims__inv_check_text(const char *field, const char *s, int multiline);

/* normalize an ISO 8601 / RFC 3339 time with offset to "YYYY-MM-DDTHH:MM:SS.ffffffZ" */
int aims__inv_time_norm(char out[32], const char *s);

/* a name or version: 1..max printable characters without spaces, '@' or '#' */
int aims__inv_check_id(const char *what, const char *s, size_t max);

/* insert (create) or update a dataset row with its node; audit entry when action is set */
int aims__inv_dataset_write(aims_store *store, aims_dataset *d, int create, const char *action, const char *prev);

/* models: load by exact name and version; write a row; the record digest; make sure a run
 * row exists for a run id (its details come with the run's own events or registration) */
int aims__inv_model_load(aims_model **out, aims_store *store, const char *name, const char *version);
int aims__inv_model_write(aims_store *store, aims_model *m, int create, int replace_files, const char *action,
			  const char *prev);
int aims__inv_model_digest(char out[72], const aims_model *m);
int aims__inv_run_touch(char **key, aims_store *store, const char *id, const char *origin);
/* a run id as stored and compared: ASCII lower case (run ids are case-insensitive); *out: aims__free */
int aims__inv_run_id(char **out, const char *id);

/* the manifest digest of an artifact's files (their in-toto subject list), as aims_artifact_hash computes it */
int aims__inv_artifact_manifest(char out[72], const aims_artifact *a);

/* operations: the verdict of aims_dataset_verify/aims_model_verify (err) as the response document
 * {KEY: ref, "verified", "digest"[, "files"][, "error"]}; a difference is the outcome AIMS_ETAMPERED */
int aims__inv_verify_doc(aims_op_result *res, int err, const char *key, const char *ref, const aims_artifact *art,
			 int files);

#endif
