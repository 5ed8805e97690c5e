/*
 * Differential libFuzzer harness of the decision record canonicalizer:
 * the strict single-pass scanner of the ingest path (aims__dcanon_run,
 * src/lib/ledger/decision_canon.c) against the jansson-based reference
 * (aims__decision_canonical_ref, decision_canon_ref.c), which defines the
 * canonical form of docs/ledger.md. On every input both must refuse, or
 * both must return the same bytes; the scanner must also hand back the
 * `model` and `model_digest` it checked, equal to what the canonical bytes
 * hold, and give the same result when run again on the same state (its
 * buffers are reused between records). Any difference calls abort().
 * Build and run with `make fuzz`; seeds in fuzz/corpus/decision_canon_diff/,
 * dictionary fuzz/decision_canon_diff.dict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/decision.h"
#include "ledger/decision_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static aims__dcanon *scanner;
static char *out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *ref = NULL;
	size_t rlen = 0, slen = 0, slen2 = 0;
	aims__dfields f;

	if (!scanner) {
		CHECK(aims__dcanon_new(&scanner) == 0);
		CHECK((out = malloc(AIMS_DECISION_RECORD_MAX)) != NULL);
	}
	int rc_ref = aims__decision_canonical_ref(&ref, &rlen, (const char *)data, size);
	int rc = aims__dcanon_run(scanner, out, &slen, (const char *)data, size, &f);
	CHECK((rc_ref == 0) == (rc == 0));
	if (rc < 0) {
		CHECK(rc == AIMS_EINVALID || rc == AIMS_ENOMEM);
		CHECK(aims_error_last()[0] != '\0');
		return 0;
	}
	CHECK(slen == rlen && memcmp(out, ref, rlen) == 0);
	/* the fields handed to the inventory check are the record's */
	if (f.model) {
		CHECK(f.model_len > 0 && f.model_len <= 256 && memchr(f.model, '@', f.model_len) != NULL);
	} else {
		CHECK(f.model_digest != NULL);
	}
	if (f.model_digest)
		CHECK(memcmp(f.model_digest, "sha256:", 7) == 0 && strstr(ref, "\"model_digest\":\"sha256:") != NULL);
	/* again, on the reused state */
	CHECK(aims__dcanon_run(scanner, out, &slen2, (const char *)data, size, NULL) == 0);
	CHECK(slen2 == rlen && memcmp(out, ref, rlen) == 0);
	free(ref);
	return 0;
}
