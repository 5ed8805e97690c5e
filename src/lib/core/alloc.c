/*
 * The one allocation entry point of libaims (after SQLite's sqlite3_malloc):
 * every allocation, including jansson's, goes through here so that tests can
 * make the Nth allocation fail and check that every error path cleans up.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static atomic_ulong alloc_count;
static atomic_ulong alloc_fail_at; /* 0 = never */

static int should_fail(void)
{
	unsigned long at = atomic_load(&alloc_fail_at);
	unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
	return at != 0 && n >= at;
}

unsigned long aims__alloc_fail_after(unsigned long n)
{
	unsigned long made = atomic_exchange(&alloc_count, 0);
	atomic_store(&alloc_fail_at, n);
	return made;
}

void *aims__malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *aims__calloc(size_t nmemb, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *aims__realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *aims__strndup(const char *s, size_t n)
{
	char *d = aims__malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *aims__strdup(const char *s)
{
	return s ? aims__strndup(s, strlen(s)) : NULL;
}

void aims__free(void *p)
{
	free(p);
}

int aims__grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap = *cap ? *cap : 16;
	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return aims__err(AIMS_ENOMEM, "list too long");
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return aims__err(AIMS_ENOMEM, "list too long");
	void *np = aims__realloc(*p, ncap * size);
	if (!np)
		return aims__oom();
	*p = np;
	*cap = ncap;
	return 0;
}
