/*
 * sweep.h: what `flatcost sweep` and `flatcost merge` share.  The study
 * engine is model/study.h (the grid, the run's results, the breakeven
 * along it: study.c; parts: study_part.c; merging: study_merge.c), which
 * prints nothing; these files print, write files and load scenarios:
 *
 *   sweep_grid.c    the grid from the options, its errors printed; each
 *                   combination's scenario loaded and checked;
 *   sweep_report.c  the reports (table, md, csv, json, chart), written
 *                   from a struct fc_study_run however its points were
 *                   computed;
 *   sweep_part.c    a part of a sharded run (--shard K/N) written
 *                   atomically, and the part functions' errors printed.
 *
 * Point order: the axes outermost first, the --vary ones in the order
 * given and the users axis (when there is one) last, so that the points
 * of one combination of the other axes are consecutive along the users.
 * Shard K of N owns the points whose index i has i mod N == K - 1.
 */
#ifndef FC_SWEEP_H
#define FC_SWEEP_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "mc.h"
#include "scenario.h"
#include "study.h"
#include "study_report.h"

/* The study's limits (model/study.h), by the names the sweep code uses. */
#define SWEEP_MAX_STEPS FC_STUDY_MAX_STEPS
#define SWEEP_MAX_AXES FC_STUDY_MAX_AXES
#define SWEEP_MAX_VARY FC_STUDY_MAX_VARY
#define SWEEP_MAX_POINTS FC_STUDY_MAX_POINTS
#define SWEEP_MAX_LABEL FC_STUDY_MAX_LABEL
#define SWEEP_SET_LEN FC_STUDY_SET_LEN

/*
 * Parses the axes: users_arg is --users (a range, or N fixing the user
 * count beside --vary), vary[0..nvary-1] the --vary arguments, spacing
 * -1 (user counts log-spaced, other ranges even), 0 (--linear) or 1
 * (--log) for every range.  Returns 0, or EXIT_USAGE after printing why
 * (cmd names the command in the message).  Free with sweep_grid_free
 * either way.  The fuzz target tests/fuzz/fuzz_range.c calls it.
 */
int sweep_grid_parse(const char *cmd, const char *users_arg, const char *const *vary,
    size_t nvary, int spacing, struct fc_study_grid *g);

/* Fills k (model/study_report.h; the reports set its money symbol); -1
 * after saying so when a figure is missing. */
int sweep_figs(struct fc_study_figs *k);

/* What to write: the report (fmt, to out_path or stdout) and the chart. */
struct sweep_out {
	const char *out_path, *plot_path, *script_dir;
	int fmt;             /* enum report_format */
	int chart;           /* enum plot_chart */
	int eur;             /* --currency EUR: the money figures converted at the output */
};
/* The breakeven along the sweep, then the chart, then the report (an
 * atomic file); returns the exit status. */
int sweep_output(struct fc_study_run *r, const struct sweep_out *o);

/*
 * Loads every combination's scenario (the base s when the grid varies
 * only the users): all are checked before any work.  With hash, also the
 * identity of what they resolve to (the inputs as the JSON reports show
 * them: prices, hardware and models from the data files), "fnv1a64:"
 * and 16 hex digits, so that parts computed with other data do not merge.
 * Returns the exit status.
 */
int sweep_check_combs(const char *path, const char *text, size_t len, const char *const *sets,
    size_t nsets,
    const struct fc_study_grid *g, const struct fc_scenario *s, struct fc_catalog **cat,
    char *hash, size_t hashlen);
/* Adds scenario s's inputs (as JSON reports show them) to the hash *h;
 * -1 when out of memory. */
int sweep_inputs_hash(const struct fc_scenario *s, uint64_t *h);

/* Loads combination c's scenario: path (or text, len bytes named path,
 * when not NULL) with sets[0..nsets-1] and the combination's own --set
 * values (sweep_comb_sets); prints why it is not valid.  Returns the exit
 * status. */
int sweep_load_comb(const char *path, const char *text, size_t len, const char *const *sets,
    size_t nsets,
    const struct fc_study_grid *g, size_t c, struct fc_catalog **cat, struct fc_scenario **s);

/* Sharded runs (sweep_part.c) */

/* The part's functions of model/study.h with the errors printed: each
 * returns the exit status. */
int sweep_ident_init(struct fc_study_ident *id, const char *file, const char *users_arg,
    const char *const *vary, size_t nvary, int spacing, const char *const *sets, size_t nsets,
    long trials, unsigned long seed, int deterministic, long k, long n, const char *data_hash);
/* Writes the part (atomically): fc_study_part_json() into path. */
int sweep_part_write(const char *path, const struct fc_study_ident *id,
    const struct fc_study_run *r, const unsigned char *done);
int sweep_part_read(const char *path, struct fc_study_ident *id, json_t **root);
int sweep_part_same(const char *path, const struct fc_study_ident *b, const char *apath,
    const struct fc_study_ident *a);
int sweep_part_points(const char *path, json_t *root, const struct fc_study_ident *id,
    struct fc_study_run *r, unsigned char *done);

/* The progress of a sweep's run (sweep_progress.c); start is set when
 * it starts, the rest zeroed, step advanced by the caller. */
struct sweep_progress {
	struct timespec start;
	size_t step, nsteps;     /* steps finished, of this run's: its points, then (a
	                            shard) its breakeven searches */
	size_t npoints;          /* the points among the steps */
	int shown, cleared;
};

/* fc_mc_opts.progress for a sweep (ctx: a struct sweep_progress): a bar
 * over all points' trials, shown only after the first second, with the
 * points done of the total and an estimate of the time left. */
void sweep_progress_cb(void *ctx, long done, long total);

#endif
