/*
 * test_sens_json.c: a sensitivity analysis as JSON (model/sens_json.c):
 * the inputs listed by share, largest first, then the rest; the figure's
 * spread and null share; the value of information naming the best input;
 * nulls instead of NaN.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "inputs.h"
#include "sens_json.h"

static void
test_fill(void **state)
{
	struct fc_sens_mc m;
	struct fc_sens_row rows[2];
	size_t order[2] = { 1, 0 };
	json_t *o, *in, *fig;

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(rows, 0, sizeof(rows));
	m.r.in.users = 1000;
	m.f.kind = FC_SENS_FIGURE;
	m.f.key = "api.monthly_cost";
	m.f.label = "API total";
	m.f.unit = "USD/month";
	m.cols[0] = 0;
	m.cols[1] = 1;
	m.ncols = 2;
	m.e.n = 100;
	m.e.nnull = 25;
	m.e.ninputs = 2;
	m.e.rows = rows;
	m.e.order = order;
	m.e.best = 1;
	m.e.rest = 0.1;
	m.e.width = 40;
	rows[0].share = 0.3;
	rows[1].share = 0.6;
	rows[1].width_known = 12;
	rows[0].low = NAN;
	o = json_object();
	fc_sens_mc_json_fill(o, &m);
	fig = json_object_get(o, "figure");
	assert_string_equal(json_string_value(json_object_get(fig, "key")), "api.monthly_cost");
	assert_true(json_real_value(json_object_get(fig, "null_share")) == 0.25);
	in = json_object_get(o, "inputs");
	assert_int_equal(json_array_size(in), 3);
	/* by share: input 1 (0.6), input 0 (0.3), then the rest */
	assert_string_equal(json_string_value(json_object_get(json_array_get(in, 0), "key")),
	    fc_inputs_mc[1].key);
	assert_true(json_real_value(json_object_get(json_array_get(in, 0), "share")) == 0.6);
	assert_true(json_is_null(json_object_get(json_array_get(in, 1), "low")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(in, 2), "key")),
	    FC_SENS_REST_KEY);
	assert_true(json_is_null(json_object_get(json_array_get(in, 2), "unit")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
	    "value_of_information"), "best")), fc_inputs_mc[1].key);
	assert_true(json_real_value(json_object_get(json_object_get(o, "value_of_information"),
	    "width_if_known")) == 12);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "method"),
	    "scale")), "values");
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
