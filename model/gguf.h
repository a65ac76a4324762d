/*
 * gguf.h: GGUF v3 model files, written from the format's specification
 * (ggml docs/gguf.md) for `flatcost synth-model`, and read back (header,
 * metadata and tensor table only) for checks and tests.
 *
 * A synthetic model has the llama architecture, random weights and a
 * byte-level vocabulary: decode speed depends on the shape and the tensor
 * format, not on the weight values, so a 70B-shaped file benchmarks like
 * the real one without the download.  Everything is little-endian; tensor
 * data is aligned to FC_GGUF_ALIGN bytes.
 *
 * Ownership: fc_gguf_info_parse() allocates *out, fc_gguf_info_free()
 * releases it (NULL is fine).  fc_gguf_write() writes to the caller's FILE
 * and never closes it.
 */
#ifndef FC_GGUF_H
#define FC_GGUF_H

#include <stdint.h>
#include <stdio.h>

#include "fc.h"

#define FC_GGUF_ALIGN 32      /* general.alignment we write */
#define FC_GGUF_QBLOCK 32     /* weights per Q4_0 / Q8_0 block */

/* Tensor formats (values are ggml_type). */
enum fc_gguf_type {
	FC_GGUF_F32 = 0,
	FC_GGUF_F16 = 1,
	FC_GGUF_Q4_0 = 2,      /* 18 bytes per 32 weights: f16 scale + 16 nibble bytes */
	FC_GGUF_Q8_0 = 8,      /* 34 bytes per 32 weights: f16 scale + 32 int8 */
};

/* Parses "q4_0", "q8_0", "f16" (case-insensitive).  Returns 0 on success. */
int fc_gguf_type_parse(const char *s, enum fc_gguf_type *out);
const char *fc_gguf_type_name(enum fc_gguf_type t);
/* Bytes for n weights (n a multiple of the block size for quantized types). */
uint64_t fc_gguf_type_bytes(enum fc_gguf_type t, uint64_t n);

/* The shape of a llama-architecture model. */
struct fc_gguf_shape {
	uint64_t layers;      /* llama.block_count */
	uint64_t embd;        /* llama.embedding_length */
	uint64_t ff;          /* llama.feed_forward_length */
	uint64_t heads;       /* llama.attention.head_count */
	uint64_t kv_heads;    /* llama.attention.head_count_kv; 0: same as heads */
	uint64_t head_dim;    /* key/value length; 0: embd / heads */
	uint64_t vocab;       /* tokens, at least FC_GGUF_MIN_VOCAB */
	uint64_t context;     /* llama.context_length; 0: 4096 */
};

/* Specials (unk, bos, eos), 256 byte tokens, the SentencePiece space and
 * the 94 printable ASCII characters. */
#define FC_GGUF_MIN_VOCAB 354

/* Checks a shape for a format: positive sizes, heads dividing evenly, an
 * even head size (RoPE), and for quantized formats every row length a
 * multiple of 32.  Appends one error per problem (loc.file names the
 * option source given by the caller) and returns FC_EINVAL, else FC_OK.
 * Fills kv_heads, head_dim and context when 0. */
enum fc_status fc_gguf_shape_check(struct fc_gguf_shape *s,
    enum fc_gguf_type t, struct fc_diags *d);
/* Parameters of a checked shape (embeddings and output matrix included). */
uint64_t fc_gguf_shape_params(const struct fc_gguf_shape *s);
/* Exact size in bytes of the file fc_gguf_write() writes for this shape
 * (name is general.name). */
uint64_t fc_gguf_file_size(const struct fc_gguf_shape *s, enum fc_gguf_type t,
    const char *name);

/* Called now and then with bytes written so far and the total; a nonzero
 * return stops the write (fc_gguf_write then returns FC_EIO). */
typedef int (*fc_gguf_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Writes a complete model to f: header, metadata (architecture, shape,
 * vocabulary, file type), tensor table, and random tensor data drawn from
 * seed (the same seed gives the same bytes).  The shape must have passed
 * fc_gguf_shape_check.  Returns FC_OK, FC_EIO (write failed or stopped),
 * FC_ENOMEM.
 */
enum fc_status fc_gguf_write(FILE *f, const struct fc_gguf_shape *s,
    enum fc_gguf_type t, const char *name, uint64_t seed,
    fc_gguf_progress_fn progress, void *ctx);

/* ---- reading back ---- */

enum fc_gguf_vtype {
	FC_GGUF_V_U8 = 0, FC_GGUF_V_I8, FC_GGUF_V_U16, FC_GGUF_V_I16,
	FC_GGUF_V_U32, FC_GGUF_V_I32, FC_GGUF_V_F32, FC_GGUF_V_BOOL,
	FC_GGUF_V_STR, FC_GGUF_V_ARR, FC_GGUF_V_U64, FC_GGUF_V_I64,
	FC_GGUF_V_F64,
};

struct fc_gguf_kv {
	char *key;
	enum fc_gguf_vtype type;
	double num;             /* numeric and bool values */
	char *str;              /* string values (NUL-terminated copy) */
	enum fc_gguf_vtype arr_type;  /* arrays: element type */
	uint64_t arr_len;       /* arrays: element count */
	char *arr_first;        /* arrays of strings: first element, else NULL */
	size_t arr_off;         /* arrays: the first element's offset in the
	                           parsed buffer (elements checked in bounds) */
};

struct fc_gguf_tensor {
	char *name;
	uint32_t n_dims;
	uint64_t dims[4];
	uint32_t type;          /* ggml_type */
	uint64_t offset;        /* from the start of the data section */
};

struct fc_gguf_info {
	uint32_t version;
	uint64_t n_tensors, n_kv;
	uint32_t alignment;
	uint64_t data_offset;   /* file offset of the data section */
	uint64_t data_size;     /* bytes the tensors need (last offset + size) */
	struct fc_gguf_kv *kv;
	struct fc_gguf_tensor *tensors;
};

/* Parses the header, metadata and tensor table in buf (the first len bytes
 * of a file named file).  Structural errors (bad magic, truncation,
 * misaligned or overlapping offsets, unknown value types) are diagnostics
 * and FC_EINVAL. */
enum fc_status fc_gguf_info_parse(const char *file, const unsigned char *buf,
    size_t len, struct fc_gguf_info **out, struct fc_diags *d);
void fc_gguf_info_free(struct fc_gguf_info *g);
const struct fc_gguf_kv *fc_gguf_info_get(const struct fc_gguf_info *g,
    const char *key);
const struct fc_gguf_tensor *fc_gguf_info_tensor(const struct fc_gguf_info *g,
    const char *name);

#endif
