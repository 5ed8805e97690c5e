/*
 * Unit tests of the special functions of the drift evaluation: the chi-square
 * survival function (regularized upper incomplete gamma) against values that
 * scipy 1.10.1 computed (scipy.stats.chi2.sf), from p near 1 to tiny p and
 * the underflow to exactly 0 that scipy shows beyond exp(-709.78), plus
 * edge cases. Tolerance: 1e-6 relative, or 1e-12 absolute for tiny values.
 */
#include "helpers.h"

#include <math.h>

#include "eval/drift_internal.h"

static const struct { double x, dof, p; } chi2_cases[] = {
	{ 1e-06, 1.0, 0.9992021155721779 },
	{ 0.01, 1.0, 0.920344325445942 },
	{ 0.5, 1.0, 0.47950012218695337 },
	{ 0.5, 1.0, 0.47950012218695337 },
	{ 1.0, 1.0, 0.31731050786291115 },
	{ 1.5, 1.0, 0.22067136191984324 },
	{ 4.5, 1.0, 0.033894853524689295 },
	{ 23.0, 1.0, 1.620013982466468e-06 },
	{ 301.0, 1.0, 1.9948316047649822e-67 },
	{ 1401.0, 1.0, 1.2738754936922092e-306 },
	{ 1501.0, 1.0, 0.0 },
	{ 1e-06, 2.0, 0.999999500000125 },
	{ 0.01, 2.0, 0.9950124791926823 },
	{ 0.5, 2.0, 0.7788007830714049 },
	{ 1.0, 2.0, 0.6065306597126334 },
	{ 2.0, 2.0, 0.36787944117144245 },
	{ 2.5, 2.0, 0.2865047968601901 },
	{ 6.0, 2.0, 0.04978706836786395 },
	{ 26.0, 2.0, 2.2603294069810534e-06 },
	{ 302.0, 2.0, 2.63957029695922e-66 },
	{ 1402.0, 2.0, 3.627172297049587e-305 },
	{ 1502.0, 2.0, 0.0 },
	{ 1e-06, 3.0, 0.9999999997340385 },
	{ 0.01, 3.0, 0.9997348349413444 },
	{ 0.5, 3.0, 0.9188914116546758 },
	{ 1.5, 3.0, 0.6822703303362125 },
	{ 3.0, 3.0, 0.3916251762710877 },
	{ 3.5, 3.0, 0.3207621208056397 },
	{ 7.5, 3.0, 0.0575584519726364 },
	{ 29.0, 3.0, 2.2394290022533747e-06 },
	{ 303.0, 3.0, 2.230866867970826e-65 },
	{ 1403.0, 3.0, 6.579593435422275e-304 },
	{ 1503.0, 3.0, 0.0 },
	{ 1e-06, 5.0, 1.0 },
	{ 0.01, 5.0, 0.9999994699729957 },
	{ 0.5, 5.0, 0.9921232932326296 },
	{ 2.5, 5.0, 0.7764950711233227 },
	{ 5.0, 5.0, 0.4158801869955079 },
	{ 5.5, 5.0, 0.357945880850958 },
	{ 10.5, 5.0, 0.06224592809090594 },
	{ 35.0, 5.0, 1.5046506621757205e-06 },
	{ 305.0, 5.0, 8.42606445160789e-64 },
	{ 1405.0, 5.0, 1.1360220075084892e-301 },
	{ 1505.0, 5.0, 0.0 },
	{ 1e-06, 10.0, 1.0 },
	{ 0.01, 10.0, 0.999999999999974 },
	{ 0.5, 10.0, 0.999993388289439 },
	{ 5.0, 10.0, 0.8911780189141513 },
	{ 10.0, 10.0, 0.44049328506521257 },
	{ 10.5, 10.0, 0.3977736810762285 },
	{ 18.0, 10.0, 0.05496364149510497 },
	{ 50.0, 10.0, 2.669083424904495e-07 },
	{ 310.0, 10.0, 1.1933021953836102e-60 },
	{ 1410.0, 10.0, 6.87706387985672e-297 },
	{ 1510.0, 10.0, 0.0 },
	{ 1e-06, 29.0, 1.0 },
	{ 0.01, 29.0, 1.0 },
	{ 0.5, 29.0, 1.0 },
	{ 14.5, 29.0, 0.9885373381588856 },
	{ 29.0, 29.0, 0.46506624123787865 },
	{ 29.5, 29.0, 0.4392647206755463 },
	{ 46.5, 29.0, 0.020914079411731196 },
	{ 107.0, 29.0, 7.201402425822608e-11 },
	{ 329.0, 29.0, 1.4134010190339363e-52 },
	{ 1429.0, 29.0, 7.420405148394512e-283 },
	{ 1529.0, 29.0, 3.562249663998912e-304 },
	{ 1e-06, 100.0, 1.0 },
	{ 0.01, 100.0, 1.0 },
	{ 0.5, 100.0, 1.0 },
	{ 50.0, 100.0, 0.9999930466947524 },
	{ 100.0, 100.0, 0.48119168452795674 },
	{ 100.5, 100.0, 0.467148433979468 },
	{ 153.0, 100.0, 0.0005161006396029186 },
	{ 320.0, 100.0, 7.722770981267196e-25 },
	{ 400.0, 100.0, 1.6927979958857254e-37 },
	{ 1500.0, 100.0, 2.5254320288864825e-248 },
	{ 1600.0, 100.0, 1.145859576908415e-268 },
	{ 1e-06, 999.0, 1.0 },
	{ 0.01, 999.0, 1.0 },
	{ 0.5, 999.0, 1.0 },
	{ 499.5, 999.0, 1.0 },
	{ 999.0, 999.0, 0.4940498779585279 },
	{ 999.5, 999.0, 0.48958928945911395 },
	{ 1501.5, 999.0, 6.605665260143902e-23 },
	{ 3017.0, 999.0, 3.216223734030644e-201 },
	{ 1299.0, 999.0, 3.826879847633196e-10 },
	{ 2399.0, 999.0, 1.3802548495376522e-116 },
	{ 2499.0, 999.0, 1.796824069941761e-129 },
	{ 1e-06, 5000.0, 1.0 },
	{ 0.01, 5000.0, 1.0 },
	{ 0.5, 5000.0, 1.0 },
	{ 2500.0, 5000.0, 1.0 },
	{ 5000.0, 5000.0, 0.4973403788923451 },
	{ 5000.5, 5000.0, 0.49534584201515736 },
	{ 7503.0, 5000.0, 2.2090779448296375e-105 },
	{ 15020.0, 5000.0, 0.0 },
	{ 5300.0, 5000.0, 0.0015958249441347303 },
	{ 6400.0, 5000.0, 2.9563726649933785e-38 },
	{ 6500.0, 5000.0, 3.629497318437807e-43 },
};

static void test_chi2_sf_matches_scipy(void **state)
{
	size_t tiny = 0, zero = 0;
	(void)state;
	for (size_t i = 0; i < sizeof(chi2_cases) / sizeof(chi2_cases[0]); i++) {
		double got = aims__chi2_sf(chi2_cases[i].x, chi2_cases[i].dof);
		if (!test_p_close(got, chi2_cases[i].p))
			fail_msg("chi2.sf(%.17g, %g): got %.17g, scipy %.17g", chi2_cases[i].x, chi2_cases[i].dof, got,
				 chi2_cases[i].p);
		tiny += chi2_cases[i].p > 0 && chi2_cases[i].p < 1e-100;
		zero += chi2_cases[i].p == 0;
	}
	/* the table reaches deep into the tail and past the underflow */
	assert_true(tiny >= 3);
	assert_true(zero >= 3);
}

static void test_chi2_tiny_relative_accuracy(void **state)
{
	(void)state;
	/* relative, not absolute: 1e-6 of a value near 1e-200 */
	double p = aims__chi2_sf(931.0, 1.0);
	assert_true(p > 0 && p < 1e-200);
	assert_true(fabs(aims__chi2_sf(931.0, 1.0) / erfc(sqrt(931.0 / 2.0)) - 1) < 1e-9);
	/* dof 2: exp(-x/2) exactly */
	for (double x = 0.5; x < 1400; x *= 1.7)
		assert_true(fabs(aims__chi2_sf(x, 2.0) / exp(-x / 2) - 1) < 1e-12);
}

static void test_gamma_q_edges(void **state)
{
	(void)state;
	assert_true(aims__gamma_q(3.0, 0.0) == 1.0);
	assert_true(aims__gamma_q(3.0, INFINITY) == 0.0);
	assert_true(isnan(aims__gamma_q(0.0, 1.0)));
	assert_true(isnan(aims__gamma_q(-1.0, 1.0)));
	assert_true(isnan(aims__gamma_q(1.0, -1.0)));
	assert_true(isnan(aims__gamma_q(NAN, 1.0)));
	assert_true(aims__chi2_sf(0.0, 4.0) == 1.0);
	assert_true(aims__chi2_sf(-3.0, 4.0) == 1.0);
	assert_true(isnan(aims__chi2_sf(1.0, 0.0)));
	/* Q(1, x) = exp(-x) */
	for (double x = 0.01; x < 700; x *= 2.3)
		assert_true(fabs(aims__gamma_q(1.0, x) / exp(-x) - 1) < 1e-12);
	/* beyond the underflow: exactly 0, never a denormal-garbage or NaN */
	assert_true(aims__chi2_sf(5000.0, 3.0) == 0.0);
}

static void test_log_nfact(void **state)
{
	(void)state;
	/* n = 3: log(6/27) */
	assert_true(fabs(aims__log_nfact_over_npow(3.0) - log(6.0 / 27.0)) < 1e-14);
	assert_true(fabs(aims__log_nfact_over_npow(1.0)) < 1e-15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chi2_sf_matches_scipy),
		cmocka_unit_test(test_chi2_tiny_relative_accuracy),
		cmocka_unit_test(test_gamma_q_edges),
		cmocka_unit_test(test_log_nfact),
	};
	return cmocka_run_group_tests_name("eval special", tests, NULL, NULL);
}
