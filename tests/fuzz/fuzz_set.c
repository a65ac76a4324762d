/*
 * fuzz_set.c: `--set KEY=VALUE` overrides.  Each line of the input is one
 * --set argument, applied to a bundled scenario (the first byte picks
 * which) through fc_scenario_load, as `flatcost simulate --set` does:
 * the key's dotted path, the value's YAML (a scalar, a distribution, a
 * list), creating missing sections, validation of the result.  When it
 * loads, the deterministic model runs on it.
 */
#include <math.h>
#include <stdio.h>

#include "data.h"
#include "fuzz.h"
#include "mc.h"
#include "scenario.h"

#define MAX_SETS 64

static struct fc_catalog *cat;
static const char *const scenarios[] = {
	"scenarios/content-optimizer.yaml",
	"scenarios/support-chatbot.yaml",
	"scenarios/classifier-api.yaml",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fc_diags d;

	(void)argc;
	(void)argv;
	fc_diags_init(&d);
	if (fc_catalog_load(fuzz_data_dir(), &cat, &d) != FC_OK) {
		fprintf(stderr, "fuzz_set: cannot load the catalog in %s\n", fuzz_data_dir());
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
	const char *sets[MAX_SETS];
	size_t nsets = 0;
	char *text, *p, *nl;
	const char *file;

	if (size < 1 || size > 8192)
		return -1;
	file = scenarios[data[0] % (sizeof(scenarios) / sizeof(scenarios[0]))];
	text = fuzz_cstr(data + 1, size - 1);
	for (p = text; nsets < MAX_SETS; p = nl + 1) {
		sets[nsets++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	fc_diags_init(&d);
	if (fc_scenario_load(file, cat, sets, nsets, &s, &d) == FC_OK) {
		struct fc_mc_opts o;
		struct fc_mc_result r;

		memset(&o, 0, sizeof(o));
		memset(&r, 0, sizeof(r));
		o.trials = 1;
		o.seed = 1;
		o.threads = 1;
		o.month = s->months > 0 && s->months <= 24 ? s->months : 1;
		o.users = (double)NAN;
		o.deterministic = 1;
		(void)fc_mc_run(s, &o, &r);
		fc_mc_result_free(&r);
	}
	fuzz_check_diags(&d);
	fc_scenario_free(s);
	fc_diags_free(&d);
	free(text);
	return 0;
}
