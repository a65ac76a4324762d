/* cmd_bench.c: `flatcost bench` (being written). */
#include "cli.h"

int
cmd_bench(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err("bench: not yet implemented");
	return EXIT_RUNTIME;
}
