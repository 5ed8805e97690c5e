/*
 * aims assess: AI system impact assessments (ISO/IEC 42001 6.1.4, A.5).
 * The work and the JSON are the library's operations (assess.*): record a
 * questionnaire from an answers file, approve it with four eyes (the acting
 * principal, never the author), list and show them; this file prints their
 * results for people.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

int cmd_assess_render_impact(cli_ctx *ctx, const aims_op_result *res)
{
	const char *id = js(res->json, "id");
	(void)ctx;
	printf("recorded %s for %s (draft; approve with 'aims assess approve %s')\n", id, js(res->json, "system"), id);
	return EXIT_OK;
}

int cmd_assess_render_approve(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("%s approved by %s\n", js(res->json, "id"), js(res->json, "approver"));
	return EXIT_OK;
}

int cmd_assess_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *a = res->json, *ans = json_object_get(a, "answers");
	const char *at = json_string_value(json_object_get(a, "approved_at"));
	(void)ctx;
	printf("%s  %s version %lld  %s\n", js(a, "id"), js(a, "system"),
	       (long long)json_integer_value(json_object_get(a, "version")), js(a, "status"));
	printf("  author:   %s\n  approver: %s%s%s\n  source:   %s (%s)\n  digest:   %s\n", js(a, "author"),
	       js(a, "approver"), at ? " at " : "", at ? at : "", js(a, "source"), js(a, "source_digest"),
	       js(a, "digest"));
	if (ans) {
		printf("  answers:\n");
		json_dumpf(ans, stdout, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
		printf("\n");
	}
	return EXIT_OK;
}

int cmd_assess_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "VERSION", "STATUS", "AUTHOR", "APPROVER", "CREATED" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *a, *s;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "assessments"), i, a) {
		char v[32];
		snprintf(v, sizeof(v), "%lld", (long long)json_integer_value(json_object_get(a, "version")));
		const char *cells[] = { js(a, "id"), js(a, "system"), v, js(a, "status"), js(a, "author"),
					js(a, "approver"), js(a, "created_at") };
		cli_table_add(t, cells);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	json_array_foreach(json_object_get(res->json, "systems"), i, s) {
		const char *why = json_string_value(json_object_get(s, "reasons"));
		printf("%s: %s%s%s\n", js(s, "system"),
		       json_is_true(json_object_get(s, "due")) ? "impact assessment due" : "impact assessment current",
		       why ? ": " : "", why ? why : "");
	}
	return EXIT_OK;
}
