/*
 * loadgen.c: the load scheduler of `flatcost bench` (see loadgen.h).
 */
#include "loadgen.h"

#include <math.h>
#include <string.h>

#include "rng.h"

double
fc_loadgen_gap(uint64_t *rng, double rate, double cv)
{
	if (cv == 1)
		return -log(1 - fc_splitmix64_unit(rng)) / rate;
	return fc_splitmix64_gamma(rng, 1 / rate, cv);
}

int
fc_loadgen_lost_cause(long n, long misses, double attainment)
{
	return n > 0 && (double)misses > (1 - attainment) * (double)n + 1e-9;
}

/* Whether the batch may start another request at time t. */
static int
may_issue(const struct fc_loadgen_opts *o, long issued, double t, double t0)
{
	return o->n > 0 ? issued < o->n : t - t0 < o->duration;
}

/* Whether the run stops: the transport says so, or a request could not
 * be started. */
static int
stopping(const struct fc_loadgen_transport *t, const struct fc_loadgen_result *res)
{
	return res->oom || t->stopped(t->ctx);
}

enum fc_status
fc_loadgen_run(const struct fc_loadgen_opts *o, const struct fc_loadgen_transport *t,
    uint64_t *rng, struct fc_loadgen_result *res)
{
	double t0 = t->now(t->ctx), next = t0, last_progress = 0;
	size_t cap = o->rate > 0 ? o->max_inflight : (size_t)o->conc;

	memset(res, 0, sizeof(*res));
	if (o->rate > 0)
		next = t0 + fc_loadgen_gap(rng, o->rate, o->arrival_cv);
	for (;;) {
		double now = t->now(t->ctx);
		int may = !stopping(t, res) && may_issue(o, res->issued, now, t0);
		int ended, timeout_ms = o->poll_ms;

		while (may && t->in_flight(t->ctx) < cap && (o->rate <= 0 || now >= next)) {
			if (t->start(t->ctx) != 0) {
				res->oom = 1;
				break;
			}
			res->issued++;
			if (o->rate > 0)
				next += fc_loadgen_gap(rng, o->rate, o->arrival_cv);
			may = may_issue(o, res->issued, now, t0);
		}
		if (t->in_flight(t->ctx) == 0 && (!may || stopping(t, res)))
			break;
		ended = t->reap(t->ctx);
		now = t->now(t->ctx);
		t->check(t->ctx, now);
		if (stopping(t, res)) {
			t->abort_all(t->ctx);
			res->stopped = 1;
			break;
		}
		if (o->search && fc_loadgen_lost_cause(o->n, t->slo_misses(t->ctx), o->attainment)) {
			t->abort_all(t->ctx);
			res->ended_early = 1;
			break;
		}
		if (o->progress_s > 0 && t->progress && now - last_progress > o->progress_s) {
			t->progress(t->ctx, t0);
			last_progress = now;
		}
		if (ended > 0 && may)
			continue;       /* closed loop: replace them at once */
		if (o->rate > 0 && next > now && next - now < o->poll_ms / 1000.0)
			timeout_ms = (int)((next - now) * 1000) + 1;
		t->wait(t->ctx, timeout_ms);
	}
	if (res->oom)
		return FC_ENOMEM;
	return stopping(t, res) ? FC_ERANGE : FC_OK;
}
