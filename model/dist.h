/*
 * dist.h: numbers that may be uncertain.  Any number in a scenario is a
 * struct fc_num: a constant or a distribution.  Distributions are rows of
 * a table { name, params, validate, sample, mean } (dist.c), like
 * gsl_rng_type; sampling is built on GSL's samplers.
 */
#ifndef FC_DIST_H
#define FC_DIST_H

#include <gsl/gsl_rng.h>

#include "fc.h"
#include "ynode.h"

enum fc_dist_kind {
	FC_DIST_CONST,      /* p[0] = value */
	FC_DIST_LOGNORMAL,  /* p[0] = mean, p[1] = cv (sd / mean) */
	FC_DIST_NORMAL,     /* p[0] = mean, p[1] = sd */
	FC_DIST_UNIFORM,    /* p[0] = min, p[1] = max */
	FC_DIST_TRIANGULAR, /* p[0] = min, p[1] = mode, p[2] = max */
	FC_DIST_PERT,       /* p[0] = min, p[1] = mode, p[2] = max (beta, lambda 4) */
	FC_DIST_BETA,       /* p[0] = a, p[1] = b: Beta(a, b) on [0, 1] */
};

struct fc_num {
	enum fc_dist_kind kind;
	double p[3];
	double lo, hi;      /* the field's range: samples are clamped into it */
	double shift;       /* added to every value, mean and quantile (a prompt's
	                     * tokens before the user's part); 0 for most numbers */
	struct fc_loc loc;  /* where it was written */
	/* `truncate: true`: draws come from the distribution truncated to
	 * [lo, hi] (the quantiles qlo..qhi of the untruncated one), and its
	 * mean is the truncated mean; the share cut off is qlo + 1 - qhi */
	int truncate;
	double qlo, qhi;
};

/* A distribution with unbounded tails (normal, lognormal) may put at most
 * this share of its mass outside its key's range; more is refused at
 * load unless the number says `truncate: true` (flatcost-scenario(5)). */
#define FC_DIST_TAIL_MAX 1e-4
/* The share of x's draws truncated (truncate: true), else 0. */
double fc_num_truncated(const struct fc_num *x);

/* Parses a scalar number, a {dist: ...} mapping or "A to B" (a lognormal
 * whose 90% interval is A..B).  lo..hi is the field's valid range
 * (lo_open: lo itself is excluded); what names the expected form for
 * errors ("a number of users >= 0").  A distribution whose tails put more
 * than FC_DIST_TAIL_MAX of its mass outside lo..hi is an error naming the
 * bound and the share outside, unless its mapping says `truncate: true`
 * (then a note in d says the share truncated). */
enum fc_status fc_num_parse(const struct fc_ynode *n, double lo, double hi,
    int lo_open, const char *what, struct fc_num *out, struct fc_diags *d);
/* fc_num_parse for the number of key `key` ("flat.one_time"), which the
 * errors about its tails name; key may be NULL. */
enum fc_status fc_num_parse_key(const struct fc_ynode *n, const char *key, double lo,
    double hi, int lo_open, const char *what, struct fc_num *out, struct fc_diags *d);
struct fc_num fc_num_const(double v);
double fc_num_mean(const struct fc_num *x);
/* The value at quantile q in (0, 1), clamped into [lo, hi] like a draw:
 * a trial that draws q once gets the same rank in every number it
 * applies q to (a schedule of shares by month). */
double fc_num_at(const struct fc_num *x, double q);
/* A draw, clamped into [lo, hi].  Constants draw nothing from rng. */
double fc_num_sample(const struct fc_num *x, gsl_rng *rng);
int fc_num_is_const(const struct fc_num *x);
/* The distribution's name ("const", "lognormal", ...). */
const char *fc_dist_name(enum fc_dist_kind k);
/* Quantile function of the unclamped distribution (for tests and the
 * "A to B" shorthand); p in (0, 1). */
double fc_num_quantile(const struct fc_num *x, double p);
/* Lognormal (mu, sigma) of the log from mean and cv. */
void fc_dist_lognormal_params(double mean, double cv, double *mu, double *sigma);

#endif
