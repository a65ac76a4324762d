/*
 * bench_ranges.c: the cost of honest ranges.  A 10,000-trial run of 60
 * months of scenarios/content-optimizer.yaml as bundled, then the same
 * with every input that decides the payback uncertain: growth by phase
 * ({rate: distribution, until_month}), a fallback share schedule by month
 * (one quantile a trial), a truncated normal, the one-time cost, the
 * requests per user.  Prints both times and their ratio; it asserts
 * nothing (target: the uncertain run within 2x of the bundled one).
 */
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "data.h"
#include "mc.h"
#include "scenario.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Seconds of one 10,000-trial, 60-month run, or a negative on failure;
 * *p_payback gets its share of trials paying back within the 60 months. */
static double
run(const struct fc_catalog *cat, const char *const *sets, size_t nsets, int threads,
    double *p_payback)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r;
	double t0, t;

	fc_diags_init(&d);
	if (fc_scenario_load("scenarios/content-optimizer.yaml", cat, sets, nsets, &s,
	    &d) != FC_OK) {
		fprintf(stderr, "bench_ranges: cannot load the scenario\n");
		fc_diags_free(&d);
		return -1;
	}
	o.trials = 10000;
	o.seed = 42;
	o.threads = threads;
	o.month = 1;
	o.users = NAN;
	o.months = 60;
	t0 = now();
	if (fc_mc_run(s, &o, &r) != FC_OK) {
		fprintf(stderr, "bench_ranges: run failed\n");
		fc_scenario_free(s);
		fc_diags_free(&d);
		return -1;
	}
	t = now() - t0;
	*p_payback = r.months->p_payback;
	fc_mc_result_free(&r);
	fc_scenario_free(s);
	fc_diags_free(&d);
	return t;
}

int
main(void)
{
	static const char *const uncertain[] = {
	    "user_growth_per_month={rate: {dist: normal, mean: 0.04, sd: 0.05, truncate: true}, until_month: 24}",
	    "flat.fallback.share=[\"0.05 to 0.20\", \"0.03 to 0.12\", {dist: uniform, min: 0.01, max: 0.08}]",
	    "flat.one_time=\"150000 to 400000\"",
	    "flat.fixed_monthly={dist: pert, min: 10, mode: 14.5, max: 40}",
	    "other_costs.per_user_monthly={dist: lognormal, mean: 0.02, cv: 0.5}",
	};
	struct fc_catalog *cat = NULL;
	struct fc_diags d;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int th = ncpu > 0 ? (int)ncpu : 1, k;

	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK) {
		fprintf(stderr, "bench_ranges: cannot load the catalog\n");
		return 1;
	}
	printf("Honest ranges: 10,000 trials x 60 months, scenarios/content-optimizer.yaml,\n"
	    "%d threads (target: every input uncertain within 2x of the bundled run)\n", th);
	for (k = 0; k < 1; k++) {
		double pa, pb, a = run(cat, NULL, 0, th, &pa);
		double b = run(cat, uncertain, sizeof(uncertain) / sizeof(uncertain[0]), th, &pb);

		if (a < 0 || b < 0) {
			fc_catalog_free(cat);
			fc_diags_free(&d);
			return 1;
		}
		printf("run %d: bundled %.3f s (P(payback) %.3f), every input uncertain "
		    "%.3f s (P(payback) %.3f): %.2fx\n", k + 1, a, pa, b, pb, b / a);
	}
	fc_catalog_free(cat);
	fc_diags_free(&d);
	return 0;
}
