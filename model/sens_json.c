/*
 * sens_json.c: a sensitivity analysis as JSON (see sens_json.h).
 */
#include "sens_json.h"

#include <math.h>

#include "inputs.h"
#include "result_json.h"

static json_t *
row_json(const char *key, const char *unit, double share, double se, double lo,
    double hi, double rc, double p10, double p90, double wk)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "key", key, "unit", unit ? json_string(unit) : json_null(),
	    "share", fc_json_num(share), "share_se", fc_json_num(se),
	    "low", fc_json_num(lo), "high", fc_json_num(hi), "rank_corr", fc_json_num(rc),
	    "p10", fc_json_num(p10), "p90", fc_json_num(p90), "width_if_known", fc_json_num(wk));
}

static json_t *
method_json(const struct fc_sens_mc *m)
{
	const struct fc_sens *e = &m->e;

	return json_pack("{s:s, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s?}",
	    "share", "first-order Sobol index: binned conditional-mean estimator, "
	    "equal-count bins on the input, a least-squares line within each bin, "
	    "bias-corrected as an adjusted R^2",
	    "bins", (json_int_t)e->bins,
	    "share_se", "bootstrap over the trials",
	    "resamples", (json_int_t)e->resamples, "bootstrap_seed", (json_int_t)e->seed,
	    "low_high", "median of the figure over the trials whose input lies between "
	    "its P5 and P15 (low) / P85 and P95 (high)",
	    "rank_corr", "Spearman",
	    "value_of_information", "mean P5-P95 width of the figure within equal-count "
	    "bins on the input, around a least-squares line in each, against today's",
	    "voi_bins", (json_int_t)e->voi_bins,
	    "scale", e->on_ranks ? "ranks" : "values",
	    "nulls", e->on_ranks ? "null trials ranked above every value (censored); shares, "
	    "rank correlations and widths on the ranks, widths as a share of the trials" : NULL);
}

void
fc_sens_mc_json_fill(json_t *o, const struct fc_sens_mc *m)
{
	const struct fc_sens *e = &m->e;
	json_t *in = json_array(), *fig;
	size_t i;

	json_object_set_new(o, "users", fc_json_num(m->r.in.users));
	fig = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o}",
	    "key", m->f.key, "label", m->f.label, "unit", m->f.unit,
	    "trials_used", (json_int_t)e->n, "null_trials", (json_int_t)e->nnull,
	    "null_share", fc_json_num((double)e->nnull / (double)e->n),
	    "p5", fc_json_num(e->p5), "p50", fc_json_num(e->median), "p95", fc_json_num(e->p95),
	    "width", fc_json_num(e->width));
	if (m->f.kind == FC_SENS_PAYBACK && m->r.months)
		json_object_set_new(fig, "months_searched", json_integer(m->r.months->n));
	json_object_set_new(o, "figure", fig);
	json_object_set_new(o, "method", method_json(m));
	for (i = 0; i < e->ninputs; i++) {
		size_t j = e->order[i];
		const struct fc_sens_row *r = &e->rows[j];
		json_array_append_new(in, row_json(fc_inputs_mc[m->cols[j]].key,
		    fc_inputs_mc[m->cols[j]].unit, r->share, r->share_se, r->low, r->high,
		    r->rank_corr, r->x_p10, r->x_p90, r->width_known));
	}
	json_array_append_new(in, row_json(FC_SENS_REST_KEY, NULL, e->rest, e->rest_se, NAN, NAN,
	    NAN, NAN, NAN, NAN));
	json_object_set_new(o, "inputs", in);
	json_object_set_new(o, "value_of_information", json_pack("{s:o, s:s?, s:o}",
	    "width", fc_json_num(e->width),
	    "best", e->best < e->ninputs ? fc_inputs_mc[m->cols[e->best]].key : NULL,
	    "width_if_known", fc_json_num(e->best < e->ninputs ?
	    e->rows[e->best].width_known : NAN)));
}

