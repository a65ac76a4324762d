/*
 * compare.h: every deployment option of a scenario (each hardware x model
 * pair, and the API) evaluated on the same trials, for `flatcost compare`.
 *
 * Common random numbers: trial i of every option uses the inputs and the
 * month's traffic that trial i of `flatcost simulate` draws (mc.h), so
 * an option's figures are, trial by trial, those of `simulate --set
 * flat.hardware=H --set flat.model=M`, and differences between options
 * are differences of the options, not of the draws.  The traffic, the
 * costly part of a draw, is drawn once per trial and shared; only the
 * inputs that depend on the option (the quality-fallback share, which
 * may differ by model) are drawn again for it.
 *
 * Viability is decided at the means, before any trial: an option that
 * does not fit in memory, or whose calls cannot meet the SLO however many
 * servers it has, is not evaluated and says why.
 *
 * Racing (struct fc_cmp_rank's race): the viable server options first run
 * a batch of FC_CMP_RACE_BATCH trials (the first ones, the same for every
 * option), on which each option's ranked statistic is estimated.  The
 * leader is the best; an option worse than the leader by more than the
 * sampling error of the difference (FC_CMP_RACE_Z standard errors; on
 * common random numbers the two estimates move together: for the mean,
 * of the mean of the trials' differences; for a percentile, worse at every
 * rank within FC_CMP_RACE_Z sqrt(n p (1 - p)) of the percentile's) is raced
 * out: it stops there, and keeps no figures (raced_out = 1, stats NaN,
 * rank 0).  Every other option then runs all the trials,
 * so the figures of each option that is kept are from every trial and
 * equal simulate's for it.
 */
#ifndef FC_COMPARE_H
#define FC_COMPARE_H

#include "mc.h"

enum fc_cmp_kind {
	FC_CMP_FLAT,        /* servers of one hardware running one model */
	FC_CMP_API,         /* the plain API of api.price */
	FC_CMP_API_ROUTED,  /* the routed API of api.route */
};

/* The figures kept for each option and trial. */
enum fc_cmp_fig {
	FC_CMP_SERVERS,     /* flat.servers (0 for the API) */
	FC_CMP_COST,        /* flat.monthly_cost, api.monthly_cost or
	                       api_routed.monthly_cost: USD/month */
	FC_CMP_PER_USER,    /* per_user.flat, .api or .api_routed: USD/user/month */
	FC_CMP_LATENCY,     /* capacity.call_latency_s: a mean call on a full server, s */
	FC_CMP_CLIPPED,     /* routed API: 1 when the trial's route shares summed over 1 */
	FC_CMP_RANK,        /* the figure options are ranked by */
	FC_CMP_CALL_P95,    /* latency.call.p95_s: a call's P95 in the peak hour at
	                       the option's fleet (simulate's figure), s */
	FC_CMP_NFIGS,
};

#define FC_CMP_REASON 256

struct fc_cmp_option {
	/* set by the caller */
	enum fc_cmp_kind kind;
	const struct fc_hw *hw;         /* FLAT: borrowed */
	const struct fc_model *model;   /* FLAT: borrowed */
	enum fc_quant quant;            /* FLAT */
	char ref[96];                   /* FLAT: "qwen2.5-7b-q4_k_m"; API: the price id;
	                                   API_ROUTED: the tiers' price ids */
	/* results */
	int viable;
	char reason[FC_CMP_REASON];     /* why not viable; "" when viable */
	struct fc_throughput tp;        /* FLAT */
	struct fc_costs det;            /* every figure at the means (viable only) */
	double breakeven_users;         /* FLAT: the lasting breakeven (breakeven.h) at the
	                                   means, users; NaN: none */
	struct fc_stat stats[FC_CMP_NFIGS]; /* over the trials (Monte Carlo only) */
	double rank_value;              /* the ranked statistic; NaN: not ranked */
	long rank;                      /* 1 = best; 0: not ranked */
	int raced_out;                  /* 1: stopped after the racing batch (no figures) */
};

/* What to rank by: an fc_figures[] index and a statistic (0 mean, 1 p5,
 * 2 p50, 3 p95, 4 p99, as fc_budget_stat_names).  A flat option is
 * ranked by the figure itself; the APIs by its counterpart (the key with
 * "api" or "api_routed" in place of "flat": api.monthly_cost for
 * flat.monthly_cost), and are left unranked when the figure has none.
 * Lowest first, except savings.* (highest first).
 *
 * breakeven_users is the option's lasting breakeven at the means (the
 * figure compare shows; trials do not search it, so the statistic does
 * not apply): the options with one are ranked, lowest first, and those
 * without one (none within FC_MC_BREAKEVEN_MAX_USERS users) stay unranked
 * and come last.  race: 1 to race the options (see above; never for
 * breakeven_users). */
struct fc_cmp_rank {
	long fig;
	int stat;
	int race;
};

#define FC_CMP_RACE_BATCH 250    /* trials in the racing batch */
#define FC_CMP_RACE_MIN 2000     /* fewer trials than this: no racing */
#define FC_CMP_RACE_Z 3.0        /* standard errors an option must be beyond the leader */

/* The JSON key of figure f (enum fc_cmp_fig) for an option of kind, as
 * compare writes it ("flat.monthly_cost", "api.monthly_cost", ...), or
 * NULL when that kind has no such figure (FC_CMP_RANK: always NULL). */
const char *fc_compare_figure_key(enum fc_cmp_kind kind, int f);

/* Option op's figure f: the statistic stat (as fc_cmp_rank's) over the
 * trials, or with deterministic its value at the means (FC_CMP_RANK: the
 * ranked value).  NaN for an option that is not viable, was raced out, or
 * has no such figure. */
double fc_compare_value(const struct fc_cmp_option *op, int f, int stat, int deterministic);

/* The counterpart of figure k (fc_figures[] index) for an option of
 * kind (FC_CMP_API: "api", FC_CMP_API_ROUTED: "api_routed"; FC_CMP_FLAT:
 * k itself), or -1. */
long fc_compare_figure_for(long k, enum fc_cmp_kind kind);

/*
 * Evaluates the n options of opts for scenario s under o (trials, seed,
 * threads, month, deterministic, progress, cancel; o->users is honoured)
 * and ranks the viable ones by rk, racing them when rk->race and there
 * are at least FC_CMP_RACE_MIN trials.  Fills the results of every option.
 * Threads change nothing in the results.  FC_ENOMEM, FC_ERANGE
 * (cancelled, or no trials), or a cost model's status.
 */
enum fc_status fc_compare_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_rank *rk, struct fc_cmp_option *opts, size_t n);

#endif
