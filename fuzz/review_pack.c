/*
 * libFuzzer harness for reading a review pack back (aims__review_pack_read
 * in src/lib/oversight/review.c): the text of a review_packs row, which
 * anyone with SQL access to the store can change, read when the queue
 * turns packs into rows. Any input must be read or refused without a
 * crash. Two properties: text that reads as n selections is exactly the
 * lines aims__review_queue_line writes for them (nothing else reads back);
 * and selections made from the input's bytes, written as lines, read back
 * as the same selections.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oversight/oversight_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(const uint8_t **p, const uint8_t *end, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && *p < end; i++, (*p)++)
		v = v << 8 | **p;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims__review_pick *items = NULL;
	size_t cap = 0, nl = 0;
	int64_t bad = 0;
	char line[128];

	/* 1: the input as a pack's text, with as many selections as it has lines, entries unbounded */
	for (size_t i = 0; i < size; i++)
		nl += data[i] == '\n';
	int r = aims__review_pack_read(&items, &cap, (const char *)data, size, (int64_t)nl, 0, INT64_MAX, &bad);
	if (r < 0)
		abort();
	if (r == 0) {
		size_t off = 0;
		for (size_t k = 0; k < nl; k++) {
			int len = aims__review_queue_line(line, sizeof(line), items[k].index, items[k].leaf,
							  (long long)items[k].reasons);
			if (len < 0 || off + (size_t)len > size || memcmp(data + off, line, (size_t)len) != 0)
				abort();
			off += (size_t)len;
		}
		if (off != size)
			abort();
	} else if (bad < 0 || bad > (int64_t)nl + 1) {
		abort();
	}

	/* 2: selections from the input's bytes (entry: 8 bytes, reasons: 1, leaf: 32), written and read back */
	const uint8_t *p = data, *end = data + size;
	size_t n = size / 41, tl = 0;
	if (n == 0 || n > 64) {
		free(items);
		return 0;
	}
	char *text = malloc(n * 128);
	aims__review_pick *want = calloc(n, sizeof(*want));
	if (!text || !want)
		abort();
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t k = 0; k < n; k++) {
		want[k].index = take(&p, end, 8) >> 1; /* the store's integers are signed */
		want[k].reasons = (unsigned)take(&p, end, 1);
		for (int i = 0; i < 32; i++) {
			static const char hex[] = "0123456789abcdef";
			uint8_t b = (uint8_t)take(&p, end, 1);
			want[k].leaf[2 * i] = hex[b >> 4];
			want[k].leaf[2 * i + 1] = hex[b & 15];
		}
		want[k].leaf[64] = '\0';
		lo = want[k].index < lo ? want[k].index : lo;
		hi = want[k].index > hi ? want[k].index : hi;
		int len = aims__review_queue_line(text + tl, 128, want[k].index, want[k].leaf, (long long)want[k].reasons);
		if (len < 0)
			abort();
		tl += (size_t)len;
	}
	if (aims__review_pack_read(&items, &cap, text, tl, (int64_t)n, (int64_t)lo, (int64_t)hi, &bad) != 0)
		abort();
	for (size_t k = 0; k < n; k++)
		if (items[k].index != want[k].index || items[k].reasons != want[k].reasons ||
		    strcmp(items[k].leaf, want[k].leaf) != 0)
			abort();
	/* one entry past the range, or one selection more than there are lines: refused */
	if (aims__review_pack_read(&items, &cap, text, tl, (int64_t)n, (int64_t)lo, (int64_t)hi - 1, &bad) != 1)
		abort();
	if (aims__review_pack_read(&items, &cap, text, tl, (int64_t)n + 1, (int64_t)lo, (int64_t)hi, &bad) != 1)
		abort();
	free(text);
	free(want);
	free(items);
	return 0;
}
