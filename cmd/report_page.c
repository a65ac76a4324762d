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
    "code{font-size:.85rem;overflow-wrap:anywhere}td:first-child{white-space:nowrap}\n"
    ".warn{color:#8a3b00}\n"
    "@media print{body{max-width:none;padding:0;font-size:11pt}"
    "section{break-before:page}section#decision{break-before:avoid}"
    "figure.chart,table{break-inside:avoid}.decision{background:none}}\n";

void
page_text(const struct page *p, const char *s)
{
	if (p->md) {
		fc_md_text(p->f, s);
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
fmt_kind(char *buf, size_t len, double v, enum page_kind k)
{
	char t[48];

	if (!isfinite(v)) {
		snprintf(buf, len, "none");
		return;
	}
	switch (k) {
	case K_MONEY:
		fc_fmt_count(t, sizeof(t), fabs(v));
		snprintf(buf, len, "%s$%s", v < 0 && floor(fabs(v) + 0.5) > 0 ? "-" : "", t);
		break;
	case K_PCT:
		/* a small share keeps two digits: 0.02%, not 0%; a tiny one <0.01% */
		if (v > 0 && v < 1e-4)
			snprintf(buf, len, "<0.01%%");
		else if (v != 0 && fabs(v) < 0.01)
			snprintf(buf, len, "%.2g%%", 100 * v);
		else
			snprintf(buf, len, "%.0f%%", 100 * v);
		break;
	case K_COUNT:
		fc_fmt_count(buf, len, v);
		break;
	case K_SEC:
		snprintf(buf, len, "%.1f s", v);
		break;
	default:
		snprintf(buf, len, "%.3g", v);
	}
}

void
page_num(const struct page *p, enum page_cmd src, double v, enum page_kind k, const char *key, ...)
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
	fc_json_real(real, sizeof(real), v);
	fprintf(p->f, "<span class=\"n\" data-src=\"%s\" data-key=\"", page_src_names[src]);
	page_text(p, path);
	fprintf(p->f, "\" data-v=\"%s\">", real);
	page_text(p, text);
	fputs("</span>", p->f);
}

void
page_section(const struct page *p, const char *id, const char *title)
{
	if (p->md)
		fprintf(p->f, "\n## %s\n\n", title);
	else
		fprintf(p->f, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
}

void
page_section_end(const struct page *p)
{
	if (!p->md)
		fputs("</section>\n", p->f);
}

void
page_para(const struct page *p, int open)
{
	if (p->md)
		fputs(open ? "" : "\n\n", p->f);
	else
		fputs(open ? "<p>" : "</p>\n", p->f);
}

void
page_chart(const struct page *p, enum page_chart c, const char *alt)
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
void
page_row(const struct page *p, int open)
{
	if (p->md)
		fputs(open ? "|" : "\n", p->f);
	else
		fputs(open ? "<tr>" : "</tr>\n", p->f);
}

void
page_cell(const struct page *p, int open, int right)
{
	if (p->md)
		fputs(open ? " " : " |", p->f);
	else
		fputs(open ? (right ? "<td class=\"r\">" : "<td>") : "</td>", p->f);
}

void
page_head(const struct page *p, const char *const *h, size_t n)
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

void
page_table_end(const struct page *p)
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
		fc_breakeven_viability_text(p->s, &d->now.breakeven.viability, why, sizeof(why));
		page_text(p, why);
		fputc(' ', p->f);
	}
	fc_fmt_count(t, sizeof(t), (double)d->timeline.trials);
	fprintf(p->f, "In %s trials, the switch pays back within %ld months in ", t, d->months);
	page_num(p, SRC_MONTHS, m->p_payback, K_PCT, "p_payback_within_months");
	fputs(" of them", p->f);
	if (m->payback.n > 0) {
		fputs(" (among those, the median payback month is ", p->f);
		page_num(p, SRC_MONTHS, m->payback.p50, K_COUNT, "payback_month.p50");
		fputs(")", p->f);
	}
	fputs(". Flat is cheaper this month in ", p->f);
	page_num(p, SRC_SIMULATE, d->now.p_flat_cheaper, K_PCT, "p_flat_cheaper");
	fputs(" of the trials; the median monthly saving is ", p->f);
	page_num(p, SRC_SIMULATE, d->now.stats[ks].p50, K_MONEY, "savings.monthly.p50");
	fputs(" (P5 ", p->f);
	page_num(p, SRC_SIMULATE, d->now.stats[ks].p5, K_MONEY, "savings.monthly.p5");
	fputs(", P95 ", p->f);
	page_num(p, SRC_SIMULATE, d->now.stats[ks].p95, K_MONEY, "savings.monthly.p95");
	fputs(").", p->f);
	if (d->verdict == FC_RV_LATER && isfinite(d->later_users)) {
		fputs(" That month the median user count is ", p->f);
		page_num(p, SRC_MONTHS, d->later_users, K_COUNT, "months.%ld.%s.p50",
		    d->later_month - 1, fc_mc_month_keys[FC_MF_USERS]);
		fputs(".", p->f);
	}
	if (isfinite(d->now.breakeven.lasting)) {
		fputs(" Flat is cheaper for good from ", p->f);
		page_num(p, SRC_SIMULATE, d->now.breakeven.lasting, K_COUNT, "breakeven.lasting");
		fputs(" users.", p->f);
	}
	if (d->driver >= 0) {
		size_t r = d->sens.order[0];
		fputs(" The assumption that drives it: ", p->f);
		page_text(p, fc_inputs_mc[d->driver].key);
		fputs(", ", p->f);
		page_num(p, SRC_SENS, d->driver_share, K_PCT, "inputs.0.share");
		fprintf(p->f, " of the variance of %s (from ", d->sens_figure);
		page_num(p, SRC_SENS, d->sens.rows[r].x_p10, K_NUM, "inputs.0.p10");
		fputs(" to ", p->f);
		page_num(p, SRC_SENS, d->sens.rows[r].x_p90, K_NUM, "inputs.0.p90");
		fputs(" ", p->f);
		page_text(p, fc_inputs_mc[d->driver].unit);
		fputs(", P10 to P90): measure it first.", p->f);
	} else {
		fputs(" No assumption is named: the trials give no spread to share among the "
		    "inputs (every input a constant, or fewer than 20 trials).", p->f);
	}
	fputs(p->md ? "\n" : "</p>\n</section>\n", p->f);
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
	page_payback(p);
	page_cost(p);
	page_compare(p);
	page_drivers(p);
	page_service(p);
	page_section(p, "assumptions", "Assumptions");
	page_assumptions(p);
	page_reproduce(p);
	page_section_end(p);
	if (!p->md)
		fputs("</body>\n</html>\n", p->f);
	return ferror(p->f) ? -1 : 0;
}
