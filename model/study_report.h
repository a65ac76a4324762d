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

/* One CSV row of n cells (quoted where RFC 4180 needs it), then a newline. */
void fc_csv_row(FILE *f, const char *const *cells, size_t n);
/* The study's CSV: a header row, then one row a point; 0, or -1 when out
 * of memory (nothing written then). */
int fc_study_csv(FILE *f, const struct fc_study_run *run);
/* Adds the study's members (sweep, points, breakeven, inputs) to o, the
 * document's head (result_json.h and the caller's own members). */
void fc_study_json_fill(json_t *o, const struct fc_study_run *run);

#endif
