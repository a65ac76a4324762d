/*
 * cost.c: both architectures' monthly cost (the breakeven search over user
 * counts is in breakeven.c).
 *
 * API:  calls x (in (1 - cached) p_in + in cached p_cached + out p_out) / 1e6,
 *       with the batch share of calls at (1 - batch discount).
 * Flat: servers x monthly price + fixed + fallback, where the fallback is
 *       the quality-fallback share of calls (the local model answered, the
 *       answer was not good enough, the call is repeated on the API) plus
 *       the overflow share (calls the fleet cannot take in time), both at
 *       the fallback API's prices.
 * Both: other costs (data, logs, egress) per user and fixed.
 */
#include "cost_int.h"

#include <math.h>
#include <stddef.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "dist.h"
#include "queue.h"

#define F(k, l, u, f) { k, l, u, offsetof(struct fc_costs, f), 0 }
/* a money figure: USD a month, converted by a currency (currency.h) */
#define M(k, l, f) { k, l, "USD/month", offsetof(struct fc_costs, f), 1 }
const struct fc_figure fc_figures[] = {
	F("users", "Users", "", users),
	M("revenue", "Revenue", revenue),
	F("workload.calls", "LLM calls", "/month", calls),
	F("workload.input_tokens", "Input tokens", "/month", input_tokens),
	F("workload.output_tokens", "Output tokens", "/month", output_tokens),
	F("workload.peak_calls_per_s", "Peak calls", "/s", peak_calls_per_s),
	M("api.llm_cost", "API: LLM", api_llm),
	M("api.other_cost", "API: other", api_other),
	M("api.monthly_cost", "API total", api_total),
	F("flat.servers", "Flat: servers", "", servers),
	M("flat.server_cost", "Flat: server cost", server_cost),
	M("flat.peak_sized_server_cost", "Flat: servers, peak-sized", peak_sized_cost),
	M("flat.autoscaled_server_cost", "Flat: servers, autoscaled", autoscaled_cost),
	M("flat.fixed_cost", "Flat: fixed", flat_fixed),
	F("flat.fallback_share", "Flat: fallback share", "", fallback_share),
	F("flat.overflow_share", "Flat: overflow share", "", overflow_share),
	M("flat.fallback_cost", "Flat: API fallback", fallback_cost),
	M("flat.other_cost", "Flat: other", flat_other),
	M("flat.monthly_cost", "Flat total", flat_total),
	F("flat.viable", "Flat: viable (1 yes, 0 no)", "", viable),
	F("flat.peak_utilization", "Flat: peak utilization", "", utilization),
	M("per_user.api", "Per user: API", per_user_api),
	M("per_user.flat", "Per user: flat", per_user_flat),
	F("share_of_revenue.api", "Share of revenue: API", "", share_api),
	F("share_of_revenue.flat", "Share of revenue: flat", "", share_flat),
	M("savings.monthly", "Savings (API - flat)", savings),
	F("savings.share", "Savings share of API", "", savings_share),
	M("per_user.median_user_api", "Median user on the API", user_median_api),
	M("per_user.p99_user_api", "P99 user on the API", user_p99_api),
	F("capacity.decode_tok_s", "Decode, one stream", "tok/s", decode_tok_s),
	F("capacity.prefill_tok_s", "Prefill", "tok/s", prefill_tok_s),
	F("capacity.slots", "Parallel calls/server", "", slots),
	F("capacity.calls_per_s", "Calls/s per server", "/s", server_calls_per_s),
	F("capacity.call_latency_s", "Call latency, full", "s", call_latency_s),
	F("capacity.single_call_s", "Call alone", "s", single_call_s),
	M("api_routed.llm_cost", "Routed API: LLM", routed_llm),
	M("api_routed.monthly_cost", "Routed API total", routed_total),
	M("per_user.api_routed", "Per user: routed API", per_user_routed),
	F("api_routed.shares_clipped", "Routed API: shares clipped", "", routed_clipped),
	F("latency.slo_s", "SLO (P95)", "s", slo_s),
	F("latency.call_p50_s", "Call latency P50", "s", call_p50_s),
	F("latency.call_p95_s", "Call latency P95", "s", call_p95_s),
	F("latency.action_p50_s", "Action latency P50", "s", action_p50_s),
	F("latency.action_p95_s", "Action latency P95", "s", action_p95_s),
	/* the same figures by the one latency vocabulary of the reports
	 * (latency.call.*, latency.ttft.*, latency.action.*), and the time to
	 * first token */
	F("latency.call.p50_s", "Call latency P50, peak hour", "s", call_p50_s),
	F("latency.call.p95_s", "Call latency P95, peak hour", "s", call_p95_s),
	F("latency.ttft.p95_s", "Time to first token P95, peak hour", "s", ttft_p95_s),
	F("latency.action.p95_s", "Action latency P95, peak hour", "s", action_p95_s),
	F("breakeven_users", "Breakeven: flat cheaper for good from", "users", breakeven_users),
};
#undef F
#undef M
const size_t fc_nfigures = sizeof(fc_figures) / sizeof(fc_figures[0]);

double
fc_figure_get(const struct fc_costs *c, size_t i)
{
	return *(const double *)((const char *)c + fc_figures[i].off);
}

long
fc_figure_index(const char *key)
{
	size_t k;

	for (k = 0; k < fc_nfigures; k++)
		if (strcmp(fc_figures[k].key, key) == 0)
			return (long)k;
	return -1;
}

int
fc_figure_applies(const struct fc_scenario *s, size_t i)
{
	const char *k = fc_figures[i].key;

	if (strstr(k, "api_routed"))
		return s->route.n > 0;
	return 1;
}

double
fc_cost_service_mult(const struct fc_price *p, int service)
{
	if (service == FC_TIER_PRIORITY && p->priority > 0)
		return p->priority;
	if (service == FC_TIER_FLEX && p->flex > 0)
		return p->flex;
	return 1;
}

void
fc_cost_tier_shares(double m, double cv, double n, double *calls, double *tokens)
{
	double s2, s, mu;

	if (!(m > 0)) {
		*calls = *tokens = 0;
		return;
	}
	if (!(cv > 0)) {
		*calls = *tokens = m > n ? 1 : 0;
		return;
	}
	s2 = log1p(cv * cv);
	s = sqrt(s2);
	mu = log(m) - s2 / 2;
	/* P(X > n), and E[X; X > n] / E[X] = P(Z > (ln n - mu - s2) / s) */
	*calls = gsl_cdf_ugaussian_Q((log(n) - mu) / s);
	*tokens = gsl_cdf_ugaussian_Q((log(n) - mu - s2) / s);
}

/* USD per call at one set of prices (per million tokens), before the
 * service tier and the batch discount. */
static double
call_cost(const struct fc_inputs *in, double input_tokens, double output_tokens,
    double input, double cached, double write, double output)
{
	double w = in->cache_write_share, c = in->cached_share;

	return input_tokens * ((1 - c - w) * input + c * cached + w * write) +
	    output_tokens * output;
}

double
fc_api_cost_per_call(const struct fc_price *p, const struct fc_inputs *in,
    double input_tokens, double output_tokens)
{
	double write = in->cache_1h ? p->cache_write_1h : p->cache_write;
	double c, qc = 0, qt = 0, r;

	if (p->tier_above > 0)
		fc_cost_tier_shares(input_tokens, in->input_cv, p->tier_above, &qc, &qt);
	c = call_cost(in, input_tokens * (1 - qt), output_tokens * (1 - qc),
	    p->input, p->cached_input, write, p->output);
	if (qc > 0 || qt > 0) {
		r = p->input > 0 ? p->tier_input / p->input : 1;  /* writes scale with input */
		c += call_cost(in, input_tokens * qt, output_tokens * qc, p->tier_input,
		    p->tier_cached_input, write * r, p->tier_output);
	}
	return c / 1e6 * fc_cost_service_mult(p, in->service) *
	    (1 - in->batch_share * p->batch_discount);
}

double
fc_api_path_cost_per_call(const struct fc_scenario *s, int path,
    const struct fc_inputs *in, double input_tokens, double output_tokens)
{
	const struct fc_price *p[FC_MAX_PRICE_TO];
	double w[FC_MAX_PRICE_TO], c = 0;
	size_t k, n = fc_inputs_prices(s, path, in, p, w);

	for (k = 0; k < n; k++)
		c += w[k] * fc_api_cost_per_call(p[k], in, input_tokens, output_tokens);
	return c * in->api_price_factor;
}

/* The routed API's cost per mean call, USD: each tier's share of the calls
 * at its prices (fc_api_cost_per_call), the last tier taking the rest.
 * Drawn shares summing over 1 are scaled down to 1; *clipped says so. */
static double
route_cost_per_call(const struct fc_scenario *s, const struct fc_inputs *in,
    double input_tokens, double output_tokens, int *clipped)
{
	double sum = 0, scale = 1, c = 0, rest;
	size_t k, n = s->route.n;

	*clipped = 0;
	if (n == 0)
		return NAN;
	for (k = 0; k + 1 < n; k++)
		sum += in->route_share[k];
	if (sum > 1) {
		scale = 1 / sum;
		*clipped = 1;
	}
	for (k = 0; k + 1 < n; k++)
		c += in->route_share[k] * scale * fc_api_path_cost_per_call(s,
		    FC_PATH_ROUTE + (int)k, in, input_tokens, output_tokens);
	rest = *clipped ? 0 : 1 - sum;
	return c + rest * fc_api_path_cost_per_call(s, FC_PATH_ROUTE + (int)(n - 1), in,
	    input_tokens, output_tokens);
}

void
fc_api_eval(const struct fc_scenario *s, int path, const struct fc_inputs *in,
    const struct fc_workload *w, double *llm, double *other)
{
	double in_tok = w->calls > 0 ? w->input_tokens / w->calls : fc_inputs_input_tokens(in);
	double out_tok = w->calls > 0 ? w->output_tokens / w->calls : in->output_tokens;

	*llm = w->calls * fc_api_path_cost_per_call(s, path, in, in_tok, out_tok);
	*other = in->users * in->other_per_user + in->other_fixed;
}

void
fc_api_route_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, struct fc_costs *c)
{
	double in_tok = w->calls > 0 ? w->input_tokens / w->calls : fc_inputs_input_tokens(in);
	double out_tok = w->calls > 0 ? w->output_tokens / w->calls : in->output_tokens;
	int clipped;

	c->routed_llm = w->calls * route_cost_per_call(s, in, in_tok, out_tok, &clipped);
	c->routed_total = c->routed_llm + in->users * in->other_per_user + in->other_fixed;
	c->per_user_routed = in->users > 0 ? c->routed_total / in->users : 0;
	if (s->route.n == 0)
		c->routed_total = c->per_user_routed = NAN;
	c->routed_clipped = s->route.n ? clipped : NAN;
}

void
fc_api_costs(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, struct fc_costs *c)
{
	memset(c, 0, sizeof(*c));
	c->users = in->users;
	c->revenue = in->users * in->revenue_per_user;
	c->calls = w->calls;
	c->input_tokens = w->input_tokens;
	c->output_tokens = w->output_tokens;
	fc_api_eval(s, FC_PATH_API, in, w, &c->api_llm, &c->api_other);
	c->api_total = c->api_llm + c->api_other;
	c->per_user_api = in->users > 0 ? c->api_total / in->users : 0;
	c->share_api = c->revenue > 0 ? c->api_total / c->revenue : NAN;
	fc_api_route_eval(s, in, w, c);
}

enum fc_status
fc_cost_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, const struct fc_throughput *tp,
    struct fc_costs *c)
{
	struct fc_capacity cap;
	enum fc_status st;
	double in_tok = w->calls > 0 ? w->input_tokens / w->calls : fc_inputs_input_tokens(in);
	double out_tok = w->calls > 0 ? w->output_tokens / w->calls : in->output_tokens;

	if ((st = fc_capacity_eval_slo(s, in, tp, in_tok, out_tok, &cap)) != FC_OK)
		return st;
	return fc_cost_eval_cap(s, in, w, &cap, c);
}

enum fc_status
fc_cost_eval_cap(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, const struct fc_capacity *cap,
    struct fc_costs *c)
{
	struct fc_fleet fleet;
	double in_tok, out_tok, peak, api_fb_call, local_share;
	enum fc_status st;

	fc_api_costs(s, in, w, c);
	in_tok = w->calls > 0 ? w->input_tokens / w->calls : fc_inputs_input_tokens(in);
	out_tok = w->calls > 0 ? w->output_tokens / w->calls : in->output_tokens;
	{
		double wts[24];
		int h;
		fc_fleet_weights(s, in->peak_to_mean, wts);
		peak = 0;
		for (h = 0; h < 24; h++)
			peak = fmax(peak, wts[h]);
		peak *= w->calls / (in->days * FC_SECONDS_PER_DAY);
	}
	c->peak_calls_per_s = peak;

	if ((st = fc_fleet_plan(s, in, cap, w->calls / (in->days * FC_SECONDS_PER_DAY), &fleet)) != FC_OK)
		return st;
	c->servers = fleet.servers;
	c->viable = fleet.slo_feasible;
	c->peak_sized_cost = fleet.peak_sized_cost;
	c->autoscaled_cost = s->flat.hw.hourly_price > 0 ? fleet.autoscaled_cost : NAN;
	/* hourly billing follows the day; monthly billing pays the peak fleet */
	c->server_cost = s->flat.hourly ? fleet.autoscaled_cost : fleet.peak_sized_cost;
	c->flat_fixed = in->flat_fixed;
	c->overflow_share = fleet.overflow_share;
	c->fallback_share = in->fallback_share;
	c->utilization = fleet.utilization;
	/* overflowed calls go to the API once; of the calls served locally,
	 * the quality-fallback share is repeated on the API */
	local_share = 1 - fleet.overflow_share;
	api_fb_call = fc_api_path_cost_per_call(s, FC_PATH_FALLBACK, in, in_tok, out_tok);
	c->fallback_cost = w->calls * (fleet.overflow_share +
	    local_share * in->fallback_share) * api_fb_call;
	c->flat_other = c->api_other;
	c->flat_total = c->server_cost + c->flat_fixed + c->fallback_cost + c->flat_other;

	c->per_user_flat = in->users > 0 ? c->flat_total / in->users : 0;
	c->share_flat = c->revenue > 0 ? c->flat_total / c->revenue : NAN;
	c->savings = c->api_total - c->flat_total;
	c->savings_share = c->api_total > 0 ? c->savings / c->api_total : 0;
	{
		/* per-user intensity is lognormal with mean 1: the median user
		 * makes exp(-sigma^2/2) of the mean, the P99 user
		 * exp(-sigma^2/2 + z99 sigma) */
		double sg = fc_inputs_top10_sigma(in->top10_share);
		double per_user = in->users > 0 ? c->api_llm / in->users : 0;
		c->user_median_api = per_user * exp(-sg * sg / 2);
		c->user_p99_api = per_user * exp(-sg * sg / 2 + 2.3263478740408408 * sg);
	}
	c->decode_tok_s = cap->decode1_tok_s;
	c->prefill_tok_s = cap->tp.prefill_tok_s;
	c->slots = cap->slots;
	c->server_calls_per_s = cap->calls_per_s;
	c->call_latency_s = cap->call_latency_s;
	c->single_call_s = cap->single_call_s;
	c->slo_s = in->slo_given_s;
	c->breakeven_users = NAN;
	c->call_p50_s = c->call_p95_s = c->action_p50_s = c->action_p95_s = NAN;
	c->ttft_p95_s = NAN;
	if (!in->fast || in->want_latency) {
		struct fc_latency l;
		double k = fc_fleet_action_factor(in->chaining, in->chaining_overlap);

		fc_fleet_latency(&fleet, peak, &l);
		c->call_p50_s = l.call_p50_s;
		c->call_p95_s = l.call_p95_s;
		c->ttft_p95_s = l.ttft_p95_s;
		c->action_p50_s = k * c->call_p50_s;
		c->action_p95_s = k * c->call_p95_s;
	}
	return FC_OK;
}
