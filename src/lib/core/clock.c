/*
 * The wall clock, alone in its file: every time stamp aims writes and every
 * retention period it counts reads the time through aims__clock_now(). Test
 * programs link tests/support/testclock.c before libaims.a, which defines
 * this symbol itself (reading AIMS_TEST_NOW), so that retention can be tested
 * without waiting six months; the linker then never takes this file from the
 * archive. Nothing in the library or the aims command can move the clock.
 */
#include <time.h>

#include "core.h"

int64_t aims__clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}
