/*
 * Content digests of datasets and models: a file is hashed streaming
 * (SHA-256, 1 MiB at a time, with a progress callback); a directory is every
 * regular file under it, sorted by path, plus a manifest digest over the
 * list of (path, digest) - the subjects of an in-toto Statement.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory_internal.h"

#define CHUNK ((size_t)1 << 20)
#define MAX_DEPTH 32
#define MAX_FILES 100000

typedef struct {
	char *abs;   /* path to open */
	char *rel;   /* path recorded */
	uint64_t size;
} entry;

typedef struct {
	entry *v;
	size_t n, cap;
} entries;

static void entries_free(entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		aims__free(e->v[i].abs);
		aims__free(e->v[i].rel);
	}
	aims__free(e->v);
}

static int add_entry(entries *e, const char *abs, const char *rel, uint64_t size)
{
	int err;
	if (e->n >= MAX_FILES)
		return aims__err(AIMS_EINVALID, "'%s': more than %d files", abs, MAX_FILES);
	if ((err = aims__grow(&e->v, &e->cap, e->n + 1, sizeof(*e->v))) < 0)
		return err;
	entry *x = &e->v[e->n];
	x->abs = aims__strdup(abs);
	x->rel = aims__strdup(rel);
	x->size = size;
	if (!x->abs || !x->rel) {
		aims__free(x->abs);
		aims__free(x->rel);
		return aims__oom();
	}
	e->n++;
	return 0;
}

/*
 * Every regular file under `abs`. A symbolic link is followed only when it
 * resolves inside the directory being hashed (`root`, its real path): a link
 * out of it would put another file's content into the model's digest, and is
 * refused. Sockets, fifos and devices are not content and are skipped.
 */
static int walk(entries *e, const char *root, const char *abs, const char *rel, int depth)
{
	DIR *d;
	struct dirent *de;
	int err = 0;
	size_t rl = strlen(root);
	if (depth > MAX_DEPTH)
		return aims__err(AIMS_EINVALID, "'%s': directories nested deeper than %d levels", abs, MAX_DEPTH);
	if (!(d = opendir(abs)))
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, "cannot open directory '%s': %s", abs,
				 strerror(errno));
	while ((de = readdir(d)) != NULL) {
		aims_buf a = AIMS_BUF_INIT, r = AIMS_BUF_INIT;
		struct stat st;
		char *real = NULL;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((err = aims_buf_printf(&a, "%s/%s", abs, de->d_name)) < 0 ||
		    (err = aims_buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", de->d_name)) < 0) {
			aims_buf_release(&a);
			aims_buf_release(&r);
			break;
		}
		const char *at = a.ptr;
		if (lstat(a.ptr, &st) != 0) {
			err = aims__err(AIMS_ERROR, "cannot read '%s': %s", a.ptr, strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			if (!(real = realpath(a.ptr, NULL)))
				err = aims__err(AIMS_EINVALID, "'%s' is a symbolic link that does not resolve: %s",
						a.ptr, strerror(errno));
			else if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0'))
				err = aims__err(AIMS_EINVALID, "'%s' is a symbolic link to '%s', outside the "
						"directory: copy the file in instead", a.ptr, real);
			else if (stat(real, &st) != 0)
				err = aims__err(AIMS_ERROR, "cannot read '%s': %s", real, strerror(errno));
			else
				at = real;
		}
		if (err == 0 && S_ISDIR(st.st_mode))
			err = walk(e, root, at, r.ptr, depth + 1);
		else if (err == 0 && S_ISREG(st.st_mode))
			err = add_entry(e, at, r.ptr, (uint64_t)st.st_size);
		free(real);
		aims_buf_release(&a);
		aims_buf_release(&r);
		if (err < 0)
			break;
	}
	closedir(d);
	return err;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->rel, ((const entry *)b)->rel);
}

void aims_artifact_free(aims_artifact *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->count; i++)
		aims__free(a->files[i].path);
	aims__free(a->files);
	aims__free(a);
}

static int hash_file(char out[72], const char *path, uint64_t expect, aims__sha256 *h, unsigned char *buf,
		     uint64_t *done, uint64_t total, aims_hash_progress cb, void *arg)
{
	unsigned char md[32];
	char hex[65];
	uint64_t got = 0;
	int fd = -1, err;
	if ((err = aims_file_open_input(&fd, path)) < 0)
		return err;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = aims__err(AIMS_ERROR, "cannot read '%s': %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		if ((err = aims__sha256_update(h, buf, (size_t)n)) < 0)
			goto done;
		got += (uint64_t)n;
		*done += (uint64_t)n;
		if (cb)
			cb(*done, total, arg);
	}
	if (got != expect) {
		err = aims__err(AIMS_ERROR, "'%s' changed size while it was read (%llu bytes, expected %llu)", path,
				(unsigned long long)got, (unsigned long long)expect);
		goto done;
	}
	if ((err = aims__sha256_final(h, md)) < 0)
		goto done;
	aims__hex(hex, md, 32);
	snprintf(out, 72, "sha256:%s", hex);
done:
	close(fd);
	return err;
}

/* the canonical subject list: [{"digest":{"sha256":HEX},"name":PATH}...] sorted by name */
static json_t *subjects(const aims_artifact *a)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < a->count; i++) {
		json_t *s = json_pack("{s:s, s:{s:s}}", "name", a->files[i].path, "digest", "sha256",
				      a->files[i].digest + 7);
		if (!s || json_array_append_new(arr, s) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int aims_artifact_hash(aims_artifact **out, const char *path, int dir, aims_hash_progress cb, void *arg)
{
	entries e = { NULL, 0, 0 };
	aims_artifact *a = NULL;
	aims__sha256 *h = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	uint64_t total = 0, done = 0;
	int err;

	*out = NULL;
	if ((err = aims_global_init()) < 0)
		return err;
	if (!path || !*path)
		return aims__err(AIMS_EINVALID, "no path given");
	if (stat(path, &st) != 0)
		return aims__err(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, "cannot read '%s': %s", path,
				 strerror(errno));
	if (dir && !S_ISDIR(st.st_mode))
		return aims__err(AIMS_EINVALID, "'%s' is not a directory", path);
	if (!dir && !S_ISREG(st.st_mode))
		return aims__err(AIMS_EINVALID, "'%s' is %s, not a regular file", path,
				 S_ISDIR(st.st_mode) ? "a directory" : "a special file");
	if (dir) {
		char *root = realpath(path, NULL);
		if (!root) {
			err = aims__err(AIMS_ERROR, "cannot resolve '%s': %s", path, strerror(errno));
			goto done;
		}
		err = walk(&e, root, root, "", 0);
		free(root);
		if (err < 0)
			goto done;
		if (e.n == 0) {
			err = aims__err(AIMS_EINVALID, "'%s': the directory holds no files", path);
			goto done;
		}
		qsort(e.v, e.n, sizeof(*e.v), cmp_entry);
	} else {
		const char *base = strrchr(path, '/');
		if ((err = add_entry(&e, path, base ? base + 1 : path, (uint64_t)st.st_size)) < 0)
			goto done;
	}
	for (size_t i = 0; i < e.n; i++)
		total += e.v[i].size;
	if (!(a = aims__calloc(1, sizeof(*a))) || !(a->files = aims__calloc(e.n, sizeof(*a->files))) ||
	    !(buf = aims__malloc(CHUNK))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims__sha256_new(&h)) < 0)
		goto done;
	a->is_dir = dir;
	a->total = total;
	for (size_t i = 0; i < e.n; i++) {
		a->files[i].path = e.v[i].rel;
		e.v[i].rel = NULL;
		a->files[i].size = e.v[i].size;
		a->count++;
		if ((err = hash_file(a->files[i].digest, e.v[i].abs, e.v[i].size, h, buf, &done, total, cb, arg)) < 0)
			goto done;
	}
	if (dir) {
		json_t *subj = subjects(a);
		if (!subj) {
			err = aims__oom();
			goto done;
		}
		err = aims__inv_json_digest(a->digest, subj);
		json_decref(subj);
		if (err < 0)
			goto done;
	} else {
		memcpy(a->digest, a->files[0].digest, sizeof(a->digest));
	}
	*out = a;
	a = NULL;
	err = 0;
done:
	aims__sha256_free(h);
	aims__free(buf);
	aims_artifact_free(a);
	entries_free(&e);
	return err;
}

int aims_artifact_statement(char **json, const aims_artifact *a, const char *name, const char *version)
{
	json_t *subj = subjects(a), *st = NULL;
	*json = NULL;
	if (!subj)
		return aims__oom();
	if (!(st = json_pack("{s:s, s:o, s:s, s:{s:s, s:s, s:s, s:s, s:I, s:I}}", "_type",
			     "https://in-toto.io/Statement/v1", "subject", subj, "predicateType",
			     "urn:aims:model-manifest:v1", "predicate", "name", name, "version", version, "kind",
			     a->is_dir ? "dir" : "file", "manifest_digest", a->digest, "files", (json_int_t)a->count,
			     "bytes", (json_int_t)a->total)))
		return aims__oom();
	/* our allocator is malloc underneath: the caller frees with free() */
	*json = json_dumps(st, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(st);
	return *json ? 0 : aims__oom();
}

int aims__inv_artifact_manifest(char out[72], const aims_artifact *a)
{
	json_t *subj = subjects(a);
	if (!subj)
		return aims__oom();
	int err = aims__inv_json_digest(out, subj);
	json_decref(subj);
	return err;
}
