/*
 * libFuzzer harness for the web UI's form parser (application/x-www-form-
 * urlencoded bodies posted to `aims serve`): any input parses or is refused
 * with AIMS_EINVALID; a parsed form is an object whose members are strings
 * or arrays of at least two strings, without NUL and without CR.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const json_t *v)
{
	if (!json_is_string(v))
		abort();
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || strchr(s, '\r'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *form = NULL;
	int rc = aims_web_form_parse(&form, (const char *)data, size);
	if (rc < 0) {
		if (rc != AIMS_EINVALID || form)
			abort();
		aims_error_clear();
		return 0;
	}
	if (!json_is_object(form))
		abort();
	const char *k;
	json_t *v;
	json_object_foreach(form, k, v) {
		if (json_is_array(v)) {
			if (json_array_size(v) < 2)
				abort();
			for (size_t i = 0; i < json_array_size(v); i++)
				check_value(json_array_get(v, i));
		} else {
			check_value(v);
		}
	}
	json_decref(form);
	return 0;
}
