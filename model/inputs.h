/*
 * inputs.h: the pipeline's first stage (docs/architecture.md: inputs ->
 * capacity -> fleet -> cost -> breakeven -> mc).  A scenario's numbers
 * for one month, at their means (--deterministic) or drawn for one
 * Monte Carlo trial (struct fc_inputs), and the month's traffic they make
 * (struct fc_workload).
 *
 * Everything here fills a caller's struct and cannot fail; nothing is
 * allocated.  The draws take the caller's generator: fc_mc_trial_inputs()
 * and fc_mc_trial_workload() (mc.h) seed it for a trial.
 */
#ifndef FC_INPUTS_H
#define FC_INPUTS_H

#include <gsl/gsl_rng.h>

#include "fc.h"
#include "scenario.h"

/*
 * One trial's values of the scenario's numbers.  The doubles from `users`
 * up to `fast` are exactly the rows of fc_inputs_mc[] (sensitivity's
 * inputs; tests/unit/test_sensitivity.c checks it): a new drawn double
 * goes in that range with a row, anything else after `fast`.
 */
struct fc_inputs {
	long month;                  /* 1-based month since the flat architecture's launch */
	double users1;               /* month 1's users, before growth, users */
	double tenure;               /* users' mean months of tenure (month - 1 without growth), months */
	double users;                /* this month's users, users */
	double revenue_per_user;     /* USD/user/month */
	double days;                 /* days in the month, days */
	double rpud;                 /* requests per user per day */
	double top10_share;          /* share (0 to 1) of requests made by the busiest 10% of users */
	double chaining;             /* LLM calls per user action (request), calls */
	double input_tokens, output_tokens;   /* per call, before context growth, tokens */
	double input_cv, output_cv;  /* coefficient of variation of a call's tokens, unitless */
	double context_growth;       /* input tokens per call per month of tenure, tokens/month */
	double peak_to_mean;         /* busiest hour's rate / the month's mean rate, ratio */
	double arrival_cv;           /* cv of the time between calls, unitless (1: Poisson) */
	double cached_share;         /* share (0 to 1) of input tokens read from the cache */
	double batch_share;          /* share (0 to 1) of calls at the batch discount */
	double target_util;          /* the fleet's target utilization, share (0 to 1] */
	double slo_s;                /* p95 latency SLO per call, s (see slo_given_s) */
	double fallback_share;       /* share (0 to 1) of calls repeated on the API for quality */
	double flat_fixed;           /* flat architecture's fixed cost, USD/month */
	double startup_min;          /* a server's start-up time, minutes */
	double other_per_user;       /* other costs (data, logs, egress), USD/user/month */
	double other_fixed;          /* other fixed costs, USD/month */
	double growth;               /* user growth, share/month, drawn once per trial */
	double flat_one_time, api_one_time; /* USD, once */
	double cache_write_share;    /* share (0 to 1) of input tokens written to the cache */
	double slo_ttft_s;           /* p95 time-to-first-token SLO per call, s; 0: none */
	double chaining_overlap;     /* 0 (a trace's calls in sequence) to 1 (all at once) */
	double api_price_factor;     /* multiplies every API price (api.price_factor), ratio */
	double route_share[FC_MAX_ROUTE]; /* api.route: drawn shares (0 to 1) of its tiers but the last */
	double speed_factor;         /* a measured profile's drawn server speed / its mean
	                              * (fc_mc_trial_throughput), ratio; 1 without a spread */
	double hw_monthly_price;     /* the server's monthly price (flat.hardware's
	                              * monthly_price), drawn once a trial, USD/month */
	double hw_hourly_price;      /* its hourly price, USD/hour; 0: not billed hourly */
	double hw_bw_gbs;            /* its memory bandwidth (mem_bandwidth_gbs), GB/s */
	double hw_gflops;            /* its compute (compute_gflops), GFLOP/s */
	double hw_eta_decode;        /* its decode efficiency (efficiency.decode), share */
	double hw_eta_prefill;       /* its prefill efficiency (efficiency.prefill), share */
	double hw_setup_price;       /* its setup fee (setup_price), USD per server added */
	int fast;                    /* 1: skip what only reports need (autoscaling with monthly billing, latency) */
	int want_latency;            /* 1: compute latency even when fast */
	int no_overflow;             /* 1: the fleet's bill only, its overflow share left 0
	                                (the breakeven search's bounds, breakeven.c) */
	int slo_action;              /* 1: the scenario's SLO bounds a user action, not a call */
	double slo_given_s;          /* the SLO as the scenario states it, s; slo_s is per call:
	                                slo_given_s / max(chaining, 1) when slo_action */
	int cache_1h;                /* 1: cache writes at the 1-hour price */
	int service;                 /* api.service_tier: FC_TIER_* */
	/* How the trial's fallback share carries to its other months
	 * (fc_inputs_fallback): FC_FB_MEAN each month's mean; FC_FB_DRAWN the
	 * one share drawn (fallback_v) in every month; FC_FB_QUANTILE a
	 * schedule by month, each month's share at the trial's one quantile
	 * fallback_v, so a trial with a high share has it high in every month. */
	int fallback_how;
	double fallback_v;           /* the drawn share, or the quantile (0 to 1) */
	/* The trial's choice among each price change's `to` prices (by
	 * FC_PATH_* and change), kept for all its months; FC_PICK_MEAN: the
	 * weighted mean of their costs (the means). */
	unsigned char price_pick[FC_NPATHS][FC_MAX_PRICE_CHANGES];
};
#define FC_PICK_MEAN 0xff
enum { FC_FB_MEAN, FC_FB_DRAWN, FC_FB_QUANTILE };

/* The price of path `path` (FC_PATH_*) in in->month, for the trial (or
 * the means) `in` was made for: the last change whose month has come
 * (else the scenario's own price), and of its `to` prices the trial's
 * pick.  *weight[] gets each price's share of the cost: 1 for the one
 * picked, the weights at the means; returns how many there are (1 to
 * FC_MAX_PRICE_TO), prices in p[].  The fallback follows api's path
 * unless flat.fallback.api was given. */
size_t fc_inputs_prices(const struct fc_scenario *s, int path, const struct fc_inputs *in,
    const struct fc_price **p, double *weight);

/* The month's traffic, totals over all users. */
struct fc_workload {
	double calls;                /* LLM calls/month */
	double input_tokens;         /* tokens/month */
	double output_tokens;        /* tokens/month */
	double peak_calls_per_s;     /* calls/s in the busiest hour */
};

/* The server's numbers of hardware h (prices, bandwidth, compute,
 * efficiencies: the hw_* fields of in) at their means; with r, drawn (a
 * constant draws nothing). */
void fc_inputs_hw(const struct fc_hw *h, gsl_rng *r, struct fc_inputs *in);
/* Whether any of those numbers of h is a distribution. */
int fc_inputs_hw_uncertain(const struct fc_hw *h);

/* The scenario's means for month m: users grown to month m (or the list's
 * month) and their mean tenure. */
void fc_inputs_mean(const struct fc_scenario *s, long month, struct fc_inputs *in);
/* Moves in to month m of the same trial: users from in->users1 and
 * in->growth (or the scenario's list, with use_list), their tenure, and
 * the month's fallback share `fb`. */
void fc_inputs_month(const struct fc_scenario *s, int use_list, long m, double fb,
    struct fc_inputs *in);
/* The fallback share of month m in the trial (or the means) in was made
 * for: the same draw in every month (fallback_how). */
double fc_inputs_fallback(const struct fc_scenario *s, const struct fc_inputs *in, long m);
/* Input tokens per call in the month: input_tokens grown by the context
 * growth of the users' mean tenure, tokens. */
double fc_inputs_input_tokens(const struct fc_inputs *in);
/* The sigma of the lognormal per-user intensity whose busiest 10% make
 * `share` of the requests: share = 1 - Phi(Phi^-1(0.9) - sigma). */
double fc_inputs_top10_sigma(double share);
/* Mean month's traffic: users x requests/day x chaining x days, input
 * tokens grown by the context growth of the users' mean tenure. */
void fc_workload_mean(const struct fc_inputs *in, struct fc_workload *w);

/*
 * One trial's inputs for `month`, drawn from r in a fixed order (a new
 * number is drawn after the others, so earlier draws stay as they were);
 * users is the drawn count rounded to a whole user, or `users` when that
 * is not NaN.  Draws below the model's floor are raised to it
 * (utilization and SLO 1e-3, chaining 1e-9).
 */
void fc_inputs_draw(const struct fc_scenario *s, long month, double users,
    gsl_rng *r, struct fc_inputs *in);
/* One trial's traffic for in, drawn from r (the method: inputs.c). */
void fc_workload_draw(const struct fc_inputs *in, gsl_rng *r, struct fc_workload *w);

/*
 * The uncertain inputs a trial draws (struct fc_inputs' numbers), one row
 * each, by the scenario key that sets them.  A new number drawn in
 * fc_inputs_draw() gets a row here too (tests/unit/test_mc.c counts them).
 */
struct fc_mc_input {
	const char *key;     /* scenario path: "workload.output_tokens" */
	const char *unit;    /* "tokens/call", "USD/month", "share" (0 to 1), ... */
	size_t off;          /* into struct fc_inputs (a double) */
};
extern const struct fc_mc_input fc_inputs_mc[];
extern const size_t fc_inputs_mc_n;
/* The scenario's number behind input k for month; NULL when k is out of range. */
const struct fc_num *fc_inputs_mc_num(const struct fc_scenario *s, size_t k, long month);

#endif
