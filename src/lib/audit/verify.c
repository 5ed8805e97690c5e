/*
 * Verifying all the evidence of a store (include/aims/audit.h): the
 * governance log, then every decision log that the governance log says was
 * created or the store registers (a log missing from either, or from the
 * disk, is a failure naming it), then the state of every governed object
 * against its latest audit entry; checkpoints kept outside the store prove
 * that each log only grew since. Read-only throughout.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "ledger/ledger_internal.h"
#include "store/store_internal.h"

#define TRUSTED_FORMAT "aims-checkpoints/v1"


typedef struct {
	aims_audit_report pub;
	char **owned;             /* every string of the report */
	size_t nowned, cowned;
	size_t clogs, cfindings;
} report_obj;

static const char *own(report_obj *r, const char *s)
{
	char *c;
	if (!s || aims__grow(&r->owned, &r->cowned, r->nowned + 1, sizeof(*r->owned)) < 0 || !(c = aims__strdup(s)))
		return NULL;
	r->owned[r->nowned++] = c;
	return c;
}

void aims_audit_report_free(aims_audit_report *p)
{
	report_obj *r = (report_obj *)p;
	if (!r)
		return;
	for (size_t i = 0; i < r->nowned; i++)
		aims__free(r->owned[i]);
	aims__free(r->owned);
	aims__free(r->pub.logs);
	aims__free(r->pub.findings);
	aims__free(r);
}

/* a log's result; the message is the thread's last error when code < 0 */
static int add_log(report_obj *r, const char *log, int code, const aims_ledger_verify_stats *st, int64_t created)
{
	int err;
	if ((err = aims__grow(&r->pub.logs, &r->clogs, r->pub.nlogs + 1, sizeof(*r->pub.logs))) < 0)
		return err;
	aims_audit_log *l = &r->pub.logs[r->pub.nlogs];
	memset(l, 0, sizeof(*l));
	l->log = own(r, log);
	l->code = code;
	l->error = code < 0 ? own(r, aims_error_last()) : NULL;
	if (st)
		l->stats = *st;
	else
		l->stats.first_bad = -1;
	l->created = created;
	if (!l->log || (code < 0 && !l->error))
		return aims__oom();
	r->pub.nlogs++;
	return 0;
}

static int add_finding(void *arg, const char *type, const char *id, const char *problem, const char *recorded,
		       const char *actual, int64_t entry)
{
	report_obj *r = arg;
	int err;
	r->pub.findings_total++;
	if (r->pub.nfindings >= AIMS_AUDIT_FINDINGS_MAX)
		return 0;
	if ((err = aims__grow(&r->pub.findings, &r->cfindings, r->pub.nfindings + 1, sizeof(*r->pub.findings))) < 0)
		return err;
	aims_audit_finding *f = &r->pub.findings[r->pub.nfindings];
	f->object_type = own(r, type);
	f->object_id = own(r, id);
	f->problem = own(r, problem);
	f->recorded = recorded ? own(r, recorded) : NULL;
	f->actual = actual ? own(r, actual) : NULL;
	f->entry = entry;
	if (!f->object_type || !f->object_id || !f->problem || (recorded && !f->recorded) || (actual && !f->actual))
		return aims__oom();
	r->pub.nfindings++;
	return 0;
}

void aims__trusted_free(trusted_cp *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		aims__free(t[i].log);
		aims__free(t[i].origin);
	}
	aims__free(t);
}

/* the checkpoints of an export, each verified with the log key */
int aims__trusted_parse(trusted_cp **out, size_t *n, const char *text, size_t len, const char *const *vkeys,
			size_t nvkeys)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *logs, *v;
	trusted_cp *t = NULL;
	size_t cap = 0, i;
	int err = 0;
	*out = NULL;
	*n = 0;
	if (!doc)
		return aims__err(AIMS_EINVALID, "trusted checkpoints: line %d column %d: %s", je.line, je.column, je.text);
	const char *fmt = json_string_value(json_object_get(doc, "format"));
	logs = json_object_get(doc, "logs");
	if (!fmt || strcmp(fmt, TRUSTED_FORMAT) != 0 || !json_is_array(logs)) {
		err = aims__err(AIMS_EINVALID, "trusted checkpoints: not an export of 'aims ledger checkpoint --export' "
				"(format '%s' with an array 'logs')", TRUSTED_FORMAT);
		goto done;
	}
	if (nvkeys == 0) {
		err = aims__err(AIMS_EUSAGE, "trusted checkpoints: no verifier key to check them with (give --vkey)");
		goto done;
	}
	json_array_foreach(logs, i, v) {
		const char *log = json_string_value(json_object_get(v, "log"));
		const char *note = json_string_value(json_object_get(v, "checkpoint"));
		aims_checkpoint *cp = NULL;
		if (!log || !note) {
			err = aims__err(AIMS_EINVALID, "trusted checkpoints: logs[%zu]: needs 'log' and 'checkpoint'", i);
			goto done;
		}
		if ((err = aims_checkpoint_open(&cp, note, strlen(note), vkeys, nvkeys)) < 0) {
			aims__err_prefix("trusted checkpoints: log '%s'", log);
			err = err == AIMS_ENOMEM ? err : AIMS_ETAMPERED;
			goto done;
		}
		for (size_t k = 0; k < *n; k++)
			if (strcmp(t[k].log, log) == 0) {
				aims_checkpoint_free(cp);
				err = aims__err(AIMS_EINVALID, "trusted checkpoints: log '%s' appears twice", log);
				goto done;
			}
		if ((err = aims__grow(&t, &cap, *n + 1, sizeof(*t))) < 0) {
			aims_checkpoint_free(cp);
			goto done;
		}
		memset(&t[*n], 0, sizeof(t[*n]));
		t[*n].log = aims__strdup(log);
		t[*n].origin = aims__strdup(cp->origin);
		t[*n].size = cp->size;
		memcpy(t[*n].root, cp->root, 32);
		aims_checkpoint_free(cp);
		(*n)++;
		if (!t[*n - 1].log || !t[*n - 1].origin) {
			err = aims__oom();
			goto done;
		}
	}
done:
	json_decref(doc);
	if (err < 0) {
		aims__trusted_free(t, *n);
		*n = 0;
		return err;
	}
	*out = t;
	return 0;
}

static trusted_cp *trusted_find(trusted_cp *t, size_t n, const char *log)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].log, log) == 0)
			return &t[i];
	return NULL;
}

static int log_origin(char **origin, aims_store *s, const char *log)
{
	aims__stmt *st = NULL;
	int err;
	*origin = NULL;
	if ((err = aims__stmt_prepare(&st, s, "SELECT origin FROM ledger_logs WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, log)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && aims__stmt_text(st, 0) && !(*origin = aims__strdup(aims__stmt_text(st, 0))))
		err = aims__oom();
	else
		err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* the trusted checkpoint of `log`: its origin must be the log's */
static int trusted_for(aims__trusted_cp *out, trusted_cp *t, size_t n, aims_store *s, const char *log)
{
	trusted_cp *tc = trusted_find(t, n, log);
	char *origin = NULL;
	int err;
	memset(out, 0, sizeof(*out));
	if (!tc)
		return 0;
	tc->used = 1;
	if ((err = log_origin(&origin, s, log)) < 0)
		return err;
	if (origin && strcmp(origin, tc->origin) != 0) {
		err = aims__err(AIMS_ETAMPERED, "%s log: the trusted checkpoint is for origin '%s', the log's is '%s'",
				log, tc->origin, origin);
		aims__free(origin);
		return err;
	}
	aims__free(origin);
	out->have = 1;
	out->size = tc->size;
	memcpy(out->root, tc->root, 32);
	return 0;
}

/* the names of the decision logs: registered in the store, or created in the governance log */
typedef struct {
	char *system;
	int64_t created;
} dlog;

static int dlogs_add(dlog **v, size_t *n, size_t *cap, const char *system, int64_t created)
{
	int err;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].system, system) == 0) {
			if (created >= 0)
				(*v)[i].created = created;
			return 0;
		}
	if ((err = aims__grow(v, cap, *n + 1, sizeof(**v))) < 0)
		return err;
	if (!((*v)[*n].system = aims__strdup(system)))
		return aims__oom();
	(*v)[*n].created = created;
	(*n)++;
	return 0;
}

static int cmp_dlog(const void *a, const void *b)
{
	return strcmp(((const dlog *)a)->system, ((const dlog *)b)->system);
}

static int list_dlogs(dlog **v, size_t *n, aims_store *s, const trusted_cp *t, size_t nt)
{
	aims__stmt *st = NULL;
	size_t cap = 0;
	int err;
	*v = NULL;
	*n = 0;
	if ((err = aims__stmt_prepare(&st, s, "SELECT id FROM ledger_logs WHERE kind = 'decision'")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0);
		if (id && strncmp(id, "decision/", 9) == 0 && (err = dlogs_add(v, n, &cap, id + 9, -1)) < 0)
			break;
	}
	aims__stmt_free(st);
	st = NULL;
	if (err < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT object_id, MIN(idx) FROM ledger_entries WHERE log = ? AND "
				      "action = 'create' AND object_type = 'decision-log' GROUP BY object_id")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, AIMS_LEDGER_GOVERNANCE)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1)
		if (aims__stmt_text(st, 0) &&
		    (err = dlogs_add(v, n, &cap, aims__stmt_text(st, 0), aims__stmt_int64(st, 1))) < 0)
			break;
	for (size_t i = 0; err >= 0 && i < nt; i++)
		if (strncmp(t[i].log, "decision/", 9) == 0)
			err = dlogs_add(v, n, &cap, t[i].log + 9, -1);
done:
	aims__stmt_free(st);
	if (err >= 0 && *n > 1)
		qsort(*v, *n, sizeof(**v), cmp_dlog);
	return err < 0 ? err : 0;
}

int aims_audit_verify(aims_audit_report **out, aims_store *s, const aims_audit_options *o)
{
	aims_audit_options def = AIMS_AUDIT_OPTIONS_INIT;
	report_obj *r = NULL;
	trusted_cp *trusted = NULL;
	dlog *dl = NULL;
	aims__state *state = NULL;
	aims__gov_ctx g;
	aims_ledger_verify_stats gst;
	const char *const *vkeys;
	const char *one[1];
	char *owned = NULL, first[1024] = "";
	size_t nvkeys, ntrusted = 0, ndl = 0;
	int err, first_code = 0, gov_ok = 0;

	*out = NULL;
	memset(&g, 0, sizeof(g));
	if (!o)
		o = &def;
	if (o->version != AIMS_AUDIT_OPTIONS_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_audit_options version %u not supported", o->version);
	vkeys = o->vkeys;
	nvkeys = o->nvkeys;
	if ((err = aims__ledger_resolve_vkeys(&vkeys, &nvkeys, &owned, one, s)) < 0)
		return err;
	if (o->trusted && (err = aims__trusted_parse(&trusted, &ntrusted, o->trusted, o->trusted_len, vkeys, nvkeys)) < 0)
		goto done;
	if (!(r = aims__calloc(1, sizeof(*r)))) {
		err = aims__oom();
		goto done;
	}
#define NOTE_FAIL(code)                                                                   \
	do {                                                                              \
		if (!first_code) {                                                        \
			first_code = (code);                                              \
			snprintf(first, sizeof(first), "%s", aims_error_last());          \
		}                                                                         \
	} while (0)

	/* the governance log, collecting the latest entry of every object on the way */
	if (!o->system) {
		memset(&gst, 0, sizeof(gst));
		g.vkeys = vkeys;
		g.nvkeys = nvkeys;
		g.wkeys = o->witness_keys;
		g.nwkeys = o->nwitness_keys;
		g.stats = &gst;
		if (o->state) {
			if ((err = aims__state_new(&state)) < 0)
				goto done;
			g.on_entry = aims__state_on_entry;
			g.arg = state;
		}
		int rc = trusted_for(&g.trusted, trusted, ntrusted, s, AIMS_LEDGER_GOVERNANCE);
		if (rc == 0)
			rc = aims__gov_verify(s, &g);
		if (rc == AIMS_ENOMEM) {
			err = rc;
			goto done;
		}
		if ((err = add_log(r, AIMS_LEDGER_GOVERNANCE, rc, &gst, -1)) < 0)
			goto done;
		if (rc < 0)
			NOTE_FAIL(rc);
		gov_ok = rc == 0;
		aims_error_clear();
	}
	/* every decision log the store or the governance log knows */
	if (o->system) {
		size_t cap = 0;
		if ((err = dlogs_add(&dl, &ndl, &cap, o->system, -1)) < 0)
			goto done;
	} else if ((err = list_dlogs(&dl, &ndl, s, trusted, ntrusted)) < 0) {
		goto done;
	}
	for (size_t i = 0; i < ndl; i++) {
		aims__dverify_opts dopt;
		aims__dverify_stats dst;
		aims_ledger_verify_stats ls;
		char log[96];
		int64_t created = dl[i].created;
		memset(&dopt, 0, sizeof(dopt));
		memset(&ls, 0, sizeof(ls));
		ls.first_bad = -1;
		snprintf(log, sizeof(log), "decision/%s", dl[i].system);
		dopt.vkeys = vkeys;
		dopt.nvkeys = nvkeys;
		dopt.wkeys = o->witness_keys;
		dopt.nwkeys = o->nwitness_keys;
		if (gov_ok) {
			dopt.have_bound = 1;
			dopt.prune_bound = aims__gov_prune_bound(&g, log);
		}
		int rc = trusted_for(&dopt.trusted, trusted, ntrusted, s, log);
		if (rc == 0 && nvkeys == 0)
			rc = aims__err(AIMS_ENOTFOUND, "decision log '%s': no verifier key (give --vkey or run 'aims ledger "
				       "setup')", dl[i].system);
		if (rc == 0) {
			rc = aims__decision_verify(s, dl[i].system, &dopt, &dst);
			ls.entries = dst.entries;
			ls.checkpoints = dst.checkpoints;
			ls.tiles = dst.tiles;
			ls.first_bad = dst.first_bad;
			ls.pruned = dst.pruned;
			ls.covered = dst.covered;
			ls.cosigned = dst.cosigned;
			ls.trusted_size = dopt.trusted.have ? dopt.trusted.size : 0;
		}
		/* a log that exists only in the trusted checkpoints was deleted with its registration */
		if (rc == AIMS_ENOTFOUND && created < 0 && dopt.trusted.have)
			rc = aims__err(AIMS_ETAMPERED, "decision log '%s' is in the trusted checkpoints (size %llu) but "
				       "not in the store: it was removed", dl[i].system,
				       (unsigned long long)dopt.trusted.size);
		if (rc == AIMS_ENOMEM) {
			err = rc;
			goto done;
		}
		if (rc == 0 && created < 0)
			aims__decision_created(&created, s, dl[i].system);
		if ((err = add_log(r, log, rc, &ls, created)) < 0)
			goto done;
		if (rc < 0)
			NOTE_FAIL(rc);
		aims_error_clear();
	}
	/* a trusted checkpoint of a log this store does not have at all */
	for (size_t i = 0; i < ntrusted; i++) {
		if (trusted[i].used || o->system)
			continue;
		int rc = aims__err(AIMS_ETAMPERED, "log '%s' is in the trusted checkpoints (size %llu) but not in the "
				   "store", trusted[i].log, (unsigned long long)trusted[i].size);
		if ((err = add_log(r, trusted[i].log, rc, NULL, -1)) < 0)
			goto done;
		NOTE_FAIL(rc);
	}
	/* the state of every governed object against its latest audit entry */
	if (state && gov_ok) {
		r->pub.state_checked = 1;
		if ((err = aims__state_compare(state, s, add_finding, r, &r->pub.objects)) < 0)
			goto done;
		if (r->pub.findings_total > 0 && !first_code) {
			const aims_audit_finding *f = &r->pub.findings[0];
			first_code = AIMS_ETAMPERED;
			if (f->entry >= 0)
				snprintf(first, sizeof(first), "%s %s: %s (audit entry %lld)%s", f->object_type, f->object_id,
					 f->problem, (long long)f->entry, r->pub.findings_total > 1 ? ", and more" : "");
			else
				snprintf(first, sizeof(first), "%s %s: %s%s", f->object_type, f->object_id, f->problem,
					 r->pub.findings_total > 1 ? ", and more" : "");
		}
	}
	err = first_code ? aims__err(first_code, "%s", first) : 0;
done:
	aims__gov_ctx_release(&g);
	aims__state_free(state);
	for (size_t i = 0; i < ndl; i++)
		aims__free(dl[i].system);
	aims__free(dl);
	aims__trusted_free(trusted, ntrusted);
	aims__free(owned);
	if (err < 0 && err != AIMS_ETAMPERED && !first_code) {
		if (r)
			aims_audit_report_free(&r->pub);
		return err;
	}
	if (r)
		*out = &r->pub;
	return err;
}

/* ---- export ---- */

int aims_audit_export(char **json, size_t *len, aims_store *s)
{
	json_t *doc = NULL, *logs = NULL;
	aims__stmt *st = NULL;
	char now[32], **names = NULL, *note = NULL, *origin = NULL;
	size_t nnames = 0, nlen = 0;
	int err;

	*json = NULL;
	if (len)
		*len = 0;
	aims_global_init();
	aims__time_now(now);
	if (!(logs = json_array()) ||
	    !(doc = json_pack("{s:s, s:s, s:o}", "format", TRUSTED_FORMAT, "exported_at", now, "logs", logs))) {
		json_decref(logs);
		return aims__oom();
	}
	if ((err = aims__stmt_prepare(&st, s, "SELECT size, note FROM ledger_checkpoints WHERE log = ? ORDER BY size "
				      "DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, AIMS_LEDGER_GOVERNANCE)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "the governance log has no signed checkpoint (run 'aims ledger setup "
				"--key FILE')");
		goto done;
	}
	if ((err = log_origin(&origin, s, AIMS_LEDGER_GOVERNANCE)) < 0)
		goto done;
	if (json_array_append_new(logs, json_pack("{s:s, s:s, s:I, s:s}", "log", AIMS_LEDGER_GOVERNANCE, "origin",
						  origin ? origin : "", "size", (json_int_t)aims__stmt_int64(st, 0),
						  "checkpoint", aims__stmt_text(st, 1))) < 0) {
		err = aims__oom();
		goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_decision_logs(&names, &nnames, s)) < 0)
		goto done;
	for (size_t i = 0; i < nnames; i++) {
		aims_checkpoint *cp = NULL;
		char log[96];
		err = aims__decision_checkpoint_read(&note, &nlen, s, names[i]);
		if (err == AIMS_ENOTFOUND) {
			aims_error_clear();
			continue;
		}
		if (err < 0)
			goto done;
		/* the body only: the signatures are checked when the export is used */
		const char *sep = strstr(note, "\n\n");
		if (!sep || aims_checkpoint_parse(&cp, note, (size_t)(sep - note) + 1) < 0) {
			err = aims__err(AIMS_ETAMPERED, "decision log '%s': the checkpoint is malformed", names[i]);
			goto done;
		}
		snprintf(log, sizeof(log), "decision/%s", names[i]);
		json_t *e = json_pack("{s:s, s:s, s:I, s:s}", "log", log, "origin", cp->origin, "size",
				      (json_int_t)cp->size, "checkpoint", note);
		aims_checkpoint_free(cp);
		aims__free(note);
		note = NULL;
		if (!e || json_array_append_new(logs, e) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (!(*json = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
		err = aims__oom();
		goto done;
	}
	if (len)
		*len = strlen(*json);
	err = 0;
done:
	aims__stmt_free(st);
	aims__free(note);
	aims__free(origin);
	aims_decision_logs_free(names, nnames);
	json_decref(doc);
	return err;
}
