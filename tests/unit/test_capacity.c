/*
 * test_capacity.c: honest throughput on the bundled
 * catalog (run from the repository root):
 *   - a measured point is carried to the scenario's context by the KV bytes
 *     read per token (the roofline's ratio), and only when it records the
 *     context it was measured at;
 *   - a CPU's batched decode never exceeds its compute bound (the prefill
 *     rate), a GPU's is not capped;
 *   - hardware without efficiency figures takes its class default from the
 *     data (a spec-sheet GPU profile against published llama.cpp figures:
 *     see spec_sheet).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "capacity.h"
#include "data.h"
#include "scenario.h"
#include "testutil.h"

static void
assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.12g, want %.12g (tol %g)", got, want, tol);
}

/* Hetzner CX42/CX43 as data/hardware/hetzner.yaml has it: llama-2-7b
 * Q4_K_M, llama-bench pp128 10.1 tok/s, tg128 5.96 tok/s (docs/model.md,
 * "Measured points the unit tests pin"), measured at a mean context of 64. */
static void
cx43(struct fc_hw *h, struct fc_tpoint *p, double ctx)
{
	memset(h, 0, sizeof(*h));
	memset(p, 0, sizeof(*p));
	h->id = (char *)"test/cx43";
	h->mem_bandwidth_gbs = 83.0;
	h->compute_gflops = 268.8;
	h->eta_decode = 0.2930;
	h->eta_prefill = 0.5065;
	h->eta_given = 1;
	p->model = (char *)"llama-2-7b-q4_k_m";
	p->params_b = 6.74;
	p->weights_gb = 4.08;
	p->prefill_tok_s = 10.1;
	p->n = 1;
	p->conc[0] = 1;
	p->tok_s[0] = 5.96;
	p->context_tokens = ctx;
	h->points = p;
	h->npoints = 1;
}

static const struct fc_model *
llama2(enum fc_quant *q)
{
	const struct fc_model *m = fc_catalog_model(cat, "llama-2-7b-q4_k_m", q);

	assert_non_null(m);
	return m;
}

static void
test_context_correction(void **state)
{
	struct fc_hw h;
	struct fc_tpoint p;
	struct fc_throughput tp;
	enum fc_quant q;
	const struct fc_model *m = llama2(&q);
	double kv = m->kv_bytes_per_token / 1e9, w = m->weights_gb[q], d64, d1064;

	(void)state;
	cx43(&h, &p, 64);
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	assert_int_equal(tp.basis, FC_CAP_MEASURED);
	assert_string_equal(fc_throughput_label(&tp), "measured, context-corrected");
	/* at the measured context, the measurement itself */
	d64 = fc_throughput_decode(&tp, 1, 64);
	assert_near(d64, 5.96, 1e-9);
	/* at a 1,000-token prompt, by the bytes read per token */
	d1064 = fc_throughput_decode(&tp, 1, 1064);
	assert_near(d1064, 5.96 * (w + kv * 64) / (w + kv * 1064), 1e-9);
	assert_true(d1064 < d64 * 0.9);    /* llama-2-7b has no GQA: 0.5 MB a token */
	/* a point that does not say its context is used as it is */
	cx43(&h, &p, 0);
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	assert_string_equal(fc_throughput_label(&tp), "measured");
	assert_near(fc_throughput_decode(&tp, 1, 1064), 5.96, 1e-9);
}

/* A measured context curve wins over the correction: linear between the
 * measured lengths, the roofline's ratio beyond them. */
static void
test_context_curve(void **state)
{
	struct fc_hw h;
	struct fc_tpoint p;
	struct fc_throughput tp;
	enum fc_quant q;
	const struct fc_model *m = llama2(&q);

	(void)state;
	cx43(&h, &p, 64);
	p.n_ctx = 2;
	p.by_ctx[0].context_tokens = 40;
	p.by_ctx[0].n = 1;
	p.by_ctx[0].conc[0] = 1;
	p.by_ctx[0].tok_s[0] = 6.0;
	p.by_ctx[1].context_tokens = 520;
	p.by_ctx[1].n = 1;
	p.by_ctx[1].conc[0] = 1;
	p.by_ctx[1].tok_s[0] = 4.0;
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	assert_string_equal(fc_throughput_label(&tp), "measured context curve");
	assert_near(fc_throughput_decode(&tp, 1, 40), 6.0, 1e-9);
	assert_near(fc_throughput_decode(&tp, 1, 280), 5.0, 1e-9);
	assert_near(fc_throughput_decode(&tp, 1, 520), 4.0, 1e-9);
	assert_true(fc_throughput_decode(&tp, 1, 2000) < 4.0);
	assert_true(fc_throughput_decode(&tp, 1, 8) > 6.0);
}

/* A trial's draw: lognormal of mean 1 with the measured spread. */
static void
test_draw(void **state)
{
	struct fc_hw h;
	struct fc_tpoint p;
	struct fc_throughput tp, t;
	enum fc_quant q;
	const struct fc_model *m = llama2(&q);
	double s2 = log(1 + 0.1 * 0.1), sum = 0;
	int k;

	(void)state;
	cx43(&h, &p, 64);
	p.tok_s_sd[0] = 0.596;      /* cv 0.1 */
	p.prefill_sd = 1.01;
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	assert_near(tp.decode_cv, 0.1, 1e-12);
	assert_near(tp.prefill_cv, 0.1, 1e-12);
	fc_throughput_draw(&tp, 0, &t);
	assert_near(fc_throughput_decode(&t, 1, 64), 5.96 * exp(-s2 / 2), 1e-9);
	assert_near(t.prefill_tok_s, 10.1 * exp(-s2 / 2), 1e-9);
	fc_throughput_draw(&tp, 1.6448536, &t);
	assert_near(fc_throughput_decode(&t, 1, 64), 5.96 * exp(sqrt(s2) * 1.6448536 - s2 / 2), 1e-9);
	/* mean 1: E exp(s Z - s^2 / 2) over a fine grid of the normal */
	for (k = -4000; k <= 4000; k++) {
		double z = k / 500.0;
		fc_throughput_draw(&tp, z, &t);
		sum += t.decode_scale * exp(-z * z / 2) / sqrt(2 * M_PI) / 500.0;
	}
	assert_near(sum, 1, 1e-6);
}

/* Two slots on the CX43 measured 10.47 tok/s aggregate (docs/model.md,
 * "Measured points the unit tests pin"), above its 10.1 prefill rate:
 * capped on a CPU, not on a GPU. */
static void
test_cpu_batched_cap(void **state)
{
	struct fc_hw h;
	struct fc_tpoint p;
	struct fc_throughput tp;
	enum fc_quant q;
	const struct fc_model *m = llama2(&q);
	unsigned n;

	(void)state;
	cx43(&h, &p, 64);
	p.n = 2;
	p.conc[1] = 2;
	p.tok_s[1] = 10.47;
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	assert_near(fc_throughput_decode(&tp, 2, 64), 10.1, 1e-9);
	for (n = 2; n <= 64; n *= 2)
		assert_true(fc_throughput_decode(&tp, n, 64) <= 10.1 + 1e-9);
	h.gpu = 1;
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	assert_near(fc_throughput_decode(&tp, 2, 64), 10.47, 1e-9);
}

/*
 * Against the data's own sources (docs/model.md, "Measured points the unit
 * tests pin": SpareCores llama-bench runs of llama-2-7b Q4_K_M):
 *   - the context correction carries CCX33's tg128 (9.31 tok/s, mean
 *     context 64) to tg16's context (8): predicted 9.38, measured 9.38; on
 *     the shared-vCPU CX43 (5.96 -> measured 6.32, "results vary with noisy
 *     neighbours") within 6%;
 *   - batched decode on those CPUs gains at most prefill / decode: 1.7x on
 *     CX42 and 2.4x on CCX33, the figures docs/model.md gives.
 */
static void
test_published_cpu(void **state)
{
	struct fc_hw h;
	struct fc_tpoint p;
	struct fc_throughput tp;
	enum fc_quant q;
	const struct fc_model *m = llama2(&q);
	double tg16;

	(void)state;
	cx43(&h, &p, 64);
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	tg16 = fc_throughput_decode(&tp, 1, 8);
	assert_true(fabs(tg16 / 6.32 - 1) < 0.06);
	assert_true(fc_throughput_decode(&tp, 64, 64) / fc_throughput_decode(&tp, 1, 64) <= 1.70);
	/* CCX33: 9.31 tok/s tg128, 22.5 tok/s pp128 */
	h.mem_bandwidth_gbs = 39.3;
	h.compute_gflops = 153.6;
	p.prefill_tok_s = 22.5;
	p.tok_s[0] = 9.31;
	fc_throughput_init(&h, m, q, "llama-2-7b-q4_k_m", &tp);
	tg16 = fc_throughput_decode(&tp, 1, 8);
	assert_true(fabs(tg16 / 9.38 - 1) < 0.01);
	assert_true(fc_throughput_decode(&tp, 64, 64) / fc_throughput_decode(&tp, 1, 64) <= 2.42);
	assert_true(fc_throughput_decode(&tp, 64, 64) / fc_throughput_decode(&tp, 1, 64) > 2.3);
}

/* The CPU class default is the median of the catalog's measured CPU
 * entries (CX43 0.2930 / 0.5065 and CCX33 0.9665 / 0.9873). */
static void
test_class_default(void **state)
{
	double d, p;
	size_t n;

	(void)state;
	fc_catalog_class_efficiency(cat, 0, &d, &p, &n);
	assert_int_equal(n, 2);
	assert_near(d, (0.2930 + 0.9665) / 2, 1e-12);
	assert_near(p, (0.5065 + 0.9873) / 2, 1e-12);
	fc_catalog_class_efficiency(cat, 1, &d, &p, &n);
	assert_true(n >= 1 && d > 0 && d < 1 && p > 0 && p < 1);
	/* the GPU one counts each measurement once: the H100 measured once
	 * and listed by three providers is one of four (RTX 4090 0.642/0.694,
	 * L40S 0.662/0.268, RTX 6000 Ada 0.689/0.255, H100 PCIe 0.360/0.173;
	 * llama-bench tg512 and pp512 of Llama 3 8B Q4_K_M, docs/model.md) */
	assert_int_equal(n, 4);
	assert_near(d, (0.642 + 0.662) / 2, 1e-12);
	assert_near(p, (0.255 + 0.268) / 2, 1e-12);
	/* by memory: the HBM GPUs (the H100, once), the GDDR ones (the rest) */
	fc_catalog_class_efficiency(cat, FC_CLASS_GPU_HBM, &d, &p, &n);
	assert_int_equal(n, 1);
	assert_near(d, 0.360, 1e-12);
	assert_near(p, 0.173, 1e-12);
	fc_catalog_class_efficiency(cat, FC_CLASS_GPU_GDDR, &d, &p, &n);
	assert_int_equal(n, 3);
	assert_near(d, 0.662, 1e-12);
	assert_near(p, 0.268, 1e-12);
	/* the prefill by tensor rate: GeForce's datasheet rate (FP32
	 * accumulate, half) is the RTX 4090's alone; the full-rate GDDR cards
	 * are the L40S and the RTX 6000 Ada; every full-rate GPU adds the H100 */
	p = -1;
	fc_catalog_rate_prefill(cat, FC_CLASS_GPU_GDDR, FC_TENSOR_HALF, &p, &n);
	assert_int_equal(n, 1);
	assert_near(p, 0.694, 1e-12);
	fc_catalog_rate_prefill(cat, FC_CLASS_GPU_GDDR, FC_TENSOR_FULL, &p, &n);
	assert_int_equal(n, 2);
	assert_near(p, (0.255 + 0.268) / 2, 1e-12);
	fc_catalog_rate_prefill(cat, 1, FC_TENSOR_FULL, &p, &n);
	assert_int_equal(n, 3);
	assert_near(p, 0.255, 1e-12);
	fc_catalog_rate_prefill(cat, FC_CLASS_GPU_HBM, FC_TENSOR_HALF, &p, &n);
	assert_int_equal(n, 0);
	assert_near(p, 0.255, 1e-12);  /* untouched */
	fc_catalog_rate_prefill(cat, 1, FC_TENSOR_UNKNOWN, &p, &n);
	assert_int_equal(n, 0);
}

/*
 * Spec-sheet GPU profiles, without efficiency, against published llama.cpp
 * figures for llama-2 7B Q4_0:
 *   - RTX 4000 Ada (360 GB/s, 81.9 TFLOPS FP16 dense): 64.53 tok/s decode,
 *     1819.86 tok/s prompt (github.com/XiongjieDai/GPU-Benchmarks-on-LLM-
 *     Inference, Dec 2023);
 *   - NVIDIA L4 (300 GB/s, 121 TFLOPS): the spec sheet at efficiency 1
 *     gives 1.36x the published decode and 3.9x the prefill, a decode
 *     efficiency of about 0.73 (docs/model.md).
 * The profile takes exactly the class default: its figures are those of the
 * same profile at efficiency 1 times the catalog's GPU median.  When the
 * catalog's only GPU efficiencies were gex44's and the A5000's (0.70/0.30,
 * 0.60/0.26) that median landed within 20% of both published figures; the
 * measured cloud GPUs (RTX 4090 0.566/0.451, RTX 6000 Ada 0.507/0.145, H100
 * 0.256/0.087, listed twice) moved it to 0.38/0.12, which put these two
 * small cards at 0.39-0.55x their published decode and prefill; with the
 * H100 counted once it is 0.507/0.145.  The check is a factor of 3
 * (efficiency 1 was up to 3.9x off); a class default nearer these cards is
 * the data's to give.
 */
static void
spec_tp(const char *name, double bw, double gflops, const char *eff,
    struct fc_throughput *tp, int *warned)
{
	char path[64], text[1024];
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	FILE *f;
	int fd;
	size_t i;

	snprintf(path, sizeof(path), "/tmp/flatcost-test-capacity-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	snprintf(text, sizeof(text),
	    "flatcost: 1\nname: spec sheet %s\nusers: 100\n"
	    "workload: {requests_per_user_per_day: 10, input_tokens: 8, output_tokens: 128}\n"
	    "api: {price: openai/gpt-4o-mini}\n"
	    "flat:\n  hardware: {name: %s, kind: gpu, ram_gb: 64, vram_gb: 24, "
	    "monthly_price: 500, mem_bandwidth_gbs: %g, compute_gflops: %g%s}\n"
	    "  model: llama-2-7b-q4_0\n  slo: {p95_latency_s: 60}\n", name, name, bw, gflops,
	    eff);
	fputs(text, f);
	fclose(f);
	fc_diags_init(&d);
	assert_int_equal(fc_scenario_load(path, cat, NULL, 0, &s, &d), FC_OK);
	unlink(path);
	*warned = 0;
	for (i = 0; i < d.n; i++)
		*warned |= strstr(d.v[i].msg, "(roofline, default efficiency)") != NULL;
	fc_diags_free(&d);
	assert_int_equal(s->flat.hw.eta_default, !*eff);
	fc_throughput_init(&s->flat.hw, &s->flat.model, s->flat.quant,
	    s->flat.model_ref, tp);
	fc_scenario_free(s);
}

static void
spec_sheet(const char *name, double bw, double gflops, double dec, double pre)
{
	struct fc_throughput tp, tp1;
	int warned;
	size_t n;
	double got_d, got_p, eta_d, eta_p;

	fc_catalog_class_efficiency(cat, 1, &eta_d, &eta_p, &n);
	spec_tp(name, bw, gflops, ", efficiency: {decode: 1, prefill: 1}", &tp1, &warned);
	assert_false(warned);
	spec_tp(name, bw, gflops, "", &tp, &warned);
	assert_true(warned);
	assert_string_equal(fc_throughput_label(&tp), "roofline, default efficiency");
	got_d = fc_throughput_decode(&tp, 1, 64);
	got_p = tp.prefill_tok_s;
	assert_near(got_d / fc_throughput_decode(&tp1, 1, 64), eta_d, 1e-9);
	assert_near(got_p / tp1.prefill_tok_s, eta_p, 1e-9);
	if (!(got_d > dec / 3 && got_d < 3 * dec && got_p > pre / 3 && got_p < 3 * pre))
		fail_msg("%s: decode %.1f (published %.1f), prefill %.0f (published %.0f)",
		    name, got_d, dec, got_p, pre);
}

static void
test_spec_sheet_gpus(void **state)
{
	enum fc_quant q;
	const struct fc_model *m = fc_catalog_model(cat, "llama-2-7b-q4_0", &q);
	double w, n;

	(void)state;
	assert_non_null(m);
	w = m->weights_gb[q];
	n = m->params_b;
	spec_sheet("rtx4000ada", 360, 81900, 64.53, 1819.86);
	spec_sheet("l4", 300, 121000, 300 / (w + m->kv_bytes_per_token / 1e9 * 64) / 1.36,
	    121000 / (2 * n) / 3.9);
}

/*
 * A GDDR GPU described with its architecture and board power: the
 * scenario's hardware takes the prefill that power pays for (Ada 0.290
 * TFLOP/s a W; an RTX 4080 at 320 W, 97.5 TFLOP/s on its datasheet: 0.952
 * of it), says so in a note, and keeps the decode class default; without
 * board_power_w, or of an architecture without data, the tensor rate's.
 * With its SM count and boost clock, its decode default is the every-GPU
 * one capped by the SMs' bound.
 */
static struct fc_scenario *
load_hw(const char *hw, struct fc_diags *d)
{
	char path[64], text[1024];
	struct fc_scenario *s = NULL;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/flatcost-test-capacity-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	snprintf(text, sizeof(text),
	    "flatcost: 1\nname: board power\nusers: 100\n"
	    "workload: {requests_per_user_per_day: 10, input_tokens: 8, output_tokens: 128}\n"
	    "api: {price: openai/gpt-4o-mini}\n"
	    "flat:\n  hardware: {name: rtx4080, kind: gpu, ram_gb: 64, vram_gb: 16, "
	    "monthly_price: 500, mem_bandwidth_gbs: 716.8, compute_gflops: 97500, %s}\n"
	    "  model: llama-3.1-8b-q4_k_m\n  slo: {p95_latency_s: 60}\n", hw);
	fputs(text, f);
	fclose(f);
	fc_diags_init(d);
	assert_int_equal(fc_scenario_load(path, cat, NULL, 0, &s, d), FC_OK);
	unlink(path);
	return s;
}

static void
test_power_prefill(void **state)
{
	struct fc_diags d;
	struct fc_scenario *s;
	size_t i, n;
	int noted = 0;
	double dec, pre, any_d, any_p;

	(void)state;
	fc_catalog_class_efficiency(cat, FC_CLASS_GPU_GDDR, &dec, &pre, &n);
	s = load_hw("memory: gddr, tensor_rate: half, arch: ada, board_power_w: 320", &d);
	for (i = 0; i < d.n; i++)
		noted |= strstr(d.v[i].msg, "board_power_w 320") != NULL;
	assert_true(noted);
	assert_int_equal(s->flat.hw.arch, FC_ARCH_ADA);
	assert_near(s->flat.hw.eta_prefill, 0.290 * 320e3 / 97500, 1e-12);
	assert_near(s->flat.hw.eta_decode, dec, 1e-12);
	fc_diags_free(&d);
	fc_scenario_free(s);
	/* without the power, the half tensor rate's default (the RTX 4090's) */
	s = load_hw("memory: gddr, tensor_rate: half, arch: ada", &d);
	assert_near(s->flat.hw.eta_prefill, 0.694, 1e-12);
	fc_diags_free(&d);
	fc_scenario_free(s);
	/* an architecture without data: the same */
	s = load_hw("memory: gddr, tensor_rate: half, arch: turing, board_power_w: 320", &d);
	assert_near(s->flat.hw.eta_prefill, 0.694, 1e-12);
	fc_diags_free(&d);
	fc_scenario_free(s);
	/* efficiency given: kept */
	s = load_hw("memory: gddr, arch: ada, board_power_w: 320, sm_count: 20, "
	    "boost_clock_mhz: 1000, efficiency: {decode: 0.7, prefill: 0.5}", &d);
	assert_near(s->flat.hw.eta_prefill, 0.5, 1e-12);
	assert_near(s->flat.hw.eta_decode, 0.7, 1e-12);
	fc_diags_free(&d);
	fc_scenario_free(s);
	/* its SMs and clock: the every-GPU decode default capped by the bytes
	 * the SMs stream (4.10 an SM a clock): 76 SMs at 2505 MHz stream more
	 * than 716.8 GB/s, no cap; 20 SMs at 1000 MHz stream 82 GB/s, 0.114 */
	s = load_hw("memory: gddr, sm_count: 76, boost_clock_mhz: 2505", &d);
	fc_catalog_class_efficiency(cat, 1, &any_d, &any_p, &n);
	assert_near(s->flat.hw.eta_decode, any_d, 1e-12);  /* not the GDDR class's */
	assert_true(fabs(any_d - dec) > 0.005);
	fc_diags_free(&d);
	fc_scenario_free(s);
	s = load_hw("memory: gddr, sm_count: 20, boost_clock_mhz: 1000", &d);
	for (i = 0, noted = 0; i < d.n; i++)
		noted |= strstr(d.v[i].msg, "sm_count 20 at boost_clock_mhz 1000") != NULL;
	assert_true(noted);
	assert_near(s->flat.hw.eta_decode, 4.10 * 20 * 1.0 / 716.8, 1e-12);
	fc_diags_free(&d);
	fc_scenario_free(s);
}

/*
 * A mixture of experts (Qwen3-30B-A3B: 30.53B parameters, 3.35B active,
 * 48 layers, 4 KV heads of 128; Q4_K_M GGUF 18.6 GB) on the catalog's RTX
 * 4090, whose only measurement is a dense 7B: decode reads the active
 * weights, prefill computes with the active parameters, memory holds all.
 * Published single-stream decode: 196 tok/s on an RTX 4090 (runaihome.com,
 * "Qwen3-30B-A3B Local AI Guide", 2026); within 30% (docs/model.md).  A
 * dense model of the same size decodes about a ninth as fast.
 */
static void
test_moe(void **state)
{
	const struct fc_hw *h = fc_catalog_hw(cat, "cloud-gpu/runpod-rtx4090");
	struct fc_model m;
	struct fc_throughput tp, dense;
	double d1, d8;

	(void)state;
	assert_non_null(h);
	memset(&m, 0, sizeof(m));
	m.params_b = 30.53;
	m.active_params_b = 3.35;
	m.layers = 48;
	m.kv_bytes_per_token = 2.0 * 48 * 4 * 128 * 2;
	m.weights_gb[FC_Q4_K_M] = 18.6;
	assert_near(fc_model_active_share(&m), 3.35 / 30.53, 1e-12);
	fc_throughput_init(h, &m, FC_Q4_K_M, "qwen3-30b-a3b-q4_k_m", &tp);
	assert_int_equal(tp.basis, FC_CAP_SCALED);
	assert_near(tp.all_weights_gb, 18.6, 1e-12);
	assert_near(tp.weights_gb, 18.6 * 3.35 / 30.53, 1e-9);
	assert_near(tp.params_b, 3.35, 1e-9);
	d1 = fc_throughput_decode(&tp, 1, 64);
	if (!(fabs(d1 / 196 - 1) <= 0.30))
		fail_msg("Qwen3-30B-A3B Q4_K_M on an RTX 4090: %.1f tok/s, published 196", d1);
	/* a batch reads more experts: per stream slower, in total faster */
	d8 = fc_throughput_decode(&tp, 8, 64);
	assert_true(d8 > d1 && d8 / 8 < d1);
	m.active_params_b = 0;
	fc_throughput_init(h, &m, FC_Q4_K_M, "qwen3-30b-a3b-q4_k_m", &dense);
	assert_true(fc_throughput_decode(&dense, 1, 64) < d1 / 5);
	assert_near(tp.prefill_tok_s / dense.prefill_tok_s, 30.53 / 3.35, 1e-9);
}

/*
 * A model of per-layer embeddings (Gemma 3n: active_params_b its effective
 * parameters, `experts: 0`) reads its active share per token, as a
 * mixture of experts does, but decodes at a dense model's efficiency: the
 * mixture-of-experts factor (0.70) is not applied.  The catalog's Qwen3
 * 30B-A3B says its 128 experts and keeps it.
 */
static void
test_per_layer_embeddings(void **state)
{
	const struct fc_hw *h = fc_catalog_hw(cat, "cloud-gpu/runpod-rtx4090");
	enum fc_quant q;
	const struct fc_model *g = fc_catalog_model(cat, "gemma-3n-e4b-q4_k_m", &q);
	const struct fc_model *moe = fc_catalog_model(cat, "qwen3-30b-a3b-q4_k_m", &q);
	struct fc_model m;
	struct fc_throughput ple, asmoe;

	(void)state;
	assert_non_null(h);
	assert_non_null(g);
	assert_non_null(moe);
	assert_true(g->experts_given && g->experts == 0);
	assert_false(fc_model_is_moe(g));
	assert_true(moe->experts_given && moe->experts == 128);
	assert_true(fc_model_is_moe(moe));
	fc_throughput_init(h, g, FC_Q4_K_M, NULL, &ple);
	assert_near(ple.weights_gb, 4.54 * 3.98 / 6.87, 1e-9);
	m = *g;
	m.experts_given = 0;  /* as before: active_params_b alone is a mixture of experts */
	assert_true(fc_model_is_moe(&m));
	fc_throughput_init(h, &m, FC_Q4_K_M, NULL, &asmoe);
	assert_near(ple.bw_eff_gbs * 0.70, asmoe.bw_eff_gbs, 1e-9);
	assert_true(fc_throughput_decode(&ple, 1, 64) > 1.3 * fc_throughput_decode(&asmoe, 1, 64));
}


/*
 * GPU throughput against published llama.cpp figures
 * (data/published/gpu-llamabench.tsv, docs/model.md "GPU throughput").
 */
struct pub {
	char set[8], gpu[32], model[32], quant[4], test[4];
	double bw, params, active, weights, tok_s;
};

static size_t
read_published(struct pub *v, size_t cap)
{
	FILE *f = fopen("data/published/gpu-llamabench.tsv", "r");
	char line[512], act[16];
	size_t n = 0;
	int ln = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct pub *p = &v[n];
		ln++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < cap);
		if (sscanf(line, "%7[^\t]\t%31[^\t]\t%lf\t%31[^\t]\t%lf\t%15[^\t]\t%lf\t%3[^\t]\t%3[^\t]\t%lf\t",
		    p->set, p->gpu, &p->bw, p->model, &p->params, act, &p->weights,
		    p->quant, p->test, &p->tok_s) != 10)
			fail_msg("gpu-llamabench.tsv:%d: a short or malformed row", ln);
		p->active = strcmp(act, "-") == 0 ? 0 : atof(act);
		n++;
	}
	fclose(f);
	return n;
}

static const struct pub *
find_pub(const struct pub *v, size_t n, const char *set, const char *gpu,
    const char *model, const char *quant, const char *test)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].set, set) && !strcmp(v[i].gpu, gpu) &&
		    !strcmp(v[i].model, model) && !strcmp(v[i].quant, quant) &&
		    !strcmp(v[i].test, test))
			return &v[i];
	return NULL;
}

/* data/published/gpu-datasheets.tsv: a GPU's architecture, memory and
 * board power. */
struct sheet {
	char gpu[32], arch[16], memory[8];
	double watts, sm, mhz;
};

static size_t
read_sheets(struct sheet *v, size_t cap)
{
	FILE *f = fopen("data/published/gpu-datasheets.tsv", "r");
	char line[1024];
	size_t n = 0;
	int ln = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct sheet *p = &v[n];
		ln++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < cap);
		if (sscanf(line, "%31[^\t]\t%15[^\t]\t%7[^\t]\t%lf\t%lf\t%lf\t", p->gpu,
		    p->arch, p->memory, &p->watts, &p->sm, &p->mhz) != 6 || !(p->watts > 0) ||
		    !(p->sm >= 1) || !(p->mhz > 0))
			fail_msg("gpu-datasheets.tsv:%d: a short or malformed row", ln);
		n++;
	}
	fclose(f);
	return n;
}

static const struct sheet *
find_sheet(const struct sheet *v, size_t n, const char *gpu)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].gpu, gpu))
			return &v[i];
	return NULL;
}

static int
enum_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	fail_msg("'%s' is not a known name", s);
	return -1;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n-1] leaving out v[skip] (skip >= n: none). */
static double
median_skip(const double *v, size_t n, size_t skip)
{
	double w[64];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (i != skip)
			w[k++] = v[i];
	qsort(w, k, sizeof(*w), cmp_d);
	return k % 2 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
}

/*
 * Prefill from board power: the TFLOP/s a watt of 4-bit pp512 (Llama 3 8B
 * Q4_K_M, 2 x 8.03e9 FLOPs a token) of the GDDR GPUs of one architecture;
 * the constant is their median; leave-one-out, each GPU's Q4_K_M pp512 (and
 * its F16 pp512 at the F16 prefill ratio) from the median of the others of
 * its architecture.
 */
static void
fit_power_prefill(const struct pub *v, size_t n)
{
	static struct sheet sh[64];
	size_t ns = read_sheets(sh, 64), i, j, a, k;
	static const int archs[] = { FC_ARCH_ADA, FC_ARCH_AMPERE };
	double sum = 0, worst = 0;
	size_t nerr = 0;

	for (a = 0; a < sizeof(archs) / sizeof(archs[0]); a++) {
		double tw[32];
		const struct pub *q[32], *f[32];
		const struct sheet *s[32];

		for (i = k = 0; i < n; i++) {
			const struct sheet *d;
			if (strcmp(v[i].set, "lb8b") || strcmp(v[i].quant, "q4") || strcmp(v[i].test, "pp"))
				continue;
			d = find_sheet(sh, ns, v[i].gpu);
			if (d == NULL)
				fail_msg("%s: not in gpu-datasheets.tsv", v[i].gpu);
			if (strcmp(d->memory, "gddr") || enum_index(fc_arch_names, d->arch) != archs[a])
				continue;
			assert_true(k < 32);
			q[k] = &v[i];
			s[k] = d;
			f[k] = find_pub(v, n, "lb8b", v[i].gpu, v[i].model, "f16", "pp");
			tw[k++] = v[i].tok_s * 2 * v[i].params / 1e3 / d->watts;
		}
		assert_true(k >= 3);
		assert_near(fc_gpu_prefill_tflops_per_w(archs[a], FC_MEM_GDDR),
		    round(median_skip(tw, k, k) * 1000) / 1000, 1e-9);
		printf("leave-one-out, %s pp512 from board power (%.3f TFLOP/s a W):\n",
		    fc_arch_names[archs[a]], median_skip(tw, k, k));
		for (i = 0; i < k; i++) {
			double g = median_skip(tw, k, i) * 1e3 * s[i]->watts;  /* GFLOP/s */
			double pq = g / (2 * q[i]->params), err = pq / q[i]->tok_s - 1;
			printf("  %-14s %3.0f W %.3f TFLOP/s/W  Q4_K_M published %7.1f predicted %7.1f (%+.1f%%)",
			    q[i]->gpu, s[i]->watts, tw[i], q[i]->tok_s, pq, 100 * err);
			sum += fabs(err);
			worst = fmax(worst, fabs(err));
			nerr++;
			if (f[i]) {
				double pf = pq * fc_gpu_quant_prefill_rel(2.0);
				err = pf / f[i]->tok_s - 1;
				printf("  F16 %7.1f predicted %7.1f (%+.1f%%)", f[i]->tok_s, pf, 100 * err);
				sum += fabs(err);
				worst = fmax(worst, fabs(err));
				nerr++;
			}
			printf("\n");
		}
	}
	for (j = 0; j < ns; j++)  /* every row names a known architecture */
		(void)enum_index(fc_arch_names, sh[j].arch);
	printf("  mean |error| %.1f%%, worst %.1f%%\n", 100 * sum / nerr, 100 * worst);
	assert_true(sum / nerr < 0.12 && worst < 0.25);
	/* no constant for HBM GPUs, nor for an architecture without data */
	assert_true(fc_gpu_prefill_tflops_per_w(FC_ARCH_ADA, FC_MEM_HBM) == 0);
	assert_true(fc_gpu_prefill_tflops_per_w(FC_ARCH_VOLTA, FC_MEM_GDDR) == 0);
	assert_true(fc_gpu_prefill_tflops_per_w(FC_ARCH_ADA, FC_MEM_UNKNOWN) == 0);
}

/*
 * The SMs' bound on 4-bit decode: with e the every-GPU class default (the
 * bandwidth-bound efficiency) and s = SMs x boost GHz / bandwidth GB/s, a
 * GPU decodes at min(e, K s) of its bandwidth; K (bytes an SM streams a
 * clock) is the least-squares fit, in log, to the published 4-bit tg of
 * every GPU with a datasheet row (llama-bench tg512 of Llama 3 8B Q4_K_M,
 * tg128 of LLaMA 7B Q4_0, with their KV cache of 0.0336 GB), on a grid of
 * 0.05.  Leave-one-out: each GPU's efficiency from the fit without it.
 */
static double
fit_k(const double *s, const double *eff, size_t n, size_t skip, double e)
{
	double best = 0, bk = 0, k;
	size_t i;

	for (k = 2.0; k <= 8.0 + 1e-9; k += 0.05) {
		double err = 0;
		for (i = 0; i < n; i++)
			if (i != skip) {
				double l = log(fmin(e, k * s[i]) / eff[i]);
				err += l * l;
			}
		if (bk == 0 || err < best - 1e-12) {
			best = err;
			bk = k;
		}
	}
	return round(bk * 100) / 100;
}

static void
fit_sm_decode(const struct pub *v, size_t n)
{
	static struct sheet sh[64];
	size_t ns = read_sheets(sh, 64), i, k;
	double s[32] = { 0 }, eff[32] = { 0 }, e, p, sum = 0, worst = 0;
	const struct pub *q[32];
	size_t nn;

	fc_catalog_class_efficiency(cat, 1, &e, &p, &nn);
	for (i = k = 0; i < n; i++) {
		const struct sheet *d;
		if (!strcmp(v[i].set, "ss") || strcmp(v[i].quant, "q4") || strcmp(v[i].test, "tg"))
			continue;
		d = find_sheet(sh, ns, v[i].gpu);
		if (d == NULL)
			fail_msg("%s: not in gpu-datasheets.tsv", v[i].gpu);
		assert_true(k < 32);
		q[k] = &v[i];
		s[k] = d->sm * d->mhz * 1e-3 / v[i].bw;
		eff[k++] = v[i].tok_s * (v[i].weights + 0.0336) / v[i].bw;
	}
	assert_int_equal(k, 13);
	assert_near(fc_gpu_sm_decode_bytes_per_cycle(), fit_k(s, eff, k, k, e), 1e-9);
	printf("leave-one-out, 4-bit decode under the SMs' bound (%.2f bytes an SM a clock, "
	    "class default %.3f):\n", fit_k(s, eff, k, k, e), e);
	for (i = 0; i < k; i++) {
		double kk = fit_k(s, eff, k, i, e), pred = fmin(e, kk * s[i]);
		double err = pred / eff[i] - 1;
		printf("  %-15s %.3f SM GHz per GB/s  efficiency %.3f predicted %.3f "
		    "(K %.2f, %+.1f%%)\n", q[i]->gpu, s[i], eff[i], pred, kk, 100 * err);
		sum += fabs(err);
		worst = fmax(worst, fabs(err));
	}
	printf("  mean |error| %.1f%%, worst %.1f%%\n", 100 * sum / k, 100 * worst);
	assert_true(sum / k < 0.10 && worst < 0.25);
}

/*
 * The fit: the F16 / Q4 decode efficiency ratio and prefill ratio are the
 * medians over the lb8b GPUs, the step floor the median time per token of
 * the 1.2B model on the GPUs of 1,000 GB/s or more; the constants in
 * model/capacity.c must be that fit.  Leave-one-out: each GPU's figure
 * predicted from the fit without it.
 */
static void
test_gpu_fit(void **state)
{
	static struct pub v[256];
	size_t n = read_published(v, 256), i, k, j;
	double dr[32] = { 0 }, pr[32] = { 0 }, fl[32] = { 0 }, kvc = 131072e-9 * 256;
	const struct pub *q[32], *fq[32];
	double err, sum = 0, worst = 0;

	(void)state;
	for (i = k = 0; i < n; i++) {
		const struct pub *a = &v[i], *b, *c, *d;
		if (strcmp(a->set, "lb8b") || strcmp(a->quant, "q4") || strcmp(a->test, "tg"))
			continue;
		b = find_pub(v, n, "lb8b", a->gpu, a->model, "f16", "tg");
		if (b == NULL)
			continue;
		q[k] = a;
		fq[k] = b;
		dr[k] = b->tok_s * (b->weights + kvc) / (a->tok_s * (a->weights + kvc));
		c = find_pub(v, n, "lb8b", a->gpu, a->model, "q4", "pp");
		d = find_pub(v, n, "lb8b", a->gpu, a->model, "f16", "pp");
		pr[k] = c && d ? d->tok_s / c->tok_s : NAN;
		k++;
	}
	assert_int_equal(k, 12);
	assert_near(fc_gpu_quant_decode_rel(16.07 / 8.03), median_skip(dr, k, k), 0.003);
	printf("leave-one-out, F16 decode from Q4_K_M decode (llama-bench tg512):\n");
	for (i = 0; i < k; i++) {
		double r = median_skip(dr, k, i);
		double pred = q[i]->tok_s * (q[i]->weights + kvc) * r / (fq[i]->weights + kvc);
		err = pred / fq[i]->tok_s - 1;
		printf("  %-16s published %6.2f predicted %6.2f (%+.1f%%)\n", q[i]->gpu,
		    fq[i]->tok_s, pred, 100 * err);
		sum += fabs(err);
		worst = fmax(worst, fabs(err));
	}
	printf("  mean |error| %.1f%%, worst %.1f%%\n", 100 * sum / k, 100 * worst);
	assert_true(sum / k < 0.08 && worst < 0.20);
	/* the prefill ratio, over the GPUs with both pp512 figures */
	for (i = j = 0; i < k; i++)
		if (!isnan(pr[i]))
			pr[j++] = pr[i];
	assert_int_equal(j, 10);
	assert_near(fc_gpu_quant_prefill_rel(2.0), round(median_skip(pr, j, j) * 100) / 100, 0.006);
	sum = worst = 0;
	for (i = 0; i < j; i++) {
		err = median_skip(pr, j, i) / pr[i] - 1;
		sum += fabs(err);
		worst = fmax(worst, fabs(err));
	}
	printf("leave-one-out, F16 pp512 from Q4_K_M pp512: mean |error| %.1f%%, worst %.1f%%\n",
	    100 * sum / j, 100 * worst);
	assert_true(sum / j < 0.10 && worst < 0.20);
	/* the step floor */
	for (i = k = 0; i < n; i++)
		if (!strcmp(v[i].set, "ss") && !strcmp(v[i].model, "LFM2.5-1.2B") && v[i].bw >= 1000) {
			q[k] = &v[i];
			fl[k++] = 1 / v[i].tok_s;
		}
	assert_int_equal(k, 7);
	assert_near(fc_gpu_step_floor_s(), round(median_skip(fl, k, k) * 1e5) / 1e5, 1e-9);
	printf("leave-one-out, the step floor (1.2B Q4_K_M, single stream, 1/floor):\n");
	sum = worst = 0;
	for (i = 0; i < k; i++) {
		double pred = 1 / median_skip(fl, k, i);
		err = pred / q[i]->tok_s - 1;
		printf("  %-16s published %4.0f predicted %4.0f (%+.1f%%)\n", q[i]->gpu,
		    q[i]->tok_s, pred, 100 * err);
		sum += fabs(err);
		worst = fmax(worst, fabs(err));
	}
	printf("  mean |error| %.1f%%, worst %.1f%%\n", 100 * sum / k, 100 * worst);
	/* the A100s sit at 1.9-2.1 ms, a floor of their own that one floor
	 * for every GPU misses by 44-55% (docs/model.md); the others 0-8% */
	assert_true(worst < 0.60 && sum / k < 0.20);
	fit_power_prefill(v, n);
	fit_sm_decode(v, n);
}

/* A GPU described by its datasheet: the class default efficiency (of
 * class cls: 1 any GPU, FC_CLASS_GPU_HBM one that says `memory: hbm`),
 * the prefill that of the measured GPUs of its tensor rate, or, where sh
 * gives a GDDR GPU's architecture and board power, the prefill that power
 * pays for; where sh gives its SMs and clock, the every-GPU decode default
 * capped by the SMs' bound (as a scenario's hardware gets them,
 * model/scenario.c). */
static void
datasheet_gpu(struct fc_hw *h, double bw, double gflops, int cls, int rate,
    const struct sheet *sh)
{
	size_t n;
	double pw, sd, any_d, any_p;

	memset(h, 0, sizeof(*h));
	h->gpu = 1;
	h->mem_bandwidth_gbs = bw;
	h->compute_gflops = gflops;
	h->tensor_rate = rate;
	if (sh) {  /* its architecture, memory, board power, SMs and clock */
		h->arch = enum_index(fc_arch_names, sh->arch);
		/* the memory it says is its class's (any GPU: it says none) */
		assert_true(cls == 1 || enum_index(fc_memory_names, sh->memory) ==
		    (cls == FC_CLASS_GPU_HBM ? FC_MEM_HBM : FC_MEM_GDDR));
		h->memory = cls == 1 ? FC_MEM_UNKNOWN : enum_index(fc_memory_names, sh->memory);
		h->board_power_w = sh->watts;
		h->sm_count = (long)sh->sm;
		h->boost_clock_mhz = sh->mhz;
	}
	fc_catalog_class_efficiency(cat, cls, &h->eta_decode, &h->eta_prefill, &n);
	fc_catalog_rate_prefill(cat, cls, rate, &h->eta_prefill, &n);
	if ((pw = fc_gpu_power_prefill_eta(h)) > 0)
		h->eta_prefill = pw;
	if ((sd = fc_gpu_sm_decode_eta(h)) > 0) {
		fc_catalog_class_efficiency(cat, 1, &any_d, &any_p, &n);
		h->eta_decode = fmin(any_d, sd);
	}
	h->eta_default = 1;
}

/* Known misses: "gpu|model|quant|test" of figures the model is known to
 * miss by more than the target; one that meets it fails the test so that
 * the list stays true. */
static int
known_miss(const char *const *miss, const char *key)
{
	for (; *miss; miss++)
		if (strcmp(*miss, key) == 0)
			return 1;
	return 0;
}

static void
check_pub(const struct pub *p, const struct fc_hw *h, const struct fc_model *m,
    enum fc_quant qn, double ctx, double tol, const char *const *miss, int *bad,
    const char *how)
{
	struct fc_throughput tp;
	char key[128];
	double pred, err;

	fc_throughput_init(h, m, qn, NULL, &tp);
	pred = strcmp(p->test, "tg") ? tp.prefill_tok_s : fc_throughput_decode(&tp, 1, ctx);
	err = pred / p->tok_s - 1;
	snprintf(key, sizeof(key), "%s%s|%s|%s|%s", p->gpu, how, p->model, p->quant, p->test);
	printf("  %-15s %-19s %-3s %s published %8.2f predicted %8.2f (%+.1f%%)%s%s\n",
	    p->gpu, p->model, p->quant, p->test, p->tok_s, pred, 100 * err,
	    fabs(err) > tol ? " MISS" : "", how);
	if ((fabs(err) > tol) != known_miss(miss, key)) {
		printf("    ^ %s\n", fabs(err) > tol ? "not a known miss" : "a known miss that now meets the target");
		(*bad)++;
	}
}

static enum fc_quant
quant_of(const char *q, int llama2)
{
	return !strcmp(q, "f16") ? FC_F16 : !strcmp(q, "q8") ? FC_Q8_0 :
	    llama2 ? FC_Q4_0 : FC_Q4_K_M;
}

/*
 * Every catalog GPU with a published figure, and datasheet-described GPUs
 * on the class default (RTX 4080, RTX A6000, V100; RTX 3090, RTX 4000 and
 * 5000 Ada, A40 from their bandwidth and board power; the A100s' decode):
 * pp512 and tg of 7-8B F16, Q8_0 and Q4 within 25%; single-stream decode
 * of 1-30B models (dense and mixtures of experts) within 30%.
 */
static void
test_published_gpu(void **state)
{
	static struct pub v[256];
	static struct sheet sh[64];
	/* Ministral 3 3B decodes slower than its 1.8 GB predicts
	 * (docs/model.md) */
	static const char *const miss[] = {
		"RTX 4090|Ministral-3-3B|q4|tg",
		/* described by its bandwidth alone, as any GPU, the A100 SXM
		 * decodes single-stream at 0.33 of its bandwidth, half the class
		 * default: its SMs' bound; described with its SMs and clock it
		 * is not missed */
		"A100 SXM 80GB (any GPU)|llama-3-8b|q4|tg", "A100 SXM 80GB (any GPU)|llama-3-8b|f16|tg",
		NULL
	};
	/* sheet: the GPU is described with its architecture, memory, board
	 * power, SM count and boost clock (data/published/gpu-datasheets.tsv) */
	static const struct { const char *gpu, *hw; double gflops; int cls, rate, sheet; } gpus[] = {
		{ "RTX 4090", "cloud-gpu/runpod-rtx4090", 0, 0, 0, 0 },
		{ "H100 PCIe", "cloud-gpu/runpod-h100", 0, 0, 0, 0 },
		{ "L40S", "cloud-gpu/runpod-l40s", 0, 0, 0, 0 },
		{ "RTX 6000 Ada", "hetzner/gex130", 0, 0, 0, 0 },
		/* Ada whitepaper, FP16 tensor, FP32 accumulate, dense (GeForce: half
		 * rate); GA102 datasheet, FP16 tensor, dense */
		{ "RTX 4080", NULL, 97500, FC_CLASS_GPU_GDDR, FC_TENSOR_HALF, 1 },
		{ "RTX A6000", NULL, 154800, FC_CLASS_GPU_GDDR, FC_TENSOR_FULL, 1 },
		/* datasheet, PCIe tensor; without its memory (an HBM GPU takes the
		 * H100's prefill share, 0.173, where the V100 reaches 0.32) */
		{ "V100 PCIe 16GB", NULL, 112000, 1, FC_TENSOR_FULL, 1 },
		/* no compute figure: prefill from board power alone */
		{ "RTX 3090", NULL, 0, FC_CLASS_GPU_GDDR, 0, 1 },
		{ "RTX 4000 Ada", NULL, 0, FC_CLASS_GPU_GDDR, 0, 1 },
		{ "RTX 5000 Ada", NULL, 0, FC_CLASS_GPU_GDDR, 0, 1 },
		{ "A40", NULL, 0, FC_CLASS_GPU_GDDR, 0, 1 },
		/* decode only (HBM: no prefill from power) */
		{ "A100 PCIe 80GB", NULL, 0, FC_CLASS_GPU_HBM, 0, 1 },
		{ "A100 SXM 80GB", NULL, 0, FC_CLASS_GPU_HBM, 0, 1 },
		{ "A100 SXM 80GB", NULL, 0, 1, 0, 0 },  /* bandwidth alone */
	};
	size_t n = read_published(v, 256), ns = read_sheets(sh, 64), i, g;
	enum fc_quant qx;
	const struct fc_model *l3 = fc_catalog_model(cat, "llama-3.1-8b-q4_k_m", &qx);
	const struct fc_model *l2 = fc_catalog_model(cat, "llama-2-7b-q4_0", &qx);
	int bad = 0;

	(void)state;
	assert_non_null(l3);
	assert_non_null(l2);
	printf("7-8B, llama-bench (25%%):\n");
	for (g = 0; g < sizeof(gpus) / sizeof(gpus[0]); g++) {
		struct fc_hw hs;
		const struct fc_hw *h = gpus[g].hw ? fc_catalog_hw(cat, gpus[g].hw) : &hs;
		const struct sheet *d = gpus[g].sheet ? find_sheet(sh, ns, gpus[g].gpu) : NULL;
		assert_non_null(h);
		assert_true(!gpus[g].sheet || d != NULL);
		for (i = 0; i < n; i++) {
			const struct pub *p = &v[i];
			int l2p = !strcmp(p->set, "lb7b");
			if (strcmp(p->gpu, gpus[g].gpu) || !strcmp(p->set, "ss"))
				continue;
			if (!gpus[g].hw) {
				/* without a compute figure, one that no efficiency
				 * reaches: the prefill is the board power's, or none */
				datasheet_gpu(&hs, p->bw, gpus[g].gflops > 0 ? gpus[g].gflops : 1e6,
				    gpus[g].cls, gpus[g].rate, d);
				if (gpus[g].gflops == 0 && strcmp(p->test, "tg") &&
				    fc_gpu_power_prefill_eta(&hs) == 0)
					continue;
			}
			check_pub(p, h, l2p ? l2 : l3, quant_of(p->quant, l2p), l2p ? 64 : 256,
			    0.25, miss, &bad, g + 1 < sizeof(gpus) / sizeof(gpus[0]) ? "" : " (any GPU)");
		}
	}
	printf("single-stream decode, 1-30B (30%%):\n");
	for (i = 0; i < n; i++) {
		const struct pub *p = &v[i];
		struct fc_hw hs;
		const struct fc_hw *h = &hs;
		struct fc_model m;
		if (strcmp(p->set, "ss") || p->params > 30)
			continue;
		if (!strcmp(p->gpu, "RTX 4090"))
			h = fc_catalog_hw(cat, "cloud-gpu/runpod-rtx4090");
		else if (!strcmp(p->gpu, "RTX 4080"))
			datasheet_gpu(&hs, p->bw, 97500, 1, FC_TENSOR_HALF, NULL);
		else
			continue;
		memset(&m, 0, sizeof(m));
		m.params_b = p->params;
		m.active_params_b = p->active;
		m.weights_gb[FC_Q4_K_M] = p->weights;
		check_pub(p, h, &m, FC_Q4_K_M, 0, 0.30, miss, &bad, "");
	}
	/* the SMs' bound on independent data: the datacenter GPUs' single-stream
	 * decode of the dense 9-30B models, described by their SMs and clock
	 * (by their bandwidth alone at the class default: +13% to +179%) */
	printf("single-stream decode, dense 9-30B, datacenter GPUs by their SMs (25%%):\n");
	for (i = 0; i < n; i++) {
		const struct pub *p = &v[i];
		const struct sheet *d = find_sheet(sh, ns, p->gpu);
		struct fc_hw hs;
		struct fc_model m;
		if (strcmp(p->set, "ss") || p->params > 30 || p->params < 9 || p->active > 0 ||
		    d == NULL || strcmp(d->memory, "hbm"))
			continue;
		datasheet_gpu(&hs, p->bw, 1e6, 1, 0, d);
		memset(&m, 0, sizeof(m));
		m.params_b = p->params;
		m.weights_gb[FC_Q4_K_M] = p->weights;
		check_pub(p, &hs, &m, FC_Q4_K_M, 0, 0.25, miss, &bad, "");
	}
	if (bad)
		fail_msg("%d published figure(s) off target and not listed, or listed and on target", bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_context_correction),
		cmocka_unit_test(test_context_curve),
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_cpu_batched_cap),
		cmocka_unit_test(test_published_cpu),
		cmocka_unit_test(test_class_default),
		cmocka_unit_test(test_spec_sheet_gpus),
		cmocka_unit_test(test_power_prefill),
		cmocka_unit_test(test_moe),
		cmocka_unit_test(test_per_layer_embeddings),
		cmocka_unit_test(test_gpu_fit),
		cmocka_unit_test(test_published_gpu),
	};

	return cmocka_run_group_tests(tests, load_catalog_gsl_off, free_catalog);
}
