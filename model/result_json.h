/*
 * result_json.h: a simulation's result as JSON, the document `flatcost
 * simulate --format json` prints and the other commands' JSON reuses: every
 * figure under its fc_figures[] key (a number when deterministic, else
 * {mean, sd, p5, p50, p95, p99}), the capacity's basis, the breakevens, the
 * viability, the simulated day (des) and the inputs as the run resolved
 * them (prices with their dates, hardware, distributions with their
 * expected values).  And the writer that prints it the same way every
 * time: keys in order, indented by 2, each real in the shortest form that
 * reads back.
 *
 * JSON has no NaN: a figure that is not finite is null.  Money is in the
 * result's currency (currency.h converts it); inputs stay in USD.
 * Functions returning json_t * return a new reference (NULL when out of
 * memory); nothing here prints to the terminal.
 */
#ifndef FC_RESULT_JSON_H
#define FC_RESULT_JSON_H

#include <stdio.h>
#include <jansson.h>

#include "breakeven.h"
#include "capacity.h"
#include "mc.h"
#include "scenario.h"
#include "stats.h"

/* A number, or null when not finite; -0 and denormals are 0. */
json_t *fc_json_num(double v);
/* {mean, sd, p5, p50, p95, p99} of a figure over the trials. */
json_t *fc_json_stat(const struct fc_stat *s);
/* Sets a dotted key ("api.monthly_cost") in obj, creating sub-objects;
 * takes the reference to val. */
void fc_json_set_dotted(json_t *obj, const char *key, json_t *val);

/* Adds r's figures (those that apply to s), flat.fleet, the capacity's
 * details, the viability, the breakevens, des and inputs to o. */
void fc_result_json_fill(json_t *o, const struct fc_scenario *s, const struct fc_mc_result *r);
/* The scenario's inputs as the JSON reports record them. */
json_t *fc_result_json_inputs(const struct fc_scenario *s, const struct fc_mc_result *r);
/* The breakeven at the means: lasting, first, and how it was found. */
json_t *fc_result_json_breakeven(const struct fc_breakeven *b);
/* flat.viable, flat.p_viable (Monte Carlo) and flat.viability (why not, or
 * null), into o. */
void fc_result_json_viability(json_t *o, const struct fc_scenario *s,
    const struct fc_mc_result *r);
/* Whether bench --search-slo's answer in profile point p holds for a
 * scenario whose flat.slo.p95_latency_s is slo_s: a bound on end-to-end
 * time only, equal to slo_s, for 95% of requests (a P95). */
int fc_result_same_slo(const struct fc_tpoint *p, double slo_s);
/* "fixed" (flat.fixed_servers), "capped" (flat.max_servers) or "sized". */
const char *fc_result_fleet_mode(const struct fc_scenario *s);

/* A JSON real in the shortest form strtod() reads back as v (%.15g,
 * %.16g or %.17g), with a '.' or an 'e', no '+' and no leading zeros in
 * the exponent; into buf (32 bytes suffice). */
void fc_json_real(char *buf, size_t len, double v);
/* Writes j at nesting depth (indented by 2 * depth after each newline)
 * without a final newline; 0, or -1 when out of memory. */
int fc_json_write(FILE *f, json_t *j, int depth);
/* Writes j as jansson's JSON_INDENT(2) would, reals by fc_json_real(),
 * then a newline; takes the reference (j NULL: building it failed).
 * Returns 0, or -1 on a write error or when out of memory. */
int fc_json_dump(FILE *f, json_t *j);

#endif
