/*
 * Unit tests of principals, accounts, API tokens, sessions, sign-in
 * throttling, the permission table and the operation table's invariants,
 * on real SQLite stores.
 */
#include "helpers.h"

#include <sodium.h>

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "root-admin", AIMS_ROLE_ADMIN);
	return s;
}

static char *add(aims_store *s, const char *name, unsigned roles)
{
	char *pw = NULL;
	assert_aims_ok(aims_account_add(&pw, s, name, roles, NULL));
	assert_int_equal(strlen(pw), 20);
	return pw;
}

static void test_accounts(void **state)
{
	(void)state;
	aims_store *s = fresh("accounts.db");
	char *pw = add(s, "alice", AIMS_ROLE_RISK_OWNER | AIMS_ROLE_COMPLIANCE_MANAGER);
	char *out = NULL;
	assert_aims_error(aims_account_add(&out, s, "alice", AIMS_ROLE_AUDITOR, NULL), AIMS_ECONFLICT, "exists");
	assert_aims_error(aims_account_add(&out, s, "Alice", AIMS_ROLE_AUDITOR, NULL), AIMS_EINVALID, "account name");
	assert_aims_error(aims_account_add(&out, s, "os:bob", AIMS_ROLE_AUDITOR, NULL), AIMS_EINVALID, "account name");
	assert_aims_error(aims_account_add(&out, s, "bob", 0, NULL), AIMS_EINVALID, "at least one role");
	assert_null(out);

	/* only an admin creates accounts */
	test_act_as(s, "alice", AIMS_ROLE_RISK_OWNER);
	assert_aims_error(aims_account_add(&out, s, "carol", AIMS_ROLE_AUDITOR, NULL), AIMS_EPERM, "only an admin");

	aims_account *a = NULL;
	assert_aims_ok(aims_account_get(&a, s, "alice"));
	assert_int_equal(a->roles, AIMS_ROLE_RISK_OWNER | AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_string_equal(a->status, "active");
	assert_string_equal(a->created_by, "root-admin");
	assert_null(a->password_changed_at);
	json_t *j = aims_account_json(a);
	char *dump = json_dumps(j, 0);
	/* the JSON of an account never carries the hash */
	assert_null(strstr(dump, "argon2"));
	assert_null(strstr(dump, "password_hash"));
	free(dump);
	json_decref(j);
	aims_account_free(a);

	/* the ledger records the creation with the creator as actor, and no secret */
	aims_ledger_entries *log = NULL;
	assert_aims_ok(aims_ledger_log_read(&log, s, "alice"));
	assert_int_equal(log->count, 1);
	assert_string_equal(log->items[0].actor, "root-admin");
	assert_string_equal(log->items[0].object_type, "account");
	aims_ledger_entries_free(log);

	/* the last admin cannot lose admin or be disabled */
	test_act_as(s, "root-admin", AIMS_ROLE_ADMIN);
	free(add(s, "admin", AIMS_ROLE_ADMIN));
	assert_aims_error(aims_account_set_roles(s, "admin", AIMS_ROLE_AUDITOR), AIMS_ECONFLICT, "last active admin");
	assert_aims_error(aims_account_set_disabled(s, "admin", 1), AIMS_ECONFLICT, "last active admin");
	free(add(s, "admin2", AIMS_ROLE_ADMIN));
	assert_aims_ok(aims_account_set_disabled(s, "admin", 1));
	assert_aims_ok(aims_account_get(&a, s, "admin"));
	assert_string_equal(a->status, "disabled");
	aims_account_free(a);
	free(pw);
	aims_store_free(s);
}

static void test_passwords_and_sessions(void **state)
{
	(void)state;
	aims_store *s = fresh("sessions.db");
	char *pw = add(s, "alice", AIMS_ROLE_RISK_OWNER);
	aims_session ses;
	aims_principal who, p;
	char csrf[64];
	const int64_t t0 = 2000000000;

	assert_aims_error(aims_session_login(&ses, &who, s, "alice", "wrong password!", "10.0.0.1", t0), AIMS_EAUTH,
			  "sign-in failed");
	assert_aims_error(aims_session_login(&ses, &who, s, "nobody", pw, "10.0.0.1", t0), AIMS_EAUTH, "sign-in failed");
	assert_aims_ok(aims_session_login(&ses, &who, s, "alice", pw, "10.0.0.1", t0));
	assert_string_equal(who.name, "alice");
	assert_int_equal(who.roles, AIMS_ROLE_RISK_OWNER);
	assert_int_equal(strlen(ses.csrf), 43);
	assert_non_null(strchr(ses.cookie, '.'));

	assert_aims_ok(aims_session_check(&p, csrf, s, ses.cookie, t0 + 60));
	assert_string_equal(p.name, "alice");
	assert_string_equal(csrf, ses.csrf);
	/* a cookie with one changed character of its secret is not a session */
	char forged[96];
	snprintf(forged, sizeof(forged), "%s", ses.cookie);
	forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == 'A' ? 'B' : 'A';
	assert_aims_error(aims_session_check(&p, csrf, s, forged, t0 + 60), AIMS_EAUTH, "not signed in");
	/* idle expiry, absolute expiry */
	assert_aims_error(aims_session_check(&p, csrf, s, ses.cookie, t0 + AIMS_SESSION_IDLE_SECONDS + 61), AIMS_EAUTH,
			  "expired");
	aims_session ses2;
	assert_aims_ok(aims_session_login(&ses2, &who, s, "alice", pw, "10.0.0.1", t0));
	for (int64_t t = t0 + 3600; t < t0 + AIMS_SESSION_MAX_SECONDS; t += 3600)
		assert_aims_ok(aims_session_check(&p, csrf, s, ses2.cookie, t));
	assert_aims_error(aims_session_check(&p, csrf, s, ses2.cookie, t0 + AIMS_SESSION_MAX_SECONDS), AIMS_EAUTH,
			  "expired");
	/* sign-out, and a password change ends every session */
	aims_session ses3, ses4;
	assert_aims_ok(aims_session_login(&ses3, &who, s, "alice", pw, "10.0.0.1", t0));
	assert_aims_ok(aims_session_login(&ses4, &who, s, "alice", pw, "10.0.0.1", t0));
	assert_aims_ok(aims_session_end(s, ses3.cookie));
	assert_aims_error(aims_session_check(&p, csrf, s, ses3.cookie, t0 + 1), AIMS_EAUTH, "not signed in");
	assert_aims_ok(aims_session_check(&p, csrf, s, ses4.cookie, t0 + 1));
	test_act_as(s, "alice", AIMS_ROLE_RISK_OWNER);
	assert_aims_error(aims_account_passwd(NULL, s, "alice", "short"), AIMS_EINVALID, "at least 12");
	assert_aims_ok(aims_account_passwd(NULL, s, "alice", "a much longer passphrase"));
	assert_aims_error(aims_session_check(&p, csrf, s, ses4.cookie, t0 + 2), AIMS_EAUTH, "not signed in");
	/* someone else's password: only an admin, and it stays an initial password */
	char *gen = NULL;
	test_act_as(s, "root-admin", AIMS_ROLE_ADMIN);
	free(add(s, "bob", AIMS_ROLE_AUDITOR));
	test_act_as(s, "alice", AIMS_ROLE_RISK_OWNER);
	assert_aims_error(aims_account_passwd(&gen, s, "bob", NULL), AIMS_EPERM, "only the account itself or an admin");
	test_act_as(s, "root-admin", AIMS_ROLE_ADMIN);
	assert_aims_ok(aims_account_passwd(&gen, s, "bob", NULL));
	assert_int_equal(strlen(gen), 20);
	assert_aims_ok(aims_session_login(&ses, &who, s, "bob", gen, "10.0.0.2", t0 + 10));
	free(gen);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	aims_store_free(s);
}

static void test_throttling(void **state)
{
	(void)state;
	aims_store *s = fresh("throttle.db");
	char *pw = add(s, "alice", AIMS_ROLE_AUDITOR);
	aims_session ses;
	aims_principal who;
	const int64_t t0 = 2000000000;
	/* three free failures, then waits of 1, 2, 4... seconds, per account and per address */
	for (int i = 0; i < 3; i++)
		assert_aims_error(aims_session_login(&ses, &who, s, "alice", "nope nope nope", "10.0.0.9", t0), AIMS_EAUTH,
				  "sign-in failed");
	assert_aims_error(aims_session_login(&ses, &who, s, "alice", "nope nope nope", "10.0.0.9", t0), AIMS_EAUTH,
			  "sign-in failed");
	/* the 4th failure blocks for 1 s: even the right password waits, from any address */
	assert_aims_error(aims_session_login(&ses, &who, s, "alice", pw, "10.9.9.9", t0), AIMS_ETHROTTLED, "try again");
	assert_int_equal(aims_error_retry_after(), 1);
	assert_aims_error(aims_session_login(&ses, &who, s, "alice", "nope nope nope", "10.0.0.9", t0 + 1), AIMS_EAUTH,
			  "sign-in failed");
	assert_aims_error(aims_session_login(&ses, &who, s, "alice", pw, "10.9.9.9", t0 + 2), AIMS_ETHROTTLED, "try again");
	assert_int_equal(aims_error_retry_after(), 1);
	/* the address is throttled too, for other accounts */
	free(add(s, "bob", AIMS_ROLE_AUDITOR));
	assert_aims_error(aims_session_login(&ses, &who, s, "bob", "x", "10.0.0.9", t0 + 2), AIMS_ETHROTTLED, "try again");
	/* after the wait the right password works and clears the account's count */
	assert_aims_ok(aims_session_login(&ses, &who, s, "alice", pw, "10.9.9.9", t0 + 10));
	assert_aims_error(aims_session_login(&ses, &who, s, "alice", "nope nope nope", "10.9.9.8", t0 + 11), AIMS_EAUTH,
			  "sign-in failed");
	free(pw);
	aims_store_free(s);
}

static void test_tokens(void **state)
{
	(void)state;
	aims_store *s = fresh("tokens.db");
	char *pw = add(s, "alice", AIMS_ROLE_ML_ENGINEER);
	free(add(s, "svc", AIMS_ROLE_SERVICE));
	char *tok = NULL, *id = NULL;
	aims_principal p;

	/* an admin cannot create a token for a person (it would act as them), only for a service account */
	assert_aims_error(aims_token_create(&tok, &id, s, "alice", NULL, NULL), AIMS_EPERM, "only the account");
	assert_aims_ok(aims_token_create(&tok, &id, s, "svc", NULL, "ingest"));
	assert_aims_ok(aims_principal_from_token(&p, s, tok));
	assert_string_equal(p.name, "svc");
	assert_int_equal(p.roles, AIMS_ROLE_SERVICE);
	free(tok);
	free(id);

	/* the person signs in with the password, then creates their own */
	aims_principal me;
	assert_aims_error(aims_auth_password_check(&me, s, "alice", "not it at all", NULL), AIMS_EAUTH, "sign-in failed");
	assert_aims_ok(aims_auth_password_check(&me, s, "alice", pw, NULL));
	assert_aims_ok(aims_store_set_principal(s, &me));
	assert_aims_error(aims_token_create(&tok, &id, s, "alice", "2001-01-01", NULL), AIMS_EINVALID, "has passed");
	assert_aims_error(aims_token_create(&tok, &id, s, "alice", "soon", NULL), AIMS_EINVALID, "YYYY-MM-DD");
	assert_aims_ok(aims_token_create(&tok, &id, s, "alice", "2099-12-31", NULL));
	assert_aims_ok(aims_principal_from_token(&p, s, tok));
	assert_string_equal(p.name, "alice");
	/* stored as a hash: the table never holds the secret */
	aims_tokens *l = NULL;
	assert_aims_ok(aims_token_list(&l, s, "alice"));
	assert_int_equal(l->count, 1);
	assert_string_equal(l->items[0].expires_at, "2099-12-31T23:59:59Z");
	aims_tokens_free(l);
	/* others' tokens are not listed to a non-admin */
	assert_aims_error(aims_token_list(&l, s, NULL), AIMS_EPERM, "only its own");
	/* forged secrets, malformed tokens, revocation, disabled accounts */
	char forged[128];
	snprintf(forged, sizeof(forged), "%s", tok);
	forged[strlen(forged) - 2] ^= 1;
	assert_aims_error(aims_principal_from_token(&p, s, forged), AIMS_EAUTH, "not valid");
	assert_aims_error(aims_principal_from_token(&p, s, "Bearer nothing"), AIMS_EAUTH, "malformed");
	assert_aims_ok(aims_token_revoke(s, id));
	assert_aims_error(aims_principal_from_token(&p, s, tok), AIMS_EAUTH, "revoked");
	free(tok);
	free(id);
	assert_aims_ok(aims_token_create(&tok, &id, s, "alice", NULL, NULL));
	test_act_as(s, "root-admin", AIMS_ROLE_ADMIN);
	free(add(s, "admin", AIMS_ROLE_ADMIN));
	assert_aims_ok(aims_account_set_disabled(s, "alice", 1));
	assert_aims_error(aims_principal_from_token(&p, s, tok), AIMS_EAUTH, "revoked");
	free(tok);
	free(id);
	free(pw);
	aims_store_free(s);
}

static void test_os_principal(void **state)
{
	(void)state;
	aims_store *s = fresh("os.db");
	aims_principal p;
	assert_aims_ok(aims_principal_os(&p, s));
	assert_int_equal(p.kind, AIMS_PRINCIPAL_OS);
	assert_int_equal(strncmp(p.name, "os:", 3), 0);
	assert_int_equal(p.roles, AIMS_ROLE_ADMIN);
	assert_aims_ok(aims_store_setting_set(s, "auth.os_roles", "auditor"));
	assert_aims_ok(aims_principal_os(&p, s));
	assert_int_equal(p.roles, AIMS_ROLE_AUDITOR);
	/* risk owners and similar named responsibilities must be principals */
	assert_aims_ok(aims_principal_check_name(s, "os:alice", "owner"));
	assert_aims_error(aims_principal_check_name(s, "Head of Credit", "owner"), AIMS_EINVALID, "not an account");
	aims_store_free(s);
}

static void test_permission_and_op_tables(void **state)
{
	(void)state;
	size_t np, n;
	const aims_permission *perm = aims_permissions(&np);
	for (size_t i = 1; i < np; i++)
		assert_true(strcmp(perm[i - 1].name, perm[i].name) < 0);
	for (size_t i = 0; i < np; i++) {
		assert_non_null(aims_permission_find(perm[i].name));
		/* auditors never hold a permission that writes, but the records of the audits they conduct */
		if (strcmp(perm[i].name, "read") != 0 && strcmp(perm[i].name, "verify") != 0 &&
		    strcmp(perm[i].name, "token.own") != 0 && strcmp(perm[i].name, "audit.conduct") != 0)
			assert_false(perm[i].roles & AIMS_ROLE_AUDITOR);
	}
	const aims_op *ops = aims_ops(&n);
	assert_true(n > 10);
	for (size_t i = 0; i < n; i++) {
		const aims_op *o = &ops[i];
		if (i)
			assert_true(strcmp(ops[i - 1].name, o->name) < 0);
		assert_true(o->flags & AIMS_OP_PUBLIC || aims_permission_find(o->perm) != NULL);
		assert_non_null(o->summary);
		assert_non_null(o->run);
		assert_int_equal(o->path[0], '/');
		if (o->flags & AIMS_OP_UPDATE)
			assert_non_null(aims_op_find(o->get_op));
		if (o->flags & AIMS_OP_LIST)
			assert_non_null(o->list_key);
		/* service accounts write nothing but ingest */
		if ((o->flags & AIMS_OP_WRITE) && !(o->flags & AIMS_OP_PUBLIC) &&
		    strcmp(o->perm, "decision.ingest") != 0 && strcmp(o->perm, "lineage.ingest") != 0)
			assert_false(aims_permission_find(o->perm)->roles & AIMS_ROLE_SERVICE);
		for (size_t k = i + 1; k < n; k++) {
			assert_false(o->cli && ops[k].cli && strcmp(o->cli, ops[k].cli) == 0);
			assert_false(strcmp(o->method, ops[k].method) == 0 && strcmp(o->path, ops[k].path) == 0);
		}
		/* every {field} of the path is a path field, and the other way round */
		for (const aims_op_field *f = o->fields; f && f->name; f++) {
			char want[80];
			snprintf(want, sizeof(want), "{%s}", f->name);
			assert_int_equal((f->flags & AIMS_FF_PATH) != 0, strstr(o->path, want) != NULL);
		}
	}
	json_t *params = NULL;
	int status = 0;
	const aims_op *o = aims_op_route(&params, &status, "GET", "/systems/credit");
	assert_non_null(o);
	assert_string_equal(o->name, "system.show");
	assert_string_equal(json_string_value(json_object_get(params, "name")), "credit");
	json_decref(params);
	assert_null(aims_op_route(&params, &status, "DELETE", "/systems/credit"));
	assert_int_equal(status, 405);
	assert_null(aims_op_route(&params, &status, "GET", "/nothing"));
	assert_int_equal(status, 404);
	json_t *doc = NULL;
	assert_aims_ok(aims_op_openapi(&doc));
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	json_decref(doc);
}

static void test_op_validation(void **state)
{
	(void)state;
	const aims_op *o = aims_op_find("system.set");
	json_t *req = json_pack("{s:s, s:s}", "name", "credit", "lifecycle", "bogus");
	assert_aims_error(aims_op_validate(o, req), AIMS_EINVALID, "lifecycle 'bogus': not one of");
	assert_string_equal(aims_error_last_field(), "lifecycle");
	json_decref(req);
	req = json_pack("{s:s, s:i}", "name", "credit", "purpose", 3);
	assert_aims_error(aims_op_validate(o, req), AIMS_EINVALID, "expected a string");
	assert_string_equal(aims_error_last_field(), "purpose");
	json_decref(req);
	req = json_pack("{s:s, s:s}", "name", "credit", "colour", "red");
	assert_aims_error(aims_op_validate(o, req), AIMS_EINVALID, "unknown field");
	assert_string_equal(aims_error_last_field(), "colour");
	json_decref(req);
	req = json_pack("{s:s}", "purpose", "x");
	assert_aims_error(aims_op_validate(o, req), AIMS_EINVALID, "required");
	assert_string_equal(aims_error_last_field(), "name");
	json_decref(req);
	req = json_pack("{s:s, s:s}", "name", "credit", "purpose", "two\nlines");
	assert_aims_error(aims_op_validate(o, req), AIMS_EINVALID, "one line");
	json_decref(req);
	req = json_pack("{s:s, s:s}", "name", "credit", "purpose", "fine");
	assert_aims_ok(aims_op_validate(o, req));
	json_decref(req);
}

static void test_op_call_permissions(void **state)
{
	(void)state;
	aims_store *s = fresh("ops.db");
	aims_op_result res = AIMS_OP_RESULT_INIT;
	aims_op_ctx ctx = { 0 };
	ctx.store = s;
	json_t *req = json_pack("{s:s}", "name", "credit");
	test_act_as(s, "auditor-1", AIMS_ROLE_AUDITOR);
	assert_aims_error(aims_op_call(&res, aims_op_find("system.add"), &ctx, req), AIMS_EPERM,
			  "permission 'inventory.manage'");
	test_act_as(s, "eng", AIMS_ROLE_ML_ENGINEER);
	ctx.principal = NULL;
	assert_aims_ok(aims_op_call(&res, aims_op_find("system.add"), &ctx, req));
	assert_string_equal(json_string_value(json_object_get(res.json, "name")), "credit");
	aims_op_result_release(&res);
	/* If-Match: the ETag of system.show; a stale one is refused and nothing changes */
	ctx.principal = NULL;
	assert_aims_ok(aims_op_call(&res, aims_op_find("system.show"), &ctx, req));
	char etag[80];
	snprintf(etag, sizeof(etag), "%s", res.etag);
	assert_int_equal(strncmp(etag, "\"sha256:", 8), 0);
	aims_op_result_release(&res);
	json_t *upd = json_pack("{s:s, s:s}", "name", "credit", "lifecycle", "validation");
	ctx.if_match = "\"sha256:00000000000000000000000000000000\"";
	assert_aims_error(aims_op_call(&res, aims_op_find("system.set"), &ctx, upd), AIMS_ESTALE, "changed since");
	ctx.if_match = etag;
	assert_aims_ok(aims_op_call(&res, aims_op_find("system.set"), &ctx, upd));
	assert_string_not_equal(res.etag, etag);
	aims_op_result_release(&res);
	/* the first ETag is stale now */
	json_object_set_new(upd, "lifecycle", json_string("deployed"));
	assert_aims_error(aims_op_call(&res, aims_op_find("system.set"), &ctx, upd), AIMS_ESTALE, "changed since");
	json_decref(upd);
	json_decref(req);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_passwords_and_sessions),
		cmocka_unit_test(test_throttling),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_os_principal),
		cmocka_unit_test(test_permission_and_op_tables),
		cmocka_unit_test(test_op_validation),
		cmocka_unit_test(test_op_call_permissions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
