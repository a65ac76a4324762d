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

#include "breakeven.h"
#include "cost.h"
#include "fleet.h"
#include "inputs.h"
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
	long months;         /* > 0: also months 1..months of each trial (fc_mc_result.months) */
	/* the user counts the breakeven is searched over: whole numbers,
	 * 0 for the defaults 1 and FC_MC_BREAKEVEN_MAX_USERS */
	double breakeven_from, breakeven_to;
	int no_breakeven;      /* 1: skip the breakeven search (its fields are NaN) */
};

/*
 * Months 1..n of the same trial (simulate --months): the trial's inputs
 * are drawn once (user growth among them), each month has its own users
 * (grown, or the list's), their tenure (context growth by cohort), its
 * fallback share (by months since launch), traffic and fleet.  The
 * cumulative savings start at -(flat.one_time - api.one_time); the
 * payback month is the first whose cumulative savings reach 0.
 */
enum { FC_MF_USERS, FC_MF_API, FC_MF_FLAT, FC_MF_SERVERS, FC_MF_SAVINGS,
	FC_MF_CUMULATIVE, FC_MF_N };
/* The JSON keys of the month figures: users, api.monthly_cost, ... */
extern const char *const fc_mc_month_keys[FC_MF_N];
struct fc_months {
	long n;                                  /* months 1..n */
	double one_time_net;                     /* flat.one_time - api.one_time at the means, USD */
	double det[FC_MAX_SCHEDULE][FC_MF_N];    /* at the means (USD/month, users, servers) */
	double payback_month;                    /* at the means; NaN: none within n */
	/* Monte Carlo only */
	struct fc_stat stat[FC_MAX_SCHEDULE][FC_MF_N];
	struct fc_stat payback;                  /* over the trials that pay back within n */
	double p_payback;                        /* share of trials paying back within n months */
	double *payback_samples;                 /* trials; NaN: none within n; owned */
};

/* Nonzero when input k varies across o's trials: a distribution in s,
 * and for users, not fixed by o->users. */
int fc_mc_input_uncertain(const struct fc_scenario *s, const struct fc_mc_opts *o, size_t k);


#define FC_MC_BREAKEVEN_MAX_USERS 1e7

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
	double p_flat_cheaper;           /* share of trials where flat is cheaper (fc_breakeven_flat_cheaper) */
	double p_viable;                 /* share of trials where flat is viable */
	struct fc_stat breakeven_stat;   /* lasting breakeven, users, over the trials that have one (n of them) */
	struct fc_stat first_stat;       /* first cheaper user count, likewise */
	double p_breakeven_found;        /* share of the trials with a lasting breakeven */
	long breakeven_trials;           /* trials whose breakeven was searched: every one (0 with no_breakeven) */
	double *trial_lasting;           /* their lasting breakevens, users, NaN: none; owned, or NULL */
	double *samples;                 /* trials x fc_nfigures, owned; NULL when deterministic */
	/* with o->keep_draws only (else NULL), owned: */
	double *draws;                   /* trials x fc_inputs_mc_n, by fc_inputs_mc[] index */
	double *breakeven_samples;       /* breakeven_trials values: each trial's lasting
	                                  * breakeven (a copy of trial_lasting), users,
	                                  * NaN where none */
	const struct fc_des_report *des; /* set by callers that ran the DES check; not owned */
	struct fc_months *months;        /* o->months > 0; owned, freed by fc_mc_result_free */
};

/*
 * Runs scenario s with options o into r: always the figures, breakeven
 * and months at the means (r->in, r->det, r->breakeven, r->months' det);
 * unless o->deterministic, o->trials trials on o->threads threads and
 * their statistics (r->stats, r->p_*, r->breakeven_stat, r->first_stat,
 * r->samples, r->trial_lasting, and with o->keep_draws r->draws and
 * r->breakeven_samples).  The bytes of r do not depend on o->threads.
 * o->progress is called from the calling thread only.
 *
 * r is written whole (nothing of its old contents is read or freed).  On
 * FC_OK the caller owns what r points to and frees it with
 * fc_mc_result_free(r) (r->des excepted: never owned).  On failure r
 * holds nothing to free (its pointers are NULL; fc_mc_result_free(r) is
 * harmless) and its numbers are not to be used.  Failures: FC_ENOMEM;
 * FC_ERANGE for o->trials < 1, o->months over FC_MAX_SCHEDULE, or a
 * run cancelled through o->cancel; else the cost model's status for the
 * means or a trial (fc_cost_eval, fc_breakeven_eval).
 */
enum fc_status fc_mc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r);

/*
 * Resource limits (flatcost(1), RESOURCE LIMITS).  A trial costs the same
 * time whatever the user count and the fleet's size; its memory is every
 * figure of every trial, kept for exact percentiles.  A command holding
 * more than FC_MC_MAX_BYTES of them is refused before it runs.
 */
#define FC_MC_MAX_BYTES 4294967296.0   /* bytes: 4 GiB */
/* The peak memory of one Monte Carlo run of `trials` trials, with
 * `months` months of figures (0 for none), bytes. */
double fc_mc_bytes(long trials, long months);
/* Why fc_mc_run failed with st, in words: a limit it ran into, or
 * fc_strstatus(st). */
const char *fc_mc_strerror(enum fc_status st);
/* Frees what r owns and sets those pointers to NULL; r may be NULL. */
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
/* Trial i's throughput (out): tp itself, or, where tp has a run-to-run
 * spread (decode_cv, prefill_cv from a profile's sd), its speed drawn for
 * trial i from its own stream, as fc_mc_run draws it. */
/* A roofline throughput (no measured point) at the trial's drawn server
 * numbers: effective bandwidth x (eta_decode x bandwidth drawn / their
 * means), effective compute and prefill x (eta_prefill x compute drawn /
 * their means) for hardware h; a measured throughput is left as it is. */
void fc_mc_trial_hw_speed(const struct fc_hw *h, const struct fc_inputs *in,
    struct fc_throughput *tp);
void fc_mc_trial_throughput(const struct fc_throughput *tp, const struct fc_mc_opts *o,
    long i, struct fc_throughput *out);
/* Mean, sd and percentiles of v[0..n) leaving NaN out; v is reordered. */
void fc_mc_stat(double *v, size_t n, struct fc_stat *st);
/* The same, sorting with tmp (n values of scratch, or NULL) as a radix
 * sort's buffer: O(n) instead of O(n log n), and no allocation. */
void fc_mc_stat_scratch(double *v, size_t n, double *tmp, struct fc_stat *st);

/* Draws `users` individual intensities from the lognormal of top10_share
 * (mean 1) and returns the share of the total made by the busiest 10%:
 * the check that the sigma reproduces the stated skew.  NaN on failure. */
double fc_mc_sample_top10(double top10_share, long users, unsigned long seed);

#endif
