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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
	int shared;           /* kept for the process: free leaves it */
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

/* Reads the whole file path into *buf (raw bytes). */
static enum fc_status
read_raw(const char *path, unsigned char **buf, size_t *len, struct fc_diags *d)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 21, n = 0, r;
	unsigned char *b, *nb;

	if (f == NULL) {
		struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
		fc_error(d, l, "cannot read the tokenizer's rank file: %s", strerror(errno));
		return FC_EIO;
	}
	if ((b = fc_malloc(cap)) == NULL) {
		fclose(f);
		return FC_ENOMEM;
	}
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
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
		struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
		fclose(f);
		fc_free(b);
		fc_error(d, l, "cannot read the tokenizer's rank file: %s", strerror(EIO));
		return FC_EIO;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return FC_OK;
}

/* Inflates the gzip data z[0..zn) (one whole member) into *buf. */
static enum fc_status
gunzip_mem(const unsigned char *z, size_t zn, char **buf, size_t *len, const char *path,
    struct fc_diags *d)
{
	z_stream zs;
	size_t cap = 1 << 22;
	char *b = fc_malloc(cap), *nb;
	int r = Z_OK;

	if (b == NULL)
		return FC_ENOMEM;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		fc_free(b);
		return FC_ENOMEM;
	}
	zs.next_in = (unsigned char *)(uintptr_t)z;
	zs.avail_in = (uInt)zn;
	while (r == Z_OK) {
		if (zs.total_out + 1 >= cap) {
			if ((nb = fc_realloc(b, cap * 2)) == NULL) {
				inflateEnd(&zs);
				fc_free(b);
				return FC_ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		zs.next_out = (unsigned char *)b + zs.total_out;
		zs.avail_out = (uInt)(cap - zs.total_out - 1);
		r = inflate(&zs, Z_NO_FLUSH);
	}
	if (r != Z_STREAM_END || zs.avail_in != 0 || zn > UINT32_MAX) {
		struct fc_loc l = { fc_diags_intern(d, path), 0, 0, 0 };
		inflateEnd(&zs);
		fc_free(b);
		if (r == Z_MEM_ERROR)
			return FC_ENOMEM;
		fc_error(d, l, "the tokenizer's rank file is not a whole gzip file");
		return FC_EINVAL;
	}
	*len = zs.total_out;
	b[*len] = '\0';
	inflateEnd(&zs);
	*buf = b;
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
	if (t == NULL || t->shared)
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

/* ---- the caches ---- */

static char cache_dir[4096];   /* "": no cache on disk */

void
fc_tokenizer_set_cache_dir(const char *dir)
{
	snprintf(cache_dir, sizeof(cache_dir), "%s", dir && strlen(dir) < 4000 ? dir : "");
}

/* The tokenizers this process has loaded, kept for its lifetime. */
struct shared {
	char *key;            /* the rank file's or GGUF file's path */
	uint64_t stamp;       /* its contents' hash, or size and time */
	struct fc_tokenizer *t;
};
static struct shared *shared;
static size_t nshared;
static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;

static struct fc_tokenizer *
shared_get(const char *key, uint64_t stamp)
{
	struct fc_tokenizer *t = NULL;
	size_t i;

	pthread_mutex_lock(&shared_mu);
	for (i = 0; i < nshared && t == NULL; i++)
		if (shared[i].stamp == stamp && strcmp(shared[i].key, key) == 0)
			t = shared[i].t;
	pthread_mutex_unlock(&shared_mu);
	return t;
}

void
fc_tokenizer_forget_shared(void)
{
	size_t i;

	pthread_mutex_lock(&shared_mu);
	for (i = 0; i < nshared; i++) {
		shared[i].t->shared = 0;
		fc_tokenizer_free(shared[i].t);
		fc_free(shared[i].key);
	}
	fc_free(shared);
	shared = NULL;
	nshared = 0;
	pthread_mutex_unlock(&shared_mu);
}

/* Keeps t for the process (then fc_tokenizer_free leaves it); out of
 * memory, t stays the caller's. */
static void
shared_put(const char *key, uint64_t stamp, struct fc_tokenizer *t)
{
	struct shared *ns;
	char *k = fc_strdup(key);

	pthread_mutex_lock(&shared_mu);
	ns = k ? fc_realloc(shared, (nshared + 1) * sizeof(*shared)) : NULL;
	if (ns) {
		shared = ns;
		shared[nshared++] = (struct shared){ k, stamp, t };
		t->shared = 1;
	} else
		fc_free(k);
	pthread_mutex_unlock(&shared_mu);
}

/*
 * The cache on disk: a parsed rank file's bytes and hash table as they lie
 * in memory, in DIR/NAME.bin, written whole to a temporary file renamed
 * into place.  The header names the source's hash (FNV-1a of the gzipped
 * rank file), the sizes, the host's layout, and the payload's hash; a file
 * that does not match in every field, or whose table points outside its
 * bytes, is ignored and written again.
 */
#define CACHE_MAGIC 0x3130434b4f544346ULL   /* "FCTOKC01" */
#define CACHE_LAYOUT (0x0102030405060708ULL ^ sizeof(struct slot))

enum { H_MAGIC, H_LAYOUT, H_SOURCE, H_NBYTES, H_NSLOTS, H_NTOKENS, H_SUM, H_N };

/* A 64-bit hash of p[0..n), eight bytes at a time (a checksum, not for
 * the table). */
uint64_t
fc_tokenizer_sum(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, c + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h ^ n;
}

static uint64_t
payload_sum(const struct fc_tokenizer *t)
{
	uint64_t h = fc_tokenizer_sum(FC_TOKENIZER_SUM0, t->bytes, t->nbytes);

	return fc_tokenizer_sum(h, t->slots, (t->mask + 1) * sizeof(*t->slots));
}

static void
cache_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s.bin", cache_dir, name);
}

/* Reads t's table from the cache when it holds the rank file source;
 * 0 on success. */
static int
cache_read(struct fc_tokenizer *t, uint64_t source)
{
	char path[4200];
	uint64_t h[H_N];
	FILE *f;
	size_t i, nslots;
	int ok = 0;

	if (cache_dir[0] == '\0')
		return -1;
	cache_path(path, sizeof(path), t->name);
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fread(h, sizeof(h[0]), H_N, f) != H_N || h[H_MAGIC] != CACHE_MAGIC ||
	    h[H_LAYOUT] != CACHE_LAYOUT || h[H_SOURCE] != source || h[H_NBYTES] > UINT32_MAX ||
	    h[H_NSLOTS] == 0 || h[H_NSLOTS] > (1u << 28) || (h[H_NSLOTS] & (h[H_NSLOTS] - 1)) ||
	    h[H_NTOKENS] >= h[H_NSLOTS])
		goto out;
	nslots = (size_t)h[H_NSLOTS];
	t->nbytes = (size_t)h[H_NBYTES];
	t->mask = nslots - 1;
	t->ntokens = (size_t)h[H_NTOKENS];
	if ((t->bytes = fc_malloc(t->nbytes + 1)) == NULL ||
	    (t->slots = fc_malloc(nslots * sizeof(*t->slots))) == NULL ||
	    fread(t->bytes, 1, t->nbytes, f) != t->nbytes ||
	    fread(t->slots, sizeof(*t->slots), nslots, f) != nslots || fgetc(f) != EOF ||
	    payload_sum(t) != h[H_SUM])
		goto out;
	for (i = 0; i < nslots; i++)
		if (t->slots[i].len && ((uint64_t)t->slots[i].off + t->slots[i].len > t->nbytes))
			goto out;
	ok = 1;
out:
	fclose(f);
	if (!ok) {
		fc_free(t->bytes);
		fc_free(t->slots);
		t->bytes = NULL;
		t->slots = NULL;
		t->nbytes = t->ntokens = 0;
	}
	return ok ? 0 : -1;
}

/* mkdir -p dir (its parents made 0700, as XDG's base directories). */
static int
make_dirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				*p = '/';
				return -1;
			}
			*p = '/';
		}
	return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* Writes t's table to the cache; a failure leaves no file behind and is
 * not an error (the next run parses the rank file again). */
static void
cache_write(const struct fc_tokenizer *t, uint64_t source)
{
	char path[4200], tmp[4300], dir[4096];
	uint64_t h[H_N] = { CACHE_MAGIC, CACHE_LAYOUT, source, t->nbytes, t->mask + 1,
		t->ntokens, 0 };
	FILE *f;
	int fd, ok;

	if (cache_dir[0] == '\0')
		return;
	snprintf(dir, sizeof(dir), "%s", cache_dir);
	if (make_dirs(dir) != 0)
		return;
	cache_path(path, sizeof(path), t->name);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		return;
	if ((f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(tmp);
		return;
	}
	h[H_SUM] = payload_sum(t);
	ok = fwrite(h, sizeof(h[0]), H_N, f) == H_N &&
	    fwrite(t->bytes, 1, t->nbytes, f) == t->nbytes &&
	    fwrite(t->slots, sizeof(*t->slots), t->mask + 1, f) == t->mask + 1;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0)
		unlink(tmp);
}

/* Loads "gguf:PATH", shared by path, size and modification time. */
static enum fc_status
load_gguf(const char *name, struct fc_tokenizer **out, struct fc_diags *d)
{
	struct fc_tokenizer *t;
	struct stat sb;
	uint64_t stamp = 0;
	enum fc_status st;

	if (stat(name + 5, &sb) == 0) {
		stamp = (uint64_t)sb.st_size * 1000003ULL ^ (uint64_t)sb.st_mtim.tv_sec * 1000000007ULL ^
		    (uint64_t)sb.st_mtim.tv_nsec ^ (uint64_t)sb.st_ino << 20;
		if ((*out = shared_get(name, stamp)) != NULL)
			return FC_OK;
	}
	if ((t = fc_calloc(1, sizeof(*t))) == NULL || (t->name = fc_strdup(name)) == NULL) {
		fc_free(t);
		return FC_ENOMEM;
	}
	if ((st = fc_gguf_vocab_load(name + 5, &t->gguf, d)) != FC_OK) {
		fc_tokenizer_free(t);
		return st;
	}
	if (stamp)
		shared_put(name, stamp, t);
	*out = t;
	return FC_OK;
}

enum fc_status
fc_tokenizer_load(const char *name, const char *datadir, struct fc_tokenizer **out,
    struct fc_diags *d)
{
	struct fc_tokenizer *t;
	char path[4096], *text = NULL;
	unsigned char *raw = NULL;
	size_t len = 0, rawlen = 0, k;
	uint64_t source;
	enum fc_status st;

	*out = NULL;
	if (strncmp(name, "gguf:", 5) == 0 && name[5] != '\0')
		return load_gguf(name, out, d);
	for (k = 0; fc_tokenizer_names[k]; k++)
		if (strcmp(name, fc_tokenizer_names[k]) == 0)
			break;
	if (fc_tokenizer_names[k] == NULL) {
		struct fc_loc l = { NULL, 0, 0, 0 };
		return fc_error(d, l, "unknown tokenizer '%s': expected o200k_base, cl100k_base "
		    "or gguf:FILE", name);
	}
	snprintf(path, sizeof(path), "%s/tokenizers/%s.tiktoken.gz", datadir, name);
	if ((st = read_raw(path, &raw, &rawlen, d)) != FC_OK)
		return st;
	source = fc_tokenizer_sum(FC_TOKENIZER_SUM0, raw, rawlen);
	if ((*out = shared_get(path, source)) != NULL) {
		fc_free(raw);
		return FC_OK;
	}
	if ((t = fc_calloc(1, sizeof(*t))) == NULL || (t->name = fc_strdup(name)) == NULL) {
		fc_free(t);
		fc_free(raw);
		return FC_ENOMEM;
	}
	t->o200k = k == 0;
	if (cache_read(t, source) == 0) {
		fc_free(raw);
		shared_put(path, source, t);
		*out = t;
		return FC_OK;
	}
	st = gunzip_mem(raw, rawlen, &text, &len, path, d);
	fc_free(raw);
	if (st == FC_OK)
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
	cache_write(t, source);
	shared_put(path, source, t);
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
