/*
 * capacity.h: what one server does with one model: prefill and decode
 * throughput by concurrency, from measured points when the data has them,
 * else from the roofline (docs/model.md, "Throughput: the roofline"), and the
 * parallel slots that serve the most calls within the SLO.
 */
#ifndef FC_CAPACITY_H
#define FC_CAPACITY_H

#include "data.h"
#include "fc.h"

#define FC_MAX_SLOTS 64

enum fc_cap_basis {
	FC_CAP_MEASURED,        /* a throughput point for this exact model */
	FC_CAP_SCALED,          /* a point for another model, scaled by bytes and FLOPs */
	FC_CAP_ROOFLINE,        /* no measurement: bandwidth and compute roofline */
};

struct fc_throughput {
	enum fc_cap_basis basis;
	const struct fc_tpoint *point;  /* the measurement used, or NULL */
	double prefill_tok_s;    /* prompt tokens per second, whole server */
	double bw_eff_gbs;       /* effective bandwidth, GB/s */
	double compute_eff_gflops; /* effective compute, GFLOP/s */
	double weights_gb;       /* bytes read per decoded token, GB (a mixture
	                            of experts: its active share) */
	double all_weights_gb;   /* every weight, GB: what a large batch of a
	                            mixture of experts reads (= weights_gb dense) */
	double kv_gb_per_token;  /* KV cache per token of context, GB */
	double params_b;         /* parameters a token uses, billions (active) */
	int gpu;                 /* a GPU: batched decode is not capped at prefill */
	int default_eff;         /* roofline on the class default efficiency */
	double point_ctx_tokens; /* the measurement's mean context; 0: unknown,
	                            its curve is used as it is */
	/* run-to-run spread of the measurement (bench --repeat): coefficients
	 * of variation of single-stream decode and of prefill; 0: none */
	double decode_cv, prefill_cv;
	double decode_scale;     /* this trial's draw of decode speed (0 or 1: none) */
	double step_floor_s;     /* a GPU's least time for one decode step,
	                            seconds (launches, synchronization,
	                            sampling); 0: none */
};

struct fc_capacity {
	struct fc_throughput tp;
	double ctx_tokens;       /* mean context during decode */
	double decode1_tok_s;    /* single-stream decode at ctx_tokens */
	unsigned slots;          /* parallel calls per server */
	double agg_decode_tok_s; /* aggregate decode with `slots` calls */
	double call_server_s;    /* server time per mean call: in/P + out/A(slots) */
	double calls_per_s;      /* one server, `slots` busy: 1 / call_server_s */
	double call_latency_s;   /* a call's time with `slots` busy: slots x call_server_s */
	double single_call_s;    /* a call alone on a server */
	int slo_feasible;        /* 0: even a call alone misses the SLO */
	double speedup[FC_MAX_SLOTS + 1]; /* T(1)/T(n): service rate with n calls vs one alone; [0] unused */
};

/* Chooses the throughput source for (hw, model, quant). */
void fc_throughput_init(const struct fc_hw *hw, const struct fc_model *m,
    enum fc_quant q, const char *model_ref, struct fc_throughput *tp);
/*
 * One Monte Carlo trial's throughput: the measured speeds times a lognormal
 * factor of mean 1 with the measurement's run-to-run spread (sigma^2 =
 * log(1 + cv^2)), z a standard normal draw, the same z for decode and
 * prefill (the server as a whole runs faster or slower).  out = tp when
 * there is no spread.
 */
void fc_throughput_draw(const struct fc_throughput *tp, double z,
    struct fc_throughput *out);

/* Aggregate decode tokens per second with n concurrent calls at a mean
 * context of ctx tokens. */
double fc_throughput_decode(const struct fc_throughput *tp, double n, double ctx);

/* Evaluates one server for calls of in/out mean tokens under an SLO (p95
 * latency, seconds).  fixed_slots > 0 imposes the slot count. */
enum fc_status fc_capacity_eval(const struct fc_throughput *tp, double in,
    double out, double slo_s, long fixed_slots, struct fc_capacity *out_cap);

/*
 * GPU throughput by quantization class (docs/model.md, "GPU throughput"):
 * the decode efficiency and the prefill rate of weights of bpp bytes a
 * parameter relative to a 4-bit model's (1 at 0.65 bytes or fewer), and the
 * least time of one decode step on a GPU, seconds.
 */
double fc_gpu_quant_decode_rel(double bpp);
double fc_gpu_quant_prefill_rel(double bpp);
double fc_gpu_step_floor_s(void);

/*
 * The sustained 4-bit prefill of a GDDR GPU of architecture arch (enum
 * fc_arch) and memory (enum fc_memory), TFLOP/s per W of board power; 0
 * where the data gives none (docs/model.md, "GPU throughput").  And the
 * prefill efficiency (a share of compute_gflops, at most 1) that gives a
 * hardware entry of that arch, memory and board_power_w; 0 where it has
 * none of those, or is no GPU.
 */
/*
 * The SMs' bound on 4-bit decode: the bytes of weights an SM streams per
 * clock at most; and the decode efficiency (a share of mem_bandwidth_gbs,
 * uncapped) that bound gives a GPU entry of sm_count and boost_clock_mhz;
 * 0 where it gives none of those.
 */
double fc_gpu_sm_decode_bytes_per_cycle(void);
double fc_gpu_sm_decode_eta(const struct fc_hw *h);
double fc_gpu_prefill_tflops_per_w(int arch, int memory);
double fc_gpu_power_prefill_eta(const struct fc_hw *h);

const char *fc_capacity_basis_name(enum fc_cap_basis b);
/* The basis as the reports label it: "measured", "measured,
 * context-corrected", "measured context curve", "measured-scaled",
 * "roofline" or "roofline, default efficiency". */
const char *fc_throughput_label(const struct fc_throughput *tp);

#endif
