/*
 * breakeven.c: the breakeven search and viability (breakeven.h).
 *
 * Let d(U) = flat - api at U users, everything else fixed.  Flat is
 * cheaper at U when it is viable and d(U) <= -FC_CENT.
 *
 * The user axis splits into steps: runs of user counts with the same
 * server bill (whole servers; hour by hour with hourly billing).  Inside a
 * step the servers are fixed, the API cost and the other costs are linear
 * in U and the fallback cost is the calls' overflow share times their
 * price, which rises faster than linearly with the load: d is convex
 * there.  So the cheaper user counts of a step form one run, found
 * exactly: when an end of the step is cheaper, bisect towards the other;
 * else find the step's minimum (ternary search on the convex d; a d that
 * meets its chord at the midpoint is linear and has its minimum at an
 * end) and, when it is cheaper, bisect on each side of it.
 *
 * Walking every step is exact but a fleet of 1,000 servers has 1,000
 * steps.  Once the target utilization alone sizes the fleet (queueing's
 * economies of scale are spent), d is a line m U + k plus the rounding up
 * to whole servers, between 0 and one server's monthly price P (billed
 * hourly too: each hour rounds up by less than a server, and a server's
 * bill is capped at its month).  Then
 *   d(U1) > P and d(U2) > P            prove d > 0 on [U1, U2];
 *   d(U1) + P <= -cent, same at U2     prove flat cheaper on [U1, U2];
 * (the line keeps its sign between two points), and the walk skips such
 * runs of steps whole.  Beyond that, the settled-sign argument: when
 * d(U) > P and d(2U) - d(U) > 2P the line's slope is positive and it
 * stays above 0 for every larger count (likewise below), so the search
 * ends there.
 *
 * Before that regime a monotone bound skips runs of steps: every part of
 * flat's total but the overflow to the API grows with the user count
 * (the bill: a larger load never needs fewer channels; the fixed and other
 * costs; the quality fallback), a sized fleet's overflow is at most its
 * peak hour's tail, 5%, and the API's total grows, so over [U1, U2]
 *   flo(U1) - api(U2) <= d(U) <= fhi(U2) - api(U1)
 * with flo, fhi flat's total with no overflow and with 5%: one evaluation
 * at U2 settles the run when the right side is cheaper by a cent or the
 * left side is not (try_bound).
 *
 * A step's end is found from the fleet sizing alone (servers_guess: the
 * channels the peak hour needs, a few Erlang steps, no costs), galloping
 * from the previous step's width, and then checked with two evaluations
 * (the end has the step's bill, the next count another); when the check
 * fails the search bisects on evaluations as before.  The answers are
 * those of the plain walk (tests/unit/test_breakeven.c checks them against
 * a user-by-user search, trial by trial).
 *
 * Most counts the search visits need only the sign of d, and for a fleet
 * sized to the load a count is first evaluated for its bill and its
 * busiest hour alone (bill_only: the servers fc_fleet_plan buys, the
 * costs linear in the users, the overflow at most OVER_MAX, then, where
 * that does not settle it, the busiest hour's share: tighten), which
 * bounds d from both sides; it is evaluated whole only when the bounds
 * straddle the cent.  d is the bill plus a line in the users (with the
 * overflow fixed at 0 or at the most of any count of the run: ovcap), and
 * the bill never falls as the users rise, which bounds a run of counts by
 * its ends (run_cheap, run_dear) and a step by the no-overflow line at
 * its ends; and the
 * economies of scale bound the bill beyond a count by a line
 * (scale_cheap), which proves a lasting range with one count.
 * docs/model.md, "Breakeven: what the search may skip", gives the
 * proofs.
 *
 * A Monte Carlo trial needs only first and lasting
 * (fc_breakeven_first_lasting), and searches from both ends: when flat is
 * dearer at `to` there is no lasting range and the walk stops at the
 * first range; else runs below `to` proved cheaper whole (the monotone
 * bound, its run guessed from the API's line, or the line's sign at both
 * ends) move the top down, a dearer count found on the way bounds the
 * lasting range's start from below, and the walk covers only what is
 * left: the top's run for the lasting range, and, when a dearer count cut
 * it short, the counts below it until the first range.  The search keeps
 * its last few points (a step's ends are asked for again).  The tests
 * check it against the whole walk trial by trial over 1 to 10,000,000
 * users.
 */
#include "breakeven.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost_int.h"
#include "fleet.h"
#include "queue.h"
#include "stats.h"

/* Money compares to this tolerance (USD), far under a cent: the float
 * error of sums of up to 1e9 dollars. */
#define EPS 1e-6
/* the fleet is sized by the target utilization alone from here (the
 * remaining 3% is the rounding of the channels) */
#define UTIL_REGIME 0.97
/* run lengths tried by the skip: 2U, then halved this many times */
#define SKIP_TRIES 6
/* the most a sized fleet overflows: its peak hour's tail, P(W > t) <= 5%
 * (fleet.c), bounds every hour's; a hair over it for rounding */
#define OVER_MAX (0.05 + 1e-9)

int
fc_breakeven_flat_cheaper(double flat_total, double api_total, int viable)
{
	return viable && api_total - flat_total >= FC_CENT - EPS;
}

static int
cheap(double d)
{
	return d <= -FC_CENT + EPS;
}

/* The search's fixed part: the scenario, the inputs, the server, and
 * what sizes the fleet whatever the user count (guess_end). */
struct ctx {
	const struct fc_scenario *s;
	struct fc_inputs in;
	struct fc_capacity cap;
	int guess;           /* 1: guess_end applies (monthly billing, a sized fleet) */
	int bound;           /* 1: try_bound applies (a sized fleet) */
	int ends;            /* 1: first and lasting only (fc_breakeven_first_lasting) */
	struct pending *pend; /* ends: the last range's start, when not yet searched */
	struct memo *memo;   /* the last points evaluated, or NULL */
	struct fc_fleet f;   /* es, ca2, cs2, wait_budget_s of the fleet plan */
	int have_f;          /* 1: f is planned (any fleet, its overflow left out) */
	double peak;         /* the busiest hour's weight */
	struct ovcap_memo *ovm; /* ovcap's last answers, or NULL */
	int order[24];       /* the hours by load, busiest first */
};

/* One user count's figures. */
struct pt {
	double u;        /* users */
	double d;        /* flat - api, USD/month */
	double bill;     /* server bill, USD/month: constant within a step */
	double util;     /* peak utilization of the fleet */
	double price;    /* one server's month, USD: what rounding can add */
	double api;      /* the API's total, USD/month */
	double flo, fhi; /* flat's total with no overflow, and with the most
	                    this count can overflow (OVER_MAX; a bill-only
	                    point: its busiest hour's share), USD/month */
	double tov;      /* flat's total per unit of overflow share, USD/month:
	                    flo + tov x share is flat's total at that share */
	int exact;       /* 1: d is known; 0: a bill-only point (at_light):
	                    flo - api <= d <= fhi - api */
	double servers;  /* the fleet (its peak) */
	double ch;       /* its channels: servers x slots */
	double rate;     /* its calls a second (tighten) */
	int loose;       /* a bill-only point, 1: fhi takes OVER_MAX, its
	                    busiest hour not yet evaluated (tighten) */
	double slo, shi; /* a bill-only point: bounds on the day's overflow
	                    share once its hours are evaluated, busiest
	                    first (NAN before): flo + tov slo - api <= d <=
	                    flo + tov shi - api but for the order of the sums
	                    (err) */
};

/* The run bound's overflow share for the last few channel counts
 * (ovcap). */
#define OVM_N 4
struct ovcap_memo {
	double ch[OVM_N], ov[OVM_N];
	int n, next;
};

/* With first and lasting only: a range recorded from a.u + 1 whose true
 * start in the step [a.u, e.u] (a dearer, e cheaper) is searched only if
 * it turns out to be the lasting range. */
struct pending {
	int valid;
	struct pt a, e;
};

/* The last MEMO_N points at() evaluated: the search comes back to a
 * step's ends (the walk, try_skip, the pending start). */
#define MEMO_N 8
struct memo {
	struct pt p[MEMO_N];
	int n, next;
};

/*
 * A bill-only point of a fleet sized to the load and billed by the month
 * (c->guess), without a cost evaluation: the servers as fc_fleet_plan buys
 * them (fc_fleet_servers, the same bill to the bit), the API's and the
 * fallback's costs from their cost per mean call (linear in the users),
 * the other costs (in both totals) as cost.c adds them.
 */
/* The fallback API's cost of every call, USD/month: flat's total grows by
 * this times the share of calls sent there (cost.c prices it so). */
static double
fallback_per(const struct ctx *c, const struct fc_inputs *u, const struct fc_workload *w)
{
	double in_tok = w->calls > 0 ? w->input_tokens / w->calls : fc_inputs_input_tokens(u);
	double out_tok = w->calls > 0 ? w->output_tokens / w->calls : u->output_tokens;

	return w->calls * fc_api_path_cost_per_call(c->s, FC_PATH_FALLBACK, u, in_tok, out_tok);
}

static enum fc_status
bill_only(const struct ctx *c, const struct fc_inputs *u, const struct fc_workload *w,
    struct pt *p)
{
	double rate = w->calls / (u->days * FC_SECONDS_PER_DAY), n, ch, llm, other, per, base;
	enum fc_status st;

	if ((st = fc_fleet_servers(c->s, u, &c->f, c->cap.slots, rate, &n)) != FC_OK)
		return st;
	ch = n * c->cap.slots;
	if (ch > FC_MAX_CHANNELS)
		return FC_ERANGE;
	fc_api_eval(c->s, FC_PATH_API, u, w, &llm, &other);
	per = fallback_per(c, u, w);
	p->u = u->users;
	p->exact = 0;
	p->d = NAN;
	p->servers = n;
	p->bill = n * u->hw_monthly_price;
	p->util = ch > 0 ? rate * c->peak * c->f.es / ch : 0;
	p->price = u->hw_monthly_price;
	p->api = llm + other;
	base = p->bill + u->flat_fixed + other;
	p->flo = base + per * u->fallback_share;
	p->tov = per * (1 - u->fallback_share);
	p->fhi = p->flo + p->tov * OVER_MAX;   /* tighten: the busiest hour's */
	p->ch = ch;
	p->rate = rate;
	p->loose = 1;
	p->slo = p->shi = NAN;
	return FC_OK;
}

/* One user count's figures; light: the bill only (no overflow: d is
 * bounded by flo and fhi), for a fleet sized to the load. */
static enum fc_status
eval(const struct ctx *c, double users, int light, struct pt *p)
{
	struct fc_inputs u = c->in;
	struct fc_workload w;
	struct fc_costs k;
	enum fc_status st;
	int i, slot = -1;

	light = light && c->bound && fc_breakeven_light;
	if (c->memo)
		for (i = 0; i < c->memo->n; i++)
			if (c->memo->p[i].u == users) {
				if (light || c->memo->p[i].exact) {
					*p = c->memo->p[i];
					return FC_OK;
				}
				slot = i;   /* a bill-only point: made exact in place */
			}
	u.users = users;
	u.no_overflow = light;
	fc_workload_mean(&u, &w);
	if (light && c->guess) {
		if ((st = bill_only(c, &u, &w, p)) != FC_OK)
			return st;
		goto keep;
	}
	if ((st = fc_cost_eval_cap(c->s, &u, &w, &c->cap, &k)) != FC_OK)
		return st;
	p->u = users;
	p->exact = !light;
	p->d = light ? NAN : k.flat_total - k.api_total;
	p->bill = k.server_cost;
	p->servers = k.servers;
	p->util = k.utilization;
	p->price = u.hw_monthly_price;
	p->api = k.api_total;
	{
		double per = fallback_per(c, &u, &w), base = k.server_cost + k.flat_fixed +
		    k.flat_other;
		p->flo = base + per * u.fallback_share;
		p->tov = per * (1 - u.fallback_share);
		p->fhi = p->flo + p->tov * OVER_MAX;
		p->ch = k.servers * c->cap.slots;
		p->rate = w.calls / (u.days * FC_SECONDS_PER_DAY);
		p->loose = 0;
		p->slo = p->shi = NAN;
	}
keep:
	if (c->memo && slot >= 0) {
		c->memo->p[slot] = *p;
	} else if (c->memo) {
		c->memo->p[c->memo->next] = *p;
		c->memo->next = (c->memo->next + 1) % MEMO_N;
		if (c->memo->n < MEMO_N)
			c->memo->n++;
	}
	return FC_OK;
}

int fc_breakeven_light = 1;

static enum fc_status
at(const struct ctx *c, double users, struct pt *p)
{
	return eval(c, users, 0, p);
}

static enum fc_status
at_light(const struct ctx *c, double users, struct pt *p)
{
	return eval(c, users, 1, p);
}

/* p made exact (d known). */
static enum fc_status
exact(const struct ctx *c, struct pt *p)
{
	return p->exact ? FC_OK : eval(c, p->u, 0, p);
}

/* The float error of money summed in another order than cost.c sums it,
 * allowed for with room: 1e-7 USD plus 1e-15 of the amounts (a few
 * units in the last place of totals up to 1e9 USD). */
static double
err(double a, double b)
{
	return 1e-7 + 1e-15 * (fabs(a) + fabs(b));
}

/* The bound below d at p with no overflow: the line under d takes none
 * (d itself, with p's overflow, is above it). */
static double
d_none(const struct pt *p)
{
	return p->flo - p->api - err(p->flo, p->api);
}

/* The bounds on d at p (d itself when exact). */
static double
d_lo(const struct pt *p)
{
	double f = isnan(p->slo) ? p->flo : p->flo + p->tov * p->slo;

	return p->exact ? p->d : f - p->api - err(f, p->api);
}

static double
d_hi(const struct pt *p)
{
	double f = isnan(p->shi) ? p->fhi : p->flo + p->tov * p->shi;

	return p->exact ? p->d : f - p->api + err(f, p->api);
}

/* A bill-only point's fhi from its busiest hour's overflow share (at most
 * OVER_MAX), or, with day = 1, bounds on its day's share from its hours,
 * busiest first, until they say on which side of the cent d is (slo,
 * shi); kept in the memo too. */
static void
tighten(const struct ctx *c, struct pt *p, int day)
{
	int i;

	if (day) {
		/* the share at which d is the cent */
		double s = p->tov > 0 ? (-FC_CENT + EPS - p->flo + p->api) / p->tov : 0;
		fc_fleet_overflow_share_around(&c->f, p->ch, p->rate, c->order, s, &p->slo,
		    &p->shi);
	} else {
		p->fhi = p->flo + p->tov * fmin(OVER_MAX,
		    fc_fleet_overflow_bound(&c->f, p->ch, p->rate));
		p->loose = 0;
	}
	if (c->memo)
		for (i = 0; i < c->memo->n; i++)
			if (c->memo->p[i].u == p->u && !c->memo->p[i].exact)
				c->memo->p[i] = *p;
}

/* Whether flat is cheaper at p: from the bounds when they settle it (a
 * bill-only point's busiest hour evaluated when OVER_MAX does not), else
 * p is made exact. */
static enum fc_status
is_cheap(const struct ctx *c, struct pt *p, int *ch)
{
	enum fc_status st;

	if (!p->exact) {
		if (cheap(d_hi(p))) {
			*ch = 1;
			return FC_OK;
		}
		if (!cheap(d_lo(p))) {
			*ch = 0;
			return FC_OK;
		}
		if (p->loose) {
			tighten(c, p, 0);
			if (cheap(d_hi(p))) {
				*ch = 1;
				return FC_OK;
			}
		}
		if (c->guess && isnan(p->slo)) {
			tighten(c, p, 1);
			if (cheap(d_hi(p)) || !cheap(d_lo(p))) {
				*ch = cheap(d_hi(p));
				return FC_OK;
			}
		}
		if ((st = exact(c, p)) != FC_OK)
			return st;
	}
	*ch = cheap(p->d);
	return FC_OK;
}

static void
add_range(struct fc_breakeven *b, double from, double to)
{
	if (b->nranges && b->to[b->nranges - 1] + 1 >= from) {
		b->to[b->nranges - 1] = to;  /* contiguous with the last */
		return;
	}
	if (b->nranges == FC_MAX_RANGES) {
		/* keep the last range right: it replaces the last kept one */
		b->truncated = 1;
		b->from[FC_MAX_RANGES - 1] = from;
		b->to[FC_MAX_RANGES - 1] = to;
		return;
	}
	b->from[b->nranges] = from;
	b->to[b->nranges] = to;
	b->nranges++;
}

/* d at p, or without any overflow (what it mostly is, the fleet sized
 * for 5% at the peak hour's tail): a guess for the secant. */
static double
d_guess(const struct pt *p)
{
	return p->exact ? p->d : d_lo(p);
}

/*
 * With lo cheap and hi not (cheap_lo = 1), or the reverse, the boundary
 * between them: the last cheap count, or the first.  Each evaluation is
 * where the chord through the bracket's ends crosses the cent (d is
 * nearly linear inside a step: two or three evaluations), next to it on
 * the side that closes the bracket when d is convex; two chords in a row
 * that did not halve the bracket are followed by a halving, so the count
 * stays within three times bisection's.
 */
static enum fc_status
bisect(const struct ctx *c, struct pt lo, struct pt hi, int cheap_lo, double *x)
{
	struct pt m;
	double vlo = d_guess(&lo), vhi = d_guess(&hi), level = -FC_CENT, w;
	int halve = 0, slow = 0, ch;
	enum fc_status st;

	while (hi.u - lo.u > 1) {
		double mid = floor((lo.u + hi.u) / 2), g;
		w = hi.u - lo.u;
		if (!halve && isfinite(vlo) && isfinite(vhi) && vlo != vhi &&
		    (vlo - level) * (vhi - level) <= 0) {
			g = lo.u + (vlo - level) / (vlo - vhi) * (hi.u - lo.u);
			mid = cheap_lo ? floor(g) + 1 : ceil(g) - 1;
			mid = fmin(fmax(mid, lo.u + 1), hi.u - 1);
		}
		if ((st = at_light(c, mid, &m)) != FC_OK || (st = is_cheap(c, &m, &ch)) != FC_OK)
			return st;
		if (ch == cheap_lo) {
			lo = m;
			vlo = d_guess(&m);
		} else {
			hi = m;
			vhi = d_guess(&m);
		}
		/* two chords in a row that did not halve the bracket: a halving */
		slow = !halve && hi.u - lo.u > w / 2 ? slow + 1 : 0;
		halve = slow >= 2;
		if (halve)
			slow = 0;
	}
	*x = cheap_lo ? lo.u : hi.u;
	return FC_OK;
}

/* The minimum of the convex d on [a.u, e.u], both ends not cheap: *m. */
static enum fc_status
step_min(const struct ctx *c, struct pt a, struct pt e, struct pt *m)
{
	struct pt p1, p2;
	enum fc_status st;

	*m = a.d <= e.d ? a : e;
	if (e.u - a.u < 2)
		return FC_OK;
	if ((st = at(c, floor((a.u + e.u) / 2), &p1)) != FC_OK)
		return st;
	if (p1.d < m->d)
		*m = p1;
	/* on its chord at an inner point: linear, the minimum is at an end */
	if (p1.d >= a.d + (e.d - a.d) * (p1.u - a.u) / (e.u - a.u) - EPS)
		return FC_OK;
	/* a convex d lies above its secants extended: left of the midpoint
	 * above the line through it and e, right of it above the line through
	 * a and it; when both stay above the cent, no user count is cheaper */
	if (!cheap(fmin(p1.d + (e.d - p1.d) / (e.u - p1.u) * (a.u - p1.u), p1.d)) &&
	    !cheap(fmin(p1.d + (p1.d - a.d) / (p1.u - a.u) * (e.u - p1.u), p1.d)))
		return FC_OK;
	while (e.u - a.u > 2) {
		double w = floor((e.u - a.u) / 3);
		if ((st = at(c, a.u + w, &p1)) != FC_OK ||
		    (st = at(c, e.u - w, &p2)) != FC_OK)
			return st;
		if (p1.d < m->d)
			*m = p1;
		if (p2.d < m->d)
			*m = p2;
		if (cheap(m->d))
			return FC_OK;  /* a cheap point is all the sides need */
		if (p1.d < p2.d)
			e = p2;
		else if (p1.d > p2.d)
			a = p1;
		else {
			a = p1;
			e = p2;
		}
	}
	if (e.u - a.u == 2) {
		if ((st = at(c, a.u + 1, &p1)) != FC_OK)
			return st;
		if (p1.d < m->d)
			*m = p1;
	}
	return FC_OK;
}

/* The cheaper run of the step [a.u, e.u], into b. */
static enum fc_status
solve_step(const struct ctx *c, struct pt a, struct pt e, struct fc_breakeven *b)
{
	struct pt m;
	double x, y;
	int ca, ce;
	enum fc_status st;

	if ((st = is_cheap(c, &a, &ca)) != FC_OK || (st = is_cheap(c, &e, &ce)) != FC_OK)
		return st;
	if (ca && ce) {
		add_range(b, a.u, e.u);   /* convex: at or below its ends */
		return FC_OK;
	}
	if (ca) {
		/* a range's end inside a step decides neither first nor lasting */
		if (c->ends)
			x = e.u - 1;
		else if ((st = bisect(c, a, e, 1, &x)) != FC_OK)
			return st;
		add_range(b, a.u, x);
		return FC_OK;
	}
	if (ce) {
		if (c->ends && b->nranges) {
			/* after the first range only the lasting one's start
			 * matters: searched at the end if this is it */
			c->pend->valid = 1;
			c->pend->a = a;
			c->pend->e = e;
			add_range(b, a.u + 1, e.u);
			return FC_OK;
		}
		if ((st = bisect(c, a, e, 0, &x)) != FC_OK)
			return st;
		add_range(b, x, e.u);
		return FC_OK;
	}
	/* both ends dearer: a range inside can be neither the lasting one nor,
	 * once there is a range, the first */
	if (c->ends && b->nranges)
		return FC_OK;
	/* d is at least flo - api (no overflow), which is linear inside a
	 * step (the bill is the step's, the rest calls or users times a
	 * constant): dearer at both ends, it is dearer between */
	if (!cheap(fmin(d_none(&a), d_none(&e))))
		return FC_OK;
	if ((st = exact(c, &a)) != FC_OK || (st = exact(c, &e)) != FC_OK ||
	    (st = step_min(c, a, e, &m)) != FC_OK || !cheap(m.d))
		return st;
	if ((st = bisect(c, a, m, 0, &x)) != FC_OK)
		return st;
	if (c->ends)
		y = e.u - 1;
	else if ((st = bisect(c, m, e, 1, &y)) != FC_OK)
		return st;
	add_range(b, x, y);
	return FC_OK;
}

/*
 * The fleet's size at `users` as fc_fleet_plan sizes it
 * (fc_fleet_servers), without the rest of the costs.  guess_end still
 * checks its step's ends with evaluations (bill-only ones are cheap).
 */
static double
servers_guess(const struct ctx *c, double users)
{
	struct fc_inputs u = c->in;
	struct fc_workload w;
	double n;

	u.users = users;
	fc_workload_mean(&u, &w);
	if (fc_fleet_servers(c->s, &u, &c->f, c->cap.slots,
	    w.calls / (u.days * FC_SECONDS_PER_DAY), &n) != FC_OK)
		return NAN;
	return n;
}

/*
 * The end of lo's step guessed from servers_guess (the last count up to
 * `to` with lo's fleet), then checked: at() at the guess has lo's bill and
 * at the count after it (*nx, the next step's start, unless the guess is
 * `to`) another.  0 when the guess is wrong or cannot be made (the caller
 * then searches with at() alone).
 */
static enum fc_status
guess_end(const struct ctx *c, const struct pt *lo, double to, double hint, struct pt *e,
    struct pt *nx, int *ok)
{
	double n0 = servers_guess(c, lo->u), a = lo->u, z = INFINITY, d, g;
	enum fc_status st;

	*ok = 0;
	if (!c->guess || isnan(n0))
		return FC_OK;
	/* steps have about the same width: try the previous one's first */
	if (hint >= 2 && lo->u + hint - 1 <= to) {
		if (isnan(g = servers_guess(c, lo->u + hint - 1)))
			return FC_OK;
		if (g == n0)
			a = lo->u + hint - 1;
		else
			z = lo->u + hint - 1;
	}
	if (isinf(z) && c->in.target_util > 0 && c->in.target_util <= 1 && lo->u > 0) {
		/* the utilization cap alone ends the step where n0 servers'
		 * channels at the target carry the peak load: a bracket */
		struct fc_inputs u = c->in;
		struct fc_workload w;
		double k, y;
		u.users = lo->u;
		fc_workload_mean(&u, &w);
		k = w.calls / (u.days * FC_SECONDS_PER_DAY) * c->peak * c->f.es / lo->u;
		y = k > 0 ? floor(n0 * c->cap.slots * c->in.target_util / k) + 1 : INFINITY;
		if (y > a && y <= to) {
			if (isnan(g = servers_guess(c, y)))
				return FC_OK;
			if (g != n0)
				z = y;
			else
				a = y;
		}
	}
	if (isinf(z)) {
		/* gallop up from a */
		for (d = 1; a < to; d *= 2) {
			double y = fmin(a + d, to);
			if (isnan(g = servers_guess(c, y)))
				return FC_OK;
			if (g != n0) {
				z = y;
				break;
			}
			a = y;
		}
	} else {
		/* gallop down from z */
		for (d = 1; z - d > a; d *= 2) {
			if (isnan(g = servers_guess(c, z - d)))
				return FC_OK;
			if (g == n0) {
				a = z - d;
				break;
			}
			z -= d;
		}
	}
	while (!isinf(z) && z - a > 1) {
		double mid = floor((a + z) / 2);
		if (isnan(g = servers_guess(c, mid)))
			return FC_OK;
		if (g == n0)
			a = mid;
		else
			z = mid;
	}
	if ((st = at_light(c, a, e)) != FC_OK || e->bill != lo->bill)
		return st;
	if (a < to && ((st = at_light(c, a + 1, nx)) != FC_OK || nx->bill == lo->bill))
		return st;
	*ok = 1;
	return FC_OK;
}

/* The last user count, up to `to`, with lo's server bill: *e.  hint: the
 * previous step's width in users (0: none), tried first. */
static enum fc_status
step_end(const struct ctx *c, const struct pt *lo, double to, double hint, struct pt *e)
{
	double a = lo->u, z, step = 1;
	struct pt pz, pa = *lo;
	enum fc_status st;

	if (hint >= 2 && lo->u + hint <= to) {
		/* steps have about the same width: bracket the end near it */
		if ((st = at_light(c, lo->u + hint - 1, &pz)) != FC_OK)
			return st;
		if (pz.bill == lo->bill) {
			a = pz.u;
			pa = pz;
			step = hint;
		} else {
			z = pz.u;
			goto bisect;
		}
	}
	for (;;) {
		z = lo->u + step;
		if (z > to)
			z = to;
		if (z <= a) {
			*e = pa;
			return FC_OK;
		}
		if ((st = at_light(c, z, &pz)) != FC_OK)
			return st;
		if (pz.bill != lo->bill)
			break;
		if (z >= to) {
			*e = pz;
			return FC_OK;
		}
		a = z;
		pa = pz;
		step = step < 1 ? 1 : 2 * (z - lo->u);
	}
bisect:
	while (z - a > 1) {
		double mid = floor((a + z) / 2);
		struct pt pm;
		if ((st = at_light(c, mid, &pm)) != FC_OK)
			return st;
		if (pm.bill == lo->bill) {
			a = mid;
			pa = pm;
		} else {
			z = mid;
		}
	}
	*e = pa;
	return FC_OK;
}

/*
 * The most a fleet sized to the load can overflow at any count from p on
 * (a share of the calls): the busiest hour's share bounds the day's, and
 * that hour runs at most at the target utilization rho (the sizing's cap;
 * 1 without one) on at least p's channels.  An hour's share rises with
 * its load and, at a given utilization, falls as the fleet grows
 * (tests/unit/test_queue.c checks both), so it is at most the share of
 * p's channels at rho, and at most OVER_MAX (the sizing's tail); a fixed
 * or capped fleet (not sized to the load) can send every call.  Unlike
 * p's own bound (fhi) this holds for every count above p, which the
 * bounds on runs of counts need: a count inside a run can overflow more
 * than either end, its fleet fuller.
 */
static double
ovcap(const struct ctx *c, const struct pt *p)
{
	double rho = c->in.target_util, ov;
	struct ovcap_memo *m = c->ovm;
	int i;

	if (!c->bound)
		return 1;   /* a fixed or capped fleet can overflow every call */
	if (!c->have_f || !(p->ch >= 1) || !(c->f.es > 0))
		return OVER_MAX;
	if (m)
		for (i = 0; i < m->n; i++)
			if (m->ch[i] == p->ch)
				return m->ov[i];
	if (!(rho > 0 && rho <= 1))
		rho = 1;
	ov = c->peak > 0 ? fmin(OVER_MAX, fc_fleet_overflow_bound(&c->f, p->ch,
	    rho * p->ch / (c->peak * c->f.es))) : OVER_MAX;
	if (m) {
		m->ch[m->next] = p->ch;
		m->ov[m->next] = ov;
		m->next = (m->next + 1) % OVM_N;
		if (m->n < OVM_N)
			m->n++;
	}
	return ov;
}

/* Flat's total at p were its overflow share ov. */
static double
f_at(const struct pt *p, double ov)
{
	return p->flo + p->tov * ov;
}

/* The bound above d at p with the overflow share at most ov. */
static double
d_max(const struct pt *p, double ov)
{
	return f_at(p, ov) - p->api + err(f_at(p, ov), p->api);
}

/* The sign of the line under d proved at p (see the top of this file),
 * from p's bounds with the overflow share none (the line below d) or at
 * most ov from p on (the line above d); a whole evaluation would not
 * prove more: 1 dearer, -1 cheaper, 0 not proved. */
static int
proved(const struct ctx *c, const struct pt *p, double ov)
{
	if (p->util < UTIL_REGIME * c->in.target_util)
		return 0;
	if (d_none(p) > p->price)
		return 1;
	if (cheap(d_max(p, ov) + p->price))
		return -1;
	return 0;
}

/*
 * The run [lo, hi] of a fleet sized to the load proved cheaper, or dearer,
 * whole.  d = bill + G, where G = flat's total less its bill less the
 * API's, with the overflow share fixed at ovcap(lo) (the most of any
 * count of the run: gh) or none (gl), is linear in the users (every part
 * but the bill is calls or users times a constant) and the bill does not
 * fall as the users rise: on [lo, hi]
 *   bill(lo) + min(gl(lo), gl(hi)) <= d <= bill(hi) + max(gh(lo), gh(hi)).
 */
static double
gh(const struct pt *p, double ov)
{
	return f_at(p, ov) - p->bill - p->api;
}

static double
gl(const struct pt *p)
{
	return p->flo - p->bill - p->api;
}

static int
run_cheap(const struct pt *lo, const struct pt *hi, double ov)
{
	return cheap(hi->bill + fmax(gh(lo, ov), gh(hi, ov)) + EPS +
	    err(f_at(hi, ov), lo->api + hi->api));
}

static int
run_dear(const struct pt *lo, const struct pt *hi)
{
	return !cheap(lo->bill + fmin(gl(lo), gl(hi)) - EPS - err(hi->flo, lo->api + hi->api));
}

/*
 * Cheaper from x through `to`, by the economies of scale (a fleet sized to
 * the load): x's fleet of n servers runs c = n slots channels at
 * utilization rho = x.util, within the wait target; at a larger load A'
 * the fleet of ceil(A' / rho) channels runs at most rho and is larger, so
 * its wait tail is no longer (Erlang C falls with the fleet's size at a
 * given utilization, as does the tail's exponential factor, and both
 * rise with the load at a given size): the sizing buys no more, plus one
 * channel for rounding, and whole servers round up by one.  So for
 * U >= x.u the bill is at most P (n U / x.u + 1 + 2 / slots), P one
 * server's month (an hourly bill is capped by it), and d is at most that
 * plus gh with the overflow share at its most from x on (ovcap), linear
 * in U: a line, cheaper at both ends, is cheaper between.
 */
static int
scale_cheap(const struct ctx *c, const struct pt *x, double to, double ov)
{
	double f = c->in.flat_fixed, gam, slack, ux = x->u, g;

	if (!c->bound || !(x->servers >= 1) || !(x->util > 0) || !(c->cap.slots > 0) || to < ux)
		return 0;
	g = gh(x, ov);
	gam = (g - f) / ux;
	slack = x->price * (1 + 2.0 / c->cap.slots);
	return cheap(x->price * x->servers + slack + g + EPS + err(f_at(x, ov), x->api)) &&
	    cheap(x->price * x->servers / ux * to + slack + f + gam * to + EPS +
	    err(f_at(x, ov), x->api) * to / ux);
}

/* The line's slope has sign sg between lo and p2 (p2.u = 2 lo.u): the
 * bounds on d change by more than the rounding can (two servers' price);
 * the line above d takes the overflow share ov, the most from lo on. */
static int
settled(const struct pt *lo, const struct pt *p2, int sg, double ov)
{
	return sg > 0 ? d_none(p2) - d_hi(lo) > 2 * lo->price :
	    d_lo(lo) - d_max(p2, ov) > 2 * lo->price;
}

/* The most any fleet here can overflow: ovcap's bound before it is
 * computed. */
static double
ov_most(const struct ctx *c)
{
	return c->bound ? OVER_MAX : 1;
}

/* What the run bounds prove cheaper; each is harder to prove the more
 * the overflow share ov, so ovcap (an Erlang evaluation) is computed only
 * when the share's extremes, none and ov_most, disagree. */
enum proof { RUN, SCALE, BETWEEN };

static int
proves(const struct ctx *c, enum proof k, const struct pt *lo, const struct pt *hi,
    double to, double ov)
{
	switch (k) {
	case RUN:
		return run_cheap(lo, hi, ov);
	case SCALE:
		return scale_cheap(c, lo, to, ov);
	default:
		return run_cheap(lo, hi, ov) || scale_cheap(c, lo, hi->u, ov) ||
		    (proved(c, lo, ov) < 0 && proved(c, hi, ov) < 0);
	}
}

static int
proves_lazily(const struct ctx *c, enum proof k, const struct pt *lo, const struct pt *hi,
    double to)
{
	if (proves(c, k, lo, hi, to, ov_most(c)))
		return 1;
	if (!proves(c, k, lo, hi, to, 0))
		return 0;
	return proves(c, k, lo, hi, to, ovcap(c, lo));
}

/*
 * Skips a run of steps from lo whose sign is proved; 1 in *skipped with
 * the next user count after it in *next (past `to` when the search is
 * over).
 */
static enum fc_status
try_skip(const struct ctx *c, struct pt *lo, double to, struct fc_breakeven *b,
    int *skipped, double *next)
{
	int sg, sg2, k;
	struct pt p2;
	double hi, ov;
	enum fc_status st;

	*skipped = 0;
	if (proves_lazily(c, SCALE, lo, NULL, to)) {
		add_range(b, lo->u, to);
		*skipped = 1;
		*next = to + 1;
		return FC_OK;
	}
	/* dearer needs no overflow bound; cheaper, the most from lo on */
	ov = ov_most(c);
	if ((sg = proved(c, lo, 0)) < 0) {
		ov = ovcap(c, lo);
		sg = proved(c, lo, ov);
	}
	if (sg == 0)
		return FC_OK;
	/* settled for good: the slope of the line has the same sign */
	if ((st = at_light(c, 2 * lo->u, &p2)) != FC_OK)
		return st;
	sg2 = proved(c, &p2, ov);
	/* lo's own d may settle what its bounds do not (p2 enters by its
	 * line's bounds, which d does not narrow) */
	if (sg2 == sg && !settled(lo, &p2, sg, ov) && (st = exact(c, lo)) != FC_OK)
		return st;
	if (sg2 == sg && settled(lo, &p2, sg, ov)) {
		if (sg < 0)
			add_range(b, lo->u, to);
		*skipped = 1;
		*next = to + 1;
		return FC_OK;
	}
	for (k = 0, hi = fmin(to, 2 * lo->u); k < SKIP_TRIES && hi - lo->u >= 2; k++,
	    hi = floor((lo->u + hi) / 2)) {
		if (hi != p2.u && (st = at_light(c, hi, &p2)) != FC_OK)
			return st;
		if (proved(c, &p2, ov) == sg) {
			if (sg < 0)
				add_range(b, lo->u, hi);
			*skipped = 1;
			*next = hi + 1;
			return FC_OK;
		}
	}
	return FC_OK;
}


/*
 * The monotone bound (see the top of this file), as run_cheap and
 * run_dear take it: over [lo, hi] the bill never falls, the overflow
 * share stays within ovcap(lo), and the rest is linear in the users.
 * The first proves the run cheaper, the second dearer; either way the
 * run [lo, hi] is settled with one evaluation.  The
 * ratio hi / lo grows after a success and shrinks after a failure, after
 * which 1, 2, 4, ... steps are walked before the next try; runs shorter
 * than two steps are not tried.
 */
struct bound_state {
	double r;        /* the ratio hi / lo tried next */
	long wait, fails; /* steps to walk before the next try; failures in a row */
};

static enum fc_status
try_bound(const struct ctx *c, const struct pt *lo, double to, double width,
    struct fc_breakeven *b, struct bound_state *bs, int *skipped, double *next)
{
	struct pt p2;
	double hi = fmin(to, floor(lo->u * bs->r));
	enum fc_status st;

	*skipped = 0;
	if (!c->bound || hi - lo->u < 2 * fmax(width, 1))
		return FC_OK;
	if (bs->wait > 0) {
		bs->wait--;
		return FC_OK;
	}
	if ((st = at_light(c, hi, &p2)) != FC_OK)
		return st;
	if (proves_lazily(c, RUN, lo, &p2, hi)) {
		add_range(b, lo->u, hi);
		*skipped = 1;
	} else if (run_dear(lo, &p2)) {
		*skipped = 1;
	}
	if (*skipped) {
		*next = hi + 1;
		bs->r = fmin(2 * bs->r, 1024);
		bs->fails = 0;
	} else {
		/* a shorter run next, after more steps walked each time */
		bs->r = fmax(1 + (bs->r - 1) / 2, 1.0625);
		bs->wait = 1L << (bs->fails < 20 ? bs->fails : 20);
		bs->fails++;
	}
	return FC_OK;
}

static enum fc_status
ctx_init(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, struct ctx *c)
{
	enum fc_status st;
	int h;

	memset(c, 0, sizeof(*c));
	c->s = s;
	c->in = *in;
	c->in.fast = 1;
	/* the server's capacity does not depend on the user count */
	if ((st = fc_capacity_eval_slo(s, in, tp, fc_inputs_input_tokens(in), in->output_tokens,
	    &c->cap)) != FC_OK)
		return st;
	c->bound = s->flat.fixed_servers <= 0 && s->flat.max_servers <= 0;
	/* nor do the fleet's service times and weights (viability, guess_end);
	 * its overflow at one call a second is not wanted */
	if (c->cap.slo_feasible) {
		struct fc_inputs u = c->in;
		u.no_overflow = 1;
		if ((st = fc_fleet_plan(s, &u, &c->cap, 1, &c->f)) != FC_OK)
			return st;
		c->have_f = 1;
		for (h = 0; h < 24; h++)
			c->peak = fmax(c->peak, c->f.weights[h]);
	}
	if (s->flat.hourly || s->flat.fixed_servers > 0 || !c->cap.slo_feasible ||
	    !(c->cap.slots > 0))
		return FC_OK;
	c->guess = c->f.slo_feasible && c->f.wait_budget_s >= 0;
	fc_fleet_hours_by_load(&c->f, c->order);
	return FC_OK;
}

static enum fc_status
viability_cap(const struct ctx *c, struct fc_viability *v)
{
	struct fc_fleet f;
	enum fc_status st;

	memset(v, 0, sizeof(*v));
	v->slo_s = c->in.slo_s;
	if (!c->cap.slo_feasible) {
		v->reason = FC_NV_CALL_OVER_SLO;
		v->call_s = c->cap.single_call_s;
		return FC_OK;
	}
	if (c->have_f)
		f = c->f;
	else if ((st = fc_fleet_plan(c->s, &c->in, &c->cap, 1, &f)) != FC_OK)
		return st;
	v->call_s = f.s95;
	if (!f.slo_feasible) {
		v->reason = FC_NV_NO_WAIT_ROOM;
		return FC_OK;
	}
	v->viable = 1;
	v->reason = FC_VIABLE;
	return FC_OK;
}

enum fc_status
fc_breakeven_viability_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, struct fc_viability *v)
{
	struct ctx c;
	enum fc_status st;

	if ((st = ctx_init(s, in, tp, &c)) != FC_OK)
		return st;
	return viability_cap(&c, v);
}

void
fc_breakeven_viability_text(const struct fc_scenario *s, const struct fc_viability *v,
    char *buf, size_t len)
{
	const char *hw = s->flat.hw.id ? s->flat.hw.id : "the server";

	if (len == 0)
		return;
	buf[0] = '\0';
	if (v->viable)
		return;
	if (v->reason == FC_NV_CALL_OVER_SLO)
		snprintf(buf, len, "one call alone takes %.3g s on %s, over the SLO of %g s; "
		    "a faster server, a smaller model or an SLO of at least %.3g s would make "
		    "it viable", v->call_s, hw, v->slo_s, v->call_s);
	else
		snprintf(buf, len, "a call takes up to %.3g s (P95) on a busy %s, leaving no "
		    "time to wait within the SLO of %g s; fewer parallel calls (flat.slots), "
		    "a faster server, a smaller model or a looser SLO would make it viable",
		    v->call_s, hw, v->slo_s);
}

enum fc_status
fc_breakeven_cheaper_at(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double users, int *cheaper)
{
	struct ctx c;
	struct fc_viability v;
	struct pt p;
	enum fc_status st;

	*cheaper = 0;
	if ((st = ctx_init(s, in, tp, &c)) != FC_OK ||
	    (st = viability_cap(&c, &v)) != FC_OK || !v.viable)
		return st;
	if ((st = at(&c, users, &p)) != FC_OK)
		return st;
	*cheaper = cheap(p.d);
	return FC_OK;
}

/*
 * The walk over [from, to] (the top of this file), from lo = at(from):
 * every step in turn, skipping what try_skip and try_bound settle.  With
 * stop_first, it ends once the first range is found (its start is then
 * exact; the walk's other figures are not).
 */
static enum fc_status
walk(struct ctx *c, struct pt lo, double to, int stop_first, struct fc_breakeven *b)
{
	struct pt e, nx;
	double next, width = 0;
	struct bound_state bs = { 2, 0, 0 };
	int skipped, have_nx;
	enum fc_status st;

	for (;;) {
		if ((st = try_skip(c, &lo, to, b, &skipped, &next)) != FC_OK)
			return st;
		if (!skipped &&
		    (st = try_bound(c, &lo, to, width, b, &bs, &skipped, &next)) != FC_OK)
			return st;
		have_nx = 0;
		if (!skipped && lo.u < to) {
			/* the bill never falls as the users rise: the same bill at
			 * `to` makes [lo, to] one step */
			if ((st = at_light(c, to, &e)) != FC_OK)
				return st;
			if (e.bill == lo.bill) {
				if ((st = solve_step(c, lo, e, b)) != FC_OK)
					return st;
				return FC_OK;
			}
		}
		if (!skipped) {
			if ((st = guess_end(c, &lo, to, width, &e, &nx, &have_nx)) != FC_OK ||
			    (!have_nx && (st = step_end(c, &lo, to, width, &e)) != FC_OK) ||
			    (st = solve_step(c, lo, e, b)) != FC_OK)
				return st;
			width = e.u - lo.u + 1;
			next = e.u + 1;
		}
		if (next > to || (stop_first && b->nranges))
			return FC_OK;
		if (have_nx)
			lo = nx;
		else if ((st = at_light(c, next, &lo)) != FC_OK)
			return st;
	}
}

/* The lasting range's start when it was left pending (first and lasting
 * only): b's last range reaching `to`. */
static enum fc_status
settle_pending(const struct ctx *c, double to, struct fc_breakeven *b)
{
	if (b->nranges && c->pend->valid && b->from[b->nranges - 1] == c->pend->a.u + 1 &&
	    b->to[b->nranges - 1] >= to)
		return bisect(c, c->pend->a, c->pend->e, 0, &b->from[b->nranges - 1]);
	return FC_OK;
}

/* Whether [lo.u, hi.u] is proved cheaper whole, for a fleet sized to the
 * load (no fixed fleet, no cap, whose sizes bend the line): by the bound
 * on a run (run_cheap), the economies of scale (scale_cheap) or the
 * line's sign at both ends (proved). */
static int
cheap_between(const struct ctx *c, const struct pt *lo, const struct pt *hi)
{
	if (!c->bound)
		return 0;
	return proves_lazily(c, BETWEEN, lo, hi, hi->u);
}

/* Runs shorter than this ratio are not tried by descend. */
#define DESCEND_MIN_RATIO 1.05

/* The monotone bound's guess is tried when it moves top down by this
 * ratio at least (else the line's sign, from further down). */
#define DESCEND_BOUND_RATIO 1.5
/* Tries of descend that prove nothing, at most. */
#define DESCEND_FAILS 3

/*
 * First and lasting only, from the top: with flat cheaper at `to` (top),
 * the counts where the lasting range can start narrow to (dear, top]:
 * runs [u, top] proved cheaper whole (cheap_between) move top down to u
 * with one evaluation each; a dearer u moves dear up (*has_dear = 1).
 * u is where the monotone bound would just hold, were the API's total
 * the line through (lo.u, lo.api) and (top.u, top.api) (a guess:
 * cheap_between decides), else top / r, r shrinking after each failure,
 * or, once a dearer count is known, the geometric middle of dear and top.
 * It stops when the ratio is under DESCEND_MIN_RATIO or after
 * DESCEND_FAILS tries that prove nothing; only [lo or dear, top] then
 * needs the walk.
 */
static enum fc_status
descend(const struct ctx *c, const struct pt *lo, struct pt *top, struct pt *dear,
    int *has_dear)
{
	double r = 16, slope = (top->api - lo->api) / (top->u - lo->u), g;
	struct pt p;
	int fails = 0, use_r = 1, how, ch, yes;
	double probe = 0;   /* > 0: the last unproved probe above dear */
	enum fc_status st;

	*has_dear = 0;
	while (fails < DESCEND_FAILS) {
		double low = *has_dear ? fmax(dear->u, probe) : lo->u, u;
		/* dear and top in one step (the bill of a fleet sized to the
		 * load never falls): the walk over it is one bisection */
		if (top->u - low < 4 || (*has_dear && dear->bill == top->bill))
			break;
		g = c->bound && slope > 0 ?
		    ceil(lo->u + (top->fhi + FC_CENT - lo->api) / slope) : INFINITY;
		how = 0;
		if (*has_dear) {
			if (top->u / low < DESCEND_MIN_RATIO)
				break;
			u = floor(sqrt(top->u * low));
		} else if (use_r && r >= 2) {
			/* far down first: the line's sign may hold there */
			u = floor(top->u / r);
			how = 1;
		} else if (g * DESCEND_BOUND_RATIO <= top->u) {
			/* api(u) - fhi(top) reaches the cent */
			u = g;
		} else if (r >= DESCEND_MIN_RATIO) {
			u = floor(top->u / r);
			how = 1;
		} else {
			break;
		}
		u = fmin(fmax(u, low + 1), top->u - 2);
		if ((st = at_light(c, u, &p)) != FC_OK || (st = is_cheap(c, &p, &ch)) != FC_OK)
			return st;
		yes = ch && cheap_between(c, &p, top);
		if (!ch) {
			*has_dear = 1;
			*dear = p;
			probe = 0;
		} else if (yes) {
			if (how == 1)
				r = fmin(2 * r, 1024);
			*top = p;
			fails = 0;
			probe = 0;
		} else {
			/* between dear and top, the next probe is nearer top */
			probe = *has_dear ? p.u : 0;
			if (how == 1) {
				r = 1 + (r - 1) / 4;
				use_r = 0;
			}
			fails++;
		}
	}
	return FC_OK;
}

/* First and lasting only (fc_breakeven_first_lasting); b is set up and
 * flat is viable. */
static enum fc_status
search_ends(struct ctx *c, double from, double to, struct fc_breakeven *b)
{
	struct pt top, lo, dear;
	struct fc_breakeven fb;
	int has_dear, ch;
	enum fc_status st;

	if ((st = at_light(c, to, &top)) != FC_OK || (st = at_light(c, from, &lo)) != FC_OK ||
	    (st = is_cheap(c, &top, &ch)) != FC_OK)
		return st;
	if (!ch) {
		/* no lasting range: only the first counts */
		if ((st = walk(c, lo, to, 1, b)) != FC_OK)
			return st;
		if (b->nranges)
			b->first = b->from[0];
		return FC_OK;
	}
	has_dear = 0;
	if (c->bound && (st = descend(c, &lo, &top, &dear, &has_dear)) != FC_OK)
		return st;
	if (!has_dear) {
		/* [top, to] is cheaper: the walk over [from, top] decides both */
		if ((st = walk(c, lo, top.u, 0, b)) != FC_OK ||
		    (st = settle_pending(c, top.u, b)) != FC_OK)
			return st;
		if (b->nranges == 0)
			return FC_EDOM;  /* cannot be: top is cheaper */
		b->to[b->nranges - 1] = to;
		b->first = b->from[0];
		b->lasting = b->from[b->nranges - 1];
		return FC_OK;
	}
	/* dearer at dear.u, cheaper on [top, to]: the lasting range starts in
	 * (dear, top], the first anywhere from `from` */
	if ((st = walk(c, dear, top.u, 0, b)) != FC_OK ||
	    (st = settle_pending(c, top.u, b)) != FC_OK)
		return st;
	if (b->nranges == 0)
		return FC_EDOM;  /* cannot be: top is cheaper */
	b->lasting = b->from[b->nranges - 1];
	memset(&fb, 0, sizeof(fb));
	c->pend->valid = 0;
	if ((st = walk(c, lo, dear.u, 1, &fb)) != FC_OK)
		return st;
	b->first = fb.nranges ? fb.from[0] : b->from[0];
	b->nranges = 0;
	if (fb.nranges)
		add_range(b, b->first, b->first);
	add_range(b, b->lasting, to);
	return FC_OK;
}

static enum fc_status
search(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double from, double to, int ends,
    struct fc_breakeven *b)
{
	struct ctx c;
	struct pending pend;
	struct memo memo;
	struct ovcap_memo ovm;
	struct pt lo;
	enum fc_status st;

	memset(b, 0, sizeof(*b));
	b->first = b->lasting = NAN;
	b->searched_from = from;
	b->searched_to = to;
	if (!(from >= 1 && from <= to && from == floor(from) && to == floor(to)))
		return FC_EDOM;
	if ((st = ctx_init(s, in, tp, &c)) != FC_OK ||
	    (st = viability_cap(&c, &b->viability)) != FC_OK)
		return st;
	c.ends = ends;
	memset(&pend, 0, sizeof(pend));
	c.pend = &pend;
	memo.n = memo.next = 0;
	c.memo = &memo;
	ovm.n = ovm.next = 0;
	c.ovm = &ovm;
	if (!b->viability.viable)
		return FC_OK;
	if (ends)
		return search_ends(&c, from, to, b);
	if ((st = at_light(&c, from, &lo)) != FC_OK ||
	    (st = walk(&c, lo, to, 0, b)) != FC_OK ||
	    (st = settle_pending(&c, to, b)) != FC_OK)
		return st;
	if (b->nranges) {
		b->first = b->from[0];
		if (b->to[b->nranges - 1] >= to)
			b->lasting = b->from[b->nranges - 1];
	}
	return FC_OK;
}

enum fc_status
fc_breakeven_eval(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double from, double to, struct fc_breakeven *b)
{
	return search(s, in, tp, from, to, 0, b);
}

enum fc_status
fc_breakeven_first_lasting(const struct fc_scenario *s, const struct fc_inputs *in,
    const struct fc_throughput *tp, double from, double to, struct fc_breakeven *b)
{
	return search(s, in, tp, from, to, 1, b);
}

double
fc_breakeven_quantile(double *v, size_t m, double p)
{
	double h, f;
	size_t lo, hi;

	qsort(v, m, sizeof(double), fc_stats_cmp_double);
	h = (double)(m - 1) * p;
	lo = (size_t)floor(h);
	hi = lo + 1 < m ? lo + 1 : m - 1;
	f = h - (double)lo;
	if (isinf(v[lo]) || isinf(v[hi]))
		return f < 0.5 ? v[lo] : v[hi];
	return v[lo] + f * (v[hi] - v[lo]);
}

enum fc_status
fc_breakeven_crossing_users(const struct fc_breakeven *b, const double *lasting, size_t n,
    struct fc_crossing *c)
{
	double *v = NULL;
	size_t i, nstart = 0, nnone = 0;

	memset(c, 0, sizeof(*c));
	c->p5 = c->p50 = c->p95 = c->lasting = NAN;
	c->nranges = b->nranges;
	c->truncated = b->truncated;
	for (i = 0; i < b->nranges; i++) {
		c->from[i] = b->from[i];
		c->to[i] = b->to[i] >= b->searched_to ? NAN : b->to[i];
	}
	c->from_start = b->nranges && b->from[0] == b->searched_from;
	c->lasting = b->lasting;
	if (n == 0)
		return FC_OK;
	if ((v = fc_malloc(n * sizeof(double))) == NULL)
		return FC_ENOMEM;
	/* over the trials that have one, as simulate's percentiles */
	for (i = 0; i < n; i++) {
		if (isnan(lasting[i])) {
			nnone++;
			continue;
		}
		nstart += lasting[i] <= b->searched_from;
		v[c->nfound++] = lasting[i];
	}
	c->ntrials = (long)n;
	if (c->nfound) {
		c->p5 = fc_breakeven_quantile(v, (size_t)c->nfound, 0.05);
		c->p50 = fc_breakeven_quantile(v, (size_t)c->nfound, 0.50);
		c->p95 = fc_breakeven_quantile(v, (size_t)c->nfound, 0.95);
	}
	c->share_start = (double)nstart / (double)n;
	c->share_none = (double)nnone / (double)n;
	c->share_within = 1 - c->share_start - c->share_none;
	fc_free(v);
	return FC_OK;
}

/* Where flat - api reaches -FC_CENT between two points. */
static double
interp(double x0, double x1, double d0, double d1, int log_axis)
{
	double u0 = log_axis ? log(x0) : x0, u1 = log_axis ? log(x1) : x1, u;

	d0 += FC_CENT;
	d1 += FC_CENT;
	if (!(d0 != d1) || !isfinite(d0) || !isfinite(d1))
		return x1;
	u = u0 + (u1 - u0) * d0 / (d0 - d1);
	u = log_axis ? exp(u) : u;
	return u < x0 ? x0 : u > x1 ? x1 : u;
}

enum fc_status
fc_breakeven_crossing_grid(const double *x, size_t n, int log_axis, const double *d,
    const double *td, long trials, struct fc_crossing *c)
{
	size_t i;
	int in = 0;
	double *v;
	long t, nstart = 0, nnone = 0;

	memset(c, 0, sizeof(*c));
	c->p5 = c->p50 = c->p95 = c->lasting = NAN;
	for (i = 0; i < n; i++) {
		int now = cheap(d[i]);
		if (now && !in) {
			if (c->nranges == FC_MAX_RANGES) {
				c->truncated = 1;
				break;
			}
			c->from_start |= i == 0;
			c->from[c->nranges] = i == 0 ? x[0] :
			    interp(x[i - 1], x[i], d[i - 1], d[i], log_axis);
			c->to[c->nranges] = NAN;
			in = 1;
		} else if (!now && in) {
			c->to[c->nranges++] = interp(x[i - 1], x[i], d[i - 1], d[i], log_axis);
			in = 0;
		}
	}
	if (in)
		c->nranges++;
	c->lasting = c->nranges && isnan(c->to[c->nranges - 1]) && !c->truncated ?
	    c->from[c->nranges - 1] : NAN;
	if (td == NULL || trials < 1)
		return FC_OK;
	if ((v = fc_malloc((size_t)trials * sizeof(double))) == NULL)
		return FC_ENOMEM;
	for (t = 0; t < trials; t++) {
		v[t] = INFINITY;
		for (i = 0; i < n; i++) {
			double di = td[i * (size_t)trials + (size_t)t];
			if (cheap(di)) {
				v[t] = i == 0 ? -INFINITY : interp(x[i - 1], x[i],
				    td[(i - 1) * (size_t)trials + (size_t)t], di, log_axis);
				break;
			}
		}
		nstart += v[t] == -INFINITY;
		nnone += v[t] == INFINITY;
	}
	c->ntrials = trials;
	c->p5 = fc_breakeven_quantile(v, (size_t)trials, 0.05);
	c->p50 = fc_breakeven_quantile(v, (size_t)trials, 0.50);
	c->p95 = fc_breakeven_quantile(v, (size_t)trials, 0.95);
	c->share_start = (double)nstart / (double)trials;
	c->share_none = (double)nnone / (double)trials;
	c->share_within = 1 - c->share_start - c->share_none;
	fc_free(v);
	return FC_OK;
}
