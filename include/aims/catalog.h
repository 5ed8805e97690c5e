/*
 * Framework catalogs: ISO/IEC 27001, ISO/IEC 42001, NIST AI RMF, EU AI Act
 * and any other framework described by a catalog file (docs/catalog-format.md).
 * A catalog is parsed and validated from JSON, stored, and read back from
 * the store as the same object.
 */
#ifndef AIMS_CATALOG_H
#define AIMS_CATALOG_H

#include <jansson.h>
#include <stddef.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aims_catalog aims_catalog;

/** One requirement. Strings are borrowed from the catalog; optional ones may be NULL. */
typedef struct {
	const char *id;
	const char *kind;
	const char *title;
	const char *parent;
	const char *summary;
	const char *text;
	const char *chapter;
} aims_requirement;

/** The kinds a requirement may have, NULL-terminated: clause, control, group, function, category,
 *  subcategory, chapter, section, article, annex, annex-iii-area. */
extern const char *const aims_requirement_kinds[];

/** Framework facts. Strings are borrowed from the catalog. */
typedef struct {
	const char *framework;
	const char *title;
	const char *version;
	const char *publisher;
	const char *source;
	const char *licence;
	const char *notes;      /**< may be NULL */
	const char *digest;     /**< SHA-256 of the file it came from, hex */
	const char *loaded_at;  /**< RFC 3339 time it was stored; NULL if not from a store */
} aims_framework;

/**
 * Parse and validate catalog JSON. `name` names the input in error messages
 * (usually the file path). On error the message gives name, position
 * (line:column for syntax, the JSON path for content) and reason.
 */
int aims_catalog_parse(aims_catalog **out, const char *data, size_t len, const char *name);

/** Read and parse a catalog file. */
int aims_catalog_parse_file(aims_catalog **out, const char *path);

void aims_catalog_free(aims_catalog *cat);

const aims_framework *aims_catalog_framework(const aims_catalog *cat);
size_t aims_catalog_count(const aims_catalog *cat);
/** The i-th requirement in document order, or NULL past the end. */
const aims_requirement *aims_catalog_at(const aims_catalog *cat, size_t i);
/** The requirement with this id, or NULL. */
const aims_requirement *aims_catalog_find(const aims_catalog *cat, const char *id);
/** How many requirements have this kind. */
size_t aims_catalog_count_kind(const aims_catalog *cat, const char *kind);

/** Store a catalog, replacing an earlier one of the same framework; one transaction. */
int aims_catalog_store(aims_store *store, const aims_catalog *cat);

/**
 * Load every catalog in `dir` (its .json files that hold "aims_catalog"), or the
 * catalogs built into the library when `dir` is NULL, then the crosswalks
 * among those files ("aims_crosswalk"), in one transaction: if any file is
 * bad nothing is stored. *loaded (may be NULL) receives the number of
 * frameworks stored.
 */
int aims_catalog_load_all(aims_store *store, const char *dir, size_t *loaded);

/** What aims_catalog_load_all_ex loaded. */
typedef struct {
	unsigned int version;   /**< AIMS_CATALOG_LOAD_RESULT_VERSION */
	size_t frameworks;      /**< framework catalogs stored */
	size_t crosswalks;      /**< crosswalks stored */
} aims_catalog_load_result;

#define AIMS_CATALOG_LOAD_RESULT_VERSION 1
#define AIMS_CATALOG_LOAD_RESULT_INIT { AIMS_CATALOG_LOAD_RESULT_VERSION, 0, 0 }

/**
 * aims_catalog_load_all, also counting crosswalks: every framework catalog
 * is stored first, then every crosswalk file (docs/catalog-format.md), all in
 * one transaction. A crosswalk whose frameworks are not in the store after
 * the catalogs, or whose ids are not theirs, is AIMS_EINVALID naming the
 * file, line and field, and nothing is stored. `result` (may be NULL) is
 * filled only on success.
 */
int aims_catalog_load_all_ex(aims_store *store, const char *dir, aims_catalog_load_result *result);

/** Read one framework back from the store. AIMS_ENOTFOUND if not loaded. */
int aims_catalog_read(aims_catalog **out, aims_store *store, const char *framework);

/** The frameworks in the store, sorted by id. Free with aims_catalog_list_free(). */
typedef struct {
	aims_framework *items;
	size_t *requirement_counts;
	size_t count;
	void *priv_;
} aims_catalog_list;

int aims_catalog_list_read(aims_catalog_list **out, aims_store *store);
void aims_catalog_list_free(aims_catalog_list *list);

/**
 * The JSON of a requirement: {"id", "kind", "title", "parent"} and, when the
 * catalog has them, "summary", "text" and "chapter". NULL when out of memory.
 */
json_t *aims_requirement_json(const aims_requirement *r);

/**
 * The JSON of a catalog (what `aims catalog show --json` prints and
 * GET /api/v1/catalogs/{framework} returns): {"framework", "title",
 * "version", "publisher", "source", "licence", ["notes",] "digest",
 * "loaded_at", "requirements": [REQUIREMENT]}. With `id`, the requirements
 * are that one and those within it (AIMS_ENOTFOUND when the catalog has no
 * such id); with `kind`, only those of that kind.
 */
int aims_catalog_json(json_t **out, const aims_catalog *cat, const char *id, const char *kind);

/**
 * The JSON of the frameworks in the store: {"frameworks": [{"framework",
 * "title", "version", "publisher", "source", "licence", "requirements" (a
 * count), "digest", "loaded_at"}]}. NULL when out of memory.
 */
json_t *aims_catalog_list_json(const aims_catalog_list *list);

/** The names of the built-in catalog files and their bytes (borrowed, static). */
size_t aims_catalog_builtin_count(void);
int aims_catalog_builtin(size_t i, const char **name, const char **data, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
