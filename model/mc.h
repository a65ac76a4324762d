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
	int keep_draws;      /* keep each trial's inputs and breakeven (r->draws,
	                      * r->breakeven_samples); 0 costs nothing */
};

/*
 * The uncertain inputs a trial draws (struct fc_inputs' numbers), one row
 * each, by the scenario key that sets them.  A new number drawn in
 * draw_inputs() gets a row here too (tests/unit/test_mc.c counts them).
 */
struct fc_mc_input {
	const char *key;     /* scenario path: "workload.output_tokens" */
	const char *unit;    /* "tokens/call", "USD/month", "share" (0 to 1), ... */
	size_t off;          /* into struct fc_inputs (a double) */
};
extern const struct fc_mc_input fc_mc_inputs[];
extern const size_t fc_mc_ninputs;
/* The scenario's number behind input k for month; NULL when k is out of range. */
const struct fc_num *fc_mc_input_num(const struct fc_scenario *s, size_t k, long month);
/* Nonzero when input k varies across o's trials: a distribution in s,
 * and for users, not fixed by o->users. */
int fc_mc_input_uncertain(const struct fc_scenario *s, const struct fc_mc_opts *o, size_t k);

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
	/* with o->keep_draws only (else NULL), owned: */
	double *draws;                   /* trials x fc_mc_ninputs, by fc_mc_inputs[] index */
	double *breakeven_samples;       /* breakeven_trials values: each trial's first
	                                  * crossing, NaN where none */
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
