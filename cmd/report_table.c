/*
 * report_table.c: simulate's table for people (the format "table"): the
 * API and flat columns, the ranges, latency and the fleet, then the
 * breakeven headline.  report.c dispatches to it.
 */
#include "report_int.h"

#include <math.h>
#include <string.h>

#include "cli.h"
#include "fleet.h"

/* A row of the API and flat columns, and the routed API's when the
 * scenario has a route (krouted may be NULL: an empty cell). */
static void
table_row(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r,
    const char *label, const char *kapi, const char *kflat, const char *krouted)
{
	char a[40] = "", b[40] = "", c[40] = "";

	if (kapi)
		report_fmt_fig(a, sizeof(a), kapi, report_val(r, kapi));
	if (kflat)
		report_fmt_fig(b, sizeof(b), kflat, report_val(r, kflat));
	if (s->route.n == 0) {
		fprintf(f, "  %-30s %20s %20s\n", label, a, b);
		return;
	}
	if (krouted)
		report_fmt_fig(c, sizeof(c), krouted, report_val(r, krouted));
	fprintf(f, "  %-30s %20s %20s %20s\n", label, a, b, c);
}

static void
stat_row(FILE *f, const struct fc_mc_result *r, const char *label, const char *key)
{
	const struct fc_stat *s = &r->stats[report_fig(key)];
	char p5[32], p50[32], p95[32], p99[32];

	report_fmt_fig(p5, sizeof(p5), key, s->p5);
	report_fmt_fig(p50, sizeof(p50), key, s->p50);
	report_fmt_fig(p95, sizeof(p95), key, s->p95);
	report_fmt_fig(p99, sizeof(p99), key, s->p99);
	fprintf(f, "  %-17s %14s %14s %14s %14s\n", label, p5, p50, p95, p99);
}

/* The API's own latency as its log shows it (api.latency_p50_s /
 * p95_s), a call's and a user action's, beside the flat fleet's: what users
 * feel before and after. */
static void
api_latency_rows(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	char buf[80], a[32], b[32];
	double k = fc_fleet_action_factor(r->in.chaining, r->in.chaining_overlap);

	if (!(s->api_latency_p50_s > 0) && !(s->api_latency_p95_s > 0))
		return;
	snprintf(a, sizeof(a), s->api_latency_p50_s > 0 ? "%.3g s" : "-", s->api_latency_p50_s);
	snprintf(b, sizeof(b), s->api_latency_p95_s > 0 ? "%.3g s" : "-", s->api_latency_p95_s);
	snprintf(buf, sizeof(buf), "P50 %s, P95 %s", a, b);
	fprintf(f, "  %-30s %41s\n", "  a call on the API (its log)", buf);
	if (r->in.chaining > 1) {
		snprintf(a, sizeof(a), s->api_latency_p50_s > 0 ? "%.3g s" : "-", k * s->api_latency_p50_s);
		snprintf(b, sizeof(b), s->api_latency_p95_s > 0 ? "%.3g s" : "-", k * s->api_latency_p95_s);
		snprintf(buf, sizeof(buf), "P50 %s, P95 %s", a, b);
		fprintf(f, "  %-30s %41s\n", "  an action on the API", buf);
	}
}

/* The SLO and the latency of a call (and of a user action, `chaining`
 * calls in a row) in the peak hour, at the means or the trials' means. */
static void
latency_rows(FILE *f, const struct fc_mc_result *r)
{
	char buf[80], slo[32];
	double ch = r->in.chaining;

	if (!isfinite(report_val(r, "latency.call_p95_s")))
		return;
	snprintf(slo, sizeof(slo), " (SLO %g s)", r->in.slo_given_s);
	snprintf(buf, sizeof(buf), "P50 %.3g s, P95 %.3g s%s", report_val(r, "latency.call_p50_s"),
	    report_val(r, "latency.call_p95_s"), r->in.slo_action ? "" : slo);
	fprintf(f, "  %-30s %41s\n", "  a call, peak hour", buf);
	if (isfinite(report_val(r, "latency.ttft.p95_s"))) {
		char ts[32] = "";

		if (r->in.slo_ttft_s > 0)
			snprintf(ts, sizeof(ts), " (SLO %g s)", r->in.slo_ttft_s);
		snprintf(buf, sizeof(buf), "P95 %.3g s%s", report_val(r, "latency.ttft.p95_s"), ts);
		fprintf(f, "  %-30s %41s\n", "  first token, peak hour", buf);
	}
	if (ch > 1) {
		char lab[64];
		if (r->in.chaining_overlap > 0)
			snprintf(lab, sizeof(lab), "  an action (%.3g calls, %.2g overlap)", ch,
			    r->in.chaining_overlap);
		else
			snprintf(lab, sizeof(lab), "  an action (%.3g calls in a row)", ch);
		snprintf(buf, sizeof(buf), "P50 %.3g s, P95 %.3g s%s",
		    report_val(r, "latency.action_p50_s"), report_val(r, "latency.action_p95_s"),
		    r->in.slo_action ? slo : "");
		fprintf(f, "  %-30s %41s\n", lab, buf);
	}
}

void
report_write_table(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	char users[40], buf[64], price[40], why[400];
	const char *per_month = report_currency.usd_per_unit == 1 ? "USD per month" :
	    "EUR per month";

	fc_fmt_count(users, sizeof(users), r->in.users);
	fprintf(f, "%s: %s users, month %ld, %s\n", s->name ? s->name : s->file,
	    users, r->month, r->deterministic ? "deterministic (every input at its mean)" :
	    "Monte Carlo");
	if (!r->deterministic)
		fprintf(f, "%ld trials, seed %lu; figures are means, ranges below\n",
		    r->trials, r->seed);
	if (s->route.n == 0)
		fprintf(f, "\n  %-30s %20s %20s\n", per_month, "API", "Flat");
	else
		fprintf(f, "\n  %-30s %20s %20s %20s\n", per_month, "API", "Flat",
		    "Routed API");
	table_row(f, s, r, "LLM calls / servers", "api.llm_cost", "flat.server_cost",
	    "api_routed.llm_cost");
	table_row(f, s, r, "Fixed", NULL, "flat.fixed_cost", NULL);
	table_row(f, s, r, "API fallback", NULL, "flat.fallback_cost", NULL);
	table_row(f, s, r, "Other (data, logs, egress)", "api.other_cost", "flat.other_cost",
	    "api.other_cost");
	table_row(f, s, r, "Total", "api.monthly_cost", "flat.monthly_cost",
	    "api_routed.monthly_cost");
	table_row(f, s, r, "Per user", "per_user.api", "per_user.flat", "per_user.api_routed");
	table_row(f, s, r, "Share of revenue", "share_of_revenue.api", "share_of_revenue.flat",
	    NULL);
	fmt_money(price, sizeof(price), s->flat.hw.monthly_price / report_currency.usd_per_unit);
	/* with trials, the mean fleet: 2.61 servers are not "3 x" (the
	 * headline says figures are means) */
	if (report_val(r, "flat.servers") == floor(report_val(r, "flat.servers")))
		snprintf(buf, sizeof(buf), "%.0f x %s", report_val(r, "flat.servers"), s->flat.hw.id);
	else
		snprintf(buf, sizeof(buf), "%.2f x %s (mean)", report_val(r, "flat.servers"),
		    s->flat.hw.id);
	fprintf(f, "\n  %-30s %41s\n", "Servers", buf);
	report_fleet_text(buf, sizeof(buf), s);
	fprintf(f, "  %-30s %41s\n", "  fleet", buf);
	snprintf(buf, sizeof(buf), "%s, %s", s->flat.model_ref, price);
	fprintf(f, "  %-30s %41s\n", "  model, price each", buf);
	snprintf(buf, sizeof(buf), "%.0f parallel, %.3g calls/s", report_val(r, "capacity.slots"),
	    report_val(r, "capacity.calls_per_s"));
	fprintf(f, "  %-30s %41s\n", "  per server", buf);
	if (r->tp.point && r->tp.point->slo_max_concurrency > 0 &&
	    fc_result_same_slo(r->tp.point, r->in.slo_s)) {
		snprintf(buf, sizeof(buf), "%s%.0f parallel (bench --search-slo)",
		    r->tp.point->slo_lower_bound ? "at least " : "",
		    r->tp.point->slo_max_concurrency);
		fprintf(f, "  %-30s %41s\n", "  measured within the SLO", buf);
	}
	snprintf(buf, sizeof(buf), "%.3g decode, %.3g prefill (%s)",
	    report_val(r, "capacity.decode_tok_s"), report_val(r, "capacity.prefill_tok_s"),
	    fc_throughput_label(&r->tp));
	fprintf(f, "  %-30s %41s\n", "  tok/s", buf);
	snprintf(buf, sizeof(buf), "%.3g calls/s, %.0f%% of capacity",
	    report_val(r, "workload.peak_calls_per_s"), 100 * report_val(r, "flat.peak_utilization"));
	fprintf(f, "  %-30s %41s\n", "  peak hour", buf);
	latency_rows(f, r);
	api_latency_rows(f, s, r);
	if (report_val(r, "flat.overflow_share") >= 1) {
		snprintf(buf, sizeof(buf), "all calls: one alone takes %.3g s",
		    report_val(r, "capacity.single_call_s"));
		fprintf(f, "  %-30s %41s\n", "  sent to the API", buf);
		fc_breakeven_viability_text(s, &r->breakeven.viability, why, sizeof(why));
		fputs("  Flat is not viable: no server is bought.", f);
		fc_text_wrap(f, why, 2, 78, 42);
	} else {
		snprintf(buf, sizeof(buf), "%.1f%% overflow + %.1f%% quality",
		    100 * report_val(r, "flat.overflow_share"), 100 * report_val(r, "flat.fallback_share"));
		fprintf(f, "  %-30s %41s\n", "  sent to the API", buf);
	}
	fmt_money(buf, sizeof(buf), report_val(r, "savings.monthly"));
	/* the figure savings.share, as JSON, CSV and sweep have it (the
	 * mean of the trials' shares): one definition */
	if (!(report_val(r, "api.llm_cost") > 0))   /* 0 tokens: a share of nothing */
		fprintf(f, "\n  %-30s %20s (no API cost to save: the calls cost $0 on the API)\n",
		    "Flat saves", buf);
	else
		fprintf(f, "\n  %-30s %20s (%.1f%% of API)\n", "Flat saves", buf,
		    100 * report_val(r, "savings.share"));
	fmt_money(buf, sizeof(buf), report_val(r, "per_user.median_user_api"));
	fmt_money(price, sizeof(price), report_val(r, "per_user.p99_user_api"));
	fprintf(f, "  %-30s %20s (P99 user %s)\n", "Median user on the API", buf, price);
	if (!r->deterministic) {
		fprintf(f, "\n  %-17s %14s %14s %14s %14s\n", "", "P5", "P50", "P95", "P99");
		stat_row(f, r, "API total", "api.monthly_cost");
		stat_row(f, r, "Flat total", "flat.monthly_cost");
		if (s->route.n)
			stat_row(f, r, "Routed API total", "api_routed.monthly_cost");
		stat_row(f, r, "Per user, API", "per_user.api");
		stat_row(f, r, "Per user, flat", "per_user.flat");
		stat_row(f, r, "Servers", "flat.servers");
		fprintf(f, "\n  P(flat cheaper) = %.1f%%\n", 100 * r->p_flat_cheaper);
	}
	if (r->des) {
		const struct fc_des_report *d = r->des;
		int h;
		fprintf(f, "\n  Discrete-event day, %.0f servers x %u slots, %.0f calls:\n",
		    d->plan.servers, d->cap.slots, d->day.calls);
		if (!d->plan.slo_feasible) {
			fprintf(f, "    not run: the SLO cannot be met on this server\n");
		} else {
			fprintf(f, "    latency P50 %.3g s, P95 %.3g s, P99 %.3g s; SLO met by %.1f%%\n",
			    d->day.lat_p50, d->day.lat_p95, d->day.lat_p99,
			    100 * d->day.slo_met_share);
			fprintf(f, "    overflow to the API %.2f%% (analytic %.2f%%)\n",
			    100 * d->day.overflow_share, 100 * d->plan.overflow_share);
			fprintf(f, "    fleet for the peak: analytic %.0f, simulated %.0f servers\n",
			    d->plan.servers, d->des_min_servers);
			fprintf(f, "    slot utilization by hour (%%):");
			for (h = 0; h < 24; h++)
				fprintf(f, "%s%3.0f", h % 12 ? "" : "\n     ",
				    d->plan.servers > 0 ? 100 * d->day.mean_active_by_hour[h] /
				    (d->plan.servers * d->cap.slots) : 0);
			fputc('\n', f);
		}
	}
	fprintf(f, "\n");
	report_breakeven_text(f, s, &r->breakeven, "");
	report_breakeven_trials_text(f, r, "  ");
}
