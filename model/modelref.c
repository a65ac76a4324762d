/*
 * modelref.c: flat.model resolved from a catalog id, a GGUF file, a
 * mapping or a bench profile's measured point (see modelref.h).
 */
#include "modelref.h"
#include "gguf.h"
#include "schema.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define GGUF_HEAD_MAX (128u << 20)   /* header bytes read at most */

static const struct fc_gguf_kv *
kv_arch(const struct fc_gguf_info *g, const char *arch, const char *key)
{
	char k[160];

	snprintf(k, sizeof(k), "%s.%s", arch, key);
	return fc_gguf_info_get(g, k);
}

static double
kv_num(const struct fc_gguf_info *g, const char *arch, const char *key, double def)
{
	const struct fc_gguf_kv *v = kv_arch(g, arch, key);

	return v && v->type != FC_GGUF_V_STR && v->type != FC_GGUF_V_ARR ? v->num : def;
}

/* general.file_type (llama.cpp's LLAMA_FTYPE_*) as a quantization. */
static int
ftype_quant(double ft)
{
	switch ((int)ft) {
	case 1: return FC_F16;
	case 2: return FC_Q4_0;
	case 7: return FC_Q8_0;
	case 15: return FC_Q4_K_M;
	}
	return -1;
}

/* Reads up to GGUF_HEAD_MAX bytes of path; *size gets the file's size. */
static enum fc_status
read_head(const char *path, unsigned char **buf, size_t *len, double *size,
    struct fc_loc loc, struct fc_diags *d)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	size_t want;

	*buf = NULL;
	if (f == NULL && errno == ENOENT)
		return fc_error(d, loc, "no GGUF file %s (a path is relative to the "
		    "scenario's folder)", path);
	if (f == NULL || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (f)
			fclose(f);
		fc_error(d, loc, "cannot read the GGUF file %s", path);
		return FC_EIO;
	}
	*size = (double)sb.st_size;
	want = (size_t)sb.st_size < GGUF_HEAD_MAX ? (size_t)sb.st_size : GGUF_HEAD_MAX;
	if ((*buf = fc_malloc(want ? want : 1)) == NULL) {
		fclose(f);
		return FC_ENOMEM;
	}
	*len = fread(*buf, 1, want, f);
	fclose(f);
	if (*len != want) {
		fc_free(*buf);
		*buf = NULL;
		fc_error(d, loc, "cannot read the GGUF file %s", path);
		return FC_EIO;
	}
	return FC_OK;
}

/* Parameters in the tensor table, and those of the experts' tensors. */
static void
count_params(const struct fc_gguf_info *g, double *all, double *experts)
{
	uint64_t i;
	uint32_t k;

	*all = *experts = 0;
	for (i = 0; i < g->n_tensors; i++) {
		const struct fc_gguf_tensor *t = &g->tensors[i];
		double n = 1;

		for (k = 0; k < t->n_dims && k < 4; k++)
			n *= (double)t->dims[k];
		*all += n;
		if (strstr(t->name, "_exps") != NULL)
			*experts += n;
	}
}

/* The name: general.name, else the file name without .gguf. */
static char *
gguf_name(const struct fc_gguf_info *g, const char *path)
{
	const struct fc_gguf_kv *v = fc_gguf_info_get(g, "general.name");
	const char *base = strrchr(path, '/');
	char *s;
	size_t n;

	if (v && v->type == FC_GGUF_V_STR && v->str && v->str[0])
		return fc_strdup(v->str);
	base = base ? base + 1 : path;
	if ((s = fc_strdup(base)) == NULL)
		return NULL;
	n = strlen(s);
	if (n > 5 && strcmp(s + n - 5, ".gguf") == 0)
		s[n - 5] = '\0';
	return s;
}

/* Fills m's shape from the parsed header g. */
static enum fc_status
shape_from(const struct fc_gguf_info *g, const char *path, double size,
    struct fc_loc loc, struct fc_model *m, enum fc_quant *q, int *q_known,
    struct fc_diags *d)
{
	const struct fc_gguf_kv *av = fc_gguf_info_get(g, "general.architecture");
	const struct fc_gguf_kv *hk, *tok, *ft;
	const char *arch;
	double all, exps, n_exp, n_used;
	int qi;

	if (av == NULL || av->type != FC_GGUF_V_STR || av->str == NULL)
		return fc_error(d, loc, "%s: no general.architecture: expected a GGUF "
		    "model file", path);
	arch = av->str;
	m->layers = (long)kv_num(g, arch, "block_count", 0);
	m->embd = (long)kv_num(g, arch, "embedding_length", 0);
	m->ff = (long)kv_num(g, arch, "feed_forward_length", 0);
	m->heads = (long)kv_num(g, arch, "attention.head_count", 0);
	hk = kv_arch(g, arch, "attention.head_count_kv");
	if (hk && hk->type == FC_GGUF_V_ARR)
		return fc_error(d, loc, "%s: KV heads vary by layer (an array); "
		    "give flat.model as a mapping with kv_bytes_per_token", path);
	m->kv_heads = hk ? (long)hk->num : m->heads;
	m->head_dim = (long)kv_num(g, arch, "attention.key_length",
	    m->heads > 0 ? (double)(m->embd / m->heads) : 0);
	m->context_length = (long)kv_num(g, arch, "context_length", 0);
	tok = fc_gguf_info_get(g, "tokenizer.ggml.tokens");
	m->vocab = tok && tok->type == FC_GGUF_V_ARR ? (long)tok->arr_len :
	    (long)kv_num(g, arch, "vocab_size", 0);
	if (m->layers < 1 || m->heads < 1 || m->kv_heads < 1 || m->head_dim < 1)
		return fc_error(d, loc, "%s: the header lacks %s.block_count, "
		    "attention.head_count or the head size: give flat.model as a "
		    "mapping {name, params_b, weights_gb, kv_bytes_per_token}", path, arch);
	/* f16 KV cache: K and V, per layer, per KV head, 2 bytes each */
	m->kv_bytes_per_token = 2.0 * (double)m->layers * (double)m->kv_heads *
	    (double)m->head_dim * 2;
	count_params(g, &all, &exps);
	m->params_b = all / 1e9;
	n_exp = kv_num(g, arch, "expert_count", 0);
	n_used = kv_num(g, arch, "expert_used_count", 0);
	if (n_exp > 1 && n_used > 0 && n_used < n_exp && exps > 0) {
		m->active_params_b = (all - exps + exps * n_used / n_exp) / 1e9;
		m->experts = (long)n_exp;
		m->experts_given = 1;
	}
	ft = fc_gguf_info_get(g, "general.file_type");
	qi = ft ? ftype_quant(ft->num) : -1;
	*q_known = qi >= 0;
	*q = qi >= 0 ? (enum fc_quant)qi : FC_Q4_K_M;
	m->weights_gb[*q] = size / 1e9;
	if (!(m->params_b > 0))
		return fc_error(d, loc, "%s: no tensors in the header", path);
	return FC_OK;
}

enum fc_status
fc_modelref_from_gguf(const char *path, struct fc_loc loc, struct fc_model *m,
    enum fc_quant *q, int *q_known, struct fc_diags *d)
{
	struct fc_gguf_info *g = NULL;
	unsigned char *buf;
	size_t len = 0;
	double size = 0;
	enum fc_status st;

	memset(m, 0, sizeof(*m));
	m->loc = loc;
	if ((st = read_head(path, &buf, &len, &size, loc, d)) != FC_OK)
		return st;
	st = fc_gguf_info_parse(path, buf, len, &g, d);
	fc_free(buf);
	if (st == FC_OK)
		st = shape_from(g, path, size, loc, m, q, q_known, d);
	if (st == FC_OK) {
		m->name = gguf_name(g, path);
		m->id = m->name ? fc_strdup(m->name) : NULL;
		m->source = fc_strdup(path);
		m->weights_basis = fc_strdup("measured");
		if (m->name == NULL || m->id == NULL || m->source == NULL ||
		    m->weights_basis == NULL)
			st = FC_ENOMEM;
	}
	fc_gguf_info_free(g);
	if (st != FC_OK)
		fc_model_clear(m);
	return st;
}

/* ---- flat.model ---- */

static int
is_gguf_path(const char *s)
{
	size_t n = strlen(s);

	return (s[0] == '/' || s[0] == '.') && n > 5 && strcmp(s + n - 5, ".gguf") == 0;
}

static enum fc_status
set_ref(struct fc_model_ref *out, const char *ref, const char *kind)
{
	out->kind = kind;
	fc_free(out->ref);
	out->ref = fc_strdup(ref);
	return out->ref ? FC_OK : FC_ENOMEM;
}

/* Renames m to name (id and display name). */
static enum fc_status
rename_model(struct fc_model *m, const char *name)
{
	fc_free(m->id);
	fc_free(m->name);
	m->id = fc_strdup(name);
	m->name = fc_strdup(name);
	return m->id && m->name ? FC_OK : FC_ENOMEM;
}

static enum fc_status
from_gguf(const struct fc_ynode *n, const char *dir, struct fc_model_ref *out,
    struct fc_diags *d)
{
	size_t ld = strlen(dir), ls = strlen(n->str);
	char *path = fc_malloc(ld + ls + 2);
	enum fc_status st;
	int known = 0;

	if (path == NULL)
		return FC_ENOMEM;
	if (n->str[0] == '/')
		memcpy(path, n->str, ls + 1);
	else
		snprintf(path, ld + ls + 2, "%s/%s", dir, n->str);
	{
		/* errors may name the file: the name lives as long as d */
		const char *named = fc_diags_intern(d, path);

		fc_free(path);
		if (d->oom)
			return FC_ENOMEM;
		st = fc_modelref_from_gguf(named, n->loc, &out->model, &out->quant, &known, d);
	}
	if (st == FC_OK && !known)
		fc_warning(d, n->loc, "the GGUF file's type is none of q4_0, q4_k_m, "
		    "q8_0, f16: its size is taken as is, reported under q4_k_m");
	if (st == FC_OK)
		st = set_ref(out, out->model.id, "gguf");
	return st;
}

/* A throughput point of hw measured on model name, with its shape. */
static const struct fc_tpoint *
measured_point(const struct fc_hw *hw, const char *name)
{
	size_t i;

	for (i = 0; hw && i < hw->npoints; i++)
		if (hw->points[i].model && strcmp(hw->points[i].model, name) == 0)
			return &hw->points[i];
	return NULL;
}

static enum fc_status
from_point(const struct fc_ynode *n, const struct fc_tpoint *p,
    struct fc_model_ref *out, struct fc_diags *d)
{
	struct fc_model *m = &out->model;
	int qi = p->quant ? fc_quant_index(p->quant) : -1;

	if (!(p->kv_bytes_per_token > 0))
		return fc_error(d, n->loc, "model '%s' is the one the hardware profile "
		    "measured, but the profile does not record its KV cache "
		    "(kv_bytes_per_token): rerun bench with --gguf FILE or --like "
		    "MODEL, or give flat.model as a mapping {name: %s, like: MODEL, "
		    "quant: Q}", n->str, n->str);
	memset(m, 0, sizeof(*m));
	m->loc = n->loc;
	m->params_b = p->params_b;
	m->active_params_b = p->active_params_b;
	m->kv_bytes_per_token = p->kv_bytes_per_token;
	out->quant = qi >= 0 ? (enum fc_quant)qi : FC_Q4_K_M;
	m->weights_gb[out->quant] = p->weights_gb;
	m->source = fc_strdup("the hardware profile's measured point");
	if (m->source == NULL || rename_model(m, n->str) != FC_OK)
		return FC_ENOMEM;
	return set_ref(out, n->str, "profile");
}

/* A catalog model by its id without quantization. */
static const struct fc_model *
catalog_by_id(const struct fc_catalog *cat, const char *id)
{
	size_t i;

	for (i = 0; i < cat->nmodels; i++)
		if (strcmp(cat->models[i].id, id) == 0)
			return &cat->models[i];
	return NULL;
}

static enum fc_status
from_map(const struct fc_ynode *n, const struct fc_catalog *cat,
    struct fc_model_ref *out, struct fc_diags *d)
{
	char *name = NULL, *like = NULL, *quant = NULL;
	double params = 0, weights = 0, kv = 0, active = 0;
	long experts = 0;
	struct fc_field f[] = {
		{ "name", FT_STR, &name, 1, 0, 0, 0, "the model's name (what bench's profile calls it)", NULL },
		{ "like", FT_STR, &like, 0, 0, 0, 0, "a catalog model id such as qwen2.5-7b", NULL },
		{ "quant", FT_STR, &quant, 0, 0, 0, 0, "q4_0, q4_k_m, q8_0 or f16", NULL },
		{ "params_b", FT_DOUBLE, &params, 0, 0, 1e4, 1, "billions of parameters > 0", NULL },
		{ "active_params_b", FT_DOUBLE, &active, 0, 0, 1e4, 1, "billions of parameters a token uses > 0", NULL },
		{ "experts", FT_INT, &experts, 0, 0, 1e6, 0, "a whole number of experts, 0 for none", NULL },
		{ "weights_gb", FT_DOUBLE, &weights, 0, 0, 1e4, 1, "GB of weights > 0", NULL },
		{ "kv_bytes_per_token", FT_DOUBLE, &kv, 0, 0, 1e9, 1, "bytes > 0", NULL },
	};
	const struct fc_model *base;
	enum fc_status st;
	int qi = -1;

	st = fc_schema_read(n, "flat.model", f, LEN(f), d);
	if (st == FC_OK && quant && (qi = fc_quant_index(quant)) < 0)
		st = fc_error(d, fc_ynode_get(n, "quant")->loc, "unknown "
		    "quantization '%s': expected q4_0, q4_k_m, q8_0 or f16", quant);
	if (st == FC_OK && like) {
		if ((base = catalog_by_id(cat, like)) == NULL)
			st = fc_error(d, fc_ynode_get(n, "like")->loc, "unknown model "
			    "'%s': expected a catalog model id such as qwen2.5-7b (see "
			    "`flatcost data models`)", like);
		else if (qi < 0)
			st = fc_error(d, n->loc, "flat.model with like: needs quant "
			    "(q4_0, q4_k_m, q8_0 or f16): the weights' size depends on it");
		else if ((st = fc_model_copy(&out->model, base)) == FC_OK) {
			out->model.loc = n->loc;
			st = rename_model(&out->model, name);
		}
		out->quant = qi >= 0 ? (enum fc_quant)qi : FC_Q4_K_M;
	} else if (st == FC_OK) {
		if (!(params > 0) || !(weights > 0) || !(kv > 0))
			st = fc_error(d, n->loc, "flat.model as a mapping needs like: "
			    "MODEL and quant, or params_b, weights_gb and "
			    "kv_bytes_per_token");
		else {
			memset(&out->model, 0, sizeof(out->model));
			out->model.loc = n->loc;
			out->quant = qi >= 0 ? (enum fc_quant)qi : FC_Q4_K_M;
			out->model.kv_bytes_per_token = kv;
			out->model.source = fc_strdup("the scenario");
			st = out->model.source ? rename_model(&out->model, name) : FC_ENOMEM;
		}
	}
	if (st == FC_OK) {
		/* the mapping's figures over the base model's */
		if (params > 0)
			out->model.params_b = params;
		if (active > 0)
			out->model.active_params_b = active;
		if (fc_ynode_get(n, "experts")) {
			out->model.experts = experts;
			out->model.experts_given = 1;
		}
		if (weights > 0) {
			out->model.weights_gb[out->quant] = weights;
			out->model.weights_estimated &= ~(1u << out->quant);
		}
		if (kv > 0)
			out->model.kv_bytes_per_token = kv;
		st = set_ref(out, name, like ? "like" : "mapping");
	}
	fc_free(name);
	fc_free(like);
	fc_free(quant);
	return st;
}

/* The error for a name that is nothing known. */
static enum fc_status
unknown(const struct fc_ynode *n, const struct fc_catalog *cat,
    struct fc_diags *d)
{
	const char *ids[512], *sug, *first = NULL;
	char buf[8192];
	size_t nids, i, len = strlen(n->str);

	nids = fc_catalog_ids(cat, FC_KIND_MODELS, ids, buf, sizeof(buf), 512);
	sug = fc_suggest(n->str, ids, nids);
	/* a model named without its quantization: the one with q4_k_m, the
	 * most common, or the first */
	for (i = 0; i < nids; i++)
		if (strncmp(ids[i], n->str, len) == 0 && ids[i][len] == '-') {
			if (first == NULL)
				first = ids[i];
			if (strcmp(ids[i] + len, "-q4_k_m") == 0)
				first = ids[i];
		}
	if (first)
		return fc_error(d, n->loc, "unknown model '%s': a model reference names "
		    "its quantization too (did you mean '%s'?)", n->str, first);
	if (sug)
		return fc_error(d, n->loc, "unknown model '%s' (did you mean '%s'?)",
		    n->str, sug);
	return fc_error(d, n->loc,
	    "unknown model '%s': expected MODEL-QUANT such as qwen2.5-7b-q4_k_m (see "
	    "`flatcost data models`), a GGUF file (./FILE.gguf), a mapping {name, "
	    "like, quant}, or the model a bench profile given as flat.hardware "
	    "measured", n->str);
}

enum fc_status
fc_modelref_resolve(const struct fc_ynode *n, const char *dir,
    const struct fc_catalog *cat, const struct fc_hw *hw,
    struct fc_model_ref *out, struct fc_diags *d)
{
	const struct fc_model *m;
	const struct fc_tpoint *p;
	enum fc_status st;

	memset(out, 0, sizeof(*out));
	if (n->kind == FC_Y_MAP)
		return from_map(n, cat, out, d);
	if (n->kind != FC_Y_SCALAR || n->len == 0)
		return fc_error(d, n->loc, "expected a model reference such as "
		    "qwen2.5-7b-q4_k_m, a GGUF file, or a mapping {name, like, quant}");
	if ((m = fc_catalog_model(cat, n->str, &out->quant)) != NULL) {
		if ((st = fc_model_copy(&out->model, m)) != FC_OK)
			return st;
		/* the scenario's line names it (the catalog's own location
		 * lives in the catalog loader's diagnostics, not the scenario's) */
		out->model.loc = n->loc;
		return set_ref(out, n->str, "catalog");
	}
	if (is_gguf_path(n->str))
		return from_gguf(n, dir, out, d);
	if ((p = measured_point(hw, n->str)) != NULL)
		return from_point(n, p, out, d);
	return unknown(n, cat, d);
}
