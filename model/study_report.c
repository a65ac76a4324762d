/*
 * study_report.c: a study's results for programs (see study_report.h):
 * the CSV rows and the JSON document that `flatcost sweep` and `flatcost
 * merge` write, byte for byte the same from a whole run and from merged
 * parts.
 */
#include "study_report.h"

#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cost.h"
#include "result_json.h"

#define CELL 160         /* a CSV cell: a key of 127 characters and ".p99" */

static const char *
axis_name(const struct fc_study_axis *a)
{
	return a->users ? "users" : a->key;
}

void
fc_csv_row(FILE *f, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_fwrite(f, cells[i], strlen(cells[i]));
	}
	fputc('\n', f);
}

static void
num_cell(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.10g", v == 0 ? 0 : v);
	else
		buf[0] = '\0';
}

/* The CSV cells of point i's varied values (header: their names), from
 * cells[0]; returns how many.  One axis: its name and number; a grid:
 * vary.KEY and the value (a list's element text). */
static size_t
vary_cells(char **cells, const struct fc_study_grid *g, size_t i, int header)
{
	size_t j;

	if (!g->grid) {
		if (header)
			snprintf(cells[0], CELL, "%s", axis_name(g->ax[0]));
		else
			num_cell(cells[0], CELL, g->ax[0]->x[i]);
		return 1;
	}
	for (j = 0; j < g->naxes; j++) {
		const struct fc_study_axis *a = g->ax[j];
		size_t x = fc_study_index(g, i, j);
		if (header)
			snprintf(cells[j], CELL, "vary.%s", a->key);
		else if (a->list)
			snprintf(cells[j], CELL, "%s", a->label[x]);
		else
			num_cell(cells[j], CELL, a->x[x]);
	}
	return g->naxes;
}

/* One row per point: the axis, then every figure (FIG, or FIG.mean .p5
 * .p50 .p95 .p99), P(flat cheaper) and the breakeven in users at that
 * point.  The users axis leaves out the figure "users": it is the axis. */
int
fc_study_csv(FILE *f, const struct fc_study_run *run)
{
	static const char *const st[] = { "mean", "p5", "p50", "p95", "p99" };
	const struct fc_study_grid *g = run->g;
	const struct fc_mc_result *res = run->res;
	int det = res[0].deterministic, nst = det ? 1 : 5, j;
	size_t ncols = g->naxes + fc_nfigures * (size_t)nst + (det ? 0 : 1), i, k, c;
	char **cells = fc_calloc(ncols, sizeof(char *));
	char *buf = fc_malloc(ncols * CELL);

	if (cells == NULL || buf == NULL) {
		fc_free(cells);
		fc_free(buf);
		return -1;
	}
	for (c = 0; c < ncols; c++)
		cells[c] = buf + c * CELL;
	c = vary_cells(cells, g, 0, 1);
	for (k = 0; k < fc_nfigures; k++) {
		const char *key = fc_figures[k].key;
		if ((g->uaxis && strcmp(key, "users") == 0) || !fc_figure_applies(run->s, k))
			continue;
		for (j = 0; j < nst; j++)
			snprintf(cells[c++], CELL, det ? "%s" : "%s.%s", key, st[j]);
	}
	if (!det)
		snprintf(cells[c++], CELL, "p_flat_cheaper");
	fc_csv_row(f, (const char *const *)cells, c);
	for (i = 0; i < g->npoints; i++) {
		const struct fc_mc_result *r = &res[i];
		c = vary_cells(cells, g, i, 0);
		for (k = 0; k < fc_nfigures; k++) {
			const struct fc_stat *s = &r->stats[k];
			if ((g->uaxis && strcmp(fc_figures[k].key, "users") == 0) ||
			    !fc_figure_applies(run->s, k))
				continue;
			if (det) {
				num_cell(cells[c++], CELL, fc_figure_get(&r->det, k));
				continue;
			}
			num_cell(cells[c++], CELL, s->mean);
			num_cell(cells[c++], CELL, s->p5);
			num_cell(cells[c++], CELL, s->p50);
			num_cell(cells[c++], CELL, s->p95);
			num_cell(cells[c++], CELL, s->p99);
		}
		if (!det)
			num_cell(cells[c++], CELL, r->p_flat_cheaper);
		fc_csv_row(f, (const char *const *)cells, c);
	}
	fc_free(cells);
	fc_free(buf);
	return 0;
}

/* A crossing percentile: a number, or null outside the sweep. */
static json_t *
cross_json(double v)
{
	return isinf(v) ? json_null() : fc_json_num(v);
}

/* The breakeven along axis a: {basis, first, lasting, from_start, ranges,
 * truncated, trials}. */
static json_t *
crossing_json(const struct fc_study_axis *a, int det, const struct fc_crossing *c)
{
	json_t *ranges = json_array(), *be;
	size_t i;

	for (i = 0; i < c->nranges; i++)
		json_array_append_new(ranges, json_pack("{s:o, s:o}", "from",
		    fc_json_num(c->from[i]), "to", fc_json_num(c->to[i])));
	be = json_pack("{s:s, s:o, s:o, s:b, s:o, s:b}", "basis",
	    det ? "deterministic" : a->users ? "means" : "p50",
	    "first", c->nranges ? fc_json_num(c->from[0]) : json_null(),
	    "lasting", fc_json_num(c->lasting),
	    "from_start", c->from_start, "ranges", ranges, "truncated", c->truncated);
	if (c->ntrials)
		json_object_set_new(be, "trials", json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
		    "of", a->users ? "lasting" : "first", "n", (json_int_t)(a->users ? c->nfound :
		    c->ntrials),
		    "p5", cross_json(c->p5), "p50", cross_json(c->p50), "p95", cross_json(c->p95),
		    "share_within", fc_json_num(c->share_within),
		    "share_from_start", fc_json_num(c->share_start),
		    "share_none", fc_json_num(c->share_none)));
	return be;
}

/* Axis j's value at index x: a number, or a list element's text. */
static json_t *
vary_json(const struct fc_study_axis *a, size_t x)
{
	return a->list && isnan(a->x[x]) ? json_string(a->label[x]) : fc_json_num(a->x[x]);
}

/* The "sweep" member: the axis, or the grid's axes. */
static json_t *
axes_json(const struct fc_study_grid *g)
{
	json_t *axes;
	size_t j, i;

	if (!g->grid) {
		const struct fc_study_axis *a = g->ax[0];
		return json_pack("{s:s, s:o, s:o, s:i, s:i, s:s}",
		    "key", axis_name(a), "from", fc_json_num(a->from), "to", fc_json_num(a->to),
		    "steps", (json_int_t)a->steps, "points", (json_int_t)a->n,
		    "spacing", a->log ? "log" : "linear");
	}
	axes = json_array();
	for (j = 0; j < g->naxes; j++) {
		const struct fc_study_axis *a = g->ax[j];
		json_t *v = json_array();
		for (i = 0; i < a->n; i++)
			json_array_append_new(v, vary_json(a, i));
		if (a->list)
			json_array_append_new(axes, json_pack("{s:s, s:s, s:o}", "key", a->key,
			    "kind", "list", "values", v));
		else
			json_array_append_new(axes, json_pack("{s:s, s:s, s:o, s:o, s:i, s:s, s:o}",
			    "key", a->key, "kind", "range", "from", fc_json_num(a->from),
			    "to", fc_json_num(a->to), "steps", (json_int_t)a->steps,
			    "spacing", a->log ? "log" : "linear", "values", v));
	}
	return json_pack("{s:o, s:i}", "axes", axes, "points", (json_int_t)g->npoints);
}

/* Point i: its varied values, every figure and its breakeven users. */
static json_t *
point_json(const struct fc_scenario *s, const struct fc_study_grid *g, size_t i,
    const struct fc_mc_result *r)
{
	json_t *p = json_object();
	char key[160];
	size_t j, k;

	if (!g->grid)
		json_object_set_new(p, "value", fc_json_num(g->ax[0]->x[i]));
	for (j = 0; g->grid && j < g->naxes; j++) {
		snprintf(key, sizeof(key), "vary.%s", g->ax[j]->key);
		json_object_set_new(p, key, vary_json(g->ax[j], fc_study_index(g, i, j)));
	}
	for (k = 0; k < fc_nfigures; k++)
		if (fc_figure_applies(s, k))
			fc_json_set_dotted(p, fc_figures[k].key, r->deterministic ?
			    fc_json_num(fc_figure_get(&r->det, k)) : fc_json_stat(&r->stats[k]));
	if (!r->deterministic) {
		json_object_set_new(p, "p_breakeven_found", fc_json_num(r->p_breakeven_found));
		json_object_set_new(p, "p_flat_cheaper", fc_json_num(r->p_flat_cheaper));
	}
	return p;
}

void
fc_study_json_fill(json_t *o, const struct fc_study_run *run)
{
	const struct fc_study_grid *g = run->g;
	const struct fc_mc_result *r0 = &run->res[0];
	const struct fc_study_axis *ua = g->ax[g->naxes - 1];
	json_t *pts = json_array();
	size_t i, j;

	json_object_set_new(o, "sweep", axes_json(g));
	for (i = 0; i < g->npoints; i++)
		json_array_append_new(pts, point_json(run->s, g, i, &run->res[i]));
	json_object_set_new(o, "points", pts);
	if (!g->grid) {
		json_object_set_new(o, "breakeven", crossing_json(ua, r0->deterministic,
		    &run->cross[0]));
	} else if (g->uaxis) {
		/* along the users, at each combination of the other axes */
		json_t *all = json_array();
		for (i = 0; i < g->ncomb; i++) {
			json_t *at = json_object(), *be;
			for (j = 0; j + 1 < g->naxes; j++)
				json_object_set_new(at, g->ax[j]->key,
				    vary_json(g->ax[j], fc_study_index(g, i * g->nu, j)));
			be = crossing_json(ua, r0->deterministic, &run->cross[i]);
			json_object_set_new(be, "at", at);
			json_array_append_new(all, be);
		}
		json_object_set_new(o, "breakeven", all);
	}
	/* the inputs, as simulate reports them (the base scenario; they use
	 * r0's month only: its capacity may point into a combination's
	 * scenario, freed once its points ran) */
	json_object_set_new(o, "inputs", fc_result_json_inputs(run->s, r0));
}
