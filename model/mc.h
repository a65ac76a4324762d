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

#include "breakeven.h"
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
	/* the user counts the breakeven is searched over: whole numbers,
	 * 0 for the defaults 1 and FC_MC_BREAKEVEN_MAX_USERS */
	double breakeven_from, breakeven_to;
	int no_breakeven;      /* 1: skip the breakeven search (its fields are NaN) */
};

#define FC_MC_BREAKEVEN_MAX_USERS 1e7
#define FC_MC_BREAKEVEN_TRIALS 200   /* the first trials, whose breakeven is searched */

struct fc_mc_result {
	int deterministic;
	long trials, month;
	unsigned long seed;
	struct fc_throughput tp;
	struct fc_inputs in;             /* the means */
	struct fc_costs det;             /* figures at the means */
	struct fc_breakeven breakeven;   /* at the means (breakeven.h), with viability */
	/* Monte Carlo only */
	struct fc_stat stats[FC_MAX_FIGURES];  /* by fc_figures[] index */
	double p_flat_cheaper;           /* share of trials where flat is cheaper (fc_flat_cheaper) */
	double p_viable;                 /* share of trials where flat is viable */
	struct fc_stat breakeven_stat;   /* lasting breakeven, users, over the searched trials that have one (n of them) */
	struct fc_stat first_stat;       /* first cheaper user count, likewise */
	double p_breakeven_found;        /* share of the searched trials with a lasting breakeven */
	long breakeven_trials;           /* trials whose breakeven was searched (the first ones) */
	double *trial_lasting;           /* their lasting breakevens, users, NaN: none; owned, or NULL */
	double *samples;                 /* trials x fc_nfigures, owned; NULL when deterministic */
	const struct fc_des_report *des; /* set by callers that ran the DES check; not owned */
};

enum fc_status fc_mc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r);
void fc_mc_result_free(struct fc_mc_result *r);

/* Draws `users` individual intensities from the lognormal of top10_share
 * (mean 1) and returns the share of the total made by the busiest 10%:
 * the check that the sigma reproduces the stated skew.  NaN on failure. */
double fc_mc_sample_top10(double top10_share, long users, unsigned long seed);

#endif
