/*
 * bench_load.c: the load of `flatcost bench`: closed- and open-loop levels
 * run through libcurl's multi interface, --repeat, the prompt-length
 * calibration, and the SLO search (harness.h's state machine, one level a
 * probe).
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_int.h"
#include "benchstat.h"
#include "cli.h"
#include "data.h"
#include "harness.h"
#include "loadgen.h"
#include "modelref.h"
#include "probe.h"
#include "rng.h"
#include "server.h"
#include "stream.h"
#include "ynode.h"

static void
progress(const struct run *rn, const char *what, size_t total, double t0)
{
	double dt = bench_now() - t0;

	if (!cli_progress_enabled())
		return;
	if (total)
		fprintf(stderr, "\r\033[K%s: %zu/%zu requests, %zu errors, %.1f tok/s",
		    what, rn->done_in_level, total, rn->errors,
		    dt > 0 ? rn->tok_in_level / dt : 0);
	else
		fprintf(stderr, "\r\033[K%s: %zu requests, %.0f s, %zu errors, %.1f tok/s",
		    what, rn->done_in_level, dt, rn->errors,
		    dt > 0 ? rn->tok_in_level / dt : 0);
}

/* Lets libcurl move the transfers on and records those that ended;
 * returns how many did. */
static int
reap(struct run *rn)
{
	CURLMsg *msg;
	int running, left, ended = 0;

	curl_multi_perform(rn->multi, &running);
	while ((msg = curl_multi_info_read(rn->multi, &left)) != NULL) {
		struct xfer *x = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x) {
			bench_xfer_done(rn, x, msg->data.result);
			ended++;
		}
	}
	return ended;
}

/* Ends the transfers past their deadline, and those that completed no
 * record for --timeout seconds (stalled, even if they trickle bytes). */
static void
check_stalls(struct run *rn, double t)
{
	size_t i;

	for (i = 0; i < rn->n_active; i++) {
		struct xfer *x = rn->active[i];

		if (t > x->deadline) {
			x->fault = F_DEADLINE;
			snprintf(x->msg, sizeof(x->msg), "a request to %s took "
			    "longer than %g s (%s; %zu pieces received)",
			    rn->o->base, x->deadline - x->t_start,
			    rn->o->request_timeout > 0 ? "--request-timeout" :
			    "the default --request-timeout, 60 s + 1 s per output "
			    "token", x->pieces);
		} else if (t - x->t_progress > rn->o->timeout) {
			x->fault = F_STALL;
			snprintf(x->msg, sizeof(x->msg), "no data from %s for %g s "
			    "(%s)", rn->o->base, rn->o->timeout, x->status_checked ?
			    "the stream stalled" : "no response");
		} else {
			continue;
		}
		bench_xfer_done(rn, x, CURLE_OK);
		i = (size_t)-1;        /* the array changed: rescan */
	}
}

/* The libcurl transport of model/loadgen.h: one batch's requests into lv
 * (NULL: warm-up). */
struct batch {
	struct run *rn;
	struct level *lv;
	const char *what;   /* for the progress line */
	long n;
};

static double
tr_now(void *ctx)
{
	(void)ctx;
	return bench_now();
}

static int
tr_start(void *ctx)
{
	struct batch *b = ctx;

	if (bench_xfer_start(b->rn, b->lv) == 0)
		return 0;
	b->rn->stop = 1;
	snprintf(b->rn->stop_reason, sizeof(b->rn->stop_reason), "out of memory");
	return -1;
}

static int
tr_reap(void *ctx)
{
	return reap(((struct batch *)ctx)->rn);
}

/* The stalled transfers, then an interrupt: the run stops. */
static void
tr_check(void *ctx, double t)
{
	struct run *rn = ((struct batch *)ctx)->rn;

	check_stalls(rn, t);
	if (cli_interrupted && rn->stop == 0) {
		rn->stop = 2;
		snprintf(rn->stop_reason, sizeof(rn->stop_reason), "%s",
		    cli_interrupted == SIGTERM ? "terminated (SIGTERM)" : "interrupted");
	}
}

static int
tr_stopped(void *ctx)
{
	return ((struct batch *)ctx)->rn->stop;
}

static void
tr_wait(void *ctx, int timeout_ms)
{
	curl_multi_poll(((struct batch *)ctx)->rn->multi, NULL, 0, timeout_ms, NULL);
}

static void
tr_abort_all(void *ctx)
{
	bench_abort_all(((struct batch *)ctx)->rn);
}

static size_t
tr_in_flight(void *ctx)
{
	return ((struct batch *)ctx)->rn->n_active;
}

static long
tr_slo_misses(void *ctx)
{
	const struct level *lv = ((struct batch *)ctx)->lv;

	return lv ? (long)lv->slo_misses : 0;
}

static void
tr_progress(void *ctx, double t0)
{
	const struct batch *b = ctx;

	progress(b->rn, b->what, (size_t)b->n, t0);
}

/*
 * Runs one batch of load (model/loadgen.h): closed loop with conc streams
 * (rate 0) or open loop at rate requests/s; n requests, or for duration
 * seconds when n is 0.  Records into lv (NULL: warm-up).  Returns 0, or
 * -1 when the run stops.  --search-slo: a level that has already missed
 * the SLO more often than the attainment allows cannot pass (an
 * over-saturated server's queue and TTFT grow without bound); it ends
 * there, its requests in flight dropped.
 */
static int
run_load(struct run *rn, struct level *lv, long conc, double rate, long n,
    double duration, const char *what)
{
	struct batch b = { rn, lv, what, n };
	const struct fc_loadgen_transport t = { &b, tr_now, tr_start, tr_reap, tr_check,
	    tr_stopped, tr_wait, tr_abort_all, tr_in_flight, tr_slo_misses, tr_progress };
	struct fc_loadgen_opts o;
	struct fc_loadgen_result res;

	memset(&o, 0, sizeof(o));
	o.conc = conc;
	o.rate = rate;
	o.n = n;
	o.duration = duration;
	o.max_inflight = MAX_INFLIGHT;
	o.arrival_cv = rn->o->arrival_cv;
	o.poll_ms = POLL_MS;
	o.search = rn->o->search_slo && lv != NULL;
	o.attainment = rn->o->attainment;
	o.progress_s = 0.2;
	rn->done_in_level = 0;
	rn->tok_in_level = 0;
	fc_loadgen_run(&o, &t, &rn->rng, &res);
	if (lv && res.stopped)
		lv->partial = 1;
	if (lv && res.ended_early)
		lv->ended_early = 1;
	if (cli_progress_enabled())
		fprintf(stderr, "\r\033[K");
	return rn->stop ? -1 : 0;
}

/*
 * Runs one level o->repeat times back to back into lv, its figures pooled
 * over every run's requests, and each run's decode, prefill and TTFT
 * median kept for the run-to-run spread.  Returns 0, or -1 when out of
 * memory (a fault or an interrupt only stops the runs: rn->stop says so).
 */
static int
run_level(struct run *rn, struct level *lv, const char *what)
{
	const struct opts *o = rn->o;
	const struct fc_benchstat_slo *slo = o->has_slo ? &o->slo : NULL;
	size_t r, n = (size_t)o->repeat;
	char label[160];

	lv->run_decode = fc_calloc(n, sizeof(double));
	lv->run_prefill = fc_calloc(n, sizeof(double));
	lv->run_ttft50 = fc_calloc(n, sizeof(double));
	if (lv->run_decode == NULL || lv->run_prefill == NULL || lv->run_ttft50 == NULL)
		return -1;
	for (r = 0; r < n && !rn->stop; r++) {
		size_t first = lv->n;
		struct fc_benchstat_level st;

		if (n > 1)
			snprintf(label, sizeof(label), "%s, run %zu/%zu", what, r + 1, n);
		else
			snprintf(label, sizeof(label), "%s", what);
		run_load(rn, lv, lv->conc, lv->rate, o->duration > 0 ? 0 :
		    fc_harness_requests(o->requests, lv->conc, lv->probe),
		    o->duration, label);
		if (lv->n == first)
			break;
		if (fc_benchstat_level(lv->reqs + first, lv->n - first,
		    (double)lv->conc, slo, &st) != FC_OK)
			return -1;
		if (rn->stop)
			break;          /* a cut-short run is no sample of the spread */
		lv->run_decode[lv->n_runs] = st.decode_tok_s;
		lv->run_prefill[lv->n_runs] = st.srv_prefill_tok_s > 0 ?
		    st.srv_prefill_tok_s : st.prefill_tok_s;
		lv->run_ttft50[lv->n_runs] = st.ttft_s.n ? st.ttft_s.p50 : 0;
		lv->n_runs++;
	}
	fc_benchstat_repeat(lv->run_decode, lv->n_runs, &lv->rep_decode);
	fc_benchstat_repeat(lv->run_prefill, lv->n_runs, &lv->rep_prefill);
	fc_benchstat_repeat(lv->run_ttft50, lv->n_runs, &lv->rep_ttft50);
	if (lv->n > 0) {
		if (fc_benchstat_level(lv->reqs, lv->n, (double)lv->conc, slo,
		    &lv->st) != FC_OK)
			return -1;
		lv->measured = 1;
	}
	return 0;
}

/*
 * Finds the prompt length (characters) that the server counts as the
 * wanted number of input tokens: two short requests give the server's
 * prompt token count for two lengths; a line through them covers the
 * template's fixed overhead and the tokenizer's characters per token.
 * Without a server count, 4 characters a token is assumed.
 */
static int
calibrate(struct run *rn, int *measured)
{
	struct level lv;
	double c[2], p[2];
	long want = rn->want_input, saved_out = rn->out_tokens;
	int i, rc = 0;

	*measured = 0;
	rn->drawing = 0;
	rn->cal_b = 0;
	rn->out_tokens = 1;
	/* never longer than the wanted prompt: the server's context must
	 * hold the real requests, so it holds these */
	c[0] = (double)(want >= 16 ? want / 2 : 8);
	c[1] = (double)(want >= 16 ? want : 16);
	for (i = 0; i < 2; i++) {
		memset(&lv, 0, sizeof(lv));
		rn->prompt_chars = (size_t)c[i];
		if (run_load(rn, &lv, 1, 0, 1, 0, "calibrating prompt length") != 0 ||
		    lv.n == 0 || !lv.reqs[0].ok) {
			bench_level_free(&lv);
			rc = -1;
			break;
		}
		p[i] = lv.reqs[0].input_tokens;
		/* input_tokens falls back to the wanted count: not measured */
		bench_level_free(&lv);
	}
	rn->out_tokens = saved_out;
	if (rc != 0)
		return -1;
	if (p[1] > p[0] && p[0] != (double)want) {
		double b = (p[1] - p[0]) / (c[1] - c[0]), a = p[0] - b * c[0];
		double chars = ((double)want - a) / b;

		rn->cal_a = a;
		rn->cal_b = b;
		if (chars < 8)
			cli_warn("bench: --input-tokens %ld is less than the prompt's "
			    "fixed part (template and unique prefix, about %.0f "
			    "tokens); prompts will be longer", want, a + 8 * b);
		rn->prompt_chars = chars < 8 ? 8 : (size_t)(chars + 0.5);
		*measured = 1;
	} else if (p[1] > p[0]) {
		rn->prompt_chars = (size_t)c[0];
		*measured = 1;
	} else {
		rn->prompt_chars = (size_t)want * 4;
	}
	rn->drawing = 1;
	return 0;
}

/* One probe of the SLO search: a level at concurrency conc (closed loop)
 * or rate (open loop), of fc_harness_requests()'s requests.  *pass: it
 * met the SLO for the attainment's share of its requests; *proper: its
 * verdict holds (enough requests, or ended once it could not pass, and
 * not cut short).  Returns 0, or -1 when out of memory. */
static int
probe(struct run *rn, struct level *levels, int *n_lv, long conc,
    double rate, int *pass, int *proper)
{
	struct level *lv = &levels[(*n_lv)++];
	char what[96];

	lv->input_tokens = rn->want_input;
	lv->conc = conc;
	lv->rate = rate;
	lv->probe = 1;
	if (conc)
		snprintf(what, sizeof(what), "SLO search: concurrency %ld", conc);
	else
		snprintf(what, sizeof(what), "SLO search: rate %.3g/s", rate);
	if (run_level(rn, lv, what) != 0)
		return -1;
	lv->pass = !lv->ended_early && lv->measured &&
	    lv->st.slo_attainment >= rn->o->attainment - 1e-9;
	*pass = lv->pass;
	*proper = lv->measured && !lv->partial && (lv->ended_early ||
	    fc_harness_enough(lv->st.n, conc));
	return 0;
}

/*
 * --search-slo: the highest concurrency (closed loop) or request rate
 * (open loop, --rate) whose level meets the SLO for the attainment's share
 * of requests, by harness.h's search; every probe is a level of the
 * report.  Sets rn->search.
 */
static int
search_slo(struct run *rn, struct level *levels, int *n_lv)
{
	const struct opts *o = rn->o;
	int open = o->n_rates > 0, pass = 0, proper = 0;
	double x;

	fc_harness_search_init(&rn->search, open, open ? o->rates[0] : 1);
	while ((x = fc_harness_search_next(&rn->search)) > 0) {
		if (*n_lv >= MAX_LEVELS - 1 || rn->stop) {
			/* out of levels, or stopped: no verdict on x */
			fc_harness_search_feed(&rn->search, 0, 0);
			rn->search.probes--;
			break;
		}
		if (probe(rn, levels, n_lv, open ? 0 : (long)x, open ? x : 0,
		    &pass, &proper) != 0)
			return -1;
		fc_harness_search_feed(&rn->search, pass, proper && !rn->stop);
	}
	return 0;
}

/*
 * The whole measurement: for each prompt length (--input-tokens LIST), the
 * prompt calibrated, then every level; one warm-up before the first.
 * Fills levels[0..*n_lv-1] and *all_measured (every prompt length was
 * calibrated on the server's counts).  Returns 0, or -1 when out of memory;
 * a fault or an interrupt stops it with rn->stop set.
 */
int
bench_measure(struct run *rn, struct level *levels, int *n_lv, int *all_measured)
{
	const struct opts *o = rn->o;
	int k, i, nl = o->n_rates ? o->n_rates : o->n_levels, measured;

	*all_measured = 1;
	if (o->search_slo) {
		rn->want_input = o->inputs[0];
		if (calibrate(rn, all_measured) != 0)
			return 0;
		if (o->warmup > 0)
			run_load(rn, NULL, 1, 0, o->warmup, 0, "warm-up");
		return search_slo(rn, levels, n_lv);
	}
	for (k = 0; !rn->stop && k < o->n_inputs; k++) {
		rn->want_input = o->inputs[k];
		/* prompt length, then warm-up: neither is recorded */
		if (calibrate(rn, &measured) != 0)
			break;
		*all_measured &= measured;
		if (k == 0 && o->warmup > 0)
			run_load(rn, NULL, 1, 0, o->warmup, 0, "warm-up");
		for (i = 0; !rn->stop && i < nl; i++) {
			struct level *lv = &levels[(*n_lv)++];
			char what[96];
			int at = snprintf(what, sizeof(what), "prompt %ld, ",
			    rn->want_input);

			if (o->n_inputs == 1)
				at = 0;
			lv->input_tokens = rn->want_input;
			lv->conc = o->n_rates ? 0 : o->levels[i];
			lv->rate = o->n_rates ? o->rates[i] : 0;
			if (lv->conc)
				snprintf(what + at, sizeof(what) - (size_t)at,
				    "concurrency %ld", lv->conc);
			else
				snprintf(what + at, sizeof(what) - (size_t)at,
				    "rate %g/s", lv->rate);
			if (run_level(rn, lv, what) != 0)
				return -1;
		}
	}
	return 0;
}
