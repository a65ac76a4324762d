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

#endif
