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

#include <jansson.h>

#include "calib.h"
#include "calib_cli.h"
#include "cost.h"
#include "data.h"
#include "mc.h"
#include "scenario.h"

#define DEF_HARDWARE "hetzner/gex44"
#define DEF_MODEL "qwen2.5-7b-q4_k_m"

enum {
	OPT_API_PRICE = CLI_OPT_OWN, OPT_COLUMNS, OPT_FORMAT, OPT_HARDWARE, OPT_LOG_FORMAT,
	OPT_MODEL, OPT_SINCE, OPT_SKIP_BAD, OPT_TZ, OPT_UNTIL, OPT_USERS,
};

const struct cli_opt cli_calibrate_opts[] = {
	CLI_OPT("log-format", OPT_LOG_FORMAT, "auto|csv|litellm|openai-usage|langfuse", "the logs' format (default auto)"),
	CLI_OPT("columns", OPT_COLUMNS, "ROLE=COLUMN,...", "a CSV log's columns by role"),
	CLI_OPT("api-price", OPT_API_PRICE, "PRICE", "the API price the fitted scenario uses"),
	CLI_OPT("users", OPT_USERS, "N", "the users the logs' traffic came from"),
	CLI_OPT("hardware", OPT_HARDWARE, "ID", "the server of the fitted scenario"),
	CLI_OPT("model", OPT_MODEL, "ID", "the model of the fitted scenario"),
	CLI_OPT("since", OPT_SINCE, "DATE", "read the calls from DATE on"),
	CLI_OPT("until", OPT_UNTIL, "DATE", "read the calls before DATE"),
	CLI_OPT("skip-bad", OPT_SKIP_BAD, "N", "skip up to N malformed rows instead of refusing them"),
	CLI_OPT("tz", OPT_TZ, "ZONE", "the logs' time zone, for times without one"),
	CLI_MC(CLI_MC_RUN),
	CLI_OPT("format", OPT_FORMAT, "yaml|json", "the output's format (default yaml)"),
	CLI_OPT("output", 'o', "FILE", "write the scenario to FILE instead of standard output"),
	CLI_MC(CLI_MC_DATA),
	CLI_OPTS_END,
};

struct cal_args {
	struct fc_calib_opts o;
	const char *api_price, *hardware, *model, *out_path, *tz;
	double users;               /* NAN: from the log */
	int json;                   /* --format json: the fit as JSON, not the scenario */
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
			    "--columns: unknown role '%s' (expected ts, user, in, out, cached, trace, ok, model, batch, spend, n, end, end_user, type, cache_hit or call_end)",
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
	struct cli_getopt g;
	int ch, rc, f;

	cli_getopt_init(&g, cli_calibrate_opts, argc, argv);
	cli_getopt_mc(&g, "calibrate", &a->mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_API_PRICE:
			a->api_price = optarg;
			break;
		case OPT_COLUMNS:
			if ((rc = parse_columns(a, optarg)) != EXIT_OK)
				return rc;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "yaml") != 0 && strcmp(optarg, "json") != 0)
				return cli_usage_error("calibrate",
				    "--format: expected yaml or json, got '%s'", optarg);
			a->json = strcmp(optarg, "json") == 0;
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
		case OPT_TZ:
			if ((rc = calib_set_tz(optarg, &a->o)) != EXIT_OK)
				return rc;
			a->tz = optarg;
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
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (optind >= argc)
		return cli_usage_error("calibrate", "no log file given");
	if (!isnan(a->o.since) && !isnan(a->o.until) && a->o.until <= a->o.since)
		return cli_usage_error("calibrate", "--until must be after --since");
	a->logs = argv + optind;
	a->nlogs = argc - optind;
	return calib_check_logs((const char *const *)a->logs, a->nlogs);
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

/* Loads the scenario text as the scenario loader sees a file (the data's
 * staleness said, --strict-data applied) before anything is written. */
static int
check_text(const char *text, size_t len, struct fc_catalog *cat)
{
	struct fc_scenario *s = NULL;
	struct fc_diags d;
	enum fc_status st;
	int rc = EXIT_OK;

	fc_diags_init(&d);
	st = fc_scenario_load_text("the fitted scenario", text, len, cat, NULL, 0, &s, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st != FC_OK) {
		/* the workload is the log's; the flat section is what can fail */
		cli_err("the fitted scenario does not load (above): give --hardware/--model "
		    "for a flat architecture that holds the fitted workload");
		return EXIT_USAGE;
	}
	cli_data_name = "the fitted scenario";
	rc = cli_data_check(s);    /* --strict-data refuses the entries the fit uses: said */
	cli_data_name = NULL;
	fc_scenario_free(s);
	return rc;
}

/* USD with cents, or four significant digits below a dollar. */
static const char *
usd(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) >= 1 ? "%.2f" : "%.4g", v);
	return buf;
}

static void
print_backtest(const char *what, const struct fc_calib_test *t)
{
	double k = t->days / t->month_days;
	char a[32], b[32], c[32], e[32];

	if (!t->ran) {
		fprintf(stderr, "  %s: not run (%s)\n", what, t->why);
		return;
	}
	/* the scenario's month is month_days calendar days: the period is
	 * days / month_days of it */
	fprintf(stderr, "  %s: logged API bill USD %s over %.4g days; fitted scenario "
	    "P5-P95 USD %s to %s (P50 %s): %s\n", what, usd(t->actual, a, sizeof(a)), t->days,
	    usd(t->p5 * k, b, sizeof(b)), usd(t->p95 * k, c, sizeof(c)),
	    usd(t->p50 * k, e, sizeof(e)), t->verdict == 0 ? "inside" :
	    t->verdict < 0 ? "BELOW P5" : "ABOVE P95");
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
			if (k[i].e == &x->top10)
				fprintf(stderr, "  %s = %s, a documented prior drawn in each trial (%s)\n",
				    k[i].key, FC_CALIB_TOP10_PRIOR, k[i].e->why);
			else
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

static int
run(struct cal_args *a, struct fc_calib *c, struct fc_catalog **cat)
{
	struct fc_calib_fit x;
	struct fc_calib_route rt;
	struct fc_calib_test_opts o;
	struct fc_calib_tests r;
	struct fc_diags d;
	const struct fc_price *p = NULL;
	struct cli_out out;
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
	memset(&o, 0, sizeof(o));
	o.cat = *cat;
	o.price = p;
	o.hardware = a->hardware ? a->hardware : DEF_HARDWARE;
	o.model = a->model ? a->model : DEF_MODEL;
	o.users = a->users;
	o.logs = (const char *const *)a->logs;
	o.nlogs = (size_t)a->nlogs;
	o.trials = a->mc.trials > 0 ? a->mc.trials : 0;
	o.seed = a->mc.seed;
	o.threads = a->mc.threads > 0 ? (int)a->mc.threads : cli_ncpus();
	o.cancel = &cli_interrupted;
	o.placeholder = !a->hardware && !a->model;
	cli_data_flags.hw_placeholder = !a->hardware;
	o.tz = a->tz;
	fc_calib_route(&x, *cat, &rt);
	if (rt.why[0])
		cli_warn("no api.route written: %s; the scenario gives each model's share of calls in comments",
		    rt.why);
	if (!a->hardware || !a->model)
		cli_warn("--hardware/--model not given: flat.hardware %s, flat.model %s "
		    "(placeholders for the flat architecture; calibrate fits the workload)",
		    o.hardware, o.model);
	print_summary(&x);
	fc_diags_init(&d);
	st = fc_calib_test(c, &x, &o, &r, &d);
	if (st == FC_EINVAL || (st == FC_OK && (rc = check_text(r.run_text, r.run_len, *cat)) != EXIT_OK)) {
		if (st == FC_EINVAL && (rc = check_text(r.text, r.len, *cat)) == EXIT_OK)
			rc = EXIT_RUNTIME;
		goto done;
	}
	if (st != FC_OK) {
		rc = st == FC_ENOMEM ? cli_oom() : cli_mc_failed("the fitted scenario", st);
		goto done;
	}
	if (r.hardware)
		cli_warn("the fit (%.0f input tokens a call) does not fit flat.model %s on the "
		    "placeholder %s: flat.hardware is %s, the cheapest catalog server that holds it; "
		    "give --hardware/--model for the flat architecture you mean", x.input.v, o.model,
		    DEF_HARDWARE, r.hardware);
	if (r.no_flat)
		cli_warn("the fit (%.0f input tokens a call) does not fit flat.model %s on any catalog "
		    "server: the scenario is written with its flat section commented out (the "
		    "back-tests price the API only); give --hardware/--model for the flat "
		    "architecture you mean", x.input.v, o.model);
	if (r.routed)
		fprintf(stderr, "flatcost: back-tests at api.route (each call at its model's price, "
		    "against the fitted scenario's routed API):\n");
	else
		fprintf(stderr, "flatcost: back-tests at %s:\n", p->id);
	print_backtest("in sample", &r.in);
	if (isfinite(x.spend))
		fprintf(stderr, "  (the log's own spend column sums to USD %.4g)\n", x.spend);
	print_backtest("out of sample (fit on the first 3/4, test on the last 1/4)", &r.out);
	if (a->json) {
		json_t *j = fc_calib_json(&x, &o, &r);
		char *t = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(10)) : NULL;
		json_decref(j);
		if (t == NULL) {
			rc = cli_oom();
			goto done;
		}
		free(r.text);
		r.len = strlen(t) + 1;
		t[r.len - 1] = '\n';    /* the terminating NUL becomes a newline */
		r.text = t;
	}
	if ((rc = out_open(&out, a->out_path)) != EXIT_OK)
		goto done;
	if (fwrite(r.text, 1, r.len, out.f) != r.len) {
		rc = out_fail(&out);
		goto done;
	}
	rc = out_commit(&out);
done:
	fc_diags_free(&d);
	fc_calib_test_free(&r);
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
	if (st != FC_OK)   /* a malformed data file is bad input; one unreadable is not */
		return st == FC_ENOMEM ? cli_oom() : st == FC_EIO ? EXIT_RUNTIME : EXIT_USAGE;
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
