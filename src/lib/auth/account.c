/*
 * Principals and accounts. An account has a name, roles and an argon2id
 * password hash; every change to an account is an audit entry whose digest
 * covers the account's name, display name, roles and status (never the
 * password hash). The local OS user is a principal of its own ("os:NAME").
 */
#include <errno.h>
#include <jansson.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "aims/auth.h"
#include "aims/ledger.h"
#include "audit/state.h"
#include "auth_internal.h"
#include "core/core.h"
#include "core/json.h"
#include "store/store_internal.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024

/* ---- small helpers shared by the module ---- */

void aims__auth_random_id(char *out, size_t size, const char *prefix)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char raw[16];
	size_t n = strlen(prefix);
	randombytes_buf(raw, sizeof(raw));
	if (size < n + 17) {
		if (size)
			out[0] = '\0';
		return;
	}
	memcpy(out, prefix, n);
	for (size_t i = 0; i < 16; i++)
		out[n + i] = alphabet[raw[i] & 31];
	out[n + 16] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

void aims__auth_random_secret(char out[44])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, 44, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int aims__auth_hash_secret(char out[65], const char *secret, size_t len)
{
	unsigned char md[32];
	int err = aims__sha256_oneshot(md, secret, len);
	if (err < 0)
		return err;
	aims__hex(out, md, sizeof(md));
	return 0;
}

int aims__auth_hash_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

unsigned aims__auth_roles_parse(const char *list)
{
	unsigned roles = 0;
	char word[64];
	while (list && *list) {
		const char *c = strchr(list, ',');
		size_t n = c ? (size_t)(c - list) : strlen(list);
		if (n < sizeof(word)) {
			memcpy(word, list, n);
			word[n] = '\0';
			roles |= aims_role_bit(word);
		}
		list = c ? c + 1 : NULL;
	}
	return roles;
}

int64_t aims__auth_now(void)
{
	return (int64_t)time(NULL);
}

void aims__auth_time_str(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

int aims__auth_account_roles(unsigned *roles, int *active, aims_store *store, const char *name)
{
	aims__stmt *st = NULL;
	int err;
	*roles = 0;
	*active = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT roles, status FROM accounts WHERE name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no account '%s'", name);
		goto done;
	}
	*roles = aims__auth_roles_parse(aims__stmt_text(st, 0));
	*active = aims__strcmp0(aims__stmt_text(st, 1), "active") == 0;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims__auth_is_admin(aims_store *store)
{
	return (aims_store_principal(store)->roles & AIMS_ROLE_ADMIN) != 0;
}

/* ---- principals ---- */

int aims_account_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > AIMS_ACCOUNT_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return 0;
	}
	return 1;
}

int aims_principal_os(aims_principal *out, aims_store *store)
{
	char buf[4096], *roles = NULL;
	struct passwd pw, *res = NULL;
	uid_t uid = geteuid();
	int err;

	memset(out, 0, sizeof(*out));
	out->kind = AIMS_PRINCIPAL_OS;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name &&
	    aims_account_name_valid(res->pw_name))
		snprintf(out->name, sizeof(out->name), "os:%s", res->pw_name);
	else
		snprintf(out->name, sizeof(out->name), "os:uid%lu", (unsigned long)uid);
	if ((err = aims_store_setting_get(&roles, store, "auth.os_roles")) < 0)
		return err;
	out->roles = roles ? aims__auth_roles_parse(roles) : AIMS_ROLE_ADMIN;
	aims__free(roles);
	return 0;
}

int aims_principal_is(const aims_principal *p, const char *who)
{
	return p && who && p->kind != AIMS_PRINCIPAL_NONE && strcmp(p->name, who) == 0;
}

int aims_principal_check_name(aims_store *store, const char *who, const char *what)
{
	unsigned roles;
	int active, err;
	if (!who || !*who)
		return aims__err(AIMS_EINVALID, "%s: no principal given", what);
	if (strncmp(who, "os:", 3) == 0) {
		if (!aims_account_name_valid(who + 3))
			return aims__err(AIMS_EINVALID, "%s '%s': not a valid OS principal (os:LOGIN)", what, who);
		return 0;
	}
	if ((err = aims__auth_account_roles(&roles, &active, store, who)) == AIMS_ENOTFOUND)
		return aims__err(AIMS_EINVALID,
				 "%s '%s' is not an account of this store (see 'aims user list'; the local OS user "
				 "is os:LOGIN)", what, who);
	if (err < 0)
		return err;
	if (!active)
		return aims__err(AIMS_EINVALID, "%s '%s': the account is disabled", what, who);
	return 0;
}

/* ---- accounts ---- */

static int account_digest(char out[72], const char *name, const char *display, unsigned roles, const char *status)
{
	aims_buf r = AIMS_BUF_INIT;
	json_t *o = NULL;
	char *canon = NULL;
	int err;
	if ((err = aims_roles_format(&r, roles)) < 0)
		goto done;
	if (!(o = json_pack("{s:s, s:s?, s:s, s:s}", "name", name, "display_name", display, "roles", r.ptr, "status",
			    status)) ||
	    !(canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII))) {
		err = aims__oom();
		goto done;
	}
	err = aims_ledger_digest(out, canon, strlen(canon));
done:
	free(canon);
	json_decref(o);
	aims_buf_release(&r);
	return err;
}

/*
 * The state check (docs/ledger.md "State against the ledger"): an account's
 * digest is that of its name, display name, roles and status, which every
 * entry of the account names. The roles column must be the canonical list of
 * the roles it gives (else the row gets the digest of nothing any entry
 * recorded, so it is reported as changed). The password hash, when it was set
 * and who created the account are not in the digest: a finding names the
 * account only, never its password hash.
 */
int aims__account_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_buf r = AIMS_BUF_INIT;
	static const char bad[] = "account: the roles are not a canonical list";
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT name, display_name, roles, status FROM accounts ORDER BY name")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *name = aims__stmt_text(st, 0), *roles = aims__stmt_text(st, 2);
		unsigned bits = aims__auth_roles_parse(roles);
		aims_buf_clear(&r);
		if ((err = aims_roles_format(&r, bits)) < 0)
			break;
		if (name && roles && aims__stmt_text(st, 3) && strcmp(r.ptr ? r.ptr : "", roles) == 0)
			err = account_digest(dg, name, aims__stmt_text(st, 1), bits, aims__stmt_text(st, 3));
		else
			err = aims_ledger_digest(dg, bad, strlen(bad));
		if (err < 0 || (err = emit(arg, "account", name ? name : "", dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	aims_buf_release(&r);
	return err < 0 ? err : 0;
}

static int random_password(char **out)
{
	/* 20 characters from 32 unambiguous ones: 100 bits */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789A";
	unsigned char raw[20];
	char *p = aims__malloc(21);
	if (!p)
		return aims__oom();
	randombytes_buf(raw, sizeof(raw));
	for (size_t i = 0; i < 20; i++)
		p[i] = alphabet[raw[i] & 31];
	p[20] = '\0';
	sodium_memzero(raw, sizeof(raw));
	*out = p;
	return 0;
}

static int hash_password(char out[crypto_pwhash_STRBYTES], const char *password)
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN)
		return aims__err(AIMS_EINVALID, "password: at least %d characters", PASSWORD_MIN);
	if (n > PASSWORD_MAX)
		return aims__err(AIMS_EINVALID, "password: at most %d bytes", PASSWORD_MAX);
	if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return aims__err(AIMS_ENOMEM, "cannot hash the password (out of memory)");
	return 0;
}

static int check_roles(unsigned roles)
{
	if (roles == 0)
		return aims__err(AIMS_EINVALID, "roles: at least one role (admin, compliance-manager, risk-owner, "
				 "ml-engineer, reviewer, auditor, service)");
	if (roles & ~AIMS_ROLES_ALL)
		return aims__err(AIMS_EUSAGE, "roles: unknown role bits");
	return 0;
}

int aims_account_add(char **password, aims_store *store, const char *name, unsigned roles, const char *display)
{
	char hash[crypto_pwhash_STRBYTES], now[32], digest[72];
	aims_buf rl = AIMS_BUF_INIT;
	aims__stmt *st = NULL;
	char *pw = NULL;
	int err;

	*password = NULL;
	if (!aims__auth_is_admin(store))
		return aims__err(AIMS_EPERM, "'%s' may not create accounts: only an admin may",
				 aims_store_actor(store));
	if (!aims_account_name_valid(name))
		return aims__err(AIMS_EINVALID,
				 "account name '%s': 1-%d characters a-z, 0-9, '.', '_' or '-', starting with a letter "
				 "or digit", name ? name : "", AIMS_ACCOUNT_NAME_MAX);
	if ((err = check_roles(roles)) < 0)
		return err;
	if (display && !aims__text_ok(display, 1))
		return aims__err(AIMS_EINVALID, "display name: one line of printable text");
	if ((err = random_password(&pw)) < 0 || (err = hash_password(hash, pw)) < 0 ||
	    (err = aims_roles_format(&rl, roles)) < 0 || (err = account_digest(digest, name, display, roles, "active")) < 0)
		goto fail;
	aims__time_now(now);
	if ((err = aims_store_begin(store)) < 0)
		goto fail;
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM accounts WHERE name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto rollback;
	if (err == 1) {
		err = aims__err(AIMS_ECONFLICT, "account '%s' exists", name);
		goto rollback;
	}
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO accounts (name, display_name, roles, status, password_hash, password_changed_at, "
			"created_at, created_by) VALUES (?, ?, ?, 'active', ?, NULL, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_bind_text(st, 2, display)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, rl.ptr)) < 0 || (err = aims__stmt_bind_text(st, 4, hash)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, aims_store_actor(store))) < 0 || (err = aims__stmt_step(st)) < 0 ||
	    (err = aims_ledger_append(store, "create", "account", name, digest, NULL)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_commit(store)) < 0)
		goto fail;
	sodium_memzero(hash, sizeof(hash));
	aims_buf_release(&rl);
	*password = pw;
	return 0;
rollback:
	aims__stmt_free(st);
	st = NULL;
	aims_store_rollback(store);
fail:
	aims__stmt_free(st);
	sodium_memzero(hash, sizeof(hash));
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		aims__free(pw);
	}
	aims_buf_release(&rl);
	return err;
}

/* read name, display name, roles and status for a change; AIMS_ENOTFOUND */
static int account_row(char **display, unsigned *roles, char **status, aims_store *store, const char *name)
{
	aims__stmt *st = NULL;
	int err;
	*display = *status = NULL;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT display_name, roles, status FROM accounts WHERE name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no account '%s'", name);
		goto done;
	}
	*roles = aims__auth_roles_parse(aims__stmt_text(st, 1));
	if ((err = aims__stmt_text_dup(display, st, 0)) < 0 || (err = aims__stmt_text_dup(status, st, 2)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	if (err < 0) {
		aims__free(*display);
		aims__free(*status);
		*display = *status = NULL;
	}
	return err;
}

/* end every session of an account (inside the caller's transaction) */
static int end_sessions(aims_store *store, const char *name)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "UPDATE auth_sessions SET ended = 1 WHERE account = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims_account_passwd(char **generated, aims_store *store, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES], now[32], digest[72];
	char *display = NULL, *status = NULL, *pw = NULL;
	aims__stmt *st = NULL;
	unsigned roles = 0;
	int err, self = aims_principal_is(aims_store_principal(store), name);

	if (generated)
		*generated = NULL;
	if (!self && !aims__auth_is_admin(store))
		return aims__err(AIMS_EPERM, "'%s' may not change the password of '%s': only the account itself or an "
				 "admin may", aims_store_actor(store), name ? name : "");
	if (!password) {
		if (!generated)
			return aims__err(AIMS_EUSAGE, "no password and nowhere to put a generated one");
		if ((err = random_password(&pw)) < 0)
			return err;
		password = pw;
	}
	if ((err = hash_password(hash, password)) < 0)
		goto fail;
	aims__time_now(now);
	if ((err = aims_store_begin(store)) < 0)
		goto fail;
	if ((err = account_row(&display, &roles, &status, store, name)) < 0 ||
	    (err = account_digest(digest, name, display, roles, status)) < 0)
		goto rollback;
	/* an administrator's reset leaves the password "initial" (changed_at NULL) until the owner sets one */
	if ((err = aims__stmt_prepare(&st, store,
			"UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, hash)) < 0 ||
	    (err = aims__stmt_bind_text(st, 2, self ? now : NULL)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, name)) < 0 || (err = aims__stmt_step(st)) < 0 ||
	    (err = end_sessions(store, name)) < 0 ||
	    (err = aims_ledger_append(store, self ? "password-change" : "password-reset", "account", name, digest,
				      digest)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_store_commit(store)) < 0)
		goto fail;
	if (generated)
		*generated = pw;
	pw = NULL;
	err = 0;
	goto done;
rollback:
	aims__stmt_free(st);
	st = NULL;
	aims_store_rollback(store);
fail:
done:
	aims__stmt_free(st);
	sodium_memzero(hash, sizeof(hash));
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		aims__free(pw);
	}
	aims__free(display);
	aims__free(status);
	return err;
}

/* how many active admins other than `name` */
static int other_admins(int64_t *n, aims_store *store, const char *name)
{
	aims__stmt *st = NULL;
	int err;
	*n = 0;
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT roles FROM accounts WHERE status = 'active' AND name <> ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1)
		if (aims__auth_roles_parse(aims__stmt_text(st, 0)) & AIMS_ROLE_ADMIN)
			(*n)++;
	if (err == 0)
		err = 0;
done:
	aims__stmt_free(st);
	return err;
}

static int account_change(aims_store *store, const char *name, const unsigned *new_roles, const int *disable)
{
	char *display = NULL, *status = NULL, prev[72], next[72];
	aims_buf rl = AIMS_BUF_INIT;
	aims__stmt *st = NULL;
	unsigned roles = 0;
	int64_t admins = 0;
	int err;

	if (!aims__auth_is_admin(store))
		return aims__err(AIMS_EPERM, "'%s' may not change account '%s': only an admin may",
				 aims_store_actor(store), name ? name : "");
	if (new_roles && (err = check_roles(*new_roles)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	if ((err = account_row(&display, &roles, &status, store, name)) < 0 ||
	    (err = account_digest(prev, name, display, roles, status)) < 0)
		goto rollback;
	unsigned nroles = new_roles ? *new_roles : roles;
	const char *nstatus = disable ? (*disable ? "disabled" : "active") : status;
	/* the store must keep someone who can administer it */
	if ((roles & AIMS_ROLE_ADMIN) && (!(nroles & AIMS_ROLE_ADMIN) || strcmp(nstatus, "active") != 0)) {
		if ((err = other_admins(&admins, store, name)) < 0)
			goto rollback;
		if (admins == 0) {
			err = aims__err(AIMS_ECONFLICT, "'%s' is the last active admin: add another admin first", name);
			goto rollback;
		}
	}
	if ((err = account_digest(next, name, display, nroles, nstatus)) < 0 || (err = aims_roles_format(&rl, nroles)) < 0)
		goto rollback;
	if (strcmp(prev, next) == 0) {
		err = 0;
		goto rollback; /* nothing changes: no write, no audit entry */
	}
	if ((err = aims__stmt_prepare(&st, store, "UPDATE accounts SET roles = ?, status = ? WHERE name = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, rl.ptr)) < 0 || (err = aims__stmt_bind_text(st, 2, nstatus)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, name)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	if (strcmp(nstatus, "disabled") == 0 && ((err = end_sessions(store, name)) < 0 ||
						 (err = aims__token_revoke_all(store, name)) < 0))
		goto rollback;
	if ((err = aims_ledger_append(store, disable ? (*disable ? "disable" : "enable") : "set-roles", "account", name,
				      next, prev)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	err = 0;
	goto done;
rollback:
	aims__stmt_free(st);
	st = NULL;
	aims_store_rollback(store);
done:
	aims__stmt_free(st);
	aims__free(display);
	aims__free(status);
	aims_buf_release(&rl);
	return err;
}

int aims_account_set_roles(aims_store *store, const char *name, unsigned roles)
{
	return account_change(store, name, &roles, NULL);
}

int aims_account_set_disabled(aims_store *store, const char *name, int disabled)
{
	disabled = disabled != 0;
	return account_change(store, name, NULL, &disabled);
}

static int read_accounts(aims_accounts **out, aims_store *store, const char *name)
{
	aims_accounts *l = NULL;
	aims__stmt *st = NULL;
	size_t cap = 0;
	int err;

	*out = NULL;
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT a.name, a.display_name, a.roles, a.status, a.created_at, a.created_by, "
			"a.password_changed_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.account = a.name AND "
			"t.revoked_at IS NULL) FROM accounts a WHERE CAST(? AS TEXT) IS NULL OR a.name = ? ORDER BY a.name")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, name)) < 0 || (err = aims__stmt_bind_text(st, 2, name)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(*l->items))) < 0)
			goto fail;
		aims_account *a = &l->items[l->count];
		memset(a, 0, sizeof(*a));
		l->count++;
		a->roles = aims__auth_roles_parse(aims__stmt_text(st, 2));
		a->tokens = (int)aims__stmt_int64(st, 7);
		if ((err = aims__stmt_text_dup(&a->name, st, 0)) < 0 ||
		    (err = aims__stmt_text_dup(&a->display_name, st, 1)) < 0 ||
		    (err = aims__stmt_text_dup(&a->status, st, 3)) < 0 ||
		    (err = aims__stmt_text_dup(&a->created_at, st, 4)) < 0 ||
		    (err = aims__stmt_text_dup(&a->created_by, st, 5)) < 0 ||
		    (err = aims__stmt_text_dup(&a->password_changed_at, st, 6)) < 0)
			goto fail;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_accounts_free(l);
	return err;
}

static void account_release(aims_account *a)
{
	aims__free(a->name);
	aims__free(a->display_name);
	aims__free(a->status);
	aims__free(a->created_at);
	aims__free(a->created_by);
	aims__free(a->password_changed_at);
}

int aims_account_list(aims_accounts **out, aims_store *store)
{
	return read_accounts(out, store, NULL);
}

void aims_accounts_free(aims_accounts *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		account_release(&l->items[i]);
	aims__free(l->items);
	aims__free(l);
}

int aims_account_get(aims_account **out, aims_store *store, const char *name)
{
	aims_accounts *l = NULL;
	int err;
	*out = NULL;
	if ((err = read_accounts(&l, store, name)) < 0)
		return err;
	if (l->count == 0) {
		aims_accounts_free(l);
		return aims__err(AIMS_ENOTFOUND, "no account '%s'", name);
	}
	aims_account *a = aims__calloc(1, sizeof(*a));
	if (!a) {
		aims_accounts_free(l);
		return aims__oom();
	}
	*a = l->items[0];
	l->count = 0;
	aims_accounts_free(l);
	*out = a;
	return 0;
}

void aims_account_free(aims_account *a)
{
	if (!a)
		return;
	account_release(a);
	aims__free(a);
}
