/*
 * Internal to the gap module: the evidence for ISO/IEC 42001 requirements
 * that lives in aims itself (controlled documents, risk register, impact
 * assessments, evaluations, decision logs, datasets, inventory, EU AI Act
 * classifications), read once per analysis through the public functions of
 * the modules that keep it. The rule: docs/gap-analysis.md, "Evidence kept
 * in aims".
 */
#ifndef AIMS_GAP_INTERNAL_H
#define AIMS_GAP_INTERNAL_H

#include <stddef.h>

#include "aims/store.h"

/** One piece of evidence: 42001 requirement `req` is evidenced by record `ref`. */
typedef struct {
	char *req;      /* "6.1.2", "A.6.2.8" */
	char *ref;      /* "doc:ai-policy@v1", "assessment:IA-001", "risk-register:6 risks" */
	int operated;   /* a Check-and-Act record showing the process is operated in aims (covers; see gap.c) */
} aims__gap_ev;

typedef struct {
	aims__gap_ev *items;
	size_t count, cap;
} aims__gap_evs;

/** Whether requirement `id` is one whose process is operated in aims (9.1, 9.2.x, 9.3.x, 10.x, A.3.3,
 *  A.8.4, A.10.2, A.10.3): ISMS support alone makes it partial at most. */
int aims__gap_operated_requirement(const char *id);

/** Collect every source's evidence (each source read once). */
int aims__gap_aims_evidence(aims__gap_evs *out, aims_store *store);
void aims__gap_evs_release(aims__gap_evs *evs);

#endif
