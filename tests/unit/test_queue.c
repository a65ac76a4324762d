/*
 * test_queue.c: Erlang B/C, M/M/c and G/G/c waits, the wait tail and the
 * fleet-sizing search against textbook values and closed forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "queue.h"

/* |got - want| <= rel * |want|, printing both on failure. */
static void
assert_rel(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want)))
		fail_msg("got %.10g, want %.10g (rel %g)", got, want, rel);
}

static void
test_erlang_b_textbook(void **state)
{
	(void)state;
	/* Tables (e.g. Gross & Harris): B(10, 5) = 0.018385. */
	assert_rel(fc_queue_erlang_b(10, 5.0), 0.0183846, 1e-4);
	/* B(1, a) = a / (1 + a). */
	assert_rel(fc_queue_erlang_b(1, 3.0), 0.75, 1e-12);
	assert_true(fc_queue_erlang_b(0, 2.0) == 1.0);
	assert_true(fc_queue_erlang_b(5, 0.0) == 0.0);
	assert_true(fc_queue_erlang_b(5, INFINITY) == 1.0);
	assert_true(isnan(fc_queue_erlang_b(5, -1.0)));
}

static void
test_erlang_c_textbook(void **state)
{
	double p;

	(void)state;
	/* M/M/2, a = 1: C = a^2 / (2 + a) ... = 1/3. */
	assert_int_equal(fc_queue_erlang_c(2, 1.0, &p), FC_OK);
	assert_rel(p, 1.0 / 3.0, 1e-12);
	/* Call-centre tables: c = 10, a = 8 -> 0.4092. */
	assert_int_equal(fc_queue_erlang_c(10, 8.0, &p), FC_OK);
	assert_rel(p, 0.40918, 1e-3);
	/* M/M/1: C = rho. */
	assert_int_equal(fc_queue_erlang_c(1, 0.7, &p), FC_OK);
	assert_rel(p, 0.7, 1e-12);
	assert_int_equal(fc_queue_erlang_c(3, 0.0, &p), FC_OK);
	assert_true(p == 0.0);
}

/* Above the recursion's range Erlang B is summed from c outwards
 * (queue.c): the same value as the recursion (run here) to 1e-12
 * relative, under and over full load, where it is not an underflow. */
static void
test_erlang_b_series(void **state)
{
	static const unsigned cs[] = { 257, 300, 1000, 2000, 5000, 20000 };
	static const double rho[] = { 0.3, 0.5, 0.8, 0.95, 0.999, 1.0, 1.001, 1.05, 1.5, 3.0 };
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		for (k = 0; k < sizeof(rho) / sizeof(rho[0]); k++) {
			double a = rho[k] * cs[i] + 0.37, b = 1, got;
			unsigned n;
			for (n = 1; n <= cs[i]; n++)
				b = a * b / ((double)n + a * b);
			got = fc_queue_erlang_b(cs[i], a);
			if (b < 1e-290)
				assert_true(got < 1e-280);
			else if (fabs(got - b) > 1e-12 * b)
				fail_msg("c %u a %g: %.17g, recursion %.17g", cs[i], a, got, b);
		}
}

static void
test_erlang_large_c_stable(void **state)
{
	double b, p, wq;

	(void)state;
	b = fc_queue_erlang_b(2000, 1900.0);
	assert_true(isfinite(b) && b >= 0 && b <= 1);
	assert_int_equal(fc_queue_erlang_c(2000, 1900.0, &p), FC_OK);
	assert_true(isfinite(p) && p >= 0 && p <= 1);
	assert_true(p >= b);  /* waiting is likelier than blocking */
	assert_int_equal(fc_queue_mmc_wq(2000, 1900.0, 1.0, &wq), FC_OK);
	assert_true(isfinite(wq) && wq >= 0);
	/* Extreme sizes stay finite too. */
	b = fc_queue_erlang_b(100000, 99999.0);
	assert_true(isfinite(b) && b > 0 && b < 1);
}

static void
test_edom(void **state)
{
	double p = 42.0;

	(void)state;
	assert_int_equal(fc_queue_erlang_c(2, 2.0, &p), FC_EDOM);
	assert_int_equal(fc_queue_erlang_c(2, 3.5, &p), FC_EDOM);
	assert_int_equal(fc_queue_erlang_c(0, 0.0, &p), FC_EDOM);
	assert_int_equal(fc_queue_erlang_c(2, -0.1, &p), FC_EDOM);
	assert_int_equal(fc_queue_erlang_c(2, NAN, &p), FC_EDOM);
	assert_int_equal(fc_queue_erlang_c(2, INFINITY, &p), FC_EDOM);
	assert_int_equal(fc_queue_mmc_wq(4, 4.0, 1.0, &p), FC_EDOM);
	assert_int_equal(fc_queue_mmc_wq(4, 1.0, 0.0, &p), FC_EDOM);
	assert_int_equal(fc_queue_ggc_wq(4, 1.0, 1.0, -1, 1, &p), FC_EDOM);
	assert_int_equal(fc_queue_wait_tail(4, 1.0, 1.0, 1, 1, -1, &p), FC_EDOM);
	assert_int_equal(fc_queue_wait_tail(4, 5.0, 1.0, 1, 1, 0, &p), FC_EDOM);
	assert_true(p == 42.0);  /* untouched on error */
}

static void
test_mm1_wait(void **state)
{
	double lambda = 0.8, mu = 1.25, wq, p;

	(void)state;
	/* M/M/1: Wq = rho / (mu - lambda). */
	assert_int_equal(fc_queue_mmc_wq(1, lambda / mu, 1.0 / mu, &wq), FC_OK);
	assert_rel(wq, (lambda / mu) / (mu - lambda), 1e-12);
	/* M/M/1 tail is exact: P(W > t) = rho exp(-(mu - lambda) t). */
	assert_int_equal(fc_queue_wait_tail(1, lambda / mu, 1.0 / mu, 1, 1, 2.0,
	    &p), FC_OK);
	assert_rel(p, (lambda / mu) * exp(-(mu - lambda) * 2.0), 1e-12);
}

static void
test_allen_cunneen(void **state)
{
	double w1, w2, p1, p2;

	(void)state;
	assert_int_equal(fc_queue_mmc_wq(7, 5.5, 2.0, &w1), FC_OK);
	assert_int_equal(fc_queue_ggc_wq(7, 5.5, 2.0, 1, 1, &w2), FC_OK);
	assert_rel(w2, w1, 1e-15);
	/* M/D/1 by Pollaczek-Khinchine: Wq = rho es / (2 (1 - rho)); AC
	 * (ca2 = 1, cs2 = 0) is exact there. */
	assert_int_equal(fc_queue_ggc_wq(1, 0.6, 1.0, 1, 0, &w2), FC_OK);
	assert_rel(w2, 0.6 / (2 * 0.4), 1e-12);
	/* The tail at t = 0 is the Erlang C probability, whatever the CVs,
	 * and its integral is the AC mean: C / theta. */
	assert_int_equal(fc_queue_wait_tail(7, 5.5, 2.0, 3, 2, 0, &p1), FC_OK);
	assert_int_equal(fc_queue_erlang_c(7, 5.5, &p2), FC_OK);
	assert_rel(p1, p2, 1e-15);
	assert_int_equal(fc_queue_wait_tail(7, 5.5, 2.0, 3, 2, 1.0, &p2), FC_OK);
	assert_int_equal(fc_queue_ggc_wq(7, 5.5, 2.0, 3, 2, &w2), FC_OK);
	assert_rel(-1.0 / log(p2 / p1), w2 / p1, 1e-12);
	assert_int_equal(fc_queue_wait_tail(7, 5.5, 2.0, 0, 0, 0, &p1), FC_OK);
	assert_true(p1 == 0.0);
}

/* c from fc_queue_min_servers is feasible and c - 1 is not. */
static void
check_minimal(double lambda, double es, double ca2, double cs2, double tw,
    double q, double mu, unsigned c)
{
	double a = lambda * es, p;

	assert_true(a / c < 1);
	if (mu > 0 && mu <= 1)
		assert_true(a / c <= mu);
	assert_int_equal(fc_queue_wait_tail(c, a, es, ca2, cs2, tw, &p), FC_OK);
	assert_true(p <= 1 - q);
	if (c - 1 > a && !(mu > 0 && mu <= 1 && a / (c - 1) > mu)) {
		assert_int_equal(fc_queue_wait_tail(c - 1, a, es, ca2, cs2, tw,
		    &p), FC_OK);
		assert_true(p > 1 - q);
	}
}

static void
test_min_servers(void **state)
{
	unsigned c, prev = 0;
	double lambda;

	(void)state;
	assert_int_equal(fc_queue_min_servers(0, 5, 1, 1, 1, 0.95, 0.8, 100,
	    &c), FC_OK);
	assert_int_equal(c, 0);
	for (lambda = 0.05; lambda < 40; lambda *= 1.3) {
		assert_int_equal(fc_queue_min_servers(lambda, 5.0, 1.5, 0.8,
		    2.0, 0.95, 0, 100000, &c), FC_OK);
		check_minimal(lambda, 5.0, 1.5, 0.8, 2.0, 0.95, 0, c);
		assert_true(c >= prev);
		prev = c;
	}
	/* The utilization cap binds when the wait target is loose. */
	assert_int_equal(fc_queue_min_servers(10, 1, 1, 1, 1000, 0.5, 0.5, 100,
	    &c), FC_OK);
	assert_int_equal(c, 20);
	check_minimal(10, 1, 1, 1, 1000, 0.5, 0.5, c);
	/* An integer load needs one server more than the load. */
	assert_int_equal(fc_queue_min_servers(5, 1, 1, 1, 1e9, 0, 0, 100,
	    &c), FC_OK);
	assert_int_equal(c, 6);
	c = 777;
	assert_int_equal(fc_queue_min_servers(1000, 1, 1, 1, 1, 0.99, 0, 100,
	    &c), FC_ERANGE);
	assert_int_equal(fc_queue_min_servers(90, 1, 1, 1, 0.01, 0.999, 0, 92,
	    &c), FC_ERANGE);
	assert_int_equal(fc_queue_min_servers(1, 1, 1, 1, 1, 1.0, 0, 92, &c),
	    FC_EDOM);
	assert_int_equal(fc_queue_min_servers(-1, 1, 1, 1, 1, 0.9, 0, 92, &c),
	    FC_EDOM);
	assert_int_equal(c, 777);
	/* Large fleets are found without trouble. */
	assert_int_equal(fc_queue_min_servers(1900, 1, 1, 1, 0.1, 0.99, 0,
	    100000, &c), FC_OK);
	check_minimal(1900, 1, 1, 1, 0.1, 0.99, 0, c);
	/* Over RECURSION_MAX channels a bound on Erlang B may settle the
	 * first candidate: still the least c, at and near the cap alike. */
	for (lambda = 230; lambda < 30000; lambda *= 1.37) {
		static const double mus[] = { 0.7, 0.85, 0.95, 0.99 }, tws[] = { 0.05, 0.5, 5 };
		size_t i, k;
		for (i = 0; i < 4; i++)
			for (k = 0; k < 3; k++) {
				assert_int_equal(fc_queue_min_servers(lambda, 1, 1.2, 0.9, tws[k],
				    0.95, mus[i], 100000, &c), FC_OK);
				check_minimal(lambda, 1, 1.2, 0.9, tws[k], 0.95, mus[i], c);
			}
	}
}

/* fc_queue_erlang_b_bound is an upper bound on B from a load of 1e-12 a
 * channel to three times overload: up to 30 channels a division-free
 * recursion raised by 1e-12, within 1e-11 of B (1e-289 where B is under
 * it, near the subnormals); above, the geometric tail. */
static void
test_erlang_b_bound(void **state)
{
	unsigned c;

	(void)state;
	for (c = 1; c <= 400; c += c < 40 ? 1 : 13) {
		double a;
		for (a = 1e-12 * c; a < 3.0 * c; a *= a < 1e-3 * c ? 10 : 1.19) {
			double b = fc_queue_erlang_b(c, a), ub = fc_queue_erlang_b_bound(c, a);
			if (!(ub >= b) || ub > 1)
				fail_msg("c %u a %g: bound %.17g, B %.17g", c, a, ub, b);
			if (c <= 30 && b > 1e-280 && ub > b * (1 + 1e-11))
				fail_msg("c %u a %g: bound %.17g, B %.17g: not within 1e-11", c, a,
				    ub, b);
		}
	}
}

static void
test_cs2_lognormal(void **state)
{
	(void)state;
	assert_true(fc_queue_cs2_lognormal(0) == 0.0);
	assert_rel(fc_queue_cs2_lognormal(1.0), exp(1.0) - 1.0, 1e-15);
	/* sigma^2 = log(1 + cv^2) round-trips. */
	assert_rel(fc_queue_cs2_lognormal(sqrt(log(1 + 0.25))), 0.25, 1e-12);
}

/* M/M/c+D reduces to Erlang B with no patience and to M/M/c (Erlang C
 * and its exponential tail) with unlimited patience. */
static void
test_abandon_limits(void **state)
{
	struct fc_queue_abandon q;
	double pw, tail;
	unsigned c;

	(void)state;
	for (c = 1; c <= 300; c += 37) {
		double a = 0.9 * c;

		assert_int_equal(fc_queue_abandon(c, a, 2, 1, 1, 0, &q), FC_OK);
		assert_rel(q.p_abandon, fc_queue_erlang_b(c, a), 1e-9);
		assert_int_equal(fc_queue_abandon(c, a, 2, 1, 1, INFINITY, &q), FC_OK);
		assert_true(q.p_abandon == 0);
		assert_int_equal(fc_queue_erlang_c(c, a, &pw), FC_OK);
		assert_rel(q.p_wait, pw, 1e-9);
		/* the G/G/c tail of fc_queue_wait_tail, exactly */
		assert_int_equal(fc_queue_abandon(c, a, 2, 0.5, 0.3, INFINITY, &q), FC_OK);
		assert_int_equal(fc_queue_wait_tail(c, a, 2, 0.5, 0.3, 1.5, &tail), FC_OK);
		assert_rel(fc_queue_abandon_tail(&q, 1.5), tail, 1e-9);
	}
	/* a long patience under overload: the fleet serves c / es calls a
	 * second, the rest leave */
	assert_int_equal(fc_queue_abandon(10, 15, 1, 1, 1, 1e4, &q), FC_OK);
	assert_rel(q.p_abandon, 1 - 10.0 / 15, 1e-9);
	/* M/M/1+D in closed form: P(ab) = (1 - r) r e^{-(1 - r) D} /
	 * (1 - r^2 e^{-(1 - r) D}), es = 1, r = a */
	{
		double r = 0.8, d = 2, e = exp(-(1 - r) * d);

		assert_int_equal(fc_queue_abandon(1, r, 1, 1, 1, d, &q), FC_OK);
		assert_rel(q.p_abandon, (1 - r) * r * e / (1 - r * r * e), 1e-12);
	}
	assert_int_equal(fc_queue_abandon(0, 1, 1, 1, 1, 1, &q), FC_EDOM);
	assert_int_equal(fc_queue_abandon(2, 3, 1, 1, 1, INFINITY, &q), FC_EDOM);
	assert_int_equal(fc_queue_abandon(2, NAN, 1, 1, 1, 1, &q), FC_EDOM);
}

/* The share of calls that abandon rises with the load at a given fleet:
 * the breakeven search bounds a day's overflow (a load-weighted mean of
 * the hours' shares) by the busiest hour's share (breakeven.c). */
static void
test_abandon_rises_with_load(void **state)
{
	static const unsigned cs[] = { 1, 2, 5, 20, 100, 300 };
	static const double ds[] = { 0.1, 1, 10 }, vs[] = { 0.2, 1, 2.5 };
	size_t i, k, m;

	(void)state;
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		for (k = 0; k < 3; k++)
			for (m = 0; m < 3; m++) {
				double prev = -1, a;
				for (a = 0.01 * cs[i]; a < 2.0 * cs[i]; a *= 1.07) {
					struct fc_queue_abandon q;
					assert_int_equal(fc_queue_abandon(cs[i], a, 2.0, vs[m], vs[m],
					    2.0 * ds[k], &q), FC_OK);
					if (q.p_abandon < prev)
						fail_msg("c %u a %g D %g: %.17g after %.17g", cs[i], a,
						    2.0 * ds[k], q.p_abandon, prev);
					prev = q.p_abandon;
				}
			}
}

/* At a given utilization the share that abandons falls as the fleet
 * grows (queueing's economies of scale), up to full load: the breakeven
 * search bounds the overflow of every count above one by the share of
 * that count's channels at the target utilization (breakeven.c, ovcap). */
static void
test_abandon_falls_with_size(void **state)
{
	static const double rhos[] = { 0.3, 0.5, 0.8, 0.9, 0.99, 1.0 };
	static const double ds[] = { 0.02, 0.2, 1, 6, 200 }, vs[] = { 0.05, 0.5, 1, 2.5, 5 };
	size_t i, k, m;

	(void)state;
	for (i = 0; i < sizeof(rhos) / sizeof(rhos[0]); i++)
		for (k = 0; k < sizeof(ds) / sizeof(ds[0]); k++)
			for (m = 0; m < sizeof(vs) / sizeof(vs[0]); m++) {
				double prev = 1;
				unsigned c;
				for (c = 1; c <= 2000; c += c < 40 ? 1 : c / 8) {
					struct fc_queue_abandon q;
					assert_int_equal(fc_queue_abandon(c, rhos[i] * c, 2.0, vs[m], vs[m],
					    ds[k], &q), FC_OK);
					if (q.p_abandon > prev)
						fail_msg("rho %g D %g v %g c %u: %.17g after %.17g", rhos[i],
						    ds[k], vs[m], c, q.p_abandon, prev);
					prev = q.p_abandon;
				}
			}
}

/* The overflow share rises with the load, smoothly through a = c (no
 * switch of formula there), and the served calls' wait quantiles stay
 * within the patience. */
static void
test_abandon_continuous(void **state)
{
	static const unsigned cs[] = { 1, 10, 100, 1000 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		double c = cs[i], prev = -1, a;
		struct fc_queue_abandon lo, hi;

		for (a = 0.5 * c; a <= 2 * c; a += 0.01 * c) {
			struct fc_queue_abandon q;
			double w95;

			assert_int_equal(fc_queue_abandon(cs[i], a, 3, 1, 0.5, 2, &q), FC_OK);
			assert_true(q.p_abandon >= prev);
			assert_true(q.p_abandon >= 0 && q.p_abandon < 1);
			assert_true(q.p_abandon <= q.p_wait);
			prev = q.p_abandon;
			w95 = fc_queue_abandon_wait_quantile(&q, 0.95);
			assert_true(w95 >= 0 && w95 <= 2);
			assert_true(fc_queue_abandon_wait_quantile(&q, 0.5) <= w95);
		}
		assert_int_equal(fc_queue_abandon(cs[i], c * (1 - 1e-9), 3, 1, 0.5, 2, &lo), FC_OK);
		assert_int_equal(fc_queue_abandon(cs[i], c * (1 + 1e-9), 3, 1, 0.5, 2, &hi), FC_OK);
		assert_rel(hi.p_abandon, lo.p_abandon, 1e-6);
		assert_rel(hi.p_wait, lo.p_wait, 1e-6);
	}
}

/* Erlang B of many loads side by side: the same bits as one by one, the
 * cases without a recursion (c = 0, a = 0, infinite, NaN, negative), a
 * closed-form c and more loads than one pass holds included; and
 * fc_queue_abandon_b with that B is fc_queue_abandon. */
static void
test_erlang_b_many(void **state)
{
	static const unsigned cs[] = { 0, 1, 2, 29, 30, 255, 256, 257, 1000 };
	double a[40], b[40];
	size_t i, k;

	(void)state;
	for (k = 0; k < sizeof(cs) / sizeof(cs[0]); k++) {
		for (i = 0; i < 40; i++)
			a[i] = (double)cs[k] * (0.05 + 0.037 * (double)i) + 0.3 * (double)(i % 3);
		a[3] = 0;
		a[5] = INFINITY;
		a[7] = NAN;
		a[9] = -1;
		fc_queue_erlang_b_many(cs[k], a, 40, b);
		for (i = 0; i < 40; i++) {
			double want = fc_queue_erlang_b(cs[k], a[i]);
			if (memcmp(&want, &b[i], sizeof(double)) != 0)
				fail_msg("c %u a %g: %.17g, one by one %.17g", cs[k], a[i], b[i], want);
		}
		for (i = 0; i < 40 && cs[k] > 0; i++) {
			struct fc_queue_abandon q1, q2;
			double bb;
			enum fc_status s1, s2;
			if (!(a[i] >= 0) || isinf(a[i]))
				continue;
			bb = fc_queue_erlang_b(cs[k] - 1, a[i]);
			s1 = fc_queue_abandon(cs[k], a[i], 2.0, 1.0, 0.5, 3.0, &q1);
			s2 = fc_queue_abandon_b(cs[k], a[i], 2.0, 1.0, 0.5, 3.0, bb, &q2);
			assert_int_equal(s1, s2);
			if (s1 == FC_OK)
				assert_memory_equal(&q1, &q2, sizeof(q1));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erlang_b_textbook),
		cmocka_unit_test(test_erlang_c_textbook),
		cmocka_unit_test(test_erlang_large_c_stable),
		cmocka_unit_test(test_erlang_b_series),
		cmocka_unit_test(test_edom),
		cmocka_unit_test(test_mm1_wait),
		cmocka_unit_test(test_allen_cunneen),
		cmocka_unit_test(test_min_servers),
		cmocka_unit_test(test_cs2_lognormal),
		cmocka_unit_test(test_abandon_limits),
		cmocka_unit_test(test_abandon_continuous),
		cmocka_unit_test(test_abandon_rises_with_load),
		cmocka_unit_test(test_abandon_falls_with_size),
		cmocka_unit_test(test_erlang_b_bound),
		cmocka_unit_test(test_erlang_b_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
