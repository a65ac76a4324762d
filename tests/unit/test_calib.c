/* test_calib.c: the usage-log readers and the fit (model/calib*.c):
 * round trips from logs generated with known parameters in every format
 * (tolerances stated with each check), the CSV corner cases (quotes, CRLF,
 * BOM, gzip), bad rows with their line numbers, and time parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <zlib.h>
#include <jansson.h>

#include <cmocka.h>

#include "calib.h"
#include "testutil.h"

#define WITHIN(x, want, tol) do { \
	double x_ = (x), w_ = (want); \
	if (!(fabs(x_ - w_) <= (tol))) \
		fail_msg("%s = %g, want %g +- %g", #x, x_, w_, (double)(tol)); \
} while (0)

static struct fc_calib_gen
gen_params(void)
{
	struct fc_calib_gen g;

	memset(&g, 0, sizeof(g));
	g.users = 200;
	g.days = 28;
	g.t0 = 1714521600;      /* 2024-05-01 00:00 UTC, a Wednesday */
	g.rpud = 5;
	g.chaining = 2;
	g.in_mean = 800;
	g.in_cv = 0.6;
	g.out_mean = 200;
	g.out_cv = 0.4;
	g.top10 = 0.4;
	g.peak = 2;
	g.weekend = 0.3;
	g.cached = 0.25;
	g.batch = 0.1;
	g.fallback = 0.08;
	g.seed = 7;
	return g;
}

/* Writes a generated log to a temporary file, gzip-compressed when gz. */
static void
gen_file(char *path, enum fc_calib_format fmt, const struct fc_calib_gen *g, int gz)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/fc_calib_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(fc_calib_generate(f, fmt, g) > 0);
	assert_int_equal(fclose(f), 0);
	if (gz) {
		char *buf;
		long n;
		gzFile z;
		f = fopen(path, "rb");
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		buf = malloc((size_t)n);
		assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		z = gzopen(path, "wb");
		assert_int_equal(gzwrite(z, buf, (unsigned)n), (int)n);
		gzclose(z);
		free(buf);
	}
}

static enum fc_status
fit_file(const char *path, const struct fc_calib_opts *o, double users,
    struct fc_calib **c, struct fc_calib_fit *f, struct fc_diags *d)
{
	enum fc_status st;

	assert_int_equal(fc_calib_new(o, c), FC_OK);
	st = fc_calib_read(*c, path, d);
	if (st != FC_OK)
		return st;
	return fc_calib_fit(*c, users, f);
}

static void
test_roundtrip_csv(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_diags d;
	char path[64];
	int h;

	(void)state;
	gen_file(path, FC_CALIB_CSV, &g, 1);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	assert_int_equal(f.format, FC_CALIB_CSV);
	WITHIN(f.users.v, 197, 3);           /* users with no call in 28 days are not seen */
	WITHIN(f.span_days, 28, 0);
	WITHIN(f.chaining.v, 2, 0.05);          /* 1 + Poisson(1) a trace */
	/* sd of 1 + Poisson(1) is 1: se = 1 / sqrt(traces) */
	WITHIN(f.chaining.hi - f.chaining.v, 1.6449 / sqrt(f.n_traces), 0.1 / sqrt(f.n_traces));
	WITHIN(f.rpud.v, 5, 0.35);              /* weekday actions per user */
	assert_true(f.rpud.lo < f.rpud.v && f.rpud.v < f.rpud.hi);
	WITHIN(f.days.v, 30.4375 * (5 + 2 * 0.3) / 7, 1.5);   /* weekday pattern */
	WITHIN(f.top10.v, 0.4, 0.06);
	WITHIN(f.input.v, 800, 800 * 0.03);
	WITHIN(f.output.v, 200, 200 * 0.03);
	WITHIN(f.input_cv.v, 0.6, 0.06);
	WITHIN(f.output_cv.v, 0.4, 0.04);
	WITHIN(f.cached.v, 0.25, 0.005);
	WITHIN(f.batch.v, 0.1, 0.02);
	WITHIN(f.fallback.v, 0.08, 0.02);
	assert_true(f.fallback.lo < 0.08 + 0.01 && f.fallback.hi > 0.08 - 0.01);
	assert_true(f.fallback_a > 1 && f.fallback_b > f.fallback_a);
	assert_true(f.has_diurnal);
	WITHIN(f.peak.v, 2, 0.25);              /* the cosine's peak hour, 14:00 */
	for (h = 0; h < 24; h++)
		WITHIN(f.diurnal[h], 1 + cos(2 * M_PI * (h + 0.5 - 14) / 24), 0.3);
	assert_int_equal(f.n_models, 2);
	WITHIN(f.model_share[0], 0.75, 0.05);
	assert_false(f.growth.ok);              /* 28 days cannot identify growth */
	/* the bill at a price of 1 USD per million of each kind of token */
	{
		struct fc_price p = { 0 };
		double b;
		p.input = p.cached_input = p.output = 1;
		b = fc_calib_bill(c, &p, 0, fc_calib_ndays(c));
		WITHIN(b, f.calls * (f.input.v + f.output.v) / 1e6, 1e-6 * b);
	}
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

/* A two-model log (30% of actions on gpt-4o-mini): calibrate recovers the
 * shares, the route maps both to bundled prices, its bill splits the log's
 * bill by model, and the route written loads as a scenario's api.route. */
static void
test_roundtrip_route(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_calib_route rt, split;
	struct fc_price unit = { 0 }, zero = { 0 };
	struct fc_scenario *s;
	struct fc_diags d;
	char path[64], ypath[] = "/tmp/fc_calib_route_XXXXXX";
	double all, mini, big;
	FILE *y;
	int fd;

	(void)state;
	g.mini_share = 0.3;
	g.days = 14;
	gen_file(path, FC_CALIB_CSV, &g, 0);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	assert_int_equal(f.n_models, 2);
	assert_int_equal(f.models_seen, 2);
	WITHIN(f.no_model_calls, 0, 0);
	assert_string_equal(f.model[0], "gpt-4o");
	assert_string_equal(f.model[1], "gpt-4o-mini");
	/* about 11,000 actions of 1 + Poisson(1) calls: the sd of the share of
	 * calls is about 0.005; 0.02 is 4 of them */
	WITHIN(f.model_share[0], 0.7, 0.02);
	WITHIN(f.model_share[0] + f.model_share[1], 1, 1e-12);
	WITHIN(f.model_calls[0] + f.model_calls[1], f.calls, 0);

	fc_calib_route(&f, cat, &rt);
	assert_int_equal(rt.n, 2);
	assert_string_equal(rt.why, "");
	assert_string_equal(rt.price[0]->id, "openai/gpt-4o");
	assert_string_equal(rt.price[1]->id, "openai/gpt-4o-mini");
	WITHIN(rt.share[0], f.model_share[0], 0);

	/* the bill by model adds up to the bill at one price; each model's
	 * part is its share of calls (tokens do not depend on the model) */
	unit.input = unit.cached_input = unit.output = 1;
	all = fc_calib_bill(c, &unit, 0, fc_calib_ndays(c));
	split = rt;
	split.price[0] = &zero;
	split.price[1] = &unit;
	mini = fc_calib_bill_route(c, &split, 0, fc_calib_ndays(c));
	split.price[0] = &unit;
	split.price[1] = &zero;
	big = fc_calib_bill_route(c, &split, 0, fc_calib_ndays(c));
	WITHIN(mini + big, all, 1e-9 * all);
	WITHIN(mini / all, f.model_share[1], 0.03);
	/* at the bundled prices: between all-mini and all-4o */
	assert_true(fc_calib_bill_route(c, &rt, 0, fc_calib_ndays(c)) <
	    fc_calib_bill(c, rt.price[0], 0, fc_calib_ndays(c)));
	assert_true(fc_calib_bill_route(c, &rt, 0, fc_calib_ndays(c)) >
	    fc_calib_bill(c, rt.price[1], 0, fc_calib_ndays(c)));

	/* the route block, written into a scenario, loads */
	fd = mkstemp(ypath);
	assert_true(fd >= 0);
	y = fdopen(fd, "w");
	assert_non_null(y);
	fprintf(y, "flatcost: 1\nname: routed\nusers: 200\nworkload:\n"
	    "  requests_per_user_per_day: 5\n  input_tokens: 800\n  output_tokens: 200\n"
	    "api:\n  price: openai/gpt-4o\n");
	assert_int_equal(fc_calib_write_route(y, &rt, f.calls), 0);
	fprintf(y, "flat:\n  hardware: hetzner/gex44\n  model: qwen2.5-7b-q4_k_m\n");
	assert_int_equal(fclose(y), 0);
	s = load_scenario(ypath, NULL, 0);
	assert_int_equal(s->route.n, 2);
	assert_string_equal(s->route.price[0].id, "openai/gpt-4o");
	assert_string_equal(s->route.price[1].id, "openai/gpt-4o-mini");
	/* written rounded down to 6 decimals */
	WITHIN(fc_num_mean(&s->route.share[0]), f.model_share[0], 1e-6);
	assert_true(fc_num_mean(&s->route.share[0]) <= f.model_share[0]);
	fc_scenario_free(s);
	unlink(ypath);
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

/* No route: one model, a model without a bundled price, calls naming no
 * model, more models than api.route's tiers; each says why (but one). */
static void
test_route_refused(void **state)
{
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_calib_route rt;
	struct fc_calib_rec r = { 1714521600, NAN, "u1", NULL, NULL, 1, 100, 10, 0, -1, -1, NAN, NAN };
	char name[16];
	int i;

	(void)state;
	fc_calib_opts_init(&o);
	/* one model: no route, nothing to say */
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	r.model = "gpt-4o";
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	fc_calib_route(&f, cat, &rt);
	assert_int_equal(rt.n, 0);
	assert_string_equal(rt.why, "");
	/* a second model without a bundled price */
	r.model = "gpt-3.5-turbo";
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	fc_calib_route(&f, cat, &rt);
	assert_int_equal(rt.n, 0);
	assert_non_null(strstr(rt.why, "model gpt-3.5-turbo has no bundled price"));
	fc_calib_free(c);
	/* LiteLLM's names, one call naming no model */
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	r.model = "openai/gpt-4o";
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	r.model = "gpt-4o-mini";
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	fc_calib_route(&f, cat, &rt);
	assert_int_equal(rt.n, 2);
	r.model = NULL;
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	fc_calib_route(&f, cat, &rt);
	assert_int_equal(rt.n, 0);
	assert_string_equal(rt.why, "1 calls of 3 name no model");
	fc_calib_free(c);
	/* nine models */
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	for (i = 0; i < 9; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		r.model = name;
		assert_int_equal(fc_calib_add(c, &r), FC_OK);
	}
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	fc_calib_route(&f, cat, &rt);
	assert_int_equal(rt.n, 0);
	assert_string_equal(rt.why, "the log names 9 models, more than the 8 tiers api.route takes");
	fc_calib_free(c);
}

/* Per-model day sums follow the days when an earlier day arrives late. */
static void
test_route_bill_days(void **state)
{
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_calib_route rt;
	struct fc_calib_rec r = { 0, NAN, "u1", NULL, NULL, 1, 1e6, 0, 0, -1, -1, NAN, NAN };
	struct fc_price pa = { 0 }, pb = { 0 };

	(void)state;
	fc_calib_opts_init(&o);
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	/* a: 1 Mtok on day 5 and day 3; b: 1 Mtok on day 1 (after the others) */
	r.model = "a";
	r.ts = 1714521600 + 5 * 86400.0;
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	r.ts = 1714521600 + 3 * 86400.0;
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	r.model = "b";
	r.ts = 1714521600 + 1 * 86400.0;
	assert_int_equal(fc_calib_add(c, &r), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	assert_int_equal(fc_calib_ndays(c), 5);
	pa.input = 1;
	pb.input = 10;
	memset(&rt, 0, sizeof(rt));
	rt.n = 2;
	rt.model[0] = "a";
	rt.model[1] = "b";
	rt.price[0] = &pa;
	rt.price[1] = &pb;
	WITHIN(fc_calib_bill_route(c, &rt, 0, 1), 10, 0);    /* day 1: b */
	WITHIN(fc_calib_bill_route(c, &rt, 1, 3), 1, 0);     /* day 3: a */
	WITHIN(fc_calib_bill_route(c, &rt, 3, 5), 1, 0);     /* day 5: a */
	WITHIN(fc_calib_bill_route(c, &rt, 0, 5), 12, 0);
	fc_calib_free(c);
}

/* The out-of-sample fit from the sums of one reading (fc_calib_fit_days
 * over the first days) equals a second reading cut at --until. */
static void
test_fit_days_is_a_second_reading(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c, *c2;
	struct fc_calib_fit f, a, b;
	struct fc_diags d;
	char path[64];
	long cut;
	int h;

	(void)state;
	gen_file(path, FC_CALIB_CSV, &g, 1);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	cut = fc_calib_ndays(c) * 3 / 4;
	assert_int_equal(fc_calib_fit_days(c, 0, cut, NAN, &a), FC_OK);
	o.until = fc_calib_day0(c) + (double)cut * FC_SECONDS_PER_DAY;
	assert_int_equal(fit_file(path, &o, NAN, &c2, &b, &d), FC_OK);
	assert_true(a.calls < f.calls);
#define SAME(x) WITHIN(a.x, b.x, 1e-9 * fabs(b.x) + 1e-12)
	SAME(calls); SAME(t0); SAME(t1); SAME(span_days); SAME(users.v); SAME(users_seen);
	SAME(rpud.v); SAME(rpud.lo); SAME(rpud.hi); SAME(rpud_cv); SAME(top10.v);
	SAME(input.v); SAME(input.lo); SAME(output.v); SAME(input_cv.v); SAME(output_cv.v);
	SAME(days.v); SAME(month_days); SAME(peak.v); SAME(arrival_cv.v); SAME(cached.v);
	SAME(batch.v); SAME(fallback.v); SAME(fallback_a); SAME(n_traces);
	/* a trace counts on the day of its first call: traces over midnight
	 * at the cut are the only difference */
	WITHIN(a.chaining.v, b.chaining.v, 0.002);
	for (h = 0; h < 24; h++)
		SAME(diurnal[h]);
	assert_int_equal(a.n_models, b.n_models);
	for (h = 0; h < (int)a.n_models; h++) {
		assert_string_equal(a.model[h], b.model[h]);
		SAME(model_calls[h]);
	}
#undef SAME
	/* the bill of the first days is the same sums */
	{
		struct fc_price p = { 0 };
		p.input = 1;
		p.cached_input = 0.5;
		p.output = 4;
		p.batch_discount = 0.5;
		WITHIN(fc_calib_bill(c, &p, 0, cut), fc_calib_bill(c2, &p, 0, cut), 1e-9);
	}
	fc_calib_free(c);
	fc_calib_free(c2);
	fc_diags_free(&d);
	unlink(path);
}

/* Fifty generated logs with known parameters (100 users, 28 days, each
 * its own seed): the out-of-sample back-test's P5-P95 holds the held-back
 * bill, and each fitted rate's 90% interval holds the generator's value,
 * in at least 80% of them. */
static void
test_intervals_hold_out_of_sample(void **state)
{
	int oos = 0, rpud = 0, chain = 0, in = 0, out = 0, batch = 0, fb = 0, n;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	for (n = 0; n < 50; n++) {
		struct fc_calib_gen g = gen_params();
		struct fc_calib_opts o;
		struct fc_calib_test_opts to;
		struct fc_calib_tests r;
		struct fc_calib_fit x;
		struct fc_calib *c;
		char *buf = NULL;
		size_t len;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		g.users = 100;
		g.seed = 1000 + (unsigned long)n;
		assert_true(fc_calib_generate(f, FC_CALIB_CSV, &g) > 0);
		assert_int_equal(fclose(f), 0);
		fc_calib_opts_init(&o);
		assert_int_equal(fc_calib_new(&o, &c), FC_OK);
		assert_int_equal(fc_calib_read_mem(c, "log.csv", buf, len, &d), FC_OK);
		assert_int_equal(fc_calib_fit(c, NAN, &x), FC_OK);
		memset(&to, 0, sizeof(to));
		to.cat = cat;
		to.price = fc_catalog_price(cat, "openai/gpt-4o");
		assert_non_null(to.price);
		to.hardware = "hetzner/gex44";
		to.model = "qwen2.5-7b-q4_k_m";
		to.users = NAN;
		to.trials = 400;
		to.seed = 42;
		to.threads = 1;
		assert_int_equal(fc_calib_test(c, &x, &to, &r, &d), FC_OK);
		assert_true(r.out.ran);
		if (n == 0) {   /* the JSON form carries the same figures */
			json_t *j = fc_calib_json(&x, &to, &r);
			assert_non_null(j);
			WITHIN(json_real_value(json_object_get(json_object_get(json_object_get(j,
			    "estimates"), "workload.requests_per_user_per_day"), "value")), x.rpud.v, 0);
			assert_string_equal(json_string_value(json_object_get(j, "scenario")), r.text);
			json_decref(j);
		}
		oos += r.out.verdict == 0;
		rpud += x.rpud.lo <= g.rpud && g.rpud <= x.rpud.hi;
		chain += x.chaining.lo <= g.chaining && g.chaining <= x.chaining.hi;
		in += x.input.lo <= g.in_mean && g.in_mean <= x.input.hi;
		out += x.output.lo <= g.out_mean && g.out_mean <= x.output.hi;
		batch += x.batch.lo <= g.batch && g.batch <= x.batch.hi;
		fb += x.fallback.lo <= g.fallback && g.fallback <= x.fallback.hi;
		fc_calib_test_free(&r);
		fc_calib_free(c);
		free(buf);
	}
	print_message("of 50: out of sample %d, rpud %d, chaining %d, input %d, output %d, "
	    "batch %d, fallback %d\n", oos, rpud, chain, in, out, batch, fb);
	assert_true(oos >= 40);
	assert_true(rpud >= 40);
	assert_true(chain >= 40);
	assert_true(in >= 40);
	assert_true(out >= 40);
	assert_true(batch >= 40);
	assert_true(fb >= 40);
	fc_diags_free(&d);
}

/* How often, over nlogs logs generated from base (seeds seed0, seed0 + 1,
 * ...) in format fmt, the out-of-sample back-test holds the held-back bill
 * and each fitted rate's 90% interval holds the generator's value. */
struct cover {
	int logs, oos_ran, oos, rpud, chain, in, out;
	double width;   /* the out-of-sample P5-P95 over its P50, the mean */
};

static void
cover_run(struct fc_calib_gen base, int nlogs, unsigned long seed0, enum fc_calib_format fmt,
    double users, struct cover *cv)
{
	struct fc_diags d;
	int n;

	memset(cv, 0, sizeof(*cv));
	fc_diags_init(&d);
	for (n = 0; n < nlogs; n++) {
		struct fc_calib_gen g = base;
		struct fc_calib_opts o;
		struct fc_calib_test_opts to;
		struct fc_calib_tests r;
		struct fc_calib_fit x;
		struct fc_calib *c;
		char *buf = NULL;
		size_t len;
		double want;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		g.seed = seed0 + (unsigned long)n;
		assert_true(fc_calib_generate(f, fmt, &g) > 0);
		assert_int_equal(fclose(f), 0);
		fc_calib_opts_init(&o);
		assert_int_equal(fc_calib_new(&o, &c), FC_OK);
		assert_int_equal(fc_calib_read_mem(c, fmt == FC_CALIB_CSV ? "log.csv" : "log.json", buf,
		    len, &d), FC_OK);
		assert_int_equal(fc_calib_fit(c, users, &x), FC_OK);
		memset(&to, 0, sizeof(to));
		to.cat = cat;
		to.price = fc_catalog_price(cat, "openai/gpt-4o");
		assert_non_null(to.price);
		to.hardware = "hetzner/gex44";
		to.model = "qwen2.5-7b-q4_k_m";
		to.users = users;
		to.trials = 400;
		to.seed = 42;
		to.threads = 1;
		assert_int_equal(fc_calib_test(c, &x, &to, &r, &d), FC_OK);
		cv->logs++;
		if (r.out.ran) {
			cv->oos_ran++;
			cv->oos += r.out.verdict == 0;
			cv->width += (r.out.p95 - r.out.p5) / r.out.p50 / nlogs;
		}
		/* calls per user per day when chaining is not identified (buckets) */
		want = g.rpud * (x.chaining.ok ? 1 : g.chaining);
		cv->rpud += x.rpud.lo <= want && want <= x.rpud.hi;
		cv->chain += x.chaining.lo <= g.chaining && g.chaining <= x.chaining.hi;
		cv->in += x.input.lo <= g.in_mean && g.in_mean <= x.input.hi;
		cv->out += x.output.lo <= g.out_mean && g.out_mean <= x.output.hi;
		fc_calib_test_free(&r);
		fc_calib_free(c);
		free(buf);
	}
	print_message("of %d: out of sample %d of %d (P5-P95 %.1f%% of P50), rpud %d, "
	    "chaining %d, input %d, output %d\n", cv->logs, cv->oos, cv->oos_ran,
	    100 * cv->width, cv->rpud, cv->chain, cv->in, cv->out);
	fc_diags_free(&d);
}

/* Token means that drift from day to day (each day's times a lognormal
 * factor of cv 0.1): next month's mean is that uncertain, not the standard
 * error of the logged calls' mean (which held the generator's input mean in
 * 16 of 50 logs and its output mean in 10). */
static void
test_intervals_day_drift(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct cover cv;

	(void)state;
	g.users = 100;
	g.day_cv = 0.1;
	cover_run(g, 50, 2000, FC_CALIB_CSV, NAN, &cv);
	assert_int_equal(cv.oos_ran, 50);
	assert_true(cv.oos >= 40);
	assert_true(cv.in >= 40);
	assert_true(cv.out >= 40);
	assert_true(cv.rpud >= 40);
}

/* 2,000 users over 7 days (no out-of-sample test under 8 days): each
 * fitted rate's 90% interval holds the generator's value in 16 of 20. */
static void
test_intervals_2000_users_7_days(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct cover cv;

	(void)state;
	g.users = 2000;
	g.days = 7;
	cover_run(g, 20, 3000, FC_CALIB_CSV, NAN, &cv);
	assert_int_equal(cv.oos_ran, 0);
	assert_true(cv.rpud >= 16);
	assert_true(cv.chain >= 16);
	assert_true(cv.in >= 16);
	assert_true(cv.out >= 16);
}

/* OpenAI usage buckets (no users, top10_share drawn from its prior, users
 * given): the out-of-sample P5-P95 holds the held-back bill in 40 of 50,
 * and is wider than the 1% of a top10_share fixed at 0.1; the token means'
 * intervals come from the daily means alone (no per-call rows), and rpud's
 * holds calls per user per day (the busiest weekday alone, not the busiest
 * weekdays pooled, gave 24 of 50). */
static void
test_intervals_openai_usage(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct cover cv;

	(void)state;
	g.users = 100;
	cover_run(g, 50, 4000, FC_CALIB_OPENAI, 100, &cv);
	assert_int_equal(cv.oos_ran, 50);
	assert_true(cv.oos >= 40);
	assert_true(cv.rpud >= 40);
	assert_true(cv.in >= 40);
	assert_true(cv.out >= 40);
	assert_true(cv.width > 0.05);
}

/* A log whose last call spills a few seconds past midnight: the back-tests
 * count the days it covers (by the diurnal shape), not the calendar days
 * it touches (29 and 8 before, the held-back bill then 1/8 below). */
static void
test_backtest_days_covered(void **state)
{
	struct fc_calib_gen g = gen_params();
	const char *spill = "2024-05-29T00:00:03.000Z,u1,800,200,200,t99999999,1,gpt-4o,0\n";
	struct fc_calib_test_opts to;
	struct fc_calib_tests r;
	struct fc_calib_opts o;
	struct fc_calib_fit x;
	struct fc_calib *c;
	struct fc_diags d;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_true(fc_calib_generate(f, FC_CALIB_CSV, &g) > 0);
	fputs(spill, f);
	assert_int_equal(fclose(f), 0);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	assert_int_equal(fc_calib_read_mem(c, "log.csv", buf, len, &d), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &x), FC_OK);
	assert_int_equal(fc_calib_ndays(c), 29);
	WITHIN(x.span_days, 29, 0);
	WITHIN(x.covered_days, 28, 0.05);
	memset(&to, 0, sizeof(to));
	to.cat = cat;
	to.price = fc_catalog_price(cat, "openai/gpt-4o");
	to.hardware = "hetzner/gex44";
	to.model = "qwen2.5-7b-q4_k_m";
	to.users = NAN;
	to.trials = 400;
	to.seed = 42;
	to.threads = 1;
	assert_int_equal(fc_calib_test(c, &x, &to, &r, &d), FC_OK);
	WITHIN(r.in.days, 28, 0.05);
	WITHIN(r.out.days, 7, 0.05);
	assert_int_equal(r.out.verdict, 0);
	/* the partial day does not lower the busy-day level either: the
	 * in-sample median is the logged bill within 2% */
	print_message("in sample: P50 %.2f, logged %.2f\n", r.in.p50 * r.in.days / r.in.month_days,
	    r.in.actual);
	WITHIN(r.in.p50 * r.in.days / r.in.month_days / r.in.actual, 1, 0.02);
	fc_calib_test_free(&r);
	fc_calib_free(c);
	fc_diags_free(&d);
	free(buf);
}

/* Chaining of a LiteLLM JSON Lines log of 4 calls of one user, record i
 * with the extra fields rec[i]; -1 when not identified. */
static double
litellm_chaining(const char *const *rec, const char *columns_trace)
{
	struct fc_calib_opts o;
	struct fc_calib_fit f;
	struct fc_calib *c;
	struct fc_diags d;
	char buf[4096];
	size_t len = 0;
	int i;
	double ch;

	for (i = 0; i < 4; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "{\"request_id\": \"r%d\", \"spend\": 0, \"startTime\": \"2024-08-01T14:27:%02d\", "
		    "\"end_user\": \"u\", \"prompt_tokens\": 10, \"completion_tokens\": 20%s}\n",
		    i, 10 + i, rec[i]);
	fc_calib_opts_init(&o);
	o.columns[FC_ROLE_TRACE] = columns_trace;
	fc_diags_init(&d);
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	assert_int_equal(fc_calib_read_mem(c, "l.jsonl", buf, len, &d), FC_OK);
	assert_int_equal(fc_calib_fit(c, NAN, &f), FC_OK);
	ch = f.chaining.ok ? f.chaining.v : -1;
	fc_calib_free(c);
	fc_diags_free(&d);
	return ch;
}

/* Where LiteLLM keeps a trace id: metadata.trace_id, then a session_id
 * column (its litellm_trace_id), then metadata.session_id, then a
 * request_tags tag trace_id:/session_id: ("KEY: VALUE" too); a trace
 * column or --columns wins over all; --columns trace=request_tags.KEY
 * takes a tag's value. */
static void
test_litellm_trace_sources(void **state)
{
	/* metadata.trace_id in pairs beats one session for all */
	const char *const meta_vs_session[4] = {
		", \"session_id\": \"s\", \"metadata\": {\"trace_id\": \"a\"}",
		", \"session_id\": \"s\", \"metadata\": {\"trace_id\": \"a\"}",
		", \"metadata\": {\"trace_id\": \"b\"}, \"session_id\": \"s\"",
		", \"metadata\": {\"trace_id\": \"b\"}, \"session_id\": \"s\"" };
	/* a session_id column in pairs beats metadata.session_id and tags */
	const char *const session_vs_rest[4] = {
		", \"request_tags\": [\"trace_id:t\"], \"metadata\": {\"session_id\": \"m\"}, \"session_id\": \"a\"",
		", \"session_id\": \"a\", \"request_tags\": [\"trace_id:t\"], \"metadata\": {\"session_id\": \"m\"}",
		", \"session_id\": \"b\", \"request_tags\": \"[\\\"trace_id:t\\\"]\"",
		", \"session_id\": \"b\", \"request_tags\": [\"trace_id:t\"]" };
	/* tags alone, "KEY: VALUE" and a tag that is not a trace */
	const char *const tags[4] = {
		", \"request_tags\": [\"jobID:j1\", \"trace_id: a\"]",
		", \"request_tags\": [\"jobID:j1\", \"trace_id:a\"]",
		", \"request_tags\": [\"jobID:j1\", \"session_id:b\"]",
		", \"request_tags\": [\"jobID:j1\", \"litellm_trace_id:b\"]" };
	/* a trace_id key beats metadata */
	const char *const key_vs_meta[4] = {
		", \"metadata\": {\"trace_id\": \"m\"}, \"trace_id\": \"a\"",
		", \"trace_id\": \"a\", \"metadata\": {\"trace_id\": \"m\"}",
		", \"trace_id\": \"b\", \"metadata\": {\"trace_id\": \"m\"}",
		", \"metadata\": {\"trace_id\": \"m\"}, \"trace_id\": \"b\"" };

	(void)state;
	WITHIN(litellm_chaining(meta_vs_session, NULL), 2, 0);
	WITHIN(litellm_chaining(session_vs_rest, NULL), 2, 0);
	WITHIN(litellm_chaining(tags, NULL), 2, 0);
	WITHIN(litellm_chaining(key_vs_meta, NULL), 2, 0);
	/* the jobID tag, all four calls one job */
	WITHIN(litellm_chaining(tags, "request_tags.jobID"), 4, 0);
	/* --columns names the trace: metadata and sessions are not read */
	WITHIN(litellm_chaining(meta_vs_session, "session_id"), 4, 0);
}

static void
test_roundtrip_arrival(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_diags d;
	char path[64];

	(void)state;
	g.chaining = 1;
	g.days = 7;
	g.users = 2000;
	gen_file(path, FC_CALIB_CSV, &g, 0);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	/* merged Poisson users: gaps within an hour have cv 1; timestamps are
	 * in milliseconds */
	WITHIN(f.arrival_cv.v, 1, 0.1);
	WITHIN(f.chaining.v, 1, 0);
	assert_false(f.days.ok);                /* a week cannot show the pattern */
	WITHIN(f.days.v, 30, 0);
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

static void
test_roundtrip_litellm(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_diags d;
	char path[64];

	(void)state;
	gen_file(path, FC_CALIB_LITELLM, &g, 0);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	assert_int_equal(f.format, FC_CALIB_LITELLM);
	WITHIN(f.users.v, 197, 3);           /* users with no call in 28 days are not seen */              /* end_user, not the empty user */
	assert_false(f.chaining.ok);            /* spend logs carry no trace id */
	WITHIN(f.rpud.v, 10, 0.7);              /* calls: 5 actions x 2 calls */
	WITHIN(f.input.v, 800, 800 * 0.03);
	WITHIN(f.top10.v, 0.4, 0.06);
	assert_false(f.cached.ok);
	assert_true(isfinite(f.spend));
	WITHIN(f.spend, f.calls * (800 * 2.5 + 200 * 10) / 1e6, 0.04 * f.spend);
	assert_string_equal(f.model[0], "gpt-4o");
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

static void
test_roundtrip_langfuse(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_diags d;
	char path[64];

	(void)state;
	gen_file(path, FC_CALIB_LANGFUSE, &g, 0);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	assert_int_equal(f.format, FC_CALIB_LANGFUSE);
	WITHIN(f.users.v, 197, 3);           /* users with no call in 28 days are not seen */
	WITHIN(f.chaining.v, 2, 0.05);
	WITHIN(f.rpud.v, 5, 0.35);
	WITHIN(f.output.v, 200, 200 * 0.03);
	WITHIN(f.output_cv.v, 0.4, 0.04);
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

static void
test_roundtrip_openai(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_diags d;
	char path[64];

	(void)state;
	gen_file(path, FC_CALIB_OPENAI, &g, 1);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	/* buckets name no users: --users supplies them */
	assert_int_equal(fit_file(path, &o, 200, &c, &f, &d), FC_OK);
	assert_int_equal(f.format, FC_CALIB_OPENAI);
	assert_true(f.aggregated);
	WITHIN(f.users_seen, 0, 0);
	assert_false(f.top10.ok);
	assert_false(f.input_cv.ok);
	assert_false(f.chaining.ok);
	WITHIN(f.rpud.v, 10, 0.7);
	WITHIN(f.input.v, 800, 800 * 0.03);
	WITHIN(f.cached.v, 0.25, 0.005);
	WITHIN(f.batch.v, 0.1, 0.02);
	WITHIN(f.peak.v, 2, 0.25);              /* hourly buckets keep the shape */
	WITHIN(f.days.v, 30.4375 * (5 + 2 * 0.3) / 7, 1.5);
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

static void
test_roundtrip_growth(void **state)
{
	struct fc_calib_gen g = gen_params();
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_calib_fit f;
	struct fc_diags d;
	char path[64];

	(void)state;
	g.users = 60;
	g.days = 91;
	g.rpud = 3;
	g.top10 = 0.2;
	g.growth = 150;        /* input tokens per call per month */
	gen_file(path, FC_CALIB_CSV, &g, 0);
	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	assert_int_equal(fit_file(path, &o, NAN, &c, &f, &d), FC_OK);
	/* every user starts on day 0 (first seen within hours), so tenure
	 * is time since t0: the slope is the generated growth */
	assert_true(f.growth.ok);
	WITHIN(f.growth.v, 150, 15);
	fc_calib_free(c);
	fc_diags_free(&d);
	unlink(path);
}

static enum fc_status
read_text(const char *text, long skip, struct fc_calib_fit *f, struct fc_diags *d,
    const char *cols_in)
{
	struct fc_calib_opts o;
	struct fc_calib *c;
	enum fc_status st;

	fc_calib_opts_init(&o);
	o.skip_bad = skip;
	o.columns[FC_ROLE_IN] = cols_in;
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	st = fc_calib_read_mem(c, "log.csv", text, strlen(text), d);
	if (st == FC_OK)
		st = fc_calib_fit(c, NAN, f);
	fc_calib_free(c);
	return st;
}

static void
test_csv_corners(void **state)
{
	/* BOM, CRLF, a quoted field with a comma, a quote and a newline */
	const char *t = "\xEF\xBB\xBFtimestamp,user_id,note,prompt_tokens,completion_tokens\r\n"
	    "2024-05-01T10:00:00Z,alice,\"a, \"\"quoted\"\"\nnote\",100,10\r\n"
	    "2024-05-01 11:00:00+02:00,bob,,300,30\r\n"
	    "1714561200,alice,x,200,20\r\n";
	struct fc_calib_fit f;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 0, &f, &d, NULL), FC_OK);
	WITHIN(f.calls, 3, 0);
	WITHIN(f.users.v, 2, 0);
	WITHIN(f.input.v, 200, 1e-9);
	WITHIN(f.t0, 1714557600 - 7200 + 3600, 0);   /* 09:00 UTC */
	fc_diags_free(&d);
}

static void
test_bad_rows(void **state)
{
	const char *t = "ts,user,in,out\n"
	    "2024-05-01T10:00:00Z,a,100,10\n"
	    "\"2024-05-01T10:01:00Z\",a,\"multi\nline\",10\n"
	    "2024-05-01T10:02:00Z,a,100,10\n"
	    "yesterday,a,100,10\n";
	struct fc_calib_fit f;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 0, &f, &d, NULL), FC_EINVAL);
	assert_int_equal(d.n_errors, 1);
	assert_int_equal(d.v[0].loc.line, 3);
	assert_non_null(strstr(d.v[0].msg, "'in': expected a number of tokens >= 0, got 'multi"));
	fc_diags_free(&d);
	/* two bad rows, one tolerated: the second fails at line 6 */
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 1, &f, &d, NULL), FC_EINVAL);
	assert_int_equal(d.v[0].loc.line, 6);
	assert_non_null(strstr(d.v[0].msg, "'ts': expected a time"));
	fc_diags_free(&d);
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 2, &f, &d, NULL), FC_OK);
	WITHIN(f.bad_rows, 2, 0);
	WITHIN(f.calls, 2, 0);
	fc_diags_free(&d);
	/* no usable row */
	fc_diags_init(&d);
	assert_int_equal(read_text("ts,in,out\n", 0, &f, &d, NULL), FC_EINVAL);
	fc_diags_free(&d);
	/* a missing column, named by --columns */
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 0, &f, &d, "tokens"), FC_EINVAL);
	assert_non_null(strstr(d.v[0].msg, "no column named 'tokens'"));
	assert_int_equal(d.v[0].loc.line, 1);
	fc_diags_free(&d);
	/* a quote in an unquoted field */
	fc_diags_init(&d);
	assert_int_equal(read_text("ts,in,out\n2024-05-01,1,2\n2024-05-01,1\"2,3\n", 0, &f,
	    &d, NULL), FC_EINVAL);
	assert_non_null(strstr(d.v[0].msg, "malformed CSV"));
	assert_int_equal(d.v[0].loc.line, 3);
	fc_diags_free(&d);
	/* JSON Lines: the line; a JSON array: the record's number */
	fc_diags_init(&d);
	assert_int_equal(read_text("{\"ts\":\"2024-05-01\",\"in\":1,\"out\":2}\n"
	    "{\"ts\":\"2024-05-01\",\"in\":-1,\"out\":2}\n", 0, &f, &d, NULL), FC_EINVAL);
	assert_int_equal(d.v[0].loc.line, 2);
	assert_non_null(strstr(d.v[0].msg, "'in': expected a number of tokens >= 0, got '-1'"));
	fc_diags_free(&d);
	fc_diags_init(&d);
	assert_int_equal(read_text("[{\"ts\":\"2024-05-01\",\"in\":1,\"out\":2},\n"
	    "{\"ts\":\"1900-05-01\",\"in\":1,\"out\":2}]", 0, &f, &d, NULL), FC_EINVAL);
	/* an array's element: the line it starts on */
	assert_int_equal(d.v[0].loc.line, 2);
	assert_non_null(strstr(d.v[0].msg, "'ts': 1900-05-01 is not between 1990 and 2199"));
	fc_diags_free(&d);
}

/* gzip of len bytes of text into out (cap bytes); the size. */
static size_t
gzip_mem(const char *text, size_t len, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)text;
	z.avail_in = (unsigned)len;
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

/* The error of reading buf (len bytes) as name: its line, its message in
 * msg; 0 when it reads. */
static int
read_error(const char *buf, size_t len, const char *trace_col, char *msg, size_t mlen)
{
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_diags d;
	int line = 0;

	fc_calib_opts_init(&o);
	o.columns[FC_ROLE_TRACE] = trace_col;
	assert_int_equal(fc_calib_new(&o, &c), FC_OK);
	fc_diags_init(&d);
	msg[0] = '\0';
	if (fc_calib_read_mem(c, "log", buf, len, &d) != FC_OK) {
		assert_true(d.n_errors > 0);
		line = d.v[0].loc.line > 0 ? d.v[0].loc.line : -1;
		snprintf(msg, mlen, "%s", d.v[0].msg);
	}
	fc_diags_free(&d);
	fc_calib_free(c);
	return line;
}

/* Gzip members, cut, corrupt, with trailing data; JSON arrays and lines;
 * dotted paths: read exactly or refused, from memory. */
static void
test_exact_reading(void **state)
{
	static char text[200000];
	static unsigned char gz[400000];
	char msg[300];
	size_t n = 0, g, g2;
	int i;

	(void)state;
	n += (size_t)sprintf(text + n, "ts,user,in,out,meta\n");
	for (i = 0; i < 3000; i++)
		n += (size_t)sprintf(text + n, "%d,u%d,%d,%d,\"{\"\"t\"\": \"\"x%d\"\"}\"\n",
		    1714557600 + i, i % 7, 100 + i % 13, 10 + i % 5, i / 2);
	assert_int_equal(read_error(text, n, "meta.t", msg, sizeof(msg)), 0);
	g = gzip_mem(text, n, gz, sizeof(gz));
	assert_int_equal(read_error((char *)gz, g, NULL, msg, sizeof(msg)), 0);
	/* two members back to back */
	g2 = gzip_mem(text, n, gz + g, sizeof(gz) - g);
	assert_int_equal(read_error((char *)gz, g + g2, NULL, msg, sizeof(msg)), 3002);
	assert_non_null(strstr(msg, "'ts': expected a time"));   /* the second header row */
	/* cut, trailing data, a wrong CRC */
	assert_true(read_error((char *)gz, g / 2, NULL, msg, sizeof(msg)) > 1);
	assert_non_null(strstr(msg, "truncated gzip data"));
	memcpy(gz + g, "junk", 4);
	assert_true(read_error((char *)gz, g + 4, NULL, msg, sizeof(msg)) > 1);
	assert_non_null(strstr(msg, "trailing data after the gzip data"));
	gz[g - 8] ^= 0xff;
	assert_true(read_error((char *)gz, g, NULL, msg, sizeof(msg)) > 1);
	assert_non_null(strstr(msg, "corrupt gzip data"));
	/* a path no row has */
	assert_int_equal(read_error(text, n, "meta.nonesuch", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "no row has a value at 'meta.nonesuch'"));
	/* JSON: an array over lines, JSON Lines, a record cut short, one nested too deep */
	{
		const char *arr = "[\n{\"ts\":\"2024-05-01\",\"in\":1,\"out\":2},\n"
		    "{\"ts\":\"2024-02-30\",\"in\":1,\"out\":2}\n]";
		const char *jl = "{\"ts\":\"2024-05-01\",\"in\":1,\"out\":2}\n"
		    "{\"ts\":\"2024-05-01\",\"in\":1,\"out\":[2]}\n";
		const char *cut = "{\"ts\":\"2024-05-01\",\"in\":1,\"out\":2}\n{\"ts\":";
		assert_int_equal(read_error(arr, strlen(arr), NULL, msg, sizeof(msg)), 3);
		assert_non_null(strstr(msg, "'ts': expected a time"));
		assert_int_equal(read_error(jl, strlen(jl), NULL, msg, sizeof(msg)), 2);
		assert_non_null(strstr(msg, "'out': expected a number of tokens >= 0, got an array"));
		assert_int_equal(read_error(cut, strlen(cut), NULL, msg, sizeof(msg)), 2);
		assert_non_null(strstr(msg, "the file ends inside the record"));
		memset(text, '[', 1000);
		text[0] = '{';
		assert_int_equal(read_error(text, 1000, NULL, msg, sizeof(msg)), 1);
		assert_non_null(strstr(msg, "nested more than 64 deep"));
	}
}

static void
test_openai_user_id_is_not_a_user(void **state)
{
	/* grouped by user_id: the organization's members, not the app's users */
	const char *t = "{\"object\":\"page\",\"data\":[{\"object\":\"bucket\","
	    "\"start_time\":1730419200,\"end_time\":1730422800,\"results\":["
	    "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":900,"
	    "\"output_tokens\":90,\"num_model_requests\":3,\"user_id\":\"user-abc\","
	    "\"model\":\"gpt-4o\",\"batch\":true}]}],\"has_more\":false}";
	struct fc_calib_fit f;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 0, &f, &d, NULL), FC_OK);
	assert_int_equal(f.format, FC_CALIB_OPENAI);
	assert_false(f.users.ok);
	WITHIN(f.calls, 3, 0);
	WITHIN(f.input.v, 300, 0);
	WITHIN(f.batch.v, 1, 0);
	assert_int_equal(f.n_models, 1);   /* names are freed with the accumulator */
	fc_diags_free(&d);
}

static void
test_litellm_cache_hits(void **state)
{
	/* cache_hit True: answered by the proxy, no API call; None: caching off */
	const char *t = "request_id,spend,prompt_tokens,completion_tokens,startTime,model,user,"
	    "cache_hit,end_user\r\n"
	    "r1,0.001,100,10,2024-08-01T14:27:12.563246,gpt-4o,,None,a\r\n"
	    "r2,0,100,10,2024-08-01T14:28:12.563246,gpt-4o,,True,a\r\n"
	    "r3,0.003,300,30,2024-08-01T14:29:12.563246,gpt-4o,k,False,\r\n";
	struct fc_calib_fit f;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(read_text(t, 0, &f, &d, NULL), FC_OK);
	assert_int_equal(f.format, FC_CALIB_LITELLM);
	WITHIN(f.calls, 2, 0);
	WITHIN(f.cache_hits, 1, 0);
	WITHIN(f.users.v, 2, 0);          /* end_user a, then user k */
	WITHIN(f.input.v, 200, 0);
	WITHIN(f.spend, 0.004, 1e-12);
	fc_diags_free(&d);
}

static void
test_parse_time(void **state)
{
	double t;

	(void)state;
	assert_int_equal(fc_calib_parse_time("1970-01-01T00:00:00Z", &t), 0);
	WITHIN(t, 0, 0);
	assert_int_equal(fc_calib_parse_time("2024-02-29 23:59:59.5", &t), 0);
	WITHIN(t, 1709251199.5, 1e-6);
	assert_int_equal(fc_calib_parse_time("2024-05-01T12:00:00-05:30", &t), 0);
	WITHIN(t, 1714564800 + 5.5 * 3600, 0);
	assert_int_equal(fc_calib_parse_time("2024-05-01", &t), 0);
	WITHIN(t, 1714521600, 0);
	assert_int_equal(fc_calib_parse_time("1714521600000", &t), 0);
	WITHIN(t, 1714521600, 0);
	assert_int_equal(fc_calib_parse_time("2024-13-01", &t), -1);
	assert_int_equal(fc_calib_parse_time("2024-05-01T25:00", &t), -1);
	assert_int_equal(fc_calib_parse_time("soon", &t), -1);
	assert_int_equal(fc_calib_parse_time("", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_csv_corners),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_exact_reading),
		cmocka_unit_test(test_openai_user_id_is_not_a_user),
		cmocka_unit_test(test_litellm_cache_hits),
		cmocka_unit_test(test_roundtrip_csv),
		cmocka_unit_test(test_fit_days_is_a_second_reading),
		cmocka_unit_test(test_intervals_hold_out_of_sample),
		cmocka_unit_test(test_intervals_day_drift),
		cmocka_unit_test(test_intervals_2000_users_7_days),
		cmocka_unit_test(test_intervals_openai_usage),
		cmocka_unit_test(test_backtest_days_covered),
		cmocka_unit_test(test_litellm_trace_sources),
		cmocka_unit_test(test_roundtrip_arrival),
		cmocka_unit_test(test_roundtrip_litellm),
		cmocka_unit_test(test_roundtrip_langfuse),
		cmocka_unit_test(test_roundtrip_openai),
		cmocka_unit_test(test_roundtrip_growth),
		cmocka_unit_test(test_roundtrip_route),
		cmocka_unit_test(test_route_refused),
		cmocka_unit_test(test_route_bill_days),
	};

	/* the catalog (data/) for the route's prices */
	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
