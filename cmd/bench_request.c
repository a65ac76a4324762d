/*
 * bench_request.c: the requests `flatcost bench` sends: prompts of an
 * exact length (unique, or sharing a prefix, or a conversation's turns),
 * lengths drawn per request (harness.h), the JSON body of each API, and
 * the libcurl transfer that carries it.
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

double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
void
bench_conversation_done(struct run *rn, struct xfer *x)
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
int
bench_xfer_start(struct run *rn, struct level *lv)
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
		bench_xfer_free(x);
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
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, bench_xfer_write);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(x->h, CURLOPT_USERAGENT, "flatcost-bench/" FC_VERSION);
	curl_easy_setopt(x->h, CURLOPT_TCP_NODELAY, 1L);
	x->t_start = x->t_last_byte = x->t_progress = bench_now();
	x->max_pieces = 2 * (size_t)x->out_tokens;
	x->deadline = x->t_start + (o->request_timeout > 0 ? o->request_timeout :
	    60 + (double)x->out_tokens);
	if (curl_multi_add_handle(rn->multi, x->h) != CURLM_OK) {
		bench_xfer_free(x);
		return -1;
	}
	rn->active[rn->n_active++] = x;
	return 0;
}
