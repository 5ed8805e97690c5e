/*
 * aims system and aims deploy: the inventory of AI systems and their
 * deployments. The work and the JSON are the library's operations
 * (system.*, deploy.*); this file prints their results for people.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static void print_deployment_line(const json_t *d)
{
	printf("  %lld  %s  %s  %s  by %s\n", (long long)json_integer_value(json_object_get(d, "seq")),
	       js(d, "deployed_at"), js(d, "model"), js(d, "env"), js(d, "deployed_by"));
}

static int print_full(const json_t *s)
{
	printf("%s (version %lld, %s)\n", js(s, "name"), (long long)json_integer_value(json_object_get(s, "version")),
	       js(s, "status"));
	printf("purpose: %s\nintended use: %s\nforeseeable misuse: %s\nowner: %s\nlifecycle: %s\n"
	       "EU AI Act role: %s\nhuman oversight: %s\naffected groups: %s\ndigest: %s\ncurrent model: %s\n",
	       js(s, "purpose"), js(s, "intended_use"), js(s, "misuse"), js(s, "owner"), js(s, "lifecycle"),
	       js(s, "role"), js(s, "oversight"), js(s, "affected_groups"), js(s, "digest"),
	       json_is_string(json_object_get(s, "current_model")) ? js(s, "current_model") : "none");
	json_t *dl = json_object_get(s, "deployments");
	printf("deployments:%s\n", json_array_size(dl) ? "" : " none");
	size_t i;
	json_t *d;
	json_array_foreach(dl, i, d) {
		print_deployment_line(d);
	}
	return EXIT_OK;
}

int cmd_system_render_add(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *s = res->json;
	(void)ctx;
	printf("%s (version %lld, %s)\n", js(s, "name"), (long long)json_integer_value(json_object_get(s, "version")),
	       js(s, "status"));
	return EXIT_OK;
}

int cmd_system_render_set(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	if (res->message) {
		printf("%s\n", res->message);
		return EXIT_OK;
	}
	return print_full(res->json);
}

int cmd_system_render_show(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	return print_full(res->json);
}

int cmd_system_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "NAME", "STATUS", "LIFECYCLE", "ROLE", "OVERSIGHT", "OWNER", "MODEL" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *s;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "systems"), i, s) {
		const char *row[] = { js(s, "name"), js(s, "status"), js(s, "lifecycle"), js(s, "role"),
			js(s, "oversight"), js(s, "owner"), js(s, "current_model") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_deploy_render_record(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *d = res->json;
	(void)ctx;
	printf("%s: deployment %lld: %s in %s at %s\n", js(d, "system"),
	       (long long)json_integer_value(json_object_get(d, "seq")), js(d, "model"), js(d, "env"),
	       js(d, "deployed_at"));
	return EXIT_OK;
}

int cmd_deploy_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "SYSTEM", "#", "DEPLOYED", "MODEL", "ENV", "BY" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *d;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "deployments"), i, d) {
		char seq[32];
		snprintf(seq, sizeof(seq), "%lld", (long long)json_integer_value(json_object_get(d, "seq")));
		const char *row[] = { js(d, "system"), seq, js(d, "deployed_at"), js(d, "model"), js(d, "env"),
			js(d, "deployed_by") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}
