/*
 * bench_int.h: what the files of `flatcost bench`'s load share (private to
 * cmd/cmd_bench.c and cmd/bench_*.c): a transfer, the run's state, and
 * the functions each file offers the others.
 */
#ifndef FC_BENCH_INT_H
#define FC_BENCH_INT_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "harness.h"
#include "server.h"
#include "stream.h"

#define CMD "bench"
#define MAX_INFLIGHT 512      /* open loop: requests in flight at most */
#define ERRBODY_MAX 4096      /* bytes of an HTTP error body kept */
#define POLL_MS 50            /* longest wait between checks for stalls */
#define MAX_CONVS 1024        /* --turns: conversations at once (max concurrency) */

/* A growing buffer with a limit (discovery replies, error bodies). */
struct membuf {
	char *p;
	size_t n, cap, max;
	int over;   /* a write past max was refused */
};
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
	double deadline;          /* s (bench_now clock): the request fails after it */
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

/* bench_opts.c: the option parsers of cmd_bench.c's table (each returns 0
 * or an exit status), and the checks across options once all are read */
int bench_opt_api(void *ctx, const char *a);
int bench_opt_api_key_env(void *ctx, const char *a);
int bench_opt_concurrency(void *ctx, const char *a);
int bench_opt_endpoint(void *ctx, const char *a);
int bench_opt_format(void *ctx, const char *a);
int bench_opt_output(void *ctx, const char *a);
int bench_opt_input(void *ctx, const char *a);
int bench_opt_kind(void *ctx, const char *a);
int bench_opt_quant(void *ctx, const char *a);
int bench_opt_rate(void *ctx, const char *a);
int bench_opt_slo(void *ctx, const char *a);
int bench_mark_hourly(void *ctx, const char *a);
int bench_mark_monthly(void *ctx, const char *a);
int bench_check_opts(struct opts *o);
/* --from-scenario FILE: its load into o; an exit status. */
int bench_apply_scenario(struct opts *o, const char *const *argv, int argc);

/* bench_http.c: discovery; each returns an exit status */
size_t bench_membuf_write(char *ptr, size_t size, size_t nmemb, void *ud);
int bench_detect_api(struct opts *o);
int bench_discover_ollama(const struct opts *o, struct fc_server_info *si);
int bench_discover_openai(const struct opts *o, struct fc_server_info *si);
/* The served model's shape from a GGUF file's header (--gguf, or the
 * file llama-server names at /props when it runs on this machine). */
int bench_gguf_shape(const char *path, struct fc_server_info *si);
/* The model's size and shape from the options, --gguf and --like. */
int bench_fill_sizes(const struct opts *o, struct fc_server_info *si);

/* bench_request.c */
double bench_now(void);    /* s, monotonic */
/* Starts one request of level lv (NULL: warm-up); 0, or -1 when out of
 * memory. */
int bench_xfer_start(struct run *rn, struct level *lv);
/* A conversation's turn has ended (--turns): its next turn may go. */
void bench_conversation_done(struct run *rn, struct xfer *x);

/* bench_stream.c */
void bench_xfer_free(struct xfer *x);
size_t bench_xfer_write(char *ptr, size_t size, size_t nmemb, void *ud);
/* A transfer has ended: record it and decide whether the run goes on. */
void bench_xfer_done(struct run *rn, struct xfer *x, CURLcode code);
/* Drops every transfer in flight without recording it. */
void bench_abort_all(struct run *rn);
void bench_level_free(struct level *lv);

/* bench_load.c: the whole measurement into levels[0..*n_lv-1]; 0, or -1
 * when out of memory (a fault or an interrupt sets rn->stop) */
int bench_measure(struct run *rn, struct level *levels, int *n_lv,
    int *all_measured);

#endif /* FC_BENCH_INT_H */
