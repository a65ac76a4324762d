/*
 * plot.h: charts for slides, drawn by gnuplot at run time: the charts of
 * model/chart.h (the sweep charts of `flatcost sweep --plot`, the
 * histogram of `flatcost simulate --plot`, the tornado of `flatcost
 * sensitivity --plot`, ...) rendered to the command's --plot FILE.
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

#include "chart.h"
#include "compare.h"
#include "cli.h"
#include "mc.h"
#include "scenario.h"

/* The charts --chart names (model/chart.h). */
enum plot_chart {
	CHART_COST = FC_CHART_COST,
	CHART_PER_USER = FC_CHART_PER_USER,
	CHART_SERVERS = FC_CHART_SERVERS,
	CHART_SHARE = FC_CHART_SHARE,
	CHART_HISTOGRAM = FC_CHART_HISTOGRAM,
};

/*
 * What a command's --title, --subtitle and --y-scale ask of its chart
 * (sweep, merge, simulate --months): NULL keeps the chart's own title or
 * subtitle, "" drops it.  The seed and the trial count are a footnote in
 * the bottom left corner, not part of the title.
 */
enum plot_yscale { PLOT_Y_AUTO = FC_CHART_Y_AUTO, PLOT_Y_LINEAR = FC_CHART_Y_LINEAR,
	PLOT_Y_LOG = FC_CHART_Y_LOG };
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

/* A sweep along one axis (struct fc_chart_sweep, model/chart.h); its data
 * columns are fc_chart_sweep_figures. */

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
    const struct fc_chart_sweep *sw, struct plot_out *po);

/* Renders the histogram of both architectures' monthly cost over r's
 * trials (r->samples) to path; script_dir as above, may be NULL.  A
 * deterministic r has no spread to draw: EXIT_USAGE. */
int plot_histogram(const char *path, const char *script_dir,
    const struct fc_scenario *s, const struct fc_mc_result *r, struct plot_out *po);

/* A tornado: struct fc_chart_tornado of model/chart.h. */
/* Renders the tornado to path (checked with plot_check() first) into po's
 * temporary file, renamed by plot_commit() once the report is written.  Null
 * values are drawn at a "none" line right of every value. */
int plot_tornado(const char *path, const struct fc_chart_tornado *t, struct plot_out *po);

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
