/*
 * Unit tests of the risk register and impact assessments: criteria
 * versions and rescoring, add/treat/accept/review, owner-only acceptance,
 * invalidation of an acceptance by a score change, a treatment change and a
 * new model deployed for the system (seen on read, recorded on the next
 * write), owners that must be principals and the migration of a free-text
 * owner with aims_risk_set, the starter library, heat-map counts, the
 * report, the impact assessment's four eyes between principals and due
 * triggers, and a failed add under allocation failures leaving nothing
 * behind.
 */
#include "helpers.h"
#include "core/core.h"
#include "store/store_internal.h"

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	test_account(s, "bob", AIMS_ROLE_RISK_OWNER, "alice");
	f.purpose = "credit scoring";
	f.intended_use = "support loan officers";
	assert_aims_ok(aims_system_add(s, "credit", &f));
	return s;
}

static void model(aims_store *s, const char *ref, const char *content)
{
	aims_artifact *a = NULL;
	aims_model_fields mf = AIMS_MODEL_FIELDS_INIT;
	char name[64];
	int created = 0;
	snprintf(name, sizeof(name), "%s.bin", ref);
	test_write_file(test_path(name), content);
	assert_aims_ok(aims_artifact_hash(&a, test_path(name), 0, NULL, NULL));
	assert_aims_ok(aims_model_register(&created, s, ref, a, &mf));
	aims_artifact_free(a);
}

static char *add(aims_store *s, const char *owner, int l, int i)
{
	aims_risk_new_opts o = AIMS_RISK_NEW_INIT;
	char *id = NULL;
	o.system = "credit";
	o.title = "Refusals differ by nationality";
	o.category = "bias-fairness";
	o.owner = owner;
	o.likelihood = l;
	o.impact = i;
	assert_aims_ok(aims_risk_add(&id, s, &o));
	return id;
}

static aims_risk *get(aims_store *s, const char *id)
{
	aims_risk *r = NULL;
	assert_aims_ok(aims_risk_get(&r, s, id));
	return r;
}

static void test_criteria(void **state)
{
	(void)state;
	aims_store *s = fresh("criteria.db");
	aims_risk_criteria c, v;
	int version = 0;
	assert_aims_ok(aims_risk_criteria_get(&c, s));
	assert_int_equal(c.version, 0);
	assert_int_equal(aims_risk_score(&c, 4, 3), 12);
	char *id = add(s, "bob", 4, 3);
	c.tolerance = 15;
	assert_aims_ok(aims_risk_criteria_set(&version, s, &c, "raised by the board"));
	assert_int_equal(version, 1);
	assert_aims_ok(aims_risk_criteria_get(&v, s));
	assert_int_equal(v.tolerance, 15);
	assert_string_not_equal(v.digest, c.digest);
	aims_risk *r = get(s, id);
	assert_string_equal(r->status, "open");
	aims_risk_free(r);
	/* rescoring */
	snprintf(v.score_fn, sizeof(v.score_fn), "max");
	v.appetite = 2;
	v.tolerance = 3;
	assert_aims_ok(aims_risk_criteria_set(NULL, s, &v, NULL));
	r = get(s, id);
	assert_int_equal(r->score, 4);
	assert_string_equal(r->status, "awaiting acceptance");
	aims_risk_free(r);
	/* refusals */
	v.likelihood_max = 3;
	assert_aims_error(aims_risk_criteria_set(NULL, s, &v, NULL), AIMS_ECONFLICT, "outside the new scales");
	v.likelihood_max = 11;
	assert_aims_error(aims_risk_criteria_set(NULL, s, &v, NULL), AIMS_EINVALID, "likelihood scale");
	v.likelihood_max = 5;
	v.appetite = 4;
	assert_aims_error(aims_risk_criteria_set(NULL, s, &v, NULL), AIMS_EINVALID, "tolerance 3");
	aims_risk_criteria *all = NULL;
	size_t n = 0;
	assert_aims_ok(aims_risk_criteria_versions(&all, &n, s));
	assert_int_equal(n, 2);
	aims_risk_criteria_versions_free(all);
	aims__free(id);
	aims_store_free(s);
}

static void test_acceptance_invalidation(void **state)
{
	(void)state;
	aims_store *s = fresh("accept.db");
	aims_risk_treat_opts t = AIMS_RISK_TREAT_INIT;
	aims_risk_review_opts rv = AIMS_RISK_REVIEW_INIT;
	const char *controls[] = { "A.7.4" }, *actions[] = { "rebalance the training data" };
	model(s, "gbm@1", "one");
	model(s, "gbm@2", "two");
	assert_aims_ok(aims_deploy_record(NULL, s, "credit", "gbm@1", "production", NULL, NULL));
	char *id = add(s, "bob", 4, 4);
	aims_risk *r = get(s, id);
	assert_string_equal(r->status, "awaiting acceptance");
	assert_string_equal(r->model, "gbm@1");
	aims_risk_free(r);

	/* only the owner's account accepts: alice (who may accept risks in general) is refused */
	assert_aims_error(aims_risk_accept(s, id, NULL), AIMS_EPERM, "only its risk owner 'bob'");
	test_act_as(s, "bob", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_risk_accept(s, id, "accepted for one quarter"));
	r = get(s, id);
	assert_string_equal(r->status, "accepted");
	assert_true(r->acceptance->valid);
	assert_null(r->acceptance->changed);
	assert_non_null(strstr(r->acceptance->snapshot, "\"model\":\"gbm@1\""));
	aims_risk_free(r);
	assert_aims_error(aims_risk_accept(s, id, NULL), AIMS_ECONFLICT, "accepted already");

	/* score */
	rv.likelihood = 5;
	rv.impact = 4;
	assert_aims_ok(aims_risk_review(s, id, &rv));
	r = get(s, id);
	assert_string_equal(r->status, "awaiting acceptance");
	assert_false(r->acceptance->valid);
	assert_string_equal(r->acceptance->changed, "score");
	assert_non_null(r->acceptance->invalidated_at);
	aims_risk_free(r);

	/* treatment */
	assert_aims_ok(aims_risk_accept(s, id, NULL));
	t.option = "modify";
	t.controls = controls;
	t.actions = actions;
	t.nactions = 1;
	t.res_likelihood = 5;
	t.res_impact = 4;
	assert_aims_ok(aims_risk_treat(s, id, &t));
	r = get(s, id);
	assert_string_equal(r->acceptance->changed, "score,treatment"); /* the residual estimate is new too */
	assert_string_equal(r->status, "awaiting acceptance");
	assert_int_equal(r->acceptance->seq, 2);
	aims_risk_free(r);

	/* model: the deployment happens elsewhere; the risk sees it on read */
	assert_aims_ok(aims_risk_accept(s, id, NULL));
	assert_aims_ok(aims_deploy_record(NULL, s, "credit", "gbm@2", "production", NULL, NULL));
	r = get(s, id);
	assert_string_equal(r->status, "awaiting acceptance");
	assert_string_equal(r->acceptance->changed, "model");
	assert_null(r->acceptance->invalidated_at);
	aims_risk_free(r);
	rv.likelihood = rv.impact = 0;
	rv.note = "model 2 noted";
	assert_aims_ok(aims_risk_review(s, id, &rv));
	r = get(s, id);
	assert_non_null(r->acceptance->invalidated_at);
	assert_string_equal(r->acceptance->invalidated_by, "model");
	aims_risk_free(r);

	/* a treated risk below tolerance needs no acceptance */
	t.res_likelihood = 1;
	t.res_impact = 2;
	assert_aims_ok(aims_risk_treat(s, id, &t));
	r = get(s, id);
	assert_string_equal(r->status, "treated");
	assert_int_equal(r->effective_score, 2);
	aims_risk_free(r);

	/* bad treatments */
	const char *bad[] = { "A.99" };
	t.controls = bad;
	assert_aims_error(aims_risk_treat(s, id, &t), AIMS_EINVALID, "not an ISO/IEC 42001 Annex A control");
	const char *clause[] = { "6.1.2" };
	t.controls = clause;
	assert_aims_error(aims_risk_treat(s, id, &t), AIMS_EINVALID, "control '6.1.2'");
	t.controls = controls;
	t.option = "ignore";
	assert_aims_error(aims_risk_treat(s, id, &t), AIMS_EINVALID, "treatment option 'ignore'");

	/* audit trail */
	aims_ledger_entries *log = NULL;
	size_t accepts = 0, invalidations = 0;
	assert_aims_ok(aims_ledger_log_read(&log, s, id));
	for (size_t i = 0; i < log->count; i++) {
		accepts += strcmp(log->items[i].action, "accept") == 0;
		invalidations += strcmp(log->items[i].action, "invalidate") == 0;
	}
	aims_ledger_entries_free(log);
	assert_int_equal(accepts, 3);
	assert_int_equal(invalidations, 3);
	aims__free(id);
	aims_store_free(s);
}

static void test_library_heatmap_report(void **state)
{
	(void)state;
	aims_store *s = fresh("library.db");
	size_t added = 0;
	assert_aims_ok(aims_risk_library_add(&added, s, "credit", NULL, "bob"));
	assert_int_equal(added, aims_risk_library_count());
	assert_aims_ok(aims_risk_library_add(&added, s, "credit", NULL, "bob"));
	assert_int_equal(added, 0);
	assert_aims_error(aims_risk_library_add(&added, s, "nobody", NULL, "bob"), AIMS_ENOTFOUND, "nobody");
	/* the owner must be a principal, even when every library risk is there already */
	assert_aims_error(aims_risk_library_add(&added, s, "credit", NULL, "Head of Credit"), AIMS_EINVALID,
			  "risk owner 'Head of Credit' is not an account");
	/* every library entry has a taxonomy category and an Annex A control */
	for (size_t i = 0; i < aims_risk_library_count(); i++) {
		const aims_risk_template *t = aims_risk_library_at(i);
		assert_non_null(aims_risk_category_find(t->category));
		assert_int_equal(strncmp(t->control, "A.", 2), 0);
	}
	/* each category is covered by the library */
	for (size_t c = 0; c < aims_risk_category_count(); c++) {
		int found = 0;
		for (size_t i = 0; i < aims_risk_library_count() && !found; i++)
			found = strcmp(aims_risk_library_at(i)->category, aims_risk_category_at(c)->id) == 0;
		if (!found)
			fail_msg("no library risk for category %s", aims_risk_category_at(c)->id);
	}
	aims_risks *l = NULL;
	aims_risk_criteria c;
	aims_buf svg = AIMS_BUF_INIT, html = AIMS_BUF_INIT;
	assert_aims_ok(aims_risk_list(&l, s, "credit"));
	assert_aims_ok(aims_risk_criteria_get(&c, s));
	assert_aims_ok(aims_risk_heatmap_svg(&svg, l, &c, 0));
	size_t total = 0, cells = 0;
	for (const char *p = svg.ptr; (p = strstr(p, "data-count=\"")) != NULL; p++) {
		total += (size_t)strtoul(p + 12, NULL, 10);
		cells++;
	}
	assert_int_equal(cells, 25);
	assert_int_equal(total, l->count);
	assert_aims_ok(aims_risk_report_html(&html, s, "credit"));
	assert_non_null(strstr(html.ptr, "<h1>AI risk report</h1>"));
	assert_non_null(strstr(html.ptr, "Inherent risk heat map"));
	assert_non_null(strstr(html.ptr, "Residual risk heat map"));
	assert_non_null(strstr(html.ptr, l->items[0]->title));
	assert_null(strstr(html.ptr, "<script"));
	aims_buf_release(&svg);
	aims_buf_release(&html);
	aims_risks_free(l);
	aims_store_free(s);
}

static const char *IA =
	"intended_use: support loan officers\n"
	"affected_groups:\n  - group: applicants\n"
	"benefits: [faster decisions]\n"
	"harms:\n  - harm: unfair refusal\n    level: individual\n    affected: applicants\n"
	"    severity: high\n    reversibility: partially-reversible\n"
	"misuse: []\nmitigations: [officer review]\nhuman_oversight: an officer confirms refusals\n";

static void test_impact_assessment(void **state)
{
	(void)state;
	aims_store *s = fresh("ia.db");
	char *id = NULL, *why = NULL;
	int due = 0;
	model(s, "gbm@1", "one");
	model(s, "gbm@2", "two");
	assert_aims_ok(aims_deploy_record(NULL, s, "credit", "gbm@1", "production", NULL, NULL));
	assert_aims_ok(aims_assess_due(&due, &why, s, "credit"));
	assert_true(due);
	assert_string_equal(why, "no approved impact assessment");
	aims__free(why);
	assert_aims_ok(aims_assess_impact(&id, s, "credit", IA, strlen(IA), "ia.yaml"));
	assert_string_equal(id, "IA-001");
	/* four eyes between principals: alice wrote it and may not approve it, bob may; nobody without a principal */
	aims_assessment *draft = NULL;
	assert_aims_ok(aims_assess_get(&draft, s, id));
	assert_string_equal(draft->author, "alice");
	aims_assessment_free(draft);
	assert_aims_error(aims_assess_approve(s, id), AIMS_EPERM, "four eyes: its author 'alice' may not approve it");
	assert_aims_ok(aims_store_set_principal(s, NULL));
	assert_aims_error(aims_assess_approve(s, id), AIMS_EAUTH, "authenticated principal");
	test_act_as(s, "bob", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_assess_approve(s, id));
	assert_aims_error(aims_assess_approve(s, id), AIMS_ECONFLICT, "only a draft");
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	assert_aims_ok(aims_assess_due(&due, &why, s, "credit"));
	assert_false(due);
	assert_null(why);
	assert_aims_ok(aims_deploy_record(NULL, s, "credit", "gbm@2", "production", NULL, NULL));
	assert_aims_ok(aims_assess_due(&due, &why, s, "credit"));
	assert_true(due);
	assert_string_equal(why, "new model deployed (gbm@1 -> gbm@2)");
	aims__free(why);
	aims_assessment *a = NULL;
	assert_aims_ok(aims_assess_get(&a, s, id));
	assert_string_equal(a->status, "approved");
	assert_string_equal(a->approver, "bob");
	assert_non_null(strstr(a->snapshot, "\"model\":\"gbm@1\""));
	assert_non_null(strstr(a->answers, "\"severity\":\"high\""));
	aims_assessment_free(a);
	/* refusals name file, line and key */
	const char *bad = "intended_use: x\naffected_groups: []\n";
	assert_aims_error(aims_assess_answers_check(bad, strlen(bad), "b.yaml"), AIMS_EINVALID,
			  "'b.yaml' line 1: benefits: missing answer");
	assert_aims_error(aims_assess_impact(NULL, s, "nobody", IA, strlen(IA), "ia.yaml"), AIMS_ENOTFOUND, "nobody");
	aims__free(id);
	aims_store_free(s);
}

/* owners are principals; a risk recorded before accounts (free-text owner) gets one with aims_risk_set */
static void test_owner_principal_and_set(void **state)
{
	(void)state;
	aims_store *s = fresh("owner.db");
	aims_risk_new_opts o = AIMS_RISK_NEW_INIT;
	aims_risk_set_opts so = AIMS_RISK_SET_INIT;
	int changed = -1;
	o.system = "credit";
	o.title = "Refusals differ by nationality";
	o.category = "bias-fairness";
	o.owner = "Head of Credit";
	o.likelihood = o.impact = 4;
	assert_aims_error(aims_risk_add(NULL, s, &o), AIMS_EINVALID, "risk owner 'Head of Credit' is not an account");
	o.owner = "os:carol";
	char *id = NULL;
	assert_aims_ok(aims_risk_add(&id, s, &o));
	/* an older store's free-text owner: nobody's principal has that name, so nobody can accept */
	assert_aims_ok(aims__store_exec(s, "UPDATE risks SET owner = 'Head of Credit' WHERE id = 'RISK-001'"));
	assert_aims_error(aims_risk_accept(s, id, NULL), AIMS_EPERM, "only its risk owner 'Head of Credit'");
	test_act_as(s, "bob", AIMS_ROLE_RISK_OWNER);
	assert_aims_error(aims_risk_accept(s, id, NULL), AIMS_EPERM, "not 'bob'");
	/* the migration: an administrator names the owner's account */
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	so.owner = "carol";
	assert_aims_error(aims_risk_set(&changed, s, id, &so), AIMS_EINVALID, "risk owner 'carol' is not an account");
	so.owner = "bob";
	so.review_date = "2027-01-31";
	so.description = "seen in the Q3 complaints";
	assert_aims_ok(aims_risk_set(&changed, s, id, &so));
	assert_int_equal(changed, 1);
	aims_risk *r = get(s, id);
	assert_string_equal(r->owner, "bob");
	assert_string_equal(r->review_date, "2027-01-31");
	assert_string_equal(r->description, "seen in the Q3 complaints");
	assert_string_equal(r->title, "Refusals differ by nationality");
	assert_int_equal(r->score, 16);
	aims_risk_free(r);
	/* the same values again change nothing and write nothing */
	aims_ledger_entries *log = NULL;
	assert_aims_ok(aims_ledger_log_read(&log, s, id));
	size_t before = log->count;
	aims_ledger_entries_free(log);
	assert_aims_ok(aims_risk_set(&changed, s, id, &so));
	assert_int_equal(changed, 0);
	assert_aims_ok(aims_ledger_log_read(&log, s, id));
	assert_int_equal(log->count, before);
	assert_string_equal(log->items[log->count - 1].action, "update");
	assert_string_equal(log->items[log->count - 1].actor, "alice");
	aims_ledger_entries_free(log);
	/* an empty description removes it; bad values are refused */
	aims_risk_set_opts clear = AIMS_RISK_SET_INIT;
	clear.description = "";
	assert_aims_ok(aims_risk_set(&changed, s, id, &clear));
	r = get(s, id);
	assert_null(r->description);
	aims_risk_free(r);
	aims_risk_set_opts bad = AIMS_RISK_SET_INIT;
	assert_aims_error(aims_risk_set(NULL, s, id, &bad), AIMS_EINVALID, "nothing to change");
	bad.category = "weather";
	assert_aims_error(aims_risk_set(NULL, s, id, &bad), AIMS_EINVALID, "category 'weather'");
	bad.category = NULL;
	bad.review_date = "next week";
	assert_aims_error(aims_risk_set(NULL, s, id, &bad), AIMS_EINVALID, "review date");
	assert_aims_error(aims_risk_set(NULL, s, "RISK-404", &clear), AIMS_ENOTFOUND, "RISK-404");
	/* now the owner's account accepts, and no one else */
	assert_aims_error(aims_risk_accept(s, id, NULL), AIMS_EPERM, "only its risk owner 'bob' can accept it, not 'alice'");
	test_act_as(s, "bob", AIMS_ROLE_RISK_OWNER);
	assert_aims_ok(aims_risk_accept(s, id, "reviewed with the owner"));
	r = get(s, id);
	assert_string_equal(r->acceptance->accepted_by, "bob");
	assert_true(r->acceptance->valid);
	aims_risk_free(r);
	aims__free(id);
	aims_store_free(s);
}

static void test_add_alloc_failures(void **state)
{
	(void)state;
	aims_store *s = fresh("alloc.db");
	for (unsigned long n = 1; n < 100000; n++) {
		aims_risk_new_opts o = AIMS_RISK_NEW_INIT;
		char *id = NULL;
		o.system = "credit";
		o.title = "t";
		o.category = "privacy";
		o.owner = "bob";
		o.likelihood = o.impact = 2;
		aims__alloc_fail_after(n);
		int rc = aims_risk_add(&id, s, &o);
		aims__alloc_fail_after(0);
		aims_risks *l = NULL;
		assert_aims_ok(aims_risk_list(&l, s, NULL));
		if (rc == 0) {
			assert_string_equal(id, "RISK-001");
			assert_int_equal(l->count, 1);
			aims_risks_free(l);
			aims__free(id);
			aims_store_free(s);
			return;
		}
		assert_null(id);
		assert_int_equal(l->count, 0);
		aims_risks_free(l);
	}
	fail_msg("add never succeeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_criteria),
		cmocka_unit_test(test_acceptance_invalidation),
		cmocka_unit_test(test_library_heatmap_report),
		cmocka_unit_test(test_impact_assessment),
		cmocka_unit_test(test_owner_principal_and_set),
		cmocka_unit_test(test_add_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
