/*
 * Inside the audit module: the state map the governance log's verification
 * fills (state.c) and the comparison that reports findings.
 */
#ifndef AIMS_AUDIT_INTERNAL_H
#define AIMS_AUDIT_INTERNAL_H

#include <stdint.h>

#include "aims/audit.h"
#include "core/core.h"

typedef struct aims__state aims__state;

int aims__state_new(aims__state **out);
void aims__state_free(aims__state *st);

/* the governance log's entries, in order (gov_ctx.on_entry) */
int aims__state_on_entry(void *arg, int64_t idx, const char *type, const char *id, const char *action,
			 const char *digest, int pruned);

typedef int (*aims__state_finding_fn)(void *arg, const char *type, const char *id, const char *problem,
				      const char *recorded, const char *actual, int64_t entry);

/* every governed object of the store against the map; each difference is a call of add */
int aims__state_compare(aims__state *st, aims_store *store, aims__state_finding_fn add, void *arg, uint64_t *objects);

/* a checkpoint of an export (aims_audit_export), verified */
typedef struct {
	char *log;
	char *origin;
	uint64_t size;
	uint8_t root[32];
	int used;
} trusted_cp;

/* parse an export and verify each checkpoint with vkeys; AIMS_EINVALID, AIMS_ETAMPERED */
int aims__trusted_parse(trusted_cp **out, size_t *n, const char *text, size_t len, const char *const *vkeys,
			size_t nvkeys);
void aims__trusted_free(trusted_cp *t, size_t n);

#endif
