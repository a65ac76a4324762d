/*
 * test_pool.c: model/pool.c, the shared trial runner: every trial run
 * once whatever the threads and the block size, the first failure stops the run and is
 * returned, cancellation, a thread state that cannot be made, progress
 * counted from its base.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pool.h"

#define N 1000

struct ctx {
	int hits[N];
	long fail_at;            /* the trial that fails, or -1 */
	volatile int cancel;
	long cancel_at;          /* the trial that sets cancel, or -1 */
	int no_state;
	long last_done, last_total, calls;
};

static void *
state_new(void *ctx)
{
	struct ctx *c = ctx;
	static int token;

	return c->no_state ? NULL : &token;
}

static enum fc_status
run(void *ctx, void *state, long lo, long hi)
{
	struct ctx *c = ctx;
	long i;

	assert_non_null(state);
	for (i = lo; i < hi; i++) {
		if (i == c->fail_at)
			return FC_EDOM;
		if (i == c->cancel_at)
			c->cancel = 1;
		__atomic_add_fetch(&c->hits[i], 1, __ATOMIC_RELAXED);
	}
	return FC_OK;
}

static void
progress(void *ctx, long done, long total)
{
	struct ctx *c = ctx;

	c->last_done = done;
	c->last_total = total;
	c->calls++;
}

static void
pool_of(struct fc_pool *p, struct ctx *c, int threads)
{
	memset(c, 0, sizeof(*c));
	c->fail_at = c->cancel_at = -1;
	memset(p, 0, sizeof(*p));
	p->n = N;
	p->threads = threads;
	p->init = state_new;
	p->run = run;
	p->ctx = c;
	p->cancel = &c->cancel;
}

static void
test_every_trial_once(void **state)
{
	static struct ctx c;
	struct fc_pool p;
	int t, i;

	(void)state;
	for (t = 1; t <= 5; t++) {
		pool_of(&p, &c, t);
		assert_int_equal(fc_pool_run(&p), FC_OK);
		for (i = 0; i < N; i++)
			assert_int_equal(c.hits[i], 1);
		/* blocks of another size (one item at a time: the figures'
		 * statistics), and a run shorter than the threads */
		pool_of(&p, &c, t);
		p.block = 1;
		p.n = 3;
		assert_int_equal(fc_pool_run(&p), FC_OK);
		for (i = 0; i < N; i++)
			assert_int_equal(c.hits[i], i < 3);
		pool_of(&p, &c, t);
		p.block = 7;
		assert_int_equal(fc_pool_run(&p), FC_OK);
		for (i = 0; i < N; i++)
			assert_int_equal(c.hits[i], 1);
	}
}

static void
test_failure_and_cancel(void **state)
{
	static struct ctx c;
	struct fc_pool p;
	long i, ran = 0;

	(void)state;
	pool_of(&p, &c, 3);
	c.fail_at = 130;
	assert_int_equal(fc_pool_run(&p), FC_EDOM);
	assert_int_equal(c.hits[130], 0);
	pool_of(&p, &c, 2);
	c.cancel_at = 10;
	assert_int_equal(fc_pool_run(&p), FC_ERANGE);
	for (i = 0; i < N; i++)
		ran += c.hits[i];
	assert_true(ran < N);
	pool_of(&p, &c, 2);
	c.no_state = 1;
	assert_int_equal(fc_pool_run(&p), FC_ENOMEM);
}

static void
test_progress(void **state)
{
	static struct ctx c;
	struct fc_pool p;

	(void)state;
	pool_of(&p, &c, 2);
	p.progress = progress;
	p.progress_ctx = &c;
	p.progress_base = 250;
	p.progress_total = 250 + N;
	assert_int_equal(fc_pool_run(&p), FC_OK);
	assert_true(c.calls >= 1);
	assert_int_equal(c.last_done, 250 + N);
	assert_int_equal(c.last_total, 250 + N);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_trial_once),
		cmocka_unit_test(test_failure_and_cancel),
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
