/*
 * cmd_bench.c: `flatcost bench`, the throughput harness.  It drives a live
 * inference server (Ollama's NDJSON API or an OpenAI-compatible SSE API)
 * with many concurrent streams from one thread through libcurl's multi
 * interface, measures each stream with the client's clock, keeps the
 * server's own figures beside them, and writes a report and, on request,
 * a hardware profile that `flatcost simulate` reads.  `--probe` measures
 * this machine's memory bandwidth and arithmetic rate and predicts decode
 * and prefill speeds by the roofline instead (or as well).
 *
 * Parsing of the streams is model/stream.c's, statistics model/benchstat.c's,
 * the probe model/probe.c's, the report and the profile bench_report.c's;
 * this file owns the options, the network and the schedule.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "benchstat.h"
#include "cli.h"
#include "cost.h"
#include "data.h"
#include "harness.h"
#include "modelref.h"
#include "probe.h"
#include "rng.h"
#include "server.h"
#include "stream.h"
#include "ynode.h"

#define CMD "bench"
#define MAX_INFLIGHT 512      /* open loop: requests in flight at most */
#define ERRBODY_MAX 4096      /* bytes of an HTTP error body kept */
#define POLL_MS 50            /* longest wait between checks for stalls */
#define MAX_CONVS 1024        /* --turns: conversations at once (max concurrency) */

static const char usage[] =
    "usage: flatcost bench --url URL [--api ollama|openai] --model NAME [--endpoint completion|chat]\n"
    "                      [--api-key-env VAR]\n"
    "                      [--concurrency LIST | --rate LIST] [--requests N | --duration S]\n"
    "                      [--input-tokens N] [--output-tokens N] [--warmup N] [--repeat N]\n"
    "                      [--timeout S] [--request-timeout S] [--search-slo [--attainment X]]\n"
    "                      [--input-tokens N~CV] [--output-tokens N~CV] [--arrival-cv X]\n"
    "                      [--shared-prefix SHARE] [--from-scenario FILE] [--turns N]\n"
    "                      [--max-errors N] [--slo ttft=2s,tpot=200ms] [--seed N] [--no-ignore-eos]\n"
    "                      [--profile FILE.yaml] [--model-id ID] [--params-b X] [--weights-gb X]\n"
    "                      [--like MODEL] [--gguf FILE] [--threads N] [--kind cpu|gpu] [--monthly-price USD]\n"
    "                      [--hourly-price USD] [--ram-gb GB] [--host-facts | --no-host-facts]\n"
    "                      [--format table|json|csv|md] [-o FILE]\n"
    "       flatcost bench --probe [--probe-threads N] [--probe-mb N] [--quant Q] [--compare PROFILE]\n"
    "                      [--input-tokens N] [--output-tokens N] [--format ...] [-o FILE]\n";

/* ---- small helpers ---- */

/*
 * While the load runs, SIGINT and SIGTERM only set cli_interrupted: the
 * loop stops, drops the requests in flight and keeps what was measured.
 * A second signal ends the process at once.  The front end's own handler
 * (which removes temporary files and dies) is back before output is
 * written.
 */
static void
on_signal(int sig)
{
	if (cli_interrupted) {
		if (sig == SIGTERM)
			_exit(EXIT_RUNTIME);
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	cli_interrupted = sig;
}

struct saved_signals {
	struct sigaction intr, term;
};

static void
catch_signals(struct saved_signals *sv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &sv->intr);
	sigaction(SIGTERM, &sa, &sv->term);
}

static void
restore_signals(const struct saved_signals *sv)
{
	sigaction(SIGINT, &sv->intr, NULL);
	sigaction(SIGTERM, &sv->term, NULL);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Today's date (UTC), or SOURCE_DATE_EPOCH's for reproducible output. */
static void
today(char *out, size_t n)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (sde != NULL && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0)
			t = (time_t)v;
	}
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* Short, common words: prompts look like text to any tokenizer. */
static const char *const words[] = {
	"the", "cost", "of", "a", "server", "is", "fixed", "while", "tokens",
	"are", "billed", "by", "use", "and", "each", "month", "users", "send",
	"more", "requests", "to", "model", "that", "answers", "with", "short",
	"text", "about", "their", "work", "plans", "data", "time", "price",
	"load", "peak", "hour", "day", "team", "report", "notes", "list",
};

/*
 * Writes a prompt of exactly nchars characters for request id: a unique
 * 8-digit hex prefix (so that no server can reuse a cached prompt prefix)
 * followed by words.
 */
static void
make_prompt(uint64_t seed, uint64_t id, size_t nchars, size_t shared, char *out)
{
	uint64_t x = seed * 0x2545f4914f6cdd1dULL, h;
	size_t n = 0;

	/* --shared-prefix: the same words open every prompt (a server's
	 * prompt cache can reuse them), then the request's own part */
	while (n < shared && n < nchars) {
		const char *w = words[fc_splitmix64(&x) % (sizeof(words) / sizeof(words[0]))];
		if (n > 0)
			out[n++] = ' ';
		while (*w && n < shared && n < nchars)
			out[n++] = *w++;
	}
	x = seed * 0x2545f4914f6cdd1dULL + id + 1;
	h = fc_splitmix64(&x);
	n += (size_t)snprintf(out + n, nchars + 1 - n, "%08llx",
	    (unsigned long long)(h & 0xffffffffULL));
	if (n > nchars)
		n = nchars;
	while (n < nchars) {
		const char *w = words[fc_splitmix64(&x) % (sizeof(words) / sizeof(words[0]))];
		out[n++] = ' ';
		while (*w && n < nchars)
			out[n++] = *w++;
	}
	out[nchars] = '\0';
}

/* ---- blocking HTTP for discovery ---- */

struct membuf {
	char *p;
	size_t n, cap, max;
	int over;   /* a write past max was refused */
};

static size_t
membuf_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct membuf *b = ud;
	size_t len = size * nmemb;

	if (b->n + len > b->max) {
		b->over = 1;
		return 0;
	}
	if (b->n + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 4096;
		char *np;

		while (ncap < b->n + len + 1)
			ncap *= 2;
		np = fc_realloc(b->p, ncap);
		if (np == NULL)
			return 0;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, ptr, len);
	b->n += len;
	b->p[b->n] = '\0';
	return len;
}

struct http_res {
	long status;              /* 0: no HTTP response */
	CURLcode code;
	char err[CURL_ERROR_SIZE];
	struct membuf body;
	char server[128];         /* the Server header */
};

static size_t
header_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	struct http_res *r = ud;
	size_t len = size * nitems;

	if (len > 8 && strncasecmp(buf, "server:", 7) == 0) {
		size_t i = 7, k = 0;
		while (i < len && buf[i] == ' ')
			i++;
		while (i < len && buf[i] != '\r' && buf[i] != '\n' &&
		    k + 1 < sizeof(r->server))
			r->server[k++] = buf[i++];
		r->server[k] = '\0';
	}
	return len;
}

/* GET (body NULL) or POST a JSON body; returns the curl code. */
static CURLcode
http_call(const struct opts *o, const char *path, const char *body,
    struct http_res *r)
{
	char url[2048];
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;

	memset(r, 0, sizeof(*r));
	r->body.max = 16u << 20;
	if (h == NULL) {
		r->code = CURLE_OUT_OF_MEMORY;
		return r->code;
	}
	snprintf(url, sizeof(url), "%s%s", o->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->err);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, membuf_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(h, CURLOPT_USERAGENT, "flatcost-bench/" FC_VERSION);
	if (o->auth)
		hdr = curl_slist_append(hdr, o->auth);
	if (body != NULL) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	if (hdr != NULL)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	r->code = curl_easy_perform(h);
	if (r->code == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "%s", curl_easy_strerror(r->code));
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return r->code;
}

static void
http_res_free(struct http_res *r)
{
	fc_free(r->body.p);
	r->body.p = NULL;
}

/* ---- what the server says about itself (model/server.c reads it) ---- */

static int
connect_failure(const struct opts *o, const struct http_res *r)
{
	/* it did connect: what came back was too big to be a reply about the
	 * server (issue 18 item 10) */
	if (r->body.over)
		cli_err("bench: %s sent a reply larger than %zu MiB, which no inference "
		    "server sends here; is --url right?", o->base, r->body.max >> 20);
	else
		cli_err("bench: cannot connect to %s: %s", o->base, r->err);
	return EXIT_RUNTIME;
}

/* The body of a 200 reply, else NULL (0 bytes). */
static const char *
ok_body(const struct http_res *r, size_t *len)
{
	*len = 0;
	if (r->code != CURLE_OK || r->status != 200 || r->body.p == NULL)
		return NULL;
	*len = r->body.n;
	return r->body.p;
}

static int
discover_ollama(const struct opts *o, struct fc_server_info *si)
{
	struct http_res r;
	json_t *body;
	const char *b;
	char *req, ver[128];
	size_t n;

	if (http_call(o, "/api/version", NULL, &r) != CURLE_OK) {
		http_res_free(&r);
		return connect_failure(o, &r);
	}
	b = ok_body(&r, &n);
	if (fc_server_ollama_version(b, n, ver, sizeof(ver)) && ver[0])
		snprintf(si->engine, sizeof(si->engine), "ollama %s", ver);
	else
		snprintf(si->engine, sizeof(si->engine), "ollama%s%s",
		    r.server[0] ? " " : "", r.server);
	http_res_free(&r);

	body = json_pack("{s:s}", "model", o->model);
	req = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (req == NULL)
		return cli_oom();
	if (http_call(o, "/api/show", req, &r) != CURLE_OK) {
		free(req);
		http_res_free(&r);
		return connect_failure(o, &r);
	}
	free(req);
	if (r.status == 404 || r.status == 400) {
		char msg[256];

		fc_stream_error_text(r.body.p ? r.body.p : "", r.body.n, msg, sizeof(msg));
		cli_err("bench: the server does not know model '%s' (HTTP %ld: %s)",
		    o->model, r.status, msg);
		http_res_free(&r);
		return EXIT_RUNTIME;
	}
	b = ok_body(&r, &n);
	fc_server_ollama_show(b, n, si);
	http_res_free(&r);

	if (http_call(o, "/api/tags", NULL, &r) == CURLE_OK) {
		b = ok_body(&r, &n);
		fc_server_ollama_tags(b, n, o->model, si);
	}
	http_res_free(&r);
	snprintf(si->endpoint, sizeof(si->endpoint), "%s",
	    o->chat ? "/api/chat" : "/api/generate");
	return EXIT_OK;
}

static int
discover_openai(const struct opts *o, struct fc_server_info *si)
{
	struct http_res r;
	const char *b;
	char others[256];
	size_t n;

	if (http_call(o, "/v1/models", NULL, &r) != CURLE_OK) {
		http_res_free(&r);
		return connect_failure(o, &r);
	}
	b = ok_body(&r, &n);
	switch (fc_server_openai_models(b, n, o->model, si, others, sizeof(others))) {
	case FC_LIST_ONLY:
		cli_warn("bench: the server serves one model, %s; measuring it "
		    "as '%s'", others, o->model);
		break;
	case FC_LIST_ABSENT:
		cli_warn("bench: the server lists no model '%s' (it has %s); "
		    "requests will tell", o->model, others);
		break;
	default:
		break;
	}
	if (r.server[0] && si->engine[0] == '\0')
		snprintf(si->engine, sizeof(si->engine), "%s", r.server);
	http_res_free(&r);

	/* llama.cpp's server describes its build and threads at /props */
	if (http_call(o, "/props", NULL, &r) == CURLE_OK) {
		b = ok_body(&r, &n);
		fc_server_llamacpp_props(b, n, si);
	}
	http_res_free(&r);
	if (si->engine[0] == '\0')
		snprintf(si->engine, sizeof(si->engine), "OpenAI-compatible server");
	snprintf(si->endpoint, sizeof(si->endpoint), "%s",
	    o->chat ? "/v1/chat/completions" : "/v1/completions");
	return EXIT_OK;
}

/* Picks the API when not given: Ollama answers /api/version. */
static int
detect_api(struct opts *o)
{
	struct http_res r;
	const char *b;
	char ver[128];
	size_t n;

	if (http_call(o, "/api/version", NULL, &r) != CURLE_OK) {
		int rc = connect_failure(o, &r);
		http_res_free(&r);
		return rc;
	}
	b = ok_body(&r, &n);
	o->api = fc_server_ollama_version(b, n, ver, sizeof(ver)) ?
	    API_OLLAMA : API_OPENAI;
	http_res_free(&r);
	return EXIT_OK;
}

/* ---- the load: transfers on one multi handle ---- */

enum fault {
	F_NONE, F_CONNECT, F_LOST, F_HTTP, F_MODEL, F_RATE_LIMIT, F_STALL,
	F_MALFORMED, F_INCOMPLETE, F_SERVER, F_OVERRUN, F_DEADLINE, F_OTHER,
};

struct xfer {
	CURL *h;
	struct curl_slist *hdr;
	char *body;
	struct fc_stream *stream;
	struct run *run;
	struct level *lv;         /* where to record; NULL: discard */
	double t_start, t_first, t_last_piece, t_final;
	double t_last_byte;       /* arrival of the latest read */
	double t_progress;        /* the latest complete record (or error bytes) */
	double deadline;          /* s (now_s clock): the request fails after it */
	double *gaps;
	size_t n_gaps, cap_gaps, pieces;
	size_t max_pieces;        /* more is an overrun: 2 x the requested tokens */
	long out_tokens;          /* output tokens this request asks for */
	int conv;                 /* --turns: its conversation in run.convs; -1 none */
	struct fc_stream_rec srv;  /* server figures, merged over records */
	long status;
	int status_checked;
	struct membuf errbody;
	int done, finished;
	enum fault fault;
	char msg[512];
	char errbuf[CURL_ERROR_SIZE];
};

struct run {
	CURLM *multi;
	const struct opts *o;
	const struct fc_server_info *si;
	struct xfer *active[MAX_INFLIGHT];
	size_t n_active;
	uint64_t next_id;         /* request counter: prompt uniqueness */
	/* --turns: conversations in progress, one per stream at most */
	struct conv {
		uint64_t id;          /* its turns' prompt ids: id, id + 1, ... */
		long turn;            /* next turn, 0-based */
		size_t chars;         /* characters a turn adds */
		int busy;             /* a turn is in flight */
	} convs[MAX_CONVS];
	size_t prompt_chars;
	long out_tokens;          /* for the requests being issued */
	long want_input;          /* prompt tokens wanted (one of --input-tokens) */
	int drawing;              /* calibrated: draw lengths per request */
	double cal_a, cal_b;      /* the calibration: tokens = a + b chars; b 0: none */
	uint64_t len_rng;         /* lengths' stream */
	struct fc_harness_search search;   /* --search-slo */
	size_t errors;            /* failed requests so far, whole run */
	int stop;                 /* 1: fault, 2: interrupted */
	char stop_reason[600];
	uint64_t rng;             /* Poisson arrivals */
	size_t done_in_level;     /* progress */
	double tok_in_level;
};

static void
xfer_free(struct xfer *x)
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

static size_t
xfer_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * nmemb;
	struct fc_diags d;
	enum fc_status st;

	x->t_last_byte = now_s();
	if (!x->status_checked) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
		x->status_checked = 1;
	}
	if (x->status >= 400 || x->status < 200) {
		size_t keep = len;
		if (x->errbody.n + keep > x->errbody.max)
			keep = x->errbody.max - x->errbody.n;
		if (keep > 0)
			membuf_write(ptr, 1, keep, &x->errbody);
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

/* This request's prompt length (characters) and output tokens: the means
 * until the prompt is calibrated, then harness.h's draws. */
static void
draw_lengths(struct run *rn, size_t *chars, long *out)
{
	struct fc_harness_lengths L = { rn->prompt_chars, rn->want_input,
	    rn->out_tokens, rn->o->input_cv, rn->o->output_cv, rn->cal_a,
	    rn->cal_b };

	if (!rn->drawing) {
		*chars = rn->prompt_chars;
		*out = rn->out_tokens;
		return;
	}
	fc_harness_draw_lengths(&L, &rn->len_rng, chars, out);
}

static char *
request_body(const struct run *rn, const char *prompt, long out_tokens)
{
	const struct opts *o = rn->o;
	json_t *b, *opt;
	char *s;

	if (o->api == API_OLLAMA) {
		opt = json_pack("{s:I, s:f, s:I}", "num_predict",
		    (json_int_t)out_tokens, "temperature", 0.0,
		    "seed", (json_int_t)o->seed);
		if (opt && o->ignore_eos)
			json_object_set_new(opt, "ignore_eos", json_true());
		if (o->chat)
			b = json_pack("{s:s, s:[{s:s, s:s}], s:b, s:o}", "model",
			    o->model, "messages", "role", "user", "content", prompt,
			    "stream", 1, "options", opt);
		else
			b = json_pack("{s:s, s:s, s:b, s:o}", "model", o->model,
			    "prompt", prompt, "stream", 1, "options", opt);
	} else {
		if (o->chat)
			b = json_pack("{s:s, s:[{s:s, s:s}]}", "model", o->model,
			    "messages", "role", "user", "content", prompt);
		else
			b = json_pack("{s:s, s:s}", "model", o->model, "prompt", prompt);
		if (b) {
			json_object_set_new(b, "max_tokens", json_integer(out_tokens));
			json_object_set_new(b, "stream", json_true());
			json_object_set_new(b, "stream_options",
			    json_pack("{s:b}", "include_usage", 1));
			json_object_set_new(b, "temperature", json_real(0));
			json_object_set_new(b, "seed", json_integer(o->seed));
			if (o->ignore_eos)
				json_object_set_new(b, "ignore_eos", json_true());
		}
	}
	if (b == NULL)
		return NULL;
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

/*
 * The request's prompt (allocated; NULL when out of memory).  One turn: a
 * fresh prompt of chars characters.  --turns N: the stream's conversation
 * (one free conversation per stream, so its turns run in order) sends its
 * earlier turns' text again, word for word, then a new part of chars
 * characters: a server's prompt cache can reuse the history.  The answers
 * are not replayed (bench keeps token counts, not text).
 */
static char *
conversation_prompt(struct run *rn, struct xfer *x, size_t chars)
{
	const struct opts *o = rn->o;
	size_t shared = rn->drawing ? (size_t)(o->shared_prefix * (double)chars) : 0;
	struct conv *c = NULL;
	char *p;
	long k;
	int i;

	x->conv = -1;
	if (o->turns <= 1 || !rn->drawing) {
		if ((p = fc_malloc(chars + 16)) != NULL)
			make_prompt((uint64_t)o->seed, rn->next_id++, chars, shared, p);
		return p;
	}
	for (i = 0; i < MAX_CONVS && c == NULL; i++)
		if (!rn->convs[i].busy) {
			c = &rn->convs[i];
			x->conv = i;
		}
	if (c == NULL)
		return NULL;
	if (c->turn == 0) {
		c->id = rn->next_id;
		rn->next_id += (uint64_t)o->turns;
		c->chars = chars;
	}
	c->busy = 1;
	if ((p = fc_malloc((c->chars + 1) * (size_t)(c->turn + 1) + 16)) == NULL) {
		c->busy = 0;
		x->conv = -1;
		return NULL;
	}
	for (k = 0; k <= c->turn; k++) {
		size_t at = (size_t)k * (c->chars + 1);

		make_prompt((uint64_t)o->seed, c->id + (uint64_t)k, c->chars,
		    k == 0 ? shared : 0, p + at);
		if (k < c->turn)
			p[at + c->chars] = '\n';
	}
	return p;
}

/* A conversation's turn has ended (--turns): its next turn may go. */
static void
conversation_done(struct run *rn, struct xfer *x)
{
	struct conv *c;

	if (x->conv < 0)
		return;
	c = &rn->convs[x->conv];
	c->busy = 0;
	if (++c->turn >= rn->o->turns)
		c->turn = 0;
	x->conv = -1;
}

/* Starts one request; returns 0, or -1 when out of memory. */
static int
xfer_start(struct run *rn, struct level *lv)
{
	const struct opts *o = rn->o;
	struct xfer *x = fc_calloc(1, sizeof(*x));
	char url[2048], *prompt;
	size_t chars;

	if (x == NULL)
		return -1;
	x->run = rn;
	x->lv = lv;
	x->errbody.max = ERRBODY_MAX;
	x->t_first = -1;
	x->srv.prompt_tokens = x->srv.prompt_eval_tokens = x->srv.output_tokens = -1;
	x->srv.prompt_s = x->srv.eval_s = x->srv.load_s = x->srv.total_s = -1;
	draw_lengths(rn, &chars, &x->out_tokens);
	prompt = conversation_prompt(rn, x, chars);
	if (prompt == NULL) {
		fc_free(x);
		return -1;
	}
	x->body = request_body(rn, prompt, x->out_tokens);
	fc_free(prompt);
	x->stream = fc_stream_new(o->api == API_OLLAMA ? FC_STREAM_NDJSON :
	    FC_STREAM_SSE, 0);
	x->h = curl_easy_init();
	x->hdr = curl_slist_append(NULL, "Content-Type: application/json");
	if (x->body == NULL || x->stream == NULL || x->h == NULL || x->hdr == NULL) {
		xfer_free(x);
		return -1;
	}
	if (o->api == API_OPENAI)
		x->hdr = curl_slist_append(x->hdr, "Accept: text/event-stream");
	if (o->auth)
		x->hdr = curl_slist_append(x->hdr, o->auth);
	snprintf(url, sizeof(url), "%s%s", o->base, rn->si->endpoint);
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdr);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, xfer_write);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(x->h, CURLOPT_USERAGENT, "flatcost-bench/" FC_VERSION);
	curl_easy_setopt(x->h, CURLOPT_TCP_NODELAY, 1L);
	x->t_start = x->t_last_byte = x->t_progress = now_s();
	x->max_pieces = 2 * (size_t)x->out_tokens;
	x->deadline = x->t_start + (o->request_timeout > 0 ? o->request_timeout :
	    60 + (double)x->out_tokens);
	if (curl_multi_add_handle(rn->multi, x->h) != CURLM_OK) {
		xfer_free(x);
		return -1;
	}
	rn->active[rn->n_active++] = x;
	return 0;
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

static void
level_free(struct level *lv)
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
static void
xfer_done(struct run *rn, struct xfer *x, CURLcode code)
{
	struct fc_benchstat_req q;
	double t_end = now_s();

	detach(rn, x);
	classify(rn, x, code);
	conversation_done(rn, x);
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
	xfer_free(x);
}

/* Drops every transfer in flight without recording it. */
static void
abort_all(struct run *rn)
{
	while (rn->n_active > 0) {
		struct xfer *x = rn->active[0];
		detach(rn, x);
		conversation_done(rn, x);
		xfer_free(x);
	}
}

static void
progress(const struct run *rn, const char *what, size_t total, double t0)
{
	double dt = now_s() - t0;

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

/*
 * --search-slo: a level of n requests that has already missed the SLO more
 * often than the attainment allows cannot pass; an over-saturated server,
 * whose queue and TTFT grow without bound, gets there after a few misses.
 * The level ends there, its requests in flight dropped.
 */
static int
lost_cause(const struct run *rn, const struct level *lv, long n)
{
	const struct opts *o = rn->o;

	return o->search_slo && n > 0 &&
	    (double)lv->slo_misses > (1 - o->attainment) * (double)n + 1e-9;
}

/* The gap to the next arrival, open loop: exponential (Poisson arrivals)
 * at --arrival-cv 1, else gamma with that CV (bursty above 1). */
static double
arrival_gap(struct run *rn, double rate)
{
	double cv = rn->o->arrival_cv;

	if (cv == 1)
		return -log(1 - fc_splitmix64_unit(&rn->rng)) / rate;
	return fc_splitmix64_gamma(&rn->rng, 1 / rate, cv);
}

/*
 * Runs one batch of load: closed loop with conc streams (rate 0) or open
 * loop at rate requests/s; n requests, or for duration seconds when n is 0.
 * Records into lv (NULL: warm-up).  Returns 0, or -1 when the run stops.
 */
static int
run_load(struct run *rn, struct level *lv, long conc, double rate, long n,
    double duration, const char *what)
{
	double t0 = now_s(), next = t0, last_progress = 0;
	long issued = 0;
	int running;

	rn->done_in_level = 0;
	rn->tok_in_level = 0;
	if (rate > 0)
		next = t0 + arrival_gap(rn, rate);
	for (;;) {
		double t = now_s();
		int may_issue = !rn->stop && (n > 0 ? issued < n : t - t0 < duration);
		long cap = rate > 0 ? MAX_INFLIGHT : conc;
		CURLMsg *msg;
		int left, ended, timeout_ms = POLL_MS;
		size_t i;

		while (may_issue && (long)rn->n_active < cap &&
		    (rate <= 0 || t >= next)) {
			if (xfer_start(rn, lv) != 0) {
				rn->stop = 1;
				snprintf(rn->stop_reason, sizeof(rn->stop_reason),
				    "out of memory");
				break;
			}
			issued++;
			if (rate > 0)
				next += arrival_gap(rn, rate);
			may_issue = n > 0 ? issued < n : t - t0 < duration;
		}
		if (rn->n_active == 0 && (!may_issue || rn->stop))
			break;
		curl_multi_perform(rn->multi, &running);
		ended = 0;
		while ((msg = curl_multi_info_read(rn->multi, &left)) != NULL) {
			struct xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			if (x) {
				xfer_done(rn, x, msg->data.result);
				ended++;
			}
		}
		/* a stream that completes no record for --timeout seconds has
		 * stalled, even if it trickles bytes */
		t = now_s();
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
				xfer_done(rn, x, CURLE_OK);
				i = (size_t)-1;        /* the array changed: rescan */
			} else if (t - x->t_progress > rn->o->timeout) {
				x->fault = F_STALL;
				snprintf(x->msg, sizeof(x->msg), "no data from %s for %g s "
				    "(%s)", rn->o->base, rn->o->timeout, x->status_checked ?
				    "the stream stalled" : "no response");
				xfer_done(rn, x, CURLE_OK);
				i = (size_t)-1;        /* the array changed: rescan */
			}
		}
		if (cli_interrupted && rn->stop == 0) {
			rn->stop = 2;
			snprintf(rn->stop_reason, sizeof(rn->stop_reason), "%s",
			    cli_interrupted == SIGTERM ? "terminated (SIGTERM)" :
			    "interrupted");
		}
		if (rn->stop) {
			abort_all(rn);
			if (lv)
				lv->partial = 1;
			break;
		}
		if (lv && lost_cause(rn, lv, n)) {
			abort_all(rn);
			lv->ended_early = 1;
			break;
		}
		if (t - last_progress > 0.2) {
			progress(rn, what, (size_t)n, t0);
			last_progress = t;
		}
		if (ended > 0 && may_issue)
			continue;       /* closed loop: replace them at once */
		if (rate > 0 && next > t && next - t < POLL_MS / 1000.0)
			timeout_ms = (int)((next - t) * 1000) + 1;
		curl_multi_poll(rn->multi, NULL, 0, timeout_ms, NULL);
	}
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
			level_free(&lv);
			rc = -1;
			break;
		}
		p[i] = lv.reqs[0].input_tokens;
		/* input_tokens falls back to the wanted count: not measured */
		level_free(&lv);
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
static int
measure(struct run *rn, struct level *levels, int *n_lv, int *all_measured)
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

/* ---- probe ---- */

static int
run_probe(const struct opts *o, struct probe_out *po)
{
	char path[4096];
	struct fc_diags d;
	enum fc_status st;
	int threads = o->probe_threads ? (int)o->probe_threads : cli_ncpus();

	if (cli_progress_enabled())
		fprintf(stderr, "probing memory bandwidth and arithmetic rate "
		    "(%d threads, %ld MiB)...", threads, o->probe_mb);
	st = fc_probe_run(threads, (size_t)o->probe_mb << 20, &po->r);
	if (cli_progress_enabled())
		fprintf(stderr, "\r\033[K");
	if (st == FC_ENOMEM) {
		cli_err("bench: --probe: cannot allocate %ld MiB", o->probe_mb);
		return EXIT_RUNTIME;
	}
	if (st != FC_OK) {
		cli_err("bench: --probe: cannot start threads");
		return EXIT_RUNTIME;
	}
	po->ran = 1;
	fc_diags_init(&d);
	snprintf(path, sizeof(path), "%s/models.yaml", cli_data_dir());
	if (fc_yaml_load_file(path, &po->catalogue, &d) != FC_OK ||
	    fc_probe_models(po->catalogue, &po->models, &po->n_models, &d) != FC_OK) {
		cli_warn("bench: no predictions: cannot read %s", path);
		cli_print_diags(&d);
	}
	fc_diags_free(&d);
	return EXIT_OK;
}

/* ---- options: one table drives getopt_long, the parsing and the ranges ---- */

/* How a row's value is stored: a string, a number within [lo, hi], a
 * constant (lo) stored in an int, or a parser of its own. */
enum okind { K_HELP, K_STR, K_LONG, K_DOUBLE, K_SET, K_FN };

/* A parser for a K_FN row, or a hook run after a K_LONG/K_DOUBLE row has
 * stored its value; returns 0 or an exit status. */
typedef int (*opt_fn)(struct opts *o, const char *arg);

struct optrow {
	const char *name;
	int has_arg;
	enum okind kind;
	size_t off;               /* the field in struct opts */
	double lo, hi;            /* K_LONG, K_DOUBLE: the range; K_SET: the value */
	opt_fn fn;
	int shortopt;             /* 'h', 'o', or 0 */
};

static int
opt_api(struct opts *o, const char *a)
{
	if (strcmp(a, "ollama") == 0)
		o->api = API_OLLAMA;
	else if (strcmp(a, "openai") == 0)
		o->api = API_OPENAI;
	else
		return cli_usage_error(CMD, "--api: expected ollama or openai, not '%s'", a);
	return 0;
}

static int
opt_api_key_env(struct opts *o, const char *a)
{
	const char *key = getenv(a);
	size_t n;

	if (key == NULL || *key == '\0')
		return cli_usage_error(CMD, "--api-key-env: $%s is not set", a);
	n = strlen(key) + sizeof("Authorization: Bearer ");
	fc_free(o->auth);
	if ((o->auth = fc_malloc(n)) == NULL)
		return cli_oom();
	snprintf(o->auth, n, "Authorization: Bearer %s", key);
	return 0;
}

static int
opt_concurrency(struct opts *o, const char *a)
{
	char err[256];

	o->n_levels = fc_benchstat_levels_parse(a, 1024, o->levels, MAX_LEVELS,
	    err, sizeof(err));
	if (o->n_levels < 0)
		return cli_usage_error(CMD, "--concurrency: %s", err);
	o->has_conc = 1;
	return 0;
}

static int
opt_endpoint(struct opts *o, const char *a)
{
	if (strcmp(a, "chat") != 0 && strcmp(a, "completion") != 0)
		return cli_usage_error(CMD, "--endpoint: expected completion or chat, "
		    "not '%s'", a);
	o->chat = strcmp(a, "chat") == 0;
	return 0;
}

static int
opt_format(struct opts *o, const char *a)
{
	static const char *const names[] = { "table", "json", "csv", "md" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(a, names[i]) == 0) {
			o->fmt = (enum fmt)i;
			return 0;
		}
	return cli_usage_error(CMD, "--format: expected table, json, csv or md, "
	    "not '%s'", a);
}

/* "N~CV": a mean of N tokens (1 to 10^6) drawn per request with that
 * coefficient of variation (0 to 10).  Returns 0, or -1. */
static int
parse_len_cv(const char *a, long *n, double *cv)
{
	char *end;

	errno = 0;
	*n = strtol(a, &end, 10);
	if (end == a || *end != '~' || errno || *n < 1 || *n > 1000000)
		return -1;
	a = end + 1;
	if (fc_parse_double(a, cv) != 0 || *cv < 0 || *cv > 10)
		return -1;
	return 0;
}

/* --output-tokens N or N~CV */
static int
opt_output(struct opts *o, const char *a)
{
	if (strchr(a, '~') != NULL) {
		if (parse_len_cv(a, &o->output_tokens, &o->output_cv) != 0)
			return cli_usage_error(CMD, "--output-tokens: expected N or "
			    "MEAN~CV such as 200~0.5 (a mean of 1 to 1000000 and a CV "
			    "of 0 to 10), not '%s'", a);
		return 0;
	}
	return arg_long(CMD, "--output-tokens", a, 1, 1000000, &o->output_tokens) ?
	    EXIT_USAGE : 0;
}

/* --input-tokens N, N~CV, or a list of prompt lengths (a context curve) */
static int
opt_input(struct opts *o, const char *a)
{
	char err[256];

	if (strchr(a, '~') != NULL) {
		if (parse_len_cv(a, &o->input_tokens, &o->input_cv) != 0)
			return cli_usage_error(CMD, "--input-tokens: expected N, a list, "
			    "or MEAN~CV such as 800~0.5 (a mean of 1 to 1000000 and a "
			    "CV of 0 to 10), not '%s'", a);
		o->inputs[0] = o->input_tokens;
		o->n_inputs = 1;
		return 0;
	}
	o->n_inputs = fc_benchstat_levels_parse(a, 1000000, o->inputs,
	    MAX_INPUTS, err, sizeof(err));
	if (o->n_inputs < 0)
		return cli_usage_error(CMD, "--input-tokens: %s (expected N or a "
		    "list such as 32,256,1024)", err);
	o->input_tokens = o->inputs[0];
	return 0;
}

static int
opt_kind(struct opts *o, const char *a)
{
	if (strcmp(a, "cpu") != 0 && strcmp(a, "gpu") != 0)
		return cli_usage_error(CMD, "--kind: expected cpu or gpu, not '%s'", a);
	o->kind = a;
	return 0;
}

static int
opt_quant(struct opts *o, const char *a)
{
	if ((o->quant = fc_quant_index(a)) < 0)
		return cli_usage_error(CMD, "--quant: expected q4_0, q4_k_m, q8_0 or "
		    "f16, not '%s'", a);
	return 0;
}

static int
opt_rate(struct opts *o, const char *a)
{
	char err[256];

	o->n_rates = fc_benchstat_rates_parse(a, 1e6, o->rates, MAX_LEVELS, err,
	    sizeof(err));
	if (o->n_rates < 0)
		return cli_usage_error(CMD, "--rate: %s", err);
	return 0;
}

static int
opt_slo(struct opts *o, const char *a)
{
	char err[256];

	if (fc_benchstat_slo_parse(a, &o->slo, err, sizeof(err)))
		return cli_usage_error(CMD, "--slo: %s", err);
	o->has_slo = 1;
	return 0;
}

static int
mark_hourly(struct opts *o, const char *a)
{
	(void)a;
	o->has_hourly = 1;
	return 0;
}

static int
mark_monthly(struct opts *o, const char *a)
{
	(void)a;
	o->has_monthly = 1;
	return 0;
}

#define OFF(f) offsetof(struct opts, f)
static const struct optrow rows[] = {
	{ "api",             required_argument, K_FN,     0, 0, 0, opt_api, 0 },
	{ "arrival-cv",      required_argument, K_DOUBLE, OFF(arrival_cv), 0, 20, NULL, 0 },
	{ "api-key-env",     required_argument, K_FN,     0, 0, 0, opt_api_key_env, 0 },
	{ "attainment",      required_argument, K_DOUBLE, OFF(attainment), 0.01, 1, NULL, 0 },
	{ "compare",         required_argument, K_STR,    OFF(compare), 0, 0, NULL, 0 },
	{ "concurrency",     required_argument, K_FN,     0, 0, 0, opt_concurrency, 0 },
	{ "duration",        required_argument, K_DOUBLE, OFF(duration), 0.1, FC_SECONDS_PER_DAY, NULL, 0 },
	{ "endpoint",        required_argument, K_FN,     0, 0, 0, opt_endpoint, 0 },
	{ "format",          required_argument, K_FN,     0, 0, 0, opt_format, 0 },
	{ "from-scenario",   required_argument, K_STR,    OFF(from_scenario), 0, 0, NULL, 0 },
	{ "gguf",            required_argument, K_STR,    OFF(gguf), 0, 0, NULL, 0 },
	{ "help",            no_argument,       K_HELP,   0, 0, 0, NULL, 'h' },
	{ "host-facts",      no_argument,       K_SET,    OFF(host_facts), 1, 0, NULL, 0 },
	{ "hourly-price",    required_argument, K_DOUBLE, OFF(hourly), 0, 1e6, mark_hourly, 0 },
	{ "input-tokens",    required_argument, K_FN,     0, 0, 0, opt_input, 0 },
	{ "kind",            required_argument, K_FN,     0, 0, 0, opt_kind, 0 },
	{ "like",            required_argument, K_STR,    OFF(like), 0, 0, NULL, 0 },
	{ "max-errors",      required_argument, K_LONG,   OFF(max_errors), 0, 1000000, NULL, 0 },
	{ "model",           required_argument, K_STR,    OFF(model), 0, 0, NULL, 0 },
	{ "model-id",        required_argument, K_STR,    OFF(model_id), 0, 0, NULL, 0 },
	{ "monthly-price",   required_argument, K_DOUBLE, OFF(monthly), 0, 1e7, mark_monthly, 0 },
	{ "no-host-facts",   no_argument,       K_SET,    OFF(host_facts), 0, 0, NULL, 0 },
	{ "no-ignore-eos",   no_argument,       K_SET,    OFF(ignore_eos), 0, 0, NULL, 0 },
	{ "output",          required_argument, K_STR,    OFF(outpath), 0, 0, NULL, 'o' },
	{ "output-tokens",   required_argument, K_FN,     0, 0, 0, opt_output, 0 },
	{ "params-b",        required_argument, K_DOUBLE, OFF(params_b), 1e-6, 1e5, NULL, 0 },
	{ "probe",           no_argument,       K_SET,    OFF(probe), 1, 0, NULL, 0 },
	{ "probe-mb",        required_argument, K_LONG,   OFF(probe_mb), 1, 1L << 20, NULL, 0 },
	{ "probe-threads",   required_argument, K_LONG,   OFF(probe_threads), 1, 256, NULL, 0 },
	{ "profile",         required_argument, K_STR,    OFF(profile), 0, 0, NULL, 0 },
	{ "quant",           required_argument, K_FN,     0, 0, 0, opt_quant, 0 },
	{ "ram-gb",          required_argument, K_DOUBLE, OFF(ram_gb), 0.001, 1e6, NULL, 0 },
	{ "rate",            required_argument, K_FN,     0, 0, 0, opt_rate, 0 },
	{ "repeat",          required_argument, K_LONG,   OFF(repeat), 1, 1000, NULL, 0 },
	{ "request-timeout", required_argument, K_DOUBLE, OFF(request_timeout), 0.1, FC_SECONDS_PER_DAY * 7, NULL, 0 },
	{ "requests",        required_argument, K_LONG,   OFF(requests), 1, 10000000, NULL, 0 },
	{ "search-slo",      no_argument,       K_SET,    OFF(search_slo), 1, 0, NULL, 0 },
	{ "seed",            required_argument, K_LONG,   OFF(seed), 0, 2147483647L, NULL, 0 },
	{ "shared-prefix",   required_argument, K_DOUBLE, OFF(shared_prefix), 0, 0.99, NULL, 0 },
	{ "slo",             required_argument, K_FN,     0, 0, 0, opt_slo, 0 },
	{ "threads",         required_argument, K_LONG,   OFF(threads), 1, 4096, NULL, 0 },
	{ "timeout",         required_argument, K_DOUBLE, OFF(timeout), 0.1, 3600, NULL, 0 },
	{ "turns",           required_argument, K_LONG,   OFF(turns), 1, 32, NULL, 0 },
	{ "url",             required_argument, K_STR,    OFF(url), 0, 0, NULL, 0 },
	{ "warmup",          required_argument, K_LONG,   OFF(warmup), 0, 1000, NULL, 0 },
	{ "weights-gb",      required_argument, K_DOUBLE, OFF(weights_gb), 1e-6, 1e5, NULL, 0 },
};
#undef OFF
#define N_ROWS (sizeof(rows) / sizeof(rows[0]))
#define ROW_VAL 256           /* getopt_long's value for rows[i]: ROW_VAL + i */

/* Stores one option's value; returns 0, -1 for --help, or an exit status. */
static int
apply_row(const struct optrow *r, const char *arg, struct opts *o)
{
	char *field = (char *)o + r->off, opt[40];
	int rc = 0;

	snprintf(opt, sizeof(opt), "--%s", r->name);
	switch (r->kind) {
	case K_HELP:
		fputs(usage, stdout);
		return -1;
	case K_STR:
		*(const char **)(void *)field = arg;
		return 0;
	case K_SET:
		*(int *)(void *)field = (int)r->lo;
		return 0;
	case K_LONG:
		rc = arg_long(CMD, opt, arg, (long)r->lo, (long)r->hi,
		    (long *)(void *)field);
		break;
	case K_DOUBLE:
		rc = arg_double(CMD, opt, arg, r->lo, r->hi, (double *)(void *)field);
		break;
	case K_FN:
		return r->fn(o, arg);
	}
	if (rc == 0 && r->fn != NULL)
		rc = r->fn(o, arg);
	return rc ? EXIT_USAGE : 0;
}

/* The checks that involve several options, once all are read. */
static int
check_opts(struct opts *o)
{
	const char *ins[] = { o->from_scenario, o->compare };
	const char *outs[] = { o->outpath, o->profile };
	CURLU *u;
	CURLUcode uc;
	size_t n;
	int i, rc, has1 = 0;

	if ((rc = cli_io_claim(ins, 2, outs, 2)) != EXIT_OK)
		return rc;
	if (o->url == NULL) {
		if (!o->probe)
			return cli_usage_error(CMD, "--url URL (or --probe) is required");
		if (o->profile)
			return cli_usage_error(CMD, "--profile needs a measurement (--url)");
		return 0;
	}
	if (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0)
		return cli_usage_error(CMD, "--url: expected http://HOST:PORT, not "
		    "'%s'", o->url);
	/* a malformed URL is the user's: exit 2, not a connection failure
	 * ('http://[::1', issue 18 item 10) */
	u = curl_url();
	uc = u ? curl_url_set(u, CURLUPART_URL, o->url, 0) : CURLUE_OUT_OF_MEMORY;
	curl_url_cleanup(u);
	if (uc == CURLUE_OUT_OF_MEMORY)
		return cli_oom();
	if (uc != CURLUE_OK)
		return cli_usage_error(CMD, "--url: '%s' is not a valid URL (%s)",
		    o->url, curl_url_strerror(uc));
	if (o->model == NULL)
		return cli_usage_error(CMD, "--model NAME is required with --url");
	if (o->has_conc && o->n_rates)
		return cli_usage_error(CMD, "--concurrency and --rate exclude each other");
	if (o->requests && o->duration > 0)
		return cli_usage_error(CMD, "--requests and --duration exclude each other");
	if (o->profile && o->n_rates)
		return cli_usage_error(CMD, "--profile needs closed-loop levels "
		    "(--concurrency), not --rate");
	if (o->n_inputs * (o->n_rates ? o->n_rates : o->has_conc ? o->n_levels : 3) >
	    MAX_LEVELS)
		return cli_usage_error(CMD, "--input-tokens x levels: at most %d "
		    "measured levels in all", MAX_LEVELS);
	if (o->turns > 1 && o->n_rates)
		return cli_usage_error(CMD, "--turns runs conversations on closed-loop "
		    "streams: give --concurrency, not --rate");
	if (o->arrival_cv != 1 && !o->n_rates)
		return cli_usage_error(CMD, "--arrival-cv shapes open-loop arrivals: "
		    "give --rate");
	if (o->search_slo && !o->has_slo)
		return cli_usage_error(CMD, "--search-slo needs --slo (ttft, tpot "
		    "and/or e2e bounds)");
	if (o->search_slo && o->duration > 0)
		return cli_usage_error(CMD, "--search-slo needs --requests per "
		    "level, not --duration");
	if (o->search_slo && (o->n_inputs > 1 || o->repeat > 1))
		return cli_usage_error(CMD, "--search-slo runs one prompt length "
		    "once per level (no --input-tokens list, no --repeat)");
	if (!o->has_conc && !o->n_rates) {
		o->levels[0] = 1;
		o->levels[1] = 2;
		o->levels[2] = 4;
		o->n_levels = 3;
	}
	/* a level of C streams fed fewer than C requests never runs C at
	 * once: it would measure a lower concurrency under C's name */
	for (i = 0; o->requests && !o->search_slo && !o->n_rates &&
	    i < o->n_levels; i++)
		if (o->requests < o->levels[i])
			return cli_usage_error(CMD, "--requests %ld is below "
			    "concurrency %ld: such a level never runs %ld streams at "
			    "once (give at least %ld; the default is %d x the "
			    "concurrency, at least %d)", o->requests, o->levels[i],
			    o->levels[i], o->levels[i], FC_HARNESS_REQ_PER_STREAM,
			    FC_HARNESS_REQ_MIN);
	for (i = 0; i < o->n_levels; i++)
		has1 |= o->levels[i] == 1;
	if (o->profile && !has1)
		return cli_usage_error(CMD, "--profile needs concurrency 1 among the "
		    "levels (the single-stream decode rate)");
	if ((o->base = fc_strdup(o->url)) == NULL)
		return cli_oom();
	n = strlen(o->base);
	while (n > 8 && o->base[n - 1] == '/')
		o->base[--n] = '\0';
	if (o->model_id == NULL)
		o->model_id = o->model;
	return 0;
}

/* Reads the command line into o; returns 0, -1 after --help, or an exit
 * status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	struct option longopts[N_ROWS + 1];
	size_t i;
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->input_tokens = o->inputs[0] = 128;
	o->n_inputs = 1;
	o->output_tokens = 64;
	o->warmup = 1;
	o->seed = 1;
	o->timeout = 30;
	o->repeat = 1;
	o->arrival_cv = 1;
	o->turns = 1;
	o->attainment = 0.9;
	o->ignore_eos = 1;
	o->host_facts = -1;
	o->kind = "cpu";
	o->probe_mb = 512;
	o->quant = 1;      /* q4_k_m */
	o->api = API_AUTO;
	memset(longopts, 0, sizeof(longopts));
	for (i = 0; i < N_ROWS; i++) {
		longopts[i].name = rows[i].name;
		longopts[i].has_arg = rows[i].has_arg;
		longopts[i].val = rows[i].shortopt ? rows[i].shortopt : ROW_VAL + (int)i;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		const struct optrow *r = NULL;

		if (c >= ROW_VAL && c < ROW_VAL + (int)N_ROWS)
			r = &rows[c - ROW_VAL];
		for (i = 0; r == NULL && c > 0 && i < N_ROWS; i++)
			if (rows[i].shortopt == c)
				r = &rows[i];
		if (r == NULL)
			return cli_bad_option(CMD, c, argv);
		if ((rc = apply_row(r, optarg, o)) != 0)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	return check_opts(o);
}

/*
 * --from-scenario FILE: the load of a scenario's month 1, as its means:
 * input tokens per call (with its context growth) and their CV, output
 * tokens and their CV, arrival_cv (open loop) and cached_share as the
 * shared prefix of every prompt.  Its chaining is recorded: bench sends
 * independent calls.  Excludes the options it sets.
 */
static int
apply_scenario(struct opts *o, const char *const *argv, int argc)
{
	static const char *const owned[] = { "--input-tokens", "--output-tokens",
	    "--arrival-cv", "--shared-prefix" };
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_inputs in;
	size_t k;
	int i, rc;

	for (i = 1; i < argc; i++)
		for (k = 0; k < sizeof(owned) / sizeof(owned[0]); k++)
			if (strncmp(argv[i], owned[k], strlen(owned[k])) == 0)
				return cli_usage_error(CMD, "--from-scenario sets %s: "
				    "give one or the other", owned[k]);
	if ((rc = load_scenario(o->from_scenario, NULL, 0, &cat, &s)) != EXIT_OK) {
		fc_catalog_free(cat);
		return rc;
	}
	fc_inputs_mean(s, 1, &in);
	o->input_tokens = o->inputs[0] = (long)floor(in.input_tokens + 0.5) > 0 ?
	    (long)floor(in.input_tokens + 0.5) : 1;
	o->n_inputs = 1;
	o->output_tokens = (long)floor(in.output_tokens + 0.5) > 0 ?
	    (long)floor(in.output_tokens + 0.5) : 1;
	o->input_cv = in.input_cv;
	o->output_cv = in.output_cv;
	o->arrival_cv = o->n_rates ? in.arrival_cv : 1;
	o->shared_prefix = in.cached_share < 0.99 ? in.cached_share : 0.99;
	o->from_chaining = in.chaining;
	fc_scenario_free(s);
	fc_catalog_free(cat);
	if (o->arrival_cv <= 0)
		o->arrival_cv = 1;
	return EXIT_OK;
}

/* Is the URL's host this machine? */
static int
url_is_loopback(const char *url)
{
	const char *h = strstr(url, "://");

	h = h ? h + 3 : url;
	return strncmp(h, "127.", 4) == 0 || strncmp(h, "localhost", 9) == 0 ||
	    strncmp(h, "[::1]", 5) == 0;
}

/* Sizes from --params-b/--weights-gb, else --like, when the server gave none. */
/* --gguf FILE: the served model's shape from its header. */
static int
gguf_shape(const char *path, struct fc_server_info *si)
{
	struct fc_diags d;
	struct fc_model m;
	struct fc_loc loc = { "--gguf", 1, 1, 0 };
	enum fc_quant q;
	enum fc_status st;
	int known;

	fc_diags_init(&d);
	st = fc_model_from_gguf(path, loc, &m, &q, &known, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st != FC_OK)
		return EXIT_USAGE;
	si->params_b = m.params_b;
	si->weights_gb = m.weights_gb[q];
	si->kv_bytes_per_token = m.kv_bytes_per_token;
	si->active_params_b = m.active_params_b;
	si->context_length = m.context_length;
	if (known)
		snprintf(si->quant, sizeof(si->quant), "%s", fc_quant_names[q]);
	fc_model_clear(&m);
	return EXIT_OK;
}

static int
fill_sizes(const struct opts *o, struct fc_server_info *si)
{
	int grc;

	if (o->gguf && (grc = gguf_shape(o->gguf, si)) != EXIT_OK)
		return grc;
	if (o->params_b > 0)
		si->params_b = o->params_b;
	if (o->weights_gb > 0)
		si->weights_gb = o->weights_gb;
	if (o->like && (si->params_b <= 0 || si->weights_gb <= 0 ||
	    si->kv_bytes_per_token <= 0)) {
		char path[4096];
		struct fc_diags d;
		struct fc_ynode *root = NULL;
		struct fc_probe_model *ms = NULL;
		const struct fc_probe_model *m;
		size_t n = 0;
		int rc = EXIT_OK, qi;

		fc_diags_init(&d);
		snprintf(path, sizeof(path), "%s/models.yaml", cli_data_dir());
		if (fc_yaml_load_file(path, &root, &d) != FC_OK ||
		    fc_probe_models(root, &ms, &n, &d) != FC_OK) {
			cli_print_diags(&d);
			rc = EXIT_RUNTIME;
		} else if ((m = fc_probe_model_find(ms, n, o->like)) == NULL) {
			rc = cli_usage_error(CMD, "--like: unknown model '%s'", o->like);
		} else {
			if (si->params_b <= 0)
				si->params_b = m->params_b;
			qi = fc_quant_index(si->quant[0] ? si->quant : "q4_k_m");
			if (qi < 0) {
				char lower[32];
				size_t i;

				for (i = 0; si->quant[i] && i + 1 < sizeof(lower); i++)
					lower[i] = (char)((si->quant[i] >= 'A' &&
					    si->quant[i] <= 'Z') ? si->quant[i] + 32 : si->quant[i]);
				lower[i] = '\0';
				qi = fc_quant_index(lower);
			}
			if (si->weights_gb <= 0)
				si->weights_gb = m->weights_gb[qi >= 0 ? qi : o->quant];
			if (si->kv_bytes_per_token <= 0)
				si->kv_bytes_per_token = m->kv_bytes_per_token;
		}
		fc_free(ms);
		fc_ynode_free(root);
		fc_diags_free(&d);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

/* --compare PROFILE: read for the probe's table. */
static int
load_compare(const char *path, struct probe_out *po)
{
	struct fc_diags d;
	int rc = EXIT_OK;

	fc_diags_init(&d);
	if (fc_yaml_load_file(path, &po->compare, &d) != FC_OK) {
		cli_print_diags(&d);
		rc = EXIT_USAGE;
	}
	fc_diags_free(&d);
	return rc;
}

/* Replies without a single output token measure nothing: a profile of 0
 * tok/s would price the flat fleet at infinity (issue 18 item 10: this
 * exited 0).  EXIT_OK when some level measured tokens, else says so and
 * returns EXIT_RUNTIME. */
static int
some_tokens(const struct opts *o, const struct level *levels, int n_lv)
{
	int i;

	for (i = 0; i < n_lv; i++)
		if (levels[i].measured && levels[i].st.ok > 0 &&
		    levels[i].st.output_tok_s > 0)
			return EXIT_OK;
	cli_err("bench: no reply carried an output token: nothing measured, "
	    "nothing written (does %s generate with this model?)", o->base);
	return EXIT_RUNTIME;
}

int
cmd_bench(int argc, char **argv)
{
	struct opts o;
	struct fc_server_info si;
	struct run rn;
	struct report rp;
	struct probe_out po;
	struct level levels[MAX_LEVELS];
	struct saved_signals sigs;
	int rc, i, n_lv = 0, sig = 0;

	memset(&si, 0, sizeof(si));
	memset(&rn, 0, sizeof(rn));
	memset(&rp, 0, sizeof(rp));
	memset(&po, 0, sizeof(po));
	memset(levels, 0, sizeof(levels));
	rc = parse_opts(argc, argv, &o);
	if (rc != 0) {
		fc_free(o.base);
		fc_free(o.auth);
		return rc < 0 ? EXIT_OK : rc;
	}
	if (o.from_scenario && (rc = apply_scenario(&o, (const char *const *)argv,
	    argc)) != EXIT_OK) {
		fc_free(o.base);
		fc_free(o.auth);
		return rc;
	}
	rp.o = &o;
	rp.probe = &po;
	today(rp.date, sizeof(rp.date));
	if (o.compare && load_compare(o.compare, &po) != EXIT_OK) {
		fc_free(o.base);
		fc_free(o.auth);
		return EXIT_USAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		cli_err("bench: cannot initialise libcurl");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (o.url && (o.host_facts == 1 ||
	    (o.host_facts == -1 && url_is_loopback(o.base)))) {
		if (fc_probe_host("/proc", &rp.host) == FC_OK) {
			rp.has_host = 1;
			if (gethostname(rp.hostname, sizeof(rp.hostname) - 1) != 0)
				snprintf(rp.hostname, sizeof(rp.hostname), "unknown");
		}
	}
	if (o.profile && o.ram_gb <= 0 && !(rp.has_host && rp.host.ram_gb > 0)) {
		rc = cli_usage_error(CMD, "--profile: the server's RAM is unknown (it "
		    "is not this machine): give --ram-gb, or --host-facts when it is");
		goto out_curl;
	}
	if (o.probe && (rc = run_probe(&o, &po)) != EXIT_OK)
		goto out_curl;
	if (o.url == NULL) {
		rc = bench_write_outputs(&o, &rp);
		goto out_curl;
	}

	/* what is the server, and does it know the model? */
	if (o.api == API_AUTO && (rc = detect_api(&o)) != EXIT_OK)
		goto out_curl;
	rc = o.api == API_OLLAMA ? discover_ollama(&o, &si) : discover_openai(&o, &si);
	if (rc != EXIT_OK)
		goto out_curl;
	if (o.threads > 0)
		si.threads = o.threads;
	if ((rc = fill_sizes(&o, &si)) != EXIT_OK)
		goto out_curl;
	if (o.profile && (si.params_b <= 0 || si.weights_gb <= 0)) {
		rc = cli_usage_error(CMD, "--profile: the server does not report the "
		    "model's size; give --params-b and --weights-gb, or --like MODEL");
		goto out_curl;
	}
	rp.si = &si;

	rn.o = &o;
	rn.si = &si;
	rn.rng = (uint64_t)o.seed * 0x9e3779b97f4a7c15ULL + 7;
	rn.len_rng = (uint64_t)o.seed * 0x9e3779b97f4a7c15ULL + 11;
	rn.multi = curl_multi_init();
	if (rn.multi == NULL) {
		rc = cli_oom();
		goto out_curl;
	}
	rn.out_tokens = o.output_tokens;
	catch_signals(&sigs);

	if (measure(&rn, levels, &n_lv, &rp.input_measured) != 0) {
		rc = cli_oom();
		goto out_multi;
	}
	restore_signals(&sigs);
	rp.levels = levels;
	rp.n_levels = n_lv;
	rp.partial = rn.stop != 0;
	rp.slo_best = rn.search.best;
	rp.slo_fail = rn.search.fail;
	rp.slo_capped = rn.search.lower_bound_only;
	rp.slo_improper = rn.search.improper;
	rp.stop_reason = rn.stop ? rn.stop_reason : NULL;
	bench_pick_prefill(&rp);

	if (rn.stop) {
		int any = 0;

		for (i = 0; i < n_lv; i++)
			any |= levels[i].measured && levels[i].st.ok > 0;
		cli_err("bench: %s", rn.stop_reason);
		/* the interrupt is honoured (the load stopped); let the partial
		 * results be committed: out_commit() refuses while it is set */
		sig = cli_interrupted;
		if (rn.stop == 2)
			cli_interrupted = 0;
		if (any) {
			cli_err("bench: stopped early; the results so far are marked partial");
			rc = bench_write_outputs(&o, &rp);
		} else {
			cli_err("bench: no request completed; nothing written");
		}
		rc = rn.stop == 2 && sig == SIGINT ? EXIT_SIGINT : EXIT_RUNTIME;
		goto out_multi;
	}
	if ((rc = some_tokens(&o, levels, n_lv)) == EXIT_OK)
		rc = bench_write_outputs(&o, &rp);
out_multi:
	restore_signals(&sigs);
	abort_all(&rn);
	curl_multi_cleanup(rn.multi);
	for (i = 0; i < n_lv; i++)
		level_free(&levels[i]);
out_curl:
	curl_global_cleanup();
out:
	fc_free(po.models);
	fc_ynode_free(po.catalogue);
	fc_ynode_free(po.compare);
	fc_free(o.base);
	fc_free(o.auth);
	return rc;
}
