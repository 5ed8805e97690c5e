/*
 * A hashed artifact as JSON: what an operation request carries instead of
 * the bytes. The command line hashes the user's file or directory where it
 * is (aims_artifact_hash) and sends the digests; the register and verify
 * operations rebuild the artifact from them here, checking every member
 * and computing the manifest digest themselves, so a client cannot record
 * a manifest that does not belong to its files.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory_internal.h"

/* the most files of one artifact (as aims_artifact_hash walks) */
#define MAX_FILES 100000

json_t *aims_artifact_json(const aims_artifact *a)
{
	json_t *files = json_array();
	for (size_t i = 0; files && i < a->count; i++) {
		json_t *f = json_pack("{s:s, s:s, s:I}", "path", a->files[i].path, "digest", a->files[i].digest, "size",
				      (json_int_t)a->files[i].size);
		if (!f || json_array_append_new(files, f) < 0) {
			json_decref(files);
			return NULL;
		}
	}
	if (!files)
		return NULL;
	return json_pack("{s:s, s:s, s:I, s:o}", "kind", a->is_dir ? "dir" : "file", "digest", a->digest, "size",
			 (json_int_t)a->total, "files", files);
}

static int bad(const char *field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* AIMS_EINVALID "FIELD: message", naming the field */
static int bad(const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	aims__err_set(AIMS_EINVALID, "%s: %s", field, msg);
	aims__err_set_field(field);
	return AIMS_EINVALID;
}

static int is_digest(const char *s)
{
	if (!s || strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return 0;
	for (const char *p = s + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* a relative path of a directory's file: components separated by one '/', none empty, "." or ".." */
static int path_ok(const char *p, int dir)
{
	if (!*p || strlen(p) > 4096)
		return 0;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || (!dir && *c == '/'))
			return 0;
	for (const char *seg = p;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (!end)
			return 1;
		seg = end + 1;
	}
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const aims_artifact_file *)a)->path, ((const aims_artifact_file *)b)->path);
}

static int only_keys(const json_t *o, const char *field, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v) {
		const char *const *x = keys;
		while (*x && strcmp(*x, k) != 0)
			x++;
		if (!*x) {
			char name[300];
			snprintf(name, sizeof(name), "%.200s.%.80s", field, k);
			return bad(name, "unknown member");
		}
	}
	return 0;
}

static int read_file(aims_artifact_file *f, const json_t *o, const char *field, int dir)
{
	static const char *const keys[] = { "path", "digest", "size", NULL };
	char name[300];
	json_t *p = json_object_get(o, "path"), *d = json_object_get(o, "digest"), *s = json_object_get(o, "size");
	int err;
	if (!json_is_object(o))
		return bad(field, "expected an object {\"path\", \"digest\", \"size\"}");
	if ((err = only_keys(o, field, keys)) < 0)
		return err;
	snprintf(name, sizeof(name), "%.200s.path", field);
	if (!json_is_string(p) || strlen(json_string_value(p)) != json_string_length(p))
		return bad(name, "expected a string");
	if (!path_ok(json_string_value(p), dir))
		return dir ? bad(name, "'%.200s' is not a relative path inside the directory (no leading '/', empty, '.' "
				 "or '..' parts, no control characters)", json_string_value(p)) :
			     bad(name, "'%.200s' is not a file name (no '/', no control characters)", json_string_value(p));
	snprintf(name, sizeof(name), "%.200s.digest", field);
	if (!is_digest(json_string_value(d)))
		return bad(name, "'%.100s' is not sha256:<64 lowercase hex digits>",
			   json_is_string(d) ? json_string_value(d) : "(not a string)");
	snprintf(name, sizeof(name), "%.200s.size", field);
	if (!json_is_integer(s) || json_integer_value(s) < 0)
		return bad(name, "expected a size in bytes (an integer >= 0)");
	if (!(f->path = aims__strdup(json_string_value(p))))
		return aims__oom();
	snprintf(f->digest, sizeof(f->digest), "%s", json_string_value(d));
	f->size = (uint64_t)json_integer_value(s);
	return 0;
}

int aims_artifact_from_json(aims_artifact **out, const json_t *j, const char *field)
{
	static const char *const keys[] = { "kind", "digest", "size", "files", NULL };
	aims_artifact *a = NULL;
	char name[300];
	const char *kind = json_string_value(json_object_get(j, "kind"));
	json_t *files = json_object_get(j, "files"), *dg = json_object_get(j, "digest"), *sz = json_object_get(j, "size");
	size_t n;
	int err;

	*out = NULL;
	if (!field)
		field = "artifact";
	if (!json_is_object(j))
		return bad(field, "expected an object {\"kind\", \"files\": [{\"path\", \"digest\", \"size\"}]}");
	if ((err = only_keys(j, field, keys)) < 0)
		return err;
	snprintf(name, sizeof(name), "%.200s.kind", field);
	if (!kind || (strcmp(kind, "file") != 0 && strcmp(kind, "dir") != 0))
		return bad(name, "expected \"file\" or \"dir\"");
	snprintf(name, sizeof(name), "%.200s.files", field);
	n = json_array_size(files);
	if (!json_is_array(files) || n == 0)
		return bad(name, "expected a non-empty array of files");
	if (strcmp(kind, "file") == 0 && n != 1)
		return bad(name, "an artifact of kind \"file\" has exactly one file");
	if (n > MAX_FILES)
		return bad(name, "more than %d files", MAX_FILES);
	if (!(a = aims__calloc(1, sizeof(*a))) || !(a->files = aims__calloc(n, sizeof(*a->files)))) {
		err = aims__oom();
		goto fail;
	}
	a->is_dir = strcmp(kind, "dir") == 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%.200s.files[%zu]", field, i);
		if ((err = read_file(&a->files[i], json_array_get(files, i), name, a->is_dir)) < 0)
			goto fail;
		a->count++;
		if (a->total + a->files[i].size < a->total) {
			err = bad(name, "the sizes add up to more than 2^64 bytes");
			goto fail;
		}
		a->total += a->files[i].size;
	}
	/* a directory's files in path order, each once (as aims_artifact_hash lists them) */
	qsort(a->files, a->count, sizeof(*a->files), by_path);
	for (size_t i = 1; i < a->count; i++)
		if (strcmp(a->files[i - 1].path, a->files[i].path) == 0) {
			snprintf(name, sizeof(name), "%.200s.files", field);
			err = bad(name, "'%.200s' is listed twice", a->files[i].path);
			goto fail;
		}
	if (a->is_dir) {
		if ((err = aims__inv_artifact_manifest(a->digest, a)) < 0)
			goto fail;
	} else {
		memcpy(a->digest, a->files[0].digest, sizeof(a->digest));
	}
	snprintf(name, sizeof(name), "%.200s.digest", field);
	if (dg && !json_is_null(dg) && (!json_is_string(dg) || strcmp(json_string_value(dg), a->digest) != 0)) {
		err = bad(name, "'%.100s' is not the %s of the files listed (%s)",
			  json_is_string(dg) ? json_string_value(dg) : "(not a string)",
			  a->is_dir ? "manifest digest" : "digest", a->digest);
		goto fail;
	}
	snprintf(name, sizeof(name), "%.200s.size", field);
	if (sz && !json_is_null(sz) && (!json_is_integer(sz) || json_integer_value(sz) < 0 ||
					(uint64_t)json_integer_value(sz) != a->total)) {
		err = bad(name, "not the sum of the files' sizes");
		goto fail;
	}
	*out = a;
	return 0;
fail:
	aims_artifact_free(a);
	return err;
}
