/*
 * bench_profile.c: the hardware profile `flatcost bench --profile` writes
 * for `flatcost simulate`: the machine, its price, the roofline figures
 * (harness.h) and the measured throughput point with the model's shape.
 */
#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "harness.h"
#include "cli.h"
#include "probe.h"
#include "ynode.h"

/* A YAML double-quoted scalar. */
static void
yaml_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The measured level at concurrency conc and prompt length input. */
static const struct level *
level_at_input(const struct report *rp, long conc, long input)
{
	int i;

	for (i = 0; i < rp->n_levels; i++)
		if (rp->levels[i].measured && rp->levels[i].conc == conc &&
		    rp->levels[i].input_tokens == input &&
		    rp->levels[i].st.decode_tok_s > 0)
			return &rp->levels[i];
	return NULL;
}

/* The profile's main point is the first prompt length's. */
const struct level *
bench_level_at(const struct report *rp, long conc)
{
	return level_at_input(rp, conc, rp->o->inputs[0]);
}

/* by_context: each prompt length's curve, when there are several. */
static void
write_by_context(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;
	int k, i, first;

	if (o->n_inputs < 2)
		return;
	fprintf(f, "    by_context:\n");
	for (k = 0; k < o->n_inputs; k++) {
		const struct level *l1 = level_at_input(rp, 1, o->inputs[k]);

		if (l1 == NULL)
			continue;
		fprintf(f, "      - context_tokens: %ld\n", o->inputs[k] +
		    o->output_tokens / 2);
		fprintf(f, "        prefill_tok_s: %.2f\n", l1->st.srv_prefill_tok_s > 0 ?
		    l1->st.srv_prefill_tok_s : l1->st.prefill_tok_s);
		fprintf(f, "        decode_tok_s: {");
		for (i = 0, first = 1; i < rp->n_levels; i++) {
			const struct level *lv = &rp->levels[i];
			if (lv->measured && lv->conc > 0 && lv->st.decode_tok_s > 0 &&
			    lv->input_tokens == o->inputs[k]) {
				fprintf(f, "%s%ld: %.2f", first ? "" : ", ", lv->conc,
				    lv->st.decode_tok_s);
				first = 0;
			}
		}
		fprintf(f, "}\n");
	}
}

/* The server's quantization name ("Q4_K_M", "q4_0") as an enum
 * fc_quant, or -1. */
static int
profile_quant(const char *q)
{
	char lower[32];
	size_t i;

	for (i = 0; q[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)(q[i] >= 'A' && q[i] <= 'Z' ? q[i] + 32 : q[i]);
	lower[i] = '\0';
	return fc_quant_index(lower);
}

/* The profile's server part: header lines, prices, the roofline's
 * bandwidth and compute with their basis, the efficiencies. */
static void
profile_server(FILE *f, const struct report *rp, const struct fc_harness_roofline *rfp,
    int measured_hw, const char *name, const char *src)
{
	const struct opts *o = rp->o;
	const struct fc_harness_roofline rf = *rfp;

	fprintf(f, "# Hardware profile measured by flatcost bench %s on %s.\n",
	    FC_VERSION, rp->date);
	fprintf(f, "# Use it from a scenario with  flat: {hardware: ./FILE.yaml, "
	    "model: %s}\n", o->model_id);
	if (rp->partial)
		fprintf(f, "# PARTIAL: the run stopped early (%s); levels after the "
		    "cause are missing.\n", rp->stop_reason ? rp->stop_reason : "?");
	fprintf(f, "name: ");
	yaml_str(f, name);
	fprintf(f, "\nkind: %s\n", o->kind);
	if (rp->has_host && rp->host.vcpu > 0)
		fprintf(f, "vcpu: %d\n", rp->host.vcpu);
	fprintf(f, "ram_gb: %.1f\n", o->ram_gb > 0 ? o->ram_gb : rp->host.ram_gb);
	fprintf(f, "vram_gb: 0\n");
	if (!o->has_monthly)
		fprintf(f, "# monthly_price is not known to bench: fill in what this "
		    "server costs (USD / month)\n");
	fprintf(f, "monthly_price: %.2f\n", o->monthly);
	fprintf(f, "hourly_price: %.4f\n", o->hourly);
	fprintf(f, "price_as_of: %s\n", rp->date);
	fprintf(f, "price_source: ");
	yaml_str(f, o->has_monthly || o->has_hourly ? "given to flatcost bench "
	    "(--monthly-price / --hourly-price)" : "not given: fill in");
	fprintf(f, "\nmem_bandwidth_gbs: %.2f\n", rf.bw_gbs);
	fprintf(f, "mem_bandwidth_basis: %s\n", measured_hw ? "measured" : "estimated");
	if (!measured_hw)
		fprintf(f, "# estimated: single-stream decode tok/s x weights_gb "
		    "(run with --probe to measure it)\n");
	fprintf(f, "compute_gflops: %.2f\n", rf.gflops);
	fprintf(f, "compute_basis: %s\n", measured_hw ? "measured" : "estimated");
	if (!measured_hw)
		fprintf(f, "# estimated: prefill tok/s x 2 x params_b\n");
	if (rf.capped)
		fprintf(f, "# the engine ran faster than the probe's bound (%.2f x decode, "
		    "%.2f x prefill: caches, int8 kernels); efficiency capped at 1\n",
		    rf.raw_decode, rf.raw_prefill);
	fprintf(f, "efficiency: {decode: %.3f, prefill: %.3f}\n", rf.eta_decode,
	    rf.eta_prefill);
	fprintf(f, "efficiency_basis: measured\n");
	fprintf(f, "as_of: %s\n", rp->date);
	fprintf(f, "source: ");
	yaml_str(f, src);
}

/* The measured point's model, its shape and the prefill rate. */
static void
profile_point(FILE *f, const struct report *rp, const struct level *l1)
{
	const struct opts *o = rp->o;
	const struct fc_server_info *si = rp->si;

	fprintf(f, "\nthroughput:\n  - model: ");
	yaml_str(f, o->model_id);
	fprintf(f, "\n    params_b: %.6g\n", si->params_b);
	fprintf(f, "    weights_gb: %.6g\n", si->weights_gb);
	/* the shape, so that a scenario naming this model needs no catalog
	 * entry (flat: {hardware: ./FILE.yaml, model: ID}) */
	if (si->kv_bytes_per_token > 0)
		fprintf(f, "    kv_bytes_per_token: %.0f\n", si->kv_bytes_per_token);
	if (si->active_params_b > 0)
		fprintf(f, "    active_params_b: %.6g\n", si->active_params_b);
	if (profile_quant(si->quant) >= 0)
		fprintf(f, "    quant: %s\n", fc_quant_names[profile_quant(si->quant)]);
	fprintf(f, "    engine: ");
	yaml_str(f, si->engine);
	fputc('\n', f);
	if (si->threads > 0)
		fprintf(f, "    threads: %ld\n", si->threads);
	/* the context decode ran at: simulate corrects the curve from it */
	fprintf(f, "    context_tokens: %ld\n", o->input_tokens + o->output_tokens / 2);
	fprintf(f, "    prefill_tok_s: %.2f\n", rp->prefill);
	if (l1 && l1->rep_prefill.sd >= 0)
		fprintf(f, "    prefill_tok_s_sd: %.3f\n", l1->rep_prefill.sd);
}

/* Decode by concurrency (with the levels that did not overlap as asked
 * said), and its run-to-run spread with --repeat. */
static void
profile_decode(FILE *f, const struct report *rp, const struct level *l1)
{
	const struct opts *o = rp->o;
	int i;

	for (i = 0; i < rp->n_levels; i++) {
		const struct level *lv = &rp->levels[i];
		if (lv->measured && lv->conc > 0 && lv->st.decode_tok_s > 0 &&
		    lv->input_tokens == o->inputs[0] &&
		    lv->st.streams_in_flight_max < lv->conc)
			fprintf(f, "    # concurrency %ld: the server ran at most %ld "
			    "stream%s at once; the figure is what it gave\n", lv->conc,
			    lv->st.streams_in_flight_max,
			    lv->st.streams_in_flight_max == 1 ? "" : "s");
	}
	fprintf(f, "    decode_tok_s: {");
	for (i = 0; i < rp->n_levels; i++) {
		const struct level *lv = &rp->levels[i];
		if (lv->measured && lv->conc > 0 && lv->st.decode_tok_s > 0 &&
		    lv->input_tokens == o->inputs[0])
			fprintf(f, "%s%ld: %.2f", lv == l1 ? "" : ", ", lv->conc,
			    lv->st.decode_tok_s);
	}
	fprintf(f, "}\n");
	if (l1 && l1->rep_decode.sd >= 0) {
		/* the run-to-run spread (--repeat): simulate draws throughput
		 * per trial with it */
		fprintf(f, "    repeat: %zu\n", l1->n_runs);
		fprintf(f, "    decode_tok_s_sd: {");
		for (i = 0; i < rp->n_levels; i++) {
			const struct level *lv = &rp->levels[i];
			if (lv->measured && lv->conc > 0 && lv->st.decode_tok_s > 0 &&
			    lv->rep_decode.sd >= 0 && lv->input_tokens == o->inputs[0])
				fprintf(f, "%s%ld: %.3f", lv == l1 ? "" : ", ", lv->conc,
				    lv->rep_decode.sd);
		}
		fprintf(f, "}\n");
	}
}

/* The SLO search's answer with the SLO it holds for. */
static void
profile_slo(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;

	if (o->search_slo && !o->n_rates && rp->slo_best > 0 && !rp->partial) {
		/* the SLO the answer holds for; simulate compares it with its own */
		fprintf(f, "    slo_search: {attainment: %.4g, max_concurrency: %.0f",
		    o->attainment, rp->slo_best);
		if (o->slo.ttft_s > 0)
			fprintf(f, ", ttft_s: %.6g", o->slo.ttft_s);
		if (o->slo.tpot_s > 0)
			fprintf(f, ", tpot_s: %.6g", o->slo.tpot_s);
		if (o->slo.e2e_s > 0)
			fprintf(f, ", e2e_s: %.6g", o->slo.e2e_s);
		fprintf(f, "%s}\n", rp->slo_capped || rp->slo_improper ?
		    ", lower_bound_only: true" : "");
	}
}

void
bench_write_profile(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;
	const struct fc_server_info *si = rp->si;
	const struct probe_out *po = rp->probe;
	const struct level *l1 = bench_level_at(rp, 1);
	struct fc_harness_roofline rf;
	int measured_hw = po && po->ran;
	char name[400], src[1024];

	if (rp->has_host)
		snprintf(name, sizeof(name), "bench: %s (%s)", rp->host.cpu_model[0] ?
		    rp->host.cpu_model : "unknown CPU", rp->hostname);
	else
		snprintf(name, sizeof(name), "bench: %s", o->base);
	fc_harness_roofline(l1 ? l1->st.decode_tok_s : 0, rp->prefill,
	    si->weights_gb, si->params_b, measured_hw ? po->r.bw_gbs : 0,
	    measured_hw ? po->r.gflops : 0, &rf);
	measured_hw = rf.measured;
	snprintf(src, sizeof(src), "flatcost bench %s against %s (%s %s), %s; "
	    "decode: client clock, %ld output tokens; prefill: %s, %ld input "
	    "tokens%s%s", FC_VERSION, o->base, o->api == API_OLLAMA ? "ollama" :
	    "openai", si->endpoint, si->engine, o->output_tokens,
	    rp->prefill_basis, o->input_tokens, rp->partial ? "; PARTIAL: " : "",
	    rp->partial && rp->stop_reason ? rp->stop_reason : "");

	profile_server(f, rp, &rf, measured_hw, name, src);
	profile_point(f, rp, l1);
	profile_decode(f, rp, l1);
	write_by_context(f, rp);
	profile_slo(f, rp);
	fprintf(f, "    basis: measured\n");
	fprintf(f, "    as_of: %s\n", rp->date);
	fprintf(f, "    source: ");
	yaml_str(f, src);
	fputc('\n', f);
}

void
bench_pick_prefill(struct report *rp)
{
	const struct level *l1 = bench_level_at(rp, 1);

	rp->prefill = 0;
	rp->prefill_basis = "none";
	if (l1 == NULL)
		return;
	if (l1->st.srv_prefill_tok_s > 0) {
		rp->prefill = l1->st.srv_prefill_tok_s;
		rp->prefill_basis = "server-reported prompt time";
	} else {
		rp->prefill = l1->st.prefill_tok_s;
		rp->prefill_basis = "client clock (input tokens / TTFT)";
	}
}

/* ---- --probe ---- */

/* Runs the probe (bench.h). */
int
bench_run_probe(const struct opts *o, struct probe_out *po)
{
	char path[4096];
	struct fc_diags d;
	enum fc_status st;
	int threads = o->probe_threads ? (int)o->probe_threads : cli_ncpus();

	if (cli_progress_enabled())
		fprintf(stderr, "probing memory bandwidth and arithmetic rate "
		    "(%d threads, %ld MiB)...", threads, o->probe_mb);
	st = fc_probe_run(threads, (size_t)o->probe_mb << 20, &po->r);
	if (cli_progress_enabled())
		fprintf(stderr, "\r\033[K");
	if (st == FC_ENOMEM) {
		cli_err("bench: --probe: cannot allocate %ld MiB", o->probe_mb);
		return EXIT_RUNTIME;
	}
	if (st != FC_OK) {
		cli_err("bench: --probe: cannot start threads");
		return EXIT_RUNTIME;
	}
	po->ran = 1;
	fc_diags_init(&d);
	snprintf(path, sizeof(path), "%s/models.yaml", cli_data_dir());
	if (fc_ynode_load_file(path, &po->catalogue, &d) != FC_OK ||
	    fc_probe_models(po->catalogue, &po->models, &po->n_models, &d) != FC_OK) {
		cli_warn("bench: no predictions: cannot read %s", path);
		cli_print_diags(&d);
	}
	fc_diags_free(&d);
	return EXIT_OK;
}

/* --compare PROFILE: read for the probe's table. */
int
bench_load_compare(const char *path, struct probe_out *po)
{
	struct fc_diags d;
	int rc = EXIT_OK;

	fc_diags_init(&d);
	if (fc_ynode_load_file(path, &po->compare, &d) != FC_OK) {
		cli_print_diags(&d);
		rc = EXIT_USAGE;
	}
	fc_diags_free(&d);
	return rc;
}
