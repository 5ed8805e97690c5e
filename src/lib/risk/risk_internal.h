/*
 * Internal helpers shared by the files of the risk module (risk register,
 * library, reports, impact assessments, EU AI Act). Not public API.
 */
#ifndef AIMS_RISK_INTERNAL_H
#define AIMS_RISK_INTERNAL_H

#include "aims/risk.h"
#include "store/store_internal.h"

/* copy a text column (NULL stays NULL) */
/* 1 when s is a valid YYYY-MM-DD date */
int aims__risk_date_ok(const char *s);
/* one line of printable text, not empty, at most max bytes; AIMS_EINVALID naming `what` */
int aims__risk_line_ok(const char *what, const char *v, size_t max);
/* the system exists in the inventory (AIMS_ENOTFOUND naming it) */
int aims__risk_system_check(aims_store *store, const char *system);
/* audit entry for a risk write and invalidation of an acceptance that no longer matches */
int aims__risk_after_write(aims_store *store, const char *id, const char *action, const char *prev_digest);
/* the canonical JSON snapshot of a risk (what an acceptance records) */
int aims__risk_snapshot(char **out, const aims_risk *r);

#endif
