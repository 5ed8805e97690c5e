/*
 * Internals of the document module shared by its files.
 */
#ifndef AIMS_DOC_INTERNAL_H
#define AIMS_DOC_INTERNAL_H

#include <stddef.h>

#include "aims/doc.h"
#include "catalog/catalog_internal.h"

/* the templates compiled into the library (generated from the files in templates/) */
extern const aims__builtin_file aims__builtin_templates[];
extern const size_t aims__builtin_template_count;

/* split "a\nb\n" into owned strings */
int aims__doc_split_lines(char ***out, size_t *count, const char *text);

#endif
