/*
 * tokenize_int.h: what tokenize.c shares with its generated Unicode table
 * and its tests.
 */
#ifndef FC_TOKENIZE_INT_H
#define FC_TOKENIZE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "fc.h"

/* The classes the pretokenizers test, as JavaScript's regular expressions
 * define them (js-tiktoken is the reference). */
enum {
	FC_UC_L = 1,       /* \p{L} */
	FC_UC_N = 2,       /* \p{N} */
	FC_UC_UPPER = 4,   /* [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] */
	FC_UC_LOWER = 8,   /* [\p{Ll}\p{Lm}\p{Lo}\p{M}] */
	FC_UC_SPACE = 16,  /* \s: White_Space, and U+FEFF */
};

struct fc_uc_range {
	uint32_t first, last;
	unsigned char classes;
};
extern const struct fc_uc_range fc_uc_ranges[];
extern const size_t fc_uc_nranges;

/* The FC_UC_* bits of code point cp. */
unsigned fc_uc_classes(uint32_t cp);

/* Strict UTF-8 decoding of s[i..n) (i < n): the code point and its length
 * in *len, or -1 when the bytes at i are not one (overlong, surrogate,
 * above U+10FFFF, cut short). */
long fc_pretok_utf8(const unsigned char *s, size_t n, size_t i, size_t *len);

/* The end of the pretokenizer's next piece of s[0..n) starting at i < n
 * (always > i). o200k: o200k_base's expression, else cl100k_base's. */
size_t fc_pretok_next(const unsigned char *s, size_t n, size_t i, int o200k);

/* Drops the tokenizers this process shares (tokenize.h), so that the next
 * load reads its file again: for tests and benchmarks, while no tokenizer
 * is in use. */
void fc_tokenizer_forget_shared(void);

/* The hash the disk cache keys and checks with: the payload's is
 * fc_tokenizer_sum(fc_tokenizer_sum(FC_TOKENIZER_SUM0, bytes, nbytes),
 * slots, nslots * 12), the source's fc_tokenizer_sum(FC_TOKENIZER_SUM0,
 * the .tiktoken.gz file's bytes). */
#define FC_TOKENIZER_SUM0 1469598103934665603ULL
uint64_t fc_tokenizer_sum(uint64_t h, const void *p, size_t n);

/* ---- byte-pair merging, shared by the encodings (tokenize.c) ---- */

/* The rank of merging p[0..left) with p[left..len): lower merges first;
 * -1 when the two parts do not merge. */
typedef long (*fc_pair_rank_fn)(const void *ctx, const unsigned char *p, size_t left,
    size_t len);

struct fc_merge_pair {
	uint32_t rank;
	uint32_t left;     /* the left part's start */
	uint32_t len;      /* both parts' length together */
};

/* Scratch for merging a piece, grown by fc_merge_grow, freed by
 * fc_merge_free; zero-initialise. */
struct fc_merge_work {
	uint32_t *next, *prev;   /* by byte position: the part starting there */
	struct fc_merge_pair *heap;
	size_t cap;
};

/* Makes room for pieces of n bytes; -1 when out of memory. */
int fc_merge_grow(struct fc_merge_work *w, size_t n);
void fc_merge_free(struct fc_merge_work *w);

/* Merges p[0..n) (n within the grown room): the parts start as single
 * bytes (utf8 0) or as the UTF-8 characters their lead bytes announce
 * (utf8 1: 0xC0-0xDF two bytes, 0xE0-0xEF three, 0xF0-0xFF four, cut at
 * the end; anything else one), and the lowest-ranked adjacent pair is
 * merged, the leftmost of equal ranks, until no pair merges.  The parts
 * are then for (i = 0; i < n; i = w->next[i]) p[i..w->next[i]). */
void fc_merge(struct fc_merge_work *w, const unsigned char *p, size_t n, int utf8,
    fc_pair_rank_fn rank, const void *ctx);

/* ---- GGUF vocabularies (tokenize_gguf.c) ---- */

struct fc_gguf_vocab;

/* Reads the embedded tokenizer of the GGUF file path (tokenizer.ggml.*).
 * FC_EINVAL (diagnostics at path) for a file that is not a GGUF or has
 * no usable tokenizer, FC_EIO when it cannot be read, FC_ENOMEM. */
enum fc_status fc_gguf_vocab_load(const char *path, struct fc_gguf_vocab **out,
    struct fc_diags *d);
void fc_gguf_vocab_free(struct fc_gguf_vocab *v);
/* As fc_tokenizer_count(); ids are the vocabulary's token ids. */
enum fc_status fc_gguf_vocab_count(const struct fc_gguf_vocab *v, const char *text,
    size_t len, size_t *n, uint32_t *ids, size_t max);

#endif
