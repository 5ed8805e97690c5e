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

#endif
