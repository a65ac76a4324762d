/* test_gguf.c: the GGUF writer and header reader (model/gguf.c): shapes,
 * exact sizes, a round trip through the reader, alignment, determinism,
 * and structural errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gguf.h"

static struct fc_gguf_shape
tiny(void)
{
	struct fc_gguf_shape s = { 0 };

	s.layers = 2;
	s.embd = 64;
	s.ff = 96;
	s.heads = 4;
	s.kv_heads = 2;
	s.vocab = 400;
	return s;
}

/* Writes a model to memory; *len gets its size.  Caller frees. */
static unsigned char *
write_mem(struct fc_gguf_shape *s, enum fc_gguf_type t, uint64_t seed,
    size_t *len)
{
	FILE *f = tmpfile();
	unsigned char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fc_gguf_write(f, s, t, "test", seed, NULL, NULL), FC_OK);
	n = ftell(f);
	assert_true(n > 0);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
test_types(void **state)
{
	enum fc_gguf_type t;

	(void)state;
	assert_int_equal(fc_gguf_type_parse("Q4_0", &t), 0);
	assert_int_equal(t, FC_GGUF_Q4_0);
	assert_int_equal(fc_gguf_type_parse("q8_0", &t), 0);
	assert_int_equal(t, FC_GGUF_Q8_0);
	assert_int_equal(fc_gguf_type_parse("f16", &t), 0);
	assert_int_equal(fc_gguf_type_parse("q4_k_m", &t), -1);
	assert_string_equal(fc_gguf_type_name(FC_GGUF_Q8_0), "q8_0");
	/* llama.cpp's block sizes: 18 and 34 bytes per 32 weights */
	assert_int_equal(fc_gguf_type_bytes(FC_GGUF_Q4_0, 64), 36);
	assert_int_equal(fc_gguf_type_bytes(FC_GGUF_Q8_0, 64), 68);
	assert_int_equal(fc_gguf_type_bytes(FC_GGUF_F16, 64), 128);
	assert_int_equal(fc_gguf_type_bytes(FC_GGUF_F32, 64), 256);
}

static void
test_shape_check(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_diags d;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q4_0, &d), FC_OK);
	assert_int_equal(s.head_dim, 16);         /* 64 / 4 */
	assert_int_equal(s.context, 4096);
	assert_int_equal(d.n, 0);
	/* quantized rows must be multiples of 32 */
	s = tiny();
	s.ff = 100;
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q4_0, &d), FC_EINVAL);
	assert_non_null(strstr(d.v[0].msg, "ff divisible by 32"));
	s = tiny();
	s.ff = 100;
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_F16, &d), FC_OK);
	s = tiny();
	s.kv_heads = 3;
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_F16, &d), FC_EINVAL);
	s = tiny();
	s.heads = 5;
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_F16, &d), FC_EINVAL);
	s = tiny();
	s.vocab = 100;
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_F16, &d), FC_EINVAL);
	s = tiny();
	s.layers = 0;
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_F16, &d), FC_EINVAL);
	fc_diags_free(&d);
}

static void
test_params(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_diags d;
	uint64_t per;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q4_0, &d), FC_OK);
	/* q 64x64, k and v 64x32, o 64x64, gate/up/down 64x96, two norms */
	per = 64 * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 64 * 96 + 2 * 64;
	assert_int_equal(fc_gguf_shape_params(&s), 2 * 64 * 400 + 64 + 2 * per);
	fc_diags_free(&d);
}

static void
test_round_trip(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_gguf_info *g = NULL;
	const struct fc_gguf_kv *kv;
	const struct fc_gguf_tensor *t;
	struct fc_diags d;
	unsigned char *buf;
	size_t len;
	uint64_t i;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q4_0, &d), FC_OK);
	buf = write_mem(&s, FC_GGUF_Q4_0, 1, &len);
	assert_int_equal(len, fc_gguf_file_size(&s, FC_GGUF_Q4_0, "test"));
	assert_memory_equal(buf, "GGUF", 4);
	assert_int_equal(fc_gguf_info_parse("m.gguf", buf, len, &g, &d), FC_OK);
	assert_int_equal(g->version, 3);
	assert_int_equal(g->alignment, 32);
	assert_int_equal(g->n_tensors, 3 + 9 * 2);
	assert_int_equal(g->data_offset % 32, 0);
	assert_int_equal(g->data_offset + g->data_size, len);
	kv = fc_gguf_info_get(g, "general.architecture");
	assert_non_null(kv);
	assert_string_equal(kv->str, "llama");
	/* the keys llama.cpp needs; without the last two it aborts */
	assert_non_null(kv = fc_gguf_info_get(g, "llama.context_length"));
	assert_int_equal((long)kv->num, 4096);
	assert_non_null(kv = fc_gguf_info_get(g, "llama.embedding_length"));
	assert_int_equal((long)kv->num, 64);
	assert_non_null(kv = fc_gguf_info_get(g, "llama.block_count"));
	assert_int_equal((long)kv->num, 2);
	assert_non_null(kv = fc_gguf_info_get(g, "llama.attention.layer_norm_rms_epsilon"));
	assert_true(kv->num > 0 && kv->num < 1e-4);
	assert_non_null(kv = fc_gguf_info_get(g, "llama.feed_forward_length"));
	assert_int_equal((long)kv->num, 96);
	assert_non_null(kv = fc_gguf_info_get(g, "llama.attention.head_count"));
	assert_int_equal((long)kv->num, 4);
	assert_non_null(kv = fc_gguf_info_get(g, "llama.attention.head_count_kv"));
	assert_int_equal((long)kv->num, 2);
	assert_non_null(kv = fc_gguf_info_get(g, "tokenizer.ggml.model"));
	assert_string_equal(kv->str, "llama");
	assert_non_null(kv = fc_gguf_info_get(g, "tokenizer.ggml.tokens"));
	assert_int_equal(kv->type, FC_GGUF_V_ARR);
	assert_int_equal(kv->arr_type, FC_GGUF_V_STR);
	assert_int_equal(kv->arr_len, 400);
	assert_string_equal(kv->arr_first, "<unk>");
	assert_non_null(kv = fc_gguf_info_get(g, "general.file_type"));
	assert_int_equal((long)kv->num, 2);
	assert_non_null(t = fc_gguf_info_tensor(g, "token_embd.weight"));
	assert_int_equal(t->n_dims, 2);
	assert_int_equal(t->dims[0], 64);
	assert_int_equal(t->dims[1], 400);
	assert_int_equal(t->type, FC_GGUF_Q4_0);
	assert_non_null(t = fc_gguf_info_tensor(g, "blk.1.attn_k.weight"));
	assert_int_equal(t->dims[1], 32);          /* 2 kv heads x 16 */
	assert_non_null(t = fc_gguf_info_tensor(g, "blk.0.ffn_down.weight"));
	assert_int_equal(t->dims[0], 96);
	assert_non_null(t = fc_gguf_info_tensor(g, "output_norm.weight"));
	assert_int_equal(t->type, FC_GGUF_F32);
	for (i = 0; i < g->n_tensors; i++)
		assert_int_equal(g->tensors[i].offset % 32, 0);
	/* norm weights are ones */
	{
		float one;
		memcpy(&one, buf + g->data_offset + t->offset, 4);
		assert_true(one == 1.0f);
	}
	fc_gguf_info_free(g);
	free(buf);
	fc_diags_free(&d);
}

static void
test_deterministic(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_diags d;
	unsigned char *a, *b, *c;
	size_t la, lb, lc;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q8_0, &d), FC_OK);
	a = write_mem(&s, FC_GGUF_Q8_0, 42, &la);
	b = write_mem(&s, FC_GGUF_Q8_0, 42, &lb);
	c = write_mem(&s, FC_GGUF_Q8_0, 43, &lc);
	assert_int_equal(la, lb);
	assert_int_equal(la, lc);
	assert_memory_equal(a, b, la);
	assert_memory_not_equal(a, c, la);
	free(a);
	free(b);
	free(c);
	fc_diags_free(&d);
}

static void
test_f16_sizes(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_diags d;
	unsigned char *buf;
	size_t len;

	(void)state;
	fc_diags_init(&d);
	s.ff = 100;                   /* fine for f16 */
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_F16, &d), FC_OK);
	buf = write_mem(&s, FC_GGUF_F16, 1, &len);
	assert_int_equal(len, fc_gguf_file_size(&s, FC_GGUF_F16, "test"));
	/* the weights take 2 bytes each, plus the padded header */
	assert_true(len >= 2 * fc_gguf_shape_params(&s));
	free(buf);
	fc_diags_free(&d);
}

static int
stop_early(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	return done < total;
}

static void
test_progress_stop(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_diags d;
	FILE *f = tmpfile();

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q4_0, &d), FC_OK);
	assert_int_equal(fc_gguf_write(f, &s, FC_GGUF_Q4_0, NULL, 1, stop_early,
	    NULL), FC_EIO);
	fclose(f);
	fc_diags_free(&d);
}

static void
test_parse_errors(void **state)
{
	struct fc_gguf_shape s = tiny();
	struct fc_gguf_info *g = NULL;
	struct fc_diags d;
	unsigned char *buf;
	size_t len, k;
	long fail;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&s, FC_GGUF_Q4_0, &d), FC_OK);
	buf = write_mem(&s, FC_GGUF_Q4_0, 1, &len);
	/* every truncation of the header is an error, never a crash */
	for (k = 0; k < 24 + 1024; k += 7) {
		assert_int_equal(fc_gguf_info_parse("m", buf, k, &g, &d), FC_EINVAL);
		assert_null(g);
	}
	assert_non_null(strstr(d.v[0].msg, "truncated"));
	buf[0] = 'X';
	assert_int_equal(fc_gguf_info_parse("m", buf, len, &g, &d), FC_EINVAL);
	buf[0] = 'G';
	buf[4] = 9;                   /* version */
	assert_int_equal(fc_gguf_info_parse("m", buf, len, &g, &d), FC_EINVAL);
	buf[4] = 3;
	/* allocation failures anywhere are reported, not leaked */
	for (fail = 1; fail < 200; fail++) {
		enum fc_status st;

		fc_alloc_fail_at(fail);
		st = fc_gguf_info_parse("m", buf, len, &g, &d);
		fc_alloc_fail_at(0);
		assert_true(st == FC_ENOMEM || st == FC_EINVAL || st == FC_OK);
		fc_gguf_info_free(g);
		g = NULL;
	}
	free(buf);
	fc_diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_shape_check),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_f16_sizes),
		cmocka_unit_test(test_progress_stop),
		cmocka_unit_test(test_parse_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
