/*
 * aims risk: the AI risk register. The work and the JSON are the library's
 * operations (risk.*); this file prints their results for people, and
 * chooses between reading and changing the criteria.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* the options of 'aims risk criteria' that change the criteria (fields of risk.set_criteria) */
const cli_opt cmd_risk_criteria_opts[] = {
	{ "likelihood-max", "N", "likelihood scale 1..N (2-10)", OPT_VALUE },
	{ "impact-max", "N", "impact scale 1..N (2-10)", OPT_VALUE },
	{ "score", "FN", "score function: product (default), sum or max", OPT_VALUE },
	{ "appetite", "N", "scores up to N are accepted as a matter of course", OPT_VALUE },
	{ "tolerance", "N", "scores above N need the risk owner's explicit acceptance", OPT_VALUE },
	{ "note", "TEXT", "why the criteria changed (one line)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_heatmap_opts[] = {
	{ "svg", "FILE", "the SVG file to write (required unless --json)", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_report_opts[] = {
	{ "html", "FILE", "the HTML file to write (required unless --json)", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long ji(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* ---- criteria ---- */

int cmd_risk_criteria(cli_ctx *ctx)
{
	static const char *const set[] = { "likelihood-max", "impact-max", "score", "appetite", "tolerance" };
	int change = 0;
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		change |= cli_get(ctx, set[i]) != NULL;
	if (!change) {
		if (cli_get(ctx, "note"))
			return cli_usage(ctx, "--note goes with a change of the criteria");
		return cli_run_op(ctx);
	}
	/* a change is its own operation (permission risk.criteria), answered like the reading one */
	const cli_cmd *read = ctx->cmd;
	cli_cmd change_cmd = *read;
	change_cmd.op = "risk.set_criteria";
	ctx->cmd = &change_cmd;
	int rc = cli_run_op(ctx);
	ctx->cmd = read;
	return rc;
}

int cmd_risk_render_criteria(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *c = res->json;
	json_t *versions = json_object_get(res->json, "versions");
	(void)ctx;
	if (versions) {
		size_t i;
		json_t *v;
		json_array_foreach(versions, i, v) {
			printf("version %lld  %s  %s  likelihood 1-%lld, impact 1-%lld, %s, appetite %lld, tolerance %lld\n",
			       ji(v, "version"), js(v, "created_at"), js(v, "actor"), ji(v, "likelihood_max"),
			       ji(v, "impact_max"), js(v, "score"), ji(v, "appetite"), ji(v, "tolerance"));
		}
		if (!json_array_size(versions))
			printf("no stored versions: the built-in defaults apply\n");
		return EXIT_OK;
	}
	printf("risk criteria version %lld%s\n", ji(c, "version"), ji(c, "version") ? "" : " (built-in defaults)");
	printf("  likelihood: 1-%lld\n  impact:     1-%lld\n  score:      %s\n  appetite:   up to %lld\n"
	       "  tolerance:  up to %lld (above: the risk owner must accept explicitly)\n  digest:     %s\n",
	       ji(c, "likelihood_max"), ji(c, "impact_max"), js(c, "score"), ji(c, "appetite"), ji(c, "tolerance"),
	       js(c, "digest"));
	return EXIT_OK;
}

int cmd_risk_render_categories(cli_ctx *ctx, const aims_op_result *res)
{
	size_t i;
	json_t *c;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "categories"), i, c) {
		printf("%-30s %-45s %s\n", js(c, "id"), js(c, "title"), js(c, "source"));
	}
	return EXIT_OK;
}

/* ---- one risk ---- */

static void print_risk(const json_t *r)
{
	const char *model = json_string_value(json_object_get(r, "model"));
	const json_t *inh = json_object_get(r, "inherent"), *resid = json_object_get(r, "residual");
	const json_t *acc = json_object_get(r, "acceptance");
	const char *desc = json_string_value(json_object_get(r, "description"));
	size_t i;
	json_t *a;
	printf("%s  %s\n", js(r, "id"), js(r, "title"));
	printf("  system:     %s%s%s%s\n", js(r, "system"), model ? " (model " : "", model ? model : "", model ? ")" : "");
	printf("  category:   %s (%s)\n", js(r, "category_title"), js(r, "category"));
	printf("  owner:      %s\n", js(r, "owner"));
	printf("  inherent:   %lld (likelihood %lld x impact %lld)\n", ji(inh, "score"), ji(inh, "likelihood"),
	       ji(inh, "impact"));
	printf("  treatment:  %s\n", js(r, "treatment"));
	json_array_foreach(json_object_get(r, "actions"), i, a) {
		printf("    %-8s %s\n", js(a, "control"), js(a, "action"));
	}
	if (json_is_object(resid))
		printf("  residual:   %lld (likelihood %lld x impact %lld)\n", ji(resid, "score"), ji(resid, "likelihood"),
		       ji(resid, "impact"));
	printf("  status:     %s%s\n", js(r, "status"),
	       json_is_true(json_object_get(r, "above_tolerance")) ? " (above tolerance)" : "");
	if (json_is_object(acc)) {
		int valid = json_is_true(json_object_get(acc, "valid"));
		char changed[128] = "";
		size_t n = 0, k;
		json_t *c;
		json_array_foreach(json_object_get(acc, "changed"), k, c) {
			int w = snprintf(changed + n, sizeof(changed) - n, "%s%s", k ? "," : "", json_string_value(c));
			if (w < 0 || (size_t)w >= sizeof(changed) - n)
				break;
			n += (size_t)w;
		}
		printf("  acceptance: by %s at %s, %s%s\n", js(acc, "accepted_by"), js(acc, "accepted_at"),
		       valid ? "valid" : "invalidated by a change of ", valid ? "" : (changed[0] ? changed : "?"));
	}
	if (json_is_string(json_object_get(r, "review_date")))
		printf("  review:     %s\n", js(r, "review_date"));
	if (desc) {
		printf("  description:\n");
		cli_wrap(stdout, desc, 4, cli_term_width());
	}
}

int cmd_risk_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	print_risk(res->json);
	return EXIT_OK;
}

int cmd_risk_render_set(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	if (res->message) {
		printf("%s\n", res->message);
		return EXIT_OK;
	}
	print_risk(res->json);
	return EXIT_OK;
}

int cmd_risk_render_add(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("added %s to %s\n", js(res->json, "id"), js(res->json, "system"));
	return EXIT_OK;
}

int cmd_risk_render_treat(cli_ctx *ctx, const aims_op_result *res)
{
	size_t n = json_array_size(json_object_get(res->json, "actions"));
	(void)ctx;
	printf("%s: treatment %s with %zu action%s; status %s\n", js(res->json, "id"), js(res->json, "treatment"), n,
	       n == 1 ? "" : "s", js(res->json, "status"));
	return EXIT_OK;
}

int cmd_risk_render_accept(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("%s accepted by %s\n", js(res->json, "id"), js(json_object_get(res->json, "acceptance"), "accepted_by"));
	return EXIT_OK;
}

int cmd_risk_render_review(cli_ctx *ctx, const aims_op_result *res)
{
	const char *next = json_string_value(json_object_get(res->json, "review_date"));
	(void)ctx;
	printf("%s reviewed: score %lld, status %s%s%s\n", js(res->json, "id"), ji(res->json, "effective_score"),
	       js(res->json, "status"), next ? ", next review " : "", next ? next : "");
	return EXIT_OK;
}

int cmd_risk_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "CATEGORY", "INHERENT", "TREATMENT", "RESIDUAL", "STATUS",
					   "OWNER", "TITLE" };
	const json_t *risks = json_object_get(res->json, "risks");
	const char *system = cli_get(ctx, "system");
	cli_table *t = cli_table_new(9, hdr);
	size_t i;
	json_t *r;
	json_array_foreach(risks, i, r) {
		const json_t *resid = json_object_get(r, "residual");
		char inh[32], rs[32];
		snprintf(inh, sizeof(inh), "%lld", ji(json_object_get(r, "inherent"), "score"));
		if (json_is_object(resid))
			snprintf(rs, sizeof(rs), "%lld", ji(resid, "score"));
		else
			snprintf(rs, sizeof(rs), "-");
		const char *cells[] = { js(r, "id"), js(r, "system"), js(r, "category"), inh, js(r, "treatment"), rs,
					js(r, "status"), js(r, "owner"), js(r, "title") };
		cli_table_add(t, cells);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	if (!json_array_size(risks))
		printf("no risks%s%s\n", system ? " for " : "", system ? system : "");
	return EXIT_OK;
}

/* ---- the starter library ---- */

int cmd_risk_render_library_add(cli_ctx *ctx, const aims_op_result *res)
{
	long long added = ji(res->json, "added");
	(void)ctx;
	printf("added %lld risk%s from the starter library to %s\n", added, added == 1 ? "" : "s",
	       js(res->json, "system"));
	return EXIT_OK;
}

int cmd_risk_render_library_list(cli_ctx *ctx, const aims_op_result *res)
{
	size_t i;
	json_t *t;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "library"), i, t) {
		printf("%-28s %-30s %lldx%lld %-7s %s\n", js(t, "key"), js(t, "category"), ji(t, "likelihood"),
		       ji(t, "impact"), js(t, "control"), js(t, "title"));
	}
	return EXIT_OK;
}

/* ---- heat map and report: written to the file of --svg / --html ---- */

/* without the file option (and without --json) the command has nothing to print: a usage error, after
 * the operation so that a principal without permission is told that first */
int cmd_risk_render_heatmap(cli_ctx *ctx, const aims_op_result *res)
{
	if (!cli_get(ctx, "svg"))
		return cli_usage(ctx, "missing --svg FILE (or --json)");
	printf("wrote %s (%s)\n", cli_get(ctx, "svg"), res->message ? res->message : "");
	return EXIT_OK;
}

int cmd_risk_render_report(cli_ctx *ctx, const aims_op_result *res)
{
	(void)res;
	if (!cli_get(ctx, "html"))
		return cli_usage(ctx, "missing --html FILE (or --json)");
	printf("wrote %s\n", cli_get(ctx, "html"));
	return EXIT_OK;
}
