/*
 * bench_opts.c: the options of `flatcost bench`, one table, each number
 * checked, the checks across options, and --from-scenario's load.
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_int.h"
#include "benchstat.h"
#include "cli.h"
#include "data.h"
#include "harness.h"
#include "modelref.h"
#include "probe.h"
#include "rng.h"
#include "server.h"
#include "stream.h"
#include "ynode.h"
#include <getopt.h>
#include "inputs.h"
#include "scenario.h"

int
bench_opt_api(void *ctx, const char *a)
{
	struct opts *o = ctx;

	if (strcmp(a, "ollama") == 0)
		o->api = API_OLLAMA;
	else if (strcmp(a, "openai") == 0)
		o->api = API_OPENAI;
	else
		return cli_usage_error(CMD, "--api: expected ollama or openai, not '%s'", a);
	return 0;
}

int
bench_opt_api_key_env(void *ctx, const char *a)
{
	struct opts *o = ctx;
	const char *key = getenv(a);
	size_t n;

	if (key == NULL || *key == '\0')
		return cli_usage_error(CMD, "--api-key-env: $%s is not set", a);
	n = strlen(key) + sizeof("Authorization: Bearer ");
	fc_free(o->auth);
	if ((o->auth = fc_malloc(n)) == NULL)
		return cli_oom();
	snprintf(o->auth, n, "Authorization: Bearer %s", key);
	return 0;
}

int
bench_opt_concurrency(void *ctx, const char *a)
{
	struct opts *o = ctx;
	char err[256];

	o->n_levels = fc_benchstat_levels_parse(a, 1024, o->levels, MAX_LEVELS,
	    err, sizeof(err));
	if (o->n_levels < 0)
		return cli_usage_error(CMD, "--concurrency: %s", err);
	o->has_conc = 1;
	return 0;
}

int
bench_opt_endpoint(void *ctx, const char *a)
{
	struct opts *o = ctx;

	if (strcmp(a, "chat") != 0 && strcmp(a, "completion") != 0)
		return cli_usage_error(CMD, "--endpoint: expected completion or chat, "
		    "not '%s'", a);
	o->chat = strcmp(a, "chat") == 0;
	return 0;
}

int
bench_opt_format(void *ctx, const char *a)
{
	struct opts *o = ctx;
	static const char *const names[] = { "table", "json", "csv", "md" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(a, names[i]) == 0) {
			o->fmt = (enum fmt)i;
			return 0;
		}
	return cli_usage_error(CMD, "--format: expected table, json, csv or md, "
	    "not '%s'", a);
}

/* "N~CV": a mean of N tokens (1 to 10^6) drawn per request with that
 * coefficient of variation (0 to 10).  Returns 0, or -1. */
static int
parse_len_cv(const char *a, long *n, double *cv)
{
	char *end;

	errno = 0;
	*n = strtol(a, &end, 10);
	if (end == a || *end != '~' || errno || *n < 1 || *n > 1000000)
		return -1;
	a = end + 1;
	if (fc_ynode_parse_double(a, cv) != 0 || *cv < 0 || *cv > 10)
		return -1;
	return 0;
}

/* --output-tokens N or N~CV */
int
bench_opt_output(void *ctx, const char *a)
{
	struct opts *o = ctx;

	if (strchr(a, '~') != NULL) {
		if (parse_len_cv(a, &o->output_tokens, &o->output_cv) != 0)
			return cli_usage_error(CMD, "--output-tokens: expected N or "
			    "MEAN~CV such as 200~0.5 (a mean of 1 to 1000000 and a CV "
			    "of 0 to 10), not '%s'", a);
		return 0;
	}
	return arg_long(CMD, "--output-tokens", a, 1, 1000000, &o->output_tokens) ?
	    EXIT_USAGE : 0;
}

/* --input-tokens N, N~CV, or a list of prompt lengths (a context curve) */
int
bench_opt_input(void *ctx, const char *a)
{
	struct opts *o = ctx;
	char err[256];

	if (strchr(a, '~') != NULL) {
		if (parse_len_cv(a, &o->input_tokens, &o->input_cv) != 0)
			return cli_usage_error(CMD, "--input-tokens: expected N, a list, "
			    "or MEAN~CV such as 800~0.5 (a mean of 1 to 1000000 and a "
			    "CV of 0 to 10), not '%s'", a);
		o->inputs[0] = o->input_tokens;
		o->n_inputs = 1;
		return 0;
	}
	o->n_inputs = fc_benchstat_levels_parse(a, 1000000, o->inputs,
	    MAX_INPUTS, err, sizeof(err));
	if (o->n_inputs < 0)
		return cli_usage_error(CMD, "--input-tokens: %s (expected N or a "
		    "list such as 32,256,1024)", err);
	o->input_tokens = o->inputs[0];
	return 0;
}

int
bench_opt_kind(void *ctx, const char *a)
{
	struct opts *o = ctx;

	if (strcmp(a, "cpu") != 0 && strcmp(a, "gpu") != 0)
		return cli_usage_error(CMD, "--kind: expected cpu or gpu, not '%s'", a);
	o->kind = a;
	return 0;
}

int
bench_opt_quant(void *ctx, const char *a)
{
	struct opts *o = ctx;

	if ((o->quant = fc_quant_index(a)) < 0)
		return cli_usage_error(CMD, "--quant: expected q4_0, q4_k_m, q8_0 or "
		    "f16, not '%s'", a);
	return 0;
}

int
bench_opt_rate(void *ctx, const char *a)
{
	struct opts *o = ctx;
	char err[256];

	o->n_rates = fc_benchstat_rates_parse(a, 1e6, o->rates, MAX_LEVELS, err,
	    sizeof(err));
	if (o->n_rates < 0)
		return cli_usage_error(CMD, "--rate: %s", err);
	return 0;
}

int
bench_opt_slo(void *ctx, const char *a)
{
	struct opts *o = ctx;
	char err[256];

	if (fc_benchstat_slo_parse(a, &o->slo, err, sizeof(err)))
		return cli_usage_error(CMD, "--slo: %s", err);
	o->has_slo = 1;
	return 0;
}

int
bench_mark_hourly(void *ctx, const char *a)
{
	struct opts *o = ctx;

	(void)a;
	o->has_hourly = 1;
	return 0;
}

int
bench_mark_monthly(void *ctx, const char *a)
{
	struct opts *o = ctx;

	(void)a;
	o->has_monthly = 1;
	return 0;
}

/* --url: http(s) and well formed (a malformed URL is the user's: exit 2,
 * not a connection failure, 'http://[::1'). */
static int
check_url(const char *url)
{
	CURLU *u;
	CURLUcode uc;

	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return cli_usage_error(CMD, "--url: expected http://HOST:PORT, not "
		    "'%s'", url);
	u = curl_url();
	uc = u ? curl_url_set(u, CURLUPART_URL, url, 0) : CURLUE_OUT_OF_MEMORY;
	curl_url_cleanup(u);
	if (uc == CURLUE_OUT_OF_MEMORY)
		return cli_oom();
	if (uc != CURLUE_OK)
		return cli_usage_error(CMD, "--url: '%s' is not a valid URL (%s)",
		    url, curl_url_strerror(uc));
	return 0;
}

/* Options that exclude or need each other. */
static int
check_combos(const struct opts *o)
{
	if (o->model == NULL)
		return cli_usage_error(CMD, "--model NAME is required with --url");
	if (o->has_conc && o->n_rates)
		return cli_usage_error(CMD, "--concurrency and --rate exclude each other");
	if (o->requests && o->duration > 0)
		return cli_usage_error(CMD, "--requests and --duration exclude each other");
	if (o->profile && o->n_rates)
		return cli_usage_error(CMD, "--profile needs closed-loop levels "
		    "(--concurrency), not --rate");
	if (o->n_inputs * (o->n_rates ? o->n_rates : o->has_conc ? o->n_levels : 3) >
	    MAX_LEVELS)
		return cli_usage_error(CMD, "--input-tokens x levels: at most %d "
		    "measured levels in all", MAX_LEVELS);
	if (o->turns > 1 && o->n_rates)
		return cli_usage_error(CMD, "--turns runs conversations on closed-loop "
		    "streams: give --concurrency, not --rate");
	if (o->arrival_cv != 1 && !o->n_rates)
		return cli_usage_error(CMD, "--arrival-cv shapes open-loop arrivals: "
		    "give --rate");
	return 0;
}

/* --search-slo's needs. */
static int
check_search(const struct opts *o)
{
	if (!o->search_slo)
		return 0;
	if (!o->has_slo)
		return cli_usage_error(CMD, "--search-slo needs --slo (ttft, tpot "
		    "and/or e2e bounds)");
	if (o->duration > 0)
		return cli_usage_error(CMD, "--search-slo needs --requests per "
		    "level, not --duration");
	if (o->n_inputs > 1 || o->repeat > 1)
		return cli_usage_error(CMD, "--search-slo runs one prompt length "
		    "once per level (no --input-tokens list, no --repeat)");
	return 0;
}

/* The levels (default 1, 2, 4) against --requests and --profile. */
static int
check_levels(struct opts *o)
{
	int i, has1 = 0;

	if (!o->has_conc && !o->n_rates) {
		o->levels[0] = 1;
		o->levels[1] = 2;
		o->levels[2] = 4;
		o->n_levels = 3;
	}
	/* a level of C streams fed fewer than C requests never runs C at
	 * once: it would measure a lower concurrency under C's name */
	for (i = 0; o->requests && !o->search_slo && !o->n_rates &&
	    i < o->n_levels; i++)
		if (o->requests < o->levels[i])
			return cli_usage_error(CMD, "--requests %ld is below "
			    "concurrency %ld: such a level never runs %ld streams at "
			    "once (give at least %ld; the default is %d x the "
			    "concurrency, at least %d)", o->requests, o->levels[i],
			    o->levels[i], o->levels[i], FC_HARNESS_REQ_PER_STREAM,
			    FC_HARNESS_REQ_MIN);
	for (i = 0; i < o->n_levels; i++)
		has1 |= o->levels[i] == 1;
	if (o->profile && !has1)
		return cli_usage_error(CMD, "--profile needs concurrency 1 among the "
		    "levels (the single-stream decode rate)");
	return 0;
}

/* The checks that involve several options, once all are read. */
int
bench_check_opts(struct opts *o)
{
	const char *ins[] = { o->from_scenario, o->compare };
	const char *outs[] = { o->outpath, o->profile };
	size_t n;
	int rc;

	if ((rc = cli_io_claim(ins, 2, outs, 2)) != EXIT_OK)
		return rc;
	if (o->url == NULL) {
		if (!o->probe)
			return cli_usage_error(CMD, "--url URL (or --probe) is required");
		if (o->profile)
			return cli_usage_error(CMD, "--profile needs a measurement (--url)");
		return 0;
	}
	if ((rc = check_url(o->url)) != 0 || (rc = check_combos(o)) != 0 ||
	    (rc = check_search(o)) != 0 || (rc = check_levels(o)) != 0)
		return rc;
	if ((o->base = fc_strdup(o->url)) == NULL)
		return cli_oom();
	n = strlen(o->base);
	while (n > 8 && o->base[n - 1] == '/')
		o->base[--n] = '\0';
	if (o->model_id == NULL)
		o->model_id = o->model;
	return 0;
}

/*
 * --from-scenario FILE: the load of a scenario's month 1, as its means:
 * input tokens per call (with its context growth) and their CV, output
 * tokens and their CV, arrival_cv (open loop) and cached_share as the
 * shared prefix of every prompt.  Its chaining is recorded: bench sends
 * independent calls.  Excludes the options it sets.
 */
int
bench_apply_scenario(struct opts *o, const char *const *argv, int argc)
{
	static const char *const owned[] = { "--input-tokens", "--output-tokens",
	    "--arrival-cv", "--shared-prefix" };
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_inputs in;
	size_t k;
	int i, rc;

	for (i = 1; i < argc; i++)
		for (k = 0; k < sizeof(owned) / sizeof(owned[0]); k++)
			if (strncmp(argv[i], owned[k], strlen(owned[k])) == 0)
				return cli_usage_error(CMD, "--from-scenario sets %s: "
				    "give one or the other", owned[k]);
	if ((rc = load_scenario(o->from_scenario, NULL, 0, &cat, &s)) != EXIT_OK) {
		fc_catalog_free(cat);
		return rc;
	}
	fc_inputs_mean(s, 1, &in);
	o->input_tokens = o->inputs[0] = (long)floor(in.input_tokens + 0.5) > 0 ?
	    (long)floor(in.input_tokens + 0.5) : 1;
	o->n_inputs = 1;
	o->output_tokens = (long)floor(in.output_tokens + 0.5) > 0 ?
	    (long)floor(in.output_tokens + 0.5) : 1;
	o->input_cv = in.input_cv;
	o->output_cv = in.output_cv;
	o->arrival_cv = o->n_rates ? in.arrival_cv : 1;
	o->shared_prefix = in.cached_share < 0.99 ? in.cached_share : 0.99;
	o->from_chaining = in.chaining;
	fc_scenario_free(s);
	fc_catalog_free(cat);
	if (o->arrival_cv <= 0)
		o->arrival_cv = 1;
	return EXIT_OK;
}
