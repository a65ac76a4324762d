/*
 * bench_mc.c: Monte Carlo speed: trials per second and simulated calls
 * per second at 1k, 10k, 100k and 1M users, 10,000 trials, on
 * scenarios/content-optimizer.yaml, with all cores.  Prints figures; it
 * asserts nothing (targets in DESIGN.md: 100k users x 10k trials within
 * 1 s on 2 cores; 1M users at most 1.5x the time of 10k users).
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

int
main(void)
{
	static const double users[] = { 1e3, 1e4, 1e5, 1e6 };
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o = { 0 };
	struct fc_mc_result r;
	size_t i;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double t10k = 0;

	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK ||
	    fc_scenario_load("scenarios/content-optimizer.yaml", cat, NULL, 0, &s, &d) != FC_OK) {
		fprintf(stderr, "bench_mc: cannot load the scenario\n");
		return 1;
	}
	o.trials = 10000;
	o.seed = 42;
	o.threads = ncpu > 0 ? (int)ncpu : 1;
	o.month = 1;
	printf("Monte Carlo, %ld trials, %d threads (scenarios/content-optimizer.yaml)\n",
	    o.trials, o.threads);
	printf("%10s %10s %14s %16s\n", "users", "seconds", "trials/s", "sim. calls/s");
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		double t0, t, calls;
		o.users = users[i];
		t0 = now();
		if (fc_mc_run(s, &o, &r) != FC_OK) {
			fprintf(stderr, "bench_mc: run failed\n");
			return 1;
		}
		t = now() - t0;
		calls = r.stats[2].mean * (double)o.trials;  /* workload.calls */
		printf("%10.0f %10.3f %14.0f %16.3g\n", users[i], t, (double)o.trials / t, calls / t);
		if (users[i] == 1e4)
			t10k = t;
		if (users[i] == 1e6 && t10k > 0)
			printf("1M users take %.2fx the time of 10k users\n", t / t10k);
		fc_mc_result_free(&r);
	}
	fc_scenario_free(s);
	fc_catalog_free(cat);
	fc_diags_free(&d);
	return 0;
}
