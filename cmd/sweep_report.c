/*
 * sweep_report.c: the reports of a sweep (sweep.h), shared by `flatcost
 * sweep` and `flatcost merge` so that a merged run writes the very bytes
 * of the whole run: the breakeven along the sweep (breakeven.h), the
 * table, Markdown, CSV and JSON, and the chart.
 *
 * One axis (--users FROM:TO, or one --vary range) keeps the one-axis
 * report: the axis as the first column, the breakeven across it.  A grid
 * (several axes, or a list) has a column per varied key (vary.KEY in CSV
 * and JSON), and the breakeven along the users axis for each combination
 * of the other axes, or, without a users axis, the breakeven users at
 * each point.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "report.h"
#include "study_report.h"
#include "sweep.h"


static int
write_report(FILE *f, int fmt, const struct fc_study_run *run, const struct fc_study_figs *k)
{
	struct fc_study_figs kk;
	int rc = 0;
	json_t *j;

	switch (fmt) {
	case FMT_TABLE:
	case FMT_MD:
		/* money in the currency the run's figures were converted to */
		kk = *k;
		kk.money = report_currency.symbol;
		fc_study_write_text(f, run, &kk, fmt == FMT_MD);
		break;
	case FMT_CSV:
		if (fc_study_csv(f, run) != 0) {
			cli_oom();
			return -1;
		}
		break;
	default:
		j = report_json_head(run->s, &run->res[0]);
		fc_study_json_fill(j, run);
		rc = fc_json_dump(f, j);
		break;
	}
	return ferror(f) ? -1 : rc;
}

int
sweep_inputs_hash(const struct fc_scenario *s, uint64_t *h)
{
	struct fc_mc_result *r = fc_calloc(1, sizeof(*r));
	json_t *full;
	char *txt = NULL;

	if (r != NULL) {
		/* the inputs depend on the scenario and the month alone */
		r->month = s->months > 0 ? s->months : 1;
		r->deterministic = 1;
		full = report_json(s, r);
		txt = json_dumps(json_object_get(full, "inputs"), JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_REAL_PRECISION(17));
		json_decref(full);
		fc_free(r);
	}
	if (txt == NULL)
		return -1;
	*h = fc_study_fnv(*h, txt, strlen(txt) + 1);
	free(txt);
	return 0;
}

int
sweep_figs(struct fc_study_figs *k)
{
	k->api = fc_figure_index("api.monthly_cost");
	k->flat = fc_figure_index("flat.monthly_cost");
	k->servers = fc_figure_index("flat.servers");
	k->pu_api = fc_figure_index("per_user.api");
	k->pu_flat = fc_figure_index("per_user.flat");
	if (k->api < 0 || k->flat < 0 || k->servers < 0 || k->pu_api < 0 || k->pu_flat < 0) {
		cli_err("internal error: a cost figure is missing");
		return -1;
	}
	return 0;
}

/* The chart, marking the lasting breakeven (the headline) and the band
 * of the trials'. */
static int
draw_chart(const struct fc_study_run *r, const struct sweep_out *o, struct plot_out *po)
{
	const struct fc_study_axis *a = r->g->ax[0];
	const struct fc_crossing *cross = &r->cross[0];
	struct fc_chart_sweep sw;

	sw.s = r->s;
	sw.key = fc_study_axis_name(a);
	sw.log_x = a->log;
	sw.n = a->n;
	sw.x = a->x;
	sw.r = r->res;
	sw.cross = cross->lasting > a->x[0] ? cross->lasting : NAN;
	sw.cross_lo = sw.cross_hi = NAN;
	if (cross->ntrials) {
		sw.cross_lo = cross->p5 < a->x[0] ? a->x[0] : cross->p5;
		sw.cross_hi = cross->p95 > a->x[a->n - 1] ? a->x[a->n - 1] : cross->p95;
	}
	return plot_sweep(o->plot_path, o->script_dir, (enum plot_chart)o->chart, &sw, po);
}

int
sweep_output(struct fc_study_run *r, const struct sweep_out *o)
{
	struct plot_out po;
	struct cli_out out;
	struct fc_study_figs k;
	size_t i;
	int rc;

	memset(&po, 0, sizeof(po));
	if (sweep_figs(&k) != 0)
		return EXIT_RUNTIME;
	if (fc_study_crossings(r) != FC_OK)
		return cli_oom();
	if (o->eur) {   /* after the crossings: they are user counts, in either currency */
		report_currency_eur(r->s);
		for (i = 0; i < r->g->npoints; i++)
			report_currency_apply(&r->res[i]);
	}
	/* the chart first, into temporary files renamed after the report:
	 * when gnuplot fails, nothing is written */
	if (o->plot_path && (rc = draw_chart(r, o, &po)) != EXIT_OK)
		goto done;
	if ((rc = out_open(&out, o->out_path)) != EXIT_OK)
		goto done;
	if (write_report(out.f, o->fmt, r, &k) != 0) {
		rc = out_fail(&out);
		goto done;
	}
	/* the chart (checked whole) once the report is safely written */
	if ((rc = out_commit(&out)) == EXIT_OK)
		rc = plot_commit(&po);
done:
	plot_abort(&po);
	return rc;
}
