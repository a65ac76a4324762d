/*
 * check_base.c: `flatcost check --base BASE`: the base run that increase
 * budgets (budget.h) are measured against.  BASE is a directory of the
 * scenarios at the base revision, matched by file name and run here on
 * the candidate's trials and seed (the common random numbers of diff), or
 * the JSON of an earlier check (its "figures"), which must have run the
 * same trials with the same seed.  A scenario with no base of its name is
 * new in the change: its increase budgets are not checked, and say so.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "cost.h"

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int
from_dir(struct check *c, struct item *it, const char *const *sets, size_t nsets)
{
	const char *dir = c->base, *name = base_name(it->path);
	size_t dl = strlen(dir), len = dl + strlen(name) + 2;
	struct stat sb;

	if ((it->base_path = fc_malloc(len)) == NULL)
		return cli_oom();
	snprintf(it->base_path, len, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
	if (stat(it->base_path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		it->no_base = "no scenario of that name in the base (new in this change)";
		fc_free(it->base_path);
		it->base_path = NULL;
		return EXIT_OK;
	}
	return load_scenario(it->base_path, sets, nsets, &it->base_cat, &it->base_s);
}

static int
from_json(struct check *c, struct item *it)
{
	const json_t *scs = json_object_get(c->base_root, "scenarios"), *so;
	const char *name = base_name(it->path), *file;
	size_t i, len;

	json_array_foreach(scs, i, so) {
		file = json_string_value(json_object_get(so, "file"));
		if (file == NULL || strcmp(base_name(file), name) != 0)
			continue;
		if (!json_is_object(json_object_get(so, "figures"))) {
			cli_err("%s: the base of %s has no \"figures\" (an older flatcost wrote it): "
			    "run check on the base again", c->base, it->path);
			return EXIT_USAGE;
		}
		it->base_json = so;
		len = strlen(c->base) + strlen(file) + 4;
		if ((it->base_path = fc_malloc(len)) == NULL)
			return cli_oom();
		snprintf(it->base_path, len, "%s (%s)", c->base, file);
		return EXIT_OK;
	}
	it->no_base = "no scenario of that name in the base (new in this change)";
	return EXIT_OK;
}

static int
read_json(struct check *c)
{
	json_error_t e;
	const json_t *scs;

	if ((c->base_root = json_load_file(c->base, 0, &e)) == NULL) {
		if (json_error_code(&e) == json_error_cannot_open_file) {
			cli_err("--base: cannot read %s: %s", c->base, e.text);
			return EXIT_RUNTIME;   /* it exists (stat), yet cannot be read */
		}
		cli_err("%s:%d:%d: error: %s (--base: expected a directory of scenarios or the "
		    "JSON of flatcost check)", c->base, e.line, e.column, e.text);
		return EXIT_USAGE;
	}
	scs = json_object_get(c->base_root, "scenarios");
	if (!json_is_array(scs) || !json_is_string(json_object_get(c->base_root, "flatcost_version"))) {
		cli_err("%s: error: not the JSON of flatcost check (no \"scenarios\" list): --base "
		    "expects a directory of scenarios or `flatcost check --format json` output",
		    c->base);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int
check_base_load(struct check *c, const char *const *sets, size_t nsets)
{
	struct stat sb;
	int dir, rc = EXIT_OK, r;
	size_t i;

	if (stat(c->base, &sb) != 0) {
		cli_err("--base: cannot read %s: %s", c->base, strerror(errno));
		return EXIT_USAGE;
	}
	dir = S_ISDIR(sb.st_mode);
	if (!dir && (rc = read_json(c)) != EXIT_OK)
		return rc;
	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];
		if (!fc_budget_have_increase(check_budgets_of(c, it)))
			continue;
		r = dir ? from_dir(c, it, sets, nsets) : from_json(c, it);
		if (r == EXIT_RUNTIME)
			return r;
		/* invalid input (2) over data refused (4) */
		if (r != EXIT_OK && (rc == EXIT_OK || (rc == EXIT_DATA && r == EXIT_USAGE)))
			rc = r;
	}
	return rc;
}

/* "300 trials, seed 7, month 1" or "deterministic, month 1" */
static void
describe(char *buf, size_t len, int det, long trials, long seed, long month)
{
	if (det)
		snprintf(buf, len, "deterministic, month %ld", month);
	else
		snprintf(buf, len, "%ld trials, seed %ld, month %ld", trials, seed, month);
}

int
check_base_run(struct item *it, const struct fc_mc_opts *o)
{
	enum fc_status st;

	if (it->base_s) {
		st = fc_mc_run(it->base_s, o, &it->base_r);
		fc_free(it->base_r.samples);   /* the stats are all a budget reads */
		it->base_r.samples = NULL;
		return st == FC_OK ? EXIT_OK : cli_mc_failed(it->base_path, st);
	}
	if (it->base_json) {
		const char *mode = json_string_value(json_object_get(it->base_json, "mode"));
		int det = mode && strcmp(mode, "deterministic") == 0;
		long trials = (long)json_integer_value(json_object_get(it->base_json, "trials"));
		long seed = (long)json_integer_value(json_object_get(it->base_json, "seed"));
		long month = (long)json_integer_value(json_object_get(it->base_json, "month"));
		char a[96], b[96];

		if (det != o->deterministic || month != o->month ||
		    (!det && (trials != o->trials || seed != (long)o->seed))) {
			describe(a, sizeof(a), det, trials, seed, month);
			describe(b, sizeof(b), o->deterministic, o->trials, (long)o->seed, o->month);
			cli_err("%s: the base ran %s, %s runs %s: the change is measured on the same "
			    "trials (give --trials and --seed, or check the base again)",
			    it->base_path, a, it->path, b);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

double
check_base_value(const struct item *it, const struct fc_budget *bg)
{
	const json_t *f;
	const char *stat = it->r.deterministic ? "value" : fc_budget_stat_names[bg->stat];

	if (it->base_s)
		return fc_budget_value(bg, &it->base_r);
	if (it->base_json == NULL)
		return NAN;
	f = json_object_get(json_object_get(it->base_json, "figures"), fc_figures[bg->figure].key);
	f = json_object_get(f, stat);
	return json_is_number(f) ? json_number_value(f) : NAN;
}

void
check_base_free(struct check *c)
{
	size_t i;

	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];
		fc_mc_result_free(&it->base_r);
		fc_scenario_free(it->base_s);
		fc_catalog_free(it->base_cat);
		fc_free(it->base_path);
	}
	json_decref(c->base_root);
}
