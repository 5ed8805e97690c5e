/*
 * EU AI Act (Regulation (EU) 2024/1689) classification of an AI system from
 * a fixed set of answers: the tier (Art. 5 prohibited, Art. 6 high-risk,
 * Art. 50 transparency, minimal), the articles and annex points that
 * decided it, the obligations for the organization's role, whether a
 * fundamental rights impact assessment (Art. 27) is needed, and, for an
 * Art. 6(3) exemption, the Art. 6(4) and 49(2) duties. Classifications are
 * stored per system with versions; their obligations become trackable items
 * with status and evidence. The Art. 27 template and the Annex IV pack are
 * built from the store. Rules and sources: docs/aiact.md.
 */
#ifndef AIMS_AIACT_H
#define AIMS_AIACT_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The answers (keys exactly as in answers files). Enumerated values point at
 * the static strings of the tables below; booleans are 0 or 1.
 */
typedef struct {
	const char *role;                  /* provider, deployer, both */
	const char *prohibited_practice;   /* none or an Art. 5(1) practice */
	int annex_i_safety_component;
	const char *annex_iii_area;        /* none or a point: 1(a) ... 8(b), 2 */
	const char *art6_3_exemption;      /* none, narrow-procedural-task, improves-human-activity,
					      detects-decision-patterns, preparatory-task */
	int profiling;
	int interacts_with_natural_persons;
	int generates_synthetic_content;
	int emotion_recognition_or_biometric_categorisation;
	int deep_fake;
	int gpai;
	int systemic_risk;
	int public_body_or_public_service;
} aims_aiact_answers;

/** Allowed values, NULL-terminated. */
extern const char *const aims_aiact_roles[];
extern const char *const aims_aiact_practices[];      /* "none" first */
extern const char *const aims_aiact_annex_iii_points[]; /* "none" first */
extern const char *const aims_aiact_exemptions[];     /* "none" first */

/**
 * Parse an answers file (YAML, or JSON when it starts with '{'). Every key
 * is required; an unknown key, a missing one, a wrong type or a value not in
 * the list is AIMS_EINVALID naming `name`, the line and the key. `systemic_risk:
 * true` needs `gpai: true`.
 */
int aims_aiact_answers_parse(aims_aiact_answers *out, const char *data, size_t len, const char *name);

/** One obligation. Strings are static. */
typedef struct {
	const char *key;          /* stable id, e.g. "art9-risk-management" */
	const char *article;      /* e.g. "Article 6(4)" */
	const char *requirement;  /* the eu-ai-act-2024 catalog id, e.g. "Article 6" */
	const char *role;         /* provider, deployer or both */
	const char *description;  /* our own short summary */
} aims_aiact_obligation;

typedef struct {
	const char *tier;               /* prohibited, high-risk, limited-risk, minimal-risk */
	char **basis;                   /* articles and annex points that decided it, owned */
	size_t nbasis;
	const aims_aiact_obligation **obligations; /* for the role, in article order */
	size_t nobligations;
	int fria_required;
	const char *exemption;          /* the Art. 6(3) point applied ("Article 6(3)(a)"), or NULL */
	const aims_aiact_obligation **exemption_duties; /* Art. 6(4), 49(2) when an exemption applies */
	size_t nexemption_duties;
} aims_aiact_result;

/** Classify (a pure function of the answers). Free with aims_aiact_result_release. */
int aims_aiact_classify(aims_aiact_result *out, const aims_aiact_answers *answers);
void aims_aiact_result_release(aims_aiact_result *r);

/** The whole obligation table (every key the classifier can produce), for checks. */
size_t aims_aiact_obligation_count(void);
const aims_aiact_obligation *aims_aiact_obligation_at(size_t i);

/* ---- stored classifications and obligations ---- */

typedef struct {
	char *system;
	int version;
	char *tier;
	int fria_required;
	char *answers;        /* canonical JSON */
	char *result;         /* canonical JSON: {tier, basis, obligations, fria_required, exemption, ...} */
	char *digest;         /* sha256: of answers + result */
	char *actor;
	char *classified_at;
} aims_aiact_record;

void aims_aiact_record_free(aims_aiact_record *r);

/**
 * Classify the inventory system `system` (AIMS_ENOTFOUND if unknown) and
 * store the result as its next classification version, in one transaction
 * with its audit entry; obligations of the result become tracked items
 * (existing ones keep their status and evidence; ones no longer needed are
 * marked inactive). *out (may be NULL) receives the stored record.
 */
int aims_aiact_store(aims_aiact_record **out, aims_store *store, const char *system,
		     const aims_aiact_answers *answers);

/** The latest classification of a system (version 0) or a given version. */
int aims_aiact_read(aims_aiact_record **out, aims_store *store, const char *system, int version);

/** One tracked obligation. */
typedef struct {
	char *id;             /* OBL-NNN */
	char *system;
	char *key;
	char *article;
	char *requirement;
	char *role;
	char *description;
	char *status;         /* open, in-progress, met, not-applicable */
	char **evidence;      /* references */
	size_t nevidence;
	char *note;
	int active;
	char *updated_at;
} aims_aiact_item;

typedef struct {
	aims_aiact_item *items;
	size_t count;
} aims_aiact_items;

void aims_aiact_items_free(aims_aiact_items *list);

/** The obligations of a system (NULL: all), active first then by id. */
int aims_aiact_items_read(aims_aiact_items **out, aims_store *store, const char *system, int include_inactive);

/** Changes for aims_aiact_item_set. NULL / 0 leave a field as it is. */
typedef struct {
	unsigned int version;       /* AIMS_AIACT_SET_VERSION */
	const char *status;
	const char *const *add_evidence;
	size_t nadd;
	const char *note;
} aims_aiact_set_opts;

#define AIMS_AIACT_SET_VERSION 1
#define AIMS_AIACT_SET_INIT { AIMS_AIACT_SET_VERSION, NULL, NULL, 0, NULL }

/**
 * Update an obligation's status, evidence and note (audit entry). "met"
 * needs at least one evidence reference (AIMS_ECONFLICT otherwise).
 */
int aims_aiact_item_set(aims_store *store, const char *id, const aims_aiact_set_opts *opts);

/**
 * The fundamental rights impact assessment template (Art. 27(1) (a)-(f))
 * for a system as Markdown, filled with what the store knows. AIMS_ECONFLICT
 * when the latest classification does not require one and `force` is 0;
 * AIMS_ENOTFOUND when the system has no classification.
 */
int aims_aiact_fria(aims_buf *out, aims_store *store, const char *system, int force);

/** Counts of an Annex IV pack. */
typedef struct {
	size_t items, found, missing;
} aims_aiact_annex_iv_stats;

/**
 * The Annex IV technical documentation pack of a system as one
 * self-contained HTML page: the nine sections, each item marked found (with
 * what the store holds) or missing. `stats` may be NULL.
 */
int aims_aiact_annex_iv_html(aims_buf *out, aims_aiact_annex_iv_stats *stats, aims_store *store,
			     const char *system);

#ifdef __cplusplus
}
#endif
#endif
