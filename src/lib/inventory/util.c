/*
 * Shared helpers of the inventory: copies, counters, canonical digests,
 * lineage nodes and edges, references and time stamps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aims/ledger.h"
#include "inventory_internal.h"

int aims__inv_dup(char **out, const char *s)
{
	*out = NULL;
	if (s && !(*out = aims__strdup(s)))
		return aims__oom();
	return 0;
}

int aims__inv_int(int64_t *out, aims_store *store, const char *sql, const char *arg)
{
	aims__stmt *st = NULL;
	int err;
	*out = 0;
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0)
		return err;
	if (arg && (err = aims__stmt_bind_text(st, 1, arg)) < 0)
		goto done;
	if ((err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1)
		*out = aims__stmt_int64(st, 0);
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* whether every real in v survives printing with `prec` significant digits */
static int reals_exact(json_t *v, int prec, int depth)
{
	const char *k;
	json_t *x;
	size_t i;
	if (depth > 256)
		return 0;
	switch (json_typeof(v)) {
	case JSON_REAL: {
		char buf[64];
		snprintf(buf, sizeof(buf), "%.*g", prec, json_real_value(v));
		return strtod(buf, NULL) == json_real_value(v);
	}
	case JSON_OBJECT:
		json_object_foreach(v, k, x)
			if (!reals_exact(x, prec, depth + 1))
				return 0;
		return 1;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			if (!reals_exact(x, prec, depth + 1))
				return 0;
		return 1;
	default:
		return 1;
	}
}

int aims__inv_json_canon(char **out, json_t *obj)
{
	/* reals with 15 significant digits when that is exact (0.05 stays 0.05),
	 * else 17, which always is: equal values give equal text */
	int prec = reals_exact(obj, 15, 0) ? 15 : 17;
	*out = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(prec));
	return *out ? 0 : aims__oom();
}

int aims__inv_json_digest(char out[72], json_t *obj)
{
	char *s = NULL;
	int err;
	if ((err = aims__inv_json_canon(&s, obj)) < 0)
		return err;
	err = aims_ledger_digest(out, s, strlen(s));
	aims__free(s);
	return err;
}

json_t *aims__inv_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

int aims__inv_node_key(char **key, const char *type, const char *ns, const char *name, const char *version)
{
	json_t *a = json_pack("[ssss]", type, ns ? ns : "", name, version ? version : "");
	int err;
	*key = NULL;
	if (!a)
		return aims__oom();
	err = aims__inv_json_canon(key, a);
	json_decref(a);
	return err;
}

int aims__inv_node(char **key, aims_store *store, const char *type, const char *ns, const char *name,
		   const char *version)
{
	aims__stmt *st = NULL;
	char *k = NULL;
	int err;
	if (key)
		*key = NULL;
	if ((err = aims__inv_node_key(&k, type, ns, name, version)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO lineage_nodes (key, type, namespace, name, version) "
				      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, k)) < 0 || (err = aims__stmt_bind_text(st, 2, type)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, ns ? ns : "")) < 0 || (err = aims__stmt_bind_text(st, 4, name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, version ? version : "")) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
	if (key) {
		*key = k;
		k = NULL;
	}
done:
	aims__stmt_free(st);
	aims__free(k);
	return err;
}

int aims__inv_edge(aims_store *store, const char *src, const char *relation, const char *dst)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO lineage_edges (src, relation, dst) VALUES (?, ?, ?) "
				      "ON CONFLICT (src, relation, dst) DO NOTHING")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, src)) < 0 || (err = aims__stmt_bind_text(st, 2, relation)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, dst)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims__inv_node_ref(char **ref, const char *type, const char *ns, const char *name, const char *version)
{
	aims_buf b = AIMS_BUF_INIT;
	int err;
	*ref = NULL;
	if ((err = aims_buf_printf(&b, "%s:", type)) < 0 ||
	    (ns && *ns && (err = aims_buf_printf(&b, "%s#", ns)) < 0) || (err = aims_buf_puts(&b, name)) < 0 ||
	    (version && *version && (err = aims_buf_printf(&b, "@%s", version)) < 0)) {
		aims_buf_release(&b);
		return err;
	}
	if (!(*ref = aims_buf_detach(&b, NULL)))
		return aims__oom();
	return 0;
}

int aims__inv_split_ref(char **name, char **version, const char *ref, int version_required, const char *what)
{
	const char *at = ref ? strrchr(ref, '@') : NULL;
	*name = *version = NULL;
	if (!ref || !*ref)
		return aims__err(AIMS_EINVALID, "%s reference missing: expected NAME@VERSION", what);
	if (at && (at == ref || !at[1]))
		return aims__err(AIMS_EINVALID, "%s '%.200s': expected NAME@VERSION", what, ref);
	if (!at && version_required)
		return aims__err(AIMS_EINVALID, "%s '%.200s': expected NAME@VERSION (the version is missing)", what, ref);
	if (!(*name = at ? aims__strndup(ref, (size_t)(at - ref)) : aims__strdup(ref)))
		return aims__oom();
	if (at && !(*version = aims__strdup(at + 1))) {
		aims__free(*name);
		*name = NULL;
		return aims__oom();
	}
	return 0;
}

int aims__inv_check_text(const char *field, const char *s, int multiline)
{
	if (!s || !*s)
		return 0;
	size_t n = strlen(s);
	if (n > (multiline ? (size_t)65536 : (size_t)1024))
		return aims__err(AIMS_EINVALID, "%s: longer than %s", field, multiline ? "64 KiB" : "1024 bytes");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f)
			return aims__err(AIMS_EINVALID, "%s: control character at byte %zu", field, i + 1);
	}
	return 0;
}

/* ---- time ---- */

int aims__inv_time_norm(char out[32], const char *s)
{
	int64_t t;
	int frac;
	if (!s || aims__rfc3339(&t, &frac, s, strlen(s), 1) < 0)
		return -1;
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return -1;
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac % 1000000);
	if (strlen(tmp) > 31)
		return -1;
	memcpy(out, tmp, strlen(tmp) + 1);
	return 0;
}

/* run ids are compared case-insensitively: stored and looked up in ASCII lower case */
int aims__inv_run_id(char **out, const char *id)
{
	size_t n = strlen(id);
	if (!(*out = aims__malloc(n + 1)))
		return aims__oom();
	for (size_t i = 0; i <= n; i++)
		(*out)[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
	return 0;
}
