/*
 * cmd_bench.c: `flatcost bench`, the throughput harness.  It drives a live
 * inference server (Ollama's NDJSON API or an OpenAI-compatible SSE API)
 * with many concurrent streams from one thread through libcurl's multi
 * interface, measures each stream with the client's clock, keeps the
 * server's own figures beside them, and writes a report and, on request,
 * a hardware profile that `flatcost simulate` reads.  `--probe` measures
 * this machine's memory bandwidth and arithmetic rate and predicts decode
 * and prefill speeds by the roofline instead (or as well).
 *
 * This file owns the option table and the run; the option parsers are
 * bench_opts.c's, discovery bench_http.c's, the requests bench_request.c's,
 * the streams bench_stream.c's, the load bench_load.c's, the report and
 * the profile bench_report.c's; the pure parts (statistics, the overlap,
 * the SLO search) model/benchstat.c's and model/harness.c's.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_int.h"
#include "cli.h"
#include "probe.h"
#include "ynode.h"

static const char usage[] =
    "usage: flatcost bench --url URL [--api ollama|openai] --model NAME [--endpoint completion|chat]\n"
    "                      [--api-key-env VAR]\n"
    "                      [--concurrency LIST | --rate LIST] [--requests N | --duration S]\n"
    "                      [--input-tokens N] [--output-tokens N] [--warmup N] [--repeat N]\n"
    "                      [--timeout S] [--request-timeout S] [--search-slo [--attainment X]]\n"
    "                      [--input-tokens N~CV] [--output-tokens N~CV] [--arrival-cv X]\n"
    "                      [--shared-prefix SHARE] [--from-scenario FILE] [--turns N]\n"
    "                      [--max-errors N] [--slo ttft=2s,tpot=200ms] [--seed N] [--no-ignore-eos]\n"
    "                      [--profile FILE.yaml] [--model-id ID] [--params-b X] [--weights-gb X]\n"
    "                      [--like MODEL] [--gguf FILE] [--threads N] [--kind cpu|gpu] [--monthly-price USD]\n"
    "                      [--hourly-price USD] [--ram-gb GB] [--host-facts | --no-host-facts]\n"
    "                      [--format table|json|csv|md] [-o FILE]\n"
    "       flatcost bench --probe [--probe-threads N] [--probe-mb N] [--quant Q] [--compare PROFILE]\n"
    "                      [--input-tokens N] [--output-tokens N] [--format ...] [-o FILE]\n";

/* ---- options: one table drives getopt_long, the parsing and the ranges ---- */

/* How a row's value is stored: a string, a number within [lo, hi], a
 * constant (lo) stored in an int, or a parser of its own. */
enum okind { K_HELP, K_STR, K_LONG, K_DOUBLE, K_SET, K_FN };

/* A parser for a K_FN row, or a hook run after a K_LONG/K_DOUBLE row has
 * stored its value; returns 0 or an exit status. */
typedef int (*opt_fn)(struct opts *o, const char *arg);

struct optrow {
	const char *name;
	int has_arg;
	enum okind kind;
	size_t off;               /* the field in struct opts */
	double lo, hi;            /* K_LONG, K_DOUBLE: the range; K_SET: the value */
	opt_fn fn;
	int shortopt;             /* 'h', 'o', or 0 */
};

#define OFF(f) offsetof(struct opts, f)
static const struct optrow rows[] = {
	{ "api",             required_argument, K_FN,     0, 0, 0, bench_opt_api, 0 },
	{ "arrival-cv",      required_argument, K_DOUBLE, OFF(arrival_cv), 0, 20, NULL, 0 },
	{ "api-key-env",     required_argument, K_FN,     0, 0, 0, bench_opt_api_key_env, 0 },
	{ "attainment",      required_argument, K_DOUBLE, OFF(attainment), 0.01, 1, NULL, 0 },
	{ "compare",         required_argument, K_STR,    OFF(compare), 0, 0, NULL, 0 },
	{ "concurrency",     required_argument, K_FN,     0, 0, 0, bench_opt_concurrency, 0 },
	{ "duration",        required_argument, K_DOUBLE, OFF(duration), 0.1, FC_SECONDS_PER_DAY, NULL, 0 },
	{ "endpoint",        required_argument, K_FN,     0, 0, 0, bench_opt_endpoint, 0 },
	{ "format",          required_argument, K_FN,     0, 0, 0, bench_opt_format, 0 },
	{ "from-scenario",   required_argument, K_STR,    OFF(from_scenario), 0, 0, NULL, 0 },
	{ "gguf",            required_argument, K_STR,    OFF(gguf), 0, 0, NULL, 0 },
	{ "help",            no_argument,       K_HELP,   0, 0, 0, NULL, 'h' },
	{ "host-facts",      no_argument,       K_SET,    OFF(host_facts), 1, 0, NULL, 0 },
	{ "hourly-price",    required_argument, K_DOUBLE, OFF(hourly), 0, 1e6, bench_mark_hourly, 0 },
	{ "input-tokens",    required_argument, K_FN,     0, 0, 0, bench_opt_input, 0 },
	{ "kind",            required_argument, K_FN,     0, 0, 0, bench_opt_kind, 0 },
	{ "like",            required_argument, K_STR,    OFF(like), 0, 0, NULL, 0 },
	{ "max-errors",      required_argument, K_LONG,   OFF(max_errors), 0, 1000000, NULL, 0 },
	{ "model",           required_argument, K_STR,    OFF(model), 0, 0, NULL, 0 },
	{ "model-id",        required_argument, K_STR,    OFF(model_id), 0, 0, NULL, 0 },
	{ "monthly-price",   required_argument, K_DOUBLE, OFF(monthly), 0, 1e7, bench_mark_monthly, 0 },
	{ "no-host-facts",   no_argument,       K_SET,    OFF(host_facts), 0, 0, NULL, 0 },
	{ "no-ignore-eos",   no_argument,       K_SET,    OFF(ignore_eos), 0, 0, NULL, 0 },
	{ "output",          required_argument, K_STR,    OFF(outpath), 0, 0, NULL, 'o' },
	{ "output-tokens",   required_argument, K_FN,     0, 0, 0, bench_opt_output, 0 },
	{ "params-b",        required_argument, K_DOUBLE, OFF(params_b), 1e-6, 1e5, NULL, 0 },
	{ "probe",           no_argument,       K_SET,    OFF(probe), 1, 0, NULL, 0 },
	{ "probe-mb",        required_argument, K_LONG,   OFF(probe_mb), 1, 1L << 20, NULL, 0 },
	{ "probe-threads",   required_argument, K_LONG,   OFF(probe_threads), 1, 256, NULL, 0 },
	{ "profile",         required_argument, K_STR,    OFF(profile), 0, 0, NULL, 0 },
	{ "quant",           required_argument, K_FN,     0, 0, 0, bench_opt_quant, 0 },
	{ "ram-gb",          required_argument, K_DOUBLE, OFF(ram_gb), 0.001, 1e6, NULL, 0 },
	{ "rate",            required_argument, K_FN,     0, 0, 0, bench_opt_rate, 0 },
	{ "repeat",          required_argument, K_LONG,   OFF(repeat), 1, 1000, NULL, 0 },
	{ "request-timeout", required_argument, K_DOUBLE, OFF(request_timeout), 0.1, FC_SECONDS_PER_DAY * 7, NULL, 0 },
	{ "requests",        required_argument, K_LONG,   OFF(requests), 1, 10000000, NULL, 0 },
	{ "search-slo",      no_argument,       K_SET,    OFF(search_slo), 1, 0, NULL, 0 },
	{ "seed",            required_argument, K_LONG,   OFF(seed), 0, 2147483647L, NULL, 0 },
	{ "shared-prefix",   required_argument, K_DOUBLE, OFF(shared_prefix), 0, 0.99, NULL, 0 },
	{ "slo",             required_argument, K_FN,     0, 0, 0, bench_opt_slo, 0 },
	{ "threads",         required_argument, K_LONG,   OFF(threads), 1, 4096, NULL, 0 },
	{ "timeout",         required_argument, K_DOUBLE, OFF(timeout), 0.1, 3600, NULL, 0 },
	{ "turns",           required_argument, K_LONG,   OFF(turns), 1, 32, NULL, 0 },
	{ "url",             required_argument, K_STR,    OFF(url), 0, 0, NULL, 0 },
	{ "warmup",          required_argument, K_LONG,   OFF(warmup), 0, 1000, NULL, 0 },
	{ "weights-gb",      required_argument, K_DOUBLE, OFF(weights_gb), 1e-6, 1e5, NULL, 0 },
};
#undef OFF
#define N_ROWS (sizeof(rows) / sizeof(rows[0]))
#define ROW_VAL 256           /* getopt_long's value for rows[i]: ROW_VAL + i */

/* Stores one option's value; returns 0, -1 for --help, or an exit status. */
static int
apply_row(const struct optrow *r, const char *arg, struct opts *o)
{
	char *field = (char *)o + r->off, opt[40];
	int rc = 0;

	snprintf(opt, sizeof(opt), "--%s", r->name);
	switch (r->kind) {
	case K_HELP:
		fputs(usage, stdout);
		return -1;
	case K_STR:
		*(const char **)(void *)field = arg;
		return 0;
	case K_SET:
		*(int *)(void *)field = (int)r->lo;
		return 0;
	case K_LONG:
		rc = arg_long(CMD, opt, arg, (long)r->lo, (long)r->hi,
		    (long *)(void *)field);
		break;
	case K_DOUBLE:
		rc = arg_double(CMD, opt, arg, r->lo, r->hi, (double *)(void *)field);
		break;
	case K_FN:
		return r->fn(o, arg);
	}
	if (rc == 0 && r->fn != NULL)
		rc = r->fn(o, arg);
	return rc ? EXIT_USAGE : 0;
}

/* Reads the command line into o; returns 0, -1 after --help, or an exit
 * status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	struct option longopts[N_ROWS + 1];
	size_t i;
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->input_tokens = o->inputs[0] = 128;
	o->n_inputs = 1;
	o->output_tokens = 64;
	o->warmup = 1;
	o->seed = 1;
	o->timeout = 30;
	o->repeat = 1;
	o->arrival_cv = 1;
	o->turns = 1;
	o->attainment = 0.9;
	o->ignore_eos = 1;
	o->host_facts = -1;
	o->kind = "cpu";
	o->probe_mb = 512;
	o->quant = 1;      /* q4_k_m */
	o->api = API_AUTO;
	memset(longopts, 0, sizeof(longopts));
	for (i = 0; i < N_ROWS; i++) {
		longopts[i].name = rows[i].name;
		longopts[i].has_arg = rows[i].has_arg;
		longopts[i].val = rows[i].shortopt ? rows[i].shortopt : ROW_VAL + (int)i;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		const struct optrow *r = NULL;

		if (c >= ROW_VAL && c < ROW_VAL + (int)N_ROWS)
			r = &rows[c - ROW_VAL];
		for (i = 0; r == NULL && c > 0 && i < N_ROWS; i++)
			if (rows[i].shortopt == c)
				r = &rows[i];
		if (r == NULL)
			return cli_bad_option(CMD, c, argv);
		if ((rc = apply_row(r, optarg, o)) != 0)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	return bench_check_opts(o);
}

/* ---- small helpers ---- */

/*
 * While the load runs, SIGINT and SIGTERM only set cli_interrupted: the
 * loop stops, drops the requests in flight and keeps what was measured.
 * A second signal ends the process at once.  The front end's own handler
 * (which removes temporary files and dies) is back before output is
 * written.
 */
static void
on_signal(int sig)
{
	if (cli_interrupted) {
		if (sig == SIGTERM)
			_exit(EXIT_RUNTIME);
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	cli_interrupted = sig;
}

struct saved_signals {
	struct sigaction intr, term;
};

static void
catch_signals(struct saved_signals *sv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &sv->intr);
	sigaction(SIGTERM, &sa, &sv->term);
}

static void
restore_signals(const struct saved_signals *sv)
{
	sigaction(SIGINT, &sv->intr, NULL);
	sigaction(SIGTERM, &sv->term, NULL);
}

/* Today's date (UTC), or SOURCE_DATE_EPOCH's for reproducible output. */
static void
today(char *out, size_t n)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (sde != NULL && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0)
			t = (time_t)v;
	}
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* Is the URL's host this machine? */
static int
url_is_loopback(const char *url)
{
	const char *h = strstr(url, "://");

	h = h ? h + 3 : url;
	return strncmp(h, "127.", 4) == 0 || strncmp(h, "localhost", 9) == 0 ||
	    strncmp(h, "[::1]", 5) == 0;
}

/* Replies without a single output token measure nothing: a profile of 0
 * tok/s would price the flat fleet at infinity (a failure, not exit 0).
 * EXIT_OK when some level measured tokens, else says so and
 * returns EXIT_RUNTIME. */
static int
some_tokens(const struct opts *o, const struct level *levels, int n_lv)
{
	int i;

	for (i = 0; i < n_lv; i++)
		if (levels[i].measured && levels[i].st.ok > 0 &&
		    levels[i].st.output_tok_s > 0)
			return EXIT_OK;
	cli_err("bench: no reply carried an output token: nothing measured, "
	    "nothing written (does %s generate with this model?)", o->base);
	return EXIT_RUNTIME;
}

/* This machine's facts, when the server is on it (or --host-facts). */
static void
host_facts(const struct opts *o, struct report *rp)
{
	if (!o->url || !(o->host_facts == 1 ||
	    (o->host_facts == -1 && url_is_loopback(o->base))))
		return;
	if (fc_probe_host("/proc", &rp->host) == FC_OK) {
		rp->has_host = 1;
		if (gethostname(rp->hostname, sizeof(rp->hostname) - 1) != 0)
			snprintf(rp->hostname, sizeof(rp->hostname), "unknown");
	}
}

/* What is the server, does it know the model, and how large is it?
 * Returns an exit status. */
static int
discover(struct opts *o, struct fc_server_info *si)
{
	int rc;

	if (o->api == API_AUTO && (rc = bench_detect_api(o)) != EXIT_OK)
		return rc;
	rc = o->api == API_OLLAMA ? bench_discover_ollama(o, si) :
	    bench_discover_openai(o, si);
	if (rc != EXIT_OK)
		return rc;
	if (o->threads > 0)
		si->threads = o->threads;
	/* llama-server names its GGUF file: on this machine, its header
	 * gives the shape (--gguf names another) */
	if (!o->gguf && si->model_path[0] && url_is_loopback(o->base) &&
	    access(si->model_path, R_OK) == 0) {
		cli_warn("bench: the model's shape from %s (the file the server "
		    "names at /props)", si->model_path);
		if ((rc = bench_gguf_shape(si->model_path, si)) != EXIT_OK)
			return rc;
	}
	if ((rc = bench_fill_sizes(o, si)) != EXIT_OK)
		return rc;
	if (o->profile && (si->params_b <= 0 || si->weights_gb <= 0))
		return cli_usage_error(CMD, "--profile: the server does not report "
		    "the model's size; give --params-b and --weights-gb, --gguf FILE "
		    "or --like MODEL");
	return EXIT_OK;
}

/* The report's view of the run. */
static void
report_of(struct report *rp, const struct run *rn, struct level *levels,
    int n_lv)
{
	rp->levels = levels;
	rp->n_levels = n_lv;
	rp->partial = rn->stop != 0;
	rp->slo_best = rn->search.best;
	rp->slo_fail = rn->search.fail;
	rp->slo_capped = rn->search.lower_bound_only;
	rp->slo_improper = rn->search.improper;
	rp->stop_reason = rn->stop ? rn->stop_reason : NULL;
	bench_pick_prefill(rp);
}

/* The run stopped (a fault, an interrupt): what was measured is written,
 * marked partial.  Returns the exit status. */
static int
stopped(const struct opts *o, struct report *rp, const struct run *rn)
{
	int i, any = 0, sig;

	for (i = 0; i < rp->n_levels; i++)
		any |= rp->levels[i].measured && rp->levels[i].st.ok > 0;
	cli_err("bench: %s", rn->stop_reason);
	/* the interrupt is honoured (the load stopped); let the partial
	 * results be committed: out_commit() refuses while it is set */
	sig = cli_interrupted;
	if (rn->stop == 2)
		cli_interrupted = 0;
	if (any) {
		cli_err("bench: stopped early; the results so far are marked partial");
		bench_write_outputs(o, rp);
	} else {
		cli_err("bench: no request completed; nothing written");
	}
	return rn->stop == 2 && sig == SIGINT ? EXIT_SIGINT : EXIT_RUNTIME;
}

int
cmd_bench(int argc, char **argv)
{
	struct opts o;
	struct fc_server_info si;
	struct run rn;
	struct report rp;
	struct probe_out po;
	struct level levels[MAX_LEVELS];
	struct saved_signals sigs;
	int rc, i, n_lv = 0;

	memset(&si, 0, sizeof(si));
	memset(&rn, 0, sizeof(rn));
	memset(&rp, 0, sizeof(rp));
	memset(&po, 0, sizeof(po));
	memset(levels, 0, sizeof(levels));
	rc = parse_opts(argc, argv, &o);
	if (rc != 0) {
		fc_free(o.base);
		fc_free(o.auth);
		return rc < 0 ? EXIT_OK : rc;
	}
	if (o.from_scenario && (rc = bench_apply_scenario(&o, (const char *const *)argv,
	    argc)) != EXIT_OK) {
		fc_free(o.base);
		fc_free(o.auth);
		return rc;
	}
	rp.o = &o;
	rp.probe = &po;
	today(rp.date, sizeof(rp.date));
	if (o.compare && bench_load_compare(o.compare, &po) != EXIT_OK) {
		fc_free(o.base);
		fc_free(o.auth);
		return EXIT_USAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		cli_err("bench: cannot initialise libcurl");
		rc = EXIT_RUNTIME;
		goto out;
	}
	host_facts(&o, &rp);
	if (o.profile && o.ram_gb <= 0 && !(rp.has_host && rp.host.ram_gb > 0)) {
		rc = cli_usage_error(CMD, "--profile: the server's RAM is unknown (it "
		    "is not this machine): give --ram-gb, or --host-facts when it is");
		goto out_curl;
	}
	if (o.probe && (rc = bench_run_probe(&o, &po)) != EXIT_OK)
		goto out_curl;
	if (o.url == NULL) {
		rc = bench_write_outputs(&o, &rp);
		goto out_curl;
	}

	if ((rc = discover(&o, &si)) != EXIT_OK)
		goto out_curl;
	rp.si = &si;

	rn.o = &o;
	rn.si = &si;
	rn.rng = (uint64_t)o.seed * 0x9e3779b97f4a7c15ULL + 7;
	rn.len_rng = (uint64_t)o.seed * 0x9e3779b97f4a7c15ULL + 11;
	rn.multi = curl_multi_init();
	if (rn.multi == NULL) {
		rc = cli_oom();
		goto out_curl;
	}
	rn.out_tokens = o.output_tokens;
	catch_signals(&sigs);

	if (bench_measure(&rn, levels, &n_lv, &rp.input_measured) != 0) {
		rc = cli_oom();
		goto out_multi;
	}
	restore_signals(&sigs);
	report_of(&rp, &rn, levels, n_lv);

	if (rn.stop) {
		rc = stopped(&o, &rp, &rn);
		goto out_multi;
	}
	if ((rc = some_tokens(&o, levels, n_lv)) == EXIT_OK)
		rc = bench_write_outputs(&o, &rp);
out_multi:
	restore_signals(&sigs);
	bench_abort_all(&rn);
	curl_multi_cleanup(rn.multi);
	for (i = 0; i < n_lv; i++)
		bench_level_free(&levels[i]);
out_curl:
	curl_global_cleanup();
out:
	fc_free(po.models);
	fc_ynode_free(po.catalogue);
	fc_ynode_free(po.compare);
	fc_free(o.base);
	fc_free(o.auth);
	return rc;
}
