/*
 * mc.c: the deterministic evaluation and the Monte Carlo engine.
 *
 * A trial draws the scenario's uncertain numbers, then the month's traffic
 * from the users, then both architectures' costs.  Trial i seeds its own
 * generator from (seed, i) with splitmix64, so a trial's figures depend on
 * nothing else and any thread count gives the same bytes.
 *
 * Traffic without a loop over users (DESIGN.md section 4): what the costs
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
 * Per-user figures (the median and the P99 user) follow analytically from
 * the lognormal intensity, so no user is sampled for them.
 */
#include "mc.h"
#include "rng.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#define EXACT_USERS 2000
#define EXACT_COUNT 64
#define POISSON_NORMAL 1e5
#define BREAKEVEN_TRIALS FC_MC_BREAKEVEN_TRIALS

/*
 * The seed of trial i's stream `which`: splitmix64 over (seed, i, which).
 * Inputs (0) and traffic (1) have separate streams, so that runs that
 * differ only in the user count or in the scenario's numbers still draw
 * the same uncertain inputs in each trial: common random numbers, which
 * keep sweeps smooth and make a diff of a scenario with itself zero.
 */
static unsigned long
trial_seed(unsigned long seed, long i, int which)
{
	uint64_t x = (uint64_t)seed * 0x9E3779B97F4A7C15ull ^
	    ((uint64_t)i << 1 | (uint64_t)which);
	uint64_t a = fc_splitmix64(&x);

	a ^= fc_splitmix64(&x);
	return (unsigned long)(a ? a : 1);
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
	fc_lognormal_params(mean, cv, &mu, &s);
	return exp(mu + s * gsl_ran_gaussian_ziggurat(r, 1.0));
}

#define IN(k, u, f) { k, u, offsetof(struct fc_inputs, f) }
const struct fc_mc_input fc_mc_inputs[] = {
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
};
#undef IN
const size_t fc_mc_ninputs = sizeof(fc_mc_inputs) / sizeof(fc_mc_inputs[0]);

const struct fc_num *
fc_mc_input_num(const struct fc_scenario *s, size_t k, long month)
{
	if (k >= fc_mc_ninputs)
		return NULL;
	{
		/* in the order of fc_mc_inputs[] */
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
		};
		_Static_assert(sizeof(all) / sizeof(all[0]) ==
		    sizeof(fc_mc_inputs) / sizeof(fc_mc_inputs[0]),
		    "one number per row of fc_mc_inputs[]");
		return all[k];
	}
}

int
fc_mc_input_uncertain(const struct fc_scenario *s, const struct fc_mc_opts *o, size_t k)
{
	const struct fc_num *x = fc_mc_input_num(s, k, o->month);

	if (x == NULL || fc_num_is_const(x))
		return 0;
	return !(k == 0 && !isnan(o->users));
}

/* Trial i's inputs into row i of draws, by fc_mc_inputs[] index. */
static void
keep_draws(const struct fc_inputs *in, double *draws, long i)
{
	size_t k;

	for (k = 0; k < fc_mc_ninputs; k++)
		draws[(size_t)i * fc_mc_ninputs + k] =
		    *(const double *)((const char *)in + fc_mc_inputs[k].off);
}

/* A number drawn here is an input of fc_mc_inputs[] too (sensitivity). */
static void
draw_inputs(const struct fc_scenario *s, const struct fc_mc_opts *o,
    gsl_rng *r, struct fc_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->month = o->month;
	in->users = isnan(o->users) ? floor(fc_num_sample(&s->users, r) + 0.5) : o->users;
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
	in->fallback_share = fc_num_sample(fc_scenario_fallback(s, o->month), r);
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
	in->cache_1h = s->workload.cache_ttl_1h;
	in->service = s->api_service;
	in->users1 = in->users;
	fc_inputs_month(s, isnan(o->users), o->month, in->fallback_share, in);
	if (in->target_util <= 0)
		in->target_util = 1e-3;
	if (in->slo_s <= 0)
		in->slo_s = 1e-3;
	if (in->chaining <= 0)
		in->chaining = 1e-9;
	fc_inputs_set_slo(s, in->slo_s, in);
}

static void
draw_workload(const struct fc_inputs *in, gsl_rng *r, struct fc_workload *w)
{
	double sg = fc_top10_sigma(in->top10_share), sumw = 0, reqs, calls;
	double in_mean = fc_input_tokens(in);
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

const char *const fc_month_keys[FC_MF_N] = { "users", "api.monthly_cost",
	"flat.monthly_cost", "flat.servers", "savings.monthly", "cumulative.savings" };

/* The months' streams: apart from the single month's (the seed shifted,
 * since trial_seed's `which` is one bit). */
#define MONTHS_SEED 0x5851F42D4C957F2Dull

/*
 * Months 1..n of one trial (in: its inputs, drawn once), into row[] (n x
 * FC_MF_N); returns the payback month, NaN when none within n.  rf draws
 * each month's fallback share, rw each month's traffic, in month order.
 */
static enum fc_status
trial_months(const struct fc_scenario *s, const struct fc_inputs *in0,
    const struct fc_throughput *tp, int use_list, long n, gsl_rng *rf, gsl_rng *rw,
    double *row, double *payback)
{
	double cum = -(in0->flat_one_time - in0->api_one_time);
	enum fc_status st;
	long m;

	*payback = NAN;
	for (m = 1; m <= n; m++) {
		struct fc_inputs in = *in0;
		struct fc_workload w;
		struct fc_costs c;
		double *v = row + (size_t)(m - 1) * FC_MF_N;

		fc_inputs_month(s, use_list, m,
		    fc_num_sample(fc_scenario_fallback(s, m), rf), &in);
		draw_workload(&in, rw, &w);
		if ((st = fc_cost_eval(s, &in, &w, tp, &c)) != FC_OK)
			return st;
		cum += c.savings;
		v[FC_MF_USERS] = in.users;
		v[FC_MF_API] = c.api_total;
		v[FC_MF_FLAT] = c.flat_total;
		v[FC_MF_SERVERS] = c.servers;
		v[FC_MF_SAVINGS] = c.savings;
		v[FC_MF_CUMULATIVE] = cum;
		if (isnan(*payback) && cum >= 0)
			*payback = (double)m;
	}
	return FC_OK;
}

void
fc_mc_trial_inputs(const struct fc_scenario *s, const struct fc_mc_opts *o,
    long i, gsl_rng *r, struct fc_inputs *in)
{
	gsl_rng_set(r, trial_seed(o->seed, i, 0));
	draw_inputs(s, o, r, in);
}

void
fc_mc_trial_workload(const struct fc_inputs *in, const struct fc_mc_opts *o,
    long i, gsl_rng *rw, struct fc_workload *w)
{
	gsl_rng_set(rw, trial_seed(o->seed, i, 1));
	draw_workload(in, rw, w);
}

/* The throughput's stream: trial_seed's `which` is one bit, so a third
 * stream of the same seed would be another trial's inputs; the seed is
 * shifted instead, as for the months'. */
#define THROUGHPUT_SEED 0xD1B54A32D192ED03ull

/*
 * Trial i's throughput: with a measured run-to-run spread (a profile from
 * bench --repeat), a lognormal draw of the server's speed from its own
 * stream, so the inputs' and traffic's draws stay the same with or
 * without it; a standard normal by Box-Muller from two splitmix64 uniforms.
 */
void
fc_mc_trial_throughput(const struct fc_throughput *tp, const struct fc_mc_opts *o,
    long i, struct fc_throughput *out)
{
	uint64_t x;

	if (!(tp->decode_cv > 0) && !(tp->prefill_cv > 0)) {
		*out = *tp;
		return;
	}
	x = trial_seed(o->seed + THROUGHPUT_SEED, i, 0);
	fc_throughput_draw(tp, fc_splitmix64_normal(&x), out);
}

struct job {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	const struct fc_throughput *tp;
	double *samples;        /* trials x nfig */
	double *breakeven;      /* trials x 2: lasting and first, NaN when none */
	double *viable;         /* trials: 1 or 0 */
	double be_from, be_to;  /* the user counts searched */
	double *draws;          /* trials x fc_mc_ninputs; NULL: not kept */
	double *msamples;       /* trials x months x FC_MF_N, or NULL */
	double *payback;        /* trials, NaN when none within the months */
	long next;              /* next block of trials to take */
	long done;
	enum fc_status st;
	pthread_mutex_t mu;
};

#define BLOCK 64

static void *
worker(void *arg)
{
	struct job *j = arg;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng *rw = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng *rf = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng *rm = gsl_rng_alloc(gsl_rng_taus2);
	long i, lo, hi, nm = j->o->months;
	size_t k;

	if (r == NULL || rw == NULL || rf == NULL || rm == NULL) {
		gsl_rng_free(r);
		gsl_rng_free(rw);
		gsl_rng_free(rf);
		gsl_rng_free(rm);
		pthread_mutex_lock(&j->mu);
		j->st = FC_ENOMEM;
		pthread_mutex_unlock(&j->mu);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&j->mu);
		lo = j->next;
		j->next += BLOCK;
		if (j->st != FC_OK || (j->o->cancel && *j->o->cancel))
			lo = j->o->trials;
		pthread_mutex_unlock(&j->mu);
		if (lo >= j->o->trials)
			break;
		hi = lo + BLOCK < j->o->trials ? lo + BLOCK : j->o->trials;
		for (i = lo; i < hi; i++) {
			struct fc_inputs in;
			struct fc_workload w;
			struct fc_costs c;
			struct fc_breakeven b;
			struct fc_throughput tp;
			enum fc_status st;

			fc_mc_trial_inputs(j->s, j->o, i, r, &in);
			if (j->draws)
				keep_draws(&in, j->draws, i);
			fc_mc_trial_workload(&in, j->o, i, rw, &w);
			fc_mc_trial_throughput(j->tp, j->o, i, &tp);
			st = fc_cost_eval(j->s, &in, &w, &tp, &c);
			b.first = b.lasting = NAN;
			if (st == FC_OK && i < BREAKEVEN_TRIALS && !j->o->no_breakeven)
				st = fc_breakeven_eval(j->s, &in, &tp, j->be_from,
				    j->be_to, &b);
			if (st == FC_OK && nm > 0) {
				gsl_rng_set(rf, trial_seed(j->o->seed + MONTHS_SEED, i, 0));
				gsl_rng_set(rm, trial_seed(j->o->seed + MONTHS_SEED, i, 1));
				st = trial_months(j->s, &in, &tp, isnan(j->o->users), nm, rf, rm,
				    j->msamples + (size_t)i * (size_t)nm * FC_MF_N, &j->payback[i]);
			}
			if (st != FC_OK) {
				pthread_mutex_lock(&j->mu);
				if (j->st == FC_OK)
					j->st = st;
				pthread_mutex_unlock(&j->mu);
				break;
			}
			c.breakeven_users = b.lasting;
			for (k = 0; k < fc_nfigures; k++)
				j->samples[(size_t)i * fc_nfigures + k] = fc_figure_get(&c, k);
			j->breakeven[2 * i] = b.lasting;
			j->breakeven[2 * i + 1] = b.first;
			j->viable[i] = c.viable;
		}
		pthread_mutex_lock(&j->mu);
		j->done += hi - lo;
		pthread_mutex_unlock(&j->mu);
	}
	gsl_rng_free(r);
	gsl_rng_free(rw);
	gsl_rng_free(rf);
	gsl_rng_free(rm);
	return NULL;
}

void
fc_mc_stat(double *v, size_t n, struct fc_stat *st)
{
	size_t i, m = 0;
	double sum = 0;

	memset(st, 0, sizeof(*st));
	/* NaN (no value in that trial) are left out */
	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[m++] = v[i];
	st->n = (double)m;
	if (m == 0) {
		st->mean = st->sd = st->p5 = st->p50 = st->p95 = st->p99 = NAN;
		return;
	}
	for (i = 0; i < m; i++)
		sum += v[i];
	st->mean = sum / (double)m;
	st->sd = m > 1 ? gsl_stats_sd_m(v, 1, m, st->mean) : 0;
	gsl_sort(v, 1, m);
	st->p5 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.05);
	st->p50 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.50);
	st->p95 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.95);
	st->p99 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.99);
}

double
fc_mc_bytes(long trials, long months)
{
	/* the samples, one column being sorted, the breakeven of each trial;
	 * the month figures and the payback month of each trial */
	return (double)trials * ((double)(fc_nfigures + 2) +
	    (months > 0 ? (double)(months * FC_MF_N + 1) : 0)) * sizeof(double);
}

const char *
fc_mc_strerror(enum fc_status st)
{
	/* the only range a trial can run out of is the fleet's (fleet.h) */
	if (st == FC_ERANGE)
		return "the fleet would need more than 4,000,000,000 parallel calls "
		    "(servers x slots), the model's limit: fewer users "
		    "or a server with more throughput";
	return fc_strstatus(st);
}

void
fc_mc_result_free(struct fc_mc_result *r)
{
	if (r == NULL)
		return;
	fc_free(r->samples);
	fc_free(r->draws);
	fc_free(r->breakeven_samples);
	r->samples = r->draws = r->breakeven_samples = NULL;
	fc_free(r->trial_lasting);
	r->trial_lasting = NULL;
	if (r->months)
		fc_free(r->months->payback_samples);
	fc_free(r->months);
	r->months = NULL;
}

/* With o->months, r->months at the means (o->users, when given,
 * replaces the users); r is freed on failure. */
static enum fc_status
months_det(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r)
{
	struct fc_inputs in = r->in;
	struct fc_months *mo;
	double cum;
	long m;

	if (o->months <= 0)
		return FC_OK;
	if (o->months > FC_MAX_SCHEDULE)
		return FC_ERANGE;
	if ((mo = r->months = fc_calloc(1, sizeof(*r->months))) == NULL)
		return FC_ENOMEM;
	mo->n = o->months;
	mo->one_time_net = in.flat_one_time - in.api_one_time;
	mo->payback_month = NAN;
	cum = -mo->one_time_net;
	for (m = 1; m <= o->months; m++) {
		struct fc_workload w;
		struct fc_costs c;
		double *v = mo->det[m - 1];
		enum fc_status st;

		fc_inputs_month(s, isnan(o->users), m,
		    fc_num_mean(fc_scenario_fallback(s, m)), &in);
		fc_workload_mean(&in, &w);
		if ((st = fc_cost_eval(s, &in, &w, &r->tp, &c)) != FC_OK) {
			fc_mc_result_free(r);
			return st;
		}
		cum += c.savings;
		v[FC_MF_USERS] = in.users;
		v[FC_MF_API] = c.api_total;
		v[FC_MF_FLAT] = c.flat_total;
		v[FC_MF_SERVERS] = c.servers;
		v[FC_MF_SAVINGS] = c.savings;
		v[FC_MF_CUMULATIVE] = cum;
		if (isnan(mo->payback_month) && cum >= 0)
			mo->payback_month = (double)m;
	}
	return FC_OK;
}

/* The months' statistics over the trials, in trial order. */
static void
months_stats(const struct fc_mc_opts *o, const double *ms, const double *payback,
    double *col, struct fc_months *mo)
{
	long i, m, nm = o->months;
	size_t k;

	for (m = 0; m < nm; m++)
		for (k = 0; k < FC_MF_N; k++) {
			for (i = 0; i < o->trials; i++)
				col[i] = ms[((size_t)i * (size_t)nm + (size_t)m) * FC_MF_N + k];
			fc_mc_stat(col, (size_t)o->trials, &mo->stat[m][k]);
		}
	memcpy(col, payback, (size_t)o->trials * sizeof(double));
	fc_mc_stat(col, (size_t)o->trials, &mo->payback);
	mo->p_payback = mo->payback.n / (double)o->trials;
}

enum fc_status
fc_mc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r)
{
	struct fc_workload w;
	struct job j;
	pthread_t *th = NULL;
	double *col = NULL;
	enum fc_status st;
	int t, nth;
	size_t k;
	long i, cheaper = 0, viable = 0;

	memset(r, 0, sizeof(*r));
	r->deterministic = o->deterministic;
	r->trials = o->deterministic ? 0 : o->trials;
	r->seed = o->seed;
	r->month = o->month;
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
	    s->flat.model_ref, &r->tp);
	fc_inputs_mean(s, o->month, &r->in);
	if (!isnan(o->users)) {
		r->in.users1 = o->users;
		fc_inputs_month(s, 0, o->month, r->in.fallback_share, &r->in);
	}
	fc_workload_mean(&r->in, &w);
	if ((st = fc_cost_eval(s, &r->in, &w, &r->tp, &r->det)) != FC_OK)
		return st;
	memset(&j, 0, sizeof(j));
	j.be_from = o->breakeven_from > 0 ? o->breakeven_from : 1;
	j.be_to = o->breakeven_to > 0 ? o->breakeven_to : FC_MC_BREAKEVEN_MAX_USERS;
	if (o->no_breakeven) {
		r->breakeven.first = r->breakeven.lasting = NAN;
		r->breakeven.searched_from = j.be_from;
		r->breakeven.searched_to = j.be_to;
		if ((st = fc_viability_eval(s, &r->in, &r->tp, &r->breakeven.viability)) != FC_OK)
			return st;
	} else if ((st = fc_breakeven_eval(s, &r->in, &r->tp, j.be_from, j.be_to,
	    &r->breakeven)) != FC_OK) {
		return st;
	}
	r->det.breakeven_users = r->breakeven.lasting;
	if ((st = months_det(s, o, r)) != FC_OK)
		return st;
	if (o->deterministic)
		return FC_OK;
	if (fc_nfigures > FC_MAX_FIGURES || o->trials < 1) {
		fc_mc_result_free(r);
		return FC_ERANGE;
	}

	j.s = s;
	j.o = o;
	j.tp = &r->tp;
	j.st = FC_OK;
	r->samples = fc_malloc((size_t)o->trials * fc_nfigures * sizeof(double));
	j.breakeven = fc_malloc((size_t)o->trials * 2 * sizeof(double));
	j.viable = fc_malloc((size_t)o->trials * sizeof(double));
	col = fc_malloc((size_t)o->trials * sizeof(double));
	if (o->months > 0) {
		j.msamples = fc_malloc((size_t)o->trials * (size_t)o->months * FC_MF_N *
		    sizeof(double));
		j.payback = fc_malloc((size_t)o->trials * sizeof(double));
	}
	nth = o->threads < 1 ? 1 : o->threads > FC_MAX_THREADS ? FC_MAX_THREADS : o->threads;
	if (nth > (o->trials + BLOCK - 1) / BLOCK)
		nth = (int)((o->trials + BLOCK - 1) / BLOCK);
	th = fc_calloc((size_t)nth, sizeof(*th));
	if (o->keep_draws && (j.draws = r->draws =
	    fc_malloc((size_t)o->trials * fc_mc_ninputs * sizeof(double))) == NULL)
		st = FC_ENOMEM;
	if (st == FC_ENOMEM || r->samples == NULL || j.breakeven == NULL || j.viable == NULL ||
	    col == NULL || th == NULL ||
	    (o->months > 0 && (j.msamples == NULL || j.payback == NULL))) {
		st = FC_ENOMEM;
		goto out;
	}
	j.samples = r->samples;
	pthread_mutex_init(&j.mu, NULL);
	for (t = 1; t < nth; t++)
		if (pthread_create(&th[t], NULL, worker, &j) != 0) {
			nth = t;
			break;
		}
	if (o->progress) {
		/* the calling thread reports progress while the others work,
		 * then joins in for what is left */
		long last = -1;
		while (nth > 1) {
			long done;
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			pthread_mutex_lock(&j.mu);
			done = j.done;
			pthread_mutex_unlock(&j.mu);
			if (done != last)
				o->progress(o->progress_ctx, done, o->trials);
			last = done;
			if (done >= o->trials || j.next >= o->trials ||
			    (o->cancel && *o->cancel) || j.st != FC_OK)
				break;
			nanosleep(&ts, NULL);
		}
	}
	worker(&j);
	for (t = 1; t < nth; t++)
		pthread_join(th[t], NULL);
	if (o->progress)
		o->progress(o->progress_ctx, j.done, o->trials);
	pthread_mutex_destroy(&j.mu);
	st = j.st;
	if (st == FC_OK && o->cancel && *o->cancel)
		st = FC_ERANGE;
	if (st != FC_OK)
		goto out;

	/* statistics, in trial order: the same whatever the threads did */
	for (k = 0; k < fc_nfigures; k++) {
		for (i = 0; i < o->trials; i++)
			col[i] = r->samples[(size_t)i * fc_nfigures + k];
		fc_mc_stat(col, (size_t)o->trials, &r->stats[k]);
	}
	{
		size_t kf = 0, ka = 0;
		for (k = 0; k < fc_nfigures; k++) {
			if (strcmp(fc_figures[k].key, "flat.monthly_cost") == 0)
				kf = k;
			if (strcmp(fc_figures[k].key, "api.monthly_cost") == 0)
				ka = k;
		}
		for (i = 0; i < o->trials; i++) {
			cheaper += fc_flat_cheaper(r->samples[(size_t)i * fc_nfigures + kf],
			    r->samples[(size_t)i * fc_nfigures + ka], j.viable[i] != 0);
			viable += j.viable[i] != 0;
		}
	}
	r->p_flat_cheaper = (double)cheaper / (double)o->trials;
	r->p_viable = (double)viable / (double)o->trials;
	if (o->no_breakeven) {
		fc_mc_stat(col, 0, &r->breakeven_stat);
		fc_mc_stat(col, 0, &r->first_stat);
	} else {
		long nb = o->trials < BREAKEVEN_TRIALS ? o->trials : BREAKEVEN_TRIALS;
		if ((r->trial_lasting = fc_malloc((size_t)nb * sizeof(double))) == NULL) {
			st = FC_ENOMEM;
			goto out;
		}
		for (i = 0; i < nb; i++)
			col[i] = r->trial_lasting[i] = j.breakeven[2 * i];
		fc_mc_stat(col, (size_t)nb, &r->breakeven_stat);
		for (i = 0; i < nb; i++)
			col[i] = j.breakeven[2 * i + 1];
		fc_mc_stat(col, (size_t)nb, &r->first_stat);
		r->breakeven_trials = nb;
		r->p_breakeven_found = r->breakeven_stat.n / (double)nb;
		if (o->keep_draws) {
			/* the first nb trials' lasting breakevens, owned by r */
			if ((r->breakeven_samples = fc_malloc((size_t)nb * sizeof(double))) == NULL) {
				st = FC_ENOMEM;
				goto out;
			}
			memcpy(r->breakeven_samples, r->trial_lasting, (size_t)nb * sizeof(double));
		}
	}
	if (o->months > 0) {
		months_stats(o, j.msamples, j.payback, col, r->months);
		r->months->payback_samples = j.payback;
		j.payback = NULL;
	}
out:
	fc_free(th);
	fc_free(col);
	fc_free(j.breakeven);
	fc_free(j.msamples);
	fc_free(j.payback);
	fc_free(j.viable);
	if (st != FC_OK)
		fc_mc_result_free(r);
	return st;
}

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

double
fc_mc_sample_top10(double share, long users, unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double *w = fc_malloc((size_t)(users > 0 ? users : 1) * sizeof(double));
	double sg = fc_top10_sigma(share), total = 0, top = 0;
	long i, k = users / 10;

	if (r == NULL || w == NULL || users < 10) {
		gsl_rng_free(r);
		fc_free(w);
		return NAN;
	}
	gsl_rng_set(r, seed ? seed : 1);
	for (i = 0; i < users; i++) {
		w[i] = exp(-sg * sg / 2 + sg * gsl_ran_gaussian_ziggurat(r, 1.0));
		total += w[i];
	}
	qsort(w, (size_t)users, sizeof(double), cmp_desc);
	for (i = 0; i < k; i++)
		top += w[i];
	gsl_rng_free(r);
	fc_free(w);
	return top / total;
}
