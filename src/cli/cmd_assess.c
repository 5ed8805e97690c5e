/*
 * aims assess: AI system impact assessments (ISO/IEC 42001 6.1.4, A.5):
 * record a questionnaire from an answers file, approve it with four eyes,
 * list and show them, and tell which systems are due for a new one.
 */
#include <stdlib.h>
#include <string.h>

#include "aims/assess.h"
#include "commands.h"

const cli_opt cmd_assess_impact_opts[] = {
	{ "answers", "FILE", "the questionnaire (YAML, or JSON; '-' for standard input; required)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_assess_approve_opts[] = {
	{ "approver", "NAME", "who approves (default $AIMS_ACTOR, else $USER); not the author", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_assess_list_opts[] = {
	{ "system", "NAME", "only this AI system", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *assessment_json(const aims_assessment *a, int with_answers)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s}", "id", a->id, "system", a->system,
			      "version", a->version, "status", a->status, "author", a->author, "approver",
			      opt_str(a->approver), "approved_at", opt_str(a->approved_at), "source", a->source,
			      "source_digest", a->source_digest, "digest", a->digest, "created_at", a->created_at);
	if (o && with_answers) {
		json_object_set_new(o, "answers", json_loads(a->answers, 0, NULL));
		json_object_set_new(o, "snapshot", a->snapshot ? json_loads(a->snapshot, 0, NULL) : json_null());
	}
	return o;
}

static int print_one(aims_store *store, const cli_ctx *ctx, const char *id)
{
	aims_assessment *a = NULL;
	int err = aims_assess_get(&a, store, id), rc = EXIT_OK;
	if (err < 0)
		return cli_fail(err);
	if (ctx->json) {
		json_t *o = assessment_json(a, 1);
		int due = 0;
		char *why = NULL;
		if (o && aims_assess_due(&due, &why, store, a->system) == 0) {
			json_object_set_new(o, "system_due", json_boolean(due));
			json_object_set_new(o, "due_reasons", opt_str(why));
		}
		free(why);
		rc = cli_print_json(o);
	} else {
		printf("%s  %s version %d  %s\n", a->id, a->system, a->version, a->status);
		printf("  author:   %s\n  approver: %s%s%s\n  source:   %s (%s)\n  digest:   %s\n", a->author,
		       a->approver ? a->approver : "-", a->approved_at ? " at " : "", a->approved_at ? a->approved_at : "",
		       a->source, a->source_digest, a->digest);
		json_t *ans = json_loads(a->answers, 0, NULL);
		if (ans) {
			printf("  answers:\n");
			json_dumpf(ans, stdout, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
			printf("\n");
			json_decref(ans);
		}
	}
	aims_assessment_free(a);
	return rc;
}

int cmd_assess_impact(cli_ctx *ctx)
{
	const char *path = cli_get(ctx, "answers");
	aims_store *store = NULL;
	char *data = NULL, *id = NULL;
	size_t len = 0;
	int rc, err;
	if (!path)
		return cli_usage(ctx, "missing --answers FILE");
	if ((rc = cli_read_file(&data, &len, path, (size_t)1 << 20)) != EXIT_OK)
		return rc;
	/* check the file before the store, so a bad file never needs one */
	if ((err = aims_assess_answers_check(data, len, strcmp(path, "-") == 0 ? "standard input" : path)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_assess_impact(&id, store, ctx->args[0], data, len,
				      strcmp(path, "-") == 0 ? "standard input" : path)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = print_one(store, ctx, id);
	else
		printf("recorded %s for %s (draft; approve with 'aims assess approve %s')\n", id, ctx->args[0], id);
done:
	free(data);
	free(id);
	aims_store_free(store);
	return rc;
}

int cmd_assess_approve(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	const char *who = cli_get(ctx, "approver") ? cli_get(ctx, "approver") : aims_store_actor(store);
	if ((err = aims_assess_approve(store, ctx->args[0], who)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = print_one(store, ctx, ctx->args[0]);
	else
		printf("%s approved by %s\n", ctx->args[0], who);
done:
	aims_store_free(store);
	return rc;
}

int cmd_assess_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	int rc;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	rc = print_one(store, ctx, ctx->args[0]);
	aims_store_free(store);
	return rc;
}

int cmd_assess_list(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_assessments *l = NULL;
	json_t *systems = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_assess_list(&l, store, cli_get(ctx, "system"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	/* due state once per system seen (or the one asked for) */
	if (!(systems = json_array())) {
		rc = cli_fail(AIMS_ENOMEM);
		goto done;
	}
	for (size_t i = 0; i <= l->count; i++) {
		const char *sys = i < l->count ? l->items[i]->system : (l->count ? NULL : cli_get(ctx, "system"));
		int seen = 0;
		for (size_t k = 0; sys && k < i && !seen; k++)
			seen = l->items[k]->system && strcmp(l->items[k]->system, sys) == 0;
		if (!sys || seen)
			continue;
		int due = 0;
		char *why = NULL;
		if ((err = aims_assess_due(&due, &why, store, sys)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		json_array_append_new(systems, json_pack("{s:s, s:b, s:o}", "system", sys, "due", due, "reasons",
							 opt_str(why)));
		free(why);
	}
	if (ctx->json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < l->count; i++)
			json_array_append_new(a, assessment_json(l->items[i], 0));
		rc = cli_print_json(json_pack("{s:o, s:O}", "assessments", a, "systems", systems));
		goto done;
	}
	static const char *const hdr[] = { "ID", "SYSTEM", "VERSION", "STATUS", "AUTHOR", "APPROVER", "CREATED" };
	cli_table *t = cli_table_new(7, hdr);
	for (size_t i = 0; t && i < l->count; i++) {
		const aims_assessment *a = l->items[i];
		char v[16];
		snprintf(v, sizeof(v), "%d", a->version);
		const char *cells[] = { a->id, a->system, v, a->status, a->author, a->approver ? a->approver : "-",
					a->created_at };
		cli_table_add(t, cells);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	size_t i;
	json_t *s;
	json_array_foreach(systems, i, s) {
		const char *why = json_string_value(json_object_get(s, "reasons"));
		printf("%s: %s%s%s\n", json_string_value(json_object_get(s, "system")),
		       json_is_true(json_object_get(s, "due")) ? "impact assessment due" : "impact assessment current",
		       why ? ": " : "", why ? why : "");
	}
done:
	json_decref(systems);
	aims_assessments_free(l);
	aims_store_free(store);
	return rc;
}
