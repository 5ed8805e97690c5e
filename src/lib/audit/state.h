/*
 * The per-object-type digest table of the state check (state.c): each
 * module that records governed objects in the ledger exposes the digest its
 * audit entries name, recomputed from the store, by calling `emit` once per
 * object (aims__state_emit in core.h). A new module adds its function here
 * and to the table in state.c.
 */
#ifndef AIMS_AUDIT_STATE_H
#define AIMS_AUDIT_STATE_H

#include "core/core.h"
#include "aims/store.h"

int aims__setting_state(aims_store *s, aims__state_emit emit, void *arg);          /* store/store.c */
int aims__framework_state(aims_store *s, aims__state_emit emit, void *arg);        /* catalog/catalog.c */
int aims__crosswalk_state(aims_store *s, aims__state_emit emit, void *arg);        /* catalog/crosswalk.c */
int aims__isms_state(aims_store *s, aims__state_emit emit, void *arg);             /* isms/isms.c */
int aims__soa_state(aims_store *s, aims__state_emit emit, void *arg);              /* gap/soa.c */
int aims__document_state(aims_store *s, aims__state_emit emit, void *arg);         /* doc/doc.c */
int aims__system_state(aims_store *s, aims__state_emit emit, void *arg);           /* inventory/system.c */
int aims__deployment_state(aims_store *s, aims__state_emit emit, void *arg);       /* inventory/system.c */
int aims__dataset_state(aims_store *s, aims__state_emit emit, void *arg);          /* inventory/dataset.c */
int aims__model_state(aims_store *s, aims__state_emit emit, void *arg);            /* inventory/model.c */
int aims__lineage_event_state(aims_store *s, aims__state_emit emit, void *arg);    /* inventory/openlineage.c */
int aims__evaluation_state(aims_store *s, aims__state_emit emit, void *arg);       /* eval/record.c */
int aims__risk_criteria_state(aims_store *s, aims__state_emit emit, void *arg);    /* risk/risk.c */
int aims__risk_state(aims_store *s, aims__state_emit emit, void *arg);             /* risk/risk.c */
int aims__assessment_state(aims_store *s, aims__state_emit emit, void *arg);       /* risk/assess.c */
int aims__aiact_state(aims_store *s, aims__state_emit emit, void *arg);            /* risk/aiact_store.c */
int aims__decision_log_state(aims_store *s, aims__state_emit emit, void *arg);     /* ledger/decision.c */
int aims__decision_head_state(aims_store *s, aims__state_emit emit, void *arg);    /* ledger/decision.c */
int aims__pdca_state(aims_store *s, aims__state_emit emit, void *arg);             /* pdca/record.c */
int aims__gate_check_state(aims_store *s, aims__state_emit emit, void *arg);       /* oversight/gate.c */
int aims__account_state(aims_store *s, aims__state_emit emit, void *arg);          /* auth/account.c */
int aims__token_state(aims_store *s, aims__state_emit emit, void *arg);            /* auth/session.c */
int aims__oversight_report_state(aims_store *s, aims__state_emit emit, void *arg); /* oversight/review.c */
int aims__policy_state(aims_store *s, aims__state_emit emit, void *arg);           /* policy/policy.c */
int aims__gate_state(aims_store *s, aims__state_emit emit, void *arg);             /* oversight/gate.c */
int aims__gate_exception_state(aims_store *s, aims__state_emit emit, void *arg);   /* oversight/gate.c */
int aims__review_queue_state(aims_store *s, aims__state_emit emit, void *arg);     /* oversight/review.c */

#endif
