/*
 * des.c: the day-long fleet simulation of des.h.
 *
 * Why it is fast enough to run inside a Monte Carlo loop (millions of
 * calls a second):
 * - Processor sharing with virtual time.  All calls on a server progress
 *   at the same rate g(n)/n, so each server keeps a virtual clock v (the
 *   single-stream seconds every active call has received) and each call
 *   the value of v at which it is done (its tag, v at start + size).  The
 *   next call to finish is the least tag: a small min-heap per server.  An
 *   arrival or departure updates v once instead of touching every call.
 *   (The classic PS bookkeeping, e.g. Kleinrock, "Queueing Systems" vol. 2,
 *   sec. 4.4.)
 * - Servers sit in a min-heap keyed by their next completion time, so an
 *   event costs O(log N + log max_slots).
 * - The router keeps one bitmap of servers per load level (active calls)
 *   and a bitmap of non-empty levels: the least-loaded server with a free
 *   slot, lowest index first, is two find-first-set scans.
 * - Queue abandonment is lazy: every waiting call has the same patience
 *   max_wait_s and the queue is FIFO, so its head always expires first.
 *   Expired calls are dropped when a slot frees or a call joins the queue;
 *   which calls overflow is the same as if each left at its deadline.
 * - Per-hour utilization is accumulated per event into the current hour's
 *   totals; at each hour boundary every server is brought up to date once.
 */
#include "des.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#define HOUR_S 3600.0
#define LN10 2.30258509299404568402
#define OFF_DAY 24             /* accumulator index for warm-up and drain */

/* Latency histogram: HIST_PER_DEC log-spaced bins a decade from HIST_LO
 * seconds.  A bin spans a factor 10^(1/250) = 1.0093, so its geometric
 * middle is within 0.47% of any value in it. */
#define HIST_LO 1e-4
#define HIST_PER_DEC 250
#define HIST_N (HIST_PER_DEC * 10)

enum gap_kind { GAP_EXP, GAP_GAMMA, GAP_FIXED };

/* A call on a server. */
struct slot {
	double tag;               /* virtual time at which it completes */
	double arr;               /* arrival time, s; < 0: warm-up, not counted */
};

struct server {
	double v;                 /* virtual time, single-stream s: see above */
	double t_v;               /* real time, s, at which v was last updated */
	double t_stat;            /* real time, s, busy time is counted up to */
	unsigned n;               /* active calls */
	struct slot *heap;        /* the n active calls, a min-heap on tag */
};

/* A server in the fleet heap. */
struct fent {
	double t;                 /* next completion time, s; INFINITY: idle */
	unsigned j;               /* server index */
};

/* A call in the central queue. */
struct waiting {
	double arr;               /* arrival time, s */
	double size;              /* single-stream service time, s */
};

/* Lognormal tokens per call with a given mean and CV (fixed when cv == 0). */
struct tokens {
	double mean;
	double mu, sigma;         /* of log(tokens) */
};

/* The arrival process: renewal gaps of mean 1 in operational time, mapped
 * onto real time through the piecewise-constant hourly rate. */
struct arrivals {
	const double *rate;       /* cfg->rate, calls/s */
	double warm_rate;         /* calls/s during warm-up (hour 23's) */
	int seg;                  /* -1 warm-up, 0..23 hour, 24 day over */
	double t;                 /* last arrival or segment start, s */
	double seg_end;           /* end of the current segment, s */
	enum gap_kind kind;
	double shape;             /* Gamma shape 1 / arrival_cv2 */
};

struct sim {
	const struct fc_des_config *cfg;
	gsl_rng *rng;
	unsigned ns, k;           /* servers, slots per server */
	double *irpc;             /* irpc[n] = n / g(n): real s per virtual s */
	double *rpc;              /* rpc[n] = g(n) / n: virtual s per real s */
	struct server *srv;
	struct slot *slots;       /* ns * k, the servers' heaps */
	struct fent *fh;          /* fleet heap, ns entries */
	unsigned *fpos;           /* server -> its index in fh */
	size_t sw;                /* words in one level's server bitmap */
	size_t lw;                /* words in the level bitmap */
	uint64_t *lvl_srv;        /* k bitmaps: servers with exactly n calls */
	uint64_t *lvl_mask;       /* bit n: some server has n calls (n < k) */
	unsigned *lvl_cnt;        /* servers with n calls, n < k */
	struct waiting *q;        /* ring buffer, qcap a power of two */
	size_t qcap, qhead, qlen;
	struct tokens tin, tout;
	double mean_s;            /* mean call size, s */
	int hour;                 /* 0..23, or OFF_DAY */
	double busy[OFF_DAY + 1]; /* server-seconds with >= 1 call */
	double area[OFF_DAY + 1]; /* call-seconds in service */
	uint64_t *hist;           /* HIST_N latency bins */
	double lat_sum, lat_min, lat_max;
	double calls, served, overflow, slo_met, events;
	double calls_h[24], over_h[24];
};

static int
ok_nonneg(double x)
{
	return isfinite(x) && x >= 0;
}

/* >= 0 and not NaN: INFINITY allowed. */
static int
ok_nonneg_inf(double x)
{
	return !isnan(x) && x >= 0;
}

static int
config_ok(const struct fc_des_config *c)
{
	unsigned n;
	int h;

	if (c->max_slots == 0)
		return 0;
	if (c->speedup != NULL)
		for (n = 1; n <= c->max_slots; n++)
			if (!(isfinite(c->speedup[n]) && c->speedup[n] > 0))
				return 0;
	if (!(c->prefill_tok_s > 0) || !(c->decode1_tok_s > 0))
		return 0;
	if (!ok_nonneg(c->in_mean) || !ok_nonneg(c->in_cv) ||
	    !ok_nonneg(c->out_mean) || !ok_nonneg(c->out_cv))
		return 0;
	for (h = 0; h < 24; h++)
		if (!ok_nonneg(c->rate[h]))
			return 0;
	return ok_nonneg(c->arrival_cv2) && ok_nonneg_inf(c->max_wait_s) &&
	    ok_nonneg_inf(c->slo_s) && ok_nonneg(c->warmup_s);
}

/* Lognormal with mean m and CV cv: sigma^2 = log(1 + cv^2),
 * mu = log(m) - sigma^2 / 2. */
static void
tokens_init(struct tokens *tk, double mean, double cv)
{
	double s2 = log1p(cv * cv);

	tk->mean = mean;
	tk->sigma = sqrt(s2);
	tk->mu = mean > 0 ? log(mean) - s2 / 2 : 0;
}

static double
tokens_draw(const struct tokens *tk, gsl_rng *rng)
{
	if (tk->sigma == 0 || tk->mean == 0)
		return tk->mean;
	return exp(tk->mu + tk->sigma * gsl_ran_gaussian_ziggurat(rng, 1.0));
}

/* Single-stream service time of the next call, s. */
static double
draw_size(struct sim *s)
{
	const struct fc_des_config *c = s->cfg;

	if (c->service_exponential)
		return gsl_ran_exponential(s->rng, s->mean_s);
	return tokens_draw(&s->tin, s->rng) / c->prefill_tok_s +
	    tokens_draw(&s->tout, s->rng) / c->decode1_tok_s;
}

static void
arrivals_init(struct arrivals *ar, const struct fc_des_config *c)
{
	ar->rate = c->rate;
	ar->warm_rate = c->rate[23];
	ar->seg = c->warmup_s > 0 ? -1 : 0;
	ar->t = -c->warmup_s;
	ar->seg_end = c->warmup_s > 0 ? 0 : HOUR_S;
	if (c->arrival_cv2 == 1) {
		ar->kind = GAP_EXP;
	} else if (c->arrival_cv2 == 0) {
		ar->kind = GAP_FIXED;
	} else {
		ar->kind = GAP_GAMMA;
		ar->shape = 1 / c->arrival_cv2;
	}
}

/* The next arrival time, s, or INFINITY when the day is over. */
static double
arrivals_next(struct arrivals *ar, gsl_rng *rng)
{
	double g, r;

	if (ar->seg >= 24)
		return INFINITY;
	switch (ar->kind) {
	case GAP_EXP:
		g = gsl_ran_exponential(rng, 1.0);
		break;
	case GAP_GAMMA:
		g = gsl_ran_gamma(rng, ar->shape, 1 / ar->shape);
		break;
	default:
		g = 1.0;
		break;
	}
	/* Spend g units of operational time (expected arrivals) through the
	 * segments: real time = inverse of the cumulative rate. */
	for (;;) {
		r = ar->seg < 0 ? ar->warm_rate : ar->rate[ar->seg];
		if (r > 0) {
			double dt = g / r;

			if (ar->t + dt < ar->seg_end) {
				ar->t += dt;
				return ar->t;
			}
			g -= (ar->seg_end - ar->t) * r;
			if (g < 0)
				g = 0;
		}
		if (++ar->seg >= 24)
			return INFINITY;
		ar->t = ar->seg_end;
		ar->seg_end = (ar->seg + 1) * HOUR_S;
	}
}

static int
hour_of(double t)
{
	int h = (int)(t / HOUR_S);

	return h > 23 ? 23 : h;
}

/* --- per-server heap of active calls, least tag first --- */

static void
slot_push(struct server *v, struct slot x)
{
	struct slot *h = v->heap;
	unsigned i = v->n;

	while (i > 0) {
		unsigned p = (i - 1) / 2;

		if (h[p].tag <= x.tag)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = x;
	v->n++;
}

static struct slot
slot_pop(struct server *v)
{
	struct slot *h = v->heap, top = h[0], x;
	unsigned n = --v->n, i = 0;

	if (n == 0)
		return top;
	x = h[n];
	for (;;) {
		unsigned l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = (l + 1 < n && h[l + 1].tag < h[l].tag) ? l + 1 : l;
		if (x.tag <= h[m].tag)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = x;
	return top;
}

/* --- fleet heap of servers, earliest completion first --- */

static void
fleet_set(struct sim *s, unsigned j, double t)
{
	struct fent *h = s->fh;
	unsigned i = s->fpos[j], n = s->ns;

	while (i > 0 && h[(i - 1) / 2].t > t) {
		unsigned p = (i - 1) / 2;

		h[i] = h[p];
		s->fpos[h[i].j] = i;
		i = p;
	}
	for (;;) {
		unsigned l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = (l + 1 < n && h[l + 1].t < h[l].t) ? l + 1 : l;
		if (t <= h[m].t)
			break;
		h[i] = h[m];
		s->fpos[h[i].j] = i;
		i = m;
	}
	h[i].t = t;
	h[i].j = j;
	s->fpos[j] = i;
}

/* --- router: servers by load level --- */

static void
level_add(struct sim *s, unsigned j, unsigned lvl)
{
	if (lvl >= s->k)
		return;  /* full: not a candidate */
	s->lvl_srv[lvl * s->sw + (j >> 6)] |= (uint64_t)1 << (j & 63);
	if (s->lvl_cnt[lvl]++ == 0)
		s->lvl_mask[lvl >> 6] |= (uint64_t)1 << (lvl & 63);
}

static void
level_del(struct sim *s, unsigned j, unsigned lvl)
{
	if (lvl >= s->k)
		return;
	s->lvl_srv[lvl * s->sw + (j >> 6)] &= ~((uint64_t)1 << (j & 63));
	if (--s->lvl_cnt[lvl] == 0)
		s->lvl_mask[lvl >> 6] &= ~((uint64_t)1 << (lvl & 63));
}

/* The least-loaded server with a free slot, lowest index first; -1: none. */
static long
find_free(const struct sim *s)
{
	size_t i, m;

	for (i = 0; i < s->lw; i++) {
		if (s->lvl_mask[i]) {
			size_t lvl = i * 64 + (size_t)__builtin_ctzll(s->lvl_mask[i]);
			const uint64_t *w = s->lvl_srv + lvl * s->sw;

			for (m = 0; m < s->sw; m++)
				if (w[m])
					return (long)(m * 64 +
					    (size_t)__builtin_ctzll(w[m]));
		}
	}
	return -1;
}

/* --- accounting --- */

/* Counts busy time and calls in service on v up to t. */
static void
stat_to(struct sim *s, struct server *v, double t)
{
	double dt = t - v->t_stat;

	if (v->n) {
		s->busy[s->hour] += dt;
		s->area[s->hour] += v->n * dt;
	}
	v->t_stat = t;
}

static void
record_served(struct sim *s, double lat)
{
	double x;
	int b = 0;

	s->served++;
	s->lat_sum += lat;
	if (lat < s->lat_min)
		s->lat_min = lat;
	if (lat > s->lat_max)
		s->lat_max = lat;
	if (lat <= s->cfg->slo_s)
		s->slo_met++;
	if (lat > HIST_LO) {
		x = log(lat / HIST_LO) * (HIST_PER_DEC / LN10);
		b = x >= HIST_N - 1 ? HIST_N - 1 : (int)x;
	}
	s->hist[b]++;
}

static void
record_overflow(struct sim *s, double arr)
{
	if (arr >= 0) {
		s->overflow++;
		s->over_h[hour_of(arr)]++;
	}
}

/* --- calls on servers --- */

/* Starts a call of the given size on server j at time t. */
static void
start_call(struct sim *s, unsigned j, double t, double arr, double size)
{
	struct server *v = &s->srv[j];

	if (v->n)
		v->v += (t - v->t_v) * s->rpc[v->n];
	v->t_v = t;
	slot_push(v, (struct slot){ v->v + size, arr });
}

/* Puts server j's next completion into the fleet heap. */
static void
reschedule(struct sim *s, unsigned j, double t)
{
	const struct server *v = &s->srv[j];

	fleet_set(s, j, v->n ? t + (v->heap[0].tag - v->v) * s->irpc[v->n] :
	    INFINITY);
}

/* Drops the calls at the head of the queue that have waited longer than
 * max_wait_s by time t. */
static void
queue_prune(struct sim *s, double t)
{
	double mw = s->cfg->max_wait_s;

	while (s->qlen && s->q[s->qhead].arr + mw < t) {
		record_overflow(s, s->q[s->qhead].arr);
		s->qhead = (s->qhead + 1) & (s->qcap - 1);
		s->qlen--;
	}
}

static enum fc_status
queue_push(struct sim *s, double arr, double size)
{
	if (s->qlen == s->qcap) {
		size_t ncap = s->qcap ? 2 * s->qcap : 256, i;
		struct waiting *nq;

		if (ncap > SIZE_MAX / sizeof(*nq))
			return FC_ENOMEM;
		if ((nq = fc_malloc(ncap * sizeof(*nq))) == NULL)
			return FC_ENOMEM;
		for (i = 0; i < s->qlen; i++)
			nq[i] = s->q[(s->qhead + i) & (s->qcap - 1)];
		fc_free(s->q);
		s->q = nq;
		s->qcap = ncap;
		s->qhead = 0;
	}
	s->q[(s->qhead + s->qlen) & (s->qcap - 1)] = (struct waiting){ arr, size };
	s->qlen++;
	return FC_OK;
}

/* The call that completes first on server j, at time t. */
static void
on_departure(struct sim *s, unsigned j, double t)
{
	struct server *v = &s->srv[j];
	struct slot done;

	stat_to(s, v, t);
	level_del(s, j, v->n);
	done = slot_pop(v);
	/* It is done exactly when v reaches its tag; setting v there (rather
	 * than integrating the rate) keeps rounding from piling up. */
	v->v = v->n ? done.tag : 0;
	v->t_v = t;
	if (done.arr >= 0)
		record_served(s, t - done.arr);
	if (s->qlen) {
		/* The queue is non-empty only while every slot is taken, so
		 * j is the only server with a free slot. */
		queue_prune(s, t);
		if (s->qlen) {
			struct waiting w = s->q[s->qhead];

			s->qhead = (s->qhead + 1) & (s->qcap - 1);
			s->qlen--;
			start_call(s, j, t, w.arr, w.size);
		}
	}
	level_add(s, j, v->n);
	reschedule(s, j, t);
}

static enum fc_status
on_arrival(struct sim *s, double t)
{
	double size = draw_size(s);
	long j;

	if (t >= 0) {
		s->calls++;
		s->calls_h[hour_of(t)]++;
	}
	if ((j = find_free(s)) >= 0) {
		struct server *v = &s->srv[j];

		stat_to(s, v, t);
		level_del(s, (unsigned)j, v->n);
		start_call(s, (unsigned)j, t, t, size);
		level_add(s, (unsigned)j, v->n);
		reschedule(s, (unsigned)j, t);
		return FC_OK;
	}
	if (s->cfg->max_wait_s == 0) {
		record_overflow(s, t);
		return FC_OK;
	}
	queue_prune(s, t);
	return queue_push(s, t, size);
}

/* Brings every server's accounting up to the boundary t and moves on to
 * the accumulators of the next hour (or OFF_DAY). */
static void
on_hour(struct sim *s, double t, int next_hour)
{
	unsigned j;

	for (j = 0; j < s->ns; j++)
		stat_to(s, &s->srv[j], t);
	s->hour = next_hour;
}

/* The latency below which a share q of served calls lies, from the
 * histogram (nearest rank), clamped to the latencies seen. */
static double
percentile(const struct sim *s, double q)
{
	double rank = ceil(q * s->served), cum = 0, x;
	int b;

	if (rank < 1)
		rank = 1;
	for (b = 0; b < HIST_N - 1; b++) {
		cum += (double)s->hist[b];
		if (cum >= rank)
			break;
	}
	x = HIST_LO * pow(10.0, (b + 0.5) / HIST_PER_DEC);
	if (x < s->lat_min)
		x = s->lat_min;
	if (x > s->lat_max)
		x = s->lat_max;
	return x;
}

static void
fill_result(const struct sim *s, struct fc_des_result *out)
{
	int h;

	memset(out, 0, sizeof(*out));
	out->calls = s->calls;
	out->served = s->served;
	out->overflow = s->overflow;
	out->overflow_share = s->calls > 0 ? s->overflow / s->calls : 0;
	out->slo_met_share = s->calls > 0 ? s->slo_met / s->calls : 1;
	if (s->served > 0) {
		out->lat_mean = s->lat_sum / s->served;
		out->lat_p50 = percentile(s, 0.50);
		out->lat_p95 = percentile(s, 0.95);
		out->lat_p99 = percentile(s, 0.99);
	}
	for (h = 0; h < 24; h++) {
		out->calls_by_hour[h] = s->calls_h[h];
		out->overflow_by_hour[h] = s->over_h[h];
		out->util_by_hour[h] = s->ns ? s->busy[h] / (s->ns * HOUR_S) : 0;
		out->mean_active_by_hour[h] = s->area[h] / HOUR_S;
	}
	out->events = s->events;
}

static void
sim_free(struct sim *s)
{
	fc_free(s->rpc);
	fc_free(s->irpc);
	fc_free(s->srv);
	fc_free(s->slots);
	fc_free(s->fh);
	fc_free(s->fpos);
	fc_free(s->lvl_srv);
	fc_free(s->lvl_mask);
	fc_free(s->lvl_cnt);
	fc_free(s->q);
	fc_free(s->hist);
}

static enum fc_status
sim_init(struct sim *s, const struct fc_des_config *c, gsl_rng *rng)
{
	unsigned n, j;

	memset(s, 0, sizeof(*s));
	s->cfg = c;
	s->rng = rng;
	s->ns = c->servers;
	s->k = c->max_slots;
	s->sw = ((size_t)s->ns + 63) / 64;
	s->lw = ((size_t)s->k + 63) / 64;
	s->rpc = fc_calloc((size_t)s->k + 1, sizeof(*s->rpc));
	s->irpc = fc_calloc((size_t)s->k + 1, sizeof(*s->irpc));
	s->srv = fc_calloc(s->ns, sizeof(*s->srv));
	s->slots = fc_calloc((size_t)s->ns * s->k, sizeof(*s->slots));
	s->fh = fc_calloc(s->ns, sizeof(*s->fh));
	s->fpos = fc_calloc(s->ns, sizeof(*s->fpos));
	s->lvl_srv = fc_calloc((size_t)s->k * s->sw, sizeof(*s->lvl_srv));
	s->lvl_mask = fc_calloc(s->lw, sizeof(*s->lvl_mask));
	s->lvl_cnt = fc_calloc(s->k, sizeof(*s->lvl_cnt));
	s->hist = fc_calloc(HIST_N, sizeof(*s->hist));
	if (!s->rpc || !s->irpc || !s->srv || !s->slots || !s->fh ||
	    !s->fpos || !s->lvl_srv || !s->lvl_mask || !s->lvl_cnt || !s->hist)
		return FC_ENOMEM;
	for (n = 1; n <= s->k; n++) {
		double g = c->speedup ? c->speedup[n] : 1.0;

		s->rpc[n] = g / n;
		s->irpc[n] = n / g;
	}
	for (j = 0; j < s->ns; j++) {
		s->srv[j].heap = s->slots + (size_t)j * s->k;
		s->srv[j].t_v = s->srv[j].t_stat = -c->warmup_s;
		s->fh[j].t = INFINITY;
		s->fh[j].j = j;
		s->fpos[j] = j;
		level_add(s, j, 0);
	}
	tokens_init(&s->tin, c->in_mean, c->in_cv);
	tokens_init(&s->tout, c->out_mean, c->out_cv);
	s->mean_s = c->in_mean / c->prefill_tok_s + c->out_mean / c->decode1_tok_s;
	s->hour = OFF_DAY;
	s->lat_min = INFINITY;
	s->lat_max = 0;
	return FC_OK;
}

enum fc_status
fc_des_run(const struct fc_des_config *cfg, gsl_rng *rng,
    struct fc_des_result *out)
{
	struct sim s;
	struct arrivals ar;
	double ta, th;
	int next_b = 0;           /* next hour boundary, at next_b * 3600 s */
	enum fc_status st;

	if (cfg == NULL || rng == NULL || out == NULL || !config_ok(cfg))
		return FC_EINVAL;
	if ((st = sim_init(&s, cfg, rng)) != FC_OK)
		goto out;
	arrivals_init(&ar, cfg);
	ta = arrivals_next(&ar, rng);
	th = 0;
	/* Ties: a completion first (it frees a slot for the arrival), then
	 * the hour boundary, then the arrival. */
	for (;;) {
		double td = s.ns ? s.fh[0].t : INFINITY;

		if (td <= ta && td <= th) {
			if (td == INFINITY)
				break;
			on_departure(&s, s.fh[0].j, td);
			s.events++;
		} else if (th <= ta) {
			on_hour(&s, th, next_b < 24 ? next_b : OFF_DAY);
			next_b++;
			th = next_b <= 24 ? next_b * HOUR_S : INFINITY;
		} else {
			if ((st = on_arrival(&s, ta)) != FC_OK)
				goto out;
			s.events++;
			ta = arrivals_next(&ar, rng);
		}
	}
	/* Only a fleet of no servers leaves calls waiting: they overflow. */
	while (s.qlen) {
		record_overflow(&s, s.q[s.qhead].arr);
		s.qhead = (s.qhead + 1) & (s.qcap - 1);
		s.qlen--;
	}
	fill_result(&s, out);
	st = FC_OK;
out:
	sim_free(&s);
	return st;
}
