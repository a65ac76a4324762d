/*
 * sensitivity.h: what drives a figure's spread, from the trials of one
 * Monte Carlo run: for every uncertain input X of a figure Y,
 *
 *  - its share of Var(Y): the first-order Sobol index Var(E[Y|X]) / Var(Y),
 *    estimated by binning the trials on X into B equal-count bins and
 *    fitting a least-squares line of Y on X within each bin (piecewise-
 *    linear conditional mean: plain bin means lose the slope inside wide
 *    tail bins, and with it up to several points of share); the share is
 *    the variance those lines explain, bias-corrected for the parameters
 *    fitted as an adjusted R^2 is, (SSR - (p - 1) MSE) / SST.  Without the
 *    correction, noise alone would give an input with no effect a share of
 *    about 2B / n; with it, such an input's share scatters around 0 (either
 *    sign, within its standard error);
 *  - its standard error: the standard deviation of the same estimate over
 *    bootstrap resamples of the trials (trials drawn with replacement,
 *    each keeping its bin; the generator seeded with opts.seed);
 *  - the tornado: the median of Y over the trials whose X lies between its
 *    P5 and P15 ("low", X near its P10) and between its P85 and P95
 *    ("high", X near its P90);
 *  - Spearman's rank correlation of X and Y;
 *  - value of information: the P5-P95 width of Y expected once X is known
 *    exactly: the mean over V equal-count bins on X (at least
 *    FC_SENS_VOI_PER_BIN trials a bin where n allows) of the width of what
 *    the bin's least-squares line of Y on X leaves, against today's width.
 *
 * The shares do not sum to 1 in general: the rest, 1 minus their sum, is
 * what no single input explains (interactions between inputs, and the
 * randomness tied to no input).
 *
 * Null values (NaN: breakeven never reached, no payback) are censored:
 * when some trials are null, Y is replaced by its ranks, nulls tied above
 * every value, scaled to [0, 1], and the shares, rank correlations and
 * widths are those of the ranks (on_ranks).  The medians (tornado) stay in
 * the figure's units, NaN when the middle trial is null.
 *
 * Everything is computed in trial order on one thread: the same inputs
 * give the same bytes.  The caller owns the samples; fc_sensitivity_run() fills
 * *out, which fc_sensitivity_free() releases (NULL is fine).
 */
#ifndef FC_SENSITIVITY_H
#define FC_SENSITIVITY_H

#include <stddef.h>

#include "fc.h"

#define FC_SENS_MAX_BINS 100      /* bins per input, at most */
#define FC_SENS_MIN_TRIALS 20     /* fewer trials cannot be binned */
#define FC_SENS_VOI_PER_BIN 500   /* trials per value-of-information bin, at least */

struct fc_sens_opts {
	size_t bins;          /* B; 0: sqrt(n) / 2, within [2, FC_SENS_MAX_BINS] */
	size_t resamples;     /* bootstrap resamples; 0: no standard errors (NaN) */
	unsigned long seed;   /* the bootstrap generator's seed */
};

struct fc_sens_row {
	double share;         /* first-order index: 0 to 1 but for noise */
	double share_se;      /* its bootstrap standard error; NaN without resamples */
	double low, high;     /* median Y with X near its P10 / P90, Y's units; NaN: null */
	double rank_corr;     /* Spearman's rho of X and Y, in [-1, 1] */
	double x_p10, x_p90;  /* the input's P10 and P90, its units */
	double width_known;   /* expected P5-P95 width of Y once X is known (the
	                       * indices' scale: Y's units, or ranks when on_ranks) */
};

struct fc_sens {
	size_t n, ninputs;
	size_t bins, voi_bins, resamples;
	unsigned long seed;
	size_t nnull;          /* trials where Y is null */
	int on_ranks;          /* nnull > 0: indices and widths on Y's ranks */
	double p5, median, p95;  /* of Y, nulls above every value; NaN where null */
	double width;          /* today's P5-P95 width, on the indices' scale */
	double rest, rest_se;  /* 1 - sum of shares, and its bootstrap standard error */
	struct fc_sens_row *rows;  /* ninputs, in input order; owned */
	size_t *order;         /* the inputs by share, largest first (ties: input
	                        * order); owned */
	size_t best;           /* the input whose knowledge narrows the width most */
};

/*
 * Trial i's figure is y[i * ystride] (NaN: null), input k's value is
 * x[i * xstride + cols[k]] (cols NULL: k).  Returns FC_EDOM when there are
 * fewer than FC_SENS_MIN_TRIALS trials, when every trial is null or when Y
 * does not vary (no variance to share out), FC_ENOMEM, else FC_OK.  *out
 * is written only on success.
 */
enum fc_status fc_sensitivity_run(const double *y, size_t ystride, const double *x,
    size_t xstride, const size_t *cols, size_t n, size_t ninputs,
    const struct fc_sens_opts *o, struct fc_sens *out);
void fc_sensitivity_free(struct fc_sens *s);

#endif
