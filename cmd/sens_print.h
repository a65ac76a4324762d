/*
 * sens_print.h: sensitivity's report writers (sens_print.c) for
 * cmd_sensitivity.c.
 */
#ifndef FC_SENS_PRINT_H
#define FC_SENS_PRINT_H

#include <stdio.h>

#include "report.h"
#include "scenario.h"
#include "sensmc.h"

/* The analysis as the writers see it. */
struct sens_run {
	const struct fc_scenario *s;
	struct fc_sens_mc m;    /* the run, the figure, its inputs, the estimates */
};

/* A value of the figure for people; "none" for a null. */
void sens_fmt_y(char *buf, size_t len, const struct fc_sens_target *f, double v);
/* "A to B UNIT": input k's P10 to P90. */
void sens_fmt_range(char *buf, size_t len, size_t k, const struct fc_sens_row *row);
/* The report in fmt; 0, or -1 on a write error. */
int sens_write_report(FILE *f, enum report_format fmt, const struct sens_run *u);

#endif
