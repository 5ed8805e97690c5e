/*
 * EU AI Act (Regulation (EU) 2024/1689) classification of an AI system from
 * a fixed set of answers: the tier (Art. 2 out of scope, Art. 5 prohibited,
 * Art. 6 high-risk, Art. 50 transparency, minimal), the articles and annex
 * points that decided it, the obligations for the organization's role
 * (provider, deployer, product manufacturer, importer, distributor,
 * authorised representative), each with the date from which it applies
 * (Art. 113), whether a fundamental rights impact assessment (Art. 27) is
 * needed, and, for an Art. 6(3) exemption, the Art. 6(4) and 49(2) duties.
 * Classifications are stored per system with versions; their obligations
 * become trackable items with status and evidence. The Art. 27 template and
 * the Annex IV pack are built from the store. Rules and sources:
 * docs/aiact.md.
 */
#ifndef AIMS_AIACT_H
#define AIMS_AIACT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AIMS_AIACT_MAX_WARNINGS 4

/**
 * The answers (keys exactly as in answers files; docs/aiact.md lists each
 * with the article it decides). Enumerated values point at the static
 * strings of the tables below; booleans are 0 or 1.
 */
typedef struct {
	const char *role;                  /* provider, deployer, both, product-manufacturer, importer,
					      distributor, authorised-representative */
	const char *art2_exclusion;        /* none, military-defence-national-security (Art. 2(3)),
					      scientific-research (2(6)), pre-market-research (2(8)) */
	const char *prohibited_practice;   /* none or an Art. 5(1) practice */
	int annex_i_safety_component;      /* Art. 6(1) */
	int annex_i_section_b;             /* the product is under Annex I Section B (Art. 2(2)) */
	const char *annex_iii_area;        /* none or a point: 1(a) ... 8(b), 2 */
	const char *art6_3_exemption;      /* none, narrow-procedural-task, improves-human-activity,
					      detects-decision-patterns, preparatory-task */
	int profiling;
	int interacts_with_natural_persons; /* Art. 50(1) */
	int generates_synthetic_content;   /* Art. 50(2) */
	int emotion_recognition;           /* Annex III 1(c), Art. 50(3) */
	const char *biometric_categorisation; /* none, sensitive-attributes (Annex III 1(b)), other (Art. 50(3)) */
	int deep_fake;                     /* Art. 50(4) */
	int gpai;                          /* the organization provides a general-purpose AI model (Art. 53) */
	int systemic_risk;                 /* Art. 51, 55 */
	int gpai_open_source;              /* released under a free and open-source licence, weights public (Art. 53(2)) */
	int builds_on_third_party_gpai;    /* the system is built on another provider's model (Art. 25(4), 53) */
	int free_open_source_licence;      /* the AI system is released under such a licence (Art. 2(12)) */
	int public_authority;              /* deployer is a public authority or Union body, or acts for one (Art. 26(8), 49(3)) */
	int provides_public_service;       /* deployer is a body governed by public law or a private entity providing
					      public services (Art. 27(1)) */
	int affects_workers;               /* deployer, as employer, uses it at the workplace (Art. 26(7)) */
	int law_enforcement_or_migration;  /* used in law enforcement, migration, asylum or border control
					      management (Art. 49(4) for an Annex III point 1 system) */
	int format;                        /* 1: a version 1 file (with public_body_or_public_service), 2: a file
					      without law_enforcement_or_migration, 3: current */
	char warnings[AIMS_AIACT_MAX_WARNINGS][400]; /* what an older file could not decide */
	size_t nwarnings;
} aims_aiact_answers;

/** Allowed values, NULL-terminated. */
extern const char *const aims_aiact_roles[];
extern const char *const aims_aiact_practices[];      /* "none" first */
extern const char *const aims_aiact_annex_iii_points[]; /* "none" first */
extern const char *const aims_aiact_exemptions[];     /* "none" first */
extern const char *const aims_aiact_exclusions[];     /* "none" first */
extern const char *const aims_aiact_biometric_categorisations[]; /* "none" first */

/** The keys of the current answers format, and of version 1 files, NULL-terminated. */
extern const char *const aims_aiact_answer_keys[];
extern const char *const aims_aiact_answer_keys_v1[];

/**
 * Parse an answers file (YAML, or JSON when it starts with '{'). In the
 * current format every key of aims_aiact_answer_keys is required, except
 * that a file without law_enforcement_or_migration (the last key) is a
 * version 2 file: it takes the documented default (true for Annex III points
 * 6 and 7, false otherwise), with a warning where the answer would decide
 * Art. 49(4) (an Annex III point 1 system). A file
 * with the version 1 key public_body_or_public_service or
 * emotion_recognition_or_biometric_categorisation is a version 1 file:
 * exactly the 13 version 1 keys, the newer questions taking the documented
 * defaults, with warnings in out->warnings for what it cannot decide. In
 * both, an unknown key, a missing one, a wrong type or a value not in the
 * list is AIMS_EINVALID naming `name`, the line and the key; so are
 * combinations the Act excludes (systemic_risk without gpai, an Art. 6(3)
 * exemption without an Annex III point, ...).
 */
int aims_aiact_answers_parse(aims_aiact_answers *out, const char *data, size_t len, const char *name);

/** One obligation. Strings are static. */
typedef struct {
	const char *key;          /* stable id, e.g. "art9-risk-management" */
	const char *article;      /* e.g. "Article 6(4)" */
	const char *requirement;  /* the eu-ai-act-2024 catalog id, e.g. "Article 6" */
	const char *role;         /* provider, deployer, both (providers and deployers), operator (every
				     role), importer, distributor or authorised-representative */
	const char *description;  /* our own short summary */
} aims_aiact_obligation;

/** The dates of Art. 113 from which provisions apply. */
#define AIMS_AIACT_DATE_CH_I_II   "2025-02-02"  /* Art. 113(a): Chapters I and II (Arts. 1-5) */
#define AIMS_AIACT_DATE_GPAI      "2025-08-02"  /* Art. 113(b): Chapter V (general-purpose AI models) */
#define AIMS_AIACT_DATE_GENERAL   "2026-08-02"  /* Art. 113: the rest, Annex III high-risk included */
#define AIMS_AIACT_DATE_ART6_1    "2027-08-02"  /* Art. 113(c): Art. 6(1) and its obligations */

typedef struct {
	const char *tier;               /* out-of-scope, prohibited, high-risk, limited-risk, minimal-risk */
	char **basis;                   /* articles and annex points that decided it, owned */
	size_t nbasis;
	const aims_aiact_obligation **obligations; /* for the role, in article order */
	const char **applies_from;      /* per obligation: the Art. 113 date it applies from (static) */
	size_t nobligations;
	int fria_required;
	const char *exemption;          /* the Art. 6(3) point applied ("Article 6(3)(a)"), or NULL */
	const aims_aiact_obligation **exemption_duties; /* Art. 6(4), 49(2) when an exemption applies */
	size_t nexemption_duties;
	char **notes;                   /* what the result means beyond its obligations, owned */
	size_t nnotes;
	char **warnings;                /* copied from the answers (version 1 files), owned */
	size_t nwarnings;
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
	char *applies_from;   /* YYYY-MM-DD (Art. 113); NULL only for a row no classification dated */
} aims_aiact_item;

typedef struct {
	aims_aiact_item *items;
	size_t count;
} aims_aiact_items;

void aims_aiact_items_free(aims_aiact_items *list);

/** The obligations of a system (NULL: all), active first then by id. */
int aims_aiact_items_read(aims_aiact_items **out, aims_store *store, const char *system, int include_inactive);

/**
 * Whether an obligation that applies from `applies_from` (YYYY-MM-DD)
 * applies on `on` (YYYY-MM-DD; NULL = today, UTC): *applies 1 or 0.
 * AIMS_EINVALID naming the date when either is not a date.
 */
int aims_aiact_applies_on(int *applies, const char *applies_from, const char *on);

/** Today's date, UTC, as YYYY-MM-DD. */
void aims_aiact_today(char out[16]);

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

/* ---- JSON (the documents of `aims aiact ... --json` and of the API) ---- */

/**
 * A tracked obligation: {"id", "system", "key", "article", "requirement",
 * "role", "description", "status", "evidence": [REF], "note", "active",
 * "updated_at", "applies_from"}. NULL when out of memory.
 */
json_t *aims_aiact_item_json(const aims_aiact_item *it);

/**
 * A stored classification: {"system", "version"}, the keys of its result
 * (tier, basis, obligations with the "id" and "status" of their tracked
 * items from `items`, fria_required, exemption, notes, warnings),
 * "answers", "digest" and "classified_at". NULL when its stored JSON does
 * not load or out of memory.
 */
json_t *aims_aiact_record_json(const aims_aiact_record *rec, const aims_aiact_items *items);

#ifdef __cplusplus
}
#endif
#endif
