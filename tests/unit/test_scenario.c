/*
 * test_scenario.c: the YAML loader's locations, strict numbers, uncertain
 * numbers (every distribution and "A to B"), table-driven schema errors,
 * and fc_scenario_load with the bundled catalog and --set overrides.
 *
 * Run from the repository root (make check does): it reads data/ and
 * tests/cli/fixtures/basic.yaml.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "dist.h"
#include "fc.h"
#include "scenario.h"
#include "schema.h"
#include "testutil.h"
#include "ynode.h"

#define FIXTURE "tests/cli/fixtures/basic.yaml"

/* |got - want| <= tol, printing both on failure. */
static void
assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.15g, want %.15g (tol %g)", got, want, tol);
}

/* The diagnostic i is an error at line:col whose message contains sub. */
static void
assert_diag(const struct fc_diags *d, size_t i, const char *file, int line,
    int col, const char *sub)
{
	const struct fc_diag *g;

	if (i >= d->n)
		fail_msg("diagnostic %zu missing (%zu recorded)", i, d->n);
	g = &d->v[i];
	if (g->loc.line != line || g->loc.col != col ||
	    (file && (g->loc.file == NULL || strcmp(g->loc.file, file) != 0)) ||
	    strstr(g->msg, sub) == NULL)
		fail_msg("diagnostic %zu: %s:%d:%d: %s; want %s:%d:%d: ...%s...", i,
		    g->loc.file ? g->loc.file : "(null)", g->loc.line, g->loc.col,
		    g->msg, file ? file : "*", line, col, sub);
}

/* Parses text as t.yaml.  The nodes' locations borrow the file name from
 * d, so d must outlive them. */
static struct fc_ynode *
parse_ok(const char *text, struct fc_diags *d)
{
	struct fc_ynode *n = NULL;
	size_t before = d->n;

	if (fc_ynode_parse("t.yaml", text, strlen(text), &n, d) != FC_OK)
		fail_msg("parse failed: %s", d->n ? d->v[d->n - 1].msg : "?");
	assert_int_equal(d->n, before);
	assert_string_equal(n->loc.file, "t.yaml");
	return n;
}

/* ---- fc_ynode_parse ---- */

static void
test_yaml_locations(void **state)
{
	const char *text = "a: 1\nb:\n  c: [x, yy]\n  dd: \"q\"\n";
	struct fc_ynode *root, *b, *c;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	root = parse_ok(text, &d);
	assert_int_equal(root->kind, FC_Y_MAP);
	assert_int_equal(root->n, 2);
	assert_int_equal(root->loc.line, 1);
	assert_int_equal(root->loc.col, 1);
	/* key a at 1:1, its value at 1:4, one character long */
	assert_string_equal(root->keys[0]->str, "a");
	assert_int_equal(root->keys[0]->loc.line, 1);
	assert_int_equal(root->keys[0]->loc.col, 1);
	assert_int_equal(root->vals[0]->loc.line, 1);
	assert_int_equal(root->vals[0]->loc.col, 4);
	assert_int_equal(root->vals[0]->loc.len, 1);
	assert_false(root->vals[0]->quoted);
	/* key b at 2:1; its mapping starts at its first key, 3:3 */
	assert_int_equal(root->keys[1]->loc.line, 2);
	assert_int_equal(root->keys[1]->loc.col, 1);
	b = fc_ynode_get(root, "b");
	assert_non_null(b);
	assert_int_equal(b->kind, FC_Y_MAP);
	assert_int_equal(b->loc.line, 3);
	assert_int_equal(b->loc.col, 3);
	/* the flow list at 3:6, its items at 3:7 and 3:10 (two long) */
	c = fc_ynode_get(b, "c");
	assert_non_null(c);
	assert_int_equal(c->kind, FC_Y_SEQ);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->loc.line, 3);
	assert_int_equal(c->loc.col, 6);
	assert_string_equal(c->vals[1]->str, "yy");
	assert_int_equal(c->vals[0]->loc.col, 7);
	assert_int_equal(c->vals[1]->loc.line, 3);
	assert_int_equal(c->vals[1]->loc.col, 10);
	assert_int_equal(c->vals[1]->loc.len, 2);
	/* a quoted scalar: its location includes the quotes */
	assert_true(fc_ynode_get(b, "dd")->quoted);
	assert_int_equal(fc_ynode_get(b, "dd")->loc.line, 4);
	assert_int_equal(fc_ynode_get(b, "dd")->loc.col, 7);
	assert_int_equal(fc_ynode_get(b, "dd")->loc.len, 3);
	assert_null(fc_ynode_get(root, "c"));
	assert_int_equal(fc_ynode_find(root, "b"), 1);
	assert_int_equal(fc_ynode_find(root, "zz"), -1);
	fc_ynode_free(root);
	fc_diags_free(&d);
}

static void
test_yaml_duplicate_key(void **state)
{
	const char *text = "a: 1\nb:\n  x: 1\n  x: 2\n";
	struct fc_diags d;
	struct fc_ynode *n = (struct fc_ynode *)&d;  /* must be reset to NULL */

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("dup.yaml", text, strlen(text), &n, &d),
	    FC_EINVAL);
	assert_null(n);
	assert_int_equal(d.n_errors, 1);
	assert_diag(&d, 0, "dup.yaml", 4, 3,
	    "duplicate key 'x' (first defined at line 3)");
	fc_diags_free(&d);
}

/* A UTF-8 byte-order mark is skipped; bytes that are not
 * UTF-8 text are reported where they are (libyaml's problem_offset), not
 * at 1:1. */
static void
test_yaml_bom_and_bad_bytes(void **state)
{
	static const char bom[] = "\xef\xbb\xbf" "a: 1\nb: 2\n";
	static const struct {
		const char *text;
		size_t len;
		int line, col;
	} bad[] = {
		{ "a: 1\nb: x\xffy\n", 12, 2, 5 },
		{ "a: 1\nbb: 2\nc: \"\xc3\xa9\x00\"\n", 19, 3, 6 },
		{ "\xef\xbb\xbf" "a: \x01\n", 8, 1, 4 },
	};
	struct fc_ynode *n = NULL;
	struct fc_diags d;
	size_t i;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("bom.yaml", bom, sizeof(bom) - 1, &n, &d), FC_OK);
	assert_int_equal(n->n, 2);
	assert_string_equal(n->keys[0]->str, "a");
	assert_int_equal(n->keys[0]->loc.col, 1);
	fc_ynode_free(n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = NULL;
		assert_int_equal(fc_ynode_parse("bad.yaml", bad[i].text, bad[i].len, &n, &d),
		    FC_EINVAL);
		assert_null(n);
		assert_diag(&d, d.n - 1, "bad.yaml", bad[i].line, bad[i].col,
		    "not a text file");
	}
	fc_diags_free(&d);
}

/* A mapping of many keys is read in linear time (a hash
 * finds duplicates), and a duplicate among them is still found. */
static void
test_yaml_many_keys(void **state)
{
	enum { N = 200000 };
	char *text = malloc((size_t)N * 16 + 32), *p;
	struct fc_ynode *n = NULL;
	struct fc_diags d;
	long i;

	(void)state;
	assert_non_null(text);
	p = text;
	for (i = 0; i < N; i++)
		p += sprintf(p, "k%ld: %ld\n", i, i);
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("many.yaml", text, (size_t)(p - text), &n, &d), FC_OK);
	assert_int_equal(n->n, N);
	assert_string_equal(n->keys[N - 1]->str, "k199999");
	assert_int_equal(fc_ynode_find(n, "k123456"), 123456);
	fc_ynode_free(n);
	n = NULL;
	p += sprintf(p, "k77777: again\n");
	assert_int_equal(fc_ynode_parse("many.yaml", text, (size_t)(p - text), &n, &d),
	    FC_EINVAL);
	assert_diag(&d, d.n - 1, "many.yaml", N + 1, 1,
	    "duplicate key 'k77777' (first defined at line 77778)");
	fc_diags_free(&d);
	free(text);
}

/* A pipe reads as what was written to it, not as the
 * 0 bytes its size says. */
static void
test_yaml_load_pipe(void **state)
{
	static const char text[] = "a: 1\nb: [x, y]\n";
	struct fc_ynode *n = NULL;
	struct fc_diags d;
	char path[64];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	fc_diags_init(&d);
	assert_int_equal(fc_ynode_load_file(path, &n, &d), FC_OK);
	assert_int_equal(n->n, 2);
	assert_int_equal(n->vals[1]->n, 2);
	fc_ynode_free(n);
	fc_diags_free(&d);
	close(fds[0]);
}

static void
test_yaml_errors(void **state)
{
	static const struct {
		const char *text;
		int line, col;
		const char *msg;
	} cases[] = {
		{ "", 1, 1, "empty file" },
		{ "# only a comment\n", 1, 1, "empty file" },
		{ "a: 1\nb:\n\tc: 2\n", 3, 1, "tab character used for indentation" },
		{ "a: &x 1\n", 1, 4, "anchors (&x) are not supported" },
		{ "a: *x\n", 1, 4, "aliases" },
		{ "a: !!str 1\n", 1, 4, "tags" },
		{ "a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document" },
		{ "? [a]\n: 1\n", 1, 3, "a mapping key must be a plain name" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fc_diags d;
		struct fc_ynode *n = NULL;

		fc_diags_init(&d);
		if (fc_ynode_parse("e.yaml", cases[i].text, strlen(cases[i].text),
		    &n, &d) != FC_EINVAL)
			fail_msg("case %zu parsed", i);
		assert_null(n);
		assert_diag(&d, 0, "e.yaml", cases[i].line, cases[i].col, cases[i].msg);
		fc_diags_free(&d);
	}
}

static void
test_yaml_load_file_errors(void **state)
{
	struct fc_diags d;
	struct fc_ynode *n = NULL;

	(void)state;
	fc_diags_init(&d);
	assert_int_not_equal(fc_ynode_load_file("no/such/file.yaml", &n, &d), FC_OK);
	assert_null(n);
	assert_diag(&d, 0, "no/such/file.yaml", 0, 0, "cannot open");
	assert_int_not_equal(fc_ynode_load_file("tests", &n, &d), FC_OK);
	assert_diag(&d, 1, "tests", 0, 0, "is a directory");
	fc_diags_free(&d);
}

/* ---- fc_ynode_parse_double ---- */

static void
test_parse_double(void **state)
{
	static const struct { const char *s; double v; } good[] = {
		{ "0", 0 }, { "42", 42 }, { "-3", -3 }, { "+7", 7 }, { "2.5", 2.5 },
		{ ".5", 0.5 }, { "1_000", 1000 }, { "1_000_000.25", 1000000.25 },
		{ "2.5e3", 2500 }, { "2.5E3", 2500 }, { "1e-3", 0.001 },
		{ "-1.5e+2", -150 }, { "1e308", 1e308 },
	};
	static const char *const bad[] = {
		"", "nan", "NaN", ".nan", ".NaN", "inf", "-inf", ".inf", "-.inf",
		"Infinity", "0x10", "0X1F", "1e", "1e+", "e5", "1_", "_1", "1__0",
		"1_.5", "1e400", "-1e400", "1 000", " 1", "1 ", "abc", "+", "-", ".",
		"1.2.3", "12abc", "--1", "1,5", "0b101", "1e5.5", "~",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		double v = -12345;
		if (fc_ynode_parse_double(good[i].s, &v) != 0)
			fail_msg("'%s' rejected", good[i].s);
		assert_near(v, good[i].v, 1e-12 * fabs(good[i].v));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = -12345;
		if (fc_ynode_parse_double(bad[i], &v) == 0)
			fail_msg("'%s' accepted as %g", bad[i], v);
		assert_true(v == -12345);  /* untouched */
	}
	assert_int_not_equal(fc_ynode_parse_double(NULL, &(double){ 0 }), 0);
}

/* ---- fc_num_parse ---- */

/* Parses "v: TEXT" and reads v as a number in [lo, hi]. */
static enum fc_status
num_of(const char *text, double lo, double hi, struct fc_num *x,
    struct fc_diags *d)
{
	char buf[256];
	struct fc_ynode *root;
	enum fc_status st;

	snprintf(buf, sizeof(buf), "v: %s\n", text);
	root = parse_ok(buf, d);
	st = fc_num_parse(fc_ynode_get(root, "v"), lo, hi, 0, "a test number", x, d);
	fc_ynode_free(root);
	return st;
}

static void
test_num_each_distribution(void **state)
{
	struct fc_diags d;
	struct fc_num x;

	(void)state;
	fc_diags_init(&d);

	assert_int_equal(num_of("7.5", 0, 100, &x, &d), FC_OK);
	assert_true(fc_num_is_const(&x));
	assert_near(fc_num_mean(&x), 7.5, 0);
	assert_int_equal(x.loc.line, 1);
	assert_int_equal(x.loc.col, 4);
	assert_true(x.lo == 0 && x.hi == 100);

	assert_int_equal(num_of("{dist: lognormal, mean: 30, cv: 0.4}", 0, 1e6, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_LOGNORMAL);
	assert_string_equal(fc_dist_name(x.kind), "lognormal");
	assert_near(fc_num_mean(&x), 30, 0);
	assert_near(x.p[1], 0.4, 0);
	{
		/* median exp(mu) = mean / sqrt(1 + cv^2) */
		double med = fc_num_quantile(&x, 0.5);
		assert_near(med, 30 / sqrt(1.16), 1e-9);
	}

	assert_int_equal(num_of("{dist: normal, mean: 5, sd: 2}", -100, 100, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_NORMAL);
	assert_near(fc_num_mean(&x), 5, 0);
	assert_near(fc_num_quantile(&x, 0.975), 5 + 2 * 1.959963984540054, 1e-9);

	assert_int_equal(num_of("{dist: uniform, min: 2, max: 4}", 0, 10, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_UNIFORM);
	assert_near(fc_num_mean(&x), 3, 1e-15);
	assert_near(fc_num_quantile(&x, 0.25), 2.5, 1e-15);

	assert_int_equal(num_of("{dist: triangular, min: 1, mode: 2, max: 6}", 0, 10, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_TRIANGULAR);
	assert_near(fc_num_mean(&x), 3, 1e-15);
	/* F(mode) = (mode - min) / (max - min) = 0.2 */
	assert_near(fc_num_quantile(&x, 0.2), 2, 1e-12);

	assert_int_equal(num_of("{dist: pert, min: 0, mode: 3, max: 12}", 0, 100, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_PERT);
	/* (min + 4 mode + max) / 6 */
	assert_near(fc_num_mean(&x), 4, 1e-15);
	assert_true(fc_num_quantile(&x, 0.01) > 0 && fc_num_quantile(&x, 0.99) < 12);

	assert_int_equal(num_of("{dist: beta, a: 3, b: 27}", 0, 1, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_BETA);
	assert_near(fc_num_mean(&x), 0.1, 1e-15);
	/* Beta(1, 1) is uniform: its quantiles are the probabilities */
	assert_int_equal(num_of("{dist: beta, a: 1, b: 1}", 0, 1, &x, &d), FC_OK);
	assert_near(fc_num_quantile(&x, 0.3), 0.3, 1e-12);
	/* large shapes (a month of shadow runs): the normal approximation,
	 * where GSL's inverse does not converge */
	assert_int_equal(num_of("{dist: beta, a: 500001, b: 9500001}", 0, 1, &x, &d), FC_OK);
	assert_near(fc_num_quantile(&x, 0.5), 0.05, 1e-6);
	assert_near(fc_num_quantile(&x, 0.95), 0.05 + 1.6448536 * sqrt(0.05 * 0.95 / 10000003), 1e-7);
	{
		gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
		double sum = 0;
		int i;
		assert_int_equal(num_of("{dist: beta, a: 2, b: 6}", 0, 1, &x, &d), FC_OK);
		for (i = 0; i < 20000; i++) {
			double v = fc_num_sample(&x, r);
			assert_true(v >= 0 && v <= 1);
			sum += v;
		}
		/* sd of the mean: sqrt(ab / ((a+b)^2 (a+b+1))) / sqrt(n) = 0.001 */
		assert_near(sum / 20000, 0.25, 0.005);
		gsl_rng_free(r);
	}

	assert_int_equal(d.n, 0);
	fc_diags_free(&d);
}

static void
test_num_to_range(void **state)
{
	struct fc_diags d;
	struct fc_num x;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(num_of("\"20 to 60\"", 0, 1e6, &x, &d), FC_OK);
	assert_int_equal(x.kind, FC_DIST_LOGNORMAL);
	assert_near(fc_num_quantile(&x, 0.05), 20, 1e-9);
	assert_near(fc_num_quantile(&x, 0.95), 60, 1e-9);
	/* the median is the geometric mean of the ends */
	assert_near(fc_num_quantile(&x, 0.5), sqrt(20.0 * 60.0), 1e-9);
	assert_true(fc_num_mean(&x) > sqrt(1200.0));
	/* unquoted works too, with underscores and exponents */
	assert_int_equal(num_of("1_000 to 2e3", 0, 1e6, &x, &d), FC_OK);
	assert_near(fc_num_quantile(&x, 0.05), 1000, 1e-9);
	assert_near(fc_num_quantile(&x, 0.95), 2000, 1e-9);
	assert_int_equal(d.n, 0);
	fc_diags_free(&d);
}

static void
test_num_errors(void **state)
{
	static const struct {
		const char *text;
		int col;
		const char *msg;
	} cases[] = {
		{ "abc", 4, "expected a test number, got 'abc'" },
		{ "[1, 2]", 4, "got a list" },
		{ ".nan", 4, "not a finite number" },
		{ "-.inf", 4, "not a finite number" },
		{ "-1", 4, "-1 is out of range: expected a test number" },
		{ "101", 4, "out of range" },
		{ "\"60 to 20\"", 4, "needs 0 < A < B" },
		{ "\"0 to 20\"", 4, "needs 0 < A < B" },
		{ "\"20 to\"", 4, "expected a test number" },
		{ "\"20 to 60 to 80\"", 4, "expected a test number" },
		{ "{mean: 3}", 4, "missing key 'dist'" },
		{ "{dist: lognorma, mean: 3, cv: 1}", 11, "did you mean 'lognormal'" },
		{ "{dist: zipf, mean: 3}", 11, "unknown distribution 'zipf' (expected" },
		{ "{dist: lognormal, mean: 3, sd: 1}", 31, "unknown parameter 'sd' for lognormal" },
		{ "{dist: lognormal, mean: 3, cv: x}", 35, "cv of lognormal must be a finite number" },
		{ "{dist: normal, mean: 3}", 4, "normal distribution is missing 'sd'" },
		{ "{dist: lognormal, mean: 0, cv: 1}", 4, "a lognormal needs mean > 0" },
		{ "{dist: lognormal, mean: 3, cv: -1}", 4, "0 <= cv" },
		{ "{dist: normal, mean: 3, sd: -1}", 4, "sd >= 0" },
		{ "{dist: uniform, min: 5, max: 4}", 4, "min <= max" },
		{ "{dist: triangular, min: 1, mode: 7, max: 6}", 4, "min <= mode <= max" },
		{ "{dist: pert, min: 1, mode: 0, max: 6}", 4, "min <= mode <= max" },
		{ "{dist: beta, a: 0, b: 6}", 4, "a beta needs a > 0 and b > 0" },
		{ "{dist: beta, a: 2}", 4, "beta distribution is missing 'b'" },
		{ "{dist: beta, a: 2, b: 3, c: 1}", 29, "unknown parameter 'c' for beta" },
		/* the support must sit in the field's range [0, 100] */
		{ "{dist: uniform, min: -1, max: 4}", 4, "the minimum of -1 is out of range" },
		{ "{dist: triangular, min: 1, mode: 2, max: 200}", 4, "the maximum of 200" },
		{ "{dist: normal, mean: 300, sd: 1}", 4, "the mean of 300" },
		/* bounds hold for draws: a tail past the range */
		{ "{dist: normal, mean: 95, sd: 10}", 4,
		    "30.9% of the normal's draws fall above the bound 100" },
		{ "{dist: uniform, min: 1, max: 2, truncate: true}", 4,
		    "truncate applies to a normal or a lognormal" },
		{ "{dist: normal, mean: 5, sd: 1, truncate: maybe}", 45,
		    "truncate must be true or false" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fc_diags d;
		struct fc_num x;

		fc_diags_init(&d);
		if (num_of(cases[i].text, 0, 100, &x, &d) != FC_EINVAL)
			fail_msg("'%s' accepted", cases[i].text);
		assert_int_equal(d.n_errors, 1);
		assert_diag(&d, 0, "t.yaml", 1, cases[i].col, cases[i].msg);
		fc_diags_free(&d);
	}
}

/* ---- fc_schema_read ---- */

static void
test_schema_read(void **state)
{
	static const char *const colours[] = { "red", "green", NULL };
	double ratio = -1;
	long count = -1;
	char *label = NULL, *day = NULL;
	int colour = -1;
	struct fc_num n;
	const struct fc_ynode *node = NULL;
	struct fc_field f[] = {
		{ "ratio", FT_DOUBLE, &ratio, 1, 0, 1, 1, "a ratio in (0, 1]", NULL },
		{ "count", FT_INT, &count, 0, 0, 100, 0, "a count from 0 to 100", NULL },
		{ "label", FT_STR, &label, 0, 0, 0, 0, NULL, NULL },
		{ "day", FT_DATE, &day, 0, 0, 0, 0, NULL, NULL },
		{ "colour", FT_ENUM, &colour, 0, 0, 0, 0, NULL, colours },
		{ "num", FT_NUM, &n, 0, 0, 10, 0, "a number from 0 to 10", NULL },
		{ "node", FT_NODE, &node, 0, 0, 0, 0, NULL, NULL },
	};
	struct fc_diags d;
	struct fc_ynode *root;

	(void)state;
	fc_diags_init(&d);
	root = parse_ok("ratio: 0.25\ncount: 1_0\nlabel: hi\nday: 2024-02-29\n"
	    "colour: green\nnum: \"2 to 5\"\nnode: [1]\n", &d);
	assert_int_equal(fc_schema_read(root, "sec", f, 7, &d), FC_OK);
	assert_int_equal(d.n, 0);
	assert_near(ratio, 0.25, 0);
	assert_int_equal(count, 10);
	assert_string_equal(label, "hi");
	assert_string_equal(day, "2024-02-29");
	assert_int_equal(colour, 1);
	assert_int_equal(n.kind, FC_DIST_LOGNORMAL);
	assert_non_null(node);
	assert_int_equal(node->kind, FC_Y_SEQ);
	fc_ynode_free(root);

	/* every error is reported, in file order, then the missing keys */
	root = parse_ok("ratio: 0\ncount: 2.5\nlabel: [a]\nday: 2023-02-29\n"
	    "colour: gren\nnum: 11\nrattio: 1\nzzz: 1\ncount2: \"3\"\n", &d);
	assert_int_equal(fc_schema_read(root, "sec", f, 7, &d), FC_EINVAL);
	assert_diag(&d, 0, "t.yaml", 1, 8, "'ratio' is 0, out of range: expected a ratio in (0, 1]");
	assert_diag(&d, 1, "t.yaml", 2, 8, "'count' must be a whole number, got 2.5");
	assert_diag(&d, 2, "t.yaml", 3, 8, "'label' must be a string, not a list");
	assert_diag(&d, 3, "t.yaml", 4, 6, "'day' must be a date YYYY-MM-DD, got '2023-02-29'");
	assert_diag(&d, 4, "t.yaml", 5, 9, "unknown colour 'gren' (did you mean 'green'?)");
	assert_diag(&d, 5, "t.yaml", 6, 6, "11 is out of range: expected a number from 0 to 10");
	assert_diag(&d, 6, "t.yaml", 7, 1, "unknown key 'rattio' in sec (did you mean 'ratio'?)");
	assert_diag(&d, 7, "t.yaml", 8, 1, "unknown key 'zzz' in sec");
	assert_null(strstr(d.v[7].msg, "did you mean"));
	assert_diag(&d, 8, "t.yaml", 9, 1, "unknown key 'count2' in sec (did you mean 'count'?)");
	assert_int_equal(d.n_errors, 9);
	fc_ynode_free(root);
	fc_diags_free(&d);

	/* a missing required key points at the mapping */
	fc_diags_init(&d);
	root = parse_ok("x:\n  count: 3\n", &d);
	assert_int_equal(fc_schema_read(fc_ynode_get(root, "x"), "sec", f, 7, &d), FC_EINVAL);
	assert_int_equal(d.n_errors, 1);
	assert_diag(&d, 0, "t.yaml", 2, 3, "sec is missing required key 'ratio' (a ratio in (0, 1])");
	fc_ynode_free(root);
	/* not a mapping */
	root = parse_ok("x: [1]\n", &d);
	assert_int_equal(fc_schema_read(fc_ynode_get(root, "x"), "sec", f, 7, &d), FC_EINVAL);
	assert_diag(&d, 1, "t.yaml", 1, 4, "'sec' must be a mapping of keys, not a list");
	fc_ynode_free(root);
	fc_diags_free(&d);
	fc_free(label);
	fc_free(day);
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(fc_schema_date_days("1970-01-01"), 0);
	assert_int_equal(fc_schema_date_days("1970-02-01"), 31);
	assert_int_equal(fc_schema_date_days("2000-03-01"), 11017);
	assert_int_equal(fc_schema_date_days("2024-02-29") + 1, fc_schema_date_days("2024-03-01"));
	assert_int_equal(fc_schema_date_days("2020-01-01"), 18262);
	assert_int_equal(fc_schema_date_days("2023-02-29"), -1);
	assert_int_equal(fc_schema_date_days("1900-02-29"), -1);
	assert_int_equal(fc_schema_date_days("2024-13-01"), -1);
	assert_int_equal(fc_schema_date_days("2024-1-01"), -1);
	assert_int_equal(fc_schema_date_days("2024-01-01x"), -1);
	assert_int_equal(fc_schema_date_valid("2024-06-30"), 0);
	assert_int_not_equal(fc_schema_date_valid("2024-06-31"), 0);
}

/* ---- fc_scenario_load (each test loads data/ into cat first) ---- */

static void
test_scenario_load_fixture(void **state)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_scenario_load(FIXTURE, cat, NULL, 0, &s, &d), FC_OK);
	assert_int_equal(d.n_errors, 0);
	assert_non_null(s);
	assert_string_equal(s->name, "Fixture");
	assert_string_equal(s->file, FIXTURE);
	assert_string_equal(s->dir, "tests/cli/fixtures");
	assert_near(fc_num_mean(&s->users), 1000, 0);
	assert_near(fc_num_mean(&s->revenue_per_user), 19, 0);
	assert_near(fc_num_mean(&s->days_per_month), 30, 0);
	assert_near(fc_num_mean(&s->workload.requests_per_user_per_day), 30, 0);
	assert_near(fc_num_mean(&s->workload.input_tokens), 1000, 0);
	assert_near(fc_num_mean(&s->workload.output_tokens), 500, 0);
	assert_near(fc_num_mean(&s->workload.top10_share), 0.5, 0);
	/* defaults for what the file leaves out */
	assert_near(fc_num_mean(&s->workload.cached_input_share), 0, 0);
	assert_near(fc_num_mean(&s->workload.batch_share), 0, 0);
	assert_near(fc_num_mean(&s->workload.context_growth_per_month), 0, 0);
	assert_near(fc_num_mean(&s->workload.arrival_cv), 1, 0);
	assert_near(fc_num_mean(&s->other.per_user_monthly), 0, 0);
	assert_int_equal(s->flat.min_servers, 1);
	assert_int_equal(s->months, 1);
	/* references resolved into copies of the catalog's entries */
	assert_string_equal(s->api.id, "openai/gpt-4o");
	assert_near(s->api.input, 2.5, 0);
	assert_near(s->api.cached_input, 1.25, 0);
	assert_near(s->api.output, 10, 0);
	assert_non_null(s->api.as_of);
	assert_string_equal(s->flat.hw.id, "hetzner/gex44");
	assert_true(s->flat.hw.gpu);
	assert_string_equal(s->flat.model_ref, "qwen2.5-7b-q4_k_m");
	assert_int_equal(s->flat.quant, FC_Q4_K_M);
	assert_string_equal(s->flat.model.id, "qwen2.5-7b");
	assert_string_equal(s->flat.fallback_api.id, "openai/gpt-4o");
	assert_near(fc_num_mean(&s->flat.target_utilization), 0.7, 0);
	assert_near(fc_num_mean(&s->flat.slo_p95_latency_s), 60, 0);
	assert_near(fc_num_mean(&s->flat.fixed_monthly), 14.5, 0);
	assert_near(fc_num_mean(fc_scenario_fallback(s, 1)), 0.05, 0);
	assert_near(fc_num_mean(fc_scenario_fallback(s, 12)), 0.05, 0);
	assert_int_equal(s->trials, 1000);
	assert_int_equal(s->seed, 42);
	fc_scenario_free(s);
	fc_diags_free(&d);
	fc_scenario_free(NULL);
}

static void
test_scenario_set_applies(void **state)
{
	const char *const sets[] = {
		"users=2000",
		"workload.input_tokens={dist: uniform, min: 800, max: 1200}",
		"other_costs.fixed_monthly=5",       /* a section the file lacks */
		"flat.fallback.share=[0.2, 0.1]",    /* a list by month */
		"api.price=openai/gpt-4o-mini",
		"users=3000",                        /* the last one wins */
		"flat.slo.p95_latency_s=30",
	};
	struct fc_scenario *s = NULL;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_scenario_load(FIXTURE, cat, sets, 7, &s, &d), FC_OK);
	assert_int_equal(d.n_errors, 0);
	assert_near(fc_num_mean(&s->users), 3000, 0);
	assert_int_equal(s->workload.input_tokens.kind, FC_DIST_UNIFORM);
	assert_near(fc_num_mean(&s->workload.input_tokens), 1000, 1e-12);
	/* the value's location is inside the --set text: line 2, after '=' */
	assert_string_equal(s->workload.input_tokens.loc.file, "--set");
	assert_int_equal(s->workload.input_tokens.loc.line, 2);
	assert_int_equal(s->workload.input_tokens.loc.col, 23);
	assert_near(fc_num_mean(&s->other.fixed_monthly), 5, 0);
	assert_int_equal(s->flat.n_fallback, 2);
	assert_near(fc_num_mean(fc_scenario_fallback(s, 1)), 0.2, 0);
	assert_near(fc_num_mean(fc_scenario_fallback(s, 2)), 0.1, 0);
	assert_near(fc_num_mean(fc_scenario_fallback(s, 9)), 0.1, 0);
	assert_string_equal(s->api.id, "openai/gpt-4o-mini");
	/* the fallback API is still the one the file names */
	assert_string_equal(s->flat.fallback_api.id, "openai/gpt-4o");
	assert_near(fc_num_mean(&s->flat.slo_p95_latency_s), 30, 0);
	/* untouched keys keep the file's values */
	assert_near(fc_num_mean(&s->workload.output_tokens), 500, 0);
	fc_scenario_free(s);
	fc_diags_free(&d);
}

/* Loads the fixture with one or two overrides that must fail; checks the
 * first diagnostic. */
static void
set_fails(const char *const *sets, size_t n, int line, int col, const char *msg)
{
	struct fc_scenario *s = (struct fc_scenario *)&n;
	struct fc_diags d;

	fc_diags_init(&d);
	if (fc_scenario_load(FIXTURE, cat, sets, n, &s, &d) != FC_EINVAL)
		fail_msg("--set %s accepted", sets[n - 1]);
	assert_null(s);
	assert_true(d.n_errors >= 1);
	assert_diag(&d, 0, "--set", line, col, msg);
	fc_diags_free(&d);
}

static void
test_scenario_set_errors(void **state)
{
	const char *a[] = { "workload.top10_share=2" };
	const char *b[] = { "users=2000", "users=abc" };
	const char *c[] = { "userz=5" };
	const char *e[] = { "users" };
	const char *f[] = { "=5" };
	const char *g[] = { "colour=blue" };
	const char *h[] = { "users=1", "workload.input_tokens={dist: lognorma, mean: 9, cv: 1}" };
	const char *i[] = { "workload.input_tokens=-1" };
	const char *j[] = { "flat.hardware=hetzner/cx99" };

	(void)state;
	set_fails(a, 1, 1, 22, "2 is out of range: expected a share from 0.1");
	set_fails(b, 2, 2, 7, "expected a number of users >= 0, got 'abc'");
	set_fails(c, 1, 1, 1, "unknown key 'userz' (did you mean 'users'?)");
	set_fails(e, 1, 1, 1, "expected KEY=VALUE");
	set_fails(f, 1, 1, 1, "expected KEY=VALUE");
	set_fails(g, 1, 1, 1, "unknown key 'colour'");
	set_fails(h, 2, 2, 30, "unknown distribution 'lognorma' (did you mean 'lognormal'?)");
	set_fails(i, 1, 1, 23, "-1 is out of range: expected input tokens per call >= 0");
	set_fails(j, 1, 1, 15, "unknown hardware 'hetzner/cx99'");
}

static void
test_scenario_file_errors(void **state)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	const char *path = "tests/cli/errors/29-top10-share-too-big.yaml";

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_scenario_load(path, cat, NULL, 0, &s, &d), FC_EINVAL);
	assert_null(s);
	assert_int_equal(d.n_errors, 1);
	assert_diag(&d, 0, path, 5, 16, "out of range: expected a share from 0.1 (even) to 0.999");
	fc_diags_free(&d);

	/* every error of a file, not just the first; at most 20 kept */
	fc_diags_init(&d);
	path = "tests/cli/errors/42-too-many-errors.yaml";
	assert_int_equal(fc_scenario_load(path, cat, NULL, 0, &s, &d), FC_EINVAL);
	assert_int_equal(d.n_errors, 25);
	assert_int_equal(d.n_dropped, 5);
	assert_int_equal(d.n, 20);
	assert_diag(&d, 19, path, 31, 1, "unknown key 'tango'");
	fc_diags_free(&d);

	fc_diags_init(&d);
	path = "tests/cli/errors/18-model-does-not-fit.yaml";
	assert_int_equal(fc_scenario_load(path, cat, NULL, 0, &s, &d), FC_EINVAL);
	assert_diag(&d, 0, path, 11, 10, "model 'phi-4-f16' does not fit");
	fc_diags_free(&d);
}

static void
test_scenario_paths(void **state)
{
	const char *const *p = fc_scenario_paths();
	size_t i;
	int users = 0, tokens = 0, share = 0, slo = 0;

	(void)state;
	for (i = 0; p[i]; i++) {
		users |= strcmp(p[i], "users") == 0;
		tokens |= strcmp(p[i], "workload.input_tokens") == 0;
		share |= strcmp(p[i], "flat.fallback.share") == 0;
		slo |= strcmp(p[i], "flat.slo.p95_latency_s") == 0;
		/* sections themselves are not settable scalars */
		assert_true(strcmp(p[i], "workload") != 0 && strcmp(p[i], "flat") != 0);
	}
	assert_true(users && tokens && share && slo);
}

/* The first calls of fc_scenario_paths() from several
 * threads at once all see the whole list (it was a cache filled by
 * whichever thread came first, read half-built by the others).  This runs
 * first, before any other test builds the list. */
#define PATH_THREADS 8
static pthread_barrier_t paths_barrier;

static void *
count_paths(void *arg)
{
	const char *const *p;
	size_t n = 0;

	pthread_barrier_wait(&paths_barrier);
	p = fc_scenario_paths();
	while (p[n] && strchr(p[n], '\0') != p[n])
		n++;
	*(size_t *)arg = n;
	return NULL;
}

static void
test_scenario_paths_threads(void **state)
{
	pthread_t t[PATH_THREADS];
	size_t n[PATH_THREADS], i, want = 0;
	const char *const *p;

	(void)state;
	assert_int_equal(pthread_barrier_init(&paths_barrier, NULL, PATH_THREADS), 0);
	for (i = 0; i < PATH_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, count_paths, &n[i]), 0);
	for (i = 0; i < PATH_THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&paths_barrier);
	for (p = fc_scenario_paths(); p[want]; want++)
		;
	assert_true(want > 30);
	for (i = 0; i < PATH_THREADS; i++)
		assert_int_equal(n[i], want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_paths_threads),
		cmocka_unit_test(test_yaml_locations),
		cmocka_unit_test(test_yaml_duplicate_key),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_yaml_load_file_errors),
		cmocka_unit_test(test_yaml_bom_and_bad_bytes),
		cmocka_unit_test(test_yaml_many_keys),
		cmocka_unit_test(test_yaml_load_pipe),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_num_each_distribution),
		cmocka_unit_test(test_num_to_range),
		cmocka_unit_test(test_num_errors),
		cmocka_unit_test(test_schema_read),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_scenario_paths),
		cmocka_unit_test_setup_teardown(test_scenario_load_fixture,
		    load_catalog, free_catalog),
		cmocka_unit_test_setup_teardown(test_scenario_set_applies,
		    load_catalog, free_catalog),
		cmocka_unit_test_setup_teardown(test_scenario_set_errors,
		    load_catalog, free_catalog),
		cmocka_unit_test_setup_teardown(test_scenario_file_errors,
		    load_catalog, free_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
