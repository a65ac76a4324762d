/*
 * data_import_lb.c: `flatcost data import FILE --from llama-bench
 * --hardware ID --model ID`: llama-bench output (model/import_llamabench.h)
 * as a hardware profile on stdout: the catalog entry's specification and
 * prices, with the imported measurement as its throughput point.  A
 * scenario names the saved file as flat.hardware.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "data_import.h"
#include "import_llamabench.h"

/* The whole file, NUL-terminated; EXIT_OK or an exit status after a message. */
static int
read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, k;
	char *b;

	*buf = NULL;
	if (f == NULL) {
		cli_err("cannot open %s: %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	if ((b = fc_malloc(cap)) == NULL) {
		fclose(f);
		return cli_oom();
	}
	while ((k = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (n + 1 == cap) {
			char *nb = fc_realloc(b, cap * 2);

			if (nb == NULL) {
				fc_free(b);
				fclose(f);
				return cli_oom();
			}
			b = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		cli_err("cannot read %s: %s", path, strerror(errno));
		fc_free(b);
		fclose(f);
		return EXIT_RUNTIME;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return EXIT_OK;
}

static void
yq(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
write_profile(FILE *f, const struct fc_hw *h, const struct fc_tpoint *t,
    const struct fc_llamabench *lb, const char *file)
{
	size_t i;

	fprintf(f, "# Hardware profile: %s with the llama-bench results of %s\n", h->id, file);
	fprintf(f, "# (flatcost data import --from llama-bench).  Use it from a scenario with\n"
	    "#   flat: {hardware: ./FILE.yaml, model: %s}\n", t->model);
	fputs("name: ", f);
	yq(f, h->name ? h->name : h->id);
	fprintf(f, "\nkind: %s\n", h->gpu ? "gpu" : "cpu");
	if (h->memory != FC_MEM_UNKNOWN)
		fprintf(f, "memory: %s\n", fc_memory_names[h->memory]);
	if (h->tensor_rate != FC_TENSOR_UNKNOWN)
		fprintf(f, "tensor_rate: %s\n", fc_tensor_rate_names[h->tensor_rate]);
	if (h->vcpu > 0)
		fprintf(f, "vcpu: %.15g\n", h->vcpu);
	fprintf(f, "ram_gb: %.15g\nvram_gb: %.15g\n", h->ram_gb, h->vram_gb);
	fprintf(f, "monthly_price: %.15g\n", h->monthly_price);
	if (h->hourly_price > 0)
		fprintf(f, "hourly_price: %.15g\n", h->hourly_price);
	if (h->price_as_of)
		fprintf(f, "price_as_of: %s\n", h->price_as_of);
	if (h->price_source) {
		fputs("price_source: ", f);
		yq(f, h->price_source);
		fputc('\n', f);
	}
	fprintf(f, "mem_bandwidth_gbs: %.15g\ncompute_gflops: %.15g\n", h->mem_bandwidth_gbs,
	    h->compute_gflops);
	fprintf(f, "efficiency: {decode: %.15g, prefill: %.15g}\n", h->eta_decode, h->eta_prefill);
	fprintf(f, "as_of: %s\nsource: ", t->as_of);
	yq(f, t->source);
	fputs("\nthroughput:\n  - model: ", f);
	yq(f, t->model);
	fprintf(f, "\n    params_b: %.15g\n    weights_gb: %.15g\n", t->params_b, t->weights_gb);
	fprintf(f, "    engine: llama.cpp\n");
	fprintf(f, "    context_tokens: %.15g\n", t->context_tokens);
	fprintf(f, "    prefill_tok_s: %.15g\n", t->prefill_tok_s);
	if (t->prefill_sd > 0)
		fprintf(f, "    prefill_tok_s_sd: %.15g\n", t->prefill_sd);
	fprintf(f, "    decode_tok_s: {1: %.15g}\n", t->tok_s[0]);
	if (t->tok_s_sd[0] > 0)
		fprintf(f, "    decode_tok_s_sd: {1: %.15g}\n", t->tok_s_sd[0]);
	if (t->n_ctx > 0) {
		fputs("    by_context:\n", f);
		for (i = 0; i < t->n_ctx; i++)
			fprintf(f, "      - {context_tokens: %.15g, decode_tok_s: {1: %.15g}}\n",
			    t->by_ctx[i].context_tokens, t->by_ctx[i].tok_s[0]);
	}
	fprintf(f, "    basis: measured\n    as_of: %s\n    source: ", t->as_of);
	yq(f, t->source);
	fputc('\n', f);
	(void)lb;
}

int
data_import_llamabench(const struct data_import_args *a)
{
	struct fc_catalog *cat = NULL;
	struct fc_llamabench lb;
	struct fc_tpoint t;
	struct fc_diags d;
	const struct fc_hw *h;
	enum fc_status st;
	char *buf, as_of[16], source[4096];
	size_t len = 0;
	int rc;

	if (a->hardware == NULL || a->model == NULL)
		return cli_usage_error("data", "--from llama-bench: --hardware ID (the catalog "
		    "entry measured) and --model ID (the model as flatcost names it, e.g. "
		    "qwen2.5-7b-q4_k_m) are needed");
	if ((rc = read_file(a->source, &buf, &len)) != EXIT_OK)
		return rc;
	fc_diags_init(&d);
	st = fc_llamabench_parse(buf, len, a->source, FC_LB_AUTO, &lb, &d);
	fc_free(buf);
	if (st == FC_OK)
		st = cli_catalog_load(&cat, &d);
	h = st == FC_OK ? fc_catalog_hw(cat, a->hardware) : NULL;
	if (st == FC_OK && h == NULL) {
		struct fc_loc l = { 0 };
		st = fc_error(&d, l, "no hardware entry '%s' (see flatcost data hardware)",
		    a->hardware);
	}
	if (st == FC_OK) {
		long today = cli_today();
		time_t tt = (time_t)today * FC_SECONDS_PER_DAY;
		struct tm tm;

		gmtime_r(&tt, &tm);
		strftime(as_of, sizeof(as_of), "%Y-%m-%d", &tm);
		if (a->as_of)
			snprintf(as_of, sizeof(as_of), "%s", a->as_of);
		snprintf(source, sizeof(source), "llama-bench results in %s (%s), imported by "
		    "flatcost %s", a->source, fc_llamabench_format_names[lb.format], FC_VERSION);
		st = fc_llamabench_point(&lb, NULL, a->model, as_of, source, &t, &d);
	}
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK) {
		fc_llamabench_clear(&lb);
		fc_catalog_free(cat);
		cli_err("%s: nothing imported", a->source);
		return st == FC_ENOMEM ? cli_oom() : EXIT_USAGE;
	}
	write_profile(stdout, h, &t, &lb, a->source);
	if (lb.skipped)
		fprintf(stderr, "flatcost: %zu mixed test%s (pp+tg) skipped\n", lb.skipped,
		    lb.skipped == 1 ? "" : "s");
	fc_llamabench_point_clear(&t);
	fc_llamabench_clear(&lb);
	fc_catalog_free(cat);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_RUNTIME;
}
