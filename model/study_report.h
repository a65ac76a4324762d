/*
 * study_report.h: a study's results (study.h: a sweep's points, its grid
 * and its breakevens) for programs, as `flatcost sweep` and `flatcost
 * merge` write them: one CSV row a point, and the JSON document.
 *
 * CSV: the varied values (the axis by its name, or vary.KEY for each axis
 * of a grid; a list's element as its text), then every figure that applies
 * to the scenario (FIG when deterministic, else FIG.mean, .p5, .p50, .p95,
 * .p99; the users axis leaves out the figure "users"), then p_flat_cheaper;
 * numbers as "%.10g", empty when not finite.
 *
 * JSON: "sweep" (the axis, or the grid's axes with their values),
 * "points" (each with its varied values, every figure and the shares of
 * trials), "breakeven" (along the single axis, or along the users at each
 * combination of the other axes) and "inputs", as result_json.h writes a
 * run's.  Nothing here prints to the terminal.
 */
#ifndef FC_STUDY_REPORT_H
#define FC_STUDY_REPORT_H

#include <stdio.h>
#include <jansson.h>

#include "study.h"

/* The figures the text reports use, by fc_figures[] index, and the
 * currency symbol money is shown in ("$", "EUR "). */
struct fc_study_figs {
	long api, flat, servers, pu_api, pu_flat;
	const char *money;
};

/* An axis's name in reports: "users", or the varied key. */
const char *fc_study_axis_name(const struct fc_study_axis *a);
/* One CSV row of n cells (quoted where RFC 4180 needs it), then a newline. */
void fc_csv_row(FILE *f, const char *const *cells, size_t n);
/* The study's CSV: a header row, then one row a point; 0, or -1 when out
 * of memory (nothing written then). */
int fc_study_csv(FILE *f, const struct fc_study_run *run);
/* Adds the study's members (sweep, points, breakeven, inputs) to o, the
 * document's head (result_json.h and the caller's own members). */
void fc_study_json_fill(json_t *o, const struct fc_study_run *run);

/* The study for people: a table (md 0) or Markdown (md 1).  One axis:
 * a heading, a row a point (the axis; the API's and flat's monthly cost,
 * P5, P50 and P95, or per user with a fixed user count; flat's servers;
 * P(flat cheaper)), the points where flat is not viable starred with the
 * reason, and the breakeven along the axis.  A grid: a column per varied
 * key, and the breakeven along the users at each combination. */
void fc_study_write_text(FILE *f, const struct fc_study_run *run, const struct fc_study_figs *k,
    int md);

#endif
