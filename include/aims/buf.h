/*
 * A growable, always NUL-terminated byte buffer (after git's strbuf), with a
 * size limit (after curl's dynbuf) so hostile input cannot grow it without
 * bound. `ptr` is never NULL: an empty buffer points at a static "".
 */
#ifndef AIMS_BUF_H
#define AIMS_BUF_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aims_buf {
	char *ptr;     /**< contents, NUL-terminated; never NULL */
	size_t len;    /**< bytes used, not counting the NUL */
	size_t cap;    /**< bytes allocated (0 while ptr is the static "") */
	size_t max;    /**< most bytes the buffer may hold; 0 = AIMS_BUF_DEFAULT_MAX */
} aims_buf;

/** Default limit: 1 GiB. */
#define AIMS_BUF_DEFAULT_MAX ((size_t)1 << 30)

extern char aims_buf__empty[];
#define AIMS_BUF_INIT { aims_buf__empty, 0, 0, 0 }

/** Initialise with a limit (0 for the default). */
void aims_buf_init(aims_buf *b, size_t max);

/** Free the contents; the buffer is empty and reusable afterwards. */
void aims_buf_release(aims_buf *b);

/** Make room for `extra` more bytes. AIMS_ENOMEM, or AIMS_EINVALID past the limit. */
int aims_buf_grow(aims_buf *b, size_t extra);

int aims_buf_put(aims_buf *b, const void *data, size_t len);
int aims_buf_puts(aims_buf *b, const char *s);
int aims_buf_putc(aims_buf *b, char c);
int aims_buf_printf(aims_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int aims_buf_vprintf(aims_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/** Empty the buffer without freeing. */
void aims_buf_clear(aims_buf *b);

/** Hand the contents to the caller (free with free()); the buffer is reset.
 *  Never returns NULL unless allocation fails. */
char *aims_buf_detach(aims_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
