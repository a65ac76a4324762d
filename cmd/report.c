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
#include "report_int.h"

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

size_t
report_fig(const char *key)
{
	long k = fc_figure_index(key);

	return k < 0 ? 0 : (size_t)k;
}

/* The value to show for a figure: deterministic value, or the mean. */
double
report_val(const struct fc_mc_result *r, const char *key)
{
	size_t k = report_fig(key);

	return r->deterministic ? fc_figure_get(&r->det, k) : r->stats[k].mean;
}

void
report_fmt_fig(char *buf, size_t len, const char *key, double v)
{
	const struct fc_figure *f = &fc_figures[report_fig(key)];

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
void
report_breakeven_trials_text(FILE *f, const struct fc_mc_result *r, const char *pre)
{
	char a[32], b[32], c[32];

	if (r->deterministic || r->breakeven_trials < 1)
		return;
	if (r->breakeven_stat.n < 1) {
		fprintf(f, "%sacross the %ld trials: none is cheaper for good\n", pre,
		    r->breakeven_trials);
		return;
	}
	fc_fmt_count(a, sizeof(a), r->breakeven_stat.p5);
	fc_fmt_count(b, sizeof(b), r->breakeven_stat.p50);
	fc_fmt_count(c, sizeof(c), r->breakeven_stat.p95);
	fprintf(f, "%sacross the %ld trials (%.0f cheaper for good):\n"
	    "%s  P5 %s, P50 %s, P95 %s users\n", pre, r->breakeven_trials,
	    r->breakeven_stat.n, pre, a, b, c);
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
			report_fmt_fig(a, sizeof(a), fc_figures[k].key, fc_figure_get(&r->det, k));
			fprintf(f, "| %s | %s |\n", fc_figures[k].label, a);
		}
	} else {
		fprintf(f, "| Figure | Mean | P5 | P50 | P95 | P99 |\n|---|---:|---:|---:|---:|---:|\n");
		for (k = 0; k < fc_nfigures; k++) {
			const struct fc_stat *st = &r->stats[k];
			char c[40], d[40], e[40];
			if (!fc_figure_applies(s, k))
				continue;
			report_fmt_fig(a, sizeof(a), fc_figures[k].key, st->mean);
			report_fmt_fig(b, sizeof(b), fc_figures[k].key, st->p5);
			report_fmt_fig(c, sizeof(c), fc_figures[k].key, st->p50);
			report_fmt_fig(d, sizeof(d), fc_figures[k].key, st->p95);
			report_fmt_fig(e, sizeof(e), fc_figures[k].key, st->p99);
			fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", fc_figures[k].label,
			    a, b, c, d, e);
		}
		fprintf(f, "\nP(flat cheaper): %.1f%%\n", 100 * r->p_flat_cheaper);
	}
	fprintf(f, "\n");
	report_breakeven_text(f, s, &r->breakeven, "");
	report_breakeven_trials_text(f, r, "");
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
		report_write_table(f, s, r);
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
