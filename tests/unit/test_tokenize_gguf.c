/*
 * test_tokenize_gguf.c: a GGUF file's own tokenizer ("gguf:FILE") counts
 * exactly as llama.cpp (node-llama-cpp) on the 1,124 texts of
 * tests/data/tokenize/corpus.jsonl, for real vocabularies: Qwen2.5's
 * byte-level BPE under its pretokenizer (qwen2), gpt-2's and qwen35's,
 * cl100k_base's merges under llama3's (llama-bpe), and Mistral 7B's
 * SentencePiece BPE
 * (gguf_counts.jsonl, made by gen_gguf_counts.mjs: the llama3 counts
 * also equal js-tiktoken's cl100k_base counts of corpus.jsonl, a second
 * reference for them); token ids of short texts, user-defined tokens cut
 * out of the text; and the errors of files without a usable tokenizer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "tokenize.h"
#include "tokenize_int.h"

static char dir[] = "/tmp/fc_tokgguf_XXXXXX";

/* Reads the gzipped file path whole. */
static unsigned char *
gunzip(const char *path, size_t *len)
{
	gzFile g = gzopen(path, "rb");
	size_t cap = 1 << 24, n = 0;
	unsigned char *b = malloc(cap);
	int r;

	assert_non_null(g);
	assert_non_null(b);
	while ((r = gzread(g, b + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			b = realloc(b, cap);
			assert_non_null(b);
		}
	}
	assert_int_equal(r, 0);
	gzclose(g);
	*len = n;
	return b;
}

static void
put_le(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes buf[0..len) to dir/name with the string value of key replaced by
 * value (when key is not NULL). */
static void
write_variant(const unsigned char *buf, size_t len, const char *name, const char *key,
    const char *value)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (key == NULL) {
		assert_int_equal(fwrite(buf, 1, len, f), len);
	} else {
		const unsigned char *k = memmem(buf, len, key, strlen(key));
		size_t at, old;
		unsigned char n[8];

		assert_non_null(k);
		at = (size_t)(k - buf) + strlen(key) + 4;   /* past the key and its type */
		old = (size_t)buf[at] | (size_t)buf[at + 1] << 8;
		put_le(n, strlen(value), 8);
		assert_int_equal(fwrite(buf, 1, at, f), at);
		assert_int_equal(fwrite(n, 1, 8, f), 8);
		assert_int_equal(fwrite(value, 1, strlen(value), f), strlen(value));
		assert_int_equal(fwrite(buf + at + 8 + old, 1, len - at - 8 - old, f),
		    len - at - 8 - old);
	}
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	unsigned char *q, *m, *c;
	size_t lq, lm, lc;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	q = gunzip("tests/data/tokenize/qwen2_5.gguf.gz", &lq);
	m = gunzip("tests/data/tokenize/mistral7b.gguf.gz", &lm);
	c = gunzip("tests/data/tokenize/cl100k.gguf.gz", &lc);
	write_variant(q, lq, "qwen2.gguf", NULL, NULL);
	write_variant(c, lc, "llama3.gguf", NULL, NULL);
	write_variant(q, lq, "gpt2.gguf", "tokenizer.ggml.pre", "gpt-2");
	write_variant(q, lq, "qwen35.gguf", "tokenizer.ggml.pre", "qwen35");
	write_variant(q, lq, "badpre.gguf", "tokenizer.ggml.pre", "chatglm-bpe");
	write_variant(q, lq, "badmodel.gguf", "tokenizer.ggml.model", "t5");
	write_variant(m, lm, "mistral.gguf", NULL, NULL);
	free(q);
	free(m);
	free(c);
	return 0;
}

static int
teardown(void **state)
{
	const char *names[] = { "qwen2", "llama3", "gpt2", "qwen35", "badpre", "badmodel",
		"mistral", "notgguf" };
	char path[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.gguf", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static struct fc_tokenizer *
load(const char *variant)
{
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;
	char name[256];

	snprintf(name, sizeof(name), "gguf:%s/%s.gguf", dir, variant);
	fc_diags_init(&d);
	assert_int_equal(fc_tokenizer_load(name, "data", &t, &d), FC_OK);
	fc_diags_free(&d);
	assert_string_equal(fc_tokenizer_name(t), name);
	return t;
}

static void
test_corpus(void **state)
{
	const char *keys[] = { "qwen2", "llama3", "gpt2", "qwen35", "mistral" };
	struct fc_tokenizer *t[5];
	FILE *f = fopen("tests/data/tokenize/corpus.jsonl", "r");
	FILE *c = fopen("tests/data/tokenize/gguf_counts.jsonl", "r");
	char *line = NULL, *cline = NULL;
	size_t cap = 0, ccap = 0, ntexts = 0, bad = 0, n, k;
	ssize_t len, clen;

	(void)state;
	assert_non_null(f);
	assert_non_null(c);
	for (k = 0; k < 5; k++)
		t[k] = load(keys[k]);
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t e;
		json_t *j = json_loadb(line, (size_t)len, 0, &e), *want;
		const char *text;
		size_t tl;

		assert_true((clen = getline(&cline, &ccap, c)) > 0);
		want = json_loadb(cline, (size_t)clen, 0, &e);
		assert_non_null(j);
		assert_non_null(want);
		text = json_string_value(json_object_get(j, "text"));
		tl = json_string_length(json_object_get(j, "text"));
		assert_non_null(text);
		for (k = 0; k < 5; k++) {
			json_int_t w = json_integer_value(json_object_get(want, keys[k]));
			assert_int_equal(fc_tokenizer_count(t[k], text, tl, &n, NULL, 0), FC_OK);
			if ((json_int_t)n != w) {
				bad++;
				fprintf(stderr, "%s: line %zu: %zu tokens, expected %lld\n", keys[k],
				    ntexts + 1, n, (long long)w);
			}
		}
		json_decref(j);
		json_decref(want);
		ntexts++;
	}
	assert_true(getline(&cline, &ccap, c) <= 0);
	free(line);
	free(cline);
	fclose(f);
	fclose(c);
	assert_true(ntexts >= 1000);
	assert_int_equal(bad, 0);
	for (k = 0; k < 5; k++)
		fc_tokenizer_free(t[k]);
}

static void
expect_ids(const struct fc_tokenizer *t, const char *text, const uint32_t *want, size_t nw)
{
	uint32_t ids[64];
	size_t n, i;

	assert_int_equal(fc_tokenizer_count(t, text, strlen(text), &n, ids, 64), FC_OK);
	assert_int_equal(n, nw);
	for (i = 0; i < nw; i++)
		assert_int_equal(ids[i], want[i]);
}

/* Ids from node-llama-cpp's model.tokenize(text). */
static void
test_ids(void **state)
{
	struct fc_tokenizer *q = load("qwen2"), *m = load("mistral");
	const char *t1 = "Hello, World! 12345 the cost   \n\n  of \xe5\xa4\xa7\xe5\x9e\x8b"
	    "\xe8\xaf\xad\xe8\xa8\x80\xe6\xa8\xa1\xe5\x9e\x8b \xf0\x9f\xa4\x96";
	static const uint32_t q1[] = { 9707, 11, 4337, 0, 220, 16, 17, 18, 19, 20, 279, 2783,
		33933, 220, 315, 40666, 100, 24300, 102064, 104949, 11162, 97, 244 };
	static const uint32_t m1[] = { 22557, 28725, 3304, 28808, 28705, 28740, 28750, 28770,
		28781, 28782, 272, 2434, 2287, 13, 13, 259, 1009, 28705, 29050, 29173, 29892,
		30065, 29266, 29173, 28705, 243, 162, 167, 153 };
	/* <tool_call> is user-defined: one token wherever it stands;
	 * <|im_start|> is a control token: text (parse_special false) */
	static const uint32_t q2[] = { 87, 151657, 379, 151658, 27, 91, 318, 4906, 91, 29, 89 };
	/* U+0085 is whitespace to llama.cpp, U+FEFF is not */
	static const uint32_t q4[] = { 126, 227, 264, 3225, 293 };

	(void)state;
	expect_ids(q, t1, q1, sizeof(q1) / sizeof(q1[0]));
	expect_ids(m, t1, m1, sizeof(m1) / sizeof(m1[0]));
	expect_ids(q, "x<tool_call> y</tool_call><|im_start|>z", q2, sizeof(q2) / sizeof(q2[0]));
	expect_ids(q, "\xc2\x85 a\xef\xbb\xbf b", q4, sizeof(q4) / sizeof(q4[0]));
	expect_ids(q, "", NULL, 0);
	expect_ids(m, "", NULL, 0);
	fc_tokenizer_free(q);
	fc_tokenizer_free(m);
}

static void
expect_error(const char *variant, const char *msg)
{
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;
	char name[256];

	snprintf(name, sizeof(name), "gguf:%s/%s.gguf", dir, variant);
	fc_diags_init(&d);
	assert_int_equal(fc_tokenizer_load(name, "data", &t, &d), FC_EINVAL);
	assert_null(t);
	assert_true(d.n >= 1);
	if (strstr(d.v[0].msg, msg) == NULL)
		fail_msg("'%s' lacks '%s'", d.v[0].msg, msg);
	assert_non_null(strstr(d.v[0].loc.file, variant));
	fc_diags_free(&d);
}

static void
test_errors(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	expect_error("badpre", "tokenizer.ggml.pre 'chatglm-bpe' is not supported");
	expect_error("badmodel", "tokenizer.ggml.model 't5' is not supported");
	expect_error("missing", "cannot open the GGUF file");
	snprintf(path, sizeof(path), "%s/notgguf.gguf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("plain text, not a model\n", f);
	fclose(f);
	expect_error("notgguf", "not a GGUF file (no GGUF magic)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
