/*
 * test_budget.c: reading budgets (syntax, defaults, every error with its
 * location), evaluating them (a value at its limit passes, above fails,
 * no value fails) and the per-trial diff of two runs (a run against
 * itself changes by exactly zero).
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

#include "budget.h"
#include "cost.h"
#include "diff.h"

static long
fig(const char *key)
{
	size_t k;

	for (k = 0; k < fc_nfigures; k++)
		if (strcmp(fc_figures[k].key, key) == 0)
			return (long)k;
	fail_msg("no figure %s", key);
	return -1;
}

/* Parses text as budgets; returns the status, leaves diagnostics in d. */
static enum fc_status
parse(const char *text, struct fc_budgets **b, struct fc_diags *d)
{
	struct fc_ynode *root = NULL;
	enum fc_status st;

	fc_diags_init(d);
	st = fc_ynode_parse("t.yaml", text, strlen(text), &root, d);
	if (st != FC_OK)
		return st;
	st = fc_budget_parse(root, "t.yaml", b, d);
	fc_ynode_free(root);
	return st;
}

/* Expects text to give exactly one error, at line:col, containing msg. */
static void
expect_error(const char *text, int line, int col, const char *msg)
{
	struct fc_budgets *b = NULL;
	struct fc_diags d;

	assert_int_equal(parse(text, &b, &d), FC_EINVAL);
	assert_null(b);
	assert_int_equal(d.n_errors, 1);
	if (strstr(d.v[0].msg, msg) == NULL)
		fail_msg("error '%s' lacks '%s'", d.v[0].msg, msg);
	assert_int_equal(d.v[0].loc.line, line);
	assert_int_equal(d.v[0].loc.col, col);
	assert_string_equal(d.v[0].loc.file, "t.yaml");
	fc_diags_free(&d);
}

static void
test_parse_syntax(void **state)
{
	struct fc_budgets *b = NULL;
	struct fc_diags d;

	(void)state;
	assert_int_equal(parse(
	    "per_user.flat: {fail: 0.50, warn: 0.40, percentile: p95}\n"
	    "flat.monthly_cost: 2000\n"
	    "share_of_revenue.flat: {warn: 0.05}\n"
	    "flat.servers: [{fail: 10, percentile: p50}, {warn: 12}]\n"
	    "flat.fallback_share: {fail: 0.10, percentile: mean}\n", &b, &d), FC_OK);
	assert_int_equal(d.n, 0);
	assert_non_null(b);
	assert_int_equal(b->n, 6);
	assert_string_equal(b->file, "t.yaml");

	assert_int_equal(b->v[0].figure, fig("per_user.flat"));
	assert_true(b->v[0].fail == 0.50 && b->v[0].warn == 0.40);
	assert_int_equal(b->v[0].stat, FC_BSTAT_P95);
	assert_int_equal(b->v[0].loc.line, 1);
	assert_int_equal(b->v[0].loc.col, 1);
	assert_ptr_equal(b->v[0].loc.file, b->file);

	/* a bare number is the fail limit, at the default P95 */
	assert_int_equal(b->v[1].figure, fig("flat.monthly_cost"));
	assert_true(b->v[1].fail == 2000 && isnan(b->v[1].warn));
	assert_int_equal(b->v[1].stat, FC_BSTAT_P95);

	assert_true(isnan(b->v[2].fail) && b->v[2].warn == 0.05);

	/* a list: one budget per item, located at the item */
	assert_int_equal(b->v[3].figure, fig("flat.servers"));
	assert_int_equal(b->v[3].stat, FC_BSTAT_P50);
	assert_int_equal(b->v[4].figure, fig("flat.servers"));
	assert_int_equal(b->v[4].stat, FC_BSTAT_P95);
	assert_int_equal(b->v[4].loc.line, 4);
	assert_int_equal(b->v[4].loc.col, 45);

	assert_int_equal(b->v[5].stat, FC_BSTAT_MEAN);
	fc_budget_free(b);
	fc_diags_free(&d);
	fc_budget_free(NULL);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	expect_error("per_user.flta: {fail: 0.5}\n", 1, 1,
	    "unknown figure 'per_user.flta' in budget (did you mean 'per_user.flat'?)");
	expect_error("per_user.flat: {fail: 0.5, warn: 0.6}\n", 1, 34,
	    "warn limit 0.6 for 'per_user.flat' is above its fail limit 0.5");
	expect_error("per_user.flat: {fail: 0.5, percentile: p96}\n", 1, 40,
	    "unknown percentile 'p96' (did you mean 'p95'?)");
	expect_error("per_user.flat: {percentile: p50}\n", 1, 16,
	    "budget for 'per_user.flat' has no limit");
	expect_error("per_user.flat: {fial: 0.5}\n", 1, 17,
	    "unknown key 'fial' in per_user.flat (did you mean 'fail'?)");
	expect_error("per_user.flat: cheap\n", 1, 16,
	    "must be a fail limit or {fail, warn, percentile}, got 'cheap'");
	expect_error("per_user.flat: \"0.5\"\n", 1, 16, "got '0.5'");
	expect_error("per_user.flat: {fail: .nan}\n", 1, 23, "not a finite number");
	expect_error("per_user.flat: {fail: 1e16}\n", 1, 23, "out of range");
	expect_error("per_user.flat: []\n", 1, 16, "is an empty list");
	expect_error("per_user.flat: [[1]]\n", 1, 17, "not a list");
	expect_error("flat.servers: [{fail: 10}, 12]\n", 1, 28,
	    "a second budget for 'flat.servers' at p95 (the first is on line 1)");
	expect_error("- per_user.flat\n", 1, 1, "'budget' must be a mapping");
	expect_error("nonsense_key_far_from_all: 1\n", 1, 1,
	    "expected a key such as per_user.flat");
}

static void
test_parse_reports_every_error(void **state)
{
	struct fc_budgets *b = NULL;
	struct fc_diags d;

	(void)state;
	assert_int_equal(parse("per_user.flta: 1\nflat.servers: {warn: 3, fail: 2}\n"
	    "users: {fail: x}\n", &b, &d), FC_EINVAL);
	assert_null(b);
	assert_int_equal(d.n_errors, 3);
	assert_int_equal(d.v[0].loc.line, 1);
	assert_int_equal(d.v[1].loc.line, 2);
	assert_int_equal(d.v[2].loc.line, 3);
	fc_diags_free(&d);
}

static void
test_share_above_one_warns(void **state)
{
	struct fc_budgets *b = NULL;
	struct fc_diags d;

	(void)state;
	assert_int_equal(parse("flat.fallback_share: {fail: 5}\n", &b, &d), FC_OK);
	assert_non_null(b);
	assert_int_equal(d.n_errors, 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, FC_SEV_WARNING);
	assert_non_null(strstr(d.v[0].msg, "shares are fractions"));
	fc_budget_free(b);
	fc_diags_free(&d);
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/test_budget_XXXXXX";
	struct fc_budgets *b = NULL;
	struct fc_diags d;
	int fd;
	FILE *f;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# limits at the top level\nper_user.flat: {fail: 0.5}\n", f);
	fclose(f);
	fc_diags_init(&d);
	assert_int_equal(fc_budget_load(path, &b, &d), FC_OK);
	assert_int_equal(b->n, 1);
	assert_string_equal(b->file, path);
	assert_int_equal(b->v[0].loc.line, 2);
	fc_budget_free(b);
	fc_diags_free(&d);

	/* the scenario's `budget:` wrapper is refused, with a hint */
	f = fopen(path, "w");
	fputs("budget:\n  per_user.flat: {fail: 0.5}\n", f);
	fclose(f);
	fc_diags_init(&d);
	assert_int_equal(fc_budget_load(path, &b, &d), FC_EINVAL);
	assert_null(b);
	assert_int_equal(d.n_errors, 1);
	assert_non_null(strstr(d.v[0].msg, "at the top level"));
	fc_diags_free(&d);
	unlink(path);

	fc_diags_init(&d);
	assert_int_equal(fc_budget_load("/nonexistent/b.yaml", &b, &d), FC_EINVAL);
	assert_null(b);
	fc_diags_free(&d);
}

/* The scenario's tree outlives the diagnostics it was parsed with: the
 * budget must not read their (freed) file names.  ASan checks this. */
static void
test_from_scenario(void **state)
{
	static const char text[] = "flatcost: 1\nbudget:\n  per_user.flat: {fail: 0.5}\n"
	    "  flat.servres: 3\n";
	struct fc_scenario s;
	struct fc_budgets *b = NULL;
	struct fc_diags d;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.file = fc_strdup("sc.yaml");
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("sc.yaml", text, strlen(text), &s.tree, &d), FC_OK);
	fc_diags_free(&d);

	fc_diags_init(&d);
	assert_int_equal(fc_budget_from_scenario(&s, &b, &d), FC_EINVAL);
	assert_null(b);
	assert_int_equal(d.n_errors, 1);
	assert_string_equal(d.v[0].loc.file, "sc.yaml");
	assert_int_equal(d.v[0].loc.line, 4);
	assert_int_equal(d.v[0].loc.col, 3);
	assert_non_null(strstr(d.v[0].msg, "did you mean 'flat.servers'"));
	fc_diags_free(&d);

	/* no budget section: no budgets, no error */
	fc_ynode_free(s.tree);
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("sc.yaml", "flatcost: 1\n", 12, &s.tree, &d), FC_OK);
	assert_int_equal(fc_budget_from_scenario(&s, &b, &d), FC_OK);
	assert_null(b);
	fc_diags_free(&d);
	fc_ynode_free(s.tree);
	fc_free(s.file);
}

static void
set_figure(struct fc_costs *c, size_t k, double v)
{
	*(double *)((char *)c + fc_figures[k].off) = v;
}

static void
test_eval_limits(void **state)
{
	struct fc_mc_result r;
	struct fc_budget b;
	double v, l;
	size_t k = (size_t)fig("per_user.flat");

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&b, 0, sizeof(b));
	r.deterministic = 1;
	b.figure = k;
	b.stat = FC_BSTAT_P95;
	b.fail = 0.50;
	b.warn = 0.40;

	/* exactly at a limit passes: fail only when value > limit */
	set_figure(&r.det, k, 0.50);
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_WARN);
	assert_true(v == 0.50 && l == 0.40);
	set_figure(&r.det, k, 0.40);
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_PASS);
	assert_true(l == 0.50);
	set_figure(&r.det, k, nextafter(0.50, 1));
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_FAIL);
	assert_true(l == 0.50);
	set_figure(&r.det, k, 0.45);
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_WARN);

	/* fail exactly at the value, no warn */
	b.warn = NAN;
	set_figure(&r.det, k, 0.50);
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_PASS);

	/* warn only: never fails */
	b.fail = NAN;
	b.warn = 0.40;
	set_figure(&r.det, k, 100);
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_WARN);
	assert_true(l == 0.40);

	/* no value: fails closed (warns for a warn-only budget) */
	set_figure(&r.det, k, NAN);
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_WARN);
	b.fail = 1;
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_FAIL);
	assert_true(isnan(v));
}

static void
test_eval_percentiles(void **state)
{
	struct fc_mc_result r;
	struct fc_budget b;
	size_t k = (size_t)fig("flat.monthly_cost");
	double v, l;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&b, 0, sizeof(b));
	r.stats[k].mean = 1000;
	r.stats[k].p5 = 800;
	r.stats[k].p50 = 990;
	r.stats[k].p95 = 1300;
	r.stats[k].p99 = 1500;
	set_figure(&r.det, k, 1);   /* ignored: not deterministic */
	b.figure = k;
	b.fail = 1300;
	b.warn = NAN;
	b.stat = FC_BSTAT_MEAN;
	assert_true(fc_budget_value(&b, &r) == 1000);
	b.stat = FC_BSTAT_P5;
	assert_true(fc_budget_value(&b, &r) == 800);
	b.stat = FC_BSTAT_P50;
	assert_true(fc_budget_value(&b, &r) == 990);
	b.stat = FC_BSTAT_P95;
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_PASS);
	b.stat = FC_BSTAT_P99;
	assert_int_equal(fc_budget_eval(&b, &r, &v, &l), FC_BUDGET_FAIL);
	assert_true(v == 1500 && l == 1300);
	/* deterministic: every percentile is the deterministic value */
	r.deterministic = 1;
	assert_true(fc_budget_value(&b, &r) == 1);
}

/* A Monte Carlo result with the given per-trial values of every figure. */
static void
fake_run(struct fc_mc_result *r, long trials, double (*f)(long i, size_t k))
{
	long i;
	size_t k;

	memset(r, 0, sizeof(*r));
	r->trials = trials;
	r->samples = fc_malloc((size_t)trials * fc_nfigures * sizeof(double));
	assert_non_null(r->samples);
	for (i = 0; i < trials; i++)
		for (k = 0; k < fc_nfigures; k++)
			r->samples[(size_t)i * fc_nfigures + k] = f(i, k);
}

static double
noisy(long i, size_t k)
{
	return 1000.0 + 37.0 * (double)((i * 7919) % 101) + 0.1 * (double)k + 1.0 / 3.0;
}

static double
noisy_plus(long i, size_t k)
{
	return noisy(i, k) + (double)(i % 10);   /* changes 0..9, mean 4.5 */
}

static double
noisy_nan(long i, size_t k)
{
	return i % 2 ? NAN : noisy(i, k);
}

static void
test_diff_self_is_zero(void **state)
{
	struct fc_mc_result a, b;
	struct fc_diff *df = calloc(1, sizeof(*df));
	size_t k;

	(void)state;
	fake_run(&a, 1000, noisy);
	fake_run(&b, 1000, noisy);
	assert_int_equal(fc_diff_compute(&a, &b, df), FC_OK);
	for (k = 0; k < fc_nfigures; k++) {
		const struct fc_diff_fig *f = &df->fig[k];
		assert_true(f->mean == 0 && !signbit(f->mean));
		assert_true(f->p5 == 0 && f->p50 == 0 && f->p95 == 0);
		assert_true(f->rel == 0);
		assert_true(f->p_lower == 0);
		assert_true(f->base == f->cand);
		assert_true(f->n == 1000);
	}
	fc_mc_result_free(&a);
	fc_mc_result_free(&b);
	free(df);
}

static void
test_diff_known_change(void **state)
{
	struct fc_mc_result a, b;
	struct fc_diff *df = calloc(1, sizeof(*df));
	const struct fc_diff_fig *f;

	(void)state;
	fake_run(&a, 1000, noisy);
	fake_run(&b, 1000, noisy_plus);
	assert_int_equal(fc_diff_compute(&a, &b, df), FC_OK);
	f = &df->fig[0];
	assert_true(fabs(f->mean - 4.5) < 1e-9);
	assert_true(fabs(f->cand - f->base - 4.5) < 1e-9);
	assert_true(fabs(f->p5 - 0) < 1e-9);
	assert_true(fabs(f->p95 - 9) < 1e-9);
	assert_true(fabs(f->rel - 4.5 / f->base) < 1e-12);
	assert_true(f->p_lower == 0);
	/* the other way round: lower in 90% of trials */
	assert_int_equal(fc_diff_compute(&b, &a, df), FC_OK);
	assert_true(fabs(df->fig[0].p_lower - 0.9) < 1e-12);
	assert_true(df->fig[0].mean < 0);
	fc_mc_result_free(&b);

	/* trials where either side has no value are left out */
	fake_run(&b, 1000, noisy_nan);
	assert_int_equal(fc_diff_compute(&a, &b, df), FC_OK);
	assert_true(df->fig[0].n == 500);
	assert_true(df->fig[0].mean == 0);
	fc_mc_result_free(&b);

	/* runs of different trials cannot be compared */
	fake_run(&b, 999, noisy);
	assert_int_equal(fc_diff_compute(&a, &b, df), FC_EINVAL);
	fc_mc_result_free(&a);
	fc_mc_result_free(&b);
	free(df);
}

static void
test_diff_deterministic(void **state)
{
	struct fc_mc_result a, b;
	struct fc_diff *df = calloc(1, sizeof(*df));
	size_t k = (size_t)fig("flat.monthly_cost"), s = (size_t)fig("share_of_revenue.flat");
	size_t u = (size_t)fig("users");

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.deterministic = b.deterministic = 1;
	set_figure(&a.det, k, 2000);
	set_figure(&b.det, k, 2500);
	set_figure(&a.det, s, NAN);
	set_figure(&b.det, s, NAN);
	set_figure(&a.det, u, 0);
	set_figure(&b.det, u, 10);
	assert_int_equal(fc_diff_compute(&a, &b, df), FC_OK);
	assert_true(df->fig[k].mean == 500);
	assert_true(df->fig[k].rel == 0.25);
	assert_true(isnan(df->fig[k].p5) && isnan(df->fig[k].p_lower));
	assert_true(isnan(df->fig[s].mean) && isnan(df->fig[s].rel));
	assert_true(isinf(df->fig[u].rel) && df->fig[u].rel > 0);
	/* a deterministic run and a Monte Carlo one do not compare */
	b.deterministic = 0;
	assert_int_equal(fc_diff_compute(&a, &b, df), FC_EINVAL);
	free(df);
}

/* Increase budgets: the syntax, and the levels at and above each limit. */
static void
test_increase(void **state)
{
	(void)state;
	struct fc_budgets *b = NULL;
	struct fc_diags d;
	struct fc_budget_change ch;
	const struct fc_budget *x, *y;

	assert_int_equal(parse("per_user.api: 5\n"
	    "increase:\n"
	    "  - {figure: per_user.api, percentile: p95, max_pct: 10, max_usd: 0.5}\n"
	    "  - {figure: flat.servers, warn_pct: 20, percentile: mean}\n", &b, &d), FC_OK);
	assert_int_equal(b->n, 3);
	assert_true(fc_budget_have_increase(b));
	assert_false(b->v[0].increase);
	x = &b->v[1];
	y = &b->v[2];
	assert_true(x->increase);
	assert_int_equal(x->figure, fig("per_user.api"));
	assert_int_equal(x->stat, FC_BSTAT_P95);
	assert_true(x->fail_pct == 10 && x->fail == 0.5);
	assert_true(isnan(x->warn) && isnan(x->warn_pct));
	assert_int_equal(x->loc.line, 3);
	assert_int_equal(y->stat, FC_BSTAT_MEAN);
	/* 4.00 -> 4.40 is +10%, at the limit: passes */
	fc_budget_eval_increase(x, 4.0, 4.4, &ch);
	assert_int_equal(ch.level, FC_BUDGET_PASS);
	assert_true(fabs(ch.pct - 10) < 1e-9);
	assert_true(ch.by_pct && ch.limit == 10);
	/* 4.00 -> 4.41: +10.25% fails on the percent */
	fc_budget_eval_increase(x, 4.0, 4.41, &ch);
	assert_int_equal(ch.level, FC_BUDGET_FAIL);
	assert_true(ch.by_pct && ch.limit == 10);
	/* 10.00 -> 10.60: +6% passes the percent, +0.60 fails the dollars */
	fc_budget_eval_increase(x, 10.0, 10.6, &ch);
	assert_int_equal(ch.level, FC_BUDGET_FAIL);
	assert_true(!ch.by_pct && ch.limit == 0.5);
	assert_true(fabs(ch.change - 0.6) < 1e-9);
	/* a fall passes; a base of 0 rising is +inf percent */
	fc_budget_eval_increase(x, 10.0, 5.0, &ch);
	assert_int_equal(ch.level, FC_BUDGET_PASS);
	assert_true(ch.pct == -50);
	fc_budget_eval_increase(x, 0, 0.1, &ch);
	assert_true(isinf(ch.pct) && ch.pct > 0);
	assert_int_equal(ch.level, FC_BUDGET_FAIL);
	fc_budget_eval_increase(x, 0, 0, &ch);
	assert_true(ch.pct == 0 && ch.level == FC_BUDGET_PASS);
	/* warn_pct only: above warns, no value warns (fail closed, no fail limit) */
	fc_budget_eval_increase(y, 5, 6.5, &ch);
	assert_int_equal(ch.level, FC_BUDGET_WARN);
	fc_budget_eval_increase(y, 5, 6, &ch);
	assert_int_equal(ch.level, FC_BUDGET_PASS);
	fc_budget_eval_increase(y, NAN, 6, &ch);
	assert_int_equal(ch.level, FC_BUDGET_WARN);
	fc_budget_eval_increase(x, 1, NAN, &ch);
	assert_int_equal(ch.level, FC_BUDGET_FAIL);
	fc_budget_free(b);
	fc_diags_free(&d);
	/* one mapping instead of a list */
	assert_int_equal(parse("increase: {figure: api.monthly_cost, max_pct: 5}\n", &b, &d), FC_OK);
	assert_int_equal(b->n, 1);
	fc_budget_free(b);
	fc_diags_free(&d);
	expect_error("increase: {figure: per_user.api}\n", 1, 11, "has no limit");
	expect_error("increase: {figure: flat.servers, max_usd: 2}\n", 1, 43, "not a figure in USD");
	expect_error("increase: {figure: per_user.api, max_pct: 5, warn_pct: 6}\n", 1, 56,
	    "warn_pct 6 for 'per_user.api' is above its max_pct 5");
	expect_error("increase: []\n", 1, 11, "empty list");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_syntax),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_reports_every_error),
		cmocka_unit_test(test_share_above_one_warns),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_from_scenario),
		cmocka_unit_test(test_eval_limits),
		cmocka_unit_test(test_eval_percentiles),
		cmocka_unit_test(test_diff_self_is_zero),
		cmocka_unit_test(test_diff_known_change),
		cmocka_unit_test(test_diff_deterministic),
		cmocka_unit_test(test_increase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
