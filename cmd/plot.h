/*
 * plot.h: charts for slides, drawn by gnuplot at run time (docs/model.md,
 * "The pipeline"): the sweep charts of `flatcost sweep --plot`, the
 * histogram of `flatcost simulate --plot` and the tornado of `flatcost
 * sensitivity --plot`.
 *
 * gnuplot is the program named by $FLATCOST_GNUPLOT, else `gnuplot` on the
 * PATH.  The chart goes to a temporary file beside FILE that is renamed
 * into place only when gnuplot succeeded, so a failed run leaves no
 * partial chart.  Every function here prints its own errors and returns
 * an exit status of cli.h: EXIT_OK, EXIT_USAGE (bad request: nothing
 * written) or EXIT_RUNTIME (gnuplot missing or failing, I/O).
 */
#ifndef FC_PLOT_H
#define FC_PLOT_H

#include <stddef.h>

#include "compare.h"
#include "cli.h"
#include "mc.h"
#include "scenario.h"

enum plot_chart {
	CHART_COST,       /* monthly cost of both architectures, P5-P95 bands */
	CHART_PER_USER,   /* cost per user per month */
	CHART_SERVERS,    /* the flat fleet's server count, as steps */
	CHART_SHARE,      /* AI cost as a share of revenue */
	CHART_HISTOGRAM,  /* monthly cost over the trials of one simulation */
};

/*
 * What a command's --title, --subtitle and --y-scale ask of its chart
 * (sweep, merge, simulate --months): NULL keeps the chart's own title or
 * subtitle, "" drops it.  The seed and the trial count are a footnote in
 * the bottom left corner, not part of the title.
 */
enum plot_yscale { PLOT_Y_AUTO, PLOT_Y_LINEAR, PLOT_Y_LOG };
struct plot_style {
	const char *title, *subtitle;
	enum plot_yscale y_scale;   /* AUTO: log where the values span over 8x */
	int page;                   /* SVG for a page's column (report): 1000x560 */
};
extern struct plot_style plot_style;
/* Parses --y-scale's "linear|log" for cmd; EXIT_OK or EXIT_USAGE. */
int plot_yscale_parse(const char *cmd, const char *s, enum plot_yscale *out);

/* Parses "cost|per-user|servers|share|histogram"; -1 when unknown. */
int plot_chart_parse(const char *s);

/* Checks a --plot FILE for command cmd before any work is done: its
 * extension picks the terminal (.png pngcairo, .svg, .pdf pdfcairo) and
 * gnuplot must be installed. */
int plot_check(const char *cmd, const char *path);

/* Claims (cli_io_output()) the chart path and, with script_dir, the
 * files kept there (DIR/STEM.dat, DIR/STEM.gp), before any work: an
 * error when one of them is an input or another output. */
int plot_claim(const char *path, const char *script_dir);

/* A sweep along one axis, as cmd_sweep.c computed it. */
struct plot_sweep {
	const struct fc_scenario *s;   /* the base scenario: names for titles and legends */
	const char *key;               /* the swept key: "users" or a dotted scenario path */
	int log_x;                     /* points are log-spaced: log x axis */
	size_t n;                      /* points */
	const double *x;               /* n swept values, increasing */
	const struct fc_mc_result *r;  /* n results; their samples are not used */
	double cross;                  /* first crossing of the P50 costs; NaN: none to mark */
	double cross_lo, cross_hi;     /* P5 and P95 of the trials' crossings, clamped
	                                  to the sweep; NaN when deterministic */
};

/* The columns of the sweep data file, which are also columns of the
 * sweep's CSV with the same names and the same "%.10g" numbers: the axis
 * (named key), then for each charted figure FIG either "FIG" (one
 * deterministic value) or "FIG.mean", "FIG.p5", "FIG.p50", "FIG.p95". */
extern const char *const plot_sweep_figures[];
extern const size_t plot_sweep_nfigures;

/* A chart drawn and checked whole (a PNG's IEND, an SVG's </svg>, a PDF's
 * %%EOF) in temporary files beside its path, and the --plot-script files:
 * plot_commit() renames them into place, to be called once the report is
 * safely written; plot_abort() removes them.  Zero it before use: the
 * functions below fill it only when they succeed. */
struct plot_out {
	struct cli_out chart;   /* the chart itself */
	struct cli_out dat, gp; /* DIR/STEM.dat, DIR/STEM.gp; f NULL when none */
};
int plot_commit(struct plot_out *po);
void plot_abort(struct plot_out *po);

/* Renders chart (not CHART_HISTOGRAM) of the sweep to path.  With
 * script_dir, also keeps the data and a gnuplot script that renders the
 * same chart there: DIR/STEM.dat and DIR/STEM.gp, STEM being path's
 * base name without its extension (cd DIR && gnuplot STEM.gp). */
int plot_sweep(const char *path, const char *script_dir, enum plot_chart chart,
    const struct plot_sweep *sw, struct plot_out *po);

/* Renders the histogram of both architectures' monthly cost over r's
 * trials (r->samples) to path; script_dir as above, may be NULL.  A
 * deterministic r has no spread to draw: EXIT_USAGE. */
int plot_histogram(const char *path, const char *script_dir,
    const struct fc_scenario *s, const struct fc_mc_result *r, struct plot_out *po);

/* One bar of a tornado chart. */
struct plot_tornado_bar {
	const char *label;   /* the input and its range, one line each: "KEY\nA to B UNIT" */
	double low, high;    /* the figure with the input near its P10 / P90; NaN: null */
	double share;        /* the input's share of the variance, 0 to 1 */
};

/* A tornado: a bar per input from low to high around the baseline. */
struct plot_tornado {
	const char *title, *subtitle;   /* two title lines */
	const char *xlabel;             /* the figure and its units */
	int money;                      /* a USD figure: dollars on the axis */
	double baseline;                /* the figure's median; NaN: null */
	const char *baseline_label;     /* its legend: "median over all trials: $33,100" */
	size_t n;                       /* bars, sorted: bars[0] is drawn at the top */
	const struct plot_tornado_bar *bars;
};

/* Renders the tornado to path (checked with plot_check() first) into po's
 * temporary file, renamed by plot_commit() once the report is written.  Null
 * values are drawn at a "none" line right of every value. */
int plot_tornado(const char *path, const struct plot_tornado *t, struct plot_out *po);

/* Renders the payback timeline of a run with months (r->months, Monte
 * Carlo): the cumulative savings of switching by month, P50 with the
 * P5-P95 band, the one-time cost at month 0, the payback month's P50 and
 * P5-P95.  A log y axis needs every value positive: EXIT_USAGE else. */
int plot_timeline(const char *path, const struct fc_scenario *s,
    const struct fc_mc_result *r, struct plot_out *po);

/* Renders `flatcost compare --plot`: each viable server option's monthly
 * cost (P50 with P5-P95 whiskers) against its P95 call latency, labelled,
 * the Pareto front, and the API's P50 as a line.  v holds n options of a
 * Monte Carlo run; order lists them ranked (cmd_compare.c). */
int plot_compare(const char *path, const struct fc_scenario *s,
    const struct fc_mc_opts *o, const struct fc_cmp_option *v, const size_t *order,
    size_t n, struct plot_out *po);

#endif
