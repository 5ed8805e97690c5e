/*
 * Operations of the evaluation module (aims eval fairness | performance |
 * drift | list | show; /api/v1/evaluations), and the JSON of a stored
 * evaluation result, built once here for the command line and the API.
 *
 * The data of an evaluation is a stream (AIMS_FT_INPUT): on the command
 * line the file named by --data (--ref and --cur for drift), read in
 * chunks with bounded memory; over HTTP the request body or, for drift, the
 * parts "ref" and "cur" of a multipart/form-data body. Without data, the
 * decision log of --system is read. An evaluation of a file needs no store
 * (AIMS_OP_STORE_OPTIONAL); `system` (a decision log, or the AI system
 * evidence is linked to) does.
 *
 * Permissions: evaluating is a read (permission "read"); --record stores
 * the result as evidence, a write that needs "eval.record" too, checked
 * here before any data is read. The ledger entry of the record names the
 * acting principal.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "aims/drift.h"
#include "aims/eval.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

#define HTML_TYPE "text/html; charset=utf-8"
/* column names given to drift's --columns, --numeric and --categorical (after splitting commas) */
#define MAX_NAMES 1024

/* an error about one request field (named for problem documents) */
static int req_err(int code, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int req_err(int code, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	aims__err_set(code, "%s", msg);
	aims__err_set_field(field);
	return code;
}

/* the JSON document goes with a rendered one on the command line (which prints it for people beside the
   file); over HTTP the rendered document is the answer */
static int want_json(const aims_op_ctx *ctx, const json_t *req)
{
	return !aims_req_str(req, "format") || !ctx->client || strcmp(ctx->client, "http") != 0;
}

static int set_html(aims_op_result *res, char *html, size_t len)
{
	aims_buf_release(&res->body);
	aims_buf_init(&res->body, 0);
	int err = aims_buf_put(&res->body, html, len);
	aims__free(html);
	if (err < 0)
		return err;
	res->content_type = HTML_TYPE;
	return 0;
}

/* ---- the JSON of a stored result ---- */

json_t *aims_eval_result_json(const aims_eval_result *r)
{
	json_t *ctl = json_array(), *j;
	const char *p = r->controls ? r->controls : "";
	if (!ctl)
		return NULL;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (json_array_append_new(ctl, json_stringn(p, n)) < 0) {
			json_decref(ctl);
			return NULL;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	j = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", aims_json_str(r->id), "system",
		      aims_json_str(r->system), "kind", aims_json_str(r->kind), "recorded_at",
		      aims_json_str(r->recorded_at), "controls", ctl, "summary", aims_json_str(r->summary),
		      "tool_version", aims_json_str(r->tool_version), "digest", aims_json_str(r->digest));
	if (j && (json_object_set_new(j, "model", aims_json_str(r->model)) < 0 ||
		  json_object_set_new(j, "model_digest", aims_json_str(r->model_digest)) < 0)) {
		json_decref(j);
		return NULL;
	}
	if (j && r->inputs &&
	    (json_object_set_new(j, "inputs", json_loads(r->inputs, 0, NULL)) < 0 ||
	     json_object_set_new(j, "params", json_loads(r->params ? r->params : "{}", 0, NULL)) < 0 ||
	     json_object_set_new(j, "results", json_loads(r->results ? r->results : "{}", 0, NULL)) < 0)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* ---- fairness and performance ---- */

static int count_field(unsigned *out, const json_t *req, const char *field, const char *opt)
{
	if (!aims_req_has(req, field))
		return 0;
	int64_t v = aims_req_int(req, field, 0);
	if (v < 1 || v > 1000000)
		return req_err(AIMS_EUSAGE, field, "--%s '%lld': expected a whole number from 1 to 1000000", opt,
			       (long long)v);
	*out = (unsigned)v;
	return 0;
}

static int op_binary(aims_op_result *res, aims_op_ctx *ctx, const json_t *req, int fairness)
{
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	const char *kind = fairness ? "fairness" : "performance";
	const char *system = aims_req_str(req, "system"), *since = aims_req_str(req, "since");
	const char *until = aims_req_str(req, "until"), *dname = NULL;
	const char **groups = NULL;
	size_t ngroups = 0;
	int record = aims_req_bool(req, "record"), err;
	FILE *data = aims_op_input(ctx, "data", &dname);
	aims_rows *rows = NULL;
	char *result = NULL, *id = NULL, *html = NULL;
	size_t hlen = 0;
	json_t *rj = NULL;

	o.label = aims_req_str(req, "label");
	o.pred = aims_req_str(req, "pred");
	o.score = aims_req_str(req, "score");
	o.pos_label = aims_req_str(req, "pos_label");
	if (!data && !system)
		return req_err(AIMS_EUSAGE, "data", "the data: --data FILE, or --system NAME for its decision log");
	if (data && (since || until))
		return req_err(AIMS_EUSAGE, since ? "since" : "until",
			       "--since/--until select decision-log records: use them without --data");
	if (record && !system)
		return req_err(AIMS_EUSAGE, "system", "--record needs --system NAME (the AI system the evidence is for)");
	if (aims_req_has(req, "model") && !record)
		return req_err(AIMS_EUSAGE, "model", "--model names the model version of recorded evidence: use it with "
			       "--record");
	if (fairness) {
		if ((err = aims_req_list(&groups, &ngroups, req, "group")) < 0)
			return err;
		if (ngroups == 0)
			err = req_err(AIMS_EUSAGE, "group", "at least one --group COL is required");
		else if (ngroups > AIMS_EVAL_MAX_GROUPS)
			err = req_err(AIMS_EUSAGE, "group", "at most %d --group columns", AIMS_EVAL_MAX_GROUPS);
		else if ((err = count_field(&o.min_group_size, req, "min_group_size", "min-group-size")) == 0)
			err = count_field(&o.min_class_count, req, "min_class_count", "min-class-count");
		if (err < 0)
			goto done;
		o.groups = groups;
		o.ngroups = ngroups;
		o.reference = aims_req_str(req, "reference");
	}
	/* storing evidence is a write: its permission is checked before any data is read */
	if (record && (err = aims_permission_check(ctx->principal, "eval.record")) < 0)
		goto done;
	if ((err = data ? aims_rows_open_stream(&rows, data, dname)
			: aims_rows_open_decisions(&rows, ctx->store, system, since, until)) < 0 ||
	    (err = aims_eval_binary(fairness ? &result : NULL, fairness ? NULL : &result, rows, &o)) < 0)
		goto done;
	if (!(rj = json_loads(result, 0, NULL))) {
		err = aims__oom();
		goto done;
	}
	if (record) {
		if ((err = aims_eval_record_binary(&id, ctx->store, system, aims_req_str(req, "model"), kind, result)) < 0)
			goto done;
		res->wrote = 1;
		if (json_object_set_new(rj, "evaluation_id", json_string(id)) < 0) {
			err = aims__oom();
			goto done;
		}
	}
	if (aims_req_str(req, "format")) {
		if ((err = aims_eval_report_html(&html, &hlen, kind, result)) < 0 || (err = set_html(res, html, hlen)) < 0)
			goto done;
	}
	if (want_json(ctx, req)) {
		res->json = rj;
		rj = NULL;
	}
	err = 0;
done:
	json_decref(rj);
	aims__free(groups);
	free(result);
	free(id);
	aims_rows_free(rows);
	return err;
}

static int op_fairness(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return op_binary(res, ctx, req, 1);
}

static int op_performance(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return op_binary(res, ctx, req, 0);
}

/* ---- drift ---- */

/* every value of a comma-list field split into names (borrowed from the copies in *store) */
static int split_names(const json_t *req, const char *field, char **store, const char **names, size_t *n)
{
	const char **vals = NULL;
	size_t nv = 0, total = 0;
	char *p;
	int err;

	*n = 0;
	*store = NULL;
	if ((err = aims_req_list(&vals, &nv, req, field)) < 0 || nv == 0)
		return err;
	for (size_t i = 0; i < nv; i++)
		total += strlen(vals[i]) + 1;
	if (!(*store = aims__malloc(total + 1))) {
		aims__free(vals);
		return aims__oom();
	}
	p = *store;
	for (size_t i = 0; i < nv; i++) {
		size_t len = strlen(vals[i]);
		char *s = p;
		memcpy(p, vals[i], len + 1);
		p += len + 1;
		for (;;) {
			char *comma = strchr(s, ',');
			if (comma)
				*comma = '\0';
			if (*s) {
				if (*n >= MAX_NAMES) {
					aims__free(vals);
					return req_err(AIMS_EUSAGE, field, "too many column names (at most %d)", MAX_NAMES);
				}
				names[(*n)++] = s;
			}
			if (!comma)
				break;
			s = comma + 1;
		}
	}
	aims__free(vals);
	return 0;
}

static int drift_options(aims_drift_options *o, const json_t *req)
{
	if (aims_req_has(req, "alpha")) {
		o->ks_alpha = o->chi2_alpha = aims_req_num(req, "alpha", 0);
		if (!(o->ks_alpha > 0 && o->ks_alpha < 1))
			return req_err(AIMS_EUSAGE, "alpha", "--alpha: '%g' is not a number between 0 and 1", o->ks_alpha);
	}
	if (aims_req_has(req, "psi_threshold")) {
		o->psi_threshold = aims_req_num(req, "psi_threshold", 0);
		if (!(o->psi_threshold > 0) || !isfinite(o->psi_threshold))
			return req_err(AIMS_EUSAGE, "psi_threshold", "--psi-threshold: '%g' is not a positive number",
				       o->psi_threshold);
	}
	if (aims_req_has(req, "share_threshold")) {
		o->share_threshold = aims_req_num(req, "share_threshold", 0);
		if (!(o->share_threshold > 0 && o->share_threshold <= 1))
			return req_err(AIMS_EUSAGE, "share_threshold", "--share-threshold: '%g' is not a number in (0, 1]",
				       o->share_threshold);
	}
	if (aims_req_has(req, "max_exact")) {
		int64_t n = aims_req_int(req, "max_exact", 0);
		if (n < 1)
			return req_err(AIMS_EUSAGE, "max_exact", "--max-exact: '%lld' is not a positive integer", (long long)n);
		o->max_exact = (uint64_t)n;
	}
	if (aims_req_has(req, "sketch_k")) {
		int64_t k = aims_req_int(req, "sketch_k", 0);
		if (k < 16 || k > 100000000)
			return req_err(AIMS_EUSAGE, "sketch_k", "--sketch-k: '%lld' is not an integer from 16 to 100000000",
				       (long long)k);
		o->sketch_k = (size_t)k;
	}
	return 0;
}

static int op_drift(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_drift_options opts = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift_source ref = { 0 }, cur = { 0 };
	aims_drift *d = NULL;
	aims_buf json = AIMS_BUF_INIT, inputs = AIMS_BUF_INIT, params = AIMS_BUF_INIT, html = AIMS_BUF_INIT;
	const char **cols = NULL, **nums = NULL, **cats = NULL;
	char *s1 = NULL, *s2 = NULL, *s3 = NULL, *id = NULL;
	const char *system = aims_req_str(req, "system"), *rname = NULL, *cname = NULL;
	FILE *rf = aims_op_input(ctx, "ref", &rname), *cf = aims_op_input(ctx, "cur", &cname);
	int record = aims_req_bool(req, "record"), err;
	json_t *o = NULL;

	if (!(cols = aims__calloc(3 * MAX_NAMES, sizeof(*cols))))
		return aims__oom();
	nums = cols + MAX_NAMES;
	cats = cols + 2 * MAX_NAMES;
	if ((err = split_names(req, "columns", &s1, cols, &opts.ncolumns)) < 0 ||
	    (err = split_names(req, "numeric", &s2, nums, &opts.nnumeric)) < 0 ||
	    (err = split_names(req, "categorical", &s3, cats, &opts.ncategorical)) < 0 ||
	    (err = drift_options(&opts, req)) < 0)
		goto done;
	opts.columns = opts.ncolumns ? cols : NULL;
	opts.numeric = nums;
	opts.categorical = cats;
	if (system) {
		if (rf || cf) {
			err = req_err(AIMS_EUSAGE, rf ? "ref" : "cur",
				      "--system compares windows of a decision log: leave out --ref and --cur");
			goto done;
		}
		ref.store = cur.store = ctx->store;
		ref.system = cur.system = system;
		ref.since = aims_req_str(req, "ref_since");
		ref.until = aims_req_str(req, "ref_until");
		cur.since = aims_req_str(req, "since");
		cur.until = aims_req_str(req, "until");
		if (!ref.since && !ref.until && !cur.since && !cur.until) {
			err = req_err(AIMS_EUSAGE, "since",
				      "--system needs time windows: --ref-since/--ref-until and --since/--until");
			goto done;
		}
	} else {
		if (record) {
			err = req_err(AIMS_EUSAGE, "record", "--record needs --system: evidence is linked to an AI system");
			goto done;
		}
		static const char *const windows[] = { "ref_since", "ref_until", "since", "until" };
		for (size_t i = 0; i < 4; i++)
			if (aims_req_has(req, windows[i])) {
				err = req_err(AIMS_EUSAGE, windows[i], "time windows need --system");
				goto done;
			}
		if (!rf || !cf) {
			err = req_err(AIMS_EUSAGE, rf ? "cur" : "ref", "give --ref FILE and --cur FILE (or --system NAME)");
			goto done;
		}
		ref.stream = rf;
		ref.path = rname;
		cur.stream = cf;
		cur.path = cname;
	}
	if (aims_req_has(req, "model") && !record) {
		err = req_err(AIMS_EUSAGE, "model", "--model names the model version of recorded evidence: use it with "
			      "--record");
		goto done;
	}
	if (record && (err = aims_permission_check(ctx->principal, "eval.record")) < 0)
		goto done;
	if ((err = aims_drift_run(&d, &ref, &cur, &opts)) < 0 || (err = aims_drift_json(&json, d)) < 0)
		goto done;
	if (aims_req_str(req, "format")) {
		/* a decision log's report names the store it came from */
		if ((err = aims_drift_html(&html, d, system ? ctx->store : NULL)) < 0)
			goto done;
		res->body = html;
		aims_buf_init(&html, 0);
		res->content_type = HTML_TYPE;
	}
	if (record) {
		if ((err = aims_drift_inputs_json(&inputs, d)) < 0 || (err = aims_drift_params_json(&params, d)) < 0 ||
		    (err = aims_eval_record_model(&id, ctx->store, system, aims_req_str(req, "model"), "drift", inputs.ptr,
						  params.ptr, json.ptr)) < 0)
			goto done;
		res->wrote = 1;
	}
	if (!(o = json_loads(json.ptr, 0, NULL)) || (id && json_object_set_new(o, "evaluation_id", json_string(id)) < 0)) {
		err = aims__oom();
		goto done;
	}
	if (aims_req_bool(req, "check") && aims_drift_dataset(d))
		res->outcome = AIMS_EDENIED;
	if (want_json(ctx, req)) {
		res->json = o;
		o = NULL;
	}
	err = 0;
done:
	json_decref(o);
	aims__free(cols);
	aims__free(s1);
	aims__free(s2);
	aims__free(s3);
	free(id);
	aims_buf_release(&json);
	aims_buf_release(&inputs);
	aims_buf_release(&params);
	aims_buf_release(&html);
	aims_drift_free(d);
	return err;
}

/* ---- stored results ---- */

static int op_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_eval_results *l = NULL;
	json_t *a = NULL;
	int err;
	if ((err = aims_eval_list(&l, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "kind"))) < 0)
		return err;
	if (!(a = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < l->count; i++)
		if (json_array_append_new(a, aims_eval_result_json(&l->items[i])) < 0) {
			err = aims__oom();
			goto done;
		}
	if (!(res->json = json_pack("{s:o}", "evaluations", a))) {
		a = NULL;
		err = aims__oom();
		goto done;
	}
	a = NULL;
	err = 0;
done:
	json_decref(a);
	aims_eval_results_free(l);
	return err;
}

static int op_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_eval_result *r = NULL;
	char *html = NULL;
	size_t hlen = 0;
	int err;
	if ((err = aims_eval_get(&r, ctx->store, aims_req_str(req, "id"))) < 0)
		return err;
	if (aims_req_str(req, "format") && ((err = aims_eval_report_html(&html, &hlen, r->kind, r->results)) < 0 ||
					    (err = set_html(res, html, hlen)) < 0))
		goto done;
	if (want_json(ctx, req) && !(res->json = aims_eval_result_json(r)))
		err = aims__oom();
done:
	aims_eval_result_free(r);
	return err;
}

/* ---- the table ---- */

static const char *const html_formats[] = { "html", NULL };

#define BINARY_FIELDS \
	{ "data", AIMS_FT_INPUT, 0, "FILE", "the decisions: CSV or NDJSON, gzip allowed, '-' for standard input", NULL }, \
	{ "label", AIMS_FT_STRING, AIMS_FF_REQUIRED, "COL", "column of the true outcome (required)", NULL }, \
	{ "pred", AIMS_FT_STRING, AIMS_FF_REQUIRED, "COL", "column of the predicted outcome (required)", NULL }, \
	{ "score", AIMS_FT_STRING, 0, "COL", "column of the positive-class score, a number from 0 to 1", NULL }, \
	{ "pos_label", AIMS_FT_STRING, 0, "V", "the positive (favourable) value of label and prediction (default: 1 or " \
	  "true)", NULL }, \
	{ "system", AIMS_FT_STRING, AIMS_FF_STORE, "NAME", "the AI system: its decision log is the data unless --data " \
	  "is given; with --record the evidence is linked to it", NULL }, \
	{ "since", AIMS_FT_STRING, 0, "TIME", "decision log: only records at or after TIME (RFC 3339)", NULL }, \
	{ "until", AIMS_FT_STRING, 0, "TIME", "decision log: only records before TIME (RFC 3339)", NULL }, \
	{ "record", AIMS_FT_BOOL, 0, NULL, "store the result as evaluation evidence of --system and print its id " \
	  "(permission eval.record)", NULL }, \
	{ "model", AIMS_FT_STRING, 0, "NAME@VER", "with --record: the model version evaluated (its digest is kept; " \
	  "gates count the evaluation only for that model)", NULL }

static const aims_op_field f_fairness[] = {
	BINARY_FIELDS,
	{ "group", AIMS_FT_LIST, 0, "COL", "a sensitive column (repeatable; several give their intersection too)", NULL },
	{ "reference", AIMS_FT_STRING, 0, "GROUP", "the reference group for disparate impact (default: the largest group)",
	  NULL },
	{ "min_group_size", AIMS_FT_INT, 0, "N", "groups with fewer rows are flagged small (default 30)", NULL },
	{ "min_class_count", AIMS_FT_INT, 0, "N", "groups with fewer positive or negative labels are flagged small "
	  "(default 5)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_performance[] = {
	BINARY_FIELDS,
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_drift[] = {
	{ "ref", AIMS_FT_INPUT, 0, "FILE", "the reference data (CSV or NDJSON, gzip allowed)", NULL },
	{ "cur", AIMS_FT_INPUT, 0, "FILE", "the current data to compare with the reference", NULL },
	{ "columns", AIMS_FT_LIST, 0, "A,B", "compare only these columns (default: every column of the reference; "
	  "repeatable)", NULL },
	{ "numeric", AIMS_FT_LIST, 0, "A,B", "treat these columns as numeric (a non-number is then an error; repeatable)",
	  NULL },
	{ "categorical", AIMS_FT_LIST, 0, "A,B", "treat these columns as categorical (repeatable)", NULL },
	{ "alpha", AIMS_FT_NUMBER, 0, "P", "p-value threshold of the KS and chi-square tests (default 0.05)", NULL },
	{ "psi_threshold", AIMS_FT_NUMBER, 0, "X", "PSI at or above this is drift (default 0.2)", NULL },
	{ "share_threshold", AIMS_FT_NUMBER, 0, "X", "dataset drift when this share of columns drifted (default 0.5)",
	  NULL },
	{ "max_exact", AIMS_FT_INT, 0, "N", "values per column and side kept for the exact KS statistic; above, a "
	  "quantile sketch with a stated error bound (default 10000000)", NULL },
	{ "sketch_k", AIMS_FT_INT, 0, "K", "buffer size of the quantile sketch (default 32768; rank error at most "
	  "log2(n/K)/(2K))", NULL },
	{ "system", AIMS_FT_STRING, AIMS_FF_STORE, "NAME", "compare two windows of this AI system's decision log "
	  "instead of files", NULL },
	{ "ref_since", AIMS_FT_STRING, 0, "TIME", "with --system: start of the reference window (RFC 3339, inclusive)",
	  NULL },
	{ "ref_until", AIMS_FT_STRING, 0, "TIME", "with --system: end of the reference window (exclusive)", NULL },
	{ "since", AIMS_FT_STRING, 0, "TIME", "with --system: start of the current window (inclusive)", NULL },
	{ "until", AIMS_FT_STRING, 0, "TIME", "with --system: end of the current window (exclusive)", NULL },
	{ "record", AIMS_FT_BOOL, 0, NULL, "with --system: store the result as evaluation evidence and print its id "
	  "(permission eval.record)", NULL },
	{ "model", AIMS_FT_STRING, 0, "NAME@VER", "with --record: the model version whose data this is (its digest is "
	  "kept; gates count the evaluation only for that model)", NULL },
	{ "check", AIMS_FT_BOOL, 0, NULL, "exit 1 when the dataset drifted", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_list[] = {
	{ "system", AIMS_FT_STRING, 0, "NAME", "only the results of this AI system", NULL },
	{ "kind", AIMS_FT_STRING, 0, "KIND", "only fairness, performance or drift results", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_show[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the evaluation, EVAL-NNNN", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_eval[] = {
	{ "eval.drift", "eval drift", "POST", "/evaluations/drift", "read", AIMS_OP_STORE_OPTIONAL, f_drift,
	  "data drift between reference and current data: KS, chi-square, Wasserstein, Jensen-Shannon, PSI", NULL,
	  NULL, html_formats, op_drift },
	{ "eval.fairness", "eval fairness", "POST", "/evaluations/fairness", "read", AIMS_OP_STORE_OPTIONAL,
	  f_fairness, "group fairness of a binary classifier: rates per group, Fairlearn aggregates, disparate impact",
	  NULL, NULL, html_formats, op_fairness },
	{ "eval.list", "eval list", "GET", "/evaluations", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_list, "list stored evaluation results",
	  "evaluations", NULL, NULL, op_list },
	{ "eval.performance", "eval performance", "POST", "/evaluations/performance", "read", AIMS_OP_STORE_OPTIONAL,
	  f_performance, "model performance of a binary classifier: accuracy, F1, ROC AUC, log loss, Brier, calibration",
	  NULL, NULL, html_formats, op_performance },
	{ "eval.show", "eval show", "GET", "/evaluations/{id}", "read", AIMS_OP_CACHEABLE, f_show, "show a stored evaluation result",
	  NULL, NULL, html_formats, op_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
