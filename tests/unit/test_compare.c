/*
 * test_compare.c: model/compare.c against the engine it shares its draws
 * with: each option's statistics equal fc_mc_run's on the scenario with
 * that option's hardware and model (common random numbers, trial for
 * trial); viability reasons; the API counterparts of figures; ranking.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "compare.h"
#include "testutil.h"

#define SC "scenarios/content-optimizer.yaml"

static void
flat_option(struct fc_cmp_option *o, const char *hw, const char *ref)
{
	memset(o, 0, sizeof(*o));
	o->kind = FC_CMP_FLAT;
	o->hw = fc_catalog_hw(cat, hw);
	o->model = fc_catalog_model(cat, ref, &o->quant);
	assert_non_null(o->hw);
	assert_non_null(o->model);
	snprintf(o->ref, sizeof(o->ref), "%s", ref);
}

static void
mc_opts(struct fc_mc_opts *o, int threads)
{
	memset(o, 0, sizeof(*o));
	o->trials = 600;
	o->seed = 11;
	o->threads = threads;
	o->month = 1;
	o->users = NAN;
}

/* Every option's statistics equal simulate's with --set of its pair. */
static void
test_equals_simulate(void **state)
{
	static const char *const pairs[][2] = {
		{ "hetzner/gex44", "qwen2.5-7b-q4_k_m" },
		{ "gpu/runpod-a5000", "qwen2.5-3b-q4_k_m" },
		{ "cloud-gpu/runpod-rtx4090", "llama-3.1-8b-q4_k_m" },
	};
	struct fc_cmp_option opts[4];
	struct fc_scenario *s = load_scenario(SC, NULL, 0);
	struct fc_cmp_rank rk = { fc_figure_index("flat.monthly_cost"), 2, 0 };
	struct fc_mc_opts o;
	size_t i;
	long kc = fc_figure_index("flat.monthly_cost"), ks = fc_figure_index("flat.servers");
	long ka = fc_figure_index("api.monthly_cost");

	(void)state;
	for (i = 0; i < 3; i++)
		flat_option(&opts[i], pairs[i][0], pairs[i][1]);
	memset(&opts[3], 0, sizeof(opts[3]));
	opts[3].kind = FC_CMP_API;
	mc_opts(&o, 3);
	assert_int_equal(fc_compare_run(s, &o, &rk, opts, 4), FC_OK);
	for (i = 0; i < 3; i++) {
		char h[80], m[80];
		const char *sets[2] = { h, m };
		struct fc_scenario *si;
		struct fc_mc_result r;

		snprintf(h, sizeof(h), "flat.hardware=%s", pairs[i][0]);
		snprintf(m, sizeof(m), "flat.model=%s", pairs[i][1]);
		si = load_scenario(SC, sets, 2);
		mc_opts(&o, 1);
		assert_int_equal(fc_mc_run(si, &o, &r), FC_OK);
		assert_true(opts[i].viable);
		assert_true(opts[i].stats[FC_CMP_COST].p50 == r.stats[kc].p50);
		assert_true(opts[i].stats[FC_CMP_COST].p5 == r.stats[kc].p5);
		assert_true(opts[i].stats[FC_CMP_COST].mean == r.stats[kc].mean);
		assert_true(opts[i].stats[FC_CMP_SERVERS].p95 == r.stats[ks].p95);
		assert_true(opts[3].stats[FC_CMP_COST].p50 == r.stats[ka].p50);
		fc_mc_result_free(&r);
		fc_scenario_free(si);
	}
	/* ranks: 1..4 by the P50, each once */
	for (i = 0; i < 4; i++) {
		size_t j;
		assert_true(opts[i].rank >= 1 && opts[i].rank <= 4);
		for (j = 0; j < 4; j++)
			if (opts[j].rank < opts[i].rank)
				assert_true(opts[j].rank_value <= opts[i].rank_value);
	}
	fc_scenario_free(s);
}

static void
test_not_viable(void **state)
{
	struct fc_cmp_option opts[3];
	struct fc_scenario *s = load_scenario(SC, NULL, 0);
	struct fc_cmp_rank rk = { fc_figure_index("flat.monthly_cost"), 2, 0 };
	struct fc_mc_opts o;

	(void)state;
	flat_option(&opts[0], "hetzner/cx23", "qwen2.5-7b-q8_0");
	flat_option(&opts[1], "hetzner/cx43", "qwen2.5-7b-q4_k_m");
	flat_option(&opts[2], "hetzner/cx53", "qwen2.5-3b-q4_k_m");
	mc_opts(&o, 2);
	assert_int_equal(fc_compare_run(s, &o, &rk, opts, 3), FC_OK);
	assert_false(opts[0].viable);
	assert_non_null(strstr(opts[0].reason, "does not fit: 8.10 GB of weights"));
	assert_false(opts[1].viable);
	assert_non_null(strstr(opts[1].reason, "SLO impossible: one call alone takes"));
	assert_false(opts[2].viable);
	assert_non_null(strstr(opts[2].reason, "no server count meets the SLO"));
	assert_int_equal(opts[0].rank + opts[1].rank + opts[2].rank, 0);
	fc_scenario_free(s);
}

static void
test_figure_for(void **state)
{
	(void)state;
	assert_int_equal(fc_compare_figure_for(fc_figure_index("flat.monthly_cost"), FC_CMP_API),
	    fc_figure_index("api.monthly_cost"));
	assert_int_equal(fc_compare_figure_for(fc_figure_index("per_user.flat"), FC_CMP_API),
	    fc_figure_index("per_user.api"));
	assert_int_equal(fc_compare_figure_for(fc_figure_index("flat.monthly_cost"),
	    FC_CMP_API_ROUTED), fc_figure_index("api_routed.monthly_cost"));
	assert_int_equal(fc_compare_figure_for(fc_figure_index("per_user.flat"),
	    FC_CMP_API_ROUTED), fc_figure_index("per_user.api_routed"));
	assert_int_equal(fc_compare_figure_for(fc_figure_index("flat.servers"), FC_CMP_API), -1);
	assert_int_equal(fc_compare_figure_for(fc_figure_index("savings.monthly"), FC_CMP_API), -1);
	assert_int_equal(fc_compare_figure_for(fc_figure_index("flat.servers"), FC_CMP_FLAT),
	    fc_figure_index("flat.servers"));
	assert_int_equal(fc_compare_figure_for(-1, FC_CMP_API), -1);
}

/* Racing: options beyond the leader after the batch stop with no
 * figures; every option kept has the figures of a run without racing,
 * for any thread count. */
static void
test_race(void **state)
{
	static const char *const pairs[][2] = {
		{ "gpu/runpod-a5000", "qwen2.5-3b-q4_k_m" },
		{ "gpu/runpod-a5000", "qwen2.5-3b-q4_0" },
		{ "hetzner/gex44", "qwen2.5-7b-q4_k_m" },
		{ "cloud-gpu/runpod-rtx4090", "llama-3.1-8b-q4_k_m" },
		{ "gpu/runpod-a5000", "qwen2.5-7b-f16" },
	};
	enum { N = 5 };
	struct fc_cmp_option raced[N], full[N], raced1[N];
	struct fc_scenario *s = load_scenario(SC, NULL, 0);
	struct fc_cmp_rank rk = { fc_figure_index("flat.monthly_cost"), 2, 1 };
	struct fc_mc_opts o;
	size_t i, nout = 0;

	(void)state;
	for (i = 0; i < N; i++)
		flat_option(&raced[i], pairs[i][0], pairs[i][1]);
	memcpy(full, raced, sizeof(full));
	memcpy(raced1, raced, sizeof(raced1));
	mc_opts(&o, 3);
	o.trials = FC_CMP_RACE_MIN;
	assert_int_equal(fc_compare_run(s, &o, &rk, raced, N), FC_OK);
	o.threads = 1;
	assert_int_equal(fc_compare_run(s, &o, &rk, raced1, N), FC_OK);
	rk.race = 0;
	assert_int_equal(fc_compare_run(s, &o, &rk, full, N), FC_OK);
	for (i = 0; i < N; i++) {
		assert_true(raced[i].viable && full[i].viable);
		assert_int_equal(raced[i].raced_out, raced1[i].raced_out);
		assert_int_equal(full[i].raced_out, 0);
		if (raced[i].raced_out) {
			nout++;
			assert_int_equal(raced[i].rank, 0);
			assert_true(isnan(raced[i].stats[FC_CMP_COST].p50));
			assert_true(isnan(fc_compare_value(&raced[i], FC_CMP_COST, 2, 0)));
			/* never the best option of the full run */
			assert_true(full[i].rank > 1);
			continue;
		}
		assert_memory_equal(raced[i].stats, full[i].stats, sizeof(full[i].stats));
		assert_memory_equal(raced1[i].stats, full[i].stats, sizeof(full[i].stats));
		assert_true(raced[i].breakeven_users == full[i].breakeven_users ||
		    (isnan(raced[i].breakeven_users) && isnan(full[i].breakeven_users)));
	}
	/* the 7B and 8B options cost far more than the 3B on the same card */
	assert_true(nout >= 2);
	assert_int_equal(raced[0].rank == 1 || raced[1].rank == 1, 1);
	/* fewer trials than FC_CMP_RACE_MIN: no racing */
	rk.race = 1;
	o.trials = FC_CMP_RACE_MIN - 1;
	for (i = 0; i < N; i++)
		flat_option(&raced[i], pairs[i][0], pairs[i][1]);
	assert_int_equal(fc_compare_run(s, &o, &rk, raced, N), FC_OK);
	for (i = 0; i < N; i++)
		assert_int_equal(raced[i].raced_out, 0);
	fc_scenario_free(s);
}

/* --rank-by breakeven_users: by the means' lasting breakeven, lowest
 * first; options without one unranked. */
static void
test_rank_breakeven(void **state)
{
	static const char *const pairs[][2] = {
		{ "hetzner/gex44", "qwen2.5-7b-q4_k_m" },
		{ "gpu/runpod-a5000", "qwen2.5-3b-q4_k_m" },
		{ "cloud-gpu/runpod-rtx4090", "llama-3.1-8b-q4_k_m" },
		{ "cloud-gpu/lambda-h100-pcie", "qwen2.5-7b-f16" },
	};
	enum { N = 4 };
	struct fc_cmp_option opts[N + 1];
	struct fc_scenario *s = load_scenario(SC, NULL, 0);
	struct fc_cmp_rank rk = { fc_figure_index("breakeven_users"), 1, 1 };
	struct fc_mc_opts o;
	size_t i, j, nranked = 0;

	(void)state;
	for (i = 0; i < N; i++)
		flat_option(&opts[i], pairs[i][0], pairs[i][1]);
	memset(&opts[N], 0, sizeof(opts[N]));
	opts[N].kind = FC_CMP_API;
	mc_opts(&o, 2);
	o.trials = 200;
	assert_int_equal(fc_compare_run(s, &o, &rk, opts, N + 1), FC_OK);
	assert_int_equal(opts[N].rank, 0);
	for (i = 0; i < N; i++) {
		assert_true(opts[i].viable);
		if (!isfinite(opts[i].breakeven_users)) {
			assert_int_equal(opts[i].rank, 0);
			continue;
		}
		nranked++;
		assert_true(opts[i].rank >= 1);
		assert_true(opts[i].rank_value == opts[i].breakeven_users);
		for (j = 0; j < N; j++)
			if (isfinite(opts[j].breakeven_users) &&
			    opts[j].breakeven_users < opts[i].breakeven_users)
				assert_true(opts[j].rank < opts[i].rank);
	}
	assert_true(nranked >= 2);
	fc_scenario_free(s);
}

/* The one figure table: compare's figures by their JSON keys. */
static void
test_figure_key(void **state)
{
	struct fc_cmp_option op;
	struct fc_scenario *s = load_scenario(SC, NULL, 0);
	struct fc_cmp_rank rk = { fc_figure_index("flat.monthly_cost"), 2, 0 };
	struct fc_mc_opts o;

	(void)state;
	assert_string_equal(fc_compare_figure_key(FC_CMP_FLAT, FC_CMP_COST), "flat.monthly_cost");
	assert_string_equal(fc_compare_figure_key(FC_CMP_API, FC_CMP_PER_USER), "per_user.api");
	assert_string_equal(fc_compare_figure_key(FC_CMP_API_ROUTED, FC_CMP_CLIPPED),
	    "api_routed.shares_clipped");
	assert_null(fc_compare_figure_key(FC_CMP_API, FC_CMP_SERVERS));
	assert_null(fc_compare_figure_key(FC_CMP_FLAT, FC_CMP_RANK));
	assert_null(fc_compare_figure_key(FC_CMP_FLAT, FC_CMP_NFIGS));
	flat_option(&op, "hetzner/gex44", "qwen2.5-7b-q4_k_m");
	mc_opts(&o, 1);
	o.deterministic = 1;
	assert_int_equal(fc_compare_run(s, &o, &rk, &op, 1), FC_OK);
	assert_true(fc_compare_value(&op, FC_CMP_COST, 2, 1) == op.det.flat_total);
	assert_true(fc_compare_value(&op, FC_CMP_SERVERS, 2, 1) == op.det.servers);
	assert_true(fc_compare_value(&op, FC_CMP_RANK, 2, 1) == op.det.flat_total);
	assert_true(isnan(fc_compare_value(&op, FC_CMP_CLIPPED, 2, 1)));
	fc_scenario_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equals_simulate),
		cmocka_unit_test(test_not_viable),
		cmocka_unit_test(test_figure_for),
		cmocka_unit_test(test_race),
		cmocka_unit_test(test_rank_breakeven),
		cmocka_unit_test(test_figure_key),
	};

	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
