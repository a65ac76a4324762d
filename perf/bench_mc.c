/*
 * bench_mc.c: Monte Carlo speed: trials per second and simulated calls
 * per second from 1k to 1M users, 10,000 trials, with all cores, for two
 * fleets of scenarios/content-optimizer.yaml: its GPU server (a few
 * servers), and the article's case of a large CPU fleet (hetzner/cx43 at
 * a 600 s SLO: about 1,040 servers at 5,000 users, 200,000 at 1M), both
 * with monthly and with hourly billing.  Prints figures; it asserts
 * nothing (targets: docs/model.md, "Speed targets": 100k users x 10k
 * trials within 1 s on 2 cores; 1M users at most 1.5x the time of 10k
 * users, for either fleet).
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

static int
run_fleet(const struct fc_catalog *cat, const char *label,
    const char *const *sets, size_t nsets, int threads)
{
	static const double users[] = { 1e3, 5e3, 1e4, 1e5, 1e6 };
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r;
	size_t i;
	long ks = fc_figure_index("flat.servers");
	long kc = fc_figure_index("workload.calls");
	double t10k = 0;

	fc_diags_init(&d);
	if (fc_scenario_load("scenarios/content-optimizer.yaml", cat, sets, nsets, &s,
	    &d) != FC_OK || ks < 0 || kc < 0) {
		fprintf(stderr, "bench_mc: cannot load the scenario for %s\n", label);
		fc_diags_free(&d);
		return 1;
	}
	o.trials = 10000;
	o.seed = 42;
	o.threads = threads;
	o.month = 1;
	printf("\n%s: %ld trials, %d threads\n", label, o.trials, o.threads);
	printf("%10s %10s %12s %14s %16s\n", "users", "seconds", "servers P50",
	    "trials/s", "sim. calls/s");
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		double t0, t, calls;
		o.users = users[i];
		t0 = now();
		if (fc_mc_run(s, &o, &r) != FC_OK) {
			fprintf(stderr, "bench_mc: run failed\n");
			fc_scenario_free(s);
			fc_diags_free(&d);
			return 1;
		}
		t = now() - t0;
		calls = r.stats[kc].mean * (double)o.trials;
		printf("%10.0f %10.3f %12.0f %14.0f %16.3g\n", users[i], t,
		    r.stats[ks].p50, (double)o.trials / t, calls / t);
		if (users[i] == 1e4)
			t10k = t;
		if (users[i] == 1e6 && t10k > 0)
			printf("1M users take %.2fx the time of 10k users\n", t / t10k);
		fc_mc_result_free(&r);
	}
	fc_scenario_free(s);
	fc_diags_free(&d);
	return 0;
}

int
main(void)
{
	static const char *const gpu_monthly[] = { "flat.billing=monthly" };
	static const char *const gpu_hourly[] = { "flat.billing=hourly",
	    "flat.startup_minutes=5" };
	static const char *const cpu_monthly[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600" };
	static const char *const cpu_hourly[] = { "flat.hardware=hetzner/cx43",
	    "flat.slo.p95_latency_s=600", "flat.billing=hourly", "flat.startup_minutes=5" };
	struct fc_catalog *cat = NULL;
	struct fc_diags d;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int th = ncpu > 0 ? (int)ncpu : 1, rc = 0;

	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK) {
		fprintf(stderr, "bench_mc: cannot load the catalog\n");
		return 1;
	}
	printf("Monte Carlo speed, scenarios/content-optimizer.yaml (target: 100k users\n"
	    "x 10k trials within 1 s on 2 cores; 1M users within 1.5x the time of 10k)\n");
	rc |= run_fleet(cat, "GPU fleet (hetzner/gex44, 60 s SLO), monthly billing",
	    gpu_monthly, 1, th);
	rc |= run_fleet(cat, "GPU fleet (hetzner/gex44, 60 s SLO), hourly billing",
	    gpu_hourly, 2, th);
	rc |= run_fleet(cat, "CPU fleet (hetzner/cx43, 600 s SLO), monthly billing",
	    cpu_monthly, 2, th);
	rc |= run_fleet(cat, "CPU fleet (hetzner/cx43, 600 s SLO), hourly billing",
	    cpu_hourly, 4, th);
	fc_catalog_free(cat);
	fc_diags_free(&d);
	return rc;
}
