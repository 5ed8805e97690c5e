/*
 * libFuzzer harness for the CSV reader (include/aims/csv.h) and the ISMS
 * state importer's parse-and-validate step (src/lib/isms/isms_internal.h).
 * The same bytes go first through aims_csv_open_mem + aims_csv_next, whose
 * records must be well formed (NUL-terminated fields of the stated length,
 * line numbers that never go back), then through aims__isms_parse against
 * the built-in iso27001-2022 catalog, whose result must keep the promises
 * of the import (known controls, one row each, findable, justified
 * exclusions, trimmed evidence references). A failure must leave *out NULL
 * and record a message naming the input. Any broken promise calls abort().
 * Build and run with `make fuzz`; seeds are in fuzz/corpus/isms_csv/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/csv.h"
#include "aims/isms.h"
#include "isms/isms_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static aims_catalog *iso27001;

static const aims_catalog *catalog(void)
{
	if (iso27001)
		return iso27001;
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *bytes;
		size_t len;
		CHECK(aims_catalog_builtin(i, &name, &bytes, &len) == 0);
		if (strncmp(name, "iso27001-2022", 13) == 0)
			CHECK(aims_catalog_parse(&iso27001, bytes, len, name) == 0);
	}
	CHECK(iso27001);
	return iso27001;
}

static void read_csv(const char *data, size_t size)
{
	aims_csv *csv = NULL;
	char **fields;
	size_t *lens, count, last_line = 0;
	int rc;

	CHECK(aims_csv_open_mem(&csv, data, size, "fuzz.csv") == 0);
	while ((rc = aims_csv_next(csv, &fields, &lens, &count)) == 1) {
		CHECK(count > 0);
		for (size_t i = 0; i < count; i++) {
			CHECK(fields[i][lens[i]] == '\0');
			CHECK(lens[i] <= size);
		}
		CHECK(aims_csv_line(csv) > last_line);
		last_line = aims_csv_line(csv);
	}
	if (rc < 0) {
		CHECK(aims_error_last()[0] != '\0');
		CHECK(strstr(aims_error_last(), "fuzz.csv") != NULL || rc == AIMS_ENOMEM);
	}
	aims_csv_free(csv);
}

static int trimmed(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t';
}

static void check_isms(const aims_isms *isms, const aims_catalog *cat)
{
	const aims_isms_info *info = aims_isms_info_get(isms);
	size_t n = aims_isms_count(isms), last_line = 0;

	CHECK(n > 0 && info->rows == n);
	CHECK(info->digest && strlen(info->digest) == 64);
	CHECK(info->framework && strcmp(info->framework, "iso27001-2022") == 0);
	for (size_t i = 0; i < n; i++) {
		const aims_isms_control *r = aims_isms_at(isms, i);
		const aims_requirement *q = aims_catalog_find(cat, r->control);
		CHECK(q);
		CHECK(strcmp(q->kind, "control") == 0 || strcmp(q->kind, "clause") == 0);
		CHECK(aims_isms_find(isms, r->control) == r);  /* one row per control */
		CHECK(r->line > last_line);
		last_line = r->line;
		CHECK(r->applicable == 0 || r->applicable == 1);
		CHECK(r->status >= AIMS_STATUS_NOT_IMPLEMENTED && r->status <= AIMS_STATUS_IMPLEMENTED);
		if (!r->applicable) {
			CHECK(strcmp(q->kind, "control") == 0);  /* clauses cannot be excluded */
			CHECK(r->status == AIMS_STATUS_NOT_IMPLEMENTED);
			CHECK(r->justification && trimmed(r->justification));
		}
		CHECK(!r->owner || trimmed(r->owner));
		for (size_t k = 0; k < r->nevidence; k++) {
			CHECK(trimmed(r->evidence[k]));
			CHECK(strchr(r->evidence[k], ';') == NULL);
		}
	}
	CHECK(aims_isms_at(isms, n) == NULL);
	CHECK(aims_isms_find(isms, "no-such-control") == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const aims_catalog *cat = catalog();
	aims_isms *isms = (aims_isms *)&isms;  /* must be reset by the parser */
	int err;

	aims_error_clear();
	read_csv((const char *)data, size);
	aims_error_clear();
	err = aims__isms_parse(&isms, (const char *)data, size, "fuzz.csv", cat);
	if (err == 0) {
		CHECK(isms);
		check_isms(isms, cat);
		aims_isms_free(isms);
	} else {
		CHECK(err < 0);
		CHECK(isms == NULL);
		CHECK(aims_error_last_code() == err);
		CHECK(strstr(aims_error_last(), "'fuzz.csv'") != NULL);
	}
	return 0;
}
