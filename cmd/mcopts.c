/*
 * mcopts.c: the Monte Carlo options that simulate, sweep, check and diff
 * share (--deterministic, --seed, --set, --threads, --trials), parsed once
 * so that their ranges and messages cannot drift apart, and turned into
 * the engine's struct fc_mc_opts; and the scenario they load with its
 * --set overrides.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "data.h"
#include "mc.h"
#include "report.h"
#include "scenario.h"

/* The shared options, declared once: in the order of CLI_MC_* (opts.h). */
const struct cli_opt cli_mc_options[] = {
	CLI_OPT("trials", CLI_OPT_TRIALS, "N", "Monte Carlo trials (default: simulation.trials, 10000)"),
	CLI_OPT("seed", CLI_OPT_SEED, "N", "the random seed (default: simulation.seed, 42)"),
	CLI_OPT("threads", CLI_OPT_THREADS, "N", "worker threads (default: one per CPU), the output "
	    "the same"),
	CLI_OPT("deterministic", CLI_OPT_DETERMINISTIC, NULL, "one run on every input's mean, "
	    "no trials"),
	CLI_OPTF("set", CLI_OPT_SET, "KEY=VALUE", "override a scenario key (a YAML value)",
	    CLI_OF_REPEAT),
	CLI_OPT("no-user-data", CLI_OPT_NO_USER_DATA, NULL, "ignore the user data directory"),
	CLI_OPT("strict-data", CLI_OPT_STRICT_DATA, NULL, "exit 4 on stale or retiring data"),
	CLI_OPT("allow-free-hardware", CLI_OPT_ALLOW_FREE_HW, NULL, "accept hardware priced 0"),
	CLI_OPTS_END,
};

void
cli_mc_init(struct cli_mc_args *a)
{
	memset(a, 0, sizeof(*a));
	a->trials = -1;
	a->seed = -1;
}

int
cli_mc_opt(const char *cmd, struct cli_mc_args *a, int ch, const char *arg)
{
	switch (ch) {
	case CLI_OPT_DETERMINISTIC:
		a->deterministic = 1;
		return EXIT_OK;
	case CLI_OPT_SEED:
		if (arg_long(cmd, "--seed", arg, 0, FC_MAX_SEED, &a->seed))
			return EXIT_USAGE;
		return EXIT_OK;
	case CLI_OPT_SET:
		if (a->nsets == CLI_MAX_SETS)
			return cli_usage_error(cmd, "at most %d --set options", CLI_MAX_SETS);
		a->sets[a->nsets++] = arg;
		return EXIT_OK;
	case CLI_OPT_THREADS:
		if (arg_long(cmd, "--threads", arg, 1, FC_MAX_THREADS, &a->threads))
			return EXIT_USAGE;
		return EXIT_OK;
	case CLI_OPT_TRIALS:
		if (arg_long(cmd, "--trials", arg, 1, 10000000, &a->trials))
			return EXIT_USAGE;
		return EXIT_OK;
	case CLI_OPT_NO_USER_DATA:
		cli_data_flags.no_user_data = 1;
		return EXIT_OK;
	case CLI_OPT_STRICT_DATA:
		cli_data_flags.strict = 1;
		return EXIT_OK;
	case CLI_OPT_ALLOW_FREE_HW:
		cli_data_flags.free_hw = 2;
		return EXIT_OK;
	}
	return CLI_NOT_MINE;
}

/* Loads the scenario at path (or, when text is not NULL, its len bytes
 * named path) with its overrides, and the catalog first unless given;
 * prints diagnostics.  vary: the last override is the --vary point, and
 * its diagnostics say so. */
static int
load(const char *path, const char *text, size_t len, const char *const *sets, size_t nsets,
    size_t vary, struct fc_catalog **cat, struct fc_scenario **s);

int
load_scenario(const char *path, const char *const *sets, size_t nsets,
    struct fc_catalog **cat, struct fc_scenario **s)
{
	return load(path, NULL, 0, sets, nsets, 0, cat, s);
}

int
load_scenario_text(const char *name, const char *text, size_t len, const char *const *sets,
    size_t nsets, struct fc_catalog **cat, struct fc_scenario **s)
{
	return load(name, text, len, sets, nsets, 0, cat, s);
}

int
load_scenario_vary(const char *path, const char *const *sets, size_t nsets,
    struct fc_catalog **cat, struct fc_scenario **s)
{
	return load(path, NULL, 0, sets, nsets, 1, cat, s);
}

int
load_scenario_varyn(const char *path, const char *text, size_t len, const char *const *sets,
    size_t nsets, size_t nvary, struct fc_catalog **cat, struct fc_scenario **s)
{
	return load(path, text, len, sets, nsets, nvary <= nsets ? nvary : nsets, cat, s);
}

/* The diagnostics of the last nvary --set lines, which were the --vary
 * points (one per varied axis of a grid), point into "--vary", line i
 * being the i-th point (they once said --set, an option the
 * user did not give). */
static int
relabel_vary(struct fc_diags *d, const char *const *sets, size_t nsets, size_t nvary)
{
	const char *vary = NULL;
	char *text;
	size_t i, first = nsets - nvary + 1, len = 1;
	int rc;

	for (i = 0; i < d->n; i++) {
		struct fc_loc *l = &d->v[i].loc;

		if (l->file == NULL || strcmp(l->file, "--set") != 0 || l->line < (int)first ||
		    l->line > (int)nsets)
			continue;
		if (vary == NULL && ((vary = fc_diags_intern(d, "--vary")) == NULL || d->oom))
			return -1;
		l->file = vary;
		l->line -= (int)first - 1;
	}
	if (vary == NULL)
		return 0;
	if (nvary == 1)
		return cli_add_source("--vary", sets[nsets - 1]);
	for (i = first - 1; i < nsets; i++)
		len += strlen(sets[i]) + 1;
	if ((text = fc_malloc(len)) == NULL)
		return -1;
	text[0] = '\0';
	for (i = first - 1; i < nsets; i++) {
		strcat(text, sets[i]);
		if (i + 1 < nsets)
			strcat(text, "\n");
	}
	rc = cli_add_source("--vary", text);
	fc_free(text);
	return rc;
}

static int
load(const char *path, const char *scen, size_t scen_len, const char *const *sets, size_t nsets,
    size_t vary, struct fc_catalog **cat, struct fc_scenario **s)
{
	struct fc_diags d;
	enum fc_status st;
	char *text;
	size_t i, len = 1, at = 0;
	int added, st2;

	/* diagnostics quote the text loaded, not a file that may differ */
	if (scen && cli_add_source(path, scen) != 0)
		return cli_oom();

	/* every --set, one a line, as diagnostics pointing into them show
	 * it: as long as the arguments are (no fixed buffer) */
	for (i = 0; i < nsets; i++)
		len += strlen(sets[i]) + 1;
	if (nsets) {
		if ((text = fc_malloc(len)) == NULL)
			return cli_oom();
		for (i = 0; i < nsets; i++) {
			size_t n = strlen(sets[i]);

			memcpy(text + at, sets[i], n);
			at += n;
			text[at++] = '\n';
		}
		text[at] = '\0';
		added = cli_add_source("--set", text);
		fc_free(text);
		if (added != 0)
			return cli_oom();
	}
	fc_diags_init(&d);
	*s = NULL;
	st = *cat ? FC_OK : cli_catalog_load(cat, &d);
	if (st == FC_OK)
		st = scen ? fc_scenario_load_text(path, scen, scen_len, *cat, sets, nsets, s, &d) :
		    fc_scenario_load(path, *cat, sets, nsets, s, &d);
	if (vary && nsets && relabel_vary(&d, sets, nsets, vary) != 0)
		st = FC_ENOMEM;
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK)
		return cli_failed(st);
	/* price changes given on a date: month 1 starts today */
	fc_scenario_set_today(*s, cli_today());
	if ((st2 = cli_data_check(*s)) != EXIT_OK) {
		fc_scenario_free(*s);
		*s = NULL;
		return st2;
	}
	return EXIT_OK;
}

void
cli_mc_fill(const struct cli_mc_args *a, const struct fc_scenario *s,
    struct fc_mc_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->trials = a->trials > 0 ? a->trials : s->trials;
	o->seed = (unsigned long)(a->seed >= 0 ? a->seed : s->seed);
	o->threads = a->threads > 0 ? (int)a->threads : cli_ncpus();
	o->month = s->months > 0 ? s->months : 1;
	o->users = NAN;
	o->deterministic = a->deterministic;
	o->cancel = &cli_interrupted;
}

int
cli_mc_failed(const char *path, enum fc_status st)
{
	if (cli_interrupted) {
		cli_err("interrupted");
		return EXIT_SIGINT;
	}
	if (st == FC_ENOMEM)
		return cli_oom();
	cli_err("%s: cannot simulate: %s", path, fc_mc_strerror(st));
	return cli_exit_status(st) == EXIT_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
}

void
cli_route_warning(const struct fc_scenario *s, double clipped_share)
{
	if (s->route.n && clipped_share > 0)
		cli_warn("%s: in %.1f%% of the trials the shares of api.route summed over 1; "
		    "they were scaled down to 1 and the last tier took no calls", s->file,
		    100 * clipped_share);
}

int
cli_mc_check_memory(const char *cmd, const struct fc_mc_opts *o, double runs,
    double extra_bytes)
{
	double need, per;
	char t[32], b[32], lim[32], most[32];

	if (o->deterministic)
		return EXIT_OK;
	need = runs * fc_mc_bytes(o->trials, o->months) + extra_bytes;
	if (need <= FC_MC_MAX_BYTES)
		return EXIT_OK;
	per = need / (double)o->trials;
	fc_fmt_count(t, sizeof(t), (double)o->trials);
	snprintf(b, sizeof(b), "%.1f GB", need / 1e9);
	snprintf(lim, sizeof(lim), "%.1f GB", FC_MC_MAX_BYTES / 1e9);
	fc_fmt_count(most, sizeof(most), floor(FC_MC_MAX_BYTES / per));
	return cli_usage_error(cmd, "%s trials would take %s of memory (every figure of "
	    "every trial is kept for exact percentiles), over the limit of %s "
	    "(4 GiB): use at most %s trials", t, b, lim, most);
}

int
cli_help(const char *cmd)
{
	char h0[] = "help", h1[32];
	char *hv[] = { h0, h1, NULL };

	snprintf(h1, sizeof(h1), "%s", cmd);
	return cmd_help(2, hv);
}
