/*
 * cmd_help.c: `flatcost help [COMMAND]`.
 */
#include "cli.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "scenario.h"

enum { OPT_COMPLETE = CLI_OPT_OWN, OPT_COMPLETIONS, OPT_SCHEMA };

const struct cli_opt cli_help_opts[] = {
	CLI_OPT("schema", OPT_SCHEMA, "COMMAND", "print the JSON Schema of COMMAND's --format json"),
	CLI_OPTF("complete", OPT_COMPLETE, "WHAT", "one word a line, for the shell completions",
	    CLI_OF_HIDDEN),
	CLI_OPTF("completions", OPT_COMPLETIONS, NULL, "the generated part of the completion "
	    "scripts", CLI_OF_HIDDEN),
	CLI_OPTS_END,
};

/*
 * `flatcost help --complete WHAT [COMMAND]`, for the shell completions in
 * completions/ (not documented for people): one word a line.  WHAT is
 * commands, options (of COMMAND: its option table's, --help and -o
 * included), keys (the scenario's dotted keys, for --set KEY=), prices,
 * hardware or models (the bundled catalog's references).  The completions
 * ask the binary, so they cannot drift from it.
 */
static int
complete(const char *what, const char *cmd)
{
	/* by enum fc_catalog_kind */
	static const char *const kinds[] = { "prices", "hardware", "models" };
	_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == FC_NKINDS, "a name a kind");
	const struct cli_command *c;
	const char *const *k;
	size_t i;

	if (strcmp(what, "commands") == 0) {
		for (c = cli_commands; c->name; c++)
			puts(c->name);
		return EXIT_OK;
	}
	if (strcmp(what, "options") == 0) {
		struct cli_opt_iter it;
		const struct cli_opt *o;

		if (cmd == NULL || (c = cli_find(cmd)) == NULL)
			return EXIT_USAGE;
		cli_opt_iter_init(&it, c->opts);
		while ((o = cli_opt_next(&it)) != NULL) {
			if (o->flags & CLI_OF_HIDDEN)
				continue;
			printf("--%s\n", o->name);
			if (o->code > 0 && o->code < 256 && o != &cli_help_opt)
				printf("-%c\n", o->code);
		}
		return EXIT_OK;
	}
	if (strcmp(what, "keys") == 0) {
		for (k = fc_scenario_paths(); *k; k++)
			puts(*k);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(what, kinds[i]) == 0) {
			struct fc_catalog *cat = NULL;
			struct fc_diags d;
			const char **ids = NULL;
			char *buf = NULL;
			size_t n, j, max = 4096, blen = 1 << 20;
			int rc = EXIT_RUNTIME;

			fc_diags_init(&d);
			if (fc_catalog_load(cli_data_dir(), &cat, &d) == FC_OK &&
			    (ids = fc_calloc(max, sizeof(*ids))) != NULL &&
			    (buf = fc_malloc(blen)) != NULL) {
				n = fc_catalog_ids(cat, (enum fc_catalog_kind)i, ids, buf, blen, max);
				for (j = 0; j < n && j < max; j++)
					puts(ids[j]);
				rc = EXIT_OK;
			}
			fc_free(buf);
			fc_free(ids);
			fc_catalog_free(cat);
			fc_diags_free(&d);
			return rc;
		}
	return EXIT_USAGE;
}

/* `flatcost help --schema COMMAND`: the JSON Schema of the command's
 * --format json output, docs/schema/COMMAND.schema.json beside the data
 * (the build tree), or data/schema/ where it is installed. */
static int
schema(const char *cmd)
{
	static const char *const rel[] = { "../docs/schema", "schema" };
	char path[PATH_MAX + 128];
	const char *dir = cli_data_dir();
	FILE *f = NULL;
	size_t i, n;
	char buf[8192];

	if (cli_find(cmd) == NULL) {
		cli_err("no such command '%s'; see 'flatcost help'", cmd);
		return EXIT_USAGE;
	}
	for (i = 0; f == NULL && i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.schema.json", dir, rel[i], cmd);
		f = fopen(path, "r");
	}
	if (f == NULL) {
		cli_err("%s has no JSON output (no schema in %s/../docs/schema)", cmd, dir);
		return EXIT_USAGE;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	if (ferror(f) || fclose(f) != 0 || fflush(stdout) != 0) {
		cli_err("cannot read %s", path);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* `flatcost help COMMAND`: the synopsis, the summary and every option. */
static int
help_command(const char *name)
{
	const struct cli_command *c = cli_find(name);

	if (c == NULL) {
		cli_err("no such command '%s'; see 'flatcost help'", name);
		return EXIT_USAGE;
	}
	printf("usage: %s\n\n%s.\n\n", cli_synopsis(c), c->summary);
	cli_opts_print_help(stdout, c);
	printf("\nSee flatcost(1)%s for the details.\n",
	    strcmp(c->name, "bench") == 0 ? " and flatcost-bench(1)" :
	    strcmp(c->name, "synth-model") == 0 ? " and flatcost-synth-model(1)" : "");
	return EXIT_OK;
}

int
cmd_help(int argc, char **argv)
{
	const struct cli_command *c;
	const char *complete_what = NULL, *schema_cmd = NULL;
	struct cli_getopt g;
	int ch, completions = 0;

	cli_getopt_init(&g, cli_help_opts, argc, argv);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case 'h':
			return help_command("help");
		case OPT_COMPLETE:
			complete_what = optarg;
			break;
		case OPT_COMPLETIONS:
			completions = 1;
			break;
		case OPT_SCHEMA:
			schema_cmd = optarg;
			break;
		default:
			return cli_bad_option("help", ch, argv);
		}
	}
	if (complete_what)
		return complete(complete_what, optind < argc ? argv[optind] : NULL);
	if (completions)
		return cli_opts_print_completions(stdout);
	if (optind + (schema_cmd == NULL) < argc)
		return cli_usage_error("help", "unexpected argument '%s'",
		    argv[optind + (schema_cmd == NULL)]);
	if (schema_cmd)
		return schema(schema_cmd);
	if (optind < argc)
		return help_command(argv[optind]);
	printf("flatcost %s: what your AI bill will be as you grow, per-token API\n"
	    "against a small self-hosted model on fixed-price servers.\n\n"
	    "usage: flatcost COMMAND [ARGS]\n\ncommands:\n", FC_VERSION);
	for (c = cli_commands; c->name; c++)
		printf("  %-12s %s\n", c->name, c->summary);
	printf("\nflatcost help COMMAND shows a command's synopsis and options; "
	    "man flatcost has the rest.\n");
	return EXIT_OK;
}
