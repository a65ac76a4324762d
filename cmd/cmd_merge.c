/*
 * cmd_merge.c: `flatcost merge PART...`: joins the parts of a sharded
 * sweep (flatcost sweep --shard K/N, sweep_part.c) into the report the
 * whole run writes, byte for byte.  The parts are read, checked and
 * freed one at a time by model/study_merge.c; this file loads the
 * scenario, checks its data and prints.
 *
 * The parts must make one complete run: the same scenario text (by its
 * hash), resolved inputs, version, options and shard count, every shard
 * once, and every point and combination of each shard.  The breakeven
 * across the sweep is found here from what the parts hold: along the
 * users, the exact search over the whole axis that a shard ran for each
 * combination (combination c in shard c mod N + 1: the search the whole
 * run makes at the combination's first point, covering the user counts
 * between grid points that no shard owns), with its trials' lasting
 * breakevens; along another axis, the crossings between the points and
 * each trial's.
 *
 * The scenario is reloaded from the text stored in the parts, in memory
 * and named by its original path (so that relative hardware profile
 * paths resolve from that path's folder, whatever that file holds now),
 * with the run's --set options: for the report's inputs, and to check
 * that it resolves to the inputs the shards had.
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
#include "scenario.h"
#include "sweep.h"

static const char *const usage_cmd = "merge";

/* The parts and the run they make (model/study.h, fc_study_merge). */
struct merge {
	struct fc_study_merge sm;
};

/* Prints the merge's errors (each names its part) and maps st to the
 * exit status. */
static int
said(struct fc_diags *d, enum fc_status st)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].loc.file == NULL)
			cli_err("%s", d->v[i].msg);
		else if (d->v[i].loc.line == 0)   /* a part that is not there */
			fprintf(stderr, "%s: error: %s\n", d->v[i].loc.file, d->v[i].msg);
		else   /* a list of the run's --vary, as the part stores it */
			fprintf(stderr, "%s:%d:%d: error: %s\n", d->v[i].loc.file,
			    d->v[i].loc.line, d->v[i].loc.col, d->v[i].msg);
	if (d->oom)
		st = FC_ENOMEM;
	fc_diags_free(d);
	return cli_failed(st);
}

/* The scenario from the parts' text, named as its original path. */
static int
load_base(struct merge *m, struct fc_catalog **cat, struct fc_scenario **s)
{
	const struct fc_study_ident *id = &m->sm.id0;

	return load_scenario_text(id->file, id->text, id->len, m->sm.sets, m->sm.nsets, cat, s);
}

/* The scenario resolves here to the inputs it had in the shards: the
 * same prices, hardware and models from the data files. */
static int
check_data(struct merge *m, struct fc_catalog **cat, const struct fc_scenario *s)
{
	char h[32];
	int rc;

	if ((rc = sweep_check_combs(m->sm.id0.file, m->sm.id0.text, m->sm.id0.len, m->sm.sets,
	    m->sm.nsets, &m->sm.g, s, cat, h, sizeof(h))) != EXIT_OK)
		return rc;
	if (strcmp(h, m->sm.id0.data_hash) != 0) {
		cli_err("%s: its scenario resolves here to other inputs than in the shards (other "
		    "data files: %s here, %s there): merge where the shards ran, or with their data "
		    "(FLATCOST_DATA)", m->sm.paths[0], h, m->sm.id0.data_hash);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The points from the parts, one at a time, then the breakeven, then
 * the report. */
static int
merge_run(struct merge *m, const struct sweep_out *out)
{
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_study_run r;
	struct fc_diags d;
	enum fc_status st = FC_OK;
	unsigned char *done = NULL;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = load_base(m, &cat, &s)) != EXIT_OK || (rc = check_data(m, &cat, s)) != EXIT_OK)
		goto done;
	rc = EXIT_USAGE;
	if (out->plot_path && out->chart == CHART_SHARE && !(fc_num_mean(&s->revenue_per_user) > 0)) {
		cli_usage_error(usage_cmd, "--chart share needs revenue_per_user > 0 in %s", s->file);
		goto done;
	}
	if (fc_study_run_alloc(&r, s, &m->sm.g, 1) != 0 ||
	    (done = fc_calloc(m->sm.g.npoints, 1)) == NULL) {
		rc = cli_oom();
		goto done;
	}
	r.trials = m->sm.deterministic ? 0 : m->sm.trials;
	if (fc_study_run_diff(&r) != 0) {
		rc = cli_oom();
		goto done;
	}
	fc_diags_init(&d);
	for (i = 0; i < m->sm.nparts && st == FC_OK; i++)
		st = fc_study_merge_part(&m->sm, i, &r, done, &d);
	if (st == FC_OK)
		st = fc_study_merge_finish(&m->sm, &r, &d);
	if ((rc = said(&d, st)) != EXIT_OK)
		goto done;
	rc = sweep_output(&r, out);
done:
	fc_study_run_free(&r);
	fc_free(done);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}

enum { OPT_CHART = CLI_OPT_OWN, OPT_FORMAT, OPT_PLOT, OPT_PLOT_SCRIPT, OPT_SUBTITLE, OPT_TITLE,
	OPT_Y_SCALE };

const struct cli_opt cli_merge_opts[] = {
	CLI_OPT("format", OPT_FORMAT, "table|json|csv|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_OPT("plot", OPT_PLOT, "FILE.png|svg|pdf", "also draw a chart (--chart)"),
	CLI_OPT("plot-script", OPT_PLOT_SCRIPT, "DIR", "also write the chart's gnuplot script and data to DIR"),
	CLI_OPT("chart", OPT_CHART, "cost|per-user|servers|share", "which chart --plot draws"),
	CLI_OPT("title", OPT_TITLE, "TEXT", "the chart's title"),
	CLI_OPT("subtitle", OPT_SUBTITLE, "TEXT", "the chart's second line"),
	CLI_OPT("y-scale", OPT_Y_SCALE, "linear|log", "the chart's value axis"),
	CLI_OPTS_END,
};

static int
parse_merge_args(int argc, char **argv, struct sweep_out *o)
{
	struct cli_getopt g;
	int ch;

	memset(o, 0, sizeof(*o));
	o->chart = -1;
	o->fmt = FMT_TABLE;
	cli_getopt_init(&g, cli_merge_opts, argc, argv);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_CHART:
			if ((o->chart = plot_chart_parse(optarg)) < 0 || o->chart == CHART_HISTOGRAM)
				return cli_usage_error(usage_cmd, "--chart: expected cost, per-user, "
				    "servers or share, got '%s'", optarg);
			break;
		case OPT_FORMAT:
			if ((o->fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error(usage_cmd,
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help(usage_cmd) == EXIT_OK ? -1 : EXIT_USAGE;
		case 'o':
			o->out_path = optarg;
			break;
		case OPT_PLOT:
			o->plot_path = optarg;
			break;
		case OPT_PLOT_SCRIPT:
			if (*optarg == '\0' || strpbrk(optarg, "\n\r") != NULL)
				return cli_usage_error(usage_cmd, "--plot-script: expected a directory");
			o->script_dir = optarg;
			break;
		case OPT_SUBTITLE:
			plot_style.subtitle = optarg;
			break;
		case OPT_TITLE:
			plot_style.title = optarg;
			break;
		case OPT_Y_SCALE:
			if (plot_yscale_parse(usage_cmd, optarg, &plot_style.y_scale) != EXIT_OK)
				return EXIT_USAGE;
			break;
		default:
			return cli_bad_option(usage_cmd, ch, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage_cmd, "no part given (flatcost sweep --shard K/N -o PART "
		    "writes them)");
	if ((o->chart >= 0 || o->script_dir) && o->plot_path == NULL)
		return cli_usage_error(usage_cmd, "%s needs --plot FILE", o->chart >= 0 ? "--chart" :
		    "--plot-script");
	if (o->chart < 0)
		o->chart = CHART_COST;
	return EXIT_OK;
}

/* No output may replace a part or another output. */
static int
claim_files(char **paths, size_t nparts, const struct sweep_out *o)
{
	size_t i;
	int rc = EXIT_OK;

	for (i = 0; i < nparts && rc == EXIT_OK; i++)
		rc = cli_io_input(paths[i]);
	if (rc == EXIT_OK)
		rc = cli_io_output(o->out_path);
	if (rc == EXIT_OK && o->plot_path)
		rc = plot_claim(o->plot_path, o->script_dir);
	return rc;
}

int
cmd_merge(int argc, char **argv)
{
	struct sweep_out out;
	struct merge m;
	struct fc_diags d;
	size_t nparts;
	int rc;

	if ((rc = parse_merge_args(argc, argv, &out)) != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	memset(&m, 0, sizeof(m));
	nparts = (size_t)(argc - optind);
	fc_diags_init(&d);
	if ((rc = claim_files(argv + optind, nparts, &out)) == EXIT_OK)
		rc = said(&d, fc_study_merge_open(&m.sm, (const char *const *)(argv + optind), nparts,
		    &d));
	else
		fc_diags_free(&d);
	if (rc == EXIT_OK) {
		/* the currency and the data flags of the run, so that its
		 * warnings, its JSON data and its figures are the whole run's */
		out.eur = m.sm.eur;
		cli_data_flags.no_user_data = m.sm.no_user_data;
		cli_data_flags.strict = m.sm.strict_data;
		if (out.plot_path && m.sm.g.grid)
			rc = cli_usage_error(usage_cmd, "--plot charts one axis; this grid has %zu%s",
			    m.sm.g.naxes, m.sm.g.naxes == 1 ? " (a list)" : "");
		else if (out.plot_path)
			rc = plot_check(usage_cmd, out.plot_path);
		if (rc == EXIT_OK)
			rc = merge_run(&m, &out);
	}
	fc_study_merge_free(&m.sm);
	return rc;
}
