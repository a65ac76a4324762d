/*
 * modelref.h: what a scenario's flat.model may name besides a catalog
 * MODEL-QUANT id, resolved to a struct fc_model:
 *
 *   - a GGUF file (a path starting with ./ or / and ending in .gguf):
 *     parameters counted from its tensor table, weights size the file's,
 *     layers, heads, KV heads, head size, context length and expert
 *     counts from its metadata, so the KV cache per token and a mixture
 *     of experts' active parameters follow;
 *   - a mapping {name, like, quant} (a catalog model's shape under your
 *     name: a fine-tune) or {name, params_b, weights_gb,
 *     kv_bytes_per_token[, active_params_b][, quant]};
 *   - the model a bench profile measured: a throughput point of the
 *     scenario's hardware whose model is the name given (the profile's
 *     header line, verbatim), with the shape bench recorded.
 *
 * No printing: errors go to the caller's diagnostics at the node.
 */
#ifndef FC_MODELREF_H
#define FC_MODELREF_H

#include "data.h"
#include "fc.h"
#include "ynode.h"

/* The shape of a model in a GGUF file's header, read from path (the
 * metadata and tensor table; the weights are not read).  m->id and
 * m->name are the file's general.name (else the file name without
 * .gguf); *q the quantization of general.file_type (q4_k_m's slot, with
 * *q_known 0, for a type outside fc_quant_names), whose weights_gb is the
 * file's size.  FC_EINVAL (a diagnostic at loc) when there is no such
 * file or it is no GGUF model, FC_EIO when it cannot be read. */
enum fc_status fc_modelref_from_gguf(const char *path, struct fc_loc loc,
    struct fc_model *m, enum fc_quant *q, int *q_known, struct fc_diags *d);

/* What fc_modelref_resolve found. */
struct fc_model_ref {
	struct fc_model model;   /* owned: fc_model_clear() */
	enum fc_quant quant;
	char *ref;               /* owned: the name profile points match,
	                            "qwen2.5-7b-q4_k_m" for a catalog model */
	const char *kind;        /* "catalog", "gguf", "like", "mapping", "profile" */
};

/*
 * Resolves flat.model node n (a scalar or a mapping) against the catalog
 * and the scenario's hardware hw (its profile points; may be NULL).  dir:
 * the scenario's directory, for relative GGUF paths.  FC_OK fills *out;
 * else errors at n (FC_EINVAL), FC_EIO, FC_ENOMEM.
 */
enum fc_status fc_modelref_resolve(const struct fc_ynode *n, const char *dir,
    const struct fc_catalog *cat, const struct fc_hw *hw,
    struct fc_model_ref *out, struct fc_diags *d);

#endif /* FC_MODELREF_H */
