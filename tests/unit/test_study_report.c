/*
 * test_study_report.c: a study's CSV and JSON without the CLI
 * (model/study_report.c): the header and rows of a deterministic users
 * sweep (the users axis leaves out the figure "users", numbers as %.10g,
 * empty when not finite), a grid's vary.KEY columns with a list's element
 * text, RFC 4180 quoting, and the JSON's sweep, points and breakeven
 * members.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "study_report.h"
#include "testutil.h"

/* What a writer put into a memory stream; free() it. */
static char *
capture_csv(const struct fc_study_run *r)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	assert_non_null(f);
	assert_int_equal(fc_study_csv(f, r), 0);
	fclose(f);
	return p;
}

/* A run of g's points, deterministic, each point's API cost its users
 * times 2 (what the writers print, not a model result). */
static void
fake_run(struct fc_study_run *r, const struct fc_scenario *s, const struct fc_study_grid *g)
{
	size_t p;

	assert_int_equal(fc_study_run_alloc(r, s, g, 1), 0);
	for (p = 0; p < g->npoints; p++) {
		struct fc_mc_result *x = fc_study_res(r, p);
		x->deterministic = 1;
		x->month = 1;
		x->det.users = g->uaxis ? g->ax[g->naxes - 1]->x[fc_study_index(g, p,
		    g->naxes - 1)] : 100;
		x->det.api_total = 2 * x->det.users;
		x->det.flat_total = NAN;
	}
	for (p = 0; p < g->ncomb; p++) {
		r->cross[p].lasting = NAN;
		r->cross[p].nranges = 0;
	}
}

static void
test_users_csv_json(void **state)
{
	const char *vary[1] = { NULL };
	struct fc_study_grid_opts o = { "10:1000:3", vary, 0, -1 };
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/basic.yaml", NULL, 0);
	struct fc_study_grid g;
	struct fc_study_run r;
	struct fc_diags d;
	char *csv, *line2;
	json_t *j;

	(void)state;
	assert_non_null(s);
	fc_diags_init(&d);
	assert_int_equal(fc_study_grid_parse(&o, &g, &d), FC_OK);
	memset(&r, 0, sizeof(r));
	fake_run(&r, s, &g);
	csv = capture_csv(&r);
	/* the header: the axis, then the figures without "users" */
	assert_true(strncmp(csv, "\"users\",\"revenue\",\"workload.calls\",", 35) == 0);
	assert_null(strstr(csv, ",\"users\","));
	assert_null(strstr(csv, "p_flat_cheaper"));   /* deterministic */
	line2 = strchr(csv, '\n') + 1;
	/* 10, 100, 1000 users log-spaced; API total 2 x users; flat NaN: empty */
	assert_true(strncmp(line2, "\"10\",", 5) == 0);
	assert_non_null(strstr(csv, "\n\"100\","));
	assert_non_null(strstr(csv, "\n\"1000\","));
	assert_non_null(strstr(csv, ",\"2000\","));
	assert_non_null(strstr(csv, ",\"\","));   /* flat's NaN */
	assert_int_equal(strlen(csv) > 0 && csv[strlen(csv) - 1] == '\n', 1);
	free(csv);
	j = json_object();
	fc_study_json_fill(j, &r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "sweep"),
	    "key")), "users");
	assert_int_equal(json_array_size(json_object_get(j, "points")), 3);
	assert_true(json_real_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(j, "points"), 2), "api"), "monthly_cost")) == 2000);
	assert_true(json_is_null(json_object_get(json_object_get(j, "breakeven"), "lasting")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "breakeven"),
	    "basis")), "deterministic");
	assert_non_null(json_object_get(j, "inputs"));
	json_decref(j);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
	fc_scenario_free(s);
}

static void
test_grid_csv(void **state)
{
	const char *vary[1] = { "flat.hardware=[hetzner/gex44, {id: \"a,b\"}]" };
	struct fc_study_grid_opts o = { "10:100:2", vary, 1, -1 };
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/basic.yaml", NULL, 0);
	struct fc_study_grid g;
	struct fc_study_run r;
	struct fc_diags d;
	char *csv;

	(void)state;
	assert_non_null(s);
	fc_diags_init(&d);
	assert_int_equal(fc_study_grid_parse(&o, &g, &d), FC_OK);
	assert_int_equal(g.npoints, 4);
	memset(&r, 0, sizeof(r));
	fake_run(&r, s, &g);
	csv = capture_csv(&r);
	assert_true(strncmp(csv, "\"vary.flat.hardware\",\"vary.users\",", 34) == 0);
	/* the list's element as its text; quotes doubled (RFC 4180) */
	assert_non_null(strstr(csv, "\n\"hetzner/gex44\",\"10\","));
	assert_non_null(strstr(csv, "\n\"{id: \"\"a,b\"\"}\",\"100\","));
	free(csv);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
	fc_scenario_free(s);
}

/* The table and Markdown of a users sweep: the heading, a row a point,
 * money in the symbol given. */
static void
test_text(void **state)
{
	const char *vary[1] = { NULL };
	struct fc_study_grid_opts o = { "10:1000:3", vary, 0, -1 };
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/basic.yaml", NULL, 0);
	struct fc_study_figs k = { fc_figure_index("api.monthly_cost"),
	    fc_figure_index("flat.monthly_cost"), fc_figure_index("flat.servers"),
	    fc_figure_index("per_user.api"), fc_figure_index("per_user.flat"), "EUR " };
	struct fc_study_grid g;
	struct fc_study_run r;
	struct fc_diags d;
	char *p = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_study_grid_parse(&o, &g, &d), FC_OK);
	memset(&r, 0, sizeof(r));
	fake_run(&r, s, &g);
	f = open_memstream(&p, &n);
	fc_study_write_text(f, &r, &k, 0);
	fclose(f);
	assert_non_null(strstr(p, "monthly cost by users, 10 to 1,000 in 3 log-spaced points"));
	assert_non_null(strstr(p, "EUR 2,000"));   /* the API at 1,000 users */
	assert_null(strstr(p, "$"));
	free(p);
	f = open_memstream(&p, &n);
	fc_study_write_text(f, &r, &k, 1);
	fclose(f);
	/* cents in Markdown; the fake run's flat is not viable: starred */
	assert_non_null(strstr(p, "| 1,000\\* | EUR 2,000.00 | n/a |"));
	assert_non_null(strstr(p, "\\* flat is not viable at the starred points"));
	free(p);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
	fc_scenario_free(s);
}

static void
test_csv_row(void **state)
{
	const char *cells[3] = { "plain", "with \"quote\"", "" };
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	(void)state;
	fc_csv_row(f, cells, 3);
	fclose(f);
	/* every cell quoted, a quote doubled */
	assert_string_equal(p, "\"plain\",\"with \"\"quote\"\"\",\"\"\n");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users_csv_json),
		cmocka_unit_test(test_grid_csv),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_csv_row),
	};

	return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
