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

struct progress {
	struct timespec start;
	int shown;
};

/* A progress bar on stderr, shown only after the first second. */
static void
progress_cb(void *ctx, long done, long total)
{
	struct progress *p = ctx;
	double e = cli_elapsed(&p->start);
	int w = CLI_BAR_WIDTH;

	if (e < 1 && done < total)
		return;
	if (!p->shown && done >= total)
		return;
	cli_progress_bar(total > 0 ? (int)((double)w * (double)done / (double)total) : w);
	fprintf(stderr, " %ld/%ld trials, %.1fs", done, total, e);
	if (done >= total)
		fputs("\r\033[K", stderr);
	p->shown = 1;
	fflush(stderr);
}

static const char *const usage_opts =
    "options: --users N --trials N --seed N --threads N --months N --deterministic --des\n"
    "         --set KEY=VALUE --format table|json|csv|md -o FILE";

enum {
	OPT_DES = CLI_OPT_OWN, OPT_FORMAT, OPT_MONTHS, OPT_PLOT, OPT_USERS, OPT_CURRENCY,
};

int
cmd_simulate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "currency", required_argument, NULL, OPT_CURRENCY },
		{ "des", no_argument, NULL, OPT_DES },
		{ "deterministic", no_argument, NULL, CLI_OPT_DETERMINISTIC },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "months", required_argument, NULL, OPT_MONTHS },
		{ "no-user-data", no_argument, NULL, CLI_OPT_NO_USER_DATA },
		{ "output", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "seed", required_argument, NULL, CLI_OPT_SEED },
		{ "set", required_argument, NULL, CLI_OPT_SET },
		{ "strict-data", no_argument, NULL, CLI_OPT_STRICT_DATA },
		{ "threads", required_argument, NULL, CLI_OPT_THREADS },
		{ "trials", required_argument, NULL, CLI_OPT_TRIALS },
		{ "users", required_argument, NULL, OPT_USERS },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = NULL, *plot_path = NULL;
	int ch, fmt = FMT_TABLE, rc, des = 0, eur = 0;
	long months = -1;
	double users = NAN;
	struct cli_mc_args mc;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	struct cli_out out;
	struct progress prog;
	enum fc_status st;
	long m, m0;

	(void)usage_opts;
	cli_mc_init(&mc);
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_DES:
			des = 1;
			break;
		case OPT_CURRENCY:
			if (strcmp(optarg, "USD") && strcmp(optarg, "EUR"))
				return cli_usage_error("simulate", "--currency: expected USD or EUR, got '%s'", optarg);
			eur = strcmp(optarg, "EUR") == 0;
			break;
		case OPT_FORMAT:
			if ((fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error("simulate",
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help("simulate");
		case OPT_MONTHS:
			if (arg_long("simulate", "--months", optarg, 1, FC_MAX_SCHEDULE, &months))
				return EXIT_USAGE;
			break;
		case 'o':
			out_path = optarg;
			break;
		case OPT_PLOT:
			if ((rc = plot_check("simulate", optarg)) != EXIT_OK)
				return rc;
			plot_path = optarg;
			break;
		case OPT_USERS:
			if (arg_double("simulate", "--users", optarg, 0, 1e10, &users))
				return EXIT_USAGE;
			if (users != floor(users))
				return cli_usage_error("simulate", "--users: expected a whole number, got '%s'", optarg);
			break;
		default:
			if ((rc = cli_mc_opt("simulate", &mc, ch, optarg)) == CLI_NOT_MINE)
				return cli_bad_option("simulate", ch, argv);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return cli_usage_error("simulate", "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error("simulate", "unexpected argument '%s'", argv[optind + 1]);
	if ((rc = load_scenario(argv[optind], mc.sets, mc.nsets, &cat, &s)) != EXIT_OK) {
		fc_catalog_free(cat);
		return rc;
	}
	cli_mc_fill(&mc, s, &o);
	o.users = users;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.shown = 0;
	if (cli_progress_enabled()) {
		o.progress = progress_cb;
		o.progress_ctx = &prog;
	}
	if (eur)
		report_currency_eur(s);
	if ((rc = out_open(&out, out_path)) != EXIT_OK)
		goto done;
	/* --months N reports each month 1..N; without it, the scenario's month */
	m0 = months > 0 ? 1 : (s->months > 0 ? s->months : 1);
	if (months < 0)
		months = m0;
	for (m = m0; m <= months; m++) {
		o.month = m;
		st = fc_mc_run(s, &o, &r);
		if (st == FC_OK)
			report_currency_apply(&r);
		if (st != FC_OK) {
			rc = cli_mc_failed(s->file, st);
			out_abort(&out);
			fc_mc_result_free(&r);
			goto done;
		}
		if (m > m0 && fmt == FMT_TABLE)
			fputs("\n", out.f);
		if (plot_path && m == months &&
		    (rc = plot_histogram(plot_path, NULL, s, &r)) != EXIT_OK) {
			fc_mc_result_free(&r);
			out_abort(&out);
			goto done;
		}
		if (des) {
			struct fc_des_report dr;
			st = fc_fleet_des_report(s, &r.in, &r.tp, o.seed, &dr);
			if (st != FC_OK) {
				fc_mc_result_free(&r);
				cli_err("%s: discrete-event simulation failed: %s", s->file,
				    fc_strstatus(st));
				out_abort(&out);
				rc = st == FC_ENOMEM ? EXIT_RUNTIME : EXIT_RUNTIME;
				goto done;
			}
			r.des = &dr;
			rc = report_write_seq(out.f, (enum report_format)fmt, s, &r,
			    (int)(m - m0), (int)(months - m0 + 1));
			r.des = NULL;
		} else {
			rc = report_write_seq(out.f, (enum report_format)fmt, s, &r,
			    (int)(m - m0), (int)(months - m0 + 1));
		}
		if (rc != 0) {
			fc_mc_result_free(&r);
			rc = out_fail(&out);
			goto done;
		}
		fc_mc_result_free(&r);
	}
	rc = out_commit(&out);
done:
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}
