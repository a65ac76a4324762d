/*
 * bench_sensitivity.c: `flatcost sensitivity` speed: 10 uncertain inputs x
 * 10,000 trials (scenarios/content-optimizer.yaml with six more of its
 * numbers made distributions), the Monte Carlo run that keeps each trial's
 * inputs, then the estimators with 200 bootstrap resamples, on 2 threads.
 * Prints figures; asserts nothing (its target: docs/model.md, "Speed targets").
 */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "data.h"
#include "mc.h"
#include "scenario.h"
#include "sensitivity.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(void)
{
	static const char *const sets[] = {
		"workload.input_tokens={dist: lognormal, mean: 1000, cv: 0.3}",
		"workload.chaining={dist: uniform, min: 1, max: 1.5}",
		"workload.peak_to_mean={dist: triangular, min: 1.5, mode: 2, max: 3}",
		"workload.cached_input_share={dist: uniform, min: 0, max: 0.3}",
		"flat.target_utilization={dist: uniform, min: 0.5, max: 0.8}",
		"other_costs.per_user_monthly={dist: uniform, min: 0.01, max: 0.05}",
	};
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r;
	struct fc_sens_opts so = { 0, 200, 42 };
	struct fc_sens e;
	size_t cols[64], ncols = 0, k, fig;
	double t0, t1, t2;

	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK ||
	    fc_scenario_load("scenarios/content-optimizer.yaml", cat, sets,
	    sizeof(sets) / sizeof(sets[0]), &s, &d) != FC_OK) {
		fprintf(stderr, "bench_sensitivity: cannot load the scenario\n");
		return 1;
	}
	o.trials = 10000;
	o.seed = 42;
	o.threads = 2;
	o.month = 1;
	o.users = NAN;
	o.keep_draws = 1;
	for (k = 0; k < fc_inputs_mc_n; k++)
		if (fc_mc_input_uncertain(s, &o, k))
			cols[ncols++] = k;
	fig = (size_t)fc_figure_index("savings.monthly");
	t0 = now();
	if (fc_mc_run(s, &o, &r) != FC_OK) {
		fprintf(stderr, "bench_sensitivity: run failed\n");
		return 1;
	}
	t1 = now();
	if (fc_sensitivity_run(r.samples + fig, fc_nfigures, r.draws, fc_inputs_mc_n, cols,
	    (size_t)o.trials, ncols, &so, &e) != FC_OK) {
		fprintf(stderr, "bench_sensitivity: estimators failed\n");
		return 1;
	}
	t2 = now();
	printf("Sensitivity of savings.monthly, %zu uncertain inputs x %ld trials, %d threads,"
	    " %zu resamples\n", ncols, o.trials, o.threads, so.resamples);
	printf("%-28s %8.3f s\n", "Monte Carlo (keep_draws)", t1 - t0);
	printf("%-28s %8.3f s\n", "estimators", t2 - t1);
	printf("%-28s %8.3f s (target: at most 3 s on 2 cores)\n", "total", t2 - t0);
	fc_sensitivity_free(&e);
	fc_mc_result_free(&r);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	fc_diags_free(&d);
	return 0;
}
