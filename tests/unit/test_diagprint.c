/*
 * test_diagprint.c: diagnostics written as a compiler writes them
 * (model/diagprint.c), byte for byte: the location, the source line from a
 * registered text or the file, the caret and tildes (cut at the line's
 * end), control bytes as '?', a gzip file not quoted, the counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagprint.h"

static char *
print(const struct fc_diags *d, const struct fc_sources *src, size_t *nerr)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	assert_non_null(f);
	*nerr = fc_diags_print(f, d, src);
	fclose(f);
	return p;
}

static void
test_registered_source(void **state)
{
	struct fc_sources src;
	struct fc_diags d;
	struct fc_loc at = { NULL, 2, 5, 4 }, none = { NULL, 0, 0, 0 };
	size_t nerr;
	char *out;

	(void)state;
	memset(&src, 0, sizeof(src));
	fc_diags_init(&d);
	assert_int_equal(fc_sources_add(&src, "--set", "a=1\nb=\x01xyz\n"), 0);
	at.file = fc_diags_intern(&d, "--set");
	fc_error(&d, at, "bad value");
	fc_warning(&d, none, "just so");
	out = print(&d, &src, &nerr);
	assert_int_equal(nerr, 1);
	/* col 5 of "b=?xyz", 4 long: cut at the line's end (3 left) */
	assert_string_equal(out,
	    "--set:2:5: error: bad value\n"
	    "    2 | b=?xyz\n"
	    "      |     ^~~\n"
	    "flatcost: warning: just so\n"
	    "flatcost: 1 error in --set\n");
	free(out);
	/* replaced text */
	assert_int_equal(fc_sources_add(&src, "--set", "a=1\nbb=2\n"), 0);
	{
		char line[16];
		assert_int_equal(fc_sources_line(&src, "--set", 2, line, sizeof(line)), 0);
		assert_string_equal(line, "bb=2");
		assert_int_equal(fc_sources_line(&src, "--set", 9, line, sizeof(line)), -1);
	}
	fc_diags_free(&d);
	for (nerr = 0; nerr < src.n; nerr++) {
		fc_free(src.v[nerr].name);
		fc_free(src.v[nerr].text);
	}
}

static void
test_file_source(void **state)
{
	char path[] = "/tmp/test_diagprint.XXXXXX";
	struct fc_sources src;
	struct fc_diags d;
	struct fc_loc at = { NULL, 1, 1, 0 };
	int fd = mkstemp(path);
	size_t nerr;
	char *out;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("\tkey: x\n", f);
	fclose(f);
	memset(&src, 0, sizeof(src));
	fc_diags_init(&d);
	at.file = fc_diags_intern(&d, path);
	at.col = 2;
	fc_error(&d, at, "unknown key");
	out = print(&d, &src, &nerr);
	/* a tab before the column stays a tab under it */
	assert_non_null(strstr(out, ":1:2: error: unknown key\n    1 | \tkey: x\n      | \t^\n"));
	free(out);
	/* gzip: not quoted */
	f = fopen(path, "wb");
	fputs("\x1f\x8b\x08 rest\n", f);
	fclose(f);
	out = print(&d, &src, &nerr);
	assert_null(strstr(out, "    1 |"));
	free(out);
	unlink(path);
	fc_diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered_source),
		cmocka_unit_test(test_file_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
