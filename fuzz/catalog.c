/*
 * libFuzzer harness for the catalog parser (docs/catalog-format.md): feeds
 * arbitrary bytes to aims_catalog_parse() and, when a catalog comes back,
 * walks it through every accessor and checks the invariants the parser
 * promises (ids unique and findable, parents earlier in the file, every
 * kind one of the known kinds). A failed parse must leave *out NULL, return
 * a negative code and record a message. Any broken promise calls abort()
 * so that the fuzzer reports it with the input that caused it.
 * Build and run with `make fuzz`; seeds are in fuzz/corpus/catalog/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = {
	"clause", "control", "group", "function", "category", "subcategory",
	"chapter", "section", "article", "annex", "annex-iii-area",
};

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_text(const char *s, int optional)
{
	if (!s) {
		CHECK(optional);
		return;
	}
	CHECK(s[0] != '\0');
}

static void exercise(const aims_catalog *cat)
{
	const aims_framework *fw = aims_catalog_framework(cat);
	size_t n = aims_catalog_count(cat), by_kind = 0;

	CHECK(fw);
	check_text(fw->framework, 0);
	check_text(fw->title, 0);
	check_text(fw->version, 0);
	check_text(fw->publisher, 0);
	check_text(fw->source, 0);
	check_text(fw->licence, 0);
	check_text(fw->notes, 1);
	CHECK(fw->digest && strlen(fw->digest) == 64);
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		CHECK(r);
		check_text(r->id, 0);
		check_text(r->kind, 0);
		check_text(r->title, 0);
		check_text(r->summary, 1);
		check_text(r->text, 1);
		check_text(r->chapter, 1);
		/* ids are unique, so find() must give back this very requirement */
		CHECK(aims_catalog_find(cat, r->id) == r);
		if (r->parent) {
			const aims_requirement *p = aims_catalog_find(cat, r->parent);
			CHECK(p && p < r);  /* the parent comes earlier in the file */
		}
	}
	CHECK(aims_catalog_at(cat, n) == NULL);
	CHECK(aims_catalog_find(cat, NULL) == NULL);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		by_kind += aims_catalog_count_kind(cat, kinds[k]);
	CHECK(by_kind == n);  /* no requirement escapes the list of kinds */
	CHECK(aims_catalog_count_kind(cat, "no-such-kind") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_catalog *cat = (aims_catalog *)1;  /* must be reset by the parser */
	int err;

	aims_error_clear();
	err = aims_catalog_parse(&cat, (const char *)data, size, "fuzz");
	if (err == 0) {
		CHECK(cat);
		exercise(cat);
		aims_catalog_free(cat);
	} else {
		CHECK(err < 0);
		CHECK(cat == NULL);
		CHECK(aims_error_last()[0] != '\0');
		CHECK(aims_error_last_code() == err);
	}
	return 0;
}
