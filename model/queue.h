/*
 * queue.h: closed-form queueing estimates used to size a fleet before the
 * discrete-event simulation (des.h) checks it: Erlang B and C for M/M/c,
 * the Allen-Cunneen correction for G/G/c, an exponential approximation of
 * the waiting-time tail, and the smallest fleet that meets a wait target.
 *
 * Units: lambda in calls per second, service times in seconds, offered
 * load a = lambda * E[S] in erlangs (mean busy servers), c servers.
 *
 * Functions returning enum fc_status give FC_EDOM for inputs outside their
 * domain (negative, NaN or infinite values, c == 0) and for an unstable
 * queue (a >= c); their output is then left untouched.  None of them
 * returns inf or NaN.  They record no diagnostics: callers check user
 * input first, so FC_EDOM here means "this fleet cannot keep up".
 */
#ifndef FC_QUEUE_H
#define FC_QUEUE_H

#include "fc.h"

/*
 * Erlang B: probability that a call finds all c servers busy in M/M/c/c
 * (and any M/G/c/c).  1 for c == 0 or a == +inf, 0 for a == 0 < c.
 * a < 0 or NaN is not a load: the result is then NaN, the one exception
 * to the rule above, since this function has no status to return.
 */
double fc_queue_erlang_b(unsigned c, double a);

/*
 * fc_queue_erlang_b(c, a[i]) for i < n into b[i], the same numbers: the
 * recursions of loads at the same c run side by side (independent, so
 * the processor overlaps them), each step as in fc_queue_erlang_b.
 */
void fc_queue_erlang_b_many(unsigned c, const double *a, size_t n, double *b);

/* An upper bound on fc_queue_erlang_b(c, a) at the cost of a few
 * logarithms (the Poisson form's tail bounded by a geometric series,
 * queue.c): for 30 < c and 0 < a < c; for c <= 30, B from a division-free
 * recursion raised by 1e-12 of itself (it agrees with B to c units in
 * the last place); B itself elsewhere, or where the bound says nothing. */
double fc_queue_erlang_b_bound(unsigned c, double a);

/* Erlang C: probability that a call waits in M/M/c.  Needs a < c. */
enum fc_status fc_queue_erlang_c(unsigned c, double a, double *p_wait);

/* Mean wait in queue (s) of M/M/c with mean service time es (s). */
enum fc_status fc_queue_mmc_wq(unsigned c, double a, double es, double *wq);

/*
 * Mean wait in queue (s) of G/G/c by Allen-Cunneen: the M/M/c wait times
 * (ca2 + cs2) / 2, where ca2 and cs2 are the squared coefficients of
 * variation of interarrival gaps and service times (1 and 1 for M/M/c).
 */
enum fc_status fc_queue_ggc_wq(unsigned c, double a, double es, double ca2,
    double cs2, double *wq);

/*
 * P(W > t): probability that a call waits longer than t seconds, from the
 * M/M/c tail C exp(-(c - a) t / es) with its decay rate scaled by
 * 2 / (ca2 + cs2) for G/G/c (see queue.c).  0 when ca2 + cs2 == 0.
 */
enum fc_status fc_queue_wait_tail(unsigned c, double a, double es, double ca2,
    double cs2, double t, double *p);

/*
 * The smallest fleet c <= max_c such that, with a = lambda * es,
 *   a / c < 1, a / c <= max_util (only when 0 < max_util <= 1), and
 *   P(W > max_wait_s) <= 1 - quantile   (fc_queue_wait_tail).
 * quantile in [0, 1); lambda == 0 gives c = 0 (callers apply their own
 * minimum fleet).  FC_ERANGE (and *c untouched) when more than max_c
 * servers would be needed; FC_EDOM for inputs out of domain.
 */
enum fc_status fc_queue_min_servers(double lambda, double es, double ca2,
    double cs2, double max_wait_s, double quantile, double max_util,
    unsigned max_c, unsigned *c);

/*
 * A queue whose calls leave for the API once they have waited max_wait_s
 * (deterministic patience): M/M/c+D, exact for Poisson arrivals and
 * exponential service (the virtual waiting time V of an arrival has an
 * atom at 0 of mass P(N < c), density K e^{-(c - a) v / es} on (0, D] and
 * K e^{-(c - a) D / es} e^{-c (v - D) / es} above D; an arrival with V > D
 * leaves).  For G/G/c both rates are divided by v = (ca2 + cs2) / 2, as
 * fc_queue_wait_tail scales its decay rate: with D = infinity and a < c it
 * is that tail exactly.  Every load a >= 0 is allowed (a >= c too), and
 * every figure is continuous in a; docs/model.md derives it.
 */
struct fc_queue_abandon {
	double p_abandon;   /* share of arrivals that leave: V > D */
	double p_wait;      /* share of arrivals that find every server busy */
	double p_idle;      /* P(N < c): no wait */
	/* internal, for fc_queue_abandon_wait_quantile */
	double c, a, es, v, d, k;
};

/*
 * FC_EDOM for c == 0, es <= 0, a, ca2, cs2 or max_wait_s negative or not
 * finite (max_wait_s may be INFINITY when a < c).
 */
enum fc_status fc_queue_abandon(unsigned c, double a, double es, double ca2,
    double cs2, double max_wait_s, struct fc_queue_abandon *out);
/* As fc_queue_abandon, with b = fc_queue_erlang_b(c - 1, a) given. */
enum fc_status fc_queue_abandon_b(unsigned c, double a, double es, double ca2,
    double cs2, double max_wait_s, double b, struct fc_queue_abandon *out);

/* P(V > t) of an arrival (t >= 0): the share of all arrivals that would
 * wait longer than t; equals p_abandon at t >= max_wait_s. */
double fc_queue_abandon_tail(const struct fc_queue_abandon *q, double t);

/* The q-quantile (0 <= q < 1) of the wait of the calls that are served
 * (V <= max_wait_s), s; 0 when no call waits. */
double fc_queue_abandon_wait_quantile(const struct fc_queue_abandon *q, double quantile);

/* Squared CV of a lognormal with log-space deviation sigma: exp(sigma^2) - 1. */
double fc_queue_cs2_lognormal(double sigma);

#endif
