/*
 * test_tokenize.c: o200k_base and cl100k_base count exactly as the
 * reference (js-tiktoken) on tests/data/tokenize/corpus.jsonl, 1,124 texts
 * of English, code, CJK, emoji, other scripts, symbols and long
 * whitespace (gen_corpus.mjs says how it was made); known token ids of
 * short texts; the Unicode classes; a malformed rank file's error; the
 * caches: one tokenizer per process, and the parsed table on disk (read
 * when it matches, parsed and written again when it does not).
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
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "tokenize.h"
#include "tokenize_int.h"

static struct fc_tokenizer *
load(const char *name)
{
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;

	fc_diags_init(&d);
	assert_int_equal(fc_tokenizer_load(name, "data", &t, &d), FC_OK);
	fc_diags_free(&d);
	return t;
}

static size_t
count(const struct fc_tokenizer *t, const char *s)
{
	size_t n = 0;

	assert_int_equal(fc_tokenizer_count(t, s, strlen(s), &n, NULL, 0), FC_OK);
	return n;
}

static void
test_corpus(void **state)
{
	struct fc_tokenizer *o = load("o200k_base"), *c = load("cl100k_base");
	FILE *f = fopen("tests/data/tokenize/corpus.jsonl", "r");
	char *line = NULL;
	size_t cap = 0, ntexts = 0, bad = 0, n;
	ssize_t len;

	(void)state;
	assert_non_null(f);
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t e;
		json_t *j = json_loadb(line, (size_t)len, 0, &e);
		const char *text;
		size_t tl;

		assert_non_null(j);
		text = json_string_value(json_object_get(j, "text"));
		tl = json_string_length(json_object_get(j, "text"));
		assert_non_null(text);
		assert_int_equal(fc_tokenizer_count(o, text, tl, &n, NULL, 0), FC_OK);
		if ((json_int_t)n != json_integer_value(json_object_get(j, "o200k_base"))) {
			bad++;
			fprintf(stderr, "o200k_base: line %zu: %zu tokens, expected %lld\n", ntexts + 1,
			    n, (long long)json_integer_value(json_object_get(j, "o200k_base")));
		}
		assert_int_equal(fc_tokenizer_count(c, text, tl, &n, NULL, 0), FC_OK);
		if ((json_int_t)n != json_integer_value(json_object_get(j, "cl100k_base"))) {
			bad++;
			fprintf(stderr, "cl100k_base: line %zu: %zu tokens, expected %lld\n", ntexts + 1,
			    n, (long long)json_integer_value(json_object_get(j, "cl100k_base")));
		}
		json_decref(j);
		ntexts++;
	}
	free(line);
	fclose(f);
	assert_true(ntexts >= 1000);
	assert_int_equal(bad, 0);
	fc_tokenizer_free(o);
	fc_tokenizer_free(c);
}

/* Ids from tiktoken: "hello world" is [24912, 2375] in o200k_base and
 * [15339, 1917] in cl100k_base. */
static void
test_ids(void **state)
{
	struct fc_tokenizer *o = load("o200k_base"), *c = load("cl100k_base");
	uint32_t ids[4];
	size_t n;

	(void)state;
	assert_int_equal(fc_tokenizer_count(o, "hello world", 11, &n, ids, 4), FC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 24912);
	assert_int_equal(ids[1], 2375);
	assert_int_equal(fc_tokenizer_count(c, "hello world", 11, &n, ids, 4), FC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 15339);
	assert_int_equal(ids[1], 1917);
	assert_int_equal(count(o, ""), 0);
	/* the special token's spelling is ordinary text */
	assert_true(count(o, "<|endoftext|>") > 1);
	/* an invalid byte is a piece of its own, its byte's token */
	assert_int_equal(count(o, "\xff"), 1);
	fc_tokenizer_free(o);
	fc_tokenizer_free(c);
}

static void
test_classes(void **state)
{
	(void)state;
	assert_int_equal(fc_uc_classes('a'), FC_UC_L | FC_UC_LOWER);
	assert_int_equal(fc_uc_classes('A'), FC_UC_L | FC_UC_UPPER);
	assert_int_equal(fc_uc_classes('7'), FC_UC_N);
	assert_int_equal(fc_uc_classes(' '), FC_UC_SPACE);
	assert_int_equal(fc_uc_classes(0x3000), FC_UC_SPACE);      /* ideographic space */
	assert_int_equal(fc_uc_classes(0x6c49), FC_UC_L | FC_UC_UPPER | FC_UC_LOWER);  /* 汉: Lo */
	assert_int_equal(fc_uc_classes(0x0301), FC_UC_UPPER | FC_UC_LOWER);  /* a mark */
	assert_int_equal(fc_uc_classes('!'), 0);
	assert_int_equal(fc_uc_classes(0x1f600), 0);               /* an emoji: So */
}

/* The pieces: a space before a word goes with it, one before digits
 * stands alone, a contraction stays with its word (o200k), a newline run
 * ends at its last newline. */
static void
test_pieces(void **state)
{
	const unsigned char *s = (const unsigned char *)"  hello world's 1234\n\n  x";
	size_t n = strlen((const char *)s), i = 0, k = 0;
	/* as JavaScript's matchAll of o200k_base's expression splits it */
	const char *want[] = { " ", " hello", " world's", " ", "123", "4", "\n\n", " ", " x" };

	(void)state;
	while (i < n) {
		size_t e = fc_pretok_next(s, n, i, 1);
		assert_true(k < sizeof(want) / sizeof(want[0]));
		assert_int_equal(e - i, strlen(want[k]));
		assert_memory_equal(s + i, want[k], e - i);
		i = e;
		k++;
	}
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
}

static void
test_errors(void **state)
{
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;
	char dir[] = "/tmp/fc_tok_XXXXXX", path[128];
	gzFile g;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_tokenizer_load("p50k_base", "data", &t, &d), FC_EINVAL);
	assert_null(t);
	assert_non_null(strstr(d.v[0].msg, "unknown tokenizer 'p50k_base'"));
	fc_diags_free(&d);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tokenizers", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/tokenizers/o200k_base.tiktoken.gz", dir);
	g = gzopen(path, "wb");
	gzputs(g, "IQ== 0\nIg== x\n");
	gzclose(g);
	fc_diags_init(&d);
	assert_int_equal(fc_tokenizer_load("o200k_base", dir, &t, &d), FC_EINVAL);
	assert_int_equal(d.v[0].loc.line, 2);
	assert_int_equal(d.v[0].loc.col, 6);
	assert_non_null(strstr(d.v[0].msg, "expected a rank"));
	fc_diags_free(&d);
	unlink(path);
	snprintf(path, sizeof(path), "%s/tokenizers", dir);
	rmdir(path);
	rmdir(dir);
}

/* Reads the whole file path. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void
spit(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

enum { H_SOURCE = 2, H_NBYTES = 3, H_NSLOTS = 4, H_SUM = 6, H_N = 7 };

/* Sets the rank of token tok in the cache file (the table as it lies on
 * disk: u32 offset, length, rank per slot), its checksum made right. */
static void
set_cached_rank(unsigned char *b, size_t n, const char *tok, uint32_t rank)
{
	uint64_t h[H_N];
	unsigned char *bytes = b + sizeof(h), *slots;
	size_t i, found = 0;

	memcpy(h, b, sizeof(h));
	slots = bytes + h[H_NBYTES];
	assert_int_equal(n, sizeof(h) + h[H_NBYTES] + 12 * h[H_NSLOTS]);
	for (i = 0; i < h[H_NSLOTS]; i++) {
		uint32_t s[3];
		memcpy(s, slots + 12 * i, 12);
		if (s[1] == strlen(tok) && memcmp(bytes + s[0], tok, s[1]) == 0) {
			s[2] = rank;
			memcpy(slots + 12 * i, s, 12);
			found++;
		}
	}
	assert_int_equal(found, 1);
	h[H_SUM] = fc_tokenizer_sum(fc_tokenizer_sum(FC_TOKENIZER_SUM0, bytes, h[H_NBYTES]),
	    slots, 12 * h[H_NSLOTS]);
	memcpy(b, h, sizeof(h));
}

static void
test_cache(void **state)
{
	char dir[] = "/tmp/fc_tokcache_XXXXXX", bin[128], sub[128];
	struct fc_tokenizer *a, *b;
	unsigned char *first, *now, *raw;
	size_t n1, n2, nraw;
	uint32_t ids[4];
	size_t n;
	uint64_t h[H_N];

	(void)state;
	/* one tokenizer per process: the second load is the first's */
	a = load("cl100k_base");
	b = load("cl100k_base");
	assert_ptr_equal(a, b);
	fc_tokenizer_free(a);
	assert_int_equal(count(b, "hello world"), 2);   /* free left it */
	/* the cache on disk: written by a load that parses */
	assert_non_null(mkdtemp(dir));
	snprintf(bin, sizeof(bin), "%s/sub/cl100k_base.bin", dir);
	fc_tokenizer_set_cache_dir(NULL);
	fc_tokenizer_forget_shared();
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	fc_tokenizer_set_cache_dir(sub);   /* made when first written */
	a = load("cl100k_base");
	first = slurp(bin, &n1);
	memcpy(h, first, sizeof(h));
	raw = slurp("data/tokenizers/cl100k_base.tiktoken.gz", &nraw);
	assert_true(h[H_SOURCE] == fc_tokenizer_sum(FC_TOKENIZER_SUM0, raw, nraw));
	free(raw);
	/* read, not parsed, by the next process: a table changed on disk (its
	 * checksum made right) is the one counted with */
	now = slurp(bin, &n2);
	set_cached_rank(now, n2, "hello", 4242);
	spit(bin, now, n2);
	fc_tokenizer_forget_shared();
	a = load("cl100k_base");
	assert_int_equal(fc_tokenizer_count(a, "hello", 5, &n, ids, 4), FC_OK);
	assert_int_equal(ids[0], 4242);
	/* a damaged cache (one byte of its table) is parsed and written again */
	now[n2 - 7] ^= 0x55;
	spit(bin, now, n2);
	fc_tokenizer_forget_shared();
	a = load("cl100k_base");
	assert_int_equal(fc_tokenizer_count(a, "hello world", 11, &n, ids, 4), FC_OK);
	assert_int_equal(ids[0], 15339);
	free(now);
	now = slurp(bin, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(first, now, n1);
	/* a cache of another rank file (its hash) is not used */
	memcpy(h, now, sizeof(h));
	h[H_SOURCE] ^= 1;
	memcpy(now, h, sizeof(h));
	set_cached_rank(now, n2, "hello", 4242);
	spit(bin, now, n2);
	fc_tokenizer_forget_shared();
	a = load("cl100k_base");
	assert_int_equal(fc_tokenizer_count(a, "hello", 5, &n, ids, 4), FC_OK);
	assert_int_not_equal(ids[0], 4242);
	free(first);
	free(now);
	fc_tokenizer_set_cache_dir(NULL);
	fc_tokenizer_forget_shared();
	unlink(bin);
	rmdir(sub);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
