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

/*
 * `flatcost help --complete WHAT [COMMAND]`, for the shell completions in
 * completions/ (not documented for people): one word a line.  WHAT is
 * commands, options (of COMMAND, read from its synopsis), keys (the
 * scenario's dotted keys, for --set KEY=), prices, hardware or models (the
 * bundled catalog's references).  The completions ask the binary, so
 * they cannot drift from it.
 */
static int
complete(int argc, char **argv)
{
	/* by enum fc_catalog_kind */
	static const char *const kinds[] = { "prices", "hardware", "models" };
	_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == FC_NKINDS, "a name a kind");
	const struct cli_command *c;
	const char *const *k;
	size_t i;

	if (argc < 3)
		return EXIT_USAGE;
	if (strcmp(argv[2], "commands") == 0) {
		for (c = cli_commands; c->name; c++)
			puts(c->name);
		return EXIT_OK;
	}
	if (strcmp(argv[2], "options") == 0) {
		const char *p;

		if (argc < 4 || (c = cli_find(argv[3])) == NULL)
			return EXIT_USAGE;
		for (p = c->usage; (p = strstr(p, "-")) != NULL; ) {
			size_t n = 1;

			if (p > c->usage && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) {
				p++;
				continue;
			}
			while (isalnum((unsigned char)p[n]) || p[n] == '-')
				n++;
			if (n > 1)
				printf("%.*s\n", (int)n, p);
			p += n;
		}
		puts("--help");
		return EXIT_OK;
	}
	if (strcmp(argv[2], "keys") == 0) {
		for (k = fc_scenario_paths(); *k; k++)
			puts(*k);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(argv[2], kinds[i]) == 0) {
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
schema(int argc, char **argv)
{
	static const char *const rel[] = { "../docs/schema", "schema" };
	char path[PATH_MAX + 128];
	const char *dir = cli_data_dir();
	FILE *f = NULL;
	size_t i, n;
	char buf[8192];

	if (argc != 3)
		return cli_usage_error("help", "--schema: expected a command, such as check");
	if (cli_find(argv[2]) == NULL) {
		cli_err("no such command '%s'; see 'flatcost help'", argv[2]);
		return EXIT_USAGE;
	}
	for (i = 0; f == NULL && i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.schema.json", dir, rel[i], argv[2]);
		f = fopen(path, "r");
	}
	if (f == NULL) {
		cli_err("%s has no JSON output (no schema in %s/../docs/schema)", argv[2], dir);
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

int
cmd_help(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc >= 2 && strcmp(argv[1], "--complete") == 0)
		return complete(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--schema") == 0)
		return schema(argc, argv);
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
