/*
 * testutil.h: the set-up shared by the unit tests that run on the bundled
 * catalog (data/, so run from the repository root): a cmocka setup, for
 * the group or for one test, that loads it into `cat`, the teardown that
 * frees it, and a scenario loader that fails the test when the scenario
 * does not load.  Static functions, for a test's one translation unit;
 * include after <cmocka.h>.
 */
#ifndef FC_TESTUTIL_H
#define FC_TESTUTIL_H

#include <stdio.h>
#include <gsl/gsl_errno.h>

#include "data.h"
#include "scenario.h"

static struct fc_catalog *cat;

/* Setup: data/ into cat. */
static inline int
load_catalog(void **state)
{
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	if (fc_catalog_load("data", &cat, &d) != FC_OK) {
		fprintf(stderr, "cannot load data/ (run from the repository root): %s\n",
		    d.n ? d.v[0].msg : "?");
		fc_diags_free(&d);
		return -1;
	}
	fc_diags_free(&d);
	return 0;
}

/* load_catalog with GSL's abort-on-error handler off, as the CLI runs
 * (cmd/flatcost.c): a GSL error is a status to check, not an abort. */
static inline int
load_catalog_gsl_off(void **state)
{
	gsl_set_error_handler_off();
	return load_catalog(state);
}

/* Teardown: frees cat. */
static inline int
free_catalog(void **state)
{
	(void)state;
	fc_catalog_free(cat);
	return 0;
}

/* The scenario at path with the --set overrides sets[0..nsets-1]; the
 * test fails when it does not load. */
static inline struct fc_scenario *
load_scenario(const char *path, const char *const *sets, size_t nsets)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;

	fc_diags_init(&d);
	assert_int_equal(fc_scenario_load(path, cat, sets, nsets, &s, &d), FC_OK);
	fc_diags_free(&d);
	return s;
}

#endif
