/*
 * data.c: loading and looking up the bundled data (see data.h).
 */
#include "data.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "stats.h"

const char *const fc_quant_names[FC_NQUANT + 1] = { "q4_0", "q4_k_m", "q8_0", "f16", NULL };

int
fc_quant_index(const char *name)
{
	int q;

	for (q = 0; q < FC_NQUANT; q++)
		if (strcmp(name, fc_quant_names[q]) == 0)
			return q;
	return -1;
}

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The string members of each entry, so that clearing and copying walk one
 * list instead of naming every member twice.
 */
#define STR(type, f) offsetof(struct type, f)

static const size_t price_strs[] = {
	STR(fc_price, id), STR(fc_price, as_of), STR(fc_price, source),
	STR(fc_price, note), STR(fc_price, deprecated), STR(fc_price, shutdown),
	STR(fc_price, successor), STR(fc_price, origin),
};
static const size_t tpoint_strs[] = {
	STR(fc_tpoint, model), STR(fc_tpoint, engine), STR(fc_tpoint, basis),
	STR(fc_tpoint, as_of), STR(fc_tpoint, source), STR(fc_tpoint, quant),
};
static const size_t hw_strs[] = {
	STR(fc_hw, id), STR(fc_hw, name), STR(fc_hw, price_as_of),
	STR(fc_hw, price_source), STR(fc_hw, mem_bandwidth_basis),
	STR(fc_hw, compute_basis), STR(fc_hw, efficiency_basis),
	STR(fc_hw, as_of), STR(fc_hw, source), STR(fc_hw, note),
	STR(fc_hw, origin), STR(fc_hw, usd_per_eur_as_of), STR(fc_hw, price_basis),
};
static const size_t model_strs[] = {
	STR(fc_model, id), STR(fc_model, name), STR(fc_model, weights_basis),
	STR(fc_model, as_of), STR(fc_model, source), STR(fc_model, note),
};

#undef STR

static char **
str_at(void *obj, size_t off)
{
	return (char **)((char *)obj + off);
}

static void
strs_free(void *obj, const size_t *off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fc_free(*str_at(obj, off[i]));
}

/*
 * Replaces every listed member of dst (a shallow copy of src) by its own
 * copy, or NULL where that fails, so that dst can be cleared whatever
 * happens.  Returns nonzero when an allocation failed.
 */
static int
strs_dup(void *dst, const void *src, const size_t *off, size_t n)
{
	const char *s;
	char **p;
	size_t i;
	int oom = 0;

	for (i = 0; i < n; i++) {
		s = *(char *const *)((const char *)src + off[i]);
		p = str_at(dst, off[i]);
		*p = s ? fc_strdup(s) : NULL;
		if (s && *p == NULL)
			oom = 1;
	}
	return oom;
}

void
fc_price_clear(struct fc_price *p)
{
	strs_free(p, price_strs, LEN(price_strs));
	memset(p, 0, sizeof(*p));
}

static void
tpoint_clear(struct fc_tpoint *t)
{
	strs_free(t, tpoint_strs, LEN(tpoint_strs));
	memset(t, 0, sizeof(*t));
}

void
fc_hw_clear(struct fc_hw *h)
{
	size_t i;

	for (i = 0; i < h->npoints; i++)
		tpoint_clear(&h->points[i]);
	fc_free(h->points);
	strs_free(h, hw_strs, LEN(hw_strs));
	memset(h, 0, sizeof(*h));
}

void
fc_model_clear(struct fc_model *m)
{
	strs_free(m, model_strs, LEN(model_strs));
	memset(m, 0, sizeof(*m));
}

enum fc_status
fc_price_copy(struct fc_price *dst, const struct fc_price *src)
{
	*dst = *src;
	if (strs_dup(dst, src, price_strs, LEN(price_strs))) {
		fc_price_clear(dst);
		return FC_ENOMEM;
	}
	return FC_OK;
}

enum fc_status
fc_hw_copy(struct fc_hw *dst, const struct fc_hw *src)
{
	int oom;
	size_t i;

	*dst = *src;
	dst->points = NULL;
	dst->npoints = 0;
	oom = strs_dup(dst, src, hw_strs, LEN(hw_strs));
	if (!oom && src->npoints) {
		dst->points = fc_calloc(src->npoints, sizeof(*dst->points));
		if (dst->points == NULL)
			oom = 1;
		for (i = 0; !oom && i < src->npoints; i++) {
			dst->points[i] = src->points[i];
			dst->npoints++;
			oom = strs_dup(&dst->points[i], &src->points[i],
			    tpoint_strs, LEN(tpoint_strs));
		}
	}
	if (oom) {
		fc_hw_clear(dst);
		return FC_ENOMEM;
	}
	return FC_OK;
}

enum fc_status
fc_model_copy(struct fc_model *dst, const struct fc_model *src)
{
	*dst = *src;
	if (strs_dup(dst, src, model_strs, LEN(model_strs))) {
		fc_model_clear(dst);
		return FC_ENOMEM;
	}
	return FC_OK;
}

static enum fc_status
set_id(char **dst, const char *id)
{
	*dst = fc_strdup(id);
	return *dst ? FC_OK : FC_ENOMEM;
}

/*
 * Loaders read every entry to report all the errors in one run: keeps an
 * entry's error in *st and says whether to stop, which only running out
 * of memory does.
 */
static int
keep_error(enum fc_status *st, enum fc_status r)
{
	if (r != FC_OK)
		*st = r;
	return r == FC_ENOMEM;
}

enum fc_status
fc_price_read(const struct fc_ynode *n, const char *id, int need_dates,
    struct fc_price *p, struct fc_diags *d)
{
	enum fc_status st, r;
	double cached = -1, cw = -1, cw1h = -1, tcached = -1;
	const struct fc_ynode *tier = NULL;
	struct fc_field f[] = {
		{ "input", FT_DOUBLE, &p->input, 1, 0, 1e6, 0, "USD per million input tokens >= 0", NULL },
		{ "cached_input", FT_DOUBLE, &cached, 0, 0, 1e6, 0, "USD per million cached input tokens >= 0", NULL },
		{ "cache_write", FT_DOUBLE, &cw, 0, 0, 1e6, 0, "USD per million tokens written to a 5-minute cache >= 0", NULL },
		{ "cache_write_1h", FT_DOUBLE, &cw1h, 0, 0, 1e6, 0, "USD per million tokens written to a 1-hour cache >= 0", NULL },
		{ "min_cache_tokens", FT_DOUBLE, &p->min_cache_tokens, 0, 0, 1e8, 0, "the shortest cacheable prefix, tokens >= 0", NULL },
		{ "output", FT_DOUBLE, &p->output, 1, 0, 1e6, 0, "USD per million output tokens >= 0", NULL },
		{ "batch_discount", FT_DOUBLE, &p->batch_discount, 0, 0, 1, 0, "a fraction off between 0 and 1", NULL },
		{ "priority", FT_DOUBLE, &p->priority, 0, 1, 100, 0, "a price multiplier >= 1, e.g. 1.8", NULL },
		{ "flex", FT_DOUBLE, &p->flex, 0, 0, 1, 1, "a price multiplier in (0, 1], e.g. 0.5", NULL },
		{ "tier", FT_NODE, &tier, 0, 0, 0, 0, NULL, NULL },
		{ "as_of", FT_DATE, &p->as_of, need_dates, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "source", FT_STR, &p->source, need_dates, 0, 0, 0, "where the price was seen", NULL },
		{ "note", FT_STR, &p->note, 0, 0, 0, 0, NULL, NULL },
		{ "deprecated", FT_DATE, &p->deprecated, 0, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "shutdown", FT_DATE, &p->shutdown, 0, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "successor", FT_STR, &p->successor, 0, 0, 0, 0, "the replacement's price id, e.g. openai/gpt-5.1", NULL },
	};
	struct fc_field tf[] = {
		{ "above_tokens", FT_DOUBLE, &p->tier_above, 1, 0, 1e9, 1, "input tokens > 0 above which a call bills at the tier prices", NULL },
		{ "input", FT_DOUBLE, &p->tier_input, 1, 0, 1e6, 0, "USD per million input tokens >= 0", NULL },
		{ "cached_input", FT_DOUBLE, &tcached, 0, 0, 1e6, 0, "USD per million cached input tokens >= 0", NULL },
		{ "output", FT_DOUBLE, &p->tier_output, 1, 0, 1e6, 0, "USD per million output tokens >= 0", NULL },
	};

	memset(p, 0, sizeof(*p));
	p->loc = n->loc;
	if ((st = set_id(&p->id, id)) != FC_OK)
		return st;
	st = fc_schema_read(n, strcmp(id, "inline") ? id : "the inline price", f, LEN(f), d);
	if (st != FC_ENOMEM && tier &&
	    (r = fc_schema_read(tier, "tier", tf, LEN(tf), d)) != FC_OK)
		st = r;
	p->cached_input = cached >= 0 ? cached : p->input;
	p->cache_write = cw >= 0 ? cw : p->input;
	p->cache_write_1h = cw1h >= 0 ? cw1h : p->cache_write;
	p->tier_cached_input = tcached >= 0 ? tcached :
	    p->input > 0 ? p->tier_input * p->cached_input / p->input : p->tier_input;
	return st;
}

/* decode_tok_s: {1: 5.96, 4: 9.8}, into conc[], tok_s[] (*n points) */
static enum fc_status
read_curve_into(const struct fc_ynode *n, double *conc, double *tok_s,
    size_t *np, struct fc_diags *d)
{
	size_t i, j;

	if (n->kind != FC_Y_MAP || n->n == 0)
		return fc_error(d, n->loc,
		    "'decode_tok_s' must map concurrency to tokens per second, e.g. {1: 5.96, 4: 9.8}");
	if (n->n > FC_MAX_CURVE)
		return fc_error(d, n->loc, "at most %d points in a decode curve",
		    FC_MAX_CURVE);
	for (i = 0; i < n->n; i++) {
		double c, v;
		const struct fc_ynode *vn = n->vals[i];

		if (fc_ynode_parse_double(n->keys[i]->str, &c) || c < 1 || c > 4096 ||
		    c != floor(c))
			return fc_error(d, n->keys[i]->loc,
			    "concurrency '%s' must be a whole number from 1 to 4096",
			    n->keys[i]->str);
		if (vn->kind != FC_Y_SCALAR || fc_ynode_parse_double(vn->str, &v) || !(v > 0))
			return fc_error(d, vn->loc,
			    "decode throughput must be a number of tokens per second > 0");
		/* insertion keeps the curve sorted by concurrency */
		for (j = *np; j > 0 && conc[j - 1] > c; j--) {
			conc[j] = conc[j - 1];
			tok_s[j] = tok_s[j - 1];
		}
		if (j > 0 && conc[j - 1] == c)
			return fc_error(d, n->keys[i]->loc,
			    "concurrency %g appears twice", c);
		conc[j] = c;
		tok_s[j] = v;
		(*np)++;
	}
	return FC_OK;
}

static enum fc_status
read_curve(const struct fc_ynode *n, struct fc_tpoint *t, struct fc_diags *d)
{
	return read_curve_into(n, t->conc, t->tok_s, &t->n, d);
}

/* by_context: [{context_tokens: 40, prefill_tok_s: 900, decode_tok_s: {1: 545}}, ...] */
static enum fc_status
read_by_context(const struct fc_ynode *n, struct fc_tpoint *t, struct fc_diags *d)
{
	size_t i, j;
	enum fc_status st;

	if (n->kind != FC_Y_SEQ || n->n == 0)
		return fc_error(d, n->loc, "'by_context' must be a list of "
		    "{context_tokens: N, prefill_tok_s: X, decode_tok_s: {1: Y}}");
	if (n->n > FC_MAX_CONTEXTS)
		return fc_error(d, n->loc, "at most %d context lengths in by_context",
		    FC_MAX_CONTEXTS);
	for (i = 0; i < n->n; i++) {
		struct fc_ctxpoint c;
		const struct fc_ynode *curve = NULL;
		struct fc_field f[] = {
			{ "context_tokens", FT_DOUBLE, &c.context_tokens, 1, 0, 1e7, 0, "the mean context in tokens during decode (prompt + half the output)", NULL },
			{ "prefill_tok_s", FT_DOUBLE, &c.prefill_tok_s, 0, 0, 1e9, 1, "prompt tokens per second > 0", NULL },
			{ "decode_tok_s", FT_NODE, &curve, 1, 0, 0, 0, "a map of concurrency to decode tokens per second", NULL },
		};

		memset(&c, 0, sizeof(c));
		if ((st = fc_schema_read(n->vals[i], "by_context entry", f, LEN(f), d)) != FC_OK)
			return st;
		if ((st = read_curve_into(curve, c.conc, c.tok_s, &c.n, d)) != FC_OK)
			return st;
		/* insertion keeps the list sorted by context */
		for (j = t->n_ctx; j > 0 && t->by_ctx[j - 1].context_tokens > c.context_tokens; j--)
			t->by_ctx[j] = t->by_ctx[j - 1];
		if (j > 0 && t->by_ctx[j - 1].context_tokens == c.context_tokens)
			return fc_error(d, n->vals[i]->loc, "context_tokens %g appears twice",
			    c.context_tokens);
		t->by_ctx[j] = c;
		t->n_ctx++;
	}
	return FC_OK;
}

/* decode_tok_s_sd: {1: 0.4, 4: 1.1}, each concurrency one of the curve's */
static enum fc_status
read_curve_sd(const struct fc_ynode *n, struct fc_tpoint *t, struct fc_diags *d)
{
	size_t i, j;

	if (n->kind != FC_Y_MAP)
		return fc_error(d, n->loc, "'decode_tok_s_sd' must map concurrency "
		    "to a standard deviation in tokens per second, e.g. {1: 0.4}");
	for (i = 0; i < n->n; i++) {
		double c, v;
		const struct fc_ynode *vn = n->vals[i];

		if (fc_ynode_parse_double(n->keys[i]->str, &c))
			c = -1;
		for (j = 0; j < t->n && t->conc[j] != c; j++)
			;
		if (j == t->n)
			return fc_error(d, n->keys[i]->loc, "concurrency '%s' is not "
			    "in decode_tok_s", n->keys[i]->str);
		if (vn->kind != FC_Y_SCALAR || fc_ynode_parse_double(vn->str, &v) ||
		    !(v >= 0) || v > t->tok_s[j])
			return fc_error(d, vn->loc, "a standard deviation must be a "
			    "number of tokens per second from 0 to the figure itself");
		t->tok_s_sd[j] = v;
	}
	return FC_OK;
}

static const char *const bool_words[] = { "false", "true", NULL };

static enum fc_status
read_tpoint(const struct fc_ynode *n, int need_dates, struct fc_tpoint *t,
    struct fc_diags *d)
{
	const struct fc_ynode *curve = NULL, *curve_sd = NULL, *by_ctx = NULL, *slo = NULL;
	enum fc_status st;
	struct fc_field f[] = {
		{ "model", FT_STR, &t->model, 1, 0, 0, 0, "the measured model id, e.g. llama-2-7b-q4_k_m", NULL },
		{ "params_b", FT_DOUBLE, &t->params_b, 1, 0, 1e4, 1, "billions of parameters > 0", NULL },
		{ "weights_gb", FT_DOUBLE, &t->weights_gb, 1, 0, 1e4, 1, "GB of weights > 0", NULL },
		{ "kv_bytes_per_token", FT_DOUBLE, &t->kv_bytes_per_token, 0, 0, 1e9, 1, "bytes > 0", NULL },
		{ "active_params_b", FT_DOUBLE, &t->active_params_b, 0, 0, 1e4, 1, "billions of parameters a token uses > 0", NULL },
		{ "quant", FT_STR, &t->quant, 0, 0, 0, 0, NULL, NULL },
		{ "engine", FT_STR, &t->engine, 0, 0, 0, 0, NULL, NULL },
		{ "threads", FT_DOUBLE, &t->threads, 0, 0, 4096, 0, "a thread count", NULL },
		{ "prefill_tok_s", FT_DOUBLE, &t->prefill_tok_s, 1, 0, 1e9, 1, "prompt tokens per second > 0", NULL },
		{ "decode_tok_s", FT_NODE, &curve, 1, 0, 0, 0, "a map of concurrency to decode tokens per second", NULL },
		{ "prefill_tok_s_sd", FT_DOUBLE, &t->prefill_sd, 0, 0, 1e9, 0, "a standard deviation >= 0, tokens per second", NULL },
		{ "decode_tok_s_sd", FT_NODE, &curve_sd, 0, 0, 0, 0, NULL, NULL },
		{ "repeat", FT_DOUBLE, &t->repeat, 0, 0, 1e6, 0, "the number of runs", NULL },
		{ "context_tokens", FT_DOUBLE, &t->context_tokens, 0, 0, 1e7, 0, "the mean context in tokens while decode was measured (prompt + half the output)", NULL },
		{ "by_context", FT_NODE, &by_ctx, 0, 0, 0, 0, NULL, NULL },
		{ "slo_search", FT_NODE, &slo, 0, 0, 0, 0, NULL, NULL },
		{ "basis", FT_STR, &t->basis, 0, 0, 0, 0, NULL, NULL },
		{ "as_of", FT_DATE, &t->as_of, need_dates, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "source", FT_STR, &t->source, need_dates, 0, 0, 0, "where the figure was measured", NULL },
	};

	t->loc = n->loc;
	st = fc_schema_read(n, "throughput point", f, LEN(f), d);
	if (st == FC_OK && curve)
		st = read_curve(curve, t, d);
	if (st == FC_OK && curve_sd)
		st = read_curve_sd(curve_sd, t, d);
	if (st == FC_OK && by_ctx)
		st = read_by_context(by_ctx, t, d);
	if (st == FC_OK && slo) {
		int lower = 0;
		struct fc_field sf[] = {
			{ "attainment", FT_DOUBLE, &t->slo_attainment, 1, 0, 1, 1, "a share in (0, 1]", NULL },
			{ "max_concurrency", FT_DOUBLE, &t->slo_max_concurrency, 1, 0, 4096, 1, "a number of streams > 0", NULL },
			{ "ttft_s", FT_DOUBLE, &t->slo_ttft_s, 0, 0, 1e6, 1, "seconds > 0", NULL },
			{ "tpot_s", FT_DOUBLE, &t->slo_tpot_s, 0, 0, 1e6, 1, "seconds > 0", NULL },
			{ "e2e_s", FT_DOUBLE, &t->slo_e2e_s, 0, 0, 1e6, 1, "seconds > 0", NULL },
			{ "lower_bound_only", FT_ENUM, &lower, 0, 0, 0, 0, NULL, bool_words },
		};
		st = fc_schema_read(slo, "slo_search", sf, LEN(sf), d);
		t->slo_lower_bound = lower;
	}
	return st;
}

static const char *const hw_kinds[] = { "cpu", "gpu", NULL };
const char *const fc_memory_names[] = { "unknown", "ddr", "gddr", "hbm", NULL };
const char *const fc_tensor_rate_names[] = { "unknown", "full", "half", NULL };
const char *const fc_arch_names[] = { "unknown", "volta", "turing", "ampere", "ada",
	"hopper", "blackwell", NULL };

/* A price or speed written as a distribution ({dist: ...} or "A to B") is
 * read as a number that may be uncertain (FT_NUM, into monthly_num, ...);
 * a plain number stays an FT_DOUBLE field, its errors as they were. */
static int
is_dist_node(const struct fc_ynode *v)
{
	return v != NULL && (v->kind == FC_Y_MAP ||
	    (v->kind == FC_Y_SCALAR && v->str != NULL && strstr(v->str, " to ") != NULL));
}

/* The numbers of an entry that may be uncertain: each double field and
 * the struct fc_num it is the mean of. */
static struct fc_num *
num_of(struct fc_hw *h, const void *ptr)
{
	return ptr == &h->monthly_price ? &h->monthly_num :
	    ptr == &h->hourly_price ? &h->hourly_num :
	    ptr == &h->setup_price ? &h->setup_num :
	    ptr == &h->mem_bandwidth_gbs ? &h->bw_num :
	    ptr == &h->compute_gflops ? &h->gflops_num :
	    ptr == &h->eta_decode ? &h->eta_decode_num :
	    ptr == &h->eta_prefill ? &h->eta_prefill_num : NULL;
}

static double *
mean_of(struct fc_hw *h, const void *ptr)
{
	return ptr == &h->monthly_num ? &h->monthly_price :
	    ptr == &h->hourly_num ? &h->hourly_price :
	    ptr == &h->setup_num ? &h->setup_price :
	    ptr == &h->bw_num ? &h->mem_bandwidth_gbs :
	    ptr == &h->gflops_num ? &h->compute_gflops :
	    ptr == &h->eta_decode_num ? &h->eta_decode :
	    ptr == &h->eta_prefill_num ? &h->eta_prefill : NULL;
}

/* A number of the entry written as a distribution: read after the table
 * (FT_NODE there), its errors naming the bare key ("monthly_price"), the
 * location naming the file. */
struct pending_num {
	const struct fc_ynode *node;
	struct fc_num *num;
	const struct fc_field *f;
};

static size_t
num_fields(const struct fc_ynode *n, struct fc_field *f, size_t nf, struct fc_hw *h,
    struct pending_num *pend, const struct fc_field *orig)
{
	size_t i, k = 0;

	for (i = 0; i < nf; i++) {
		struct fc_num *num = num_of(h, f[i].ptr);
		const struct fc_ynode *v = fc_ynode_get(n, f[i].key);
		if (num != NULL && is_dist_node(v)) {
			pend[k].node = v;
			pend[k].num = num;
			pend[k].f = &orig[i];
			k++;
			f[i].type = FT_NODE;
			f[i].ptr = &pend[k - 1].node;
		}
	}
	return k;
}

/* After the table: the pending distributions parsed, the double fields
 * their means; a number given as a plain number is its constant. */
static enum fc_status
num_means(const struct fc_field *f, size_t nf, struct fc_hw *h, const char *prefix,
    const struct pending_num *pend, size_t np, struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	size_t i;

	for (i = 0; i < np; i++) {
		const struct fc_field *o = pend[i].f;
		char key[64];
		snprintf(key, sizeof(key), "%s%s", prefix, o->key);
		if ((r = fc_num_parse_key(pend[i].node, key, o->lo, o->hi, o->lo_open,
		    o->what, pend[i].num, d)) != FC_OK) {
			st = st == FC_ENOMEM ? st : r;
			continue;
		}
		*mean_of(h, pend[i].num) = fc_num_mean(pend[i].num);
	}
	for (i = 0; i < nf; i++) {
		struct fc_num *num = num_of(h, f[i].ptr);
		if (num != NULL && f[i].type == FT_DOUBLE)
			*num = fc_num_const(*(double *)f[i].ptr);
	}
	return st;
}

enum fc_status
fc_hw_read(const struct fc_ynode *n, const char *id, int need_dates,
    struct fc_hw *h, struct fc_diags *d)
{
	const struct fc_ynode *eff = NULL, *tp = NULL;
	enum fc_status st, r;
	size_t i, np;
	struct pending_num pend[7];
	struct fc_field f[] = {
		{ "name", FT_STR, &h->name, 0, 0, 0, 0, NULL, NULL },
		{ "kind", FT_ENUM, &h->gpu, 0, 0, 0, 0, NULL, hw_kinds },
		{ "memory", FT_ENUM, &h->memory, 0, 0, 0, 0, NULL, fc_memory_names },
		{ "tensor_rate", FT_ENUM, &h->tensor_rate, 0, 0, 0, 0, NULL, fc_tensor_rate_names },
		{ "arch", FT_ENUM, &h->arch, 0, 0, 0, 0, NULL, fc_arch_names },
		{ "board_power_w", FT_DOUBLE, &h->board_power_w, 0, 0, 1e5, 1, "watts > 0 (the board's power limit)", NULL },
		{ "sm_count", FT_INT, &h->sm_count, 0, 1, 1e5, 0, "a whole number of streaming multiprocessors >= 1", NULL },
		{ "boost_clock_mhz", FT_DOUBLE, &h->boost_clock_mhz, 0, 0, 1e5, 1, "MHz > 0", NULL },
		{ "vcpu", FT_DOUBLE, &h->vcpu, 0, 0, 1e5, 0, "a number of vCPUs", NULL },
		{ "ram_gb", FT_DOUBLE, &h->ram_gb, 1, 0, 1e6, 1, "GB of RAM > 0", NULL },
		{ "vram_gb", FT_DOUBLE, &h->vram_gb, 0, 0, 1e5, 0, "GB of GPU memory >= 0", NULL },
		{ "monthly_price", FT_DOUBLE, &h->monthly_price, 1, 0, 1e7, 0, "USD per month >= 0", NULL },
		{ "hourly_price", FT_DOUBLE, &h->hourly_price, 0, 0, 1e5, 0, "USD per hour >= 0", NULL },
		{ "setup_price", FT_DOUBLE, &h->setup_price, 0, 0, 1e7, 0, "USD per server >= 0, paid once when the server is added", NULL },
		{ "monthly_price_eur", FT_DOUBLE, &h->monthly_price_eur, 0, 0, 1e7, 0, "EUR per month >= 0, as listed", NULL },
		{ "usd_per_eur", FT_DOUBLE, &h->usd_per_eur, 0, 0, 100, 1, "the USD per EUR rate monthly_price was converted at, e.g. 1.15", NULL },
		{ "usd_per_eur_as_of", FT_DATE, &h->usd_per_eur_as_of, 0, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "price_as_of", FT_DATE, &h->price_as_of, 0, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "price_source", FT_STR, &h->price_source, 0, 0, 0, 0, NULL, NULL },
		{ "price_basis", FT_STR, &h->price_basis, 0, 0, 0, 0, NULL, NULL },
		{ "mem_bandwidth_gbs", FT_DOUBLE, &h->mem_bandwidth_gbs, 1, 0, 1e5, 1, "GB/s > 0", NULL },
		{ "mem_bandwidth_basis", FT_STR, &h->mem_bandwidth_basis, 0, 0, 0, 0, NULL, NULL },
		{ "compute_gflops", FT_DOUBLE, &h->compute_gflops, 1, 0, 1e9, 1, "GFLOP/s > 0", NULL },
		{ "compute_basis", FT_STR, &h->compute_basis, 0, 0, 0, 0, NULL, NULL },
		{ "efficiency", FT_NODE, &eff, 0, 0, 0, 0, NULL, NULL },
		{ "efficiency_basis", FT_STR, &h->efficiency_basis, 0, 0, 0, 0, NULL, NULL },
		{ "as_of", FT_DATE, &h->as_of, need_dates, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "source", FT_STR, &h->source, need_dates, 0, 0, 0, "where the figures come from", NULL },
		{ "note", FT_STR, &h->note, 0, 0, 0, 0, NULL, NULL },
		{ "throughput", FT_NODE, &tp, 0, 0, 0, 0, NULL, NULL },
	};
	struct fc_field ef[] = {
		{ "decode", FT_DOUBLE, &h->eta_decode, 1, 0, 1, 1, "an efficiency in (0, 1]", NULL },
		{ "prefill", FT_DOUBLE, &h->eta_prefill, 1, 0, 1, 1, "an efficiency in (0, 1]", NULL },
	};

	memset(h, 0, sizeof(*h));
	h->loc = n->loc;
	h->eta_decode = h->eta_prefill = 1;
	if ((st = set_id(&h->id, id)) != FC_OK)
		return st;
	h->monthly_num = fc_num_const(0);
	h->hourly_num = fc_num_const(0);
	h->setup_num = fc_num_const(0);
	h->bw_num = fc_num_const(0);
	h->gflops_num = fc_num_const(0);
	h->eta_decode_num = fc_num_const(1);
	h->eta_prefill_num = fc_num_const(1);
	np = num_fields(n, f, LEN(f), h, pend, f);
	st = fc_schema_read(n, id, f, LEN(f), d);
	if (st == FC_ENOMEM)
		return st;
	if ((r = num_means(f, LEN(f), h, "", pend, np, d)) != FC_OK)
		st = r;
	if (eff) {
		np = num_fields(eff, ef, LEN(ef), h, pend, ef);
		if ((r = fc_schema_read(eff, "efficiency", ef, LEN(ef), d)) != FC_OK)
			st = r;
		if ((r = num_means(ef, LEN(ef), h, "efficiency.", pend, np, d)) != FC_OK)
			st = r;
	}
	h->eta_given = eff != NULL;
	if (h->price_basis && fc_price_basis_index(h->price_basis) < 0) {
		const struct fc_ynode *b = fc_ynode_get(n, "price_basis");
		st = fc_error(d, b ? b->loc : n->loc, "%s: price_basis '%s': expected monthly, "
		    "on-demand, spot, serverless or reserved", id, h->price_basis);
	}
	if (st == FC_OK && h->monthly_price_eur > 0 &&
	    fabs(h->monthly_price_eur * h->usd_per_eur - h->monthly_price) > 0.01)
		st = fc_error(d, n->loc,
		    "%s: monthly_price %.2f USD is not monthly_price_eur %.2f EUR x usd_per_eur %g (%.2f USD); expected both, agreeing to the cent",
		    id, h->monthly_price, h->monthly_price_eur, h->usd_per_eur,
		    h->monthly_price_eur * h->usd_per_eur);
	if (tp && tp->kind != FC_Y_SEQ && !(tp->kind == FC_Y_SCALAR && tp->len == 0))
		return fc_error(d, tp->loc, "'throughput' must be a list of measured points");
	if (tp && tp->kind == FC_Y_SEQ && tp->n) {
		h->points = fc_calloc(tp->n, sizeof(*h->points));
		if (h->points == NULL)
			return FC_ENOMEM;
		for (i = 0; i < tp->n; i++) {
			h->npoints++;
			if (keep_error(&st, read_tpoint(tp->vals[i], need_dates,
			    &h->points[i], d)))
				return FC_ENOMEM;
		}
	}
	return st;
}

const char *const fc_price_basis_names[] = { "monthly", "on-demand", "spot",
	"serverless", "reserved", NULL };

int
fc_price_basis_index(const char *s)
{
	int i;

	for (i = 0; s && fc_price_basis_names[i]; i++)
		if (strcmp(s, fc_price_basis_names[i]) == 0)
			return i;
	return -1;
}

int
fc_hw_basis_matches(const struct fc_hw *h, const char *basis)
{
	return basis == NULL || (h->price_basis && strcmp(h->price_basis, basis) == 0);
}

enum fc_status
fc_hw_load_profile(const char *path, struct fc_hw *out, struct fc_diags *d)
{
	struct fc_ynode *root = NULL;
	enum fc_status st;

	memset(out, 0, sizeof(*out));
	if ((st = fc_ynode_load_file(path, &root, d)) != FC_OK)
		return st;
	st = fc_hw_read(root, path, 0, out, d);
	fc_ynode_free(root);
	return st;
}

/*
 * weights_estimated: the quantizations whose weights_gb is an estimate
 * (no published file's size was found), a list of fc_quant_names; and
 * weights_basis, where given, agrees with it: measured (none listed),
 * estimated (all) or mixed (some).
 */
static enum fc_status
read_estimated(const struct fc_ynode *n, struct fc_model *m, struct fc_diags *d)
{
	static const char want[] = "a list of quantizations whose size is estimated, "
	    "e.g. [q4_0, f16] (q4_0, q4_k_m, q8_0, f16)";
	size_t i;
	unsigned all = (1u << FC_NQUANT) - 1;
	const char *b = m->weights_basis;

	if (n->kind != FC_Y_SEQ)
		return fc_error(d, n->loc, "weights_estimated: expected %s", want);
	for (i = 0; i < n->n; i++) {
		const struct fc_ynode *v = n->vals[i];
		int q = v->kind == FC_Y_SCALAR ? fc_quant_index(v->str) : -1;

		if (q < 0)
			return fc_error(d, v->loc, "weights_estimated: '%s' is not a quantization "
			    "(expected %s)", v->kind == FC_Y_SCALAR ? v->str : "", want);
		m->weights_estimated |= 1u << q;
	}
	if (b && ((strcmp(b, "measured") == 0 && m->weights_estimated) ||
	    (strcmp(b, "estimated") == 0 && m->weights_estimated != all) ||
	    (strcmp(b, "mixed") == 0 && (m->weights_estimated == 0 || m->weights_estimated == all))))
		return fc_error(d, n->loc, "weights_estimated lists %zu of %d sizes, which "
		    "weights_basis '%s' contradicts (expected measured: none, mixed: some, "
		    "estimated: all)", n->n, FC_NQUANT, b);
	return FC_OK;
}

static enum fc_status
read_model(const struct fc_ynode *n, const char *id, struct fc_model *m,
    struct fc_diags *d)
{
	const struct fc_ynode *w = NULL, *est = NULL;
	enum fc_status st, r;
	struct fc_field f[] = {
		{ "name", FT_STR, &m->name, 0, 0, 0, 0, NULL, NULL },
		{ "params_b", FT_DOUBLE, &m->params_b, 1, 0, 1e4, 1, "billions of parameters > 0", NULL },
		{ "active_params_b", FT_DOUBLE, &m->active_params_b, 0, 0, 1e4, 1, "billions of parameters a token uses > 0, at most params_b", NULL },
		{ "experts", FT_INT, &m->experts, 0, 0, 1e6, 0, "a whole number of experts, 0 for none", NULL },
		{ "layers", FT_INT, &m->layers, 1, 1, 1e4, 0, "a block count >= 1", NULL },
		{ "embd", FT_INT, &m->embd, 1, 1, 1e6, 0, "an embedding length >= 1", NULL },
		{ "ff", FT_INT, &m->ff, 1, 1, 1e7, 0, "a feed-forward length >= 1", NULL },
		{ "heads", FT_INT, &m->heads, 1, 1, 1e4, 0, "a head count >= 1", NULL },
		{ "kv_heads", FT_INT, &m->kv_heads, 1, 1, 1e4, 0, "a KV head count >= 1", NULL },
		{ "head_dim", FT_INT, &m->head_dim, 1, 1, 1e5, 0, "a head dimension >= 1", NULL },
		{ "vocab", FT_INT, &m->vocab, 1, 1, 1e8, 0, "a vocabulary size >= 1", NULL },
		{ "context_length", FT_INT, &m->context_length, 1, 1, 1e8, 0, "a context length >= 1", NULL },
		{ "kv_bytes_per_token", FT_DOUBLE, &m->kv_bytes_per_token, 1, 0, 1e9, 1, "bytes > 0", NULL },
		{ "weights_gb", FT_NODE, &w, 1, 0, 0, 0, "GB per quantization: q4_0, q4_k_m, q8_0, f16", NULL },
		{ "weights_estimated", FT_NODE, &est, 0, 0, 0, 0, NULL, NULL },
		{ "weights_basis", FT_STR, &m->weights_basis, 0, 0, 0, 0, NULL, NULL },
		{ "as_of", FT_DATE, &m->as_of, 1, 0, 0, 0, "a date YYYY-MM-DD", NULL },
		{ "source", FT_STR, &m->source, 1, 0, 0, 0, "where the figures come from", NULL },
		{ "note", FT_STR, &m->note, 0, 0, 0, 0, NULL, NULL },
	};
	struct fc_field wf[FC_NQUANT];
	int q;

	memset(m, 0, sizeof(*m));
	m->loc = n->loc;
	if ((st = set_id(&m->id, id)) != FC_OK)
		return st;
	st = fc_schema_read(n, id, f, LEN(f), d);
	if (st == FC_ENOMEM || w == NULL)
		return st;
	m->experts_given = fc_ynode_get(n, "experts") != NULL;
	for (q = 0; q < FC_NQUANT; q++) {
		wf[q] = (struct fc_field){ fc_quant_names[q], FT_DOUBLE,
		    &m->weights_gb[q], 1, 0, 1e5, 1, "GB > 0", NULL };
	}
	if ((r = fc_schema_read(w, "weights_gb", wf, FC_NQUANT, d)) != FC_OK)
		st = r;
	if (est && (r = read_estimated(est, m, d)) != FC_OK)
		st = r;
	if (m->active_params_b > m->params_b && m->params_b > 0) {
		const struct fc_ynode *a = fc_ynode_get(n, "active_params_b");

		st = fc_error(d, a ? a->loc : n->loc, "active_params_b %g is more than params_b %g "
		    "(expected the parameters a token uses, at most the model's)",
		    m->active_params_b, m->params_b);
	}
	return st;
}

double
fc_model_active_share(const struct fc_model *m)
{
	if (m->active_params_b > 0 && m->params_b > 0 && m->active_params_b < m->params_b)
		return m->active_params_b / m->params_b;
	return 1;
}

int
fc_model_is_moe(const struct fc_model *m)
{
	return fc_model_active_share(m) < 1 && !(m->experts_given && m->experts == 0);
}

void
fc_catalog_free(struct fc_catalog *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nprices; i++)
		fc_price_clear(&c->prices[i]);
	for (i = 0; i < c->nhw; i++)
		fc_hw_clear(&c->hw[i]);
	for (i = 0; i < c->nmodels; i++)
		fc_model_clear(&c->models[i]);
	fc_free(c->prices);
	fc_free(c->hw);
	fc_free(c->models);
	fc_free(c->dir);
	fc_free(c->user_dir);
	fc_free(c);
}

static char *
path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = fc_malloc(la + lb + 2);

	if (p == NULL)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

/* Reads a YAML file whose top level must be a map; *root is freed by the caller. */
static enum fc_status
load_map(const char *path, const char *what, struct fc_ynode **root,
    struct fc_diags *d)
{
	enum fc_status st;

	if ((st = fc_ynode_load_file(path, root, d)) != FC_OK)
		return st;
	return fc_schema_expect_map(*root, what, d);
}

static enum fc_status
load_prices(struct fc_catalog *c, const char *path, struct fc_diags *d)
{
	struct fc_ynode *root = NULL;
	enum fc_status st;
	size_t i, j, total = 0;
	char id[256];

	if ((st = load_map(path, "prices", &root, d)) != FC_OK)
		goto out;
	for (i = 0; i < root->n; i++) {
		if ((st = fc_schema_expect_map(root->vals[i], root->keys[i]->str, d)) != FC_OK)
			goto out;
		total += root->vals[i]->n;
	}
	c->prices = fc_calloc(total, sizeof(*c->prices));
	if (c->prices == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		const struct fc_ynode *prov = root->vals[i];
		for (j = 0; j < prov->n; j++) {
			snprintf(id, sizeof(id), "%s/%s", root->keys[i]->str,
			    prov->keys[j]->str);
			if (keep_error(&st, fc_price_read(prov->vals[j], id, 1,
			    &c->prices[c->nprices++], d)))
				goto out;
		}
	}
out:
	fc_ynode_free(root);
	return st;
}

static enum fc_status
load_models(struct fc_catalog *c, const char *path, struct fc_diags *d)
{
	struct fc_ynode *root = NULL;
	enum fc_status st;
	size_t i;

	if ((st = load_map(path, "models", &root, d)) != FC_OK)
		goto out;
	c->models = fc_calloc(root->n, sizeof(*c->models));
	if (c->models == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	for (i = 0; i < root->n; i++)
		if (keep_error(&st, read_model(root->vals[i], root->keys[i]->str,
		    &c->models[c->nmodels++], d)))
			break;
out:
	fc_ynode_free(root);
	return st;
}

static enum fc_status
load_hw_file(struct fc_catalog *c, const char *path, const char *provider,
    struct fc_diags *d)
{
	struct fc_ynode *root = NULL;
	struct fc_hw *nh;
	enum fc_status st;
	size_t i;
	char id[256];

	if ((st = load_map(path, provider, &root, d)) != FC_OK)
		goto out;
	nh = fc_realloc(c->hw, (c->nhw + root->n + 1) * sizeof(*nh));
	if (nh == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	c->hw = nh;
	for (i = 0; i < root->n; i++) {
		snprintf(id, sizeof(id), "%s/%s", provider, root->keys[i]->str);
		if (keep_error(&st, fc_hw_read(root->vals[i], id, 1,
		    &c->hw[c->nhw++], d)))
			break;
	}
out:
	fc_ynode_free(root);
	return st;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum fc_status
load_hardware(struct fc_catalog *c, const char *dir, struct fc_diags *d)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL, **nn;
	size_t n = 0, i;
	enum fc_status st = FC_OK, r;
	struct fc_loc l = { NULL, 0, 0, 0 };

	if (dp == NULL) {
		l.file = fc_diags_intern(d, dir);
		return fc_error(d, l, "cannot open data directory: %s", strerror(errno));
	}
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
		    e->d_name[0] == '.')
			continue;
		nn = fc_realloc(names, (n + 1) * sizeof(*nn));
		if (nn == NULL || (nn[n] = fc_strndup(e->d_name, len - 5)) == NULL) {
			if (nn)
				names = nn;
			st = FC_ENOMEM;
			break;
		}
		names = nn;
		n++;
	}
	closedir(dp);
	if (st == FC_OK && n)
		qsort(names, n, sizeof(*names), cmp_str);  /* stable order */
	for (i = 0; st != FC_ENOMEM && i < n; i++) {
		char file[1024];
		struct stat sb;
		snprintf(file, sizeof(file), "%s/%s.yaml", dir, names[i]);
		if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			/* a FIFO would block the read; a broken link is no file */
			struct fc_loc fl = { NULL, 0, 0, 0 };
			fl.file = fc_diags_intern(d, file);
			r = fc_error(d, fl, "not a regular file (expected a hardware YAML file)");
		} else {
			r = load_hw_file(c, file, names[i], d);
		}
		if (r != FC_OK)
			st = r;
	}
	for (i = 0; i < n; i++)
		fc_free(names[i]);
	fc_free(names);
	return st;
}

/* The parts of the data directory, in the order they load. */
static const struct {
	const char *name;
	enum fc_status (*load)(struct fc_catalog *, const char *, struct fc_diags *);
} catalog_parts[] = {
	{ "prices.yaml", load_prices },
	{ "models.yaml", load_models },
	{ "hardware", load_hardware },
};

enum fc_status
fc_catalog_load(const char *dir, struct fc_catalog **out, struct fc_diags *d)
{
	struct fc_catalog *c;
	char *p;
	enum fc_status st = FC_OK, r;
	size_t i;

	*out = NULL;
	c = fc_calloc(1, sizeof(*c));
	if (c == NULL || (c->dir = fc_strdup(dir)) == NULL) {
		fc_catalog_free(c);
		return FC_ENOMEM;
	}
	for (i = 0; i < LEN(catalog_parts); i++) {
		if ((p = path_join(dir, catalog_parts[i].name)) == NULL) {
			st = FC_ENOMEM;
			break;
		}
		r = catalog_parts[i].load(c, p, d);
		fc_free(p);
		if (keep_error(&st, r))
			break;
	}
	for (i = 0; st == FC_OK && i < c->nprices; i++)
		if ((c->prices[i].origin = fc_strdup("bundled")) == NULL)
			st = FC_ENOMEM;
	for (i = 0; st == FC_OK && i < c->nhw; i++)
		if ((c->hw[i].origin = fc_strdup("bundled")) == NULL)
			st = FC_ENOMEM;
	if (st != FC_OK) {
		fc_catalog_free(c);
		return st;
	}
	*out = c;
	return FC_OK;
}

/* Gives each entry of the user catalog u the path of the file it came from. */
static enum fc_status
set_user_origins(struct fc_catalog *u)
{
	size_t i, len;
	char *p;

	for (i = 0; i < u->nprices; i++)
		if ((u->prices[i].origin = path_join(u->dir, "prices.yaml")) == NULL)
			return FC_ENOMEM;
	for (i = 0; i < u->nhw; i++) {
		len = strcspn(u->hw[i].id, "/");
		p = fc_malloc(strlen(u->dir) + len + 16);
		if (p == NULL)
			return FC_ENOMEM;
		sprintf(p, "%s/hardware/%.*s.yaml", u->dir, (int)len, u->hw[i].id);
		u->hw[i].origin = p;
	}
	return FC_OK;
}

/*
 * Moves each entry of src (n entries of size sz, ids at id_off) over the
 * entry of dst with the same id (cleared first with clear), or appends
 * it; src's slots are zeroed.
 */
static enum fc_status
merge_entries(void **dst, size_t *ndst, void *src, size_t n, size_t sz,
    size_t id_off, void (*clear)(void *))
{
	size_t i, j;
	char *base;
	void *nd;

	nd = fc_realloc(*dst, (*ndst + n + 1) * sz);
	if (nd == NULL)
		return FC_ENOMEM;
	*dst = nd;
	base = nd;
	for (i = 0; i < n; i++) {
		char *e = (char *)src + i * sz;
		const char *id = *(char **)(e + id_off);
		for (j = 0; j < *ndst; j++)
			if (strcmp(*(char **)(base + j * sz + id_off), id) == 0)
				break;
		if (j < *ndst)
			clear(base + j * sz);
		else
			(*ndst)++;
		memcpy(base + j * sz, e, sz);
		memset(e, 0, sz);
	}
	return FC_OK;
}

static void price_clear_v(void *p) { fc_price_clear(p); }
static void hw_clear_v(void *p) { fc_hw_clear(p); }
static void model_clear_v(void *p) { fc_model_clear(p); }

enum fc_status
fc_prices_check_file(const char *path, struct fc_diags *d)
{
	struct fc_catalog c;
	enum fc_status st;
	size_t i;

	memset(&c, 0, sizeof(c));
	st = load_prices(&c, path, d);
	for (i = 0; i < c.nprices; i++)
		fc_price_clear(&c.prices[i]);
	fc_free(c.prices);
	return st;
}

enum fc_status
fc_hw_check_file(const char *path, const char *provider, struct fc_diags *d)
{
	struct fc_catalog c;
	enum fc_status st;
	size_t i;

	memset(&c, 0, sizeof(c));
	st = load_hw_file(&c, path, provider, d);
	for (i = 0; i < c.nhw; i++)
		fc_hw_clear(&c.hw[i]);
	fc_free(c.hw);
	return st;
}

enum fc_status
fc_catalog_put_prices(struct fc_catalog *c, struct fc_price *src, size_t n)
{
	return merge_entries((void **)&c->prices, &c->nprices, src, n,
	    sizeof(*src), offsetof(struct fc_price, id), price_clear_v);
}

enum fc_status
fc_catalog_put_hw(struct fc_catalog *c, struct fc_hw *src, size_t n)
{
	return merge_entries((void **)&c->hw, &c->nhw, src, n, sizeof(*src),
	    offsetof(struct fc_hw, id), hw_clear_v);
}

/*
 * What a part of the user data directory is: FC_OK when it is there to
 * read (a regular file, or for the hardware part a directory), FC_ERANGE
 * when it is absent; else an error naming it: a FIFO would block every
 * command, and a dangling or looping symbolic link would drop the
 * user's entries without a word.
 */
static enum fc_status
user_part(const char *path, int want_dir, struct fc_diags *d)
{
	struct fc_loc l = { NULL, 0, 0, 0 };
	struct stat sb;
	int e;

	if (lstat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return FC_ERANGE;
	l.file = fc_diags_intern(d, path);
	if (d->oom)
		return FC_ENOMEM;
	if (stat(path, &sb) != 0) {
		e = errno;
		if (e == ENOENT)
			return fc_error(d, l, "a symbolic link to a file that does not exist "
			    "(expected the user data %s, or nothing)", want_dir ? "directory" : "file");
		return fc_error(d, l, "cannot open: %s (expected the user data %s, or nothing)",
		    strerror(e), want_dir ? "directory" : "file");
	}
	if (want_dir ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode))
		return fc_error(d, l, "not a %s (expected the user data %s, or nothing)",
		    want_dir ? "directory" : "regular file", want_dir ? "directory" : "file");
	return FC_OK;
}

enum fc_status
fc_catalog_overlay(struct fc_catalog *c, const char *udir, struct fc_diags *d)
{
	struct fc_catalog *u;
	enum fc_status st = FC_OK, r;
	size_t i;
	char *p;

	u = fc_calloc(1, sizeof(*u));
	if (u == NULL || (u->dir = fc_strdup(udir)) == NULL) {
		fc_catalog_free(u);
		return FC_ENOMEM;
	}
	/* every part is optional: a user directory may hold only prices */
	for (i = 0; i < LEN(catalog_parts); i++) {
		if ((p = path_join(udir, catalog_parts[i].name)) == NULL) {
			st = FC_ENOMEM;
			break;
		}
		r = user_part(p, strcmp(catalog_parts[i].name, "hardware") == 0, d);
		if (r == FC_OK)
			r = catalog_parts[i].load(u, p, d);
		else if (r == FC_ERANGE)   /* absent */
			r = FC_OK;
		fc_free(p);
		if (keep_error(&st, r))
			break;
	}
	if (st == FC_OK)
		st = set_user_origins(u);
	if (st == FC_OK)
		st = merge_entries((void **)&c->prices, &c->nprices, u->prices,
		    u->nprices, sizeof(*u->prices), offsetof(struct fc_price, id),
		    price_clear_v);
	if (st == FC_OK)
		st = merge_entries((void **)&c->hw, &c->nhw, u->hw, u->nhw,
		    sizeof(*u->hw), offsetof(struct fc_hw, id), hw_clear_v);
	if (st == FC_OK)
		st = merge_entries((void **)&c->models, &c->nmodels, u->models,
		    u->nmodels, sizeof(*u->models), offsetof(struct fc_model, id),
		    model_clear_v);
	if (st == FC_OK) {
		fc_free(c->user_dir);
		if ((c->user_dir = fc_strdup(udir)) == NULL)
			st = FC_ENOMEM;
	}
	fc_catalog_free(u);
	return st;
}

const struct fc_price *
fc_catalog_price(const struct fc_catalog *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nprices; i++)
		if (strcmp(c->prices[i].id, id) == 0)
			return &c->prices[i];
	return NULL;
}

const struct fc_hw *
fc_catalog_hw(const struct fc_catalog *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nhw; i++)
		if (strcmp(c->hw[i].id, id) == 0)
			return &c->hw[i];
	return NULL;
}

static double
median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), fc_stats_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The same measurement listed under two entries (one server rented from
 * two providers): the same first measured point, or, without points, the
 * same efficiencies on the same bandwidth and compute. */
static int
same_measurement(const struct fc_hw *a, const struct fc_hw *b)
{
	if (a->npoints && b->npoints) {
		const struct fc_tpoint *p = &a->points[0], *q = &b->points[0];

		return p->model && q->model && strcmp(p->model, q->model) == 0 &&
		    p->prefill_tok_s == q->prefill_tok_s && p->n && q->n &&
		    p->tok_s[0] == q->tok_s[0];
	}
	return a->eta_decode == b->eta_decode && a->eta_prefill == b->eta_prefill &&
	    a->mem_bandwidth_gbs == b->mem_bandwidth_gbs &&
	    a->compute_gflops == b->compute_gflops;
}

int
fc_hw_class(const struct fc_hw *h)
{
	if (!h->gpu)
		return 0;
	return h->memory == FC_MEM_HBM ? FC_CLASS_GPU_HBM :
	    h->memory == FC_MEM_GDDR ? FC_CLASS_GPU_GDDR : 1;
}

/* Whether entry h is of class cls (fc_hw_class; 1: every GPU). */
static int
in_class(const struct fc_hw *h, int cls)
{
	return cls <= 1 ? h->gpu == cls : fc_hw_class(h) == cls;
}

/* The efficiencies behind the class default (fc_catalog_class_efficiency):
 * dv[] and pv[] get one entry's each, returns how many; with rate not
 * FC_TENSOR_UNKNOWN, only those of the entries that state that tensor_rate. */
static size_t
class_entries(const struct fc_catalog *c, int gpu, int rate, double dv[256], double pv[256])
{
	const struct fc_hw *seen[256];
	size_t i, j, k = 0, measured = 0;

	for (i = 0; c && i < c->nhw; i++)
		if (in_class(&c->hw[i], gpu) && c->hw[i].eta_given && c->hw[i].efficiency_basis &&
		    strcmp(c->hw[i].efficiency_basis, "measured") == 0)
			measured++;
	for (i = 0; c && i < c->nhw && k < 256; i++) {
		const struct fc_hw *h = &c->hw[i];

		if (!in_class(h, gpu) || !h->eta_given)
			continue;
		if (rate != FC_TENSOR_UNKNOWN && h->tensor_rate != rate)
			continue;
		if (measured && !(h->efficiency_basis &&
		    strcmp(h->efficiency_basis, "measured") == 0))
			continue;
		/* each measurement counts once */
		for (j = 0; j < k && !same_measurement(seen[j], h); j++)
			;
		if (j < k)
			continue;
		seen[k] = h;
		dv[k] = h->eta_decode;
		pv[k] = h->eta_prefill;
		k++;
	}
	return k;
}

void
fc_catalog_class_efficiency(const struct fc_catalog *c, int gpu,
    double *eta_decode, double *eta_prefill, size_t *n)
{
	double dv[256], pv[256];
	size_t k = class_entries(c, gpu, FC_TENSOR_UNKNOWN, dv, pv);

	*eta_decode = *eta_prefill = 1;
	*n = 0;
	if (k == 0)
		return;
	*eta_decode = median_of(dv, k);
	*eta_prefill = median_of(pv, k);
	*n = k;
}

void
fc_catalog_rate_prefill(const struct fc_catalog *c, int gpu, int rate,
    double *eta_prefill, size_t *n)
{
	double dv[256], pv[256];
	size_t k = rate == FC_TENSOR_UNKNOWN ? 0 : class_entries(c, gpu, rate, dv, pv);

	*n = k;
	if (k > 0)
		*eta_prefill = median_of(pv, k);
}

void
fc_catalog_class_efficiency_range(const struct fc_catalog *c, int gpu,
    double dmin_max[2], double pmin_max[2], size_t *n)
{
	double dv[256], pv[256];
	size_t k = class_entries(c, gpu, FC_TENSOR_UNKNOWN, dv, pv);

	dmin_max[0] = dmin_max[1] = pmin_max[0] = pmin_max[1] = 1;
	*n = k;
	if (k == 0)
		return;
	qsort(dv, k, sizeof(*dv), fc_stats_cmp_double);
	qsort(pv, k, sizeof(*pv), fc_stats_cmp_double);
	dmin_max[0] = dv[0];
	dmin_max[1] = dv[k - 1];
	pmin_max[0] = pv[0];
	pmin_max[1] = pv[k - 1];
}

const struct fc_model *
fc_catalog_model(const struct fc_catalog *c, const char *ref, enum fc_quant *quant)
{
	size_t i, len;
	int q;

	for (i = 0; i < c->nmodels; i++) {
		len = strlen(c->models[i].id);
		if (strncmp(ref, c->models[i].id, len) != 0 || ref[len] != '-')
			continue;
		for (q = 0; q < FC_NQUANT; q++)
			if (strcmp(ref + len + 1, fc_quant_names[q]) == 0) {
				*quant = (enum fc_quant)q;
				return &c->models[i];
			}
	}
	return NULL;
}

size_t
fc_catalog_ids(const struct fc_catalog *c, enum fc_catalog_kind kind, const char **ids,
    char *buf, size_t buflen, size_t max)
{
	size_t n = 0, i, used = 0;
	int q;

	if (kind == FC_KIND_PRICES)
		for (i = 0; i < c->nprices && n < max; i++)
			ids[n++] = c->prices[i].id;
	else if (kind == FC_KIND_HARDWARE)
		for (i = 0; i < c->nhw && n < max; i++)
			ids[n++] = c->hw[i].id;
	else
		for (i = 0; i < c->nmodels; i++)
			for (q = 0; q < FC_NQUANT && n < max; q++) {
				int w = snprintf(buf + used, buflen - used, "%s-%s",
				    c->models[i].id, fc_quant_names[q]);
				if (w < 0 || (size_t)w + 1 > buflen - used)
					return n;
				ids[n++] = buf + used;
				used += (size_t)w + 1;
			}
	return n;
}
