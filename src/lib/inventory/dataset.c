/*
 * Datasets (ISO/IEC 42001 A.7.3-A.7.5): name@version with the SHA-256 of
 * the bytes, provenance (source, licence, collection method, personal
 * data) and datasheet notes. A registered name@version is immutable: the
 * same bytes again change nothing, other bytes are refused.
 */
#include <string.h>

#include "aims/ledger.h"
#include "inventory_internal.h"
#include "audit/state.h"

#define DS_COLS "namespace, name, version, digest, size, file, source, licence, collection, personal_data, " \
		"limitations, biases, motivation, preprocessing, uses, distribution, maintenance, origin, " \
		"record_version, created_at, updated_at"

void aims_dataset_free(aims_dataset *d)
{
	if (!d)
		return;
	char **s[] = { &d->ns, &d->name, &d->version, &d->ref, &d->digest, &d->file, &d->source, &d->licence,
		&d->collection, &d->personal_data, &d->limitations, &d->biases, &d->motivation, &d->preprocessing,
		&d->uses, &d->distribution, &d->maintenance, &d->origin, &d->facets, &d->created_at, &d->updated_at };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		aims__free(*s[i]);
	aims__free(d);
}

void aims_datasets_free(aims_datasets *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		aims_dataset_free(l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

static int read_facets(char **out, aims_store *store, const char *ns, const char *name, const char *version)
{
	aims__stmt *st = NULL;
	json_t *o = json_object();
	int err;
	*out = NULL;
	if (!o)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT facet, value FROM dataset_facets WHERE namespace = ? AND "
				      "name = ? AND version = ? ORDER BY facet")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, ns)) < 0 || (err = aims__stmt_bind_text(st, 2, name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, version)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *v = aims__stmt_text(st, 1);
		json_t *j = json_loads(v ? v : "null", JSON_DECODE_ANY, NULL);
		if (!j || json_object_set_new(o, aims__stmt_text(st, 0), j) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (err < 0)
		goto done;
	err = aims__inv_json_canon(out, o);
done:
	json_decref(o);
	aims__stmt_free(st);
	return err;
}

static int row_dataset(aims_dataset **out, aims__stmt *st)
{
	aims_dataset *d = aims__calloc(1, sizeof(*d));
	int err;
	*out = NULL;
	if (!d)
		return aims__oom();
	char **cols[] = { &d->ns, &d->name, &d->version, &d->digest, NULL, &d->file, &d->source, &d->licence,
		&d->collection, &d->personal_data, &d->limitations, &d->biases, &d->motivation, &d->preprocessing,
		&d->uses, &d->distribution, &d->maintenance, &d->origin, NULL, &d->created_at, &d->updated_at };
	for (int i = 0; i < (int)(sizeof(cols) / sizeof(cols[0])); i++)
		if (cols[i] && (err = aims__stmt_text_dup(cols[i], st, i)) < 0)
			goto fail;
	d->size = aims__stmt_type(st, 4) == AIMS__NULL ? -1 : aims__stmt_int64(st, 4);
	d->record_version = aims__stmt_int64(st, 18);
	if ((err = aims__inv_node_ref(&d->ref, "dataset", d->ns, d->name, d->version)) < 0)
		goto fail;
	*out = d;
	return 0;
fail:
	aims_dataset_free(d);
	return err;
}

static int load(aims_dataset **out, aims_store *store, const char *ns, const char *name, const char *version)
{
	aims__stmt *st = NULL;
	int err;
	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " DS_COLS " FROM datasets WHERE namespace = ? AND name = ? "
				      "AND version = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, ns)) < 0 || (err = aims__stmt_bind_text(st, 2, name)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, version)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = AIMS_ENOTFOUND;
		goto done;
	}
	err = row_dataset(out, st);
done:
	aims__stmt_free(st);
	/* the rows are read; the facets need another statement */
	if (err == 0 && (err = read_facets(&(*out)->facets, store, ns, name, version)) < 0) {
		aims_dataset_free(*out);
		*out = NULL;
	}
	return err;
}

int aims_dataset_get(aims_dataset **out, aims_store *store, const char *ref)
{
	char *ns = NULL, *name = NULL, *version = NULL;
	int err;
	*out = NULL;
	if ((err = aims__inv_dataset_find(&ns, &name, &version, store, ref)) == 0)
		err = load(out, store, ns, name, version);
	if (err >= 0 && !*out)
		err = aims__err(AIMS_ERROR, "dataset '%.200s': no row", ref);
	aims__free(ns);
	aims__free(name);
	aims__free(version);
	return err;
}

int aims_dataset_list(aims_datasets **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_datasets *l = aims__calloc(1, sizeof(*l));
	size_t cap = 0;
	int err;
	*out = NULL;
	if (!l)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT " DS_COLS " FROM datasets ORDER BY name, namespace, seq")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(aims_dataset *))) < 0 ||
		    (err = row_dataset(&l->items[l->count], st)) < 0)
			goto fail;
		l->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < l->count; i++) {
		aims_dataset *d = l->items[i];
		if ((err = read_facets(&d->facets, store, d->ns, d->name, d->version)) < 0)
			goto fail;
	}
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_datasets_free(l);
	return err;
}

/* names and versions of registered objects: printable, no spaces, '@' or '#' */
int aims__inv_check_id(const char *what, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > max)
		return aims__err(AIMS_EINVALID, "%s '%.80s': 1 to %zu characters", what, s ? s : "", max);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f || c == '@' || c == '#')
			return aims__err(AIMS_EINVALID, "%s '%.80s': no spaces, control characters, '@' or '#'", what, s);
	}
	return 0;
}

static json_t *record(const aims_dataset *d)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "namespace", d->ns, "name", d->name, "version", d->version, "digest",
			      aims__inv_jstr(d->digest), "size", d->size >= 0 ? json_integer(d->size) : json_null(),
			      "file", aims__inv_jstr(d->file), "source", aims__inv_jstr(d->source), "licence",
			      aims__inv_jstr(d->licence), "collection", aims__inv_jstr(d->collection), "personal_data",
			      aims__inv_jstr(d->personal_data), "limitations", aims__inv_jstr(d->limitations), "biases",
			      aims__inv_jstr(d->biases), "motivation", aims__inv_jstr(d->motivation), "preprocessing",
			      aims__inv_jstr(d->preprocessing), "uses", aims__inv_jstr(d->uses), "distribution",
			      aims__inv_jstr(d->distribution), "maintenance", aims__inv_jstr(d->maintenance));
	return o;
}

int aims__inv_dataset_write(aims_store *store, aims_dataset *d, int create, const char *action, const char *prev)
{
	aims__stmt *st = NULL;
	json_t *rec = record(d);
	char dg[72], now[32];
	int64_t seq = 0;
	int err;
	if (!rec)
		return aims__oom();
	if ((err = aims__inv_json_digest(dg, rec)) < 0)
		goto done;
	aims__time_now(now);
	aims__free(d->updated_at);
	if (!(d->updated_at = aims__strdup(now)) || (create && (aims__free(d->created_at), !(d->created_at = aims__strdup(now))))) {
		err = aims__oom();
		goto done;
	}
	if (create) {
		if ((err = aims__inv_int(&seq, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM datasets", NULL)) < 0 ||
		    (err = aims__stmt_prepare(&st, store, "INSERT INTO datasets (" DS_COLS ", seq) VALUES (?, ?, ?, ?, ?, "
					      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
		    (err = aims__stmt_bind_int64(st, 22, seq)) < 0)
			goto done;
	} else if ((err = aims__stmt_prepare(&st, store, "UPDATE datasets SET namespace = ?, name = ?, version = ?, "
					      "digest = ?, size = ?, file = ?, source = ?, licence = ?, collection = ?, "
					      "personal_data = ?, limitations = ?, biases = ?, motivation = ?, "
					      "preprocessing = ?, uses = ?, distribution = ?, maintenance = ?, origin = ?, "
					      "record_version = ?, created_at = ?, updated_at = ? WHERE namespace = ? AND "
					      "name = ? AND version = ?")) < 0 ||
		   (err = aims__stmt_bind_text(st, 22, d->ns)) < 0 || (err = aims__stmt_bind_text(st, 23, d->name)) < 0 ||
		   (err = aims__stmt_bind_text(st, 24, d->version)) < 0) {
		goto done;
	}
	const char *v[] = { d->ns, d->name, d->version, d->digest, NULL, d->file, d->source, d->licence, d->collection,
		d->personal_data, d->limitations, d->biases, d->motivation, d->preprocessing, d->uses, d->distribution,
		d->maintenance, d->origin };
	for (int i = 0; i < 18; i++)
		if (i != 4 && (err = aims__stmt_bind_text(st, i + 1, v[i])) < 0)
			goto done;
	if ((err = d->size >= 0 ? aims__stmt_bind_int64(st, 5, d->size) : aims__stmt_bind_null(st, 5)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 19, d->record_version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 20, d->created_at)) < 0 || (err = aims__stmt_bind_text(st, 21, d->updated_at)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims__inv_node(NULL, store, "dataset", d->ns, d->name, d->version)) < 0)
		goto done;
	if (action && (err = aims_ledger_append(store, action, "dataset", d->ref, dg, prev)) < 0)
		goto done;
	err = 0;
done:
	json_decref(rec);
	aims__stmt_free(st);
	return err;
}

static int set_field(char **f, const char *v)
{
	if (!v)
		return 0;
	aims__free(*f);
	*f = NULL;
	if (*v && !(*f = aims__strdup(v)))
		return aims__oom();
	return 0;
}

static int check_fields(const aims_dataset_fields *f)
{
	int err;
	if (!f || f->version != AIMS_DATASET_FIELDS_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_dataset_fields version not supported");
	if (f->personal_data && strcmp(f->personal_data, "yes") != 0 && strcmp(f->personal_data, "no") != 0)
		return aims__err(AIMS_EINVALID, "personal data '%.40s': answer yes or no", f->personal_data);
	if ((f->ns && *f->ns && (err = aims__inv_check_text("namespace", f->ns, 0)) < 0) ||
	    (f->ns && strchr(f->ns, '#') && (err = aims__err(AIMS_EINVALID, "namespace '%.80s': no '#'", f->ns)) < 0) ||
	    (err = aims__inv_check_text("source", f->source, 0)) < 0 ||
	    (err = aims__inv_check_text("licence", f->licence, 0)) < 0 ||
	    (err = aims__inv_check_text("collection", f->collection, 1)) < 0 ||
	    (err = aims__inv_check_text("limitations", f->limitations, 1)) < 0 ||
	    (err = aims__inv_check_text("biases", f->biases, 1)) < 0 ||
	    (err = aims__inv_check_text("motivation", f->motivation, 1)) < 0 ||
	    (err = aims__inv_check_text("preprocessing", f->preprocessing, 1)) < 0 ||
	    (err = aims__inv_check_text("uses", f->uses, 1)) < 0 ||
	    (err = aims__inv_check_text("distribution", f->distribution, 1)) < 0 ||
	    (err = aims__inv_check_text("maintenance", f->maintenance, 1)) < 0)
		return err;
	return 0;
}

int aims_dataset_register(int *created, aims_store *store, const char *ref, const aims_artifact *art,
			  const aims_dataset_fields *f)
{
	aims_dataset *d = NULL;
	char *name = NULL, *version = NULL, *prev = NULL;
	const char *ns;
	int err, began = 0, create = 0;

	if (created)
		*created = 0;
	if ((err = check_fields(f)) < 0)
		return err;
	ns = f->ns ? f->ns : "";
	if (!art || art->is_dir || art->count != 1)
		return aims__err(AIMS_EINVALID, "a dataset is registered from one file");
	if ((err = aims__inv_split_ref(&name, &version, strncmp(ref ? ref : "", "dataset:", 8) == 0 ? ref + 8 : ref, 1,
				       "dataset")) < 0)
		return err;
	if ((err = aims__inv_check_id("dataset name", name, 200)) < 0 ||
	    (err = aims__inv_check_id("dataset version", version, 64)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	err = load(&d, store, ns, name, version);
	if (err == AIMS_ENOTFOUND) {
		create = 1;
		if (!(d = aims__calloc(1, sizeof(*d))) || !(d->ns = aims__strdup(ns)) || !(d->name = aims__strdup(name)) ||
		    !(d->version = aims__strdup(version)) || !(d->origin = aims__strdup("register"))) {
			err = aims__oom();
			goto done;
		}
		if ((err = aims__inv_node_ref(&d->ref, "dataset", ns, name, version)) < 0)
			goto done;
		d->record_version = 1;
	} else if (err < 0) {
		goto done;
	} else if (d->digest) {
		if (strcmp(d->digest, art->digest) != 0) {
			err = aims__err(AIMS_ECONFLICT, "dataset %s is registered with %s; '%s' is %s: a version is "
					"immutable, register the new bytes as a new version", d->ref + 8, d->digest,
					art->files[0].path, art->digest);
			goto done;
		}
		err = aims_store_commit(store); /* the same bytes again: nothing to do */
		began = 0;
		goto done;
	} else {
		/* known from lineage only: it gets its digest now */
		d->record_version++;
	}
	if (!create) {
		json_t *r = record(d);
		char dg[72];
		if (!r || aims__inv_json_digest(dg, r) < 0 || !(prev = aims__strdup(dg))) {
			json_decref(r);
			err = aims__oom();
			goto done;
		}
		json_decref(r);
	}
	aims__free(d->digest);
	aims__free(d->file);
	d->digest = aims__strdup(art->digest);
	d->file = aims__strdup(art->files[0].path);
	if (!d->digest || !d->file) {
		err = aims__oom();
		goto done;
	}
	d->size = (int64_t)art->total;
	if ((err = set_field(&d->source, f->source)) < 0 || (err = set_field(&d->licence, f->licence)) < 0 ||
	    (err = set_field(&d->collection, f->collection)) < 0 || (err = set_field(&d->personal_data, f->personal_data)) < 0 ||
	    (err = set_field(&d->limitations, f->limitations)) < 0 || (err = set_field(&d->biases, f->biases)) < 0 ||
	    (err = set_field(&d->motivation, f->motivation)) < 0 || (err = set_field(&d->preprocessing, f->preprocessing)) < 0 ||
	    (err = set_field(&d->uses, f->uses)) < 0 || (err = set_field(&d->distribution, f->distribution)) < 0 ||
	    (err = set_field(&d->maintenance, f->maintenance)) < 0)
		goto done;
	if ((err = aims__inv_dataset_write(store, d, create, create ? "register" : "update", prev)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (created)
		*created = 1;
done:
	if (began)
		aims_store_rollback(store);
	aims_dataset_free(d);
	aims__free(name);
	aims__free(version);
	aims__free(prev);
	return err;
}

int aims_dataset_verify(aims_store *store, const char *ref, const aims_artifact *art)
{
	aims_dataset *d = NULL;
	int err;
	if ((err = aims_dataset_get(&d, store, ref)) < 0)
		return err;
	if (!d->digest)
		err = aims__err(AIMS_ENOTFOUND, "dataset %s has no recorded digest (known from lineage only)", d->ref + 8);
	else if (!art || art->count != 1 || strcmp(art->digest, d->digest) != 0)
		err = aims__err(AIMS_ETAMPERED, "'%s': %s differs from %s registered for dataset %s",
				art && art->count ? art->files[0].path : "?", art ? art->digest : "?", d->digest,
				d->ref + 8);
	aims_dataset_free(d);
	return err;
}

/* ---- state against the ledger ---- */

/* a registered dataset's audit entries name the digest of its record; one known from lineage only has none */
int aims__dataset_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_dataset *d = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " DS_COLS " FROM datasets ORDER BY namespace, name, version")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		json_t *rec = NULL;
		if ((err = row_dataset(&d, st)) < 0)
			break;
		if (!(rec = record(d))) {
			err = aims__oom();
			break;
		}
		err = aims__inv_json_digest(dg, rec);
		json_decref(rec);
		if (err < 0 || (err = emit(arg, "dataset", d->ref, dg, d->origin && strcmp(d->origin, "register") == 0
						   ? AIMS__STATE_LATEST : AIMS__STATE_OPTIONAL)) < 0)
			break;
		aims_dataset_free(d);
		d = NULL;
	}
	aims_dataset_free(d);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
