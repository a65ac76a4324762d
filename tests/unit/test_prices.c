/*
 * test_prices.c: the price arithmetic by hand (cache writes
 * splitting input three ways, the 1-hour TTL, tiers above N input tokens
 * by the lognormal share of calls and tokens above N, service-tier
 * multipliers), staleness findings at a given day, catalog ids of other
 * catalogs' names, and the LiteLLM fixture parsed into entries.
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

#include "cost.h"
#include "data.h"
#include "import.h"
#include "schema.h"
#include "stale.h"
#include "cost_int.h"

static struct fc_price
haiku(void)
{
	struct fc_price p;

	memset(&p, 0, sizeof(p));
	p.input = 1;
	p.cached_input = 0.10;
	p.cache_write = 1.25;
	p.cache_write_1h = 2;
	p.output = 5;
	return p;
}

static void
test_cache_write_three_ways(void **state)
{
	struct fc_price p = haiku();
	struct fc_inputs in;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.api_price_factor = 1;
	in.cached_share = 0.3;
	in.cache_write_share = 0.2;
	/* 1000 x (0.5 x 1 + 0.3 x 0.10 + 0.2 x 1.25) + 100 x 5 = 1280 per 1e6 */
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100), 1280e-6, 1e-15);
	in.cache_1h = 1;
	/* 1000 x (0.5 + 0.03 + 0.2 x 2) + 500 = 1430 */
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100), 1430e-6, 1e-15);
	/* no write share: the old two-way split */
	in.cache_write_share = 0;
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100), 1230e-6, 1e-15);
	/* the batch discount comes last */
	p.batch_discount = 0.5;
	in.batch_share = 1;
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100), 615e-6, 1e-15);
}

static void
test_service_tiers(void **state)
{
	struct fc_price p = haiku();
	struct fc_inputs in;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.api_price_factor = 1;
	p.priority = 1.8;
	p.flex = 0.5;
	in.service = FC_TIER_PRIORITY;
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100), 1.8 * 1500e-6, 1e-15);
	in.service = FC_TIER_FLEX;
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100), 750e-6, 1e-15);
	/* an entry without the tier's multiplier (a fallback API) bills standard */
	p.flex = 0;
	assert_float_equal(fc_cost_service_mult(&p, FC_TIER_FLEX), 1, 0);
}

static void
test_tier_shares(void **state)
{
	double qc, qt;

	(void)state;
	/* every call the same length: all or nothing */
	fc_cost_tier_shares(300000, 0, 200000, &qc, &qt);
	assert_true(qc == 1 && qt == 1);
	fc_cost_tier_shares(100000, 0, 200000, &qc, &qt);
	assert_true(qc == 0 && qt == 0);
	/* lognormal, mean 1000, cv 1, N = 1000: sigma^2 = ln 2,
	 * P(X > N) = Q(sigma / 2), token share = Q(-sigma / 2) (Python erfc) */
	fc_cost_tier_shares(1000, 1, 1000, &qc, &qt);
	assert_float_equal(qc, 0.3386035485866634, 1e-12);
	assert_float_equal(qt, 0.6613964514133366, 1e-12);
}

static void
test_tier_cost(void **state)
{
	struct fc_price p;
	struct fc_inputs in;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&in, 0, sizeof(in));
	in.api_price_factor = 1;
	p.input = 1.25;
	p.cached_input = 0.125;
	p.cache_write = p.cache_write_1h = 1.25;
	p.output = 10;
	p.tier_above = 1000;
	p.tier_input = 2.5;
	p.tier_cached_input = 0.25;
	p.tier_output = 15;
	in.input_cv = 1;
	/* (1000 (1 - qt) 1.25 + 100 (1 - qc) 10 + 1000 qt 2.5 + 100 qc 15) / 1e6,
	 * computed in Python with the shares above */
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100),
	    0.0032460473385600027, 1e-15);
	/* cached tokens above N at the tier's cached price:
	 * half cached: 1000 (1-qt)(0.5 x 1.25 + 0.5 x 0.125) + 1000 qt (0.5 x 2.5 + 0.5 x 0.25) + output */
	in.cached_share = 0.5;
	assert_float_equal(fc_api_cost_per_call(&p, &in, 1000, 100),
	    (1000 * (1 - 0.6613964514133366) * 0.6875 + 100 * (1 - 0.3386035485866634) * 10 +
	    1000 * 0.6613964514133366 * 1.375 + 100 * 0.3386035485866634 * 15) / 1e6, 1e-12);
}

static void
test_staleness(void **state)
{
	struct fc_price p;
	struct fc_finding f[4];
	long today = fc_schema_date_days("2026-11-27");
	char id[] = "openai/gpt-x", asof[] = "2026-05-01", sd[] = "2026-12-11",
	    succ[] = "openai/gpt-y", origin[] = "bundled";

	(void)state;
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.as_of = asof;
	p.shutdown = sd;
	p.successor = succ;
	/* an inline price (no origin) is the scenario's own: no finding */
	assert_int_equal(fc_stale_price(&p, "api.price", today, f, 4), 0);
	p.origin = origin;
	assert_int_equal(fc_stale_price(&p, "api.price", today, f, 4), 2);
	assert_int_equal(f[0].kind, FC_FIND_STALE);
	assert_int_equal(f[0].days, 210);
	assert_int_equal(f[1].kind, FC_FIND_RETIRING);
	assert_int_equal(f[1].days, 14);
	assert_string_equal(f[1].msg,
	    "openai/gpt-x (api.price): the model shuts down on 2026-12-11, in 14 days; its successor is openai/gpt-y");
	/* 61 days before the shutdown: not yet; the day itself: shut down */
	assert_int_equal(fc_stale_price(&p, "api.price",
	    fc_schema_date_days("2026-10-11"), f, 4), 0);
	assert_int_equal(fc_stale_price(&p, "api.price",
	    fc_schema_date_days("2026-12-11"), f, 4), 2);
	assert_int_equal(f[1].kind, FC_FIND_SHUTDOWN);
	/* max 0: counted, not stored */
	assert_int_equal(fc_stale_price(&p, "api.price", today, f, 0), 2);
}

static void
test_import_ids(void **state)
{
	char b[64];

	(void)state;
	fc_import_id("anthropic", "claude-sonnet-4-5", b, sizeof(b));
	assert_string_equal(b, "anthropic/claude-sonnet-4.5");
	fc_import_id("anthropic", "claude-opus-4-1-20250805", b, sizeof(b));
	assert_string_equal(b, "anthropic/claude-opus-4.1-20250805");
	fc_import_id("anthropic", "claude-sonnet-4-20250514", b, sizeof(b));
	assert_string_equal(b, "anthropic/claude-sonnet-4-20250514");
	fc_import_id("anthropic", "claude-sonnet-5", b, sizeof(b));
	assert_string_equal(b, "anthropic/claude-sonnet-5");
	fc_import_id("gemini", "gemini/gemini-2.5-pro", b, sizeof(b));
	assert_string_equal(b, "google/gemini-2.5-pro");
	fc_import_id("openai", "gpt-4.1-nano", b, sizeof(b));
	assert_string_equal(b, "openai/gpt-4.1-nano");
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static const struct fc_price *
find(const struct fc_import *im, const char *id)
{
	size_t i;

	for (i = 0; i < im->nprices; i++)
		if (strcmp(im->prices[i].id, id) == 0)
			return &im->prices[i];
	return NULL;
}

static void
test_litellm_fixture(void **state)
{
	struct fc_import im;
	struct fc_diags d;
	const struct fc_price *p;
	size_t len;
	char *buf = slurp("tests/cli/fixtures-data/litellm.json", &len);

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_import_parse(buf, len, "litellm.json", FC_IMP_AUTO,
	    "2026-11-27", "test", NULL, 0, NULL, &im, &d), FC_OK);
	assert_int_equal(im.format, FC_IMP_LITELLM);
	assert_int_equal(im.nprices, 10);
	assert_int_equal(im.skipped, 2);   /* the embedding and image records */
	p = find(&im, "google/gemini-2.5-pro");
	assert_non_null(p);
	assert_float_equal(p->tier_above, 200000, 0);
	assert_float_equal(p->tier_input, 2.5, 1e-12);
	assert_float_equal(p->tier_output, 15, 1e-12);
	p = find(&im, "openai/gpt-5.5");
	assert_float_equal(p->priority, 2, 1e-12);
	assert_float_equal(p->flex, 0.5, 1e-12);
	assert_float_equal(p->batch_discount, 0.5, 1e-12);
	assert_float_equal(p->tier_above, 272000, 0);
	p = find(&im, "anthropic/claude-sonnet-4.5");
	assert_float_equal(p->cache_write, 3.75, 1e-12);
	assert_float_equal(p->cache_write_1h, 6, 1e-12);
	assert_float_equal(p->cached_input, 0.3, 1e-12);
	p = find(&im, "anthropic/claude-opus-4.1-20250805");
	assert_string_equal(p->shutdown, "2026-08-05");
	fc_import_clear(&im);
	/* truncated: an error, nothing kept */
	assert_int_equal(fc_import_parse(buf, len / 2, "litellm.json", FC_IMP_AUTO,
	    "2026-11-27", "test", NULL, 0, NULL, &im, &d), FC_EINVAL);
	assert_int_equal(im.nprices, 0);
	assert_null(im.prices);
	fc_diags_free(&d);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_write_three_ways),
		cmocka_unit_test(test_service_tiers),
		cmocka_unit_test(test_tier_shares),
		cmocka_unit_test(test_tier_cost),
		cmocka_unit_test(test_staleness),
		cmocka_unit_test(test_import_ids),
		cmocka_unit_test(test_litellm_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
