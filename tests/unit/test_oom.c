/* test_oom.c: allocation-failure injection through the library, as
 * SQLite's OOM tests do: each operation runs again and again with the n-th
 * allocation failing (fc_alloc_fail_at), n = 1, 2, ... until it runs
 * without reaching n.  Every run that reaches the failure must return
 * FC_ENOMEM (not another status, not a crash) and free what it took: the
 * ASan build (make check-asan) reports any leak at exit.
 *
 * Only flatcost's own allocations are injected (fc_malloc and friends);
 * libyaml, jansson and GSL call malloc directly.  Every n is taken (the
 * catalog load, the longest, makes about 3,400 allocations). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "budget.h"
#include "data.h"
#include "diff.h"
#include "fleet.h"
#include "mc.h"
#include "probe.h"
#include "scenario.h"
#include "stream.h"
#include "testutil.h"
#include "ynode.h"

typedef enum fc_status (*op_fn)(void *ctx);

/* Runs op with allocation n failing for the n chosen (every step-th, and
 * every n of the last `tail`); returns the number of runs that failed. */
static long
oom_loop(const char *what, op_fn op, void *ctx, long step, long tail)
{
	enum fc_status st;
	long n, total, runs = 0;

	/* a clean run first: it must succeed, and says how many there are */
	fc_alloc_fail_at(0);
	st = op(ctx);
	total = fc_alloc_count();
	if (st != FC_OK)
		fail_msg("%s: fails without injection: %s", what, fc_strstatus(st));
	for (n = 1; ; n += n < total - tail ? step : 1) {
		long count;

		fc_alloc_fail_at(n);
		st = op(ctx);
		count = fc_alloc_count();
		fc_alloc_fail_at(0);
		if (count < n) {
			if (st != FC_OK)
				fail_msg("%s: allocation %ld not reached, yet %s", what, n,
				    fc_strstatus(st));
			break;
		}
		runs++;
		if (st != FC_ENOMEM)
			fail_msg("%s: allocation %ld of %ld failed, status %s, not "
			    "'out of memory'", what, n, total, fc_strstatus(st));
	}
	/* a run that allocates nothing (a deterministic fc_mc_run) has
	 * nothing to inject */
	assert_true(runs > 0 || total == 0);
	print_message("%s: %ld allocations, %ld failed in turn\n", what, total, runs);
	return runs;
}

static enum fc_status
op_catalog(void *ctx)
{
	struct fc_catalog *c = NULL;
	struct fc_diags d;
	enum fc_status st;

	(void)ctx;
	fc_diags_init(&d);
	st = fc_catalog_load("data", &c, &d);
	fc_catalog_free(c);
	fc_diags_free(&d);
	return st;
}

struct load {
	const char *path;
	const char *const *sets;
	size_t nsets;
};

static enum fc_status
op_scenario(void *ctx)
{
	const struct load *l = ctx;
	struct fc_scenario *s = NULL;
	struct fc_budgets *b = NULL;
	struct fc_diags d;
	enum fc_status st;

	fc_diags_init(&d);
	st = fc_scenario_load(l->path, cat, l->sets, l->nsets, &s, &d);
	if (st == FC_OK)
		st = fc_budget_from_scenario(s, &b, &d);
	fc_budget_free(b);
	fc_scenario_free(s);
	fc_diags_free(&d);
	return st;
}

static void
test_catalog(void **state)
{
	(void)state;
	oom_loop("fc_catalog_load", op_catalog, NULL, 1, 0);
}

static void
test_scenarios(void **state)
{
	static const char *const sets[] = {
		"workload.input_tokens={dist: lognormal, mean: 900, cv: 0.5}",
		"flat.fallback.share=[0.2, 0.1, 0.05]",
		"other_costs.fixed_monthly=10",
		"api.price={input: 2.5, cached_input: 1.25, output: 10}",
		"workload.requests_per_user_per_day=\"20 to 60\"",
	};
	struct load l[] = {
		{ "scenarios/content-optimizer.yaml", NULL, 0 },
		{ "scenarios/support-chatbot.yaml", NULL, 0 },
		{ "scenarios/classifier-api.yaml", NULL, 0 },
		{ "tests/cli/fixtures-budget/ok/base.yaml", NULL, 0 },
		{ "scenarios/content-optimizer.yaml", sets, sizeof(sets) / sizeof(sets[0]) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		oom_loop(l[i].path, op_scenario, &l[i], 1, 0);
}

static enum fc_status
op_budget(void *ctx)
{
	struct fc_budgets *b = NULL;
	struct fc_diags d;
	enum fc_status st;

	fc_diags_init(&d);
	st = fc_budget_load(ctx, &b, &d);
	fc_budget_free(b);
	fc_diags_free(&d);
	return st;
}

static void
test_budget(void **state)
{
	(void)state;
	oom_loop("fc_budget_load", op_budget,
	    (void *)"tests/cli/fixtures-budget/budgets/budgets.yaml", 1, 0);
}

struct run {
	struct fc_scenario *s;
	struct fc_mc_opts o;
	long progress_calls;
};

static void
on_progress(void *ctx, long done, long total)
{
	struct run *r = ctx;

	assert_true(done >= 0 && done <= total);
	r->progress_calls++;
}

static enum fc_status
op_mc(void *ctx)
{
	struct run *r = ctx;
	struct fc_mc_result res;
	enum fc_status st;

	memset(&res, 0, sizeof(res));
	st = fc_mc_run(r->s, &r->o, &res);
	fc_mc_result_free(&res);
	return st;
}

static void
test_mc(void **state)
{
	static const char *const paths[] = {
		"scenarios/content-optimizer.yaml",
		"scenarios/support-chatbot.yaml",
	};
	volatile int cancel = 0;
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.s = load_scenario(paths[i], NULL, 0);
		r.o.trials = 300;
		r.o.seed = 7;
		r.o.threads = 1;
		r.o.month = 3;
		r.o.users = NAN;
		r.o.progress = on_progress;
		r.o.progress_ctx = &r;
		r.o.cancel = &cancel;
		oom_loop("fc_mc_run, Monte Carlo", op_mc, &r, 1, 0);
		r.o.deterministic = 1;
		oom_loop("fc_mc_run, deterministic", op_mc, &r, 1, 0);
		fc_scenario_free(r.s);
	}
}

/* Several threads: which thread's allocation fails varies, but whichever
 * it is, the run must fail as a whole with FC_ENOMEM. */
static void
test_mc_threads(void **state)
{
	struct run r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.s = load_scenario("scenarios/content-optimizer.yaml", NULL, 0);
	r.o.trials = 200;
	r.o.seed = 3;
	r.o.threads = 3;
	r.o.month = 1;
	r.o.users = NAN;
	oom_loop("fc_mc_run, 3 threads", op_mc, &r, 1, 0);
	fc_scenario_free(r.s);
}

struct pair {
	struct fc_scenario *a, *b;
	int deterministic;
};

static enum fc_status
op_diff(void *ctx)
{
	struct pair *p = ctx;
	struct fc_mc_opts o;
	struct fc_mc_result ra, rb;
	struct fc_diff df;
	enum fc_status st;

	memset(&o, 0, sizeof(o));
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	o.trials = 100;
	o.seed = 1;
	o.threads = 1;
	o.month = 1;
	o.users = NAN;
	o.deterministic = p->deterministic;
	st = fc_mc_run(p->a, &o, &ra);
	if (st == FC_OK)
		st = fc_mc_run(p->b, &o, &rb);
	if (st == FC_OK)
		st = fc_diff_compute(&ra, &rb, &df);
	fc_mc_result_free(&ra);
	fc_mc_result_free(&rb);
	return st;
}

static void
test_diff(void **state)
{
	struct pair p;

	(void)state;
	p.a = load_scenario("scenarios/content-optimizer.yaml", NULL, 0);
	p.b = load_scenario("scenarios/classifier-api.yaml", NULL, 0);
	p.deterministic = 0;
	oom_loop("fc_diff_compute", op_diff, &p, 1, 0);
	p.deterministic = 1;
	oom_loop("fc_diff_compute, deterministic", op_diff, &p, 1, 0);
	fc_scenario_free(p.a);
	fc_scenario_free(p.b);
}

static enum fc_status
op_des_report(void *ctx)
{
	struct fc_scenario *s = ctx;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	struct fc_des_report rep;
	enum fc_status st;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	memset(&rep, 0, sizeof(rep));
	o.trials = 1;
	o.seed = 5;
	o.threads = 1;
	o.month = 1;
	o.users = 300;
	o.deterministic = 1;
	st = fc_mc_run(s, &o, &r);
	if (st == FC_OK)
		st = fc_fleet_des_report(s, &r.in, &r.tp, 5, &rep);
	fc_mc_result_free(&r);
	return st;
}

static void
test_des_report(void **state)
{
	struct fc_scenario *s;

	(void)state;
	s = load_scenario("scenarios/content-optimizer.yaml", NULL, 0);
	oom_loop("fc_fleet_des_report", op_des_report, s, 1, 0);
	fc_scenario_free(s);
}

static int
count_rec(void *ctx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	++*(long *)ctx;
	return 0;
}

static enum fc_status
op_stream(void *ctx)
{
	static const char ndjson[] =
	    "{\"response\":\"a\",\"done\":false}\n{\"response\":\"bb\",\"done\":false}\n"
	    "{\"done\":true,\"eval_count\":2,\"eval_duration\":1000}\n";
	static const char sse[] =
	    "data: {\"choices\":[{\"text\":\"a\"}]}\n\n: keep-alive\n"
	    "data: {\"choices\":[{\"text\":\"b\",\"finish_reason\":\"length\"}]}\n\n"
	    "data: [DONE]\n\n";
	int kind = *(int *)ctx;
	const char *text = kind ? sse : ndjson;
	struct fc_stream *s = fc_stream_new(kind ? FC_STREAM_SSE : FC_STREAM_NDJSON, 0);
	struct fc_diags d;
	enum fc_status st = FC_OK;
	size_t i, n = strlen(text);
	long recs = 0;

	if (s == NULL)
		return FC_ENOMEM;
	fc_diags_init(&d);
	/* in 5-byte reads, so the line buffer grows */
	for (i = 0; i < n && st == FC_OK; i += 5)
		st = fc_stream_feed(s, text + i, n - i < 5 ? n - i : 5, count_rec, &recs, &d);
	if (st == FC_OK)
		st = fc_stream_finish(s, count_rec, &recs, &d);
	if (st == FC_OK && recs != 3)
		st = FC_EINVAL;
	fc_stream_free(s);
	fc_diags_free(&d);
	return st;
}

static void
test_stream(void **state)
{
	int kind;

	(void)state;
	kind = 0;
	oom_loop("fc_stream_feed, NDJSON", op_stream, &kind, 1, 0);
	kind = 1;
	oom_loop("fc_stream_feed, SSE", op_stream, &kind, 1, 0);
}

static enum fc_status
op_probe_models(void *ctx)
{
	struct fc_ynode *root = NULL;
	struct fc_probe_model *m = NULL;
	struct fc_diags d;
	enum fc_status st;
	size_t n = 0;

	(void)ctx;
	fc_diags_init(&d);
	st = fc_ynode_load_file("data/models.yaml", &root, &d);
	if (st == FC_OK)
		st = fc_probe_models(root, &m, &n, &d);
	fc_free(m);
	fc_ynode_free(root);
	fc_diags_free(&d);
	return st;
}

static void
test_probe_models(void **state)
{
	(void)state;
	oom_loop("fc_probe_models", op_probe_models, NULL, 1, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_mc),
		cmocka_unit_test(test_mc_threads),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_des_report),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_probe_models),
	};

	return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
