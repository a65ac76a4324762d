/*
 * cmd_sweep.c: `flatcost sweep SCENARIO`: both architectures' monthly cost
 * along a range of user counts, or of any number of the scenario, with
 * the breakeven across the range, its spread over the trials, and charts.
 *
 * Every point runs the same trials.  fc_mc_run seeds trial i's inputs and
 * traffic from (seed, i) alone, so one seed for all points gives common
 * random numbers: the curves are smooth, neighbouring points compare
 * fairly, and a trial's costs along the sweep form that trial's own curve.
 * A trial's breakeven is where its flat cost first drops to its API cost;
 * the P5-P95 of those crossings is the band of the breakeven.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data.h"
#include "mc.h"
#include "plot.h"
#include "report.h"
#include "scenario.h"
#include "ynode.h"

#define MAX_STEPS 1000
#define DEFAULT_STEPS 25
#define MAX_USERS 1e10
#define CELL 160         /* a CSV cell: a key of 127 characters and ".p99" */

/* The swept axis and its points. */
struct axis {
	char key[128];       /* "users" or the --vary dotted path */
	int users;           /* the user count: whole numbers, o.users */
	int log;             /* log-spaced points */
	double from, to;
	long steps;          /* as asked; n may be fewer (user counts rounded) */
	size_t n;
	double x[MAX_STEPS];
};

struct progress {
	struct timespec start;
	size_t point, npoints;
	int shown, cleared;
};

/* A progress bar over all points' trials, shown only after the first second. */
static void
progress_cb(void *ctx, long done, long total)
{
	struct progress *p = ctx;
	double e = cli_elapsed(&p->start), frac;
	int last = p->point + 1 >= p->npoints && done >= total;

	if ((e < 1 && !last) || p->cleared)
		return;
	if (!p->shown && last)
		return;
	frac = ((double)p->point + (total > 0 ? (double)done / (double)total : 1)) /
	    (double)p->npoints;
	cli_progress_bar((int)((double)CLI_BAR_WIDTH * frac));
	fprintf(stderr, " point %zu/%zu, %.1fs", p->point + 1, p->npoints, e);
	if (last) {
		fputs("\r\033[K", stderr);
		p->cleared = 1;
	}
	p->shown = 1;
	fflush(stderr);
}

static const char *const usage_cmd = "sweep";

/* Parses FROM:TO[:STEPS] of option opt; steps stays as it was when absent. */
static int
parse_range(const char *opt, const char *s, int need_steps, double *from, double *to,
    long *steps)
{
	char buf[128], *c1, *c2;

	if (strlen(s) >= sizeof(buf))
		return cli_usage_error(usage_cmd, "%s: '%s' is too long", opt, s);
	strcpy(buf, s);
	c1 = strchr(buf, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || (need_steps && c2 == NULL) || (c2 && strchr(c2 + 1, ':')))
		return cli_usage_error(usage_cmd, "%s: expected FROM:TO%s, got '%s'", opt,
		    need_steps ? ":STEPS" : "[:STEPS]", s);
	*c1 = '\0';
	if (c2)
		*c2 = '\0';
	if (fc_parse_double(buf, from) != 0 || !isfinite(*from))
		return cli_usage_error(usage_cmd, "%s: FROM '%s' is not a number", opt, buf);
	if (fc_parse_double(c1 + 1, to) != 0 || !isfinite(*to))
		return cli_usage_error(usage_cmd, "%s: TO '%s' is not a number", opt, c1 + 1);
	if (c2 && arg_long(usage_cmd, opt, c2 + 1, 2, MAX_STEPS, steps))
		return EXIT_USAGE;
	if (!(*from < *to))
		return cli_usage_error(usage_cmd, "%s: expected FROM < TO, got '%s'", opt, s);
	return 0;
}

static int
check_users_range(const struct axis *a, const char *opt)
{
	if (a->from < 1 || a->to > MAX_USERS)
		return cli_usage_error(usage_cmd, "%s: user counts must be from 1 to %g", opt,
		    MAX_USERS);
	if (a->from != floor(a->from) || a->to != floor(a->to))
		return cli_usage_error(usage_cmd, "%s: user counts must be whole numbers", opt);
	return 0;
}

/* The points: log- or evenly spaced, user counts rounded and unique. */
static void
make_points(struct axis *a)
{
	long i;

	a->n = 0;
	for (i = 0; i < a->steps; i++) {
		double t = (double)i / (double)(a->steps - 1), v;
		if (i == 0)
			v = a->from;
		else if (i == a->steps - 1)
			v = a->to;
		else if (a->log)
			v = exp(log(a->from) + t * (log(a->to) - log(a->from)));
		else
			v = a->from + t * (a->to - a->from);
		if (a->users)
			v = floor(v + 0.5);
		if (a->n > 0 && v <= a->x[a->n - 1])
			continue;
		a->x[a->n++] = v;
	}
}

/* flat - api at point r: at the means, or between the medians;
 * INFINITY where flat is not viable (never cheaper). */
static double
point_diff(const struct fc_mc_result *r, long kapi, long kflat)
{
	if (!r->breakeven.viability.viable)
		return INFINITY;
	if (r->deterministic)
		return fc_figure_get(&r->det, (size_t)kflat) - fc_figure_get(&r->det, (size_t)kapi);
	return r->stats[kflat].p50 - r->stats[kapi].p50;
}

/* The breakeven across the sweep (breakeven.h): along the users, the
 * exact search of the first point's run with the trials' lasting
 * breakevens; along another axis, the points' and (diff: npoints x
 * trials of flat - api) the trials' crossings.  The second pointer is the
 * first point's trials, kept for this. */
static int
find_crossing(const struct axis *a, const struct fc_mc_result *res, const double *lasting,
    long kapi, long kflat, const double *diff, long trials, struct fc_crossing *c)
{
	double d[MAX_STEPS];
	size_t i;
	enum fc_status st;

	if (a->users)
		st = fc_crossing_users(&res[0].breakeven, lasting,
		    lasting ? (size_t)res[0].breakeven_trials : 0, c);
	else {
		for (i = 0; i < a->n; i++)
			d[i] = point_diff(&res[i], kapi, kflat);
		st = fc_crossing_grid(a->x, a->n, a->log, d, diff, trials, c);
	}
	return st == FC_OK ? EXIT_OK : cli_oom();
}

/* Reports */

static void
fmt_x(char *buf, size_t len, const struct axis *a, double v)
{
	if (a->users)
		fmt_count(buf, len, v);
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
axis_name(const struct axis *a)
{
	return a->users ? "users" : a->key;
}

static void
heading(FILE *f, const struct fc_scenario *s, const struct axis *a,
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
breakeven_text(FILE *f, const struct axis *a, const struct fc_crossing *c, int det, int md)
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
breakeven_cell(FILE *f, const struct axis *a, const struct fc_mc_result *r, int md)
{
	char b[48];

	if (!a->users) {
		fmt_count(b, sizeof(b), r->deterministic ? r->breakeven.lasting :
		    r->breakeven_stat.p50);
		fprintf(f, md ? " %s |" : " %13s", b);
	}
	fputc('\n', f);
}

struct figs {
	long api, flat, servers, pu_api, pu_flat;
};

/*
 * The cells of point i: the axis value, then at the means the costs, the
 * servers and the costs per user, or over the trials the costs' P5, P50
 * and P95 and the servers' P50.  cents: the costs at the means to the
 * cent (Markdown); else in whole dollars, as over the trials.
 */
static void
point_cells(char v[8][48], const struct axis *a, size_t i,
    const struct fc_mc_result *r, const struct figs *k, int cents)
{
	void (*money)(char *, size_t, double) = cents ? fmt_money : fmt_dollars;

	fmt_x(v[0], 48, a, a->x[i]);
	if (r->deterministic) {
		money(v[1], 48, fig(r, k->api, 50));
		money(v[2], 48, fig(r, k->flat, 50));
		fmt_count(v[3], 48, fig(r, k->servers, 50));
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
	fmt_count(v[7], 48, fig(r, k->servers, 50));
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

/* Under the table: why the starred points are not viable (the first). */
static void
not_viable_note(FILE *f, const struct fc_scenario *s, const struct axis *a,
    const struct fc_mc_result *res, int md)
{
	char why[400], x[48];
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct fc_mc_result *r = &res[i];
		if (r->deterministic ? r->breakeven.viability.viable : r->p_viable >= 1)
			continue;
		fmt_x(x, sizeof(x), a, a->x[i]);
		fprintf(f, "\n%s* flat is not viable%s at the starred points, so never cheaper there; at %s%s:", md ? "\\" : "",
		    r->deterministic ? "" : " in some trials", x, a->users ? " users" : "");
		if (r->breakeven.viability.viable) {
			fprintf(f, " viable at the means, in %.1f%% of trials\n", 100 * r->p_viable);
			return;
		}
		fc_viability_text(s, &r->breakeven.viability, why, sizeof(why));
		report_wrap(f, why, 2, 78, 78);
		return;
	}
}

static void
write_table(FILE *f, const struct fc_scenario *s, const struct axis *a,
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
			breakeven_cell(f, a, r, 0);
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
			breakeven_cell(f, a, r, 0);
		}
	}
	not_viable_note(f, s, a, res, 0);
	fputc('\n', f);
	breakeven_text(f, a, c, r0->deterministic, 0);
}

static void
write_md(FILE *f, const struct fc_scenario *s, const struct axis *a,
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
			breakeven_cell(f, a, r, 1);
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
			breakeven_cell(f, a, r, 1);
		}
	}
	not_viable_note(f, s, a, res, 1);
	fputc('\n', f);
	breakeven_text(f, a, c, r0->deterministic, 1);
}

static void
num_cell(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.10g", v == 0 ? 0 : v);
	else
		buf[0] = '\0';
}

/* One row per point: the axis, then every figure (FIG, or FIG.mean .p5
 * .p50 .p95 .p99), P(flat cheaper) and the breakeven in users at that
 * point.  The users axis leaves out the figure "users": it is the axis. */
static int
write_csv(FILE *f, const struct fc_scenario *sc, const struct axis *a,
    const struct fc_mc_result *res)
{
	static const char *const st[] = { "mean", "p5", "p50", "p95", "p99" };
	int det = res[0].deterministic, nst = det ? 1 : 5, j;
	size_t ncols = 1 + fc_nfigures * (size_t)nst + (det ? 0 : 1), i, k, c;
	char **cells = fc_calloc(ncols, sizeof(char *));
	char *buf = fc_malloc(ncols * CELL);

	if (cells == NULL || buf == NULL) {
		fc_free(cells);
		fc_free(buf);
		return cli_oom();
	}
	for (c = 0; c < ncols; c++)
		cells[c] = buf + c * CELL;
	c = 0;
	snprintf(cells[c++], CELL, "%s", axis_name(a));
	for (k = 0; k < fc_nfigures; k++) {
		const char *key = fc_figures[k].key;
		if ((a->users && strcmp(key, "users") == 0) || !fc_figure_applies(sc, k))
			continue;
		for (j = 0; j < nst; j++)
			snprintf(cells[c++], CELL, det ? "%s" : "%s.%s", key, st[j]);
	}
	if (!det)
		snprintf(cells[c++], CELL, "p_flat_cheaper");
	csv_row(f, (const char *const *)cells, c);
	for (i = 0; i < a->n; i++) {
		const struct fc_mc_result *r = &res[i];
		c = 0;
		num_cell(cells[c++], CELL, a->x[i]);
		for (k = 0; k < fc_nfigures; k++) {
			const struct fc_stat *s = &r->stats[k];
			if ((a->users && strcmp(fc_figures[k].key, "users") == 0) ||
			    !fc_figure_applies(sc, k))
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
		csv_row(f, (const char *const *)cells, c);
	}
	fc_free(cells);
	fc_free(buf);
	return EXIT_OK;
}

/* A crossing percentile: a number, or null outside the sweep. */
static json_t *
cross_json(double v)
{
	return isinf(v) ? json_null() : json_num(v);
}

static json_t *
sweep_json(const struct fc_scenario *s, const struct axis *a, const struct fc_mc_result *res,
    const struct fc_crossing *c)
{
	const struct fc_mc_result *r0 = &res[0];
	json_t *o = report_json_head(s, r0), *pts = json_array(), *ranges = json_array();
	json_t *be, *full;
	size_t i, k;

	json_object_set_new(o, "sweep", json_pack("{s:s, s:o, s:o, s:i, s:i, s:s}",
	    "key", axis_name(a), "from", json_num(a->from), "to", json_num(a->to),
	    "steps", (json_int_t)a->steps, "points", (json_int_t)a->n,
	    "spacing", a->log ? "log" : "linear"));
	for (i = 0; i < a->n; i++) {
		const struct fc_mc_result *r = &res[i];
		json_t *p = json_object();
		json_object_set_new(p, "value", json_num(a->x[i]));
		for (k = 0; k < fc_nfigures; k++)
			if (fc_figure_applies(s, k))
				json_set_dotted(p, fc_figures[k].key, r->deterministic ?
				    json_num(fc_figure_get(&r->det, k)) : json_stat(&r->stats[k]));
		if (!r->deterministic) {
			json_object_set_new(p, "p_breakeven_found", json_num(r->p_breakeven_found));
			json_object_set_new(p, "p_flat_cheaper", json_num(r->p_flat_cheaper));
		}
		json_array_append_new(pts, p);
	}
	json_object_set_new(o, "points", pts);
	for (i = 0; i < c->nranges; i++)
		json_array_append_new(ranges, json_pack("{s:o, s:o}", "from",
		    json_num(c->from[i]), "to", json_num(c->to[i])));
	be = json_pack("{s:s, s:o, s:o, s:b, s:o, s:b}", "basis",
	    r0->deterministic ? "deterministic" : a->users ? "means" : "p50",
	    "first", c->nranges ? json_num(c->from[0]) : json_null(),
	    "lasting", json_num(c->lasting),
	    "from_start", c->from_start, "ranges", ranges, "truncated", c->truncated);
	if (c->ntrials)
		json_object_set_new(be, "trials", json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
		    "of", a->users ? "lasting" : "first", "n", (json_int_t)(a->users ? c->nfound :
		    c->ntrials),
		    "p5", cross_json(c->p5), "p50", cross_json(c->p50), "p95", cross_json(c->p95),
		    "share_within", json_num(c->share_within),
		    "share_from_start", json_num(c->share_start),
		    "share_none", json_num(c->share_none)));
	json_object_set_new(o, "breakeven", be);
	/* the inputs, as simulate reports them (the base scenario) */
	full = report_json(s, r0);
	if (full && json_object_get(full, "inputs"))
		json_object_set(o, "inputs", json_object_get(full, "inputs"));
	json_decref(full);
	return o;
}

static int
write_report(FILE *f, int fmt, const struct fc_scenario *s, const struct axis *a,
    const struct fc_mc_result *res, const struct figs *k, const struct fc_crossing *c)
{
	int rc = 0;

	switch (fmt) {
	case FMT_TABLE:
		write_table(f, s, a, res, k, c);
		break;
	case FMT_MD:
		write_md(f, s, a, res, k, c);
		break;
	case FMT_CSV:
		if (write_csv(f, s, a, res) != EXIT_OK)
			return -1;
		break;
	default:
		rc = report_json_dump(f, sweep_json(s, a, res, c));
		break;
	}
	return ferror(f) ? -1 : rc;
}

/*
 * The swept axis from --users and --vary (either may be NULL) and the
 * spacing (-1: the default, 0 linear, 1 log): its points in a->x, and in
 * *fixed_users the user count of a --vary sweep (NaN when not given).
 * Returns 0, or EXIT_USAGE after printing why.  The fuzz target
 * tests/fuzz/fuzz_range.c calls it with arbitrary arguments.
 */
static int
parse_axis(const char *users_arg, const char *vary_arg, int spacing, struct axis *a,
    double *fixed_users)
{
	a->steps = DEFAULT_STEPS;
	*fixed_users = NAN;
	if (vary_arg) {
		const char *eq = strchr(vary_arg, '=');
		if (eq == NULL || eq == vary_arg || (size_t)(eq - vary_arg) >= sizeof(a->key)) {
			cli_usage_error(usage_cmd, "--vary: expected KEY=FROM:TO:STEPS, got '%s'",
			    vary_arg);
			return EXIT_USAGE;
		}
		memcpy(a->key, vary_arg, (size_t)(eq - vary_arg));
		a->key[eq - vary_arg] = '\0';
		if (parse_range("--vary", eq + 1, 1, &a->from, &a->to, &a->steps))
			return EXIT_USAGE;
		a->users = strcmp(a->key, "users") == 0;
		if (a->users && users_arg) {
			cli_usage_error(usage_cmd, "--vary users=... and --users: give one");
			return EXIT_USAGE;
		}
		if (a->users && check_users_range(a, "--vary"))
			return EXIT_USAGE;
		if (users_arg) {
			if (strchr(users_arg, ':')) {
				cli_usage_error(usage_cmd, "--users FROM:TO and --vary sweep two axes; "
				    "give one (or --users N to fix the user count)");
				return EXIT_USAGE;
			}
			if (arg_double(usage_cmd, "--users", users_arg, 1, MAX_USERS, fixed_users))
				return EXIT_USAGE;
			if (*fixed_users != floor(*fixed_users)) {
				cli_usage_error(usage_cmd, "--users: expected a whole number, got '%s'",
				    users_arg);
				return EXIT_USAGE;
			}
		}
	} else if (users_arg) {
		if (strchr(users_arg, ':') == NULL) {
			cli_usage_error(usage_cmd, "--users: a sweep needs a range FROM:TO[:STEPS], "
			    "got '%s'", users_arg);
			return EXIT_USAGE;
		}
		strcpy(a->key, "users");
		a->users = 1;
		if (parse_range("--users", users_arg, 0, &a->from, &a->to, &a->steps) ||
		    check_users_range(a, "--users"))
			return EXIT_USAGE;
	} else {
		cli_usage_error(usage_cmd, "nothing to sweep: give --users FROM:TO[:STEPS] or "
		    "--vary KEY=FROM:TO:STEPS");
		return EXIT_USAGE;
	}
	/* user counts are log-spaced by default, other numbers evenly */
	a->log = spacing >= 0 ? spacing : a->users;
	if (a->log && a->from <= 0) {
		cli_usage_error(usage_cmd, "--log needs FROM > 0; use --linear");
		return EXIT_USAGE;
	}
	make_points(a);
	if (a->n < 2)
		return cli_usage_error(usage_cmd, "the range gives fewer than 2 distinct points");
	return 0;
}

/* Says why point i could not be simulated; the exit status. */
static int
point_failed(const struct axis *a, size_t i, const char *file, const struct progress *prog,
    enum fc_status st)
{
	char x[48];

	if (cli_interrupted) {
		if (prog->shown)
			fputs("\r\033[K", stderr);
		cli_err("interrupted");
		return EXIT_SIGINT;
	}
	if (st == FC_ENOMEM)
		return cli_oom();
	fmt_x(x, sizeof(x), a, a->x[i]);
	cli_err("%s: cannot simulate at %s=%s: %s", file, axis_name(a), x, fc_strstatus(st));
	return EXIT_RUNTIME;
}

/*
 * Runs every point, all with o's seed (common random numbers), keeping
 * each point's statistics.  Along the users the breakeven is searched
 * once, at the first point, over the sweep's range (it does not depend on
 * the point's user count) and copied to the others, with the first
 * point's trials' lasting breakevens in *lasting; along another axis
 * every trial's flat - api goes to *diff (npoints x trials, INFINITY
 * where flat is not viable).
 */
static int
run_points(const struct axis *a, struct fc_scenario **scen, double fixed_users,
    struct fc_mc_opts *o, const struct figs *k, struct progress *prog,
    struct fc_mc_result *res, double **diff, double **lasting)
{
	size_t i, n = a->n, tr = (size_t)o->trials;
	long kv = fc_figure_index("flat.viable"), kb = fc_figure_index("breakeven_users");

	if (!o->deterministic && !a->users && (tr > ((size_t)-1 / sizeof(double)) / n ||
	    (*diff = fc_malloc(n * tr * sizeof(double))) == NULL))
		return cli_oom();
	if (a->users) {
		o->breakeven_from = a->x[0];
		o->breakeven_to = a->x[n - 1];
	}
	for (i = 0; i < n; i++) {
		enum fc_status st;
		size_t t;

		prog->point = i;
		o->users = a->users ? a->x[i] : fixed_users;
		o->no_breakeven = a->users && i > 0;
		if ((st = fc_mc_run(scen[i], o, &res[i])) != FC_OK)
			return point_failed(a, i, scen[0]->file, prog, st);
		for (t = 0; *diff && t < tr; t++) {
			const double *v = res[i].samples + t * fc_nfigures;
			(*diff)[i * tr + t] = v[kv] != 0 ? v[k->flat] - v[k->api] : INFINITY;
		}
		if (i == 0 && res[0].trial_lasting) {
			*lasting = res[0].trial_lasting;
			res[0].trial_lasting = NULL;
		}
		if (i > 0 && a->users) {
			res[i].det.breakeven_users = res[0].det.breakeven_users;
			res[i].stats[kb] = res[0].stats[kb];
			res[i].breakeven = res[0].breakeven;
			res[i].breakeven_stat = res[0].breakeven_stat;
			res[i].first_stat = res[0].first_stat;
			res[i].p_breakeven_found = res[0].p_breakeven_found;
			res[i].breakeven_trials = res[0].breakeven_trials;
		}
		/* the statistics stay; the samples are not needed any more */
		fc_mc_result_free(&res[i]);
	}
	return EXIT_OK;
}

static int
known_key(const char *key)
{
	const char *const *p;

	for (p = fc_scenario_paths(); *p; p++)
		if (strcmp(*p, key) == 0)
			return 1;
	return 0;
}

/* The scenario of each point: s along the users, else the file with
 * KEY=VALUE after the --set overrides, on the catalog loaded once (all
 * validated before any work).  The axis then holds each value exactly as
 * the scenario read it. */
static int
load_points(const char *path, struct cli_mc_args *mc, const char *vary_arg, struct axis *a,
    struct fc_catalog **cat, struct fc_scenario *s, struct fc_scenario **scen,
    char (*setbuf)[192])
{
	size_t i;
	int rc;

	for (i = 0; i < a->n; i++) {
		if (a->users) {
			scen[i] = s;
			continue;
		}
		snprintf(setbuf[i], sizeof(setbuf[i]), "%s=%.15g", a->key, a->x[i]);
		a->x[i] = strtod(strchr(setbuf[i], '=') + 1, NULL);
		mc->sets[mc->nsets] = setbuf[i];
		if ((rc = load_scenario_vary(path, mc->sets, mc->nsets + 1, cat, &scen[i])) != EXIT_OK) {
			if (rc == EXIT_USAGE && known_key(a->key))
				cli_err("--vary %s: the point %s=%.15g is not valid", vary_arg,
				    a->key, a->x[i]);
			return rc;
		}
	}
	return EXIT_OK;
}

/* The chart, marking the lasting breakeven (the headline) and the band
 * of the trials'. */
static int
draw_chart(const char *plot_path, const char *script_dir, int chart,
    const struct fc_scenario *s, const struct axis *a, const struct fc_mc_result *res,
    const struct fc_crossing *cross, struct plot_out *po)
{
	struct plot_sweep sw;

	sw.s = s;
	sw.key = axis_name(a);
	sw.log_x = a->log;
	sw.n = a->n;
	sw.x = a->x;
	sw.r = res;
	sw.cross = cross->lasting > a->x[0] ? cross->lasting : NAN;
	sw.cross_lo = sw.cross_hi = NAN;
	if (cross->ntrials) {
		sw.cross_lo = cross->p5 < a->x[0] ? a->x[0] : cross->p5;
		sw.cross_hi = cross->p95 > a->x[a->n - 1] ? a->x[a->n - 1] : cross->p95;
	}
	return plot_sweep(plot_path, script_dir, (enum plot_chart)chart, &sw, po);
}

enum {
	OPT_CHART = CLI_OPT_OWN, OPT_FORMAT, OPT_LINEAR, OPT_LOG, OPT_PLOT, OPT_PLOT_SCRIPT,
	OPT_USERS, OPT_VARY, OPT_CURRENCY,
};

int
cmd_sweep(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "chart", required_argument, NULL, OPT_CHART },
		{ "currency", required_argument, NULL, OPT_CURRENCY },
		{ "deterministic", no_argument, NULL, CLI_OPT_DETERMINISTIC },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "linear", no_argument, NULL, OPT_LINEAR },
		{ "log", no_argument, NULL, OPT_LOG },
		{ "no-user-data", no_argument, NULL, CLI_OPT_NO_USER_DATA },
		{ "output", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "plot-script", required_argument, NULL, OPT_PLOT_SCRIPT },
		{ "seed", required_argument, NULL, CLI_OPT_SEED },
		{ "set", required_argument, NULL, CLI_OPT_SET },
		{ "strict-data", no_argument, NULL, CLI_OPT_STRICT_DATA },
		{ "threads", required_argument, NULL, CLI_OPT_THREADS },
		{ "trials", required_argument, NULL, CLI_OPT_TRIALS },
		{ "users", required_argument, NULL, OPT_USERS },
		{ "vary", required_argument, NULL, OPT_VARY },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = NULL, *plot_path = NULL, *script_dir = NULL;
	const char *users_arg = NULL, *vary_arg = NULL;
	size_t i, npts;
	int ch, fmt = FMT_TABLE, rc, spacing = -1, chart = -1, eur = 0;
	double fixed_users = NAN;
	struct cli_mc_args mc;
	struct axis *a = NULL;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL, **scen = NULL;
	struct fc_mc_result *res = NULL;
	double *diff = NULL, *lasting = NULL;
	struct fc_mc_opts o;
	struct cli_out out;
	struct plot_out po;
	struct progress prog;
	struct fc_crossing cross;
	struct figs k;
	char (*setbuf)[192] = NULL;

	memset(&po, 0, sizeof(po));
	cli_mc_init(&mc);
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_CURRENCY:
			if (strcmp(optarg, "USD") && strcmp(optarg, "EUR"))
				return cli_usage_error(usage_cmd, "--currency: expected USD or EUR, got '%s'", optarg);
			eur = strcmp(optarg, "EUR") == 0;
			break;
		case OPT_CHART:
			if ((chart = plot_chart_parse(optarg)) < 0)
				return cli_usage_error(usage_cmd, "--chart: expected cost, per-user, "
				    "servers or share, got '%s'", optarg);
			if (chart == CHART_HISTOGRAM)
				return cli_usage_error(usage_cmd, "--chart histogram is for one run: "
				    "flatcost simulate SCENARIO --plot FILE");
			break;
		case OPT_FORMAT:
			if ((fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error(usage_cmd,
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help(usage_cmd);
		case OPT_LINEAR:
			spacing = 0;
			break;
		case OPT_LOG:
			spacing = 1;
			break;
		case 'o':
			out_path = optarg;
			break;
		case OPT_PLOT:
			plot_path = optarg;
			break;
		case OPT_PLOT_SCRIPT:
			if (*optarg == '\0' || strpbrk(optarg, "\n\r") != NULL)
				return cli_usage_error(usage_cmd, "--plot-script: expected a directory");
			script_dir = optarg;
			break;
		case OPT_USERS:
			if (users_arg)
				return cli_usage_error(usage_cmd, "--users given twice");
			users_arg = optarg;
			break;
		case OPT_VARY:
			if (vary_arg)
				return cli_usage_error(usage_cmd, "one --vary at a time");
			vary_arg = optarg;
			break;
		default:
			if ((rc = cli_mc_opt(usage_cmd, &mc, ch, optarg)) == CLI_NOT_MINE)
				return cli_bad_option(usage_cmd, ch, argv);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage_cmd, "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error(usage_cmd, "unexpected argument '%s'", argv[optind + 1]);

	/* the axis */
	if ((a = fc_calloc(1, sizeof(*a))) == NULL)
		return cli_oom();
	rc = EXIT_USAGE;
	if (parse_axis(users_arg, vary_arg, spacing, a, &fixed_users) != 0)
		goto done;
	npts = a->n;

	/* charts: checked before any work, so a missing gnuplot costs nothing */
	if ((chart >= 0 || script_dir) && plot_path == NULL) {
		cli_usage_error(usage_cmd, "%s needs --plot FILE", chart >= 0 ? "--chart" :
		    "--plot-script");
		goto done;
	}
	if (chart < 0)
		chart = CHART_COST;
	if (plot_path && (rc = plot_check(usage_cmd, plot_path)) != EXIT_OK)
		goto done;
	if ((rc = cli_io_input(argv[optind])) != EXIT_OK ||
	    (rc = cli_io_output(out_path)) != EXIT_OK ||
	    (plot_path && (rc = plot_claim(plot_path, script_dir)) != EXIT_OK))
		goto done;
	rc = EXIT_USAGE;

	/* the scenarios: one, or one per --vary point, all validated up front */
	if ((scen = fc_calloc(npts, sizeof(*scen))) == NULL ||
	    (res = fc_calloc(npts, sizeof(*res))) == NULL ||
	    (setbuf = fc_calloc(npts, sizeof(*setbuf))) == NULL) {
		rc = cli_oom();
		goto done;
	}
	if ((rc = load_scenario(argv[optind], mc.sets, mc.nsets, &cat, &s)) != EXIT_OK)
		goto done;
	if ((rc = load_points(argv[optind], &mc, vary_arg, a, &cat, s, scen, setbuf)) != EXIT_OK)
		goto done;
	if (plot_path && chart == CHART_SHARE && !(fc_num_mean(&s->revenue_per_user) > 0)) {
		rc = cli_usage_error(usage_cmd, "--chart share needs revenue_per_user > 0 in %s",
		    s->file);
		goto done;
	}
	k.api = fc_figure_index("api.monthly_cost");
	k.flat = fc_figure_index("flat.monthly_cost");
	k.servers = fc_figure_index("flat.servers");
	k.pu_api = fc_figure_index("per_user.api");
	k.pu_flat = fc_figure_index("per_user.flat");
	if (k.api < 0 || k.flat < 0 || k.servers < 0 || k.pu_api < 0 || k.pu_flat < 0) {
		cli_err("internal error: a cost figure is missing");
		rc = EXIT_RUNTIME;
		goto done;
	}

	/* the points, all with the same seed: common random numbers */
	cli_mc_fill(&mc, s, &o);
	/* one point's samples, and flat - api of every point's trials */
	if ((rc = cli_mc_check_memory("sweep", &o, 1,
	    (double)npts * (double)o.trials * sizeof(double))) != EXIT_OK)
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.shown = prog.cleared = 0;
	prog.npoints = npts;
	if (cli_progress_enabled() && !o.deterministic) {
		o.progress = progress_cb;
		o.progress_ctx = &prog;
	}
	if ((rc = run_points(a, scen, fixed_users, &o, &k, &prog, res, &diff, &lasting)) !=
	    EXIT_OK)
		goto done;
	if ((rc = find_crossing(a, res, lasting, k.api, k.flat, diff, diff ? o.trials : 0,
	    &cross)) != EXIT_OK)
		goto done;
	if (eur) {   /* after the crossing: it is a user count, in either currency */
		report_currency_eur(s);
		for (i = 0; i < npts; i++)
			report_currency_apply(&res[i]);
	}

	/* the chart first, into temporary files renamed after the report:
	 * when gnuplot fails, nothing is written */
	if (plot_path && (rc = draw_chart(plot_path, script_dir, chart, s, a, res, &cross, &po))
	    != EXIT_OK)
		goto done;
	if ((rc = out_open(&out, out_path)) != EXIT_OK)
		goto done;
	if (write_report(out.f, fmt, s, a, res, &k, &cross) != 0) {
		rc = out_fail(&out);
		goto done;
	}
	/* the chart (checked whole) once the report is safely written */
	if ((rc = out_commit(&out)) == EXIT_OK)
		rc = plot_commit(&po);
done:
	plot_abort(&po);
	if (scen)
		for (i = 0; i < a->n; i++)
			if (scen[i] != s)
				fc_scenario_free(scen[i]);
	fc_free(scen);
	if (res)
		for (i = 0; i < a->n; i++)
			fc_mc_result_free(&res[i]);
	fc_free(res);
	fc_free(diff);
	fc_free(lasting);
	fc_free(setbuf);
	fc_free(a);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}
