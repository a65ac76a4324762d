/*
 * study_part.c: the part of a sharded study (sweep --shard K/N), read
 * back by `flatcost merge` and by sweep --resume; writing it to a file
 * is cmd/'s (cmd/sweep_part.c).
 *
 * A part is one JSON document:
 *   flatcost_part     1 (this layout)
 *   flatcost_version  the version that wrote it
 *   scenario          {file, hash, data_hash, text}: the scenario file as
 *                     it was read, its FNV-1a 64 hash, and the hash of the
 *                     inputs its points resolve to (prices, hardware and
 *                     models from the data files: sweep_check_combs)
 *   options           what shapes the results: users, vary, spacing, set,
 *                     trials, seed, deterministic
 *   shard             {k, n}: shard K of N owns the points i with
 *                     i mod N == K - 1
 *   points            the whole run's point list, each point's values
 *   results           the points computed so far, each with every
 *                     statistic the reports use
 *   breakevens        along the users: the combinations c (c mod N ==
 *                     K - 1) whose breakeven search is done, with the
 *                     searched trials' lasting breakevens
 * Each result and each breakeven carries "hash": FNV-1a 64 over the
 * run's identity (scenario and data hashes, options, shard), the point's
 * (or the combination's first point's) coordinates and the entry itself
 * without its hash, each as compact JSON with sorted keys and doubles in
 * 17 digits.  merge and --resume recompute it and refuse an entry that
 * does not match: figures edited, indices swapped, trials cut, a month
 * changed.  It detects edits and damage, not forgery (FNV is no
 * cryptographic hash).
 * Doubles are written with 17 significant digits, which read back as the
 * same doubles; NaN is null and the infinities "inf" and "-inf".
 */
#include "study.h"

#include <stdarg.h>
#include <stdio.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#define PART_FORMAT 2   /* 2: results and breakevens carry their hash */
#define MAX_SCENARIO_BYTES (16L << 20)

/* The scenario text's identity. */
static uint64_t
fnv1a64(const char *p, size_t n)
{
	return fc_study_fnv(FC_STUDY_FNV_INIT, p, n);
}

static enum fc_status
read_text(const char *path, char **text, size_t *len, struct fc_diags *d)
{
	FILE *f = fopen(path, "rb");
	long n;

	*text = NULL;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    n > MAX_SCENARIO_BYTES || fseek(f, 0, SEEK_SET) != 0) {
		fc_study_error(d, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
		if (f)
			fclose(f);
		return FC_EIO;
	}
	if ((*text = fc_malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return FC_ENOMEM;
	}
	*len = fread(*text, 1, (size_t)n, f);
	(*text)[*len] = '\0';
	if (ferror(f) || *len != (size_t)n) {
		fclose(f);
		fc_study_error(d, "cannot read %s", path);
		return FC_EIO;
	}
	fclose(f);
	return FC_OK;
}

enum fc_status
fc_study_ident_init(struct fc_study_ident *id, const char *file, const char *users_arg,
    const char *const *vary, size_t nvary, int spacing, const char *const *sets, size_t nsets,
    long trials, unsigned long seed, int deterministic, long k, long n, const char *data_hash,
    struct fc_diags *d)
{
	json_t *v = json_array(), *st = json_array();
	size_t i;
	enum fc_status rc;

	memset(id, 0, sizeof(id[0]));
	id->k = k;
	id->n = n;
	snprintf(id->data_hash, sizeof(id->data_hash), "%s", data_hash);
	for (i = 0; i < nvary; i++)
		json_array_append_new(v, json_string(vary[i]));
	for (i = 0; i < nsets; i++)
		json_array_append_new(st, json_string(sets[i]));
	id->options = json_pack("{s:s?, s:o, s:s, s:o, s:I, s:I, s:b}", "users", users_arg,
	    "vary", v, "spacing", spacing < 0 ? "default" : spacing ? "log" : "linear",
	    "set", st, "trials", (json_int_t)trials, "seed", (json_int_t)seed,
	    "deterministic", deterministic);
	if (id->options == NULL || (id->file = fc_strdup(file)) == NULL)
		return FC_ENOMEM;
	if ((rc = read_text(file, &id->text, &id->len, d)) != FC_OK)
		return rc;
	snprintf(id->hash, sizeof(id->hash), "fnv1a64:%016llx",
	    (unsigned long long)fnv1a64(id->text, id->len));
	return FC_OK;
}

void
fc_study_ident_free(struct fc_study_ident *id)
{
	fc_free(id->file);
	fc_free(id->text);
	json_decref(id->options);
	memset(id, 0, sizeof(*id));
}

int
fc_study_owns(const struct fc_study_ident *id, size_t p)
{
	return (long)(p % (size_t)id->n) == id->k - 1;
}

/* Doubles, exactly: NaN as null, the infinities as strings. */
static json_t *
dbl(double v)
{
	if (isnan(v))
		return json_null();
	if (isinf(v))
		return json_string(v > 0 ? "inf" : "-inf");
	return json_real(v);
}

/* Reads dbl()'s value back; -1 when j is not one. */
static int
get_dbl(const json_t *j, double *v)
{
	const char *s;

	if (json_is_null(j)) {
		*v = NAN;
		return 0;
	}
	if (json_is_number(j)) {
		*v = json_number_value(j);
		return 0;
	}
	if ((s = json_string_value(j)) != NULL && (strcmp(s, "inf") == 0 || strcmp(s, "-inf") == 0)) {
		*v = s[0] == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	return -1;
}

static json_t *
stat_out(const struct fc_stat *s)
{
	return json_pack("[o, o, o, o, o, o, o]", dbl(s->mean), dbl(s->sd), dbl(s->p5),
	    dbl(s->p50), dbl(s->p95), dbl(s->p99), dbl(s->n));
}

static int
stat_in(const json_t *j, struct fc_stat *s)
{
	double *f[7] = { &s->mean, &s->sd, &s->p5, &s->p50, &s->p95, &s->p99, &s->n };
	size_t i;

	if (!json_is_array(j) || json_array_size(j) != 7)
		return -1;
	for (i = 0; i < 7; i++)
		if (get_dbl(json_array_get(j, i), f[i]) != 0)
			return -1;
	return 0;
}

/* A double array of n; -1 when j is not one. */
static int
dbls_in(const json_t *j, double *v, size_t n)
{
	size_t i;

	if (!json_is_array(j) || json_array_size(j) != n)
		return -1;
	for (i = 0; i < n; i++)
		if (get_dbl(json_array_get(j, i), &v[i]) != 0)
			return -1;
	return 0;
}

static json_t *
breakeven_out(const struct fc_breakeven *b)
{
	const struct fc_viability *v = &b->viability;
	json_t *from = json_array(), *to = json_array();
	size_t i;

	for (i = 0; i < b->nranges && i < FC_MAX_RANGES; i++) {
		json_array_append_new(from, dbl(b->from[i]));
		json_array_append_new(to, dbl(b->to[i]));
	}
	return json_pack("{s:[i, i, o, o], s:o, s:o, s:o, s:o, s:b, s:[o, o]}",
	    "viability", v->viable, (int)v->reason, dbl(v->call_s), dbl(v->slo_s),
	    "first", dbl(b->first), "lasting", dbl(b->lasting), "from", from, "to", to,
	    "truncated", b->truncated, "searched", dbl(b->searched_from), dbl(b->searched_to));
}

static int
breakeven_in(const json_t *j, struct fc_breakeven *b)
{
	const json_t *v = json_object_get(j, "viability"), *from = json_object_get(j, "from");
	double s[2];

	b->nranges = json_array_size(from);
	if (json_array_size(v) != 4 || !json_is_integer(json_array_get(v, 0)) ||
	    !json_is_integer(json_array_get(v, 1)) || b->nranges > FC_MAX_RANGES ||
	    get_dbl(json_array_get(v, 2), &b->viability.call_s) ||
	    get_dbl(json_array_get(v, 3), &b->viability.slo_s) ||
	    get_dbl(json_object_get(j, "first"), &b->first) ||
	    get_dbl(json_object_get(j, "lasting"), &b->lasting) ||
	    dbls_in(from, b->from, b->nranges) ||
	    dbls_in(json_object_get(j, "to"), b->to, b->nranges) ||
	    !json_is_boolean(json_object_get(j, "truncated")) ||
	    dbls_in(json_object_get(j, "searched"), s, 2))
		return -1;
	b->viability.viable = (int)json_integer_value(json_array_get(v, 0));
	b->viability.reason = (enum fc_viability_reason)json_integer_value(json_array_get(v, 1));
	b->truncated = json_is_true(json_object_get(j, "truncated"));
	b->searched_from = s[0];
	b->searched_to = s[1];
	return 0;
}

/* The hash every entry of part id starts from: its run and shard. */
static int
ident_hash(const struct fc_study_ident *id, uint64_t *h)
{
	char sh[64];

	*h = FC_STUDY_FNV_INIT;
	*h = fc_study_fnv(*h, id->hash, strlen(id->hash) + 1);
	*h = fc_study_fnv(*h, id->data_hash, strlen(id->data_hash) + 1);
	snprintf(sh, sizeof(sh), "%ld/%ld", id->k, id->n);
	*h = fc_study_fnv(*h, sh, strlen(sh) + 1);
	return fc_study_hash_json(h, id->options);
}

/* The hash of entry j (without its "hash" member) of point p, as
 * "fnv1a64:" and 16 hex digits into out; -1 when out of memory. */
static int
entry_hash(uint64_t base, const struct fc_study_grid *g, size_t p, json_t *j, char *out,
    size_t len)
{
	json_t *pt = fc_study_point_json(g, p), *saved = json_incref(json_object_get(j, "hash"));
	uint64_t h = base;
	int rc;

	if (saved)
		json_object_del(j, "hash");
	rc = pt == NULL || fc_study_hash_json(&h, pt) != 0 || fc_study_hash_json(&h, j) != 0 ? -1 : 0;
	if (saved)
		json_object_set_new(j, "hash", saved);
	json_decref(pt);
	snprintf(out, len, "fnv1a64:%016llx", (unsigned long long)h);
	return rc;
}

/* Sets j's "hash"; -1 when out of memory. */
static int
seal(const struct fc_study_ident *id, const struct fc_study_grid *g, size_t p, json_t *j)
{
	uint64_t base;
	char h[32];

	if (j == NULL || ident_hash(id, &base) != 0 || entry_hash(base, g, p, j, h, sizeof(h)) != 0)
		return -1;
	return json_object_set_new(j, "hash", json_string(h));
}

/* Whether j's "hash" is the one its content gives: 1 yes, 0 no, -1 out
 * of memory. */
static int
sealed(uint64_t base, const struct fc_study_grid *g, size_t p, json_t *j)
{
	const char *have = json_string_value(json_object_get(j, "hash"));
	char h[32];

	if (entry_hash(base, g, p, j, h, sizeof(h)) != 0)
		return -1;
	return have != NULL && strcmp(have, h) == 0;
}

/* Point p's result: every statistic the reports read. */
static json_t *
result_out(const struct fc_study_run *r, size_t p)
{
	const struct fc_mc_result *res = fc_study_res(r, p);
	json_t *o, *figs = json_array();
	size_t k, t;

	for (k = 0; k < fc_nfigures; k++)
		json_array_append_new(figs, res->deterministic ?
		    dbl(fc_figure_get(&res->det, k)) : stat_out(&res->stats[k]));
	o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
	    "i", (json_int_t)p, "month", (json_int_t)res->month, "figures", figs,
	    "p_flat_cheaper", dbl(res->p_flat_cheaper), "p_viable", dbl(res->p_viable),
	    "breakeven", breakeven_out(&res->breakeven),
	    "breakeven_stat", stat_out(&res->breakeven_stat),
	    "first_stat", stat_out(&res->first_stat),
	    "p_breakeven_found", dbl(res->p_breakeven_found),
	    "breakeven_trials", (json_int_t)res->breakeven_trials);
	if (o && r->diff) {
		json_t *d = json_array();
		for (t = 0; t < (size_t)r->trials; t++)
			json_array_append_new(d, dbl(fc_study_diff(r, p)[t]));
		json_object_set_new(o, "diff", d);
	}
	return o;
}

static int
result_in(const json_t *j, struct fc_study_run *r, size_t p, int det)
{
	struct fc_mc_result *res = fc_study_res(r, p);
	const json_t *figs = json_object_get(j, "figures");
	size_t k;
	double v;

	if (json_array_size(figs) != fc_nfigures || !json_is_integer(json_object_get(j, "month")) ||
	    !json_is_integer(json_object_get(j, "breakeven_trials")))
		return -1;
	for (k = 0; k < fc_nfigures; k++) {
		if (det) {
			if (get_dbl(json_array_get(figs, k), &v))
				return -1;
			*(double *)((char *)&res->det + fc_figures[k].off) = v;
		} else if (stat_in(json_array_get(figs, k), &res->stats[k])) {
			return -1;
		}
	}
	res->month = (long)json_integer_value(json_object_get(j, "month"));
	res->breakeven_trials = (long)json_integer_value(json_object_get(j, "breakeven_trials"));
	if (get_dbl(json_object_get(j, "p_flat_cheaper"), &res->p_flat_cheaper) ||
	    get_dbl(json_object_get(j, "p_viable"), &res->p_viable) ||
	    get_dbl(json_object_get(j, "p_breakeven_found"), &res->p_breakeven_found) ||
	    breakeven_in(json_object_get(j, "breakeven"), &res->breakeven) ||
	    stat_in(json_object_get(j, "breakeven_stat"), &res->breakeven_stat) ||
	    stat_in(json_object_get(j, "first_stat"), &res->first_stat))
		return -1;
	if (r->diff && dbls_in(json_object_get(j, "diff"), fc_study_diff(r, p), (size_t)r->trials))
		return -1;
	return 0;
}

/* Combination c's breakeven along the users, and its trials' lasting
 * breakevens. */
static json_t *
be_out(const struct fc_study_run *r, size_t c)
{
	const struct fc_study_be *be = fc_study_be_of(r, c);
	json_t *l = json_array();
	long t;

	for (t = 0; r->lasting[c] && t < r->nlasting[c]; t++)
		json_array_append_new(l, dbl(r->lasting[c][t]));
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:o}", "c", (json_int_t)c,
	    "breakeven", breakeven_out(&be->b), "breakeven_stat", stat_out(&be->lasting_stat),
	    "first_stat", stat_out(&be->first_stat), "p_breakeven_found", dbl(be->p_found),
	    "breakeven_trials", (json_int_t)be->trials, "lasting", l);
}

/* be_out's object j into combination c's; -1 when malformed, -2 when out
 * of memory. */
static int
be_in(const json_t *j, struct fc_study_run *r, size_t c)
{
	struct fc_study_be *be = fc_study_be_of(r, c);
	const json_t *l = json_object_get(j, "lasting");
	size_t n = json_array_size(l);

	if (breakeven_in(json_object_get(j, "breakeven"), &be->b) ||
	    stat_in(json_object_get(j, "breakeven_stat"), &be->lasting_stat) ||
	    stat_in(json_object_get(j, "first_stat"), &be->first_stat) ||
	    get_dbl(json_object_get(j, "p_breakeven_found"), &be->p_found) ||
	    !json_is_integer(json_object_get(j, "breakeven_trials")) || !json_is_array(l) ||
	    n > (size_t)r->trials)
		return -1;
	be->trials = (long)json_integer_value(json_object_get(j, "breakeven_trials"));
	fc_free(r->lasting[c]);
	r->lasting[c] = NULL;
	r->nlasting[c] = 0;
	if (n == 0)
		return 0;
	if ((r->lasting[c] = fc_malloc(n * sizeof(double))) == NULL)
		return -2;
	r->nlasting[c] = (long)n;
	return dbls_in(l, r->lasting[c], n);
}

/* The run's point list: each point's values on every axis. */
static json_t *
points_out(const struct fc_study_grid *g)
{
	json_t *all = json_array();
	size_t p;

	for (p = 0; p < g->npoints; p++)
		json_array_append_new(all, fc_study_point_json(g, p));
	return all;
}

int
fc_study_part_grid_same(json_t *root, const struct fc_study_grid *g)
{
	const json_t *all = json_object_get(root, "points");
	char v[FC_STUDY_MAX_LABEL];
	size_t p, j;
	double x;

	if (json_array_size(all) != g->npoints)
		return 0;
	for (p = 0; p < g->npoints; p++) {
		const json_t *pt = json_array_get(all, p);
		if (json_array_size(pt) != g->naxes)
			return 0;
		for (j = 0; j < g->naxes; j++) {
			const struct fc_study_axis *a = g->ax[j];
			const json_t *e = json_array_get(pt, j);
			size_t i = fc_study_index(g, p, j);
			if (a->list) {
				fc_study_value_text(v, sizeof(v), a, i);
				if (!json_is_string(e) || strcmp(json_string_value(e), v) != 0)
					return 0;
			} else if (get_dbl(e, &x) != 0 || x != a->x[i]) {
				return 0;
			}
		}
	}
	return 1;
}

json_t *
fc_study_part_json(const struct fc_study_ident *id, const struct fc_study_run *r,
    const unsigned char *done)
{
	json_t *o, *res = json_array(), *bes = json_array();
	size_t p;
	int fail = 0;

	for (p = 0; p < r->g->npoints; p++) {
		json_t *e = done[p] ? result_out(r, p) : NULL;
		if (e && seal(id, r->g, p, e) != 0)
			json_decref(e), e = NULL;
		if (done[p] && json_array_append_new(res, e) != 0)
			fail = 1;
	}
	for (p = 0; r->cdone && p < r->g->ncomb; p++) {
		json_t *e = r->cdone[p] ? be_out(r, p) : NULL;
		if (e && seal(id, r->g, p * r->g->nu, e) != 0)
			json_decref(e), e = NULL;
		if (r->cdone[p] && json_array_append_new(bes, e) != 0)
			fail = 1;
	}
	o = json_pack("{s:i, s:s, s:{s:s, s:s, s:s, s:s%}, s:O, s:{s:I, s:I}, s:o, s:o, s:o}",
	    "flatcost_part", PART_FORMAT, "flatcost_version", FC_VERSION,
	    "scenario", "file", id->file, "hash", id->hash, "data_hash", id->data_hash,
	    "text", id->text, id->len,
	    "options", id->options, "shard", "k", (json_int_t)id->k, "n", (json_int_t)id->n,
	    "points", points_out(r->g), "results", res, "breakevens", bes);
	if (o != NULL && fail) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

enum fc_status
fc_study_part_read(const char *path, struct fc_study_ident *id, json_t **root,
    struct fc_diags *d)
{
	json_error_t e;
	const json_t *sc, *sh;
	const char *file, *hash, *text, *dh;
	struct stat sb;
	char h[32];

	memset(id, 0, sizeof(*id));
	*root = NULL;
	if (stat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		struct fc_loc l = { NULL, 0, 0, 0 };

		l.file = fc_diags_intern(d, path);   /* no such part: the user's mistake */
		return d->oom ? FC_ENOMEM : fc_error(d, l, "cannot open: %s", strerror(errno));
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fc_study_error(d, "cannot read %s: it is a directory (expected a part that sweep --shard K/N "
		    "-o PART wrote)", path);
		return FC_EINVAL;
	}
	if ((*root = json_load_file(path, JSON_ALLOW_NUL, &e)) == NULL) {
		if (json_error_code(&e) == json_error_cannot_open_file) {
			fc_study_error(d, "cannot read %s: %s", path, e.text);
			return FC_EIO;
		}
		fc_study_error(d, "%s:%d:%d: error: %s (not a flatcost sweep part)", path, e.line, e.column,
		    e.text);
		return FC_EINVAL;
	}
	sc = json_object_get(*root, "scenario");
	sh = json_object_get(*root, "shard");
	file = json_string_value(json_object_get(sc, "file"));
	hash = json_string_value(json_object_get(sc, "hash"));
	text = json_string_value(json_object_get(sc, "text"));
	dh = json_string_value(json_object_get(sc, "data_hash"));
	if (json_integer_value(json_object_get(*root, "flatcost_part")) != PART_FORMAT ||
	    !file || !hash || !text || !dh || strlen(hash) >= sizeof(id->hash) ||
	    strlen(dh) >= sizeof(id->data_hash) ||
	    !json_is_object(json_object_get(*root, "options")) ||
	    !json_is_integer(json_object_get(sh, "k")) || !json_is_integer(json_object_get(sh, "n")) ||
	    !json_is_array(json_object_get(*root, "results")) ||
	    !json_is_string(json_object_get(*root, "flatcost_version"))) {
		fc_study_error(d, "%s: not a flatcost sweep part (format %d): write one with flatcost sweep "
		    "--shard K/N", path, PART_FORMAT);
		return FC_EINVAL;
	}
	id->k = (long)json_integer_value(json_object_get(sh, "k"));
	id->n = (long)json_integer_value(json_object_get(sh, "n"));
	if (id->n < 1 || id->k < 1 || id->k > id->n) {
		fc_study_error(d, "%s: shard %ld/%ld: expected K/N with 1 <= K <= N", path, id->k, id->n);
		return FC_EINVAL;
	}
	id->len = json_string_length(json_object_get(sc, "text"));
	id->file = fc_strdup(file);
	id->text = fc_malloc(id->len + 1);
	id->options = json_incref(json_object_get(*root, "options"));
	if (id->file == NULL || id->text == NULL)
		return FC_ENOMEM;
	memcpy(id->text, text, id->len);
	id->text[id->len] = '\0';
	snprintf(id->hash, sizeof(id->hash), "%s", hash);
	snprintf(id->data_hash, sizeof(id->data_hash), "%s", dh);
	snprintf(h, sizeof(h), "fnv1a64:%016llx", (unsigned long long)fnv1a64(id->text, id->len));
	if (strcmp(h, id->hash) != 0) {
		fc_study_error(d, "%s: its scenario text does not match its own hash (%s written, %s read: "
		    "the part was edited or damaged)", path, id->hash, h);
		return FC_EINVAL;
	}
	return FC_OK;
}

enum fc_status
fc_study_part_same(const char *path, const struct fc_study_ident *b, const char *apath,
    const struct fc_study_ident *a, struct fc_diags *d)
{
	char h[32];
	const char *key;
	json_t *va;

	snprintf(h, sizeof(h), "fnv1a64:%016llx", (unsigned long long)fnv1a64(b->text, b->len));
	if (strcmp(h, b->hash) != 0) {
		fc_study_error(d, "%s: the scenario text does not match its hash %s (the part was edited?)",
		    path, b->hash);
		return FC_EINVAL;
	}
	if (strcmp(a->hash, b->hash) != 0) {
		fc_study_error(d, "%s: a different run from %s: the scenario differs (%s, %s there)", path,
		    apath, b->hash, a->hash);
		return FC_EINVAL;
	}
	if (strcmp(a->data_hash, b->data_hash) != 0) {
		fc_study_error(d, "%s: a different run from %s: the scenario resolves to other inputs (other "
		    "data files: %s, %s there)", path, apath, b->data_hash, a->data_hash);
		return FC_EINVAL;
	}
	if (b->n != a->n) {
		fc_study_error(d, "%s: a different run from %s: %ld shards, %ld there", path, apath, b->n, a->n);
		return FC_EINVAL;
	}
	json_object_foreach(a->options, key, va) {
		json_t *vb = json_object_get(b->options, key);
		if (vb == NULL || !json_equal(va, vb)) {
			char *sa = json_dumps(va, JSON_COMPACT | JSON_ENCODE_ANY);
			char *sb = vb ? json_dumps(vb, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
			fc_study_error(d, "%s: a different run from %s: option %s is %s, %s there", path, apath,
			    key, sb ? sb : "absent", sa ? sa : "?");
			free(sa);
			free(sb);
			return FC_EINVAL;
		}
	}
	if (json_object_size(a->options) != json_object_size(b->options)) {
		fc_study_error(d, "%s: a different run from %s: the options differ", path, apath);
		return FC_EINVAL;
	}
	return 0;
}

/* The combinations' breakevens along the users that part root holds. */
static enum fc_status
part_breakevens(const char *path, json_t *root, const struct fc_study_ident *id,
    struct fc_study_run *r, struct fc_diags *d)
{
	const json_t *bes = json_object_get(root, "breakevens"), *j;
	uint64_t base;
	size_t i;
	int st;

	if (ident_hash(id, &base) != 0)
		return FC_ENOMEM;

	if (!json_is_array(bes)) {
		fc_study_error(d, "%s: not a flatcost sweep part: no breakevens", path);
		return FC_EINVAL;
	}
	json_array_foreach(bes, i, j) {
		const json_t *cj = json_object_get(j, "c");
		json_int_t c = json_integer_value(cj);
		if (!r->g->uaxis || !json_is_integer(cj) || c < 0 || (size_t)c >= r->g->ncomb ||
		    (long)(c % id->n) != id->k - 1 || r->cdone[c]) {
			fc_study_error(d, "%s: breakeven %zu: not one of shard %ld/%ld's combinations, or given "
			    "twice", path, i + 1, id->k, id->n);
			return FC_EINVAL;
		}
		if ((st = sealed(base, r->g, (size_t)c * r->g->nu, (json_t *)j)) < 0)
			return FC_ENOMEM;
		if (!st) {
			fc_study_error(d, "%s: the breakeven of combination %lld does not match its hash (the part "
			    "was edited or damaged: figures, index or trials): rerun shard %ld/%ld", path,
			    (long long)c, id->k, id->n);
			return FC_EINVAL;
		}
		if ((st = be_in(j, r, (size_t)c)) == -2)
			return FC_ENOMEM;
		if (st != 0) {
			fc_study_error(d, "%s: the breakeven of combination %lld is malformed", path, (long long)c);
			return FC_EINVAL;
		}
		r->cdone[c] = 1;
	}
	return FC_OK;
}

enum fc_status
fc_study_part_points(const char *path, json_t *root, const struct fc_study_ident *id,
    struct fc_study_run *r, unsigned char *done, struct fc_diags *d)
{
	const json_t *res = json_object_get(root, "results"), *j;
	int det = json_is_true(json_object_get(id->options, "deterministic")), ok;
	uint64_t base;
	size_t i;

	if (ident_hash(id, &base) != 0)
		return FC_ENOMEM;

	json_array_foreach(res, i, j) {
		const json_t *pi = json_object_get(j, "i");
		json_int_t p = json_integer_value(pi);
		if (!json_is_integer(pi) || p < 0 || (size_t)p >= r->g->npoints) {
			fc_study_error(d, "%s: result %zu: expected a point index from 0 to %zu", path, i + 1,
			    r->g->npoints - 1);
			return FC_EINVAL;
		}
		if (!fc_study_owns(id, (size_t)p)) {
			fc_study_error(d, "%s: point %lld is not shard %ld/%ld's", path, (long long)p, id->k, id->n);
			return FC_EINVAL;
		}
		if (done[p]) {
			fc_study_error(d, "%s: point %lld given twice", path, (long long)p);
			return FC_EINVAL;
		}
		if ((ok = sealed(base, r->g, (size_t)p, (json_t *)j)) < 0)
			return FC_ENOMEM;
		if (!ok) {
			fc_study_error(d, "%s: the results of point %lld do not match their hash (the part was "
			    "edited or damaged: figures, index, month or trials): rerun shard %ld/%ld",
			    path, (long long)p, id->k, id->n);
			return FC_EINVAL;
		}
		if (result_in(j, r, (size_t)p, det) != 0) {
			fc_study_error(d, "%s: point %lld: its statistics are malformed", path, (long long)p);
			return FC_EINVAL;
		}
		fc_study_res(r, (size_t)p)->deterministic = det;
		fc_study_res(r, (size_t)p)->trials = r->trials;
		fc_study_res(r, (size_t)p)->seed =
		    (unsigned long)json_integer_value(json_object_get(id->options, "seed"));
		done[p] = 1;
	}
	return part_breakevens(path, root, id, r, d);
}
