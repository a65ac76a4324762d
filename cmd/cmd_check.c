/*
 * cmd_check.c: `flatcost check SCENARIO...`: simulate each scenario and
 * hold it to its budgets, for CI.  One row per budget; exit 1 when any
 * budget fails, with JUnit XML for the CI's test view and Markdown for a
 * pull-request comment.  With --base, increase budgets hold the change
 * against the base run (check_base.c); the outputs are in check_report.c.
 *
 * Every input is read (and every error printed) before anything runs, and
 * every output file is opened before anything is written, so that bad
 * input writes nothing (exit 2) and an unwritable output leaves no partial
 * file (exit 3).
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "budget.h"
#include "check.h"
#include "data.h"
#include "mc.h"
#include "report.h"
#include "scenario.h"

/* ---- inputs ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
has_yaml_ext(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

/* Adds the *.yaml and *.yml files of dir, sorted, to c->paths; returns
 * how many, -1 when dir cannot be read (message printed), -2 on OOM. */
static long
add_dir(struct check *c, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	size_t first = c->npaths, k, dl = strlen(dir);
	char **np;

	if (dp == NULL) {
		cli_err("cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t len = dl + strlen(e->d_name) + 2;
		struct stat sb;
		char *p;

		if (!has_yaml_ext(e->d_name))
			continue;
		np = fc_realloc(c->paths, (c->npaths + 1) * sizeof(*np));
		if (np == NULL || (p = fc_malloc(len)) == NULL) {
			if (np)
				c->paths = np;
			closedir(dp);
			return -2;
		}
		c->paths = np;
		snprintf(p, len, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
		/* a FIFO or a device named *.yaml would block or never end:
		 * only files (or links to files) stand for a scenario */
		if (stat(p, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			cli_warn("%s: skipped: not a regular file", p);
			fc_free(p);
			continue;
		}
		c->paths[c->npaths++] = p;
	}
	closedir(dp);
	k = c->npaths - first;
	if (k > 1)
		qsort(c->paths + first, k, sizeof(*c->paths), cmp_str);
	return (long)k;
}

static int
add_item(struct check *c, const char *path, size_t *cap)
{
	struct item *ni;

	if (c->nitems == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		if ((ni = fc_realloc(c->items, *cap * sizeof(*ni))) == NULL)
			return -1;
		c->items = ni;
	}
	memset(&c->items[c->nitems], 0, sizeof(*c->items));
	c->items[c->nitems++].path = path;
	return 0;
}

/* Expands the arguments (a directory stands for its YAML files, sorted)
 * into c->items.  Returns EXIT_OK, EXIT_USAGE or EXIT_RUNTIME. */
static int
collect(struct check *c, int argc, char **argv)
{
	size_t cap = 0, j;
	int a, rc = EXIT_OK;
	struct stat sb;

	for (a = 0; a < argc; a++) {
		long k;

		if (stat(argv[a], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			if (add_item(c, argv[a], &cap) != 0)
				return cli_oom();
			continue;
		}
		k = add_dir(c, argv[a]);
		if (k == -2)
			return cli_oom();
		if (k == 0)
			cli_err("%s: no .yaml files in this directory", argv[a]);
		if (k <= 0) {
			rc = EXIT_USAGE;
			continue;
		}
		for (j = c->npaths - (size_t)k; j < c->npaths; j++)
			if (add_item(c, c->paths[j], &cap) != 0)
				return cli_oom();
	}
	return rc;
}

static void
check_free(struct check *c)
{
	size_t i;

	check_base_free(c);
	for (i = 0; i < c->nitems; i++) {
		fc_mc_result_free(&c->items[i].r);
		fc_budget_free(c->items[i].b);
		fc_scenario_free(c->items[i].s);
		fc_catalog_free(c->items[i].cat);
	}
	for (i = 0; i < c->npaths; i++)
		fc_free(c->paths[i]);
	fc_free(c->paths);
	fc_free(c->items);
	fc_free(c->rows);
	fc_budget_free(c->common);
}

static int
load_all(struct check *c, const char *budget_path, const char *const *sets,
    size_t nsets)
{
	struct fc_diags d;
	enum fc_status st;
	int rc = EXIT_OK, r;
	size_t i;

	fc_diags_init(&d);
	if (budget_path) {
		st = fc_budget_load(budget_path, &c->common, &d);
		cli_print_diags(&d);
		fc_diags_free(&d);
		fc_diags_init(&d);
		if (st == FC_ENOMEM)
			return cli_oom();
		if (st == FC_EIO)
			return EXIT_RUNTIME;
		if (st != FC_OK)
			rc = EXIT_USAGE;
	}
	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];

		r = load_scenario(it->path, sets, nsets, &it->cat, &it->s);
		if (r == EXIT_RUNTIME) {
			rc = r;
			break;
		}
		if (r != EXIT_OK) {
			/* invalid input (2) over data refused (4) */
			if (rc == EXIT_OK || (rc == EXIT_DATA && r == EXIT_USAGE))
				rc = r;
			continue;
		}
		if (budget_path)
			continue;   /* the file's budgets replace the scenarios' own */
		st = fc_budget_from_scenario(it->s, &it->b, &d);
		cli_print_diags(&d);
		fc_diags_free(&d);
		fc_diags_init(&d);
		if (st == FC_ENOMEM) {
			rc = cli_oom();
			break;
		}
		if (st != FC_OK && rc == EXIT_OK)
			rc = EXIT_USAGE;
	}
	fc_diags_free(&d);
	return rc;
}

static void
eval_row(struct check *c, const struct item *it, const struct fc_budget *bg)
{
	struct row *w = &c->rows[c->nrows++];

	w->it = it;
	w->bg = bg;
	if (!bg->increase) {
		w->level = fc_budget_eval(bg, &it->r, &w->value, &w->limit);
		c->n[w->level]++;
		return;
	}
	if (it->base_s == NULL && it->base_json == NULL) {
		/* the limit it would have been held to, for the reports */
		fc_budget_eval_increase(bg, NAN, NAN, &w->ch);
		w->skipped = 1;
		c->nskipped++;
		return;
	}
	fc_budget_eval_increase(bg, check_base_value(it, bg), fc_budget_value(bg, &it->r),
	    &w->ch);
	w->level = w->ch.level;
	c->n[w->level]++;
}

static int
run_all(struct check *c, const struct cli_mc_args *mc)
{
	size_t i, j, nrows = 0;
	enum fc_status st;
	int rc;

	for (i = 0; i < c->nitems; i++) {
		const struct fc_budgets *b = check_budgets_of(c, &c->items[i]);
		nrows += b ? b->n : 0;
	}
	if ((c->rows = fc_calloc(nrows ? nrows : 1, sizeof(*c->rows))) == NULL)
		return cli_oom();
	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];
		const struct fc_budgets *b = check_budgets_of(c, it);
		struct fc_mc_opts o;

		cli_mc_fill(mc, it->s, &o);
		if (cli_mc_check_memory("check", &o, 1, 0) != EXIT_OK)
			return EXIT_USAGE;
		st = fc_mc_run(it->s, &o, &it->r);
		fc_free(it->r.samples);   /* the stats are all a budget reads */
		it->r.samples = NULL;
		if (st != FC_OK)
			return cli_mc_failed(it->path, st);
		it->ran = 1;
		/* the base on the candidate's trials and seed */
		if ((rc = check_base_run(it, &o)) != EXIT_OK)
			return rc;
		if (b == NULL || b->n == 0) {
			c->nobudget++;
			continue;
		}
		for (j = 0; j < b->n; j++)
			eval_row(c, it, &b->v[j]);
	}
	return EXIT_OK;
}

/* Warnings and failures on stderr, where the budget is, like a compiler's. */
static void
print_verdicts(const struct check *c)
{
	char msg[512];
	size_t i;

	for (i = 0; i < c->nitems; i++) {
		const struct fc_budgets *b = check_budgets_of(c, &c->items[i]);
		if (b == NULL || b->n == 0)
			cli_warn("%s: no budget to check", c->items[i].path);
	}
	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		if (w->skipped) {
			check_verdict(msg, sizeof(msg), w);
			fprintf(stderr, "%s:%d:%d: note: %s\n", w->bg->loc.file, w->bg->loc.line,
			    w->bg->loc.col, msg);
			continue;
		}
		if (w->level == FC_BUDGET_PASS)
			continue;
		check_verdict(msg, sizeof(msg), w);
		fprintf(stderr, "%s:%d:%d: %s: %s%s%s\n", w->bg->loc.file, w->bg->loc.line,
		    w->bg->loc.col, w->level == FC_BUDGET_FAIL ? "error" : "warning", msg,
		    c->common ? " in " : "", c->common ? w->it->path : "");
	}
	if (c->n[FC_BUDGET_FAIL])
		cli_err("%zu of %zu budget%s failed", c->n[FC_BUDGET_FAIL], c->nrows - c->nskipped,
		    c->nrows - c->nskipped == 1 ? "" : "s");
}

enum {
	OPT_BASE = CLI_OPT_OWN, OPT_BUDGET, OPT_FORMAT, OPT_JUNIT,
};

const struct cli_opt cli_check_opts[] = {
	CLI_OPT("base", OPT_BASE, "DIR|FILE.json", "compare against a base run (a directory of scenarios or check's JSON)"),
	CLI_OPT("budget", OPT_BUDGET, "FILE", "the budgets, instead of each scenario's own"),
	CLI_OPT("junit", OPT_JUNIT, "FILE", "also write a JUnit XML report to FILE"),
	CLI_OPT("format", OPT_FORMAT, "table|json|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_MC(CLI_MC_RUN | CLI_MC_DETERMINISTIC | CLI_MC_SET | CLI_MC_DATA | CLI_MC_ALLOW_FREE_HW),
	CLI_OPTS_END,
};

int
cmd_check(int argc, char **argv)
{
	struct cli_getopt g;
	const char *out_path = NULL, *junit_path = NULL, *budget_path = NULL;
	int ch, fmt = FMT_TABLE, rc, wrc = 0;
	struct cli_mc_args mc;
	struct check c;
	struct cli_out out, junit;

	memset(&c, 0, sizeof(c));
	memset(&out, 0, sizeof(out));
	memset(&junit, 0, sizeof(junit));
	cli_mc_init(&mc);
	cli_data_flags.free_hw = 1;    /* a price of 0 is refused */
	cli_getopt_init(&g, cli_check_opts, argc, argv);
	cli_getopt_mc(&g, "check", &mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_BASE:
			c.base = optarg;
			break;
		case OPT_BUDGET:
			budget_path = optarg;
			break;
		case OPT_FORMAT:
			fmt = report_format_parse(optarg);
			if (fmt < 0 || fmt == FMT_CSV)
				return cli_usage_error("check",
				    "--format: expected table, json or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help("check");
		case OPT_JUNIT:
			junit_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no scenario file given");
	c.deterministic = mc.deterministic;
	if ((rc = collect(&c, argc - optind, argv + optind)) != EXIT_OK)
		goto done;
	/* no output may replace a scenario, the budget or the other output */
	for (size_t i = 0; i < c.nitems; i++)
		if ((rc = cli_io_input(c.items[i].path)) != EXIT_OK)
			goto done;
	{
		const char *in[] = { budget_path, c.base }, *outs[] = { out_path, junit_path };
		if ((rc = cli_io_claim(in, 2, outs, 2)) != EXIT_OK)
			goto done;
	}
	if ((rc = load_all(&c, budget_path, mc.sets, mc.nsets)) != EXIT_OK)
		goto done;
	if (c.base && (rc = check_base_load(&c, mc.sets, mc.nsets)) != EXIT_OK)
		goto done;
	for (size_t i = 0; !c.base && i < c.nitems; i++)
		c.items[i].no_base = "no --base given";
	if ((rc = run_all(&c, &mc)) != EXIT_OK)
		goto done;
	/* open every output before writing any */
	if (junit_path && (rc = out_open(&junit, junit_path)) != EXIT_OK)
		goto done;
	if ((rc = out_open(&out, out_path)) != EXIT_OK) {
		out_abort(&junit);
		goto done;
	}
	if (junit_path)
		check_write_junit(junit.f, &c);
	switch (fmt) {
	case FMT_JSON:
		wrc = check_write_json(out.f, &c);
		break;
	case FMT_MD:
		check_write_md(out.f, &c);
		break;
	default:
		check_write_table(out.f, &c);
		break;
	}
	if (wrc != 0) {
		rc = out_fail(&out);
		out_abort(&junit);
		goto done;
	}
	if (junit_path && (rc = out_commit(&junit)) != EXIT_OK) {
		out_abort(&out);
		goto done;
	}
	if ((rc = out_commit(&out)) != EXIT_OK)
		goto done;
	print_verdicts(&c);
	rc = c.n[FC_BUDGET_FAIL] ? EXIT_BUDGET : EXIT_OK;
done:
	check_free(&c);
	return rc;
}
