/*
 * Unit tests of the gap analysis, the 42001 SoA and their reports: the
 * coverage rule on constructed ISMS states (everything implemented, nothing
 * implemented, the worked example of docs/gap-analysis.md), exclusions, and
 * the HTML and CSV output.
 */
#include "helpers.h"
#include "core/core.h"

static aims_store *store_with_isms(const char *name, const char *status_all, const char *extra_rows)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_catalog *iso = NULL;
	aims_buf csv = AIMS_BUF_INIT;

	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	if (!status_all && !extra_rows)
		return s;
	assert_aims_ok(aims_catalog_read(&iso, s, "iso27001-2022"));
	assert_aims_ok(aims_buf_puts(&csv, "control,applicable,status,justification,owner,evidence\n"));
	if (extra_rows)
		assert_aims_ok(aims_buf_puts(&csv, extra_rows));
	for (size_t i = 0; status_all && i < aims_catalog_count(iso); i++) {
		const aims_requirement *r = aims_catalog_at(iso, i);
		int leaf_clause = strcmp(r->kind, "clause") == 0;
		for (size_t k = 0; leaf_clause && k < aims_catalog_count(iso); k++) {
			const char *p = aims_catalog_at(iso, k)->parent;
			if (p && strcmp(p, r->id) == 0)
				leaf_clause = 0;
		}
		if (strcmp(r->kind, "control") != 0 && !leaf_clause)
			continue;
		if (extra_rows && strstr(extra_rows, r->id) == extra_rows)
			continue;
		assert_aims_ok(aims_buf_printf(&csv, "%s,yes,%s,,CISO,EV-%s\n", r->id, status_all, r->id));
	}
	int64_t v = 0;
	assert_aims_ok(aims_isms_import_mem(s, csv.ptr, csv.len, "isms.csv", &v));
	assert_int_equal(v, 1);
	aims_buf_release(&csv);
	aims_catalog_free(iso);
	return s;
}

static const char *const ai_specific[] = {
	"6.1.4", "8.4", "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.2.4", "A.7.2", "A.7.3",
	"A.7.4", "A.7.5", "A.7.6", "A.9.2", "A.9.3", "A.9.4",
};

static void test_everything_implemented(void **state)
{
	(void)state;
	aims_store *s = store_with_isms("all.db", "implemented", NULL);
	aims_gap *gap = NULL;
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	const aims_gap_summary *sum = aims_gap_summary_get(gap);
	assert_int_equal(sum->requirements, 70);
	assert_int_equal(aims_gap_count(gap), 70);
	assert_int_equal(sum->covered + sum->partial + sum->gap + sum->excluded, 70);
	for (size_t i = 0; i < sizeof(ai_specific) / sizeof(ai_specific[0]); i++) {
		const aims_gap_item *it = aims_gap_find(gap, ai_specific[i]);
		if (!it)
			fail_msg("no gap item for %s", ai_specific[i]);
		if (it->status == AIMS_GAP_COVERED)
			fail_msg("%s is covered by ISO 27001 alone", ai_specific[i]);
		assert_non_null(it->to_add);
	}
	/* a harmonized management-system clause is covered, with its evidence */
	const aims_gap_item *audit = aims_gap_find(gap, "9.2.1");
	assert_non_null(audit);
	assert_int_equal(audit->status, AIMS_GAP_COVERED);
	int found = 0;
	for (size_t e = 0; e < audit->nevidence; e++)
		found |= strcmp(audit->evidence[e], "EV-9.2.1") == 0;
	assert_true(found);
	/* A.5.5 has only a no-relationship row: a gap whatever the ISMS does */
	assert_int_equal(aims_gap_find(gap, "A.5.5")->status, AIMS_GAP_GAP);
	assert_true(sum->reuse_ratio > 0.5 && sum->reuse_ratio < 1.0);
	/* groups: 7 clauses and 9 Annex A groups, adding up */
	size_t total = 0;
	for (size_t i = 0; i < aims_gap_group_count(gap); i++)
		total += aims_gap_group_at(gap, i)->requirements;
	assert_int_equal(aims_gap_group_count(gap), 16);
	assert_int_equal(total, 70);
	aims_gap_free(gap);
	aims_store_free(s);
}

static void test_nothing_implemented(void **state)
{
	(void)state;
	static const char *const statuses[] = { "not-implemented", "planned" };
	for (size_t k = 0; k < 2; k++) {
		aims_store *s = store_with_isms("none.db", statuses[k], NULL);
		aims_gap *gap = NULL;
		assert_aims_ok(aims_gap_compute(&gap, s, 0));
		const aims_gap_summary *sum = aims_gap_summary_get(gap);
		assert_int_equal(sum->covered, 0);
		assert_int_equal(sum->partial, 0);
		assert_int_equal(sum->gap, 70);
		assert_true(sum->reuse_ratio == 0.0);
		for (size_t i = 0; i < aims_gap_count(gap); i++)
			assert_int_equal(aims_gap_at(gap, i)->nevidence, 0);
		aims_gap_free(gap);
		aims_store_free(s);
	}
}

static void test_worked_example(void **state)
{
	(void)state;
	/* docs/gap-analysis.md, "Worked example" */
	const char *rows =
		"A.5.9,yes,implemented,,IT,ISMS-REG-003\n"
		"A.5.33,yes,partial,,IT,\n"
		"A.8.15,yes,implemented,,SOC,SIEM-Runbook\n"
		"A.8.17,yes,planned,,IT,\n"
		"9.2.1,yes,implemented,,Audit,AUDIT-PLAN-2026\n";
	aims_store *s = store_with_isms("example.db", NULL, rows);
	aims_gap *gap = NULL;
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	const aims_gap_item *it = aims_gap_find(gap, "9.2.1");
	assert_int_equal(it->status, AIMS_GAP_COVERED);
	assert_int_equal(it->nevidence, 1);
	assert_string_equal(it->evidence[0], "AUDIT-PLAN-2026");
	it = aims_gap_find(gap, "A.6.2.8");
	assert_int_equal(it->status, AIMS_GAP_PARTIAL);
	assert_int_equal(it->nevidence, 1);
	assert_string_equal(it->evidence[0], "SIEM-Runbook");
	for (size_t k = 0; k < it->nsupported; k++)
		if (strcmp(it->supported_by[k].control, "A.8.17") == 0) {
			assert_int_equal(it->supported_by[k].status, AIMS_STATUS_PLANNED);
			assert_int_equal(it->supported_by[k].contribution, AIMS_GAP_GAP);
		}
	it = aims_gap_find(gap, "A.7.5");
	assert_int_equal(it->status, AIMS_GAP_PARTIAL);
	assert_int_equal(it->nevidence, 2);
	/* a requirement with no implemented support is a gap */
	assert_int_equal(aims_gap_find(gap, "A.5.4")->status, AIMS_GAP_GAP);
	aims_gap_free(gap);
	aims_store_free(s);
}

static void test_without_isms(void **state)
{
	(void)state;
	aims_store *s = store_with_isms("empty.db", NULL, NULL);
	aims_gap *gap = NULL;
	assert_aims_error(aims_gap_compute(&gap, s, 0), AIMS_ENOTFOUND, "aims isms import");
	assert_null(gap);
	/* the SoA stands without an ISMS state */
	aims_soa *soa = NULL;
	assert_aims_ok(aims_soa_read(&soa, s));
	assert_int_equal(aims_soa_count(soa), 38);
	assert_null(aims_soa_gap(soa));
	assert_int_equal(aims_soa_at(soa, 0)->gap_status, -1);
	aims_soa_free(soa);
	aims_store_free(s);
}

static void test_soa_exclusion_and_reports(void **state)
{
	(void)state;
	aims_store *s = store_with_isms("soa.db", "implemented", NULL);
	aims_soa_update upd = AIMS_SOA_UPDATE_INIT;
	upd.applicable = 0;
	assert_aims_error(aims_soa_set(s, "A.10.4", &upd), AIMS_EINVALID, "needs a justification");
	upd.justification = "We offer no AI system to customers, \"internal\" use only";
	assert_aims_ok(aims_soa_set(s, "A.10.4", &upd));
	aims_soa_update upd2 = AIMS_SOA_UPDATE_INIT;
	upd2.status = AIMS_STATUS_PARTIAL;
	upd2.owner = "Head of Data";
	assert_aims_ok(aims_soa_set(s, "A.7.5", &upd2));
	assert_aims_error(aims_soa_set(s, "A.99", &upd2), AIMS_ENOTFOUND, "A.99");
	assert_aims_error(aims_soa_set(s, "6.1.4", &upd2), AIMS_ENOTFOUND, "not an ISO/IEC 42001 Annex A control");

	aims_gap *gap = NULL;
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	assert_int_equal(aims_gap_summary_get(gap)->excluded, 1);
	assert_int_equal(aims_gap_find(gap, "A.10.4")->applicable, 0);
	aims_gap_free(gap);

	aims_soa *soa = NULL;
	assert_aims_ok(aims_soa_read(&soa, s));
	int seen = 0;
	for (size_t i = 0; i < aims_soa_count(soa); i++) {
		const aims_soa_entry *e = aims_soa_at(soa, i);
		if (strcmp(e->control, "A.10.4") == 0) {
			assert_true(e->decided);
			assert_false(e->applicable);
			seen++;
		}
		if (strcmp(e->control, "A.7.5") == 0) {
			assert_true(e->decided);
			assert_true(e->applicable);
			assert_int_equal(e->status, AIMS_STATUS_PARTIAL);
			assert_string_equal(e->owner, "Head of Data");
			assert_int_equal(e->gap_status, AIMS_GAP_PARTIAL);
			assert_true(e->nevidence > 0);
			seen++;
		}
	}
	assert_int_equal(seen, 2);

	aims_buf out = AIMS_BUF_INIT;
	assert_aims_ok(aims_report_soa_csv(&out, soa));
	assert_non_null(strstr(out.ptr, "control,title,group,applicable,justification,status,owner,gap,evidence,risks\r\n"));
	assert_non_null(strstr(out.ptr, "\"We offer no AI system to customers, \"\"internal\"\" use only\""));
	aims_buf_clear(&out);
	assert_aims_ok(aims_report_soa_html(&out, s, soa));
	assert_true(strncmp(out.ptr, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(out.ptr, "<svg"));
	assert_non_null(strstr(out.ptr, "&quot;internal&quot;"));
	assert_null(strstr(out.ptr, "<script"));
	assert_null(strstr(out.ptr, "src=\"http"));
	assert_null(strstr(out.ptr, "href=\"http"));
	char digest[65];
	assert_aims_ok(aims_store_content_digest(digest, s));
	assert_non_null(strstr(out.ptr, digest));
	aims_soa_free(soa);

	aims_buf_clear(&out);
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	assert_aims_ok(aims_report_gap_html(&out, s, gap));
	assert_non_null(strstr(out.ptr, "ISO/IEC 42001 gap analysis"));
	assert_int_equal(strstr(strstr(out.ptr, "<svg") + 4, "<svg") != NULL, 1); /* two charts */
	assert_non_null(strstr(out.ptr, "A.7.5"));
	assert_non_null(strstr(out.ptr, digest));
	assert_non_null(strstr(out.ptr, "</html>"));
	aims_gap_free(gap);
	aims_buf_release(&out);
	aims_store_free(s);
}

static void test_html_escape_and_csv_field(void **state)
{
	(void)state;
	aims_buf b = AIMS_BUF_INIT;
	assert_aims_ok(aims_html_escape(&b, "<a href=\"x\">&'</a>"));
	assert_string_equal(b.ptr, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	aims_buf_clear(&b);
	assert_aims_ok(aims_csv_field(&b, "plain"));
	assert_aims_ok(aims_buf_putc(&b, '|'));
	assert_aims_ok(aims_csv_field(&b, "a,b"));
	assert_aims_ok(aims_buf_putc(&b, '|'));
	assert_aims_ok(aims_csv_field(&b, "say \"hi\"\nthere"));
	assert_string_equal(b.ptr, "plain|\"a,b\"|\"say \"\"hi\"\"\nthere\"");
	aims_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_everything_implemented),
		cmocka_unit_test(test_nothing_implemented),
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_without_isms),
		cmocka_unit_test(test_soa_exclusion_and_reports),
		cmocka_unit_test(test_html_escape_and_csv_field),
	};
	return cmocka_run_group_tests_name("gap", tests, NULL, NULL);
}
