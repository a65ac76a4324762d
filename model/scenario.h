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
	                                   * has users x (1 + g)^(m - 1), rounded */
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
	struct {
		struct fc_hw hw;
		struct fc_model model;
		enum fc_quant quant;
		char *model_ref;              /* "qwen2.5-7b-q4_k_m" */
		struct fc_num target_utilization;
		struct fc_num slo_p95_latency_s;
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
void fc_scenario_free(struct fc_scenario *s);
/* The quality-fallback share for month m (1-based) as a number: the
 * scenario's model's entry of share_by_model (MODEL-QUANT first, then the
 * model id), else flat.fallback.share. */
const struct fc_num *fc_scenario_fallback(const struct fc_scenario *s, long month);
/* Users in month m (1-based) of a trial whose month-1 users are users1
 * and growth g: with use_list and a users list, the list's month (its
 * last after its end), else users1 x (1 + g)^(m - 1) rounded to whole
 * users, at most FC_MAX_USERS.  use_list is 0 where --users replaced the scenario's users. */
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
/* The settable dotted paths (for --set hints), NULL-terminated. */
const char *const *fc_scenario_paths(void);

#endif
