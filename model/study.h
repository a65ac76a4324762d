/*
 * study.h: the points of a study (a sweep or a grid of sweeps) without
 * the CLI: one axis per varied input (a range FROM:TO[:STEPS], log- or
 * evenly spaced, or a list of values read as a YAML flow sequence) and
 * the user count, crossed into a fixed order of points; and the
 * by-value hash the parts of a sharded study are sealed with.
 *
 * Point order: the axes outermost first, the varied ones in the order
 * given and the users axis (when there is one) last, so that the points
 * of one combination of the other axes are consecutive along the users.
 * Nothing here prints or exits: errors go to a struct fc_diags, those
 * about an option's text without a place (loc.file NULL), those inside a
 * list's YAML at "--vary".
 */
#ifndef FC_STUDY_H
#define FC_STUDY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "breakeven.h"
#include "fc.h"
#include "mc.h"
#include "scenario.h"

#define FC_STUDY_MAX_STEPS 1000     /* points on one axis */
#define FC_STUDY_MAX_AXES 8
#define FC_STUDY_MAX_VARY 7         /* varied inputs (one axis left for the users) */
#define FC_STUDY_MAX_POINTS 100000  /* points of a grid */
#define FC_STUDY_MAX_LABEL 256      /* a list element as YAML text, with its NUL */
#define FC_STUDY_MAX_USERS 1e10
/* "KEY=VALUE" of one axis */
#define FC_STUDY_SET_LEN (128 + FC_STUDY_MAX_LABEL + 2)

/* One axis and its values. */
struct fc_study_axis {
	char key[128];       /* "users" or the varied dotted path */
	const char *arg;     /* the --vary argument as given (borrowed), or NULL */
	int users;           /* the user count: whole numbers */
	int log;             /* log-spaced points */
	int list;            /* given as a YAML list: label[] holds the elements */
	double from, to;     /* a range: as given */
	long steps;          /* as asked; n may be fewer (user counts rounded) */
	size_t n;
	double x[FC_STUDY_MAX_STEPS];  /* the values: a range's points exactly as the
	                                  scenario reads them; a list's numbers, or NaN */
	char (*label)[FC_STUDY_MAX_LABEL];  /* list: n elements as YAML flow text, owned */
};

struct fc_study_grid {
	size_t naxes;
	struct fc_study_axis *ax[FC_STUDY_MAX_AXES];  /* owned; outermost first */
	int grid;            /* several axes or a list: the grid report (vary.KEY columns) */
	int uaxis;           /* 1: ax[naxes - 1] is the users axis */
	size_t npoints;
	size_t nu;           /* points along the users axis (1 without one) */
	size_t ncomb;        /* combinations of the other axes: npoints / nu */
	double fixed_users;  /* a user count N beside the varied axes; NaN: the scenario's */
};

/* What a study varies, as the options give it. */
struct fc_study_grid_opts {
	const char *users;          /* a range FROM:TO[:STEPS] (the users axis), or N
	                               fixing the user count beside vary; NULL */
	const char *const *vary;    /* KEY=FROM:TO:STEPS or KEY=[A, B, ...] */
	size_t nvary;
	int spacing;                /* -1: user counts log-spaced, other ranges even;
	                               0 every range even; 1 every range log-spaced */
};

/*
 * Parses the axes into g and lays out its points.  FC_EINVAL after an
 * error in d (the first saying what is wrong with which option), FC_ENOMEM
 * out of memory.  Free g with fc_study_grid_free() either way.
 * simulation.trials and simulation.seed are refused: they are the run's,
 * not inputs of the model.
 */
enum fc_status fc_study_grid_parse(const struct fc_study_grid_opts *o,
    struct fc_study_grid *g, struct fc_diags *d);
void fc_study_grid_free(struct fc_study_grid *g);
/* The index along axis j of point p. */
size_t fc_study_index(const struct fc_study_grid *g, size_t p, size_t j);
/* Axis a's value at index i as text: a list's element, a range's number
 * in 15 digits (as the scenario reads it). */
void fc_study_value_text(char *buf, size_t len, const struct fc_study_axis *a, size_t i);
/* The KEY=VALUE overrides that make combination c's scenario, one per
 * axis other than the users, into sets[0..] (FC_STUDY_SET_LEN each);
 * returns how many. */
size_t fc_study_comb_sets(const struct fc_study_grid *g, size_t c,
    char (*sets)[FC_STUDY_SET_LEN]);
/* Point p's values on every axis, as JSON: a list's element text, a
 * range's number; NULL out of memory. */
json_t *fc_study_point_json(const struct fc_study_grid *g, size_t p);

/* A combination's breakeven along the users, as a sharded run searches
 * it (sweep --shard: shard K searches the combinations c with c mod N ==
 * K - 1, over the axis' whole range). */
struct fc_study_be {
	struct fc_breakeven b;       /* at the means, with viability */
	struct fc_stat lasting_stat; /* users, over the searched trials that have one */
	struct fc_stat first_stat;   /* users, likewise */
	double p_found;              /* share of the searched trials with a lasting breakeven */
	long trials;                 /* trials searched (the first ones) */
};

/*
 * A finished run: every point's statistics, however computed (one
 * process, or merged parts).  Along the users axis every point of a
 * combination carries the breakeven of the combination's first point
 * (searched over the axis' range); with Monte Carlo lasting[c] holds that
 * point's trials' lasting breakevens (nlasting[c] of them).  diff: a
 * single numeric axis other than the users, Monte Carlo: npoints x trials
 * of each trial's flat - api (INFINITY where flat is not viable).
 */
struct fc_study_run {
	const struct fc_scenario *s;   /* the base scenario; not owned */
	const struct fc_study_grid *g;  /* not owned */
	struct fc_mc_result *res;      /* the points', statistics only; owned: all npoints,
	                                  or a shard's every stride-th (fc_study_res) */
	size_t stride;                 /* 1, or a shard's N: res and diff hold point p at p / N */
	long trials;                   /* per point; 0 when deterministic */
	double *diff;                  /* owned, or NULL */
	double **lasting;              /* ncomb, each owned or NULL; the array owned */
	long *nlasting;                /* ncomb; owned */
	struct fc_crossing *cross;     /* ncomb, filled by fc_study_crossings; owned */
	struct fc_study_be *be;           /* users axis: every stride-th combination's
	                                  (fc_study_be_of), in sharded runs and merge; owned */
	unsigned char *cdone;          /* ncomb: be[] and lasting[] known; owned */
};
/* Allocates res, lasting, nlasting and cross for g, res for every
 * stride-th point only (1: all; a shard's N: the shard's own, which keeps
 * a shard's memory to its share); -1 when out of memory. */
int fc_study_run_alloc(struct fc_study_run *r, const struct fc_scenario *s,
    const struct fc_study_grid *g, size_t stride);
/* Point p's result, and its trials' flat - api (r->diff must be set). */
struct fc_mc_result *fc_study_res(const struct fc_study_run *r, size_t p);
double *fc_study_diff(const struct fc_study_run *r, size_t p);
struct fc_study_be *fc_study_be_of(const struct fc_study_run *r, size_t c);
/* With r->trials set: allocates r->diff when the run needs it (a single
 * axis other than the users, Monte Carlo); -1 when out of memory. */
int fc_study_run_diff(struct fc_study_run *r);
void fc_study_run_free(struct fc_study_run *r);

/*
 * The breakeven along the study (breakeven.h), into r->cross: along the
 * users, for each combination of the other axes, the exact search of the
 * combination's first point with its trials' lasting breakevens; along a
 * single other axis, the points' (at the means, or between the medians)
 * and, with r->diff, the trials' crossings.  A grid without a users axis
 * has none: each point has its own breakeven users.  FC_OK or FC_ENOMEM.
 */
enum fc_status fc_study_crossings(struct fc_study_run *r);

/* Running a study's points (the caller loads each combination's
 * scenario s and loops, in any order, with o's seed for every point:
 * common random numbers).  fc_study_breakeven_range() sets o's breakeven
 * search to the users axis' range.  fc_study_run_point() runs point p
 * into r (its statistics; with r->diff, each trial's flat - api): along
 * the users the breakeven is searched at a combination's first point
 * only (it does not depend on the point's user count) and copied to its
 * other points, and not at all when sharded (the shards search it by
 * combination: fc_study_run_breakeven(), with the whole run's trials,
 * over the axis' range, into r->be and
 * r->cdone).  They return fc_mc_run()'s status. */
void fc_study_breakeven_range(const struct fc_study_grid *g, struct fc_mc_opts *o);
enum fc_status fc_study_run_point(struct fc_study_run *r, const struct fc_scenario *s,
    struct fc_mc_opts *o, size_t p, int sharded);
enum fc_status fc_study_run_breakeven(struct fc_study_run *r, const struct fc_scenario *s,
    const struct fc_mc_opts *o, size_t c);

/* Sharded studies (study_part.c): what makes two parts parts of one run. */
struct fc_study_ident {
	char *file;          /* the scenario path as given; owned */
	char *text;          /* the scenario file's bytes, NUL-terminated; owned */
	size_t len;
	char hash[32];       /* "fnv1a64:" and 16 hex digits of text */
	char data_hash[32];  /* of the inputs the scenarios resolve to */
	json_t *options;     /* owned: users, vary, spacing, set, trials, seed, deterministic */
	long k, n;           /* shard K of N */
};
/* The identity of a study of file with these options (reads the file:
 * FC_EIO when it cannot). */
enum fc_status fc_study_ident_init(struct fc_study_ident *id, const char *file,
    const char *users_arg, const char *const *vary, size_t nvary, int spacing,
    const char *const *sets, size_t nsets, long trials, unsigned long seed, int deterministic,
    long k, long n, const char *data_hash, struct fc_diags *d);
void fc_study_ident_free(struct fc_study_ident *id);
/* Whether shard id->k of id->n owns point p. */
int fc_study_owns(const struct fc_study_ident *id, size_t p);

/*
 * The loop over a study's points.  The engine asks its caller to load
 * each combination's scenario (its --set overrides, its diagnostics) and
 * tells it after each point or search (progress, a part saved now and
 * then); each hook returns 0 to go on, or a nonzero value the loop stops
 * with and returns.
 */
struct fc_study_hooks {
	void *ctx;
	/* Combination c's scenario into *s (freed by the engine). */
	int (*load)(void *ctx, size_t c, struct fc_scenario **s);
	/* Point i (breakeven 0) or combination i's breakeven search
	 * (breakeven 1) failed with st: the value to stop with (nonzero). */
	int (*failed)(void *ctx, int breakeven, size_t i, enum fc_status st);
	/* Point i, or combination i's search, is done. */
	int (*step)(void *ctx, int breakeven, size_t i);
};
/* Runs, with o's seed for every point (common random numbers) and o's
 * breakeven search over the users axis' range (fc_study_breakeven_range),
 * every point that shard id owns (every point when id is NULL) and done
 * does not mark, in order, each combination's scenario loaded once,
 * marking done[p]; then a shard's share of the breakeven searches along
 * the users not yet done (combination c in shard c mod N + 1: the search
 * the whole run makes at the combination's first point).  0, or the
 * first nonzero value a hook returned. */
int fc_study_run_points(struct fc_study_run *r, struct fc_mc_opts *o,
    const struct fc_study_ident *id, unsigned char *done, const struct fc_study_hooks *h);
/* The steps fc_study_run_points() will take (points and searches); the
 * points alone into *npoints when not NULL. */
size_t fc_study_steps(const struct fc_study_run *r, const struct fc_study_ident *id,
    const unsigned char *done, size_t *npoints);
/* The part as JSON: the identity, the grid's points, then every point p
 * with done[p] set and every combination with r->cdone set, each sealed
 * with its hash; NULL out of memory. */
json_t *fc_study_part_json(const struct fc_study_ident *id, const struct fc_study_run *r,
    const unsigned char *done);
/* Whether part root's point list is g's, value for value. */
int fc_study_part_grid_same(json_t *root, const struct fc_study_grid *g);
/* Reads the part at path into *id (the identity as stored) and *root
 * (the whole document, owned by the caller), its scenario text checked
 * against its own hash.  FC_EINVAL when it is not a part (or a
 * directory) or no file has that name, FC_EIO when it cannot be read. */
enum fc_status fc_study_part_read(const char *path, struct fc_study_ident *id, json_t **root,
    struct fc_diags *d);
/* When part b (at path) is not of the same run as a: FC_EINVAL after
 * saying what differs (naming a's source apath).  Shards are not compared. */
enum fc_status fc_study_part_same(const char *path, const struct fc_study_ident *b,
    const char *apath, const struct fc_study_ident *a, struct fc_diags *d);
/* Restores the points of part root (at path, shard id) into r and marks
 * them in done, each entry's hash verified first; FC_EINVAL when one does
 * not match its hash, is malformed, out of the grid, not the shard's, or
 * already in done. */
enum fc_status fc_study_part_points(const char *path, json_t *root,
    const struct fc_study_ident *id, struct fc_study_run *r, unsigned char *done,
    struct fc_diags *d);

/*
 * Merging the parts of a sharded study (study_merge.c), one part at a
 * time so that memory grows with the run's points, not with the parts:
 * fc_study_merge_open() reads the first part and rebuilds the run's grid
 * and options from it; the caller allocates the run over m->g, then
 * fc_study_merge_part() for i = 0..nparts-1 checks part i against the
 * first (one run, its shard once, its point list the grid's), restores
 * its sealed points and frees it; fc_study_merge_finish() checks every
 * shard came and gives each point along the users its combination's
 * breakeven.  FC_EINVAL after an error naming the part (loc.file NULL),
 * FC_EIO when a part cannot be read, FC_ENOMEM.
 */
struct fc_study_merge {
	const char *const *paths;     /* the parts, borrowed */
	size_t nparts;
	struct fc_study_ident id0;    /* the first part's identity */
	json_t *root0;                /* the first part, until its points are read */
	size_t *shard_of;             /* id0.n: 1 + the index of each shard's part, 0 none */
	struct fc_study_grid g;       /* the run's points */
	const char **sets;            /* the run's --set overrides, into id0.options */
	size_t nsets;
	long trials, seed;
	int deterministic;
	int eur;                      /* the run's money figures in EUR */
	int no_user_data, strict_data;  /* the run's data flags */
};
enum fc_status fc_study_merge_open(struct fc_study_merge *m, const char *const *paths,
    size_t nparts, struct fc_diags *d);
enum fc_status fc_study_merge_part(struct fc_study_merge *m, size_t i,
    struct fc_study_run *r, unsigned char *done, struct fc_diags *d);
enum fc_status fc_study_merge_finish(struct fc_study_merge *m, struct fc_study_run *r,
    struct fc_diags *d);
void fc_study_merge_free(struct fc_study_merge *m);

/* FNV-1a 64 (not a cryptographic hash): h from FC_STUDY_FNV_INIT, then n bytes. */
#define FC_STUDY_FNV_INIT 0xcbf29ce484222325ULL
uint64_t fc_study_fnv(uint64_t h, const void *p, size_t n);
/* Adds j to the hash *h by value: object members in key order, a number
 * by its value whatever its spelling (10, 10.0 and 1e1 alike, as a JSON
 * tool may rewrite them); -1 out of memory. */
int fc_study_hash_json(uint64_t *h, const json_t *j);

/* Internal to the study modules (study.c, study_part.c, study_merge.c):
 * an error with no place in a file. */
enum fc_status fc_study_error(struct fc_diags *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
