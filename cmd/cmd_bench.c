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

/* ---- options: one table drives the parser, the parsing and the ranges ---- */

/*
 * Each value is stored by cli_opt_store(): a string, a number within
 * [lo, hi] (and a hook after it), a constant (lo), or a parser of its own.
 * Form 0 of the synopsis is a measurement (--url), form 1 --probe.
 */
#define OFF(f) offsetof(struct opts, f)
#define ROW(n, a, st, f, l, h, fn_, help_, fl, fm) { .name = (n), .arg = (a), \
	.help = (help_), .flags = (fl), .forms = (fm), .store = (st), .off = (f), \
	.lo = (l), .hi = (h), .fn = (fn_) }
#define M 1        /* the measurement's form */
#define P 2        /* --probe's */
const struct cli_opt cli_bench_opts[] = {
	ROW("url", "URL", CLI_S_STR, OFF(url), 0, 0, NULL, "the server's base URL", CLI_OF_IN_HEAD, M),
	ROW("api", "ollama|openai", CLI_S_FN, 0, 0, 0, bench_opt_api,
	    "the server's API (default: discovered)", CLI_OF_IN_HEAD, M),
	ROW("model", "NAME", CLI_S_STR, OFF(model), 0, 0, NULL, "the model the server runs",
	    CLI_OF_IN_HEAD, M),
	ROW("probe", NULL, CLI_S_SET, OFF(probe), 1, 0, NULL,
	    "measure this machine and predict speeds by the roofline", CLI_OF_IN_HEAD, P),
	ROW("endpoint", "completion|chat", CLI_S_FN, 0, 0, 0, bench_opt_endpoint,
	    "the OpenAI endpoint (default completion)", 0, M),
	ROW("api-key-env", "VAR", CLI_S_FN, 0, 0, 0, bench_opt_api_key_env,
	    "send $VAR as the bearer token", 0, M),
	ROW("concurrency", "LIST", CLI_S_FN, 0, 0, 0, bench_opt_concurrency,
	    "closed-loop levels of concurrent streams (default 1,2,4)", 0, M),
	ROW("rate", "LIST", CLI_S_FN, 0, 0, 0, bench_opt_rate,
	    "open-loop levels of requests per second", CLI_OF_OR, M),
	ROW("requests", "N", CLI_S_LONG, OFF(requests), 1, 10000000, NULL,
	    "requests per level", 0, M),
	ROW("duration", "S", CLI_S_DOUBLE, OFF(duration), 0.1, FC_SECONDS_PER_DAY, NULL,
	    "seconds per level", CLI_OF_OR, M),
	ROW("input-tokens", "N|N~CV|LIST", CLI_S_FN, 0, 0, 0, bench_opt_input,
	    "prompt tokens: a length, a mean and CV, or a context curve (default 128)", 0, M | P),
	ROW("output-tokens", "N|N~CV", CLI_S_FN, 0, 0, 0, bench_opt_output,
	    "tokens generated per request (default 64)", 0, M | P),
	ROW("warmup", "N", CLI_S_LONG, OFF(warmup), 0, 1000, NULL,
	    "requests before measuring (default 1)", 0, M),
	ROW("repeat", "N", CLI_S_LONG, OFF(repeat), 1, 1000, NULL,
	    "runs of every level, for the spread (default 1)", 0, M),
	ROW("timeout", "S", CLI_S_DOUBLE, OFF(timeout), 0.1, 3600, NULL,
	    "seconds to connect and for the first byte (default 30)", 0, M),
	ROW("request-timeout", "S", CLI_S_DOUBLE, OFF(request_timeout), 0.1,
	    FC_SECONDS_PER_DAY * 7, NULL, "seconds a whole request may take", 0, M),
	ROW("search-slo", NULL, CLI_S_SET, OFF(search_slo), 1, 0, NULL,
	    "search the highest level that meets --slo", 0, M),
	ROW("attainment", "X", CLI_S_DOUBLE, OFF(attainment), 0.01, 1, NULL,
	    "the share of requests that must meet --slo (default 0.9)", CLI_OF_NEST, M),
	ROW("arrival-cv", "X", CLI_S_DOUBLE, OFF(arrival_cv), 0, 20, NULL,
	    "the open-loop arrivals' coefficient of variation (default 1)", 0, M),
	ROW("shared-prefix", "SHARE", CLI_S_DOUBLE, OFF(shared_prefix), 0, 0.99, NULL,
	    "the share of every prompt that is a common prefix", 0, M),
	ROW("from-scenario", "FILE", CLI_S_STR, OFF(from_scenario), 0, 0, NULL,
	    "take the load's shape from a scenario's month 1", 0, M),
	ROW("turns", "N", CLI_S_LONG, OFF(turns), 1, 32, NULL,
	    "turns of a conversation per stream (default 1)", 0, M),
	ROW("max-errors", "N", CLI_S_LONG, OFF(max_errors), 0, 1000000, NULL,
	    "failed requests before a level is given up", 0, M),
	ROW("slo", "ttft=2s,tpot=200ms", CLI_S_FN, 0, 0, 0, bench_opt_slo,
	    "the objective: ttft, tpot and/or e2e bounds", 0, M),
	ROW("seed", "N", CLI_S_LONG, OFF(seed), 0, 2147483647L, NULL,
	    "the random seed of lengths and arrivals (default 1)", 0, M),
	ROW("no-ignore-eos", NULL, CLI_S_SET, OFF(ignore_eos), 0, 0, NULL,
	    "let the model stop before --output-tokens", 0, M),
	ROW("profile", "FILE.yaml", CLI_S_STR, OFF(profile), 0, 0, NULL,
	    "also write a hardware profile simulate reads", 0, M),
	ROW("model-id", "ID", CLI_S_STR, OFF(model_id), 0, 0, NULL,
	    "the profile's model (default: --model)", 0, M),
	ROW("params-b", "X", CLI_S_DOUBLE, OFF(params_b), 1e-6, 1e5, NULL,
	    "the model's parameters, in billions", 0, M),
	ROW("weights-gb", "X", CLI_S_DOUBLE, OFF(weights_gb), 1e-6, 1e5, NULL,
	    "the model's weights, in GB", 0, M),
	ROW("like", "MODEL", CLI_S_STR, OFF(like), 0, 0, NULL,
	    "take the model's size from a catalog model", 0, M),
	ROW("gguf", "FILE", CLI_S_STR, OFF(gguf), 0, 0, NULL,
	    "take the model's size from its GGUF file", 0, M),
	ROW("threads", "N", CLI_S_LONG, OFF(threads), 1, 4096, NULL,
	    "the server's threads, for the profile", 0, M),
	ROW("kind", "cpu|gpu", CLI_S_FN, 0, 0, 0, bench_opt_kind,
	    "the profile's hardware kind (default cpu)", 0, M),
	ROW("monthly-price", "USD", CLI_S_DOUBLE, OFF(monthly), 0, 1e7, bench_mark_monthly,
	    "the server's monthly price, for the profile", 0, M),
	ROW("hourly-price", "USD", CLI_S_DOUBLE, OFF(hourly), 0, 1e6, bench_mark_hourly,
	    "the server's hourly price, for the profile", 0, M),
	ROW("ram-gb", "GB", CLI_S_DOUBLE, OFF(ram_gb), 0.001, 1e6, NULL,
	    "the server's memory, for the profile", 0, M),
	ROW("host-facts", NULL, CLI_S_SET, OFF(host_facts), 1, 0, NULL,
	    "record this host's CPU and memory in the profile", 0, M),
	ROW("no-host-facts", NULL, CLI_S_SET, OFF(host_facts), 0, 0, NULL,
	    "do not record them", CLI_OF_OR, M),
	ROW("probe-threads", "N", CLI_S_LONG, OFF(probe_threads), 1, 256, NULL,
	    "the probe's threads (default: one per CPU)", 0, P),
	ROW("probe-mb", "N", CLI_S_LONG, OFF(probe_mb), 1, 1L << 20, NULL,
	    "the probe's buffer in MB (default 512)", 0, P),
	ROW("quant", "q4_0|q4_k_m|q8_0|f16", CLI_S_FN, 0, 0, 0, bench_opt_quant,
	    "the weights' format the prediction assumes (default q4_k_m)", 0, P),
	ROW("compare", "PROFILE", CLI_S_STR, OFF(compare), 0, 0, NULL,
	    "set the prediction beside a measured profile", 0, P),
	ROW("format", "table|json|csv|md", CLI_S_FN, 0, 0, 0, bench_opt_format,
	    "the report's format (default table)", 0, M | P),
	{ .name = "output", .code = 'o', .arg = "FILE", .help = "write the report to FILE "
	  "instead of standard output", .forms = M | P, .store = CLI_S_STR, .off = OFF(outpath) },
	CLI_OPTS_END,
};
#undef OFF
#undef ROW
#undef M
#undef P

/* Reads the command line into o; returns 0, -1 after --help, or an exit
 * status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	struct cli_getopt g;
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
	cli_getopt_init(&g, cli_bench_opts, argc, argv);
	while ((c = cli_getopt(&g)) != -1) {
		if (g.entry == NULL)
			return cli_bad_option(CMD, c, argv);
		if (g.entry == &cli_help_opt) {
			cli_help(CMD);
			return -1;
		}
		if ((rc = cli_opt_store(CMD, g.entry, o, optarg)) != 0)
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
