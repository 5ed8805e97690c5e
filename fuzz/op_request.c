/*
 * libFuzzer harness for the HTTP request decoding of the API: the route
 * (aims_op_route), query parameters (aims_op_query_param) and the JSON body
 * (jansson, duplicates refused), merged into an operation request and
 * checked with aims_op_validate() exactly as aims serve does before an
 * operation runs. The input is "METHOD PATH\nQUERY\nBODY" with QUERY as
 * name=value pairs separated by '&' (no percent-decoding: libmicrohttpd
 * decodes before aims sees them). Invariants: a refused request has a
 * negative code and a message; an accepted one has only known fields,
 * every required field, and values of the declared types.
 * Build and run with `make fuzz`; seeds are in fuzz/corpus/op_request/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_accepted(const aims_op *op, json_t *req)
{
	const char *key;
	json_t *v;
	json_object_foreach(req, key, v) {
		const aims_op_field *f = NULL;
		for (const aims_op_field *x = op->fields; x && x->name; x++)
			if (strcmp(x->name, key) == 0)
				f = x;
		if (!f) {
			CHECK(strcmp(key, "format") == 0 && json_is_string(v));
			continue;
		}
		if (json_is_null(v))
			continue;
		switch (f->type) {
		case AIMS_FT_INT: CHECK(json_is_integer(v)); break;
		case AIMS_FT_NUMBER: CHECK(json_is_number(v)); break;
		case AIMS_FT_BOOL: CHECK(json_is_boolean(v)); break;
		case AIMS_FT_LIST: CHECK(json_is_array(v)); break;
		case AIMS_FT_JSON: break;
		default: CHECK(json_is_string(v)); break;
		}
	}
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if (f->flags & AIMS_FF_REQUIRED)
			CHECK(json_object_get(req, f->name) && !json_is_null(json_object_get(req, f->name)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	json_t *params = NULL, *body = NULL;
	int status = 0;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *nl1 = strchr(text, '\n'), *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL;
	if (!nl1 || !nl2 || memchr(text, '\0', size))
		goto done;
	*nl1 = *nl2 = '\0';
	char *sp = strchr(text, ' ');
	if (!sp)
		goto done;
	*sp = '\0';
	const aims_op *op = aims_op_route(&params, &status, text, sp + 1);
	if (!op) {
		CHECK(status == 404 || status == 405);
		CHECK(!params);
		goto done;
	}
	CHECK(status == 200 && json_is_object(params));
	for (char *q = nl1 + 1; *q;) {
		char *amp = strchr(q, '&');
		if (amp)
			*amp = '\0';
		char *eq = strchr(q, '=');
		if (eq)
			*eq = '\0';
		if (*q && aims_op_query_param(params, op, q, eq ? eq + 1 : "") < 0) {
			CHECK(aims_error_last_code() < 0 && aims_error_last()[0]);
			goto done;
		}
		if (!amp)
			break;
		q = amp + 1;
	}
	const char *b = nl2 + 1;
	if (*b) {
		json_error_t je;
		if (!(body = json_loads(b, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(body))
			goto done;
		const char *key;
		json_t *v;
		json_object_foreach(body, key, v)
			if (!json_object_get(params, key))
				json_object_set(params, key, v);
	}
	if (aims_op_validate(op, params) < 0)
		CHECK(aims_error_last()[0]);
	else
		check_accepted(op, params);
done:
	json_decref(params);
	json_decref(body);
	free(text);
	return 0;
}
