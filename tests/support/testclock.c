/*
 * The clock of the test programs (build/aims-testclock, the unit tests): the
 * real one, unless AIMS_TEST_NOW holds an RFC 3339 time, which then stands
 * still at that instant. Linked before libaims.a, this definition replaces
 * the library's src/lib/core/clock.c; the aims command users run has no way
 * to move the clock (docs/ledger.md, "Retention").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

int64_t aims__clock_now(void)
{
	const char *fake = getenv("AIMS_TEST_NOW");
	int64_t t;
	if (fake && *fake) {
		if (aims__rfc3339(&t, NULL, fake, strlen(fake), 0) == 0)
			return t;
		fprintf(stderr, "AIMS_TEST_NOW='%s' is not an RFC 3339 time\n", fake);
		abort();
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}
