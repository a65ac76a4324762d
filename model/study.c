/*
 * study.c: the points of a study (study.h): ranges FROM:TO[:STEPS] log-
 * or evenly spaced, lists of values read as YAML flow sequences (so that
 * a list can hold references such as hetzner/gex44 and inline maps such
 * as {input: 1, output: 4}), their cross product, and the by-value hash
 * of JSON that seals the parts of a sharded study.
 *
 * A list's elements go back to the scenario as KEY=ELEMENT overrides:
 * each is written out again as YAML flow text (quoted scalars quoted
 * again), which --set parses exactly as the list held it.
 */
#include "study.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "ynode.h"

#define DEFAULT_STEPS 25

/* An error with no place in a file (an option's text, a part whose
 * message names the file itself); the study modules share it. */
enum fc_status
fc_study_error(struct fc_diags *d, const char *fmt, ...)
{
	struct fc_loc l = { NULL, 0, 0, 0 };
	enum fc_status st;
	va_list ap;

	va_start(ap, fmt);
	st = fc_verror(d, l, fmt, ap);
	va_end(ap);
	return st;
}

/* Parses FROM:TO[:STEPS] of option opt; steps stays as it was when absent. */
static enum fc_status
parse_range(const char *opt, const char *s, int need_steps, double *from, double *to,
    long *steps, struct fc_diags *d)
{
	char buf[128], *c1, *c2, *end;
	long v;

	if (strlen(s) >= sizeof(buf))
		return fc_study_error(d, "%s: '%s' is too long", opt, s);
	strcpy(buf, s);
	c1 = strchr(buf, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || (need_steps && c2 == NULL) || (c2 && strchr(c2 + 1, ':')))
		return fc_study_error(d, "%s: expected FROM:TO%s, got '%s'", opt,
		    need_steps ? ":STEPS" : "[:STEPS]", s);
	*c1 = '\0';
	if (c2)
		*c2 = '\0';
	if (fc_ynode_parse_double(buf, from) != 0 || !isfinite(*from))
		return fc_study_error(d, "%s: FROM '%s' is not a number", opt, buf);
	if (fc_ynode_parse_double(c1 + 1, to) != 0 || !isfinite(*to))
		return fc_study_error(d, "%s: TO '%s' is not a number", opt, c1 + 1);
	if (c2) {
		errno = 0;
		v = strtol(c2 + 1, &end, 10);
		if (end == c2 + 1 || *end != '\0' || errno == ERANGE)
			return fc_study_error(d, "%s: '%s' is not a whole number", opt, c2 + 1);
		if (v < 2 || v > FC_STUDY_MAX_STEPS)
			return fc_study_error(d, "%s: %ld is out of range (%ld to %ld)", opt, v, 2L,
			    (long)FC_STUDY_MAX_STEPS);
		*steps = v;
	}
	if (!(*from < *to))
		return fc_study_error(d, "%s: expected FROM < TO, got '%s'", opt, s);
	return FC_OK;
}

static enum fc_status
check_users_range(const struct fc_study_axis *a, const char *opt, struct fc_diags *d)
{
	if (a->from < 1 || a->to > FC_STUDY_MAX_USERS)
		return fc_study_error(d, "%s: user counts must be from 1 to %g", opt, FC_STUDY_MAX_USERS);
	if (a->from != floor(a->from) || a->to != floor(a->to))
		return fc_study_error(d, "%s: user counts must be whole numbers", opt);
	return FC_OK;
}

/* The points: log- or evenly spaced, user counts rounded and unique. */
static void
make_points(struct fc_study_axis *a)
{
	long i;

	a->n = 0;
	for (i = 0; i < a->steps; i++) {
		double t = (double)i / (double)(a->steps - 1), v;
		if (i == 0)
			v = a->from;
		else if (i == a->steps - 1)
			v = a->to;
		else if (a->log)
			v = exp(log(a->from) + t * (log(a->to) - log(a->from)));
		else
			v = a->from + t * (a->to - a->from);
		if (a->users)
			v = floor(v + 0.5);
		if (a->n > 0 && v <= a->x[a->n - 1])
			continue;
		a->x[a->n++] = v;
	}
}

/* Appends s to buf at *pos; -1 when it does not fit. */
static int
put(char *buf, size_t len, size_t *pos, const char *s, size_t n)
{
	if (*pos + n >= len)
		return -1;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = '\0';
	return 0;
}

/* A node as YAML flow text: what --set reads back as the same node. */
static int
yaml_flow(const struct fc_ynode *y, char *buf, size_t len, size_t *pos)
{
	size_t i;

	if (y->kind == FC_Y_SCALAR) {
		if (!y->quoted)
			return put(buf, len, pos, y->str, y->len);
		if (put(buf, len, pos, "\"", 1))
			return -1;
		for (i = 0; i < y->len; i++) {
			unsigned char ch = (unsigned char)y->str[i];
			char esc[8];
			if (ch == '"' || ch == '\\')
				snprintf(esc, sizeof(esc), "\\%c", ch);
			else if (ch < 0x20 || ch == 0x7f)
				snprintf(esc, sizeof(esc), "\\x%02x", ch);
			else
				snprintf(esc, sizeof(esc), "%c", ch);
			if (put(buf, len, pos, esc, strlen(esc)))
				return -1;
		}
		return put(buf, len, pos, "\"", 1);
	}
	if (put(buf, len, pos, y->kind == FC_Y_MAP ? "{" : "[", 1))
		return -1;
	for (i = 0; i < y->n; i++) {
		if (i && put(buf, len, pos, ", ", 2))
			return -1;
		if (y->kind == FC_Y_MAP && (yaml_flow(y->keys[i], buf, len, pos) ||
		    put(buf, len, pos, ": ", 2)))
			return -1;
		if (yaml_flow(y->vals[i], buf, len, pos))
			return -1;
	}
	return put(buf, len, pos, y->kind == FC_Y_MAP ? "}" : "]", 1);
}

/* KEY=[a, b, ...]: the elements, parsed by libyaml as a flow sequence;
 * its syntax errors are at "--vary". */
static enum fc_status
parse_list(const char *arg, const char *val, struct fc_study_axis *a, struct fc_diags *d)
{
	struct fc_ynode *y = NULL;
	enum fc_status st;
	size_t i, j, pos;

	st = fc_ynode_parse("--vary", val, strlen(val), &y, d);
	if (st == FC_ENOMEM)
		return st;
	if (st != FC_OK || y->kind != FC_Y_SEQ || y->n == 0 || y->n > FC_STUDY_MAX_STEPS) {
		st = fc_study_error(d, "--vary: expected KEY=[A, B, ...] (a YAML list of 1 to %d "
		    "values), got '%s'", FC_STUDY_MAX_STEPS, arg);
		goto out;
	}
	if ((a->label = fc_calloc(y->n, sizeof(*a->label))) == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	a->list = 1;
	a->n = y->n;
	for (i = 0; i < y->n; i++) {
		const struct fc_ynode *e = y->vals[i];
		pos = 0;
		if (yaml_flow(e, a->label[i], FC_STUDY_MAX_LABEL, &pos) != 0) {
			st = fc_study_error(d, "--vary %s: element %zu is longer than %d characters",
			    a->key, i + 1, FC_STUDY_MAX_LABEL - 1);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (strcmp(a->label[j], a->label[i]) == 0) {
				st = fc_study_error(d, "--vary %s: '%s' is listed twice", a->key, a->label[i]);
				goto out;
			}
		if (e->kind != FC_Y_SCALAR || e->quoted || fc_ynode_parse_double(e->str, &a->x[i]) != 0)
			a->x[i] = NAN;
	}
out:
	fc_ynode_free(y);
	return st;
}

/* One --vary KEY=FROM:TO:STEPS or KEY=[...]. */
static enum fc_status
parse_vary(const char *arg, struct fc_study_axis *a, struct fc_diags *d)
{
	const char *eq = strchr(arg, '='), *val;

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(a->key))
		return fc_study_error(d, "--vary: expected KEY=FROM:TO:STEPS or KEY=[A, B, ...], "
		    "got '%s'", arg);
	memcpy(a->key, arg, (size_t)(eq - arg));
	a->key[eq - arg] = '\0';
	a->arg = arg;
	a->users = strcmp(a->key, "users") == 0;
	/* the Monte Carlo settings are the run's, one for every point: a
	 * varied one would be read by no point */
	if (strcmp(a->key, "simulation.trials") == 0 || strcmp(a->key, "simulation.seed") == 0)
		return fc_study_error(d, "--vary %s: not a model input (every point runs the "
		    "run's %s); give --%s N to change it for the whole sweep", a->key,
		    a->key + 11, a->key + 11);
	for (val = eq + 1; *val == ' '; val++)
		;
	if (*val == '[') {
		if (a->users)
			return fc_study_error(d, "--vary users: user counts take FROM:TO:STEPS, not a list");
		return parse_list(arg, val, a, d);
	}
	a->steps = DEFAULT_STEPS;
	if (parse_range("--vary", eq + 1, 1, &a->from, &a->to, &a->steps, d) != FC_OK)
		return FC_EINVAL;
	if (a->users && check_users_range(a, "--vary", d) != FC_OK)
		return FC_EINVAL;
	return FC_OK;
}

/* The users option: a range (the users axis), or N fixing the count
 * beside the varied axes. */
static enum fc_status
parse_users(const char *arg, size_t nvary, struct fc_study_grid *g,
    struct fc_study_axis **ua, struct fc_diags *d)
{
	struct fc_study_axis *a;

	if (strchr(arg, ':') == NULL) {
		if (nvary == 0)
			return fc_study_error(d, "--users: a sweep needs a range FROM:TO[:STEPS], got '%s'",
			    arg);
		if (fc_ynode_parse_double(arg, &g->fixed_users) != 0)
			return fc_study_error(d, "--users: '%s' is not a number", arg);
		if (g->fixed_users < 1 || g->fixed_users > FC_STUDY_MAX_USERS)
			return fc_study_error(d, "--users: %s is out of range (%g to %g)", arg, 1.0,
			    FC_STUDY_MAX_USERS);
		if (g->fixed_users != floor(g->fixed_users))
			return fc_study_error(d, "--users: expected a whole number, got '%s'", arg);
		return FC_OK;
	}
	if ((a = fc_calloc(1, sizeof(*a))) == NULL)
		return FC_ENOMEM;
	*ua = a;
	strcpy(a->key, "users");
	a->users = 1;
	a->steps = DEFAULT_STEPS;
	if (parse_range("--users", arg, 0, &a->from, &a->to, &a->steps, d) != FC_OK ||
	    check_users_range(a, "--users", d) != FC_OK)
		return FC_EINVAL;
	return FC_OK;
}

/* v as the scenario reads it back from its 15-digit text */
static double
round15(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%.15g", v);
	return strtod(buf, NULL);
}

/* The points of the ranges, and the point count of the grid. */
static enum fc_status
grid_points(int spacing, struct fc_study_grid *g, struct fc_diags *d)
{
	size_t j, i, k;
	char buf[64];

	g->npoints = 1;
	for (j = 0; j < g->naxes; j++) {
		struct fc_study_axis *a = g->ax[j];
		if (!a->list) {
			/* user counts are log-spaced by default, other numbers evenly */
			a->log = spacing >= 0 ? spacing : a->users;
			if (a->log && a->from <= 0)
				return fc_study_error(d, "--log needs FROM > 0; use --linear");
			/* the axis holds the values exactly as the scenario reads
			 * them (15 digits): the ends first, so that the rounded
			 * points stay within them, then the points, once each */
			if (!a->users) {
				a->from = round15(a->from, buf, sizeof(buf));
				a->to = round15(a->to, buf, sizeof(buf));
			}
			make_points(a);
			for (i = 0, k = 0; !a->users && i < a->n; i++) {
				double v = round15(a->x[i], buf, sizeof(buf));
				if (k == 0 || v > a->x[k - 1])
					a->x[k++] = v;
			}
			if (!a->users)
				a->n = k;
			if (a->n < 2)
				return fc_study_error(d, "the range gives fewer than 2 distinct points");
		}
		if (g->npoints * a->n > FC_STUDY_MAX_POINTS)
			return fc_study_error(d, "the grid has more than %d points", FC_STUDY_MAX_POINTS);
		g->npoints *= a->n;
		g->grid |= a->list;
	}
	g->grid |= g->naxes > 1;
	g->uaxis = g->ax[g->naxes - 1]->users;
	g->nu = g->uaxis ? g->ax[g->naxes - 1]->n : 1;
	g->ncomb = g->npoints / g->nu;
	return FC_OK;
}

static void
axis_free(struct fc_study_axis *a)
{
	if (a)
		fc_free(a->label);
	fc_free(a);
}

enum fc_status
fc_study_grid_parse(const struct fc_study_grid_opts *o, struct fc_study_grid *g,
    struct fc_diags *d)
{
	struct fc_study_axis *ua = NULL;
	enum fc_status st;
	size_t i, j;

	memset(g, 0, sizeof(*g));
	g->fixed_users = NAN;
	if (o->nvary > FC_STUDY_MAX_VARY)
		return fc_study_error(d, "at most %d --vary options", FC_STUDY_MAX_VARY);
	for (i = 0; i < o->nvary; i++) {
		struct fc_study_axis *a = fc_calloc(1, sizeof(*a));
		if (a == NULL) {
			st = FC_ENOMEM;
			goto fail;
		}
		if ((st = parse_vary(o->vary[i], a, d)) != FC_OK) {
			axis_free(a);
			goto fail;
		}
		for (j = 0; j < g->naxes; j++)
			if (strcmp(g->ax[j]->key, a->key) == 0)
				break;
		if (j < g->naxes || (a->users && ua)) {
			axis_free(a);
			st = fc_study_error(d, "--vary %s given twice", o->vary[i]);
			goto fail;
		}
		if (a->users)
			ua = a;
		else
			g->ax[g->naxes++] = a;
	}
	if (o->users && ua) {
		g->ax[g->naxes++] = ua;
		return fc_study_error(d, "--vary users=... and --users: give one");
	}
	if (o->users && (st = parse_users(o->users, o->nvary, g, &ua, d)) != FC_OK) {
		if (ua)
			g->ax[g->naxes++] = ua;
		return st;
	}
	if (ua)
		g->ax[g->naxes++] = ua;
	if (g->naxes == 0)
		return fc_study_error(d, "nothing to sweep: give --users FROM:TO[:STEPS] or "
		    "--vary KEY=FROM:TO:STEPS");
	return grid_points(o->spacing, g, d);
fail:
	/* a users axis read before the failing --vary is not in ax[] yet:
	 * hand it over, so that fc_study_grid_free() frees it */
	if (ua)
		g->ax[g->naxes++] = ua;
	return st;
}

void
fc_study_grid_free(struct fc_study_grid *g)
{
	size_t j;

	for (j = 0; j < g->naxes; j++) {
		axis_free(g->ax[j]);
		g->ax[j] = NULL;
	}
	g->naxes = 0;
}

size_t
fc_study_index(const struct fc_study_grid *g, size_t p, size_t j)
{
	size_t k;

	for (k = g->naxes - 1; k > j; k--)
		p /= g->ax[k]->n;
	return p % g->ax[j]->n;
}

void
fc_study_value_text(char *buf, size_t len, const struct fc_study_axis *a, size_t i)
{
	if (a->list)
		snprintf(buf, len, "%s", a->label[i]);
	else
		snprintf(buf, len, "%.15g", a->x[i]);
}

size_t
fc_study_comb_sets(const struct fc_study_grid *g, size_t c, char (*sets)[FC_STUDY_SET_LEN])
{
	size_t j, n = 0, p = c * g->nu;
	char v[FC_STUDY_MAX_LABEL];

	for (j = 0; j < g->naxes; j++) {
		const struct fc_study_axis *a = g->ax[j];
		if (a->users)
			continue;
		fc_study_value_text(v, sizeof(v), a, fc_study_index(g, p, j));
		snprintf(sets[n++], FC_STUDY_SET_LEN, "%s=%s", a->key, v);
	}
	return n;
}

/* flat - api at point r: at the means, or between the medians;
 * INFINITY where flat is not viable (never cheaper). */
static double
point_diff(const struct fc_mc_result *r, long kapi, long kflat)
{
	if (!r->breakeven.viability.viable)
		return INFINITY;
	if (r->deterministic)
		return fc_figure_get(&r->det, (size_t)kflat) - fc_figure_get(&r->det, (size_t)kapi);
	return r->stats[kflat].p50 - r->stats[kapi].p50;
}

/* study.h */
enum fc_status
fc_study_crossings(struct fc_study_run *r)
{
	const struct fc_study_grid *g = r->g;
	const struct fc_study_axis *a = g->ax[g->naxes - 1];
	long kapi = fc_figure_index("api.monthly_cost"), kflat = fc_figure_index("flat.monthly_cost");
	double d[FC_STUDY_MAX_STEPS];
	enum fc_status st = FC_OK;
	size_t i, c;

	if (g->uaxis) {
		for (c = 0; c < g->ncomb && st == FC_OK; c++)
			st = fc_breakeven_crossing_users(&r->res[c * g->nu].breakeven, r->lasting[c],
			    r->lasting[c] ? (size_t)r->nlasting[c] : 0, &r->cross[c]);
	} else if (!g->grid) {
		for (i = 0; i < a->n; i++)
			d[i] = point_diff(&r->res[i], kapi, kflat);
		st = fc_breakeven_crossing_grid(a->x, a->n, a->log, d, r->diff, r->diff ? r->trials : 0,
		    &r->cross[0]);
	}
	return st;
}

int
fc_study_run_alloc(struct fc_study_run *r, const struct fc_scenario *s, const struct fc_study_grid *g,
    size_t stride)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->g = g;
	r->stride = stride;
	r->res = fc_calloc((g->npoints + stride - 1) / stride, sizeof(*r->res));
	r->lasting = fc_calloc(g->ncomb, sizeof(*r->lasting));
	r->nlasting = fc_calloc(g->ncomb, sizeof(*r->nlasting));
	r->cross = fc_calloc(g->ncomb, sizeof(*r->cross));
	if (g->uaxis) {
		r->be = fc_calloc((g->ncomb + stride - 1) / stride, sizeof(*r->be));
		r->cdone = fc_calloc(g->ncomb, 1);
		if (r->be == NULL || r->cdone == NULL)
			return -1;
	}
	return r->res && r->lasting && r->nlasting && r->cross ? 0 : -1;
}

struct fc_mc_result *
fc_study_res(const struct fc_study_run *r, size_t p)
{
	return &r->res[p / r->stride];
}

struct fc_study_be *
fc_study_be_of(const struct fc_study_run *r, size_t c)
{
	return &r->be[c / r->stride];
}

double *
fc_study_diff(const struct fc_study_run *r, size_t p)
{
	return r->diff + p / r->stride * (size_t)r->trials;
}

int
fc_study_run_diff(struct fc_study_run *r)
{
	size_t n = (r->g->npoints + r->stride - 1) / r->stride, tr = (size_t)r->trials;

	if (r->trials == 0 || r->g->grid || r->g->uaxis)
		return 0;
	if (tr > ((size_t)-1 / sizeof(double)) / n)
		return -1;
	r->diff = fc_malloc(n * tr * sizeof(double));
	return r->diff ? 0 : -1;
}

void
fc_study_run_free(struct fc_study_run *r)
{
	size_t i;

	if (r->res)
		for (i = 0; i < (r->g->npoints + r->stride - 1) / r->stride; i++)
			fc_mc_result_free(&r->res[i]);
	if (r->lasting)
		for (i = 0; i < r->g->ncomb; i++)
			fc_free(r->lasting[i]);
	fc_free(r->res);
	fc_free(r->lasting);
	fc_free(r->nlasting);
	fc_free(r->cross);
	fc_free(r->diff);
	fc_free(r->be);
	fc_free(r->cdone);
	memset(r, 0, sizeof(*r));
}

void
fc_study_breakeven_range(const struct fc_study_grid *g, struct fc_mc_opts *o)
{
	if (g->uaxis) {
		o->breakeven_from = g->ax[g->naxes - 1]->x[0];
		o->breakeven_to = g->ax[g->naxes - 1]->x[g->nu - 1];
	}
}

enum fc_status
fc_study_run_point(struct fc_study_run *r, const struct fc_scenario *s, struct fc_mc_opts *o,
    size_t p, int sharded)
{
	const struct fc_study_grid *g = r->g;
	const struct fc_study_axis *ua = g->ax[g->naxes - 1];
	size_t iu = p % g->nu, c = p / g->nu, t, tr = (size_t)r->trials;
	long kv = fc_figure_index("flat.viable"), kb = fc_figure_index("breakeven_users");
	long kapi = fc_figure_index("api.monthly_cost"), kflat = fc_figure_index("flat.monthly_cost");
	struct fc_mc_result *res = fc_study_res(r, p);
	enum fc_status st;

	o->users = g->uaxis ? ua->x[iu] : g->fixed_users;
	o->no_breakeven = g->uaxis && (iu > 0 || sharded);
	if ((st = fc_mc_run(s, o, res)) != FC_OK)
		return st;
	for (t = 0; r->diff && t < tr; t++) {
		const double *v = res->samples + t * fc_nfigures;
		fc_study_diff(r, p)[t] = v[kv] != 0 ? v[kflat] - v[kapi] : INFINITY;
	}
	if (g->uaxis && iu == 0 && res->trial_lasting) {
		r->lasting[c] = res->trial_lasting;
		r->nlasting[c] = res->breakeven_trials;
		res->trial_lasting = NULL;
	}
	if (g->uaxis && iu > 0 && !sharded) {
		const struct fc_mc_result *r0 = fc_study_res(r, c * g->nu);
		res->det.breakeven_users = r0->det.breakeven_users;
		if (kb >= 0)
			res->stats[kb] = r0->stats[kb];
		res->breakeven = r0->breakeven;
		res->breakeven_stat = r0->breakeven_stat;
		res->first_stat = r0->first_stat;
		res->p_breakeven_found = r0->p_breakeven_found;
		res->breakeven_trials = r0->breakeven_trials;
	}
	/* the statistics stay; the samples are not needed any more */
	fc_mc_result_free(res);
	return FC_OK;
}

enum fc_status
fc_study_run_breakeven(struct fc_study_run *r, const struct fc_scenario *s,
    const struct fc_mc_opts *opts, size_t c)
{
	const struct fc_study_axis *ua = r->g->ax[r->g->naxes - 1];
	struct fc_mc_result res;
	struct fc_mc_opts o = *opts;
	struct fc_study_be *be = fc_study_be_of(r, c);
	enum fc_status st;

	o.users = ua->x[0];
	o.no_breakeven = 0;
	o.progress = NULL;
	if ((st = fc_mc_run(s, &o, &res)) != FC_OK)
		return st;
	be->b = res.breakeven;
	be->lasting_stat = res.breakeven_stat;
	be->first_stat = res.first_stat;
	be->p_found = res.p_breakeven_found;
	be->trials = res.breakeven_trials;
	r->lasting[c] = res.trial_lasting;
	r->nlasting[c] = res.breakeven_trials;
	res.trial_lasting = NULL;
	r->cdone[c] = 1;
	fc_mc_result_free(&res);
	return FC_OK;
}

/* A double as a part writes it: NaN as null, the infinities as strings. */
static json_t *
dbl(double v)
{
	if (isnan(v))
		return json_null();
	if (isinf(v))
		return json_string(v > 0 ? "inf" : "-inf");
	return json_real(v);
}

json_t *
fc_study_point_json(const struct fc_study_grid *g, size_t p)
{
	json_t *pt = json_array();
	char v[FC_STUDY_MAX_LABEL];
	size_t j;

	for (j = 0; pt && j < g->naxes; j++) {
		const struct fc_study_axis *a = g->ax[j];
		size_t x = fc_study_index(g, p, j);
		int rc;
		if (a->list) {
			fc_study_value_text(v, sizeof(v), a, x);
			rc = json_array_append_new(pt, json_string(v));
		} else {
			rc = json_array_append_new(pt, dbl(a->x[x]));
		}
		if (rc != 0) {
			json_decref(pt);
			return NULL;
		}
	}
	return pt;
}

uint64_t
fc_study_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
fc_study_hash_json(uint64_t *h, const json_t *j)
{
	char num[64];
	const char *key, **keys;
	const json_t *v;
	size_t i, n = 0;
	double x;
	int rc = 0;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if ((keys = fc_malloc((json_object_size(j) + 1) * sizeof(*keys))) == NULL)
			return -1;
		json_object_foreach((json_t *)j, key, v)
			keys[n++] = key;
		qsort(keys, n, sizeof(*keys), cmp_key);
		*h = fc_study_fnv(*h, "{", 1);
		for (i = 0; i < n && rc == 0; i++) {
			*h = fc_study_fnv(*h, keys[i], strlen(keys[i]) + 1);
			rc = fc_study_hash_json(h, json_object_get(j, keys[i]));
		}
		fc_free(keys);
		*h = fc_study_fnv(*h, "}", 1);
		return rc;
	case JSON_ARRAY:
		*h = fc_study_fnv(*h, "[", 1);
		json_array_foreach(j, i, v)
			if ((rc = fc_study_hash_json(h, v)) != 0)
				return rc;
		*h = fc_study_fnv(*h, "]", 1);
		return 0;
	case JSON_STRING:
		*h = fc_study_fnv(*h, "s", 1);
		*h = fc_study_fnv(*h, json_string_value(j), json_string_length(j) + 1);
		return 0;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "n%lld", (long long)json_integer_value(j));
		break;
	case JSON_REAL:
		/* an integral value as an integer: 10.0 and 10 are one number */
		x = json_real_value(j);
		if (x == floor(x) && fabs(x) < 9007199254740992.0)
			snprintf(num, sizeof(num), "n%lld", (long long)x);
		else
			snprintf(num, sizeof(num), "n%.17g", x);
		break;
	case JSON_TRUE:
		*h = fc_study_fnv(*h, "t", 1);
		return 0;
	case JSON_FALSE:
		*h = fc_study_fnv(*h, "f", 1);
		return 0;
	default:
		*h = fc_study_fnv(*h, "z", 1);
		return 0;
	}
	*h = fc_study_fnv(*h, num, strlen(num) + 1);
	return 0;
}
