/*
 * compare_report.h: `flatcost compare`'s results for programs and people:
 * the order the options are listed in (ranked, then viable but unranked,
 * raced out, not viable), each option as the JSON reports it (its figures
 * under the keys simulate uses: flat.monthly_cost, per_user.flat, ...; a
 * number when deterministic, else {mean, sd, p5, p50, p95, p99}), and the
 * sentences that say how they were ranked and raced.  Nothing here prints.
 */
#ifndef FC_COMPARE_REPORT_H
#define FC_COMPARE_REPORT_H

#include <stddef.h>
#include <jansson.h>

#include "compare.h"
#include "mc.h"
#include "scenario.h"

/* A compare run as the listings print it. */
struct fc_compare_listing {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;     /* trials, seed, month, users, deterministic */
	struct fc_cmp_rank rk;
	const struct fc_cmp_option *v;
	size_t n;
	const size_t *order;            /* fc_compare_order() */
	size_t nraced;                  /* options raced out */
	const char *warning;            /* said under the heading, or NULL */
	const char *basis;              /* the hardware prices' basis; NULL: every basis */
	const char *money;              /* the currency symbol: "$", "EUR " */
};

/* "api", "api_routed", or the flat option's hardware id. */
const char *fc_compare_hardware(const struct fc_cmp_option *op);
/* order[0..n-1]: the options ranked 1, 2, ..., then the viable unranked,
 * the raced out, the not viable, each group in v's order. */
void fc_compare_order(const struct fc_cmp_option *v, size_t n, size_t *order);
/* Option op as JSON (a new reference): rank, kind, hardware, model,
 * viable, reason, raced_out, and the figures of a viable option run to
 * the end. */
json_t *fc_compare_option_json(const struct fc_cmp_option *op, int deterministic);
/* Whether rk ranks by breakeven_users (the means' breakeven, whatever the
 * statistic). */
int fc_compare_by_breakeven(const struct fc_cmp_rank *rk);
/* The ranked statistic's name: "p50", "at the means", "deterministic". */
const char *fc_compare_rank_stat(const struct fc_cmp_rank *rk, int deterministic);
/* "lowest first", "highest first" (savings), or the breakeven's order. */
const char *fc_compare_rank_order(const struct fc_cmp_rank *rk);
/* The racing's sentence: nraced options stopped after the batch. */
void fc_compare_race_text(char *buf, size_t len, size_t nraced);

/* The listing for people (md 0) or as Markdown (md 1): the heading (the
 * users, month, trials, ranking and price basis), a row a viable option
 * run to the end (rank, hardware, model, servers, the monthly cost's P50,
 * P5 and P95, per user, the peak-hour call P95, the breakeven users), the
 * racing's sentence, then the options that are not viable with their
 * reasons.  0, or -1 on a write error. */
int fc_compare_write_text(FILE *f, const struct fc_compare_listing *c, int md);
/* The listing as CSV: a header, then every option in order, numbers as
 * %.10g, empty where none.  0, or -1 on a write error. */
int fc_compare_write_csv(FILE *f, const struct fc_compare_listing *c);

#endif
