/*
 * cmd_diff.c: `flatcost diff BASE CANDIDATE`: what a change to a scenario
 * (a longer prompt, a chained call, a pricier model) does to every figure.
 *
 * Both scenarios run with the same seed, trials and month, so trial i of
 * each draws the same random numbers (common random numbers, see mc.c):
 * the per-trial change is the change's own spread, without the noise of
 * two independent samples, and a scenario against itself changes by
 * exactly zero.  --fail-above gates a rise of one figure's mean, for CI.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "diff.h"
#include "diff_print.h"
#include "mc.h"
#include "report.h"
#include "scenario.h"

static int
run_side(struct diff_side *x, const struct fc_mc_opts *o)
{
	enum fc_status st = fc_mc_run(x->s, o, &x->r);

	return st == FC_OK ? EXIT_OK : cli_mc_failed(x->path, st);
}

/* --fail-above PERCENT, with or without a '%'. */
static int
parse_percent(const char *s, double *out)
{
	char buf[64];
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return arg_double("diff", "--fail-above", s, 0, 1e9, out);
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == '%')
		buf[n - 1] = '\0';
	if (arg_double("diff", "--fail-above", buf, 0, 1e9, out))
		return EXIT_USAGE;
	return 0;
}

enum {
	OPT_FAIL_ABOVE = CLI_OPT_OWN, OPT_FIGURE, OPT_FORMAT,
};

const struct cli_opt cli_diff_opts[] = {
	CLI_OPT("figure", OPT_FIGURE, "KEY", "the figure --fail-above holds (default per_user.flat)"),
	CLI_OPT("fail-above", OPT_FAIL_ABOVE, "PERCENT", "exit 1 when the figure rises more than PERCENT"),
	CLI_OPT("format", OPT_FORMAT, "table|json|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_MC(CLI_MC_RUN | CLI_MC_DETERMINISTIC | CLI_MC_SET | CLI_MC_DATA),
	CLI_OPTS_END,
};

struct diff_args {
	const char *out_path;
	const char *figure;  /* --figure, the gate's */
	size_t kg;           /* its index in fc_figures[] */
	int fmt;
	struct diff_gate g;
	struct cli_mc_args mc;
};

/* diff's options and arguments into a (argv[optind] and the next are
 * BASE and CANDIDATE); -1 to go on, else the exit status to return. */
static int
parse_args(int argc, char **argv, struct diff_args *a)
{
	struct cli_getopt g;
	int ch;
	long k;

	memset(a, 0, sizeof(*a));
	a->figure = "per_user.flat";
	a->fmt = FMT_TABLE;
	cli_mc_init(&a->mc);
	cli_getopt_init(&g, cli_diff_opts, argc, argv);
	cli_getopt_mc(&g, "diff", &a->mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_FAIL_ABOVE:
			if (parse_percent(optarg, &a->g.above))
				return EXIT_USAGE;
			a->g.on = 1;
			break;
		case OPT_FIGURE:
			a->figure = optarg;
			break;
		case OPT_FORMAT:
			a->fmt = report_format_parse(optarg);
			if (a->fmt < 0 || a->fmt == FMT_CSV)
				return cli_usage_error("diff",
				    "--format: expected table, json or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help("diff");
		case 'o':
			a->out_path = optarg;
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if ((k = fc_figure_index(a->figure)) < 0) {
		const char *names[FC_MAX_FIGURES], *s;
		size_t i, n = 0;
		for (i = 0; i < fc_nfigures && i < FC_MAX_FIGURES; i++)
			names[n++] = fc_figures[i].key;
		s = fc_suggest(a->figure, names, n);
		if (s)
			return cli_usage_error("diff", "--figure: unknown figure '%s' (did you mean '%s'?)",
			    a->figure, s);
		return cli_usage_error("diff", "--figure: unknown figure '%s'", a->figure);
	}
	a->kg = (size_t)k;
	a->g.fig = a->kg;
	if (argc - optind < 2)
		return cli_usage_error("diff", "expected two scenario files, BASE and CANDIDATE");
	if (argc - optind > 2)
		return cli_usage_error("diff", "unexpected argument '%s'", argv[optind + 2]);
	return -1;
}

/* The report into a->out_path, then the gate (--fail-above): the exit
 * status, EXIT_BUDGET when the gate fails. */
static int
write_report(const struct diff_args *a, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, size_t kf, size_t ka)
{
	struct cli_out out;
	int rc, wrc = 0;

	if ((rc = out_open(&out, a->out_path)) != EXIT_OK)
		return rc;
	switch (a->fmt) {
	case FMT_JSON:
		wrc = diff_write_json(out.f, b, c, df, &a->g, kf, ka);
		break;
	case FMT_MD:
		diff_write_md(out.f, b, c, df, &a->g, kf, ka, a->kg);
		break;
	default:
		diff_write_table(out.f, b, c, df, &a->g, kf, ka);
		break;
	}
	if (wrc != 0)
		return out_fail(&out);
	if ((rc = out_commit(&out)) != EXIT_OK)
		return rc;
	if (a->g.on && a->g.failed) {
		char rel[32];
		diff_fmt_rel(rel, sizeof(rel), df->fig[a->kg].rel);
		if (isnan(a->g.rise))
			cli_err("%s has no value to compare: failing the gate", fc_figures[a->kg].key);
		else
			cli_err("%s rose by %s, more than the %g%% allowed by --fail-above",
			    fc_figures[a->kg].key, rel + (rel[0] == '+'), a->g.above);
		rc = EXIT_BUDGET;
	}
	return rc;
}

int
cmd_diff(int argc, char **argv)
{
	size_t kf, ka;
	int rc;
	struct diff_args a;
	struct diff_side b, c;
	struct fc_mc_opts o;
	struct fc_diff *df = NULL;
	enum fc_status st;

	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	kf = (size_t)fc_figure_index("flat.monthly_cost");
	ka = (size_t)fc_figure_index("api.monthly_cost");
	b.path = argv[optind];
	c.path = argv[optind + 1];
	{
		const char *in[] = { b.path, c.path }, *outs[] = { a.out_path };
		if ((rc = cli_io_claim(in, 2, outs, 1)) != EXIT_OK)
			return rc;
	}
	/* both files' errors, then stop */
	rc = load_scenario(b.path, a.mc.sets, a.mc.nsets, &b.cat, &b.s);
	{
		int rc2 = load_scenario(c.path, a.mc.sets, a.mc.nsets, &c.cat, &c.s);
		if (rc == EXIT_OK || rc2 == EXIT_RUNTIME ||
		    (rc == EXIT_DATA && rc2 == EXIT_USAGE))
			rc = rc2;
	}
	if (rc != EXIT_OK)
		goto done;
	/* the same trials for both: the base's, unless given */
	cli_mc_fill(&a.mc, b.s, &o);
	if (!o.deterministic && ((a.mc.trials <= 0 && c.s->trials != b.s->trials) ||
	    (a.mc.seed < 0 && c.s->seed != b.s->seed)))
		fprintf(stderr, "flatcost: note: both scenarios run with the base's %ld trials "
		    "and seed %lu\n", o.trials, o.seed);
	/* both sides' samples are held at once */
	if ((rc = cli_mc_check_memory("diff", &o, 2, 0)) != EXIT_OK ||
	    (rc = run_side(&b, &o)) != EXIT_OK || (rc = run_side(&c, &o)) != EXIT_OK)
		goto done;
	if ((df = fc_calloc(1, sizeof(*df))) == NULL) {
		rc = cli_oom();
		goto done;
	}
	if ((st = fc_diff_compute(&b.r, &c.r, df)) != FC_OK) {
		if (st == FC_ENOMEM)
			rc = cli_oom();
		else {
			cli_err("cannot compare the two runs: %s", fc_strstatus(st));
			rc = EXIT_RUNTIME;
		}
		goto done;
	}
	if (a.g.on) {
		a.g.rise = 100 * df->fig[a.kg].rel;
		/* no value is no evidence that the figure stayed put: fail */
		a.g.failed = isnan(a.g.rise) || a.g.rise > a.g.above;
	}
	rc = write_report(&a, &b, &c, df, kf, ka);
done:
	fc_free(df);
	fc_mc_result_free(&b.r);
	fc_mc_result_free(&c.r);
	fc_scenario_free(b.s);
	fc_scenario_free(c.s);
	fc_catalog_free(b.cat);
	fc_catalog_free(c.cat);
	return rc;
}
