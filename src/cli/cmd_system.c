/*
 * aims system: the inventory of AI systems (add, list, show, set), and the
 * JSON of systems and deployments that aims deploy shares.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#define SYSTEM_FIELD_OPTS \
	{ "purpose", "TEXT", "what the system is for", OPT_VALUE }, \
	{ "intended-use", "TEXT", "the intended use and users", OPT_VALUE }, \
	{ "misuse", "TEXT", "reasonably foreseeable misuse", OPT_VALUE }, \
	{ "owner", "NAME", "who is accountable for the system", OPT_VALUE }, \
	{ "lifecycle", "STAGE", "idea, design, development (default), validation, deployed, operating or retired", OPT_VALUE }, \
	{ "role", "ROLE", "EU AI Act role: provider, deployer, both or unspecified (default)", OPT_VALUE }, \
	{ "oversight", "MODE", "human oversight: human-in-the-loop, human-on-the-loop, human-in-command, none or unspecified (default)", OPT_VALUE }, \
	{ "affected-groups", "TEXT", "who is affected by the system's outputs", OPT_VALUE }, \
	{ "status", "STATUS", "active (default), suspended or retired", OPT_VALUE }, \
	{ "json", NULL, "print JSON", 0 }

const cli_opt cmd_system_add_opts[] = { SYSTEM_FIELD_OPTS, { NULL, NULL, NULL, 0 } };
const cli_opt cmd_system_set_opts[] = { SYSTEM_FIELD_OPTS, { NULL, NULL, NULL, 0 } };

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *cli_system_json(const aims_system *s)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:I, s:o, s:o, s:o}", "name", s->name,
			 "purpose", jstr(s->purpose), "intended_use", jstr(s->intended_use), "misuse", jstr(s->misuse),
			 "owner", jstr(s->owner), "lifecycle", s->lifecycle, "role", s->role, "oversight", s->oversight,
			 "affected_groups", jstr(s->affected_groups), "status", s->status, "version",
			 (json_int_t)s->version, "digest", jstr(s->digest), "created_at", jstr(s->created_at),
			 "updated_at", jstr(s->updated_at));
}

json_t *cli_deployment_json(const aims_deployment *d)
{
	char model[512];
	snprintf(model, sizeof(model), "%s@%s", d->model, d->model_version);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "system", d->system, "seq", (json_int_t)d->seq,
			 "model", model, "env", d->env, "deployed_at", d->deployed_at, "deployed_by", d->deployed_by,
			 "notes", jstr(d->notes), "digest", d->digest);
}

static void fields_from_opts(aims_system_fields *f, const cli_ctx *ctx)
{
	f->purpose = cli_get(ctx, "purpose");
	f->intended_use = cli_get(ctx, "intended-use");
	f->misuse = cli_get(ctx, "misuse");
	f->owner = cli_get(ctx, "owner");
	f->lifecycle = cli_get(ctx, "lifecycle");
	f->role = cli_get(ctx, "role");
	f->oversight = cli_get(ctx, "oversight");
	f->affected_groups = cli_get(ctx, "affected-groups");
	f->status = cli_get(ctx, "status");
}

static int print_system(const cli_ctx *ctx, aims_store *store, const char *name, int full)
{
	aims_system *s = NULL;
	aims_deployments *dl = NULL;
	char *cur = NULL;
	int err, rc;
	if ((err = aims_system_get(&s, store, name)) < 0 || (full && (err = aims_deploy_list(&dl, store, name)) < 0) ||
	    (full && (err = aims_system_current_model(&cur, store, name, NULL)) < 0)) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *o = cli_system_json(s);
		if (o && full) {
			json_t *a = json_array();
			for (size_t i = 0; a && i < dl->count; i++)
				json_array_append_new(a, cli_deployment_json(&dl->items[i]));
			json_object_set_new(o, "current_model", jstr(cur));
			json_object_set_new(o, "deployments", a ? a : json_null());
		}
		rc = cli_print_json(o);
		goto done;
	}
	printf("%s (version %lld, %s)\n", s->name, (long long)s->version, s->status);
	if (full) {
		printf("purpose: %s\nintended use: %s\nforeseeable misuse: %s\nowner: %s\nlifecycle: %s\n"
		       "EU AI Act role: %s\nhuman oversight: %s\naffected groups: %s\ndigest: %s\ncurrent model: %s\n",
		       s->purpose ? s->purpose : "-", s->intended_use ? s->intended_use : "-",
		       s->misuse ? s->misuse : "-", s->owner ? s->owner : "-", s->lifecycle, s->role, s->oversight,
		       s->affected_groups ? s->affected_groups : "-", s->digest, cur ? cur : "none");
		printf("deployments:%s\n", dl->count ? "" : " none");
		for (size_t i = 0; i < dl->count; i++)
			printf("  %lld  %s  %s@%s  %s  by %s\n", (long long)dl->items[i].seq, dl->items[i].deployed_at,
			       dl->items[i].model, dl->items[i].model_version, dl->items[i].env, dl->items[i].deployed_by);
	}
	rc = EXIT_OK;
done:
	free(cur);
	aims_deployments_free(dl);
	aims_system_free(s);
	return rc;
}

int cmd_system_add(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	int rc, err;
	fields_from_opts(&f, ctx);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_system_add(store, ctx->args[0], &f)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	rc = print_system(ctx, store, ctx->args[0], ctx->json);
done:
	aims_store_free(store);
	return rc;
}

int cmd_system_set(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	int rc, err, changed = 0;
	fields_from_opts(&f, ctx);
	if (!f.purpose && !f.intended_use && !f.misuse && !f.owner && !f.lifecycle && !f.role && !f.oversight &&
	    !f.affected_groups && !f.status)
		return cli_usage(ctx, "nothing to change: give at least one field option");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_system_set(&changed, store, ctx->args[0], &f)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (changed && (rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (!ctx->json && !changed) {
		printf("%s: unchanged\n", ctx->args[0]);
		rc = EXIT_OK;
		goto done;
	}
	rc = print_system(ctx, store, ctx->args[0], ctx->json);
done:
	aims_store_free(store);
	return rc;
}

int cmd_system_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	rc = print_system(ctx, store, ctx->args[0], 1);
	aims_store_free(store);
	return rc;
}

int cmd_system_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_systems *l = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_system_list(&l, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++) {
			json_t *o = cli_system_json(l->items[i]);
			char *cur = NULL;
			if (o && aims_system_current_model(&cur, store, l->items[i]->name, NULL) == 0)
				json_object_set_new(o, "current_model", jstr(cur));
			free(cur);
			json_array_append_new(a, o);
		}
		rc = cli_print_json(json_pack("{s:o}", "systems", a));
		goto done;
	}
	static const char *const hdr[] = { "NAME", "STATUS", "LIFECYCLE", "ROLE", "OVERSIGHT", "OWNER", "MODEL" };
	cli_table *t = cli_table_new(7, hdr);
	for (size_t i = 0; i < l->count; i++) {
		const aims_system *s = l->items[i];
		char *cur = NULL;
		if ((err = aims_system_current_model(&cur, store, s->name, NULL)) < 0) {
			cli_table_free(t);
			rc = cli_fail(err);
			goto done;
		}
		const char *row[] = { s->name, s->status, s->lifecycle, s->role, s->oversight, s->owner ? s->owner : "-",
			cur ? cur : "-" };
		cli_table_add(t, row);
		free(cur);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_systems_free(l);
	aims_store_free(store);
	return rc;
}
