/*
 * bench.h: what the measuring side of `flatcost bench` (cmd_bench.c and
 * bench_int.h's files) and its writers (bench_report.c, bench_text.c,
 * bench_profile.c) share.  Private to cmd/.
 */
#ifndef FC_BENCH_H
#define FC_BENCH_H

#include <stddef.h>

#include "benchstat.h"
#include "probe.h"
#include "server.h"
#include "ynode.h"

#define MAX_LEVELS 64   /* load levels (--concurrency or --rate values) at most */
#define MAX_INPUTS 16   /* prompt lengths (--input-tokens LIST), as data's FC_MAX_CONTEXTS */

enum fmt { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_MD };
enum api { API_AUTO, API_OLLAMA, API_OPENAI };

/* The command line, as parse_opts() read it. */
struct opts {
	const char *url;          /* base URL, without a trailing '/' */
	char *base;               /* owned copy of url, trimmed */
	enum api api;
	int chat;                 /* --endpoint chat */
	const char *model, *model_id, *like, *profile, *outpath, *compare;
	const char *gguf;         /* --gguf FILE: the served model's header */
	const char *kind;
	char *auth;               /* "Authorization: Bearer KEY", owned; NULL: none */
	long levels[MAX_LEVELS];
	int n_levels;
	int has_conc;             /* --concurrency given */
	double rates[MAX_LEVELS];
	int n_rates;
	long requests;            /* --requests; 0: not given (harness.h's
	                             fc_harness_requests() per level) */
	double duration;          /* s per level; 0 with --requests */
	long input_tokens, output_tokens, warmup, max_errors, seed, threads;
	long inputs[MAX_INPUTS];  /* --input-tokens: prompt lengths; input_tokens = inputs[0] */
	int n_inputs;
	double timeout;           /* s: connect and stall limit */
	double request_timeout;   /* s: one request's whole time; 0: 60 + 1 per output token */
	long repeat;              /* runs of each level (--repeat), >= 1 */
	int search_slo;           /* --search-slo */
	double input_cv, output_cv;  /* per-request length draws (N~CV); 0: fixed */
	double arrival_cv;        /* open loop: gap CV, 1 Poisson, else gamma */
	double shared_prefix;     /* share of each prompt common to all requests */
	const char *from_scenario;   /* --from-scenario FILE */
	long turns;               /* --turns: requests per conversation, >= 1 */
	double from_chaining;     /* that scenario's chaining (recorded) */
	double attainment;        /* share of requests that must meet the SLO */
	struct fc_benchstat_slo slo;
	int has_slo;
	int ignore_eos;
	double params_b, weights_gb;   /* 0: from the server */
	double ram_gb;            /* 0: from /proc with host facts */
	double monthly, hourly;
	int has_monthly, has_hourly;
	int host_facts;           /* -1 auto (loopback URL), 0 no, 1 yes */
	enum fmt fmt;
	int probe;
	long probe_threads, probe_mb;
	int quant;                /* index into fc_quant_names */
};

/* One load level: its requests as measured, then their figures. */
struct level {
	long conc;                /* closed loop: streams; 0 for open loop */
	long input_tokens;        /* the prompt length asked for */
	double rate;              /* open loop: requests / s */
	struct fc_benchstat_req *reqs;
	double **gaps;            /* owned, parallel to reqs */
	size_t n, cap;
	struct fc_benchstat_level st;   /* over every run's requests, pooled */
	/* --repeat: each run's figures (owned, n_runs of each), and their
	 * run-to-run spread: decode tok/s, prefill tok/s (the server's figure
	 * when it reports one, as the profile's), TTFT median (s) */
	double *run_decode, *run_prefill, *run_ttft50;
	size_t n_runs;
	struct fc_benchstat_rep rep_decode, rep_prefill, rep_ttft50;
	int partial;              /* cut short by a fault or interrupt */
	size_t slo_misses;        /* requests that missed the SLO so far */
	int ended_early;          /* --search-slo: ended once it could not pass */
	int probe, pass;          /* an SLO search probe, and whether it passed */
	int measured;             /* st is filled */
};

/* What --probe measured, and the catalogue its predictions cover. */
struct probe_out {
	int ran;
	struct fc_probe_result r;
	struct fc_ynode *catalogue;
	struct fc_probe_model *models;
	size_t n_models;
	struct fc_ynode *compare;   /* --compare profile */
};

/* What the writers read; all borrowed from cmd_bench(). */
struct report {
	const struct opts *o;
	const struct fc_server_info *si;
	struct level *levels;
	int n_levels;
	int partial;
	const char *stop_reason;
	int input_measured;       /* prompt length calibrated on server counts */
	char date[16];
	struct fc_host_facts host;
	int has_host;
	char hostname[128];
	struct probe_out *probe;
	/* --search-slo: the answer (0: no level passed), the first failure
	 * above it (0: none), whether it is only a lower bound */
	double slo_best, slo_fail;
	int slo_capped;
	int slo_improper;         /* stopped at a level not measured properly */
	/* the profile's figures */
	double prefill;           /* tok/s */
	const char *prefill_basis;
};

/* Shared by bench_report.c (JSON, CSV, the outputs), bench_text.c (the
 * table) and bench_profile.c (the profile). */
#include <stdio.h>
typedef struct json_t json_t;
json_t *bench_num_or_null(double v);
/* The f16 KV cache bytes per token of a catalogue model at the probe. */
double bench_kv_bytes(const struct opts *o, const struct fc_probe_model *m);
/* USD per million tokens at tok_s under the given price; -1 without one. */
double bench_cost_per_mtok(const struct opts *o, double tok_s);
/* Input and output tokens per second of a level. */
double bench_total_tok_s(const struct fc_benchstat_level *s);
/* The level of best goodput within the SLO for 90% of requests; NULL. */
const struct level *bench_best_goodput(const struct report *rp);
/* The measured level at concurrency conc and the first prompt length. */
const struct level *bench_level_at(const struct report *rp, long conc);
void bench_write_text(FILE *f, const struct report *rp, int md);
void bench_write_profile(FILE *f, const struct report *rp);
/* --probe: this machine's bandwidth and arithmetic rate, and the
 * catalogue its predictions cover; an exit status. */
int bench_run_probe(const struct opts *o, struct probe_out *po);
/* --compare PROFILE, read for the probe's table; an exit status. */
int bench_load_compare(const char *path, struct probe_out *po);

/* The profile's prefill rate, rp->prefill and rp->prefill_basis: the
 * server's figure at concurrency 1 when it reports one, else the client's
 * (input tokens / TTFT). */
void bench_pick_prefill(struct report *rp);
/* Writes the profile (--profile, when concurrency 1 was measured), then
 * the report in o->fmt to o->outpath or stdout; returns an exit status. */
int bench_write_outputs(const struct opts *o, struct report *rp);

#endif /* FC_BENCH_H */
