/*
 * data.h: the bundled data (data/): API prices, hardware profiles and
 * model shapes, each entry dated and sourced.  Entries are looked up by
 * reference: "openai/gpt-4o", "hetzner/cx43", "qwen2.5-7b-q4_k_m".
 */
#ifndef FC_DATA_H
#define FC_DATA_H

#include "dist.h"
#include "fc.h"
#include "ynode.h"

struct fc_price {
	char *id;              /* "openai/gpt-4o", or "inline" */
	double input;          /* USD per million input tokens */
	double cached_input;   /* USD per million cached input tokens */
	double output;         /* USD per million output tokens */
	double batch_discount; /* fraction off with the batch API; 0 when none */
	double cache_write;    /* USD per million tokens written to a 5-minute
	                        * cache; the input price when none is given */
	double cache_write_1h; /* the same for a 1-hour cache; input when none */
	double min_cache_tokens; /* shortest cacheable prefix, tokens; 0 unknown */
	double tier_above;     /* tokens: calls whose input is longer bill
	                        * at the tier prices; 0 when no tier */
	double tier_input, tier_cached_input, tier_output; /* USD per million */
	double priority;       /* price multiplier of the priority tier; 0 none */
	double flex;           /* price multiplier of the flex tier; 0 none */
	char *as_of, *source, *note;
	char *deprecated;      /* date the provider deprecated it, or NULL */
	char *shutdown;        /* date requests start failing, or NULL */
	char *successor;       /* the provider's suggested replacement, or NULL */
	char *origin;          /* where the entry was read from: "bundled",
	                        * the user data file's path, or NULL (inline) */
	struct fc_loc loc;
};

#define FC_MAX_CURVE 64
#define FC_MAX_CONTEXTS 16

/* A decode curve measured at one context length (by_context). */
struct fc_ctxpoint {
	double context_tokens; /* mean context during decode: prompt + half the output */
	double prefill_tok_s;  /* prompt tokens per second at that prompt; 0: none */
	size_t n;              /* curve points, sorted by concurrency */
	double conc[FC_MAX_CURVE];
	double tok_s[FC_MAX_CURVE]; /* aggregate decode tokens per second */
};

/* The USD per EUR rate the bundled Hetzner prices were converted at, and
 * its date (data/hardware/hetzner.yaml); --currency EUR uses it for
 * hardware that has no rate of its own. */
#define FC_USD_PER_EUR 1.15
#define FC_USD_PER_EUR_AS_OF "2026-08-13"

/* A measured (or benchmarked) throughput point on one machine. */
struct fc_tpoint {
	char *model;           /* model id with quantization, e.g. llama-2-7b-q4_k_m */
	double params_b;       /* billions of parameters */
	double weights_gb;     /* bytes read per decoded token, GB (1e9) */
	char *engine;
	double threads;
	double prefill_tok_s;  /* prompt processing, tokens per second */
	size_t n;              /* decode curve points, sorted by concurrency */
	double conc[FC_MAX_CURVE];
	double tok_s[FC_MAX_CURVE]; /* aggregate output tokens per second */
	/* run-to-run standard deviations (bench --repeat), same units; 0
	 * where none was measured */
	double tok_s_sd[FC_MAX_CURVE];
	double prefill_sd;
	double repeat;         /* runs behind the figures (0: not recorded) */
	size_t n_ctx;          /* by_context: curves by context, sorted by it */
	struct fc_ctxpoint by_ctx[FC_MAX_CONTEXTS];
	/* bench --search-slo: the highest concurrency that met the SLO for
	 * slo_attainment of requests (0: no search recorded); bounds in s, 0
	 * where none */
	double slo_max_concurrency, slo_attainment, slo_ttft_s, slo_tpot_s, slo_e2e_s;
	int slo_lower_bound;   /* nothing up to slo_max_concurrency failed */
	/* the measured model's shape (bench records it from the server,
	 * --gguf or --like; 0 / NULL where it could not): a scenario naming
	 * the point's model uses it as the model */
	double kv_bytes_per_token;     /* f16 KV cache, bytes per token */
	double active_params_b;        /* MoE: billions a token uses; 0 dense */
	char *quant;                   /* "q4_k_m", one of fc_quant_names */
	double context_tokens; /* mean context (tokens) while decode was measured:
	                          prompt + half the output; llama-bench tg128 is
	                          64; 0: not recorded (no context correction) */
	char *basis, *as_of, *source;
	struct fc_loc loc;
};

struct fc_hw {
	char *id;              /* "hetzner/cx43", or the profile's path */
	char *name;
	int gpu;               /* kind: 0 cpu, 1 gpu */
	int memory;            /* memory: FC_MEM_* (unknown when not given) */
	int tensor_rate;       /* tensor_rate: FC_TENSOR_* (unknown when not given) */
	int arch;              /* arch: FC_ARCH_* (unknown when not given) */
	double board_power_w;  /* board_power_w: the board's power limit, W; 0 not given */
	long sm_count;         /* sm_count: streaming multiprocessors; 0 not given */
	double boost_clock_mhz;  /* boost_clock_mhz: the GPU's boost clock; 0 not given */
	double vcpu, ram_gb, vram_gb;
	double monthly_price;  /* USD per month (the monthly cap) */
	double hourly_price;   /* USD per hour; 0 when not billed hourly */
	double setup_price;    /* USD per server, paid once when the server is
	                        * added (a setup fee); 0 when none */
	double monthly_price_eur; /* EUR per month as listed; 0 when priced in USD */
	double usd_per_eur;    /* the rate monthly_price was converted at; 0 none */
	char *usd_per_eur_as_of; /* the date of that rate, or NULL */
	char *price_as_of, *price_source;
	char *price_basis;     /* how the price is billed: one of
	                        * fc_price_basis_names, or NULL (not said) */
	char *origin;          /* "bundled", the user data file's path, or NULL */
	double mem_bandwidth_gbs;   /* GB/s the roofline starts from */
	char *mem_bandwidth_basis;
	double compute_gflops;      /* GFLOP/s for prefill */
	char *compute_basis;
	double eta_decode;          /* effective bandwidth = eta x bandwidth */
	double eta_prefill;         /* effective compute = eta_c x compute */
	int eta_given;              /* the entry gave `efficiency`; 0: eta_* are 1
	                               until fc_hw_default_efficiency() */
	int eta_default;            /* eta_* are the class default from data */
	int eta_rules;              /* FC_ETA_* rules the class default took */
	char *efficiency_basis;
	/* The prices as written: a number or a distribution (flatcost-scenario(5));
	 * monthly_price and hourly_price above are their means.  A trial draws
	 * them once (fc_inputs_draw); hourly_num is 0 when none is given. */
	struct fc_num monthly_num, hourly_num, setup_num;
	/* The same for the speed figures: mem_bandwidth_gbs, compute_gflops,
	 * eta_decode and eta_prefill are the means of these; a spec-sheet
	 * entry's class default efficiency is a distribution spanning the
	 * class's measured spread (eta_default_dist, fc_hw_default_spread). */
	struct fc_num bw_num, gflops_num, eta_decode_num, eta_prefill_num;
	int eta_default_dist;       /* eta_*_num are that default spread */
	char *as_of, *source, *note;
	size_t npoints;
	struct fc_tpoint *points;
	struct fc_loc loc;
};

/* A hardware price's basis: "monthly" (a monthly price or cap),
 * "on-demand" (a rented server by the hour, no commitment), "spot"
 * (interruptible), "serverless" (a worker billed per second), "reserved"
 * (a committed term); NULL-ended.  Prices on different bases are not
 * comparable. */
extern const char *const fc_price_basis_names[];
/* The index of basis s in fc_price_basis_names, or -1. */
int fc_price_basis_index(const char *s);
/* Whether h's price is on basis `basis` (NULL: every basis matches; an
 * entry that says none matches only NULL). */
int fc_hw_basis_matches(const struct fc_hw *h, const char *basis);

enum fc_quant { FC_Q4_0, FC_Q4_K_M, FC_Q8_0, FC_F16, FC_NQUANT };
extern const char *const fc_quant_names[FC_NQUANT + 1];  /* by enum fc_quant, NULL-ended */
/* The enum fc_quant of a quantization name ("q4_k_m"), or -1. */
int fc_quant_index(const char *name);

struct fc_model {
	char *id, *name;
	double params_b;
	double active_params_b;        /* mixture of experts: parameters a token
	                                  uses (shared layers, router, the experts
	                                  chosen), billions; 0: dense (= params_b) */
	long experts;                  /* experts: a mixture of experts' expert
	                                  count; 0 with experts_given: not one
	                                  (per-layer embeddings: active_params_b
	                                  the effective parameters) */
	int experts_given;             /* experts was given (else, with
	                                  active_params_b, a mixture of experts) */
	long layers, embd, ff, heads, kv_heads, head_dim, vocab, context_length;
	double kv_bytes_per_token;     /* f16 KV cache, bytes per token of context */
	double weights_gb[FC_NQUANT];  /* GGUF size per quantization, GB */
	unsigned weights_estimated;    /* bit q: weights_gb[q] is an estimate, no
	                                  published file's size (weights_estimated:) */
	char *weights_basis, *as_of, *source, *note;
	struct fc_loc loc;
};

/* The share of a model's weights a token uses: active_params_b /
 * params_b for a mixture of experts (or a model of per-layer embeddings),
 * 1 for a dense model. */
double fc_model_active_share(const struct fc_model *m);
/* Whether a token's share is a mixture of experts' (its decode runs below
 * a dense model's of the same bytes): active_params_b below params_b, and
 * not `experts: 0` (per-layer embeddings, looked up, not experts). */
int fc_model_is_moe(const struct fc_model *m);

/* A hardware entry's `memory`; the GPU classes of the class default. */
enum fc_memory { FC_MEM_UNKNOWN, FC_MEM_DDR, FC_MEM_GDDR, FC_MEM_HBM };
extern const char *const fc_memory_names[];  /* by enum fc_memory, NULL-ended */
#define FC_CLASS_GPU_HBM 2   /* `gpu` of the class functions: GPUs of HBM memory */
#define FC_CLASS_GPU_GDDR 3  /* and of GDDR memory */
/* The class of hardware h for the class default: 0 CPU, 1 GPU, or a GPU
 * that says its memory is HBM or GDDR. */
int fc_hw_class(const struct fc_hw *h);

/* A GPU entry's `tensor_rate`: which FP16 tensor rate its compute_gflops
 * is.  NVIDIA states GeForce cards' at FP32 accumulation, half the rate
 * of the FP16-accumulate path (half); workstation and datacenter cards'
 * at the full rate (full). */
enum fc_tensor_rate { FC_TENSOR_UNKNOWN, FC_TENSOR_FULL, FC_TENSOR_HALF };
extern const char *const fc_tensor_rate_names[];  /* by enum fc_tensor_rate, NULL-ended */

/* A GPU entry's `arch`: its architecture (the chip generation and its
 * process), which sets the energy of its sustained tensor arithmetic. */
/* fc_hw.eta_rules: the class default's prefill from board power, its
 * decode under the SMs' bound (docs/model.md, "GPU throughput") */
#define FC_ETA_POWER_PREFILL 1
#define FC_ETA_SM_DECODE 2

enum fc_arch { FC_ARCH_UNKNOWN, FC_ARCH_VOLTA, FC_ARCH_TURING, FC_ARCH_AMPERE,
	FC_ARCH_ADA, FC_ARCH_HOPPER, FC_ARCH_BLACKWELL };
extern const char *const fc_arch_names[];  /* by enum fc_arch, NULL-ended */

/*
 * The class default efficiency for a kind of hardware (gpu 0 or 1, or
 * FC_CLASS_GPU_HBM / FC_CLASS_GPU_GDDR: the GPUs that say so), taken
 * from the data: the median over the catalog's entries of that kind that
 * give an efficiency, those with efficiency_basis "measured" only when
 * there are any, each measurement counted once (an entry with the same
 * first measured point as one counted before, or without points the same
 * efficiencies, bandwidth and compute, is the same server listed again).  *n gets the number of entries behind it; 0 (and both
 * etas 1) when the catalog has none of that kind.
 */
struct fc_catalog;
void fc_catalog_class_efficiency(const struct fc_catalog *c, int gpu,
    double *eta_decode, double *eta_prefill, size_t *n);

/* The prefill efficiency of the class default for a GPU whose datasheet
 * compute is of tensor rate `rate` (FC_TENSOR_FULL or FC_TENSOR_HALF):
 * the median of the same entries as fc_catalog_class_efficiency's that
 * state the same tensor_rate.  *n gets their number; 0 (and *eta_prefill
 * untouched) when there are none or rate is unknown. */
void fc_catalog_rate_prefill(const struct fc_catalog *c, int gpu, int rate,
    double *eta_prefill, size_t *n);

/* The class's spread behind fc_catalog_class_efficiency: the lowest and
 * highest efficiencies of the same entries; *n as there. */
void fc_catalog_class_efficiency_range(const struct fc_catalog *c, int gpu,
    double dmin_max[2], double pmin_max[2], size_t *n);

struct fc_catalog {
	char *dir;
	char *user_dir;        /* the user data directory laid over dir, or NULL */
	struct fc_price *prices;
	size_t nprices;
	struct fc_hw *hw;
	size_t nhw;
	struct fc_model *models;
	size_t nmodels;
};

/* Loads prices.yaml, models.yaml and hardware/ *.yaml from dir. */
enum fc_status fc_catalog_load(const char *dir, struct fc_catalog **out,
    struct fc_diags *d);
/* Lays the user data directory udir over c: each price or hardware entry
 * in udir/prices.yaml and udir/hardware/ *.yaml replaces the entry of the
 * same id whole (or is added); missing files are fine.  The entries read
 * from udir get their file's path as origin.  On error c is unchanged
 * apart from entries already replaced. */
enum fc_status fc_catalog_overlay(struct fc_catalog *c, const char *udir,
    struct fc_diags *d);
void fc_catalog_free(struct fc_catalog *c);
/* Reads a prices file (provider -> model -> entry), or a hardware file of
 * provider, as the loader does, keeping nothing: FC_OK when every entry
 * is valid (a file about to replace a user data file is checked whole). */
enum fc_status fc_prices_check_file(const char *path, struct fc_diags *d);
enum fc_status fc_hw_check_file(const char *path, const char *provider,
    struct fc_diags *d);

const struct fc_price *fc_catalog_price(const struct fc_catalog *c, const char *id);
const struct fc_hw *fc_catalog_hw(const struct fc_catalog *c, const char *id);
/* Finds "MODEL-QUANT"; *quant receives the quantization. */
const struct fc_model *fc_catalog_model(const struct fc_catalog *c,
    const char *ref, enum fc_quant *quant);
/* The kinds of catalog entry, in the order of the shell completion's
 * kinds (cmd_help.c, complete()). */
enum fc_catalog_kind {
	FC_KIND_PRICES,      /* prices.yaml: "openai/gpt-4o" */
	FC_KIND_HARDWARE,    /* hardware/: "hetzner/cx43" */
	FC_KIND_MODELS,      /* models.yaml, one id a quantization: "qwen2.5-7b-q4_k_m" */
	FC_NKINDS
};
/* All ids of a kind, for "did you mean"; ids[] points into c or, for
 * models, into buf (buflen bytes); returns the count, fills up to max. */
size_t fc_catalog_ids(const struct fc_catalog *c, enum fc_catalog_kind kind, const char **ids,
    char *buf, size_t buflen, size_t max);

/* Adds or replaces (same id, whole) entries in c; moves them out of src
 * (src's entries are left zeroed). */
enum fc_status fc_catalog_put_prices(struct fc_catalog *c, struct fc_price *src,
    size_t n);
enum fc_status fc_catalog_put_hw(struct fc_catalog *c, struct fc_hw *src, size_t n);

/* Entry parsers, shared with profiles and inline scenario entries.  id is
 * copied.  They fill *out (freed with the matching _clear) and report errors. */
enum fc_status fc_price_read(const struct fc_ynode *n, const char *id,
    int need_dates, struct fc_price *out, struct fc_diags *d);
enum fc_status fc_hw_read(const struct fc_ynode *n, const char *id,
    int need_dates, struct fc_hw *out, struct fc_diags *d);
/* Reads a hardware profile file (one entry at the top level). */
enum fc_status fc_hw_load_profile(const char *path, struct fc_hw *out,
    struct fc_diags *d);
void fc_price_clear(struct fc_price *p);
void fc_hw_clear(struct fc_hw *h);
void fc_model_clear(struct fc_model *m);
/* Deep copies (for scenarios that outlive the catalog); FC_ENOMEM. */
enum fc_status fc_price_copy(struct fc_price *dst, const struct fc_price *src);
enum fc_status fc_hw_copy(struct fc_hw *dst, const struct fc_hw *src);
enum fc_status fc_model_copy(struct fc_model *dst, const struct fc_model *src);

#endif
