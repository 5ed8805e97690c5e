/*
 * Crosswalks between frameworks (docs/catalog-format.md): parsing and
 * validating crosswalk files, storing them against the framework catalogs
 * already in the store, reading them back (inverted when only the other
 * direction is stored), and following stored rows from a requirement of
 * one framework to the requirements of another in one or two hops.
 * Relationships are NIST IR 8477 set-theory relationships read as
 * "source REL target". Like a catalog, a crosswalk keeps its JSON document
 * and an index whose strings point into it, so a parsed crosswalk and one
 * read from the store are the same kind of object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/crosswalk.h"
#include "aims/ledger.h"
#include "catalog_internal.h"
#include "core/json.h"
#include "store/store_internal.h"
#include "audit/state.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ID 64

static const char *const top_keys[] = {
	"aims_crosswalk", "from", "to", "title", "source", "licence", "method", "notes",
	"targets", "mappings",
};
static const char *const target_keys[] = { "id", "adds" };
static const char *const mapping_keys[] = {
	"source", "target", "relationship", "rationale", "confidence", "explanation", "role",
};
static const char *const relationship_names[] = {
	"equal-to", "equivalent-to", "subset-of", "superset-of", "intersects-with", "no-relationship",
};
static const char *const rationales[] = { "syntactic", "semantic", "functional" };
static const char *const confidences[] = { "high", "medium", "low" };
const char *const aims_crosswalk_roles[] = { "provider", "deployer", "both", NULL };
#define NROLES 3

/* NIST IR 8477 relationships, their support, and their reading the other way */
static const struct {
	const char *name, *inverse;
	int support;
} relationships[] = {
	{ "equal-to", "equal-to", AIMS_SUPPORT_FULL },
	{ "equivalent-to", "equivalent-to", AIMS_SUPPORT_FULL },
	{ "superset-of", "subset-of", AIMS_SUPPORT_FULL },
	{ "subset-of", "superset-of", AIMS_SUPPORT_PARTIAL },
	{ "intersects-with", "intersects-with", AIMS_SUPPORT_PARTIAL },
	{ "no-relationship", "no-relationship", AIMS_SUPPORT_NONE },
};

struct aims_crosswalk {
	json_t *root;             /* the document; strings below point into it */
	char *name;               /* for messages */
	aims_crosswalk_info info;
	aims_mapping *maps;       /* document order */
	size_t count;
	const char **tgt_ids;     /* "targets", document order */
	const char **tgt_adds;
	size_t *tgt_order;        /* indexes of tgt_ids sorted by id */
	size_t ntargets;
	int inverted;
	char digest[65];
	char loaded_at[32];
};

int aims_relationship_support(const char *relationship)
{
	for (size_t i = 0; relationship && i < COUNT(relationships); i++)
		if (strcmp(relationship, relationships[i].name) == 0)
			return relationships[i].support;
	return -1;
}

int aims_relationship_support_reversed(const char *relationship)
{
	/* the relationship read the other way, then capped: only a symmetric one stays full support */
	int s = aims_relationship_support(aims_relationship_inverse(relationship));
	if (s == AIMS_SUPPORT_FULL && strcmp(relationship, "equal-to") != 0 && strcmp(relationship, "equivalent-to") != 0)
		return AIMS_SUPPORT_PARTIAL;
	return s;
}

const char *aims_relationship_inverse(const char *relationship)
{
	for (size_t i = 0; relationship && i < COUNT(relationships); i++)
		if (strcmp(relationship, relationships[i].name) == 0)
			return relationships[i].inverse;
	return NULL;
}

/* ---- validation helpers (the same rules as catalog files) ---- */









static int get_id(const char **out, json_t *obj, const char *key, int required,
		  const aims__json_src *src, const char *prefix)
{
	int err = aims__json_get_str(out, obj, key, required, 1, src, prefix);
	if (err == 0 && *out && strlen(*out) > MAX_ID) {
		char path[128];
		aims__json_join_path(path, sizeof(path), prefix, key);
		return aims__json_field_err(src, path, "longer than %d characters", MAX_ID);
	}
	return err;
}

static int get_enum(const char **out, json_t *obj, const char *key, const char *const *list,
		    size_t n, const aims__json_src *src, const char *prefix)
{
	int err = aims__json_get_str(out, obj, key, 1, 1, src, prefix);
	if (err == 0 && !aims__in_list(*out, list, n)) {
		char path[128], allowed[256] = "";
		size_t used = 0;
		for (size_t i = 0; i < n; i++) {
			int k = snprintf(allowed + used, sizeof(allowed) - used, "%s%s", i ? ", " : "", list[i]);
			if (k < 0 || (size_t)k >= sizeof(allowed) - used)
				break;
			used += (size_t)k;
		}
		aims__json_join_path(path, sizeof(path), prefix, key);
		return aims__json_field_err(src, path, "unknown %s '%s' (one of %s)", key, *out, allowed);
	}
	return err;
}


/* a merge sort of indexes with a comparator (qsort_r is not C11) */
typedef int (*idx_cmp)(size_t a, size_t b, const void *ctx);

static void sort_idx(size_t *idx, size_t *tmp, size_t n, idx_cmp cmp, const void *ctx)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_idx(idx, tmp, h, cmp, ctx);
	sort_idx(idx + h, tmp, n - h, cmp, ctx);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = cmp(idx[i], idx[j], ctx) <= 0 ? idx[i++] : idx[j++];
	while (i < h)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

static int cmp_pair(size_t a, size_t b, const void *ctx)
{
	const aims_mapping *m = ctx;
	int c = aims__strcmp0(m[a].source, m[b].source);
	return c ? c : strcmp(m[a].target, m[b].target);
}

static int cmp_target(size_t a, size_t b, const void *ctx)
{
	const char *const *ids = ctx;
	return strcmp(ids[a], ids[b]);
}

void aims_crosswalk_free(aims_crosswalk *cw)
{
	if (!cw)
		return;
	json_decref(cw->root);
	aims__free(cw->name);
	aims__free(cw->maps);
	aims__free(cw->tgt_ids);
	aims__free(cw->tgt_adds);
	aims__free(cw->tgt_order);
	aims__free(cw);
}

static int parse_targets(aims_crosswalk *cw, json_t *arr, const aims__json_src *src, size_t *tmp)
{
	char path[64];
	int err;

	for (size_t i = 0; i < cw->ntargets; i++) {
		json_t *t = json_array_get(arr, i);
		snprintf(path, sizeof(path), "targets[%zu]", i);
		if (!json_is_object(t))
			return aims__json_field_err(src, path, "must be an object");
		if ((err = aims__json_check_keys(t, target_keys, COUNT(target_keys), src, path)) < 0 ||
		    (err = get_id(&cw->tgt_ids[i], t, "id", 1, src, path)) < 0 ||
		    (err = aims__json_get_str(&cw->tgt_adds[i], t, "adds", 1, 0, src, path)) < 0)
			return err;
		cw->tgt_order[i] = i;
	}
	sort_idx(cw->tgt_order, tmp, cw->ntargets, cmp_target, cw->tgt_ids);
	for (size_t i = 1; i < cw->ntargets; i++) {
		size_t a = cw->tgt_order[i - 1], b = cw->tgt_order[i];
		if (strcmp(cw->tgt_ids[a], cw->tgt_ids[b]) == 0) {
			snprintf(path, sizeof(path), "targets[%zu].id", a > b ? a : b);
			return aims__json_field_err(src, path, "duplicate target '%s' (also targets[%zu])",
					 cw->tgt_ids[a], a < b ? a : b);
		}
	}
	return 0;
}

static int parse_mappings(aims_crosswalk *cw, json_t *arr, const aims__json_src *src, size_t *idx, size_t *tmp)
{
	char path[64], p2[96];
	int err;

	for (size_t i = 0; i < cw->count; i++) {
		json_t *r = json_array_get(arr, i);
		aims_mapping *m = &cw->maps[i];
		snprintf(path, sizeof(path), "mappings[%zu]", i);
		if (!json_is_object(r))
			return aims__json_field_err(src, path, "must be an object");
		if ((err = aims__json_check_keys(r, mapping_keys, COUNT(mapping_keys), src, path)) < 0)
			return err;
		if (!json_object_get(r, "source"))
			return aims__json_field_err(src, path, "missing field 'source' (null on a no-relationship row)");
		if ((err = get_id(&m->source, r, "source", 0, src, path)) < 0 ||
		    (err = get_id(&m->target, r, "target", 1, src, path)) < 0 ||
		    (err = get_enum(&m->relationship, r, "relationship", relationship_names,
				    COUNT(relationship_names), src, path)) < 0 ||
		    (err = get_enum(&m->rationale, r, "rationale", rationales, COUNT(rationales), src, path)) < 0 ||
		    (err = get_enum(&m->confidence, r, "confidence", confidences, COUNT(confidences), src, path)) < 0 ||
		    (err = aims__json_get_str(&m->explanation, r, "explanation", 1, 0, src, path)) < 0)
			return err;
		/* a role on every row or on none: a crosswalk that names whom its targets bind says it for all */
		if (json_object_get(r, "role")) {
			if ((err = get_enum(&m->role, r, "role", aims_crosswalk_roles, NROLES, src, path)) < 0)
				return err;
		}
		if (i > 0 && !m->role != !cw->maps[0].role) {
			snprintf(p2, sizeof(p2), "%s%s", path, m->role ? ".role" : "");
			return aims__json_field_err(src, p2, m->role ? "mappings[0] has no role: give a role on every row or on none"
						   : "missing field 'role' (mappings[0] has one: give a role on every row or on none)");
		}
		snprintf(p2, sizeof(p2), "%s.source", path);
		/* a no-relationship row says that nothing in the source framework relates to the target */
		if (strcmp(m->relationship, "no-relationship") == 0) {
			if (m->source)
				return aims__json_field_err(src, p2, "must be null on a no-relationship row");
		} else if (!m->source) {
			return aims__json_field_err(src, p2, "must not be null on a %s row (only a no-relationship row has no source)",
					 m->relationship);
		}
		idx[i] = i;
	}
	sort_idx(idx, tmp, cw->count, cmp_pair, cw->maps);
	for (size_t i = 1; i < cw->count; i++) {
		size_t a = idx[i - 1], b = idx[i];
		if (cmp_pair(a, b, cw->maps) == 0) {
			snprintf(path, sizeof(path), "mappings[%zu]", a > b ? a : b);
			return aims__json_field_err(src, path, "duplicate row for source '%s' and target '%s' (also mappings[%zu])",
					 cw->maps[a].source ? cw->maps[a].source : "null", cw->maps[a].target,
					 a < b ? a : b);
		}
	}
	return 0;
}

/*
 * Validate a crosswalk document and build its index. Takes ownership of
 * `root`. `allow_empty`: an empty "mappings" array is accepted (an inverted
 * crosswalk whose rows were all no-relationship rows).
 */
static int from_json(aims_crosswalk **out, json_t *root, const aims__json_src *src, int allow_empty)
{
	aims_crosswalk *cw = NULL;
	size_t *idx = NULL, *tmp = NULL;
	json_t *v, *targets, *maps;
	int err;

	*out = NULL;
	if (!json_is_object(root)) {
		err = aims__json_field_err(src, "(top level)", "must be a JSON object");
		goto fail;
	}
	if (json_object_get(root, "aims_catalog")) {
		err = aims__err(AIMS_EINVALID, "'%s': is a framework catalog, not a crosswalk file", src->name);
		goto fail;
	}
	v = json_object_get(root, "aims_crosswalk");
	if (!v) {
		err = aims__json_field_err(src, "(top level)", "missing field 'aims_crosswalk' (not an aims crosswalk file)");
		goto fail;
	}
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		err = json_is_integer(v) ? AIMS_EVERSION : AIMS_EINVALID;
		aims__json_path_err(err, src->name, src->text, src->len, "aims_crosswalk",
				    "unsupported crosswalk format version (this aims reads 1)");
		goto fail;
	}
	if (!(cw = aims__calloc(1, sizeof(*cw))) || !(cw->name = aims__strdup(src->name))) {
		err = aims__oom();
		goto fail;
	}
	cw->root = root;
	root = NULL;
	aims_crosswalk_info *in = &cw->info;
	if ((err = aims__json_check_keys(cw->root, top_keys, COUNT(top_keys), src, "")) < 0 ||
	    (err = aims__json_get_str(&in->from, cw->root, "from", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&in->to, cw->root, "to", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&in->title, cw->root, "title", 1, 1, src, "")) < 0 ||
	    (err = aims__json_get_str(&in->source, cw->root, "source", 1, 0, src, "")) < 0 ||
	    (err = aims__json_get_str(&in->licence, cw->root, "licence", 1, 0, src, "")) < 0 ||
	    (err = aims__json_get_str(&in->method, cw->root, "method", 1, 0, src, "")) < 0 ||
	    (err = aims__json_get_str(&in->notes, cw->root, "notes", 0, 0, src, "")) < 0)
		goto fail;
	if (!aims__framework_id_ok(in->from)) {
		err = aims__json_field_err(src, "from", "'%s' is not a framework id (lowercase letters, digits, '.', '-')", in->from);
		goto fail;
	}
	if (!aims__framework_id_ok(in->to)) {
		err = aims__json_field_err(src, "to", "'%s' is not a framework id (lowercase letters, digits, '.', '-')", in->to);
		goto fail;
	}
	if (strcmp(in->from, in->to) == 0) {
		err = aims__json_field_err(src, "to", "must differ from 'from' ('%s')", in->from);
		goto fail;
	}
	targets = json_object_get(cw->root, "targets");
	maps = json_object_get(cw->root, "mappings");
	if (!targets || !maps) {
		err = aims__json_field_err(src, "(top level)", "missing field '%s'", targets ? "mappings" : "targets");
		goto fail;
	}
	if (!json_is_array(targets)) {
		err = aims__json_field_err(src, "targets", "must be an array");
		goto fail;
	}
	if (!json_is_array(maps) || (!allow_empty && json_array_size(maps) == 0)) {
		err = aims__json_field_err(src, "mappings", "must be a non-empty array");
		goto fail;
	}
	cw->ntargets = json_array_size(targets);
	cw->count = json_array_size(maps);
	size_t most = cw->ntargets > cw->count ? cw->ntargets : cw->count;
	if ((cw->ntargets && (!(cw->tgt_ids = aims__calloc(cw->ntargets, sizeof(*cw->tgt_ids))) ||
			      !(cw->tgt_adds = aims__calloc(cw->ntargets, sizeof(*cw->tgt_adds))) ||
			      !(cw->tgt_order = aims__calloc(cw->ntargets, sizeof(*cw->tgt_order))))) ||
	    (cw->count && !(cw->maps = aims__calloc(cw->count, sizeof(*cw->maps)))) ||
	    (most && (!(idx = aims__calloc(most, sizeof(*idx))) || !(tmp = aims__calloc(most, sizeof(*tmp)))))) {
		err = aims__oom();
		goto fail;
	}
	if ((err = parse_targets(cw, targets, src, tmp)) < 0 ||
	    (err = parse_mappings(cw, maps, src, idx, tmp)) < 0)
		goto fail;
	aims__free(idx);
	aims__free(tmp);
	*out = cw;
	return 0;
fail:
	aims__free(idx);
	aims__free(tmp);
	json_decref(root);
	aims_crosswalk_free(cw);
	/* field_err is variadic, so the analyzer cannot see that it returns a negative code */
	return err < 0 ? err : AIMS_ERROR;
}

int aims_crosswalk_parse(aims_crosswalk **out, const char *data, size_t len, const char *name)
{
	json_t *root = NULL;
	unsigned char md[32];
	int err;

	*out = NULL;
	if (!name)
		name = "(crosswalk)";
	if ((err = aims__json_parse(&root, data, len, name)) < 0)
		return err;
	aims__json_src src = { name, data, len };
	if ((err = from_json(out, root, &src, 0)) < 0)
		return err;
	if ((err = aims__sha256_oneshot(md, data, len)) < 0) {
		aims_crosswalk_free(*out);
		*out = NULL;
		return err;
	}
	aims__hex((*out)->digest, md, 32);
	(*out)->info.digest = (*out)->digest;
	return 0;
}

const aims_crosswalk_info *aims_crosswalk_info_get(const aims_crosswalk *cw)
{
	return &cw->info;
}

int aims_crosswalk_inverted(const aims_crosswalk *cw)
{
	return cw->inverted;
}

size_t aims_crosswalk_count(const aims_crosswalk *cw)
{
	return cw->count;
}

const aims_mapping *aims_crosswalk_at(const aims_crosswalk *cw, size_t i)
{
	return i < cw->count ? &cw->maps[i] : NULL;
}

const char *aims_crosswalk_adds(const aims_crosswalk *cw, const char *target)
{
	size_t lo = 0, hi = cw->ntargets;
	while (target && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(target, cw->tgt_ids[cw->tgt_order[mid]]);
		if (c == 0)
			return cw->tgt_adds[cw->tgt_order[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t aims_crosswalk_target_count(const aims_crosswalk *cw)
{
	return cw->ntargets;
}

int aims_crosswalk_target_at(const aims_crosswalk *cw, size_t i, const char **id, const char **adds)
{
	if (i >= cw->ntargets)
		return -1;
	if (id)
		*id = cw->tgt_ids[i];
	if (adds)
		*adds = cw->tgt_adds[i];
	return 0;
}

/* ---- store ---- */

static int framework_exists(int *yes, aims_store *store, const char *framework)
{
	aims__stmt *st = NULL;
	int err;

	*yes = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM frameworks WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, framework)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	*yes = err == 1;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* does `framework` have requirement `id`? st: SELECT 1 FROM requirements WHERE framework = ? AND id = ? */
static int requirement_exists(int *yes, aims__stmt *st, const char *framework, const char *id)
{
	int err;

	*yes = 0;
	if ((err = aims__stmt_reset(st)) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, framework)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		return err;
	*yes = err == 1;
	return 0;
}

/* every id of the crosswalk names a requirement of its framework */
static int check_ids(aims_store *store, const aims_crosswalk *cw, const aims__json_src *src)
{
	const aims_crosswalk_info *in = &cw->info;
	aims__stmt *st = NULL;
	char path[96];
	int err, yes = 0;

	if ((err = aims__stmt_prepare(&st, store,
			"SELECT 1 FROM requirements WHERE framework = ? AND id = ?")) < 0)
		return err;
	for (size_t i = 0; i < cw->ntargets; i++) {
		if ((err = requirement_exists(&yes, st, in->to, cw->tgt_ids[i])) < 0)
			goto done;
		if (!yes) {
			snprintf(path, sizeof(path), "targets[%zu].id", i);
			err = aims__json_field_err(src, path, "'%s' is not a requirement of '%s'", cw->tgt_ids[i], in->to);
			goto done;
		}
	}
	for (size_t i = 0; i < cw->count; i++) {
		const aims_mapping *m = &cw->maps[i];
		if (m->source) {
			if ((err = requirement_exists(&yes, st, in->from, m->source)) < 0)
				goto done;
			if (!yes) {
				snprintf(path, sizeof(path), "mappings[%zu].source", i);
				err = aims__json_field_err(src, path, "'%s' is not a requirement of '%s'", m->source, in->from);
				goto done;
			}
		}
		if ((err = requirement_exists(&yes, st, in->to, m->target)) < 0)
			goto done;
		if (!yes) {
			snprintf(path, sizeof(path), "mappings[%zu].target", i);
			err = aims__json_field_err(src, path, "'%s' is not a requirement of '%s'", m->target, in->to);
			goto done;
		}
	}
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* run one statement bound to (from, to) */
static int exec_pair(aims_store *store, const char *sql, const char *from, const char *to)
{
	aims__stmt *st = NULL;
	int err;

	if ((err = aims__stmt_prepare(&st, store, sql)) >= 0 &&
	    (err = aims__stmt_bind_text(st, 1, from)) >= 0 &&
	    (err = aims__stmt_bind_text(st, 2, to)) >= 0)
		err = aims__stmt_step(st);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/*
 * The digest a crosswalk's audit entries name: its stored rows (with the
 * SHA-256 of the file it came from), not the time it was loaded.
 */
static int crosswalk_digest(char out[72], aims_store *store, const char *id)
{
	static const char *const labels[] = { "crosswalks", "crosswalk_targets", "crosswalk_mappings" };
	static const char *const sqls[] = {
		"SELECT from_fw, to_fw, title, source, licence, method, notes, digest FROM crosswalks "
		"WHERE from_fw || '->' || to_fw = ?",
		"SELECT target, adds FROM crosswalk_targets WHERE from_fw || '->' || to_fw = ? ORDER BY target",
		"SELECT seq, source, target, relationship, rationale, confidence, explanation FROM crosswalk_mappings "
		"WHERE from_fw || '->' || to_fw = ? ORDER BY seq"
	};
	return aims__store_state_digest(out, store, "crosswalk", id, labels, sqls, 3);
}

int aims__crosswalk_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT from_fw || '->' || to_fw FROM crosswalks ORDER BY 1")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1)
		if ((err = crosswalk_digest(dg, s, aims__stmt_text(st, 0))) < 0 ||
		    (err = emit(arg, "crosswalk", aims__stmt_text(st, 0), dg, AIMS__STATE_LATEST)) < 0)
			break;
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

static int write_rows(aims_store *store, const aims_crosswalk *cw)
{
	const aims_crosswalk_info *in = &cw->info;
	aims__stmt *st = NULL;
	char now[32];
	int err;

	aims__time_now(now);
	/* replace: the rows of an earlier file between the same frameworks go first */
	if ((err = exec_pair(store, "DELETE FROM crosswalk_mappings WHERE from_fw = ? AND to_fw = ?",
			     in->from, in->to)) < 0 ||
	    (err = exec_pair(store, "DELETE FROM crosswalk_targets WHERE from_fw = ? AND to_fw = ?",
			     in->from, in->to)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO crosswalks (from_fw, to_fw, title, source, licence, method, notes, digest, loaded_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (from_fw, to_fw) DO UPDATE SET "
			"title = excluded.title, source = excluded.source, licence = excluded.licence, "
			"method = excluded.method, notes = excluded.notes, digest = excluded.digest, "
			"loaded_at = excluded.loaded_at")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, in->from)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, in->to)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, in->title)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, in->source)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, in->licence)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, in->method)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, in->notes)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, cw->digest)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO crosswalk_targets (from_fw, to_fw, target, adds) VALUES (?, ?, ?, ?)")) < 0)
		goto done;
	for (size_t i = 0; i < cw->ntargets; i++)
		if ((err = aims__stmt_bind_text(st, 1, in->from)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, in->to)) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, cw->tgt_ids[i])) < 0 ||
		    (err = aims__stmt_bind_text(st, 4, cw->tgt_adds[i])) < 0 ||
		    (err = aims__stmt_step(st)) < 0 ||
		    (err = aims__stmt_reset(st)) < 0)
			goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO crosswalk_mappings (from_fw, to_fw, seq, source, target, relationship, "
			"rationale, confidence, explanation, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		goto done;
	for (size_t i = 0; i < cw->count; i++) {
		const aims_mapping *m = &cw->maps[i];
		if ((err = aims__stmt_bind_text(st, 1, in->from)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, in->to)) < 0 ||
		    (err = aims__stmt_bind_int64(st, 3, (int64_t)i)) < 0 ||
		    (err = aims__stmt_bind_text(st, 4, m->source)) < 0 ||
		    (err = aims__stmt_bind_text(st, 5, m->target)) < 0 ||
		    (err = aims__stmt_bind_text(st, 6, m->relationship)) < 0 ||
		    (err = aims__stmt_bind_text(st, 7, m->rationale)) < 0 ||
		    (err = aims__stmt_bind_text(st, 8, m->confidence)) < 0 ||
		    (err = aims__stmt_bind_text(st, 9, m->explanation)) < 0 ||
		    (err = aims__stmt_bind_text(st, 10, m->role)) < 0 ||
		    (err = aims__stmt_step(st)) < 0 ||
		    (err = aims__stmt_reset(st)) < 0)
			goto done;
	}
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* "sha256:<hex>" of the stored crosswalk from -> to, or "" when none */
static int stored_digest(char out[72], aims_store *store, const char *from, const char *to)
{
	aims__stmt *st = NULL;
	int err;
	out[0] = '\0';
	if ((err = aims__stmt_prepare(&st, store, "SELECT digest FROM crosswalks WHERE from_fw = ? AND to_fw = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, from)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, to)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 1)
		snprintf(out, 72, "sha256:%s", aims__stmt_text(st, 0));
	aims__stmt_free(st);
	return 0;
}

int aims_crosswalk_store(aims_store *store, const aims_crosswalk *cw, const char *text, size_t len)
{
	const aims_crosswalk_info *in = &cw->info;
	aims__json_src src = { cw->name, text, text ? len : 0 };
	int err, yes = 0;

	if (cw->inverted)
		return aims__err(AIMS_EUSAGE, "crosswalk %s -> %s was read inverted; store the original",
				 in->from, in->to);
	if ((err = aims_store_begin(store)) < 0)
		return err;
	/* both frameworks must be there, and every id must be one of theirs */
	if ((err = framework_exists(&yes, store, in->from)) < 0)
		goto db_fail;
	if (!yes) {
		err = aims__json_path_err(AIMS_ENOTFOUND, src.name, src.text, src.len, "from",
					  "framework '%s' is not in the store (load its catalog first)", in->from);
		goto fail;
	}
	if ((err = framework_exists(&yes, store, in->to)) < 0)
		goto db_fail;
	if (!yes) {
		err = aims__json_path_err(AIMS_ENOTFOUND, src.name, src.text, src.len, "to",
					  "framework '%s' is not in the store (load its catalog first)", in->to);
		goto fail;
	}
	if ((err = check_ids(store, cw, &src)) < 0) {
		if (err == AIMS_EINVALID)
			goto fail;
		goto db_fail;
	}
	char prev[72] = "", prev_state[72] = "", id[160];
	snprintf(id, sizeof(id), "%s->%s", in->from, in->to);
	if ((err = stored_digest(prev, store, in->from, in->to)) < 0 ||
	    (prev[0] && (err = crosswalk_digest(prev_state, store, id)) < 0) || (err = write_rows(store, cw)) < 0)
		goto db_fail;
	/* the audit trail: one entry when the crosswalk changed (ISO 42001 7.5.3) */
	if (strcmp(prev + (prev[0] ? 7 : 0), in->digest) != 0) {
		char newd[72];
		if ((err = crosswalk_digest(newd, store, id)) < 0 ||
		    (err = aims_ledger_append(store, prev[0] ? "update" : "load", "crosswalk", id, newd,
					      prev[0] ? prev_state : NULL)) < 0)
			goto db_fail;
	}
	return aims_store_commit(store);
db_fail:
	aims__err_prefix("storing crosswalk %s -> %s", in->from, in->to);
fail:
	aims_store_rollback(store);
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

static int append_new(json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v) < 0)
		return aims__oom();
	return 0;
}

/*
 * Build the JSON document of the crosswalk stored as stored_from -> stored_to;
 * `invert`: read it the other way round (sources and targets swapped,
 * relationships inverted, no-relationship rows and "adds" texts left out).
 */
static int build_doc(json_t *root, aims_store *store, const char *stored_from, const char *stored_to,
		     int invert, char digest[65], char loaded_at[32])
{
	aims__stmt *st = NULL;
	json_t *targets = NULL, *maps = NULL;
	int err;

	if ((err = aims__stmt_prepare(&st, store,
			"SELECT title, source, licence, method, notes, digest, loaded_at FROM crosswalks "
			"WHERE from_fw = ? AND to_fw = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, stored_from)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, stored_to)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no crosswalk %s -> %s in the store", stored_from, stored_to);
		goto done;
	}
	json_t *one = json_integer(1);
	if (!one || json_object_set_new(root, "aims_crosswalk", one) < 0) {
		err = aims__oom();
		goto done;
	}
	if ((err = set_str(root, "from", invert ? stored_to : stored_from)) < 0 ||
	    (err = set_str(root, "to", invert ? stored_from : stored_to)) < 0 ||
	    (err = set_str(root, "title", aims__stmt_text(st, 0))) < 0 ||
	    (err = set_str(root, "source", aims__stmt_text(st, 1))) < 0 ||
	    (err = set_str(root, "licence", aims__stmt_text(st, 2))) < 0 ||
	    (err = set_str(root, "method", aims__stmt_text(st, 3))) < 0 ||
	    (aims__stmt_text(st, 4) && (err = set_str(root, "notes", aims__stmt_text(st, 4))) < 0))
		goto done;
	snprintf(digest, 65, "%s", aims__stmt_text(st, 5) ? aims__stmt_text(st, 5) : "");
	snprintf(loaded_at, 32, "%s", aims__stmt_text(st, 6) ? aims__stmt_text(st, 6) : "");
	aims__stmt_free(st);
	st = NULL;
	if (!(targets = json_array()) || !(maps = json_array()) ||
	    json_object_set(root, "targets", targets) < 0 || json_object_set(root, "mappings", maps) < 0) {
		err = aims__oom();
		goto done;
	}
	if (!invert) {
		/* in the order of the target framework's catalog */
		if ((err = aims__stmt_prepare(&st, store,
				"SELECT t.target, t.adds FROM crosswalk_targets t LEFT JOIN requirements r "
				"ON r.framework = t.to_fw AND r.id = t.target "
				"WHERE t.from_fw = ? AND t.to_fw = ? ORDER BY r.seq NULLS FIRST, t.target")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, stored_from)) < 0 ||
		    (err = aims__stmt_bind_text(st, 2, stored_to)) < 0)
			goto done;
		while ((err = aims__stmt_step(st)) == 1) {
			json_t *t = json_object();
			if ((err = append_new(targets, t)) < 0 ||
			    (err = set_str(t, "id", aims__stmt_text(st, 0))) < 0 ||
			    (err = set_str(t, "adds", aims__stmt_text(st, 1))) < 0)
				goto done;
		}
		if (err < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
	}
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT source, target, relationship, rationale, confidence, explanation, role "
			"FROM crosswalk_mappings WHERE from_fw = ? AND to_fw = ? ORDER BY seq")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, stored_from)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, stored_to)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *rel = aims__stmt_text(st, 2);
		if (invert) {
			/* "nothing in A relates to b" says nothing about a source in B */
			if (!aims__stmt_text(st, 0) || aims_relationship_support(rel) == AIMS_SUPPORT_NONE)
				continue;
			rel = aims_relationship_inverse(rel) ? aims_relationship_inverse(rel) : rel;
		}
		json_t *m = json_object();
		if ((err = append_new(maps, m)) < 0 ||
		    (err = set_str(m, "source", aims__stmt_text(st, invert ? 1 : 0))) < 0 ||
		    (err = set_str(m, "target", aims__stmt_text(st, invert ? 0 : 1))) < 0 ||
		    (err = set_str(m, "relationship", rel)) < 0 ||
		    (err = set_str(m, "rationale", aims__stmt_text(st, 3))) < 0 ||
		    (err = set_str(m, "confidence", aims__stmt_text(st, 4))) < 0 ||
		    (err = set_str(m, "explanation", aims__stmt_text(st, 5))) < 0 ||
		    (aims__stmt_text(st, 6) && (err = set_str(m, "role", aims__stmt_text(st, 6))) < 0))
			goto done;
	}
done:
	aims__stmt_free(st);
	json_decref(targets);
	json_decref(maps);
	return err < 0 ? err : 0;
}

static int crosswalk_stored(int *yes, aims_store *store, const char *from, const char *to)
{
	aims__stmt *st = NULL;
	int err;

	*yes = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM crosswalks WHERE from_fw = ? AND to_fw = ?")) >= 0 &&
	    (err = aims__stmt_bind_text(st, 1, from)) >= 0 &&
	    (err = aims__stmt_bind_text(st, 2, to)) >= 0 &&
	    (err = aims__stmt_step(st)) >= 0)
		*yes = err == 1;
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_crosswalk_read(aims_crosswalk **out, aims_store *store, const char *from, const char *to)
{
	json_t *root = NULL;
	char digest[65] = "", loaded_at[32] = "", name[160];
	int err, direct = 0, reverse = 0;

	*out = NULL;
	aims_global_init();
	if ((err = crosswalk_stored(&direct, store, from, to)) < 0 ||
	    (!direct && (err = crosswalk_stored(&reverse, store, to, from)) < 0))
		return err;
	if (!direct && !reverse)
		return aims__err(AIMS_ENOTFOUND, "no crosswalk between '%s' and '%s' in the store "
				 "(see 'aims map list')", from, to);
	if (!(root = json_object()))
		return aims__oom();
	if ((err = build_doc(root, store, direct ? from : to, direct ? to : from, !direct, digest, loaded_at)) < 0) {
		json_decref(root);
		return err;
	}
	snprintf(name, sizeof(name), "crosswalk %s -> %s", from, to);
	aims__json_src src = { name, NULL, 0 };
	if ((err = from_json(out, root, &src, !direct)) < 0) {
		if (err != AIMS_EINVALID)
			return err;
		char why[1024];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		return aims__err(AIMS_ETAMPERED, "crosswalk %s -> %s in the store is damaged: %s", from, to, why);
	}
	(*out)->inverted = !direct;
	memcpy((*out)->digest, digest, sizeof(digest));
	memcpy((*out)->loaded_at, loaded_at, sizeof(loaded_at));
	(*out)->info.digest = (*out)->digest;
	(*out)->info.loaded_at = (*out)->loaded_at;
	return 0;
}

/* a copy of s kept alive by `pool` (a JSON array of strings); NULL stays NULL */
static int intern(const char **out, json_t *pool, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	json_t *v = json_string(s);
	if (!v || json_array_append_new(pool, v) < 0)
		return aims__oom();
	*out = json_string_value(v);
	return 0;
}

int aims_crosswalk_list_read(aims_crosswalk_list **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_crosswalk_list *list = NULL;
	json_t *pool = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	aims_global_init();
	if (!(list = aims__calloc(1, sizeof(*list))) || !(pool = json_array())) {
		aims__free(list);
		json_decref(pool);
		return aims__oom();
	}
	list->priv_ = pool;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT c.from_fw, c.to_fw, c.title, c.source, c.licence, c.method, c.notes, c.digest, "
			"c.loaded_at, (SELECT COUNT(*) FROM crosswalk_mappings m "
			"WHERE m.from_fw = c.from_fw AND m.to_fw = c.to_fw) FROM crosswalks c "
			"ORDER BY c.from_fw, c.to_fw")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if (list->count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			aims_crosswalk_info *ni = aims__realloc(list->items, ncap * sizeof(*ni));
			if (!ni) {
				err = aims__oom();
				goto fail;
			}
			list->items = ni;
			size_t *nc = aims__realloc(list->row_counts, ncap * sizeof(*nc));
			if (!nc) {
				err = aims__oom();
				goto fail;
			}
			list->row_counts = nc;
			cap = ncap;
		}
		const char *v[9];
		for (int c = 0; c < 9; c++)
			if ((err = intern(&v[c], pool, aims__stmt_text(st, c))) < 0)
				goto fail;
		aims_crosswalk_info *in = &list->items[list->count];
		in->from = v[0];
		in->to = v[1];
		in->title = v[2];
		in->source = v[3];
		in->licence = v[4];
		in->method = v[5];
		in->notes = v[6];
		in->digest = v[7];
		in->loaded_at = v[8];
		list->row_counts[list->count] = (size_t)aims__stmt_int64(st, 9);
		list->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = list;
	return 0;
fail:
	aims__stmt_free(st);
	aims_crosswalk_list_free(list);
	return err;
}

void aims_crosswalk_list_free(aims_crosswalk_list *list)
{
	if (!list)
		return;
	json_decref(list->priv_);
	aims__free(list->items);
	aims__free(list->row_counts);
	aims__free(list);
}

/* ---- paths ---- */

typedef struct {
	aims_path_list *list;
	json_t *pool;
	size_t cap;
} path_builder;

static int confidence_rank(const char *c)
{
	return !c ? 0 : strcmp(c, "high") == 0 ? 3 : strcmp(c, "medium") == 0 ? 2 : 1;
}

static int path_confidence(const aims_path *p)
{
	int r = 3;
	for (size_t i = 0; i < p->nhops; i++)
		if (confidence_rank(p->hops[i].confidence) < r)
			r = confidence_rank(p->hops[i].confidence);
	return r;
}

/* the requirements a path passes through, compared hop by hop */
static int cmp_nodes(const aims_path *a, const aims_path *b)
{
	int c;
	if (a->nhops != b->nhops)
		return a->nhops < b->nhops ? -1 : 1;
	for (size_t i = 0; i < a->nhops; i++)
		if ((c = strcmp(a->hops[i].to_framework, b->hops[i].to_framework)) != 0 ||
		    (c = strcmp(a->hops[i].to_id, b->hops[i].to_id)) != 0)
			return c;
	return 0;
}

static int cmp_strength(const aims_path *a, const aims_path *b)
{
	if (a->support != b->support)
		return a->support > b->support ? -1 : 1;
	int ca = path_confidence(a), cb = path_confidence(b);
	return ca != cb ? (ca > cb ? -1 : 1) : 0;
}

/* for removing duplicates: the same requirements together, strongest first */
static int cmp_dedupe(const void *pa, const void *pb)
{
	const aims_path *a = pa, *b = pb;
	int c = cmp_nodes(a, b);
	return c ? c : cmp_strength(a, b);
}

/* the order of the result: fewer hops, then stronger, then by the requirements passed */
static int cmp_final(const void *pa, const void *pb)
{
	const aims_path *a = pa, *b = pb;
	int c;
	if (a->nhops != b->nhops)
		return a->nhops < b->nhops ? -1 : 1;
	if ((c = cmp_strength(a, b)) != 0)
		return c;
	const aims_hop *la = &a->hops[a->nhops - 1], *lb = &b->hops[b->nhops - 1];
	if ((c = strcmp(la->to_id, lb->to_id)) != 0)
		return c;
	return cmp_nodes(a, b);
}

static int add_path(path_builder *b, const aims_hop *hops, size_t nhops)
{
	aims_path_list *l = b->list;
	int err;

	if (l->count == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		aims_path *ni = aims__realloc(l->items, ncap * sizeof(*ni));
		if (!ni)
			return aims__oom();
		l->items = ni;
		b->cap = ncap;
	}
	aims_path *p = &l->items[l->count];
	memset(p, 0, sizeof(*p));
	p->nhops = nhops;
	p->support = AIMS_SUPPORT_FULL;
	for (size_t i = 0; i < nhops; i++) {
		aims_hop *h = &p->hops[i];
		if ((err = intern(&h->from_framework, b->pool, hops[i].from_framework)) < 0 ||
		    (err = intern(&h->from_id, b->pool, hops[i].from_id)) < 0 ||
		    (err = intern(&h->to_framework, b->pool, hops[i].to_framework)) < 0 ||
		    (err = intern(&h->to_id, b->pool, hops[i].to_id)) < 0 ||
		    (err = intern(&h->relationship, b->pool, hops[i].relationship)) < 0 ||
		    (err = intern(&h->confidence, b->pool, hops[i].confidence)) < 0 ||
		    (err = intern(&h->explanation, b->pool, hops[i].explanation)) < 0 ||
		    (err = intern(&h->role, b->pool, hops[i].role)) < 0)
			return err;
		h->reversed = hops[i].reversed;
		/* a reversed hop carries the inverted relationship; its support is judged on the stored one */
		int s = h->reversed ? aims_relationship_support_reversed(aims_relationship_inverse(h->relationship))
				    : aims_relationship_support(h->relationship);
		if (s < p->support)
			p->support = s < 0 ? AIMS_SUPPORT_NONE : s;
	}
	l->count++;
	return 0;
}

/*
 * The rows that lead away from fw:id in either direction, as hops read in
 * the direction of travel. Strings are interned in `pool`; *out is an
 * array the caller frees.
 */
static int neighbours(aims_hop **out, size_t *n, aims__stmt *st, json_t *pool, const char *fw, const char *id)
{
	aims_hop *hops = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	*n = 0;
	if ((err = aims__stmt_reset(st)) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, fw)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, fw)) < 0 || (err = aims__stmt_bind_text(st, 4, id)) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			aims_hop *nh = aims__realloc(hops, ncap * sizeof(*nh));
			if (!nh) {
				err = aims__oom();
				goto fail;
			}
			hops = nh;
			cap = ncap;
		}
		aims_hop *h = &hops[*n];
		const char *rel = aims__stmt_text(st, 2);
		h->reversed = aims__stmt_int64(st, 5) != 0;
		if (h->reversed)  /* travelling against the stored direction */
			rel = aims_relationship_inverse(rel) ? aims_relationship_inverse(rel) : rel;
		h->from_framework = fw;
		h->from_id = id;
		if ((err = intern(&h->to_framework, pool, aims__stmt_text(st, 0))) < 0 ||
		    (err = intern(&h->to_id, pool, aims__stmt_text(st, 1))) < 0 ||
		    (err = intern(&h->relationship, pool, rel)) < 0 ||
		    (err = intern(&h->confidence, pool, aims__stmt_text(st, 3))) < 0 ||
		    (err = intern(&h->explanation, pool, aims__stmt_text(st, 4))) < 0 ||
		    (err = intern(&h->role, pool, aims__stmt_text(st, 6))) < 0)
			goto fail;
		if (!h->to_framework || !h->to_id || !h->relationship || !h->confidence || !h->explanation)
			continue;  /* the schema forbids it; skip rather than crash */
		(*n)++;
	}
	if (err < 0)
		goto fail;
	*out = hops;
	return 0;
fail:
	aims__free(hops);
	*n = 0;
	return err;
}

static int need_requirement(aims_store *store, const char *fw, const char *id)
{
	aims__stmt *st = NULL;
	int err, yes = 0;

	if ((err = framework_exists(&yes, store, fw)) < 0)
		return err;
	if (!yes)
		return aims__err(AIMS_ENOTFOUND, "no framework '%s' in the store (see 'aims catalog list')", fw);
	if (!id)
		return 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM requirements WHERE framework = ? AND id = ?")) >= 0)
		err = requirement_exists(&yes, st, fw, id);
	aims__stmt_free(st);
	if (err < 0)
		return err;
	if (!yes)
		return aims__err(AIMS_ENOTFOUND, "no requirement '%s' in '%s' (see 'aims catalog show %s')",
				 id, fw, fw);
	return 0;
}

static int arrives(const aims_hop *h, const char *to_fw, const char *to_id)
{
	return strcmp(h->to_framework, to_fw) == 0 && (!to_id || strcmp(h->to_id, to_id) == 0);
}

int aims_map_paths(aims_path_list **out, aims_store *store, const char *from_fw,
		   const char *from_id, const char *to_fw, const char *to_id)
{
	path_builder b = { NULL, NULL, 0 };
	aims__stmt *st = NULL;
	aims_hop *first = NULL, *second = NULL;
	size_t nfirst = 0, nsecond = 0;
	int err;

	*out = NULL;
	aims_global_init();
	if (!from_fw || !from_id || !to_fw)
		return aims__err(AIMS_EUSAGE, "aims_map_paths: from_fw, from_id and to_fw are required");
	if (strcmp(from_fw, to_fw) == 0)
		return aims__err(AIMS_EINVALID, "'%s:%s' and '%s' are in the same framework", from_fw, from_id, to_fw);
	if ((err = need_requirement(store, from_fw, from_id)) < 0 ||
	    (err = need_requirement(store, to_fw, to_id)) < 0)
		return err;
	if (!(b.list = aims__calloc(1, sizeof(*b.list))) || !(b.pool = json_array())) {
		aims__free(b.list);
		json_decref(b.pool);
		return aims__oom();
	}
	b.list->priv_ = b.pool;
	/* a no-relationship row is not a path, and neither is a row without a source */
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT to_fw, target, relationship, confidence, explanation, 0, role FROM crosswalk_mappings "
			"WHERE from_fw = ? AND source = ? AND relationship <> 'no-relationship' "
			"UNION ALL "
			"SELECT from_fw, source, relationship, confidence, explanation, 1, role FROM crosswalk_mappings "
			"WHERE to_fw = ? AND target = ? AND source IS NOT NULL "
			"AND relationship <> 'no-relationship'")) < 0 ||
	    (err = neighbours(&first, &nfirst, st, b.pool, from_fw, from_id)) < 0)
		goto fail;
	for (size_t i = 0; i < nfirst; i++) {
		const aims_hop *h1 = &first[i];
		if (arrives(h1, to_fw, to_id)) {
			if ((err = add_path(&b, h1, 1)) < 0)
				goto fail;
			continue;
		}
		/* two hops go through a third framework */
		if (strcmp(h1->to_framework, from_fw) == 0 || strcmp(h1->to_framework, to_fw) == 0)
			continue;
		if ((err = neighbours(&second, &nsecond, st, b.pool, h1->to_framework, h1->to_id)) < 0)
			goto fail;
		for (size_t j = 0; j < nsecond; j++) {
			if (!arrives(&second[j], to_fw, to_id))
				continue;
			aims_hop two[2] = { *h1, second[j] };
			if ((err = add_path(&b, two, 2)) < 0)
				goto fail;
		}
		aims__free(second);
		second = NULL;
	}
	aims__stmt_free(st);
	st = NULL;
	aims_path_list *l = b.list;
	if (l->count > 1) {
		/* the same requirements reached twice (A -> B and B -> A both stored): keep the strongest */
		qsort(l->items, l->count, sizeof(*l->items), cmp_dedupe);
		size_t w = 1;
		for (size_t r = 1; r < l->count; r++)
			if (cmp_nodes(&l->items[w - 1], &l->items[r]) != 0)
				l->items[w++] = l->items[r];
		l->count = w;
		qsort(l->items, l->count, sizeof(*l->items), cmp_final);
	}
	aims__free(first);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims__free(first);
	aims__free(second);
	aims_path_list_free(b.list);
	return err;
}

void aims_path_list_free(aims_path_list *list)
{
	if (!list)
		return;
	json_decref(list->priv_);
	aims__free(list->items);
	aims__free(list);
}
