/*
 * AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, A.5.2-A.5.5): a
 * structured questionnaire on the consequences of an AI system for
 * individuals, groups and society (intended use, affected groups, benefits,
 * potential harms with severity and reversibility, misuse, mitigations,
 * human oversight), read from a YAML or JSON answers file, stored as a
 * versioned record per system with its digest and an audit entry, approved
 * by a second person, and due again when the system changes significantly
 * (another model deployed, a new intended use, a new data source).
 * Questionnaire and rules: docs/risk.md.
 */
#ifndef AIMS_ASSESS_H
#define AIMS_ASSESS_H

#include <jansson.h>
#include <stddef.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *id;              /* IA-NNN */
	char *system;
	int version;           /* per system, from 1 */
	char *status;          /* draft, approved, superseded */
	char *author, *approver, *approved_at;  /* approver, approved_at NULL until approved */
	char *answers;         /* canonical JSON of the questionnaire */
	char *source;          /* the answers file as named */
	char *source_digest;   /* sha256: of its bytes */
	char *digest;          /* sha256: of the canonical answers */
	char *snapshot;        /* JSON of the system at approval: intended_use, model, data_sources; NULL before */
	char *created_at;
} aims_assessment;

void aims_assessment_free(aims_assessment *a);

/** The values a harm's level, severity and reversibility take (docs/risk.md), NULL-terminated. */
extern const char *const aims_assess_levels[];
extern const char *const aims_assess_severities[];
extern const char *const aims_assess_reversibilities[];

typedef struct {
	aims_assessment **items;
	size_t count;
} aims_assessments;

void aims_assessments_free(aims_assessments *l);

/**
 * Check the answers (every refusal names `name`, the line and the key) and
 * store them as the system's next impact assessment version, a draft
 * authored by the store's principal. *id_out may be NULL.
 */
int aims_assess_impact(char **id_out, aims_store *store, const char *system, const char *data, size_t len,
		       const char *name);

/** Check an answers file without a store (for tests and the fuzzer). */
int aims_assess_answers_check(const char *data, size_t len, const char *name);

/**
 * Approve a draft as the store's principal, who must not be its author
 * (four eyes: AIMS_EPERM naming both; AIMS_EAUTH without a principal).
 * Records the system's state (intended use, current model, its training
 * data sources) as the snapshot later changes are compared with; an
 * earlier approved version becomes superseded.
 */
int aims_assess_approve(aims_store *store, const char *id);

/**
 * The JSON of an assessment, as `aims assess list --json` shows it: {id,
 * system, version, status, author, approver, approved_at, source,
 * source_digest, digest, created_at}; with_answers adds "answers" and
 * "snapshot" (null before approval). NULL when out of memory or when the
 * stored answers are not JSON (AIMS_ETAMPERED set).
 */
json_t *aims_assessment_json(const aims_assessment *a, int with_answers);

int aims_assess_get(aims_assessment **out, aims_store *store, const char *id);

/** Assessments of a system (NULL: all), oldest first. */
int aims_assess_list(aims_assessments **out, aims_store *store, const char *system);

/**
 * Whether a system's impact assessment is due: no approved one, or the
 * system changed significantly since the approval. *reasons (owned, may be
 * NULL when not due) says why, e.g. "new model deployed (credit@1 -> credit@2)".
 */
int aims_assess_due(int *due, char **reasons, aims_store *store, const char *system);

#ifdef __cplusplus
}
#endif
#endif
