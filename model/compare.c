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

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BREAKEVEN_MAX_USERS FC_MC_BREAKEVEN_MAX_USERS
#define BLOCK 64

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
fc_compare_option_viable(const struct fc_scenario *sc,
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
	if (fc_capacity_eval(tp, fc_input_tokens(&in), in.output_tokens, in.slo_s,
	    sc->flat.slots, &cap) != FC_OK) {
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

struct job {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	const struct fc_scenario *sc;   /* n option scenarios (flat ones) */
	const int *redraw;              /* n: option draws its own inputs */
	struct fc_cmp_option *opts;
	size_t n;
	long rank_fig[3];               /* by enum fc_cmp_kind */
	double *samples;                /* (k * FC_CMP_NFIGS + f) * trials + i */
	long next, done;
	enum fc_status st;
	pthread_mutex_t mu;
};

static void
keep(struct job *j, size_t k, long i, const struct fc_costs *c)
{
	const struct fc_cmp_option *op = &j->opts[k];
	double *v = j->samples + k * FC_CMP_NFIGS * (size_t)j->o->trials + (size_t)i;
	size_t t = (size_t)j->o->trials;
	int api = op->kind != FC_CMP_FLAT, routed = op->kind == FC_CMP_API_ROUTED;
	long rf = j->rank_fig[op->kind];

	v[FC_CMP_SERVERS * t] = api ? 0 : c->servers;
	v[FC_CMP_COST * t] = routed ? c->routed_total : api ? c->api_total : c->flat_total;
	v[FC_CMP_PER_USER * t] = routed ? c->per_user_routed : api ? c->per_user_api :
	    c->per_user_flat;
	v[FC_CMP_LATENCY * t] = api ? NAN : c->call_latency_s;
	v[FC_CMP_CLIPPED * t] = routed ? c->routed_clipped : NAN;
	v[FC_CMP_RANK * t] = rf >= 0 ? fc_figure_get(c, (size_t)rf) : NAN;
	v[FC_CMP_CALL_P95 * t] = api ? NAN : c->call_p95_s;
}

static enum fc_status
trial(struct job *j, long i, gsl_rng *r, gsl_rng *rw)
{
	struct fc_inputs in, ink;
	struct fc_workload w;
	struct fc_costs c;
	struct fc_throughput tp;
	enum fc_status st;
	size_t k;

	fc_mc_trial_inputs(j->s, j->o, i, r, &in);
	fc_mc_trial_workload(&in, j->o, i, rw, &w);
	for (k = 0; k < j->n; k++) {
		struct fc_cmp_option *op = &j->opts[k];
		if (!op->viable)
			continue;
		if (op->kind != FC_CMP_FLAT) {
			api_costs(j->s, &in, &w, &c);
		} else {
			ink = in;
			if (j->redraw[k])
				fc_mc_trial_inputs(&j->sc[k], j->o, i, r, &ink);
			ink.fast = 1;
			ink.want_latency = 1;   /* the peak-hour call P95 column */
			fc_mc_trial_throughput(&op->tp, j->o, i, &tp);
			if ((st = fc_cost_eval(&j->sc[k], &ink, &w, &tp, &c)) != FC_OK)
				return st;
		}
		keep(j, k, i, &c);
	}
	return FC_OK;
}

static void *
worker(void *arg)
{
	struct job *j = arg;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng *rw = gsl_rng_alloc(gsl_rng_taus2);
	enum fc_status st = r && rw ? FC_OK : FC_ENOMEM;
	long i, lo, hi;

	while (st == FC_OK) {
		pthread_mutex_lock(&j->mu);
		lo = j->next;
		j->next += BLOCK;
		if (j->st != FC_OK || (j->o->cancel && *j->o->cancel))
			lo = j->o->trials;
		pthread_mutex_unlock(&j->mu);
		if (lo >= j->o->trials)
			break;
		hi = lo + BLOCK < j->o->trials ? lo + BLOCK : j->o->trials;
		for (i = lo; i < hi && st == FC_OK; i++)
			st = trial(j, i, r, rw);
		pthread_mutex_lock(&j->mu);
		j->done += hi - lo;
		pthread_mutex_unlock(&j->mu);
	}
	if (st != FC_OK) {
		pthread_mutex_lock(&j->mu);
		if (j->st == FC_OK)
			j->st = st;
		pthread_mutex_unlock(&j->mu);
	}
	gsl_rng_free(r);
	gsl_rng_free(rw);
	return NULL;
}

/* Runs the trials on o->threads threads, the calling thread reporting
 * progress while the others work. */
static enum fc_status
run_trials(struct job *j)
{
	const struct fc_mc_opts *o = j->o;
	pthread_t th[256];
	int t, nth = o->threads < 1 ? 1 : o->threads > 256 ? 256 : o->threads;
	long last = -1;

	if (nth > (o->trials + BLOCK - 1) / BLOCK)
		nth = (int)((o->trials + BLOCK - 1) / BLOCK);
	pthread_mutex_init(&j->mu, NULL);
	for (t = 1; t < nth; t++)
		if (pthread_create(&th[t], NULL, worker, j) != 0) {
			nth = t;
			break;
		}
	while (o->progress && nth > 1) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		long done;
		int end;
		pthread_mutex_lock(&j->mu);
		done = j->done;
		end = done >= o->trials || j->next >= o->trials || j->st != FC_OK;
		pthread_mutex_unlock(&j->mu);
		if (done != last)
			o->progress(o->progress_ctx, done, o->trials);
		last = done;
		if (end || (o->cancel && *o->cancel))
			break;
		nanosleep(&ts, NULL);
	}
	worker(j);
	for (t = 1; t < nth; t++)
		pthread_join(th[t], NULL);
	if (o->progress)
		o->progress(o->progress_ctx, j->done, o->trials);
	pthread_mutex_destroy(&j->mu);
	if (j->st == FC_OK && o->cancel && *o->cancel)
		return FC_ERANGE;
	return j->st;
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
		if (!opts[k].viable || !isfinite(opts[k].rank_value))
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

/* Everything at the means: viability, the figures, the breakeven. */
static enum fc_status
at_means(const struct fc_scenario *s, const struct fc_mc_opts *o,
    struct fc_scenario *sc, struct fc_cmp_option *op)
{
	struct fc_inputs in;
	struct fc_workload w;
	struct fc_breakeven b;
	enum fc_status st;

	op->breakeven_users = NAN;
	op->rank_value = NAN;
	memset(&op->det, 0, sizeof(op->det));
	if (op->kind != FC_CMP_FLAT) {
		fc_inputs_mean(s, o->month, &in);
		if (!isnan(o->users))
			in.users = o->users;
		fc_workload_mean(&in, &w);
		api_costs(s, &in, &w, &op->det);
		op->viable = op->kind == FC_CMP_API || s->route.n > 0;
		snprintf(op->reason, sizeof(op->reason), op->viable ? "" : "no api.route");
		return FC_OK;
	}
	scenario_with(s, op, sc);
	fc_throughput_init(&sc->flat.hw, &sc->flat.model, sc->flat.quant,
	    sc->flat.model_ref, &op->tp);
	op->viable = fc_compare_option_viable(sc, &op->tp, o->month, op->reason,
	    sizeof(op->reason));
	if (!op->viable)
		return FC_OK;
	fc_inputs_mean(sc, o->month, &in);
	if (!isnan(o->users))
		in.users = o->users;
	fc_workload_mean(&in, &w);
	if ((st = fc_cost_eval(sc, &in, &w, &op->tp, &op->det)) != FC_OK)
		return st;
	/* one breakeven definition (breakeven.h): the lasting one, which is
	 * also where a flat that cannot serve is found out */
	if ((st = fc_breakeven_eval(sc, &in, &op->tp, 1, BREAKEVEN_MAX_USERS, &b)) != FC_OK)
		return st;
	if (!b.viability.viable) {
		op->viable = 0;
		fc_viability_text(sc, &b.viability, op->reason, sizeof(op->reason));
		return FC_OK;
	}
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

enum fc_status
fc_compare_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_rank *rk, struct fc_cmp_option *opts, size_t n)
{
	struct fc_scenario *sc = fc_calloc(n ? n : 1, sizeof(*sc));
	int *redraw = fc_calloc(n ? n : 1, sizeof(*redraw));
	double *col = NULL;
	struct job j;
	enum fc_status st = FC_OK;
	size_t k, f, t;

	memset(&j, 0, sizeof(j));
	if (rk->fig < 0 || (size_t)rk->fig >= fc_nfigures) {
		st = FC_ERANGE;
		goto out;
	}
	if (sc == NULL || redraw == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	for (k = 0; k < n && st == FC_OK; k++) {
		st = at_means(s, o, &sc[k], &opts[k]);
		if (opts[k].kind == FC_CMP_FLAT && opts[k].viable)
			redraw[k] = own_fallback(s, &opts[k], o->month);
	}
	if (st != FC_OK)
		goto out;
	for (k = 0; k < 3; k++)
		j.rank_fig[k] = fc_compare_figure_for(rk->fig, (enum fc_cmp_kind)k);
	if (o->deterministic) {
		for (k = 0; k < n; k++) {
			long rf = j.rank_fig[opts[k].kind];
			if (opts[k].viable && rf >= 0)
				opts[k].rank_value = fc_figure_get(&opts[k].det, (size_t)rf);
		}
		st = rank_options(opts, n, rk);
		goto out;
	}
	if (o->trials < 1 || (size_t)rk->fig >= fc_nfigures) {
		st = FC_ERANGE;
		goto out;
	}
	t = (size_t)o->trials;
	j.s = s;
	j.o = o;
	j.sc = sc;
	j.redraw = redraw;
	j.opts = opts;
	j.n = n;
	j.st = FC_OK;
	j.samples = fc_malloc((n ? n : 1) * FC_CMP_NFIGS * t * sizeof(double));
	col = fc_malloc(t * sizeof(double));
	if (j.samples == NULL || col == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	if ((st = run_trials(&j)) != FC_OK)
		goto out;
	for (k = 0; k < n; k++) {
		if (!opts[k].viable)
			continue;
		for (f = 0; f < FC_CMP_NFIGS; f++) {
			memcpy(col, j.samples + (k * FC_CMP_NFIGS + f) * t, t * sizeof(double));
			fc_mc_stat(col, t, &opts[k].stats[f]);
		}
		opts[k].rank_value = stat_pick(&opts[k].stats[FC_CMP_RANK], rk->stat);
	}
	st = rank_options(opts, n, rk);
out:
	fc_free(col);
	fc_free(j.samples);
	fc_free(redraw);
	fc_free(sc);
	return st;
}
