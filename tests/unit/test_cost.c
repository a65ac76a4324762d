/*
 * test_cost.c: every cost formula against hand arithmetic, to the cent,
 * and the fleet size of a constructed case whose answer is worked out by
 * hand (its breakeven is tested in test_breakeven.c).
 *
 * The scenario (HAND below) is written to a temporary file and loaded with
 * the bundled catalog from data/ (run from the repository root).  Its
 * prices and hardware are inline so that data/ updates do not move the
 * answers: the API at $2.50 / $1.25 cached / $10.00 per Mtok, batch 50% off;
 * a server at $750/month that prefills 1,000 tok/s and decodes 125 tok/s
 * (measured, one call at a time), so a call of 1,000 in + 500 out takes
 * 1 + 4 = 5 s and a server serves 0.2 calls/s.
 *
 * The fleet is an M/G/c queue (fleet.c).  Here every call is the same
 * length (input_cv = output_cv = 0) and the SLO (1 hour) leaves a wait
 * budget of 3,595 s against 5 s calls, so the wait tail is nil and only the
 * target utilization binds: servers = ceil(peak / (0.2 x 0.48)) with the
 * peak at twice the mean rate.  A target of 0.48 (not 0.5) keeps block
 * edges off whole user counts (1,440 x 0.2 x 0.48 = 138.24 users a server),
 * so no answer rests on a floating-point tie.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "capacity.h"
#include "cost.h"
#include "mc.h"
#include "data.h"
#include "scenario.h"
#include "cost_int.h"
#include "hand.h"


struct fixture {
	struct fc_catalog *cat;
	char path[64];
};

/* One cent. */
#define CENT 0.005

static void
assert_money(double got, double want)
{
	if (!(fabs(got - want) < CENT))
		fail_msg("got $%.6f, want $%.2f", got, want);
}

static void
assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.12g, want %.12g (tol %g)", got, want, tol);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct fc_diags d;
	FILE *f;
	int fd;

	if (fx == NULL)
		return -1;
	fc_diags_init(&d);
	if (fc_catalog_load("data", &fx->cat, &d) != FC_OK) {
		fprintf(stderr, "cannot load data/ (run from the repository root)\n");
		fc_diags_free(&d);
		free(fx);
		return -1;
	}
	fc_diags_free(&d);
	snprintf(fx->path, sizeof(fx->path), "/tmp/flatcost-test-cost-XXXXXX");
	fd = mkstemp(fx->path);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fputs(HAND, f);
	if (fclose(f) != 0)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	unlink(fx->path);
	fc_catalog_free(fx->cat);
	free(fx);
	return 0;
}

/* The hand scenario with overrides, its month-m means and throughput. */
struct hand {
	struct fc_scenario *s;
	struct fc_inputs in;
	struct fc_workload w;
	struct fc_throughput tp;
	struct fc_costs c;
};

static void
load(void **state, const char *const *sets, size_t nsets, long month,
    struct hand *h)
{
	struct fixture *fx = *state;
	struct fc_diags d;

	memset(h, 0, sizeof(*h));
	fc_diags_init(&d);
	if (fc_scenario_load(fx->path, fx->cat, sets, nsets, &h->s, &d) != FC_OK)
		fail_msg("hand scenario: %s", d.n ? d.v[0].msg : "?");
	fc_diags_free(&d);
	fc_inputs_mean(h->s, month, &h->in);
	fc_workload_mean(&h->in, &h->w);
	fc_throughput_init(&h->s->flat.hw, &h->s->flat.model, h->s->flat.quant,
	    h->s->flat.model_ref, &h->tp);
	assert_int_equal(fc_cost_eval(h->s, &h->in, &h->w, &h->tp, &h->c), FC_OK);
}

static void
unload(struct hand *h)
{
	fc_scenario_free(h->s);
	h->s = NULL;
}

static void
test_api_6750(void **state)
{
	struct hand h;

	load(state, NULL, 0, 1, &h);
	/* 1,000 users x 30 requests/day x 1 call x 30 days */
	assert_near(h.w.calls, 900000, 0);
	assert_near(h.w.input_tokens, 900000000, 0);
	assert_near(h.w.output_tokens, 450000000, 0);
	/* 1,000 x $2.50/Mtok + 500 x $10/Mtok = $0.0075 a call */
	assert_near(fc_api_cost_per_call(&h.s->api, &h.in, 1000, 500), 0.0075, 1e-15);
	assert_money(h.c.api_llm, 6750.00);
	assert_money(h.c.api_other, 0);
	assert_money(h.c.api_total, 6750.00);
	assert_money(h.c.per_user_api, 6.75);
	assert_money(h.c.revenue, 20000.00);
	assert_near(h.c.share_api, 6750.0 / 20000, 1e-12);
	unload(&h);
}

static void
test_api_cached_input(void **state)
{
	const char *sets[] = { "workload.cached_input_share=0.4" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	/* 600 x 2.50 + 400 x 1.25 + 500 x 10 = 7,000 $/Mtok-token = $0.007 */
	assert_near(fc_api_cost_per_call(&h.s->api, &h.in, 1000, 500), 0.007, 1e-15);
	assert_money(h.c.api_llm, 6300.00);
	unload(&h);
}

static void
test_api_batch_share(void **state)
{
	const char *sets[] = { "workload.batch_share=0.5" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	/* half the calls at half price: 0.0075 x (0.5 + 0.5 x 0.5) */
	assert_money(h.c.api_llm, 5062.50);
	unload(&h);
}

static void
test_api_cached_and_batch(void **state)
{
	const char *sets[] = { "workload.cached_input_share=0.4",
	    "workload.batch_share=1" };
	struct hand h;

	load(state, sets, 2, 1, &h);
	/* every call at the batch discount: 6,300 / 2 */
	assert_money(h.c.api_llm, 3150.00);
	unload(&h);
}

static void
test_chaining(void **state)
{
	const char *sets[] = { "workload.chaining=2.5" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	/* 1,000 x 30 x 2.5 x 30 = 2,250,000 calls at $0.0075 */
	assert_near(h.w.calls, 2250000, 1e-6);
	assert_money(h.c.api_llm, 16875.00);
	/* peak: 2,250,000 / (30 x 86,400 s) x 2 = 1.7361 calls/s;
	 * servers ceil(1.7361 / (0.2 x 0.48)) = ceil(18.08) = 19 */
	assert_near(h.c.peak_calls_per_s, 2250000.0 / (30 * 86400) * 2, 1e-12);
	assert_near(h.c.servers, 19, 0);
	assert_money(h.c.server_cost, 19 * 750.00);
	unload(&h);
}

static void
test_other_costs_both_sides(void **state)
{
	const char *sets[] = { "other_costs.per_user_monthly=0.02",
	    "other_costs.fixed_monthly=10" };
	struct hand h, base;

	load(state, NULL, 0, 1, &base);
	load(state, sets, 2, 1, &h);
	/* 1,000 x 0.02 + 10 = $30 on each side */
	assert_money(h.c.api_other, 30.00);
	assert_money(h.c.flat_other, 30.00);
	assert_money(h.c.api_total, 6780.00);
	assert_money(h.c.flat_total, base.c.flat_total + 30.00);
	assert_money(h.c.per_user_api, 6.78);
	/* the difference between the two is unchanged */
	assert_money(h.c.savings, base.c.savings);
	unload(&h);
	unload(&base);
}

static void
test_fleet_and_flat_total(void **state)
{
	const char *sets[] = { "flat.fixed_monthly=14.50" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	/* measured: prefill 1,000 tok/s, decode 125 tok/s with one call */
	assert_int_equal(h.tp.basis, FC_CAP_MEASURED);
	assert_near(h.c.prefill_tok_s, 1000, 1e-9);
	assert_near(h.c.slots, 1, 0);
	/* 1,000 / 1,000 + 500 / 125 = 5 s a call: 0.2 calls/s a server */
	assert_near(h.c.server_calls_per_s, 0.2, 1e-12);
	/* peak 900,000 / 2,592,000 s x 2 = 0.69444 calls/s; at 48% of 0.2 a
	 * server: ceil(7.234) = 8 servers */
	assert_near(h.c.peak_calls_per_s, 900000.0 / 2592000 * 2, 1e-12);
	assert_near(h.c.servers, 8, 0);
	assert_money(h.c.server_cost, 6000.00);
	assert_near(h.c.utilization, (900000.0 / 2592000 * 2) / (8 * 0.2), 1e-9);
	assert_money(h.c.flat_fixed, 14.50);
	/* no call waits past the SLO, and no quality fallback */
	assert_money(h.c.fallback_cost, 0);
	assert_money(h.c.flat_total, 6014.50);
	assert_money(h.c.per_user_flat, 6.0145);
	assert_money(h.c.savings, 6750.00 - 6014.50);
	assert_near(h.c.share_flat, 6014.50 / 20000, 1e-12);
	unload(&h);
}

/*
 * Another model on the same server: the 7B measurement scaled by bytes
 * (decode reads the weights once a token: 125 tok/s x 4.68 GB is 585 GB/s
 * effective) and by FLOPs (prefill costs 2N a token: 1,000 tok/s x 2 x
 * 7.62 G is 15,240 GFLOP/s effective).  The 3B at q4_k_m (2.10 GB, 3.09 G
 * parameters) then decodes 585 / 2.10 and prefills 15,240 / 6.18 tok/s.
 */
static void
test_throughput_scaled(void **state)
{
	const char *sets[] = { "flat.model=qwen2.5-3b-q4_k_m" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	assert_int_equal(h.tp.basis, FC_CAP_SCALED);
	assert_string_equal(fc_capacity_basis_name(h.tp.basis), "measured-scaled");
	assert_string_equal(h.tp.point->model, "qwen2.5-7b-q4_k_m");
	assert_near(h.tp.bw_eff_gbs, 125 * 4.68, 1e-9);
	assert_near(h.tp.compute_eff_gflops, 1000 * 2 * 7.62, 1e-9);
	assert_near(h.tp.prefill_tok_s, 1000 * 7.62 / 3.09, 1e-9);
	assert_near(h.c.prefill_tok_s, 1000 * 7.62 / 3.09, 1e-9);
	/* decode at the call's context: the weights and the KV cache are read
	 * once a token, so a little under 585 / 2.10 */
	assert_true(h.c.decode_tok_s <= 125 * 4.68 / 2.10 + 1e-9);
	assert_true(h.c.decode_tok_s > 0.9 * 125 * 4.68 / 2.10);
	unload(&h);
}

static void
test_fleet_plan_direct(void **state)
{
	struct hand h;
	struct fc_capacity cap;
	struct fc_fleet f;

	load(state, NULL, 0, 1, &h);
	memset(&cap, 0, sizeof(cap));
	cap.tp.prefill_tok_s = 1000;
	cap.agg_decode_tok_s = 125;
	cap.slo_feasible = 1;
	cap.slots = 1;
	cap.call_server_s = 5;
	cap.call_latency_s = 5;
	cap.calls_per_s = 0.2;
	/* mean 0.09 calls/s, peak 0.18: 0.9 erlangs at 48% a channel needs
	 * ceil(1.875) = 2 servers */
	assert_int_equal(fc_fleet_plan(h.s, &h.in, &cap, 0.09, &f), FC_OK);
	assert_true(f.slo_feasible);
	assert_near(f.servers, 2, 0);
	assert_near(f.utilization, 0.18 * 5 / 2, 1e-9);
	assert_near(f.overflow_share, 0, 1e-12);
	assert_money(f.peak_sized_cost, 1500.00);
	/* mean 0.1, peak 0.2: 1 erlang, ceil(2.083) = 3 servers */
	assert_int_equal(fc_fleet_plan(h.s, &h.in, &cap, 0.1, &f), FC_OK);
	assert_near(f.servers, 3, 0);
	/* no traffic: min_servers (1) */
	assert_int_equal(fc_fleet_plan(h.s, &h.in, &cap, 0, &f), FC_OK);
	assert_near(f.servers, 1, 0);
	assert_near(f.overflow_share, 0, 0);
	/* a call alone misses the SLO: everything overflows to the API */
	cap.slo_feasible = 0;
	assert_int_equal(fc_fleet_plan(h.s, &h.in, &cap, 0.5, &f), FC_OK);
	assert_near(f.servers, 0, 0);
	assert_near(f.overflow_share, 1, 0);
	unload(&h);
}

static void
test_fallback_at_api_prices(void **state)
{
	const char *sets[] = { "flat.fallback.share=0.05" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	/* fallback API: 1,000 x $0.15 + 500 x $0.60 = $0.00045 a call;
	 * 5% of 900,000 calls = 45,000 calls: $20.25 */
	assert_money(h.c.fallback_cost, 20.25);
	assert_near(h.c.fallback_share, 0.05, 0);
	assert_money(h.c.flat_total, 6000.00 + 20.25);
	unload(&h);
}

static void
test_fallback_schedule_by_month(void **state)
{
	const char *sets[] = { "flat.fallback.share=[0.2, 0.1, 0.05]" };
	struct hand h;

	load(state, sets, 1, 2, &h);
	/* month 2: 10% of 900,000 calls x $0.00045 */
	assert_money(h.c.fallback_cost, 40.50);
	unload(&h);
	load(state, sets, 1, 7, &h);
	/* after the list ends its last share holds: 5% */
	assert_money(h.c.fallback_cost, 20.25);
	unload(&h);
}

static void
test_overflow_when_slo_infeasible(void **state)
{
	const char *sets[] = { "flat.slo.p95_latency_s=4", "flat.fallback.share=0.05" };
	struct hand h;

	/* a 5 s call cannot meet a 4 s SLO: no servers, every call to the
	 * fallback API once (not twice): 900,000 x $0.00045 */
	load(state, sets, 2, 1, &h);
	assert_near(h.c.servers, 0, 0);
	assert_near(h.c.overflow_share, 1, 0);
	assert_money(h.c.fallback_cost, 405.00);
	assert_money(h.c.flat_total, 405.00);
	unload(&h);
}

static void
test_context_growth(void **state)
{
	const char *sets[] = { "workload.context_growth_per_month=200" };
	struct hand h;

	load(state, sets, 1, 1, &h);
	/* month 1: no history yet */
	assert_money(h.c.api_llm, 6750.00);
	unload(&h);
	load(state, sets, 1, 3, &h);
	/* month 3: 1,000 + 2 x 200 = 1,400 input tokens a call:
	 * 1,400 x 2.50 + 500 x 10 = $0.0085 x 900,000 */
	assert_near(h.w.input_tokens, 900000.0 * 1400, 1e-3);
	assert_money(h.c.api_llm, 7650.00);
	/* longer prompts take the servers longer: 1.4 + 4 = 5.4 s a call */
	assert_near(h.c.server_calls_per_s, 1 / 5.4, 1e-9);
	unload(&h);
}

static void
test_per_user_median_p99(void **state)
{
	const char *sets[] = { "workload.top10_share=0.5" };
	struct hand h;
	double sg = 1.2815515655446004;   /* Phi^-1(0.9) */

	load(state, sets, 1, 1, &h);
	/* mean user $6.75; lognormal intensity with mean 1 */
	assert_near(h.c.user_median_api, 6.75 * exp(-sg * sg / 2), 1e-6);
	assert_near(h.c.user_p99_api, 6.75 * exp(-sg * sg / 2 + 2.3263478740408408 * sg), 1e-6);
	unload(&h);
	/* an even spread: everyone is the mean user */
	load(state, NULL, 0, 1, &h);
	assert_money(h.c.user_median_api, 6.75);
	assert_money(h.c.user_p99_api, 6.75);
	unload(&h);
}

static void
test_top10_sigma(void **state)
{
	(void)state;
	assert_near(fc_inputs_top10_sigma(0.4), 1.0282, 1e-3);
	assert_near(fc_inputs_top10_sigma(0.5), 1.2816, 1e-3);
	assert_near(fc_inputs_top10_sigma(0.6), 1.5349, 1e-3);
	assert_near(fc_inputs_top10_sigma(0.1), 0, 1e-12);
	/* share = 1 - Phi(Phi^-1(0.9) - sigma) round-trips */
	assert_near(fc_inputs_top10_sigma(0.5), 1.2815515655446004, 1e-9);
	assert_true(fc_inputs_top10_sigma(0.7) > fc_inputs_top10_sigma(0.6));
}

static void
test_figures_table(void **state)
{
	struct hand h;
	size_t k;
	int api = 0, flat = 0;

	load(state, NULL, 0, 1, &h);
	for (k = 0; k < fc_nfigures; k++) {
		if (strcmp(fc_figures[k].key, "api.monthly_cost") == 0) {
			assert_money(fc_figure_get(&h.c, k), 6750.00);
			api = 1;
		}
		if (strcmp(fc_figures[k].key, "flat.monthly_cost") == 0) {
			assert_money(fc_figure_get(&h.c, k), h.c.flat_total);
			flat = 1;
		}
	}
	assert_true(api && flat);
	unload(&h);
}

/* api.price_changes: a change at month 3 moves exactly months 3 on, by
 * hand: $6,750 a month, then at half the prices $3,375; price_factor 0.8
 * scales every month ($5,400, then $2,700) and the fallback's price too. */
static void
test_price_change_months(void **state)
{
	const char *sets[] = {
		"api.price_changes=[{month: 3, to: {input: 1.25, output: 5}}]",
		"api.price_factor=0.8",
	};
	const double want[] = { 5400, 5400, 2700, 2700, 2700 };
	struct hand h;
	long m;

	for (m = 1; m <= 5; m++) {
		load(state, sets, 2, m, &h);
		assert_money(h.c.api_llm, want[m - 1]);
		/* the fallback API ({0.15, 0.60}) is its own price: 0.8 x $0.00045 a call */
		assert_near(fc_api_path_cost_per_call(h.s, FC_PATH_FALLBACK, &h.in, 1000, 500),
		    0.8 * 0.00045, 1e-15);
		unload(&h);
	}
	/* without flat.fallback.api the fallback follows api's path */
	{
		const char *s2[] = { "api.price_changes=[{month: 3, to: {input: 1.25, output: 5}}]" };
		struct hand g;

		load(state, s2, 1, 3, &g);
		g.s->fallback_own_path = 0;
		assert_near(fc_api_path_cost_per_call(g.s, FC_PATH_FALLBACK, &g.in, 1000, 500),
		    0.00375, 1e-15);
		unload(&g);
	}
}

/* A weighted `to` list: each trial draws one price with the weights and
 * keeps it in every month from the change on; at the means a month costs
 * the weighted mean. */
static void
test_price_change_weighted(void **state)
{
	const char *sets[] = { "api.price_changes=[{month: 2, to: [{price: {input: 1.25, "
	    "output: 5}, weight: 0.25}, {price: {input: 5, output: 20}, weight: 0.75}]}]" };
	struct fc_mc_opts o;
	struct fc_inputs in;
	struct hand h;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	long i, n = 20000, cheap = 0;

	assert_non_null(r);
	load(state, sets, 1, 2, &h);
	/* the means: 0.25 x $0.00375 + 0.75 x $0.015 a call */
	assert_near(fc_api_path_cost_per_call(h.s, FC_PATH_API, &h.in, 1000, 500),
	    0.25 * 0.00375 + 0.75 * 0.015, 1e-15);
	memset(&o, 0, sizeof(o));
	o.trials = n;
	o.seed = 7;
	o.month = 1;
	o.users = NAN;
	for (i = 0; i < n; i++) {
		double c1, c2, c9;

		fc_mc_trial_inputs(h.s, &o, i, r, &in);
		in.month = 1;
		c1 = fc_api_path_cost_per_call(h.s, FC_PATH_API, &in, 1000, 500);
		in.month = 2;
		c2 = fc_api_path_cost_per_call(h.s, FC_PATH_API, &in, 1000, 500);
		in.month = 9;
		c9 = fc_api_path_cost_per_call(h.s, FC_PATH_API, &in, 1000, 500);
		assert_near(c1, 0.0075, 1e-15);
		if (fabs(c2 - 0.00375) > 1e-15 && fabs(c2 - 0.015) > 1e-15)
			fail_msg("trial %ld: month 2 at $%.6f a call, neither price", i, c2);
		assert_true(c9 == c2);
		cheap += c2 < 0.01;
	}
	/* 0.25 of the trials; sd sqrt(0.25 x 0.75 / 20000) = 0.0031 */
	assert_near((double)cheap / (double)n, 0.25, 0.0125);
	unload(&h);
	gsl_rng_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_6750),
		cmocka_unit_test(test_api_cached_input),
		cmocka_unit_test(test_api_batch_share),
		cmocka_unit_test(test_api_cached_and_batch),
		cmocka_unit_test(test_chaining),
		cmocka_unit_test(test_other_costs_both_sides),
		cmocka_unit_test(test_fleet_and_flat_total),
		cmocka_unit_test(test_throughput_scaled),
		cmocka_unit_test(test_fleet_plan_direct),
		cmocka_unit_test(test_fallback_at_api_prices),
		cmocka_unit_test(test_fallback_schedule_by_month),
		cmocka_unit_test(test_overflow_when_slo_infeasible),
		cmocka_unit_test(test_context_growth),
		cmocka_unit_test(test_per_user_median_p99),
		cmocka_unit_test(test_figures_table),
		cmocka_unit_test(test_top10_sigma),
		cmocka_unit_test(test_price_change_months),
		cmocka_unit_test(test_price_change_weighted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
