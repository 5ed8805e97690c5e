/*
 * Gap analysis from the organization's ISO/IEC 27001 ISMS state to ISO/IEC
 * 42001: for every 42001 requirement (clauses at the deepest level and the
 * 38 Annex A controls) whether the ISMS already covers it, partly covers it
 * or leaves a gap, which 27001 controls and evidence can be reused, and what
 * the AI requirement adds; and a strength-weighted readiness figure. The
 * rule, the weights and a worked example: docs/gap-analysis.md.
 */
#ifndef AIMS_GAP_H
#define AIMS_GAP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "isms.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	AIMS_GAP_GAP = 0,
	AIMS_GAP_PARTIAL = 1,
	AIMS_GAP_COVERED = 2
} aims_gap_status;

/** "gap", "partial" or "covered". */
const char *aims_gap_status_name(aims_gap_status s);

/** One 27001 requirement that the crosswalk links to a 42001 requirement. */
typedef struct {
	const char *control;        /* 27001 id, e.g. "A.8.15" or "9.2.1" */
	const char *title;          /* its title */
	const char *relationship;   /* crosswalk relationship, 27001 REL 42001 */
	const char *confidence;
	const char *explanation;
	int has_row;                /* the ISMS state has a row for it */
	int applicable;             /* the ISMS applies it (0 when excluded) */
	aims_impl_status status;    /* its implementation status (UNKNOWN without a row) */
	aims_gap_status contribution; /* what it contributes under the rule */
	double credit;              /* relationship weight x confidence weight x status weight (central
				       weights), 0 when it contributes nothing */
} aims_gap_support;

typedef struct {
	const char *id;             /* 42001 id */
	const char *kind;           /* "clause" or "control" */
	const char *title;
	const char *group;          /* clause number "4".."10", or Annex A group "A.2".."A.10" */
	aims_gap_status status;
	int applicable;             /* 0 when the 42001 SoA excludes the control */
	const aims_gap_support *supported_by;
	size_t nsupported;
	const char *const *evidence; /* reusable evidence references, deduplicated */
	size_t nevidence;
	const char *to_add;         /* what the AI requirement adds (crosswalk "adds"); may be NULL */
	const char *const *aims_evidence; /* records in aims itself that are evidence for it
					     such as "doc:ai-policy@v1" or "assessment:IA-001"; also in evidence */
	size_t naims_evidence;
	double credit;              /* its readiness credit, 0-1: the best supporting row's credit, or the
				       AIMS evidence credit when higher */
	const char *credited_by;    /* the 27001 id that gave the credit, "aims" for AIMS evidence, NULL at 0 */
} aims_gap_item;

typedef struct {
	const char *group;          /* "4" or "A.6" */
	const char *title;
	size_t requirements, covered, partial, gap, excluded;
} aims_gap_group;

/** One part of the standard: the management-system clauses (4-10) or Annex A. */
typedef struct {
	size_t requirements;        /* requirements of the part */
	size_t covered, partial, gap; /* among the applicable ones */
	size_t excluded;
	double readiness;           /* mean credit of its applicable requirements, 0-1 */
} aims_gap_part;

typedef struct {
	size_t requirements;        /* all 42001 requirements assessed */
	size_t covered, partial, gap; /* among the applicable ones */
	size_t excluded;            /* Annex A controls the 42001 SoA excludes */
	double reuse_ratio;         /* (covered + partial) / (requirements - excluded): the share touched
				       by any support, however weak */
	double readiness;           /* strength-weighted readiness: mean credit of the applicable
				       requirements under the central weights, 0-1 */
	double readiness_low, readiness_high; /* the same under the pessimistic and optimistic weights */
	aims_gap_part clauses;      /* clauses 4-10 */
	aims_gap_part annex_a;      /* Annex A controls */
} aims_gap_summary;

/** The weight sets of the readiness rule (docs/gap-analysis.md). */
typedef enum {
	AIMS_GAP_WEIGHTS_CENTRAL = 0,
	AIMS_GAP_WEIGHTS_LOW = 1,   /* pessimistic: the low end of the sensitivity range */
	AIMS_GAP_WEIGHTS_HIGH = 2   /* optimistic: the high end */
} aims_gap_weights;

/**
 * The credit one crosswalk row gives under a weight set: relationship weight
 * x confidence weight x status weight (implemented 1, partial as the set
 * says, anything else 0). -1 for an unknown relationship or confidence.
 */
double aims_gap_row_credit(aims_gap_weights set, const char *relationship, const char *confidence,
			   aims_impl_status status);

/** The credit of AIMS evidence (a record in aims itself) under a weight set. */
double aims_gap_aims_credit(aims_gap_weights set);

typedef struct aims_gap aims_gap;

/**
 * Compute the gap analysis against ISMS version `isms_version` (0 = latest).
 * Needs the iso27001-2022 and iso42001-2023 catalogs, their crosswalk, and an
 * imported ISMS state (AIMS_ENOTFOUND with a hint otherwise).
 */
int aims_gap_compute(aims_gap **out, aims_store *store, int64_t isms_version);
void aims_gap_free(aims_gap *gap);

const aims_gap_summary *aims_gap_summary_get(const aims_gap *gap);
size_t aims_gap_count(const aims_gap *gap);
const aims_gap_item *aims_gap_at(const aims_gap *gap, size_t i);
const aims_gap_item *aims_gap_find(const aims_gap *gap, const char *id);
size_t aims_gap_group_count(const aims_gap *gap);
const aims_gap_group *aims_gap_group_at(const aims_gap *gap, size_t i);
/** The ISMS version the analysis used. */
const aims_isms_info *aims_gap_isms(const aims_gap *gap);

/** A readiness figure or credit as published: rounded to 4 decimals (stable, no spurious binary digits). */
double aims_gap_round(double v);

/**
 * A share (0-1) as the whole percentage of its published value, as the text
 * output and the HTML report show it (one rounding, so they agree).
 */
int aims_gap_percent(double v);

/**
 * The gap analysis as the JSON document of `aims gap --json` and
 * GET /api/v1/gap-analysis: {"isms", "summary", "groups", "items"} (the
 * keys in aims(1)); figures rounded by aims_gap_round. NULL when out of
 * memory.
 */
json_t *aims_gap_json(const aims_gap *gap);

#ifdef __cplusplus
}
#endif
#endif
