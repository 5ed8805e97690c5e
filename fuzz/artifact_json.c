/*
 * libFuzzer harness for the artifact JSON of inventory requests (what
 * `dataset register`, `model register` and the verify operations receive
 * instead of the bytes): any JSON is accepted or refused cleanly. A refusal
 * has a message and names the member at fault; an accepted artifact has at
 * least one file, every path once and in order, well-formed digests, sizes
 * adding up to its total, and gives the same artifact again when written
 * out with aims_artifact_json and read back (the manifest is computed, not
 * copied). Build and run with `make fuzz`; seeds are in
 * fuzz/corpus/artifact_json/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL), *again = NULL;
	aims_artifact *a = NULL, *b = NULL;
	if (!j)
		return 0;
	if (aims_artifact_from_json(&a, j, "artifact") < 0) {
		CHECK(!a && aims_error_last()[0] && strncmp(aims_error_last_field(), "artifact", 8) == 0);
		json_decref(j);
		return 0;
	}
	uint64_t total = 0;
	CHECK(a->count >= 1 && (a->is_dir || a->count == 1));
	for (size_t i = 0; i < a->count; i++) {
		CHECK(strncmp(a->files[i].digest, "sha256:", 7) == 0 && strlen(a->files[i].digest) == 71);
		CHECK(a->files[i].path[0] != '\0' && a->files[i].path[0] != '/');
		CHECK(i == 0 || strcmp(a->files[i - 1].path, a->files[i].path) < 0);
		total += a->files[i].size;
	}
	CHECK(total == a->total);
	CHECK(a->is_dir || strcmp(a->digest, a->files[0].digest) == 0);
	CHECK((again = aims_artifact_json(a)) != NULL);
	CHECK(aims_artifact_from_json(&b, again, "artifact") == 0);
	CHECK(strcmp(a->digest, b->digest) == 0 && a->count == b->count && a->total == b->total);
	aims_artifact_free(a);
	aims_artifact_free(b);
	json_decref(again);
	json_decref(j);
	return 0;
}
