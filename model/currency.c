/*
 * currency.c: results converted from USD into the currency they are shown
 * in (see currency.h).
 */
#include "currency.h"

#include <stdio.h>

#include "cost.h"
#include "data.h"

const struct fc_currency fc_currency_usd = { "USD", "$", 1, NULL, NULL };

void
fc_currency_eur(const struct fc_scenario *s, char *from, size_t len, struct fc_currency *out)
{
	const struct fc_hw *h = &s->flat.hw;

	out->code = "EUR";
	out->symbol = "EUR ";
	if (h->usd_per_eur > 0) {
		out->usd_per_unit = h->usd_per_eur;
		out->rate_as_of = h->usd_per_eur_as_of;
		snprintf(from, len, "the rate of %s", h->id);
	} else {
		out->usd_per_unit = FC_USD_PER_EUR;
		out->rate_as_of = FC_USD_PER_EUR_AS_OF;
		snprintf(from, len, "the bundled Hetzner prices' rate");
	}
	out->rate_from = from;
}

void
fc_currency_apply(const struct fc_currency *c, struct fc_mc_result *r)
{
	double k = 1 / c->usd_per_unit;
	size_t i;
	long t;

	if (c->usd_per_unit == 1)
		return;
	for (i = 0; i < fc_nfigures; i++) {
		struct fc_stat *st = &r->stats[i];
		if (!fc_figures[i].money)
			continue;
		*(double *)((char *)&r->det + fc_figures[i].off) *= k;
		st->mean *= k;
		st->sd *= k;
		st->p5 *= k;
		st->p50 *= k;
		st->p95 *= k;
		st->p99 *= k;
		for (t = 0; r->samples && t < r->trials; t++)
			r->samples[(size_t)t * fc_nfigures + i] *= k;
	}
}
