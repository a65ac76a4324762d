/*
 * sensmc.c: sensitivity over a Monte Carlo run (sensmc.h): the figure's
 * samples and the inputs that vary, then the estimators of sensitivity.c.
 */
#include "sensmc.h"

#include <math.h>
#include <string.h>

int
fc_sensmc_known(const char *key)
{
	return fc_figure_index(key) >= 0 || strcmp(key, "breakeven_users") == 0 ||
	    strcmp(key, "payback_month") == 0;
}

/* The figure's samples in m->r; FC_EINVAL when key is not one, or its
 * samples were not made (payback_month without months). */
static enum fc_status
pick_target(const char *key, struct fc_sens_mc *m)
{
	struct fc_sens_target *f = &m->f;
	/* breakeven_users is a figure too, but kept apart from the others (mc.c) */
	long k = strcmp(key, "breakeven_users") == 0 ? -1 : fc_figure_index(key);

	f->key = key;
	f->fig = -1;
	if (k >= 0) {
		f->kind = FC_SENS_FIGURE;
		f->fig = k;
		f->label = fc_figures[k].label;
		f->unit = fc_figures[k].unit;
		f->y = m->r.samples + k;
		f->stride = fc_nfigures;
		f->n = (size_t)m->r.trials;
	} else if (strcmp(key, "payback_month") == 0) {
		if (m->r.months == NULL || m->r.months->payback_samples == NULL)
			return FC_EINVAL;
		/* months 1..o->months of every trial (mc.c); NaN: none within them */
		f->kind = FC_SENS_PAYBACK;
		f->label = "Payback";
		f->unit = "month";
		f->y = m->r.months->payback_samples;
		f->stride = 1;
		f->n = (size_t)m->r.trials;
	} else if (strcmp(key, "breakeven_users") == 0) {
		/* the lasting breakeven (breakeven.h) of every trial (mc.c) */
		if (m->r.breakeven_samples == NULL)
			return FC_EINVAL;
		f->kind = FC_SENS_BREAKEVEN;
		f->label = "Breakeven";
		f->unit = "users";
		f->y = m->r.breakeven_samples;
		f->stride = 1;
		f->n = (size_t)m->r.breakeven_trials;
	} else {
		return FC_EINVAL;
	}
	return FC_OK;
}

/* The uncertain inputs that vary over the figure's trials. */
static void
pick_inputs(const struct fc_scenario *s, const struct fc_mc_opts *o, struct fc_sens_mc *m)
{
	size_t k, i;

	m->ncols = 0;
	for (k = 0; k < fc_inputs_mc_n && m->ncols < FC_SENS_MAX_INPUTS; k++) {
		const double *d = m->r.draws + k;
		int varies = 0;

		if (!fc_mc_input_uncertain(s, o, k))
			continue;
		for (i = 1; i < m->f.n && !varies; i++)
			varies = d[i * fc_inputs_mc_n] != d[0];
		if (varies)
			m->cols[m->ncols++] = k;
	}
}

enum fc_status
fc_sensmc_run(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const char *key, const struct fc_sens_opts *so, struct fc_sens_mc *out,
    enum fc_sens_mc_why *why)
{
	struct fc_mc_opts ko = *o;
	enum fc_status st;

	memset(out, 0, sizeof(*out));
	*why = FC_SENS_MC_OK;
	if (!fc_sensmc_known(key) || (strcmp(key, "payback_month") == 0 && o->months <= 0))
		return FC_EINVAL;
	ko.keep_draws = 1;
	if ((st = fc_mc_run(s, &ko, &out->r)) != FC_OK)
		return st;
	if (out->r.draws == NULL || (st = pick_target(key, out)) != FC_OK)
		return out->r.draws == NULL ? FC_EINVAL : st;
	pick_inputs(s, &ko, out);
	if (out->ncols == 0) {
		*why = FC_SENS_MC_NO_INPUT;
		return FC_EDOM;
	}
	if (out->f.n < FC_SENS_MIN_TRIALS) {
		*why = FC_SENS_MC_FEW_TRIALS;
		return FC_EDOM;
	}
	st = fc_sensitivity_run(out->f.y, out->f.stride, out->r.draws, fc_inputs_mc_n, out->cols,
	    out->f.n, out->ncols, so, &out->e);
	if (st == FC_EDOM)
		*why = FC_SENS_MC_NO_SPREAD;
	return st;
}

void
fc_sensmc_free(struct fc_sens_mc *m)
{
	if (m == NULL)
		return;
	fc_sensitivity_free(&m->e);
	fc_mc_result_free(&m->r);
}
