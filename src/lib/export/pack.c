/*
 * Evidence packs (include/aims/pack.h, docs/audit.md). Building reads every
 * record through its read operation (so a pack holds exactly what the API
 * returns), selects the governance ledger entries of those records by
 * object through the (log, object_type, object_id) index, and proves each
 * from the stored tiles in O(log n) reads: the work is proportional to what
 * the pack holds, not to the size of the store. Verifying needs only the
 * pack and, ideally, the verifier key the auditor got from elsewhere.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aims/ledger.h"
#include "aims/merkle.h"
#include "aims/note.h"
#include "aims/op.h"
#include "aims/pack.h"
#include "aims/report.h"
#include "core/core.h"
#include "store/store_internal.h"

#define MANIFEST "manifest.json"
#define MANIFEST_SIG "manifest.sig"
#define SIG_HEADER "aims evidence pack manifest\n"
#define MAX_PACK_FILE ((size_t)256 << 20)

void aims_pack_free(aims_pack *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->count; i++) {
		aims__free(p->files[i].path);
		aims__free(p->files[i].data);
	}
	aims__free(p->files);
	aims__free(p);
}

typedef struct {
	aims_pack *pack;
	size_t cap;
} builder;

/* add a file (takes data) */
static int add_file(builder *b, const char *path, unsigned char *data, size_t len)
{
	aims_pack *p = b->pack;
	if (aims__grow(&p->files, &b->cap, p->count + 1, sizeof(*p->files)) < 0) {
		aims__free(data);
		return aims__oom();
	}
	aims_pack_file *f = &p->files[p->count];
	if (!(f->path = aims__strdup(path))) {
		aims__free(data);
		return aims__oom();
	}
	f->data = data;
	f->len = len;
	p->count++;
	return 0;
}

static int add_copy(builder *b, const char *path, const void *data, size_t len)
{
	unsigned char *d = aims__malloc(len + 1);
	if (!d)
		return aims__oom();
	memcpy(d, data, len);
	d[len] = '\0';
	return add_file(b, path, d, len);
}

static int add_json(builder *b, const char *path, const json_t *doc)
{
	char *t = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (!t)
		return aims__oom();
	size_t n = strlen(t);
	unsigned char *d = aims__malloc(n + 2);
	if (!d) {
		free(t);
		return aims__oom();
	}
	memcpy(d, t, n);
	d[n] = '\n';
	d[n + 1] = '\0';
	free(t);
	return add_file(b, path, d, n + 1);
}

/* packs are kept sorted by path (every constructor sorts): a binary search */
static const aims_pack_file *find_file(const aims_pack *p, const char *path)
{
	size_t lo = 0, hi = p->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, p->files[mid].path);
		if (c == 0)
			return &p->files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const aims_pack_file *)a)->path, ((const aims_pack_file *)b)->path);
}

/* ---- building ---- */

typedef struct {
	aims_store *store;
	const aims_pack_options *o;
	builder b;
	json_t *omitted;         /* [TEXT] records left out and why */
	json_t *selectors;       /* [[object_type, object_id or null]] */
	json_t *contents;        /* [{"path", "title"}] for the index */
} ctx;

/* run a read operation; its JSON or body into `path`; a missing object (ENOTFOUND) is noted, not an error */
static int add_op(ctx *c, const char *path, const char *title, const char *opname, json_t *req, const char *format,
		  json_t **keep)
{
	const aims_op *op = aims_op_find(opname);
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx octx;
	int err;
	if (keep)
		*keep = NULL;
	if (!op) {
		json_decref(req);
		return aims__err(AIMS_ERROR, "pack: no operation '%s'", opname);
	}
	if (!req && !(req = json_object())) {
		return aims__oom();
	}
	if (format && json_object_set_new(req, "format", json_string(format)) < 0) {
		json_decref(req);
		return aims__oom();
	}
	memset(&octx, 0, sizeof(octx));
	octx.store = c->store;
	octx.principal = aims_store_principal(c->store);
	octx.client = "pack";
	err = aims_op_call(&res, op, &octx, req);
	json_decref(req);
	if (err == AIMS_ENOTFOUND) {
		char note[1024];
		snprintf(note, sizeof(note), "%s: %s", path, aims_error_last());
		aims_op_result_release(&res);
		aims_error_clear();
		return json_array_append_new(c->omitted, json_string(note)) < 0 ? aims__oom() : 0;
	}
	if (err < 0) {
		aims_op_result_release(&res);
		return err;
	}
	if (format)
		err = add_copy(&c->b, path, res.body.ptr ? res.body.ptr : "", res.body.len);
	else
		err = add_json(&c->b, path, res.json);
	if (err >= 0 && keep && res.json)
		*keep = json_incref(res.json);
	aims_op_result_release(&res);
	if (err >= 0 && json_array_append_new(c->contents, json_pack("{s:s, s:s}", "path", path, "title", title)) < 0)
		err = aims__oom();
	return err;
}

/* run a read operation for its JSON, without adding a file */
static int read_op(ctx *c, const char *opname, json_t *req, json_t **out)
{
	const aims_op *op = aims_op_find(opname);
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx octx;
	int err;
	*out = NULL;
	if (!op) {
		json_decref(req);
		return aims__err(AIMS_ERROR, "pack: no operation '%s'", opname);
	}
	memset(&octx, 0, sizeof(octx));
	octx.store = c->store;
	octx.principal = aims_store_principal(c->store);
	octx.client = "pack";
	err = aims_op_call(&res, op, &octx, req);
	json_decref(req);
	if (err >= 0 && !(*out = json_incref(res.json)))
		err = aims__err(AIMS_ERROR, "pack: operation '%s' returned no JSON", opname);
	aims_op_result_release(&res);
	return err < 0 ? err : 0;
}

/* add a JSON document the pack built itself (takes doc) */
static int add_doc(ctx *c, const char *path, const char *title, json_t *doc)
{
	int err = add_json(&c->b, path, doc);
	json_decref(doc);
	if (err >= 0 && json_array_append_new(c->contents, json_pack("{s:s, s:s}", "path", path, "title", title)) < 0)
		err = aims__oom();
	return err;
}

static int select_objects(ctx *c, const char *type, const char *id)
{
	json_t *s = json_pack("[s, o]", type, id ? json_string(id) : json_null());
	if (!s || json_array_append_new(c->selectors, s) < 0)
		return aims__oom();
	return 0;
}

/* the member `key` of every item of array `list` of `doc`, as selectors of type `type` */
static int select_ids(ctx *c, const json_t *doc, const char *list, const char *key, const char *type)
{
	size_t i;
	json_t *it;
	int err;
	json_array_foreach(json_object_get(doc, list), i, it) {
		const char *id = json_string_value(json_object_get(it, key));
		if (id && (err = select_objects(c, type, id)) < 0)
			return err;
	}
	return 0;
}

static json_t *req1(const char *k, const char *v)
{
	return v ? json_pack("{s:s}", k, v) : json_object();
}

/* a list operation's document into `path`, and the ledger entries of its items (member `key`) as `type` */
static int add_list(ctx *c, const char *path, const char *title, const char *opname, json_t *req, const char *list,
		    const char *key, const char *type)
{
	json_t *keep = NULL;
	int err;
	if ((err = add_op(c, path, title, opname, req, NULL, &keep)) < 0)
		return err;
	err = select_ids(c, keep, list, key, type);
	json_decref(keep);
	return err;
}

#define MAX_GATE_CHECKS 10000 /* the most gate.checks returns */

/*
 * Lifecycle gates and human review (docs/oversight.md), and the Check-and-Act
 * records (docs/pdca.md): policies, gate requests, checks and exceptions,
 * the review queue and the recorded review metrics, incidents,
 * nonconformities with their corrective actions, internal audits,
 * monitoring plans and runs.
 */
static int add_oversight_pdca(ctx *c)
{
	const char *sys = c->o->system;
	json_t *keep = NULL, *r;
	int err;
	size_t i;

	if ((err = add_list(c, "records/policies.json", "Oversight policies (lifecycle gates, review rules)",
			    "policy.list", NULL, "policies", "name", "policy")) < 0 ||
	    (err = add_list(c, "records/gates.json", "Lifecycle gate requests and their approvals", "gate.list",
			    req1("system", sys), "gates", "id", "gate")) < 0)
		return err;
	if (!(r = req1("system", sys)) || json_object_set_new(r, "newest", json_integer(MAX_GATE_CHECKS)) < 0) {
		json_decref(r);
		return aims__oom();
	}
	if ((err = add_op(c, "records/gate-checks.json", "Lifecycle gate checks and refused deployments, newest first",
			  "gate.checks", r, NULL, &keep)) < 0)
		return err;
	if ((err = select_ids(c, keep, "checks", "check_id", "gate-check")) < 0)
		goto done;
	if (json_array_size(json_object_get(keep, "checks")) >= MAX_GATE_CHECKS &&
	    json_array_append_new(c->omitted, json_string("records/gate-checks.json: only the newest 10000 gate checks "
							  "(and their ledger entries); 'aims gate checks --newest N' lists "
							  "more")) < 0) {
		err = aims__oom();
		goto done;
	}
	json_decref(keep);
	keep = NULL;
	if (!(r = req1("system", sys)) || json_object_set_new(r, "all", json_true()) < 0) {
		json_decref(r);
		return aims__oom();
	}
	if ((err = add_list(c, "records/gate-exceptions.json", "Gate exceptions (pending, in force and expired)",
			    "gate.exception_list", r, "exceptions", "id", "gate-exception")) < 0 ||
	    (err = add_list(c, "records/reviews.json", "Human review queue of AI decisions", "review.list",
			    req1("system", sys), "reviews", "id", "decision-review")) < 0 ||
	    (err = add_list(c, "records/oversight-reports.json", "Review metrics recorded as evidence", "review.reports",
			    req1("system", sys), "reports", "id", "oversight-report")) < 0 ||
	    (err = add_list(c, "records/incidents.json", "AI incidents", "incident.list", req1("system", sys),
			    "incidents", "id", "incident")) < 0)
		return err;
	/* nonconformities, and the corrective actions of those in the pack */
	if ((err = add_op(c, "records/nonconformities.json", "Nonconformities", "nc.list", req1("system", sys), NULL,
			  &keep)) < 0)
		return err;
	if ((err = select_ids(c, keep, "nonconformities", "id", "nonconformity")) < 0)
		goto done;
	{
		json_t *all = NULL, *acts = json_array(), *a;
		json_t *ncs = json_object();
		if (!acts || !ncs) {
			json_decref(acts);
			json_decref(ncs);
			err = aims__oom();
			goto done;
		}
		json_array_foreach(json_object_get(keep, "nonconformities"), i, a) {
			const char *id = json_string_value(json_object_get(a, "id"));
			if (id && json_object_set_new(ncs, id, json_true()) < 0)
				err = aims__oom();
		}
		if (err >= 0)
			err = read_op(c, "ca.list", NULL, &all);
		json_array_foreach(json_object_get(all, "actions"), i, a) {
			const char *nc = json_string_value(json_object_get(a, "nonconformity"));
			if (err >= 0 && nc && json_object_get(ncs, nc) && json_array_append(acts, a) < 0)
				err = aims__oom();
		}
		json_decref(all);
		json_decref(ncs);
		if (err < 0) {
			json_decref(acts);
			goto done;
		}
		json_t *doc = json_pack("{s:o}", "actions", acts);
		if (!doc) {
			err = aims__oom();
			goto done;
		}
		if ((err = select_ids(c, doc, "actions", "id", "corrective-action")) < 0 ||
		    (err = add_doc(c, "records/corrective-actions.json", "Corrective actions of these nonconformities",
				   doc)) < 0)
			goto done;
	}
	json_decref(keep);
	keep = NULL;
	if ((err = add_list(c, "records/audits.json", "Internal audits (the organization's)", "audit.list", NULL,
			    "audits", "id", "audit")) < 0 ||
	    (err = add_list(c, "records/audit-programmes.json", "Audit programmes (the organization's)",
			    "audit.programme_list", NULL, "programmes", "id", "audit-programme")) < 0 ||
	    (err = add_list(c, "records/monitoring-plans.json", "Monitoring plans", "monitor.plan_list",
			    req1("system", sys), "plans", "id", "monitoring-plan")) < 0 ||
	    (err = add_list(c, "records/monitoring-runs.json", "Monitoring runs", "monitor.runs", req1("system", sys),
			    "runs", "id", "monitoring-run")) < 0)
		return err;
	return 0;
done:
	json_decref(keep);
	return err;
}

static int add_records(ctx *c, json_t *systems)
{
	const char *sys = c->o->system;
	json_t *keep = NULL;
	int err;
	size_t i;
	json_t *s;

	if ((err = add_op(c, "records/organization.json", "The organization", "org.show", NULL, NULL, NULL)) < 0 ||
	    (err = add_op(c, "records/soa.json", "Statement of Applicability (ISO/IEC 42001 Annex A)", "soa.list", NULL,
			  NULL, NULL)) < 0 ||
	    (err = add_op(c, "records/soa.html", "Statement of Applicability (report)", "soa.list", NULL, "html", NULL)) < 0 ||
	    (err = add_op(c, "records/gap.json", "Gap analysis ISO/IEC 27001 -> ISO/IEC 42001", "gap.analysis", NULL, NULL,
			  NULL)) < 0 ||
	    (err = add_op(c, "records/gap.html", "Gap analysis (report)", "gap.analysis", NULL, "html", NULL)) < 0 ||
	    (err = add_op(c, "records/isms.json", "ISO/IEC 27001 ISMS state", "isms.show", NULL, NULL, NULL)) < 0 ||
	    (err = add_op(c, "records/documents.json", "Documents (policies, procedures)", "doc.list", NULL, NULL,
			  &keep)) < 0)
		return err;
	if ((err = select_ids(c, keep, "documents", "id", "document")) < 0)
		goto done;
	json_decref(keep);
	keep = NULL;
	if ((err = select_objects(c, "soa-control", NULL)) < 0 || (err = select_objects(c, "isms", NULL)) < 0 ||
	    (err = select_objects(c, "risk-criteria", NULL)) < 0)
		return err;
	if ((err = add_op(c, "records/risks.json", "Risk register", "risk.list", req1("system", sys), NULL, &keep)) < 0)
		return err;
	if ((err = select_ids(c, keep, "risks", "id", "risk")) < 0 ||
	    (err = select_ids(c, keep, "risks", "id", "risk-acceptance")) < 0)
		goto done;
	json_decref(keep);
	keep = NULL;
	if ((err = add_op(c, "records/risk-report.html", "Risk report", "risk.report", req1("system", sys), "html",
			  NULL)) < 0 ||
	    (err = add_op(c, "records/impact-assessments.json", "AI system impact assessments", "assess.list",
			  req1("system", sys), NULL, &keep)) < 0)
		return err;
	if ((err = select_ids(c, keep, "assessments", "id", "impact-assessment")) < 0)
		goto done;
	json_decref(keep);
	keep = NULL;
	if ((err = add_op(c, "records/evaluations.json", "Evaluations (fairness, performance, drift)", "eval.list",
			  req1("system", sys), NULL, &keep)) < 0)
		return err;
	if ((err = select_ids(c, keep, "evaluations", "id", "evaluation")) < 0)
		goto done;
	json_decref(keep);
	keep = NULL;
	if ((err = add_oversight_pdca(c)) < 0)
		return err;
	json_array_foreach(systems, i, s) {
		const char *name = json_string_value(json_object_get(s, "name"));
		char path[256], title[256];
		snprintf(path, sizeof(path), "records/systems/%s.json", name);
		snprintf(title, sizeof(title), "AI system %s (inventory record, deployments)", name);
		if ((err = add_op(c, path, title, "system.show", req1("name", name), NULL, &keep)) < 0)
			return err;
		json_t *dep;
		size_t k;
		json_array_foreach(json_object_get(keep, "deployments"), k, dep) {
			char oid[300];
			snprintf(oid, sizeof(oid), "%s#%lld", name, (long long)json_integer_value(json_object_get(dep, "seq")));
			if ((err = select_objects(c, "deployment", oid)) < 0)
				goto done;
		}
		const char *model = json_string_value(json_object_get(keep, "current_model"));
		if (model) {
			char mid[300];
			snprintf(mid, sizeof(mid), "model:%s", model);
			if ((err = select_objects(c, "model", mid)) < 0)
				goto done;
		}
		json_decref(keep);
		keep = NULL;
		snprintf(path, sizeof(path), "records/systems/%s-aiact.json", name);
		snprintf(title, sizeof(title), "EU AI Act classification of %s", name);
		if ((err = add_op(c, path, title, "aiact.show", req1("system", name), NULL, NULL)) < 0)
			return err;
		snprintf(path, sizeof(path), "records/systems/%s-obligations.json", name);
		snprintf(title, sizeof(title), "EU AI Act obligations of %s", name);
		if ((err = add_op(c, path, title, "aiact.obligations", req1("system", name), NULL, &keep)) < 0)
			return err;
		if ((err = select_ids(c, keep, "obligations", "id", "aiact-obligation")) < 0)
			goto done;
		json_decref(keep);
		keep = NULL;
		snprintf(path, sizeof(path), "records/systems/%s-card.html", name);
		snprintf(title, sizeof(title), "System card of %s", name);
		if ((err = add_op(c, path, title, "card.system", req1("name", name), "html", NULL)) < 0)
			return err;
		if ((err = select_objects(c, "ai-system", name)) < 0 ||
		    (err = select_objects(c, "aiact-classification", name)) < 0 ||
		    (err = select_objects(c, "decision-log", name)) < 0 ||
		    (err = select_objects(c, "review-queue", name)) < 0)
			return err;
		snprintf(path, sizeof(path), "oscal/ssp-%s.json", name);
		snprintf(title, sizeof(title), "OSCAL system security plan of %s", name);
		json_t *r = json_pack("{s:s, s:s}", "kind", "ssp", "system", name);
		if (!r)
			return aims__oom();
		if ((err = add_op(c, path, title, "oscal.export", r, NULL, NULL)) < 0)
			return err;
	}
	static const char *const kinds[][2] = {
		{ "catalog", "OSCAL catalog: ISO/IEC 42001 outline" },
		{ "profile", "OSCAL profile: the SoA" },
		{ "component-definition", "OSCAL component definition" },
		{ "assessment-results", "OSCAL assessment results" },
		{ "poam", "OSCAL plan of action and milestones" },
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char path[128];
		snprintf(path, sizeof(path), "oscal/%s.json", kinds[k][0]);
		json_t *r = json_pack("{s:s}", "kind", kinds[k][0]);
		if (r && sys && k >= 3 && json_object_set_new(r, "system", json_string(sys)) < 0) {
			json_decref(r);
			r = NULL;
		}
		if (!r)
			return aims__oom();
		if ((err = add_op(c, path, kinds[k][1], "oscal.export", r, NULL, NULL)) < 0)
			return err;
	}
	return 0;
done:
	json_decref(keep);
	return err;
}

/* the checkpoint: the latest, or the latest signed by the end of the as-of day */
static int pick_checkpoint(char **note, ctx *c)
{
	aims__stmt *st = NULL;
	char until[40] = "";
	int err;
	*note = NULL;
	if (c->o->as_of)
		snprintf(until, sizeof(until), "%sT23:59:59Z", c->o->as_of);
	if ((err = aims__stmt_prepare(&st, c->store,
			"SELECT note FROM ledger_checkpoints WHERE log = ? AND (CAST(? AS TEXT) IS NULL OR created_at <= ?) "
			"ORDER BY size DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, AIMS_LEDGER_GOVERNANCE)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, c->o->as_of ? until : NULL)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, c->o->as_of ? until : NULL)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 0) {
		aims__stmt_free(st);
		return c->o->as_of ? aims__err(AIMS_ENOTFOUND, "pack: no checkpoint of the governance log was signed by "
					       "the end of %s", c->o->as_of) :
				     aims__err(AIMS_ENOTFOUND, "pack: the governance log has no signed checkpoint "
					       "(run 'aims ledger setup --key FILE')");
	}
	err = (*note = aims__strdup(aims__stmt_text(st, 0))) ? 0 : aims__oom();
	aims__stmt_free(st);
	return err;
}

static int by_index(const void *a, const void *b)
{
	int64_t x = json_integer_value(json_object_get(*(json_t *const *)a, "index"));
	int64_t y = json_integer_value(json_object_get(*(json_t *const *)b, "index"));
	return x < y ? -1 : x > y;
}

/* the ledger entries of the selected objects, with their inclusion proofs against the checkpoint */
static int add_entries(ctx *c, json_t *entries, const char *note, const aims_checkpoint *cp, size_t *pruned)
{
	aims__stmt *st = NULL, *by_id = NULL, *by_type = NULL;
	int err = 0;
	size_t i;
	json_t *sel;
	json_t *seen = json_object();
	if (!seen)
		return aims__oom();
	*pruned = 0;
	/* through the (log, object_type, object_id) index: two statements, so that the planner never walks
	   the log by idx (the unary + keeps idx out of the index choice) */
	if ((err = aims__stmt_prepare(&by_id, c->store,
			"SELECT idx, time, action, object_type, object_id, body FROM ledger_entries "
			"WHERE log = ? AND object_type = ? AND object_id = ? AND +idx < ?")) < 0 ||
	    (err = aims__stmt_prepare(&by_type, c->store,
			"SELECT idx, time, action, object_type, object_id, body FROM ledger_entries "
			"WHERE log = ? AND object_type = ? AND +idx < ?")) < 0)
		goto done;
	json_array_foreach(c->selectors, i, sel) {
		const char *type = json_string_value(json_array_get(sel, 0));
		const char *id = json_string_value(json_array_get(sel, 1));
		char idbuf[32];
		if (json_is_integer(json_array_get(sel, 1))) {
			snprintf(idbuf, sizeof(idbuf), "%lld", (long long)json_integer_value(json_array_get(sel, 1)));
			id = idbuf;
		}
		st = id ? by_id : by_type;
		int n = 1;
		if ((err = aims__stmt_reset(st)) < 0 || (err = aims__stmt_bind_text(st, n++, AIMS_LEDGER_GOVERNANCE)) < 0 ||
		    (err = aims__stmt_bind_text(st, n++, type)) < 0 || (id && (err = aims__stmt_bind_text(st, n++, id)) < 0) ||
		    (err = aims__stmt_bind_int64(st, n, (int64_t)cp->size)) < 0)
			goto done;
		while ((err = aims__stmt_step(st)) == 1) {
			int64_t idx = aims__stmt_int64(st, 0);
			char key[32], epath[64], ppath[64];
			size_t blen = 0;
			const void *body = aims__stmt_blob(st, 5, &blen);
			snprintf(key, sizeof(key), "%lld", (long long)idx);
			if (json_object_get(seen, key))
				continue;
			if (json_object_set_new(seen, key, json_true()) < 0) {
				err = aims__oom();
				goto done;
			}
			if (!body) {
				(*pruned)++;
				continue;
			}
			uint8_t (*proof)[32] = NULL;
			size_t plen = 0;
			char *tp = NULL;
			size_t tplen = 0;
			snprintf(epath, sizeof(epath), "ledger/entries/%lld.json", (long long)idx);
			snprintf(ppath, sizeof(ppath), "ledger/proofs/%lld.tlog-proof", (long long)idx);
			json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "index", (json_int_t)idx, "time",
					      aims__stmt_text(st, 1), "action", aims__stmt_text(st, 2), "object_type",
					      aims__stmt_text(st, 3), "object_id", aims__stmt_text(st, 4), "entry", epath,
					      "proof", ppath);
			if (!e || json_array_append_new(entries, e) < 0 || (err = add_copy(&c->b, epath, body, blen)) < 0) {
				err = err < 0 ? err : aims__oom();
				goto done;
			}
			if ((err = aims_ledger_inclusion_proof(&proof, &plen, c->store, (uint64_t)idx, cp->size)) < 0 ||
			    (err = aims_tlog_proof_format(&tp, &tplen, (uint64_t)idx, NULL, 0,
							  (const unsigned char (*)[32])proof, plen, note, strlen(note))) < 0) {
				aims_merkle_proof_free(proof);
				goto done;
			}
			aims_merkle_proof_free(proof);
			err = add_copy(&c->b, ppath, tp, tplen);
			free(tp);
			if (err < 0)
				goto done;
		}
		if (err < 0)
			goto done;
	}
	err = 0;
	/* entries in log order */
	size_t n = json_array_size(entries);
	json_t **v = n ? aims__malloc(n * sizeof(json_t *)) : NULL;
	if (n && !v) {
		err = aims__oom();
		goto done;
	}
	for (size_t k = 0; k < n; k++)
		v[k] = json_incref(json_array_get(entries, k));
	if (n > 1)
		qsort(v, n, sizeof(json_t *), by_index);
	json_array_clear(entries);
	for (size_t k = 0; k < n; k++)
		if (json_array_append_new(entries, v[k]) < 0)
			err = aims__oom();
	aims__free(v);
done:
	aims__stmt_free(by_id);
	aims__stmt_free(by_type);
	json_decref(seen);
	return err;
}

static int html_text(aims_buf *b, const char *s)
{
	return aims_html_escape(b, s ? s : "");
}

static int index_html(aims_buf *b, const json_t *manifest, const json_t *contents)
{
	int err = 0;
	const char *sys = json_string_value(json_object_get(manifest, "system"));
	err |= aims_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			     "<title>Evidence pack</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;"
			     "max-width:70em;color:#222}table{border-collapse:collapse;width:100%}td,th{border-bottom:"
			     "1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}code{font-size:.85em;"
			     "word-break:break-all}h1{font-size:1.6em}</style></head><body>\n<h1>Evidence pack</h1>\n<p>");
	err |= html_text(b, json_string_value(json_object_get(manifest, "organization")));
	err |= aims_buf_puts(b, sys ? ", AI system " : ", all AI systems");
	if (sys)
		err |= html_text(b, sys);
	err |= aims_buf_printf(b, ". Created %s", json_string_value(json_object_get(manifest, "created_at")));
	if (json_string_value(json_object_get(manifest, "as_of")))
		err |= aims_buf_printf(b, ", as of %s", json_string_value(json_object_get(manifest, "as_of")));
	err |= aims_buf_puts(b, ". Ledger checkpoint: ");
	err |= html_text(b, json_string_value(json_object_get(manifest, "origin")));
	err |= aims_buf_printf(b, ", tree size %lld, root <code>%s</code>.</p>\n",
			       (long long)json_integer_value(json_object_get(manifest, "tree_size")),
			       json_string_value(json_object_get(manifest, "root")));
	err |= aims_buf_puts(b, "<h2>How to check this pack</h2>\n<p>Run <code>aims pack verify DIR --vkey VKEY</code> "
			     "with the verifier key you received from the organization (not only the one in "
			     "<a href=\"vkey.txt\">vkey.txt</a>): it checks the signature of "
			     "<a href=\"manifest.sig\">manifest.sig</a> over <a href=\"manifest.json\">manifest.json</a>, "
			     "the SHA-256 of every file, the signed <a href=\"checkpoint.txt\">checkpoint</a> and every "
			     "ledger entry's inclusion proof. Each proof is in the C2SP tlog-proof format and any RFC 9162 "
			     "tool can check it: the leaf hash is SHA-256(0x00 || the bytes of the entry file).</p>\n");
	err |= aims_buf_puts(b, "<h2>Records</h2>\n<table><tr><th>Record</th><th>File</th></tr>\n");
	size_t i;
	json_t *it;
	json_array_foreach(contents, i, it) {
		const char *p = json_string_value(json_object_get(it, "path"));
		err |= aims_buf_puts(b, "<tr><td>");
		err |= html_text(b, json_string_value(json_object_get(it, "title")));
		err |= aims_buf_puts(b, "</td><td><a href=\"");
		err |= html_text(b, p);
		err |= aims_buf_puts(b, "\">");
		err |= html_text(b, p);
		err |= aims_buf_puts(b, "</a></td></tr>\n");
	}
	err |= aims_buf_puts(b, "</table>\n");
	json_array_foreach(json_object_get(manifest, "omitted"), i, it) {
		if (i == 0)
			err |= aims_buf_puts(b, "<h3>Not in this pack</h3>\n<ul>\n");
		err |= aims_buf_puts(b, "<li>");
		err |= html_text(b, json_string_value(it));
		err |= aims_buf_puts(b, "</li>\n");
		if (i + 1 == json_array_size(json_object_get(manifest, "omitted")))
			err |= aims_buf_puts(b, "</ul>\n");
	}
	err |= aims_buf_printf(b, "<h2>Ledger entries (%zu)</h2>\n<table><tr><th>Index</th><th>Time</th><th>Action</th>"
			       "<th>Object</th><th>Proof</th></tr>\n",
			       json_array_size(json_object_get(manifest, "entries")));
	json_array_foreach(json_object_get(manifest, "entries"), i, it) {
		err |= aims_buf_printf(b, "<tr><td><a href=\"%s\">%lld</a></td><td>", json_string_value(json_object_get(it, "entry")),
				       (long long)json_integer_value(json_object_get(it, "index")));
		err |= html_text(b, json_string_value(json_object_get(it, "time")));
		err |= aims_buf_puts(b, "</td><td>");
		err |= html_text(b, json_string_value(json_object_get(it, "action")));
		err |= aims_buf_puts(b, "</td><td>");
		err |= html_text(b, json_string_value(json_object_get(it, "object_type")));
		err |= aims_buf_puts(b, " ");
		err |= html_text(b, json_string_value(json_object_get(it, "object_id")));
		err |= aims_buf_printf(b, "</td><td><a href=\"%s\">proof</a></td></tr>\n",
				       json_string_value(json_object_get(it, "proof")));
	}
	err |= aims_buf_puts(b, "</table>\n<h2>Files</h2>\n<table><tr><th>File</th><th>SHA-256</th><th>Bytes</th></tr>\n");
	json_array_foreach(json_object_get(manifest, "files"), i, it) {
		const char *p = json_string_value(json_object_get(it, "path"));
		if (strncmp(p, "ledger/", 7) == 0)
			continue;
		err |= aims_buf_puts(b, "<tr><td><a href=\"");
		err |= html_text(b, p);
		err |= aims_buf_puts(b, "\">");
		err |= html_text(b, p);
		err |= aims_buf_printf(b, "</a></td><td><code>%s</code></td><td>%lld</td></tr>\n",
				       json_string_value(json_object_get(it, "sha256")),
				       (long long)json_integer_value(json_object_get(it, "size")));
	}
	err |= aims_buf_puts(b, "</table>\n<p>The manifest lists the ledger files' digests too.</p>\n</body></html>\n");
	return err < 0 ? aims__oom() : 0;
}

static void hex_sha256(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	if (aims__sha256_oneshot(md, data, len) < 0)
		memset(md, 0, sizeof(md));
	aims__hex(out, md, 32);
}

int aims_pack_build(aims_pack **out, aims_store *store, const aims_pack_options *o)
{
	ctx c;
	char *note = NULL, *vkey = NULL, *org_name = NULL;
	aims_checkpoint *cp = NULL;
	aims_note_signer *signer = NULL;
	json_t *manifest = NULL, *entries = NULL, *systems = NULL, *files = NULL;
	aims_buf html = AIMS_BUF_INIT;
	int err;
	size_t pruned = 0;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	if (!o || o->version != AIMS_PACK_OPTIONS_VERSION)
		return aims__err(AIMS_EUSAGE, "pack: bad options structure version");
	if (o->as_of) {
		int y, m, d;
		if (aims__date_parse(&y, &m, &d, o->as_of) < 0 || strlen(o->as_of) != 10) {
			aims__err_set(AIMS_EINVALID, "as_of '%s': expected a date YYYY-MM-DD", o->as_of);
			aims__err_set_field("as_of");
			return AIMS_EINVALID;
		}
	}
	c.store = store;
	c.o = o;
	if (!(c.b.pack = aims__calloc(1, sizeof(*c.b.pack))) || !(c.omitted = json_array()) ||
	    !(c.selectors = json_array()) || !(c.contents = json_array()) || !(entries = json_array())) {
		err = aims__oom();
		goto done;
	}
	/* the key and the checkpoint first: without them there is no pack */
	if ((err = aims_ledger_signer(&signer, store)) < 0) {
		if (err == AIMS_ENOTFOUND)
			aims__err_set(AIMS_ENOTFOUND, "pack: the ledger has no signing key (run 'aims ledger setup --key FILE')");
		goto done;
	}
	if ((err = aims_ledger_vkey(&vkey, store)) < 0 || (err = pick_checkpoint(&note, &c)) < 0)
		goto done;
	{
		const char *vk[1] = { vkey };
		if ((err = aims_checkpoint_open(&cp, note, strlen(note), vk, 1)) < 0)
			goto done;
	}
	/* the systems */
	if (o->system) {
		json_t *r = json_pack("{s:s}", "name", o->system);
		aims_op_result res = AIMS_OP_RESULT_INIT;
		aims_op_ctx octx;
		memset(&octx, 0, sizeof(octx));
		octx.store = store;
		octx.principal = aims_store_principal(store);
		octx.client = "pack";
		err = r ? aims_op_call(&res, aims_op_find("system.show"), &octx, r) : aims__oom();
		json_decref(r);
		if (err < 0) {
			aims_op_result_release(&res);
			goto done;
		}
		systems = json_pack("[O]", res.json);
		aims_op_result_release(&res);
	} else {
		aims_op_result res = AIMS_OP_RESULT_INIT;
		aims_op_ctx octx;
		memset(&octx, 0, sizeof(octx));
		octx.store = store;
		octx.principal = aims_store_principal(store);
		octx.client = "pack";
		if ((err = aims_op_call(&res, aims_op_find("system.list"), &octx, NULL)) < 0) {
			aims_op_result_release(&res);
			goto done;
		}
		systems = json_incref(json_object_get(res.json, "systems"));
		aims_op_result_release(&res);
	}
	if (!systems) {
		err = aims__oom();
		goto done;
	}
	if ((err = add_records(&c, systems)) < 0 || (err = add_entries(&c, entries, note, cp, &pruned)) < 0)
		goto done;
	if ((err = add_copy(&c.b, "checkpoint.txt", note, strlen(note))) < 0)
		goto done;
	{
		size_t vl = strlen(vkey);
		char *v = aims__malloc(vl + 2);
		if (!v) {
			err = aims__oom();
			goto done;
		}
		memcpy(v, vkey, vl);
		v[vl] = '\n';
		v[vl + 1] = '\0';
		if ((err = add_file(&c.b, "vkey.txt", (unsigned char *)v, vl + 1)) < 0)
			goto done;
	}
	{
		json_t *org = NULL;
		aims_op_result res = AIMS_OP_RESULT_INIT;
		aims_op_ctx octx;
		memset(&octx, 0, sizeof(octx));
		octx.store = store;
		octx.principal = aims_store_principal(store);
		if (aims_op_call(&res, aims_op_find("org.show"), &octx, NULL) == 0)
			org = json_object_get(res.json, "name");
		org_name = aims__strdup(json_string_value(org) ? json_string_value(org) : "");
		aims_op_result_release(&res);
		if (!org_name) {
			err = aims__oom();
			goto done;
		}
	}
	char now[32], root[65];
	aims__time_now(now);
	aims__hex(root, cp->root, 32);
	if (pruned) {
		char msg[160];
		snprintf(msg, sizeof(msg), "%zu ledger entries of these records were pruned (retention): their bodies "
			 "and proofs are not in the pack", pruned);
		if (json_array_append_new(c.omitted, json_string(msg)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	/* the index first (it is listed in the manifest), then the manifest */
	manifest = json_pack("{s:i, s:s, s:s, s:o, s:o, s:s, s:I, s:s, s:O, s:O}", "aims_pack", 1, "organization",
			     org_name, "created_at", now, "as_of", aims_json_str(o->as_of), "system",
			     aims_json_str(o->system), "origin", cp->origin, "tree_size", (json_int_t)cp->size, "root", root,
			     "entries", entries, "omitted", c.omitted);
	if (!manifest) {
		err = aims__oom();
		goto done;
	}
	if ((err = index_html(&html, manifest, c.contents)) < 0)
		goto done;
	if ((err = add_copy(&c.b, "index.html", html.ptr, html.len)) < 0)
		goto done;
	qsort(c.b.pack->files, c.b.pack->count, sizeof(*c.b.pack->files), by_path);
	if (!(files = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < c.b.pack->count; i++) {
		const aims_pack_file *f = &c.b.pack->files[i];
		char hex[65];
		hex_sha256(hex, f->data, f->len);
		if (json_array_append_new(files, json_pack("{s:s, s:s, s:I}", "path", f->path, "sha256", hex, "size",
							   (json_int_t)f->len)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (json_object_set(manifest, "files", files) < 0 || (err = add_json(&c.b, MANIFEST, manifest)) < 0) {
		err = err < 0 ? err : aims__oom();
		goto done;
	}
	{
		const aims_pack_file *mf = &c.b.pack->files[c.b.pack->count - 1]; /* just added, not sorted in yet */
		char hex[65], text[128], *sig = NULL;
		size_t slen = 0;
		hex_sha256(hex, mf->data, mf->len);
		snprintf(text, sizeof(text), SIG_HEADER "sha256:%s\n", hex);
		if ((err = aims_note_sign(&sig, &slen, text, strlen(text), signer)) < 0)
			goto done;
		err = add_copy(&c.b, MANIFEST_SIG, sig, slen);
		free(sig);
		if (err < 0)
			goto done;
	}
	qsort(c.b.pack->files, c.b.pack->count, sizeof(*c.b.pack->files), by_path);
	*out = c.b.pack;
	c.b.pack = NULL;
	err = 0;
done:
	aims_pack_free(c.b.pack);
	json_decref(c.omitted);
	json_decref(c.selectors);
	json_decref(c.contents);
	json_decref(entries);
	json_decref(systems);
	json_decref(files);
	json_decref(manifest);
	aims_buf_release(&html);
	aims_checkpoint_free(cp);
	aims_note_signer_free(signer);
	aims__free(org_name);
	free(note);
	free(vkey);
	return err;
}

/* ---- tar ---- */

static void octal(char *dst, size_t n, uint64_t v)
{
	/* n - 1 digits and a NUL */
	dst[n - 1] = '\0';
	for (size_t i = n - 1; i-- > 0;) {
		dst[i] = (char)('0' + (v & 7));
		v >>= 3;
	}
}

int aims_pack_tar(aims_buf *out, const aims_pack *pack)
{
	int err;
	for (size_t i = 0; i < pack->count; i++) {
		const aims_pack_file *f = &pack->files[i];
		unsigned char h[512];
		size_t pl = strlen(f->path);
		memset(h, 0, sizeof(h));
		if (pl >= 100)
			return aims__err(AIMS_EINVALID, "pack: path '%s' is too long for the archive", f->path);
		memcpy(h, f->path, pl);
		octal((char *)h + 100, 8, 0644);
		octal((char *)h + 108, 8, 0);
		octal((char *)h + 116, 8, 0);
		octal((char *)h + 124, 12, f->len);
		octal((char *)h + 136, 12, 0);
		memset(h + 148, ' ', 8);
		h[156] = '0';
		memcpy(h + 257, "ustar", 6);
		memcpy(h + 263, "00", 2);
		unsigned sum = 0;
		for (size_t k = 0; k < 512; k++)
			sum += h[k];
		octal((char *)h + 148, 7, sum);
		h[155] = ' ';
		static const unsigned char zero[512];
		if ((err = aims_buf_put(out, h, 512)) < 0 || (err = aims_buf_put(out, f->data, f->len)) < 0 ||
		    (err = aims_buf_put(out, zero, (512 - f->len % 512) % 512)) < 0)
			return err;
	}
	static const unsigned char end[1024];
	return aims_buf_put(out, end, sizeof(end));
}

/* a relative path inside the pack: no '..', no absolute path, no empty element */
static int safe_path(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += n + (e ? 1 : 0);
		if (e && !*s)
			return 0;
	}
	return 1;
}

static int parse_octal(uint64_t *v, const unsigned char *s, size_t n)
{
	size_t i = 0;
	*v = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i == n || s[i] < '0' || s[i] > '7')
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '7'; i++) {
		if (*v >> 60)
			return -1;
		*v = (*v << 3) | (uint64_t)(s[i] - '0');
	}
	for (; i < n; i++)
		if (s[i] != ' ' && s[i] != '\0')
			return -1;
	return 0;
}

int aims_pack_from_tar(aims_pack **out, const void *data, size_t len, const char *name)
{
	const unsigned char *p = data;
	builder b = { NULL, 0 };
	size_t off = 0;
	int err;
	*out = NULL;
	if (!(b.pack = aims__calloc(1, sizeof(*b.pack))))
		return aims__oom();
	for (;;) {
		if (off + 512 > len) {
			err = aims__err(AIMS_EINVALID, "'%s': truncated archive (no end marker)", name);
			goto fail;
		}
		const unsigned char *h = p + off;
		int empty = 1;
		for (size_t k = 0; k < 512 && empty; k++)
			empty = h[k] == 0;
		if (empty)
			break;
		char path[101];
		memcpy(path, h, 100);
		path[100] = '\0';
		uint64_t size = 0, sum = 0;
		unsigned calc = 0;
		for (size_t k = 0; k < 512; k++)
			calc += (k >= 148 && k < 156) ? ' ' : h[k];
		if (parse_octal(&sum, h + 148, 8) < 0 || sum != calc) {
			err = aims__err(AIMS_EINVALID, "'%s': archive header at byte %zu: bad checksum", name, off);
			goto fail;
		}
		if (parse_octal(&size, h + 124, 12) < 0 || size > len - off - 512 || size > MAX_PACK_FILE) {
			err = aims__err(AIMS_EINVALID, "'%s': archive member '%s': bad size", name, path);
			goto fail;
		}
		if (h[345] != '\0') {
			err = aims__err(AIMS_EINVALID, "'%s': archive member '%s': long names are not used by packs", name, path);
			goto fail;
		}
		if (h[156] == '5') { /* a directory */
			off += 512;
			continue;
		}
		if (h[156] != '0' && h[156] != '\0') {
			err = aims__err(AIMS_EINVALID, "'%s': archive member '%s' is not a regular file", name, path);
			goto fail;
		}
		if (!safe_path(path)) {
			err = aims__err(AIMS_EINVALID, "'%s': archive member '%s': not a path inside the pack", name, path);
			goto fail;
		}
		if ((err = add_copy(&b, path, h + 512, (size_t)size)) < 0)
			goto fail;
		off += 512 + (size_t)((size + 511) / 512 * 512);
	}
	qsort(b.pack->files, b.pack->count, sizeof(*b.pack->files), by_path);
	for (size_t i = 1; i < b.pack->count; i++)
		if (strcmp(b.pack->files[i - 1].path, b.pack->files[i].path) == 0) {
			err = aims__err(AIMS_EINVALID, "'%s': archive member '%s' appears twice", name, b.pack->files[i].path);
			goto fail;
		}
	*out = b.pack;
	return 0;
fail:
	aims_pack_free(b.pack);
	return err;
}

/* ---- directories ---- */

static int read_tree(builder *b, const char *root, const char *rel)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel);
	DIR *d = opendir(dir);
	struct dirent *de;
	int err = 0;
	if (!d)
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, "'%s': %s", dir, strerror(errno));
	while (err == 0 && (de = readdir(d)) != NULL) {
		char r[4096], full[8192];
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(r, sizeof(r), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, r);
		if (lstat(full, &st) < 0) {
			err = aims__err(AIMS_ERROR, "'%s': %s", full, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			err = read_tree(b, root, r);
		} else if (!S_ISREG(st.st_mode)) {
			err = aims__err(AIMS_ETAMPERED, "%s: not a regular file (a pack holds only files)", r);
		} else {
			char *data = NULL;
			size_t len = 0;
			if ((err = aims_file_read(&data, &len, full, MAX_PACK_FILE)) == 0)
				err = add_file(b, r, (unsigned char *)data, len);
		}
	}
	closedir(d);
	return err;
}

int aims_pack_read(aims_pack **out, const char *path)
{
	struct stat st;
	*out = NULL;
	if (stat(path, &st) < 0)
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, "'%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		builder b = { NULL, 0 };
		int err;
		if (!(b.pack = aims__calloc(1, sizeof(*b.pack))))
			return aims__oom();
		if ((err = read_tree(&b, path, "")) < 0) {
			aims_pack_free(b.pack);
			return err;
		}
		qsort(b.pack->files, b.pack->count, sizeof(*b.pack->files), by_path);
		*out = b.pack;
		return 0;
	}
	char *data = NULL;
	size_t len = 0;
	int err;
	if ((err = aims_file_read(&data, &len, path, 0)) < 0)
		return err;
	err = aims_pack_from_tar(out, data, len, path);
	aims__free(data);
	return err;
}

static int mkdirs(const char *dir, const char *rel)
{
	char p[8192];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return aims__err(AIMS_ERROR, "'%s': %s", p, strerror(errno));
		*s = '/';
	}
	return 0;
}

int aims_pack_write_dir(const aims_pack *pack, const char *dir)
{
	DIR *d;
	if (mkdir(dir, 0755) < 0) {
		if (errno != EEXIST)
			return aims__err(AIMS_ERROR, "'%s': %s", dir, strerror(errno));
		if (!(d = opendir(dir)))
			return aims__err(AIMS_ECONFLICT, "'%s' exists and is not a directory", dir);
		struct dirent *de;
		int empty = 1;
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				empty = 0;
		closedir(d);
		if (!empty)
			return aims__err(AIMS_ECONFLICT, "'%s' is not empty: a pack goes into a new or empty directory", dir);
	}
	for (size_t i = 0; i < pack->count; i++) {
		const aims_pack_file *f = &pack->files[i];
		char p[8192];
		int err;
		if (!safe_path(f->path))
			return aims__err(AIMS_EINVALID, "pack: '%s' is not a path inside the pack", f->path);
		if ((err = mkdirs(dir, f->path)) < 0)
			return err;
		snprintf(p, sizeof(p), "%s/%s", dir, f->path);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return aims__err(AIMS_ERROR, "'%s': %s", p, strerror(errno));
		size_t off = 0;
		while (off < f->len) {
			ssize_t w = write(fd, f->data + off, f->len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int e = errno;
				close(fd);
				return aims__err(AIMS_ERROR, "'%s': %s", p, strerror(e));
			}
			off += (size_t)w;
		}
		if (close(fd) < 0)
			return aims__err(AIMS_ERROR, "'%s': %s", p, strerror(errno));
	}
	return 0;
}

/* ---- verification ---- */

/* AIMS_ETAMPERED naming what failed first */
static int tampered(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int tampered(const char *what, const char *fmt, ...)
{
	char why[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return aims__err(AIMS_ETAMPERED, "%s: %s", what, why);
}

int aims_pack_verify(aims_pack_verify_stats *stats, const aims_pack *pack, const char *const *vkeys, size_t nvkeys)
{
	const aims_pack_file *mf = find_file(pack, MANIFEST), *sig = find_file(pack, MANIFEST_SIG);
	const aims_pack_file *ckf = find_file(pack, "checkpoint.txt"), *vkf = find_file(pack, "vkey.txt");
	json_t *m = NULL, *seen = NULL;
	aims_checkpoint *cp = NULL;
	char *own = NULL, *text = NULL;
	const char *keys[1];
	int err;

	memset(stats, 0, sizeof(*stats));
	if (!mf)
		return tampered(MANIFEST, "missing");
	if (!sig)
		return tampered(MANIFEST_SIG, "missing (the manifest is not signed)");
	if (nvkeys == 0) {
		if (!vkf)
			return tampered("vkey.txt", "missing (give the verifier key with --vkey)");
		if (!(own = aims__strndup((const char *)vkf->data, vkf->len)))
			return aims__oom();
		own[strcspn(own, "\r\n")] = '\0';
		keys[0] = own;
		vkeys = keys;
		nvkeys = 1;
	}
	/* 1. the manifest's signature and digest */
	size_t tlen = 0;
	if ((err = aims_note_verify(&text, &tlen, (const char *)sig->data, sig->len, vkeys, nvkeys)) < 0) {
		char why[512];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		err = err == AIMS_EINVALID ? AIMS_ETAMPERED : err;
		aims__err_set(err, "%s: %s", MANIFEST_SIG, why);
		goto done;
	}
	{
		char hex[65], want[128];
		hex_sha256(hex, mf->data, mf->len);
		snprintf(want, sizeof(want), SIG_HEADER "sha256:%s\n", hex);
		if (strcmp(text, want) != 0) {
			err = tampered(MANIFEST, "its SHA-256 is not the one %s signs", MANIFEST_SIG);
			goto done;
		}
	}
	json_error_t je;
	if (!(m = json_loadb((const char *)mf->data, mf->len, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(m)) {
		err = tampered(MANIFEST, "not a pack manifest");
		goto done;
	}
	/* 2. every file listed, with its digest, and nothing else */
	if (!(seen = json_object())) {
		err = aims__oom();
		goto done;
	}
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(m, "files"), i, f) {
		const char *path = json_string_value(json_object_get(f, "path"));
		const char *sha = json_string_value(json_object_get(f, "sha256"));
		if (!path || !sha) {
			err = tampered(MANIFEST, "files[%zu]: no path or sha256", i);
			goto done;
		}
		const aims_pack_file *pf = find_file(pack, path);
		if (!pf) {
			err = tampered(path, "missing (listed in the manifest)");
			goto done;
		}
		char hex[65];
		hex_sha256(hex, pf->data, pf->len);
		if (strcmp(hex, sha) != 0) {
			err = tampered(path, "SHA-256 %s does not match the manifest", hex);
			goto done;
		}
		if (json_object_set_new(seen, path, json_true()) < 0) {
			err = aims__oom();
			goto done;
		}
		stats->files++;
	}
	for (size_t k = 0; k < pack->count; k++) {
		const char *p = pack->files[k].path;
		if (strcmp(p, MANIFEST) != 0 && strcmp(p, MANIFEST_SIG) != 0 && !json_object_get(seen, p)) {
			err = tampered(p, "not listed in the manifest");
			goto done;
		}
	}
	/* 3. the checkpoint: signed by the key, the manifest's tree */
	if (!ckf) {
		err = tampered("checkpoint.txt", "missing");
		goto done;
	}
	if (aims_checkpoint_open(&cp, (const char *)ckf->data, ckf->len, vkeys, nvkeys) < 0) {
		char why[512];
		snprintf(why, sizeof(why), "%s", aims_error_last());
		aims__err_set(AIMS_ETAMPERED, "checkpoint.txt: %s", why);
		err = AIMS_ETAMPERED;
		goto done;
	}
	{
		char root[65];
		aims__hex(root, cp->root, 32);
		if ((uint64_t)json_integer_value(json_object_get(m, "tree_size")) != cp->size ||
		    aims__strcmp0(json_string_value(json_object_get(m, "root")), root) != 0) {
			err = tampered("checkpoint.txt", "not the tree the manifest names");
			goto done;
		}
		stats->tree_size = cp->size;
		snprintf(stats->signer, sizeof(stats->signer), "%s", cp->origin);
	}
	/* 4. every entry: its bytes, its proof against that checkpoint */
	json_t *e;
	json_array_foreach(json_object_get(m, "entries"), i, e) {
		json_int_t idx = json_integer_value(json_object_get(e, "index"));
		const char *ep = json_string_value(json_object_get(e, "entry"));
		const char *pp = json_string_value(json_object_get(e, "proof"));
		char what[160];
		snprintf(what, sizeof(what), "entry %lld", (long long)idx);
		const aims_pack_file *ef = ep ? find_file(pack, ep) : NULL, *pf = pp ? find_file(pack, pp) : NULL;
		if (!ef || !pf) {
			err = tampered(what, "its entry or proof file is missing");
			goto done;
		}
		uint8_t leaf[32];
		aims_checkpoint *pc = NULL;
		uint64_t pidx = 0;
		if ((err = aims_merkle_leaf_hash(leaf, ef->data, ef->len)) < 0)
			goto done;
		if (aims_tlog_proof_verify(&pc, &pidx, (const char *)pf->data, pf->len, leaf, cp->origin, vkeys,
					   nvkeys) < 0) {
			char why[512];
			snprintf(why, sizeof(why), "%s", aims_error_last());
			aims__err_set(AIMS_ETAMPERED, "%s: its inclusion proof %s does not verify: %s", what, pp, why);
			err = AIMS_ETAMPERED;
			goto done;
		}
		int same = pidx == (uint64_t)idx && pc->size == cp->size && memcmp(pc->root, cp->root, 32) == 0;
		aims_checkpoint_free(pc);
		if (!same) {
			err = tampered(what, "%s is a proof of another entry or tree", pp);
			goto done;
		}
		/* the entry says what the manifest says it is */
		json_t *body = json_loadb((const char *)ef->data, ef->len, JSON_REJECT_DUPLICATES, &je);
		int ok = body && aims__strcmp0(json_string_value(json_object_get(body, "object_id")),
					       json_string_value(json_object_get(e, "object_id"))) == 0 &&
			 aims__strcmp0(json_string_value(json_object_get(body, "object_type")),
				       json_string_value(json_object_get(e, "object_type"))) == 0;
		json_decref(body);
		if (!ok) {
			err = tampered(what, "%s is not the entry the manifest names", ep);
			goto done;
		}
		stats->entries++;
	}
	err = 0;
done:
	json_decref(m);
	json_decref(seen);
	aims_checkpoint_free(cp);
	aims__free(own);
	free(text);
	return err;
}

json_t *aims_pack_verify_result(int err, const aims_pack_verify_stats *st, int own_key)
{
	if (err < 0)
		return json_pack("{s:b, s:s}", "ok", 0, "error", aims_error_last());
	return json_pack("{s:b, s:I, s:I, s:I, s:s, s:b}", "ok", 1, "files", (json_int_t)st->files, "entries",
			 (json_int_t)st->entries, "tree_size", (json_int_t)st->tree_size, "origin", st->signer, "own_key",
			 own_key != 0);
}
