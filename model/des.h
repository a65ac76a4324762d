/*
 * des.h: a discrete-event simulation of one day of a self-hosted inference
 * fleet, to check the closed-form sizing of queue.h against the router,
 * batching and diurnal load that the formulas leave out.
 *
 * The model:
 * - N identical servers, each a processor-sharing server with a
 *   state-dependent speed-up.  A call's size is its single-stream time
 *   s = in / prefill_tok_s + out / decode1_tok_s (seconds, were it alone);
 *   with n calls on a server each progresses at g(n) / n single-stream
 *   seconds per second, g(n) = speedup[n].  At most max_slots calls run on
 *   a server at once.
 * - A router sends each arriving call to the server with the fewest active
 *   calls that has a free slot (ties to the lowest index).  When no slot is
 *   free the call waits in one central FIFO queue; a call that would wait
 *   longer than max_wait_s leaves the queue and overflows to the API (at
 *   once when max_wait_s == 0).  A call that starts service always
 *   completes.
 * - Arrivals over the 24 hours follow rate[h], as a renewal process in
 *   operational time: gaps are drawn with mean 1 (exponential when
 *   arrival_cv2 == 1, Gamma of shape 1 / arrival_cv2 otherwise, constant
 *   when 0) and mapped through the inverse of the cumulative rate, so that
 *   within an hour the gaps have mean 1 / rate[h] and squared CV
 *   arrival_cv2, and Poisson arrivals are an exact non-homogeneous Poisson
 *   process.
 * - Input and output tokens per call are lognormal with the given means
 *   and CVs (continuous, not rounded to whole tokens), drawn per call.
 * - warmup_s seconds at the rate of hour 23 run before the day, so that it
 *   does not start from an empty fleet; calls arriving then are not
 *   counted.  After the day ends no call arrives and the fleet drains, so
 *   every call of the day is either served or overflows:
 *   served + overflow == calls exactly.
 *
 * Randomness comes only from the caller's rng, drawn in arrival order
 * (gap, then the call's size), never depending on the fleet's state: for
 * a given rng state the result is identical, and two fleets run from the
 * same state see exactly the same calls.
 */
#ifndef FC_DES_H
#define FC_DES_H

#include <gsl/gsl_rng.h>

#include "fc.h"

struct fc_des_config {
	unsigned servers;         /* fleet size; 0: every call overflows */
	unsigned max_slots;       /* calls a server runs at once, >= 1 */
	const double *speedup;    /* speedup[n], n = 0..max_slots: aggregate
	                           * speed with n calls, relative to one alone
	                           * (speedup[1] = 1, [0] unused, each > 0,
	                           * normally non-decreasing); NULL: all 1,
	                           * plain processor sharing */
	double prefill_tok_s;     /* single-stream prefill, input tokens/s, > 0 */
	double decode1_tok_s;     /* single-stream decode, output tokens/s, > 0 */
	double in_mean, in_cv;    /* input tokens per call: mean, CV (0: fixed) */
	double out_mean, out_cv;  /* output tokens per call: mean, CV */
	int service_exponential;  /* nonzero: call sizes exponential with the
	                           * same mean, CVs ignored (to check against
	                           * M/M/c) */
	double rate[24];          /* calls per second in hour h of the day */
	double arrival_cv2;       /* squared CV of gaps: 1 Poisson, 0 regular,
	                           * else Gamma renewal */
	double max_wait_s;        /* longest wait in queue before a call
	                           * overflows, s; 0: no queue; INFINITY: none
	                           * overflows */
	double slo_s;             /* latency target, s (INFINITY allowed) */
	double warmup_s;          /* s simulated before the day, not counted */
};

struct fc_des_result {
	double calls;             /* calls arriving in the day [0, 86400 s) */
	double served;            /* of them, served by the fleet */
	double overflow;          /* of them, sent to the API from the queue */
	double overflow_share;    /* overflow / calls; 0 when no calls */
	double lat_mean;          /* s, wait + service, served calls; exact */
	double lat_p50, lat_p95, lat_p99; /* s, likewise, from a histogram of
	                           * log-spaced bins (1e-4 s .. 1e6 s, 250 a
	                           * decade): within 0.5% inside that range,
	                           * and always within [min, max]; all 0 when
	                           * no call was served */
	double slo_met_share;     /* of all calls, served within slo_s (an
	                           * overflowed call misses); 1 when no calls */
	double calls_by_hour[24];    /* by hour of arrival */
	double overflow_by_hour[24]; /* by hour of arrival */
	double util_by_hour[24];  /* share of the hour a server has >= 1 call,
	                           * averaged over servers; 0 with no servers */
	double mean_active_by_hour[24]; /* calls in service in the whole fleet,
	                           * time average over the hour */
	double events;            /* arrivals and completions processed, in the
	                           * warm-up and drain too (for benchmarks) */
};

/*
 * Simulates the day from the current state of rng, which it advances.
 * FC_EINVAL (no diagnostic: the scenario loader checks user input) when a
 * field is out of range: NaN, negative or infinite where that makes no
 * sense, max_slots == 0, speedup[n] <= 0.  FC_ENOMEM when an allocation
 * fails (the queue grows as needed: with max_wait_s = INFINITY and an
 * overloaded fleet it may hold most of the day's calls).  *out is written
 * only on success.
 */
enum fc_status fc_des_run(const struct fc_des_config *cfg, gsl_rng *rng,
    struct fc_des_result *out);

#endif
