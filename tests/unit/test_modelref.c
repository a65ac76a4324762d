/* test_modelref.c: flat.model beyond a catalog id (model/modelref.c): a
 * GGUF file's header read back into a model (a synthetic one written by
 * model/gguf.c), a mapping {name, like, quant} or {name, params_b,
 * weights_gb, kv_bytes_per_token}, and the model a profile point
 * measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gguf.h"
#include "modelref.h"

#define NEAR(a, b) assert_true(absd((a) - (b)) < 1e-9 * (1 + absd(b)))

static double
absd(double x)
{
	return x < 0 ? -x : x;
}

static struct fc_loc here = { "test", 1, 1, 0 };

static void
test_gguf_header(void **state)
{
	struct fc_gguf_shape sh = { 4, 256, 512, 8, 2, 0, 512, 2048 };
	char path[] = "/tmp/fc-test-modelref-XXXXXX";
	struct fc_diags d;
	struct fc_model m;
	enum fc_quant q;
	int fd, known;
	FILE *f;
	long size;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_gguf_shape_check(&sh, FC_GGUF_Q4_0, &d), FC_OK);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_int_equal(fc_gguf_write(f, &sh, FC_GGUF_Q4_0, "listwise-ft-7b", 1,
	    NULL, NULL), FC_OK);
	size = ftell(f);
	fclose(f);
	assert_int_equal(fc_modelref_from_gguf(path, here, &m, &q, &known, &d), FC_OK);
	assert_string_equal(m.id, "listwise-ft-7b");
	assert_int_equal(q, FC_Q4_0);
	assert_true(known);
	assert_int_equal(m.layers, 4);
	assert_int_equal(m.heads, 8);
	assert_int_equal(m.kv_heads, 2);
	assert_int_equal(m.head_dim, 32);        /* 256 / 8 */
	assert_int_equal(m.context_length, 2048);
	/* 2 (K, V) x 4 layers x 2 KV heads x 32 x 2 bytes */
	NEAR(m.kv_bytes_per_token, 2.0 * 4 * 2 * 32 * 2);
	NEAR(m.params_b, (double)fc_gguf_shape_params(&sh) / 1e9);
	NEAR(m.weights_gb[FC_Q4_0], (double)size / 1e9);
	NEAR(m.active_params_b, 0);              /* dense */
	fc_model_clear(&m);
	/* not a GGUF file */
	f = fopen(path, "wb");
	fputs("not a model", f);
	fclose(f);
	assert_int_equal(fc_modelref_from_gguf(path, here, &m, &q, &known, &d), FC_EINVAL);
	unlink(path);
	assert_int_equal(fc_modelref_from_gguf(path, here, &m, &q, &known, &d), FC_EINVAL);
	assert_int_equal(fc_modelref_from_gguf("/", here, &m, &q, &known, &d), FC_EIO);
	fc_diags_free(&d);
}

/* ---- a mixture of experts, written by hand (GGUF v3) ---- */

static void
put(FILE *f, const void *p, size_t n)
{
	assert_int_equal(fwrite(p, 1, n, f), n);
}

static void
put_u32(FILE *f, uint32_t v)
{
	put(f, &v, 4);
}

static void
put_u64(FILE *f, uint64_t v)
{
	put(f, &v, 8);
}

static void
put_str(FILE *f, const char *s)
{
	put_u64(f, strlen(s));
	put(f, s, strlen(s));
}

static void
kv_u32(FILE *f, const char *key, uint32_t v)
{
	put_str(f, key);
	put_u32(f, FC_GGUF_V_U32);
	put_u32(f, v);
}

static void
tensor(FILE *f, const char *name, uint32_t nd, const uint64_t *dims,
    uint64_t offset)
{
	uint32_t k;

	put_str(f, name);
	put_u32(f, nd);
	for (k = 0; k < nd; k++)
		put_u64(f, dims[k]);
	put_u32(f, 0);          /* F32 */
	put_u64(f, offset);
}

/* One block of a mixture of experts (qwen3moe) written to a new file;
 * with_count: it names its expert count.  Returns the path (static). */
static const char *
write_moe(int with_count)
{
	static char path[64];
	uint64_t attn[] = { 4, 4 }, exps[] = { 4, 4, 8 };
	static const float zeros[144];
	long at;
	int fd;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/fc-test-moe-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	put(f, "GGUF", 4);
	put_u32(f, 3);
	put_u64(f, 2);                          /* tensors */
	put_u64(f, with_count ? 7 : 6);         /* key-value pairs */
	put_str(f, "general.architecture");
	put_u32(f, FC_GGUF_V_STR);
	put_str(f, "qwen3moe");
	kv_u32(f, "qwen3moe.block_count", 1);
	kv_u32(f, "qwen3moe.attention.head_count", 2);
	kv_u32(f, "qwen3moe.attention.head_count_kv", 1);
	kv_u32(f, "qwen3moe.embedding_length", 4);
	kv_u32(f, "qwen3moe.expert_used_count", 2);
	if (with_count)
		kv_u32(f, "qwen3moe.expert_count", 8);
	tensor(f, "blk.0.attn_q.weight", 2, attn, 0);
	tensor(f, "blk.0.ffn_up_exps.weight", 3, exps, 64);
	at = ftell(f);
	while (at % 32) {
		fputc(0, f);
		at++;
	}
	put(f, zeros, sizeof(zeros));
	fclose(f);
	return path;
}

/*
 * One block: attention 4 x 4 (16 parameters) and 8 experts of 4 x 4 (128),
 * 2 used per token: 144 parameters, 16 + 128 x 2 / 8 = 48 active; 2 heads
 * of size 4 / 2 = 2, 1 KV head: 2 x 1 x 1 x 2 x 2 = 8 bytes a token.
 */
static void
test_gguf_moe(void **state)
{
	struct fc_diags d;
	struct fc_model m;
	enum fc_quant q;
	const char *path;
	int known;

	(void)state;
	fc_diags_init(&d);
	path = write_moe(0);
	assert_int_equal(fc_modelref_from_gguf(path, here, &m, &q, &known, &d), FC_OK);
	NEAR(m.params_b * 1e9, 144);
	NEAR(m.active_params_b, 0);              /* no expert count: none */
	NEAR(m.kv_bytes_per_token, 8);
	assert_int_equal(m.head_dim, 2);
	assert_false(known);                     /* no general.file_type */
	assert_int_equal(q, FC_Q4_K_M);
	assert_string_equal(m.id, path + 5);     /* no general.name: the file's */
	fc_model_clear(&m);
	unlink(path);
	path = write_moe(1);
	assert_int_equal(fc_modelref_from_gguf(path, here, &m, &q, &known, &d), FC_OK);
	NEAR(m.params_b * 1e9, 144);
	NEAR(m.active_params_b * 1e9, 48);
	assert_true(m.experts_given && m.experts > 1);  /* the header's expert_count */
	assert_true(fc_model_is_moe(&m));
	fc_model_clear(&m);
	unlink(path);
	fc_diags_free(&d);
}

static struct fc_ynode *
yaml(const char *s)
{
	struct fc_ynode *n = NULL;
	struct fc_diags d;

	fc_diags_init(&d);
	assert_int_equal(fc_ynode_parse("t.yaml", s, strlen(s), &n, &d), FC_OK);
	fc_diags_free(&d);
	return n;
}

static void
test_resolve(void **state)
{
	struct fc_catalog *cat = NULL;
	struct fc_model_ref r;
	struct fc_diags d;
	struct fc_ynode *n;
	struct fc_hw hw;
	struct fc_tpoint pt;
	const struct fc_model *base;
	enum fc_quant q;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_catalog_load("data", &cat, &d), FC_OK);
	base = fc_catalog_model(cat, "qwen2.5-7b-q4_k_m", &q);
	assert_non_null(base);
	/* a catalog id */
	n = yaml("qwen2.5-7b-q4_k_m");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_OK);
	assert_string_equal(r.kind, "catalog");
	assert_string_equal(r.ref, "qwen2.5-7b-q4_k_m");
	fc_model_clear(&r.model);
	fc_free(r.ref);
	fc_ynode_free(n);
	/* a fine-tune like a catalog model */
	n = yaml("{name: listwise-ft-7b, like: qwen2.5-7b, quant: q4_k_m}");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_OK);
	assert_string_equal(r.ref, "listwise-ft-7b");
	assert_int_equal(r.quant, FC_Q4_K_M);
	NEAR(r.model.weights_gb[FC_Q4_K_M], base->weights_gb[FC_Q4_K_M]);
	NEAR(r.model.kv_bytes_per_token, base->kv_bytes_per_token);
	fc_model_clear(&r.model);
	fc_free(r.ref);
	fc_ynode_free(n);
	/* its own figures */
	n = yaml("{name: mine, params_b: 21, active_params_b: 3.6, weights_gb: 12.1, kv_bytes_per_token: 49152}");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_OK);
	NEAR(r.model.params_b, 21);
	NEAR(r.model.active_params_b, 3.6);
	NEAR(r.model.weights_gb[r.quant], 12.1);
	fc_model_clear(&r.model);
	fc_free(r.ref);
	fc_ynode_free(n);
	/* experts: 0, per-layer embeddings: its share read, not a mixture of experts */
	n = yaml("{name: ple, params_b: 6.87, active_params_b: 3.98, experts: 0, weights_gb: 4.54, kv_bytes_per_token: 40960}");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_OK);
	assert_true(r.model.experts_given && r.model.experts == 0);
	assert_false(fc_model_is_moe(&r.model));
	NEAR(fc_model_active_share(&r.model), 3.98 / 6.87);
	fc_model_clear(&r.model);
	fc_free(r.ref);
	fc_ynode_free(n);
	n = yaml("{name: bad, params_b: 21, experts: -1, weights_gb: 12.1, kv_bytes_per_token: 49152}");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_EINVAL);
	fc_ynode_free(n);
	/* incomplete mappings and unknown names are errors */
	n = yaml("{name: mine, params_b: 21}");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_EINVAL);
	fc_ynode_free(n);
	n = yaml("{name: mine, like: qwen2.5-7b}");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_EINVAL);
	fc_ynode_free(n);
	n = yaml("listwise-ft-7b");
	assert_int_equal(fc_modelref_resolve(n, ".", cat, NULL, &r, &d), FC_EINVAL);
	/* the model a profile point measured, with its shape */
	memset(&hw, 0, sizeof(hw));
	memset(&pt, 0, sizeof(pt));
	pt.model = (char *)"listwise-ft-7b";
	pt.params_b = 7.6;
	pt.weights_gb = 4.68;
	hw.points = &pt;
	hw.npoints = 1;
	assert_int_equal(fc_modelref_resolve(n, ".", cat, &hw, &r, &d), FC_EINVAL);
	pt.kv_bytes_per_token = 57344;
	pt.quant = (char *)"q4_k_m";
	assert_int_equal(fc_modelref_resolve(n, ".", cat, &hw, &r, &d), FC_OK);
	assert_string_equal(r.kind, "profile");
	assert_string_equal(r.ref, "listwise-ft-7b");
	NEAR(r.model.weights_gb[FC_Q4_K_M], 4.68);
	NEAR(r.model.kv_bytes_per_token, 57344);
	fc_model_clear(&r.model);
	fc_free(r.ref);
	fc_ynode_free(n);
	fc_catalog_free(cat);
	fc_diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gguf_header),
		cmocka_unit_test(test_gguf_moe),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
