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


/* Reports */

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
fmt_dollars(char *buf, size_t len, double v)
{
	char *dot;

	fmt_money(buf, len, isfinite(v) ? floor(v + 0.5) : v);
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

static const char *
axis_name(const struct fc_study_axis *a)
{
	return a->users ? "users" : a->key;
}

static void
heading(FILE *f, const struct fc_scenario *s, const struct fc_study_axis *a,
    const struct fc_mc_result *r0, const char *pre)
{
	char x0[48], x1[48];

	fmt_x(x0, sizeof(x0), a, a->x[0]);
	fmt_x(x1, sizeof(x1), a, a->x[a->n - 1]);
	fprintf(f, "%s%s: monthly cost by %s, %s to %s in %zu %s points, month %ld\n", pre,
	    s->name ? s->name : s->file, axis_name(a), x0, x1, a->n,
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
    const struct fc_mc_result *r, const struct figs *k, int cents)
{
	void (*money)(char *, size_t, double) = cents ? fmt_money : fmt_dollars;

	fmt_x(v[0], 48, a, a->x[i]);
	if (r->deterministic) {
		money(v[1], 48, fig(r, k->api, 50));
		money(v[2], 48, fig(r, k->flat, 50));
		fc_fmt_count(v[3], 48, fig(r, k->servers, 50));
		fmt_money(v[4], 48, fig(r, k->pu_api, 50));
		fmt_money(v[5], 48, fig(r, k->pu_flat, 50));
		return;
	}
	fmt_dollars(v[1], 48, fig(r, k->api, 5));
	fmt_dollars(v[2], 48, fig(r, k->api, 50));
	fmt_dollars(v[3], 48, fig(r, k->api, 95));
	fmt_dollars(v[4], 48, fig(r, k->flat, 5));
	fmt_dollars(v[5], 48, fig(r, k->flat, 50));
	fmt_dollars(v[6], 48, fig(r, k->flat, 95));
	fc_fmt_count(v[7], 48, fig(r, k->servers, 50));
}

/* The "Cheaper" cell at the means: flat by at least a cent and viable
 * (breakeven.h), else the API, starred where flat is not viable. */
static const char *
cheaper_cell(const struct fc_mc_result *r, const struct figs *k)
{
	if (!r->breakeven.viability.viable)
		return "API*";
	return fc_flat_cheaper(fig(r, k->flat, 50), fig(r, k->api, 50), 1) ? "flat" : "API";
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
	fc_viability_text(s, &r->breakeven.viability, why, sizeof(why));
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
    const struct fc_mc_result *res, const struct figs *k, const struct fc_crossing *c)
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
    const struct fc_mc_result *res, const struct figs *k, const struct fc_crossing *c)
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
	char b[SWEEP_MAX_LABEL];
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
			fprintf(f, "%s %s in %zu listed values", j ? ";" : "", axis_name(a), a->n);
			continue;
		}
		fmt_x(x0, sizeof(x0), a, a->x[0]);
		fmt_x(x1, sizeof(x1), a, a->x[a->n - 1]);
		fprintf(f, "%s %s %s to %s in %zu %s points", j ? ";" : "", axis_name(a), x0, x1,
		    a->n, a->log ? "log-spaced" : "evenly spaced");
	}
	fputc('\n', f);
}

/* The breakeven along the users at each combination of the other axes. */
static void
grid_breakeven(FILE *f, const struct fc_study_run *run, int md)
{
	const struct fc_study_grid *g = run->g;
	char v[SWEEP_MAX_LABEL];
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
	char at[SWEEP_MAX_AXES * (SWEEP_MAX_LABEL + 130)], v[SWEEP_MAX_LABEL];
	size_t i, j;

	for (i = 0; i < g->npoints; i++) {
		if (!not_viable(&run->res[i]))
			continue;
		at[0] = '\0';
		for (j = 0; j < g->naxes; j++) {
			grid_cell(v, sizeof(v), g, j, i);
			snprintf(at + strlen(at), sizeof(at) - strlen(at), "%s%s=%s", j ? ", " : "",
			    axis_name(g->ax[j]), v);
		}
		not_viable_why(f, run->s, &run->res[i], at, md);
		return;
	}
}

static void
grid_table(FILE *f, const struct fc_study_run *run, const struct figs *k)
{
	const struct fc_study_grid *g = run->g;
	const struct fc_study_axis *last = g->ax[g->naxes - 1];
	const struct fc_mc_result *r0 = &run->res[0];
	int w[SWEEP_MAX_AXES], det = r0->deterministic;
	char v[8][48], cell[SWEEP_MAX_LABEL];
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
grid_md(FILE *f, const struct fc_study_run *run, const struct figs *k)
{
	const struct fc_study_grid *g = run->g;
	const struct fc_study_axis *last = g->ax[g->naxes - 1];
	const struct fc_mc_result *r0 = &run->res[0];
	int det = r0->deterministic;
	char v[8][48], cell[SWEEP_MAX_LABEL];
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

static int
write_report(FILE *f, int fmt, const struct fc_study_run *run, const struct figs *k)
{
	const struct fc_study_axis *a = run->g->ax[0];
	int rc = 0, grid = run->g->grid;
	json_t *j;

	switch (fmt) {
	case FMT_TABLE:
		if (grid)
			grid_table(f, run, k);
		else
			write_table(f, run->s, a, run->res, k, &run->cross[0]);
		break;
	case FMT_MD:
		if (grid)
			grid_md(f, run, k);
		else
			write_md(f, run->s, a, run->res, k, &run->cross[0]);
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
sweep_figs(struct figs *k)
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
	sw.key = axis_name(a);
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
	struct figs k;
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
