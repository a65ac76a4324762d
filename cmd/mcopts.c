/*
 * mcopts.c: the Monte Carlo options that simulate, sweep, check and diff
 * share (--deterministic, --seed, --set, --threads, --trials), parsed once
 * so that their ranges and messages cannot drift apart, and turned into
 * the engine's struct fc_mc_opts; and the scenario they load with its
 * --set overrides.
 */
#include "cli.h"

#include <math.h>
#include <string.h>

#include "data.h"
#include "mc.h"
#include "scenario.h"

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
		if (arg_long(cmd, "--seed", arg, 0, 0x7fffffffffffffffL, &a->seed))
			return EXIT_USAGE;
		return EXIT_OK;
	case CLI_OPT_SET:
		if (a->nsets == CLI_MAX_SETS)
			return cli_usage_error(cmd, "at most %d --set options", CLI_MAX_SETS);
		a->sets[a->nsets++] = arg;
		return EXIT_OK;
	case CLI_OPT_THREADS:
		if (arg_long(cmd, "--threads", arg, 1, 1024, &a->threads))
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
	}
	return CLI_NOT_MINE;
}

/* Loads the scenario with its overrides, and the catalog first unless
 * given; prints diagnostics. */
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
	if (nsets && cli_add_source("--set", text) != 0)
		return cli_oom();
	fc_diags_init(&d);
	*s = NULL;
	st = *cat ? FC_OK : cli_catalog_load(cat, &d);
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
	if (cli_data_check(*s) != EXIT_OK) {
		fc_scenario_free(*s);
		*s = NULL;
		return EXIT_USAGE;
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
	cli_err("%s: cannot simulate: %s", path, fc_strstatus(st));
	return EXIT_RUNTIME;
}

int
cli_help(const char *cmd)
{
	char h0[] = "help", h1[32];
	char *hv[] = { h0, h1, NULL };

	snprintf(h1, sizeof(h1), "%s", cmd);
	return cmd_help(2, hv);
}
