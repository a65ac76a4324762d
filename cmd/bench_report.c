/*
 * bench_report.c: the output side of `flatcost bench`.  Given the levels
 * measured (and the probe's figures), it writes the report as JSON or CSV
 * (the table and Markdown are bench_text.c's) and, on request, the
 * hardware profile (bench_profile.c's).  Nothing here touches the network.
 */
#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "harness.h"
#include "cli.h"

/* KV bytes read per token at the benchmark's mean context. */
double
bench_kv_bytes(const struct opts *o, const struct fc_probe_model *m)
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

json_t *
bench_num_or_null(double v)
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
		    fc_probe_decode_tok_s(po->r.bw_gbs, m->weights_gb[q], bench_kv_bytes(o, m)),
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
double
bench_cost_per_mtok(const struct opts *o, double tok_s)
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

double
bench_total_tok_s(const struct fc_benchstat_level *s)
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
	json_object_set_new(j, "input_tokens_mean", bench_num_or_null(s->input_tokens_mean));
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
	json_object_set_new(j, "cost_per_mtok_usd", bench_cost_per_mtok(rp->o,
	    s->output_tok_s) < 0 ? json_null() : json_pack("{s:f, s:f}",
	    "output", bench_cost_per_mtok(rp->o, s->output_tok_s),
	    "input_and_output", bench_cost_per_mtok(rp->o, bench_total_tok_s(s))));
	json_object_set_new(j, "server", json_pack("{s:o, s:o, s:o}",
	    "prefill_tok_s", bench_num_or_null(s->srv_prefill_tok_s),
	    "decode_tok_s_per_stream", bench_num_or_null(s->srv_decode_tok_s),
	    "load_s", bench_num_or_null(s->srv_load_s)));
	return j;
}

/* The best level meeting the SLO for 90% of requests (DistServe). */
const struct level *
bench_best_goodput(const struct report *rp)
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

/* The server and the model measured, with its size and shape. */
static json_t *
server_json(const struct report *rp)
{
	const struct opts *o = rp->o;
	json_t *srv = json_pack("{s:s, s:s, s:s, s:s, s:s}", "url", o->base,
	    "api", o->api == API_OLLAMA ? "ollama" : "openai", "endpoint",
	    rp->si->endpoint, "model", o->model, "engine", rp->si->engine);
	json_object_set_new(srv, "params_b", rp->si->params_b > 0 ?
	    json_real(rp->si->params_b) : json_null());
	json_object_set_new(srv, "weights_gb", rp->si->weights_gb > 0 ?
	    json_real(rp->si->weights_gb) : json_null());
	json_object_set_new(srv, "threads", rp->si->threads > 0 ?
	    json_integer(rp->si->threads) : json_null());
	json_object_set_new(srv, "kv_bytes_per_token",
	    rp->si->kv_bytes_per_token > 0 ?
	    json_real(rp->si->kv_bytes_per_token) : json_null());
	json_object_set_new(srv, "active_params_b", rp->si->active_params_b > 0 ?
	    json_real(rp->si->active_params_b) : json_null());
	return srv;
}

/* The load's settings. */
static json_t *
settings_json(const struct opts *o)
{
	json_t *settings;

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
	return settings;
}

static int
write_json(FILE *f, const struct report *rp)
{
	const struct opts *o = rp->o;
	json_t *j, *lvls;
	int i, rc;

	j = json_pack("{s:s, s:s, s:s, s:b}", "flatcost_version", FC_VERSION,
	    "command", "bench", "date", rp->date, "partial", rp->partial);
	json_object_set_new(j, "stop_reason", rp->stop_reason ?
	    json_string(rp->stop_reason) : json_null());
	if (o->url) {
		json_object_set_new(j, "server", server_json(rp));
		json_object_set_new(j, "settings", settings_json(o));
		lvls = json_array();
		for (i = 0; i < rp->n_levels; i++)
			if (rp->levels[i].measured)
				json_array_append_new(lvls, level_json(rp, &rp->levels[i]));
		json_object_set_new(j, "levels", lvls);
		if (o->has_slo) {
			const struct level *b = bench_best_goodput(rp);
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
		csv_num(f, bench_cost_per_mtok(rp->o, s->output_tok_s), 1);
	}
}

int
bench_write_outputs(const struct opts *o, struct report *rp)
{
	struct cli_out out;
	int rc, no_profile = 0;

	if (o->profile && bench_level_at(rp, 1) != NULL) {
		if ((rc = out_open(&out, o->profile)) != EXIT_OK)
			return rc;
		bench_write_profile(out.f, rp);
		if ((rc = out_commit(&out)) != EXIT_OK)
			return rc;
		/* said, as data import says where it wrote */
		fprintf(stderr, "flatcost: wrote the hardware profile %s (flatcost simulate "
		    "reads it as flat.hardware: %s)\n", o->profile, o->profile);
	} else if (o->profile) {
		no_profile = 1;
	}
	if ((rc = out_open(&out, o->outpath)) != EXIT_OK)
		return rc;
	switch (o->fmt) {
	case FMT_JSON: write_json(out.f, rp); break;
	case FMT_CSV: write_csv(out.f, rp); break;
	case FMT_MD: bench_write_text(out.f, rp, 1); break;
	case FMT_TABLE: bench_write_text(out.f, rp, 0); break;
	}
	if ((rc = out_commit(&out)) != EXIT_OK)
		return rc;
	/* the profile asked for is missing: a failure, after the report that
	 * says what was measured (exit 3, not 0) */
	if (no_profile) {
		cli_err("bench: %s not written: no measurement at concurrency 1", o->profile);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
