/*
 * compare_report.c: `flatcost compare`'s results for programs and people
 * (see compare_report.h): the options' order, each option as JSON, and
 * the sentences that say how they were ranked.
 */
#include "compare_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "capacity.h"
#include "cost.h"
#include "inputs.h"
#include "result_json.h"
#include "study_report.h"
#include "textfmt.h"

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
		    json_string(fc_capacity_basis_name(op->tp.basis)));
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

/* One row's cells: rank, hardware, model, servers, cost P50, P5, P95,
 * per user, latency P95, breakeven, reason. */
#define NCELLS 11
static void
cells_of(const struct fc_compare_listing *c, const struct fc_cmp_option *op, int machine,
    char cells[NCELLS][FC_CMP_REASON])
{
	int det = c->o->deterministic, i;
	double v[6];

	v[0] = fc_compare_value(op, FC_CMP_SERVERS, 2, c->o->deterministic);
	v[1] = fc_compare_value(op, FC_CMP_COST, 2, c->o->deterministic);
	v[2] = det ? NAN : fc_compare_value(op, FC_CMP_COST, 1, c->o->deterministic);   /* no spread without trials */
	v[3] = det ? NAN : fc_compare_value(op, FC_CMP_COST, 3, c->o->deterministic);
	v[4] = fc_compare_value(op, FC_CMP_PER_USER, 2, c->o->deterministic);
	/* the peak-hour call P95 at the option's fleet, as simulate prints it
	 * (the trials' mean) */
	v[5] = fc_compare_value(op, FC_CMP_CALL_P95, 0, c->o->deterministic);
	if (op->rank)
		snprintf(cells[0], FC_CMP_REASON, "%ld", op->rank);
	else
		snprintf(cells[0], FC_CMP_REASON, machine ? "" : "-");
	snprintf(cells[1], FC_CMP_REASON, "%s", fc_compare_hardware(op));
	snprintf(cells[2], FC_CMP_REASON, "%s", op->ref);
	for (i = 0; i < 6; i++) {
		char *b = cells[3 + i];
		if (!isfinite(v[i]) || (!op->viable))
			snprintf(b, FC_CMP_REASON, machine ? "" : "-");
		else if (machine)
			snprintf(b, FC_CMP_REASON, "%.10g", v[i]);
		else if (i == 0)
			fc_fmt_count(b, FC_CMP_REASON, v[i]);
		else if (i == 5)
			snprintf(b, FC_CMP_REASON, "%.3g s", v[i]);
		else
			fc_fmt_money(b, FC_CMP_REASON, c->money, v[i]);
	}
	if (!op->viable || op->kind != FC_CMP_FLAT || !isfinite(op->breakeven_users))
		snprintf(cells[9], FC_CMP_REASON, machine || op->kind != FC_CMP_FLAT ||
		    !op->viable ? "" : "none");
	else if (machine)
		snprintf(cells[9], FC_CMP_REASON, "%.10g", op->breakeven_users);
	else
		fc_fmt_count(cells[9], FC_CMP_REASON, op->breakeven_users);
	snprintf(cells[10], FC_CMP_REASON, "%s", op->raced_out ? "raced out" : op->reason);
}

static void
heading(FILE *f, const struct fc_compare_listing *c, const char *prefix)
{
	char users[40], nt[40];
	struct fc_inputs in;

	fc_inputs_mean(c->s, c->o->month, &in);
	fc_fmt_count(users, sizeof(users), isnan(c->o->users) ? in.users : c->o->users);
	fc_fmt_count(nt, sizeof(nt), (double)c->o->trials);
	fprintf(f, "%s%s: %s users, month %ld, ", prefix, c->s->name ? c->s->name : c->s->file,
	    users, c->o->month);
	if (c->o->deterministic)
		fprintf(f, "deterministic (every input at its mean)\n");
	else
		fprintf(f, "Monte Carlo, %s trials, seed %lu, the same trials for every option\n",
		    nt, c->o->seed);
	fprintf(f, "Ranked by %s%s%s, %s\n", fc_figures[c->rk.fig].key,
	    c->o->deterministic ? "" : " ", c->o->deterministic ? "" : fc_compare_rank_stat(&c->rk, c->o->deterministic),
	    fc_compare_rank_order(&c->rk));
	fprintf(f, "Hardware priced %s\n", c->basis ? c->basis : "on every basis");
}

int
fc_compare_write_text(FILE *f, const struct fc_compare_listing *c, int md)
{
	char cells[NCELLS][FC_CMP_REASON];
	const char *cost = c->o->deterministic ? "Monthly cost" : "Monthly cost P50";
	char msg[512];
	size_t i, nbad = 0;

	heading(f, c, md ? "### " : "");
	if (c->warning)
		fprintf(f, "%sWarning: %s\n", md ? "\n" : "", c->warning);
	fputc('\n', f);
	if (md)
		fprintf(f, "| # | Hardware | Model | Servers | %s | P5 | P95 | Per user | "
		    "Latency P95 | Breakeven users |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|\n",
		    cost);
	else
		fprintf(f, "  %3s  %-26s %-20s %7s %16s %14s %14s %10s %11s %11s\n", "#",
		    "Hardware", "Model", "Servers", cost, "P5", "P95", "Per user",
		    "Latency P95", "Breakeven");
	for (i = 0; i < c->n; i++) {
		const struct fc_cmp_option *op = &c->v[c->order[i]];
		if (!op->viable) {
			nbad++;
			continue;
		}
		if (op->raced_out)
			continue;
		cells_of(c, op, 0, cells);
		if (md) {
			int k;
			fputc('|', f);
			for (k = 0; k < 10; k++) {
				fputc(' ', f);
				fc_md_text(f, cells[k]);
				fputs(" |", f);
			}
			fputc('\n', f);
		} else {
			fprintf(f, "  %3s  %-26s %-20s %7s %16s %14s %14s %10s %11s %11s\n",
			    cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6],
			    cells[7], cells[8], cells[9]);
		}
	}
	if (c->nraced) {
		fc_compare_race_text(msg, sizeof(msg), c->nraced);
		fprintf(f, "\n%s.\n", msg);
	}
	if (nbad) {
		fprintf(f, "\n%sNot viable (%zu):%s\n", md ? "**" : "", nbad, md ? "**\n" : "");
		for (i = 0; i < c->n; i++) {
			const struct fc_cmp_option *op = &c->v[c->order[i]];
			if (op->viable)
				continue;
			if (md) {
				fputs("- ", f);
				fc_md_text(f, fc_compare_hardware(op));
				fputc(' ', f);
				fc_md_text(f, op->ref);
				fputs(": ", f);
				fc_md_text(f, op->reason);
				fputc('\n', f);
			} else {
				fprintf(f, "  %s %s: %s\n", fc_compare_hardware(op), op->ref, op->reason);
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

int
fc_compare_write_csv(FILE *f, const struct fc_compare_listing *c)
{
	static const char *const head[] = { "rank", "hardware", "model", "viable",
	    "flat.servers.p50", "monthly_cost.p50", "monthly_cost.p5", "monthly_cost.p95",
	    "per_user.p50", "latency.call.p95_s", "breakeven_users", "reason" };
	char cells[NCELLS][FC_CMP_REASON];
	const char *row[12];
	size_t i;
	int k;

	fc_csv_row(f, head, 12);
	for (i = 0; i < c->n; i++) {
		const struct fc_cmp_option *op = &c->v[c->order[i]];
		cells_of(c, op, 1, cells);
		for (k = 0; k < 3; k++)
			row[k] = cells[k];
		row[3] = op->viable ? "true" : "false";
		for (k = 3; k < NCELLS; k++)
			row[k + 1] = cells[k];
		fc_csv_row(f, row, 12);
	}
	return ferror(f) ? -1 : 0;
}
