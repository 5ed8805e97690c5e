/*
 * libFuzzer harness for the decision record normalizer
 * (aims_decision_canonical, docs/ledger.md "Canonical record"): feeds one
 * arbitrary line and, when canonical bytes come back, checks the promises
 * the format makes to third parties: the bytes are printable ASCII JSON,
 * normalizing them again gives the same bytes (the form is a fixed point),
 * and a failure returns a negative code with a message and no output.
 * Any broken promise calls abort(). Build and run with `make fuzz`; seeds
 * are in fuzz/corpus/decision_ndjson/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/decision.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *c = NULL, *c2 = NULL;
	size_t n = 0, n2 = 0;
	int rc = aims_decision_canonical(&c, &n, (const char *)data, size);
	if (rc < 0) {
		CHECK(c == NULL && n == 0);
		CHECK(aims_error_last()[0] != '\0');
		return 0;
	}
	CHECK(c != NULL && n > 0 && n == strlen(c) && n <= AIMS_DECISION_RECORD_MAX);
	CHECK(c[0] == '{' && c[n - 1] == '}');
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)c[i] >= 0x20 && (unsigned char)c[i] < 0x7f);
	CHECK(aims_decision_canonical(&c2, &n2, c, n) == 0);
	CHECK(n2 == n && memcmp(c, c2, n) == 0);
	free(c);
	free(c2);
	return 0;
}
