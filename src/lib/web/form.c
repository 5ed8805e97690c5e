/*
 * application/x-www-form-urlencoded bodies of the web UI's forms: name=value
 * pairs joined by '&', '+' for space, %XX escapes. Names and values must be
 * UTF-8 without NUL; CR LF (how browsers send a textarea's line breaks)
 * and a lone CR become LF. A repeated name gives an array of its values in order.
 */
#include <string.h>

#include "core/core.h"
#include "web_internal.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* decode s[0..n) into a new string; 1 on a bad escape or a NUL, <0 on errors */
static int decode(char **out, const char *s, size_t n)
{
	char *d = aims__malloc(n + 1);
	size_t k = 0;
	if (!d)
		return aims__oom();
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				aims__free(d);
				return 1;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0') {
			aims__free(d);
			return 1;
		}
		if (c == '\n' && k > 0 && d[k - 1] == '\r')
			d[k - 1] = '\n'; /* CR LF is one line break */
		else
			d[k++] = c;
	}
	for (size_t i = 0; i < k; i++)
		if (d[i] == '\r')
			d[i] = '\n'; /* a lone CR too */
	d[k] = '\0';
	*out = d;
	return 0;
}

int aims_web_form_parse(json_t **out, const char *body, size_t len)
{
	json_t *form = json_object();
	const char *p = body, *end = body + len;
	int err = 0;
	*out = NULL;
	if (!form)
		return aims__oom();
	while (p < end && !err) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		char *name = NULL, *value = NULL;
		if (stop == p) {
			p = stop + 1;
			continue;
		}
		int bad = decode(&name, p, (size_t)((eq ? eq : stop) - p));
		if (bad < 0) {
			err = bad;
			break;
		}
		if (bad) {
			err = aims__err(AIMS_EINVALID, "request body: a field name has a bad %%-escape or a NUL");
			break;
		}
		bad = decode(&value, eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0);
		if (bad < 0) {
			err = bad;
		} else if (bad) {
			err = aims__err(AIMS_EINVALID, "request body: field '%.64s': bad %%-escape or a NUL", name);
			aims__err_set_field(name);
		} else {
			json_t *v = json_string(value);
			json_t *had = json_object_get(form, name);
			if (!v) {
				err = aims__err(AIMS_EINVALID, "request body: field '%.64s' is not UTF-8", name);
				aims__err_set_field(name);
			} else if (!had) {
				/* jansson refuses a key that is not UTF-8 */
				if (json_object_set_new(form, name, v) < 0)
					err = aims__err(AIMS_EINVALID, "request body: a field name is not UTF-8");
			} else if (json_is_array(had)) {
				if (json_array_append_new(had, v) < 0)
					err = aims__oom();
			} else {
				json_t *a = json_pack("[O,o]", had, v);
				if (!a || json_object_set_new(form, name, a) < 0)
					err = aims__oom();
			}
		}
		aims__free(name);
		aims__free(value);
		p = stop + 1;
	}
	if (err < 0) {
		json_decref(form);
		return err;
	}
	*out = form;
	return 0;
}
