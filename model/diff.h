/*
 * diff.h: the change in every figure between two simulations of the same
 * trials, a base and a candidate (`flatcost diff`).
 *
 * Both results must come from fc_mc_run() with the same seed, trials and
 * month: trial i of each then drew its uncertain inputs and traffic from
 * the same random streams (common random numbers), so the per-trial
 * change candidate - base measures the change of the scenario, not the
 * noise of two independent samples, and a scenario diffed with itself
 * changes by exactly zero.
 */
#ifndef FC_DIFF_H
#define FC_DIFF_H

#include "fc.h"
#include "mc.h"

struct fc_diff_fig {
	double base, cand;        /* the deterministic value, or the mean over trials */
	double mean;              /* change: cand - base (the mean of per-trial changes) */
	double p5, p50, p95;      /* of the per-trial change; NaN when deterministic */
	double rel;               /* mean change / |base|: 0 when nothing changed,
	                           * +-INFINITY from a base of 0, NaN without a value */
	double p_lower;           /* share of trials where cand < base; NaN when deterministic */
	double n;                 /* trials where both have a value */
	/* Each side on its own, over its own trials with a value (what
	 * simulate reports): base, cand, mean and the quantiles above are over
	 * the n trials where both have one, which is a conditional figure
	 * when n is below either side's own count (a breakeven that one side
	 * finds and the other does not). */
	double n_base, n_cand;    /* trials where that side has a value */
	double base_own, cand_own;        /* mean (the value when deterministic) */
	double base_own_p50, cand_own_p50; /* P50; NaN when deterministic */
	int conditional;          /* n < n_base or n < n_cand */
};

struct fc_diff {
	int deterministic;
	long trials;
	struct fc_diff_fig fig[FC_MAX_FIGURES];   /* by fc_figures[] index */
};

/* Computes every figure's change.  FC_EINVAL when the two results are not
 * of the same trials (mode or count differs); FC_ENOMEM. */
enum fc_status fc_diff_compute(const struct fc_mc_result *base,
    const struct fc_mc_result *cand, struct fc_diff *out);

#endif
