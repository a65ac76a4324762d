/*
 * capacity.c: per-server throughput and slot choice.
 *
 * Decode is memory-bound: every generated token reads the weights once for
 * the whole batch, plus each sequence's KV cache.  With n sequences
 * (docs/model.md, "Batched decode"):
 *   memory time  = (W + n KV ctx) / bw_eff
 *   compute time = n 2N / compute_eff
 *   A(n) = n / max(memory time, compute time)        tokens per second
 * so on CPUs, where compute is scarce, A(n) stays under the prefill rate
 * compute_eff / 2N, and batching gains are modest; GPUs gain far more.
 * Prefill is compute-bound: P = compute_eff / (2N).
 *
 * A measured point fixes the effective rates.  Its decode was measured at
 * some context (context_tokens: the prompt plus half the output; a
 * llama-bench tg128 run averages 64 tokens), and every decoded token reads
 * that context's KV cache as well as the weights; so the measured curve is
 * carried to the scenario's context by the roofline's own ratio,
 * A(n, ctx) / A(n, ctx_measured) ("measured, context-corrected").  On a
 * CPU no batched decode, measured or extrapolated, exceeds the compute
 * bound compute_eff / 2N.  A measured context curve (by_context: decode
 * curves at several prompt lengths, `bench --input-tokens LIST`) wins over
 * that correction ("measured context curve"): linear between the measured
 * lengths, the roofline's ratio beyond them.
 */
#include "capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
fc_capacity_basis_name(enum fc_cap_basis b)
{
	switch (b) {
	case FC_CAP_MEASURED: return "measured";
	case FC_CAP_SCALED: return "measured-scaled";
	case FC_CAP_ROOFLINE: return "roofline";
	}
	return "?";
}

const char *
fc_throughput_label(const struct fc_throughput *tp)
{
	if (tp->basis == FC_CAP_ROOFLINE)
		return tp->default_eff ? "roofline, default efficiency" : "roofline";
	if (tp->basis == FC_CAP_MEASURED && tp->point && tp->point->n_ctx > 0)
		return "measured context curve";
	if (tp->basis == FC_CAP_MEASURED && tp->point_ctx_tokens > 0)
		return "measured, context-corrected";
	return fc_capacity_basis_name(tp->basis);
}

/*
 * A mixture of experts decodes below a dense model of the same bytes read:
 * the experts' matrix products are small and gathered per token (not a
 * model of per-layer embeddings, `experts: 0`, whose token looks its rows
 * up and multiplies dense matrices).  0.70 of
 * the dense efficiency, fitted to published single-stream decode of
 * Qwen3-30B-A3B Q4_K_M on an RTX 4090 and an RTX 3090 Ti (docs/model.md);
 * applied when the efficiency comes from a dense measurement or the class
 * default, never to a measurement of the model itself.
 */
#define MOE_DECODE_EFF 0.70

static double
moe_decode_factor(const struct fc_model *m)
{
	return fc_model_is_moe(m) ? MOE_DECODE_EFF : 1;
}

/*
 * GPU throughput by quantization class (docs/model.md, "GPU throughput"):
 * a GPU's efficiency.decode and efficiency.prefill are those of a 4-bit
 * model (Q4_0, Q4_K_M: 0.53-0.63 bytes a parameter).  Decode of wider
 * weights uses more of the bandwidth: F16 (2 bytes a parameter) 1.262 times
 * the 4-bit efficiency, the median over 12 GPUs of published llama-bench
 * tg512 of Llama 3 8B F16 and Q4_K_M; between 0.65 and 2 bytes a
 * parameter, linear in its log (Q8_0, 1.06 bytes: 1.115).  Prefill of F16
 * weights (cuBLAS half-precision products) runs 1.28 times the quantized
 * kernels' rate (the median of 10 GPUs' pp512).  A decode step of a GPU
 * takes at least GPU_STEP_FLOOR_S (kernel launches, synchronization,
 * sampling): the median time per token of a 1.2B Q4_K_M model,
 * single-stream, on 7 GPUs of 1,000 GB/s or more.  Applied where the
 * efficiency comes from another model or the class default, never to a
 * measurement of the model itself, nor to a CPU.
 */
#define GPU_F16_DECODE_REL 1.262
#define GPU_F16_PREFILL_REL 1.28
#define GPU_STEP_FLOOR_S 1.35e-3

/* The decode efficiency of weights of bpp bytes a parameter relative to
 * the 4-bit class (1 at 0.65 or fewer, GPU_F16_DECODE_REL at 2 or more). */
double
fc_gpu_quant_decode_rel(double bpp)
{
	double x;

	if (!(bpp > 0))
		return 1;
	x = log(bpp / 0.65) / log(2.0 / 0.65);
	x = x < 0 ? 0 : x > 1 ? 1 : x;
	return 1 + (GPU_F16_DECODE_REL - 1) * x;
}

/* The prefill rate of weights of bpp bytes a parameter relative to the
 * 4-bit class: half-precision weights (1.5 bytes or more) or quantized. */
double
fc_gpu_quant_prefill_rel(double bpp)
{
	return bpp >= 1.5 ? GPU_F16_PREFILL_REL : 1;
}

double
fc_gpu_step_floor_s(void)
{
	return GPU_STEP_FLOOR_S;
}

/*
 * Sustained prefill of a GDDR GPU from its board power (docs/model.md, "GPU
 * throughput"): llama.cpp's prompt processing keeps the tensor units busy,
 * so the card runs at its power limit and does as many FLOPs as that power
 * pays for; the energy of a FLOP is set by the architecture and its process.
 * TFLOP/s per W of 4-bit pp512 (2N FLOPs a token), the median over the
 * published GPUs of that architecture (data/published/gpu-datasheets.tsv):
 * Ada (TSMC 4N: RTX 4090, 4080, RTX 4000/5000/6000 Ada, L40S) 0.290,
 * Ampere GA10x (Samsung 8N: RTX 3090, RTX A6000, A40) 0.185.  Other
 * architectures and HBM GPUs (A100, H100 run below their power limit) have
 * none.
 */
/*
 * The SMs' bound on 4-bit decode (docs/model.md, "GPU throughput"): a
 * quantized matrix-vector product spends instructions on every byte of
 * weights (unpacking, integer dot products, scales), so a GPU streams at
 * most so many bytes per SM per clock, however wide its memory: 4.10, fitted
 * to published llama-bench tg of 13 GPUs (data/published/gpu-datasheets.tsv),
 * with the class default as the bandwidth-bound efficiency.  It is why the
 * datacenter GPUs (A100, H100, V100: 0.07-0.12 SM GHz per GB/s) decode at
 * 0.33-0.49 of their bandwidth and the GDDR cards (0.15-0.44) at 0.61-0.81.
 */
#define GPU_Q4_DECODE_BYTES_PER_SM_CYCLE 4.10

double
fc_gpu_sm_decode_bytes_per_cycle(void)
{
	return GPU_Q4_DECODE_BYTES_PER_SM_CYCLE;
}

double
fc_gpu_sm_decode_eta(const struct fc_hw *h)
{
	if (!h->gpu || h->sm_count <= 0 || !(h->boost_clock_mhz > 0) ||
	    !(h->mem_bandwidth_gbs > 0))
		return 0;
	return GPU_Q4_DECODE_BYTES_PER_SM_CYCLE * (double)h->sm_count *
	    h->boost_clock_mhz * 1e-3 / h->mem_bandwidth_gbs;
}

#define GPU_PREFILL_TFLOPS_PER_W_ADA 0.290
#define GPU_PREFILL_TFLOPS_PER_W_AMPERE 0.185

double
fc_gpu_prefill_tflops_per_w(int arch, int memory)
{
	if (memory != FC_MEM_GDDR)
		return 0;
	return arch == FC_ARCH_ADA ? GPU_PREFILL_TFLOPS_PER_W_ADA :
	    arch == FC_ARCH_AMPERE ? GPU_PREFILL_TFLOPS_PER_W_AMPERE : 0;
}

double
fc_gpu_power_prefill_eta(const struct fc_hw *h)
{
	double k = h->gpu ? fc_gpu_prefill_tflops_per_w(h->arch, h->memory) : 0;
	double eta;

	if (!(k > 0) || !(h->board_power_w > 0) || !(h->compute_gflops > 0))
		return 0;
	eta = k * 1e3 * h->board_power_w / h->compute_gflops;
	return eta < 1 ? eta : 1;
}

/* The quantization class of bpp bytes a parameter: 0 4-bit, 1 8-bit, 2
 * half precision. */
static int
quant_class(double bpp)
{
	return bpp < 0.9 ? 0 : bpp < 1.5 ? 1 : 2;
}

/* How far a measured point is from the model to predict: the size ratio's
 * log, and on a GPU, whose efficiency depends on it, 10 for each
 * quantization class apart. */
static double
point_distance(const struct fc_hw *hw, const struct fc_tpoint *p, double w,
    double bpp)
{
	double d = fabs(log(p->weights_gb / w));

	if (hw->gpu && p->params_b > 0 && bpp > 0)
		d += 10 * abs(quant_class(p->weights_gb / p->params_b) - quant_class(bpp));
	return d;
}

void
fc_throughput_init(const struct fc_hw *hw, const struct fc_model *m,
    enum fc_quant q, const char *model_ref, struct fc_throughput *tp)
{
	size_t i;
	const struct fc_tpoint *best = NULL;

	double active = fc_model_active_share(m);
	/* bytes a parameter: the quantization class */
	double bpp = m->params_b > 0 ? m->weights_gb[q] / m->params_b : 0;

	memset(tp, 0, sizeof(*tp));
	/* a mixture of experts reads, per token, the weights of the
	 * parameters it uses (the shared layers, the router, the experts
	 * chosen), and computes with those only; memory holds them all */
	tp->all_weights_gb = m->weights_gb[q];
	tp->weights_gb = m->weights_gb[q] * active;
	tp->kv_gb_per_token = m->kv_bytes_per_token / 1e9;
	tp->params_b = m->params_b * active;
	tp->gpu = hw->gpu;
	for (i = 0; i < hw->npoints; i++) {
		const struct fc_tpoint *p = &hw->points[i];
		if (model_ref && strcmp(p->model, model_ref) == 0) {
			best = p;
			tp->basis = FC_CAP_MEASURED;
			break;
		}
		/* else the measured model closest in size scales best (on a
		 * GPU, of the closest quantization class first) */
		if (best == NULL || point_distance(hw, p, tp->weights_gb, bpp) <
		    point_distance(hw, best, tp->weights_gb, bpp)) {
			best = p;
			tp->basis = FC_CAP_SCALED;
		}
	}
	if (best) {
		/* a measurement fixes the effective rates: single-stream decode
		 * reads the weights once per token and the KV cache of its
		 * context (the scenario model's KV, scaled by weight size for
		 * another model), prefill costs 2N FLOPs per token */
		double d1 = best->n && best->conc[0] == 1 ? best->tok_s[0] :
		    best->n ? best->tok_s[0] / best->conc[0] : 0;
		double kv = tp->kv_gb_per_token * (tp->basis == FC_CAP_MEASURED ? 1 :
		    best->weights_gb / tp->weights_gb);
		tp->point = best;
		tp->point_ctx_tokens = best->context_tokens;
		tp->decode_cv = best->n && best->tok_s_sd[0] > 0 ?
		    best->tok_s_sd[0] / best->tok_s[0] : 0;
		tp->prefill_cv = best->prefill_sd > 0 && best->prefill_tok_s > 0 ?
		    best->prefill_sd / best->prefill_tok_s : 0;
		tp->bw_eff_gbs = d1 * (best->weights_gb + kv * best->context_tokens);
		tp->compute_eff_gflops = best->prefill_tok_s * 2 * best->params_b;
		if (tp->basis == FC_CAP_MEASURED)
			tp->prefill_tok_s = best->prefill_tok_s;
		else
			tp->prefill_tok_s = tp->compute_eff_gflops / (2 * tp->params_b);
		if (tp->basis == FC_CAP_SCALED)
			tp->bw_eff_gbs *= moe_decode_factor(m);
		if (tp->basis == FC_CAP_SCALED && hw->gpu && best->params_b > 0) {
			/* another model's measurement: carried across the
			 * quantization classes, and a step's floor */
			double bp = best->weights_gb / best->params_b;
			tp->bw_eff_gbs *= fc_gpu_quant_decode_rel(bpp) /
			    fc_gpu_quant_decode_rel(bp);
			tp->compute_eff_gflops *= fc_gpu_quant_prefill_rel(bpp) /
			    fc_gpu_quant_prefill_rel(bp);
			tp->prefill_tok_s = tp->compute_eff_gflops / (2 * tp->params_b);
			tp->step_floor_s = GPU_STEP_FLOOR_S;
		}
		if (tp->bw_eff_gbs > 0)
			return;
		tp->step_floor_s = 0;
	}
	tp->basis = FC_CAP_ROOFLINE;
	tp->point = NULL;
	tp->point_ctx_tokens = 0;
	tp->decode_cv = tp->prefill_cv = 0;
	tp->default_eff = hw->eta_default;
	tp->bw_eff_gbs = hw->eta_decode * hw->mem_bandwidth_gbs * moe_decode_factor(m);
	tp->compute_eff_gflops = hw->eta_prefill * hw->compute_gflops;
	if (hw->gpu) {
		tp->bw_eff_gbs *= fc_gpu_quant_decode_rel(bpp);
		tp->compute_eff_gflops *= fc_gpu_quant_prefill_rel(bpp);
		tp->step_floor_s = GPU_STEP_FLOOR_S;
	}
	tp->prefill_tok_s = tp->compute_eff_gflops / (2 * tp->params_b);
}

/*
 * Weights read per step of a batch of n streams.  Dense: all of them, once.
 * A mixture of experts: each stream reads the active share f of the
 * weights; taking every weight as equally likely to be in a stream's share
 * (the shared layers, read by all, make this an upper bound), the batch
 * reads W (1 - (1 - f)^n): f W for one stream, all of W for many.
 */
static double
batch_weights_gb(const struct fc_throughput *tp, double n)
{
	double all = tp->all_weights_gb, f;

	if (!(all > tp->weights_gb) || n <= 1)
		return tp->weights_gb;
	f = tp->weights_gb / all;
	return all * -expm1(n * log1p(-f));
}

static double
roofline_decode(const struct fc_throughput *tp, double n, double ctx)
{
	double mem = (batch_weights_gb(tp, n) + n * tp->kv_gb_per_token * ctx) / tp->bw_eff_gbs;
	double comp = n * 2 * tp->params_b / tp->compute_eff_gflops;
	double step = mem > comp ? mem : comp;

	return n / (step > tp->step_floor_s ? step : tp->step_floor_s);
}

/* A measured curve (conc[], tok_s[], np points) at n streams, at the
 * context it was measured at: linear between points; below the first point
 * proportional to n; beyond the last, the roofline's shape from it. */
static double
curve_at(const struct fc_throughput *tp, const double *conc, const double *tok_s,
    size_t np, double n, double ctx)
{
	size_t i;
	double r;

	if (n <= conc[0])
		return tok_s[0] * n / conc[0];
	for (i = 1; i < np; i++)
		if (n <= conc[i]) {
			double t = (n - conc[i - 1]) / (conc[i] - conc[i - 1]);
			return tok_s[i - 1] + t * (tok_s[i] - tok_s[i - 1]);
		}
	r = roofline_decode(tp, n, ctx) / roofline_decode(tp, conc[np - 1], ctx);
	return tok_s[np - 1] * (r > 1 ? r : 1);
}

/* One by_context curve, carried from its own context to ctx by the
 * roofline's ratio (1 at its own context). */
static double
ctx_curve_at(const struct fc_throughput *tp, const struct fc_ctxpoint *c,
    double n, double ctx)
{
	double at = c->context_tokens > 0 ? c->context_tokens : ctx;

	return curve_at(tp, c->conc, c->tok_s, c->n, n, at) *
	    roofline_decode(tp, n, ctx) / roofline_decode(tp, n, at);
}

/*
 * A measured context curve (by_context) wins over the point's correction:
 * linear in the context between two measured lengths; outside them the
 * nearest one, carried by the roofline's ratio.
 */
static double
by_context_decode(const struct fc_throughput *tp, double n, double ctx)
{
	const struct fc_tpoint *p = tp->point;
	size_t i;

	if (p->n_ctx == 1 || ctx <= p->by_ctx[0].context_tokens)
		return ctx_curve_at(tp, &p->by_ctx[0], n, ctx);
	for (i = 1; i < p->n_ctx; i++)
		if (ctx <= p->by_ctx[i].context_tokens) {
			const struct fc_ctxpoint *a = &p->by_ctx[i - 1], *b = &p->by_ctx[i];
			double t = (ctx - a->context_tokens) /
			    (b->context_tokens - a->context_tokens);
			double ya = curve_at(tp, a->conc, a->tok_s, a->n, n, a->context_tokens);
			double yb = curve_at(tp, b->conc, b->tok_s, b->n, n, b->context_tokens);
			return ya + t * (yb - ya);
		}
	return ctx_curve_at(tp, &p->by_ctx[p->n_ctx - 1], n, ctx);
}

double
fc_throughput_decode(const struct fc_throughput *tp, double n, double ctx)
{
	const struct fc_tpoint *p = tp->point;
	double a, bound;

	if (tp->basis != FC_CAP_MEASURED || p == NULL || p->n == 0)
		return roofline_decode(tp, n, ctx);
	if (p->n_ctx > 0) {
		a = by_context_decode(tp, n, ctx);
	} else if (tp->point_ctx_tokens > 0) {
		double at = tp->point_ctx_tokens;
		a = curve_at(tp, p->conc, p->tok_s, p->n, n, at) *
		    roofline_decode(tp, n, ctx) / roofline_decode(tp, n, at);
	} else {
		a = curve_at(tp, p->conc, p->tok_s, p->n, n, ctx);
	}
	/* a CPU's batched decode cannot outrun its arithmetic: n tokens cost
	 * n 2N FLOPs, the prefill rate's bound */
	bound = tp->compute_eff_gflops / (2 * tp->params_b);
	if (!tp->gpu && n > 1 && a > bound)
		a = bound;
	return a * (tp->decode_scale > 0 ? tp->decode_scale : 1);
}

static double
lognormal_factor(double cv, double z)
{
	double s2 = log(1 + cv * cv);

	return exp(sqrt(s2) * z - s2 / 2);
}

void
fc_throughput_draw(const struct fc_throughput *tp, double z,
    struct fc_throughput *out)
{
	double fp;

	*out = *tp;
	if (tp->decode_cv > 0)
		out->decode_scale = lognormal_factor(tp->decode_cv, z);
	if (tp->prefill_cv > 0) {
		fp = lognormal_factor(tp->prefill_cv, z);
		out->prefill_tok_s *= fp;
		out->compute_eff_gflops *= fp;
	}
}

/* Server time of a mean call with n calls sharing the server. */
static double
call_time(const struct fc_throughput *tp, double n, double in, double out,
    double ctx)
{
	double a = fc_throughput_decode(tp, n, ctx);

	return in / tp->prefill_tok_s + (out > 0 ? out / a : 0);
}

enum fc_status
fc_capacity_eval(const struct fc_throughput *tp, double in, double out,
    double slo_s, long fixed_slots, struct fc_capacity *c)
{
	unsigned n, best = 1;
	double t1;

	memset(c, 0, sizeof(*c));
	c->tp = *tp;
	if (!(tp->prefill_tok_s > 0) || !(tp->bw_eff_gbs > 0) ||
	    !(tp->compute_eff_gflops > 0))
		return FC_EDOM;
	/* a decoded token attends, on average, to the prompt and half the answer */
	c->ctx_tokens = in + out / 2;
	c->decode1_tok_s = fc_throughput_decode(tp, 1, c->ctx_tokens);
	t1 = call_time(tp, 1, in, out, c->ctx_tokens);
	if (!(t1 > 0))
		t1 = 1e-9;  /* an empty call: no work at all */
	c->single_call_s = t1;
	c->slo_feasible = t1 <= slo_s;
	/*
	 * Processor sharing: with n calls in service each gets 1/n of the
	 * server, so a call takes n T(n).  The best slot count serves the most
	 * calls per second, n/(n T(n)) = 1/T(n), while n T(n) leaves room for
	 * the SLO; half the SLO is kept for queueing and variability.
	 */
	c->speedup[0] = 0;
	for (n = 1; n <= FC_MAX_SLOTS; n++) {
		double tn = call_time(tp, n, in, out, c->ctx_tokens);
		if (!(tn > 0))
			tn = 1e-9;
		/* total service rate with n calls, relative to one call alone */
		c->speedup[n] = t1 / tn;
		if (fixed_slots > 0)
			continue;
		if (n * tn <= slo_s / 2 && 1 / tn > 1 / call_time(tp, best, in, out, c->ctx_tokens) * 1.001)
			best = n;
	}
	if (fixed_slots > 0)
		best = fixed_slots > FC_MAX_SLOTS ? FC_MAX_SLOTS : (unsigned)fixed_slots;
	c->slots = best;
	c->agg_decode_tok_s = fc_throughput_decode(tp, best, c->ctx_tokens);
	c->call_server_s = call_time(tp, best, in, out, c->ctx_tokens);
	if (!(c->call_server_s > 0))
		c->call_server_s = 1e-9;
	c->calls_per_s = 1 / c->call_server_s;
	c->call_latency_s = best * c->call_server_s;
	return FC_OK;
}
