/*
 * The one operation table: the modules' arrays merged and sorted by name
 * once per process. Adding a module's operations is one line here and one
 * declaration in op_internal.h; a unit test checks that names, CLI words and
 * method + path are unique and that every permission exists.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "op_internal.h"

static const aims_op *const modules[] = {
	aims__ops_aiact,
	aims__ops_assess,
	aims__ops_auth,
	aims__ops_card,
	aims__ops_catalog,
	aims__ops_dataset,
	aims__ops_isms,
	aims__ops_org,
	aims__ops_oscal,
	aims__ops_pack,
	aims__ops_doc,
	aims__ops_lineage,
	aims__ops_model,
	aims__ops_eval,
	aims__ops_gap,
	aims__ops_map,
	aims__ops_risk,
	aims__ops_system,
	aims__ops_policy,
	aims__ops_oversight,
	aims__ops_decision,
	aims__ops_ledger,
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

/* ---- HTTP routes: METHOD /api/v1<path> of every operation ---- */

/* does `path` match the template? fills params ({name} segments) when given */
static int path_match(const char *tmpl, const char *path, json_t *params)
{
	while (*tmpl && *path) {
		if (*tmpl == '{') {
			const char *end = strchr(tmpl, '}');
			const char *seg = strchr(path, '/');
			size_t n = seg ? (size_t)(seg - path) : strlen(path);
			char name[64];
			if (!end || n == 0 || (size_t)(end - tmpl - 1) >= sizeof(name))
				return 0;
			memcpy(name, tmpl + 1, (size_t)(end - tmpl - 1));
			name[end - tmpl - 1] = '\0';
			if (params) {
				json_t *v = json_stringn(path, n);
				if (!v || json_object_set_new(params, name, v) < 0)
					return 0; /* not UTF-8: no such object */
			}
			tmpl = end + 1;
			path += n;
			continue;
		}
		if (*tmpl++ != *path++)
			return 0;
	}
	return *tmpl == '\0' && (*path == '\0' || (path[0] == '/' && path[1] == '\0'));
}

const aims_op *aims_op_route(json_t **params, int *status, const char *method, const char *path)
{
	size_t n;
	const aims_op *t = aims_ops(&n);
	int found = 0;
	*params = NULL;
	*status = 404;
	for (size_t i = 0; method && path && i < n; i++) {
		if (!path_match(t[i].path, path, NULL))
			continue;
		found = 1;
		if (strcmp(t[i].method, method) != 0 && !(strcmp(method, "HEAD") == 0 && strcmp(t[i].method, "GET") == 0))
			continue;
		if (!(*params = json_object()) || !path_match(t[i].path, path, *params)) {
			json_decref(*params);
			*params = NULL;
			*status = 404;
			return NULL;
		}
		*status = 200;
		return &t[i];
	}
	*status = found ? 405 : 404;
	return NULL;
}

static int query_err(const char *name, const char *fmt)
{
	aims__err_set(AIMS_EINVALID, fmt, name);
	aims__err_set_field(name);
	return AIMS_EINVALID;
}

int aims_op_query_param(json_t *req, const aims_op *op, const char *name, const char *value)
{
	const aims_op_field *f = NULL;
	json_t *v = NULL;
	if (!value)
		value = "";
	for (const aims_op_field *x = op->fields; x && x->name; x++)
		if (strcmp(x->name, name) == 0)
			f = x;
	if (!f || f->type == AIMS_FT_STRING || f->type == AIMS_FT_TEXT || f->type == AIMS_FT_DATE ||
	    f->type == AIMS_FT_FILE || f->type == AIMS_FT_LIST) {
		v = json_string(value);
	} else if (f->type == AIMS_FT_INT) {
		char *end = NULL;
		errno = 0;
		long long x = strtoll(value, &end, 10);
		v = (!errno && *value && !*end) ? json_integer(x) : json_string(value);
	} else if (f->type == AIMS_FT_NUMBER) {
		char *end = NULL;
		errno = 0;
		double d = strtod(value, &end);
		v = (!errno && *value && !*end && isfinite(d)) ? json_real(d) : json_string(value);
	} else if (f->type == AIMS_FT_BOOL) {
		v = strcmp(value, "true") == 0 || strcmp(value, "1") == 0 ? json_true() :
		    strcmp(value, "false") == 0 || strcmp(value, "0") == 0 ? json_false() : json_string(value);
	} else {
		json_error_t je;
		v = json_loads(value, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	}
	if (!v)
		return query_err(name, "%s: the value is not valid UTF-8 (or not JSON)");
	if (f && f->type == AIMS_FT_LIST) {
		json_t *a = json_object_get(req, name);
		if (!a) {
			if (!(a = json_array()) || json_object_set_new(req, name, a) < 0) {
				json_decref(v);
				return aims__oom();
			}
		}
		if (json_array_append_new(a, v) < 0)
			return aims__oom();
		return 0;
	}
	if (json_object_get(req, name)) {
		json_decref(v);
		return query_err(name, "%s: given twice");
	}
	if (json_object_set_new(req, name, v) < 0)
		return aims__oom();
	return 0;
}
