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
#include "sens_print.h"
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

static int
write_plot(const char *path, const struct sens_run *u, struct plot_out *po)
{
	struct fc_chart_bar bars[64];
	char labels[64][280], title[300], sub[300], xlabel[200], range[200], med[48], base[100];
	struct fc_chart_tornado t;
	size_t i;

	for (i = 0; i < u->m.e.ninputs && i < 64; i++) {
		size_t j = u->m.e.order[i], k = u->m.cols[j];
		sens_fmt_range(range, sizeof(range), k, &u->m.e.rows[j]);
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
	sens_fmt_y(med, sizeof(med), &u->m.f, u->m.e.median);
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
analyse(struct sens_run *u, struct fc_mc_opts *o, const char *figure)
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
	struct sens_run u;

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
	rc = sens_write_report(out.f, (enum report_format)fmt, &u) != 0 ? out_fail(&out) :
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
