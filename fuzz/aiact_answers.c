/*
 * libFuzzer harness for the answers-file reader (YAML through libyaml, JSON
 * through jansson) behind 'aims aiact classify' and 'aims assess impact':
 * any input must parse or be refused cleanly with a message naming the
 * file; parsed answers (current or version 1 format) must classify, and
 * the classification must be one of the five tiers with an FRIA only for
 * high-risk systems and every obligation dated by Art. 113.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_aiact_answers a;
	aims_aiact_result r;
	const char *text = (const char *)data;

	if (aims_aiact_answers_parse(&a, text, size, "fuzz") == 0) {
		if (aims_aiact_classify(&r, &a) != 0)
			abort();
		if (strcmp(r.tier, "prohibited") != 0 && strcmp(r.tier, "high-risk") != 0 &&
		    strcmp(r.tier, "limited-risk") != 0 && strcmp(r.tier, "minimal-risk") != 0 &&
		    strcmp(r.tier, "out-of-scope") != 0)
			abort();
		if (r.fria_required && strcmp(r.tier, "high-risk") != 0)
			abort();
		for (size_t i = 0; i < r.nobligations; i++)
			if (strcmp(r.applies_from[i], AIMS_AIACT_DATE_CH_I_II) != 0 &&
			    strcmp(r.applies_from[i], AIMS_AIACT_DATE_GPAI) != 0 &&
			    strcmp(r.applies_from[i], AIMS_AIACT_DATE_GENERAL) != 0 &&
			    strcmp(r.applies_from[i], AIMS_AIACT_DATE_ART6_1) != 0)
				abort();
		if (a.nwarnings > AIMS_AIACT_MAX_WARNINGS || (a.format != 1 && a.format != 2) ||
		    (a.format == 2 && a.nwarnings != 0))
			abort();
		aims_aiact_result_release(&r);
	} else if (!strstr(aims_error_last(), "fuzz")) {
		abort();
	}
	if (aims_assess_answers_check(text, size, "fuzz") != 0 && !strstr(aims_error_last(), "fuzz"))
		abort();
	return 0;
}
