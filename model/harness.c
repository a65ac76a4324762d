/*
 * harness.c: the pure parts of bench's load harness (see harness.h):
 * requests per level, throughput over the observed overlap of streams,
 * the SLO search's state machine, per-request lengths, roofline figures.
 */
#include "harness.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

long
fc_harness_requests(long asked, long conc, int search)
{
	long need = FC_HARNESS_REQ_PER_STREAM * conc;

	if (need < FC_HARNESS_REQ_MIN)
		need = FC_HARNESS_REQ_MIN;
	if (asked <= 0 || (search && asked < need))
		return need;
	return asked;
}

int
fc_harness_enough(size_t n, long conc)
{
	if (conc <= 0)
		return n >= FC_HARNESS_REQ_MIN;
	return n >= (size_t)(FC_HARNESS_REQ_PER_STREAM * conc);
}

/* ---- throughput over the observed overlap ---- */

/* An event of the sweep: at t, the outstanding count changes by d_out
 * and the decoding count by d_dec. */
struct ev {
	double t;
	int d_out, d_dec;
};

static int
ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	int ex = x->d_out < 0 || x->d_dec < 0, ey = y->d_out < 0 || y->d_dec < 0;

	if (x->t < y->t) return -1;
	if (x->t > y->t) return 1;
	return ey - ex;          /* ends before starts at the same instant */
}

/* Whether t lies in one of the n sorted, disjoint closed segments seg
 * (pairs lo, hi). */
static int
in_window(const double *seg, size_t n, double t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (seg[2 * mid + 1] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && seg[2 * lo] <= t;
}

/* Decode tokens of one request received inside the window. */
static double
tokens_inside(const struct fc_benchstat_req *q, const double *seg, size_t n_seg)
{
	double tok = q->output_tokens >= 0 ? q->output_tokens : (double)q->pieces;
	double sum = 0, t;
	size_t k;

	if (q->t_first < 0 || tok < 2 || n_seg == 0)
		return 0;
	if (q->n_gaps > 0 && q->n_gaps + 1 == q->pieces) {
		/* each piece after the first carries its share of the tokens */
		double w = (tok - 1) / (double)q->n_gaps;

		for (t = q->t_first, k = 0; k < q->n_gaps; k++) {
			t += q->gaps[k];
			/* the sum of the gaps may pass the end by a rounding */
			if (in_window(seg, n_seg, t < q->t_end ? t : q->t_end))
				sum += w;
		}
		return sum;
	}
	{
		/* gaps not kept for every piece: evenly over the decode span */
		long m = (long)(tok - 1), i;
		double dt = (q->t_end - q->t_first) / (double)m;

		for (i = 1; i <= m; i++)
			if (in_window(seg, n_seg, q->t_first + dt * (double)i))
				sum += 1;
		return sum * (tok - 1) / (double)m;
	}
}

enum fc_status
fc_harness_overlap(const struct fc_benchstat_req *r, size_t n, long target,
    struct fc_harness_overlap *out)
{
	struct ev *e;
	double *seg;
	size_t i, ne = 0, ns = 0;
	long out_n = 0, dec_n = 0;

	memset(out, 0, sizeof(*out));
	if (target < 1)
		target = 1;
	e = fc_calloc(4 * n + 1, sizeof(*e));
	seg = fc_calloc(2 * (4 * n + 1), sizeof(*seg));
	if (e == NULL || seg == NULL) {
		fc_free(e);
		fc_free(seg);
		return FC_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct fc_benchstat_req *q = &r[i];

		if (!(q->t_end >= q->t_start))
			continue;
		e[ne++] = (struct ev){ q->t_start, 1, 0 };
		e[ne++] = (struct ev){ q->t_end, -1, 0 };
		if (q->t_first >= q->t_start && q->t_first <= q->t_end) {
			e[ne++] = (struct ev){ q->t_first, 0, 1 };
			e[ne++] = (struct ev){ q->t_end, 0, -1 };
		}
	}
	qsort(e, ne, sizeof(*e), ev_cmp);
	for (i = 0; i < ne; i++) {
		out_n += e[i].d_out;
		dec_n += e[i].d_dec;
		if (dec_n > out->streams_max)
			out->streams_max = dec_n;
		if (i + 1 < ne && e[i + 1].t > e[i].t && out_n >= target && dec_n >= 1) {
			/* [e[i].t, e[i+1].t] is inside: extend the last segment
			 * when they touch */
			if (ns > 0 && seg[2 * ns - 1] >= e[i].t) {
				seg[2 * ns - 1] = e[i + 1].t;
			} else {
				seg[2 * ns] = e[i].t;
				seg[2 * ns + 1] = e[i + 1].t;
				ns++;
			}
		}
	}
	for (i = 0; i < ns; i++)
		out->window_s += seg[2 * i + 1] - seg[2 * i];
	if (ns > 0) {
		out->t_lo = seg[0];
		out->t_hi = seg[2 * ns - 1];
	}
	for (i = 0; i < n; i++)
		out->tokens += tokens_inside(&r[i], seg, ns);
	if (out->window_s > 0)
		out->tok_s = out->tokens / out->window_s;
	fc_free(e);
	fc_free(seg);
	return FC_OK;
}

/* ---- the SLO search ---- */

void
fc_harness_search_init(struct fc_harness_search *s, int open, double start)
{
	memset(s, 0, sizeof(*s));
	s->open = open;
	s->x = open ? start : 1;
	s->xmax = open ? 1e6 : 1024;
	s->xmin = open ? start / 16 : 1;
}

double
fc_harness_search_next(const struct fc_harness_search *s)
{
	return s->x;
}

/* The search is over with the bracket [lo, hi]. */
static void
settle(struct fc_harness_search *s)
{
	s->best = s->lo;
	s->fail = s->hi;
	s->x = 0;
}

/* The next bisection point, or the end when the bracket is tight. */
static void
bisect(struct fc_harness_search *s)
{
	s->bisecting = 1;
	if (s->open ? s->hi / s->lo <= 1.05 : s->hi - s->lo <= 1) {
		settle(s);
		return;
	}
	s->x = s->open ? sqrt(s->lo * s->hi) : floor((s->lo + s->hi) / 2);
}

void
fc_harness_search_feed(struct fc_harness_search *s, int pass, int proper)
{
	double x = s->x;

	if (x <= 0)
		return;
	s->probes++;
	if (!proper) {
		/* no verdict from this level: what passed so far stands, but
		 * neither a failure nor a bound was found */
		s->improper = 1;
		s->best = s->lo;
		s->fail = 0;
		s->x = 0;
		return;
	}
	if (pass)
		s->lo = x;
	else
		s->hi = x;
	if (s->bisecting || (s->lo > 0 && s->hi > 0)) {
		bisect(s);
		return;
	}
	if (pass) {
		if (x * 2 > s->xmax) {
			s->lower_bound_only = 1;
			settle(s);
			return;
		}
		s->x = x * 2;
		return;
	}
	if (!s->open || x / 2 < s->xmin) {
		settle(s);              /* nothing passes */
		return;
	}
	s->x = x / 2;
}

/* ---- lengths ---- */

void
fc_harness_draw_lengths(const struct fc_harness_lengths *L, uint64_t *rng,
    size_t *chars, long *out_tokens)
{
	double t, c;

	*chars = L->prompt_chars;
	*out_tokens = L->out_tokens;
	if (L->input_cv > 0) {
		t = floor((double)L->want_input *
		    fc_splitmix64_lognormal1(rng, L->input_cv) + 0.5);
		if (t < 1)
			t = 1;
		c = L->cal_b > 0 ? (t - L->cal_a) / L->cal_b :
		    (double)L->prompt_chars * t / (double)L->want_input;
		*chars = c < 8 ? 8 : c > 8e6 ? 8000000 : (size_t)(c + 0.5);
	}
	if (L->output_cv > 0) {
		t = floor((double)L->out_tokens *
		    fc_splitmix64_lognormal1(rng, L->output_cv) + 0.5);
		*out_tokens = t < 1 ? 1 : t > 1000000 ? 1000000 : (long)t;
	}
}

/* ---- roofline ---- */

void
fc_harness_roofline(double decode1_tok_s, double prefill_tok_s,
    double weights_gb, double params_b, double probe_bw_gbs,
    double probe_gflops, struct fc_harness_roofline *out)
{
	memset(out, 0, sizeof(*out));
	out->raw_decode = out->raw_prefill = 1;
	out->measured = probe_bw_gbs > 0 || probe_gflops > 0;
	if (out->measured) {
		out->bw_gbs = probe_bw_gbs;
		out->gflops = probe_gflops;
		if (probe_bw_gbs > 0)
			out->raw_decode = decode1_tok_s * weights_gb / probe_bw_gbs;
		if (probe_gflops > 0)
			out->raw_prefill = prefill_tok_s * 2 * params_b / probe_gflops;
	} else {
		out->bw_gbs = decode1_tok_s * weights_gb;
		out->gflops = prefill_tok_s * 2 * params_b;
	}
	out->capped = out->raw_decode > 1 || out->raw_prefill > 1;
	out->eta_decode = out->raw_decode > 1 ? 1.0 : out->raw_decode;
	out->eta_prefill = out->raw_prefill > 1 ? 1.0 : out->raw_prefill;
}
