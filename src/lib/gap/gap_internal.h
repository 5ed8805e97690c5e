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
} aims__gap_ev;

typedef struct {
	aims__gap_ev *items;
	size_t count, cap;
} aims__gap_evs;

/** Collect every source's evidence (each source read once). */
int aims__gap_aims_evidence(aims__gap_evs *out, aims_store *store);
void aims__gap_evs_release(aims__gap_evs *evs);

#endif
