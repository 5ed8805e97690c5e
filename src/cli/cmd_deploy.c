/*
 * aims deploy: record that a model version was deployed for an AI system
 * in an environment, and list the deployment history.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_deploy_record_opts[] = {
	{ "model", "NAME@VER", "the model version deployed (required; must be in the inventory)", OPT_VALUE },
	{ "env", "ENV", "the environment, e.g. production or staging (required)", OPT_VALUE },
	{ "at", "TIME", "when (RFC 3339; default now)", OPT_VALUE },
	{ "by", "NAME", "who deployed (default: the actor, $AIMS_ACTOR or $USER)", OPT_VALUE },
	{ "notes", "TEXT", "a note, e.g. a change ticket", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

int cmd_deploy_record(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_deployments *l = NULL;
	const char *model = cli_get(ctx, "model"), *env = cli_get(ctx, "env");
	int64_t seq = 0;
	int rc, err;
	if (!model)
		return cli_usage(ctx, "missing --model NAME@VER");
	if (!env)
		return cli_usage(ctx, "missing --env ENV");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_deploy_record(&seq, store, ctx->args[0], model, env, cli_get(ctx, "at"), cli_get(ctx, "by"),
				      cli_get(ctx, "notes"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if ((err = aims_deploy_list(&l, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	for (size_t i = 0; i < l->count; i++) {
		const aims_deployment *d = &l->items[i];
		if (d->seq != seq)
			continue;
		if (ctx->json)
			rc = cli_print_json(cli_deployment_json(d));
		else
			printf("%s: deployment %lld: %s@%s in %s at %s\n", d->system, (long long)d->seq, d->model,
			       d->model_version, d->env, d->deployed_at);
	}
done:
	aims_deployments_free(l);
	aims_store_free(store);
	return rc;
}

int cmd_deploy_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_deployments *l = NULL;
	aims_system *s = NULL;
	const char *sys = ctx->nargs ? ctx->args[0] : NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((sys && (err = aims_system_get(&s, store, sys)) < 0) || (err = aims_deploy_list(&l, store, sys)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++)
			json_array_append_new(a, cli_deployment_json(&l->items[i]));
		rc = cli_print_json(json_pack("{s:o}", "deployments", a));
		goto done;
	}
	static const char *const hdr[] = { "SYSTEM", "#", "DEPLOYED", "MODEL", "ENV", "BY" };
	cli_table *t = cli_table_new(6, hdr);
	for (size_t i = 0; i < l->count; i++) {
		const aims_deployment *d = &l->items[i];
		char seq[32], model[512];
		snprintf(seq, sizeof(seq), "%lld", (long long)d->seq);
		snprintf(model, sizeof(model), "%s@%s", d->model, d->model_version);
		const char *row[] = { d->system, seq, d->deployed_at, model, d->env, d->deployed_by };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_system_free(s);
	aims_deployments_free(l);
	aims_store_free(store);
	return rc;
}
