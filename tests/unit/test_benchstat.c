/* test_benchstat.c: percentiles, per-level figures and goodput, and the
 * parsers of --concurrency, --rate and --slo (model/benchstat.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "benchstat.h"

#define NEAR(a, b) assert_true(absd((a) - (b)) < 1e-9 * (1 + absd(b)))

static double
absd(double x)
{
	return x < 0 ? -x : x;
}

static void
test_percentile_type7(void **state)
{
	double v[] = { 1, 2, 3, 4 };
	double one[] = { 7 };

	(void)state;
	NEAR(fc_benchstat_percentile(v, 4, 0.5), 2.5);
	NEAR(fc_benchstat_percentile(v, 4, 0.9), 3.7);     /* h = 2.7 */
	NEAR(fc_benchstat_percentile(v, 4, 0.99), 3.97);
	NEAR(fc_benchstat_percentile(v, 4, 0), 1);
	NEAR(fc_benchstat_percentile(v, 4, 1), 4);
	NEAR(fc_benchstat_percentile(one, 1, 0.9), 7);
	NEAR(fc_benchstat_percentile(NULL, 0, 0.5), 0);
}

static void
test_dist_sorts(void **state)
{
	double v[] = { 5, 1, 4, 2, 3 };
	struct fc_benchstat_dist d;

	(void)state;
	fc_benchstat_dist(v, 5, &d);
	assert_int_equal(d.n, 5);
	NEAR(d.mean, 3);
	NEAR(d.p50, 3);
	NEAR(d.p90, 4.6);
	NEAR(d.min, 1);
	NEAR(d.max, 5);
	fc_benchstat_dist(v, 0, &d);
	assert_int_equal(d.n, 0);
	NEAR(d.mean, 0);
}

/*
 * Three requests at concurrency 2, by hand:
 *  A: start 0, first 0.5, end 2.5, 21 tokens (server), 100 input tokens,
 *     server prompt 0.4 s, eval 2.0 s: TTFT 0.5, TPOT 0.1, E2E 2.5
 *  B: start 0, first 1.0, end 3.0, 11 pieces, no server counts:
 *     TTFT 1.0, TPOT 0.2, E2E 3.0
 *  C: start 2.5, failed at 4.0
 */
static void
test_level_by_hand(void **state)
{
	double ga[] = { 0.1, 0.1 }, gb[] = { 0.2, 0.2, 0.2 };
	struct fc_benchstat_req r[3];
	struct fc_benchstat_slo slo = { 0.8, 0.15, 0 };
	struct fc_benchstat_level l;

	(void)state;
	memset(r, 0, sizeof(r));
	r[0] = (struct fc_benchstat_req){ 1, 0, 0.5, 2.5, 21, ga, 2, 100, 21,
	    0.4, 2.0, 0.01, 80 };
	r[1] = (struct fc_benchstat_req){ 1, 0, 1.0, 3.0, 11, gb, 3, 100, -1,
	    -1, -1, -1, -1 };
	r[2] = (struct fc_benchstat_req){ 0, 2.5, -1, 4.0, 0, NULL, 0, 100, -1,
	    -1, -1, -1, -1 };
	assert_int_equal(fc_benchstat_level(r, 3, 2, &slo, &l), FC_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.ok, 2);
	assert_int_equal(l.errors, 1);
	NEAR(l.wall_s, 4.0);
	NEAR(l.ttft_s.p50, 0.75);
	NEAR(l.tpot_s.mean, 0.15);
	NEAR(l.e2e_s.p50, 2.75);
	assert_int_equal(l.itl_s.n, 5);
	NEAR(l.itl_s.p50, 0.2);
	NEAR(l.output_tokens_mean, 16);          /* (21 + 11) / 2 */
	assert_false(l.tokens_from_server);      /* B had no server count */
	NEAR(l.output_tok_s, 32.0 / 4.0);
	/* observed, not multiplied: two or more requests were outstanding
	 * over [0, 3.0] (C replaced A at 2.5), one decoding from 0.5: the
	 * 20 + 10 decode tokens (no gap list covers every piece: spread over
	 * each stream's decode span) over 2.5 s; A and B overlapped */
	NEAR(l.decode_tok_s, 30.0 / 2.5);
	NEAR(l.overlap_s, 2.5);
	assert_int_equal(l.streams_in_flight_max, 2);
	NEAR(l.prefill_tok_s, 200 / 1.5);
	NEAR(l.requests_per_s, 0.5);
	NEAR(l.srv_prefill_tok_s, 80 / 0.4);     /* 20 prompt tokens were cached */
	NEAR(l.srv_decode_tok_s, 21 / 2.0);
	NEAR(l.srv_load_s, 0.01);
	/* only A meets ttft <= 0.8 and tpot <= 0.15; C failed */
	assert_int_equal(l.slo_met, 1);
	NEAR(l.slo_attainment, 1.0 / 3);
	NEAR(l.goodput_rps, 1.0 / 4.0);
	NEAR(l.stream_tok_s.p50, 7.5);           /* rates 10 and 5 */
}

static void
test_level_open_loop_streams(void **state)
{
	struct fc_benchstat_req r[2];
	struct fc_benchstat_level l;

	(void)state;
	memset(r, 0, sizeof(r));
	/* two streams decoding 1 s each, apart: 20 tokens over the 2 s in
	 * which one was decoding */
	r[0] = (struct fc_benchstat_req){ 1, 0, 0.5, 1.5, 11, NULL, 0, -1, 11, -1, -1, -1, -1 };
	r[1] = (struct fc_benchstat_req){ 1, 2, 2.5, 4.0 - 0.5, 11, NULL, 0, -1, 11, -1, -1, -1, -1 };
	assert_int_equal(fc_benchstat_level(r, 2, 0, NULL, &l), FC_OK);
	NEAR(l.wall_s, 3.5);
	NEAR(l.decode_tok_s, 20 / 2.0);
	assert_int_equal(l.streams_in_flight_max, 1);
	assert_true(l.tokens_from_server);
	NEAR(l.input_tokens_mean, -1);
	NEAR(l.srv_prefill_tok_s, -1);
	assert_int_equal(l.slo_met, 2);          /* no SLO: all completed meet it */
}

static void
test_level_empty_and_oom(void **state)
{
	struct fc_benchstat_level l;
	struct fc_benchstat_req r = { 1, 0, 0.1, 1, 2, NULL, 0, 5, 2, -1, -1, -1, -1 };

	(void)state;
	assert_int_equal(fc_benchstat_level(NULL, 0, 1, NULL, &l), FC_OK);
	assert_int_equal(l.n, 0);
	NEAR(l.output_tok_s, 0);
	fc_alloc_fail_at(2);
	assert_int_equal(fc_benchstat_level(&r, 1, 1, NULL, &l), FC_ENOMEM);
	fc_alloc_fail_at(0);
}

static void
test_levels_parse(void **state)
{
	long v[64];
	char err[128];

	(void)state;
	assert_int_equal(fc_benchstat_levels_parse("1,2,4,8", 1024, v, 64, err, sizeof(err)), 4);
	assert_int_equal(v[3], 8);
	assert_int_equal(fc_benchstat_levels_parse("1-32*2", 1024, v, 64, err, sizeof(err)), 6);
	assert_int_equal(v[5], 32);
	assert_int_equal(fc_benchstat_levels_parse("1-20*3", 1024, v, 64, err, sizeof(err)), 3);
	assert_int_equal(v[2], 9);
	assert_int_equal(fc_benchstat_levels_parse("2-5+1", 1024, v, 64, err, sizeof(err)), 4);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[3], 5);
	assert_int_equal(fc_benchstat_levels_parse("1-8", 1024, v, 64, err, sizeof(err)), 4);
	assert_int_equal(fc_benchstat_levels_parse("1,2,1-4", 1024, v, 64, err, sizeof(err)), 3);
	assert_int_equal(v[2], 4);
	assert_int_equal(fc_benchstat_levels_parse("16", 1024, v, 64, err, sizeof(err)), 1);
	assert_int_equal(fc_benchstat_levels_parse("0", 1024, v, 64, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[1, 1024]"));
	assert_int_equal(fc_benchstat_levels_parse("4-2", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("1,,2", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("a", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("1-8*1", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("1-2048", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("1x", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("-1", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("99999999999999999999", 1024, v, 64, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_levels_parse("1-100+1", 1024, v, 8, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many"));
}

static void
test_rates_parse(void **state)
{
	double v[8];
	char err[128];

	(void)state;
	assert_int_equal(fc_benchstat_rates_parse("0.5,1,2", 1e6, v, 8, err, sizeof(err)), 3);
	NEAR(v[0], 0.5);
	NEAR(v[2], 2);
	assert_int_equal(fc_benchstat_rates_parse("0", 1e6, v, 8, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_rates_parse("-1", 1e6, v, 8, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_rates_parse("1,", 1e6, v, 8, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_rates_parse("nan", 1e6, v, 8, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_rates_parse("1e9", 1e6, v, 8, err, sizeof(err)), -1);
}

static void
test_slo_parse(void **state)
{
	struct fc_benchstat_slo s;
	char err[128];

	(void)state;
	assert_int_equal(fc_benchstat_slo_parse("ttft=2s,tpot=200ms", &s, err, sizeof(err)), 0);
	NEAR(s.ttft_s, 2);
	NEAR(s.tpot_s, 0.2);
	NEAR(s.e2e_s, 0);
	assert_int_equal(fc_benchstat_slo_parse("e2e=30", &s, err, sizeof(err)), 0);
	NEAR(s.e2e_s, 30);
	NEAR(s.ttft_s, 0);
	assert_int_equal(fc_benchstat_slo_parse("ttft", &s, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_slo_parse("foo=1s", &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown SLO"));
	assert_int_equal(fc_benchstat_slo_parse("ttft=-1s", &s, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_slo_parse("ttft=2x", &s, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_slo_parse("ttft=2s,", &s, err, sizeof(err)), -1);
	assert_int_equal(fc_benchstat_slo_parse("", &s, err, sizeof(err)), -1);
}

/* --repeat: sd with n - 1, the t interval of the mean (t(0.975, 3) =
 * 3.182446, t(0.975, 7) = 2.364624, from R's qt), and the interval
 * narrows as the same spread is seen over more runs. */
static void
test_repeat(void **state)
{
	const double four[] = { 10, 12, 11, 13 };
	const double eight[] = { 10, 12, 11, 13, 0, 10, 12, 11, 13 };
	struct fc_benchstat_rep a, b;

	(void)state;
	fc_benchstat_repeat(four, 4, &a);
	assert_int_equal(a.n, 4);
	assert_true(fabs(a.mean - 11.5) < 1e-12);
	assert_true(fabs(a.sd - sqrt(5.0 / 3)) < 1e-12);
	assert_true(fabs(a.ci_hi - a.mean - 3.182446 * sqrt(5.0 / 3) / 2) < 1e-5);
	assert_true(fabs(a.mean - a.ci_lo - (a.ci_hi - a.mean)) < 1e-12);
	fc_benchstat_repeat(eight, 9, &b);   /* the 0 (a run without figures) is left out */
	assert_int_equal(b.n, 8);
	assert_true(fabs(b.ci_hi - b.mean - 2.364624 * sqrt(10.0 / 7) / sqrt(8)) < 1e-5);
	assert_true(b.ci_hi - b.ci_lo < (a.ci_hi - a.ci_lo) / 2);
	fc_benchstat_repeat(four, 1, &a);
	assert_true(a.n == 1 && a.mean == 10 && a.sd == -1 && a.ci_lo == -1);
	fc_benchstat_repeat(eight + 4, 1, &a);
	assert_true(a.n == 0 && a.sd == -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile_type7),
		cmocka_unit_test(test_dist_sorts),
		cmocka_unit_test(test_level_by_hand),
		cmocka_unit_test(test_level_open_loop_streams),
		cmocka_unit_test(test_level_empty_and_oom),
		cmocka_unit_test(test_levels_parse),
		cmocka_unit_test(test_rates_parse),
		cmocka_unit_test(test_slo_parse),
		cmocka_unit_test(test_repeat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
