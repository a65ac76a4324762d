/*
 * loadgen.h: the scheduler of `flatcost bench`'s load, apart from the
 * network: which requests to start when, for a closed loop of C streams
 * (a request ends, the next starts at once) or an open loop at a rate
 * (arrivals with exponential gaps, or gamma gaps of a given CV for bursty
 * traffic), for n requests or for a duration; when a level stops (every
 * request ended, a fault or an interrupt, or an SLO search probe that can
 * no longer pass).
 *
 * The requests themselves go through a transport the caller provides: it
 * starts a request, moves the ones in flight on (waiting for activity at
 * most the time the scheduler gives it), ends those past their deadline,
 * aborts them all, and keeps the clock.  The libcurl transport is
 * cmd/bench_load.c's; tests/unit/test_loadgen.c drives the scheduler with
 * a fake one on a virtual clock.  Nothing here prints, exits or reads a
 * clock of its own.
 */
#ifndef FC_LOADGEN_H
#define FC_LOADGEN_H

#include <stddef.h>
#include <stdint.h>

#include "fc.h"

/* What a batch of load runs. */
struct fc_loadgen_opts {
	long conc;               /* closed loop: streams (rate 0) */
	double rate;             /* open loop: requests/s; 0: closed loop */
	long n;                  /* requests; 0: for duration */
	double duration;         /* s, when n is 0 */
	size_t max_inflight;     /* open loop: requests in flight at most */
	double arrival_cv;       /* open loop: CV of the gaps; 1: Poisson arrivals */
	int poll_ms;             /* longest wait between checks for stalls, ms */
	/* an SLO search probe (search 1) of n requests ends as soon as it has
	 * missed the SLO more often than the attainment allows: it cannot pass */
	int search;
	double attainment;       /* 0 to 1 */
	double progress_s;       /* s between progress calls; <= 0: none */
};

/* How the requests are run: each callback gets ctx. */
struct fc_loadgen_transport {
	void *ctx;
	double (*now)(void *ctx);                  /* s, monotonic */
	/* Starts one request: 0, or -1 when it cannot (out of memory). */
	int (*start)(void *ctx);
	/* Moves the requests in flight on, recording those that ended;
	 * returns how many did.  Does not wait. */
	int (*reap)(void *ctx);
	/* Ends the requests past their deadline or stalled at time t, and
	 * notes an interrupt; afterwards stopped() says whether the run stops. */
	void (*check)(void *ctx, double t);
	/* Nonzero when the run must stop (a fault, an interrupt). */
	int (*stopped)(void *ctx);
	/* Waits for activity on the requests in flight, at most timeout_ms. */
	void (*wait)(void *ctx, int timeout_ms);
	/* Ends every request in flight without recording them. */
	void (*abort_all)(void *ctx);
	size_t (*in_flight)(void *ctx);
	/* The SLO misses recorded so far in this batch (search probes). */
	long (*slo_misses)(void *ctx);
	/* Progress, every progress_s seconds: t0 the batch's start; NULL: none. */
	void (*progress)(void *ctx, double t0);
};

/* How a batch ended. */
struct fc_loadgen_result {
	long issued;        /* requests started */
	int stopped;        /* stopped with requests in flight: they were aborted */
	int ended_early;    /* a search probe that could not pass any more */
	int oom;            /* a request could not be started (out of memory) */
};

/*
 * Runs one batch: starts requests as o says until n were started (or the
 * duration passed), then waits for those in flight.  rng is the arrivals'
 * stream (open loop).  A request that cannot be started, or the
 * transport's stopped(), stops the batch: no more are started, and those
 * in flight are aborted (res->stopped).  FC_OK when the batch ran to its
 * end or ended early; FC_ENOMEM when a request could not be started
 * (res->oom); FC_ERANGE when the transport stopped it.
 */
enum fc_status fc_loadgen_run(const struct fc_loadgen_opts *o,
    const struct fc_loadgen_transport *t, uint64_t *rng, struct fc_loadgen_result *res);

/* The gap to the next arrival at rate (> 0) requests/s: exponential at
 * cv 1, else gamma with that CV (bursty above 1); s. */
double fc_loadgen_gap(uint64_t *rng, double rate, double cv);

/* Whether a search probe that asked for n requests and has missed the SLO
 * misses times can no longer meet the attainment. */
int fc_loadgen_lost_cause(long n, long misses, double attainment);

#endif
