/*
 * OpenLineage 2-0-2 RunEvent ingestion. The input is one JSON object, a
 * JSON array of events or NDJSON. Every event is checked first (required
 * fields, types, the run id a UUID, eventTime an ISO 8601 date-time with
 * offset); the first bad one is refused with its position and reason and
 * nothing is stored. Then, in one transaction, each event not seen before
 * (by the digest of its canonical JSON) is kept whole, so unknown facets
 * are never lost, and turned into graph nodes and PROV edges; the state of
 * each touched run is recomputed from all of its events in event-time
 * order, so duplicate and out-of-order delivery end in the same graph.
 */
#include <string.h>

#include "aims/ledger.h"
#include "core/json.h"
#include "inventory_internal.h"
#include "audit/state.h"

#define MAX_EVENTS 1000000

typedef struct {
	json_t *ev;            /* borrowed from the parsed document or owned (NDJSON) */
	const char *run_id;    /* in lower case: run ids compare case-insensitively */
	char run_lc[40];
	const char *type;      /* eventType, "OTHER" when absent */
	char time[32];         /* normalized eventTime */
	char digest[72];
	char *canon;
	int line;              /* NDJSON line, else 0 */
} event;

typedef struct {
	const char *name;      /* source name for messages */
	const char *text;
	size_t len;
	int mode;              /* 0 single object, 1 array, 2 NDJSON */
} source;

/* "'name' event [3] (line 12): " / "'name' line 4: " / "'name': " */
static int where(aims_buf *b, const source *src, size_t idx, int line)
{
	if (src->mode == 1) {
		char path[32];
		int l = 0, c = 0;
		snprintf(path, sizeof(path), "[%zu]", idx);
		if (aims__json_locate(src->text, src->len, path, &l, &c) == 0)
			return aims_buf_printf(b, "'%s' event [%zu] (line %d)", src->name, idx, l);
		return aims_buf_printf(b, "'%s' event [%zu]", src->name, idx);
	}
	if (src->mode == 2)
		return aims_buf_printf(b, "'%s' line %d", src->name, line);
	return aims_buf_printf(b, "'%s'", src->name);
}

static int refuse(const source *src, size_t idx, int line, const char *path, const char *fmt, const char *arg)
{
	aims_buf b = AIMS_BUF_INIT;
	int err;
	if (where(&b, src, idx, line) < 0 || aims_buf_printf(&b, ": %s: ", path) < 0 ||
	    aims_buf_printf(&b, fmt, arg ? arg : "") < 0) {
		aims_buf_release(&b);
		return aims__oom();
	}
	err = aims__err(AIMS_EINVALID, "%s", b.ptr);
	aims_buf_release(&b);
	return err;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int is_uuid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	if (strlen(s) != 36)
		return 0;
	for (int i = 0, d = 0; i < 36; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))) {
			return 0;
		}
	}
	return 1;
}

/* a required non-empty string member */
static int need_str(const char **out, json_t *obj, const char *key, const char *path, const source *src, size_t idx,
		    int line)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return refuse(src, idx, line, path, "missing%s", "");
	if (!json_is_string(v))
		return refuse(src, idx, line, path, "expected a string, found %s", type_name(v));
	if (json_string_length(v) == 0)
		return refuse(src, idx, line, path, "empty%s", "");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return refuse(src, idx, line, path, "contains a NUL character%s", "");
	*out = json_string_value(v);
	return 0;
}

/* an optional facets object: every facet an object */
static int check_facets(json_t *obj, const char *key, const char *prefix, const source *src, size_t idx, int line)
{
	json_t *f = json_object_get(obj, key), *v;
	const char *k;
	char path[256];
	snprintf(path, sizeof(path), "%s%s", prefix, key);
	if (!f || json_is_null(f))
		return 0;
	if (!json_is_object(f))
		return refuse(src, idx, line, path, "expected an object, found %s", type_name(f));
	json_object_foreach(f, k, v) {
		snprintf(path, sizeof(path), "%s%s.%s", prefix, key, k);
		if (!json_is_object(v) && !json_is_null(v))
			return refuse(src, idx, line, path, "a facet must be an object, found %s", type_name(v));
	}
	f = json_object_get(f, "version");
	if (strcmp(key, "facets") == 0 && prefix[0] && json_is_object(f)) {
		json_t *dv = json_object_get(f, "datasetVersion");
		snprintf(path, sizeof(path), "%s%s.version.datasetVersion", prefix, key);
		if (dv && (!json_is_string(dv) || json_string_length(dv) == 0))
			return refuse(src, idx, line, path, "expected a non-empty string, found %s",
				      json_is_string(dv) ? "an empty string" : type_name(dv));
	}
	return 0;
}

static int check_datasets(json_t *ev, const char *key, const source *src, size_t idx, int line)
{
	json_t *a = json_object_get(ev, key), *d;
	size_t i;
	char path[96];
	const char *s;
	int err;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return refuse(src, idx, line, key, "expected an array, found %s", type_name(a));
	json_array_foreach(a, i, d) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if (!json_is_object(d))
			return refuse(src, idx, line, path, "expected an object, found %s", type_name(d));
		snprintf(path, sizeof(path), "%s[%zu].namespace", key, i);
		if ((err = need_str(&s, d, "namespace", path, src, idx, line)) < 0)
			return err;
		snprintf(path, sizeof(path), "%s[%zu].name", key, i);
		if ((err = need_str(&s, d, "name", path, src, idx, line)) < 0)
			return err;
		snprintf(path, sizeof(path), "%s[%zu].", key, i);
		if ((err = check_facets(d, "facets", path, src, idx, line)) < 0 ||
		    (err = check_facets(d, strcmp(key, "inputs") == 0 ? "inputFacets" : "outputFacets", path, src, idx,
					line)) < 0)
			return err;
	}
	return 0;
}

static int check_event(event *e, const source *src, size_t idx, int line)
{
	static const char *const types[] = { "START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER" };
	json_t *ev = e->ev, *run, *job, *t;
	const char *s;
	int err;
	if (!json_is_object(ev))
		return refuse(src, idx, line, "event", "expected a RunEvent object, found %s", type_name(ev));
	if ((t = json_object_get(ev, "eventType")) != NULL && !json_is_null(t)) {
		if (!json_is_string(t))
			return refuse(src, idx, line, "eventType", "expected a string, found %s", type_name(t));
		if (!aims__in_list(json_string_value(t), types, sizeof(types) / sizeof(types[0])))
			return refuse(src, idx, line, "eventType", "'%.40s' is not START, RUNNING, COMPLETE, ABORT, FAIL "
				      "or OTHER", json_string_value(t));
		e->type = json_string_value(t);
	} else {
		e->type = "OTHER";
	}
	if ((err = need_str(&s, ev, "eventTime", "eventTime", src, idx, line)) < 0)
		return err;
	if (aims__inv_time_norm(e->time, s) < 0)
		return refuse(src, idx, line, "eventTime", "'%.60s' is not an ISO 8601 date-time with a time zone "
			      "(e.g. 2024-05-01T10:00:00.000Z)", s);
	if ((err = need_str(&s, ev, "producer", "producer", src, idx, line)) < 0 ||
	    (err = need_str(&s, ev, "schemaURL", "schemaURL", src, idx, line)) < 0)
		return err;
	run = json_object_get(ev, "run");
	if (!run)
		return refuse(src, idx, line, "run", "missing%s", "");
	if (!json_is_object(run))
		return refuse(src, idx, line, "run", "expected an object, found %s", type_name(run));
	if ((err = need_str(&e->run_id, run, "runId", "run.runId", src, idx, line)) < 0)
		return err;
	if (!is_uuid(e->run_id))
		return refuse(src, idx, line, "run.runId", "'%.60s' is not a UUID", e->run_id);
	for (size_t k = 0; k < sizeof(e->run_lc) - 1 && e->run_id[k]; k++)
		e->run_lc[k] = (char)(e->run_id[k] >= 'A' && e->run_id[k] <= 'Z' ? e->run_id[k] - 'A' + 'a' : e->run_id[k]);
	e->run_id = e->run_lc;
	if ((err = check_facets(run, "facets", "run.", src, idx, line)) < 0)
		return err;
	job = json_object_get(ev, "job");
	if (!job)
		return refuse(src, idx, line, "job", "missing%s", "");
	if (!json_is_object(job))
		return refuse(src, idx, line, "job", "expected an object, found %s", type_name(job));
	if ((err = need_str(&s, job, "namespace", "job.namespace", src, idx, line)) < 0 ||
	    (err = need_str(&s, job, "name", "job.name", src, idx, line)) < 0 ||
	    (err = check_facets(job, "facets", "job.", src, idx, line)) < 0 ||
	    (err = check_datasets(ev, "inputs", src, idx, line)) < 0 ||
	    (err = check_datasets(ev, "outputs", src, idx, line)) < 0)
		return err;
	if ((err = aims__inv_json_canon(&e->canon, ev)) < 0)
		return err;
	return aims_ledger_digest(e->digest, e->canon, strlen(e->canon));
}

/* ---- reading the input ---- */

typedef struct {
	event *v;
	size_t n, cap;
	json_t *doc;           /* single object or array */
	json_t **owned;        /* NDJSON lines */
	size_t nowned, owned_cap;
} events;

static void events_free(events *es)
{
	for (size_t i = 0; i < es->n; i++)
		aims__free(es->v[i].canon);
	aims__free(es->v);
	for (size_t i = 0; i < es->nowned; i++)
		json_decref(es->owned[i]);
	aims__free(es->owned);
	json_decref(es->doc);
}

static int push(events *es, json_t *ev)
{
	int err;
	if (es->n >= MAX_EVENTS)
		return aims__err(AIMS_EINVALID, "more than %d events in one input", MAX_EVENTS);
	if ((err = aims__grow(&es->v, &es->cap, es->n + 1, sizeof(*es->v))) < 0)
		return err;
	memset(&es->v[es->n], 0, sizeof(*es->v));
	es->v[es->n++].ev = ev;
	return 0;
}

static int read_events(events *es, source *src)
{
	json_error_t jerr;
	size_t i = 0;
	int err;
	while (i < src->len && (src->text[i] == ' ' || src->text[i] == '\t' || src->text[i] == '\r' || src->text[i] == '\n'))
		i++;
	if (i == src->len)
		return aims__err(AIMS_EINVALID, "'%s': no events (empty input)", src->name);
	if (src->text[i] == '[') {
		src->mode = 1;
		if ((err = aims__json_parse(&es->doc, src->text, src->len, src->name)) < 0)
			return err;
		json_t *v;
		size_t k;
		json_array_foreach(es->doc, k, v)
			if ((err = push(es, v)) < 0)
				return err;
		if (es->n == 0)
			return aims__err(AIMS_EINVALID, "'%s': no events (empty array)", src->name);
		return 0;
	}
	/* one object, or NDJSON when more follows the first value */
	json_t *first = json_loadb(src->text + i, src->len - i, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
	size_t used = first ? jerr.position : 0;
	size_t j = i + used;
	while (first && j < src->len && (src->text[j] == ' ' || src->text[j] == '\t' || src->text[j] == '\r' ||
					 src->text[j] == '\n'))
		j++;
	int ndjson = first && j < src->len;
	if (!ndjson && first) {
		/* the first value only: the same as a whole-document parse */
		json_decref(first);
		src->mode = 0;
		if ((err = aims__json_parse(&es->doc, src->text, src->len, src->name)) < 0)
			return err;
		return push(es, es->doc);
	}
	json_decref(first);
	if (!first) {
		/* a syntax error in the first value: report it as the parser sees the whole input */
		src->mode = 0;
		return aims__json_parse(&es->doc, src->text, src->len, src->name);
	}
	src->mode = 2;
	const char *p = src->text, *end = src->text + src->len;
	int line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		size_t a = 0;
		while (a < n && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r'))
			a++;
		if (a < n) {
			json_t *v = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
			if (!v)
				return aims__err(AIMS_EINVALID, "'%s' line %d column %d: %s", src->name, line, jerr.column,
						 jerr.text);
			if ((err = aims__grow(&es->owned, &es->owned_cap, es->nowned + 1, sizeof(json_t *))) < 0) {
				json_decref(v);
				return err;
			}
			es->owned[es->nowned++] = v;
			if ((err = push(es, v)) < 0)
				return err;
			es->v[es->n - 1].line = line;
		}
		p += n + (nl ? 1 : 0);
	}
	return 0;
}

/* ---- storing ---- */

static int is_model(const char *ns, const char *name)
{
	return strcmp(ns, "models") == 0 || strncmp(ns, "models:", 7) == 0 || strncmp(name, "models:/", 8) == 0;
}

/*
 * What one ingest keeps between the inputs and outputs it stores: the next
 * sequence numbers of datasets and models (read once, not with a scan of the
 * table per row, which made an event with many inputs quadratic) and the
 * statements used for every one of them.
 */
typedef struct {
	int64_t next_ds, next_model;     /* 0: not read yet */
	aims__stmt *ds_has, *model_has;  /* does the row exist (primary key lookups) */
} ingest_ctx;

static void ingest_ctx_release(ingest_ctx *c)
{
	aims__stmt_free(c->ds_has);
	aims__stmt_free(c->model_has);
	memset(c, 0, sizeof(*c));
}

/* whether the row exists, and if not the sequence number it gets */
static int next_seq(int64_t *seq, int *exists, aims_store *store, ingest_ctx *c, int model, const char *a,
		    const char *b, const char *v)
{
	aims__stmt **has = model ? &c->model_has : &c->ds_has;
	int64_t *next = model ? &c->next_model : &c->next_ds;
	int err;
	if (!*has && (err = aims__stmt_prepare(has, store, model ? "SELECT 1 FROM models WHERE name = ? AND version = ?"
			: "SELECT 1 FROM datasets WHERE namespace = ? AND name = ? AND version = ?")) < 0)
		return err;
	if ((err = aims__stmt_reset(*has)) < 0 || (err = aims__stmt_bind_text(*has, 1, a)) < 0 ||
	    (err = aims__stmt_bind_text(*has, 2, b)) < 0 || (!model && (err = aims__stmt_bind_text(*has, 3, v)) < 0) ||
	    (err = aims__stmt_step(*has)) < 0)
		return err;
	*exists = err == 1;
	if (*exists)
		return 0;
	if (*next == 0 && (err = aims__inv_int(next, store, model ? "SELECT COALESCE(MAX(seq), 0) + 1 FROM models"
					       : "SELECT COALESCE(MAX(seq), 0) + 1 FROM datasets", NULL)) < 0)
		return err;
	*seq = (*next)++;
	return 0;
}

/* the node of an input or output: a model or a dataset, with its row */
static int io_node(char **key, aims_store *store, ingest_ctx *c, json_t *d, const char *ev_time, const char *ev_digest)
{
	const char *ns = json_string_value(json_object_get(d, "namespace"));
	const char *name = json_string_value(json_object_get(d, "name"));
	json_t *facets = json_object_get(d, "facets");
	json_t *ver = json_is_object(facets) ? json_object_get(json_object_get(facets, "version"), "datasetVersion") : NULL;
	const char *version = json_is_string(ver) ? json_string_value(ver) : "";
	aims__stmt *st = NULL;
	char now[32], *mname = NULL, *mver = NULL;
	int64_t seq;
	int err;
	*key = NULL;
	aims__time_now(now);
	if (is_model(ns, name)) {
		const char *mn = name;
		if (strncmp(name, "models:/", 8) == 0) {
			/* an MLflow model URI models:/NAME/VERSION */
			const char *slash = strrchr(name + 8, '/');
			if (slash && slash[1] && !*version) {
				if (!(mname = aims__strndup(name + 8, (size_t)(slash - name - 8))) || !(mver = aims__strdup(slash + 1)))
					return aims__oom();
			} else if (!(mname = aims__strdup(name + 8)) || !(mver = aims__strdup(version))) {
				return aims__oom();
			}
		} else if (!(mname = aims__strdup(mn)) || !(mver = aims__strdup(version))) {
			aims__free(mname);
			return aims__oom();
		}
		int exists = 0;
		if ((err = next_seq(&seq, &exists, store, c, 1, mname, mver, NULL)) < 0)
			goto done;
		if (!exists &&
		    ((err = aims__stmt_prepare(&st, store, "INSERT INTO models (name, version, seq, origin, record_version, "
					       "created_at, updated_at) VALUES (?, ?, ?, 'openlineage', 1, ?, ?)")) < 0 ||
		     (err = aims__stmt_bind_text(st, 1, mname)) < 0 || (err = aims__stmt_bind_text(st, 2, mver)) < 0 ||
		     (err = aims__stmt_bind_int64(st, 3, seq)) < 0 || (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
		     (err = aims__stmt_bind_text(st, 5, now)) < 0 || (err = aims__stmt_step(st)) < 0))
			goto done;
		err = aims__inv_node(key, store, "model", "", mname, mver);
		goto done;
	}
	int exists = 0;
	if ((err = next_seq(&seq, &exists, store, c, 0, ns, name, version)) < 0)
		goto done;
	if (!exists &&
	    ((err = aims__stmt_prepare(&st, store, "INSERT INTO datasets (namespace, name, version, seq, origin, "
				       "record_version, created_at, updated_at) VALUES (?, ?, ?, ?, 'openlineage', 1, ?, ?)")) < 0 ||
	     (err = aims__stmt_bind_text(st, 1, ns)) < 0 || (err = aims__stmt_bind_text(st, 2, name)) < 0 ||
	     (err = aims__stmt_bind_text(st, 3, version)) < 0 || (err = aims__stmt_bind_int64(st, 4, seq)) < 0 ||
	     (err = aims__stmt_bind_text(st, 5, now)) < 0 || (err = aims__stmt_bind_text(st, 6, now)) < 0 ||
	     (err = aims__stmt_step(st)) < 0))
		goto done;
	aims__stmt_free(st);
	st = NULL;
	/* facets: per facet, the one from the latest event (time, then digest) wins */
	if (json_is_object(facets)) {
		const char *fk;
		json_t *fv;
		if ((err = aims__stmt_prepare(&st, store, "INSERT INTO dataset_facets (namespace, name, version, facet, value, "
					      "event_time, event) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, name, "
					      "version, facet) DO UPDATE SET value = excluded.value, event_time = "
					      "excluded.event_time, event = excluded.event WHERE excluded.event_time > "
					      "dataset_facets.event_time OR (excluded.event_time = dataset_facets.event_time "
					      "AND excluded.event > dataset_facets.event)")) < 0)
			goto done;
		json_object_foreach(facets, fk, fv) {
			char *val = NULL;
			if ((err = aims__inv_json_canon(&val, fv)) < 0)
				goto done;
			if ((err = aims__stmt_reset(st)) < 0 || (err = aims__stmt_bind_text(st, 1, ns)) < 0 ||
			    (err = aims__stmt_bind_text(st, 2, name)) < 0 || (err = aims__stmt_bind_text(st, 3, version)) < 0 ||
			    (err = aims__stmt_bind_text(st, 4, fk)) < 0 || (err = aims__stmt_bind_text(st, 5, val)) < 0 ||
			    (err = aims__stmt_bind_text(st, 6, ev_time)) < 0 || (err = aims__stmt_bind_text(st, 7, ev_digest)) < 0 ||
			    (err = aims__stmt_step(st)) < 0) {
				aims__free(val);
				goto done;
			}
			aims__free(val);
		}
	}
	err = aims__inv_node(key, store, "dataset", ns, name, version);
done:
	aims__stmt_free(st);
	aims__free(mname);
	aims__free(mver);
	return err;
}

static int store_event(aims_store *store, ingest_ctx *c, const event *e)
{
	aims__stmt *st = NULL;
	json_t *job = json_object_get(e->ev, "job");
	char *jkey = NULL, *rkey = NULL, *k = NULL, oid[160];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO lineage_events (digest, run_id, event_type, event_time, body) "
				      "VALUES (?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, e->digest)) < 0 || (err = aims__stmt_bind_text(st, 2, e->run_id)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, e->type)) < 0 || (err = aims__stmt_bind_text(st, 4, e->time)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, e->canon)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = aims__inv_run_touch(&rkey, store, e->run_id, "openlineage")) < 0 ||
	    (err = aims__inv_node(&jkey, store, "job", json_string_value(json_object_get(job, "namespace")),
				  json_string_value(json_object_get(job, "name")), "")) < 0 ||
	    (err = aims__inv_edge(store, rkey, "wasAssociatedWith", jkey)) < 0)
		goto done;
	for (int out = 0; out < 2; out++) {
		json_t *a = json_object_get(e->ev, out ? "outputs" : "inputs"), *d;
		size_t i;
		json_array_foreach(a, i, d) {
			if ((err = io_node(&k, store, c, d, e->time, e->digest)) < 0 ||
			    (err = out ? aims__inv_edge(store, k, "wasGeneratedBy", rkey) : aims__inv_edge(store, rkey, "used", k)) < 0)
				goto done;
			aims__free(k);
			k = NULL;
		}
	}
	snprintf(oid, sizeof(oid), "%s/%s", e->run_id, e->type);
	err = aims_ledger_append(store, "ingest", "lineage-event", oid, e->digest, NULL);
done:
	aims__stmt_free(st);
	aims__free(jkey);
	aims__free(rkey);
	aims__free(k);
	return err;
}

static int type_rank(const char *t)
{
	if (strcmp(t, "START") == 0)
		return 0;
	if (strcmp(t, "RUNNING") == 0 || strcmp(t, "OTHER") == 0)
		return 1;
	return 2;
}

/* merge each facet of obj[key] into acc (later events override earlier ones) */
static int merge_facets(json_t *acc, json_t *obj)
{
	json_t *f = json_is_object(obj) ? json_object_get(obj, "facets") : NULL;
	if (!json_is_object(f))
		return 0;
	return json_object_update(acc, f) == 0 ? 0 : aims__oom();
}

/* recompute a run's row from all of its events, in (time, type, digest) order */
static int recompute_run(aims_store *store, const char *run_id)
{
	aims__stmt *st = NULL;
	json_t *rf = json_object(), *jf = json_object(), *last = NULL;
	char *started = NULL, *ended = NULL, *state = NULL, *rfs = NULL, *jfs = NULL;
	char *jns = NULL, *jname = NULL, *params = NULL, now[32];
	int64_t count = 0;
	int err;
	if (!rf || !jf) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__stmt_prepare(&st, store, "SELECT event_type, event_time, body FROM lineage_events WHERE run_id = ? "
				      "ORDER BY event_time, CASE event_type WHEN 'START' THEN 0 WHEN 'RUNNING' THEN 1 "
				      "WHEN 'OTHER' THEN 1 ELSE 2 END, digest")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, run_id)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *type = aims__stmt_text(st, 0), *time = aims__stmt_text(st, 1);
		json_t *ev = json_loads(aims__stmt_text(st, 2), 0, NULL);
		if (!ev) {
			err = aims__err(AIMS_ERROR, "run %s: a stored event does not parse", run_id);
			goto done;
		}
		count++;
		if (type_rank(type) == 0 && !started && (err = aims__inv_dup(&started, time)) < 0) {
			json_decref(ev);
			goto done;
		}
		if (type_rank(type) == 2) {
			aims__free(ended);
			if ((err = aims__inv_dup(&ended, time)) < 0) {
				json_decref(ev);
				goto done;
			}
		}
		aims__free(state);
		if ((err = aims__inv_dup(&state, type)) < 0 || (err = merge_facets(rf, json_object_get(ev, "run"))) < 0 ||
		    (err = merge_facets(jf, json_object_get(ev, "job"))) < 0) {
			json_decref(ev);
			goto done;
		}
		json_decref(last);
		last = ev;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if (!last) {
		err = 0;
		goto done;
	}
	json_t *job = json_object_get(last, "job");
	if ((err = aims__inv_dup(&jns, json_string_value(json_object_get(job, "namespace")))) < 0 ||
	    (err = aims__inv_dup(&jname, json_string_value(json_object_get(job, "name")))) < 0 ||
	    (err = aims__inv_json_canon(&rfs, rf)) < 0 || (err = aims__inv_json_canon(&jfs, jf)) < 0)
		goto done;
	if (!started) {
		/* no START seen: the first event's time */
		if ((err = aims__stmt_prepare(&st, store, "SELECT MIN(event_time) FROM lineage_events WHERE run_id = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, run_id)) < 0 || (err = aims__stmt_step(st)) < 0 ||
		    (err = aims__stmt_text_dup(&started, st, 0)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
	}
	/* parameters: the run facet named "parameters", without its _producer/_schemaURL */
	json_t *pf = json_object_get(rf, "parameters");
	if (json_is_object(pf)) {
		json_t *copy = json_deep_copy(pf);
		const char *pk;
		json_t *pv;
		void *tmp;
		if (!copy) {
			err = aims__oom();
			goto done;
		}
		json_object_foreach_safe(copy, tmp, pk, pv) {
			(void)pv;
			if (pk[0] == '_')
				json_object_del(copy, pk);
		}
		err = aims__inv_json_canon(&params, copy);
		json_decref(copy);
		if (err < 0)
			goto done;
	}
	json_t *scl = json_object_get(jf, "sourceCodeLocation");
	json_t *cv = json_is_object(scl) ? json_object_get(scl, "version") : NULL;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE runs SET job_namespace = ?, job_name = ?, state = ?, "
				      "started_at = ?, ended_at = ?, code_version = COALESCE(?, code_version), facets = ?, "
				      "job_facets = ?, record_version = ?, updated_at = ?, parameters = COALESCE(?, parameters) "
				      "WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, jns)) < 0 || (err = aims__stmt_bind_text(st, 2, jname)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, state)) < 0 || (err = aims__stmt_bind_text(st, 4, started)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, ended)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, json_is_string(cv) ? json_string_value(cv) : NULL)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, rfs)) < 0 || (err = aims__stmt_bind_text(st, 8, jfs)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 9, count)) < 0 || (err = aims__stmt_bind_text(st, 10, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 11, params)) < 0 || (err = aims__stmt_bind_text(st, 12, run_id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	json_decref(rf);
	json_decref(jf);
	json_decref(last);
	aims__free(started);
	aims__free(ended);
	aims__free(state);
	aims__free(rfs);
	aims__free(jfs);
	aims__free(jns);
	aims__free(jname);
	aims__free(params);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int aims_lineage_ingest(aims_lineage_stats *stats, aims_store *store, const char *data, size_t len, const char *name)
{
	ingest_ctx ctx;
	events es;
	source src = { name ? name : "input", data, len, 0 };
	const char **runs = NULL;
	size_t nruns = 0, rcap = 0;
	aims_lineage_stats s = { 0, 0, 0, 0 };
	int err, began = 0;

	memset(&es, 0, sizeof(es));
	memset(&ctx, 0, sizeof(ctx));
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if ((err = aims_global_init()) < 0)
		return err;
	if (!data)
		return aims__err(AIMS_EUSAGE, "aims_lineage_ingest: no data");
	if ((err = read_events(&es, &src)) < 0)
		goto done;
	for (size_t i = 0; i < es.n; i++) {
		if ((err = check_event(&es.v[i], &src, i, es.v[i].line)) < 0)
			goto done;
	}
	s.events = es.n;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	for (size_t i = 0; i < es.n; i++) {
		int64_t known = 0;
		if ((err = aims__inv_int(&known, store, "SELECT COUNT(*) FROM lineage_events WHERE digest = ?",
					 es.v[i].digest)) < 0)
			goto done;
		if (known) {
			s.duplicates++;
			continue;
		}
		if ((err = store_event(store, &ctx, &es.v[i])) < 0)
			goto done;
		s.stored++;
		if ((err = aims__grow(&runs, &rcap, nruns + 1, sizeof(*runs))) < 0)
			goto done;
		runs[nruns++] = es.v[i].run_id;
	}
	/* each run touched, once: sorted, not searched for per event */
	if (nruns > 1)
		qsort(runs, nruns, sizeof(*runs), cmp_str);
	size_t distinct = 0;
	for (size_t r = 0; r < nruns; r++) {
		if (r > 0 && strcmp(runs[r], runs[r - 1]) == 0)
			continue;
		distinct++;
		if ((err = recompute_run(store, runs[r])) < 0)
			goto done;
	}
	s.runs = distinct;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (stats)
		*stats = s;
done:
	ingest_ctx_release(&ctx);
	if (began)
		aims_store_rollback(store);
	aims__free(runs);
	events_free(&es);
	return err;
}

/* ---- state against the ledger ---- */

/* every stored event is named, by the digest of its canonical JSON, by the entry that ingested it */
int aims__lineage_event_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72], oid[160];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT digest, run_id, event_type, body FROM lineage_events "
				      "ORDER BY run_id, digest")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *body = aims__stmt_text(st, 3), *stored = aims__stmt_text(st, 0);
		snprintf(oid, sizeof(oid), "%s/%s", aims__stmt_text(st, 1) ? aims__stmt_text(st, 1) : "",
			 aims__stmt_text(st, 2) ? aims__stmt_text(st, 2) : "");
		if ((err = aims_ledger_digest(dg, body ? body : "", body ? strlen(body) : 0)) < 0)
			break;
		/* the body as it is now; and the key it is stored under must be that digest too */
		if ((err = emit(arg, "lineage-event", oid, dg, AIMS__STATE_RECORDED)) < 0 ||
		    (stored && strcmp(stored, dg) != 0 && (err = emit(arg, "lineage-event", oid, stored, AIMS__STATE_RECORDED)) < 0))
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
