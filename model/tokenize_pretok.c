/*
 * tokenize_pretok.c: the pretokenizers of o200k_base and cl100k_base, the
 * regular expressions that split a text into the pieces byte-pair
 * merging works on, written out as code.  o200k_base's expression is
 *
 *   [^\r\n\p{L}\p{N}]?[UP]*[LO]+(C)?     (1)
 *   |[^\r\n\p{L}\p{N}]?[UP]+[LO]*(C)?    (2)
 *   |\p{N}{1,3}                          (3)
 *   | ?[^\s\p{L}\p{N}]+[\r\n/]*          (4)
 *   |\s*[\r\n]+                          (5)
 *   |\s+(?!\S)                           (6)
 *   |\s+                                 (7)
 *
 * with UP = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], LO = [\p{Ll}\p{Lm}\p{Lo}\p{M}]
 * and C the contractions 's 't 're 've 'm 'll 'd (either case).
 * cl100k_base's is
 *
 *   C | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n]*
 *   | \s*[\r\n]+ | \s+(?!\S) | \s+
 *
 * A backtracking engine tries the alternatives in order at each position,
 * each quantifier greedy first; the functions below give the match that
 * search finds (each says how it backtracks).
 */
#include "tokenize_int.h"

unsigned
fc_uc_classes(uint32_t cp)
{
	size_t lo = 0, hi = fc_uc_nranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < fc_uc_ranges[mid].first)
			hi = mid;
		else if (cp > fc_uc_ranges[mid].last)
			lo = mid + 1;
		else
			return fc_uc_ranges[mid].classes;
	}
	return 0;
}

long
fc_pretok_utf8(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	unsigned c = s[i];
	uint32_t cp, min;
	size_t k, m;

	if (c < 0x80) {
		*len = 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf)
		m = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		m = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		m = 4, cp = c & 0x07, min = 0x10000;
	else
		return -1;
	if (i + m > n)
		return -1;
	for (k = 1; k < m; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i + k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = m;
	return (long)cp;
}

/* The code point at s[i] and its length in bytes; an invalid byte is a
 * code point of no class (U+FFFD's) and one byte long. */
static uint32_t
decode(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	long cp = fc_pretok_utf8(s, n, i, len);

	if (cp < 0) {
		*len = 1;
		return 0xfffd;
	}
	return (uint32_t)cp;
}

/* The classes of the code point at i (0 at the end) and its length. */
static unsigned
cls(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	if (i >= n) {
		*len = 0;
		return 0;
	}
	return fc_uc_classes(decode(s, n, i, len));
}

static int
is_crlf(const unsigned char *s, size_t n, size_t i)
{
	return i < n && (s[i] == '\r' || s[i] == '\n');
}

/* [^\r\n\p{L}\p{N}]: the optional character before a word. */
static size_t
word_prefix(const unsigned char *s, size_t n, size_t i)
{
	size_t len;
	unsigned c = cls(s, n, i, &len);

	if (i >= n || is_crlf(s, n, i) || (c & (FC_UC_L | FC_UC_N)))
		return 0;
	return len;
}

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The end of a contraction ('s 't 're 've 'm 'll 'd, either case) at i,
 * or i when there is none. */
static size_t
contraction(const unsigned char *s, size_t n, size_t i)
{
	int a, b;

	if (i + 1 >= n || s[i] != '\'')
		return i;
	a = lower_ascii(s[i + 1]);
	if (a == 's' || a == 't' || a == 'm' || a == 'd')
		return i + 2;
	if (i + 2 >= n)
		return i;
	b = lower_ascii(s[i + 2]);
	if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
		return i + 3;
	return i;
}

/* The end of a run of characters with any of the bits in mask from i. */
static size_t
run(const unsigned char *s, size_t n, size_t i, unsigned mask)
{
	size_t len;

	while (i < n && (cls(s, n, i, &len) & mask))
		i += len;
	return i;
}

/* (1) UP*LO+ from j: UP* takes the longest run; when LO cannot follow it,
 * UP* gives back characters until one of them is LO, which LO+ then takes
 * (the run's last LO character ends the match).  0: no match. */
static size_t
word1(const unsigned char *s, size_t n, size_t j)
{
	size_t k = j, len, last = 0;
	unsigned c;

	while (k < n && ((c = cls(s, n, k, &len)) & FC_UC_UPPER)) {
		if (c & FC_UC_LOWER)
			last = k + len;
		k += len;
	}
	if (cls(s, n, k, &len) & FC_UC_LOWER)
		return run(s, n, k, FC_UC_LOWER);
	return last;
}

/* (2) UP+LO* from j.  0: no match. */
static size_t
word2(const unsigned char *s, size_t n, size_t j)
{
	size_t k = run(s, n, j, FC_UC_UPPER);

	return k == j ? 0 : run(s, n, k, FC_UC_LOWER);
}

/* (1) and (2) of o200k, each with its optional prefix character first. */
static size_t
words_o200k(const unsigned char *s, size_t n, size_t i)
{
	size_t p = word_prefix(s, n, i), e;

	if (p && (e = word1(s, n, i + p)))
		return contraction(s, n, e);
	if ((e = word1(s, n, i)))
		return contraction(s, n, e);
	if (p && (e = word2(s, n, i + p)))
		return contraction(s, n, e);
	if ((e = word2(s, n, i)))
		return contraction(s, n, e);
	return 0;
}

/* cl100k's [^\r\n\p{L}\p{N}]?\p{L}+ */
static size_t
words_cl100k(const unsigned char *s, size_t n, size_t i)
{
	size_t p = word_prefix(s, n, i), e;

	if (p && (e = run(s, n, i + p, FC_UC_L)) > i + p)
		return e;
	if ((e = run(s, n, i, FC_UC_L)) > i)
		return e;
	return 0;
}

/* \p{N}{1,3} */
static size_t
digits(const unsigned char *s, size_t n, size_t i)
{
	size_t k = i, len, m;

	for (m = 0; m < 3 && (cls(s, n, k, &len) & FC_UC_N); m++)
		k += len;
	return k == i ? 0 : k;
}

/* ' '?[^\s\p{L}\p{N}]+ then [\r\n]* (and '/' too for o200k).  Without the
 * space the first character would be the space, which \s excludes: the
 * space is taken when present. */
static size_t
punct(const unsigned char *s, size_t n, size_t i, int o200k)
{
	size_t j = i + (s[i] == ' '), len;
	unsigned c;

	while (j < n && !((c = cls(s, n, j, &len)) & (FC_UC_SPACE | FC_UC_L | FC_UC_N)))
		j += len;
	if (j == i + (s[i] == ' '))
		return 0;
	while (j < n && (s[j] == '\r' || s[j] == '\n' || (o200k && s[j] == '/')))
		j++;
	return j;
}

/* (5) \s*[\r\n]+, (6) \s+(?!\S), (7) \s+ on the whitespace run from i.
 * (5): \s* gives back to the run's last \r or \n, which [\r\n]+ takes.
 * (6): at the end of the text the whole run; else the run but its last
 * character, so that what follows is whitespace. */
static size_t
spaces(const unsigned char *s, size_t n, size_t i)
{
	size_t k = i, len, crlf = 0, lastc = i;

	while (k < n && (cls(s, n, k, &len) & FC_UC_SPACE)) {
		if (s[k] == '\r' || s[k] == '\n')
			crlf = k + 1;
		lastc = k;
		k += len;
	}
	if (k == i)
		return 0;
	if (crlf)
		return crlf;
	if (k == n || lastc > i)
		return k == n ? k : lastc;
	return k;
}

size_t
fc_pretok_next(const unsigned char *s, size_t n, size_t i, int o200k)
{
	size_t e, len;

	if (!o200k && (e = contraction(s, n, i)) > i)
		return e;
	if ((e = o200k ? words_o200k(s, n, i) : words_cl100k(s, n, i)))
		return e;
	if ((e = digits(s, n, i)))
		return e;
	if ((e = punct(s, n, i, o200k)))
		return e;
	if ((e = spaces(s, n, i)))
		return e;
	/* not reached for valid input: every character is matched above */
	cls(s, n, i, &len);
	return i + (len ? len : 1);
}
