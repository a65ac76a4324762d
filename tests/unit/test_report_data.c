/*
 * test_report_data.c: model/report_data.c gathers the numbers of the
 * commands it stands for (simulate, simulate --months, sweep's points,
 * trial for trial the same runs), reads the decision by its stated rules
 * (now, later from a month, not) and says where each input comes from.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "report_data.h"
#include "testutil.h"

#define SC "scenarios/content-optimizer.yaml"

static void
opts(struct fc_report_opts *o, int threads)
{
	memset(o, 0, sizeof(*o));
	o->mc.trials = 200;
	o->mc.seed = 42;
	o->mc.threads = threads;
	o->mc.month = 1;
	o->mc.users = NAN;
	o->months = 12;
	o->users_from = 10;
	o->users_to = 1000;
	o->users_steps = 5;
}

/* sweep.bats' table of --users 10:1000:5 has 10, 32, 100, 316, 1,000;
 * rounded duplicates are kept once. */
static void
test_user_points(void **state)
{
	double x[FC_REPORT_MAX_POINTS];
	const double want[] = { 10, 32, 100, 316, 1000 };
	size_t i, n;

	(void)state;
	n = fc_report_data_user_points(10, 1000, 5, x);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		assert_true(x[i] == want[i]);
	n = fc_report_data_user_points(1, 5, 10, x);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		assert_true(x[i] == (double)(i + 1));
}

static int
stat_eq(const struct fc_stat *a, const struct fc_stat *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Each part equals fc_mc_run with the options of the command it stands
 * for, bit for bit, and the decision is now, driven by the requests. */
static void
test_equals_commands(void **state)
{
	struct fc_scenario *s = load_scenario(SC, NULL, 0);
	struct fc_report_opts o;
	struct fc_report_data d, d3;
	struct fc_mc_result r;
	struct fc_mc_opts m;
	long k, ka = fc_figure_index("api.monthly_cost");
	size_t i;

	(void)state;
	opts(&o, 1);
	assert_int_equal(fc_report_data_gather(s, &o, &d), FC_OK);
	/* simulate */
	m = o.mc;
	assert_int_equal(fc_mc_run(s, &m, &r), FC_OK);
	for (k = 0; k < (long)fc_nfigures; k++)
		assert_true(stat_eq(&d.now.stats[k], &r.stats[k]));
	assert_true(d.now.p_flat_cheaper == r.p_flat_cheaper);
	assert_true(d.now.breakeven.lasting == r.breakeven.lasting);
	fc_mc_result_free(&r);
	/* simulate --months 12 */
	m.months = 12;
	assert_int_equal(fc_mc_run(s, &m, &r), FC_OK);
	assert_true(d.timeline.months->p_payback == r.months->p_payback);
	assert_true(stat_eq(&d.timeline.months->stat[11][FC_MF_CUMULATIVE],
	    &r.months->stat[11][FC_MF_CUMULATIVE]));
	fc_mc_result_free(&r);
	/* sweep --users 10:1000:5: every point, the users set */
	assert_int_equal(d.npoints, 5);
	for (i = 0; i < d.npoints; i++) {
		m.months = 0;
		m.users = d.x[i];
		assert_int_equal(fc_mc_run(s, &m, &r), FC_OK);
		assert_true(stat_eq(&d.pts[i].stats[ka], &r.stats[ka]));
		fc_mc_result_free(&r);
	}
	/* the decision */
	assert_int_equal(d.verdict, FC_RV_NOW);
	assert_true(d.probability == d.timeline.months->p_payback);
	assert_true(d.have_sens);
	assert_string_equal(fc_inputs_mc[d.driver].key, "workload.requests_per_user_per_day");
	assert_true(d.driver_share > 0.3 && d.driver_share <= 1);
	/* the thread count changes nothing */
	opts(&o, 3);
	assert_int_equal(fc_report_data_gather(s, &o, &d3), FC_OK);
	assert_true(stat_eq(&d.pts[4].stats[ka], &d3.pts[4].stats[ka]));
	assert_true(d.sens.rows[0].share == d3.sens.rows[0].share);
	assert_true(d.probability == d3.probability);
	fc_report_data_free(&d3);
	fc_report_data_free(&d);
	fc_scenario_free(s);
}

/* No fleet meets a 2 s objective: not, with 1 - P(payback). */
static void
test_not_viable(void **state)
{
	const char *sets[] = { "flat.slo.p95_latency_s=2" };
	struct fc_scenario *s = load_scenario(SC, sets, 1);
	struct fc_report_opts o;
	struct fc_report_data d;

	(void)state;
	opts(&o, 1);
	assert_int_equal(fc_report_data_gather(s, &o, &d), FC_OK);
	assert_false(d.now.breakeven.viability.viable);
	assert_int_equal(d.verdict, FC_RV_NOT);
	assert_true(d.probability == 1 - d.timeline.months->p_payback);
	fc_report_data_free(&d);
	fc_scenario_free(s);
}

/* Ten users growing 30% a month: flat costs more at first and saves once
 * the users pass the breakeven: later, from the first month whose median
 * saving is positive. */
static void
test_later(void **state)
{
	const char *sets[] = { "users=10", "user_growth_per_month=0.3" };
	struct fc_scenario *s = load_scenario(SC, sets, 2);
	struct fc_report_opts o;
	struct fc_report_data d;
	const struct fc_months *m;

	(void)state;
	opts(&o, 1);
	o.months = 36;
	assert_int_equal(fc_report_data_gather(s, &o, &d), FC_OK);
	m = d.timeline.months;
	assert_int_equal(d.verdict, FC_RV_LATER);
	assert_true(d.now.p_flat_cheaper < 0.5);
	assert_true(m->p_payback >= 0.5);
	assert_true(d.later_month > 1);
	assert_true(m->stat[d.later_month - 1][FC_MF_SAVINGS].p50 > 0);
	assert_true(m->stat[d.later_month - 2][FC_MF_SAVINGS].p50 <= 0);
	assert_true(d.later_users == m->stat[d.later_month - 1][FC_MF_USERS].p50);
	fc_report_data_free(&d);
	fc_scenario_free(s);
}

static void
test_origin_and_refusals(void **state)
{
	const char *sets[] = { "revenue_per_user=25" };
	struct fc_scenario *s = load_scenario(SC, sets, 1);
	struct fc_report_opts o;
	struct fc_report_data d;
	char from[64];
	int line;

	(void)state;
	assert_int_equal(fc_report_data_origin(s, "users", &line), FC_RO_FILE);
	assert_int_equal(line, 7);
	assert_int_equal(fc_report_data_origin(s, "workload.output_tokens", &line), FC_RO_FILE);
	assert_int_equal(line, 16);
	assert_int_equal(fc_report_data_origin(s, "revenue_per_user", &line), FC_RO_SET);
	assert_int_equal(fc_report_data_origin(s, "user_growth_per_month", &line), FC_RO_DEFAULT);
	assert_int_equal(line, 0);
	assert_int_equal(fc_report_data_calibrated(s, from, sizeof(from)), 0);
	opts(&o, 1);
	o.mc.deterministic = 1;
	assert_int_equal(fc_report_data_gather(s, &o, &d), FC_EDOM);
	fc_report_data_free(&d);
	opts(&o, 1);
	o.users_from = 100;
	o.users_to = 100;
	assert_int_equal(fc_report_data_gather(s, &o, &d), FC_EDOM);
	fc_report_data_free(&d);
	fc_scenario_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_points),
		cmocka_unit_test(test_equals_commands),
		cmocka_unit_test(test_not_viable),
		cmocka_unit_test(test_later),
		cmocka_unit_test(test_origin_and_refusals),
	};
	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
