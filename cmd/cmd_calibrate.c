/*
 * cmd_calibrate.c: `flatcost calibrate LOG...`: fit a scenario's workload
 * from usage logs (model/calib.h), write it commented line by line with
 * its evidence, validate it through the scenario loader, and back-test it
 * against the logged bill: in sample (the whole period) and out of sample
 * (fit on the first three quarters, test on the last quarter).  A log with
 * several models, each with a bundled price, gets an api.route with one
 * tier per model; its bill is then each call at its model's price, and the
 * back-tests compare it with the routed API (api_routed.llm_cost).
 *
 * The scenario goes to -o FILE (standard output without -o), written
 * atomically; the summary and back-tests go to standard error.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calib.h"
#include "cost.h"
#include "data.h"
#include "mc.h"
#include "scenario.h"

#define DEF_HARDWARE "hetzner/gex44"
#define DEF_MODEL "qwen2.5-7b-q4_k_m"

enum {
	OPT_API_PRICE = CLI_OPT_OWN, OPT_COLUMNS, OPT_HARDWARE, OPT_LOG_FORMAT,
	OPT_MODEL, OPT_SINCE, OPT_SKIP_BAD, OPT_UNTIL, OPT_USERS,
};

struct cal_args {
	struct fc_calib_opts o;
	const char *api_price, *hardware, *model, *out_path;
	double users;               /* NAN: from the log */
	struct cli_mc_args mc;
	char *const *logs;
	int nlogs;
	char colbuf[1024];          /* --columns, split in place */
};

/* --columns ts=COL,user=COL,...: role names from fc_calib_role_names. */
static int
parse_columns(struct cal_args *a, const char *arg)
{
	char *p, *save = NULL, *tok;
	int r;

	if (strlen(arg) >= sizeof(a->colbuf))
		return cli_usage_error("calibrate", "--columns: too long");
	strcpy(a->colbuf, arg);
	for (p = a->colbuf; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		char *eq = strchr(tok, '=');
		if (eq == NULL || eq == tok || eq[1] == '\0')
			return cli_usage_error("calibrate",
			    "--columns: expected ROLE=COLUMN pairs such as ts=time,user=uid, got '%s'", tok);
		*eq = '\0';
		for (r = 0; r < FC_NROLES; r++)
			if (strcmp(tok, fc_calib_role_names[r]) == 0)
				break;
		if (r == FC_NROLES)
			return cli_usage_error("calibrate",
			    "--columns: unknown role '%s' (expected ts, user, in, out, cached, trace, ok, model, batch, spend, n, end, end_user, type or cache_hit)",
			    tok);
		a->o.columns[r] = eq + 1;
	}
	return EXIT_OK;
}

static int
parse_when(const char *opt, const char *s, int until, double *out)
{
	if (fc_calib_parse_time(s, out) != 0)
		return cli_usage_error("calibrate",
		    "%s: expected a date such as 2024-05-01 or a time such as 2024-05-01T12:00:00Z, got '%s'",
		    opt, s);
	/* --until 2024-05-31 takes in the whole of that day */
	if (until && strlen(s) == 10)
		*out += FC_SECONDS_PER_DAY;
	return EXIT_OK;
}

static int
parse_args(int argc, char **argv, struct cal_args *a)
{
	static const struct option opts[] = {
		{ "api-price", required_argument, NULL, OPT_API_PRICE },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "hardware", required_argument, NULL, OPT_HARDWARE },
		{ "help", no_argument, NULL, 'h' },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "no-user-data", no_argument, NULL, CLI_OPT_NO_USER_DATA },
		{ "output", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, CLI_OPT_SEED },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "skip-bad", required_argument, NULL, OPT_SKIP_BAD },
		{ "strict-data", no_argument, NULL, CLI_OPT_STRICT_DATA },
		{ "threads", required_argument, NULL, CLI_OPT_THREADS },
		{ "trials", required_argument, NULL, CLI_OPT_TRIALS },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "users", required_argument, NULL, OPT_USERS },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc, f;

	optind = 1;
	while ((ch = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_API_PRICE:
			a->api_price = optarg;
			break;
		case OPT_COLUMNS:
			if ((rc = parse_columns(a, optarg)) != EXIT_OK)
				return rc;
			break;
		case OPT_HARDWARE:
			a->hardware = optarg;
			break;
		case 'h':
			cli_help("calibrate");
			return -1;
		case OPT_LOG_FORMAT:
			if ((f = fc_calib_format_parse(optarg)) < 0)
				return cli_usage_error("calibrate",
				    "--log-format: expected auto, csv, litellm, openai-usage or langfuse, got '%s'",
				    optarg);
			a->o.format = (enum fc_calib_format)f;
			break;
		case OPT_MODEL:
			a->model = optarg;
			break;
		case 'o':
			a->out_path = optarg;
			break;
		case OPT_SINCE:
			if ((rc = parse_when("--since", optarg, 0, &a->o.since)) != EXIT_OK)
				return rc;
			break;
		case OPT_SKIP_BAD:
			if (arg_long("calibrate", "--skip-bad", optarg, 0, 1000000000L, &a->o.skip_bad))
				return EXIT_USAGE;
			break;
		case OPT_UNTIL:
			if ((rc = parse_when("--until", optarg, 1, &a->o.until)) != EXIT_OK)
				return rc;
			break;
		case OPT_USERS:
			if (arg_double("calibrate", "--users", optarg, 1, 1e10, &a->users))
				return EXIT_USAGE;
			break;
		default:
			if ((rc = cli_mc_opt("calibrate", &a->mc, ch, optarg)) == CLI_NOT_MINE)
				return cli_bad_option("calibrate", ch, argv);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return cli_usage_error("calibrate", "no log file given");
	if (!isnan(a->o.since) && !isnan(a->o.until) && a->o.until <= a->o.since)
		return cli_usage_error("calibrate", "--until must be after --since");
	a->logs = argv + optind;
	a->nlogs = argc - optind;
	return EXIT_OK;
}

struct progress {
	struct timespec start;
	int shown;
};

/* A progress bar on stderr over the file being read, after a second. */
static void
progress_cb(void *ctx, const char *path, double done, double total)
{
	struct progress *p = ctx;
	double e = cli_elapsed(&p->start);

	if (e < 1)
		return;
	cli_progress_bar(total > 0 ? (int)(CLI_BAR_WIDTH * fmin(done / total, 1)) : 0);
	fprintf(stderr, " %s: %.0f MB, %.1fs", path, done / 1e6, e);
	p->shown = 1;
	fflush(stderr);
}

/* Reads every log into a new accumulator; prints diagnostics. */
static int
read_logs(const struct cal_args *a, const struct fc_calib_opts *o, struct fc_calib **c)
{
	struct fc_calib_opts oo = *o;
	struct progress prog;
	struct fc_diags d;
	enum fc_status st = FC_OK;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.shown = 0;
	if (cli_progress_enabled()) {
		oo.progress = progress_cb;
		oo.progress_ctx = &prog;
	}
	if (fc_calib_new(&oo, c) != FC_OK)
		return cli_oom();
	fc_diags_init(&d);
	for (i = 0; i < a->nlogs && st == FC_OK; i++)
		st = fc_calib_read(*c, a->logs[i], &d);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st == FC_EIO)
		return EXIT_RUNTIME;
	return st == FC_OK ? EXIT_OK : EXIT_USAGE;
}

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
write_workload(FILE *f, const struct fc_calib_fit *x)
{
	int h;

	fprintf(f, "\nworkload:\n");
	if (x->rpud.ok && x->rpud_cv > 0)
		fprintf(f, "  requests_per_user_per_day: {dist: lognormal, mean: %.6g, cv: %.4g}",
		    x->rpud.v, x->rpud_cv);
	else
		fprintf(f, "  requests_per_user_per_day: %.6g", x->rpud.v);
	evidence(f, &x->rpud, "user actions per user per active day; the cv is the "
	    "standard error of the monthly mean from the day-to-day spread");
	fprintf(f, "  top10_share: %.4g", x->top10.v);
	evidence(f, &x->top10, "share of calls by the busiest tenth of users");
	fprintf(f, "  chaining: %.4g", x->chaining.v);
	evidence(f, &x->chaining, "calls per trace id (a trace idle for an hour is closed)");
	fprintf(f, "  input_tokens: %.6g", x->input.v);
	evidence(f, &x->input, "mean input tokens per call, cached included");
	fprintf(f, "  output_tokens: %.6g", x->output.v);
	evidence(f, &x->output, "mean output tokens per call");
	fprintf(f, "  input_cv: %.4g", x->input_cv.v);
	evidence(f, &x->input_cv, "per-call spread of input tokens");
	fprintf(f, "  output_cv: %.4g", x->output_cv.v);
	evidence(f, &x->output_cv, "per-call spread of output tokens");
	fprintf(f, "  context_growth_per_month: %.4g", x->growth.v);
	evidence(f, &x->growth, "input tokens per call per month of a user's tenure (least squares)");
	fprintf(f, "  peak_to_mean: %.4g", x->peak.v);
	evidence(f, &x->peak, "busiest hour of day (UTC) over the mean hour");
	if (x->has_diurnal) {
		fprintf(f, "  diurnal: [");
		for (h = 0; h < 24; h++)
			fprintf(f, "%s%.3f", h ? ", " : "", x->diurnal[h]);
		fprintf(f, "]   # calls by hour of day, UTC, 00:00 first (mean 1)\n");
	}
	fprintf(f, "  arrival_cv: %.4g", x->arrival_cv.v);
	evidence(f, &x->arrival_cv, "cv of the gaps between calls within each clock hour");
	fprintf(f, "  cached_input_share: %.4g", x->cached.v);
	evidence(f, &x->cached, "cached input tokens over input tokens");
	fprintf(f, "  batch_share: %.4g", x->batch.v);
	evidence(f, &x->batch, "share of calls through a batch API");
}

/* The whole scenario, commented with its evidence; rt: the route (none
 * when rt->n is 0, with rt->why said when not empty). */
static void
write_scenario(FILE *f, const struct fc_calib_fit *x, const struct cal_args *a,
    const char *price, const struct fc_calib_route *rt, const char *hw, const char *model)
{
	char d0[32], d1[32];
	size_t i;

	fmt_day(x->t0, d0, sizeof(d0));
	fmt_day(x->t1, d1, sizeof(d1));
	fprintf(f, "# Fitted by flatcost calibrate from");
	for (i = 0; i < (size_t)a->nlogs; i++)
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
	fprintf(f, "flatcost: 1\nname: calibrated\n");
	fprintf(f, "users: %.0f", x->users.v);
	evidence(f, &x->users, isnan(a->users) ? "distinct users in the log" :
	    "given with --users");
	fprintf(f, "days_per_month: %.4g", x->days.v);
	evidence(f, &x->days, "a calendar month times the mean weekday's calls over the busiest weekday's");
	write_workload(f, x);
	fprintf(f, "\napi:\n  price: %s\n", price);
	if (rt->n > 0)
		fc_calib_write_route(f, rt, x->calls);
	else if (rt->why[0])
		fprintf(f, "  # no api.route: %s; each model's share of calls is in the comments at the top\n",
		    rt->why);
	fprintf(f, "\nflat:\n  hardware: %s\n  model: %s\n", hw, model);
	if (x->fallback.ok)
		fprintf(f, "  fallback: {share: {dist: beta, a: %.6g, b: %.6g}}   # rejected shadow-run "
		    "answers: Beta(1 + rejected, 1 + accepted), mean %.4g, 90%% interval %.4g to %.4g\n",
		    x->fallback_a, x->fallback_b, x->fallback.v, x->fallback.lo, x->fallback.hi);
	else
		fprintf(f, "  # fallback.share not identified (%s): the default 0\n", x->fallback.why);
	fprintf(f, "\nsimulation: {trials: 10000, seed: 42}\n");
}

/* Renders the scenario into memory. */
static char *
render(const struct fc_calib_fit *x, const struct cal_args *a, const char *price,
    const struct fc_calib_route *rt, const char *hw, const char *model, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	write_scenario(f, x, a, price, rt, hw, model);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Loads text as a scenario (through a temporary file) and runs the Monte
 * Carlo: the API's LLM bill's P5, P50, P95 for one month, the routed
 * API's (api_routed.llm_cost) when the scenario has a route. */
static int
simulate_text(const char *text, size_t len, const struct cal_args *a,
    struct fc_catalog **cat, double *p5, double *p50, double *p95)
{
	char path[] = "/tmp/flatcost-calibrate-XXXXXX";
	struct fc_scenario *s = NULL;
	struct fc_mc_opts o;
	struct fc_mc_result r;
	enum fc_status st;
	long k;
	int fd = mkstemp(path), rc, routed;

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		cli_err("cannot write a temporary scenario: %s", strerror(errno));
		if (fd >= 0)
			close(fd), unlink(path);
		return EXIT_RUNTIME;
	}
	close(fd);
	cli_data_name = "the fitted scenario";
	rc = load_scenario(path, NULL, 0, cat, &s);
	cli_data_name = NULL;
	unlink(path);
	if (rc != EXIT_OK) {
		/* --strict-data refuses the entries the fit uses: said above */
		if (!(cli_data_flags.strict && cli_data_nwarnings() > 0))
			cli_err("the fitted scenario did not validate (a bug: please report it)");
		return rc;
	}
	routed = s->route.n > 0;
	k = fc_figure_index(routed ? "api_routed.llm_cost" : "api.llm_cost");
	cli_mc_fill(&a->mc, s, &o);
	o.no_breakeven = 1;    /* the back-tests read the API's bill only */
	memset(&r, 0, sizeof(r));
	st = fc_mc_run(s, &o, &r);
	if (st != FC_OK) {
		rc = cli_mc_failed("the fitted scenario", st);
		fc_mc_result_free(&r);
		fc_scenario_free(s);
		return rc;
	}
	{
		double det = routed ? r.det.routed_llm : r.det.api_llm;
		*p5 = r.deterministic ? det : r.stats[k].p5;
		*p50 = r.deterministic ? det : r.stats[k].p50;
		*p95 = r.deterministic ? det : r.stats[k].p95;
	}
	fc_mc_result_free(&r);
	fc_scenario_free(s);
	return EXIT_OK;
}

/* USD with cents, or four significant digits below a dollar. */
static const char *
usd(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) >= 1 ? "%.2f" : "%.4g", v);
	return buf;
}

static void
print_backtest(const char *what, double actual, double days, double month_days,
    double p5, double p50, double p95)
{
	double k = days / month_days;
	char a[32], b[32], c[32], e[32];

	/* the scenario's month is month_days calendar days: the period is
	 * days / month_days of it */
	fprintf(stderr, "  %s: logged API bill USD %s over %.0f days; fitted scenario "
	    "P5-P95 USD %s to %s (P50 %s): %s\n", what, usd(actual, a, sizeof(a)), days,
	    usd(p5 * k, b, sizeof(b)), usd(p95 * k, c, sizeof(c)), usd(p50 * k, e, sizeof(e)),
	    actual >= p5 * k && actual <= p95 * k ? "inside" :
	    actual < p5 * k ? "BELOW P5" : "ABOVE P95");
}

static void
print_summary(const struct fc_calib_fit *x)
{
	const struct { const char *key; const struct fc_calib_est *e; } k[] = {
		{ "users", &x->users }, { "days_per_month", &x->days },
		{ "workload.requests_per_user_per_day", &x->rpud },
		{ "workload.top10_share", &x->top10 }, { "workload.chaining", &x->chaining },
		{ "workload.input_cv", &x->input_cv }, { "workload.output_cv", &x->output_cv },
		{ "workload.context_growth_per_month", &x->growth },
		{ "workload.peak_to_mean", &x->peak }, { "workload.arrival_cv", &x->arrival_cv },
		{ "workload.cached_input_share", &x->cached }, { "workload.batch_share", &x->batch },
		{ "flat.fallback.share", &x->fallback },
	};
	size_t i, n = 0;

	fprintf(stderr, "flatcost: calibrate: %.0f rows, %.0f calls, %.0f users seen, %.0f days (%s)\n",
	    x->rows, x->calls, x->users_seen, x->span_days, fc_calib_format_name(x->format));
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!k[i].e->ok) {
			if (n++ == 0)
				fprintf(stderr, "flatcost: not identified by the log, left at the documented default:\n");
			fprintf(stderr, "  %s = %g (%s)\n", k[i].key, k[i].e->v, k[i].e->why);
		}
}

/* The price: --api-price, else the bundled price of the most used model. */
static int
pick_price(const struct cal_args *a, const struct fc_catalog *cat,
    const struct fc_calib_fit *x, const struct fc_price **p)
{
	if (a->api_price) {
		*p = fc_catalog_price(cat, a->api_price);   /* checked before reading */
		return EXIT_OK;
	}
	/* "gpt-4o" or LiteLLM's "openai/gpt-4o": the name after the provider */
	if (x->n_models > 0 && (*p = fc_calib_model_price(cat, x->model[0])) != NULL) {
		cli_warn("--api-price not given: using %s, the bundled price of the log's most used model",
		    (*p)->id);
		return EXIT_OK;
	}
	return cli_usage_error("calibrate", "%s: give --api-price PROVIDER/MODEL (see 'flatcost data prices')",
	    x->n_models ? "the log's most used model has no bundled price" :
	    "the log names no model");
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

/* Out of sample: fit on the first three quarters of the days (the route
 * too), from the sums already read, simulate, compare with the bill of
 * the last quarter. */
static int
out_of_sample(const struct cal_args *a, struct fc_calib *full, const struct fc_price *p,
    const struct fc_calib_route *full_rt, const char *hw, const char *model,
    struct fc_catalog **cat)
{
	struct fc_calib_route rt;
	long nd = fc_calib_ndays(full), cut = nd * 3 / 4;
	struct fc_calib_fit x;
	double p5, p50, p95;
	char *text;
	size_t len;
	enum fc_status st;
	int rc;

	if (nd < 8) {
		fprintf(stderr, "  out of sample: not run (the log spans %ld days; it needs 8)\n", nd);
		return EXIT_OK;
	}
	if ((st = fc_calib_fit_days(full, 0, cut, a->users, &x)) == FC_ENOMEM)
		return cli_oom();
	if (st != FC_OK || !x.rpud.ok) {
		fprintf(stderr, "  out of sample: not run (no usable row in the first %ld days)\n", cut);
		return EXIT_OK;
	}
	fc_calib_route(&x, *cat, &rt);
	if (full_rt->n == 0) {   /* the bill at one price: against the plain API */
		rt.n = 0;
		rt.why[0] = '\0';
	}
	if ((text = render(&x, a, p->id, &rt, hw, model, &len)) == NULL)
		return cli_oom();
	rc = simulate_text(text, len, a, cat, &p5, &p50, &p95);
	free(text);
	if (rc == EXIT_OK)
		print_backtest("out of sample (fit on the first 3/4, test on the last 1/4)",
		    logged_bill(full, p, full_rt, cut, nd), (double)(nd - cut), x.month_days,
		    p5, p50, p95);
	return rc;
}

static int
run(struct cal_args *a, struct fc_calib *c, struct fc_catalog **cat)
{
	struct fc_calib_fit x;
	struct fc_calib_route rt;
	const struct fc_price *p = NULL;
	const char *hw = a->hardware ? a->hardware : DEF_HARDWARE;
	const char *model = a->model ? a->model : DEF_MODEL;
	double p5, p50, p95;
	struct cli_out out;
	char *text = NULL;
	size_t len;
	enum fc_status st;
	int rc;

	if ((st = fc_calib_fit(c, a->users, &x)) == FC_ENOMEM)
		return cli_oom();
	if (st != FC_OK) {
		cli_err("no usable row in the log%s: nothing to fit", a->nlogs > 1 ? "s" : "");
		return EXIT_USAGE;
	}
	if (!x.users.ok)
		return cli_usage_error("calibrate",
		    "the log names no users (%s format): give --users N, the app's users in the period",
		    fc_calib_format_name(x.format));
	if ((rc = pick_price(a, *cat, &x, &p)) != EXIT_OK)
		return rc;
	fc_calib_route(&x, *cat, &rt);
	if (rt.why[0])
		cli_warn("no api.route written: %s; the scenario gives each model's share of calls in comments",
		    rt.why);
	if (!a->hardware || !a->model)
		cli_warn("--hardware/--model not given: flat.hardware %s, flat.model %s "
		    "(placeholders for the flat architecture; calibrate fits the workload)", hw, model);
	print_summary(&x);
	if ((text = render(&x, a, p->id, &rt, hw, model, &len)) == NULL)
		return cli_oom();
	if ((rc = simulate_text(text, len, a, cat, &p5, &p50, &p95)) != EXIT_OK)
		goto done;
	if (rt.n > 0)
		fprintf(stderr, "flatcost: back-tests at api.route (each call at its model's price, "
		    "against the fitted scenario's routed API):\n");
	else
		fprintf(stderr, "flatcost: back-tests at %s:\n", p->id);
	print_backtest("in sample", logged_bill(c, p, &rt, 0, fc_calib_ndays(c)), x.span_days,
	    x.month_days, p5, p50, p95);
	if (isfinite(x.spend))
		fprintf(stderr, "  (the log's own spend column sums to USD %.4g)\n", x.spend);
	if ((rc = out_of_sample(a, c, p, &rt, hw, model, cat)) != EXIT_OK)
		goto done;
	if ((rc = out_open(&out, a->out_path)) != EXIT_OK)
		goto done;
	if (fwrite(text, 1, len, out.f) != len) {
		rc = out_fail(&out);
		goto done;
	}
	rc = out_commit(&out);
done:
	free(text);
	return rc;
}

int
cmd_calibrate(int argc, char **argv)
{
	struct cal_args a;
	struct fc_calib *c = NULL;
	struct fc_catalog *cat = NULL;
	struct fc_diags d;
	enum fc_status st;
	int rc;

	memset(&a, 0, sizeof(a));
	fc_calib_opts_init(&a.o);
	cli_mc_init(&a.mc);
	a.users = NAN;
	if ((rc = parse_args(argc, argv, &a)) != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	{
		const char *outs[] = { a.out_path };
		if ((rc = cli_io_claim((const char *const *)a.logs, (size_t)a.nlogs, outs, 1))
		    != EXIT_OK)
			return rc;
	}
	fc_diags_init(&d);
	st = cli_catalog_load(&cat, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK)
		return st == FC_ENOMEM ? cli_oom() : EXIT_RUNTIME;
	if (a.api_price && fc_catalog_price(cat, a.api_price) == NULL) {
		fc_catalog_free(cat);
		return cli_usage_error("calibrate",
		    "--api-price: unknown price '%s' (see 'flatcost data prices')", a.api_price);
	}
	if ((rc = read_logs(&a, &a.o, &c)) == EXIT_OK)
		rc = run(&a, c, &cat);
	fc_calib_free(c);
	fc_catalog_free(cat);
	return rc;
}
