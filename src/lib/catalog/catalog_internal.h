/*
 * Catalog internals shared by the catalog files of the library.
 */
#ifndef AIMS_CATALOG_INTERNAL_H
#define AIMS_CATALOG_INTERNAL_H

#include <jansson.h>

#include "aims/catalog.h"

struct aims_catalog {
	json_t *root;            /* the document; strings below point into it */
	aims_framework fw;
	aims_requirement *reqs;  /* document order */
	size_t *order;           /* indexes of reqs sorted by id */
	size_t count;
	char digest[65];
	char loaded_at[32];
};

typedef struct {
	const char *name;   /* file name for messages */
	const char *text;   /* raw JSON, for line numbers; NULL if none */
	size_t len;
} src_info_pub;

/* a framework id: [a-z0-9.-]{1,64} */
int aims__framework_id_ok(const char *s);

int aims__catalog_from_json(aims_catalog **out, json_t *root, const src_info_pub *src);

/* the catalogs compiled into the library (generated at build time) */
typedef struct {
	const char *name;
	const unsigned char *data;
	size_t len;
} aims__builtin_file;

extern const aims__builtin_file aims__builtin_catalogs[];
extern const size_t aims__builtin_catalog_count;

#endif
