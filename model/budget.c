/*
 * budget.c: reading budgets (see budget.h for the syntax) and evaluating
 * them against a simulation's result.
 *
 * The limits are read through fc_schema_read(), so a budget's errors read
 * like a scenario's: file:line:col, unknown keys with a "did you mean".
 * A scenario's parsed tree keeps locations whose file names are interned
 * in the diagnostics it was loaded with, which the caller may have freed:
 * fc_budget_from_scenario() therefore reads a copy of the section whose
 * locations name the scenario's file afresh.
 */
#include "budget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cost.h"
#include "schema.h"

#define LIMIT_MAX 1e15   /* larger limits are typos, not budgets */
#define LIMIT_WHAT "a finite number in the figure's unit"

const char *const fc_budget_stat_names[] = { "mean", "p5", "p50", "p95", "p99", NULL };
const char *const fc_budget_level_names[] = { "pass", "warn", "fail" };

void
fc_budget_free(struct fc_budgets *b)
{
	if (b == NULL)
		return;
	fc_free(b->v);
	fc_free(b->file);
	fc_free(b);
}

/* Shares are fractions: a limit above 1 on one is most likely a percent. */
static void
check_share(const struct fc_budget *bg, double limit, const struct fc_ynode *at,
    struct fc_diags *d)
{
	const struct fc_figure *f = &fc_figures[bg->figure];

	if (f->unit[0] == '\0' && strstr(f->key, "share") && limit > 1)
		fc_warning(d, at->loc,
		    "limit %g on '%s' is above 1: shares are fractions (0.05 is 5%%)",
		    limit, f->key);
}

static enum fc_status
append(struct fc_budgets *b, const struct fc_budget *bg, const struct fc_ynode *at,
    struct fc_diags *d)
{
	struct fc_budget *nv;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->v[i].figure == bg->figure && b->v[i].stat == bg->stat &&
		    b->v[i].increase == bg->increase)
			return fc_error(d, at->loc,
			    "a second %sbudget for '%s' at %s (the first is on line %d)",
			    bg->increase ? "increase " : "",
			    fc_figures[bg->figure].key, fc_budget_stat_names[bg->stat],
			    b->v[i].loc.line);
	nv = fc_realloc(b->v, (b->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return FC_ENOMEM;
	b->v = nv;
	b->v[b->n++] = *bg;
	return FC_OK;
}

/* One budget: a bare number (the fail limit) or {fail, warn, percentile}. */
static enum fc_status
read_one(struct fc_budgets *b, size_t fig, const struct fc_ynode *v,
    const struct fc_ynode *at, struct fc_diags *d)
{
	const char *key = fc_figures[fig].key;
	struct fc_budget bg;
	int stat = FC_BSTAT_P95;
	enum fc_status st;
	double x;

	memset(&bg, 0, sizeof(bg));
	bg.figure = fig;
	bg.warn = bg.fail = NAN;
	bg.warn_pct = bg.fail_pct = NAN;
	bg.loc = at->loc;
	bg.loc.file = b->file;
	if (v->kind == FC_Y_SCALAR) {
		if (v->quoted || fc_ynode_parse_double(v->str, &x) != 0)
			return fc_error(d, v->loc,
			    "budget for '%s' must be a fail limit or {fail, warn, percentile}, got '%s'",
			    key, v->str);
		if (!(fabs(x) <= LIMIT_MAX))
			return fc_error(d, v->loc, "limit for '%s' is %g, out of range: expected %s",
			    key, x, LIMIT_WHAT);
		bg.fail = x;
		bg.stat = FC_BSTAT_P95;
		check_share(&bg, x, v, d);
		return append(b, &bg, at, d);
	}
	if (v->kind != FC_Y_MAP)
		return fc_error(d, v->loc,
		    "budget for '%s' must be a fail limit or {fail, warn, percentile}, not %s",
		    key, fc_ykind_name(v->kind));
	{
		const struct fc_field fields[] = {
			{ "fail", FT_DOUBLE, &bg.fail, 0, -LIMIT_MAX, LIMIT_MAX, 0, LIMIT_WHAT, NULL },
			{ "percentile", FT_ENUM, &stat, 0, 0, 0, 0, "mean, p5, p50, p95 or p99",
			  fc_budget_stat_names },
			{ "warn", FT_DOUBLE, &bg.warn, 0, -LIMIT_MAX, LIMIT_MAX, 0, LIMIT_WHAT, NULL },
		};
		st = fc_schema_read(v, key, fields, sizeof(fields) / sizeof(fields[0]), d);
		if (st != FC_OK)
			return st;
	}
	bg.stat = (enum fc_budget_stat)stat;
	if (isnan(bg.fail) && isnan(bg.warn))
		return fc_error(d, v->loc, "budget for '%s' has no limit: give 'fail', 'warn' or both",
		    key);
	if (!isnan(bg.fail) && !isnan(bg.warn) && bg.warn > bg.fail)
		return fc_error(d, fc_ynode_get(v, "warn")->loc,
		    "warn limit %g for '%s' is above its fail limit %g", bg.warn, key, bg.fail);
	if (!isnan(bg.fail))
		check_share(&bg, bg.fail, fc_ynode_get(v, "fail"), d);
	if (!isnan(bg.warn))
		check_share(&bg, bg.warn, fc_ynode_get(v, "warn"), d);
	return append(b, &bg, at, d);
}

#define PCT_WHAT "a percent >= 0, such as 10 for 10%"

/* One increase budget: {figure, percentile, max_pct, max_usd, warn_pct,
 * warn_usd}. */
static enum fc_status
read_increase(struct fc_budgets *b, const struct fc_ynode *v, struct fc_diags *d)
{
	const char *names[FC_MAX_FIGURES];
	struct fc_budget bg;
	char *figure = NULL;
	int stat = FC_BSTAT_P95;
	enum fc_status st;
	long fig;
	size_t j, nn = 0;

	if (v->kind != FC_Y_MAP)
		return fc_error(d, v->loc,
		    "increase must be {figure, percentile, max_pct, max_usd} or a list of them, not %s",
		    fc_ykind_name(v->kind));
	memset(&bg, 0, sizeof(bg));
	bg.increase = 1;
	bg.warn = bg.fail = bg.warn_pct = bg.fail_pct = NAN;
	bg.loc = v->loc;
	bg.loc.file = b->file;
	{
		const struct fc_field fields[] = {
			{ "figure", FT_STR, &figure, 1, 0, 0, 0, "a figure key such as per_user.api", NULL },
			{ "max_pct", FT_DOUBLE, &bg.fail_pct, 0, 0, LIMIT_MAX, 0, PCT_WHAT, NULL },
			{ "max_usd", FT_DOUBLE, &bg.fail, 0, -LIMIT_MAX, LIMIT_MAX, 0, LIMIT_WHAT, NULL },
			{ "percentile", FT_ENUM, &stat, 0, 0, 0, 0, "mean, p5, p50, p95 or p99",
			  fc_budget_stat_names },
			{ "warn_pct", FT_DOUBLE, &bg.warn_pct, 0, 0, LIMIT_MAX, 0, PCT_WHAT, NULL },
			{ "warn_usd", FT_DOUBLE, &bg.warn, 0, -LIMIT_MAX, LIMIT_MAX, 0, LIMIT_WHAT, NULL },
		};
		st = fc_schema_read(v, "increase", fields, sizeof(fields) / sizeof(fields[0]), d);
	}
	if (st != FC_OK) {
		fc_free(figure);
		return st;
	}
	bg.stat = (enum fc_budget_stat)stat;
	fig = fc_figure_index(figure);
	if (fig < 0) {
		const struct fc_ynode *at = fc_ynode_get(v, "figure");
		const char *sug;
		for (j = 0; j < fc_nfigures && j < FC_MAX_FIGURES; j++)
			names[nn++] = fc_figures[j].key;
		sug = fc_suggest(figure, names, nn);
		if (sug)
			st = fc_error(d, at->loc, "unknown figure '%s' in increase (did you mean '%s'?)",
			    figure, sug);
		else
			st = fc_error(d, at->loc, "unknown figure '%s' in increase: expected a key "
			    "such as per_user.api or flat.monthly_cost", figure);
		fc_free(figure);
		return st;
	}
	fc_free(figure);
	bg.figure = (size_t)fig;
	if (isnan(bg.fail) && isnan(bg.warn) && isnan(bg.fail_pct) && isnan(bg.warn_pct))
		return fc_error(d, v->loc, "increase of '%s' has no limit: give max_pct, max_usd, "
		    "warn_pct or warn_usd", fc_figures[fig].key);
	if ((!isnan(bg.fail) || !isnan(bg.warn)) &&
	    strncmp(fc_figures[fig].unit, "USD", 3) != 0) {
		const struct fc_ynode *at = fc_ynode_get(v, !isnan(bg.fail) ? "max_usd" : "warn_usd");
		return fc_error(d, at->loc, "'%s' is not a figure in USD: bound its increase with "
		    "max_pct or warn_pct", fc_figures[fig].key);
	}
	if (!isnan(bg.fail_pct) && !isnan(bg.warn_pct) && bg.warn_pct > bg.fail_pct)
		return fc_error(d, fc_ynode_get(v, "warn_pct")->loc,
		    "warn_pct %g for '%s' is above its max_pct %g", bg.warn_pct,
		    fc_figures[fig].key, bg.fail_pct);
	if (!isnan(bg.fail) && !isnan(bg.warn) && bg.warn > bg.fail)
		return fc_error(d, fc_ynode_get(v, "warn_usd")->loc,
		    "warn_usd %g for '%s' is above its max_usd %g", bg.warn,
		    fc_figures[fig].key, bg.fail);
	return append(b, &bg, v, d);
}

static enum fc_status
read_increases(struct fc_budgets *b, const struct fc_ynode *v, struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	size_t j;

	if (v->kind != FC_Y_SEQ)
		return read_increase(b, v, d);
	if (v->n == 0)
		return fc_error(d, v->loc, "increase is an empty list");
	for (j = 0; j < v->n; j++) {
		r = read_increase(b, v->vals[j], d);
		if (r == FC_ENOMEM)
			return r;
		if (r != FC_OK)
			st = r;
	}
	return st;
}

enum fc_status
fc_budget_parse(const struct fc_ynode *map, const char *file,
    struct fc_budgets **out, struct fc_diags *d)
{
	const char *names[FC_MAX_FIGURES];
	struct fc_budgets *b;
	enum fc_status st = FC_OK, r;
	size_t i, j, nn = 0;

	*out = NULL;
	if ((r = fc_schema_expect_map(map, "budget", d)) != FC_OK)
		return r;
	b = fc_calloc(1, sizeof(*b));
	if (b == NULL || (b->file = fc_strdup(file ? file : "?")) == NULL) {
		fc_budget_free(b);
		return FC_ENOMEM;
	}
	for (j = 0; j < fc_nfigures && j < FC_MAX_FIGURES; j++)
		names[nn++] = fc_figures[j].key;
	for (i = 0; i < map->n; i++) {
		const struct fc_ynode *k = map->keys[i], *v = map->vals[i];
		long fig = fc_figure_index(k->str);

		if (fig < 0 && strcmp(k->str, "increase") == 0) {
			r = read_increases(b, v, d);
			if (r == FC_ENOMEM)
				goto oom;
			if (r != FC_OK)
				st = r;
			continue;
		}
		if (fig < 0) {
			const char *s = fc_suggest(k->str, names, nn);
			if (s)
				st = fc_error(d, k->loc,
				    "unknown figure '%s' in budget (did you mean '%s'?)", k->str, s);
			else
				st = fc_error(d, k->loc,
				    "unknown figure '%s' in budget: expected a key such as "
				    "per_user.flat or flat.monthly_cost", k->str);
			continue;
		}
		if (v->kind == FC_Y_SEQ) {
			if (v->n == 0)
				st = fc_error(d, v->loc, "budget for '%s' is an empty list", k->str);
			for (j = 0; j < v->n; j++) {
				r = read_one(b, (size_t)fig, v->vals[j], v->vals[j], d);
				if (r == FC_ENOMEM)
					goto oom;
				if (r != FC_OK)
					st = r;
			}
			continue;
		}
		r = read_one(b, (size_t)fig, v, k, d);
		if (r == FC_ENOMEM)
			goto oom;
		if (r != FC_OK)
			st = r;
	}
	if (st != FC_OK || d->oom) {
		fc_budget_free(b);
		return d->oom ? FC_ENOMEM : st;
	}
	*out = b;
	return FC_OK;
oom:
	fc_budget_free(b);
	return FC_ENOMEM;
}

enum fc_status
fc_budget_load(const char *path, struct fc_budgets **out, struct fc_diags *d)
{
	struct fc_ynode *root = NULL;
	enum fc_status st;

	*out = NULL;
	if ((st = fc_ynode_load_file(path, &root, d)) != FC_OK)
		return st;
	if (root->kind == FC_Y_MAP && fc_ynode_find(root, "budget") >= 0) {
		const struct fc_ynode *k = root->keys[fc_ynode_find(root, "budget")];
		st = fc_error(d, k->loc,
		    "a budget file has its limits at the top level: remove 'budget:' "
		    "and unindent what it holds");
	} else {
		st = fc_budget_parse(root, path, out, d);
	}
	fc_ynode_free(root);
	return st;
}

/* A deep copy of n whose locations name file. */
static struct fc_ynode *
ycopy(const struct fc_ynode *n, const char *file)
{
	struct fc_ynode *c = fc_calloc(1, sizeof(*c));
	size_t i;

	if (c == NULL)
		return NULL;
	c->kind = n->kind;
	c->loc = n->loc;
	c->loc.file = file;
	c->len = n->len;
	c->quoted = n->quoted;
	if (n->str) {
		if ((c->str = fc_malloc(n->len + 1)) == NULL)
			goto fail;
		memcpy(c->str, n->str, n->len);
		c->str[n->len] = '\0';
	}
	if (n->n == 0)
		return c;
	if ((c->vals = fc_calloc(n->n, sizeof(*c->vals))) == NULL)
		goto fail;
	if (n->keys && (c->keys = fc_calloc(n->n, sizeof(*c->keys))) == NULL)
		goto fail;
	c->n = n->n;
	for (i = 0; i < n->n; i++) {
		if (n->keys && (c->keys[i] = ycopy(n->keys[i], file)) == NULL)
			goto fail;
		if ((c->vals[i] = ycopy(n->vals[i], file)) == NULL)
			goto fail;
	}
	return c;
fail:
	fc_ynode_free(c);
	return NULL;
}

enum fc_status
fc_budget_from_scenario(const struct fc_scenario *s, struct fc_budgets **out,
    struct fc_diags *d)
{
	const struct fc_ynode *sec;
	struct fc_ynode *copy;
	const char *file;
	enum fc_status st;

	*out = NULL;
	sec = s->tree ? fc_ynode_get(s->tree, "budget") : NULL;
	if (sec == NULL)
		return FC_OK;
	file = fc_diags_intern(d, s->file);
	if (d->oom || (copy = ycopy(sec, file)) == NULL)
		return FC_ENOMEM;
	st = fc_budget_parse(copy, s->file, out, d);
	fc_ynode_free(copy);
	return st;
}

double
fc_budget_value(const struct fc_budget *b, const struct fc_mc_result *r)
{
	const struct fc_stat *st;

	if (b->figure >= fc_nfigures)
		return NAN;
	if (r->deterministic)
		return fc_figure_get(&r->det, b->figure);
	st = &r->stats[b->figure];
	switch (b->stat) {
	case FC_BSTAT_MEAN: return st->mean;
	case FC_BSTAT_P5: return st->p5;
	case FC_BSTAT_P50: return st->p50;
	case FC_BSTAT_P95: return st->p95;
	case FC_BSTAT_P99: return st->p99;
	}
	return NAN;
}

enum fc_budget_level
fc_budget_eval(const struct fc_budget *b, const struct fc_mc_result *r,
    double *value, double *limit)
{
	double v = fc_budget_value(b, r);

	*value = v;
	*limit = !isnan(b->fail) ? b->fail : b->warn;
	if (isnan(v))   /* fail closed: no value is no evidence */
		return !isnan(b->fail) ? FC_BUDGET_FAIL : FC_BUDGET_WARN;
	if (!isnan(b->fail) && v > b->fail)
		return FC_BUDGET_FAIL;
	if (!isnan(b->warn) && v > b->warn) {
		*limit = b->warn;
		return FC_BUDGET_WARN;
	}
	return FC_BUDGET_PASS;
}

/* The level that limits (abs, pct) of one level reach; sets *by_pct and
 * *limit to the limit exceeded. */
/* Above limit by more than the rounding of a difference of two doubles
 * (4.4 - 4.0 is 10.000000000000009% of 4.0): relative 1e-9. */
static int
above(double v, double limit)
{
	return v > limit + 1e-9 * fmax(1, fabs(limit));
}

static int
exceeds(double change, double pct, double abs_limit, double pct_limit,
    int *by_pct, double *limit)
{
	if (!isnan(pct_limit) && above(pct, pct_limit)) {
		*by_pct = 1;
		*limit = pct_limit;
		return 1;
	}
	if (!isnan(abs_limit) && above(change, abs_limit)) {
		*by_pct = 0;
		*limit = abs_limit;
		return 1;
	}
	return 0;
}

void
fc_budget_eval_increase(const struct fc_budget *b, double base, double cand,
    struct fc_budget_change *out)
{
	int has_fail = !isnan(b->fail) || !isnan(b->fail_pct);

	memset(out, 0, sizeof(*out));
	out->base = base;
	out->cand = cand;
	out->change = cand - base;
	if (isnan(out->change))
		out->pct = NAN;
	else if (out->change == 0)
		out->pct = 0;
	else if (base == 0)
		out->pct = out->change > 0 ? INFINITY : -INFINITY;
	else
		out->pct = 100 * out->change / fabs(base);
	/* passing: the first limit set, fail before warn, percent before USD */
	out->by_pct = !isnan(b->fail_pct) || (isnan(b->fail) && !isnan(b->warn_pct));
	out->limit = !isnan(b->fail_pct) ? b->fail_pct : !isnan(b->fail) ? b->fail :
	    !isnan(b->warn_pct) ? b->warn_pct : b->warn;
	if (isnan(out->change)) {   /* fail closed: no value is no evidence */
		out->level = has_fail ? FC_BUDGET_FAIL : FC_BUDGET_WARN;
		return;
	}
	if (exceeds(out->change, out->pct, b->fail, b->fail_pct, &out->by_pct, &out->limit))
		out->level = FC_BUDGET_FAIL;
	else if (exceeds(out->change, out->pct, b->warn, b->warn_pct, &out->by_pct, &out->limit))
		out->level = FC_BUDGET_WARN;
	else
		out->level = FC_BUDGET_PASS;
}

int
fc_budget_have_increase(const struct fc_budgets *b)
{
	size_t i;

	for (i = 0; b && i < b->n; i++)
		if (b->v[i].increase)
			return 1;
	return 0;
}
