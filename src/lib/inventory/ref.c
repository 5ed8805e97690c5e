/*
 * References to inventory objects: system:NAME, model:NAME[@VER],
 * dataset:[NAMESPACE#]NAME[@VER], run:ID and job:[NAMESPACE#]NAME. A
 * missing version means the latest (highest seq); a dataset name without a
 * namespace must be unique across namespaces.
 */
#include <string.h>

#include "inventory_internal.h"

static const char *strip(const char *ref, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(ref, prefix, n) == 0 ? ref + n : ref;
}

int aims__inv_model_find(char **name, char **version, aims_store *store, const char *ref)
{
	aims__stmt *st = NULL;
	char *n = NULL, *v = NULL;
	int err;
	*name = *version = NULL;
	if (!ref)
		return aims__err(AIMS_EINVALID, "model reference missing: expected NAME@VERSION");
	ref = strip(ref, "model:");
	if ((err = aims__inv_split_ref(&n, &v, ref, 0, "model")) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store, v ? "SELECT name, version FROM models WHERE name = ? AND version = ?" :
				      "SELECT name, version FROM models WHERE name = ? ORDER BY seq DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, n)) < 0 || (v && (err = aims__stmt_bind_text(st, 2, v)) < 0) ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "model '%.200s' is not in the inventory", ref);
		goto done;
	}
	if ((err = aims__stmt_text_dup(name, st, 0)) < 0 || (err = aims__stmt_text_dup(version, st, 1)) < 0) {
		aims__free(*name);
		*name = NULL;
		goto done;
	}
	err = 0;
done:
	aims__stmt_free(st);
	aims__free(n);
	aims__free(v);
	return err;
}

/* candidates for a dataset name (and namespace, version when given) */
static int dataset_lookup(char **ns, char **name, char **version, aims_store *store, const char *want_ns,
			  const char *n, const char *v, const char *ref)
{
	aims__stmt *st = NULL;
	aims_buf sql = AIMS_BUF_INIT, seen = AIMS_BUF_INIT;
	int err, idx = 2, nns = 0;
	char *first_ns = NULL;

	if ((err = aims_buf_puts(&sql, "SELECT namespace, name, version FROM datasets WHERE name = ?")) < 0 ||
	    (want_ns && (err = aims_buf_puts(&sql, " AND namespace = ?")) < 0) ||
	    (v && (err = aims_buf_puts(&sql, " AND version = ?")) < 0) ||
	    (err = aims_buf_puts(&sql, " ORDER BY seq DESC")) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, sql.ptr)) < 0 || (err = aims__stmt_bind_text(st, 1, n)) < 0 ||
	    (want_ns && (err = aims__stmt_bind_text(st, idx++, want_ns)) < 0) ||
	    (v && (err = aims__stmt_bind_text(st, idx, v)) < 0))
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *rns = aims__stmt_text(st, 0);
		if (!first_ns) {
			if ((err = aims__stmt_text_dup(ns, st, 0)) < 0 || (err = aims__stmt_text_dup(name, st, 1)) < 0 ||
			    (err = aims__stmt_text_dup(version, st, 2)) < 0 || (err = aims__inv_dup(&first_ns, rns)) < 0)
				goto done;
			nns = 1;
			if ((err = aims_buf_printf(&seen, "'%s'", rns)) < 0)
				goto done;
		} else if (strcmp(first_ns, rns) != 0 && !strstr(seen.ptr, rns)) {
			nns++;
			if ((err = aims_buf_printf(&seen, ", '%s'", rns)) < 0)
				goto done;
		}
	}
	if (err < 0)
		goto done;
	if (nns == 0) {
		err = AIMS_ENOTFOUND;
		goto done;
	}
	if (nns > 1) {
		err = aims__err(AIMS_EINVALID, "dataset '%.200s' is ambiguous: it exists in the namespaces %s; use "
				"dataset:NAMESPACE#NAME", ref, seen.ptr);
		goto done;
	}
	err = 0;
done:
	if (err < 0) {
		aims__free(*ns);
		aims__free(*name);
		aims__free(*version);
		*ns = *name = *version = NULL;
	}
	aims__free(first_ns);
	aims__stmt_free(st);
	aims_buf_release(&sql);
	aims_buf_release(&seen);
	return err;
}

int aims__inv_dataset_find(char **ns, char **name, char **version, aims_store *store, const char *ref)
{
	char *want_ns = NULL, *n = NULL, *v = NULL;
	const char *rest, *hash;
	int err;
	*ns = *name = *version = NULL;
	if (!ref || !*ref)
		return aims__err(AIMS_EINVALID, "dataset reference missing: expected NAME@VERSION");
	ref = strip(ref, "dataset:");
	rest = ref;
	if ((hash = strchr(ref, '#')) != NULL) {
		if (!(want_ns = aims__strndup(ref, (size_t)(hash - ref))))
			return aims__oom();
		rest = hash + 1;
	}
	/* a name that itself holds '@' (no version given) is taken whole first */
	err = strchr(rest, '@') ? dataset_lookup(ns, name, version, store, want_ns, rest, NULL, ref) : AIMS_ENOTFOUND;
	if (err == AIMS_ENOTFOUND) {
		if (!*rest || (err = aims__inv_split_ref(&n, &v, rest, 0, "dataset")) < 0) {
			if (!*rest)
				err = aims__err(AIMS_EINVALID, "dataset '%.200s': the name is missing", ref);
			goto done;
		}
		err = dataset_lookup(ns, name, version, store, want_ns, n, v, ref);
	}
	if (err == AIMS_ENOTFOUND)
		err = aims__err(AIMS_ENOTFOUND, "dataset '%.200s' is not in the inventory", ref);
done:
	aims__free(want_ns);
	aims__free(n);
	aims__free(v);
	return err;
}

static int exists(aims_store *store, const char *sql, const char *a, const char *b)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0 || (err = aims__stmt_bind_text(st, 1, a)) < 0 ||
	    (b && (err = aims__stmt_bind_text(st, 2, b)) < 0) || (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	aims__stmt_free(st);
	return err; /* 1 or 0 */
}

static int job_find(char **key, aims_store *store, const char *ref)
{
	aims__stmt *st = NULL;
	const char *hash = strchr(ref, '#');
	char *ns = NULL;
	int err, n = 0;
	if (hash && !(ns = aims__strndup(ref, (size_t)(hash - ref))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, ns ? "SELECT key FROM lineage_nodes WHERE type = 'job' AND name = ? "
				      "AND namespace = ?" : "SELECT key FROM lineage_nodes WHERE type = 'job' AND name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, hash ? hash + 1 : ref)) < 0 ||
	    (ns && (err = aims__stmt_bind_text(st, 2, ns)) < 0))
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if (n++ == 0 && (err = aims__stmt_text_dup(key, st, 0)) < 0)
			goto done;
	}
	if (err < 0)
		goto done;
	if (n == 0)
		err = aims__err(AIMS_ENOTFOUND, "job '%.200s' is not in the lineage graph", ref);
	else if (n > 1)
		err = aims__err(AIMS_EINVALID, "job '%.200s' is ambiguous: use job:NAMESPACE#NAME", ref);
	else
		err = 0;
done:
	if (err < 0) {
		aims__free(*key);
		*key = NULL;
	}
	aims__stmt_free(st);
	aims__free(ns);
	return err;
}

int aims__inv_resolve(char **key, aims_store *store, const char *ref)
{
	char *a = NULL, *b = NULL, *c = NULL;
	int err;
	*key = NULL;
	if (!ref)
		ref = "";
	if (strncmp(ref, "system:", 7) == 0) {
		if ((err = exists(store, "SELECT 1 FROM ai_systems WHERE name = ?", ref + 7, NULL)) < 0)
			return err;
		if (err == 0)
			return aims__err(AIMS_ENOTFOUND, "AI system '%.80s' is not in the inventory", ref + 7);
		return aims__inv_node_key(key, "system", "", ref + 7, "");
	}
	if (strncmp(ref, "model:", 6) == 0) {
		if ((err = aims__inv_model_find(&a, &b, store, ref)) == 0)
			err = aims__inv_node_key(key, "model", "", a, b);
	} else if (strncmp(ref, "dataset:", 8) == 0) {
		if ((err = aims__inv_dataset_find(&a, &b, &c, store, ref)) == 0)
			err = aims__inv_node_key(key, "dataset", a, b, c);
	} else if (strncmp(ref, "run:", 4) == 0) {
		if ((err = aims__inv_run_id(&a, ref + 4)) < 0)
			return err;
		if ((err = exists(store, "SELECT 1 FROM runs WHERE id = ?", a, NULL)) < 0) {
			aims__free(a);
			return err;
		}
		if (err == 0) {
			aims__free(a);
			return aims__err(AIMS_ENOTFOUND, "run '%.200s' is not in the inventory", ref + 4);
		}
		err = aims__inv_node_key(key, "run", "", a, "");
		aims__free(a);
		return err;
	} else if (strncmp(ref, "job:", 4) == 0) {
		return job_find(key, store, ref + 4);
	} else {
		return aims__err(AIMS_EINVALID, "'%.200s' is not a reference: use system:NAME, model:NAME@VER, "
				 "dataset:NAME@VER (or dataset:NAMESPACE#NAME), run:ID or job:NAMESPACE#NAME", ref);
	}
	aims__free(a);
	aims__free(b);
	aims__free(c);
	return err;
}
