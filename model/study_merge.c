/*
 * study_merge.c: the parts of a sharded study joined into the whole run
 * (study.h), one part at a time: the first gives the run's identity and
 * options (its grid rebuilt from them), each next one is checked against
 * it (same scenario text, resolved inputs, version, options, shard count;
 * its shard not given before; its point list the run's), its points'
 * sealed results restored and its document freed, so that memory grows
 * with the run's points, not with the number of parts.  Along the users,
 * every point of a combination then carries the breakeven a shard
 * searched for it, as the whole run does at its first point.
 */
#include "study.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* An error naming its part in the message. */
static enum fc_status __attribute__((format(printf, 2, 3)))
merr(struct fc_diags *d, const char *fmt, ...)
{
	struct fc_loc l = { NULL, 0, 0, 0 };
	enum fc_status st;
	va_list ap;

	va_start(ap, fmt);
	st = fc_verror(d, l, fmt, ap);
	va_end(ap);
	return st;
}

/* Reads part i into *id and *root: a part of this version. */
static enum fc_status
read_part(const struct fc_study_merge *m, size_t i, struct fc_study_ident *id, json_t **root,
    struct fc_diags *d)
{
	const char *v;
	enum fc_status st;

	if ((st = fc_study_part_read(m->paths[i], id, root, d)) != FC_OK)
		return st;
	v = json_string_value(json_object_get(*root, "flatcost_version"));
	if (strcmp(v, FC_VERSION) != 0)
		return merr(d, "%s: written by flatcost %s; this is %s (rerun the shards with one "
		    "version)", m->paths[i], v, FC_VERSION);
	return FC_OK;
}

/* The run's options as the first part holds them: the grid, the
 * overrides, trials, seed, the currency and the data flags. */
static enum fc_status
rebuild(struct fc_study_merge *m, struct fc_diags *d)
{
	const json_t *o = m->id0.options, *v, *set = json_object_get(o, "set");
	struct fc_study_grid_opts go;
	const char *vary[FC_STUDY_MAX_VARY + 1], *sp, *cur;
	size_t i, nvary = 0;
	enum fc_status st;

	if ((m->sets = fc_calloc(json_array_size(set) + 1, sizeof(*m->sets))) == NULL)
		return FC_ENOMEM;
	json_array_foreach(set, i, v)
		if (json_is_string(v))
			m->sets[m->nsets++] = json_string_value(v);
	json_array_foreach(json_object_get(o, "vary"), i, v)
		if (i < FC_STUDY_MAX_VARY && json_is_string(v))
			vary[nvary++] = json_string_value(v);
	sp = json_string_value(json_object_get(o, "spacing"));
	m->trials = (long)json_integer_value(json_object_get(o, "trials"));
	m->seed = (long)json_integer_value(json_object_get(o, "seed"));
	m->deterministic = json_is_true(json_object_get(o, "deterministic"));
	cur = json_string_value(json_object_get(o, "currency"));
	m->eur = cur && strcmp(cur, "EUR") == 0;
	m->no_user_data = json_is_true(json_object_get(o, "no_user_data"));
	m->strict_data = json_is_true(json_object_get(o, "strict_data"));
	if (m->trials < 1 || m->seed < 0)
		return merr(d, "%s: the options hold no trials or seed", m->paths[0]);
	go.users = json_string_value(json_object_get(o, "users"));
	go.vary = vary;
	go.nvary = nvary;
	go.spacing = sp && strcmp(sp, "log") == 0 ? 1 : sp && strcmp(sp, "linear") == 0 ? 0 : -1;
	if ((st = fc_study_grid_parse(&go, &m->g, d)) != FC_OK)
		return st == FC_ENOMEM ? st : merr(d, "%s: its options do not make a sweep",
		    m->paths[0]);
	if ((m->shard_of = fc_calloc((size_t)m->id0.n, sizeof(*m->shard_of))) == NULL)
		return FC_ENOMEM;
	return FC_OK;
}

enum fc_status
fc_study_merge_open(struct fc_study_merge *m, const char *const *paths, size_t nparts,
    struct fc_diags *d)
{
	enum fc_status st;

	memset(m, 0, sizeof(*m));
	m->paths = paths;
	m->nparts = nparts;
	if (nparts == 0)
		return merr(d, "no part given");
	if ((st = read_part(m, 0, &m->id0, &m->root0, d)) != FC_OK)
		return st;
	return rebuild(m, d);
}

/* Part i (shard id->k) is of the run, and its shard not given before. */
static enum fc_status
take_shard(struct fc_study_merge *m, size_t i, const struct fc_study_ident *id, json_t *root,
    struct fc_diags *d)
{
	enum fc_status st;

	if (i > 0 && (st = fc_study_part_same(m->paths[i], id, m->paths[0], &m->id0, d)) != FC_OK)
		return st;
	if (m->shard_of[id->k - 1])
		return merr(d, "shard %ld/%ld given twice: %s and %s", id->k, id->n,
		    m->paths[m->shard_of[id->k - 1] - 1], m->paths[i]);
	m->shard_of[id->k - 1] = i + 1;
	/* the point list the shard had is the one the run's options give */
	if (!fc_study_part_grid_same(root, &m->g))
		return merr(d, "%s: its point list is not the one its options give (%zu points)",
		    m->paths[i], m->g.npoints);
	return FC_OK;
}

/* Every point and combination of shard id (part path) is there. */
static enum fc_status
check_complete(const char *path, const struct fc_study_ident *id, const unsigned char *done,
    const struct fc_study_run *r, struct fc_diags *d)
{
	const struct fc_study_grid *g = r->g;
	size_t p, lack = 0, first = 0;

	for (p = 0; p < g->npoints; p++)
		if (fc_study_owns(id, p) && !done[p] && lack++ == 0)
			first = p;
	for (p = 0; !lack && r->cdone && p < g->ncomb; p++)
		if ((long)(p % (size_t)id->n) == id->k - 1 && !r->cdone[p])
			return merr(d, "%s (shard %ld/%ld) lacks the breakeven of combination %zu: "
			    "rerun that shard with --resume", path, id->k, id->n, p);
	if (lack)
		return merr(d, "%s (shard %ld/%ld) lacks %zu of its points (the first: point %zu): "
		    "rerun that shard with --resume", path, id->k, id->n, lack, first);
	return FC_OK;
}

enum fc_status
fc_study_merge_part(struct fc_study_merge *m, size_t i, struct fc_study_run *r,
    unsigned char *done, struct fc_diags *d)
{
	struct fc_study_ident id;
	json_t *root = NULL;
	enum fc_status st;

	memset(&id, 0, sizeof(id));
	if (i == 0) {
		root = m->root0;
		m->root0 = NULL;
		st = take_shard(m, 0, &m->id0, root, d);
		if (st == FC_OK)
			st = fc_study_part_points(m->paths[0], root, &m->id0, r, done, d);
		if (st == FC_OK)
			st = check_complete(m->paths[0], &m->id0, done, r, d);
	} else if ((st = read_part(m, i, &id, &root, d)) == FC_OK &&
	    (st = take_shard(m, i, &id, root, d)) == FC_OK &&
	    (st = fc_study_part_points(m->paths[i], root, &id, r, done, d)) == FC_OK) {
		st = check_complete(m->paths[i], &id, done, r, d);
	}
	json_decref(root);
	fc_study_ident_free(&id);
	return st;
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

enum fc_status
fc_study_merge_finish(struct fc_study_merge *m, struct fc_study_run *r, struct fc_diags *d)
{
	size_t k;

	for (k = 0; k < (size_t)m->id0.n; k++)
		if (!m->shard_of[k])
			return merr(d, "shard %zu/%ld is missing (merge needs every part of the run)",
			    k + 1, m->id0.n);
	if (m->g.uaxis)
		copy_breakeven(&m->g, r);
	return FC_OK;
}

void
fc_study_merge_free(struct fc_study_merge *m)
{
	fc_study_ident_free(&m->id0);
	json_decref(m->root0);
	fc_free(m->shard_of);
	fc_free(m->sets);
	fc_study_grid_free(&m->g);
	memset(m, 0, sizeof(*m));
}
