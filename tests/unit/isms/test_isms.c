/*
 * Unit tests of the ISMS state import: a good file becomes a new version
 * and reads back field by field; each kind of bad file is refused with the
 * file, line and field in the message, and leaves the store untouched, both
 * in content (aims_store_content_digest) and byte for byte on disk (the
 * database file and its write-ahead log); imports survive allocation
 * failures without leaving half a version behind.
 */
#include "helpers.h"
#include "aims/isms.h"
#include "core/core.h"
#include "isms/isms_internal.h"

#define HEADER "control,applicable,status,justification,owner,evidence\n"

static const char *GOOD =
	HEADER
	"A.5.1,yes,implemented,,CISO,\"ISMS-POL-001; Confluence:ISMS/Policies ;\"\n"
	"A.7.1,no,,\"Fully remote, no \"\"offices\"\"\",,\n"
	"9.2.1,yes,partial,,Internal Audit,Audit-Plan-2026\n"
	"A.8.30,No,not-implemented,No outsourced development,,\n";

static aims_store *new_store(const char *name, int with_catalogs)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	if (with_catalogs)
		assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	return s;
}

/* SHA-256 of a file's bytes as hex, or "absent" */
static void file_digest(char out[65], const char *path)
{
	char *data = NULL;
	size_t len = 0;
	unsigned char md[32];
	if (aims_file_read(&data, &len, path, 0) < 0) {
		snprintf(out, 65, "absent");
		aims_error_clear();
		return;
	}
	assert_aims_ok(aims__sha256_oneshot(md, data, len));
	aims__hex(out, md, 32);
	aims__free(data);
}

/* what must not change: the content digest, and on SQLite the database file and its WAL (on
 * PostgreSQL there are no files of ours: both read "absent") */
typedef struct {
	char content[65], db[65], wal[65];
} snapshot;

static void take(snapshot *s, aims_store *store, const char *name)
{
	char wal[PATH_MAX + 80];
	assert_aims_ok(aims_store_content_digest(s->content, store));
	file_digest(s->db, test_path(name));
	snprintf(wal, sizeof(wal), "%s-wal", test_path(name));
	file_digest(s->wal, wal);
}

static void same(const snapshot *a, const snapshot *b, const char *what)
{
	if (strcmp(a->content, b->content) != 0)
		fail_msg("%s: the store content changed", what);
	if (strcmp(a->db, b->db) != 0)
		fail_msg("%s: the database file changed", what);
	if (strcmp(a->wal, b->wal) != 0)
		fail_msg("%s: the write-ahead log changed", what);
}

static void test_status_names(void **state)
{
	(void)state;
	for (int s = AIMS_STATUS_UNKNOWN; s <= AIMS_STATUS_IMPLEMENTED; s++)
		assert_int_equal(aims_impl_status_parse(aims_impl_status_name((aims_impl_status)s)), s);
	assert_string_equal(aims_impl_status_name(AIMS_STATUS_NOT_IMPLEMENTED), "not-implemented");
	assert_int_equal(aims_impl_status_parse("Not Implemented"), AIMS_STATUS_NOT_IMPLEMENTED);
	assert_int_equal(aims_impl_status_parse("PARTIAL"), AIMS_STATUS_PARTIAL);
	assert_int_equal(aims_impl_status_parse("done"), -1);
	assert_int_equal(aims_impl_status_parse(""), -1);
	assert_int_equal(aims_impl_status_parse(NULL), -1);
	assert_string_equal(aims_impl_status_name((aims_impl_status)42), "unknown");
}

static void test_import_and_read_back(void **state)
{
	(void)state;
	aims_store *s = new_store("good.db", 1);
	aims_isms *isms = NULL;
	int64_t v = -1;
	unsigned char md[32];
	char hex[65];

	assert_aims_ok(aims_isms_import_mem(s, GOOD, strlen(GOOD), "soa.csv", &v));
	assert_int_equal(v, 1);
	assert_aims_ok(aims_isms_read(&isms, s, 0));
	const aims_isms_info *info = aims_isms_info_get(isms);
	assert_int_equal(info->version, 1);
	assert_string_equal(info->framework, "iso27001-2022");
	assert_string_equal(info->source, "soa.csv");
	assert_int_equal(info->rows, 4);
	assert_non_null(info->imported_at);
	assert_int_equal(strlen(info->imported_at), 20);
	assert_aims_ok(aims__sha256_oneshot(md, GOOD, strlen(GOOD)));
	aims__hex(hex, md, 32);
	assert_string_equal(info->digest, hex);

	assert_int_equal(aims_isms_count(isms), 4);
	const aims_isms_control *r = aims_isms_at(isms, 0);
	assert_string_equal(r->control, "A.5.1");
	assert_int_equal(r->applicable, 1);
	assert_int_equal(r->status, AIMS_STATUS_IMPLEMENTED);
	assert_null(r->justification);
	assert_string_equal(r->owner, "CISO");
	assert_int_equal(r->nevidence, 2);
	assert_string_equal(r->evidence[0], "ISMS-POL-001");
	assert_string_equal(r->evidence[1], "Confluence:ISMS/Policies");
	assert_int_equal(r->line, 2);

	r = aims_isms_find(isms, "A.7.1");
	assert_non_null(r);
	assert_int_equal(r->applicable, 0);
	assert_int_equal(r->status, AIMS_STATUS_NOT_IMPLEMENTED);
	assert_string_equal(r->justification, "Fully remote, no \"offices\"");
	assert_null(r->owner);
	assert_int_equal(r->nevidence, 0);
	assert_int_equal(r->line, 3);

	r = aims_isms_find(isms, "9.2.1");
	assert_non_null(r);
	assert_int_equal(r->status, AIMS_STATUS_PARTIAL);
	assert_string_equal(r->owner, "Internal Audit");
	assert_int_equal(r->nevidence, 1);
	assert_int_equal(r->line, 4);
	assert_int_equal(aims_isms_find(isms, "A.8.30")->applicable, 0);
	assert_null(aims_isms_find(isms, "A.5.2"));
	assert_null(aims_isms_find(isms, NULL));
	assert_null(aims_isms_at(isms, 4));
	aims_isms_free(isms);
	aims_store_free(s);
}

static void test_versions_increment(void **state)
{
	(void)state;
	aims_store *s = new_store("versions.db", 1);
	const char *second = HEADER "A.5.2,yes,planned,,HR Lead,\n";
	aims_isms *isms = NULL;
	aims_isms_info *list = NULL;
	size_t n = 9;
	int64_t v = 0;

	assert_aims_ok(aims_isms_versions(&list, &n, s));
	assert_int_equal(n, 0);
	aims_isms_versions_free(list, n);
	assert_aims_error(aims_isms_read(&isms, s, 0), AIMS_ENOTFOUND, "no ISMS state");
	assert_null(isms);

	assert_aims_ok(aims_isms_import_mem(s, GOOD, strlen(GOOD), "first.csv", &v));
	assert_int_equal(v, 1);
	assert_aims_ok(aims_isms_import_mem(s, second, strlen(second), "second.csv", &v));
	assert_int_equal(v, 2);
	assert_aims_ok(aims_isms_import_mem(s, GOOD, strlen(GOOD), "third.csv", NULL));

	assert_aims_ok(aims_isms_versions(&list, &n, s));
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(list[i].version, (int64_t)i + 1);
	assert_string_equal(list[0].source, "first.csv");
	assert_string_equal(list[1].source, "second.csv");
	assert_int_equal(list[0].rows, 4);
	assert_int_equal(list[1].rows, 1);
	assert_string_equal(list[0].digest, list[2].digest);
	assert_string_not_equal(list[0].digest, list[1].digest);
	aims_isms_versions_free(list, n);

	/* the latest is version 3; the earlier ones stay as they were */
	assert_aims_ok(aims_isms_read(&isms, s, 0));
	assert_int_equal(aims_isms_info_get(isms)->version, 3);
	aims_isms_free(isms);
	assert_aims_ok(aims_isms_read(&isms, s, 2));
	assert_int_equal(aims_isms_count(isms), 1);
	assert_int_equal(aims_isms_at(isms, 0)->status, AIMS_STATUS_PLANNED);
	assert_null(aims_isms_find(isms, "A.5.1"));
	aims_isms_free(isms);
	assert_aims_ok(aims_isms_read(&isms, s, 1));
	assert_int_equal(aims_isms_count(isms), 4);
	assert_string_equal(aims_isms_info_get(isms)->source, "first.csv");
	assert_int_equal(aims_isms_find(isms, "A.5.1")->nevidence, 2);
	aims_isms_free(isms);

	assert_aims_error(aims_isms_read(&isms, s, 4), AIMS_ENOTFOUND, "no ISMS version 4");
	assert_aims_error(aims_isms_read(&isms, s, -1), AIMS_ENOTFOUND, "no ISMS version -1");
	assert_null(isms);
	aims_store_free(s);
}

static void test_accepted_spellings(void **state)
{
	(void)state;
	aims_store *s = new_store("spellings.db", 1);
	aims_isms *isms = NULL;
	/* BOM, CRLF, columns in another order and case, spaces around names and values */
	const char *csv =
		"\xEF\xBB\xBF Evidence ,OWNER,Control,  Applicable,STATUS,Justification\r\n"
		" a ; ; b;,  Head of IT Ops ,A.5.15,TRUE,Not Implemented,\r\n"
		",,A.5.16,Y,PARTIAL,\r\n"
		"\r\n"
		",,A.5.17,1,planned,\r\n"
		",,A.5.18,n,,\"multi\nline\"\r\n"
		",,A.5.19,False,not-implemented,why not\r\n"
		",,A.5.20,0,,because\r\n"
		",,A.5.21,yes,Implemented,";

	assert_aims_ok(aims_isms_import_mem(s, csv, strlen(csv), "odd.csv", NULL));
	assert_aims_ok(aims_isms_read(&isms, s, 0));
	assert_int_equal(aims_isms_count(isms), 7);
	const aims_isms_control *r = aims_isms_find(isms, "A.5.15");
	assert_int_equal(r->applicable, 1);
	assert_int_equal(r->status, AIMS_STATUS_NOT_IMPLEMENTED);
	assert_string_equal(r->owner, "Head of IT Ops");
	assert_int_equal(r->nevidence, 2);
	assert_string_equal(r->evidence[0], "a");
	assert_string_equal(r->evidence[1], "b");
	assert_int_equal(aims_isms_find(isms, "A.5.16")->status, AIMS_STATUS_PARTIAL);
	assert_int_equal(aims_isms_find(isms, "A.5.17")->line, 5);
	r = aims_isms_find(isms, "A.5.18");
	assert_int_equal(r->applicable, 0);
	assert_string_equal(r->justification, "multi\nline");
	assert_int_equal(aims_isms_find(isms, "A.5.19")->line, 8);
	assert_int_equal(aims_isms_find(isms, "A.5.20")->applicable, 0);
	assert_int_equal(aims_isms_find(isms, "A.5.21")->status, AIMS_STATUS_IMPLEMENTED);
	aims_isms_free(isms);
	aims_store_free(s);
}

/* each refusal: the message, and a store unchanged in content and on disk */
static void test_refusals_leave_store_untouched(void **state)
{
	(void)state;
	static const struct {
		const char *csv, *needle;
	} cases[] = {
		{ HEADER "A.5.1,yes,implemented,,,\n5.15,yes,implemented,,,\n",
		  "'soa.csv' line 3: control: unknown control '5.15' (Annex A controls are written 'A.5.15')" },
		{ HEADER "a.5.2,yes,implemented,,,\n", "line 2: control: unknown control 'a.5.2' (Annex A controls are written 'A.5.2')" },
		{ HEADER "A.5.99,yes,implemented,,,\n", "'soa.csv' line 2: control: unknown control 'A.5.99' in iso27001-2022" },
		{ HEADER ",yes,implemented,,,\n", "line 2: control: empty" },
		{ HEADER "9.2,yes,implemented,,,\n", "line 2: control: '9.2' is a clause with sub-clauses; write a row for each of 9.2.1, 9.2.2" },
		{ HEADER "A.5,yes,implemented,,,\n", "line 2: control: 'A.5' is a group, not a control or a clause" },
		{ HEADER "A.5.1,yes,implemented,,,\n"
			 "A.5.2,yes,implemented,\"two\nlines\",,\n"
			 "A.5.3,yes,done,,,\n",
		  "'soa.csv' line 5: status: 'done' is not one of implemented, partial, planned, not-implemented" },
		{ HEADER "A.5.1,yes,,,,\n", "line 2: status: empty; an applicable control needs one of" },
		{ HEADER "A.5.1,no,implemented,out of scope,,\n", "line 2: status: 'implemented' for a control that is not applicable" },
		{ HEADER "A.5.1,maybe,implemented,,,\n", "'soa.csv' line 2: applicable: 'maybe' is not one of yes, no" },
		{ HEADER "9.2.1,no,,we do not audit,,\n", "line 2: applicable: clause 9.2.1 cannot be excluded" },
		{ HEADER "A.5.1,yes,implemented,,,\nA.5.2,yes,planned,,,\nA.5.1,yes,partial,,,\n",
		  "'soa.csv' line 4: control: 'A.5.1' already has a row on line 2" },
		{ "control,applicable,status,justification,evidence\nA.5.1,yes,implemented,,\n",
		  "'soa.csv' line 1: missing column 'owner'" },
		{ "control,applicable,status,justification,ownr,evidence\nA.5.1,yes,implemented,,,\n",
		  "'soa.csv' line 1: unknown column 'ownr' (the columns are control, applicable, status, justification, owner, evidence)" },
		{ "control,applicable,status,justification,owner,evidence,Status\nA.5.1,yes,implemented,,,,\n",
		  "'soa.csv' line 1: column 'status' appears twice (fields 3 and 7)" },
		{ "control,applicable,status,,justification,owner,evidence\nA.5.1,yes,implemented,,,,\n",
		  "'soa.csv' line 1: field 4: empty column name" },
		{ HEADER "A.7.1,no,,,Facilities,\n",
		  "'soa.csv' line 2: justification: empty, but control 'A.7.1' is excluded (applicable 'no'); ISO/IEC 27001 6.1.3 d)" },
		{ HEADER "A.7.1,no,,   ,Facilities,\n", "line 2: justification: empty" },
		{ HEADER "A.5.1,yes,implemented,,,\nA.5.2,yes,implemented,,\n",
		  "'soa.csv' line 3: 5 fields, but the header has 6" },
		{ HEADER "A.5.1,yes,implemented,,,,\n", "'soa.csv' line 2: 7 fields, but the header has 6" },
		{ "", "'soa.csv' line 1: empty file" },
		{ "\n\n", "'soa.csv' line 1: empty file" },
		{ HEADER, "'soa.csv' line 2: no rows after the header" },
		{ HEADER "A.5.1,yes,implemented,\"never closed,,\n", "'soa.csv' line 2: quoted field never closed" },
		{ HEADER "A.5.1,yes,implemented,,\xC3\x28,\n", "'soa.csv' line 2: owner: not valid UTF-8" },
		{ HEADER "A.5.1,yes,implemented,,Bob\x01,\n", "'soa.csv' line 2: owner: contains a control character" },
		{ HEADER "A.5.1,yes,implemented,,\"Bob\nSmith\",\n", "'soa.csv' line 2: owner: contains a control character" },
	};
	aims_store *s = new_store("refuse.db", 1);
	snapshot before, after;
	int64_t v = 7;

	/* refusals against an empty ISMS history and against an existing version */
	for (int round = 0; round < 2; round++) {
		if (round == 1)
			assert_aims_ok(aims_isms_import_mem(s, GOOD, strlen(GOOD), "good.csv", NULL));
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			take(&before, s, "refuse.db");
			int rc = aims_isms_import_mem(s, cases[i].csv, strlen(cases[i].csv), "soa.csv", &v);
			if (rc != AIMS_EINVALID)
				fail_msg("case %zu: expected a refusal, got %d: %s", i, rc, aims_error_last());
			if (!strstr(aims_error_last(), cases[i].needle))
				fail_msg("case %zu: message '%s' lacks '%s'", i, aims_error_last(), cases[i].needle);
			assert_int_equal(v, 0);
			take(&after, s, "refuse.db");
			same(&before, &after, cases[i].needle);
		}
	}
	aims_isms_info *list = NULL;
	size_t n = 0;
	assert_aims_ok(aims_isms_versions(&list, &n, s));
	assert_int_equal(n, 1);
	aims_isms_versions_free(list, n);
	aims_store_free(s);
}

/* the same checks through the store-free parser, with a NUL in a field */
static void test_parse_without_store(void **state)
{
	(void)state;
	aims_catalog *cat = NULL;
	aims_isms *isms = NULL;
	for (size_t i = 0; i < aims_catalog_builtin_count(); i++) {
		const char *name, *data;
		size_t len;
		assert_aims_ok(aims_catalog_builtin(i, &name, &data, &len));
		if (strstr(name, "iso27001-2022") && strncmp(name, "crosswalk", 9) != 0)
			assert_aims_ok(aims_catalog_parse(&cat, data, len, name));
	}
	assert_non_null(cat);
	assert_aims_ok(aims__isms_parse(&isms, GOOD, strlen(GOOD), "soa.csv", cat));
	assert_int_equal(aims_isms_count(isms), 4);
	assert_int_equal(aims_isms_info_get(isms)->version, 0);
	assert_null(aims_isms_info_get(isms)->imported_at);
	assert_string_equal(aims_isms_find(isms, "9.2.1")->owner, "Internal Audit");
	aims_isms_free(isms);

	static const char nul[] = HEADER "A.5.1,yes,implemented,,Bo\0b,\n";
	isms = (aims_isms *)&isms;
	assert_aims_error(aims__isms_parse(&isms, nul, sizeof(nul) - 1, "nul.csv", cat), AIMS_EINVALID,
			  "'nul.csv' line 2: owner: contains a NUL byte");
	assert_null(isms);
	assert_aims_error(aims__isms_parse(&isms, NULL, 0, "null.csv", cat), AIMS_EINVALID, "empty file");
	aims_catalog_free(cat);
}

static void test_needs_catalog_and_file(void **state)
{
	(void)state;
	aims_store *s = new_store("nocat.db", 0);
	snapshot before, after;
	take(&before, s, "nocat.db");
	assert_aims_error(aims_isms_import_mem(s, GOOD, strlen(GOOD), "soa.csv", NULL), AIMS_ENOTFOUND,
			  "'soa.csv': the iso27001-2022 catalog is not in the store (run 'aims init')");
	take(&after, s, "nocat.db");
	same(&before, &after, "no catalog");
	aims_store_free(s);

	s = new_store("file.db", 1);
	assert_aims_error(aims_isms_import(s, test_path("no-such.csv"), NULL), AIMS_ENOTFOUND, "no-such.csv");
	test_write_file(test_path("soa.csv"), GOOD);
	int64_t v = 0;
	assert_aims_ok(aims_isms_import(s, test_path("soa.csv"), &v));
	assert_int_equal(v, 1);
	aims_isms *isms = NULL;
	assert_aims_ok(aims_isms_read(&isms, s, 1));
	assert_string_equal(aims_isms_info_get(isms)->source, test_path("soa.csv"));
	aims_isms_free(isms);
	test_write_file(test_path("bad.csv"), HEADER "A.5.1,yes,done,,,\n");
	assert_aims_error(aims_isms_import(s, test_path("bad.csv"), NULL), AIMS_EINVALID, "bad.csv' line 2: status:");
	aims_store_free(s);
}

static void test_import_survives_allocation_failures(void **state)
{
	(void)state;
	aims_store *s = new_store("oom.db", 1);
	for (unsigned long n = 1; n < 20000; n++) {
		aims_isms *isms = NULL;
		aims_isms_info *list = NULL;
		size_t count = 0;
		int64_t v = 0;
		aims__alloc_fail_after(n);
		int rc = aims_isms_import_mem(s, GOOD, strlen(GOOD), "soa.csv", &v);
		if (rc == 0 && (rc = aims_isms_read(&isms, s, v)) < 0)
			assert_null(isms);
		if (rc == 0 && (rc = aims_isms_versions(&list, &count, s)) < 0)
			assert_null(list);
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(aims_isms_count(isms), 4);
			assert_int_equal(aims_isms_find(isms, "A.5.1")->nevidence, 2);
			assert_int_equal(count, 1);
			assert_int_equal(list[0].version, v);
			aims_isms_versions_free(list, count);
			aims_isms_free(isms);
			aims_store_free(s);
			return;
		}
		if (rc != AIMS_ENOMEM)
			fail_msg("failing allocation %lu: %d: %s", n, rc, aims_error_last());
		aims_isms_free(isms);
		/* an import that failed stored nothing; one that succeeded before a failed read is undone */
		assert_aims_ok(aims_isms_versions(&list, &count, s));
		for (size_t i = 0; i < count; i++)
			assert_int_equal(list[i].rows, 4);
		if (count) {
			/* start over on a clean store so the next round imports version 1 again */
			aims_isms_versions_free(list, count);
			aims_store_free(s);
			s = new_store("oom.db", 1);
			continue;
		}
		aims_isms_versions_free(list, count);
	}
	fail_msg("import never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_import_and_read_back),
		cmocka_unit_test(test_versions_increment),
		cmocka_unit_test(test_accepted_spellings),
		cmocka_unit_test(test_refusals_leave_store_untouched),
		cmocka_unit_test(test_parse_without_store),
		cmocka_unit_test(test_needs_catalog_and_file),
		cmocka_unit_test(test_import_survives_allocation_failures),
	};
	return cmocka_run_group_tests_name("isms", tests, NULL, NULL);
}
