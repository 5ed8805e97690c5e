/*
 * aims eval drift: data drift between a reference and a current data set,
 * from two files or from an AI system's decision log over two time windows.
 * The work and the JSON are the library's operation eval.drift
 * (src/lib/eval/ops_eval.c); this file prints its result for people.
 * Definitions and JSON keys: docs/drift.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_eval_drift_opts[] = {
	{ "html", "FILE", "also write a self-contained HTML report with histograms", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

static void fmt_p(char *out, size_t n, double p)
{
	if (p != 0 && p < 1e-4)
		snprintf(out, n, "%.2e", p);
	else
		snprintf(out, n, "%.4f", p);
}

/* a figure of the result; JSON null (a non-finite value) prints as printf prints NaN */
static double fig(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

int cmd_eval_render_drift(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const heads[] = { "column", "type", "n ref", "n cur", "statistic", "p-value", "distance",
					     "psi", "drift" };
	json_t *cols = json_object_get(res->json, "columns"), *c;
	const char *id = json_string_value(json_object_get(res->json, "evaluation_id"));
	size_t i, nd = 0;

	if (!res->json) {
		/* --html FILE through a server: the answer is the page alone */
		printf("wrote %s\n", cli_get(ctx, "html"));
		return EXIT_OK;
	}
	cli_table *t = cli_table_new(9, heads);
	for (i = 0; (c = json_array_get(cols, i)) != NULL; i++) {
		json_t *st = json_object_get(c, "statistics");
		char nr[32], nc[32], stat[48], pv[32], dist[48], psi[32];
		int tested = json_is_true(json_object_get(c, "tested")), drift = json_is_true(json_object_get(c, "drift"));
		snprintf(nr, sizeof(nr), "%lld", (long long)json_integer_value(json_object_get(c, "n_ref")));
		snprintf(nc, sizeof(nc), "%lld", (long long)json_integer_value(json_object_get(c, "n_cur")));
		if (!tested) {
			snprintf(stat, sizeof(stat), "-");
			snprintf(pv, sizeof(pv), "-");
			snprintf(dist, sizeof(dist), "-");
			snprintf(psi, sizeof(psi), "-");
		} else if (strcmp(js(c, "type"), "numeric") == 0) {
			snprintf(stat, sizeof(stat), "KS %.4f%s", fig(st, "ks_statistic"),
				 json_is_true(json_object_get(c, "approximate")) ? "~" : "");
			fmt_p(pv, sizeof(pv), fig(st, "ks_pvalue"));
			snprintf(dist, sizeof(dist), "W1 %.4g", fig(st, "wasserstein"));
			snprintf(psi, sizeof(psi), "%.4f", fig(st, "psi"));
		} else {
			snprintf(stat, sizeof(stat), "chi2 %.2f", fig(st, "chi2_statistic"));
			fmt_p(pv, sizeof(pv), fig(st, "chi2_pvalue"));
			snprintf(dist, sizeof(dist), "JS %.4f", fig(st, "jensenshannon"));
			snprintf(psi, sizeof(psi), "%.4f", fig(st, "psi"));
		}
		const char *cells[9] = { js(c, "name"), js(c, "type"), nr, nc, stat, pv, dist, psi,
					 !tested ? "untested" : drift ? "DRIFT" : "no" };
		cli_table_add(t, cells);
		nd += drift != 0;
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	for (i = 0; (c = json_array_get(cols, i)) != NULL; i++) {
		json_t *bound = json_object_get(json_object_get(c, "statistics"), "ks_error_bound");
		if (json_is_string(json_object_get(c, "note")))
			printf("note: %s: %s\n", js(c, "name"), js(c, "note"));
		if (!json_is_true(json_object_get(c, "tested")))
			printf("note: %s: %s\n", js(c, "name"), js(c, "reason"));
		if (json_is_true(json_object_get(c, "approximate")))
			printf("note: %s: approximate (quantile sketch): |D - D_exact| <= %.3g\n", js(c, "name"),
			       json_is_number(bound) ? json_number_value(bound) : 0.0);
	}
	printf("drift share: %.3f (%zu drifted); dataset drift: %s\n", fig(res->json, "drift_share"), nd,
	       json_is_true(json_object_get(res->json, "dataset_drift")) ? "yes" : "no");
	if (id)
		printf("recorded %s\n", id);
	return EXIT_OK;
}
