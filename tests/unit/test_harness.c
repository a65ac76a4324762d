/* test_harness.c: bench's harness without a server (model/harness.c):
 * recorded stream timestamps of a server that serializes and of one with
 * N slots, the throughput observed over their overlap, the SLO search
 * against an oracle, requests per level, lengths and roofline figures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define NEAR(a, b) assert_true(absd((a) - (b)) < 1e-9 * (1 + absd(b)))

static double
absd(double x)
{
	return x < 0 ? -x : x;
}

#define MAXQ 64
#define TOK 101                 /* tokens a request streams */
#define PREFILL 0.05            /* s before its first token */
#define SERVICE 1.0             /* s from taken by a slot to last token */

static double gaps[TOK - 1];

/*
 * A closed loop of conc streams and n requests against a server of
 * `slots` slots (FIFO queue): each request, once a slot takes it, sends
 * its first token PREFILL s later and its last at SERVICE s, TOK tokens
 * evenly; the client replaces a request the instant it ends.
 */
static void
record(struct fc_benchstat_req *r, size_t n, long conc, long slots)
{
	double slot_free[16] = { 0 }, client_free[MAXQ];
	size_t i;
	long k;

	for (i = 0; i < TOK - 1; i++)
		gaps[i] = (SERVICE - PREFILL) / (TOK - 1);
	for (k = 0; k < conc; k++)
		client_free[k] = 0;
	memset(r, 0, n * sizeof(*r));
	for (i = 0; i < n; i++) {
		long c = 0, s = 0;
		double start, take;

		/* the stream free first sends; the slot free first takes it */
		for (k = 1; k < conc; k++)
			if (client_free[k] < client_free[c])
				c = k;
		for (k = 1; k < slots; k++)
			if (slot_free[k] < slot_free[s])
				s = k;
		start = client_free[c];
		take = start > slot_free[s] ? start : slot_free[s];
		r[i] = (struct fc_benchstat_req){ 1, start, take + PREFILL,
		    take + SERVICE, TOK, gaps, TOK - 1, 16, TOK, -1, -1, -1, -1 };
		slot_free[s] = client_free[c] = take + SERVICE;
	}
}

static void
test_overlap_serializing(void **state)
{
	struct fc_benchstat_req r[8];
	struct fc_harness_overlap ov;
	struct fc_benchstat_level l;

	(void)state;
	record(r, 8, 4, 1);
	assert_int_equal(fc_harness_overlap(r, 8, 4, &ov), FC_OK);
	assert_int_equal(ov.streams_max, 1);
	/* four streams outstanding until the fifth request ends at 5 s; one
	 * decodes at a time: 5 x 100 tokens over 5 x 0.95 s */
	NEAR(ov.window_s, 5 * 0.95);
	NEAR(ov.tokens, 500);
	NEAR(ov.tok_s, 100 / 0.95);
	/* the level's aggregate is that figure, not 4 x the stream rate */
	assert_int_equal(fc_benchstat_level(r, 8, 4, NULL, &l), FC_OK);
	NEAR(l.decode_tok_s, 100 / 0.95);
	assert_int_equal(l.streams_in_flight_max, 1);
	NEAR(l.stream_tok_s.p50, 100 / 0.95);
}

static void
test_overlap_slots(void **state)
{
	struct fc_benchstat_req r[32];
	struct fc_harness_overlap ov;

	(void)state;
	/* 8 streams asked of a server with 4 slots: 4 decode at once; the
	 * last wave (after the last request was issued, fewer than 8
	 * outstanding) is outside the window */
	record(r, 32, 8, 4);
	assert_int_equal(fc_harness_overlap(r, 32, 8, &ov), FC_OK);
	assert_int_equal(ov.streams_max, 4);
	NEAR(ov.tok_s, 4 * 100 / 0.95);
	NEAR(ov.t_hi, 7 * SERVICE);
	NEAR(ov.tokens, 7 * 4 * 100);
	/* as many slots as streams: all of them */
	record(r, 32, 4, 4);
	assert_int_equal(fc_harness_overlap(r, 32, 4, &ov), FC_OK);
	assert_int_equal(ov.streams_max, 4);
	NEAR(ov.tok_s, 4 * 100 / 0.95);
	/* one stream: its decode rate */
	record(r, 8, 1, 4);
	assert_int_equal(fc_harness_overlap(r, 8, 1, &ov), FC_OK);
	assert_int_equal(ov.streams_max, 1);
	NEAR(ov.tok_s, 100 / 0.95);
}

static void
test_overlap_edges(void **state)
{
	struct fc_benchstat_req r[2];
	struct fc_harness_overlap ov;

	(void)state;
	memset(r, 0, sizeof(r));
	/* one ends the instant the other starts: never two at once */
	r[0] = (struct fc_benchstat_req){ 1, 0, 0, 1, 11, NULL, 0, -1, 11, -1, -1, -1, -1 };
	r[1] = (struct fc_benchstat_req){ 1, 1, 1, 2, 11, NULL, 0, -1, 11, -1, -1, -1, -1 };
	assert_int_equal(fc_harness_overlap(r, 2, 1, &ov), FC_OK);
	assert_int_equal(ov.streams_max, 1);
	NEAR(ov.window_s, 2);
	NEAR(ov.tok_s, 10);
	/* asked for 2 streams, never 2 outstanding: no window, no figure */
	assert_int_equal(fc_harness_overlap(r, 2, 2, &ov), FC_OK);
	NEAR(ov.window_s, 0);
	NEAR(ov.tok_s, 0);
	/* nothing recorded */
	assert_int_equal(fc_harness_overlap(NULL, 0, 1, &ov), FC_OK);
	assert_int_equal(ov.streams_max, 0);
	fc_alloc_fail_at(1);
	assert_int_equal(fc_harness_overlap(r, 2, 1, &ov), FC_ENOMEM);
	fc_alloc_fail_at(0);
}

/* Runs a search against an oracle: levels up to `limit` pass; a level at
 * `improper` (0: none) is not measured properly.  Returns the probes. */
static int
search(struct fc_harness_search *s, int open, double start, double limit,
    double improper, double *seen)
{
	double x;
	int n = 0;

	fc_harness_search_init(s, open, start);
	while ((x = fc_harness_search_next(s)) > 0 && n < 64) {
		seen[n++] = x;
		fc_harness_search_feed(s, x <= limit, x != improper);
	}
	return n;
}

static void
test_search(void **state)
{
	struct fc_harness_search s;
	double seen[64], want[] = { 1, 2, 4, 8, 16, 12, 14, 13 };
	int n, i;

	(void)state;
	/* a server whose true answer is 13 */
	n = search(&s, 0, 1, 13, 0, seen);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++)
		NEAR(seen[i], want[i]);
	NEAR(s.best, 13);
	NEAR(s.fail, 14);
	assert_false(s.lower_bound_only);
	/* everything passes: the top of the range, a lower bound */
	n = search(&s, 0, 1, 1e9, 0, seen);
	assert_int_equal(n, 11);
	NEAR(s.best, 1024);
	NEAR(s.fail, 0);
	assert_true(s.lower_bound_only);
	/* nothing passes: no answer, 1 fails */
	search(&s, 0, 1, 0, 0, seen);
	NEAR(s.best, 0);
	NEAR(s.fail, 1);
	/* a level not measured properly ends the search: no bound from it */
	search(&s, 0, 1, 1e9, 16, seen);
	NEAR(s.best, 8);
	NEAR(s.fail, 0);
	assert_true(s.improper);
	assert_false(s.lower_bound_only);
	/* rates: bracket, then bisect to 5% */
	search(&s, 1, 64, 100, 0, seen);
	assert_true(s.best <= 100 && s.fail > 100 && s.fail / s.best <= 1.05);
	/* a rate that fails halves down to start / 16 */
	n = search(&s, 1, 64, 0, 0, seen);
	assert_int_equal(n, 5);
	NEAR(seen[4], 4);
	NEAR(s.best, 0);
}

static void
test_requests(void **state)
{
	(void)state;
	assert_int_equal(fc_harness_requests(0, 16, 0), 64);
	assert_int_equal(fc_harness_requests(0, 1, 0), 8);
	assert_int_equal(fc_harness_requests(0, 0, 0), 8);
	assert_int_equal(fc_harness_requests(6, 2, 0), 6);
	assert_int_equal(fc_harness_requests(6, 16, 1), 64);
	assert_int_equal(fc_harness_requests(100, 16, 1), 100);
	assert_int_equal(fc_harness_requests(4, 0, 1), 8);
	assert_int_equal(fc_harness_requests(4, 1, 1), 8);
	assert_int_equal(fc_harness_requests(4, 0, 0), 4);
	assert_false(fc_harness_enough(63, 16));
	assert_true(fc_harness_enough(64, 16));
	assert_false(fc_harness_enough(7, 0));
	assert_true(fc_harness_enough(8, 0));
}

static void
test_lengths(void **state)
{
	struct fc_harness_lengths L = { 400, 100, 64, 0, 0, 8, 3.92 };
	uint64_t rng = 42, rng2 = 42;
	double sum_in = 0, sum_out = 0;
	size_t chars, c2;
	long out, o2;
	int i;

	(void)state;
	fc_harness_draw_lengths(&L, &rng, &chars, &out);
	assert_int_equal(chars, 400);
	assert_int_equal(out, 64);
	assert_int_equal(rng, 42);          /* no draw without a CV */
	L.input_cv = L.output_cv = 0.5;
	for (i = 0; i < 4000; i++) {
		fc_harness_draw_lengths(&L, &rng, &chars, &out);
		sum_in += 8 + 3.92 * (double)chars;
		sum_out += (double)out;
		assert_true(chars >= 8 && out >= 1);
	}
	assert_true(absd(sum_in / 4000 - 100) < 5);
	assert_true(absd(sum_out / 4000 - 64) < 3);
	/* the same stream, the same draws */
	rng = 7;
	rng2 = 7;
	fc_harness_draw_lengths(&L, &rng, &chars, &out);
	fc_harness_draw_lengths(&L, &rng2, &c2, &o2);
	assert_int_equal(chars, c2);
	assert_int_equal(out, o2);
}

static void
test_roofline(void **state)
{
	struct fc_harness_roofline rf;

	(void)state;
	/* estimated from the measurement: 10 tok/s x 4 GB, 100 tok/s x 14 GFLOP */
	fc_harness_roofline(10, 100, 4, 7, 0, 0, &rf);
	NEAR(rf.bw_gbs, 40);
	NEAR(rf.gflops, 1400);
	NEAR(rf.eta_decode, 1);
	assert_false(rf.measured);
	/* against a probe: the engine's share */
	fc_harness_roofline(10, 100, 4, 7, 80, 2800, &rf);
	NEAR(rf.eta_decode, 0.5);
	NEAR(rf.eta_prefill, 0.5);
	assert_true(rf.measured);
	assert_false(rf.capped);
	/* faster than the probe's bound: capped at 1 */
	fc_harness_roofline(10, 100, 4, 7, 20, 2800, &rf);
	NEAR(rf.raw_decode, 2);
	NEAR(rf.eta_decode, 1);
	assert_true(rf.capped);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlap_serializing),
		cmocka_unit_test(test_overlap_slots),
		cmocka_unit_test(test_overlap_edges),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_roofline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
