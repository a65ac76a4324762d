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

#define MAX_SETS 64

struct progress {
	struct timespec start;
	int shown;
};

static double
elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A progress bar on stderr, shown only after the first second. */
static void
progress_cb(void *ctx, long done, long total)
{
	struct progress *p = ctx;
	double e = elapsed(&p->start);
	int w = 40, i, fill;

	if (e < 1 && done < total)
		return;
	if (!p->shown && done >= total)
		return;
	fill = total > 0 ? (int)((double)w * (double)done / (double)total) : w;
	fprintf(stderr, "\r  [");
	for (i = 0; i < w; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr, "] %ld/%ld trials, %.1fs", done, total, e);
	if (done >= total)
		fputs("\r\033[K", stderr);
	p->shown = 1;
	fflush(stderr);
}

/* Loads the catalog and the scenario with its overrides; prints diagnostics. */
int
load_scenario(const char *path, const char *const *sets, size_t nsets,
    struct fc_catalog **cat, struct fc_scenario **s)
{
	struct fc_diags d;
	enum fc_status st;
	char text[8192] = "";
	size_t i;

	for (i = 0; i < nsets; i++) {
		strncat(text, sets[i], sizeof(text) - strlen(text) - 2);
		strcat(text, "\n");
	}
	if (nsets)
		cli_add_source("--set", text);
	fc_diags_init(&d);
	*s = NULL;
	st = fc_catalog_load(cli_data_dir(), cat, &d);
	if (st == FC_OK)
		st = fc_scenario_load(path, *cat, sets, nsets, s, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st == FC_EIO)
		return EXIT_RUNTIME;   /* a file that exists could not be read */
	if (st != FC_OK)
		return EXIT_USAGE;
	return EXIT_OK;
}

static const char *const usage_opts =
    "options: --users N --trials N --seed N --threads N --months N --deterministic --des\n"
    "         --set KEY=VALUE --format table|json|csv|md -o FILE";

int
cmd_simulate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "des", no_argument, NULL, 'D' },
		{ "deterministic", no_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "months", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 'S' },
		{ "set", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "trials", required_argument, NULL, 'n' },
		{ "users", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sets[MAX_SETS], *out_path = NULL, *plot_path = NULL;
	size_t nsets = 0;
	int ch, fmt = FMT_TABLE, rc, deterministic = 0, des = 0;
	long trials = -1, seed = -1, threads = 0, months = -1;
	double users = NAN;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	struct cli_out out;
	struct progress prog;
	enum fc_status st;
	long m, m0;

	(void)usage_opts;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "dDhf:j:m:n:o:P:S:s:u:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			deterministic = 1;
			break;
		case 'D':
			des = 1;
			break;
		case 'f':
			if ((fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error("simulate",
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h': {
			char h0[] = "help", h1[] = "simulate";
			char *hv[] = { h0, h1, NULL };
			return cmd_help(2, hv);
		}
		case 'j':
			if (arg_long("simulate", "--threads", optarg, 1, 1024, &threads))
				return EXIT_USAGE;
			break;
		case 'm':
			if (arg_long("simulate", "--months", optarg, 1, FC_MAX_SCHEDULE, &months))
				return EXIT_USAGE;
			break;
		case 'n':
			if (arg_long("simulate", "--trials", optarg, 1, 10000000, &trials))
				return EXIT_USAGE;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'P':
			if ((rc = plot_check("simulate", optarg)) != EXIT_OK)
				return rc;
			plot_path = optarg;
			break;
		case 'S':
			if (arg_long("simulate", "--seed", optarg, 0, 0x7fffffffffffffffL, &seed))
				return EXIT_USAGE;
			break;
		case 's':
			if (nsets == MAX_SETS)
				return cli_usage_error("simulate", "at most %d --set options", MAX_SETS);
			sets[nsets++] = optarg;
			break;
		case 'u':
			if (arg_double("simulate", "--users", optarg, 0, 1e10, &users))
				return EXIT_USAGE;
			if (users != floor(users))
				return cli_usage_error("simulate", "--users: expected a whole number, got '%s'", optarg);
			break;
		default:
			return cli_usage_error("simulate", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("simulate", "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error("simulate", "unexpected argument '%s'", argv[optind + 1]);
	if ((rc = load_scenario(argv[optind], sets, nsets, &cat, &s)) != EXIT_OK) {
		fc_catalog_free(cat);
		return rc;
	}
	memset(&o, 0, sizeof(o));
	o.trials = trials > 0 ? trials : s->trials;
	o.seed = (unsigned long)(seed >= 0 ? seed : s->seed);
	o.threads = threads > 0 ? (int)threads : cli_ncpus();
	o.users = users;
	o.deterministic = deterministic;
	o.cancel = &cli_interrupted;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.shown = 0;
	if (cli_progress_enabled()) {
		o.progress = progress_cb;
		o.progress_ctx = &prog;
	}
	if ((rc = out_open(&out, out_path)) != EXIT_OK)
		goto done;
	/* --months N reports each month 1..N; without it, the scenario's month */
	m0 = months > 0 ? 1 : (s->months > 0 ? s->months : 1);
	if (months < 0)
		months = m0;
	for (m = m0; m <= months; m++) {
		o.month = m;
		st = fc_mc_run(s, &o, &r);
		if (st != FC_OK) {
			if (cli_interrupted) {
				cli_err("interrupted");
				rc = EXIT_SIGINT;
			} else if (st == FC_ENOMEM) {
				rc = cli_oom();
			} else {
				cli_err("%s: cannot simulate: %s", s->file, fc_strstatus(st));
				rc = EXIT_RUNTIME;
			}
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
