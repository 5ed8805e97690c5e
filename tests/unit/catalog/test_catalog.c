/*
 * Unit tests of framework catalogs: the built-in catalogs' counts and
 * identifiers, validation of malformed files (with file, line and field in
 * the message), store round trips, and all-or-nothing loading.
 */
#include "helpers.h"
#include "core/core.h"

static const char *MINI =
	"{\n"
	"  \"aims_catalog\": 1,\n"
	"  \"framework\": \"mini-1\",\n"
	"  \"title\": \"Mini\",\n"
	"  \"version\": \"1\",\n"
	"  \"publisher\": \"Us\",\n"
	"  \"source\": \"tests\",\n"
	"  \"licence\": \"Apache-2.0\",\n"
	"  \"requirements\": [\n"
	"    {\"id\": \"1\", \"kind\": \"clause\", \"title\": \"One\", \"parent\": null},\n"
	"    {\"id\": \"1.1\", \"kind\": \"clause\", \"title\": \"One.one\", \"parent\": \"1\", \"summary\": \"s\"},\n"
	"    {\"id\": \"A.1\", \"kind\": \"group\", \"title\": \"G\", \"parent\": null},\n"
	"    {\"id\": \"A.1.1\", \"kind\": \"control\", \"title\": \"C\", \"parent\": \"A.1\", \"text\": \"t\"}\n"
	"  ]\n"
	"}\n";

static aims_store *new_store(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	return s;
}

/* MINI with `from` replaced by `to` (first occurrence) */
static char *mutate(const char *from, const char *to)
{
	const char *at = strstr(MINI, from);
	assert_non_null(at);
	size_t n = strlen(MINI) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - MINI), MINI, to, at + strlen(from));
	return s;
}

static void expect_invalid(const char *from, const char *to, const char *needle)
{
	char *text = mutate(from, to);
	aims_catalog *cat = NULL;
	int rc = aims_catalog_parse(&cat, text, strlen(text), "mini.json");
	if (rc != AIMS_EINVALID && rc != AIMS_EVERSION)
		fail_msg("'%s' -> '%s': expected a refusal, got %d", from, to, rc);
	assert_null(cat);
	if (!strstr(aims_error_last(), needle))
		fail_msg("'%s' -> '%s': message '%s' lacks '%s'", from, to, aims_error_last(), needle);
	if (!strstr(aims_error_last(), "'mini.json'"))
		fail_msg("message '%s' does not name the file", aims_error_last());
	free(text);
}

static void test_parse_valid(void **state)
{
	(void)state;
	aims_catalog *cat = NULL;
	assert_aims_ok(aims_catalog_parse(&cat, MINI, strlen(MINI), "mini.json"));
	const aims_framework *fw = aims_catalog_framework(cat);
	assert_string_equal(fw->framework, "mini-1");
	assert_int_equal(strlen(fw->digest), 64);
	assert_null(fw->notes);
	assert_int_equal(aims_catalog_count(cat), 4);
	assert_string_equal(aims_catalog_at(cat, 1)->id, "1.1");
	assert_string_equal(aims_catalog_at(cat, 1)->parent, "1");
	assert_null(aims_catalog_at(cat, 0)->parent);
	assert_null(aims_catalog_at(cat, 4));
	assert_string_equal(aims_catalog_find(cat, "A.1.1")->text, "t");
	assert_null(aims_catalog_find(cat, "A.1.2"));
	assert_int_equal(aims_catalog_count_kind(cat, "clause"), 2);
	assert_int_equal(aims_catalog_count_kind(cat, "control"), 1);
	aims_catalog_free(cat);
}

static void test_parse_refuses_bad_files(void **state)
{
	(void)state;
	/* syntax: line and column */
	expect_invalid("\"title\": \"Mini\",", "\"title\": \"Mini\"", "line 5 column");
	expect_invalid("\"framework\": \"mini-1\",", "\"framework\": \"mini-1\", \"framework\": \"x\",",
		       "line 3");
	/* content: line and JSON path */
	expect_invalid("\"parent\": \"A.1\"", "\"parent\": \"A.9\"",
		       "line 13: requirements[3].parent: 'A.9' is not the id of an earlier requirement");
	expect_invalid("\"id\": \"1.1\", \"kind\": \"clause\", \"title\": \"One.one\", \"parent\": \"1\"",
		       "\"id\": \"1.1\", \"kind\": \"clause\", \"title\": \"One.one\", \"parent\": \"A.1\"",
		       "requirements[1].parent: 'A.1' is not the id of an earlier requirement");
	expect_invalid("\"id\": \"A.1.1\"", "\"id\": \"1.1\"", "requirements[3].id: duplicate id '1.1'");
	expect_invalid("\"kind\": \"group\"", "\"kind\": \"gruop\"", "requirements[2].kind: unknown kind 'gruop'");
	expect_invalid("\"summary\": \"s\"", "\"sumary\": \"s\"", "requirements[1].sumary: unknown field");
	expect_invalid("\"title\": \"G\", ", "", "requirements[2]: missing field 'title'");
	expect_invalid("\"title\": \"G\"", "\"title\": \"   \"", "requirements[2].title: must be non-empty");
	expect_invalid("\"title\": \"G\"", "\"title\": 5", "requirements[2].title: must be a string");
	expect_invalid("\"kind\": \"group\", \"title\": \"G\", \"parent\": null",
		       "\"kind\": \"group\", \"title\": \"G\"", "missing field 'parent'");
	expect_invalid("\"framework\": \"mini-1\"", "\"framework\": \"Mini 1\"", "line 3: framework:");
	expect_invalid("\"licence\": \"Apache-2.0\",\n", "", "missing field 'licence'");
	expect_invalid("\"aims_catalog\": 1", "\"aims_catalog\": 2", "unsupported catalog format version");
	expect_invalid("\"aims_catalog\": 1", "\"x\": 1", "missing field 'aims_catalog'");
	expect_invalid("{\"id\": \"1\",", "7, {\"id\": \"1\",", "requirements[0]: must be an object");
	expect_invalid("\"title\": \"One\"", "\"title\": \"One\\u0001\"", "control characters");

	aims_catalog *cat = NULL;
	const char *noreqs = "{\"aims_catalog\": 1, \"framework\": \"x\", \"title\": \"X\", \"version\": \"1\", "
			     "\"publisher\": \"P\", \"source\": \"S\", \"licence\": \"L\", \"requirements\": []}";
	assert_aims_error(aims_catalog_parse(&cat, noreqs, strlen(noreqs), "empty-reqs.json"), AIMS_EINVALID,
			  "requirements: must be a non-empty array");
	assert_aims_error(aims_catalog_parse(&cat, "[1]", 3, "arr.json"), AIMS_EINVALID,
			  "must be a JSON object");
	assert_aims_error(aims_catalog_parse(&cat, "", 0, "empty.json"), AIMS_EINVALID, "'empty.json'");
	assert_aims_error(aims_catalog_parse(&cat, "{\"aims_crosswalk\": 1}", 21, "cw.json"),
			  AIMS_EINVALID, "crosswalk");
	assert_aims_error(aims_catalog_parse_file(&cat, test_path("missing.json")), AIMS_ENOTFOUND,
			  "missing.json");
}

static void test_builtin_catalog_counts(void **state)
{
	(void)state;
	static const struct {
		const char *framework, *kind;
		size_t n;
	} want[] = {
		{ "iso27001-2022", "control", 93 }, { "iso27001-2022", "group", 4 },
		{ "iso42001-2023", "control", 38 }, { "iso42001-2023", "group", 9 },
		{ "nist-ai-rmf-1.0", "function", 4 }, { "nist-ai-rmf-1.0", "category", 19 },
		{ "nist-ai-rmf-1.0", "subcategory", 72 },
		{ "eu-ai-act-2024", "article", 113 }, { "eu-ai-act-2024", "annex", 13 },
		{ "eu-ai-act-2024", "annex-iii-area", 8 },
	};
	size_t catalogs = 0;
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *data;
		size_t len;
		aims_catalog *cat = NULL;
		assert_aims_ok(aims_catalog_builtin(i, &name, &data, &len));
		if (strncmp(name, "crosswalk-", 10) == 0)
			continue;
		assert_aims_ok(aims_catalog_parse(&cat, data, len, name));
		catalogs++;
		const char *fw = aims_catalog_framework(cat)->framework;
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++)
			if (strcmp(want[w].framework, fw) == 0 &&
			    aims_catalog_count_kind(cat, want[w].kind) != want[w].n)
				fail_msg("%s: %zu %s, want %zu", fw, aims_catalog_count_kind(cat, want[w].kind),
					 want[w].kind, want[w].n);
		aims_catalog_free(cat);
	}
	assert_int_equal(catalogs, 4);
}

static void test_builtin_identifiers(void **state)
{
	(void)state;
	static const struct {
		const char *framework, *id, *kind, *parent;
	} want[] = {
		{ "iso42001-2023", "6.1.4", "clause", "6.1" },
		{ "iso42001-2023", "8.4", "clause", "8" },
		{ "iso42001-2023", "9.2.2", "clause", "9.2" },
		{ "iso42001-2023", "A.6.2.4", "control", "A.6" },
		{ "iso42001-2023", "A.10.4", "control", "A.10" },
		{ "iso27001-2022", "A.8.34", "control", "A.8" },
		{ "iso27001-2022", "A.5.37", "control", "A.5" },
		{ "iso27001-2022", "9.3.3", "clause", "9.3" },
		{ "nist-ai-rmf-1.0", "GOVERN 1.1", "subcategory", "GOVERN 1" },
		{ "nist-ai-rmf-1.0", "MANAGE 4.3", "subcategory", "MANAGE 4" },
		{ "eu-ai-act-2024", "Article 9", "article", "Chapter III" },
		{ "eu-ai-act-2024", "Article 113", "article", "Chapter XIII" },
		{ "eu-ai-act-2024", "Annex III", "annex", NULL },
		{ "eu-ai-act-2024", "Annex III.5", "annex-iii-area", "Annex III" },
	};
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *data;
		size_t len;
		aims_catalog *cat = NULL;
		assert_aims_ok(aims_catalog_builtin(i, &name, &data, &len));
		if (strncmp(name, "crosswalk-", 10) == 0)
			continue;
		assert_aims_ok(aims_catalog_parse(&cat, data, len, name));
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
			if (strcmp(want[w].framework, aims_catalog_framework(cat)->framework) != 0)
				continue;
			const aims_requirement *r = aims_catalog_find(cat, want[w].id);
			if (!r)
				fail_msg("%s has no '%s'", want[w].framework, want[w].id);
			assert_string_equal(r->kind, want[w].kind);
			assert_int_equal(aims__strcmp0(r->parent, want[w].parent), 0);
		}
		/* ISO summaries are ours; no ISO catalog ships official text */
		if (strncmp(aims_catalog_framework(cat)->framework, "iso", 3) == 0)
			for (size_t k = 0; k < aims_catalog_count(cat); k++) {
				assert_null(aims_catalog_at(cat, k)->text);
				assert_non_null(aims_catalog_at(cat, k)->summary);
			}
		aims_catalog_free(cat);
	}
}

static void test_store_round_trip(void **state)
{
	(void)state;
	aims_store *s = new_store("rt.db");
	aims_catalog *cat = NULL, *back = NULL;
	assert_aims_ok(aims_catalog_parse(&cat, MINI, strlen(MINI), "mini.json"));
	assert_aims_ok(aims_catalog_store(s, cat));
	assert_aims_ok(aims_catalog_read(&back, s, "mini-1"));
	assert_int_equal(aims_catalog_count(back), aims_catalog_count(cat));
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *a = aims_catalog_at(cat, i), *b = aims_catalog_at(back, i);
		assert_string_equal(a->id, b->id);
		assert_string_equal(a->kind, b->kind);
		assert_string_equal(a->title, b->title);
		assert_int_equal(aims__strcmp0(a->parent, b->parent), 0);
		assert_int_equal(aims__strcmp0(a->summary, b->summary), 0);
		assert_int_equal(aims__strcmp0(a->text, b->text), 0);
	}
	assert_string_equal(aims_catalog_framework(back)->digest, aims_catalog_framework(cat)->digest);
	assert_non_null(aims_catalog_framework(back)->loaded_at);
	aims_catalog_free(back);
	aims_catalog_free(cat);

	/* a new edition replaces the old one: a removed requirement is gone */
	char *v2 = mutate(",\n    {\"id\": \"A.1.1\", \"kind\": \"control\", \"title\": \"C\", \"parent\": \"A.1\", \"text\": \"t\"}", "");
	assert_aims_ok(aims_catalog_parse(&cat, v2, strlen(v2), "mini-v2.json"));
	assert_aims_ok(aims_catalog_store(s, cat));
	assert_aims_ok(aims_catalog_read(&back, s, "mini-1"));
	assert_int_equal(aims_catalog_count(back), 3);
	assert_null(aims_catalog_find(back, "A.1.1"));
	aims_catalog_free(back);
	aims_catalog_free(cat);
	free(v2);

	assert_aims_error(aims_catalog_read(&back, s, "nope"), AIMS_ENOTFOUND, "no framework 'nope'");
	aims_store_free(s);
}

static void test_load_all_is_all_or_nothing(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	char digest_before[65], digest_after[65];
	aims_store *s = new_store("load.db");
	aims_catalog_list *list = NULL;
	size_t n = 0;

	snprintf(dir, sizeof(dir), "%s", test_path("cats"));
	mkdir(dir, 0700);
	char p1[PATH_MAX + 32], p2[PATH_MAX + 32];
	snprintf(p1, sizeof(p1), "%s/a-mini.json", dir);
	snprintf(p2, sizeof(p2), "%s/b-bad.json", dir);
	test_write_file(p1, MINI);
	char *bad = mutate("\"framework\": \"mini-1\"", "\"framework\": \"bad-1\"");
	char *bad2 = NULL;
	{
		const char *at = strstr(bad, "\"parent\": \"A.1\"");
		assert_non_null(at);
		size_t len = strlen(bad) + 8;
		bad2 = malloc(len);
		snprintf(bad2, len, "%.*s\"parent\": \"A.7\"%s", (int)(at - bad), bad, at + strlen("\"parent\": \"A.1\""));
	}
	test_write_file(p2, bad2);
	assert_aims_ok(aims_store_content_digest(digest_before, s));
	assert_aims_error(aims_catalog_load_all(s, dir, &n), AIMS_EINVALID, "b-bad.json' line 13");
	assert_int_equal(n, 0);
	assert_aims_ok(aims_store_content_digest(digest_after, s));
	assert_string_equal(digest_before, digest_after);
	assert_aims_ok(aims_catalog_list_read(&list, s));
	assert_int_equal(list->count, 0);
	aims_catalog_list_free(list);

	/* with the bad file gone, the good one loads */
	unlink(p2);
	assert_aims_ok(aims_catalog_load_all(s, dir, &n));
	assert_int_equal(n, 1);
	assert_aims_ok(aims_catalog_list_read(&list, s));
	assert_int_equal(list->count, 1);
	assert_string_equal(list->items[0].framework, "mini-1");
	assert_int_equal(list->requirement_counts[0], 4);
	aims_catalog_list_free(list);

	/* a bad file later leaves the loaded state exactly as it was */
	test_write_file(p2, bad2);
	assert_aims_ok(aims_store_content_digest(digest_before, s));
	assert_aims_error(aims_catalog_load_all(s, dir, &n), AIMS_EINVALID, "b-bad.json");
	assert_aims_ok(aims_store_content_digest(digest_after, s));
	assert_string_equal(digest_before, digest_after);

	assert_aims_error(aims_catalog_load_all(s, test_path("no-such-dir"), &n), AIMS_ENOTFOUND,
			  "no-such-dir");
	free(bad);
	free(bad2);
	aims_store_free(s);
}

static void test_load_builtin(void **state)
{
	(void)state;
	aims_store *s = new_store("builtin.db");
	aims_catalog_list *list = NULL;
	size_t n = 0;
	assert_aims_ok(aims_catalog_load_all(s, NULL, &n));
	assert_int_equal(n, 4);
	assert_aims_ok(aims_catalog_load_all(s, NULL, &n)); /* again: idempotent */
	assert_aims_ok(aims_catalog_list_read(&list, s));
	assert_int_equal(list->count, 4);
	assert_string_equal(list->items[0].framework, "eu-ai-act-2024");
	assert_string_equal(list->items[1].framework, "iso27001-2022");
	aims_catalog_list_free(list);
	aims_store_free(s);
}

static void test_parse_survives_allocation_failures(void **state)
{
	(void)state;
	for (unsigned long n = 1; n < 5000; n++) {
		aims_catalog *cat = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_catalog_parse(&cat, MINI, strlen(MINI), "mini.json");
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(aims_catalog_count(cat), 4);
			aims_catalog_free(cat);
			return;
		}
		assert_null(cat);
		/* jansson reports its own allocation failures as parse errors */
		assert_true(rc == AIMS_ENOMEM || rc == AIMS_EINVALID);
	}
	fail_msg("parse never succeeded");
}

static void test_store_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom-cat.db");
	aims_catalog *cat = NULL;
	assert_aims_ok(aims_catalog_parse(&cat, MINI, strlen(MINI), "mini.json"));
	for (unsigned long n = 1; n < 5000; n++) {
		aims_catalog *back = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_catalog_store(s, cat);
		if (rc == 0)
			rc = aims_catalog_read(&back, s, "mini-1");
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(aims_catalog_count(back), 4);
			aims_catalog_free(back);
			aims_catalog_free(cat);
			aims_store_free(s);
			return;
		}
		assert_null(back);
	}
	fail_msg("store never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_refuses_bad_files),
		cmocka_unit_test(test_builtin_catalog_counts),
		cmocka_unit_test(test_builtin_identifiers),
		cmocka_unit_test(test_store_round_trip),
		cmocka_unit_test(test_load_all_is_all_or_nothing),
		cmocka_unit_test(test_load_builtin),
		cmocka_unit_test(test_parse_survives_allocation_failures),
		cmocka_unit_test(test_store_survives_allocation_failures),
	};
	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
