/*
 * test_study.c: the study grid without the CLI (model/study.c): ranges
 * log- and evenly spaced, user counts rounded and unique, lists as YAML
 * flow text, the point order (users last, varying fastest), the
 * combination's overrides, refusals with their messages, and the
 * by-value JSON hash that seals a part.
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
#include <unistd.h>

#include "study.h"
#include "testutil.h"

static enum fc_status
parse(const char *users, const char *const *vary, size_t nvary, int spacing,
    struct fc_study_grid *g, struct fc_diags *d)
{
	struct fc_study_grid_opts o = { users, vary, nvary, spacing };

	fc_diags_init(d);
	return fc_study_grid_parse(&o, g, d);
}

static void
test_users_range(void **state)
{
	struct fc_study_grid g;
	struct fc_diags d;

	(void)state;
	assert_int_equal(parse("10:1000:3", NULL, 0, -1, &g, &d), FC_OK);
	assert_int_equal(g.naxes, 1);
	assert_true(g.uaxis);
	assert_int_equal(g.npoints, 3);
	assert_int_equal(g.ncomb, 1);
	/* log-spaced by default: 10, 100, 1000 */
	assert_true(g.ax[0]->x[0] == 10 && g.ax[0]->x[1] == 100 && g.ax[0]->x[2] == 1000);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
	/* --linear; rounded user counts kept once each */
	assert_int_equal(parse("1:3:10", NULL, 0, 0, &g, &d), FC_OK);
	assert_int_equal(g.ax[0]->n, 3);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

static void
test_grid_order_and_sets(void **state)
{
	const char *vary[] = { "flat.hardware=[hetzner/gex44, {monthly_price: 1}]",
	    "workload.input_tokens=500:1000:2" };
	char sets[FC_STUDY_MAX_AXES][FC_STUDY_SET_LEN], v[64];
	struct fc_study_grid g;
	struct fc_diags d;
	json_t *pt;
	char *txt;

	(void)state;
	assert_int_equal(parse("10:1000:3", vary, 2, -1, &g, &d), FC_OK);
	assert_int_equal(g.naxes, 3);
	assert_int_equal(g.npoints, 12);
	assert_int_equal(g.nu, 3);
	assert_int_equal(g.ncomb, 4);
	assert_true(g.grid);
	/* point 7: hardware 1, input_tokens 0, users 1 (users fastest) */
	assert_int_equal(fc_study_index(&g, 7, 0), 1);
	assert_int_equal(fc_study_index(&g, 7, 1), 0);
	assert_int_equal(fc_study_index(&g, 7, 2), 1);
	assert_true(isnan(g.ax[0]->x[0]));
	fc_study_value_text(v, sizeof(v), g.ax[0], 1);
	assert_string_equal(v, "{monthly_price: 1}");
	/* combination 3: the second hardware, 1000 input tokens */
	assert_int_equal(fc_study_comb_sets(&g, 3, sets), 2);
	assert_string_equal(sets[0], "flat.hardware={monthly_price: 1}");
	assert_string_equal(sets[1], "workload.input_tokens=1000");
	pt = fc_study_point_json(&g, 11);
	txt = json_dumps(pt, JSON_COMPACT);
	assert_string_equal(txt, "[\"{monthly_price: 1}\",1000.0,1000.0]");
	free(txt);
	json_decref(pt);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

/* The first error's message for these options. */
static void
refused(const char *users, const char *vary0, const char *msg)
{
	const char *vary[] = { vary0 };
	struct fc_study_grid g;
	struct fc_diags d;

	assert_int_equal(parse(users, vary, vary0 ? 1 : 0, -1, &g, &d), FC_EINVAL);
	assert_true(d.n >= 1);
	assert_string_equal(d.v[d.n - 1].msg, msg);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

static void
test_refusals(void **state)
{
	(void)state;
	refused("5:1", NULL, "--users: expected FROM < TO, got '5:1'");
	refused("10", NULL, "--users: a sweep needs a range FROM:TO[:STEPS], got '10'");
	refused("0:10", NULL, "--users: user counts must be from 1 to 1e+10");
	refused(NULL, "x=1:2", "--vary: expected FROM:TO:STEPS, got '1:2'");
	refused(NULL, "x=1:2:1", "--vary: 1 is out of range (2 to 1000)");
	refused(NULL, "x=[a, a]", "--vary x: 'a' is listed twice");
	refused(NULL, "simulation.trials=1:20:2", "--vary simulation.trials: not a model input "
	    "(every point runs the run's trials); give --trials N to change it for the whole sweep");
	refused("10:100:2", "users=10:100:2", "--vary users=... and --users: give one");
	refused(NULL, NULL, "nothing to sweep: give --users FROM:TO[:STEPS] or --vary KEY=FROM:TO:STEPS");
}

static void
test_list_yaml_error_is_located(void **state)
{
	const char *vary[] = { "x=[1, 2" };
	struct fc_study_grid g;
	struct fc_diags d;

	(void)state;
	assert_int_equal(parse(NULL, vary, 1, -1, &g, &d), FC_EINVAL);
	assert_string_equal(d.v[0].loc.file, "--vary");
	assert_null(d.v[d.n - 1].loc.file);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

static uint64_t
hash_of(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	uint64_t h = FC_STUDY_FNV_INIT;

	assert_non_null(j);
	assert_int_equal(fc_study_hash_json(&h, j), 0);
	json_decref(j);
	return h;
}

static void
test_hash_by_value(void **state)
{
	(void)state;
	/* spellings of one value, key order: the same hash */
	assert_true(hash_of("{\"a\": 10.0, \"b\": [1e1, null]}") ==
	    hash_of("{\"b\": [10, null], \"a\": 10}"));
	assert_true(hash_of("[0.1]") == hash_of("[1e-1]"));
	/* a changed value, an index moved, a member renamed: another hash */
	assert_true(hash_of("{\"a\": 10}") != hash_of("{\"a\": 11}"));
	assert_true(hash_of("[1, 2]") != hash_of("[2, 1]"));
	assert_true(hash_of("{\"a\": 1}") != hash_of("{\"b\": 1}"));
	assert_true(hash_of("[\"1\"]") != hash_of("[1]"));
	assert_true(hash_of("[[1], 2]") != hash_of("[1, [2]]"));
}

/* A study run over x = 1..5 at the means: flat - api = 2.5 - x, so flat
 * becomes cheaper (by a cent) between x = 2 and 3, and stays cheaper. */
static void
test_run_crossing_at_the_means(void **state)
{
	const char *vary[] = { "workload.chaining=1:5:5" };
	struct fc_study_grid g;
	struct fc_study_run r;
	struct fc_diags d;
	long kapi = fc_figure_index("api.monthly_cost"), kflat = fc_figure_index("flat.monthly_cost");
	size_t i;

	(void)state;
	assert_true(kapi >= 0 && kflat >= 0);
	assert_int_equal(parse(NULL, vary, 1, 0, &g, &d), FC_OK);
	assert_int_equal(fc_study_run_alloc(&r, NULL, &g, 1), 0);
	assert_int_equal(fc_study_run_diff(&r), 0);   /* deterministic: no trials */
	assert_null(r.diff);
	for (i = 0; i < g.npoints; i++) {
		struct fc_mc_result *res = fc_study_res(&r, i);
		res->deterministic = 1;
		res->breakeven.viability.viable = 1;
		*(double *)((char *)&res->det + fc_figures[kapi].off) = 10;
		*(double *)((char *)&res->det + fc_figures[kflat].off) = 10 + 2.5 - g.ax[0]->x[i];
	}
	assert_int_equal(fc_study_crossings(&r), FC_OK);
	assert_int_equal(r.cross[0].nranges, 1);
	assert_false(r.cross[0].from_start);
	assert_true(r.cross[0].from[0] > 2 && r.cross[0].from[0] < 3);
	assert_true(isnan(r.cross[0].to[0]));
	assert_true(r.cross[0].lasting == r.cross[0].from[0]);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

/* A shard's run holds only its every stride-th point. */
static void
test_run_stride(void **state)
{
	struct fc_study_grid g;
	struct fc_study_run r;
	struct fc_diags d;

	(void)state;
	assert_int_equal(parse("10:1000:7", NULL, 0, -1, &g, &d), FC_OK);
	assert_int_equal(fc_study_run_alloc(&r, NULL, &g, 3), 0);
	/* points 0, 3, 6 share slot 0, 1, 2 of the shard's */
	assert_ptr_equal(fc_study_res(&r, 3), &r.res[1]);
	assert_ptr_equal(fc_study_res(&r, 6), &r.res[2]);
	assert_ptr_equal(fc_study_be_of(&r, 0), &r.be[0]);
	assert_non_null(r.cdone);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

/* A part that is not there is the user's mistake (FC_EINVAL, located at
 * the file as a scenario's is); a directory too; neither leaves a root. */
static void
test_part_missing(void **state)
{
	struct fc_study_ident id;
	struct fc_diags d;
	json_t *root = (json_t *)1;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_study_part_read("no/such/part.json", &id, &root, &d), FC_EINVAL);
	assert_null(root);
	assert_int_equal((int)d.n, 1);
	assert_string_equal(d.v[0].loc.file, "no/such/part.json");
	assert_string_equal(d.v[0].msg, "cannot open: No such file or directory");
	fc_diags_free(&d);
	fc_diags_init(&d);
	assert_int_equal(fc_study_part_read(".", &id, &root, &d), FC_EINVAL);
	assert_null(root);
	fc_diags_free(&d);
}

/* A part sealed, read back, and refused once an entry is edited. */
static void
test_part_sealed(void **state)
{
	const char *vary[] = { "workload.chaining=1:3:3" };
	char path[] = "/tmp/fc-study-XXXXXX";
	struct fc_study_grid g;
	struct fc_study_run r, back;
	struct fc_study_ident id;
	struct fc_diags d;
	unsigned char done[3] = { 1, 1, 1 }, got[3] = { 0 };
	json_t *part, *res;
	FILE *f;
	int fd;
	size_t i;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("flatcost: 1\n", f);
	fclose(f);
	assert_int_equal(parse(NULL, vary, 1, 0, &g, &d), FC_OK);
	assert_int_equal(fc_study_ident_init(&id, path, NULL, vary, 1, 0, NULL, 0, 20, 7, 1, 1, 1,
	    "fnv1a64:0000000000000000", &d), FC_OK);
	assert_int_equal(fc_study_run_alloc(&r, NULL, &g, 1), 0);
	for (i = 0; i < 3; i++) {
		fc_study_res(&r, i)->deterministic = 1;
		fc_study_res(&r, i)->month = 1;
		fc_study_res(&r, i)->det.users = 100 + (double)i;
	}
	assert_non_null(part = fc_study_part_json(&id, &r, done));
	/* as written: every point back */
	assert_int_equal(fc_study_run_alloc(&back, NULL, &g, 1), 0);
	assert_int_equal(fc_study_part_points(path, part, &id, &back, got, &d), FC_OK);
	assert_true(got[0] && got[1] && got[2]);
	assert_true(fc_study_res(&back, 2)->det.users == 102);
	fc_study_run_free(&back);
	/* the month of point 1 edited: refused, naming the point */
	res = json_array_get(json_object_get(part, "results"), 1);
	json_object_set_new(res, "month", json_integer(2));
	memset(got, 0, sizeof(got));
	assert_int_equal(fc_study_run_alloc(&back, NULL, &g, 1), 0);
	assert_int_equal(fc_study_part_points(path, part, &id, &back, got, &d), FC_EINVAL);
	assert_non_null(strstr(d.v[d.n - 1].msg, "the results of point 1 do not match their hash"));
	fc_study_run_free(&back);
	json_decref(part);
	fc_study_run_free(&r);
	fc_study_ident_free(&id);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
	unlink(path);
}

/* Running a users axis: each point as fc_mc_run gives it with the same
 * seed (common random numbers); the breakeven searched at the first
 * point carried by the others; a shard's search of the combination the
 * same breakeven. */
static void
test_run_points_and_breakeven(void **state)
{
	struct fc_scenario *s = load_scenario("tests/cli/fixtures-sweep/sweep.yaml", NULL, 0);
	struct fc_study_grid g;
	struct fc_study_run r, sh;
	struct fc_mc_opts o;
	struct fc_mc_result direct;
	struct fc_diags d;
	long kapi = fc_figure_index("api.monthly_cost");
	size_t p;

	(void)state;
	assert_int_equal(parse("10:1000:3", NULL, 0, -1, &g, &d), FC_OK);
	memset(&o, 0, sizeof(o));
	o.trials = 40;
	o.seed = 7;
	o.threads = 1;
	o.month = 1;
	o.users = NAN;
	fc_study_breakeven_range(&g, &o);
	assert_true(o.breakeven_from == 10 && o.breakeven_to == 1000);
	assert_int_equal(fc_study_run_alloc(&r, s, &g, 1), 0);
	r.trials = o.trials;
	assert_int_equal(fc_study_run_diff(&r), 0);
	for (p = 0; p < g.npoints; p++)
		assert_int_equal(fc_study_run_point(&r, s, &o, p, 0), FC_OK);
	for (p = 1; p < g.npoints; p++)
		assert_true(fc_study_res(&r, p)->breakeven.lasting ==
		    fc_study_res(&r, 0)->breakeven.lasting);
	o.users = 100;
	o.no_breakeven = 1;
	assert_int_equal(fc_mc_run(s, &o, &direct), FC_OK);
	assert_true(direct.stats[kapi].p50 == fc_study_res(&r, 1)->stats[kapi].p50);
	fc_mc_result_free(&direct);
	/* a shard's search of combination 0 */
	assert_int_equal(fc_study_run_alloc(&sh, s, &g, 1), 0);
	sh.trials = o.trials;
	assert_int_equal(fc_study_run_breakeven(&sh, s, &o, 0), FC_OK);
	assert_true(sh.cdone[0]);
	assert_true(fc_study_be_of(&sh, 0)->b.lasting == fc_study_res(&r, 0)->breakeven.lasting ||
	    (isnan(fc_study_be_of(&sh, 0)->b.lasting) && isnan(fc_study_res(&r, 0)->breakeven.lasting)));
	fc_study_run_free(&sh);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
	fc_scenario_free(s);
}

/* What the loop's hooks saw. */
struct seen {
	int loads, fail_load_at;    /* fail_load_at: the load that fails (1-based), 0 none */
	size_t steps[16], nsteps;
	int searches;
	int failed;
};

static int
h_load(void *ctx, size_t c, struct fc_scenario **s)
{
	struct seen *w = ctx;

	(void)c;
	if (++w->loads == w->fail_load_at)
		return 42;
	*s = load_scenario("tests/cli/fixtures-sweep/sweep.yaml", NULL, 0);
	return *s ? 0 : 1;
}

static int
h_failed(void *ctx, int breakeven, size_t i, enum fc_status st)
{
	(void)breakeven;
	(void)i;
	(void)st;
	((struct seen *)ctx)->failed++;
	return 7;
}

static int
h_step(void *ctx, int breakeven, size_t i)
{
	struct seen *w = ctx;

	if (breakeven)
		w->searches++;
	else if (w->nsteps < 16)
		w->steps[w->nsteps++] = i;
	return 0;
}

/* The engine's loop: every point not done, in order, one scenario load a
 * combination; a shard's own points and its share of the searches; a
 * hook's nonzero value stops it and is returned. */
static void
test_run_points_loop(void **state)
{
	const char *vary[1] = { "workload.chaining=[1, 2]" };
	struct fc_study_grid g;
	struct fc_study_run r;
	struct fc_study_ident id;
	struct fc_mc_opts o;
	struct fc_diags d;
	struct seen w;
	struct fc_study_hooks h = { &w, h_load, h_failed, h_step };
	unsigned char done[4] = { 0, 1, 0, 0 };
	size_t np;

	(void)state;
	assert_int_equal(parse("10:1000:2", vary, 1, -1, &g, &d), FC_OK);
	assert_int_equal(g.npoints, 4);
	memset(&o, 0, sizeof(o));
	o.deterministic = 1;
	o.threads = 1;
	o.month = 1;
	o.users = NAN;
	assert_int_equal(fc_study_run_alloc(&r, NULL, &g, 1), 0);
	memset(&w, 0, sizeof(w));
	assert_int_equal(fc_study_steps(&r, NULL, done, &np), 3);
	assert_int_equal(np, 3);
	assert_int_equal(fc_study_run_points(&r, &o, NULL, done, &h), 0);
	/* point 1 was done: 0, 2, 3; combinations (chaining 1, 2) loaded once each */
	assert_int_equal(w.nsteps, 3);
	assert_true(w.steps[0] == 0 && w.steps[1] == 2 && w.steps[2] == 3);
	assert_int_equal(w.loads, 2);
	assert_int_equal(w.searches, 0);
	assert_true(done[0] && done[2] && done[3]);
	assert_true(o.breakeven_from == 10 && o.breakeven_to == 1000);
	fc_study_run_free(&r);
	/* shard 2 of 2: the odd points, and the search of combination 1 */
	memset(&id, 0, sizeof(id));
	id.k = 2;
	id.n = 2;
	memset(done, 0, sizeof(done));
	memset(&w, 0, sizeof(w));
	assert_int_equal(fc_study_run_alloc(&r, NULL, &g, 2), 0);
	assert_int_equal(fc_study_steps(&r, &id, done, &np), 3);
	assert_int_equal(np, 2);
	assert_int_equal(fc_study_run_points(&r, &o, &id, done, &h), 0);
	assert_int_equal(w.nsteps, 2);
	assert_true(w.steps[0] == 1 && w.steps[1] == 3);
	assert_int_equal(w.searches, 1);
	assert_true(r.cdone[1] && !r.cdone[0]);
	assert_true(!done[0] && done[1] && !done[2] && done[3]);
	fc_study_run_free(&r);
	/* the second combination's load fails: its value is returned, no more steps */
	memset(done, 0, sizeof(done));
	memset(&w, 0, sizeof(w));
	w.fail_load_at = 2;
	assert_int_equal(fc_study_run_alloc(&r, NULL, &g, 1), 0);
	assert_int_equal(fc_study_run_points(&r, &o, NULL, done, &h), 42);
	assert_int_equal(w.nsteps, 2);
	assert_true(done[0] && done[1] && !done[2]);
	fc_study_run_free(&r);
	fc_study_grid_free(&g);
	fc_diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users_range),
		cmocka_unit_test(test_grid_order_and_sets),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_list_yaml_error_is_located),
		cmocka_unit_test(test_hash_by_value),
		cmocka_unit_test(test_run_crossing_at_the_means),
		cmocka_unit_test(test_run_stride),
		cmocka_unit_test(test_part_sealed),
		cmocka_unit_test(test_part_missing),
		cmocka_unit_test_setup_teardown(test_run_points_loop, load_catalog_gsl_off,
		    free_catalog),
		cmocka_unit_test_setup_teardown(test_run_points_and_breakeven, load_catalog_gsl_off,
		    free_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
