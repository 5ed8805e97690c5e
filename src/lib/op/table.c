/*
 * The one operation table: the modules' arrays merged and sorted by name
 * once per process. Adding a module's operations is one line here and one
 * declaration in op_internal.h; a unit test checks that names, CLI words and
 * method + path are unique and that every permission exists.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "op_internal.h"

static const aims_op *const modules[] = {
	aims__ops_auth,
	aims__ops_catalog,
	aims__ops_isms,
	aims__ops_org,
	aims__ops_system,
};

static aims_op *table;
static size_t table_len;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const aims_op *)a)->name, ((const aims_op *)b)->name);
}

static void build(void)
{
	size_t n = 0, k = 0;
	for (size_t m = 0; m < sizeof(modules) / sizeof(modules[0]); m++)
		for (const aims_op *o = modules[m]; o->name; o++)
			n++;
	/* plain malloc: the table lives for the whole process and is outside fault injection */
	aims_op *t = malloc(n * sizeof(*t));
	if (!t)
		return;
	for (size_t m = 0; m < sizeof(modules) / sizeof(modules[0]); m++)
		for (const aims_op *o = modules[m]; o->name; o++)
			t[k++] = *o;
	qsort(t, n, sizeof(*t), by_name);
	table = t;
	table_len = n;
}

const aims_op *aims_ops(size_t *count)
{
	pthread_once(&table_once, build);
	*count = table_len;
	return table;
}

const aims_op *aims_op_find(const char *name)
{
	size_t n;
	const aims_op *t = aims_ops(&n);
	size_t lo = 0, hi = n;
	while (name && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, t[mid].name);
		if (c == 0)
			return &t[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const aims_op *aims_op_find_cli(const char *words)
{
	size_t n;
	const aims_op *t = aims_ops(&n);
	for (size_t i = 0; words && i < n; i++)
		if (t[i].cli && strcmp(t[i].cli, words) == 0)
			return &t[i];
	return NULL;
}
