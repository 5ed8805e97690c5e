/*
 * aims user, aims token, aims whoami: accounts, their roles and API tokens,
 * and who the command line acts as. The work and the JSON are the library's
 * operations (user.*, token.*, whoami); this file prints their results for
 * people, and reads a new password from standard input when asked to.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_user_passwd_opts[] = {
	{ "password-stdin", NULL, "read the new password from the first line of standard input (default: "
	  "generate a random one and print it once)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static void roles_line(char *out, size_t cap, const json_t *roles)
{
	size_t i, len = 0;
	json_t *r;
	out[0] = '\0';
	json_array_foreach(roles, i, r) {
		int n = snprintf(out + len, cap - len, "%s%s", i ? "," : "", json_string_value(r));
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

int cmd_user_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *u = res->json;
	char roles[256];
	(void)ctx;
	roles_line(roles, sizeof(roles), json_object_get(u, "roles"));
	printf("%s (%s): %s\n", js(u, "name"), js(u, "status"), roles);
	/* a password made by this request is shown once, here, and nowhere else */
	if (json_is_string(json_object_get(u, "initial_password")))
		printf("initial password (shown once; change it with 'aims user passwd %s --password-stdin'): %s\n",
		       js(u, "name"), js(u, "initial_password"));
	if (json_is_string(json_object_get(u, "new_password")))
		printf("new password (shown once): %s\n", js(u, "new_password"));
	return EXIT_OK;
}

int cmd_user_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "NAME", "STATUS", "ROLES", "TOKENS", "CREATED", "BY" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *u;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "users"), i, u) {
		char roles[256], tokens[32];
		roles_line(roles, sizeof(roles), json_object_get(u, "roles"));
		snprintf(tokens, sizeof(tokens), "%lld", (long long)json_integer_value(json_object_get(u, "tokens")));
		const char *row[] = { js(u, "name"), js(u, "status"), roles, tokens, js(u, "created_at"),
			js(u, "created_by") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_user_passwd_prepare(cli_ctx *ctx, json_t *req)
{
	char line[1100];
	if (!cli_flag(ctx, "password-stdin"))
		return EXIT_OK;
	if (!fgets(line, sizeof(line), stdin)) {
		fprintf(stderr, "error: no password on standard input\n");
		return EXIT_INPUT;
	}
	size_t n = strcspn(line, "\r\n");
	line[n] = '\0';
	json_t *v = json_string(line);
	memset(line, 0, sizeof(line));
	if (!v) {
		fprintf(stderr, "error: the password is not valid UTF-8\n");
		return EXIT_INPUT;
	}
	return json_object_set_new(req, "password", v) < 0 ? EXIT_FAILURE_ : EXIT_OK;
}

int cmd_token_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *t = res->json;
	(void)ctx;
	if (json_is_string(json_object_get(t, "token"))) {
		printf("token %s for %s%s%s (shown once; store it now):\n%s\n", js(t, "id"), js(t, "account"),
		       json_is_string(json_object_get(t, "expires_at")) ? ", expires " : "",
		       json_is_string(json_object_get(t, "expires_at")) ? js(t, "expires_at") : "", js(t, "token"));
		return EXIT_OK;
	}
	printf("token %s revoked\n", js(t, "id"));
	return EXIT_OK;
}

int cmd_token_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "ACCOUNT", "LABEL", "CREATED", "EXPIRES", "REVOKED" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *k;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "tokens"), i, k) {
		const char *row[] = { js(k, "id"), js(k, "account"), js(k, "label"), js(k, "created_at"),
			js(k, "expires_at"), js(k, "revoked_at") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_whoami_render(cli_ctx *ctx, const aims_op_result *res)
{
	char roles[256];
	(void)ctx;
	roles_line(roles, sizeof(roles), json_object_get(res->json, "roles"));
	printf("%s (%s): %s\n", js(res->json, "principal"), js(res->json, "kind"), roles[0] ? roles : "no roles");
	return EXIT_OK;
}
