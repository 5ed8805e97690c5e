/*
 * aims eval fairness | performance | list | show: group fairness and model
 * performance of a binary classifier from a CSV/NDJSON file or an AI
 * system's decision log, and the stored results. The work and the JSON are
 * the library's operations (eval.*, src/lib/eval/ops_eval.c); this file
 * prints their results for people. Definitions and JSON keys:
 * docs/evaluation.md. (aims eval drift is in cmd_eval_drift.c.)
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* --html FILE asks the operation for its HTML report (format "html") and writes it to FILE */
const cli_opt cmd_eval_report_opts[] = {
	{ "html", "FILE", "also write a self-contained HTML report", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_eval_show_opts[] = {
	{ "html", "FILE", "also write the stored result as an HTML report", OPT_VALUE | OPT_FORMAT },
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

/* --html FILE through a server: the answer is the page alone (the command line gets the JSON beside it) */
static int wrote_only(const cli_ctx *ctx, const aims_op_result *res)
{
	if (res->json)
		return 0;
	printf("wrote %s\n", cli_get(ctx, "html"));
	return 1;
}

static void print_recorded(const cli_ctx *ctx, const json_t *r, const char *kind)
{
	const char *id = json_string_value(json_object_get(r, "evaluation_id"));
	if (id)
		printf("recorded %s for AI system '%s' (controls %s)\n", id, cli_get(ctx, "system"),
		       aims_eval_controls(kind));
}

int cmd_eval_render_fairness(cli_ctx *ctx, const aims_op_result *res)
{
	if (wrote_only(ctx, res))
		return EXIT_OK;
	print_fairness(res->json);
	print_recorded(ctx, res->json, "fairness");
	return EXIT_OK;
}

int cmd_eval_render_performance(cli_ctx *ctx, const aims_op_result *res)
{
	if (wrote_only(ctx, res))
		return EXIT_OK;
	print_performance(res->json);
	print_recorded(ctx, res->json, "performance");
	return EXIT_OK;
}

/* ---- stored results ---- */

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* the control ids of a result, space-separated as stored */
static void controls(char *out, size_t n, const json_t *r)
{
	size_t i, k = 0;
	json_t *c;
	out[0] = '\0';
	for (i = 0; (c = json_array_get(json_object_get(r, "controls"), i)) != NULL; i++) {
		int w = snprintf(out + k, n - k, "%s%s", i ? " " : "", json_string_value(c) ? json_string_value(c) : "");
		if (w < 0 || (size_t)w >= n - k)
			break;
		k += (size_t)w;
	}
}

int cmd_eval_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "id", "system", "kind", "recorded", "controls", "summary" };
	json_t *items = json_object_get(res->json, "evaluations"), *r;
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	(void)ctx;
	for (i = 0; (r = json_array_get(items, i)) != NULL; i++) {
		char ctl[256];
		controls(ctl, sizeof(ctl), r);
		const char *cells[6] = { js(r, "id"), js(r, "system"), js(r, "kind"), js(r, "recorded_at"), ctl,
					 js(r, "summary") };
		cli_table_add(t, cells);
	}
	if (json_array_size(items))
		cli_table_print(t, stdout);
	else
		printf("no evaluation results recorded\n");
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_eval_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *r = res->json;
	json_t *v;
	size_t i;
	char ctl[256];
	if (wrote_only(ctx, res))
		return EXIT_OK;
	controls(ctl, sizeof(ctl), r);
	printf("%s: %s evaluation of AI system '%s'\nrecorded %s with %s\ncontrols %s\ndigest %s\n%s\n", js(r, "id"),
	       js(r, "kind"), js(r, "system"), js(r, "recorded_at"), js(r, "tool_version"), ctl, js(r, "digest"),
	       js(r, "summary"));
	for (i = 0; (v = json_array_get(json_object_get(r, "inputs"), i)) != NULL; i++)
		printf("input %s: %lld rows, %s\n", js(v, "name"), (long long)json_integer_value(json_object_get(v, "rows")),
		       js(v, "sha256"));
	return EXIT_OK;
}
