/*
 * bench_text.c: the table (and Markdown) report of `flatcost bench`: the
 * levels, the server's own figures, the levels that did not overlap as
 * asked, the run-to-run spread, the SLO search's answer, the probe.
 */
#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "harness.h"
#include "cli.h"

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
			if (d1 && d1->kind == FC_Y_SCALAR && fc_ynode_parse_double(d1->str, &v) == 0)
				snprintf(md1, sizeof(md1), "%.1f", v);
			pf = fc_ynode_get(pt, "prefill_tok_s");
			if (pf && pf->kind == FC_Y_SCALAR && fc_ynode_parse_double(pf->str, &v) == 0)
				snprintf(mp1, sizeof(mp1), "%.1f", v);
		}
		fprintf(f, md ? "| %s | %.2f | %.2f | %.1f | %.1f | %s | %s |\n" :
		    "  %-24s %10.2f %12.2f %13.1f %14.1f %16s %17s\n", m->id,
		    m->params_b, m->weights_gb[q],
		    fc_probe_decode_tok_s(po->r.bw_gbs, m->weights_gb[q], bench_kv_bytes(o, m)),
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
		if (bench_cost_per_mtok(rp->o, lv->st.output_tok_s) >= 0)
			fprintf(f, "level %s: $%.4g per million output tokens, $%.4g per "
			    "million input and output tokens (%s)\n", lab,
			    bench_cost_per_mtok(rp->o, lv->st.output_tok_s),
			    bench_cost_per_mtok(rp->o, bench_total_tok_s(&lv->st)),
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
/* The server, its model and the load. */
static void
write_head_text(FILE *f, const struct report *rp, int md)
{
	const struct opts *o = rp->o;
	const struct fc_server_info *si = rp->si;
	char lens[MAX_INPUTS * 12] = "";
	int k;

	if (md)
		fprintf(f, "# flatcost bench: %s\n\n", o->model);
	fprintf(f, "%s%s (%s %s), model %s, engine %s\n", md ? "- server: " :
	    "flatcost bench: ", o->base, o->api == API_OLLAMA ? "ollama" :
	    "openai", si->endpoint, o->model, si->engine);
	if (si->params_b > 0 || si->weights_gb > 0)
		fprintf(f, "%smodel size: %.3g B parameters, %.3g GB of weights\n",
		    md ? "- " : "", si->params_b, si->weights_gb);
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
}

/* One row of the levels' table. */
static void
write_level_row(FILE *f, const struct report *rp, const struct level *lv,
    int md)
{
	const struct fc_benchstat_level *s = &lv->st;
	char lab[32], ttft[64], tpot[64], e2e[64], gp[32];

	level_label(rp, lv, lab, sizeof(lab));
	if (lv->partial)
		strncat(lab, "*", sizeof(lab) - strlen(lab) - 1);
	snprintf(ttft, sizeof(ttft), "%.0f/%.0f/%.0f", s->ttft_s.p50 * 1e3,
	    s->ttft_s.p90 * 1e3, s->ttft_s.p99 * 1e3);
	snprintf(tpot, sizeof(tpot), "%.1f/%.1f/%.1f", s->tpot_s.p50 * 1e3,
	    s->tpot_s.p90 * 1e3, s->tpot_s.p99 * 1e3);
	snprintf(e2e, sizeof(e2e), "%.2f/%.2f/%.2f", s->e2e_s.p50,
	    s->e2e_s.p90, s->e2e_s.p99);
	if (rp->o->has_slo)
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

/* The levels' table, then the server's own figures. */
static void
write_levels_text(FILE *f, const struct report *rp, int md)
{
	int i;

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
	for (i = 0; i < rp->n_levels; i++)
		if (rp->levels[i].measured)
			write_level_row(f, rp, &rp->levels[i], md);
	fprintf(f, "\nserver-reported (%s):", rp->si->engine);
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
}

/* The best goodput within the SLO. */
static void
write_goodput_text(FILE *f, const struct report *rp)
{
	const struct level *b = bench_best_goodput(rp);
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

void
bench_write_text(FILE *f, const struct report *rp, int md)
{
	const struct opts *o = rp->o;

	if (o->url) {
		write_head_text(f, rp, md);
		write_levels_text(f, rp, md);
		write_overlap_text(f, rp);
		write_repeat_text(f, rp);
		if (o->search_slo)
			write_search_text(f, rp);
		if (o->has_slo)
			write_goodput_text(f, rp);
		if (rp->partial)
			fprintf(f, "* level cut short\n");
	}
	if (rp->probe && rp->probe->ran) {
		if (o->url)
			fputc('\n', f);
		write_probe_text(f, rp, md);
	}
}
