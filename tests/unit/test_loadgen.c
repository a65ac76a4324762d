/*
 * test_loadgen.c: the bench load scheduler (model/loadgen.c) driven by a
 * fake transport on a virtual clock, without a server or libcurl: a closed
 * loop keeps exactly C requests in flight and replaces each at once, an
 * open loop starts requests at its arrival times whatever is in flight, a
 * duration ends issuing, a stop aborts what is in flight, an SLO search
 * probe ends once it cannot pass, and a request that cannot start stops
 * the batch.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "loadgen.h"

#define MAXREQ 256

/* Requests that take `service` seconds each on a virtual clock. */
struct fake {
	double now, service;
	double end[MAXREQ];     /* of the requests in flight */
	size_t n_flight, max_flight;
	double started[MAXREQ]; /* start times, in order */
	long n_started, n_done, n_aborted;
	long misses;            /* every ended request missed the SLO when miss_all */
	int miss_all;
	long stop_after;        /* stopped() once this many ended; 0: never */
	long fail_at;           /* start() fails for this request (1-based); 0: never */
};

static double
f_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static int
f_start(void *ctx)
{
	struct fake *f = ctx;

	if (f->fail_at && f->n_started + 1 == f->fail_at)
		return -1;
	assert_true(f->n_started < MAXREQ);
	f->started[f->n_started++] = f->now;
	f->end[f->n_flight++] = f->now + f->service;
	if (f->n_flight > f->max_flight)
		f->max_flight = f->n_flight;
	return 0;
}

static int
f_reap(void *ctx)
{
	struct fake *f = ctx;
	size_t i = 0;
	int ended = 0;

	while (i < f->n_flight)
		if (f->end[i] <= f->now + 1e-12) {
			f->end[i] = f->end[--f->n_flight];
			f->n_done++;
			f->misses += f->miss_all;
			ended++;
		} else {
			i++;
		}
	return ended;
}

static void
f_check(void *ctx, double t)
{
	(void)ctx;
	(void)t;
}

static int
f_stopped(void *ctx)
{
	const struct fake *f = ctx;

	return f->stop_after > 0 && f->n_done >= f->stop_after;
}

/* Advances the clock to the next end, or by the timeout. */
static void
f_wait(void *ctx, int timeout_ms)
{
	struct fake *f = ctx;
	double until = f->now + timeout_ms / 1000.0;
	size_t i;

	for (i = 0; i < f->n_flight; i++)
		if (f->end[i] < until)
			until = f->end[i];
	f->now = until;
}

static void
f_abort_all(void *ctx)
{
	struct fake *f = ctx;

	f->n_aborted += (long)f->n_flight;
	f->n_flight = 0;
}

static size_t
f_in_flight(void *ctx)
{
	return ((struct fake *)ctx)->n_flight;
}

static long
f_slo_misses(void *ctx)
{
	return ((struct fake *)ctx)->misses;
}

static struct fc_loadgen_transport
transport(struct fake *f)
{
	struct fc_loadgen_transport t = { f, f_now, f_start, f_reap, f_check, f_stopped, f_wait,
	    f_abort_all, f_in_flight, f_slo_misses, NULL };

	return t;
}

static struct fc_loadgen_opts
closed(long conc, long n)
{
	struct fc_loadgen_opts o;

	memset(&o, 0, sizeof(o));
	o.conc = conc;
	o.n = n;
	o.max_inflight = 64;
	o.arrival_cv = 1;
	o.poll_ms = 50;
	return o;
}

static void
test_closed_loop(void **state)
{
	struct fake f;
	struct fc_loadgen_transport t;
	struct fc_loadgen_opts o = closed(3, 10);
	struct fc_loadgen_result res;
	uint64_t rng = 1;
	long i;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.now = 100;
	f.service = 0.5;
	t = transport(&f);
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_OK);
	assert_int_equal(res.issued, 10);
	assert_int_equal(f.n_done, 10);
	assert_int_equal(f.max_flight, 3);
	assert_false(res.stopped || res.ended_early || res.oom);
	/* 3 at once, each replaced the moment it ends: 3, 3, 3 and 1 */
	for (i = 0; i < 10; i++)
		assert_true(fabs(f.started[i] - (100 + 0.5 * (double)(i / 3))) < 1e-9);
	/* the last ends at 102; one poll's wait (50 ms) may follow it */
	assert_true(f.now > 102 - 1e-9 && f.now < 102.05 + 1e-9);
	assert_int_equal(rng, 1);   /* a closed loop draws no arrivals */
}

static void
test_open_loop(void **state)
{
	struct fake f;
	struct fc_loadgen_transport t;
	struct fc_loadgen_opts o = closed(0, 200);
	struct fc_loadgen_result res;
	uint64_t rng = 7, again = 7;
	double gap, sum = 0;
	long i;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.service = 0.35;       /* several in flight at 10/s: the arrivals do not wait */
	o.rate = 10;
	t = transport(&f);
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_OK);
	assert_int_equal(res.issued, 200);
	assert_true(f.max_flight > 1);
	/* each start at its arrival time (to the poll's millisecond), the gaps
	 * the stream's draws */
	for (i = 0; i < 200; i++) {
		sum += fc_loadgen_gap(&again, 10, 1);
		assert_true(f.started[i] >= sum - 1e-9 && f.started[i] <= sum + 0.0011);
	}
	gap = f.started[199] / 199;
	assert_true(gap > 0.08 && gap < 0.12);   /* mean gap 1 / rate */
}

static void
test_duration(void **state)
{
	struct fake f;
	struct fc_loadgen_transport t;
	struct fc_loadgen_opts o = closed(2, 0);
	struct fc_loadgen_result res;
	uint64_t rng = 1;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.service = 0.25;
	o.duration = 1;
	t = transport(&f);
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_OK);
	/* starts at 0, 0.25, 0.5, 0.75, two each; none at 1 */
	assert_int_equal(res.issued, 8);
	assert_int_equal(f.n_done, 8);
}

static void
test_stop_aborts(void **state)
{
	struct fake f;
	struct fc_loadgen_transport t;
	struct fc_loadgen_opts o = closed(4, 100);
	struct fc_loadgen_result res;
	uint64_t rng = 1;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.service = 1;
	f.stop_after = 5;
	t = transport(&f);
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_ERANGE);
	assert_true(res.stopped);
	/* 4 ended at t = 1 and were replaced, then 1 more... the first reap
	 * after the fifth end stops it; what was in flight is aborted */
	assert_true(f.n_done >= 5);
	assert_int_equal(f.n_flight, 0);
	assert_int_equal(res.issued, f.n_done + f.n_aborted);
	assert_true(res.issued < 100);
}

static void
test_search_lost_cause(void **state)
{
	struct fake f;
	struct fc_loadgen_transport t;
	struct fc_loadgen_opts o = closed(1, 10);
	struct fc_loadgen_result res;
	uint64_t rng = 1;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.service = 1;
	f.miss_all = 1;
	o.search = 1;
	o.attainment = 0.9;     /* 10 requests may miss once */
	t = transport(&f);
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_OK);
	assert_true(res.ended_early);
	assert_int_equal(f.n_done, 2);
	assert_int_equal(f.misses, 2);
	assert_true(fc_loadgen_lost_cause(10, 2, 0.9));
	assert_false(fc_loadgen_lost_cause(10, 1, 0.9));
	assert_false(fc_loadgen_lost_cause(0, 5, 0.9));
	/* the same batch as a plain level runs whole */
	o.search = 0;
	memset(&f, 0, sizeof(f));
	f.service = 1;
	f.miss_all = 1;
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_OK);
	assert_int_equal(f.n_done, 10);
}

static void
test_start_fails(void **state)
{
	struct fake f;
	struct fc_loadgen_transport t;
	struct fc_loadgen_opts o = closed(4, 20);
	struct fc_loadgen_result res;
	uint64_t rng = 1;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.service = 1;
	f.fail_at = 3;
	t = transport(&f);
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_ENOMEM);
	assert_true(res.oom && res.stopped);
	assert_int_equal(res.issued, 2);
	assert_int_equal(f.n_aborted, 2);
	/* nothing in flight when it fails: no abort */
	memset(&f, 0, sizeof(f));
	f.service = 1;
	f.fail_at = 1;
	assert_int_equal(fc_loadgen_run(&o, &t, &rng, &res), FC_ENOMEM);
	assert_true(res.oom && !res.stopped);
	assert_int_equal(res.issued, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed_loop),
		cmocka_unit_test(test_open_loop),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_stop_aborts),
		cmocka_unit_test(test_search_lost_cause),
		cmocka_unit_test(test_start_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
