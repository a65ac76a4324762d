/*
 * sensmc.h: sensitivity over a Monte Carlo run (flatcost sensitivity):
 * runs the trials with their inputs kept, picks the figure's samples (a
 * column of the trials' figures, the trials' lasting breakevens, or the
 * payback month of the months run) and the inputs that
 * vary over those trials, and shares the figure's spread out among them
 * (sensitivity.h).  Options in, result out; no printing.
 */
#ifndef FC_SENSMC_H
#define FC_SENSMC_H

#include <stddef.h>

#include "mc.h"
#include "sensitivity.h"

/* What the figure's samples are. */
enum fc_sens_kind {
	FC_SENS_FIGURE,      /* fc_figures[fig] of every trial */
	FC_SENS_BREAKEVEN,   /* breakeven_users: the lasting breakeven of every trial */
	FC_SENS_PAYBACK,     /* payback_month over months 1..o->months */
};

struct fc_sens_target {
	enum fc_sens_kind kind;
	long fig;               /* FC_SENS_FIGURE: the fc_figures[] index; else -1 */
	const char *key, *label, *unit;
	const double *y;        /* n values, stride apart (into the run); NaN: null */
	size_t stride, n;
};

#define FC_SENS_MAX_INPUTS 64

struct fc_sens_mc {
	struct fc_mc_result r;          /* the run, with its draws kept */
	struct fc_sens_target f;        /* the figure */
	size_t cols[FC_SENS_MAX_INPUTS]; /* the inputs varying over f's trials:
	                                  * fc_inputs_mc[] indices, in that order */
	size_t ncols;
	struct fc_sens e;               /* the estimates, by cols */
};

/* Why fc_sensmc_run gave no estimates, beyond the run's own status. */
enum fc_sens_mc_why {
	FC_SENS_MC_OK,
	FC_SENS_MC_NO_INPUT,     /* no input varies over the figure's trials */
	FC_SENS_MC_FEW_TRIALS,   /* fewer than FC_SENS_MIN_TRIALS trials */
	FC_SENS_MC_NO_SPREAD,    /* the figure is null or the same in every trial */
};

/* Nonzero when key names a figure fc_sensmc_run analyses: a key of
 * fc_figures[], "breakeven_users" or "payback_month". */
int fc_sensmc_known(const char *key);

/*
 * Runs s with o (keep_draws set on a copy; o->months > 0 is needed for
 * payback_month) and the estimates for figure key into *out, which is
 * written whole.  Returns the run's status (fc_mc_run), FC_EINVAL for an
 * unknown key or payback_month without months, FC_EDOM with *why saying
 * which of FC_SENS_MC_NO_INPUT, _FEW_TRIALS, _NO_SPREAD, or FC_ENOMEM.
 * Whatever it returns, fc_sensmc_free(out) releases what out holds.
 */
enum fc_status fc_sensmc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const char *key, const struct fc_sens_opts *so, struct fc_sens_mc *out,
    enum fc_sens_mc_why *why);
void fc_sensmc_free(struct fc_sens_mc *m);

#endif
