/*
 * benchstat.h: the figures `flatcost bench` reports for one load level,
 * computed from per-request measurements.
 *
 * Client-side figures come from the client's clock on the stream: TTFT
 * (request sent to first generated text), TPOT ((end - first) / (tokens -
 * 1)), inter-token gaps (between successive text pieces) and end-to-end
 * latency.  Server-side figures (what the server says it spent on the
 * prompt and on generation) are kept apart, in the srv_* fields.  The one
 * thing shared is the token count: the server's count when it sends one
 * (tokens_from_server), else the number of text pieces.
 *
 * Percentiles interpolate linearly between order statistics (Hyndman and
 * Fan's type 7, the default of R and numpy).  Goodput follows DistServe:
 * requests that met every SLO, per second of the level's wall time.
 */
#ifndef FC_BENCHSTAT_H
#define FC_BENCHSTAT_H

#include <stddef.h>

#include "fc.h"

/* One request, as measured.  Times in seconds on one monotonic clock. */
struct fc_benchstat_req {
	int ok;                 /* completed with its final record */
	double t_start;         /* request handed to the transport */
	double t_first;         /* first piece of generated text; < 0: none */
	double t_end;           /* final record (or failure) */
	size_t pieces;          /* stream records that carried text */
	const double *gaps;     /* seconds between successive text pieces */
	size_t n_gaps;
	double input_tokens;    /* server's prompt count, else the intended; -1 unknown */
	double output_tokens;   /* server's count; -1: not sent (pieces used) */
	double srv_prompt_s;    /* server-reported prompt time; -1 absent */
	double srv_eval_s;      /* server-reported generation time; -1 absent */
	double srv_load_s;      /* server-reported model load time; -1 absent */
	double srv_prompt_tokens;  /* prompt tokens srv_prompt_s covers (a
	                           server's prompt cache hits excluded); <= 0 absent */
};

/* Service-level objectives; 0 means none. */
struct fc_benchstat_slo {
	double ttft_s;
	double tpot_s;
	double e2e_s;
};

/* Mean and percentiles of one figure over a level; n values (0: all 0). */
struct fc_benchstat_dist {
	size_t n;
	double mean, p50, p90, p99, min, max;
};

struct fc_benchstat_level {
	size_t n;               /* requests issued and measured */
	size_t ok;              /* completed */
	size_t errors;          /* failed */
	double wall_s;          /* first start to last end */
	struct fc_benchstat_dist ttft_s, tpot_s, itl_s, e2e_s;
	struct fc_benchstat_dist stream_tok_s;  /* per-stream decode rate, 1 / TPOT */
	double input_tokens_mean, output_tokens_mean;
	double output_tok_s;    /* all output tokens / wall time (prefill included) */
	double decode_tok_s;    /* aggregate decode rate observed: decode tokens
	                           received while the level's streams overlapped,
	                           over that span (fc_harness_overlap) */
	double overlap_s;       /* the span decode_tok_s is measured over, s */
	long streams_in_flight_max;  /* streams decoding at once, at most */
	double prefill_tok_s;   /* client: input tokens / TTFT, pooled */
	double requests_per_s;  /* completed / wall time */
	int tokens_from_server; /* every completed request had the server's count */
	/* the server's own figures; -1 where it sent none */
	double srv_prefill_tok_s;   /* pooled evaluated prompt tokens / prompt time */
	double srv_decode_tok_s;    /* pooled output tokens / generation time, per stream */
	double srv_load_s;          /* mean model load time */
	/* SLO */
	size_t slo_met;
	double slo_attainment;  /* slo_met / n */
	double goodput_rps;     /* slo_met / wall time */
};

/* One figure over repeated runs of a level (--repeat): the mean of the
 * runs, their run-to-run standard deviation (n - 1 in the denominator) and
 * the 95% confidence interval of the mean (Student's t with n - 1 degrees
 * of freedom: mean +- t sd / sqrt(n)).  With n < 2, sd, ci_lo and ci_hi
 * are -1 (unknown). */
struct fc_benchstat_rep {
	size_t n;               /* runs */
	double mean, sd, ci_lo, ci_hi;  /* in the figure's own unit */
};

/* Fills *out from n values (the runs' figures; <= 0 values, runs that
 * measured nothing, are left out). */
void fc_benchstat_repeat(const double *v, size_t n, struct fc_benchstat_rep *out);

/* Whether one request met every SLO of slo (completed; TTFT, TPOT and
 * end-to-end time within their bounds; a request without a token misses a
 * TTFT bound).  The test fc_benchstat_level counts slo_met with. */
int fc_benchstat_req_met(const struct fc_benchstat_req *q,
    const struct fc_benchstat_slo *slo);

/* Percentile q in [0, 1] of n sorted values (type 7); 0 when n == 0. */
double fc_benchstat_percentile(const double *sorted, size_t n, double q);
/* Sorts v (n values) and fills *out. */
void fc_benchstat_dist(double *v, size_t n, struct fc_benchstat_dist *out);

/*
 * Computes a level's figures from n requests.  streams is the closed-loop
 * concurrency: decode_tok_s is the decode tokens received while at least
 * that many requests were outstanding and one was decoding, over that
 * span (harness.h's fc_harness_overlap; 0 for open loop: while any
 * request was).  slo may be NULL.
 * FC_ENOMEM when scratch space cannot be allocated.
 */
enum fc_status fc_benchstat_level(const struct fc_benchstat_req *r, size_t n,
    double streams, const struct fc_benchstat_slo *slo,
    struct fc_benchstat_level *out);

/* Parses an SLO list "ttft=2s,tpot=200ms,e2e=30s" (units ms or s, bare
 * numbers are seconds).  Returns 0, or -1 with a message in err. */
int fc_benchstat_slo_parse(const char *s, struct fc_benchstat_slo *out,
    char *err, size_t errlen);

/* Parses a concurrency list: "1,2,4,8", "1-32*2" (geometric: 1 2 4 .. 32),
 * "1-8+1" (arithmetic) or a mix "1,2,8-32*2".  Values in [1, max]; at most
 * cap values are stored in out, in the given order, duplicates removed.
 * Returns the count, or -1 with a message in err. */
int fc_benchstat_levels_parse(const char *s, long max, long *out, int cap,
    char *err, size_t errlen);

/* Parses a list of request rates "0.5,1,2" (requests per second, each in
 * (0, max]).  Returns the count, or -1 with a message in err. */
int fc_benchstat_rates_parse(const char *s, double max, double *out, int cap,
    char *err, size_t errlen);

#endif
