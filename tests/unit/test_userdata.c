/*
 * test_userdata.c: the user data directory's guards: the writers' lock, a part that is not a regular file, and ids
 * an import refuses, without the CLI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data.h"
#include "import.h"

/* A fresh directory under $TMPDIR (or /tmp); the caller removes it. */
static void
tmpdir(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, len, "%s/fc-userdata-XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(buf));
}

static void
rmdir_r(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int
has_error(const struct fc_diags *d, const char *part)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, part))
			return 1;
	return 0;
}

static void
test_bad_ids(void **state)
{
	char shown[64];

	(void)state;
	assert_int_equal(fc_import_bad_id("openai/gpt-4o", shown, sizeof(shown)), 0);
	assert_string_equal(shown, "openai/gpt-4o");
	assert_int_equal(fc_import_bad_id("a:b/x", shown, sizeof(shown)), 0);
	assert_int_equal(fc_import_bad_id("openai/ctl\001x", shown, sizeof(shown)), 1);
	assert_string_equal(shown, "openai/ctl\\x01x");
	assert_int_equal(fc_import_bad_id("/x", shown, sizeof(shown)), 1);
	/* past the room of shown, a control character still counts */
	assert_int_equal(fc_import_bad_id("p/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    shown, 16), 1);
	assert_true(strlen(shown) < 16);
}

static void
test_import_refuses_control_characters(void **state)
{
	const char *json = "{\"ctl\\u0001x\": {\"litellm_provider\": \"openai\", \"mode\": \"chat\","
	    " \"input_cost_per_token\": 1e-6, \"output_cost_per_token\": 2e-6}}";
	struct fc_import im;
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_import_parse(json, strlen(json), "c.json", FC_IMP_LITELLM, "2026-01-01",
	    "c.json", NULL, 0, NULL, &im, &d), FC_EINVAL);
	assert_true(has_error(&d, "entry \"openai/ctl\\x01x\": the name has a control character"));
	assert_string_equal(d.v[0].loc.file, "c.json");
	fc_diags_free(&d);
}

static void
test_lock_excludes_a_second_writer(void **state)
{
	char dir[4096];
	struct fc_diags d;
	int a = -1, b = -1;

	(void)state;
	tmpdir(dir, sizeof(dir));
	fc_diags_init(&d);
	assert_int_equal(fc_import_userdata_lock(dir, 1, &a, &d), FC_OK);
	assert_true(a >= 0);
	/* a second open file description: flock excludes it, even here */
	assert_int_equal(fc_import_userdata_lock(dir, 0.05, &b, &d), FC_EIO);
	assert_int_equal(b, -1);
	assert_true(has_error(&d, "another flatcost process has been writing this user data directory"));
	assert_non_null(strstr(d.v[0].loc.file, "/.lock"));
	fc_import_userdata_unlock(a);
	assert_int_equal(fc_import_userdata_lock(dir, 0, &b, &d), FC_OK);
	fc_import_userdata_unlock(b);
	fc_diags_free(&d);
	rmdir_r(dir);
}

/* Overlays dir on an empty catalog; the status. */
static enum fc_status
overlay(const char *dir, struct fc_diags *d)
{
	struct fc_catalog *c = calloc(1, sizeof(*c));
	enum fc_status st;

	assert_non_null(c);
	st = fc_catalog_overlay(c, dir, d);
	fc_catalog_free(c);
	return st;
}

static void
test_overlay_refuses_what_is_not_a_file(void **state)
{
	char dir[4096], p[4200];
	struct fc_diags d;

	(void)state;
	tmpdir(dir, sizeof(dir));
	fc_diags_init(&d);
	assert_int_equal(overlay(dir, &d), FC_OK);   /* nothing there: fine */
	snprintf(p, sizeof(p), "%s/prices.yaml", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(overlay(dir, &d), FC_EINVAL);
	assert_true(has_error(&d, "not a regular file"));
	assert_string_equal(d.v[d.n - 1].loc.file, p);
	unlink(p);
	assert_int_equal(symlink("nowhere", p), 0);
	assert_int_equal(overlay(dir, &d), FC_EINVAL);
	assert_true(has_error(&d, "a symbolic link to a file that does not exist"));
	unlink(p);
	assert_int_equal(symlink("prices.yaml", p), 0);
	assert_int_equal(overlay(dir, &d), FC_EINVAL);
	unlink(p);
	snprintf(p, sizeof(p), "%s/hardware", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(overlay(dir, &d), FC_EINVAL);
	assert_true(has_error(&d, "not a directory"));
	fc_diags_free(&d);
	rmdir_r(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_ids),
		cmocka_unit_test(test_import_refuses_control_characters),
		cmocka_unit_test(test_lock_excludes_a_second_writer),
		cmocka_unit_test(test_overlay_refuses_what_is_not_a_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
