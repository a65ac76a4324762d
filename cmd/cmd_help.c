/*
 * cmd_help.c: `flatcost help [COMMAND]`.
 */
#include "cli.h"

#include <string.h>

int
cmd_help(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc >= 2) {
		c = cli_find(argv[1]);
		if (c == NULL) {
			cli_err("no such command '%s'; see 'flatcost help'", argv[1]);
			return EXIT_USAGE;
		}
		printf("usage: %s\n\n%s.\n\nSee flatcost(1)%s for the options.\n",
		    c->usage, c->summary,
		    strcmp(c->name, "bench") == 0 ? " and flatcost-bench(1)" :
		    strcmp(c->name, "synth-model") == 0 ? " and flatcost-synth-model(1)" : "");
		return EXIT_OK;
	}
	printf("flatcost %s: what your AI bill will be as you grow, per-token API\n"
	    "against a small self-hosted model on fixed-price servers.\n\n"
	    "usage: flatcost COMMAND [ARGS]\n\ncommands:\n", FC_VERSION);
	for (c = cli_commands; c->name; c++)
		printf("  %-12s %s\n", c->name, c->summary);
	printf("\nflatcost help COMMAND shows a command's synopsis; "
	    "man flatcost has the rest.\n");
	return EXIT_OK;
}
