/*
 * report_months.c: `simulate --months N`: one compact row per month (users,
 * API, flat, servers, savings, cumulative savings net of one-time costs)
 * and the payback month, as table, json, csv or md; and the fleet's
 * sizing in words, which every report states.
 */
#include "report.h"

#include <math.h>
#include <string.h>

void
report_fleet_text(char *buf, size_t len, const struct fc_scenario *s)
{
	char n[32];

	if (s->flat.fixed_servers > 0) {
		fc_fmt_count(n, sizeof(n), (double)s->flat.fixed_servers);
		snprintf(buf, len, "fixed at %s (flat.fixed_servers)", n);
	} else if (s->flat.max_servers > 0) {
		fc_fmt_count(n, sizeof(n), (double)s->flat.max_servers);
		snprintf(buf, len, "sized to the load, at most %s (flat.max_servers)", n);
	} else {
		snprintf(buf, len, "sized to the load");
	}
}

/* Whole dollars with thousands separators: "$12,345", "-$1,200". */
static void
money0(char *buf, size_t len, double v)
{
	char c[30];

	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return;
	}
	fc_fmt_count(c, sizeof(c), fabs(v));
	snprintf(buf, len, "%s$%s", v < 0 && c[0] != '0' ? "-" : "", c);
}

/* Month m's figure k: its value at the means, or its mean over trials. */
static double
mval(const struct fc_mc_result *r, long m, int k)
{
	const struct fc_months *mo = r->months;

	return r->deterministic ? mo->det[m][k] : mo->stat[m][k].mean;
}

static void
headline(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r,
    const char *lead)
{
	char u[40], fl[64], a[40], b[40];

	fc_fmt_count(u, sizeof(u), mval(r, 0, FC_MF_USERS));
	fprintf(f, "%s%s: %s users in month 1, %ld months, %s\n", lead,
	    s->name ? s->name : s->file, u, r->months->n,
	    r->deterministic ? "deterministic (every input at its mean)" : "Monte Carlo");
	if (!r->deterministic)
		fprintf(f, "%ld trials, seed %lu; monthly figures are means\n", r->trials, r->seed);
	report_fleet_text(fl, sizeof(fl), s);
	money0(a, sizeof(a), r->in.flat_one_time);
	money0(b, sizeof(b), r->in.api_one_time);
	fprintf(f, "Fleet: %s\nOne-time costs: flat %s, API %s%s\n", fl, a, b,
	    r->deterministic ? "" : " (means)");
}

/* The payback sentence, after the table. */
static void
payback_text(FILE *f, const struct fc_mc_result *r)
{
	const struct fc_months *mo = r->months;

	if (r->deterministic) {
		if (isnan(mo->payback_month))
			fprintf(f, "Payback: none within %ld months (cumulative savings, net of "
			    "one-time costs, stay below 0)\n", mo->n);
		else
			fprintf(f, "Payback: month %.0f (cumulative savings, net of one-time "
			    "costs, reach 0)\n", mo->payback_month);
		return;
	}
	fprintf(f, "P(payback within %ld months) = %.1f%%\n", mo->n, 100 * mo->p_payback);
	if (mo->payback.n > 0)
		fprintf(f, "Payback month over the trials that pay back: P5 %.0f, P50 %.0f, "
		    "P95 %.0f\n", mo->payback.p5, mo->payback.p50, mo->payback.p95);
}

/* Month m's figures for people: counts for users and servers, whole
 * dollars for the rest (the table and Markdown rows). */
static void
month_cells(const struct fc_mc_result *r, long m, char c[FC_MF_N][40])
{
	int k;

	for (k = 0; k < FC_MF_N; k++)
		if (k == FC_MF_USERS || k == FC_MF_SERVERS)
			fc_fmt_count(c[k], 40, mval(r, m, k));
		else
			money0(c[k], 40, mval(r, m, k));
}

static void
write_table(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	long m;

	headline(f, s, r, "");
	fprintf(f, "\n%5s %11s %12s %12s %7s %12s %13s\n", "Month", "Users", "API", "Flat",
	    "Servers", "Savings", "Cumulative");
	for (m = 0; m < r->months->n; m++) {
		char c[FC_MF_N][40];
		month_cells(r, m, c);
		fprintf(f, "%5ld %11s %12s %12s %7s %12s %13s\n", m + 1, c[FC_MF_USERS],
		    c[FC_MF_API], c[FC_MF_FLAT], c[FC_MF_SERVERS], c[FC_MF_SAVINGS],
		    c[FC_MF_CUMULATIVE]);
	}
	fputc('\n', f);
	payback_text(f, r);
}

static void
write_md(FILE *f, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	long m;

	headline(f, s, r, "### ");
	fprintf(f, "\n| Month | Users | API | Flat | Servers | Savings | Cumulative |\n"
	    "|---:|---:|---:|---:|---:|---:|---:|\n");
	for (m = 0; m < r->months->n; m++) {
		char c[FC_MF_N][40];
		month_cells(r, m, c);
		fprintf(f, "| %ld | %s | %s | %s | %s | %s | %s |\n", m + 1, c[FC_MF_USERS],
		    c[FC_MF_API], c[FC_MF_FLAT], c[FC_MF_SERVERS], c[FC_MF_SAVINGS],
		    c[FC_MF_CUMULATIVE]);
	}
	fputc('\n', f);
	payback_text(f, r);
}

/* month, the figures (means in Monte Carlo), then in Monte Carlo the
 * cumulative savings' P5, P50 and P95. */
static void
write_csv(FILE *f, const struct fc_mc_result *r)
{
	const char *hdr[FC_MF_N + 4] = { "month" };
	char v[FC_MF_N + 4][40];
	const char *cells[FC_MF_N + 4];
	size_t n = FC_MF_N + 1 + (r->deterministic ? 0 : 3), i;
	long m;
	int k;

	for (k = 0; k < FC_MF_N; k++)
		hdr[k + 1] = fc_mc_month_keys[k];
	hdr[FC_MF_N + 1] = "cumulative.savings.p5";
	hdr[FC_MF_N + 2] = "cumulative.savings.p50";
	hdr[FC_MF_N + 3] = "cumulative.savings.p95";
	fc_csv_row(f, hdr, n);
	for (m = 0; m < r->months->n; m++) {
		const struct fc_stat *cs = &r->months->stat[m][FC_MF_CUMULATIVE];
		snprintf(v[0], sizeof(v[0]), "%ld", m + 1);
		for (k = 0; k < FC_MF_N; k++)
			snprintf(v[k + 1], sizeof(v[k + 1]), "%.10g", mval(r, m, k));
		snprintf(v[FC_MF_N + 1], sizeof(v[0]), "%.10g", cs->p5);
		snprintf(v[FC_MF_N + 2], sizeof(v[0]), "%.10g", cs->p50);
		snprintf(v[FC_MF_N + 3], sizeof(v[0]), "%.10g", cs->p95);
		for (i = 0; i < n; i++)
			cells[i] = v[i];
		fc_csv_row(f, cells, n);
	}
}

static json_t *
months_json(const struct fc_scenario *s, const struct fc_mc_result *r)
{
	const struct fc_months *mo = r->months;
	json_t *o = report_json_head(s, r), *a = json_array();
	long m;
	int k;

	json_object_set_new(o, "months_simulated", json_integer(mo->n));
	json_object_set_new(o, "fleet", json_string(fc_result_fleet_mode(s)));
	fc_json_set_dotted(o, "one_time.flat", fc_json_num(r->in.flat_one_time));
	fc_json_set_dotted(o, "one_time.api", fc_json_num(r->in.api_one_time));
	for (m = 0; m < mo->n; m++) {
		json_t *row = json_object();
		json_object_set_new(row, "month", json_integer(m + 1));
		for (k = 0; k < FC_MF_N; k++)
			fc_json_set_dotted(row, fc_mc_month_keys[k], r->deterministic ?
			    fc_json_num(mo->det[m][k]) : fc_json_stat(&mo->stat[m][k]));
		json_array_append_new(a, row);
	}
	json_object_set_new(o, "months", a);
	if (r->deterministic) {
		json_object_set_new(o, "payback_month", isnan(mo->payback_month) ? json_null() :
		    json_integer((json_int_t)mo->payback_month));
	} else {
		json_object_set_new(o, "payback_month", fc_json_stat(&mo->payback));
		json_object_set_new(o, "p_payback_within_months", fc_json_num(mo->p_payback));
	}
	json_object_set_new(o, "inputs", fc_result_json_inputs(s, r));
	return o;
}

int
report_months(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r)
{
	int rc = 0;

	if (r->months == NULL)
		return -1;
	switch (fmt) {
	case FMT_TABLE:
		write_table(f, s, r);
		break;
	case FMT_JSON:
		rc = fc_json_dump(f, months_json(s, r));
		break;
	case FMT_CSV:
		write_csv(f, r);
		break;
	case FMT_MD:
		write_md(f, s, r);
		break;
	}
	return ferror(f) ? -1 : rc;
}
