/*
 * report_section.c: the sections of `flatcost report`'s page after the
 * decision: payback, cost by users, which deployment, what drives it, what
 * users would see, and how to reproduce the page (report_page.h).
 */
#include "report_page.h"

#include <math.h>
#include <string.h>

#include "report.h"

void
page_payback(const struct page *p)
{
	const struct fc_months *m = p->d->timeline.months;

	page_section(p, "payback", "Payback timeline");
	page_chart(p, PC_TIMELINE, "Cumulative savings of switching to flat by month, median "
	    "with the P5-P95 band, and the payback month");
	page_para(p, 1);
	fputs("One-time costs, marked at month 0 of the chart: flat ", p->f);
	page_num(p, SRC_MONTHS, p->d->timeline.in.flat_one_time, K_MONEY, "one_time.flat");
	fputs(", API ", p->f);
	page_num(p, SRC_MONTHS, p->d->timeline.in.api_one_time, K_MONEY, "one_time.api");
	fputs(". Payback month: ", p->f);
	if (m->payback.n > 0) {
		fputs("P5 ", p->f);
		page_num(p, SRC_MONTHS, m->payback.p5, K_COUNT, "payback_month.p5");
		fputs(", median ", p->f);
		page_num(p, SRC_MONTHS, m->payback.p50, K_COUNT, "payback_month.p50");
		fputs(", P95 ", p->f);
		page_num(p, SRC_MONTHS, m->payback.p95, K_COUNT, "payback_month.p95");
		fputs(" (over the trials that pay back). ", p->f);
	} else {
		fputs("none within the horizon. ", p->f);
	}
	fprintf(p->f, "Cumulative savings after %ld months: median ", m->n);
	page_num(p, SRC_MONTHS, m->stat[m->n - 1][FC_MF_CUMULATIVE].p50, K_MONEY,
	    "months.%ld.%s.p50", m->n - 1, fc_mc_month_keys[FC_MF_CUMULATIVE]);
	fputs(", P5 ", p->f);
	page_num(p, SRC_MONTHS, m->stat[m->n - 1][FC_MF_CUMULATIVE].p5, K_MONEY,
	    "months.%ld.%s.p5", m->n - 1, fc_mc_month_keys[FC_MF_CUMULATIVE]);
	fputs(", P95 ", p->f);
	page_num(p, SRC_MONTHS, m->stat[m->n - 1][FC_MF_CUMULATIVE].p95, K_MONEY,
	    "months.%ld.%s.p95", m->n - 1, fc_mc_month_keys[FC_MF_CUMULATIVE]);
	fputs(".", p->f);
	page_para(p, 0);
	page_section_end(p);
}

void
page_cost(const struct page *p)
{
	static const char *const h[] = { "Users", "API, P50", "API, P5-P95", "Flat, P50",
		"Flat, P5-P95", "Routed API, P50" };
	const struct fc_report_data *d = p->d;
	long ka = fc_figure_index("api.monthly_cost"), kf = fc_figure_index("flat.monthly_cost");
	long kr = fc_figure_index("api_routed.monthly_cost");
	int routed = p->s->route.n > 0 && kr >= 0;
	long kb = fc_figure_index("breakeven_users");
	size_t i;

	page_section(p, "cost", "Monthly cost by users");
	page_chart(p, PC_COST, "Monthly cost of the API and flat architectures by user count, "
	    "medians with P5-P95 bands, and the lasting breakeven");
	page_para(p, 1);
	if (isfinite(d->now.breakeven.lasting)) {
		fputs("Flat stays cheaper from ", p->f);
		page_num(p, SRC_SIMULATE, d->now.breakeven.lasting, K_COUNT, "breakeven.lasting");
		fputs(" users at the means (the lasting breakeven); over the trials, P5 ", p->f);
		page_num(p, SRC_SIMULATE, d->now.stats[kb].p5, K_COUNT, "breakeven_users.p5");
		fputs(" to P95 ", p->f);
		page_num(p, SRC_SIMULATE, d->now.stats[kb].p95, K_COUNT, "breakeven_users.p95");
		fputs(" users, found in ", p->f);
		page_num(p, SRC_SIMULATE, d->now.p_breakeven_found, K_PCT, "p_breakeven_found");
		fputs(" of the searched trials.", p->f);
	} else {
		fputs("Flat is not cheaper for good at any user count searched.", p->f);
	}
	page_para(p, 0);
	page_head(p, h, routed ? 6 : 5);
	for (i = 0; i < d->npoints; i++) {
		const struct fc_stat *a = &d->pts[i].stats[ka], *f = &d->pts[i].stats[kf];
		page_row(p, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SWEEP, d->x[i], K_COUNT, "points.%zu.value", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SWEEP, a->p50, K_MONEY, "points.%zu.api.monthly_cost.p50", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SWEEP, a->p5, K_MONEY, "points.%zu.api.monthly_cost.p5", i);
		fputs(" to ", p->f);
		page_num(p, SRC_SWEEP, a->p95, K_MONEY, "points.%zu.api.monthly_cost.p95", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SWEEP, f->p50, K_MONEY, "points.%zu.flat.monthly_cost.p50", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SWEEP, f->p5, K_MONEY, "points.%zu.flat.monthly_cost.p5", i);
		fputs(" to ", p->f);
		page_num(p, SRC_SWEEP, f->p95, K_MONEY, "points.%zu.flat.monthly_cost.p95", i);
		page_cell(p, 0, 1);
		if (routed) {
			page_cell(p, 1, 1);
			page_num(p, SRC_SWEEP, d->pts[i].stats[kr].p50, K_MONEY,
			    "points.%zu.api_routed.monthly_cost.p50", i);
			page_cell(p, 0, 1);
		}
		page_row(p, 0);
	}
	page_table_end(p);
	page_section_end(p);
}

#define COMPARE_TOP 8

void
page_compare(const struct page *p)
{
	static const char *const h[] = { "Rank", "Option", "Monthly cost, P50", "P5-P95",
		"Servers, P50", "Call latency P95", "Breakeven users" };
	const struct fc_report_data *d = p->d;
	size_t i, shown = 0;

	if (d->cmp == NULL)
		return;
	page_section(p, "compare", "Which deployment");
	page_chart(p, PC_COMPARE, "Monthly cost against P95 call latency of each viable server "
	    "option, with the Pareto front and the API");
	page_head(p, h, 7);
	for (i = 0; i < d->ncmp && shown < COMPARE_TOP; i++) {
		const struct fc_cmp_option *o = &d->cmp[p->order[i]];
		const char *fig = o->kind == FC_CMP_FLAT ? "flat" : o->kind == FC_CMP_API ? "api" :
		    "api_routed";
		if (!o->viable)
			continue;
		shown++;
		page_row(p, 1);
		page_cell(p, 1, 1);
		if (o->rank)
			page_num(p, SRC_COMPARE, (double)o->rank, K_COUNT, "options.%zu.rank", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 0);
		page_text(p, o->kind == FC_CMP_FLAT ? o->hw->id : o->kind == FC_CMP_API ? "API" :
		    "routed API");
		fputs(" ", p->f);
		page_text(p, o->ref);
		page_cell(p, 0, 0);
		page_cell(p, 1, 1);
		page_num(p, SRC_COMPARE, o->stats[FC_CMP_COST].p50, K_MONEY,
		    "options.%zu.%s.monthly_cost.p50", i, fig);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_COMPARE, o->stats[FC_CMP_COST].p5, K_MONEY,
		    "options.%zu.%s.monthly_cost.p5", i, fig);
		fputs(" to ", p->f);
		page_num(p, SRC_COMPARE, o->stats[FC_CMP_COST].p95, K_MONEY,
		    "options.%zu.%s.monthly_cost.p95", i, fig);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		if (o->kind == FC_CMP_FLAT)
			page_num(p, SRC_COMPARE, o->stats[FC_CMP_SERVERS].p50, K_COUNT,
			    "options.%zu.flat.servers.p50", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		if (o->kind == FC_CMP_FLAT)
			page_num(p, SRC_COMPARE, o->stats[FC_CMP_LATENCY].p95, K_SEC,
			    "options.%zu.capacity.call_latency_s.p95", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		if (o->kind == FC_CMP_FLAT)
			page_num(p, SRC_COMPARE, o->breakeven_users, K_COUNT,
			    "options.%zu.breakeven_users", i);
		page_cell(p, 0, 1);
		page_row(p, 0);
	}
	page_table_end(p);
	page_para(p, 1);
	fprintf(p->f, "Ranked by the median monthly cost; the top %d viable options of %zu "
	    "evaluated.", COMPARE_TOP, d->ncmp);
	page_para(p, 0);
	page_section_end(p);
}

void
page_drivers(const struct page *p)
{
	static const char *const h[] = { "Input", "Share of variance", "Figure, input low",
		"Figure, input high", "Width once known" };
	const struct fc_report_data *d = p->d;
	const struct fc_sens *e = &d->sens;
	enum page_kind k = strcmp(d->sens_figure, "payback_month") == 0 ? K_NUM : K_MONEY;
	size_t i;

	if (!p->sensitivity || !d->have_sens)
		return;
	page_section(p, "drivers", "What drives it");
	page_chart(p, PC_TORNADO, "Tornado: the figure with each uncertain input near its P10 and P90");
	page_para(p, 1);
	fprintf(p->f, "Figure: %s. Today its P5-P95 width is ", d->sens_figure);
	page_num(p, SRC_SENS, e->width, e->on_ranks ? K_NUM : k, "value_of_information.width");
	if (e->best < e->ninputs) {
		fputs("; knowing ", p->f);
		page_text(p, fc_inputs_mc[d->sens_cols[e->best]].key);
		fputs(" exactly would narrow it to ", p->f);
		page_num(p, SRC_SENS, e->rows[e->best].width_known, e->on_ranks ? K_NUM : k,
		    "value_of_information.width_if_known");
		fputs(" (the value of information)", p->f);
	}
	fputs(".", p->f);
	page_para(p, 0);
	page_head(p, h, 5);
	for (i = 0; i < e->ninputs; i++) {
		const struct fc_sens_row *r = &e->rows[e->order[i]];
		page_row(p, 1);
		page_cell(p, 1, 0);
		page_text(p, fc_inputs_mc[d->sens_cols[e->order[i]]].key);
		page_cell(p, 0, 0);
		page_cell(p, 1, 1);
		page_num(p, SRC_SENS, r->share, K_PCT, "inputs.%zu.share", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SENS, r->low, k, "inputs.%zu.low", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SENS, r->high, k, "inputs.%zu.high", i);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SENS, r->width_known, e->on_ranks ? K_NUM : k,
		    "inputs.%zu.width_if_known", i);
		page_cell(p, 0, 1);
		page_row(p, 0);
	}
	page_table_end(p);
	page_section_end(p);
}

/* Before and after: the API's own latency as its log shows it
 * (api.latency_p50_s / p95_s) beside the flat fleet's in the table above. */
static void
page_api_latency(const struct page *p)
{
	double p50 = p->s->api_latency_p50_s, p95 = p->s->api_latency_p95_s;

	if (!(p50 > 0) && !(p95 > 0))
		return;
	page_para(p, 1);
	fputs("Before, on the API, a call takes ", p->f);
	if (p50 > 0) {
		fputs("P50 ", p->f);
		page_num(p, SRC_SIMULATE, p50, K_SEC, "latency.api.p50_s");
		fputs(p95 > 0 ? ", " : "", p->f);
	}
	if (p95 > 0) {
		fputs("P95 ", p->f);
		page_num(p, SRC_SIMULATE, p95, K_SEC, "latency.api.p95_s");
	}
	fputs(" as its log shows it (end - start of single calls); after, on the flat "
	    "fleet, latency.call above (the peak hour: queueing and service).", p->f);
	page_para(p, 0);
}

/* Latency users would see, the fleet by month, overflow. */
void
page_service(const struct page *p)
{
	static const char *const h[] = { "Latency", "P50 over trials", "P5-P95" };
	static const char *const hm[] = { "Month", "Users, P50", "Servers, P50",
		"Servers, P5-P95" };
	const struct fc_report_data *d = p->d;
	const struct fc_months *m = d->timeline.months;
	long k, ko = fc_figure_index("flat.overflow_share");
	size_t i;

	page_section(p, "service", "What users would see");
	page_head(p, h, 3);
	for (k = 0; k < (long)fc_nfigures; k++) {
		const struct fc_stat *st = &d->now.stats[k];
		if (strncmp(fc_figures[k].key, "latency.", 8) != 0 ||
		    strstr(fc_figures[k].key, "slo") || !isfinite(st->p50))
			continue;
		page_row(p, 1);
		page_cell(p, 1, 0);
		page_text(p, fc_figures[k].key);
		page_cell(p, 0, 0);
		page_cell(p, 1, 1);
		page_num(p, SRC_SIMULATE, st->p50, K_SEC, "%s.p50", fc_figures[k].key);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_SIMULATE, st->p5, K_SEC, "%s.p5", fc_figures[k].key);
		fputs(" to ", p->f);
		page_num(p, SRC_SIMULATE, st->p95, K_SEC, "%s.p95", fc_figures[k].key);
		page_cell(p, 0, 1);
		page_row(p, 0);
	}
	page_table_end(p);
	page_api_latency(p);
	if (ko >= 0) {
		page_para(p, 1);
		fputs("Calls that find every server busy and go to the API (overflow): ", p->f);
		page_num(p, SRC_SIMULATE, d->now.stats[ko].mean, K_PCT, "flat.overflow_share.mean");
		fputs(" on average, P95 ", p->f);
		page_num(p, SRC_SIMULATE, d->now.stats[ko].p95, K_PCT, "flat.overflow_share.p95");
		fputs(".", p->f);
		page_para(p, 0);
	}
	page_para(p, 1);
	fputs("The flat fleet by month, sized in each trial for its peak hour:", p->f);
	page_para(p, 0);
	page_head(p, hm, 4);
	for (i = 0; i < (size_t)m->n; i++) {
		const struct fc_stat *sv = &m->stat[i][FC_MF_SERVERS];
		/* every month of the first year, then every sixth */
		if (i >= 12 && (i + 1) % 6 != 0 && i + 1 != (size_t)m->n)
			continue;
		page_row(p, 1);
		page_cell(p, 1, 1);
		fprintf(p->f, "%zu", i + 1);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_MONTHS, m->stat[i][FC_MF_USERS].p50, K_COUNT, "months.%zu.%s.p50", i,
		    fc_mc_month_keys[FC_MF_USERS]);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_MONTHS, sv->p50, K_COUNT, "months.%zu.%s.p50", i, fc_mc_month_keys[FC_MF_SERVERS]);
		page_cell(p, 0, 1);
		page_cell(p, 1, 1);
		page_num(p, SRC_MONTHS, sv->p5, K_COUNT, "months.%zu.%s.p5", i, fc_mc_month_keys[FC_MF_SERVERS]);
		fputs(" to ", p->f);
		page_num(p, SRC_MONTHS, sv->p95, K_COUNT, "months.%zu.%s.p95", i, fc_mc_month_keys[FC_MF_SERVERS]);
		page_cell(p, 0, 1);
		page_row(p, 0);
	}
	page_table_end(p);
	page_section_end(p);
}

void
page_reproduce(const struct page *p)
{
	size_t i, n = json_array_size(p->warnings);
	int c;

	if (n) {
		page_para(p, 1);
		fputs(p->md ? "**Warnings**" : "<strong>Warnings</strong>", p->f);
		page_para(p, 0);
		fputs(p->md ? "" : "<ul class=\"warn\">\n", p->f);
		for (i = 0; i < n; i++) {
			fputs(p->md ? "- " : "<li>", p->f);
			page_text(p, json_string_value(json_object_get(json_array_get(p->warnings, i),
			    "message")));
			fputs(p->md ? "\n" : "</li>\n", p->f);
		}
		fputs(p->md ? "\n" : "</ul>\n", p->f);
	}
	page_para(p, 1);
	fprintf(p->f, "flatcost %s, seed %lu, %ld trials, inputs and data hash %s (FNV-1a of the "
	    "inputs as JSON). This page: ", FC_VERSION, p->d->now.seed, p->d->now.trials,
	    p->data_hash);
	fputs(p->md ? "`" : "<code>", p->f);
	page_text(p, p->command);
	fputs(p->md ? "`" : "</code>", p->f);
	page_para(p, 0);
	page_para(p, 1);
	fputs("Figures from (each number on this page is the same number in the command's "
	    "--format json):", p->f);
	page_para(p, 0);
	fputs(p->md ? "" : "<ul>\n", p->f);
	for (c = 0; c < SRC_N; c++) {
		if (p->cmds[c] == NULL)
			continue;
		if (p->md)
			fputs("- `", p->f);
		else
			fprintf(p->f, "<li><code data-cmd=\"%s\">", page_src_names[c]);
		page_text(p, p->cmds[c]);
		fputs(p->md ? "`\n" : "</code></li>\n", p->f);
	}
	fputs(p->md ? "\n" : "</ul>\n", p->f);
}

