/*
 * Models (ISO/IEC 42001 A.4.3, A.6.2.7): name@version with the digest of
 * the artifact (a file, or a directory's files and manifest), framework,
 * licence, training run and the datasets it was trained on. name@version is
 * immutable as for datasets.
 */
#include <string.h>

#include "aims/ledger.h"
#include "inventory_internal.h"
#include "audit/state.h"

#define M_COLS "name, version, digest, kind, framework, licence, run, source, description, tags, aliases, origin, " \
	       "record_version, created_at, updated_at"

void aims_model_free(aims_model *m)
{
	if (!m)
		return;
	char **s[] = { &m->name, &m->version, &m->ref, &m->digest, &m->kind, &m->framework, &m->licence, &m->run,
		&m->source, &m->description, &m->tags, &m->aliases, &m->origin, &m->created_at, &m->updated_at };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		aims__free(*s[i]);
	for (size_t i = 0; i < m->nfiles; i++) {
		aims__free(m->files[i].path);
		aims__free(m->files[i].digest);
	}
	aims__free(m->files);
	for (size_t i = 0; i < m->ntrained_on; i++)
		aims__free(m->trained_on[i]);
	aims__free(m->trained_on);
	aims__free(m);
}

void aims_models_free(aims_models *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		aims_model_free(l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

static int row_model(aims_model **out, aims__stmt *st)
{
	aims_model *m = aims__calloc(1, sizeof(*m));
	int err;
	*out = NULL;
	if (!m)
		return aims__oom();
	char **cols[] = { &m->name, &m->version, &m->digest, &m->kind, &m->framework, &m->licence, &m->run, &m->source,
		&m->description, &m->tags, &m->aliases, &m->origin, NULL, &m->created_at, &m->updated_at };
	for (int i = 0; i < (int)(sizeof(cols) / sizeof(cols[0])); i++)
		if (cols[i] && (err = aims__stmt_text_dup(cols[i], st, i)) < 0)
			goto fail;
	m->record_version = aims__stmt_int64(st, 12);
	if ((err = aims__inv_node_ref(&m->ref, "model", "", m->name, m->version)) < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	aims_model_free(m);
	return err;
}

/* files and trained-on datasets of a model */
static int load_details(aims_model *m, aims_store *store)
{
	aims__stmt *st = NULL;
	size_t cap = 0;
	char *key = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT path, digest, size FROM model_files WHERE name = ? AND "
				      "version = ? ORDER BY path")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, m->name)) < 0 || (err = aims__stmt_bind_text(st, 2, m->version)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&m->files, &cap, m->nfiles + 1, sizeof(*m->files))) < 0)
			goto done;
		aims_model_file *f = &m->files[m->nfiles];
		memset(f, 0, sizeof(*f));
		m->nfiles++;
		f->size = aims__stmt_int64(st, 2);
		if ((err = aims__stmt_text_dup(&f->path, st, 0)) < 0 || (err = aims__stmt_text_dup(&f->digest, st, 1)) < 0)
			goto done;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	cap = 0;
	if ((err = aims__inv_node_key(&key, "model", "", m->name, m->version)) < 0 ||
	    (err = aims__stmt_prepare(&st, store, "SELECT n.type, n.namespace, n.name, n.version FROM lineage_edges e "
				      "JOIN lineage_nodes n ON n.key = e.dst WHERE e.src = ? AND "
				      "e.relation = 'wasDerivedFrom' ORDER BY n.key")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&m->trained_on, &cap, m->ntrained_on + 1, sizeof(*m->trained_on))) < 0 ||
		    (err = aims__inv_node_ref(&m->trained_on[m->ntrained_on], aims__stmt_text(st, 0),
					      aims__stmt_text(st, 1), aims__stmt_text(st, 2), aims__stmt_text(st, 3))) < 0)
			goto done;
		m->ntrained_on++;
	}
	if (err > 0)
		err = 0;
done:
	aims__free(key);
	aims__stmt_free(st);
	return err;
}

static int load(aims_model **out, aims_store *store, const char *name, const char *version)
{
	aims__stmt *st = NULL;
	int err;
	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " M_COLS " FROM models WHERE name = ? AND version = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_bind_text(st, 2, version)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = AIMS_ENOTFOUND;
		goto done;
	}
	err = row_model(out, st);
done:
	aims__stmt_free(st);
	if (err == 0 && (err = load_details(*out, store)) < 0) {
		aims_model_free(*out);
		*out = NULL;
	}
	return err;
}

int aims__inv_model_load(aims_model **out, aims_store *store, const char *name, const char *version)
{
	return load(out, store, name, version);
}

int aims_model_get(aims_model **out, aims_store *store, const char *ref)
{
	char *name = NULL, *version = NULL;
	int err;
	*out = NULL;
	if ((err = aims__inv_model_find(&name, &version, store, ref)) == 0)
		err = load(out, store, name, version);
	if (err >= 0 && !*out)
		err = aims__err(AIMS_ERROR, "model '%.200s': no row", ref);
	aims__free(name);
	aims__free(version);
	return err;
}

int aims_model_list(aims_models **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_models *l = aims__calloc(1, sizeof(*l));
	size_t cap = 0;
	int err;
	*out = NULL;
	if (!l)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT " M_COLS " FROM models ORDER BY name, seq")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(aims_model *))) < 0 ||
		    (err = row_model(&l->items[l->count], st)) < 0)
			goto fail;
		l->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < l->count; i++)
		if ((err = load_details(l->items[i], store)) < 0)
			goto fail;
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_models_free(l);
	return err;
}

static json_t *record(const aims_model *m)
{
	json_t *files = json_array(), *tags = NULL, *aliases = NULL;
	for (size_t i = 0; files && i < m->nfiles; i++)
		json_array_append_new(files, json_pack("{s:s, s:s, s:I}", "path", m->files[i].path, "digest",
						       m->files[i].digest, "size", (json_int_t)m->files[i].size));
	tags = m->tags ? json_loads(m->tags, 0, NULL) : json_null();
	aliases = m->aliases ? json_loads(m->aliases, 0, NULL) : json_null();
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o*, s:o*, s:o*}", "name", m->name, "version",
			 m->version, "digest", aims__inv_jstr(m->digest), "kind", aims__inv_jstr(m->kind), "framework",
			 aims__inv_jstr(m->framework), "licence", aims__inv_jstr(m->licence), "run",
			 aims__inv_jstr(m->run), "source", aims__inv_jstr(m->source), "description",
			 aims__inv_jstr(m->description), "tags", tags, "aliases", aliases, "files", files);
}

int aims__inv_model_digest(char out[72], const aims_model *m)
{
	json_t *r = record(m);
	int err;
	if (!r)
		return aims__oom();
	err = aims__inv_json_digest(out, r);
	json_decref(r);
	return err;
}

/* insert or update the model row (files: replaced when `replace_files`); node; audit entry when action set */
int aims__inv_model_write(aims_store *store, aims_model *m, int create, int replace_files, const char *action,
			  const char *prev)
{
	aims__stmt *st = NULL;
	char dg[72], now[32];
	int64_t seq = 0;
	int err;
	aims__time_now(now);
	aims__free(m->updated_at);
	if (!(m->updated_at = aims__strdup(now)) ||
	    (create && (aims__free(m->created_at), !(m->created_at = aims__strdup(now)))))
		return aims__oom();
	if (create) {
		if ((err = aims__inv_int(&seq, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM models", NULL)) < 0 ||
		    (err = aims__stmt_prepare(&st, store, "INSERT INTO models (" M_COLS ", seq) VALUES (?, ?, ?, ?, ?, ?, "
					      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
		    (err = aims__stmt_bind_int64(st, 16, seq)) < 0)
			goto done;
	} else if ((err = aims__stmt_prepare(&st, store, "UPDATE models SET name = ?, version = ?, digest = ?, kind = ?, "
					      "framework = ?, licence = ?, run = ?, source = ?, description = ?, tags = ?, "
					      "aliases = ?, origin = ?, record_version = ?, created_at = ?, updated_at = ? "
					      "WHERE name = ? AND version = ?")) < 0 ||
		   (err = aims__stmt_bind_text(st, 16, m->name)) < 0 || (err = aims__stmt_bind_text(st, 17, m->version)) < 0) {
		goto done;
	}
	const char *v[] = { m->name, m->version, m->digest, m->kind, m->framework, m->licence, m->run, m->source,
		m->description, m->tags, m->aliases, m->origin };
	for (int i = 0; i < 12; i++)
		if ((err = aims__stmt_bind_text(st, i + 1, v[i])) < 0)
			goto done;
	if ((err = aims__stmt_bind_int64(st, 13, m->record_version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 14, m->created_at)) < 0 || (err = aims__stmt_bind_text(st, 15, m->updated_at)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if (replace_files) {
		if ((err = aims__stmt_prepare(&st, store, "DELETE FROM model_files WHERE name = ? AND version = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, m->name)) < 0 || (err = aims__stmt_bind_text(st, 2, m->version)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
		if ((err = aims__stmt_prepare(&st, store, "INSERT INTO model_files (name, version, path, digest, size) "
					      "VALUES (?, ?, ?, ?, ?)")) < 0)
			goto done;
		for (size_t i = 0; i < m->nfiles; i++)
			if ((err = aims__stmt_reset(st)) < 0 || (err = aims__stmt_bind_text(st, 1, m->name)) < 0 ||
			    (err = aims__stmt_bind_text(st, 2, m->version)) < 0 ||
			    (err = aims__stmt_bind_text(st, 3, m->files[i].path)) < 0 ||
			    (err = aims__stmt_bind_text(st, 4, m->files[i].digest)) < 0 ||
			    (err = aims__stmt_bind_int64(st, 5, m->files[i].size)) < 0 || (err = aims__stmt_step(st)) < 0)
				goto done;
	}
	if ((err = aims__inv_node(NULL, store, "model", "", m->name, m->version)) < 0)
		goto done;
	if (action && ((err = aims__inv_model_digest(dg, m)) < 0 ||
		       (err = aims_ledger_append(store, action, "model", m->ref, dg, prev)) < 0))
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* a run row for an id we have not seen (so a model can point at it) */
int aims__inv_run_touch(char **key, aims_store *store, const char *run_id, const char *origin)
{
	aims__stmt *st = NULL;
	char now[32], *id = NULL;
	int64_t seq = 0, have = 0;
	int err;
	aims__time_now(now);
	if ((err = aims__inv_run_id(&id, run_id)) < 0)
		return err;
	if ((err = aims__inv_int(&have, store, "SELECT COUNT(*) FROM runs WHERE id = ?", id)) < 0)
		goto done;
	if (have) {
		err = aims__inv_node(key, store, "run", "", id, "");
		goto done;
	}
	if ((err = aims__inv_int(&seq, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM runs", NULL)) < 0 ||
	    (err = aims__stmt_prepare(&st, store, "INSERT INTO runs (id, seq, origin, record_version, created_at, "
				      "updated_at) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, origin)) < 0 || (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = aims__inv_node(key, store, "run", "", id, "");
done:
	aims__stmt_free(st);
	aims__free(id);
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

static int set_files(aims_model *m, const aims_artifact *art)
{
	aims__free(m->digest);
	aims__free(m->kind);
	m->digest = aims__strdup(art->digest);
	m->kind = aims__strdup(art->is_dir ? "dir" : "file");
	if (!m->digest || !m->kind || (art->count && !(m->files = aims__calloc(art->count, sizeof(*m->files)))))
		return aims__oom();
	for (size_t i = 0; i < art->count; i++, m->nfiles++) {
		m->files[i].size = (int64_t)art->files[i].size;
		if (!(m->files[i].path = aims__strdup(art->files[i].path)) ||
		    !(m->files[i].digest = aims__strdup(art->files[i].digest)))
			return aims__oom();
	}
	return 0;
}

/* the training run id, as runs are stored: lower case */
static int set_run(char **field, const char *run)
{
	char *lc = NULL;
	int err;
	if (!run)
		return 0;
	if ((err = aims__inv_run_id(&lc, run)) < 0)
		return err;
	err = set_field(field, lc);
	aims__free(lc);
	return err;
}

int aims_model_register(int *created, aims_store *store, const char *ref, const aims_artifact *art,
			const aims_model_fields *f)
{
	aims_model *m = NULL;
	char *name = NULL, *version = NULL, *prev = NULL, *mkey = NULL, *k = NULL, *a = NULL, *b = NULL, *c = NULL;
	int err, began = 0, create = 0;

	if (created)
		*created = 0;
	if (!f || f->version != AIMS_MODEL_FIELDS_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_model_fields version not supported");
	if ((err = aims__inv_check_text("framework", f->framework, 0)) < 0 ||
	    (err = aims__inv_check_text("licence", f->licence, 0)) < 0 ||
	    (err = aims__inv_check_text("source", f->source, 0)) < 0 ||
	    (err = aims__inv_check_text("description", f->description, 1)) < 0 ||
	    (f->run && (err = aims__inv_check_text("run", f->run, 0)) < 0))
		return err;
	if (f->run && !*f->run)
		return aims__err(AIMS_EINVALID, "run: empty id");
	if ((err = aims__inv_split_ref(&name, &version, strncmp(ref ? ref : "", "model:", 6) == 0 ? ref + 6 : ref, 1,
				       "model")) < 0)
		return err;
	if ((err = aims__inv_check_id("model name", name, 200)) < 0 ||
	    (err = aims__inv_check_id("model version", version, 64)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	err = load(&m, store, name, version);
	if (err == AIMS_ENOTFOUND) {
		create = 1;
		if (!(m = aims__calloc(1, sizeof(*m))) || !(m->name = aims__strdup(name)) ||
		    !(m->version = aims__strdup(version)) || !(m->origin = aims__strdup("register"))) {
			err = aims__oom();
			goto done;
		}
		if ((err = aims__inv_node_ref(&m->ref, "model", "", name, version)) < 0)
			goto done;
		m->record_version = 1;
	} else if (err < 0) {
		goto done;
	} else if (m->digest) {
		if (art && strcmp(m->digest, art->digest) != 0) {
			err = aims__err(AIMS_ECONFLICT, "model %s is registered with %s; the given %s is %s: a version is "
					"immutable, register the new artifact as a new version", m->ref + 6, m->digest,
					art->is_dir ? "directory" : "file", art->digest);
			goto done;
		}
		err = aims_store_commit(store); /* the same artifact again: nothing to do */
		began = 0;
		goto done;
	} else {
		char dg[72];
		if ((err = aims__inv_model_digest(dg, m)) < 0 || (err = aims__inv_dup(&prev, dg)) < 0)
			goto done;
		m->record_version++;
	}
	if (art) {
		for (size_t i = 0; i < m->nfiles; i++) {
			aims__free(m->files[i].path);
			aims__free(m->files[i].digest);
		}
		aims__free(m->files);
		m->files = NULL;
		m->nfiles = 0;
		if ((err = set_files(m, art)) < 0)
			goto done;
	}
	if ((err = set_field(&m->framework, f->framework)) < 0 || (err = set_field(&m->licence, f->licence)) < 0 ||
	    (err = set_run(&m->run, f->run)) < 0 || (err = set_field(&m->source, f->source)) < 0 ||
	    (err = set_field(&m->description, f->description)) < 0)
		goto done;
	if ((err = aims__inv_model_write(store, m, create, art != NULL, create ? "register" : "update", prev)) < 0 ||
	    (err = aims__inv_node(&mkey, store, "model", "", m->name, m->version)) < 0)
		goto done;
	for (size_t i = 0; i < f->ntrained_on; i++) {
		if ((err = aims__inv_dataset_find(&a, &b, &c, store, f->trained_on[i])) < 0 ||
		    (err = aims__inv_node(&k, store, "dataset", a, b, c)) < 0 ||
		    (err = aims__inv_edge(store, mkey, "wasDerivedFrom", k)) < 0)
			goto done;
		aims__free(a);
		aims__free(b);
		aims__free(c);
		aims__free(k);
		a = b = c = k = NULL;
	}
	if (f->run && ((err = aims__inv_run_touch(&k, store, f->run, "register")) < 0 ||
		       (err = aims__inv_edge(store, mkey, "wasGeneratedBy", k)) < 0))
		goto done;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (created)
		*created = 1;
done:
	if (began)
		aims_store_rollback(store);
	aims_model_free(m);
	aims__free(name);
	aims__free(version);
	aims__free(prev);
	aims__free(mkey);
	aims__free(k);
	aims__free(a);
	aims__free(b);
	aims__free(c);
	return err;
}

int aims_model_verify(aims_store *store, const char *ref, const aims_artifact *art)
{
	aims_model *m = NULL;
	int err = 0;
	if ((err = aims_model_get(&m, store, ref)) < 0)
		return err;
	if (!m->digest) {
		err = aims__err(AIMS_ENOTFOUND, "model %s has no recorded artifact digest", m->ref + 6);
		goto done;
	}
	if (!art) {
		err = aims__err(AIMS_EUSAGE, "aims_model_verify: no artifact");
		goto done;
	}
	if (strcmp(m->kind ? m->kind : "", "file") == 0 || !art->is_dir) {
		/* a single file is compared by content whatever its name */
		if (art->is_dir || art->count != 1 || strcmp(art->digest, m->digest) != 0)
			err = aims__err(AIMS_ETAMPERED, "'%s': %s differs from %s registered for model %s",
					art->count ? art->files[0].path : "?", art->digest, m->digest, m->ref + 6);
		goto done;
	}
	size_t i = 0, j = 0;
	while (i < m->nfiles || j < art->count) {
		int c = i >= m->nfiles ? 1 : j >= art->count ? -1 : strcmp(m->files[i].path, art->files[j].path);
		if (c < 0) {
			err = aims__err(AIMS_ETAMPERED, "'%s': missing (registered for model %s with %s)", m->files[i].path,
					m->ref + 6, m->files[i].digest);
			goto done;
		}
		if (c > 0) {
			err = aims__err(AIMS_ETAMPERED, "'%s': not a file of model %s", art->files[j].path, m->ref + 6);
			goto done;
		}
		if (strcmp(m->files[i].digest, art->files[j].digest) != 0) {
			err = aims__err(AIMS_ETAMPERED, "'%s': %s differs from %s registered for model %s", art->files[j].path,
					art->files[j].digest, m->files[i].digest, m->ref + 6);
			goto done;
		}
		i++;
		j++;
	}
	if (strcmp(art->digest, m->digest) != 0)
		err = aims__err(AIMS_ETAMPERED, "manifest %s differs from %s registered for model %s", art->digest,
				m->digest, m->ref + 6);
done:
	aims_model_free(m);
	return err;
}

/* ---- state against the ledger ---- */

/* a registered or imported model's audit entries name the digest of its record (with its files) */
int aims__model_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_model *m = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT name, version FROM models ORDER BY name, version")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = load(&m, store, aims__stmt_text(st, 0), aims__stmt_text(st, 1))) < 0 ||
		    (err = aims__inv_model_digest(dg, m)) < 0 ||
		    (err = emit(arg, "model", m->ref, dg, m->origin && strcmp(m->origin, "openlineage") == 0
				? AIMS__STATE_OPTIONAL : AIMS__STATE_LATEST)) < 0)
			break;
		aims_model_free(m);
		m = NULL;
	}
	aims_model_free(m);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
