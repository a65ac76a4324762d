/*
 * harness.h: the pure parts of `flatcost bench`'s load harness, apart
 * from the network: how many requests a level needs to measure what it
 * names, the aggregate throughput observed over the span in which streams
 * overlapped, the SLO search as a state machine fed with each probe's
 * verdict, the per-request length draws, and the roofline figures a
 * profile is built from.  No printing, no exit, no clock: the caller
 * feeds recorded timestamps (one monotonic clock, seconds), so every
 * function here runs in a unit test without a server.
 */
#ifndef FC_HARNESS_H
#define FC_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "benchstat.h"
#include "fc.h"

/* A closed-loop level of C streams runs at least this many x C requests
 * by default: the first C fill the server, the rest keep it full, so the
 * level measures the concurrency it names. */
#define FC_HARNESS_REQ_PER_STREAM 4
/* and never fewer than this many */
#define FC_HARNESS_REQ_MIN 8

/*
 * Requests a level runs.  asked: --requests (0: not given).  conc: the
 * level's concurrency (0: open loop).  search: an SLO search probe.
 *  - not given: max(FC_HARNESS_REQ_MIN, FC_HARNESS_REQ_PER_STREAM x conc);
 *  - given, a plain level: asked (the caller refuses asked < conc);
 *  - given, a search probe: max(asked, FC_HARNESS_REQ_PER_STREAM x conc,
 *    FC_HARNESS_REQ_MIN), so that every level the search visits is
 *    measured properly.
 */
long fc_harness_requests(long asked, long conc, int search);

/* Whether a level of n requests at concurrency conc (0: open loop)
 * measured what it names: closed loop, n >= FC_HARNESS_REQ_PER_STREAM x
 * conc; open loop, n >= FC_HARNESS_REQ_MIN. */
int fc_harness_enough(size_t n, long conc);

/*
 * Aggregate throughput observed over the span in which streams
 * overlapped.  For each request, the client saw it outstanding over
 * [t_start, t_end] and decoding over [t_first, t_end]; its decode tokens
 * (output tokens - 1) arrived at its text pieces' times (t_first plus the
 * running sum of gaps; spread evenly over [t_first, t_end] when the gaps
 * do not cover every piece).  The window is the set of instants at which
 * at least `target` requests were outstanding and at least one stream was
 * decoding: the steady part of a closed-loop level of `target` streams
 * (the ramp-down after the last request was issued is left out).
 * tok_s is the decode tokens received inside the window over its length:
 * a figure observed, not a per-stream rate multiplied by the streams
 * asked for.  streams_max is the highest number of streams decoding at
 * once (a stream's last piece ends it before the next one's first piece
 * at the same instant starts).
 */
struct fc_harness_overlap {
	double window_s;        /* length of the window, s */
	double tokens;          /* decode tokens received inside it */
	double tok_s;           /* tokens / window_s; 0 when the window is empty */
	long streams_max;       /* streams decoding at once, at most */
	double t_lo, t_hi;      /* the window's first and last instants */
};

/* Fills *out from n requests; target >= 1 (the closed-loop concurrency,
 * 1 for open loop).  FC_ENOMEM when scratch space cannot be allocated. */
enum fc_status fc_harness_overlap(const struct fc_benchstat_req *r, size_t n,
    long target, struct fc_harness_overlap *out);

/*
 * --search-slo as a state machine: fc_harness_search_next() names the
 * next level to run (0: the search is over); the caller runs it and hands
 * the verdict to fc_harness_search_feed().  Bracketing from `start`
 * (concurrency 1, or the first --rate), doubling while levels pass
 * (halving the rate while it fails, down to start / 16), then bisection
 * between the last pass and the first failure, to one stream or to 5% of
 * the rate.  A probe that was not measured properly (`proper` 0: too few
 * requests, cut short) ends the search without an answer from it.
 */
struct fc_harness_search {
	int open;               /* rate search (else concurrency) */
	double x;               /* the level to run next; 0: over */
	double lo, hi;          /* last pass, first failure above it; 0: none */
	double xmin, xmax;      /* limits of the bracket */
	int bisecting;
	/* the answer, once over */
	double best;            /* highest passing level; 0: none passed */
	double fail;            /* lowest failing level above it; 0: none */
	int lower_bound_only;   /* the top of the range passed, measured properly */
	int improper;           /* stopped at a level not measured properly */
	int probes;             /* levels fed */
};

void fc_harness_search_init(struct fc_harness_search *s, int open, double start);
/* The next level to run; 0 when the search is over. */
double fc_harness_search_next(const struct fc_harness_search *s);
/* The verdict on the level fc_harness_search_next() named. */
void fc_harness_search_feed(struct fc_harness_search *s, int pass, int proper);

/*
 * Per-request lengths: the means, or lognormal draws of mean 1 and the
 * given CV around them (input_cv / output_cv; 0: fixed), from the
 * lengths' own stream *rng.  The prompt's characters come from the
 * calibration line tokens = cal_a + cal_b x chars (cal_b 0: in proportion
 * to the calibrated prompt), at least 8.
 */
struct fc_harness_lengths {
	size_t prompt_chars;    /* the calibrated prompt for want_input tokens */
	long want_input;        /* prompt tokens wanted */
	long out_tokens;        /* output tokens wanted */
	double input_cv, output_cv;
	double cal_a, cal_b;
};

void fc_harness_draw_lengths(const struct fc_harness_lengths *L, uint64_t *rng,
    size_t *chars, long *out_tokens);

/*
 * The roofline figures of a profile: the memory bandwidth (GB/s) and
 * arithmetic rate (GFLOP/s) the hardware offers and the engine's
 * efficiency against them.  Decode reads the weights once per token
 * (bandwidth = decode tok/s x weights GB); prefill does 2 x params FLOPs a
 * token.  With a probe's measured bandwidth and rate (> 0) the
 * efficiencies are the engine's share of them, capped at 1 (capped says
 * one was over: caches, int8 kernels); without, bandwidth and rate are
 * estimated from the measurement itself and the efficiencies are 1.
 */
struct fc_harness_roofline {
	double bw_gbs, gflops;
	double eta_decode, eta_prefill;   /* in (0, 1] */
	double raw_decode, raw_prefill;   /* before the cap */
	int measured;                     /* from a probe */
	int capped;
};

void fc_harness_roofline(double decode1_tok_s, double prefill_tok_s,
    double weights_gb, double params_b, double probe_bw_gbs,
    double probe_gflops, struct fc_harness_roofline *out);

#endif /* FC_HARNESS_H */
