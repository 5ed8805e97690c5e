/*
 * Error model of libaims. Every function that can fail returns an int:
 * 0 on success, one of the negative codes below for an expected failure,
 * AIMS_ERROR (-1) otherwise. The human-readable message, naming the file,
 * line and field where that applies, is kept per thread and read with
 * aims_error_last(). The library never prints and never exits.
 */
#ifndef AIMS_ERROR_H
#define AIMS_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes. Values are stable: front ends map them to exit statuses. */
typedef enum {
	AIMS_OK = 0,
	AIMS_ERROR = -1,      /**< unexpected failure (I/O, database, bug) */
	AIMS_ENOMEM = -2,     /**< allocation failed */
	AIMS_ENOTFOUND = -3,  /**< the named object does not exist */
	AIMS_EINVALID = -4,   /**< bad input: file, argument or request */
	AIMS_ECONFLICT = -5,  /**< conflicts with existing state */
	AIMS_ETAMPERED = -6,  /**< integrity check failed */
	AIMS_EDENIED = -7,    /**< refused by a policy or a check */
	AIMS_EVERSION = -8,   /**< store or file version not supported */
	AIMS_EUSAGE = -9,     /**< API misuse: wrong arguments from the caller */
	AIMS_EPERM = -10,     /**< not permitted: the principal's roles, ownership or separation of duties */
	AIMS_EAUTH = -11,     /**< not authenticated: unknown, wrong, expired or revoked credentials */
	AIMS_ESTALE = -12,    /**< a precondition failed: the object changed since it was read (ETag) */
	AIMS_ETHROTTLED = -13 /**< too many attempts: try again later */
} aims_error_code;

/** The message of the last error on this thread; never NULL ("" if none). */
const char *aims_error_last(void);

/** The code of the last error on this thread (AIMS_OK if none). */
int aims_error_last_code(void);

/**
 * The request field the last error is about (e.g. "likelihood"), or "" when
 * it concerns no single field. Set together with the message by validators
 * of operation requests, so HTTP problem documents can name the field.
 */
const char *aims_error_last_field(void);

/** Seconds after which a throttled attempt may be retried (AIMS_ETHROTTLED), else 0. */
int aims_error_retry_after(void);

/** Clear this thread's error. */
void aims_error_clear(void);

/** A short constant name for a code, e.g. "not found". */
const char *aims_error_name(int code);

#ifdef __cplusplus
}
#endif
#endif
