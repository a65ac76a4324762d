/*
 * compare.c: the options of a scenario on common random numbers (see
 * compare.h).
 *
 * Each flat option gets a shallow copy of the scenario with its hardware
 * and model in place (the copies borrow every pointer of the scenario and
 * the catalog and are never freed as scenarios), so that the cost model
 * evaluates it exactly as it would the scenario edited by --set.  Trials
 * are split into blocks that threads take in turn; every value is stored
 * by trial index and the statistics are taken in trial order, so the
 * thread count changes nothing.
 */
#include "compare.h"
#include "pool.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BREAKEVEN_MAX_USERS FC_MC_BREAKEVEN_MAX_USERS

long
fc_compare_figure_for(long k, enum fc_cmp_kind kind)
{
	const char *f, *arch = kind == FC_CMP_API ? "api" : "api_routed";
	char key[96];
	size_t at;

	if (k < 0 || (size_t)k >= fc_nfigures)
		return -1;
	if (kind == FC_CMP_FLAT)
		return k;
	f = fc_figures[k].key;
	/* "flat" as a whole dotted component: flat.x or x.flat */
	if (strncmp(f, "flat.", 5) == 0) {
		snprintf(key, sizeof(key), "%s.%s", arch, f + 5);
	} else {
		at = strlen(f);
		if (at < 5 || strcmp(f + at - 5, ".flat") != 0)
			return -1;
		snprintf(key, sizeof(key), "%.*s.%s", (int)(at - 5), f, arch);
	}
	return fc_figure_index(key);
}

static void
scenario_with(const struct fc_scenario *s, const struct fc_cmp_option *op,
    struct fc_scenario *sc)
{
	memcpy(sc, s, sizeof(*sc));
	sc->flat.hw = *op->hw;
	sc->flat.model = *op->model;
	sc->flat.quant = op->quant;
	sc->flat.model_ref = (char *)op->ref;
}

/*
 * The viability of a flat option at the scenario's means: 1, or 0 with
 * reason filled ("does not fit ...", "SLO impossible ...", "no server
 * count meets the SLO ...").  sc is the scenario with the option's
 * hardware and model in place (see fc_compare_run); tp its throughput.
 * Kept apart so that a shared viability definition can replace it.
 */
static int
option_viable(const struct fc_scenario *sc,
    const struct fc_throughput *tp, long month, char *reason, size_t len)
{
	const struct fc_hw *h = &sc->flat.hw;
	struct fc_fit fit;
	struct fc_inputs in;
	struct fc_workload w;
	struct fc_capacity cap;
	struct fc_fleet f;

	if (!fc_scenario_fits(sc, h, &sc->flat.model, sc->flat.quant, &fit)) {
		snprintf(reason, len, "does not fit: %.2f GB of weights + %.2f GB of KV cache%s "
		    "need more than the %g GB of %s", fit.weights_gb, fit.kv_gb,
		    h->gpu ? "" : " + OS overhead", fit.have_gb, h->gpu ? "VRAM" : "RAM");
		return 0;
	}
	if (sc->flat.hourly && !(h->hourly_price > 0)) {
		snprintf(reason, len, "billing: hourly needs an hourly price, and %s has none",
		    h->id);
		return 0;
	}
	fc_inputs_mean(sc, month, &in);
	fc_workload_mean(&in, &w);
	if (fc_capacity_eval_slo(sc, &in, tp, fc_inputs_input_tokens(&in), in.output_tokens,
	    &cap) != FC_OK) {
		snprintf(reason, len, "no capacity: the throughput model has no answer");
		return 0;
	}
	if (!cap.slo_feasible) {
		snprintf(reason, len, "SLO impossible: one call alone takes %.3g s, "
		    "over the %.3g s SLO", cap.single_call_s, in.slo_s);
		return 0;
	}
	if (fc_fleet_plan(sc, &in, &cap, w.calls / (in.days * FC_SECONDS_PER_DAY), &f) != FC_OK ||
	    !f.slo_feasible) {
		snprintf(reason, len, "no server count meets the SLO: a call on a busy "
		    "server takes %.3g s at P95, over the %.3g s SLO", f.s95, in.slo_s);
		return 0;
	}
	reason[0] = '\0';
	return 1;
}

/* The API's figures (the flat ones left at zero). */
static void
api_costs(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_workload *w, struct fc_costs *c)
{
	fc_api_costs(s, in, w, c);
	c->call_latency_s = NAN;
}

/* The figure table: compare's figure f for each kind of option, by its
 * key in fc_figures[] (and in compare's JSON). */
static const char *const fig_keys[3][FC_CMP_NFIGS] = {
	[FC_CMP_FLAT] = { "flat.servers", "flat.monthly_cost", "per_user.flat",
	    "capacity.call_latency_s", NULL, NULL, "latency.call.p95_s" },
	[FC_CMP_API] = { NULL, "api.monthly_cost", "per_user.api", NULL, NULL, NULL },
	[FC_CMP_API_ROUTED] = { NULL, "api_routed.monthly_cost", "per_user.api_routed",
	    NULL, "api_routed.shares_clipped", NULL },
};

const char *
fc_compare_figure_key(enum fc_cmp_kind kind, int f)
{
	if ((int)kind < 0 || kind > FC_CMP_API_ROUTED || f < 0 || f >= FC_CMP_NFIGS)
		return NULL;
	return fig_keys[kind][f];
}

static double
stat_pick(const struct fc_stat *st, int which)
{
	switch (which) {
	case 1: return st->p5;
	case 2: return st->p50;
	case 3: return st->p95;
	case 4: return st->p99;
	default: return st->mean;
	}
}

/* Figure f of the costs c for an option of kind (the API has no servers:
 * 0). */
static double
figure_of(enum fc_cmp_kind kind, int f, const struct fc_costs *c)
{
	const char *k = fc_compare_figure_key(kind, f);

	if (k)
		return fc_figure_get(c, (size_t)fc_figure_index(k));
	return f == FC_CMP_SERVERS ? 0 : NAN;
}

double
fc_compare_value(const struct fc_cmp_option *op, int f, int stat, int deterministic)
{
	if (!op->viable || op->raced_out || f < 0 || f >= FC_CMP_NFIGS)
		return NAN;
	if (f == FC_CMP_RANK && deterministic)
		return op->rank_value;
	if (deterministic)
		return figure_of(op->kind, f, &op->det);
	return stat_pick(&op->stats[f], stat);
}

/* The job: the options run in this pass (idx[0..nrun)), their figures
 * into samples (all of them, or with rank_only the ranked figure). */
struct job {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	const struct fc_scenario *sc;   /* n option scenarios (flat ones) */
	const int *redraw;              /* n: option draws its own inputs */
	struct fc_cmp_option *opts;
	long rank_fig[3];               /* by enum fc_cmp_kind */
	const size_t *idx;              /* the options of this pass */
	size_t nrun;
	long trials;                    /* trials of this pass: 0..trials-1 */
	int rank_only;
	double *samples;                /* (r * nfig + f) * trials + i, r in 0..nrun */
};

static void
keep(struct job *j, size_t r, long i, const struct fc_costs *c)
{
	const struct fc_cmp_option *op = &j->opts[j->idx[r]];
	size_t t = (size_t)j->trials;
	long rf = j->rank_fig[op->kind];
	double rv = rf >= 0 ? fc_figure_get(c, (size_t)rf) : NAN;
	double *v;
	int f;

	if (j->rank_only) {
		j->samples[r * t + (size_t)i] = rv;
		return;
	}
	v = j->samples + r * FC_CMP_NFIGS * t + (size_t)i;
	for (f = 0; f < FC_CMP_NFIGS; f++)
		v[(size_t)f * t] = f == FC_CMP_RANK ? rv : figure_of(op->kind, f, c);
}

/* A thread's generators: inputs and traffic. */
struct rngs {
	gsl_rng *r, *rw;
};

static void
rngs_free(void *state)
{
	struct rngs *g = state;

	gsl_rng_free(g->r);
	gsl_rng_free(g->rw);
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
	if (g->r == NULL || g->rw == NULL) {
		rngs_free(g);
		return NULL;
	}
	return g;
}

static enum fc_status
trial(struct job *j, long i, gsl_rng *r, gsl_rng *rw)
{
	struct fc_inputs in, ink;
	struct fc_workload w;
	struct fc_costs c;
	struct fc_throughput tp;
	enum fc_status st;
	size_t q;

	fc_mc_trial_inputs(j->s, j->o, i, r, &in);
	fc_mc_trial_workload(&in, j->o, i, rw, &w);
	for (q = 0; q < j->nrun; q++) {
		size_t k = j->idx[q];
		struct fc_cmp_option *op = &j->opts[k];
		if (op->kind != FC_CMP_FLAT) {
			api_costs(j->s, &in, &w, &c);
		} else {
			ink = in;
			if (j->redraw[k]) {
				fc_mc_trial_inputs(&j->sc[k], j->o, i, r, &ink);
			} else {
				/* the option's own server numbers (constants here) */
				fc_inputs_hw(&j->sc[k].flat.hw, NULL, &ink);
			}
			ink.fast = 1;
			ink.want_latency = 1;   /* the peak-hour call P95 column */
			fc_mc_trial_throughput(&op->tp, j->o, i, &tp);
			fc_mc_trial_hw_speed(&j->sc[k].flat.hw, &ink, &tp);
			if ((st = fc_cost_eval(&j->sc[k], &ink, &w, &tp, &c)) != FC_OK)
				return st;
		}
		keep(j, q, i, &c);
	}
	return FC_OK;
}

/* Trials lo..hi-1 (fc_pool's run). */
static enum fc_status
run_block(void *ctx, void *state, long lo, long hi)
{
	struct rngs *g = state;
	enum fc_status st = FC_OK;
	long i;

	for (i = lo; i < hi && st == FC_OK; i++)
		st = trial(ctx, i, g->r, g->rw);
	return st;
}

/* Runs the job's trials on o->threads threads (pool.h); progress counts
 * from base out of total trials. */
static enum fc_status
run_trials(struct job *j, long base, long total)
{
	struct fc_pool p;

	memset(&p, 0, sizeof(p));
	p.n = j->trials;
	p.threads = j->o->threads;
	p.init = rngs_new;
	p.fini = rngs_free;
	p.run = run_block;
	p.ctx = j;
	p.progress = j->o->progress;
	p.progress_ctx = j->o->progress_ctx;
	p.progress_base = base;
	p.progress_total = total;
	p.cancel = j->o->cancel;
	return fc_pool_run(&p);
}

/* Whether option x goes before option y: the better value, then the
 * earlier option. */
static int
before(const struct fc_cmp_option *opts, size_t x, size_t y, int desc)
{
	double vx = opts[x].rank_value, vy = opts[y].rank_value;

	if (vx != vy)
		return desc ? vx > vy : vx < vy;
	return x < y;
}

static enum fc_status
rank_options(struct fc_cmp_option *opts, size_t n, const struct fc_cmp_rank *rk)
{
	size_t *idx = fc_malloc((n ? n : 1) * sizeof(*idx)), m = 0, k, i;
	int desc = strncmp(fc_figures[rk->fig].key, "savings.", 8) == 0;

	if (idx == NULL)
		return FC_ENOMEM;
	for (k = 0; k < n; k++) {
		opts[k].rank = 0;
		if (!opts[k].viable || opts[k].raced_out || !isfinite(opts[k].rank_value))
			continue;
		/* insertion sort: a few hundred options at most */
		for (i = m; i > 0 && before(opts, k, idx[i - 1], desc); i--)
			idx[i] = idx[i - 1];
		idx[i] = k;
		m++;
	}
	for (k = 0; k < m; k++)
		opts[idx[k]].rank = (long)k + 1;
	fc_free(idx);
	return FC_OK;
}

/* The mean inputs and traffic of scenario s (o->users honoured). */
static void
means_of(const struct fc_scenario *s, const struct fc_mc_opts *o, struct fc_inputs *in,
    struct fc_workload *w)
{
	fc_inputs_mean(s, o->month, in);
	if (!isnan(o->users))
		in->users = o->users;
	fc_workload_mean(in, w);
}

/* Everything at the means but the breakeven: viability and the figures. */
static enum fc_status
at_means(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_scenario *sc, struct fc_cmp_option *op)
{
	struct fc_inputs in;
	struct fc_workload w;
	struct fc_viability v;
	enum fc_status st;

	op->breakeven_users = NAN;
	op->rank_value = NAN;
	op->raced_out = 0;
	memset(&op->det, 0, sizeof(op->det));
	if (op->kind != FC_CMP_FLAT) {
		means_of(s, o, &in, &w);
		api_costs(s, &in, &w, &op->det);
		op->viable = op->kind == FC_CMP_API || s->route.n > 0;
		snprintf(op->reason, sizeof(op->reason), op->viable ? "" : "no api.route");
		return FC_OK;
	}
	scenario_with(s, op, sc);
	fc_throughput_init(&sc->flat.hw, &sc->flat.model, sc->flat.quant,
	    sc->flat.model_ref, &op->tp);
	op->viable = option_viable(sc, &op->tp, o->month, op->reason,
	    sizeof(op->reason));
	if (!op->viable)
		return FC_OK;
	means_of(sc, o, &in, &w);
	if ((st = fc_cost_eval(sc, &in, &w, &op->tp, &op->det)) != FC_OK)
		return st;
	/* one viability definition (breakeven.h) */
	if ((st = fc_breakeven_viability_eval(sc, &in, &op->tp, &v)) != FC_OK)
		return st;
	if (!v.viable) {
		op->viable = 0;
		fc_breakeven_viability_text(sc, &v, op->reason, sizeof(op->reason));
	}
	return FC_OK;
}

/* A viable flat option's lasting breakeven at the means (breakeven.h):
 * the search for first and lasting only, whose lasting is the whole
 * search's. */
static enum fc_status
breakeven_at_means(const struct fc_mc_opts *o, const struct fc_scenario *sc,
    struct fc_cmp_option *op)
{
	struct fc_inputs in;
	struct fc_workload w;
	struct fc_breakeven b;
	enum fc_status st;

	means_of(sc, o, &in, &w);
	if ((st = fc_breakeven_first_lasting(sc, &in, &op->tp, 1, BREAKEVEN_MAX_USERS,
	    &b)) != FC_OK)
		return st;
	op->breakeven_users = b.lasting;
	return FC_OK;
}

/* Whether option op draws another fallback share than the scenario's own
 * model (share_by_model): then its inputs are drawn again for it. */
static int
own_fallback(const struct fc_scenario *s, const struct fc_cmp_option *op, long month)
{
	return fc_scenario_fallback_for(s, op->model, op->quant, month) !=
	    fc_scenario_fallback(s, month);
}

/*
 * Whether option x (its batch values xv in trial order, xs sorted) is
 * beyond the leader (lv, ls) by more than the sampling error (compare.h),
 * on b trials with no NaN.  On common random numbers the two estimates
 * move together, so the error is that of their difference: for the mean,
 * FC_CMP_RACE_Z standard errors of the mean of the trials' differences;
 * for a percentile, its rank is uncertain by FC_CMP_RACE_Z sqrt(b p (1 - p))
 * and x must be beyond the leader at every rank within that.
 */
static int
beyond(const double *xv, const double *xs, const double *lv, const double *ls,
    size_t b, int stat, int desc)
{
	static const double pct[] = { 0, 0.05, 0.50, 0.95, 0.99 };
	double sg = desc ? -1 : 1, sum = 0, sum2 = 0, m, sd, p, h, lo, hi;
	size_t i;

	if (stat < 1 || stat > 4) {
		for (i = 0; i < b; i++)
			sum += sg * (xv[i] - lv[i]);
		m = sum / (double)b;
		for (i = 0; i < b; i++)
			sum2 += (sg * (xv[i] - lv[i]) - m) * (sg * (xv[i] - lv[i]) - m);
		sd = sqrt(sum2 / (double)(b - 1));
		return m - FC_CMP_RACE_Z * sd / sqrt((double)b) > 0;
	}
	p = pct[stat];
	h = FC_CMP_RACE_Z * sqrt((double)b * p * (1 - p));
	lo = floor((double)(b - 1) * p - h);
	hi = ceil((double)(b - 1) * p + h);
	if (lo < 0 || hi > (double)(b - 1))
		return 0;   /* too few trials to bracket it: never raced out */
	for (i = (size_t)lo; i <= (size_t)hi; i++)
		if (!(sg * (xs[i] - ls[i]) > 0))
			return 0;
	return 1;
}

/* Stops option op: no figures (NaN), not ranked. */
static void
raced_out(struct fc_cmp_option *op)
{
	size_t f;

	op->raced_out = 1;
	for (f = 0; f < FC_CMP_NFIGS; f++) {
		struct fc_stat *st = &op->stats[f];
		st->mean = st->sd = st->p5 = st->p50 = st->p95 = st->p99 = NAN;
		st->n = 0;
	}
}

/* The first FC_CMP_RACE_BATCH trials of every viable server option with a
 * ranked figure; those beyond the leader get raced_out (compare.h). */
static enum fc_status
race(struct job *j, const struct fc_cmp_rank *rk, size_t n, size_t *idx)
{
	struct fc_cmp_option *opts = j->opts;
	int desc = strncmp(fc_figures[rk->fig].key, "savings.", 8) == 0;
	double *sorted = NULL, *est = NULL, lead = NAN;
	size_t k, q, m = 0, b = FC_CMP_RACE_BATCH, ql = 0;
	enum fc_status st;

	for (k = 0; k < n; k++)
		if (opts[k].viable && opts[k].kind == FC_CMP_FLAT && j->rank_fig[FC_CMP_FLAT] >= 0)
			idx[m++] = k;
	if (m < 2)
		return FC_OK;
	j->idx = idx;
	j->nrun = m;
	j->trials = (long)b;
	j->rank_only = 1;
	est = fc_malloc(m * sizeof(double));
	sorted = fc_malloc(m * b * sizeof(double));
	if ((j->samples = fc_malloc(m * b * sizeof(double))) == NULL || est == NULL ||
	    sorted == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	if ((st = run_trials(j, 0, (long)b + j->o->trials)) != FC_OK)
		goto out;
	/* the leader: the best estimate among the options with a value in
	 * every trial of the batch */
	for (q = 0; q < m; q++) {
		struct fc_stat sq;
		double *v = sorted + q * b;
		memcpy(v, j->samples + q * b, b * sizeof(double));
		fc_mc_stat(v, b, &sq);
		est[q] = sq.n == (double)b ? stat_pick(&sq, rk->stat) : NAN;
		if (isfinite(est[q]) && (isnan(lead) || (desc ? est[q] > lead : est[q] < lead))) {
			lead = est[q];
			ql = q;
		}
	}
	for (q = 0; q < m && !isnan(lead); q++)
		if (isfinite(est[q]) && q != ql &&
		    beyond(j->samples + q * b, sorted + q * b, j->samples + ql * b,
		    sorted + ql * b, b, rk->stat, desc))
			raced_out(&opts[idx[q]]);
out:
	fc_free(j->samples);
	j->samples = NULL;
	fc_free(est);
	fc_free(sorted);
	return st;
}

/* Every trial of the options that are viable and not raced out: their
 * statistics and ranked values. */
static enum fc_status
finish(struct job *j, const struct fc_cmp_rank *rk, size_t n, size_t *idx, long base)
{
	struct fc_cmp_option *opts = j->opts;
	size_t k, q, f, m = 0, t = (size_t)j->o->trials;
	double *col = NULL;
	enum fc_status st;

	for (k = 0; k < n; k++)
		if (opts[k].viable && !opts[k].raced_out)
			idx[m++] = k;
	j->idx = idx;
	j->nrun = m;
	j->trials = j->o->trials;
	j->rank_only = 0;
	col = fc_malloc(t * sizeof(double));
	if ((j->samples = fc_malloc((m ? m : 1) * FC_CMP_NFIGS * t * sizeof(double))) == NULL ||
	    col == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	if ((st = run_trials(j, base, base + j->o->trials)) != FC_OK)
		goto out;
	for (q = 0; q < m; q++) {
		struct fc_cmp_option *op = &opts[idx[q]];
		for (f = 0; f < FC_CMP_NFIGS; f++) {
			memcpy(col, j->samples + (q * FC_CMP_NFIGS + f) * t, t * sizeof(double));
			fc_mc_stat(col, t, &op->stats[f]);
		}
		op->rank_value = stat_pick(&op->stats[FC_CMP_RANK], rk->stat);
	}
out:
	fc_free(col);
	fc_free(j->samples);
	j->samples = NULL;
	return st;
}

/* Ranking by the breakeven at the means (compare.h): the ranked value of
 * every viable server option. */
static void
rank_by_breakeven(struct fc_cmp_option *opts, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		opts[k].rank_value = opts[k].viable && opts[k].kind == FC_CMP_FLAT ?
		    opts[k].breakeven_users : NAN;
}

/* The statistics over o->trials trials, raced when rk->race. */
static enum fc_status
monte_carlo(struct job *j, const struct fc_cmp_rank *rk, size_t n, int by_breakeven)
{
	size_t *idx = fc_malloc((n ? n : 1) * sizeof(*idx));
	long base = 0;
	enum fc_status st = FC_OK;

	if (idx == NULL)
		return FC_ENOMEM;
	if (rk->race && !by_breakeven && j->o->trials >= FC_CMP_RACE_MIN) {
		st = race(j, rk, n, idx);
		base = FC_CMP_RACE_BATCH;
	}
	if (st == FC_OK)
		st = finish(j, rk, n, idx, base);
	fc_free(idx);
	return st;
}

enum fc_status
fc_compare_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_rank *rk, struct fc_cmp_option *opts, size_t n)
{
	struct fc_scenario *sc = fc_calloc(n ? n : 1, sizeof(*sc));
	int *redraw = fc_calloc(n ? n : 1, sizeof(*redraw));
	struct job j;
	enum fc_status st = FC_OK;
	int by_breakeven;
	size_t k;

	memset(&j, 0, sizeof(j));
	if (rk->fig < 0 || (size_t)rk->fig >= fc_nfigures ||
	    (!o->deterministic && o->trials < 1)) {
		st = FC_ERANGE;
		goto out;
	}
	if (sc == NULL || redraw == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	by_breakeven = strcmp(fc_figures[rk->fig].key, "breakeven_users") == 0;
	for (k = 0; k < n && st == FC_OK; k++) {
		st = at_means(s, o, &sc[k], &opts[k]);
		if (opts[k].kind == FC_CMP_FLAT && opts[k].viable)
			redraw[k] = own_fallback(s, &opts[k], o->month) ||
			    fc_inputs_hw_uncertain(&sc[k].flat.hw);
	}
	if (st != FC_OK)
		goto out;
	for (k = 0; k < 3; k++)
		j.rank_fig[k] = by_breakeven ? -1 :
		    fc_compare_figure_for(rk->fig, (enum fc_cmp_kind)k);
	j.s = s;
	j.o = o;
	j.sc = sc;
	j.redraw = redraw;
	j.opts = opts;
	if (o->deterministic) {
		for (k = 0; k < n; k++) {
			long rf = j.rank_fig[opts[k].kind];
			if (opts[k].viable && rf >= 0)
				opts[k].rank_value = fc_figure_get(&opts[k].det, (size_t)rf);
		}
	} else if ((st = monte_carlo(&j, rk, n, by_breakeven)) != FC_OK) {
		goto out;
	}
	/* the breakeven of every option shown (not of those raced out) */
	for (k = 0; k < n && st == FC_OK; k++)
		if (opts[k].kind == FC_CMP_FLAT && opts[k].viable && !opts[k].raced_out)
			st = breakeven_at_means(o, &sc[k], &opts[k]);
	if (st != FC_OK)
		goto out;
	if (by_breakeven)
		rank_by_breakeven(opts, n);
	st = rank_options(opts, n, rk);
out:
	fc_free(redraw);
	fc_free(sc);
	return st;
}
