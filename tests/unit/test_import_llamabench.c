/*
 * test_import_llamabench.c: llama-bench output (json, jsonl, csv, md and a
 * posted table) read into measured points, from the published samples in
 * tests/fixtures-llamabench/ (see its README), and malformed input refused
 * at file:line.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import_llamabench.h"

#define DIR "tests/fixtures-llamabench/"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static enum fc_status
parse(const char *file, enum fc_lb_format fmt, struct fc_llamabench *lb, struct fc_diags *d)
{
	size_t len;
	char *buf = slurp(file, &len);
	enum fc_status st;

	fc_diags_init(d);
	st = fc_llamabench_parse(buf, len, file, fmt, lb, d);
	free(buf);
	return st;
}

static void
near(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want)))
		fail_msg("got %.10g, want %.10g", got, want);
}

/* The same run in three machine formats: one pp512 and one tg128 of
 * Qwen2.5-7B Q4_K_M on an RTX 4080, each format detected from its shape. */
static void
test_machine_formats(void **state)
{
	static const struct { const char *file; enum fc_lb_format f; double pp, tg, tg_sd; } c[] = {
		{ DIR "readme-rtx4080.json", FC_LB_JSON, 7100.002165, 118.881588, 1.041811 },
		{ DIR "readme-rtx4080.jsonl", FC_LB_JSONL, 7263.609157, 119.844681, 0.699739 },
		{ DIR "readme-rtx4080.csv", FC_LB_CSV, 7285.676949, 119.915244, 0.430617 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fc_llamabench lb;
		struct fc_diags d;
		struct fc_tpoint t;

		assert_int_equal(parse(c[i].file, FC_LB_AUTO, &lb, &d), FC_OK);
		assert_int_equal(lb.format, c[i].f);
		assert_int_equal(lb.n, 2);
		assert_string_equal(lb.rows[0].model_type, "qwen2 7B Q4_K - Medium");
		assert_string_equal(lb.rows[0].gpu, "NVIDIA GeForce RTX 4080");
		assert_string_equal(lb.rows[0].model_file, "models/Qwen2.5-7B-Instruct-Q4_K_M.gguf");
		near(lb.rows[0].size_gb, 4.67712, 1e-12);
		near(lb.rows[0].params_b, 7.615616512, 1e-12);
		assert_true(lb.rows[0].ngl == 99);
		assert_int_equal(fc_llamabench_point(&lb, NULL, "qwen2.5-7b-q4_k_m", "2025-04-24",
		    "llama-bench README", &t, &d), FC_OK);
		assert_string_equal(t.model, "qwen2.5-7b-q4_k_m");
		near(t.prefill_tok_s, c[i].pp, 1e-12);
		assert_int_equal(t.n, 1);
		assert_true(t.conc[0] == 1);
		near(t.tok_s[0], c[i].tg, 1e-12);
		near(t.tok_s_sd[0], c[i].tg_sd, 1e-12);
		/* tg128 decodes from an empty context: 64 tokens on average */
		assert_true(t.context_tokens == 64);
		assert_int_equal(t.n_ctx, 0);
		fc_llamabench_point_clear(&t);
		fc_llamabench_clear(&lb);
		fc_diags_free(&d);
	}
}

/* Markdown: GiB and "6.74 B", "± sd", both test spellings, and depth
 * ("tg128 @ d512": a decode curve at 512 + 64 tokens of context). */
static void
test_markdown(void **state)
{
	struct fc_llamabench lb;
	struct fc_diags d;
	struct fc_tpoint t;

	(void)state;
	assert_int_equal(parse(DIR "readme-depth.md", FC_LB_AUTO, &lb, &d), FC_OK);
	assert_int_equal(lb.format, FC_LB_MD);
	assert_int_equal(lb.n, 4);
	near(lb.rows[0].size_gb, 4.36 * 1.073741824, 1e-12);
	near(lb.rows[0].params_b, 7.62, 1e-12);
	assert_true(lb.rows[2].n_prompt == 512 && lb.rows[2].n_depth == 512);
	assert_int_equal(fc_llamabench_point(&lb, NULL, "qwen2.5-7b-q4_k_m", NULL, NULL, &t, &d),
	    FC_OK);
	near(t.prefill_tok_s, 7340.20, 1e-12);
	near(t.prefill_sd, 23.45, 1e-12);
	near(t.tok_s[0], 120.60, 1e-12);
	assert_int_equal(t.n_ctx, 2);
	assert_true(t.by_ctx[0].context_tokens == 64 && t.by_ctx[1].context_tokens == 576);
	near(t.by_ctx[1].tok_s[0], 116.71, 1e-12);
	fc_llamabench_point_clear(&t);
	fc_llamabench_clear(&lb);
	fc_diags_free(&d);

	assert_int_equal(parse(DIR "readme-tg.md", FC_LB_AUTO, &lb, &d), FC_OK);
	assert_int_equal(lb.n, 2);
	assert_true(lb.rows[0].n_prompt == 512 && lb.rows[1].n_gen == 128);
	assert_int_equal(fc_llamabench_point(&lb, "llama 7B mostly Q4_0", "llama-2-7b-q4_0",
	    NULL, NULL, &t, &d), FC_OK);
	near(t.prefill_tok_s, 2368.80, 1e-12);
	near(t.tok_s[0], 131.42, 1e-12);
	fc_llamabench_point_clear(&t);
	fc_llamabench_clear(&lb);
	fc_diags_free(&d);
}

/* A table as posted in an issue, text and log lines around it and an
 * extra column (fa): the pp512 closest to 512 wins over pp4096, the mixed
 * pp16384+tg128 is skipped. */
static void
test_posted_table(void **state)
{
	struct fc_llamabench lb;
	struct fc_diags d;
	struct fc_tpoint t;

	(void)state;
	assert_int_equal(parse(DIR "pr12183-rtx4090.md", FC_LB_AUTO, &lb, &d), FC_OK);
	assert_int_equal(lb.n, 4);
	assert_int_equal(lb.skipped, 1);
	assert_int_equal(fc_llamabench_point(&lb, NULL, "qwen2.5-coder-3b-q4_0", NULL, NULL,
	    &t, &d), FC_OK);
	near(t.prefill_tok_s, 18155.22, 1e-12);
	near(t.tok_s[0], 236.06, 1e-12);
	near(t.weights_gb, 1.86 * 1.073741824, 1e-12);
	fc_llamabench_point_clear(&t);
	fc_llamabench_clear(&lb);
	fc_diags_free(&d);
}

/* Read exactly or refuse: errors at file:line with the expected form. */
static void
test_malformed(void **state)
{
	static const struct { const char *text; enum fc_lb_format f; int line; const char *msg; } c[] = {
		{ "", FC_LB_AUTO, 1, "no llama-bench result found" },
		{ "[{\"model_type\": \"x\"}]", FC_LB_AUTO, 1, "result without model_size" },
		{ "[{\"model_type\": \"x\", ", FC_LB_AUTO, 1, "expected llama-bench -o json" },
		{ "| model | size | params | backend | test | t/s |\n|--|--|--|--|--|--|\n"
		  "| llama 7B | 3.56 GiB | 6.74 B | CUDA | tg128 | 131.42 ± 0.59 |\n"
		  "| llama 7B | 3.56 GiB | 6.74 B | CUDA | tg128 | fast |\n", FC_LB_AUTO, 4,
		  "t/s 'fast' (expected 132.19 ± 0.55)" },
		{ "| model | size | params | backend | test | t/s |\n|--|--|--|--|--|--|\n"
		  "| llama 7B | 3.56 | 6.74 B | CUDA | tg128 | 131.42 |\n", FC_LB_AUTO, 3,
		  "size '3.56' (expected a size such as 3.56 GiB)" },
		{ "| model | size | params | backend | test | t/s |\n|--|--|--|--|--|--|\n"
		  "| llama 7B | 3.56 GiB | 6.74 B | CUDA | gen128 | 131.42 |\n", FC_LB_AUTO, 3,
		  "test 'gen128'" },
		{ "model_type,model_size,model_n_params,n_prompt,n_gen,avg_ts\n"
		  "\"m\",\"4677120000\",\"7615616512\",\"0\",\"128\",\"12x\"\n", FC_LB_CSV, 2,
		  "avg_ts '12x' is not a number" },
		{ "{\"model_type\": \"m\", \"model_size\": 1e9, \"model_n_params\": 1e9, "
		  "\"n_prompt\": 0, \"n_gen\": 128, \"avg_ts\": 50}\nnot json\n", FC_LB_AUTO, 2,
		  "expected one llama-bench -o jsonl result a line" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fc_llamabench lb;
		struct fc_diags d;

		fc_diags_init(&d);
		assert_int_equal(fc_llamabench_parse(c[i].text, strlen(c[i].text), "t.txt", c[i].f,
		    &lb, &d), FC_EINVAL);
		assert_int_equal(lb.n, 0);
		assert_true(d.n >= 1);
		if (d.v[0].loc.line != c[i].line || strstr(d.v[0].msg, c[i].msg) == NULL)
			fail_msg("case %zu: line %d: %s", i, d.v[0].loc.line, d.v[0].msg);
		fc_diags_free(&d);
	}
	{
		/* the upstream README whose CSV header outgrew its rows */
		struct fc_llamabench lb;
		struct fc_diags d;

		assert_int_equal(parse(DIR "bad-readme-header42-rows41.csv", FC_LB_AUTO, &lb, &d),
		    FC_EINVAL);
		assert_int_equal(d.v[0].loc.line, 2);
		assert_non_null(strstr(d.v[0].msg, "41 fields where the header has 42"));
		fc_diags_free(&d);
	}
	{
		/* a point needs both a pp and a tg test */
		const char *only_tg = "| model | size | params | backend | test | t/s |\n"
		    "|--|--|--|--|--|--|\n| llama 7B | 3.56 GiB | 6.74 B | CUDA | tg128 | 131.42 |\n";
		struct fc_llamabench lb;
		struct fc_diags d;
		struct fc_tpoint t;

		fc_diags_init(&d);
		assert_int_equal(fc_llamabench_parse(only_tg, strlen(only_tg), "t.md", FC_LB_AUTO,
		    &lb, &d), FC_OK);
		assert_int_equal(fc_llamabench_point(&lb, NULL, "m", NULL, NULL, &t, &d), FC_EINVAL);
		assert_non_null(strstr(d.v[0].msg, "has no pp test at depth 0"));
		fc_llamabench_clear(&lb);
		fc_diags_free(&d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_machine_formats),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_posted_table),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
