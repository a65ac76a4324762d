/*
 * chart.c: flatcost's charts as gnuplot scripts (see chart.h).
 *
 * Each chart is a gnuplot script written here from the numbers: the data
 * inline (a `$data << EOD` datablock) for rendering, or read from a side
 * file for people who want to restyle the chart.
 *
 * Readable in grayscale: the API is a solid line with circles over a
 * solid band, the flat architecture a dashed line with squares over a
 * hatched band, so the series differ by more than their colour.
 */
#include "chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inputs.h"
#include "textfmt.h"

/* Colours: a dark blue and a light orange, far apart in grayscale too. */
#define COLOR_API  "#1f4e96"
#define COLOR_FLAT "#e08214"
#define COLOR_MARK "#404040"

static const char *const chart_names[] = {
	[FC_CHART_COST] = "cost",
	[FC_CHART_PER_USER] = "per-user",
	[FC_CHART_SERVERS] = "servers",
	[FC_CHART_SHARE] = "share",
	[FC_CHART_HISTOGRAM] = "histogram",
	[FC_CHART_TIMELINE] = "timeline",
	[FC_CHART_TORNADO] = "tornado",
	[FC_CHART_COMPARE] = "compare",
};

const char *const fc_chart_sweep_figures[] = {
	"api.monthly_cost", "flat.monthly_cost",
	"per_user.api", "per_user.flat",
	"flat.servers",
	"share_of_revenue.api", "share_of_revenue.flat",
	"flat.viable",
};
const size_t fc_chart_sweep_nfigures = sizeof(fc_chart_sweep_figures) /
    sizeof(fc_chart_sweep_figures[0]);

/* The statistics of a Monte Carlo figure in the data file, in order. */
enum { ST_MEAN, ST_P5, ST_P50, ST_P95, NSTATS };
static const char *const stat_names[NSTATS] = { "mean", "p5", "p50", "p95" };

/* The histogram's bins. */
#define HIST_BINS 50

struct hist {
	double edge[HIST_BINS + 1];
	double count[2][HIST_BINS];    /* trials per bin: api, flat */
	int log_x;
};


/* The tornado's x range and where nulls are drawn (right of every value). */
struct tornado_ctx {
	const struct fc_chart_tornado *t;
	double xmin, xmax, xnull;
	int has_null;
};

/* The compare chart: each viable server option's monthly cost (P50, P5-P95
 * whiskers) against its P95 call latency, labelled; the Pareto front
 * (no other option both cheaper and faster) as a step line; the API's
 * P50 as a horizontal line, having no server latency to place it by. */
struct cmp_chart {
	const struct fc_mc_opts *o;
	const struct fc_cmp_option *v;
	size_t *pts;           /* the plotted options, by latency then cost; owned */
	size_t npts;
	double api_p50[2];     /* the API's and the routed API's; NaN: none */
	const char *api_ref[2];
};

struct fc_chart {
	enum fc_chart_kind kind;
	struct fc_chart_style style;
	const struct fc_scenario *s;     /* names for titles; NULL for a tornado */
	const struct fc_mc_result *r;    /* histogram, timeline */
	const struct fc_chart_sweep *sw; /* sweep charts */
	struct hist *h;                  /* owned */
	struct tornado_ctx tc;
	struct cmp_chart cmp;
};

int
fc_chart_kind_parse(const char *s)
{
	int i;

	for (i = 0; i <= FC_CHART_HISTOGRAM; i++)
		if (strcmp(s, chart_names[i]) == 0)
			return i;
	return -1;
}

int
fc_chart_term_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot == NULL || (slash && dot < slash) || dot == path || dot[-1] == '/')
		return -1;
	if (strcasecmp(dot, ".png") == 0)
		return FC_CHART_PNG;
	if (strcasecmp(dot, ".svg") == 0)
		return FC_CHART_SVG;
	if (strcasecmp(dot, ".pdf") == 0)
		return FC_CHART_PDF;
	return -1;
}

/* An error without a place; returns st. */
static enum fc_status
chart_error(struct fc_diags *d, enum fc_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum fc_status
chart_error(struct fc_diags *d, enum fc_status st, const char *fmt, ...)
{
	struct fc_loc l = { NULL, 0, 0, 0 };
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fc_error(d, l, "%s", msg);
	return st;
}

/*
 * Text from the scenario or the command line as a gnuplot string
 * expression.  Single quotes, because gnuplot runs `backquoted` commands
 * even inside double-quoted strings and substitutes nothing in single
 * ones; a quote doubles, and a newline is joined in as "\n".
 */
static void
gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else if (*s == '\n')
			fputs("'.\"\\n\".'", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void
put_num(FILE *f, double v, int first)
{
	if (!first)
		fputc(' ', f);
	if (isfinite(v))
		fprintf(f, "%.10g", v == 0 ? 0 : v);
	else
		fputs("NaN", f);
}

/* Figure key's value in r: the deterministic value, or statistic st. */
static double
fig_value(const struct fc_mc_result *r, const char *key, int st)
{
	long k = fc_figure_index(key);
	const struct fc_stat *s;

	if (k < 0)
		return NAN;
	if (r->deterministic)
		return fc_figure_get(&r->det, (size_t)k);
	s = &r->stats[k];
	switch (st) {
	case ST_MEAN: return s->mean;
	case ST_P5: return s->p5;
	case ST_P50: return s->p50;
	default: return s->p95;
	}
}

static int
sweep_det(const struct fc_chart_sweep *sw)
{
	return sw->n > 0 && sw->r[0].deterministic;
}

/* The data file's column (1-based) of figure fig and statistic st. */
static int
sweep_col(const struct fc_chart_sweep *sw, size_t fig, int st)
{
	return sweep_det(sw) ? 2 + (int)fig : 2 + (int)fig * NSTATS + st;
}

static size_t
sweep_fig(const char *key)
{
	size_t i;

	for (i = 0; i < fc_chart_sweep_nfigures; i++)
		if (strcmp(fc_chart_sweep_figures[i], key) == 0)
			return i;
	return 0;
}

static void
sweep_data(FILE *f, const struct fc_chart *c)
{
	const struct fc_chart_sweep *sw = c->sw;
	size_t i, k;
	int st;

	fprintf(f, "# %s", sw->key);
	for (k = 0; k < fc_chart_sweep_nfigures; k++) {
		if (sweep_det(sw))
			fprintf(f, " %s", fc_chart_sweep_figures[k]);
		else
			for (st = 0; st < NSTATS; st++)
				fprintf(f, " %s.%s", fc_chart_sweep_figures[k], stat_names[st]);
	}
	fputc('\n', f);
	for (i = 0; i < sw->n; i++) {
		put_num(f, sw->x[i], 1);
		for (k = 0; k < fc_chart_sweep_nfigures; k++) {
			if (sweep_det(sw))
				put_num(f, fig_value(&sw->r[i], fc_chart_sweep_figures[k], 0), 0);
			else
				for (st = 0; st < NSTATS; st++)
					put_num(f, fig_value(&sw->r[i], fc_chart_sweep_figures[k], st), 0);
		}
		fputc('\n', f);
	}
}

static void
put_terminal(FILE *f, enum fc_chart_term t, const char *out, const struct fc_chart_style *st)
{
	fputs("set encoding utf8\n", f);
	switch (t) {
	case FC_CHART_PNG:
		/* 16:9 at 1600x900 pixels: a full slide */
		fputs("set terminal pngcairo size 1600,900 font \",14\" linewidth 1.5"
		    " noenhanced background rgb \"white\"\n", f);
		break;
	case FC_CHART_SVG:
		/* a page's column is about 1000 pixels wide: the same chart
		 * smaller, so that its text stays readable there */
		fprintf(f, "set terminal svg size %s dynamic font \"sans,14\" linewidth 1.5"
		    " noenhanced background rgb \"white\"\n", st->page ? "1000,560" :
		    "1600,900");
		break;
	case FC_CHART_PDF:
		/* 16:9 at 10 x 5.625 inches */
		fputs("set terminal pdfcairo size 10in,5.625in font \",12\" linewidth 1.5"
		    " noenhanced\n", f);
		break;
	}
	fputs("set output ", f);
	gp_str(f, out);
	fputc('\n', f);
}

static void
put_style(FILE *f, enum fc_chart_term t)
{
	fputs("# API: solid line, circles; flat: dashed line, squares\n"
	    "set style line 1 lc rgb \"" COLOR_API "\" lw 2.5 dt 1 pt 7 ps 1.2\n"
	    "set style line 2 lc rgb \"" COLOR_FLAT "\" lw 2.5 dt (10,5) pt 5 ps 1.2\n"
	    "set style line 3 lc rgb \"" COLOR_MARK "\" lw 2 dt (3,4)\n"
	    "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\" lw 1, lc rgb \"#eeeeee\" lw 1\n"
	    "set border 3 lw 1.2\n"
	    "set tics nomirror out\n"
	    "set key box opaque Left reverse samplen 4 spacing 1.3 width 1\n", f);
	fprintf(f, "set title font \",%d\"\n", t == FC_CHART_PDF ? 15 : 19);
}

static void
title_name(char *buf, size_t len, const struct fc_scenario *s)
{
	snprintf(buf, len, "%s", s->name ? s->name : s->file);
}

/* The title (the style's title, else title), its subtitle on a
 * second, smaller line (--subtitle, else sub; NULL or "" for none) and
 * the footnote (seed and trials) in the bottom right corner. */
static void
put_titles(FILE *f, const struct fc_chart_style *st, const char *title, const char *sub,
    const char *foot)
{
	char buf[1200];

	if (st->title)
		title = st->title;
	if (st->subtitle)
		sub = st->subtitle;
	if (sub && *sub)
		snprintf(buf, sizeof(buf), "%s\n%s", title, sub);
	else
		snprintf(buf, sizeof(buf), "%s", title);
	fputs("set title ", f);
	gp_str(f, buf);
	fputc('\n', f);
	if (foot && *foot) {
		fputs("set label 99 ", f);
		gp_str(f, foot);
		fputs(" at screen 0.995, screen 0.012 right font \",11\" textcolor rgb \"#505050\"\n", f);
	}
}

static void
api_name(char *buf, size_t len, const struct fc_scenario *s)
{
	snprintf(buf, len, "API (%s)", s->api.id ? s->api.id : "inline prices");
}

static void
flat_name(char *buf, size_t len, const struct fc_scenario *s)
{
	snprintf(buf, len, "Flat (%s, %s)", s->flat.hw.id ? s->flat.hw.id : "inline hardware",
	    s->flat.model_ref ? s->flat.model_ref : "model");
}

/* An axis value for a label: a user count with separators, else %.4g. */
static void
axis_value(char *buf, size_t len, const struct fc_chart_sweep *sw, double v)
{
	if (strcmp(sw->key, "users") == 0)
		fc_fmt_count(buf, len, v);
	else
		snprintf(buf, len, "%.4g", v);
}

/* Where v lies along the x axis, 0 (left) to 1 (right). */
static double
x_frac(const struct fc_chart_sweep *sw, double v)
{
	double a = sw->x[0], b = sw->x[sw->n - 1];

	if (!(b > a))
		return 0.5;
	if (sw->log_x)
		return (log(v) - log(a)) / (log(b) - log(a));
	return (v - a) / (b - a);
}

/* The breakeven line, its label and the P5-P95 band of the trials'
 * crossings.  Returns whether a band was drawn (for the legend). */
static int
put_crossing(FILE *f, const struct fc_chart_sweep *sw, int key_left)
{
	char a[48], b[48], text[160];
	int band = isfinite(sw->cross_lo) && isfinite(sw->cross_hi) && sw->cross_hi > sw->cross_lo;
	int right, top;

	if (!isfinite(sw->cross))
		return 0;
	/* the label reads away from the edge, and clear of the legend */
	right = x_frac(sw, sw->cross) > 0.6;
	top = key_left ? x_frac(sw, sw->cross) > 0.5 : x_frac(sw, sw->cross) < 0.5;
	axis_value(a, sizeof(a), sw, sw->cross);
	snprintf(text, sizeof(text), "breakeven: %s %s", a,
	    strcmp(sw->key, "users") == 0 ? "users" : "");
	if (band) {
		size_t l = strlen(text);
		axis_value(a, sizeof(a), sw, sw->cross_lo);
		axis_value(b, sizeof(b), sw, sw->cross_hi);
		snprintf(text + l, sizeof(text) - l, "\nP5–P95 of trials: %s–%s", a, b);
		fprintf(f, "set object 1 rect from %.10g, graph 0 to %.10g, graph 1 behind"
		    " fillcolor rgb \"#808080\" fillstyle transparent solid 0.18 noborder\n",
		    sw->cross_lo, sw->cross_hi);
	}
	fprintf(f, "set arrow 1 from %.10g, graph 0 to %.10g, graph 1 nohead ls 3 back\n",
	    sw->cross, sw->cross);
	fputs("set label 1 ", f);
	gp_str(f, text);
	fprintf(f, " at %.10g, graph %s %s offset %s,%s front\n", sw->cross,
	    top ? "0.97" : "0.03", right ? "right" : "left", right ? "-1" : "1",
	    top ? "-0.6" : (band ? "2" : "1"));
	return band;
}

/* The lowest and highest finite value of some columns over the sweep. */
static void
sweep_range(const struct fc_chart_sweep *sw, const size_t *figs, size_t nf, int with_band,
    double *lo, double *hi)
{
	size_t i, k;
	int st;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < sw->n; i++)
		for (k = 0; k < nf; k++)
			for (st = 0; st < NSTATS; st++) {
				double v;
				if (!with_band && st != ST_P50)
					continue;
				v = fig_value(&sw->r[i], fc_chart_sweep_figures[figs[k]], st);
				if (!isfinite(v))
					continue;
				if (v < *lo)
					*lo = v;
				if (v > *hi)
					*hi = v;
			}
}

/* Dollars on an axis: "$10k" where every tick is a whole amount, else "$0.5". */
static void
put_money_format(FILE *f, char axis, double lo, double hi)
{
	if (lo >= 1 && hi >= 1e4)
		fprintf(f, "set format %c \"$%%.0s%%c\"\n", axis);
	else
		fprintf(f, "set format %c \"$%%g\"\n", axis);
}

struct chart_def {
	const char *what;        /* title */
	const char *ylabel;
	const char *api_key, *flat_key;   /* NULL api_key: flat only */
	double scale;            /* multiplies the values (100 for percent) */
	int money, log_y_ok, mark, steps;
	const char *key_pos;
};

/* By enum fc_chart_kind; the servers chart also stands for any other. */
static const struct chart_def chart_defs[] = {
	[FC_CHART_COST] = { .what = "monthly cost",
	    .ylabel = "Monthly cost (USD per month)",
	    .api_key = "api.monthly_cost", .flat_key = "flat.monthly_cost",
	    .scale = 1, .money = 1, .log_y_ok = 1, .mark = 1, .key_pos = "top left" },
	[FC_CHART_PER_USER] = { .what = "cost per user",
	    .ylabel = "Cost per user (USD per user per month)",
	    .api_key = "per_user.api", .flat_key = "per_user.flat",
	    .scale = 1, .money = 1, .log_y_ok = 1, .mark = 1, .key_pos = "top right" },
	[FC_CHART_SERVERS] = { .what = "servers of the flat architecture",
	    .ylabel = "Servers (count)",
	    .flat_key = "flat.servers",
	    .scale = 1, .steps = 1, .key_pos = "top left" },
	[FC_CHART_SHARE] = { .what = "AI cost as a share of revenue",
	    .ylabel = "AI cost (% of revenue)",
	    .api_key = "share_of_revenue.api", .flat_key = "share_of_revenue.flat",
	    .scale = 100, .mark = 1, .key_pos = "top right" },
};

static void
chart_def(enum fc_chart_kind c, struct chart_def *d)
{
	size_t n = sizeof(chart_defs) / sizeof(chart_defs[0]);

	*d = chart_defs[(size_t)c < n ? c : FC_CHART_SERVERS];
}

/* A using spec for column col, scaled. */
static void
put_col(FILE *f, int col, double scale)
{
	if (scale == 1)
		fprintf(f, "%d", col);
	else
		fprintf(f, "($%d*%g)", col, scale);
}

/* The P5-P95 band of figure fig, drawn as with says. */
static void
put_band(FILE *f, const char *data, const struct fc_chart_sweep *sw, size_t fig,
    double scale, const char *with)
{
	fprintf(f, "%s using 1:", data);
	put_col(f, sweep_col(sw, fig, ST_P5), scale);
	fputc(':', f);
	put_col(f, sweep_col(sw, fig, ST_P95), scale);
	fputs(with, f);
}

/* The line of figure fig's P50 (or deterministic value) in style ls. */
static void
put_line(FILE *f, const char *data, const struct fc_chart_sweep *sw, size_t fig,
    double scale, int ls, const char *name)
{
	char title[600];

	fprintf(f, "%s using 1:", data);
	put_col(f, sweep_col(sw, fig, ST_P50), scale);
	fprintf(f, " with linespoints ls %d title ", ls);
	snprintf(title, sizeof(title), "%s%s", name, sweep_det(sw) ? "" : ", P50");
	gp_str(f, title);
}

/* Rings on the flat curve where flat is not viable (in some trials, for
 * Monte Carlo: the mean of flat.viable is the share viable); nothing when
 * it is viable everywhere. */
static void
put_not_viable(FILE *f, const char *data, const struct fc_chart_sweep *sw, size_t ff, double scale)
{
	size_t kv = sweep_fig("flat.viable"), i;
	int det = sweep_det(sw), any = 0, vc = sweep_col(sw, kv, ST_MEAN);

	for (i = 0; i < sw->n; i++)
		any |= fig_value(&sw->r[i], "flat.viable", ST_MEAN) < 1;
	if (!any)
		return;
	fprintf(f, ", \\\n     %s using 1:($%d < 1 ? $%d * %g : 1/0) with points pt 6 ps 2.5 lw 2 "
	    "lc rgb \"" COLOR_MARK "\" title \"flat not viable%s\"", data, vc,
	    sweep_col(sw, ff, ST_P50), scale, det ? "" : " (in some trials)");
}

static void
sweep_body(FILE *f, const char *data, const struct fc_chart *c)
{
	const struct fc_chart_sweep *sw = c->sw;
	struct chart_def d;
	char name[200], title[600], an[200], fn[200], xl[200], nt[48], foot[200];
	size_t figs[2], nf = 0;
	int det = sweep_det(sw), band = 0;
	double lo, hi;
	size_t fa = 0, ff;

	chart_def(c->kind, &d);
	if (d.api_key)
		figs[nf++] = fa = sweep_fig(d.api_key);
	figs[nf++] = ff = sweep_fig(d.flat_key);
	title_name(name, sizeof(name), sw->s);
	api_name(an, sizeof(an), sw->s);
	flat_name(fn, sizeof(fn), sw->s);
	if (strcmp(sw->key, "users") == 0)
		snprintf(xl, sizeof(xl), "Users");
	else
		snprintf(xl, sizeof(xl), "%s", sw->key);
	snprintf(title, sizeof(title), "%s: %s by %s", name, d.what,
	    strcmp(sw->key, "users") == 0 ? "users" : sw->key);
	if (det) {
		snprintf(foot, sizeof(foot), "deterministic: every input at its mean");
	} else {
		fc_fmt_count(nt, sizeof(nt), (double)sw->r[0].trials);
		snprintf(foot, sizeof(foot), "Monte Carlo, %s trials per point, seed %lu", nt,
		    sw->r[0].seed);
	}
	put_titles(f, &c->style, title, det ? NULL : "lines are medians (P50), bands P5–P95", foot);
	fputs("set xlabel ", f);
	gp_str(f, xl);
	fputs("\nset ylabel ", f);
	gp_str(f, d.ylabel);
	fprintf(f, "\nset key %s\n", d.key_pos);
	/* the axis spans the data, not the next decade (a sweep to 200k drew
	 * an axis to 1M) */
	fprintf(f, "set xrange [%.10g:%.10g]\n", sw->x[0], sw->x[sw->n - 1]);
	if (sw->log_x)
		fputs("set logscale x 10\n", f);
	fputs(sw->x[sw->n - 1] >= 1e4 ? "set format x \"%.0s%c\"\n" : "set format x \"%g\"\n", f);
	if (!sw->log_x)
		/* on a linear axis the curves rise into the top corners, where
		 * the key sat: it goes below the plot; and the last tick label,
		 * centred on the right edge, needs a margin */
		fputs("set key horizontal center bottom at screen 0.5, screen 0.045 maxrows 2\n"
		    "set bmargin 12\nset rmargin 6\n", f);
	sweep_range(sw, figs, nf, !det, &lo, &hi);
	lo *= d.scale;
	hi *= d.scale;
	if (c->style.y_scale == FC_CHART_Y_LOG ? lo > 0 && isfinite(hi) :
	    c->style.y_scale == FC_CHART_Y_AUTO && d.log_y_ok && lo > 0 && isfinite(hi) &&
	    hi / lo > 8) {
		fputs("set logscale y 10\n", f);
	} else if (isfinite(lo) && lo >= 0) {
		fputs("set yrange [0:*]\n", f);
	}
	if (d.money)
		put_money_format(f, 'y', lo, hi);
	else if (d.scale == 100)
		fputs("set format y \"%g%%\"\n", f);
	if (d.mark)
		band = put_crossing(f, sw, strstr(d.key_pos, "left") != NULL);
	fputs("plot ", f);
	if (d.steps) {
		fprintf(f, "%s using 1:%d with steps ls 2 lw 3 title ", data,
		    sweep_col(sw, ff, ST_P50));
		snprintf(title, sizeof(title), "%s, servers (P50)", fn);
		gp_str(f, det ? fn : title);
		if (!det) {
			fprintf(f, ", \\\n     %s using 1:%d with steps lc rgb \"" COLOR_FLAT
			    "\" lw 1.5 dt (2,3) title \"P5 and P95 of trials\"", data,
			    sweep_col(sw, ff, ST_P5));
			fprintf(f, ", \\\n     %s using 1:%d with steps lc rgb \"" COLOR_FLAT
			    "\" lw 1.5 dt (2,3) notitle", data, sweep_col(sw, ff, ST_P95));
		}
		fputs(", \\\n     ", f);
		fprintf(f, "%s using 1:%d with points ls 2 notitle\n", data, sweep_col(sw, ff, ST_P50));
		return;
	}
	if (!det) {
		put_band(f, data, sw, fa, d.scale, " with filledcurves lc rgb \"" COLOR_API
		    "\" fillstyle transparent solid 0.2 noborder title \"API, P5–P95 of trials\"");
		fputs(", \\\n     ", f);
		put_band(f, data, sw, ff, d.scale, " with filledcurves lc rgb \"" COLOR_FLAT
		    "\" fillstyle transparent pattern 4 border title \"Flat, P5–P95 of trials\"");
		fputs(", \\\n     ", f);
	}
	put_line(f, data, sw, fa, d.scale, 1, an);
	fputs(", \\\n     ", f);
	put_line(f, data, sw, ff, d.scale, 2, fn);
	put_not_viable(f, data, sw, ff, d.scale);
	if (isfinite(sw->cross) && d.mark)
		fputs(", \\\n     keyentry with lines ls 3 title \"breakeven\"", f);
	if (band)
		fputs(", \\\n     keyentry with boxes fillcolor rgb \"#808080\" fillstyle"
		    " transparent solid 0.18 noborder title \"breakeven, P5–P95 of trials\"", f);
	fputc('\n', f);
}

static void
hist_data(FILE *f, const struct fc_chart *c)
{
	const struct hist *h = c->h;
	size_t b;

	fputs("# cost_from cost_to api.trials flat.trials\n", f);
	for (b = 0; b < HIST_BINS; b++) {
		put_num(f, h->edge[b], 1);
		put_num(f, h->edge[b + 1], 0);
		put_num(f, h->count[0][b], 0);
		put_num(f, h->count[1][b], 0);
		fputc('\n', f);
	}
}

static void
hist_body(FILE *f, const char *data, const struct fc_chart *c)
{
	const struct hist *h = c->h;
	const struct fc_mc_result *r = c->r;
	char name[200], title[600], an[200], fn[200], users[48], a[48], b[48], nt[48];
	char foot[200];
	double n = (double)r->trials, pa, pf;
	long ka = fc_figure_index("api.monthly_cost"), kf = fc_figure_index("flat.monthly_cost");

	pa = ka >= 0 ? r->stats[ka].p50 : NAN;
	pf = kf >= 0 ? r->stats[kf].p50 : NAN;
	title_name(name, sizeof(name), c->s);
	api_name(an, sizeof(an), c->s);
	flat_name(fn, sizeof(fn), c->s);
	fc_fmt_count(users, sizeof(users), r->in.users);
	fc_fmt_count(nt, sizeof(nt), (double)r->trials);
	snprintf(title, sizeof(title), "%s: monthly cost at %s users, month %ld", name, users,
	    r->month);
	snprintf(foot, sizeof(foot), "Monte Carlo, %s trials, seed %lu", nt, r->seed);
	put_titles(f, &c->style, title, "how the cost spreads over the uncertain inputs", foot);
	fputs("set xlabel \"Monthly cost (USD per month)\"\n"
	    "set ylabel \"Trials (% per bin)\"\n"
	    "set format y \"%g%%\"\n"
	    "set key top right\n"
	    "set yrange [0:*]\n", f);
	fprintf(f, "set xrange [%.10g:%.10g]\n", h->edge[0], h->edge[HIST_BINS]);
	if (h->log_x)
		fputs("set logscale x 10\n", f);
	put_money_format(f, 'x', h->edge[0], h->edge[HIST_BINS]);
	if (isfinite(pa))
		fprintf(f, "set arrow 1 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
		    COLOR_API "\" lw 2.5 dt 1 front\n", pa, pa);
	if (isfinite(pf))
		fprintf(f, "set arrow 2 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
		    COLOR_FLAT "\" lw 2.5 dt (10,5) front\n", pf, pf);
	/* boxxyerror: x y xlow xhigh ylow yhigh, exact bin edges on any axis */
	fprintf(f, "plot %s using (($1+$2)/2):($3*50/%.10g):1:2:(0):($3*100/%.10g) with boxxyerror"
	    " lc rgb \"" COLOR_API "\" fillstyle transparent solid 0.35 border title ",
	    data, n, n);
	gp_str(f, an);
	fprintf(f, ", \\\n     %s using (($1+$2)/2):($4*50/%.10g):1:2:(0):($4*100/%.10g) with boxxyerror"
	    " lc rgb \"" COLOR_FLAT "\" fillstyle transparent pattern 4 border title ",
	    data, n, n);
	gp_str(f, fn);
	fc_fmt_money(a, sizeof(a), c->style.money, pa);
	fc_fmt_money(b, sizeof(b), c->style.money, pf);
	snprintf(title, sizeof(title), "API median (P50): %s", a);
	fputs(", \\\n     keyentry with lines lc rgb \"" COLOR_API "\" lw 2.5 dt 1 title ", f);
	gp_str(f, title);
	snprintf(title, sizeof(title), "Flat median (P50): %s", b);
	fputs(", \\\n     keyentry with lines lc rgb \"" COLOR_FLAT "\" lw 2.5 dt (10,5) title ", f);
	gp_str(f, title);
	fputc('\n', f);
}

/* Whether the file gnuplot wrote is a whole chart of its kind: a full disk
 * or a killed gnuplot can leave a truncated one with exit status 0.  A PNG
 * ends with its IEND chunk, an SVG with </svg>, a PDF with %%EOF. */
int
fc_chart_file_complete(const char *file, enum fc_chart_term t)
{
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D',
	    0xae, 0x42, 0x60, 0x82 };
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char head[8], tail[1024];
	FILE *f = fopen(file, "rb");
	long size;
	size_t n;
	int ok = 0;

	if (f == NULL)
		return 0;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 16) {
		fclose(f);
		return 0;
	}
	n = size > (long)sizeof(tail) ? sizeof(tail) : (size_t)size;
	if (fseek(f, 0, SEEK_SET) == 0 && fread(head, 1, sizeof(head), f) == sizeof(head) &&
	    fseek(f, size - (long)n, SEEK_SET) == 0 && fread(tail, 1, n, f) == n) {
		/* trailing white space is allowed after the SVG and PDF ends */
		while (t != FC_CHART_PNG && n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' ||
		    tail[n - 1] == ' ' || tail[n - 1] == '\t'))
			n--;
		switch (t) {
		case FC_CHART_PNG:
			ok = memcmp(head, png, sizeof(png)) == 0 &&
			    memcmp(tail + n - sizeof(iend), iend, sizeof(iend)) == 0;
			break;
		case FC_CHART_SVG:
			ok = n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
			break;
		case FC_CHART_PDF:
			ok = memcmp(head, "%PDF", 4) == 0 && n >= 5 &&
			    memcmp(tail + n - 5, "%%EOF", 5) == 0;
			break;
		}
	}
	fclose(f);
	return ok;
}


static struct fc_chart *
chart_new(enum fc_chart_kind kind, const struct fc_chart_style *style)
{
	struct fc_chart *c = fc_calloc(1, sizeof(*c));

	if (c) {
		c->kind = kind;
		c->style = *style;
	}
	return c;
}

enum fc_status
fc_chart_sweep(const struct fc_chart_sweep *sw, enum fc_chart_kind kind,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d)
{
	*out = NULL;
	if (kind > FC_CHART_SHARE || sw->n < 2)
		return chart_error(d, FC_EINVAL, "--chart histogram is for one run: "
		    "flatcost simulate SCENARIO --plot FILE");
	if ((*out = chart_new(kind, style)) == NULL)
		return FC_ENOMEM;
	(*out)->sw = sw;
	(*out)->s = sw->s;
	return FC_OK;
}

/* Bins the trials' monthly costs of both architectures into h. */
static enum fc_status
hist_bin(const struct fc_scenario *s, const struct fc_mc_result *r, struct hist *h,
    struct fc_diags *d)
{
	long k[2] = { fc_figure_index("api.monthly_cost"), fc_figure_index("flat.monthly_cost") };
	double lo = INFINITY, hi = -INFINITY;
	long t;
	int a, b;

	if (k[0] < 0 || k[1] < 0)
		return chart_error(d, FC_EDOM, "internal error: no monthly cost figures to plot");
	for (t = 0; t < r->trials; t++)
		for (a = 0; a < 2; a++) {
			double v = r->samples[(size_t)t * fc_nfigures + (size_t)k[a]];
			if (!isfinite(v))
				continue;
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
	if (!isfinite(lo))
		return chart_error(d, FC_EDOM, "%s: no trial gave a monthly cost to plot", s->file);
	if (!(hi > lo)) {
		/* every trial costs the same: one bin around it */
		double w = lo != 0 ? fabs(lo) * 0.05 : 1;
		lo -= w;
		hi += w;
	}
	/* log bins when the costs span more than a factor of 5 */
	h->log_x = lo > 0 && hi / lo > 5;
	for (b = 0; b <= HIST_BINS; b++)
		h->edge[b] = h->log_x ? lo * pow(hi / lo, (double)b / HIST_BINS) :
		    lo + (hi - lo) * (double)b / HIST_BINS;
	h->edge[0] = lo;
	h->edge[HIST_BINS] = hi;
	for (t = 0; t < r->trials; t++)
		for (a = 0; a < 2; a++) {
			double v = r->samples[(size_t)t * fc_nfigures + (size_t)k[a]], u;
			if (!isfinite(v))
				continue;
			u = h->log_x ? log(v / lo) / log(hi / lo) : (v - lo) / (hi - lo);
			b = (int)floor(u * HIST_BINS);
			if (b < 0)
				b = 0;
			if (b >= HIST_BINS)
				b = HIST_BINS - 1;
			h->count[a][b]++;
		}
	return FC_OK;
}

enum fc_status
fc_chart_histogram(const struct fc_scenario *s, const struct fc_mc_result *r,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d)
{
	struct hist *h;
	enum fc_status st;

	*out = NULL;
	if (r->deterministic || r->samples == NULL || r->trials < 1)
		return chart_error(d, FC_EINVAL, "--plot draws the spread over Monte Carlo "
		    "trials; drop --deterministic");
	if ((h = fc_calloc(1, sizeof(*h))) == NULL)
		return FC_ENOMEM;
	if ((st = hist_bin(s, r, h, d)) != FC_OK) {
		fc_free(h);
		return st;
	}
	if ((*out = chart_new(FC_CHART_HISTOGRAM, style)) == NULL) {
		fc_free(h);
		return FC_ENOMEM;
	}
	(*out)->s = s;
	(*out)->r = r;
	(*out)->h = h;
	return FC_OK;
}
static void
timeline_data(FILE *f, const struct fc_chart *c)
{
	const struct fc_months *m = c->r->months;
	long i;

	fputs("# month cumulative.p5 cumulative.p50 cumulative.p95\n", f);
	/* month 0: the one-time costs, before any saving */
	fprintf(f, "0 %.10g %.10g %.10g\n", -m->one_time_net, -m->one_time_net,
	    -m->one_time_net);
	for (i = 0; i < m->n; i++) {
		const struct fc_stat *cs = &m->stat[i][FC_MF_CUMULATIVE];
		put_num(f, (double)(i + 1), 1);
		put_num(f, cs->p5, 0);
		put_num(f, cs->p50, 0);
		put_num(f, cs->p95, 0);
		fputc('\n', f);
	}
}

static void
timeline_body(FILE *f, const char *data, const struct fc_chart *c)
{
	const struct fc_mc_result *r = c->r;
	const struct fc_months *m = r->months;
	char name[200], title[600], foot[200], nt[48], a[48], b[48];
	double lo = -m->one_time_net, hi = -m->one_time_net;
	long i;

	for (i = 0; i < m->n; i++) {
		const struct fc_stat *cs = &m->stat[i][FC_MF_CUMULATIVE];
		if (cs->p5 < lo)
			lo = cs->p5;
		if (cs->p95 > hi)
			hi = cs->p95;
	}
	title_name(name, sizeof(name), c->s);
	snprintf(title, sizeof(title), "%s: payback, cumulative savings of switching to flat "
	    "by month", name);
	fc_fmt_count(nt, sizeof(nt), (double)r->trials);
	snprintf(foot, sizeof(foot), "Monte Carlo, %s trials, seed %lu", nt, r->seed);
	put_titles(f, &c->style, title, "line: median (P50); band: P5–P95 of trials", foot);
	fputs("set xlabel \"Month after the switch\"\n"
	    "set ylabel \"Cumulative savings (USD)\"\n"
	    "set key top left\n", f);
	fprintf(f, "set xrange [0:%ld]\n", m->n);
	/* room around the values: the one-time cost sits at the bottom left */
	fputs("set offsets graph 0.02, 0, graph 0.05, graph 0.05\n", f);
	if (c->style.y_scale == FC_CHART_Y_LOG)
		fputs("set logscale y 10\n", f);
	/* "$400k", "$1.2M": savings cross zero, so the scale is the larger end's */
	fputs(fmax(fabs(lo), fabs(hi)) >= 1e4 ? "set format y \"$%.1s%c\"\n" :
	    "set format y \"$%g\"\n", f);
	if (c->style.y_scale != FC_CHART_Y_LOG)
		fputs("set arrow 3 from graph 0, first 0 to graph 1, first 0 nohead lc rgb \"#000000\" "
		    "lw 1\n", f);
	if (isfinite(m->payback.p5) && isfinite(m->payback.p95) && m->payback.n > 0) {
		fprintf(f, "set object 1 rect from %.10g, graph 0 to %.10g, graph 1 behind "
		    "fillcolor rgb \"#808080\" fillstyle transparent solid 0.15 noborder\n",
		    m->payback.p5, m->payback.p95 > m->payback.p5 ? m->payback.p95 :
		    m->payback.p5 + 0.25);
		fprintf(f, "set arrow 4 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
		    COLOR_MARK "\" lw 2 dt (3,4) front\n", m->payback.p50, m->payback.p50);
	}
	fprintf(f, "plot %s using 1:2:4 with filledcurves lc rgb \"" COLOR_FLAT "\" fillstyle "
	    "transparent pattern 4 border title \"P5–P95 of trials\", \\\n"
	    "     %s using 1:3 with linespoints ls 2 title \"cumulative savings, P50\"",
	    data, data);
	if (m->one_time_net != 0) {
		fc_fmt_count(a, sizeof(a), fabs(m->one_time_net));
		snprintf(title, sizeof(title), "one-time cost of the switch (net of the API's): "
		    "%s$%s", m->one_time_net < 0 ? "-" : "", a);
		fprintf(f, ", \\\n     %s every ::0::0 using 1:3 with points pt 9 ps 2.5 "
		    "lc rgb \"#000000\" title ", data);
		gp_str(f, title);
	}
	if (isfinite(m->payback.p50) && m->payback.n > 0) {
		snprintf(a, sizeof(a), "%.0f", m->payback.p50);
		snprintf(b, sizeof(b), "%.0f%%", 100 * m->p_payback);
		snprintf(title, sizeof(title), "payback month, P50 %s (band P5–P95); %s of trials "
		    "pay back", a, b);
		fputs(", \\\n     keyentry with lines ls 3 title ", f);
		gp_str(f, title);
	}
	fputc('\n', f);
}

enum fc_status
fc_chart_timeline(const struct fc_scenario *s, const struct fc_mc_result *r,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d)
{
	long i;

	*out = NULL;
	if (r->deterministic || r->months == NULL || r->months->n < 1)
		return chart_error(d, FC_EINVAL, "--plot with --months draws the spread over "
		    "Monte Carlo trials; drop --deterministic");
	if (style->y_scale == FC_CHART_Y_LOG) {
		int ok = -r->months->one_time_net > 0;
		for (i = 0; i < r->months->n && ok; i++)
			ok = r->months->stat[i][FC_MF_CUMULATIVE].p5 > 0;
		if (!ok)
			return chart_error(d, FC_EINVAL, "--y-scale log: the cumulative savings "
			    "are not all positive (the one-time cost starts them below 0); use "
			    "--y-scale linear");
	}
	if ((*out = chart_new(FC_CHART_TIMELINE, style)) == NULL)
		return FC_ENOMEM;
	(*out)->s = s;
	(*out)->r = r;
	return FC_OK;
}


static double
tornado_x(const struct tornado_ctx *c, double v)
{
	return isfinite(v) ? v : c->xnull;
}

static void
tornado_data(FILE *f, const struct fc_chart *c)
{
	const struct tornado_ctx *tc = &c->tc;
	const struct fc_chart_tornado *t = tc->t;
	double b = tornado_x(tc, t->baseline);
	size_t i;

	fputs("# y low_from low_to high_from high_to label_x label\n", f);
	for (i = 0; i < t->n; i++) {
		const struct fc_chart_bar *r = &t->bars[i];
		double lo = tornado_x(tc, r->low), hi = tornado_x(tc, r->high);
		double right = lo > hi ? lo : hi;
		put_num(f, (double)(t->n - i), 1);
		put_num(f, lo < b ? lo : b, 0);
		put_num(f, lo < b ? b : lo, 0);
		put_num(f, hi < b ? hi : b, 0);
		put_num(f, hi < b ? b : hi, 0);
		put_num(f, right > b ? right : b, 0);
		if (r->share < 0.005)
			fputs(" \"<1%", f);
		else
			fprintf(f, " \"%.0f%%", 100 * r->share);
		fprintf(f, "%s%s\"\n", isfinite(r->low) ? "" : ", P10: none",
		    isfinite(r->high) ? "" : ", P90: none");
	}
}

/* A tic label: gnuplot reads it as a format, so a % is written %%. */
static void
tic_label(FILE *f, const char *label)
{
	char buf[600];
	size_t j = 0;

	for (; *label && j + 2 < sizeof(buf); label++) {
		if (*label == '%')
			buf[j++] = '%';
		buf[j++] = *label;
	}
	buf[j] = '\0';
	gp_str(f, buf);
}

static void
tornado_body(FILE *f, const char *data, const struct fc_chart *c)
{
	const struct tornado_ctx *tc = &c->tc;
	const struct fc_chart_tornado *t = tc->t;
	char title[1200];
	size_t i, w = 10;

	snprintf(title, sizeof(title), "%s\n%s", t->title, t->subtitle);
	fputs("set title ", f);
	gp_str(f, title);
	fputs("\nset xlabel ", f);
	gp_str(f, t->xlabel);
	fputs("\nset ytics scale 0 (", f);
	for (i = 0; i < t->n; i++) {
		const char *l = t->bars[i].label, *nl;
		for (; l; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if ((size_t)(nl ? nl - l : (long)strlen(l)) > w)
				w = (size_t)(nl ? nl - l : (long)strlen(l));
		}
		fputs(i ? ", " : "", f);
		tic_label(f, t->bars[i].label);
		fprintf(f, " %zu", t->n - i);
	}
	fprintf(f, ")\nset lmargin %zu\n", w > 60 ? 62 : w + 2);
	fprintf(f, "set yrange [0.4:%.1f]\nset xrange [%.10g:%.10g]\n", (double)t->n + 0.6,
	    tc->xmin, tc->xmax);
	fputs("set grid noytics\nset bmargin 9\n"
	    "set key at screen 0.5, screen 0.02 center bottom horizontal maxrows 1 width 1\n", f);
	if (t->money)
		put_money_format(f, 'x', tc->xmin, tc->xmax);
	fprintf(f, "set arrow 1 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
	    COLOR_MARK "\" lw 2 front\n", tornado_x(tc, t->baseline), tornado_x(tc, t->baseline));
	if (tc->has_null)
		fprintf(f, "set arrow 2 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
		    COLOR_MARK "\" lw 1 dt (3,4)\n"
		    "set label 1 \"none (null)\" at %.10g, graph 1 center offset 0,0.8\n",
		    tc->xnull, tc->xnull, tc->xnull);
	/* boxxyerror: x y xlow xhigh ylow yhigh */
	fprintf(f, "plot %s using (($2+$3)/2):1:2:3:($1-0.35):($1+0.35) with boxxyerror"
	    " lc rgb \"" COLOR_API "\" fillstyle solid 0.6 border title "
	    "\"input near its P10\", \\\n", data);
	fprintf(f, "     %s using (($4+$5)/2):1:4:5:($1-0.35):($1+0.35) with boxxyerror"
	    " lc rgb \"" COLOR_FLAT "\" fillstyle pattern 4 border title "
	    "\"input near its P90\", \\\n", data);
	fprintf(f, "     %s using 6:1:7 with labels left offset 1,0 notitle, \\\n", data);
	fputs("     keyentry with lines lc rgb \"" COLOR_MARK "\" lw 2 title ", f);
	gp_str(f, t->baseline_label);
	fputs(", \\\n     keyentry with points pt -1 title \"N%: share of the variance\"", f);
	fputc('\n', f);
}

enum fc_status
fc_chart_tornado(const char *path, const struct fc_chart_tornado *t,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d)
{
	struct tornado_ctx c;
	double lo = INFINITY, hi = -INFINITY, span;
	size_t i;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.t = t;
	for (i = 0; i <= t->n; i++) {
		double v[2];
		int j;
		v[0] = i < t->n ? t->bars[i].low : t->baseline;
		v[1] = i < t->n ? t->bars[i].high : t->baseline;
		for (j = 0; j < 2; j++) {
			if (!isfinite(v[j])) {
				c.has_null = 1;
				continue;
			}
			lo = v[j] < lo ? v[j] : lo;
			hi = v[j] > hi ? v[j] : hi;
		}
	}
	if (!isfinite(lo)) {
		return chart_error(d, FC_EDOM, "%s: no input has a tornado value to draw", path);
	}
	span = hi > lo ? hi - lo : (lo != 0 ? fabs(lo) * 0.1 : 1);
	c.xnull = hi + 0.1 * span;
	c.xmin = lo - 0.05 * span;
	/* room for the share labels right of the longest bar */
	c.xmax = (c.has_null ? c.xnull : hi) + 0.25 * span;
	if ((*out = chart_new(FC_CHART_TORNADO, style)) == NULL)
		return FC_ENOMEM;
	(*out)->tc = c;
	return FC_OK;
}



static void
cmp_data(FILE *f, const struct fc_chart *c)
{
	const struct cmp_chart *cc = &c->cmp;
	double best = INFINITY;
	size_t i;

	fputs("# latency_p95_s cost_p50 cost_p5 cost_p95 pareto label front_cost\n", f);
	for (i = 0; i < cc->npts; i++) {
		const struct fc_cmp_option *op = &cc->v[cc->pts[i]];
		double y = op->stats[FC_CMP_COST].p50;
		char label[200];
		int front = y < best;

		if (front)
			best = y;
		put_num(f, op->stats[FC_CMP_LATENCY].p95, 1);
		put_num(f, y, 0);
		put_num(f, op->stats[FC_CMP_COST].p5, 0);
		put_num(f, op->stats[FC_CMP_COST].p95, 0);
		fprintf(f, " %d \"", front);
		snprintf(label, sizeof(label), "%s %s", op->hw->id, op->ref);
		/* a datablock string: no double quotes inside */
		for (char *p = label; *p; p++)
			fputc(*p == '"' ? '\'' : *p, f);
		fputc('"', f);
		/* the front as a staircase: the cheapest cost up to this latency */
		put_num(f, best, 0);
		fputc('\n', f);
	}
}

static void
cmp_body(FILE *f, const char *data, const struct fc_chart *c)
{
	const struct cmp_chart *cc = &c->cmp;
	char title[600], name[200], nt[48], users[48], an[2][200], a[48], foot[200];
	double lo = INFINITY, hi = -INFINITY;
	size_t i;

	for (i = 0; i < cc->npts; i++) {
		const struct fc_cmp_option *op = &cc->v[cc->pts[i]];
		lo = fmin(lo, op->stats[FC_CMP_COST].p5);
		hi = fmax(hi, op->stats[FC_CMP_COST].p95);
	}
	for (i = 0; i < 2; i++)
		if (isfinite(cc->api_p50[i])) {
			lo = fmin(lo, cc->api_p50[i]);
			hi = fmax(hi, cc->api_p50[i]);
		}
	title_name(name, sizeof(name), c->s);
	fc_fmt_count(nt, sizeof(nt), (double)cc->o->trials);
	{
		struct fc_inputs in;
		fc_inputs_mean(c->s, cc->o->month, &in);
		fc_fmt_count(users, sizeof(users), isnan(cc->o->users) ? in.users : cc->o->users);
	}
	snprintf(title, sizeof(title), "%s: which server and model? %s users, month %ld",
	    name, users, cc->o->month);
	snprintf(foot, sizeof(foot), "Monte Carlo, %s trials, seed %lu, the same trials for "
	    "every option", nt, cc->o->seed);
	/* a margin under the key, below the plot, for the footnote */
	put_titles(f, &c->style, title, NULL, foot);
	fputs("set bmargin 9\n", f);
	fputs("set xlabel \"Call latency, P95 over the trials (s)\"\n"
	    "set ylabel \"Monthly cost, P50 with P5-P95 whiskers (USD per month)\"\n"
	    "set key horizontal center bottom at screen 0.5, screen 0.045 maxrows 2\n"
	    "set offsets graph 0.05, graph 0.25, graph 0.05, graph 0.05\n", f);
	if (isfinite(lo) && lo > 0 && hi / lo > 20)
		fputs("set logscale y 10\n", f);
	put_money_format(f, 'y', lo, hi);
	for (i = 0; i < 2; i++) {
		if (!isfinite(cc->api_p50[i]))
			continue;
		/* the plain API solid, the routed API dotted */
		fprintf(f, "set arrow %zu from graph 0, first %.10g to graph 1, first %.10g nohead"
		    " lc rgb \"" COLOR_API "\" lw 2.5 dt %s front\n", i + 1, cc->api_p50[i],
		    cc->api_p50[i], i ? "(2,3)" : "1");
		fc_fmt_money(a, sizeof(a), c->style.money, cc->api_p50[i]);
		snprintf(an[i], sizeof(an[i]), "%s %s, P50: %s", i ? "Routed API" : "API",
		    cc->api_ref[i], a);
	}
	fprintf(f, "plot %s using 1:2:3:4 with yerrorbars ls 2 title "
	    "\"Server option (P50, P5-P95)\", \\\n", data);
	fprintf(f, "     %s using 1:7 with steps ls 3 title "
	    "\"Pareto front (no option cheaper and faster)\", \\\n", data);
	fprintf(f, "     %s using 1:2:6 with labels left offset 1,0.6 font \",10\" notitle", data);
	for (i = 0; i < 2; i++) {
		if (!isfinite(cc->api_p50[i]))
			continue;
		fprintf(f, ", \\\n     keyentry with lines lc rgb \"" COLOR_API "\" lw 2.5 dt %s"
		    " title ", i ? "(2,3)" : "1");
		gp_str(f, an[i]);
	}
	fputc('\n', f);
}

enum fc_status
fc_chart_compare(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_option *v, const size_t *order, size_t n,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d)
{
	struct cmp_chart c;
	size_t i, j;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.v = v;
	c.api_p50[0] = c.api_p50[1] = NAN;
	if ((c.pts = fc_calloc(n ? n : 1, sizeof(*c.pts))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < n; i++) {
		const struct fc_cmp_option *op = &v[order[i]];
		if (!op->viable)
			continue;
		if (op->kind != FC_CMP_FLAT) {
			int a = op->kind == FC_CMP_API_ROUTED;
			if (isnan(c.api_p50[a])) {
				c.api_p50[a] = op->stats[FC_CMP_COST].p50;
				c.api_ref[a] = op->ref;
			}
			continue;
		}
		if (!isfinite(op->stats[FC_CMP_LATENCY].p95) ||
		    !isfinite(op->stats[FC_CMP_COST].p50))
			continue;
		/* insertion by latency, then cost, then the ranked order */
		for (j = c.npts; j > 0; j--) {
			const struct fc_cmp_option *q = &v[c.pts[j - 1]];
			double xa = op->stats[FC_CMP_LATENCY].p95, xb = q->stats[FC_CMP_LATENCY].p95;
			if (xb < xa || (xb == xa && q->stats[FC_CMP_COST].p50 <=
			    op->stats[FC_CMP_COST].p50))
				break;
			c.pts[j] = c.pts[j - 1];
		}
		c.pts[j] = order[i];
		c.npts++;
	}
	if (c.npts == 0) {
		fc_free(c.pts);
		return chart_error(d, FC_EDOM, "%s: no viable server option to plot", s->file);
	}
	if ((*out = chart_new(FC_CHART_COMPARE, style)) == NULL) {
		fc_free(c.pts);
		return FC_ENOMEM;
	}
	(*out)->s = s;
	(*out)->cmp = c;
	return FC_OK;
}

void
fc_chart_free(struct fc_chart *c)
{
	if (c == NULL)
		return;
	fc_free(c->h);
	fc_free(c->cmp.pts);
	fc_free(c);
}

const char *
fc_chart_name(const struct fc_chart *c)
{
	return chart_names[c->kind];
}

void
fc_chart_write_data(const struct fc_chart *c, FILE *f)
{
	switch (c->kind) {
	case FC_CHART_HISTOGRAM:
		hist_data(f, c);
		break;
	case FC_CHART_TIMELINE:
		timeline_data(f, c);
		break;
	case FC_CHART_TORNADO:
		tornado_data(f, c);
		break;
	case FC_CHART_COMPARE:
		cmp_data(f, c);
		break;
	default:
		sweep_data(f, c);
		break;
	}
}

/* The chart's commands after the terminal, the style and the data. */
static void
write_body(const struct fc_chart *c, const char *data, FILE *f)
{
	switch (c->kind) {
	case FC_CHART_HISTOGRAM:
		hist_body(f, data, c);
		break;
	case FC_CHART_TIMELINE:
		timeline_body(f, data, c);
		break;
	case FC_CHART_TORNADO:
		tornado_body(f, data, c);
		break;
	case FC_CHART_COMPARE:
		cmp_body(f, data, c);
		break;
	default:
		sweep_body(f, data, c);
		break;
	}
}

void
fc_chart_write_script(const struct fc_chart *c, enum fc_chart_term t, const char *output,
    const char *datafile, FILE *f)
{
	put_terminal(f, t, output, &c->style);
	put_style(f, t);
	if (datafile) {
		fputs("datafile = ", f);
		gp_str(f, datafile);
		fputc('\n', f);
		write_body(c, "datafile", f);
	} else {
		fputs("$data << EOD\n", f);
		fc_chart_write_data(c, f);
		fputs("EOD\n", f);
		write_body(c, "$data", f);
	}
	fputs("unset output\n", f);
}
