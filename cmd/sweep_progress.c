/*
 * sweep_progress.c: sweep's progress bar on stderr over all points'
 * trials (and a shard's breakeven searches), with the time left.
 */
#include "cli.h"

#include <stdio.h>
#include <time.h>

#include "sweep.h"

/* "12s", "3m05s", "2h07m": a time left. */
static void
fmt_left(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t < 60)
		snprintf(buf, len, "%lds", t);
	else if (t < 3600)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
}

/* A progress bar over all points' trials, shown only after the first
 * second: the points done of the total and an estimate of the time left. */
void
sweep_progress_cb(void *ctx, long done, long total)
{
	struct sweep_progress *p = ctx;
	double e = cli_elapsed(&p->start), frac;
	int last = p->step + 1 >= p->nsteps && done >= total;
	size_t fin = p->step + (done >= total);
	char left[32];

	if ((e < 1 && !last) || p->cleared)
		return;
	if (!p->shown && last)
		return;
	frac = ((double)p->step + (total > 0 ? (double)done / (double)total : 1)) /
	    (double)p->nsteps;
	cli_progress_bar((int)((double)CLI_BAR_WIDTH * frac));
	fprintf(stderr, " %zu/%zu points", fin < p->npoints ? fin : p->npoints, p->npoints);
	if (p->nsteps > p->npoints)
		fprintf(stderr, ", %zu/%zu breakeven searches", fin > p->npoints ?
		    fin - p->npoints : 0, p->nsteps - p->npoints);
	fprintf(stderr, " done, %.1fs", e);
	if (frac > 0.01) {
		fmt_left(left, sizeof(left), e / frac - e);
		fprintf(stderr, ", about %s left\033[K", left);
	}
	if (last) {
		fputs("\r\033[K", stderr);
		p->cleared = 1;
	}
	p->shown = 1;
	fflush(stderr);
}
