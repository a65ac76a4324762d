/*
 * test_fleet.c: the analytic fleet sizing (M/G/c, Allen-Cunneen) against
 * the discrete-event simulation of the same fleet, across a grid of loads,
 * and the autoscaled cost against its definition.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cost.h"
#include "data.h"
#include "fleet.h"
#include "mc.h"
#include "scenario.h"
#include "testutil.h"

static void
grid(const char *path, const char *const *sets, size_t nsets)
{
	static const double scale[] = { 0.3, 1, 3 };
	struct fc_scenario *s = load_scenario(path, sets, nsets);
	struct fc_throughput tp;
	size_t i;

	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
	    s->flat.model_ref, &tp);
	for (i = 0; i < sizeof(scale) / sizeof(scale[0]); i++) {
		struct fc_inputs in;
		struct fc_des_report r;

		fc_inputs_mean(s, 1, &in);
		in.users *= scale[i];
		assert_int_equal(fc_fleet_des_report(s, &in, &tp, 5, &r), FC_OK);
		assert_true(r.plan.slo_feasible);
		if (fabs(r.plan.servers - r.des_min_servers) > 1)
			fail_msg("%s x%g users: analytic %g servers, DES %g", path,
			    scale[i], r.plan.servers, r.des_min_servers);
		/* the planned fleet's simulated day overflows little */
		assert_true(r.day.overflow_share <= 0.05);
		assert_true(r.day.served + r.day.overflow == r.day.calls);
	}
	fc_scenario_free(s);
}

static void
test_analytic_matches_des(void **state)
{
	static const char *const tight[] = { "flat.slo.p95_latency_s=30" };

	(void)state;
	grid("scenarios/content-optimizer.yaml", NULL, 0);
	grid("scenarios/classifier-api.yaml", NULL, 0);
	grid("scenarios/support-chatbot.yaml", NULL, 0);
	grid("scenarios/content-optimizer.yaml", tight, 1);
}

/*
 * A fixed fleet of 10 one-slot servers on a flat day, from 0.6 to 2.3
 * times its capacity: the flat total never falls as users rise (calls
 * that would wait past the budget go to the API, a share that rises with
 * the load, through full load without a switch of formula), and the
 * analytic overflow share is within 0.5 percentage points or 20% of the
 * simulated day's.
 */
static void
test_fixed_fleet_saturated(void **state)
{
	static const char *const sets[] = { "flat.fixed_servers=10", "flat.slots=1",
	    "workload.peak_to_mean=1" };
	struct fc_scenario *s = load_scenario("scenarios/content-optimizer.yaml", sets, 3);
	struct fc_throughput tp;
	double users, prev = 0;
	int checked = 0;

	(void)state;
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
	    s->flat.model_ref, &tp);
	for (users = 650; users <= 2500; users += 5) {
		struct fc_inputs in;
		struct fc_workload w;
		struct fc_costs c;

		fc_inputs_mean(s, 1, &in);
		in.users = users;
		fc_workload_mean(&in, &w);
		assert_int_equal(fc_cost_eval(s, &in, &w, &tp, &c), FC_OK);
		if (c.flat_total < prev)
			fail_msg("%g users: flat total %.2f after %.2f", users, c.flat_total, prev);
		prev = c.flat_total;
		if (fmod(users, 250) == 0) {
			struct fc_des_report r;
			double got, want;

			assert_int_equal(fc_fleet_des_report(s, &in, &tp, 3, &r), FC_OK);
			got = r.day.overflow_share;
			want = r.plan.overflow_share;
			if (!(fabs(got - want) <= 0.005 || fabs(got - want) <= 0.2 * got))
				fail_msg("%g users (load %.2f): analytic %.4f, DES %.4f",
				    users, r.plan.utilization, want, got);
			checked++;
		}
	}
	assert_true(checked >= 7);
	fc_scenario_free(s);
}

/* The flat side's costs at the scenario's means with extra --set's. */
static void
costs_with(const char *const *sets, size_t n, struct fc_costs *c)
{
	struct fc_scenario *s = load_scenario("scenarios/content-optimizer.yaml", sets, n);
	struct fc_throughput tp;
	struct fc_inputs in;
	struct fc_workload w;

	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
	    s->flat.model_ref, &tp);
	fc_inputs_mean(s, 1, &in);
	fc_workload_mean(&in, &w);
	assert_int_equal(fc_cost_eval(s, &in, &w, &tp, c), FC_OK);
	fc_scenario_free(s);
}

/*
 * Time to first token = the wait + the prefill of the call's input.  A
 * TTFT SLO sizes the fleet as the call SLO does: one-slot servers queue,
 * and a tighter TTFT bound buys servers until the peak hour's TTFT P95
 * meets it; with both SLOs the fleet meets both.
 */
static void
test_ttft_slo(void **state)
{
	static const char *const base[] = { "flat.target_utilization=1", "flat.slots=1" };
	static const char *const t10[] = { "flat.target_utilization=1", "flat.slots=1",
	    "flat.slo.p95_ttft_s=10" };
	static const char *const t2[] = { "flat.target_utilization=1", "flat.slots=1",
	    "flat.slo.p95_ttft_s=2" };
	struct fc_costs c0, c10, c2;

	(void)state;
	costs_with(base, 2, &c0);
	costs_with(t10, 3, &c10);
	costs_with(t2, 3, &c2);
	/* without a TTFT bound the P95 TTFT is far above 10 s */
	assert_true(c0.ttft_p95_s > 10);
	assert_true(c0.ttft_p95_s < c0.call_p95_s);
	assert_true(c10.servers > c0.servers && c2.servers > c10.servers);
	assert_true(c10.ttft_p95_s <= 10 && c2.ttft_p95_s <= 2);
	/* the call SLO still holds */
	assert_true(c2.call_p95_s <= 60 && c10.call_p95_s <= 60);
	/* TTFT > the P95 prefill alone: it is there without any wait */
	assert_true(c2.ttft_p95_s > 0);
}

/* A trace's calls overlapping: the action takes 1 + (chaining - 1)(1 -
 * overlap) calls' time: chaining in sequence, one call at full overlap. */
static void
test_chaining_overlap(void **state)
{
	static const char *const seq[] = { "workload.chaining=3" };
	static const char *const half[] = { "workload.chaining=3", "workload.chaining_overlap=0.5" };
	static const char *const all[] = { "workload.chaining=3", "workload.chaining_overlap=1" };
	struct fc_costs a, b, c;

	(void)state;
	costs_with(seq, 1, &a);
	costs_with(half, 2, &b);
	costs_with(all, 2, &c);
	assert_true(fabs(a.action_p95_s - 3 * a.call_p95_s) < 1e-9 * a.call_p95_s);
	assert_true(fabs(b.action_p95_s - 2 * b.call_p95_s) < 1e-9 * b.call_p95_s);
	assert_true(fabs(c.action_p95_s - c.call_p95_s) < 1e-9 * c.call_p95_s);
	assert_true(fabs(fc_fleet_action_factor(0.5, 1) - 0.5) < 1e-15);
}

/*
 * The slot count and the busy call's P95: the capacity rule keeps half the
 * SLO for the mean call, and on the bundled classifier (an RTX A5000 at the
 * RTX A6000's llama-bench efficiencies, 0.680/0.392; Qwen2.5 3B, a 2 s SLO)
 * it picks 20 slots, whose busy call takes 2.01 s at P95: no fleet could
 * serve a call in time.  fc_capacity_eval_slo lowers the count to 19
 * (P95 1.91 s), where a fleet is sized; a scenario's own flat.slots stays.
 */
static void
test_slots_fit_the_slo(void **state)
{
	static const char *const fixed[] = { "flat.slots=20" };
	struct fc_scenario *s;
	struct fc_throughput tp;
	struct fc_inputs in;
	struct fc_capacity cap;
	struct fc_fleet f;
	double rate;

	(void)state;
	s = load_scenario("scenarios/classifier-api.yaml", NULL, 0);
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref, &tp);
	fc_inputs_mean(s, 1, &in);
	rate = in.users * in.rpud * in.chaining / 86400;
	assert_int_equal(fc_capacity_eval(&tp, in.input_tokens, in.output_tokens,
	    in.slo_s, 0, &cap), FC_OK);
	assert_int_equal(cap.slots, 20);
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	assert_true(f.s95 > in.slo_s && !f.slo_feasible && f.servers == 0);
	assert_int_equal(fc_capacity_eval_slo(s, &in, &tp, in.input_tokens, in.output_tokens,
	    &cap), FC_OK);
	assert_int_equal(cap.slots, 19);
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	assert_true(f.s95 <= in.slo_s && f.slo_feasible && f.servers >= 1);
	fc_scenario_free(s);
	s = load_scenario("scenarios/classifier-api.yaml", fixed, 1);
	fc_inputs_mean(s, 1, &in);
	assert_int_equal(fc_capacity_eval_slo(s, &in, &tp, in.input_tokens, in.output_tokens,
	    &cap), FC_OK);
	assert_int_equal(cap.slots, 20);
	fc_scenario_free(s);
}

/* The day's overflow share of a fleet of any size is fc_fleet_plan's to
 * the bit (fc_fleet_overflow_share), and the bounds from the busiest
 * hours down (fc_fleet_overflow_share_around) hold it, stop once the
 * share asked about is outside them, and close on it with every hour in:
 * on the support chatbot's own 24-hour day and a cosine day. */
static void
test_overflow_share_around(void **state)
{
	static const char *const paths[] = { "scenarios/support-chatbot.yaml",
	    "scenarios/classifier-api.yaml" };
	size_t i;
	int early = 0;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct fc_scenario *s = load_scenario(paths[i], NULL, 0);
		struct fc_throughput tp;
		struct fc_inputs in;
		struct fc_capacity cap;
		struct fc_fleet f, f1;
		double rate;
		int order[24], h;

		fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref,
		    &tp);
		fc_inputs_mean(s, 1, &in);
		assert_int_equal(fc_capacity_eval_slo(s, &in, &tp, in.input_tokens,
		    in.output_tokens, &cap), FC_OK);
		in.fast = 1;
		assert_int_equal(fc_fleet_plan(s, &in, &cap, 1, &f1), FC_OK);
		fc_fleet_hours_by_load(&f1, order);
		for (h = 1; h < 24; h++)
			assert_true(f1.weights[order[h - 1]] >= f1.weights[order[h]]);
		for (rate = 0.05; rate < 300; rate *= 1.37) {
			double sh, lo, hi, k;
			assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
			sh = fc_fleet_overflow_share(&f1, f.channels, rate);
			if (sh != f.overflow_share)
				fail_msg("%s at %g calls/s: share %.17g, the plan's %.17g", paths[i],
				    rate, sh, f.overflow_share);
			fc_fleet_overflow_share_around(&f1, f.channels, rate, order, NAN, &lo, &hi);
			if (!(lo <= sh && sh <= hi && hi - lo <= 1e-11 * sh))
				fail_msg("%s at %g calls/s: every hour gives %.17g..%.17g, the share "
				    "%.17g", paths[i], rate, lo, hi, sh);
			for (k = 0.25; k <= 4; k *= 2) {
				fc_fleet_overflow_share_around(&f1, f.channels, rate, order, k * sh, &lo,
				    &hi);
				if (!(lo <= sh && sh <= hi))
					fail_msg("%s at %g calls/s: %.17g..%.17g without the share %.17g",
					    paths[i], rate, lo, hi, sh);
				if (k != 1 && sh > 0 && lo <= k * sh && k * sh <= hi)
					fail_msg("%s at %g calls/s: %g x the share is inside "
					    "%.17g..%.17g", paths[i], rate, k, lo, hi);
				early += hi - lo > 1e-11 * sh;
			}
		}
		fc_scenario_free(s);
	}
	/* the point of it: most questions settle before the last hour */
	assert_true(early > 0);
}

/* Autoscaling: each server is billed for the hours it runs, capped at the
 * monthly price; a flat day needs the peak fleet all day. */
static void
test_autoscaled_cost(void **state)
{
	static const char *const flatday[] = { "workload.peak_to_mean=1",
	    "flat.billing=hourly", "flat.startup_minutes=0" };
	static const char *const hourly[] = { "flat.billing=hourly" };
	struct fc_scenario *s;
	struct fc_throughput tp;
	struct fc_inputs in;
	struct fc_capacity cap;
	struct fc_fleet f;
	double rate;

	(void)state;
	s = load_scenario("scenarios/content-optimizer.yaml", flatday, 3);
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref, &tp);
	fc_inputs_mean(s, 1, &in);
	assert_int_equal(fc_capacity_eval(&tp, in.input_tokens, in.output_tokens,
	    in.slo_s, 0, &cap), FC_OK);
	rate = in.users * in.rpud * in.chaining / 86400;
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	/* every server runs all day: min(24 x days x hourly, monthly) each */
	assert_true(fabs(f.autoscaled_cost - f.servers * fmin(24 * in.days *
	    s->flat.hw.hourly_price, s->flat.hw.monthly_price)) < 1e-6);
	fc_scenario_free(s);
	s = load_scenario("scenarios/content-optimizer.yaml", hourly, 1);
	fc_inputs_mean(s, 1, &in);
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	/* a day with a peak: following it costs less than the peak fleet */
	assert_true(f.autoscaled_cost < f.peak_sized_cost);
	assert_true(f.autoscaled_cost > 0);
	fc_scenario_free(s);
}

/* The sorted-count billing against its definition, server by server:
 * the k-th server runs in the hours whose fleet has k or more.  A GPU and
 * a large CPU fleet (the article's cx43 at a 600 s SLO), with and without
 * start-up lead, where the cheap hours of a server fall under the cap and
 * the busy ones reach it. */
static void
check_brute_force(const char *const *sets, size_t nsets, double users)
{
	struct fc_scenario *s = load_scenario("scenarios/content-optimizer.yaml", sets, nsets);
	struct fc_throughput tp;
	struct fc_inputs in;
	struct fc_capacity cap;
	struct fc_fleet f;
	double rate, brute = 0, k;
	int h;

	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref, &tp);
	fc_inputs_mean(s, 1, &in);
	in.users = users;
	assert_int_equal(fc_capacity_eval(&tp, in.input_tokens, in.output_tokens,
	    in.slo_s, s->flat.slots, &cap), FC_OK);
	rate = in.users * in.rpud * in.chaining / 86400;
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	assert_true(f.servers >= 1);
	for (k = 1; k <= f.servers; k++) {
		double hours = 0;
		for (h = 0; h < 24; h++)
			hours += f.hourly_servers[h] >= k;
		brute += fmin(hours * in.days * s->flat.hw.hourly_price,
		    s->flat.hw.monthly_price);
	}
	if (fabs(f.autoscaled_cost - brute) > 1e-9 * brute)
		fail_msg("%g users, %g servers: sorted %.6f, server by server %.6f", users,
		    f.servers, f.autoscaled_cost, brute);
	fc_scenario_free(s);
}

static void
test_autoscaled_brute_force(void **state)
{
	static const char *const gpu[] = { "flat.billing=hourly", "flat.startup_minutes=5" };
	static const char *const cpu[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600", "flat.billing=hourly", "flat.startup_minutes=0" };
	static const char *const cpu_lead[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600", "flat.billing=hourly", "flat.startup_minutes=5" };

	(void)state;
	check_brute_force(gpu, 2, 300);
	check_brute_force(gpu, 2, 50000);
	check_brute_force(cpu, 4, 5000);
	check_brute_force(cpu_lead, 4, 5000);
	check_brute_force(cpu_lead, 4, 123457);
}

/* Hourly billing of more than 2^31 servers (one slot
 * each) bills every one of them; the fleet was cast to int and billed
 * nothing ("Flat saves 100%"). */
static void
test_autoscaled_cost_huge_fleet(void **state)
{
	static const char *const flatday[] = { "workload.peak_to_mean=1",
	    "flat.billing=hourly", "flat.startup_minutes=0", "flat.slots=1" };
	struct fc_scenario *s;
	struct fc_throughput tp;
	struct fc_inputs in;
	struct fc_capacity cap;
	struct fc_fleet f;
	double rate, each;

	(void)state;
	s = load_scenario("scenarios/content-optimizer.yaml", flatday, 4);
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref, &tp);
	fc_inputs_mean(s, 1, &in);
	assert_int_equal(fc_capacity_eval(&tp, in.input_tokens, in.output_tokens,
	    in.slo_s, 1, &cap), FC_OK);
	assert_int_equal(cap.slots, 1);
	rate = in.users * in.rpud * in.chaining / 86400;
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	/* scale the load to about 3e9 servers */
	rate *= 3e9 / f.servers;
	assert_int_equal(fc_fleet_plan(s, &in, &cap, rate, &f), FC_OK);
	assert_true(f.servers > 2147483648.0);
	each = fmin(24 * in.days * s->flat.hw.hourly_price, s->flat.hw.monthly_price);
	assert_true(fabs(f.autoscaled_cost / (f.servers * each) - 1) < 1e-12);
	fc_scenario_free(s);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analytic_matches_des),
		cmocka_unit_test(test_fixed_fleet_saturated),
		cmocka_unit_test(test_ttft_slo),
		cmocka_unit_test(test_chaining_overlap),
		cmocka_unit_test(test_slots_fit_the_slo),
		cmocka_unit_test(test_overflow_share_around),
		cmocka_unit_test(test_autoscaled_cost),
		cmocka_unit_test(test_autoscaled_brute_force),
		cmocka_unit_test(test_autoscaled_cost_huge_fleet),
	};

	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
