/*
 * Gap analysis from the organization's ISO/IEC 27001 ISMS state to ISO/IEC
 * 42001: for every 42001 requirement (clauses at the deepest level and the
 * 38 Annex A controls) whether the ISMS already covers it, partly covers it
 * or leaves a gap, which 27001 controls and evidence can be reused, and what
 * the AI requirement adds. The rule is documented in docs/gap-analysis.md.
 */
#ifndef AIMS_GAP_H
#define AIMS_GAP_H

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
} aims_gap_item;

typedef struct {
	const char *group;          /* "4" or "A.6" */
	const char *title;
	size_t requirements, covered, partial, gap, excluded;
} aims_gap_group;

typedef struct {
	size_t requirements;        /* all 42001 requirements assessed */
	size_t covered, partial, gap; /* among the applicable ones */
	size_t excluded;            /* Annex A controls the 42001 SoA excludes */
	double reuse_ratio;         /* (covered + partial) / (requirements - excluded) */
} aims_gap_summary;

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

#ifdef __cplusplus
}
#endif
#endif
