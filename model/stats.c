/*
 * stats.c: order statistics (stats.h).
 */
#include "stats.h"

double
fc_stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	double h, f;
	size_t lo;

	if (n == 0)
		return 0.0;
	h = p * (double)(n - 1);
	lo = (size_t)h;
	f = h - (double)lo;
	if (lo == n - 1)
		return sorted[lo];
	return (1 - f) * sorted[lo] + f * sorted[lo + 1];
}

int
fc_stats_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
fc_stats_cmp_double_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}
