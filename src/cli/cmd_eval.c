/*
 * aims eval fairness | performance | list | show: group fairness and model
 * performance of a binary classifier from a CSV/NDJSON file or an AI
 * system's decision log, as a table, JSON or an HTML report, optionally
 * stored as evaluation evidence; and the stored results. Definitions and
 * JSON keys: docs/evaluation.md. (aims eval drift is in cmd_eval_drift.c.)
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#define COMMON_OPTS \
	{ "data", "FILE", "the decisions: CSV or NDJSON, gzip allowed, '-' for standard input", OPT_VALUE }, \
	{ "label", "COL", "column of the true outcome (required)", OPT_VALUE }, \
	{ "pred", "COL", "column of the predicted outcome (required)", OPT_VALUE }, \
	{ "score", "COL", "column of the positive-class score, a number from 0 to 1", OPT_VALUE }, \
	{ "pos-label", "V", "the positive (favourable) value of label and prediction (default: 1 or true)", \
	  OPT_VALUE }, \
	{ "system", "NAME", "the AI system: its decision log is the data unless --data is given; with --record " \
	  "the evidence is linked to it", OPT_VALUE }, \
	{ "since", "TIME", "decision log: only records at or after TIME (RFC 3339)", OPT_VALUE }, \
	{ "until", "TIME", "decision log: only records before TIME (RFC 3339)", OPT_VALUE }, \
	{ "record", NULL, "store the result as evaluation evidence of --system and print its id", 0 }, \
	{ "model", "NAME@VER", "with --record: the model version evaluated (its digest is kept; gates count " \
	  "the evaluation only for that model)", OPT_VALUE }, \
	{ "html", "FILE", "also write a self-contained HTML report", OPT_VALUE }, \
	{ "json", NULL, "print JSON", 0 }

const cli_opt cmd_eval_fairness_opts[] = {
	COMMON_OPTS,
	{ "group", "COL", "a sensitive column (repeatable; several give their intersection too)",
	  OPT_VALUE | OPT_MULTI },
	{ "reference", "GROUP", "the reference group for disparate impact (default: the largest group)", OPT_VALUE },
	{ "min-group-size", "N", "groups with fewer rows are flagged small (default 30)", OPT_VALUE },
	{ "min-class-count", "N", "groups with fewer positive or negative labels are flagged small (default 5)",
	  OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_eval_performance_opts[] = {
	COMMON_OPTS,
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_eval_list_opts[] = {
	{ "system", "NAME", "only the results of this AI system", OPT_VALUE },
	{ "kind", "KIND", "only fairness, performance or drift results", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_eval_show_opts[] = {
	{ "html", "FILE", "also write the stored result as an HTML report (fairness, performance)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* ---- text output ---- */

static const char *num(char *buf, size_t n, json_t *v, const char *fmt)
{
	if (!json_is_number(v))
		return "-";
	snprintf(buf, n, fmt, json_number_value(v));
	return buf;
}

static void print_undefined(json_t *undef, const char *indent)
{
	const char *k;
	json_t *v;
	for (void *it = json_object_iter(undef); it && (k = json_object_iter_key(it)) != NULL &&
	     (v = json_object_iter_value(it)) != NULL; it = json_object_iter_next(undef, it))
		printf("%s%s: undefined (%s)\n", indent, k, json_string_value(v));
}

static void print_fairness(json_t *r)
{
	size_t i;
	json_t *s;
	json_t *in = json_object_get(r, "input");
	printf("%s: %lld rows read, %lld used, %lld skipped (missing values)\n",
	       json_string_value(json_object_get(in, "name")), json_integer_value(json_object_get(in, "rows_read")),
	       json_integer_value(json_object_get(in, "rows_used")),
	       json_integer_value(json_object_get(in, "rows_skipped")));
	for (i = 0; (s = json_array_get(json_object_get(r, "sensitive"), i)) != NULL; i++) {
		static const char *const hdr[] = { "group", "n", "selection", "tpr", "fpr", "precision", "accuracy",
						   "impact", "4/5", "small" };
		cli_table *t = cli_table_new(10, hdr);
		size_t g;
		json_t *gj;
		printf("\n%s (reference: %s, %s)\n", json_string_value(json_object_get(s, "name")),
		       json_string_value(json_object_get(s, "reference")),
		       json_string_value(json_object_get(s, "reference_rule")));
		for (g = 0; (gj = json_array_get(json_object_get(s, "groups"), g)) != NULL; g++) {
			char b[8][32];
			json_t *ff = json_object_get(gj, "four_fifths");
			snprintf(b[0], sizeof(b[0]), "%lld", json_integer_value(json_object_get(gj, "n")));
			const char *cells[10] = {
				json_string_value(json_object_get(gj, "group")), b[0],
				num(b[1], 32, json_object_get(gj, "selection_rate"), "%.4f"),
				num(b[2], 32, json_object_get(gj, "tpr"), "%.4f"),
				num(b[3], 32, json_object_get(gj, "fpr"), "%.4f"),
				num(b[4], 32, json_object_get(gj, "precision"), "%.4f"),
				num(b[5], 32, json_object_get(gj, "accuracy"), "%.4f"),
				num(b[6], 32, json_object_get(gj, "disparate_impact"), "%.4f"),
				json_is_true(ff) ? "ok" : json_is_false(ff) ? "FAIL" : "-",
				json_is_true(json_object_get(gj, "small")) ? "yes" : ""
			};
			cli_table_add(t, cells);
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		static const char *const agg[] = { "demographic_parity_difference", "demographic_parity_ratio",
						   "equalized_odds_difference", "equalized_odds_ratio",
						   "equal_opportunity_difference", "equal_opportunity_ratio" };
		for (size_t a = 0; a < 6; a++) {
			char b[32];
			printf("  %-30s %s\n", agg[a], num(b, sizeof(b), json_object_get(s, agg[a]), "%.6f"));
		}
		print_undefined(json_object_get(s, "undefined"), "  ");
	}
	for (i = 0; (s = json_array_get(json_object_get(r, "flags"), i)) != NULL; i++)
		printf("%sflag: %s\n", i ? "" : "\n", json_string_value(s));
}

static void print_performance(json_t *r)
{
	json_t *in = json_object_get(r, "input"), *cm = json_object_get(r, "confusion_matrix");
	static const char *const keys[] = { "accuracy", "precision", "recall", "f1", "roc_auc", "log_loss",
					    "brier", "ece" };
	printf("%s: %lld rows read, %lld used, %lld skipped (missing values)\n",
	       json_string_value(json_object_get(in, "name")), json_integer_value(json_object_get(in, "rows_read")),
	       json_integer_value(json_object_get(in, "rows_used")),
	       json_integer_value(json_object_get(in, "rows_skipped")));
	printf("n %lld: %lld positive, %lld negative labels\n", json_integer_value(json_object_get(r, "n")),
	       json_integer_value(json_object_get(r, "positives")), json_integer_value(json_object_get(r, "negatives")));
	for (size_t k = 0; k < 8; k++) {
		char b[32];
		printf("  %-10s %s\n", keys[k], num(b, sizeof(b), json_object_get(r, keys[k]), "%.6f"));
	}
	printf("  confusion  tn %lld  fp %lld  fn %lld  tp %lld\n", json_integer_value(json_object_get(cm, "tn")),
	       json_integer_value(json_object_get(cm, "fp")), json_integer_value(json_object_get(cm, "fn")),
	       json_integer_value(json_object_get(cm, "tp")));
	print_undefined(json_object_get(r, "undefined"), "  ");
}

/* ---- fairness and performance ---- */

static int parse_count(const cli_ctx *ctx, const char *opt, unsigned *out)
{
	const char *v = cli_get(ctx, opt);
	char *end;
	if (!v)
		return 0;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end || n < 1 || n > 1000000)
		return cli_usage(ctx, "--%s '%s': expected a whole number from 1 to 1000000", opt, v);
	*out = (unsigned)n;
	return 0;
}

static int write_html(const char *path, const char *kind, const char *json)
{
	char *html = NULL;
	size_t len = 0;
	int err = aims_eval_report_html(&html, &len, kind, json);
	if (err < 0)
		return cli_fail(err);
	int rc = cli_write_file(path, html, len);
	free(html);
	return rc;
}

static int run_binary(cli_ctx *ctx, int fairness)
{
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	const char *groups[AIMS_EVAL_MAX_GROUPS + 1];
	const char *data = cli_get(ctx, "data"), *system = cli_get(ctx, "system");
	const char *since = cli_get(ctx, "since"), *until = cli_get(ctx, "until");
	const char *html = cli_get(ctx, "html");
	int record = cli_flag(ctx, "record");
	aims_store *store = NULL;
	aims_rows *rows = NULL;
	char *result = NULL, *id = NULL, *inputs = NULL, *params = NULL;
	json_t *rj = NULL;
	int rc = EXIT_OK, err;

	o.label = cli_get(ctx, "label");
	o.pred = cli_get(ctx, "pred");
	o.score = cli_get(ctx, "score");
	o.pos_label = cli_get(ctx, "pos-label");
	if (!o.label || !o.pred)
		return cli_usage(ctx, "--label and --pred are required");
	if (!data && !system)
		return cli_usage(ctx, "the data: --data FILE, or --system NAME for its decision log");
	if (data && (since || until))
		return cli_usage(ctx, "--since/--until select decision-log records: use them without --data");
	if (record && !system)
		return cli_usage(ctx, "--record needs --system NAME (the AI system the evidence is for)");
	if (cli_get(ctx, "model") && !record)
		return cli_usage(ctx, "--model names the model version of recorded evidence: use it with --record");
	if (fairness) {
		int n = cli_get_all(ctx, "group", groups, AIMS_EVAL_MAX_GROUPS + 1);
		if (n == 0)
			return cli_usage(ctx, "at least one --group COL is required");
		if (n > AIMS_EVAL_MAX_GROUPS)
			return cli_usage(ctx, "at most %d --group columns", AIMS_EVAL_MAX_GROUPS);
		o.groups = groups;
		o.ngroups = (size_t)n;
		o.reference = cli_get(ctx, "reference");
		if ((rc = parse_count(ctx, "min-group-size", &o.min_group_size)) != 0 ||
		    (rc = parse_count(ctx, "min-class-count", &o.min_class_count)) != 0)
			return rc;
	}
	if (system && (rc = cli_open_store(&store, ctx, 0)) != EXIT_OK)
		return rc;
	err = data ? aims_rows_open(&rows, data) : aims_rows_open_decisions(&rows, store, system, since, until);
	if (err < 0 || (err = aims_eval_binary(fairness ? &result : NULL, fairness ? NULL : &result, rows, &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (!(rj = json_loads(result, 0, NULL))) {
		rc = cli_fail(AIMS_ENOMEM);
		goto done;
	}
	if (record) {
		json_t *in = json_object_get(rj, "input");
		json_t *arr = json_pack("[{sOsOsO}]", "name", json_object_get(in, "name"), "sha256",
					json_object_get(in, "sha256"), "rows", json_object_get(in, "rows_read"));
		inputs = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		json_decref(arr);
		params = json_dumps(json_object_get(rj, "params"), JSON_COMPACT);
		if (!inputs || !params) {
			rc = cli_fail(AIMS_ENOMEM);
			goto done;
		}
		if ((err = aims_eval_record_model(&id, store, system, cli_get(ctx, "model"),
						  fairness ? "fairness" : "performance", inputs, params, result)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_after_write(store)) != EXIT_OK)
			goto done;
		json_object_set_new(rj, "evaluation_id", json_string(id));
	}
	if (html && (rc = write_html(html, fairness ? "fairness" : "performance", result)) != EXIT_OK)
		goto done;
	if (ctx->json) {
		rc = cli_print_json(rj);
		rj = NULL;
	} else {
		if (fairness)
			print_fairness(rj);
		else
			print_performance(rj);
		if (id)
			printf("recorded %s for AI system '%s' (controls %s)\n", id, system,
			       aims_eval_controls(fairness ? "fairness" : "performance"));
	}
done:
	json_decref(rj);
	free(result);
	free(id);
	free(inputs);
	free(params);
	aims_rows_free(rows);
	aims_store_free(store);
	return rc;
}

int cmd_eval_fairness(cli_ctx *ctx)
{
	return run_binary(ctx, 1);
}

int cmd_eval_performance(cli_ctx *ctx)
{
	return run_binary(ctx, 0);
}

/* ---- stored results ---- */

static json_t *result_json(const aims_eval_result *r, int full)
{
	json_t *ctl = json_array();
	const char *p = r->controls ? r->controls : "";
	while (*p) {
		size_t n = strcspn(p, " ");
		json_array_append_new(ctl, json_stringn(p, n));
		p += n;
		while (*p == ' ')
			p++;
	}
	json_t *j = json_pack("{sssssssssossssss}", "id", r->id, "system", r->system, "kind", r->kind,
			      "recorded_at", r->recorded_at, "controls", ctl, "summary", r->summary, "tool_version",
			      r->tool_version, "digest", r->digest);
	if (j && (json_object_set_new(j, "model", r->model ? json_string(r->model) : json_null()) < 0 ||
		  json_object_set_new(j, "model_digest", r->model_digest ? json_string(r->model_digest) : json_null()) < 0)) {
		json_decref(j);
		return NULL;
	}
	if (j && full) {
		json_object_set_new(j, "inputs", json_loads(r->inputs ? r->inputs : "[]", 0, NULL));
		json_object_set_new(j, "params", json_loads(r->params ? r->params : "{}", 0, NULL));
		json_object_set_new(j, "results", json_loads(r->results ? r->results : "{}", 0, NULL));
	}
	return j;
}

int cmd_eval_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_eval_results *l = NULL;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != EXIT_OK)
		return rc;
	if ((err = aims_eval_list(&l, store, cli_get(ctx, "system"), cli_get(ctx, "kind"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < l->count; i++)
			json_array_append_new(arr, result_json(&l->items[i], 0));
		rc = cli_print_json(json_pack("{so}", "evaluations", arr));
	} else {
		static const char *const hdr[] = { "id", "system", "kind", "recorded", "controls", "summary" };
		cli_table *t = cli_table_new(6, hdr);
		for (size_t i = 0; i < l->count; i++) {
			const aims_eval_result *r = &l->items[i];
			const char *cells[6] = { r->id, r->system, r->kind, r->recorded_at, r->controls, r->summary };
			cli_table_add(t, cells);
		}
		if (l->count)
			cli_table_print(t, stdout);
		else
			printf("no evaluation results recorded\n");
		cli_table_free(t);
	}
done:
	aims_eval_results_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_eval_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_eval_result *r = NULL;
	const char *html = cli_get(ctx, "html");
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != EXIT_OK)
		return rc;
	if ((err = aims_eval_get(&r, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (html) {
		if (strcmp(r->kind, "drift") == 0) {
			fprintf(stderr, "error: %s: an HTML report of a drift result comes from 'aims eval drift --html'\n",
				r->id);
			rc = EXIT_USAGE;
			goto done;
		}
		if ((rc = write_html(html, r->kind, r->results)) != EXIT_OK)
			goto done;
	}
	if (ctx->json) {
		rc = cli_print_json(result_json(r, 1));
	} else {
		printf("%s: %s evaluation of AI system '%s'\nrecorded %s with %s\ncontrols %s\ndigest %s\n%s\n", r->id,
		       r->kind, r->system, r->recorded_at, r->tool_version, r->controls, r->digest, r->summary);
		json_t *in = json_loads(r->inputs, 0, NULL), *v;
		size_t i;
		for (i = 0; (v = json_array_get(in, i)) != NULL; i++)
			printf("input %s: %lld rows, %s\n", json_string_value(json_object_get(v, "name")),
			       json_integer_value(json_object_get(v, "rows")),
			       json_string_value(json_object_get(v, "sha256")));
		json_decref(in);
	}
done:
	aims_eval_result_free(r);
	aims_store_free(store);
	return rc;
}
