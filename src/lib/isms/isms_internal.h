/*
 * ISMS internals: the parse-and-validate step of an import, separate from
 * the store so that it can be tested and fuzzed on its own. It needs only
 * the bytes and an iso27001-2022 catalog (from the store, or parsed from the
 * built-in file).
 */
#ifndef AIMS_ISMS_INTERNAL_H
#define AIMS_ISMS_INTERNAL_H

#include <stddef.h>

#include "aims/catalog.h"
#include "aims/isms.h"

/*
 * Parse and validate an ISMS state CSV against `cat` (the iso27001-2022
 * catalog). On success *out holds every row (version 0, imported_at NULL,
 * source = name, digest = SHA-256 of the bytes); free it with
 * aims_isms_free(). On failure *out is NULL and the message names the file,
 * the line and the field.
 */
int aims__isms_parse(aims_isms **out, const char *data, size_t len, const char *name,
		     const aims_catalog *cat);

#endif
