/*
 * compare_report.c: `flatcost compare`'s results for programs and people
 * (see compare_report.h): the options' order, each option as JSON, and
 * the sentences that say how they were ranked.
 */
#include "compare_report.h"

#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "capacity.h"
#include "cost.h"
#include "result_json.h"

const char *
fc_compare_hardware(const struct fc_cmp_option *op)
{
	return op->kind == FC_CMP_FLAT ? op->hw->id : op->kind == FC_CMP_API ? "api" :
	    "api_routed";
}

void
fc_compare_order(const struct fc_cmp_option *v, size_t n, size_t *order)
{
	size_t k, m = 0;
	long r;

	for (r = 1; r <= (long)n; r++)
		for (k = 0; k < n; k++)
			if (v[k].rank == r)
				order[m++] = k;
	for (k = 0; k < n; k++)
		if (v[k].viable && v[k].rank == 0 && !v[k].raced_out)
			order[m++] = k;
	for (k = 0; k < n; k++)
		if (v[k].viable && v[k].raced_out)
			order[m++] = k;
	for (k = 0; k < n; k++)
		if (!v[k].viable)
			order[m++] = k;
}

static json_t *
json_fig(const struct fc_cmp_option *op, int f, int det)
{
	if (det)
		return fc_json_num(fc_compare_value(op, f, 0, 1));
	return fc_json_stat(&op->stats[f]);
}

json_t *
fc_compare_option_json(const struct fc_cmp_option *op, int det)
{
	json_t *j = json_object();
	int flat = op->kind == FC_CMP_FLAT;

	json_object_set_new(j, "rank", op->rank ? json_integer(op->rank) : json_null());
	json_object_set_new(j, "kind", json_string(flat ? "flat" :
	    op->kind == FC_CMP_API ? "api" : "api_routed"));
	json_object_set_new(j, "hardware", json_string(fc_compare_hardware(op)));
	json_object_set_new(j, "model", json_string(op->ref));
	json_object_set_new(j, "viable", json_boolean(op->viable));
	json_object_set_new(j, "reason", op->viable ? json_null() : json_string(op->reason));
	json_object_set_new(j, "raced_out", json_boolean(op->raced_out));
	if (!op->viable || op->raced_out)
		return j;
	if (flat) {
		fc_json_set_dotted(j, "flat.servers", json_fig(op, FC_CMP_SERVERS, det));
		fc_json_set_dotted(j, "flat.monthly_cost", json_fig(op, FC_CMP_COST, det));
		fc_json_set_dotted(j, "per_user.flat", json_fig(op, FC_CMP_PER_USER, det));
		fc_json_set_dotted(j, "capacity.call_latency_s", json_fig(op, FC_CMP_LATENCY, det));
		json_object_set_new(j, "call_latency_p95_s",
		    fc_json_num(fc_compare_value(op, FC_CMP_LATENCY, 3, det)));
		fc_json_set_dotted(j, "latency.call.p95_s", json_fig(op, FC_CMP_CALL_P95, det));
		json_object_set_new(j, "capacity_basis",
		    json_string(fc_cap_basis_name(op->tp.basis)));
		json_object_set_new(j, "breakeven_users", fc_json_num(op->breakeven_users));
	} else if (op->kind == FC_CMP_API) {
		fc_json_set_dotted(j, "api.monthly_cost", json_fig(op, FC_CMP_COST, det));
		fc_json_set_dotted(j, "per_user.api", json_fig(op, FC_CMP_PER_USER, det));
	} else {
		fc_json_set_dotted(j, "api_routed.monthly_cost", json_fig(op, FC_CMP_COST, det));
		fc_json_set_dotted(j, "per_user.api_routed", json_fig(op, FC_CMP_PER_USER, det));
	}
	json_object_set_new(j, "rank_value", fc_json_num(op->rank_value));
	return j;
}

/* Ranked by breakeven_users: the means' breakeven, whatever the statistic. */
int
fc_compare_by_breakeven(const struct fc_cmp_rank *rk)
{
	return strcmp(fc_figures[rk->fig].key, "breakeven_users") == 0;
}

const char *
fc_compare_rank_stat(const struct fc_cmp_rank *rk, int det)
{
	if (det)
		return "deterministic";
	return fc_compare_by_breakeven(rk) ? "at the means" : fc_budget_stat_names[rk->stat];
}

const char *
fc_compare_rank_order(const struct fc_cmp_rank *rk)
{
	if (fc_compare_by_breakeven(rk))
		return "lowest first; options without one (none up to 10,000,000 users) last, "
		    "unranked";
	return strncmp(fc_figures[rk->fig].key, "savings.", 8) == 0 ?
	    "highest first" : "lowest first";
}

/* The racing's sentence: how many options stopped after the batch. */
void
fc_compare_race_text(char *buf, size_t len, size_t nraced)
{
	snprintf(buf, len, "%zu option%s raced out: on the first %d trials %s ranked "
	    "statistic was worse than the leader's by more than %g standard errors of the "
	    "difference (--no-race runs every option on every trial)", nraced,
	    nraced == 1 ? "" : "s", FC_CMP_RACE_BATCH, nraced == 1 ? "its" : "their",
	    FC_CMP_RACE_Z);
}
