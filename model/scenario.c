/*
 * scenario.c: loading a scenario: parse (ynode), apply --set overrides,
 * read every section through one table of fields, resolve references into
 * data/ and check what no single field can (the model fits in memory).
 */
#include "scenario.h"
#include "capacity.h"
#include "modelref.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "tokenize.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define OFF(f) offsetof(struct fc_scenario, f)

/* One row per key of the file.  def is the default (NAN: required). */
struct srow {
	const char *section;   /* "" top level, "workload", "flat.slo", ... */
	const char *key;
	enum fc_ftype type;
	size_t off;            /* into struct fc_scenario; (size_t)-1: a sub-section or a reference */
	double lo, hi;
	int lo_open;
	double def;
	const char *what;
};

#define NONE ((size_t)-1)
#define REQ NAN
#define BIG 1e15

static const char *const billing_names[] = { "monthly", "hourly", NULL };
static const char *const slo_applies_names[] = { "call", "action", NULL };
static const char *const ttl_names[] = { "5m", "1h", NULL };
static const char *const service_names[] = { "standard", "priority", "flex", NULL };

static const struct srow rows[] = {
	{ "", "flatcost", FT_INT, NONE, 1, 1, 0, REQ, "the schema version: 1" },
	{ "", "name", FT_STR, OFF(name), 0, 0, 0, 0, "a name" },
	{ "", "description", FT_STR, OFF(description), 0, 0, 0, 0, "a description" },
	{ "", "users", FT_NODE, NONE, 0, 0, 0, REQ, "a number of users >= 0, or a list of users by month" },
	{ "", "user_growth_per_month", FT_NODE, NONE, 0, 0, 0, 0, "a monthly growth rate above -1 (0.1 = 10% a month), a list of rates by month, or {rate: R, until_month: N}" },
	{ "", "revenue_per_user", FT_NUM, OFF(revenue_per_user), 0, 1e7, 0, 0, "USD per user per month >= 0" },
	{ "", "days_per_month", FT_NUM, OFF(days_per_month), 1, 31, 0, 30, "a number of days from 1 to 31" },
	{ "", "workload", FT_NODE, NONE, 0, 0, 0, REQ, "the workload section" },
	{ "", "api", FT_NODE, NONE, 0, 0, 0, REQ, "the api section" },
	{ "", "flat", FT_NODE, NONE, 0, 0, 0, REQ, "the flat section" },
	{ "", "other_costs", FT_NODE, NONE, 0, 0, 0, 0, NULL },
	{ "", "simulation", FT_NODE, NONE, 0, 0, 0, 0, NULL },
	{ "", "budget", FT_NODE, NONE, 0, 0, 0, 0, NULL },
	{ "workload", "requests_per_user_per_day", FT_NUM, OFF(workload.requests_per_user_per_day), 0, 1e6, 0, REQ, "requests per user per day >= 0" },
	{ "workload", "top10_share", FT_NUM, OFF(workload.top10_share), 0.1, 0.999, 0, 0.1, "a share from 0.1 (even) to 0.999" },
	{ "workload", "chaining", FT_NUM, OFF(workload.chaining), 0, 1000, 1, 1, "LLM calls per user action > 0" },
	{ "workload", "input_tokens", FT_NUM, OFF(workload.input_tokens), 0, 1e7, 0, REQ, "input tokens per call >= 0" },
	{ "workload", "output_tokens", FT_NUM, OFF(workload.output_tokens), 0, 1e7, 0, REQ, "output tokens per call >= 0" },
	{ "workload", "input_cv", FT_NUM, OFF(workload.input_cv), 0, 10, 0, 0.5, "a coefficient of variation from 0 to 10" },
	{ "workload", "output_cv", FT_NUM, OFF(workload.output_cv), 0, 10, 0, 0.5, "a coefficient of variation from 0 to 10" },
	{ "workload", "context_growth_per_month", FT_NUM, OFF(workload.context_growth_per_month), 0, 1e7, 0, 0, "input tokens per call per month >= 0" },
	{ "workload", "peak_to_mean", FT_NUM, OFF(workload.peak_to_mean), 1, 24, 0, 2, "a ratio from 1 to 24" },
	{ "workload", "diurnal", FT_NODE, NONE, 0, 0, 0, 0, "24 hourly weights" },
	{ "workload", "arrival_cv", FT_NUM, OFF(workload.arrival_cv), 0, 20, 0, 1, "a coefficient of variation from 0 to 20 (1 = Poisson)" },
	{ "workload", "cached_input_share", FT_NUM, OFF(workload.cached_input_share), 0, 1, 0, 0, "a share from 0 to 1" },
	{ "workload", "batch_share", FT_NUM, OFF(workload.batch_share), 0, 1, 0, 0, "a share from 0 to 1" },
	{ "workload", "cache_write_share", FT_NUM, OFF(workload.cache_write_share), 0, 1, 0, 0, "a share from 0 to 1" },
	{ "workload", "chaining_overlap", FT_NUM, OFF(workload.chaining_overlap), 0, 1, 0, 0, "a share from 0 (calls in sequence) to 1 (all at once)" },
	{ "workload", "cache_ttl", FT_ENUM, OFF(workload.cache_ttl_1h), 0, 0, 0, 0, "5m or 1h" },
	{ "api", "price", FT_NODE, NONE, 0, 0, 0, REQ, "a price reference such as openai/gpt-4o, or {input, cached_input, output}" },
	{ "api", "one_time", FT_NUM, OFF(api_one_time), 0, BIG, 0, 0, "USD >= 0, paid once" },
	{ "api", "route", FT_NODE, NONE, 0, 0, 0, 0, "a list of model tiers: [{price: openai/gpt-4o-mini, share: 0.7}, {price: openai/gpt-4o}]" },
	{ "api", "service_tier", FT_ENUM, OFF(api_service), 0, 0, 0, 0, "standard, priority or flex" },
	{ "api", "price_factor", FT_NUM, OFF(api_price_factor), 0, 100, 1, 1, "a multiplier > 0 of every API price (0.7: 30% cheaper), a number or a distribution" },
	{ "api", "latency_p50_s", FT_DOUBLE, OFF(api_latency_p50_s), 0, 86400, 1, 0, "seconds > 0: the median of the API's own call latency (end - start), as its log shows it" },
	{ "api", "latency_p95_s", FT_DOUBLE, OFF(api_latency_p95_s), 0, 86400, 1, 0, "seconds > 0: the 95th percentile of the API's own call latency (end - start), as its log shows it" },
	{ "api", "price_changes", FT_NODE, NONE, 0, 0, 0, 0, "a list of price changes such as [{month: 13, to: openai/gpt-5.4-nano}] or [{on: 2027-01-14, to: [{price: openai/gpt-5.4-mini, weight: 0.6}, {price: openai/gpt-5.4-nano, weight: 0.4}]}]" },
	{ "flat", "hardware", FT_NODE, NONE, 0, 0, 0, REQ, "a hardware reference such as hetzner/cx43, a profile path, or an inline entry" },
	{ "flat", "model", FT_NODE, NONE, 0, 0, 0, REQ, "a model reference such as qwen2.5-7b-q4_k_m, a GGUF file, or a mapping {name, like, quant}" },
	{ "flat", "target_utilization", FT_NUM, OFF(flat.target_utilization), 0, 1, 1, 0.7, "a utilization in (0, 1]" },
	{ "flat", "slo", FT_NODE, NONE, 0, 0, 0, 0, NULL },
	{ "flat", "fallback", FT_NODE, NONE, 0, 0, 0, 0, NULL },
	{ "flat", "fixed_monthly", FT_NUM, OFF(flat.fixed_monthly), 0, BIG, 0, 0, "USD per month >= 0" },
	{ "flat", "billing", FT_ENUM, OFF(flat.hourly), 0, 0, 0, 0, "monthly or hourly" },
	{ "flat", "min_servers", FT_INT, OFF(flat.min_servers), 0, 1e6, 0, 1, "a number of servers >= 0" },
	{ "flat", "startup_minutes", FT_NUM, OFF(flat.startup_minutes), 0, 1440, 0, 5, "minutes from 0 to 1440" },
	{ "flat", "slots", FT_INT, OFF(flat.slots), 0, 4096, 0, 0, "parallel calls per server, 0 for the best under the SLO" },
	{ "flat", "fixed_servers", FT_INT, OFF(flat.fixed_servers), 0, 1e8, 0, 0, "a number of servers from 0 to 100000000 (0: sized per trial)" },
	{ "flat", "max_servers", FT_INT, OFF(flat.max_servers), 0, 1e8, 0, 0, "a number of servers >= 0 (0: no cap)" },
	{ "flat", "one_time", FT_NUM, OFF(flat.one_time), 0, BIG, 0, 0, "USD >= 0, paid once" },
	{ "flat", "memory_overhead_gb", FT_NUM, OFF(flat.memory_overhead_gb), 0, 1e4, 0, 1, "GB >= 0" },
	{ "flat.slo", "p95_latency_s", FT_NUM, OFF(flat.slo_p95_latency_s), 0, 1e6, 1, 60, "seconds > 0" },
	{ "flat.slo", "p95_ttft_s", FT_NUM, OFF(flat.slo_p95_ttft_s), 0, 1e6, 0, 0, "seconds >= 0 (0: no bound)" },
	{ "flat.slo", "applies_to", FT_ENUM, OFF(flat.slo_action), 0, 0, 0, 0, "call or action" },
	{ "flat.fallback", "api", FT_NODE, NONE, 0, 0, 0, 0, "a price reference or {input, cached_input, output}" },
	{ "flat.fallback", "share", FT_NODE, NONE, 0, 0, 0, 0, "a share from 0 to 1, or a list of shares by month" },
	{ "flat.fallback", "share_by_model", FT_NODE, NONE, 0, 0, 0, 0, "a mapping of model ids to fallback shares" },
	{ "flat.fallback", "price_changes", FT_NODE, NONE, 0, 0, 0, 0, "a list of price changes of the fallback API, as api.price_changes" },
	{ "other_costs", "per_user_monthly", FT_NUM, OFF(other.per_user_monthly), 0, 1e6, 0, 0, "USD per user per month >= 0" },
	{ "other_costs", "fixed_monthly", FT_NUM, OFF(other.fixed_monthly), 0, BIG, 0, 0, "USD per month >= 0" },
	{ "simulation", "trials", FT_INT, OFF(trials), 1, 1e7, 0, 10000, "a number of trials from 1 to 10000000" },
	{ "simulation", "seed", FT_INT, OFF(seed), 0, (double)FC_MAX_SEED, 0, 42, "a seed from 0 to 9007199254740991" },
	{ "simulation", "months", FT_INT, OFF(months), 1, FC_MAX_SCHEDULE, 0, 1, "a number of months from 1 to 120" },
};

/* The dotted keys, built once: pthread_once makes the first call safe
 * from any thread (a plain "if not built yet" cache let
 * two threads fill it at once). */
static const char *paths[LEN(rows) + 1];
static char path_buf[LEN(rows)][64];
static pthread_once_t paths_once = PTHREAD_ONCE_INIT;

static void
build_paths(void)
{
	size_t i, n = 0;

	for (i = 0; i < LEN(rows); i++) {
		if (rows[i].type == FT_NODE && rows[i].off == NONE &&
		    strcmp(rows[i].key, "price") && strcmp(rows[i].key, "hardware") &&
		    strcmp(rows[i].key, "api") && strcmp(rows[i].key, "share") &&
		    strcmp(rows[i].key, "share_by_model") && strcmp(rows[i].key, "diurnal") &&
		    strcmp(rows[i].key, "users") && strcmp(rows[i].key, "route") &&
		    strcmp(rows[i].key, "model") && strcmp(rows[i].key, "user_growth_per_month") &&
		    strcmp(rows[i].key, "price_changes"))
			continue;
		if (rows[i].type == FT_NODE && rows[i].off == NONE &&
		    strcmp(rows[i].key, "api") == 0 && rows[i].section[0] == '\0')
			continue;
		snprintf(path_buf[n], sizeof(path_buf[n]), "%s%s%s", rows[i].section,
		    rows[i].section[0] ? "." : "", rows[i].key);
		paths[n] = path_buf[n];
		n++;
	}
	paths[n] = NULL;
}

const char *const *
fc_scenario_paths(void)
{
	pthread_once(&paths_once, build_paths);
	return paths;
}

static void
set_defaults(struct fc_scenario *s)
{
	size_t i;

	for (i = 0; i < LEN(rows); i++) {
		const struct srow *r = &rows[i];
		char *p;

		/* NONE rows have no field: s + NONE would be out of bounds */
		if (r->off == NONE || isnan(r->def))
			continue;
		p = (char *)s + r->off;
		switch (r->type) {
		case FT_NUM:
			*(struct fc_num *)p = fc_num_const(r->def);
			((struct fc_num *)p)->lo = r->lo;
			((struct fc_num *)p)->hi = r->hi;
			break;
		case FT_INT:
			*(long *)p = (long)r->def;
			break;
		case FT_ENUM:
			*(int *)p = (int)r->def;
			break;
		default:
			break;
		}
	}
	s->user_growth = fc_num_const(0);
	s->user_growth.lo = -1;
	s->user_growth.hi = 10;
	s->flat.n_fallback = 1;
	s->flat.fallback_share[0] = fc_num_const(0);
	s->flat.fallback_share[0].lo = 0;
	s->flat.fallback_share[0].hi = 1;
}

/* Whether map's key is {prompt: FILE, ...}: tokens counted from a file. */
static int
is_prompt(const struct fc_ynode *map, const char *key)
{
	const struct fc_ynode *v = map->kind == FC_Y_MAP ? fc_ynode_get(map, key) : NULL;

	return v && v->kind == FC_Y_MAP && fc_ynode_get(v, "prompt") != NULL;
}

/* Reads one section's rows from map into s. */
static enum fc_status
read_section(struct fc_scenario *s, const struct fc_ynode *map,
    const char *section, const struct fc_ynode **nodes, struct fc_diags *d)
{
	struct fc_field f[32];
	size_t n = 0, i;
	long version = 0;
	char *model_ref = NULL;

	for (i = 0; i < LEN(rows) && n < 32; i++) {
		const struct srow *r = &rows[i];
		if (strcmp(r->section, section) != 0)
			continue;
		f[n].key = r->key;
		f[n].type = r->type;
		f[n].required = isnan(r->def);
		f[n].lo = r->lo;
		f[n].hi = r->hi;
		f[n].lo_open = r->lo_open;
		f[n].what = r->what;
		f[n].enums = r->type != FT_ENUM ? NULL :
		    r->off == OFF(flat.slo_action) ? slo_applies_names :
		    strcmp(r->key, "cache_ttl") == 0 ? ttl_names :
		    strcmp(r->key, "service_tier") == 0 ? service_names : billing_names;
		if (r->off == OFF(workload.input_tokens) && is_prompt(map, r->key)) {
			/* {prompt: FILE, ...}: counted in read_references */
			f[n].type = FT_NODE;
			f[n].ptr = &nodes[i];
		} else if (r->off != NONE)
			f[n].ptr = (char *)s + r->off;
		else if (r->type == FT_NODE)
			f[n].ptr = &nodes[i];
		else if (strcmp(r->key, "flatcost") == 0)
			f[n].ptr = &version;
		else
			f[n].ptr = &model_ref;
		n++;
	}
	{
		enum fc_status st = fc_schema_read(map, section[0] ? section : "the scenario",
		    f, n, d);
		if (model_ref) {
			fc_free(s->flat.model_ref);
			s->flat.model_ref = model_ref;
		}
		return st;
	}
}

static long
row_index(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < LEN(rows); i++)
		if (strcmp(rows[i].section, section) == 0 && strcmp(rows[i].key, key) == 0)
			return (long)i;
	return -1;
}

/* A reference or an inline price entry. */
static enum fc_status
resolve_price(const struct fc_ynode *n, const struct fc_catalog *cat,
    struct fc_price *out, struct fc_diags *d)
{
	const struct fc_price *p;
	const char *ids[256], *s;
	size_t nids;
	char buf[8];

	if (n->kind == FC_Y_MAP)
		return fc_price_read(n, "inline", 0, out, d);
	if (n->kind != FC_Y_SCALAR || n->len == 0)
		return fc_error(d, n->loc,
		    "expected a price reference such as openai/gpt-4o, or {input: 2.5, cached_input: 1.25, output: 10}");
	p = fc_catalog_price(cat, n->str);
	if (p)
		return fc_price_copy(out, p);
	nids = fc_catalog_ids(cat, FC_KIND_PRICES, ids, buf, sizeof(buf), 256);
	s = fc_suggest(n->str, ids, nids);
	if (s)
		return fc_error(d, n->loc, "unknown API price '%s' (did you mean '%s'?)",
		    n->str, s);
	return fc_error(d, n->loc,
	    "unknown API price '%s' (see `flatcost data prices` for the bundled ones)",
	    n->str);
}

static int
looks_like_path(const char *s)
{
	size_t len = strlen(s);

	return s[0] == '/' || s[0] == '.' ||
	    (len > 5 && strcmp(s + len - 5, ".yaml") == 0) ||
	    (len > 4 && strcmp(s + len - 4, ".yml") == 0);
}

static enum fc_status
resolve_hw(const struct fc_scenario *s, const struct fc_ynode *n,
    const struct fc_catalog *cat, struct fc_hw *out, struct fc_diags *d)
{
	const struct fc_hw *h;
	const char *ids[256], *sug;
	size_t nids;
	char buf[8], *path;
	enum fc_status st;

	if (n->kind == FC_Y_MAP)
		return fc_hw_read(n, "inline", 0, out, d);
	if (n->kind != FC_Y_SCALAR || n->len == 0)
		return fc_error(d, n->loc,
		    "expected a hardware reference such as hetzner/cx43, a profile path, or an inline entry");
	if (looks_like_path(n->str)) {
		size_t ld = strlen(s->dir), ls = strlen(n->str);
		struct fc_diags sub;

		path = fc_malloc(ld + ls + 2);
		if (path == NULL)
			return FC_ENOMEM;
		if (n->str[0] == '/')
			memcpy(path, n->str, ls + 1);
		else
			snprintf(path, ld + ls + 2, "%s/%s", s->dir, n->str);
		fc_diags_init(&sub);
		st = fc_hw_load_profile(path, out, d);
		fc_diags_free(&sub);
		if (st == FC_EINVAL)
			fc_note(d, n->loc, "in the hardware profile named here (%s)", path);
		fc_free(path);
		return st;
	}
	h = fc_catalog_hw(cat, n->str);
	if (h)
		return fc_hw_copy(out, h);
	nids = fc_catalog_ids(cat, FC_KIND_HARDWARE, ids, buf, sizeof(buf), 256);
	sug = fc_suggest(n->str, ids, nids);
	if (sug)
		return fc_error(d, n->loc, "unknown hardware '%s' (did you mean '%s'?)",
		    n->str, sug);
	return fc_error(d, n->loc,
	    "unknown hardware '%s' (see `flatcost data hardware`; a profile path must start with ./ or /)",
	    n->str);
}

/*
 * Hardware that gives no efficiency (a spec-sheet profile) takes its
 * class's default from the data instead of 1 (the spec sheet's peak, which
 * no engine reaches: an L4 at 100% would be credited 1.4x the published
 * llama.cpp decode and 3.9x the prefill).  Said as a warning when the
 * roofline will use it, that is when the entry has no measured point.
 */
/*
 * A spec-sheet entry's default efficiency is uncertain: each efficiency is
 * a lognormal whose mean is the class default (so the deterministic run
 * keeps it) and whose 90% interval is as wide, as a ratio, as the class's
 * measured entries (highest / lowest); draws are clamped into (0, 1].
 * Said as a note; nothing when the class has fewer than two entries or
 * no spread.
 */
/* The class whose default a spec-sheet entry takes: its memory's (a GPU
 * that says HBM or GDDR), when the catalog measures any of that class;
 * else its kind's. */
static int
class_of(const struct fc_hw *h, const struct fc_catalog *cat)
{
	double e1, e2;
	size_t n;
	int c = fc_hw_class(h);

	if (c > 1)
		fc_catalog_class_efficiency(cat, c, &e1, &e2, &n);
	return c > 1 && n > 0 ? c : h->gpu;
}

static const char *
class_name(int c)
{
	return c == FC_CLASS_GPU_HBM ? "HBM GPU" : c == FC_CLASS_GPU_GDDR ? "GDDR GPU" :
	    c ? "GPU" : "CPU";
}

static const char *
class_key(int c)
{
	return c == FC_CLASS_GPU_HBM ? "gpu (hbm)" : c == FC_CLASS_GPU_GDDR ? "gpu (gddr)" :
	    c ? "gpu" : "cpu";
}

static void
default_spread(struct fc_hw *h, struct fc_loc loc, const struct fc_catalog *cat,
    struct fc_diags *d)
{
	double dr[2], pr[2], z90 = 1.6448536269514722;
	struct fc_num *x[2] = { &h->eta_decode_num, &h->eta_prefill_num };
	double *r[2] = { dr, pr }, mean[2] = { h->eta_decode, h->eta_prefill };
	size_t n, k;

	fc_catalog_class_efficiency_range(cat, class_of(h, cat), dr, pr, &n);
	if (n < 2 || !(dr[1] > dr[0] || pr[1] > pr[0]))
		return;
	for (k = 0; k < 2; k++) {
		double sg = r[k][0] > 0 ? log(r[k][1] / r[k][0]) / (2 * z90) : 0;
		if (!(sg > 0))
			continue;
		memset(x[k], 0, sizeof(*x[k]));
		x[k]->kind = FC_DIST_LOGNORMAL;
		x[k]->p[0] = mean[k];
		x[k]->p[1] = sqrt(expm1(sg * sg));
		x[k]->lo = 0;
		x[k]->hi = 1;
		x[k]->loc = loc;
	}
	h->eta_default_dist = 1;
	fc_note(d, loc, "hardware '%s': its default efficiency is uncertain, as wide as "
	    "the %zu measured %s entries' spread (decode %.3g to %.3g, prefill %.3g to "
	    "%.3g): each trial draws decode %.3g to %.3g and prefill %.3g to %.3g (90%%, "
	    "lognormal of mean %.3g and %.3g); give `efficiency` to fix them", h->id, n,
	    class_name(class_of(h, cat)), dr[0], dr[1], pr[0], pr[1],
	    fc_num_at(x[0], 0.05), fc_num_at(x[0], 0.95), fc_num_at(x[1], 0.05),
	    fc_num_at(x[1], 0.95), h->eta_decode, h->eta_prefill);
}

static void
default_efficiency(struct fc_hw *h, struct fc_loc loc,
    const struct fc_catalog *cat, struct fc_diags *d)
{
	size_t n, nr = 0;
	double pw, sd, cd, cp;

	if (h->eta_given)
		return;
	fc_catalog_class_efficiency(cat, class_of(h, cat), &h->eta_decode, &h->eta_prefill, &n);
	if (n == 0)
		return;
	/* the prefill share is of the datasheet's tensor rate: that of the
	 * measured GPUs that state the same rate (GeForce's half rate) */
	if (h->gpu)
		fc_catalog_rate_prefill(cat, class_of(h, cat), h->tensor_rate, &h->eta_prefill, &nr);
	cd = h->eta_decode;
	cp = h->eta_prefill;
	/* a GDDR GPU that gives its architecture and board power: the prefill
	 * its power pays for, fitted to published figures */
	if ((pw = fc_gpu_power_prefill_eta(h)) > 0) {
		h->eta_prefill = pw;
		h->eta_rules |= FC_ETA_POWER_PREFILL;
	}
	/* a GPU that gives its SM count and boost clock: the every-GPU
	 * decode default, capped by the bytes its SMs can stream (the
	 * memory class's lower HBM default is that cap, measured on one GPU) */
	if ((sd = fc_gpu_sm_decode_eta(h)) > 0) {
		double any_d, any_p;
		size_t na;
		fc_catalog_class_efficiency(cat, 1, &any_d, &any_p, &na);
		h->eta_decode = na > 0 && any_d < sd ? any_d : sd < 1 ? sd : 1;
		h->eta_rules |= FC_ETA_SM_DECODE;
	}
	h->eta_default = 1;
	h->eta_decode_num = fc_num_const(h->eta_decode);
	h->eta_prefill_num = fc_num_const(h->eta_prefill);
	if (h->npoints == 0) {
		fc_warning(d, loc, "hardware '%s' gives no efficiency: the roofline "
		    "takes the %s class default from data, decode %.3g and prefill "
		    "%.3g of the spec sheet (the median of %zu %s entr%s) (roofline, "
		    "default efficiency)", h->id, class_key(class_of(h, cat)),
		    cd, cp, n, class_name(class_of(h, cat)), n == 1 ? "y" : "ies");
		if (sd > 0)
			fc_note(d, loc, "hardware '%s': sm_count %ld at boost_clock_mhz %g: "
			    "its SMs stream at most %.3g GB/s of 4-bit weights (%.3g bytes an SM "
			    "a clock), %.3g of its bandwidth: its decode default is %.3g "
			    "(docs/model.md, GPU throughput)", h->id, h->sm_count,
			    h->boost_clock_mhz, sd * h->mem_bandwidth_gbs,
			    fc_gpu_sm_decode_bytes_per_cycle(), sd, h->eta_decode);
		if (pw > 0)
			fc_note(d, loc, "hardware '%s': arch %s, memory gddr, board_power_w %g: "
			    "its prefill default %.3g of compute_gflops is the %.3g TFLOP/s a "
			    "watt that published %s GPUs sustain (docs/model.md, GPU throughput)",
			    h->id, fc_arch_names[h->arch], h->board_power_w, h->eta_prefill,
			    fc_gpu_prefill_tflops_per_w(h->arch, h->memory), fc_arch_names[h->arch]);
		else if (nr > 0)
			fc_note(d, loc, "hardware '%s': tensor_rate %s: its prefill default "
			    "%.3g is the median of the %zu measured %s entr%s of that tensor "
			    "rate", h->id, fc_tensor_rate_names[h->tensor_rate], h->eta_prefill,
			    nr, class_name(class_of(h, cat)), nr == 1 ? "y" : "ies");
		default_spread(h, loc, cat, d);
	}
}

/* flat.model: modelref.h's resolution (a catalog id, a GGUF file, a
 * mapping, or the model the hardware profile measured). */
static enum fc_status
resolve_model(struct fc_scenario *s, const struct fc_ynode *n,
    const struct fc_catalog *cat, struct fc_diags *d)
{
	struct fc_model_ref r;
	enum fc_status st;

	st = fc_modelref_resolve(n, s->dir, cat, &s->flat.hw, &r, d);
	if (st != FC_OK) {
		fc_model_clear(&r.model);
		fc_free(r.ref);
		return st;
	}
	s->flat.model = r.model;
	s->flat.quant = r.quant;
	fc_free(s->flat.model_ref);
	s->flat.model_ref = r.ref;
	return FC_OK;
}

/* api.route: [{price: P, share: S}, ..., {price: P}]; every tier but the
 * last has a share, the last takes the remainder; shares whose means sum
 * over 1 are an error (a draw over 1 is clipped by the cost model). */
/* One `to` of a price change: a price (a reference or inline), or a list
 * of {price, weight} whose weights sum to 1. */
static enum fc_status
read_change_to(const struct fc_ynode *n, const struct fc_catalog *cat,
    struct fc_price_change *c, struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	double sum = 0;
	size_t i, k;

	if (n->kind != FC_Y_SEQ) {
		if ((c->to = fc_calloc(1, sizeof(*c->to))) == NULL)
			return FC_ENOMEM;
		c->n = 1;
		c->weight[0] = 1;
		return resolve_price(n, cat, &c->to[0], d);
	}
	if (n->n == 0 || n->n > FC_MAX_PRICE_TO)
		return fc_error(d, n->loc, "'to' lists 1 to %d prices with weights, such as "
		    "[{price: openai/gpt-5.4-mini, weight: 0.6}, {price: openai/gpt-5.4-nano, "
		    "weight: 0.4}]", FC_MAX_PRICE_TO);
	if ((c->to = fc_calloc(n->n, sizeof(*c->to))) == NULL)
		return FC_ENOMEM;
	for (i = 0; i < n->n; i++) {
		const struct fc_ynode *e = n->vals[i], *pn, *wn;

		c->n = i + 1;  /* so that the prices read are freed */
		if (e->kind != FC_Y_MAP || (pn = fc_ynode_get(e, "price")) == NULL) {
			st = fc_error(d, e->loc, "an entry of 'to' is {price: PRICE, weight: W}");
			continue;
		}
		for (k = 0; k < e->n; k++)
			if (strcmp(e->keys[k]->str, "price") && strcmp(e->keys[k]->str, "weight"))
				st = fc_error(d, e->keys[k]->loc, "unknown key '%s' in an entry "
				    "of 'to' (expected price and weight)", e->keys[k]->str);
		wn = fc_ynode_get(e, "weight");
		if (wn == NULL && n->n == 1) {
			c->weight[i] = 1;
		} else if (wn == NULL || wn->kind != FC_Y_SCALAR || wn->quoted ||
		    fc_ynode_parse_double(wn->str, &c->weight[i]) || !(c->weight[i] > 0) ||
		    c->weight[i] > 1) {
			st = fc_error(d, wn ? wn->loc : e->loc, "weight: expected the chance "
			    "of this price, a number in (0, 1] (the weights sum to 1)");
			continue;
		}
		sum += c->weight[i];
		r = resolve_price(pn, cat, &c->to[i], d);
		if (r == FC_ENOMEM)
			return r;
		if (r != FC_OK)
			st = r;
	}
	if (st == FC_OK && fabs(sum - 1) > 1e-9)
		st = fc_error(d, n->loc, "the weights of 'to' sum to %.10g: they are the "
		    "chances of the prices and must sum to 1", sum);
	return st;
}

/* price_changes (of api, flat.fallback or a route tier; `key` its path
 * for messages): a list of {month: M, to: PRICE} or {on: DATE, to: PRICE}. */
static enum fc_status
read_price_changes(struct fc_price_path *p, const struct fc_ynode *n, const char *key,
    const struct fc_catalog *cat, struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	size_t i, k;

	if (n->kind != FC_Y_SEQ || n->n == 0 || n->n > FC_MAX_PRICE_CHANGES)
		return fc_error(d, n->loc, "'%s' must be a list of 1 to %d changes such as "
		    "[{month: 13, to: openai/gpt-5.4-nano}] or [{on: 2027-01-14, to: "
		    "openai/gpt-5.4-mini}]", key, FC_MAX_PRICE_CHANGES);
	for (i = 0; i < n->n; i++) {
		const struct fc_ynode *e = n->vals[i], *mn, *on, *tn;
		struct fc_price_change *c = &p->ch[i];
		double v;

		p->n = i + 1;  /* so that what is read is freed */
		c->on_day = -1;
		if (e->kind != FC_Y_MAP) {
			st = fc_error(d, e->loc, "a price change is {month: M, to: PRICE} or "
			    "{on: YYYY-MM-DD, to: PRICE}");
			continue;
		}
		for (k = 0; k < e->n; k++)
			if (strcmp(e->keys[k]->str, "month") && strcmp(e->keys[k]->str, "on") &&
			    strcmp(e->keys[k]->str, "to"))
				st = fc_error(d, e->keys[k]->loc, "unknown key '%s' in a price "
				    "change (expected month or on, and to)", e->keys[k]->str);
		mn = fc_ynode_get(e, "month");
		on = fc_ynode_get(e, "on");
		tn = fc_ynode_get(e, "to");
		if ((mn == NULL) == (on == NULL)) {
			st = fc_error(d, e->loc, "a price change gives either month (the first "
			    "month at the new price) or on (its date, YYYY-MM-DD)");
		} else if (mn) {
			if (mn->kind != FC_Y_SCALAR || mn->quoted || fc_ynode_parse_double(mn->str, &v) ||
			    v < 1 || v > FC_MAX_SCHEDULE || v != floor(v))
				st = fc_error(d, mn->loc, "month: expected the first month at the "
				    "new price, a whole number from 1 to %d", FC_MAX_SCHEDULE);
			else
				c->month = (long)v;
			for (k = 0; k < i && c->month > 0; k++)
				if (p->ch[k].month == c->month && p->ch[k].on_day < 0)
					st = fc_error(d, mn->loc, "two price changes in month %ld",
					    c->month);
		} else if (on->kind != FC_Y_SCALAR || fc_schema_date_valid(on->str) != 0) {
			st = fc_error(d, on->loc, "on: expected the date of the change, YYYY-MM-DD");
		} else {
			if ((c->on = fc_strdup(on->str)) == NULL)
				return FC_ENOMEM;
			c->on_day = fc_schema_date_days(on->str);
		}
		if (tn == NULL) {
			st = fc_error(d, e->loc, "a price change needs 'to': the new price");
			continue;
		}
		r = read_change_to(tn, cat, c, d);
		if (r == FC_ENOMEM)
			return r;
		if (r != FC_OK)
			st = r;
	}
	return st;
}

long
fc_scenario_day_month(long today, long day)
{
	if (day <= today)
		return 1;
	return 1 + (long)floor((double)(day - today) / FC_DAYS_PER_CALENDAR_MONTH);
}

void
fc_scenario_set_today(struct fc_scenario *s, long today)
{
	size_t i, k;

	for (i = 0; i < FC_NPATHS; i++)
		for (k = 0; k < s->path[i].n; k++)
			if (s->path[i].ch[k].on_day >= 0)
				s->path[i].ch[k].month = fc_scenario_day_month(today,
				    s->path[i].ch[k].on_day);
}

static enum fc_status
read_route(struct fc_scenario *s, const struct fc_ynode *n, const struct fc_catalog *cat,
    struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	double sum = 0;
	size_t i, k;

	if (n->kind != FC_Y_SEQ || n->n == 0 || n->n > FC_MAX_ROUTE)
		return fc_error(d, n->loc, "'route' must be a list of 1 to %d model tiers, such as "
		    "[{price: openai/gpt-4o-mini, share: 0.7}, {price: openai/gpt-4o}]", FC_MAX_ROUTE);
	for (i = 0; i < n->n; i++) {
		const struct fc_ynode *t = n->vals[i], *pn, *sn, *cn;
		int last = i + 1 == n->n;

		if (t->kind != FC_Y_MAP)
			return fc_error(d, t->loc, "a route tier is a mapping {price: ..., share: ...}");
		for (k = 0; k < t->n; k++)
			if (strcmp(t->keys[k]->str, "price") && strcmp(t->keys[k]->str, "share") &&
			    strcmp(t->keys[k]->str, "price_changes"))
				st = fc_error(d, t->keys[k]->loc, "unknown key '%s' in a route tier "
				    "(expected price, share and price_changes)", t->keys[k]->str);
		if ((cn = fc_ynode_get(t, "price_changes")) != NULL &&
		    (r = read_price_changes(&s->path[FC_PATH_ROUTE + i], cn,
		    "api.route.price_changes", cat, d)) != FC_OK) {
			if (r == FC_ENOMEM)
				return r;
			st = r;
		}
		pn = fc_ynode_get(t, "price");
		sn = fc_ynode_get(t, "share");
		if (pn == NULL) {
			st = fc_error(d, t->loc, "a route tier needs a price");
			continue;
		}
		if (last && sn)
			st = fc_error(d, sn->loc, "the last route tier takes the remainder of the "
			    "calls: give it no share");
		else if (!last && sn == NULL)
			st = fc_error(d, t->loc, "every route tier but the last needs a share "
			    "(of calls, from 0 to 1)");
		r = resolve_price(pn, cat, &s->route.price[i], d);
		s->route.n = i + 1;  /* so that the prices read are freed */
		if (r == FC_ENOMEM)
			return r;
		if (r != FC_OK)
			st = r;
		if (!last && sn) {
			if ((r = fc_num_parse_key(sn, "api.route.share", 0, 1, 0,
			    "a share from 0 to 1", &s->route.share[i], d)) != FC_OK)
				st = r;
			else
				sum += fc_num_mean(&s->route.share[i]);
		}
	}
	if (st == FC_OK && sum > 1 + 1e-12)
		st = fc_error(d, n->loc, "the route's shares sum to %.4g on average, over 1: "
		    "the last tier takes the remainder of the calls", sum);
	return st;
}

static enum fc_status
read_diurnal(struct fc_scenario *s, const struct fc_ynode *n, struct fc_diags *d)
{
	size_t i;
	double sum = 0;

	if (n->kind != FC_Y_SEQ)
		return fc_error(d, n->loc,
		    "'diurnal' must be a list of 24 hourly weights (got %s)",
		    fc_ykind_name(n->kind));
	if (n->n != 24)
		return fc_error(d, n->loc,
		    "'diurnal' must be a list of 24 hourly weights (got a list of %zu)", n->n);
	for (i = 0; i < 24; i++) {
		const struct fc_ynode *v = n->vals[i];
		if (v->kind != FC_Y_SCALAR || v->quoted ||
		    fc_ynode_parse_double(v->str, &s->workload.diurnal[i]) ||
		    s->workload.diurnal[i] < 0)
			return fc_error(d, v->loc,
			    "hourly weight must be a finite number >= 0");
		sum += s->workload.diurnal[i];
	}
	if (!(sum > 0))
		return fc_error(d, n->loc, "'diurnal' weights sum to zero");
	for (i = 0; i < 24; i++)
		s->workload.diurnal[i] *= 24 / sum;   /* mean 1 */
	s->workload.has_diurnal = 1;
	return FC_OK;
}

/* A share or a schedule of shares by month into share[], *n entries. */
static enum fc_status
read_share_schedule(const struct fc_ynode *n, struct fc_num *share, size_t *count,
    struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	size_t i;
	const char *what = "a share from 0 to 1";

	if (n->kind != FC_Y_SEQ) {
		*count = 1;
		return fc_num_parse_key(n, "flat.fallback.share", 0, 1, 0, what, &share[0], d);
	}
	if (n->n == 0 || n->n > FC_MAX_SCHEDULE)
		return fc_error(d, n->loc,
		    "a fallback schedule lists 1 to %d monthly shares", FC_MAX_SCHEDULE);
	for (i = 0; i < n->n; i++)
		if ((r = fc_num_parse_key(n->vals[i], "flat.fallback.share", 0, 1, 0, what,
		    &share[i], d)) != FC_OK)
			st = r;
	*count = n->n;
	return st;
}

/* users: a number (or distribution) of users, or a list of whole users by
 * month; a constant must be whole (users are counted). */
static enum fc_status
read_users(struct fc_scenario *s, const struct fc_ynode *n, struct fc_diags *d)
{
	const char *what = "a number of users >= 0";
	enum fc_status st;
	size_t i;

	if (n->kind != FC_Y_SEQ) {
		s->n_users = 0;
		if ((st = fc_num_parse_key(n, "users", 0, 1e10, 0, what, &s->users, d)) != FC_OK)
			return st;
		return FC_OK;
	}
	if (n->n == 0 || n->n > FC_MAX_SCHEDULE)
		return fc_error(d, n->loc, "a users list gives 1 to %d months of whole users",
		    FC_MAX_SCHEDULE);
	for (i = 0; i < n->n; i++) {
		const struct fc_ynode *v = n->vals[i];
		double u;

		if (v->kind != FC_Y_SCALAR || v->quoted || fc_ynode_parse_double(v->str, &u) ||
		    u < 0 || u > 1e10 || u != floor(u))
			return fc_error(d, v->loc,
			    "users by month: expected a whole number of users from 0 to 1e10");
		s->users_by_month[i] = u;
	}
	s->n_users = n->n;
	s->users = fc_num_const(s->users_by_month[0]);
	s->users.lo = 0;
	s->users.hi = 1e10;
	s->users.loc = n->loc;
	return FC_OK;
}

double
fc_scenario_users(const struct fc_scenario *s, double users1, double g, long m,
    int use_list)
{
	long b = 1, e;
	double f = 1;

	if (m < 1)
		m = 1;
	if (use_list && s->n_users > 0) {
		if ((size_t)m <= s->n_users)
			return s->users_by_month[m - 1];
		/* the list, then growth from its last month */
		b = (long)s->n_users;
		users1 = s->users_by_month[b - 1];
	}
	if (s->n_growth > 0) {
		for (e = b; e < m; e++)
			f *= 1 + s->growth_by_month[(size_t)e <= s->n_growth ? e - 1 :
			    (long)s->n_growth - 1];
	} else {
		e = s->growth_until > 0 && s->growth_until < m ? s->growth_until : m;
		if (e <= b || g == 0)
			return users1;
		f = pow(1 + g, (double)(e - b));
	}
	if (f == 1)
		return users1;
	/* growth stops at the users' limit (flatcost-scenario(5)) */
	return fmin(floor(users1 * f + 0.5), FC_MAX_USERS);
}

/* user_growth_per_month: a rate (a number or a distribution), a list of
 * rates by month (numbers; the last holds), or {rate: R, until_month: N}
 * (no growth after month N). */
static enum fc_status
read_growth(struct fc_scenario *s, const struct fc_ynode *n, struct fc_diags *d)
{
	const char *what = "a monthly growth rate above -1 (0.1 = 10% a month)";
	const struct fc_ynode *rate, *until;
	enum fc_status st = FC_OK;
	size_t i;

	if (n->kind == FC_Y_SEQ) {
		if (n->n == 0 || n->n > FC_MAX_SCHEDULE)
			return fc_error(d, n->loc, "a growth list gives 1 to %d monthly rates",
			    FC_MAX_SCHEDULE);
		for (i = 0; i < n->n; i++) {
			struct fc_num x;
			if (fc_num_parse_key(n->vals[i], "user_growth_per_month", -1, 10, 1,
			    what, &x, d) != FC_OK) {
				st = FC_EINVAL;
				continue;
			}
			if (!fc_num_is_const(&x))
				st = fc_error(d, n->vals[i]->loc, "a growth list takes numbers; "
				    "for an uncertain growth that stops, write {rate: R, until_month: N}");
			s->growth_by_month[i] = x.p[0];
		}
		s->n_growth = n->n;
		s->user_growth = fc_num_const(s->growth_by_month[0]);
		s->user_growth.lo = -1;
		s->user_growth.hi = 10;
		s->user_growth.loc = n->loc;
		return st;
	}
	if (n->kind != FC_Y_MAP || (rate = fc_ynode_get(n, "rate")) == NULL)
		return fc_num_parse_key(n, "user_growth_per_month", -1, 10, 1, what,
		    &s->user_growth, d);
	for (i = 0; i < n->n; i++)
		if (strcmp(n->keys[i]->str, "rate") != 0 &&
		    strcmp(n->keys[i]->str, "until_month") != 0)
			st = fc_error(d, n->keys[i]->loc, "unknown key '%s' in "
			    "user_growth_per_month (expected rate and until_month)", n->keys[i]->str);
	if (fc_num_parse_key(rate, "user_growth_per_month.rate", -1, 10, 1, what,
	    &s->user_growth, d) != FC_OK)
		st = FC_EINVAL;
	if ((until = fc_ynode_get(n, "until_month")) == NULL)
		return st;
	{
		double v;
		if (until->kind != FC_Y_SCALAR || until->quoted ||
		    fc_ynode_parse_double(until->str, &v) || v < 1 || v > 1e6 || v != floor(v))
			return fc_error(d, until->loc,
			    "until_month: expected a whole month from 1, the last month that grows");
		s->growth_until = (long)v;
	}
	return st;
}

double
fc_scenario_tenure(const struct fc_scenario *s, double users1, double g, long m,
    int use_list)
{
	double n[FC_MAX_SCHEDULE], total = 0, sum = 0, prev = 0;
	long k, j;

	if (m < 1 || m > FC_MAX_SCHEDULE ||
	    ((!use_list || s->n_users == 0) && g == 0 && s->n_growth == 0))
		return m < 1 ? 0 : (double)(m - 1);
	for (k = 1; k <= m; k++) {
		double u = fc_scenario_users(s, users1, g, k, use_list), left = prev - u;

		n[k - 1] = u > prev ? u - prev : 0;
		for (j = k - 2; j >= 0 && left > 0; j--) {
			double take = n[j] < left ? n[j] : left;
			n[j] -= take;
			left -= take;
		}
		prev = u;
	}
	for (k = 1; k <= m; k++) {
		total += n[k - 1];
		sum += n[k - 1] * (double)(m - k);
	}
	return total > 0 ? sum / total : (double)(m - 1);
}

static enum fc_status
read_fallback_share(struct fc_scenario *s, const struct fc_ynode *n,
    struct fc_diags *d)
{
	return read_share_schedule(n, s->flat.fallback_share, &s->flat.n_fallback, d);
}

/* flat.fallback.share_by_model: {MODEL or MODEL-QUANT: share, ...}, each
 * key a model of the catalog. */
static enum fc_status
read_share_by_model(struct fc_scenario *s, const struct fc_ynode *n,
    const struct fc_catalog *cat, struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	size_t i, j;

	if (n->kind != FC_Y_MAP)
		return fc_error(d, n->loc, "'share_by_model' must be a mapping of model ids "
		    "to fallback shares, such as {qwen2.5-3b: 0.12, qwen2.5-7b: 0.05}");
	s->flat.fallback_by_model = fc_calloc(n->n ? n->n : 1,
	    sizeof(*s->flat.fallback_by_model));
	if (s->flat.fallback_by_model == NULL)
		return FC_ENOMEM;
	for (i = 0; i < n->n; i++) {
		struct fc_fallback_by_model *e = &s->flat.fallback_by_model[i];
		const char *key = n->keys[i]->str;
		enum fc_quant q;
		int known = fc_catalog_model(cat, key, &q) != NULL;

		for (j = 0; j < cat->nmodels && !known; j++)
			known = strcmp(cat->models[j].id, key) == 0;
		if (!known) {
			const char *ids[512], *sug;
			char buf[8192];
			size_t nids = fc_catalog_ids(cat, FC_KIND_MODELS, ids, buf, sizeof(buf), 512);
			for (j = 0; j < cat->nmodels && nids < 512; j++)
				ids[nids++] = cat->models[j].id;
			sug = fc_suggest(key, ids, nids);
			st = sug ? fc_error(d, n->keys[i]->loc, "unknown model '%s' (did you mean '%s'?)",
			    key, sug) : fc_error(d, n->keys[i]->loc,
			    "unknown model '%s': expected a model id such as qwen2.5-7b, or "
			    "MODEL-QUANT (see `flatcost data models`)", key);
			continue;
		}
		if ((e->model = fc_strdup(key)) == NULL)
			return FC_ENOMEM;
		s->flat.n_fallback_by_model = i + 1;
		if ((r = read_share_schedule(n->vals[i], e->share, &e->n, d)) != FC_OK)
			st = r;
	}
	return st;
}

const struct fc_num *
fc_scenario_fallback_for(const struct fc_scenario *s, const struct fc_model *m,
    enum fc_quant q, long month)
{
	size_t i = month < 1 ? 0 : (size_t)(month - 1), k, len;
	const struct fc_fallback_by_model *hit = NULL;

	for (k = 0; k < s->flat.n_fallback_by_model && m && m->id; k++) {
		const struct fc_fallback_by_model *e = &s->flat.fallback_by_model[k];
		len = strlen(m->id);
		if (e->model == NULL)
			continue;
		if (strncmp(e->model, m->id, len) == 0 && e->model[len] == '-' &&
		    strcmp(e->model + len + 1, fc_quant_names[q]) == 0) {
			hit = e;   /* MODEL-QUANT wins over the model id */
			break;
		}
		if (strcmp(e->model, m->id) == 0 && hit == NULL)
			hit = e;
	}
	if (hit)
		return &hit->share[i < hit->n ? i : hit->n - 1];
	if (i >= s->flat.n_fallback)
		i = s->flat.n_fallback - 1;
	return &s->flat.fallback_share[i];
}

const struct fc_num *
fc_scenario_fallback(const struct fc_scenario *s, long month)
{
	return fc_scenario_fallback_for(s, &s->flat.model, s->flat.quant, month);
}

/* Shifts the locations of a --set value's nodes: the value was parsed on
 * its own, so line 1 column c is column c + off of line `line`. */
static void
shift_locs(struct fc_ynode *n, int line, int off)
{
	size_t i;

	if (n->loc.line == 1)
		n->loc.col += off;
	n->loc.line += line - 1;
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			shift_locs(n->keys[i], line, off);
		shift_locs(n->vals[i], line, off);
	}
}

static enum fc_status
apply_set(struct fc_ynode *root, const char *set, int line, struct fc_diags *d)
{
	const char *eq = strchr(set, '='), *const *ps = fc_scenario_paths();
	struct fc_loc l = { NULL, line, 1, 0 };
	char key[128], *dot, *seg;
	struct fc_ynode *val = NULL, *map = root;
	enum fc_status st;
	size_t i, np = 0;
	int known = 0;

	l.file = fc_diags_intern(d, "--set");
	if (eq == NULL || eq == set || (size_t)(eq - set) >= sizeof(key)) {
		l.len = (int)strlen(set);
		return fc_error(d, l, "expected KEY=VALUE such as workload.input_tokens=900");
	}
	memcpy(key, set, (size_t)(eq - set));
	key[eq - set] = '\0';
	l.len = (int)(eq - set);
	for (i = 0; ps[i]; i++, np++)
		if (strcmp(ps[i], key) == 0)
			known = 1;
	if (!known) {
		const char *s = fc_suggest(key, ps, np);
		if (s)
			return fc_error(d, l, "unknown key '%s' (did you mean '%s'?)", key, s);
		return fc_error(d, l, "unknown key '%s' (expected a dotted path such as workload.input_tokens)",
		    key);
	}
	if (eq[1 + strspn(eq + 1, " \t")] == '\0') {
		l.col = (int)(eq - set) + 1;
		l.len = 1;
		return fc_error(d, l, "no value after '%s=' (expected KEY=VALUE such as "
		    "workload.input_tokens=900)", key);
	}
	st = fc_ynode_parse("--set", eq + 1, strlen(eq + 1), &val, d);
	if (st == FC_EINVAL && d->n && d->v[d->n - 1].loc.file == l.file) {
		/* the error points into the value: shift it past "KEY=" */
		struct fc_diag *last = &d->v[d->n - 1];
		if (last->loc.line == 1)
			last->loc.col += (int)(eq - set) + 1;
		else  /* at the end of the input: the end of the argument */
			last->loc.col = (int)strlen(set) + 1;
		last->loc.line = line;
	}
	if (st != FC_OK)
		return st;
	shift_locs(val, line, (int)(eq - set) + 1);
	if (root->kind != FC_Y_MAP) {
		fc_ynode_free(val);
		return FC_OK;  /* the file's own error is reported */
	}
	/* walk or create the sections of the path */
	for (seg = key; (dot = strchr(seg, '.')) != NULL; seg = dot + 1) {
		struct fc_ynode *next;
		*dot = '\0';
		next = fc_ynode_get(map, seg);
		if (next == NULL || next->kind != FC_Y_MAP) {
			struct fc_ynode *m = fc_ynode_map(l);
			if (m == NULL || fc_ynode_set(map, seg, l, m) != FC_OK) {
				fc_ynode_free(val);
				return FC_ENOMEM;
			}
			next = m;
		}
		map = next;
	}
	return fc_ynode_set(map, seg, l, val);
}

static void
path_clear(struct fc_price_path *p)
{
	size_t i, k;

	for (i = 0; i < p->n; i++) {
		for (k = 0; k < p->ch[i].n; k++)
			fc_price_clear(&p->ch[i].to[k]);
		fc_free(p->ch[i].to);
		fc_free(p->ch[i].on);
	}
	p->n = 0;
}

void
fc_scenario_free(struct fc_scenario *s)
{
	size_t i;

	if (s == NULL)
		return;
	fc_free(s->file);
	fc_free(s->dir);
	fc_free(s->name);
	fc_free(s->description);
	fc_price_clear(&s->api);
	for (i = 0; i < s->route.n; i++)
		fc_price_clear(&s->route.price[i]);
	fc_hw_clear(&s->flat.hw);
	fc_model_clear(&s->flat.model);
	fc_free(s->flat.model_ref);
	fc_price_clear(&s->flat.fallback_api);
	for (i = 0; i < FC_NPATHS; i++)
		path_clear(&s->path[i]);
	for (i = 0; i < s->flat.n_fallback_by_model; i++)
		fc_free(s->flat.fallback_by_model[i].model);
	fc_free(s->flat.fallback_by_model);
	fc_ynode_free(s->tree);
	fc_diags_free(&s->names);
	fc_free(s);
}

/* The tree's locations name files interned in the caller's diagnostics,
 * which may be freed before the scenario: point them at names of its own. */
static void
own_names(struct fc_scenario *s, struct fc_ynode *n)
{
	size_t i;

	if (n->loc.file)
		n->loc.file = fc_diags_intern(&s->names, n->loc.file);
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			own_names(s, n->keys[i]);
		own_names(s, n->vals[i]);
	}
}

int
fc_scenario_fits(const struct fc_scenario *s, const struct fc_hw *h,
    const struct fc_model *m, enum fc_quant q, struct fc_fit *f)
{
	double ctx = fc_num_mean(&s->workload.input_tokens) +
	    fc_num_mean(&s->workload.output_tokens);

	f->weights_gb = m->weights_gb[q];
	f->kv_gb = m->kv_bytes_per_token * ctx / 1e9;
	f->overhead_gb = h->gpu ? 0 : fc_num_mean(&s->flat.memory_overhead_gb);
	f->have_gb = h->gpu ? h->vram_gb : h->ram_gb;
	return f->weights_gb + f->kv_gb + f->overhead_gb <= f->have_gb;
}

static enum fc_status
check_fits(const struct fc_scenario *s, const struct fc_ynode *mnode,
    struct fc_diags *d)
{
	const struct fc_hw *h = &s->flat.hw;
	struct fc_fit f;

	if (!fc_scenario_fits(s, h, &s->flat.model, s->flat.quant, &f))
		return fc_error(d, mnode->loc,
		    "model '%s' does not fit: %.2f GB of weights + %.2f GB of KV cache%s need more than the %g GB of %s on %s",
		    s->flat.model_ref, f.weights_gb, f.kv_gb, h->gpu ? "" : " + OS overhead",
		    f.have_gb, h->gpu ? "GPU memory" : "RAM", h->id);
	return FC_OK;
}

/* What the price entries need for the workload's cache and tier keys. */
static enum fc_status
check_prices(const struct fc_scenario *s, struct fc_diags *d)
{
	const struct fc_ynode *wl = fc_ynode_get(s->tree, "workload");
	const struct fc_ynode *api = fc_ynode_get(s->tree, "api");
	const struct fc_ynode *n;
	size_t i;
	double c = fc_num_mean(&s->workload.cached_input_share);
	double w = fc_num_mean(&s->workload.cache_write_share);
	double mult = s->api_service == FC_TIER_PRIORITY ? s->api.priority :
	    s->api_service == FC_TIER_FLEX ? s->api.flex : 1;

	if (c + w > 1 + 1e-12) {
		n = fc_ynode_get(wl, "cache_write_share");
		return fc_error(d, n ? n->loc : s->tree->loc,
		    "cached_input_share (%g) + cache_write_share (%g) is over 1: they are shares of the same input tokens",
		    c, w);
	}
	if (!(mult > 0)) {
		n = fc_ynode_get(api, "service_tier");
		return fc_error(d, n ? n->loc : s->tree->loc,
		    "service_tier: %s has no %s multiplier; add one to the price entry (e.g. %s: %s) or use standard",
		    s->api.id, s->api_service == FC_TIER_PRIORITY ? "priority" : "flex",
		    s->api_service == FC_TIER_PRIORITY ? "priority" : "flex",
		    s->api_service == FC_TIER_PRIORITY ? "1.8" : "0.5");
	}
	for (i = 0; i < s->route.n; i++) {
		const struct fc_price *p = &s->route.price[i];

		if (s->api_service != FC_TIER_STANDARD &&
		    !((s->api_service == FC_TIER_PRIORITY ? p->priority : p->flex) > 0)) {
			n = fc_ynode_get(api, "service_tier");
			return fc_error(d, n ? n->loc : s->tree->loc,
			    "service_tier: route tier %s has no %s multiplier; add one to its price entry or use standard",
			    p->id ? p->id : "inline",
			    s->api_service == FC_TIER_PRIORITY ? "priority" : "flex");
		}
	}
	return FC_OK;
}

/* fc_scenario_load's sections, outermost first, so each sub-section's
 * node is known: their keys into s and their nodes into nodes[] (by row
 * of rows[]); *stop when what is left cannot be read (out of memory, or
 * the file is not a mapping). */
static enum fc_status
read_sections(struct fc_scenario *s, const struct fc_ynode **nodes, int *stop,
    struct fc_diags *d)
{
	static const char *const sections[] = { "", "workload", "api", "flat",
	    "flat.slo", "flat.fallback", "other_costs", "simulation" };
	enum fc_status st = FC_OK, r;
	size_t i;

	for (i = 0; i < LEN(sections); i++) {
		const struct fc_ynode *map;
		long k;

		if (i == 0) {
			map = s->tree;
		} else {
			const char *sec = sections[i], *dot = strrchr(sec, '.');
			char parent[32] = "";
			if (dot)
				snprintf(parent, sizeof(parent), "%.*s", (int)(dot - sec), sec);
			k = row_index(parent, dot ? dot + 1 : sec);
			map = k < 0 ? NULL : nodes[k];
			if (map == NULL)
				continue;
			if (map->kind == FC_Y_SCALAR && map->len == 0 && !map->quoted) {
				if (isnan(rows[k].def))
					st = fc_error(d, map->loc, "'%s' is empty", sec);
				continue;
			}
		}
		r = read_section(s, map, sections[i], nodes, d);
		if (r == FC_ENOMEM) {
			*stop = 1;
			return r;
		}
		if (r != FC_OK)
			st = r;
		if (i == 0 && (s->tree->kind != FC_Y_MAP)) {
			*stop = 1;
			return st;
		}
	}
	return st;
}

/* read_references' API side: the API's price, the prompt's tokens, the
 * route, the fallback's price and the price changes of both. */
static enum fc_status
read_api_refs(struct fc_scenario *s, const struct fc_ynode **nodes,
    const struct fc_catalog *cat, enum fc_status st, struct fc_diags *d)
{
	long kp = row_index("api", "price"), kfa = row_index("flat.fallback", "api");
	long kr = row_index("api", "route");
	long kit = row_index("workload", "input_tokens");
	long kac = row_index("api", "price_changes");
	long kfc = row_index("flat.fallback", "price_changes");
	enum fc_status r;

	if (nodes[kp] && (r = resolve_price(nodes[kp], cat, &s->api, d)) != FC_OK)
		st = r;
	if (nodes[kit] && (r = fc_prompt_tokens_read(nodes[kit], s->dir, cat->dir,
	    rows[kit].hi, &s->workload.input_tokens, d)) != FC_OK)
		st = r;
	if (nodes[kr] && (r = read_route(s, nodes[kr], cat, d)) != FC_OK) {
		st = r;
		if (r == FC_ENOMEM)
			return st;
	}
	if (nodes[kfa]) {
		if ((r = resolve_price(nodes[kfa], cat, &s->flat.fallback_api, d)) != FC_OK)
			st = r;
	} else if (s->api.id && (r = fc_price_copy(&s->flat.fallback_api, &s->api)) != FC_OK) {
		st = r;
	}
	s->fallback_own_path = nodes[kfa] != NULL;
	if (nodes[kac] && (r = read_price_changes(&s->path[FC_PATH_API], nodes[kac],
	    "api.price_changes", cat, d)) != FC_OK) {
		st = r;
		if (r == FC_ENOMEM)
			return st;
	}
	if (nodes[kfc] && !nodes[kfa])
		st = fc_error(d, nodes[kfc]->loc, "flat.fallback.price_changes needs "
		    "flat.fallback.api: without it the fallback is api.price and follows "
		    "api.price_changes");
	else if (nodes[kfc] && (r = read_price_changes(&s->path[FC_PATH_FALLBACK],
	    nodes[kfc], "flat.fallback.price_changes", cat, d)) != FC_OK) {
		st = r;
		if (r == FC_ENOMEM)
			return st;
	}
	return st;
}

/* read_references' checks across keys once everything is read: users is
 * a whole count, the prices hold, hourly billing has an hourly price. */
static enum fc_status
check_across(struct fc_scenario *s, enum fc_status st, struct fc_diags *d)
{
	enum fc_status r;

	/* users is a count: a constant must be whole (a draw from a
	 * distribution is rounded to whole users) */
	if (s->users.kind == FC_DIST_CONST && s->users.loc.line > 0 &&
	    s->users.p[0] != floor(s->users.p[0]))
		st = fc_error(d, s->users.loc, "users is a count: expected a whole "
		    "number, got %.15g (did you mean %.0f?)", s->users.p[0],
		    floor(s->users.p[0] + 0.5));
	if (st == FC_OK && (r = check_prices(s, d)) != FC_OK)
		st = r;
	if (st == FC_OK && s->flat.hourly && !(s->flat.hw.hourly_price > 0)) {
		const struct fc_ynode *flat = fc_ynode_get(s->tree, "flat");
		const struct fc_ynode *bn = fc_ynode_get(flat, "billing");
		st = fc_error(d, bn ? bn->loc : s->tree->loc,
		    "billing: hourly needs the hardware's hourly_price, and %s has none",
		    s->flat.hw.id);
	}
	return st;
}

/* fc_scenario_load's references and list-valued keys (prices, route,
 * fallback, users, diurnal, hardware, model) and the checks across keys,
 * from the sections' nodes; st is the status so far, returned updated. */
static enum fc_status
read_references(struct fc_scenario *s, const struct fc_ynode **nodes,
    const struct fc_catalog *cat, enum fc_status st, struct fc_diags *d)
{
	long kh = row_index("flat", "hardware"), kd = row_index("workload", "diurnal");
	long kfs = row_index("flat.fallback", "share"), km = row_index("flat", "model");
	long ku = row_index("", "users"), kg = row_index("", "user_growth_per_month");
	long kfm = row_index("flat.fallback", "share_by_model");
	const struct fc_ynode *mnode = NULL;
	enum fc_status r;

	if ((st = read_api_refs(s, nodes, cat, st, d)) == FC_ENOMEM)
		return st;
	if (nodes[kfs] && (r = read_fallback_share(s, nodes[kfs], d)) != FC_OK)
		st = r;
	if (nodes[ku] && (r = read_users(s, nodes[ku], d)) != FC_OK)
		st = r;
	if (nodes[kg] && (r = read_growth(s, nodes[kg], d)) != FC_OK)
		st = r;
	if (s->flat.fixed_servers > 0 && s->flat.max_servers > 0) {
		const struct fc_ynode *f = fc_ynode_get(fc_ynode_get(s->tree, "flat"),
		    "max_servers");
		st = fc_error(d, f ? f->loc : s->tree->loc,
		    "flat.max_servers caps a sized fleet; flat.fixed_servers fixes it: give one");
	}
	if (s->api_latency_p50_s > 0 && s->api_latency_p95_s > 0 &&
	    s->api_latency_p50_s > s->api_latency_p95_s) {
		const struct fc_ynode *f = fc_ynode_get(fc_ynode_get(s->tree, "api"),
		    "latency_p95_s");
		st = fc_error(d, f ? f->loc : s->tree->loc,
		    "api.latency_p95_s (%g s) is below api.latency_p50_s (%g s): expected "
		    "the 95th percentile at or above the median", s->api_latency_p95_s,
		    s->api_latency_p50_s);
	}
	if (nodes[kfm] && (r = read_share_by_model(s, nodes[kfm], cat, d)) != FC_OK) {
		st = r;
		if (r == FC_ENOMEM)
			return st;
	}
	if (nodes[kd] && (r = read_diurnal(s, nodes[kd], d)) != FC_OK)
		st = r;
	if (nodes[kh] && (r = resolve_hw(s, nodes[kh], cat, &s->flat.hw, d)) != FC_OK)
		st = r;
	else if (nodes[kh])
		default_efficiency(&s->flat.hw, nodes[kh]->loc, cat, d);
	if (nodes[km]) {
		mnode = nodes[km];
		if ((r = resolve_model(s, mnode, cat, d)) != FC_OK)
			st = r;
	}
	if (st == FC_OK && mnode && (r = check_fits(s, mnode, d)) != FC_OK)
		st = r;
	st = check_across(s, st, d);
	return st;
}

/* fc_scenario_load of the file path, or of text (len bytes) named path
 * when text is not NULL. */
static enum fc_status
load_any(const char *path, const char *text, size_t len, const struct fc_catalog *cat,
    const char *const *sets, size_t nsets, struct fc_scenario **out,
    struct fc_diags *d)
{
	struct fc_scenario *s;
	const struct fc_ynode *nodes[LEN(rows)];
	enum fc_status st = FC_OK, r;
	size_t i, errors_before = d->n_errors;
	const char *slash;
	int stop = 0;

	*out = NULL;
	memset(nodes, 0, sizeof(nodes));
	s = fc_calloc(1, sizeof(*s));
	if (s == NULL)
		return FC_ENOMEM;
	fc_diags_init(&s->names);
	set_defaults(s);
	s->file = fc_strdup(path);
	slash = strrchr(path, '/');
	s->dir = slash ? fc_strndup(path, (size_t)(slash - path + (slash == path))) :
	    fc_strdup(".");
	if (s->file == NULL || s->dir == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	if ((st = text ? fc_ynode_parse(fc_diags_intern(d, path), text, len, &s->tree, d) :
	    fc_ynode_load_file(path, &s->tree, d)) != FC_OK)
		goto out;
	for (i = 0; i < nsets; i++) {
		r = apply_set(s->tree, sets[i], (int)i + 1, d);
		if (r == FC_ENOMEM) {
			st = r;
			goto out;
		}
		if (r != FC_OK)
			st = r;
	}
	if (st != FC_OK)
		goto out;
	st = read_sections(s, nodes, &stop, d);
	if (stop)
		goto out;
	st = read_references(s, nodes, cat, st, d);
out:
	if (st == FC_OK && d->n_errors > errors_before)
		st = FC_EINVAL;
	if (d->oom)
		st = FC_ENOMEM;
	if (st == FC_OK && s->tree) {
		own_names(s, s->tree);
		/* the hardware's and the model's locations too (a profile's
		 * file, an inline entry): fc_scenario_check_hw_price() reports there */
		if (s->flat.hw.loc.file && s->flat.hw.origin == NULL)
			s->flat.hw.loc.file = fc_diags_intern(&s->names,
			    s->flat.hw.loc.file);
		if (s->flat.model.loc.file)
			s->flat.model.loc.file = fc_diags_intern(&s->names,
			    s->flat.model.loc.file);
		if (s->names.oom)
			st = FC_ENOMEM;
	}
	if (st != FC_OK) {
		fc_scenario_free(s);
		return st;
	}
	*out = s;
	return FC_OK;
}

enum fc_status
fc_scenario_check_hw_price(const struct fc_hw *h, int hourly, const char *role,
    struct fc_diags *d)
{
	const char *key = hourly ? "hourly_price" : "monthly_price";

	if (h->origin != NULL || (hourly ? h->hourly_price : h->monthly_price) > 0)
		return FC_OK;
	return fc_error(d, h->loc, "%s '%s' has no price (%s is 0): fill in %s, "
	    "what this server costs (USD per %s), or give --allow-free-hardware "
	    "for a machine you own", role, h->name ? h->name : h->id ? h->id :
	    "inline", key, key, hourly ? "hour" : "month");
}

enum fc_status
fc_scenario_load(const char *path, const struct fc_catalog *cat,
    const char *const *sets, size_t nsets, struct fc_scenario **out,
    struct fc_diags *d)
{
	return load_any(path, NULL, 0, cat, sets, nsets, out, d);
}

enum fc_status
fc_scenario_load_text(const char *name, const char *text, size_t length,
    const struct fc_catalog *cat, const char *const *sets, size_t nsets,
    struct fc_scenario **out, struct fc_diags *d)
{
	return load_any(name, text, length, cat, sets, nsets, out, d);
}
