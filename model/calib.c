/*
 * calib.c: the accumulator behind flatcost calibrate and the fit.
 *
 * Every record is folded into running sums at once: per user (calls,
 * first seen), per open trace (last seen; closed after trace_window_s
 * without a call), per day (calls, tokens by batch or not), per hour of
 * day, per weekday, per model, and Welford sums of per-call tokens.
 * Memory therefore grows with users, days, models and the traces open
 * within the window, not with rows.
 */
#include "calib.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calib_int.h"
#include "dist.h"

#define DAY 86400.0
#define MONTH_DAYS 30.4375    /* a calendar month, days */
#define Z90 1.6448536269514722
#define MAX_MODEL_NAMES 64

const char *const fc_calib_role_names[FC_NROLES] = {
	"ts", "user", "in", "out", "cached", "trace", "ok", "model", "batch",
	"spend", "n", "end", "end_user", "type", "cache_hit",
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
struct hent {
	char *key;          /* owned; NULL: empty slot */
	uint64_t h;
	double a, b;        /* users: calls, first seen; traces: last seen, unused */
};

struct htab {
	struct hent *v;
	size_t cap, n;      /* cap a power of two */
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static enum fc_status
htab_grow(struct htab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 1024, i;
	struct hent *nv = fc_calloc(ncap, sizeof(*nv));

	if (nv == NULL)
		return FC_ENOMEM;
	for (i = 0; i < t->cap; i++) {
		size_t j;
		if (t->v[i].key == NULL)
			continue;
		for (j = t->v[i].h & (ncap - 1); nv[j].key; j = (j + 1) & (ncap - 1))
			;
		nv[j] = t->v[i];
	}
	fc_free(t->v);
	t->v = nv;
	t->cap = ncap;
	return FC_OK;
}

/* The entry for key, added (a = b = 0, *isnew = 1) when absent; NULL on
 * FC_ENOMEM. */
static struct hent *
htab_get(struct htab *t, const char *key, int *isnew)
{
	uint64_t h = hash_str(key);
	size_t j;

	*isnew = 0;
	if ((t->n + 1) * 2 > t->cap && htab_grow(t) != FC_OK)
		return NULL;
	for (j = h & (t->cap - 1); t->v[j].key; j = (j + 1) & (t->cap - 1))
		if (t->v[j].h == h && strcmp(t->v[j].key, key) == 0)
			return &t->v[j];
	if ((t->v[j].key = fc_strdup(key)) == NULL)
		return NULL;
	t->v[j].h = h;
	t->v[j].a = t->v[j].b = 0;
	t->n++;
	*isnew = 1;
	return &t->v[j];
}

static void
htab_free(struct htab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		fc_free(t->v[i].key);
	fc_free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Drops the entries whose a (last seen) is before cutoff, by rebuilding;
 * adds the squares of their b (a trace's calls) to *sumsq. */
static enum fc_status
htab_expire(struct htab *t, double cutoff, double *sumsq)
{
	struct htab nt = { NULL, 0, 0 };
	size_t i, keep = 0;

	for (i = 0; i < t->cap; i++)
		if (t->v[i].key && t->v[i].a >= cutoff)
			keep++;
	if (keep == t->n)
		return FC_OK;
	nt.cap = 1024;
	while (nt.cap < keep * 2 + 2)
		nt.cap *= 2;
	if ((nt.v = fc_calloc(nt.cap, sizeof(*nt.v))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < t->cap; i++) {
		size_t j;
		if (t->v[i].key == NULL)
			continue;
		if (t->v[i].a < cutoff) {
			*sumsq += t->v[i].b * t->v[i].b;
			fc_free(t->v[i].key);
			continue;
		}
		for (j = t->v[i].h & (nt.cap - 1); nt.v[j].key; j = (j + 1) & (nt.cap - 1))
			;
		nt.v[j] = t->v[i];
		nt.n++;
	}
	fc_free(t->v);
	*t = nt;
	return FC_OK;
}

/* Per-day sums. */
struct day {
	double calls;
	double in_unc[2], cached[2], out[2];   /* tokens; [1] batch calls */
};

struct fc_calib {
	struct fc_calib_opts o;
	struct htab users, traces;
	struct day *days;
	long nday, capday;
	double day_base;          /* Unix seconds of days[0] at 00:00 UTC; NAN: none yet */
	double rows, bad, calls, percall, filtered, cache_hits;
	double t0, t1, tmax_trace;
	double sum_in, sum_out, sum_cached, cached_calls;
	double w_in_mean, w_in_m2, w_out_mean, w_out_m2, w_n;  /* Welford, per call */
	double hour[24], hours_n;
	double batch_calls, batch_known;
	double ok1, ok0;
	double trace_calls, n_traces;
	double trace_sumsq;       /* sum over closed traces of (calls in it)^2 */
	double spend;
	int have_spend, aggregated;
	long since_expire;
	/* arrival gaps within one (day, hour) cell */
	double cell, cell_last, cell_n, cell_s, cell_s2;
	double gap_w, gap_cv2;
	/* context growth: input tokens against months since first seen */
	double g_n, g_x, g_y, g_xx, g_xy;
	char *model_name[MAX_MODEL_NAMES];
	double model_calls[MAX_MODEL_NAMES];
	size_t n_model, last_model;
	double other_model_calls;
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
	c->t0 = INFINITY;
	c->t1 = -INFINITY;
	c->cell = -1;
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
	for (i = 0; i < c->n_model; i++)
		fc_free(c->model_name[i]);
	fc_free(c);
}

const struct fc_calib_opts *
calib_opts(const struct fc_calib *c)
{
	return &c->o;
}

void
calib_note_format(struct fc_calib *c, enum fc_calib_format f)
{
	if (c->detected == FC_CALIB_AUTO)
		c->detected = f;
	c->files++;
}

void
calib_note_bad(struct fc_calib *c)
{
	c->bad++;
}

void
calib_note_cache_hit(struct fc_calib *c)
{
	c->cache_hits++;
}

double
calib_bad_rows(const struct fc_calib *c)
{
	return c->bad;
}

/* The day record of Unix time ts, growing the array; NULL on FC_ENOMEM. */
static struct day *
day_of(struct fc_calib *c, double ts)
{
	double dstart = floor(ts / DAY) * DAY;
	long k;

	if (isnan(c->day_base))
		c->day_base = dstart;
	if (dstart < c->day_base) {
		long shift = (long)((c->day_base - dstart) / DAY + 0.5);
		if (c->nday + shift > c->capday) {
			long ncap = (c->nday + shift) * 2;
			struct day *nd = fc_realloc(c->days, (size_t)ncap * sizeof(*nd));
			if (nd == NULL)
				return NULL;
			c->days = nd;
			c->capday = ncap;
		}
		memmove(c->days + shift, c->days, (size_t)c->nday * sizeof(*c->days));
		memset(c->days, 0, (size_t)shift * sizeof(*c->days));
		c->nday += shift;
		c->day_base = dstart;
	}
	k = (long)((dstart - c->day_base) / DAY + 0.5);
	if (k >= c->capday) {
		long ncap = k < 64 ? 64 : k * 2;
		struct day *nd = fc_realloc(c->days, (size_t)ncap * sizeof(*nd));
		if (nd == NULL)
			return NULL;
		c->days = nd;
		c->capday = ncap;
	}
	if (k >= c->nday) {
		memset(c->days + c->nday, 0, (size_t)(k + 1 - c->nday) * sizeof(*c->days));
		c->nday = k + 1;
	}
	return &c->days[k];
}

static enum fc_status
add_model(struct fc_calib *c, const char *m, double n)
{
	size_t i;

	/* logs repeat the same model row after row: try the last one first */
	if (c->last_model < c->n_model && strcmp(c->model_name[c->last_model], m) == 0) {
		c->model_calls[c->last_model] += n;
		return FC_OK;
	}
	for (i = 0; i < c->n_model; i++)
		if (strcmp(c->model_name[i], m) == 0) {
			c->model_calls[i] += n;
			c->last_model = i;
			return FC_OK;
		}
	if (c->n_model == MAX_MODEL_NAMES) {
		c->other_model_calls += n;
		return FC_OK;
	}
	if ((c->model_name[c->n_model] = fc_strdup(m)) == NULL)
		return FC_ENOMEM;
	c->model_calls[c->n_model++] = n;
	return FC_OK;
}

/* Gaps between calls within one clock hour of one day: the diurnal swing
 * between hours does not inflate the cv. */
static void
add_gap(struct fc_calib *c, double ts)
{
	double cell = floor(ts / 3600);

	if (cell != c->cell) {
		if (c->cell_n >= 10) {
			double m = c->cell_s / c->cell_n;
			double var = c->cell_s2 / c->cell_n - m * m;
			if (m > 0) {
				c->gap_cv2 += c->cell_n * fmax(var, 0) / (m * m);
				c->gap_w += c->cell_n;
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

static enum fc_status
add_user_trace(struct fc_calib *c, const struct fc_calib_rec *r)
{
	int isnew;
	struct hent *e;

	if (r->user) {
		if ((e = htab_get(&c->users, r->user, &isnew)) == NULL)
			return FC_ENOMEM;
		if (isnew || r->ts < e->b)
			e->b = r->ts;
		e->a += r->n;
		if (r->n == 1 && isnan(r->t_end)) {
			double x = (r->ts - e->b) / (MONTH_DAYS * DAY);
			c->g_n++;
			c->g_x += x;
			c->g_y += r->in;
			c->g_xx += x * x;
			c->g_xy += x * r->in;
		}
	}
	if (r->trace) {
		if ((e = htab_get(&c->traces, r->trace, &isnew)) == NULL)
			return FC_ENOMEM;
		if (isnew)
			c->n_traces++;
		e->a = fmax(e->a, r->ts);
		e->b += r->n;
		c->trace_calls += r->n;
		c->tmax_trace = fmax(c->tmax_trace, r->ts);
		if (++c->since_expire >= 65536) {
			c->since_expire = 0;
			if (htab_expire(&c->traces, c->tmax_trace - c->o.trace_window_s,
			    &c->trace_sumsq) != FC_OK)
				return FC_ENOMEM;
		}
	}
	return FC_OK;
}

static void
add_percall(struct fc_calib *c, const struct fc_calib_rec *r)
{
	double d;

	c->percall++;
	c->w_n++;
	d = r->in - c->w_in_mean;
	c->w_in_mean += d / c->w_n;
	c->w_in_m2 += d * (r->in - c->w_in_mean);
	d = r->out - c->w_out_mean;
	c->w_out_mean += d / c->w_n;
	c->w_out_m2 += d * (r->out - c->w_out_mean);
	add_gap(c, r->ts);
}

enum fc_status
fc_calib_add(struct fc_calib *c, const struct fc_calib_rec *r)
{
	struct day *dy;
	double cached = r->cached > 0 ? fmin(r->cached, r->in) : 0, loc;
	int b = r->batch == 1;
	enum fc_status st;

	c->rows++;
	if ((!isnan(c->o.since) && r->ts < c->o.since) ||
	    (!isnan(c->o.until) && r->ts >= c->o.until)) {
		c->filtered++;
		return FC_OK;
	}
	if (r->n <= 0)
		return FC_OK;
	if ((dy = day_of(c, r->ts)) == NULL)
		return FC_ENOMEM;
	dy->calls += r->n;
	dy->in_unc[b] += r->in - cached;
	dy->cached[b] += cached;
	dy->out[b] += r->out;
	c->calls += r->n;
	c->t0 = fmin(c->t0, r->ts);
	c->t1 = fmax(c->t1, isnan(r->t_end) ? r->ts : r->t_end);
	c->sum_in += r->in;
	c->sum_out += r->out;
	if (r->cached >= 0 && !isnan(r->cached)) {
		c->sum_cached += cached;
		c->cached_calls += r->n;
	}
	if (r->batch >= 0) {
		c->batch_known += r->n;
		c->batch_calls += b ? r->n : 0;
	}
	if (r->ok == 1)
		c->ok1 += r->n;
	else if (r->ok == 0)
		c->ok0 += r->n;
	if (!isnan(r->spend)) {
		c->spend += r->spend;
		c->have_spend = 1;
	}
	/* the hour of day: buckets of an hour or less by their start */
	if (isnan(r->t_end) || r->t_end - r->ts <= 3600) {
		loc = fmod(r->ts + c->o.utc_offset_h * 3600, DAY);
		if (loc < 0)
			loc += DAY;
		c->hour[(int)(loc / 3600) % 24] += r->n;
		c->hours_n += r->n;
	}
	if (r->n != 1 || !isnan(r->t_end))
		c->aggregated = 1;
	else
		add_percall(c, r);
	if (r->model && r->model[0] && (st = add_model(c, r->model, r->n)) != FC_OK)
		return st;
	return add_user_trace(c, r);
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

double
fc_calib_bill(const struct fc_calib *c, const struct fc_price *p, long day0,
    long day1)
{
	double usd = 0;
	long k;
	int b;

	for (k = day0 < 0 ? 0 : day0; k < day1 && k < c->nday; k++)
		for (b = 0; b < 2; b++)
			usd += (c->days[k].in_unc[b] * p->input + c->days[k].cached[b] *
			    p->cached_input + c->days[k].out[b] * p->output) / 1e6 *
			    (b ? 1 - p->batch_discount : 1);
	return usd;
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

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The share of calls made by the busiest tenth of users. */
static enum fc_status
fit_top10(const struct fc_calib *c, struct fc_calib_fit *f)
{
	double *v, tot = 0, top = 0;
	size_t i, n = 0, k;

	if (c->users.n < 20) {
		f->top10 = est_none(0.1, c->users.n ? "fewer than 20 users in the log" :
		    "the log names no users");
		return FC_OK;
	}
	if ((v = fc_malloc(c->users.n * sizeof(*v))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < c->users.cap; i++)
		if (c->users.v[i].key)
			v[n++] = c->users.v[i].a;
	qsort(v, n, sizeof(*v), cmp_desc);
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
weekday(const struct fc_calib *c, long k)
{
	long d = (long)floor(c->day_base / DAY) + k + 3;

	return (int)(((d % 7) + 7) % 7);
}

/* Weekday pattern: days_per_month is the calendar month times the mean
 * weekday's calls over the busiest weekday's (7 busy weekdays: 30.44).
 * Returns the logged days in busy-day equivalents (the same ratio summed
 * over the days logged, so partial weeks count right); wmean gets each
 * weekday's calls relative to the mean weekday. */
static double
fit_days(const struct fc_calib *c, struct fc_calib_fit *f, double *wmean)
{
	double sum[7] = { 0 }, cnt[7] = { 0 }, mx = 0, tot = 0, eff = 0;
	long k;
	int w;

	for (w = 0; w < 7; w++)
		wmean[w] = 1;
	if (c->nday < 14) {
		f->days = est_none(30, "the log spans fewer than 14 days");
		return (double)c->nday;
	}
	for (k = 0; k < c->nday; k++) {
		w = weekday(c, k);
		sum[w] += c->days[k].calls;
		cnt[w]++;
	}
	for (w = 0; w < 7; w++) {
		wmean[w] = cnt[w] > 0 ? sum[w] / cnt[w] : 0;
		mx = fmax(mx, wmean[w]);
		tot += wmean[w];
	}
	if (!(mx > 0)) {
		f->days = est_none(30, "no calls");
		return (double)c->nday;
	}
	for (w = 0; w < 7; w++)
		eff += cnt[w] * wmean[w] / mx;
	for (w = 0; w < 7; w++)
		wmean[w] /= tot / 7;
	f->days = est(fmin(MONTH_DAYS * tot / mx / 7, 31), NAN, NAN);
	return eff;
}

/* Requests per user per active day and the uncertainty of its monthly
 * mean: the standard error of the mean daily volume (weekday pattern
 * taken out) over the days logged. */
static void
fit_rpud(const struct fc_calib *c, struct fc_calib_fit *f, double eff_days,
    const double *wmean)
{
	double users = f->users.v, chain = f->chaining.v, s = 0, s2 = 0, m, sd, cv, nd = 0;
	long k;
	int w;

	f->month_days = f->days.v * (double)c->nday / eff_days;
	if (!(users > 0)) {
		f->rpud = est_none(0, "no users");
		return;
	}
	m = c->calls / (users * chain * eff_days);
	if (c->nday < 2) {
		f->rpud = est(m, NAN, NAN);
		f->rpud_cv = 0;
		return;
	}
	for (k = 0; k < c->nday; k++) {
		double x;
		w = weekday(c, k);
		if (!(wmean[w] > 0))
			continue;    /* a weekday that never has calls */
		x = c->days[k].calls / wmean[w];
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
	cv = s > 0 ? sd / s / sqrt(nd) : 0;
	f->rpud_cv = cv;
	{
		double mu, sg, z = Z90;
		sg = sqrt(log1p(cv * cv));
		mu = log(m) - sg * sg / 2;
		f->rpud = est(m, exp(mu - z * sg), exp(mu + z * sg));
	}
}

static void
fit_tokens(const struct fc_calib *c, struct fc_calib_fit *f)
{
	double n = c->calls;

	f->input = est(c->sum_in / n, NAN, NAN);
	f->output = est(c->sum_out / n, NAN, NAN);
	if (c->w_n >= 2) {
		double si = sqrt(c->w_in_m2 / (c->w_n - 1)), so = sqrt(c->w_out_m2 / (c->w_n - 1));
		f->input.lo = f->input.v - Z90 * si / sqrt(c->w_n);
		f->input.hi = f->input.v + Z90 * si / sqrt(c->w_n);
		f->output.lo = f->output.v - Z90 * so / sqrt(c->w_n);
		f->output.hi = f->output.v + Z90 * so / sqrt(c->w_n);
		f->input_cv = c->w_in_mean > 0 ? est(fmin(si / c->w_in_mean, 10), NAN, NAN) :
		    est_none(0.5, "no input tokens");
		f->output_cv = c->w_out_mean > 0 ? est(fmin(so / c->w_out_mean, 10), NAN, NAN) :
		    est_none(0.5, "no output tokens");
	} else {
		f->input_cv = est_none(0.5, "only aggregated rows: no per-call spread");
		f->output_cv = est_none(0.5, "only aggregated rows: no per-call spread");
	}
	if (c->cached_calls > 0 && c->sum_in > 0)
		f->cached = est(c->sum_cached / c->sum_in, NAN, NAN);
	else
		f->cached = est_none(0, "no cached-token column");
	if (c->batch_known > 0) {
		double p = c->batch_calls / c->batch_known;
		double se = sqrt(p * (1 - p) / c->batch_known);
		f->batch = est(p, fmax(p - Z90 * se, 0), fmin(p + Z90 * se, 1));
	} else {
		f->batch = est_none(0, "no batch column");
	}
	/* context growth: least squares of input tokens on months of tenure */
	if (c->nday >= 61 && c->g_n >= 100) {
		double sxx = c->g_xx - c->g_x * c->g_x / c->g_n;
		double sxy = c->g_xy - c->g_x * c->g_y / c->g_n;
		double slope = sxx > 0 ? sxy / sxx : 0;
		f->growth = est(fmax(slope, 0), NAN, NAN);
	} else {
		f->growth = est_none(0, c->nday < 61 ? "the log spans fewer than 61 days" :
		    "fewer than 100 per-call rows with a user");
	}
}

static void
fit_shape(const struct fc_calib *c, struct fc_calib_fit *f)
{
	int h;

	if (c->hours_n >= 240) {
		double mx = 0;
		for (h = 0; h < 24; h++) {
			f->diurnal[h] = c->hour[h] / (c->hours_n / 24);
			mx = fmax(mx, f->diurnal[h]);
		}
		f->has_diurnal = 1;
		f->peak = est(fmin(fmax(mx, 1), 24), NAN, NAN);
	} else {
		f->peak = est_none(2, "fewer than 240 calls with an hour (daily buckets?)");
	}
	if (c->gap_w >= 100)
		f->arrival_cv = est(fmin(sqrt(c->gap_cv2 / c->gap_w), 20), NAN, NAN);
	else
		f->arrival_cv = est_none(1, "fewer than 100 gaps between single calls in the same hour");
	if (c->ok0 + c->ok1 > 0) {
		double a = 1 + c->ok0, b = 1 + c->ok1;
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
fit_models(const struct fc_calib *c, struct fc_calib_fit *f)
{
	size_t i, j;
	int used[MAX_MODEL_NAMES] = { 0 };

	f->n_models = 0;
	for (i = 0; i < FC_CALIB_MAX_MODELS && i < c->n_model; i++) {
		size_t best = 0;
		double bv = -1;
		for (j = 0; j < c->n_model; j++)
			if (!used[j] && c->model_calls[j] > bv) {
				bv = c->model_calls[j];
				best = j;
			}
		used[best] = 1;
		f->model[f->n_models] = c->model_name[best];
		f->model_share[f->n_models++] = bv / c->calls;
	}
}

enum fc_status
fc_calib_fit(struct fc_calib *c, double users_override, struct fc_calib_fit *f)
{
	double wmean[7], eff_days;

	memset(f, 0, sizeof(*f));
	f->format = c->detected;
	f->rows = c->rows;
	f->bad_rows = c->bad;
	f->cache_hits = c->cache_hits;
	f->calls = c->calls;
	f->spend = c->have_spend ? c->spend : NAN;
	f->aggregated = c->aggregated;
	if (!(c->calls > 0))
		return FC_EINVAL;
	add_gap(c, INFINITY);   /* closes the last cell */
	f->t0 = c->t0;
	f->t1 = c->t1;
	f->span_days = (double)c->nday;
	f->n_traces = c->n_traces;
	f->users_seen = (double)c->users.n;
	if (!isnan(users_override))
		f->users = est(users_override, NAN, NAN);
	else if (c->users.n > 0)
		f->users = est((double)c->users.n, NAN, NAN);
	else
		f->users = est_none(0, "the log names no users");
	if (c->n_traces > 0 && c->trace_calls >= c->calls / 2) {
		double m = c->trace_calls / c->n_traces, ss = c->trace_sumsq, se = 0;
		size_t i;
		for (i = 0; i < c->traces.cap; i++)   /* the traces still open */
			if (c->traces.v[i].key)
				ss += c->traces.v[i].b * c->traces.v[i].b;
		if (c->n_traces >= 2)
			se = sqrt(fmax(ss / c->n_traces - m * m, 0) / (c->n_traces - 1));
		f->chaining = est(fmax(m, 1), fmax(m - Z90 * se, 1), fmax(m + Z90 * se, 1));
	}
	else
		f->chaining = est_none(1, "no trace ids on most calls");
	if (fit_top10(c, f) != FC_OK)
		return FC_ENOMEM;
	eff_days = fit_days(c, f, wmean);
	fit_rpud(c, f, eff_days, wmean);
	fit_tokens(c, f);
	fit_shape(c, f);
	fit_models(c, f);
	return FC_OK;
}
