/*
 * test_result_json.c: the JSON writer and helpers of model/result_json.c
 * without the CLI: reals in the shortest form that reads back, null for
 * what is not finite, dotted keys nesting, the indented layout byte for
 * byte, the fleet's mode and whether a measured SLO is the scenario's.
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

#include "data.h"
#include "result_json.h"

static void
test_real(void **state)
{
	char buf[32];

	(void)state;
	fc_json_real(buf, sizeof(buf), 197.1);   /* "%.17g" gives 197.09999999999999 */
	assert_string_equal(buf, "197.1");
	fc_json_real(buf, sizeof(buf), 100);
	assert_string_equal(buf, "100.0");
	fc_json_real(buf, sizeof(buf), 1e21);
	assert_string_equal(buf, "1e21");
	fc_json_real(buf, sizeof(buf), 2.5e-7);
	assert_string_equal(buf, "2.5e-7");
	fc_json_real(buf, sizeof(buf), 0.1 + 0.2);
	assert_string_equal(buf, "0.30000000000000004");
	assert_true(strtod(buf, NULL) == 0.1 + 0.2);
}

static void
test_num(void **state)
{
	json_t *j;

	(void)state;
	assert_true(json_is_null(j = fc_json_num(NAN)));
	json_decref(j);
	assert_true(json_is_null(j = fc_json_num(INFINITY)));
	json_decref(j);
	j = fc_json_num(-0.0);
	assert_true(json_is_real(j) && !signbit(json_real_value(j)));
	json_decref(j);
	j = fc_json_num(2.2e-318);   /* a denormal: rounding noise */
	assert_true(json_real_value(j) == 0);
	json_decref(j);
}

static void
test_dump(void **state)
{
	json_t *o = json_object();
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	(void)state;
	assert_non_null(f);
	fc_json_set_dotted(o, "api.monthly_cost", fc_json_num(1234.5));
	fc_json_set_dotted(o, "api.calls", json_integer(7));
	fc_json_set_dotted(o, "flat.viable", json_true());
	json_object_set_new(o, "empty", json_array());
	json_object_set_new(o, "list", json_pack("[f, s, n]", 0.5, "a\"b"));
	assert_int_equal(fc_json_dump(f, o), 0);   /* takes o */
	fclose(f);
	assert_string_equal(p, "{\n"
	    "  \"api\": {\n"
	    "    \"monthly_cost\": 1234.5,\n"
	    "    \"calls\": 7\n"
	    "  },\n"
	    "  \"flat\": {\n"
	    "    \"viable\": true\n"
	    "  },\n"
	    "  \"empty\": [],\n"
	    "  \"list\": [\n"
	    "    0.5,\n"
	    "    \"a\\\"b\",\n"
	    "    null\n"
	    "  ]\n"
	    "}\n");
	free(p);
	/* building failed: -1, and still a newline */
	p = NULL;
	f = open_memstream(&p, &n);
	assert_int_equal(fc_json_dump(f, NULL), -1);
	fclose(f);
	assert_string_equal(p, "\n");
	free(p);
}

static void
test_fleet_and_slo(void **state)
{
	struct fc_scenario s;
	struct fc_tpoint p;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_string_equal(fc_result_fleet_mode(&s), "sized");
	s.flat.max_servers = 4;
	assert_string_equal(fc_result_fleet_mode(&s), "capped");
	s.flat.fixed_servers = 2;
	assert_string_equal(fc_result_fleet_mode(&s), "fixed");
	memset(&p, 0, sizeof(p));
	p.slo_e2e_s = 2;
	p.slo_attainment = 0.95;
	assert_true(fc_result_same_slo(&p, 2));
	assert_false(fc_result_same_slo(&p, 2.5));
	p.slo_attainment = 0.9;
	assert_false(fc_result_same_slo(&p, 2));
	p.slo_attainment = 0.95;
	p.slo_ttft_s = 0.5;   /* a bound on the first token too: another SLO */
	assert_false(fc_result_same_slo(&p, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_num),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_fleet_and_slo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
