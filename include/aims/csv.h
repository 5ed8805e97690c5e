/*
 * A streaming CSV reader (RFC 4180): quoted fields with embedded commas,
 * quotes and newlines, CRLF or LF line ends, an optional UTF-8 byte-order
 * mark. It reads one record at a time with memory bounded by the longest
 * record (at most AIMS_CSV_MAX_RECORD bytes), and reports the line each
 * record starts on so errors can name it.
 */
#ifndef AIMS_CSV_H
#define AIMS_CSV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AIMS_CSV_MAX_RECORD ((size_t)16 << 20)

typedef struct aims_csv aims_csv;

/** Read from a file (`-` is standard input). `name` in messages is the path. */
int aims_csv_open(aims_csv **out, const char *path);

/** Read from memory (not copied: keep it alive); `name` is used in messages. */
int aims_csv_open_mem(aims_csv **out, const char *data, size_t len, const char *name);

void aims_csv_free(aims_csv *csv);

/**
 * Read the next record. Returns 1 with fields, lens and count set (borrowed until the
 * next call; fields are NUL-terminated, a field may contain NUL only if the
 * input did), 0 at end of input, or a negative code with a message naming
 * the file and line (e.g. an unterminated quote, text after a closing quote).
 * A blank line is skipped.
 */
int aims_csv_next(aims_csv *csv, char ***fields, size_t **lens, size_t *count);

/** The line on which the last record returned starts (1-based). */
size_t aims_csv_line(const aims_csv *csv);

/** The name given at open (the path). */
const char *aims_csv_name(const aims_csv *csv);

#ifdef __cplusplus
}
#endif
#endif
