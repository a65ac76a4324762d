/*
 * cmd_simulate.c: `flatcost simulate SCENARIO`: both architectures' monthly
 * cost, deterministic or Monte Carlo.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data.h"
#include "mc.h"
#include "plot.h"
#include "report.h"
#include "scenario.h"

/* The resource limits (flatcost(1), RESOURCE LIMITS): the samples' memory,
 * and --des, which simulates every call of the day at the means; and
 * --months, which starts at month 1 and goes without --plot and --des. */
static int
check_limits(const struct fc_scenario *s, struct fc_mc_opts *o, int des)
{
	struct fc_inputs in;
	double calls;
	char c[32], u[32], lim[32];

	if (o->months > 0 && des)
		return cli_usage_error("simulate", "--months prints a row per month, and --des "
		    "shows one month: run it without --months");
	if (o->months > 0)
		o->month = 1;
	if (cli_mc_check_memory("simulate", o, 1, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (!des)
		return EXIT_OK;
	fc_inputs_mean(s, o->month, &in);
	if (!isnan(o->users))
		in.users = o->users;
	calls = in.users * in.rpud * in.chaining;
	if (calls <= FC_DES_MAX_CALLS_PER_DAY)
		return EXIT_OK;
	fc_fmt_count(c, sizeof(c), calls);
	fc_fmt_count(u, sizeof(u), in.users);
	fc_fmt_count(lim, sizeof(lim), FC_DES_MAX_CALLS_PER_DAY);
	return cli_usage_error("simulate", "--des simulates every call of a day: %s calls "
	    "at %s users, over the limit of %s calls a day; check the sizing at "
	    "fewer users", c, u, lim);
}

/* --months N: months 1..N of each trial, one row a month, and the payback. */
static int
run_months(const struct fc_scenario *s, const struct fc_mc_opts *o, int fmt,
    const char *plot_path, struct cli_out *out)
{
	struct fc_mc_result r;
	struct plot_out po;
	enum fc_status st;
	int rc;

	memset(&po, 0, sizeof(po));
	if ((st = fc_mc_run(s, o, &r)) != FC_OK) {
		rc = cli_mc_failed(s->file, st);
		out_abort(out);
		fc_mc_result_free(&r);
		return rc;
	}
	/* the payback timeline, drawn first and renamed after the report */
	if (plot_path && (rc = plot_timeline(plot_path, s, &r, &po)) != EXIT_OK) {
		fc_mc_result_free(&r);
		out_abort(out);
		return rc;
	}
	rc = report_months(out->f, (enum report_format)fmt, s, &r);
	fc_mc_result_free(&r);
	if (rc != 0) {
		plot_abort(&po);
		return out_fail(out);
	}
	if ((rc = out_commit(out)) == EXIT_OK)
		rc = plot_commit(&po);
	plot_abort(&po);
	return rc;
}

enum {
	OPT_DES = CLI_OPT_OWN, OPT_FORMAT, OPT_MONTHS, OPT_PLOT, OPT_USERS, OPT_CURRENCY,
	OPT_SUBTITLE, OPT_TITLE, OPT_Y_SCALE,
};

struct sim_args {
	const char *out_path, *plot_path;
	int fmt, des, eur;
	long months;         /* --months, -1 without */
	double users;        /* --users, NaN without */
	struct cli_mc_args mc;
};

const struct cli_opt cli_simulate_opts[] = {
	CLI_OPT("users", OPT_USERS, "N", "users in every month, instead of the scenario's"),
	CLI_MC(CLI_MC_RUN),
	CLI_OPT("months", OPT_MONTHS, "N", "simulate months 1 to N, one report a month"),
	CLI_MC(CLI_MC_DETERMINISTIC),
	CLI_OPT("des", OPT_DES, NULL, "check the queueing model with an event simulation"),
	CLI_MC(CLI_MC_SET),
	CLI_OPT("plot", OPT_PLOT, "FILE.png|svg|pdf", "also draw the monthly cost's histogram"),
	CLI_OPT("title", OPT_TITLE, "TEXT", "the chart's title"),
	CLI_OPT("subtitle", OPT_SUBTITLE, "TEXT", "the chart's second line"),
	CLI_OPT("y-scale", OPT_Y_SCALE, "linear|log", "the chart's value axis"),
	CLI_OPT("format", OPT_FORMAT, "table|json|csv|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_OPT("currency", OPT_CURRENCY, "USD|EUR", "report money in EUR at the hardware's dated rate"),
	CLI_MC(CLI_MC_DATA | CLI_MC_ALLOW_FREE_HW),
	CLI_OPTS_END,
};

/* simulate's options and arguments into a (argv[optind] is the scenario);
 * -1 to go on, else the exit status to return. */
static int
parse_args(int argc, char **argv, struct sim_args *a)
{
	struct cli_getopt g;
	int ch, rc;

	memset(a, 0, sizeof(*a));
	a->fmt = FMT_TABLE;
	a->months = -1;
	a->users = NAN;
	cli_mc_init(&a->mc);
	cli_data_flags.free_hw = 1;    /* a price of 0 is refused */
	cli_getopt_init(&g, cli_simulate_opts, argc, argv);
	cli_getopt_mc(&g, "simulate", &a->mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_DES:
			a->des = 1;
			break;
		case OPT_CURRENCY:
			if (strcmp(optarg, "USD") && strcmp(optarg, "EUR"))
				return cli_usage_error("simulate", "--currency: expected USD or EUR, got '%s'", optarg);
			a->eur = strcmp(optarg, "EUR") == 0;
			break;
		case OPT_FORMAT:
			if ((a->fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error("simulate",
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help("simulate");
		case OPT_MONTHS:
			if (arg_long("simulate", "--months", optarg, 1, FC_MAX_SCHEDULE, &a->months))
				return EXIT_USAGE;
			break;
		case 'o':
			a->out_path = optarg;
			break;
		case OPT_PLOT:
			if ((rc = plot_check("simulate", optarg)) != EXIT_OK)
				return rc;
			a->plot_path = optarg;
			break;
		case OPT_SUBTITLE:
			plot_style.subtitle = optarg;
			break;
		case OPT_TITLE:
			plot_style.title = optarg;
			break;
		case OPT_Y_SCALE:
			if (plot_yscale_parse("simulate", optarg, &plot_style.y_scale) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case OPT_USERS:
			if (arg_double("simulate", "--users", optarg, 0, 1e10, &a->users))
				return EXIT_USAGE;
			if (a->users != floor(a->users))
				return cli_usage_error("simulate", "--users: expected a whole number, got '%s'", optarg);
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (a->eur && a->months > 0)
		return cli_usage_error("simulate", "--currency EUR converts one month's figures; "
		    "run --months in USD");
	if (optind >= argc)
		return cli_usage_error("simulate", "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error("simulate", "unexpected argument '%s'", argv[optind + 1]);
	return -1;
}

/* One month's report (o->month) into out, with its chart (plot_path) on
 * the last (m == last) and the DES check with des; the exit status (out
 * aborted or failed on error). */
static int
run_month(const struct fc_scenario *s, const struct fc_mc_opts *o, const struct sim_args *a,
    long m, long m0, long last, struct cli_out *out, struct plot_out *po)
{
	struct fc_mc_result r;
	enum fc_status st;
	int rc;

	st = fc_mc_run(s, o, &r);
	if (st == FC_OK)
		report_currency_apply(&r);
	if (st != FC_OK) {
		rc = cli_mc_failed(s->file, st);
		out_abort(out);
		fc_mc_result_free(&r);
		return rc;
	}
	if (m == last && !r.deterministic)
		cli_route_warning(s, r.stats[fc_figure_index("api_routed.shares_clipped")].mean);
	if (m > m0 && a->fmt == FMT_TABLE)
		fputs("\n", out->f);
	/* the chart is drawn now (the trials are freed below) and
	 * renamed into place after the report */
	if (a->plot_path && m == last &&
	    (rc = plot_histogram(a->plot_path, NULL, s, &r, po)) != EXIT_OK) {
		fc_mc_result_free(&r);
		out_abort(out);
		return rc;
	}
	if (a->des) {
		struct fc_des_report dr;
		st = fc_fleet_des_report(s, &r.in, &r.tp, o->seed, &dr);
		if (st != FC_OK) {
			fc_mc_result_free(&r);
			cli_err("%s: discrete-event simulation failed: %s", s->file,
			    fc_strstatus(st));
			out_abort(out);
			return cli_exit_status(st);
		}
		r.des = &dr;
		rc = report_write_seq(out->f, (enum report_format)a->fmt, s, &r,
		    (int)(m - m0), (int)(last - m0 + 1));
		r.des = NULL;
	} else {
		rc = report_write_seq(out->f, (enum report_format)a->fmt, s, &r,
		    (int)(m - m0), (int)(last - m0 + 1));
	}
	fc_mc_result_free(&r);
	if (rc != 0)
		return out_fail(out);
	return EXIT_OK;
}

int
cmd_simulate(int argc, char **argv)
{
	struct sim_args a;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_mc_opts o;
	struct cli_out out;
	struct cli_trials_progress prog;
	struct plot_out po;
	long m, m0, months;
	int rc;

	memset(&po, 0, sizeof(po));
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	{
		const char *in[] = { argv[optind] }, *outs[] = { a.out_path, a.plot_path };
		if ((rc = cli_io_claim(in, 1, outs, 2)) != EXIT_OK)
			return rc;
	}
	if ((rc = load_scenario(argv[optind], a.mc.sets, a.mc.nsets, &cat, &s)) != EXIT_OK) {
		fc_catalog_free(cat);
		return rc;
	}
	cli_mc_fill(&a.mc, s, &o);
	o.users = a.users;
	o.months = a.months > 0 ? a.months : 0;
	if ((rc = check_limits(s, &o, a.des)) != EXIT_OK)
		goto done;
	if (a.months > 0 && (rc = cli_data_check_horizon(s, a.months)) != EXIT_OK)
		goto done;
	cli_trials_progress_init(&prog, &o);
	if (a.eur)
		report_currency_eur(s);
	if ((rc = out_open(&out, a.out_path)) != EXIT_OK)
		goto done;
	if (a.months > 0) {
		rc = run_months(s, &o, a.fmt, a.plot_path, &out);
		goto done;
	}
	/* the scenario's month (simulation.months) */
	m0 = s->months > 0 ? s->months : 1;
	months = m0;
	for (m = m0; m <= months; m++) {
		o.month = m;
		if ((rc = run_month(s, &o, &a, m, m0, months, &out, &po)) != EXIT_OK)
			goto done;
	}
	if ((rc = out_commit(&out)) == EXIT_OK)
		rc = plot_commit(&po);
done:
	plot_abort(&po);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}
