/*
 * report.c: tables for people, JSON and CSV for programs, Markdown for
 * pull requests.  Every figure of the table is in the JSON under the key
 * of fc_figures[].
 */
#include "report.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fleet.h"

struct fc_currency report_currency = { "USD", "$", 1, NULL, NULL };

void
report_currency_apply(struct fc_mc_result *r)
{
	fc_currency_apply(&report_currency, r);
}

/* --currency EUR: model/currency.h's rate, said on stderr (and in the
 * JSON). */
void
report_currency_eur(const struct fc_scenario *s)
{
	static char from[192];

	fc_currency_eur(s, from, sizeof(from), &report_currency);
	cli_warn("money figures in EUR at %g USD/EUR (%s, as of %s); prices and budgets stay in USD",
	    report_currency.usd_per_unit, from,
	    report_currency.rate_as_of ? report_currency.rate_as_of : "an unknown date");
}

int
report_format_parse(const char *s)
{
	if (strcmp(s, "table") == 0) return FMT_TABLE;
	if (strcmp(s, "json") == 0) return FMT_JSON;
	if (strcmp(s, "csv") == 0) return FMT_CSV;
	if (strcmp(s, "md") == 0) return FMT_MD;
	return -1;
}

json_t *
report_json_head(const struct fc_scenario *s, const struct fc_mc_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "flatcost_version", json_string(FC_VERSION));
	json_object_set_new(o, "format_version", json_integer(REPORT_JSON_FORMAT));
	json_object_set_new(o, "scenario", json_pack("{s:s?, s:s}", "name", s->name,
	    "file", s->file));
	json_object_set_new(o, "mode", json_string(r->deterministic ?
	    "deterministic" : "monte-carlo"));
	json_object_set_new(o, "month", json_integer(r->month));
	if (!r->deterministic) {
		json_object_set_new(o, "trials", json_integer(r->trials));
		json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
	}
	cli_json_data(o);
	if (report_currency.usd_per_unit != 1)
		json_object_set_new(o, "currency", json_pack("{s:s, s:f, s:s?, s:s?, s:s}",
		    "code", report_currency.code, "usd_per_eur", report_currency.usd_per_unit,
		    "rate_as_of", report_currency.rate_as_of, "rate_from", report_currency.rate_from,
		    "note", "money figures in EUR; inputs (prices, budgets) stay in USD"));
	return o;
}

json_t *
report_json(const struct fc_scenario *s, const struct fc_mc_result *r)
{
	json_t *o = report_json_head(s, r);

	fc_result_json_fill(o, s, r);
	return o;
}



void
fmt_money(char *buf, size_t len, double v)
{
	fc_fmt_money(buf, len, report_currency.symbol, v);
}

void
fmt_figure_value(char *buf, size_t len, size_t fig, double v)
{
	const struct fc_figure *f = &fc_figures[fig];

	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else if (f->money && (fabs(v) >= 1 || v == 0))
		fmt_money(buf, len, v);
	else if (f->money)
		snprintf(buf, len, "%s%s%.4f", v < 0 ? "-" : "", report_currency.symbol, fabs(v));
	else if (f->unit[0] == '\0' && (strstr(f->key, "share") || strstr(f->key, "utilization")))
		snprintf(buf, len, "%.2f%%", 100 * v);
	else if ((v == floor(v) || fabs(v) >= 100) && fabs(v) < 1e15)
		fc_fmt_count(buf, len, v);
	else
		snprintf(buf, len, "%.4g", v);
}



static void
fmt_pct(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.1f%%", v * 100);
}

static size_t
fig(const char *key)
{
	long k = fc_figure_index(key);

	return k < 0 ? 0 : (size_t)k;
}

/* The value to show for a figure: deterministic value, or the mean. */
static double
val(const struct fc_mc_result *r, const char *key)
{
	size_t k = fig(key);

	return r->deterministic ? fc_figure_get(&r->det, k) : r->stats[k].mean;
}

static void
fmt_fig(char *buf, size_t len, const char *key, double v)
{
	const struct fc_figure *f = &fc_figures[fig(key)];

	if (f->money)
		fmt_money(buf, len, v);
	else if (strcmp(f->unit, "") == 0 && (strstr(key, "share") || strstr(key, "utilization")))
		fmt_pct(buf, len, v);
	else if (strstr(key, "tok_s") || strstr(key, "_s") || strstr(key, "per_s"))
		snprintf(buf, len, isfinite(v) ? "%.3g" : "n/a", v);
	else
		fc_fmt_count(buf, len, v);
}


void
report_breakeven_text(FILE *f, const struct fc_scenario *s, const struct fc_breakeven *b,
    const char *pre)
{
	char x[40], y[40], why[400];
	size_t i, last;

	if (!b->viability.viable) {
		fc_breakeven_viability_text(s, &b->viability, why, sizeof(why));
		fprintf(f, "%sBreakeven: none, flat cannot serve:", pre);
		fc_text_wrap(f, why, (int)strlen(pre) + 2, 78, (int)strlen(pre) + 35);
		return;
	}
	fc_fmt_count(x, sizeof(x), b->searched_to);
	if (b->nranges == 0) {
		fprintf(f, "%sBreakeven: the API stays cheaper up to %s users\n", pre, x);
		return;
	}
	last = isnan(b->lasting) ? b->nranges : b->nranges - 1;
	if (!isnan(b->lasting)) {
		fc_fmt_count(x, sizeof(x), b->lasting);
		fprintf(f, "%sBreakeven: flat is cheaper for good from %s users", pre, x);
		if (b->lasting == b->first) {
			fputc('\n', f);
			return;
		}
		fc_fmt_count(x, sizeof(x), b->first);
		fprintf(f, " (first cheaper at %s; the API is cheaper again in", x);
		for (i = 0; i < last; i++) {
			fc_fmt_count(x, sizeof(x), b->to[i] + 1);
			fc_fmt_count(y, sizeof(y), b->from[i + 1] - 1);
			fprintf(f, "%s %s-%s", i ? "," : "", x, y);
		}
		fprintf(f, "%s)\n", b->truncated ? ", ..." : "");
		return;
	}
	fc_fmt_count(x, sizeof(x), b->searched_to);
	fprintf(f, "%sBreakeven: flat is not cheaper for good up to %s users", pre, x);
	fc_fmt_count(x, sizeof(x), b->first);
	fprintf(f, " (first cheaper at %s; cheaper only in", x);
	for (i = 0; i < b->nranges; i++) {
		fc_fmt_count(x, sizeof(x), b->from[i]);
		fc_fmt_count(y, sizeof(y), b->to[i]);
		fprintf(f, "%s %s-%s", i ? "," : "", x, y);
	}
	fprintf(f, "%s)\n", b->truncated ? ", ..." : "");
}

/* The lasting breakeven over the trials searched. */
static void
breakeven_trials_text(FILE *f, const struct fc_mc_result *r, const char *pre)
{
	char a[32], b[32], c[32];

	if (r->deterministic || r->breakeven_trials < 1)
		return;
	if (r->breakeven_stat.n < 1) {
		fprintf(f, "%sacross the first %ld trials: none is cheaper for good\n", pre,
		    r->breakeven_trials);
		return;
	}
	fc_fmt_count(a, sizeof(a), r->breakeven_stat.p5);
	fc_fmt_count(b, sizeof(b), r->breakeven_stat.p50);
	fc_fmt_count(c, sizeof(c), r->breakeven_stat.p95);
	fprintf(f, "%sacross the first %ld trials (%.0f cheaper for good):\n"
	    "%s  P5 %s, P50 %s, P95 %s users\n", pre, r->breakeven_trials,
	    r->breakeven_stat.n, pre, a, b, c);
}

/* A row of the API and flat columns, and the routed API's when the
 * scenario has a route (krouted may be NULL: an empty cell). */
static void
table_row(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r,
    const char *label, const char *kapi, const char *kflat, const char *krouted)
{
	char a[40] = "", b[40] = "", c[40] = "";

	if (kapi)
		fmt_fig(a, sizeof(a), kapi, val(r, kapi));
	if (kflat)
		fmt_fig(b, sizeof(b), kflat, val(r, kflat));
	if (s->route.n == 0) {
		fprintf(f, "  %-30s %20s %20s\n", label, a, b);
		return;
	}
	if (krouted)
		fmt_fig(c, sizeof(c), krouted, val(r, krouted));
	fprintf(f, "  %-30s %20s %20s %20s\n", label, a, b, c);
}

static void
stat_row(FILE *f, const struct fc_mc_result *r, const char *label, const char *key)
{
	const struct fc_stat *s = &r->stats[fig(key)];
	char p5[32], p50[32], p95[32], p99[32];

	fmt_fig(p5, sizeof(p5), key, s->p5);
	fmt_fig(p50, sizeof(p50), key, s->p50);
	fmt_fig(p95, sizeof(p95), key, s->p95);
	fmt_fig(p99, sizeof(p99), key, s->p99);
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

	if (!isfinite(val(r, "latency.call_p95_s")))
		return;
	snprintf(slo, sizeof(slo), " (SLO %g s)", r->in.slo_given_s);
	snprintf(buf, sizeof(buf), "P50 %.3g s, P95 %.3g s%s", val(r, "latency.call_p50_s"),
	    val(r, "latency.call_p95_s"), r->in.slo_action ? "" : slo);
	fprintf(f, "  %-30s %41s\n", "  a call, peak hour", buf);
	if (isfinite(val(r, "latency.ttft.p95_s"))) {
		char ts[32] = "";

		if (r->in.slo_ttft_s > 0)
			snprintf(ts, sizeof(ts), " (SLO %g s)", r->in.slo_ttft_s);
		snprintf(buf, sizeof(buf), "P95 %.3g s%s", val(r, "latency.ttft.p95_s"), ts);
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
		    val(r, "latency.action_p50_s"), val(r, "latency.action_p95_s"),
		    r->in.slo_action ? slo : "");
		fprintf(f, "  %-30s %41s\n", lab, buf);
	}
}

static void
write_table(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r)
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
	if (val(r, "flat.servers") == floor(val(r, "flat.servers")))
		snprintf(buf, sizeof(buf), "%.0f x %s", val(r, "flat.servers"), s->flat.hw.id);
	else
		snprintf(buf, sizeof(buf), "%.2f x %s (mean)", val(r, "flat.servers"),
		    s->flat.hw.id);
	fprintf(f, "\n  %-30s %41s\n", "Servers", buf);
	report_fleet_text(buf, sizeof(buf), s);
	fprintf(f, "  %-30s %41s\n", "  fleet", buf);
	snprintf(buf, sizeof(buf), "%s, %s", s->flat.model_ref, price);
	fprintf(f, "  %-30s %41s\n", "  model, price each", buf);
	snprintf(buf, sizeof(buf), "%.0f parallel, %.3g calls/s", val(r, "capacity.slots"),
	    val(r, "capacity.calls_per_s"));
	fprintf(f, "  %-30s %41s\n", "  per server", buf);
	if (r->tp.point && r->tp.point->slo_max_concurrency > 0 &&
	    fc_result_same_slo(r->tp.point, r->in.slo_s)) {
		snprintf(buf, sizeof(buf), "%s%.0f parallel (bench --search-slo)",
		    r->tp.point->slo_lower_bound ? "at least " : "",
		    r->tp.point->slo_max_concurrency);
		fprintf(f, "  %-30s %41s\n", "  measured within the SLO", buf);
	}
	snprintf(buf, sizeof(buf), "%.3g decode, %.3g prefill (%s)",
	    val(r, "capacity.decode_tok_s"), val(r, "capacity.prefill_tok_s"),
	    fc_throughput_label(&r->tp));
	fprintf(f, "  %-30s %41s\n", "  tok/s", buf);
	snprintf(buf, sizeof(buf), "%.3g calls/s, %.0f%% of capacity",
	    val(r, "workload.peak_calls_per_s"), 100 * val(r, "flat.peak_utilization"));
	fprintf(f, "  %-30s %41s\n", "  peak hour", buf);
	latency_rows(f, r);
	api_latency_rows(f, s, r);
	if (val(r, "flat.overflow_share") >= 1) {
		snprintf(buf, sizeof(buf), "all calls: one alone takes %.3g s",
		    val(r, "capacity.single_call_s"));
		fprintf(f, "  %-30s %41s\n", "  sent to the API", buf);
		fc_breakeven_viability_text(s, &r->breakeven.viability, why, sizeof(why));
		fputs("  Flat is not viable: no server is bought.", f);
		fc_text_wrap(f, why, 2, 78, 42);
	} else {
		snprintf(buf, sizeof(buf), "%.1f%% overflow + %.1f%% quality",
		    100 * val(r, "flat.overflow_share"), 100 * val(r, "flat.fallback_share"));
		fprintf(f, "  %-30s %41s\n", "  sent to the API", buf);
	}
	fmt_money(buf, sizeof(buf), val(r, "savings.monthly"));
	/* the figure savings.share, as JSON, CSV and sweep have it (the
	 * mean of the trials' shares): one definition */
	if (!(val(r, "api.llm_cost") > 0))   /* 0 tokens: a share of nothing */
		fprintf(f, "\n  %-30s %20s (no API cost to save: the calls cost $0 on the API)\n",
		    "Flat saves", buf);
	else
		fprintf(f, "\n  %-30s %20s (%.1f%% of API)\n", "Flat saves", buf,
		    100 * val(r, "savings.share"));
	fmt_money(buf, sizeof(buf), val(r, "per_user.median_user_api"));
	fmt_money(price, sizeof(price), val(r, "per_user.p99_user_api"));
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
	breakeven_trials_text(f, r, "  ");
}

void
report_num_cell(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.10g", v);
	else
		buf[0] = '\0';
}

/* A row, with the month in front when several months are written. */
static int csv_month;   /* 0: no month column */

static void
csv_row_m(FILE *f, const char *const *cells, size_t n)
{
	const char *all[8];
	char m[24];
	size_t i;

	if (!csv_month) {
		fc_csv_row(f, cells, n);
		return;
	}
	if (csv_month < 0)
		snprintf(m, sizeof(m), "month");
	else
		snprintf(m, sizeof(m), "%d", csv_month);
	all[0] = m;
	for (i = 0; i < n && i < 7; i++)
		all[i + 1] = cells[i];
	fc_csv_row(f, all, n + 1);
}
#define csv_row csv_row_m

static void
write_csv(FILE *f, const struct fc_scenario *sc, const struct fc_mc_result *r, int header)
{
	size_t k;
	char v[6][40];
	int month = csv_month;

	if (header && csv_month)
		csv_month = -1;
	if (!header) {
		;
	} else if (r->deterministic) {
		const char *hdr[] = { "figure", "unit", "value" };
		csv_row(f, hdr, 3);
	} else {
		const char *hdr[] = { "figure", "unit", "mean", "p5", "p50", "p95", "p99" };
		csv_row(f, hdr, 7);
	}
	csv_month = month;
	for (k = 0; k < fc_nfigures; k++) {
		const char *cells[7];
		if (!fc_figure_applies(sc, k))
			continue;
		cells[0] = fc_figures[k].key;
		cells[1] = fc_figures[k].unit;
		if (r->deterministic) {
			report_num_cell(v[0], sizeof(v[0]), fc_figure_get(&r->det, k));
			cells[2] = v[0];
			csv_row(f, cells, 3);
		} else {
			const struct fc_stat *s = &r->stats[k];
			report_num_cell(v[0], 40, s->mean);
			report_num_cell(v[1], 40, s->p5);
			report_num_cell(v[2], 40, s->p50);
			report_num_cell(v[3], 40, s->p95);
			report_num_cell(v[4], 40, s->p99);
			cells[2] = v[0]; cells[3] = v[1]; cells[4] = v[2];
			cells[5] = v[3]; cells[6] = v[4];
			csv_row(f, cells, 7);
		}
	}
}

static void
write_md(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	char a[40], b[40];
	size_t k;

	fc_fmt_count(a, sizeof(a), r->in.users);
	fprintf(f, "### %s: %s users, month %ld (%s)\n\n", s->name ? s->name : s->file, a,
	    r->month, r->deterministic ? "deterministic" : "Monte Carlo");
	if (r->deterministic) {
		fprintf(f, "| Figure | Value |\n|---|---:|\n");
		for (k = 0; k < fc_nfigures; k++) {
			if (!fc_figure_applies(s, k))
				continue;
			fmt_fig(a, sizeof(a), fc_figures[k].key, fc_figure_get(&r->det, k));
			fprintf(f, "| %s | %s |\n", fc_figures[k].label, a);
		}
	} else {
		fprintf(f, "| Figure | Mean | P5 | P50 | P95 | P99 |\n|---|---:|---:|---:|---:|---:|\n");
		for (k = 0; k < fc_nfigures; k++) {
			const struct fc_stat *st = &r->stats[k];
			char c[40], d[40], e[40];
			if (!fc_figure_applies(s, k))
				continue;
			fmt_fig(a, sizeof(a), fc_figures[k].key, st->mean);
			fmt_fig(b, sizeof(b), fc_figures[k].key, st->p5);
			fmt_fig(c, sizeof(c), fc_figures[k].key, st->p50);
			fmt_fig(d, sizeof(d), fc_figures[k].key, st->p95);
			fmt_fig(e, sizeof(e), fc_figures[k].key, st->p99);
			fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", fc_figures[k].label,
			    a, b, c, d, e);
		}
		fprintf(f, "\nP(flat cheaper): %.1f%%\n", 100 * r->p_flat_cheaper);
	}
	fprintf(f, "\n");
	report_breakeven_text(f, s, &r->breakeven, "");
	breakeven_trials_text(f, r, "");
}

int
report_write(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r)
{
	return report_write_seq(f, fmt, s, r, 0, 1);
}

int
report_write_seq(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r, int index, int count)
{
	json_t *j;
	int rc = 0;

	if (count > 1 && fmt == FMT_JSON) {
		/* several months: one JSON document, {"months": [...]} */
		j = report_json(s, r);
		fputs(index == 0 ? "{\n  \"months\": [\n" : ",\n", f);
		if (j == NULL || fc_json_write(f, j, 0) != 0)
			rc = -1;
		json_decref(j);
		if (index == count - 1)
			fputs("\n  ]\n}\n", f);
		return ferror(f) ? -1 : rc;
	}
	switch (fmt) {
	case FMT_TABLE:
		write_table(f, s, r);
		break;
	case FMT_JSON:
		rc = fc_json_dump(f, report_json(s, r));
		break;
	case FMT_CSV:
		csv_month = count > 1 ? (int)r->month : 0;
		write_csv(f, s, r, index == 0);
		csv_month = 0;
		break;
	case FMT_MD:
		write_md(f, s, r);
		break;
	}
	return ferror(f) ? -1 : rc;
}
