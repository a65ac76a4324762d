/*
 * calib_test.c: the scenario a fit writes (commented line by line with its
 * evidence) and the two back-tests of flatcost calibrate: the fitted
 * scenario is loaded from memory and simulated, its Monte Carlo P5-P95 of
 * the API's LLM bill (the routed API's with a route) set against the
 * logged bill, in sample (the whole period) and out of sample (fit on the
 * first three quarters of the days, from the sums of the same reading,
 * tested on the last quarter).
 */
#include "calib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cost.h"
#include "mc.h"
#include "scenario.h"

/* The evidence of each estimate, in the scenario's comments and its JSON. */
#define EV_OVERLAP "how much a trace's calls run at once: (sum of durations - span) / " \
	"(sum - longest), 0 one after another, 1 all at once"
#define EV_RPUD "user actions per user per active day; the cv is next month's spread: " \
	"the day-to-day spread over the days logged and over a month's, and the " \
	"user-to-user spread at the scenario's users"
#define EV_TOP10 "share of calls by the busiest tenth of users"
#define EV_CHAINING "calls per trace id (a trace idle for an hour is closed)"
#define EV_INPUT "mean input tokens per call, cached included; the cv is next month's " \
	"mean's: the day-to-day spread over the days logged and over a month's"
#define EV_OUTPUT "mean output tokens per call; the cv is next month's mean's: the " \
	"day-to-day spread over the days logged and over a month's"
#define EV_INPUT_CV "per-call spread of input tokens"
#define EV_OUTPUT_CV "per-call spread of output tokens"
#define EV_GROWTH "input tokens per call per month of a user's tenure (least squares)"
#define EV_ARRIVAL "cv of the gaps between calls within each clock hour"
#define EV_CACHED "cached input tokens over input tokens"
#define EV_BATCH "share of calls through a batch API"
#define EV_DAYS "a calendar month times the mean weekday's calls over the busiest weekdays' (those within two standard errors of the busiest)"

static void
fmt_day(double t, char *buf, size_t len)
{
	time_t s = (time_t)floor(t);
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* "# 0.123 (90% interval 0.1 to 0.15)" or the reason it is a default. */
static void
evidence(FILE *f, const struct fc_calib_est *e, const char *what)
{
	if (!e->ok)
		fprintf(f, "   # not identified (%s): the default", e->why);
	else if (isfinite(e->lo))
		fprintf(f, "   # %s; 90%% interval %.4g to %.4g", what, e->lo, e->hi);
	else
		fprintf(f, "   # %s", what);
	fputc('\n', f);
}

static void
write_workload(FILE *f, const struct fc_calib_fit *x, const char *tz)
{
	char what[160];
	int h;

	fprintf(f, "\nworkload:\n");
	if (x->rpud.ok && x->rpud_cv > 0)
		fprintf(f, "  requests_per_user_per_day: {dist: lognormal, mean: %.6g, cv: %.4g}",
		    x->rpud.v, x->rpud_cv);
	else
		fprintf(f, "  requests_per_user_per_day: %.6g", x->rpud.v);
	evidence(f, &x->rpud, EV_RPUD);
	if (x->top10.ok) {
		fprintf(f, "  top10_share: %.4g", x->top10.v);
		evidence(f, &x->top10, EV_TOP10);
	} else {
		fprintf(f, "  top10_share: %s   # not identified (%s): a prior, not the log's: "
		    "drawn in each trial, from an even spread to a heavy concentration\n",
		    FC_CALIB_TOP10_PRIOR, x->top10.why);
	}
	fprintf(f, "  chaining: %.4g", x->chaining.v);
	evidence(f, &x->chaining, EV_CHAINING);
	if (x->overlap.ok) {
		fprintf(f, "  chaining_overlap: %.4g",
		    x->overlap.v < 0 ? 0 : x->overlap.v > 1 ? 1 : x->overlap.v);
		evidence(f, &x->overlap, EV_OVERLAP);
	}
	if (x->input_mcv > 0)
		fprintf(f, "  input_tokens: {dist: lognormal, mean: %.6g, cv: %.4g}", x->input.v,
		    x->input_mcv);
	else
		fprintf(f, "  input_tokens: %.6g", x->input.v);
	evidence(f, &x->input, EV_INPUT);
	if (x->output_mcv > 0)
		fprintf(f, "  output_tokens: {dist: lognormal, mean: %.6g, cv: %.4g}", x->output.v,
		    x->output_mcv);
	else
		fprintf(f, "  output_tokens: %.6g", x->output.v);
	evidence(f, &x->output, EV_OUTPUT);
	fprintf(f, "  input_cv: %.4g", x->input_cv.v);
	evidence(f, &x->input_cv, EV_INPUT_CV);
	fprintf(f, "  output_cv: %.4g", x->output_cv.v);
	evidence(f, &x->output_cv, EV_OUTPUT_CV);
	fprintf(f, "  context_growth_per_month: %.4g", x->growth.v);
	evidence(f, &x->growth, EV_GROWTH);
	fprintf(f, "  peak_to_mean: %.4g", x->peak.v);
	snprintf(what, sizeof(what), "busiest hour of day (%s) over the mean hour", tz);
	evidence(f, &x->peak, what);
	if (x->has_diurnal) {
		fprintf(f, "  diurnal: [");
		for (h = 0; h < 24; h++)
			fprintf(f, "%s%.3f", h ? ", " : "", x->diurnal[h]);
		fprintf(f, "]   # calls by hour of day, %s, 00:00 first (mean 1)\n", tz);
	}
	fprintf(f, "  arrival_cv: %.4g", x->arrival_cv.v);
	evidence(f, &x->arrival_cv, EV_ARRIVAL);
	fprintf(f, "  cached_input_share: %.4g", x->cached.v);
	evidence(f, &x->cached, EV_CACHED);
	fprintf(f, "  batch_share: %.4g", x->batch.v);
	evidence(f, &x->batch, EV_BATCH);
}

/* The flat section as given (hardware and model references), commented
 * out when no catalog server holds the fit, or on the back-tests' own
 * server (an inline profile large enough for any fit: the back-tests read
 * the API's bill only, which no flat key changes). */
enum flat_mode { FLAT_GIVEN, FLAT_COMMENTED, FLAT_BACKTEST };

static void
write_flat(FILE *f, const struct fc_calib_fit *x, const char *hw, const char *model,
    enum flat_mode mode)
{
	const char *c = mode == FLAT_COMMENTED ? "# " : "";

	if (mode == FLAT_COMMENTED)
		fprintf(f, "\n# flat: commented out: no catalog server holds flat.model %s at the fitted "
		    "context (%.0f input + %.0f output tokens a call); give --hardware/--model for the "
		    "flat architecture you mean\n", model, x->input.v, x->output.v);
	else
		fprintf(f, "\n");
	fprintf(f, "%sflat:\n", c);
	if (mode == FLAT_BACKTEST)
		fprintf(f, "  hardware: {name: calibrate back-test server, ram_gb: 1000000, "
		    "monthly_price: 0, mem_bandwidth_gbs: 1000, compute_gflops: 100000, "
		    "efficiency: {decode: 1, prefill: 1}}\n");
	else
		fprintf(f, "%s  hardware: %s\n", c, hw);
	fprintf(f, "%s  model: %s\n", c, model);
	if (x->fallback.ok)
		fprintf(f, "%s  fallback: {share: {dist: beta, a: %.6g, b: %.6g}}   # rejected shadow-run "
		    "answers: Beta(1 + rejected, 1 + accepted), mean %.4g, 90%% interval %.4g to %.4g\n",
		    c, x->fallback_a, x->fallback_b, x->fallback.v, x->fallback.lo, x->fallback.hi);
	else
		fprintf(f, "  # fallback.share not identified (%s): the default 0\n", x->fallback.why);
}

/* The whole scenario, commented with its evidence; rt: the route (none
 * when rt->n is 0, with rt->why said when not empty). */
static void
write_scenario(FILE *f, const struct fc_calib_fit *x, const struct fc_calib_test_opts *a,
    const struct fc_calib_route *rt, enum flat_mode mode)
{
	const char *price = a->price->id, *hw = a->hardware, *model = a->model;
	char d0[32], d1[32];
	size_t i;

	fmt_day(x->t0, d0, sizeof(d0));
	fmt_day(x->t1, d1, sizeof(d1));
	fprintf(f, "# Fitted by flatcost calibrate from");
	for (i = 0; i < a->nlogs; i++)
		fprintf(f, " %s", a->logs[i]);
	fprintf(f, " (%s format)\n", fc_calib_format_name(x->format));
	fprintf(f, "# %.0f rows read, %.0f calls, %.0f bad rows skipped; %s to %s UTC (%.0f days)\n",
	    x->rows, x->calls, x->bad_rows, d0, d1, x->span_days);
	if (x->cache_hits > 0)
		fprintf(f, "# %.0f rows answered from the proxy's cache (cache_hit true) left out: no API call\n",
		    x->cache_hits);
	if (x->aggregated)
		fprintf(f, "# some rows are aggregated buckets: per-call spreads and users come from per-call rows only\n");
	for (i = 0; i < x->n_models; i++)
		fprintf(f, "# model %s: %.1f%% of calls\n", x->model[i], 100 * x->model_share[i]);
	if (x->latency.ok && isfinite(x->latency.lo))
		fprintf(f, "# API call latency (end - start of %.0f single calls): mean %.4g s, "
		    "90%% interval of the mean %.4g to %.4g s, sd %.4g s; P50 %.4g s, P95 %.4g s\n",
		    x->latency_calls, x->latency.v, x->latency.lo, x->latency.hi, x->latency_sd,
		    x->latency_p50, x->latency_p95);
	else if (x->latency.ok)
		fprintf(f, "# API call latency (end - start of one call): %.4g s\n", x->latency.v);
	fprintf(f, "flatcost: 1\nname: calibrated\n");
	fprintf(f, "users: %.0f", x->users.v);
	evidence(f, &x->users, isnan(a->users) ? "distinct users in the log" :
	    "given with --users");
	fprintf(f, "days_per_month: %.4g", x->days.v);
	evidence(f, &x->days, EV_DAYS);
	write_workload(f, x, a->tz ? a->tz : "UTC");
	fprintf(f, "\napi:\n  price: %s\n", price);
	if (x->latency.ok && x->latency_calls >= 20 && isfinite(x->latency_p50) &&
	    isfinite(x->latency_p95))
		fprintf(f, "  latency_p50_s: %.4g   # the API's own call latency, end - start of %.0f "
		    "single calls in the log\n  latency_p95_s: %.4g\n", x->latency_p50,
		    x->latency_calls, x->latency_p95);
	else if (x->latency.ok)
		fprintf(f, "  # latency_p50_s, latency_p95_s not identified (%.0f single calls with "
		    "end times; 20 needed for a P95)\n", x->latency_calls);
	else
		fprintf(f, "  # latency_p50_s, latency_p95_s not identified (%s)\n", x->latency.why);
	if (rt->n > 0)
		fc_calib_write_route(f, rt, x->calls);
	else if (rt->why[0])
		fprintf(f, "  # no api.route: %s; each model's share of calls is in the comments at the top\n",
		    rt->why);
	write_flat(f, x, hw, model, mode);
	fprintf(f, "\nsimulation: {trials: 10000, seed: 42}\n");
}

int
fc_calib_write_scenario(FILE *f, const struct fc_calib_fit *x,
    const struct fc_calib_test_opts *o, const struct fc_calib_route *rt)
{
	write_scenario(f, x, o, rt, FLAT_GIVEN);
	return ferror(f) ? -1 : 0;
}

/* Renders the scenario into memory (NULL on FC_ENOMEM). */
static char *
render(const struct fc_calib_fit *x, const struct fc_calib_test_opts *o,
    const struct fc_calib_route *rt, size_t *len, enum flat_mode mode)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	write_scenario(f, x, o, rt, mode);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Loads the scenario text and runs its Monte Carlo: the API's LLM bill's
 * P5, P50, P95 for one month (the routed API's with a route).  Diagnostics
 * of a scenario that does not load go to d, named "the fitted scenario". */
static enum fc_status
simulate(const char *text, size_t len, const struct fc_calib_test_opts *o,
    struct fc_calib_test *t, struct fc_diags *d)
{
	struct fc_scenario *s = NULL;
	struct fc_mc_opts mo;
	struct fc_mc_result r;
	enum fc_status st;
	long k;
	int routed;

	st = fc_scenario_load_text("the fitted scenario", text, len, o->cat, NULL, 0, &s, d);
	if (st != FC_OK)
		return st;
	routed = s->route.n > 0;
	k = fc_figure_index(routed ? "api_routed.llm_cost" : "api.llm_cost");
	memset(&mo, 0, sizeof(mo));
	mo.trials = o->trials > 0 ? o->trials : s->trials;
	mo.seed = o->seed >= 0 ? (unsigned long)o->seed : (unsigned long)s->seed;
	mo.threads = o->threads > 0 ? o->threads : 1;
	mo.month = s->months > 0 ? s->months : 1;
	mo.users = NAN;
	mo.cancel = o->cancel;
	mo.no_breakeven = 1;    /* the back-tests read the API's bill only */
	memset(&r, 0, sizeof(r));
	if ((st = fc_mc_run(s, &mo, &r)) == FC_OK) {
		double det = routed ? r.det.routed_llm : r.det.api_llm;
		t->p5 = r.deterministic ? det : r.stats[k].p5;
		t->p50 = r.deterministic ? det : r.stats[k].p50;
		t->p95 = r.deterministic ? det : r.stats[k].p95;
	}
	fc_mc_result_free(&r);
	fc_scenario_free(s);
	return st;
}

/* The logged bill of days [day0, day1): at price p, or each call at its
 * model's price when the log gives route rt. */
static double
logged_bill(const struct fc_calib *c, const struct fc_price *p,
    const struct fc_calib_route *rt, long day0, long day1)
{
	return rt->n > 0 ? fc_calib_bill_route(c, rt, day0, day1) :
	    fc_calib_bill(c, p, day0, day1);
}

static void
verdict(struct fc_calib_test *t)
{
	double k = t->days / t->month_days;

	t->ran = 1;
	t->verdict = t->actual < t->p5 * k ? -1 : t->actual > t->p95 * k ? 1 : 0;
}

/* Out of sample: fit on the first three quarters of the days (the route
 * too), simulate, compare with the bill of the last quarter. */
static enum fc_status
out_of_sample(struct fc_calib *c, const struct fc_calib_fit *full, const struct fc_calib_test_opts *o,
    const struct fc_calib_route *full_rt, enum flat_mode mode, struct fc_calib_test *t,
    struct fc_diags *d)
{
	struct fc_calib_route rt;
	long nd = fc_calib_ndays(c), cut = nd * 3 / 4;
	struct fc_calib_fit x;
	char *text;
	size_t len;
	enum fc_status st;

	if (nd < 8) {
		snprintf(t->why, sizeof(t->why), "the log spans %ld days; it needs 8", nd);
		return FC_OK;
	}
	if ((st = fc_calib_fit_days(c, 0, cut, o->users, &x)) == FC_ENOMEM)
		return st;
	if (st != FC_OK || !x.rpud.ok) {
		snprintf(t->why, sizeof(t->why), "no usable row in the first %ld days", cut);
		return FC_OK;
	}
	fc_calib_route(&x, o->cat, &rt);
	if (full_rt->n == 0) {   /* the bill at one price: against the plain API */
		rt.n = 0;
		rt.why[0] = '\0';
	}
	if ((text = render(&x, o, &rt, &len, mode)) == NULL)
		return FC_ENOMEM;
	st = simulate(text, len, o, t, d);
	free(text);
	if (st != FC_OK)
		return st;
	t->actual = logged_bill(c, o->price, full_rt, cut, nd);
	t->days = (double)(nd - cut - 1) + full->cover_last;   /* its last day as covered */
	t->month_days = x.month_days;
	verdict(t);
	return FC_OK;
}

static int
by_monthly_price(const void *a, const void *b)
{
	const struct fc_hw *x = *(const struct fc_hw *const *)a, *y = *(const struct fc_hw *const *)b;

	if (x->monthly_price != y->monthly_price)
		return x->monthly_price < y->monthly_price ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The placeholder hardware cannot hold the fit (its context, its model):
 * the cheapest catalog server on which the scenario loads, into o->hardware
 * and r->text; FC_EINVAL when none does. */
static enum fc_status
pick_hardware(const struct fc_calib_fit *x, struct fc_calib_test_opts *o,
    const struct fc_calib_route *rt, struct fc_calib_tests *r)
{
	const struct fc_hw **hw = fc_malloc((o->cat->nhw + 1) * sizeof(*hw));
	enum fc_status st = FC_EINVAL;
	size_t i;

	if (hw == NULL)
		return FC_ENOMEM;
	for (i = 0; i < o->cat->nhw; i++)
		hw[i] = &o->cat->hw[i];
	qsort(hw, o->cat->nhw, sizeof(*hw), by_monthly_price);
	for (i = 0; i < o->cat->nhw && st == FC_EINVAL; i++) {
		struct fc_scenario *s = NULL;
		struct fc_diags scratch;
		char *text;
		size_t len;

		o->hardware = hw[i]->id;
		if ((text = render(x, o, rt, &len, FLAT_GIVEN)) == NULL) {
			st = FC_ENOMEM;
			break;
		}
		fc_diags_init(&scratch);
		st = fc_scenario_load_text("the fitted scenario", text, len, o->cat, NULL, 0, &s,
		    &scratch);
		fc_diags_free(&scratch);
		fc_scenario_free(s);
		if (st == FC_OK) {
			free(r->text);
			r->text = text;
			r->len = len;
			r->hardware = hw[i]->id;
		} else {
			free(text);
			if (st != FC_ENOMEM)
				st = FC_EINVAL;
		}
	}
	fc_free(hw);
	return st;
}

enum fc_status
fc_calib_test(struct fc_calib *c, const struct fc_calib_fit *x,
    const struct fc_calib_test_opts *opts, struct fc_calib_tests *r, struct fc_diags *d)
{
	struct fc_calib_route rt;
	struct fc_calib_test_opts oo = *opts, *o = &oo;
	struct fc_scenario *s = NULL;
	enum fc_status st;

	memset(r, 0, sizeof(*r));
	fc_calib_route(x, o->cat, &rt);
	r->routed = rt.n > 0;
	if ((r->text = render(x, o, &rt, &r->len, FLAT_GIVEN)) == NULL)
		return FC_ENOMEM;
	if (o->placeholder) {
		struct fc_diags scratch;
		fc_diags_init(&scratch);
		st = fc_scenario_load_text("the fitted scenario", r->text, r->len, o->cat, NULL, 0,
		    &s, &scratch);
		fc_diags_free(&scratch);
		fc_scenario_free(s);
		if (st == FC_ENOMEM)
			return st;
		if (st != FC_OK && (st = pick_hardware(x, o, &rt, r)) != FC_OK) {
			if (st == FC_ENOMEM)
				return st;
			/* no catalog server holds it: written with the flat
			 * section commented out, back-tested on their own server */
			r->hardware = NULL;
			r->no_flat = 1;
			o->hardware = opts->hardware;
			free(r->text);
			if ((r->text = render(x, o, &rt, &r->len, FLAT_COMMENTED)) == NULL)
				return FC_ENOMEM;
		}
	}
	if (r->no_flat) {
		if ((r->run_text = render(x, o, &rt, &r->run_len, FLAT_BACKTEST)) == NULL)
			return FC_ENOMEM;
	} else {
		if ((r->run_text = malloc(r->len + 1)) == NULL)
			return FC_ENOMEM;
		memcpy(r->run_text, r->text, r->len + 1);
		r->run_len = r->len;
	}
	if ((st = simulate(r->run_text, r->run_len, o, &r->in, d)) != FC_OK)
		return st;
	r->in.actual = logged_bill(c, o->price, &rt, 0, fc_calib_ndays(c));
	r->in.days = x->covered_days;
	r->in.month_days = x->month_days;
	verdict(&r->in);
	return out_of_sample(c, x, o, &rt, r->no_flat ? FLAT_BACKTEST : FLAT_GIVEN, &r->out, d);
}

void
fc_calib_test_free(struct fc_calib_tests *r)
{
	free(r->text);
	free(r->run_text);
	r->text = r->run_text = NULL;
}

/* An estimate as JSON: value, 90% interval, evidence, or why not identified. */
static json_t *
est_json(const struct fc_calib_est *e, const char *evidence)
{
	json_t *o = json_object();

	json_object_set_new(o, "value", json_real(e->v));
	json_object_set_new(o, "identified", json_boolean(e->ok));
	if (e->ok) {
		json_object_set_new(o, "lo90", isfinite(e->lo) ? json_real(e->lo) : json_null());
		json_object_set_new(o, "hi90", isfinite(e->hi) ? json_real(e->hi) : json_null());
		json_object_set_new(o, "evidence", json_string(evidence));
	} else {
		json_object_set_new(o, "why", json_string(e->why));
	}
	return o;
}

static json_t *
test_json(const struct fc_calib_test *t)
{
	json_t *o = json_object();
	double k;

	json_object_set_new(o, "ran", json_boolean(t->ran));
	if (!t->ran) {
		json_object_set_new(o, "why", json_string(t->why));
		return o;
	}
	k = t->days / t->month_days;
	json_object_set_new(o, "days", json_real(t->days));
	json_object_set_new(o, "logged_bill_usd", json_real(t->actual));
	json_object_set_new(o, "p5_usd", json_real(t->p5 * k));
	json_object_set_new(o, "p50_usd", json_real(t->p50 * k));
	json_object_set_new(o, "p95_usd", json_real(t->p95 * k));
	json_object_set_new(o, "verdict", json_string(t->verdict == 0 ? "inside" :
	    t->verdict < 0 ? "below_p5" : "above_p95"));
	return o;
}

json_t *
fc_calib_json(const struct fc_calib_fit *x, const struct fc_calib_test_opts *o,
    const struct fc_calib_tests *r)
{
	char peak[160], d0[32], d1[32];
	const char *tz = o->tz ? o->tz : "UTC";
	const struct { const char *key; const struct fc_calib_est *e; const char *ev; } k[] = {
		{ "users", &x->users, isnan(o->users) ? "distinct users in the log" :
		    "given with --users" },
		{ "days_per_month", &x->days, EV_DAYS },
		{ "workload.requests_per_user_per_day", &x->rpud, EV_RPUD },
		{ "workload.top10_share", &x->top10, EV_TOP10 },
		{ "workload.chaining", &x->chaining, EV_CHAINING },
		{ "workload.input_tokens", &x->input, EV_INPUT },
		{ "workload.output_tokens", &x->output, EV_OUTPUT },
		{ "workload.input_cv", &x->input_cv, EV_INPUT_CV },
		{ "workload.output_cv", &x->output_cv, EV_OUTPUT_CV },
		{ "workload.context_growth_per_month", &x->growth, EV_GROWTH },
		{ "workload.peak_to_mean", &x->peak, peak },
		{ "workload.arrival_cv", &x->arrival_cv, EV_ARRIVAL },
		{ "workload.cached_input_share", &x->cached, EV_CACHED },
		{ "workload.batch_share", &x->batch, EV_BATCH },
		{ "flat.fallback.share", &x->fallback, "rejected shadow-run answers: "
		    "Beta(1 + rejected, 1 + accepted)" },
	};
	json_t *j = json_object(), *est = json_object(), *none = json_array(), *m = json_array();
	size_t i;
	int h;

	snprintf(peak, sizeof(peak), "busiest hour of day (%s) over the mean hour", tz);
	fmt_day(x->t0, d0, sizeof(d0));
	fmt_day(x->t1, d1, sizeof(d1));
	json_object_set_new(j, "format", json_string(fc_calib_format_name(x->format)));
	json_object_set_new(j, "rows", json_real(x->rows));
	json_object_set_new(j, "calls", json_real(x->calls));
	json_object_set_new(j, "bad_rows", json_real(x->bad_rows));
	json_object_set_new(j, "cache_hits", json_real(x->cache_hits));
	json_object_set_new(j, "users_seen", json_real(x->users_seen));
	json_object_set_new(j, "traces", json_real(x->n_traces));
	json_object_set_new(j, "first_call_utc", json_string(d0));
	json_object_set_new(j, "last_call_utc", json_string(d1));
	json_object_set_new(j, "span_days", json_real(x->span_days));
	json_object_set_new(j, "covered_days", json_real(x->covered_days));
	json_object_set_new(j, "time_zone", json_string(tz));
	json_object_set_new(j, "spend_usd", isfinite(x->spend) ? json_real(x->spend) : json_null());
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		json_object_set_new(est, k[i].key, est_json(k[i].e, k[i].ev));
		if (!k[i].e->ok)
			json_array_append_new(none, json_string(k[i].key));
	}
	if (x->rpud.ok)
		json_object_set_new(json_object_get(est, "workload.requests_per_user_per_day"), "cv",
		    json_real(x->rpud_cv));
	if (x->input.ok && x->input_mcv > 0)
		json_object_set_new(json_object_get(est, "workload.input_tokens"), "cv",
		    json_real(x->input_mcv));
	if (x->output.ok && x->output_mcv > 0)
		json_object_set_new(json_object_get(est, "workload.output_tokens"), "cv",
		    json_real(x->output_mcv));
	if (x->has_diurnal) {
		json_t *d = json_array();
		for (h = 0; h < 24; h++)
			json_array_append_new(d, json_real(x->diurnal[h]));
		json_object_set_new(est, "workload.diurnal", d);
	}
	json_object_set_new(est, "workload.chaining_overlap", est_json(&x->overlap, EV_OVERLAP));
	if (x->overlap.ok)
		json_object_set_new(json_object_get(est, "workload.chaining_overlap"), "traces",
		    json_real(x->overlap_traces));
	json_object_set_new(j, "estimates", est);
	{
		json_t *l = est_json(&x->latency, "mean of end - start over single calls, seconds");
		if (x->latency.ok) {
			json_object_set_new(l, "sd", json_real(x->latency_sd));
			json_object_set_new(l, "calls", json_real(x->latency_calls));
			json_object_set_new(l, "p50", isfinite(x->latency_p50) ?
			    json_real(x->latency_p50) : json_null());
			json_object_set_new(l, "p95", isfinite(x->latency_p95) ?
			    json_real(x->latency_p95) : json_null());
		} else {
			json_object_set_new(l, "value", json_null());
		}
		json_object_set_new(j, "api_call_latency_s", l);
	}
	json_object_set_new(j, "not_identified", none);
	for (i = 0; i < x->n_models; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "model", json_string(x->model[i]));
		json_object_set_new(e, "calls", json_real(x->model_calls[i]));
		json_object_set_new(e, "share", json_real(x->model_share[i]));
		json_array_append_new(m, e);
	}
	json_object_set_new(j, "models", m);
	if (r) {
		json_t *b = json_object();
		json_object_set_new(b, "routed", json_boolean(r->routed));
		json_object_set_new(b, "in_sample", test_json(&r->in));
		json_object_set_new(b, "out_of_sample", test_json(&r->out));
		json_object_set_new(j, "backtests", b);
		json_object_set_new(j, "flat_hardware", r->no_flat ? json_null() :
		    json_string(r->hardware ? r->hardware : o->hardware));
		json_object_set_new(j, "scenario", json_stringn(r->text, r->len));
	}
	return j;
}
