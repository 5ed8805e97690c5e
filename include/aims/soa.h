/*
 * The ISO/IEC 42001 Statement of Applicability (6.1.3): every Annex A
 * control with its applicability, the justification for including or
 * excluding it, its implementation status, owner, and the evidence and
 * risks that justify it.
 */
#ifndef AIMS_SOA_H
#define AIMS_SOA_H

#include <jansson.h>
#include <stddef.h>
#include "gap.h"
#include "isms.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *control;        /* "A.6.2.4" */
	const char *title;
	const char *group;          /* "A.6" */
	const char *group_title;
	int decided;                /* applicability was recorded with aims_soa_set */
	int applicable;             /* 1 unless excluded (default 1) */
	const char *justification;  /* NULL when none recorded */
	aims_impl_status status;    /* UNKNOWN when not recorded */
	const char *owner;          /* may be NULL */
	const char *updated_at;     /* NULL when never set */
	int gap_status;             /* aims_gap_status from the gap analysis, -1 without ISMS state */
	const char *const *evidence; /* reusable ISMS evidence from the gap analysis */
	size_t nevidence;
	const char *const *risks;   /* ids of the risks whose treatment actions use this control */
	size_t nrisks;
} aims_soa_entry;

typedef struct aims_soa aims_soa;

/** Read the SoA: all Annex A controls of iso42001-2023, merged with the gap analysis when an ISMS state exists. */
int aims_soa_read(aims_soa **out, aims_store *store);
void aims_soa_free(aims_soa *soa);
size_t aims_soa_count(const aims_soa *soa);
const aims_soa_entry *aims_soa_at(const aims_soa *soa, size_t i);
/** The gap analysis used (NULL when no ISMS state was imported); borrowed. */
const aims_gap *aims_soa_gap(const aims_soa *soa);

/** The entry of `control`, or NULL when it is not an Annex A control of the SoA. */
const aims_soa_entry *aims_soa_find(const aims_soa *soa, const char *control);

/**
 * One control as in the JSON of `aims soa --json` and GET /api/v1/soa/{control}:
 * {"control", "title", "group", "decided", "applicable", "justification",
 * "status", "owner", "updated_at", "gap", "evidence", "risks"}. NULL when out
 * of memory.
 */
json_t *aims_soa_entry_json(const aims_soa_entry *e);

/** The whole SoA: {"framework": "iso42001-2023", "controls": [CONTROL]}. NULL when out of memory. */
json_t *aims_soa_json(const aims_soa *soa);

/** Changes for aims_soa_set; NULL / -1 fields are left as they are. */
typedef struct {
	unsigned int version;       /* AIMS_SOA_UPDATE_VERSION */
	int applicable;             /* 1, 0 or -1 */
	const char *justification;
	int status;                 /* aims_impl_status or -1 */
	const char *owner;
} aims_soa_update;

#define AIMS_SOA_UPDATE_VERSION 1
#define AIMS_SOA_UPDATE_INIT { AIMS_SOA_UPDATE_VERSION, -1, NULL, -1, NULL }

/**
 * Record applicability, justification, status or owner of one Annex A
 * control. Excluding a control needs a justification (given now or
 * recorded before). AIMS_ENOTFOUND for an id that is not a 42001 Annex A control.
 */
int aims_soa_set(aims_store *store, const char *control, const aims_soa_update *upd);

#ifdef __cplusplus
}
#endif
#endif
