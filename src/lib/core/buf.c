/*
 * aims_buf: the growable string buffer used for all text building in the
 * library. See include/aims/buf.h for the contract.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

char aims_buf__empty[1];

void aims_buf_init(aims_buf *b, size_t max)
{
	b->ptr = aims_buf__empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void aims_buf_release(aims_buf *b)
{
	if (b->cap)
		aims__free(b->ptr);
	aims_buf_init(b, b->max);
}

void aims_buf_clear(aims_buf *b)
{
	b->len = 0;
	b->ptr[0] = '\0';
}

int aims_buf_grow(aims_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : AIMS_BUF_DEFAULT_MAX;
	if (extra > max || b->len > max - extra)
		return aims__err(AIMS_EINVALID, "text larger than the limit of %zu bytes", max);
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = aims__realloc(b->cap ? b->ptr : NULL, cap);
	if (!p)
		return aims__oom();
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int aims_buf_put(aims_buf *b, const void *data, size_t len)
{
	int err = aims_buf_grow(b, len);
	if (err < 0)
		return err;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int aims_buf_puts(aims_buf *b, const char *s)
{
	return aims_buf_put(b, s, strlen(s));
}

int aims_buf_putc(aims_buf *b, char c)
{
	return aims_buf_put(b, &c, 1);
}

int aims_buf_vprintf(aims_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int err;

	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return aims__err(AIMS_ERROR, "bad format string");
	if ((err = aims_buf_grow(b, (size_t)n)) < 0)
		return err;
	int m = vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	if (m != n)
		return aims__err(AIMS_ERROR, "formatted output changed length");
	b->len += (size_t)n;
	return 0;
}

int aims_buf_printf(aims_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = aims_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

char *aims_buf_detach(aims_buf *b, size_t *len)
{
	char *p;
	if (len)
		*len = b->len;
	if (b->cap) {
		p = b->ptr;
	} else {
		p = aims__strdup("");
		if (!p)
			(void)aims__oom();
	}
	aims_buf_init(b, b->max);
	return p;
}
