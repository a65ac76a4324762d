/*
 * study_points.c: the loop over a study's points (see study.h,
 * fc_study_run_points): every point a process owns, one combination's
 * scenario at a time, then a shard's share of the breakeven searches, the
 * caller told after each so that it can show progress and save a part.
 */
#include "study.h"

#include "scenario.h"

/* A shard's share of the breakeven searches along the users: combination
 * c goes to shard (c mod N) + 1. */
static int
owns_search(const struct fc_study_ident *id, size_t c)
{
	return (long)(c % (size_t)id->n) == id->k - 1;
}

int
fc_study_run_points(struct fc_study_run *r, struct fc_mc_opts *o,
    const struct fc_study_ident *id, unsigned char *done, const struct fc_study_hooks *h)
{
	const struct fc_study_grid *g = r->g;
	struct fc_scenario *s = NULL;
	size_t p, c, cur = (size_t)-1;
	enum fc_status st;
	int rc = 0;

	fc_study_breakeven_range(g, o);
	for (p = 0; p < g->npoints && rc == 0; p++) {
		if (done[p] || (id && !fc_study_owns(id, p)))
			continue;
		if ((c = p / g->nu) != cur) {
			fc_scenario_free(s);
			s = NULL;
			if ((rc = h->load(h->ctx, c, &s)) != 0)
				break;
			cur = c;
		}
		if ((st = fc_study_run_point(r, s, o, p, id != NULL)) != FC_OK) {
			rc = h->failed(h->ctx, 0, p, st);
			break;
		}
		done[p] = 1;
		rc = h->step(h->ctx, 0, p);
	}
	fc_scenario_free(s);
	for (c = 0; id && g->uaxis && c < g->ncomb && rc == 0; c++) {
		if (!owns_search(id, c) || r->cdone[c])
			continue;
		s = NULL;
		if ((rc = h->load(h->ctx, c, &s)) != 0)
			break;
		st = fc_study_run_breakeven(r, s, o, c);
		fc_scenario_free(s);
		rc = st == FC_OK ? h->step(h->ctx, 1, c) : h->failed(h->ctx, 1, c, st);
	}
	return rc;
}

size_t
fc_study_steps(const struct fc_study_run *r, const struct fc_study_ident *id,
    const unsigned char *done, size_t *npoints)
{
	const struct fc_study_grid *g = r->g;
	size_t n = 0, steps;
	size_t p;

	for (p = 0; p < g->npoints; p++)
		n += (size_t)(!done[p] && (!id || fc_study_owns(id, p)));
	steps = n;
	for (p = 0; id && g->uaxis && p < g->ncomb; p++)
		steps += (size_t)(owns_search(id, p) && !r->cdone[p]);
	if (npoints)
		*npoints = n;
	return steps;
}
