/*
 * Process-wide setup, time stamps and whole-file reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void *json_malloc(size_t n) { return aims__malloc(n); }
static void json_free(void *p) { aims__free(p); }

static int sodium_status;

static void global_setup(void)
{
	/* jansson's allocations count for fault injection like ours */
	json_set_alloc_funcs(json_malloc, json_free);
	/* libsodium picks its CPU-specific code and seeds its RNG once */
	sodium_status = sodium_init();
}

int aims_global_init(void)
{
	pthread_once(&global_once, global_setup);
	if (sodium_status < 0)
		return aims__err(AIMS_ERROR, "cannot initialise libsodium");
	return 0;
}

const char *aims_version(void)
{
	return AIMS_VERSION;
}

void aims__time_now(char out[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

int aims__read_file(char **data, size_t *len, const char *path, size_t max)
{
	aims_buf b = AIMS_BUF_INIT;
	struct stat st;
	int err = 0;
	int fd;

	*data = NULL;
	if (len)
		*len = 0;
	if (!max)
		max = (size_t)256 << 20;
	b.max = max;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR,
				 "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		err = aims__err(AIMS_EINVALID, "'%s' is a directory", path);
		goto done;
	}
	for (;;) {
		if ((err = aims_buf_grow(&b, 65536)) < 0) {
			aims__err_prefix("'%s'", path);
			goto done;
		}
		ssize_t n = read(fd, b.ptr + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = aims__err(AIMS_ERROR, "cannot read '%s': %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.ptr[b.len] = '\0';
	}
	if (len)
		*len = b.len;
	*data = aims_buf_detach(&b, NULL);
	if (!*data)
		err = aims__oom();
done:
	close(fd);
	aims_buf_release(&b);
	return err;
}

int aims__strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}
