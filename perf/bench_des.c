/*
 * bench_des.c: simulated calls per second of fc_des_run for a few fleet
 * shapes at about 70% load.  Prints figures; asserts nothing about time.
 *
 * Each case simulates about CALLS_PER_DAY calls (mean service time scaled
 * to the fleet), so that every figure comes from a run of similar length.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "des.h"

#define CALLS_PER_DAY 3e6
#define LOAD 0.7
#define MAX_SLOTS 64

struct bcase {
	const char *name;
	unsigned servers, slots;
	double arrival_cv2;
	double speedup_exp;       /* g(n) = n^speedup_exp */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
run_case(const struct bcase *b, gsl_rng *rng)
{
	double speedup[MAX_SLOTS + 1], es, rate, t0, dt;
	struct fc_des_config c;
	struct fc_des_result r;
	enum fc_status st;
	unsigned n;
	int h;

	memset(&c, 0, sizeof(c));
	speedup[0] = 0;
	for (n = 1; n <= b->slots; n++)
		speedup[n] = pow(n, b->speedup_exp);
	rate = CALLS_PER_DAY / 86400.0;
	/* LOAD of the fleet's full-batch capacity, servers * g(slots) / es. */
	es = LOAD * b->servers * speedup[b->slots] / rate;
	c.servers = b->servers;
	c.max_slots = b->slots;
	c.speedup = speedup;
	c.in_mean = 500;
	c.in_cv = 0.5;
	c.out_mean = 200;
	c.out_cv = 1.0;
	c.prefill_tok_s = c.in_mean / (0.3 * es);   /* 30% of es in prefill */
	c.decode1_tok_s = c.out_mean / (0.7 * es);
	for (h = 0; h < 24; h++)
		c.rate[h] = rate;
	c.arrival_cv2 = b->arrival_cv2;
	c.max_wait_s = 10 * es;
	c.slo_s = 5 * es;
	c.warmup_s = 600;
	gsl_rng_set(rng, 1);
	t0 = now_s();
	st = fc_des_run(&c, rng, &r);
	dt = now_s() - t0;
	if (st != FC_OK) {
		fprintf(stderr, "bench_des: %s: %s\n", b->name, fc_strstatus(st));
		return 1;
	}
	printf("%-28s %4u x %2u  %9.0f calls  %6.3f s  %5.2f M calls/s"
	    "  %5.2f M events/s  util %.2f  p95/es %.2f  overflow %.4f\n",
	    b->name, b->servers, b->slots, r.calls, dt, r.calls / dt / 1e6,
	    r.events / dt / 1e6, r.util_by_hour[12], r.lat_p95 / es,
	    r.overflow_share);
	return 0;
}

int
main(void)
{
	static const struct bcase cases[] = {
		{ "poisson, 1 server", 1, 4, 1.0, 0.8 },
		{ "poisson, 10 servers", 10, 4, 1.0, 0.8 },
		{ "poisson, 100 servers", 100, 4, 1.0, 0.8 },
		{ "gamma cv2=2.5, 10 servers", 10, 4, 2.5, 0.8 },
		{ "poisson, 10 x 64 slots", 10, 64, 1.0, 0.8 },
		{ "poisson, 1000 servers", 1000, 4, 1.0, 0.8 },
	};
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i;
	int rc = 0;

	if (rng == NULL) {
		fprintf(stderr, "bench_des: out of memory\n");
		return 1;
	}
	printf("fc_des_run, %s, ~%.0f%% load, %.0f calls a day\n",
	    gsl_rng_name(rng), LOAD * 100, CALLS_PER_DAY);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		rc |= run_case(&cases[i], rng);
	gsl_rng_free(rng);
	return rc;
}
