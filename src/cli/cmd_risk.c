/*
 * aims risk: the AI risk register. Criteria (versioned), the taxonomy,
 * risks per AI system with treatment, acceptance by the risk owner and
 * reviews, the starter library, heat maps and the HTML risk report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aims/risk.h"
#include "commands.h"

const cli_opt cmd_risk_criteria_opts[] = {
	{ "likelihood-max", "N", "likelihood scale 1..N (2-10)", OPT_VALUE },
	{ "impact-max", "N", "impact scale 1..N (2-10)", OPT_VALUE },
	{ "score", "FN", "score function: product (default), sum or max", OPT_VALUE },
	{ "appetite", "N", "scores up to N are accepted as a matter of course", OPT_VALUE },
	{ "tolerance", "N", "scores above N need the risk owner's explicit acceptance", OPT_VALUE },
	{ "note", "TEXT", "why the criteria changed (one line)", OPT_VALUE },
	{ "history", NULL, "list every stored version", 0 },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_add_opts[] = {
	{ "title", "TEXT", "a one-line title (required)", OPT_VALUE },
	{ "category", "ID", "a category of the taxonomy, see 'aims risk categories' (required)", OPT_VALUE },
	{ "owner", "NAME", "the risk owner, who alone can accept it (required)", OPT_VALUE },
	{ "likelihood", "N", "inherent likelihood on the criteria's scale (required)", OPT_VALUE },
	{ "impact", "N", "inherent impact on the criteria's scale (required)", OPT_VALUE },
	{ "description", "TEXT", "what could happen and to whom", OPT_VALUE },
	{ "review", "YYYY-MM-DD", "next review date", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_list_opts[] = {
	{ "system", "NAME", "only the risks of this AI system", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_treat_opts[] = {
	{ "option", "OPTION", "modify, avoid, share or retain (required)", OPT_VALUE },
	{ "action", "CONTROL: TEXT", "an action under an ISO/IEC 42001 Annex A control, e.g. 'A.7.4: check "
	  "data quality' (repeatable; replaces earlier actions)", OPT_VALUE | OPT_MULTI },
	{ "residual-likelihood", "N", "residual likelihood after treatment", OPT_VALUE },
	{ "residual-impact", "N", "residual impact after treatment", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_accept_opts[] = {
	{ "note", "TEXT", "the reason for accepting (one line)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_review_opts[] = {
	{ "likelihood", "N", "new inherent likelihood", OPT_VALUE },
	{ "impact", "N", "new inherent impact", OPT_VALUE },
	{ "residual-likelihood", "N", "new residual likelihood", OPT_VALUE },
	{ "residual-impact", "N", "new residual impact", OPT_VALUE },
	{ "next", "YYYY-MM-DD", "next review date", OPT_VALUE },
	{ "note", "TEXT", "what the review found (one line)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_library_add_opts[] = {
	{ "owner", "NAME", "owner of the added risks (required)", OPT_VALUE },
	{ "category", "ID", "only the library's risks of this category", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_heatmap_opts[] = {
	{ "system", "NAME", "only the risks of this AI system", OPT_VALUE },
	{ "residual", NULL, "place risks at their residual estimate", 0 },
	{ "svg", "FILE", "the SVG file to write (required)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_risk_report_opts[] = {
	{ "system", "NAME", "only the risks of this AI system", OPT_VALUE },
	{ "html", "FILE", "the HTML file to write (required)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static int parse_level(int *out, const char *s, const cli_ctx *ctx, const char *name)
{
	char *end = NULL;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s)
		return 0;
	if (errno || !*s || *end || v < 1 || v > 100) {
		cli_usage(ctx, "--%s '%s': expected a number from 1", name, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *str_array(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *risk_json(const aims_risk *r, aims_store *store)
{
	const aims_risk_category *cat = aims_risk_category_find(r->category);
	json_t *acts = json_array(), *acc = json_null();
	for (size_t i = 0; acts && i < r->nactions; i++) {
		char **l27 = NULL, **lact = NULL;
		size_t n27 = 0, nact = 0;
		if (aims_risk_control_links(&l27, &n27, &lact, &nact, store, r->actions[i].control) < 0) {
			n27 = nact = 0;
		}
		json_array_append_new(acts, json_pack("{s:s, s:s, s:o, s:o}", "control", r->actions[i].control, "action",
						      r->actions[i].action, "iso27001", str_array(l27, n27), "eu_ai_act",
						      str_array(lact, nact)));
		aims_risk_strings_free(l27, n27);
		aims_risk_strings_free(lact, nact);
	}
	if (r->acceptance) {
		const aims_risk_acceptance *a = r->acceptance;
		json_t *changed = json_array();
		for (const char *p = a->changed; changed && p && *p;) {
			const char *c = strchr(p, ',');
			size_t n = c ? (size_t)(c - p) : strlen(p);
			json_array_append_new(changed, json_stringn(p, n));
			p += n + (c ? 1 : 0);
		}
		acc = json_pack("{s:s, s:s, s:o, s:s, s:b, s:o, s:o}", "accepted_by", a->accepted_by, "accepted_at",
				a->accepted_at, "note", opt_str(a->note), "digest", a->digest, "valid", a->valid, "changed",
				changed, "invalidated_at", opt_str(a->invalidated_at));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:{s:i, s:i, s:i}, s:o, s:o, s:o, s:i, s:b, s:s, "
			 "s:o, s:s, s:o, s:o, s:s, s:s}",
			 "id", r->id, "system", r->system, "title", r->title, "category", r->category,
			 "category_title", cat ? cat->title : r->category, "description", opt_str(r->description),
			 "owner", r->owner, "inherent", "likelihood", r->likelihood, "impact", r->impact, "score", r->score,
			 "treatment", opt_str(r->treatment), "actions", acts,
			 "residual", r->res_likelihood ? json_pack("{s:i, s:i, s:i}", "likelihood", r->res_likelihood,
								   "impact", r->res_impact, "score", r->res_score)
						       : json_null(),
			 "effective_score", r->effective_score, "above_tolerance", r->above_tolerance, "status", r->status,
			 "review_date", opt_str(r->review_date), "source", r->source, "model", opt_str(r->model),
			 "acceptance", acc, "created_at", r->created_at, "updated_at", r->updated_at);
}

static void print_risk(const aims_risk *r)
{
	const aims_risk_category *cat = aims_risk_category_find(r->category);
	printf("%s  %s\n", r->id, r->title);
	printf("  system:     %s%s%s%s\n", r->system, r->model ? " (model " : "", r->model ? r->model : "",
	       r->model ? ")" : "");
	printf("  category:   %s (%s)\n", cat ? cat->title : r->category, r->category);
	printf("  owner:      %s\n", r->owner);
	printf("  inherent:   %d (likelihood %d x impact %d)\n", r->score, r->likelihood, r->impact);
	printf("  treatment:  %s\n", r->treatment ? r->treatment : "-");
	for (size_t i = 0; i < r->nactions; i++)
		printf("    %-8s %s\n", r->actions[i].control, r->actions[i].action);
	if (r->res_likelihood)
		printf("  residual:   %d (likelihood %d x impact %d)\n", r->res_score, r->res_likelihood, r->res_impact);
	printf("  status:     %s%s\n", r->status, r->above_tolerance ? " (above tolerance)" : "");
	if (r->acceptance)
		printf("  acceptance: by %s at %s, %s%s%s\n", r->acceptance->accepted_by, r->acceptance->accepted_at,
		       r->acceptance->valid ? "valid" : "invalidated by a change of ",
		       r->acceptance->valid ? "" : (r->acceptance->changed ? r->acceptance->changed : "?"), "");
	if (r->review_date)
		printf("  review:     %s\n", r->review_date);
	if (r->description) {
		printf("  description:\n");
		cli_wrap(stdout, r->description, 4, cli_term_width());
	}
}

static int show_one(aims_store *store, const cli_ctx *ctx, const char *id)
{
	aims_risk *r = NULL;
	int err = aims_risk_get(&r, store, id);
	if (err < 0)
		return cli_fail(err);
	int rc = EXIT_OK;
	if (ctx->json)
		rc = cli_print_json(risk_json(r, store));
	else
		print_risk(r);
	aims_risk_free(r);
	return rc;
}

static json_t *criteria_json(const aims_risk_criteria *c)
{
	return json_pack("{s:i, s:i, s:i, s:s, s:i, s:i, s:s, s:o, s:o}", "version", c->version, "likelihood_max",
			 c->likelihood_max, "impact_max", c->impact_max, "score", c->score_fn, "appetite", c->appetite,
			 "tolerance", c->tolerance, "digest", c->digest,
			 "created_at", c->version ? json_string(c->created_at) : json_null(),
			 "actor", c->version ? json_string(c->actor) : json_null());
}

int cmd_risk_criteria(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_risk_criteria c;
	int rc, err, set = 0;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_criteria_get(&c, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (parse_level(&c.likelihood_max, cli_get(ctx, "likelihood-max"), ctx, "likelihood-max") < 0 ||
	    parse_level(&c.impact_max, cli_get(ctx, "impact-max"), ctx, "impact-max") < 0 ||
	    parse_level(&c.appetite, cli_get(ctx, "appetite"), ctx, "appetite") < 0 ||
	    parse_level(&c.tolerance, cli_get(ctx, "tolerance"), ctx, "tolerance") < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	const char *fn = cli_get(ctx, "score");
	if (fn && strlen(fn) >= sizeof(c.score_fn)) {
		rc = cli_usage(ctx, "--score '%s': use product, sum or max", fn);
		goto done;
	}
	if (fn)
		snprintf(c.score_fn, sizeof(c.score_fn), "%s", fn);
	set = cli_get(ctx, "likelihood-max") || cli_get(ctx, "impact-max") || cli_get(ctx, "appetite") ||
	      cli_get(ctx, "tolerance") || cli_get(ctx, "score");
	if (!set && cli_get(ctx, "note")) {
		rc = cli_usage(ctx, "--note goes with a change of the criteria");
		goto done;
	}
	if (set) {
		if ((err = aims_risk_criteria_set(NULL, store, &c, cli_get(ctx, "note"))) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_after_write(store)) != EXIT_OK || (err = aims_risk_criteria_get(&c, store)) < 0) {
			if (err < 0)
				rc = cli_fail(err);
			goto done;
		}
	}
	if (cli_flag(ctx, "history")) {
		aims_risk_criteria *v = NULL;
		size_t n = 0;
		if ((err = aims_risk_criteria_versions(&v, &n, store)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if (ctx->json) {
			json_t *a = json_array();
			for (size_t i = 0; a && i < n; i++)
				json_array_append_new(a, criteria_json(&v[i]));
			rc = cli_print_json(json_pack("{s:o, s:o}", "current", criteria_json(&c), "versions", a));
		} else {
			for (size_t i = 0; i < n; i++)
				printf("version %d  %s  %s  likelihood 1-%d, impact 1-%d, %s, appetite %d, tolerance %d\n",
				       v[i].version, v[i].created_at, v[i].actor, v[i].likelihood_max, v[i].impact_max,
				       v[i].score_fn, v[i].appetite, v[i].tolerance);
			if (!n)
				printf("no stored versions: the built-in defaults apply\n");
		}
		aims_risk_criteria_versions_free(v);
		goto done;
	}
	if (ctx->json) {
		rc = cli_print_json(criteria_json(&c));
	} else {
		printf("risk criteria version %d%s\n", c.version, c.version ? "" : " (built-in defaults)");
		printf("  likelihood: 1-%d\n  impact:     1-%d\n  score:      %s\n  appetite:   up to %d\n"
		       "  tolerance:  up to %d (above: the risk owner must accept explicitly)\n  digest:     %s\n",
		       c.likelihood_max, c.impact_max, c.score_fn, c.appetite, c.tolerance, c.digest);
	}
done:
	aims_store_free(store);
	return rc;
}

int cmd_risk_categories(cli_ctx *ctx)
{
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < aims_risk_category_count(); i++) {
			const aims_risk_category *c = aims_risk_category_at(i);
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "id", c->id, "title", c->title, "source", c->source));
		}
		return cli_print_json(json_pack("{s:o}", "categories", a));
	}
	for (size_t i = 0; i < aims_risk_category_count(); i++) {
		const aims_risk_category *c = aims_risk_category_at(i);
		printf("%-30s %-45s %s\n", c->id, c->title, c->source);
	}
	return EXIT_OK;
}

int cmd_risk_add(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_risk_new_opts o = AIMS_RISK_NEW_INIT;
	char *id = NULL;
	int rc, err;
	o.system = ctx->args[0];
	o.title = cli_get(ctx, "title");
	o.category = cli_get(ctx, "category");
	o.owner = cli_get(ctx, "owner");
	o.description = cli_get(ctx, "description");
	o.review_date = cli_get(ctx, "review");
	if (!o.title || !o.category || !o.owner || !cli_get(ctx, "likelihood") || !cli_get(ctx, "impact"))
		return cli_usage(ctx, "needs --title, --category, --owner, --likelihood and --impact");
	if (parse_level(&o.likelihood, cli_get(ctx, "likelihood"), ctx, "likelihood") < 0 ||
	    parse_level(&o.impact, cli_get(ctx, "impact"), ctx, "impact") < 0)
		return EXIT_USAGE;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_add(&id, store, &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = show_one(store, ctx, id);
	else
		printf("added %s to %s\n", id, o.system);
done:
	free(id);
	aims_store_free(store);
	return rc;
}

int cmd_risk_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_risks *l = NULL;
	aims_risk_criteria c;
	const char *system = cli_get(ctx, "system");
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_criteria_get(&c, store)) < 0 || (err = aims_risk_list(&l, store, system)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++)
			json_array_append_new(a, risk_json(l->items[i], store));
		rc = cli_print_json(json_pack("{s:o, s:o}", "criteria", criteria_json(&c), "risks", a));
		goto done;
	}
	static const char *const hdr[] = { "ID", "SYSTEM", "CATEGORY", "INHERENT", "TREATMENT", "RESIDUAL", "STATUS",
					   "OWNER", "TITLE" };
	cli_table *t = cli_table_new(9, hdr);
	for (size_t i = 0; t && i < l->count; i++) {
		const aims_risk *r = l->items[i];
		char inh[16], res[16];
		snprintf(inh, sizeof(inh), "%d", r->score);
		if (r->res_likelihood)
			snprintf(res, sizeof(res), "%d", r->res_score);
		else
			snprintf(res, sizeof(res), "-");
		const char *cells[] = { r->id, r->system, r->category, inh, r->treatment ? r->treatment : "-", res,
					r->status, r->owner, r->title };
		cli_table_add(t, cells);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	if (!l->count)
		printf("no risks%s%s\n", system ? " for " : "", system ? system : "");
done:
	aims_risks_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_risk_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	rc = show_one(store, ctx, ctx->args[0]);
	aims_store_free(store);
	return rc;
}

int cmd_risk_treat(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_risk_treat_opts o = AIMS_RISK_TREAT_INIT;
	const char *raw[CLI_MAX_VALUES], *controls[CLI_MAX_VALUES], *actions[CLI_MAX_VALUES];
	char *copies[CLI_MAX_VALUES];
	int n = cli_get_all(ctx, "action", raw, CLI_MAX_VALUES), rc, err;

	o.option = cli_get(ctx, "option");
	if (!o.option)
		return cli_usage(ctx, "missing --option (modify, avoid, share or retain)");
	if (parse_level(&o.res_likelihood, cli_get(ctx, "residual-likelihood"), ctx, "residual-likelihood") < 0 ||
	    parse_level(&o.res_impact, cli_get(ctx, "residual-impact"), ctx, "residual-impact") < 0)
		return EXIT_USAGE;
	memset(copies, 0, sizeof(copies));
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(raw[i], ':');
		if (!colon || colon == raw[i]) {
			for (int k = 0; k < i; k++)
				free(copies[k]);
			return cli_usage(ctx, "--action '%s': expected 'CONTROL: TEXT', e.g. 'A.7.4: check data quality'",
					 raw[i]);
		}
		copies[i] = strndup(raw[i], (size_t)(colon - raw[i]));
		controls[i] = copies[i] ? copies[i] : "";
		const char *text = colon + 1;
		while (*text == ' ')
			text++;
		actions[i] = text;
	}
	o.controls = controls;
	o.actions = actions;
	o.nactions = (size_t)n;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_risk_treat(store, ctx->args[0], &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json) {
		rc = show_one(store, ctx, ctx->args[0]);
	} else {
		aims_risk *r = NULL;
		if (aims_risk_get(&r, store, ctx->args[0]) == 0)
			printf("%s: treatment %s with %zu action%s; status %s\n", r->id, r->treatment, r->nactions,
			       r->nactions == 1 ? "" : "s", r->status);
		aims_risk_free(r);
	}
done:
	for (int i = 0; i < n; i++)
		free(copies[i]);
	aims_store_free(store);
	return rc;
}

int cmd_risk_accept(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	/* the acting principal accepts: it must be the risk's owner */
	if ((err = aims_risk_accept(store, ctx->args[0], cli_get(ctx, "note"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = show_one(store, ctx, ctx->args[0]);
	else
		printf("%s accepted by %s\n", ctx->args[0], aims_store_actor(store));
done:
	aims_store_free(store);
	return rc;
}

int cmd_risk_review(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_risk_review_opts o = AIMS_RISK_REVIEW_INIT;
	int rc, err;
	if (parse_level(&o.likelihood, cli_get(ctx, "likelihood"), ctx, "likelihood") < 0 ||
	    parse_level(&o.impact, cli_get(ctx, "impact"), ctx, "impact") < 0 ||
	    parse_level(&o.res_likelihood, cli_get(ctx, "residual-likelihood"), ctx, "residual-likelihood") < 0 ||
	    parse_level(&o.res_impact, cli_get(ctx, "residual-impact"), ctx, "residual-impact") < 0)
		return EXIT_USAGE;
	o.next_review = cli_get(ctx, "next");
	o.note = cli_get(ctx, "note");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_review(store, ctx->args[0], &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json) {
		rc = show_one(store, ctx, ctx->args[0]);
	} else {
		aims_risk *r = NULL;
		if (aims_risk_get(&r, store, ctx->args[0]) == 0)
			printf("%s reviewed: score %d, status %s%s%s\n", r->id, r->effective_score, r->status,
			       r->review_date ? ", next review " : "", r->review_date ? r->review_date : "");
		aims_risk_free(r);
	}
done:
	aims_store_free(store);
	return rc;
}

int cmd_risk_library_add(cli_ctx *ctx)
{
	aims_store *store = NULL;
	size_t added = 0;
	int rc, err;
	if (!cli_get(ctx, "owner"))
		return cli_usage(ctx, "missing --owner NAME");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_library_add(&added, store, ctx->args[0], cli_get(ctx, "category"), cli_get(ctx, "owner"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = cli_print_json(json_pack("{s:s, s:i}", "system", ctx->args[0], "added", (int)added));
	else
		printf("added %zu risk%s from the starter library to %s\n", added, added == 1 ? "" : "s", ctx->args[0]);
done:
	aims_store_free(store);
	return rc;
}

int cmd_risk_library_list(cli_ctx *ctx)
{
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < aims_risk_library_count(); i++) {
			const aims_risk_template *t = aims_risk_library_at(i);
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "key", t->key, "category",
							   t->category, "title", t->title, "description", t->description,
							   "likelihood", t->likelihood, "impact", t->impact, "control",
							   t->control));
		}
		return cli_print_json(json_pack("{s:o}", "library", a));
	}
	for (size_t i = 0; i < aims_risk_library_count(); i++) {
		const aims_risk_template *t = aims_risk_library_at(i);
		printf("%-28s %-30s %dx%d %-7s %s\n", t->key, t->category, t->likelihood, t->impact, t->control, t->title);
	}
	return EXIT_OK;
}

int cmd_risk_heatmap(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_risks *l = NULL;
	aims_risk_criteria c;
	aims_buf out = AIMS_BUF_INIT;
	const char *path = cli_get(ctx, "svg");
	int rc, err;
	if (!path)
		return cli_usage(ctx, "missing --svg FILE");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_criteria_get(&c, store)) < 0 || (err = aims_risk_list(&l, store, cli_get(ctx, "system"))) < 0 ||
	    (err = aims_risk_heatmap_svg(&out, l, &c, cli_flag(ctx, "residual"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_write_file(path, out.ptr, out.len)) == EXIT_OK)
		printf("wrote %s (%zu risks)\n", path, l->count);
done:
	aims_buf_release(&out);
	aims_risks_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_risk_report(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_buf out = AIMS_BUF_INIT;
	const char *path = cli_get(ctx, "html");
	int rc, err;
	if (!path)
		return cli_usage(ctx, "missing --html FILE");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_risk_report_html(&out, store, cli_get(ctx, "system"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_write_file(path, out.ptr, out.len)) == EXIT_OK)
		printf("wrote %s\n", path);
done:
	aims_buf_release(&out);
	aims_store_free(store);
	return rc;
}
