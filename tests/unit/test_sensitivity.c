/*
 * test_sensitivity.c: the sensitivity estimators (model/sensitivity.c) on
 * synthetic samples with known answers: a product of independent
 * lognormals (first-order indices in closed form, summing to less than
 * 1), one dominant input, additive inputs (value of information in closed
 * form), monotone figures (rank correlation exactly +1 and -1), censored
 * (null) figures, and what cannot be estimated; and the Monte Carlo's
 * per-trial inputs (fc_inputs_mc[], keep_draws) they are fed with.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cost.h"
#include "dist.h"
#include "mc.h"
#include "scenario.h"
#include "sensitivity.h"
#include "sensmc.h"
#include "testutil.h"

#define MAXIN 4

/* n trials of nin standard normal inputs, trial-major, from seed. */
static double *
normals(size_t n, size_t nin, unsigned long seed)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	double *x = malloc(n * nin * sizeof(double));
	size_t i;

	assert_non_null(g);
	assert_non_null(x);
	gsl_rng_set(g, seed);
	for (i = 0; i < n * nin; i++)
		x[i] = gsl_ran_gaussian_ziggurat(g, 1.0);
	gsl_rng_free(g);
	return x;
}

static void
run(const double *y, const double *x, size_t n, size_t nin, size_t resamples,
    struct fc_sens *s)
{
	struct fc_sens_opts o = { 0, resamples, 42 };

	assert_int_equal(fc_sensitivity_run(y, 1, x, nin, NULL, n, nin, &o, s), FC_OK);
}

static void
assert_rows_sum_to_one(const struct fc_sens *s)
{
	double sum = s->rest;
	size_t k;

	for (k = 0; k < s->ninputs; k++)
		sum += s->rows[k].share;
	assert_true(fabs(sum - 1) < 1e-12);
}

/*
 * Y = X1 X2 X3, Xi lognormal with log-sd sigma_i, independent:
 * S_i = (exp(sigma_i^2) - 1) / (exp(sum sigma^2) - 1), and the shares sum
 * to less than 1 (the rest is the interaction of the three).
 */
static void
test_lognormal_product(void **state)
{
	static const double sg[3] = { 0.5, 0.3, 0.2 };
	size_t n = 100000, nin = 3, i, k;
	double *x = normals(n, nin, 7), *y = malloc(n * sizeof(double));
	double sum2 = 0, want_sum = 0;
	struct fc_sens s;

	(void)state;
	assert_non_null(y);
	for (k = 0; k < nin; k++)
		sum2 += sg[k] * sg[k];
	for (i = 0; i < n; i++) {
		double ly = 0;
		for (k = 0; k < nin; k++) {
			ly += sg[k] * x[i * nin + k];
			x[i * nin + k] = exp(sg[k] * x[i * nin + k]);
		}
		y[i] = exp(ly);
	}
	run(y, x, n, nin, 100, &s);
	for (k = 0; k < nin; k++) {
		double want = expm1(sg[k] * sg[k]) / expm1(sum2);
		want_sum += want;
		print_message("lognormal product: S%zu = %.4f +- %.4f, analytic %.4f\n",
		    k + 1, s.rows[k].share, s.rows[k].share_se, want);
		assert_true(s.rows[k].share_se > 0 && s.rows[k].share_se < 0.02);
		/* within 3 standard errors, plus the binning's own small bias */
		assert_true(fabs(s.rows[k].share - want) < 3 * s.rows[k].share_se + 0.01);
		assert_true(s.rows[k].rank_corr > 0);
	}
	assert_true(want_sum < 0.95);
	assert_true(fabs(s.rest - (1 - want_sum)) < 0.03);
	assert_true(s.rest > 0);
	assert_rows_sum_to_one(&s);
	/* sorted by share: X1, X2, X3 */
	assert_int_equal(s.order[0], 0);
	assert_int_equal(s.order[1], 1);
	assert_int_equal(s.order[2], 2);
	assert_int_equal(s.best, 0);
	assert_int_equal(s.nnull, 0);
	assert_false(s.on_ranks);
	assert_int_equal(s.bins, 100);
	fc_sensitivity_free(&s);
	free(x);
	free(y);
}

/* Y = 10 X1 + 0.5 X2 + 0.5 X3 + noise: X1 has nearly all the variance,
 * analytically 100 / (100 + 0.25 + 0.25 + 1) = 0.985. */
static void
test_one_dominant(void **state)
{
	size_t n = 10000, nin = 4, i, k;
	double *x = normals(n, nin, 11), *y = malloc(n * sizeof(double));
	struct fc_sens s;

	(void)state;
	assert_non_null(y);
	/* the fourth column is the noise, not given as an input */
	for (i = 0; i < n; i++)
		y[i] = 10 * x[i * nin] + 0.5 * x[i * nin + 1] + 0.5 * x[i * nin + 2] +
		    x[i * nin + 3];
	{
		struct fc_sens_opts o = { 0, 200, 42 };
		assert_int_equal(fc_sensitivity_run(y, 1, x, nin, NULL, n, 3, &o, &s), FC_OK);
	}
	print_message("dominant: S1 %.4f +- %.4f, S2 %.4f, S3 %.4f, rest %.4f\n",
	    s.rows[0].share, s.rows[0].share_se, s.rows[1].share, s.rows[2].share, s.rest);
	assert_true(fabs(s.rows[0].share - 100 / 101.5) < 0.01);
	for (k = 1; k < 3; k++)
		assert_true(s.rows[k].share < 0.01);
	assert_int_equal(s.order[0], 0);
	assert_int_equal(s.best, 0);
	assert_rows_sum_to_one(&s);
	/* the tornado: Y's median where X1 is near its P10 and P90 is about
	 * 10 x the normal's P10 and P90 (+-12.8) */
	assert_true(fabs(s.rows[0].low + 12.8155) < 0.5);
	assert_true(fabs(s.rows[0].high - 12.8155) < 0.5);
	assert_true(fabs(s.rows[0].x_p10 + 1.2816) < 0.05);
	assert_true(fabs(s.rows[0].x_p90 - 1.2816) < 0.05);
	assert_true(s.rows[0].rank_corr > 0.98);
	/* the same bytes from the same samples */
	{
		struct fc_sens t;
		struct fc_sens_opts o = { 0, 200, 42 };
		assert_int_equal(fc_sensitivity_run(y, 1, x, nin, NULL, n, 3, &o, &t), FC_OK);
		assert_memory_equal(s.rows, t.rows, 3 * sizeof(*s.rows));
		assert_true(s.rest_se == t.rest_se);
		fc_sensitivity_free(&t);
	}
	fc_sensitivity_free(&s);
	free(x);
	free(y);
}

/* Y = X1 + X2, standard normals: today's P5-P95 width is 2 z95 sqrt(2);
 * knowing X1 leaves X2's, 2 z95: the width shrinks by 1 / sqrt(2).  Each
 * share is 1/2, the rest 0 (no interaction). */
static void
test_value_of_information(void **state)
{
	size_t n = 40000, nin = 2, i;
	double *x = normals(n, nin, 3), *y = malloc(n * sizeof(double));
	double z95 = gsl_cdf_ugaussian_Pinv(0.95);
	struct fc_sens s;

	(void)state;
	assert_non_null(y);
	for (i = 0; i < n; i++)
		y[i] = x[i * nin] + x[i * nin + 1];
	run(y, x, n, nin, 50, &s);
	print_message("voi: width %.4f (want %.4f), known X1 %.4f, X2 %.4f (want %.4f)\n",
	    s.width, 2 * z95 * sqrt(2), s.rows[0].width_known, s.rows[1].width_known, 2 * z95);
	assert_true(fabs(s.width / (2 * z95 * sqrt(2)) - 1) < 0.03);
	assert_true(fabs(s.rows[0].width_known / (2 * z95) - 1) < 0.05);
	assert_true(fabs(s.rows[1].width_known / (2 * z95) - 1) < 0.05);
	assert_true(fabs(s.rows[0].share - 0.5) < 0.03);
	assert_true(fabs(s.rows[1].share - 0.5) < 0.03);
	assert_true(fabs(s.rest) < 0.03);
	assert_int_equal(s.voi_bins, 80);
	fc_sensitivity_free(&s);
	free(x);
	free(y);
}

/* Monotone in X1 alone: Spearman is exactly 1 (increasing) or -1. */
static void
test_rank_correlation(void **state)
{
	size_t n = 500, nin = 2, i;
	double *x = normals(n, nin, 5), *y = malloc(n * sizeof(double));
	struct fc_sens s;

	(void)state;
	assert_non_null(y);
	for (i = 0; i < n; i++)
		y[i] = pow(x[i * nin], 3);
	run(y, x, n, nin, 0, &s);
	assert_true(fabs(s.rows[0].rank_corr - 1) < 1e-12);
	assert_true(isnan(s.rows[0].share_se));
	assert_true(isnan(s.rest_se));
	fc_sensitivity_free(&s);
	for (i = 0; i < n; i++)
		y[i] = -exp(x[i * nin]);
	run(y, x, n, nin, 0, &s);
	assert_true(fabs(s.rows[0].rank_corr + 1) < 1e-12);
	/* low (X1 near its P10) is above high for a decreasing figure */
	assert_true(s.rows[0].low > s.rows[0].high);
	fc_sensitivity_free(&s);
	free(x);
	free(y);
}

/*
 * Censored figures: Y null (never reached) where X1 > 1, else 2 + X2 / 10.
 * On ranks scaled to [0, 1] (U), nulls tied above every value: with
 * p = Phi(1) of trials not null, U is uniform on (0, p) by X2 there and
 * (1 + p) / 2 in the nulls, so
 *   Var E[U|X1] = p (1 - p) / 4,  Var E[U|X2] = p^4 / 12,
 *   Var U = p^3 / 12 + p (1 - p) / 4,
 * and the shares are their ratios (0.405 and 0.500; the rest 0.095).
 */
static void
test_nulls(void **state)
{
	size_t n = 20000, nin = 2, i, nnull = 0;
	double *x = normals(n, nin, 9), *y = malloc(n * sizeof(double));
	double p = gsl_cdf_ugaussian_P(1), var = p * p * p / 12 + p * (1 - p) / 4;
	struct fc_sens s;

	(void)state;
	assert_non_null(y);
	for (i = 0; i < n; i++) {
		y[i] = x[i * nin] > 1 ? NAN : 2 + x[i * nin + 1] / 10;
		nnull += isnan(y[i]) != 0;
	}
	run(y, x, n, nin, 50, &s);
	print_message("nulls: %zu, S1 %.4f (want %.4f), S2 %.4f (want %.4f), rest %.4f\n",
	    s.nnull, s.rows[0].share, p * (1 - p) / 4 / var, s.rows[1].share,
	    pow(p, 4) / 12 / var, s.rest);
	assert_int_equal(s.nnull, nnull);
	assert_true(s.on_ranks);
	assert_true(fabs(s.rows[0].share - p * (1 - p) / 4 / var) < 0.02);
	assert_true(fabs(s.rows[1].share - pow(p, 4) / 12 / var) < 0.02);
	assert_true(s.rows[0].rank_corr > 0.3);
	assert_rows_sum_to_one(&s);
	/* X1 near its P90 (about 1.28): every trial there is null */
	assert_true(isnan(s.rows[0].high));
	assert_true(fabs(s.rows[0].low - 2) < 0.02);
	assert_true(isfinite(s.median));
	assert_true(isnan(s.p95));
	/* widths on ranks: at most 1 */
	assert_true(s.width > 0 && s.width <= 1);
	fc_sensitivity_free(&s);
	free(x);
	free(y);
}

/* What cannot be estimated: too few trials, all null, no variance. */
static void
test_domain(void **state)
{
	double x[40], y[40];
	struct fc_sens_opts o = { 0, 10, 1 };
	struct fc_sens s;
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++) {
		x[i] = (double)i;
		y[i] = 5;
	}
	assert_int_equal(fc_sensitivity_run(y, 1, x, 1, NULL, 40, 1, &o, &s), FC_EDOM);
	for (i = 0; i < 40; i++)
		y[i] = NAN;
	assert_int_equal(fc_sensitivity_run(y, 1, x, 1, NULL, 40, 1, &o, &s), FC_EDOM);
	for (i = 0; i < 40; i++)
		y[i] = (double)(i % 7);
	assert_int_equal(fc_sensitivity_run(y, 1, x, 1, NULL, 19, 1, &o, &s), FC_EDOM);
	assert_int_equal(fc_sensitivity_run(y, 1, x, 1, NULL, 40, 1, &o, &s), FC_OK);
	assert_rows_sum_to_one(&s);
	fc_sensitivity_free(&s);
	/* no inputs: the rest is everything */
	assert_int_equal(fc_sensitivity_run(y, 1, x, 1, NULL, 40, 0, &o, &s), FC_OK);
	assert_true(s.rest == 1);
	assert_int_equal(s.best, 0);
	fc_sensitivity_free(&s);
	fc_sensitivity_free(NULL);
}

/* An input with one value in every trial explains nothing. */
static void
test_constant_input(void **state)
{
	size_t n = 2000, nin = 2, i;
	double *x = normals(n, nin, 13), *y = malloc(n * sizeof(double));
	size_t cols[2] = { 1, 0 };
	struct fc_sens s;
	struct fc_sens_opts o = { 0, 20, 42 };

	(void)state;
	assert_non_null(y);
	for (i = 0; i < n; i++) {
		y[i] = x[i * nin + 1];
		x[i * nin] = 3;
	}
	/* cols: input 0 is column 1, input 1 column 0 */
	assert_int_equal(fc_sensitivity_run(y, 1, x, nin, cols, n, 2, &o, &s), FC_OK);
	assert_true(s.rows[0].share > 0.95);
	assert_true(s.rows[1].share < 0.02);
	assert_true(s.rows[1].rank_corr == 0);
	assert_true(s.rows[1].x_p10 == 3 && s.rows[1].x_p90 == 3);
	fc_sensitivity_free(&s);
	free(x);
	free(y);
}

/* fc_inputs_mc[] lists every number of struct fc_inputs (the doubles
 * from users up to the flag fast) once, by a key the scenario has. */
static void
test_mc_inputs_table(void **state)
{
	const char *const *paths = fc_scenario_paths();
	size_t k, j, ndouble = (offsetof(struct fc_inputs, fast) -
	    offsetof(struct fc_inputs, users)) / sizeof(double);

	(void)state;
	assert_int_equal(fc_inputs_mc_n, ndouble);
	for (k = 0; k < fc_inputs_mc_n; k++) {
		int found = 0;
		assert_true(fc_inputs_mc[k].off >= offsetof(struct fc_inputs, users));
		assert_true(fc_inputs_mc[k].off < offsetof(struct fc_inputs, fast));
		for (j = 0; j < k; j++)
			assert_true(fc_inputs_mc[j].off != fc_inputs_mc[k].off);
		/* api.route[N].share: a tier's share under the key api.route;
		 * flat.hardware.monthly_price: a number of the hardware entry
		 * (inline or a profile) under the key flat.hardware */
		for (j = 0; paths[j]; j++)
			found |= strcmp(paths[j], fc_inputs_mc[k].key) == 0 ||
			    (strncmp(fc_inputs_mc[k].key, "api.route[", 10) == 0 &&
			    strcmp(paths[j], "api.route") == 0) ||
			    (strncmp(fc_inputs_mc[k].key, "flat.hardware.", 14) == 0 &&
			    strcmp(paths[j], "flat.hardware") == 0);
		if (!found)
			fail_msg("%s is no scenario key", fc_inputs_mc[k].key);
		assert_non_null(fc_inputs_mc[k].unit);
	}
	assert_null(fc_inputs_mc_num(NULL, fc_inputs_mc_n, 1));
}

/*
 * keep_draws: each trial's inputs, the same for any thread count; the
 * uncertain ones vary around their scenario means, the others are
 * constant; nothing kept without it.
 */
static void
test_mc_draws(void **state)
{
	static const char *const sets[] = {
		"workload.input_tokens={dist: uniform, min: 800, max: 1200}",
		"days_per_month=30",
	};
	struct fc_scenario *s = load_scenario("scenarios/content-optimizer.yaml", sets, 2);
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r1, r3, r0;
	size_t k, nunc = 0;
	long i;

	(void)state;
	o.trials = 2000;
	o.seed = 5;
	o.month = 1;
	o.users = NAN;
	o.threads = 1;
	o.keep_draws = 1;
	assert_int_equal(fc_mc_run(s, &o, &r1), FC_OK);
	o.threads = 3;
	assert_int_equal(fc_mc_run(s, &o, &r3), FC_OK);
	assert_non_null(r1.draws);
	assert_non_null(r1.breakeven_samples);
	assert_memory_equal(r1.draws, r3.draws, (size_t)o.trials * fc_inputs_mc_n * sizeof(double));
	assert_memory_equal(r1.breakeven_samples, r3.breakeven_samples,
	    (size_t)r1.breakeven_trials * sizeof(double));
	for (k = 0; k < fc_inputs_mc_n; k++) {
		double lo = INFINITY, hi = -INFINITY, sum = 0;
		const struct fc_num *x = fc_inputs_mc_num(s, k, 1);
		for (i = 0; i < o.trials; i++) {
			double v = r1.draws[(size_t)i * fc_inputs_mc_n + k];
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			sum += v;
		}
		/* api.route's tiers: a row each, NULL past the scenario's route */
		if (x == NULL && strcmp(fc_inputs_mc[k].key, "flat.hardware") == 0) {
			/* the server's speed: 1 without a measured spread */
			assert_false(fc_mc_input_uncertain(s, &o, k));
			assert_true(hi == 1 && lo == 1);
			continue;
		}
		if (x == NULL) {
			assert_true(strncmp(fc_inputs_mc[k].key, "api.route[", 10) == 0);
			assert_true(hi == 0 && lo == 0);
			continue;
		}
		if (fc_mc_input_uncertain(s, &o, k)) {
			nunc++;
			assert_true(hi > lo);
			if (fabs(sum / (double)o.trials / fc_num_mean(x) - 1) > 0.05)
				fail_msg("%s: mean of the draws %g, of the scenario %g",
				    fc_inputs_mc[k].key, sum / (double)o.trials, fc_num_mean(x));
		} else {
			assert_true(hi == lo);
		}
	}
	/* rpud, top10_share, input_tokens, output_tokens, fallback share */
	assert_int_equal(nunc, 5);
	/* users given: not uncertain, whatever the scenario says */
	o.users = 100;
	assert_false(fc_mc_input_uncertain(s, &o, 0));
	o.keep_draws = 0;
	assert_int_equal(fc_mc_run(s, &o, &r0), FC_OK);
	assert_null(r0.draws);
	assert_null(r0.breakeven_samples);
	fc_mc_result_free(&r0);
	fc_mc_result_free(&r1);
	fc_mc_result_free(&r3);
	fc_scenario_free(s);
}

/* fc_sensmc_run (sensmc.h): the figure's samples by kind, the inputs that
 * vary, and why no estimates came, without sentinels. */
static void
test_sens_mc(void **state)
{
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/honest.yaml", NULL, 0);
	static const char *const fixed[] = { "user_growth_per_month=0.1",
	    "workload.requests_per_user_per_day=30", "flat.one_time=12000",
	    "flat.fallback.share=0.05" };
	struct fc_scenario *c = load_scenario("tests/cli/fixtures/honest.yaml", fixed, 4);
	struct fc_sens_opts so = { 0, 0, 1 };
	struct fc_mc_opts o = { 0 };
	struct fc_sens_mc m;
	enum fc_sens_mc_why why;
	size_t k;

	(void)state;
	o.trials = 300;
	o.seed = 5;
	o.threads = 2;
	o.month = 1;
	o.users = NAN;
	o.months = 36;
	assert_true(fc_sensmc_known("payback_month") && fc_sensmc_known("breakeven_users") &&
	    fc_sensmc_known("api.monthly_cost") && !fc_sensmc_known("payback"));
	assert_int_equal(fc_sensmc_run(s, &o, "payback_month", &so, &m, &why), FC_OK);
	assert_int_equal(m.f.kind, FC_SENS_PAYBACK);
	assert_int_equal(m.f.n, 300);
	assert_ptr_equal(m.f.y, m.r.months->payback_samples);
	/* the fixture's four uncertain inputs, in fc_inputs_mc[] order */
	assert_int_equal(m.ncols, 4);
	for (k = 0; k < m.ncols; k++)
		assert_true(fc_mc_input_uncertain(s, &o, m.cols[k]));
	fc_sensmc_free(&m);
	assert_int_equal(fc_sensmc_run(s, &o, "breakeven_users", &so, &m, &why), FC_OK);
	assert_int_equal(m.f.kind, FC_SENS_BREAKEVEN);
	assert_int_equal(m.f.n, 300);   /* every trial */
	fc_sensmc_free(&m);
	assert_int_equal(fc_sensmc_run(s, &o, "api.monthly_cost", &so, &m, &why), FC_OK);
	assert_int_equal(m.f.kind, FC_SENS_FIGURE);
	assert_int_equal(m.f.fig, fc_figure_index("api.monthly_cost"));
	assert_int_equal(m.f.stride, fc_nfigures);
	fc_sensmc_free(&m);
	assert_int_equal(fc_sensmc_run(s, &o, "payback", &so, &m, &why), FC_EINVAL);
	fc_sensmc_free(&m);
	o.months = 0;
	assert_int_equal(fc_sensmc_run(s, &o, "payback_month", &so, &m, &why), FC_EINVAL);
	fc_sensmc_free(&m);
	assert_int_equal(fc_sensmc_run(c, &o, "api.monthly_cost", &so, &m, &why), FC_EDOM);
	assert_int_equal(why, FC_SENS_MC_NO_INPUT);
	fc_sensmc_free(&m);
	o.trials = 10;
	assert_int_equal(fc_sensmc_run(s, &o, "api.monthly_cost", &so, &m, &why), FC_EDOM);
	assert_int_equal(why, FC_SENS_MC_FEW_TRIALS);
	fc_sensmc_free(&m);
	fc_scenario_free(s);
	fc_scenario_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lognormal_product),
		cmocka_unit_test(test_one_dominant),
		cmocka_unit_test(test_value_of_information),
		cmocka_unit_test(test_rank_correlation),
		cmocka_unit_test(test_nulls),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_constant_input),
		cmocka_unit_test(test_mc_inputs_table),
		cmocka_unit_test(test_mc_draws),
		cmocka_unit_test(test_sens_mc),
	};

	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
