/*
 * calib_gen.c: synthetic usage logs from known parameters, in each format
 * calibrate reads: the round-trip tests (tests/unit/test_calib.c) fit them
 * back, and perf/bench_calib.c times the reader on them.  Writes to a
 * FILE* the caller owns; prints nothing else.
 *
 * Model: user u has intensity w_u (lognormal, mean 1, the sigma that
 * gives the top10 share, scaled to a sample mean of 1); on a weekday u starts Poisson(rpud w_u) user
 * actions, on a weekend day Poisson(rpud w_u weekend); each action starts
 * at a time of day drawn from 1 + (peak - 1) cos(2 pi (h - 14) / 24) and
 * makes 1 + Poisson(chaining - 1) calls two seconds apart, one trace.
 * CSV logs name two models: each action goes to gpt-4o-mini with
 * probability mini_share (every fourth action when 0), else to gpt-4o.
 */
#include "calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cost.h"

struct gcall {
	double ts;
	long user, trace;
	double in, out, cached;
	int ok, batch;
	int mini;              /* answered by gpt-4o-mini (CSV) */
};

static int
cmp_ts(const void *a, const void *b)
{
	const struct gcall *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->trace < y->trace ? -1 : x->trace > y->trace;
}

static void
iso(double t, char *buf, size_t len)
{
	time_t s = (time_t)floor(t);
	struct tm tm;

	size_t k;

	gmtime_r(&s, &tm);
	k = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + k, len - k, ".%03uZ", (unsigned)((t - floor(t)) * 1000) % 1000u);
}

static double
draw_tokens(gsl_rng *r, double mean, double cv)
{
	double mu, s;

	if (cv <= 0)
		return round(mean);
	fc_dist_lognormal_params(mean, cv, &mu, &s);
	return round(exp(mu + s * gsl_ran_gaussian_ziggurat(r, 1.0)));
}

static double
draw_tod(gsl_rng *r, double peak)
{
	for (;;) {
		double t = gsl_rng_uniform(r) * FC_SECONDS_PER_DAY;
		double w = 1 + (peak - 1) * cos(2 * M_PI * (t / 3600 - 14) / 24);
		if (gsl_rng_uniform(r) * peak <= w)
			return t;
	}
}

/* One day's calls, sorted by time; *n calls.  NULL when out of memory. */
static struct gcall *
gen_day(const struct fc_calib_gen *g, gsl_rng *r, const double *wu, long day,
    long *trace_id, size_t *n)
{
	struct gcall *v = NULL, *t;
	size_t cap = 0;
	double t0 = g->t0 + (double)day * FC_SECONDS_PER_DAY;
	int wd = (int)(((long)floor(t0 / FC_SECONDS_PER_DAY) + 3) % 7);
	double mult = wd >= 5 ? g->weekend : 1, fin = 1, fout = 1;
	long u;

	*n = 0;
	if (g->day_cv > 0) {   /* drawn only when asked: the default logs stay as they were */
		double mu, sg;
		fc_dist_lognormal_params(1, g->day_cv, &mu, &sg);
		fin = exp(mu + sg * gsl_ran_gaussian_ziggurat(r, 1.0));
		fout = exp(mu + sg * gsl_ran_gaussian_ziggurat(r, 1.0));
	}
	for (u = 0; u < g->users; u++) {
		unsigned k, na = gsl_ran_poisson(r, g->rpud * wu[u] * mult);
		for (k = 0; k < na; k++) {
			double ts = t0 + draw_tod(r, g->peak);
			unsigned c, nc = 1 + (g->chaining > 1 ? gsl_ran_poisson(r, g->chaining - 1) : 0);
			long tr = (*trace_id)++;
			/* drawn only when asked: the default logs stay as they were */
			int mini = g->mini_share > 0 ? gsl_rng_uniform(r) < g->mini_share : tr % 4 == 0;
			for (c = 0; c < nc; c++) {
				struct gcall *x;
				if (*n == cap) {
					cap = cap ? cap * 2 : 4096;
					if ((t = fc_realloc(v, cap * sizeof(*v))) == NULL) {
						fc_free(v);
						return NULL;
					}
					v = t;
				}
				x = &v[(*n)++];
				x->ts = ts + 2.0 * c;
				x->user = u;
				x->trace = tr;
				x->in = draw_tokens(r, fin * (g->in_mean + g->growth * (double)day / 30.4375),
				    g->in_cv);
				x->out = draw_tokens(r, fout * g->out_mean, g->out_cv);
				x->cached = round(x->in * g->cached);
				x->ok = gsl_rng_uniform(r) >= g->fallback;
				x->batch = gsl_rng_uniform(r) < g->batch;
				x->mini = mini;
			}
		}
	}
	if (v)   /* qsort() may not be given NULL, even for no elements */
		qsort(v, *n, sizeof(*v), cmp_ts);
	return v;
}

static int
write_call(FILE *f, enum fc_calib_format fmt, const struct gcall *x, long row)
{
	char ts[40], te[40];

	iso(x->ts, ts, sizeof(ts));
	switch (fmt) {
	case FC_CALIB_LITELLM:
		iso(x->ts + 1.5, te, sizeof(te));
		return fprintf(f, "req-%ld,acompletion,sk-hash-1,%.8f,%.0f,%.0f,%.0f,%s,%s,gpt-4o,"
		    "https://api.openai.com/v1,,\"{\"\"trace\"\": \"\"t%ld\"\"}\",False,,[],team-1,u%ld\r\n",
		    row, (x->in * 2.5 + x->out * 10) / 1e6, x->in + x->out, x->in, x->out,
		    ts, te, x->trace, x->user);
	case FC_CALIB_LANGFUSE:
		return fprintf(f, "{\"id\":\"obs-%ld\",\"traceId\":\"t%ld\",\"type\":\"GENERATION\","
		    "\"startTime\":\"%s\",\"userId\":\"u%ld\",\"model\":\"gpt-4o\","
		    "\"usage\":{\"input\":%.0f,\"output\":%.0f,\"total\":%.0f,\"unit\":\"TOKENS\"}}\n",
		    row, x->trace, ts, x->user, x->in, x->out, x->in + x->out);
	default:
		return fprintf(f, "%s,u%ld,%.0f,%.0f,%.0f,t%ld,%d,%s,%d\n", ts, x->user, x->in,
		    x->out, x->cached, x->trace, x->ok, x->mini ? "gpt-4o-mini" : "gpt-4o",
		    x->batch);
	}
}

/* OpenAI usage: one hourly bucket per hour with two results (batch or not). */
static int
write_buckets(FILE *f, const struct gcall *v, size_t n, int *first)
{
	size_t i = 0;

	while (i < n) {
		double h = floor(v[i].ts / 3600) * 3600, s[2][4] = { { 0 } };
		int b;
		for (; i < n && v[i].ts < h + 3600; i++) {
			b = v[i].batch;
			s[b][0]++;
			s[b][1] += v[i].in;
			s[b][2] += v[i].out;
			s[b][3] += v[i].cached;
		}
		if (fprintf(f, "%s{\"object\":\"bucket\",\"start_time\":%.0f,\"end_time\":%.0f,\"results\":[",
		    *first ? "" : ",\n", h, h + 3600) < 0)
			return -1;
		*first = 0;
		for (b = 0; b < 2; b++)
			if (fprintf(f, "%s{\"object\":\"organization.usage.completions.result\","
			    "\"input_tokens\":%.0f,\"output_tokens\":%.0f,\"input_cached_tokens\":%.0f,"
			    "\"input_audio_tokens\":0,\"output_audio_tokens\":0,\"num_model_requests\":%.0f,"
			    "\"project_id\":null,\"user_id\":null,\"api_key_id\":null,\"model\":null,"
			    "\"batch\":%s}", b ? "," : "", s[b][1], s[b][2], s[b][3], s[b][0],
			    b ? "true" : "false") < 0)
				return -1;
		if (fputs("]}", f) < 0)
			return -1;
	}
	return 0;
}

static int
write_head(FILE *f, enum fc_calib_format fmt)
{
	switch (fmt) {
	case FC_CALIB_LITELLM:
		return fputs("request_id,call_type,api_key,spend,total_tokens,prompt_tokens,"
		    "completion_tokens,startTime,endTime,model,api_base,user,metadata,cache_hit,"
		    "cache_key,request_tags,team_id,end_user\r\n", f);
	case FC_CALIB_OPENAI:
		return fputs("{\"object\":\"page\",\"data\":[\n", f);
	case FC_CALIB_LANGFUSE:
		return 0;
	default:
		return fputs("ts,user,in,out,cached,trace,ok,model,batch\n", f);
	}
}

long
fc_calib_generate(FILE *f, enum fc_calib_format fmt, const struct fc_calib_gen *g)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double *wu = fc_malloc((size_t)(g->users > 0 ? g->users : 1) * sizeof(*wu));
	double sg = fc_inputs_top10_sigma(g->top10);
	long day, rows = 0, trace = 0;
	int first = 1, bad = r == NULL || wu == NULL;

	if (!bad) {
		long u;
		gsl_rng_set(r, g->seed);
		double sum = 0;
		for (u = 0; u < g->users; u++)
			sum += wu[u] = exp(sg * gsl_ran_gaussian_ziggurat(r, 1.0));
		/* intensities with a sample mean of exactly 1: the log's volume
		 * is then rpud's, not rpud's times a sampling error */
		for (u = 0; u < g->users; u++)
			wu[u] *= (double)g->users / sum;
		bad = write_head(f, fmt) < 0;
	}
	for (day = 0; day < g->days && !bad; day++) {
		size_t n, i;
		struct gcall *v = gen_day(g, r, wu, day, &trace, &n);
		if (v == NULL && n) {
			bad = 1;
			break;
		}
		if (fmt == FC_CALIB_OPENAI) {
			bad = write_buckets(f, v, n, &first) < 0;
			rows += (long)n;
		} else {
			for (i = 0; i < n && !bad; i++)
				bad = write_call(f, fmt, &v[i], rows++) < 0;
		}
		fc_free(v);
	}
	if (!bad && fmt == FC_CALIB_OPENAI)
		bad = fputs("\n],\"has_more\":false,\"next_page\":null}\n", f) < 0;
	gsl_rng_free(r);
	fc_free(wu);
	return bad || ferror(f) ? -1 : rows;
}
