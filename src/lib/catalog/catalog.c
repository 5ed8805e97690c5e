/*
 * Framework catalogs: parsing and validating catalog files
 * (docs/catalog-format.md), storing them, and reading them back. A catalog
 * keeps its JSON document and an index of requirements whose strings point
 * into it, so a catalog parsed from a file and one read from the store are
 * the same kind of object and print the same way.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/crosswalk.h"
#include "aims/ledger.h"
#include "catalog_internal.h"
#include "core/json.h"
#include "store/store_internal.h"
#include "audit/state.h"

const char *const aims_requirement_kinds[] = {
	"clause", "control", "group", "function", "category", "subcategory",
	"chapter", "section", "article", "annex", "annex-iii-area", NULL,
};

static const char *const top_keys[] = {
	"aims_catalog", "framework", "title", "version", "publisher", "source",
	"licence", "notes", "requirements",
};

static const char *const req_keys[] = {
	"id", "kind", "title", "parent", "summary", "text", "chapter",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))



int aims__framework_id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
		      s[n] == '.' || s[n] == '-'))
			return 0;
	return n > 0 && n <= 64;
}






void aims_catalog_free(aims_catalog *cat)
{
	if (!cat)
		return;
	json_decref(cat->root);
	aims__free(cat->reqs);
	aims__free(cat->order);
	aims__free(cat);
}

static int cmp_id(const void *a, const void *b, void *ctx)
{
	const aims_requirement *reqs = ctx;
	return strcmp(reqs[*(const size_t *)a].id, reqs[*(const size_t *)b].id);
}

/* insertion-free sort with context: qsort_r is a GNU extension, so sort ids by a small merge sort */
static void sort_index(size_t *idx, size_t *tmp, size_t n, const aims_requirement *reqs)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_index(idx, tmp, h, reqs);
	sort_index(idx + h, tmp, n - h, reqs);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = cmp_id(&idx[i], &idx[j], (void *)reqs) <= 0 ? idx[i++] : idx[j++];
	while (i < h)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

static const aims_requirement *find_sorted(const aims_catalog *cat, const char *id, size_t limit_seq)
{
	size_t lo = 0, hi = cat->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const aims_requirement *r = &cat->reqs[cat->order[mid]];
		int c = strcmp(id, r->id);
		if (c == 0)
			return cat->order[mid] < limit_seq ? r : NULL;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Validate a parsed catalog document and build the requirement index.
 * Takes ownership of `root`. `src->text` may be NULL (from the store).
 */
int aims__catalog_from_json(aims_catalog **out, json_t *root, const src_info_pub *pub)
{
	aims__json_src src_s = { pub->name, pub->text, pub->len };
	const aims__json_src *src = &src_s;
	aims_catalog *cat = NULL;
	size_t *tmp = NULL;
	json_t *v, *reqs;
	char path[96];
	int err;

	*out = NULL;
	if (!json_is_object(root)) {
		err = aims__json_field_err(src, "(top level)", "must be a JSON object");
		goto fail;
	}
	if (json_object_get(root, "aims_crosswalk")) {
		err = aims__err(AIMS_EINVALID, "'%s': is a crosswalk file, not a framework catalog",
				src->name);
		goto fail;
	}
	v = json_object_get(root, "aims_catalog");
	if (!v) {
		err = aims__json_field_err(src, "(top level)", "missing field 'aims_catalog' (not an aims catalog file)");
		goto fail;
	}
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		err = json_is_integer(v) ? AIMS_EVERSION : AIMS_EINVALID;
		aims__json_path_err(err, src->name, src->text, src->len, "aims_catalog",
				    "unsupported catalog format version (this aims reads 1)");
		goto fail;
	}
	if (!(cat = aims__calloc(1, sizeof(*cat)))) {
		err = aims__oom();
		goto fail;
	}
	cat->root = root;
	root = NULL;
	if ((err = aims__json_check_keys(cat->root, top_keys, COUNT(top_keys), src, "")) < 0)
		goto fail;
	aims_framework *fw = &cat->fw;
	if ((err = aims__json_get_str(&fw->framework, cat->root, "framework", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&fw->title, cat->root, "title", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&fw->version, cat->root, "version", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&fw->publisher, cat->root, "publisher", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&fw->source, cat->root, "source", 1, 0, src, "")) < 0 ||
	    (err = aims__json_get_str(&fw->licence, cat->root, "licence", 1, 0, src, "")) < 0 ||
	    (err = aims__json_get_str(&fw->notes, cat->root, "notes", 0, 0, src, "")) < 0)
		goto fail;
	if (!aims__framework_id_ok(fw->framework)) {
		err = aims__json_field_err(src, "framework", "'%s' is not a framework id (lowercase letters, digits, '.', '-')",
				fw->framework);
		goto fail;
	}
	reqs = json_object_get(cat->root, "requirements");
	if (!reqs) {
		err = aims__json_field_err(src, "(top level)", "missing field 'requirements'");
		goto fail;
	}
	if (!json_is_array(reqs) || json_array_size(reqs) == 0) {
		err = aims__json_field_err(src, "requirements", "must be a non-empty array");
		goto fail;
	}
	cat->count = json_array_size(reqs);
	if (!(cat->reqs = aims__calloc(cat->count, sizeof(*cat->reqs))) ||
	    !(cat->order = aims__calloc(cat->count, sizeof(*cat->order))) ||
	    !(tmp = aims__calloc(cat->count, sizeof(*tmp)))) {
		err = aims__oom();
		goto fail;
	}
	for (size_t i = 0; i < cat->count; i++) {
		json_t *r = json_array_get(reqs, i);
		aims_requirement *q = &cat->reqs[i];
		snprintf(path, sizeof(path), "requirements[%zu]", i);
		if (!json_is_object(r)) {
			err = aims__json_field_err(src, path, "must be an object");
			goto fail;
		}
		if ((err = aims__json_check_keys(r, req_keys, COUNT(req_keys), src, path)) < 0 ||
		    (err = aims__json_get_str(&q->id, r, "id", 1, 1, src, path)) < 0 ||
		    (err = aims__json_get_str(&q->kind, r, "kind", 1, 1, src, path)) < 0 ||
		    (err = aims__json_get_str(&q->title, r, "title", 1, 0, src, path)) < 0 ||
		    (err = aims__json_get_str(&q->summary, r, "summary", 0, 0, src, path)) < 0 ||
		    (err = aims__json_get_str(&q->text, r, "text", 0, 0, src, path)) < 0 ||
		    (err = aims__json_get_str(&q->chapter, r, "chapter", 0, 1, src, path)) < 0)
			goto fail;
		if (!json_object_get(r, "parent")) {
			err = aims__json_field_err(src, path, "missing field 'parent' (use null at top level)");
			goto fail;
		}
		if ((err = aims__json_get_str(&q->parent, r, "parent", 0, 1, src, path)) < 0)
			goto fail;
		if (strlen(q->id) > 64) {
			char p2[128];
			snprintf(p2, sizeof(p2), "%s.id", path);
			err = aims__json_field_err(src, p2, "longer than 64 characters");
			goto fail;
		}
		if (!aims__in_list(q->kind, aims_requirement_kinds, COUNT(aims_requirement_kinds) - 1)) {
			char p2[128];
			snprintf(p2, sizeof(p2), "%s.kind", path);
			err = aims__json_field_err(src, p2, "unknown kind '%s'", q->kind);
			goto fail;
		}
		cat->order[i] = i;
	}
	sort_index(cat->order, tmp, cat->count, cat->reqs);
	for (size_t i = 1; i < cat->count; i++) {
		if (strcmp(cat->reqs[cat->order[i - 1]].id, cat->reqs[cat->order[i]].id) == 0) {
			size_t later = cat->order[i - 1] > cat->order[i] ? cat->order[i - 1] : cat->order[i];
			snprintf(path, sizeof(path), "requirements[%zu].id", later);
			err = aims__json_field_err(src, path, "duplicate id '%s'", cat->reqs[later].id);
			goto fail;
		}
	}
	/* a parent must be an earlier requirement: the catalog reads top-down */
	for (size_t i = 0; i < cat->count; i++) {
		const char *parent = cat->reqs[i].parent;
		if (parent && !find_sorted(cat, parent, i)) {
			snprintf(path, sizeof(path), "requirements[%zu].parent", i);
			err = aims__json_field_err(src, path, "'%s' is not the id of an earlier requirement", parent);
			goto fail;
		}
	}
	aims__free(tmp);
	*out = cat;
	return 0;
fail:
	aims__free(tmp);
	json_decref(root);
	aims_catalog_free(cat);
	return err;
}

int aims_catalog_parse(aims_catalog **out, const char *data, size_t len, const char *name)
{
	json_t *root = NULL;
	unsigned char md[32];
	int err;

	*out = NULL;
	if (!name)
		name = "(catalog)";
	if ((err = aims__json_parse(&root, data, len, name)) < 0)
		return err;
	src_info_pub src = { name, data, len };
	if ((err = aims__catalog_from_json(out, root, &src)) < 0)
		return err;
	if ((err = aims__sha256_oneshot(md, data, len)) < 0) {
		aims_catalog_free(*out);
		*out = NULL;
		return err;
	}
	aims__hex((*out)->digest, md, 32);
	(*out)->fw.digest = (*out)->digest;
	return 0;
}

int aims_catalog_parse_file(aims_catalog **out, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	if ((err = aims_file_read(&data, &len, path, 0)) < 0)
		return err;
	err = aims_catalog_parse(out, data, len, path);
	aims__free(data);
	return err;
}

const aims_framework *aims_catalog_framework(const aims_catalog *cat)
{
	return &cat->fw;
}

size_t aims_catalog_count(const aims_catalog *cat)
{
	return cat->count;
}

const aims_requirement *aims_catalog_at(const aims_catalog *cat, size_t i)
{
	return i < cat->count ? &cat->reqs[i] : NULL;
}

const aims_requirement *aims_catalog_find(const aims_catalog *cat, const char *id)
{
	return id ? find_sorted(cat, id, cat->count) : NULL;
}

size_t aims_catalog_count_kind(const aims_catalog *cat, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < cat->count; i++)
		if (strcmp(cat->reqs[i].kind, kind) == 0)
			n++;
	return n;
}

/* ---- store ---- */

/*
 * The digest a framework's audit entries name: its stored rows (the
 * framework with the SHA-256 of the catalog file it came from, and every
 * requirement), so that an edit of the store outside aims shows.
 */
static int framework_digest(char out[72], aims_store *store, const char *id)
{
	static const char *const labels[] = { "frameworks", "requirements" };
	static const char *const sqls[] = {
		"SELECT id, title, version, publisher, source, licence, notes, digest FROM frameworks WHERE id = ?",
		"SELECT id, seq, kind, title, parent, summary, body, chapter FROM requirements WHERE framework = ? "
		"ORDER BY seq, id"
	};
	return aims__store_state_digest(out, store, "framework", id, labels, sqls, 2);
}

int aims__framework_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT id FROM frameworks ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1)
		if ((err = framework_digest(dg, s, aims__stmt_text(st, 0))) < 0 ||
		    (err = emit(arg, "framework", aims__stmt_text(st, 0), dg, AIMS__STATE_LATEST)) < 0)
			break;
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_catalog_store(aims_store *store, const aims_catalog *cat)
{
	aims__stmt *st = NULL;
	const aims_framework *fw = &cat->fw;
	char now[32];
	int err;

	if ((err = aims_store_begin(store)) < 0)
		return err;
	/* the file digest stored before, and the state the audit trail named */
	char prev[72] = "", prev_state[72] = "";
	if ((err = aims__stmt_prepare(&st, store, "SELECT digest FROM frameworks WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, fw->framework)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	if (err == 1)
		snprintf(prev, sizeof(prev), "sha256:%s", aims__stmt_text(st, 0));
	aims__stmt_free(st);
	st = NULL;
	if (prev[0] && (err = framework_digest(prev_state, store, fw->framework)) < 0)
		goto fail;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO frameworks (id, title, version, publisher, source, licence, notes, digest, loaded_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
			"title = excluded.title, version = excluded.version, publisher = excluded.publisher, "
			"source = excluded.source, licence = excluded.licence, notes = excluded.notes, "
			"loaded_at = CASE WHEN frameworks.digest = excluded.digest THEN frameworks.loaded_at "
			"ELSE excluded.loaded_at END, digest = excluded.digest")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, fw->framework)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, fw->title)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, fw->version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, fw->publisher)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, fw->source)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, fw->licence)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, fw->notes)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, cat->digest)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	/* mark the old rows, upsert the new ones, drop what the new file no longer has */
	if ((err = aims__stmt_prepare(&st, store, "UPDATE requirements SET seq = -1 WHERE framework = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, fw->framework)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO requirements (framework, id, seq, kind, title, parent, summary, body, chapter) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (framework, id) DO UPDATE SET "
			"seq = excluded.seq, kind = excluded.kind, title = excluded.title, "
			"parent = excluded.parent, summary = excluded.summary, body = excluded.body, "
			"chapter = excluded.chapter")) < 0)
		goto fail;
	for (size_t i = 0; i < cat->count; i++) {
		const aims_requirement *r = &cat->reqs[i];
		if ((err = aims__stmt_bind_text(st, 1, fw->framework)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, r->id)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, (int64_t)i)) < 0 ||
		    (err = aims__stmt_bind_text(st, 4, r->kind)) < 0 ||
		    (err = aims__stmt_bind_text(st, 5, r->title)) < 0 ||
		    (err = aims__stmt_bind_text(st, 6, r->parent)) < 0 ||
		    (err = aims__stmt_bind_text(st, 7, r->summary)) < 0 ||
		    (err = aims__stmt_bind_text(st, 8, r->text)) < 0 ||
		    (err = aims__stmt_bind_text(st, 9, r->chapter)) < 0 ||
		    (err = aims__stmt_step(st)) < 0 ||
		    (err = aims__stmt_reset(st)) < 0)
			goto fail;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"DELETE FROM requirements WHERE framework = ? AND seq = -1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, fw->framework)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	/* one audit entry when the catalog changed; reloading the same file writes nothing new */
	if (strcmp(prev + (prev[0] ? 7 : 0), cat->digest) != 0) {
		char newd[72];
		if ((err = framework_digest(newd, store, fw->framework)) < 0 ||
		    (err = aims_ledger_append(store, prev[0] ? "update" : "load", "framework", fw->framework,
					      newd, prev[0] ? prev_state : NULL)) < 0)
			goto fail;
	}
	return aims_store_commit(store);
fail:
	aims__stmt_free(st);
	aims__err_prefix("storing catalog '%s'", fw->framework);
	aims_store_rollback(store);
	return err;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_crosswalk(const char *data, size_t len)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, 0, &jerr);
	int yes = json_is_object(root) && json_object_get(root, "aims_crosswalk") &&
		  !json_object_get(root, "aims_catalog");
	json_decref(root);
	return yes;
}

static int load_catalog(aims_store *store, const char *name, const char *data, size_t len, size_t *loaded)
{
	aims_catalog *cat = NULL;
	int err;

	if ((err = aims_catalog_parse(&cat, data, len, name)) < 0)
		return err;
	err = aims_catalog_store(store, cat);
	aims_catalog_free(cat);
	if (err == 0)
		(*loaded)++;
	return err;
}

static int load_crosswalk(aims_store *store, const char *name, const char *data, size_t len, size_t *loaded)
{
	aims_crosswalk *cw = NULL;
	int err;

	if ((err = aims_crosswalk_parse(&cw, data, len, name)) < 0)
		return err;
	err = aims_crosswalk_store(store, cw, data, len);
	aims_crosswalk_free(cw);
	if (err == AIMS_ENOTFOUND) {
		/* a file that names a framework the load did not provide is a bad file */
		char why[1024];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		err = aims__err(AIMS_EINVALID, "%s", why);
	}
	if (err == 0)
		(*loaded)++;
	return err;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* one file to load: its name for messages, its bytes, and what kind it is */
typedef struct {
	const char *name;
	const char *data;
	size_t len;
	char *owned_name, *owned_data;  /* set when read from a folder */
	int is_crosswalk;
} source;

/*
 * Load catalogs first, then crosswalks (which need their catalogs stored),
 * whatever order the files come in. Each file is classified once.
 */
static int load_sources(aims_store *store, source *src, size_t n, aims_catalog_load_result *res)
{
	int err = 0;
	for (size_t i = 0; i < n; i++)
		src[i].is_crosswalk = is_crosswalk(src[i].data, src[i].len);
	for (int pass = 0; pass < 2 && err == 0; pass++)
		for (size_t i = 0; i < n && err == 0; i++) {
			if (src[i].is_crosswalk != pass)
				continue;
			err = pass ? load_crosswalk(store, src[i].name, src[i].data, src[i].len, &res->crosswalks)
				   : load_catalog(store, src[i].name, src[i].data, src[i].len, &res->frameworks);
		}
	return err;
}

/* the .json files of a folder, read into memory (catalogs are small) */
static int read_dir(source **out, size_t *count, const char *dir, struct dirent **ents, int n)
{
	source *src = NULL;
	size_t k = 0;
	int err = 0;

	*out = NULL;
	*count = 0;
	if (n > 0 && !(src = aims__calloc((size_t)n, sizeof(*src))))
		return aims__oom();
	for (int i = 0; i < n && err == 0; i++) {
		char path[4096];
		if (!ends_with(ents[i]->d_name, ".json") || ents[i]->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name) >= (int)sizeof(path)) {
			err = aims__err(AIMS_EINVALID, "catalog path too long in '%s'", dir);
			break;
		}
		if (!(src[k].owned_name = aims__strdup(path))) {
			err = aims__oom();
			break;
		}
		size_t len = 0;
		err = aims_file_read(&src[k].owned_data, &len, path, 0);
		src[k].name = src[k].owned_name;
		src[k].data = src[k].owned_data;
		src[k].len = len;
		k++;
	}
	*out = src;
	*count = k;
	return err;
}

static void free_sources(source *src, size_t n)
{
	for (size_t i = 0; src && i < n; i++) {
		aims__free(src[i].owned_name);
		aims__free(src[i].owned_data);
	}
	aims__free(src);
}

int aims_catalog_load_all_ex(aims_store *store, const char *dir, aims_catalog_load_result *result)
{
	aims_catalog_load_result res = AIMS_CATALOG_LOAD_RESULT_INIT;
	struct dirent **ents = NULL;
	int n = 0, err;

	if (result && result->version != AIMS_CATALOG_LOAD_RESULT_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_catalog_load_all_ex: unknown result version %u",
				 result->version);
	if (dir) {
		n = scandir(dir, &ents, NULL, name_cmp);
		if (n < 0)
			return aims__err(AIMS_ENOTFOUND, "cannot read catalog folder '%s'", dir);
	}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	source *src = NULL;
	size_t nsrc = 0;
	if (dir) {
		err = read_dir(&src, &nsrc, dir, ents, n);
	} else {
		nsrc = aims_catalog_builtin_count();
		if (nsrc && !(src = aims__calloc(nsrc, sizeof(*src))))
			err = aims__oom();
		for (size_t i = 0; err == 0 && i < nsrc; i++)
			aims_catalog_builtin(i, &src[i].name, &src[i].data, &src[i].len);
	}
	if (err == 0)
		err = load_sources(store, src, nsrc, &res);
	free_sources(src, nsrc);
	if (err == 0 && res.frameworks == 0 && res.crosswalks == 0)
		err = aims__err(AIMS_ENOTFOUND, "no catalog files in '%s'", dir ? dir : "(built in)");
	if (err < 0)
		aims_store_rollback(store);
	else
		err = aims_store_commit(store);
done:
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (err == 0 && result) {
		result->frameworks = res.frameworks;
		result->crosswalks = res.crosswalks;
	}
	return err;
}

int aims_catalog_load_all(aims_store *store, const char *dir, size_t *loaded)
{
	aims_catalog_load_result res = AIMS_CATALOG_LOAD_RESULT_INIT;
	int err;

	if (loaded)
		*loaded = 0;
	if ((err = aims_catalog_load_all_ex(store, dir, &res)) == 0 && loaded)
		*loaded = res.frameworks;
	return err;
}

/* ---- read back ---- */

static int set_str(json_t *obj, const char *key, const char *v)
{
	json_t *s = v ? json_string(v) : json_null();
	if (!s || json_object_set_new(obj, key, s) < 0)
		return aims__oom();
	return 0;
}

int aims_catalog_read(aims_catalog **out, aims_store *store, const char *framework)
{
	aims__stmt *st = NULL;
	json_t *root = NULL, *reqs = NULL;
	char digest[65] = "", loaded_at[32] = "";
	int err;

	*out = NULL;
	aims_global_init();
	if (!(root = json_object()) || !(reqs = json_array())) {
		err = aims__oom();
		goto fail;
	}
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT id, title, version, publisher, source, licence, notes, digest, loaded_at "
			"FROM frameworks WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, framework)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto fail;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no framework '%s' in the store (see 'aims catalog list')",
				framework);
		goto fail;
	}
	json_t *one = json_integer(1);
	if (!one || json_object_set_new(root, "aims_catalog", one) < 0 ||
	    (err = set_str(root, "framework", aims__stmt_text(st, 0))) < 0 ||
	    (err = set_str(root, "title", aims__stmt_text(st, 1))) < 0 ||
	    (err = set_str(root, "version", aims__stmt_text(st, 2))) < 0 ||
	    (err = set_str(root, "publisher", aims__stmt_text(st, 3))) < 0 ||
	    (err = set_str(root, "source", aims__stmt_text(st, 4))) < 0 ||
	    (err = set_str(root, "licence", aims__stmt_text(st, 5))) < 0) {
		err = err < 0 ? err : aims__oom();
		goto fail;
	}
	if (aims__stmt_text(st, 6) && (err = set_str(root, "notes", aims__stmt_text(st, 6))) < 0)
		goto fail;
	snprintf(digest, sizeof(digest), "%s", aims__stmt_text(st, 7));
	snprintf(loaded_at, sizeof(loaded_at), "%s", aims__stmt_text(st, 8));
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT id, kind, title, parent, summary, body, chapter FROM requirements "
			"WHERE framework = ? ORDER BY seq")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, framework)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		static const char *const keys[] = { "id", "kind", "title", "parent", "summary", "text", "chapter" };
		json_t *r = json_object();
		if (!r || json_array_append_new(reqs, r) < 0) {
			err = aims__oom();
			goto fail;
		}
		for (int c = 0; c < 7; c++) {
			const char *v = aims__stmt_text(st, c);
			if ((v || c == 3) && (err = set_str(r, keys[c], v)) < 0)
				goto fail;
		}
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	if (json_object_set(root, "requirements", reqs) < 0) {
		err = aims__oom();
		goto fail;
	}
	json_decref(reqs);
	reqs = NULL;
	src_info_pub src = { framework, NULL, 0 };
	if ((err = aims__catalog_from_json(out, root, &src)) < 0) {
		root = NULL;
		if (err != AIMS_EINVALID)
			return err;
		char why[1024];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		return aims__err(AIMS_ETAMPERED, "framework '%s' in the store is damaged: %s", framework, why);
	}
	root = NULL;
	if (!*out)
		return aims__err(AIMS_ERROR, "framework '%s': no catalog built", framework);
	memcpy((*out)->digest, digest, sizeof(digest));
	memcpy((*out)->loaded_at, loaded_at, sizeof(loaded_at));
	(*out)->fw.digest = (*out)->digest;
	(*out)->fw.loaded_at = (*out)->loaded_at;
	return 0;
fail:
	aims__stmt_free(st);
	json_decref(reqs);
	json_decref(root);
	return err;
}

int aims_catalog_list_read(aims_catalog_list **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_catalog_list *list = NULL;
	json_t *strings = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	aims_global_init();
	if (!(list = aims__calloc(1, sizeof(*list))) || !(strings = json_array())) {
		err = aims__oom();
		goto fail;
	}
	list->priv_ = strings;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT f.id, f.title, f.version, f.publisher, f.source, f.licence, f.notes, "
			"f.digest, f.loaded_at, COUNT(r.id) FROM frameworks f "
			"LEFT JOIN requirements r ON r.framework = f.id "
			"GROUP BY f.id, f.title, f.version, f.publisher, f.source, f.licence, f.notes, "
			"f.digest, f.loaded_at ORDER BY f.id")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if (list->count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			aims_framework *ni = aims__realloc(list->items, ncap * sizeof(*ni));
			if (!ni) {
				err = aims__oom();
				goto fail;
			}
			list->items = ni;
			size_t *nc = aims__realloc(list->requirement_counts, ncap * sizeof(*nc));
			if (!nc) {
				err = aims__oom();
				goto fail;
			}
			list->requirement_counts = nc;
			cap = ncap;
		}
		const char *vals[9];
		for (int c = 0; c < 9; c++) {
			const char *v = aims__stmt_text(st, c);
			vals[c] = NULL;
			if (!v)
				continue;
			json_t *s = json_string(v);
			if (!s || json_array_append_new(strings, s) < 0) {
				err = aims__oom();
				goto fail;
			}
			vals[c] = json_string_value(s);
		}
		aims_framework *fw = &list->items[list->count];
		fw->framework = vals[0];
		fw->title = vals[1];
		fw->version = vals[2];
		fw->publisher = vals[3];
		fw->source = vals[4];
		fw->licence = vals[5];
		fw->notes = vals[6];
		fw->digest = vals[7];
		fw->loaded_at = vals[8];
		list->requirement_counts[list->count] = (size_t)aims__stmt_int64(st, 9);
		list->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = list;
	return 0;
fail:
	aims__stmt_free(st);
	aims_catalog_list_free(list);
	return err;
}

void aims_catalog_list_free(aims_catalog_list *list)
{
	if (!list)
		return;
	json_decref(list->priv_);
	aims__free(list->items);
	aims__free(list->requirement_counts);
	aims__free(list);
}
