/*
 * cmd_check.c: `flatcost check SCENARIO...`: simulate each scenario and
 * hold it to its budgets, for CI.  One row per budget; exit 1 when any
 * budget fails, with JUnit XML for the CI's test view and Markdown for a
 * pull-request comment.
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
#include "data.h"
#include "mc.h"
#include "report.h"
#include "scenario.h"

/* One scenario's state through the command. */
struct item {
	const char *path;            /* borrowed from argv, or owned in paths */
	struct fc_catalog *cat;
	struct fc_scenario *s;
	struct fc_budgets *b;        /* its own, or NULL (then `budget` or none) */
	struct fc_mc_result r;       /* stats only: samples freed after the run */
	int ran;
};

/* One budget's verdict. */
struct row {
	const struct item *it;
	const struct fc_budget *bg;
	double value, limit;
	enum fc_budget_level level;
};

struct check {
	struct item *items;
	size_t nitems;
	char **paths;                /* file names found in directories, owned */
	size_t npaths;
	struct row *rows;
	size_t nrows;
	size_t n[3];                 /* rows by level */
	size_t nobudget;             /* scenarios without a budget */
	struct fc_budgets *common;   /* --budget FILE */
	int deterministic;
};

static const char *
scenario_label(const struct item *it)
{
	return it->s->name ? it->s->name : it->path;
}

static const struct fc_budgets *
budgets_of(const struct check *c, const struct item *it)
{
	return c->common ? c->common : it->b;
}

/* ---- XML escaping ---- */

static void
xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': case '\t': fputc(ch, f); break;
		default:
			/* XML 1.0 has no other control characters */
			fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
		}
	}
}

/* "per_user.flat at p95 is $0.5312, over the fail limit $0.5000" */
static void
verdict(char *buf, size_t len, const struct row *w)
{
	const char *key = fc_figures[w->bg->figure].key;
	const char *at = fc_budget_stat_names[w->bg->stat];
	char v[48], l[48];

	fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
	fmt_figure_value(l, sizeof(l), w->bg->figure, w->limit);
	if (isnan(w->value))
		snprintf(buf, len, "%s at %s has no value in this scenario", key, at);
	else if (w->level == FC_BUDGET_PASS)
		snprintf(buf, len, "%s at %s is %s, within the limit %s", key, at, v, l);
	else
		snprintf(buf, len, "%s at %s is %s, over the %s limit %s", key, at, v,
		    w->level == FC_BUDGET_FAIL ? "fail" : "warn", l);
}

/* ---- outputs ---- */

static void
write_table(FILE *f, const struct check *c)
{
	size_t i, ws = strlen("SCENARIO"), wf = strlen("FIGURE"), wv = strlen("VALUE");
	size_t wl = strlen("LIMIT"), n;
	char v[48], l[48];

	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		if ((n = strlen(w->it->path)) > ws)
			ws = n;
		if ((n = strlen(fc_figures[w->bg->figure].key)) > wf)
			wf = n;
		fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
		fmt_figure_value(l, sizeof(l), w->bg->figure, w->limit);
		if ((n = strlen(v)) > wv)
			wv = n;
		if ((n = strlen(l)) > wl)
			wl = n;
	}
	if (c->nrows)
		fprintf(f, "%-*s  %-*s  %-4s  %*s  %*s  %s\n", (int)ws, "SCENARIO",
		    (int)wf, "FIGURE", "AT", (int)wv, "VALUE", (int)wl, "LIMIT", "STATUS");
	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
		fmt_figure_value(l, sizeof(l), w->bg->figure, w->limit);
		fprintf(f, "%-*s  %-*s  %-4s  %*s  %*s  %s\n", (int)ws, w->it->path,
		    (int)wf, fc_figures[w->bg->figure].key, fc_budget_stat_names[w->bg->stat],
		    (int)wv, v, (int)wl, l, fc_budget_level_names[w->level]);
	}
	if (c->nrows)
		fputc('\n', f);
	fprintf(f, "%zu budget%s: %zu passed, %zu warned, %zu failed", c->nrows,
	    c->nrows == 1 ? "" : "s", c->n[FC_BUDGET_PASS], c->n[FC_BUDGET_WARN],
	    c->n[FC_BUDGET_FAIL]);
	if (c->nobudget)
		fprintf(f, "; %zu scenario%s without a budget", c->nobudget,
		    c->nobudget == 1 ? "" : "s");
	fprintf(f, "%s\n", c->deterministic ? " (deterministic values)" : "");
}

/* Whether every scenario ran the same trials with the same seed. */
static int
same_trials(const struct check *c)
{
	size_t i;

	for (i = 1; i < c->nitems; i++)
		if (c->items[i].r.trials != c->items[0].r.trials ||
		    c->items[i].r.seed != c->items[0].r.seed)
			return 0;
	return 1;
}

static void
write_md(FILE *f, const struct check *c)
{
	static const char *const mark[] = { "✅ pass", "⚠️ warn", "❌ fail" };
	char v[48], l[48];
	size_t i;

	fprintf(f, "### flatcost budgets: %s\n\n", c->n[FC_BUDGET_FAIL] ? "❌ failed" :
	    c->n[FC_BUDGET_WARN] ? "⚠️ passed with warnings" : "✅ passed");
	fprintf(f, "%zu budget%s: %zu passed, %zu warned, %zu failed.\n\n", c->nrows,
	    c->nrows == 1 ? "" : "s", c->n[FC_BUDGET_PASS], c->n[FC_BUDGET_WARN],
	    c->n[FC_BUDGET_FAIL]);
	if (c->nrows) {
		fprintf(f, "| Scenario | Figure | Percentile | Value | Limit | Status |\n"
		    "|---|---|---|---:|---:|---|\n");
		for (i = 0; i < c->nrows; i++) {
			const struct row *w = &c->rows[i];
			fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
			fmt_figure_value(l, sizeof(l), w->bg->figure, w->limit);
			fputs("| ", f);
			md_text(f, scenario_label(w->it));
			fputs(" | `", f);
			fputs(fc_figures[w->bg->figure].key, f);
			fprintf(f, "` | %s | %s | %s | %s |\n",
			    c->deterministic ? "deterministic" : fc_budget_stat_names[w->bg->stat],
			    v, l, mark[w->level]);
		}
		fputc('\n', f);
	}
	for (i = 0; i < c->nitems; i++)
		if (budgets_of(c, &c->items[i]) == NULL || budgets_of(c, &c->items[i])->n == 0) {
			fputs("- ", f);
			md_text(f, c->items[i].path);
			fputs(" has no budget\n", f);
		}
	if (c->nobudget)
		fputc('\n', f);
	if (c->deterministic)
		fprintf(f, "<sub>Deterministic: every input at its mean. ");
	else if (c->nitems && same_trials(c))
		fprintf(f, "<sub>Monte Carlo, %ld trials, seed %lu. ", c->items[0].r.trials,
		    c->items[0].r.seed);
	else
		fprintf(f, "<sub>Monte Carlo (trials and seeds by scenario in the JSON). ");
	fprintf(f, "A budget fails when its value is above its limit. flatcost %s.</sub>\n",
	    FC_VERSION);
}

static json_t *
loc_json(const struct fc_loc *l)
{
	char buf[1100];

	snprintf(buf, sizeof(buf), "%s:%d:%d", l->file ? l->file : "?", l->line, l->col);
	return json_string(buf);
}

static int
write_json(FILE *f, const struct check *c)
{
	json_t *o = json_object(), *scs = json_array();
	size_t i, j;

	json_object_set_new(o, "flatcost_version", json_string(FC_VERSION));
	json_object_set_new(o, "status", json_string(c->n[FC_BUDGET_FAIL] ? "fail" :
	    c->n[FC_BUDGET_WARN] ? "warn" : "pass"));
	json_object_set_new(o, "budgets", json_integer((json_int_t)c->nrows));
	json_object_set_new(o, "passed", json_integer((json_int_t)c->n[FC_BUDGET_PASS]));
	json_object_set_new(o, "warned", json_integer((json_int_t)c->n[FC_BUDGET_WARN]));
	json_object_set_new(o, "failed", json_integer((json_int_t)c->n[FC_BUDGET_FAIL]));
	cli_json_data(o);
	for (i = 0; i < c->nitems; i++) {
		const struct item *it = &c->items[i];
		const struct fc_budgets *b = budgets_of(c, it);
		json_t *so = json_object(), *rows = json_array();

		json_object_set_new(so, "file", json_string(it->path));
		if (it->s->name)
			json_object_set_new(so, "name", json_string(it->s->name));
		json_object_set_new(so, "mode", json_string(it->r.deterministic ?
		    "deterministic" : "monte-carlo"));
		if (!it->r.deterministic) {
			json_object_set_new(so, "trials", json_integer(it->r.trials));
			json_object_set_new(so, "seed", json_integer((json_int_t)it->r.seed));
		}
		json_object_set_new(so, "month", json_integer(it->r.month));
		if (b)
			json_object_set_new(so, "budget_file", json_string(b->file));
		for (j = 0; j < c->nrows; j++) {
			const struct row *w = &c->rows[j];
			if (w->it != it)
				continue;
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o}",
			    "figure", fc_figures[w->bg->figure].key,
			    "unit", fc_figures[w->bg->figure].unit,
			    "percentile", fc_budget_stat_names[w->bg->stat],
			    "value", json_num(w->value), "limit", json_num(w->limit),
			    "warn", json_num(w->bg->warn), "fail", json_num(w->bg->fail),
			    "status", fc_budget_level_names[w->level],
			    "location", loc_json(&w->bg->loc)));
		}
		json_object_set_new(so, "budgets", rows);
		if (b == NULL || b->n == 0)
			json_object_set_new(so, "warning", json_string("no budget"));
		json_array_append_new(scs, so);
	}
	json_object_set_new(o, "scenarios", scs);
	return report_json_dump(f, o);
}

/* JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it:
 * one testcase per budget, classname the scenario, name FIGURE@PERCENTILE;
 * a scenario without a budget is one skipped testcase. */
static void
write_junit(FILE *f, const struct check *c)
{
	size_t i, j, tests = c->nrows + c->nobudget;
	char msg[512], v[48];

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"flatcost check\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\" skipped=\"%zu\">\n", tests, c->n[FC_BUDGET_FAIL], c->nobudget);
	fprintf(f, "  <testsuite name=\"flatcost\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\" skipped=\"%zu\">\n", tests, c->n[FC_BUDGET_FAIL], c->nobudget);
	fprintf(f, "    <properties>\n"
	    "      <property name=\"flatcost_version\" value=\"%s\"/>\n"
	    "      <property name=\"mode\" value=\"%s\"/>\n", FC_VERSION,
	    c->deterministic ? "deterministic" : "monte-carlo");
	fprintf(f, "    </properties>\n");
	for (i = 0; i < c->nitems; i++) {
		const struct item *it = &c->items[i];
		const struct fc_budgets *b = budgets_of(c, it);

		if (b == NULL || b->n == 0) {
			fputs("    <testcase classname=\"", f);
			xml_text(f, it->path);
			fputs("\" name=\"budget\" file=\"", f);
			xml_text(f, it->path);
			fputs("\">\n      <skipped message=\"no budget\"/>\n    </testcase>\n", f);
			continue;
		}
		for (j = 0; j < c->nrows; j++) {
			const struct row *w = &c->rows[j];
			if (w->it != it)
				continue;
			fputs("    <testcase classname=\"", f);
			xml_text(f, it->path);
			fprintf(f, "\" name=\"%s@%s\" file=\"", fc_figures[w->bg->figure].key,
			    fc_budget_stat_names[w->bg->stat]);
			xml_text(f, w->bg->loc.file ? w->bg->loc.file : it->path);
			fprintf(f, "\" line=\"%d\">\n", w->bg->loc.line);
			verdict(msg, sizeof(msg), w);
			if (w->level == FC_BUDGET_FAIL) {
				fputs("      <failure type=\"budget\" message=\"", f);
				xml_text(f, msg);
				fputs("\">", f);
				fputs("scenario: ", f);
				xml_text(f, scenario_label(it));
				fputs(" (", f);
				xml_text(f, it->path);
				fprintf(f, ")\nfigure: %s", fc_figures[w->bg->figure].key);
				if (fc_figures[w->bg->figure].unit[0])
					fprintf(f, " (%s)", fc_figures[w->bg->figure].unit);
				fprintf(f, "\npercentile: %s\n", fc_budget_stat_names[w->bg->stat]);
				fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
				fprintf(f, "value: %.10g (%s)\n", w->value, v);
				fmt_figure_value(v, sizeof(v), w->bg->figure, w->limit);
				fprintf(f, "limit: %.10g (%s); it fails when the value is above it\n",
				    w->limit, v);
				fputs("budget: ", f);
				xml_text(f, w->bg->loc.file ? w->bg->loc.file : "?");
				fprintf(f, ":%d:%d\n</failure>\n", w->bg->loc.line, w->bg->loc.col);
			} else {
				fputs("      <system-out>", f);
				xml_text(f, w->level == FC_BUDGET_WARN ? "warning: " : "");
				xml_text(f, msg);
				fputs("</system-out>\n", f);
			}
			fputs("    </testcase>\n", f);
		}
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}

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

	for (i = 0; i < c->nitems; i++) {
		fc_mc_result_free(&c->items[i].r);
		fc_budgets_free(c->items[i].b);
		fc_scenario_free(c->items[i].s);
		fc_catalog_free(c->items[i].cat);
	}
	for (i = 0; i < c->npaths; i++)
		fc_free(c->paths[i]);
	fc_free(c->paths);
	fc_free(c->items);
	fc_free(c->rows);
	fc_budgets_free(c->common);
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

static int
run_all(struct check *c, const struct cli_mc_args *mc)
{
	size_t i, j, nrows = 0;
	enum fc_status st;

	for (i = 0; i < c->nitems; i++) {
		const struct fc_budgets *b = budgets_of(c, &c->items[i]);
		nrows += b ? b->n : 0;
	}
	if ((c->rows = fc_calloc(nrows ? nrows : 1, sizeof(*c->rows))) == NULL)
		return cli_oom();
	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];
		const struct fc_budgets *b = budgets_of(c, it);
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
		if (b == NULL || b->n == 0) {
			c->nobudget++;
			continue;
		}
		for (j = 0; j < b->n; j++) {
			struct row *w = &c->rows[c->nrows++];
			w->it = it;
			w->bg = &b->v[j];
			w->level = fc_budget_eval(w->bg, &it->r, &w->value, &w->limit);
			c->n[w->level]++;
		}
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
		const struct fc_budgets *b = budgets_of(c, &c->items[i]);
		if (b == NULL || b->n == 0)
			cli_warn("%s: no budget to check", c->items[i].path);
	}
	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		if (w->level == FC_BUDGET_PASS)
			continue;
		verdict(msg, sizeof(msg), w);
		fprintf(stderr, "%s:%d:%d: %s: %s%s%s\n", w->bg->loc.file, w->bg->loc.line,
		    w->bg->loc.col, w->level == FC_BUDGET_FAIL ? "error" : "warning", msg,
		    c->common ? " in " : "", c->common ? w->it->path : "");
	}
	if (c->n[FC_BUDGET_FAIL])
		cli_err("%zu of %zu budget%s failed", c->n[FC_BUDGET_FAIL], c->nrows,
		    c->nrows == 1 ? "" : "s");
}

enum {
	OPT_BUDGET = CLI_OPT_OWN, OPT_FORMAT, OPT_JUNIT,
};

int
cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "deterministic", no_argument, NULL, CLI_OPT_DETERMINISTIC },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "no-user-data", no_argument, NULL, CLI_OPT_NO_USER_DATA },
		{ "output", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, CLI_OPT_SEED },
		{ "set", required_argument, NULL, CLI_OPT_SET },
		{ "strict-data", no_argument, NULL, CLI_OPT_STRICT_DATA },
		{ "threads", required_argument, NULL, CLI_OPT_THREADS },
		{ "trials", required_argument, NULL, CLI_OPT_TRIALS },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = NULL, *junit_path = NULL, *budget_path = NULL;
	int ch, fmt = FMT_TABLE, rc, wrc = 0;
	struct cli_mc_args mc;
	struct check c;
	struct cli_out out, junit;

	memset(&c, 0, sizeof(c));
	memset(&out, 0, sizeof(out));
	memset(&junit, 0, sizeof(junit));
	cli_mc_init(&mc);
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (ch) {
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
			if ((rc = cli_mc_opt("check", &mc, ch, optarg)) == CLI_NOT_MINE)
				return cli_bad_option("check", ch, argv);
			if (rc != EXIT_OK)
				return rc;
			break;
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
		const char *in[] = { budget_path }, *outs[] = { out_path, junit_path };
		if ((rc = cli_io_claim(in, 1, outs, 2)) != EXIT_OK)
			goto done;
	}
	if ((rc = load_all(&c, budget_path, mc.sets, mc.nsets)) != EXIT_OK)
		goto done;
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
		write_junit(junit.f, &c);
	switch (fmt) {
	case FMT_JSON:
		wrc = write_json(out.f, &c);
		break;
	case FMT_MD:
		write_md(out.f, &c);
		break;
	default:
		write_table(out.f, &c);
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
