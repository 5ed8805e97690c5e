/*
 * Unit tests for group fairness (src/lib/eval/fairness.c) on a small data
 * set worked out by hand: per-group rates, between-groups aggregates,
 * disparate impact and the four-fifths flag, the intersection, the
 * small-group rule, skipped rows, undefined figures and argument errors.
 */
#include "helpers.h"

#include <jansson.h>
#include <math.h>

/*
 * Group a: 4 rows, labels 1 1 0 0, predictions 1 0 1 0 -> tp 1 fn 1 fp 1 tn 1:
 *   selection 0.5, tpr 0.5, fpr 0.5.
 * Group b: 6 rows, labels 1 1 1 0 0 0, predictions 1 1 1 1 0 0 -> tp 3 fp 1 tn 2:
 *   selection 4/6, tpr 1, fpr 1/3.
 * Sex splits each group: a = f f m m, b = f f f m m m.
 */
static const char *DATA =
	"label,pred,g,sex\n"
	"1,1,a,f\n1,0,a,f\n0,1,a,m\n0,0,a,m\n"
	"1,1,b,f\n1,1,b,f\n1,1,b,f\n0,1,b,m\n0,0,b,m\n0,0,b,m\n"
	",1,b,m\n";  /* skipped: missing label */

static json_t *run(const char *data, const char *const *groups, size_t ng, const char *ref, int *rc)
{
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	aims_rows *r = NULL;
	char *fair = NULL;
	json_t *j = NULL;
	o.label = "label";
	o.pred = "pred";
	o.groups = groups;
	o.ngroups = ng;
	o.reference = ref;
	assert_int_equal(aims_rows_open_mem(&r, data, strlen(data), "f.csv", 0), 0);
	*rc = aims_eval_binary(&fair, NULL, r, &o);
	if (*rc == 0) {
		j = json_loads(fair, 0, NULL);
		assert_non_null(j);
	} else {
		assert_null(fair);
	}
	free(fair);
	aims_rows_free(r);
	return j;
}

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_number(v))
		fail_msg("%s is not a number", k);
	return json_number_value(v);
}

#define near(a, b) assert_true(fabs((a) - (b)) < 1e-15)

static void test_one_column(void **state)
{
	(void)state;
	static const char *const g[] = { "g" };
	int rc;
	json_t *j = run(DATA, g, 1, NULL, &rc);
	assert_int_equal(rc, 0);
	json_t *in = json_object_get(j, "input");
	assert_int_equal(json_integer_value(json_object_get(in, "rows_read")), 11);
	assert_int_equal(json_integer_value(json_object_get(in, "rows_skipped")), 1);
	assert_int_equal(json_integer_value(json_object_get(in, "rows_used")), 10);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(in, "missing"), "label")), 1);

	json_t *s = json_array_get(json_object_get(j, "sensitive"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "reference")), "b");  /* the largest */
	json_t *a = json_array_get(json_object_get(s, "groups"), 0), *b = json_array_get(json_object_get(s, "groups"), 1);
	assert_string_equal(json_string_value(json_object_get(a, "group")), "a");
	near(num(a, "selection_rate"), 0.5);
	near(num(a, "tpr"), 0.5);
	near(num(a, "fpr"), 0.5);
	near(num(a, "precision"), 0.5);
	near(num(b, "selection_rate"), 4.0 / 6);
	near(num(b, "tpr"), 1.0);
	near(num(b, "fnr"), 0.0);
	near(num(b, "fpr"), 1.0 / 3);
	near(num(b, "tnr"), 2.0 / 3);
	near(num(b, "accuracy"), 5.0 / 6);
	/* every group is small (n < 30) */
	assert_true(json_is_true(json_object_get(a, "small")));
	assert_string_equal(json_string_value(json_object_get(a, "small_reason")), "n = 4 < 30");
	/* disparate impact of a against b: 0.5 / (2/3) = 0.75, outside the four-fifths band */
	near(num(a, "disparate_impact"), 0.75);
	assert_true(json_is_false(json_object_get(a, "four_fifths")));
	assert_true(json_is_true(json_object_get(b, "four_fifths")));
	/* aggregates */
	near(num(s, "demographic_parity_difference"), 4.0 / 6 - 0.5);
	near(num(s, "demographic_parity_ratio"), 0.75);
	near(num(s, "equal_opportunity_difference"), 0.5);
	near(num(s, "equal_opportunity_ratio"), 0.5);
	near(num(s, "equalized_odds_difference"), 0.5);          /* max(0.5, 1/6) */
	near(num(s, "equalized_odds_ratio"), 0.5);               /* min(0.5, (1/3) / 0.5) */
	/* flags name the group */
	json_t *flags = json_object_get(j, "flags");
	int four = 0;
	for (size_t i = 0; i < json_array_size(flags); i++)
		four += strstr(json_string_value(json_array_get(flags, i)), "g = a: disparate impact 0.7500") != NULL;
	assert_int_equal(four, 1);
	json_decref(j);

	/* the reference given */
	j = run(DATA, g, 1, "a", &rc);
	assert_int_equal(rc, 0);
	s = json_array_get(json_object_get(j, "sensitive"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "reference_rule")), "given");
	near(num(json_array_get(json_object_get(s, "groups"), 1), "disparate_impact"), 4.0 / 3);
	json_decref(j);
}

static void test_intersection(void **state)
{
	(void)state;
	static const char *const g[] = { "g", "sex" };
	int rc;
	json_t *j = run(DATA, g, 2, NULL, &rc);
	assert_int_equal(rc, 0);
	json_t *sens = json_object_get(j, "sensitive");
	assert_int_equal(json_array_size(sens), 3);
	json_t *x = json_array_get(sens, 2);
	assert_string_equal(json_string_value(json_object_get(x, "name")), "g & sex");
	json_t *groups = json_object_get(x, "groups");
	assert_int_equal(json_array_size(groups), 4);
	json_t *af = json_array_get(groups, 0), *bm = json_array_get(groups, 3);
	assert_string_equal(json_string_value(json_object_get(af, "group")), "a & f");
	assert_string_equal(json_string_value(json_object_get(json_object_get(af, "values"), "sex")), "f");
	/* a & f: labels 1 1, predictions 1 0: no negatives -> fpr undefined */
	assert_true(json_is_null(json_object_get(af, "fpr")));
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(af, "undefined"), "fpr")),
			       "no negative labels"));
	/* b & m: labels 0 0 0, predictions 1 0 0 -> tpr undefined, selection 1/3 */
	assert_true(json_is_null(json_object_get(bm, "tpr")));
	near(num(bm, "selection_rate"), 1.0 / 3);
	/* TPR is left out for the groups without positives, and the note says which */
	json_t *notes = json_object_get(x, "notes");
	assert_true(json_array_size(notes) >= 1);
	/* selection rates: a&f 0.5, a&m 0.5, b&f 1, b&m 1/3 */
	near(num(x, "demographic_parity_difference"), 1 - 1.0 / 3);
	near(num(x, "demographic_parity_ratio"), 1.0 / 3);
	json_decref(j);
}

static void test_errors(void **state)
{
	(void)state;
	static const char *const g[] = { "g" }, *const bad[] = { "nope" }, *const two[] = { "g", "g" };
	int rc;
	assert_null(run(DATA, bad, 1, NULL, &rc));
	assert_int_equal(rc, AIMS_ENOTFOUND);
	assert_non_null(strstr(aims_error_last(), "no column 'nope'"));
	assert_null(run(DATA, two, 2, NULL, &rc));
	assert_int_equal(rc, AIMS_EUSAGE);
	assert_null(run(DATA, g, 1, "zz", &rc));
	assert_int_equal(rc, AIMS_EINVALID);
	assert_non_null(strstr(aims_error_last(), "--reference 'zz'"));
	assert_null(run(DATA, g, 0, NULL, &rc));
	assert_int_equal(rc, AIMS_EUSAGE);
	assert_null(run("label,pred,g\n,1,a\n", g, 1, NULL, &rc));
	assert_int_equal(rc, AIMS_EINVALID);
	assert_non_null(strstr(aims_error_last(), "no usable rows"));
}

static void test_positive_rule(void **state)
{
	(void)state;
	static const char *const g[] = { "g" };
	/* without --pos-label, "1" and "true" are positive; "yes" is not */
	const char *d = "label,pred,g\ntrue,1,a\nyes,true,a\n0,false,a\n";
	int rc;
	json_t *j = run(d, g, 1, NULL, &rc);
	assert_int_equal(rc, 0);
	json_t *a = json_array_get(json_object_get(json_array_get(json_object_get(j, "sensitive"), 0), "groups"), 0);
	assert_int_equal(json_integer_value(json_object_get(a, "tp")), 1);
	assert_int_equal(json_integer_value(json_object_get(a, "fp")), 1);
	assert_int_equal(json_integer_value(json_object_get(a, "tn")), 1);
	json_decref(j);
}

/* text that is not UTF-8 (a Latin-1 file) still gives valid JSON, with U+FFFD */
static void test_not_utf8(void **state)
{
	(void)state;
	static const char *const g[] = { "gr\xF6\xDF" "e" };
	int rc;
	json_t *j = run("label,pred,gr\xF6\xDF" "e\n1,1,M\xFC" "ller\n0,1,x\n", g, 1, NULL, &rc);
	assert_int_equal(rc, 0);
	json_t *s = json_array_get(json_object_get(j, "sensitive"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "name")), "gr\xEF\xBF\xBD\xEF\xBF\xBD" "e");
	json_t *a = json_array_get(json_object_get(s, "groups"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "group")), "M\xEF\xBF\xBD" "ller");
	assert_non_null(json_object_get(json_object_get(a, "values"), "gr\xEF\xBF\xBD\xEF\xBF\xBD" "e"));
	assert_non_null(json_object_get(json_object_get(json_object_get(j, "input"), "missing"), "label"));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_column),
		cmocka_unit_test(test_intersection),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_positive_rule),
		cmocka_unit_test(test_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
