/*
 * cost_int.h: cost.c's building blocks, not part of the library's
 * interface: for cost.c and its unit tests (test_cost.c, test_prices.c).
 */
#ifndef FC_COST_INT_H
#define FC_COST_INT_H

#include "cost.h"

/* The price multiplier of service tier FC_TIER_* on p: 1 for standard,
 * and where p has none for the tier (a fallback API without one). */
double fc_cost_service_mult(const struct fc_price *p, int service);
/* The share of calls longer than n input tokens, and the share of input
 * tokens in them, for lognormal call lengths of mean m and cv. */
void fc_cost_tier_shares(double m, double cv, double n, double *calls, double *tokens);
/* The cost per mean API call, USD: input tokens split three ways (the
 * cached share at cached_input, the cache-write share at the write price
 * of the TTL, the rest at input), calls above the price's tier threshold
 * at the tier prices (by the share of calls and of input tokens above it
 * under the input-length distribution), the service tier's multiplier,
 * then the batch share's discount. */
double fc_api_cost_per_call(const struct fc_price *p, const struct fc_inputs *in,
    double input_tokens, double output_tokens);
/* The same on path `path` (FC_PATH_*) in in->month: the month's price
 * of the path for the trial (fc_inputs_prices; at the means the weighted
 * mean over a change's prices), times the trial's api.price_factor. */
double fc_api_path_cost_per_call(const struct fc_scenario *s, int path,
    const struct fc_inputs *in, double input_tokens, double output_tokens);

#endif
