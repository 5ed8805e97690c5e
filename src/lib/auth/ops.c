/*
 * Operations on accounts, roles, API tokens and sessions (aims user,
 * aims token, aims whoami; /api/v1/users, /tokens, /session). The JSON of
 * an account and a token is built here, once, for the CLI and the API. An
 * initial or generated password and a new token are in the response of the
 * request that made them and nowhere else.
 */
#include <sodium.h>
#include <string.h>

#include "aims/auth.h"
#include "aims/op.h"
#include "core/core.h"
#include "auth_internal.h"
#include "op/op_internal.h"

static json_t *roles_json(unsigned roles)
{
	json_t *a = json_array();
	for (int i = 0; a && i < AIMS_ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(aims_role_names[i]));
	return a;
}

json_t *aims_account_json(const aims_account *a)
{
	return json_pack("{s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:i}", "name", a->name, "display_name",
			 aims_json_str(a->display_name), "roles", roles_json(a->roles), "status", a->status,
			 "created_at", a->created_at, "created_by", a->created_by, "password_changed_at",
			 aims_json_str(a->password_changed_at), "tokens", a->tokens);
}

json_t *aims_token_json(const aims_token *t)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o}", "id", t->id, "account", t->account, "label",
			 aims_json_str(t->label), "created_at", t->created_at, "created_by", t->created_by,
			 "expires_at", aims_json_str(t->expires_at), "revoked_at", aims_json_str(t->revoked_at));
}

static int roles_from_req(unsigned *out, const json_t *req, const char *field)
{
	const char **v = NULL;
	size_t n = 0;
	int err;
	*out = 0;
	if ((err = aims_req_list(&v, &n, req, field)) < 0)
		return err;
	for (size_t i = 0; i < n; i++) {
		unsigned bit = aims_role_bit(v[i]);
		if (!bit) {
			aims__err_set(AIMS_EINVALID, "%s: '%s' is not a role (admin, compliance-manager, risk-owner, "
				      "ml-engineer, reviewer, auditor, service)", field, v[i]);
			aims__err_set_field(field);
			aims__free(v);
			return AIMS_EINVALID;
		}
		*out |= bit;
	}
	aims__free(v);
	if (!*out) {
		aims__err_set(AIMS_EINVALID, "%s: at least one role", field);
		aims__err_set_field(field);
		return AIMS_EINVALID;
	}
	return 0;
}

static int account_doc(aims_op_result *res, aims_store *store, const char *name)
{
	aims_account *a = NULL;
	int err = aims_account_get(&a, store, name);
	if (err < 0)
		return err;
	res->json = aims_account_json(a);
	aims_account_free(a);
	return res->json ? 0 : aims__oom();
}

static int op_user_add(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *name = aims_req_str(req, "name");
	char *pw = NULL;
	unsigned roles;
	int err;
	if ((err = roles_from_req(&roles, req, "role")) < 0 ||
	    (err = aims_account_add(&pw, ctx->store, name, roles, aims_req_str(req, "display_name"))) < 0)
		return err;
	if ((err = account_doc(res, ctx->store, name)) == 0 &&
	    json_object_set_new(res->json, "initial_password", json_string(pw)) < 0)
		err = aims__oom();
	sodium_memzero(pw, strlen(pw));
	aims__free(pw);
	return err;
}

static int op_user_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_accounts *l = NULL;
	int err;
	(void)req;
	if ((err = aims_account_list(&l, ctx->store)) < 0)
		return err;
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_account_json(&l->items[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_accounts_free(l);
	if (!a || !(res->json = json_pack("{s:o}", "users", a)))
		return aims__oom();
	return 0;
}

static int op_user_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return account_doc(res, ctx->store, aims_req_str(req, "name"));
}

static int op_user_passwd(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *name = aims_req_str(req, "name");
	char *gen = NULL;
	int err;
	if ((err = aims_account_passwd(&gen, ctx->store, name, aims_req_str(req, "password"))) < 0)
		return err;
	if ((err = account_doc(res, ctx->store, name)) == 0 && gen &&
	    json_object_set_new(res->json, "new_password", json_string(gen)) < 0)
		err = aims__oom();
	if (gen) {
		sodium_memzero(gen, strlen(gen));
		aims__free(gen);
	}
	return err;
}

static int op_user_roles(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	unsigned roles;
	int err;
	if ((err = roles_from_req(&roles, req, "role")) < 0 ||
	    (err = aims_account_set_roles(ctx->store, aims_req_str(req, "name"), roles)) < 0)
		return err;
	return account_doc(res, ctx->store, aims_req_str(req, "name"));
}

static int op_user_disable(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err = aims_account_set_disabled(ctx->store, aims_req_str(req, "name"), 1);
	return err < 0 ? err : account_doc(res, ctx->store, aims_req_str(req, "name"));
}

static int op_user_enable(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err = aims_account_set_disabled(ctx->store, aims_req_str(req, "name"), 0);
	return err < 0 ? err : account_doc(res, ctx->store, aims_req_str(req, "name"));
}

static int op_user_os_roles(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_buf b = AIMS_BUF_INIT;
	unsigned roles = 0;
	int err;
	if (aims_req_has(req, "role")) {
		if ((err = roles_from_req(&roles, req, "role")) < 0 || (err = aims_roles_format(&b, roles)) < 0 ||
		    (err = aims_store_setting_set(ctx->store, "auth.os_roles", b.ptr)) < 0) {
			aims_buf_release(&b);
			return err;
		}
		res->wrote = 1;
	} else {
		char *v = NULL;
		if ((err = aims_store_setting_get(&v, ctx->store, "auth.os_roles")) < 0)
			return err;
		roles = v ? aims__auth_roles_parse(v) : AIMS_ROLE_ADMIN;
		aims__free(v);
	}
	aims_buf_release(&b);
	res->json = json_pack("{s:o}", "os_roles", roles_json(roles));
	return res->json ? 0 : aims__oom();
}

static int op_whoami(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const aims_principal *p = ctx->principal;
	(void)req;
	if (!p || p->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "not signed in");
	res->json = json_pack("{s:s, s:s, s:o}", "principal", p->name, "kind",
			      p->kind == AIMS_PRINCIPAL_ACCOUNT ? "account" : "os", "roles", roles_json(p->roles));
	return res->json ? 0 : aims__oom();
}

static int op_token_create(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *user = aims_req_str(req, "user");
	const char *password = aims_req_str(req, "password");
	char *token = NULL, *id = NULL;
	aims_tokens *l = NULL;
	int err;
	if (!user)
		user = ctx->principal->name;
	if (password) {
		/* signing in with the account's password: the token is then created by the account itself */
		aims_principal who;
		if ((err = aims_auth_password_check(&who, ctx->store, user, password, ctx->client_addr)) < 0 ||
		    (err = aims_store_set_principal(ctx->store, &who)) < 0)
			return err;
	}
	if ((err = aims_token_create(&token, &id, ctx->store, user, aims_req_str(req, "expires"),
				     aims_req_str(req, "label"))) < 0)
		return err;
	if ((err = aims_token_list(&l, ctx->store, user)) < 0)
		goto done;
	for (size_t i = 0; i < l->count && !res->json; i++)
		if (strcmp(l->items[i].id, id) == 0)
			res->json = aims_token_json(&l->items[i]);
	if (!res->json || json_object_set_new(res->json, "token", json_string(token)) < 0)
		err = aims__oom();
done:
	aims_tokens_free(l);
	sodium_memzero(token, strlen(token));
	aims__free(token);
	aims__free(id);
	return err;
}

static int op_token_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *user = aims_req_str(req, "user");
	aims_tokens *l = NULL;
	int err;
	if (!user && !aims_req_bool(req, "all"))
		user = ctx->principal->name;
	if ((err = aims_token_list(&l, ctx->store, user)) < 0)
		return err;
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		json_array_append_new(a, aims_token_json(&l->items[i]));
	aims_tokens_free(l);
	if (!a || !(res->json = json_pack("{s:o}", "tokens", a)))
		return aims__oom();
	return 0;
}

static int op_token_revoke(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *id = aims_req_str(req, "id");
	int err = aims_token_revoke(ctx->store, id);
	if (err < 0)
		return err;
	res->json = json_pack("{s:s, s:b}", "id", id, "revoked", 1);
	return res->json ? 0 : aims__oom();
}

static int op_session_login(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_session s;
	aims_principal who;
	char exp[32];
	int err = aims_session_login(&s, &who, ctx->store, aims_req_str(req, "user"), aims_req_str(req, "password"),
				     ctx->client_addr, 0);
	if (err < 0)
		return err;
	if (!(res->session_cookie = aims__strdup(s.cookie))) {
		sodium_memzero(&s, sizeof(s));
		return aims__oom();
	}
	aims__auth_time_str(exp, s.expires);
	res->json = json_pack("{s:s, s:o, s:s, s:s}", "principal", who.name, "roles", roles_json(who.roles),
			      "expires_at", exp, "csrf_token", s.csrf);
	sodium_memzero(&s, sizeof(s));
	return res->json ? 0 : aims__oom();
}

static int op_session_logout(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int err;
	(void)req;
	if (ctx->session && (err = aims_session_end(ctx->store, ctx->session)) < 0)
		return err;
	res->json = json_pack("{s:b}", "signed_out", 1);
	return res->json ? 0 : aims__oom();
}

static const char *const role_choices[] = {
	"admin", "compliance-manager", "risk-owner", "ml-engineer", "reviewer", "auditor", "service", NULL
};

static const aims_op_field f_user_add[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_ARG, "NAME", "account name: a-z, 0-9, '.', '_', '-'", NULL },
	{ "role", AIMS_FT_LIST, AIMS_FF_REQUIRED, "ROLE", "a role of the account (repeatable)", role_choices },
	{ "display_name", AIMS_FT_STRING, 0, "TEXT", "the person's or service's full name", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_user_name[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "account name", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_user_passwd[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "account name", NULL },
	{ "password", AIMS_FT_STRING, AIMS_FF_SECRET | AIMS_FF_NOCLI, "PASSWORD",
	  "the new password (12-1024 bytes); absent: a random one is generated and returned once", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_user_roles[] = {
	{ "name", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "NAME", "account name", NULL },
	{ "role", AIMS_FT_LIST, AIMS_FF_REQUIRED, "ROLE", "the account's roles from now on (repeatable)", role_choices },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_os_roles[] = {
	{ "role", AIMS_FT_LIST, 0, "ROLE", "the roles of local OS users working on the store directly (repeatable); "
	  "absent: show them", role_choices },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_token_create[] = {
	{ "user", AIMS_FT_STRING, 0, "NAME", "the account the token acts as (default: yourself)", NULL },
	{ "expires", AIMS_FT_DATE, 0, "YYYY-MM-DD", "last day the token is valid (default: no expiry)", NULL },
	{ "label", AIMS_FT_STRING, 0, "TEXT", "what the token is for", NULL },
	{ "password", AIMS_FT_STRING, AIMS_FF_SECRET | AIMS_FF_NOCLI, "PASSWORD",
	  "the password of --user, to sign in as that account (the command line's --password-stdin)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_token_list[] = {
	{ "user", AIMS_FT_STRING, 0, "NAME", "the account whose tokens to list (default: yourself)", NULL },
	{ "all", AIMS_FT_BOOL, 0, NULL, "every account's tokens (admins and auditors)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_token_id[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the token's public id (tok_...)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_login[] = {
	{ "user", AIMS_FT_STRING, AIMS_FF_REQUIRED, "NAME", "account name", NULL },
	{ "password", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_SECRET, "PASSWORD", "the account's password", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_none[] = { { NULL, 0, 0, NULL, NULL, NULL } };

const aims_op aims__ops_auth[] = {
	{ "session.login", NULL, "POST", "/session", "read", AIMS_OP_PUBLIC | AIMS_OP_NOCLI | AIMS_OP_CREATED, f_login,
	  "sign in with account name and password: a session cookie and its CSRF token", NULL, NULL, NULL,
	  op_session_login },
	{ "session.logout", NULL, "DELETE", "/session", "read", AIMS_OP_PUBLIC | AIMS_OP_NOCLI, f_none,
	  "sign out: the session ends and its cookie is cleared", NULL, NULL, NULL, op_session_logout },
	{ "token.create", "token create", "POST", "/tokens", "token.own", AIMS_OP_WRITE | AIMS_OP_CREATED,
	  f_token_create, "create an API token (shown once)", NULL, NULL, NULL, op_token_create },
	{ "token.list", "token list", "GET", "/tokens", "token.own", AIMS_OP_LIST, f_token_list,
	  "list API tokens (never their secrets)", "tokens", NULL, NULL, op_token_list },
	{ "token.revoke", "token revoke", "DELETE", "/tokens/{id}", "token.own", AIMS_OP_WRITE, f_token_id,
	  "revoke an API token", NULL, NULL, NULL, op_token_revoke },
	{ "user.add", "user add", "POST", "/users", "user.manage", AIMS_OP_WRITE | AIMS_OP_CREATED, f_user_add,
	  "create an account with roles and a one-time initial password", NULL, NULL, NULL, op_user_add },
	{ "user.disable", "user disable", "POST", "/users/{name}/disable", "user.manage",
	  AIMS_OP_WRITE | AIMS_OP_UPDATE, f_user_name, "disable an account: its sessions end, its tokens are revoked",
	  NULL, "user.show", NULL, op_user_disable },
	{ "user.enable", "user enable", "POST", "/users/{name}/enable", "user.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_user_name, "enable a disabled account again", NULL, "user.show", NULL, op_user_enable },
	{ "user.list", "user list", "GET", "/users", "read", AIMS_OP_LIST | AIMS_OP_CACHEABLE, f_none, "list accounts and their roles",
	  "users", NULL, NULL, op_user_list },
	{ "user.os_roles", "user os-roles", "PUT", "/settings/os-roles", "user.manage", AIMS_OP_WRITE, f_os_roles,
	  "set (or show) the roles of local OS users working on the store directly", NULL, NULL, NULL,
	  op_user_os_roles },
	{ "user.passwd", "user passwd", "POST", "/users/{name}/password", "token.own", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_user_passwd, "change your password, or (admins) reset someone's to a one-time random one", NULL,
	  "user.show", NULL, op_user_passwd },
	{ "user.roles", "user roles", "PUT", "/users/{name}/roles", "user.manage", AIMS_OP_WRITE | AIMS_OP_UPDATE,
	  f_user_roles, "replace the roles of an account", NULL, "user.show", NULL, op_user_roles },
	{ "user.show", "user show", "GET", "/users/{name}", "read", AIMS_OP_CACHEABLE, f_user_name, "show an account", NULL, NULL, NULL,
	  op_user_show },
	{ "whoami", "whoami", "GET", "/whoami", "read", AIMS_OP_PUBLIC, f_none, "who you are acting as, and your roles", NULL, NULL,
	  NULL, op_whoami },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
