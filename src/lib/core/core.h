/*
 * Internal helpers shared by every module of libaims: error setting,
 * the one allocation entry point (so tests can fail the Nth allocation),
 * SHA-256, time and file reading. Not part of the public API.
 */
#ifndef AIMS_CORE_H
#define AIMS_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "aims/aims.h"

/* ---- errors ---- */

/** Record an error for this thread. */
void aims__err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Record an error and evaluate to `code`, so callers can write
 * `return aims__err(AIMS_EINVALID, "...")`. A macro so that static analysis
 * sees that the value is the (negative) code; as a statement, cast to void.
 */
#define aims__err(code, ...) (aims__err_set((code), __VA_ARGS__), (code))

/** Prefix the current error message with "prefix: " (keeps the code). */
void aims__err_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Name the request field the current error is about (after aims__err). */
void aims__err_set_field(const char *field);
/** Seconds to wait before retrying (after an AIMS_ETHROTTLED error). */
void aims__err_set_retry(int seconds);

/** Record an out-of-memory error and evaluate to AIMS_ENOMEM. */
#define aims__oom() aims__err(AIMS_ENOMEM, "out of memory")

/* ---- allocation: every allocation of the library goes through these ---- */

void *aims__malloc(size_t n);
void *aims__calloc(size_t nmemb, size_t size);
void *aims__realloc(void *p, size_t n);
char *aims__strdup(const char *s);
char *aims__strndup(const char *s, size_t n);
void aims__free(void *p);

/**
 * Make room in the array *arr (elements of `size` bytes, *cap allocated)
 * for at least `need` elements, doubling from 16. *arr and *cap change only
 * on success. The one growth rule for the library's lists.
 */
int aims__grow(void *arr, size_t *cap, size_t need, size_t size);

/**
 * Fault injection for tests: the n-th allocation from now (1-based) and
 * every one after it fail; 0 turns injection off. Returns how many
 * allocations were made since the last call.
 */
unsigned long aims__alloc_fail_after(unsigned long n);

/* ---- SHA-256 (OpenSSL libcrypto, digest fetched once) ---- */

typedef struct aims__sha256 aims__sha256;
int aims__sha256_new(aims__sha256 **out);
int aims__sha256_update(aims__sha256 *h, const void *data, size_t len);
int aims__sha256_final(aims__sha256 *h, unsigned char out[32]); /* also resets for reuse */
int aims__sha256_peek(const aims__sha256 *h, unsigned char out[32]); /* the digest so far; h goes on */
void aims__sha256_free(aims__sha256 *h);
int aims__sha256_oneshot(unsigned char out[32], const void *data, size_t len);
void aims__hex(char *out, const unsigned char *in, size_t len); /* out: 2*len+1 */

/* ---- time and files ---- */

/** Seconds since 1970 (UTC): the one wall clock of the library (clock.c). */
int64_t aims__clock_now(void);
/** Current UTC time as RFC 3339 with seconds, e.g. 2026-11-27T23:40:00Z. out: >= 21 bytes. */
void aims__time_now(char out[32]);
/** An epoch time as RFC 3339 UTC with seconds ("" if out of range). */
void aims__time_format(char out[32], int64_t epoch);
/* days in month m (1-12) of year y, Gregorian */
int aims__days_in_month(int y, int m);
/* a calendar date YYYY-MM-DD from 1970 on, optionally followed by 'T' and a time: 0 or -1 */
int aims__date_parse(int *y, int *m, int *d, const char *s);
/* An RFC 3339 (5.6) date-time of `len` bytes: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), a real
 * calendar date. Strict: upper-case T and Z, 1 to 9 fraction digits. `lenient` also takes 't' or
 * ' ' between date and time, 'z', and any number of fraction digits. *epoch gets the seconds since
 * 1970 in UTC and *usec the first six fraction digits (either may be NULL). 0 or -1. */
int aims__rfc3339(int64_t *epoch, int *usec, const char *s, size_t len, int lenient);


/**
 * open(2) of a private file of the store or a log: created 0600 whatever the
 * umask (an existing file is set to 0600), never through a symbolic link.
 * Returns the descriptor or -1 with errno.
 */
int aims__open_private(const char *path, int flags);
/** mkdir(2) of a private folder: created 0700 whatever the umask (an existing folder is
 *  left as it is); 0 or -1 with errno. */
int aims__mkdir_private(const char *path);

/**
 * Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF): returns n when all n bytes are, else the offset of the first
 * byte that is not.
 */
size_t aims__utf8_valid(const char *s, size_t n);

/* ---- state of governed objects (src/lib/audit/state.c) ---- */

/* how an object's digest is compared with the audit entries of its type and id */
enum {
	AIMS__STATE_LATEST = 0,   /* equal to the digest of its latest entry, which must exist */
	AIMS__STATE_OPTIONAL = 1, /* the same, when it has an entry (rows made from lineage have none) */
	AIMS__STATE_RECORDED = 2, /* equal to the digest of one of its entries (append-only records) */
	AIMS__STATE_MEMBER = 3,   /* "ACTION DIGEST" of one of its entries: each entry of the object must be
				     given exactly once (objects whose entries record parts: requests and their
				     approvals) */
	AIMS__STATE_MEMBER_IF = 4, /* the same when an entry not yet given records it: emit returns 1; else 0 and
				     no finding (to find where the parts of an object begin and end) */
	AIMS__STATE_LATEST_IF = 5, /* 1 when equal to the digest of its latest entry, else 0 and no finding (to
				     try the digest of an older shape of the object after this one) */
	AIMS__STATE_DISABLED_AFTER = 6 /* "DIGEST\x1fACCOUNT": 1 when DIGEST is that of the object's latest entry
				     and a later entry disabled the account, else 0 and no finding (a token revoked
				     by a disable before disables recorded each token's revocation) */
};

/*
 * Called once per governed object with the digest its audit entries record,
 * recomputed from the store by the module that owns the object.
 */
typedef int (*aims__state_emit)(void *arg, const char *object_type, const char *object_id, const char *digest,
				int mode);

/** strcmp that orders NULL first. */
int aims__strcmp0(const char *a, const char *b);

#endif
