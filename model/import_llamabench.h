/*
 * import_llamabench.h: llama.cpp's llama-bench output as measured
 * throughput points of a hardware entry.
 *
 * Reads every form llama-bench writes or people post: `-o json` (an array
 * of result objects), `-o jsonl` (one object a line), `-o csv` (a header
 * row, then one row per result) and `-o md`, the markdown table (model,
 * size, params, backend, ngl, ..., test, t/s) that is also what issues and
 * forums quote, with or without extra columns (threads, n_batch, fa, ...)
 * and with text around it.  A test reads "pp512", "tg128", "pp 512",
 * "tg 128", "pp512 @ d4096" (the prompt processed after a 4096-token
 * context); "pp512+tg128" mixes both and is skipped.
 *
 * Pure parsing of a buffer: the caller reads the file and decides where
 * the points go.  Errors name file:line:col and the expected form.
 */
#ifndef FC_IMPORT_LLAMABENCH_H
#define FC_IMPORT_LLAMABENCH_H

#include <stddef.h>

#include "data.h"
#include "fc.h"

enum fc_lb_format { FC_LB_AUTO, FC_LB_JSON, FC_LB_JSONL, FC_LB_CSV, FC_LB_MD, FC_LB_NFORMATS };
/* "auto", "json", "jsonl", "csv", "md" */
extern const char *const fc_llamabench_format_names[FC_LB_NFORMATS + 1];

/* One result: a prompt-processing (n_gen == 0) or generation (n_prompt ==
 * 0) test. */
struct fc_lb_row {
	char *model_type;      /* "qwen2 7B Q4_K - Medium" */
	char *model_file;      /* model_filename (json, csv), else NULL */
	char *backend;         /* "CUDA", "Metal", "CPU", ... */
	char *gpu;             /* gpu_info (json, csv), else NULL */
	double size_gb;        /* the model file's weights, GB (1e9 bytes) */
	double params_b;       /* billions of parameters */
	double ngl;            /* layers on the GPU; NAN when not given */
	double n_prompt, n_gen, n_depth; /* tokens */
	double tok_s, tok_s_sd;          /* t/s: mean and standard deviation (0: none) */
	struct fc_loc loc;     /* where the result is in the file */
};

struct fc_llamabench {
	enum fc_lb_format format;  /* the one read (never AUTO) */
	struct fc_lb_row *rows;    /* owned */
	size_t n;
	size_t skipped;            /* tests that are neither pp nor tg (pp+tg) */
};

/*
 * Parses buf (len bytes read from name) in format fmt (AUTO: "[" starts
 * JSON, "{" JSONL, a "|" table markdown, else CSV).  FC_EINVAL with a
 * diagnostic for a malformed file, a result missing a field, or a number
 * that is not one; FC_EINVAL too when no result is found.  On error *out
 * holds nothing.
 */
enum fc_status fc_llamabench_parse(const char *buf, size_t len, const char *name,
    enum fc_lb_format fmt, struct fc_llamabench *out, struct fc_diags *d);
void fc_llamabench_clear(struct fc_llamabench *lb);

/*
 * The measured point of one model in the results: the rows whose
 * model_type, size and params equal those of the first row with model_type
 * `type` (NULL: the first row's), with its prompt processing at depth 0
 * (the pp test closest to 512 tokens) as prefill_tok_s, its generation at
 * depth 0 as decode_tok_s {1: t/s} with context_tokens = n_gen / 2 (tg128:
 * 64), the standard deviations as *_sd, and its generation tests after a
 * prefilled context ("@ dN") as by_context curves at N + n_gen / 2.  The
 * point is named model_id, with engine "llama.cpp", basis "measured",
 * as_of and source copied.  FC_EINVAL with a diagnostic when that model
 * has no pp or no tg test at depth 0.  Free with fc_llamabench_point_clear.
 */
enum fc_status fc_llamabench_point(const struct fc_llamabench *lb, const char *type,
    const char *model_id, const char *as_of, const char *source,
    struct fc_tpoint *out, struct fc_diags *d);
void fc_llamabench_point_clear(struct fc_tpoint *t);

#endif
