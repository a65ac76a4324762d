/*
 * inputs.c: the pipeline's first stage (docs/architecture.md): a
 * scenario's numbers for one month, at their means or drawn for a trial,
 * and the month's traffic they make.
 *
 * Traffic without a loop over users (docs/model.md): what the costs
 * need is the month's totals, sums of many independent terms.
 *  - Requests: user u makes Poisson(R D w_u) requests, with intensity w_u
 *    lognormal (mean 1, sigma from top10_share).  Given the w, the total is
 *    Poisson(R D sum w), so only sum w is needed.  Up to EXACT_USERS users
 *    the w are drawn one by one; above, sum w is drawn from its normal
 *    limit N(U, U (e^{sigma^2} - 1)).  The lognormal sum's skewness is
 *    (e^{s^2} + 2) sqrt(e^{s^2} - 1) / sqrt(U): at sigma 1.28 and
 *    U = 2000 it is 0.28, and the normal's P5/P95 of the sum are then off
 *    by under 0.4% of the sum; the mean is exact either way.
 *  - A Poisson count above 1e5 is drawn from its normal limit (relative
 *    error of its quantiles under 1e-3 of its standard deviation... far
 *    below the other terms).
 *  - Calls per request: 1 + Poisson(chaining - 1) when chaining >= 1, else
 *    Bernoulli(chaining); their sum over N requests is drawn exactly up to
 *    EXACT_COUNT requests, else from its normal limit.
 *  - Tokens: lognormal per call (input_cv, output_cv); the month's total
 *    over n calls is drawn exactly up to EXACT_COUNT calls, else from
 *    N(n m, n (m cv)^2).
 */
#include "inputs.h"

#include <math.h>
#include <stddef.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "dist.h"

#define EXACT_USERS 2000
#define EXACT_COUNT 64
#define POISSON_NORMAL 1e5

double
fc_inputs_top10_sigma(double share)
{
	if (share <= 0.1)
		return 0;
	return gsl_cdf_ugaussian_Pinv(0.9) - gsl_cdf_ugaussian_Pinv(1 - share);
}

/* The SLO per call, s: the stated one, divided by max(chaining, 1) when
 * it applies to a user action; sets in->slo_s and in->slo_given_s. */
static void
inputs_set_slo(const struct fc_scenario *s, double stated_s, struct fc_inputs *in)
{
	in->slo_action = s->flat.slo_action;
	in->slo_given_s = stated_s;
	in->slo_s = stated_s;
	if (in->slo_action && in->chaining > 1)
		in->slo_s = stated_s / in->chaining;
}

/* A hardware number: its double where it is a constant (entries made in
 * code set only the double), else its mean or a draw. */
static double
hw_num(const struct fc_num *x, double v, gsl_rng *r)
{
	if (fc_num_is_const(x))
		return v;
	return r != NULL ? fc_num_sample(x, r) : fc_num_mean(x);
}

void
fc_inputs_hw(const struct fc_hw *h, gsl_rng *r, struct fc_inputs *in)
{
	in->hw_monthly_price = hw_num(&h->monthly_num, h->monthly_price, r);
	in->hw_hourly_price = hw_num(&h->hourly_num, h->hourly_price, r);
	in->hw_bw_gbs = hw_num(&h->bw_num, h->mem_bandwidth_gbs, r);
	in->hw_gflops = hw_num(&h->gflops_num, h->compute_gflops, r);
	in->hw_eta_decode = hw_num(&h->eta_decode_num, h->eta_decode, r);
	in->hw_eta_prefill = hw_num(&h->eta_prefill_num, h->eta_prefill, r);
	in->hw_setup_price = hw_num(&h->setup_num, h->setup_price, r);
}

int
fc_inputs_hw_uncertain(const struct fc_hw *h)
{
	return !fc_num_is_const(&h->monthly_num) || !fc_num_is_const(&h->hourly_num) ||
	    !fc_num_is_const(&h->bw_num) || !fc_num_is_const(&h->gflops_num) ||
	    !fc_num_is_const(&h->eta_decode_num) || !fc_num_is_const(&h->eta_prefill_num) ||
	    !fc_num_is_const(&h->setup_num);
}

void
fc_inputs_mean(const struct fc_scenario *s, long month, struct fc_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->month = month;
	in->users = fc_num_mean(&s->users);
	in->revenue_per_user = fc_num_mean(&s->revenue_per_user);
	in->days = fc_num_mean(&s->days_per_month);
	in->rpud = fc_num_mean(&s->workload.requests_per_user_per_day);
	in->top10_share = fc_num_mean(&s->workload.top10_share);
	in->chaining = fc_num_mean(&s->workload.chaining);
	in->input_tokens = fc_num_mean(&s->workload.input_tokens);
	in->output_tokens = fc_num_mean(&s->workload.output_tokens);
	in->input_cv = fc_num_mean(&s->workload.input_cv);
	in->output_cv = fc_num_mean(&s->workload.output_cv);
	in->context_growth = fc_num_mean(&s->workload.context_growth_per_month);
	in->peak_to_mean = fc_num_mean(&s->workload.peak_to_mean);
	in->arrival_cv = fc_num_mean(&s->workload.arrival_cv);
	in->cached_share = fc_num_mean(&s->workload.cached_input_share);
	in->batch_share = fc_num_mean(&s->workload.batch_share);
	in->cache_write_share = fc_num_mean(&s->workload.cache_write_share);
	in->api_price_factor = fc_num_mean(&s->api_price_factor);
	in->speed_factor = 1;
	fc_inputs_hw(&s->flat.hw, NULL, in);
	in->cache_1h = s->workload.cache_ttl_1h;
	in->service = s->api_service;
	in->target_util = fc_num_mean(&s->flat.target_utilization);
	inputs_set_slo(s, fc_num_mean(&s->flat.slo_p95_latency_s), in);
	in->slo_ttft_s = fc_num_mean(&s->flat.slo_p95_ttft_s);
	in->chaining_overlap = fc_num_mean(&s->workload.chaining_overlap);
	in->fallback_share = fc_num_mean(fc_scenario_fallback(s, month));
	in->fallback_how = FC_FB_MEAN;
	in->flat_fixed = fc_num_mean(&s->flat.fixed_monthly);
	in->startup_min = fc_num_mean(&s->flat.startup_minutes);
	in->other_per_user = fc_num_mean(&s->other.per_user_monthly);
	in->other_fixed = fc_num_mean(&s->other.fixed_monthly);
	in->growth = fc_num_mean(&s->user_growth);
	in->flat_one_time = fc_num_mean(&s->flat.one_time);
	in->api_one_time = fc_num_mean(&s->api_one_time);
	{
		size_t k;
		for (k = 0; k + 1 < s->route.n; k++)
			in->route_share[k] = fc_num_mean(&s->route.share[k]);
	}
	in->api_price_factor = fc_num_mean(&s->api_price_factor);
	memset(in->price_pick, FC_PICK_MEAN, sizeof(in->price_pick));
	in->users1 = in->users;
	fc_inputs_month(s, 1, month, in->fallback_share, in);
}

double
fc_inputs_fallback(const struct fc_scenario *s, const struct fc_inputs *in, long m)
{
	switch (in->fallback_how) {
	case FC_FB_DRAWN:
		return in->fallback_v;
	case FC_FB_QUANTILE:
		return fc_num_at(fc_scenario_fallback(s, m), in->fallback_v);
	default:
		return fc_num_mean(fc_scenario_fallback(s, m));
	}
}

/* Whether the fallback share is a schedule by month with an uncertain
 * entry: then a trial draws a quantile, not a share. */
static int
fallback_schedule_uncertain(const struct fc_scenario *s)
{
	long m;

	if (fc_scenario_fallback(s, 1) == fc_scenario_fallback(s, FC_MAX_SCHEDULE))
		return 0;
	for (m = 1; m <= FC_MAX_SCHEDULE; m++)
		if (!fc_num_is_const(fc_scenario_fallback(s, m)))
			return 1;
	return 0;
}

/* The trial's fallback share for `month`, drawn from r: one share, or
 * for a schedule by month one quantile applied to every month. */
static void
draw_fallback(const struct fc_scenario *s, long month, gsl_rng *r, struct fc_inputs *in)
{
	if (fallback_schedule_uncertain(s)) {
		in->fallback_how = FC_FB_QUANTILE;
		in->fallback_v = gsl_rng_uniform_pos(r);
		in->fallback_share = fc_num_at(fc_scenario_fallback(s, month), in->fallback_v);
		return;
	}
	in->fallback_share = fc_num_sample(fc_scenario_fallback(s, month), r);
	/* a constant schedule (several entries, all known) is the month's own */
	in->fallback_how = fc_scenario_fallback(s, 1) ==
	    fc_scenario_fallback(s, FC_MAX_SCHEDULE) ? FC_FB_DRAWN : FC_FB_MEAN;
	in->fallback_v = in->fallback_share;
}

double
fc_inputs_input_tokens(const struct fc_inputs *in)
{
	return in->input_tokens + in->context_growth * in->tenure;
}

void
fc_inputs_month(const struct fc_scenario *s, int use_list, long m, double fb,
    struct fc_inputs *in)
{
	in->month = m;
	in->users = fc_scenario_users(s, in->users1, in->growth, m, use_list);
	in->tenure = fc_scenario_tenure(s, in->users1, in->growth, m, use_list);
	in->fallback_share = fb;
}

void
fc_workload_mean(const struct fc_inputs *in, struct fc_workload *w)
{
	w->calls = in->users * in->rpud * in->chaining * in->days;
	w->input_tokens = w->calls * fc_inputs_input_tokens(in);
	w->output_tokens = w->calls * in->output_tokens;
	w->peak_calls_per_s = w->calls / (in->days * FC_SECONDS_PER_DAY) * in->peak_to_mean;
}

static double
poisson(gsl_rng *r, double mean)
{
	double v;

	if (mean <= 0)
		return 0;
	if (mean < POISSON_NORMAL)
		return (double)gsl_ran_poisson(r, mean);
	v = mean + sqrt(mean) * gsl_ran_gaussian_ziggurat(r, 1.0);
	return v < 0 ? 0 : floor(v + 0.5);
}

static double
sum_of(gsl_rng *r, double n, double mean, double var,
    double (*one)(gsl_rng *, double, double), double a, double b)
{
	double s = 0, v;
	long i;

	if (n <= 0)
		return 0;
	if (n <= EXACT_COUNT) {
		for (i = 0; i < (long)n; i++)
			s += one(r, a, b);
		return s;
	}
	v = n * mean + sqrt(n * var) * gsl_ran_gaussian_ziggurat(r, 1.0);
	return v < 0 ? 0 : v;
}

static double
one_chain(gsl_rng *r, double c, double unused)
{
	(void)unused;
	if (c >= 1)
		return 1 + (double)gsl_ran_poisson(r, c - 1);
	return gsl_rng_uniform(r) < c ? 1 : 0;
}

static double
one_lognormal(gsl_rng *r, double mean, double cv)
{
	double mu, s;

	if (cv <= 0)
		return mean;
	fc_dist_lognormal_params(mean, cv, &mu, &s);
	return exp(mu + s * gsl_ran_gaussian_ziggurat(r, 1.0));
}

#define IN(k, u, f) { k, u, offsetof(struct fc_inputs, f) }
const struct fc_mc_input fc_inputs_mc[] = {
	IN("users", "users", users),
	IN("revenue_per_user", "USD/user/month", revenue_per_user),
	IN("days_per_month", "days", days),
	IN("workload.requests_per_user_per_day", "requests/user/day", rpud),
	IN("workload.top10_share", "share", top10_share),
	IN("workload.chaining", "calls/action", chaining),
	IN("workload.input_tokens", "tokens/call", input_tokens),
	IN("workload.output_tokens", "tokens/call", output_tokens),
	IN("workload.input_cv", "cv", input_cv),
	IN("workload.output_cv", "cv", output_cv),
	IN("workload.context_growth_per_month", "tokens/call/month", context_growth),
	IN("workload.peak_to_mean", "ratio", peak_to_mean),
	IN("workload.arrival_cv", "cv", arrival_cv),
	IN("workload.cached_input_share", "share", cached_share),
	IN("workload.batch_share", "share", batch_share),
	IN("flat.target_utilization", "share", target_util),
	IN("flat.slo.p95_latency_s", "s", slo_s),
	IN("flat.fallback.share", "share", fallback_share),
	IN("flat.fixed_monthly", "USD/month", flat_fixed),
	IN("flat.startup_minutes", "minutes", startup_min),
	IN("other_costs.per_user_monthly", "USD/user/month", other_per_user),
	IN("other_costs.fixed_monthly", "USD/month", other_fixed),
	IN("user_growth_per_month", "share/month", growth),
	IN("flat.one_time", "USD", flat_one_time),
	IN("api.one_time", "USD", api_one_time),
	IN("workload.cache_write_share", "share", cache_write_share),
	IN("flat.slo.p95_ttft_s", "s", slo_ttft_s),
	IN("workload.chaining_overlap", "share", chaining_overlap),
	IN("api.price_factor", "ratio", api_price_factor),
	IN("api.route[1].share", "share", route_share[0]),
	IN("api.route[2].share", "share", route_share[1]),
	IN("api.route[3].share", "share", route_share[2]),
	IN("api.route[4].share", "share", route_share[3]),
	IN("api.route[5].share", "share", route_share[4]),
	IN("api.route[6].share", "share", route_share[5]),
	IN("api.route[7].share", "share", route_share[6]),
	IN("api.route[8].share", "share", route_share[7]),
	IN("flat.hardware", "speed / mean", speed_factor),
	IN("flat.hardware.monthly_price", "USD/month", hw_monthly_price),
	IN("flat.hardware.hourly_price", "USD/hour", hw_hourly_price),
	IN("flat.hardware.mem_bandwidth_gbs", "GB/s", hw_bw_gbs),
	IN("flat.hardware.compute_gflops", "GFLOP/s", hw_gflops),
	IN("flat.hardware.efficiency.decode", "share", hw_eta_decode),
	IN("flat.hardware.efficiency.prefill", "share", hw_eta_prefill),
	IN("flat.hardware.setup_price", "USD/server", hw_setup_price),
};
#undef IN
const size_t fc_inputs_mc_n = sizeof(fc_inputs_mc) / sizeof(fc_inputs_mc[0]);

const struct fc_num *
fc_inputs_mc_num(const struct fc_scenario *s, size_t k, long month)
{
	if (k >= fc_inputs_mc_n)
		return NULL;
	{
		/* in the order of fc_inputs_mc[] */
		const struct fc_num *all[] = {
			&s->users, &s->revenue_per_user, &s->days_per_month,
			&s->workload.requests_per_user_per_day, &s->workload.top10_share,
			&s->workload.chaining, &s->workload.input_tokens,
			&s->workload.output_tokens, &s->workload.input_cv,
			&s->workload.output_cv, &s->workload.context_growth_per_month,
			&s->workload.peak_to_mean, &s->workload.arrival_cv,
			&s->workload.cached_input_share, &s->workload.batch_share,
			&s->flat.target_utilization, &s->flat.slo_p95_latency_s,
			fc_scenario_fallback(s, month), &s->flat.fixed_monthly,
			&s->flat.startup_minutes, &s->other.per_user_monthly,
			&s->other.fixed_monthly, &s->user_growth, &s->flat.one_time,
			&s->api_one_time, &s->workload.cache_write_share,
			&s->flat.slo_p95_ttft_s, &s->workload.chaining_overlap, &s->api_price_factor,
		};
		size_t nfixed = sizeof(all) / sizeof(all[0]), t = k - nfixed;

		/* then api.route's tiers, each but the last with a share; the
		 * server's speed draw has no number of its own (fc_mc_input_uncertain);
		 * then the hardware's numbers, after the speed row */
		if (k > nfixed + FC_MAX_ROUTE && s != NULL) {
			const struct fc_num *hw[] = {
				&s->flat.hw.monthly_num, &s->flat.hw.hourly_num,
				&s->flat.hw.bw_num, &s->flat.hw.gflops_num,
				&s->flat.hw.eta_decode_num, &s->flat.hw.eta_prefill_num,
				&s->flat.hw.setup_num,
			};
			_Static_assert(sizeof(all) / sizeof(all[0]) + FC_MAX_ROUTE + 1 +
			    sizeof(hw) / sizeof(hw[0]) ==
			    sizeof(fc_inputs_mc) / sizeof(fc_inputs_mc[0]),
			    "one number per row of fc_inputs_mc[]");
			return hw[k - nfixed - FC_MAX_ROUTE - 1];
		}
		if (k >= nfixed + FC_MAX_ROUTE)
			return NULL;
		if (k >= nfixed)
			return s != NULL && t + 1 < s->route.n ? &s->route.share[t] : NULL;
		return all[k];
	}
}

/* One pick per price change with several `to` prices, by their weights
 * (a change with one takes it without a draw). */
static void
draw_picks(const struct fc_scenario *s, gsl_rng *r, struct fc_inputs *in)
{
	size_t i, k, j;

	for (i = 0; i < FC_NPATHS; i++)
		for (k = 0; k < s->path[i].n; k++) {
			const struct fc_price_change *c = &s->path[i].ch[k];
			double u, acc = 0;

			in->price_pick[i][k] = 0;
			if (c->n < 2)
				continue;
			u = gsl_rng_uniform(r);
			for (j = 0; j + 1 < c->n; j++) {
				acc += c->weight[j];
				if (u < acc)
					break;
			}
			in->price_pick[i][k] = (unsigned char)j;
		}
}

size_t
fc_inputs_prices(const struct fc_scenario *s, int path, const struct fc_inputs *in,
    const struct fc_price **p, double *weight)
{
	const struct fc_price *own = path == FC_PATH_API ? &s->api :
	    path == FC_PATH_FALLBACK ? &s->flat.fallback_api :
	    &s->route.price[path - FC_PATH_ROUTE];
	const struct fc_price_path *pp;
	const struct fc_price_change *c = NULL;
	size_t k, at = 0, j;
	int pick;

	if (path == FC_PATH_FALLBACK && !s->fallback_own_path)
		path = FC_PATH_API;
	pp = &s->path[path];
	for (k = 0; k < pp->n; k++)
		if (pp->ch[k].month >= 1 && pp->ch[k].month <= in->month &&
		    (c == NULL || pp->ch[k].month >= c->month)) {
			c = &pp->ch[k];
			at = k;
		}
	if (c == NULL) {
		p[0] = own;
		weight[0] = 1;
		return 1;
	}
	pick = in->price_pick[path][at];
	if (pick != FC_PICK_MEAN && (size_t)pick < c->n) {
		p[0] = &c->to[pick];
		weight[0] = 1;
		return 1;
	}
	for (j = 0; j < c->n; j++) {
		p[j] = &c->to[j];
		weight[j] = c->weight[j];
	}
	return c->n;
}

/* A number drawn here is an input of fc_inputs_mc[] too (sensitivity). */
void
fc_inputs_draw(const struct fc_scenario *s, long month, double users,
    gsl_rng *r, struct fc_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->month = month;
	in->users = isnan(users) ? floor(fc_num_sample(&s->users, r) + 0.5) : users;
	in->revenue_per_user = fc_num_sample(&s->revenue_per_user, r);
	in->days = fc_num_sample(&s->days_per_month, r);
	in->rpud = fc_num_sample(&s->workload.requests_per_user_per_day, r);
	in->top10_share = fc_num_sample(&s->workload.top10_share, r);
	in->chaining = fc_num_sample(&s->workload.chaining, r);
	in->input_tokens = fc_num_sample(&s->workload.input_tokens, r);
	in->output_tokens = fc_num_sample(&s->workload.output_tokens, r);
	in->input_cv = fc_num_sample(&s->workload.input_cv, r);
	in->output_cv = fc_num_sample(&s->workload.output_cv, r);
	in->context_growth = fc_num_sample(&s->workload.context_growth_per_month, r);
	in->peak_to_mean = fc_num_sample(&s->workload.peak_to_mean, r);
	in->arrival_cv = fc_num_sample(&s->workload.arrival_cv, r);
	in->cached_share = fc_num_sample(&s->workload.cached_input_share, r);
	in->batch_share = fc_num_sample(&s->workload.batch_share, r);
	in->target_util = fc_num_sample(&s->flat.target_utilization, r);
	in->slo_s = fc_num_sample(&s->flat.slo_p95_latency_s, r);
	draw_fallback(s, month, r, in);
	in->flat_fixed = fc_num_sample(&s->flat.fixed_monthly, r);
	in->startup_min = fc_num_sample(&s->flat.startup_minutes, r);
	in->other_per_user = fc_num_sample(&s->other.per_user_monthly, r);
	in->other_fixed = fc_num_sample(&s->other.fixed_monthly, r);
	/* drawn last, so that the draws above stay those of earlier versions */
	in->growth = fc_num_sample(&s->user_growth, r);
	in->flat_one_time = fc_num_sample(&s->flat.one_time, r);
	in->api_one_time = fc_num_sample(&s->api_one_time, r);
	/* last, so that a scenario without a route draws as before */
	{
		size_t k;
		for (k = 0; k + 1 < s->route.n; k++)
			in->route_share[k] = fc_num_sample(&s->route.share[k], r);
	}
	/* after the route, so that a constant (no draw) leaves the other draws as they were */
	in->cache_write_share = fc_num_sample(&s->workload.cache_write_share, r);
	/* last: constants (the usual case) draw nothing */
	in->slo_ttft_s = fc_num_sample(&s->flat.slo_p95_ttft_s, r);
	in->chaining_overlap = fc_num_sample(&s->workload.chaining_overlap, r);
	/* a constant factor (no draw) leaves the draws above as they were */
	in->api_price_factor = fc_num_sample(&s->api_price_factor, r);
	in->speed_factor = 1;   /* drawn with the throughput (fc_mc_trial_throughput) */
	draw_picks(s, r, in);
	/* after the picks: constant prices (the usual case) draw nothing */
	fc_inputs_hw(&s->flat.hw, r, in);
	in->cache_1h = s->workload.cache_ttl_1h;
	in->service = s->api_service;
	in->users1 = in->users;
	fc_inputs_month(s, isnan(users), month, in->fallback_share, in);
	if (in->target_util <= 0)
		in->target_util = 1e-3;
	if (in->slo_s <= 0)
		in->slo_s = 1e-3;
	if (in->chaining <= 0)
		in->chaining = 1e-9;
	inputs_set_slo(s, in->slo_s, in);
}

void
fc_workload_draw(const struct fc_inputs *in, gsl_rng *r, struct fc_workload *w)
{
	double sg = fc_inputs_top10_sigma(in->top10_share), sumw = 0, reqs, calls;
	double in_mean = fc_inputs_input_tokens(in);
	double chain_var = in->chaining >= 1 ? in->chaining - 1 :
	    in->chaining * (1 - in->chaining);
	long u;

	if (in->users <= EXACT_USERS) {
		double mu = -sg * sg / 2;
		for (u = 0; u < (long)in->users; u++)
			sumw += sg > 0 ? exp(mu + sg * gsl_ran_gaussian_ziggurat(r, 1.0)) : 1;
	} else {
		sumw = in->users + sqrt(in->users * expm1(sg * sg)) *
		    gsl_ran_gaussian_ziggurat(r, 1.0);
		if (sumw < 0)
			sumw = 0;
	}
	reqs = poisson(r, in->rpud * in->days * sumw);
	calls = in->chaining == 1 ? reqs :
	    floor(sum_of(r, reqs, in->chaining, chain_var, one_chain, in->chaining, 0) + 0.5);
	w->calls = calls;
	w->input_tokens = sum_of(r, calls, in_mean,
	    pow(in_mean * in->input_cv, 2), one_lognormal, in_mean, in->input_cv);
	w->output_tokens = sum_of(r, calls, in->output_tokens,
	    pow(in->output_tokens * in->output_cv, 2), one_lognormal,
	    in->output_tokens, in->output_cv);
	w->peak_calls_per_s = calls / (in->days * FC_SECONDS_PER_DAY) * in->peak_to_mean;
}
