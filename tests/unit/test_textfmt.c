/*
 * test_textfmt.c: numbers and text for people (model/textfmt.c): money
 * with separators, cents and the currency's symbol, counts, n/a, Markdown
 * escapes, word wrapping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "textfmt.h"

static void
test_numbers(void **state)
{
	char b[64];

	(void)state;
	fc_fmt_money(b, sizeof(b), "$", 1234567.891);
	assert_string_equal(b, "$1,234,567.89");
	fc_fmt_money(b, sizeof(b), "EUR ", -12);
	assert_string_equal(b, "-EUR 12.00");
	fc_fmt_money(b, sizeof(b), NULL, 999.999);
	assert_string_equal(b, "$1,000.00");
	fc_fmt_money(b, sizeof(b), "$", NAN);
	assert_string_equal(b, "n/a");
	fc_fmt_count(b, sizeof(b), 1234567.4);
	assert_string_equal(b, "1,234,567");
	fc_fmt_count(b, sizeof(b), -1000);
	assert_string_equal(b, "-1,000");
	fc_fmt_count(b, sizeof(b), 999);
	assert_string_equal(b, "999");
	fc_fmt_count(b, sizeof(b), INFINITY);
	assert_string_equal(b, "n/a");
}

static char *
capture(void (*w)(FILE *, const char *), const char *s)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	w(f, s);
	fclose(f);
	return p;
}

static void
wrap20(FILE *f, const char *s)
{
	fc_text_wrap(f, s, 2, 20, 2);
}

static void
test_text(void **state)
{
	char *p;

	(void)state;
	p = capture(fc_md_text, "a|b <c> & d\ne");
	assert_string_equal(p, "a\\|b &lt;c&gt; &amp; d e");
	free(p);
	p = capture(wrap20, "the quick brown fox jumps over");
	assert_string_equal(p, "the quick brown\n  fox jumps over\n");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
