/* The web UI inside libaims: the template renderer and the compiled-in files of templates/web/. */
#ifndef AIMS_WEB_INTERNAL_H
#define AIMS_WEB_INTERNAL_H

#include <jansson.h>
#include "aims/buf.h"
#include "aims/web.h"
#include "catalog/catalog_internal.h"

extern const aims__builtin_file aims__web_files[];
extern const size_t aims__web_file_count;

/** Render template `text` (NUL-terminated, `len` bytes) with `ctx`; `name` is for messages. */
int aims__web_render(aims_buf *out, const char *name, const char *text, size_t len, const json_t *ctx);

/** Append s[0..n) HTML-escaped. */
int aims__web_escape(aims_buf *out, const char *s, size_t n);

/** The compiled-in file `name` of templates/web (e.g. "dashboard.html", "aims.css"), or NULL. */
const aims__builtin_file *aims__web_file(const char *name);

/* the cache's entry for `key` (a copy the caller owns, its ETag into etag), or NULL */
json_t *aims__web_cache_get(aims_web_cache *c, const char *key, char etag[80]);
/* keep a copy of `doc` under `key` */
void aims__web_cache_put(aims_web_cache *c, const char *key, const json_t *doc, const char *etag);

#endif
