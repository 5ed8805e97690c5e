/*
 * Unit tests of the gap analysis, the 42001 SoA and their reports: the
 * coverage rule on constructed ISMS states (everything implemented, nothing
 * implemented, the worked example of docs/gap-analysis.md), exclusions, and
 * the HTML and CSV output.
 */
#include "helpers.h"
#include "core/core.h"

#include <math.h>

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
	/* internal audit is a process the AIMS operates: the ISMS alone makes it partial, with its evidence */
	const aims_gap_item *audit = aims_gap_find(gap, "9.2.1");
	assert_non_null(audit);
	assert_int_equal(audit->status, AIMS_GAP_PARTIAL);
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
	assert_int_equal(it->status, AIMS_GAP_PARTIAL); /* an operated process: the ISMS alone is partial */
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

static const aims_gap_item *item(const aims_gap *gap, const char *id)
{
	const aims_gap_item *it = aims_gap_find(gap, id);
	if (!it)
		fail_msg("no gap item %s", id);
	return it;
}

#define assert_close(a, b) do { \
	double a_ = (a), b_ = (b); \
	if (fabs(a_ - b_) > 1e-9) \
		fail_msg("%s = %.12f, expected %.12f", #a, a_, b_); \
} while (0)

/*
 * The readiness rule on a small case computed by hand (docs/gap-analysis.md,
 * "Readiness"): 9.2.1 and A.8.15 implemented, A.5.33 partial, nothing else.
 * The crosswalk rows they reach: 9.2.1 equivalent-to 9.2.1 (high); A.8.15
 * intersects-with A.6.2.8 (high) and A.7.5 (medium); A.5.33 intersects-with
 * 7.5.3 (medium), A.5.3 (low) and A.7.5 (medium).
 */
static void test_readiness_hand_computed(void **state)
{
	(void)state;
	const char *rows =
		"9.2.1,yes,implemented,,Audit,AUDIT-PLAN-2026\n"
		"A.8.15,yes,implemented,,SOC,SIEM-Runbook\n"
		"A.5.33,yes,partial,,IT,\n";
	aims_store *s = store_with_isms("hand.db", NULL, rows);
	aims_gap *gap = NULL;
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	const aims_gap_summary *sum = aims_gap_summary_get(gap);

	/* central weights: equivalent-to 0.9, intersects-with 0.4; high 1, medium 0.85, low 0.6; partial 0.5 */
	assert_close(item(gap, "9.2.1")->credit, 0.45);             /* 0.9 x 1 x 1, halved: operated in aims */
	assert_string_equal(item(gap, "9.2.1")->credited_by, "9.2.1");
	assert_close(item(gap, "A.6.2.8")->credit, 0.4);            /* 0.4 x 1 x 1 */
	assert_close(item(gap, "A.7.5")->credit, 0.34);             /* max(0.4 x 0.85 x 1, 0.4 x 0.85 x 0.5) */
	assert_string_equal(item(gap, "A.7.5")->credited_by, "A.8.15");
	assert_close(item(gap, "7.5.3")->credit, 0.17);             /* 0.4 x 0.85 x 0.5 */
	assert_close(item(gap, "A.5.3")->credit, 0.12);             /* 0.4 x 0.6 x 0.5 */
	assert_close(item(gap, "A.5.4")->credit, 0.0);
	assert_null(item(gap, "A.5.4")->credited_by);
	/* (0.45 + 0.4 + 0.34 + 0.17 + 0.12) / 70 */
	assert_close(sum->readiness, 1.48 / 70.0);
	/* pessimistic: equivalent-to 0.8, intersects-with 0.25, medium 0.75, low 0.4, partial 0.35:
	 * 0.8 x 0.35 + 0.25 + 0.1875 + 0.065625 + 0.035 */
	assert_close(sum->readiness_low, 0.818125 / 70.0);
	/* optimistic: equivalent-to 1, intersects-with 0.55, medium 0.95, low 0.8, partial 0.65:
	 * 1 x 0.65 + 0.55 + 0.5225 + 0.339625 + 0.286 */
	assert_close(sum->readiness_high, 2.348125 / 70.0);
	/* clauses 4-10 (32): 9.2.1 and 7.5.3; Annex A (38): A.6.2.8, A.7.5, A.5.3 */
	assert_int_equal(sum->clauses.requirements, 32);
	assert_int_equal(sum->annex_a.requirements, 38);
	assert_close(sum->clauses.readiness, 0.62 / 32.0);
	assert_close(sum->annex_a.readiness, 0.86 / 38.0);
	assert_int_equal(sum->clauses.covered, 0);
	assert_int_equal(sum->clauses.partial, 2);
	assert_int_equal(sum->annex_a.partial, 3);
	assert_int_equal(sum->clauses.gap + sum->annex_a.gap, 65);
	/* the reuse ratio keeps its meaning: any support, however weak (5 of 70) */
	assert_close(sum->reuse_ratio, 5.0 / 70.0);
	/* the public weights agree with the rows' credits */
	assert_close(aims_gap_row_credit(AIMS_GAP_WEIGHTS_CENTRAL, "intersects-with", "low", AIMS_STATUS_PARTIAL), 0.12);
	assert_close(aims_gap_row_credit(AIMS_GAP_WEIGHTS_HIGH, "equivalent-to", "high", AIMS_STATUS_IMPLEMENTED), 1.0);
	assert_close(aims_gap_row_credit(AIMS_GAP_WEIGHTS_CENTRAL, "subset-of", "high", AIMS_STATUS_PLANNED), 0.0);
	assert_true(aims_gap_row_credit(AIMS_GAP_WEIGHTS_CENTRAL, "related-to", "high", AIMS_STATUS_IMPLEMENTED) < 0);
	assert_true(aims_gap_row_credit(AIMS_GAP_WEIGHTS_CENTRAL, "equal-to", "sure", AIMS_STATUS_IMPLEMENTED) < 0);
	assert_close(aims_gap_aims_credit(AIMS_GAP_WEIGHTS_CENTRAL), 0.5);
	aims_gap_free(gap);

	/* excluding A.5.3 in the 42001 SoA takes it out of the mean */
	aims_soa_update upd = AIMS_SOA_UPDATE_INIT;
	upd.applicable = 0;
	upd.justification = "no AI roles beyond those of the ISMS";
	assert_aims_ok(aims_soa_set(s, "A.5.3", &upd));
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	sum = aims_gap_summary_get(gap);
	assert_close(sum->readiness, 1.36 / 69.0);
	assert_close(sum->annex_a.readiness, 0.74 / 37.0);
	assert_int_equal(sum->annex_a.excluded, 1);
	aims_gap_free(gap);
	aims_store_free(s);
}

static int has_ref(const aims_gap_item *it, const char *ref)
{
	for (size_t i = 0; i < it->naims_evidence; i++)
		if (strcmp(it->aims_evidence[i], ref) == 0)
			return 1;
	return 0;
}

static const char *IA =
	"intended_use: support loan officers\n"
	"affected_groups:\n  - group: applicants\n"
	"benefits: [faster decisions]\n"
	"harms:\n  - harm: unfair refusal\n    level: individual\n    affected: applicants\n"
	"    severity: high\n    reversibility: partially-reversible\n"
	"misuse: []\nmitigations: [officer review]\nhuman_oversight: an officer confirms refusals\n";

/* evidence kept in aims (docs/gap-analysis.md, "Evidence kept in aims"): each source, its requirements */
static void test_aims_evidence(void **state)
{
	(void)state;
	aims_store *s = store_with_isms("aims-ev.db", "planned", NULL);
	aims_gap *gap = NULL;
	test_act_as(s, "alice", AIMS_ROLES_ALL);

	/* nothing recorded yet: no AIMS evidence anywhere */
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	for (size_t i = 0; i < aims_gap_count(gap); i++)
		assert_int_equal(aims_gap_at(gap, i)->naims_evidence, 0);
	assert_close(aims_gap_summary_get(gap)->readiness, 0.0);
	aims_gap_free(gap);

	/* an approved AI policy counts for what it links to; a draft does not */
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	no.template_name = "ai-policy";
	no.id = "ai-policy";
	no.owner = "CISO";
	assert_aims_ok(aims_doc_create(NULL, s, &no));
	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	assert_int_equal(item(gap, "5.2")->status, AIMS_GAP_GAP);
	aims_gap_free(gap);
	test_account(s, "board", AIMS_ROLE_RISK_OWNER, NULL);
	test_act_as(s, "board", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_doc_approve(NULL, s, "ai-policy", NULL));
	test_act_as(s, "alice", AIMS_ROLES_ALL);

	/* an AI system with its intended use, its risks (one treated), an approved impact assessment,
	 * an evaluation and an EU AI Act classification */
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	f.purpose = "credit scoring";
	f.intended_use = "support loan officers";
	assert_aims_ok(aims_system_add(s, "credit", &f));
	size_t added = 0;
	test_account(s, "bob", AIMS_ROLE_RISK_OWNER, NULL);
	assert_aims_ok(aims_risk_library_add(&added, s, "credit", NULL, "bob"));
	assert_true(added > 0);
	aims_risks *risks = NULL;
	assert_aims_ok(aims_risk_list(&risks, s, "credit"));
	aims_risk_treat_opts t = AIMS_RISK_TREAT_INIT;
	const char *controls[] = { "A.7.4" }, *actions[] = { "rebalance the training data" };
	t.option = "modify";
	t.controls = controls;
	t.actions = actions;
	t.nactions = 1;
	assert_aims_ok(aims_risk_treat(s, risks->items[0]->id, &t));
	char *ia = NULL;
	assert_aims_ok(aims_assess_impact(&ia, s, "credit", IA, strlen(IA), "ia.yaml"));
	test_act_as(s, "bob", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_assess_approve(s, ia));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	char *ev = NULL;
	assert_aims_ok(aims_eval_record(&ev, s, "credit", "drift",
				       "[{\"name\":\"d.csv\",\"sha256\":\"sha256:4d034efcda5c376b0eaabb08c9c06fd2ee9186b3a204d25720ae2b1f5b031de0\","
				       "\"rows\":952}]", "{}", "{\"kind\":\"drift\",\"columns_tested\":7}"));
	const char *ans = "role: both\nprohibited_practice: none\nannex_i_safety_component: false\n"
			  "annex_iii_area: none\nart6_3_exemption: none\nprofiling: false\n"
			  "interacts_with_natural_persons: false\ngenerates_synthetic_content: false\n"
			  "emotion_recognition_or_biometric_categorisation: false\ndeep_fake: false\ngpai: false\n"
			  "systemic_risk: false\npublic_body_or_public_service: false\n";
	aims_aiact_answers a;
	assert_aims_ok(aims_aiact_answers_parse(&a, ans, strlen(ans), "a.yaml"));
	assert_aims_ok(aims_aiact_store(NULL, s, "credit", &a));

	assert_aims_ok(aims_gap_compute(&gap, s, 0));
	static const char *const policy[] = { "5.2", "A.2.2", "A.2.3", "A.2.4" };
	for (size_t i = 0; i < 4; i++) {
		const aims_gap_item *it = item(gap, policy[i]);
		assert_true(has_ref(it, "doc:ai-policy@v1"));
		assert_int_equal(it->status, AIMS_GAP_PARTIAL);   /* never covered by a record */
		assert_close(it->credit, 0.5);
		assert_string_equal(it->credited_by, "aims");
		assert_int_equal(it->nsupported > 0 && it->supported_by[0].contribution == AIMS_GAP_GAP, 1);
	}
	/* the register's counts, as the evidence rule reads them */
	aims_risk_counts counts;
	assert_aims_ok(aims_risk_count(&counts, s, NULL));
	assert_int_equal(counts.risks, risks->count);
	assert_int_equal(counts.treated, 1);
	assert_aims_ok(aims_risk_count(&counts, s, "nobody"));
	assert_int_equal(counts.risks, 0);
	char risks_ref[64], treated_ref[64], ia_ref[64], ev_ref[64];
	snprintf(risks_ref, sizeof(risks_ref), "risk-register:%zu risks", risks->count);
	snprintf(treated_ref, sizeof(treated_ref), "risk-register:1 treated");
	snprintf(ia_ref, sizeof(ia_ref), "assessment:%s", ia);
	snprintf(ev_ref, sizeof(ev_ref), "eval:%s", ev);
	assert_true(has_ref(item(gap, "6.1.2"), risks_ref));
	assert_true(has_ref(item(gap, "8.2"), risks_ref));
	assert_true(has_ref(item(gap, "6.1.3"), treated_ref));
	assert_true(has_ref(item(gap, "8.3"), treated_ref));
	static const char *const assessed[] = { "6.1.4", "8.4", "A.5.2", "A.5.3", "A.5.4", "A.5.5" };
	for (size_t i = 0; i < 6; i++)
		assert_true(has_ref(item(gap, assessed[i]), ia_ref));
	/* drift results are recorded against A.6.2.6 and A.7.4 (aims_eval_controls) */
	assert_true(has_ref(item(gap, "A.6.2.6"), ev_ref));
	assert_true(has_ref(item(gap, "A.7.4"), ev_ref));
	assert_true(has_ref(item(gap, "A.9.4"), "system:credit"));
	assert_true(has_ref(item(gap, "4.1"), "aiact:credit@v1"));
	/* AIMS evidence is listed with the reusable evidence too, never as 27001 support */
	const aims_gap_item *it = item(gap, "8.4");
	int listed = 0;
	for (size_t e = 0; e < it->nevidence; e++)
		listed |= strcmp(it->evidence[e], ia_ref) == 0;
	assert_true(listed);
	/* 4 policy links + 2 + 2 + 6 + 2 (A.6.2.6, A.7.4) + A.9.4 + 4.1 = 18 requirements at 0.5 */
	assert_close(aims_gap_summary_get(gap)->readiness, 18 * 0.5 / 70.0);
	assert_close(aims_gap_summary_get(gap)->readiness_low, 18 * 0.35 / 70.0);
	assert_close(aims_gap_summary_get(gap)->readiness_high, 18 * 0.65 / 70.0);
	aims_gap_free(gap);
	aims_risks_free(risks);
	aims__free(ia);
	free(ev);
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
		cmocka_unit_test(test_readiness_hand_computed),
		cmocka_unit_test(test_aims_evidence),
		cmocka_unit_test(test_without_isms),
		cmocka_unit_test(test_soa_exclusion_and_reports),
		cmocka_unit_test(test_html_escape_and_csv_field),
	};
	return cmocka_run_group_tests_name("gap", tests, NULL, NULL);
}
