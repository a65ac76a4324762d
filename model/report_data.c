/*
 * report_data.c: the figures of `flatcost report`, gathered by running the
 * analyses of simulate, sweep, sensitivity and compare with their own
 * options (report_data.h says which), and the decision read from them.
 */
#include "report_data.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ynode.h"

size_t
fc_report_data_user_points(double from, double to, long steps, double *x)
{
	size_t n = 0;
	long i;

	for (i = 0; i < steps; i++) {
		double t = (double)i / (double)(steps - 1), v;
		if (i == 0)
			v = from;
		else if (i == steps - 1)
			v = to;
		else
			v = exp(log(from) + t * (log(to) - log(from)));
		v = floor(v + 0.5);
		if (n > 0 && v <= x[n - 1])
			continue;
		x[n++] = v;
	}
	return n;
}

/* The default axis: from a quarter of the smaller of the users and the
 * breakeven to four times the larger, within [1, FC_MC_BREAKEVEN_MAX_USERS]. */
static void
default_axis(const struct fc_report_data *d, double *from, double *to)
{
	double u = d->now.in.users, be = d->now.breakeven.lasting;
	double lo = isfinite(be) && be < u ? be : u, hi = isfinite(be) && be > u ? be : u;

	*from = floor(lo / 4);
	if (*from < 1)
		*from = 1;
	*to = ceil(hi * 4);
	if (*to > FC_MC_BREAKEVEN_MAX_USERS)
		*to = FC_MC_BREAKEVEN_MAX_USERS;
	if (*to < *from + 1)
		*to = *from + 1;
}

static enum fc_status
run_points(const struct fc_scenario *s, const struct fc_report_opts *o,
    struct fc_report_data *d)
{
	struct fc_mc_opts mo = o->mc;
	enum fc_status st;
	size_t i;

	d->users_from = o->users_from;
	d->users_to = o->users_to;
	if (d->users_from <= 0 || d->users_to <= 0)
		default_axis(d, &d->users_from, &d->users_to);
	d->users_steps = o->users_steps > 0 ? o->users_steps : FC_REPORT_DEFAULT_STEPS;
	if (d->users_steps < 2 || d->users_steps > FC_REPORT_MAX_POINTS || d->users_from < 1 ||
	    d->users_to <= d->users_from)
		return FC_EDOM;
	d->npoints = fc_report_data_user_points(d->users_from, d->users_to, d->users_steps, d->x);
	if ((d->pts = fc_calloc(d->npoints, sizeof(*d->pts))) == NULL)
		return FC_ENOMEM;
	/* as sweep: the same seed at every point, the breakeven searched
	 * over the axis at its first point only */
	mo.months = 0;
	mo.keep_draws = 0;
	mo.breakeven_from = d->x[0];
	mo.breakeven_to = d->x[d->npoints - 1];
	for (i = 0; i < d->npoints; i++) {
		mo.users = d->x[i];
		mo.no_breakeven = i > 0;
		if ((st = fc_mc_run(s, &mo, &d->pts[i])) != FC_OK)
			return st;
		/* the statistics stay; the trials are not needed */
		fc_mc_result_free(&d->pts[i]);
	}
	return FC_OK;
}

/* The uncertain inputs that vary over the n trials of draws. */
static void
pick_inputs(const struct fc_scenario *s, const struct fc_mc_opts *o, const double *draws,
    size_t n, struct fc_report_data *d)
{
	size_t k, i;

	d->nsens_cols = 0;
	for (k = 0; k < fc_inputs_mc_n && d->nsens_cols < sizeof(d->sens_cols) /
	    sizeof(d->sens_cols[0]); k++) {
		const double *x = draws + k;
		int varies = 0;
		if (!fc_mc_input_uncertain(s, o, k))
			continue;
		for (i = 1; i < n && !varies; i++)
			varies = x[i * fc_inputs_mc_n] != x[0];
		if (varies)
			d->sens_cols[d->nsens_cols++] = k;
	}
}

/* sensitivity's analysis of y (stride apart, n trials) over r's draws. */
static enum fc_status
sens_of(const struct fc_scenario *s, const struct fc_mc_opts *o, const struct fc_mc_result *r,
    const double *y, size_t stride, struct fc_report_data *d)
{
	struct fc_sens_opts so = { 0, FC_REPORT_RESAMPLES, 0 };
	size_t n = (size_t)r->trials;

	so.seed = o->seed;
	pick_inputs(s, o, r->draws, n, d);
	if (d->nsens_cols == 0 || n < FC_SENS_MIN_TRIALS)
		return FC_EDOM;
	return fc_sensitivity_run(y, stride, r->draws, fc_inputs_mc_n, d->sens_cols, n, d->nsens_cols,
	    &so, &d->sens);
}

static enum fc_status
run_sensitivity(const struct fc_scenario *s, const struct fc_report_opts *o,
    struct fc_report_data *d)
{
	struct fc_mc_opts so = o->mc;
	enum fc_status st;
	long k = fc_figure_index("savings.monthly");

	so.months = d->months;
	st = sens_of(s, &so, &d->timeline, d->timeline.months->payback_samples, 1, d);
	if (st == FC_OK) {
		d->sens_figure = "payback_month";
	} else if (st == FC_EDOM && k >= 0) {
		so.months = 0;
		st = sens_of(s, &so, &d->now, d->now.samples + k, fc_nfigures, d);
		d->sens_figure = "savings.monthly";
	}
	if (st == FC_ENOMEM)
		return st;
	d->have_sens = st == FC_OK;
	return FC_OK;
}

static enum fc_status
run_compare(const struct fc_scenario *s, const struct fc_report_opts *o,
    struct fc_report_data *d)
{
	const struct fc_catalog *cat = o->cat;
	size_t i, n = 0, cap = cat->nhw + 3, m;
	struct fc_cmp_option *v;

	if ((v = fc_calloc(cap, sizeof(*v))) == NULL)
		return FC_ENOMEM;
	d->cmp = v;
	/* compare's default list: the scenario's own server first when it
	 * is not a catalog entry, every catalog server priced on the basis
	 * of the scenario's (like with like; every basis when it states
	 * none), the API, the route */
	for (i = 0; i <= cat->nhw; i++) {
		const struct fc_hw *h = i == 0 ? &s->flat.hw : &cat->hw[i - 1];
		if (i == 0 && fc_catalog_hw(cat, s->flat.hw.id) != NULL)
			continue;
		if (i > 0 && !fc_hw_basis_matches(h, s->flat.hw.price_basis))
			continue;
		v[n].kind = FC_CMP_FLAT;
		v[n].hw = h;
		v[n].model = &s->flat.model;
		v[n].quant = s->flat.quant;
		snprintf(v[n].ref, sizeof(v[n].ref), "%s-%s", s->flat.model.id,
		    fc_quant_names[s->flat.quant]);
		n++;
	}
	v[n].kind = FC_CMP_API;
	snprintf(v[n].ref, sizeof(v[n].ref), "%s", s->api.id ? s->api.id : "inline");
	n++;
	if (s->route.n) {
		v[n].kind = FC_CMP_API_ROUTED;
		for (m = 0; m < s->route.n; m++) {
			size_t len = strlen(v[n].ref);
			snprintf(v[n].ref + len, sizeof(v[n].ref) - len, "%s%s", m ? "+" : "",
			    s->route.price[m].id ? s->route.price[m].id : "inline");
		}
		n++;
	}
	d->ncmp = n;
	d->rank.fig = fc_figure_index("flat.monthly_cost");
	d->rank.stat = 2;   /* p50 */
	return fc_compare_run(s, &o->mc, &d->rank, v, n);
}

static void
decide(struct fc_report_data *d)
{
	const struct fc_months *mo = d->timeline.months;
	long m;

	d->later_month = 0;
	d->later_users = NAN;
	d->driver = -1;
	d->driver_share = NAN;
	if (d->have_sens) {
		d->driver = (long)d->sens_cols[d->sens.order[0]];
		d->driver_share = d->sens.rows[d->sens.order[0]].share;
	}
	if (!d->now.breakeven.viability.viable || mo->p_payback < 0.5) {
		d->verdict = FC_RV_NOT;
		d->probability = 1 - mo->p_payback;
		return;
	}
	d->probability = mo->p_payback;
	if (d->now.p_flat_cheaper >= 0.5) {
		d->verdict = FC_RV_NOW;
		return;
	}
	d->verdict = FC_RV_LATER;
	for (m = 0; m < mo->n; m++)
		if (mo->stat[m][FC_MF_SAVINGS].p50 > 0) {
			d->later_month = m + 1;
			d->later_users = mo->stat[m][FC_MF_USERS].p50;
			return;
		}
}

enum fc_status
fc_report_data_gather(const struct fc_scenario *s, const struct fc_report_opts *o,
    struct fc_report_data *d)
{
	struct fc_mc_opts mo = o->mc;
	enum fc_status st;

	memset(d, 0, sizeof(*d));
	if (o->mc.deterministic || o->months < 1 || o->months > FC_MAX_SCHEDULE ||
	    (o->compare && o->cat == NULL))
		return FC_EDOM;
	d->months = o->months;
	/* simulate (sensitivity keeps the draws of the same trials) */
	mo.months = 0;
	mo.keep_draws = 1;
	if ((st = fc_mc_run(s, &mo, &d->now)) != FC_OK)
		return st;
	/* simulate --months N: months 1..N */
	mo.month = 1;
	mo.months = o->months;
	if ((st = fc_mc_run(s, &mo, &d->timeline)) != FC_OK)
		return st;
	if ((st = run_points(s, o, d)) != FC_OK)
		return st;
	if ((st = run_sensitivity(s, o, d)) != FC_OK)
		return st;
	if (o->compare && (st = run_compare(s, o, d)) != FC_OK)
		return st;
	decide(d);
	return FC_OK;
}

void
fc_report_data_free(struct fc_report_data *d)
{
	size_t i;

	if (d == NULL)
		return;
	fc_mc_result_free(&d->now);
	fc_mc_result_free(&d->timeline);
	for (i = 0; d->pts && i < d->npoints; i++)
		fc_mc_result_free(&d->pts[i]);
	fc_free(d->pts);
	d->pts = NULL;
	fc_sensitivity_free(&d->sens);
	fc_free(d->cmp);
	d->cmp = NULL;
}

/* The node at dotted key in the tree, or NULL. */
static const struct fc_ynode *
tree_get(const struct fc_ynode *t, const char *key)
{
	char part[128];
	const char *dot;

	while (t && *key) {
		size_t n;
		if (t->kind != FC_Y_MAP)
			return NULL;
		dot = strchr(key, '.');
		n = dot ? (size_t)(dot - key) : strlen(key);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, key, n);
		part[n] = '\0';
		t = fc_ynode_get(t, part);
		key += n + (dot != NULL);
	}
	return t;
}

int
fc_report_data_calibrated(const struct fc_scenario *s, char *buf, size_t len)
{
	static const char mark[] = "# Fitted by flatcost calibrate from";
	char line[1024];
	FILE *f;
	int i, found = 0;

	buf[0] = '\0';
	if (s->file == NULL || (f = fopen(s->file, "r")) == NULL)
		return 0;
	for (i = 0; i < 20 && fgets(line, sizeof(line), f); i++)
		if (strncmp(line, mark, sizeof(mark) - 1) == 0) {
			char *p = line + sizeof(mark) - 1;
			p += strspn(p, " ");
			p[strcspn(p, "\n")] = '\0';
			snprintf(buf, len, "%s", p);
			found = 1;
			break;
		}
	fclose(f);
	return found;
}

enum fc_report_data_origin
fc_report_data_origin(const struct fc_scenario *s, const char *key, int *line)
{
	const struct fc_ynode *n = tree_get(s->tree, key);
	char from[8];

	*line = 0;
	if (n == NULL)
		return FC_RO_DEFAULT;
	if (n->loc.file && strcmp(n->loc.file, "--set") == 0)
		return FC_RO_SET;
	*line = n->loc.line;
	return fc_report_data_calibrated(s, from, sizeof(from)) ? FC_RO_CALIBRATED : FC_RO_FILE;
}
