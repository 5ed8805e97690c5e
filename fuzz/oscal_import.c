/*
 * libFuzzer harness for the OSCAL import's parser (src/lib/export/
 * oscal_internal.h): any bytes go through aims__oscal_parse against the
 * built-in iso27001-2022 and iso42001-2023 catalogs. A plan must keep the
 * promises of the import: each decision names a control of its target's
 * catalog, once; a known status or none; an exclusion has a justification
 * (and is never of a 27001 clause); evidence references hold no ';'; the
 * excluded count matches. A failure leaves *out NULL and names the input.
 * Any broken promise calls abort(). Build and run with `make fuzz`; seeds
 * are in fuzz/corpus/oscal_import/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/catalog.h"
#include "aims/isms.h"
#include "export/oscal_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static aims_catalog *c27, *c42;

static void catalogs(void)
{
	if (c27 && c42)
		return;
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *bytes;
		size_t len;
		CHECK(aims_catalog_builtin(i, &name, &bytes, &len) == 0);
		if (strncmp(name, "iso27001-2022.json", 18) == 0)
			CHECK(aims_catalog_parse(&c27, bytes, len, name) == 0);
		if (strncmp(name, "iso42001-2023.json", 18) == 0)
			CHECK(aims_catalog_parse(&c42, bytes, len, name) == 0);
	}
	CHECK(c27 && c42);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims__oscal_plan *plan = (aims__oscal_plan *)&plan; /* must be reset by the parser */
	catalogs();
	aims_error_clear();
	int err = aims__oscal_parse(&plan, (const char *)data, size, "fuzz.json", c27, c42);
	if (err < 0) {
		CHECK(plan == NULL);
		CHECK(aims_error_last_code() == err);
		CHECK(err == AIMS_ENOMEM || strstr(aims_error_last(), "fuzz.json") != NULL);
		return 0;
	}
	CHECK(err == 0 && plan);
	int soa = strcmp(plan->target, "soa") == 0;
	CHECK(soa || strcmp(plan->target, "isms") == 0);
	const aims_catalog *cat = soa ? c42 : c27;
	size_t excluded = 0;
	CHECK(plan->n > 0);
	for (size_t i = 0; i < plan->n; i++) {
		const aims__oscal_decision *d = &plan->d[i];
		const aims_requirement *r = aims_catalog_find(cat, d->id);
		CHECK(r);
		CHECK(strcmp(r->kind, "control") == 0 || (!soa && strcmp(r->kind, "clause") == 0));
		for (size_t k = 0; k < i; k++)
			CHECK(strcmp(plan->d[k].id, d->id) != 0);
		CHECK(d->status == -1 || (d->status >= AIMS_STATUS_NOT_IMPLEMENTED && d->status <= AIMS_STATUS_IMPLEMENTED));
		CHECK(d->applicable >= -1 && d->applicable <= 1);
		CHECK(soa || d->applicable >= 0);
		if (d->applicable == 0 && (d->decided || !soa)) {
			excluded++;
			CHECK(d->justification && d->justification[0]);
			CHECK(soa || strcmp(r->kind, "control") == 0);
		}
		for (size_t k = 0; k < d->nevidence; k++)
			CHECK(strchr(d->evidence[k], ';') == NULL);
	}
	CHECK(excluded == plan->excluded);
	aims__oscal_plan_free(plan);
	return 0;
}
