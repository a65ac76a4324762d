/*
 * check_junit.c: `flatcost check --junit`: JUnit XML as Jenkins, GitLab
 * and the GitHub test-report actions read it.
 */
#include "cli.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "cost.h"
#include "report.h"

static void
xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': case '\t': fputc(ch, f); break;
		default:
			/* XML 1.0 has no other control characters */
			fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
		}
	}
}

/* The failure's body: what a reader needs without the YAML at hand. */
static void
junit_failure_body(FILE *f, const struct row *w)
{
	const struct fc_budget *bg = w->bg;
	char v[48];

	fputs("scenario: ", f);
	xml_text(f, check_label(w->it));
	fputs(" (", f);
	xml_text(f, w->it->path);
	fprintf(f, ")\nfigure: %s", fc_figures[bg->figure].key);
	if (fc_figures[bg->figure].unit[0])
		fprintf(f, " (%s)", fc_figures[bg->figure].unit);
	fprintf(f, "\npercentile: %s\n", fc_budget_stat_names[bg->stat]);
	if (bg->increase) {
		fputs("base: ", f);
		xml_text(f, w->it->base_path ? w->it->base_path : "?");
		fmt_figure_value(v, sizeof(v), bg->figure, w->ch.base);
		fprintf(f, "\nbase value: %.10g (%s)\n", w->ch.base, v);
		fmt_figure_value(v, sizeof(v), bg->figure, w->ch.cand);
		fprintf(f, "candidate value: %.10g (%s)\n", w->ch.cand, v);
		check_fmt_change(v, sizeof(v), bg->figure, w->ch.change);
		fprintf(f, "change: %+.10g (%s), ", w->ch.change, v);
		check_fmt_pct(v, sizeof(v), w->ch.pct);
		fprintf(f, "%s\n", v);
		check_fmt_inc_limit(v, sizeof(v), w);
		fprintf(f, "limit: %s; it fails when the increase is above it\n", v);
	} else {
		fmt_figure_value(v, sizeof(v), bg->figure, w->value);
		fprintf(f, "value: %.10g (%s)\n", w->value, v);
		fmt_figure_value(v, sizeof(v), bg->figure, w->limit);
		fprintf(f, "limit: %.10g (%s); it fails when the value is above it\n",
		    w->limit, v);
	}
	fputs("budget: ", f);
	xml_text(f, bg->loc.file ? bg->loc.file : "?");
	fprintf(f, ":%d:%d\n", bg->loc.line, bg->loc.col);
}

static void
junit_case(FILE *f, const struct row *w)
{
	char msg[600];

	fputs("    <testcase classname=\"", f);
	xml_text(f, w->it->path);
	fprintf(f, "\" name=\"%s%s@%s\" file=\"", w->bg->increase ? "increase:" : "",
	    fc_figures[w->bg->figure].key, fc_budget_stat_names[w->bg->stat]);
	xml_text(f, w->bg->loc.file ? w->bg->loc.file : w->it->path);
	fprintf(f, "\" line=\"%d\">\n", w->bg->loc.line);
	check_verdict(msg, sizeof(msg), w);
	if (w->skipped) {
		fputs("      <skipped message=\"", f);
		xml_text(f, msg);
		fputs("\"/>\n", f);
	} else if (w->level == FC_BUDGET_FAIL) {
		fputs("      <failure type=\"budget\" message=\"", f);
		xml_text(f, msg);
		fputs("\">", f);
		junit_failure_body(f, w);
		fputs("</failure>\n", f);
	} else {
		fputs("      <system-out>", f);
		xml_text(f, w->level == FC_BUDGET_WARN ? "warning: " : "");
		xml_text(f, msg);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

/* JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it:
 * one testcase per budget, classname the scenario, name FIGURE@PERCENTILE
 * (increase:FIGURE@PERCENTILE for an increase budget); a scenario without
 * a budget, or an increase budget without a base, is a skipped testcase. */
void
check_write_junit(FILE *f, const struct check *c)
{
	size_t i, j, tests = c->nrows + c->nobudget, skipped = c->nobudget + c->nskipped;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"flatcost check\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\" skipped=\"%zu\">\n", tests, c->n[FC_BUDGET_FAIL], skipped);
	fprintf(f, "  <testsuite name=\"flatcost\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\" skipped=\"%zu\">\n", tests, c->n[FC_BUDGET_FAIL], skipped);
	fprintf(f, "    <properties>\n"
	    "      <property name=\"flatcost_version\" value=\"%s\"/>\n"
	    "      <property name=\"mode\" value=\"%s\"/>\n", FC_VERSION,
	    c->deterministic ? "deterministic" : "monte-carlo");
	if (c->base) {
		fputs("      <property name=\"base\" value=\"", f);
		xml_text(f, c->base);
		fputs("\"/>\n", f);
	}
	fprintf(f, "    </properties>\n");
	for (i = 0; i < c->nitems; i++) {
		const struct item *it = &c->items[i];
		const struct fc_budgets *b = check_budgets_of(c, it);

		if (b == NULL || b->n == 0) {
			fputs("    <testcase classname=\"", f);
			xml_text(f, it->path);
			fputs("\" name=\"budget\" file=\"", f);
			xml_text(f, it->path);
			fputs("\">\n      <skipped message=\"no budget\"/>\n    </testcase>\n", f);
			continue;
		}
		for (j = 0; j < c->nrows; j++)
			if (c->rows[j].it == it)
				junit_case(f, &c->rows[j]);
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}
