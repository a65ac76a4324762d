/*
 * test_des.c: the fleet simulation against exact queueing results (M/M/1,
 * M/M/c, Erlang loss, processor-sharing insensitivity, GI/M/1), and its
 * bookkeeping: conservation, hourly counts, determinism, monotonicity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "des.h"
#include "queue.h"

static void
assert_rel(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want)))
		fail_msg("got %.10g, want %.10g (rel %g)", got, want, rel);
}

/* A flat day at rate calls/s; sizes fixed at es seconds (all output
 * tokens at 1 token/s), Poisson arrivals, no overflow, no warm-up. */
static struct fc_des_config
flat(unsigned servers, unsigned slots, double rate, double es)
{
	struct fc_des_config c;
	int h;

	memset(&c, 0, sizeof(c));
	c.servers = servers;
	c.max_slots = slots;
	c.prefill_tok_s = 1000;
	c.decode1_tok_s = 1;
	c.out_mean = es;
	for (h = 0; h < 24; h++)
		c.rate[h] = rate;
	c.arrival_cv2 = 1;
	c.max_wait_s = INFINITY;
	c.slo_s = INFINITY;
	return c;
}

static enum fc_status
run(const struct fc_des_config *c, unsigned long seed, struct fc_des_result *r)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	enum fc_status st;

	assert_non_null(rng);
	gsl_rng_set(rng, seed);
	st = fc_des_run(c, rng, r);
	gsl_rng_free(rng);
	return st;
}

static double
sum24(const double *v)
{
	double s = 0;
	int h;

	for (h = 0; h < 24; h++)
		s += v[h];
	return s;
}

/* A diurnal, bursty, batched fleet that overflows at its peak. */
static struct fc_des_config
busy_fleet(const double *speedup)
{
	struct fc_des_config c = flat(3, 4, 0, 0);
	int h;

	c.speedup = speedup;
	c.prefill_tok_s = 400;
	c.decode1_tok_s = 40;
	c.in_mean = 800;
	c.in_cv = 0.8;
	c.out_mean = 200;
	c.out_cv = 1.2;
	for (h = 0; h < 24; h++)  /* capacity ~ 3 * 3 / 7 s = 1.3 calls/s */
		c.rate[h] = 0.3 + 1.4 * exp(-(h - 14) * (h - 14) / 8.0);
	c.arrival_cv2 = 2.5;
	c.max_wait_s = 20;
	c.slo_s = 30;
	c.warmup_s = 3600;
	return c;
}

static const double speedup4[] = { 0, 1, 1.8, 2.5, 3.0 };

static void
test_conservation(void **state)
{
	struct fc_des_config c = busy_fleet(speedup4);
	struct fc_des_result r;
	double expect = 0;
	int h;

	(void)state;
	assert_int_equal(run(&c, 1, &r), FC_OK);
	for (h = 0; h < 24; h++)
		expect += c.rate[h] * 3600;
	assert_true(r.calls > 0 && r.overflow > 0 && r.served > 0);
	assert_true(r.served + r.overflow == r.calls);
	assert_true(sum24(r.calls_by_hour) == r.calls);
	assert_true(sum24(r.overflow_by_hour) == r.overflow);
	/* Bursty arrivals: the count's variance is about cv2 * mean. */
	assert_true(fabs(r.calls - expect) < 5 * sqrt(2.5 * expect));
	assert_rel(r.overflow_share, r.overflow / r.calls, 1e-15);
	assert_true(r.slo_met_share <= r.served / r.calls);
	assert_true(r.lat_p50 <= r.lat_p95 && r.lat_p95 <= r.lat_p99);
	for (h = 0; h < 24; h++) {
		assert_true(r.util_by_hour[h] >= 0 && r.util_by_hour[h] <= 1);
		assert_true(r.mean_active_by_hour[h] <= 3 * 4 + 1e-9);
		assert_true(r.mean_active_by_hour[h] >=
		    3 * r.util_by_hour[h] - 1e-9);
	}
	/* The peak is busier than the night, and overflows more. */
	assert_true(r.util_by_hour[14] > 0.95);
	assert_true(r.util_by_hour[3] < r.util_by_hour[14]);
	assert_true(r.overflow_by_hour[14] > r.overflow_by_hour[3]);
}

static void
test_low_load(void **state)
{
	/* 1 call per 1000 s of 2 s each on 4 servers: nobody waits. */
	struct fc_des_config c = flat(4, 2, 0.001, 2.0);
	struct fc_des_result r;

	(void)state;
	c.slo_s = 2.0;
	assert_int_equal(run(&c, 7, &r), FC_OK);
	assert_true(r.calls > 50);
	assert_rel(r.lat_mean, 2.0, 1e-9);
	assert_rel(r.lat_p50, 2.0, 1e-9);  /* clamped to the exact range */
	assert_rel(r.lat_p99, 2.0, 1e-9);
	assert_true(r.overflow == 0 && r.slo_met_share == 1.0);
	/* Utilization: (rate * es) / servers. */
	assert_rel(sum24(r.util_by_hour) / 24, 0.001 * 2.0 / 4, 0.3);
}

static void
test_mm1(void **state)
{
	/* M/M/1, lambda = 12/s, mu = 20/s: sojourn 1 / (mu - lambda). */
	struct fc_des_config c = flat(1, 1, 12, 1.0 / 20);
	struct fc_des_result r;
	double rho = 12.0 / 20;
	int h;

	(void)state;
	c.service_exponential = 1;
	c.warmup_s = 100;
	assert_int_equal(run(&c, 11, &r), FC_OK);
	assert_rel(r.lat_mean, 1.0 / (20 - 12), 0.03);
	/* Sojourn in M/M/1 is exponential: median log(2) / (mu - lambda). */
	assert_rel(r.lat_p50, log(2.0) / 8, 0.03);
	assert_rel(r.lat_p99, log(100.0) / 8, 0.05);
	for (h = 0; h < 24; h++)
		assert_rel(r.util_by_hour[h], rho, 0.05);
}

static void
test_mmc_vs_erlang_c(void **state)
{
	/* M/M/4 at rho = 0.75: mean wait against Erlang C. */
	struct fc_des_config c = flat(4, 1, 12, 0.25);
	struct fc_des_result r;
	double wq;

	(void)state;
	c.service_exponential = 1;
	c.warmup_s = 100;
	assert_int_equal(run(&c, 5, &r), FC_OK);
	assert_int_equal(fc_queue_mmc_wq(4, 12 * 0.25, 0.25, &wq), FC_OK);
	assert_rel(r.lat_mean - 0.25, wq, 0.05);
}

static void
test_erlang_loss(void **state)
{
	/* No queue (max_wait_s = 0): M/G/10/10, whose loss is Erlang B
	 * whatever the service distribution (here lognormal). */
	struct fc_des_config c = flat(10, 1, 0, 0);
	struct fc_des_result r;
	int h;

	(void)state;
	c.out_mean = 100;
	c.out_cv = 1.5;
	c.decode1_tok_s = 200;  /* es = 0.5 s */
	for (h = 0; h < 24; h++)
		c.rate[h] = 16;     /* a = 8 erlangs */
	c.max_wait_s = 0;
	c.warmup_s = 60;
	assert_int_equal(run(&c, 3, &r), FC_OK);
	assert_rel(r.overflow_share, fc_queue_erlang_b(10, 8.0), 0.03);
	assert_true(r.served + r.overflow == r.calls);
}

static void
test_ps_insensitive(void **state)
{
	/* M/D/1-PS: the mean sojourn of processor sharing is es / (1 - rho)
	 * whatever the size distribution; 64 slots never fill at rho 0.5. */
	struct fc_des_config c = flat(1, 64, 10, 0.05);
	struct fc_des_result r;

	(void)state;
	c.warmup_s = 100;
	assert_int_equal(run(&c, 9, &r), FC_OK);
	assert_rel(r.lat_mean, 0.05 / (1 - 0.5), 0.03);
	assert_rel(sum24(r.mean_active_by_hour) / 24, 0.5 / (1 - 0.5), 0.05);
}

static void
test_speedup_is_slots(void **state)
{
	/* One server of 4 slots with g(n) = n is M/M/4: every call runs at
	 * full speed.  It must match 4 single-slot servers call for call. */
	static const double linear[] = { 0, 1, 2, 3, 4 };
	struct fc_des_config a = flat(1, 4, 13, 0.25), b = flat(4, 1, 13, 0.25);
	struct fc_des_result ra, rb;

	(void)state;
	a.speedup = linear;
	a.service_exponential = b.service_exponential = 1;
	a.max_wait_s = b.max_wait_s = 0.5;
	assert_int_equal(run(&a, 21, &ra), FC_OK);
	assert_int_equal(run(&b, 21, &rb), FC_OK);
	assert_true(ra.calls == rb.calls);
	assert_true(ra.overflow == rb.overflow && ra.overflow > 0);
	assert_rel(ra.lat_mean, rb.lat_mean, 1e-9);
	assert_rel(ra.lat_p99, rb.lat_p99, 1e-9);
	assert_rel(sum24(ra.mean_active_by_hour),
	    sum24(rb.mean_active_by_hour), 1e-9);
}

static void
test_gi_m_1_gamma(void **state)
{
	/* Gamma gaps with cv2 = 4 into one exponential server: GI/M/1, whose
	 * sojourn is 1 / (mu (1 - sigma)), sigma the root in (0, 1) of
	 * sigma = A(mu (1 - sigma)), A the gap's Laplace transform
	 * (k lambda / (k lambda + s))^k (Gross & Harris, GI/M/1). */
	double lambda = 5, mu = 10, k = 0.25, sigma = 0.5;
	struct fc_des_config c = flat(1, 1, lambda, 1 / mu);
	struct fc_des_result r;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		sigma = pow(k * lambda / (k * lambda + mu * (1 - sigma)), k);
	c.arrival_cv2 = 1 / k;
	c.service_exponential = 1;
	c.warmup_s = 1000;
	assert_int_equal(run(&c, 4, &r), FC_OK);
	assert_rel(r.lat_mean, 1 / (mu * (1 - sigma)), 0.05);
	/* The Poisson case waits far less: the burstiness is really there. */
	c.arrival_cv2 = 1;
	assert_int_equal(run(&c, 4, &r), FC_OK);
	assert_rel(r.lat_mean, 1 / (mu - lambda), 0.05);
}

static void
test_hourly_profile(void **state)
{
	/* g(n) = n: a call runs at full speed however many share its server. */
	static const double linear[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct fc_des_config c = flat(50, 8, 0, 1.0);
	struct fc_des_result r;
	int h;

	(void)state;
	c.speedup = linear;
	for (h = 0; h < 24; h++)
		c.rate[h] = h < 6 ? 0 : 2.0 * h;
	assert_int_equal(run(&c, 2, &r), FC_OK);
	for (h = 0; h < 24; h++) {
		double m = c.rate[h] * 3600;

		if (m == 0)
			assert_true(r.calls_by_hour[h] == 0);
		else
			assert_true(fabs(r.calls_by_hour[h] - m) < 5 * sqrt(m));
		/* No waiting (400 slots, full speed): M/G/inf, so calls in
		 * service average rate * es. */
		assert_rel(r.mean_active_by_hour[h] + 1, c.rate[h] + 1, 0.05);
	}
	assert_true(r.overflow == 0);
}

static void
test_more_servers_less_overflow(void **state)
{
	struct fc_des_config c = busy_fleet(speedup4);
	struct fc_des_result r;
	double prev = INFINITY, prev_slo = 0;
	unsigned n;

	(void)state;
	for (n = 1; n <= 6; n++) {
		c.servers = n;
		assert_int_equal(run(&c, 99, &r), FC_OK);
		assert_true(r.overflow <= prev);
		assert_true(r.slo_met_share >= prev_slo);
		prev = r.overflow;
		prev_slo = r.slo_met_share;
	}
	assert_true(prev < 0.01 * r.calls);
}

static void
test_deterministic(void **state)
{
	struct fc_des_config c = busy_fleet(speedup4);
	struct fc_des_result r1, r2, r3;

	(void)state;
	assert_int_equal(run(&c, 42, &r1), FC_OK);
	assert_int_equal(run(&c, 42, &r2), FC_OK);
	assert_int_equal(run(&c, 43, &r3), FC_OK);
	assert_memory_equal(&r1, &r2, sizeof(r1));
	assert_true(r1.calls != r3.calls || r1.lat_mean != r3.lat_mean);
}

static void
test_edge_cases(void **state)
{
	struct fc_des_config c = busy_fleet(speedup4);
	struct fc_des_result r;
	static const double bad_speedup[] = { 0, 1, 0, 2, 3 };

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	c.max_slots = 0;
	assert_int_equal(run(&c, 1, &r), FC_EINVAL);
	c = busy_fleet(bad_speedup);
	assert_int_equal(run(&c, 1, &r), FC_EINVAL);
	c = busy_fleet(speedup4);
	c.rate[5] = NAN;
	assert_int_equal(run(&c, 1, &r), FC_EINVAL);
	c = busy_fleet(speedup4);
	c.decode1_tok_s = 0;
	assert_int_equal(run(&c, 1, &r), FC_EINVAL);
	assert_int_equal(fc_des_run(NULL, NULL, &r), FC_EINVAL);
	/* No servers: everything overflows, with a queue or without. */
	c = busy_fleet(speedup4);
	c.servers = 0;
	assert_int_equal(run(&c, 1, &r), FC_OK);
	assert_true(r.calls > 0 && r.overflow == r.calls);
	assert_true(r.lat_p50 == 0 && r.slo_met_share == 0);
	c.max_wait_s = 0;
	assert_int_equal(run(&c, 1, &r), FC_OK);
	assert_true(r.overflow == r.calls);
	/* No calls at all. */
	c = flat(2, 2, 0, 1);
	assert_int_equal(run(&c, 1, &r), FC_OK);
	assert_true(r.calls == 0 && r.overflow_share == 0 &&
	    r.slo_met_share == 1 && r.lat_p99 == 0);
	/* Regular arrivals (cv2 = 0) of fixed size never wait. */
	c = flat(1, 1, 0.5, 1.0);
	c.arrival_cv2 = 0;
	assert_int_equal(run(&c, 1, &r), FC_OK);
	assert_true(fabs(r.calls - 43200) <= 1);
	assert_rel(r.lat_p99, 1.0, 1e-9);
	/* Allocation failures are reported, not crashed on. */
	c = busy_fleet(speedup4);
	c.max_wait_s = INFINITY;
	for (long n = 1; n <= 12; n++) {
		enum fc_status st;

		fc_alloc_fail_at(n);
		st = run(&c, 1, &r);
		fc_alloc_fail_at(0);
		assert_true(st == FC_ENOMEM || st == FC_OK);
	}
}

/*
 * A fixed fleet near and past full load, where calls that would wait past
 * the budget go to the API: the M/G/c+D model of queue.h against the
 * simulation, loads 0.8 to 1.5 on fleets of 1, 10 and 100 one-slot
 * servers, lognormal call sizes of CV 0.7 and a budget of one mean call.
 * Within 0.5 percentage points or 20% of the simulated share.  (The
 * heavy-traffic formula it replaced, Erlang C's tail, says 21% at load
 * 0.99 on 10 servers where the simulation says a few percent, and cannot
 * be evaluated at all above load 1.)
 */
static void
test_abandonment_vs_model(void **state)
{
	static const unsigned cs[] = { 1, 10, 100 };
	static const double loads[] = { 0.8, 0.9, 0.99, 1.0, 1.1, 1.25, 1.5 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		for (j = 0; j < sizeof(loads) / sizeof(loads[0]); j++) {
			/* es = c seconds: about 86,400 x load calls a day */
			double es = cs[i], cv = 0.7, got, want;
			struct fc_des_config c = flat(cs[i], 1, loads[j] * cs[i] / es, es);
			struct fc_des_result r;
			struct fc_queue_abandon q;

			c.out_cv = cv;
			c.max_wait_s = es;
			c.warmup_s = 3600;
			assert_int_equal(run(&c, 7 + j, &r), FC_OK);
			got = r.overflow_share;
			assert_int_equal(fc_queue_abandon(cs[i], loads[j] * cs[i], es, 1,
			    cv * cv, es, &q), FC_OK);
			want = q.p_abandon;
			if (!(fabs(got - want) <= 0.005 || fabs(got - want) <= 0.2 * got))
				fail_msg("c=%u load %.2f: model %.4f, simulated %.4f",
				    cs[i], loads[j], want, got);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conservation),
		cmocka_unit_test(test_low_load),
		cmocka_unit_test(test_mm1),
		cmocka_unit_test(test_mmc_vs_erlang_c),
		cmocka_unit_test(test_erlang_loss),
		cmocka_unit_test(test_ps_insensitive),
		cmocka_unit_test(test_speedup_is_slots),
		cmocka_unit_test(test_gi_m_1_gamma),
		cmocka_unit_test(test_hourly_profile),
		cmocka_unit_test(test_more_servers_less_overflow),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_abandonment_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
