/*
 * stale.c: staleness findings for the entries a scenario uses (stale.h).
 */
#include "stale.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

const char *const fc_stale_kind_names[] = { "stale", "shutdown", "retiring",
	"cache_prefix", "shutdown_in_horizon", "estimated_size" };

static size_t
add(struct fc_finding *out, size_t max, size_t n, const struct fc_finding *f)
{
	if (n < max)
		out[n] = *f;
	return n + 1;
}

static size_t
aged(const char *id, const char *role, const char *as_of, const char *what,
    long today, struct fc_finding *out, size_t max, size_t n)
{
	struct fc_finding f;
	long day = fc_schema_date_days(as_of);

	if (day < 0 || today - day <= FC_STALE_DAYS)
		return n;
	memset(&f, 0, sizeof(f));
	f.kind = FC_FIND_STALE;
	f.id = id;
	f.role = role;
	f.date = as_of;
	f.days = today - day;
	snprintf(f.msg, sizeof(f.msg),
	    "%s (%s): %s dated %s is %ld days old (over %d): check the source or import a newer one",
	    id, role, what, as_of, f.days, FC_STALE_DAYS);
	return add(out, max, n, &f);
}

size_t
fc_stale_price(const struct fc_price *p, const char *role, long today,
    struct fc_finding *out, size_t max)
{
	struct fc_finding f;
	size_t n = 0;
	long day;
	char succ[160] = "";

	if (p->origin == NULL)   /* an inline price: the scenario's own figures */
		return 0;
	n = aged(p->id, role, p->as_of, "the price", today, out, max, n);
	day = fc_schema_date_days(p->shutdown);
	if (day < 0 || day - today > FC_SHUTDOWN_WARN_DAYS)
		return n;
	memset(&f, 0, sizeof(f));
	f.id = p->id;
	f.role = role;
	f.date = p->shutdown;
	f.successor = p->successor;
	if (p->successor)
		snprintf(succ, sizeof(succ), "; its successor is %s", p->successor);
	if (day <= today) {
		f.kind = FC_FIND_SHUTDOWN;
		f.days = today - day;
		snprintf(f.msg, sizeof(f.msg),
		    "%s (%s): the model was shut down on %s (%ld days ago): requests to it fail%s",
		    p->id, role, p->shutdown, f.days, succ);
	} else {
		f.kind = FC_FIND_RETIRING;
		f.days = day - today;
		snprintf(f.msg, sizeof(f.msg),
		    "%s (%s): the model shuts down on %s, in %ld days%s",
		    p->id, role, p->shutdown, f.days, succ);
	}
	return add(out, max, n, &f);
}

size_t
fc_stale_hw(const struct fc_hw *h, const char *role, long today,
    struct fc_finding *out, size_t max)
{
	if (h->origin == NULL)   /* a profile or an inline entry */
		return 0;
	if (h->price_as_of)
		return aged(h->id, role, h->price_as_of, "the price", today, out, max, 0);
	return aged(h->id, role, h->as_of, "the entry", today, out, max, 0);
}

static size_t
cache_prefix(const struct fc_scenario *s, struct fc_finding *out, size_t max)
{
	struct fc_finding f;
	double in = fc_num_mean(&s->workload.input_tokens);
	double shared = fc_num_mean(&s->workload.cached_input_share) +
	    fc_num_mean(&s->workload.cache_write_share);

	if (!(shared > 0) || !(s->api.min_cache_tokens > in))
		return 0;
	memset(&f, 0, sizeof(f));
	f.kind = FC_FIND_CACHE_PREFIX;
	f.id = s->api.id;
	f.role = "api.price";
	snprintf(f.msg, sizeof(f.msg),
	    "%s (api.price): calls of %.0f input tokens on average are shorter than the %.0f-token minimum cacheable prefix, yet workload caches %.0f%% of input tokens",
	    s->api.id, in, s->api.min_cache_tokens, shared * 100);
	return add(out, max, 0, &f);
}

/* The flat model's weights size at its quantization, when the catalog
 * says it is an estimate: the memory fit and decode speed follow from it. */
static size_t
estimated_size(const struct fc_scenario *s, struct fc_finding *out, size_t max)
{
	const struct fc_model *m = &s->flat.model;
	struct fc_finding f;
	int q = (int)s->flat.quant;

	if (m->id == NULL || q < 0 || q >= FC_NQUANT || !(m->weights_estimated & (1u << q)))
		return 0;
	memset(&f, 0, sizeof(f));
	f.kind = FC_FIND_ESTIMATED_SIZE;
	f.id = m->id;
	f.role = "flat.model";
	snprintf(f.msg, sizeof(f.msg),
	    "%s-%s (flat.model): its weights size, %.2f GB, is an estimate (no published %s file's "
	    "size was found): the memory fit and decode speed follow from it; a GGUF file "
	    "(flat.model: ./FILE.gguf) gives the real one",
	    m->id, fc_quant_names[q], m->weights_gb[q], fc_quant_names[q]);
	return add(out, max, 0, &f);
}

static size_t
room(size_t n, size_t max)
{
	return n < max ? max - n : 0;
}

size_t
fc_stale_scenario(const struct fc_scenario *s, long today,
    struct fc_finding *out, size_t max)
{
	size_t n = 0, i;
	int fallback = 0;

	n += fc_stale_price(&s->api, "api.price", today, out, room(0, max));
	for (i = 0; i < s->flat.n_fallback; i++)
		if (fc_num_mean(&s->flat.fallback_share[i]) > 0 ||
		    s->flat.fallback_share[i].kind != FC_DIST_CONST)
			fallback = 1;
	if (fallback && s->flat.fallback_api.id &&
	    (s->api.id == NULL || strcmp(s->flat.fallback_api.id, s->api.id) != 0))
		n += fc_stale_price(&s->flat.fallback_api, "flat.fallback.api",
		    today, out + (n < max ? n : 0), room(n, max));
	n += fc_stale_hw(&s->flat.hw, "flat.hardware", today,
	    out + (n < max ? n : 0), room(n, max));
	/* api.route's tiers, each once (the API's own price is done above) */
	for (i = 0; i < s->route.n; i++) {
		const struct fc_price *p = &s->route.price[i];
		size_t j;
		int seen = p->id && s->api.id && strcmp(p->id, s->api.id) == 0;

		for (j = 0; j < i && !seen; j++)
			seen = p->id && s->route.price[j].id &&
			    strcmp(p->id, s->route.price[j].id) == 0;
		if (!seen)
			n += fc_stale_price(p, "api.route", today,
			    out + (n < max ? n : 0), room(n, max));
	}
	n += cache_prefix(s, out + (n < max ? n : 0), room(n, max));
	return n + estimated_size(s, out + (n < max ? n : 0), room(n, max));
}

/* The findings of one price `p` of path key `key` in role, priced from
 * month `from` to month `to` (inclusive) of the run. */
static size_t
horizon_one(const struct fc_price *p, const char *role, const char *key, long today,
    long months, long from, long to, struct fc_finding *out, size_t max, size_t n)
{
	struct fc_finding f;
	char succ[200] = "";
	long day = fc_schema_date_days(p->shutdown), m;

	if (p->id == NULL || day < 0 || (day <= today && from == 1))
		return n;   /* no date, or the scenario's own price already shut down:
	                     * fc_stale_price says so */
	/* the first month priced at the model after its shutdown: a change may
	 * move to a model that is shut down by then */
	m = fc_scenario_day_month(today, day);
	if (m < from)
		m = from;
	if (m > to || m > months)
		return n;
	memset(&f, 0, sizeof(f));
	f.kind = FC_FIND_SHUTDOWN_IN_HORIZON;
	f.id = p->id;
	f.role = role;
	f.date = p->shutdown;
	f.successor = p->successor;
	f.days = day - today;   /* negative: shut down before the run */
	if (p->successor)
		snprintf(succ, sizeof(succ), "; the provider names %s as its successor: "
		    "add {on: %s, to: %s} to %s", p->successor, p->shutdown, p->successor, key);
	else
		snprintf(succ, sizeof(succ), "; add {on: %s, to: PRICE} to %s",
		    p->shutdown, key);
	snprintf(f.msg, sizeof(f.msg), "%s (%s): the model shuts down on %s, and %s has "
	    "no change by then: months %ld to %ld of the %ld simulated are priced at a "
	    "model that no longer serves%s", p->id, role, p->shutdown, key, m,
	    to < months ? to : months, months, succ);
	return add(out, max, n, &f);
}

/* One price path's findings: its own price until the first change, then
 * each change's prices until the next. */
static size_t
horizon_path(const struct fc_scenario *s, int path, const struct fc_price *own,
    const char *role, const char *key, long today, long months,
    struct fc_finding *out, size_t max, size_t n)
{
	const struct fc_price_path *pp = &s->path[path];
	size_t idx[FC_MAX_PRICE_CHANGES], m = 0, i, j, k;
	long from = 1;
	const struct fc_price *cur = own;
	size_t ncur = 1;

	for (i = 0; i < pp->n; i++) {
		if (pp->ch[i].month < 1)
			continue;
		for (j = m; j > 0 && pp->ch[idx[j - 1]].month > pp->ch[i].month; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
		m++;
	}
	for (i = 0; i <= m; i++) {
		long to = i < m ? pp->ch[idx[i]].month - 1 : months;

		for (k = 0; k < ncur; k++)
			n = horizon_one(&cur[k], role, key, today, months, from, to, out, max, n);
		if (i < m) {
			cur = pp->ch[idx[i]].to;
			ncur = pp->ch[idx[i]].n;
			from = pp->ch[idx[i]].month;
		}
	}
	return n;
}

size_t
fc_stale_horizon(const struct fc_scenario *s, long today, long months,
    struct fc_finding *out, size_t max)
{
	size_t n = 0, i;

	n = horizon_path(s, FC_PATH_API, &s->api, "api.price", "api.price_changes", today,
	    months, out, max, n);
	if (s->fallback_own_path)
		n = horizon_path(s, FC_PATH_FALLBACK, &s->flat.fallback_api,
		    "flat.fallback.api", "flat.fallback.price_changes", today, months, out,
		    max, n);
	for (i = 0; i < s->route.n; i++)
		n = horizon_path(s, FC_PATH_ROUTE + (int)i, &s->route.price[i], "api.route",
		    "api.route.price_changes", today, months, out, max, n);
	return n;
}
