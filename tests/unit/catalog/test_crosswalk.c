/*
 * Unit tests of crosswalks: validation of malformed files (file, line and
 * JSON path in the message), ids checked against the stored catalogs,
 * replacement, inversion, one- and two-hop paths, loading after the
 * catalogs in one transaction, allocation failures, and the content of the
 * built-in ISO/IEC 27001 -> ISO/IEC 42001 crosswalk (every 42001 requirement
 * has a row; AI-specific requirements never get full support).
 */
#include "helpers.h"
#include "core/core.h"

static const char *CAT_A =
	"{\"aims_catalog\": 1, \"framework\": \"mini-a\", \"title\": \"A\", \"version\": \"1\", "
	"\"publisher\": \"Us\", \"source\": \"tests\", \"licence\": \"Apache-2.0\", \"requirements\": ["
	"{\"id\": \"1\", \"kind\": \"clause\", \"title\": \"One\", \"parent\": null},"
	"{\"id\": \"1.1\", \"kind\": \"clause\", \"title\": \"One.one\", \"parent\": \"1\"},"
	"{\"id\": \"A.1\", \"kind\": \"control\", \"title\": \"Ctl\", \"parent\": null}]}";

static const char *CAT_B =
	"{\"aims_catalog\": 1, \"framework\": \"mini-b\", \"title\": \"B\", \"version\": \"1\", "
	"\"publisher\": \"Us\", \"source\": \"tests\", \"licence\": \"Apache-2.0\", \"requirements\": ["
	"{\"id\": \"X\", \"kind\": \"group\", \"title\": \"X\", \"parent\": null},"
	"{\"id\": \"X.1\", \"kind\": \"control\", \"title\": \"X one\", \"parent\": \"X\"},"
	"{\"id\": \"X.2\", \"kind\": \"control\", \"title\": \"X two\", \"parent\": \"X\"}]}";

static const char *CAT_C =
	"{\"aims_catalog\": 1, \"framework\": \"mini-c\", \"title\": \"C\", \"version\": \"1\", "
	"\"publisher\": \"Us\", \"source\": \"tests\", \"licence\": \"Apache-2.0\", \"requirements\": ["
	"{\"id\": \"C1\", \"kind\": \"article\", \"title\": \"C one\", \"parent\": null}]}";

/* line numbers matter: the tests below name them */
static const char *CW_AB =
	"{\n"                                                          /* 1 */
	"  \"aims_crosswalk\": 1,\n"                                   /* 2 */
	"  \"from\": \"mini-a\",\n"                                    /* 3 */
	"  \"to\": \"mini-b\",\n"                                      /* 4 */
	"  \"title\": \"A to B\",\n"                                   /* 5 */
	"  \"source\": \"tests\",\n"                                   /* 6 */
	"  \"licence\": \"Apache-2.0\",\n"                             /* 7 */
	"  \"method\": \"by hand\",\n"                                 /* 8 */
	"  \"targets\": [\n"                                           /* 9 */
	"    {\"id\": \"X.1\", \"adds\": \"more\"}\n"                  /* 10 */
	"  ],\n"                                                       /* 11 */
	"  \"mappings\": [\n"                                          /* 12 */
	"    {\"source\": \"1.1\", \"target\": \"X.1\", \"relationship\": \"subset-of\", "
	"\"rationale\": \"semantic\", \"confidence\": \"high\", \"explanation\": \"e1\"},\n"   /* 13 */
	"    {\"source\": \"A.1\", \"target\": \"X.1\", \"relationship\": \"intersects-with\", "
	"\"rationale\": \"functional\", \"confidence\": \"low\", \"explanation\": \"e2\"},\n"  /* 14 */
	"    {\"source\": null, \"target\": \"X.2\", \"relationship\": \"no-relationship\", "
	"\"rationale\": \"semantic\", \"confidence\": \"medium\", \"explanation\": \"e3\"}\n"  /* 15 */
	"  ]\n"
	"}\n";

static const char *CW_BC =
	"{\"aims_crosswalk\": 1, \"from\": \"mini-b\", \"to\": \"mini-c\", \"title\": \"B to C\", "
	"\"source\": \"tests\", \"licence\": \"Apache-2.0\", \"method\": \"by hand\", \"notes\": \"n\", "
	"\"targets\": [], \"mappings\": ["
	"{\"source\": \"X.1\", \"target\": \"C1\", \"relationship\": \"equal-to\", "
	"\"rationale\": \"syntactic\", \"confidence\": \"high\", \"explanation\": \"same\", \"role\": \"deployer\"}]}";

static aims_store *new_store(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	return s;
}

static void store_catalog(aims_store *s, const char *text)
{
	aims_catalog *cat = NULL;
	assert_aims_ok(aims_catalog_parse(&cat, text, strlen(text), "cat.json"));
	assert_aims_ok(aims_catalog_store(s, cat));
	aims_catalog_free(cat);
}

static void store_crosswalk(aims_store *s, const char *text, const char *name)
{
	aims_crosswalk *cw = NULL;
	assert_aims_ok(aims_crosswalk_parse(&cw, text, strlen(text), name));
	assert_aims_ok(aims_crosswalk_store(s, cw, text, strlen(text)));
	aims_crosswalk_free(cw);
}

/* a store with the three mini catalogs and both mini crosswalks */
static aims_store *mini_store(const char *name)
{
	aims_store *s = new_store(name);
	store_catalog(s, CAT_A);
	store_catalog(s, CAT_B);
	store_catalog(s, CAT_C);
	store_crosswalk(s, CW_AB, "ab.json");
	store_crosswalk(s, CW_BC, "bc.json");
	return s;
}

/* CW_AB with `from` replaced by `to` (first occurrence); caller frees */
static char *mutate(const char *from, const char *to)
{
	const char *at = strstr(CW_AB, from);
	if (!at)
		fail_msg("'%s' not in the test crosswalk", from);
	size_t n = strlen(CW_AB) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - CW_AB), CW_AB, to, at + strlen(from));
	return s;
}

static void expect_invalid(const char *from, const char *to, const char *needle)
{
	char *text = mutate(from, to);
	aims_crosswalk *cw = NULL;
	int rc = aims_crosswalk_parse(&cw, text, strlen(text), "cw.json");
	if (rc != AIMS_EINVALID && rc != AIMS_EVERSION)
		fail_msg("'%s' -> '%s': expected a refusal, got %d", from, to, rc);
	assert_null(cw);
	if (!strstr(aims_error_last(), needle))
		fail_msg("'%s' -> '%s': message '%s' lacks '%s'", from, to, aims_error_last(), needle);
	if (!strstr(aims_error_last(), "'cw.json'"))
		fail_msg("message '%s' does not name the file", aims_error_last());
	free(text);
}

static void test_relationships(void **state)
{
	(void)state;
	assert_int_equal(aims_relationship_support("equal-to"), AIMS_SUPPORT_FULL);
	assert_int_equal(aims_relationship_support("equivalent-to"), AIMS_SUPPORT_FULL);
	assert_int_equal(aims_relationship_support("superset-of"), AIMS_SUPPORT_FULL);
	assert_int_equal(aims_relationship_support("subset-of"), AIMS_SUPPORT_PARTIAL);
	assert_int_equal(aims_relationship_support("intersects-with"), AIMS_SUPPORT_PARTIAL);
	assert_int_equal(aims_relationship_support("no-relationship"), AIMS_SUPPORT_NONE);
	assert_int_equal(aims_relationship_support("related-to"), -1);
	assert_int_equal(aims_relationship_support(NULL), -1);
	assert_string_equal(aims_relationship_inverse("subset-of"), "superset-of");
	assert_string_equal(aims_relationship_inverse("superset-of"), "subset-of");
	assert_string_equal(aims_relationship_inverse("equal-to"), "equal-to");
	assert_string_equal(aims_relationship_inverse("intersects-with"), "intersects-with");
	assert_string_equal(aims_relationship_inverse("no-relationship"), "no-relationship");
	assert_null(aims_relationship_inverse("bogus"));
	/* read against the stored direction, only a symmetric relationship keeps full support (issue 17) */
	assert_int_equal(aims_relationship_support_reversed("equal-to"), AIMS_SUPPORT_FULL);
	assert_int_equal(aims_relationship_support_reversed("equivalent-to"), AIMS_SUPPORT_FULL);
	assert_int_equal(aims_relationship_support_reversed("subset-of"), AIMS_SUPPORT_PARTIAL);
	assert_int_equal(aims_relationship_support_reversed("superset-of"), AIMS_SUPPORT_PARTIAL);
	assert_int_equal(aims_relationship_support_reversed("intersects-with"), AIMS_SUPPORT_PARTIAL);
	assert_int_equal(aims_relationship_support_reversed("no-relationship"), AIMS_SUPPORT_NONE);
	assert_int_equal(aims_relationship_support_reversed("bogus"), -1);
}

static void test_parse_valid(void **state)
{
	(void)state;
	aims_crosswalk *cw = NULL;
	const char *id = NULL, *adds = NULL;
	assert_aims_ok(aims_crosswalk_parse(&cw, CW_AB, strlen(CW_AB), "ab.json"));
	const aims_crosswalk_info *in = aims_crosswalk_info_get(cw);
	assert_string_equal(in->from, "mini-a");
	assert_string_equal(in->to, "mini-b");
	assert_string_equal(in->method, "by hand");
	assert_null(in->notes);
	assert_null(in->loaded_at);
	assert_int_equal(strlen(in->digest), 64);
	assert_int_equal(aims_crosswalk_inverted(cw), 0);
	assert_int_equal(aims_crosswalk_count(cw), 3);
	assert_string_equal(aims_crosswalk_at(cw, 0)->source, "1.1");
	assert_string_equal(aims_crosswalk_at(cw, 1)->confidence, "low");
	assert_null(aims_crosswalk_at(cw, 2)->source);
	assert_string_equal(aims_crosswalk_at(cw, 2)->relationship, "no-relationship");
	assert_null(aims_crosswalk_at(cw, 3));
	assert_int_equal(aims_crosswalk_target_count(cw), 1);
	assert_int_equal(aims_crosswalk_target_at(cw, 0, &id, &adds), 0);
	assert_string_equal(id, "X.1");
	assert_string_equal(adds, "more");
	assert_int_equal(aims_crosswalk_target_at(cw, 1, &id, &adds), -1);
	assert_string_equal(aims_crosswalk_adds(cw, "X.1"), "more");
	assert_null(aims_crosswalk_adds(cw, "X.2"));
	assert_null(aims_crosswalk_adds(cw, NULL));
	assert_null(aims_crosswalk_at(cw, 0)->role);  /* a crosswalk without roles */
	aims_crosswalk_free(cw);

	assert_aims_ok(aims_crosswalk_parse(&cw, CW_BC, strlen(CW_BC), "bc.json"));
	assert_string_equal(aims_crosswalk_info_get(cw)->notes, "n");
	assert_int_equal(aims_crosswalk_target_count(cw), 0);
	assert_string_equal(aims_crosswalk_at(cw, 0)->role, "deployer");
	aims_crosswalk_free(cw);
}

static void test_parse_refuses_bad_files(void **state)
{
	(void)state;
	/* syntax: line and column */
	expect_invalid("\"title\": \"A to B\",", "\"title\": \"A to B\"", "line 6 column");
	expect_invalid("\"to\": \"mini-b\",", "\"to\": \"mini-b\", \"to\": \"x\",", "line 4");
	/* content: line and JSON path */
	expect_invalid("\"aims_crosswalk\": 1", "\"aims_crosswalk\": 2", "line 2: aims_crosswalk: unsupported");
	expect_invalid("\"aims_crosswalk\": 1", "\"aims_crosswalk\": \"1\"", "aims_crosswalk: unsupported");
	expect_invalid("\"aims_crosswalk\": 1", "\"x\": 1", "missing field 'aims_crosswalk'");
	expect_invalid("\"aims_crosswalk\": 1", "\"aims_crosswalk\": 1, \"aims_catalog\": 1",
		       "is a framework catalog");
	expect_invalid("\"method\": \"by hand\",", "\"method\": \"by hand\", \"extra\": 1,",
		       "line 8: extra: unknown field 'extra'");
	expect_invalid("\"method\": \"by hand\",\n", "", "missing field 'method'");
	expect_invalid("\"to\": \"mini-b\"", "\"to\": \"Mini B\"", "line 4: to: 'Mini B' is not a framework id");
	expect_invalid("\"to\": \"mini-b\"", "\"to\": \"mini-a\"", "to: must differ from 'from'");
	expect_invalid("\"title\": \"A to B\"", "\"title\": 7", "line 5: title: must be a string");
	expect_invalid("\"method\": \"by hand\"", "\"method\": \"by hand\", \"notes\": \"\"",
		       "notes: must be non-empty text");
	expect_invalid("\"targets\": [", "\"targets\": 5, \"x\": [", "unknown field 'x'");
	expect_invalid("{\"id\": \"X.1\", \"adds\": \"more\"}",
		       "{\"id\": \"X.1\", \"adds\": \"more\"}, {\"id\": \"X.1\", \"adds\": \"again\"}",
		       "line 10: targets[1].id: duplicate target 'X.1' (also targets[0])");
	expect_invalid("\"adds\": \"more\"", "\"add\": \"more\"", "line 10: targets[0].add: unknown field");
	expect_invalid("\"relationship\": \"subset-of\"", "\"relationship\": \"subset\"",
		       "line 13: mappings[0].relationship: unknown relationship 'subset'");
	expect_invalid("\"rationale\": \"functional\"", "\"rationale\": \"gut\"",
		       "line 14: mappings[1].rationale: unknown rationale 'gut'");
	expect_invalid("\"confidence\": \"low\"", "\"confidence\": \"certain\"",
		       "mappings[1].confidence: unknown confidence 'certain'");
	expect_invalid("\"explanation\": \"e2\"", "\"explanation\": \"e2\", \"why\": \"x\"",
		       "line 14: mappings[1].why: unknown field 'why'");
	expect_invalid("\"explanation\": \"e2\"", "\"explanation\": null", "mappings[1].explanation: must not be null");
	expect_invalid("\"source\": \"A.1\", ", "", "line 14: mappings[1]: missing field 'source'");
	expect_invalid("\"source\": null", "\"source\": \"1\"",
		       "line 15: mappings[2].source: must be null on a no-relationship row");
	expect_invalid("\"source\": \"A.1\"", "\"source\": null",
		       "line 14: mappings[1].source: must not be null on a intersects-with row");
	expect_invalid("\"source\": \"A.1\"", "\"source\": \"1.1\"",
		       "line 14: mappings[1]: duplicate row for source '1.1' and target 'X.1' (also mappings[0])");
	expect_invalid("\"source\": \"A.1\"", "\"source\": 11", "mappings[1].source: must be a string");
	expect_invalid("{\"source\": \"1.1\"", "7, {\"source\": \"1.1\"", "mappings[0]: must be an object");
	/* roles: one of the list, and on every row or on none */
	expect_invalid("\"explanation\": \"e1\"", "\"explanation\": \"e1\", \"role\": \"importer\"",
		       "line 13: mappings[0].role: unknown role 'importer' (one of provider, deployer, both)");
	expect_invalid("\"explanation\": \"e1\"", "\"explanation\": \"e1\", \"role\": \"provider\"",
		       "line 14: mappings[1]: missing field 'role' (mappings[0] has one: give a role on every row or on none)");
	expect_invalid("\"explanation\": \"e2\"", "\"explanation\": \"e2\", \"role\": \"both\"",
		       "line 14: mappings[1].role: mappings[0] has no role: give a role on every row or on none");
	expect_invalid("\"explanation\": \"e1\"", "\"explanation\": \"e1\", \"role\": null",
		       "mappings[0].role: must not be null");

	aims_crosswalk *cw = NULL;
	char *empty = mutate("\"mappings\": [", "\"mappings\": [], \"x\": [");
	assert_aims_error(aims_crosswalk_parse(&cw, empty, strlen(empty), "e.json"), AIMS_EINVALID,
			  "unknown field 'x'");
	free(empty);
	const char *nomaps = "{\"aims_crosswalk\": 1, \"from\": \"a\", \"to\": \"b\", \"title\": \"t\", "
			     "\"source\": \"s\", \"licence\": \"l\", \"method\": \"m\", \"targets\": [], "
			     "\"mappings\": []}";
	assert_aims_error(aims_crosswalk_parse(&cw, nomaps, strlen(nomaps), "nomaps.json"), AIMS_EINVALID,
			  "mappings: must be a non-empty array");
	assert_null(cw);
	assert_aims_error(aims_crosswalk_parse(&cw, "[1]", 3, "arr.json"), AIMS_EINVALID, "must be a JSON object");
	assert_aims_error(aims_crosswalk_parse(&cw, "", 0, "empty.json"), AIMS_EINVALID, "'empty.json'");
	assert_aims_error(aims_crosswalk_parse(&cw, CAT_A, strlen(CAT_A), "cat.json"), AIMS_EINVALID,
			  "is a framework catalog");
	assert_aims_error(aims_crosswalk_parse(&cw, "{\"aims_crosswalk\": 1}", 21, "short.json"),
			  AIMS_EINVALID, "'short.json'");
}

static void test_store_checks_ids(void **state)
{
	(void)state;
	aims_store *s = new_store("ids.db");
	aims_crosswalk *cw = NULL;
	char before[65], after[65];

	/* frameworks first */
	assert_aims_ok(aims_crosswalk_parse(&cw, CW_AB, strlen(CW_AB), "ab.json"));
	assert_aims_error(aims_crosswalk_store(s, cw, CW_AB, strlen(CW_AB)), AIMS_ENOTFOUND,
			  "'ab.json' line 3: from: framework 'mini-a' is not in the store");
	store_catalog(s, CAT_A);
	assert_aims_error(aims_crosswalk_store(s, cw, CW_AB, strlen(CW_AB)), AIMS_ENOTFOUND,
			  "'ab.json' line 4: to: framework 'mini-b' is not in the store");
	/* without the text there is no line, but still the file and the field */
	assert_aims_error(aims_crosswalk_store(s, cw, NULL, 0), AIMS_ENOTFOUND, "'ab.json': to: framework");
	aims_crosswalk_free(cw);
	store_catalog(s, CAT_B);

	static const struct {
		const char *from, *to, *needle;
	} bad[] = {
		{ "\"source\": \"A.1\"", "\"source\": \"A.9\"",
		  "'bad.json' line 14: mappings[1].source: 'A.9' is not a requirement of 'mini-a'" },
		{ "\"target\": \"X.2\"", "\"target\": \"X.3\"",
		  "'bad.json' line 15: mappings[2].target: 'X.3' is not a requirement of 'mini-b'" },
		{ "{\"id\": \"X.1\"", "{\"id\": \"1.1\"",
		  "'bad.json' line 10: targets[0].id: '1.1' is not a requirement of 'mini-b'" },
	};
	assert_aims_ok(aims_store_content_digest(before, s));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text = mutate(bad[i].from, bad[i].to);
		assert_aims_ok(aims_crosswalk_parse(&cw, text, strlen(text), "bad.json"));
		assert_aims_error(aims_crosswalk_store(s, cw, text, strlen(text)), AIMS_EINVALID, bad[i].needle);
		aims_crosswalk_free(cw);
		free(text);
	}
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);

	/* stored; a second file between the same frameworks replaces the first */
	store_crosswalk(s, CW_AB, "ab.json");
	char *v2 = mutate(",\n    {\"source\": \"A.1\"", ",\n    {\"source\": \"1\"");
	store_crosswalk(s, v2, "ab-v2.json");
	assert_aims_ok(aims_crosswalk_read(&cw, s, "mini-a", "mini-b"));
	assert_int_equal(aims_crosswalk_count(cw), 3);
	assert_string_equal(aims_crosswalk_at(cw, 1)->source, "1");
	assert_string_equal(aims_crosswalk_adds(cw, "X.1"), "more");
	assert_non_null(aims_crosswalk_info_get(cw)->loaded_at);
	aims_crosswalk_free(cw);
	aims_crosswalk_list *list = NULL;
	assert_aims_ok(aims_crosswalk_list_read(&list, s));
	assert_int_equal(list->count, 1);
	assert_int_equal(list->row_counts[0], 3);
	aims_crosswalk_list_free(list);
	free(v2);
	aims_store_free(s);
}

static void test_read_and_invert(void **state)
{
	(void)state;
	aims_store *s = mini_store("inv.db");
	aims_crosswalk *cw = NULL, *orig = NULL;

	assert_aims_ok(aims_crosswalk_parse(&orig, CW_AB, strlen(CW_AB), "ab.json"));
	assert_aims_ok(aims_crosswalk_read(&cw, s, "mini-a", "mini-b"));
	assert_int_equal(aims_crosswalk_inverted(cw), 0);
	assert_int_equal(aims_crosswalk_count(cw), 3);
	for (size_t i = 0; i < 3; i++) {
		const aims_mapping *a = aims_crosswalk_at(orig, i), *b = aims_crosswalk_at(cw, i);
		assert_int_equal(aims__strcmp0(a->source, b->source), 0);
		assert_string_equal(a->target, b->target);
		assert_string_equal(a->relationship, b->relationship);
		assert_string_equal(a->rationale, b->rationale);
		assert_string_equal(a->confidence, b->confidence);
		assert_string_equal(a->explanation, b->explanation);
	}
	assert_string_equal(aims_crosswalk_info_get(cw)->digest, aims_crosswalk_info_get(orig)->digest);
	aims_crosswalk_free(cw);

	/* only a -> b is stored: b -> a is it read the other way */
	assert_aims_ok(aims_crosswalk_read(&cw, s, "mini-b", "mini-a"));
	const aims_crosswalk_info *in = aims_crosswalk_info_get(cw);
	assert_int_equal(aims_crosswalk_inverted(cw), 1);
	assert_string_equal(in->from, "mini-b");
	assert_string_equal(in->to, "mini-a");
	assert_string_equal(in->digest, aims_crosswalk_info_get(orig)->digest);
	assert_int_equal(aims_crosswalk_count(cw), 2);  /* the no-relationship row is left out */
	assert_string_equal(aims_crosswalk_at(cw, 0)->source, "X.1");
	assert_string_equal(aims_crosswalk_at(cw, 0)->target, "1.1");
	assert_string_equal(aims_crosswalk_at(cw, 0)->relationship, "superset-of");
	assert_string_equal(aims_crosswalk_at(cw, 1)->target, "A.1");
	assert_string_equal(aims_crosswalk_at(cw, 1)->relationship, "intersects-with");
	assert_int_equal(aims_crosswalk_target_count(cw), 0);
	assert_null(aims_crosswalk_adds(cw, "X.1"));
	/* an inverted crosswalk is not stored back */
	assert_aims_error(aims_crosswalk_store(s, cw, NULL, 0), AIMS_EUSAGE, "inverted");
	aims_crosswalk_free(cw);

	/* roles survive the store, and the inversion */
	assert_aims_ok(aims_crosswalk_read(&cw, s, "mini-b", "mini-c"));
	assert_string_equal(aims_crosswalk_at(cw, 0)->role, "deployer");
	aims_crosswalk_free(cw);
	assert_aims_ok(aims_crosswalk_read(&cw, s, "mini-c", "mini-b"));
	assert_string_equal(aims_crosswalk_at(cw, 0)->source, "C1");
	assert_string_equal(aims_crosswalk_at(cw, 0)->role, "deployer");
	aims_crosswalk_free(cw);
	assert_aims_ok(aims_crosswalk_read(&cw, s, "mini-a", "mini-b"));
	assert_null(aims_crosswalk_at(cw, 0)->role);
	aims_crosswalk_free(cw);

	assert_aims_error(aims_crosswalk_read(&cw, s, "mini-a", "mini-c"), AIMS_ENOTFOUND,
			  "no crosswalk between 'mini-a' and 'mini-c'");
	assert_null(cw);
	aims_crosswalk_free(orig);
	aims_store_free(s);
}

static void test_paths_mini(void **state)
{
	(void)state;
	aims_store *s = mini_store("paths.db");
	aims_path_list *l = NULL;

	/* one hop */
	assert_aims_ok(aims_map_paths(&l, s, "mini-a", "1.1", "mini-b", NULL));
	assert_int_equal(l->count, 1);
	assert_int_equal(l->items[0].nhops, 1);
	assert_string_equal(l->items[0].hops[0].to_id, "X.1");
	assert_int_equal(l->items[0].support, AIMS_SUPPORT_PARTIAL);
	aims_path_list_free(l);

	/* two hops through mini-b; support is the weakest hop's */
	assert_aims_ok(aims_map_paths(&l, s, "mini-a", "1.1", "mini-c", "C1"));
	assert_int_equal(l->count, 1);
	assert_int_equal(l->items[0].nhops, 2);
	assert_string_equal(l->items[0].hops[0].from_framework, "mini-a");
	assert_string_equal(l->items[0].hops[0].to_framework, "mini-b");
	assert_string_equal(l->items[0].hops[0].to_id, "X.1");
	assert_string_equal(l->items[0].hops[1].from_id, "X.1");
	assert_string_equal(l->items[0].hops[1].to_id, "C1");
	assert_string_equal(l->items[0].hops[1].relationship, "equal-to");
	assert_int_equal(l->items[0].support, AIMS_SUPPORT_PARTIAL);
	aims_path_list_free(l);

	/* backwards: relationships read in the direction of travel, strongest first; a stored
	 * "1.1 subset-of X.1" read backwards is "X.1 superset-of 1.1", but only partial support
	 * (issue 17: an AI scope does not make an ISMS scope), while a reversed equal-to stays full */
	assert_aims_ok(aims_map_paths(&l, s, "mini-c", "C1", "mini-a", NULL));
	assert_int_equal(l->count, 2);
	assert_string_equal(l->items[0].hops[1].to_id, "1.1");
	assert_string_equal(l->items[0].hops[1].relationship, "superset-of");
	assert_int_equal(l->items[0].hops[1].reversed, 1);
	assert_int_equal(l->items[0].hops[0].reversed, 1);
	assert_string_equal(l->items[0].hops[0].role, "deployer");
	assert_null(l->items[0].hops[1].role);
	assert_int_equal(l->items[0].support, AIMS_SUPPORT_PARTIAL);
	assert_string_equal(l->items[1].hops[1].to_id, "A.1");
	assert_int_equal(l->items[1].support, AIMS_SUPPORT_PARTIAL);
	aims_path_list_free(l);
	assert_aims_ok(aims_map_paths(&l, s, "mini-c", "C1", "mini-b", "X.1"));
	assert_int_equal(l->count, 1);
	assert_string_equal(l->items[0].hops[0].relationship, "equal-to");
	assert_int_equal(l->items[0].hops[0].reversed, 1);
	assert_int_equal(l->items[0].support, AIMS_SUPPORT_FULL);
	aims_path_list_free(l);
	/* forwards, the subset-of row is partial support as it always was, and not reversed */
	assert_aims_ok(aims_map_paths(&l, s, "mini-a", "1.1", "mini-b", "X.1"));
	assert_int_equal(l->items[0].hops[0].reversed, 0);
	assert_int_equal(l->items[0].support, AIMS_SUPPORT_PARTIAL);
	aims_path_list_free(l);

	/* a no-relationship row is not a path */
	assert_aims_ok(aims_map_paths(&l, s, "mini-b", "X.2", "mini-a", NULL));
	assert_int_equal(l->count, 0);
	aims_path_list_free(l);
	assert_aims_ok(aims_map_paths(&l, s, "mini-a", "1", "mini-c", NULL));
	assert_int_equal(l->count, 0);
	aims_path_list_free(l);

	/* both directions stored: the same requirements are one path */
	const char *cb = "{\"aims_crosswalk\": 1, \"from\": \"mini-c\", \"to\": \"mini-b\", \"title\": \"C to B\", "
			 "\"source\": \"t\", \"licence\": \"l\", \"method\": \"m\", \"targets\": [], \"mappings\": ["
			 "{\"source\": \"C1\", \"target\": \"X.1\", \"relationship\": \"intersects-with\", "
			 "\"rationale\": \"semantic\", \"confidence\": \"low\", \"explanation\": \"weaker\"}]}";
	store_crosswalk(s, cb, "cb.json");
	assert_aims_ok(aims_map_paths(&l, s, "mini-b", "X.1", "mini-c", "C1"));
	assert_int_equal(l->count, 1);
	assert_string_equal(l->items[0].hops[0].relationship, "equal-to");
	aims_path_list_free(l);

	assert_aims_error(aims_map_paths(&l, s, "mini-x", "1", "mini-b", NULL), AIMS_ENOTFOUND, "'mini-x'");
	assert_aims_error(aims_map_paths(&l, s, "mini-a", "9", "mini-b", NULL), AIMS_ENOTFOUND,
			  "no requirement '9' in 'mini-a'");
	assert_aims_error(aims_map_paths(&l, s, "mini-a", "1", "mini-b", "X.9"), AIMS_ENOTFOUND, "'X.9'");
	assert_aims_error(aims_map_paths(&l, s, "mini-a", "1", "mini-y", NULL), AIMS_ENOTFOUND, "'mini-y'");
	assert_aims_error(aims_map_paths(&l, s, "mini-a", "1", "mini-a", NULL), AIMS_EINVALID, "same framework");
	assert_null(l);
	aims_store_free(s);
}

static void test_builtin_paths(void **state)
{
	(void)state;
	aims_store *s = new_store("builtin-cw.db");
	aims_catalog_load_result res = AIMS_CATALOG_LOAD_RESULT_INIT;
	aims_path_list *l = NULL;
	aims_crosswalk_list *list = NULL;

	assert_aims_ok(aims_catalog_load_all_ex(s, NULL, &res));
	assert_int_equal(res.frameworks, 4);
	assert_int_equal(res.crosswalks, 4);
	assert_aims_ok(aims_crosswalk_list_read(&list, s));
	assert_int_equal(list->count, 4);
	/* issue 17: the direct 27001 -> Art. 15(5) rows, and the 27001 -> 42001 review (123 - 1 + 14) */
	assert_string_equal(list->items[0].from, "iso27001-2022");
	assert_string_equal(list->items[0].to, "eu-ai-act-2024");
	assert_int_equal(list->row_counts[0], 12);
	assert_string_equal(list->items[1].from, "iso27001-2022");
	assert_string_equal(list->items[1].to, "iso42001-2023");
	assert_int_equal(list->row_counts[1], 136);
	assert_string_equal(list->items[2].to, "eu-ai-act-2024");
	assert_int_equal(list->row_counts[2], 123);
	aims_crosswalk_list_free(list);

	/* issue 17: the AI scope does not give full support to the ISMS scope */
	assert_aims_ok(aims_map_paths(&l, s, "iso42001-2023", "4.3", "iso27001-2022", NULL));
	assert_true(l->count >= 1);
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].support == AIMS_SUPPORT_FULL && l->items[i].hops[0].reversed &&
		    strcmp(aims_relationship_inverse(l->items[i].hops[0].relationship), "subset-of") == 0)
			fail_msg("a reversed subset-of row gives full support");
	assert_string_equal(l->items[0].hops[0].to_id, "4.3");
	assert_int_equal(l->items[0].support, AIMS_SUPPORT_PARTIAL);
	aims_path_list_free(l);
	/* a direct route from an ISMS control to the Act's cybersecurity requirement */
	assert_aims_ok(aims_map_paths(&l, s, "iso27001-2022", "A.8.28", "eu-ai-act-2024", "Article 15"));
	assert_true(l->count >= 1);
	assert_int_equal(l->items[0].nhops, 1);
	assert_string_equal(l->items[0].hops[0].role, "provider");
	aims_path_list_free(l);

	/* security logging -> AI event logs -> the Act's record-keeping */
	assert_aims_ok(aims_map_paths(&l, s, "iso27001-2022", "A.8.15", "eu-ai-act-2024", "Article 12"));
	assert_true(l->count >= 1);
	int via = 0;
	for (size_t i = 0; i < l->count; i++) {
		assert_int_equal(l->items[i].nhops, 2);
		if (strcmp(l->items[i].hops[0].to_framework, "iso42001-2023") == 0 &&
		    strcmp(l->items[i].hops[0].to_id, "A.6.2.8") == 0)
			via = 1;
	}
	assert_true(via);
	aims_path_list_free(l);

	/* and back, against the stored direction */
	assert_aims_ok(aims_map_paths(&l, s, "eu-ai-act-2024", "Article 12", "iso27001-2022", "A.8.15"));
	assert_true(l->count >= 1);
	assert_string_equal(l->items[0].hops[0].from_id, "Article 12");
	assert_string_equal(l->items[0].hops[1].to_id, "A.8.15");
	aims_path_list_free(l);

	/* one-hop paths come before two-hop ones */
	assert_aims_ok(aims_map_paths(&l, s, "nist-ai-rmf-1.0", "GOVERN 1.2", "iso42001-2023", NULL));
	assert_true(l->count >= 1);
	for (size_t i = 0; i < l->count; i++)
		assert_int_equal(l->items[i].nhops, 1);
	aims_path_list_free(l);
	assert_aims_ok(aims_map_paths(&l, s, "iso27001-2022", "A.5.1", "eu-ai-act-2024", NULL));
	for (size_t i = 1; i < l->count; i++) {
		const aims_path *a = &l->items[i - 1], *b = &l->items[i];
		assert_true(a->nhops < b->nhops || (a->nhops == b->nhops && a->support >= b->support));
	}
	aims_path_list_free(l);
	aims_store_free(s);
}

static char *builtin_copy(const char *want, size_t *len)
{
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *data;
		assert_aims_ok(aims_catalog_builtin(i, &name, &data, len));
		const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		if (strcmp(base, want) == 0) {
			char *copy = malloc(*len + 1);
			assert_non_null(copy);
			memcpy(copy, data, *len);
			copy[*len] = '\0';
			return copy;
		}
	}
	fail_msg("no built-in file '%s'", want);
	return NULL;
}

static void test_load_all_crosswalks_after_catalogs(void **state)
{
	(void)state;
	aims_store *s = new_store("load-cw.db");
	aims_catalog_load_result res = AIMS_CATALOG_LOAD_RESULT_INIT;
	char dir[PATH_MAX], p[PATH_MAX + 64], before[65], after[65];
	size_t n = 0;

	snprintf(dir, sizeof(dir), "%s", test_path("cwcats"));
	mkdir(dir, 0700);
	/* "a-..." sorts before the catalogs: crosswalks still load after them */
	snprintf(p, sizeof(p), "%s/a-ab.json", dir);
	test_write_file(p, CW_AB);
	snprintf(p, sizeof(p), "%s/mini-a.json", dir);
	test_write_file(p, CAT_A);
	snprintf(p, sizeof(p), "%s/mini-b.json", dir);
	test_write_file(p, CAT_B);
	assert_aims_ok(aims_catalog_load_all_ex(s, dir, &res));
	assert_int_equal(res.frameworks, 2);
	assert_int_equal(res.crosswalks, 1);
	assert_aims_ok(aims_catalog_load_all(s, dir, &n));
	assert_int_equal(n, 2);

	/* a crosswalk whose framework is not there: bad input, nothing stored */
	snprintf(p, sizeof(p), "%s/z-bc.json", dir);
	test_write_file(p, CW_BC);
	assert_aims_ok(aims_store_content_digest(before, s));
	assert_aims_error(aims_catalog_load_all(s, dir, &n), AIMS_EINVALID,
			  "z-bc.json' line 1: to: framework 'mini-c' is not in the store");
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);

	/* with mini-c it loads; a bad id then aborts everything */
	snprintf(p, sizeof(p), "%s/mini-c.json", dir);
	test_write_file(p, CAT_C);
	assert_aims_ok(aims_catalog_load_all_ex(s, dir, &res));
	assert_int_equal(res.frameworks, 3);
	assert_int_equal(res.crosswalks, 2);
	char *bad = mutate("\"source\": \"A.1\"", "\"source\": \"A.7\"");
	snprintf(p, sizeof(p), "%s/a-ab.json", dir);
	test_write_file(p, bad);
	free(bad);
	assert_aims_ok(aims_store_content_digest(before, s));
	assert_aims_error(aims_catalog_load_all(s, dir, &n), AIMS_EINVALID,
			  "a-ab.json' line 14: mappings[1].source: 'A.7' is not a requirement of 'mini-a'");
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);

	aims_catalog_load_result old = { 99, 0, 0 };
	assert_aims_error(aims_catalog_load_all_ex(s, dir, &old), AIMS_EUSAGE, "version");
	aims_store_free(s);
}

/* the deepest 42001 clauses (4.1 ... 10.2) and every Annex A control */
static int is_covered_requirement(const aims_catalog *cat, const aims_requirement *r)
{
	if (strcmp(r->kind, "control") == 0)
		return 1;
	if (strcmp(r->kind, "clause") != 0)
		return 0;
	for (size_t k = 0; k < aims_catalog_count(cat); k++)
		if (aims__strcmp0(aims_catalog_at(cat, k)->parent, r->id) == 0)
			return 0;
	return 1;
}

static void test_iso27001_to_42001_covers_every_requirement(void **state)
{
	(void)state;
	size_t clen = 0, wlen = 0, clauses = 0, controls = 0;
	char *ctext = builtin_copy("iso42001-2023.json", &clen);
	char *wtext = builtin_copy("crosswalk-iso27001-2022_iso42001-2023.json", &wlen);
	aims_catalog *cat = NULL;
	aims_crosswalk *cw = NULL;

	assert_aims_ok(aims_catalog_parse(&cat, ctext, clen, "iso42001-2023.json"));
	assert_aims_ok(aims_crosswalk_parse(&cw, wtext, wlen, "crosswalk-iso27001-2022_iso42001-2023.json"));
	assert_string_equal(aims_crosswalk_info_get(cw)->from, "iso27001-2022");
	assert_string_equal(aims_crosswalk_info_get(cw)->to, "iso42001-2023");
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if (!is_covered_requirement(cat, r))
			continue;
		if (strcmp(r->kind, "control") == 0)
			controls++;
		else
			clauses++;
		size_t rows = 0;
		for (size_t m = 0; m < aims_crosswalk_count(cw); m++)
			if (strcmp(aims_crosswalk_at(cw, m)->target, r->id) == 0)
				rows++;
		if (rows == 0)
			fail_msg("ISO/IEC 42001 %s (%s) has no row in the 27001 -> 42001 crosswalk", r->id, r->title);
	}
	assert_int_equal(controls, 38);
	assert_true(clauses >= 30);
	assert_non_null(aims_catalog_find(cat, "4.1"));
	assert_true(is_covered_requirement(cat, aims_catalog_find(cat, "4.1")));
	assert_true(is_covered_requirement(cat, aims_catalog_find(cat, "10.2")));
	assert_false(is_covered_requirement(cat, aims_catalog_find(cat, "9.2")));
	/* every row is complete */
	for (size_t m = 0; m < aims_crosswalk_count(cw); m++) {
		const aims_mapping *mp = aims_crosswalk_at(cw, m);
		assert_non_null(mp->target);
		assert_non_null(mp->relationship);
		assert_non_null(mp->rationale);
		assert_non_null(mp->confidence);
		assert_non_null(mp->explanation);
		assert_true(aims_relationship_support(mp->relationship) >= 0);
		if (aims_relationship_support(mp->relationship) == AIMS_SUPPORT_NONE)
			assert_null(mp->source);
		else
			assert_non_null(mp->source);
		assert_non_null(aims_catalog_find(cat, mp->target));
	}
	aims_crosswalk_free(cw);
	aims_catalog_free(cat);
	free(ctext);
	free(wtext);
}

/* the row source -> target of a crosswalk, or NULL */
static const aims_mapping *row_of(const aims_crosswalk *cw, const char *source, const char *target)
{
	for (size_t m = 0; m < aims_crosswalk_count(cw); m++) {
		const aims_mapping *mp = aims_crosswalk_at(cw, m);
		if (aims__strcmp0(mp->source, source) == 0 && strcmp(mp->target, target) == 0)
			return mp;
	}
	return NULL;
}

static aims_crosswalk *builtin_crosswalk(const char *file, char **text)
{
	size_t len = 0;
	aims_crosswalk *cw = NULL;
	*text = builtin_copy(file, &len);
	assert_aims_ok(aims_crosswalk_parse(&cw, *text, len, file));
	return cw;
}

/* issue 17: every row change of the review of the 27001 -> 42001 crosswalk (rows cited as #n) */
static void test_issue17_iso27001_rows(void **state)
{
	(void)state;
	char *text = NULL;
	aims_crosswalk *cw = builtin_crosswalk("crosswalk-iso27001-2022_iso42001-2023.json", &text);
	static const struct {
		size_t n;
		const char *source, *target, *relationship;
	} changed[] = {
		/* 14 clause rows: intersects-with, not subset-of */
		{ 0, "4.1", "4.1", "intersects-with" }, { 2, "4.2", "4.2", "intersects-with" },
		{ 3, "4.3", "4.3", "intersects-with" }, { 4, "4.4", "4.4", "intersects-with" },
		{ 7, "5.2", "5.2", "intersects-with" }, { 9, "5.3", "5.3", "intersects-with" },
		{ 11, "6.1.1", "6.1.1", "intersects-with" }, { 12, "6.1.2", "6.1.2", "intersects-with" },
		{ 13, "6.1.3", "6.1.3", "intersects-with" }, { 16, "6.2", "6.2", "intersects-with" },
		{ 28, "8.1", "8.1", "intersects-with" }, { 30, "8.2", "8.2", "intersects-with" },
		{ 31, "8.3", "8.3", "intersects-with" }, { 44, "5.2", "A.2.2", "intersects-with" },
		/* equivalent-to rows whose adds text is real AI work */
		{ 5, "5.1", "5.1", "intersects-with" }, { 19, "7.2", "7.2", "intersects-with" },
		{ 21, "7.3", "7.3", "intersects-with" }, { 24, "7.5.1", "7.5.1", "intersects-with" },
		{ 33, "9.1", "9.1", "intersects-with" },
		/* reviewed and kept, with the reason in the row */
		{ 18, "7.1", "7.1", "equivalent-to" }, { 23, "7.4", "7.4", "equivalent-to" },
		/* no review of an AI policy that does not exist */
		{ 46, "A.5.1", "A.2.4", "intersects-with" },
		/* 8.2 -> 8.4 replaced in place */
		{ 32, "A.5.34", "8.4", "intersects-with" },
	};
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		const aims_mapping *mp = aims_crosswalk_at(cw, changed[i].n);
		assert_non_null(mp);
		if (aims__strcmp0(mp->source, changed[i].source) != 0 || strcmp(mp->target, changed[i].target) != 0 ||
		    strcmp(mp->relationship, changed[i].relationship) != 0)
			fail_msg("#%zu: %s %s %s, expected %s %s %s", changed[i].n, mp->source, mp->relationship,
				 mp->target, changed[i].source, changed[i].relationship, changed[i].target);
		if (!strstr(mp->explanation, "issue 17"))
			fail_msg("#%zu: the explanation does not answer the review", changed[i].n);
	}
	assert_null(row_of(cw, "8.2", "8.4"));
	static const char *const added[][2] = {
		{ "A.5.23", "A.10.2" }, { "A.5.23", "A.10.3" }, { "A.8.30", "A.10.2" }, { "A.8.30", "A.10.3" },
		{ "A.5.37", "A.6.2.6" }, { "A.8.32", "A.6.2.6" }, { "A.5.7", "6.1.2" }, { "A.5.34", "8.4" },
		{ "A.8.10", "A.7.2" }, { "A.8.33", "A.7.2" }, { "A.5.3", "A.3.2" }, { "A.8.16", "A.9.4" },
		{ "A.8.9", "A.7.5" }, { "A.8.13", "A.7.5" },
	};
	for (size_t i = 0; i < sizeof(added) / sizeof(added[0]); i++) {
		const aims_mapping *mp = row_of(cw, added[i][0], added[i][1]);
		if (!mp)
			fail_msg("no row %s -> %s", added[i][0], added[i][1]);
		assert_string_equal(mp->relationship, "intersects-with");
	}
	/* no subset-of or superset-of row is left to be read backwards as full support */
	for (size_t m = 0; m < aims_crosswalk_count(cw); m++) {
		const char *rel = aims_crosswalk_at(cw, m)->relationship;
		assert_string_not_equal(rel, "subset-of");
		assert_string_not_equal(rel, "superset-of");
	}
	assert_int_equal(aims_crosswalk_count(cw), 136);
	aims_crosswalk_free(cw);
	free(text);

	/* 27001 clause 7.4 in 2022 terms: how, not by whom */
	size_t len = 0;
	aims_catalog *cat = NULL;
	text = builtin_copy("iso27001-2022.json", &len);
	assert_aims_ok(aims_catalog_parse(&cat, text, len, "iso27001-2022.json"));
	const char *summary = aims_catalog_find(cat, "7.4")->summary;
	assert_non_null(strstr(summary, "how"));
	assert_null(strstr(summary, "by whom"));
	aims_catalog_free(cat);
	free(text);
}

/* issue 17: the 42001 -> EU AI Act rows the review asked for, roles on every row, and the direct
 * 27001 -> Art. 15(5) rows */
static void test_issue17_eu_ai_act_rows(void **state)
{
	(void)state;
	char *text = NULL;
	aims_crosswalk *cw = builtin_crosswalk("crosswalk-iso42001-2023_eu-ai-act-2024.json", &text);
	static const char *const articles[] = {
		"Article 16", "Article 20", "Article 25", "Article 43", "Article 47", "Article 48", "Article 49",
		"Article 53", "Article 55", "Article 86", "Annex IV",
	};
	for (size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++) {
		size_t rows = 0;
		for (size_t m = 0; m < aims_crosswalk_count(cw); m++)
			rows += strcmp(aims_crosswalk_at(cw, m)->target, articles[i]) == 0;
		if (rows == 0)
			fail_msg("no row to %s", articles[i]);
		assert_non_null(aims_crosswalk_adds(cw, articles[i]));
	}
	static const char *const wanted[][2] = {
		{ "A.10.2", "Article 25" }, { "A.10.3", "Article 25" }, { "10.2", "Article 20" }, { "A.8.4", "Article 20" },
		{ "A.4.4", "Annex IV" }, { "A.4.5", "Annex IV" }, { "A.6.2.4", "Annex IV" }, { "A.7.2", "Annex IV" },
		{ "A.7.3", "Annex IV" }, { "A.7.4", "Annex IV" }, { "A.7.5", "Annex IV" }, { "A.7.6", "Annex IV" },
		/* Art. 17(1)(h), (i), (j), (l) */
		{ "A.6.2.6", "Article 17" }, { "9.1", "Article 17" }, { "A.8.4", "Article 17" }, { "A.8.5", "Article 17" },
		{ "A.10.3", "Article 17" }, { "7.1", "Article 17" },
	};
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (!row_of(cw, wanted[i][0], wanted[i][1]))
			fail_msg("no row %s -> %s", wanted[i][0], wanted[i][1]);
	/* every row names whom it binds, as the article does */
	for (size_t m = 0; m < aims_crosswalk_count(cw); m++) {
		const aims_mapping *mp = aims_crosswalk_at(cw, m);
		assert_non_null(mp->role);
		if (strcmp(mp->target, "Article 26") == 0 || strcmp(mp->target, "Article 27") == 0 ||
		    strcmp(mp->target, "Article 86") == 0)
			assert_string_equal(mp->role, "deployer");
		if (strcmp(mp->target, "Article 9") == 0 || strcmp(mp->target, "Article 17") == 0 ||
		    strcmp(mp->target, "Annex IV") == 0)
			assert_string_equal(mp->role, "provider");
	}
	/* the CE marking has no AIMS counterpart: said with a no-relationship row */
	assert_string_equal(row_of(cw, NULL, "Article 48")->relationship, "no-relationship");
	/* at most 7 of the 70 assessed 42001 requirements have no route to the Act (there were 30) */
	size_t clen = 0, without = 0;
	char *ctext = builtin_copy("iso42001-2023.json", &clen);
	aims_catalog *cat = NULL;
	assert_aims_ok(aims_catalog_parse(&cat, ctext, clen, "iso42001-2023.json"));
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if (!is_covered_requirement(cat, r))
			continue;
		size_t rows = 0;
		for (size_t m = 0; m < aims_crosswalk_count(cw); m++)
			rows += aims__strcmp0(aims_crosswalk_at(cw, m)->source, r->id) == 0;
		without += rows == 0;
	}
	assert_true(without <= 7);
	aims_catalog_free(cat);
	free(ctext);
	aims_crosswalk_free(cw);
	free(text);

	cw = builtin_crosswalk("crosswalk-iso27001-2022_eu-ai-act-2024.json", &text);
	static const char *const art15[] = { "A.8.8", "A.8.24", "A.8.28", "A.8.29" };
	for (size_t i = 0; i < sizeof(art15) / sizeof(art15[0]); i++) {
		const aims_mapping *mp = row_of(cw, art15[i], "Article 15");
		if (!mp)
			fail_msg("no row %s -> Article 15", art15[i]);
		assert_string_equal(mp->role, "provider");
		assert_string_equal(mp->relationship, "intersects-with");
		assert_non_null(strstr(mp->explanation, "15(5)") ? mp->explanation : aims_crosswalk_adds(cw, "Article 15"));
	}
	/* the EU text is quoted with attribution, in the adds text of Article 15 */
	assert_non_null(strstr(aims_crosswalk_adds(cw, "Article 15"), "(data poisoning)"));
	assert_non_null(strstr(aims_crosswalk_adds(cw, "Article 15"), "European Union"));
	aims_crosswalk_free(cw);
	free(text);
}

/* ISO 42001 requirements that an ISMS cannot fully meet: nothing in 27001 is about AI impacts,
 * AI life-cycle verification, data for AI or the use of AI systems */
static void test_ai_specific_requirements_never_fully_supported(void **state)
{
	(void)state;
	static const char *const ai_specific[] = {
		"6.1.4", "8.4", "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.2.4",
		"A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6", "A.9.2", "A.9.3", "A.9.4",
	};
	size_t wlen = 0;
	char *wtext = builtin_copy("crosswalk-iso27001-2022_iso42001-2023.json", &wlen);
	aims_crosswalk *cw = NULL;

	assert_aims_ok(aims_crosswalk_parse(&cw, wtext, wlen, "crosswalk-iso27001-2022_iso42001-2023.json"));
	for (size_t i = 0; i < sizeof(ai_specific) / sizeof(ai_specific[0]); i++) {
		size_t rows = 0;
		for (size_t m = 0; m < aims_crosswalk_count(cw); m++) {
			const aims_mapping *mp = aims_crosswalk_at(cw, m);
			if (strcmp(mp->target, ai_specific[i]) != 0)
				continue;
			rows++;
			if (aims_relationship_support(mp->relationship) == AIMS_SUPPORT_FULL)
				fail_msg("27001 %s %s 42001 %s: an AI-specific requirement must not get full support",
					 mp->source, mp->relationship, mp->target);
		}
		if (rows == 0)
			fail_msg("42001 %s has no row", ai_specific[i]);
	}
	aims_crosswalk_free(cw);
	free(wtext);
}

static void test_parse_survives_allocation_failures(void **state)
{
	(void)state;
	for (unsigned long n = 1; n < 5000; n++) {
		aims_crosswalk *cw = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_crosswalk_parse(&cw, CW_AB, strlen(CW_AB), "ab.json");
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(aims_crosswalk_count(cw), 3);
			aims_crosswalk_free(cw);
			return;
		}
		assert_null(cw);
		/* jansson reports its own allocation failures as parse errors */
		assert_true(rc == AIMS_ENOMEM || rc == AIMS_EINVALID);
	}
	fail_msg("parse never succeeded");
}

static void test_store_read_paths_survive_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom-cw.db");
	aims_crosswalk *ab = NULL, *bc = NULL;

	store_catalog(s, CAT_A);
	store_catalog(s, CAT_B);
	store_catalog(s, CAT_C);
	assert_aims_ok(aims_crosswalk_parse(&ab, CW_AB, strlen(CW_AB), "ab.json"));
	assert_aims_ok(aims_crosswalk_parse(&bc, CW_BC, strlen(CW_BC), "bc.json"));
	for (unsigned long n = 1; n < 20000; n++) {
		aims_crosswalk *back = NULL, *inv = NULL;
		aims_crosswalk_list *list = NULL;
		aims_path_list *paths = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_crosswalk_store(s, ab, CW_AB, strlen(CW_AB));
		if (rc == 0)
			rc = aims_crosswalk_store(s, bc, NULL, 0);
		if (rc == 0)
			rc = aims_crosswalk_read(&back, s, "mini-a", "mini-b");
		if (rc == 0)
			rc = aims_crosswalk_read(&inv, s, "mini-b", "mini-a");
		if (rc == 0)
			rc = aims_crosswalk_list_read(&list, s);
		if (rc == 0)
			rc = aims_map_paths(&paths, s, "mini-c", "C1", "mini-a", NULL);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(aims_crosswalk_count(back), 3);
			assert_int_equal(aims_crosswalk_count(inv), 2);
			assert_int_equal(list->count, 2);
			assert_int_equal(paths->count, 2);
			aims_crosswalk_free(back);
			aims_crosswalk_free(inv);
			aims_crosswalk_list_free(list);
			aims_path_list_free(paths);
			aims_crosswalk_free(ab);
			aims_crosswalk_free(bc);
			aims_store_free(s);
			return;
		}
		assert_true(rc < 0);
		aims_crosswalk_free(back);
		aims_crosswalk_free(inv);
		aims_crosswalk_list_free(list);
		assert_null(paths);
	}
	fail_msg("store, read and paths never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relationships),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_refuses_bad_files),
		cmocka_unit_test(test_store_checks_ids),
		cmocka_unit_test(test_read_and_invert),
		cmocka_unit_test(test_paths_mini),
		cmocka_unit_test(test_builtin_paths),
		cmocka_unit_test(test_load_all_crosswalks_after_catalogs),
		cmocka_unit_test(test_iso27001_to_42001_covers_every_requirement),
		cmocka_unit_test(test_ai_specific_requirements_never_fully_supported),
		cmocka_unit_test(test_issue17_iso27001_rows),
		cmocka_unit_test(test_issue17_eu_ai_act_rows),
		cmocka_unit_test(test_parse_survives_allocation_failures),
		cmocka_unit_test(test_store_read_paths_survive_allocation_failures),
	};
	return cmocka_run_group_tests_name("crosswalk", tests, NULL, NULL);
}
