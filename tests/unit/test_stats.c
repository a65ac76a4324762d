/* test_stats.c: stats.h, the one quantile definition. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

/* By hand: type 7 on 1..4 (h = p x 3), the ends, one value, none. */
static void
test_quantile_by_hand(void **state)
{
	const double v[] = { 1, 2, 3, 4 }, one[] = { 7 };

	(void)state;
	assert_true(fc_stats_quantile_sorted(v, 4, 0) == 1);
	assert_true(fc_stats_quantile_sorted(v, 4, 1) == 4);
	assert_true(fc_stats_quantile_sorted(v, 4, 0.5) == 2.5);
	assert_true(fabs(fc_stats_quantile_sorted(v, 4, 0.9) - 3.7) < 1e-12);
	assert_true(fc_stats_quantile_sorted(v, 4, 1.0 / 3) == 2);
	assert_true(fc_stats_quantile_sorted(one, 1, 0.95) == 7);
	assert_true(fc_stats_quantile_sorted(NULL, 0, 0.5) == 0);
}

/* The same bits as GSL's, which simulate and diff used before, on random
 * samples of every size up to 300 at the percentiles the reports print. */
static void
test_quantile_is_gsl(void **state)
{
	static const double ps[] = { 0, 0.05, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 1 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double v[300];
	size_t n, i, k;

	(void)state;
	assert_non_null(r);
	gsl_rng_set(r, 42);
	for (n = 1; n <= 300; n++) {
		for (i = 0; i < n; i++)
			v[i] = exp(3 * gsl_rng_uniform(r)) * 1e3;
		gsl_sort(v, 1, n);
		for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
			double a = fc_stats_quantile_sorted(v, n, ps[k]);
			double b = gsl_stats_quantile_from_sorted_data(v, 1, n, ps[k]);
			assert_memory_equal(&a, &b, sizeof(a));
		}
	}
	gsl_rng_free(r);
}

static void
test_cmp(void **state)
{
	double v[] = { 3, -1, 2, 2, 0 };

	(void)state;
	qsort(v, 5, sizeof(double), fc_stats_cmp_double);
	assert_true(v[0] == -1 && v[1] == 0 && v[2] == 2 && v[4] == 3);
	qsort(v, 5, sizeof(double), fc_stats_cmp_double_desc);
	assert_true(v[0] == 3 && v[1] == 2 && v[3] == 0 && v[4] == -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile_by_hand),
		cmocka_unit_test(test_quantile_is_gsl),
		cmocka_unit_test(test_cmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
