/*
 * sweep_grid.c: the points of a sweep (sweep.h): ranges FROM:TO[:STEPS]
 * log- or evenly spaced, lists of values read as YAML flow sequences
 * (so that a list can hold references such as hetzner/gex44 and inline
 * maps such as {input: 1, output: 4}), and their cross product.
 *
 * A list's elements go back to the scenario as --set KEY=ELEMENT: each
 * is written out again as YAML flow text (quoted scalars quoted again),
 * which --set parses exactly as the list held it.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "ynode.h"

#define DEFAULT_STEPS 25
#define MAX_USERS 1e10

/* Parses FROM:TO[:STEPS] of option opt; steps stays as it was when absent. */
static int
parse_range(const char *cmd, const char *opt, const char *s, int need_steps, double *from,
    double *to, long *steps)
{
	char buf[128], *c1, *c2;

	if (strlen(s) >= sizeof(buf))
		return cli_usage_error(cmd, "%s: '%s' is too long", opt, s);
	strcpy(buf, s);
	c1 = strchr(buf, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || (need_steps && c2 == NULL) || (c2 && strchr(c2 + 1, ':')))
		return cli_usage_error(cmd, "%s: expected FROM:TO%s, got '%s'", opt,
		    need_steps ? ":STEPS" : "[:STEPS]", s);
	*c1 = '\0';
	if (c2)
		*c2 = '\0';
	if (fc_parse_double(buf, from) != 0 || !isfinite(*from))
		return cli_usage_error(cmd, "%s: FROM '%s' is not a number", opt, buf);
	if (fc_parse_double(c1 + 1, to) != 0 || !isfinite(*to))
		return cli_usage_error(cmd, "%s: TO '%s' is not a number", opt, c1 + 1);
	if (c2 && arg_long(cmd, opt, c2 + 1, 2, SWEEP_MAX_STEPS, steps))
		return EXIT_USAGE;
	if (!(*from < *to))
		return cli_usage_error(cmd, "%s: expected FROM < TO, got '%s'", opt, s);
	return 0;
}

static int
check_users_range(const char *cmd, const struct axis *a, const char *opt)
{
	if (a->from < 1 || a->to > MAX_USERS)
		return cli_usage_error(cmd, "%s: user counts must be from 1 to %g", opt, MAX_USERS);
	if (a->from != floor(a->from) || a->to != floor(a->to))
		return cli_usage_error(cmd, "%s: user counts must be whole numbers", opt);
	return 0;
}

/* The points: log- or evenly spaced, user counts rounded and unique. */
static void
make_points(struct axis *a)
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

/* KEY=[a, b, ...]: the elements, parsed by libyaml as a flow sequence. */
static int
parse_list(const char *cmd, const char *arg, const char *val, struct axis *a)
{
	struct fc_diags d;
	struct fc_ynode *y = NULL;
	enum fc_status st;
	size_t i, j, pos;
	int rc = EXIT_USAGE;

	if (cli_add_source("--vary", val) != 0)
		return cli_oom();
	fc_diags_init(&d);
	st = fc_yaml_parse("--vary", val, strlen(val), &y, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st != FC_OK || y->kind != FC_Y_SEQ || y->n == 0 || y->n > SWEEP_MAX_STEPS) {
		cli_usage_error(cmd, "--vary: expected KEY=[A, B, ...] (a YAML list of 1 to %d "
		    "values), got '%s'", SWEEP_MAX_STEPS, arg);
		goto out;
	}
	if ((a->label = fc_calloc(y->n, sizeof(*a->label))) == NULL) {
		rc = cli_oom();
		goto out;
	}
	a->list = 1;
	a->n = y->n;
	for (i = 0; i < y->n; i++) {
		const struct fc_ynode *e = y->vals[i];
		pos = 0;
		if (yaml_flow(e, a->label[i], SWEEP_MAX_LABEL, &pos) != 0) {
			cli_usage_error(cmd, "--vary %s: element %zu is longer than %d characters",
			    a->key, i + 1, SWEEP_MAX_LABEL - 1);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (strcmp(a->label[j], a->label[i]) == 0) {
				cli_usage_error(cmd, "--vary %s: '%s' is listed twice", a->key,
				    a->label[i]);
				goto out;
			}
		if (e->kind != FC_Y_SCALAR || e->quoted || fc_parse_double(e->str, &a->x[i]) != 0)
			a->x[i] = NAN;
	}
	rc = 0;
out:
	fc_ynode_free(y);
	return rc;
}

/* One --vary KEY=FROM:TO:STEPS or KEY=[...]. */
static int
parse_vary(const char *cmd, const char *arg, struct axis *a)
{
	const char *eq = strchr(arg, '='), *val;

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(a->key))
		return cli_usage_error(cmd, "--vary: expected KEY=FROM:TO:STEPS or KEY=[A, B, ...], "
		    "got '%s'", arg);
	memcpy(a->key, arg, (size_t)(eq - arg));
	a->key[eq - arg] = '\0';
	a->arg = arg;
	a->users = strcmp(a->key, "users") == 0;
	/* the Monte Carlo settings are the run's, one for every point: a
	 * varied one would be read by no point */
	if (strcmp(a->key, "simulation.trials") == 0 || strcmp(a->key, "simulation.seed") == 0)
		return cli_usage_error(cmd, "--vary %s: not a model input (every point runs the "
		    "run's %s); give --%s N to change it for the whole sweep", a->key,
		    a->key + 11, a->key + 11);
	for (val = eq + 1; *val == ' '; val++)
		;
	if (*val == '[') {
		if (a->users)
			return cli_usage_error(cmd, "--vary users: user counts take FROM:TO:STEPS, "
			    "not a list");
		return parse_list(cmd, arg, val, a);
	}
	a->steps = DEFAULT_STEPS;
	if (parse_range(cmd, "--vary", eq + 1, 1, &a->from, &a->to, &a->steps))
		return EXIT_USAGE;
	if (a->users && check_users_range(cmd, a, "--vary"))
		return EXIT_USAGE;
	return 0;
}

/* --users: a range (the users axis), or N fixing the count beside --vary. */
static int
parse_users(const char *cmd, const char *arg, size_t nvary, struct sweep_grid *g,
    struct axis **ua)
{
	struct axis *a;

	if (strchr(arg, ':') == NULL) {
		if (nvary == 0)
			return cli_usage_error(cmd, "--users: a sweep needs a range FROM:TO[:STEPS], "
			    "got '%s'", arg);
		if (arg_double(cmd, "--users", arg, 1, MAX_USERS, &g->fixed_users))
			return EXIT_USAGE;
		if (g->fixed_users != floor(g->fixed_users))
			return cli_usage_error(cmd, "--users: expected a whole number, got '%s'", arg);
		return 0;
	}
	if ((a = fc_calloc(1, sizeof(*a))) == NULL)
		return cli_oom();
	*ua = a;
	strcpy(a->key, "users");
	a->users = 1;
	a->steps = DEFAULT_STEPS;
	if (parse_range(cmd, "--users", arg, 0, &a->from, &a->to, &a->steps) ||
	    check_users_range(cmd, a, "--users"))
		return EXIT_USAGE;
	return 0;
}

/* The points of the ranges, and the point count of the grid. */
/* v as the scenario reads it back from its 15-digit text */
static double
round15(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%.15g", v);
	return strtod(buf, NULL);
}

static int
grid_points(const char *cmd, int spacing, struct sweep_grid *g)
{
	size_t j, i, k;
	char buf[64];

	g->npoints = 1;
	for (j = 0; j < g->naxes; j++) {
		struct axis *a = g->ax[j];
		if (!a->list) {
			/* user counts are log-spaced by default, other numbers evenly */
			a->log = spacing >= 0 ? spacing : a->users;
			if (a->log && a->from <= 0)
				return cli_usage_error(cmd, "--log needs FROM > 0; use --linear");
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
				return cli_usage_error(cmd, "the range gives fewer than 2 distinct points");
		}
		if (g->npoints * a->n > SWEEP_MAX_POINTS)
			return cli_usage_error(cmd, "the grid has more than %d points", SWEEP_MAX_POINTS);
		g->npoints *= a->n;
		g->grid |= a->list;
	}
	g->grid |= g->naxes > 1;
	g->uaxis = g->ax[g->naxes - 1]->users;
	g->nu = g->uaxis ? g->ax[g->naxes - 1]->n : 1;
	g->ncomb = g->npoints / g->nu;
	return 0;
}

int
sweep_grid_parse(const char *cmd, const char *users_arg, const char *const *vary,
    size_t nvary, int spacing, struct sweep_grid *g)
{
	struct axis *ua = NULL;
	size_t i, j;
	int rc;

	memset(g, 0, sizeof(*g));
	g->fixed_users = NAN;
	if (nvary > SWEEP_MAX_VARY)
		return cli_usage_error(cmd, "at most %d --vary options", SWEEP_MAX_VARY);
	for (i = 0; i < nvary; i++) {
		struct axis *a = fc_calloc(1, sizeof(*a));
		if (a == NULL)
			return cli_oom();
		if ((rc = parse_vary(cmd, vary[i], a)) != 0) {
			fc_free(a->label);
			fc_free(a);
			goto fail;
		}
		for (j = 0; j < g->naxes; j++)
			if (strcmp(g->ax[j]->key, a->key) == 0)
				break;
		if (j < g->naxes || (a->users && ua)) {
			fc_free(a->label);
			fc_free(a);
			rc = cli_usage_error(cmd, "--vary %s given twice", vary[i]);
			goto fail;
		}
		if (a->users)
			ua = a;
		else
			g->ax[g->naxes++] = a;
	}
	if (users_arg && ua) {
		g->ax[g->naxes++] = ua;
		return cli_usage_error(cmd, "--vary users=... and --users: give one");
	}
	if (users_arg && (rc = parse_users(cmd, users_arg, nvary, g, &ua)) != 0) {
		g->ax[g->naxes++] = ua;
		return rc;
	}
	if (ua)
		g->ax[g->naxes++] = ua;
	if (g->naxes == 0)
		return cli_usage_error(cmd, "nothing to sweep: give --users FROM:TO[:STEPS] or "
		    "--vary KEY=FROM:TO:STEPS");
	return grid_points(cmd, spacing, g);
fail:
	/* a users axis read before the failing --vary is not in ax[] yet:
	 * hand it over, so that sweep_grid_free() frees it (found by fuzz_range) */
	if (ua)
		g->ax[g->naxes++] = ua;
	return rc;
}

void
sweep_grid_free(struct sweep_grid *g)
{
	size_t j;

	for (j = 0; j < g->naxes; j++) {
		if (g->ax[j])
			fc_free(g->ax[j]->label);
		fc_free(g->ax[j]);
		g->ax[j] = NULL;
	}
	g->naxes = 0;
}

size_t
sweep_index(const struct sweep_grid *g, size_t p, size_t j)
{
	size_t k;

	for (k = g->naxes - 1; k > j; k--)
		p /= g->ax[k]->n;
	return p % g->ax[j]->n;
}

void
sweep_value_text(char *buf, size_t len, const struct axis *a, size_t i)
{
	if (a->list)
		snprintf(buf, len, "%s", a->label[i]);
	else
		snprintf(buf, len, "%.15g", a->x[i]);
}

size_t
sweep_comb_sets(const struct sweep_grid *g, size_t c, char (*sets)[SWEEP_SET_LEN])
{
	size_t j, n = 0, p = c * g->nu;
	char v[SWEEP_MAX_LABEL];

	for (j = 0; j < g->naxes; j++) {
		const struct axis *a = g->ax[j];
		if (a->users)
			continue;
		sweep_value_text(v, sizeof(v), a, sweep_index(g, p, j));
		snprintf(sets[n++], SWEEP_SET_LEN, "%s=%s", a->key, v);
	}
	return n;
}

int
sweep_load_comb(const char *path, const char *const *sets, size_t nsets,
    const struct sweep_grid *g, size_t c, struct fc_catalog **cat, struct fc_scenario **s)
{
	char own[SWEEP_MAX_AXES][SWEEP_SET_LEN], at[SWEEP_MAX_AXES * SWEEP_SET_LEN] = "";
	const char *all[CLI_MAX_SETS + SWEEP_MAX_AXES];
	size_t n = sweep_comb_sets(g, c, own), i;
	int rc, known = 1;

	for (i = 0; i < nsets; i++)
		all[i] = sets[i];
	/* KEY=VALUE after the --set overrides */
	for (i = 0; i < n; i++) {
		const char *const *p;
		all[nsets + i] = own[i];
		for (p = fc_scenario_paths(); *p; p++)
			if (strncmp(own[i], *p, strlen(*p)) == 0 && own[i][strlen(*p)] == '=')
				break;
		known &= *p != NULL;
		strcat(at, i ? ", " : "");
		strcat(at, own[i]);
	}
	rc = load_scenario_varyn(path, all, nsets + n, n, cat, s);
	if (rc == EXIT_USAGE && known && n == 1 && g->ax[0]->arg)
		cli_err("--vary %s: the point %s is not valid", g->ax[0]->arg, at);
	else if (rc == EXIT_USAGE && known && n)
		cli_err("--vary: the point %s is not valid", at);
	return rc;
}

int
sweep_check_combs(const char *path, const char *const *sets, size_t nsets,
    const struct sweep_grid *g, const struct fc_scenario *s, struct fc_catalog **cat,
    char *hash, size_t hashlen)
{
	uint64_t h = SWEEP_FNV_INIT;
	struct fc_scenario *cs;
	size_t c, nvaried = g->naxes - (size_t)g->uaxis;
	int rc = EXIT_OK;

	for (c = 0; c < (nvaried ? g->ncomb : 1) && rc == EXIT_OK; c++) {
		cs = NULL;
		if (nvaried && (rc = sweep_load_comb(path, sets, nsets, g, c, cat, &cs)) != EXIT_OK)
			break;
		if (hash && sweep_inputs_hash(cs ? cs : s, &h) != 0)
			rc = cli_oom();
		fc_scenario_free(cs);
	}
	if (hash)
		snprintf(hash, hashlen, "fnv1a64:%016llx", (unsigned long long)h);
	return rc;
}
