/*
 * The operations of the governance log (docs/ledger.md): its entries, the
 * verification of every log and of the state of every governed object
 * (the same, read-only, for `aims ledger verify` and the API), pruning,
 * and its signed checkpoints (sign one, read the latest, export the
 * current checkpoint of every log). Commands that work on local key files
 * (`ledger keygen`, `ledger setup --key FILE`, the witness exchange of
 * `ledger checkpoint`, `note`, `merkle`) are not operations: see
 * docs/server.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/audit.h"
#include "aims/decision.h"
#include "aims/ledger.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

#define TRUSTED_MAX ((size_t)64 << 20)

/* ---- the entries ---- */

json_t *aims_ledger_entry_json(const aims_ledger_entry *e)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "index", (json_int_t)e->index, "time",
			 e->time, "actor", e->actor, "action", e->action, "object_type", e->object_type, "object_id",
			 e->object_id, "new_digest", aims_json_str(e->new_digest), "prev_digest",
			 aims_json_str(e->prev_digest), "pruned", e->pruned);
}

static int op_log(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_ledger_entries *l = NULL;
	json_t *arr;
	int err;

	if ((err = aims_ledger_log_read(&l, ctx->store, aims_req_str(req, "object"))) < 0)
		return err;
	arr = json_array();
	for (size_t i = 0; arr && i < l->count; i++)
		if (json_array_append_new(arr, aims_ledger_entry_json(&l->items[i])) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	aims_ledger_entries_free(l);
	if (!arr || !(res->json = json_pack("{s:s, s:o}", "log", AIMS_LEDGER_GOVERNANCE, "entries", arr)))
		return aims__oom();
	return 0;
}

/* ---- verification ---- */

static json_t *audit_log_json(const aims_audit_log *l)
{
	json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "log", l->log, "ok", l->code == 0,
			      "entries", (json_int_t)l->stats.entries, "checkpoints", (json_int_t)l->stats.checkpoints,
			      "tiles", (json_int_t)l->stats.tiles, "pruned", (json_int_t)l->stats.pruned,
			      "covered", (json_int_t)l->stats.covered, "cosigned", (json_int_t)l->stats.cosigned);
	if (!o)
		return NULL;
	if ((l->stats.trusted_size &&
	     json_object_set_new(o, "trusted_size", json_integer((json_int_t)l->stats.trusted_size)) < 0) ||
	    (l->created >= 0 && json_object_set_new(o, "created_by_entry", json_integer(l->created)) < 0) ||
	    (l->code < 0 && (json_object_set_new(o, "error", json_string(l->error ? l->error : "")) < 0 ||
			     json_object_set_new(o, "first_bad_entry", json_integer(l->stats.first_bad)) < 0))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *aims_audit_report_json(const aims_audit_report *r, int verify_err, const char *error)
{
	json_t *logs = json_array(), *findings = json_array(), *out = NULL;
	int64_t gov_bad = -1;
	if (!logs || !findings)
		goto fail;
	for (size_t i = 0; i < r->nlogs; i++) {
		if (json_array_append_new(logs, audit_log_json(&r->logs[i])) < 0)
			goto fail;
		if (strcmp(r->logs[i].log, AIMS_LEDGER_GOVERNANCE) == 0)
			gov_bad = r->logs[i].stats.first_bad;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const aims_audit_finding *f = &r->findings[i];
		if (json_array_append_new(findings, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "object_type",
							      f->object_type, "object_id", f->object_id, "problem",
							      f->problem, "recorded", aims_json_str(f->recorded),
							      "actual", aims_json_str(f->actual), "entry",
							      f->entry >= 0 ? json_integer(f->entry) : json_null())) < 0)
			goto fail;
	}
	out = json_pack("{s:b, s:o, s:{s:b, s:I, s:I, s:o}}", "ok", verify_err == 0, "logs", logs, "state", "checked",
			r->state_checked, "objects", (json_int_t)r->objects, "findings_total",
			(json_int_t)r->findings_total, "findings", findings);
	logs = findings = NULL;
	if (out && verify_err < 0 &&
	    (json_object_set_new(out, "error", json_string(error ? error : "")) < 0 ||
	     json_object_set_new(out, "first_bad_entry", json_integer(gov_bad)) < 0)) {
		json_decref(out);
		out = NULL;
	}
	return out;
fail:
	json_decref(logs);
	json_decref(findings);
	return NULL;
}

static int op_verify(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_audit_options o = AIMS_AUDIT_OPTIONS_INIT;
	aims_audit_report *r = NULL;
	const char **vkeys = NULL, **wkeys = NULL, *trusted = aims_req_str(req, "trusted");
	size_t nv = 0, nw = 0;
	int err, state = aims_req_bool(req, "state"), no_state = aims_req_bool(req, "no_state");

	if (state && no_state)
		return aims__err(AIMS_EUSAGE, "give --state or --no-state, not both");
	o.system = aims_req_str(req, "system");
	if (o.system && state)
		return aims__err(AIMS_EUSAGE, "--state checks the whole store: leave out --system");
	if (trusted && strlen(trusted) > TRUSTED_MAX)
		return aims__err(AIMS_EINVALID, "trusted: larger than %zu bytes", TRUSTED_MAX);
	if ((err = aims_req_list(&vkeys, &nv, req, "vkey")) < 0 ||
	    (err = aims_req_list(&wkeys, &nw, req, "witness_key")) < 0)
		goto done;
	o.vkeys = vkeys;
	o.nvkeys = nv;
	o.witness_keys = wkeys;
	o.nwitness_keys = nw;
	o.state = !no_state && !o.system;
	o.trusted = trusted;
	o.trusted_len = trusted ? strlen(trusted) : 0;
	err = aims_audit_verify(&r, ctx->store, &o);
	if (!r) /* verification could not run */
		goto done;
	/* a failed verification is a finding reported with the document, not an error of the request */
	if (!(res->json = aims_audit_report_json(r, err, err < 0 ? aims_error_last() : NULL))) {
		err = aims__oom();
		goto done;
	}
	if (err < 0) {
		aims_buf m = AIMS_BUF_INIT;
		res->outcome = err;
		if (aims_buf_printf(&m, "error: %s", aims_error_last()) == 0)
			res->message = aims_buf_detach(&m, NULL);
		aims_buf_release(&m);
	}
	err = 0;
done:
	aims_audit_report_free(r);
	aims__free(vkeys);
	aims__free(wkeys);
	return err;
}

/* ---- pruning ---- */

static int op_prune(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int given = aims_req_has(req, "retention_days");
	int64_t days = aims_req_int(req, "retention_days", AIMS_LEDGER_MIN_RETENTION_DAYS);
	uint64_t pruned = 0;
	char **names = NULL;
	size_t n = 0;
	json_t *logs = NULL;
	int err;

	if (days <= 0 || days > 36500) {
		aims__err_set(AIMS_EUSAGE, "--retention-days '%lld': expected a number of days", (long long)days);
		aims__err_set_field("retention_days");
		return AIMS_EUSAGE;
	}
	if ((err = aims_ledger_prune(ctx->store, (int)days, &pruned)) < 0)
		return err;
	/* every decision log, with its own retention period unless one is given */
	if ((err = aims_decision_logs(&names, &n, ctx->store)) < 0)
		return err;
	if (!(logs = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t k = 0;
		if ((err = aims_decision_prune(ctx->store, names[i], given ? (int)days : 0, &k)) < 0)
			goto done;
		if (json_array_append_new(logs, json_pack("{s:s, s:I}", "system", names[i], "pruned", (json_int_t)k)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (!(res->json = json_pack("{s:I, s:I, s:O}", "retention_days", (json_int_t)days, "pruned", (json_int_t)pruned,
				    "decision_logs", logs)))
		err = aims__oom();
done:
	json_decref(logs);
	aims_decision_logs_free(names, n);
	return err;
}

/* ---- checkpoints ---- */

static int checkpoint_doc(aims_op_result *res, const char *note)
{
	if (!(res->json = json_pack("{s:s, s:s}", "log", AIMS_LEDGER_GOVERNANCE, "checkpoint", note)))
		return aims__oom();
	return 0;
}

static int op_checkpoint_sign(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_note_signer *signer = NULL;
	char *note = NULL;
	int err;
	(void)req;
	if ((err = aims_ledger_signer(&signer, ctx->store)) >= 0 &&
	    (err = aims_ledger_checkpoint(ctx->store, signer, NULL)) >= 0 &&
	    (err = aims_ledger_latest_checkpoint(&note, ctx->store, AIMS_LEDGER_GOVERNANCE)) >= 0)
		err = checkpoint_doc(res, note);
	free(note);
	aims_note_signer_free(signer);
	return err;
}

static int op_checkpoint_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	char *note = NULL;
	int err;
	(void)req;
	if ((err = aims_ledger_latest_checkpoint(&note, ctx->store, AIMS_LEDGER_GOVERNANCE)) >= 0)
		err = checkpoint_doc(res, note);
	free(note);
	return err;
}

static int op_export(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	char *doc = NULL;
	size_t len = 0;
	json_error_t je;
	int err;
	(void)req;
	if ((err = aims_audit_export(&doc, &len, ctx->store)) < 0)
		return err;
	res->json = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
	free(doc);
	if (!res->json)
		return aims__err(AIMS_ERROR, "checkpoint export: not JSON: %s", je.text);
	return 0;
}

#define F_END { NULL, 0, 0, NULL, NULL, NULL }

static const aims_op_field f_none[] = { F_END };
static const aims_op_field f_log[] = {
	{ "object", AIMS_FT_STRING, 0, "ID", "only entries about this object id", NULL },
	F_END
};
static const aims_op_field f_verify[] = {
	{ "vkey", AIMS_FT_LIST, 0, "VKEY", "verifier key to check checkpoint signatures with (default: the recorded one)",
	  NULL },
	{ "system", AIMS_FT_STRING, 0, "NAME", "verify only the decision log of this AI system", NULL },
	{ "trusted", AIMS_FT_FILE, 0, "FILE", "checkpoints exported earlier ('aims ledger checkpoint --export'): every "
	  "log must have grown from them (RFC 9162 consistency)", NULL },
	{ "witness_key", AIMS_FT_LIST, 0, "VKEY", "a witness's cosigner key: its cosignatures on the checkpoints must "
	  "verify", NULL },
	{ "state", AIMS_FT_BOOL, 0, NULL, "compare every governed object with its latest audit entry (the default)",
	  NULL },
	{ "no_state", AIMS_FT_BOOL, 0, NULL, "do not compare the governed objects", NULL },
	F_END
};
static const aims_op_field f_prune[] = {
	{ "retention_days", AIMS_FT_INT, 0, "DAYS", "keep entry bodies this many days (default and minimum 183)", NULL },
	F_END
};

const aims_op aims__ops_ledger[] = {
	{ "ledger.checkpoint", NULL, "GET", "/ledger/checkpoint", "read", AIMS_OP_NOCLI, f_none,
	  "the latest signed checkpoint of the governance log", NULL, NULL, NULL, op_checkpoint_show },
	{ "ledger.checkpoint_sign", NULL, "POST", "/ledger/checkpoint", "ledger.manage", AIMS_OP_WRITE | AIMS_OP_NOCLI,
	  f_none, "sign a checkpoint of the governance log at its current size (unless one exists)", NULL, NULL, NULL,
	  op_checkpoint_sign },
	{ "ledger.export", NULL, "GET", "/ledger/checkpoints", "read", AIMS_OP_NOCLI, f_none,
	  "the current signed checkpoint of every log, to keep outside the store", NULL, NULL, NULL, op_export },
	{ "ledger.log", "ledger log", "GET", "/ledger/entries", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_log,
	  "show the audit trail: every write aims made", "entries", NULL, NULL, op_log },
	{ "ledger.prune", "ledger prune", "POST", "/ledger/prune", "ledger.manage", AIMS_OP_WRITE, f_prune,
	  "drop audit entry bodies older than the retention period, keeping the tree verifiable", NULL, NULL, NULL,
	  op_prune },
	{ "ledger.verify", "ledger verify", "GET", "/ledger/verification", "verify", 0, f_verify,
	  "verify every log and the state of every governed object, read-only", NULL, NULL, NULL, op_verify },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL }
};
