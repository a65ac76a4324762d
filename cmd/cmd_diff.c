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
#include "mc.h"
#include "report.h"
#include "scenario.h"

struct side {
	const char *path;
	struct fc_catalog *cat;
	struct fc_scenario *s;
	struct fc_mc_result r;
};

struct gate {
	int on;
	size_t fig;          /* the gated figure */
	double above;        /* percent */
	double rise;         /* percent; NaN: no value */
	int failed;
};

/* A figure's value for people; sign: a '+' on positive values (changes). */
static void
fmt_value(char *buf, size_t len, size_t fig, double v, int sign)
{
	const char *plus = sign && v > 0 ? "+" : "";
	char tmp[40];

	fmt_figure_value(tmp, sizeof(tmp), fig, v);
	snprintf(buf, len, "%s%s", isfinite(v) ? plus : "", tmp);
}

static void
fmt_rel(char *buf, size_t len, double rel)
{
	if (isnan(rel))
		snprintf(buf, len, "n/a");
	else if (isinf(rel))
		snprintf(buf, len, "%s", rel > 0 ? "+inf%" : "-inf%");
	else if (rel == 0)
		snprintf(buf, len, "0.00%%");
	else
		snprintf(buf, len, "%+.2f%%", 100 * rel);
}

static const char *
label(const struct side *x)
{
	return x->s->name ? x->s->name : x->path;
}

static int shown(const struct side *b, const struct side *c, size_t k);

/* "a breakeven" or "a value": what a conditional figure's trials share. */
static const char *
what_both_have(size_t k)
{
	return strncmp(fc_figures[k].key, "breakeven", 9) == 0 ? "a breakeven" : "a value";
}

/* One side's own figure: "930 (P50; mean 1,020; over 160 trials)". */
static void
fmt_own(char *buf, size_t len, size_t k, double p50, double mean, double n, int det)
{
	char a[48], b[48];

	fmt_value(a, sizeof(a), k, det ? mean : p50, 0);
	if (det) {
		snprintf(buf, len, "%s", isnan(mean) ? "none" : a);
		return;
	}
	fmt_value(b, sizeof(b), k, mean, 0);
	if (n == 0)
		snprintf(buf, len, "none (in no trial)");
	else
		snprintf(buf, len, "%s (P50; mean %s; over %.0f trials)", a, b, n);
}

/* The note under a table for each conditional figure (diff.h): the
 * figures shown are over the trials where both sides have a value, so
 * each side's own figure is said as well.  prefix starts each line. */
static void
write_conditional(FILE *f, const struct side *b, const struct side *c,
    const struct fc_diff *df, const char *prefix)
{
	char x[140], y[140];
	size_t k;

	for (k = 0; k < fc_nfigures; k++) {
		const struct fc_diff_fig *d = &df->fig[k];
		if (!shown(b, c, k) || !d->conditional)
			continue;
		fmt_own(x, sizeof(x), k, d->base_own_p50, d->base_own, d->n_base, df->deterministic);
		fmt_own(y, sizeof(y), k, d->cand_own_p50, d->cand_own, d->n_cand, df->deterministic);
		if (df->deterministic)
			fprintf(f, "%s%s*: not in both, so no change; the base's own is %s, "
			    "the candidate's %s\n", prefix, fc_figures[k].key, x, y);
		else
			fprintf(f, "%s%s*: over %.0f of %ld trials where both have %s; "
			    "on its own the base's is %s, the candidate's %s\n", prefix,
			    fc_figures[k].key, d->n, df->trials, what_both_have(k), x, y);
	}
}

static int
any_conditional(const struct side *b, const struct side *c, const struct fc_diff *df)
{
	size_t k;

	for (k = 0; k < fc_nfigures; k++)
		if (shown(b, c, k) && df->fig[k].conditional)
			return 1;
	return 0;
}

/* The figure's name in a table: a '*' marks a conditional figure. */
static void
fig_name(char *buf, size_t len, const struct fc_diff *df, size_t k)
{
	snprintf(buf, len, "%s%s", fc_figures[k].key, df->fig[k].conditional ? "*" : "");
}

/* The table's cells of figure k: base, candidate, change, P5 .. P95, relative. */
static void
table_cells(const struct fc_diff *df, size_t k, char cell[5][100])
{
	const struct fc_diff_fig *d = &df->fig[k];
	char lo[48], hi[48];

	fmt_value(cell[0], 100, k, d->base, 0);
	fmt_value(cell[1], 100, k, d->cand, 0);
	fmt_value(cell[2], 100, k, d->mean, 1);
	cell[3][0] = '\0';
	if (!df->deterministic) {
		fmt_value(lo, sizeof(lo), k, d->p5, 1);
		fmt_value(hi, sizeof(hi), k, d->p95, 1);
		snprintf(cell[3], 100, "%s .. %s", lo, hi);
	}
	fmt_rel(cell[4], 100, d->rel);
}

/* Whether figure k has a value in either scenario (the routed API's
 * figures need api.route). */
static int
shown(const struct side *b, const struct side *c, size_t k)
{
	return fc_figure_applies(b->s, k) || fc_figure_applies(c->s, k);
}

static void
write_table(FILE *f, const struct side *b, const struct side *c,
    const struct fc_diff *df, const struct gate *g, size_t kf, size_t ka)
{
	static const char *const head[] = { "BASE", "CANDIDATE", "CHANGE",
	    "P5 .. P95 OF CHANGE", "RELATIVE" };
	char cell[5][100], rel[32], name[80];
	size_t k, i, n, wk = strlen("FIGURE"), w[5];

	for (i = 0; i < 5; i++)
		w[i] = strlen(head[i]);
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		table_cells(df, k, cell);
		fig_name(name, sizeof(name), df, k);
		if ((n = strlen(name)) > wk)
			wk = n;
		for (i = 0; i < 5; i++)
			if ((n = strlen(cell[i])) > w[i])
				w[i] = n;
	}
	fprintf(f, "base:      %s (%s)\ncandidate: %s (%s)\n", label(b), b->path,
	    label(c), c->path);
	if (df->deterministic)
		fprintf(f, "deterministic (every input at its mean), month %ld\n\n", b->r.month);
	else
		fprintf(f, "Monte Carlo, %ld trials, seed %lu, month %ld; both on the same random "
		    "numbers, change = candidate - base in each trial\n\n", df->trials,
		    b->r.seed, b->r.month);
	fprintf(f, "  %-*s", (int)wk, "FIGURE");
	for (i = 0; i < 5; i++)
		if (i != 3 || !df->deterministic)
			fprintf(f, "  %*s", (int)w[i], head[i]);
	fputc('\n', f);
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		table_cells(df, k, cell);
		fig_name(name, sizeof(name), df, k);
		fprintf(f, "  %-*s", (int)wk, name);
		for (i = 0; i < 5; i++)
			if (i != 3 || !df->deterministic)
				fprintf(f, "  %*s", (int)w[i], cell[i]);
		fputc('\n', f);
	}
	if (any_conditional(b, c, df)) {
		fputc('\n', f);
		write_conditional(f, b, c, df, "  ");
	}
	if (!df->deterministic)
		fprintf(f, "\n  P(candidate cheaper): flat %.1f%%, API %.1f%%\n",
		    100 * df->fig[kf].p_lower, 100 * df->fig[ka].p_lower);
	if (g->on) {
		fmt_rel(rel, sizeof(rel), g->rise / 100);
		fprintf(f, "\n  gate: %s %s %s, at most +%g%% allowed: %s\n",
		    fc_figures[g->fig].key, df->deterministic ? "changed" : "mean changed",
		    rel, g->above, g->failed ? "fail" : "pass");
	}
}

static void
write_md(FILE *f, const struct side *b, const struct side *c,
    const struct fc_diff *df, const struct gate *g, size_t kf, size_t ka, size_t kg)
{
	const struct fc_diff_fig *d = &df->fig[kg];
	char x[48], y[48], z[48], lo[48], hi[48], rel[32];
	size_t k, unchanged = 0;

	fputs("### flatcost diff: ", f);
	fc_md_text(f, label(b));
	fputs(" → ", f);
	fc_md_text(f, label(c));
	fputs("\n\n", f);
	fmt_value(x, sizeof(x), kg, d->base, 0);
	fmt_value(y, sizeof(y), kg, d->cand, 0);
	fmt_value(z, sizeof(z), kg, d->mean, 1);
	fmt_rel(rel, sizeof(rel), d->rel);
	fprintf(f, "**`%s%s`: %s → %s (%s, %s)**", fc_figures[kg].key,
	    d->conditional ? "*" : "", x, y, z, rel);
	if (!df->deterministic) {
		fmt_value(lo, sizeof(lo), kg, d->p5, 1);
		fmt_value(hi, sizeof(hi), kg, d->p95, 1);
		fprintf(f, ", P5–P95 of the change %s to %s", lo, hi);
	}
	fputs("\n\n", f);
	if (g->on) {
		fmt_rel(rel, sizeof(rel), g->rise / 100);
		fprintf(f, "%s Gate: `%s` changed %s, at most +%g%% allowed.\n\n",
		    g->failed ? "❌" : "✅", fc_figures[g->fig].key, rel, g->above);
	}
	if (!df->deterministic)
		fprintf(f, "P(candidate cheaper): flat %.1f%%, API %.1f%%.\n\n",
		    100 * df->fig[kf].p_lower, 100 * df->fig[ka].p_lower);
	fprintf(f, "| Figure | Base | Candidate | Change | %sRelative |\n"
	    "|---|---:|---:|---:|%s---:|\n", df->deterministic ? "" : "P5–P95 of change | ",
	    df->deterministic ? "" : "---:|");
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		d = &df->fig[k];
		if (d->mean == 0 && (df->deterministic || (d->p5 == 0 && d->p95 == 0))) {
			unchanged++;
			continue;
		}
		fmt_value(x, sizeof(x), k, d->base, 0);
		fmt_value(y, sizeof(y), k, d->cand, 0);
		fmt_value(z, sizeof(z), k, d->mean, 1);
		fmt_rel(rel, sizeof(rel), d->rel);
		fprintf(f, "| `%s%s` | %s | %s | %s | ", fc_figures[k].key,
		    d->conditional ? "*" : "", x, y, z);
		if (!df->deterministic) {
			fmt_value(lo, sizeof(lo), k, d->p5, 1);
			fmt_value(hi, sizeof(hi), k, d->p95, 1);
			fprintf(f, "%s to %s | ", lo, hi);
		}
		fprintf(f, "%s |\n", rel);
	}
	if (unchanged)
		fprintf(f, "\n%zu figure%s unchanged.\n", unchanged, unchanged == 1 ? "" : "s");
	if (any_conditional(b, c, df)) {
		fputc('\n', f);
		write_conditional(f, b, c, df, "- ");
	}
	if (df->deterministic)
		fprintf(f, "\n<sub>Deterministic: every input at its mean. flatcost %s.</sub>\n",
		    FC_VERSION);
	else
		fprintf(f, "\n<sub>Monte Carlo, %ld trials, seed %lu, both scenarios on the same "
		    "random numbers. flatcost %s.</sub>\n", df->trials, b->r.seed, FC_VERSION);
}

static json_t *
own_json(double mean, double p50, double n, int det)
{
	if (det)
		return json_pack("{s:o}", "value", fc_json_num(mean));
	return json_pack("{s:o, s:o, s:o}", "mean", fc_json_num(mean), "p50", fc_json_num(p50),
	    "trials", fc_json_num(n));
}

static int
write_json(FILE *f, const struct side *b, const struct side *c,
    const struct fc_diff *df, const struct gate *g, size_t kf, size_t ka)
{
	json_t *o = json_object(), *figs = json_object();
	size_t k;

	json_object_set_new(o, "flatcost_version", json_string(FC_VERSION));
	json_object_set_new(o, "format_version", json_integer(REPORT_JSON_FORMAT));
	json_object_set_new(o, "base", json_pack("{s:s?, s:s}", "name", b->s->name,
	    "file", b->path));
	json_object_set_new(o, "candidate", json_pack("{s:s?, s:s}", "name", c->s->name,
	    "file", c->path));
	json_object_set_new(o, "mode", json_string(df->deterministic ?
	    "deterministic" : "monte-carlo"));
	json_object_set_new(o, "month", json_integer(b->r.month));
	if (!df->deterministic) {
		json_object_set_new(o, "trials", json_integer(df->trials));
		json_object_set_new(o, "seed", json_integer((json_int_t)b->r.seed));
	}
	cli_json_data(o);
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		const struct fc_diff_fig *d = &df->fig[k];
		json_t *ch = json_object();
		json_object_set_new(ch, "mean", fc_json_num(d->mean));
		if (!df->deterministic) {
			json_object_set_new(ch, "p5", fc_json_num(d->p5));
			json_object_set_new(ch, "p50", fc_json_num(d->p50));
			json_object_set_new(ch, "p95", fc_json_num(d->p95));
		}
		json_t *fo = json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:o}",
		    "base", fc_json_num(d->base), "candidate", fc_json_num(d->cand),
		    "change", ch, "relative", fc_json_num(d->rel),
		    "conditional", d->conditional, "trials_both", fc_json_num(d->n),
		    "own", json_pack("{s:o, s:o}",
			"base", own_json(d->base_own, d->base_own_p50, d->n_base, df->deterministic),
			"candidate", own_json(d->cand_own, d->cand_own_p50, d->n_cand,
			    df->deterministic)));
		fc_json_set_dotted(figs, fc_figures[k].key, fo);
	}
	json_object_set_new(o, "figures", figs);
	if (!df->deterministic)
		json_object_set_new(o, "p_candidate_cheaper", json_pack("{s:o, s:o}",
		    "flat.monthly_cost", fc_json_num(df->fig[kf].p_lower),
		    "api.monthly_cost", fc_json_num(df->fig[ka].p_lower)));
	if (g->on)
		json_object_set_new(o, "gate", json_pack("{s:s, s:o, s:o, s:s}",
		    "figure", fc_figures[g->fig].key, "fail_above_percent", fc_json_num(g->above),
		    "rise_percent", fc_json_num(g->rise), "status", g->failed ? "fail" : "pass"));
	return fc_json_dump(f, o);
}

static int
run_side(struct side *x, const struct fc_mc_opts *o)
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
	struct gate g;
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
write_report(const struct diff_args *a, const struct side *b, const struct side *c,
    const struct fc_diff *df, size_t kf, size_t ka)
{
	struct cli_out out;
	int rc, wrc = 0;

	if ((rc = out_open(&out, a->out_path)) != EXIT_OK)
		return rc;
	switch (a->fmt) {
	case FMT_JSON:
		wrc = write_json(out.f, b, c, df, &a->g, kf, ka);
		break;
	case FMT_MD:
		write_md(out.f, b, c, df, &a->g, kf, ka, a->kg);
		break;
	default:
		write_table(out.f, b, c, df, &a->g, kf, ka);
		break;
	}
	if (wrc != 0)
		return out_fail(&out);
	if ((rc = out_commit(&out)) != EXIT_OK)
		return rc;
	if (a->g.on && a->g.failed) {
		char rel[32];
		fmt_rel(rel, sizeof(rel), df->fig[a->kg].rel);
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
	struct side b, c;
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
