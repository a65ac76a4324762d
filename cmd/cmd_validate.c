/*
 * cmd_validate.c: `flatcost validate SCENARIO...`: load and check each
 * file, print every error, write nothing.
 */
#include "cli.h"

#include <getopt.h>

#include "budget.h"
#include "data.h"
#include "scenario.h"

const struct cli_opt cli_validate_opts[] = {
	CLI_MC(CLI_MC_DATA),
	CLI_OPTS_END,
};

int
cmd_validate(int argc, char **argv)
{
	struct cli_getopt g;
	struct cli_mc_args mc;
	struct fc_catalog *cat = NULL;
	struct fc_diags d;
	int ch, i, bad = 0;
	enum fc_status st;

	cli_mc_init(&mc);
	cli_getopt_init(&g, cli_validate_opts, argc, argv);
	cli_getopt_mc(&g, "validate", &mc);   /* --no-user-data, --strict-data */
	while ((ch = cli_getopt(&g)) != -1) {
		if (ch == 'h')
			return cli_help("validate");
		return g.status;   /* CLI_GETOPT_FAILED */
	}
	if (optind >= argc)
		return cli_usage_error("validate", "no scenario file given");
	fc_diags_init(&d);
	st = cli_catalog_load(&cat, &d);
	if (st != FC_OK) {
		cli_print_diags(&d);
		fc_diags_free(&d);
		if (st != FC_EINVAL)
			return cli_failed(st);
		cli_err("the data in %s is invalid", cli_data_dir());
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		struct fc_scenario *s = NULL;
		struct fc_diags fd;

		fc_diags_init(&fd);
		st = fc_scenario_load(argv[i], cat, NULL, 0, &s, &fd);
		if (st == FC_OK) {
			/* the budget section is part of the file */
			struct fc_budgets *b = NULL;
			st = fc_budget_from_scenario(s, &b, &fd);
			fc_budget_free(b);
		}
		cli_print_diags(&fd);
		fc_diags_free(&fd);
		if (st == FC_ENOMEM) {
			fc_catalog_free(cat);
			fc_diags_free(&d);
			return cli_oom();
		}
		if (st == FC_EIO)
			bad = 2;   /* a file that could not be read: exit 3 */
		else if (st != FC_OK && (!bad || bad == 3))
			bad = 1;
		else if (st == FC_OK && cli_data_check(s) != EXIT_OK) {
			if (!bad)
				bad = 3;   /* refused by --strict-data: exit 4 */
		} else if (st == FC_OK)
			printf("%s: ok\n", argv[i]);
		fc_scenario_free(s);
	}
	fc_catalog_free(cat);
	fc_diags_free(&d);
	return bad == 2 ? EXIT_RUNTIME : bad == 3 ? EXIT_DATA : bad ? EXIT_USAGE : EXIT_OK;
}
