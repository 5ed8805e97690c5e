/*
 * A cache of operation documents for the pages of one server worker: the
 * same rule as the API's cache in src/server (only AIMS_OP_CACHEABLE reads,
 * whose documents depend only on the request and the store's rows, and only
 * results without a note, warning or finding). The server clears it whenever
 * it clears its own: after every write through the worker and whenever the
 * store's data version moves. A hit still needs the principal's permission
 * (page.c checks it before looking). One worker thread uses a cache; there is
 * no locking.
 */
#include <string.h>

#include "core/core.h"
#include "web_internal.h"

#define SLOTS 128

struct aims_web_cache {
	struct {
		char *key;
		json_t *doc;
		char etag[80];
	} e[SLOTS];
};

aims_web_cache *aims_web_cache_new(void)
{
	return aims__calloc(1, sizeof(aims_web_cache));
}

void aims_web_cache_clear(aims_web_cache *c)
{
	for (int i = 0; c && i < SLOTS; i++) {
		aims__free(c->e[i].key);
		json_decref(c->e[i].doc);
		c->e[i].key = NULL;
		c->e[i].doc = NULL;
	}
}

void aims_web_cache_free(aims_web_cache *c)
{
	aims_web_cache_clear(c);
	aims__free(c);
}

static unsigned slot(const char *key)
{
	unsigned long h = 5381;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = h * 33 + *p;
	return (unsigned)(h % SLOTS);
}

json_t *aims__web_cache_get(aims_web_cache *c, const char *key, char etag[80])
{
	unsigned i = slot(key);
	if (!c || !c->e[i].key || strcmp(c->e[i].key, key) != 0)
		return NULL;
	memcpy(etag, c->e[i].etag, 80);
	return json_deep_copy(c->e[i].doc);
}

void aims__web_cache_put(aims_web_cache *c, const char *key, const json_t *doc, const char *etag)
{
	unsigned i = slot(key);
	char *k;
	json_t *d;
	if (!c || !(k = aims__strdup(key)))
		return;
	if (!(d = json_deep_copy(doc))) {
		aims__free(k);
		return;
	}
	aims__free(c->e[i].key);
	json_decref(c->e[i].doc);
	c->e[i].key = k;
	c->e[i].doc = d;
	snprintf(c->e[i].etag, sizeof(c->e[i].etag), "%s", etag);
}
