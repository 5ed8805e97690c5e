/*
 * Reading input files and writing output files (include/aims/file.h), and
 * the private files of the store (0600 files, 0700 folders whatever the
 * umask, core.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

static int open_error(const char *path, int e)
{
	if (e == ENOENT)
		return aims__err(AIMS_ENOTFOUND, "cannot open '%s': %s", path, strerror(e));
	return aims__err(AIMS_EINVALID, "cannot open '%s': %s", path, strerror(e));
}

int aims_file_open_input(int *fd, const char *path)
{
	struct stat st;
	*fd = -1;
	if (!path || !*path)
		return aims__err(AIMS_EUSAGE, "no file name");
	if (strcmp(path, "-") == 0) {
		*fd = STDIN_FILENO;
		return 0;
	}
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (f < 0)
		return open_error(path, errno);
	if (fstat(f, &st) != 0) {
		int e = errno;
		close(f);
		return aims__err(AIMS_ERROR, "cannot read '%s': %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(f);
		return aims__err(AIMS_EINVALID, "'%s' is a directory, not a file", path);
	}
	*fd = f;
	return 0;
}

int aims_file_read(char **data, size_t *len, const char *path, size_t max)
{
	const char *name = path && strcmp(path, "-") == 0 ? "standard input" : path;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int fd = -1, err;

	*data = NULL;
	if (len)
		*len = 0;
	aims_global_init();
	if (!max)
		max = AIMS_FILE_READ_MAX;
	if ((err = aims_file_open_input(&fd, path)) < 0)
		return err;
	for (;;) {
		if (cap - n < 65536 + 1) {
			if (n > max)
				break;
			size_t nc = cap ? cap * 2 : 65536 + 1;
			char *nb = aims__realloc(buf, nc);
			if (!nb) {
				err = aims__oom();
				goto done;
			}
			buf = nb;
			cap = nc;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = aims__err(errno == EISDIR ? AIMS_EINVALID : AIMS_ERROR, "cannot read '%s': %s", name,
					strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		err = aims__err(AIMS_EINVALID, "'%s' is larger than %zu bytes", name, max);
		goto done;
	}
	if (!buf && !(buf = aims__malloc(1))) {
		err = aims__oom();
		goto done;
	}
	buf[n] = '\0';
	*data = buf;
	if (len)
		*len = n;
	buf = NULL;
	err = 0;
done:
	if (fd > STDIN_FILENO)
		close(fd);
	aims__free(buf);
	return err;
}

/* a new file beside `path`: "<path>.<random>.tmp", created exclusively */
static int create_beside(char *tmp, size_t size, const char *path, mode_t mode, int *fd)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		unsigned char r[6];
		char hex[13];
		randombytes_buf(r, sizeof(r));
		aims__hex(hex, r, sizeof(r));
		if (snprintf(tmp, size, "%s.%s.tmp", path, hex) >= (int)size)
			return aims__err(AIMS_EINVALID, "'%s': path too long", path);
		*fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
		if (*fd >= 0)
			return 0;
		if (errno != EEXIST)
			return aims__err(AIMS_ERROR, "cannot write '%s': %s", path, strerror(errno));
	}
	return aims__err(AIMS_ERROR, "cannot create a temporary file beside '%s'", path);
}

static int write_all(int fd, const void *data, size_t len, const char *path)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return aims__err(AIMS_ERROR, "cannot write '%s': %s", path, n < 0 ? strerror(errno)
											  : "short write");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int aims_file_write(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	struct stat st;
	int fd = -1, err;

	aims_global_init();
	if (!path || !*path)
		return aims__err(AIMS_EUSAGE, "no file name");
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return aims__err(AIMS_EINVALID, "'%s' is a directory, not a file", path);
	/* a device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to as it is: renaming a new
	 * file over it would replace the device itself */
	if (lstat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
			return aims__err(AIMS_ERROR, "cannot write '%s': %s", path, strerror(errno));
		err = write_all(fd, data, len, path);
		if (close(fd) != 0 && err == 0)
			err = aims__err(AIMS_ERROR, "cannot write '%s': %s", path, strerror(errno));
		return err;
	}
	if ((err = create_beside(tmp, sizeof(tmp), path, 0666, &fd)) < 0)
		return err;
	err = write_all(fd, data, len, tmp);
	if (err == 0 && fsync(fd) != 0)
		err = aims__err(AIMS_ERROR, "cannot write '%s': %s", tmp, strerror(errno));
	if (close(fd) != 0 && err == 0)
		err = aims__err(AIMS_ERROR, "cannot write '%s': %s", tmp, strerror(errno));
	if (err == 0 && rename(tmp, path) != 0)
		err = aims__err(errno == EISDIR ? AIMS_EINVALID : AIMS_ERROR, "cannot write '%s': %s", path,
				strerror(errno));
	if (err < 0)
		unlink(tmp);
	return err;
}

/* ---- private files of the store ---- */

int aims__open_private(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0)
		return -1;
	if ((flags & O_CREAT)) {
		struct stat st;
		/* the umask may have taken bits from 0600, or the file may be older */
		if (fstat(fd, &st) == 0 && (st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	return fd;
}

int aims__mkdir_private(const char *path)
{
	struct stat st;
	if (mkdir(path, 0700) == 0)
		return chmod(path, 0700); /* the umask may have taken bits from 0700 */
	if (errno != EEXIST || stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0; /* an existing folder keeps its mode */
}
