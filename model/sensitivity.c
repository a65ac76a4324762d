/*
 * sensitivity.c: first-order variance shares, tornado medians, rank
 * correlations and the value of information of every uncertain input,
 * from one set of Monte Carlo trials (the estimators are described in
 * sensitivity.h).
 *
 * Cost: a sort of each input's n values, then O(n) per input, and the
 * bootstrap's resamples x n x inputs additions: 10 inputs x 10,000 trials
 * with 200 resamples is about 20 million, a few tens of milliseconds.
 */
#include "sensitivity.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

struct pair {
	double v;
	size_t i;       /* trial */
};

/* By value, NaN (null) last, ties by trial: a total order, so the same
 * samples always sort the same. */
static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *p = a, *q = b;
	int pn = isnan(p->v), qn = isnan(q->v);

	if (pn != qn)
		return pn - qn;
	if (!pn && p->v != q->v)
		return p->v < q->v ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	int xn = isnan(x), yn = isnan(y);

	if (xn || yn)
		return xn - yn;
	return (x > y) - (x < y);
}

/* Quantile p of v[0..m), sorted with NaN last: fc_stats_quantile_sorted()
 * (stats.h), but the order statistic itself where p (m - 1) is whole, so
 * that a NaN sorted above it does not leak in; NaN when it needs a NaN. */
static double
quantile(const double *v, size_t m, double p)
{
	double d;

	if (m == 0)
		return NAN;
	d = p * (double)(m - 1);
	if (d == floor(d))
		return v[d < (double)m ? (size_t)d : m - 1];
	return fc_stats_quantile_sorted(v, m, p);
}

/* Mid-ranks (1-based) of the sorted pairs into rank[trial]; NaNs tie. */
static void
midranks(const struct pair *p, size_t n, double *rank)
{
	size_t a = 0, b, j;

	while (a < n) {
		double r;
		for (b = a + 1; b < n; b++)
			if (!(p[b].v == p[a].v || (isnan(p[b].v) && isnan(p[a].v))))
				break;
		r = (double)(a + 1 + b) / 2;
		for (j = a; j < b; j++)
			rank[p[j].i] = r;
		a = b;
	}
}

/* Per-bin sums for the within-bin least-squares lines. */
enum { A_N, A_X, A_XX, A_Z, A_XZ, NACC };

/*
 * The share from the per-bin sums acc[b * NACC + ...] of N draws of the
 * standardized input x and the figure z (total S, sum of squares Q): the
 * variance the bins' lines explain, SSR = sum over bins of
 * n_b (zbar_b - zbar)^2 + Sxz_b^2 / Sxx_b, bias-corrected for the p
 * parameters fitted as an adjusted R^2 is: (SSR - (p - 1) MSE) / SST with
 * MSE = (SST - SSR) / (N - p).  Not clamped: an input with no effect
 * scatters around 0 on either side, so that the rest (1 - the sum) is not
 * biased by the noise of many small inputs.
 */
static double
share_of(const double *acc, size_t nb, double N, double S, double Q)
{
	double sst = Q - S * S / N, ssr = -S * S / N, mse, s, p = 0;
	size_t b;

	for (b = 0; b < nb; b++) {
		const double *a = acc + b * NACC;
		double sxx, sxz;
		if (a[A_N] <= 0)
			continue;
		ssr += a[A_Z] * a[A_Z] / a[A_N];
		p++;
		sxx = a[A_XX] - a[A_X] * a[A_X] / a[A_N];
		sxz = a[A_XZ] - a[A_X] * a[A_Z] / a[A_N];
		/* a slope only where x spreads beyond rounding (x is standardized) */
		if (a[A_N] > 2 && sxx > 1e-9 * a[A_N]) {
			ssr += sxz * sxz / sxx;
			p++;
		}
	}
	if (!(sst > 0) || p < 2 || N <= p)
		return 0;
	mse = (sst - ssr) / (N - p);
	s = (ssr - (p - 1) * mse) / sst;
	return s;
}

static void
acc_add(double *a, double x, double z)
{
	a[A_N]++;
	a[A_X] += x;
	a[A_XX] += x * x;
	a[A_Z] += z;
	a[A_XZ] += x * z;
}

struct work {
	size_t n, nin, bins, voi_bins;
	const double *y;          /* the figure, stride ystride */
	size_t ystride;
	double *z;                /* n: the indices' scale, centered */
	double *ry;               /* n: Y's mid-ranks, nulls above all */
	unsigned char *bin;       /* n x nin: trial t's bin on input k at [t * nin + k] */
	double *xs;               /* n x nin: input k standardized, [t * nin + k] */
	struct pair *p;           /* n: scratch */
	double *buf, *rx;         /* n each: scratch */
};

static double
median_of(struct work *w, size_t from, size_t to)
{
	size_t j, m = 0;

	for (j = from; j < to; j++)
		w->buf[m++] = w->y[w->p[j].i * w->ystride];
	qsort(w->buf, m, sizeof(double), cmp_double);
	return quantile(w->buf, m, 0.5);
}

static double
pearson(const double *a, const double *b, size_t n)
{
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		ma += a[i];
		mb += b[i];
	}
	ma /= (double)n;
	mb /= (double)n;
	for (i = 0; i < n; i++) {
		sab += (a[i] - ma) * (b[i] - mb);
		saa += (a[i] - ma) * (a[i] - ma);
		sbb += (b[i] - mb) * (b[i] - mb);
	}
	return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

/*
 * The expected P5-P95 width of z once input k is known: within each of
 * the equal-count bins of the sorted input (w->p), the width of what the
 * bin's least-squares line of z on x leaves (so that the trend inside a
 * coarse bin does not count as spread), each weighted by its trials.
 */
static double
width_known(struct work *w, size_t k)
{
	size_t v, j, n = w->n;
	double sum = 0;

	for (v = 0; v < w->voi_bins; v++) {
		size_t from = v * n / w->voi_bins, to = (v + 1) * n / w->voi_bins, m = 0;
		double a[NACC] = { 0 }, xbar, zbar, sxx, slope = 0;
		for (j = from; j < to; j++) {
			size_t t = w->p[j].i;
			acc_add(a, w->xs[t * w->nin + k], w->z[t]);
		}
		if (a[A_N] <= 0)
			continue;
		xbar = a[A_X] / a[A_N];
		zbar = a[A_Z] / a[A_N];
		sxx = a[A_XX] - a[A_X] * xbar;
		if (a[A_N] > 2 && sxx > 1e-9 * a[A_N])
			slope = (a[A_XZ] - a[A_X] * zbar) / sxx;
		for (j = from; j < to; j++) {
			size_t t = w->p[j].i;
			w->buf[m++] = w->z[t] - zbar - slope * (w->xs[t * w->nin + k] - xbar);
		}
		qsort(w->buf, m, sizeof(double), cmp_double);
		sum += (double)m * (quantile(w->buf, m, 0.95) - quantile(w->buf, m, 0.05));
	}
	return sum / (double)n;
}

/* Input k's values standardized into w->xs (mean 0, sd 1; 0 when it
 * does not vary), for well-conditioned sums. */
static void
standardize(struct work *w, size_t k)
{
	double m = 0, v = 0, x;
	size_t t, n = w->n;

	for (t = 0; t < n; t++)
		m += w->p[t].v;
	m /= (double)n;
	for (t = 0; t < n; t++)
		v += (w->p[t].v - m) * (w->p[t].v - m);
	v = sqrt(v / (double)n);
	for (t = 0; t < n; t++) {
		x = v > 0 ? (w->p[t].v - m) / v : 0;
		w->xs[w->p[t].i * w->nin + k] = x;
	}
}

/* Everything about input k but its standard error. */
static void
one_input(struct work *w, const double *x, size_t xstride, size_t col, size_t k,
    struct fc_sens_row *row)
{
	double acc[FC_SENS_MAX_BINS * NACC] = { 0 }, s = 0, q = 0;
	size_t j, n = w->n;

	for (j = 0; j < n; j++) {
		w->p[j].v = x[j * xstride + col];
		w->p[j].i = j;
	}
	qsort(w->p, n, sizeof(*w->p), cmp_pair);
	standardize(w, k);
	for (j = 0; j < n; j++)
		w->buf[j] = w->p[j].v;
	row->x_p10 = quantile(w->buf, n, 0.10);
	row->x_p90 = quantile(w->buf, n, 0.90);
	for (j = 0; j < n; j++) {
		size_t b = j * w->bins / n, t = w->p[j].i;
		w->bin[t * w->nin + k] = (unsigned char)b;
		acc_add(acc + b * NACC, w->xs[t * w->nin + k], w->z[t]);
		s += w->z[t];
		q += w->z[t] * w->z[t];
	}
	row->share = share_of(acc, w->bins, (double)n, s, q);
	row->share_se = NAN;
	/* near P10: between P5 and P15; near P90: between P85 and P95 */
	row->low = median_of(w, (size_t)floor(0.05 * (double)n + 0.5),
	    (size_t)floor(0.15 * (double)n + 0.5));
	row->high = median_of(w, (size_t)floor(0.85 * (double)n + 0.5),
	    (size_t)floor(0.95 * (double)n + 0.5));
	midranks(w->p, n, w->rx);
	row->rank_corr = pearson(w->rx, w->ry, n);
	row->width_known = width_known(w, k);
}

/* Bootstrap standard errors of every share and of the rest. */
static enum fc_status
bootstrap(struct work *w, const struct fc_sens_opts *o, struct fc_sens *out)
{
	size_t nin = w->nin, nb = w->bins, r, i, k, R = o->resamples;
	size_t per = nb * NACC;
	double *acc = fc_calloc(nin * per, sizeof(double));
	double *m1 = fc_calloc(nin + 1, sizeof(double)), *m2 = fc_calloc(nin + 1, sizeof(double));
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	enum fc_status st = FC_OK;

	if (acc == NULL || m1 == NULL || m2 == NULL || g == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	gsl_rng_set(g, o->seed);
	for (r = 0; r < R; r++) {
		double S = 0, Q = 0, rest = 1;
		memset(acc, 0, nin * per * sizeof(double));
		for (i = 0; i < w->n; i++) {
			size_t t = (size_t)gsl_rng_uniform_int(g, (unsigned long)w->n);
			const unsigned char *bt = w->bin + t * nin;
			const double *xt = w->xs + t * nin;
			double zt = w->z[t];
			S += zt;
			Q += zt * zt;
			for (k = 0; k < nin; k++)
				acc_add(acc + k * per + (size_t)bt[k] * NACC, xt[k], zt);
		}
		for (k = 0; k <= nin; k++) {
			double s = k < nin ? share_of(acc + k * per, nb, (double)w->n, S, Q) : rest;
			if (k < nin)
				rest -= s;
			m1[k] += s;
			m2[k] += s * s;
		}
	}
	for (k = 0; k <= nin; k++) {
		double mean = m1[k] / (double)R;
		double var = R > 1 ? (m2[k] - (double)R * mean * mean) / (double)(R - 1) : NAN;
		double se = var > 0 ? sqrt(var) : 0;
		if (k < nin)
			out->rows[k].share_se = se;
		else
			out->rest_se = se;
	}
out:
	gsl_rng_free(g);
	fc_free(acc);
	fc_free(m1);
	fc_free(m2);
	return st;
}

/* Y's scale for the indices into w->z, its ranks into w->ry, and the
 * summary figures; FC_EDOM when every trial is null or Y does not vary. */
static enum fc_status
prepare(struct work *w, struct fc_sens *out)
{
	size_t i, n = w->n;
	double mean = 0;

	for (i = 0; i < n; i++) {
		w->p[i].v = w->y[i * w->ystride];
		w->p[i].i = i;
		out->nnull += isnan(w->p[i].v) != 0;
	}
	if (out->nnull == n)
		return FC_EDOM;
	qsort(w->p, n, sizeof(*w->p), cmp_pair);
	midranks(w->p, n, w->ry);
	for (i = 0; i < n; i++)
		w->buf[i] = w->p[i].v;
	out->p5 = quantile(w->buf, n, 0.05);
	out->median = quantile(w->buf, n, 0.50);
	out->p95 = quantile(w->buf, n, 0.95);
	out->on_ranks = out->nnull > 0;
	for (i = 0; i < n; i++) {
		w->z[i] = out->on_ranks ? w->ry[i] / (double)n : w->y[i * w->ystride];
		mean += w->z[i];
	}
	mean /= (double)n;
	for (i = 0; i < n; i++) {
		w->z[i] -= mean;
		w->buf[i] = w->z[i];
	}
	qsort(w->buf, n, sizeof(double), cmp_double);
	if (!(w->buf[n - 1] > w->buf[0]))
		return FC_EDOM;
	out->width = quantile(w->buf, n, 0.95) - quantile(w->buf, n, 0.05);
	return FC_OK;
}

/* out->order by share, largest first, and the best input for knowledge. */
static void
rank_inputs(struct fc_sens *out)
{
	size_t a, b, k;

	for (a = 0; a < out->ninputs; a++)
		out->order[a] = a;
	for (a = 1; a < out->ninputs; a++)
		for (b = a; b > 0 && out->rows[out->order[b]].share >
		    out->rows[out->order[b - 1]].share; b--) {
			size_t t = out->order[b];
			out->order[b] = out->order[b - 1];
			out->order[b - 1] = t;
		}
	out->best = out->ninputs;
	out->rest = 1;
	for (a = 0; a < out->ninputs; a++) {
		k = out->order[a];
		out->rest -= out->rows[k].share;
		if (out->best == out->ninputs ||
		    out->rows[k].width_known < out->rows[out->best].width_known)
			out->best = k;
	}
}

static size_t
default_bins(size_t n)
{
	size_t b = (size_t)floor(sqrt((double)n) / 2);

	return b < 2 ? 2 : b > FC_SENS_MAX_BINS ? FC_SENS_MAX_BINS : b;
}

enum fc_status
fc_sensitivity_run(const double *y, size_t ystride, const double *x, size_t xstride,
    const size_t *cols, size_t n, size_t ninputs, const struct fc_sens_opts *o,
    struct fc_sens *out)
{
	struct work w;
	struct fc_sens r;
	enum fc_status st = FC_OK;
	size_t k;

	if (n < FC_SENS_MIN_TRIALS)
		return FC_EDOM;
	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	r.n = w.n = n;
	r.ninputs = w.nin = ninputs;
	r.bins = w.bins = o->bins ? (o->bins > FC_SENS_MAX_BINS ? FC_SENS_MAX_BINS : o->bins) :
	    default_bins(n);
	if (r.bins > n / 2)
		r.bins = w.bins = n / 2;
	r.voi_bins = w.voi_bins = n / FC_SENS_VOI_PER_BIN < 2 ? 2 :
	    n / FC_SENS_VOI_PER_BIN > r.bins ? r.bins : n / FC_SENS_VOI_PER_BIN;
	r.resamples = o->resamples;
	r.seed = o->seed;
	r.rest_se = NAN;
	w.y = y;
	w.ystride = ystride;
	w.z = fc_malloc(n * sizeof(double));
	w.ry = fc_malloc(n * sizeof(double));
	w.rx = fc_malloc(n * sizeof(double));
	w.buf = fc_malloc(n * sizeof(double));
	w.p = fc_malloc(n * sizeof(*w.p));
	w.bin = fc_malloc(n * (ninputs ? ninputs : 1));
	w.xs = fc_malloc(n * (ninputs ? ninputs : 1) * sizeof(double));
	r.rows = fc_calloc(ninputs ? ninputs : 1, sizeof(*r.rows));
	r.order = fc_calloc(ninputs ? ninputs : 1, sizeof(*r.order));
	if (w.z == NULL || w.ry == NULL || w.rx == NULL || w.buf == NULL || w.p == NULL ||
	    w.bin == NULL || w.xs == NULL || r.rows == NULL || r.order == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	if ((st = prepare(&w, &r)) != FC_OK)
		goto out;
	for (k = 0; k < ninputs; k++)
		one_input(&w, x, xstride, cols ? cols[k] : k, k, &r.rows[k]);
	rank_inputs(&r);
	if (o->resamples > 0 && (st = bootstrap(&w, o, &r)) != FC_OK)
		goto out;
	*out = r;
	r.rows = NULL;
	r.order = NULL;
out:
	fc_free(w.z);
	fc_free(w.ry);
	fc_free(w.rx);
	fc_free(w.buf);
	fc_free(w.p);
	fc_free(w.bin);
	fc_free(w.xs);
	fc_free(r.rows);
	fc_free(r.order);
	return st;
}

void
fc_sensitivity_free(struct fc_sens *s)
{
	if (s == NULL)
		return;
	fc_free(s->rows);
	fc_free(s->order);
	s->rows = NULL;
	s->order = NULL;
}
