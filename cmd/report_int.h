/*
 * report_int.h: what report.c shares with report_table.c (the table
 * writer) and nothing else includes.
 */
#ifndef FC_REPORT_INT_H
#define FC_REPORT_INT_H

#include <stdio.h>

#include "report.h"

/* Figure key's index in fc_figures[] (0 when unknown). */
size_t report_fig(const char *key);
/* The value to show for a figure: the deterministic value, or the mean. */
double report_val(const struct fc_mc_result *r, const char *key);
/* Figure key's value v for the table and Markdown: money, a percent, a
 * rate or a count. */
void report_fmt_fig(char *buf, size_t len, const char *key, double v);
/* The lasting breakeven over the trials searched, each line after pre. */
void report_breakeven_trials_text(FILE *f, const struct fc_mc_result *r, const char *pre);
/* The table for people (FMT_TABLE). */
void report_write_table(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r);

#endif
