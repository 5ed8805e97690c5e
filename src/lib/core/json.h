/*
 * Internal JSON helpers (jansson plus positions for error messages).
 */
#ifndef AIMS_CORE_JSON_H
#define AIMS_CORE_JSON_H

#include <jansson.h>
#include <stdarg.h>

#include "core.h"

/** Parse JSON (duplicate keys refused); errors name `name`, line and column. */
int aims__json_parse(json_t **out, const char *data, size_t len, const char *name);

/** Line and column of the value at `path` (e.g. "requirements[3].id") in `text`. */
int aims__json_locate(const char *text, size_t len, const char *path, int *line, int *column);

/** Record "'name' line L: path: message" (line omitted when unknown) and return code. */
int aims__json_path_err(int code, const char *name, const char *text, size_t len,
			const char *path, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ---- validating members of parsed documents (catalogs, crosswalks, ...) ---- */

/** Where a document came from, for messages: its name and, for line numbers, its raw text. */
typedef struct {
	const char *name;
	const char *text;   /* raw JSON; NULL if none */
	size_t len;
} aims__json_src;

/** Record "'name' line L: path: message" as AIMS_EINVALID and return AIMS_EINVALID. */
int aims__json_field_err(const aims__json_src *src, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** "prefix.key", or "key" when the prefix is empty. */
void aims__json_join_path(char *out, size_t size, const char *prefix, const char *key);

/**
 * A string member: absent or null is an error when `required`, else NULL;
 * it must be non-empty text without control characters (newlines and tabs
 * allowed unless `single_line`, which also limits it to 1024 bytes).
 */
int aims__json_get_str(const char **out, json_t *obj, const char *key, int required, int single_line,
		       const aims__json_src *src, const char *prefix);

/** Refuse members whose names are not in `allowed`. */
int aims__json_check_keys(json_t *obj, const char *const *allowed, size_t n, const aims__json_src *src,
			  const char *prefix);

/** Is s one of list[0..n)? */
int aims__in_list(const char *s, const char *const *list, size_t n);

/** Printable text, not only spaces, no control characters (but newline and tab unless single_line). */
int aims__text_ok(const char *s, int single_line);

#endif
