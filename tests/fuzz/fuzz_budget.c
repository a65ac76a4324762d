/*
 * fuzz_budget.c: a budget file (`flatcost check --budget FILE`): the YAML
 * parser and fc_budget_parse (figure keys, limits, percentiles, lists),
 * the same steps as fc_budget_load.  Budgets that load are evaluated
 * against a fixed deterministic result, as `check` does.
 */
#include <stdio.h>

#include "budget.h"
#include "fuzz.h"
#include "mc.h"
#include "ynode.h"

static struct fc_mc_result result;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* a deterministic result whose figures are all 0 */
	memset(&result, 0, sizeof(result));
	result.deterministic = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_diags d;
	struct fc_ynode *root = NULL;
	struct fc_budgets *b = NULL;
	size_t i;

	if (size > 65536)
		return -1;
	fc_diags_init(&d);
	if (fc_ynode_parse("budget.yaml", (const char *)data, size, &root, &d) == FC_OK &&
	    fc_budget_parse(root, "budget.yaml", &b, &d) == FC_OK) {
		for (i = 0; i < b->n; i++) {
			double v, lim;
			(void)fc_budget_eval(&b->v[i], &result, &v, &lim);
		}
	}
	fuzz_check_diags(&d);
	fc_budget_free(b);
	fc_ynode_free(root);
	fc_diags_free(&d);
	return 0;
}
