/*
 * report_data.h: every figure of `flatcost report`'s page, gathered from
 * the analyses the other commands print, so that each number on the page
 * is the number of one command's JSON:
 *
 *   now       one Monte Carlo run at the scenario's month, the run of
 *             `flatcost simulate SCENARIO` (its draws kept, as
 *             `flatcost sensitivity` keeps them: the statistics are the
 *             same);
 *   timeline  months 1..months of the same trials, the run of
 *             `flatcost simulate SCENARIO --months N`: cumulative savings,
 *             the payback month, the fleet by month;
 *   points    the user counts of `flatcost sweep SCENARIO --users
 *             FROM:TO:STEPS` (log-spaced, rounded, unique, as sweep makes
 *             them), each its own run with the same seed;
 *   sens      `flatcost sensitivity SCENARIO --figure payback_month
 *             --months N` from the timeline's trials when the payback month
 *             varies, else `--figure savings.monthly` from now's;
 *   cmp       with opts.compare, `flatcost compare SCENARIO` with its
 *             defaults: every catalog server (and the scenario's own) with
 *             the scenario's model, the API and the routed API, ranked by
 *             flat.monthly_cost at its P50.
 *
 * The decision is a reading of those figures, stated here once:
 *
 *   not    flat is not viable at the means (no fleet meets the SLO), or
 *          fewer than half of the trials pay the switch back within the
 *          horizon (timeline p_payback < 0.5); probability 1 - p_payback;
 *   now    at least half pay back and flat is cheaper in at least half of
 *          this month's trials (now.p_flat_cheaper >= 0.5); probability
 *          p_payback;
 *   later  at least half pay back but flat is not yet cheaper in most
 *          trials: from the first month whose median monthly savings are
 *          positive (later_month, with its median users later_users);
 *          probability p_payback.
 * The driver is the input with the largest variance share in sens.
 *
 * No printing; the caller owns *d and frees it with fc_report_data_free()
 * (which takes a zeroed or half-filled struct too).  Results do not depend
 * on the thread count.
 */
#ifndef FC_REPORT_DATA_H
#define FC_REPORT_DATA_H

#include <stddef.h>

#include "compare.h"
#include "data.h"
#include "mc.h"
#include "scenario.h"
#include "sensitivity.h"

#define FC_REPORT_MAX_POINTS 64
#define FC_REPORT_DEFAULT_STEPS 13
#define FC_REPORT_RESAMPLES 200    /* the bootstrap of `flatcost sensitivity` */

struct fc_report_opts {
	struct fc_mc_opts mc;        /* trials, seed, threads, month, progress, cancel;
	                              * deterministic is refused (FC_EDOM) */
	long months;                 /* the timeline's horizon, 1..FC_MAX_SCHEDULE */
	double users_from, users_to; /* the cost-by-users axis, whole users; 0: around
	                              * the scenario's users and the breakeven (x4 either way) */
	long users_steps;            /* points asked for, 2..FC_REPORT_MAX_POINTS */
	int compare;                 /* also run compare's default options */
	const struct fc_catalog *cat;/* compare's servers; needed with compare */
};

enum fc_report_verdict {
	FC_RV_NOW,     /* switch to flat now */
	FC_RV_LATER,   /* switch from later_month */
	FC_RV_NOT,     /* stay on the API */
};

/* Where an input's value comes from. */
enum fc_report_data_origin {
	FC_RO_FILE,        /* written in the scenario file (line) */
	FC_RO_SET,         /* a --set on the command line */
	FC_RO_CALIBRATED,  /* in a scenario written by `flatcost calibrate` (from) */
	FC_RO_DEFAULT,     /* not written: the documented default */
};

struct fc_report_data {
	struct fc_mc_result now;         /* `simulate` */
	struct fc_mc_result timeline;    /* `simulate --months N` */
	long months;
	/* the cost-by-users points: statistics only (samples freed) */
	size_t npoints;
	double users_from, users_to;
	long users_steps;
	double x[FC_REPORT_MAX_POINTS];
	struct fc_mc_result *pts;        /* npoints results; owned */
	/* sensitivity (have_sens 0 when no input varies, too few trials or
	 * the figure does not vary either way) */
	int have_sens;
	const char *sens_figure;         /* "payback_month" or "savings.monthly" */
	struct fc_sens sens;
	size_t sens_cols[64];            /* fc_inputs_mc[] index of each sens row */
	size_t nsens_cols;
	/* compare */
	struct fc_cmp_option *cmp;       /* owned; NULL without opts.compare */
	size_t ncmp;
	struct fc_cmp_rank rank;
	/* the decision */
	enum fc_report_verdict verdict;
	double probability;              /* of the verdict, 0 to 1 */
	long later_month;                /* FC_RV_LATER: 1-based; else 0 */
	double later_users;              /* its median users; NaN when none */
	long driver;                     /* fc_inputs_mc[] index; -1 when none */
	double driver_share;             /* its variance share */
};

/* Gathers everything for scenario s.  FC_EDOM for a deterministic run or
 * a bad axis; FC_ENOMEM; FC_ERANGE (cancelled); a cost model's status. */
enum fc_status fc_report_data_gather(const struct fc_scenario *s, const struct fc_report_opts *o,
    struct fc_report_data *d);
void fc_report_data_free(struct fc_report_data *d);

/* The user counts sweep --users FROM:TO:STEPS uses (log-spaced, rounded
 * to whole users, unique): up to steps values into x; their count. */
size_t fc_report_data_user_points(double from, double to, long steps, double *x);

/* Where the scenario input at dotted key (as `--set` names it) comes
 * from; *line is its line in the file (FC_RO_FILE, FC_RO_CALIBRATED),
 * else 0.  A key under a distribution ({dist: ...}) is looked up whole. */
enum fc_report_data_origin fc_report_data_origin(const struct fc_scenario *s, const char *key,
    int *line);
/* Whether s's file was written by `flatcost calibrate` ("# Fitted by
 * flatcost calibrate from ..." in its first lines): the logs it names
 * into buf, else buf "" and 0. */
int fc_report_data_calibrated(const struct fc_scenario *s, char *buf, size_t len);

#endif
