/*
 * aims org show | set: the facts about the organization that reports use.
 * The work and the JSON are the library's operations (org.show, org.set);
 * this file prints their results for people.
 */
#include "commands.h"

int cmd_org_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const facts[] = { "name", "sector", "country" };
	(void)ctx;
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const char *v = json_string_value(json_object_get(res->json, facts[i]));
		printf("%-8s %s\n", facts[i], v ? v : "(not set)");
	}
	return EXIT_OK;
}

/* a change prints nothing (the facts: 'aims org show', or --json) */
int cmd_org_render_set(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	(void)res;
	return EXIT_OK;
}
