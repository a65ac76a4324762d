/*
 * diff_print.h: diff's report writers (diff_print.c) for cmd_diff.c.
 */
#ifndef FC_DIFF_PRINT_H
#define FC_DIFF_PRINT_H

#include <stdio.h>

#include "cli.h"
#include "data.h"
#include "diff.h"
#include "mc.h"
#include "report.h"
#include "scenario.h"

/* One scenario of the two: its file, catalog, scenario and result. */
struct diff_side {
	const char *path;
	struct fc_catalog *cat;
	struct fc_scenario *s;
	struct fc_mc_result r;
};

/* --fail-above: the gated figure and its verdict. */
struct diff_gate {
	int on;
	size_t fig;          /* the gated figure */
	double above;        /* percent */
	double rise;         /* percent; NaN: no value */
	int failed;
};

/* A relative change for people ("+12.3%", "n/a"). */
void diff_fmt_rel(char *buf, size_t len, double rel);
/* The report for people; kf and ka index the flat and API monthly
 * costs, kg the gated figure. */
void diff_write_table(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const struct diff_gate *g, size_t kf, size_t ka);
void diff_write_md(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const struct diff_gate *g, size_t kf, size_t ka, size_t kg);
/* The JSON document; 0, or -1 on a write error. */
int diff_write_json(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const struct diff_gate *g, size_t kf, size_t ka);

#endif
