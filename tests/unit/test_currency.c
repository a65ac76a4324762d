/*
 * test_currency.c: results converted from USD (model/currency.c): the
 * money figures at the means, their statistics and samples divided by the
 * rate, every other figure left as it was, USD a no-op, the EUR rate from
 * the hardware entry or the bundled one, and the figure table's money
 * flag agreeing with its units.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "currency.h"
#include "data.h"

static void
test_money_flag(void **state)
{
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < fc_nfigures; i++) {
		assert_int_equal(fc_figures[i].money, strcmp(fc_figures[i].unit, "USD/month") == 0);
		n += (size_t)fc_figures[i].money;
	}
	assert_int_equal(fc_figures[fc_figure_index("api.monthly_cost")].money, 1);
	assert_int_equal(fc_figures[fc_figure_index("users")].money, 0);
	assert_int_equal(fc_figures[fc_figure_index("flat.servers")].money, 0);
	assert_true(n >= 10);
}

static void
test_apply(void **state)
{
	struct fc_mc_result r;
	struct fc_currency eur = { "EUR", "EUR ", 1.25, "2026-01-01", "test" };
	long ka = fc_figure_index("api.monthly_cost"), ku = fc_figure_index("users");
	long ks = fc_figure_index("flat.servers");
	size_t i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.det.api_total = 125;
	r.det.users = 1000;
	r.det.servers = 3;
	r.stats[ka].mean = 250;
	r.stats[ka].sd = 25;
	r.stats[ka].p5 = 12.5;
	r.stats[ka].p50 = 250;
	r.stats[ka].p95 = 500;
	r.stats[ka].p99 = 625;
	r.stats[ku].p50 = 1000;
	r.trials = 2;
	r.samples = calloc(2 * fc_nfigures, sizeof(double));
	assert_non_null(r.samples);
	for (i = 0; i < 2 * fc_nfigures; i++)
		r.samples[i] = 10;
	/* USD: nothing changes */
	fc_currency_apply(&fc_currency_usd, &r);
	assert_true(r.det.api_total == 125 && r.stats[ka].p50 == 250);
	fc_currency_apply(&eur, &r);
	assert_true(r.det.api_total == 100);
	assert_true(r.stats[ka].mean == 200 && r.stats[ka].sd == 20 && r.stats[ka].p5 == 10);
	assert_true(r.stats[ka].p50 == 200 && r.stats[ka].p95 == 400 && r.stats[ka].p99 == 500);
	/* users and servers are not money */
	assert_true(r.det.users == 1000 && r.det.servers == 3 && r.stats[ku].p50 == 1000);
	for (i = 0; i < 2; i++) {
		assert_true(r.samples[i * fc_nfigures + (size_t)ka] == 8);
		assert_true(r.samples[i * fc_nfigures + (size_t)ku] == 10);
		assert_true(r.samples[i * fc_nfigures + (size_t)ks] == 10);
	}
	free(r.samples);
}

static void
test_eur_rate(void **state)
{
	struct fc_scenario s;
	struct fc_currency c;
	char from[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	fc_currency_eur(&s, from, sizeof(from), &c);
	assert_string_equal(c.code, "EUR");
	assert_true(c.usd_per_unit == FC_USD_PER_EUR);
	assert_string_equal(c.rate_as_of, FC_USD_PER_EUR_AS_OF);
	assert_string_equal(c.rate_from, "the bundled Hetzner prices' rate");
	s.flat.hw.id = (char *)"hetzner/x";
	s.flat.hw.usd_per_eur = 1.08;
	s.flat.hw.usd_per_eur_as_of = (char *)"2025-05-01";
	fc_currency_eur(&s, from, sizeof(from), &c);
	assert_true(c.usd_per_unit == 1.08);
	assert_string_equal(c.rate_as_of, "2025-05-01");
	assert_string_equal(c.rate_from, "the rate of hetzner/x");
	assert_ptr_equal(c.rate_from, from);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_flag),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_eur_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
