/*
 * bench_stream.c: a transfer of `flatcost bench` from its first byte to
 * its record: the stream parsed as it arrives (model/stream.c), timed on
 * the client's clock, a failure classified with the server's words, and
 * the request recorded into its level.
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
#include "modelref.h"
#include "probe.h"
#include "rng.h"
#include "server.h"
#include "stream.h"
#include "ynode.h"

void
bench_xfer_free(struct xfer *x)
{
	if (x == NULL)
		return;
	if (x->h)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->hdr);
	free(x->body);
	fc_stream_free(x->stream);
	fc_free(x->gaps);
	fc_free(x->errbody.p);
	fc_free(x);
}

static void
merge_rec(struct fc_stream_rec *m, const struct fc_stream_rec *r)
{
	if (r->prompt_tokens >= 0) m->prompt_tokens = r->prompt_tokens;
	if (r->prompt_eval_tokens >= 0) m->prompt_eval_tokens = r->prompt_eval_tokens;
	if (r->output_tokens >= 0) m->output_tokens = r->output_tokens;
	if (r->prompt_s >= 0) m->prompt_s = r->prompt_s;
	if (r->eval_s >= 0) m->eval_s = r->eval_s;
	if (r->load_s >= 0) m->load_s = r->load_s;
	if (r->total_s >= 0) m->total_s = r->total_s;
	if (r->reason[0]) memcpy(m->reason, r->reason, sizeof(m->reason));
}

/* One stream record. */
static int
on_record(void *ctx, const char *data, size_t len)
{
	struct xfer *x = ctx;
	struct fc_stream_rec r;
	struct fc_diags d;
	struct fc_loc loc = { "stream", (int)fc_stream_records(x->stream), 0, 0 };
	enum fc_status st;
	double t = x->t_last_byte;

	fc_diags_init(&d);
	st = x->run->o->api == API_OLLAMA ?
	    fc_stream_ollama_rec(data, len, &r, loc, &d) :
	    fc_stream_openai_rec(data, len, &r, loc, &d);
	if (st != FC_OK) {
		const char *m = d.n ? d.v[0].msg : fc_strstatus(st);

		x->fault = strncmp(m, "server error", 12) == 0 ? F_SERVER : F_MALFORMED;
		snprintf(x->msg, sizeof(x->msg), "%s", m);
		fc_diags_free(&d);
		return 1;
	}
	fc_diags_free(&d);
	/* a server that ignores the output limit: stop reading, so that an
	 * endless stream neither hangs the run nor grows the gaps array; a
	 * piece holds at least one token, a record at most one piece (plus a
	 * few records of figures, roles and sentinels) */
	if ((r.text_len > 0 && x->pieces >= x->max_pieces) ||
	    fc_stream_records(x->stream) > x->max_pieces + 16) {
		x->fault = F_OVERRUN;
		snprintf(x->msg, sizeof(x->msg), "the server at %s ignored the "
		    "output limit: more than %zu pieces of text for %ld requested "
		    "tokens (stopped reading)", x->run->o->base, x->max_pieces,
		    x->out_tokens);
		return 1;
	}
	if (r.text_len > 0) {
		if (x->pieces == 0) {
			x->t_first = t;
		} else {
			if (x->n_gaps == x->cap_gaps) {
				size_t nc = x->cap_gaps ? 2 * x->cap_gaps : 64;
				double *ng = fc_realloc(x->gaps, nc * sizeof(*ng));
				if (ng == NULL) {
					x->fault = F_OTHER;
					snprintf(x->msg, sizeof(x->msg), "out of memory");
					return 1;
				}
				x->gaps = ng;
				x->cap_gaps = nc;
			}
			x->gaps[x->n_gaps++] = t - x->t_last_piece;
		}
		x->pieces++;
		x->t_last_piece = t;
		x->run->tok_in_level += 1;
	}
	x->t_progress = t;
	merge_rec(&x->srv, &r);
	if (r.finished)
		x->finished = 1;
	if (r.done) {
		x->done = 1;
		x->t_final = t;
	}
	return 0;
}

size_t
bench_xfer_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * nmemb;
	struct fc_diags d;
	enum fc_status st;

	x->t_last_byte = bench_now();
	if (!x->status_checked) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
		x->status_checked = 1;
	}
	if (x->status >= 400 || x->status < 200) {
		size_t keep = len;
		if (x->errbody.n + keep > x->errbody.max)
			keep = x->errbody.max - x->errbody.n;
		if (keep > 0)
			bench_membuf_write(ptr, 1, keep, &x->errbody);
		x->t_progress = x->t_last_byte;
		return len;
	}
	fc_diags_init(&d);
	st = fc_stream_feed(x->stream, ptr, len, on_record, x, &d);
	if (st != FC_OK && x->fault == F_NONE) {
		x->fault = F_MALFORMED;
		snprintf(x->msg, sizeof(x->msg), "%s",
		    d.n ? d.v[0].msg : fc_strstatus(st));
	}
	fc_diags_free(&d);
	return st == FC_OK ? len : 0;
}

static void
detach(struct run *rn, struct xfer *x)
{
	size_t i;

	curl_multi_remove_handle(rn->multi, x->h);
	for (i = 0; i < rn->n_active; i++)
		if (rn->active[i] == x) {
			rn->active[i] = rn->active[--rn->n_active];
			break;
		}
}

/* Describes why a finished transfer failed (x->fault set) or F_NONE. */
static void
classify(struct run *rn, struct xfer *x, CURLcode code)
{
	const struct opts *o = rn->o;
	char m[300];

	if (x->fault != F_NONE)
		return;          /* set while parsing */
	if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
		x->fault = F_CONNECT;
		snprintf(x->msg, sizeof(x->msg), "cannot connect to %s: %s",
		    o->base, x->errbuf[0] ? x->errbuf : curl_easy_strerror(code));
		return;
	}
	if (code == CURLE_OPERATION_TIMEDOUT) {
		x->fault = F_STALL;
		snprintf(x->msg, sizeof(x->msg), "no answer from %s within %g s: %s",
		    o->base, o->timeout, x->errbuf);
		return;
	}
	if (code != CURLE_OK) {
		x->fault = F_LOST;
		snprintf(x->msg, sizeof(x->msg), "connection to %s lost%s: %s",
		    o->base, x->pieces ? " mid-stream" : "",
		    x->errbuf[0] ? x->errbuf : curl_easy_strerror(code));
		return;
	}
	if (!x->status_checked)
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->status >= 400 || x->status < 200) {
		fc_stream_error_text(x->errbody.p ? x->errbody.p : "", x->errbody.n,
		    m, sizeof(m));
		if (x->status == 429) {
			x->fault = F_RATE_LIMIT;
			snprintf(x->msg, sizeof(x->msg), "rate limited by the server "
			    "(HTTP 429: %s)", m);
		} else if (x->status == 404 && strstr(m, "model") != NULL) {
			x->fault = F_MODEL;
			snprintf(x->msg, sizeof(x->msg), "the server does not know "
			    "model '%s' (HTTP 404: %s)", o->model, m);
		} else {
			x->fault = F_HTTP;
			snprintf(x->msg, sizeof(x->msg), "%s %s%s (HTTP %ld: %s)",
			    x->status >= 500 ? "server error at" : "request refused by",
			    o->base, rn->si->endpoint, x->status, m);
		}
		return;
	}
	{
		struct fc_diags d;
		enum fc_status st;

		fc_diags_init(&d);
		st = fc_stream_finish(x->stream, on_record, x, &d);
		if (st != FC_OK && x->fault == F_NONE) {
			x->fault = F_MALFORMED;
			snprintf(x->msg, sizeof(x->msg), "%s",
			    d.n ? d.v[0].msg : fc_strstatus(st));
		}
		fc_diags_free(&d);
		if (x->fault != F_NONE)
			return;
	}
	if (!x->done && !(o->api == API_OPENAI && x->finished)) {
		x->fault = F_INCOMPLETE;
		snprintf(x->msg, sizeof(x->msg), "the stream from %s ended before "
		    "its final record (after %zu pieces)", o->base, x->pieces);
	}
}

static int
level_push(struct level *lv, const struct fc_benchstat_req *q, double *gaps)
{
	if (lv->n == lv->cap) {
		size_t nc = lv->cap ? 2 * lv->cap : 32;
		struct fc_benchstat_req *nr = fc_realloc(lv->reqs, nc * sizeof(*nr));
		double **ng;

		if (nr == NULL)
			return -1;
		lv->reqs = nr;
		ng = fc_realloc(lv->gaps, nc * sizeof(*ng));
		if (ng == NULL)
			return -1;
		lv->gaps = ng;
		lv->cap = nc;
	}
	lv->reqs[lv->n] = *q;
	lv->gaps[lv->n] = gaps;
	lv->n++;
	return 0;
}

void
bench_level_free(struct level *lv)
{
	size_t i;

	for (i = 0; i < lv->n; i++)
		fc_free(lv->gaps[i]);
	fc_free(lv->gaps);
	fc_free(lv->reqs);
	fc_free(lv->run_decode);
	fc_free(lv->run_prefill);
	fc_free(lv->run_ttft50);
	lv->run_decode = lv->run_prefill = lv->run_ttft50 = NULL;
	lv->n_runs = 0;
	lv->reqs = NULL;
	lv->gaps = NULL;
	lv->n = lv->cap = 0;
}

/* A transfer has ended: record it and decide whether the run goes on. */
void
bench_xfer_done(struct run *rn, struct xfer *x, CURLcode code)
{
	struct fc_benchstat_req q;
	double t_end = bench_now();

	detach(rn, x);
	classify(rn, x, code);
	bench_conversation_done(rn, x);
	memset(&q, 0, sizeof(q));
	q.ok = x->fault == F_NONE;
	q.t_start = x->t_start;
	q.t_first = x->t_first;
	q.t_end = q.ok && x->done && x->t_final > 0 ? x->t_final : t_end;
	q.pieces = x->pieces;
	q.gaps = x->gaps;
	q.n_gaps = x->n_gaps;
	q.input_tokens = x->srv.prompt_tokens >= 0 ? x->srv.prompt_tokens :
	    (double)rn->want_input;
	q.output_tokens = x->srv.output_tokens;
	q.srv_prompt_s = x->srv.prompt_s;
	q.srv_prompt_tokens = x->srv.prompt_eval_tokens;
	if (x->lv != NULL && rn->o->has_slo && !fc_benchstat_req_met(&q, &rn->o->slo))
		x->lv->slo_misses++;
	q.srv_eval_s = x->srv.eval_s;
	q.srv_load_s = x->srv.load_s;
	rn->done_in_level++;
	if (!q.ok) {
		rn->errors++;
		if (rn->errors > (size_t)rn->o->max_errors && !rn->stop) {
			rn->stop = 1;
			snprintf(rn->stop_reason, sizeof(rn->stop_reason), "%s", x->msg);
		} else if (!rn->stop) {
			cli_warn("bench: request failed: %s", x->msg);
		}
	}
	if (x->lv != NULL) {
		if (level_push(x->lv, &q, x->gaps) == 0)
			x->gaps = NULL;        /* now owned by the level */
		else if (!rn->stop) {
			rn->stop = 1;
			snprintf(rn->stop_reason, sizeof(rn->stop_reason), "out of memory");
		}
	}
	bench_xfer_free(x);
}

/* Drops every transfer in flight without recording it. */
void
bench_abort_all(struct run *rn)
{
	while (rn->n_active > 0) {
		struct xfer *x = rn->active[0];
		detach(rn, x);
		bench_conversation_done(rn, x);
		bench_xfer_free(x);
	}
}
