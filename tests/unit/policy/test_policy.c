/*
 * Unit tests for policies as code (src/lib/policy/policy.c): parsing a full
 * policy, the canonical digest (the same content in YAML and JSON gives the
 * same digest), every kind of refusal naming file, line and key, storing
 * versions with ledger entries, overlap refusals, retirement, the policy
 * that applies to a system (by name, else by EU AI Act tier), a policy
 * edited in the store being noticed, and allocation failures.
 */
#include "helpers.h"

#include "core/core.h"
#include "store/store_internal.h"

static const char *POLICY =
	"# gates\n"                                           /* 1 */
	"policy: credit-models\n"                             /* 2 */
	"description: gates for credit models\n"              /* 3 */
	"applies_to:\n"                                       /* 4 */
	"  systems: [credit]\n"                               /* 5 */
	"stages:\n"                                           /* 6 */
	"  deployed:\n"                                       /* 7 */
	"    approvals:\n"                                    /* 8 */
	"      - role: risk-owner\n"                          /* 9 */
	"        count: 1\n"                                  /* 10 */
	"      - role: compliance-manager\n"                  /* 11 */
	"        count: 2\n"                                  /* 12 */
	"    impact_assessment: true\n"                       /* 13 */
	"    evaluations:\n"                                  /* 14 */
	"      - kind: fairness\n"                            /* 15 */
	"        max_age_days: 90\n"                          /* 16 */
	"        thresholds: [demographic_parity_ratio >= 0.8]\n" /* 17 */
	"      - kind: drift\n"                               /* 18 */
	"        max_age_days: 30\n"                          /* 19 */
	"        thresholds: ['psi < 0.2']\n"                 /* 20 */
	"    risks_within_tolerance: true\n"                  /* 21 */
	"    aiact_obligations: all\n"                        /* 22 */
	"  validation:\n"                                     /* 23 */
	"    aiact_obligations: [art14-human-oversight]\n"    /* 24 */
	"exceptions:\n"                                       /* 25 */
	"  approvals: [{role: risk-owner, count: 2}]\n"       /* 26 */
	"  max_days: 14\n"                                    /* 27 */
	"review:\n"                                           /* 28 */
	"  confidence_below: 0.6\n"                           /* 29 */
	"  output_field: decision\n"                          /* 30 */
	"  output_classes: [decline, refer]\n"                /* 31 */
	"  input:\n"                                          /* 32 */
	"    channel: [branch]\n"                             /* 33 */
	"  sample_rate: 0.05\n"                               /* 34 */
	"  seed: 42\n";                                       /* 35 */

static const char *POLICY_JSON =
	"{\"policy\": \"credit-models\", \"description\": \"gates for credit models\", "
	"\"applies_to\": {\"systems\": [\"credit\"]}, \"stages\": {\"validation\": {\"aiact_obligations\": "
	"[\"art14-human-oversight\"]}, \"deployed\": {\"approvals\": [{\"role\": \"risk-owner\", \"count\": 1}, "
	"{\"role\": \"compliance-manager\", \"count\": 2}], \"impact_assessment\": true, \"evaluations\": [{\"kind\": "
	"\"fairness\", \"max_age_days\": 90, \"thresholds\": [\"demographic_parity_ratio >= 0.8\"]}, {\"kind\": "
	"\"drift\", \"max_age_days\": 30, \"thresholds\": [\"psi<0.2\"]}], \"risks_within_tolerance\": true, "
	"\"aiact_obligations\": \"all\"}}, \"exceptions\": {\"approvals\": [{\"role\": \"risk-owner\", \"count\": 2}], "
	"\"max_days\": 14}, \"review\": {\"confidence_below\": 0.6, \"output_field\": \"decision\", "
	"\"output_classes\": [\"decline\", \"refer\"], \"input\": {\"channel\": [\"branch\"]}, \"sample_rate\": 0.05, "
	"\"seed\": 42}}";

static void test_parse(void **state)
{
	(void)state;
	aims_policy *p = NULL, *q = NULL;
	assert_aims_ok(aims_policy_parse(&p, POLICY, strlen(POLICY), "p.yaml"));
	assert_string_equal(p->name, "credit-models");
	assert_int_equal(p->nsystems, 1);
	assert_string_equal(p->systems[0], "credit");
	assert_int_equal(p->system_lines[0], 5);
	const aims_policy_stage *d = &p->stages[aims_policy_stage_index("deployed")];
	assert_true(d->present);
	assert_false(p->stages[aims_policy_stage_index("approved")].present);
	assert_int_equal(d->napprovals, 2);
	assert_int_equal(d->approvals[1].count, 2);
	assert_int_equal(d->approvals[1].bit, AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_true(d->impact_assessment && d->risks_within_tolerance && d->aiact_all);
	assert_int_equal(d->nevaluations, 2);
	assert_string_equal(d->evaluations[1].kind, "drift");
	assert_string_equal(d->evaluations[1].thresholds[0].op, "<");
	assert_true(d->evaluations[1].thresholds[0].value == 0.2);
	assert_string_equal(d->evaluations[1].thresholds[0].text, "psi < 0.2");
	assert_int_equal(p->stages[0].naiact_keys, 1);
	assert_true(p->has_exceptions);
	assert_int_equal(p->exception_max_days, 14);
	assert_true(p->review.present && p->review.has_confidence);
	assert_int_equal(p->review.sample_ppm, 50000);
	assert_int_equal(p->review.seed, 42);
	assert_int_equal(p->review.ninputs, 1);
	assert_string_equal(p->review.inputs[0].field, "channel");
	assert_true(strncmp(p->digest, "sha256:", 7) == 0);
	/* the same content as JSON (other order, other spacing of a threshold): the same canonical form */
	assert_aims_ok(aims_policy_parse(&q, POLICY_JSON, strlen(POLICY_JSON), "p.json"));
	assert_string_equal(p->canonical, q->canonical);
	assert_string_equal(p->digest, q->digest);
	json_t *j = aims_policy_json(p);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "stages"), "deployed"),
							       "aiact_obligations")), "all");
	json_decref(j);
	aims_policy_free(p);
	aims_policy_free(q);
}

/* replace the first `from` in POLICY by `to` and expect the parse to fail with `msg` */
static void refused(const char *from, const char *to, const char *msg)
{
	char buf[4096];
	const char *at = strstr(POLICY, from);
	aims_policy *p = NULL;
	if (!at)
		fail_msg("'%s' is not in the test policy", from);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - POLICY), POLICY, to, at + strlen(from));
	int rc = aims_policy_parse(&p, buf, strlen(buf), "p.yaml");
	if (rc != AIMS_EINVALID)
		fail_msg("'%s' -> '%s': expected a refusal, got %d (%s)", from, to, rc, aims_error_last());
	if (!strstr(aims_error_last(), msg))
		fail_msg("'%s' -> '%s': message '%s' does not contain '%s'", from, to, aims_error_last(), msg);
	assert_null(p);
}

static void test_refusals(void **state)
{
	(void)state;
	refused("policy: credit-models", "policy: Credit Models", "'p.yaml' line 2: policy: 'Credit Models' is not a policy name");
	refused("policy: credit-models\n", "", "'p.yaml' line 2: policy: missing answer");
	refused("# gates", "colour: blue", "'p.yaml' line 1: colour: unknown key");
	refused("  systems: [credit]", "  systems: []", "'p.yaml' line 4: applies_to: names no AI system and no tier");
	refused("  systems: [credit]", "  systems: [credit, credit]", "line 5: applies_to.systems[1]: 'credit' is listed twice");
	refused("  systems: [credit]", "  tiers: [high]", "line 5: applies_to.tiers[0]: 'high' is not an EU AI Act tier");
	refused("  deployed:", "  deploy:", "line 7: stages.deploy: unknown key (expected validation, approved, deployed, retired)");
	refused("role: risk-owner\n        count: 1", "role: boss\n        count: 1", "line 9: stages.deployed.approvals[0].role: 'boss' is not a role");
	refused("count: 2\n    impact", "count: 21\n    impact", "line 12: stages.deployed.approvals[1].count: '21' is not a whole number from 1 to 20");
	refused("compliance-manager\n        count: 2", "risk-owner\n        count: 2", "line 11: stages.deployed.approvals[1].role: role 'risk-owner' is listed twice");
	refused("impact_assessment: true", "impact_assessment: yes please", "line 13: stages.deployed.impact_assessment: wrong type: expected true or false");
	refused("kind: drift", "kind: speed", "line 18: stages.deployed.evaluations[1].kind: 'speed' is not one of fairness, performance, drift");
	refused("kind: drift", "kind: fairness", "line 18: stages.deployed.evaluations[1].kind: 'fairness' is listed twice");
	refused("max_age_days: 30", "max_age_days: 0", "line 19: stages.deployed.evaluations[1].max_age_days: '0' is not a whole number from 1 to 3650");
	refused("'psi < 0.2'", "'psi =< 0.2'", "line 20: stages.deployed.evaluations[1].thresholds[0]: 'psi =< 0.2': expected one of >=, >, <=, <, ==");
	refused("'psi < 0.2'", "'psi < high'", "line 20: stages.deployed.evaluations[1].thresholds[0]: 'psi < high': expected a number");
	refused("'psi < 0.2'", "'< 0.2'", "expected METRIC OP NUMBER");
	refused("aiact_obligations: all", "aiact_obligations: most", "line 22: stages.deployed.aiact_obligations: expected 'all'");
	refused("[art14-human-oversight]", "[art99-nothing]", "line 24: stages.validation.aiact_obligations[0]: 'art99-nothing' is not an EU AI Act obligation key");
	refused("  validation:\n    aiact_obligations: [art14-human-oversight]\n", "  validation: {}\n", "line 23: stages.validation: no conditions");
	refused("count: 2}]", "count: 1}]", "line 26: exceptions.approvals: an exception needs the approval of at least two accounts");
	refused("max_days: 14", "max_days: 400", "line 27: exceptions.max_days: '400' is not a whole number from 1 to 365");
	refused("confidence_below: 0.6", "confidence_below: 1.5", "line 29: review.confidence_below: '1.5' is not a number from 0 to 1");
	refused("confidence_below: 0.6", "confidence_below: 0", "review.confidence_below: must be above 0");
	refused("output_field: decision", "output_field: a..b", "line 30: review.output_field: expected a field name");
	refused("  output_classes: [decline, refer]\n", "", "review.output_field: needs output_classes");
	refused("    channel: [branch]", "    chan nel: [branch]", "line 33: review.input.chan nel: not a field name");
	refused("sample_rate: 0.05", "sample_rate: 0.0500001", "line 34: review.sample_rate: more than 6 decimal places");
	refused("  seed: 42\n", "", "review.seed: missing: a random sample needs a seed");
	refused("review:\n  confidence_below: 0.6\n  output_field: decision\n  output_classes: [decline, refer]\n"
		"  input:\n    channel: [branch]\n  sample_rate: 0.05\n  seed: 42\n", "review: {}\n",
		"review: no selection rule");
	refused("stages:", "stages: [a]\nx:", "unknown key");
	refused("applies_to:\n", "applies_to: all\nzz:\n", "unknown key");
	refused("# gates", "- a list", "");
	refused("description: gates for credit models", "description: [gates]", "line 3: description: wrong type: expected text");
}

static aims_store *new_store(const char *name)
{
	aims_store *s = NULL;
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	o.create = 1;
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "cm", AIMS_ROLE_COMPLIANCE_MANAGER);
	assert_aims_ok(aims_system_add(s, "credit", &f));
	assert_aims_ok(aims_system_add(s, "chatbot", &f));
	return s;
}

static void test_store(void **state)
{
	(void)state;
	aims_store *s = new_store("store.db");
	aims_policy *p = NULL;
	int changed = -1;
	assert_aims_ok(aims_policy_set(&p, &changed, s, POLICY, strlen(POLICY), "p.yaml"));
	assert_int_equal(changed, 1);
	assert_int_equal(p->version, 1);
	assert_string_equal(p->status, "active");
	assert_string_equal(p->actor, "cm");
	assert_string_equal(p->source, "p.yaml");
	aims_policy_free(p);
	/* the same content (as JSON) changes nothing */
	assert_aims_ok(aims_policy_set(&p, &changed, s, POLICY_JSON, strlen(POLICY_JSON), "p.json"));
	assert_int_equal(changed, 0);
	assert_int_equal(p->version, 1);
	aims_policy_free(p);
	/* a change is version 2 */
	const char *v2 = "policy: credit-models\napplies_to: {systems: [credit]}\nreview: {confidence_below: 0.5}\n";
	assert_aims_ok(aims_policy_set(&p, &changed, s, v2, strlen(v2), "v2.yaml"));
	assert_int_equal(p->version, 2);
	aims_policy_free(p);
	/* another policy may not govern the same system; an unknown system is refused with its line */
	const char *other = "policy: other\napplies_to:\n  systems: [chatbot, credit]\nreview: {sample_rate: 1, seed: 1}\n";
	assert_aims_error(aims_policy_set(NULL, NULL, s, other, strlen(other), "o.yaml"), AIMS_ECONFLICT,
			  "AI system 'credit' is already governed by policy 'credit-models'");
	const char *ghost = "policy: other\napplies_to:\n  systems: [chatbot, ghost]\nreview: {sample_rate: 1, seed: 1}\n";
	assert_aims_error(aims_policy_set(NULL, NULL, s, ghost, strlen(ghost), "o.yaml"), AIMS_EINVALID,
			  "'o.yaml' line 3: applies_to.systems[1]: no AI system 'ghost' in the inventory");
	const char *tier = "policy: high\napplies_to:\n  tiers: [high-risk]\nreview: {sample_rate: 1, seed: 1}\n";
	assert_aims_ok(aims_policy_set(NULL, NULL, s, tier, strlen(tier), "t.yaml"));
	/* the applicable policy: by name, else by the tier of the latest classification, else none */
	assert_aims_ok(aims_policy_for_system(&p, s, "credit"));
	assert_non_null(p);
	assert_string_equal(p->name, "credit-models");
	aims_policy_free(p);
	assert_aims_ok(aims_policy_for_system(&p, s, "chatbot"));
	assert_null(p);
	/* a high-risk classification of chatbot (Annex III 5(b)), from a complete answers file */
	static const char answers[] =
		"role: deployer\nart2_exclusion: none\nprohibited_practice: none\nannex_i_safety_component: false\n"
		"annex_i_section_b: false\nannex_iii_area: 5(b)\nart6_3_exemption: none\nprofiling: true\n"
		"interacts_with_natural_persons: false\ngenerates_synthetic_content: false\nemotion_recognition: false\n"
		"biometric_categorisation: none\ndeep_fake: false\ngpai: false\nsystemic_risk: false\n"
		"gpai_open_source: false\nbuilds_on_third_party_gpai: false\nfree_open_source_licence: false\n"
		"public_authority: false\nprovides_public_service: false\naffects_workers: false\n";
	aims_aiact_answers a;
	assert_aims_ok(aims_aiact_answers_parse(&a, answers, strlen(answers), "chatbot.yaml"));
	assert_aims_ok(aims_aiact_store(NULL, s, "chatbot", &a));
	assert_aims_ok(aims_policy_for_system(&p, s, "chatbot"));
	assert_non_null(p);
	assert_string_equal(p->name, "high");
	aims_policy_free(p);
	/* list, versions, retire */
	aims_policies *l = NULL;
	assert_aims_ok(aims_policy_list(&l, s, NULL));
	assert_int_equal(l->count, 2);
	aims_policies_free(l);
	assert_aims_ok(aims_policy_list(&l, s, "credit-models"));
	assert_int_equal(l->count, 2);
	aims_policies_free(l);
	assert_aims_error(aims_policy_list(&l, s, "nope"), AIMS_ENOTFOUND, "no policy 'nope'");
	assert_aims_ok(aims_policy_retire(&p, s, "credit-models"));
	assert_int_equal(p->version, 3);
	assert_string_equal(p->status, "retired");
	aims_policy_free(p);
	assert_aims_error(aims_policy_retire(NULL, s, "credit-models"), AIMS_ECONFLICT, "retired already");
	assert_aims_ok(aims_policy_for_system(&p, s, "credit"));
	assert_null(p);
	assert_aims_error(aims_policy_get(&p, s, "credit-models", 9), AIMS_ENOTFOUND, "has no version 9");
	/* every change is a ledger entry */
	aims_ledger_entries *le = NULL;
	assert_aims_ok(aims_ledger_log_read(&le, s, "credit-models"));
	assert_int_equal(le->count, 3);
	assert_string_equal(le->items[0].action, "create");
	assert_string_equal(le->items[1].action, "update");
	assert_string_equal(le->items[2].action, "retire");
	assert_string_equal(le->items[2].actor, "cm");
	aims_ledger_entries_free(le);
	/* a policy edited in the store no longer gives its digest */
	assert_aims_ok(aims__store_exec(s, "UPDATE policies SET body = replace(body, '0.5', '0.4') WHERE version = 2"));
	assert_aims_error(aims_policy_get(&p, s, "credit-models", 2), AIMS_ETAMPERED, "no longer gives its recorded digest");
	aims_store_free(s);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	for (unsigned long n = 1; n < 100000; n++) {
		aims_policy *p = NULL;
		aims__alloc_fail_after(n);
		int rc = aims_policy_parse(&p, POLICY, strlen(POLICY), "p.yaml");
		aims__alloc_fail_after(0);
		if (rc == 0) {
			assert_non_null(p);
			aims_policy_free(p);
			return;
		}
		assert_null(p);
		if (rc != AIMS_ENOMEM && rc != AIMS_EINVALID)
			fail_msg("allocation %lu: unexpected %d: %s", n, rc, aims_error_last());
	}
	fail_msg("never succeeded");
}

/* thresholds outside a policy file (monitoring plans): parsed the same way, checked on evaluation results */
static void test_thresholds(void **state)
{
	aims_policy_threshold t;
	size_t found = 0;
	char bad[256];
	(void)state;
	assert_int_equal(aims_policy_threshold_parse(&t, "roc_auc>=0.75"), 0);
	assert_string_equal(t.metric, "roc_auc");
	assert_string_equal(t.op, ">=");
	assert_string_equal(t.text, "roc_auc >= 0.75");
	json_t *res = json_pack("{s:f, s:[{s:s, s:f}, {s:s, s:f}]}", "roc_auc", 0.8, "sensitive", "name", "sex",
				"demographic_parity_ratio", 0.9, "name", "age", "demographic_parity_ratio", 0.6);
	assert_non_null(res);
	assert_int_equal(aims_policy_threshold_apply(&found, bad, sizeof(bad), &t, res), 1);
	assert_int_equal(found, 1);
	aims_policy_threshold_release(&t);
	assert_int_equal(aims_policy_threshold_parse(&t, "demographic_parity_ratio >= 0.8"), 0);
	assert_int_equal(aims_policy_threshold_apply(&found, bad, sizeof(bad), &t, res), 0);
	assert_int_equal(found, 2);
	assert_string_equal(bad, "age: demographic_parity_ratio 0.6");
	aims_policy_threshold_release(&t);
	assert_int_equal(aims_policy_threshold_parse(&t, "psi < 0.2"), 0);
	assert_int_equal(aims_policy_threshold_apply(&found, bad, sizeof(bad), &t, res), 0);
	assert_int_equal(found, 0);
	aims_policy_threshold_release(&t);
	json_decref(res);
	assert_int_equal(aims_policy_threshold_parse(&t, "roc_auc => 1"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_last(), "expected one of >=, >, <=, <, =="));
	assert_int_equal(aims_policy_threshold_parse(&t, "roc_auc >= x"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_last(), "expected a number after '>='"));
	assert_int_equal(aims_policy_threshold_parse(&t, ">= 1"), AIMS_EINVALID);
	assert_int_equal(aims_policy_threshold_parse(&t, "roc_auc >= 1e999"), AIMS_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_thresholds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
