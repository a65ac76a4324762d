/*
 * plot.c: gnuplot glue (see plot.h).
 *
 * Each chart is a gnuplot script written here from the numbers.  When
 * flatcost renders it, the data is inline (a `$data << EOD` datablock) and
 * the script goes to gnuplot on its standard input; gnuplot's own output
 * is kept in a temporary file and shown only when it fails.  With
 * --plot-script the same script, reading a side data file, is kept for
 * people who want to restyle the chart.
 *
 * Readable in grayscale: the API is a solid line with circles over a
 * solid band, the flat architecture a dashed line with squares over a
 * hatched band, so the series differ by more than their colour.
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

/* What to install, for the messages. */
#define INSTALL_HINT "apt-get install gnuplot-nox (Debian/Ubuntu) or brew install gnuplot (macOS)"

/* Colours: a dark blue and a light orange, far apart in grayscale too. */
#define COLOR_API  "#1f4e96"
#define COLOR_FLAT "#e08214"
#define COLOR_MARK "#404040"

enum term { TERM_PNG, TERM_SVG, TERM_PDF };

static const char *const chart_names[] = {
	[CHART_COST] = "cost",
	[CHART_PER_USER] = "per-user",
	[CHART_SERVERS] = "servers",
	[CHART_SHARE] = "share",
	[CHART_HISTOGRAM] = "histogram",
};

const char *const plot_sweep_figures[] = {
	"api.monthly_cost", "flat.monthly_cost",
	"per_user.api", "per_user.flat",
	"flat.servers",
	"share_of_revenue.api", "share_of_revenue.flat",
	"flat.viable",
};
const size_t plot_sweep_nfigures = sizeof(plot_sweep_figures) / sizeof(plot_sweep_figures[0]);

/* The statistics of a Monte Carlo figure in the data file, in order. */
enum { ST_MEAN, ST_P5, ST_P50, ST_P95, NSTATS };
static const char *const stat_names[NSTATS] = { "mean", "p5", "p50", "p95" };

int
plot_chart_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(chart_names) / sizeof(chart_names[0]); i++)
		if (strcmp(s, chart_names[i]) == 0)
			return (int)i;
	return -1;
}

/* The terminal that path's extension picks; -1 when none does. */
static int
term_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot == NULL || (slash && dot < slash) || dot == path || dot[-1] == '/')
		return -1;
	if (strcasecmp(dot, ".png") == 0)
		return TERM_PNG;
	if (strcasecmp(dot, ".svg") == 0)
		return TERM_SVG;
	if (strcasecmp(dot, ".pdf") == 0)
		return TERM_PDF;
	return -1;
}

static const char *
gnuplot_prog(void)
{
	const char *g = getenv("FLATCOST_GNUPLOT");

	return g && *g ? g : "gnuplot";
}

static int
is_program(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

/* Whether name runs: a path, or a program found on $PATH as execvp would. */
static int
have_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	char buf[4096];

	if (strchr(name, '/'))
		return is_program(name);
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		size_t len;
		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len == 0)
			snprintf(buf, sizeof(buf), "./%s", name);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, name);
		if (is_program(buf))
			return 1;
		if (colon == NULL)
			return 0;
	}
}

int
plot_check(const char *cmd, const char *path)
{
	const char *p;

	if (*path == '\0')
		return cli_usage_error(cmd, "--plot: expected a file name");
	for (p = path; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127)
			return cli_usage_error(cmd, "--plot: the file name has control characters");
	if (term_of(path) < 0)
		return cli_usage_error(cmd,
		    "--plot: '%s' should end in .png, .svg or .pdf (the extension picks the format)",
		    path);
	if (!have_program(gnuplot_prog())) {
		cli_err("cannot find %s, which draws the charts: install it with " INSTALL_HINT
		    ", or set FLATCOST_GNUPLOT to its path", gnuplot_prog());
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
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
sweep_det(const struct plot_sweep *sw)
{
	return sw->n > 0 && sw->r[0].deterministic;
}

/* The data file's column (1-based) of figure fig and statistic st. */
static int
sweep_col(const struct plot_sweep *sw, size_t fig, int st)
{
	return sweep_det(sw) ? 2 + (int)fig : 2 + (int)fig * NSTATS + st;
}

static size_t
sweep_fig(const char *key)
{
	size_t i;

	for (i = 0; i < plot_sweep_nfigures; i++)
		if (strcmp(plot_sweep_figures[i], key) == 0)
			return i;
	return 0;
}

struct sweep_ctx {
	const struct plot_sweep *sw;
	enum plot_chart chart;
};

static void
sweep_data(FILE *f, const void *ctx)
{
	const struct plot_sweep *sw = ((const struct sweep_ctx *)ctx)->sw;
	size_t i, k;
	int st;

	fprintf(f, "# %s", sw->key);
	for (k = 0; k < plot_sweep_nfigures; k++) {
		if (sweep_det(sw))
			fprintf(f, " %s", plot_sweep_figures[k]);
		else
			for (st = 0; st < NSTATS; st++)
				fprintf(f, " %s.%s", plot_sweep_figures[k], stat_names[st]);
	}
	fputc('\n', f);
	for (i = 0; i < sw->n; i++) {
		put_num(f, sw->x[i], 1);
		for (k = 0; k < plot_sweep_nfigures; k++) {
			if (sweep_det(sw))
				put_num(f, fig_value(&sw->r[i], plot_sweep_figures[k], 0), 0);
			else
				for (st = 0; st < NSTATS; st++)
					put_num(f, fig_value(&sw->r[i], plot_sweep_figures[k], st), 0);
		}
		fputc('\n', f);
	}
}

static void
put_terminal(FILE *f, enum term t, const char *out)
{
	fputs("set encoding utf8\n", f);
	switch (t) {
	case TERM_PNG:
		/* 16:9 at 1600x900 pixels: a full slide */
		fputs("set terminal pngcairo size 1600,900 font \",14\" linewidth 1.5"
		    " noenhanced background rgb \"white\"\n", f);
		break;
	case TERM_SVG:
		/* a page's column is about 1000 pixels wide: the same chart
		 * smaller, so that its text stays readable there */
		fprintf(f, "set terminal svg size %s dynamic font \"sans,14\" linewidth 1.5"
		    " noenhanced background rgb \"white\"\n", plot_style.page ? "1000,560" :
		    "1600,900");
		break;
	case TERM_PDF:
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
put_style(FILE *f, enum term t)
{
	fputs("# API: solid line, circles; flat: dashed line, squares\n"
	    "set style line 1 lc rgb \"" COLOR_API "\" lw 2.5 dt 1 pt 7 ps 1.2\n"
	    "set style line 2 lc rgb \"" COLOR_FLAT "\" lw 2.5 dt (10,5) pt 5 ps 1.2\n"
	    "set style line 3 lc rgb \"" COLOR_MARK "\" lw 2 dt (3,4)\n"
	    "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\" lw 1, lc rgb \"#eeeeee\" lw 1\n"
	    "set border 3 lw 1.2\n"
	    "set tics nomirror out\n"
	    "set key box opaque Left reverse samplen 4 spacing 1.3 width 1\n", f);
	fprintf(f, "set title font \",%d\"\n", t == TERM_PDF ? 15 : 19);
}

static void
title_name(char *buf, size_t len, const struct fc_scenario *s)
{
	snprintf(buf, len, "%s", s->name ? s->name : s->file);
}

struct plot_style plot_style = { NULL, NULL, PLOT_Y_AUTO, 0 };

int
plot_yscale_parse(const char *cmd, const char *s, enum plot_yscale *out)
{
	if (strcmp(s, "linear") == 0)
		*out = PLOT_Y_LINEAR;
	else if (strcmp(s, "log") == 0)
		*out = PLOT_Y_LOG;
	else
		return cli_usage_error(cmd, "--y-scale: expected linear or log, got '%s'", s);
	return EXIT_OK;
}

/* The title (plot_style's --title, else title), its subtitle on a
 * second, smaller line (--subtitle, else sub; NULL or "" for none) and
 * the footnote (seed and trials) in the bottom right corner. */
static void
put_titles(FILE *f, const char *title, const char *sub, const char *foot)
{
	char buf[1200];

	if (plot_style.title)
		title = plot_style.title;
	if (plot_style.subtitle)
		sub = plot_style.subtitle;
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
axis_value(char *buf, size_t len, const struct plot_sweep *sw, double v)
{
	if (strcmp(sw->key, "users") == 0)
		fmt_count(buf, len, v);
	else
		snprintf(buf, len, "%.4g", v);
}

/* Where v lies along the x axis, 0 (left) to 1 (right). */
static double
x_frac(const struct plot_sweep *sw, double v)
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
put_crossing(FILE *f, const struct plot_sweep *sw, int key_left)
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
sweep_range(const struct plot_sweep *sw, const size_t *figs, size_t nf, int with_band,
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
				v = fig_value(&sw->r[i], plot_sweep_figures[figs[k]], st);
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

/* By enum plot_chart; the servers chart also stands for any other. */
static const struct chart_def chart_defs[] = {
	[CHART_COST] = { .what = "monthly cost",
	    .ylabel = "Monthly cost (USD per month)",
	    .api_key = "api.monthly_cost", .flat_key = "flat.monthly_cost",
	    .scale = 1, .money = 1, .log_y_ok = 1, .mark = 1, .key_pos = "top left" },
	[CHART_PER_USER] = { .what = "cost per user",
	    .ylabel = "Cost per user (USD per user per month)",
	    .api_key = "per_user.api", .flat_key = "per_user.flat",
	    .scale = 1, .money = 1, .log_y_ok = 1, .mark = 1, .key_pos = "top right" },
	[CHART_SERVERS] = { .what = "servers of the flat architecture",
	    .ylabel = "Servers (count)",
	    .flat_key = "flat.servers",
	    .scale = 1, .steps = 1, .key_pos = "top left" },
	[CHART_SHARE] = { .what = "AI cost as a share of revenue",
	    .ylabel = "AI cost (% of revenue)",
	    .api_key = "share_of_revenue.api", .flat_key = "share_of_revenue.flat",
	    .scale = 100, .mark = 1, .key_pos = "top right" },
};

static void
chart_def(enum plot_chart c, struct chart_def *d)
{
	size_t n = sizeof(chart_defs) / sizeof(chart_defs[0]);

	*d = chart_defs[(size_t)c < n ? c : CHART_SERVERS];
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
put_band(FILE *f, const char *data, const struct plot_sweep *sw, size_t fig,
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
put_line(FILE *f, const char *data, const struct plot_sweep *sw, size_t fig,
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
put_not_viable(FILE *f, const char *data, const struct plot_sweep *sw, size_t ff, double scale)
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
sweep_body(FILE *f, const char *data, const void *ctx)
{
	const struct sweep_ctx *c = ctx;
	const struct plot_sweep *sw = c->sw;
	struct chart_def d;
	char name[200], title[600], an[200], fn[200], xl[200], nt[48], foot[200];
	size_t figs[2], nf = 0;
	int det = sweep_det(sw), band = 0;
	double lo, hi;
	size_t fa = 0, ff;

	chart_def(c->chart, &d);
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
		fmt_count(nt, sizeof(nt), (double)sw->r[0].trials);
		snprintf(foot, sizeof(foot), "Monte Carlo, %s trials per point, seed %lu", nt,
		    sw->r[0].seed);
	}
	put_titles(f, title, det ? NULL : "lines are medians (P50), bands P5–P95", foot);
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
	if (plot_style.y_scale == PLOT_Y_LOG ? lo > 0 && isfinite(hi) :
	    plot_style.y_scale == PLOT_Y_AUTO && d.log_y_ok && lo > 0 && isfinite(hi) &&
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

/* The histogram of both architectures' monthly cost. */
#define HIST_BINS 50

struct hist {
	const struct fc_scenario *s;
	const struct fc_mc_result *r;
	double edge[HIST_BINS + 1];
	double count[2][HIST_BINS];    /* trials per bin: api, flat */
	int log_x;
};

static void
hist_data(FILE *f, const void *ctx)
{
	const struct hist *h = ctx;
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
hist_body(FILE *f, const char *data, const void *ctx)
{
	const struct hist *h = ctx;
	const struct fc_mc_result *r = h->r;
	char name[200], title[600], an[200], fn[200], users[48], a[48], b[48], nt[48];
	char foot[200];
	double n = (double)r->trials, pa, pf;
	long ka = fc_figure_index("api.monthly_cost"), kf = fc_figure_index("flat.monthly_cost");

	pa = ka >= 0 ? r->stats[ka].p50 : NAN;
	pf = kf >= 0 ? r->stats[kf].p50 : NAN;
	title_name(name, sizeof(name), h->s);
	api_name(an, sizeof(an), h->s);
	flat_name(fn, sizeof(fn), h->s);
	fmt_count(users, sizeof(users), r->in.users);
	fmt_count(nt, sizeof(nt), (double)r->trials);
	snprintf(title, sizeof(title), "%s: monthly cost at %s users, month %ld", name, users,
	    r->month);
	snprintf(foot, sizeof(foot), "Monte Carlo, %s trials, seed %lu", nt, r->seed);
	put_titles(f, title, "how the cost spreads over the uncertain inputs", foot);
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
	fmt_money(a, sizeof(a), pa);
	fmt_money(b, sizeof(b), pf);
	snprintf(title, sizeof(title), "API median (P50): %s", a);
	fputs(", \\\n     keyentry with lines lc rgb \"" COLOR_API "\" lw 2.5 dt 1 title ", f);
	gp_str(f, title);
	snprintf(title, sizeof(title), "Flat median (P50): %s", b);
	fputs(", \\\n     keyentry with lines lc rgb \"" COLOR_FLAT "\" lw 2.5 dt (10,5) title ", f);
	gp_str(f, title);
	fputc('\n', f);
}

/* Runs gnuplot on script (rewound to its start).  Its output goes to a
 * temporary file, shown only when it fails. */
static int
run_gnuplot(FILE *script, const char *what)
{
	const char *prog = gnuplot_prog();
	FILE *err = tmpfile();
	sigset_t block, old;
	pid_t pid;
	int status;

	if (err == NULL) {
		cli_err("cannot create a temporary file: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	if (fflush(script) != 0 || ferror(script)) {
		cli_err("cannot write the gnuplot script: %s", strerror(errno));
		fclose(err);
		return EXIT_RUNTIME;
	}
	rewind(script);
	fflush(stdout);
	fflush(stderr);
	/* SIGINT and SIGTERM wait until the child is known to the handler,
	 * which kills and reaps it before removing the temporary chart
	 * (else gnuplot would write it again after the cleanup) */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		cli_err("cannot run %s: %s", prog, strerror(errno));
		fclose(err);
		return EXIT_RUNTIME;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (dup2(fileno(script), 0) < 0 || dup2(fileno(err), 1) < 0 ||
		    dup2(fileno(err), 2) < 0)
			_exit(126);
		execlp(prog, prog, (char *)NULL);
		_exit(127);
	}
	cli_child = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			cli_child = 0;
			cli_err("cannot wait for %s: %s", prog, strerror(errno));
			fclose(err);
			return EXIT_RUNTIME;
		}
	cli_child = 0;
	if (cli_interrupted) {
		fclose(err);
		cli_err("interrupted");
		return EXIT_SIGINT;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		fclose(err);
		return EXIT_OK;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		cli_err("cannot run %s, which draws the charts: install it with " INSTALL_HINT
		    ", or set FLATCOST_GNUPLOT to its path", prog);
		fclose(err);
		return EXIT_RUNTIME;
	}
	{
		/* show what gnuplot said: its last 4 KB */
		char buf[4096];
		long end;
		size_t n;

		fflush(err);
		fseek(err, 0, SEEK_END);
		end = ftell(err);
		fseek(err, end > (long)sizeof(buf) - 1 ? end - (long)sizeof(buf) + 1 : 0, SEEK_SET);
		n = fread(buf, 1, sizeof(buf) - 1, err);
		buf[n] = '\0';
		if (n)
			fprintf(stderr, "%s%s", buf, buf[n - 1] == '\n' ? "" : "\n");
	}
	fclose(err);
	if (WIFEXITED(status))
		cli_err("%s failed to draw %s (exit status %d); flatcost needs gnuplot 5 with "
		    "its cairo terminals: " INSTALL_HINT, prog, what, WEXITSTATUS(status));
	else
		cli_err("%s was killed by signal %d while drawing %s", prog,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0, what);
	return EXIT_RUNTIME;
}

typedef void (*data_fn)(FILE *, const void *);
typedef void (*body_fn)(FILE *, const char *, const void *);

/* base name of path without its extension, into buf */
static void
stem_of(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	snprintf(buf, len, "%.*s", (int)n, base);
}

int
plot_claim(const char *path, const char *script_dir)
{
	char stem[256], *p;
	size_t len;
	int rc;

	if ((rc = cli_io_output(path)) != EXIT_OK || script_dir == NULL)
		return rc;
	stem_of(path, stem, sizeof(stem));
	len = strlen(script_dir) + sizeof(stem) + 8;
	if ((p = fc_malloc(len)) == NULL)
		return cli_oom();
	snprintf(p, len, "%s/%s.dat", script_dir, stem);
	rc = cli_io_output(p);
	snprintf(p, len, "%s/%s.gp", script_dir, stem);
	if (rc == EXIT_OK)
		rc = cli_io_output(p);
	fc_free(p);
	return rc;
}

/* Writes DIR/STEM.dat and DIR/STEM.gp into po->dat and po->gp (their
 * temporary files: plot_commit() renames them); the script renders
 * BASENAME in the directory it is run from. */
static int
keep_script(const char *dir, const char *path, enum term t, const char *chart,
    data_fn data, body_fn body, const void *ctx, struct plot_out *po)
{
	char stem[256], *p = NULL, ref[300];
	const char *base = strrchr(path, '/');
	size_t len = strlen(dir) + sizeof(stem) + 8;
	int rc;

	base = base ? base + 1 : path;
	stem_of(path, stem, sizeof(stem));
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_err("cannot create %s: %s", dir, strerror(errno));
		return EXIT_RUNTIME;
	}
	if ((p = fc_malloc(len)) == NULL)
		return cli_oom();
	snprintf(p, len, "%s/%s.dat", dir, stem);
	if ((rc = out_open(&po->dat, p)) != EXIT_OK)
		goto out;
	data(po->dat.f, ctx);
	snprintf(p, len, "%s/%s.gp", dir, stem);
	if ((rc = out_open(&po->gp, p)) != EXIT_OK)
		goto out;
	fprintf(po->gp.f, "# flatcost %s: the %s chart; restyle and render it with\n"
	    "#   cd %s && gnuplot %s.gp\n"
	    "# which reads %s.dat (columns named in its first line) and writes %s.\n",
	    FC_VERSION, chart, dir, stem, stem, base);
	put_terminal(po->gp.f, t, base);
	put_style(po->gp.f, t);
	fputs("datafile = ", po->gp.f);
	snprintf(ref, sizeof(ref), "%s.dat", stem);
	gp_str(po->gp.f, ref);
	fputc('\n', po->gp.f);
	body(po->gp.f, "datafile", ctx);
	fputs("unset output\n", po->gp.f);
out:
	fc_free(p);
	return rc;
}

/* Whether the file gnuplot wrote is a whole chart of its kind: a full disk
 * or a killed gnuplot can leave a truncated one with exit status 0.  A PNG
 * ends with its IEND chunk, an SVG with </svg>, a PDF with %%EOF. */
static int
chart_complete(const char *file, enum term t)
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
		while (t != TERM_PNG && n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' ||
		    tail[n - 1] == ' ' || tail[n - 1] == '\t'))
			n--;
		switch (t) {
		case TERM_PNG:
			ok = memcmp(head, png, sizeof(png)) == 0 &&
			    memcmp(tail + n - sizeof(iend), iend, sizeof(iend)) == 0;
			break;
		case TERM_SVG:
			ok = n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
			break;
		case TERM_PDF:
			ok = memcmp(head, "%PDF", 4) == 0 && n >= 5 &&
			    memcmp(tail + n - 5, "%%EOF", 5) == 0;
			break;
		}
	}
	fclose(f);
	return ok;
}

static int
render(const char *path, const char *script_dir, const char *chart, data_fn data,
    body_fn body, const void *ctx, struct plot_out *po)
{
	struct stat sb;
	FILE *script;
	int t = term_of(path), rc;

	memset(po, 0, sizeof(*po));
	if (t < 0) {
		cli_err("--plot: '%s' should end in .png, .svg or .pdf", path);
		return EXIT_USAGE;
	}
	if ((rc = out_open(&po->chart, path)) != EXIT_OK)
		return rc;
	if ((script = tmpfile()) == NULL) {
		cli_err("cannot create a temporary file: %s", strerror(errno));
		plot_abort(po);
		return EXIT_RUNTIME;
	}
	/* gnuplot writes the temporary file itself: ours stays empty */
	put_terminal(script, (enum term)t, po->chart.tmp ? po->chart.tmp : path);
	put_style(script, (enum term)t);
	fputs("$data << EOD\n", script);
	data(script, ctx);
	fputs("EOD\n", script);
	body(script, "$data", ctx);
	fputs("unset output\n", script);
	rc = run_gnuplot(script, path);
	fclose(script);
	if (rc == EXIT_OK && po->chart.tmp && (stat(po->chart.tmp, &sb) != 0 ||
	    sb.st_size == 0)) {
		cli_err("%s wrote nothing for %s; flatcost needs gnuplot 5 with its cairo "
		    "terminals: " INSTALL_HINT, gnuplot_prog(), path);
		rc = EXIT_RUNTIME;
	} else if (rc == EXIT_OK && po->chart.tmp &&
	    !chart_complete(po->chart.tmp, (enum term)t)) {
		cli_err("%s wrote a truncated chart for %s (is the disk full?); nothing written",
		    gnuplot_prog(), path);
		rc = EXIT_RUNTIME;
	}
	if (rc == EXIT_OK && script_dir)
		rc = keep_script(script_dir, path, (enum term)t, chart, data, body, ctx, po);
	if (rc != EXIT_OK)
		plot_abort(po);
	return rc;
}

void
plot_abort(struct plot_out *po)
{
	out_abort(&po->chart);
	out_abort(&po->dat);
	out_abort(&po->gp);
}

int
plot_commit(struct plot_out *po)
{
	int rc = EXIT_OK;

	if (po->dat.f && (rc = out_commit(&po->dat)) != EXIT_OK)
		goto fail;
	if (po->gp.f && (rc = out_commit(&po->gp)) != EXIT_OK)
		goto fail;
	/* the chart last: gnuplot wrote its temporary file by name (our
	 * stream on it holds nothing) and it was checked whole */
	if (po->chart.f && (rc = out_commit(&po->chart)) != EXIT_OK)
		goto fail;
	return EXIT_OK;
fail:
	plot_abort(po);
	return rc;
}

int
plot_sweep(const char *path, const char *script_dir, enum plot_chart chart,
    const struct plot_sweep *sw, struct plot_out *po)
{
	struct sweep_ctx c;

	if (chart == CHART_HISTOGRAM || sw->n < 2)
		return cli_usage_error("sweep", "--chart histogram is for one run: "
		    "flatcost simulate SCENARIO --plot FILE");
	c.sw = sw;
	c.chart = chart;
	return render(path, script_dir, chart_names[chart], sweep_data, sweep_body, &c, po);
}

int
plot_histogram(const char *path, const char *script_dir,
    const struct fc_scenario *s, const struct fc_mc_result *r, struct plot_out *po)
{
	struct hist h;
	long k[2] = { fc_figure_index("api.monthly_cost"), fc_figure_index("flat.monthly_cost") };
	double lo = INFINITY, hi = -INFINITY;
	long t;
	int a, b;

	if (r->deterministic || r->samples == NULL || r->trials < 1)
		return cli_usage_error("simulate", "--plot draws the spread over Monte Carlo "
		    "trials; drop --deterministic");
	if (k[0] < 0 || k[1] < 0) {
		cli_err("internal error: no monthly cost figures to plot");
		return EXIT_RUNTIME;
	}
	memset(&h, 0, sizeof(h));
	h.s = s;
	h.r = r;
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
	if (!isfinite(lo)) {
		cli_err("%s: no trial gave a monthly cost to plot", s->file);
		return EXIT_RUNTIME;
	}
	if (!(hi > lo)) {
		/* every trial costs the same: one bin around it */
		double w = lo != 0 ? fabs(lo) * 0.05 : 1;
		lo -= w;
		hi += w;
	}
	/* log bins when the costs span more than a factor of 5 */
	h.log_x = lo > 0 && hi / lo > 5;
	for (b = 0; b <= HIST_BINS; b++)
		h.edge[b] = h.log_x ? lo * pow(hi / lo, (double)b / HIST_BINS) :
		    lo + (hi - lo) * (double)b / HIST_BINS;
	h.edge[0] = lo;
	h.edge[HIST_BINS] = hi;
	for (t = 0; t < r->trials; t++)
		for (a = 0; a < 2; a++) {
			double v = r->samples[(size_t)t * fc_nfigures + (size_t)k[a]], u;
			if (!isfinite(v))
				continue;
			u = h.log_x ? log(v / lo) / log(hi / lo) : (v - lo) / (hi - lo);
			b = (int)floor(u * HIST_BINS);
			if (b < 0)
				b = 0;
			if (b >= HIST_BINS)
				b = HIST_BINS - 1;
			h.count[a][b]++;
		}
	return render(path, script_dir, chart_names[CHART_HISTOGRAM], hist_data, hist_body, &h,
	    po);
}

/* The payback timeline: cumulative savings by month. */
static const struct fc_scenario *timeline_scenario;   /* names for the title */
static void
timeline_data(FILE *f, const void *ctx)
{
	const struct fc_months *m = ((const struct fc_mc_result *)ctx)->months;
	long i;

	fputs("# month cumulative.p5 cumulative.p50 cumulative.p95\n", f);
	/* month 0: the one-time costs, before any saving */
	fprintf(f, "0 %.10g %.10g %.10g\n", -m->one_time_net, -m->one_time_net,
	    -m->one_time_net);
	for (i = 0; i < m->n; i++) {
		const struct fc_stat *c = &m->stat[i][FC_MF_CUMULATIVE];
		put_num(f, (double)(i + 1), 1);
		put_num(f, c->p5, 0);
		put_num(f, c->p50, 0);
		put_num(f, c->p95, 0);
		fputc('\n', f);
	}
}

static void
timeline_body(FILE *f, const char *data, const void *ctx)
{
	const struct fc_mc_result *r = ctx;
	const struct fc_months *m = r->months;
	char name[200], title[600], foot[200], nt[48], a[48], b[48];
	double lo = -m->one_time_net, hi = -m->one_time_net;
	long i;

	for (i = 0; i < m->n; i++) {
		const struct fc_stat *c = &m->stat[i][FC_MF_CUMULATIVE];
		if (c->p5 < lo)
			lo = c->p5;
		if (c->p95 > hi)
			hi = c->p95;
	}
	title_name(name, sizeof(name), timeline_scenario);
	snprintf(title, sizeof(title), "%s: payback, cumulative savings of switching to flat "
	    "by month", name);
	fmt_count(nt, sizeof(nt), (double)r->trials);
	snprintf(foot, sizeof(foot), "Monte Carlo, %s trials, seed %lu", nt, r->seed);
	put_titles(f, title, "line: median (P50); band: P5–P95 of trials", foot);
	fputs("set xlabel \"Month after the switch\"\n"
	    "set ylabel \"Cumulative savings (USD)\"\n"
	    "set key top left\n", f);
	fprintf(f, "set xrange [0:%ld]\n", m->n);
	/* room around the values: the one-time cost sits at the bottom left */
	fputs("set offsets graph 0.02, 0, graph 0.05, graph 0.05\n", f);
	if (plot_style.y_scale == PLOT_Y_LOG)
		fputs("set logscale y 10\n", f);
	/* "$400k", "$1.2M": savings cross zero, so the scale is the larger end's */
	fputs(fmax(fabs(lo), fabs(hi)) >= 1e4 ? "set format y \"$%.1s%c\"\n" :
	    "set format y \"$%g\"\n", f);
	if (plot_style.y_scale != PLOT_Y_LOG)
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
		fmt_count(a, sizeof(a), fabs(m->one_time_net));
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

int
plot_timeline(const char *path, const struct fc_scenario *s, const struct fc_mc_result *r,
    struct plot_out *po)
{
	long i;

	if (r->deterministic || r->months == NULL || r->months->n < 1)
		return cli_usage_error("simulate", "--plot with --months draws the spread over "
		    "Monte Carlo trials; drop --deterministic");
	if (plot_style.y_scale == PLOT_Y_LOG) {
		int ok = -r->months->one_time_net > 0;
		for (i = 0; i < r->months->n && ok; i++)
			ok = r->months->stat[i][FC_MF_CUMULATIVE].p5 > 0;
		if (!ok)
			return cli_usage_error("simulate", "--y-scale log: the cumulative savings "
			    "are not all positive (the one-time cost starts them below 0); use "
			    "--y-scale linear");
	}
	timeline_scenario = s;
	return render(path, NULL, "timeline", timeline_data, timeline_body, r, po);
}

/* The tornado's x range and where nulls are drawn (right of every value). */
struct tornado_ctx {
	const struct plot_tornado *t;
	double xmin, xmax, xnull;
	int has_null;
};

static double
tornado_x(const struct tornado_ctx *c, double v)
{
	return isfinite(v) ? v : c->xnull;
}

static void
tornado_data(FILE *f, const void *ctx)
{
	const struct tornado_ctx *c = ctx;
	const struct plot_tornado *t = c->t;
	double b = tornado_x(c, t->baseline);
	size_t i;

	fputs("# y low_from low_to high_from high_to label_x label\n", f);
	for (i = 0; i < t->n; i++) {
		const struct plot_tornado_bar *r = &t->bars[i];
		double lo = tornado_x(c, r->low), hi = tornado_x(c, r->high);
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
tornado_body(FILE *f, const char *data, const void *ctx)
{
	const struct tornado_ctx *c = ctx;
	const struct plot_tornado *t = c->t;
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
	    c->xmin, c->xmax);
	fputs("set grid noytics\nset bmargin 9\n"
	    "set key at screen 0.5, screen 0.02 center bottom horizontal maxrows 1 width 1\n", f);
	if (t->money)
		put_money_format(f, 'x', c->xmin, c->xmax);
	fprintf(f, "set arrow 1 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
	    COLOR_MARK "\" lw 2 front\n", tornado_x(c, t->baseline), tornado_x(c, t->baseline));
	if (c->has_null)
		fprintf(f, "set arrow 2 from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb \""
		    COLOR_MARK "\" lw 1 dt (3,4)\n"
		    "set label 1 \"none (null)\" at %.10g, graph 1 center offset 0,0.8\n",
		    c->xnull, c->xnull, c->xnull);
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

int
plot_tornado(const char *path, const struct plot_tornado *t, struct plot_out *po)
{
	struct tornado_ctx c;
	double lo = INFINITY, hi = -INFINITY, span;
	size_t i;

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
		cli_err("%s: no input has a tornado value to draw", path);
		return EXIT_RUNTIME;
	}
	span = hi > lo ? hi - lo : (lo != 0 ? fabs(lo) * 0.1 : 1);
	c.xnull = hi + 0.1 * span;
	c.xmin = lo - 0.05 * span;
	/* room for the share labels right of the longest bar */
	c.xmax = (c.has_null ? c.xnull : hi) + 0.25 * span;
	return render(path, NULL, "tornado", tornado_data, tornado_body, &c, po);
}

/* The compare chart: each viable server option's monthly cost (P50, P5-P95
 * whiskers) against its P95 call latency, labelled; the Pareto front
 * (no other option both cheaper and faster) as a step line; the API's
 * P50 as a horizontal line, having no server latency to place it by. */
struct cmp_chart {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	const struct fc_cmp_option *v;
	const size_t *order;
	size_t n;
	size_t *pts;           /* the plotted options, by latency then cost */
	size_t npts;
	double api_p50[2];     /* the API's and the routed API's; NaN: none */
	const char *api_ref[2];
};

static void
cmp_data(FILE *f, const void *ctx)
{
	const struct cmp_chart *c = ctx;
	double best = INFINITY;
	size_t i;

	fputs("# latency_p95_s cost_p50 cost_p5 cost_p95 pareto label front_cost\n", f);
	for (i = 0; i < c->npts; i++) {
		const struct fc_cmp_option *op = &c->v[c->pts[i]];
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
cmp_body(FILE *f, const char *data, const void *ctx)
{
	const struct cmp_chart *c = ctx;
	char title[600], name[200], nt[48], users[48], an[2][200], a[48], foot[200];
	double lo = INFINITY, hi = -INFINITY;
	size_t i;

	for (i = 0; i < c->npts; i++) {
		const struct fc_cmp_option *op = &c->v[c->pts[i]];
		lo = fmin(lo, op->stats[FC_CMP_COST].p5);
		hi = fmax(hi, op->stats[FC_CMP_COST].p95);
	}
	for (i = 0; i < 2; i++)
		if (isfinite(c->api_p50[i])) {
			lo = fmin(lo, c->api_p50[i]);
			hi = fmax(hi, c->api_p50[i]);
		}
	title_name(name, sizeof(name), c->s);
	fmt_count(nt, sizeof(nt), (double)c->o->trials);
	{
		struct fc_inputs in;
		fc_inputs_mean(c->s, c->o->month, &in);
		fmt_count(users, sizeof(users), isnan(c->o->users) ? in.users : c->o->users);
	}
	snprintf(title, sizeof(title), "%s: which server and model? %s users, month %ld",
	    name, users, c->o->month);
	snprintf(foot, sizeof(foot), "Monte Carlo, %s trials, seed %lu, the same trials for "
	    "every option", nt, c->o->seed);
	/* a margin under the key, below the plot, for the footnote */
	put_titles(f, title, NULL, foot);
	fputs("set bmargin 9\n", f);
	fputs("set xlabel \"Call latency, P95 over the trials (s)\"\n"
	    "set ylabel \"Monthly cost, P50 with P5-P95 whiskers (USD per month)\"\n"
	    "set key horizontal center bottom at screen 0.5, screen 0.045 maxrows 2\n"
	    "set offsets graph 0.05, graph 0.25, graph 0.05, graph 0.05\n", f);
	if (isfinite(lo) && lo > 0 && hi / lo > 20)
		fputs("set logscale y 10\n", f);
	put_money_format(f, 'y', lo, hi);
	for (i = 0; i < 2; i++) {
		if (!isfinite(c->api_p50[i]))
			continue;
		/* the plain API solid, the routed API dotted */
		fprintf(f, "set arrow %zu from graph 0, first %.10g to graph 1, first %.10g nohead"
		    " lc rgb \"" COLOR_API "\" lw 2.5 dt %s front\n", i + 1, c->api_p50[i],
		    c->api_p50[i], i ? "(2,3)" : "1");
		fmt_money(a, sizeof(a), c->api_p50[i]);
		snprintf(an[i], sizeof(an[i]), "%s %s, P50: %s", i ? "Routed API" : "API",
		    c->api_ref[i], a);
	}
	fprintf(f, "plot %s using 1:2:3:4 with yerrorbars ls 2 title "
	    "\"Server option (P50, P5-P95)\", \\\n", data);
	fprintf(f, "     %s using 1:7 with steps ls 3 title "
	    "\"Pareto front (no option cheaper and faster)\", \\\n", data);
	fprintf(f, "     %s using 1:2:6 with labels left offset 1,0.6 font \",10\" notitle", data);
	for (i = 0; i < 2; i++) {
		if (!isfinite(c->api_p50[i]))
			continue;
		fprintf(f, ", \\\n     keyentry with lines lc rgb \"" COLOR_API "\" lw 2.5 dt %s"
		    " title ", i ? "(2,3)" : "1");
		gp_str(f, an[i]);
	}
	fputc('\n', f);
}

int
plot_compare(const char *path, const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_option *v, const size_t *order, size_t n, struct plot_out *po)
{
	struct cmp_chart c;
	size_t i, j;
	int rc;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	c.v = v;
	c.order = order;
	c.n = n;
	c.api_p50[0] = c.api_p50[1] = NAN;
	if ((c.pts = fc_calloc(n ? n : 1, sizeof(*c.pts))) == NULL)
		return cli_oom();
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
		cli_err("%s: no viable server option to plot", s->file);
		return EXIT_RUNTIME;
	}
	rc = render(path, NULL, "compare", cmp_data, cmp_body, &c, po);
	fc_free(c.pts);
	return rc;
}
