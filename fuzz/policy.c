/*
 * libFuzzer harness for the policy parser behind 'aims policy set|check'
 * (src/lib/policy/policy.c on the answers-file reader): any input must
 * parse or be refused cleanly with a message naming the file (and leave
 * nothing allocated); a parsed policy must have a digest and a canonical
 * form that is a JSON object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_policy *p = NULL;
	if (aims_policy_parse(&p, (const char *)data, size, "fuzz") != 0) {
		if (!strstr(aims_error_last(), "fuzz") || p)
			abort();
		return 0;
	}
	if (!p->canonical || strncmp(p->digest, "sha256:", 7) != 0)
		abort();
	json_error_t je;
	json_t *c = json_loads(p->canonical, 0, &je);
	if (!c || !json_is_object(c))
		abort();
	json_decref(c);
	aims_policy_free(p);
	return 0;
}
