/*
 * fuzz_range.c: the axis arguments of `flatcost sweep`: --users
 * FROM:TO[:STEPS] (or a fixed --users N beside --vary), up to two --vary
 * KEY=FROM:TO:STEPS or KEY=[A, B, ...] (a YAML list), and the spacing,
 * through the command's own sweep_grid_parse() (cmd/sweep_grid.c).
 *
 * Input: the first byte picks which options are given and the spacing;
 * the rest is the --users argument, then after a newline the first --vary
 * one, after another the second.  Every range axis must come out strictly
 * increasing, finite, within FROM..TO, at most STEPS of them, and whole
 * numbers for user counts; a list has 1 to SWEEP_MAX_STEPS elements; the
 * users axis is last; the point count is the product of the axes' and at
 * most SWEEP_MAX_POINTS.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sweep.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
check_axis(const struct fc_study_axis *a)
{
	size_t i;

	if (a->n < 1 || a->n > SWEEP_MAX_STEPS)
		abort();
	if (a->list) {
		if (a->label == NULL || a->users)
			abort();
		return;
	}
	if (a->n < 2 || a->n > (size_t)a->steps)
		abort();
	for (i = 0; i < a->n; i++) {
		if (!isfinite(a->x[i]) || a->x[i] < a->from || a->x[i] > a->to)
			abort();
		if (i > 0 && !(a->x[i] > a->x[i - 1]))
			abort();
		if (a->users && (a->x[i] != floor(a->x[i]) || a->x[i] < 1))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fc_study_grid g;
	const char *users = NULL, *vary[2];
	size_t nvary = 0, j, n = 1;
	char *text, *nl, *nl2 = NULL;
	int spacing;

	if (size < 1 || size > 512)
		return -1;
	text = fuzz_cstr(data + 1, size - 1);
	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		if ((nl2 = strchr(nl + 1, '\n')) != NULL)
			*nl2 = '\0';
	}
	if (data[0] & 1)
		users = text;
	if (data[0] & 2)
		vary[nvary++] = nl ? nl + 1 : text;
	if ((data[0] & 16) && nl2)
		vary[nvary++] = nl2 + 1;
	spacing = (int)((data[0] >> 2) % 3) - 1;
	if (sweep_grid_parse("sweep", users, vary, nvary, spacing, &g) == 0) {
		if (g.naxes < 1 || g.npoints > SWEEP_MAX_POINTS)
			abort();
		for (j = 0; j < g.naxes; j++) {
			check_axis(g.ax[j]);
			if (g.ax[j]->users && j + 1 != g.naxes)
				abort();
			n *= g.ax[j]->n;
		}
		if (n != g.npoints || g.ncomb * g.nu != g.npoints)
			abort();
		if (!isnan(g.fixed_users) && (g.fixed_users < 1 || g.fixed_users != floor(g.fixed_users)))
			abort();
	}
	fc_study_grid_free(&g);
	free(text);
	return 0;
}
