/*
 * cost.h: the cost model of both architectures for one month (docs/model.md,
 * "The cost model"), from one trial's inputs and traffic (inputs.h): fc_costs
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

/* Every figure of one month (the means, or one trial), by architecture;
 * each listed once in fc_figures[] below.  Money is USD (the reports
 * convert); NaN: no value (said per field). */
struct fc_costs {
	double users;                      /* users */
	double revenue;                    /* USD/month */
	double calls;                      /* LLM calls/month */
	double input_tokens, output_tokens; /* tokens/month */
	double peak_calls_per_s;           /* calls/s in the busiest hour */
	double api_llm, api_other, api_total; /* API architecture: LLM, other, total; USD/month */
	double servers;                    /* flat: the peak-sized fleet, servers */
	double server_cost;                /* flat: USD/month, the billing mode's (peak-sized or autoscaled) */
	double flat_fixed;                 /* flat: fixed cost, USD/month */
	double fallback_share;             /* flat: share (0 to 1) of calls sent to the API for quality */
	double overflow_share;             /* flat: share (0 to 1) of calls over the fleet's capacity, sent to the API */
	double peak_sized_cost, autoscaled_cost; /* server cost either way, USD/month */
	double fallback_cost;              /* flat: the API calls of both shares, USD/month */
	double flat_other;                 /* flat: other costs, USD/month */
	double flat_total;                 /* flat: USD/month */
	double utilization;                /* flat: peak hour's offered load / channels, share */
	double per_user_api, per_user_flat; /* USD/user/month; 0 without users */
	double share_api, share_flat;      /* AI cost / revenue, share; NaN without revenue */
	double savings;                    /* api_total - flat_total, USD/month */
	double savings_share;              /* savings / api_total, share; 0 when api_total is 0 */
	double user_median_api, user_p99_api; /* API cost of the median and the P99 user, USD/user/month */
	double decode_tok_s;               /* one stream's decode speed on a server, tokens/s */
	double prefill_tok_s;              /* a server's prefill speed, tokens/s */
	double slots;                      /* parallel calls per server, calls */
	double server_calls_per_s;         /* one server with every slot busy, calls/s */
	double call_latency_s;             /* a mean call's time with every slot busy, s */
	double single_call_s;              /* a mean call alone on a server, s */
	/* the routed API (api.route); NaN without a route */
	double routed_llm, routed_total;   /* USD/month */
	double per_user_routed;            /* USD/user/month */
	double routed_clipped;             /* 1: the drawn shares summed over 1 and were
	                                      scaled down to 1 (the last tier took none) */
	/* latency in the peak hour with the sized fleet (cost.c: fc_call_latency);
	 * NaN when flat is not viable; an action is `chaining` calls in a row */
	double slo_s;                       /* as the scenario states it, s */
	double call_p50_s, call_p95_s;      /* s */
	double action_p50_s, action_p95_s;  /* the call's x fc_fleet_action_factor, s */
	double ttft_p95_s;                  /* time to first token: wait + prefill, P95, s */
	double viable;          /* 1: the fleet can meet the SLO; 0: every call goes to the API (breakeven.h) */
	double breakeven_users; /* the lasting breakeven (breakeven.h), users; NaN: none, or not
	                           searched (fc_cost_eval leaves it NaN; fc_mc_run fills it) */
};

struct fc_figure {
	const char *key;     /* stable JSON key, dotted */
	const char *label;   /* for tables */
	const char *unit;    /* "USD/month", "", ... */
	size_t off;          /* into struct fc_costs */
	int money;           /* 1: USD a month (unit "USD/month"), which a currency
	                        converts (currency.h) */
};
extern const struct fc_figure fc_figures[];
extern const size_t fc_nfigures;
double fc_figure_get(const struct fc_costs *c, size_t i);
/* The index in fc_figures[] of the figure named key; -1 when none is. */
long fc_figure_index(const char *key);
/* Whether figure i has a value for scenario s: the routed API's figures
 * need api.route.  Reports leave the others out. */
int fc_figure_applies(const struct fc_scenario *s, size_t i);


/* An API architecture at the prices of path `path` (FC_PATH_API,
 * FC_PATH_FALLBACK: scenario.h) in in->month, times the trial's
 * api.price_factor, for the month's traffic w: its LLM cost and the other
 * costs (per user and fixed), USD/month. */
void fc_api_eval(const struct fc_scenario *s, int path, const struct fc_inputs *in,
    const struct fc_workload *w, double *llm, double *other);

/* The routed API's figures (routed_*) into c: NaN without api.route. */
void fc_api_route_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, struct fc_costs *c);

/* The API architecture's figures of c for one month: users, revenue,
 * traffic, api_*, per_user_api, share_api and routed_*; c is zeroed
 * first, so the flat figures are left 0. */
void fc_api_costs(const struct fc_scenario *s, const struct fc_inputs *in,
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
