/*
 * chart.h: flatcost's charts as gnuplot scripts (docs/model.md, "The
 * pipeline"): the sweep charts (cost, per-user, servers, share), the
 * histogram of one simulation's trials, the payback timeline of a run with
 * months, the tornado of a sensitivity analysis and the compare chart.
 *
 * A chart is prepared from results (fc_chart_sweep() and the others: the
 * checks that it can be drawn, the bins, ranges and orders) and then
 * written: its data as a whitespace-separated table whose first line names
 * the columns (fc_chart_write_data), and a gnuplot 5 script that renders
 * it with the data inline or read from a side file (fc_chart_write_script).
 * Running gnuplot, and where the files go, is the caller's business.
 *
 * Nothing here prints or exits.  A chart borrows its inputs (scenario,
 * results, bars): they must outlive it.  Text from the scenario or the
 * caller is written as single-quoted gnuplot strings, so a title cannot
 * run a command.
 *
 * Errors: FC_EINVAL for a request that cannot be drawn as asked (a
 * deterministic run's spread, a log scale over values that are not all
 * positive), FC_EDOM for results with nothing to draw (no finite value),
 * each with one error without a location in d; FC_ENOMEM.
 */
#ifndef FC_CHART_H
#define FC_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "fc.h"
#include "mc.h"
#include "scenario.h"

enum fc_chart_kind {
	FC_CHART_COST,       /* monthly cost of both architectures, P5-P95 bands */
	FC_CHART_PER_USER,   /* cost per user per month */
	FC_CHART_SERVERS,    /* the flat fleet's server count, as steps */
	FC_CHART_SHARE,      /* AI cost as a share of revenue */
	FC_CHART_HISTOGRAM,  /* monthly cost over the trials of one simulation */
	FC_CHART_TIMELINE,   /* payback: cumulative savings by month */
	FC_CHART_TORNADO,    /* a sensitivity analysis's bars */
	FC_CHART_COMPARE,    /* server options' cost against latency */
};
/* The kind named "cost", "per-user", "servers", "share" or "histogram";
 * -1 when s names none. */
int fc_chart_kind_parse(const char *s);

/* The output format, picked by a file name's extension. */
enum fc_chart_term {
	FC_CHART_PNG,   /* pngcairo, 1600x900 */
	FC_CHART_SVG,   /* svg, 1600x900 (1000x560 for a page's column) */
	FC_CHART_PDF,   /* pdfcairo, 10 x 5.625 in */
};
/* The format path's extension picks (.png, .svg, .pdf, any case); -1
 * when none does. */
int fc_chart_term_of(const char *path);

enum fc_chart_yscale { FC_CHART_Y_AUTO, FC_CHART_Y_LINEAR, FC_CHART_Y_LOG };
/* What a caller asks of every chart: title and subtitle NULL keep the
 * chart's own, "" drops them.  The seed and the trial count are a
 * footnote, not part of the title. */
struct fc_chart_style {
	const char *title, *subtitle;
	enum fc_chart_yscale y_scale;   /* AUTO: log where the values span over 8x */
	int page;                       /* SVG for a page's column (report): 1000x560 */
	const char *money;              /* the currency symbol of money labels: "$", "€" */
};

/* A sweep along one axis. */
struct fc_chart_sweep {
	const struct fc_scenario *s;   /* the base scenario: names for titles and legends */
	const char *key;               /* the swept key: "users" or a dotted scenario path */
	int log_x;                     /* points are log-spaced: log x axis */
	size_t n;                      /* points, >= 2 */
	const double *x;               /* n swept values, increasing */
	const struct fc_mc_result *r;  /* n results; their samples are not used */
	double cross;                  /* first crossing of the P50 costs; NaN: none to mark */
	double cross_lo, cross_hi;     /* P5 and P95 of the trials' crossings, clamped
	                                  to the sweep; NaN when deterministic */
};

/* The columns of a sweep chart's data, which are also columns of the
 * sweep's CSV with the same names and the same "%.10g" numbers: the axis
 * (named key), then for each charted figure FIG either "FIG" (one
 * deterministic value) or "FIG.mean", "FIG.p5", "FIG.p50", "FIG.p95". */
extern const char *const fc_chart_sweep_figures[];
extern const size_t fc_chart_sweep_nfigures;

/* One bar of a tornado chart. */
struct fc_chart_bar {
	const char *label;   /* the input and its range, one line each: "KEY\nA to B UNIT" */
	double low, high;    /* the figure with the input near its P10 / P90; NaN: null */
	double share;        /* the input's share of the variance, 0 to 1 */
};

/* A tornado: a bar per input from low to high around the baseline. */
struct fc_chart_tornado {
	const char *title, *subtitle;   /* two title lines */
	const char *xlabel;             /* the figure and its units */
	int money;                      /* a USD figure: dollars on the axis */
	double baseline;                /* the figure's median; NaN: null */
	const char *baseline_label;     /* its legend: "median over all trials: $33,100" */
	size_t n;                       /* bars, sorted: bars[0] is drawn at the top */
	const struct fc_chart_bar *bars;
};

struct fc_chart;   /* a chart prepared for writing */

/* Chart kind (FC_CHART_COST to FC_CHART_SHARE) of the sweep; FC_EINVAL
 * for another kind or under 2 points. */
enum fc_status fc_chart_sweep(const struct fc_chart_sweep *sw, enum fc_chart_kind kind,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d);
/* The histogram of both architectures' monthly cost over r's trials
 * (r->samples), 50 bins, log-spaced where the costs span over 5x.
 * FC_EINVAL for a deterministic r (no spread to draw). */
enum fc_status fc_chart_histogram(const struct fc_scenario *s, const struct fc_mc_result *r,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d);
/* The payback timeline of a Monte Carlo run with months (r->months): the
 * cumulative savings of switching by month, P50 with the P5-P95 band, the
 * one-time cost at month 0, the payback month's P50 and P5-P95.  FC_EINVAL
 * for a deterministic r, and for a log y axis over values not all
 * positive. */
enum fc_status fc_chart_timeline(const struct fc_scenario *s, const struct fc_mc_result *r,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d);
/* The tornado t; null values are drawn at a "none" line right of every
 * value.  FC_EDOM when no value is finite (named after path). */
enum fc_status fc_chart_tornado(const char *path, const struct fc_chart_tornado *t,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d);
/* The compare chart: each viable server option's monthly cost (P50 with
 * P5-P95 whiskers) against its P95 call latency, labelled, the Pareto
 * front, and the API's P50 as a line.  v holds n options of a Monte Carlo
 * run, order lists them ranked.  FC_EDOM when no server option is viable. */
enum fc_status fc_chart_compare(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_option *v, const size_t *order, size_t n,
    const struct fc_chart_style *style, struct fc_chart **out, struct fc_diags *d);
void fc_chart_free(struct fc_chart *c);

/* The chart's name for comments: "cost", "histogram", "timeline", ... */
const char *fc_chart_name(const struct fc_chart *c);
/* Writes the chart's data, its first line naming the columns ("# ..."). */
void fc_chart_write_data(const struct fc_chart *c, FILE *f);
/* Writes a gnuplot script rendering the chart in format t to output: the
 * data inline (a $data datablock) when datafile is NULL, else read from
 * the file datafile names.  Ends with "unset output". */
void fc_chart_write_script(const struct fc_chart *c, enum fc_chart_term t, const char *output,
    const char *datafile, FILE *f);
/* Whether the file gnuplot wrote is a whole chart of format t (a PNG's
 * IEND chunk, an SVG's </svg>, a PDF's %%EOF): a full disk or a killed
 * gnuplot can leave a truncated one. */
int fc_chart_file_complete(const char *file, enum fc_chart_term t);

#endif
