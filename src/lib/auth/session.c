/*
 * API tokens, sign-in with throttling, and sessions. A token or a session
 * cookie is "<public id>.<secret>": the id finds the row, the secret is
 * compared in constant time against the SHA-256 stored for it. Secrets are
 * handed to the caller once and never stored, logged or returned again.
 * Token changes are audit entries; sessions and throttling counters are
 * operational state (kept out of the content digest and the ledger).
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "aims/auth.h"
#include "aims/ledger.h"
#include "audit/state.h"
#include "auth_internal.h"
#include "core/core.h"
#include "core/json.h"
#include "store/store_internal.h"

#define THROTTLE_FREE 3        /* failures before back-off starts */
#define THROTTLE_MAX 900       /* longest wait, seconds */
#define THROTTLE_FORGET 3600   /* failures older than this are forgotten */

/* split "<id>.<secret>"; 0 or -1 */
static int split_credential(char *id, size_t idsize, const char **secret, const char *cred, const char *prefix)
{
	const char *dot = cred ? strchr(cred, '.') : NULL;
	size_t n = dot ? (size_t)(dot - cred) : 0;
	if (!dot || n >= idsize || n != strlen(prefix) + 16 || strncmp(cred, prefix, strlen(prefix)) != 0 ||
	    strlen(dot + 1) != 43)
		return -1;
	memcpy(id, cred, n);
	id[n] = '\0';
	*secret = dot + 1;
	return 0;
}

/* ---- API tokens ---- */

static int token_digest(char out[72], const char *id, const char *account, const char *label, const char *expires,
			const char *revoked)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "id", id, "account", account, "label", label,
			      "expires_at", expires, "revoked_at", revoked);
	char *canon = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
	int err = canon ? aims_ledger_digest(out, canon, strlen(canon)) : aims__oom();
	free(canon);
	json_decref(o);
	return err;
}

int aims_token_create(char **token, char **idout, aims_store *store, const char *account, const char *expires,
		      const char *label)
{
	const aims_principal *p = aims_store_principal(store);
	char id[32], secret[44], hash[65], now[32], exp[32] = "", digest[72];
	aims__stmt *st = NULL;
	unsigned roles = 0;
	int active = 0, err;
	size_t tlen;
	char *t = NULL;

	*token = NULL;
	if (idout)
		*idout = NULL;
	if ((err = aims__auth_account_roles(&roles, &active, store, account)) < 0)
		return err;
	if (!active)
		return aims__err(AIMS_EINVALID, "account '%s' is disabled", account);
	/* a token lets its holder act as the account: only the account itself, or an admin for a pure service account */
	if (!aims_principal_is(p, account) && !(aims__auth_is_admin(store) && roles == AIMS_ROLE_SERVICE))
		return aims__err(AIMS_EPERM,
				 "'%s' may not create a token for '%s': a token acts as its account, so only the account "
				 "itself creates one (an admin may for accounts that hold only the service role)",
				 aims_store_actor(store), account);
	if (label && (!aims__text_ok(label, 1) || strlen(label) > 200))
		return aims__err(AIMS_EINVALID, "label: one line of printable text, at most 200 bytes");
	aims__time_now(now);
	if (expires) {
		int y, m, d;
		if (strlen(expires) != 10 || aims__date_parse(&y, &m, &d, expires) < 0)
			return aims__err(AIMS_EINVALID, "expires '%s': expected a date YYYY-MM-DD", expires);
		snprintf(exp, sizeof(exp), "%.10sT23:59:59Z", expires);
		if (strcmp(exp, now) <= 0)
			return aims__err(AIMS_EINVALID, "expires '%s': the date has passed", expires);
	}
	aims__auth_random_id(id, sizeof(id), "tok_");
	aims__auth_random_secret(secret);
	if ((err = aims__auth_hash_secret(hash, secret, strlen(secret))) < 0 ||
	    (err = token_digest(digest, id, account, label, exp[0] ? exp : NULL, NULL)) < 0)
		goto fail;
	tlen = strlen(id) + 1 + strlen(secret) + 1;
	if (!(t = aims__malloc(tlen))) {
		err = aims__oom();
		goto fail;
	}
	snprintf(t, tlen, "%s.%s", id, secret);
	if ((err = aims_store_begin(store)) < 0)
		goto fail;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO api_tokens (id, account, hash, label, created_at, created_by, expires_at, revoked_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, account)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, hash)) < 0 || (err = aims__stmt_bind_text(st, 4, label)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, exp[0] ? exp : NULL)) < 0 || (err = aims__stmt_step(st)) < 0 ||
	    (err = aims_ledger_append(store, "create", "api-token", id, digest, NULL)) < 0) {
		aims__stmt_free(st);
		st = NULL;
		aims_store_rollback(store);
		goto fail;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_commit(store)) < 0)
		goto fail;
	if (idout && !(*idout = aims__strdup(id))) {
		err = aims__oom();
		goto fail;
	}
	sodium_memzero(secret, sizeof(secret));
	*token = t;
	return 0;
fail:
	sodium_memzero(secret, sizeof(secret));
	if (t) {
		sodium_memzero(t, strlen(t));
		aims__free(t);
	}
	return err;
}

int aims_token_revoke(aims_store *store, const char *id)
{
	char *account = NULL, *label = NULL, *expires = NULL, *revoked = NULL, now[32], prev[72], next[72];
	aims__stmt *st = NULL;
	int err;

	if ((err = aims_store_begin(store)) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT account, label, expires_at, revoked_at FROM api_tokens WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto rollback;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no API token '%s'", id);
		goto rollback;
	}
	if ((err = aims__stmt_text_dup(&account, st, 0)) < 0 || (err = aims__stmt_text_dup(&label, st, 1)) < 0 ||
	    (err = aims__stmt_text_dup(&expires, st, 2)) < 0 || (err = aims__stmt_text_dup(&revoked, st, 3)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	if (!aims_principal_is(aims_store_principal(store), account) && !aims__auth_is_admin(store)) {
		err = aims__err(AIMS_EPERM, "'%s' may not revoke token '%s' of '%s': only its account or an admin may",
				aims_store_actor(store), id, account);
		goto rollback;
	}
	if (revoked) {
		err = 0; /* already revoked: nothing to do */
		goto rollback;
	}
	aims__time_now(now);
	if ((err = token_digest(prev, id, account, label, expires, NULL)) < 0 ||
	    (err = token_digest(next, id, account, label, expires, now)) < 0 ||
	    (err = aims__stmt_prepare(&st, store, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, now)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0 || (err = aims_ledger_append(store, "revoke", "api-token", id, next, prev)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	err = aims_store_commit(store);
	goto done;
rollback:
	aims__stmt_free(st);
	st = NULL;
	aims_store_rollback(store);
done:
	aims__free(account);
	aims__free(label);
	aims__free(expires);
	aims__free(revoked);
	return err < 0 ? err : 0;
}

/*
 * Revoke every token of an account that is being disabled (inside the
 * caller's transaction): each revocation is an audit entry of its token, as
 * in aims_token_revoke, so the state check finds the token as its latest
 * entry says.
 */
int aims__token_revoke_all(aims_store *store, const char *account)
{
	typedef struct {
		char id[32], prev[72], next[72];
	} tok;
	tok *v = NULL;
	size_t n = 0, cap = 0;
	aims__stmt *st = NULL;
	char now[32];
	int err;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, label, expires_at FROM api_tokens WHERE account = ? AND "
				      "revoked_at IS NULL ORDER BY id")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, account)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0);
		if (!id || strlen(id) >= sizeof(v->id))
			continue;
		if ((err = aims__grow(&v, &cap, n + 1, sizeof(*v))) < 0)
			goto done;
		snprintf(v[n].id, sizeof(v[n].id), "%s", id);
		if ((err = token_digest(v[n].prev, id, account, aims__stmt_text(st, 1), aims__stmt_text(st, 2), NULL)) < 0 ||
		    (err = token_digest(v[n].next, id, account, aims__stmt_text(st, 1), aims__stmt_text(st, 2), now)) < 0)
			goto done;
		n++;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < n; i++) {
		if ((err = aims__stmt_prepare(&st, store, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, now)) < 0 || (err = aims__stmt_bind_text(st, 2, v[i].id)) < 0 ||
		    (err = aims__stmt_step(st)) < 0 ||
		    (err = aims_ledger_append(store, "revoke", "api-token", v[i].id, v[i].next, v[i].prev)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
	}
	err = 0;
done:
	aims__stmt_free(st);
	aims__free(v);
	return err;
}

/*
 * The state check (docs/ledger.md "State against the ledger"): a token's
 * digest is that of its id, account, label, expiry and revocation, which
 * its create and revoke entries name. The hash of its secret, when and by
 * whom it was made are not in the digest; a finding names the token's id
 * only. Sessions and sign-in throttling counters change on every sign-in,
 * without an audit entry, and are not checked.
 */
int aims__token_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, account, label, expires_at, revoked_at FROM api_tokens "
				      "ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "";
		const char *account = aims__stmt_text(st, 1) ? aims__stmt_text(st, 1) : "";
		if ((err = token_digest(dg, id, account, aims__stmt_text(st, 2), aims__stmt_text(st, 3),
					aims__stmt_text(st, 4))) < 0)
			break;
		/*
		 * Before a disable wrote a revoke entry per token (stores made before this state check), it
		 * revoked them silently: a revoked token whose latest entry says it is not revoked is as the
		 * ledger says when an entry after that one disabled its account.
		 */
		if (aims__stmt_text(st, 4)) {
			char old[72];
			aims_buf b = AIMS_BUF_INIT;
			if ((err = emit(arg, "api-token", id, dg, AIMS__STATE_LATEST_IF)) < 0)
				break;
			if (err == 1)
				continue;
			if ((err = token_digest(old, id, account, aims__stmt_text(st, 2), aims__stmt_text(st, 3), NULL)) < 0 ||
			    (err = aims_buf_printf(&b, "%s\x1f%s", old, account)) < 0 ||
			    (err = emit(arg, "api-token", id, b.ptr, AIMS__STATE_DISABLED_AFTER)) < 0) {
				aims_buf_release(&b);
				break;
			}
			aims_buf_release(&b);
			if (err == 1)
				continue;
		}
		if ((err = emit(arg, "api-token", id, dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_token_list(aims_tokens **out, aims_store *store, const char *account)
{
	const aims_principal *p = aims_store_principal(store);
	aims_tokens *l = NULL;
	aims__stmt *st = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	if (!(account && aims_principal_is(p, account)) && !(p->roles & (AIMS_ROLE_ADMIN | AIMS_ROLE_AUDITOR)))
		return aims__err(AIMS_EPERM, "'%s' may list only its own tokens", aims_store_actor(store));
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT id, account, label, created_at, created_by, expires_at, revoked_at FROM api_tokens "
			"WHERE CAST(? AS TEXT) IS NULL OR account = ? ORDER BY account, created_at, id")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, account)) < 0 || (err = aims__stmt_bind_text(st, 2, account)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(*l->items))) < 0)
			goto fail;
		aims_token *t = &l->items[l->count];
		memset(t, 0, sizeof(*t));
		l->count++;
		if ((err = aims__stmt_text_dup(&t->id, st, 0)) < 0 || (err = aims__stmt_text_dup(&t->account, st, 1)) < 0 ||
		    (err = aims__stmt_text_dup(&t->label, st, 2)) < 0 ||
		    (err = aims__stmt_text_dup(&t->created_at, st, 3)) < 0 ||
		    (err = aims__stmt_text_dup(&t->created_by, st, 4)) < 0 ||
		    (err = aims__stmt_text_dup(&t->expires_at, st, 5)) < 0 ||
		    (err = aims__stmt_text_dup(&t->revoked_at, st, 6)) < 0)
			goto fail;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_tokens_free(l);
	return err;
}

void aims_tokens_free(aims_tokens *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		aims_token *t = &l->items[i];
		aims__free(t->id);
		aims__free(t->account);
		aims__free(t->label);
		aims__free(t->created_at);
		aims__free(t->created_by);
		aims__free(t->expires_at);
		aims__free(t->revoked_at);
	}
	aims__free(l->items);
	aims__free(l);
}

int aims_principal_from_token(aims_principal *out, aims_store *store, const char *token)
{
	char id[32], hash[65], now[32];
	const char *secret = NULL;
	aims__stmt *st = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	if (split_credential(id, sizeof(id), &secret, token, "tok_") < 0)
		return aims__err(AIMS_EAUTH, "the API token is malformed (expected tok_<id>.<secret>)");
	if ((err = aims__auth_hash_secret(hash, secret, strlen(secret))) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT t.hash, t.expires_at, t.revoked_at, a.name, a.roles, a.status FROM api_tokens t "
			"JOIN accounts a ON a.name = t.account WHERE t.id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__time_now(now);
	if (err == 0 || !aims__auth_hash_equal(aims__stmt_text(st, 0), hash)) {
		err = aims__err(AIMS_EAUTH, "API token '%s' is not valid", id);
		goto done;
	}
	if (aims__stmt_text(st, 2)) {
		err = aims__err(AIMS_EAUTH, "API token '%s' was revoked", id);
		goto done;
	}
	if (aims__stmt_text(st, 1) && strcmp(aims__stmt_text(st, 1), now) < 0) {
		err = aims__err(AIMS_EAUTH, "API token '%s' expired on %.10s", id, aims__stmt_text(st, 1));
		goto done;
	}
	if (aims__strcmp0(aims__stmt_text(st, 5), "active") != 0) {
		err = aims__err(AIMS_EAUTH, "API token '%s': account '%s' is disabled", id, aims__stmt_text(st, 3));
		goto done;
	}
	out->kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(out->name, sizeof(out->name), "%s", aims__stmt_text(st, 3));
	out->roles = aims__auth_roles_parse(aims__stmt_text(st, 4));
	err = 0;
done:
	aims__stmt_free(st);
	sodium_memzero(hash, sizeof(hash));
	return err;
}

/* ---- sign-in throttling ---- */

static int throttle_get(int64_t *failures, int64_t *blocked, aims_store *store, const char *key, int64_t now)
{
	aims__stmt *st = NULL;
	int err;
	*failures = *blocked = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT failures, blocked_until FROM auth_throttle WHERE key = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		*failures = aims__stmt_int64(st, 0);
		*blocked = aims__stmt_int64(st, 1);
		if (*blocked + THROTTLE_FORGET < now)
			*failures = *blocked = 0; /* an old run of failures is forgotten */
	}
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

static int throttle_fail(aims_store *store, const char *key, int64_t now)
{
	int64_t failures, blocked;
	aims__stmt *st = NULL;
	int err;
	if ((err = throttle_get(&failures, &blocked, store, key, now)) < 0)
		return err;
	failures++;
	int64_t wait = 0;
	if (failures > THROTTLE_FREE) {
		int shift = (int)(failures - THROTTLE_FREE - 1);
		wait = shift >= 10 ? THROTTLE_MAX : ((int64_t)1 << shift);
		if (wait > THROTTLE_MAX)
			wait = THROTTLE_MAX;
	}
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO auth_throttle (key, failures, blocked_until) VALUES (?, ?, ?) "
			"ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
			"blocked_until = excluded.blocked_until")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 || (err = aims__stmt_bind_int64(st, 2, failures)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 3, now + wait)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

static int throttle_clear(aims_store *store, const char *key)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "DELETE FROM auth_throttle WHERE key = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, key)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

/* a hash to verify against when the account does not exist, so both cases cost the same */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_setup(void)
{
	char pw[44];
	aims__auth_random_secret(pw);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

/* check `password` for `account` with throttling per account and per address; *roles on success */
static int check_password(unsigned *roles_out, aims_store *store, const char *account, const char *password,
			  const char *addr, int64_t now)
{
	char akey[AIMS_ACCOUNT_NAME_MAX + 16], nkey[128], hash[crypto_pwhash_STRBYTES] = "";
	int64_t f1, b1, f2, b2;
	aims__stmt *st = NULL;
	unsigned roles = 0;
	int found = 0, active = 0, err;

	*roles_out = 0;
	if (!account || !password)
		return aims__err(AIMS_EAUTH, "account name and password are required");
	snprintf(akey, sizeof(akey), "account:%.*s", AIMS_ACCOUNT_NAME_MAX, account);
	snprintf(nkey, sizeof(nkey), "addr:%.100s", addr ? addr : "-");
	if ((err = throttle_get(&f1, &b1, store, akey, now)) < 0 || (err = throttle_get(&f2, &b2, store, nkey, now)) < 0)
		return err;
	if (b1 > now || b2 > now) {
		int64_t wait = (b1 > b2 ? b1 : b2) - now;
		aims__err_set(AIMS_ETHROTTLED, "too many failed sign-ins: try again in %lld s", (long long)wait);
		aims__err_set_retry((int)wait);
		return AIMS_ETHROTTLED;
	}
	if (aims_account_name_valid(account)) {
		if ((err = aims__stmt_prepare(&st, store,
				"SELECT password_hash, roles, status FROM accounts WHERE name = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, account)) < 0 || (err = aims__stmt_step(st)) < 0) {
			aims__stmt_free(st);
			return err;
		}
		if (err == 1) {
			found = 1;
			snprintf(hash, sizeof(hash), "%s", aims__stmt_text(st, 0) ? aims__stmt_text(st, 0) : "");
			roles = aims__auth_roles_parse(aims__stmt_text(st, 1));
			active = aims__strcmp0(aims__stmt_text(st, 2), "active") == 0;
		}
		aims__stmt_free(st);
		st = NULL;
	}
	if (!found) {
		pthread_once(&dummy_once, dummy_setup);
		memcpy(hash, dummy_hash, sizeof(hash));
	}
	int ok = hash[0] && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && found && active;
	sodium_memzero(hash, sizeof(hash));
	if ((err = aims_store_begin(store)) < 0)
		return err;
	if (!ok) {
		if ((err = throttle_fail(store, akey, now)) < 0 || (err = throttle_fail(store, nkey, now)) < 0 ||
		    (err = aims_store_commit(store)) < 0) {
			aims_store_rollback(store);
			return err;
		}
		return aims__err(AIMS_EAUTH, "sign-in failed: unknown account, wrong password or disabled account");
	}
	if ((err = throttle_clear(store, akey)) < 0 || (err = aims_store_commit(store)) < 0) {
		aims_store_rollback(store);
		return err;
	}
	*roles_out = roles;
	return 0;
}

int aims_auth_password_check(aims_principal *who, aims_store *store, const char *account, const char *password,
			     const char *addr)
{
	unsigned roles;
	int err;
	memset(who, 0, sizeof(*who));
	if ((err = check_password(&roles, store, account, password, addr, aims__auth_now())) < 0)
		return err;
	who->kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(who->name, sizeof(who->name), "%s", account);
	who->roles = roles;
	return 0;
}

int aims_session_login(aims_session *out, aims_principal *who, aims_store *store, const char *account,
		       const char *password, const char *addr, int64_t now)
{
	char id[32], secret[44], shash[65], csrf[44];
	aims__stmt *st = NULL;
	unsigned roles = 0;
	int err;

	memset(out, 0, sizeof(*out));
	memset(who, 0, sizeof(*who));
	if (!now)
		now = aims__auth_now();
	if ((err = check_password(&roles, store, account, password, addr, now)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	aims__auth_random_id(id, sizeof(id), "ses_");
	aims__auth_random_secret(secret);
	aims__auth_random_secret(csrf);
	if ((err = aims__auth_hash_secret(shash, secret, strlen(secret))) < 0)
		goto rollback;
	out->expires = now + AIMS_SESSION_MAX_SECONDS;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO auth_sessions (id, account, hash, csrf, created_at, expires_at, idle_until, ended) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, 0)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, account)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, shash)) < 0 || (err = aims__stmt_bind_text(st, 4, csrf)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 5, now)) < 0 || (err = aims__stmt_bind_int64(st, 6, out->expires)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 7, now + AIMS_SESSION_IDLE_SECONDS)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	/* sessions older than their absolute end are of no use: drop them now and then */
	if ((err = aims__stmt_prepare(&st, store, "DELETE FROM auth_sessions WHERE expires_at < ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, now - 86400)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	snprintf(out->cookie, sizeof(out->cookie), "%s.%s", id, secret);
	snprintf(out->csrf, sizeof(out->csrf), "%s", csrf);
	who->kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(who->name, sizeof(who->name), "%s", account);
	who->roles = roles;
	err = 0;
	goto done;
rollback:
	aims__stmt_free(st);
	st = NULL;
	aims_store_rollback(store);
done:
	aims__stmt_free(st);
	sodium_memzero(secret, sizeof(secret));
	return err;
}

int aims_session_check(aims_principal *out, char csrf[64], aims_store *store, const char *cookie, int64_t now)
{
	char id[32], hash[65];
	const char *secret = NULL;
	aims__stmt *st = NULL;
	int64_t expires, idle;
	int err;

	memset(out, 0, sizeof(*out));
	if (csrf)
		csrf[0] = '\0';
	if (!now)
		now = aims__auth_now();
	if (split_credential(id, sizeof(id), &secret, cookie, "ses_") < 0)
		return aims__err(AIMS_EAUTH, "not signed in");
	if ((err = aims__auth_hash_secret(hash, secret, strlen(secret))) < 0)
		return err;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT s.hash, s.csrf, s.expires_at, s.idle_until, s.ended, a.name, a.roles, a.status "
			"FROM auth_sessions s JOIN accounts a ON a.name = s.account WHERE s.id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0 || !aims__auth_hash_equal(aims__stmt_text(st, 0), hash) || aims__stmt_int64(st, 4) != 0) {
		err = aims__err(AIMS_EAUTH, "not signed in");
		goto done;
	}
	expires = aims__stmt_int64(st, 2);
	idle = aims__stmt_int64(st, 3);
	if (now >= expires || now >= idle) {
		err = aims__err(AIMS_EAUTH, "the session has expired: sign in again");
		goto done;
	}
	if (aims__strcmp0(aims__stmt_text(st, 7), "active") != 0) {
		err = aims__err(AIMS_EAUTH, "account '%s' is disabled", aims__stmt_text(st, 5));
		goto done;
	}
	out->kind = AIMS_PRINCIPAL_ACCOUNT;
	snprintf(out->name, sizeof(out->name), "%s", aims__stmt_text(st, 5));
	out->roles = aims__auth_roles_parse(aims__stmt_text(st, 6));
	if (csrf)
		snprintf(csrf, 64, "%s", aims__stmt_text(st, 1) ? aims__stmt_text(st, 1) : "");
	aims__stmt_free(st);
	st = NULL;
	/* extend the idle limit, but write at most every five minutes per session */
	int64_t next = now + AIMS_SESSION_IDLE_SECONDS;
	if (next > expires)
		next = expires;
	if (next - idle > 300) {
		if ((err = aims__stmt_prepare(&st, store, "UPDATE auth_sessions SET idle_until = ? WHERE id = ?")) < 0 ||
		    (err = aims__stmt_bind_int64(st, 1, next)) < 0 || (err = aims__stmt_bind_text(st, 2, id)) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
	}
	err = 0;
done:
	aims__stmt_free(st);
	if (err < 0)
		memset(out, 0, sizeof(*out));
	return err;
}

int aims_session_end(aims_store *store, const char *cookie)
{
	char id[32], hash[65];
	const char *secret = NULL;
	aims__stmt *st = NULL;
	int err;
	if (split_credential(id, sizeof(id), &secret, cookie, "ses_") < 0)
		return 0;
	if ((err = aims__auth_hash_secret(hash, secret, strlen(secret))) < 0)
		return err;
	/* only the holder of the whole cookie ends the session */
	if ((err = aims__stmt_prepare(&st, store, "UPDATE auth_sessions SET ended = 1 WHERE id = ? AND hash = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, hash)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}
