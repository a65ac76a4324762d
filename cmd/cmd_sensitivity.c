/*
 * cmd_sensitivity.c: `flatcost sensitivity SCENARIO`: which uncertain
 * input drives a figure's spread.  One Monte Carlo run keeps each trial's
 * inputs beside its figures (keep_draws); model/sensitivity.c estimates
 * from them every input's share of the variance, the tornado, the rank
 * correlation and the value of knowing the input; this file picks the
 * figure, renders table, JSON, CSV or Markdown, and the tornado chart.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "mc.h"
#include "plot.h"
#include "report.h"
#include "sens_json.h"
#include "scenario.h"
#include "sensmc.h"

#define CMD "sensitivity"
#define RESAMPLES 200                 /* bootstrap resamples for the standard errors */
#define DEFAULT_FIGURE "api.monthly_cost"

enum { OPT_FIGURE = CLI_OPT_OWN, OPT_FORMAT, OPT_MONTHS, OPT_PLOT, OPT_USERS };

const struct cli_opt cli_sensitivity_opts[] = {
	CLI_OPT("figure", OPT_FIGURE, "KEY", "the figure whose spread is explained"),
	CLI_OPT("users", OPT_USERS, "N", "users, instead of the scenario's"),
	CLI_MC(CLI_MC_TRIALS | CLI_MC_SEED),
	CLI_OPT("months", OPT_MONTHS, "N", "the month simulated, or payback_month's horizon"),
	CLI_MC(CLI_MC_THREADS | CLI_MC_SET),
	CLI_OPT("format", OPT_FORMAT, "table|json|csv|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_OPT("plot", OPT_PLOT, "FILE.png|svg|pdf", "also draw the tornado chart"),
	CLI_MC(CLI_MC_DATA),
	CLI_OPTS_END,
};

/* payback_month: the months searched for it by default (--months) */
#define DEFAULT_PAYBACK_MONTHS 36

struct run {
	const struct fc_scenario *s;
	struct fc_sens_mc m;    /* the run, the figure, its inputs, the estimates */
};

/* Checks --figure before any work: a key of fc_figures[], breakeven_users
 * or payback_month. */
static int
figure_check(const char *key)
{
	if (fc_sensmc_known(key))
		return EXIT_OK;
	return cli_usage_error(CMD, "--figure: unknown figure '%s'; expected a figure key "
	    "of simulate's JSON, such as api.monthly_cost, flat.monthly_cost, "
	    "savings.monthly, per_user.flat or breakeven_users", key);
}

/* A value of the figure for people; "none" for a null. */
static void
fmt_y(char *buf, size_t len, const struct fc_sens_target *f, double v)
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
fmt_width(char *buf, size_t len, const struct run *u, double v)
{
	if (u->m.e.on_ranks)
		snprintf(buf, len, "%.1f%% of ranks", 100 * v);
	else
		fmt_y(buf, len, &u->m.f, v);
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
static void
fmt_range(char *buf, size_t len, size_t k, const struct fc_sens_row *row)
{
	char a[48], b[96];

	fmt_input(a, sizeof(a), k, row->x_p10, 0);
	fmt_input(b, sizeof(b), k, row->x_p90, 1);
	snprintf(buf, len, "%s to %s", a, b);
}

/* The sentences that say how each number was estimated (table and md). */
static void
method_text(FILE *f, const struct run *u, int md)
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
	if (u->m.f.kind == FC_SENS_BREAKEVEN)
		fprintf(f, "%sThe breakeven is searched in the first %zu trials only: "
		    "these estimates use those trials.\n", md ? "\n" : "  ", u->m.f.n);
}

/* "Knowing X exactly narrows the P5-P95 width most: from A to B (-C%)." */
static void
voi_text(FILE *f, const struct run *u)
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
title_text(FILE *f, const struct run *u, const char *pre)
{
	char users[48], p5[48], p50[48], p95[48], used[80];

	fc_fmt_count(users, sizeof(users), u->m.r.in.users);
	fmt_y(p5, sizeof(p5), &u->m.f, u->m.e.p5);
	fmt_y(p50, sizeof(p50), &u->m.f, u->m.e.median);
	fmt_y(p95, sizeof(p95), &u->m.f, u->m.e.p95);
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
write_table(FILE *f, const struct run *u)
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
		fmt_range(range, sizeof(range), k, row);
		fmt_y(lo, sizeof(lo), &u->m.f, row->low);
		fmt_y(hi, sizeof(hi), &u->m.f, row->high);
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
write_md(FILE *f, const struct run *u)
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
		fmt_range(range, sizeof(range), k, row);
		fmt_y(lo, sizeof(lo), &u->m.f, row->low);
		fmt_y(hi, sizeof(hi), &u->m.f, row->high);
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
sens_json(const struct run *u)
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
write_csv(FILE *f, const struct run *u)
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

static int
write_report(FILE *f, enum report_format fmt, const struct run *u)
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

static int
write_plot(const char *path, const struct run *u, struct plot_out *po)
{
	struct fc_chart_bar bars[64];
	char labels[64][280], title[300], sub[300], xlabel[200], range[200], med[48], base[100];
	struct fc_chart_tornado t;
	size_t i;

	for (i = 0; i < u->m.e.ninputs && i < 64; i++) {
		size_t j = u->m.e.order[i], k = u->m.cols[j];
		fmt_range(range, sizeof(range), k, &u->m.e.rows[j]);
		snprintf(labels[i], sizeof(labels[i]), "%s\n%s", fc_inputs_mc[k].key, range);
		bars[i].label = labels[i];
		bars[i].low = u->m.e.rows[j].low;
		bars[i].high = u->m.e.rows[j].high;
		bars[i].share = u->m.e.rows[j].share;
	}
	snprintf(title, sizeof(title), "%s: what drives %s", u->s->name ? u->s->name :
	    u->s->file, u->m.f.label);
	fc_fmt_count(med, sizeof(med), (double)u->m.e.n);
	snprintf(sub, sizeof(sub), "Median with each input near its P10 and its P90 (%s trials, "
	    "seed %lu)", med, u->m.r.seed);
	fmt_y(med, sizeof(med), &u->m.f, u->m.e.median);
	snprintf(base, sizeof(base), "median over all trials: %s", med);
	snprintf(xlabel, sizeof(xlabel), "%s (%s%s%s)", u->m.f.label, u->m.f.key,
	    u->m.f.unit[0] ? ", " : "", u->m.f.unit);
	memset(&t, 0, sizeof(t));
	t.title = title;
	t.subtitle = sub;
	t.xlabel = xlabel;
	t.money = strcmp(u->m.f.unit, "USD/month") == 0;
	t.baseline = u->m.e.median;
	t.baseline_label = base;
	t.n = i;
	t.bars = bars;
	return plot_tornado(path, &t, po);
}

/* Runs the trials and the estimators; prints why it could not. */
static int
analyse(struct run *u, struct fc_mc_opts *o, const char *figure)
{
	struct fc_sens_opts so = { 0, RESAMPLES, 0 };
	enum fc_sens_mc_why why;
	enum fc_status st;

	so.seed = o->seed;
	st = fc_sensmc_run(u->s, o, figure, &so, &u->m, &why);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st == FC_EDOM && why == FC_SENS_MC_NO_INPUT) {
		cli_err("%s: no uncertain input: every number is a constant (write one as a "
		    "distribution, e.g. --set 'workload.output_tokens=300 to 700')", u->s->file);
		return EXIT_USAGE;
	}
	if (st == FC_EDOM && why == FC_SENS_MC_FEW_TRIALS) {
		cli_err("%s: %s needs at least %d trials, got %zu", u->s->file, CMD,
		    FC_SENS_MIN_TRIALS, u->m.f.n);
		return EXIT_USAGE;
	}
	if (st == FC_EDOM && why == FC_SENS_MC_NO_SPREAD) {
		cli_err("%s: %s has %s in every trial: no spread to share out among the inputs",
		    u->s->file, u->m.f.key, u->m.e.nnull ? "no value" : "the same value");
		return EXIT_USAGE;
	}
	if (st == FC_EINVAL) {
		cli_err("internal error: the trials' inputs were not kept");
		return EXIT_RUNTIME;
	}
	if (st != FC_OK)
		return cli_mc_failed(u->s->file, st);
	return EXIT_OK;
}

int
cmd_sensitivity(int argc, char **argv)
{
	struct cli_getopt g;
	const char *out_path = NULL, *plot_path = NULL, *figure = DEFAULT_FIGURE;
	int ch, fmt = FMT_TABLE, rc;
	long months = 0;
	double users = NAN;
	struct cli_mc_args mc;
	struct cli_trials_progress prog;
	struct plot_out po;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_mc_opts o;
	struct cli_out out;
	struct run u;

	memset(&po, 0, sizeof(po));
	cli_mc_init(&mc);
	cli_getopt_init(&g, cli_sensitivity_opts, argc, argv);
	cli_getopt_mc(&g, CMD, &mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_FIGURE:
			if ((rc = figure_check(optarg)) != EXIT_OK)
				return rc;
			figure = optarg;
			break;
		case OPT_FORMAT:
			if ((fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error(CMD,
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help(CMD);
		case OPT_MONTHS:
			if (arg_long(CMD, "--months", optarg, 1, FC_MAX_SCHEDULE, &months))
				return EXIT_USAGE;
			break;
		case 'o':
			out_path = optarg;
			break;
		case OPT_PLOT:
			if ((rc = plot_check(CMD, optarg)) != EXIT_OK)
				return rc;
			plot_path = optarg;
			break;
		case OPT_USERS:
			if (arg_double(CMD, "--users", optarg, 0, 1e10, &users))
				return EXIT_USAGE;
			if (users != floor(users))
				return cli_usage_error(CMD, "--users: expected a whole number, got '%s'", optarg);
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind + 1]);
	{
		const char *in[] = { argv[optind] }, *outs[] = { out_path, plot_path };
		if ((rc = cli_io_claim(in, 1, outs, 2)) != EXIT_OK)
			return rc;
	}
	if (months > 0 && strcmp(figure, "payback_month") != 0)
		return cli_usage_error(CMD, "--months is the horizon of --figure payback_month");
	if (strcmp(figure, "payback_month") == 0 && months == 0)
		months = DEFAULT_PAYBACK_MONTHS;
	if ((rc = load_scenario(argv[optind], mc.sets, mc.nsets, &cat, &s)) != EXIT_OK) {
		fc_catalog_free(cat);
		return rc;
	}
	memset(&u, 0, sizeof(u));
	u.s = s;
	cli_mc_fill(&mc, s, &o);
	o.users = users;
	o.months = months;
	if (months > 0 && (rc = cli_data_check_horizon(s, months)) != EXIT_OK)
		goto done;
	cli_trials_progress_init(&prog, &o);
	if ((rc = analyse(&u, &o, figure)) != EXIT_OK)
		goto done;
	/* as simulate: the chart is drawn first, so that nothing reaches stdout
	 * when gnuplot fails, and renamed into place after the report */
	if ((rc = out_open(&out, out_path)) != EXIT_OK)
		goto done;
	if (plot_path && (rc = write_plot(plot_path, &u, &po)) != EXIT_OK) {
		out_abort(&out);
		goto done;
	}
	rc = write_report(out.f, (enum report_format)fmt, &u) != 0 ? out_fail(&out) :
	    out_commit(&out);
	if (rc == EXIT_OK)
		rc = plot_commit(&po);
done:
	plot_abort(&po);
	fc_sensmc_free(&u.m);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}
