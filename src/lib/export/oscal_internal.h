/*
 * The OSCAL import's parse-and-check step, apart from the store (for the
 * fuzz harness and unit tests): a document becomes a plan of control
 * decisions, every one checked against the catalogs.
 */
#ifndef AIMS_OSCAL_INTERNAL_H
#define AIMS_OSCAL_INTERNAL_H

#include <stddef.h>

#include "aims/catalog.h"

typedef struct {
	char *id;             /* our id (the catalog's spelling) */
	char *path;           /* the JSON path where it was first named */
	int applicable;       /* 1, 0, or -1 (SoA: no applicability decision) */
	int decided;          /* SoA: an applicability decision to record (1), else 0 */
	int status;           /* aims_impl_status, or -1 when none given */
	char *justification, *owner; /* NULL when none */
	char **evidence;      /* references, no ';' in any */
	size_t nevidence;
} aims__oscal_decision;

typedef struct {
	const char *model;    /* "profile" or "system-security-plan" */
	const char *target;   /* "isms" (iso27001-2022 controls) or "soa" (iso42001-2023 Annex A) */
	aims__oscal_decision *d;  /* one per control, in document order */
	size_t n;
	size_t excluded;
} aims__oscal_plan;

/** Parse and check a document against both catalogs; AIMS_EINVALID naming name, line and path. */
int aims__oscal_parse(aims__oscal_plan **out, const char *data, size_t len, const char *name,
		      const aims_catalog *iso27001, const aims_catalog *iso42001);
void aims__oscal_plan_free(aims__oscal_plan *p);

#endif
