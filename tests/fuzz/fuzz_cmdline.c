/*
 * fuzz_cmdline.c: whole command lines of the Monte Carlo commands
 * (simulate, sweep, check, diff, validate) through their cmd_*()
 * functions: option parsing, every --set and --vary (of any length: issue
 * 18 item 1 was a fixed 8 KiB buffer for the --set text), the scenario
 * load and the run.  The input is the argument list, one argument a line
 * (an argument may hold spaces); the first byte picks the command.
 * Options that write files or start programs (-o, --output, --plot*,
 * --junit, --profile, and -h) are dropped with the line after them, and "--trials 2 --threads 1" is
 * appended, so that a run stays short and writes nothing but stdout.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "fuzz.h"

#define MAX_ARGS 64

static const struct {
	const char *name;
	int (*fn)(int, char **);
} cmds[] = {
	{ "simulate", cmd_simulate },
	{ "sweep", cmd_sweep },
	{ "check", cmd_check },
	{ "diff", cmd_diff },
	{ "validate", cmd_validate },
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("FLATCOST_DATA", fuzz_data_dir(), 0);
	/* stdout is the report: nobody reads it */
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
	return 0;
}

/* getopt keeps a pointer into the last argv between calls: a fresh scan
 * (optind = 0) drops it, as a new process would. */
static void
reset_getopt(void)
{
	char a0[] = "flatcost";
	char *av[] = { a0, NULL };

	optind = 0;
	opterr = 0;
	(void)getopt(1, av, "");
	opterr = 1;
}

/* Options that would write a file or start gnuplot: -o and -h in any
 * form, and every long option getopt_long would read as one of
 * output, plot, plot-script, junit, profile or help (it takes any
 * unambiguous prefix, and NAME=VALUE). */
static int
dropped(const char *a)
{
	static const char *const names[] = { "output", "plot", "plot-script",
	    "junit", "profile", "help" };
	size_t i, n;

	if (a[0] != '-')
		return 0;
	if (a[1] != '-')
		return strchr(a, 'o') != NULL || strchr(a, 'h') != NULL;
	n = strcspn(a + 2, "=");
	for (i = 0; n > 0 && i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(a + 2, names[i], n) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *p, *nl;
	char *argv[MAX_ARGS + 6];
	char t0[] = "--trials", t1[] = "2", h0[] = "--threads", h1[] = "1";
	int argc = 0, c;

	if (size < 1 || size > 40000)
		return -1;
	c = data[0] % (int)(sizeof(cmds) / sizeof(cmds[0]));
	text = fuzz_cstr(data + 1, size - 1);
	argv[argc++] = (char *)(uintptr_t)cmds[c].name;
	for (p = text; argc < MAX_ARGS + 1; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		/* an option's value on the next line is dropped with it */
		if (dropped(p)) {
			if (nl == NULL || (nl = strchr(nl + 1, '\n')) == NULL)
				break;
			continue;
		}
		argv[argc++] = p;
		if (nl == NULL)
			break;
	}
	if (c != 4) {   /* validate takes none of these */
		argv[argc++] = t0;
		argv[argc++] = t1;
		argv[argc++] = h0;
		argv[argc++] = h1;
	}
	argv[argc] = NULL;
	reset_getopt();
	cli_io_reset();
	(void)cmds[c].fn(argc, argv);
	free(text);
	return 0;
}
