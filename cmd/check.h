/*
 * check.h: what `flatcost check`'s files share (cmd_check.c reads the
 * inputs and runs them, check_base.c finds and reads each scenario's base,
 * check_report.c writes the table, Markdown, JSON and JUnit).
 */
#ifndef FC_CHECK_H
#define FC_CHECK_H

#include <stdio.h>

#include "budget.h"
#include "data.h"
#include "mc.h"
#include "scenario.h"

typedef struct json_t json_t;

/* The hidden line that starts check's Markdown, so that a CI step finds
 * its own pull-request comment and updates it in place. */
#define CHECK_MD_MARKER "<!-- flatcost-check -->"

/* One scenario's state through the command. */
struct item {
	const char *path;            /* borrowed from argv, or owned in paths */
	struct fc_catalog *cat;
	struct fc_scenario *s;
	struct fc_budgets *b;        /* its own, or NULL (then `budget` or none) */
	struct fc_mc_result r;       /* stats only: samples freed after the run */
	int ran;
	/* its base (--base), for increase budgets */
	char *base_path;             /* the base scenario (a directory base), owned */
	struct fc_catalog *base_cat;
	struct fc_scenario *base_s;
	struct fc_mc_result base_r;  /* run on the same trials and seed */
	const json_t *base_json;     /* the scenario's object in a saved check JSON, borrowed */
	const char *no_base;         /* why there is none, or NULL */
};

/* One budget's verdict. */
struct row {
	const struct item *it;
	const struct fc_budget *bg;
	double value, limit;         /* a limit budget's */
	struct fc_budget_change ch;  /* an increase budget's */
	enum fc_budget_level level;
	int skipped;                 /* an increase budget without a base */
};

struct check {
	struct item *items;
	size_t nitems;
	char **paths;                /* file names found in directories, owned */
	size_t npaths;
	struct row *rows;
	size_t nrows;
	size_t n[3];                 /* rows by level, skipped rows left out */
	size_t nskipped;             /* increase budgets without a base */
	size_t nobudget;             /* scenarios without a budget */
	struct fc_budgets *common;   /* --budget FILE */
	int deterministic;
	const char *base;            /* --base BASE, or NULL */
	json_t *base_root;           /* a saved check JSON's root, owned */
};

const struct fc_budgets *check_budgets_of(const struct check *c, const struct item *it);
const char *check_label(const struct item *it);
/* "per_user.flat at p95 is $0.5312, over the fail limit $0.5000" */
void check_verdict(char *buf, size_t len, const struct row *w);

/* A change in the figure's unit with its sign ("+$0.0500"); a percent
 * ("+10.39%", "+inf%", "n/a"); an increase budget's limit ("+10%"). */
void check_fmt_change(char *buf, size_t len, size_t fig, double v);
void check_fmt_pct(char *buf, size_t len, double pct);
void check_fmt_inc_limit(char *buf, size_t len, const struct row *w);

void check_write_table(FILE *f, const struct check *c);
void check_write_md(FILE *f, const struct check *c);
int check_write_json(FILE *f, const struct check *c);
void check_write_junit(FILE *f, const struct check *c);

/* --base BASE: finds each item's base (a directory's scenario of the same
 * file name, or a saved check JSON's scenario of that name) and loads it.
 * Returns EXIT_OK, EXIT_USAGE, EXIT_DATA or EXIT_RUNTIME. */
int check_base_load(struct check *c, const char *const *sets, size_t nsets);
/* Runs the item's base scenario with o (its candidate's trials and seed:
 * common random numbers), or checks that a saved run used the same. */
int check_base_run(struct item *it, const struct fc_mc_opts *o);
/* The statistic of increase budget bg in the item's base; NaN when none. */
double check_base_value(const struct item *it, const struct fc_budget *bg);
void check_base_free(struct check *c);

#endif
