/*
 * compare_args.c: compare's --model, --hardware and --rank-by lists,
 * checked against the catalog with the usage error that names the item.
 */
#include "compare_args.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

/* Expands one --model item: MODEL-QUANT, or a model id or family prefix
 * ("qwen2.5-7b", "qwen2.5") standing for every quantization of every
 * model it names.  Returns the count added, or -1 when it names none. */
static int
expand_model(const struct fc_catalog *cat, const char *item, struct compare_mq *out,
    size_t *n)
{
	enum fc_quant q;
	const struct fc_model *m = fc_catalog_model(cat, item, &q);
	size_t i, len = strlen(item), before = *n;
	int k;

	if (m) {
		if (*n < COMPARE_MAX_MODELS)
			out[(*n)++] = (struct compare_mq){ m, q };
		return 1;
	}
	for (i = 0; i < cat->nmodels; i++) {
		const char *id = cat->models[i].id;
		if (strncmp(id, item, len) != 0 || (id[len] != '\0' && id[len] != '-'))
			continue;
		for (k = 0; k < FC_NQUANT && *n < COMPARE_MAX_MODELS; k++)
			out[(*n)++] = (struct compare_mq){ &cat->models[i], (enum fc_quant)k };
	}
	return *n > before ? (int)(*n - before) : -1;
}

static int
bad_item(const char *opt, const char *item, const char *const *ids, size_t nids,
    const char *what)
{
	const char *s = fc_suggest(item, ids, nids);

	if (s)
		return cli_usage_error("compare", "%s: unknown %s '%s' (did you mean '%s'?)",
		    opt, what, item, s);
	return cli_usage_error("compare", "%s: unknown %s '%s' (see `flatcost data %s`)",
	    opt, what, item, strcmp(what, "model") == 0 ? "models" : "hardware");
}

/* Splits a comma-separated list in place; returns the item count. */
static size_t
split(char *s, char **items, size_t max)
{
	size_t n = 0;
	char *p;

	for (p = strtok(s, ","); p && n < max; p = strtok(NULL, ","))
		items[n++] = p;
	return n;
}

int
compare_parse_models(const struct fc_catalog *cat, const struct fc_scenario *s,
    const char *arg, struct compare_mq *mq, size_t *nmq)
{
	char buf[4096], *items[COMPARE_MAX_MODELS];
	const char *ids[1024];
	char idbuf[16384];
	size_t i, n, nids;

	*nmq = 0;
	if (arg == NULL) {
		mq[(*nmq)++] = (struct compare_mq){ &s->flat.model, s->flat.quant };
		return EXIT_OK;
	}
	if (strcmp(arg, "all") == 0) {
		for (i = 0; i < cat->nmodels; i++)
			expand_model(cat, cat->models[i].id, mq, nmq);
		return EXIT_OK;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	n = split(buf, items, COMPARE_MAX_MODELS);
	nids = fc_catalog_ids(cat, FC_KIND_MODELS, ids, idbuf, sizeof(idbuf), 1024);
	for (i = 0; i < n; i++)
		if (expand_model(cat, items[i], mq, nmq) < 0)
			return bad_item("--model", items[i], ids, nids, "model");
	if (*nmq == 0)
		return cli_usage_error("compare", "--model: expected all, or MODEL-QUANT ids "
		    "or model names separated by commas");
	return EXIT_OK;
}

/* The hardware options, like with like: those priced on `basis` (NULL:
 * every basis); a listed one on another basis is an error (basis is NULL
 * for a list unless --price-basis was given). */
int
compare_parse_hardware(const struct fc_catalog *cat, const struct fc_scenario *s,
    const char *arg, const char *basis, const struct fc_hw **hw, size_t *nhw)
{
	char buf[4096], *items[COMPARE_MAX_HW];
	const char *ids[COMPARE_MAX_HW];
	char idbuf[8];
	size_t i, n, nids;

	*nhw = 0;
	if (arg == NULL || strcmp(arg, "all") == 0) {
		/* the scenario's own server first when it is a profile or inline */
		if (fc_catalog_hw(cat, s->flat.hw.id) == NULL)
			hw[(*nhw)++] = &s->flat.hw;
		for (i = 0; i < cat->nhw && *nhw < COMPARE_MAX_HW; i++)
			if (fc_hw_basis_matches(&cat->hw[i], basis))
				hw[(*nhw)++] = &cat->hw[i];
		return EXIT_OK;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	n = split(buf, items, COMPARE_MAX_HW);
	nids = fc_catalog_ids(cat, FC_KIND_HARDWARE, ids, idbuf, sizeof(idbuf), COMPARE_MAX_HW);
	for (i = 0; i < n; i++) {
		const struct fc_hw *h = fc_catalog_hw(cat, items[i]);
		if (h == NULL && strcmp(items[i], s->flat.hw.id) == 0)
			h = &s->flat.hw;
		if (h == NULL)
			return bad_item("--hardware", items[i], ids, nids, "hardware");
		if (!fc_hw_basis_matches(h, basis))
			return cli_usage_error("compare", "--hardware: %s is priced %s, not %s as "
			    "--price-basis asks: compare like with like, or give --price-basis all",
			    h->id, h->price_basis ? h->price_basis : "on no stated basis", basis);
		hw[(*nhw)++] = h;
	}
	if (*nhw == 0)
		return cli_usage_error("compare", "--hardware: expected all, or hardware ids "
		    "separated by commas");
	return EXIT_OK;
}

/* FIGURE[@pNN] */
int
compare_parse_rank(const char *arg, struct fc_cmp_rank *rk)
{
	char key[96];
	const char *at = strchr(arg, '@'), *keys[FC_MAX_FIGURES], *sug;
	size_t k;
	int i;

	snprintf(key, sizeof(key), "%.*s", at ? (int)(at - arg) : (int)strlen(arg), arg);
	if (strcmp(key, "call_latency_p95_s") == 0) {
		/* compare's JSON key for the P95 of capacity.call_latency_s */
		if (at)
			return cli_usage_error("compare", "--rank-by: call_latency_p95_s is "
			    "already a P95; drop '%s' or rank by capacity.call_latency_s%s", at, at);
		rk->fig = fc_figure_index("capacity.call_latency_s");
		rk->stat = 3;
		return EXIT_OK;
	}
	rk->fig = fc_figure_index(key);
	if (rk->fig < 0) {
		for (k = 0; k < fc_nfigures && k < FC_MAX_FIGURES; k++)
			keys[k] = fc_figures[k].key;
		sug = fc_suggest(key, keys, k);
		if (sug)
			return cli_usage_error("compare", "--rank-by: unknown figure '%s' "
			    "(did you mean '%s'?)", key, sug);
		return cli_usage_error("compare", "--rank-by: unknown figure '%s' "
		    "(expected FIGURE[@pNN] such as flat.monthly_cost@p95)", key);
	}
	rk->stat = 2;
	if (at == NULL)
		return EXIT_OK;
	for (i = 0; fc_budget_stat_names[i]; i++)
		if (strcmp(at + 1, fc_budget_stat_names[i]) == 0) {
			rk->stat = i;
			return EXIT_OK;
		}
	return cli_usage_error("compare", "--rank-by: expected @mean, @p5, @p50, @p95 or "
	    "@p99 after the figure, got '%s'", at);
}
