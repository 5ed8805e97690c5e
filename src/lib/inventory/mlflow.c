/*
 * MLflow model registry import: the JSON of a model-versions search
 * response ({"model_versions": [{name, version, source, run_id, tags,
 * aliases, description, ...}]}) becomes models (name@version, with source,
 * tags and aliases) and runs (model wasGeneratedBy run). Every entry is
 * checked first; one bad entry and nothing is stored.
 */
#include <string.h>

#include "aims/ledger.h"
#include "core/json.h"
#include "inventory_internal.h"

typedef struct {
	const char *name, *source, *run_id, *description;
	char version[64];
	json_t *tags;      /* object key -> value (owned) */
	json_t *aliases;   /* array of strings (borrowed) */
} mv;

/* a missing member: its line is the line of the object that lacks it */
static int missing(const aims__json_src *src, size_t i, const char *key)
{
	char obj[64];
	int line = 0, col = 0;
	snprintf(obj, sizeof(obj), "model_versions[%zu]", i);
	if (aims__json_locate(src->text, src->len, obj, &line, &col) == 0)
		return aims__err(AIMS_EINVALID, "'%s' line %d: %s.%s: missing", src->name, line, obj, key);
	return aims__err(AIMS_EINVALID, "'%s': %s.%s: missing", src->name, obj, key);
}

static int check(mv *m, json_t *o, size_t i, const aims__json_src *src)
{
	char p[64];
	json_t *v;
	int err;
	snprintf(p, sizeof(p), "model_versions[%zu]", i);
	if (!json_is_object(o))
		return aims__json_field_err(src, p, "expected an object");
	if (!json_object_get(o, "name"))
		return missing(src, i, "name");
	if ((err = aims__json_get_str(&m->name, o, "name", 1, 1, src, p)) < 0 ||
	    (err = aims__inv_check_id("name", m->name, 200)) < 0)
		return err == AIMS_EINVALID && m->name ? aims__json_field_err(src, p, "name '%.80s': no spaces, '@' or '#'",
									       m->name) : err;
	v = json_object_get(o, "version");
	if (!v)
		return missing(src, i, "version");
	snprintf(p, sizeof(p), "model_versions[%zu].version", i);
	if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < sizeof(m->version))
		snprintf(m->version, sizeof(m->version), "%s", json_string_value(v));
	else if (json_is_integer(v) && json_integer_value(v) >= 0)
		snprintf(m->version, sizeof(m->version), "%lld", (long long)json_integer_value(v));
	else
		return aims__json_field_err(src, p, "expected a version string or number");
	if (aims__inv_check_id("version", m->version, 64) < 0)
		return aims__json_field_err(src, p, "'%s': no spaces, '@' or '#'", m->version);
	snprintf(p, sizeof(p), "model_versions[%zu]", i);
	if ((err = aims__json_get_str(&m->source, o, "source", 0, 1, src, p)) < 0 ||
	    (err = aims__json_get_str(&m->run_id, o, "run_id", 0, 1, src, p)) < 0 ||
	    (err = aims__json_get_str(&m->description, o, "description", 0, 0, src, p)) < 0)
		return err;
	if (m->run_id && !*m->run_id)
		m->run_id = NULL;
	v = json_object_get(o, "tags");
	snprintf(p, sizeof(p), "model_versions[%zu].tags", i);
	if (!(m->tags = json_object()))
		return aims__oom();
	if (json_is_array(v)) {
		size_t k;
		json_t *t;
		json_array_foreach(v, k, t) {
			json_t *key = json_object_get(t, "key"), *val = json_object_get(t, "value");
			if (!json_is_string(key) || (val && !json_is_string(val) && !json_is_null(val))) {
				snprintf(p, sizeof(p), "model_versions[%zu].tags[%zu]", i, k);
				return aims__json_field_err(src, p, "expected {\"key\": string, \"value\": string}");
			}
			json_object_set(m->tags, json_string_value(key), val ? val : json_null());
		}
	} else if (json_is_object(v)) {
		json_object_update(m->tags, v);
	} else if (v && !json_is_null(v)) {
		return aims__json_field_err(src, p, "expected an array of {key, value}");
	}
	v = json_object_get(o, "aliases");
	snprintf(p, sizeof(p), "model_versions[%zu].aliases", i);
	if (v && !json_is_null(v)) {
		size_t k;
		json_t *a;
		if (!json_is_array(v))
			return aims__json_field_err(src, p, "expected an array of strings");
		json_array_foreach(v, k, a)
			if (!json_is_string(a))
				return aims__json_field_err(src, p, "expected an array of strings");
		m->aliases = v;
	}
	return 0;
}

static int set(char **f, const char *v, int *changed)
{
	if (aims__strcmp0(*f, v) == 0)
		return 0;
	*changed = 1;
	aims__free(*f);
	return aims__inv_dup(f, v);
}

static int apply(aims_store *store, const mv *m, aims_mlflow_stats *s)
{
	aims_model *cur = NULL;
	char *tags = NULL, *aliases = NULL, *prev = NULL, *mkey = NULL, *rkey = NULL, *run_lc = NULL;
	int err, create = 0, changed = 0;
	if ((err = aims__inv_json_canon(&tags, m->tags)) < 0 ||
	    (m->aliases && (err = aims__inv_json_canon(&aliases, m->aliases)) < 0))
		goto done;
	err = aims__inv_model_load(&cur, store, m->name, m->version);
	if (err == AIMS_ENOTFOUND) {
		create = changed = 1;
		if (!(cur = aims__calloc(1, sizeof(*cur))) || (err = aims__inv_dup(&cur->name, m->name)) < 0 ||
		    (err = aims__inv_dup(&cur->version, m->version)) < 0 || (err = aims__inv_dup(&cur->origin, "mlflow")) < 0 ||
		    (err = aims__inv_node_ref(&cur->ref, "model", "", m->name, m->version)) < 0) {
			err = err < 0 ? err : aims__oom();
			goto done;
		}
		cur->record_version = 1;
	} else if (err < 0) {
		goto done;
	} else {
		char dg[72];
		if ((err = aims__inv_model_digest(dg, cur)) < 0 || (err = aims__inv_dup(&prev, dg)) < 0)
			goto done;
	}
	if (m->run_id && (err = aims__inv_run_id(&run_lc, m->run_id)) < 0)
		goto done;
	if ((m->source && (err = set(&cur->source, m->source, &changed)) < 0) ||
	    (run_lc && (err = set(&cur->run, run_lc, &changed)) < 0) ||
	    (m->description && (err = set(&cur->description, m->description, &changed)) < 0) ||
	    (err = set(&cur->tags, strcmp(tags, "{}") ? tags : NULL, &changed)) < 0 ||
	    (err = set(&cur->aliases, aliases, &changed)) < 0)
		goto done;
	if (changed) {
		if (!create)
			cur->record_version++;
		if ((err = aims__inv_model_write(store, cur, create, 0, create ? "import" : "update", prev)) < 0)
			goto done;
		s->created += (size_t)create;
	}
	if (m->run_id) {
		if ((err = aims__inv_node(&mkey, store, "model", "", m->name, m->version)) < 0 ||
		    (err = aims__inv_run_touch(&rkey, store, m->run_id, "mlflow")) < 0 ||
		    (err = aims__inv_edge(store, mkey, "wasGeneratedBy", rkey)) < 0)
			goto done;
		s->runs++;
	}
	err = 0;
done:
	aims__free(run_lc);
	aims_model_free(cur);
	aims__free(tags);
	aims__free(aliases);
	aims__free(prev);
	aims__free(mkey);
	aims__free(rkey);
	return err;
}

int aims_mlflow_import(aims_mlflow_stats *stats, aims_store *store, const char *data, size_t len, const char *name)
{
	aims__json_src src = { name ? name : "input", data, len };
	aims_mlflow_stats s = { 0, 0, 0 };
	json_t *doc = NULL, *arr;
	mv *v = NULL;
	size_t n = 0;
	int err, began = 0;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if ((err = aims__json_parse(&doc, data, len, src.name)) < 0)
		return err;
	if (!json_is_object(doc)) {
		err = aims__err(AIMS_EINVALID, "'%s': expected an MLflow search response object {\"model_versions\": [...]}",
				src.name);
		goto done;
	}
	arr = json_object_get(doc, "model_versions");
	if (arr && !json_is_array(arr)) {
		err = aims__json_field_err(&src, "model_versions", "expected an array");
		goto done;
	}
	n = arr ? json_array_size(arr) : 0;
	if (n && !(v = aims__calloc(n, sizeof(*v)))) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if ((err = check(&v[i], json_array_get(arr, i), i, &src)) < 0)
			goto done;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[i].name, v[j].name) == 0 && strcmp(v[i].version, v[j].version) == 0) {
				char p[64];
				snprintf(p, sizeof(p), "model_versions[%zu]", i);
				err = aims__json_field_err(&src, p, "%s@%s appears twice", v[i].name, v[i].version);
				goto done;
			}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	s.models = n;
	for (size_t i = 0; i < n; i++)
		if ((err = apply(store, &v[i], &s)) < 0)
			goto done;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (stats)
		*stats = s;
done:
	if (began)
		aims_store_rollback(store);
	for (size_t i = 0; v && i < n; i++)
		json_decref(v[i].tags);
	aims__free(v);
	json_decref(doc);
	return err;
}
