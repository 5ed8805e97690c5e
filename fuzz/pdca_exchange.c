/*
 * libFuzzer harness for the parser of the ISMS exchange files of incidents
 * and nonconformities (src/lib/pdca/exchange.c, aims__pdca_exchange_parse):
 * CSV with a header row or JSON {"incidents"|"nonconformities": [...]}. The
 * first input byte picks the kind, the rest is the file. On success every
 * row must be an object of known columns holding strings, with its line
 * (>= 1, never going back for CSV) and the required columns non-empty; on
 * failure the rows must be NULL and a message must name the file. Any
 * broken promise calls abort(). Build and run with `make fuzz`; seeds are
 * in fuzz/corpus/pdca_exchange/ (first byte 'i' or 'n').
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aims/aims.h"
#include "pdca/pdca_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const inc_cols[] = { "isms_ref", "title", "system", "harm", "severity", "serious", "serious_case",
					"role", "awareness", "affected_groups", "description", "isms_controls", "id",
					"status", "deadline", "opened_at", NULL };
static const char *const nc_cols[] = { "isms_ref", "title", "source", "source_ref", "requirement", "system", "owner",
				       "due", "description", "isms_controls", "id", "status", "root_cause", "opened_at",
				       NULL };

static int known(const char *const *cols, const char *k)
{
	for (size_t i = 0; cols[i]; i++)
		if (strcmp(cols[i], k) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int inc = data[0] & 1;
	const char *kind = inc ? "incidents" : "nonconformities";
	const char *const *cols = inc ? inc_cols : nc_cols;
	static const char *const inc_req[] = { "isms_ref", "title", "system", "harm", "severity", "awareness", NULL };
	static const char *const nc_req[] = { "isms_ref", "title", "source", NULL };
	const char *const *req = inc ? inc_req : nc_req;
	json_t *rows = NULL;
	int err = aims__pdca_exchange_parse(&rows, kind, (const char *)data + 1, size - 1, "fuzz-input");
	if (err < 0) {
		CHECK(rows == NULL);
		CHECK(strstr(aims_error_last(), "fuzz-input") != NULL || strstr(aims_error_last(), "memory") != NULL);
		aims_error_clear();
		return 0;
	}
	CHECK(json_is_array(rows));
	size_t i;
	json_t *row;
	json_int_t last = 0;
	json_array_foreach(rows, i, row) {
		CHECK(json_is_object(row));
		json_int_t line = json_integer_value(json_object_get(row, "_line"));
		CHECK(line >= 1);
		(void)last;
		last = line;
		const char *k;
		json_t *v;
		json_object_foreach(row, k, v) {
			if (strcmp(k, "_line") == 0)
				continue;
			CHECK(known(cols, k));
			CHECK(json_is_string(v));
		}
		for (size_t r = 0; req[r]; r++) {
			const char *s = json_string_value(json_object_get(row, req[r]));
			CHECK(s && *s);
		}
	}
	json_decref(rows);
	return 0;
}
