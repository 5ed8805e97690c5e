/*
 * AI risk management (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3; EU AI Act
 * Art. 9): versioned risk criteria (scales, score function, appetite and
 * tolerance), a risk register per AI system with a taxonomy of AI risk
 * categories, treatment options and actions linked to 42001 Annex A
 * controls, residual scores, reviews, explicit acceptance by the risk owner
 * with a snapshot that a material change invalidates, a starter library,
 * heat maps and an HTML report. Every write appends an audit entry in the
 * same transaction. Rules: docs/risk.md.
 */
#ifndef AIMS_RISK_H
#define AIMS_RISK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- criteria ---- */

typedef struct {
	int version;           /* 0: the built-in defaults, never stored */
	int likelihood_max;    /* scale 1..likelihood_max (2-10) */
	int impact_max;        /* scale 1..impact_max (2-10) */
	char score_fn[8];      /* product | sum | max */
	int appetite;          /* scores up to this are accepted as a matter of course */
	int tolerance;         /* scores above this need the owner's explicit acceptance */
	char digest[72];       /* sha256: of the canonical criteria */
	char created_at[32];
	char actor[128];
} aims_risk_criteria;

/** The current criteria (the latest stored version, else the defaults: 5 x 5, product, appetite 4, tolerance 9). */
int aims_risk_criteria_get(aims_risk_criteria *out, aims_store *store);

/** Score of likelihood and impact under the criteria. */
int aims_risk_score(const aims_risk_criteria *c, int likelihood, int impact);

/**
 * Record new criteria as the next version (audit entry). Scores of existing
 * risks are recomputed in the same transaction; values outside new scales
 * are refused (AIMS_ECONFLICT naming the risk). Invalid values: AIMS_EINVALID.
 * `note` may be NULL. *version_out may be NULL.
 */
int aims_risk_criteria_set(int *version_out, aims_store *store, const aims_risk_criteria *c, const char *note);

/**
 * The JSON of criteria, as `aims risk criteria --json` and GET
 * /api/v1/risk-criteria show it: {version, likelihood_max, impact_max,
 * score, appetite, tolerance, digest, created_at, actor} (the last two null
 * for the built-in defaults). NULL when out of memory.
 */
json_t *aims_risk_criteria_json(const aims_risk_criteria *c);

/** Every stored criteria version, oldest first; *count may be 0. Free with aims__free-compatible free(). */
int aims_risk_criteria_versions(aims_risk_criteria **out, size_t *count, aims_store *store);
void aims_risk_criteria_versions_free(aims_risk_criteria *v);

/* ---- taxonomy ---- */

typedef struct {
	const char *id;        /* bias-fairness, data-drift, ... */
	const char *title;
	const char *source;    /* "AI risk taxonomy" or "ISO/IEC 42001 Annex C risk source" */
} aims_risk_category;

size_t aims_risk_category_count(void);
const aims_risk_category *aims_risk_category_at(size_t i);
const aims_risk_category *aims_risk_category_find(const char *id);

/** Treatment options (ISO/IEC 42001 6.1.3, ISO 31000): modify, avoid, share, retain; NULL-terminated. */
extern const char *const aims_risk_treatments[];

/* ---- the register ---- */

typedef struct {
	char *control;         /* iso42001-2023 Annex A control id, e.g. A.6.2.4 */
	char *action;
} aims_risk_action;

typedef struct {
	int seq;
	char *accepted_by;
	char *accepted_at;
	char *note;
	char *snapshot;        /* canonical JSON of the risk as accepted */
	char *digest;
	char *invalidated_at;  /* NULL while not invalidated by a write */
	char *invalidated_by;  /* comma list: score, treatment, model */
	int valid;             /* computed on read: snapshot equals the risk now */
	char *changed;         /* computed on read: what differs ("score,model"), NULL when valid */
} aims_risk_acceptance;

typedef struct {
	char *id;              /* RISK-NNN */
	char *system;
	char *title;
	char *category;
	char *description;     /* NULL if none */
	char *owner;
	int likelihood, impact, score;
	char *treatment;       /* NULL while untreated */
	int res_likelihood, res_impact, res_score;  /* 0 when no residual estimate */
	char *review_date;     /* YYYY-MM-DD or NULL */
	char *source;          /* manual | library:KEY */
	char *created_at, *updated_at;
	aims_risk_action *actions;
	size_t nactions;
	aims_risk_acceptance *acceptance;  /* the latest acceptance, NULL if never accepted */
	char *model;           /* the system's current model now (NAME@VER), NULL if none */
	int effective_score;   /* residual when estimated, else inherent */
	const char *status;    /* open, treated, awaiting acceptance, accepted */
	int above_tolerance;
	int criteria_version;
} aims_risk;

void aims_risk_free(aims_risk *r);

typedef struct {
	aims_risk **items;
	size_t count;
} aims_risks;

void aims_risks_free(aims_risks *l);

typedef struct {
	unsigned int version;  /* AIMS_RISK_NEW_VERSION */
	const char *system;    /* an inventory AI system (required) */
	const char *title;     /* required, one line */
	const char *category;  /* a taxonomy id (required) */
	const char *description;
	const char *owner;     /* required: a principal (an account of the store or os:LOGIN) */
	int likelihood, impact;
	const char *review_date; /* YYYY-MM-DD; NULL = none */
	const char *source;    /* NULL = "manual" */
} aims_risk_new_opts;

#define AIMS_RISK_NEW_VERSION 1
#define AIMS_RISK_NEW_INIT { AIMS_RISK_NEW_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }

/** Add a risk; *id_out (may be NULL) receives its id. */
int aims_risk_add(char **id_out, aims_store *store, const aims_risk_new_opts *o);

/** Read one risk with its actions and acceptance, status computed now. */
int aims_risk_get(aims_risk **out, aims_store *store, const char *id);

/** Risks of a system (NULL: all), by id. */
int aims_risk_list(aims_risks **out, aims_store *store, const char *system);

/** How many risks a system (NULL: all) has in the register, and how many of them have a treatment. */
typedef struct {
	size_t risks;
	size_t treated;
} aims_risk_counts;

/** The counts alone, without reading every risk (what the gap analysis needs). */
int aims_risk_count(aims_risk_counts *out, aims_store *store, const char *system);

/**
 * The JSON of a risk, as `aims risk show --json` and GET /api/v1/risks/{id}
 * show it (docs/risk.md): each treatment action carries the ISO/IEC 27001
 * controls and EU AI Act articles its 42001 control maps to, read from the
 * store's crosswalks. NULL with the error set when that read fails.
 */
json_t *aims_risk_json(const aims_risk *r, aims_store *store);

typedef struct {
	unsigned int version;    /* AIMS_RISK_SET_VERSION */
	const char *title;       /* NULL = unchanged */
	const char *description; /* NULL = unchanged; "" removes it */
	const char *category;    /* NULL = unchanged; a taxonomy id */
	const char *owner;       /* NULL = unchanged; a principal (aims_principal_check_name) */
	const char *review_date; /* NULL = unchanged; YYYY-MM-DD */
} aims_risk_set_opts;

#define AIMS_RISK_SET_VERSION 1
#define AIMS_RISK_SET_INIT { AIMS_RISK_SET_VERSION, NULL, NULL, NULL, NULL, NULL }

/**
 * Change the title, description, category, owner or review date of a risk
 * (an 'update' audit entry). The owner must be a principal; this is how a
 * risk whose owner is still the free text of an older version gets an
 * account owner (docs/risk.md). Scores, treatment and acceptance are not
 * touched. *changed (may be NULL) is 0 when every value given equals the
 * current one (then nothing is written).
 */
int aims_risk_set(int *changed, aims_store *store, const char *id, const aims_risk_set_opts *o);

typedef struct {
	unsigned int version;  /* AIMS_RISK_TREAT_VERSION */
	const char *option;    /* modify | avoid | share | retain (required) */
	const char *const *controls;   /* Annex A control per action */
	const char *const *actions;    /* action text per control */
	size_t nactions;
	int res_likelihood, res_impact;  /* 0 = no residual estimate */
} aims_risk_treat_opts;

#define AIMS_RISK_TREAT_VERSION 1
#define AIMS_RISK_TREAT_INIT { AIMS_RISK_TREAT_VERSION, NULL, NULL, NULL, 0, 0, 0 }

/**
 * Record (or replace) the treatment: option, actions (each control checked
 * against the stored iso42001-2023 catalog, Annex A controls only) and the
 * residual estimate. A material change invalidates a standing acceptance.
 */
int aims_risk_treat(aims_store *store, const char *id, const aims_risk_treat_opts *o);

/**
 * The risk owner accepts the risk as it is now: the store's principal must
 * be the principal named as the risk's owner (AIMS_EPERM otherwise, naming
 * both; AIMS_EAUTH without a principal). The snapshot (canonical JSON:
 * scores, treatment, actions, the system's current model, criteria
 * version) and its digest are stored.
 */
int aims_risk_accept(aims_store *store, const char *id, const char *note);

typedef struct {
	unsigned int version;  /* AIMS_RISK_REVIEW_VERSION */
	int likelihood, impact;  /* 0 = unchanged */
	int res_likelihood, res_impact;  /* 0 = unchanged */
	const char *next_review; /* YYYY-MM-DD; NULL = unchanged */
	const char *note;
} aims_risk_review_opts;

#define AIMS_RISK_REVIEW_VERSION 1
#define AIMS_RISK_REVIEW_INIT { AIMS_RISK_REVIEW_VERSION, 0, 0, 0, 0, NULL, NULL }

/** Record a review by the store's actor, optionally re-scoring (material change rules apply). */
int aims_risk_review(aims_store *store, const char *id, const aims_risk_review_opts *o);

/** Crosswalk view of an Annex A control: 27001 controls and AI Act articles one hop away. */
int aims_risk_control_links(char ***iso27001, size_t *n27, char ***aiact, size_t *nact, aims_store *store,
			    const char *control);
void aims_risk_strings_free(char **v, size_t n);

/** The starter library: typical AI risks per category, in our own words. */
typedef struct {
	const char *key;
	const char *category;
	const char *title;
	const char *description;
	int likelihood, impact;   /* suggested on a 5 x 5 scale, scaled to the criteria */
	const char *control;      /* a suggested Annex A control */
} aims_risk_template;

size_t aims_risk_library_count(void);
const aims_risk_template *aims_risk_library_at(size_t i);

/**
 * Add the library's risks (those of `category`, or all when NULL) to a
 * system with `owner` (a principal, as for aims_risk_add); entries already
 * added from the library are skipped.
 * *added (may be NULL) receives the count. One transaction.
 */
int aims_risk_library_add(size_t *added, aims_store *store, const char *system, const char *category,
			  const char *owner);

/* ---- heat map and report ---- */

/** A heat map of the risks as SVG: counts per (likelihood, impact) cell; residual = 1 uses residual scores. */
int aims_risk_heatmap_svg(aims_buf *out, const aims_risks *risks, const aims_risk_criteria *c, int residual);

/** The risk report (HTML, self-contained): heat maps, register, treatments with crosswalks, acceptances. */
int aims_risk_report_html(aims_buf *out, aims_store *store, const char *system);

#ifdef __cplusplus
}
#endif
#endif
