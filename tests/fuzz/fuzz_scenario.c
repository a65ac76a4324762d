/*
 * fuzz_scenario.c: a scenario file through the whole loader: YAML
 * (fc_ynode_parse via fc_scenario_load_text), the schema, distributions,
 * references into the bundled catalog, inline entries, the budget section;
 * then, when it loads, a deterministic run and a 3-trial Monte Carlo run
 * of the model on it, so that whatever numbers the loader lets through are
 * also safe to compute with.
 *
 * The input is loaded from memory (fc_scenario_load_text), through the
 * same loader as `flatcost validate FILE`.
 */
#include <math.h>
#include <stdio.h>

#include "budget.h"
#include "data.h"
#include "fuzz.h"
#include "mc.h"
#include "scenario.h"

static struct fc_catalog *cat;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fc_diags d;

	(void)argc;
	(void)argv;
	fc_diags_init(&d);
	if (fc_catalog_load(fuzz_data_dir(), &cat, &d) != FC_OK) {
		fprintf(stderr, "fuzz_scenario: cannot load the catalog in %s\n",
		    fuzz_data_dir());
		abort();
	}
	fc_diags_free(&d);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_diags d;
	struct fc_scenario *s = NULL;
	struct fc_budgets *b = NULL;
	struct fc_mc_opts o;
	struct fc_mc_result r;

	if (size > 65536)
		return -1;   /* a scenario is a few KB; the loader's limit is tested elsewhere */
	fc_diags_init(&d);
	if (fc_scenario_load_text("scenario.yaml", (const char *)data, size, cat, NULL, 0, &s,
	    &d) == FC_OK) {
		(void)fc_budget_from_scenario(s, &b, &d);
		fc_budget_free(b);
		memset(&o, 0, sizeof(o));
		o.trials = 3;
		o.seed = 1;
		o.threads = 1;
		o.month = s->months > 0 && s->months <= 24 ? s->months : 1;
		o.users = (double)NAN;
		o.deterministic = 1;
		memset(&r, 0, sizeof(r));
		(void)fc_mc_run(s, &o, &r);
		fc_mc_result_free(&r);
		o.deterministic = 0;
		memset(&r, 0, sizeof(r));
		(void)fc_mc_run(s, &o, &r);
		fc_mc_result_free(&r);
	}
	fuzz_check_diags(&d);
	fc_scenario_free(s);
	fc_diags_free(&d);
	return 0;
}
