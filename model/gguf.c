/*
 * gguf.c: writes GGUF v3 files for synthetic llama-architecture models and
 * parses the header of any GGUF file.
 *
 * Written from the GGUF specification (ggml docs/gguf.md).  Facts that
 * llama.cpp relies on beyond the spec were established by trying: the
 * loader aborts without llama.feed_forward_length or
 * llama.attention.head_count, quantized rows must be a multiple of 32
 * weights, and the SentencePiece ("llama") tokenizer falls back to the
 * <0xNN> byte tokens for any character it has no token for.
 *
 * The vocabulary: <unk>, <s>, </s>, the 256 byte tokens, U+2581 (the
 * SentencePiece space), the 94 printable ASCII characters, then filler
 * tokens "<tN>" up to the requested size.  No two single-character tokens
 * concatenate to another token, so a prompt of ASCII text costs one token
 * per character; fillers are reachable only by generation.
 */
#include "gguf.h"
#include "rng.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#define GGUF_MAGIC "GGUF"
#define GGUF_VERSION 3
#define CHUNK (1u << 20)          /* bytes of tensor data generated per fwrite */
#define N_BLK_TENSORS 9           /* tensors per transformer block */
#define N_TOP_TENSORS 3           /* token_embd, output_norm, output */

/* ---- types ---- */

int
fc_gguf_type_parse(const char *s, enum fc_gguf_type *out)
{
	static const struct { const char *name; enum fc_gguf_type t; } tab[] = {
		{ "f16", FC_GGUF_F16 }, { "q4_0", FC_GGUF_Q4_0 },
		{ "q8_0", FC_GGUF_Q8_0 },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(s, tab[i].name) == 0) {
			*out = tab[i].t;
			return 0;
		}
	return -1;
}

const char *
fc_gguf_type_name(enum fc_gguf_type t)
{
	switch (t) {
	case FC_GGUF_F32: return "f32";
	case FC_GGUF_F16: return "f16";
	case FC_GGUF_Q4_0: return "q4_0";
	case FC_GGUF_Q8_0: return "q8_0";
	}
	return "?";
}

uint64_t
fc_gguf_type_bytes(enum fc_gguf_type t, uint64_t n)
{
	switch (t) {
	case FC_GGUF_F32: return 4 * n;
	case FC_GGUF_F16: return 2 * n;
	case FC_GGUF_Q4_0: return n / FC_GGUF_QBLOCK * 18;
	case FC_GGUF_Q8_0: return n / FC_GGUF_QBLOCK * 34;
	}
	return 0;
}

static int
type_quantized(enum fc_gguf_type t)
{
	return t == FC_GGUF_Q4_0 || t == FC_GGUF_Q8_0;
}

/* general.file_type for a model whose matrices are all of type t. */
static uint32_t
file_type(enum fc_gguf_type t)
{
	switch (t) {
	case FC_GGUF_F32: return 0;
	case FC_GGUF_F16: return 1;
	case FC_GGUF_Q4_0: return 2;
	case FC_GGUF_Q8_0: return 7;
	}
	return 0;
}

/* ---- shape ---- */

enum fc_status
fc_gguf_shape_check(struct fc_gguf_shape *s, enum fc_gguf_type t,
    struct fc_diags *d)
{
	struct fc_loc loc = { "synth-model", 0, 0, 0 };
	enum fc_status st = FC_OK;
	const uint64_t big = (uint64_t)1 << 24;   /* no real model dimension is larger */

	if (s->layers < 1 || s->layers > 1024)
		st = fc_error(d, loc, "layers must be in [1, 1024], not %llu",
		    (unsigned long long)s->layers);
	if (s->embd < 32 || s->embd > big)
		st = fc_error(d, loc, "embd must be in [32, %llu], not %llu",
		    (unsigned long long)big, (unsigned long long)s->embd);
	if (s->ff < 32 || s->ff > big)
		st = fc_error(d, loc, "ff must be in [32, %llu], not %llu",
		    (unsigned long long)big, (unsigned long long)s->ff);
	if (s->heads < 1 || s->heads > 4096)
		st = fc_error(d, loc, "heads must be in [1, 4096], not %llu",
		    (unsigned long long)s->heads);
	if (s->vocab < FC_GGUF_MIN_VOCAB || s->vocab > big)
		st = fc_error(d, loc, "vocab must be in [%d, %llu], not %llu",
		    FC_GGUF_MIN_VOCAB, (unsigned long long)big,
		    (unsigned long long)s->vocab);
	if (s->context == 0)
		s->context = 4096;
	if (s->context > big)
		st = fc_error(d, loc, "context must be at most %llu",
		    (unsigned long long)big);
	if (st != FC_OK)
		return st;
	if (s->kv_heads == 0)
		s->kv_heads = s->heads;
	if (s->kv_heads > s->heads || s->heads % s->kv_heads != 0)
		st = fc_error(d, loc, "kv heads (%llu) must divide heads (%llu)",
		    (unsigned long long)s->kv_heads, (unsigned long long)s->heads);
	if (s->head_dim == 0) {
		if (s->embd % s->heads != 0)
			return fc_error(d, loc,
			    "heads (%llu) must divide embd (%llu)",
			    (unsigned long long)s->heads,
			    (unsigned long long)s->embd);
		s->head_dim = s->embd / s->heads;
	}
	if (s->head_dim % 2 != 0 || s->head_dim > 4096)
		st = fc_error(d, loc, "head size %llu must be even and at most 4096",
		    (unsigned long long)s->head_dim);
	if (type_quantized(t)) {
		if (s->embd % FC_GGUF_QBLOCK != 0)
			st = fc_error(d, loc, "%s needs embd divisible by %d, not %llu",
			    fc_gguf_type_name(t), FC_GGUF_QBLOCK,
			    (unsigned long long)s->embd);
		if (s->ff % FC_GGUF_QBLOCK != 0)
			st = fc_error(d, loc, "%s needs ff divisible by %d, not %llu",
			    fc_gguf_type_name(t), FC_GGUF_QBLOCK,
			    (unsigned long long)s->ff);
		if (s->heads * s->head_dim % FC_GGUF_QBLOCK != 0)
			st = fc_error(d, loc,
			    "%s needs heads x head size divisible by %d, not %llu",
			    fc_gguf_type_name(t), FC_GGUF_QBLOCK,
			    (unsigned long long)(s->heads * s->head_dim));
	}
	return st;
}

/* ---- tensors ---- */

struct tdesc {
	char name[64];
	uint32_t n_dims;
	uint64_t dims[2];
	enum fc_gguf_type type;
};

static uint64_t
n_tensors(const struct fc_gguf_shape *s)
{
	return N_TOP_TENSORS + N_BLK_TENSORS * s->layers;
}

/* The i-th tensor of the model.  dims[0] is the row length (ggml ne0). */
static void
tensor_at(const struct fc_gguf_shape *s, enum fc_gguf_type t, uint64_t i,
    struct tdesc *o)
{
	static const char *const blk[N_BLK_TENSORS] = {
		"attn_norm", "attn_q", "attn_k", "attn_v", "attn_output",
		"ffn_norm", "ffn_gate", "ffn_up", "ffn_down",
	};
	uint64_t q = s->heads * s->head_dim, kv = s->kv_heads * s->head_dim;
	uint64_t b, k;

	o->type = t;
	o->n_dims = 2;
	if (i < N_TOP_TENSORS) {
		static const char *const top[N_TOP_TENSORS] = {
			"token_embd", "output_norm", "output",
		};
		snprintf(o->name, sizeof(o->name), "%s.weight", top[i]);
		o->dims[0] = s->embd;
		o->dims[1] = s->vocab;
		if (i == 1) {
			o->n_dims = 1;
			o->dims[1] = 1;
			o->type = FC_GGUF_F32;
		}
		return;
	}
	b = (i - N_TOP_TENSORS) / N_BLK_TENSORS;
	k = (i - N_TOP_TENSORS) % N_BLK_TENSORS;
	snprintf(o->name, sizeof(o->name), "blk.%llu.%s.weight",
	    (unsigned long long)b, blk[k]);
	switch (k) {
	case 0: case 5:         /* norms: one f32 per embedding dimension */
		o->n_dims = 1;
		o->dims[0] = s->embd;
		o->dims[1] = 1;
		o->type = FC_GGUF_F32;
		break;
	case 1: o->dims[0] = s->embd; o->dims[1] = q; break;
	case 2: case 3: o->dims[0] = s->embd; o->dims[1] = kv; break;
	case 4: o->dims[0] = q; o->dims[1] = s->embd; break;
	case 6: case 7: o->dims[0] = s->embd; o->dims[1] = s->ff; break;
	default: o->dims[0] = s->ff; o->dims[1] = s->embd; break;
	}
}

static uint64_t
tensor_bytes(const struct tdesc *td)
{
	return fc_gguf_type_bytes(td->type, td->dims[0] * td->dims[1]);
}

static uint64_t
align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

uint64_t
fc_gguf_shape_params(const struct fc_gguf_shape *s)
{
	uint64_t q = s->heads * s->head_dim, kv = s->kv_heads * s->head_dim;
	uint64_t per = 2 * s->embd + 2 * s->embd * q + 2 * s->embd * kv +
	    3 * s->embd * s->ff;

	return 2 * s->embd * s->vocab + s->embd + s->layers * per;
}

/* ---- a growable byte buffer for the header ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
	uint64_t nkv;     /* metadata pairs written */
	int oom;
};

static void
buf_put(struct buf *b, const void *v, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		unsigned char *np;

		while (ncap < b->n + n)
			ncap *= 2;
		np = fc_realloc(b->p, ncap);
		if (np == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, v, n);
	b->n += n;
}

static void
put_le(struct buf *b, uint64_t v, int bytes)
{
	unsigned char c[8];
	int i;

	for (i = 0; i < bytes; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, c, (size_t)bytes);
}

static void
put_u32(struct buf *b, uint32_t v) { put_le(b, v, 4); }
static void
put_u64(struct buf *b, uint64_t v) { put_le(b, v, 8); }

static void
put_f32(struct buf *b, float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	put_u32(b, u);
}

static void
put_str(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	put_u64(b, n);
	buf_put(b, s, n);
}

static void
kv_u32(struct buf *b, const char *key, uint32_t v)
{
	b->nkv++;
	put_str(b, key);
	put_u32(b, FC_GGUF_V_U32);
	put_u32(b, v);
}

static void
kv_f32(struct buf *b, const char *key, float v)
{
	b->nkv++;
	put_str(b, key);
	put_u32(b, FC_GGUF_V_F32);
	put_f32(b, v);
}

static void
kv_bool(struct buf *b, const char *key, int v)
{
	unsigned char c = v ? 1 : 0;

	b->nkv++;
	put_str(b, key);
	put_u32(b, FC_GGUF_V_BOOL);
	buf_put(b, &c, 1);
}

static void
kv_str(struct buf *b, const char *key, const char *v)
{
	b->nkv++;
	put_str(b, key);
	put_u32(b, FC_GGUF_V_STR);
	put_str(b, v);
}

static void
arr_head(struct buf *b, const char *key, enum fc_gguf_vtype et, uint64_t n)
{
	b->nkv++;
	put_str(b, key);
	put_u32(b, FC_GGUF_V_ARR);
	put_u32(b, et);
	put_u64(b, n);
}

/* Token i's text and type (1 normal, 2 unknown, 3 control, 6 byte). */
static int
token_at(uint64_t i, char *out, size_t outlen)
{
	static const char *const special[3] = { "<unk>", "<s>", "</s>" };

	if (i < 3) {
		snprintf(out, outlen, "%s", special[i]);
		return i == 0 ? 2 : 3;
	}
	if (i < 3 + 256) {
		snprintf(out, outlen, "<0x%02X>", (unsigned)(i - 3));
		return 6;
	}
	if (i == 3 + 256) {
		snprintf(out, outlen, "\xe2\x96\x81");   /* U+2581, the SentencePiece space */
		return 1;
	}
	if (i < FC_GGUF_MIN_VOCAB) {
		out[0] = (char)(0x21 + (i - 260));
		out[1] = '\0';
		return 1;
	}
	snprintf(out, outlen, "<t%llu>", (unsigned long long)i);
	return 1;
}

static void
build_header(struct buf *b, const struct fc_gguf_shape *s,
    enum fc_gguf_type t, const char *name)
{
	char tok[32];
	uint64_t i, off = 0;
	buf_put(b, GGUF_MAGIC, 4);
	put_u32(b, GGUF_VERSION);
	put_u64(b, n_tensors(s));
	put_u64(b, 0);          /* metadata count, patched below */

	kv_str(b, "general.architecture", "llama");
	kv_str(b, "general.name", name ? name : "flatcost synthetic model");
	kv_u32(b, "general.alignment", FC_GGUF_ALIGN);
	kv_u32(b, "general.file_type", file_type(t));
	kv_u32(b, "general.quantization_version", 2);
	kv_u32(b, "llama.context_length", (uint32_t)s->context);
	kv_u32(b, "llama.embedding_length", (uint32_t)s->embd);
	kv_u32(b, "llama.block_count", (uint32_t)s->layers);
	kv_u32(b, "llama.feed_forward_length", (uint32_t)s->ff);
	kv_u32(b, "llama.attention.head_count", (uint32_t)s->heads);
	kv_u32(b, "llama.attention.head_count_kv", (uint32_t)s->kv_heads);
	kv_u32(b, "llama.attention.key_length", (uint32_t)s->head_dim);
	kv_u32(b, "llama.attention.value_length", (uint32_t)s->head_dim);
	kv_u32(b, "llama.rope.dimension_count", (uint32_t)s->head_dim);
	kv_f32(b, "llama.rope.freq_base", 10000.0f);
	kv_f32(b, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
	kv_u32(b, "llama.vocab_size", (uint32_t)s->vocab);
	kv_str(b, "tokenizer.ggml.model", "llama");
	kv_u32(b, "tokenizer.ggml.unknown_token_id", 0);
	kv_u32(b, "tokenizer.ggml.bos_token_id", 1);
	kv_u32(b, "tokenizer.ggml.eos_token_id", 2);
	kv_bool(b, "tokenizer.ggml.add_bos_token", 1);

	arr_head(b, "tokenizer.ggml.tokens", FC_GGUF_V_STR, s->vocab);
	for (i = 0; i < s->vocab; i++) {
		token_at(i, tok, sizeof(tok));
		put_str(b, tok);
	}
	arr_head(b, "tokenizer.ggml.token_type", FC_GGUF_V_I32, s->vocab);
	for (i = 0; i < s->vocab; i++)
		put_u32(b, (uint32_t)token_at(i, tok, sizeof(tok)));
	if (!b->oom)          /* the metadata count, now known */
		for (i = 0; i < 8; i++)
			b->p[16 + i] = (unsigned char)(b->nkv >> (8 * i));

	for (i = 0; i < n_tensors(s); i++) {
		struct tdesc td;
		uint32_t k;

		tensor_at(s, t, i, &td);
		put_str(b, td.name);
		put_u32(b, td.n_dims);
		for (k = 0; k < td.n_dims; k++)
			put_u64(b, td.dims[k]);
		put_u32(b, (uint32_t)td.type);
		put_u64(b, off);
		off = align_up(off + tensor_bytes(&td), FC_GGUF_ALIGN);
	}
	i = align_up(b->n, FC_GGUF_ALIGN) - b->n;
	while (i-- > 0)
		buf_put(b, "", 1);
}

static uint64_t
data_bytes(const struct fc_gguf_shape *s, enum fc_gguf_type t)
{
	uint64_t i, off = 0;
	struct tdesc td;

	for (i = 0; i < n_tensors(s); i++) {
		tensor_at(s, t, i, &td);
		off = align_up(off + tensor_bytes(&td), FC_GGUF_ALIGN);
	}
	return off;
}

uint64_t
fc_gguf_file_size(const struct fc_gguf_shape *s, enum fc_gguf_type t,
    const char *name)
{
	struct buf b = { 0 };
	uint64_t n;

	build_header(&b, s, t, name);
	n = b.oom ? 0 : b.n + data_bytes(s, t);
	fc_free(b.p);
	return n;
}

/* ---- random tensor data ---- */

/* IEEE half from a float in the normal half range. */
static uint16_t
half_from_float(float f)
{
	int e;
	float m = frexpf(fabsf(f), &e);   /* f = m * 2^e, m in [0.5, 1) */
	uint16_t sign = f < 0 ? 0x8000 : 0;

	if (f == 0.0f)
		return 0;
	/* half: (1 + frac/1024) * 2^(exp - 15) */
	return (uint16_t)(sign | (uint16_t)((e - 1 + 15) << 10) |
	    (uint16_t)((m * 2.0f - 1.0f) * 1024.0f));
}

/* Fills n bytes of a tensor of type t.  Weights end up about 0.01 in
 * magnitude so that random activations stay finite through every layer. */
static void
fill(unsigned char *p, size_t n, enum fc_gguf_type t, uint64_t *rng)
{
	size_t i;
	uint64_t r = 0;

	switch (t) {
	case FC_GGUF_F32:       /* norm weights: ones */
		for (i = 0; i + 4 <= n; i += 4) {
			float one = 1.0f;
			memcpy(p + i, &one, 4);
		}
		break;
	case FC_GGUF_F16:
		/* sign, exponent 2^-10..2^-7, random mantissa */
		for (i = 0; i + 2 <= n; i += 2) {
			uint16_t h;

			if (i % 8 == 0)
				r = fc_splitmix64(rng);
			h = (uint16_t)(r & 0x83ff) | (uint16_t)((5 + ((r >> 10) & 3)) << 10);
			r >>= 16;
			p[i] = (unsigned char)h;
			p[i + 1] = (unsigned char)(h >> 8);
		}
		break;
	case FC_GGUF_Q4_0:
	case FC_GGUF_Q8_0: {
		size_t blk = t == FC_GGUF_Q4_0 ? 18 : 34;
		uint16_t d = half_from_float(t == FC_GGUF_Q4_0 ? 0.002f : 0.0002f);

		for (i = 0; i + blk <= n; i += blk) {
			size_t k;

			p[i] = (unsigned char)d;
			p[i + 1] = (unsigned char)(d >> 8);
			for (k = 2; k < blk; k += 8) {
				uint64_t v = fc_splitmix64(rng);
				size_t m = blk - k < 8 ? blk - k : 8;
				memcpy(p + i + k, &v, m);
			}
		}
		break;
	}
	}
}

enum fc_status
fc_gguf_write(FILE *f, const struct fc_gguf_shape *s, enum fc_gguf_type t,
    const char *name, uint64_t seed, fc_gguf_progress_fn progress, void *ctx)
{
	struct buf b = { 0 };
	unsigned char *chunk = NULL;
	enum fc_status st = FC_OK;
	uint64_t i, done = 0, total;
	static const unsigned char zeros[FC_GGUF_ALIGN];

	build_header(&b, s, t, name);
	if (b.oom) {
		st = FC_ENOMEM;
		goto out;
	}
	total = b.n + data_bytes(s, t);
	if (fwrite(b.p, 1, b.n, f) != b.n) {
		st = FC_EIO;
		goto out;
	}
	done = b.n;
	chunk = fc_malloc(CHUNK);
	if (chunk == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	for (i = 0; i < n_tensors(s); i++) {
		struct tdesc td;
		uint64_t left, pad, rng = seed ^ (0xa0761d6478bd642fULL * (i + 1));
		size_t unit;

		tensor_at(s, t, i, &td);
		/* whole blocks per chunk keep every quantized block in one fill() */
		unit = td.type == FC_GGUF_Q8_0 ? 34 : td.type == FC_GGUF_Q4_0 ? 18 : 4;
		left = tensor_bytes(&td);
		while (left > 0) {
			size_t n = left < CHUNK / unit * unit ? (size_t)left :
			    CHUNK / unit * unit;

			fill(chunk, n, td.type, &rng);
			if (fwrite(chunk, 1, n, f) != n) {
				st = FC_EIO;
				goto out;
			}
			left -= n;
			done += n;
			if (progress && progress(ctx, done, total)) {
				st = FC_EIO;
				goto out;
			}
		}
		pad = align_up(tensor_bytes(&td), FC_GGUF_ALIGN) - tensor_bytes(&td);
		if (pad && fwrite(zeros, 1, (size_t)pad, f) != pad) {
			st = FC_EIO;
			goto out;
		}
		done += pad;
	}
	if (progress)
		progress(ctx, done, total);
out:
	fc_free(chunk);
	fc_free(b.p);
	return st;
}

/* ---- reading ---- */

struct rd {
	const unsigned char *p;
	size_t n, pos;
	const char *file;
	struct fc_diags *d;
	int failed;
	int oom;          /* the failure was an allocation's */
};

static int
rd_need(struct rd *r, uint64_t k, const char *what)
{
	if (r->failed)
		return -1;
	if (k > r->n - r->pos) {
		struct fc_loc loc = { r->file, 0, 0, 0 };
		fc_error(r->d, loc, "truncated at byte %zu reading %s", r->pos, what);
		r->failed = 1;
		return -1;
	}
	return 0;
}

static uint64_t
rd_le(struct rd *r, int bytes, const char *what)
{
	uint64_t v = 0;
	int i;

	if (rd_need(r, (uint64_t)bytes, what))
		return 0;
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->pos + (size_t)i] << (8 * i);
	r->pos += (size_t)bytes;
	return v;
}

static void rd_fail(struct rd *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
rd_fail(struct rd *r, const char *fmt, ...)
{
	struct fc_loc loc = { r->file, 0, 0, 0 };
	char msg[256];
	va_list ap;

	if (r->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fc_error(r->d, loc, "%s (at byte %zu)", msg, r->pos);
	r->failed = 1;
}

/* Reads a GGUF string; returns a NUL-terminated copy when keep, else NULL. */
static char *
rd_str(struct rd *r, int keep, const char *what)
{
	uint64_t n = rd_le(r, 8, what);
	char *s = NULL;

	if (rd_need(r, n, what))
		return NULL;
	if (keep) {
		s = fc_strndup((const char *)r->p + r->pos, (size_t)n);
		if (s == NULL) {
			r->failed = r->oom = 1;   /* FC_ENOMEM, not a diagnostic */
			return NULL;
		}
		if (strlen(s) != n) {
			fc_free(s);
			rd_fail(r, "%s with a NUL byte", what);
			return NULL;
		}
	}
	r->pos += (size_t)n;
	return s;
}

static int
scalar_size(uint32_t t)
{
	static const int sz[] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };

	return t < sizeof(sz) / sizeof(sz[0]) ? sz[t] : -1;
}

static double
scalar_value(uint32_t t, uint64_t v)
{
	float f;
	double dd;

	switch (t) {
	case FC_GGUF_V_I8: return (double)(int8_t)v;
	case FC_GGUF_V_I16: return (double)(int16_t)v;
	case FC_GGUF_V_I32: return (double)(int32_t)v;
	case FC_GGUF_V_I64: return (double)(int64_t)v;
	case FC_GGUF_V_F32: { uint32_t u = (uint32_t)v; memcpy(&f, &u, 4); return f; }
	case FC_GGUF_V_F64: memcpy(&dd, &v, 8); return dd;
	default: return (double)v;
	}
}

/* Skips (or reads into kv) one value of type t; depth bounds nesting. */
static void
rd_value(struct rd *r, uint32_t t, struct fc_gguf_kv *kv, int depth)
{
	int sz = scalar_size(t);

	if (r->failed)
		return;
	if (t == FC_GGUF_V_STR) {
		char *s = rd_str(r, kv != NULL, "a string value");
		if (kv)
			kv->str = s;
		return;
	}
	if (t == FC_GGUF_V_ARR) {
		uint32_t et = (uint32_t)rd_le(r, 4, "an array type");
		uint64_t n = rd_le(r, 8, "an array length"), i;

		if (r->failed)
			return;
		if (depth > 4 || (et != FC_GGUF_V_STR && et != FC_GGUF_V_ARR &&
		    scalar_size(et) <= 0)) {
			rd_fail(r, "bad array element type %u", (unsigned)et);
			return;
		}
		if (kv) {
			kv->arr_type = (enum fc_gguf_vtype)et;
			kv->arr_len = n;
			kv->arr_off = r->pos;
		}
		if (scalar_size(et) > 0) {
			if (n > (r->n - r->pos) / (uint64_t)scalar_size(et)) {
				rd_fail(r, "array of %llu elements runs past the end",
				    (unsigned long long)n);
				return;
			}
			r->pos += (size_t)(n * (uint64_t)scalar_size(et));
			return;
		}
		for (i = 0; i < n && !r->failed; i++) {
			if (kv && i == 0 && et == FC_GGUF_V_STR)
				kv->arr_first = rd_str(r, 1, "an array string");
			else
				rd_value(r, et, NULL, depth + 1);
		}
		return;
	}
	if (sz <= 0) {
		rd_fail(r, "unknown value type %u", (unsigned)t);
		return;
	}
	{
		uint64_t v = rd_le(r, sz, "a value");
		if (kv && !r->failed) {
			if (t == FC_GGUF_V_BOOL && v > 1)
				rd_fail(r, "bool value %u", (unsigned)v);
			kv->num = scalar_value(t, v);
		}
	}
}

enum fc_status
fc_gguf_info_parse(const char *file, const unsigned char *buf, size_t len,
    struct fc_gguf_info **out, struct fc_diags *d)
{
	struct rd r = { buf, len, 0, file, d, 0, 0 };
	struct fc_gguf_info *g;
	uint64_t i, end = 0;

	*out = NULL;
	g = fc_calloc(1, sizeof(*g));
	if (g == NULL)
		return FC_ENOMEM;
	if (rd_need(&r, 4, "the magic") == 0) {
		if (memcmp(buf, GGUF_MAGIC, 4) != 0)
			rd_fail(&r, "not a GGUF file (bad magic)");
		r.pos = 4;
	}
	g->version = (uint32_t)rd_le(&r, 4, "the version");
	if (!r.failed && (g->version < 2 || g->version > 3))
		rd_fail(&r, "unsupported GGUF version %u", (unsigned)g->version);
	g->n_tensors = rd_le(&r, 8, "the tensor count");
	g->n_kv = rd_le(&r, 8, "the metadata count");
	/* every kv and tensor takes at least 12 bytes: bounds the allocations */
	if (!r.failed && (g->n_kv > len / 12 || g->n_tensors > len / 12))
		rd_fail(&r, "counts larger than the file");
	if (r.failed)
		goto out;
	g->kv = fc_calloc((size_t)g->n_kv, sizeof(*g->kv));
	g->tensors = fc_calloc((size_t)g->n_tensors, sizeof(*g->tensors));
	if (g->kv == NULL || g->tensors == NULL) {
		fc_gguf_info_free(g);
		return FC_ENOMEM;
	}
	g->alignment = FC_GGUF_ALIGN;
	for (i = 0; i < g->n_kv && !r.failed; i++) {
		struct fc_gguf_kv *kv = &g->kv[i];

		kv->key = rd_str(&r, 1, "a key");
		kv->type = (enum fc_gguf_vtype)rd_le(&r, 4, "a value type");
		rd_value(&r, kv->type, kv, 0);
		if (!r.failed && strcmp(kv->key, "general.alignment") == 0) {
			if (kv->type != FC_GGUF_V_U32 || kv->num < 8 ||
			    (uint32_t)kv->num % 8 != 0 || kv->num > 65536)
				rd_fail(&r, "bad general.alignment");
			else
				g->alignment = (uint32_t)kv->num;
		}
	}
	for (i = 0; i < g->n_tensors && !r.failed; i++) {
		struct fc_gguf_tensor *ti = &g->tensors[i];
		uint64_t nel = 1, k, bytes;

		ti->name = rd_str(&r, 1, "a tensor name");
		ti->n_dims = (uint32_t)rd_le(&r, 4, "a tensor rank");
		if (!r.failed && (ti->n_dims < 1 || ti->n_dims > 4)) {
			rd_fail(&r, "tensor rank %u", (unsigned)ti->n_dims);
			break;
		}
		for (k = 0; k < ti->n_dims && !r.failed; k++) {
			ti->dims[k] = rd_le(&r, 8, "a tensor dimension");
			if (ti->dims[k] == 0 || ti->dims[k] > ((uint64_t)1 << 40) / nel)
				rd_fail(&r, "tensor dimension %llu",
				    (unsigned long long)ti->dims[k]);
			else
				nel *= ti->dims[k];
		}
		ti->type = (uint32_t)rd_le(&r, 4, "a tensor type");
		ti->offset = rd_le(&r, 8, "a tensor offset");
		if (r.failed)
			break;
		if (ti->offset % g->alignment != 0)
			rd_fail(&r, "tensor offset %llu is not aligned",
			    (unsigned long long)ti->offset);
		else if (ti->offset < end)
			rd_fail(&r, "tensor offset %llu overlaps the previous tensor",
			    (unsigned long long)ti->offset);
		bytes = 0;
		switch (ti->type) {
		case FC_GGUF_F32: bytes = 4 * nel; break;
		case FC_GGUF_F16: bytes = 2 * nel; break;
		case FC_GGUF_Q4_0: case FC_GGUF_Q8_0:
			if (ti->dims[0] % FC_GGUF_QBLOCK != 0)
				rd_fail(&r, "quantized row of %llu weights",
				    (unsigned long long)ti->dims[0]);
			bytes = fc_gguf_type_bytes((enum fc_gguf_type)ti->type, nel);
			break;
		default:
			bytes = 0;   /* other formats: size unknown here */
		}
		end = ti->offset + bytes;
	}
	if (!r.failed) {
		g->data_offset = align_up(r.pos, g->alignment);
		g->data_size = end;
	}
out:
	if (r.failed) {
		fc_gguf_info_free(g);
		return r.oom ? FC_ENOMEM : FC_EINVAL;
	}
	*out = g;
	return FC_OK;
}

void
fc_gguf_info_free(struct fc_gguf_info *g)
{
	uint64_t i;

	if (g == NULL)
		return;
	if (g->kv)
		for (i = 0; i < g->n_kv; i++) {
			fc_free(g->kv[i].key);
			fc_free(g->kv[i].str);
			fc_free(g->kv[i].arr_first);
		}
	if (g->tensors)
		for (i = 0; i < g->n_tensors; i++)
			fc_free(g->tensors[i].name);
	fc_free(g->kv);
	fc_free(g->tensors);
	fc_free(g);
}

const struct fc_gguf_kv *
fc_gguf_info_get(const struct fc_gguf_info *g, const char *key)
{
	uint64_t i;

	for (i = 0; i < g->n_kv; i++)
		if (g->kv[i].key && strcmp(g->kv[i].key, key) == 0)
			return &g->kv[i];
	return NULL;
}

const struct fc_gguf_tensor *
fc_gguf_info_tensor(const struct fc_gguf_info *g, const char *name)
{
	uint64_t i;

	for (i = 0; i < g->n_tensors; i++)
		if (g->tensors[i].name && strcmp(g->tensors[i].name, name) == 0)
			return &g->tensors[i];
	return NULL;
}
