/*
 * AI systems (ISO/IEC 42001 A.4, A.6.2.7) and their deployments. A system
 * is one row in ai_systems with its record version; every version's
 * canonical record is kept in ai_system_versions. Each add, change and
 * deployment appends an audit entry in the same transaction.
 */
#include <string.h>

#include "aims/ledger.h"
#include "inventory_internal.h"
#include "audit/state.h"

const char *const aims_system_lifecycles[] = {
	"idea", "design", "development", "validation", "deployed", "operating", "retired", NULL
};
const char *const aims_system_roles[] = { "provider", "deployer", "both", "unspecified", NULL };
const char *const aims_system_oversights[] = {
	"human-in-the-loop", "human-on-the-loop", "human-in-command", "none", "unspecified", NULL
};
const char *const aims_system_statuses[] = { "active", "suspended", "retired", NULL };

int aims_system_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > AIMS_SYSTEM_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int check_name(const char *name)
{
	if (!aims_system_name_valid(name))
		return aims__err(AIMS_EINVALID, "'%.80s' is not a valid AI system name (1 to %d characters of "
				 "A-Z a-z 0-9 . _ -)", name ? name : "", AIMS_SYSTEM_NAME_MAX);
	return 0;
}

static int check_enum(const char *field, const char *v, const char *const *list)
{
	aims_buf b = AIMS_BUF_INIT;
	int err;
	if (!v)
		return 0;
	for (size_t i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return 0;
	for (size_t i = 0; list[i]; i++)
		if (aims_buf_printf(&b, "%s%s", i ? ", " : "", list[i]) < 0)
			break;
	err = aims__err(AIMS_EINVALID, "%s '%.80s': not one of %s", field, v, b.ptr);
	aims_buf_release(&b);
	return err;
}

void aims_system_free(aims_system *s)
{
	if (!s)
		return;
	aims__free(s->name);
	aims__free(s->purpose);
	aims__free(s->intended_use);
	aims__free(s->misuse);
	aims__free(s->owner);
	aims__free(s->lifecycle);
	aims__free(s->role);
	aims__free(s->oversight);
	aims__free(s->affected_groups);
	aims__free(s->status);
	aims__free(s->created_at);
	aims__free(s->updated_at);
	aims__free(s->digest);
	aims__free(s);
}

void aims_systems_free(aims_systems *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		aims_system_free(l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

#define SYS_COLS "name, purpose, intended_use, misuse, owner, lifecycle, role, oversight, affected_groups, " \
		 "status, version, created_at, updated_at, digest"

static int row_system(aims_system **out, aims__stmt *st)
{
	aims_system *s = aims__calloc(1, sizeof(*s));
	int err;
	*out = NULL;
	if (!s)
		return aims__oom();
	if ((err = aims__stmt_text_dup(&s->name, st, 0)) < 0 || (err = aims__stmt_text_dup(&s->purpose, st, 1)) < 0 ||
	    (err = aims__stmt_text_dup(&s->intended_use, st, 2)) < 0 || (err = aims__stmt_text_dup(&s->misuse, st, 3)) < 0 ||
	    (err = aims__stmt_text_dup(&s->owner, st, 4)) < 0 || (err = aims__stmt_text_dup(&s->lifecycle, st, 5)) < 0 ||
	    (err = aims__stmt_text_dup(&s->role, st, 6)) < 0 || (err = aims__stmt_text_dup(&s->oversight, st, 7)) < 0 ||
	    (err = aims__stmt_text_dup(&s->affected_groups, st, 8)) < 0 || (err = aims__stmt_text_dup(&s->status, st, 9)) < 0 ||
	    (err = aims__stmt_text_dup(&s->created_at, st, 11)) < 0 || (err = aims__stmt_text_dup(&s->updated_at, st, 12)) < 0 ||
	    (err = aims__stmt_text_dup(&s->digest, st, 13)) < 0) {
		aims_system_free(s);
		return err;
	}
	s->version = aims__stmt_int64(st, 10);
	*out = s;
	return 0;
}

int aims_system_get(aims_system **out, aims_store *store, const char *name)
{
	aims__stmt *st = NULL;
	int err;
	*out = NULL;
	if (!name)
		return aims__err(AIMS_EUSAGE, "aims_system_get: no name");
	if ((err = aims__stmt_prepare(&st, store, "SELECT " SYS_COLS " FROM ai_systems WHERE name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "AI system '%.80s' is not in the inventory", name);
		goto done;
	}
	err = row_system(out, st);
done:
	aims__stmt_free(st);
	return err;
}

int aims_system_list(aims_systems **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_systems *l = aims__calloc(1, sizeof(*l));
	size_t cap = 0;
	int err;
	*out = NULL;
	if (!l)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT " SYS_COLS " FROM ai_systems ORDER BY seq")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(aims_system *))) < 0 ||
		    (err = row_system(&l->items[l->count], st)) < 0)
			goto fail;
		l->count++;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_systems_free(l);
	return err;
}

/* the canonical record of a system: what its digest covers (docs/inventory.md) */
static json_t *system_record(const aims_system *s)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:s}", "name", s->name,
			 "purpose", aims__inv_jstr(s->purpose), "intended_use", aims__inv_jstr(s->intended_use),
			 "misuse", aims__inv_jstr(s->misuse), "owner", aims__inv_jstr(s->owner),
			 "lifecycle", s->lifecycle, "role", s->role, "oversight", s->oversight,
			 "affected_groups", aims__inv_jstr(s->affected_groups), "status", s->status);
}

static int check_fields(const aims_system_fields *f)
{
	int err;
	if (!f || f->version != AIMS_SYSTEM_FIELDS_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_system_fields version not supported");
	if ((err = aims__inv_check_text("purpose", f->purpose, 1)) < 0 ||
	    (err = aims__inv_check_text("intended use", f->intended_use, 1)) < 0 ||
	    (err = aims__inv_check_text("misuse", f->misuse, 1)) < 0 ||
	    (err = aims__inv_check_text("owner", f->owner, 0)) < 0 ||
	    (err = aims__inv_check_text("affected groups", f->affected_groups, 1)) < 0 ||
	    (err = check_enum("lifecycle", f->lifecycle, aims_system_lifecycles)) < 0 ||
	    (err = check_enum("role", f->role, aims_system_roles)) < 0 ||
	    (err = check_enum("oversight", f->oversight, aims_system_oversights)) < 0 ||
	    (err = check_enum("status", f->status, aims_system_statuses)) < 0)
		return err;
	return 0;
}

/* set *field from v: NULL keeps, "" clears (required fields keep their value) */
static int apply(char **field, const char *v, int *changed, int required)
{
	char *n = NULL;
	if (!v || (required && !*v))
		return 0;
	if (*v && !(n = aims__strdup(v)))
		return aims__oom();
	if (aims__strcmp0(n, *field) != 0)
		*changed = 1;
	aims__free(*field);
	*field = n;
	return 0;
}

static int apply_all(aims_system *s, const aims_system_fields *f, int *changed)
{
	int err;
	if ((err = apply(&s->purpose, f->purpose, changed, 0)) < 0 ||
	    (err = apply(&s->intended_use, f->intended_use, changed, 0)) < 0 ||
	    (err = apply(&s->misuse, f->misuse, changed, 0)) < 0 || (err = apply(&s->owner, f->owner, changed, 0)) < 0 ||
	    (err = apply(&s->lifecycle, f->lifecycle, changed, 1)) < 0 ||
	    (err = apply(&s->role, f->role, changed, 1)) < 0 || (err = apply(&s->oversight, f->oversight, changed, 1)) < 0 ||
	    (err = apply(&s->affected_groups, f->affected_groups, changed, 0)) < 0 ||
	    (err = apply(&s->status, f->status, changed, 1)) < 0)
		return err;
	return 0;
}

/* write the record (insert or update), its version row, node and audit entry; inside a transaction */
static int write_system(aims_store *store, aims_system *s, int create, const char *prev_digest)
{
	aims__stmt *st = NULL;
	json_t *rec = system_record(s);
	char *text = NULL, dg[72], now[32];
	int err;
	if (!rec)
		return aims__oom();
	if ((err = aims__inv_json_canon(&text, rec)) < 0 || (err = aims_ledger_digest(dg, text, strlen(text))) < 0)
		goto done;
	aims__time_now(now);
	aims__free(s->digest);
	aims__free(s->updated_at);
	s->digest = aims__strdup(dg);
	s->updated_at = aims__strdup(now);
	if (!s->digest || !s->updated_at) {
		err = aims__oom();
		goto done;
	}
	if (create) {
		int64_t seq;
		aims__free(s->created_at);
		if (!(s->created_at = aims__strdup(now))) {
			err = aims__oom();
			goto done;
		}
		if ((err = aims__inv_int(&seq, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM ai_systems", NULL)) < 0 ||
		    (err = aims__stmt_prepare(&st, store, "INSERT INTO ai_systems (" SYS_COLS ", seq) VALUES "
					      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
		    (err = aims__stmt_bind_int64(st, 15, seq)) < 0)
			goto done;
	} else if ((err = aims__stmt_prepare(&st, store, "UPDATE ai_systems SET name = ?, purpose = ?, intended_use = ?, "
					      "misuse = ?, owner = ?, lifecycle = ?, role = ?, oversight = ?, "
					      "affected_groups = ?, status = ?, version = ?, created_at = ?, "
					      "updated_at = ?, digest = ? WHERE name = ?")) < 0 ||
		   (err = aims__stmt_bind_text(st, 15, s->name)) < 0) {
		goto done;
	}
	if ((err = aims__stmt_bind_text(st, 1, s->name)) < 0 || (err = aims__stmt_bind_text(st, 2, s->purpose)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, s->intended_use)) < 0 || (err = aims__stmt_bind_text(st, 4, s->misuse)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, s->owner)) < 0 || (err = aims__stmt_bind_text(st, 6, s->lifecycle)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, s->role)) < 0 || (err = aims__stmt_bind_text(st, 8, s->oversight)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, s->affected_groups)) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, s->status)) < 0 || (err = aims__stmt_bind_int64(st, 11, s->version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 12, s->created_at)) < 0 ||
	    (err = aims__stmt_bind_text(st, 13, s->updated_at)) < 0 || (err = aims__stmt_bind_text(st, 14, s->digest)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO ai_system_versions (name, version, record, digest, actor, "
				      "recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, s->name)) < 0 || (err = aims__stmt_bind_int64(st, 2, s->version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, text)) < 0 || (err = aims__stmt_bind_text(st, 4, dg)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims__inv_node(NULL, store, "system", "", s->name, "")) < 0 ||
	    (err = aims_ledger_append(store, create ? "create" : "update", "ai-system", s->name, dg, prev_digest)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	aims__free(text);
	json_decref(rec);
	return err;
}

int aims_system_add(aims_store *store, const char *name, const aims_system_fields *f)
{
	aims_system *s = NULL, *old = NULL;
	int err, changed = 0, began = 0;
	if ((err = check_name(name)) < 0 || (err = check_fields(f)) < 0)
		return err;
	if (!(s = aims__calloc(1, sizeof(*s))) || !(s->name = aims__strdup(name)) ||
	    !(s->lifecycle = aims__strdup("development")) || !(s->role = aims__strdup("unspecified")) ||
	    !(s->oversight = aims__strdup("unspecified")) || !(s->status = aims__strdup("active"))) {
		err = aims__oom();
		goto done;
	}
	if ((err = apply_all(s, f, &changed)) < 0)
		goto done;
	s->version = 1;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	err = aims_system_get(&old, store, name);
	if (err == 0) {
		err = aims__err(AIMS_ECONFLICT, "AI system '%s' is in the inventory already (change it with "
				"'aims system set')", name);
		goto done;
	}
	if (err != AIMS_ENOTFOUND)
		goto done;
	aims_error_clear();
	if ((err = write_system(store, s, 1, NULL)) < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	if (began)
		aims_store_rollback(store);
	aims_system_free(old);
	aims_system_free(s);
	return err;
}

int aims_system_set(int *changed, aims_store *store, const char *name, const aims_system_fields *f)
{
	aims_system *s = NULL;
	char *prev = NULL;
	int err, ch = 0, began = 0;
	if (changed)
		*changed = 0;
	if ((err = check_fields(f)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_system_get(&s, store, name)) < 0 || (err = aims__inv_dup(&prev, s->digest)) < 0 ||
	    (err = apply_all(s, f, &ch)) < 0)
		goto done;
	if (ch) {
		s->version++;
		if ((err = write_system(store, s, 0, prev)) < 0)
			goto done;
	}
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (changed)
		*changed = ch;
done:
	if (began)
		aims_store_rollback(store);
	aims__free(prev);
	aims_system_free(s);
	return err;
}

/* ---- deployments ---- */

void aims_deployments_free(aims_deployments *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		aims_deployment *d = &l->items[i];
		aims__free(d->system);
		aims__free(d->model);
		aims__free(d->model_version);
		aims__free(d->env);
		aims__free(d->deployed_at);
		aims__free(d->deployed_by);
		aims__free(d->notes);
		aims__free(d->digest);
	}
	aims__free(l->items);
	aims__free(l);
}

static int check_env(const char *env)
{
	size_t n = env ? strlen(env) : 0;
	if (n < 1 || n > 64)
		return aims__err(AIMS_EINVALID, "environment '%.80s': 1 to 64 characters of A-Z a-z 0-9 . _ -",
				 env ? env : "");
	for (size_t i = 0; i < n; i++) {
		char c = env[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return aims__err(AIMS_EINVALID, "environment '%.80s': 1 to 64 characters of A-Z a-z 0-9 . _ -",
					 env);
	}
	return 0;
}

int aims_deploy_record(int64_t *seq_out, aims_store *store, const char *system, const char *model_ref,
		       const char *env, const char *when, const char *notes)
{
	aims_system *s = NULL;
	aims__stmt *st = NULL;
	json_t *rec = NULL;
	char *mname = NULL, *mver = NULL, *skey = NULL, *mkey = NULL, at[32], now[32], dg[72];
	int64_t seq = 0;
	int err, began = 0;

	if (seq_out)
		*seq_out = 0;
	if ((err = check_env(env)) < 0 ||
	    (err = aims__inv_check_text("notes", notes, 1)) < 0)
		return err;
	aims__time_now(now);
	if (when) {
		char norm[32];
		if (aims__inv_time_norm(norm, when) < 0)
			return aims__err(AIMS_EINVALID, "deployment time '%.80s': not an RFC 3339 time "
					 "(e.g. 2026-03-01T09:00:00Z)", when);
		/* seconds precision, like every other time stamp we write */
		memcpy(at, norm, 19);
		at[19] = 'Z';
		at[20] = '\0';
	} else {
		memcpy(at, now, sizeof(at));
	}
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_system_get(&s, store, system)) < 0 ||
	    (err = aims__inv_model_find(&mname, &mver, store, model_ref)) < 0 ||
	    (err = aims__inv_int(&seq, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM deployments WHERE system = ?",
				 system)) < 0)
		goto done;
	/* the deployer is the principal acting, never a name given as text */
	const char *by = aims_store_actor(store);
	if (!(rec = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "system", system, "seq", (json_int_t)seq,
			      "model", mname, "model_version", mver, "env", env, "deployed_at", at,
			      "deployed_by", by, "notes", aims__inv_jstr(notes)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__inv_json_digest(dg, rec)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO deployments (system, seq, model, model_version, env, "
				      "deployed_at, deployed_by, notes, digest, recorded_at) VALUES "
				      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, mname)) < 0 || (err = aims__stmt_bind_text(st, 4, mver)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, env)) < 0 || (err = aims__stmt_bind_text(st, 6, at)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, by)) < 0 || (err = aims__stmt_bind_text(st, 8, notes)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, dg)) < 0 || (err = aims__stmt_bind_text(st, 10, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	char oid[200];
	snprintf(oid, sizeof(oid), "%s#%lld", system, (long long)seq);
	if ((err = aims__inv_node(&skey, store, "system", "", system, "")) < 0 ||
	    (err = aims__inv_node(&mkey, store, "model", "", mname, mver)) < 0 ||
	    (err = aims__inv_edge(store, skey, "used", mkey)) < 0 ||
	    (err = aims_ledger_append(store, "deploy", "deployment", oid, dg, NULL)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (seq_out)
		*seq_out = seq;
done:
	if (began)
		aims_store_rollback(store);
	json_decref(rec);
	aims__stmt_free(st);
	aims_system_free(s);
	aims__free(mname);
	aims__free(mver);
	aims__free(skey);
	aims__free(mkey);
	return err;
}

int aims_deploy_list(aims_deployments **out, aims_store *store, const char *system)
{
	aims__stmt *st = NULL;
	aims_deployments *l = aims__calloc(1, sizeof(*l));
	size_t cap = 0;
	int err;
	*out = NULL;
	if (!l)
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, system ?
				      "SELECT system, seq, model, model_version, env, deployed_at, deployed_by, notes, digest "
				      "FROM deployments WHERE system = ? ORDER BY deployed_at, seq" :
				      "SELECT system, seq, model, model_version, env, deployed_at, deployed_by, notes, digest "
				      "FROM deployments ORDER BY deployed_at, system, seq")) < 0 ||
	    (system && (err = aims__stmt_bind_text(st, 1, system)) < 0))
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(*l->items))) < 0)
			goto fail;
		aims_deployment *d = &l->items[l->count];
		memset(d, 0, sizeof(*d));
		l->count++;
		d->seq = aims__stmt_int64(st, 1);
		if ((err = aims__stmt_text_dup(&d->system, st, 0)) < 0 || (err = aims__stmt_text_dup(&d->model, st, 2)) < 0 ||
		    (err = aims__stmt_text_dup(&d->model_version, st, 3)) < 0 || (err = aims__stmt_text_dup(&d->env, st, 4)) < 0 ||
		    (err = aims__stmt_text_dup(&d->deployed_at, st, 5)) < 0 || (err = aims__stmt_text_dup(&d->deployed_by, st, 6)) < 0 ||
		    (err = aims__stmt_text_dup(&d->notes, st, 7)) < 0 || (err = aims__stmt_text_dup(&d->digest, st, 8)) < 0)
			goto fail;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_deployments_free(l);
	return err;
}

int aims_system_current_model(char **model, aims_store *store, const char *system, const char *env)
{
	aims_system *s = NULL;
	aims__stmt *st = NULL;
	aims_buf b = AIMS_BUF_INIT;
	int err;
	*model = NULL;
	if ((err = aims_system_get(&s, store, system)) < 0)
		return err;
	aims_system_free(s);
	if ((err = aims__stmt_prepare(&st, store, env ?
				      "SELECT model, model_version FROM deployments WHERE system = ? AND env = ? "
				      "ORDER BY deployed_at DESC, seq DESC LIMIT 1" :
				      "SELECT model, model_version FROM deployments WHERE system = ? "
				      "ORDER BY deployed_at DESC, seq DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (env && (err = aims__stmt_bind_text(st, 2, env)) < 0) ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		if ((err = aims_buf_printf(&b, "%s@%s", aims__stmt_text(st, 0), aims__stmt_text(st, 1))) < 0)
			goto done;
		if (!(*model = aims_buf_detach(&b, NULL))) {
			err = aims__oom();
			goto done;
		}
	}
	err = 0;
done:
	aims_buf_release(&b);
	aims__stmt_free(st);
	return err;
}

/* ---- state against the ledger: the digests of the canonical records the audit entries name ---- */

int aims__system_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_system *s = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " SYS_COLS " FROM ai_systems ORDER BY name")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		json_t *rec = NULL;
		if ((err = row_system(&s, st)) < 0)
			break;
		if (!(rec = system_record(s))) {
			err = aims__oom();
			break;
		}
		err = aims__inv_json_digest(dg, rec);
		json_decref(rec);
		if (err < 0 || (err = emit(arg, "ai-system", s->name, dg, AIMS__STATE_LATEST)) < 0)
			break;
		aims_system_free(s);
		s = NULL;
	}
	aims_system_free(s);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims__deployment_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72], oid[200];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT system, seq, model, model_version, env, deployed_at, "
				      "deployed_by, notes FROM deployments ORDER BY system, seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *sys = aims__stmt_text(st, 0);
		int64_t seq = aims__stmt_int64(st, 1);
		json_t *rec = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "system", sys ? sys : "", "seq",
					(json_int_t)seq, "model", aims__stmt_text(st, 2) ? aims__stmt_text(st, 2) : "",
					"model_version", aims__stmt_text(st, 3) ? aims__stmt_text(st, 3) : "",
					"env", aims__stmt_text(st, 4) ? aims__stmt_text(st, 4) : "",
					"deployed_at", aims__stmt_text(st, 5) ? aims__stmt_text(st, 5) : "",
					"deployed_by", aims__stmt_text(st, 6) ? aims__stmt_text(st, 6) : "",
					"notes", aims__inv_jstr(aims__stmt_text(st, 7)));
		if (!rec) {
			err = aims__oom();
			break;
		}
		err = aims__inv_json_digest(dg, rec);
		json_decref(rec);
		snprintf(oid, sizeof(oid), "%s#%lld", sys ? sys : "", (long long)seq);
		if (err < 0 || (err = emit(arg, "deployment", oid, dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
