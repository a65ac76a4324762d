/*
 * fleet.c: the fleet, sized by queueing theory.
 *
 * A server running n parallel calls is n channels, each serving one call
 * in n T(n) seconds (processor sharing, capacity.c).  The fleet of N
 * servers is then an M/G/c queue with c = N n channels, mean service
 * E[S] = n T(n) and offered load a = lambda E[S] (docs/model.md,
 * "Queueing: a fleet whose late calls go to the API"):
 *   Erlang C by the stable Erlang B recursion (queue.c),
 *   the Allen-Cunneen correction (Ca^2 + Cs^2) / 2 for bursty arrivals and
 *   variable call lengths,
 *   the tail P(W > t) ~ C exp(-(c - a) t / E[S]) with its decay rate scaled
 *   by 2 / (Ca^2 + Cs^2).
 * The SLO bounds the 95th percentile of latency = wait + service: a call
 * may wait t = SLO - S95 (S95: the 95th percentile of service), and the
 * fleet is the smallest with P(W > t) <= 5% in the peak hour and a / c at
 * most the target utilization.  Calls that would wait longer go to the
 * API (overflow).  They leave the queue, so they do not delay the calls
 * behind them: the overflow share and the wait of the calls served come
 * from the M/G/c+D queue with that patience (queue.h, fc_queue_abandon),
 * which holds below and above full load alike; over the day the share is
 * the load-weighted mean hour by hour.
 */
#include "fleet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "inputs.h"
#include "dist.h"
#include "queue.h"
#include "stats.h"

#define Z95 1.6448536269514722

/* The last peak-to-mean's weights, per thread: a trial's cost is
 * evaluated many times with the same one (the breakeven search), and the
 * weights are a pure function of it. */
static _Thread_local struct {
	int valid;
	double ptm;
	double w[24];
} weights_memo;

void
fc_fleet_weights(const struct fc_scenario *s, double ptm, double w[24])
{
	double amp = ptm - 1, lo = 0, hi = 50, sum, mx;
	int h, it;

	if (s && s->workload.has_diurnal) {
		memcpy(w, s->workload.diurnal, 24 * sizeof(double));
		return;
	}
	if (weights_memo.valid && weights_memo.ptm == ptm) {
		memcpy(w, weights_memo.w, sizeof(weights_memo.w));
		return;
	}
	/* w(h) = max(0, 1 + A cos(2 pi (h - 14) / 24)), renormalized to mean 1;
	 * A found by bisection so that the peak is ptm (for ptm <= 2 the
	 * cosine never clips and A = ptm - 1 exactly) */
	for (it = 0; it < (ptm <= 2 ? 1 : 60); it++) {
		if (ptm > 2)
			amp = (lo + hi) / 2;
		sum = 0;
		mx = 0;
		for (h = 0; h < 24; h++) {
			w[h] = 1 + amp * cos(2 * M_PI * (h - 14) / 24.0);
			if (w[h] < 0)
				w[h] = 0;
			sum += w[h];
		}
		for (h = 0; h < 24; h++) {
			w[h] *= 24 / sum;
			if (w[h] > mx)
				mx = w[h];
		}
		if (mx < ptm)
			lo = amp;
		else
			hi = amp;
	}
	weights_memo.valid = 1;
	weights_memo.ptm = ptm;
	memcpy(weights_memo.w, w, sizeof(weights_memo.w));
}

/* A large fleet at under half load almost never queues (Erlang C of 30
 * channels at 50% is 1e-4, and falls fast with c): its overflow and wait
 * are taken as none, with no O(c) Erlang B. */
static int
no_queue(double c, double a)
{
	return c >= 30 && a < 0.5 * c;
}

/* Channels needed for rate lambda; 0 for no load. */
static enum fc_status
channels_for(double lambda, const struct fc_fleet *f, double util, unsigned *c)
{
	enum fc_status st;

	if (lambda <= 0) {
		*c = 0;
		return FC_OK;
	}
	st = fc_queue_min_servers(lambda, f->es, f->ca2, f->cs2, f->wait_budget_s,
	    0.95, util, FC_MAX_CHANNELS, c);
	return st;
}

static double
servers_of(unsigned channels, unsigned slots, long min_servers)
{
	double n = ceil((double)channels / slots);

	return n < (double)min_servers ? (double)min_servers : n;
}

/* The M/G/c+D queue of the fleet at rate lambda with c channels: calls
 * that would wait past the budget leave for the API (queue.h). */
static enum fc_status
abandon_at(double lambda, double c, const struct fc_fleet *f, struct fc_queue_abandon *q)
{
	return fc_queue_abandon((unsigned)c, lambda * f->es, f->es, f->ca2, f->cs2,
	    f->wait_budget_s, q);
}

/* Each of n hours' overflow share (ov) at rates lam with c channels; the
 * Erlang B recursions of those that need one run side by side
 * (fc_queue_erlang_b_many, the same numbers as one by one). */
static void
hours_share(const struct fc_fleet *f, double c, const double *lam, size_t n, double *ov)
{
	double ah[24], bh[24];
	size_t i, m = 0, hs[24];

	for (i = 0; i < n; i++) {
		double a = lam[i] * f->es;
		if (lam[i] <= 0)
			ov[i] = 0;
		else if (c <= 0)
			ov[i] = 1;
		else if (no_queue(c, a))
			ov[i] = 0;
		else {
			hs[m] = i;
			ah[m++] = a;
		}
	}
	if (m > 0)
		fc_queue_erlang_b_many((unsigned)c - 1, ah, m, bh);
	for (i = 0; i < m; i++) {
		struct fc_queue_abandon q;
		ov[hs[i]] = fc_queue_abandon_b((unsigned)c, ah[i], f->es, f->ca2, f->cs2,
		    f->wait_budget_s, bh[i], &q) != FC_OK ? 1 : q.p_abandon;
	}
}

/*
 * The calls of the day (*sum, the hours' rates summed) and those that
 * overflow (*over): each hour's share of calls that would wait longer
 * than the budget with the fleet's c channels, and so go to the API
 * (continuous in the load, below and above 1).
 */
static void
hours_overflow(double mean_rate, const struct fc_fleet *f, double c, double *over, double *sum)
{
	double lam[24], ov[24], dl[24], dov[24];
	int h, same[24], j;
	size_t m = 0;

	for (h = 0; h < 24; h++) {
		lam[h] = mean_rate * f->weights[h];
		/* an hour with the load of an earlier one (a cosine day is
		 * symmetric about its peak) has its share */
		for (same[h] = -1, j = 0; j < h && same[h] < 0; j++)
			if (lam[j] == lam[h])
				same[h] = j;
		if (same[h] < 0) {
			same[h] = -1 - (int)m;   /* its own: at -1 - same[h] below */
			dl[m++] = lam[h];
		}
	}
	hours_share(f, c, dl, m, dov);
	for (h = 0; h < 24; h++)
		ov[h] = same[h] < 0 ? dov[-1 - same[h]] : ov[same[h]];
	*over = *sum = 0;
	for (h = 0; h < 24; h++) {
		*over += lam[h] * ov[h];
		*sum += lam[h];
	}
}

double
fc_fleet_overflow_bound(const struct fc_fleet *f, double channels, double mean_rate)
{
	double peak = 0, a;
	struct fc_queue_abandon q;
	int h;

	for (h = 0; h < 24; h++)
		if (f->weights[h] > peak)
			peak = f->weights[h];
	a = mean_rate * peak * f->es;
	if (!(mean_rate > 0))
		return 0;
	if (!(channels >= 1) || channels > FC_MAX_CHANNELS)
		return 1;
	if (no_queue(channels, a))
		return 0;
	/* the share rises with B: a bound on B bounds it */
	if (fc_queue_abandon_b((unsigned)channels, a, f->es, f->ca2, f->cs2, f->wait_budget_s,
	    fc_queue_erlang_b_bound((unsigned)channels - 1, a), &q) != FC_OK)
		return 1;
	return fmin(1, q.p_abandon * (1 + 1e-9) + 1e-15);
}

/* Hours by weight, heaviest first (ties: the earlier hour first). */
void
fc_fleet_hours_by_load(const struct fc_fleet *f, int order[24])
{
	int h, j;

	for (h = 0; h < 24; h++) {
		for (j = h; j > 0 && f->weights[order[j - 1]] < f->weights[h]; j--)
			order[j] = order[j - 1];
		order[j] = h;
	}
}

/* Up to this many hours' Erlang B recursions run side by side at a time
 * (fc_fleet_overflow_share_around). */
#define AROUND_BATCH 6

void
fc_fleet_overflow_share_around(const struct fc_fleet *f, double c, double mean_rate,
    const int order[24], double s, double *lo, double *hi)
{
	double sum = 0, over = 0, rest, last;
	int i = 0, h;

	for (h = 0; h < 24; h++)
		sum += mean_rate * f->weights[h];
	if (!(sum > 0)) {
		*lo = *hi = 0;
		return;
	}
	while (i < 24) {
		double lam[AROUND_BATCH], ov[AROUND_BATCH];
		size_t k, n = 0;

		for (; i < 24 && n < AROUND_BATCH; i++, n++)
			lam[n] = mean_rate * f->weights[order[i]];
		hours_share(f, c, lam, n, ov);
		for (k = 0; k < n; k++)
			over += lam[k] * ov[k];
		for (rest = 0, h = i; h < 24; h++)
			rest += mean_rate * f->weights[order[h]];
		last = ov[n - 1];
		/* an hour's share rises with its load: the hours left, no
		 * busier than the last, share at most as much (a hair over for
		 * the rounding of the sums) */
		*lo = over / sum * (1 - 1e-12);
		*hi = (over + rest * last) / sum * (1 + 1e-12);
		if (s < *lo || s > *hi)
			return;
	}
}

double
fc_fleet_overflow_share(const struct fc_fleet *f, double channels, double mean_rate)
{
	double over, sum;

	hours_overflow(mean_rate, f, channels, &over, &sum);
	return sum > 0 ? over / sum : 0;
}

void
fc_fleet_latency(const struct fc_fleet *f, double rate, struct fc_latency *l)
{
	double a = rate * f->es, c = f->channels, mu, sg;
	double w50 = 0, w95 = 0;
	struct fc_queue_abandon q;

	l->call_p50_s = l->call_p95_s = l->ttft_p95_s = NAN;
	if (!f->slo_feasible || c <= 0 || !(f->es > 0) || c > FC_MAX_CHANNELS)
		return;
	fc_dist_lognormal_params(1, sqrt(f->cs2), &mu, &sg);
	if (a > 0 && !no_queue(c, a) && abandon_at(rate, c, f, &q) == FC_OK) {
		w50 = fc_queue_abandon_wait_quantile(&q, 0.5);
		w95 = fc_queue_abandon_wait_quantile(&q, 0.95);
	}
	l->call_p50_s = f->es * exp(mu) + w50;
	l->call_p95_s = f->s95 + w95;
	l->ttft_p95_s = f->prefill95_s + w95;
}

void
fc_fleet_call_latency(const struct fc_fleet *f, double rate, double *p50, double *p95)
{
	struct fc_latency l;

	fc_fleet_latency(f, rate, &l);
	*p50 = l.call_p50_s;
	*p95 = l.call_p95_s;
}

double
fc_fleet_action_factor(double chaining, double overlap)
{
	if (chaining <= 1)
		return chaining;
	return 1 + (chaining - 1) * (1 - overlap);
}

/*
 * Hourly billing of an autoscaled fleet: the k-th server (k = 1..servers)
 * runs in the hours where the fleet has at least k, and its bill is those
 * hours x days at the hourly price, capped at the monthly price.  Servers
 * between two neighbouring hourly counts run the same hours, so with the
 * 24 counts sorted, a count's step up covers (v[j] - v[j-1]) servers that
 * each run in the 24 - j hours from j on: O(24 log 24), whatever the
 * fleet's size (the counts are whole numbers held in doubles; no cast).
 */
static double
autoscaled_cost(const double hourly[24], double servers, double days,
    double hourly_price, double monthly_price)
{
	double v[24], prev = 0, cost = 0;
	int j;

	memcpy(v, hourly, sizeof(v));
	qsort(v, 24, sizeof(double), fc_stats_cmp_double);
	for (j = 0; j < 24; j++) {
		double top = fmin(floor(v[j]), servers), n = top - prev;
		double hours = (double)(24 - j) * days;

		if (n <= 0)
			continue;
		cost += n * fmin(hours * hourly_price, monthly_price);
		prev = top;
	}
	return cost;
}

/* The P95 of a call's time on a busy server (n calls sharing it, the
 * mean call_latency_s): lognormal with the squared CV *cs2 of the call
 * lengths, S = in/P + out/A. */
static double
service_p95(const struct fc_inputs *in, const struct fc_capacity *cap, double *cs2)
{
	double a1 = cap->agg_decode_tok_s > 0 ? cap->agg_decode_tok_s : 1;
	double in_tok = fc_inputs_input_tokens(in), out_tok = in->output_tokens;
	double t1 = in_tok / cap->tp.prefill_tok_s + out_tok / a1, mu, sg;
	double var = pow(in->input_cv * in_tok / cap->tp.prefill_tok_s, 2) +
	    pow(in->output_cv * out_tok / a1, 2);

	*cs2 = t1 > 0 ? var / (t1 * t1) : 0;
	fc_dist_lognormal_params(1, sqrt(*cs2), &mu, &sg);
	return cap->call_latency_s * exp(mu + Z95 * sg);
}

enum fc_status
fc_capacity_eval_slo(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double in_tok, double out_tok, struct fc_capacity *cap)
{
	enum fc_status st;
	double cs2;

	if ((st = fc_capacity_eval(tp, in_tok, out_tok, in->slo_s, s->flat.slots, cap)) != FC_OK)
		return st;
	/* the slot count kept half the SLO for the mean call's wait; where the
	 * P95 call on the busy server still takes the whole SLO, fewer slots */
	while (s->flat.slots <= 0 && cap->slo_feasible && cap->slots > 1 &&
	    service_p95(in, cap, &cs2) > in->slo_s)
		if ((st = fc_capacity_eval(tp, in_tok, out_tok, in->slo_s,
		    (long)cap->slots - 1, cap)) != FC_OK)
			return st;
	return FC_OK;
}

enum fc_status
fc_fleet_servers(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_fleet *f, unsigned slots, double mean_rate, double *servers)
{
	double peak = 0;
	unsigned c = 0;
	enum fc_status st;
	int h;

	for (h = 0; h < 24; h++)
		if (f->weights[h] > peak)
			peak = f->weights[h];
	if ((st = channels_for(mean_rate * peak, f, in->target_util, &c)) != FC_OK)
		return st;
	*servers = servers_of(c, slots, s->flat.min_servers);
	if (mean_rate > 0 && *servers < 1)
		*servers = 1;
	if (s->flat.max_servers > 0 && *servers > (double)s->flat.max_servers)
		*servers = (double)s->flat.max_servers;
	return FC_OK;
}

enum fc_status
fc_fleet_plan(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_capacity *cap, double mean_rate, struct fc_fleet *f)
{
	double mu, sg, peak = 0, sum = 0, over = 0;
	double in_tok;
	unsigned n = cap->slots;
	enum fc_status st;
	int h;

	memset(f, 0, sizeof(*f));
	fc_fleet_weights(s, in->peak_to_mean, f->weights);
	for (h = 0; h < 24; h++)
		if (f->weights[h] > peak)
			peak = f->weights[h];
	f->slo_feasible = cap->slo_feasible;
	f->ca2 = in->arrival_cv * in->arrival_cv;
	in_tok = fc_inputs_input_tokens(in);
	f->s95 = service_p95(in, cap, &f->cs2);
	f->es = cap->call_latency_s;
	f->wait_budget_s = in->slo_s - f->s95;
	/* time to first token = wait + prefill of the call's input: a TTFT
	 * SLO bounds the wait as well, to the SLO less the prefill's P95
	 * (input tokens lognormal with CV input_cv) */
	fc_dist_lognormal_params(1, in->input_cv, &mu, &sg);
	f->prefill95_s = cap->tp.prefill_tok_s > 0 ?
	    in_tok * exp(mu + Z95 * sg) / cap->tp.prefill_tok_s : 0;
	if (in->slo_ttft_s > 0)
		f->wait_budget_s = fmin(f->wait_budget_s, in->slo_ttft_s - f->prefill95_s);
	if (!f->slo_feasible || f->wait_budget_s < 0) {
		/* the SLO cannot be met even without waiting: every call goes
		 * to the API and no server is bought for time (a provisioned
		 * fleet is paid for all the same) */
		f->slo_feasible = 0;
		f->servers = s->flat.fixed_servers > 0 ? (double)s->flat.fixed_servers : 0;
		f->overflow_share = mean_rate > 0 ? 1 : 0;
		f->peak_sized_cost = f->servers * in->hw_monthly_price;
		for (h = 0; h < 24; h++)
			f->hourly_servers[h] = f->servers;
		f->autoscaled_cost = f->servers * fmin(24 * in->days *
		    in->hw_hourly_price, in->hw_monthly_price);
		return FC_OK;
	}
	if (s->flat.fixed_servers > 0) {
		/* provisioned: the fleet stays whatever the load; what it
		 * cannot take in time overflows to the API */
		f->servers = (double)s->flat.fixed_servers;
	} else if ((st = fc_fleet_servers(s, in, f, n, mean_rate, &f->servers)) != FC_OK) {
		return st;
	}
	f->channels = f->servers * n;
	if (f->channels > FC_MAX_CHANNELS)
		return FC_ERANGE;
	f->utilization = f->channels > 0 ? mean_rate * peak * f->es / f->channels : 0;
	if (!in->no_overflow)
		hours_overflow(mean_rate, f, f->channels, &over, &sum);
	f->overflow_share = sum > 0 ? over / sum : 0;
	f->peak_sized_cost = f->servers * in->hw_monthly_price;

	if (in->fast && !s->flat.hourly)
		return FC_OK;
	/* autoscaling: the fleet each hour needs; a server needed in hour h+1
	 * is started during hour h when start-up takes time, and is billed
	 * for it (Hetzner bills every started hour) */
	{
		double need[24], cost = 0;
		for (h = 0; h < 24; h++) {
			unsigned ch;
			if (s->flat.fixed_servers > 0) {
				need[h] = f->servers;   /* a fixed fleet runs all day */
				continue;
			}
			if ((st = channels_for(mean_rate * f->weights[h], f, in->target_util,
			    &ch)) != FC_OK)
				return st;
			need[h] = servers_of(ch, n, s->flat.min_servers);
			if (mean_rate * f->weights[h] > 0 && need[h] < 1)
				need[h] = 1;
			if (need[h] > f->servers)
				need[h] = f->servers;   /* a capped fleet stays under its cap */
		}
		for (h = 0; h < 24; h++) {
			double nx = need[(h + 1) % 24];
			f->hourly_servers[h] = in->startup_min > 0 && nx > need[h] ? nx : need[h];
		}
		cost = autoscaled_cost(f->hourly_servers, f->servers, in->days,
		    in->hw_hourly_price, in->hw_monthly_price);
		f->autoscaled_cost = cost;
	}
	return FC_OK;
}

static void
des_config(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_capacity *cap, const struct fc_fleet *f, double servers,
    double mean_rate, int flat_day, struct fc_des_config *cfg)
{
	int h;

	(void)s;
	memset(cfg, 0, sizeof(*cfg));
	cfg->servers = (unsigned)servers;
	cfg->max_slots = cap->slots;
	cfg->speedup = cap->speedup;
	cfg->prefill_tok_s = cap->tp.prefill_tok_s;
	cfg->decode1_tok_s = cap->decode1_tok_s;
	cfg->in_mean = fc_inputs_input_tokens(in);
	cfg->in_cv = in->input_cv;
	cfg->out_mean = in->output_tokens;
	cfg->out_cv = in->output_cv;
	for (h = 0; h < 24; h++)
		cfg->rate[h] = flat_day ? mean_rate : mean_rate * f->weights[h];
	cfg->arrival_cv2 = f->ca2;
	cfg->max_wait_s = f->wait_budget_s > 0 ? f->wait_budget_s : 0;
	cfg->slo_s = in->slo_s;
	cfg->warmup_s = 3600;
}

/* The discrete-event day for a fleet of `servers` (see des.h). */
static enum fc_status
fleet_des(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_capacity *cap, const struct fc_fleet *f, double servers,
    unsigned long seed, struct fc_des_result *out)
{
	struct fc_des_config cfg;
	double mean_rate;
	gsl_rng *r;
	enum fc_status st;

	mean_rate = in->users * in->rpud * in->chaining / FC_SECONDS_PER_DAY;
	des_config(s, in, cap, f, servers, mean_rate, 0, &cfg);
	r = gsl_rng_alloc(gsl_rng_taus2);
	if (r == NULL)
		return FC_ENOMEM;
	gsl_rng_set(r, seed ? seed : 1);
	st = fc_des_run(&cfg, r, out);
	gsl_rng_free(r);
	return st;
}

/* The smallest fleet whose simulated peak hour keeps the overflow share
 * under 5% and the slot utilization under the target: the DES's own
 * answer to the sizing question, to compare with fc_fleet_plan. */
static enum fc_status
fleet_des_min_servers(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_capacity *cap, const struct fc_fleet *f, double peak,
    unsigned long seed, double *servers)
{
	struct fc_des_config cfg;
	struct fc_des_result res;
	gsl_rng *r;
	enum fc_status st = FC_OK;
	double n, lo = 1, hi;

	if (peak <= 0) {
		*servers = 0;
		return FC_OK;
	}
	r = gsl_rng_alloc(gsl_rng_taus2);
	if (r == NULL)
		return FC_ENOMEM;
	/* a day at the peak rate; the overflow share and the busy-slot share
	 * must meet the same targets as the analytic sizing.  Overflow is
	 * monotone in the fleet for a fixed random stream (des.h), so a
	 * bisection between 1 and a fleet that surely suffices finds it. */
	hi = ceil(peak * f->es / cap->slots / fmin(in->target_util, 0.999)) * 2 + 2;
	while (lo < hi) {
		n = floor((lo + hi) / 2);
		des_config(s, in, cap, f, n, peak, 1, &cfg);
		cfg.warmup_s = 600;
		gsl_rng_set(r, seed ? seed : 1);
		if ((st = fc_des_run(&cfg, r, &res)) != FC_OK)
			break;
		{
			/* utilization as the analytic sizing defines it: the
			 * share of the fleet's full-slot throughput in use */
			double util = res.served / (FC_SECONDS_PER_DAY * n * cap->calls_per_s);
			if (res.overflow_share <= 0.05 && util <= in->target_util)
				hi = n;
			else
				lo = n + 1;
		}
	}
	gsl_rng_free(r);
	*servers = lo;
	return st;
}

enum fc_status
fc_fleet_des_report(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, unsigned long seed, struct fc_des_report *out)
{
	double in_tok = fc_inputs_input_tokens(in);
	double mean_rate = in->users * in->rpud * in->chaining / FC_SECONDS_PER_DAY, peak = 0;
	enum fc_status st;
	int h;

	memset(out, 0, sizeof(*out));
	if (mean_rate * FC_SECONDS_PER_DAY > FC_DES_MAX_CALLS_PER_DAY)
		return FC_ERANGE;
	if ((st = fc_capacity_eval_slo(s, in, tp, in_tok, in->output_tokens,
	    &out->cap)) != FC_OK)
		return st;
	if ((st = fc_fleet_plan(s, in, &out->cap, mean_rate, &out->plan)) != FC_OK)
		return st;
	for (h = 0; h < 24; h++)
		peak = fmax(peak, out->plan.weights[h]);
	out->peak_calls_per_s = peak * mean_rate;
	if (!out->plan.slo_feasible)
		return FC_OK;
	if ((st = fleet_des(s, in, &out->cap, &out->plan, out->plan.servers, seed,
	    &out->day)) != FC_OK)
		return st;
	return fleet_des_min_servers(s, in, &out->cap, &out->plan,
	    out->peak_calls_per_s, seed, &out->des_min_servers);
}
