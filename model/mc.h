/*
 * mc.h: the simulation: deterministic (every number at its mean, the
 * closed-form expected value) or Monte Carlo over the scenario's
 * distributions, with percentiles of every figure.
 *
 * Trial i draws from its own random stream derived from (seed, i), so
 * results do not depend on the number of threads.
 */
#ifndef FC_MC_H
#define FC_MC_H

#include <gsl/gsl_rng.h>

#include "cost.h"
#include "fleet.h"
#include "scenario.h"

#define FC_MAX_FIGURES 64

struct fc_stat {
	double mean, sd, p5, p50, p95, p99;
	double n;            /* trials that gave a value */
};

struct fc_mc_opts {
	long trials;
	unsigned long seed;
	int threads;         /* >= 1 */
	long month;          /* 1-based month of tenure */
	double users;        /* overrides the scenario's users when not NaN */
	int deterministic;
	/* called now and then from the calling thread; may be NULL */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	volatile int *cancel;  /* stop early when it becomes nonzero; may be NULL */
};

struct fc_mc_result {
	int deterministic;
	long trials, month;
	unsigned long seed;
	struct fc_throughput tp;
	struct fc_inputs in;             /* the means */
	struct fc_costs det;             /* figures at the means */
	struct fc_breakeven breakeven;   /* at the means */
	/* Monte Carlo only */
	struct fc_stat stats[FC_MAX_FIGURES];  /* by fc_figures[] index */
	double p_flat_cheaper;
	struct fc_stat breakeven_stat;   /* first crossing, over trials that have one */
	double p_breakeven_found;        /* share of trials with a crossing */
	long breakeven_trials;           /* the first trials, whose breakeven was searched */
	double *samples;                 /* trials x fc_nfigures, owned; NULL when deterministic */
	const struct fc_des_report *des; /* set by callers that ran the DES check; not owned */
};

enum fc_status fc_mc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r);
void fc_mc_result_free(struct fc_mc_result *r);

/* Trial i's draws exactly as fc_mc_run makes them, for engines that
 * evaluate several variants of a scenario on the same trials (compare):
 * the inputs from r seeded for trial i's input stream, the month's
 * traffic from rw seeded for its traffic stream.  r and rw are the
 * caller's (gsl_rng_taus2); their state is overwritten. */
void fc_mc_trial_inputs(const struct fc_scenario *s, const struct fc_mc_opts *o,
    long i, gsl_rng *r, struct fc_inputs *in);
void fc_mc_trial_workload(const struct fc_inputs *in, const struct fc_mc_opts *o,
    long i, gsl_rng *rw, struct fc_workload *w);
/* Mean, sd and percentiles of v[0..n) leaving NaN out; v is reordered. */
void fc_mc_stat(double *v, size_t n, struct fc_stat *st);

/* Draws `users` individual intensities from the lognormal of top10_share
 * (mean 1) and returns the share of the total made by the busiest 10%:
 * the check that the sigma reproduces the stated skew.  NaN on failure. */
double fc_mc_sample_top10(double top10_share, long users, unsigned long seed);

#endif
