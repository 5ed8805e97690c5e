/*
 * Evaluation results as evidence (ISO/IEC 42001 A.6.2.4, A.6.2.6, A.7.4;
 * clause 9.1 monitoring results): an evaluation run is stored with the
 * digests of its inputs, its parameters, the tool version and its results,
 * linked to the AI system and to the controls it supports, and its
 * canonical record's digest goes into the governance ledger in the same
 * transaction. Stored results are read back for `aims eval list|show`, the
 * system card and the technical documentation pack.
 */
#include <stdlib.h>
#include <string.h>

#include "aims/eval.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "core/core.h"
#include "core/json.h"
#include "store/store_internal.h"
#include "audit/state.h"

const char *aims_eval_controls(const char *kind)
{
	if (!kind)
		return NULL;
	/* verification and validation before release, monitoring in operation */
	if (strcmp(kind, "fairness") == 0 || strcmp(kind, "performance") == 0)
		return "A.6.2.4 A.6.2.6";
	/* monitoring in operation, and the quality of the data the system sees */
	if (strcmp(kind, "drift") == 0)
		return "A.6.2.6 A.7.4";
	return NULL;
}

static int parse_obj(json_t **out, const char *text, const char *what, int array)
{
	int err;
	if (!text)
		return aims__err(AIMS_EUSAGE, "evaluation record: %s is required", what);
	if ((err = aims__json_parse(out, text, strlen(text), what)) < 0)
		return err;
	if (array ? !json_is_array(*out) : !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return aims__err(AIMS_EINVALID, "evaluation record: %s must be a JSON %s", what,
				 array ? "array" : "object");
	}
	return 0;
}

static int check_inputs(json_t *inputs)
{
	size_t i;
	json_t *in;
	if (json_array_size(inputs) == 0)
		return aims__err(AIMS_EINVALID, "evaluation record: inputs: at least one input is required");
	for (i = 0; (in = json_array_get(inputs, i)) != NULL; i++) {
		const char *name = json_string_value(json_object_get(in, "name"));
		const char *sha = json_string_value(json_object_get(in, "sha256"));
		json_t *rows = json_object_get(in, "rows");
		if (!json_is_object(in) || !name || !*name)
			return aims__err(AIMS_EINVALID, "evaluation record: inputs[%zu].name: a non-empty string is required", i);
		if (!sha || strncmp(sha, "sha256:", 7) != 0 || strlen(sha) != 71 ||
		    strspn(sha + 7, "0123456789abcdef") != 64)
			return aims__err(AIMS_EINVALID, "evaluation record: inputs[%zu].sha256: 'sha256:' and 64 hex digits "
					 "are required", i);
		if (!json_is_integer(rows) || json_integer_value(rows) < 0)
			return aims__err(AIMS_EINVALID, "evaluation record: inputs[%zu].rows: a count is required", i);
	}
	return 0;
}

static void fmt_num(aims_buf *b, const char *key, json_t *v)
{
	if (json_is_number(v))
		(void)aims_buf_printf(b, "%s %.4g", key, json_number_value(v));
	else
		(void)aims_buf_printf(b, "%s n/a", key);
}

/* The one-line summary shown by `aims eval list`. */
static char *summarize(const char *kind, json_t *res)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_buf_init(&b, 4096);
	if (strcmp(kind, "fairness") == 0) {
		size_t i;
		json_t *s;
		for (i = 0; (s = json_array_get(json_object_get(res, "sensitive"), i)) != NULL; i++) {
			const char *name = json_string_value(json_object_get(s, "name"));
			(void)aims_buf_printf(&b, "%s%s: ", i ? "; " : "", name ? name : "?");
			fmt_num(&b, "demographic_parity_difference", json_object_get(s, "demographic_parity_difference"));
			(void)aims_buf_puts(&b, ", ");
			fmt_num(&b, "equalized_odds_difference", json_object_get(s, "equalized_odds_difference"));
		}
		size_t nf = json_array_size(json_object_get(res, "flags"));
		(void)aims_buf_printf(&b, "%s%zu flag%s", b.len ? "; " : "", nf, nf == 1 ? "" : "s");
	} else if (strcmp(kind, "performance") == 0) {
		json_t *n = json_object_get(res, "n");
		(void)aims_buf_printf(&b, "n %lld, ", json_is_integer(n) ? (long long)json_integer_value(n) : -1LL);
		fmt_num(&b, "accuracy", json_object_get(res, "accuracy"));
		(void)aims_buf_puts(&b, ", ");
		fmt_num(&b, "f1", json_object_get(res, "f1"));
		(void)aims_buf_puts(&b, ", ");
		fmt_num(&b, "roc_auc", json_object_get(res, "roc_auc"));
	} else {
		json_t *nd = json_object_get(res, "columns_drifted"), *nc = json_object_get(res, "columns_tested");
		json_t *share = json_object_get(res, "drift_share");
		if (json_is_integer(nd) && json_is_integer(nc))
			(void)aims_buf_printf(&b, "%lld of %lld columns drifted", (long long)json_integer_value(nd),
					      (long long)json_integer_value(nc));
		else
			(void)aims_buf_puts(&b, "drift");
		if (json_is_number(share))
			(void)aims_buf_printf(&b, " (share %.4g)", json_number_value(share));
	}
	if (b.len > 300) {
		b.len = 297;
		b.ptr[297] = '\0';
		(void)aims_buf_puts(&b, "...");
	}
	return aims_buf_detach(&b, NULL);
}

int aims_eval_record(char **id, aims_store *store, const char *system, const char *kind,
		     const char *inputs_json, const char *params_json, const char *results_json)
{
	return aims_eval_record_model(id, store, system, NULL, kind, inputs_json, params_json, results_json);
}

int aims_eval_record_model(char **id, aims_store *store, const char *system, const char *model_ref,
			   const char *kind, const char *inputs_json, const char *params_json,
			   const char *results_json)
{
	json_t *inputs = NULL, *params = NULL, *results = NULL, *canon = NULL;
	aims_system *sys = NULL;
	aims_model *model = NULL;
	char mref[600] = "";
	aims__stmt *st = NULL;
	char *summary = NULL, *cj = NULL, *ij = NULL, *pj = NULL, *rj = NULL, *newid = NULL;
	char idbuf[32], now[32], dg[72];
	const char *controls = aims_eval_controls(kind);
	int err, began = 0;

	if (id)
		*id = NULL;
	if (!controls)
		return aims__err(AIMS_EINVALID, "evaluation kind '%s': expected fairness, performance or drift",
				 kind ? kind : "(null)");
	if ((err = parse_obj(&inputs, inputs_json, "inputs", 1)) < 0 ||
	    (err = parse_obj(&params, params_json, "params", 0)) < 0 ||
	    (err = parse_obj(&results, results_json, "results", 0)) < 0 || (err = check_inputs(inputs)) < 0)
		goto done;
	if ((err = aims_system_get(&sys, store, system)) < 0)
		goto done;
	/* the model version evaluated: its digest is what lifecycle gates compare (oversight.h) */
	if (model_ref) {
		if ((err = aims_model_get(&model, store, model_ref)) < 0)
			goto done;
		snprintf(mref, sizeof(mref), "%s@%s", model->name, model->version);
	}
	if (!(summary = summarize(kind, results)) ||
	    !(ij = json_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17))) ||
	    !(pj = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17))) ||
	    !(rj = json_dumps(results, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM eval_results")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	int64_t seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	st = NULL;
	snprintf(idbuf, sizeof(idbuf), "EVAL-%04lld", (long long)seq);
	aims__time_now(now);
	/* canonical record: sorted keys, compact; its digest is what the ledger entry names */
	canon = json_pack("{sssssssssssOsOsOss}", "id", idbuf, "system", system, "kind", kind, "tool_version",
			  "aims " AIMS_VERSION, "recorded_at", now, "inputs", inputs, "params", params, "results",
			  results, "controls", controls);
	if (canon && model && (json_object_set_new(canon, "model", json_string(mref)) < 0 ||
			       json_object_set_new(canon, "model_digest", model->digest ? json_string(model->digest) : json_null()) < 0)) {
		err = aims__oom();
		goto done;
	}
	if (!canon || !(cj = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_ledger_digest(dg, cj, strlen(cj))) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO eval_results (id, seq, system, kind, tool_version, "
				      "inputs, params, results, controls, summary, digest, recorded_at, model, model_digest) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, idbuf)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, sys->name)) < 0 || (err = aims__stmt_bind_text(st, 4, kind)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, "aims " AIMS_VERSION)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, ij)) < 0 || (err = aims__stmt_bind_text(st, 7, pj)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, rj)) < 0 || (err = aims__stmt_bind_text(st, 9, controls)) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, summary)) < 0 || (err = aims__stmt_bind_text(st, 11, dg)) < 0 ||
	    (err = aims__stmt_bind_text(st, 12, now)) < 0 ||
	    (err = model ? aims__stmt_bind_text(st, 13, mref) : aims__stmt_bind_null(st, 13)) < 0 ||
	    (err = model && model->digest ? aims__stmt_bind_text(st, 14, model->digest) : aims__stmt_bind_null(st, 14)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	const char *p = controls;
	while (*p) {
		size_t n = strcspn(p, " ");
		char ctl[32];
		snprintf(ctl, sizeof(ctl), "%.*s", (int)n, p);
		if ((err = aims__stmt_prepare(&st, store, "INSERT INTO eval_controls (eval, control) VALUES (?, ?)")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, idbuf)) < 0 || (err = aims__stmt_bind_text(st, 2, ctl)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
		p += n;
		while (*p == ' ')
			p++;
	}
	if ((err = aims_ledger_append(store, "record", "evaluation", idbuf, dg, NULL)) < 0)
		goto done;
	if (id && !(newid = aims__strdup(idbuf))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (id) {
		*id = newid;
		newid = NULL;
	}
done:
	if (began)
		aims_store_rollback(store);
	aims__stmt_free(st);
	aims_system_free(sys);
	aims_model_free(model);
	json_decref(inputs);
	json_decref(params);
	json_decref(results);
	json_decref(canon);
	aims__free(summary);
	aims__free(cj);
	aims__free(ij);
	aims__free(pj);
	aims__free(rj);
	aims__free(newid);
	return err;
}

/* ---- reading back ---- */

#define COLS "id, system, kind, recorded_at, controls, summary, tool_version, digest, model, model_digest, " \
	     "inputs, params, results"

static void result_release(aims_eval_result *r)
{
	aims__free(r->id);
	aims__free(r->system);
	aims__free(r->kind);
	aims__free(r->recorded_at);
	aims__free(r->controls);
	aims__free(r->summary);
	aims__free(r->tool_version);
	aims__free(r->digest);
	aims__free(r->model);
	aims__free(r->model_digest);
	aims__free(r->inputs);
	aims__free(r->params);
	aims__free(r->results);
	memset(r, 0, sizeof(*r));
}

static int result_read(aims_eval_result *r, aims__stmt *st, int full)
{
	int err;
	char **f[] = { &r->id, &r->system, &r->kind, &r->recorded_at, &r->controls, &r->summary,
		       &r->tool_version, &r->digest, &r->model, &r->model_digest, &r->inputs, &r->params, &r->results };
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < (full ? 13 : 10); i++)
		if ((err = aims__stmt_text_dup(f[i], st, i)) < 0) {
			result_release(r);
			return err;
		}
	return 0;
}

int aims_eval_list(aims_eval_results **out, aims_store *store, const char *system, const char *kind)
{
	aims__stmt *st = NULL;
	aims_eval_results *l = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT " COLS " FROM eval_results WHERE (CAST(? AS TEXT) IS NULL OR system = ?) "
				      "AND (CAST(? AS TEXT) IS NULL OR kind = ?) ORDER BY seq")) < 0)
		goto fail;
	for (int i = 0; i < 2; i++) {
		const char *v = i == 0 ? system : kind;
		if ((err = v ? aims__stmt_bind_text(st, 2 * i + 1, v) : aims__stmt_bind_null(st, 2 * i + 1)) < 0 ||
		    (err = v ? aims__stmt_bind_text(st, 2 * i + 2, v) : aims__stmt_bind_null(st, 2 * i + 2)) < 0)
			goto fail;
	}
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(*l->items))) < 0)
			goto fail;
		if ((err = result_read(&l->items[l->count], st, 0)) < 0)
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
	aims_eval_results_free(l);
	return err;
}

void aims_eval_results_free(aims_eval_results *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		result_release(&list->items[i]);
	aims__free(list->items);
	aims__free(list);
}

int aims_eval_get(aims_eval_result **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	aims_eval_result *r = NULL;
	int err;

	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " COLS " FROM eval_results WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "evaluation '%s' not found", id);
		goto done;
	}
	if (!(r = aims__calloc(1, sizeof(*r)))) {
		err = aims__oom();
		goto done;
	}
	if ((err = result_read(r, st, 1)) < 0) {
		aims__free(r);
		r = NULL;
		goto done;
	}
	*out = r;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

void aims_eval_result_free(aims_eval_result *res)
{
	if (!res)
		return;
	result_release(res);
	aims__free(res);
}

/* ---- state against the ledger ---- */

/* an evaluation's audit entry names the digest of its canonical record, rebuilt here from the row */
int aims__evaluation_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, system, kind, tool_version, recorded_at, inputs, params, "
				      "results, controls, model, model_digest FROM eval_results ORDER BY seq")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *t[9];
		json_t *in = NULL, *pa = NULL, *re = NULL, *canon = NULL;
		char *cj = NULL;
		for (int c = 0; c < 9; c++)
			t[c] = aims__stmt_text(st, c) ? aims__stmt_text(st, c) : "";
		in = json_loads(t[5], JSON_DECODE_ANY, NULL);
		pa = json_loads(t[6], JSON_DECODE_ANY, NULL);
		re = json_loads(t[7], JSON_DECODE_ANY, NULL);
		/* a column that is no longer JSON cannot give the recorded digest */
		if (in && pa && re)
			canon = json_pack("{sssssssssssOsOsOss}", "id", t[0], "system", t[1], "kind", t[2], "tool_version",
					  t[3], "recorded_at", t[4], "inputs", in, "params", pa, "results", re,
					  "controls", t[8]);
		/* an evaluation of a model version names it and its digest (aims_eval_record_model) */
		if (canon && aims__stmt_text(st, 9) &&
		    (json_object_set_new(canon, "model", json_string(aims__stmt_text(st, 9))) < 0 ||
		     json_object_set_new(canon, "model_digest", aims__stmt_text(st, 10) ? json_string(aims__stmt_text(st, 10))
										: json_null()) < 0)) {
			json_decref(canon);
			canon = NULL;
		}
		if (canon && (cj = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17))))
			err = aims_ledger_digest(dg, cj, strlen(cj));
		else if (!in || !pa || !re)
			err = aims_ledger_digest(dg, t[7], strlen(t[7]));
		else
			err = aims__oom();
		free(cj);
		json_decref(canon);
		json_decref(in);
		json_decref(pa);
		json_decref(re);
		if (err < 0 || (err = emit(arg, "evaluation", t[0], dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_eval_record_binary(char **id, aims_store *store, const char *system, const char *model_ref, const char *kind,
			    const char *result)
{
	json_t *rj = json_loads(result, 0, NULL);
	if (!rj)
		return aims__err(AIMS_EINVALID, "%s result: not JSON", kind);
	json_t *in = json_object_get(rj, "input");
	json_t *arr = json_pack("[{s:O, s:O, s:O}]", "name", json_object_get(in, "name"), "sha256",
				json_object_get(in, "sha256"), "rows", json_object_get(in, "rows_read"));
	char *inputs = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	char *params = json_dumps(json_object_get(rj, "params"), JSON_COMPACT);
	int err = inputs && params ? aims_eval_record_model(id, store, system, model_ref, kind, inputs, params, result)
				   : aims__oom();
	json_decref(arr);
	json_decref(rj);
	free(inputs);
	free(params);
	return err;
}
