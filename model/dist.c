/*
 * dist.c: the distribution table and the parser for uncertain numbers.
 */
#include "dist.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

/* z of the 95th percentile: "A to B" is a 90% interval */
#define Z95 1.6448536269514722

void
fc_dist_lognormal_params(double mean, double cv, double *mu, double *sigma)
{
	double s2 = log1p(cv * cv);

	*sigma = sqrt(s2);
	*mu = log(mean) - s2 / 2;
}

struct dist_row {
	const char *name;
	int np;
	const char *params[3];
	/* returns an error message or NULL */
	const char *(*validate)(const double *p, char *buf, size_t len);
	double (*sample)(const double *p, gsl_rng *rng);
	double (*mean)(const double *p);
	double (*quantile)(const double *p, double q);
	double (*min)(const double *p);   /* support, for range checks */
	double (*max)(const double *p);
};

static double ret_p0(const double *p) { return p[0]; }
static double ret_p1(const double *p) { return p[1]; }
static double ret_p2(const double *p) { return p[2]; }
static double ret_inf(const double *p) { (void)p; return INFINITY; }
static double ret_ninf(const double *p) { (void)p; return -INFINITY; }

static const char *
const_validate(const double *p, char *buf, size_t len)
{
	(void)p; (void)buf; (void)len;
	return NULL;
}
static double const_sample(const double *p, gsl_rng *r) { (void)r; return p[0]; }
static double const_quantile(const double *p, double q) { (void)q; return p[0]; }

static const char *
lognormal_validate(const double *p, char *buf, size_t len)
{
	if (!(p[0] > 0)) {
		snprintf(buf, len, "a lognormal needs mean > 0 (got %g)", p[0]);
		return buf;
	}
	if (!(p[1] >= 0) || p[1] > 100) {
		snprintf(buf, len, "a lognormal needs 0 <= cv <= 100 (got %g)", p[1]);
		return buf;
	}
	return NULL;
}
static double
lognormal_sample(const double *p, gsl_rng *r)
{
	double mu, s;

	fc_dist_lognormal_params(p[0], p[1], &mu, &s);
	/* exp(mu + s z) with GSL's ziggurat: 2-3x faster than gsl_ran_lognormal
	 * (docs/model.md, "Random number speed") and the same distribution */
	return exp(mu + s * gsl_ran_gaussian_ziggurat(r, 1.0));
}
static double
lognormal_quantile(const double *p, double q)
{
	double mu, s;

	fc_dist_lognormal_params(p[0], p[1], &mu, &s);
	return exp(mu + s * gsl_cdf_ugaussian_Pinv(q));
}

static const char *
normal_validate(const double *p, char *buf, size_t len)
{
	if (!(p[1] >= 0)) {
		snprintf(buf, len, "a normal needs sd >= 0 (got %g)", p[1]);
		return buf;
	}
	return NULL;
}
static double
normal_sample(const double *p, gsl_rng *r)
{
	return p[0] + gsl_ran_gaussian_ziggurat(r, p[1]);
}
static double
normal_quantile(const double *p, double q)
{
	return p[0] + p[1] * gsl_cdf_ugaussian_Pinv(q);
}

static const char *
uniform_validate(const double *p, char *buf, size_t len)
{
	if (p[0] > p[1]) {
		snprintf(buf, len, "a uniform needs min <= max (got min %g > max %g)",
		    p[0], p[1]);
		return buf;
	}
	return NULL;
}
static double uniform_sample(const double *p, gsl_rng *r) { return p[0] + (p[1] - p[0]) * gsl_rng_uniform(r); }
static double uniform_mean(const double *p) { return (p[0] + p[1]) / 2; }
static double uniform_quantile(const double *p, double q) { return p[0] + (p[1] - p[0]) * q; }

static const char *
minmodemax(const char *name, const double *p, char *buf, size_t len)
{
	if (!(p[0] <= p[1] && p[1] <= p[2])) {
		snprintf(buf, len, "a %s needs min <= mode <= max (got %g, %g, %g)",
		    name, p[0], p[1], p[2]);
		return buf;
	}
	return NULL;
}
static const char *tri_validate(const double *p, char *buf, size_t len) { return minmodemax("triangular", p, buf, len); }
static const char *pert_validate(const double *p, char *buf, size_t len) { return minmodemax("pert", p, buf, len); }
static double
tri_quantile(const double *p, double q)
{
	double a = p[0], c = p[1], b = p[2], fc;

	if (b == a)
		return a;
	fc = (c - a) / (b - a);
	if (q < fc)
		return a + sqrt(q * (b - a) * (c - a));
	return b - sqrt((1 - q) * (b - a) * (b - c));
}
static double tri_sample(const double *p, gsl_rng *r) { return tri_quantile(p, gsl_rng_uniform(r)); }
static double tri_mean(const double *p) { return (p[0] + p[1] + p[2]) / 3; }

/* PERT: a beta on [min, max] with alpha = 1 + 4 (mode - min) / (max - min),
 * beta = 1 + 4 (max - mode) / (max - min); mean (min + 4 mode + max) / 6. */
static void
pert_ab(const double *p, double *al, double *be)
{
	double w = p[2] - p[0];

	*al = 1 + 4 * (p[1] - p[0]) / w;
	*be = 1 + 4 * (p[2] - p[1]) / w;
}
static double
pert_sample(const double *p, gsl_rng *r)
{
	double al, be;

	if (p[2] == p[0])
		return p[0];
	pert_ab(p, &al, &be);
	return p[0] + (p[2] - p[0]) * gsl_ran_beta(r, al, be);
}
static double pert_mean(const double *p) { return (p[0] + 4 * p[1] + p[2]) / 6; }
static double
pert_quantile(const double *p, double q)
{
	double al, be;

	if (p[2] == p[0])
		return p[0];
	pert_ab(p, &al, &be);
	return p[0] + (p[2] - p[0]) * gsl_cdf_beta_Pinv(q, al, be);
}

/* Beta(a, b) on [0, 1]: a share known from a + b - 2 trials (a Beta
 * posterior, e.g. from calibrate's shadow-run column); mean a / (a + b). */
static const char *
beta_validate(const double *p, char *buf, size_t len)
{
	if (!(p[0] > 0) || !(p[1] > 0) || p[0] > 1e12 || p[1] > 1e12) {
		snprintf(buf, len, "a beta needs a > 0 and b > 0 (got a %g, b %g)", p[0], p[1]);
		return buf;
	}
	return NULL;
}
static double beta_sample(const double *p, gsl_rng *r) { return gsl_ran_beta(r, p[0], p[1]); }
static double beta_mean(const double *p) { return p[0] / (p[0] + p[1]); }
/* GSL's inverse does not converge for large shapes (a + b in the
 * millions, a shadow run of a month): there the normal approximation
 * is exact to far below the precision of a share. */
static double
beta_quantile(const double *p, double q)
{
	double n = p[0] + p[1], m = p[0] / n, v;

	if (n <= 1e4)
		return gsl_cdf_beta_Pinv(q, p[0], p[1]);
	v = m + sqrt(m * (1 - m) / (n + 1)) * gsl_cdf_ugaussian_Pinv(q);
	return v < 0 ? 0 : v > 1 ? 1 : v;
}
static double ret_0(const double *p) { (void)p; return 0; }
static double ret_1(const double *p) { (void)p; return 1; }

static const struct dist_row dists[] = {
	[FC_DIST_CONST] = { "const", 1, { "value" }, const_validate,
	    const_sample, ret_p0, const_quantile, ret_p0, ret_p0 },
	[FC_DIST_LOGNORMAL] = { "lognormal", 2, { "mean", "cv" },
	    lognormal_validate, lognormal_sample, ret_p0, lognormal_quantile,
	    ret_ninf, ret_inf },
	[FC_DIST_NORMAL] = { "normal", 2, { "mean", "sd" }, normal_validate,
	    normal_sample, ret_p0, normal_quantile, ret_ninf, ret_inf },
	[FC_DIST_UNIFORM] = { "uniform", 2, { "min", "max" }, uniform_validate,
	    uniform_sample, uniform_mean, uniform_quantile, ret_p0, ret_p1 },
	[FC_DIST_TRIANGULAR] = { "triangular", 3, { "min", "mode", "max" },
	    tri_validate, tri_sample, tri_mean, tri_quantile, ret_p0, ret_p2 },
	[FC_DIST_PERT] = { "pert", 3, { "min", "mode", "max" }, pert_validate,
	    pert_sample, pert_mean, pert_quantile, ret_p0, ret_p2 },
	[FC_DIST_BETA] = { "beta", 2, { "a", "b" }, beta_validate, beta_sample,
	    beta_mean, beta_quantile, ret_0, ret_1 },
};
#define NDISTS (sizeof(dists) / sizeof(dists[0]))

const char *
fc_dist_name(enum fc_dist_kind k)
{
	return (size_t)k < NDISTS ? dists[k].name : "?";
}

struct fc_num
fc_num_const(double v)
{
	struct fc_num x;

	memset(&x, 0, sizeof(x));
	x.kind = FC_DIST_CONST;
	x.p[0] = v;
	x.lo = -INFINITY;
	x.hi = INFINITY;
	return x;
}

int
fc_num_is_const(const struct fc_num *x)
{
	return x->kind == FC_DIST_CONST;
}

/* The mean of x truncated to [lo, hi] (normal or lognormal):
 * normal m + sd (phi(a) - phi(b)) / Z; lognormal
 * e^(mu + s^2/2) (Phi(B - s) - Phi(A - s)) / Z, A, B the bounds' z of the log. */
static double
truncated_mean(const struct fc_num *x)
{
	double z = x->qhi - x->qlo, a, b, mu, sg;

	if (!(z > 0))
		return x->qlo >= 1 ? x->hi : x->lo;
	if (x->kind == FC_DIST_NORMAL) {
		if (!(x->p[1] > 0))
			return x->p[0];
		a = (x->lo - x->p[0]) / x->p[1];
		b = (x->hi - x->p[0]) / x->p[1];
		return x->p[0] + x->p[1] * ((isfinite(a) ? gsl_ran_ugaussian_pdf(a) : 0) -
		    (isfinite(b) ? gsl_ran_ugaussian_pdf(b) : 0)) / z;
	}
	fc_dist_lognormal_params(x->p[0], x->p[1], &mu, &sg);
	if (!(sg > 0))
		return x->p[0];
	a = x->lo > 0 ? (log(x->lo) - mu) / sg : -INFINITY;
	b = isfinite(x->hi) ? (log(x->hi) - mu) / sg : INFINITY;
	return x->p[0] * (gsl_cdf_ugaussian_P(b - sg) - gsl_cdf_ugaussian_P(a - sg)) / z;
}

double
fc_num_mean(const struct fc_num *x)
{
	if (x->truncate)
		return truncated_mean(x) + x->shift;
	return dists[x->kind].mean(x->p) + x->shift;
}

double
fc_num_truncated(const struct fc_num *x)
{
	return x->truncate ? x->qlo + (1 - x->qhi) : 0;
}

double
fc_num_quantile(const struct fc_num *x, double q)
{
	return dists[x->kind].quantile(x->p, q) + x->shift;
}

double
fc_num_at(const struct fc_num *x, double q)
{
	double v;

	if (x->kind == FC_DIST_CONST)
		return x->p[0] + x->shift;
	if (x->truncate)
		q = x->qlo + (x->qhi - x->qlo) * q;
	v = dists[x->kind].quantile(x->p, q) + x->shift;
	if (v < x->lo)
		v = x->lo;
	if (v > x->hi)
		v = x->hi;
	return v;
}

double
fc_num_sample(const struct fc_num *x, gsl_rng *rng)
{
	double v;

	if (x->kind == FC_DIST_CONST)
		return x->p[0] + x->shift;
	if (x->truncate)
		return fc_num_at(x, gsl_rng_uniform_pos(rng));
	v = dists[x->kind].sample(x->p, rng) + x->shift;
	if (v < x->lo)
		v = x->lo;
	if (v > x->hi)
		v = x->hi;
	return v;
}

static int
in_range(double v, double lo, double hi, int lo_open)
{
	return (lo_open ? v > lo : v >= lo) && v <= hi;
}

static enum fc_status
range_error(struct fc_diags *d, struct fc_loc loc, const char *what,
    const char *which, double v)
{
	return fc_error(d, loc, "%s%s%g is out of range: expected %s", which,
	    *which ? " of " : "", v, what);
}

/* "20 to 60": the lognormal whose 5th and 95th percentiles are 20 and 60. */
static enum fc_status
parse_to_range(const struct fc_ynode *n, const char *what, struct fc_num *out,
    struct fc_diags *d)
{
	char a[64], b[64], extra;
	double lo, hi, mu, s;

	if (sscanf(n->str, " %63s to %63s %c", a, b, &extra) != 2 ||
	    fc_ynode_parse_double(a, &lo) || fc_ynode_parse_double(b, &hi))
		return fc_error(d, n->loc, "expected %s, got '%s'", what, n->str);
	if (!(lo > 0 && hi > lo))
		return fc_error(d, n->loc,
		    "'%s': a range 'A to B' needs 0 < A < B (it is a lognormal's 90%% interval)",
		    n->str);
	mu = (log(lo) + log(hi)) / 2;
	s = (log(hi) - log(lo)) / (2 * Z95);
	out->kind = FC_DIST_LOGNORMAL;
	out->p[0] = exp(mu + s * s / 2);
	out->p[1] = sqrt(expm1(s * s));
	return FC_OK;
}

static const char *
dist_names[NDISTS] = { "const", "lognormal", "normal", "uniform", "triangular", "pert", "beta" };

static enum fc_status
parse_dist_map(const struct fc_ynode *n, const char *what, struct fc_num *out,
    struct fc_diags *d)
{
	const struct fc_ynode *dn = fc_ynode_get(n, "dist");
	const struct dist_row *row = NULL;
	enum fc_status st = FC_OK;
	size_t i, k;
	int seen[3] = { 0, 0, 0 };

	if (dn == NULL)
		return fc_error(d, n->loc,
		    "expected %s or a distribution such as {dist: lognormal, mean: 30, cv: 0.4}: missing key 'dist'",
		    what);
	if (dn->kind != FC_Y_SCALAR)
		return fc_error(d, dn->loc, "'dist' must be a distribution name");
	for (k = 1; k < NDISTS; k++)
		if (strcmp(dn->str, dists[k].name) == 0)
			row = &dists[k];
	if (row == NULL) {
		const char *s = fc_suggest(dn->str, dist_names + 1, NDISTS - 1);
		if (s)
			return fc_error(d, dn->loc,
			    "unknown distribution '%s' (did you mean '%s'?)", dn->str, s);
		return fc_error(d, dn->loc,
		    "unknown distribution '%s' (expected lognormal, normal, uniform, triangular, pert or beta)",
		    dn->str);
	}
	out->kind = (enum fc_dist_kind)(row - dists);
	for (i = 0; i < n->n; i++) {
		const struct fc_ynode *key = n->keys[i], *v = n->vals[i];
		int j, found = -1;

		if (strcmp(key->str, "dist") == 0)
			continue;
		if (strcmp(key->str, "truncate") == 0) {
			if (v->kind != FC_Y_SCALAR || v->quoted ||
			    (strcmp(v->str, "true") != 0 && strcmp(v->str, "false") != 0))
				st = fc_error(d, v->loc, "truncate must be true or false");
			else
				out->truncate = strcmp(v->str, "true") == 0;
			continue;
		}
		for (j = 0; j < row->np; j++)
			if (strcmp(key->str, row->params[j]) == 0)
				found = j;
		if (found < 0) {
			const char *s = fc_suggest(key->str, row->params, (size_t)row->np);
			if (s)
				st = fc_error(d, key->loc,
				    "unknown parameter '%s' for %s (did you mean '%s'?)",
				    key->str, row->name, s);
			else if (row->np == 2)
				st = fc_error(d, key->loc,
				    "unknown parameter '%s' for %s (expected %s and %s)",
				    key->str, row->name, row->params[0], row->params[1]);
			else
				st = fc_error(d, key->loc,
				    "unknown parameter '%s' for %s (expected %s, %s and %s)",
				    key->str, row->name, row->params[0], row->params[1],
				    row->params[2]);
			continue;
		}
		if (v->kind != FC_Y_SCALAR || v->quoted ||
		    fc_ynode_parse_double(v->str, &out->p[found])) {
			st = fc_error(d, v->loc, "%s of %s must be a finite number",
			    row->params[found], row->name);
			continue;
		}
		seen[found] = 1;
	}
	if (st != FC_OK)
		return st;
	for (i = 0; i < (size_t)row->np; i++)
		if (!seen[i])
			return fc_error(d, n->loc, "%s distribution is missing '%s'",
			    row->name, row->params[i]);
	return FC_OK;
}

/* The CDF of x's untruncated distribution at v (normal and lognormal,
 * the ones with unbounded tails). */
static double
tail_cdf(const struct fc_num *x, double v)
{
	double mu, sg;

	if (x->kind == FC_DIST_NORMAL)
		return x->p[1] > 0 ? gsl_cdf_ugaussian_P((v - x->p[0]) / x->p[1]) :
		    (v >= x->p[0] ? 1 : 0);
	if (v <= 0)
		return 0;
	fc_dist_lognormal_params(x->p[0], x->p[1], &mu, &sg);
	return sg > 0 ? gsl_cdf_ugaussian_P((log(v) - mu) / sg) : (v >= x->p[0] ? 1 : 0);
}

/* Bounds hold for draws: a tail that puts more than FC_DIST_TAIL_MAX of
 * the mass outside [lo, hi] is refused (the draws would be clamped onto
 * the bound), unless x says truncate: true (then x's qlo, qhi are set). */
static enum fc_status
check_tails(const struct fc_ynode *n, const char *key, const char *what,
    struct fc_num *x, struct fc_diags *d)
{
	double below, above;
	const char *sep = key ? ": " : "";

	if (key == NULL)
		key = "";

	if (x->kind != FC_DIST_NORMAL && x->kind != FC_DIST_LOGNORMAL) {
		if (x->truncate)
			return fc_error(d, n->loc, "truncate applies to a normal or a "
			    "lognormal (a %s stays within its min and max)", fc_dist_name(x->kind));
		return FC_OK;
	}
	below = isfinite(x->lo) ? tail_cdf(x, x->lo) : 0;
	above = isfinite(x->hi) ? 1 - tail_cdf(x, x->hi) : 0;
	if (x->truncate) {
		x->qlo = below;
		x->qhi = 1 - above;
		if (!(x->qhi - x->qlo > 1e-9))
			return fc_error(d, n->loc, "the %s has no mass within the range "
			    "(expected %s): truncating leaves nothing to draw", fc_dist_name(x->kind), what);
		fc_note(d, n->loc, "%s%sdraws truncated to the range: %.3g%% of the %s's mass "
		    "lies outside it (expected %s)", key, sep, 100 * (below + above),
		    fc_dist_name(x->kind), what);
		return FC_OK;
	}
	if (below + above <= FC_DIST_TAIL_MAX)
		return FC_OK;
	if (below >= above)
		return fc_error(d, n->loc, "%s%s%.3g%% of the %s's draws fall below the bound "
		    "%g (expected %s): narrow it, or write it as a mapping with "
		    "'truncate: true' to draw only within the range", key, sep,
		    100 * below, fc_dist_name(x->kind), x->lo, what);
	return fc_error(d, n->loc, "%s%s%.3g%% of the %s's draws fall above the bound "
	    "%g (expected %s): narrow it, or write it as a mapping with "
	    "'truncate: true' to draw only within the range", key, sep,
	    100 * above, fc_dist_name(x->kind), x->hi, what);
}

enum fc_status
fc_num_parse(const struct fc_ynode *n, double lo, double hi, int lo_open,
    const char *what, struct fc_num *out, struct fc_diags *d)
{
	return fc_num_parse_key(n, NULL, lo, hi, lo_open, what, out, d);
}

enum fc_status
fc_num_parse_key(const struct fc_ynode *n, const char *key, double lo, double hi,
    int lo_open, const char *what, struct fc_num *out, struct fc_diags *d)
{
	const struct dist_row *row;
	enum fc_status st;
	char buf[160];
	const char *msg;
	double smin, smax;

	*out = fc_num_const(0);
	out->loc = n->loc;
	out->lo = lo;
	out->hi = hi;
	if (n->kind == FC_Y_SEQ)
		return fc_error(d, n->loc, "expected %s, got a list", what);
	if (n->kind == FC_Y_MAP) {
		if ((st = parse_dist_map(n, what, out, d)) != FC_OK)
			return st;
	} else if (strstr(n->str, " to ")) {
		if ((st = parse_to_range(n, what, out, d)) != FC_OK)
			return st;
	} else {
		if (n->str[0] == '\0')
			return fc_error(d, n->loc, "expected %s, got nothing", what);
		if (fc_ynode_parse_double(n->str, &out->p[0])) {
			const char *s = n->str;
			char *end;
			double big = strtod(s, &end);
			if (strcasecmp(s, "nan") == 0 || strcasecmp(s, ".nan") == 0 ||
			    strcasestr(s, "inf") || (*end == '\0' && isinf(big)))
				return fc_error(d, n->loc,
				    "'%s' is not a finite number: expected %s", s, what);
			if (fc_ynode_number_hint(s, buf, sizeof(buf)))
				return fc_error(d, n->loc, "expected %s, got '%s' (did you mean %s?)",
				    what, s, buf);
			return fc_error(d, n->loc, "expected %s, got '%s'", what, s);
		}
		if (!in_range(out->p[0], lo, hi, lo_open))
			return range_error(d, n->loc, what, "", out->p[0]);
		return FC_OK;
	}
	row = &dists[out->kind];
	if ((msg = row->validate(out->p, buf, sizeof(buf))) != NULL)
		return fc_error(d, n->loc, "%s", msg);
	/* a distribution's support must sit inside the field's range, except
	 * for unbounded tails (normal, lognormal) that are clamped when drawn */
	smin = row->min(out->p);
	smax = row->max(out->p);
	if (isfinite(smin) && !in_range(smin, lo, hi, lo_open))
		return range_error(d, n->loc, what, "the minimum", smin);
	if (isfinite(smax) && !in_range(smax, lo, hi, lo_open))
		return range_error(d, n->loc, what, "the maximum", smax);
	if (!out->truncate && !in_range(fc_num_mean(out), lo, hi, lo_open))
		return range_error(d, n->loc, what, "the mean", fc_num_mean(out));
	if ((st = check_tails(n, key, what, out, d)) != FC_OK)
		return st;
	if (!in_range(fc_num_mean(out), lo, hi, lo_open))
		return range_error(d, n->loc, what, "the mean", fc_num_mean(out));
	return FC_OK;
}
