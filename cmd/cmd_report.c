/*
 * cmd_report.c: `flatcost report SCENARIO -o report.html`: one page a
 * founder can hand to a board.  model/report_data.c gathers the figures
 * from the analyses of simulate, sweep, sensitivity and compare; this file
 * parses the options, draws the charts (inline SVG in HTML, files beside
 * the Markdown) and writes the page (report_page.c).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "plot.h"
#include "report.h"
#include "report_data.h"
#include "report_page.h"

#define CMD "report"
#define DEFAULT_MONTHS 36

enum { OPT_COMPARE = CLI_OPT_OWN, OPT_FORMAT, OPT_MONTHS, OPT_SENSITIVITY, OPT_USERS };

const struct cli_opt cli_report_opts[] = {
	CLI_OPT("months", OPT_MONTHS, "N", "the months the page covers (default 36)"),
	CLI_OPT("compare", OPT_COMPARE, NULL, "add compare's ranking of servers and models"),
	CLI_OPT("sensitivity", OPT_SENSITIVITY, NULL, "add sensitivity's drivers of the cost"),
	CLI_OPT("users", OPT_USERS, "FROM:TO[:STEPS]", "add a sweep over users"),
	CLI_OPT("format", OPT_FORMAT, "html|md", "the page's format (default html)"),
	CLI_OPT("output", 'o', "FILE", "write the page to FILE instead of standard output"),
	CLI_MC(CLI_MC_RUN | CLI_MC_DETERMINISTIC | CLI_MC_SET | CLI_MC_DATA),
	CLI_OPTS_END,
};

struct args {
	const char *out_path, *scenario;
	int md, compare, sensitivity;
	long months, steps;
	double from, to;
	struct cli_mc_args mc;
	char *command;     /* the command line, shell-quoted */
};

/* Appends s to *buf (grown), single-quoted for the shell when needed. */
static int
append_word(char **buf, size_t *len, const char *s, int quote)
{
	size_t need = strlen(s) * 4 + 4, at = *buf ? strlen(*buf) : 0;
	char *nb = fc_realloc(*buf, at + need + 2), *o;

	if (nb == NULL)
		return -1;
	*buf = nb;
	*len = at + need + 2;
	o = nb + at;
	if (at)
		*o++ = ' ';
	quote = quote && (*s == '\0' || strpbrk(s, " \t\n'\"\\$`*?[]{}()<>|&;#~!") != NULL);
	if (quote)
		*o++ = '\'';
	for (; *s; s++) {
		if (quote && *s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *s;
		}
	}
	if (quote)
		*o++ = '\'';
	*o = '\0';
	return 0;
}

/* --users FROM:TO[:STEPS]: whole user counts, 1 <= FROM < TO <= the
 * breakeven's search limit, 2 to FC_REPORT_MAX_POINTS steps. */
static int
parse_users(const char *arg, struct args *a)
{
	char *e1, *e2 = NULL;

	a->from = strtod(arg, &e1);
	if (*e1 == ':')
		a->to = strtod(e1 + 1, &e2);
	if (e2 && *e2 == ':') {
		char *st = e2 + 1;
		a->steps = strtol(st, &e2, 10);
		if (e2 == st)
			a->steps = -1;   /* no number after the colon */
	}
	if (*e1 != ':' || e2 == NULL || *e2 != '\0' || !(a->from >= 1) ||
	    !(a->to > a->from) || a->to > FC_MC_BREAKEVEN_MAX_USERS ||
	    a->from != floor(a->from) || a->to != floor(a->to) ||
	    (a->steps != 0 && (a->steps < 2 || a->steps > FC_REPORT_MAX_POINTS)))
		return cli_usage_error(CMD, "--users: expected FROM:TO[:STEPS], whole user counts "
		    "1 <= FROM < TO <= 10000000 and 2 to %d steps, got '%s'",
		    FC_REPORT_MAX_POINTS, arg);
	return 0;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	struct cli_getopt g;
	int ch;
	size_t len = 0;

	memset(a, 0, sizeof(*a));
	a->months = DEFAULT_MONTHS;
	cli_mc_init(&a->mc);
	/* the command line as given, before getopt_long() reorders argv */
	if (append_word(&a->command, &len, "flatcost", 0) != 0)
		return cli_oom();
	for (ch = 0; ch < argc; ch++)
		if (append_word(&a->command, &len, argv[ch], 1) != 0)
			return cli_oom();
	cli_getopt_init(&g, cli_report_opts, argc, argv);
	cli_getopt_mc(&g, CMD, &a->mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_COMPARE:
			a->compare = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "html") && strcmp(optarg, "md"))
				return cli_usage_error(CMD, "--format: expected html or md, got '%s'",
				    optarg);
			a->md = strcmp(optarg, "md") == 0;
			break;
		case 'h':
			return cli_help(CMD);
		case OPT_MONTHS:
			if (arg_long(CMD, "--months", optarg, 1, FC_MAX_SCHEDULE, &a->months))
				return EXIT_USAGE;
			break;
		case 'o':
			a->out_path = optarg;
			break;
		case OPT_SENSITIVITY:
			a->sensitivity = 1;
			break;
		case OPT_USERS:
			if (parse_users(optarg, a) != 0)
				return EXIT_USAGE;
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind + 1]);
	if (a->mc.deterministic)
		return cli_usage_error(CMD, "the page shows ranges over Monte Carlo trials; "
		    "drop --deterministic");
	if (a->md && (a->out_path == NULL || strcmp(a->out_path, "-") == 0))
		return cli_usage_error(CMD, "--format md writes its charts beside the page: "
		    "name it with -o FILE.md");
	a->scenario = argv[optind];
	return -1;
}

/* "flatcost CMD SCENARIO EXTRA --trials T --seed S [--set ...]": one of the
 * commands whose JSON holds the page's numbers. */
static char *
sub_command(const struct args *a, const struct fc_mc_opts *o, const char *cmd,
    const char *extra)
{
	char *buf = NULL, num[64];
	size_t len = 0, i;
	int bad = 0;

	bad |= append_word(&buf, &len, "flatcost", 0);
	bad |= append_word(&buf, &len, cmd, 0);
	bad |= append_word(&buf, &len, a->scenario, 1);
	if (extra && *extra)
		bad |= append_word(&buf, &len, extra, 0);
	snprintf(num, sizeof(num), "--trials %ld --seed %lu", o->trials, o->seed);
	bad |= append_word(&buf, &len, num, 0);
	for (i = 0; i < a->mc.nsets; i++) {
		bad |= append_word(&buf, &len, "--set", 0);
		bad |= append_word(&buf, &len, a->mc.sets[i], 1);
	}
	if (cli_data_flags.no_user_data)
		bad |= append_word(&buf, &len, "--no-user-data", 0);
	if (bad) {
		fc_free(buf);
		return NULL;
	}
	return buf;
}

static int
commands(const struct args *a, const struct fc_mc_opts *o, const struct fc_report_data *d,
    struct page *p)
{
	char extra[128];
	int c;

	p->cmds[SRC_SIMULATE] = sub_command(a, o, "simulate", NULL);
	snprintf(extra, sizeof(extra), "--months %ld", d->months);
	p->cmds[SRC_MONTHS] = sub_command(a, o, "simulate", extra);
	snprintf(extra, sizeof(extra), "--users %.0f:%.0f:%ld", d->users_from, d->users_to,
	    d->users_steps);
	p->cmds[SRC_SWEEP] = sub_command(a, o, "sweep", extra);
	if (d->have_sens) {
		if (strcmp(d->sens_figure, "payback_month") == 0)
			snprintf(extra, sizeof(extra), "--figure payback_month --months %ld", d->months);
		else
			snprintf(extra, sizeof(extra), "--figure %s", d->sens_figure);
		p->cmds[SRC_SENS] = sub_command(a, o, "sensitivity", extra);
	}
	if (d->cmp)
		p->cmds[SRC_COMPARE] = sub_command(a, o, "compare", NULL);
	for (c = 0; c < SRC_N; c++)
		if (p->cmds[c] == NULL && (c < SRC_SENS || (c == SRC_SENS && d->have_sens) ||
		    (c == SRC_COMPARE && d->cmp)))
			return -1;
	return 0;
}

static void
data_hash(json_t *inputs, char *buf, size_t len)
{
	char *s = json_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned long long h = 1469598103934665603ULL;
	const unsigned char *q;

	for (q = (const unsigned char *)(s ? s : ""); *q; q++)
		h = (h ^ *q) * 1099511628211ULL;
	snprintf(buf, len, "%016llx", h);
	free(s);
}

/* compare's order: ranked, then viable unranked, then not viable. */
static size_t *
compare_order(const struct fc_report_data *d)
{
	size_t *order = fc_calloc(d->ncmp ? d->ncmp : 1, sizeof(*order)), k, m = 0;
	long r;

	if (order == NULL)
		return NULL;
	for (r = 1; r <= (long)d->ncmp; r++)
		for (k = 0; k < d->ncmp; k++)
			if (d->cmp[k].rank == r)
				order[m++] = k;
	for (k = 0; k < d->ncmp; k++)
		if (d->cmp[k].viable && d->cmp[k].rank == 0)
			order[m++] = k;
	for (k = 0; k < d->ncmp; k++)
		if (!d->cmp[k].viable)
			order[m++] = k;
	return order;
}

static int
gather(const struct args *a, const struct fc_scenario *s, const struct fc_catalog *cat,
    struct fc_mc_opts *mo, struct fc_report_data *d)
{
	struct fc_report_opts ro;
	struct cli_trials_progress prog;
	enum fc_status st;

	memset(&ro, 0, sizeof(ro));
	cli_mc_fill(&a->mc, s, mo);
	mo->months = a->months;
	if (cli_mc_check_memory(CMD, mo, 2, 0) != EXIT_OK)
		return EXIT_USAGE;
	mo->months = 0;
	cli_trials_progress_init(&prog, mo);
	ro.mc = *mo;
	ro.months = a->months;
	ro.users_from = a->from;
	ro.users_to = a->to;
	ro.users_steps = a->steps;
	ro.compare = a->compare;
	ro.cat = cat;
	st = fc_report_data_gather(s, &ro, d);
	mo->progress = NULL;   /* prog is gone when this returns */
	mo->progress_ctx = NULL;
	if (st != FC_OK) {
		if (st == FC_EDOM)
			return cli_usage_error(CMD, "%s: the users axis is empty: give --users "
			    "FROM:TO with FROM < TO", s->file);
		return cli_mc_failed(s->file, st);
	}
	if (!d->have_sens)
		cli_warn("%s: the trials give no spread to share among the inputs (every input "
		    "a constant, or fewer than %d trials): the page names no driving assumption",
		    s->file, FC_SENS_MIN_TRIALS);
	return EXIT_OK;
}

static int
write_page(const struct args *a, const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_report_data *d)
{
	struct page p;
	struct report_charts ch;
	struct cli_out out;
	json_t *inputs = fc_result_json_inputs(s, &d->now), *w = json_object();
	size_t *order = NULL;
	int rc, c;

	memset(&p, 0, sizeof(p));
	memset(&ch, 0, sizeof(ch));
	if (inputs == NULL || w == NULL || (d->cmp && (order = compare_order(d)) == NULL) ||
	    commands(a, o, d, &p) != 0) {
		rc = cli_oom();
		goto done;
	}
	cli_json_data(w);
	p.md = a->md;
	p.s = s;
	p.d = d;
	p.sensitivity = a->sensitivity;
	p.command = a->command;
	p.order = order;
	p.inputs = inputs;
	p.warnings = json_object_get(w, "warnings");
	data_hash(inputs, p.data_hash, sizeof(p.data_hash));
	if ((rc = report_charts_draw(s, o, d, a->sensitivity, a->md ? a->out_path : NULL, order,
	    &p, &ch)) != EXIT_OK)
		goto done;
	if ((rc = out_open(&out, a->out_path)) != EXIT_OK)
		goto done;
	p.f = out.f;
	if (page_write(&p) != 0)
		rc = out_fail(&out);
	else if ((rc = out_commit(&out)) == EXIT_OK)
		rc = report_charts_commit(&ch);
done:
	report_charts_abort(&ch);
	for (c = 0; c < SRC_N; c++)
		fc_free(p.cmds[c]);
	for (c = 0; c < PC_N; c++)
		fc_free(p.charts[c]);
	fc_free(order);
	json_decref(inputs);
	json_decref(w);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	struct args a;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_mc_opts o;
	struct fc_report_data d;
	int rc;

	memset(&d, 0, sizeof(d));
	if ((rc = parse_args(argc, argv, &a)) >= 0) {
		fc_free(a.command);
		return rc;
	}
	{
		const char *in[] = { a.scenario }, *outs[] = { a.out_path };
		if ((rc = cli_io_claim(in, 1, outs, 1)) != EXIT_OK)
			goto done;
	}
	if ((rc = plot_check(CMD, "report.svg")) != EXIT_OK)
		goto done;
	if ((rc = load_scenario(a.scenario, a.mc.sets, a.mc.nsets, &cat, &s)) != EXIT_OK)
		goto done;
	if ((rc = gather(&a, s, cat, &o, &d)) != EXIT_OK)
		goto done;
	rc = write_page(&a, s, &o, &d);
done:
	fc_report_data_free(&d);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	fc_free(a.command);
	return rc;
}
