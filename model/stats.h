/*
 * stats.h: order statistics of samples, the one definition every figure's
 * percentiles use (simulate, check, diff, compare, sensitivity).
 *
 * A quantile here is Hyndman and Fan's type 7 (R's default, GSL's
 * gsl_stats_quantile_from_sorted_data()): with h = p (n - 1), lo = floor(h)
 * and f = h - lo, (1 - f) v[lo] + f v[lo + 1], and v[n - 1] at p = 1.
 * Pure functions: nothing is allocated, nothing can fail.
 */
#ifndef FC_STATS_H
#define FC_STATS_H

#include <stddef.h>

/* Quantile p (0 to 1) of sorted[0..n), by the definition above, in the
 * same floating-point operations as GSL's (so the same bits); 0 when n
 * is 0.  An infinite neighbour gives NaN where f is 0 (0 x inf), as GSL's
 * does: callers that keep NaN or infinities take the order statistic
 * themselves where h is whole (sensitivity.c). */
double fc_stats_quantile_sorted(const double *sorted, size_t n, double p);

/* qsort(3) comparators of doubles, ascending and descending; NaN compares
 * equal to everything (callers drop NaN first). */
int fc_stats_cmp_double(const void *a, const void *b);
int fc_stats_cmp_double_desc(const void *a, const void *b);

#endif
