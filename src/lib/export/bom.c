/*
 * CycloneDX 1.6 ML-BOM of an AI system (docs/inventory.md, "ML-BOM"): the
 * system as the BOM's subject, its models (the deployed ones and those
 * upstream in its lineage) as machine-learning-model components and the
 * datasets upstream of it or its models as data components, each with the
 * SHA-256 digests aims recorded, and the dependencies between them. Built
 * from the same JSON documents the inventory operations return.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/bom.h"
#include "core/core.h"

static int run_op(json_t **out, aims_store *store, const char *name, json_t *req)
{
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx;
	int err;
	*out = NULL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = store;
	ctx.principal = aims_store_principal(store);
	ctx.client = "bom";
	if (!req)
		return aims__oom();
	err = aims_op_call(&res, aims_op_find(name), &ctx, req);
	json_decref(req);
	if (err == 0)
		*out = json_incref(res.json);
	aims_op_result_release(&res);
	return err;
}

static const char *s_(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* hashes: [{"alg": "SHA-256", "content": HEX}] of "sha256:HEX", or NULL */
static json_t *hashes(const char *digest)
{
	if (!digest || strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 71)
		return NULL;
	return json_pack("[{s:s, s:s}]", "alg", "SHA-256", "content", digest + 7);
}

static int add_prop(json_t *props, const char *name, const char *value)
{
	if (!value || !*value)
		return 0;
	return json_array_append_new(props, json_pack("{s:s, s:s}", "name", name, "value", value)) < 0 ? -1 : 0;
}

static json_t *licenses(const char *licence)
{
	return licence ? json_pack("[{s:{s:s}}]", "license", "name", licence) : NULL;
}

/* set k to v when v is not NULL; -1 when out of memory */
static int opt(json_t *o, const char *k, json_t *v)
{
	return v ? (json_object_set_new(o, k, v) < 0 ? -1 : 0) : 0;
}

static json_t *model_component(const json_t *m, json_t *datasets)
{
	json_t *c = json_pack("{s:s, s:s, s:s}", "type", "machine-learning-model", "bom-ref", s_(m, "ref"), "name",
			      s_(m, "name"));
	json_t *props = json_array(), *files = json_array();
	int bad = !c || !props || !files;
	if (!bad && s_(m, "version") && *s_(m, "version"))
		bad |= json_object_set_new(c, "version", json_string(s_(m, "version"))) < 0;
	if (!bad && s_(m, "description"))
		bad |= json_object_set_new(c, "description", json_string(s_(m, "description"))) < 0;
	bad |= !bad && (opt(c, "hashes", hashes(s_(m, "digest"))) < 0 || opt(c, "licenses", licenses(s_(m, "licence"))) < 0);
	bad |= !bad && (add_prop(props, "aims:framework", s_(m, "framework")) < 0 ||
			add_prop(props, "aims:origin", s_(m, "origin")) < 0 || add_prop(props, "aims:run", s_(m, "run")) < 0 ||
			add_prop(props, "aims:kind", s_(m, "kind")) < 0);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(m, "files"), i, f) {
		char ref[1024];
		snprintf(ref, sizeof(ref), "%s/%s", s_(m, "ref"), s_(f, "path"));
		json_t *fc = json_pack("{s:s, s:s, s:s}", "type", "file", "bom-ref", ref, "name", s_(f, "path"));
		if (!fc || opt(fc, "hashes", hashes(s_(f, "digest"))) < 0 || json_array_append_new(files, fc) < 0)
			bad = 1;
	}
	if (!bad && json_array_size(datasets)) {
		json_t *ds = json_array();
		json_t *d;
		json_array_foreach(datasets, i, d) {
			if (!ds || json_array_append_new(ds, json_pack("{s:O}", "ref", d)) < 0)
				bad = 1;
		}
		bad |= !ds || json_object_set_new(c, "modelCard", json_pack("{s:{s:o}}", "modelParameters", "datasets",
									    ds)) < 0;
	}
	if (!bad && json_array_size(props))
		bad |= json_object_set(c, "properties", props) < 0;
	if (!bad && json_array_size(files))
		bad |= json_object_set(c, "components", files) < 0;
	json_decref(props);
	json_decref(files);
	if (bad) {
		json_decref(c);
		return NULL;
	}
	return c;
}

static json_t *dataset_component(const json_t *d)
{
	json_t *c = json_pack("{s:s, s:s, s:s}", "type", "data", "bom-ref", s_(d, "ref"), "name", s_(d, "name"));
	json_t *props = json_array();
	int bad = !c || !props;
	if (!bad && s_(d, "version") && *s_(d, "version"))
		bad |= json_object_set_new(c, "version", json_string(s_(d, "version"))) < 0;
	if (!bad && s_(d, "source"))
		bad |= json_object_set_new(c, "description", json_string(s_(d, "source"))) < 0;
	bad |= !bad && (opt(c, "hashes", hashes(s_(d, "digest"))) < 0 || opt(c, "licenses", licenses(s_(d, "licence"))) < 0);
	if (!bad) {
		json_t *data = json_pack("{s:s, s:s}", "type", "dataset", "name", s_(d, "name"));
		if (data && s_(d, "personal_data"))
			bad |= json_object_set_new(data, "classification",
						   json_string(strcmp(s_(d, "personal_data"), "yes") == 0 ?
							       "personal data" : "no personal data")) < 0;
		if (data && (s_(d, "collection") || s_(d, "motivation"))) {
			const char *desc = s_(d, "motivation") ? s_(d, "motivation") : s_(d, "collection");
			bad |= json_object_set_new(data, "description", json_string(desc)) < 0;
		}
		bad |= !data || json_object_set_new(c, "data", json_pack("[o]", data)) < 0;
	}
	static const char *const keys[] = { "namespace", "collection", "limitations", "biases", "maintenance", "origin" };
	for (size_t k = 0; !bad && k < sizeof(keys) / sizeof(keys[0]); k++) {
		char name[64];
		snprintf(name, sizeof(name), "aims:%s", keys[k]);
		bad |= add_prop(props, name, s_(d, keys[k])) < 0;
	}
	if (!bad && json_array_size(props))
		bad |= json_object_set(c, "properties", props) < 0;
	json_decref(props);
	if (bad) {
		json_decref(c);
		return NULL;
	}
	return c;
}

static int push_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (strcmp(json_string_value(v), s) == 0) return 0;
	}
	return json_array_append_new(arr, json_string(s)) < 0 ? aims__oom() : 0;
}

int aims_system_bom(json_t **out, aims_store *store, const char *system)
{
	json_t *sys = NULL, *up = NULL, *models = json_array(), *datasets = json_array(), *comps = json_array();
	json_t *deps = json_array(), *bom = NULL;
	int err;
	*out = NULL;
	if (!models || !datasets || !comps || !deps) {
		err = aims__oom();
		goto done;
	}
	if ((err = run_op(&sys, store, "system.show", json_pack("{s:s}", "name", system))) < 0)
		goto done;
	char ref[600];
	snprintf(ref, sizeof(ref), "system:%s", system);
	/* the models: deployed ones, then those upstream in the lineage; the datasets upstream */
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(sys, "deployments"), i, d) {
		char mref[600];
		snprintf(mref, sizeof(mref), "model:%s", s_(d, "model"));
		if ((err = push_unique(models, mref)) < 0)
			goto done;
	}
	if ((err = run_op(&up, store, "lineage.upstream", json_pack("{s:s}", "ref", ref))) < 0)
		goto done;
	json_array_foreach(json_object_get(up, "nodes"), i, d) {
		const char *t = s_(d, "type");
		if (t && strcmp(t, "model") == 0 && (err = push_unique(models, s_(d, "ref"))) < 0)
			goto done;
		if (t && strcmp(t, "dataset") == 0 && (err = push_unique(datasets, s_(d, "ref"))) < 0)
			goto done;
	}
	json_t *sys_deps = json_array();
	if (!sys_deps || json_array_append_new(deps, json_pack("{s:s, s:o}", "ref", ref, "dependsOn", sys_deps)) < 0) {
		err = aims__oom();
		goto done;
	}
	json_t *mref;
	json_array_foreach(models, i, mref) {
		json_t *m = NULL;
		const char *r = json_string_value(mref);
		if ((err = run_op(&m, store, "model.show", json_pack("{s:s}", "ref", r))) < 0) {
			if (err != AIMS_ENOTFOUND)
				goto done;
			aims_error_clear();
			continue; /* a model known only by name in the lineage */
		}
		json_t *mds = json_array();
		size_t k;
		json_t *t;
		json_array_foreach(json_object_get(m, "trained_on"), k, t) {
			const char *tr = json_string_value(t);
			char dref[600];
			snprintf(dref, sizeof(dref), "%s%s", strncmp(tr, "dataset:", 8) == 0 ? "" : "dataset:", tr);
			if (!mds || push_unique(mds, dref) < 0 || push_unique(datasets, dref) < 0)
				err = aims__oom();
		}
		json_t *c = err < 0 ? NULL : model_component(m, mds);
		json_decref(m);
		if (!c || json_array_append_new(comps, c) < 0 ||
		    json_array_append_new(sys_deps, json_string(r)) < 0 ||
		    json_array_append_new(deps, json_pack("{s:s, s:O}", "ref", r, "dependsOn", mds)) < 0) {
			json_decref(mds);
			err = err < 0 ? err : aims__oom();
			goto done;
		}
		json_decref(mds);
	}
	json_t *dref;
	json_array_foreach(datasets, i, dref) {
		json_t *ds = NULL;
		if ((err = run_op(&ds, store, "dataset.show", json_pack("{s:s}", "ref", json_string_value(dref)))) < 0) {
			if (err != AIMS_ENOTFOUND)
				goto done;
			aims_error_clear();
			continue;
		}
		json_t *c = dataset_component(ds);
		json_decref(ds);
		if (!c || json_array_append_new(comps, c) < 0 ||
		    json_array_append_new(deps, json_pack("{s:s, s:[]}", "ref", json_string_value(dref), "dependsOn")) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	/* a dependency may name only components of the BOM */
	json_t *known = json_object();
	if (!known || json_object_set_new(known, ref, json_true()) < 0) {
		json_decref(known);
		err = aims__oom();
		goto done;
	}
	json_t *c;
	json_array_foreach(comps, i, c) {
		json_object_set_new(known, s_(c, "bom-ref"), json_true());
	}
	json_array_foreach(deps, i, d) {
		json_t *on = json_object_get(d, "dependsOn");
		for (size_t k = json_array_size(on); k-- > 0;)
			if (!json_object_get(known, json_string_value(json_array_get(on, k))))
				json_array_remove(on, k);
	}
	json_decref(known);
	char u[37], name[700];
	snprintf(name, sizeof(name), "bom/%s/%s", system, s_(sys, "digest") ? s_(sys, "digest") : "");
	if ((err = aims_oscal_uuid(u, name)) < 0)
		goto done;
	char serial[64];
	snprintf(serial, sizeof(serial), "urn:uuid:%s", u);
	json_t *props = json_array();
	static const char *const keys[] = { "intended_use", "owner", "lifecycle", "role", "oversight", "affected_groups",
					    "status", "digest" };
	for (size_t k = 0; props && k < sizeof(keys) / sizeof(keys[0]); k++) {
		char pn[64];
		snprintf(pn, sizeof(pn), "aims:%s", keys[k]);
		if (add_prop(props, pn, s_(sys, keys[k])) < 0)
			err = aims__oom();
	}
	json_t *subject = json_pack("{s:s, s:s, s:s, s:I}", "type", "application", "bom-ref", ref, "name", system,
				    "version", (json_int_t)0);
	if (subject) {
		char v[32];
		snprintf(v, sizeof(v), "%lld", (long long)json_integer_value(json_object_get(sys, "version")));
		json_object_set_new(subject, "version", json_string(v));
		if (s_(sys, "purpose"))
			json_object_set_new(subject, "description", json_string(s_(sys, "purpose")));
		if (props && json_array_size(props))
			json_object_set(subject, "properties", props);
	}
	json_decref(props);
	bom = json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:{s:[{s:s, s:s, s:s}]}, s:o}, s:O, s:O}", "bomFormat",
			"CycloneDX", "specVersion", "1.6", "serialNumber", serial, "version", 1, "metadata", "timestamp",
			s_(sys, "updated_at"), "tools", "components", "type", "application", "name", "aims", "version",
			AIMS_VERSION, "component", subject, "components", comps, "dependencies", deps);
	if (!bom || err < 0) {
		err = err < 0 ? err : aims__oom();
		goto done;
	}
	*out = bom;
	bom = NULL;
	err = 0;
done:
	json_decref(bom);
	json_decref(sys);
	json_decref(up);
	json_decref(models);
	json_decref(datasets);
	json_decref(comps);
	json_decref(deps);
	return err;
}
