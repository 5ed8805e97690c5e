/*
 * libFuzzer harness for the crosswalk parser (docs/catalog-format.md): feeds
 * arbitrary bytes to aims_crosswalk_parse() and, when a crosswalk comes
 * back, walks it through every accessor and checks the invariants the
 * parser promises (known relationships, rationales and confidences; a null
 * source exactly on no-relationship rows; no duplicate (source, target)
 * pair; targets unique and findable; a known role on every row or on
 * none; the reversed support never above the forward reading's inverse). A failed parse must leave *out NULL,
 * return a negative code and record a message. Any broken promise calls
 * abort() so that the fuzzer reports it with the input that caused it.
 * Build and run with `make fuzz`; seeds are in fuzz/corpus/crosswalk/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/crosswalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_text(const char *s, int optional)
{
	if (!s) {
		CHECK(optional);
		return;
	}
	CHECK(s[0] != '\0');
}

static int one_of(const char *s, const char *a, const char *b, const char *c)
{
	return strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void exercise(const aims_crosswalk *cw)
{
	const aims_crosswalk_info *in = aims_crosswalk_info_get(cw);
	size_t n = aims_crosswalk_count(cw), nt = aims_crosswalk_target_count(cw);

	CHECK(in);
	check_text(in->from, 0);
	check_text(in->to, 0);
	CHECK(strcmp(in->from, in->to) != 0);
	check_text(in->title, 0);
	check_text(in->source, 0);
	check_text(in->licence, 0);
	check_text(in->method, 0);
	check_text(in->notes, 1);
	CHECK(in->digest && strlen(in->digest) == 64);
	CHECK(in->loaded_at == NULL);
	CHECK(aims_crosswalk_inverted(cw) == 0);
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		const aims_mapping *m = aims_crosswalk_at(cw, i);
		CHECK(m);
		check_text(m->source, 1);
		check_text(m->target, 0);
		check_text(m->explanation, 0);
		int support = aims_relationship_support(m->relationship);
		CHECK(support >= 0);
		CHECK(aims_relationship_inverse(m->relationship) != NULL);
		CHECK(aims_relationship_support(aims_relationship_inverse(m->relationship)) >= 0);
		CHECK((support == AIMS_SUPPORT_NONE) == (m->source == NULL));
		CHECK(one_of(m->rationale, "syntactic", "semantic", "functional"));
		CHECK(one_of(m->confidence, "high", "medium", "low"));
		CHECK(m->role == NULL || one_of(m->role, "provider", "deployer", "both"));
		CHECK((m->role == NULL) == (aims_crosswalk_at(cw, 0)->role == NULL));
		int back = aims_relationship_support_reversed(m->relationship);
		CHECK(back >= 0 && back <= aims_relationship_support(aims_relationship_inverse(m->relationship)));
		CHECK(back < AIMS_SUPPORT_FULL || strcmp(m->relationship, "equal-to") == 0 ||
		      strcmp(m->relationship, "equivalent-to") == 0);
		/* quadratic, but fuzz inputs are small */
		for (size_t j = 0; j < i && j < 256; j++) {
			const aims_mapping *o = aims_crosswalk_at(cw, j);
			CHECK(!(same(o->source, m->source) && strcmp(o->target, m->target) == 0));
		}
	}
	CHECK(aims_crosswalk_at(cw, n) == NULL);
	for (size_t i = 0; i < nt; i++) {
		const char *id = NULL, *adds = NULL;
		CHECK(aims_crosswalk_target_at(cw, i, &id, &adds) == 0);
		check_text(id, 0);
		check_text(adds, 0);
		/* ids are unique, so the lookup gives back this very text */
		CHECK(aims_crosswalk_adds(cw, id) == adds);
	}
	CHECK(aims_crosswalk_target_at(cw, nt, NULL, NULL) == -1);
	CHECK(aims_crosswalk_adds(cw, NULL) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_crosswalk *cw = (aims_crosswalk *)1;  /* must be reset by the parser */
	int err;

	aims_error_clear();
	err = aims_crosswalk_parse(&cw, (const char *)data, size, "fuzz");
	if (err == 0) {
		CHECK(cw);
		exercise(cw);
		aims_crosswalk_free(cw);
	} else {
		CHECK(err < 0);
		CHECK(cw == NULL);
		CHECK(aims_error_last()[0] != '\0');
		CHECK(aims_error_last_code() == err);
	}
	return 0;
}
