/*
 * The organization's ISO/IEC 27001 ISMS state: its Statement of
 * Applicability (Annex A controls) and, optionally, the state of the
 * management-system clauses 4-10, imported from CSV. Each import is a new
 * version; earlier versions stay readable.
 */
#ifndef AIMS_ISMS_H
#define AIMS_ISMS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Implementation status of a control. */
typedef enum {
	AIMS_STATUS_UNKNOWN = 0,     /* no row for the control */
	AIMS_STATUS_NOT_IMPLEMENTED,
	AIMS_STATUS_PLANNED,
	AIMS_STATUS_PARTIAL,
	AIMS_STATUS_IMPLEMENTED
} aims_impl_status;

/** "implemented", "partial", "planned", "not-implemented" or "unknown". */
const char *aims_impl_status_name(aims_impl_status s);
/** Parse a status name; -1 if unknown. */
int aims_impl_status_parse(const char *name);

typedef struct {
	const char *control;       /* "A.5.1" or a clause "9.2.1" */
	int applicable;            /* 1 or 0 */
	aims_impl_status status;   /* NOT_IMPLEMENTED for excluded controls */
	const char *justification; /* may be NULL */
	const char *owner;         /* may be NULL */
	const char **evidence;     /* references */
	size_t nevidence;
	size_t line;               /* line in the imported file */
} aims_isms_control;

typedef struct aims_isms aims_isms;

typedef struct {
	int64_t version;
	const char *framework;     /* "iso27001-2022" */
	const char *imported_at;
	const char *source;        /* file name as given */
	const char *digest;        /* SHA-256 of the file */
	size_t rows;
} aims_isms_info;

/**
 * Import an ISMS state file (CSV with the columns control, applicable,
 * status, justification, owner, evidence; header names case-insensitive;
 * evidence references separated by ';'). Every row is checked against the
 * iso27001-2022 catalog in the store before anything is written; a bad row
 * is refused with file, line and field and the store is left untouched.
 * On success the state becomes a new version; *version (may be NULL) gets it.
 */
int aims_isms_import(aims_store *store, const char *path, int64_t *version);

/** Same, from memory; `name` names the input in messages. */
int aims_isms_import_mem(aims_store *store, const char *data, size_t len, const char *name,
			 int64_t *version);

/** Read version `version` (0 = latest). AIMS_ENOTFOUND if there is none. */
int aims_isms_read(aims_isms **out, aims_store *store, int64_t version);
void aims_isms_free(aims_isms *isms);

const aims_isms_info *aims_isms_info_get(const aims_isms *isms);
size_t aims_isms_count(const aims_isms *isms);
const aims_isms_control *aims_isms_at(const aims_isms *isms, size_t i);
/** The row for a control id, or NULL if the file had none. */
const aims_isms_control *aims_isms_find(const aims_isms *isms, const char *control);

/** All imported versions, oldest first. Free with aims_isms_versions_free(). */
int aims_isms_versions(aims_isms_info **out, size_t *count, aims_store *store);
void aims_isms_versions_free(aims_isms_info *list, size_t count);

/**
 * The JSON of one row: {"control", "applicable", "status", "justification",
 * "owner", "evidence": [REF], "line"}; justification and owner are null when
 * empty. NULL when out of memory.
 */
json_t *aims_isms_control_json(const aims_isms_control *r);

/** The JSON of a version's facts: {"version", "framework", "imported_at", "source", "digest", "rows"}. */
json_t *aims_isms_info_json(const aims_isms_info *info);

/**
 * The JSON of an ISMS version (what `aims isms show --json` prints and GET
 * /api/v1/isms returns): its facts, "controls": [ROW] in file order and
 * "summary": {"implemented", "partial", "planned", "not-implemented",
 * "excluded", "missing": [CONTROL]}: rows per status (excluded rows count as
 * excluded whatever their status) and the controls of `cat` (the
 * iso27001-2022 catalog) without a row. NULL when out of memory.
 */
json_t *aims_isms_json(const aims_isms *isms, const aims_catalog *cat);

#ifdef __cplusplus
}
#endif
#endif
