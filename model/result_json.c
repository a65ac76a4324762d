/*
 * result_json.c: a simulation's result as JSON (see result_json.h).
 */
#include "result_json.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "des.h"
#include "dist.h"
#include "fleet.h"

const char *
fc_result_fleet_mode(const struct fc_scenario *s)
{
	if (s->flat.fixed_servers > 0)
		return "fixed";
	if (s->flat.max_servers > 0)
		return "capped";
	return "sized";
}

json_t *
fc_json_num(double v)
{
	if (!isfinite(v))
		return json_null();
	/* written in the shortest form that reads back (fc_json_real);
	 * -0 and denormals (2.2e-318: rounding noise, not a figure) are 0 */
	return json_real(fabs(v) < DBL_MIN ? 0 : v);
}

void
fc_json_set_dotted(json_t *obj, const char *key, json_t *val)
{
	const char *dot;
	char part[64];

	while ((dot = strchr(key, '.')) != NULL) {
		json_t *sub;
		size_t n = (size_t)(dot - key) < sizeof(part) - 1 ?
		    (size_t)(dot - key) : sizeof(part) - 1;
		memcpy(part, key, n);
		part[n] = '\0';
		sub = json_object_get(obj, part);
		if (sub == NULL || !json_is_object(sub)) {
			sub = json_object();
			json_object_set_new(obj, part, sub);
		}
		obj = sub;
		key = dot + 1;
	}
	json_object_set_new(obj, key, val);
}

json_t *
fc_json_stat(const struct fc_stat *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "mean", fc_json_num(s->mean));
	json_object_set_new(o, "sd", fc_json_num(s->sd));
	json_object_set_new(o, "p5", fc_json_num(s->p5));
	json_object_set_new(o, "p50", fc_json_num(s->p50));
	json_object_set_new(o, "p95", fc_json_num(s->p95));
	json_object_set_new(o, "p99", fc_json_num(s->p99));
	return o;
}

static json_t *
num_json(const struct fc_num *x)
{
	json_t *o;

	if (fc_num_is_const(x))
		return fc_json_num(x->p[0]);
	o = json_object();
	json_object_set_new(o, "dist", json_string(fc_dist_name(x->kind)));
	switch (x->kind) {
	case FC_DIST_LOGNORMAL:
		json_object_set_new(o, "mean", fc_json_num(x->p[0]));
		json_object_set_new(o, "cv", fc_json_num(x->p[1]));
		break;
	case FC_DIST_NORMAL:
		json_object_set_new(o, "mean", fc_json_num(x->p[0]));
		json_object_set_new(o, "sd", fc_json_num(x->p[1]));
		break;
	case FC_DIST_UNIFORM:
		json_object_set_new(o, "min", fc_json_num(x->p[0]));
		json_object_set_new(o, "max", fc_json_num(x->p[1]));
		break;
	default:
		json_object_set_new(o, "min", fc_json_num(x->p[0]));
		json_object_set_new(o, "mode", fc_json_num(x->p[1]));
		json_object_set_new(o, "max", fc_json_num(x->p[2]));
		break;
	}
	if (x->shift != 0)   /* a prompt's tokens under the user's part */
		json_object_set_new(o, "shift", fc_json_num(x->shift));
	if (x->truncate)   /* to the key's range: the share of mass cut off */
		json_object_set_new(o, "truncated", fc_json_num(fc_num_truncated(x)));
	json_object_set_new(o, "expected", fc_json_num(fc_num_mean(x)));
	return o;
}


/* An uncertain efficiency (capacity.efficiency): each one's mean and
 * percentiles, and whether it is the class default's spread. */
static json_t *
efficiency_json(const struct fc_hw *h)
{
	const struct fc_num *x[2] = { &h->eta_decode_num, &h->eta_prefill_num };
	static const char *const names[2] = { "decode", "prefill" };
	json_t *o = json_pack("{s:s}", "basis", h->eta_default_dist ?
	    "class default, spread of the measured entries" : "given");
	size_t k;

	for (k = 0; k < 2; k++)
		json_object_set_new(o, names[k], json_pack("{s:o, s:o, s:o, s:o, s:o}",
		    "mean", fc_json_num(fc_num_mean(x[k])), "p5", fc_json_num(fc_num_at(x[k], 0.05)),
		    "p50", fc_json_num(fc_num_at(x[k], 0.5)), "p95", fc_json_num(fc_num_at(x[k], 0.95)),
		    "dist", json_string(fc_dist_name(x[k]->kind))));
	return o;
}

static json_t *
price_json(const struct fc_price *p)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:s?}",
	    "id", p->id, "input", fc_json_num(p->input),
	    "cached_input", fc_json_num(p->cached_input),
	    "cache_write", fc_json_num(p->cache_write),
	    "cache_write_1h", fc_json_num(p->cache_write_1h), "output", fc_json_num(p->output),
	    "batch_discount", fc_json_num(p->batch_discount), "as_of", p->as_of,
	    "source", p->source, "origin", p->origin ? p->origin : "scenario",
	    "shutdown", p->shutdown, "successor", p->successor);

	if (p->tier_above > 0)
		json_object_set_new(o, "tier", json_pack("{s:o, s:o, s:o, s:o}",
		    "above_tokens", fc_json_num(p->tier_above), "input", fc_json_num(p->tier_input),
		    "cached_input", fc_json_num(p->tier_cached_input),
		    "output", fc_json_num(p->tier_output)));
	return o;
}

static json_t *
inputs_json(const struct fc_scenario *s, const struct fc_mc_result *r)
{
	json_t *in = json_object(), *wl = json_object(), *flat = json_object();
	const struct fc_hw *h = &s->flat.hw;
	const struct fc_model *m = &s->flat.model;
	size_t i;

	json_object_set_new(in, "users", num_json(&s->users));
	if (s->n_users > 0) {
		json_t *a = json_array();
		for (i = 0; i < s->n_users; i++)
			json_array_append_new(a, fc_json_num(s->users_by_month[i]));
		json_object_set_new(in, "users_by_month", a);
	}
	if (s->n_growth > 0) {
		json_t *a = json_array();
		for (i = 0; i < s->n_growth; i++)
			json_array_append_new(a, fc_json_num(s->growth_by_month[i]));
		json_object_set_new(in, "user_growth_by_month", a);
	} else if (s->user_growth.kind != FC_DIST_CONST || s->user_growth.p[0] != 0) {
		json_object_set_new(in, "user_growth_per_month", num_json(&s->user_growth));
		if (s->growth_until > 0)
			json_object_set_new(in, "growth_until_month",
			    json_integer((json_int_t)s->growth_until));
	}
	json_object_set_new(in, "revenue_per_user", num_json(&s->revenue_per_user));
	json_object_set_new(in, "days_per_month", num_json(&s->days_per_month));
	json_object_set_new(wl, "requests_per_user_per_day", num_json(&s->workload.requests_per_user_per_day));
	json_object_set_new(wl, "top10_share", num_json(&s->workload.top10_share));
	json_object_set_new(wl, "chaining", num_json(&s->workload.chaining));
	json_object_set_new(wl, "input_tokens", num_json(&s->workload.input_tokens));
	json_object_set_new(wl, "output_tokens", num_json(&s->workload.output_tokens));
	json_object_set_new(wl, "context_growth_per_month", num_json(&s->workload.context_growth_per_month));
	json_object_set_new(wl, "peak_to_mean", num_json(&s->workload.peak_to_mean));
	json_object_set_new(wl, "cached_input_share", num_json(&s->workload.cached_input_share));
	json_object_set_new(wl, "batch_share", num_json(&s->workload.batch_share));
	if (s->workload.has_diurnal) {
		json_t *a = json_array();
		for (i = 0; i < 24; i++)
			json_array_append_new(a, fc_json_num(s->workload.diurnal[i]));
		json_object_set_new(wl, "diurnal", a);
	}
	json_object_set_new(in, "workload", wl);
	json_object_set_new(in, "api", json_pack("{s:o}", "price", price_json(&s->api)));
	json_object_set_new(flat, "hardware", json_pack(
	    "{s:s, s:s?, s:s, s:o, s:o, s:o, s:o, s:s?, s:o, s:o, s:s?, s:s?, s:s?}",
	    "id", h->id, "name", h->name, "kind", h->gpu ? "gpu" : "cpu",
	    "monthly_price", fc_json_num(h->monthly_price), "ram_gb", fc_json_num(h->ram_gb),
	    "vram_gb", fc_json_num(h->vram_gb), "mem_bandwidth_gbs", fc_json_num(h->mem_bandwidth_gbs),
	    "mem_bandwidth_basis", h->mem_bandwidth_basis,
	    "eta_decode", fc_json_num(h->eta_decode), "eta_prefill", fc_json_num(h->eta_prefill),
	    "price_as_of", h->price_as_of, "as_of", h->as_of, "source", h->source));
	json_object_set_new(json_object_get(flat, "hardware"), "efficiency_basis",
	    h->eta_default ? json_string("class default from data") :
	    h->efficiency_basis ? json_string(h->efficiency_basis) : json_null());
	json_object_set_new(json_object_get(flat, "hardware"), "origin",
	    json_string(h->origin ? h->origin : "scenario"));
	if (h->eta_rules) {
		json_t *rules = json_array();
		if (h->eta_rules & FC_ETA_POWER_PREFILL)
			json_array_append_new(rules, json_string("prefill from board power"));
		if (h->eta_rules & FC_ETA_SM_DECODE)
			json_array_append_new(rules, json_string("decode under the SMs' bound"));
		json_object_set_new(json_object_get(flat, "hardware"), "efficiency_rules", rules);
	}
	if (h->arch != FC_ARCH_UNKNOWN)
		json_object_set_new(json_object_get(flat, "hardware"), "arch",
		    json_string(fc_arch_names[h->arch]));
	if (h->board_power_w > 0)
		json_object_set_new(json_object_get(flat, "hardware"), "board_power_w",
		    fc_json_num(h->board_power_w));
	if (h->sm_count > 0)
		json_object_set_new(json_object_get(flat, "hardware"), "sm_count",
		    json_integer(h->sm_count));
	if (h->boost_clock_mhz > 0)
		json_object_set_new(json_object_get(flat, "hardware"), "boost_clock_mhz",
		    fc_json_num(h->boost_clock_mhz));
	if (h->monthly_price_eur > 0)
		json_object_set_new(json_object_get(flat, "hardware"), "monthly_price_eur",
		    fc_json_num(h->monthly_price_eur));
	if (h->setup_price > 0)
		json_object_set_new(json_object_get(flat, "hardware"), "setup_price",
		    fc_json_num(h->setup_price));
	if (!fc_num_is_const(&h->setup_num))
		json_object_set_new(json_object_get(flat, "hardware"), "setup_price_dist",
		    num_json(&h->setup_num));
	/* an uncertain price: monthly_price above is its mean */
	if (!fc_num_is_const(&h->monthly_num))
		json_object_set_new(json_object_get(flat, "hardware"), "monthly_price_dist",
		    num_json(&h->monthly_num));
	if (!fc_num_is_const(&h->hourly_num))
		json_object_set_new(json_object_get(flat, "hardware"), "hourly_price_dist",
		    num_json(&h->hourly_num));
	json_object_set_new(flat, "model", json_pack("{s:s, s:s?, s:o, s:s, s:o, s:o, s:s?}",
	    "ref", s->flat.model_ref, "name", m->name, "params_b", fc_json_num(m->params_b),
	    "quant", fc_quant_names[s->flat.quant],
	    "weights_gb", fc_json_num(m->weights_gb[s->flat.quant]),
	    "kv_bytes_per_token", fc_json_num(m->kv_bytes_per_token), "as_of", m->as_of));
	json_object_set_new(flat, "target_utilization", num_json(&s->flat.target_utilization));
	json_object_set_new(flat, "slo_p95_latency_s", num_json(&s->flat.slo_p95_latency_s));
	json_object_set_new(flat, "slo_applies_to", json_string(s->flat.slo_action ?
	    "action" : "call"));
	json_object_set_new(flat, "fallback_api", price_json(&s->flat.fallback_api));
	json_object_set_new(flat, "fallback_share", num_json(fc_scenario_fallback(s, r->month)));
	json_object_set_new(flat, "fixed_monthly", num_json(&s->flat.fixed_monthly));
	if (s->flat.fixed_servers > 0)
		json_object_set_new(flat, "fixed_servers", json_integer(s->flat.fixed_servers));
	if (s->flat.max_servers > 0)
		json_object_set_new(flat, "max_servers", json_integer(s->flat.max_servers));
	json_object_set_new(flat, "one_time", num_json(&s->flat.one_time));
	json_object_set_new(in, "flat", flat);
	json_object_set_new(json_object_get(in, "api"), "one_time", num_json(&s->api_one_time));
	if (!fc_num_is_const(&s->api_price_factor) || s->api_price_factor.p[0] != 1)
		json_object_set_new(json_object_get(in, "api"), "price_factor",
		    num_json(&s->api_price_factor));
	json_object_set_new(in, "other_costs", json_pack("{s:o, s:o}",
	    "per_user_monthly", num_json(&s->other.per_user_monthly),
	    "fixed_monthly", num_json(&s->other.fixed_monthly)));
	return in;
}

json_t *
fc_result_json_breakeven(const struct fc_breakeven *b)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < b->nranges; i++)
		json_array_append_new(a, json_pack("{s:o, s:o}", "from",
		    fc_json_num(b->from[i]), "to", fc_json_num(b->to[i])));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "first", fc_json_num(b->first),
	    "lasting", fc_json_num(b->lasting), "ranges", a,
	    "searched_from_users", fc_json_num(b->searched_from),
	    "searched_to_users", fc_json_num(b->searched_to), "truncated", b->truncated);
}

static json_t *
des_json(const struct fc_des_report *d)
{
	json_t *o = json_object(), *u = json_array(), *a = json_array();
	int h;

	json_object_set_new(o, "servers", fc_json_num(d->plan.servers));
	json_object_set_new(o, "slots", json_integer(d->cap.slots));
	json_object_set_new(o, "slo_feasible", json_boolean(d->plan.slo_feasible));
	json_object_set_new(o, "analytic_overflow_share", fc_json_num(d->plan.overflow_share));
	json_object_set_new(o, "calls", fc_json_num(d->day.calls));
	json_object_set_new(o, "overflow_share", fc_json_num(d->day.overflow_share));
	json_object_set_new(o, "slo_met_share", fc_json_num(d->day.slo_met_share));
	json_object_set_new(o, "latency_p50_s", fc_json_num(d->day.lat_p50));
	json_object_set_new(o, "latency_p95_s", fc_json_num(d->day.lat_p95));
	json_object_set_new(o, "latency_p99_s", fc_json_num(d->day.lat_p99));
	for (h = 0; h < 24; h++) {
		json_array_append_new(u, fc_json_num(d->day.util_by_hour[h]));
		json_array_append_new(a, fc_json_num(d->plan.servers > 0 ?
		    d->day.mean_active_by_hour[h] / (d->plan.servers * d->cap.slots) : 0));
	}
	json_object_set_new(o, "busy_share_by_hour", u);
	json_object_set_new(o, "slot_utilization_by_hour", a);
	json_object_set_new(o, "des_min_servers", fc_json_num(d->des_min_servers));
	return o;
}

void
fc_result_json_viability(json_t *o, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	json_t *flat = json_object_get(o, "flat");
	char why[400];

	if (flat == NULL) {
		flat = json_object();
		json_object_set_new(o, "flat", flat);
	}
	json_object_set_new(flat, "viable", json_boolean(r->breakeven.viability.viable));
	if (!r->deterministic)
		json_object_set_new(flat, "p_viable", fc_json_num(r->p_viable));
	fc_breakeven_viability_text(s, &r->breakeven.viability, why, sizeof(why));
	json_object_set_new(flat, "viability", why[0] ? json_string(why) : json_null());
}

json_t *
fc_result_json_inputs(const struct fc_scenario *s, const struct fc_mc_result *r)
{
	return inputs_json(s, r);
}

/*
 * Whether bench --search-slo's answer holds for this scenario's SLO: a
 * bound on end-to-end time only, equal to flat.slo.p95_latency_s, for 95%
 * of requests (a P95).
 */
int
fc_result_same_slo(const struct fc_tpoint *p, double slo_s)
{
	return p->slo_ttft_s <= 0 && p->slo_tpot_s <= 0 && p->slo_e2e_s > 0 &&
	    fabs(p->slo_e2e_s - slo_s) <= 1e-9 * slo_s &&
	    fabs(p->slo_attainment - 0.95) < 1e-9;
}

/* The profile's --search-slo answer, and whether it is this scenario's. */
static json_t *
measured_slo_json(const struct fc_mc_result *r)
{
	const struct fc_tpoint *p = r->tp.point;
	int same = fc_result_same_slo(p, r->in.slo_s);

	return json_pack("{s:f, s:f, s:o, s:o, s:o, s:b, s:b}",
	    "max_concurrency", p->slo_max_concurrency, "attainment",
	    p->slo_attainment, "ttft_s", p->slo_ttft_s > 0 ? json_real(p->slo_ttft_s) :
	    json_null(), "tpot_s", p->slo_tpot_s > 0 ? json_real(p->slo_tpot_s) :
	    json_null(), "e2e_s", p->slo_e2e_s > 0 ? json_real(p->slo_e2e_s) :
	    json_null(), "lower_bound_only", p->slo_lower_bound,
	    "same_slo_as_scenario", same);
}

/* latency.api.*: the API's own latency from its log (api.latency_p50_s,
 * p95_s), beside latency.call.*; absent when the scenario gives neither. */
static void
api_latency_json(json_t *o, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	double f = fc_fleet_action_factor(r->in.chaining, r->in.chaining_overlap);
	double p50 = s->api_latency_p50_s, p95 = s->api_latency_p95_s;

	if (!(p50 > 0) && !(p95 > 0))
		return;
	fc_json_set_dotted(o, "latency.api.p50_s", p50 > 0 ? fc_json_num(p50) : json_null());
	fc_json_set_dotted(o, "latency.api.p95_s", p95 > 0 ? fc_json_num(p95) : json_null());
	fc_json_set_dotted(o, "latency.api.action_p50_s", p50 > 0 ? fc_json_num(f * p50) :
	    json_null());
	fc_json_set_dotted(o, "latency.api.action_p95_s", p95 > 0 ? fc_json_num(f * p95) :
	    json_null());
	fc_json_set_dotted(o, "latency.api.basis",
	    json_string("the API's own call latency, end - start, as its log shows it "
	    "(api.latency_p50_s, api.latency_p95_s)"));
}

void
fc_result_json_fill(json_t *o, const struct fc_scenario *s, const struct fc_mc_result *r)
{
	json_t *cap;
	size_t k;

	for (k = 0; k < fc_nfigures; k++) {
		json_t *v;
		if (!fc_figure_applies(s, k))
			continue;
		v = r->deterministic ? fc_json_num(fc_figure_get(&r->det, k)) :
		    fc_json_stat(&r->stats[k]);
		fc_json_set_dotted(o, fc_figures[k].key, v);
	}
	fc_json_set_dotted(o, "flat.fleet", json_string(fc_result_fleet_mode(s)));
	cap = json_object_get(o, "capacity");
	if (cap) {
		json_object_set_new(cap, "basis", json_string(fc_capacity_basis_name(r->tp.basis)));
		json_object_set_new(cap, "label", json_string(fc_throughput_label(&r->tp)));
		if (r->tp.point && r->tp.point->slo_max_concurrency > 0)
			json_object_set_new(cap, "measured_slo_search", measured_slo_json(r));
		if (r->tp.decode_cv > 0 || r->tp.prefill_cv > 0)
			json_object_set_new(cap, "run_to_run_cv", json_pack("{s:o, s:o}",
			    "decode", fc_json_num(r->tp.decode_cv), "prefill",
			    fc_json_num(r->tp.prefill_cv)));
		if (r->tp.point && r->tp.point_ctx_tokens > 0)
			json_object_set_new(cap, "measured_context_tokens",
			    fc_json_num(r->tp.point_ctx_tokens));
		if (r->tp.point)
			json_object_set_new(cap, "measured_model", json_string(r->tp.point->model));
		if (!fc_num_is_const(&s->flat.hw.eta_decode_num) ||
		    !fc_num_is_const(&s->flat.hw.eta_prefill_num))
			json_object_set_new(cap, "efficiency", efficiency_json(&s->flat.hw));
		json_object_set_new(cap, "effective_bandwidth_gbs", fc_json_num(r->tp.bw_eff_gbs));
		json_object_set_new(cap, "effective_compute_gflops", fc_json_num(r->tp.compute_eff_gflops));
	}
	fc_result_json_viability(o, s, r);
	/* breakeven_users, a figure: the lasting breakeven (over the searched
	 * trials that have one) */
	if (!r->deterministic) {
		json_object_set_new(o, "first_cheaper_users", fc_json_stat(&r->first_stat));
		json_object_set_new(o, "p_breakeven_found", fc_json_num(r->p_breakeven_found));
		json_object_set_new(o, "breakeven_trials", json_integer(r->breakeven_trials));
		json_object_set_new(o, "p_flat_cheaper", fc_json_num(r->p_flat_cheaper));
	}
	json_object_set_new(o, "breakeven", fc_result_json_breakeven(&r->breakeven));
	if (r->des) {
		/* the simulated day's latency, beside the queueing model's
		 * latency.call.* (served calls, whole day) */
		json_object_set_new(o, "des", des_json(r->des));
		fc_json_set_dotted(o, "latency.des.p50_s", fc_json_num(r->des->day.lat_p50));
		fc_json_set_dotted(o, "latency.des.p95_s", fc_json_num(r->des->day.lat_p95));
		fc_json_set_dotted(o, "latency.des.p99_s", fc_json_num(r->des->day.lat_p99));
		fc_json_set_dotted(o, "latency.des.slo_met_share", fc_json_num(r->des->day.slo_met_share));
	}
	api_latency_json(o, s, r);
	json_object_set_new(o, "inputs", inputs_json(s, r));
}

/* The shortest text that reads back as v ("%.17g"
 * printed 197.09999999999999 for 197.1), in jansson's form: a '.' or an
 * 'e' always (a real stays a real), no '+' and no leading zeros in the
 * exponent. */
void
fc_json_real(char *buf, size_t len, double v)
{
	char *e, *d;
	int p;

	for (p = 15; p < 17; p++) {
		snprintf(buf, len, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (p == 17)
		snprintf(buf, len, "%.17g", v);
	if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL &&
	    strlen(buf) + 3 <= len)
		strcat(buf, ".0");
	if ((e = strchr(buf, 'e')) != NULL) {
		e++;
		if (*e == '+')
			memmove(e, e + 1, strlen(e));
		else if (*e == '-')
			e++;
		for (d = e; *d == '0' && d[1]; d++)
			;
		memmove(e, d, strlen(d) + 1);
	}
}

/* j as jansson's JSON_INDENT(2) writes it, reals by fc_json_real(). */
int
fc_json_write(FILE *f, json_t *j, int depth)
{
	const char *key;
	json_t *v;
	size_t i, n;
	char buf[64], *leaf;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		n = json_is_object(j) ? json_object_size(j) : json_array_size(j);
		fputc(json_is_object(j) ? '{' : '[', f);
		i = 0;
		if (json_is_object(j)) {
			json_object_foreach(j, key, v) {
				json_t *k = json_string(key);
				fprintf(f, "%s\n%*s", i++ ? "," : "", 2 * (depth + 1), "");
				if (k == NULL || fc_json_write(f, k, depth + 1) != 0) {
					json_decref(k);
					return -1;
				}
				json_decref(k);
				fputs(": ", f);
				if (fc_json_write(f, v, depth + 1) != 0)
					return -1;
			}
		} else {
			for (i = 0; i < n; i++) {
				fprintf(f, "%s\n%*s", i ? "," : "", 2 * (depth + 1), "");
				if (fc_json_write(f, json_array_get(j, i), depth + 1) != 0)
					return -1;
			}
		}
		if (n)
			fprintf(f, "\n%*s", 2 * depth, "");
		fputc(json_is_object(j) ? '}' : ']', f);
		return 0;
	case JSON_REAL:
		fc_json_real(buf, sizeof(buf), json_real_value(j));
		fputs(buf, f);
		return 0;
	default:   /* strings, integers, true, false, null: as jansson has them */
		if ((leaf = json_dumps(j, JSON_ENCODE_ANY)) == NULL)
			return -1;
		fputs(leaf, f);
		free(leaf);
		return 0;
	}
}

int
fc_json_dump(FILE *f, json_t *j)
{
	int rc = 0;

	if (j == NULL || fc_json_write(f, j, 0) != 0)
		rc = -1;
	fputc('\n', f);
	json_decref(j);
	return rc;
}
