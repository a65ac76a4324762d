/*
 * test_compare_report.c: compare's listing without the CLI
 * (model/compare_report.c): ranked options first, then viable unranked,
 * raced out and not viable; an option as JSON (a refused one with its
 * reason and no figures, a flat one with simulate's keys, deterministic
 * and over trials); the ranking's sentences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "compare_report.h"
#include "cost.h"
#include "testutil.h"

static void
test_order(void **state)
{
	struct fc_cmp_option v[6];
	size_t order[6];

	(void)state;
	memset(v, 0, sizeof(v));
	v[0].viable = 0;                       /* not viable */
	v[1].viable = 1, v[1].rank = 2;
	v[2].viable = 1, v[2].raced_out = 1;   /* raced out */
	v[3].viable = 1, v[3].rank = 1;
	v[4].viable = 1;                       /* viable, unranked */
	v[5].viable = 0;
	fc_compare_order(v, 6, order);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 4);
	assert_int_equal(order[3], 2);
	assert_int_equal(order[4], 0);
	assert_int_equal(order[5], 5);
}

static void
test_option_json(void **state)
{
	struct fc_hw hw;
	struct fc_cmp_option op;
	json_t *j;

	(void)state;
	memset(&hw, 0, sizeof(hw));
	hw.id = (char *)"hetzner/cx43";
	memset(&op, 0, sizeof(op));
	op.kind = FC_CMP_FLAT;
	op.hw = &hw;
	strcpy(op.ref, "qwen2.5-7b-q4_k_m");
	strcpy(op.reason, "too slow");
	j = fc_compare_option_json(&op, 1);
	assert_string_equal(json_string_value(json_object_get(j, "hardware")), "hetzner/cx43");
	assert_string_equal(json_string_value(json_object_get(j, "reason")), "too slow");
	assert_true(json_is_null(json_object_get(j, "rank")));
	assert_null(json_object_get(j, "flat"));   /* no figures when not viable */
	json_decref(j);
	op.viable = 1;
	op.rank = 1;
	op.det.flat_total = 123.5;
	op.det.servers = 2;
	op.breakeven_users = NAN;
	j = fc_compare_option_json(&op, 1);
	assert_int_equal(json_integer_value(json_object_get(j, "rank")), 1);
	assert_true(json_is_null(json_object_get(j, "reason")));
	assert_true(json_real_value(json_object_get(json_object_get(j, "flat"), "monthly_cost")) ==
	    123.5);
	assert_true(json_real_value(json_object_get(json_object_get(j, "flat"), "servers")) == 2);
	assert_true(json_is_null(json_object_get(j, "breakeven_users")));
	json_decref(j);
	/* over trials: the statistics */
	op.stats[FC_CMP_COST].p50 = 99;
	j = fc_compare_option_json(&op, 0);
	assert_true(json_real_value(json_object_get(json_object_get(json_object_get(j, "flat"),
	    "monthly_cost"), "p50")) == 99);
	json_decref(j);
	op.kind = FC_CMP_API;
	assert_string_equal(fc_compare_hardware(&op), "api");
	op.kind = FC_CMP_API_ROUTED;
	assert_string_equal(fc_compare_hardware(&op), "api_routed");
}

static void
test_sentences(void **state)
{
	struct fc_cmp_rank rk = { 0, 2, 1 };
	char buf[400];

	(void)state;
	rk.fig = fc_figure_index("flat.monthly_cost");
	assert_false(fc_compare_by_breakeven(&rk));
	assert_string_equal(fc_compare_rank_stat(&rk, 0), "p50");
	assert_string_equal(fc_compare_rank_stat(&rk, 1), "deterministic");
	assert_string_equal(fc_compare_rank_order(&rk), "lowest first");
	rk.fig = fc_figure_index("savings.monthly");
	assert_string_equal(fc_compare_rank_order(&rk), "highest first");
	rk.fig = fc_figure_index("breakeven_users");
	assert_true(fc_compare_by_breakeven(&rk));
	assert_string_equal(fc_compare_rank_stat(&rk, 0), "at the means");
	fc_compare_race_text(buf, sizeof(buf), 1);
	assert_true(strncmp(buf, "1 option raced out: on the first 250 trials its ", 48) == 0);
	fc_compare_race_text(buf, sizeof(buf), 3);
	assert_true(strncmp(buf, "3 options raced out: on the first 250 trials their ", 51) == 0);
}

/* The listing for people and as CSV: the heading, a viable option's row
 * in the given currency, a refused one under "Not viable" with its reason. */
static void
test_listing(void **state)
{
	struct fc_scenario *s = load_scenario("tests/cli/fixtures/basic.yaml", NULL, 0);
	struct fc_hw hw;
	struct fc_cmp_option v[2];
	struct fc_mc_opts o;
	struct fc_compare_listing l;
	size_t order[2];
	char *p = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	assert_non_null(s);
	memset(&hw, 0, sizeof(hw));
	hw.id = (char *)"hetzner/cx43";
	memset(v, 0, sizeof(v));
	v[0].kind = v[1].kind = FC_CMP_FLAT;
	v[0].hw = v[1].hw = &hw;
	strcpy(v[0].ref, "small-q4");
	strcpy(v[1].ref, "huge-f16");
	v[0].viable = 1;
	v[0].rank = 1;
	v[0].det.servers = 3;
	v[0].det.flat_total = 1234.5;
	v[0].breakeven_users = 4200;
	strcpy(v[1].reason, "does not fit in memory");
	memset(&o, 0, sizeof(o));
	o.deterministic = 1;
	o.month = 1;
	o.users = 5000;
	memset(&l, 0, sizeof(l));
	l.s = s;
	l.o = &o;
	l.rk.fig = fc_figure_index("flat.monthly_cost");
	l.v = v;
	l.n = 2;
	fc_compare_order(v, 2, order);
	l.order = order;
	l.money = "EUR ";
	f = open_memstream(&p, &n);
	assert_int_equal(fc_compare_write_text(f, &l, 0), 0);
	fclose(f);
	assert_non_null(strstr(p, ": 5,000 users, month 1, deterministic (every input at its mean)\n"
	    "Ranked by flat.monthly_cost, lowest first\nHardware priced on every basis\n"));
	assert_non_null(strstr(p, "hetzner/cx43"));
	assert_non_null(strstr(p, "EUR 1,234.50"));
	assert_non_null(strstr(p, "4,200"));
	assert_non_null(strstr(p, "\nNot viable (1):\n  hetzner/cx43 huge-f16: does not fit in memory\n"));
	free(p);
	p = NULL;
	f = open_memstream(&p, &n);
	assert_int_equal(fc_compare_write_csv(f, &l), 0);
	fclose(f);
	assert_non_null(strstr(p, "\"1\",\"hetzner/cx43\",\"small-q4\",\"true\",\"3\",\"1234.5\","));
	assert_non_null(strstr(p, "\"huge-f16\",\"false\""));
	free(p);
	fc_scenario_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_option_json),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test_setup_teardown(test_listing, load_catalog, free_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
