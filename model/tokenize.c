/*
 * tokenize.c: OpenAI's byte-pair encodings (see tokenize.h): the rank
 * file read into a hash map of byte strings, and the merge of each piece
 * of the pretokenizer (tokenize_pretok.c).
 *
 * The merge keeps the piece's parts in a linked list and the candidate
 * pairs in a binary heap ordered by (rank, position): the pair popped is
 * the lowest-ranked and, of equal ranks, the leftmost, the one tiktoken's
 * quadratic scan picks; a pair whose parts have since changed is skipped
 * when popped.  O(n log n) in the piece's length, where a scan would be
 * quadratic on a long run of spaces or symbols.
 */
#include "tokenize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tokenize_int.h"

const char *const fc_tokenizer_names[] = { "o200k_base", "cl100k_base", NULL };

struct slot {
	uint32_t off, len;   /* the token's bytes in bytes[]; len 0: empty slot */
	uint32_t rank;
};

struct fc_tokenizer {
	char *name;
	int o200k;            /* o200k_base's pretokenizer, else cl100k_base's */
	unsigned char *bytes; /* every token's bytes, back to back */
	size_t nbytes;
	struct slot *slots;   /* open addressing, linear probing */
	size_t mask;          /* slots - 1, a power of two minus one */
	size_t ntokens;
	struct fc_gguf_vocab *gguf;   /* a GGUF file's tokenizer instead */
};

static uint64_t
hash(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The rank of p[0..n), or -1 when it is not a token. */
static long
rank_of(const struct fc_tokenizer *t, const unsigned char *p, size_t n)
{
	size_t i = (size_t)hash(p, n) & t->mask;

	for (;; i = (i + 1) & t->mask) {
		const struct slot *s = &t->slots[i];
		if (s->len == 0)
			return -1;
		if (s->len == n && memcmp(t->bytes + s->off, p, n) == 0)
			return (long)s->rank;
	}
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 s[0..n) (padded) into out; returns the length, or -1. */
static long
b64decode(const char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0;
	int v[4], k;

	if (n == 0 || n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++) {
			v[k] = b64val((unsigned char)s[i + k]);
			if (v[k] < 0 && !(s[i + k] == '=' && i + 4 == n && k >= 2))
				return -1;
		}
		if (s[i + 2] == '=' && s[i + 3] != '=')
			return -1;
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (s[i + 2] != '=')
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (s[i + 3] != '=')
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return (long)o;
}

/* Reads the whole gzipped file path into *buf. */
static enum fc_status
read_gz(const char *path, char **buf, size_t *len, struct fc_diags *d)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 22, n = 0;
	char *b, *nb;
	int r;

	if (f == NULL) {
		struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
		fc_error(d, l, "cannot read the tokenizer's rank file: %s", strerror(errno));
		return FC_EIO;
	}
	if ((b = fc_malloc(cap)) == NULL) {
		gzclose(f);
		return FC_ENOMEM;
	}
	while ((r = gzread(f, b + n, (unsigned)(cap - n - 1))) > 0) {
		n += (size_t)r;
		if (n + 1 == cap) {
			if ((nb = fc_realloc(b, cap * 2)) == NULL) {
				fc_free(b);
				gzclose(f);
				return FC_ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (r < 0 || gzclose(f) != Z_OK) {
		struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
		fc_free(b);
		fc_error(d, l, "the tokenizer's rank file is not a whole gzip file");
		return FC_EINVAL;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return FC_OK;
}

static enum fc_status
insert(struct fc_tokenizer *t, const unsigned char *p, size_t n, uint32_t rank)
{
	size_t i = (size_t)hash(p, n) & t->mask;

	while (t->slots[i].len != 0) {
		if (t->slots[i].len == n && memcmp(t->bytes + t->slots[i].off, p, n) == 0)
			return FC_EINVAL;   /* a token listed twice */
		i = (i + 1) & t->mask;
	}
	t->slots[i].off = (uint32_t)(p - t->bytes);
	t->slots[i].len = (uint32_t)n;
	t->slots[i].rank = rank;
	t->ntokens++;
	return FC_OK;
}

/* Parses "BASE64 RANK\n" lines into t; errors name file:line. */
static enum fc_status
parse_ranks(struct fc_tokenizer *t, const char *text, size_t len, const char *path,
    struct fc_diags *d)
{
	size_t lines = 0, i, slots = 1;
	const char *p = text, *end = text + len;
	int line = 0;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	while (slots < 2 * lines + 2)
		slots <<= 1;
	t->mask = slots - 1;
	if ((t->slots = fc_calloc(slots, sizeof(*t->slots))) == NULL ||
	    (t->bytes = fc_malloc(len + 1)) == NULL)
		return FC_ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *sp;
		char *e;
		unsigned long r;
		long m;
		struct fc_loc l = { NULL, ++line, 1, 0 };

		l.file = fc_diags_intern(d, path);
		if (nl == NULL)
			return fc_error(d, l, "truncated line: expected 'BASE64 RANK' and a newline");
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (sp == NULL)
			return fc_error(d, l, "expected 'BASE64 RANK'");
		m = b64decode(p, (size_t)(sp - p), t->bytes + t->nbytes);
		errno = 0;
		r = strtoul(sp + 1, &e, 10);
		if (m <= 0)
			return fc_error(d, l, "the token is not base64");
		if (e != nl || sp + 1 == nl || errno || r > UINT32_MAX) {
			l.col = (int)(sp + 1 - p) + 1;
			return fc_error(d, l, "expected a rank, a whole number, after the token");
		}
		if (insert(t, t->bytes + t->nbytes, (size_t)m, (uint32_t)r) != FC_OK)
			return fc_error(d, l, "a token listed twice");
		t->nbytes += (size_t)m;
		p = nl + 1;
	}
	return FC_OK;
}

void
fc_tokenizer_free(struct fc_tokenizer *t)
{
	if (t == NULL)
		return;
	fc_free(t->name);
	fc_free(t->bytes);
	fc_free(t->slots);
	fc_gguf_vocab_free(t->gguf);
	fc_free(t);
}

const char *
fc_tokenizer_name(const struct fc_tokenizer *t)
{
	return t->name;
}

enum fc_status
fc_tokenizer_load(const char *name, const char *datadir, struct fc_tokenizer **out,
    struct fc_diags *d)
{
	struct fc_tokenizer *t;
	char path[4096], *text = NULL;
	size_t len = 0, k;
	enum fc_status st;

	*out = NULL;
	if (strncmp(name, "gguf:", 5) == 0) {
		if ((t = fc_calloc(1, sizeof(*t))) == NULL || (t->name = fc_strdup(name)) == NULL) {
			fc_free(t);
			return FC_ENOMEM;
		}
		if ((st = fc_gguf_vocab_load(name + 5, &t->gguf, d)) != FC_OK) {
			fc_tokenizer_free(t);
			return st;
		}
		*out = t;
		return FC_OK;
	}
	for (k = 0; fc_tokenizer_names[k]; k++)
		if (strcmp(name, fc_tokenizer_names[k]) == 0)
			break;
	if (fc_tokenizer_names[k] == NULL) {
		struct fc_loc l = { NULL, 0, 0, 0 };
		return fc_error(d, l, "unknown tokenizer '%s': expected o200k_base, cl100k_base "
		    "or gguf:FILE", name);
	}
	snprintf(path, sizeof(path), "%s/tokenizers/%s.tiktoken.gz", datadir, name);
	if ((st = read_gz(path, &text, &len, d)) != FC_OK)
		return st;
	if ((t = fc_calloc(1, sizeof(*t))) == NULL || (t->name = fc_strdup(name)) == NULL) {
		fc_free(t);
		fc_free(text);
		return FC_ENOMEM;
	}
	t->o200k = k == 0;
	st = parse_ranks(t, text, len, path, d);
	fc_free(text);
	if (st == FC_OK && t->ntokens < 256) {
		struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
		st = fc_error(d, l, "%zu tokens: not a byte-pair encoding's rank file", t->ntokens);
	}
	if (st != FC_OK || d->oom) {
		fc_tokenizer_free(t);
		return d->oom ? FC_ENOMEM : st;
	}
	*out = t;
	return FC_OK;
}

/* ---- merging ---- */

static int
pair_less(const struct fc_merge_pair *a, const struct fc_merge_pair *b)
{
	return a->rank < b->rank || (a->rank == b->rank && a->left < b->left);
}

static void
heap_push(struct fc_merge_pair *h, size_t *n, struct fc_merge_pair p)
{
	size_t i = (*n)++;

	while (i > 0 && pair_less(&p, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = p;
}

static struct fc_merge_pair
heap_pop(struct fc_merge_pair *h, size_t *n)
{
	struct fc_merge_pair top = h[0], last = h[--*n];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && pair_less(&h[c + 1], &h[c]))
			c++;
		if (!pair_less(&h[c], &last))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = last;
	return top;
}

int
fc_merge_grow(struct fc_merge_work *w, size_t n)
{
	uint32_t *a, *b;
	struct fc_merge_pair *h;

	if (n <= w->cap)
		return 0;
	if (n > UINT32_MAX - 2)
		return -1;
	a = fc_realloc(w->next, (n + 1) * sizeof(*a));
	if (a)
		w->next = a;
	b = fc_realloc(w->prev, (n + 1) * sizeof(*b));
	if (b)
		w->prev = b;
	h = fc_realloc(w->heap, 2 * (n + 1) * sizeof(*h));
	if (h)
		w->heap = h;
	if (!a || !b || !h)
		return -1;
	w->cap = n;
	return 0;
}

void
fc_merge_free(struct fc_merge_work *w)
{
	fc_free(w->next);
	fc_free(w->prev);
	fc_free(w->heap);
	memset(w, 0, sizeof(*w));
}

struct merge_ctx {
	struct fc_merge_work *w;
	const unsigned char *p;
	size_t n, nh;
	fc_pair_rank_fn rank;
	const void *ctx;
};

/* Pushes the pair starting at part l (whose next part is w->next[l]) if
 * the two parts merge. */
static void
push_pair(struct merge_ctx *m, uint32_t l)
{
	struct fc_merge_work *w = m->w;
	uint32_t r = w->next[l], e;
	long k;

	if (r >= m->n)
		return;
	e = w->next[r];
	k = m->rank(m->ctx, m->p + l, r - l, e - l);
	if (k >= 0)
		heap_push(w->heap, &m->nh, (struct fc_merge_pair){ (uint32_t)k, l, e - l });
}

/* The length of the UTF-8 character its lead byte c announces. */
static size_t
utf8_len(unsigned c)
{
	static const unsigned char len[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4 };

	return len[c >> 4];
}

void
fc_merge(struct fc_merge_work *w, const unsigned char *p, size_t n, int utf8,
    fc_pair_rank_fn rank, const void *ctx)
{
	struct merge_ctx m = { w, p, n, 0, rank, ctx };
	uint32_t i, prev = UINT32_MAX;

	for (i = 0; i < n; ) {
		size_t k = utf8 ? utf8_len(p[i]) : 1;
		if (k > n - i)
			k = n - i;
		w->next[i] = i + (uint32_t)k;
		w->prev[i] = prev;
		prev = i;
		i += (uint32_t)k;
	}
	w->next[n] = (uint32_t)n;
	for (i = 0; i < n; i = w->next[i])
		push_pair(&m, i);
	while (m.nh > 0) {
		struct fc_merge_pair q = heap_pop(w->heap, &m.nh);
		uint32_t r = w->next[q.left];

		/* stale: the left part was merged away, or either part changed */
		if (w->prev[q.left] == UINT32_MAX - 1 || r >= n || w->next[r] - q.left != q.len)
			continue;
		w->next[q.left] = w->next[r];
		if (w->next[r] < n)
			w->prev[w->next[r]] = q.left;
		w->prev[r] = UINT32_MAX - 1;   /* merged away */
		if (w->prev[q.left] != UINT32_MAX)
			push_pair(&m, w->prev[q.left]);
		push_pair(&m, q.left);
	}
}

/* tiktoken's pair rank: the rank of the merged token */
static long
tiktoken_rank(const void *ctx, const unsigned char *p, size_t left, size_t len)
{
	(void)left;
	return rank_of(ctx, p, len);
}

/* Merges piece p[0..n) and emits its tokens; returns how many. */
static size_t
merge(const struct fc_tokenizer *t, struct fc_merge_work *w, const unsigned char *p,
    size_t n, uint32_t *ids, size_t *nid, size_t max)
{
	size_t count = 0;
	uint32_t i;
	long r;

	if ((r = rank_of(t, p, n)) >= 0) {
		if (ids && *nid < max)
			ids[(*nid)++] = (uint32_t)r;
		return 1;
	}
	fc_merge(w, p, n, 0, tiktoken_rank, t);
	for (i = 0; i < n; i = w->next[i]) {
		count++;
		if (ids && *nid < max)
			ids[(*nid)++] = (uint32_t)rank_of(t, p + i, w->next[i] - i);
	}
	return count;
}

enum fc_status
fc_tokenizer_count(const struct fc_tokenizer *t, const char *text, size_t len,
    size_t *n, uint32_t *ids, size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	struct fc_merge_work w = { NULL, NULL, NULL, 0 };
	size_t i = 0, e, count = 0, nid = 0;
	enum fc_status st = FC_OK;

	if (t->gguf)
		return fc_gguf_vocab_count(t->gguf, text, len, n, ids, max);
	while (i < len) {
		e = fc_pretok_next(s, len, i, t->o200k);
		if (fc_merge_grow(&w, e - i) != 0) {
			st = FC_ENOMEM;
			break;
		}
		count += merge(t, &w, s + i, e - i, ids, &nid, max);
		i = e;
	}
	fc_merge_free(&w);
	*n = count;
	return st;
}

enum fc_status
fc_tokenizer_count_file(const struct fc_tokenizer *t, const char *path, size_t *n,
    struct fc_diags *d)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, len = 0, r;
	char *b, *nb;
	enum fc_status st;
	struct fc_loc l = { NULL, 0, 0, 0 };

	*n = 0;
	if (f == NULL) {
		int e = errno;
		l.file = fc_diags_intern(d, path);
		fc_error(d, l, "cannot open the prompt: %s", strerror(e));
		/* a name that leads nowhere is bad input; an unreadable file, I/O */
		return e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP ?
		    FC_EINVAL : FC_EIO;
	}
	if ((b = fc_malloc(cap)) == NULL) {
		fclose(f);
		return FC_ENOMEM;
	}
	while ((r = fread(b + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			if ((nb = fc_realloc(b, cap * 2)) == NULL) {
				fc_free(b);
				fclose(f);
				return FC_ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		fc_free(b);
		l.file = fc_diags_intern(d, path);
		fc_error(d, l, "cannot read the prompt: %s", strerror(e));
		return FC_EIO;
	}
	fclose(f);
	st = fc_tokenizer_count(t, b, len, n, NULL, 0);
	fc_free(b);
	return st;
}
