/*
 * mc.c: the deterministic evaluation and the Monte Carlo engine.
 *
 * A trial draws the scenario's uncertain numbers, then the month's traffic
 * from the users, then both architectures' costs.  Trial i seeds its own
 * generator from (seed, i) with splitmix64, so a trial's figures depend on
 * nothing else and any thread count gives the same bytes.
 *
 * The draws of a trial's inputs and traffic are in inputs.c.
 * Per-user figures (the median and the P99 user) follow analytically from
 * the lognormal intensity, so no user is sampled for them.
 */
#include "mc.h"
#include "pool.h"
#include "rng.h"
#include "stats.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* The figures' statistics run on at most this many threads; their
 * scratch is counted in fc_mc_bytes whatever o->threads is, so that the
 * memory limit does not depend on it. */
#define STAT_THREADS 2


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

int
fc_mc_input_uncertain(const struct fc_scenario *s, const struct fc_mc_opts *o, size_t k)
{
	const struct fc_num *x = fc_inputs_mc_num(s, k, o->month);

	if (k < fc_inputs_mc_n && fc_inputs_mc[k].off == offsetof(struct fc_inputs, speed_factor)) {
		/* a measured profile's run-to-run spread (bench --repeat) */
		struct fc_throughput tp;
		fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
		    s->flat.model_ref, &tp);
		return tp.decode_cv > 0 || tp.prefill_cv > 0;
	}

	if (x == NULL || fc_num_is_const(x))
		return 0;
	return !(k == 0 && !isnan(o->users));
}

/* Trial i's inputs into row i of draws, by fc_inputs_mc[] index. */
static void
keep_draws(const struct fc_inputs *in, double *draws, long i)
{
	size_t k;

	for (k = 0; k < fc_inputs_mc_n; k++)
		draws[(size_t)i * fc_inputs_mc_n + k] =
		    *(const double *)((const char *)in + fc_inputs_mc[k].off);
}

const char *const fc_mc_month_keys[FC_MF_N] = { "users", "api.monthly_cost",
	"flat.monthly_cost", "flat.servers", "savings.monthly", "cumulative.savings" };

/* The months' streams: apart from the single month's (the seed shifted,
 * since trial_seed's `which` is one bit). */
#define MONTHS_SEED 0x5851F42D4C957F2Dull

/* One month's row (FC_MF_N figures) of its inputs, costs and the
 * cumulative savings so far. */
static void
month_row(double *v, const struct fc_inputs *in, const struct fc_costs *c, double cum)
{
	v[FC_MF_USERS] = in->users;
	v[FC_MF_API] = c->api_total;
	v[FC_MF_FLAT] = c->flat_total;
	v[FC_MF_SERVERS] = c->servers;
	v[FC_MF_SAVINGS] = c->savings;
	v[FC_MF_CUMULATIVE] = cum;
}

/* The setup fees of the month: hardware's setup_price for each server
 * beyond the most the fleet has had (*top, updated), paid once each. */
static double
setup_cost(const struct fc_inputs *in, const struct fc_costs *c, double *top)
{
	double added = c->servers > *top ? c->servers - *top : 0;

	if (c->servers > *top)
		*top = c->servers;
	return in->hw_setup_price > 0 ? added * in->hw_setup_price : 0;
}

/*
 * Months 1..n of one trial (in: its inputs, drawn once), into row[] (n x
 * FC_MF_N); returns the payback month, NaN when none within n.  Every
 * month uses the trial's inputs as drawn (nothing of them is drawn
 * again); rw draws each month's traffic, in month order.
 */
static enum fc_status
trial_months(const struct fc_scenario *s, const struct fc_inputs *in0,
    const struct fc_throughput *tp, int use_list, long n, gsl_rng *rw,
    double *row, double *payback)
{
	double cum = -(in0->flat_one_time - in0->api_one_time), top = 0;
	enum fc_status st;
	long m;

	*payback = NAN;
	for (m = 1; m <= n; m++) {
		struct fc_inputs in = *in0;
		struct fc_workload w;
		struct fc_costs c;
		double *v = row + (size_t)(m - 1) * FC_MF_N;

		/* the trial's own draws in every month: its fallback share
		 * (once, or its quantile of each month's), its growth, ... */
		fc_inputs_month(s, use_list, m, fc_inputs_fallback(s, in0, m), &in);
		fc_workload_draw(&in, rw, &w);
		if ((st = fc_cost_eval(s, &in, &w, tp, &c)) != FC_OK)
			return st;
		cum += c.savings - setup_cost(&in, &c, &top);
		month_row(v, &in, &c, cum);
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
	fc_inputs_draw(s, o->month, o->users, r, in);
}

void
fc_mc_trial_workload(const struct fc_inputs *in, const struct fc_mc_opts *o,
    long i, gsl_rng *rw, struct fc_workload *w)
{
	gsl_rng_set(rw, trial_seed(o->seed, i, 1));
	fc_workload_draw(in, rw, w);
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

void
fc_mc_trial_hw_speed(const struct fc_hw *h, const struct fc_inputs *in,
    struct fc_throughput *tp)
{
	double d0 = h->eta_decode * h->mem_bandwidth_gbs, p0 = h->eta_prefill * h->compute_gflops;
	double fd, fp;

	if (tp->basis != FC_CAP_ROOFLINE || !(d0 > 0) || !(p0 > 0))
		return;
	fd = in->hw_eta_decode * in->hw_bw_gbs / d0;
	fp = in->hw_eta_prefill * in->hw_gflops / p0;
	if (fd != 1 && fd > 0)
		tp->bw_eff_gbs *= fd;
	if (fp != 1 && fp > 0) {
		tp->compute_eff_gflops *= fp;
		tp->prefill_tok_s *= fp;
	}
}

/* The drawn speed tp of the server of mean speed tp0 as a ratio to it:
 * decode's, else prefill's; 1 without a spread. */
static double
trial_speed_factor(const struct fc_throughput *tp0, const struct fc_throughput *tp)
{
	if (tp0->decode_cv > 0)
		return tp->decode_scale / (tp0->decode_scale > 0 ? tp0->decode_scale : 1);
	if (tp0->prefill_cv > 0 && tp0->prefill_tok_s > 0)
		return tp->prefill_tok_s / tp0->prefill_tok_s;
	return 1;
}

struct job {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	const struct fc_throughput *tp;
	double *samples;        /* trials x nfig */
	double *breakeven;      /* trials x 2: lasting and first, NaN when none */
	double *viable;         /* trials: 1 or 0 */
	double be_from, be_to;  /* the user counts searched */
	double *draws;          /* trials x fc_inputs_mc_n; NULL: not kept */
	double *msamples;       /* trials x months x FC_MF_N, or NULL */
	double *payback;        /* trials, NaN when none within the months */
};

/* A thread's generators: inputs, traffic, the months' traffic. */
struct rngs {
	gsl_rng *r, *rw, *rm;
};

static void
rngs_free(void *state)
{
	struct rngs *g = state;

	gsl_rng_free(g->r);
	gsl_rng_free(g->rw);
	gsl_rng_free(g->rm);
	fc_free(g);
}

static void *
rngs_new(void *ctx)
{
	struct rngs *g = fc_calloc(1, sizeof(*g));

	(void)ctx;
	if (g == NULL)
		return NULL;
	g->r = gsl_rng_alloc(gsl_rng_taus2);
	g->rw = gsl_rng_alloc(gsl_rng_taus2);
	g->rm = gsl_rng_alloc(gsl_rng_taus2);
	if (g->r == NULL || g->rw == NULL || g->rm == NULL) {
		rngs_free(g);
		return NULL;
	}
	return g;
}

/* Trials lo..hi-1 (fc_pool's run). */
static enum fc_status
run_block(void *ctx, void *state, long lo, long hi)
{
	struct job *j = ctx;
	struct rngs *g = state;
	gsl_rng *r = g->r, *rw = g->rw, *rm = g->rm;
	long i, nm = j->o->months;
	size_t k;

	{
		for (i = lo; i < hi; i++) {
			struct fc_inputs in;
			struct fc_workload w;
			struct fc_costs c;
			struct fc_breakeven b;
			struct fc_throughput tp;
			enum fc_status st;

			fc_mc_trial_inputs(j->s, j->o, i, r, &in);
			fc_mc_trial_workload(&in, j->o, i, rw, &w);
			fc_mc_trial_throughput(j->tp, j->o, i, &tp);
			in.speed_factor = trial_speed_factor(j->tp, &tp);
			fc_mc_trial_hw_speed(&j->s->flat.hw, &in, &tp);
			if (j->draws)
				keep_draws(&in, j->draws, i);
			st = fc_cost_eval(j->s, &in, &w, &tp, &c);
			b.first = b.lasting = NAN;
			if (st == FC_OK && !j->o->no_breakeven)
				st = fc_breakeven_first_lasting(j->s, &in, &tp, j->be_from,
				    j->be_to, &b);
			if (st == FC_OK && nm > 0) {
				gsl_rng_set(rm, trial_seed(j->o->seed + MONTHS_SEED, i, 1));
				st = trial_months(j->s, &in, &tp, isnan(j->o->users), nm, rm,
				    j->msamples + (size_t)i * (size_t)nm * FC_MF_N, &j->payback[i]);
			}
			if (st != FC_OK)
				return st;
			c.breakeven_users = b.lasting;
			for (k = 0; k < fc_nfigures; k++)
				j->samples[(size_t)i * fc_nfigures + k] = fc_figure_get(&c, k);
			j->breakeven[2 * i] = b.lasting;
			j->breakeven[2 * i + 1] = b.first;
			j->viable[i] = c.viable;
		}
	}
	return FC_OK;
}

/* The byte of an order-preserving key of a double (the sign bit flipped
 * for numbers >= 0, every bit for negative ones) that a pass sorts on. */
static unsigned
key_byte(double x, int pass)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	u = u >> 63 ? ~u : u | 0x8000000000000000ull;
	return (unsigned)(u >> (8 * pass)) & 0xFF;
}

/*
 * Sorts v[0..n) (no NaN) ascending: a least-significant-byte radix sort
 * of the keys, eight stable passes (a pass whose byte is the same in
 * every value is skipped), O(n) where gsl_sort's heapsort was O(n log n).
 * Values that compare equal have the same bits (but 0 and -0, -0 first),
 * so the order is the one any sort gives.  tmp is the caller's scratch
 * of n values (no allocation here, so no failure to hide); without one,
 * gsl_sort.
 */
static void
sort_doubles(double *v, size_t n, double *tmp)
{
	double *src = v, *dst;
	size_t cnt[256], i;
	int pass, b;

	if (n < 64 || tmp == NULL) {
		gsl_sort(v, 1, n);
		return;
	}
	dst = tmp;
	for (pass = 0; pass < 8; pass++) {
		size_t sum = 0;
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[key_byte(src[i], pass)]++;
		if (cnt[key_byte(src[0], pass)] == n)
			continue;
		for (b = 0; b < 256; b++) {
			size_t c = cnt[b];
			cnt[b] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[key_byte(src[i], pass)]++] = src[i];
		src = dst;
		dst = src == v ? tmp : v;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(double));
}

void
fc_mc_stat(double *v, size_t n, struct fc_stat *st)
{
	fc_mc_stat_scratch(v, n, NULL, st);
}

void
fc_mc_stat_scratch(double *v, size_t n, double *tmp, struct fc_stat *st)
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
	sort_doubles(v, m, tmp);
	st->p5 = fc_stats_quantile_sorted(v, m, 0.05);
	st->p50 = fc_stats_quantile_sorted(v, m, 0.50);
	st->p95 = fc_stats_quantile_sorted(v, m, 0.95);
	st->p99 = fc_stats_quantile_sorted(v, m, 0.99);
}

double
fc_mc_bytes(long trials, long months)
{
	/* the samples, one column being sorted and its scratch, the
	 * breakeven of each trial, the statistics' columns and scratch
	 * (STAT_THREADS); the month figures and the payback month of each
	 * trial */
	return (double)trials * ((double)(fc_nfigures + 3 + 2 * STAT_THREADS) +
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
	double cum, top = 0;
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
		cum += c.savings - setup_cost(&in, &c, &top);
		month_row(v, &in, &c, cum);
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
	double *tmp = col + o->trials;	/* the sort's scratch: col is 2 x trials */
	long i, m, nm = o->months;
	size_t k;

	for (m = 0; m < nm; m++)
		for (k = 0; k < FC_MF_N; k++) {
			for (i = 0; i < o->trials; i++)
				col[i] = ms[((size_t)i * (size_t)nm + (size_t)m) * FC_MF_N + k];
			fc_mc_stat_scratch(col, (size_t)o->trials, tmp, &mo->stat[m][k]);
		}
	memcpy(col, payback, (size_t)o->trials * sizeof(double));
	fc_mc_stat_scratch(col, (size_t)o->trials, tmp, &mo->payback);
	mo->p_payback = mo->payback.n / (double)o->trials;
}

/* fc_mc_run's first step: the figures, the breakeven (or only the
 * viability) and the months at the means; the user counts the breakeven
 * is searched over into *from, *to.  r is freed on failure. */
static enum fc_status
run_means(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r, double *from, double *to)
{
	struct fc_workload w;
	enum fc_status st;

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
	*from = o->breakeven_from > 0 ? o->breakeven_from : 1;
	*to = o->breakeven_to > 0 ? o->breakeven_to : FC_MC_BREAKEVEN_MAX_USERS;
	if (o->no_breakeven) {
		r->breakeven.first = r->breakeven.lasting = NAN;
		r->breakeven.searched_from = *from;
		r->breakeven.searched_to = *to;
		if ((st = fc_breakeven_viability_eval(s, &r->in, &r->tp, &r->breakeven.viability)) != FC_OK)
			return st;
	} else if ((st = fc_breakeven_eval(s, &r->in, &r->tp, *from, *to,
	    &r->breakeven)) != FC_OK) {
		return st;
	}
	r->det.breakeven_users = r->breakeven.lasting;
	return months_det(s, o, r);
}

/* The job's and r's per-trial arrays and a column for the statistics
 * (*col); FC_ENOMEM when one is missing (the caller frees them all). */
static enum fc_status
alloc_trials(const struct fc_mc_opts *o, struct fc_mc_result *r, struct job *j,
    double **col)
{
	r->samples = fc_malloc((size_t)o->trials * fc_nfigures * sizeof(double));
	j->breakeven = fc_malloc((size_t)o->trials * 2 * sizeof(double));
	j->viable = fc_malloc((size_t)o->trials * sizeof(double));
	*col = fc_malloc((size_t)o->trials * 2 * sizeof(double));
	if (o->months > 0) {
		j->msamples = fc_malloc((size_t)o->trials * (size_t)o->months * FC_MF_N *
		    sizeof(double));
		j->payback = fc_malloc((size_t)o->trials * sizeof(double));
	}
	if (o->keep_draws && (j->draws = r->draws =
	    fc_malloc((size_t)o->trials * fc_inputs_mc_n * sizeof(double))) == NULL)
		return FC_ENOMEM;
	if (r->samples == NULL || j->breakeven == NULL || j->viable == NULL ||
	    *col == NULL || (o->months > 0 && (j->msamples == NULL || j->payback == NULL)))
		return FC_ENOMEM;
	j->samples = r->samples;
	return FC_OK;
}

/* Runs the job's trials on o->threads threads (pool.h). */
static enum fc_status
run_trials(const struct fc_mc_opts *o, struct job *j)
{
	struct fc_pool p;

	memset(&p, 0, sizeof(p));
	p.n = o->trials;
	p.threads = o->threads;
	p.init = rngs_new;
	p.fini = rngs_free;
	p.run = run_block;
	p.ctx = j;
	p.progress = o->progress;
	p.progress_ctx = o->progress_ctx;
	p.cancel = o->cancel;
	return fc_pool_run(&p);
}

/* The figures' statistics, a figure at a time on at most STAT_THREADS
 * threads (figure_stats): each sorts in a column of its own (2 x trials
 * doubles). */
struct stat_job {
	const struct fc_mc_opts *o;
	struct fc_mc_result *r;
};

static void *
stat_col_new(void *ctx)
{
	const struct stat_job *sj = ctx;

	return fc_malloc((size_t)sj->o->trials * 2 * sizeof(double));
}

static void
stat_col_free(void *state)
{
	fc_free(state);
}

static enum fc_status
stat_block(void *ctx, void *state, long lo, long hi)
{
	const struct stat_job *sj = ctx;
	double *col = state;
	long k, i, n = sj->o->trials;

	for (k = lo; k < hi; k++) {
		for (i = 0; i < n; i++)
			col[i] = sj->r->samples[(size_t)i * fc_nfigures + (size_t)k];
		fc_mc_stat_scratch(col, (size_t)n, col + n, &sj->r->stats[k]);
	}
	return FC_OK;
}

/* Every figure's statistics, and the shares of trials where flat is
 * cheaper and viable, in trial order: the same whatever the threads did. */
static enum fc_status
figure_stats(const struct fc_mc_opts *o, const struct job *j, struct fc_mc_result *r)
{
	struct stat_job sj = { o, r };
	struct fc_pool p;
	size_t k, kf = 0, ka = 0;
	long i, cheaper = 0, viable = 0;
	enum fc_status st;

	memset(&p, 0, sizeof(p));
	p.n = (long)fc_nfigures;
	p.block = 1;
	p.threads = o->threads < STAT_THREADS ? o->threads : STAT_THREADS;
	p.init = stat_col_new;
	p.fini = stat_col_free;
	p.run = stat_block;
	p.ctx = &sj;
	if ((st = fc_pool_run(&p)) != FC_OK)
		return st;
	for (k = 0; k < fc_nfigures; k++) {
		if (strcmp(fc_figures[k].key, "flat.monthly_cost") == 0)
			kf = k;
		if (strcmp(fc_figures[k].key, "api.monthly_cost") == 0)
			ka = k;
	}
	for (i = 0; i < o->trials; i++) {
		cheaper += fc_breakeven_flat_cheaper(r->samples[(size_t)i * fc_nfigures + kf],
		    r->samples[(size_t)i * fc_nfigures + ka], j->viable[i] != 0);
		viable += j->viable[i] != 0;
	}
	r->p_flat_cheaper = (double)cheaper / (double)o->trials;
	r->p_viable = (double)viable / (double)o->trials;
	return FC_OK;
}

/* The breakeven's statistics over every trial, and their lasting
 * breakevens kept in r. */
static enum fc_status
breakeven_stats(const struct fc_mc_opts *o, const struct job *j, double *col,
    struct fc_mc_result *r)
{
	double *tmp = col + o->trials;
	long i, nb;

	if (o->no_breakeven) {
		fc_mc_stat_scratch(col, 0, tmp, &r->breakeven_stat);
		fc_mc_stat_scratch(col, 0, tmp, &r->first_stat);
		return FC_OK;
	}
	nb = o->trials;
	if ((r->trial_lasting = fc_malloc((size_t)nb * sizeof(double))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < nb; i++)
		col[i] = r->trial_lasting[i] = j->breakeven[2 * i];
	fc_mc_stat_scratch(col, (size_t)nb, tmp, &r->breakeven_stat);
	for (i = 0; i < nb; i++)
		col[i] = j->breakeven[2 * i + 1];
	fc_mc_stat_scratch(col, (size_t)nb, tmp, &r->first_stat);
	r->breakeven_trials = nb;
	r->p_breakeven_found = r->breakeven_stat.n / (double)nb;
	if (o->keep_draws) {
		/* the trials' lasting breakevens, owned by r */
		if ((r->breakeven_samples = fc_malloc((size_t)nb * sizeof(double))) == NULL)
			return FC_ENOMEM;
		memcpy(r->breakeven_samples, r->trial_lasting, (size_t)nb * sizeof(double));
	}
	return FC_OK;
}

enum fc_status
fc_mc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_mc_result *r)
{
	struct job j;
	double *col = NULL;
	enum fc_status st;

	memset(r, 0, sizeof(*r));
	memset(&j, 0, sizeof(j));
	if ((st = run_means(s, o, r, &j.be_from, &j.be_to)) != FC_OK)
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
	st = alloc_trials(o, r, &j, &col);
	if (st == FC_OK)
		st = run_trials(o, &j);
	if (st != FC_OK)
		goto out;
	if ((st = figure_stats(o, &j, r)) != FC_OK ||
	    (st = breakeven_stats(o, &j, col, r)) != FC_OK)
		goto out;
	if (o->months > 0) {
		months_stats(o, j.msamples, j.payback, col, r->months);
		r->months->payback_samples = j.payback;
		j.payback = NULL;
	}
out:
	fc_free(col);
	fc_free(j.breakeven);
	fc_free(j.msamples);
	fc_free(j.payback);
	fc_free(j.viable);
	if (st != FC_OK)
		fc_mc_result_free(r);
	return st;
}

double
fc_mc_sample_top10(double share, long users, unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double *w = fc_malloc((size_t)(users > 0 ? users : 1) * sizeof(double));
	double sg = fc_inputs_top10_sigma(share), total = 0, top = 0;
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
	qsort(w, (size_t)users, sizeof(double), fc_stats_cmp_double_desc);
	for (i = 0; i < k; i++)
		top += w[i];
	gsl_rng_free(r);
	fc_free(w);
	return top / total;
}
