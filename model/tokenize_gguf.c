/*
 * tokenize_gguf.c: the tokenizer a GGUF model file carries
 * (tokenizer.ggml.*), counted as llama.cpp's llama_tokenize() counts a
 * text with add_special false and parse_special false: the text's own
 * tokens, no BOS or EOS (a request adds those once, with its template).
 *
 * Two models, as llama.cpp defines them (src/llama-vocab.cpp, unicode.cpp):
 *
 *   "gpt2": byte-level BPE.  The text (invalid UTF-8 replaced by U+FFFD) is
 *     split by the pretokenizer tokenizer.ggml.pre names (llama.cpp's own
 *     code for the expressions of llama3, qwen2, qwen35 and gpt-2, written here
 *     anew), each piece's bytes are merged by the rank of the pair in
 *     tokenizer.ggml.merges (lowest first, leftmost of equal ranks), and a
 *     part that is no token counts its printable ASCII bytes.  llama3's
 *     family takes a piece that is a token whole (ignore_merges).  Token
 *     texts are GPT-2's printable stand-ins for bytes, decoded to bytes
 *     once at load.
 *
 *   "llama": SentencePiece BPE.  A space is put before the text (unless
 *     tokenizer.ggml.add_space_prefix is false), spaces become U+2581, and
 *     the UTF-8 characters are merged by the score of the token the pair
 *     makes (highest first, leftmost of equal scores); a part that is no
 *     token is its bytes (byte fallback, <0xXX>).
 *
 * User-defined tokens (token_type 4) are cut out of the text first, the
 * longest first, each counting one, as llama.cpp does; control and unknown
 * tokens are text like any other (parse_special false).
 */
#include "tokenize_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gguf.h"

#define GGUF_TOK_HEAD_FIRST (8u << 20)   /* bytes read first: the metadata */
#define GGUF_TOK_HEAD_MAX (256u << 20)   /* and at most, when it is longer */

enum pre { PRE_LLAMA3, PRE_QWEN2, PRE_QWEN35, PRE_GPT2 };

enum {
	TT_NORMAL = 1, TT_UNKNOWN = 2, TT_CONTROL = 3, TT_USER = 4, TT_UNUSED = 5,
	TT_BYTE = 6,
};

struct entry {
	uint32_t off, len;    /* the key's bytes in arena; len 0: empty */
	uint32_t split;       /* merges: the left part's length */
	uint32_t val;         /* token id, or merge rank */
};

struct map {
	struct entry *e;
	size_t mask;
};

struct fc_gguf_vocab {
	int spm;               /* SentencePiece, else byte-level BPE */
	enum pre pre;
	int ignore_merges, space_prefix;
	unsigned char *arena;  /* token texts (decoded for BPE), merge keys */
	size_t narena, carena;
	struct map tokens;     /* text -> id */
	struct map merges;     /* left + right, split -> rank */
	uint32_t ntokens;
	uint32_t *score_rank;  /* SPM: by id, 0 the highest score */
	uint32_t *user;        /* user-defined tokens' ids, longest first */
	size_t nuser;
	uint32_t *user_off, *user_len;   /* their texts as stored, in arena */
};

/* ---- hash maps of byte strings ---- */

static uint64_t
hash(const unsigned char *p, size_t n, uint32_t split)
{
	uint64_t h = 1469598103934665603ULL ^ split;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int
map_init(struct map *m, size_t n)
{
	size_t slots = 1;

	while (slots < 2 * n + 2)
		slots <<= 1;
	m->mask = slots - 1;
	m->e = fc_calloc(slots, sizeof(*m->e));
	return m->e ? 0 : -1;
}

static struct entry *
map_slot(const struct map *m, const unsigned char *arena, const unsigned char *p,
    size_t n, uint32_t split)
{
	size_t i = (size_t)hash(p, n, split) & m->mask;

	for (;; i = (i + 1) & m->mask) {
		struct entry *e = &m->e[i];
		if (e->len == 0 || (e->len == n && e->split == split &&
		    memcmp(arena + e->off, p, n) == 0))
			return e;
	}
}

/* The value of key p[0..n) split at split, or -1. */
static long
map_get(const struct map *m, const unsigned char *arena, const unsigned char *p,
    size_t n, uint32_t split)
{
	const struct entry *e;

	if (n == 0)
		return -1;
	e = map_slot(m, arena, p, n, split);
	return e->len ? (long)e->val : -1;
}

/* ---- GPT-2's bytes as printable characters ---- */

/* The byte that code point cp stands for, or -1: the printable bytes
 * stand for themselves, and the 68 others (0x00-0x20, 0x7f-0xa0, 0xad),
 * in order, are U+0100 to U+0143. */
static int
gpt2_byte(uint32_t cp)
{
	uint32_t k = cp - 256;

	if ((cp >= 0x21 && cp <= 0x7e) || (cp >= 0xa1 && cp <= 0xac) || (cp >= 0xae && cp <= 0xff))
		return (int)cp;
	if (cp < 256 || k >= 68)
		return -1;
	return k < 33 ? (int)k : k < 67 ? (int)(0x7f + k - 33) : 0xad;
}

/* Decodes GPT-2 text s[0..n) into bytes at out; the length, or -1 when a
 * character stands for no byte. */
static long
gpt2_decode(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i = 0, o = 0, len;
	long cp;
	int b;

	while (i < n) {
		if ((cp = fc_pretok_utf8(s, n, i, &len)) < 0 || (b = gpt2_byte((uint32_t)cp)) < 0)
			return -1;
		out[o++] = (unsigned char)b;
		i += len;
	}
	return (long)o;
}

/* ---- loading ---- */

static enum fc_status
load_err(struct fc_diags *d, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum fc_status
load_err(struct fc_diags *d, const char *path, const char *fmt, ...)
{
	struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
	enum fc_status st;
	va_list ap;

	va_start(ap, fmt);
	st = fc_verror(d, l, fmt, ap);
	va_end(ap);
	return st;
}

/* Reads the first max bytes of path (fewer when it is shorter); *size
 * gets its size. */
static enum fc_status
read_head(const char *path, size_t max, unsigned char **buf, size_t *len, uint64_t *size,
    struct fc_diags *d)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	size_t want;
	int e = errno;

	*buf = NULL;
	if (f == NULL) {
		load_err(d, path, "cannot open the GGUF file: %s", strerror(e));
		return e == ENOENT || e == ENOTDIR ? FC_EINVAL : FC_EIO;
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return load_err(d, path, "not a regular file: expected a GGUF model file");
	}
	*size = (uint64_t)sb.st_size;
	want = *size < max ? (size_t)*size : max;
	if ((*buf = fc_malloc(want ? want : 1)) == NULL) {
		fclose(f);
		return FC_ENOMEM;
	}
	*len = fread(*buf, 1, want, f);
	if (*len != want) {
		e = errno;
		fclose(f);
		fc_free(*buf);
		*buf = NULL;
		load_err(d, path, "cannot read the GGUF file: %s", strerror(e));
		return FC_EIO;
	}
	fclose(f);
	return FC_OK;
}

/* Reads and parses the head of the GGUF file path: the first 8 MB, then
 * four times as much while the metadata and tensor table run past what
 * was read, up to GGUF_TOK_HEAD_MAX (the last try's errors are said). */
static enum fc_status
parse_head(const char *path, unsigned char **buf, struct fc_gguf_info **g,
    struct fc_diags *d)
{
	size_t want = GGUF_TOK_HEAD_FIRST, len = 0;
	uint64_t size = 0;
	enum fc_status st;

	for (;;) {
		if ((st = read_head(path, want, buf, &len, &size, d)) != FC_OK)
			return st;
		if (len < 4 || memcmp(*buf, "GGUF", 4) != 0) {
			fc_free(*buf);
			*buf = NULL;
			return load_err(d, path, "not a GGUF file (no GGUF magic): expected a "
			    "model file with its tokenizer");
		}
		if (len < size && len < GGUF_TOK_HEAD_MAX) {
			struct fc_diags sub;

			fc_diags_init(&sub);
			st = fc_gguf_info_parse(path, *buf, len, g, &sub);
			fc_diags_free(&sub);
			if (st != FC_EINVAL)
				return st;
			fc_free(*buf);
			*buf = NULL;
			want = want * 4 < GGUF_TOK_HEAD_MAX ? want * 4 : GGUF_TOK_HEAD_MAX;
			continue;
		}
		return fc_gguf_info_parse(fc_diags_intern(d, path), *buf, len, g, d);
	}
}

static uint64_t
le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The array of key as elements of type et (else an error); NULL when the
 * key is absent and optional. */
static const struct fc_gguf_kv *
arr(const struct fc_gguf_info *g, const char *key, enum fc_gguf_vtype et, int need,
    const char *path, struct fc_diags *d, enum fc_status *st)
{
	const struct fc_gguf_kv *kv = fc_gguf_info_get(g, key);

	if (kv == NULL) {
		if (need)
			*st = load_err(d, path, "no %s: not a GGUF file with a tokenizer", key);
		return NULL;
	}
	if (kv->type != FC_GGUF_V_ARR || kv->arr_type != et) {
		*st = load_err(d, path, "%s is not an array of %s", key,
		    et == FC_GGUF_V_STR ? "strings" : et == FC_GGUF_V_F32 ? "f32" : "i32");
		return NULL;
	}
	return kv;
}

static int
arena_put(struct fc_gguf_vocab *v, const unsigned char *p, size_t n)
{
	if (v->narena + n > v->carena) {
		size_t c = v->carena ? v->carena : 1 << 20;
		unsigned char *a;

		while (c < v->narena + n)
			c *= 2;
		if ((a = fc_realloc(v->arena, c)) == NULL)
			return -1;
		v->arena = a;
		v->carena = c;
	}
	memcpy(v->arena + v->narena, p, n);
	v->narena += n;
	return 0;
}

/* Puts key p[0..n) (copied into the arena) with value val: later_wins
 * replaces an existing value, else the first stays. */
static int
put(struct fc_gguf_vocab *v, struct map *m, const unsigned char *p, size_t n,
    uint32_t split, uint32_t val, int later_wins)
{
	struct entry *e;
	size_t off = v->narena;

	if (n == 0)
		return 0;
	if (arena_put(v, p, n) != 0)
		return -1;
	e = map_slot(m, v->arena, v->arena + off, n, split);
	if (e->len == 0) {
		e->off = (uint32_t)off;
		e->len = (uint32_t)n;
		e->split = split;
		e->val = val;
	} else {
		v->narena = off;   /* the key is there already */
		if (later_wins)
			e->val = val;
	}
	return 0;
}

/* -1 when token a scores higher than token b, 1 when lower, else 0. */
static int
cmp_score(uint32_t a, uint32_t b, const float *s)
{
	return s[a] > s[b] ? -1 : s[a] < s[b] ? 1 : 0;
}

/* Sorts ids by score, highest first (a stable merge sort: qsort_r is not
 * C11). */
static void
sort_ids(uint32_t *ids, uint32_t *tmp, size_t n, const float *score)
{
	size_t w, i, l, r, m, e, k;

	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			m = i + w < n ? i + w : n;
			e = i + 2 * w < n ? i + 2 * w : n;
			for (l = i, r = m, k = i; k < e; k++)
				tmp[k] = (l < m && (r >= e || cmp_score(ids[l], ids[r], score) <= 0)) ?
				    ids[l++] : ids[r++];
		}
		memcpy(ids, tmp, n * sizeof(*ids));
	}
}

/* SPM: each token's rank by score, 0 the highest, equal scores equal. */
static enum fc_status
score_ranks(struct fc_gguf_vocab *v, const unsigned char *buf, const struct fc_gguf_kv *sc)
{
	uint32_t *ids = fc_malloc(v->ntokens * sizeof(*ids) + 1);
	uint32_t *tmp = fc_malloc(v->ntokens * sizeof(*tmp) + 1);
	float *s = fc_malloc(v->ntokens * sizeof(*s) + 1);
	uint32_t i, r = 0;

	v->score_rank = fc_malloc(v->ntokens * sizeof(*v->score_rank) + 1);
	if (!ids || !tmp || !s || !v->score_rank) {
		fc_free(ids);
		fc_free(tmp);
		fc_free(s);
		return FC_ENOMEM;
	}
	for (i = 0; i < v->ntokens; i++) {
		uint32_t u = sc && i < sc->arr_len ? (uint32_t)le(buf + sc->arr_off + 4 * (size_t)i, 4) : 0;
		memcpy(&s[i], &u, 4);
		ids[i] = i;
	}
	sort_ids(ids, tmp, v->ntokens, s);
	for (i = 0; i < v->ntokens; i++) {
		if (i > 0 && s[ids[i]] != s[ids[i - 1]])
			r++;
		v->score_rank[ids[i]] = r;
	}
	fc_free(ids);
	fc_free(tmp);
	fc_free(s);
	return FC_OK;
}

/* The token texts, their types, and the user-defined tokens. */
static enum fc_status
read_tokens(struct fc_gguf_vocab *v, const unsigned char *buf, const struct fc_gguf_kv *tk,
    const struct fc_gguf_kv *ty, const char *path, struct fc_diags *d)
{
	unsigned char *dec;
	size_t pos = tk->arr_off, maxlen = 0;
	uint32_t i;

	if (tk->arr_len == 0 || tk->arr_len > (1u << 24))
		return load_err(d, path, "tokenizer.ggml.tokens has %llu tokens",
		    (unsigned long long)tk->arr_len);
	v->ntokens = (uint32_t)tk->arr_len;
	if (map_init(&v->tokens, v->ntokens) != 0 ||
	    (v->user = fc_malloc(v->ntokens * sizeof(*v->user))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < v->ntokens; i++) {
		uint64_t n = le(buf + pos, 8);
		maxlen = n > maxlen ? (size_t)n : maxlen;
		pos += 8 + (size_t)n;
	}
	if ((dec = fc_malloc(maxlen + 1)) == NULL)
		return FC_ENOMEM;
	pos = tk->arr_off;
	for (i = 0; i < v->ntokens; i++) {
		size_t n = (size_t)le(buf + pos, 8);
		const unsigned char *s = buf + pos + 8;
		int type = ty && i < ty->arr_len ?
		    (int)(int32_t)le(buf + ty->arr_off + 4 * (size_t)i, 4) : TT_NORMAL;
		long m = (long)n;

		pos += 8 + n;
		if (type == TT_USER && n > 0)
			v->user[v->nuser++] = i;
		if (!v->spm) {
			/* a text that stands for no bytes never meets a piece */
			if ((m = gpt2_decode(s, n, dec)) < 0)
				continue;
			s = dec;
		}
		if (put(v, &v->tokens, s, (size_t)m, 0, i, 1) != 0) {
			fc_free(dec);
			return FC_ENOMEM;
		}
	}
	fc_free(dec);
	return FC_OK;
}

/* The user-defined tokens' texts as stored (for cutting them out of a
 * text), longest first, of equal lengths by id. */
static enum fc_status
read_user(struct fc_gguf_vocab *v, const unsigned char *buf, const struct fc_gguf_kv *tk)
{
	size_t pos = tk->arr_off, k = 0, a, b;
	uint32_t i;

	if (v->nuser == 0)
		return FC_OK;
	v->user_off = fc_malloc(v->nuser * sizeof(uint32_t));
	v->user_len = fc_malloc(v->nuser * sizeof(uint32_t));
	if (!v->user_off || !v->user_len)
		return FC_ENOMEM;
	for (i = 0; i < v->ntokens && k < v->nuser; i++) {
		size_t n = (size_t)le(buf + pos, 8);
		if (v->user[k] == i) {
			v->user_off[k] = (uint32_t)v->narena;
			v->user_len[k] = (uint32_t)n;
			if (arena_put(v, buf + pos + 8, n) != 0)
				return FC_ENOMEM;
			k++;
		}
		pos += 8 + n;
	}
	/* insertion sort: few user-defined tokens */
	for (a = 1; a < v->nuser; a++)
		for (b = a; b > 0 && v->user_len[b] > v->user_len[b - 1]; b--) {
			uint32_t t;
			t = v->user[b]; v->user[b] = v->user[b - 1]; v->user[b - 1] = t;
			t = v->user_off[b]; v->user_off[b] = v->user_off[b - 1]; v->user_off[b - 1] = t;
			t = v->user_len[b]; v->user_len[b] = v->user_len[b - 1]; v->user_len[b - 1] = t;
		}
	return FC_OK;
}

/* BPE merges "LEFT RIGHT", decoded to bytes; the first of duplicates wins. */
static enum fc_status
read_merges(struct fc_gguf_vocab *v, const unsigned char *buf, const struct fc_gguf_kv *mg,
    const char *path, struct fc_diags *d)
{
	size_t pos = mg->arr_off, maxlen = 0;
	unsigned char *dec;
	uint64_t i;

	if (mg->arr_len > (1u << 24))
		return load_err(d, path, "tokenizer.ggml.merges has %llu merges",
		    (unsigned long long)mg->arr_len);
	if (map_init(&v->merges, (size_t)mg->arr_len) != 0)
		return FC_ENOMEM;
	for (i = 0; i < mg->arr_len; i++) {
		uint64_t n = le(buf + pos, 8);
		maxlen = n > maxlen ? (size_t)n : maxlen;
		pos += 8 + (size_t)n;
	}
	if ((dec = fc_malloc(maxlen + 1)) == NULL)
		return FC_ENOMEM;
	pos = mg->arr_off;
	for (i = 0; i < mg->arr_len; i++) {
		size_t n = (size_t)le(buf + pos, 8);
		const unsigned char *s = buf + pos + 8, *sp;
		long l, r;

		pos += 8 + n;
		/* llama.cpp splits at the first space after the first byte */
		sp = n > 1 ? memchr(s + 1, ' ', n - 1) : NULL;
		if (sp == NULL || (l = gpt2_decode(s, (size_t)(sp - s), dec)) <= 0 ||
		    (r = gpt2_decode(sp + 1, (size_t)(s + n - sp - 1), dec + l)) <= 0)
			continue;   /* a merge no piece can meet */
		if (put(v, &v->merges, dec, (size_t)(l + r), (uint32_t)l, (uint32_t)i, 0) != 0) {
			fc_free(dec);
			return FC_ENOMEM;
		}
	}
	fc_free(dec);
	return FC_OK;
}

/* tokenizer.ggml.pre: the pretokenizers written here, by llama.cpp's
 * names for them. */
static int
read_pre(struct fc_gguf_vocab *v, const char *pre)
{
	static const char *const llama3[] = { "llama3", "llama-v3", "llama-bpe", "falcon3",
		"falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", NULL };
	static const char *const qwen2[] = { "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2",
		"megrez", "stablelm2", NULL };
	static const char *const gpt2[] = { "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat",
		"jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum", "modern-bert", "mpt", "olmo",
		"exaone4", NULL };
	int k;

	for (k = 0; llama3[k]; k++)
		if (strcmp(pre, llama3[k]) == 0) {
			v->pre = PRE_LLAMA3;
			v->ignore_merges = 1;
			return 0;
		}
	for (k = 0; qwen2[k]; k++)
		if (strcmp(pre, qwen2[k]) == 0) {
			v->pre = PRE_QWEN2;
			return 0;
		}
	if (strcmp(pre, "qwen35") == 0) {
		v->pre = PRE_QWEN35;
		return 0;
	}
	for (k = 0; gpt2[k]; k++)
		if (strcmp(pre, gpt2[k]) == 0) {
			v->pre = PRE_GPT2;
			return 0;
		}
	return -1;
}

static enum fc_status
read_vocab(struct fc_gguf_vocab *v, const struct fc_gguf_info *g, const unsigned char *buf,
    const char *path, struct fc_diags *d)
{
	const struct fc_gguf_kv *model = fc_gguf_info_get(g, "tokenizer.ggml.model");
	const struct fc_gguf_kv *pre = fc_gguf_info_get(g, "tokenizer.ggml.pre");
	const struct fc_gguf_kv *asp = fc_gguf_info_get(g, "tokenizer.ggml.add_space_prefix");
	const struct fc_gguf_kv *tk, *ty, *sc = NULL, *mg = NULL;
	enum fc_status st = FC_OK;

	if (model == NULL || model->type != FC_GGUF_V_STR)
		return load_err(d, path, "no tokenizer.ggml.model: the GGUF file carries no "
		    "tokenizer");
	if (strcmp(model->str, "llama") == 0)
		v->spm = 1;
	else if (strcmp(model->str, "gpt2") != 0)
		return load_err(d, path, "tokenizer.ggml.model '%s' is not supported: expected "
		    "gpt2 (byte-level BPE) or llama (SentencePiece BPE)", model->str);
	if (!v->spm) {
		const char *p = pre && pre->type == FC_GGUF_V_STR ? pre->str : NULL;
		if (p == NULL || read_pre(v, p) != 0)
			return load_err(d, path, "tokenizer.ggml.pre '%s' is not supported: expected "
			    "one of llama.cpp's pretokenizers llama3 (llama-bpe, llama-v3, ...), "
			    "qwen2, qwen35 or gpt-2", p ? p : "(none: llama.cpp's 'default')");
	}
	v->space_prefix = v->spm;
	if (asp && asp->type == FC_GGUF_V_BOOL)
		v->space_prefix = asp->num != 0;
	tk = arr(g, "tokenizer.ggml.tokens", FC_GGUF_V_STR, 1, path, d, &st);
	ty = arr(g, "tokenizer.ggml.token_type", FC_GGUF_V_I32, 0, path, d, &st);
	if (v->spm)
		sc = arr(g, "tokenizer.ggml.scores", FC_GGUF_V_F32, 0, path, d, &st);
	else
		mg = arr(g, "tokenizer.ggml.merges", FC_GGUF_V_STR, 1, path, d, &st);
	if (st != FC_OK)
		return st;
	if ((st = read_tokens(v, buf, tk, ty, path, d)) != FC_OK ||
	    (st = read_user(v, buf, tk)) != FC_OK)
		return st;
	if (v->spm)
		return score_ranks(v, buf, sc);
	return read_merges(v, buf, mg, path, d);
}

void
fc_gguf_vocab_free(struct fc_gguf_vocab *v)
{
	if (v == NULL)
		return;
	fc_free(v->arena);
	fc_free(v->tokens.e);
	fc_free(v->merges.e);
	fc_free(v->score_rank);
	fc_free(v->user);
	fc_free(v->user_off);
	fc_free(v->user_len);
	fc_free(v);
}

enum fc_status
fc_gguf_vocab_load(const char *path, struct fc_gguf_vocab **out, struct fc_diags *d)
{
	unsigned char *buf = NULL;
	struct fc_gguf_info *g = NULL;
	struct fc_gguf_vocab *v;
	enum fc_status st;

	*out = NULL;
	if ((st = parse_head(path, &buf, &g, d)) != FC_OK) {
		fc_free(buf);
		return st;
	}
	if ((v = fc_calloc(1, sizeof(*v))) == NULL)
		st = FC_ENOMEM;
	else
		st = read_vocab(v, g, buf, path, d);
	fc_gguf_info_free(g);
	fc_free(buf);
	if (st != FC_OK || d->oom) {
		fc_gguf_vocab_free(v);
		return d->oom ? FC_ENOMEM : st;
	}
	*out = v;
	return FC_OK;
}

/* ---- pretokenizers (byte-level BPE) ---- */

/* llama.cpp's flags of the code point at i: F_ANY for every code point in
 * the text (none past its end), letters, marks and numbers as Unicode's
 * L, M and N, and llama.cpp's whitespace (U+0085 is one, U+FEFF is not). */
enum { F_L = 1, F_N = 2, F_WS = 4, F_ANY = 8, F_M = 16 };

static int
is_ws(uint32_t cp)
{
	return (cp >= 9 && cp <= 13) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
	    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

static unsigned
flags(const uint32_t *c, size_t n, size_t i)
{
	unsigned u;

	if (i >= n)
		return 0;
	u = c[i] <= 0x10ffff ? fc_uc_classes(c[i]) : 0;
	/* a mark is in both cased classes of tokenize_int.h, and no letter */
	return F_ANY | (u & FC_UC_L ? F_L : 0) | (u & FC_UC_N ? F_N : 0) |
	    (is_ws(c[i]) ? F_WS : 0) |
	    ((u & (FC_UC_L | FC_UC_UPPER | FC_UC_LOWER)) == (FC_UC_UPPER | FC_UC_LOWER) ? F_M : 0);
}

/* 's 't 're 've 'm 'll 'd at pos (either case when ci; no code point
 * outside ASCII lowercases to these letters): the end, or pos. */
static size_t
contraction(const uint32_t *c, size_t n, size_t pos, int ci)
{
	uint32_t a, b;

	if (c[pos] != '\'' || pos + 1 >= n)
		return pos;
	a = c[pos + 1];
	if (ci && a >= 'A' && a <= 'Z')
		a += 32;
	if (a == 's' || a == 't' || a == 'm' || a == 'd')
		return pos + 2;
	if (pos + 2 >= n)
		return pos;
	b = c[pos + 2];
	if (ci && b >= 'A' && b <= 'Z')
		b += 32;
	if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
		return pos + 3;
	return pos;
}

/* \s*[\r\n]+ | \s+(?!\S) | \s+ from pos (crlf: the first alternative is
 * tried), else the one code point at pos. */
static size_t
spaces(const uint32_t *c, size_t n, size_t pos, int crlf)
{
	size_t k = 0, last = 0;

	while (flags(c, n, pos + k) & F_WS) {
		if (crlf && (c[pos + k] == '\r' || c[pos + k] == '\n'))
			last = pos + k + 1;
		k++;
	}
	if (last)
		return last;
	if (k > 1 && pos + k < n)
		return pos + k - 1;
	return pos + (k ? k : 1);
}

/* llama3 (digits 3, letters F_L) and qwen2 (digits 1, letters F_L):
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,digits}
 *   | ?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
 * and qwen35 (digits 1, letters F_L | F_M: [\p{L}\p{M}] for \p{L}), as
 * llama.cpp's hand-written matchers find them: the end of the piece at
 * pos. */
static size_t
piece_llama3(const uint32_t *c, size_t n, size_t pos, size_t digits, unsigned let)
{
	uint32_t cp = c[pos];
	unsigned f = flags(c, n, pos), f2;
	size_t e, k;

	if ((e = contraction(c, n, pos, 1)) > pos)
		return e;
	if (!(cp == '\r' || cp == '\n' || (f & F_N)) &&
	    ((f & let) || (flags(c, n, pos + 1) & let))) {
		for (pos++; flags(c, n, pos) & let; pos++)
			;
		return pos;
	}
	if (f & F_N) {
		for (k = 0; k < digits && (flags(c, n, pos) & F_N); k++)
			pos++;
		return pos;
	}
	f2 = cp == ' ' ? flags(c, n, pos + 1) : f;
	if (!(f2 & (F_WS | let | F_N)) && f2) {
		pos += cp == ' ';
		while (!(f2 & (F_WS | let | F_N)) && f2)
			f2 = flags(c, n, ++pos);
		while (pos < n && (c[pos] == '\r' || c[pos] == '\n'))
			pos++;
		return pos;
	}
	return spaces(c, n, pos, 1);
}

/* gpt-2: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ */
static size_t
piece_gpt2(const uint32_t *c, size_t n, size_t pos)
{
	uint32_t cp = c[pos];
	unsigned f2 = cp == ' ' ? flags(c, n, pos + 1) : flags(c, n, pos), m;
	size_t e;

	if ((e = contraction(c, n, pos, 0)) > pos)
		return e;
	m = f2 & F_L ? F_L : f2 & F_N ? F_N : 0;
	if (m) {
		pos += cp == ' ';
		while (f2 & m)
			f2 = flags(c, n, ++pos);
		return pos;
	}
	if (!(f2 & (F_WS | F_L | F_N)) && f2) {
		pos += cp == ' ';
		while (!(f2 & (F_WS | F_L | F_N)) && f2)
			f2 = flags(c, n, ++pos);
		return pos;
	}
	return spaces(c, n, pos, 0);
}

/* ---- counting ---- */

struct out {
	uint32_t *ids;
	size_t nid, max, count;
};

static void
emit(struct out *o, uint32_t id)
{
	o->count++;
	if (o->ids && o->nid < o->max)
		o->ids[o->nid++] = id;
}

/* Scratch of one count. */
struct scratch {
	struct fc_merge_work w;
	unsigned char *buf;    /* the fragment, rewritten */
	uint32_t *cps;         /* its code points (BPE) */
	uint32_t *at;          /* their byte offsets, and the end's */
	int prev_special;      /* SPM: the fragment follows a token or the start */
};

static long
bpe_rank(const void *ctx, const unsigned char *p, size_t left, size_t len)
{
	const struct fc_gguf_vocab *v = ctx;

	return map_get(&v->merges, v->arena, p, len, (uint32_t)left);
}

static long
spm_rank(const void *ctx, const unsigned char *p, size_t left, size_t len)
{
	const struct fc_gguf_vocab *v = ctx;
	long id = map_get(&v->tokens, v->arena, p, len, 0);

	(void)left;
	return id < 0 ? -1 : (long)v->score_rank[id];
}

/* UTF-8 as llama.cpp decodes it (leniently; a byte it cannot decode is
 * U+FFFD) into s->cps, written back canonically into s->buf; returns
 * the number of code points. */
static size_t
decode_text(struct scratch *s, const unsigned char *t, size_t n)
{
	size_t i = 0, nc = 0, o = 0;

	while (i < n) {
		unsigned c = t[i];
		uint32_t cp = 0xfffd;
		size_t m = c < 0x80 ? 1 : !(c & 0x40) ? 0 : !(c & 0x20) ? 2 : !(c & 0x10) ? 3 :
		    !(c & 0x08) ? 4 : 0, k;

		if (m == 1)
			cp = c;
		else if (m > 0 && i + m <= n) {
			cp = c & (0x7f >> m);
			for (k = 1; k < m && (t[i + k] & 0xc0) == 0x80; k++)
				cp = cp << 6 | (t[i + k] & 0x3f);
			if (k < m)
				m = 0, cp = 0xfffd;
		} else
			m = 0;
		i += m ? m : 1;
		if (cp > 0x10ffff)
			cp = 0xfffd;
		s->cps[nc] = cp;
		s->at[nc++] = (uint32_t)o;
		if (cp < 0x80) {
			s->buf[o++] = (unsigned char)cp;
		} else if (cp < 0x800) {
			s->buf[o++] = (unsigned char)(0xc0 | cp >> 6);
			s->buf[o++] = (unsigned char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			s->buf[o++] = (unsigned char)(0xe0 | cp >> 12);
			s->buf[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			s->buf[o++] = (unsigned char)(0x80 | (cp & 0x3f));
		} else {
			s->buf[o++] = (unsigned char)(0xf0 | cp >> 18);
			s->buf[o++] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
			s->buf[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			s->buf[o++] = (unsigned char)(0x80 | (cp & 0x3f));
		}
	}
	s->at[nc] = (uint32_t)o;
	return nc;
}

/* The tokens of the parts fc_merge left in p[0..n). */
static void
emit_parts(const struct fc_gguf_vocab *v, const struct fc_merge_work *w,
    const unsigned char *p, size_t n, struct out *o)
{
	size_t i, j;
	long id;

	for (i = 0; i < n; i = w->next[i]) {
		size_t m = w->next[i] - i;
		if ((id = map_get(&v->tokens, v->arena, p + i, m, 0)) >= 0) {
			emit(o, (uint32_t)id);
			continue;
		}
		for (j = i; j < i + m; j++) {
			char hex[8];
			if (!v->spm) {
				/* llama.cpp looks each byte of the part's GPT-2 text up
				 * alone: only printable ASCII stands for itself */
				if (p[j] >= 0x21 && p[j] <= 0x7e &&
				    (id = map_get(&v->tokens, v->arena, p + j, 1, 0)) >= 0)
					emit(o, (uint32_t)id);
				continue;
			}
			/* byte fallback: <0xXX>, else the byte itself */
			snprintf(hex, sizeof(hex), "<0x%02X>", p[j]);
			id = map_get(&v->tokens, v->arena, (const unsigned char *)hex, 6, 0);
			if (id < 0)
				id = map_get(&v->tokens, v->arena, p + j, 1, 0);
			emit(o, id < 0 ? v->ntokens : (uint32_t)id);
		}
	}
}

static enum fc_status
count_bpe(const struct fc_gguf_vocab *v, struct scratch *s, const unsigned char *t,
    size_t n, struct out *o)
{
	size_t nc = decode_text(s, t, n), i = 0, e;
	long id;

	while (i < nc) {
		const unsigned char *p;
		size_t m;

		e = v->pre == PRE_GPT2 ? piece_gpt2(s->cps, nc, i) :
		    piece_llama3(s->cps, nc, i, v->pre == PRE_LLAMA3 ? 3 : 1,
		    v->pre == PRE_QWEN35 ? F_L | F_M : F_L);
		p = s->buf + s->at[i];
		m = s->at[e] - s->at[i];
		i = e;
		if (v->ignore_merges && (id = map_get(&v->tokens, v->arena, p, m, 0)) >= 0) {
			emit(o, (uint32_t)id);
			continue;
		}
		if (fc_merge_grow(&s->w, m) != 0)
			return FC_ENOMEM;
		fc_merge(&s->w, p, m, 0, bpe_rank, v);
		emit_parts(v, &s->w, p, m, o);
	}
	return FC_OK;
}

static enum fc_status
count_spm(const struct fc_gguf_vocab *v, struct scratch *s, const unsigned char *t,
    size_t n, struct out *o)
{
	size_t i, m = 0;

	if (v->space_prefix && s->prev_special) {
		memcpy(s->buf, "\xe2\x96\x81", 3);
		m = 3;
	}
	for (i = 0; i < n; i++) {
		if (t[i] == ' ') {
			memcpy(s->buf + m, "\xe2\x96\x81", 3);
			m += 3;
		} else
			s->buf[m++] = t[i];
	}
	s->prev_special = 0;
	if (fc_merge_grow(&s->w, m) != 0)
		return FC_ENOMEM;
	fc_merge(&s->w, s->buf, m, 1, spm_rank, v);
	emit_parts(v, &s->w, s->buf, m, o);
	return FC_OK;
}

/* A piece of the text: raw text, or a user-defined token. */
struct frag {
	size_t off, len;
	long token;           /* -1: raw text */
};

struct frags {
	struct frag *v;
	size_t n, cap;
	int oom;
};

static void
frag_push(struct frags *f, size_t off, size_t len, long token)
{
	if (f->n == f->cap) {
		size_t c = f->cap ? 2 * f->cap : 16;
		struct frag *nv = f->oom ? NULL : fc_realloc(f->v, c * sizeof(*nv));
		if (nv == NULL) {
			f->oom = 1;
			return;
		}
		f->v = nv;
		f->cap = c;
	}
	f->v[f->n++] = (struct frag){ off, len, token };
}

/* Cuts user-defined token k out of the raw fragments of in into out. */
static void
cut(const struct fc_gguf_vocab *v, const unsigned char *t, const struct frags *in, size_t k,
    struct frags *out)
{
	const unsigned char *u = v->arena + v->user_off[k];
	size_t ul = v->user_len[k], f;

	out->n = 0;
	for (f = 0; f < in->n; f++) {
		const struct frag *g = &in->v[f];
		size_t a = g->off, i = a, end = g->off + g->len;

		if (g->token >= 0 || g->len < ul) {
			frag_push(out, g->off, g->len, g->token);
			continue;
		}
		while (i + ul <= end) {
			if (t[i] != u[0] || memcmp(t + i, u, ul) != 0) {
				i++;
				continue;
			}
			if (i > a)
				frag_push(out, a, i - a, -1);
			frag_push(out, i, ul, (long)v->user[k]);
			i += ul;
			a = i;
		}
		if (end > a)
			frag_push(out, a, end - a, -1);
	}
}

/* Counts t[0..n): the user-defined tokens cut out first, the longest
 * first (as llama.cpp partitions), then each fragment in order. */
static enum fc_status
count_text(const struct fc_gguf_vocab *v, struct scratch *s, const unsigned char *t,
    size_t n, struct out *o)
{
	struct frags a = { NULL, 0, 0, 0 }, b = { NULL, 0, 0, 0 }, x;
	size_t k, f;
	enum fc_status st = FC_OK;

	frag_push(&a, 0, n, -1);
	for (k = 0; k < v->nuser && !a.oom && !b.oom; k++) {
		cut(v, t, &a, k, &b);
		x = a, a = b, b = x;
	}
	if (a.oom || b.oom)
		st = FC_ENOMEM;
	for (f = 0; st == FC_OK && f < a.n; f++) {
		const struct frag *g = &a.v[f];
		if (g->token >= 0) {
			emit(o, (uint32_t)g->token);
			s->prev_special = 1;
		} else if (v->spm)
			st = count_spm(v, s, t + g->off, g->len, o);
		else
			st = count_bpe(v, s, t + g->off, g->len, o);
	}
	fc_free(a.v);
	fc_free(b.v);
	return st;
}

enum fc_status
fc_gguf_vocab_count(const struct fc_gguf_vocab *v, const char *text, size_t len,
    size_t *n, uint32_t *ids, size_t max)
{
	struct scratch s;
	struct out o = { ids, 0, max, 0 };
	enum fc_status st = FC_OK;

	memset(&s, 0, sizeof(s));
	s.prev_special = 1;
	*n = 0;
	if (len > (UINT32_MAX - 8) / 3)
		return FC_ENOMEM;
	s.buf = fc_malloc(3 * len + 4);
	s.cps = v->spm ? NULL : fc_malloc((len + 1) * sizeof(*s.cps));
	s.at = v->spm ? NULL : fc_malloc((len + 1) * sizeof(*s.at));
	if (s.buf == NULL || (!v->spm && (s.cps == NULL || s.at == NULL)))
		st = FC_ENOMEM;
	else if (len > 0)
		st = count_text(v, &s, (const unsigned char *)text, len, &o);
	fc_merge_free(&s.w);
	fc_free(s.buf);
	fc_free(s.cps);
	fc_free(s.at);
	*n = o.count;
	return st;
}
