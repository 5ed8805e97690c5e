/*
 * Per-thread error state. Library functions record a code and a message
 * here and return the code; front ends read the message to tell the user.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

#define ERR_MAX 2048

static _Thread_local char err_msg[ERR_MAX];
static _Thread_local int err_code;
static _Thread_local char err_field[128];
static _Thread_local int err_retry;

void aims__err_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		err_msg[0] = '\0';
	/* a message cut at ERR_MAX still names the subject at its start */
	err_code = code;
	err_field[0] = '\0';
	err_retry = 0;
}

void aims__err_set_field(const char *field)
{
	snprintf(err_field, sizeof(err_field), "%s", field ? field : "");
}

void aims__err_set_retry(int seconds)
{
	err_retry = seconds;
}

const char *aims_error_last_field(void)
{
	return err_field;
}

int aims_error_retry_after(void)
{
	return err_retry;
}

void aims__err_prefix(const char *fmt, ...)
{
	char buf[ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* "prefix: old message", cut at ERR_MAX (the prefix matters most) */
	size_t len = strlen(buf);
	if (len + 2 < sizeof(buf)) {
		memcpy(buf + len, ": ", 2);
		len += 2;
		size_t old = strlen(err_msg);
		if (old > sizeof(buf) - 1 - len)
			old = sizeof(buf) - 1 - len;
		memcpy(buf + len, err_msg, old);
		len += old;
	}
	buf[len] = '\0';
	memcpy(err_msg, buf, len + 1);
}

const char *aims_error_last(void)
{
	return err_msg;
}

int aims_error_last_code(void)
{
	return err_code;
}

void aims_error_clear(void)
{
	err_msg[0] = '\0';
	err_code = AIMS_OK;
	err_field[0] = '\0';
	err_retry = 0;
}

const char *aims_error_name(int code)
{
	switch (code) {
	case AIMS_OK: return "ok";
	case AIMS_ERROR: return "error";
	case AIMS_ENOMEM: return "out of memory";
	case AIMS_ENOTFOUND: return "not found";
	case AIMS_EINVALID: return "invalid input";
	case AIMS_ECONFLICT: return "conflict";
	case AIMS_ETAMPERED: return "integrity failure";
	case AIMS_EDENIED: return "denied";
	case AIMS_EVERSION: return "unsupported version";
	case AIMS_EUSAGE: return "usage";
	case AIMS_EPERM: return "not permitted";
	case AIMS_EAUTH: return "not authenticated";
	case AIMS_ESTALE: return "precondition failed";
	case AIMS_ETHROTTLED: return "too many attempts";
	default: return "unknown error";
	}
}
