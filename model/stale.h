/*
 * stale.h: data staleness: which catalog entries a scenario uses are old
 * (as_of more than FC_STALE_DAYS before today) or belong to a model whose
 * shutdown date is past or near (within FC_SHUTDOWN_WARN_DAYS).  The
 * caller passes "today" (days since 1970-01-01): model/ never reads the
 * clock, so that SOURCE_DATE_EPOCH can pin it in cmd/.
 */
#ifndef FC_STALE_H
#define FC_STALE_H

#include "data.h"
#include "scenario.h"

#define FC_STALE_DAYS 180
#define FC_SHUTDOWN_WARN_DAYS 60

enum fc_finding_kind {
	FC_FIND_STALE,      /* as_of older than FC_STALE_DAYS */
	FC_FIND_SHUTDOWN,   /* the model's shutdown date has passed */
	FC_FIND_RETIRING,   /* shutdown within FC_SHUTDOWN_WARN_DAYS */
	FC_FIND_CACHE_PREFIX, /* a cached share with calls shorter than the
	                       * provider's minimum cacheable prefix (not a data
	                       * problem: --strict-data ignores it) */
	FC_FIND_SHUTDOWN_IN_HORIZON, /* a --months run crosses the model's
	                       * shutdown with no price change by then */
	FC_FIND_ESTIMATED_SIZE, /* the flat model's weights size at its
	                       * quantization is an estimate, no published file's
	                       * (not stale data: --strict-data ignores it) */
};
/* "stale", "shutdown", "retiring", "cache_prefix", "shutdown_in_horizon",
 * "estimated_size" */
extern const char *const fc_stale_kind_names[];

struct fc_finding {
	enum fc_finding_kind kind;
	const char *id;       /* the entry's id, borrowed from the scenario */
	const char *role;     /* "api.price", "flat.fallback.api", "flat.hardware", "api.route" */
	const char *date;     /* as_of or shutdown, borrowed */
	const char *successor; /* borrowed, or NULL */
	long days;            /* age in days (stale), days since (shutdown) or
	                       * days left (retiring) */
	char msg[512];        /* one line for people, without a prefix */
};

/* The findings for one price entry in role; returns how many it added
 * (at most max - *n are stored, the rest counted only). */
size_t fc_stale_price(const struct fc_price *p, const char *role,
    long today, struct fc_finding *out, size_t max);
size_t fc_stale_hw(const struct fc_hw *h, const char *role, long today,
    struct fc_finding *out, size_t max);
/* Every finding for the entries the scenario uses (its API price, its
 * fallback API price when fallback is used, its hardware), and a cached or
 * cache-write share on calls whose mean input is shorter than the API
 * price's min_cache_tokens, and a flat model whose weights size at its
 * quantization is an estimate; fills up to max and returns the total. */
size_t fc_stale_scenario(const struct fc_scenario *s, long today,
    struct fc_finding *out, size_t max);
/* The API prices the scenario uses (api.price, api.route's tiers, the
 * fallback API when used) whose model shuts down after today but within
 * months 1..months counted from today (30.4375 days a month): every month
 * is priced at the entry, which the provider stops serving.  Fills up to
 * max and returns the total; days is the days left, msg names the month
 * and the successor when the data has one. */
size_t fc_stale_horizon(const struct fc_scenario *s, long today, long months,
    struct fc_finding *out, size_t max);

/* The findings of a run of months 1..months starting today (days since
 * 1970-01-01): each price the run uses (api.price, flat.fallback.api
 * when given, each api.route tier, and the prices their price_changes
 * move to) whose model shuts down within the run, in a month still priced
 * at it (no change by then); fills up to max and returns the total.
 * Each names the provider's successor when the data has one. */
size_t fc_stale_horizon(const struct fc_scenario *s, long today, long months,
    struct fc_finding *out, size_t max);

#endif
