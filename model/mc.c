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

#include <math.h>
#include <pthread.h>
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
#define BREAKEVEN_MAX_USERS 1e7
/* trials whose breakeven is searched: enough for its percentiles */
#define BREAKEVEN_TRIALS 200

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

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
	uint64_t a = splitmix64(&x);

	a ^= splitmix64(&x);
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
	/* last, so that a constant (no draw) leaves the other draws as they were */
	in->cache_write_share = fc_num_sample(&s->workload.cache_write_share, r);
	in->cache_1h = s->workload.cache_ttl_1h;
	in->service = s->api_service;
	if (in->target_util <= 0)
		in->target_util = 1e-3;
	if (in->slo_s <= 0)
		in->slo_s = 1e-3;
	if (in->chaining <= 0)
		in->chaining = 1e-9;
}

static void
draw_workload(const struct fc_inputs *in, gsl_rng *r, struct fc_workload *w)
{
	double sg = fc_top10_sigma(in->top10_share), sumw = 0, reqs, calls;
	double in_mean = in->input_tokens + in->context_growth * (double)(in->month - 1);
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
	w->peak_calls_per_s = calls / (in->days * 86400) * in->peak_to_mean;
}

struct job {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	const struct fc_throughput *tp;
	double *samples;        /* trials x nfig */
	double *breakeven;      /* trials, NaN when none */
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
	long i, lo, hi;
	size_t k;

	if (r == NULL || rw == NULL) {
		gsl_rng_free(r);
		gsl_rng_free(rw);
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
			enum fc_status st;

			gsl_rng_set(r, trial_seed(j->o->seed, i, 0));
			gsl_rng_set(rw, trial_seed(j->o->seed, i, 1));
			draw_inputs(j->s, j->o, r, &in);
			draw_workload(&in, rw, &w);
			st = fc_cost_eval(j->s, &in, &w, j->tp, &c);
			b.first = NAN;
			if (st == FC_OK && i < BREAKEVEN_TRIALS)
				st = fc_breakeven_find(j->s, &in, j->tp,
				    BREAKEVEN_MAX_USERS, 1, &b);
			if (st != FC_OK) {
				pthread_mutex_lock(&j->mu);
				if (j->st == FC_OK)
					j->st = st;
				pthread_mutex_unlock(&j->mu);
				break;
			}
			for (k = 0; k < fc_nfigures; k++)
				j->samples[(size_t)i * fc_nfigures + k] = fc_figure_get(&c, k);
			j->breakeven[i] = b.first;
		}
		pthread_mutex_lock(&j->mu);
		j->done += hi - lo;
		pthread_mutex_unlock(&j->mu);
	}
	gsl_rng_free(r);
	gsl_rng_free(rw);
	return NULL;
}

static void
stat_of(double *v, size_t n, struct fc_stat *st)
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

void
fc_mc_result_free(struct fc_mc_result *r)
{
	if (r == NULL)
		return;
	fc_free(r->samples);
	r->samples = NULL;
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
	long i, cheaper = 0;

	memset(r, 0, sizeof(*r));
	r->deterministic = o->deterministic;
	r->trials = o->deterministic ? 0 : o->trials;
	r->seed = o->seed;
	r->month = o->month;
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
	    s->flat.model_ref, &r->tp);
	fc_inputs_mean(s, o->month, &r->in);
	if (!isnan(o->users))
		r->in.users = o->users;
	fc_workload_mean(&r->in, &w);
	if ((st = fc_cost_eval(s, &r->in, &w, &r->tp, &r->det)) != FC_OK)
		return st;
	if ((st = fc_breakeven_find(s, &r->in, &r->tp, BREAKEVEN_MAX_USERS, 0,
	    &r->breakeven)) != FC_OK)
		return st;
	if (o->deterministic)
		return FC_OK;
	if (fc_nfigures > FC_MAX_FIGURES || o->trials < 1)
		return FC_ERANGE;

	memset(&j, 0, sizeof(j));
	j.s = s;
	j.o = o;
	j.tp = &r->tp;
	j.st = FC_OK;
	r->samples = fc_malloc((size_t)o->trials * fc_nfigures * sizeof(double));
	j.breakeven = fc_malloc((size_t)o->trials * sizeof(double));
	col = fc_malloc((size_t)o->trials * sizeof(double));
	nth = o->threads < 1 ? 1 : o->threads > 256 ? 256 : o->threads;
	if (nth > (o->trials + BLOCK - 1) / BLOCK)
		nth = (int)((o->trials + BLOCK - 1) / BLOCK);
	th = fc_calloc((size_t)nth, sizeof(*th));
	if (r->samples == NULL || j.breakeven == NULL || col == NULL || th == NULL) {
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
		stat_of(col, (size_t)o->trials, &r->stats[k]);
	}
	{
		size_t kf = 0, ka = 0;
		for (k = 0; k < fc_nfigures; k++) {
			if (strcmp(fc_figures[k].key, "flat.monthly_cost") == 0)
				kf = k;
			if (strcmp(fc_figures[k].key, "api.monthly_cost") == 0)
				ka = k;
		}
		for (i = 0; i < o->trials; i++)
			cheaper += r->samples[(size_t)i * fc_nfigures + kf] <=
			    r->samples[(size_t)i * fc_nfigures + ka];
	}
	r->p_flat_cheaper = (double)cheaper / (double)o->trials;
	{
		long nb = o->trials < BREAKEVEN_TRIALS ? o->trials : BREAKEVEN_TRIALS;
		memcpy(col, j.breakeven, (size_t)nb * sizeof(double));
		stat_of(col, (size_t)nb, &r->breakeven_stat);
		r->breakeven_trials = nb;
		r->p_breakeven_found = r->breakeven_stat.n / (double)nb;
	}
out:
	fc_free(th);
	fc_free(col);
	fc_free(j.breakeven);
	if (st != FC_OK) {
		fc_free(r->samples);
		r->samples = NULL;
	}
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
