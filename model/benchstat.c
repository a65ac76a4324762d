/*
 * benchstat.c: per-level aggregation of benchmark measurements, and the
 * parsers for the load options (concurrency lists, rates, SLOs).
 */
#include "benchstat.h"
#include "harness.h"
#include "stats.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double
fc_benchstat_percentile(const double *sorted, size_t n, double q)
{
	double h, f;
	size_t lo;

	if (n == 0)
		return 0;
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	h = (double)(n - 1) * q;
	lo = (size_t)h;
	f = h - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + f * (sorted[lo + 1] - sorted[lo]);
}

void
fc_benchstat_dist(double *v, size_t n, struct fc_benchstat_dist *out)
{
	double sum = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), fc_stats_cmp_double);
	for (i = 0; i < n; i++)
		sum += v[i];
	out->n = n;
	out->mean = sum / (double)n;
	out->p50 = fc_benchstat_percentile(v, n, 0.50);
	out->p90 = fc_benchstat_percentile(v, n, 0.90);
	out->p99 = fc_benchstat_percentile(v, n, 0.99);
	out->min = v[0];
	out->max = v[n - 1];
}

/* Output tokens of a completed request: the server's count, else pieces. */
static double
out_tokens(const struct fc_benchstat_req *q)
{
	return q->output_tokens >= 0 ? q->output_tokens : (double)q->pieces;
}

int
fc_benchstat_req_met(const struct fc_benchstat_req *q,
    const struct fc_benchstat_slo *slo)
{
	double tok = out_tokens(q);

	if (!q->ok)
		return 0;
	if (q->t_first >= 0) {
		if (slo->ttft_s > 0 && q->t_first - q->t_start > slo->ttft_s)
			return 0;
		if (tok >= 2 && slo->tpot_s > 0 &&
		    (q->t_end - q->t_first) / (tok - 1) > slo->tpot_s)
			return 0;
	} else if (slo->ttft_s > 0) {
		return 0;       /* no token at all: TTFT unbounded */
	}
	return !(slo->e2e_s > 0 && q->t_end - q->t_start > slo->e2e_s);
}

/* A level's running sums and the samples its distributions are made of. */
struct acc {
	double *ttft, *tpot, *e2e, *rate, *itl;   /* samples */
	size_t nt, np, ng;
	double in_sum, out_sum, dec_time, pre_tok, pre_time;
	double sp_tok, sp_time, se_tok, se_time, load_sum;
	size_t n_in, n_load, n_srv_tok;
};

/* The server's own figures of one completed request. */
static void
acc_server(struct acc *a, const struct fc_benchstat_req *q)
{
	if (q->srv_prompt_s > 0 && q->srv_prompt_tokens > 0) {
		a->sp_tok += q->srv_prompt_tokens;
		a->sp_time += q->srv_prompt_s;
	}
	if (q->srv_eval_s > 0 && q->output_tokens > 0) {
		a->se_tok += q->output_tokens;
		a->se_time += q->srv_eval_s;
	}
	if (q->srv_load_s >= 0) {
		a->load_sum += q->srv_load_s;
		a->n_load++;
	}
}

/* One completed request into the sums; its e2e sample goes at slot. */
static void
acc_request(struct acc *a, const struct fc_benchstat_req *q, size_t slot)
{
	double tok = out_tokens(q);
	size_t k;

	if (q->output_tokens >= 0)
		a->n_srv_tok++;
	a->out_sum += tok;
	a->e2e[slot] = q->t_end - q->t_start;
	if (q->input_tokens >= 0) {
		a->in_sum += q->input_tokens;
		a->n_in++;
	}
	if (q->t_first >= 0) {
		double t = q->t_first - q->t_start;

		a->ttft[a->nt++] = t;
		if (q->input_tokens > 0) {
			a->pre_tok += q->input_tokens;
			a->pre_time += t;
		}
		if (tok >= 2) {
			double dt = q->t_end - q->t_first;
			double tp = dt / (tok - 1);

			a->tpot[a->np] = tp;
			a->rate[a->np++] = tp > 0 ? 1 / tp : 0;
			a->dec_time += dt;
		}
	}
	for (k = 0; k < q->n_gaps; k++)
		a->itl[a->ng++] = q->gaps[k];
	acc_server(a, q);
}

/* The rates and means from the sums. */
static void
acc_finish(const struct acc *a, struct fc_benchstat_level *out)
{
	fc_benchstat_dist(a->ttft, a->nt, &out->ttft_s);
	fc_benchstat_dist(a->tpot, a->np, &out->tpot_s);
	fc_benchstat_dist(a->e2e, out->ok, &out->e2e_s);
	fc_benchstat_dist(a->rate, a->np, &out->stream_tok_s);
	fc_benchstat_dist(a->itl, a->ng, &out->itl_s);
	out->tokens_from_server = out->ok > 0 && a->n_srv_tok == out->ok;
	if (out->ok > 0) {
		out->output_tokens_mean = a->out_sum / (double)out->ok;
		out->input_tokens_mean = a->n_in ? a->in_sum / (double)a->n_in : -1;
	}
	if (out->wall_s > 0) {
		out->output_tok_s = a->out_sum / out->wall_s;
		out->requests_per_s = (double)out->ok / out->wall_s;
		out->goodput_rps = (double)out->slo_met / out->wall_s;
	}
	if (a->pre_time > 0)
		out->prefill_tok_s = a->pre_tok / a->pre_time;
	if (a->sp_time > 0)
		out->srv_prefill_tok_s = a->sp_tok / a->sp_time;
	if (a->se_time > 0)
		out->srv_decode_tok_s = a->se_tok / a->se_time;
	if (a->n_load > 0)
		out->srv_load_s = a->load_sum / (double)a->n_load;
	out->slo_attainment = out->n ? (double)out->slo_met / (double)out->n : 0;
}

enum fc_status
fc_benchstat_level(const struct fc_benchstat_req *r, size_t n, double streams,
    const struct fc_benchstat_slo *slo, struct fc_benchstat_level *out)
{
	struct acc a;
	double t0 = 0, t1 = 0;
	size_t i, n_gaps = 0;
	enum fc_status st = FC_OK;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	out->srv_prefill_tok_s = out->srv_decode_tok_s = out->srv_load_s = -1;
	out->n = n;
	for (i = 0; i < n; i++)
		if (r[i].ok)
			n_gaps += r[i].n_gaps;
	a.ttft = fc_calloc(n ? n : 1, sizeof(double));
	a.tpot = fc_calloc(n ? n : 1, sizeof(double));
	a.e2e = fc_calloc(n ? n : 1, sizeof(double));
	a.rate = fc_calloc(n ? n : 1, sizeof(double));
	a.itl = fc_calloc(n_gaps ? n_gaps : 1, sizeof(double));
	if (!a.ttft || !a.tpot || !a.e2e || !a.rate || !a.itl) {
		st = FC_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct fc_benchstat_req *q = &r[i];

		if (i == 0 || q->t_start < t0)
			t0 = q->t_start;
		if (i == 0 || q->t_end > t1)
			t1 = q->t_end;
		if (!q->ok) {
			out->errors++;
			continue;
		}
		acc_request(&a, q, out->ok++);
		if (slo == NULL || fc_benchstat_req_met(q, slo))
			out->slo_met++;
	}
	out->wall_s = n ? t1 - t0 : 0;
	acc_finish(&a, out);
	if (a.dec_time > 0) {
		struct fc_harness_overlap ov;

		if (fc_harness_overlap(r, n, streams > 0 ? (long)streams : 1,
		    &ov) != FC_OK) {
			st = FC_ENOMEM;
			goto out;
		}
		out->decode_tok_s = ov.tok_s;
		out->overlap_s = ov.window_s;
		out->streams_in_flight_max = ov.streams_max;
	}
out:
	fc_free(a.ttft);
	fc_free(a.tpot);
	fc_free(a.e2e);
	fc_free(a.rate);
	fc_free(a.itl);
	return st;
}

void
fc_benchstat_repeat(const double *v, size_t n, struct fc_benchstat_rep *out)
{
	double sum = 0, ss = 0, half;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->sd = out->ci_lo = out->ci_hi = -1;
	for (i = 0; i < n; i++)
		if (v[i] > 0) {
			sum += v[i];
			out->n++;
		}
	if (out->n == 0)
		return;
	out->mean = sum / (double)out->n;
	if (out->n < 2)
		return;
	for (i = 0; i < n; i++)
		if (v[i] > 0)
			ss += (v[i] - out->mean) * (v[i] - out->mean);
	out->sd = sqrt(ss / (double)(out->n - 1));
	half = gsl_cdf_tdist_Pinv(0.975, (double)(out->n - 1)) * out->sd /
	    sqrt((double)out->n);
	out->ci_lo = out->mean - half;
	out->ci_hi = out->mean + half;
}

/* ---- option parsers ---- */

static int
fail(char *err, size_t errlen, const char *msg, const char *at)
{
	if (errlen)
		snprintf(err, errlen, "%s at '%s'", msg, at);
	return -1;
}

/* A strictly decimal long at *p; advances *p.  Returns 0 on success. */
static int
read_long(const char **p, long *v)
{
	char *end;

	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	*v = strtol(*p, &end, 10);
	if (errno)
		return -1;
	*p = end;
	return 0;
}

static int
add_level(long v, long *out, int *n, int cap)
{
	int i;

	for (i = 0; i < *n; i++)
		if (out[i] == v)
			return 0;
	if (*n >= cap)
		return -1;
	out[(*n)++] = v;
	return 0;
}

int
fc_benchstat_levels_parse(const char *s, long max, long *out, int cap,
    char *err, size_t errlen)
{
	const char *p = s, *item;
	int n = 0;

	if (*p == '\0')
		return fail(err, errlen, "empty list", s);
	for (;;) {
		long a, b, step = 0, v;
		char op = 0;

		item = p;
		if (read_long(&p, &a))
			return fail(err, errlen, "expected a number", item);
		b = a;
		if (*p == '-') {
			p++;
			if (read_long(&p, &b))
				return fail(err, errlen, "expected a number after '-'", item);
			if (*p == '*' || *p == '+') {
				op = *p++;
				if (read_long(&p, &step))
					return fail(err, errlen, "expected a step", item);
			} else {
				op = '*';
				step = 2;
			}
		}
		if (a < 1 || b > max || a > b) {
			if (errlen)
				snprintf(err, errlen, "levels must be in [1, %ld] "
				    "and ranges increasing at '%s'", max, item);
			return -1;
		}
		if ((op == '*' && step < 2) || (op == '+' && step < 1))
			return fail(err, errlen, "step must be at least 2 for '*' "
			    "and 1 for '+'", item);
		for (v = a; v <= b; v = op == '*' ? v * step : v + step) {
			if (add_level(v, out, &n, cap))
				return fail(err, errlen, "too many levels", item);
			/* stop before the next level passes b (or overflows) */
			if (op == 0 || (op == '*' && v > b / step) ||
			    (op == '+' && v > b - step))
				break;
		}
		if (*p == '\0')
			break;
		if (*p != ',')
			return fail(err, errlen, "unexpected character", p);
		p++;
	}
	return n;
}

int
fc_benchstat_rates_parse(const char *s, double max, double *out, int cap,
    char *err, size_t errlen)
{
	const char *p = s;
	int n = 0;

	for (;;) {
		char *end;
		double v;

		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return fail(err, errlen, "expected a number", p);
		errno = 0;
		v = strtod(p, &end);
		if (errno || end == p || !isfinite(v) || v <= 0 || v > max)
			return fail(err, errlen, "rate must be positive and within limits", p);
		if (n >= cap)
			return fail(err, errlen, "too many rates", p);
		out[n++] = v;
		p = end;
		if (*p == '\0')
			break;
		if (*p != ',')
			return fail(err, errlen, "unexpected character", p);
		p++;
	}
	return n;
}

int
fc_benchstat_slo_parse(const char *s, struct fc_benchstat_slo *out,
    char *err, size_t errlen)
{
	const char *p = s;

	memset(out, 0, sizeof(*out));
	if (*p == '\0')
		return fail(err, errlen, "empty SLO", s);
	for (;;) {
		const char *key = p, *eq = strchr(p, '=');
		size_t klen;
		char *end;
		double v;

		if (eq == NULL)
			return fail(err, errlen, "expected KEY=VALUE", key);
		klen = (size_t)(eq - p);
		p = eq + 1;
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return fail(err, errlen, "expected a duration", key);
		errno = 0;
		v = strtod(p, &end);
		if (errno || end == p || !isfinite(v) || v <= 0)
			return fail(err, errlen, "expected a positive duration", key);
		p = end;
		if (strncmp(p, "ms", 2) == 0) {
			v /= 1000;
			p += 2;
		} else if (*p == 's') {
			p++;
		}
		if (klen == 4 && strncmp(key, "ttft", 4) == 0)
			out->ttft_s = v;
		else if (klen == 4 && strncmp(key, "tpot", 4) == 0)
			out->tpot_s = v;
		else if (klen == 3 && strncmp(key, "e2e", 3) == 0)
			out->e2e_s = v;
		else
			return fail(err, errlen, "unknown SLO (expected ttft, tpot "
			    "or e2e)", key);
		if (*p == '\0')
			break;
		if (*p != ',')
			return fail(err, errlen, "unexpected character", p);
		p++;
	}
	return 0;
}
