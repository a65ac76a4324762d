/*
 * sens_print.c: sensitivity's report, for people (table, Markdown) and
 * for programs (JSON, CSV): the inputs ranked by the share of the
 * figure's spread they explain, the method and the value of information.
 */
#include "sens_print.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sens_json.h"

/* A value of the figure for people; "none" for a null. */
void
sens_fmt_y(char *buf, size_t len, const struct fc_sens_target *f, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "none");
	else if (f->kind == FC_SENS_FIGURE)
		fmt_figure_value(buf, len, (size_t)f->fig, v);
	else
		fc_fmt_count(buf, len, v);
}

/* A width on the indices' scale: the figure's units, or a share of the
 * trials' ranks. */
static void
fmt_width(char *buf, size_t len, const struct sens_run *u, double v)
{
	if (u->m.e.on_ranks)
		snprintf(buf, len, "%.1f%% of ranks", 100 * v);
	else
		sens_fmt_y(buf, len, &u->m.f, v);
}

/* A share as a percent, one decimal, no "-0.0%"; "<0.1%" for a small
 * standard error. */
static void
fmt_pct1(char *buf, size_t len, double v, int is_se)
{
	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else if (is_se && v < 0.0005)
		snprintf(buf, len, "<0.1%%");
	else
		snprintf(buf, len, "%.1f%%", fabs(v) < 0.0005 ? 0.0 : 100 * v);
}

static int
is_share_unit(const char *unit)
{
	return strcmp(unit, "share") == 0;
}

/* An input's value with its unit: "35.0%", "1,200 users", "512 tokens/call". */
static void
fmt_input(char *buf, size_t len, size_t k, double v, int with_unit)
{
	const char *unit = fc_inputs_mc[k].unit;
	char num[64];

	if (is_share_unit(unit)) {
		snprintf(buf, len, "%.3g%%", 100 * v);
		return;
	}
	if (strcmp(unit, "users") == 0)
		fc_fmt_count(num, sizeof(num), v);
	else
		snprintf(num, sizeof(num), "%.4g", v);
	snprintf(buf, len, "%s%s%s", num, with_unit ? " " : "", with_unit ? unit : "");
}

/* "A to B UNIT": the input's P10 to P90. */
void
sens_fmt_range(char *buf, size_t len, size_t k, const struct fc_sens_row *row)
{
	char a[48], b[96];

	fmt_input(a, sizeof(a), k, row->x_p10, 0);
	fmt_input(b, sizeof(b), k, row->x_p90, 1);
	snprintf(buf, len, "%s to %s", a, b);
}

/* The sentences that say how each number was estimated (table and md). */
static void
method_text(FILE *f, const struct sens_run *u, int md)
{
	const struct fc_sens *e = &u->m.e;
	const char *br = md ? "\n" : "\n  ";

	fprintf(f, "%sShare: first-order Sobol index, binned conditional-mean estimator "
	    "(%zu equal-count bins on the input, a least-squares line in each, adjusted R^2);%s"
	    "SE: bootstrap over the trials (%zu resamples, seed %lu).%s", md ? "" : "  ",
	    e->bins, br, e->resamples, e->seed, br);
	fprintf(f, "Low / high: the figure's median over the trials whose input lies "
	    "between its P5 and P15 / P85 and P95.%sRank corr: Spearman.  "
	    "P5-P95 if known: the mean P5-P95 width within %zu equal-count bins on the input,%s"
	    "around a least-squares line in each.\n",
	    br, e->voi_bins, br);
	if (e->on_ranks)
		fprintf(f, "%s%zu of %zu trials (%.1f%%) have no %s (null): ranked above every "
		    "value, the shares, rank correlations and widths are those of the ranks (a width as a share of the trials).\n",
		    md ? "\n" : "  ", e->nnull, e->n, 100.0 * (double)e->nnull / (double)e->n,
		    u->m.f.key);
	if (u->m.f.kind == FC_SENS_PAYBACK)
		fprintf(f, "%sPayback month: the first month whose cumulative savings, net of "
		    "one-time costs, reach 0, searched over months 1 to %ld (--months); a trial "
		    "that does not pay back by then has no value (null).\n", md ? "\n" : "  ",
		    u->m.r.months ? u->m.r.months->n : 0L);
}

/* "Knowing X exactly narrows the P5-P95 width most: from A to B (-C%)." */
static void
voi_text(FILE *f, const struct sens_run *u)
{
	const struct fc_sens *e = &u->m.e;
	char a[64], b[64];

	fmt_width(a, sizeof(a), u, e->width);
	if (e->best >= e->ninputs) {
		fprintf(f, "P5-P95 width today: %s.\n", a);
		return;
	}
	fmt_width(b, sizeof(b), u, e->rows[e->best].width_known);
	fprintf(f, "Value of information: knowing %s exactly narrows the P5-P95 width most, "
	    "from %s to %s on average (%+.0f%%).\n", fc_inputs_mc[u->m.cols[e->best]].key, a, b,
	    e->width > 0 ? 100 * (e->rows[e->best].width_known / e->width - 1) : 0);
}

static void
title_text(FILE *f, const struct sens_run *u, const char *pre)
{
	char users[48], p5[48], p50[48], p95[48], used[80];

	fc_fmt_count(users, sizeof(users), u->m.r.in.users);
	sens_fmt_y(p5, sizeof(p5), &u->m.f, u->m.e.p5);
	sens_fmt_y(p50, sizeof(p50), &u->m.f, u->m.e.median);
	sens_fmt_y(p95, sizeof(p95), &u->m.f, u->m.e.p95);
	fprintf(f, "%s%s: what drives %s (%s), %s users, month %ld\n", pre,
	    u->s->name ? u->s->name : u->s->file, u->m.f.label, u->m.f.key, users, u->m.r.month);
	if ((long)u->m.e.n == u->m.r.trials)
		snprintf(used, sizeof(used), "%ld trials", u->m.r.trials);
	else
		snprintf(used, sizeof(used), "First %zu of %ld trials", u->m.e.n, u->m.r.trials);
	fprintf(f, "%s%s, seed %lu: P5 %s, P50 %s, P95 %s%s%s%s\n",
	    *pre ? "\n" : "", used, u->m.r.seed, p5, p50, p95,
	    u->m.f.unit[0] ? " (" : "", u->m.f.unit, u->m.f.unit[0] ? ")" : "");
}

static int
write_table(FILE *f, const struct sens_run *u)
{
	const struct fc_sens *e = &u->m.e;
	char range[200], lo[48], hi[48], wk[48], se[32], sh[32];
	size_t i;

	title_text(f, u, "");
	fprintf(f, "\n  %-36s %-36s %7s %6s %14s %14s %9s %16s\n", "Input", "Range (P10 to P90)",
	    "Share", "SE", "Low (P10)", "High (P90)", "Rank corr", "P5-P95 if known");
	for (i = 0; i < e->ninputs; i++) {
		size_t j = e->order[i], k = u->m.cols[j];
		const struct fc_sens_row *row = &e->rows[j];
		sens_fmt_range(range, sizeof(range), k, row);
		sens_fmt_y(lo, sizeof(lo), &u->m.f, row->low);
		sens_fmt_y(hi, sizeof(hi), &u->m.f, row->high);
		fmt_width(wk, sizeof(wk), u, row->width_known);
		fmt_pct1(se, sizeof(se), row->share_se, 1);
		fmt_pct1(sh, sizeof(sh), row->share, 0);
		fprintf(f, "  %-36s %-36s %7s %6s %14s %14s %9.2f %16s\n",
		    fc_inputs_mc[k].key, range, sh, se, lo, hi, row->rank_corr, wk);
	}
	fmt_pct1(se, sizeof(se), e->rest_se, 1);
	fmt_pct1(sh, sizeof(sh), e->rest, 0);
	fprintf(f, "  %-36s %-36s %7s %6s\n\n  ", FC_SENS_REST_KEY, "", sh, se);
	voi_text(f, u);
	fputc('\n', f);
	method_text(f, u, 0);
	return ferror(f) ? -1 : 0;
}

static int
write_md(FILE *f, const struct sens_run *u)
{
	const struct fc_sens *e = &u->m.e;
	char range[200], lo[48], hi[48], wk[48], se[32], sh[32];
	size_t i;

	title_text(f, u, "### ");
	fputs("\n| Input | Range (P10 to P90) | Share | SE | Low (P10) | High (P90) | "
	    "Rank corr | P5-P95 if known |\n|---|---|---:|---:|---:|---:|---:|---:|\n", f);
	for (i = 0; i < e->ninputs; i++) {
		size_t j = e->order[i], k = u->m.cols[j];
		const struct fc_sens_row *row = &e->rows[j];
		sens_fmt_range(range, sizeof(range), k, row);
		sens_fmt_y(lo, sizeof(lo), &u->m.f, row->low);
		sens_fmt_y(hi, sizeof(hi), &u->m.f, row->high);
		fmt_width(wk, sizeof(wk), u, row->width_known);
		fputs("| `", f);
		fc_md_text(f, fc_inputs_mc[k].key);
		fputs("` | ", f);
		fc_md_text(f, range);
		fmt_pct1(se, sizeof(se), row->share_se, 1);
		fmt_pct1(sh, sizeof(sh), row->share, 0);
		fprintf(f, " | %s | ", sh);
		fc_md_text(f, se);
		fputs(" | ", f);
		fc_md_text(f, lo);
		fputs(" | ", f);
		fc_md_text(f, hi);
		fprintf(f, " | %.2f | ", row->rank_corr);
		fc_md_text(f, wk);
		fputs(" |\n", f);
	}
	fmt_pct1(se, sizeof(se), e->rest_se, 1);
	fmt_pct1(sh, sizeof(sh), e->rest, 0);
	fprintf(f, "| %s | | %s | ", FC_SENS_REST_KEY, sh);
	fc_md_text(f, se);
	fputs(" | | | | |\n\n", f);
	voi_text(f, u);
	fputc('\n', f);
	method_text(f, u, 1);
	return ferror(f) ? -1 : 0;
}

static json_t *
sens_json(const struct sens_run *u)
{
	json_t *o = report_json_head(u->s, &u->m.r);

	fc_sens_mc_json_fill(o, &u->m);
	return o;
}

/* report_num_cell with -0 (a share of nothing) as 0. */
static void
csv_num(char *buf, size_t len, double v)
{
	report_num_cell(buf, len, v == 0 ? 0 : v);
}

static int
write_csv(FILE *f, const struct sens_run *u)
{
	static const char *const head[] = { "figure", "key", "unit", "share", "share_se",
	    "low", "high", "rank_corr", "p10", "p90", "width_if_known" };
	const struct fc_sens *e = &u->m.e;
	char num[8][40];
	const char *cells[11];
	size_t i, c;

	fc_csv_row(f, head, 11);
	for (i = 0; i <= e->ninputs; i++) {
		const struct fc_sens_row *r = i < e->ninputs ? &e->rows[e->order[i]] : NULL;
		double v[8] = { e->rest, e->rest_se, NAN, NAN, NAN, NAN, NAN, NAN };
		if (r) {
			double w[8] = { r->share, r->share_se, r->low, r->high, r->rank_corr,
			    r->x_p10, r->x_p90, r->width_known };
			memcpy(v, w, sizeof(v));
		}
		cells[0] = u->m.f.key;
		cells[1] = r ? fc_inputs_mc[u->m.cols[e->order[i]]].key : FC_SENS_REST_KEY;
		cells[2] = r ? fc_inputs_mc[u->m.cols[e->order[i]]].unit : "";
		for (c = 0; c < 8; c++) {
			csv_num(num[c], sizeof(num[c]), v[c]);
			cells[3 + c] = num[c];
		}
		fc_csv_row(f, cells, 11);
	}
	return ferror(f) ? -1 : 0;
}

int
sens_write_report(FILE *f, enum report_format fmt, const struct sens_run *u)
{
	switch (fmt) {
	case FMT_JSON:
		return fc_json_dump(f, sens_json(u));
	case FMT_CSV:
		return write_csv(f, u);
	case FMT_MD:
		return write_md(f, u);
	default:
		return write_table(f, u);
	}
}
