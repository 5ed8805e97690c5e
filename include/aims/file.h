/*
 * Files in and out, the one way aims reads an input file and writes a
 * report: an input that is a directory is refused (AIMS_EINVALID) by every
 * command instead of reading as empty; an output is written to a new file
 * created beside the target with O_CREAT|O_EXCL|O_NOFOLLOW (never through a
 * symbolic link someone planted), synced, then renamed over the target, so
 * a reader never sees half a report and no other file is ever overwritten.
 */
#ifndef AIMS_FILE_H
#define AIMS_FILE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Default limit of aims_file_read: 256 MiB. */
#define AIMS_FILE_READ_MAX ((size_t)256 << 20)

/**
 * Read a whole file, or standard input for "-", at most `max` bytes (0 =
 * AIMS_FILE_READ_MAX). *data is NUL-terminated (free with free()), *len may
 * be NULL. AIMS_ENOTFOUND for a missing file; AIMS_EINVALID for a directory,
 * a file larger than max or one that cannot be opened (the message names
 * the path); AIMS_ERROR for a read error.
 */
int aims_file_read(char **data, size_t *len, const char *path, size_t max);

/**
 * Open a file for reading ("-" is standard input, returned as is): refuses
 * a directory like aims_file_read. *fd is the open descriptor.
 */
int aims_file_open_input(int *fd, const char *path);

/**
 * Write `path` whole: the bytes go to a new temporary file in the same
 * folder (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0666 less the umask), are synced
 * and renamed over `path`. A symbolic link at `path` is replaced, not
 * followed. Nothing is left behind on failure.
 */
int aims_file_write(const char *path, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
