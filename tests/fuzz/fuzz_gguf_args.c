/*
 * fuzz_gguf_args.c: the GGUF shape arguments of `flatcost synth-model`
 * (--like MODEL, --layers, --embd, --ff, --heads, --kv-heads, --head-dim,
 * --vocab, --context, --quant, --seed, --name), through cmd_synth_model()
 * itself: option parsing, the catalogue lookup, fc_gguf_shape_check, the
 * parameter count and the file size.  The input is the argument list,
 * split at white space; "-o" into a missing directory is appended, so a
 * valid shape ends at "cannot write" without writing gigabytes.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "fuzz.h"

#define MAX_ARGS 40

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("FLATCOST_DATA", fuzz_data_dir(), 0);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *tok, *save = NULL;
	char *argv[MAX_ARGS + 4];
	char cmd[] = "synth-model", o[] = "-o", out[] = "/nonexistent-flatcost-dir/m.gguf";
	int argc = 0;

	if (size > 1024)
		return -1;
	text = fuzz_cstr(data, size);
	argv[argc++] = cmd;
	for (tok = strtok_r(text, " \t\n", &save); tok && argc < MAX_ARGS + 1;
	    tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	argv[argc++] = o;
	argv[argc++] = out;
	argv[argc] = NULL;
	reset_getopt();
	(void)cmd_synth_model(argc, argv);
	free(text);
	return 0;
}
