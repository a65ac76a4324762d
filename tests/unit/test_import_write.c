/*
 * test_import_write.c: the user data directory's writers
 * (model/import_write.c) read back by the catalog's own loader: prices
 * under their providers with every field and a source holding quotes, a
 * backslash and a newline; Hetzner servers with their EUR price; the
 * YAML scalar escapes.
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

#include "import.h"
#include "testutil.h"

static char dir[] = "/tmp/test_import_write.XXXXXX";

static void
write_with(const char *path, int (*w)(FILE *, const struct fc_catalog *),
    const struct fc_catalog *u)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(w(f, u), 0);
	assert_int_equal(fclose(f), 0);
}

static void
test_prices_round_trip(void **state)
{
	struct fc_catalog u, *back = NULL;
	struct fc_price p[2];
	const struct fc_price *q;
	struct fc_diags d;
	char path[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	memset(&u, 0, sizeof(u));
	memset(p, 0, sizeof(p));
	assert_int_equal(fc_price_copy(&p[0], fc_catalog_price(cat, "openai/gpt-4o")), FC_OK);
	assert_int_equal(fc_price_copy(&p[1], fc_catalog_price(cat, "openai/gpt-4o-mini")), FC_OK);
	fc_free(p[1].source);
	p[1].source = fc_strdup("a \"quoted\" \\ source\nsecond line");
	p[1].input = 0.123456789012345;
	u.prices = p;
	u.nprices = 2;
	snprintf(path, sizeof(path), "%s/prices.yaml", dir);
	write_with(path, fc_import_write_prices, &u);
	fc_diags_init(&d);
	assert_int_equal(fc_prices_check_file(path, &d), FC_OK);
	/* laid over the bundled catalog: the entries as written */
	assert_int_equal(fc_catalog_load("data", &back, &d), FC_OK);
	assert_int_equal(fc_catalog_overlay(back, dir, &d), FC_OK);
	q = fc_catalog_price(back, "openai/gpt-4o-mini");
	assert_non_null(q);
	assert_string_equal(q->source, "a \"quoted\" \\ source\nsecond line");
	assert_true(q->input == 0.123456789012345);
	assert_true(q->output == p[1].output);
	q = fc_catalog_price(back, "openai/gpt-4o");
	assert_true(q->input == p[0].input && q->output == p[0].output);
	assert_string_equal(q->as_of, p[0].as_of);
	fc_catalog_free(back);
	fc_diags_free(&d);
	fc_price_clear(&p[0]);
	fc_price_clear(&p[1]);
	unlink(path);
}

static void
test_hetzner(void **state)
{
	struct fc_catalog u;
	struct fc_hw h;
	struct fc_diags d;
	char path[200], sub[128];

	(void)state;
	memset(&u, 0, sizeof(u));
	memset(&h, 0, sizeof(h));
	assert_int_equal(fc_hw_copy(&h, fc_catalog_hw(cat, "hetzner/cx43")), FC_OK);
	h.monthly_price_eur = 10;
	h.usd_per_eur = 1.1;
	h.monthly_price = 11;
	u.hw = &h;
	u.nhw = 1;
	snprintf(sub, sizeof(sub), "%s/hardware", dir);
	assert_int_equal(mkdir(sub, 0777), 0);
	snprintf(path, sizeof(path), "%s/hetzner.yaml", sub);
	write_with(path, fc_import_write_hetzner, &u);
	fc_diags_init(&d);
	assert_int_equal(fc_hw_check_file(path, "hetzner", &d), FC_OK);
	fc_diags_free(&d);
	{
		char buf[4096];
		FILE *f = fopen(path, "r");
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		buf[n] = '\0';
		fclose(f);
		assert_non_null(strstr(buf, "\ncx43:\n"));
		assert_non_null(strstr(buf, "  monthly_price: 11\n"));
		assert_non_null(strstr(buf, "  monthly_price_eur: 10\n  usd_per_eur: 1.1\n"));
	}
	fc_hw_clear(&h);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}

static void
test_yaml_str(void **state)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	(void)state;
	fc_import_yaml_str(f, "a:b \"c\" \\ \n\t\x7f");
	fclose(f);
	assert_string_equal(p, "\"a:b \\\"c\\\" \\\\ \\n\\x09\\x7f\"");
	free(p);
}

static void
test_records(void **state)
{
	struct fc_import_records rs;
	char *p = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	rs.today = "2026-05-01";
	assert_int_equal(fc_import_records_add(&rs, "https://x/\"a\".json", "litellm", "", 0), 0);
	assert_int_equal(fc_import_records_add(&rs, "p.json", "hetzner-pricing", "fsn1", 1.08), 0);
	assert_null(rs.r[0].location);
	f = open_memstream(&p, &n);
	assert_int_equal(fc_import_records_write(f, &rs), 0);
	fclose(f);
	assert_non_null(strstr(p, "imports:\n"
	    "  - source: \"https://x/\\\"a\\\".json\"\n"
	    "    from: litellm\n"
	    "    imported: 2026-05-01\n    by: flatcost "));
	assert_non_null(strstr(p, "  - source: \"p.json\"\n"
	    "    from: hetzner-pricing\n"
	    "    location: \"fsn1\"\n"
	    "    usd_per_eur: 1.08\n"));
	free(p);
	fc_import_records_free(&rs);
	assert_int_equal(rs.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prices_round_trip),
		cmocka_unit_test(test_hetzner),
		cmocka_unit_test(test_yaml_str),
		cmocka_unit_test(test_records),
	};

	return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
