/*
 * cmd_merge.c: `flatcost merge PART...`: joins the parts of a sharded
 * sweep (flatcost sweep --shard K/N, sweep_part.c) into the report the
 * whole run writes, byte for byte.
 *
 * The parts must make one complete run: the same scenario text (by its
 * hash), resolved inputs, version, options and shard count, every shard
 * once, and every point and combination of each shard.  The breakeven
 * across the sweep is found here from what the parts hold: along the
 * users, the exact search over the whole axis that a shard ran for each
 * combination (combination c in shard c mod N + 1: the search the whole
 * run makes at the combination's first point, covering the user counts
 * between grid points that no shard owns), with its trials' lasting
 * breakevens; along another axis, the crossings between the points and
 * each trial's.
 *
 * The scenario is reloaded from the text stored in the parts (from its
 * original path when that file still holds it, else from a temporary
 * copy beside that path, so that relative hardware profile paths still
 * resolve) with the run's --set options: for the report's inputs, and to
 * check that it resolves to the inputs the shards had.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "mc.h"
#include "plot.h"
#include "report.h"
#include "scenario.h"
#include "sweep.h"

static const char *const usage_cmd = "merge";

/* The parts and the run they make.  The parts are read one at a time
 * (memory grows with the run's points, not with the number of parts):
 * the first gives the run's identity and options, each next one is
 * checked against it, its points restored and its document freed. */
struct merge {
	size_t nparts;
	char **paths;                 /* argv's, borrowed */
	struct fc_study_ident id0;       /* the first part's identity */
	json_t *root0;                /* the first part, until its points are read */
	size_t *shard_of;             /* id0.n: 1 + the index of the part of each shard, 0 none */
	const char *sets[CLI_MAX_SETS + 1];
	size_t nsets;
	struct cli_mc_args mc;
	struct fc_study_grid g;
	const char *scen;             /* where the scenario text is read from: its
	                                 original path when that file still holds it,
	                                 else tmp */
	char tmp[4096];               /* the scenario text as a temporary file; "" when none */
	int eur;                      /* the run's --currency EUR */
};

/* Reads part i into *id and *root: a part of this version. */
static int
read_part(const struct merge *m, size_t i, struct fc_study_ident *id, json_t **root)
{
	const char *v;
	int rc;

	if ((rc = sweep_part_read(m->paths[i], id, root)) != EXIT_OK)
		return rc;
	v = json_string_value(json_object_get(*root, "flatcost_version"));
	if (strcmp(v, FC_VERSION) != 0) {
		cli_err("%s: written by flatcost %s; this is %s (rerun the shards with one "
		    "version)", m->paths[i], v, FC_VERSION);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Part i (shard id->k) is of the run, and its shard not given before. */
static int
take_shard(struct merge *m, size_t i, const struct fc_study_ident *id, json_t *root)
{
	int rc;

	if (i > 0 && (rc = sweep_part_same(m->paths[i], id, m->paths[0], &m->id0)) != EXIT_OK)
		return rc;
	if (m->shard_of[id->k - 1]) {
		cli_err("shard %ld/%ld given twice: %s and %s", id->k, id->n,
		    m->paths[m->shard_of[id->k - 1] - 1], m->paths[i]);
		return EXIT_USAGE;
	}
	m->shard_of[id->k - 1] = i + 1;
	/* the point list the shard had is the one the run's options give */
	if (!fc_study_part_grid_same(root, &m->g)) {
		cli_err("%s: its point list is not the one its options give (%zu points)",
		    m->paths[i], m->g.npoints);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Every shard was given. */
static int
check_shards(const struct merge *m)
{
	size_t k;

	for (k = 0; k < (size_t)m->id0.n; k++)
		if (!m->shard_of[k]) {
			cli_err("shard %zu/%ld is missing (merge needs every part of the run)", k + 1,
			    m->id0.n);
			return EXIT_USAGE;
		}
	return EXIT_OK;
}

/* The run's options as the parts hold them: the grid, --set, trials,
 * seed, --deterministic. */
static int
rebuild_grid(struct merge *m)
{
	const json_t *o = m->id0.options, *v;
	const char *vary[SWEEP_MAX_VARY + 1], *sp, *users;
	size_t i, nvary = 0;
	int spacing;

	cli_mc_init(&m->mc);
	json_array_foreach(json_object_get(o, "set"), i, v)
		if (i < CLI_MAX_SETS && json_is_string(v))
			m->sets[m->nsets++] = json_string_value(v);
	json_array_foreach(json_object_get(o, "vary"), i, v)
		if (i < SWEEP_MAX_VARY && json_is_string(v))
			vary[nvary++] = json_string_value(v);
	users = json_string_value(json_object_get(o, "users"));
	sp = json_string_value(json_object_get(o, "spacing"));
	spacing = sp && strcmp(sp, "log") == 0 ? 1 : sp && strcmp(sp, "linear") == 0 ? 0 : -1;
	m->mc.trials = (long)json_integer_value(json_object_get(o, "trials"));
	m->mc.seed = (long)json_integer_value(json_object_get(o, "seed"));
	m->mc.deterministic = json_is_true(json_object_get(o, "deterministic"));
	/* the currency and the data flags of the run, so that its warnings,
	 * its JSON data and its figures are the whole run's */
	m->eur = json_is_string(json_object_get(o, "currency")) &&
	    strcmp(json_string_value(json_object_get(o, "currency")), "EUR") == 0;
	cli_data_flags.no_user_data = json_is_true(json_object_get(o, "no_user_data"));
	cli_data_flags.strict = json_is_true(json_object_get(o, "strict_data"));
	if (m->mc.trials < 1 || m->mc.seed < 0) {
		cli_err("%s: the options hold no trials or seed", m->paths[0]);
		return EXIT_USAGE;
	}
	if (sweep_grid_parse(usage_cmd, users, vary, nvary, spacing, &m->g) != 0) {
		cli_err("%s: its options do not make a sweep", m->paths[0]);
		return EXIT_USAGE;
	}
	if ((m->shard_of = fc_calloc((size_t)m->id0.n, sizeof(*m->shard_of))) == NULL)
		return cli_oom();
	return EXIT_OK;
}

/* Whether the file at path holds exactly text (len bytes). */
static int
file_holds(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "rb");
	char buf[8192];
	size_t n, at = 0;
	int same = f != NULL;

	while (same && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		same = at + n <= len && memcmp(buf, text + at, n) == 0;
		at += n;
	}
	if (f) {
		same = same && !ferror(f) && at == len;
		fclose(f);
	}
	return same;
}

/* The scenario from its original path when that file still holds the
 * parts' text; else the text into a temporary file beside the original
 * path (or in $TMPDIR), loaded and named as the original. */
static int
load_base(struct merge *m, struct fc_catalog **cat, struct fc_scenario **s)
{
	const struct fc_study_ident *id = &m->id0;
	const char *slash = strrchr(id->file, '/'), *tmpdir = getenv("TMPDIR");
	FILE *f;
	int fd, rc;

	if (file_holds(id->file, id->text, id->len)) {
		m->scen = id->file;
		return load_scenario(m->scen, m->sets, m->nsets, cat, s);
	}
	if (slash)
		snprintf(m->tmp, sizeof(m->tmp), "%.*s/.flatcost-merge-XXXXXX.yaml",
		    (int)(slash - id->file), id->file);
	else
		snprintf(m->tmp, sizeof(m->tmp), ".flatcost-merge-XXXXXX.yaml");
	if ((fd = mkstemps(m->tmp, 5)) < 0) {
		snprintf(m->tmp, sizeof(m->tmp), "%s/flatcost-merge-XXXXXX.yaml",
		    tmpdir && *tmpdir ? tmpdir : "/tmp");
		if ((fd = mkstemps(m->tmp, 5)) < 0) {
			cli_err("cannot create %s: %s", m->tmp, strerror(errno));
			m->tmp[0] = '\0';
			return EXIT_RUNTIME;
		}
	}
	if ((f = fdopen(fd, "w")) == NULL || fwrite(id->text, 1, id->len, f) != id->len ||
	    fclose(f) != 0) {
		cli_err("cannot write %s: %s", m->tmp, strerror(errno ? errno : EIO));
		return EXIT_RUNTIME;
	}
	m->scen = m->tmp;
	if ((rc = load_scenario(m->scen, m->sets, m->nsets, cat, s)) != EXIT_OK)
		return rc;
	fc_free((*s)->file);
	if (((*s)->file = fc_strdup(id->file)) == NULL)
		return cli_oom();
	return EXIT_OK;
}

/* The scenario resolves here to the inputs it had in the shards: the
 * same prices, hardware and models from the data files. */
static int
check_data(struct merge *m, struct fc_catalog **cat, const struct fc_scenario *s)
{
	char h[32];
	int rc;

	if ((rc = sweep_check_combs(m->scen, m->sets, m->nsets, &m->g, s, cat, h, sizeof(h))) !=
	    EXIT_OK)
		return rc;
	if (strcmp(h, m->id0.data_hash) != 0) {
		cli_err("%s: its scenario resolves here to other inputs than in the shards (other "
		    "data files: %s here, %s there): merge where the shards ran, or with their data "
		    "(FLATCOST_DATA)", m->paths[0], h, m->id0.data_hash);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Every point and combination of shard id (part path) is there; else
 * names what it lacks. */
static int
check_complete(const char *path, const struct fc_study_ident *id, const unsigned char *done,
    const struct fc_study_run *r)
{
	const struct fc_study_grid *g = r->g;
	size_t p, lack = 0, first = 0;

	for (p = 0; p < g->npoints; p++)
		if (fc_study_owns(id, p) && !done[p] && lack++ == 0)
			first = p;
	for (p = 0; !lack && r->cdone && p < g->ncomb; p++)
		if ((long)(p % (size_t)id->n) == id->k - 1 && !r->cdone[p]) {
			cli_err("%s (shard %ld/%ld) lacks the breakeven of combination %zu: rerun "
			    "that shard with --resume", path, id->k, id->n, p);
			return EXIT_USAGE;
		}
	if (lack) {
		cli_err("%s (shard %ld/%ld) lacks %zu of its points (the first: point %zu): "
		    "rerun that shard with --resume", path, id->k, id->n, lack, first);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Part i's points into r: read (the first is already), checked against
 * the run, restored, freed. */
static int
merge_part(struct merge *m, size_t i, struct fc_study_run *r, unsigned char *done)
{
	struct fc_study_ident id;
	json_t *root = NULL;
	int rc;

	memset(&id, 0, sizeof(id));
	if (i == 0) {
		root = m->root0;
		m->root0 = NULL;
		rc = take_shard(m, 0, &m->id0, root);
		if (rc == EXIT_OK)
			rc = sweep_part_points(m->paths[0], root, &m->id0, r, done);
		if (rc == EXIT_OK)
			rc = check_complete(m->paths[0], &m->id0, done, r);
	} else if ((rc = read_part(m, i, &id, &root)) == EXIT_OK &&
	    (rc = take_shard(m, i, &id, root)) == EXIT_OK &&
	    (rc = sweep_part_points(m->paths[i], root, &id, r, done)) == EXIT_OK) {
		rc = check_complete(m->paths[i], &id, done, r);
	}
	json_decref(root);
	fc_study_ident_free(&id);
	return rc;
}

/* Along the users, every point of a combination carries the breakeven
 * a shard searched for it (as the whole run does at its first point). */
static void
copy_breakeven(const struct fc_study_grid *g, struct fc_study_run *r)
{
	long kb = fc_figure_index("breakeven_users");
	size_t c, p;

	for (c = 0; c < g->ncomb; c++) {
		const struct fc_study_be *be = fc_study_be_of(r, c);
		for (p = c * g->nu; p < (c + 1) * g->nu; p++) {
			/* the figure breakeven_users: the lasting breakeven */
			r->res[p].det.breakeven_users = be->b.lasting;
			if (kb >= 0)
				r->res[p].stats[kb] = be->lasting_stat;
			r->res[p].breakeven = be->b;
			r->res[p].breakeven_stat = be->lasting_stat;
			r->res[p].first_stat = be->first_stat;
			r->res[p].p_breakeven_found = be->p_found;
			r->res[p].breakeven_trials = be->trials;
		}
	}
}

/* The points from the parts, then the breakeven, then the report. */
static int
merge_run(struct merge *m, const struct sweep_out *out)
{
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	struct fc_study_run r;
	unsigned char *done = NULL;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = load_base(m, &cat, &s)) != EXIT_OK || (rc = check_data(m, &cat, s)) != EXIT_OK)
		goto done;
	rc = EXIT_USAGE;
	if (out->plot_path && out->chart == CHART_SHARE && !(fc_num_mean(&s->revenue_per_user) > 0)) {
		cli_usage_error(usage_cmd, "--chart share needs revenue_per_user > 0 in %s", s->file);
		goto done;
	}
	if (fc_study_run_alloc(&r, s, &m->g, 1) != 0 || (done = fc_calloc(m->g.npoints, 1)) == NULL) {
		rc = cli_oom();
		goto done;
	}
	r.trials = m->mc.deterministic ? 0 : m->mc.trials;
	if (fc_study_run_diff(&r) != 0) {
		rc = cli_oom();
		goto done;
	}
	for (i = 0; i < m->nparts; i++)
		if ((rc = merge_part(m, i, &r, done)) != EXIT_OK)
			goto done;
	if ((rc = check_shards(m)) != EXIT_OK)
		goto done;
	if (m->g.uaxis)
		copy_breakeven(&m->g, &r);
	if (m->tmp[0])
		unlink(m->tmp);
	m->tmp[0] = '\0';
	rc = sweep_output(&r, out);
done:
	fc_study_run_free(&r);
	fc_free(done);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}

enum { OPT_CHART = CLI_OPT_OWN, OPT_FORMAT, OPT_PLOT, OPT_PLOT_SCRIPT };

static int
parse_merge_args(int argc, char **argv, struct sweep_out *o)
{
	static const struct option opts[] = {
		{ "chart", required_argument, NULL, OPT_CHART },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "plot-script", required_argument, NULL, OPT_PLOT_SCRIPT },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->chart = -1;
	o->fmt = FMT_TABLE;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_CHART:
			if ((o->chart = plot_chart_parse(optarg)) < 0 || o->chart == CHART_HISTOGRAM)
				return cli_usage_error(usage_cmd, "--chart: expected cost, per-user, "
				    "servers or share, got '%s'", optarg);
			break;
		case OPT_FORMAT:
			if ((o->fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error(usage_cmd,
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case 'h':
			return cli_help(usage_cmd) == EXIT_OK ? -1 : EXIT_USAGE;
		case 'o':
			o->out_path = optarg;
			break;
		case OPT_PLOT:
			o->plot_path = optarg;
			break;
		case OPT_PLOT_SCRIPT:
			if (*optarg == '\0' || strpbrk(optarg, "\n\r") != NULL)
				return cli_usage_error(usage_cmd, "--plot-script: expected a directory");
			o->script_dir = optarg;
			break;
		default:
			return cli_bad_option(usage_cmd, ch, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage_cmd, "no part given (flatcost sweep --shard K/N -o PART "
		    "writes them)");
	if ((o->chart >= 0 || o->script_dir) && o->plot_path == NULL)
		return cli_usage_error(usage_cmd, "%s needs --plot FILE", o->chart >= 0 ? "--chart" :
		    "--plot-script");
	if (o->chart < 0)
		o->chart = CHART_COST;
	return EXIT_OK;
}

/* No output may replace a part or another output. */
static int
claim_files(const struct merge *m, const struct sweep_out *o)
{
	size_t i;
	int rc = EXIT_OK;

	for (i = 0; i < m->nparts && rc == EXIT_OK; i++)
		rc = cli_io_input(m->paths[i]);
	if (rc == EXIT_OK)
		rc = cli_io_output(o->out_path);
	if (rc == EXIT_OK && o->plot_path)
		rc = plot_claim(o->plot_path, o->script_dir);
	return rc;
}

int
cmd_merge(int argc, char **argv)
{
	struct sweep_out out;
	struct merge m;
	int rc;

	if ((rc = parse_merge_args(argc, argv, &out)) != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	memset(&m, 0, sizeof(m));
	m.nparts = (size_t)(argc - optind);
	m.paths = argv + optind;
	if ((rc = claim_files(&m, &out)) == EXIT_OK &&
	    (rc = read_part(&m, 0, &m.id0, &m.root0)) == EXIT_OK &&
	    (rc = rebuild_grid(&m)) == EXIT_OK) {
		out.eur = m.eur;
		if (out.plot_path && m.g.grid)
			rc = cli_usage_error(usage_cmd, "--plot charts one axis; this grid has %zu%s",
			    m.g.naxes, m.g.naxes == 1 ? " (a list)" : "");
		else if (out.plot_path)
			rc = plot_check(usage_cmd, out.plot_path);
		if (rc == EXIT_OK)
			rc = merge_run(&m, &out);
	}
	if (m.tmp[0])
		unlink(m.tmp);
	fc_study_ident_free(&m.id0);
	json_decref(m.root0);
	fc_free(m.shard_of);
	fc_study_grid_free(&m.g);
	return rc;
}
