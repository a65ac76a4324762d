/*
 * queue.c: Erlang B/C, Allen-Cunneen and the fleet-sizing search.
 *
 * Formulas as in docs/model.md ("Queueing") and any queueing text, e.g.
 * Gross & Harris, "Fundamentals of Queueing Theory", ch. 2 (M/M/c), and
 * Allen, "Probability, Statistics, and Queueing Theory" (2nd ed., 1990),
 * for the Allen-Cunneen G/G/c approximation.  Erlang B is computed by its
 * recursion rather than from factorials, so that c in the thousands
 * neither overflows nor loses precision.
 */
#include "queue.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>

/* A load or time that can enter the formulas: finite and non-negative. */
static int
ok_nonneg(double x)
{
	return isfinite(x) && x >= 0;
}

/* One step of the Erlang B recursion: B_k from B_{k-1}. */
static double
erlang_b_step(unsigned k, double a, double b)
{
	double ab = a * b;

	return ab / ((double)k + ab);
}

/* Up to this many servers Erlang B comes from the recursion (O(c), exact
 * to rounding); above, from the sums below (O(sqrt c) near full load),
 * which agree with it to 1e-12 (tests/unit/test_queue.c); and ln c! by
 * lgamma_r up to here, by Stirling's series above */
#define RECURSION_MAX 256u
/* Above this many, fleet sizing takes its first candidate's B from the
 * sums (it needs only the decision, not B's last bits) */
#define SMALL_C 30u

/* P(N = c) for N ~ Poisson(a), c >= 1: ln of it is c ln a - a - ln c!.
 * Over RECURSION_MAX ln c! is Stirling's series (its next term is under
 * 1e-20 there), written so that nothing large cancels: c ln(a / c) +
 * (c - a) - ln(2 pi c) / 2 - r; below, lgamma_r (thread-safe). */
static double
poisson_mode_pmf(unsigned c, double a)
{
	double x = (double)c, r;
	int sign;

	if (c <= RECURSION_MAX)
		return exp(x * log(a) - a - lgamma_r(x + 1, &sign));
	r = 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * x * x * x * x * x);
	return exp(x * log1p((a - x) / x) + (x - a) - 0.5 * log(2 * M_PI * x) - r);
}

/*
 * Erlang B for many servers, by the Poisson form B = P(N = c) / P(N <= c)
 * for N ~ Poisson(a), summed from c outwards so that only the terms that
 * matter are visited (O(sqrt(c)) near full load, where the recursion is
 * O(c)):
 *   a <= c:  P(N <= c) = 1 - P(N = c) T with T = sum_{i >= 1} prod_{m=1..i}
 *            a / (c + m) (the upper tail over the mode's term, at least
 *            half of the mass below: the Poisson median is near a), and
 *            P(N = c) from poisson_mode_pmf;
 *   a > c:   1 / B = sum_{j=0..c} prod_{i<j} (c - i) / a, terms falling
 *            from 1 by at most c / a each.
 * Both sums stop when a term falls under 1e-17 of the sum.  It agrees
 * with the recursion to 1e-12 relative up to c = 20,000 (tests/unit/
 * test_queue.c), closer than the incomplete gamma form it replaces, at a
 * third of its cost.
 */
static double
erlang_b_closed(unsigned c, double a)
{
	double t = 1, sum = 1, pmf;
	unsigned j, m;

	if (a == 0)
		return 0;
	if (a > c) {
		for (j = 0; j < c; j++) {
			t *= (double)(c - j) / a;
			sum += t;
			if (t < 1e-17 * sum)
				break;
		}
		return 1 / sum;
	}
	pmf = poisson_mode_pmf(c, a);
	if (pmf == 0)
		return 0;
	sum = 0;
	for (m = 1;; m++) {
		t *= a / ((double)c + m);
		sum += t;
		if (t < 1e-17 * sum || t == 0)
			break;
	}
	return pmf / (1 - pmf * sum);
}

double
fc_queue_erlang_b(unsigned c, double a)
{
	double b = 1.0;
	unsigned k;

	if (isnan(a) || a < 0)
		return NAN;
	if (c == 0 || isinf(a))
		return 1.0;
	if (c > RECURSION_MAX) {
		b = erlang_b_closed(c, a);
		if (isfinite(b))
			return b > 1 ? 1 : b;
		b = 1.0;  /* out of the closed form's range: recurse */
	}
	/* B_0 = 1, B_k = a B_{k-1} / (k + a B_{k-1}): every term lies in
	 * [0, 1], so the recursion cannot overflow. */
	for (k = 1; k <= c; k++)
		b = erlang_b_step(k, a, b);
	return b;
}

void
fc_queue_erlang_b_many(unsigned c, const double *a, size_t n, double *b)
{
	size_t i, m = 0, idx[32];
	unsigned k;

	for (i = 0; i < n; i++) {
		/* the cases fc_queue_erlang_b settles without the recursion,
		 * and more loads than one pass holds, alone */
		if (isnan(a[i]) || a[i] < 0 || c == 0 || isinf(a[i]) || c > RECURSION_MAX ||
		    m == sizeof(idx) / sizeof(idx[0])) {
			b[i] = fc_queue_erlang_b(c, a[i]);
			continue;
		}
		b[i] = 1.0;
		idx[m++] = i;
	}
	for (k = 1; k <= c && m > 0; k++)
		for (i = 0; i < m; i++)
			b[idx[i]] = erlang_b_step(k, a[idx[i]], b[idx[i]]);
}

/*
 * Erlang B of few servers for a decision or a bound, not a figure: the
 * recursion on 1 / B, I_k = 1 + (k / a) I_{k-1}, I_0 = 1, is a
 * multiply-add a step where the recursion divides, and agrees with it to
 * a few units in the last place (c of them at most: every term is
 * positive); an I past the doubles is a B under 1e-308, taken as 0.
 */
static double
erlang_b_few(unsigned c, double a)
{
	double inv = 1, ra;
	unsigned k;

	if (!(a > 0) || isinf(a))
		return fc_queue_erlang_b(c, a);
	ra = 1 / a;
	for (k = 1; k <= c; k++)
		inv = 1 + (double)k * ra * inv;
	return isinf(inv) ? 0 : 1 / inv;
}

/* Erlang C from Erlang B at the same c: C = B / (1 - rho (1 - B)). */
static double
erlang_c_from_b(unsigned c, double a, double b)
{
	double rho = a / c;

	return b / (1.0 - rho * (1.0 - b));
}

/* The inputs every M/M/c figure needs: c > 0 and a stable 0 <= a < c. */
static int
ok_stable(unsigned c, double a)
{
	return c > 0 && ok_nonneg(a) && a < (double)c;
}

enum fc_status
fc_queue_erlang_c(unsigned c, double a, double *p_wait)
{
	if (!ok_stable(c, a))
		return FC_EDOM;
	*p_wait = erlang_c_from_b(c, a, fc_queue_erlang_b(c, a));
	return FC_OK;
}

enum fc_status
fc_queue_mmc_wq(unsigned c, double a, double es, double *wq)
{
	double pw;
	enum fc_status st;

	if (!ok_nonneg(es) || es == 0)
		return FC_EDOM;
	if ((st = fc_queue_erlang_c(c, a, &pw)) != FC_OK)
		return st;
	/* Wq = C E[S] / (c - a) (Gross & Harris, M/M/c). */
	*wq = pw * es / ((double)c - a);
	return FC_OK;
}

enum fc_status
fc_queue_ggc_wq(unsigned c, double a, double es, double ca2, double cs2,
    double *wq)
{
	double w;
	enum fc_status st;

	if (!ok_nonneg(ca2) || !ok_nonneg(cs2))
		return FC_EDOM;
	if ((st = fc_queue_mmc_wq(c, a, es, &w)) != FC_OK)
		return st;
	/* Allen-Cunneen: Wq(G/G/c) ~ Wq(M/M/c) (ca2 + cs2) / 2. */
	*wq = w * (ca2 + cs2) / 2.0;
	return FC_OK;
}

/*
 * P(W > t) ~ C exp(-theta t), with theta = (c - a) / es for M/M/c (exact
 * there).  For G/G/c, theta is divided by (ca2 + cs2) / 2: the mean of
 * this tail, C / theta, is then exactly the Allen-Cunneen mean wait, so
 * the tail and the mean agree.  It is an approximation (the shape of the
 * G/G/c tail is not exponential in general), good in heavy traffic, where
 * Kingman's formula gives the same exponential with the same mean.
 */
static double
wait_tail(unsigned c, double a, double es, double ca2, double cs2, double t,
    double pw)
{
	double v = (ca2 + cs2) / 2.0;

	if (v == 0 || pw == 0)
		return 0.0;  /* no variability: nobody waits in D/D/c */
	return pw * exp(-((double)c - a) * t / (es * v));
}

enum fc_status
fc_queue_wait_tail(unsigned c, double a, double es, double ca2, double cs2,
    double t, double *p)
{
	double pw;
	enum fc_status st;

	if (!ok_nonneg(es) || es == 0 || !ok_nonneg(ca2) || !ok_nonneg(cs2) ||
	    !ok_nonneg(t))
		return FC_EDOM;
	if ((st = fc_queue_erlang_c(c, a, &pw)) != FC_OK)
		return st;
	*p = wait_tail(c, a, es, ca2, cs2, t, pw);
	return FC_OK;
}

/* The least c that is stable (a < c) and, when 0 < max_util <= 1, meets
 * a / c <= max_util.  a is finite, >= 0 and at most max_c here. */
static double
first_candidate(double a, double max_util)
{
	double c = floor(a) + 1.0;

	if (max_util > 0 && max_util <= 1) {
		double cu = ceil(a / max_util);

		/* a / cu can round above max_util; step past it. */
		if (cu > 0 && a / cu > max_util)
			cu += 1.0;
		if (cu > c)
			c = cu;
	}
	return c;
}

/*
 * An upper bound on Erlang B for 0 < a < c, without the sum: the upper
 * tail's terms fall at least by a / (c + 1) each, so T <= q / (1 - q),
 * q = a / (c + 1), and B = P / (1 - P T) is at most P / (1 - P q / (1 - q))
 * (1e-9 over it for rounding, and at least 1e-289, where P's digits fall
 * into the subnormals).  INFINITY when that says nothing.
 */
static double
erlang_b_upper(unsigned c, double a)
{
	double q = a / ((double)c + 1), pmf = poisson_mode_pmf(c, a), d;

	d = 1 - pmf * q / (1 - q);
	/* under 1e-290 the Poisson term loses its digits to the subnormals:
	 * B is then under 1e-289 */
	return d > 0 ? fmax(pmf / d * (1 + 1e-9), 1e-289) : INFINITY;
}

double
fc_queue_erlang_b_bound(unsigned c, double a)
{
	double ub;

	/* under 1e-289 the recursion's B nears the subnormals (or underflows
	 * to 0): the bound is then 1e-289 */
	if (c <= SMALL_C && a > 0 && isfinite(a))
		return fmin(1, fmax(erlang_b_few(c, a) * (1 + 1e-12), 1e-289));
	if (c <= SMALL_C || !(a > 0) || !(a < (double)c) || !isfinite(a))
		return fc_queue_erlang_b(c, a);
	ub = erlang_b_upper(c, a);
	return ub <= 1 ? ub : fc_queue_erlang_b(c, a);
}

enum fc_status
fc_queue_min_servers(double lambda, double es, double ca2, double cs2,
    double max_wait_s, double quantile, double max_util, unsigned max_c,
    unsigned *c)
{
	double a, c0, b, target;
	unsigned k, n;

	if (!ok_nonneg(lambda) || !ok_nonneg(es) || es == 0 ||
	    !ok_nonneg(ca2) || !ok_nonneg(cs2) || !ok_nonneg(max_wait_s) ||
	    !(quantile >= 0 && quantile < 1) || isnan(max_util))
		return FC_EDOM;
	if (lambda == 0) {
		*c = 0;
		return FC_OK;
	}
	a = lambda * es;
	if (!isfinite(a))
		return FC_EDOM;
	if (a >= (double)max_c)
		return FC_ERANGE;
	c0 = first_candidate(a, max_util);
	if (c0 > (double)max_c)
		return FC_ERANGE;
	n = (unsigned)c0;
	target = 1.0 - quantile;
	/* P(W > t) falls as c grows (C falls, c - a grows), so the first c
	 * that meets the target is the least.  B_c is carried along the
	 * search: one recursion step per candidate. */
	/* a fleet at its target utilization often meets the target with
	 * room to spare: a bound on B settles the first candidate without
	 * B (the same answer: the tail grows with B) */
	if (n > SMALL_C && a < (double)n) {
		double ub = erlang_b_upper(n, a);
		if (ub <= 1 && wait_tail(n, a, es, ca2, cs2, max_wait_s,
		    erlang_c_from_b(n, a, ub)) <= target) {
			*c = n;
			return FC_OK;
		}
	}
	/* B of the first candidate from c outwards (O(sqrt c)) rather than
	 * the recursion (O(c)); the candidates after it step the recursion */
	b = n > SMALL_C && a > 0 ? erlang_b_closed(n, a) : erlang_b_few(n, a);
	(void)k;
	for (;;) {
		double pw = erlang_c_from_b(n, a, b);

		if (wait_tail(n, a, es, ca2, cs2, max_wait_s, pw) <= target) {
			*c = n;
			return FC_OK;
		}
		if (n >= max_c)
			return FC_ERANGE;
		n++;
		b = erlang_b_step(n, a, b);
	}
}

/*
 * int_0^len e^{-rate w} dw, for len in [0, inf] and any rate (rate > 0
 * when len is infinite): len h(rate len) with h(y) = (1 - e^{-y}) / y,
 * h(0) = 1, which keeps rate -> 0 continuous.
 */
static double
exp_mass(double rate, double len)
{
	double y;

	if (isinf(len))
		return 1.0 / rate;
	y = rate * len;
	if (fabs(y) < 1e-12)
		return len;
	return len * (-expm1(-y) / y);
}

/*
 * M/M/c+D with time scaled by v (queue.h).  With S = P(N < c), B = Erlang
 * B of c - 1 servers (so P(N = c - 1) = S B) and r = 1 / (es v), the
 * density of V is S B a r e^{-theta v} on (0, D], theta = (c - a) r, and
 * S B a r e^{-theta D} e^{-c r (v - D)} above D.  Normalizing:
 *   S (1 + B a r int_0^D e^{-theta u} du + B (a / c) e^{-theta D}) = 1,
 *   P(abandon) = S B (a / c) e^{-theta D}.
 * Under overload theta < 0 and e^{-theta D} can overflow: every term is
 * then multiplied by e^{theta D} (the density is written from D down).
 */
static enum fc_status abandon(unsigned c, double a, double es, double ca2, double cs2,
    double max_wait_s, const double *bp, struct fc_queue_abandon *q);

enum fc_status
fc_queue_abandon(unsigned c, double a, double es, double ca2, double cs2,
    double max_wait_s, struct fc_queue_abandon *q)
{
	return abandon(c, a, es, ca2, cs2, max_wait_s, NULL, q);
}

enum fc_status
fc_queue_abandon_b(unsigned c, double a, double es, double ca2, double cs2,
    double max_wait_s, double b, struct fc_queue_abandon *q)
{
	return abandon(c, a, es, ca2, cs2, max_wait_s, &b, q);
}

/* fc_queue_abandon, with Erlang B of c - 1 servers given (bp) or not. */
static enum fc_status
abandon(unsigned c, double a, double es, double ca2, double cs2,
    double max_wait_s, const double *bp, struct fc_queue_abandon *q)
{
	double v, r, theta, x, b, den, d = max_wait_s;

	if (c == 0 || !ok_nonneg(a) || !ok_nonneg(es) || es == 0 ||
	    !ok_nonneg(ca2) || !ok_nonneg(cs2) || isnan(d) || d < 0 ||
	    (isinf(d) && a >= (double)c))
		return FC_EDOM;
	memset(q, 0, sizeof(*q));
	v = (ca2 + cs2) / 2.0;
	q->c = c;
	q->a = a;
	q->es = es;
	q->v = v;
	q->d = d;
	if (a == 0) {
		q->p_idle = 1;
		return FC_OK;
	}
	if (v == 0) {
		/* D/D/c: nobody waits below capacity; above it the fleet
		 * completes c / es calls a second and the rest leave */
		q->p_abandon = a > c ? 1 - c / a : 0;
		q->p_wait = q->p_abandon;
		q->p_idle = 1 - q->p_wait;
		return FC_OK;
	}
	r = 1.0 / (es * v);
	theta = ((double)c - a) * r;
	b = bp ? *bp : fc_queue_erlang_b(c - 1, a);
	x = isinf(d) ? INFINITY : theta * d;
	if (x >= 0) {
		double e = exp(-x);
		double busy = b * a * r * exp_mass(theta, d) + b * a / c * e;

		den = 1 + busy;
		q->p_idle = 1 / den;
		q->p_wait = busy / den;
		q->p_abandon = b * a / c * e / den;
		q->k = b * a * r / den;   /* density at 0 */
	} else {
		double e = exp(x);
		double busy = b * a * r * exp_mass(-theta, d) + b * a / c;

		den = e + busy;
		q->p_idle = e / den;
		q->p_wait = busy / den;
		q->p_abandon = b * a / c / den;
		q->k = b * a * r / den;   /* density at D */
	}
	return FC_OK;
}

double
fc_queue_abandon_tail(const struct fc_queue_abandon *q, double t)
{
	double theta, r;

	if (q->a == 0)
		return 0;
	if (q->v == 0)
		return t < q->d ? q->p_wait : q->p_abandon;
	if (t >= q->d)
		return q->p_abandon;
	r = 1.0 / (q->es * q->v);
	theta = (q->c - q->a) * r;
	if (isinf(q->d) || theta * q->d >= 0)
		return q->k * exp(-theta * t) * exp_mass(theta, q->d - t) + q->p_abandon;
	return q->k * exp_mass(-theta, q->d - t) + q->p_abandon;
}

double
fc_queue_abandon_wait_quantile(const struct fc_queue_abandon *q, double quantile)
{
	double target, lo = 0, hi;
	int i;

	/* P(W > t | served) = (P(V > t) - P(ab)) / (1 - P(ab)) */
	target = q->p_abandon + (1 - quantile) * (1 - q->p_abandon);
	if (q->a == 0 || fc_queue_abandon_tail(q, 0) <= target)
		return 0;
	if (q->v == 0)
		return q->d;
	hi = q->d;
	if (isinf(hi)) {
		hi = q->es;
		while (fc_queue_abandon_tail(q, hi) > target && hi < 1e12)
			hi *= 2;
	}
	for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double m = (lo + hi) / 2;

		if (fc_queue_abandon_tail(q, m) > target)
			lo = m;
		else
			hi = m;
	}
	return hi;
}

double
fc_queue_cs2_lognormal(double sigma)
{
	/* Var/mean^2 of a lognormal is exp(sigma^2) - 1; expm1 keeps small
	 * sigma accurate. */
	return expm1(sigma * sigma);
}
