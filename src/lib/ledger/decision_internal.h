/*
 * Internal helpers of the decision logs shared between decision.c and
 * decision_canon.c. Not part of the public API.
 */
#ifndef AIMS_DECISION_INTERNAL_H
#define AIMS_DECISION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/**
 * Parse an RFC 3339 date-time (upper-case T, Z or a numeric offset,
 * optional fraction of at most 9 digits) of exactly `len` bytes; *epoch (may
 * be NULL) gets the UTC seconds. 0 or -1 (no error is recorded).
 */
int aims__decision_time(int64_t *epoch, const char *s, size_t len);

#endif
