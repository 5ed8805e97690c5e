/*
 * Signing in and out (the same session as POST /api/v1/session) and the
 * signed-in account's own page: who it is, its password, its API tokens.
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

int aims__web_pg_login(W *w)
{
	if (strcmp(w->rq->method, "POST") == 0) {
		json_t *req = json_pack("{s:s, s:s}", "user", aims__web_fstr(w, "user"), "password", aims__web_fstr(w, "password"));
		int err = aims__web_call(NULL, NULL, w, "session.login", req);
		if (err == 0)
			return aims__web_redirect(w, "/");
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", aims_error_last());
		aims_error_clear();
		return aims__web_page(w, aims__web_status(err), "login.html", "Sign in",
			    json_pack("{s:s, s:s}", "error", msg, "user", aims__web_fstr(w, "user")));
	}
	if (aims__web_signed_in(w))
		return aims__web_redirect(w, "/");
	return aims__web_page(w, 200, "login.html", "Sign in", json_object());
}

int aims__web_pg_logout(W *w)
{
	int err = aims__web_call(NULL, NULL, w, "session.logout", NULL);
	if (err < 0)
		return aims__web_fail(w, err);
	w->rs->end_session = 1;
	return aims__web_redirect(w, "/login");
}

int aims__web_pg_account(W *w, const char *sub)
{
	json_t *me = NULL, *tokens = NULL, *ctx;
	int err;
	const char *name = w->rq->principal->name;
	if (strcmp(w->rq->method, "POST") == 0) {
		if (strcmp(sub, "tokens") == 0) {
			json_t *req = json_object(), *tok = NULL;
			static const char *const keys[] = { "label", "expires", NULL };
			if (!req || aims__web_form_copy(req, w, keys) < 0) {
				json_decref(req);
				return aims__oom();
			}
			if ((err = aims__web_call(&tok, NULL, w, "token.create", req)) < 0)
				return aims__web_fail(w, err);
			/* shown once, on this page only: the token is not kept anywhere else */
			err = aims__web_page(w, 201, "token.html", "New API token", json_pack("{s:o}", "token", tok));
			return err;
		}
		if (strncmp(sub, "tokens/", 7) == 0 && strlen(sub) > 14 && strcmp(sub + strlen(sub) - 7, "/revoke") == 0) {
			char id[128];
			snprintf(id, sizeof(id), "%.*s", (int)(strlen(sub) - 14), sub + 7);
			if ((err = aims__web_call(NULL, NULL, w, "token.revoke", aims__web_req1("id", id))) < 0)
				return aims__web_fail(w, err);
			return aims__web_redirect(w, "/account");
		}
		if (strcmp(sub, "password") == 0) {
			if (strcmp(aims__web_fstr(w, "password"), aims__web_fstr(w, "password2")) != 0) {
				aims__err_set(AIMS_EINVALID, "password: the two entries differ");
				return aims__web_fail(w, AIMS_EINVALID);
			}
			json_t *req = json_pack("{s:s, s:s}", "name", name, "password", aims__web_fstr(w, "password"));
			if ((err = aims__web_call(NULL, NULL, w, "user.passwd", req)) < 0)
				return aims__web_fail(w, err);
			return aims__web_redirect(w, "/account");
		}
		aims__err_set(AIMS_ENOTFOUND, "no such form");
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	if (*sub) {
		aims__err_set(AIMS_ENOTFOUND, "%s: no such page", w->rq->path);
		return aims__web_fail(w, AIMS_ENOTFOUND);
	}
	if ((err = aims__web_call(&me, NULL, w, "whoami", NULL)) < 0)
		return aims__web_fail(w, err);
	if (aims__web_can(w, "token.own") && (err = aims__web_call(&tokens, NULL, w, "token.list", NULL)) < 0) {
		json_decref(me);
		return aims__web_fail(w, err);
	}
	json_t *tl = json_object_get(tokens, "tokens");
	for (size_t i = 0; i < json_array_size(tl); i++) {
		json_t *t = json_array_get(tl, i);
		json_object_set_new(t, "revoke_href",
				    aims__web_url("/account/tokens/", json_string_value(json_object_get(t, "id")), "/revoke"));
	}
	ctx = json_pack("{s:o, s:O?, s:b, s:b}", "who", me, "tokens", tl, "can_tokens", aims__web_can(w, "token.own"),
			"is_account", w->rq->principal->kind == AIMS_PRINCIPAL_ACCOUNT);
	json_decref(tokens);
	return aims__web_page(w, 200, "account.html", "Your account", ctx);
}
