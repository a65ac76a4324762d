/*
 * scenario.h: a scenario file (flatcost-scenario(5)), loaded, validated and
 * with its references into data/ resolved.
 *
 * The struct is public (not opaque) on purpose: the cost model, the Monte
 * Carlo engine and the reports each read dozens of its fields, and the
 * fields are plain values with no invariants beyond those the loader
 * checks; accessors for each would only add code.
 */
#ifndef FC_SCENARIO_H
#define FC_SCENARIO_H

#include "data.h"
#include "dist.h"
#include "fc.h"
#include "ynode.h"

#define FC_MAX_SCHEDULE 120
#define FC_MAX_USERS 1e10    /* users in any month, grown or given */
#define FC_MAX_ROUTE 8          /* model tiers of api.route */

/* flat.fallback.share_by_model: one model's quality-fallback share, in
 * the forms of flat.fallback.share (a number, a distribution, a list by
 * month). */
struct fc_fallback_by_model {
	char *model;                  /* a model id ("qwen2.5-7b") or MODEL-QUANT */
	size_t n;                     /* 1: constant; more: by month */
	struct fc_num share[FC_MAX_SCHEDULE];
};

/* A price path (api.price_changes, flat.fallback.price_changes, a route
 * tier's price_changes): from month `month` on, the price is one of `to`,
 * chosen per trial with the weights (one choice kept for all the trial's
 * months; at the means, the weighted mean of their costs). */
#define FC_MAX_PRICE_CHANGES 8
#define FC_MAX_PRICE_TO 8
struct fc_price_change {
	long month;                   /* first month at the new price, >= 1; 0: an
	                               * `on` date not yet placed (fc_scenario_set_today) */
	long on_day;                  /* `on`: days since 1970-01-01; -1 with `month` */
	char *on;                     /* the `on` date as written, or NULL */
	size_t n;                     /* prices to choose from, 1 to FC_MAX_PRICE_TO */
	struct fc_price *to;          /* owned, n of them */
	double weight[FC_MAX_PRICE_TO]; /* of each, summing to 1 */
};
struct fc_price_path {
	size_t n;                     /* changes, in month order (the file's for `on`
	                               * until placed) */
	struct fc_price_change ch[FC_MAX_PRICE_CHANGES];
};
/* The paths of a scenario: its API price, its fallback API price, route
 * tier k at FC_PATH_ROUTE + k. */
enum { FC_PATH_API, FC_PATH_FALLBACK, FC_PATH_ROUTE };
#define FC_NPATHS (FC_PATH_ROUTE + FC_MAX_ROUTE)
/* Days in a calendar month, for placing dates in the simulated months:
 * month m spans days [today + (m - 1) x this, today + m x this). */
#define FC_DAYS_PER_CALENDAR_MONTH (365.25 / 12)

/* api.service_tier: the price multiplier applied to every token price. */
enum { FC_TIER_STANDARD, FC_TIER_PRIORITY, FC_TIER_FLEX };

struct fc_scenario {
	char *file;                 /* as given */
	char *dir;                  /* directory of file, for relative profiles */
	char *name, *description;
	struct fc_num users;              /* month 1's users (a list's first) */
	size_t n_users;                   /* > 0: users given as a list by month */
	double users_by_month[FC_MAX_SCHEDULE]; /* whole users, month 1 first */
	struct fc_num user_growth;        /* per month, drawn once per trial: month m
	                                   * has users x (1 + g)^(m - 1), rounded; a
	                                   * list's first entry */
	long growth_until;                /* > 0: no growth after this month ({rate, until_month}) */
	size_t n_growth;                  /* > 0: growth given as a list by month */
	double growth_by_month[FC_MAX_SCHEDULE]; /* entry k: from month k to k + 1 */
	struct fc_num revenue_per_user;   /* USD / user / month */
	struct fc_num days_per_month;
	struct {
		struct fc_num requests_per_user_per_day;
		struct fc_num top10_share;    /* share of requests by the busiest 10% */
		struct fc_num chaining;       /* LLM calls per user action */
		struct fc_num input_tokens;   /* per call */
		struct fc_num output_tokens;  /* per call */
		struct fc_num input_cv;       /* per-call variability of input length */
		struct fc_num output_cv;      /* per-call variability of output length */
		struct fc_num context_growth_per_month; /* input tokens per call per month of tenure */
		struct fc_num peak_to_mean;   /* busiest hour / mean hour */
		int has_diurnal;
		double diurnal[24];           /* hourly weights, normalized to mean 1 */
		struct fc_num arrival_cv;     /* CV of gaps between calls; 1 = Poisson */
		struct fc_num cached_input_share;
		struct fc_num batch_share;
		struct fc_num cache_write_share; /* share of input tokens written to the cache */
		struct fc_num chaining_overlap; /* 0: a trace's calls one after another; 1: all at once */
		int cache_ttl_1h;             /* cache_ttl: 0 5m, 1 1h */
	} workload;
	struct fc_price api;              /* the API architecture's prices */
	struct {                          /* api.route: the routed API, a third architecture */
		size_t n;                     /* tiers; 0: no route */
		struct fc_price price[FC_MAX_ROUTE];
		struct fc_num share[FC_MAX_ROUTE]; /* of calls; the last tier's is unused
		                                      (it takes the remainder) */
	} route;
	int api_service;                  /* api.service_tier: FC_TIER_* */
	struct fc_num api_price_factor;   /* api.price_factor: multiplies every API
	                                   * price (the fallback's and the route's
	                                   * too), drawn once per trial */
	struct fc_price_path path[FC_NPATHS]; /* price_changes, by FC_PATH_* */
	int fallback_own_path;            /* flat.fallback.api given: the fallback
	                                   * has its own path; else it follows api's */
	struct {
		struct fc_hw hw;
		struct fc_model model;
		enum fc_quant quant;
		char *model_ref;              /* "qwen2.5-7b-q4_k_m" */
		struct fc_num target_utilization;
		struct fc_num slo_p95_latency_s;
		struct fc_num slo_p95_ttft_s;  /* 0: no bound on the time to first token */
		int slo_action;               /* flat.slo.applies_to: 0 a call, 1 a user action (chaining calls in a row) */
		struct fc_price fallback_api;
		size_t n_fallback;            /* 1: constant; more: by month */
		struct fc_num fallback_share[FC_MAX_SCHEDULE];
		size_t n_fallback_by_model;
		struct fc_fallback_by_model *fallback_by_model; /* owned; share_by_model */
		struct fc_num fixed_monthly;  /* USD / month */
		int hourly;                   /* billing: 0 monthly, 1 hourly */
		long min_servers;
		struct fc_num startup_minutes;
		long slots;                   /* parallel calls per server; 0 = best under the SLO */
		struct fc_num memory_overhead_gb; /* OS and engine, besides weights and KV */
		long fixed_servers;           /* > 0: a provisioned fleet, kept in every trial */
		long max_servers;             /* > 0: the sized fleet's cap */
		struct fc_num one_time;       /* USD, once: setup, migration, fine-tuning */
	} flat;
	struct fc_num api_one_time;       /* USD, once: the API architecture's */
	/* api.latency_p50_s / p95_s: the API's own call latency as its log
	 * shows it (flatcost calibrate), seconds; 0: not given */
	double api_latency_p50_s, api_latency_p95_s;
	struct {
		struct fc_num per_user_monthly;
		struct fc_num fixed_monthly;
	} other;
	long trials, seed, months;
	struct fc_ynode *tree;            /* the parsed file, with --set applied */
	struct fc_diags names;            /* owns the file names the tree's locations point to */
};

/* Loads path, applies the KEY=VALUE overrides (diagnostics for them point
 * into the pseudo-file "--set", line i+1 for sets[i]), validates
 * everything and resolves references in cat.  *out is NULL on error. */
enum fc_status fc_scenario_load(const char *path, const struct fc_catalog *cat,
    const char *const *sets, size_t nsets, struct fc_scenario **out,
    struct fc_diags *d);
/* fc_scenario_load of a scenario held in memory: length bytes of text,
 * named name in diagnostics; relative paths in it (a hardware profile, a
 * GGUF file) are from name's folder, as for a file at name. */
enum fc_status fc_scenario_load_text(const char *name, const char *text, size_t length,
    const struct fc_catalog *cat, const char *const *sets, size_t nsets,
    struct fc_scenario **out, struct fc_diags *d);
void fc_scenario_free(struct fc_scenario *s);
/* The quality-fallback share for month m (1-based) as a number: the
 * scenario's model's entry of share_by_model (MODEL-QUANT first, then the
 * model id), else flat.fallback.share. */
const struct fc_num *fc_scenario_fallback(const struct fc_scenario *s, long month);
/* Users in month m (1-based) of a trial whose month-1 users are users1
 * and growth g: with use_list and a users list, the list's month; after
 * the list's end (or from month 1 without one) its last users grown month
 * by month: by g up to growth_until, or by the growth list's entries (its
 * last holding), rounded to whole users at the end, at most FC_MAX_USERS.
 * use_list is 0 where --users replaced the scenario's users. */
double fc_scenario_users(const struct fc_scenario *s, double users1, double g, long m,
    int use_list);
/* The users' mean tenure in month m, in months: each month's new users
 * form a cohort (tenure m - k for the cohort of month k; users lost come
 * off the newest cohorts first); m - 1 when everyone came in month 1. */
double fc_scenario_tenure(const struct fc_scenario *s, double users1, double g, long m,
    int use_list);
/* The same for model m at quantization q (compare's options). */
const struct fc_num *fc_scenario_fallback_for(const struct fc_scenario *s,
    const struct fc_model *m, enum fc_quant q, long month);
/* Whether model m at quantization q fits the memory of h (VRAM on a GPU
 * server, RAM on a CPU one) with the KV cache of one mean call and, on a
 * CPU server, the OS overhead: the check the loader makes of the
 * scenario's own pair.  f receives the sizes, GB. */
struct fc_fit {
	double weights_gb, kv_gb, overhead_gb;  /* needed, GB */
	double have_gb;                         /* VRAM or RAM, GB */
};
int fc_scenario_fits(const struct fc_scenario *s, const struct fc_hw *h,
    const struct fc_model *m, enum fc_quant q, struct fc_fit *f);
/* Whether hardware h has a real price for its billing (hourly: its
 * hourly_price, else its monthly_price): FC_OK when it has, or when it
 * comes from the data (a catalog entry, origin set); a profile or an
 * inline entry (origin NULL) priced 0 is FC_EINVAL with an error at its
 * location naming the key to fill in.  role names it ("flat.hardware"). */
enum fc_status fc_scenario_check_hw_price(const struct fc_hw *h, int hourly,
    const char *role, struct fc_diags *d);
/* Places the price changes given `on` a date in the simulated months:
 * month 1 starts on day `today` (days since 1970-01-01); a change takes
 * effect from the month its date falls in (month 1 for a past date).
 * Until called, such changes have month 0 and are not applied. */
void fc_scenario_set_today(struct fc_scenario *s, long today);
/* The month (1-based) that day `day` falls in when month 1 starts on
 * `today`; 1 for a day before today. */
long fc_scenario_day_month(long today, long day);

/* The settable dotted paths (for --set hints), NULL-terminated. */
const char *const *fc_scenario_paths(void);

#endif
