/*
 * OSCAL 1.1.2 (NIST Open Security Controls Assessment Language) JSON
 * documents of the AI management system, for auditors and GRC tools:
 * catalogs (our ISO/IEC 42001 outline, the NIST AI RMF), the organization's
 * 42001 profile from its Statement of Applicability, a component
 * definition, a system security (AI system) plan per AI system, the
 * assessment results (gap analysis and evaluations) and a plan of action
 * and milestones (gaps and accepted risks). Every UUID is a UUIDv5 of our
 * own identifiers, so two exports of the same state are identical and
 * diffs between exports are meaningful. And the way back: an ISMS state
 * (ISO/IEC 27001) or the 42001 SoA decisions from an OSCAL profile or SSP.
 * Formats and mappings: docs/oscal.md.
 */
#ifndef AIMS_OSCAL_H
#define AIMS_OSCAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kinds of document aims_oscal_export makes, NULL-terminated:
 *  catalog, profile, component-definition, ssp, assessment-results, poam. */
extern const char *const aims_oscal_kinds[];

/** The OSCAL version of the documents: "1.1.2". */
#define AIMS_OSCAL_VERSION "1.1.2"

/** The namespace of aims' own property and part names. */
#define AIMS_OSCAL_NS "https://aims.dev/ns/oscal"

/**
 * The UUIDv5 (RFC 4122 section 4.3, SHA-1) of `name` in aims' namespace,
 * lowercase, into out (37 bytes with the NUL).
 */
int aims_oscal_uuid(char out[37], const char *name);

/**
 * The OSCAL control id (a token: a letter or '_' first) of one of our
 * requirement ids: lowercase, spaces as '-', "clause-" before an id that
 * starts with a digit ("A.6.2.4" -> "a.6.2.4", "4.1" -> "clause-4.1",
 * "GOVERN 1.1" -> "govern-1.1"). The result is allocated (aims__free /
 * free through the library's allocator: use aims_oscal_free).
 */
char *aims_oscal_control_id(const char *id);
void aims_oscal_free(void *p);

/**
 * Export one document of `kind` from the store into *out (caller decrefs).
 * `system` names the AI system: required for "ssp", a filter for
 * "assessment-results" and "poam" (NULL: every system), unused otherwise.
 * `framework` is the catalog of "catalog" (NULL: iso42001-2023).
 * AIMS_EUSAGE for an unknown kind or a missing system, AIMS_ENOTFOUND for an
 * unknown system or framework.
 */
int aims_oscal_export(json_t **out, aims_store *store, const char *kind, const char *system,
		      const char *framework);

/** What aims_oscal_import did. */
typedef struct {
	unsigned int version;      /* AIMS_OSCAL_IMPORT_RESULT_VERSION */
	const char *model;         /* "profile" or "system-security-plan" (static) */
	const char *target;        /* "isms" (an ISO/IEC 27001 ISMS state) or "soa" (42001 SoA decisions) */
	int64_t isms_version;      /* the new ISMS version (target isms) */
	size_t controls;           /* controls imported */
	size_t excluded;           /* of which excluded / not applicable */
} aims_oscal_import_result;

#define AIMS_OSCAL_IMPORT_RESULT_VERSION 1
#define AIMS_OSCAL_IMPORT_RESULT_INIT { AIMS_OSCAL_IMPORT_RESULT_VERSION, NULL, NULL, 0, 0, 0 }

/**
 * Import an OSCAL profile or SSP (JSON text of `len` bytes; `name` names it
 * in messages). Controls are found by their "label" property or their
 * control id (case-insensitive, "a.5.1", "A.5.1" and "a-5-1" alike). A
 * document whose controls are ISO/IEC 27001:2022 controls becomes a new ISMS
 * state version (as `aims isms import` of a CSV: applicability, status,
 * justification, owner, evidence); one whose controls are ISO/IEC 42001
 * Annex A controls records the SoA decisions it carries (as the profile
 * aims_oscal_export makes). The whole document is checked before anything
 * is written and everything is written in one transaction; a bad document
 * is AIMS_EINVALID naming the input and the JSON path of the field.
 */
int aims_oscal_import(aims_oscal_import_result *res, aims_store *store, const char *data, size_t len,
		      const char *name);

#ifdef __cplusplus
}
#endif
#endif
