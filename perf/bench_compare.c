/*
 * bench_compare.c: `flatcost compare` speed: scenarios/content-optimizer.yaml
 * over the whole catalog (every bundled server x every model x every
 * quantization, as --hardware all --model all) and the API, 10,000
 * trials: raced (the default; the options beyond the leader after the
 * racing batch stop) on 2 threads and on 1, and without racing on 2.
 * Prints wall and CPU seconds, the options viable, raced out and kept,
 * and the peak resident memory; asserts nothing (target: at most 3 s on
 * 2 cores; the CPU seconds, which a busy machine does not inflate,
 * divided by 2 are what 2 idle cores would take).  For scale it also
 * times one `simulate` of the same scenario.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "compare.h"
#include "data.h"
#include "mc.h"
#include "scenario.h"

static double
clock_s(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

int
main(void)
{
	static struct fc_cmp_option opts[1024];
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	struct fc_cmp_rank rk;
	size_t n = 0, h, m, viable = 0, k;
	int q, run;
	double t0, t1 = 0, c0;

	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK ||
	    fc_scenario_load("scenarios/content-optimizer.yaml", cat, NULL, 0, &s, &d) != FC_OK) {
		fprintf(stderr, "bench_compare: cannot load the scenario\n");
		return 1;
	}
	for (h = 0; h < cat->nhw; h++)
		for (m = 0; m < cat->nmodels; m++)
			for (q = 0; q < FC_NQUANT && n < 1023; q++, n++) {
				memset(&opts[n], 0, sizeof(opts[n]));
				opts[n].kind = FC_CMP_FLAT;
				opts[n].hw = &cat->hw[h];
				opts[n].model = &cat->models[m];
				opts[n].quant = (enum fc_quant)q;
				snprintf(opts[n].ref, sizeof(opts[n].ref), "%s-%s", cat->models[m].id,
				    fc_quant_names[q]);
			}
	memset(&opts[n], 0, sizeof(opts[n]));
	opts[n].kind = FC_CMP_API;
	snprintf(opts[n].ref, sizeof(opts[n].ref), "%s", s->api.id);
	n++;
	rk.fig = fc_figure_index("flat.monthly_cost");
	rk.stat = 2;
	memset(&o, 0, sizeof(o));
	o.trials = 10000;
	o.seed = 42;
	o.month = 1;
	o.users = NAN;
	printf("compare, %zu servers x %zu models x %d quantizations + the API = %zu options, "
	    "%ld trials (scenarios/content-optimizer.yaml)\n", cat->nhw, cat->nmodels,
	    FC_NQUANT, n, o.trials);
	printf("%8s %6s %10s %12s %9s %10s %6s %12s\n", "threads", "race", "seconds",
	    "CPU seconds", "viable", "raced out", "kept", "peak RSS MB");
	for (run = 0; run < 3; run++) {
		struct rusage ru;
		size_t raced = 0;
		o.threads = run == 1 ? 1 : 2;
		rk.race = run < 2;
		t0 = now();
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if (fc_compare_run(s, &o, &rk, opts, n) != FC_OK) {
			fprintf(stderr, "bench_compare: run failed\n");
			return 1;
		}
		t1 = now() - t0;
		for (viable = 0, k = 0; k < n; k++) {
			viable += opts[k].viable;
			raced += opts[k].raced_out != 0;
		}
		getrusage(RUSAGE_SELF, &ru);
		printf("%8d %6s %10.3f %12.3f %9zu %10zu %6zu %12.1f\n", o.threads,
		    rk.race ? "yes" : "no", t1, clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0, viable,
		    raced, viable - raced, (double)ru.ru_maxrss / 1024);
	}
	o.threads = 1;
	t0 = now();
	if (fc_mc_run(s, &o, &r) != FC_OK) {
		fprintf(stderr, "bench_compare: simulate failed\n");
		return 1;
	}
	printf("one simulate of the scenario, 1 thread: %.3f s (x %zu viable options = %.1f s)\n",
	    now() - t0, viable, (now() - t0) * (double)viable);
	fc_mc_result_free(&r);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	fc_diags_free(&d);
	return 0;
}
