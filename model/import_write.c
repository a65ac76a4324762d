/*
 * import_write.c: a user data directory's files written from entries
 * (see import.h): prices.yaml and hardware/hetzner.yaml in the layout and
 * units of the bundled data, every string double-quoted and escaped so
 * that it reads back as it was.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first n bytes of s as a double-quoted YAML scalar: quotes,
 * backslashes and control characters escaped, so that any id or source
 * (a provider with a ':') reads back as it was. */
static void
yaml_str_n(FILE *f, const char *s, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n && s[i]; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] == '\n')
			fputs("\\n", f);
		else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}

void
fc_import_yaml_str(FILE *f, const char *s)
{
	yaml_str_n(f, s, strlen(s));
}

static void
kv_num(FILE *f, const char *ind, const char *key, double v)
{
	fprintf(f, "%s%s: %.15g\n", ind, key, v);
}

static void
kv_str(FILE *f, const char *ind, const char *key, const char *v)
{
	if (v == NULL)
		return;
	fprintf(f, "%s%s: ", ind, key);
	fc_import_yaml_str(f, v);
	fputc('\n', f);
}

static int
cmp_price(const void *a, const void *b)
{
	return strcmp((*(const struct fc_price *const *)a)->id,
	    (*(const struct fc_price *const *)b)->id);
}

/* One price entry under its provider, as prices.yaml lays it out. */
static void
write_price(FILE *f, const struct fc_price *p)
{
	const char *I = "    ";

	kv_num(f, I, "input", p->input);
	if (p->cached_input != p->input)
		kv_num(f, I, "cached_input", p->cached_input);
	if (p->cache_write != p->input)
		kv_num(f, I, "cache_write", p->cache_write);
	if (p->cache_write_1h != p->cache_write)
		kv_num(f, I, "cache_write_1h", p->cache_write_1h);
	if (p->min_cache_tokens > 0)
		kv_num(f, I, "min_cache_tokens", p->min_cache_tokens);
	kv_num(f, I, "output", p->output);
	if (p->batch_discount > 0)
		kv_num(f, I, "batch_discount", p->batch_discount);
	if (p->priority > 0)
		kv_num(f, I, "priority", p->priority);
	if (p->flex > 0)
		kv_num(f, I, "flex", p->flex);
	if (p->tier_above > 0) {
		fprintf(f, "%stier:\n", I);
		kv_num(f, "      ", "above_tokens", p->tier_above);
		kv_num(f, "      ", "input", p->tier_input);
		kv_num(f, "      ", "cached_input", p->tier_cached_input);
		kv_num(f, "      ", "output", p->tier_output);
	}
	kv_str(f, I, "as_of", p->as_of);
	kv_str(f, I, "source", p->source);
	kv_str(f, I, "note", p->note);
	kv_str(f, I, "deprecated", p->deprecated);
	kv_str(f, I, "shutdown", p->shutdown);
	kv_str(f, I, "successor", p->successor);
}

int
fc_import_write_prices(FILE *f, const struct fc_catalog *u)
{
	const struct fc_price **v;
	size_t i, plen = 0;
	const char *prev = NULL, *slash;

	if ((v = fc_calloc(u->nprices + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < u->nprices; i++)
		v[i] = &u->prices[i];
	qsort(v, u->nprices, sizeof(*v), cmp_price);
	fputs("# flatcost user data: API prices (written by `flatcost data import`;\n"
	    "# same layout and units as the bundled data/prices.yaml).  An entry\n"
	    "# here replaces the bundled entry of the same id whole.\n", f);
	for (i = 0; i < u->nprices; i++) {
		slash = strchr(v[i]->id, '/');
		if (slash == NULL)
			continue;
		if (prev == NULL || (size_t)(slash - v[i]->id) != plen ||
		    strncmp(prev, v[i]->id, plen) != 0) {
			prev = v[i]->id;
			plen = (size_t)(slash - v[i]->id);
			fputc('\n', f);
			yaml_str_n(f, prev, plen);
			fputs(":\n", f);
		}
		fputs("  ", f);
		fc_import_yaml_str(f, slash + 1);
		fputs(":\n", f);
		write_price(f, v[i]);
	}
	fc_free(v);
	return ferror(f) ? -1 : 0;
}

static void
write_hw(FILE *f, const struct fc_hw *h)
{
	const char *I = "  ";
	size_t i, j;

	fprintf(f, "\n%s:\n", strchr(h->id, '/') + 1);
	kv_str(f, I, "name", h->name);
	fprintf(f, "  kind: %s\n", h->gpu ? "gpu" : "cpu");
	if (h->memory != FC_MEM_UNKNOWN)
		fprintf(f, "  memory: %s\n", fc_memory_names[h->memory]);
	if (h->tensor_rate != FC_TENSOR_UNKNOWN)
		fprintf(f, "  tensor_rate: %s\n", fc_tensor_rate_names[h->tensor_rate]);
	if (h->arch != FC_ARCH_UNKNOWN)
		fprintf(f, "  arch: %s\n", fc_arch_names[h->arch]);
	if (h->board_power_w > 0)
		fprintf(f, "  board_power_w: %.6g\n", h->board_power_w);
	if (h->sm_count > 0)
		fprintf(f, "  sm_count: %ld\n", h->sm_count);
	if (h->boost_clock_mhz > 0)
		fprintf(f, "  boost_clock_mhz: %.6g\n", h->boost_clock_mhz);
	kv_num(f, I, "vcpu", h->vcpu);
	kv_num(f, I, "ram_gb", h->ram_gb);
	kv_num(f, I, "vram_gb", h->vram_gb);
	kv_num(f, I, "monthly_price", h->monthly_price);
	if (h->hourly_price > 0)
		kv_num(f, I, "hourly_price", h->hourly_price);
	if (h->monthly_price_eur > 0) {
		kv_num(f, I, "monthly_price_eur", h->monthly_price_eur);
		kv_num(f, I, "usd_per_eur", h->usd_per_eur);
		kv_str(f, I, "usd_per_eur_as_of", h->usd_per_eur_as_of);
	}
	kv_str(f, I, "price_as_of", h->price_as_of);
	kv_str(f, I, "price_source", h->price_source);
	kv_num(f, I, "mem_bandwidth_gbs", h->mem_bandwidth_gbs);
	kv_str(f, I, "mem_bandwidth_basis", h->mem_bandwidth_basis);
	kv_num(f, I, "compute_gflops", h->compute_gflops);
	kv_str(f, I, "compute_basis", h->compute_basis);
	fprintf(f, "  efficiency: {decode: %.15g, prefill: %.15g}\n", h->eta_decode,
	    h->eta_prefill);
	kv_str(f, I, "efficiency_basis", h->efficiency_basis);
	kv_str(f, I, "as_of", h->as_of);
	kv_str(f, I, "source", h->source);
	kv_str(f, I, "note", h->note);
	if (h->npoints)
		fputs("  throughput:\n", f);
	for (i = 0; i < h->npoints; i++) {
		const struct fc_tpoint *t = &h->points[i];
		fputs("    - model: ", f);
		fc_import_yaml_str(f, t->model);
		fputc('\n', f);
		kv_num(f, "      ", "params_b", t->params_b);
		kv_num(f, "      ", "weights_gb", t->weights_gb);
		kv_str(f, "      ", "engine", t->engine);
		if (t->threads > 0)
			kv_num(f, "      ", "threads", t->threads);
		kv_num(f, "      ", "prefill_tok_s", t->prefill_tok_s);
		fputs("      decode_tok_s: {", f);
		for (j = 0; j < t->n; j++)
			fprintf(f, "%s%.15g: %.15g", j ? ", " : "", t->conc[j], t->tok_s[j]);
		fputs("}\n", f);
		kv_str(f, "      ", "basis", t->basis);
		kv_str(f, "      ", "as_of", t->as_of);
		kv_str(f, "      ", "source", t->source);
	}
}

int
fc_import_write_hetzner(FILE *f, const struct fc_catalog *u)
{
	size_t i;

	fputs("# flatcost user data: Hetzner servers repriced by `flatcost data import\n"
	    "# --from hetzner-pricing` (USD at the rate in usd_per_eur).\n", f);
	for (i = 0; i < u->nhw; i++)
		if (strncmp(u->hw[i].id, "hetzner/", 8) == 0)
			write_hw(f, &u->hw[i]);
	return ferror(f) ? -1 : 0;
}

void
fc_import_records_free(struct fc_import_records *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		fc_free(rs->r[i].source);
		fc_free(rs->r[i].from);
		fc_free(rs->r[i].location);
	}
	fc_free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

int
fc_import_records_add(struct fc_import_records *rs, const char *source, const char *from,
    const char *location, double rate)
{
	struct fc_import_record *nr = fc_realloc(rs->r, (rs->n + 1) * sizeof(*nr)), *r;

	if (nr == NULL)
		return -1;
	rs->r = nr;
	r = &nr[rs->n++];
	memset(r, 0, sizeof(*r));
	r->source = fc_strdup(source);
	r->from = fc_strdup(from);
	r->location = location && *location ? fc_strdup(location) : NULL;
	r->rate = rate;
	return r->source && r->from && (r->location || !(location && *location)) ? 0 : -1;
}

int
fc_import_records_write(FILE *f, const struct fc_import_records *rs)
{
	size_t i;

	fputs("# flatcost user data: what `flatcost data import` read, for `flatcost\n"
	    "# data update` to read again.\nimports:\n", f);
	for (i = 0; i < rs->n; i++) {
		fputs("  - source: ", f);
		fc_import_yaml_str(f, rs->r[i].source);
		fprintf(f, "\n    from: %s\n", rs->r[i].from);
		if (rs->r[i].location) {
			fputs("    location: ", f);
			fc_import_yaml_str(f, rs->r[i].location);
			fprintf(f, "\n    usd_per_eur: %.15g\n", rs->r[i].rate);
		}
		fprintf(f, "    imported: %s\n    by: flatcost %s\n", rs->today, FC_VERSION);
	}
	return ferror(f) ? -1 : 0;
}
