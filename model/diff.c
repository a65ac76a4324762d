/*
 * diff.c: per-trial changes between two simulations (see diff.h).
 *
 * The mean change is the mean of the per-trial changes over the trials
 * where both figures have a value, and the base and candidate means are
 * taken over the same trials, so that mean change = cand - base exactly
 * when nothing else differs (and 0, not a rounding residue, for a
 * scenario against itself).  Quantiles are GSL's, as in mc.c.
 */
#include "diff.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "cost.h"
#include "stats.h"

static void
rel_of(struct fc_diff_fig *f)
{
	if (isnan(f->mean) || isnan(f->base))
		f->rel = NAN;
	else if (f->mean == 0)
		f->rel = 0;
	else if (f->base == 0)
		f->rel = f->mean > 0 ? INFINITY : -INFINITY;
	else
		f->rel = f->mean / fabs(f->base);
}

static void
deterministic(const struct fc_mc_result *b, const struct fc_mc_result *c,
    struct fc_diff *out)
{
	size_t k;

	for (k = 0; k < fc_nfigures && k < FC_MAX_FIGURES; k++) {
		struct fc_diff_fig *f = &out->fig[k];
		f->base = fc_figure_get(&b->det, k);
		f->cand = fc_figure_get(&c->det, k);
		f->mean = f->cand - f->base;
		f->n = isnan(f->mean) ? 0 : 1;
		f->p5 = f->p50 = f->p95 = f->p_lower = NAN;
		f->base_own = f->base;
		f->cand_own = f->cand;
		f->n_base = isnan(f->base) ? 0 : 1;
		f->n_cand = isnan(f->cand) ? 0 : 1;
		f->base_own_p50 = f->cand_own_p50 = NAN;
		f->conditional = f->n < f->n_base || f->n < f->n_cand;
		rel_of(f);
	}
}

/* Each side's own figure: the same statistics simulate reports. */
static void
own(struct fc_diff_fig *f, const struct fc_mc_result *b,
    const struct fc_mc_result *c, size_t k)
{
	f->n_base = b->stats[k].n;
	f->n_cand = c->stats[k].n;
	f->base_own = b->stats[k].n > 0 ? b->stats[k].mean : NAN;
	f->cand_own = c->stats[k].n > 0 ? c->stats[k].mean : NAN;
	f->base_own_p50 = b->stats[k].n > 0 ? b->stats[k].p50 : NAN;
	f->cand_own_p50 = c->stats[k].n > 0 ? c->stats[k].p50 : NAN;
	f->conditional = f->n < f->n_base || f->n < f->n_cand;
}

enum fc_status
fc_diff_compute(const struct fc_mc_result *base, const struct fc_mc_result *cand,
    struct fc_diff *out)
{
	double *ch;
	size_t k, m;
	long i;

	memset(out, 0, sizeof(*out));
	if (base->deterministic != cand->deterministic || fc_nfigures > FC_MAX_FIGURES)
		return FC_EINVAL;
	out->deterministic = base->deterministic;
	if (base->deterministic) {
		deterministic(base, cand, out);
		return FC_OK;
	}
	if (base->trials != cand->trials || base->trials < 1 ||
	    base->samples == NULL || cand->samples == NULL)
		return FC_EINVAL;
	out->trials = base->trials;
	if ((ch = fc_malloc((size_t)base->trials * sizeof(*ch))) == NULL)
		return FC_ENOMEM;
	for (k = 0; k < fc_nfigures; k++) {
		struct fc_diff_fig *f = &out->fig[k];
		double sb = 0, sc = 0, sd = 0;
		long lower = 0;

		m = 0;
		for (i = 0; i < base->trials; i++) {
			double xb = base->samples[(size_t)i * fc_nfigures + k];
			double xc = cand->samples[(size_t)i * fc_nfigures + k];
			if (isnan(xb) || isnan(xc))
				continue;
			sb += xb;
			sc += xc;
			ch[m] = xc - xb;
			sd += ch[m];
			lower += xc < xb;
			m++;
		}
		f->n = (double)m;
		own(f, base, cand, k);
		if (m == 0) {
			f->base = f->cand = f->mean = f->p5 = f->p50 = f->p95 = NAN;
			f->p_lower = NAN;
			f->rel = NAN;
			continue;
		}
		f->base = sb / (double)m;
		f->cand = sc / (double)m;
		f->mean = sd / (double)m;
		gsl_sort(ch, 1, m);
		f->p5 = fc_stats_quantile_sorted(ch, m, 0.05);
		f->p50 = fc_stats_quantile_sorted(ch, m, 0.50);
		f->p95 = fc_stats_quantile_sorted(ch, m, 0.95);
		f->p_lower = (double)lower / (double)m;
		rel_of(f);
	}
	fc_free(ch);
	return FC_OK;
}
