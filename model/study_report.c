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
#include "textfmt.h"

#define CELL 160         /* a CSV cell: a key of 127 characters and ".p99" */

const char *
fc_study_axis_name(const struct fc_study_axis *a)
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
			snprintf(cells[0], CELL, "%s", fc_study_axis_name(g->ax[0]));
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
		    "key", fc_study_axis_name(a), "from", fc_json_num(a->from), "to", fc_json_num(a->to),
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

/* The table and Markdown */

static void
fmt_x(char *buf, size_t len, const struct fc_study_axis *a, double v)
{
	if (a->users)
		fc_fmt_count(buf, len, v);
	else if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.6g", v);
}

/* Whole dollars: the table's columns are wide enough for sweeps. */
static void
fmt_dollars(char *buf, size_t len, const char *sym, double v)
{
	char *dot;

	fc_fmt_money(buf, len, sym, isfinite(v) ? floor(v + 0.5) : v);
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = '\0';
}

static double
fig(const struct fc_mc_result *r, long k, int p)
{
	const struct fc_stat *s = &r->stats[k];

	if (r->deterministic)
		return fc_figure_get(&r->det, (size_t)k);
	return p == 5 ? s->p5 : p == 50 ? s->p50 : p == 95 ? s->p95 : s->mean;
}


static void
heading(FILE *f, const struct fc_scenario *s, const struct fc_study_axis *a,
    const struct fc_mc_result *r0, const char *pre)
{
	char x0[48], x1[48];

	fmt_x(x0, sizeof(x0), a, a->x[0]);
	fmt_x(x1, sizeof(x1), a, a->x[a->n - 1]);
	fprintf(f, "%s%s: monthly cost by %s, %s to %s in %zu %s points, month %ld\n", pre,
	    s->name ? s->name : s->file, fc_study_axis_name(a), x0, x1, a->n,
	    a->log ? "log-spaced" : "evenly spaced", r0->month);
}

static void
breakeven_text(FILE *f, const struct fc_study_axis *a, const struct fc_crossing *c, int det, int md)
{
	char x[48], y[80], z[48], end[48];
	const char *unit = a->users ? " users" : "";
	const char *bullet = md ? "- " : "  ";
	size_t i;

	fmt_x(end, sizeof(end), a, a->x[a->n - 1]);
	fprintf(f, "%s (flat cheaper by at least a cent, %s):\n",
	    md ? "**Breakeven**" : "Breakeven", a->users ? "every input at its mean, user by user" :
	    det ? "every input at its mean" : "between the medians");
	if (c->nranges == 0) {
		fprintf(f, "%sthe API stays cheaper over the whole sweep (to %s%s)\n", bullet, end, unit);
	} else if (c->nranges == 1 && isnan(c->to[0])) {
		fmt_x(x, sizeof(x), a, c->from[0]);
		if (c->from_start)
			fprintf(f, "%sflat is cheaper over the whole sweep (from %s%s)\n", bullet, x, unit);
		else
			fprintf(f, "%sflat is cheaper for good from %s%s (to the end of the sweep, %s)\n",
			    bullet, x, unit, end);
	} else {
		if (isfinite(c->lasting)) {
			fmt_x(x, sizeof(x), a, c->lasting);
			fprintf(f, "%sflat is cheaper for good from %s%s (to the end of the sweep, %s);\n",
			    bullet, x, unit, end);
		}
		fprintf(f, "%s%s in", bullet, isfinite(c->lasting) ? "cheaper" : "flat is cheaper");
		for (i = 0; i < c->nranges; i++) {
			fmt_x(x, sizeof(x), a, c->from[i]);
			if (isnan(c->to[i]))
				snprintf(y, sizeof(y), "%s (the end)", end);
			else
				fmt_x(y, sizeof(y), a, c->to[i]);
			fprintf(f, "%s %s-%s", i ? "," : "", x, y);
		}
		fprintf(f, "%s%s\n", unit, c->truncated ? ", ..." : "");
	}
	if (c->ntrials) {
		const double *p[3] = { &c->p5, &c->p50, &c->p95 };
		char s3[3][64];
		int k;
		for (k = 0; k < 3; k++) {
			if (*p[k] == -INFINITY) {
				fmt_x(z, sizeof(z), a, a->x[0]);
				snprintf(s3[k], sizeof(s3[k]), "<= %s", z);
			} else if (*p[k] == INFINITY) {
				snprintf(s3[k], sizeof(s3[k]), "> %s", end);
			} else {
				fmt_x(s3[k], sizeof(s3[k]), a, *p[k]);
			}
		}
		if (a->users)
			fprintf(f, "%seach trial's own lasting breakeven (the %ld of %ld trials that "
			    "have one):\n%s  P5 %s, P50 %s, P95 %s%s;\n", bullet, c->nfound,
			    c->ntrials, bullet, s3[0], s3[1], s3[2], unit);
		else
			fprintf(f, "%seach trial's own first crossing (%ld trials): P5 %s, P50 %s, "
			    "P95 %s;\n", bullet, c->ntrials, s3[0], s3[1], s3[2]);
		fprintf(f, "%s%.1f%% of trials %s within the sweep, %.1f%% %s from its "
		    "start, %.1f%% never\n", md ? "  " : "    ", 100 * c->share_within,
		    a->users ? "become cheaper for good" : "cross", 100 * c->share_start,
		    a->users ? "are" : "are cheaper flat", 100 * c->share_none);
	}
}

/* For a --vary sweep, the breakeven in users at the point (at the means,
 * or the P50 over trials), a table or Markdown cell ending the row. */
static void
breakeven_cell(FILE *f, const struct fc_study_axis *a, const struct fc_mc_result *r, int md, int w)
{
	char b[48];

	if (!a->users) {
		fc_fmt_count(b, sizeof(b), r->deterministic ? r->breakeven.lasting :
		    r->breakeven_stat.p50);
		if (md)
			fprintf(f, " %s |", b);
		else
			fprintf(f, " %*s", w, b);
	}
	fputc('\n', f);
}


/*
 * The cells of point i: the axis value, then at the means the costs, the
 * servers and the costs per user, or over the trials the costs' P5, P50
 * and P95 and the servers' P50.  cents: the costs at the means to the
 * cent (Markdown); else in whole dollars, as over the trials.
 */
static void
point_cells(char v[8][48], const struct fc_study_axis *a, size_t i,
    const struct fc_mc_result *r, const struct fc_study_figs *k, int cents)
{
	void (*money)(char *, size_t, const char *, double) = cents ? fc_fmt_money : fmt_dollars;

	fmt_x(v[0], 48, a, a->x[i]);
	if (r->deterministic) {
		money(v[1], 48, k->money, fig(r, k->api, 50));
		money(v[2], 48, k->money, fig(r, k->flat, 50));
		fc_fmt_count(v[3], 48, fig(r, k->servers, 50));
		fc_fmt_money(v[4], 48, k->money, fig(r, k->pu_api, 50));
		fc_fmt_money(v[5], 48, k->money, fig(r, k->pu_flat, 50));
		return;
	}
	fmt_dollars(v[1], 48, k->money, fig(r, k->api, 5));
	fmt_dollars(v[2], 48, k->money, fig(r, k->api, 50));
	fmt_dollars(v[3], 48, k->money, fig(r, k->api, 95));
	fmt_dollars(v[4], 48, k->money, fig(r, k->flat, 5));
	fmt_dollars(v[5], 48, k->money, fig(r, k->flat, 50));
	fmt_dollars(v[6], 48, k->money, fig(r, k->flat, 95));
	fc_fmt_count(v[7], 48, fig(r, k->servers, 50));
}

/* The "Cheaper" cell at the means: flat by at least a cent and viable
 * (breakeven.h), else the API, starred where flat is not viable. */
static const char *
cheaper_cell(const struct fc_mc_result *r, const struct fc_study_figs *k)
{
	if (!r->breakeven.viability.viable)
		return "API*";
	return fc_breakeven_flat_cheaper(fig(r, k->flat, 50), fig(r, k->api, 50), 1) ? "flat" : "API";
}

/* Whether point r is starred: flat not viable (at the means, or in some
 * trials). */
static int
not_viable(const struct fc_mc_result *r)
{
	return r->deterministic ? !r->breakeven.viability.viable : r->p_viable < 1;
}

/* Under the table: why the starred points are not viable (the first, at
 * the text at). */
static void
not_viable_why(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r,
    const char *at, int md)
{
	char why[400];

	fprintf(f, "\n%s* flat is not viable%s at the starred points, so never cheaper there; at %s:",
	    md ? "\\" : "", r->deterministic ? "" : " in some trials", at);
	if (r->breakeven.viability.viable) {
		fprintf(f, " viable at the means, in %.1f%% of trials\n", 100 * r->p_viable);
		return;
	}
	fc_breakeven_viability_text(s, &r->breakeven.viability, why, sizeof(why));
	fc_text_wrap(f, why, 2, 78, 78);
}

/* Under the table: why the starred points are not viable (the first). */
static void
not_viable_note(FILE *f, const struct fc_scenario *s, const struct fc_study_axis *a,
    const struct fc_mc_result *res, int md)
{
	char x[64];
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (!not_viable(&res[i]))
			continue;
		fmt_x(x, sizeof(x), a, a->x[i]);
		if (a->users)
			strcat(x, " users");
		not_viable_why(f, s, &res[i], x, md);
		return;
	}
}

static void
write_table(FILE *f, const struct fc_scenario *s, const struct fc_study_axis *a,
    const struct fc_mc_result *res, const struct fc_study_figs *k, const struct fc_crossing *c)
{
	int w = a->users ? 10 : (int)strlen(a->key) > 10 ? (int)strlen(a->key) : 10;
	const struct fc_mc_result *r0 = &res[0];
	char v[8][48];
	size_t i;

	heading(f, s, a, r0, "");
	if (r0->deterministic)
		fprintf(f, "deterministic: every input at its mean\n\n");
	else
		fprintf(f, "Monte Carlo: %ld trials per point, seed %lu, the same trials at every "
		    "point (common random numbers)\n\n", r0->trials, r0->seed);
	if (r0->deterministic) {
		fprintf(f, "  %*s %12s %12s %8s %10s %10s %8s%s\n", w, a->users ? "Users" : a->key,
		    "API", "Flat", "Servers", "API/user", "Flat/user", "Cheaper",
		    a->users ? "" : "  Breakeven users");
		for (i = 0; i < a->n; i++) {
			const struct fc_mc_result *r = &res[i];
			point_cells(v, a, i, r, k, 0);
			fprintf(f, "  %*s %12s %12s %8s %10s %10s %8s", w, v[0], v[1], v[2], v[3],
			    v[4], v[5], cheaper_cell(r, k));
			breakeven_cell(f, a, r, 0, 13);
		}
	} else {
		fprintf(f, "  %*s %11s %11s %11s %11s %11s %11s %8s %8s", w,
		    a->users ? "Users" : a->key, "API P5", "API P50", "API P95", "Flat P5",
		    "Flat P50", "Flat P95", "Servers", "P(flat");
		fprintf(f, "%s\n", a->users ? "" : "   Breakeven");
		fprintf(f, "  %*s %11s %11s %11s %11s %11s %11s %8s %8s%s\n", w, "", "", "", "",
		    "", "", "", "P50", "cheaper)", a->users ? "" : "   users P50");
		for (i = 0; i < a->n; i++) {
			const struct fc_mc_result *r = &res[i];
			point_cells(v, a, i, r, k, 0);
			fprintf(f, "  %*s %11s %11s %11s %11s %11s %11s %8s %7.1f%%%s", w, v[0], v[1],
			    v[2], v[3], v[4], v[5], v[6], v[7], 100 * r->p_flat_cheaper,
			    r->p_viable < 1 ? "*" : "");
			breakeven_cell(f, a, r, 0, 13);
		}
	}
	not_viable_note(f, s, a, res, 0);
	fputc('\n', f);
	breakeven_text(f, a, c, r0->deterministic, 0);
}

static void
write_md(FILE *f, const struct fc_scenario *s, const struct fc_study_axis *a,
    const struct fc_mc_result *res, const struct fc_study_figs *k, const struct fc_crossing *c)
{
	const struct fc_mc_result *r0 = &res[0];
	char v[8][48];
	size_t i;

	heading(f, s, a, r0, "### ");
	if (r0->deterministic)
		fprintf(f, "\nDeterministic: every input at its mean.\n\n");
	else
		fprintf(f, "\nMonte Carlo: %ld trials per point, seed %lu, the same trials at every "
		    "point (common random numbers).\n\n", r0->trials, r0->seed);
	if (r0->deterministic) {
		fprintf(f, "| %s | API | Flat | Servers | API per user | Flat per user |%s\n"
		    "|---:|---:|---:|---:|---:|---:|%s\n", a->users ? "Users" : a->key,
		    a->users ? "" : " Breakeven users |", a->users ? "" : "---:|");
		for (i = 0; i < a->n; i++) {
			const struct fc_mc_result *r = &res[i];
			point_cells(v, a, i, r, k, 1);
			fprintf(f, "| %s%s | %s | %s | %s | %s | %s |", v[0],
			    r->breakeven.viability.viable ? "" : "\\*", v[1], v[2], v[3], v[4], v[5]);
			breakeven_cell(f, a, r, 1, 0);
		}
	} else {
		fprintf(f, "| %s | API P5 | API P50 | API P95 | Flat P5 | Flat P50 | Flat P95 | "
		    "Servers P50 | P(flat cheaper) |%s\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|%s\n",
		    a->users ? "Users" : a->key, a->users ? "" : " Breakeven users P50 |",
		    a->users ? "" : "---:|");
		for (i = 0; i < a->n; i++) {
			const struct fc_mc_result *r = &res[i];
			point_cells(v, a, i, r, k, 0);
			fprintf(f, "| %s%s | %s | %s | %s | %s | %s | %s | %s | %.1f%% |", v[0],
			    r->p_viable < 1 ? "\\*" : "", v[1], v[2], v[3], v[4], v[5], v[6], v[7],
			    100 * r->p_flat_cheaper);
			breakeven_cell(f, a, r, 1, 0);
		}
	}
	not_viable_note(f, s, a, res, 1);
	fputc('\n', f);
	breakeven_text(f, a, c, r0->deterministic, 1);
}

/* Grids: the table and Markdown */

/* The text of point p's value on axis j: a count, a number or an element. */
static void
grid_cell(char *buf, size_t len, const struct fc_study_grid *g, size_t j, size_t p)
{
	const struct fc_study_axis *a = g->ax[j];
	size_t x = fc_study_index(g, p, j);

	if (a->list)
		snprintf(buf, len, "%s", a->label[x]);
	else
		fmt_x(buf, len, a, a->x[x]);
}

/* The varied columns' widths: the key, or the widest value. */
static void
grid_widths(const struct fc_study_grid *g, int *w)
{
	char b[FC_STUDY_MAX_LABEL];
	size_t j, i;

	for (j = 0; j < g->naxes; j++) {
		const struct fc_study_axis *a = g->ax[j];
		w[j] = a->users ? 5 : (int)strlen(a->key);
		for (i = 0; i < a->n; i++) {
			int l;
			if (a->list)
				snprintf(b, sizeof(b), "%s", a->label[i]);
			else
				fmt_x(b, sizeof(b), a, a->x[i]);
			l = (int)strlen(b);
			w[j] = l > w[j] ? l : w[j];
		}
	}
}

static void
grid_heading(FILE *f, const struct fc_study_run *run, const char *pre)
{
	const struct fc_study_grid *g = run->g;
	char x0[48], x1[48];
	size_t j;

	fprintf(f, "%s%s: monthly cost over a grid of %zu points, month %ld:", pre,
	    run->s->name ? run->s->name : run->s->file, g->npoints, run->res[0].month);
	for (j = 0; j < g->naxes; j++) {
		const struct fc_study_axis *a = g->ax[j];
		if (a->list) {
			fprintf(f, "%s %s in %zu listed values", j ? ";" : "", fc_study_axis_name(a), a->n);
			continue;
		}
		fmt_x(x0, sizeof(x0), a, a->x[0]);
		fmt_x(x1, sizeof(x1), a, a->x[a->n - 1]);
		fprintf(f, "%s %s %s to %s in %zu %s points", j ? ";" : "", fc_study_axis_name(a), x0, x1,
		    a->n, a->log ? "log-spaced" : "evenly spaced");
	}
	fputc('\n', f);
}

/* The breakeven along the users at each combination of the other axes. */
static void
grid_breakeven(FILE *f, const struct fc_study_run *run, int md)
{
	const struct fc_study_grid *g = run->g;
	char v[FC_STUDY_MAX_LABEL];
	size_t c, j;

	if (!g->uaxis)
		return;
	for (c = 0; c < g->ncomb; c++) {
		fprintf(f, "%s", md ? "#### At" : "At");
		for (j = 0; j + 1 < g->naxes; j++) {
			grid_cell(v, sizeof(v), g, j, c * g->nu);
			fprintf(f, "%s %s=%s", j ? "," : "", g->ax[j]->key, v);
		}
		fprintf(f, "%s\n", md ? "\n" : "");
		breakeven_text(f, g->ax[g->naxes - 1], &run->cross[c], run->res[0].deterministic, md);
		if (c + 1 < g->ncomb)
			fputc('\n', f);
	}
}

/* Under a grid's table: why the starred points are not viable (the
 * first, named by its values). */
static void
grid_not_viable(FILE *f, const struct fc_study_run *run, int md)
{
	const struct fc_study_grid *g = run->g;
	char at[FC_STUDY_MAX_AXES * (FC_STUDY_MAX_LABEL + 130)], v[FC_STUDY_MAX_LABEL];
	size_t i, j;

	for (i = 0; i < g->npoints; i++) {
		if (!not_viable(&run->res[i]))
			continue;
		at[0] = '\0';
		for (j = 0; j < g->naxes; j++) {
			grid_cell(v, sizeof(v), g, j, i);
			snprintf(at + strlen(at), sizeof(at) - strlen(at), "%s%s=%s", j ? ", " : "",
			    fc_study_axis_name(g->ax[j]), v);
		}
		not_viable_why(f, run->s, &run->res[i], at, md);
		return;
	}
}

static void
grid_table(FILE *f, const struct fc_study_run *run, const struct fc_study_figs *k)
{
	const struct fc_study_grid *g = run->g;
	const struct fc_study_axis *last = g->ax[g->naxes - 1];
	const struct fc_mc_result *r0 = &run->res[0];
	int w[FC_STUDY_MAX_AXES], det = r0->deterministic;
	char v[8][48], cell[FC_STUDY_MAX_LABEL];
	size_t i, j;

	grid_heading(f, run, "");
	if (det)
		fprintf(f, "deterministic: every input at its mean\n\n");
	else
		fprintf(f, "Monte Carlo: %ld trials per point, seed %lu, the same trials at every "
		    "point (common random numbers)\n\n", r0->trials, r0->seed);
	grid_widths(g, w);
	fputs(" ", f);
	for (j = 0; j < g->naxes; j++)
		fprintf(f, " %*s", w[j], g->ax[j]->users ? "Users" : g->ax[j]->key);
	if (det)
		fprintf(f, " %12s %12s %8s %10s %10s %8s%s\n", "API", "Flat", "Servers", "API/user",
		    "Flat/user", "Cheaper", g->uaxis ? "" : " Breakeven users");
	else
		fprintf(f, " %11s %11s %11s %11s %11s %11s %11s %15s%s\n", "API P5", "API P50",
		    "API P95", "Flat P5", "Flat P50", "Flat P95", "Servers P50", "P(flat cheaper)",
		    g->uaxis ? "" : " Breakeven users P50");
	for (i = 0; i < g->npoints; i++) {
		const struct fc_mc_result *r = &run->res[i];
		fputs(" ", f);
		for (j = 0; j < g->naxes; j++) {
			grid_cell(cell, sizeof(cell), g, j, i);
			fprintf(f, " %*s", w[j], cell);
		}
		point_cells(v, last, fc_study_index(g, i, g->naxes - 1), r, k, 0);
		if (det)
			fprintf(f, " %12s %12s %8s %10s %10s %8s", v[1], v[2], v[3], v[4], v[5],
			    cheaper_cell(r, k));
		else
			fprintf(f, " %11s %11s %11s %11s %11s %11s %11s %14.1f%%%s", v[1], v[2], v[3],
			    v[4], v[5], v[6], v[7], 100 * r->p_flat_cheaper, r->p_viable < 1 ? "*" : "");
		breakeven_cell(f, last, r, 0, det ? 15 : 19);
	}
	grid_not_viable(f, run, 0);
	fputc('\n', f);
	grid_breakeven(f, run, 0);
}

static void
grid_md(FILE *f, const struct fc_study_run *run, const struct fc_study_figs *k)
{
	const struct fc_study_grid *g = run->g;
	const struct fc_study_axis *last = g->ax[g->naxes - 1];
	const struct fc_mc_result *r0 = &run->res[0];
	int det = r0->deterministic;
	char v[8][48], cell[FC_STUDY_MAX_LABEL];
	size_t i, j;

	grid_heading(f, run, "### ");
	if (det)
		fprintf(f, "\nDeterministic: every input at its mean.\n\n|");
	else
		fprintf(f, "\nMonte Carlo: %ld trials per point, seed %lu, the same trials at every "
		    "point (common random numbers).\n\n|", r0->trials, r0->seed);
	for (j = 0; j < g->naxes; j++) {
		fputc(' ', f);
		fc_md_text(f, g->ax[j]->users ? "Users" : g->ax[j]->key);
		fputs(" |", f);
	}
	fprintf(f, "%s%s\n|", det ? " API | Flat | Servers | API per user | Flat per user |" :
	    " API P5 | API P50 | API P95 | Flat P5 | Flat P50 | Flat P95 | Servers P50 | "
	    "P(flat cheaper) |", g->uaxis ? "" : det ? " Breakeven users |" :
	    " Breakeven users P50 |");
	for (j = 0; j < g->naxes + (det ? 5 : 8) + !g->uaxis; j++)
		fputs(j < g->naxes && g->ax[j]->list ? "---|" : "---:|", f);
	fputc('\n', f);
	for (i = 0; i < g->npoints; i++) {
		const struct fc_mc_result *r = &run->res[i];
		fputc('|', f);
		for (j = 0; j < g->naxes; j++) {
			grid_cell(cell, sizeof(cell), g, j, i);
			fputc(' ', f);
			fc_md_text(f, cell);
			fputs(j == 0 && not_viable(r) ? "\\* |" : " |", f);
		}
		point_cells(v, last, fc_study_index(g, i, g->naxes - 1), r, k, det);
		if (det)
			fprintf(f, " %s | %s | %s | %s | %s |", v[1], v[2], v[3], v[4], v[5]);
		else
			fprintf(f, " %s | %s | %s | %s | %s | %s | %s | %.1f%% |", v[1], v[2], v[3],
			    v[4], v[5], v[6], v[7], 100 * r->p_flat_cheaper);
		breakeven_cell(f, last, r, 1, 0);
	}
	grid_not_viable(f, run, 1);
	fputc('\n', f);
	grid_breakeven(f, run, 1);
}


void
fc_study_write_text(FILE *f, const struct fc_study_run *run, const struct fc_study_figs *k,
    int md)
{
	const struct fc_study_axis *a = run->g->ax[0];

	if (run->g->grid && md)
		grid_md(f, run, k);
	else if (run->g->grid)
		grid_table(f, run, k);
	else if (md)
		write_md(f, run->s, a, run->res, k, &run->cross[0]);
	else
		write_table(f, run->s, a, run->res, k, &run->cross[0]);
}
