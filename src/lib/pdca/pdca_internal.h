/*
 * The Check-and-Act records (incidents, nonconformities, corrective actions)
 * share one table, pdca_records (migration 14): each row is one record's
 * canonical JSON body with the columns lists filter on. record.c keeps them:
 * numbering, reading, writing with digest, version and ledger entry.
 */
#ifndef AIMS_PDCA_INTERNAL_H
#define AIMS_PDCA_INTERNAL_H

#include <jansson.h>

#include "aims/auth.h"
#include "aims/pdca.h"
#include "aims/store.h"
#include "core/core.h"

/* record kinds: the ledger's object types */
#define PDCA_INCIDENT "incident"
#define PDCA_NC "nonconformity"
#define PDCA_CA "corrective-action"
#define PDCA_AUDIT "audit"
#define PDCA_PLAN "monitoring-plan"
#define PDCA_RUN "monitoring-run"
#define PDCA_CONCERN "concern"
#define PDCA_SUPPLIER "supplier"
#define PDCA_OBJECTIVE "objective"
#define PDCA_PROGRAMME "audit-programme"

/* the last complete period (day, week, month) before `now`: its name and window [since, until) */
void aims__monitor_period(char name[16], char since[32], char until[32], const char *every, int64_t now);

/* parse an ISMS exchange file (CSV or JSON, docs/pdca.md) of `kind` (incidents | nonconformities) into rows:
   JSON objects of the columns given, as strings, each with "_line"; errors name the file, line and column */
int aims__pdca_exchange_parse(json_t **rows, const char *kind, const char *text, size_t len, const char *name);

/* a reporting period: "2026", "2026-Q2", "2026-05" or "YYYY-MM-DD..YYYY-MM-DD" -> [since, until) as dates */
int aims__pdca_period(char since[32], char until[32], const char *p);

/* record `code` with a message and the request field it concerns; returns code */
int aims__pdca_ferr(int code, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* the document of the read operation `name` with request `req` (NULL: empty; not consumed) as the store's
   principal: how this module reads other modules (documents due, risks, assessments, evaluations) */
int aims__pdca_read_op(json_t **out, aims_store *store, const char *name, json_t *req);

/* the acting principal, refused when nobody is signed in */
int aims__pdca_principal(const aims_principal **out, aims_store *store);

/* the next id of `kind`: PREFIX-NNN (three digits at least) */
int aims__pdca_next_id(char id[32], int64_t *seq, aims_store *store, const char *kind, const char *prefix);

/* the body of record `id` of `kind`; a missing one is AIMS_ENOTFOUND naming `what` and the id */
int aims__pdca_get(json_t **body, aims_store *store, const char *kind, const char *id, const char *what);

/*
 * Write `body` as record `id` of `kind` (inside the caller's transaction):
 * seq > 0 creates it, seq == 0 replaces it (version + 1). The columns come
 * from the body: "system", "owner", "status", "due" (or "deadline"),
 * "parent". The ledger gets `action` with the digest of the canonical body.
 */
int aims__pdca_put(aims_store *store, const char *kind, const char *id, int64_t seq, const json_t *body,
		   const char *action);

/* aims__pdca_put, then commit the transaction the caller began (*began set to 0 once committed) */
int aims__pdca_save(aims_store *store, const char *kind, const char *id, int64_t seq, const json_t *body,
		    const char *action, int *began);

/* {"<list_key>": [bodies]} of `kind`, newest first, with the filters that are not NULL */
int aims__pdca_list(json_t **out, aims_store *store, const char *kind, const char *list_key, const char *status,
		    const char *system, const char *owner, const char *parent);

/* "sha256:<hex>" of the canonical JSON of v */
int aims__pdca_digest(char dg[72], const json_t *v);

/* JSON string or null */
json_t *aims__pdca_jstr(const char *s);

/* a one-line text field: printable, at most 1024 bytes; NULL allowed unless required */
int aims__pdca_text(const char *field, const char *s, int required, int single_line);

/* a requirement id of the stored framework (ISO/IEC 42001 or 27001): AIMS_EINVALID naming the field */
int aims__pdca_requirement(aims_store *store, const char *framework, const char *id, const char *field);

/* inside the caller's transaction: put audit `audit` into audit programme `id` (its period inside the
   programme's, in no other programme); the programme's ledger entry "add" */
int aims__audit_programme_add(aims_store *store, const char *id, const char *audit);

/* {"AUD-NNN": "PRG-NNN"}: the programme of each audit that is in one */
int aims__audit_programme_map(json_t **map, aims_store *store);

/* mark an object (risk, impact-assessment) for review because of `source` (e.g. "incident:INC-001") */
int aims__pdca_mark_review(aims_store *store, const char *object_type, const char *object_id, const char *source,
			   const char *reason);

/* HTML report pieces shared by the management review pack and the audit report (mgmt_review.c) */
int aims__pdca_h2(aims_buf *b, const char *clause, const char *title);
/* "None recorded" when `a` is empty: 1 then, 0 when it has entries */
int aims__pdca_none(aims_buf *b, const json_t *a, const char *what);
int aims__pdca_table(aims_buf *b, const json_t *a, const char *const *keys, const char *const *heads, size_t n);

#endif
