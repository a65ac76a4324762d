/*
 * test_mc.c: the Monte Carlo engine against the closed form, the per-user
 * skew, reproducibility, and the distributions against their quantiles.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "cost.h"
#include "data.h"
#include "dist.h"
#include "mc.h"
#include "queue.h"
#include "rng.h"
#include "scenario.h"
#include "stats.h"
#include "testutil.h"
#include "ynode.h"

static size_t
fig(const char *key)
{
	size_t k;

	for (k = 0; k < fc_nfigures; k++)
		if (strcmp(fc_figures[k].key, key) == 0)
			return k;
	fail_msg("no figure %s", key);
	return 0;
}

/* The Monte Carlo means of the figures keys[] over 20,000 trials are
 * within nse standard errors of their deterministic values. */
static void
assert_means(const struct fc_scenario *s, const char *const *keys, size_t n,
    double nse, unsigned long seed, int threads, const char *what)
{
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result det, mc;
	size_t i;

	o.trials = 20000;
	o.seed = seed;
	o.threads = threads;
	o.month = 1;
	o.users = NAN;
	o.deterministic = 1;
	assert_int_equal(fc_mc_run(s, &o, &det), FC_OK);
	o.deterministic = 0;
	assert_int_equal(fc_mc_run(s, &o, &mc), FC_OK);
	for (i = 0; i < n; i++) {
		size_t k = fig(keys[i]);
		double want = fc_figure_get(&det.det, k);
		double se = mc.stats[k].sd / sqrt((double)o.trials);

		assert_true(se > 0);
		if (fabs(mc.stats[k].mean - want) > nse * se)
			fail_msg("%s (%s): MC mean %g, deterministic %g, %g SE %g",
			    keys[i], what, mc.stats[k].mean, want, nse, nse * se);
	}
	fc_mc_result_free(&mc);
}

/* The Monte Carlo mean converges to the deterministic value: within 3
 * standard errors for the figures that are linear in the inputs. */
static void
test_mean_matches_deterministic(void **state)
{
	static const char *const keys[] = { "workload.calls", "api.llm_cost",
	    "api.monthly_cost", "workload.output_tokens" };
	struct fc_scenario *s =
	    load_scenario("scenarios/content-optimizer.yaml", NULL, 0);

	(void)state;
	assert_means(s, keys, 4, 3, 3, 2, "content-optimizer");
	fc_scenario_free(s);
}

/* Sampled users reproduce the stated top-10% share within 0.02. */
static void
test_top10_share(void **state)
{
	double shares[] = { 0.2, 0.4, 0.5, 0.6, 0.7 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(shares) / sizeof(shares[0]); i++) {
		double got = fc_mc_sample_top10(shares[i], 100000, 11);
		if (fabs(got - shares[i]) > 0.02)
			fail_msg("top10 %g sampled as %g", shares[i], got);
	}
	assert_true(fabs(fc_inputs_top10_sigma(0.5) - 1.2816) < 1e-3);
}

static int
same_samples(const struct fc_mc_result *a, const struct fc_mc_result *b, long trials)
{
	return memcmp(a->samples, b->samples,
	    (size_t)trials * fc_nfigures * sizeof(double)) == 0;
}

/* Identical for any thread count; a different seed changes it. */
static void
test_threads_and_seed(void **state)
{
	struct fc_scenario *s =
	    load_scenario("scenarios/support-chatbot.yaml", NULL, 0);
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r1, r2, r7, rs;

	(void)state;
	o.trials = 3000;
	o.seed = 99;
	o.month = 1;
	o.users = NAN;
	o.threads = 1;
	assert_int_equal(fc_mc_run(s, &o, &r1), FC_OK);
	o.threads = 2;
	assert_int_equal(fc_mc_run(s, &o, &r2), FC_OK);
	o.threads = 7;
	assert_int_equal(fc_mc_run(s, &o, &r7), FC_OK);
	assert_true(same_samples(&r1, &r2, o.trials));
	assert_true(same_samples(&r1, &r7, o.trials));
	assert_memory_equal(r1.stats, r7.stats, sizeof(r1.stats));
	o.seed = 100;
	assert_int_equal(fc_mc_run(s, &o, &rs), FC_OK);
	assert_false(same_samples(&r1, &rs, o.trials));
	fc_mc_result_free(&r1);
	fc_mc_result_free(&r2);
	fc_mc_result_free(&r7);
	fc_mc_result_free(&rs);
	fc_scenario_free(s);
}

/* --months: the payback month of each trial, and at the means, is the
 * first month whose cumulative savings (savings summed by hand, less the
 * net one-time cost) reach 0; the same for any thread count; the months
 * do not change the single month's samples. */
static void
test_months_payback(void **state)
{
	static const char *const sets[] = {
	    "user_growth_per_month={dist: uniform, min: 0, max: 0.3}",
	    "flat.one_time={dist: uniform, min: 1000, max: 40000}", "api.one_time=500" };
	struct fc_scenario *s = load_scenario("scenarios/support-chatbot.yaml", sets, 3);
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r, r2, plain;
	const struct fc_months *mo;
	double cum, found = 0;
	long i, m, within = 0;

	(void)state;
	o.trials = 500;
	o.seed = 7;
	o.month = 1;
	o.users = NAN;
	o.threads = 2;
	assert_int_equal(fc_mc_run(s, &o, &plain), FC_OK);
	o.months = 6;
	assert_int_equal(fc_mc_run(s, &o, &r), FC_OK);
	o.threads = 3;
	assert_int_equal(fc_mc_run(s, &o, &r2), FC_OK);
	assert_true(same_samples(&r, &plain, o.trials));
	mo = r.months;
	assert_non_null(mo);
	assert_int_equal(mo->n, 6);
	assert_memory_equal(mo->payback_samples, r2.months->payback_samples,
	    (size_t)o.trials * sizeof(double));
	for (i = 0; i < o.trials; i++) {
		double p = mo->payback_samples[i];
		assert_true(isnan(p) || (p >= 1 && p <= 6 && p == floor(p)));
		within += !isnan(p);
	}
	assert_true(within > 0 && within < o.trials);
	assert_true(fabs(mo->p_payback - (double)within / (double)o.trials) < 1e-12);
	/* at the means: the hand sum */
	cum = -(r.in.flat_one_time - r.in.api_one_time);
	assert_true(fabs(r.in.flat_one_time - 20500) < 1e-9);
	for (m = 0; m < 6; m++) {
		cum += mo->det[m][FC_MF_API] - mo->det[m][FC_MF_FLAT];
		assert_true(fabs(mo->det[m][FC_MF_CUMULATIVE] - cum) < 1e-6 * (1 + fabs(cum)));
		if (found == 0 && cum >= 0)
			found = (double)(m + 1);
	}
	if (found == 0)
		assert_true(isnan(mo->payback_month));
	else
		assert_true(mo->payback_month == found);
	/* users grow: month 6 of the mean growth (15%) */
	assert_true(mo->det[5][FC_MF_USERS] ==
	    floor(fc_num_mean(&s->users) * pow(1.15, 5) + 0.5));
	fc_mc_result_free(&r);
	fc_mc_result_free(&r2);
	fc_mc_result_free(&plain);
	fc_scenario_free(s);
}

/* A tiny workload: so few requests and calls that the sums are drawn one
 * by one (EXACT_COUNT), with chaining below and above 1; the means still
 * match the closed form. */
static void
test_tiny_workload_exact_sums(void **state)
{
	static const char *const keys[] = { "workload.calls",
	    "workload.input_tokens", "workload.output_tokens" };
	static const char *const chains[] = { "workload.chaining=0.5",
	    "workload.chaining=2.5" };
	size_t c;

	(void)state;
	for (c = 0; c < 2; c++) {
		const char *sets[] = { "users=2", "workload.requests_per_user_per_day=0.5",
		    chains[c] };
		struct fc_scenario *s =
		    load_scenario("scenarios/support-chatbot.yaml", sets, 3);

		assert_means(s, keys, 3, 4, 5, 3, chains[c]);
		fc_scenario_free(s);
	}
}

struct prog {
	long calls, last, total;
	int backwards;
};

static void
on_progress(void *ctx, long done, long total)
{
	struct prog *p = ctx;

	if (done < p->last)
		p->backwards = 1;
	p->last = done;
	p->total = total;
	p->calls++;
}

/* Progress is reported from the calling thread, never goes backwards and
 * ends at the trial count; the report is the same as without it. */
static void
test_progress(void **state)
{
	struct fc_scenario *s =
	    load_scenario("scenarios/support-chatbot.yaml", NULL, 0);
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result a, b;
	struct prog p = { 0, 0, 0, 0 };

	(void)state;
	o.trials = 4000;
	o.seed = 8;
	o.threads = 4;
	o.month = 1;
	o.users = NAN;
	assert_int_equal(fc_mc_run(s, &o, &a), FC_OK);
	o.progress = on_progress;
	o.progress_ctx = &p;
	assert_int_equal(fc_mc_run(s, &o, &b), FC_OK);
	assert_true(p.calls >= 1);
	assert_false(p.backwards);
	assert_int_equal(p.last, o.trials);
	assert_int_equal(p.total, o.trials);
	assert_true(same_samples(&a, &b, o.trials));
	fc_mc_result_free(&a);
	fc_mc_result_free(&b);
	fc_scenario_free(s);
}

/* A cancel flag already set stops the run before any trial: FC_ERANGE,
 * nothing owned left behind. */
static void
test_cancel(void **state)
{
	struct fc_scenario *s =
	    load_scenario("scenarios/support-chatbot.yaml", NULL, 0);
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r;
	volatile int stop = 1;
	int t;

	(void)state;
	o.trials = 100000;
	o.seed = 1;
	o.month = 1;
	o.users = NAN;
	o.cancel = &stop;
	for (t = 1; t <= 4; t += 3) {
		o.threads = t;
		memset(&r, 0, sizeof(r));
		assert_int_equal(fc_mc_run(s, &o, &r), FC_ERANGE);
		assert_null(r.samples);
		fc_mc_result_free(&r);
	}
	fc_scenario_free(s);
}

/* Kolmogorov-Smirnov against each distribution's quantile function:
 * the empirical CDF at 99 quantiles stays within the 0.1% critical value
 * 1.95 / sqrt(n) of the exact one, and the sample mean within 4 SE of
 * the stated mean. */
static void
check_dist(struct fc_num x, unsigned long seed)
{
	enum { N = 20000 };
	static double v[N];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double sum = 0, sum2 = 0, mean, sd, dmax = 0;
	int i, q;

	gsl_rng_set(r, seed);
	x.lo = -INFINITY;
	x.hi = INFINITY;
	for (i = 0; i < N; i++) {
		v[i] = fc_num_sample(&x, r);
		sum += v[i];
		sum2 += v[i] * v[i];
	}
	mean = sum / N;
	sd = sqrt(sum2 / N - mean * mean);
	if (fabs(mean - fc_num_mean(&x)) > 4 * sd / sqrt((double)N))
		fail_msg("%s: sample mean %g, expected %g", fc_dist_name(x.kind), mean,
		    fc_num_mean(&x));
	for (q = 1; q < 100; q++) {
		double p = q / 100.0, t = fc_num_quantile(&x, p);
		int below = 0;
		for (i = 0; i < N; i++)
			below += v[i] <= t;
		if (fabs((double)below / N - p) > dmax)
			dmax = fabs((double)below / N - p);
	}
	if (dmax > 1.95 / sqrt((double)N))
		fail_msg("%s: KS distance %g", fc_dist_name(x.kind), dmax);
	gsl_rng_free(r);
}

static void
test_distributions(void **state)
{
	struct fc_num x = fc_num_const(0);

	(void)state;
	x.kind = FC_DIST_LOGNORMAL; x.p[0] = 30; x.p[1] = 0.4;
	check_dist(x, 1);
	x.kind = FC_DIST_NORMAL; x.p[0] = 5; x.p[1] = 2;
	check_dist(x, 2);
	x.kind = FC_DIST_UNIFORM; x.p[0] = 2; x.p[1] = 9;
	check_dist(x, 3);
	x.kind = FC_DIST_TRIANGULAR; x.p[0] = 1; x.p[1] = 2; x.p[2] = 6;
	check_dist(x, 4);
	x.kind = FC_DIST_PERT; x.p[0] = 200; x.p[1] = 300; x.p[2] = 500;
	check_dist(x, 5);
}

/* The closed-form Erlang B used for large fleets agrees with the
 * recursion where both run. */
static void
test_erlang_b_closed_form(void **state)
{
	unsigned c;

	(void)state;
	for (c = 257; c < 5000; c += 397) {
		double a = 0.9 * c, b = 1.0, got;
		unsigned k;
		for (k = 1; k <= c; k++)
			b = a * b / (k + a * b);
		got = fc_queue_erlang_b(c, a);
		if (fabs(got - b) > 1e-9 * b)
			fail_msg("c %u: closed form %.15g, recursion %.15g", c, got, b);
	}
}

/* splitmix64 against the reference implementation's first outputs from
 * state 0 (Vigna, splitmix64.c), and the unit draw's range. */
static void
test_splitmix64_reference(void **state)
{
	uint64_t x = 0;
	double u;
	int i;

	(void)state;
	assert_true(fc_splitmix64(&x) == 0xE220A8397B1DCDAFull);
	assert_true(fc_splitmix64(&x) == 0x6E789E6AA1B965F4ull);
	assert_true(fc_splitmix64(&x) == 0x06C45D188009454Full);
	for (i = 0; i < 1000; i++) {
		u = fc_splitmix64_unit(&x);
		assert_true(u >= 0 && u < 1);
	}
}

/* The draws bench uses for lengths and arrivals: sample mean and CV. */
static void
test_splitmix64_draws(void **state)
{
	const double cvs[] = { 0.3, 1, 2.5 };
	uint64_t x = 42;
	size_t i, k, n = 200000;

	(void)state;
	for (k = 0; k < 3; k++) {
		double s1 = 0, s2 = 0, g1 = 0, g2 = 0, m, sd;

		for (i = 0; i < n; i++) {
			double a = fc_splitmix64_lognormal1(&x, cvs[k]);
			double b = fc_splitmix64_gamma(&x, 2.0, cvs[k]);

			assert_true(a > 0 && b > 0);
			s1 += a;
			s2 += a * a;
			g1 += b;
			g2 += b * b;
		}
		m = s1 / n;
		sd = sqrt(s2 / n - m * m);
		assert_true(fabs(m - 1) < 0.03);
		assert_true(fabs(sd / m - cvs[k]) < 0.1 * cvs[k] + 0.02);
		m = g1 / n;
		sd = sqrt(g2 / n - m * m);
		assert_true(fabs(m - 2) < 0.03 * 2 * cvs[k] + 0.01);
		assert_true(fabs(sd / m - cvs[k]) < 0.05 * cvs[k]);
	}
	assert_true(fc_splitmix64_lognormal1(&x, 0) == 1);
	assert_true(fc_splitmix64_gamma(&x, 3, 0) == 3);
}

/* A trial's months are a deterministic run at that trial's draws: each
 * uncertain input is drawn once and used in every month (issue: a
 * fallback share drawn again each month averaged itself away).  The
 * requests are spread evenly (top10_share 0.1), so only the month's
 * Poisson noise (0.1% of 540,000 requests) tells the two apart. */
static void
test_trial_months_reproduce(void **state)
{
	static const char *const base[] = { "workload.top10_share=0.1" };
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/honest.yaml", base, 1);
	struct fc_mc_opts o = { 0 };
	unsigned long seed;
	size_t k;

	(void)state;
	o.trials = 1;
	o.month = 1;
	o.users = NAN;
	o.threads = 1;
	o.months = 36;
	o.keep_draws = 1;
	o.no_breakeven = 1;
	for (seed = 1; seed <= 6; seed++) {
		struct fc_mc_result r, d;
		struct fc_scenario *sd;
		char buf[FC_MAX_FIGURES][96];
		const char *sets[FC_MAX_FIGURES];
		size_t ns = 0;
		long m;

		o.seed = seed;
		o.deterministic = 0;
		assert_int_equal(fc_mc_run(s, &o, &r), FC_OK);
		sets[ns++] = base[0];
		for (k = 0; k < fc_inputs_mc_n; k++) {
			if (!fc_mc_input_uncertain(s, &o, k))
				continue;
			snprintf(buf[ns], sizeof(buf[ns]), "%s=%.17g", fc_inputs_mc[k].key,
			    r.draws[k]);
			sets[ns] = buf[ns];
			ns++;
		}
		assert_int_equal(ns, 5);   /* growth, requests, one-time, fallback */
		sd = load_scenario("tests/cli/fixtures/honest.yaml", sets, ns);
		o.deterministic = 1;
		assert_int_equal(fc_mc_run(sd, &o, &d), FC_OK);
		for (m = 0; m < o.months; m++) {
			double a = r.months->stat[m][FC_MF_CUMULATIVE].mean;
			double b = d.months->det[m][FC_MF_CUMULATIVE];
			double sa = r.months->stat[m][FC_MF_SAVINGS].mean;
			double sb = d.months->det[m][FC_MF_SAVINGS];

			assert_true(r.months->stat[m][FC_MF_USERS].mean ==
			    d.months->det[m][FC_MF_USERS]);
			/* the trial's month draws its traffic: where that puts
			 * its fleet a server off the replay's (at the means),
			 * the savings differ by that server's price too */
			double step = fabs(r.months->stat[m][FC_MF_SERVERS].mean -
			    d.months->det[m][FC_MF_SERVERS]) * d.in.hw_monthly_price;
			assert_true(fabs(sa - sb) < 0.01 * fabs(sb) + 60 + step);
			assert_true(fabs(a - b) < 0.01 * (fabs(b) + d.in.flat_one_time));
		}
		assert_true(fabs(r.months->payback_samples[0] - d.months->payback_month) <= 1 ||
		    (isnan(r.months->payback_samples[0]) && isnan(d.months->payback_month)));
		fc_mc_result_free(&r);
		fc_mc_result_free(&d);
		fc_scenario_free(sd);
	}
	fc_scenario_free(s);
}

/* A fallback schedule by month: a trial takes one quantile of the
 * months' shares, so its share ranks the same in every month. */
static void
test_fallback_schedule_one_quantile(void **state)
{
	static const char *const sets[] = {
	    "flat.fallback.share=[{dist: uniform, min: 0.2, max: 0.4}, 0.1, {dist: uniform, min: 0, max: 0.1}]" };
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/honest.yaml", sets, 1);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	struct fc_mc_opts o = { 0 };
	long i;

	(void)state;
	o.month = 1;
	o.users = NAN;
	o.seed = 3;
	for (i = 0; i < 50; i++) {
		struct fc_inputs in;
		double q, f3;

		fc_mc_trial_inputs(s, &o, i, r, &in);
		q = (in.fallback_share - 0.2) / 0.2;
		assert_true(q > 0 && q < 1);
		assert_true(fc_inputs_fallback(s, &in, 1) == in.fallback_share);
		assert_true(fc_inputs_fallback(s, &in, 2) == 0.1);
		f3 = fc_inputs_fallback(s, &in, 3);
		assert_true(fabs(f3 - 0.1 * q) < 1e-12);
		assert_true(fc_inputs_fallback(s, &in, 40) == f3);
	}
	gsl_rng_free(r);
	fc_scenario_free(s);
}

/* truncate: true: draws stay within the key's range and average to the
 * truncated mean (normal and lognormal closed forms); without it, a tail
 * past the bound is refused. */
static void
test_truncate(void **state)
{
	static const char *const yaml[] = {
	    "{dist: normal, mean: -0.9, sd: 0.5, truncate: true}",
	    "{dist: lognormal, mean: 0.5, cv: 1.5, truncate: true}",
	};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t k;

	(void)state;
	gsl_rng_set(r, 11);
	for (k = 0; k < 2; k++) {
		struct fc_ynode *n = NULL;
		struct fc_diags d;
		struct fc_num x;
		double lo = k == 0 ? -1 : 0, hi = k == 0 ? 10 : 1, sum = 0, v;
		long i, nd = 200000;

		fc_diags_init(&d);
		assert_int_equal(fc_ynode_parse("t", yaml[k], strlen(yaml[k]), &n, &d), FC_OK);
		assert_int_equal(fc_num_parse(n, lo, hi, k == 0, "x", &x, &d), FC_OK);
		assert_true(x.truncate && fc_num_truncated(&x) > 0.1);
		for (i = 0; i < nd; i++) {
			v = fc_num_sample(&x, r);
			assert_true(v >= lo && v <= hi);
			sum += v;
		}
		assert_true(fabs(sum / (double)nd - fc_num_mean(&x)) < 0.005);
		x.truncate = 0;
		fc_diags_free(&d);
		fc_diags_init(&d);
		fc_ynode_free(n);
		n = NULL;
		{
			const char *plain = k == 0 ? "{dist: normal, mean: -0.9, sd: 0.5}" :
			    "{dist: lognormal, mean: 0.5, cv: 1.5}";
			assert_int_equal(fc_ynode_parse("t", plain, strlen(plain), &n, &d), FC_OK);
		}
		assert_int_equal(fc_num_parse(n, lo, hi, k == 0, "x", &x, &d), FC_EINVAL);
		fc_ynode_free(n);
		fc_diags_free(&d);
	}
	gsl_rng_free(r);
}

/*
 * A hardware entry's numbers as distributions: fc_hw_read keeps the means
 * in the doubles and the distributions beside them; fc_inputs_hw gives the
 * means (or the doubles of an entry made in code) and draws; a roofline
 * throughput follows the drawn speeds, a measured one does not.
 */
static void
test_hw_draws(void **state)
{
	static const char yaml[] =
	    "kind: gpu\nram_gb: 29\nvram_gb: 24\n"
	    "monthly_price: \"197 to 358\"\nhourly_price: {dist: uniform, min: 0.2, max: 0.4}\n"
	    "mem_bandwidth_gbs: 768\ncompute_gflops: 111100\n"
	    "efficiency: {decode: \"0.4 to 0.7\", prefill: 0.26}\n";
	struct fc_ynode *n = NULL;
	struct fc_diags d;
	struct fc_hw h, plain;
	struct fc_inputs in;
	struct fc_throughput tp, tp1;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double sg = log(358.0 / 197) / (2 * 1.6448536269514722), lo = 1e9, hi = 0;
	int i;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("t", yaml, strlen(yaml), &n, &d), FC_OK);
	assert_int_equal(fc_hw_read(n, "t", 0, &h, &d), FC_OK);
	assert_true(fabs(h.monthly_price - sqrt(197.0 * 358) * exp(sg * sg / 2)) < 1e-9);
	assert_true(fabs(h.hourly_price - 0.3) < 1e-12);
	assert_true(fc_num_is_const(&h.bw_num) && h.mem_bandwidth_gbs == 768);
	assert_true(!fc_num_is_const(&h.eta_decode_num) && fc_num_is_const(&h.eta_prefill_num));
	assert_true(fc_inputs_hw_uncertain(&h));
	memset(&in, 0, sizeof(in));
	fc_inputs_hw(&h, NULL, &in);
	assert_true(in.hw_monthly_price == h.monthly_price && in.hw_eta_decode == h.eta_decode);
	assert_true(in.hw_eta_prefill == 0.26 && in.hw_bw_gbs == 768 && in.hw_gflops == 111100);
	/* an entry made in code sets only the doubles (its numbers zeroed) */
	memset(&plain, 0, sizeof(plain));
	plain.monthly_price = 99;
	plain.eta_decode = 0.5;
	assert_false(fc_inputs_hw_uncertain(&plain));
	fc_inputs_hw(&plain, r, &in);
	assert_true(in.hw_monthly_price == 99 && in.hw_eta_decode == 0.5);
	/* draws: within the 90% range about 90% of the time; a roofline's
	 * bandwidth scales with the drawn efficiency, a measured one does not */
	memset(&tp, 0, sizeof(tp));
	tp.basis = FC_CAP_ROOFLINE;
	tp.bw_eff_gbs = h.eta_decode * 768;
	tp.compute_eff_gflops = 0.26 * 111100;
	tp.prefill_tok_s = 1000;
	gsl_rng_set(r, 7);
	for (i = 0; i < 2000; i++) {
		fc_inputs_hw(&h, r, &in);
		lo = fmin(lo, in.hw_monthly_price);
		hi = fmax(hi, in.hw_monthly_price);
		assert_true(in.hw_hourly_price >= 0.2 && in.hw_hourly_price <= 0.4);
		tp1 = tp;
		fc_mc_trial_hw_speed(&h, &in, &tp1);
		assert_true(fabs(tp1.bw_eff_gbs - in.hw_eta_decode * 768) < 1e-9);
		assert_true(tp1.prefill_tok_s == 1000);
	}
	assert_true(lo < 197 && hi > 358 && lo > 120 && hi < 520);
	tp.basis = FC_CAP_MEASURED;
	tp1 = tp;
	fc_mc_trial_hw_speed(&h, &in, &tp1);
	assert_true(tp1.bw_eff_gbs == tp.bw_eff_gbs);
	fc_hw_clear(&h);
	fc_ynode_free(n);
	fc_diags_free(&d);
	gsl_rng_free(r);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* fc_mc_stat's percentiles (its radix sort) against qsort's order: mixed
 * signs, ties, magnitudes from 1e-300 to 1e300, infinities, NaN left out,
 * short and long columns. */
static void
test_stat_sort(void **state)
{
	static const size_t ns[] = { 1, 5, 63, 64, 65, 1000, 10007 };
	uint64_t z = 88172645463325252ull;
	size_t k, i;

	(void)state;
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		size_t n = ns[k], m = 0;
		double *v = malloc(n * sizeof(double)), *w = malloc(n * sizeof(double));
		struct fc_stat st;
		assert_non_null(v);
		assert_non_null(w);
		for (i = 0; i < n; i++) {
			z ^= z << 13;
			z ^= z >> 7;
			z ^= z << 17;
			switch (z % 8) {
			case 0: v[i] = (double)(z % 5); break;          /* ties */
			case 1: v[i] = -(double)(z >> 11) * 1e-3; break;
			case 2: v[i] = ldexp((double)(z % 1000), (int)(z >> 50) % 1990 - 995); break;
			case 3: v[i] = -ldexp((double)(z % 1000), (int)(z >> 50) % 1990 - 995); break;
			case 4: v[i] = z % 3 ? NAN : INFINITY; break;
			case 5: v[i] = -INFINITY; break;
			default: v[i] = (double)(z >> 11) * 1e-9 - 4e6; break;
			}
			if (!isnan(v[i]))
				w[m++] = v[i];
		}
		fc_mc_stat(v, n, &st);
		assert_true(st.n == (double)m);
		qsort(w, m, sizeof(double), cmp_d);
		for (i = 0; i < m; i++)
			assert_true(v[i] == w[i]);
		if (m > 0) {
			assert_true(st.p5 == fc_stats_quantile_sorted(w, m, 0.05) ||
			    (isnan(st.p5) && isnan(fc_stats_quantile_sorted(w, m, 0.05))));
			assert_true(st.p99 == fc_stats_quantile_sorted(w, m, 0.99) ||
			    (isnan(st.p99) && isnan(fc_stats_quantile_sorted(w, m, 0.99))));
		}
		free(v);
		free(w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mean_matches_deterministic),
		cmocka_unit_test(test_top10_share),
		cmocka_unit_test(test_threads_and_seed),
		cmocka_unit_test(test_months_payback),
		cmocka_unit_test(test_trial_months_reproduce),
		cmocka_unit_test(test_fallback_schedule_one_quantile),
		cmocka_unit_test(test_tiny_workload_exact_sums),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_distributions),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_erlang_b_closed_form),
		cmocka_unit_test(test_splitmix64_reference),
		cmocka_unit_test(test_splitmix64_draws),
		cmocka_unit_test(test_hw_draws),
		cmocka_unit_test(test_stat_sort),
	};

	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
