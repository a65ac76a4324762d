/*
 * breakeven.h: where the flat architecture is cheaper than the API, by
 * user count, and whether it can serve at all.  One definition for every
 * command (simulate, sweep, check, diff, compare) and every chart
 * (docs/model.md, "Breakeven: one definition of each figure"):
 *
 *   Flat is cheaper at U users when it is viable and its monthly total is
 *   below the API's by at least one cent (FC_CENT).  A tie, or a flat
 *   architecture that cannot serve (no server meets the SLO), is never
 *   cheaper.
 *
 *   first    the smallest U in [from, to] at which flat is cheaper;
 *   lasting  the smallest U from which flat stays cheaper through `to`
 *            (the headline, and JSON breakeven_users);
 *   ranges   every maximal run of user counts where it is cheaper.
 * All are whole user counts, found exactly (never interpolated), by the
 * search described in breakeven.c.  NaN stands for "none".
 *
 * Viability does not depend on the user count: it is a property of the
 * server, the model and the SLO (capacity.c, fleet.c).
 *
 * Nothing here allocates; every output is written by the callee.
 */
#ifndef FC_BREAKEVEN_H
#define FC_BREAKEVEN_H

#include <stddef.h>

#include "capacity.h"
#include "cost.h"
#include "fc.h"
#include "scenario.h"

#define FC_CENT 0.01          /* USD/month: the least saving that counts */
#define FC_MAX_RANGES 32

/* Why flat cannot serve (FC_VIABLE: it can). */
enum fc_viability_reason {
	FC_VIABLE = 0,
	FC_NV_CALL_OVER_SLO,  /* one call alone on an idle server takes longer than the SLO */
	FC_NV_NO_WAIT_ROOM,   /* the P95 of a call in a full server takes the whole SLO */
};

struct fc_viability {
	int viable;                      /* 1: some fleet meets the SLO */
	enum fc_viability_reason reason;
	double call_s;    /* FC_NV_CALL_OVER_SLO: a call alone, s; else the P95 of service in a full server, s */
	double slo_s;     /* the per-call SLO it misses, s (the action's SLO / chaining when it applies to the action) */
};

/* Whether flat is cheaper: viable and api - flat >= FC_CENT (USD/month). */
int fc_breakeven_flat_cheaper(double flat_total, double api_total, int viable);

/* The viability of one trial's inputs on the scenario's server. */
enum fc_status fc_breakeven_viability_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, struct fc_viability *v);

/* A sentence on why flat is not viable and what would make it viable,
 * into buf (always NUL-terminated); "" when it is viable. */
void fc_breakeven_viability_text(const struct fc_scenario *s, const struct fc_viability *v,
    char *buf, size_t len);

struct fc_breakeven {
	struct fc_viability viability;
	double first;            /* users; NaN: never cheaper in [searched_from, searched_to] */
	double lasting;          /* users; NaN: not cheaper at searched_to */
	size_t nranges;
	double from[FC_MAX_RANGES], to[FC_MAX_RANGES];  /* users, inclusive */
	int truncated;           /* more ranges than FC_MAX_RANGES: the middle ones are left out */
	double searched_from, searched_to;  /* users */
};

/*
 * Evaluates one scenario with the inputs `in` (every value but the user
 * count is taken from it) over the user counts [from, to] (whole numbers,
 * 1 <= from <= to): viability, first, lasting and the ranges.  With more
 * than FC_MAX_RANGES ranges the first FC_MAX_RANGES - 1 and the last are
 * kept (so `lasting` is always right) and `truncated` is set.
 * FC_EDOM for a bad range or a server without throughput.
 */
enum fc_status fc_breakeven_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double from, double to, struct fc_breakeven *b);

/* As fc_breakeven_eval, but only the viability, first and lasting are
 * exact (what a Monte Carlo trial reports): the ends of ranges inside a
 * server step, the starts of ranges after the first but the lasting one,
 * and the ranges inside a step whose ends are both dearer after the
 * first are not searched (nranges and the ranges are then not the exact
 * ones).  Cheaper where flat - api crosses often. */
enum fc_status fc_breakeven_first_lasting(const struct fc_scenario *s,
    const struct fc_inputs *in, const struct fc_throughput *tp, double from, double to,
    struct fc_breakeven *b);

/* 1 (the default): the search evaluates the bill alone where the bounds
 * on flat's total settle a user count (a fleet sized to the load); 0:
 * every user count it visits whole.  The answers are the same (the tests
 * check it); a switch for them. */
extern int fc_breakeven_light;

/* Whether flat is cheaper at U users (viable, and by at least a cent),
 * with everything else as in `in`: the definition the search implements,
 * for brute-force checks. */
enum fc_status fc_breakeven_cheaper_at(const struct fc_scenario *s,
    const struct fc_inputs *in, const struct fc_throughput *tp, double users,
    int *cheaper);

/*
 * Quantiles of values that may be censored: -INFINITY (at or before the
 * range searched) and INFINITY (none).  Sorts v[0..n-1] in place; between
 * an infinity and a number, the nearer rank wins.  n >= 1.
 */
double fc_breakeven_quantile(double *v, size_t n, double p);

/*
 * The breakeven along a sweep's axis (flatcost sweep).  Along the user
 * count it is the exact search above over the sweep's range; along any
 * other number (--vary) the points are all there is, and a crossing
 * between two points is interpolated (linearly in the axis, or in its log
 * for a log-spaced axis) where flat - api reaches -FC_CENT.
 */
struct fc_crossing {
	size_t nranges;
	double from[FC_MAX_RANGES];  /* axis values where flat becomes cheaper */
	double to[FC_MAX_RANGES];    /* where it stops; NaN: through the sweep's end */
	int from_start;              /* flat is cheaper already at the first point */
	int truncated;               /* more ranges than FC_MAX_RANGES */
	double lasting;              /* from[] of the range through the end; NaN: none */
	/* over trials, Monte Carlo only */
	long ntrials;                /* 0: no trials */
	long nfound;                 /* users: the trials with a lasting breakeven, which the
	                                percentiles are over (NaN when none) */
	double share_start, share_within, share_none;
	double p5, p50, p95;         /* -INFINITY: at or before the start; INFINITY: none */
};

/* Along the user count: the ranges of b (an fc_breakeven_eval over the
 * sweep's first to last point) and the band of the trials' lasting
 * breakevens lasting[0..n-1] (NaN: none; n may be 0): the percentiles
 * over the trials that have one, as simulate reports them.  FC_ENOMEM when
 * the band's scratch cannot be allocated. */
enum fc_status fc_breakeven_crossing_users(const struct fc_breakeven *b, const double *lasting, size_t n,
    struct fc_crossing *c);

/*
 * Along another axis x[0..n-1] (ascending): d[i] is flat - api at point i
 * (INFINITY where flat is not viable); with trials > 0, td[i * trials + t]
 * is trial t's.  The ranges from d; the band from each trial's first point
 * of cheaper flat.  FC_ENOMEM when the band's scratch cannot be allocated.
 */
enum fc_status fc_breakeven_crossing_grid(const double *x, size_t n, int log_axis, const double *d,
    const double *td, long trials, struct fc_crossing *c);

#endif
