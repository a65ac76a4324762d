/*
 * test_breakeven.c: the breakeven search (breakeven.c) against a
 * user-by-user brute force, by hand, at ties, and for a flat architecture
 * that cannot serve.
 *
 * The brute force uses only the cost model (fc_cost_eval_cap at every
 * user count) and the definition (fc_breakeven_flat_cheaper), none of the search's
 * code: flat is cheaper at U when viable and api - flat >= one cent.
 *
 * The hand scenario (HAND) is that of test_cost.c: a $750/month server
 * serving 0.2 calls/s, every call the same, sized by the target
 * utilization alone: servers = ceil(U / 138.24), flat(U) = 750 servers +
 * fixed, api(U) = 6.75 U.  Run from the repository root (data/).
 */
/* scenarios/classifier-api.yaml as 0.1 bundled it */
#define CLASSIFIER_01 "tests/cli/fixtures/classifier-0.1.yaml"

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

#include "breakeven.h"
#include "capacity.h"
#include "cost.h"
#include "mc.h"
#include "testutil.h"
#include "hand.h"


static char hand_path[64];

static int
setup(void **state)
{
	FILE *f;
	int fd;

	if (load_catalog_gsl_off(state) != 0)
		return -1;
	snprintf(hand_path, sizeof(hand_path), "/tmp/flatcost-test-be-XXXXXX");
	if ((fd = mkstemp(hand_path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fputs(HAND, f);
	return fclose(f) != 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	unlink(hand_path);
	return free_catalog(state);
}

struct sc {
	struct fc_scenario *s;
	struct fc_inputs in;
	struct fc_throughput tp;
};

static void
sc_load(const char *path, const char *const *sets, size_t nsets, struct sc *x)
{
	x->s = load_scenario(path, sets, nsets);
	fc_inputs_mean(x->s, 1, &x->in);
	fc_throughput_init(&x->s->flat.hw, &x->s->flat.model, x->s->flat.quant,
	    x->s->flat.model_ref, &x->tp);
}

/* User by user over [1, to]: the ranges where flat is cheaper. */
static void
brute_force(const struct sc *x, double to, struct fc_breakeven *b)
{
	struct fc_capacity cap;
	struct fc_inputs in = x->in;
	int was = 0;
	double u;

	memset(b, 0, sizeof(*b));
	b->first = b->lasting = NAN;
	in.fast = 1;
	assert_int_equal(fc_capacity_eval_slo(x->s, &in, &x->tp, in.input_tokens,
	    in.output_tokens, &cap), FC_OK);
	for (u = 1; u <= to; u++) {
		struct fc_workload w;
		struct fc_costs c;
		int now;

		in.users = u;
		fc_workload_mean(&in, &w);
		assert_int_equal(fc_cost_eval_cap(x->s, &in, &w, &cap, &c), FC_OK);
		now = fc_breakeven_flat_cheaper(c.flat_total, c.api_total, c.viable != 0);
		if (now && !was) {
			assert_true(b->nranges < FC_MAX_RANGES);
			b->from[b->nranges] = u;
		}
		if (!now && was)
			b->to[b->nranges++] = u - 1;
		was = now;
	}
	if (was)
		b->to[b->nranges++] = to;
	if (b->nranges) {
		b->first = b->from[0];
		if (b->to[b->nranges - 1] == to)
			b->lasting = b->from[b->nranges - 1];
	}
}

static void
assert_same(const struct fc_breakeven *got, const struct fc_breakeven *want, const char *what)
{
	size_t i;

	if (got->nranges != want->nranges)
		fail_msg("%s: %zu ranges, brute force %zu", what, got->nranges, want->nranges);
	for (i = 0; i < want->nranges; i++)
		if (got->from[i] != want->from[i] || got->to[i] != want->to[i])
			fail_msg("%s: range %zu is %g..%g, brute force %g..%g", what, i,
			    got->from[i], got->to[i], want->from[i], want->to[i]);
	if (!(got->first == want->first || (isnan(got->first) && isnan(want->first))))
		fail_msg("%s: first %g, brute force %g", what, got->first, want->first);
	if (!(got->lasting == want->lasting || (isnan(got->lasting) && isnan(want->lasting))))
		fail_msg("%s: lasting %g, brute force %g", what, got->lasting, want->lasting);
}

/* fc_breakeven_first_lasting: the first and lasting of the brute force. */
static void
assert_ends(const struct sc *x, double to, const struct fc_breakeven *want, const char *what)
{
	struct fc_breakeven e;

	assert_int_equal(fc_breakeven_first_lasting(x->s, &x->in, &x->tp, 1, to, &e), FC_OK);
	if (!(e.first == want->first || (isnan(e.first) && isnan(want->first))))
		fail_msg("%s: first_lasting's first %g, brute force %g", what, e.first, want->first);
	if (!(e.lasting == want->lasting || (isnan(e.lasting) && isnan(want->lasting))))
		fail_msg("%s: first_lasting's lasting %g, brute force %g", what, e.lasting,
		    want->lasting);
}

static void
check_against_brute(const char *path, const char *const *sets, size_t nsets, double to,
    struct fc_breakeven *b)
{
	struct fc_breakeven want;
	struct sc x;

	sc_load(path, sets, nsets, &x);
	assert_int_equal(fc_breakeven_eval(x.s, &x.in, &x.tp, 1, to, b), FC_OK);
	brute_force(&x, to, &want);
	assert_same(b, &want, path);
	assert_true(b->viability.viable);
	assert_ends(&x, to, &want, path);
	fc_scenario_free(x.s);
}

/*
 * By hand: 750 k / 6.75 = 111.11 k, so in the k-th block of servers
 * ([138.24 (k-1)] + 1 .. 138.24 k) flat is cheaper from 112 k - ... :
 * 112-138, 223-276, 334-414, 445-552, and from 556 on for good (from k = 6
 * on 111.11 k is below the block's start).
 */
static void
test_by_hand(void **state)
{
	struct fc_breakeven b;

	(void)state;
	check_against_brute(hand_path, NULL, 0, 20000, &b);
	assert_int_equal(b.nranges, 5);
	assert_true(b.first == 112 && b.to[0] == 138);
	assert_true(b.from[1] == 223 && b.to[1] == 276);
	assert_true(b.from[2] == 334 && b.to[2] == 414);
	assert_true(b.from[3] == 445 && b.to[3] == 552);
	assert_true(b.from[4] == 556 && b.to[4] == 20000);
	assert_true(b.lasting == 556);
	assert_true(b.searched_from == 1 && b.searched_to == 20000);
	assert_false(b.truncated);
}

/* $1,100 fixed: block k has a cheaper part from k = 7 on (941-967,
 * 1,052-1,105, ...); $7,000 puts every crossing beyond 30 servers, where
 * the old walk went in 1% steps and missed narrow gaps. */
static void
test_fixed_costs(void **state)
{
	const char *f1[] = { "flat.fixed_monthly=1100" };
	const char *f7[] = { "flat.fixed_monthly=7000" };
	struct fc_breakeven b;

	(void)state;
	check_against_brute(hand_path, f1, 1, 20000, &b);
	assert_true(b.first == 941 && b.to[0] == 967);
	assert_true(b.from[1] == 1052 && b.to[1] == 1105);
	check_against_brute(hand_path, f7, 1, 100000, &b);
	assert_true(b.nranges > 1 && !isnan(b.lasting));
}

/* Every bundled scenario at its means, searched and brute-forced over the
 * same user counts: the same ranges, first and lasting. */
static void
test_bundled_scenarios(void **state)
{
	struct fc_breakeven b;

	(void)state;
	check_against_brute("scenarios/classifier-api.yaml", NULL, 0, 20000, &b);
	check_against_brute(CLASSIFIER_01, NULL, 0, 20000, &b);
	/* the case once reported on 0.1's classifier scenario (flat cheaper
	 * from 144, the API again in 171-266 while one A5000 at the Dec 2023
	 * figures, 0.60/0.26, served 169 users): at the RTX A6000's
	 * llama-bench efficiencies (0.680/0.392) one server serves 293 users
	 * and flat is cheaper for good from 142 (at 141: flat $331.86, API
	 * $331.19; at 142: $332.49 against $333.40) */
	assert_true(b.first == 142 && b.nranges == 1 && b.lasting == 142);
	check_against_brute("scenarios/content-optimizer.yaml", NULL, 0, 50000, &b);
	assert_true(b.first == 35 && b.lasting == 35);
	/* 53,747 and 237,589 at the A5000's Dec 2023 figures */
	check_against_brute("scenarios/support-chatbot.yaml", NULL, 0, 260000, &b);
	assert_true(b.first == 36854 && b.lasting == 36854);
}

/* Hourly billing: the fleet follows the day, each server's bill capped at
 * its month; the skip's bound (a server's month) holds there too. */
static void
test_hourly_billing(void **state)
{
	const char *sets[] = { "flat.billing=hourly" };
	const char *big[] = { "flat.billing=hourly", "flat.fixed_monthly=20000" };
	struct fc_breakeven b;

	(void)state;
	check_against_brute("scenarios/content-optimizer.yaml", sets, 1, 50000, &b);
	check_against_brute("scenarios/content-optimizer.yaml", big, 2, 50000, &b);
	assert_false(isnan(b.lasting));
}

/*
 * A GEX44 against GPT-4o mini: flat is first cheaper at a few hundred
 * users while the API is cheaper again further up.  At the RTX 4000 Ada's
 * llama-bench efficiencies (0.814/0.481) flat is cheaper in 233-377, the
 * API in 378-450 (at 400 users), flat for good from 451 (at the Dec 2023
 * figures, 0.70/0.30, the API was cheaper again at 300, 600 and 1,000
 * and the lasting breakeven near 3,000).
 */
static void
test_first_is_not_lasting(void **state)
{
	const char *sets[] = { "users=3000", "workload.requests_per_user_per_day=20 to 60",
	    "workload.top10_share=0.5", "workload.chaining=2", "workload.input_tokens=1500",
	    "workload.output_tokens=400", "api.price=openai/gpt-4o-mini",
	    "flat.fallback.api=openai/gpt-4o-mini" };
	struct fc_breakeven b;
	size_t i;
	double u[] = { 378, 400, 450 };

	(void)state;
	check_against_brute("scenarios/content-optimizer.yaml", sets, 8, 20000, &b);
	assert_true(b.first == 233 && b.to[0] == 377 && b.lasting == 451);
	for (i = 0; i < 3; i++) {
		size_t k;
		for (k = 0; k < b.nranges; k++)
			assert_false(b.from[k] <= u[i] && u[i] <= b.to[k]);
	}
}

/*
 * A cheaper stretch strictly inside a server step: with the fleet fixed,
 * the API cost grows linearly and the overflow to the API faster, so flat -
 * api can dip below zero between two dearer ends of the step.  The
 * classifier scenario overflows much (bursty arrivals, a 2 s SLO); with
 * Claude Sonnet 4.5 (many times the API's price) taking the overflow and
 * $25 a month of fixed costs, its first step has such a range on the A5000
 * at its Dec 2023 efficiencies (tests/cli/fixtures/a5000-dec2023.yaml; at
 * the catalog's llama-bench ones one server serves 293 users and flat is
 * cheaper from 131 for good: no dip).
 */
static void
test_crossing_inside_a_step(void **state)
{
	const char *sets[] = { "flat.fallback.api=anthropic/claude-sonnet-4.5",
	    "flat.fallback.share=0", "flat.fixed_monthly=25",
	    "flat.hardware=./a5000-dec2023.yaml" };
	struct fc_breakeven b;
	struct fc_capacity cap;
	struct sc x;
	size_t k;
	int inside = 0;

	(void)state;
	check_against_brute(CLASSIFIER_01, sets, 4, 20000, &b);
	/* one server serves 1-169 users; flat is cheaper in 141-163 only */
	assert_true(b.from[0] == 141 && b.to[0] == 163 && b.lasting == 246);
	sc_load(CLASSIFIER_01, sets, 4, &x);
	x.in.fast = 1;
	assert_int_equal(fc_capacity_eval_slo(x.s, &x.in, &x.tp, x.in.input_tokens,
	    x.in.output_tokens, &cap), FC_OK);
	for (k = 0; k < b.nranges; k++) {
		struct fc_costs c0, c1, cin;
		struct fc_workload w;
		struct fc_inputs in = x.in;
		in.users = b.from[k] - 1;
		fc_workload_mean(&in, &w);
		assert_int_equal(fc_cost_eval_cap(x.s, &in, &w, &cap, &c0), FC_OK);
		in.users = b.to[k] + 1;
		fc_workload_mean(&in, &w);
		assert_int_equal(fc_cost_eval_cap(x.s, &in, &w, &cap, &c1), FC_OK);
		in.users = b.from[k];
		fc_workload_mean(&in, &w);
		assert_int_equal(fc_cost_eval_cap(x.s, &in, &w, &cap, &cin), FC_OK);
		if (c0.servers == cin.servers && c1.servers == cin.servers)
			inside = 1;
	}
	fc_scenario_free(x.s);
	if (!inside)
		fail_msg("no cheaper range lies inside one server step");
}

/* A tie is not cheaper; one cent less is. */
static void
test_ties(void **state)
{
	/* at 112 users, 1 server: api $756.00, flat $750 + fixed */
	const char *tie[] = { "flat.fixed_monthly=6" };
	const char *cent[] = { "flat.fixed_monthly=5.99" };
	struct sc x;
	int cheaper;

	(void)state;
	assert_false(fc_breakeven_flat_cheaper(100, 100, 1));
	assert_false(fc_breakeven_flat_cheaper(99.995, 100, 1));
	assert_true(fc_breakeven_flat_cheaper(99.99, 100, 1));
	assert_false(fc_breakeven_flat_cheaper(0, 100, 0));
	sc_load(hand_path, tie, 1, &x);
	assert_int_equal(fc_breakeven_cheaper_at(x.s, &x.in, &x.tp, 112, &cheaper), FC_OK);
	assert_false(cheaper);
	assert_int_equal(fc_breakeven_cheaper_at(x.s, &x.in, &x.tp, 113, &cheaper), FC_OK);
	assert_true(cheaper);
	fc_scenario_free(x.s);
	sc_load(hand_path, cent, 1, &x);
	assert_int_equal(fc_breakeven_cheaper_at(x.s, &x.in, &x.tp, 112, &cheaper), FC_OK);
	assert_true(cheaper);
	fc_scenario_free(x.s);
	{
		struct fc_breakeven b;
		check_against_brute(hand_path, tie, 1, 2000, &b);
		assert_true(b.first == 113);
		check_against_brute(hand_path, cent, 1, 2000, &b);
		assert_true(b.first == 112);
	}
}

/*
 * A flat architecture that cannot serve: on a CX43 one content-optimizer
 * call alone takes 210 s, over the 60 s SLO.  No server is bought, flat
 * costs exactly what the API does (every call goes there), and that tie
 * is not "cheaper": no breakeven, P(flat cheaper) 0, P(viable) 0.
 */
static void
test_not_viable(void **state)
{
	const char *sets[] = { "flat.hardware=hetzner/cx43", "flat.fixed_monthly=0" };
	struct fc_breakeven b;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	char why[400];
	struct sc x;

	(void)state;
	sc_load("scenarios/content-optimizer.yaml", sets, 2, &x);
	assert_int_equal(fc_breakeven_eval(x.s, &x.in, &x.tp, 1, 1e7, &b), FC_OK);
	assert_false(b.viability.viable);
	assert_int_equal(b.viability.reason, FC_NV_CALL_OVER_SLO);
	assert_true(b.viability.call_s > 200 && b.viability.call_s < 220);
	assert_int_equal(b.nranges, 0);
	assert_true(isnan(b.first) && isnan(b.lasting));
	fc_breakeven_viability_text(x.s, &b.viability, why, sizeof(why));
	assert_non_null(strstr(why, "one call alone takes 210 s on hetzner/cx43, over the SLO of 60 s"));
	assert_non_null(strstr(why, "an SLO of at least 210 s"));

	memset(&o, 0, sizeof(o));
	o.trials = 64;
	o.seed = 1;
	o.threads = 1;
	o.month = 1;
	o.users = NAN;
	assert_int_equal(fc_mc_run(x.s, &o, &r), FC_OK);
	assert_true(r.p_viable == 0 && r.p_flat_cheaper == 0);
	assert_true(r.breakeven_stat.n == 0 && r.p_breakeven_found == 0);
	fc_mc_result_free(&r);
	fc_scenario_free(x.s);

	/* the hand server with a 1 s SLO: a 5 s call cannot meet it */
	{
		const char *slo[] = { "flat.slo.p95_latency_s=1" };
		sc_load(hand_path, slo, 1, &x);
		assert_int_equal(fc_breakeven_viability_eval(x.s, &x.in, &x.tp, &b.viability), FC_OK);
		assert_false(b.viability.viable);
		assert_true(fabs(b.viability.call_s - 5) < 1e-9);
		fc_scenario_free(x.s);
	}
}

/* Monte Carlo: the lasting breakeven's percentiles over every trial,
 * each trial's own exact search. */
static void
test_mc_lasting(void **state)
{
	struct fc_mc_opts o;
	struct fc_mc_result r;
	struct sc x;

	(void)state;
	sc_load("scenarios/content-optimizer.yaml", NULL, 0, &x);
	memset(&o, 0, sizeof(o));
	o.trials = 300;
	o.seed = 7;
	o.threads = 2;
	o.month = 1;
	o.users = NAN;
	assert_int_equal(fc_mc_run(x.s, &o, &r), FC_OK);
	/* every trial searched */
	assert_int_equal(r.breakeven_trials, 300);
	assert_true(r.breakeven_stat.n > 0 && r.breakeven_stat.n <= 300);
	assert_true(r.breakeven_stat.p5 <= r.breakeven_stat.p50 &&
	    r.breakeven_stat.p50 <= r.breakeven_stat.p95);
	/* the first cheaper count never comes after the lasting one */
	assert_true(r.first_stat.p50 <= r.breakeven_stat.p50);
	assert_true(r.p_viable == 1);
	assert_true(r.breakeven.lasting == 35);
	fc_mc_result_free(&r);
	fc_scenario_free(x.s);
}

/* Each Monte Carlo trial's breakeven (its own draws and server speed)
 * against the user-by-user brute force over [1, to]. */
static void
check_trials_brute(const char *path, const char *const *sets, size_t nsets, long trials,
    double to)
{
	struct fc_mc_opts o;
	struct fc_mc_result r;
	struct sc x;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	long i, found = 0;

	sc_load(path, sets, nsets, &x);
	memset(&o, 0, sizeof(o));
	o.trials = trials;
	o.seed = 5;
	o.threads = 2;
	o.month = 1;
	o.users = NAN;
	o.breakeven_to = to;
	assert_int_equal(fc_mc_run(x.s, &o, &r), FC_OK);
	assert_int_equal(r.breakeven_trials, trials);
	for (i = 0; i < trials; i++) {
		struct fc_breakeven b, want;
		struct sc t = x;
		char what[64];

		fc_mc_trial_inputs(x.s, &o, i, g, &t.in);
		fc_mc_trial_throughput(&r.tp, &o, i, &t.tp);
		assert_int_equal(fc_breakeven_eval(x.s, &t.in, &t.tp, 1, to, &b), FC_OK);
		brute_force(&t, to, &want);
		snprintf(what, sizeof(what), "%s trial %ld", path, i);
		assert_same(&b, &want, what);
		assert_ends(&t, to, &want, what);
		if (!(r.trial_lasting[i] == want.lasting ||
		    (isnan(r.trial_lasting[i]) && isnan(want.lasting))))
			fail_msg("%s: fc_mc_run's lasting %g, brute force %g", what,
			    r.trial_lasting[i], want.lasting);
		found += !isnan(want.lasting);
	}
	assert_true(found > 0);
	gsl_rng_free(g);
	fc_mc_result_free(&r);
	fc_scenario_free(x.s);
}

static void
test_mc_trials_brute(void **state)
{
	static const char *const cpu[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600" };
	static const char *const flat[] = { "workload.peak_to_mean=1" };
	static const char *const cpu_flat[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600", "workload.peak_to_mean=1" };

	(void)state;
	check_trials_brute("scenarios/content-optimizer.yaml", NULL, 0, 16, 2000);
	check_trials_brute("scenarios/classifier-api.yaml", NULL, 0, 16, 2000);
	check_trials_brute("scenarios/content-optimizer.yaml", cpu, 2, 8, 2000);
	/* a flat day: every hour's overflow is the peak hour's, the bound the
	 * search's bill-only points take (breakeven.c), with no room */
	check_trials_brute("scenarios/content-optimizer.yaml", flat, 1, 16, 2000);
	check_trials_brute("scenarios/classifier-api.yaml", flat, 1, 16, 2000);
	check_trials_brute("scenarios/content-optimizer.yaml", cpu_flat, 3, 8, 2000);
}

/*
 * fc_breakeven_first_lasting (the trials' search: from the top, then the
 * walk over what is left, on bill-only points where bounds settle them)
 * against fc_breakeven_eval (the whole walk on whole evaluations, itself
 * checked against the brute force above) over simulate's range,
 * 1 to FC_MC_BREAKEVEN_MAX_USERS, trial by trial: the same first and
 * lasting.  Returns the trials with a lasting breakeven.
 */
static long
check_trials_ends(const char *path, const char *const *sets, size_t nsets, long trials,
    unsigned long seed)
{
	struct fc_mc_opts o;
	struct fc_throughput tp0;
	struct sc x;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	long i, found = 0;

	assert_non_null(g);
	sc_load(path, sets, nsets, &x);
	memset(&o, 0, sizeof(o));
	o.trials = trials;
	o.seed = seed;
	o.month = 1;
	o.users = NAN;
	tp0 = x.tp;
	for (i = 0; i < trials; i++) {
		struct fc_breakeven fast, whole;
		struct fc_inputs in;
		struct fc_throughput tp;

		fc_mc_trial_inputs(x.s, &o, i, g, &in);
		fc_mc_trial_throughput(&tp0, &o, i, &tp);
		assert_int_equal(fc_breakeven_first_lasting(x.s, &in, &tp, 1,
		    FC_MC_BREAKEVEN_MAX_USERS, &fast), FC_OK);
		/* the whole walk on whole evaluations: the bill-only points
		 * the search settles with its bounds change nothing */
		fc_breakeven_light = 0;
		assert_int_equal(fc_breakeven_eval(x.s, &in, &tp, 1, FC_MC_BREAKEVEN_MAX_USERS,
		    &whole), FC_OK);
		fc_breakeven_light = 1;
		if (!(fast.first == whole.first || (isnan(fast.first) && isnan(whole.first))) ||
		    !(fast.lasting == whole.lasting ||
		    (isnan(fast.lasting) && isnan(whole.lasting))))
			fail_msg("%s (%zu sets, seed %lu) trial %ld: first %g lasting %g, "
			    "the whole search %g %g", path, nsets, seed, i, fast.first,
			    fast.lasting, whole.first, whole.lasting);
		assert_int_equal(fast.viability.viable, whole.viability.viable);
		found += !isnan(whole.lasting);
	}
	gsl_rng_free(g);
	fc_scenario_free(x.s);
	return found;
}

static void
test_trials_ends_bundled(void **state)
{
	static const char *const cpu[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600" };
	static const char *const cpu_hourly[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600", "flat.billing=hourly", "flat.startup_minutes=5" };

	(void)state;
	assert_true(check_trials_ends("scenarios/classifier-api.yaml", NULL, 0, 300, 42) > 0);
	assert_true(check_trials_ends("scenarios/content-optimizer.yaml", NULL, 0, 300, 42) > 0);
	assert_true(check_trials_ends("scenarios/support-chatbot.yaml", NULL, 0, 150, 42) > 0);
	assert_true(check_trials_ends("scenarios/content-optimizer.yaml", cpu, 2, 150, 42) > 0);
	assert_true(check_trials_ends("scenarios/content-optimizer.yaml", cpu_hourly, 4, 100,
	    42) > 0);
}

/* Random variations of the bundled scenarios (the server, its billing,
 * fixed costs, the utilization, the fallback, the call's size), a few
 * trials each. */
static void
test_trials_ends_random(void **state)
{
	static const char *const paths[] = { "scenarios/classifier-api.yaml",
	    "scenarios/content-optimizer.yaml", "scenarios/support-chatbot.yaml" };
	static const char *const hw[] = { NULL, "flat.hardware=gpu/runpod-a5000",
	    "flat.hardware=hetzner/gex44", "flat.hardware=hetzner/cx43" };
	uint64_t z = 0x2545F4914F6CDD1Dull;
	char buf[9][64];
	long found = 0, trials = 0;
	int k;

	(void)state;
	for (k = 0; k < 24; k++) {
		const char *sets[9];
		size_t n = 0, i;
		uint64_t r[8];

		for (i = 0; i < 8; i++) {
			z ^= z << 13;
			z ^= z >> 7;
			z ^= z << 17;
			r[i] = z;
		}
		if (hw[r[0] % 4]) {
			snprintf(buf[n], sizeof(buf[n]), "%s", hw[r[0] % 4]);
			sets[n] = buf[n];
			n++;
			if (r[0] % 4 == 3) {
				snprintf(buf[n], sizeof(buf[n]), "flat.slo.p95_latency_s=600");
				sets[n] = buf[n];
				n++;
			}
		}
		if (r[1] % 3 == 0) {
			snprintf(buf[n], sizeof(buf[n]), "flat.billing=hourly");
			sets[n] = buf[n];
			n++;
		}
		snprintf(buf[n], sizeof(buf[n]), "flat.fixed_monthly=%d", (int)(r[2] % 4) *
		    (int)(r[3] % 9000));
		sets[n] = buf[n];
		n++;
		snprintf(buf[n], sizeof(buf[n]), "flat.target_utilization=%.2f",
		    0.5 + (double)(r[4] % 45) / 100);
		sets[n] = buf[n];
		n++;
		snprintf(buf[n], sizeof(buf[n]), "flat.fallback.share=%.2f",
		    (double)(r[5] % 20) / 100);
		sets[n] = buf[n];
		n++;
		if (r[6] % 2) {
			snprintf(buf[n], sizeof(buf[n]), "workload.output_tokens=%d",
			    50 + (int)(r[6] % 600));
			sets[n] = buf[n];
			n++;
		}
		if (r[6] % 5 == 1 || r[6] % 5 == 2) {
			/* a capped or a provisioned fleet: the walk alone */
			snprintf(buf[n], sizeof(buf[n]), "flat.%s_servers=%d",
			    r[6] % 5 == 1 ? "max" : "fixed", 1 + (int)(r[3] % 40));
			sets[n] = buf[n];
			n++;
		}
		found += check_trials_ends(paths[r[7] % 3], sets, n, 12, 1000 + (unsigned long)k);
		trials += 12;
	}
	/* both kinds of trial: with a lasting breakeven and without */
	assert_true(found > 0 && found < trials);
}

static void
test_quantile(void **state)
{
	double v[] = { INFINITY, 3, 1, 2, -INFINITY };

	(void)state;
	assert_true(fc_breakeven_quantile(v, 5, 0.5) == 2);
	assert_true(fc_breakeven_quantile(v, 5, 0) == -INFINITY);
	assert_true(fc_breakeven_quantile(v, 5, 1) == INFINITY);
	assert_true(fabs(fc_breakeven_quantile(v, 5, 0.375) - 1.5) < 1e-12);
}

static void
test_bad_range(void **state)
{
	struct fc_breakeven b;
	struct sc x;

	(void)state;
	sc_load(hand_path, NULL, 0, &x);
	assert_int_equal(fc_breakeven_eval(x.s, &x.in, &x.tp, 0, 10, &b), FC_EDOM);
	assert_int_equal(fc_breakeven_eval(x.s, &x.in, &x.tp, 10, 5, &b), FC_EDOM);
	assert_int_equal(fc_breakeven_eval(x.s, &x.in, &x.tp, 1.5, 5, &b), FC_EDOM);
	assert_int_equal(fc_breakeven_eval(x.s, &x.in, &x.tp, 7, 7, &b), FC_OK);
	assert_int_equal(b.nranges, 0);
	fc_scenario_free(x.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_fixed_costs),
		cmocka_unit_test(test_bundled_scenarios),
		cmocka_unit_test(test_hourly_billing),
		cmocka_unit_test(test_first_is_not_lasting),
		cmocka_unit_test(test_crossing_inside_a_step),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_not_viable),
		cmocka_unit_test(test_mc_lasting),
		cmocka_unit_test(test_mc_trials_brute),
		cmocka_unit_test(test_trials_ends_bundled),
		cmocka_unit_test(test_trials_ends_random),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_bad_range),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
