/*
 * budget.h: budgets, the upper limits on a simulation's figures that
 * `flatcost check` gates a build on, read from a scenario's `budget:`
 * section or from a budget file, and evaluated against a result of
 * fc_mc_run().
 *
 * The syntax, in a scenario's `budget:` section or at the top level of a
 * budget file (the same mapping, without the `budget:` line):
 *
 *     budget:
 *       per_user.flat: {fail: 0.50, warn: 0.40, percentile: p95}
 *       flat.monthly_cost: 2000              # a bare number is {fail: 2000}
 *       share_of_revenue.flat: {warn: 0.05}  # shares are fractions: 5%
 *       flat.servers: [{fail: 10}, {warn: 6, percentile: p50}]
 *
 * Budgets on the change against a base run (`flatcost check --base`)
 * go under the key `increase`, one mapping or a list of them:
 *
 *       increase:
 *         - {figure: per_user.api, percentile: p95, max_pct: 10, max_usd: 500}
 *         - {figure: flat.servers, warn_pct: 20}
 *
 * The increase is the candidate's statistic minus the base's (both runs
 * on the same trials and seed, the common random numbers of diff.h), in
 * the figure's unit, and in percent of the base's |statistic|.  max_pct
 * and max_usd are fail limits, warn_pct and warn_usd warn limits; an
 * increase strictly above either limit of a level reaches that level, at
 * a limit it passes (within 1e-9 of the limit, relative, counts as at it:
 * 4.00 to 4.40 is +10% though the doubles' difference is a hair above).  max_usd and warn_usd need a figure in USD.  A base
 * of 0 and an increase above 0 is +infinity percent.  No value on either
 * side fails (warns when only warn limits are given).
 *
 * Keys are fc_figures[] keys.  Each budget has a `fail` limit, a `warn`
 * limit or both (warn <= fail), and the statistic it limits: mean, p5,
 * p50, p95 or p99 (default p95).  A list gives one figure several budgets,
 * at different percentiles.  A budget fails when its value is strictly
 * above its fail limit and warns when strictly above its warn limit: a
 * value exactly at a limit passes.  A figure with no value (a share of
 * revenue without revenue) fails, or warns when the budget has only a
 * warn limit.  In a deterministic result every
 * percentile is the deterministic value.
 *
 * Ownership: fc_budget_* loaders make a struct fc_budgets that the caller
 * frees with fc_budget_free() (which accepts NULL); it owns the file name
 * its budgets' locations point at.
 */
#ifndef FC_BUDGET_H
#define FC_BUDGET_H

#include "fc.h"
#include "mc.h"
#include "scenario.h"
#include "ynode.h"

enum fc_budget_stat {
	FC_BSTAT_MEAN,   /* the mean over trials */
	FC_BSTAT_P5,
	FC_BSTAT_P50,
	FC_BSTAT_P95,    /* the default */
	FC_BSTAT_P99,
};
/* "mean", "p5", "p50", "p95", "p99", NULL: by enum fc_budget_stat. */
extern const char *const fc_budget_stat_names[];

enum fc_budget_level {
	FC_BUDGET_PASS,  /* at or under every limit */
	FC_BUDGET_WARN,  /* above the warn limit, at or under the fail limit */
	FC_BUDGET_FAIL,  /* above the fail limit, or no value */
};
/* "pass", "warn", "fail": by enum fc_budget_level. */
extern const char *const fc_budget_level_names[];

struct fc_budget {
	size_t figure;             /* index into fc_figures[] */
	enum fc_budget_stat stat;
	double warn, fail;         /* in the figure's unit; NaN: not set (never both
	                            * for a limit; an increase's warn_usd and max_usd) */
	struct fc_loc loc;         /* of the figure's key; file owned by the fc_budgets */
	int increase;              /* 1: a limit on the increase against a base */
	double warn_pct, fail_pct; /* an increase's warn_pct and max_pct, percent; NaN: not set */
};

/* An increase budget's evaluation. */
struct fc_budget_change {
	double base, cand;         /* the statistic in each run; NaN: no value */
	double change;             /* cand - base, in the figure's unit */
	double pct;                /* 100 change / |base|; +-INFINITY from a base of 0 */
	enum fc_budget_level level;
	int by_pct;                /* the limit reached (or, passing, the first set)
	                            * is a percent (1) or in the figure's unit (0) */
	double limit;              /* that limit */
};

struct fc_budgets {
	struct fc_budget *v;
	size_t n;
	char *file;                /* where they were read (owned) */
};

/* Reads a budget mapping (a scenario's `budget:` value, or a budget file's
 * top level) whose nodes come from file.  Reports every error it finds;
 * *out is NULL on error. */
enum fc_status fc_budget_parse(const struct fc_ynode *map, const char *file,
    struct fc_budgets **out, struct fc_diags *d);
/* Reads a budget file (the mapping at its top level). */
enum fc_status fc_budget_load(const char *path, struct fc_budgets **out,
    struct fc_diags *d);
/* Reads the scenario's `budget:` section; *out is NULL (and FC_OK is
 * returned) when it has none.  Works on a copy of the section, so the
 * diagnostics the scenario was loaded with need not be alive. */
enum fc_status fc_budget_from_scenario(const struct fc_scenario *s,
    struct fc_budgets **out, struct fc_diags *d);
void fc_budget_free(struct fc_budgets *b);

/* The budget's value in r: the deterministic value, or the statistic of
 * the trials.  NaN when the figure has no value. */
double fc_budget_value(const struct fc_budget *b, const struct fc_mc_result *r);
/* Evaluates b against r.  *value gets fc_budget_value(); *limit the limit
 * that was exceeded, else the fail limit when set, else the warn limit. */
enum fc_budget_level fc_budget_eval(const struct fc_budget *b,
    const struct fc_mc_result *r, double *value, double *limit);

/* Evaluates increase budget b on the base's and candidate's values of its
 * statistic (fc_budget_value() of each run). */
void fc_budget_eval_increase(const struct fc_budget *b, double base, double cand,
    struct fc_budget_change *out);
/* Whether any of b's budgets is an increase budget. */
int fc_budget_have_increase(const struct fc_budgets *b);

#endif
