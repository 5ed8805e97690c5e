/*
 * Process-wide setup, time stamps and whole-file reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void *json_malloc(size_t n) { return aims__malloc(n); }
static void json_free(void *p) { aims__free(p); }

static int sodium_status;

static void global_setup(void)
{
	/* jansson's allocations count for fault injection like ours */
	json_set_alloc_funcs(json_malloc, json_free);
	/* libsodium picks its CPU-specific code and seeds its RNG once */
	sodium_status = sodium_init();
}

int aims_global_init(void)
{
	pthread_once(&global_once, global_setup);
	if (sodium_status < 0)
		return aims__err(AIMS_ERROR, "cannot initialise libsodium");
	return 0;
}

const char *aims_version(void)
{
	return AIMS_VERSION;
}

int aims__days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int aims__date_parse(int *y, int *m, int *d, const char *s)
{
	if (!s || strlen(s) < 10)
		return -1;
	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	if (s[10] && s[10] != 'T')
		return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1970 || *m < 1 || *m > 12 || *d < 1 || *d > aims__days_in_month(*y, *m))
		return -1;
	return 0;
}

static int digits(const char *s, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int aims__rfc3339(int64_t *epoch, int *usec, const char *s, size_t len, int lenient)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0, frac = 0;
	size_t i = 19;
	if (len < 20 || digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &mo) < 0 ||
	    s[7] != '-' || digits(s + 8, 2, &d) < 0 ||
	    !(s[10] == 'T' || (lenient && (s[10] == 't' || s[10] == ' '))) || digits(s + 11, 2, &h) < 0 ||
	    s[13] != ':' || digits(s + 14, 2, &mi) < 0 || s[16] != ':' || digits(s + 17, 2, &se) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > aims__days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
		return -1;
	if (s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - start < 6)
				frac = frac * 10 + (s[i] - '0');
			i++;
		}
		if (i == start || (!lenient && i - start > 9))
			return -1;
		for (size_t n = i - start; n < 6; n++)
			frac *= 10;
	}
	if (i < len && (s[i] == 'Z' || (lenient && s[i] == 'z'))) {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '+' ? 1 : -1;
		if (len - i != 6 || digits(s + i + 1, 2, &oh) < 0 || s[i + 3] != ':' ||
		    digits(s + i + 4, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
		i += 6;
	} else {
		return -1;
	}
	if (i != len)
		return -1;
	if (epoch)
		*epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
			 (int64_t)sign * (oh * 3600 + om * 60);
	if (usec)
		*usec = frac;
	return 0;
}

void aims__time_format(char out[32], int64_t epoch)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

void aims__time_now(char out[32])
{
	aims__time_format(out, aims__clock_now());
}

size_t aims__utf8_valid(const char *s, size_t n)
{
	const unsigned char *b = (const unsigned char *)s, *p = b, *end = b + n;
	while (p < end) {
		unsigned c = *p;
		size_t k;
		unsigned min, cp;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			min = 0x80;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			min = 0x800;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			min = 0x10000;
			cp = c & 0x07;
		} else {
			return (size_t)(p - b);
		}
		if ((size_t)(end - p) <= k)
			return (size_t)(p - b);
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return (size_t)(p - b);
			cp = (cp << 6) | (p[i] & 0x3Fu);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return (size_t)(p - b);
		p += k + 1;
	}
	return n;
}

int aims__strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}
