/*
 * Crosswalks between frameworks (docs/catalog-format.md): rows that say how
 * a requirement of one framework relates to one of another, in NIST IR 8477
 * set-theory terms, with rationale, confidence and our own explanation.
 */
#ifndef AIMS_CROSSWALK_H
#define AIMS_CROSSWALK_H

#include <jansson.h>
#include <stddef.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aims_crosswalk aims_crosswalk;

/** One row. Strings are borrowed from the crosswalk; source is NULL on a no-relationship row. */
typedef struct {
	const char *source;
	const char *target;
	const char *relationship;  /* equal-to, equivalent-to, subset-of, superset-of, intersects-with, no-relationship */
	const char *rationale;     /* syntactic, semantic, functional */
	const char *confidence;    /* high, medium, low */
	const char *explanation;
	const char *role;          /* whom the target binds: provider, deployer or both; NULL when the
				      crosswalk gives no roles (docs/catalog-format.md) */
} aims_mapping;

typedef struct {
	const char *from;      /* framework id */
	const char *to;        /* framework id */
	const char *title;
	const char *source;
	const char *licence;
	const char *method;
	const char *notes;     /* may be NULL */
	const char *digest;    /* SHA-256 of the file, hex */
	const char *loaded_at; /* NULL unless read from a store */
} aims_crosswalk_info;

/** How much a relationship lets the source support the target. */
typedef enum {
	AIMS_SUPPORT_NONE = 0,     /* no-relationship */
	AIMS_SUPPORT_PARTIAL = 1,  /* subset-of, intersects-with */
	AIMS_SUPPORT_FULL = 2      /* equal-to, equivalent-to, superset-of */
} aims_support;

/** The support a relationship name gives; -1 for an unknown name. */
int aims_relationship_support(const char *relationship);

/**
 * The support a row gives when read against its stored direction, given the
 * relationship as stored: equal-to and equivalent-to keep full support,
 * every other relationship gives at most partial support (a stored subset-of
 * read backwards is superset-of, but partial support). A crosswalk row is
 * curated for what its source gives its target; "A subset-of B" read
 * backwards is not evidence that meeting B meets A in A's own scope (an AI
 * management system scope is not an ISMS scope). -1 for an unknown name.
 */
int aims_relationship_support_reversed(const char *relationship);

/** The roles a crosswalk row may name (provider, deployer, both), NULL-terminated. */
extern const char *const aims_crosswalk_roles[];

/** The relationship read the other way (subset-of <-> superset-of); NULL if unknown. */
const char *aims_relationship_inverse(const char *relationship);

/**
 * Parse and validate a crosswalk file. Errors name `name`, line and JSON
 * path. Identifiers are checked against catalogs only when stored.
 */
int aims_crosswalk_parse(aims_crosswalk **out, const char *data, size_t len, const char *name);
void aims_crosswalk_free(aims_crosswalk *cw);

const aims_crosswalk_info *aims_crosswalk_info_get(const aims_crosswalk *cw);
/** 1 when aims_crosswalk_read returned the stored to -> from crosswalk read the other way, else 0. */
int aims_crosswalk_inverted(const aims_crosswalk *cw);
size_t aims_crosswalk_count(const aims_crosswalk *cw);
const aims_mapping *aims_crosswalk_at(const aims_crosswalk *cw, size_t i);
/** The "adds" text for a target requirement, or NULL. */
const char *aims_crosswalk_adds(const aims_crosswalk *cw, const char *target);
size_t aims_crosswalk_target_count(const aims_crosswalk *cw);
/** The i-th target listed in "targets" (id and adds), or -1 past the end. */
int aims_crosswalk_target_at(const aims_crosswalk *cw, size_t i, const char **id, const char **adds);

/**
 * Store a crosswalk, replacing an earlier one between the same frameworks.
 * Both frameworks must be in the store and every source and target id must
 * exist in them (AIMS_EINVALID naming the row otherwise). One transaction.
 * `text` (may be NULL) is the file's JSON, for line numbers in errors.
 */
int aims_crosswalk_store(aims_store *store, const aims_crosswalk *cw, const char *text, size_t len);

/**
 * Read the crosswalk from -> to. When only to -> from is stored, it is
 * returned inverted (sources and targets swapped, subset-of and superset-of
 * exchanged, no "adds" texts). AIMS_ENOTFOUND when neither is stored.
 */
int aims_crosswalk_read(aims_crosswalk **out, aims_store *store, const char *from, const char *to);

/** Stored crosswalks: pairs of framework ids. Free with aims_crosswalk_list_free(). */
typedef struct {
	aims_crosswalk_info *items;
	size_t *row_counts;
	size_t count;
	void *priv_;
} aims_crosswalk_list;

int aims_crosswalk_list_read(aims_crosswalk_list **out, aims_store *store);
void aims_crosswalk_list_free(aims_crosswalk_list *list);

/** One hop of a path between requirements of two frameworks. */
typedef struct {
	const char *from_framework, *from_id;
	const char *to_framework, *to_id;
	const char *relationship;  /* as read in the direction of travel */
	const char *confidence;
	const char *explanation;
	const char *role;          /* the row's role, or NULL */
	int reversed;              /* 1 when the hop reads a stored row against its direction */
} aims_hop;

typedef struct {
	aims_hop hops[2];
	size_t nhops;          /* 1 or 2 */
	int support;           /* the weakest hop's aims_support; a reversed hop gives at
				  most partial support unless its relationship is symmetric */
} aims_path;

typedef struct {
	aims_path *items;
	size_t count;
	void *priv_;
} aims_path_list;

/**
 * Every path of one or two hops from from_fw:from_id to to_fw:to_id
 * (to_id NULL: to any requirement of to_fw) over the stored crosswalks, in
 * either direction. Paths are ordered by hops, then strength.
 */
int aims_map_paths(aims_path_list **out, aims_store *store, const char *from_fw,
		   const char *from_id, const char *to_fw, const char *to_id);
void aims_path_list_free(aims_path_list *list);

/* ---- JSON (the documents of `aims map ... --json` and of the API) ---- */

/**
 * {"crosswalks": [{"from", "to", "title", "source", "licence", "method",
 * "notes" (only when the crosswalk has them), "rows", "digest", "loaded_at"}]}.
 * NULL when out of memory.
 */
json_t *aims_crosswalk_list_json(const aims_crosswalk_list *list);

/**
 * One crosswalk's rows: {"from", "to", "title", "source", "licence",
 * "method", "notes" (when present), "digest", "inverted", "mappings":
 * [{"source", "target", "relationship", "rationale", "confidence",
 * "explanation", "role" (when the rows have roles)}], "targets": [{"id",
 * "adds"}]}; with `target` (may be NULL) only its rows and its "adds".
 * NULL when out of memory.
 */
json_t *aims_crosswalk_json(const aims_crosswalk *cw, const char *target);

/**
 * Paths from from_fw:from_id to to_fw[:to_id]: {"from": {"framework", "id"},
 * "to": {"framework", "id"}, "paths": [{"support", "hops": [{"from", "to",
 * "relationship", "confidence", "explanation", "reversed", "role" (when the
 * row has one)}]}]}, hop ends as "FRAMEWORK:ID". NULL when out of memory.
 */
json_t *aims_path_list_json(const aims_path_list *list, const char *from_fw, const char *from_id, const char *to_fw,
			    const char *to_id);

#ifdef __cplusplus
}
#endif
#endif
