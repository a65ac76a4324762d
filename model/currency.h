/*
 * currency.h: the currency money figures are shown in, and the conversion
 * of results into it.  The model computes in USD; a report in EUR divides
 * every money figure (fc_figures[i].money: USD a month) by the rate,
 * after the run, so that a run's trials and breakevens do not depend on
 * the currency it is shown in.  Prices, budgets and inputs stay in USD.
 *
 * The EUR rate is the one the scenario's hardware entry was priced at (a
 * Hetzner entry carries its usd_per_eur and its date), else the rate the
 * bundled Hetzner prices use (FC_USD_PER_EUR, data.h).
 *
 * Nothing here prints; callers say the rate (a conversion changes what a
 * reader sees, so it is said on stderr and recorded in JSON).
 */
#ifndef FC_CURRENCY_H
#define FC_CURRENCY_H

#include <stddef.h>

#include "mc.h"
#include "scenario.h"

struct fc_currency {
	const char *code;        /* "USD" or "EUR" */
	const char *symbol;      /* "$" or "EUR " */
	double usd_per_unit;     /* 1 for USD; USD per EUR */
	const char *rate_as_of;  /* the rate's date, or NULL */
	const char *rate_from;   /* where the rate comes from, or NULL */
};

/* USD, at 1: what the model computes in. */
extern const struct fc_currency fc_currency_usd;

/* EUR at the rate of s's hardware entry when it has one, else the bundled
 * Hetzner prices' rate; rate_from is written into from (len bytes), which
 * must outlive *out. */
void fc_currency_eur(const struct fc_scenario *s, char *from, size_t len,
    struct fc_currency *out);

/* Converts r's money figures from USD into c: the figures at the means,
 * their statistics over the trials (mean, sd and percentiles) and the
 * trials' samples.  Other figures (users, servers, shares, seconds) and
 * the breakevens (users) are left as they are; nothing changes for USD. */
void fc_currency_apply(const struct fc_currency *c, struct fc_mc_result *r);

#endif
