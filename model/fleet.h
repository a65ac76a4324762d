/*
 * fleet.h: sizing the flat fleet for the peak hour under the SLO, its
 * overflow to the API over the day, hour-by-hour autoscaling for hourly
 * billing, and the discrete-event check of the analytic sizing.
 */
#ifndef FC_FLEET_H
#define FC_FLEET_H

#include "capacity.h"
#include "des.h"
#include "fc.h"
#include "scenario.h"

struct fc_inputs;

/* The largest fleet the queueing model sizes, in channels (servers x
 * slots): it fits an unsigned.  fc_fleet_plan gives FC_ERANGE above. */
#define FC_MAX_CHANNELS 4000000000u
/* The --des check simulates every call of a day (and a few days at the
 * peak rate to find its own fleet): at most this many calls a day. */
#define FC_DES_MAX_CALLS_PER_DAY 5e6

struct fc_fleet {
	double servers;            /* peak-sized fleet */
	double channels;           /* servers x slots */
	double overflow_share;     /* share of the day's calls sent to the API for time */
	double utilization;        /* peak hour: offered load / channels */
	int slo_feasible;          /* 0: a call alone misses the SLO: all to the API */
	double es;                 /* mean time of a call in a full server, s */
	double s95;                /* its 95th percentile, s */
	double wait_budget_s;      /* the longest wait before overflow: SLO - s95,
	                              and at most ttft SLO - prefill95 when a
	                              time-to-first-token SLO is given */
	double prefill95_s;        /* 95th percentile of a call's prefill, s */
	double ca2, cs2;           /* squared CVs of arrivals and service */
	double weights[24];        /* hourly load, mean 1 */
	double hourly_servers[24]; /* autoscaled fleet by hour (billed) */
	double peak_sized_cost;    /* servers x monthly price, USD/month */
	double autoscaled_cost;    /* hourly billing, each server capped at the monthly price */
};

/* The hourly load weights (mean 1): the scenario's diurnal list, or a
 * cosine day peaking at 14:00 with the given peak-to-mean ratio. */
void fc_fleet_weights(const struct fc_scenario *s, double peak_to_mean, double w[24]);

/* fc_capacity_eval for scenario s at inputs in (in->slo_s, s->flat.slots),
 * with the slot count lowered, where the scenario does not fix it, until
 * the P95 of a call on a busy server (fc_fleet_plan's s95) is within the
 * SLO: the capacity rule keeps half the SLO for the mean call only, and a
 * fleet whose busy call misses the SLO alone can serve nothing. */
enum fc_status fc_capacity_eval_slo(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double in_tok, double out_tok, struct fc_capacity *cap);

/* Sizes the fleet for mean_calls_per_s over the day. */
enum fc_status fc_fleet_plan(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_capacity *cap, double mean_calls_per_s, struct fc_fleet *f);

/* An upper bound on the day's overflow share of fleet f (a plan at any
 * rate: its service time, variability, wait budget and weights) run with
 * `channels` channels at mean_rate calls/s, at the cost of one hour's
 * queue: the busiest hour's share (the day's is a load-weighted mean of
 * the hours', and an hour's rises with its load), with Erlang B bounded
 * (fc_queue_erlang_b_bound); 0 where fc_fleet_plan counts none, 1 where
 * it cannot say. */
double fc_fleet_overflow_bound(const struct fc_fleet *f, double channels, double mean_rate);

/* The day's overflow share of fleet f (a plan at any rate) run with
 * `channels` channels at mean_rate calls/s: what fc_fleet_plan puts in
 * overflow_share for a fleet of that size, to the bit. */
double fc_fleet_overflow_share(const struct fc_fleet *f, double channels, double mean_rate);

/* The hours by weight, heaviest first (ties: the earlier hour first). */
void fc_fleet_hours_by_load(const struct fc_fleet *f, int order[24]);

/* Bounds [*lo, *hi] on fc_fleet_overflow_share from the hours in `order`
 * (fc_fleet_hours_by_load), a few at a time, until s is outside them
 * (the hours left bounded by the last one evaluated: an hour's share
 * rises with its load), or until every hour is in; each bound is a hair
 * (1e-12 of it) wide of the sum for its rounding. */
void fc_fleet_overflow_share_around(const struct fc_fleet *f, double channels,
    double mean_rate, const int order[24], double s, double *lo, double *hi);

/* The servers a fleet sized to the load needs at mean_rate calls/s (the
 * peak hour's channels in whole servers of `slots`, within the scenario's
 * min_servers and max_servers), from a plan f of the same inputs at any
 * rate (its service time, variability, wait budget and weights do not
 * depend on the rate): what fc_fleet_plan buys, without the rest. */
enum fc_status fc_fleet_servers(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_fleet *f, unsigned slots, double mean_rate, double *servers);

/* P50 and P95 of a call's latency (wait + service) at `rate` calls/s with
 * the fleet f, served calls only (the M/G/c+D queue, queue.h; the service
 * time lognormal with mean es and squared CV cs2, the wait's quantile added
 * to the service's); NaN when the SLO cannot be met or there is no fleet. */
void fc_fleet_call_latency(const struct fc_fleet *f, double rate, double *p50, double *p95);

/* Peak-hour latency of the fleet at `rate` calls/s (served calls): a
 * call's P50 and P95 as fc_fleet_call_latency, and the P95 of its time to
 * first token, the wait's P95 plus the prefill's P95 (prefill95_s). */
struct fc_latency {
	double call_p50_s, call_p95_s, ttft_p95_s;
};
void fc_fleet_latency(const struct fc_fleet *f, double rate, struct fc_latency *l);

/* A user action's latency in calls' latencies: `chaining` calls that
 * overlap by `overlap` (0: one after another, chaining; 1: all at once,
 * 1): 1 + (chaining - 1)(1 - overlap), and chaining itself below 1. */
double fc_fleet_action_factor(double chaining, double overlap);

/* The --des check of a scenario at its means: the analytic plan, the
 * simulated day of that fleet, and the DES's own minimum fleet. */
struct fc_des_report {
	struct fc_fleet plan;
	struct fc_capacity cap;
	struct fc_des_result day;     /* the planned fleet over a day */
	double des_min_servers;       /* smallest fleet meeting the targets at the peak rate */
	double peak_calls_per_s;
};
enum fc_status fc_fleet_des_report(const struct fc_scenario *s,
    const struct fc_inputs *in, const struct fc_throughput *tp,
    unsigned long seed, struct fc_des_report *out);
/* FC_ERANGE when the day has more than FC_DES_MAX_CALLS_PER_DAY calls. */

#endif
