/*
 * bench_breakeven.c: the breakeven search (fc_breakeven_eval) over 1 to
 * 10,000,000 users for the bundled scenarios and for cases whose
 * crossings lie at fleets of hundreds to thousands of servers.  Prints the
 * answer, the fleet at the lasting breakeven and the time of one search.
 * Then the CPU time of every trial's search (first and lasting, as
 * simulate's trials search) over 10,000 trials at 100,000 users (each
 * trial's own draws and server speed, as simulate draws them; one thread)
 * for the bundled scenarios and a CPU fleet with monthly and hourly
 * billing: what searching every trial costs; then simulate's whole Monte
 * Carlo run of 10,000 trials with every trial's breakeven and without (the
 * target: 0.15 s on 2 cores).  Asserts nothing about time.  Run from the
 * repository root (data/).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "breakeven.h"
#include "data.h"
#include "mc.h"

struct bcase {
	const char *path;
	const char *set;    /* one --set, or NULL */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
run_case(const struct fc_catalog *cat, const struct bcase *b)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_inputs in;
	struct fc_throughput tp;
	struct fc_breakeven be;
	struct fc_workload w;
	struct fc_costs c;
	const char *sets[1] = { b->set };
	double t0, dt;
	int reps = 0;

	fc_diags_init(&d);
	if (fc_scenario_load(b->path, cat, sets, b->set ? 1 : 0, &s, &d) != FC_OK) {
		fprintf(stderr, "cannot load %s\n", b->path);
		fc_diags_free(&d);
		return 1;
	}
	fc_diags_free(&d);
	fc_inputs_mean(s, 1, &in);
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref, &tp);
	t0 = now_s();
	do {
		if (fc_breakeven_eval(s, &in, &tp, 1, 1e7, &be) != FC_OK) {
			fprintf(stderr, "%s: search failed\n", b->path);
			fc_scenario_free(s);
			return 1;
		}
		reps++;
	} while (now_s() - t0 < 0.5);
	dt = (now_s() - t0) / reps;
	c.servers = NAN;
	if (isfinite(be.lasting)) {
		in.users = be.lasting;
		fc_workload_mean(&in, &w);
		fc_cost_eval(s, &in, &w, &tp, &c);
	}
	printf("  %-32s %-28s first %9.0f  lasting %9.0f (%6.0f servers)  %2zu ranges  %7.2f ms\n",
	    b->path + (sizeof("scenarios/") - 1), b->set ? b->set : "", be.first, be.lasting,
	    c.servers, be.nranges, dt * 1e3);
	fc_scenario_free(s);
	return 0;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Every trial's search, 10,000 trials at 100,000 users. */
static int
run_trials(const struct fc_catalog *cat, const char *path, const char *const *sets,
    size_t nsets, const char *label)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o;
	struct fc_throughput tp0;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	long i, found = 0, n = 10000;
	double c0, dt;

	fc_diags_init(&d);
	if (r == NULL || fc_scenario_load(path, cat, sets, nsets, &s, &d) != FC_OK) {
		fprintf(stderr, "cannot load %s\n", path);
		fc_diags_free(&d);
		gsl_rng_free(r);
		return 1;
	}
	fc_diags_free(&d);
	memset(&o, 0, sizeof(o));
	o.trials = n;
	o.seed = 42;
	o.month = 1;
	o.users = 100000;
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant, s->flat.model_ref, &tp0);
	c0 = cpu_s();
	for (i = 0; i < n; i++) {
		struct fc_inputs in;
		struct fc_throughput tp;
		struct fc_breakeven be;
		fc_mc_trial_inputs(s, &o, i, r, &in);
		fc_mc_trial_throughput(&tp0, &o, i, &tp);
		if (fc_breakeven_first_lasting(s, &in, &tp, 1, FC_MC_BREAKEVEN_MAX_USERS,
		    &be) != FC_OK) {
			fprintf(stderr, "%s: trial %ld: search failed\n", path, i);
			break;
		}
		found += !isnan(be.lasting);
	}
	dt = cpu_s() - c0;
	printf("  %-52s %6.2f s CPU  %7.1f us/trial  %5.1f%% with one\n", label, dt,
	    dt / (double)n * 1e6, 100.0 * (double)found / (double)n);
	fc_scenario_free(s);
	gsl_rng_free(r);
	return i < n;
}

/* simulate's Monte Carlo, 10,000 trials at 100,000 users, 2 threads:
 * wall time with every trial's breakeven searched and without (best of
 * 5), so that the search's share of the run shows. */
static int
run_simulate(const struct fc_catalog *cat, const char *path, const char *const *sets,
    size_t nsets, const char *label)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	double best[2] = { INFINITY, INFINITY };
	int k, rep;

	fc_diags_init(&d);
	if (fc_scenario_load(path, cat, sets, nsets, &s, &d) != FC_OK) {
		fprintf(stderr, "cannot load %s\n", path);
		fc_diags_free(&d);
		return 1;
	}
	fc_diags_free(&d);
	for (rep = 0; rep < 5; rep++)
		for (k = 0; k < 2; k++) {
			double t0;
			memset(&o, 0, sizeof(o));
			o.trials = 10000;
			o.seed = 42;
			o.month = 1;
			o.users = 100000;
			o.threads = 2;
			o.no_breakeven = k;
			t0 = now_s();
			if (fc_mc_run(s, &o, &r) != FC_OK) {
				fprintf(stderr, "%s: run failed\n", path);
				fc_scenario_free(s);
				return 1;
			}
			best[k] = fmin(best[k], now_s() - t0);
			fc_mc_result_free(&r);
		}
	printf("  %-52s %6.3f s wall, %6.3f s without the breakevens\n", label, best[0], best[1]);
	fc_scenario_free(s);
	return 0;
}

int
main(void)
{
	static const char *const cpu[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600" };
	static const char *const cpu_hourly[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600", "flat.billing=hourly", "flat.startup_minutes=5" };
	static const struct bcase cases[] = {
		{ "scenarios/classifier-api.yaml", NULL },
		{ "scenarios/content-optimizer.yaml", NULL },
		{ "scenarios/support-chatbot.yaml", NULL },
		{ "scenarios/support-chatbot.yaml", "flat.fixed_monthly=5000" },
		{ "scenarios/classifier-api.yaml", "flat.fixed_monthly=200000" },
		{ "scenarios/content-optimizer.yaml", "flat.fixed_monthly=400000" },
	};
	struct fc_catalog *cat = NULL;
	struct fc_diags d;
	size_t i;
	int rc = 0;

	gsl_set_error_handler_off();
	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK) {
		fprintf(stderr, "cannot load data/ (run from the repository root)\n");
		fc_diags_free(&d);
		return 1;
	}
	fc_diags_free(&d);
	printf("breakeven search, 1 to 10,000,000 users, at the means (time of one search):\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		rc |= run_case(cat, &cases[i]);
	printf("\nevery trial's search, 10,000 trials at 100,000 users, 1 thread:\n");
	rc |= run_trials(cat, "scenarios/classifier-api.yaml", NULL, 0, "classifier-api.yaml");
	rc |= run_trials(cat, "scenarios/content-optimizer.yaml", NULL, 0,
	    "content-optimizer.yaml");
	rc |= run_trials(cat, "scenarios/support-chatbot.yaml", NULL, 0, "support-chatbot.yaml");
	rc |= run_trials(cat, "scenarios/content-optimizer.yaml", cpu, 2,
	    "content-optimizer.yaml, CPU fleet (cx43, 600 s SLO)");
	rc |= run_trials(cat, "scenarios/content-optimizer.yaml", cpu_hourly, 4,
	    "content-optimizer.yaml, CPU fleet, hourly billing");
	printf("\nsimulate's Monte Carlo, 10,000 trials at 100,000 users, 2 threads, every "
	    "trial's breakeven (best of 5; target 0.15 s):\n");
	rc |= run_simulate(cat, "scenarios/classifier-api.yaml", NULL, 0, "classifier-api.yaml");
	rc |= run_simulate(cat, "scenarios/content-optimizer.yaml", NULL, 0,
	    "content-optimizer.yaml");
	rc |= run_simulate(cat, "scenarios/support-chatbot.yaml", NULL, 0, "support-chatbot.yaml");
	rc |= run_simulate(cat, "scenarios/content-optimizer.yaml", cpu, 2,
	    "content-optimizer.yaml, CPU fleet (cx43, 600 s SLO)");
	fc_catalog_free(cat);
	return rc;
}
