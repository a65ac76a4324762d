/*
 * scenario.h: a scenario file (DESIGN.md section 3), loaded, validated and
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

/* api.service_tier: the price multiplier applied to every token price. */
enum { FC_TIER_STANDARD, FC_TIER_PRIORITY, FC_TIER_FLEX };

struct fc_scenario {
	char *file;                 /* as given */
	char *dir;                  /* directory of file, for relative profiles */
	char *name, *description;
	struct fc_num users;
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
	int api_service;                  /* api.service_tier: FC_TIER_* */
	struct {
		struct fc_hw hw;
		struct fc_model model;
		enum fc_quant quant;
		char *model_ref;              /* "qwen2.5-7b-q4_k_m" */
		struct fc_num target_utilization;
		struct fc_num slo_p95_latency_s;
		struct fc_price fallback_api;
		size_t n_fallback;            /* 1: constant; more: by month */
		struct fc_num fallback_share[FC_MAX_SCHEDULE];
		struct fc_num fixed_monthly;  /* USD / month */
		int hourly;                   /* billing: 0 monthly, 1 hourly */
		long min_servers;
		struct fc_num startup_minutes;
		long slots;                   /* parallel calls per server; 0 = best under the SLO */
		struct fc_num memory_overhead_gb; /* OS and engine, besides weights and KV */
	} flat;
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
/* The quality-fallback share for month m (1-based) as a number. */
const struct fc_num *fc_scenario_fallback(const struct fc_scenario *s, long month);
/* The settable dotted paths (for --set hints), NULL-terminated. */
const char *const *fc_scenario_paths(void);

#endif
