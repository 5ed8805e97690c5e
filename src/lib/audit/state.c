/*
 * State against the ledger: every governed object's digest, recomputed from
 * the store by the module that owns it (the table below), is compared with
 * the digest named by its latest audit entry, which the governance log's
 * verification collected. An object changed, added or deleted outside aims
 * (SQL on the store) is a finding naming it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "state.h"

/*
 * the types whose objects are checked; `multi`: 1, every digest recorded is
 * remembered (AIMS__STATE_RECORDED); 2, every entry of the object is one
 * member, "ACTION DIGEST", and the store must give exactly these members
 * (AIMS__STATE_MEMBER)
 */
static const struct {
	const char *type;
	int multi;
} types[] = {
	{ "setting", 0 }, { "framework", 0 }, { "crosswalk", 0 }, { "isms", 0 }, { "soa-control", 0 },
	{ "document", 1 }, { "ai-system", 0 }, { "deployment", 0 }, { "dataset", 0 }, { "model", 0 },
	{ "lineage-event", 1 }, { "evaluation", 0 }, { "risk-criteria", 0 }, { "risk", 0 },
	{ "impact-assessment", 0 }, { "aiact-classification", 0 }, { "aiact-obligation", 0 },
	{ "decision-log", 0 }, { "decision-head", 1 }, { "incident", 0 }, { "nonconformity", 0 },
	{ "corrective-action", 0 }, { "audit", 0 }, { "monitoring-plan", 0 }, { "monitoring-run", 0 },
	{ "concern", 0 }, { "supplier", 0 }, { "objective", 0 }, { "audit-programme", 0 }, { "gate-check", 0 },
	{ "account", 0 }, { "api-token", 0 }, { "oversight-report", 0 },
	{ "policy", 2 }, { "gate", 2 }, { "gate-exception", 2 }, { "review-queue", 2 },
};

/* the per-type digest functions: each module's */
static int (*const fns[])(aims_store *, aims__state_emit, void *) = {
	aims__setting_state, aims__framework_state, aims__crosswalk_state, aims__isms_state, aims__soa_state,
	aims__document_state, aims__system_state, aims__deployment_state, aims__dataset_state, aims__model_state,
	aims__lineage_event_state, aims__evaluation_state, aims__risk_state, aims__assessment_state,
	aims__aiact_state, aims__decision_log_state, aims__decision_head_state, aims__pdca_state,
	aims__gate_check_state, aims__account_state, aims__token_state,
	aims__oversight_report_state, aims__policy_state, aims__gate_state, aims__gate_exception_state,
	aims__review_queue_state,
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

/* ---- a hash table of strings in one arena ---- */

typedef struct {
	uint64_t hash;
	size_t key;            /* offset of the key in the arena, +1 (0: empty slot) */
	size_t klen;
	int64_t idx;           /* latest entry */
	size_t digest;         /* offset of its digest in the arena, +1 (0: NULL) */
	uint32_t count, used;  /* members: entries that record it, and how many of them the store gave */
	unsigned char del, pruned, seen;
} slot;

typedef struct {
	slot *v;
	size_t cap, n;
} table;

struct aims__state {
	table latest;          /* "type\x1fid" -> its latest entry */
	table recorded;        /* "type\x1fid\x1fdigest" of multi types, "type\x1fid\x1fACTION DIGEST" of members */
	char *arena;
	size_t alen, acap;
	aims__sha256 *h;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int arena_put(aims__state *st, size_t *off, const char *s, size_t n)
{
	if (st->acap - st->alen < n + 1) {
		size_t nc = st->acap ? st->acap : 1 << 16;
		while (nc - st->alen < n + 1)
			nc *= 2;
		char *na = aims__realloc(st->arena, nc);
		if (!na)
			return aims__oom();
		st->arena = na;
		st->acap = nc;
	}
	memcpy(st->arena + st->alen, s, n);
	st->arena[st->alen + n] = '\0';
	*off = st->alen + 1;
	st->alen += n + 1;
	return 0;
}

static int table_grow(table *t)
{
	size_t nc = t->cap ? t->cap * 2 : 1024;
	slot *nv = aims__calloc(nc, sizeof(*nv));
	if (!nv)
		return aims__oom();
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->v[i].key)
			continue;
		size_t j = t->v[i].hash & (nc - 1);
		while (nv[j].key)
			j = (j + 1) & (nc - 1);
		nv[j] = t->v[i];
	}
	aims__free(t->v);
	t->v = nv;
	t->cap = nc;
	return 0;
}

/* the slot of key (created when `create`); NULL when absent */
static int table_find(slot **out, aims__state *st, table *t, const char *key, size_t klen, int create)
{
	int err;
	*out = NULL;
	if (create && (t->n + 1) * 4 >= t->cap * 3 && (err = table_grow(t)) < 0)
		return err;
	if (!t->cap)
		return 0;
	uint64_t h = fnv(key, klen);
	size_t j = h & (t->cap - 1);
	while (t->v[j].key) {
		slot *s = &t->v[j];
		if (s->hash == h && s->klen == klen && memcmp(st->arena + s->key - 1, key, klen) == 0) {
			*out = s;
			return 0;
		}
		j = (j + 1) & (t->cap - 1);
	}
	if (!create)
		return 0;
	size_t off;
	if ((err = arena_put(st, &off, key, klen)) < 0)
		return err;
	memset(&t->v[j], 0, sizeof(t->v[j]));
	t->v[j].hash = h;
	t->v[j].key = off;
	t->v[j].klen = klen;
	t->n++;
	*out = &t->v[j];
	return 0;
}

static int type_index(const char *type)
{
	for (size_t i = 0; type && i < NTYPES; i++)
		if (strcmp(types[i].type, type) == 0)
			return (int)i;
	return -1;
}

/* "a\x1fb[\x1fc]" into buf */
static int make_key(aims_buf *b, const char *a, const char *bb, const char *c)
{
	aims_buf_clear(b);
	int err;
	if ((err = aims_buf_puts(b, a)) < 0 || (err = aims_buf_putc(b, '\x1f')) < 0 || (err = aims_buf_puts(b, bb)) < 0)
		return err;
	if (c && ((err = aims_buf_putc(b, '\x1f')) < 0 || (err = aims_buf_puts(b, c)) < 0))
		return err;
	return 0;
}

int aims__state_new(aims__state **out)
{
	*out = aims__calloc(1, sizeof(**out));
	return *out ? 0 : aims__oom();
}

void aims__state_free(aims__state *st)
{
	if (!st)
		return;
	aims__free(st->latest.v);
	aims__free(st->recorded.v);
	aims__free(st->arena);
	aims__free(st);
}

int aims__state_on_entry(void *arg, int64_t idx, const char *type, const char *id, const char *action,
			 const char *digest, int pruned)
{
	aims__state *st = arg;
	aims_buf k = AIMS_BUF_INIT;
	slot *s = NULL;
	int t = type_index(type), err;
	if (t < 0 || !id)
		return 0;
	if ((err = make_key(&k, type, id, NULL)) < 0 || (err = table_find(&s, st, &st->latest, k.ptr, k.len, 1)) < 0)
		goto done;
	s->idx = idx;
	s->del = action && strcmp(action, "delete") == 0;
	s->pruned = (unsigned char)pruned;
	if (!digest) {
		s->digest = 0;
	} else if (s->digest && strlen(st->arena + s->digest - 1) == strlen(digest)) {
		/* a later entry of the same object: its digest over the earlier one, not a new copy */
		memcpy(st->arena + s->digest - 1, digest, strlen(digest));
	} else if ((err = arena_put(st, &s->digest, digest, strlen(digest))) < 0) {
		goto done;
	}
	/* the latest entry that disabled an account (AIMS__STATE_DISABLED_AFTER) */
	if (action && strcmp(action, "disable") == 0 && strcmp(type, "account") == 0) {
		if ((err = make_key(&k, type, id, "\x1e" "disable")) < 0 ||
		    (err = table_find(&s, st, &st->recorded, k.ptr, k.len, 1)) < 0)
			goto done;
		s->idx = idx;
	}
	if (types[t].multi == 1 && digest && !pruned) {
		if ((err = make_key(&k, type, id, digest)) < 0 ||
		    (err = table_find(&s, st, &st->recorded, k.ptr, k.len, 1)) < 0)
			goto done;
	}
	/*
	 * a member: "ACTION DIGEST" ("-" for no digest). Retention drops the bodies of old entries and
	 * keeps only an object's latest one whole; the digest its fields still name stands for a part
	 * whose entry lost its body.
	 */
	if (types[t].multi == 2) {
		aims_buf m = AIMS_BUF_INIT;
		if ((err = aims_buf_printf(&m, "%s %s", action ? action : "-", digest ? digest : "-")) < 0 ||
		    (err = make_key(&k, type, id, m.ptr)) < 0 ||
		    (err = table_find(&s, st, &st->recorded, k.ptr, k.len, 1)) < 0) {
			aims_buf_release(&m);
			goto done;
		}
		aims_buf_release(&m);
		s->count++;
		s->idx = idx;
	}
	err = 0;
done:
	aims_buf_release(&k);
	return err;
}

/* ---- the comparison ---- */

typedef struct {
	aims__state *st;
	aims_buf key;
	aims__state_finding_fn add;
	void *arg;
	uint64_t objects;
} cmp_ctx;

static int emit(void *arg, const char *type, const char *id, const char *digest, int mode)
{
	cmp_ctx *c = arg;
	slot *s = NULL;
	int err;
	if (!type || !id || !digest)
		return 0;
	c->objects++;
	if ((err = make_key(&c->key, type, id, NULL)) < 0 ||
	    (err = table_find(&s, c->st, &c->st->latest, c->key.ptr, c->key.len, 0)) < 0)
		return err;
	const char *rec = s && s->digest ? c->st->arena + s->digest - 1 : NULL;
	int64_t idx = s ? s->idx : -1;
	if (s)
		s->seen = 1;
	if (mode == AIMS__STATE_LATEST_IF) {
		if (s && !s->del && !s->pruned && rec && strcmp(rec, digest) == 0)
			return 1;
		c->objects--; /* a probe: the object is counted by the emit that follows a miss */
		return 0;
	}
	if (mode == AIMS__STATE_DISABLED_AFTER) {
		const char *sep = strchr(digest, '\x1f');
		slot *d = NULL;
		c->objects--;
		if (!sep || !s || s->del || s->pruned || !rec || strlen(rec) != (size_t)(sep - digest) ||
		    memcmp(rec, digest, (size_t)(sep - digest)) != 0)
			return 0;
		if ((err = make_key(&c->key, "account", sep + 1, "\x1e" "disable")) < 0 ||
		    (err = table_find(&d, c->st, &c->st->recorded, c->key.ptr, c->key.len, 0)) < 0)
			return err;
		if (!d || d->idx <= idx)
			return 0;
		c->objects++;
		return 1;
	}
	if (mode == AIMS__STATE_MEMBER_IF) {
		slot *r = NULL;
		c->objects--; /* a probe, not an object */
		if (!s || s->del)
			return 0;
		if ((err = make_key(&c->key, type, id, digest)) < 0 ||
		    (err = table_find(&r, c->st, &c->st->recorded, c->key.ptr, c->key.len, 0)) < 0)
			return err;
		if (!r || r->used >= r->count)
			return 0;
		r->used++;
		return 1;
	}
	if (mode == AIMS__STATE_MEMBER) {
		slot *r = NULL;
		if (!s)
			return c->add(c->arg, type, id, "not in the ledger", NULL, digest, -1);
		if (s->del)
			return c->add(c->arg, type, id, "exists, but its latest audit entry deleted it", NULL, digest, idx);
		if ((err = make_key(&c->key, type, id, digest)) < 0 ||
		    (err = table_find(&r, c->st, &c->st->recorded, c->key.ptr, c->key.len, 0)) < 0)
			return err;
		if (!r || r->used >= r->count)
			return c->add(c->arg, type, id, "changed outside aims", NULL, digest, idx);
		r->used++;
		return 0;
	}
	if (mode == AIMS__STATE_RECORDED) {
		slot *r = NULL;
		if ((err = make_key(&c->key, type, id, digest)) < 0 ||
		    (err = table_find(&r, c->st, &c->st->recorded, c->key.ptr, c->key.len, 0)) < 0)
			return err;
		if (!r)
			return c->add(c->arg, type, id, s ? "changed: no audit entry records this content" :
				      "not in the ledger", rec, digest, idx);
		return 0;
	}
	if (!s)
		return mode == AIMS__STATE_OPTIONAL ? 0 : c->add(c->arg, type, id, "not in the ledger", NULL, digest, -1);
	if (s->del)
		return c->add(c->arg, type, id, "exists, but its latest audit entry deleted it", NULL, digest, idx);
	if (s->pruned)
		return c->add(c->arg, type, id, "its latest audit entry lost its body, so its state cannot be checked",
			      NULL, digest, idx);
	if (!rec || strcmp(rec, digest) != 0)
		return c->add(c->arg, type, id, "changed outside aims", rec, digest, idx);
	return 0;
}

int aims__state_compare(aims__state *st, aims_store *store, aims__state_finding_fn add, void *arg, uint64_t *objects)
{
	cmp_ctx c;
	int err = 0;
	memset(&c, 0, sizeof(c));
	aims_buf_init(&c.key, 0);
	c.st = st;
	c.add = add;
	c.arg = arg;
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]) && err == 0; i++)
		err = fns[i](store, emit, &c);
	/* objects the ledger has but the store no longer does */
	for (size_t i = 0; err == 0 && i < st->latest.cap; i++) {
		slot *s = &st->latest.v[i];
		if (!s->key || s->seen || s->del)
			continue;
		const char *k = st->arena + s->key - 1, *sep = strchr(k, '\x1f');
		char type[64];
		snprintf(type, sizeof(type), "%.*s", (int)(sep - k), k);
		err = add(arg, type, sep + 1, "deleted outside aims (its latest audit entry does not delete it)",
			  s->digest ? st->arena + s->digest - 1 : NULL, NULL, s->idx);
	}
	/* members an audit entry recorded that the store no longer gives (of objects it still has) */
	for (size_t i = 0; err == 0 && i < st->recorded.cap; i++) {
		slot *r = &st->recorded.v[i], *s = NULL;
		if (!r->key || r->used >= r->count)
			continue;
		const char *k = st->arena + r->key - 1, *sep = strchr(k, '\x1f'), *sep2 = sep ? strchr(sep + 1, '\x1f') : NULL;
		char type[64];
		if (!sep2)
			continue;
		snprintf(type, sizeof(type), "%.*s", (int)(sep - k), k);
		int t = type_index(type);
		if (t < 0 || types[t].multi != 2 || (err = table_find(&s, st, &st->latest, k, (size_t)(sep2 - k), 0)) < 0)
			continue;
		if (!s || !s->seen || s->del)
			continue; /* deleted altogether: reported above */
		char *id = aims__strndup(sep + 1, (size_t)(sep2 - sep - 1));
		if (!id)
			return aims__oom();
		err = add(arg, type, id, "partly deleted outside aims (the store no longer has what this audit entry "
			  "records)", sep2 + 1, NULL, r->idx);
		aims__free(id);
	}
	aims_buf_release(&c.key);
	if (objects)
		*objects = c.objects;
	return err;
}
