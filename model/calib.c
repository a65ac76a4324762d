/*
 * calib.c: the accumulator behind flatcost calibrate and the fit.
 *
 * Every record is folded into running sums at once, all of them per day
 * (calls, tokens by batch or not, per-call Welford sums, hours of day,
 * flags, gaps, traces by the day of their first call), per user (calls,
 * first seen, calls per active day), per open trace (last seen; closed
 * after trace_window_s without a call), per model and day (tokens, for
 * the bill at each model's price).  A fit over any range of days (the
 * whole log, or its first three quarters for the out-of-sample back-test)
 * therefore needs no second reading.  Memory grows with users times their
 * active days, models times days and the traces open within the window,
 * not with rows.
 */
#include "calib.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "calib_int.h"
#include "dist.h"
#include "stats.h"

#define DAY ((double)FC_SECONDS_PER_DAY)
#define MONTH_DAYS 30.4375    /* a calendar month, days */
#define Z90 1.6448536269514722
#define MAX_MODEL_NAMES 64

const char *const fc_calib_role_names[FC_NROLES] = {
	"ts", "user", "in", "out", "cached", "trace", "ok", "model", "batch",
	"spend", "n", "end", "end_user", "type", "cache_hit", "call_end",
};

static const char *const format_names[] = {
	"auto", "csv", "litellm", "openai-usage", "langfuse", NULL,
};

const char *
fc_calib_format_name(enum fc_calib_format f)
{
	return (size_t)f < 5 ? format_names[f] : "?";
}

int
fc_calib_format_parse(const char *s)
{
	int i;

	for (i = 0; format_names[i]; i++)
		if (strcmp(s, format_names[i]) == 0)
			return i;
	return -1;
}

void
fc_calib_opts_init(struct fc_calib_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FC_CALIB_AUTO;
	o->since = NAN;
	o->until = NAN;
	o->trace_window_s = 3600;
}

/* An open-addressing hash set of strings with a payload. */
/* A user's calls on one day (days as Unix days, floor(t / 86400)). */
struct uday {
	long day;
	double calls;
};

#define HKEY_INLINE 24   /* keys shorter than this are kept in the entry */

struct hent {
	int used;           /* 0: an empty slot */
	char ikey[HKEY_INLINE]; /* the key when it is short (no allocation, no pointer
	                     * to follow: most user and trace ids) */
	char *heap;         /* else the key, owned */
	uint64_t h;
	double a, b;        /* users: calls, first seen; traces: last seen, calls */
	double c;           /* traces: the Unix day of the first call */
	double t_lo, t_hi, dsum, dmax;  /* traces: first start, last end, the sum and the
	                                 * longest of its calls' durations (with end times) */
	struct uday *ud;    /* users: calls per active day, by day; owned; the last
	                     * one's calls are last_calls, kept here (no pointer to
	                     * follow for the next call on the same day) */
	size_t nud, capud;
	long last_day;
	double last_calls;
};

struct htab {
	struct hent *v;
	size_t cap, n;      /* cap a power of two */
	size_t last;        /* the slot found last (logs repeat a key row after
	                     * row); cap: none */
};

static uint64_t
hash_str(const char *s, size_t *len)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = s; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	*len = (size_t)(p - s);
	return h;
}

static const char *
hkey(const struct hent *e)
{
	return e->heap ? e->heap : e->ikey;
}

/* Asks for huge pages under a large table (a hint: lookups land anywhere
 * in it, and each 4 KiB page would cost a TLB miss). */
static void
huge_pages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), e = ((uintptr_t)p + len) & ~(huge - 1);

	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

static enum fc_status
htab_grow(struct htab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 1024, i;
	struct hent *nv = fc_calloc(ncap, sizeof(*nv));

	if (nv == NULL)
		return FC_ENOMEM;
	huge_pages(nv, ncap * sizeof(*nv));
	for (i = 0; i < t->cap; i++) {
		size_t j;
		if (!t->v[i].used)
			continue;
		for (j = t->v[i].h & (ncap - 1); nv[j].used; j = (j + 1) & (ncap - 1))
			;
		nv[j] = t->v[i];
	}
	fc_free(t->v);
	t->v = nv;
	t->cap = ncap;
	t->last = ncap;
	return FC_OK;
}

/* The entry for key, added (a = b = 0, *isnew = 1) when absent; NULL on
 * FC_ENOMEM. */
static struct hent *
htab_get(struct htab *t, const char *key, int *isnew)
{
	uint64_t h;
	size_t j, len;

	*isnew = 0;
	if (t->last < t->cap && t->v[t->last].used && strcmp(hkey(&t->v[t->last]), key) == 0)
		return &t->v[t->last];
	h = hash_str(key, &len);
	if ((t->n + 1) * 2 > t->cap && htab_grow(t) != FC_OK)
		return NULL;
	for (j = h & (t->cap - 1); t->v[j].used; j = (j + 1) & (t->cap - 1))
		if (t->v[j].h == h && strcmp(hkey(&t->v[j]), key) == 0) {
			t->last = j;
			return &t->v[j];
		}
	if (len < HKEY_INLINE) {
		memcpy(t->v[j].ikey, key, len + 1);
		t->v[j].heap = NULL;
	} else if ((t->v[j].heap = fc_strdup(key)) == NULL) {
		return NULL;
	}
	t->v[j].used = 1;
	t->v[j].h = h;
	t->v[j].a = t->v[j].b = t->v[j].c = 0;
	t->v[j].t_lo = INFINITY;
	t->v[j].t_hi = -INFINITY;
	t->v[j].dsum = t->v[j].dmax = 0;
	t->v[j].ud = NULL;
	t->v[j].nud = t->v[j].capud = 0;
	t->n++;
	t->last = j;
	*isnew = 1;
	return &t->v[j];
}

static void
htab_free(struct htab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		fc_free(t->v[i].heap);
		fc_free(t->v[i].ud);
	}
	fc_free(t->v);
	memset(t, 0, sizeof(*t));
}

struct fc_calib;
static void trace_closed(struct fc_calib *c, const struct hent *e);

/* Drops the entries whose a (last seen) is before cutoff, by rebuilding;
 * each is a closed trace (trace_closed). */
static enum fc_status
htab_expire(struct htab *t, double cutoff, struct fc_calib *c)
{
	struct htab nt = { NULL, 0, 0, 0 };
	size_t i, keep = 0;

	for (i = 0; i < t->cap; i++)
		if (t->v[i].used && t->v[i].a >= cutoff)
			keep++;
	if (keep == t->n)
		return FC_OK;
	/* the same size unless far too large: the traces opened until the next
	 * expiry would grow a smaller table back, each growth a rehash */
	nt.cap = 1024;
	while (nt.cap < keep * 2 + 2)
		nt.cap *= 2;
	if (t->cap <= nt.cap * 8)
		nt.cap = t->cap;
	if ((nt.v = fc_calloc(nt.cap, sizeof(*nt.v))) == NULL)
		return FC_ENOMEM;
	huge_pages(nt.v, nt.cap * sizeof(*nt.v));
	for (i = 0; i < t->cap; i++) {
		size_t j;
		if (!t->v[i].used)
			continue;
		if (t->v[i].a < cutoff) {
			trace_closed(c, &t->v[i]);
			fc_free(t->v[i].heap);
			continue;
		}
		for (j = t->v[i].h & (nt.cap - 1); nt.v[j].used; j = (j + 1) & (nt.cap - 1))
			;
		nt.v[j] = t->v[i];
		nt.n++;
	}
	fc_free(t->v);
	nt.last = nt.cap;
	*t = nt;
	return FC_OK;
}

/* Tokens of a day's calls (all, or one model's); [1] batch calls. */
struct tok {
	double in_unc[2], cached[2], out[2];
	double calls;
};

/*
 * Single calls' latencies in a histogram of LAT_PER_DECADE bins a decade
 * from 1 ms to 10^4 s (those outside in the end bins): the API's P50 and
 * P95 within 2.3% (a bin's ratio, 10^(1/100)) without keeping every
 * call, summed over days like the other sums.
 */
#define LAT_PER_DECADE 100
#define LAT_LOG10_LO (-3)
#define LAT_BINS (7 * LAT_PER_DECADE)

static int
lat_bin(double l)
{
	double b = floor((log10(l > 1e-9 ? l : 1e-9) - LAT_LOG10_LO) * LAT_PER_DECADE);

	return b < 0 ? 0 : b >= LAT_BINS ? LAT_BINS - 1 : (int)b;
}

/* The q-quantile of the histogram's n latencies: log-linear within the bin
 * where the cumulative count reaches q n. */
static double
lat_quantile(const double *h, double n, double q)
{
	double want = q * n, cum = 0;
	int i;

	for (i = 0; i < LAT_BINS; i++) {
		if (h[i] > 0 && cum + h[i] >= want) {
			double frac = (want - cum) / h[i];
			return pow(10, LAT_LOG10_LO + (i + frac) / LAT_PER_DECADE);
		}
		cum += h[i];
	}
	return NAN;
}

/* The sums of one day, and of a range of days (sums_add). */
struct sums {
	double calls, tlo, thi;   /* first call, last call (or bucket end) */
	double sum_in, sum_out, sum_cached, cached_calls;
	double w_n, w_in_mean, w_in_m2, w_out_mean, w_out_m2;  /* Welford, per call */
	double hour[24], hours_n;
	double batch_calls, batch_known, ok1, ok0, spend;
	double trace_calls;       /* calls with a trace id */
	double n_traces;          /* traces whose first call is on the day */
	double trace_sumsq;       /* the same traces' (calls)^2, once closed */
	double gap_w, gap_cv2;    /* arrival gaps of the clock hours starting on the day */
	double g_n, g_x, g_y, g_xx, g_xy;  /* context growth */
	double other_model_calls; /* calls of models past the 64 names kept */
	double lat_n, lat_s, lat_s2;  /* single calls' latencies (end - start), seconds */
	double lat_h[LAT_BINS];   /* and their histogram (lat_bin) */
	double ov_n, ov_s;        /* traces of 2+ timed calls, by their first day: their
	                           * overlap (trace_overlap) summed */
};

struct day {
	struct sums s;
	struct tok t;
};

struct fc_calib {
	struct fc_calib_opts o;
	struct htab users, traces;
	struct day *days;
	long nday, capday;
	double day_base;          /* Unix seconds of days[0] at 00:00 UTC; NAN: none yet */
	double rows, bad, filtered, cache_hits;
	double tmax_trace;
	int have_spend, aggregated;
	long since_expire;
	/* arrival gaps within one (day, hour) cell */
	double cell, cell_last, cell_n, cell_s, cell_s2;
	double tz_cell, tz_off;   /* the clock hour utc_offset_s was last asked for, its answer */
	char *model_name[MAX_MODEL_NAMES];
	struct tok *model_day[MAX_MODEL_NAMES];  /* capday each, indexed as days */
	size_t n_model, last_model;
	enum fc_calib_format detected;
	long files;
};

enum fc_status
fc_calib_new(const struct fc_calib_opts *o, struct fc_calib **out)
{
	struct fc_calib *c = fc_calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL)
		return FC_ENOMEM;
	c->o = *o;
	c->day_base = NAN;
	c->cell = -1;
	c->tz_cell = NAN;
	c->detected = FC_CALIB_AUTO;
	*out = c;
	return FC_OK;
}

void
fc_calib_free(struct fc_calib *c)
{
	size_t i;

	if (c == NULL)
		return;
	htab_free(&c->users);
	htab_free(&c->traces);
	fc_free(c->days);
	for (i = 0; i < c->n_model; i++) {
		fc_free(c->model_name[i]);
		fc_free(c->model_day[i]);
	}
	fc_free(c);
}

const struct fc_calib_opts *
fc_calib_get_opts(const struct fc_calib *c)
{
	return &c->o;
}

void
fc_calib_note_format(struct fc_calib *c, enum fc_calib_format f)
{
	if (c->detected == FC_CALIB_AUTO)
		c->detected = f;
	c->files++;
}

void
fc_calib_note_bad(struct fc_calib *c)
{
	c->bad++;
}

void
fc_calib_note_cache_hit(struct fc_calib *c)
{
	c->cache_hits++;
}

double
fc_calib_bad_rows(const struct fc_calib *c)
{
	return c->bad;
}

/* Grows the day arrays (days and each model's) to ncap days. */
static enum fc_status
grow_days(struct fc_calib *c, long ncap)
{
	struct day *nd = fc_realloc(c->days, (size_t)ncap * sizeof(*nd));
	size_t i;

	if (nd == NULL)
		return FC_ENOMEM;
	c->days = nd;
	for (i = 0; i < c->n_model; i++) {
		struct tok *nt = fc_realloc(c->model_day[i], (size_t)ncap * sizeof(*nt));
		if (nt == NULL)
			return FC_ENOMEM;
		c->model_day[i] = nt;
	}
	c->capday = ncap;
	return FC_OK;
}

/* Adds n empty days to the day arrays: before the first when front, else
 * after the last; the arrays have room. */
static void
add_days(struct fc_calib *c, long n, int front)
{
	size_t i, nd = (size_t)c->nday, k = (size_t)n;

	if (front)
		memmove(c->days + k, c->days, nd * sizeof(*c->days));
	memset(c->days + (front ? 0 : nd), 0, k * sizeof(*c->days));
	for (i = 0; i < c->n_model; i++) {
		struct tok *t = c->model_day[i];
		if (front)
			memmove(t + k, t, nd * sizeof(*t));
		memset(t + (front ? 0 : nd), 0, k * sizeof(*t));
	}
	c->nday += n;
}

/* The index of the day of Unix time ts, growing the arrays; -1 on
 * FC_ENOMEM. */
static long
day_of(struct fc_calib *c, double ts)
{
	double dstart = floor(ts / DAY) * DAY;
	long k;

	if (isnan(c->day_base))
		c->day_base = dstart;
	if (dstart < c->day_base) {
		long shift = (long)((c->day_base - dstart) / DAY + 0.5);
		if (c->nday + shift > c->capday && grow_days(c, (c->nday + shift) * 2) != FC_OK)
			return -1;
		add_days(c, shift, 1);
		c->day_base = dstart;
	}
	k = (long)((dstart - c->day_base) / DAY + 0.5);
	if (k >= c->capday && grow_days(c, k < 64 ? 64 : k * 2) != FC_OK)
		return -1;
	if (k >= c->nday)
		add_days(c, k + 1 - c->nday, 0);
	return k;
}

/* Adds a call's tokens to t. */
static void
tok_add(struct tok *t, int b, double n, double in_unc, double cached, double out)
{
	t->in_unc[b] += in_unc;
	t->cached[b] += cached;
	t->out[b] += out;
	t->calls += n;
}

/* The day index of Unix day ud (one the arrays hold). */
static long
day_index(const struct fc_calib *c, double ud)
{
	return (long)(ud - floor(c->day_base / DAY) + 0.5);
}

/* Counts n calls of model m on day k, with their tokens. */
static enum fc_status
add_model(struct fc_calib *c, const char *m, double n, long k, int b,
    double in_unc, double cached, double out)
{
	size_t i = c->last_model;

	/* logs repeat the same model row after row: try the last one first */
	if (!(i < c->n_model && strcmp(c->model_name[i], m) == 0)) {
		for (i = 0; i < c->n_model; i++)
			if (strcmp(c->model_name[i], m) == 0)
				break;
	}
	if (i == c->n_model) {
		if (c->n_model == MAX_MODEL_NAMES) {
			c->days[k].s.other_model_calls += n;
			return FC_OK;
		}
		c->model_day[i] = fc_calloc((size_t)c->capday, sizeof(struct tok));
		if (c->model_day[i] == NULL || (c->model_name[i] = fc_strdup(m)) == NULL) {
			fc_free(c->model_day[i]);
			c->model_day[i] = NULL;
			return FC_ENOMEM;
		}
		c->n_model++;
	}
	c->last_model = i;
	tok_add(&c->model_day[i][k], b, n, in_unc, cached, out);
	return FC_OK;
}

/* Gaps between calls within one clock hour of one day: the diurnal swing
 * between hours does not inflate the cv.  A closed hour's cv goes to the
 * day it starts on. */
static void
add_gap(struct fc_calib *c, double ts)
{
	double cell = floor(ts / 3600);

	if (cell != c->cell) {
		if (c->cell_n >= 10) {
			double m = c->cell_s / c->cell_n;
			double var = c->cell_s2 / c->cell_n - m * m;
			if (m > 0) {
				struct sums *d = &c->days[day_index(c, floor(c->cell * 3600 / DAY))].s;
				d->gap_cv2 += c->cell_n * fmax(var, 0) / (m * m);
				d->gap_w += c->cell_n;
			}
		}
		c->cell = cell;
		c->cell_n = c->cell_s = c->cell_s2 = 0;
		c->cell_last = ts;
		return;
	}
	if (ts >= c->cell_last) {
		double g = ts - c->cell_last;
		c->cell_n++;
		c->cell_s += g;
		c->cell_s2 += g * g;
	}
	c->cell_last = ts;
}

/* How much a trace's calls overlap: 0 when they run one after another
 * (the trace's span is at least the sum of its calls' durations), 1 when
 * they all run at once (the span is its longest call):
 * (sum - span) / (sum - longest), clamped to [0, 1].  -1: not measured
 * (under 2 calls with end times). */
static double
trace_overlap(const struct hent *e)
{
	double span = e->t_hi - e->t_lo;

	if (!(e->dsum > e->dmax) || !(span >= 0) || e->b < 2)
		return -1;
	return fmin(fmax((e->dsum - span) / (e->dsum - e->dmax), 0), 1);
}

/* A trace closed: the square of its calls, and its overlap, on the day of
 * its first call. */
static void
trace_closed(struct fc_calib *c, const struct hent *e)
{
	struct sums *s = &c->days[day_index(c, e->c)].s;
	double ov = trace_overlap(e);

	s->trace_sumsq += e->b * e->b;
	if (ov >= 0) {
		s->ov_n++;
		s->ov_s += ov;
	}
}

/* Adds n calls on Unix day ud to user e's days (kept in order). */
static enum fc_status
user_day(struct hent *e, long ud, double n)
{
	size_t lo = 0, hi = e->nud;

	if (e->nud > 0 && e->last_day == ud) {
		e->last_calls += n;    /* the common case: a sorted log */
		return FC_OK;
	}
	if (e->nud > 0)
		e->ud[e->nud - 1].calls = e->last_calls;
	if (e->nud > 0 && e->last_day > ud) {
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (e->ud[mid].day < ud)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (e->ud[lo].day == ud) {
			e->ud[lo].calls += n;
			e->last_calls = e->ud[e->nud - 1].calls;
			return FC_OK;
		}
	} else {
		lo = e->nud;
	}
	if (e->nud == e->capud) {
		size_t ncap = e->capud ? e->capud * 2 : 4;
		struct uday *t = fc_realloc(e->ud, ncap * sizeof(*t));
		if (t == NULL)
			return FC_ENOMEM;
		e->ud = t;
		e->capud = ncap;
	}
	memmove(e->ud + lo + 1, e->ud + lo, (e->nud - lo) * sizeof(*e->ud));
	e->ud[lo].day = ud;
	e->ud[lo].calls = n;
	e->nud++;
	e->last_day = e->ud[e->nud - 1].day;
	e->last_calls = e->ud[e->nud - 1].calls;
	return FC_OK;
}

static enum fc_status
add_user_trace(struct fc_calib *c, const struct fc_calib_rec *r, struct sums *d)
{
	int isnew;
	struct hent *e;
	double ud = floor(r->ts / DAY);

	if (r->user) {
		if ((e = htab_get(&c->users, r->user, &isnew)) == NULL)
			return FC_ENOMEM;
		if (isnew || r->ts < e->b)
			e->b = r->ts;
		e->a += r->n;
		if (user_day(e, (long)ud, r->n) != FC_OK)
			return FC_ENOMEM;
		if (r->n == 1 && isnan(r->t_end)) {
			double x = (r->ts - e->b) / (MONTH_DAYS * DAY);
			d->g_n++;
			d->g_x += x;
			d->g_y += r->in;
			d->g_xx += x * x;
			d->g_xy += x * r->in;
		}
	}
	if (r->trace) {
		if ((e = htab_get(&c->traces, r->trace, &isnew)) == NULL)
			return FC_ENOMEM;
		if (isnew) {
			d->n_traces++;
			e->c = ud;
		} else if (ud < e->c) {
			/* an earlier call of an open trace: it counts from that day */
			c->days[day_index(c, e->c)].s.n_traces--;
			d->n_traces++;
			e->c = ud;
		}
		e->a = fmax(e->a, r->ts);
		e->b += r->n;
		if (r->n == 1 && r->t_done >= r->ts) {
			double dur = r->t_done - r->ts;
			e->t_lo = fmin(e->t_lo, r->ts);
			e->t_hi = fmax(e->t_hi, r->t_done);
			e->dsum += dur;
			e->dmax = fmax(e->dmax, dur);
		}
		d->trace_calls += r->n;
		c->tmax_trace = fmax(c->tmax_trace, r->ts);
		if (++c->since_expire >= 65536) {
			c->since_expire = 0;
			if (htab_expire(&c->traces, c->tmax_trace - c->o.trace_window_s, c) != FC_OK)
				return FC_ENOMEM;
		}
	}
	return FC_OK;
}

static void
add_percall(struct fc_calib *c, const struct fc_calib_rec *r, struct sums *s)
{
	double d;

	s->w_n++;
	d = r->in - s->w_in_mean;
	s->w_in_mean += d / s->w_n;
	s->w_in_m2 += d * (r->in - s->w_in_mean);
	d = r->out - s->w_out_mean;
	s->w_out_mean += d / s->w_n;
	s->w_out_m2 += d * (r->out - s->w_out_mean);
	add_gap(c, r->ts);
}

enum fc_status
fc_calib_add(struct fc_calib *c, const struct fc_calib_rec *r)
{
	struct day *dy;
	struct sums *s;
	double cached = r->cached > 0 ? fmin(r->cached, r->in) : 0, loc, tend;
	int b = r->batch == 1;
	long k;
	enum fc_status st;

	c->rows++;
	if ((!isnan(c->o.since) && r->ts < c->o.since) ||
	    (!isnan(c->o.until) && r->ts >= c->o.until)) {
		c->filtered++;
		return FC_OK;
	}
	if (r->n <= 0)
		return FC_OK;
	if ((k = day_of(c, r->ts)) < 0)
		return FC_ENOMEM;
	dy = &c->days[k];
	s = &dy->s;
	tok_add(&dy->t, b, r->n, r->in - cached, cached, r->out);
	tend = isnan(r->t_end) ? r->ts : r->t_end;
	if (s->calls == 0) {
		s->tlo = r->ts;
		s->thi = tend;
	} else {
		s->tlo = fmin(s->tlo, r->ts);
		s->thi = fmax(s->thi, tend);
	}
	s->calls += r->n;
	s->sum_in += r->in;
	s->sum_out += r->out;
	if (r->cached >= 0 && !isnan(r->cached)) {
		s->sum_cached += cached;
		s->cached_calls += r->n;
	}
	if (r->batch >= 0) {
		s->batch_known += r->n;
		s->batch_calls += b ? r->n : 0;
	}
	if (r->ok == 1)
		s->ok1 += r->n;
	else if (r->ok == 0)
		s->ok0 += r->n;
	if (!isnan(r->spend)) {
		s->spend += r->spend;
		c->have_spend = 1;
	}
	/* the hour of day: buckets of an hour or less by their start */
	if (isnan(r->t_end) || r->t_end - r->ts <= 3600) {
		if (c->o.utc_offset_s) {
			double hc = floor(r->ts / 3600);
			if (hc != c->tz_cell) {
				c->tz_cell = hc;
				c->tz_off = c->o.utc_offset_s(c->o.tz_ctx, hc * 3600);
			}
			loc = fmod(r->ts + c->tz_off, DAY);
		} else {
			loc = fmod(r->ts + c->o.utc_offset_h * 3600, DAY);
		}
		if (loc < 0)
			loc += DAY;
		s->hour[(int)(loc / 3600) % 24] += r->n;
		s->hours_n += r->n;
	}
	if (r->n == 1 && isnan(r->t_end) && r->t_done >= r->ts) {
		double l = r->t_done - r->ts;
		s->lat_n++;
		s->lat_s += l;
		s->lat_s2 += l * l;
		s->lat_h[lat_bin(l)]++;
	}
	if (r->n != 1 || !isnan(r->t_end))
		c->aggregated = 1;
	else
		add_percall(c, r, s);
	if (r->model && r->model[0] &&
	    (st = add_model(c, r->model, r->n, k, b, r->in - cached, cached, r->out)) != FC_OK)
		return st;
	return add_user_trace(c, r, s);
}

void
fc_calib_prefetch(const struct fc_calib *c, int trace, const char *key)
{
	const struct htab *t = trace ? &c->traces : &c->users;
	size_t len;

	if (t->cap > 0)
		__builtin_prefetch(&t->v[hash_str(key, &len) & (t->cap - 1)]);
}

long
fc_calib_ndays(const struct fc_calib *c)
{
	return c->nday;
}

double
fc_calib_day0(const struct fc_calib *c)
{
	return c->day_base;
}

/* What tokens t cost at price p, batch calls at its discount; USD. */
static double
tok_bill(const struct tok *t, const struct fc_price *p)
{
	double usd = 0;
	int b;

	for (b = 0; b < 2; b++)
		usd += (t->in_unc[b] * p->input + t->cached[b] * p->cached_input +
		    t->out[b] * p->output) / 1e6 * (b ? 1 - p->batch_discount : 1);
	return usd;
}

double
fc_calib_bill(const struct fc_calib *c, const struct fc_price *p, long day0,
    long day1)
{
	double usd = 0;
	long k;

	for (k = day0 < 0 ? 0 : day0; k < day1 && k < c->nday; k++)
		usd += tok_bill(&c->days[k].t, p);
	return usd;
}

double
fc_calib_bill_route(const struct fc_calib *c, const struct fc_calib_route *r,
    long day0, long day1)
{
	double usd = 0;
	size_t i, j;
	long k;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < c->n_model; j++)
			if (strcmp(c->model_name[j], r->model[i]) == 0)
				break;
		for (k = day0 < 0 ? 0 : day0; j < c->n_model && k < day1 && k < c->nday; k++)
			usd += tok_bill(&c->model_day[j][k], r->price[i]);
	}
	return usd;
}

/* The days [d0, d0 + nd) of an accumulator, summed. */
struct range {
	const struct fc_calib *c;
	long d0, nd;
	struct sums s;
	double model_calls[MAX_MODEL_NAMES];
	size_t users;             /* users with calls in the range */
	double user_cv;           /* cv of the calls per user in the range */
};

/* Adds the sums of b to a: Welford sums by Chan's pairwise formula. */
static void
sums_add(struct sums *a, const struct sums *b)
{
	double n = a->w_n + b->w_n, di, dout;
	int h;

	if (!(b->calls > 0))
		return;
	if (a->calls > 0) {
		a->tlo = fmin(a->tlo, b->tlo);
		a->thi = fmax(a->thi, b->thi);
	} else {
		a->tlo = b->tlo;
		a->thi = b->thi;
	}
	if (n > 0) {
		di = b->w_in_mean - a->w_in_mean;
		dout = b->w_out_mean - a->w_out_mean;
		a->w_in_m2 += b->w_in_m2 + di * di * a->w_n * b->w_n / n;
		a->w_out_m2 += b->w_out_m2 + dout * dout * a->w_n * b->w_n / n;
		a->w_in_mean += di * b->w_n / n;
		a->w_out_mean += dout * b->w_n / n;
		a->w_n = n;
	}
#define ADD(x) a->x += b->x
	ADD(calls); ADD(sum_in); ADD(sum_out); ADD(sum_cached); ADD(cached_calls);
	ADD(hours_n); ADD(batch_calls); ADD(batch_known); ADD(ok1); ADD(ok0); ADD(spend);
	ADD(trace_calls); ADD(n_traces); ADD(trace_sumsq); ADD(gap_w); ADD(gap_cv2);
	ADD(g_n); ADD(g_x); ADD(g_y); ADD(g_xx); ADD(g_xy); ADD(other_model_calls);
	ADD(lat_n); ADD(lat_s); ADD(lat_s2); ADD(ov_n); ADD(ov_s);
#undef ADD
	for (h = 0; h < 24; h++)
		a->hour[h] += b->hour[h];
	for (h = 0; h < LAT_BINS; h++)
		a->lat_h[h] += b->lat_h[h];
}

static void
range_init(struct range *g, const struct fc_calib *c, long d0, long d1)
{
	long k;
	size_t m;

	memset(g, 0, sizeof(*g));
	g->c = c;
	g->d0 = d0 < 0 ? 0 : d0 > c->nday ? c->nday : d0;
	g->nd = (d1 > c->nday ? c->nday : d1) - g->d0;
	if (g->nd < 0)
		g->nd = 0;
	for (k = g->d0; k < g->d0 + g->nd; k++) {
		sums_add(&g->s, &c->days[k].s);
		for (m = 0; m < c->n_model; m++)
			g->model_calls[m] += c->model_day[m][k].calls;
	}
}

static struct fc_calib_est
est_none(double def, const char *why)
{
	struct fc_calib_est e = { def, NAN, NAN, 0, why };
	return e;
}

static struct fc_calib_est
est(double v, double lo, double hi)
{
	struct fc_calib_est e = { v, lo, hi, 1, NULL };
	return e;
}

/* The calls of user e on the range's days. */
static double
user_calls(const struct range *g, const struct hent *e)
{
	double ud0 = floor(g->c->day_base / DAY) + (double)g->d0, n = 0;
	size_t i;

	if (g->d0 == 0 && g->nd == g->c->nday)
		return e->a;
	for (i = 0; i < e->nud; i++)
		if ((double)e->ud[i].day >= ud0 && (double)e->ud[i].day < ud0 + (double)g->nd)
			n += i + 1 == e->nud ? e->last_calls : e->ud[i].calls;
	return n;
}

/* The users with calls in the range (g->users), and the share of calls
 * made by the busiest tenth of them. */
static enum fc_status
fit_top10(struct range *g, struct fc_calib_fit *f)
{
	const struct htab *u = &g->c->users;
	double *v, tot = 0, top = 0;
	size_t i, n = 0, k;

	if ((v = fc_malloc((u->n + 1) * sizeof(*v))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < u->cap; i++)
		if (u->v[i].used && (v[n] = user_calls(g, &u->v[i])) > 0)
			n++;
	g->users = n;
	if (n >= 2) {
		double m = 0, m2 = 0;
		for (i = 0; i < n; i++) {
			m += v[i];
			m2 += v[i] * v[i];
		}
		m /= (double)n;
		g->user_cv = m > 0 ? sqrt(fmax(m2 / (double)n - m * m, 0) * (double)n /
		    (double)(n - 1)) / m : 0;
	}
	if (n < 20) {
		fc_free(v);
		f->top10 = est_none(FC_CALIB_TOP10_PRIOR_MEAN, n ? "fewer than 20 users in the log" :
		    "the log names no users");
		return FC_OK;
	}
	qsort(v, n, sizeof(*v), fc_stats_cmp_double_desc);
	k = (n + 9) / 10;
	for (i = 0; i < n; i++) {
		tot += v[i];
		if (i < k)
			top += v[i];
	}
	fc_free(v);
	f->top10 = est(fmin(fmax(top / tot, 0.1), 0.999), NAN, NAN);
	return FC_OK;
}

/* The weekday (Monday 0) of day k of the accumulator: 1970-01-01 was a
 * Thursday. */
static int
weekday(const struct range *g, long k)
{
	long d = (long)floor(g->c->day_base / DAY) + g->d0 + k + 3;

	return (int)(((d % 7) + 7) % 7);
}

/* Weekday pattern: days_per_month is the calendar month times the mean
 * weekday's calls over the busiest weekdays' (7 busy weekdays: 30.44).
 * The busiest weekdays are those whose mean is within two standard errors
 * (of the day-to-day spread within a weekday) of the busiest one's, pooled:
 * the largest of a few noisy means alone is biased upwards.  Returns the
 * logged days in busy-day equivalents (the same ratio summed over the days
 * logged, so partial weeks count right); wmean gets each weekday's calls
 * relative to the mean weekday. */
static double
fit_days(const struct range *g, struct fc_calib_fit *f, double *wmean)
{
	double sum[7] = { 0 }, cnt[7] = { 0 }, fsum[7] = { 0 }, fsum2[7] = { 0 }, fcnt[7] = { 0 };
	double mx = 0, tot = 0, eff = 0, ss = 0, dof = 0, busy = 0, nbusy = 0;
	long k;
	int w, wmx = 0;

	for (w = 0; w < 7; w++)
		wmean[w] = 1;
	if (g->nd < 14) {
		f->days = est_none(30, "the log spans fewer than 14 days");
		return f->covered_days;
	}
	/* the first and last day count as the share of a day the log covers
	 * (fit_cover); the spread within a weekday from whole days only */
	for (k = 0; k < g->nd; k++) {
		double n = g->c->days[g->d0 + k].s.calls;
		double cov = k == 0 ? f->cover_first : k == g->nd - 1 ? f->cover_last : 1;
		w = weekday(g, k);
		sum[w] += n;
		cnt[w] += cov;
		if (cov >= 1) {
			fsum[w] += n;
			fsum2[w] += n * n;
			fcnt[w]++;
		}
	}
	for (w = 0; w < 7; w++) {
		wmean[w] = cnt[w] > 0 ? sum[w] / cnt[w] : 0;
		if (wmean[w] > mx && cnt[w] >= 1) {
			mx = wmean[w];
			wmx = w;
		}
		tot += wmean[w];
		if (fcnt[w] > 1) {
			ss += fsum2[w] - fsum[w] * fsum[w] / fcnt[w];
			dof += fcnt[w] - 1;
		}
	}
	if (!(mx > 0)) {
		f->days = est_none(30, "no calls");
		return (double)g->nd;
	}
	for (w = 0; w < 7; w++) {
		double var = dof > 0 ? fmax(ss, 0) / dof : 0;
		if (cnt[w] > 0 && (w == wmx || wmean[w] >= mx - 2 * sqrt(var / fmax(cnt[w], 1) +
		    var / fmax(cnt[wmx], 1)))) {
			busy += sum[w];
			nbusy += cnt[w];
		}
	}
	mx = busy / nbusy;
	for (w = 0; w < 7; w++)
		eff += cnt[w] * wmean[w] / mx;
	for (w = 0; w < 7; w++)
		wmean[w] /= tot / 7;
	f->days = est(fmin(MONTH_DAYS * tot / mx / 7, 31), NAN, NAN);
	return eff;
}

/* Requests per user per active day, and its spread for next month: the
 * day-to-day spread of the daily volume (weekday pattern taken out) as
 * the uncertainty of the logged mean (over the nd days logged) plus next
 * month's own (over its days_per_month busy days), and the user-to-user
 * spread of calls per user at the scenario's user count:
 * cv^2 = cv_day^2 (1/nd + 1/days_per_month) + cv_user^2 / users. */
static void
fit_rpud(const struct range *g, struct fc_calib_fit *f, double eff_days,
    const double *wmean)
{
	double users = f->users.v, chain = f->chaining.v, s = 0, s2 = 0, m, sd, cv, nd = 0;
	long k;
	int w;

	f->month_days = f->days.v * f->covered_days / eff_days;
	if (!(users > 0)) {
		f->rpud = est_none(0, "no users");
		return;
	}
	m = g->s.calls / (users * chain * eff_days);
	if (g->nd < 2) {
		f->rpud = est(m, NAN, NAN);
		f->rpud_cv = 0;
		return;
	}
	for (k = 0; k < g->nd; k++) {
		double x;
		w = weekday(g, k);
		if (!(wmean[w] > 0))
			continue;    /* a weekday that never has calls */
		if ((k == 0 && f->cover_first < 1) || (k == g->nd - 1 && f->cover_last < 1))
			continue;    /* a day the log covers in part */
		x = g->c->days[g->d0 + k].s.calls / wmean[w];
		s += x;
		s2 += x * x;
		nd++;
	}
	if (nd < 2) {
		f->rpud = est(m, NAN, NAN);
		f->rpud_cv = 0;
		return;
	}
	s /= nd;
	sd = sqrt(fmax(s2 / nd - s * s, 0) * nd / (nd - 1));
	cv = s > 0 ? sd / s : 0;
	cv = sqrt(cv * cv * (1 / nd + 1 / fmax(f->days.v, 1)) + g->user_cv * g->user_cv / users);
	f->rpud_cv = cv;
	{
		double mu, sg, z = Z90;
		sg = sqrt(log1p(cv * cv));
		mu = log(m) - sg * sg / 2;
		f->rpud = est(m, exp(mu - z * sg), exp(mu + z * sg));
	}
}

/* The cv of next month's mean tokens per call (out: 0 input, 1 output):
 * the day-to-day spread of the daily means (less what a day's calls alone
 * would give: sd^2 / calls), which holds the mix of a day's users, as the
 * uncertainty of the logged mean (over the nd days) plus next month's own
 * (over its days_per_month), and the per-call standard error:
 * var = var_day (1/nd + 1/days_per_month) + sd^2 / calls.  Without
 * per-call rows (sd NAN: aggregated buckets), the daily means' whole
 * spread, the per-call part in it. */
static double
token_mean_cv(const struct range *g, const struct fc_calib_fit *f, double mean, double sd,
    int out)
{
	double s = 0, s2 = 0, within = 0, d = 0, var_day = 0, var;
	int percall = !isnan(sd);
	long k;

	if (!(mean > 0))
		return 0;
	for (k = 0; k < g->nd; k++) {
		const struct sums *x = &g->c->days[g->d0 + k].s;
		double m;
		if (percall && x->w_n < 2)
			continue;
		if (!percall && !(x->calls > 0))
			continue;
		m = percall ? (out ? x->w_out_mean : x->w_in_mean) :
		    (out ? x->sum_out : x->sum_in) / x->calls;
		s += m;
		s2 += m * m;
		within += percall ? sd * sd / x->w_n : 0;
		d++;
	}
	if (d >= 2) {
		s /= d;
		var_day = fmax((s2 / d - s * s) * d / (d - 1) - within / d, 0);
		var = var_day * (1 / d + 1 / fmax(f->days.v, 1)) + (percall ? sd * sd / g->s.w_n : 0);
	} else {
		var = percall ? sd * sd / g->s.w_n : 0;
	}
	return sqrt(var) / mean;
}

/* A lognormal's 90% interval of mean m and cv cv into e. */
static void
lognormal90(struct fc_calib_est *e, double m, double cv)
{
	double sg = sqrt(log1p(cv * cv)), mu = log(m) - sg * sg / 2;

	e->lo = exp(mu - Z90 * sg);
	e->hi = exp(mu + Z90 * sg);
}

static void
fit_tokens(const struct range *g, struct fc_calib_fit *f)
{
	double n = g->s.calls;

	f->input = est(g->s.sum_in / n, NAN, NAN);
	f->output = est(g->s.sum_out / n, NAN, NAN);
	{
		int pc = g->s.w_n >= 2 && g->s.w_n >= g->s.calls / 2;   /* mostly per-call rows */
		double si = pc ? sqrt(g->s.w_in_m2 / (g->s.w_n - 1)) : NAN;
		double so = pc ? sqrt(g->s.w_out_m2 / (g->s.w_n - 1)) : NAN;
		f->input_mcv = token_mean_cv(g, f, f->input.v, si, 0);
		f->output_mcv = token_mean_cv(g, f, f->output.v, so, 1);
		if (f->input_mcv > 0)
			lognormal90(&f->input, f->input.v, f->input_mcv);
		if (f->output_mcv > 0)
			lognormal90(&f->output, f->output.v, f->output_mcv);
	}
	if (g->s.w_n >= 2) {
		double si = sqrt(g->s.w_in_m2 / (g->s.w_n - 1)), so = sqrt(g->s.w_out_m2 / (g->s.w_n - 1));
		f->input_cv = g->s.w_in_mean > 0 ? est(fmin(si / g->s.w_in_mean, 10), NAN, NAN) :
		    est_none(0.5, "no input tokens");
		f->output_cv = g->s.w_out_mean > 0 ? est(fmin(so / g->s.w_out_mean, 10), NAN, NAN) :
		    est_none(0.5, "no output tokens");
	} else {
		f->input_cv = est_none(0.5, "only aggregated rows: no per-call spread");
		f->output_cv = est_none(0.5, "only aggregated rows: no per-call spread");
	}
	if (g->s.cached_calls > 0 && g->s.sum_in > 0)
		f->cached = est(g->s.sum_cached / g->s.sum_in, NAN, NAN);
	else
		f->cached = est_none(0, "no cached-token column");
	if (g->s.batch_known > 0) {
		double p = g->s.batch_calls / g->s.batch_known;
		double se = sqrt(p * (1 - p) / g->s.batch_known);
		f->batch = est(p, fmax(p - Z90 * se, 0), fmin(p + Z90 * se, 1));
	} else {
		f->batch = est_none(0, "no batch column");
	}
	/* context growth: least squares of input tokens on months of tenure */
	if (g->nd >= 61 && g->s.g_n >= 100) {
		double sxx = g->s.g_xx - g->s.g_x * g->s.g_x / g->s.g_n;
		double sxy = g->s.g_xy - g->s.g_x * g->s.g_y / g->s.g_n;
		double slope = sxx > 0 ? sxy / sxx : 0;
		f->growth = est(fmax(slope, 0), NAN, NAN);
	} else {
		f->growth = est_none(0, g->nd < 61 ? "the log spans fewer than 61 days" :
		    "fewer than 100 per-call rows with a user");
	}
}

/* The share of a day's calls (by the range's diurnal shape, in local
 * hours) in the clock hours from the one holding a to the one holding b,
 * those two whole (the hour of a log's first or last call is taken as
 * covered: a log ending at 13:39 of a day whose calls end then covers it). */
static double
day_share(const struct range *g, double a, double b)
{
	const struct fc_calib *c = g->c;
	double hc, share = 0;

	for (hc = floor(a / 3600); hc <= floor(b / 3600); hc++) {
		double off = c->o.utc_offset_s ? c->o.utc_offset_s(c->o.tz_ctx, hc * 3600) :
		    c->o.utc_offset_h * 3600;
		double loc = fmod(hc * 3600 + off, DAY);
		if (loc < 0)
			loc += DAY;
		share += g->s.hour[(int)(loc / 3600) % 24] / g->s.hours_n;
	}
	return fmin(share, 1);
}

/* The days the range covers: its whole days, less the shares of the first
 * and last day's calls (by the diurnal shape) before its first call and
 * after its last (a log cut at 17:00 of a business day covers that day; a
 * log whose last calls spill a few seconds past midnight does not cover
 * the next).  Whole days without the diurnal shape. */
static void
fit_cover(const struct range *g, struct fc_calib_fit *f)
{
	double day0 = g->c->day_base + (double)g->d0 * DAY;
	double day1 = day0 + (double)g->nd * DAY;

	f->cover_first = f->cover_last = 1;
	f->covered_days = (double)g->nd;
	if (g->s.hours_n < 240 || !(g->s.tlo >= day0) || !(g->s.thi < day1))
		return;
	if (g->nd == 1) {
		f->cover_first = f->cover_last = day_share(g, g->s.tlo, g->s.thi);
		f->covered_days = f->cover_first;
		return;
	}
	f->cover_first = day_share(g, g->s.tlo, day0 + DAY - 1);
	f->cover_last = day_share(g, day1 - DAY, fmin(g->s.thi, day1 - 1));
	f->covered_days = (double)g->nd - 2 + f->cover_first + f->cover_last;
}

static void
fit_shape(const struct range *g, struct fc_calib_fit *f)
{
	int h;

	if (g->s.hours_n >= 240) {
		double mx = 0;
		for (h = 0; h < 24; h++) {
			f->diurnal[h] = g->s.hour[h] / (g->s.hours_n / 24);
			mx = fmax(mx, f->diurnal[h]);
		}
		f->has_diurnal = 1;
		f->peak = est(fmin(fmax(mx, 1), 24), NAN, NAN);
	} else {
		f->peak = est_none(2, "fewer than 240 calls with an hour (daily buckets?)");
	}
	if (g->s.gap_w >= 100)
		f->arrival_cv = est(fmin(sqrt(g->s.gap_cv2 / g->s.gap_w), 20), NAN, NAN);
	else
		f->arrival_cv = est_none(1, "fewer than 100 gaps between single calls in the same hour");
	if (g->s.ok0 + g->s.ok1 > 0) {
		double a = 1 + g->s.ok0, b = 1 + g->s.ok1;
		f->fallback_a = a;
		f->fallback_b = b;
		struct fc_num bn = fc_num_const(0);
		bn.kind = FC_DIST_BETA;
		bn.p[0] = a;
		bn.p[1] = b;
		f->fallback = est(a / (a + b), fc_num_quantile(&bn, 0.05),
		    fc_num_quantile(&bn, 0.95));
	} else {
		f->fallback = est_none(0, "no shadow-run ok column");
	}
}

static void
fit_models(const struct range *g, struct fc_calib_fit *f)
{
	size_t i, j;
	int used[MAX_MODEL_NAMES] = { 0 };
	double named = g->s.other_model_calls;

	f->n_models = 0;
	f->models_seen = g->s.other_model_calls > 0;
	for (j = 0; j < g->c->n_model; j++) {
		named += g->model_calls[j];
		f->models_seen += g->model_calls[j] > 0;
		used[j] = !(g->model_calls[j] > 0);
	}
	f->no_model_calls = fmax(g->s.calls - named, 0) + g->s.other_model_calls;
	for (i = 0; i < FC_CALIB_MAX_MODELS && i < g->c->n_model; i++) {
		size_t best = 0;
		double bv = -1;
		for (j = 0; j < g->c->n_model; j++)
			if (!used[j] && g->model_calls[j] > bv) {
				bv = g->model_calls[j];
				best = j;
			}
		if (bv < 0)
			break;    /* the models with calls in the range are all listed */
		used[best] = 1;
		f->model[f->n_models] = g->c->model_name[best];
		f->model_calls[f->n_models] = bv;
		f->model_share[f->n_models++] = bv / g->s.calls;
	}
}

const struct fc_price *
fc_calib_model_price(const struct fc_catalog *cat, const char *model)
{
	const char *ms = strrchr(model, '/') ? strrchr(model, '/') + 1 : model;
	size_t i;

	for (i = 0; i < cat->nprices; i++)
		if (strcmp(cat->prices[i].id, model) == 0)
			return &cat->prices[i];
	for (i = 0; i < cat->nprices; i++) {
		const char *sl = strchr(cat->prices[i].id, '/');
		if (sl && strcmp(sl + 1, ms) == 0)
			return &cat->prices[i];
	}
	return NULL;
}

void
fc_calib_route(const struct fc_calib_fit *f, const struct fc_catalog *cat,
    struct fc_calib_route *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (f->models_seen < 2)
		return;
	if (f->models_seen > FC_MAX_ROUTE) {
		snprintf(r->why, sizeof(r->why), "the log names %s%zu models, more than the %d "
		    "tiers api.route takes", f->models_seen > MAX_MODEL_NAMES ? "over " : "",
		    f->models_seen > MAX_MODEL_NAMES ? (size_t)MAX_MODEL_NAMES : f->models_seen,
		    FC_MAX_ROUTE);
		return;
	}
	if (f->no_model_calls > 0) {
		snprintf(r->why, sizeof(r->why), "%.0f calls of %.0f name no model",
		    f->no_model_calls, f->calls);
		return;
	}
	for (i = 0; i < f->n_models; i++) {
		if ((r->price[i] = fc_calib_model_price(cat, f->model[i])) == NULL) {
			snprintf(r->why, sizeof(r->why), "model %.100s has no bundled price "
			    "('flatcost data prices' lists them)", f->model[i]);
			memset(r->price, 0, sizeof(r->price));
			return;
		}
		r->model[i] = f->model[i];
		r->calls[i] = f->model_calls[i];
		r->share[i] = f->model_share[i];
	}
	r->n = f->n_models;
}

int
fc_calib_write_route(FILE *f, const struct fc_calib_route *r, double calls)
{
	size_t i;

	if (r->n == 0)
		return 0;
	if (fprintf(f, "  route:   # one tier per model of the log, by share of calls; "
	    "the last takes the remainder\n") < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		/* rounded down: the shares written never sum over 1 */
		double sh = floor(r->share[i] * 1e6 + 1e-9) / 1e6;
		int w = i + 1 < r->n ?
		    fprintf(f, "    - {price: %s, share: %.6g}", r->price[i]->id, sh) :
		    fprintf(f, "    - {price: %s}", r->price[i]->id);
		if (w < 0 || fprintf(f, "   # %s: %.0f of %.0f calls\n", r->model[i],
		    r->calls[i], calls) < 0)
			return -1;
	}
	return 0;
}

enum fc_status
fc_calib_fit_days(struct fc_calib *c, long day0, long day1, double users_override,
    struct fc_calib_fit *f)
{
	double wmean[7], eff_days, ud0, ud1;
	struct range *g;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->format = c->detected;
	f->rows = c->rows;
	f->bad_rows = c->bad;
	f->cache_hits = c->cache_hits;
	f->aggregated = c->aggregated;
	if (c->cell != INFINITY)
		add_gap(c, INFINITY);   /* closes the last cell */
	if ((g = fc_malloc(sizeof(*g))) == NULL)
		return FC_ENOMEM;
	range_init(g, c, day0, day1);
	f->calls = g->s.calls;
	f->spend = c->have_spend ? g->s.spend : NAN;
	if (!(g->s.calls > 0)) {
		fc_free(g);
		return FC_EINVAL;
	}
	f->t0 = g->s.tlo;
	f->t1 = g->s.thi;
	f->span_days = (double)g->nd;
	fit_cover(g, f);
	f->n_traces = g->s.n_traces;
	if (fit_top10(g, f) != FC_OK) {
		fc_free(g);
		return FC_ENOMEM;
	}
	f->users_seen = (double)g->users;
	if (!isnan(users_override))
		f->users = est(users_override, NAN, NAN);
	else if (g->users > 0)
		f->users = est((double)g->users, NAN, NAN);
	else
		f->users = est_none(0, "the log names no users");
	if (g->s.n_traces > 0 && g->s.trace_calls >= g->s.calls / 2) {
		double nt = g->s.n_traces, m = g->s.trace_calls / nt, ss = g->s.trace_sumsq, se = 0;
		ud0 = floor(c->day_base / DAY) + (double)g->d0;
		ud1 = ud0 + (double)g->nd;
		for (i = 0; i < c->traces.cap; i++)   /* the traces still open */
			if (c->traces.v[i].used && c->traces.v[i].c >= ud0 && c->traces.v[i].c < ud1) {
				double ov = trace_overlap(&c->traces.v[i]);
				ss += c->traces.v[i].b * c->traces.v[i].b;
				if (ov >= 0) {
					g->s.ov_n++;
					g->s.ov_s += ov;
				}
			}
		if (nt >= 2)
			se = sqrt(fmax(ss / nt - m * m, 0) / (nt - 1));
		f->chaining = est(fmax(m, 1), fmax(m - Z90 * se, 1), fmax(m + Z90 * se, 1));
	}
	else
		f->chaining = est_none(1, "no trace ids on most calls");
	if (g->s.lat_n >= 1) {
		double n = g->s.lat_n, m = g->s.lat_s / n;
		double sd = n >= 2 ? sqrt(fmax(g->s.lat_s2 / n - m * m, 0) * n / (n - 1)) : 0;
		f->latency = n >= 2 ? est(m, fmax(m - Z90 * sd / sqrt(n), 0), m + Z90 * sd / sqrt(n)) :
		    est(m, NAN, NAN);
		f->latency_sd = sd;
		f->latency_calls = n;
		f->latency_p50 = lat_quantile(g->s.lat_h, n, 0.50);
		f->latency_p95 = lat_quantile(g->s.lat_h, n, 0.95);
	} else {
		f->latency = est_none(NAN, "no end times of single calls");
		f->latency_p50 = f->latency_p95 = NAN;
	}
	if (g->s.ov_n >= 1)
		f->overlap = est(g->s.ov_s / g->s.ov_n, NAN, NAN);
	else
		f->overlap = est_none(0, "no trace with 2 or more calls with end times");
	f->overlap_traces = g->s.ov_n;
	eff_days = fit_days(g, f, wmean);
	fit_rpud(g, f, eff_days, wmean);
	fit_tokens(g, f);
	fit_shape(g, f);
	fit_models(g, f);
	fc_free(g);
	return FC_OK;
}

enum fc_status
fc_calib_fit(struct fc_calib *c, double users_override, struct fc_calib_fit *f)
{
	return fc_calib_fit_days(c, 0, c->nday, users_override, f);
}
