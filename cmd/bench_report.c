/*
 * bench_report.c: the output side of `flatcost bench`.  Given the levels
 * cmd_bench.c measured (and the probe's figures), it writes the report as
 * a table, JSON, CSV or Markdown, and the hardware profile YAML that
 * `flatcost simulate` reads.  Nothing here touches the network.
 */
#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "harness.h"
#include "cli.h"

/* KV bytes read per token at the benchmark's mean context. */
static double
kv_bytes(const struct opts *o, const struct fc_probe_model *m)
{
	return m->kv_bytes_per_token * ((double)o->input_tokens +
	    (double)o->output_tokens / 2);
}

static json_t *
dist_json(const struct fc_benchstat_dist *d)
{
	if (d->n == 0)
		return json_null();
	return json_pack("{s:f, s:f, s:f, s:f, s:I}", "mean", d->mean, "p50",
	    d->p50, "p90", d->p90, "p99", d->p99, "n", (json_int_t)d->n);
}

static json_t *
num_or_null(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

static json_t *
probe_json(const struct report *rp)
{
	const struct probe_out *po = rp->probe;
	const struct opts *o = rp->o;
	json_t *p, *pred;
	size_t i;
	int q = o->quant;

	p = json_pack("{s:i, s:I, s:f, s:f, s:s, s:s, s:f}", "threads",
	    po->r.threads, "bytes", (json_int_t)po->r.bytes, "mem_bandwidth_gbs",
	    po->r.bw_gbs, "compute_gflops", po->r.gflops, "compute_kernel",
	    po->r.isa, "quant", fc_quant_names[q], "efficiency", 1.0);
	pred = json_array();
	for (i = 0; i < po->n_models; i++) {
		const struct fc_probe_model *m = &po->models[i];

		if (m->weights_gb[q] <= 0)
			continue;
		json_array_append_new(pred, json_pack("{s:s, s:f, s:f, s:f, s:f}",
		    "model", m->id, "params_b", m->params_b, "weights_gb",
		    m->weights_gb[q], "decode_tok_s",
		    fc_probe_decode_tok_s(po->r.bw_gbs, m->weights_gb[q], kv_bytes(o, m)),
		    "prefill_tok_s", fc_probe_prefill_tok_s(po->r.gflops, m->params_b)));
	}
	json_object_set_new(p, "predictions", pred);
	if (rp->si && rp->si->weights_gb > 0 && rp->si->params_b > 0)
		json_object_set_new(p, "measured_model", json_pack(
		    "{s:s, s:f, s:f}", "model", rp->o->model_id,
		    "predicted_decode_tok_s",
		    fc_probe_decode_tok_s(po->r.bw_gbs, rp->si->weights_gb, 0),
		    "predicted_prefill_tok_s",
		    fc_probe_prefill_tok_s(po->r.gflops, rp->si->params_b)));
	return p;
}

/* The hours in a month a monthly price covers: 365 x 24 / 12. */
#define HOURS_PER_MONTH 730.0

/*
 * USD per million tokens at a level (inference-perf's cost per million
 * tokens): the server's price per second over the tokens it produced per
 * second of the level's wall time, output tokens alone (tok_s = output
 * tok/s) or input and output together.  The hourly price when given, else
 * the monthly one over 730 hours; -1 without a price or a rate.
 */
static double
cost_per_mtok(const struct opts *o, double tok_s)
{
	double usd_per_s;

	if (o->has_hourly && o->hourly > 0)
		usd_per_s = o->hourly / 3600;
	else if (o->has_monthly)
		usd_per_s = o->monthly / (HOURS_PER_MONTH * 3600);
	else
		return -1;
	return tok_s > 0 ? usd_per_s / tok_s * 1e6 : -1;
}

static double
total_tok_s(const struct fc_benchstat_level *s)
{
	return s->output_tokens_mean > 0 && s->input_tokens_mean > 0 ?
	    s->output_tok_s * (1 + s->input_tokens_mean / s->output_tokens_mean) :
	    s->output_tok_s;
}

/* "X_sd" and "X_ci95" of one repeated figure; null with fewer than 2 runs. */
static void
rep_json(json_t *j, const char *name, const struct fc_benchstat_rep *r)
{
	char k[64];

	snprintf(k, sizeof(k), "%s_sd", name);
	json_object_set_new(j, k, r->sd >= 0 ? json_real(r->sd) : json_null());
	snprintf(k, sizeof(k), "%s_ci95", name);
	json_object_set_new(j, k, r->sd >= 0 ? json_pack("[f, f]", r->ci_lo,
	    r->ci_hi) : json_null());
}

static json_t *
level_json(const struct report *rp, const struct level *lv)
{
	const struct fc_benchstat_level *s = &lv->st;
	json_t *j;

	j = json_pack("{s:o, s:o, s:I, s:I, s:I, s:b, s:f}",
	    "concurrency", lv->conc ? json_integer(lv->conc) : json_null(),
	    "rate", lv->rate > 0 ? json_real(lv->rate) : json_null(),
	    "requests", (json_int_t)s->n, "completed", (json_int_t)s->ok,
	    "errors", (json_int_t)s->errors, "partial", lv->partial,
	    "duration_s", s->wall_s);
	json_object_set_new(j, "input_tokens", json_integer(lv->input_tokens));
	json_object_set_new(j, "context_tokens", json_integer(lv->input_tokens +
	    rp->o->output_tokens / 2));
	json_object_set_new(j, "input_tokens_mean", num_or_null(s->input_tokens_mean));
	json_object_set_new(j, "input_tokens_source", json_string(
	    rp->input_measured ? "server" : "requested"));
	json_object_set_new(j, "output_tokens_mean", json_real(s->output_tokens_mean));
	json_object_set_new(j, "output_tokens_source", json_string(
	    s->tokens_from_server ? "server" : "stream pieces"));
	json_object_set_new(j, "ttft_s", dist_json(&s->ttft_s));
	json_object_set_new(j, "tpot_s", dist_json(&s->tpot_s));
	json_object_set_new(j, "itl_s", dist_json(&s->itl_s));
	json_object_set_new(j, "e2e_s", dist_json(&s->e2e_s));
	json_object_set_new(j, "stream_tok_s", dist_json(&s->stream_tok_s));
	json_object_set_new(j, "output_tok_s", json_real(s->output_tok_s));
	json_object_set_new(j, "decode_tok_s", json_real(s->decode_tok_s));
	/* decode_tok_s is observed over this span, with at most this many
	 * streams decoding at once (a closed-loop level that never ran its
	 * concurrency says so) */
	json_object_set_new(j, "overlap_s", json_real(s->overlap_s));
	json_object_set_new(j, "streams_in_flight_max",
	    json_integer((json_int_t)s->streams_in_flight_max));
	json_object_set_new(j, "overlapped_as_asked", lv->conc ?
	    json_boolean(s->streams_in_flight_max >= lv->conc) : json_null());
	json_object_set_new(j, "prefill_tok_s", json_real(s->prefill_tok_s));
	json_object_set_new(j, "requests_per_s", json_real(s->requests_per_s));
	json_object_set_new(j, "slo_attainment", rp->o->has_slo ?
	    json_real(s->slo_attainment) : json_null());
	json_object_set_new(j, "goodput_rps", rp->o->has_slo ?
	    json_real(s->goodput_rps) : json_null());
	json_object_set_new(j, "runs", json_integer((json_int_t)lv->n_runs));
	if (lv->probe) {
		json_object_set_new(j, "slo_search_probe", json_true());
		json_object_set_new(j, "slo_pass", json_boolean(lv->pass));
		json_object_set_new(j, "ended_early", json_boolean(lv->ended_early));
	}
	rep_json(j, "decode_tok_s", &lv->rep_decode);
	rep_json(j, "prefill_tok_s", &lv->rep_prefill);
	rep_json(j, "ttft_p50_s", &lv->rep_ttft50);
	json_object_set_new(j, "cost_per_mtok_usd", cost_per_mtok(rp->o,
	    s->output_tok_s) < 0 ? json_null() : json_pack("{s:f, s:f}",
	    "output", cost_per_mtok(rp->o, s->output_tok_s),
	    "input_and_output", cost_per_mtok(rp->o, total_tok_s(s))));
	json_object_set_new(j, "server", json_pack("{s:o, s:o, s:o}",
	    "prefill_tok_s", num_or_null(s->srv_prefill_tok_s),
	    "decode_tok_s_per_stream", num_or_null(s->srv_decode_tok_s),
	    "load_s", num_or_null(s->srv_load_s)));
	return j;
}

/* The best level meeting the SLO for 90% of requests (DistServe). */
static const struct level *
best_goodput(const struct report *rp)
{
	const struct level *best = NULL;
	int i;

	for (i = 0; i < rp->n_levels; i++) {
		const struct level *lv = &rp->levels[i];
		if (lv->measured && lv->st.slo_attainment >= 0.9 &&
		    (best == NULL || lv->st.goodput_rps > best->st.goodput_rps))
			best = lv;
	}
	return best;
}

static int
write_json(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;
	json_t *j, *lvls, *settings;
	int i, rc;

	j = json_pack("{s:s, s:s, s:s, s:b}", "flatcost_version", FC_VERSION,
	    "command", "bench", "date", rp->date, "partial", rp->partial);
	json_object_set_new(j, "stop_reason", rp->stop_reason ?
	    json_string(rp->stop_reason) : json_null());
	if (o->url) {
		json_t *srv = json_pack("{s:s, s:s, s:s, s:s, s:s}", "url", o->base,
		    "api", o->api == API_OLLAMA ? "ollama" : "openai", "endpoint",
		    rp->si->endpoint, "model", o->model, "engine", rp->si->engine);
		json_object_set_new(srv, "params_b", rp->si->params_b > 0 ?
		    json_real(rp->si->params_b) : json_null());
		json_object_set_new(srv, "weights_gb", rp->si->weights_gb > 0 ?
		    json_real(rp->si->weights_gb) : json_null());
		json_object_set_new(srv, "threads", rp->si->threads > 0 ?
		    json_integer(rp->si->threads) : json_null());
		json_object_set_new(j, "server", srv);
		settings = json_pack("{s:s, s:I, s:I, s:I, s:f, s:I, s:b}",
		    "mode", o->n_rates ? "open-loop" : "closed-loop",
		    "input_tokens", (json_int_t)o->input_tokens,
		    "output_tokens", (json_int_t)o->output_tokens,
		    "warmup", (json_int_t)o->warmup, "timeout_s", o->timeout,
		    "seed", (json_int_t)o->seed, "ignore_eos", o->ignore_eos);
		/* the measured requests' deadline (calibration's 1-token ones
		 * get 61 s by default) */
		json_object_set_new(settings, "request_timeout_s", json_real(
		    o->request_timeout > 0 ? o->request_timeout :
		    60 + (double)o->output_tokens));
		json_object_set_new(settings, "request_timeout_default",
		    json_boolean(o->request_timeout <= 0));
		{
			json_t *lens = json_array();
			int k;

			for (k = 0; k < o->n_inputs; k++)
				json_array_append_new(lens, json_integer(o->inputs[k]));
			json_object_set_new(settings, "input_tokens_list", lens);
			json_object_set_new(settings, "repeat", json_integer(o->repeat));
			json_object_set_new(settings, "input_cv", json_real(o->input_cv));
			json_object_set_new(settings, "output_cv", json_real(o->output_cv));
			json_object_set_new(settings, "arrival_cv", o->n_rates ?
			    json_real(o->arrival_cv) : json_null());
			json_object_set_new(settings, "shared_prefix", json_real(o->shared_prefix));
			json_object_set_new(settings, "turns", json_integer(o->turns));
			json_object_set_new(settings, "from_scenario", o->from_scenario ?
			    json_pack("{s:s, s:f}", "path", o->from_scenario,
			    "chaining_not_replayed", o->from_chaining) : json_null());
		}
		json_object_set_new(settings, "requests_per_level", o->requests ?
		    json_integer(o->requests) : json_null());
		json_object_set_new(settings, "requests_per_level_rule", json_string(
		    o->duration > 0 ? "duration" : o->search_slo ? "max(--requests, "
		    "4 x concurrency, 8)" : o->requests ? "given" :
		    "max(4 x concurrency, 8)"));
		json_object_set_new(settings, "duration_s", o->duration > 0 ?
		    json_real(o->duration) : json_null());
		json_object_set_new(settings, "slo", o->has_slo ? json_pack(
		    "{s:o, s:o, s:o}",
		    "ttft_s", o->slo.ttft_s > 0 ? json_real(o->slo.ttft_s) : json_null(),
		    "tpot_s", o->slo.tpot_s > 0 ? json_real(o->slo.tpot_s) : json_null(),
		    "e2e_s", o->slo.e2e_s > 0 ? json_real(o->slo.e2e_s) : json_null()) :
		    json_null());
		json_object_set_new(j, "settings", settings);
		lvls = json_array();
		for (i = 0; i < rp->n_levels; i++)
			if (rp->levels[i].measured)
				json_array_append_new(lvls, level_json(rp, &rp->levels[i]));
		json_object_set_new(j, "levels", lvls);
		if (o->has_slo) {
			const struct level *b = best_goodput(rp);
			json_object_set_new(j, "goodput", b ? json_pack(
			    "{s:o, s:o, s:f}", "concurrency", b->conc ?
			    json_integer(b->conc) : json_null(), "rate", b->rate > 0 ?
			    json_real(b->rate) : json_null(), "goodput_rps",
			    b->st.goodput_rps) : json_null());
		}
	}
	if (o->url && o->search_slo) {
		json_t *best = rp->slo_best > 0 ? (o->n_rates ? json_real(rp->slo_best) :
		    json_integer((json_int_t)rp->slo_best)) : json_null();

		json_object_set_new(j, o->n_rates ? "max_rate_under_slo" :
		    "max_concurrency_under_slo", best);
		json_object_set_new(j, o->n_rates ? "max_concurrency_under_slo" :
		    "max_rate_under_slo", json_null());
		json_object_set_new(j, "slo_search", json_pack("{s:s, s:f, s:o, s:b, s:b}",
		    "mode", o->n_rates ? "rate" : "concurrency", "attainment",
		    o->attainment, "first_failure", rp->slo_fail > 0 ?
		    json_real(rp->slo_fail) : json_null(), "lower_bound_only",
		    rp->slo_capped, "stopped_unmeasured", rp->slo_improper));
	}
	json_object_set_new(j, "host", rp->has_host ? json_pack(
	    "{s:s, s:s, s:i, s:f}", "hostname", rp->hostname, "cpu_model",
	    rp->host.cpu_model, "vcpu", rp->host.vcpu, "ram_gb", rp->host.ram_gb) :
	    json_null());
	if (rp->probe && rp->probe->ran)
		json_object_set_new(j, "probe", probe_json(rp));
	rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	fputc('\n', f);
	json_decref(j);
	return rc;
}

static void
csv_str(FILE *f, const char *s, int last)
{
	csv_fwrite(f, s, strlen(s));
	fputc(last ? '\n' : ',', f);
}

static void
csv_num(FILE *f, double v, int last)
{
	if (v >= 0)
		fprintf(f, "%.6g", v);
	fputc(last ? '\n' : ',', f);
}

static const char *const csv_cols[] = {
	"model", "mode", "concurrency", "rate", "requests", "completed", "errors",
	"partial", "duration_s", "input_tokens_mean", "output_tokens_mean",
	"ttft_p50_s", "ttft_p90_s", "ttft_p99_s", "tpot_p50_s", "tpot_p90_s",
	"tpot_p99_s", "itl_p50_s", "itl_p90_s", "itl_p99_s", "e2e_p50_s",
	"e2e_p90_s", "e2e_p99_s", "stream_tok_s_p50", "output_tok_s",
	"decode_tok_s", "prefill_tok_s", "requests_per_s", "slo_attainment",
	"goodput_rps", "server_prefill_tok_s", "server_decode_tok_s_per_stream",
	"server_load_s", "runs", "decode_tok_s_sd", "decode_tok_s_ci95_low",
	"decode_tok_s_ci95_high", "prefill_tok_s_sd", "ttft_p50_s_sd",
	"cost_per_mtok_output_usd",
};

static void
write_csv(FILE *f, const struct report *rp)
{
	size_t c, nc = sizeof(csv_cols) / sizeof(csv_cols[0]);
	int i;

	for (c = 0; c < nc; c++)
		csv_str(f, csv_cols[c], c + 1 == nc);
	for (i = 0; i < rp->n_levels; i++) {
		const struct level *lv = &rp->levels[i];
		const struct fc_benchstat_level *s = &lv->st;
		double slo = rp->o->has_slo ? 1 : -1;

		if (!lv->measured)
			continue;
		csv_str(f, rp->o->model, 0);
		csv_str(f, lv->conc ? "closed-loop" : "open-loop", 0);
		csv_num(f, lv->conc ? (double)lv->conc : -1, 0);
		csv_num(f, lv->rate > 0 ? lv->rate : -1, 0);
		csv_num(f, (double)s->n, 0);
		csv_num(f, (double)s->ok, 0);
		csv_num(f, (double)s->errors, 0);
		csv_num(f, lv->partial, 0);
		csv_num(f, s->wall_s, 0);
		csv_num(f, s->input_tokens_mean, 0);
		csv_num(f, s->output_tokens_mean, 0);
		csv_num(f, s->ttft_s.p50, 0);
		csv_num(f, s->ttft_s.p90, 0);
		csv_num(f, s->ttft_s.p99, 0);
		csv_num(f, s->tpot_s.n ? s->tpot_s.p50 : -1, 0);
		csv_num(f, s->tpot_s.n ? s->tpot_s.p90 : -1, 0);
		csv_num(f, s->tpot_s.n ? s->tpot_s.p99 : -1, 0);
		csv_num(f, s->itl_s.n ? s->itl_s.p50 : -1, 0);
		csv_num(f, s->itl_s.n ? s->itl_s.p90 : -1, 0);
		csv_num(f, s->itl_s.n ? s->itl_s.p99 : -1, 0);
		csv_num(f, s->e2e_s.p50, 0);
		csv_num(f, s->e2e_s.p90, 0);
		csv_num(f, s->e2e_s.p99, 0);
		csv_num(f, s->stream_tok_s.n ? s->stream_tok_s.p50 : -1, 0);
		csv_num(f, s->output_tok_s, 0);
		csv_num(f, s->decode_tok_s, 0);
		csv_num(f, s->prefill_tok_s, 0);
		csv_num(f, s->requests_per_s, 0);
		csv_num(f, slo > 0 ? s->slo_attainment : -1, 0);
		csv_num(f, slo > 0 ? s->goodput_rps : -1, 0);
		csv_num(f, s->srv_prefill_tok_s, 0);
		csv_num(f, s->srv_decode_tok_s, 0);
		csv_num(f, s->srv_load_s, 0);
		csv_num(f, (double)lv->n_runs, 0);
		csv_num(f, lv->rep_decode.sd, 0);
		csv_num(f, lv->rep_decode.ci_lo, 0);
		csv_num(f, lv->rep_decode.ci_hi, 0);
		csv_num(f, lv->rep_prefill.sd, 0);
		csv_num(f, lv->rep_ttft50.sd, 0);
		csv_num(f, cost_per_mtok(rp->o, s->output_tok_s), 1);
	}
}

/* "4", "2.5/s"; with several prompt lengths "4@1024" (4 streams of
 * 1,024-token prompts). */
static void
level_label(const struct report *rp, const struct level *lv, char *out, size_t n)
{
	char at[32] = "";

	if (rp->o->n_inputs > 1)
		snprintf(at, sizeof(at), "@%ld", lv->input_tokens);
	if (lv->conc)
		snprintf(out, n, "%ld%s", lv->conc, at);
	else
		snprintf(out, n, "%g/s%s", lv->rate, at);
}

static void
fmt_srv(char *out, size_t n, double v, const char *f)
{
	if (v >= 0)
		snprintf(out, n, f, v);
	else
		snprintf(out, n, "-");
}

static void
write_probe_text(FILE *f, const struct report *rp, int md)
{
	const struct probe_out *po = rp->probe;
	const struct opts *o = rp->o;
	int q = o->quant;
	size_t i, k;

	fprintf(f, "%sprobe: %d threads over %.0f MiB: memory bandwidth %.1f GB/s, "
	    "arithmetic %.1f GFLOP/s (%s)\n", md ? "**" : "",
	    po->r.threads, (double)po->r.bytes / 1048576.0, po->r.bw_gbs,
	    po->r.gflops, po->r.isa);
	if (md)
		fprintf(f, "**\n");
	fprintf(f, "roofline prediction, efficiency 1 (measured engines reach "
	    "0.6-0.97 of it), %s weights, KV at %ld tokens:\n",
	    fc_quant_names[q], o->input_tokens + o->output_tokens / 2);
	if (rp->si && rp->si->weights_gb > 0 && rp->si->params_b > 0) {
		double pd = fc_probe_decode_tok_s(po->r.bw_gbs, rp->si->weights_gb, 0);
		double pp = fc_probe_prefill_tok_s(po->r.gflops, rp->si->params_b);
		const struct level *l1 = NULL;

		for (i = 0; i < (size_t)rp->n_levels; i++)
			if (rp->levels[i].measured && rp->levels[i].conc == 1)
				l1 = &rp->levels[i];
		fprintf(f, "  %s (measured here): predicted decode %.1f tok/s, "
		    "prefill %.1f tok/s", o->model_id, pd, pp);
		if (l1)
			fprintf(f, "; measured decode %.1f tok/s, prefill %.1f tok/s",
			    l1->st.decode_tok_s, rp->prefill);
		fputc('\n', f);
	}
	if (md)
		fprintf(f, "\n| model | params (B) | weights (GB) | decode tok/s | "
		    "prefill tok/s | measured decode | measured prefill |\n"
		    "|---|---:|---:|---:|---:|---:|---:|\n");
	else
		fprintf(f, "  %-24s %10s %12s %13s %14s %16s %17s\n", "model",
		    "params (B)", "weights (GB)", "decode tok/s", "prefill tok/s",
		    "measured decode", "measured prefill");
	for (i = 0; i < po->n_models; i++) {
		const struct fc_probe_model *m = &po->models[i];
		char md1[32] = "-", mp1[32] = "-";
		const struct fc_ynode *tp = po->compare ?
		    fc_ynode_get(po->compare, "throughput") : NULL;

		if (m->weights_gb[q] <= 0)
			continue;
		for (k = 0; tp && tp->kind == FC_Y_SEQ && k < tp->n; k++) {
			const struct fc_ynode *pt = tp->vals[k], *id, *dc, *d1, *pf;
			double v;

			id = pt->kind == FC_Y_MAP ? fc_ynode_get(pt, "model") : NULL;
			if (id == NULL || id->kind != FC_Y_SCALAR || strcmp(id->str, m->id))
				continue;
			dc = fc_ynode_get(pt, "decode_tok_s");
			d1 = dc && dc->kind == FC_Y_MAP ? fc_ynode_get(dc, "1") : NULL;
			if (d1 && d1->kind == FC_Y_SCALAR && fc_parse_double(d1->str, &v) == 0)
				snprintf(md1, sizeof(md1), "%.1f", v);
			pf = fc_ynode_get(pt, "prefill_tok_s");
			if (pf && pf->kind == FC_Y_SCALAR && fc_parse_double(pf->str, &v) == 0)
				snprintf(mp1, sizeof(mp1), "%.1f", v);
		}
		fprintf(f, md ? "| %s | %.2f | %.2f | %.1f | %.1f | %s | %s |\n" :
		    "  %-24s %10.2f %12.2f %13.1f %14.1f %16s %17s\n", m->id,
		    m->params_b, m->weights_gb[q],
		    fc_probe_decode_tok_s(po->r.bw_gbs, m->weights_gb[q], kv_bytes(o, m)),
		    fc_probe_prefill_tok_s(po->r.gflops, m->params_b), md1, mp1);
	}
	if (po->n_models == 0)
		fprintf(f, "  (no model catalogue)\n");
}

/* The run-to-run spread (--repeat) and the cost per million tokens, a
 * line a level under the table. */
static void
write_repeat_text(FILE *f, const struct report *rp)
{
	int i;

	for (i = 0; i < rp->n_levels; i++) {
		const struct level *lv = &rp->levels[i];
		const struct fc_benchstat_rep *d = &lv->rep_decode, *p = &lv->rep_prefill,
		    *t = &lv->rep_ttft50;
		char lab[32];

		if (!lv->measured)
			continue;
		level_label(rp, lv, lab, sizeof(lab));
		if (d->sd >= 0)
			fprintf(f, "level %s over %zu runs: decode %.1f tok/s (sd %.2f, "
			    "95%% CI of the mean %.1f-%.1f); prefill %.1f tok/s (sd "
			    "%.2f, %.1f-%.1f); TTFT p50 %.0f ms (sd %.1f, %.0f-%.0f)\n",
			    lab, lv->n_runs, d->mean, d->sd, d->ci_lo, d->ci_hi,
			    p->mean, p->sd > 0 ? p->sd : 0, p->ci_lo, p->ci_hi,
			    t->mean * 1e3, t->sd > 0 ? t->sd * 1e3 : 0, t->ci_lo * 1e3,
			    t->ci_hi * 1e3);
		if (cost_per_mtok(rp->o, lv->st.output_tok_s) >= 0)
			fprintf(f, "level %s: $%.4g per million output tokens, $%.4g per "
			    "million input and output tokens (%s)\n", lab,
			    cost_per_mtok(rp->o, lv->st.output_tok_s),
			    cost_per_mtok(rp->o, total_tok_s(&lv->st)),
			    rp->o->has_hourly && rp->o->hourly > 0 ? "--hourly-price" :
			    "--monthly-price over 730 hours");
	}
}

/* Closed-loop levels whose streams did not overlap as asked. */
static void
write_overlap_text(FILE *f, const struct report *rp)
{
	int i;

	for (i = 0; i < rp->n_levels; i++) {
		const struct level *lv = &rp->levels[i];
		long m = lv->st.streams_in_flight_max;
		char lab[32];

		if (!lv->measured || lv->conc <= 0 || m >= lv->conc)
			continue;
		level_label(rp, lv, lab, sizeof(lab));
		fprintf(f, "level %s: the server ran at most %ld stream%s at once "
		    "(%ld asked); its decode tok/s is what %ld gave\n", lab, m,
		    m == 1 ? "" : "s", lv->conc, m);
	}
}

static void
write_search_text(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;
	const char *what = o->n_rates ? "request rate" : "concurrency";

	fprintf(f, "SLO search: each level ran %s\n", o->n_rates ?
	    "max(--requests, 8) requests" :
	    "max(--requests, 4 x its concurrency, 8) requests");
	if (rp->slo_best <= 0) {
		fprintf(f, "SLO search: no %s tried met the SLO for %.0f%% of "
		    "requests", what, o->attainment * 100);
		if (rp->slo_fail > 0)
			fprintf(f, " (%.4g%s fails)", rp->slo_fail, o->n_rates ? "/s" : "");
		fputc('\n', f);
		return;
	}
	fprintf(f, "SLO search: the highest %s meeting the SLO for %.0f%% of "
	    "requests is %.4g%s", what, o->attainment * 100, rp->slo_best,
	    o->n_rates ? "/s" : "");
	if (rp->slo_capped)
		fprintf(f, " (a lower bound: the top of the range passed)\n");
	else if (rp->slo_improper)
		fprintf(f, " (a lower bound: the search stopped at a level it "
		    "could not measure properly)\n");
	else
		fprintf(f, " (first failing level: %.4g%s)\n", rp->slo_fail,
		    o->n_rates ? "/s" : "");
}

static void
write_text(FILE *f, const struct report *rp, int md)
{
	const struct opts *o = rp->o;
	int i;

	if (o->url) {
		const struct fc_server_info *si = rp->si;

		if (md)
			fprintf(f, "# flatcost bench: %s\n\n", o->model);
		fprintf(f, "%s%s (%s %s), model %s, engine %s\n", md ? "- server: " :
		    "flatcost bench: ", o->base, o->api == API_OLLAMA ? "ollama" :
		    "openai", si->endpoint, o->model, si->engine);
		if (si->params_b > 0 || si->weights_gb > 0)
			fprintf(f, "%smodel size: %.3g B parameters, %.3g GB of weights\n",
			    md ? "- " : "", si->params_b, si->weights_gb);
		char lens[MAX_INPUTS * 12] = "";
		int k;

		for (k = 0; k < o->n_inputs; k++)
			snprintf(lens + strlen(lens), sizeof(lens) - strlen(lens), "%s%ld",
			    k ? "," : "", o->inputs[k]);
		fprintf(f, "%sload: %s input tokens (%s), %ld output tokens, ",
		    md ? "- " : "", lens, rp->input_measured ?
		    "calibrated on the server's count" : "estimated at 4 characters a token",
		    o->output_tokens);
		if (o->duration > 0)
			fprintf(f, "%g s", o->duration);
		else if (o->requests && !o->search_slo)
			fprintf(f, "%ld requests", o->requests);
		else
			fprintf(f, "max(%s4 x concurrency, 8) requests",
			    o->requests ? "--requests, " : "");
		fprintf(f, " per level, %ld warm-up%s", o->warmup,
		    o->warmup == 1 ? "" : "s");
		if (o->input_cv > 0 || o->output_cv > 0)
			fprintf(f, "; lengths drawn per request (lognormal, CV %g in, "
			    "%g out)", o->input_cv, o->output_cv);
		if (o->n_rates && o->arrival_cv != 1)
			fprintf(f, "; gamma arrivals, CV %g", o->arrival_cv);
		if (o->shared_prefix > 0)
			fprintf(f, "; %.0f%% of each prompt shared", o->shared_prefix * 100);
		if (o->from_scenario)
			fprintf(f, "; from %s", o->from_scenario);
		if (o->turns > 1)
			fprintf(f, "; conversations of %ld turns", o->turns);
		if (o->has_slo)
			fprintf(f, "; SLO ttft <= %gs, tpot <= %gs%s", o->slo.ttft_s,
			    o->slo.tpot_s, o->slo.e2e_s > 0 ? ", e2e bounded" : "");
		fputc('\n', f);
		if (rp->partial)
			fprintf(f, "%sPARTIAL: %s\n", md ? "- **" : "",
			    rp->stop_reason ? rp->stop_reason : "stopped");
		fputc('\n', f);
		if (md)
			fprintf(f, "| level | reqs | err | TTFT p50/p90/p99 ms | "
			    "TPOT p50/p90/p99 ms | E2E p50/p90/p99 s | tok/s/stream | "
			    "out tok/s | decode tok/s | prefill tok/s | req/s | goodput |\n"
			    "|---:|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|\n");
		else
			fprintf(f, "%6s %5s %4s %21s %21s %20s %12s %9s %12s %13s %6s %8s\n",
			    "level", "reqs", "err", "TTFT p50/p90/p99 ms",
			    "TPOT p50/p90/p99 ms", "E2E p50/p90/p99 s", "tok/s/stream",
			    "out tok/s", "decode tok/s", "prefill tok/s", "req/s",
			    "goodput");
		for (i = 0; i < rp->n_levels; i++) {
			const struct level *lv = &rp->levels[i];
			const struct fc_benchstat_level *s = &lv->st;
			char lab[32], ttft[64], tpot[64], e2e[64], gp[32];

			if (!lv->measured)
				continue;
			level_label(rp, lv, lab, sizeof(lab));
			if (lv->partial)
				strncat(lab, "*", sizeof(lab) - strlen(lab) - 1);
			snprintf(ttft, sizeof(ttft), "%.0f/%.0f/%.0f", s->ttft_s.p50 * 1e3,
			    s->ttft_s.p90 * 1e3, s->ttft_s.p99 * 1e3);
			snprintf(tpot, sizeof(tpot), "%.1f/%.1f/%.1f", s->tpot_s.p50 * 1e3,
			    s->tpot_s.p90 * 1e3, s->tpot_s.p99 * 1e3);
			snprintf(e2e, sizeof(e2e), "%.2f/%.2f/%.2f", s->e2e_s.p50,
			    s->e2e_s.p90, s->e2e_s.p99);
			if (o->has_slo)
				snprintf(gp, sizeof(gp), "%.2f/s", s->goodput_rps);
			else
				snprintf(gp, sizeof(gp), "-");
			fprintf(f, md ? "| %s | %zu | %zu | %s | %s | %s | %.1f | %.1f | "
			    "%.1f | %.1f | %.2f | %s |\n" :
			    "%6s %5zu %4zu %21s %21s %20s %12.1f %9.1f %12.1f %13.1f "
			    "%6.2f %8s\n", lab, s->n, s->errors, ttft, tpot, e2e,
			    s->stream_tok_s.p50, s->output_tok_s, s->decode_tok_s,
			    s->prefill_tok_s, s->requests_per_s, gp);
		}
		fprintf(f, "\n%sserver-reported (%s):", md ? "" : "",
		    si->engine);
		for (i = 0; i < rp->n_levels; i++) {
			const struct level *lv = &rp->levels[i];
			char lab[32], a[32], b[32];

			if (!lv->measured)
				continue;
			level_label(rp, lv, lab, sizeof(lab));
			fmt_srv(a, sizeof(a), lv->st.srv_prefill_tok_s, "%.1f");
			fmt_srv(b, sizeof(b), lv->st.srv_decode_tok_s, "%.1f");
			fprintf(f, "%s level %s: prefill %s tok/s, decode %s tok/s per "
			    "stream", i ? ";" : "", lab, a, b);
		}
		fprintf(f, "\n");
		write_overlap_text(f, rp);
		write_repeat_text(f, rp);
		if (o->search_slo)
			write_search_text(f, rp);
		if (o->has_slo) {
			const struct level *b = best_goodput(rp);
			char lab[32];

			if (b) {
				level_label(rp, b, lab, sizeof(lab));
				fprintf(f, "goodput: %.2f requests/s at level %s "
				    "(>= 90%% of requests within the SLO)\n",
				    b->st.goodput_rps, lab);
			} else {
				fprintf(f, "goodput: no level kept 90%% of requests "
				    "within the SLO\n");
			}
		}
		if (rp->partial)
			fprintf(f, "* level cut short\n");
	}
	if (rp->probe && rp->probe->ran) {
		if (o->url)
			fputc('\n', f);
		write_probe_text(f, rp, md);
	}
}

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
static const struct level *
level_at(const struct report *rp, long conc)
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

static void
write_profile(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;
	const struct fc_server_info *si = rp->si;
	const struct probe_out *po = rp->probe;
	const struct level *l1 = level_at(rp, 1);
	struct fc_harness_roofline rf;
	int measured_hw = po && po->ran;
	char name[400], src[1024];
	int i;

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
	write_by_context(f, rp);
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
		fprintf(f, "%s}\n", rp->slo_capped ? ", lower_bound_only: true" : "");
	}
	fprintf(f, "    basis: measured\n");
	fprintf(f, "    as_of: %s\n", rp->date);
	fprintf(f, "    source: ");
	yaml_str(f, src);
	fputc('\n', f);
}

void
bench_pick_prefill(struct report *rp)
{
	const struct level *l1 = level_at(rp, 1);

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

int
bench_write_outputs(const struct opts *o, struct report *rp)
{
	struct cli_out out;
	int rc, no_profile = 0;

	if (o->profile && level_at(rp, 1) != NULL) {
		if ((rc = out_open(&out, o->profile)) != EXIT_OK)
			return rc;
		write_profile(out.f, rp);
		if ((rc = out_commit(&out)) != EXIT_OK)
			return rc;
	} else if (o->profile) {
		no_profile = 1;
	}
	if ((rc = out_open(&out, o->outpath)) != EXIT_OK)
		return rc;
	switch (o->fmt) {
	case FMT_JSON: write_json(out.f, rp); break;
	case FMT_CSV: write_csv(out.f, rp); break;
	case FMT_MD: write_text(out.f, rp, 1); break;
	case FMT_TABLE: write_text(out.f, rp, 0); break;
	}
	if ((rc = out_commit(&out)) != EXIT_OK)
		return rc;
	/* the profile asked for is missing: a failure, after the report that
	 * says what was measured (issue 18 item 10: this exited 0) */
	if (no_profile) {
		cli_err("bench: %s not written: no measurement at concurrency 1", o->profile);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
