/*
 * cost.h: the cost model of both architectures for one month (DESIGN.md
 * section 4), from one trial's inputs and traffic (inputs.h): fc_costs
 * holds every figure the reports show, each listed once in fc_figures[]
 * with its stable JSON key.
 */
#ifndef FC_COST_H
#define FC_COST_H

#include "capacity.h"
#include "fleet.h"
#include "fc.h"
#include "inputs.h"
#include "scenario.h"

struct fc_costs {
	double users, revenue;
	double calls, input_tokens, output_tokens;
	double peak_calls_per_s;
	double api_llm, api_other, api_total;
	double servers, server_cost, flat_fixed, fallback_share, overflow_share;
	double peak_sized_cost, autoscaled_cost; /* server cost either way, USD/month */
	double fallback_cost, flat_other, flat_total, utilization;
	double per_user_api, per_user_flat;
	double share_api, share_flat;      /* AI cost / revenue; NaN without revenue */
	double savings, savings_share;     /* api - flat, and as a share of api */
	double user_median_api, user_p99_api; /* API cost of the median and the P99 user, USD/month */
	double decode_tok_s, prefill_tok_s, slots, server_calls_per_s, call_latency_s;
	double single_call_s;   /* a mean call alone on a server, s */
	/* the routed API (api.route); NaN without a route */
	double routed_llm, routed_total;   /* USD/month */
	double per_user_routed;            /* USD/user/month */
	double routed_clipped;             /* 1: the drawn shares summed over 1 and were
	                                      scaled down to 1 (the last tier took none) */
	/* latency in the peak hour with the sized fleet (cost.c: fc_call_latency);
	 * NaN when flat is not viable; an action is `chaining` calls in a row */
	double slo_s;                       /* as the scenario states it, s */
	double call_p50_s, call_p95_s;      /* s */
	double action_p50_s, action_p95_s;  /* chaining x the call's, s */
	double viable;          /* 1: the fleet can meet the SLO; 0: every call goes to the API (breakeven.h) */
	double breakeven_users; /* the lasting breakeven (breakeven.h), users; NaN: none, or not
	                           searched (fc_cost_eval leaves it NaN; fc_mc_run fills it) */
};

struct fc_figure {
	const char *key;     /* stable JSON key, dotted */
	const char *label;   /* for tables */
	const char *unit;    /* "USD/month", "", ... */
	size_t off;          /* into struct fc_costs */
};
extern const struct fc_figure fc_figures[];
extern const size_t fc_nfigures;
double fc_figure_get(const struct fc_costs *c, size_t i);
/* The index in fc_figures[] of the figure named key; -1 when none is. */
long fc_figure_index(const char *key);
/* Whether figure i has a value for scenario s: the routed API's figures
 * need api.route.  Reports leave the others out. */
int fc_figure_applies(const struct fc_scenario *s, size_t i);

/* The price multiplier of service tier FC_TIER_* on p: 1 for standard,
 * and where p has none for the tier (a fallback API without one). */
double fc_service_mult(const struct fc_price *p, int service);
/* The routed API's cost per mean call, USD: each tier's share of the calls
 * at its prices (fc_api_cost_per_call), the last tier taking the rest.
 * Drawn shares summing over 1 are scaled down to 1; *clipped says so. */
double fc_api_route_cost_per_call(const struct fc_scenario *s, const struct fc_inputs *in,
    double input_tokens, double output_tokens, int *clipped);
/* The share of calls longer than n input tokens, and the share of input
 * tokens in them, for lognormal call lengths of mean m and cv. */
void fc_tier_shares(double m, double cv, double n, double *calls, double *tokens);
/* The cost per mean API call, USD: input tokens split three ways (the
 * cached share at cached_input, the cache-write share at the write price
 * of the TTL, the rest at input), calls above the price's tier threshold
 * at the tier prices (by the share of calls and of input tokens above it
 * under the input-length distribution), the service tier's multiplier,
 * then the batch share's discount. */
double fc_api_cost_per_call(const struct fc_price *p, const struct fc_inputs *in,
    double input_tokens, double output_tokens);

/* An API architecture at prices p for the month's traffic w: its LLM
 * cost and the other costs (per user and fixed), USD/month. */
void fc_api_eval(const struct fc_price *p, const struct fc_inputs *in,
    const struct fc_workload *w, double *llm, double *other);

/* The routed API's figures (routed_*) into c: NaN without api.route. */
void fc_api_route_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, struct fc_costs *c);

/* Evaluates both architectures for one month. */
enum fc_status fc_cost_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, const struct fc_throughput *tp,
    struct fc_costs *out);

/* The same with the server's capacity already evaluated. */
enum fc_status fc_cost_eval_cap(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, const struct fc_capacity *cap,
    struct fc_costs *out);

#endif
