/*
 * Who acts: principals, accounts, roles, API tokens, sessions and the one
 * permission table. Every write in libaims is made by the principal set on
 * the store handle (aims_store_set_principal); the governance ledger records
 * its name. A principal is an account of the store ("alice"), or the local
 * operating-system user of a command line working directly on a store
 * ("os:alice", from the effective uid). Nothing takes a free-text actor.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str); API
 * tokens and session ids are 256-bit random secrets stored only as SHA-256
 * hashes (a fast hash is enough for a secret with that much entropy, and it
 * keeps each API request cheap). No function here returns or logs a stored
 * hash; a new password or token is handed to the caller once. Rules and the
 * generated permission matrix: docs/permissions.md.
 */
#ifndef AIMS_AUTH_H
#define AIMS_AUTH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- roles ---- */

enum {
	AIMS_ROLE_ADMIN = 1u << 0,              /* accounts, ledger keys, everything */
	AIMS_ROLE_COMPLIANCE_MANAGER = 1u << 1, /* ISMS, gap, SoA, documents, AI Act, risk register */
	AIMS_ROLE_RISK_OWNER = 1u << 2,         /* owns, treats and accepts risks; approves */
	AIMS_ROLE_ML_ENGINEER = 1u << 3,        /* inventory, lineage, evaluations, decision logs */
	AIMS_ROLE_REVIEWER = 1u << 4,           /* human review of AI decisions */
	AIMS_ROLE_AUDITOR = 1u << 5,            /* reads everything, verifies, exports; writes only the records of
						   the internal audits it conducts (audit.conduct) */
	AIMS_ROLE_SERVICE = 1u << 6             /* decision and lineage ingest only */
};
#define AIMS_ROLE_COUNT 7
#define AIMS_ROLES_ALL ((1u << AIMS_ROLE_COUNT) - 1)

/** The role names, in bit order ("admin", "compliance-manager", ...). */
extern const char *const aims_role_names[AIMS_ROLE_COUNT];

/** The bit of role `name`, or 0 when it is not a role. */
unsigned aims_role_bit(const char *name);

/** "admin,auditor" style list of the roles in `roles` (bit order) into b. */
int aims_roles_format(aims_buf *b, unsigned roles);

/* ---- principals ---- */

#define AIMS_PRINCIPAL_MAX 72

enum { AIMS_PRINCIPAL_NONE = 0, AIMS_PRINCIPAL_ACCOUNT, AIMS_PRINCIPAL_OS };

/** Who acts. A plain value; copy it freely. */
typedef struct {
	int kind;                        /* AIMS_PRINCIPAL_* */
	char name[AIMS_PRINCIPAL_MAX];   /* "alice" (account) or "os:alice" (local OS user) */
	unsigned roles;                  /* AIMS_ROLE_* bits in force */
} aims_principal;

/** Longest account name; names are [a-z0-9._-], start with a letter or digit. */
#define AIMS_ACCOUNT_NAME_MAX 64

/** Whether `name` is a valid account name (and so can never look like "os:..."). */
int aims_account_name_valid(const char *name);

/**
 * The local OS user of the calling process as a principal: "os:" and the
 * login name of the effective uid (from the password database, else the
 * number). Its roles are the store's setting "auth.os_roles" (a comma list;
 * default "admin": whoever can write the store's file controls it anyway;
 * an administrator narrows it with `aims user os-roles`).
 */
int aims_principal_os(aims_principal *out, aims_store *store);

/**
 * The account whose API token is `token` ("aims_<id>_<secret>"), checked
 * against its stored hash, its expiry and revocation, and the account's
 * status. AIMS_EAUTH (naming only the token's public id) otherwise.
 */
int aims_principal_from_token(aims_principal *out, aims_store *store, const char *token);

/**
 * Act as `p` on this store handle: every later write names p and is
 * checked against p's roles by the operations. Copied. NULL clears it (a
 * server does so between requests).
 */
int aims_store_set_principal(aims_store *store, const aims_principal *p);

/** The principal set on the handle (kind NONE and name "unknown" when none). */
const aims_principal *aims_store_principal(const aims_store *store);

/** Whether `who` names the same principal as `p` (accounts compare by name; "os:x" by name too). */
int aims_principal_is(const aims_principal *p, const char *who);

/**
 * Whether `who` is a principal that can own or approve something: an active
 * account of the store, or an "os:NAME" principal. AIMS_EINVALID naming it
 * otherwise (used for risk owners and other named responsibilities).
 */
int aims_principal_check_name(aims_store *store, const char *who, const char *what);

/* ---- accounts ---- */

typedef struct {
	char *name;
	char *display_name;      /* NULL when none */
	unsigned roles;
	char *status;            /* "active" or "disabled" */
	char *created_at, *created_by;
	char *password_changed_at;  /* NULL: the initial password was never changed */
	int tokens;              /* active API tokens */
} aims_account;

typedef struct {
	aims_account *items;
	size_t count;
} aims_accounts;

/**
 * Create account `name` with `roles` (at least one). A random initial
 * password (20 characters, about 100 bits) is generated and handed back
 * once in *password (caller frees; wipe it after use). The creator is the
 * store's principal; an audit entry records the account and its roles,
 * never the password or its hash. AIMS_ECONFLICT if it exists.
 */
int aims_account_add(char **password, aims_store *store, const char *name, unsigned roles,
		     const char *display_name);

/**
 * Set the password of `name`. With `password` NULL a random one is made and
 * handed back in *generated (caller frees). A password has 12 to 1024
 * bytes. Every session of the account ends. The principal changes its own
 * password, or is an administrator resetting someone else's (recorded as
 * such). AIMS_EPERM otherwise.
 */
int aims_account_passwd(char **generated, aims_store *store, const char *name, const char *password);

/** Replace the roles of `name` (administrators only; the last active admin keeps admin). */
int aims_account_set_roles(aims_store *store, const char *name, unsigned roles);

/** Disable (disabled = 1) or enable an account; disabling ends its sessions and revokes its tokens. */
int aims_account_set_disabled(aims_store *store, const char *name, int disabled);

/** The JSON of an account (never its password hash), as the CLI and the API show it. */
json_t *aims_account_json(const aims_account *a);

int aims_account_get(aims_account **out, aims_store *store, const char *name);
void aims_account_free(aims_account *a);
int aims_account_list(aims_accounts **out, aims_store *store);
void aims_accounts_free(aims_accounts *l);

/* ---- API tokens ---- */

typedef struct {
	char *id;            /* public id, "tok_..." part of the token; safe to show */
	char *account;
	char *label;         /* NULL when none */
	char *created_at, *created_by, *expires_at, *revoked_at, *last_used_at;  /* NULL when none */
} aims_token;

typedef struct {
	aims_token *items;
	size_t count;
} aims_tokens;

/**
 * Create an API token for `account`, valid until `expires` (YYYY-MM-DD,
 * end of that day UTC; NULL = no expiry). The whole token is handed back
 * once in *token (caller frees); only its SHA-256 is stored. *id gets its
 * public id (may be NULL). A principal creates tokens for itself; an
 * administrator also for accounts that hold only the service role. Creating
 * a token for another person would let the creator act as them, so it is
 * refused (AIMS_EPERM).
 */
int aims_token_create(char **token, char **id, aims_store *store, const char *account, const char *expires,
		      const char *label);

/**
 * Check the password of `account` (throttled as sign-ins are) and, when it
 * is right, fill *who with that account as a principal: how a person signs
 * in on the command line to create their first token.
 */
int aims_auth_password_check(aims_principal *who, aims_store *store, const char *account, const char *password,
			     const char *addr);

/** The JSON of a token's public facts (never its secret or hash). */
json_t *aims_token_json(const aims_token *t);

/** Revoke token `id` (its owner or an administrator). */
int aims_token_revoke(aims_store *store, const char *id);

/** The tokens of `account` (NULL = every account; administrators and auditors only). */
int aims_token_list(aims_tokens **out, aims_store *store, const char *account);
void aims_tokens_free(aims_tokens *l);

/* ---- sign-in and sessions (the server) ---- */

/** Session lifetime: ends after this much idle time, and at the latest after the absolute limit. */
#define AIMS_SESSION_IDLE_SECONDS (8 * 3600)
#define AIMS_SESSION_MAX_SECONDS (24 * 3600)

typedef struct {
	char cookie[96];     /* the session cookie value "<id>.<secret>": a secret, never log it */
	char csrf[64];       /* the CSRF token of the session (for forms and unsafe API calls) */
	int64_t expires;     /* absolute expiry, seconds since 1970 */
} aims_session;

/**
 * Check `password` for `account` and start a session. Failed attempts are
 * throttled per account and per client address `addr` (exponential
 * back-off after 3 failures, at most 15 minutes): AIMS_ETHROTTLED with
 * aims_error_retry_after() seconds. A wrong name or password is AIMS_EAUTH
 * with the same message either way. `now` is seconds since 1970 (0 = the
 * clock).
 */
int aims_session_login(aims_session *out, aims_principal *who, aims_store *store, const char *account,
		       const char *password, const char *addr, int64_t now);

/**
 * The principal of session cookie `cookie` and its CSRF token (csrf may be
 * NULL); extends the idle expiry. AIMS_EAUTH when unknown, expired or
 * revoked, or the account is disabled.
 */
int aims_session_check(aims_principal *out, char csrf[64], aims_store *store, const char *cookie, int64_t now);

/** End the session of `cookie` (sign-out). Unknown cookies are ignored. */
int aims_session_end(aims_store *store, const char *cookie);

/* ---- permissions: one table for every operation and role ---- */

typedef struct {
	const char *name;      /* e.g. "risk.accept" */
	unsigned roles;        /* roles granted this permission */
	const char *summary;
} aims_permission;

/** The permission table (sorted by name). */
const aims_permission *aims_permissions(size_t *count);

/** The entry of permission `name`, or NULL. */
const aims_permission *aims_permission_find(const char *name);

/** Whether `p` holds permission `perm`: 0 when it does, AIMS_EPERM (with a message) when not. */
int aims_permission_check(const aims_principal *p, const char *perm);

#ifdef __cplusplus
}
#endif
#endif
