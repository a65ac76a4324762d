/*
 * tokenize_int.h: what tokenize.c shares with its generated Unicode table
 * and its tests.
 */
#ifndef FC_TOKENIZE_INT_H
#define FC_TOKENIZE_INT_H

#include <stddef.h>
#include <stdint.h>

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

/* The end of the pretokenizer's next piece of s[0..n) starting at i < n
 * (always > i). o200k: o200k_base's expression, else cl100k_base's. */
size_t fc_pretok_next(const unsigned char *s, size_t n, size_t i, int o200k);

#endif
