/*
 * cmd_sweep.c: `flatcost sweep SCENARIO`: both architectures' monthly cost
 * along a range of user counts, or of any number of the scenario, or over
 * a grid of several (sweep.h), with the breakeven across the range, its
 * spread over the trials, and charts.
 *
 * Every point runs the same trials.  fc_mc_run seeds trial i's inputs and
 * traffic from (seed, i) alone, so one seed for all points gives common
 * random numbers: the curves are smooth, neighbouring points compare
 * fairly, and a trial's costs along the sweep form that trial's own curve.
 * A trial's breakeven is where its flat cost first drops to its API cost;
 * the P5-P95 of those crossings is the band of the breakeven.
 *
 * The same seeding makes a point's result independent of the process
 * that computes it: --shard K/N runs every N-th point and writes a part
 * (sweep_part.c) that `flatcost merge` joins into the whole run's report.
 */
#include "cli.h"

#include <errno.h>
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
#include "sweep.h"

#define CHECKPOINT_S 2.0   /* a part is saved at most this often while it runs, s */

static const char *const usage_cmd = "sweep";

/* What one sweep command runs. */
struct job {
	const char *path;              /* the scenario */
	const char *const *sets;       /* --set */
	size_t nsets;
	const struct fc_study_grid *g;
	struct fc_catalog **cat;
	struct fc_mc_opts *o;
	struct sweep_progress *prog;
	const struct fc_study_ident *id;  /* sharded: the part's identity; else NULL */
	const char *part_path;         /* sharded: where the part goes (NULL: stdout at the end) */
	unsigned char *done;           /* npoints: computed (or read back by --resume) */
	struct timespec saved;         /* when the part was last saved */
	const struct fc_study_run *r;  /* the run, for the part saved */
};

/* Says why point p could not be simulated; the exit status. */
static int
point_failed(const struct job *j, size_t p, enum fc_status st)
{
	char v[SWEEP_MAX_LABEL], at[SWEEP_MAX_AXES * (SWEEP_MAX_LABEL + 130)] = "";
	size_t k;

	if (cli_interrupted) {
		if (j->prog->shown)
			fputs("\r\033[K", stderr);
		cli_err("interrupted");
		return EXIT_SIGINT;
	}
	if (st == FC_ENOMEM)
		return cli_oom();
	for (k = 0; k < j->g->naxes; k++) {
		const struct fc_study_axis *a = j->g->ax[k];
		size_t x = fc_study_index(j->g, p, k);
		if (a->users)
			fc_fmt_count(v, sizeof(v), a->x[x]);
		else if (j->g->grid)
			fc_study_value_text(v, sizeof(v), a, x);
		else
			snprintf(v, sizeof(v), "%.6g", a->x[x]);
		snprintf(at + strlen(at), sizeof(at) - strlen(at), "%s%s=%s", k ? ", " : "",
		    a->key, v);
	}
	cli_err("%s: cannot simulate at %s: %s", j->path, at, fc_strstatus(st));
	return EXIT_RUNTIME;
}

/* Combination c's scenario (model/study.h's hooks). */
static int
hook_load(void *ctx, size_t c, struct fc_scenario **s)
{
	struct job *j = ctx;

	return sweep_load_comb(j->path, NULL, 0, j->sets, j->nsets, j->g, c, j->cat, s);
}

/* Says why a point or a breakeven search failed; the exit status. */
static int
hook_failed(void *ctx, int breakeven, size_t i, enum fc_status st)
{
	const struct job *j = ctx;

	return breakeven ? cli_mc_failed(j->path, st) : point_failed(j, i, st);
}

/* Progress, and the part saved every CHECKPOINT_S seconds so that a
 * killed run resumes where it was. */
static int
hook_step(void *ctx, int breakeven, size_t i)
{
	struct job *j = ctx;

	(void)i;
	if ((breakeven || j->o->deterministic) && j->o->progress)
		j->o->progress(j->prog, 1, 1);
	j->prog->step++;
	if (j->id == NULL || j->part_path == NULL || cli_elapsed(&j->saved) < CHECKPOINT_S)
		return EXIT_OK;
	clock_gettime(CLOCK_MONOTONIC, &j->saved);
	return sweep_part_write(j->part_path, j->id, j->r, j->done);
}

enum {
	OPT_CHART = CLI_OPT_OWN, OPT_FORMAT, OPT_LINEAR, OPT_LOG, OPT_PLOT, OPT_PLOT_SCRIPT,
	OPT_RESUME, OPT_SHARD, OPT_USERS, OPT_VARY, OPT_CURRENCY, OPT_SUBTITLE, OPT_TITLE,
	OPT_Y_SCALE,
};

const struct cli_opt cli_sweep_opts[] = {
	CLI_OPTF("users", OPT_USERS, "N|FROM:TO[:STEPS]", "the users: one number, or a range of points", 0),
	CLI_OPTF("vary", OPT_VARY, "KEY=FROM:TO:STEPS", "vary a scenario key over a range, or [A, B, ...]; "
	    "several make a grid", CLI_OF_REPEAT),
	CLI_OPT("linear", OPT_LINEAR, NULL, "space the points evenly"),
	CLI_OPTF("log", OPT_LOG, NULL, "space the points by ratio (the default for users)", CLI_OF_OR),
	CLI_MC(CLI_MC_RUN | CLI_MC_DETERMINISTIC | CLI_MC_SET),
	CLI_OPT("format", OPT_FORMAT, "table|json|csv|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_OPT("plot", OPT_PLOT, "FILE.png|svg|pdf", "also draw a chart (--chart)"),
	CLI_OPT("plot-script", OPT_PLOT_SCRIPT, "DIR", "also write the chart's gnuplot script and data to DIR"),
	CLI_OPT("chart", OPT_CHART, "cost|per-user|servers|share", "which chart --plot draws"),
	CLI_OPT("title", OPT_TITLE, "TEXT", "the chart's title"),
	CLI_OPT("subtitle", OPT_SUBTITLE, "TEXT", "the chart's second line"),
	CLI_OPT("y-scale", OPT_Y_SCALE, "linear|log", "the chart's value axis"),
	CLI_OPT("shard", OPT_SHARD, "K/N", "run the K-th of N parts of the points, for merge"),
	CLI_OPTF("resume", OPT_RESUME, NULL, "go on from the part's last checkpoint", CLI_OF_NEST),
	CLI_OPT("currency", OPT_CURRENCY, "USD|EUR", "report money in EUR at the hardware's dated rate"),
	CLI_MC(CLI_MC_DATA | CLI_MC_ALLOW_FREE_HW),
	CLI_OPTS_END,
};

/* The options of cmd_sweep, as given. */
struct args {
	struct cli_mc_args mc;
	struct sweep_out out;
	const char *users, *vary[SWEEP_MAX_VARY + 1];
	size_t nvary;
	int spacing, resume;
	long shard_k, shard_n;    /* 0: not sharded */
};

/* --shard K/N */
static int
parse_shard(const char *arg, struct args *a)
{
	const char *s = arg;
	char *end;

	errno = 0;
	a->shard_k = strtol(s, &end, 10);
	if (end != s && *end == '/' && errno == 0) {
		s = end + 1;
		a->shard_n = strtol(s, &end, 10);
		if (end != s && *end == '\0' && errno == 0 && a->shard_n >= 1 &&
		    a->shard_n <= SWEEP_MAX_POINTS && a->shard_k >= 1 && a->shard_k <= a->shard_n)
			return 0;
	}
	return cli_usage_error(usage_cmd, "--shard: expected K/N with 1 <= K <= N <= %d, got '%s'",
	    SWEEP_MAX_POINTS, arg);
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	struct cli_getopt g;
	int ch;

	memset(a, 0, sizeof(*a));
	cli_mc_init(&a->mc);
	cli_data_flags.free_hw = 1;    /* a price of 0 is refused */
	a->spacing = a->out.chart = -1;
	a->out.fmt = FMT_TABLE;
	cli_getopt_init(&g, cli_sweep_opts, argc, argv);
	cli_getopt_mc(&g, usage_cmd, &a->mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_CURRENCY:
			if (strcmp(optarg, "USD") && strcmp(optarg, "EUR"))
				return cli_usage_error(usage_cmd, "--currency: expected USD or EUR, got '%s'", optarg);
			a->out.eur = strcmp(optarg, "EUR") == 0;
			break;
		case OPT_CHART:
			if ((a->out.chart = plot_chart_parse(optarg)) < 0)
				return cli_usage_error(usage_cmd, "--chart: expected cost, per-user, "
				    "servers or share, got '%s'", optarg);
			if (a->out.chart == CHART_HISTOGRAM)
				return cli_usage_error(usage_cmd, "--chart histogram is for one run: "
				    "flatcost simulate SCENARIO --plot FILE");
			break;
		case OPT_FORMAT:
			if ((a->out.fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error(usage_cmd,
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help(usage_cmd) == EXIT_OK ? -1 : EXIT_USAGE;
		case OPT_LINEAR:
		case OPT_LOG:
			a->spacing = ch == OPT_LOG;
			break;
		case 'o':
			a->out.out_path = optarg;
			break;
		case OPT_PLOT:
			a->out.plot_path = optarg;
			break;
		case OPT_PLOT_SCRIPT:
			if (*optarg == '\0' || strpbrk(optarg, "\n\r") != NULL)
				return cli_usage_error(usage_cmd, "--plot-script: expected a directory");
			a->out.script_dir = optarg;
			break;
		case OPT_RESUME:
			a->resume = 1;
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
		case OPT_SHARD:
			if (parse_shard(optarg, a))
				return EXIT_USAGE;
			break;
		case OPT_USERS:
			if (a->users)
				return cli_usage_error(usage_cmd, "--users given twice");
			a->users = optarg;
			break;
		case OPT_VARY:
			if (a->nvary == SWEEP_MAX_VARY)
				return cli_usage_error(usage_cmd, "at most %d --vary options",
				    SWEEP_MAX_VARY);
			a->vary[a->nvary++] = optarg;
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage_cmd, "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error(usage_cmd, "unexpected argument '%s'", argv[optind + 1]);
	return EXIT_OK;
}

/* The options that do not go together, and the chart's, before any work. */
static int
check_args(struct args *a, const struct fc_study_grid *g, const char *path)
{
	struct sweep_out *o = &a->out;
	int rc;

	if ((o->chart >= 0 || o->script_dir) && o->plot_path == NULL)
		return cli_usage_error(usage_cmd, "%s needs --plot FILE", o->chart >= 0 ? "--chart" :
		    "--plot-script");
	if (o->chart < 0)
		o->chart = CHART_COST;
	if (o->plot_path && g->grid)
		return cli_usage_error(usage_cmd, "--plot charts one axis; this grid has %zu%s",
		    g->naxes, g->naxes == 1 ? " (a list)" : "");
	if (a->shard_n && o->plot_path)
		return cli_usage_error(usage_cmd, "--shard writes a part, not a chart: give --plot "
		    "to flatcost merge");
	if (a->shard_n && o->fmt != FMT_TABLE && o->fmt != FMT_JSON)
		return cli_usage_error(usage_cmd, "--shard writes a part (JSON): give --format to "
		    "flatcost merge");
	if (a->resume && (a->shard_n == 0 || o->out_path == NULL))
		return cli_usage_error(usage_cmd, "--resume needs --shard K/N and -o PART");
	if (o->plot_path && (rc = plot_check(usage_cmd, o->plot_path)) != EXIT_OK)
		return rc;
	/* no output may replace the scenario or another output */
	if ((rc = cli_io_input(path)) != EXIT_OK || (rc = cli_io_output(o->out_path)) != EXIT_OK ||
	    (o->plot_path && (rc = plot_claim(o->plot_path, o->script_dir)) != EXIT_OK))
		return rc;
	return EXIT_OK;
}

/* --resume: the points an existing part at path already holds, once its
 * identity is this run's.  No part yet: nothing to skip. */
static int
resume_part(const char *path, const struct fc_study_ident *id, struct fc_study_run *r,
    unsigned char *done)
{
	struct fc_study_ident old;
	json_t *root = NULL;
	FILE *f;
	int rc;

	if ((f = fopen(path, "r")) == NULL)
		return EXIT_OK;
	fclose(f);
	if ((rc = sweep_part_read(path, &old, &root)) != EXIT_OK)
		return rc;
	if (strcmp(json_string_value(json_object_get(root, "flatcost_version")), FC_VERSION) != 0) {
		cli_err("--resume: %s was written by flatcost %s; this is %s", path,
		    json_string_value(json_object_get(root, "flatcost_version")), FC_VERSION);
		rc = EXIT_USAGE;
	} else if ((rc = sweep_part_same(path, &old, "this command", id)) == EXIT_OK) {
		if (old.k != id->k) {
			cli_err("--resume: %s is shard %ld/%ld, not %ld/%ld", path, old.k, old.n,
			    id->k, id->n);
			rc = EXIT_USAGE;
		} else
			rc = sweep_part_points(path, root, &old, r, done);
	}
	json_decref(root);
	fc_study_ident_free(&old);
	return rc;
}

/* Runs the points (those of the shard) and writes the report or the part;
 * the job that the steps share, and what it points at, are its locals. */
static int
sweep_main(struct args *a, const char *path, const struct fc_study_grid *g,
    struct fc_catalog **cat)
{
	struct job job, *j = &job;   /* it points at the locals below: it lives here */
	struct fc_scenario *s = NULL;
	struct fc_study_ident id;
	struct fc_study_run r;
	struct fc_mc_opts o;
	struct sweep_progress prog;
	struct fc_study_hooks hooks;
	struct fc_study_figs k;
	char data_hash[32] = "";
	int rc;

	memset(&id, 0, sizeof(id));
	memset(&r, 0, sizeof(r));
	memset(j, 0, sizeof(*j));
	j->path = path;
	j->sets = a->mc.sets;
	j->nsets = a->mc.nsets;
	j->g = g;
	j->cat = cat;
	if ((rc = load_scenario(path, a->mc.sets, a->mc.nsets, cat, &s)) != EXIT_OK ||
	    (rc = sweep_check_combs(path, NULL, 0, a->mc.sets, a->mc.nsets, g, s, j->cat,
	    a->shard_n ? data_hash : NULL, sizeof(data_hash))) != EXIT_OK)
		goto done;
	rc = EXIT_USAGE;
	if (a->out.plot_path && a->out.chart == CHART_SHARE &&
	    !(fc_num_mean(&s->revenue_per_user) > 0)) {
		cli_usage_error(usage_cmd, "--chart share needs revenue_per_user > 0 in %s", s->file);
		goto done;
	}
	rc = EXIT_RUNTIME;
	if (sweep_figs(&k) != 0)
		goto done;
	if (fc_study_run_alloc(&r, s, g, a->shard_n ? (size_t)a->shard_n : 1) != 0 || (j->done = fc_calloc(g->npoints, 1)) == NULL) {
		rc = cli_oom();
		goto done;
	}
	cli_mc_fill(&a->mc, s, &o);
	/* one point's samples, and flat - api of every point's trials */
	if ((rc = cli_mc_check_memory("sweep", &o, 1, (double)((g->npoints + r.stride - 1) /
	    r.stride) * (double)o.trials * sizeof(double))) != EXIT_OK)
		goto done;
	r.trials = o.deterministic ? 0 : o.trials;
	if (fc_study_run_diff(&r) != 0) {
		rc = cli_oom();
		goto done;
	}
	j->o = &o;
	if (a->shard_n) {
		if ((rc = sweep_ident_init(&id, path, a->users, a->vary, a->nvary, a->spacing,
		    a->mc.sets, a->mc.nsets, o.trials, o.seed, o.deterministic, a->shard_k,
		    a->shard_n, data_hash)) != EXIT_OK)
			goto done;
		/* what merge needs to write the whole run's bytes: the currency,
		 * and the data flags its warnings and JSON data come from */
		if (json_object_set_new(id.options, "currency", json_string(a->out.eur ? "EUR" :
		    "USD")) != 0 || json_object_set_new(id.options, "no_user_data",
		    json_boolean(cli_data_flags.no_user_data)) != 0 ||
		    json_object_set_new(id.options, "strict_data",
		    json_boolean(cli_data_flags.strict)) != 0) {
			rc = cli_oom();
			goto done;
		}
		j->id = &id;
		j->part_path = a->out.out_path;
		if (a->resume && (rc = resume_part(a->out.out_path, &id, &r, j->done)) != EXIT_OK)
			goto done;
	}
	/* the points, all with the same seed: common random numbers */
	memset(&prog, 0, sizeof(prog));
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	j->saved = prog.start;
	prog.nsteps = fc_study_steps(&r, j->id, j->done, &prog.npoints);
	j->prog = &prog;
	j->r = &r;
	if (cli_progress_enabled() && prog.nsteps > 0) {
		o.progress = sweep_progress_cb;
		o.progress_ctx = &prog;
	}
	hooks.ctx = j;
	hooks.load = hook_load;
	hooks.failed = hook_failed;
	hooks.step = hook_step;
	if ((rc = fc_study_run_points(&r, &o, j->id, j->done, &hooks)) != EXIT_OK)
		goto done;
	if (a->shard_n)
		rc = sweep_part_write(a->out.out_path, &id, &r, j->done);
	else
		rc = sweep_output(&r, &a->out);
done:
	fc_study_run_free(&r);
	fc_study_ident_free(&id);
	fc_free(j->done);
	fc_scenario_free(s);
	return rc;
}

int
cmd_sweep(int argc, char **argv)
{
	struct args a;
	struct fc_study_grid g;
	struct fc_catalog *cat = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = sweep_grid_parse(usage_cmd, a.users, a.vary, a.nvary, a.spacing, &g)) == 0 &&
	    (rc = check_args(&a, &g, argv[optind])) == EXIT_OK) {
		rc = sweep_main(&a, argv[optind], &g, &cat);
	}
	fc_study_grid_free(&g);
	fc_catalog_free(cat);
	return rc;
}
