/*
 * flatcost.c: main() and the dispatch table of subcommands.
 */
#include "cli.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <string.h>

#include "fc.h"
#include "tokenize.h"

/* Sorted by name; `flatcost help` prints them in this order. */
const struct cli_command cli_commands[] = {
	{ "bench", cmd_bench, "measure a live inference server's tok/s, write a hardware profile",
	  "flatcost bench --url URL [--api ollama|openai] --model NAME [options]\n"
	  "       flatcost bench --probe" },
	{ "calibrate", cmd_calibrate, "fit a scenario's workload from usage logs, with back-tests",
	  "flatcost calibrate LOG... [--log-format auto|csv|litellm|openai-usage|langfuse]\n"
	  "                [--columns ROLE=COLUMN,...] [--api-price PRICE] [--users N]\n"
	  "                [--hardware ID] [--model ID] [--since DATE] [--until DATE]\n"
	  "                [--skip-bad N] [--tz ZONE] [--trials N] [--seed N] [--threads N]\n"
	  "                [--format yaml|json] [-o FILE] [--no-user-data] [--strict-data]" },
	{ "check", cmd_check, "hold scenarios to their budgets, for CI: exit 1 when one fails",
	  "flatcost check SCENARIO... [--base DIR|FILE.json] [--budget FILE] [--junit FILE]\n"
	  "                [--format table|json|md]\n"
	  "                [-o FILE] [--trials N] [--seed N] [--threads N] [--deterministic]\n"
	  "                [--set KEY=VALUE]... [--no-user-data] [--strict-data]\n"
	  "                [--allow-free-hardware]" },
	{ "compare", cmd_compare, "every server x model option and the API on the same trials, ranked",
	  "flatcost compare SCENARIO [--hardware all|ID,...] [--model all|ID,...]\n"
	  "                [--price-basis BASIS|all] [--rank-by FIGURE[@pNN]]\n"
	  "                [--no-race] [--trials N] [--seed N]\n"
	  "                [--threads N] [--deterministic] [--set KEY=VALUE]...\n"
	  "                [--plot FILE.png|svg|pdf]\n"
	  "                [--format table|json|csv|md] [-o FILE] [--no-user-data] [--strict-data]\n"
	  "                [--allow-free-hardware]" },
	{ "data", cmd_data, "list, import and update prices, hardware and models with their dates",
	  "flatcost data [prices|hardware|models] [--format table|json] [--no-user-data]\n"
	  "       flatcost data import FILE|URL [--from auto|models.dev|litellm|genai-prices|hetzner-pricing]\n"
	  "                [--as-of DATE] [--usd-per-eur RATE] [--location LOC]\n"
	  "       flatcost data import FILE --from llama-bench --hardware ID --model ID\n"
	  "       flatcost data update" },
	{ "diff", cmd_diff, "the change in every figure from one scenario to another",
	  "flatcost diff BASE CANDIDATE [--figure KEY] [--fail-above PERCENT]\n"
	  "                [--format table|json|md] [-o FILE] [--trials N] [--seed N]\n"
	  "                [--threads N] [--deterministic] [--set KEY=VALUE]...\n"
	  "                [--no-user-data] [--strict-data]" },
	{ "help", cmd_help, "show help for flatcost or a command",
	  "flatcost help [COMMAND]" },
	{ "merge", cmd_merge, "join the parts of a sharded sweep into the whole run's report",
	  "flatcost merge PART... [--format table|json|csv|md] [-o FILE]\n"
	  "                [--plot FILE.png|svg|pdf] [--plot-script DIR]\n"
	  "                [--chart cost|per-user|servers|share] [--title TEXT]\n"
	  "                [--subtitle TEXT] [--y-scale linear|log]" },
	{ "report", cmd_report, "one self-contained page for a board: decision, payback, charts, assumptions",
	  "flatcost report SCENARIO [--months N] [--compare] [--sensitivity]\n"
	  "                [--users FROM:TO[:STEPS]] [--format html|md] [-o FILE]\n"
	  "                [--trials N] [--seed N] [--threads N] [--deterministic]\n"
	  "                [--set KEY=VALUE]... [--no-user-data] [--strict-data]" },
	{ "sensitivity", cmd_sensitivity, "which uncertain input drives a figure's spread: shares, tornado",
	  "flatcost sensitivity SCENARIO [--figure KEY] [--users N] [--trials N] [--seed N]\n"
	  "                [--months N] [--threads N] [--set KEY=VALUE]...\n"
	  "                [--format table|json|csv|md] [-o FILE] [--plot FILE.png|svg|pdf]\n"
	  "                [--no-user-data] [--strict-data]" },
	{ "simulate", cmd_simulate, "monthly cost of the API and flat architectures for a scenario",
	  "flatcost simulate SCENARIO [--users N] [--trials N] [--seed N] [--threads N]\n"
	  "                [--months N] [--deterministic] [--des] [--set KEY=VALUE]...\n"
	  "                [--plot FILE.png|svg|pdf] [--title TEXT] [--subtitle TEXT]\n"
	  "                [--y-scale linear|log] [--format table|json|csv|md] [-o FILE]\n"
	  "                [--currency USD|EUR] [--no-user-data] [--strict-data]\n"
	  "                [--allow-free-hardware]" },
	{ "sweep", cmd_sweep, "cost over ranges and grids of users and inputs, the breakeven, charts",
	  "flatcost sweep SCENARIO --users FROM:TO[:STEPS] | --vary KEY=FROM:TO:STEPS\n"
	  "                [--vary KEY=FROM:TO:STEPS | --vary 'KEY=[A, B, ...]']...\n"
	  "                [--users N|FROM:TO[:STEPS]] [--linear|--log] [--trials N] [--seed N]\n"
	  "                [--threads N] [--deterministic] [--set KEY=VALUE]...\n"
	  "                [--format table|json|csv|md] [-o FILE] [--plot FILE.png|svg|pdf]\n"
	  "                [--plot-script DIR] [--chart cost|per-user|servers|share]\n"
	  "                [--title TEXT] [--subtitle TEXT] [--y-scale linear|log]\n"
	  "                [--shard K/N [--resume]] [--currency USD|EUR] [--no-user-data]\n"
	  "                [--strict-data] [--allow-free-hardware]" },
	{ "synth-model", cmd_synth_model, "write a random-weight GGUF model of a given shape for benchmarks",
	  "flatcost synth-model --like MODEL --quant q4_0|q8_0|f16 -o FILE.gguf" },
	{ "tokens", cmd_tokens, "count the tokens of prompt files with a model's tokenizer",
	  "flatcost tokens FILE... --tokenizer o200k_base|cl100k_base|gguf:MODEL.gguf\n"
	  "                [--format table|json] [-o FILE]" },
	{ "validate", cmd_validate, "check scenario files and print every error",
	  "flatcost validate SCENARIO... [--no-user-data] [--strict-data]" },
	{ NULL, NULL, NULL, NULL },
};

const struct cli_command *
cli_find(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* FLATCOST_ALLOC_COUNT=1: how many allocations the run made, for the
 * allocation-failure tests (scripts/oom.sh). */
static void
print_alloc_count(void)
{
	fprintf(stderr, "flatcost: allocations: %ld\n", fc_alloc_count());
}

/* A command's output that could not be written is a failure (exit 3),
 * whatever the command returned: `flatcost data >/dev/full` must not
 * succeed. */
static int
finish(int rc)
{
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc < EXIT_USAGE) {
		cli_err("cannot write to standard output: %s", strerror(errno ? errno : EIO));
		return EXIT_RUNTIME;
	}
	return rc;
}

/* The parsed tokenizers' cache (model/tokenize.h): $XDG_CACHE_HOME or
 * ~/.cache, flatcost/tokenizers; FLATCOST_NO_CACHE set keeps none. */
static void
set_cache_dir(void)
{
	char buf[4096];
	const char *e;

	if (getenv("FLATCOST_NO_CACHE"))
		return;
	if ((e = getenv("XDG_CACHE_HOME")) && e[0] == '/')
		snprintf(buf, sizeof(buf), "%s/flatcost/tokenizers", e);
	else if ((e = getenv("HOME")) && e[0] == '/')
		snprintf(buf, sizeof(buf), "%s/.cache/flatcost/tokenizers", e);
	else
		return;
	fc_tokenizer_set_cache_dir(buf);
}

int
main(int argc, char **argv)
{
	const struct cli_command *c;
	const char *names[32];
	size_t n = 0;

	/* GSL's default handler aborts; every GSL status is checked instead */
	gsl_set_error_handler_off();
	out_install_signal_cleanup();
	if (getenv("FLATCOST_FAIL_ALLOC"))
		fc_alloc_fail_at(atol(getenv("FLATCOST_FAIL_ALLOC")));
	if (getenv("FLATCOST_ALLOC_COUNT"))
		atexit(print_alloc_count);
	set_cache_dir();
	if (argc < 2) {
		cmd_help(1, argv);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("flatcost %s\n", FC_VERSION);
		return finish(EXIT_OK);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return finish(cmd_help(1, argv));
	c = cli_find(argv[1]);
	if (c == NULL) {
		const char *s;
		for (c = cli_commands; c->name; c++)
			names[n++] = c->name;
		s = fc_suggest(argv[1], names, n);
		if (s)
			cli_err("unknown command '%s' (did you mean '%s'?)", argv[1], s);
		else
			cli_err("unknown command '%s'; see 'flatcost help'", argv[1]);
		return EXIT_USAGE;
	}
	return finish(c->fn(argc - 1, argv + 1));
}
