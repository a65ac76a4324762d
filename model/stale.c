/*
 * stale.c: staleness findings for the entries a scenario uses (stale.h).
 */
#include "stale.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

const char *const fc_finding_kind_names[] = { "stale", "shutdown", "retiring",
	"cache_prefix" };

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
	long day = fc_date_days(as_of);

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
fc_price_staleness(const struct fc_price *p, const char *role, long today,
    struct fc_finding *out, size_t max)
{
	struct fc_finding f;
	size_t n = 0;
	long day;
	char succ[160] = "";

	if (p->origin == NULL)   /* an inline price: the scenario's own figures */
		return 0;
	n = aged(p->id, role, p->as_of, "the price", today, out, max, n);
	day = fc_date_days(p->shutdown);
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
fc_hw_staleness(const struct fc_hw *h, const char *role, long today,
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

static size_t
room(size_t n, size_t max)
{
	return n < max ? max - n : 0;
}

size_t
fc_scenario_staleness(const struct fc_scenario *s, long today,
    struct fc_finding *out, size_t max)
{
	size_t n = 0, i;
	int fallback = 0;

	n += fc_price_staleness(&s->api, "api.price", today, out, room(0, max));
	for (i = 0; i < s->flat.n_fallback; i++)
		if (fc_num_mean(&s->flat.fallback_share[i]) > 0 ||
		    s->flat.fallback_share[i].kind != FC_DIST_CONST)
			fallback = 1;
	if (fallback && s->flat.fallback_api.id &&
	    (s->api.id == NULL || strcmp(s->flat.fallback_api.id, s->api.id) != 0))
		n += fc_price_staleness(&s->flat.fallback_api, "flat.fallback.api",
		    today, out + (n < max ? n : 0), room(n, max));
	n += fc_hw_staleness(&s->flat.hw, "flat.hardware", today,
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
			n += fc_price_staleness(p, "api.route", today,
			    out + (n < max ? n : 0), room(n, max));
	}
	return n + cache_prefix(s, out + (n < max ? n : 0), room(n, max));
}
