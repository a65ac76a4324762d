/*
 * cmd_data.c: `flatcost data [prices|hardware|models]`: the bundled
 * entries with their dates, warning about those older than 180 days.
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "data.h"
#include "data_import.h"
#include "report.h"
#include "schema.h"

#define STALE_DAYS 180

static long
age(const char *as_of, long today)
{
	long d = fc_schema_date_days(as_of);

	return d < 0 ? -1 : today - d;
}

static int
stale_mark(long a, size_t *nstale)
{
	if (a > STALE_DAYS) {
		(*nstale)++;
		return '!';
	}
	return ' ';
}

enum {
	OPT_FORMAT = CLI_OPT_OWN,
	OPT_FROM,
	OPT_AS_OF,
	OPT_USD_PER_EUR,
	OPT_LOCATION,
	OPT_HARDWARE,
	OPT_MODEL,
};

const struct cli_opt cli_data_opts[] = {
	CLI_OPTV("format", OPT_FORMAT, "table|json", "the listing's format (default table)", 0, 1),
	CLI_MC(CLI_MC_NO_USER_DATA),
	CLI_OPTV("from", OPT_FROM, "auto|models.dev|litellm|genai-prices|hetzner-pricing|llama-bench",
	    "the imported file's format (default auto)", 0, 2),
	CLI_OPTV("as-of", OPT_AS_OF, "DATE", "the imported entries' date (default today)", 0, 2),
	CLI_OPTV("usd-per-eur", OPT_USD_PER_EUR, "RATE", "the dollar rate of prices in EUR", 0, 2),
	CLI_OPTV("location", OPT_LOCATION, "LOC", "the location of imported hardware prices", 0, 2),
	CLI_OPTV("hardware", OPT_HARDWARE, "ID", "the hardware llama-bench ran on", CLI_OF_IN_HEAD, 4),
	CLI_OPTV("model", OPT_MODEL, "ID", "the model llama-bench ran", CLI_OF_IN_HEAD, 4),
	CLI_OPTS_END,
};

/* The prices section of the listing: a table row or a JSON entry each. */
static void
list_prices(const struct fc_catalog *cat, int json, json_t *root, long today,
    size_t *nstale_out)
{
	size_t i, nstale = 0;

	json_t *arr = json ? json_array() : NULL;
	if (!json)
		printf("API prices, USD per million tokens\n"
		    "  %-30s %8s %8s %8s %6s  %-10s %s\n", "id", "input", "cached",
		    "output", "batch", "as_of", "age");
	for (i = 0; i < cat->nprices; i++) {
		const struct fc_price *p = &cat->prices[i];
		long a = age(p->as_of, today);
		if (json) {
			json_array_append_new(arr, json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:s, s:s, s:I, s:b, s:s?, s:s?, s:s?}",
			    "id", p->id, "input", p->input, "cached_input", p->cached_input,
			    "cache_write", p->cache_write, "cache_write_1h", p->cache_write_1h,
			    "output", p->output, "batch_discount", p->batch_discount,
			    "as_of", p->as_of, "source", p->source, "age_days", (json_int_t)a,
			    "stale", a > STALE_DAYS, "shutdown", p->shutdown,
			    "successor", p->successor, "origin", p->origin));
			nstale += a > STALE_DAYS;
			continue;
		}
		printf("%c %-30s %8.3f %8.3f %8.3f %5.0f%%  %-10s %ldd%s%s%s\n",
		    stale_mark(a, &nstale), p->id, p->input, p->cached_input,
		    p->output, p->batch_discount * 100, p->as_of, a,
		    p->shutdown ? "  shutdown " : "", p->shutdown ? p->shutdown : "",
		    p->origin && strcmp(p->origin, "bundled") ? "  (user)" : "");
	}
	if (json)
		json_object_set_new(root, "prices", arr);
	*nstale_out += nstale;
}

/* The hardware section of the listing: a table row or a JSON entry each. */
static void
list_hardware(const struct fc_catalog *cat, const char *what, int json, json_t *root,
    long today, size_t *nstale_out)
{
	size_t i, nstale = 0;

	json_t *arr = json ? json_array() : NULL;
	if (!json)
		printf("%sHardware, USD per month\n  %-29s %4s %6s %6s %8s %-10s %7s %-10s %s\n",
		    strcmp(what, "all") ? "" : "\n", "id", "vCPU", "RAM", "VRAM",
		    "USD/mo", "basis", "GB/s", "as_of", "age");
	for (i = 0; i < cat->nhw; i++) {
		const struct fc_hw *h = &cat->hw[i];
		long a = age(h->as_of, today);
		if (json) {
			json_array_append_new(arr, json_pack("{s:s, s:s?, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:s?, s:f, s:s?, s:I, s:s, s:s, s:I, s:b}",
			    "id", h->id, "name", h->name, "kind", h->gpu ? "gpu" : "cpu",
			    "vcpu", h->vcpu, "ram_gb", h->ram_gb, "vram_gb", h->vram_gb,
			    "monthly_price", h->monthly_price, "hourly_price", h->hourly_price,
			    "mem_bandwidth_gbs", h->mem_bandwidth_gbs,
			    "mem_bandwidth_basis", h->mem_bandwidth_basis,
			    "compute_gflops", h->compute_gflops, "compute_basis", h->compute_basis,
			    "measured_points", (json_int_t)h->npoints,
			    "as_of", h->as_of, "source", h->source, "age_days", (json_int_t)a,
			    "stale", a > STALE_DAYS));
			json_object_set_new(json_array_get(arr, json_array_size(arr) - 1),
			    "origin", json_string(h->origin ? h->origin : "bundled"));
			json_object_set_new(json_array_get(arr, json_array_size(arr) - 1),
			    "memory", json_string(fc_memory_names[h->memory]));
			json_object_set_new(json_array_get(arr, json_array_size(arr) - 1),
			    "tensor_rate", json_string(fc_tensor_rate_names[h->tensor_rate]));
			{
				json_t *b = json_pack("{s:s?, s:s?}", "price_basis", h->price_basis,
				    "price_as_of", h->price_as_of);
				json_object_update(json_array_get(arr, json_array_size(arr) - 1), b);
				json_decref(b);
			}
			if (h->monthly_price_eur > 0)
				json_object_set_new(json_array_get(arr, json_array_size(arr) - 1),
				    "monthly_price_eur", json_real(h->monthly_price_eur));
			nstale += a > STALE_DAYS;
			continue;
		}
		printf("%c %-29s %4.0f %6.0f %6.0f %8.2f %-10s %7.1f %-10s %ldd%s%s\n",
		    stale_mark(a, &nstale), h->id, h->vcpu, h->ram_gb, h->vram_gb,
		    h->monthly_price, h->price_basis ? h->price_basis : "-",
		    h->mem_bandwidth_gbs, h->as_of, a,
		    h->npoints ? "  measured tok/s" : "",
		    h->origin && strcmp(h->origin, "bundled") ? "  (user)" : "");
	}
	if (json)
		json_object_set_new(root, "hardware", arr);
	*nstale_out += nstale;
}

/* The models section of the listing: a table row or a JSON entry each. */
static void
list_models(const struct fc_catalog *cat, const char *what, int json, json_t *root,
    long today, size_t *nstale_out)
{
	size_t i, nstale = 0;

	json_t *arr = json ? json_array() : NULL;
	int w = 14;	/* the id column: as wide as the longest id */

	for (i = 0; i < cat->nmodels; i++)
		if ((int)strlen(cat->models[i].id) > w)
			w = (int)strlen(cat->models[i].id);
	if (!json)
		printf("%sModels, GB of weights by quantization\n  %-*s %7s %7s %7s %7s %7s %9s %-10s %s\n",
		    strcmp(what, "all") ? "" : "\n", w, "id", "params", "q4_0", "q4_k_m",
		    "q8_0", "f16", "KV/token", "as_of", "age");
	for (i = 0; i < cat->nmodels; i++) {
		const struct fc_model *m = &cat->models[i];
		long a = age(m->as_of, today);
		if (json) {
			json_t *o = json_pack("{s:s, s:s?, s:f, s:{s:f, s:f, s:f, s:f}, s:s?, s:f, s:s, s:s, s:I, s:b}",
			    "id", m->id, "name", m->name, "params_b", m->params_b,
			    "weights_gb", "q4_0", m->weights_gb[0], "q4_k_m", m->weights_gb[1],
			    "q8_0", m->weights_gb[2], "f16", m->weights_gb[3],
			    "weights_basis", m->weights_basis,
			    "kv_bytes_per_token", m->kv_bytes_per_token,
			    "as_of", m->as_of, "source", m->source, "age_days", (json_int_t)a,
			    "stale", a > STALE_DAYS);
			if (o && m->active_params_b > 0)
				json_object_set_new(o, "active_params_b", json_real(m->active_params_b));
			if (o && m->experts_given)
				json_object_set_new(o, "experts", json_integer(m->experts));
			if (o) {
				json_t *e = json_array();
				int q;
				for (q = 0; q < FC_NQUANT; q++)
					if (m->weights_estimated & (1u << q))
						json_array_append_new(e, json_string(fc_quant_names[q]));
				json_object_set_new(o, "weights_estimated", e);
			}
			json_array_append_new(arr, o);
			nstale += a > STALE_DAYS;
			continue;
		}
		printf("%c %-*s %6.2fB %7.2f %7.2f %7.2f %7.2f %7.0f B %-10s %ldd\n",
		    stale_mark(a, &nstale), w, m->id, m->params_b, m->weights_gb[0],
		    m->weights_gb[1], m->weights_gb[2], m->weights_gb[3],
		    m->kv_bytes_per_token, m->as_of, a);
	}
	if (json)
		json_object_set_new(root, "models", arr);
	*nstale_out += nstale;
}

/* The listing of what (all, prices, hardware or models) as a table or JSON. */
static int
data_list(const char *what, int json)
{
	struct fc_catalog *cat = NULL;
	struct fc_diags d;
	size_t nstale = 0;
	long today = cli_today();
	enum fc_status st;
	json_t *root = NULL;
	int rc = EXIT_OK;

	fc_diags_init(&d);
	st = cli_catalog_load(&cat, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK)
		return cli_failed(st);
	if (json)
		root = json_object();
	if (!strcmp(what, "all") || !strcmp(what, "prices"))
		list_prices(cat, json, root, today, &nstale);
	if (!strcmp(what, "all") || !strcmp(what, "hardware"))
		list_hardware(cat, what, json, root, today, &nstale);
	if (!strcmp(what, "all") || !strcmp(what, "models"))
		list_models(cat, what, json, root, today, &nstale);
	if (json) {
		json_object_set_new(root, "stale_after_days", json_integer(STALE_DAYS));
		json_object_set_new(root, "bundled", json_string(cli_data_dir()));
		json_object_set_new(root, "user", cat->user_dir ? json_string(cat->user_dir) : json_null());
		/* reals in the shortest form that reads back, as every JSON output */
		rc = fc_json_dump(stdout, root) != 0 ? EXIT_RUNTIME : EXIT_OK;
		if (rc != EXIT_OK) {
			fc_catalog_free(cat);
			cli_err("cannot write the listing to standard output");
			return rc;
		}
	}
	if (nstale)
		cli_warn("%zu entr%s older than %d days (marked !): check the source before you rely on %s",
		    nstale, nstale == 1 ? "y is" : "ies are", STALE_DAYS,
		    nstale == 1 ? "it" : "them");
	if (!json && cat->user_dir)
		printf("\n(user) entries come from %s, over the bundled %s\n",
		    cat->user_dir, cli_data_dir());
	fc_catalog_free(cat);
	if (fflush(stdout) != 0) {
		cli_err("cannot write to standard output");
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* The options into ia and *fmt; -1 to go on, else the exit status. */
static int
data_parse(int argc, char **argv, struct data_import_args *ia, const char **fmt)
{
	struct cli_getopt g;
	struct cli_mc_args mc;
	int ch, k;

	cli_mc_init(&mc);
	cli_getopt_init(&g, cli_data_opts, argc, argv);
	cli_getopt_mc(&g, "data", &mc);   /* --no-user-data */
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			*fmt = optarg;
			break;
		case OPT_FROM:
			if (strcmp(optarg, "llama-bench") == 0) {
				ia->llamabench = 1;
				break;
			}
			for (k = 0; fc_import_format_names[k]; k++)
				if (strcmp(optarg, fc_import_format_names[k]) == 0)
					break;
			if (fc_import_format_names[k] == NULL)
				return cli_usage_error("data", "--from: expected auto, models.dev, litellm, genai-prices, hetzner-pricing or llama-bench, got '%s'", optarg);
			ia->format = (enum fc_import_format)k;
			break;
		case OPT_AS_OF:
			if (fc_schema_date_valid(optarg) != 0)
				return cli_usage_error("data", "--as-of: expected a date YYYY-MM-DD, got '%s'", optarg);
			ia->as_of = optarg;
			break;
		case OPT_USD_PER_EUR:
			if (arg_double("data", "--usd-per-eur", optarg, 0.01, 100, &ia->usd_per_eur))
				return EXIT_USAGE;
			break;
		case OPT_LOCATION:
			ia->location = optarg;
			break;
		case OPT_HARDWARE:
			ia->hardware = optarg;
			break;
		case OPT_MODEL:
			ia->model = optarg;
			break;
		case 'h':
			return cli_help("data");
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (strcmp(*fmt, "table") != 0 && strcmp(*fmt, "json") != 0)
		return cli_usage_error("data", "--format: expected table or json, got '%s'", *fmt);
	return -1;
}

int
cmd_data(int argc, char **argv)
{
	struct data_import_args ia = { NULL, FC_IMP_AUTO, NULL, 0, "fsn1", 0, NULL, NULL };
	const char *what = "all", *fmt = "table";
	int rc;

	if ((rc = data_parse(argc, argv, &ia, &fmt)) >= 0)
		return rc;
	if (optind < argc)
		what = argv[optind++];
	if (strcmp(what, "import") == 0) {
		if (optind >= argc)
			return cli_usage_error("data", "import: expected a FILE or URL");
		ia.source = argv[optind++];
		if (optind < argc)
			return cli_usage_error("data", "unexpected argument '%s'", argv[optind]);
		return ia.llamabench ? data_import_llamabench(&ia) : data_import_one(&ia);
	}
	if (strcmp(what, "update") == 0 && optind == argc)
		return data_update(&ia);
	if (optind < argc)
		return cli_usage_error("data", "unexpected argument '%s'", argv[optind]);
	if (strcmp(what, "all") && strcmp(what, "prices") &&
	    strcmp(what, "hardware") && strcmp(what, "models"))
		return cli_usage_error("data", "expected prices, hardware, models, import or update, got '%s'", what);
	return data_list(what, strcmp(fmt, "json") == 0);
}
