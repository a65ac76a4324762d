/*
 * calib.h: fitting a scenario's workload from usage logs (flatcost
 * calibrate).  Readers (calib_read.c) turn CSV, JSON and JSONL logs, plain
 * or gzip-compressed, into records; the accumulator (calib.c) folds each
 * record into running sums whose size grows with the number of users, of
 * models times days and of the traces open within the trace window, never
 * with the number of rows; fc_calib_fit() turns the sums into estimates.
 *
 * Nothing here prints: errors are diagnostics (FILE:LINE), estimates are
 * data that cmd/cmd_calibrate.c writes as a scenario.
 */
#ifndef FC_CALIB_H
#define FC_CALIB_H

#include <stdio.h>

#include "data.h"
#include "fc.h"
#include "scenario.h"

/* Resource limits (flatcost(1) RESOURCE LIMITS): a CSV field, and a JSON
 * record (a JSON Lines line, an element of a top-level array, a whole
 * document otherwise), longer than these is refused as soon as it is seen. */
#define FC_CALIB_MAX_FIELD (16u << 20)
#define FC_CALIB_MAX_RECORD (64u << 20)

enum fc_calib_format {
	FC_CALIB_AUTO,      /* detect from the header or the first record */
	FC_CALIB_CSV,       /* any CSV, columns by name (--columns) */
	FC_CALIB_LITELLM,   /* LiteLLM_SpendLogs, as CSV or JSON/JSONL */
	FC_CALIB_OPENAI,    /* OpenAI usage API completions buckets (JSON pages) */
	FC_CALIB_LANGFUSE,  /* Langfuse observations (JSON, JSONL or CSV) */
};

/* The roles a log's columns (or JSON keys) play. */
enum fc_calib_role {
	FC_ROLE_TS,       /* call start: ISO 8601 or Unix seconds */
	FC_ROLE_USER,     /* the app's end user */
	FC_ROLE_IN,       /* input tokens, cached included */
	FC_ROLE_OUT,      /* output tokens */
	FC_ROLE_CACHED,   /* cached input tokens */
	FC_ROLE_TRACE,    /* the user action a call belongs to */
	FC_ROLE_OK,       /* shadow run: the local answer was accepted (1/0, true/false) */
	FC_ROLE_MODEL,
	FC_ROLE_BATCH,    /* sent through a batch API (1/0, true/false) */
	FC_ROLE_SPEND,    /* what the call cost, USD */
	FC_ROLE_N,        /* requests in an aggregated row (1 when absent) */
	FC_ROLE_END,      /* end of an aggregated bucket */
	FC_ROLE_END_USER, /* LiteLLM's end_user: wins over user when set */
	FC_ROLE_TYPE,     /* Langfuse observation type: only GENERATION is a call */
	FC_ROLE_CACHE_HIT,/* LiteLLM: answered from the proxy's cache, no API call */
	FC_ROLE_CALL_END, /* a single call's end: the API's own latency */
	FC_NROLES
};

/* The short names --columns takes (ts, user, in, ...), by role. */
extern const char *const fc_calib_role_names[FC_NROLES];
const char *fc_calib_format_name(enum fc_calib_format f);
/* Parses "auto", "csv", "litellm", "openai-usage", "langfuse"; -1 if none. */
int fc_calib_format_parse(const char *s);

struct fc_calib_opts {
	enum fc_calib_format format;
	const char *columns[FC_NROLES];  /* column (key) names; NULL: by the usual names */
	double since, until;             /* Unix seconds; rows outside [since, until) are
	                                  * skipped; NAN: open */
	long skip_bad;                   /* bad rows tolerated (counted) before failing */
	double trace_window_s;           /* a trace idle this long is closed (seconds) */
	double utc_offset_h;             /* hours added to UTC for the diurnal shape */
	/* when not NULL: the seconds east of UTC at Unix time t in the time
	 * zone of the diurnal shape (a zone's daylight saving time), asked once
	 * per clock hour of the log; utc_offset_h is then unused */
	double (*utc_offset_s)(void *ctx, double t);
	void *tz_ctx;
	/* called after each chunk (about 1 MB) of a file is read, with the
	 * bytes of the file consumed so far and its size (0: unknown, as for
	 * standard input); may be NULL */
	void (*progress)(void *ctx, const char *path, double done, double total);
	void *progress_ctx;
};
void fc_calib_opts_init(struct fc_calib_opts *o);

/* One call, or one aggregated bucket of n calls.  Strings are borrowed. */
struct fc_calib_rec {
	double ts;             /* Unix seconds */
	double t_end;          /* bucket end, NAN for a single call */
	const char *user, *trace, *model;  /* NULL: absent */
	double n;              /* calls (1 for a single call) */
	double in, out, cached;            /* tokens, summed over the n calls */
	int ok;                /* 1 accepted, 0 rejected, -1 absent */
	int batch;             /* 1, 0, -1 absent */
	double spend;          /* USD, NAN absent */
	double t_done;         /* a single call's end (its latency from ts), NAN absent */
};

/* An estimate with its 90% interval (lo, hi NAN when it has none). */
struct fc_calib_est {
	double v, lo, hi;
	int ok;                /* identified by the log */
	const char *why;       /* when not: the reason (static) */
};

#define FC_CALIB_MAX_MODELS 16

/* The prior of top10_share when the log cannot identify it (fewer than 20
 * users, or none named): PERT from an even spread (0.1) to a heavy
 * concentration (0.7), most likely 0.3 -- a stated assumption, not data,
 * drawn in each trial so that it widens the range; its mean is
 * (0.1 + 4 x 0.3 + 0.7) / 6. */
#define FC_CALIB_TOP10_PRIOR "{dist: pert, min: 0.1, mode: 0.3, max: 0.7}"
#define FC_CALIB_TOP10_PRIOR_MEAN (2.0 / 6)

struct fc_calib_fit {
	enum fc_calib_format format;   /* as detected (of the first file) */
	double rows, bad_rows, calls;  /* rows read, rows skipped as bad, calls */
	double cache_hits;             /* rows answered from a proxy cache, left out */
	double t0, t1;                 /* first and last call, Unix seconds */
	double span_days;              /* whole days covered, >= 1 */
	double covered_days;           /* span_days less the shares of the first and
	                                * last day's calls (by the diurnal shape)
	                                * outside the log: the back-tests' days */
	double cover_first, cover_last;/* those shares covered, 1 without the shape */
	double month_days;             /* calendar days of the month rpud is per:
	                                * the logged period's calls are a month's
	                                * times covered_days / month_days */
	double n_traces;
	double users_seen;
	struct fc_calib_est users, rpud, top10, chaining, input, output, input_cv,
	    output_cv, growth, peak, arrival_cv, days, cached, batch, fallback;
	double rpud_cv;                /* cv of the monthly mean of rpud */
	double input_mcv, output_mcv;  /* cv of next month's mean tokens per call
	                                * (day-to-day spread and standard error);
	                                * 0: written as a constant */
	struct fc_calib_est latency;   /* the API's own call latency, seconds (mean,
	                                * 90% interval of the mean), from start and end */
	double latency_sd, latency_calls;
	double latency_p50, latency_p95; /* its median and 95th percentile, seconds
	                                  * (within 2.3%: a histogram); NAN: none */
	struct fc_calib_est overlap;   /* how much a trace's calls overlap, 0 (one after
	                                * another) to 1 (all at once), mean over traces */
	double overlap_traces;
	double fallback_a, fallback_b; /* Beta posterior of the rejected share */
	int has_diurnal;
	double diurnal[24];            /* hourly weights, mean 1 */
	size_t n_models;
	const char *model[FC_CALIB_MAX_MODELS];  /* borrowed from the accumulator */
	double model_share[FC_CALIB_MAX_MODELS]; /* of calls, largest first */
	double model_calls[FC_CALIB_MAX_MODELS]; /* calls, as model_share */
	size_t models_seen;            /* distinct models named (n_models caps it) */
	double no_model_calls;         /* calls naming no model, or one past the
	                                * accumulator's 64 names */
	double spend;                  /* USD summed over the spend column; NAN absent */
	int aggregated;                /* some rows were buckets of several calls */
};

struct fc_calib;

/* A new, empty accumulator (*out NULL on FC_ENOMEM); fc_calib_free()
 * accepts NULL. opts is copied (its strings are borrowed). */
enum fc_status fc_calib_new(const struct fc_calib_opts *o, struct fc_calib **out);
void fc_calib_free(struct fc_calib *c);
/* Adds one record; FC_ENOMEM only. */
enum fc_status fc_calib_add(struct fc_calib *c, const struct fc_calib_rec *r);
/* Reads a log file (gzip or plain, "-" for stdin), detecting its format
 * unless opts say; bad rows are errors at FILE:LINE (up to skip_bad are
 * only counted).  FC_EINVAL with diagnostics (damaged gzip data, a
 * directory and a path that names no file included); FC_EIO, with an error
 * naming the file and the system's reason, when it cannot be opened for
 * another reason or read (fc.h). */
enum fc_status fc_calib_read(struct fc_calib *c, const char *path, struct fc_diags *d);
/* The same over a buffer; name is used in diagnostics (fuzzing, tests). */
enum fc_status fc_calib_read_mem(struct fc_calib *c, const char *name,
    const char *buf, size_t len, struct fc_diags *d);
/* Closes open traces and fits; users_override (NAN: none) replaces the
 * log's user count (needed for OpenAI usage logs).  FC_EINVAL when the log
 * had no usable row. */
enum fc_status fc_calib_fit(struct fc_calib *c, double users_override,
    struct fc_calib_fit *f);
/* fc_calib_fit over the days [day0, day1) of the log only (day indexes
 * as fc_calib_bill's): the out-of-sample back-test's fit on the first
 * days, without reading the log again.  A trace counts on the day of its
 * first call. */
enum fc_status fc_calib_fit_days(struct fc_calib *c, long day0, long day1,
    double users_override, struct fc_calib_fit *f);
/* What the calls from day index day0 (0 = the first day) up to but not
 * including day1 cost at price p: batch calls at p's batch discount; USD. */
double fc_calib_bill(const struct fc_calib *c, const struct fc_price *p,
    long day0, long day1);

/* The routed API (api.route) a log with several models gives: one tier per
 * model at its bundled price, largest share first; the last tier takes the
 * remainder.  n is 0 when the log names fewer than two models, and also,
 * with why said, when a route cannot be written. */
struct fc_calib_route {
	size_t n;                                   /* tiers; 0: no route */
	const char *model[FC_MAX_ROUTE];            /* the log's names, borrowed from the fit */
	const struct fc_price *price[FC_MAX_ROUTE]; /* borrowed from the catalog */
	double calls[FC_MAX_ROUTE];                 /* the tier's calls in the log */
	double share[FC_MAX_ROUTE];                 /* of calls, 0 to 1 */
	char why[256];                              /* n == 0 with 2+ models: why; else "" */
};
/* The bundled price of a log's model name: the price whose id is the name
 * ("openai/gpt-4o"), else the first whose id after its provider prefix is
 * the name after its last '/' ("gpt-4o"); NULL if none. */
const struct fc_price *fc_calib_model_price(const struct fc_catalog *cat, const char *model);
/* The route of fit f (prices from cat); see struct fc_calib_route. */
void fc_calib_route(const struct fc_calib_fit *f, const struct fc_catalog *cat,
    struct fc_calib_route *r);
/* Writes r as the scenario's api.route block ("  route:" and one line per
 * tier, each with its calls in a comment), indented under "api:"; every
 * share but the last rounded down to 6 decimals so that they never sum
 * over 1.  Nothing when r->n is 0.  -1 on a write error. */
int fc_calib_write_route(FILE *f, const struct fc_calib_route *r, double calls);
/* fc_calib_bill with each call at the price of its model's tier of r (the
 * route of this accumulator's fit); calls of models outside r are not
 * billed.  USD. */
double fc_calib_bill_route(const struct fc_calib *c, const struct fc_calib_route *r,
    long day0, long day1);
/* Days the accumulator holds (index of the last day + 1), and its first
 * day as Unix seconds at 00:00 UTC. */
long fc_calib_ndays(const struct fc_calib *c);
double fc_calib_day0(const struct fc_calib *c);

/* ---- the scenario and its back-tests (calib_test.c) ---- */

struct fc_calib_test_opts {
	const struct fc_catalog *cat;
	const struct fc_price *price;      /* api.price, and the bill without a route */
	const char *hardware, *model;      /* the flat section */
	double users;                      /* --users; NAN: the log's (said in comments) */
	const char *const *logs;           /* the logs' names, for the header comment */
	size_t nlogs;
	long trials;                       /* 0: the scenario's */
	long seed;                         /* < 0: the scenario's */
	int threads;                       /* 0: one */
	volatile int *cancel;              /* may be NULL */
	const char *tz;                    /* the diurnal shape's time zone; NULL: UTC */
	int placeholder;                   /* hardware and model are placeholders: when the
	                                    * fit does not fit on them, the cheapest catalog
	                                    * server that holds it replaces the hardware */
};

/* One back-test: the logged API bill of days days against the fitted
 * scenario's monthly P5, P50, P95 (a month is month_days days). */
struct fc_calib_test {
	int ran;                /* 0: not run, why says why */
	char why[128];
	double actual, days, month_days, p5, p50, p95;
	int verdict;            /* -1 below P5 (scaled to days), 0 inside, 1 above P95 */
};

struct fc_calib_tests {
	char *text;             /* the scenario written (free with fc_calib_test_free) */
	size_t len;
	int routed;             /* the bill is each call at its model's tier of api.route */
	const char *hardware;   /* not NULL: the placeholder hardware could not hold the
	                         * fit, and this (borrowed from the catalog) replaced it */
	int no_flat;            /* no catalog server holds the fit on the placeholder
	                         * model: text has its flat section commented out */
	char *run_text;         /* the scenario the back-tests ran: text, or with
	                         * no_flat, text on an inline server that holds any
	                         * fit (they read the API's bill only) */
	size_t run_len;
	struct fc_calib_test in, out;
};

/* Writes fit x as a scenario (every key commented with its evidence, the
 * route rt when rt->n > 0) to f; -1 on a write error. */
int fc_calib_write_scenario(FILE *f, const struct fc_calib_fit *x,
    const struct fc_calib_test_opts *o, const struct fc_calib_route *rt);
/* Renders fit x of accumulator c as a scenario (r->text) and back-tests
 * it: loaded from memory with o->cat and simulated, in sample (the whole
 * period) and out of sample (fc_calib_fit_days over the first three
 * quarters of the days, tested on the last quarter; not run under 8 days).
 * With o->placeholder, a fit the placeholder hardware cannot hold is
 * written on the cheapest catalog server that holds it (r->hardware), or
 * with its flat section commented out when none does (r->no_flat).
 * A scenario that does not load is FC_EINVAL with its diagnostics in d
 * (file "the fitted scenario"); FC_ENOMEM; the Monte Carlo's errors.  No
 * printing. */
enum fc_status fc_calib_test(struct fc_calib *c, const struct fc_calib_fit *x,
    const struct fc_calib_test_opts *o, struct fc_calib_tests *r, struct fc_diags *d);
void fc_calib_test_free(struct fc_calib_tests *r);
/* The fit as JSON (a jansson object, owned by the caller; NULL on
 * FC_ENOMEM): the log's counts, every estimate under its scenario key with
 * value, 90% interval (lo90, hi90; null when none), evidence, or why it
 * was not identified; the keys not identified; the models; with r, the
 * back-tests, the flat hardware and the scenario's text. */
struct json_t;
struct json_t *fc_calib_json(const struct fc_calib_fit *x, const struct fc_calib_test_opts *o,
    const struct fc_calib_tests *r);

/* ISO 8601 (2024-05-01T12:00:00.123Z, a space for T, a +hh:mm offset,
 * a date alone) or Unix seconds (milliseconds above 1e11) into Unix
 * seconds; -1 when s is neither. */
int fc_calib_parse_time(const char *s, double *out);

/* Writes a synthetic log with known parameters (for round trips and the
 * benchmark) to f in format fmt: users users over days days starting at
 * t0, rpud user actions per user per active day (weekends at weekend
 * share), chaining calls per action, lognormal tokens (means and cvs),
 * per-user intensities giving top10 share top10, a diurnal cosine of
 * amplitude peak-1, cached share, batch share, a shadow ok column with
 * rejection rate fallback; in CSV, models gpt-4o-mini for a share
 * mini_share of the user actions (every fourth one when 0) and gpt-4o for
 * the rest.  Returns rows written, -1 on a write error. */
struct fc_calib_gen {
	long users, days;
	double t0, rpud, chaining, in_mean, in_cv, out_mean, out_cv, top10,
	    peak, weekend, cached, batch, fallback;
	double growth;         /* input tokens per call added per month since t0 */
	double mini_share;     /* CSV: share of actions on gpt-4o-mini; 0: every fourth */
	double day_cv;         /* each day's token means times a lognormal factor of
	                        * mean 1 and this cv (day-to-day drift); 0: none */
	unsigned long seed;
};
long fc_calib_generate(FILE *f, enum fc_calib_format fmt, const struct fc_calib_gen *g);

#endif
