/*
 * Helpers shared by the files of the auth module: random identifiers and
 * secrets, their hashes, and reading an account's roles.
 */
#ifndef AIMS_AUTH_INTERNAL_H
#define AIMS_AUTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aims/auth.h"

/* "<prefix><16 base32 characters>" (80 random bits): a public identifier */
void aims__auth_random_id(char *out, size_t size, const char *prefix);

/* 32 random bytes as base64url without padding (43 characters + NUL) */
void aims__auth_random_secret(char out[44]);

/* SHA-256 of a secret, as 64 hex digits + NUL */
int aims__auth_hash_secret(char out[65], const char *secret, size_t len);

/* constant-time comparison of two hex hashes of equal length */
int aims__auth_hash_equal(const char *a, const char *b);

/* roles from a stored comma list; unknown names are ignored */
unsigned aims__auth_roles_parse(const char *list);

/* the account's roles and status: AIMS_ENOTFOUND when there is no such account */
int aims__auth_account_roles(unsigned *roles, int *active, aims_store *store, const char *name);

/* whether the store's principal is an administrator */
int aims__auth_is_admin(aims_store *store);

/* seconds since 1970 from the clock */
int64_t aims__auth_now(void);

/* RFC 3339 UTC of seconds since 1970, into out[32] */
void aims__auth_time_str(char out[32], int64_t t);

/* revoke every token of an account, each with its audit entry (session.c; inside the caller's transaction) */
int aims__token_revoke_all(aims_store *store, const char *account);

#endif
