/*
 * report_page.c: the sections of `flatcost report`'s page (report_page.h),
 * in HTML or Markdown, from the figures of model/report_data.c.
 */
#include "report_page.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "report.h"

const char *const page_src_names[SRC_N] = { "simulate", "months", "sweep", "sensitivity",
	"compare" };

enum kind { K_MONEY, K_PCT, K_COUNT, K_SEC, K_NUM };

static const char css[] =
    "body{font:16px/1.45 system-ui,sans-serif;color:#1a1a1a;max-width:60rem;margin:0 auto;"
    "padding:1.5rem}\n"
    "h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.3rem;border-bottom:2px solid #333;"
    "padding-bottom:.2rem;margin-top:2rem}\n"
    ".sub{color:#555;margin:0 0 1rem}\n"
    ".decision{font-size:1.15rem;border-left:6px solid #333;padding:.6rem 1rem;"
    "background:#f3f3f3}\n"
    ".verdict{font-weight:700}\n"
    "figure.chart{margin:1rem 0}figure.chart svg{width:100%;height:auto;display:block}\n"
    "table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}"
    "th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "td.r{text-align:right;font-variant-numeric:tabular-nums}th{background:#eee}\n"
    "code{font-size:.85rem;word-break:break-all}\n"
    ".warn{color:#8a3b00}\n"
    "@media print{body{max-width:none;padding:0;font-size:11pt}"
    "section{break-before:page}section#decision{break-before:avoid}"
    "figure.chart,table{break-inside:avoid}.decision{background:none}}\n";

void
page_text(const struct page *p, const char *s)
{
	if (p->md) {
		md_text(p->f, s);
		return;
	}
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", p->f); break;
		case '>': fputs("&gt;", p->f); break;
		case '&': fputs("&amp;", p->f); break;
		case '"': fputs("&quot;", p->f); break;
		default: fputc(*s, p->f);
		}
}

static void
fmt_kind(char *buf, size_t len, double v, enum kind k)
{
	char t[48];

	if (!isfinite(v)) {
		snprintf(buf, len, "none");
		return;
	}
	switch (k) {
	case K_MONEY:
		fmt_count(t, sizeof(t), fabs(v));
		snprintf(buf, len, "%s$%s", v < 0 && floor(fabs(v) + 0.5) > 0 ? "-" : "", t);
		break;
	case K_PCT:
		snprintf(buf, len, "%.0f%%", 100 * v);
		break;
	case K_COUNT:
		fmt_count(buf, len, v);
		break;
	case K_SEC:
		snprintf(buf, len, "%.1f s", v);
		break;
	default:
		snprintf(buf, len, "%.3g", v);
	}
}

/* A number with its source: src's JSON at key (a printf format). */
static void
num(const struct page *p, enum page_cmd src, double v, enum kind k, const char *key, ...)
    __attribute__((format(printf, 5, 6)));

static void
num(const struct page *p, enum page_cmd src, double v, enum kind k, const char *key, ...)
{
	char text[80], path[256], real[40];
	va_list ap;

	fmt_kind(text, sizeof(text), v, k);
	if (p->md || !isfinite(v)) {
		page_text(p, text);
		return;
	}
	va_start(ap, key);
	vsnprintf(path, sizeof(path), key, ap);
	va_end(ap);
	report_json_real(real, sizeof(real), v);
	fprintf(p->f, "<span class=\"n\" data-src=\"%s\" data-key=\"%s\" data-v=\"%s\">%s</span>",
	    page_src_names[src], path, real, text);
}

static void
section(const struct page *p, const char *id, const char *title)
{
	if (p->md)
		fprintf(p->f, "\n## %s\n\n", title);
	else
		fprintf(p->f, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
}

static void
section_end(const struct page *p)
{
	if (!p->md)
		fputs("</section>\n", p->f);
}

static void
para(const struct page *p, int open)
{
	if (p->md)
		fputs(open ? "" : "\n\n", p->f);
	else
		fputs(open ? "<p>" : "</p>\n", p->f);
}

static void
chart(const struct page *p, enum page_chart c, const char *alt)
{
	const char *svg = p->charts[c];

	if (svg == NULL)
		return;
	if (p->md) {
		fprintf(p->f, "![%s](%s)\n\n", alt, svg);
		return;
	}
	fprintf(p->f, "<figure class=\"chart\" id=\"chart-%d\" role=\"img\" aria-label=\"", (int)c);
	page_text(p, alt);
	fputs("\">\n", p->f);
	fputs(strstr(svg, "<svg") ? strstr(svg, "<svg") : svg, p->f);
	fputs("</figure>\n", p->f);
}

/* Table helpers: a row starts, cells, a row ends. */
static void
row(const struct page *p, int open)
{
	if (p->md)
		fputs(open ? "|" : "\n", p->f);
	else
		fputs(open ? "<tr>" : "</tr>\n", p->f);
}

static void
cell(const struct page *p, int open, int right)
{
	if (p->md)
		fputs(open ? " " : " |", p->f);
	else
		fputs(open ? (right ? "<td class=\"r\">" : "<td>") : "</td>", p->f);
}

static void
head(const struct page *p, const char *const *h, size_t n)
{
	size_t i;

	if (!p->md)
		fputs("<table>\n<tr>", p->f);
	else
		fputs("|", p->f);
	for (i = 0; i < n; i++) {
		if (p->md)
			fprintf(p->f, " %s |", h[i]);
		else
			fprintf(p->f, "<th>%s</th>", h[i]);
	}
	if (p->md) {
		fputs("\n|", p->f);
		for (i = 0; i < n; i++)
			fputs(i ? "---:|" : "---|", p->f);
	} else {
		fputs("</tr>", p->f);
	}
	fputc('\n', p->f);
}

static void
table_end(const struct page *p)
{
	fputs(p->md ? "\n" : "</table>\n", p->f);
}

static void
decision(const struct page *p)
{
	const struct fc_report_data *d = p->d;
	const struct fc_months *m = d->timeline.months;
	long ks = fc_figure_index("savings.monthly");
	char t[48], why[512];

	if (p->md)
		fputs("\n## The decision\n\n", p->f);
	else
		fputs("<section id=\"decision\">\n<h2>The decision</h2>\n<p class=\"decision\">", p->f);
	fputs(p->md ? "**" : "<span class=\"verdict\">", p->f);
	if (d->verdict == FC_RV_NOW)
		fputs("Switch to the flat architecture now.", p->f);
	else if (d->verdict == FC_RV_LATER)
		fprintf(p->f, "Switch to the flat architecture later, from month %ld.", d->later_month);
	else
		fputs("Stay on the API.", p->f);
	fputs(p->md ? "** " : "</span> ", p->f);
	if (!d->now.breakeven.viability.viable) {
		fc_viability_text(p->s, &d->now.breakeven.viability, why, sizeof(why));
		page_text(p, why);
		fputc(' ', p->f);
	}
	fmt_count(t, sizeof(t), (double)d->timeline.trials);
	fprintf(p->f, "In %s trials, the switch pays back within %ld months in ", t, d->months);
	num(p, SRC_MONTHS, m->p_payback, K_PCT, "p_payback_within_months");
	fputs(" of them", p->f);
	if (m->payback.n > 0) {
		fputs(" (median payback month ", p->f);
		num(p, SRC_MONTHS, m->payback.p50, K_COUNT, "payback_month.p50");
		fputs(")", p->f);
	}
	fputs(". Flat is cheaper this month in ", p->f);
	num(p, SRC_SIMULATE, d->now.p_flat_cheaper, K_PCT, "p_flat_cheaper");
	fputs(" of the trials; the median monthly saving is ", p->f);
	num(p, SRC_SIMULATE, d->now.stats[ks].p50, K_MONEY, "savings.monthly.p50");
	fputs(" (P5 ", p->f);
	num(p, SRC_SIMULATE, d->now.stats[ks].p5, K_MONEY, "savings.monthly.p5");
	fputs(", P95 ", p->f);
	num(p, SRC_SIMULATE, d->now.stats[ks].p95, K_MONEY, "savings.monthly.p95");
	fputs(").", p->f);
	if (d->verdict == FC_RV_LATER && isfinite(d->later_users)) {
		fputs(" That month the median user count is ", p->f);
		num(p, SRC_MONTHS, d->later_users, K_COUNT, "months.%ld.%s.p50", d->later_month - 1, fc_month_keys[FC_MF_USERS]);
		fputs(".", p->f);
	}
	if (isfinite(d->now.breakeven.lasting)) {
		fputs(" Flat is cheaper for good from ", p->f);
		num(p, SRC_SIMULATE, d->now.breakeven.lasting, K_COUNT, "breakeven.lasting");
		fputs(" users.", p->f);
	}
	if (d->driver >= 0) {
		size_t r = d->sens.order[0];
		fputs(" The assumption that drives it: ", p->f);
		page_text(p, fc_mc_inputs[d->driver].key);
		fputs(", ", p->f);
		num(p, SRC_SENS, d->driver_share, K_PCT, "inputs.0.share");
		fprintf(p->f, " of the variance of %s (from ", d->sens_figure);
		num(p, SRC_SENS, d->sens.rows[r].x_p10, K_NUM, "inputs.0.p10");
		fputs(" to ", p->f);
		num(p, SRC_SENS, d->sens.rows[r].x_p90, K_NUM, "inputs.0.p90");
		fputs(" ", p->f);
		page_text(p, fc_mc_inputs[d->driver].unit);
		fputs(", P10 to P90): measure it first.", p->f);
	}
	fputs(p->md ? "\n" : "</p>\n</section>\n", p->f);
}

static void
payback(const struct page *p)
{
	const struct fc_months *m = p->d->timeline.months;

	section(p, "payback", "Payback timeline");
	chart(p, PC_TIMELINE, "Cumulative savings of switching to flat by month, median "
	    "with the P5-P95 band, and the payback month");
	para(p, 1);
	fputs("One-time costs, marked at month 0 of the chart: flat ", p->f);
	num(p, SRC_MONTHS, p->d->timeline.in.flat_one_time, K_MONEY, "one_time.flat");
	fputs(", API ", p->f);
	num(p, SRC_MONTHS, p->d->timeline.in.api_one_time, K_MONEY, "one_time.api");
	fputs(". Payback month: ", p->f);
	if (m->payback.n > 0) {
		fputs("P5 ", p->f);
		num(p, SRC_MONTHS, m->payback.p5, K_COUNT, "payback_month.p5");
		fputs(", median ", p->f);
		num(p, SRC_MONTHS, m->payback.p50, K_COUNT, "payback_month.p50");
		fputs(", P95 ", p->f);
		num(p, SRC_MONTHS, m->payback.p95, K_COUNT, "payback_month.p95");
		fputs(" (over the trials that pay back). ", p->f);
	} else {
		fputs("none within the horizon. ", p->f);
	}
	fprintf(p->f, "Cumulative savings after %ld months: median ", m->n);
	num(p, SRC_MONTHS, m->stat[m->n - 1][FC_MF_CUMULATIVE].p50, K_MONEY,
	    "months.%ld.%s.p50", m->n - 1, fc_month_keys[FC_MF_CUMULATIVE]);
	fputs(", P5 ", p->f);
	num(p, SRC_MONTHS, m->stat[m->n - 1][FC_MF_CUMULATIVE].p5, K_MONEY,
	    "months.%ld.%s.p5", m->n - 1, fc_month_keys[FC_MF_CUMULATIVE]);
	fputs(", P95 ", p->f);
	num(p, SRC_MONTHS, m->stat[m->n - 1][FC_MF_CUMULATIVE].p95, K_MONEY,
	    "months.%ld.%s.p95", m->n - 1, fc_month_keys[FC_MF_CUMULATIVE]);
	fputs(".", p->f);
	para(p, 0);
	section_end(p);
}

static void
cost(const struct page *p)
{
	static const char *const h[] = { "Users", "API, P50", "API, P5-P95", "Flat, P50",
		"Flat, P5-P95" };
	const struct fc_report_data *d = p->d;
	long ka = fc_figure_index("api.monthly_cost"), kf = fc_figure_index("flat.monthly_cost");
	long kb = fc_figure_index("breakeven_users");
	size_t i;

	section(p, "cost", "Monthly cost by users");
	chart(p, PC_COST, "Monthly cost of the API and flat architectures by user count, "
	    "medians with P5-P95 bands, and the lasting breakeven");
	para(p, 1);
	if (isfinite(d->now.breakeven.lasting)) {
		fputs("Flat stays cheaper from ", p->f);
		num(p, SRC_SIMULATE, d->now.breakeven.lasting, K_COUNT, "breakeven.lasting");
		fputs(" users at the means (the lasting breakeven); over the trials, P5 ", p->f);
		num(p, SRC_SIMULATE, d->now.stats[kb].p5, K_COUNT, "breakeven_users.p5");
		fputs(" to P95 ", p->f);
		num(p, SRC_SIMULATE, d->now.stats[kb].p95, K_COUNT, "breakeven_users.p95");
		fputs(" users, found in ", p->f);
		num(p, SRC_SIMULATE, d->now.p_breakeven_found, K_PCT, "p_breakeven_found");
		fputs(" of the searched trials.", p->f);
	} else {
		fputs("Flat is not cheaper for good at any user count searched.", p->f);
	}
	para(p, 0);
	head(p, h, 5);
	for (i = 0; i < d->npoints; i++) {
		const struct fc_stat *a = &d->pts[i].stats[ka], *f = &d->pts[i].stats[kf];
		row(p, 1);
		cell(p, 1, 1);
		num(p, SRC_SWEEP, d->x[i], K_COUNT, "points.%zu.value", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SWEEP, a->p50, K_MONEY, "points.%zu.api.monthly_cost.p50", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SWEEP, a->p5, K_MONEY, "points.%zu.api.monthly_cost.p5", i);
		fputs(" to ", p->f);
		num(p, SRC_SWEEP, a->p95, K_MONEY, "points.%zu.api.monthly_cost.p95", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SWEEP, f->p50, K_MONEY, "points.%zu.flat.monthly_cost.p50", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SWEEP, f->p5, K_MONEY, "points.%zu.flat.monthly_cost.p5", i);
		fputs(" to ", p->f);
		num(p, SRC_SWEEP, f->p95, K_MONEY, "points.%zu.flat.monthly_cost.p95", i);
		cell(p, 0, 1);
		row(p, 0);
	}
	table_end(p);
	section_end(p);
}

#define COMPARE_TOP 8

static void
compare(const struct page *p)
{
	static const char *const h[] = { "Rank", "Option", "Monthly cost, P50", "P5-P95",
		"Servers, P50", "Call latency P95", "Breakeven users" };
	const struct fc_report_data *d = p->d;
	size_t i, shown = 0;

	if (d->cmp == NULL)
		return;
	section(p, "compare", "Which deployment");
	chart(p, PC_COMPARE, "Monthly cost against P95 call latency of each viable server "
	    "option, with the Pareto front and the API");
	head(p, h, 7);
	for (i = 0; i < d->ncmp && shown < COMPARE_TOP; i++) {
		const struct fc_cmp_option *o = &d->cmp[p->order[i]];
		const char *fig = o->kind == FC_CMP_FLAT ? "flat" : o->kind == FC_CMP_API ? "api" :
		    "api_routed";
		if (!o->viable)
			continue;
		shown++;
		row(p, 1);
		cell(p, 1, 1);
		if (o->rank)
			num(p, SRC_COMPARE, (double)o->rank, K_COUNT, "options.%zu.rank", i);
		cell(p, 0, 1);
		cell(p, 1, 0);
		page_text(p, o->kind == FC_CMP_FLAT ? o->hw->id : o->kind == FC_CMP_API ? "API" :
		    "routed API");
		fputs(" ", p->f);
		page_text(p, o->ref);
		cell(p, 0, 0);
		cell(p, 1, 1);
		num(p, SRC_COMPARE, o->stats[FC_CMP_COST].p50, K_MONEY,
		    "options.%zu.%s.monthly_cost.p50", i, fig);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_COMPARE, o->stats[FC_CMP_COST].p5, K_MONEY,
		    "options.%zu.%s.monthly_cost.p5", i, fig);
		fputs(" to ", p->f);
		num(p, SRC_COMPARE, o->stats[FC_CMP_COST].p95, K_MONEY,
		    "options.%zu.%s.monthly_cost.p95", i, fig);
		cell(p, 0, 1);
		cell(p, 1, 1);
		if (o->kind == FC_CMP_FLAT)
			num(p, SRC_COMPARE, o->stats[FC_CMP_SERVERS].p50, K_COUNT,
			    "options.%zu.flat.servers.p50", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		if (o->kind == FC_CMP_FLAT)
			num(p, SRC_COMPARE, o->stats[FC_CMP_LATENCY].p95, K_SEC,
			    "options.%zu.capacity.call_latency_s.p95", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		if (o->kind == FC_CMP_FLAT)
			num(p, SRC_COMPARE, o->breakeven_users, K_COUNT,
			    "options.%zu.breakeven_users", i);
		cell(p, 0, 1);
		row(p, 0);
	}
	table_end(p);
	para(p, 1);
	fprintf(p->f, "Ranked by the median monthly cost; the top %d viable options of %zu "
	    "evaluated.", COMPARE_TOP, d->ncmp);
	para(p, 0);
	section_end(p);
}

static void
drivers(const struct page *p)
{
	static const char *const h[] = { "Input", "Share of variance", "Figure, input low",
		"Figure, input high", "Width once known" };
	const struct fc_report_data *d = p->d;
	const struct fc_sens *e = &d->sens;
	enum kind k = strcmp(d->sens_figure, "payback_month") == 0 ? K_NUM : K_MONEY;
	size_t i;

	if (!p->sensitivity || !d->have_sens)
		return;
	section(p, "drivers", "What drives it");
	chart(p, PC_TORNADO, "Tornado: the figure with each uncertain input near its P10 and P90");
	para(p, 1);
	fprintf(p->f, "Figure: %s. Today its P5-P95 width is ", d->sens_figure);
	num(p, SRC_SENS, e->width, e->on_ranks ? K_NUM : k, "value_of_information.width");
	if (e->best < e->ninputs) {
		fputs("; knowing ", p->f);
		page_text(p, fc_mc_inputs[d->sens_cols[e->best]].key);
		fputs(" exactly would narrow it to ", p->f);
		num(p, SRC_SENS, e->rows[e->best].width_known, e->on_ranks ? K_NUM : k,
		    "value_of_information.width_if_known");
		fputs(" (the value of information)", p->f);
	}
	fputs(".", p->f);
	para(p, 0);
	head(p, h, 5);
	for (i = 0; i < e->ninputs; i++) {
		const struct fc_sens_row *r = &e->rows[e->order[i]];
		row(p, 1);
		cell(p, 1, 0);
		page_text(p, fc_mc_inputs[d->sens_cols[e->order[i]]].key);
		cell(p, 0, 0);
		cell(p, 1, 1);
		num(p, SRC_SENS, r->share, K_PCT, "inputs.%zu.share", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SENS, r->low, k, "inputs.%zu.low", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SENS, r->high, k, "inputs.%zu.high", i);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SENS, r->width_known, e->on_ranks ? K_NUM : k,
		    "inputs.%zu.width_if_known", i);
		cell(p, 0, 1);
		row(p, 0);
	}
	table_end(p);
	section_end(p);
}

/* Latency users would see, the fleet by month, overflow. */
static void
service(const struct page *p)
{
	static const char *const h[] = { "Latency", "P50 over trials", "P5-P95" };
	static const char *const hm[] = { "Month", "Users, P50", "Servers, P50",
		"Servers, P5-P95" };
	const struct fc_report_data *d = p->d;
	const struct fc_months *m = d->timeline.months;
	long k, ko = fc_figure_index("flat.overflow_share");
	size_t i;

	section(p, "service", "What users would see");
	head(p, h, 3);
	for (k = 0; k < (long)fc_nfigures; k++) {
		const struct fc_stat *st = &d->now.stats[k];
		if (strncmp(fc_figures[k].key, "latency.", 8) != 0 ||
		    strstr(fc_figures[k].key, "slo") || !isfinite(st->p50))
			continue;
		row(p, 1);
		cell(p, 1, 0);
		page_text(p, fc_figures[k].key);
		cell(p, 0, 0);
		cell(p, 1, 1);
		num(p, SRC_SIMULATE, st->p50, K_SEC, "%s.p50", fc_figures[k].key);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_SIMULATE, st->p5, K_SEC, "%s.p5", fc_figures[k].key);
		fputs(" to ", p->f);
		num(p, SRC_SIMULATE, st->p95, K_SEC, "%s.p95", fc_figures[k].key);
		cell(p, 0, 1);
		row(p, 0);
	}
	table_end(p);
	if (ko >= 0) {
		para(p, 1);
		fputs("Calls that find every server busy and go to the API (overflow): ", p->f);
		num(p, SRC_SIMULATE, d->now.stats[ko].mean, K_PCT, "flat.overflow_share.mean");
		fputs(" on average, P95 ", p->f);
		num(p, SRC_SIMULATE, d->now.stats[ko].p95, K_PCT, "flat.overflow_share.p95");
		fputs(".", p->f);
		para(p, 0);
	}
	head(p, hm, 4);
	for (i = 0; i < (size_t)m->n; i++) {
		const struct fc_stat *sv = &m->stat[i][FC_MF_SERVERS];
		/* every month of the first year, then every sixth */
		if (i >= 12 && (i + 1) % 6 != 0 && i + 1 != (size_t)m->n)
			continue;
		row(p, 1);
		cell(p, 1, 1);
		fprintf(p->f, "%zu", i + 1);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_MONTHS, m->stat[i][FC_MF_USERS].p50, K_COUNT, "months.%zu.%s.p50", i,
		    fc_month_keys[FC_MF_USERS]);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_MONTHS, sv->p50, K_COUNT, "months.%zu.%s.p50", i, fc_month_keys[FC_MF_SERVERS]);
		cell(p, 0, 1);
		cell(p, 1, 1);
		num(p, SRC_MONTHS, sv->p5, K_COUNT, "months.%zu.%s.p5", i, fc_month_keys[FC_MF_SERVERS]);
		fputs(" to ", p->f);
		num(p, SRC_MONTHS, sv->p95, K_COUNT, "months.%zu.%s.p95", i, fc_month_keys[FC_MF_SERVERS]);
		cell(p, 0, 1);
		row(p, 0);
	}
	table_end(p);
	section_end(p);
}

static void
reproduce(const struct page *p)
{
	size_t i, n = json_array_size(p->warnings);
	int c;

	if (n) {
		para(p, 1);
		fputs(p->md ? "**Warnings**" : "<strong>Warnings</strong>", p->f);
		para(p, 0);
		fputs(p->md ? "" : "<ul class=\"warn\">\n", p->f);
		for (i = 0; i < n; i++) {
			fputs(p->md ? "- " : "<li>", p->f);
			page_text(p, json_string_value(json_object_get(json_array_get(p->warnings, i),
			    "message")));
			fputs(p->md ? "\n" : "</li>\n", p->f);
		}
		fputs(p->md ? "\n" : "</ul>\n", p->f);
	}
	para(p, 1);
	fprintf(p->f, "flatcost %s, seed %lu, %ld trials, inputs and data hash %s (FNV-1a of the "
	    "inputs as JSON). This page: ", FC_VERSION, p->d->now.seed, p->d->now.trials,
	    p->data_hash);
	fputs(p->md ? "`" : "<code>", p->f);
	page_text(p, p->command);
	fputs(p->md ? "`" : "</code>", p->f);
	para(p, 0);
	para(p, 1);
	fputs("Figures from (each number on this page is the same number in the command's "
	    "--format json):", p->f);
	para(p, 0);
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

int
page_write(const struct page *p)
{
	const char *name = p->s->name ? p->s->name : p->s->file;

	if (p->md) {
		fputs("# ", p->f);
		page_text(p, name);
		fputs(": the API or a flat fleet?\n\n", p->f);
	} else {
		fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
		    "<head>\n<meta charset=\"utf-8\"/>\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		    "<title>", p->f);
		page_text(p, name);
		fprintf(p->f, ": flatcost report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		    "<header>\n<h1>", css);
		page_text(p, name);
		fputs(": the API or a flat fleet?</h1>\n<p class=\"sub\">", p->f);
	}
	if (p->s->description)
		page_text(p, p->s->description);
	fprintf(p->f, p->md ? "\n" : "</p>\n</header>\n");
	decision(p);
	payback(p);
	cost(p);
	compare(p);
	drivers(p);
	service(p);
	section(p, "assumptions", "Assumptions");
	page_assumptions(p);
	reproduce(p);
	section_end(p);
	if (!p->md)
		fputs("</body>\n</html>\n", p->f);
	return ferror(p->f) ? -1 : 0;
}
