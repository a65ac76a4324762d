/*
 * sweep_grid.c: the points of `flatcost sweep` and `flatcost merge` from
 * their options, through the study grid of model/study.c, which prints
 * nothing: this file says what is wrong (the usage error, with the
 * --vary list's excerpt), and loads the scenario of each combination.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "ynode.h"

/* The first --vary list whose YAML does not parse: its text is the
 * source the diagnostics point into. */
static void
add_failed_list(const char *const *vary, size_t nvary)
{
	struct fc_ynode *y;
	struct fc_diags d;
	const char *eq, *val;
	size_t i;
	int bad;

	for (i = 0; i < nvary; i++) {
		if ((eq = strchr(vary[i], '=')) == NULL)
			continue;
		for (val = eq + 1; *val == ' '; val++)
			;
		if (*val != '[')
			continue;
		fc_diags_init(&d);
		y = NULL;
		bad = fc_ynode_parse("--vary", val, strlen(val), &y, &d) != FC_OK;
		fc_ynode_free(y);
		fc_diags_free(&d);
		if (bad) {
			(void)cli_add_source("--vary", val);   /* only the excerpt is lost */
			return;
		}
	}
}

int
sweep_grid_parse(const char *cmd, const char *users_arg, const char *const *vary,
    size_t nvary, int spacing, struct fc_study_grid *g)
{
	struct fc_study_grid_opts o = { users_arg, vary, nvary, spacing };
	struct fc_diags d, located;
	enum fc_status st;
	size_t i;
	int rc = 0;

	fc_diags_init(&d);
	st = fc_study_grid_parse(&o, g, &d);
	if (st == FC_ENOMEM || d.oom) {
		fc_diags_free(&d);
		return cli_oom();
	}
	if (st != FC_OK) {
		/* the list's YAML errors with their excerpt, then the usage error */
		located = d;
		located.n = located.n_errors = 0;
		located.n_dropped = 0;
		located.v = fc_calloc(d.n + 1, sizeof(*located.v));
		for (i = 0; located.v && i < d.n; i++)
			if (d.v[i].loc.file) {
				located.v[located.n++] = d.v[i];
				located.n_errors += d.v[i].sev == FC_SEV_ERROR;
			}
		if (located.n) {
			add_failed_list(vary, nvary);
			cli_print_diags(&located);
		}
		fc_free(located.v);
		for (i = 0; i < d.n; i++)
			if (d.v[i].loc.file == NULL && d.v[i].sev == FC_SEV_ERROR) {
				cli_usage_error(cmd, "%s", d.v[i].msg);
				break;
			}
		rc = EXIT_USAGE;
	}
	fc_diags_free(&d);
	return rc;
}

int
sweep_load_comb(const char *path, const char *text, size_t len, const char *const *sets,
    size_t nsets,
    const struct fc_study_grid *g, size_t c, struct fc_catalog **cat, struct fc_scenario **s)
{
	char own[SWEEP_MAX_AXES][SWEEP_SET_LEN], at[SWEEP_MAX_AXES * SWEEP_SET_LEN] = "";
	const char *all[CLI_MAX_SETS + SWEEP_MAX_AXES];
	size_t n = fc_study_comb_sets(g, c, own), i;
	int rc, known = 1;

	for (i = 0; i < nsets; i++)
		all[i] = sets[i];
	/* KEY=VALUE after the --set overrides */
	for (i = 0; i < n; i++) {
		const char *const *p;
		all[nsets + i] = own[i];
		for (p = fc_scenario_paths(); *p; p++)
			if (strncmp(own[i], *p, strlen(*p)) == 0 && own[i][strlen(*p)] == '=')
				break;
		known &= *p != NULL;
		strcat(at, i ? ", " : "");
		strcat(at, own[i]);
	}
	rc = load_scenario_varyn(path, text, len, all, nsets + n, n, cat, s);
	if (rc == EXIT_USAGE && known && n == 1 && g->ax[0]->arg)
		cli_err("--vary %s: the point %s is not valid", g->ax[0]->arg, at);
	else if (rc == EXIT_USAGE && known && n)
		cli_err("--vary: the point %s is not valid", at);
	return rc;
}

int
sweep_check_combs(const char *path, const char *text, size_t len, const char *const *sets,
    size_t nsets,
    const struct fc_study_grid *g, const struct fc_scenario *s, struct fc_catalog **cat,
    char *hash, size_t hashlen)
{
	uint64_t h = FC_STUDY_FNV_INIT;
	struct fc_scenario *cs;
	size_t c, nvaried = g->naxes - (size_t)g->uaxis;
	int rc = EXIT_OK;

	for (c = 0; c < (nvaried ? g->ncomb : 1) && rc == EXIT_OK; c++) {
		cs = NULL;
		if (nvaried && (rc = sweep_load_comb(path, text, len, sets, nsets, g, c, cat, &cs)) != EXIT_OK)
			break;
		if (hash && sweep_inputs_hash(cs ? cs : s, &h) != 0)
			rc = cli_oom();
		fc_scenario_free(cs);
	}
	if (hash)
		snprintf(hash, hashlen, "fnv1a64:%016llx", (unsigned long long)h);
	return rc;
}
