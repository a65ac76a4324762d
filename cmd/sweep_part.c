/*
 * sweep_part.c: the part of a sharded sweep (sweep --shard K/N) as a
 * file: model/study_part.c builds, reads and verifies it; this file
 * writes it atomically and prints what is wrong.
 */
#include "cli.h"

#include <string.h>

#include "sweep.h"

/* Prints d (a part's errors name their file) and maps st to the exit
 * status. */
static int
said(struct fc_diags *d, enum fc_status st)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].loc.file == NULL)
			cli_err("%s", d->v[i].msg);
	if (d->oom)
		st = FC_ENOMEM;
	fc_diags_free(d);
	return cli_failed(st);
}

int
sweep_ident_init(struct fc_study_ident *id, const char *file, const char *users_arg,
    const char *const *vary, size_t nvary, int spacing, const char *const *sets, size_t nsets,
    long trials, unsigned long seed, int deterministic, long k, long n, const char *data_hash)
{
	struct fc_diags d;

	fc_diags_init(&d);
	return said(&d, fc_study_ident_init(id, file, users_arg, vary, nvary, spacing, sets, nsets,
	    trials, seed, deterministic, k, n, data_hash, &d));
}

int
sweep_part_write(const char *path, const struct fc_study_ident *id,
    const struct fc_study_run *r, const unsigned char *done)
{
	json_t *o = fc_study_part_json(id, r, done);
	struct cli_out out;
	int rc;

	if (o == NULL)
		return cli_oom();
	/* saved again at each checkpoint */
	if ((rc = cli_io_rewrite(path)) != EXIT_OK || (rc = out_open(&out, path)) != EXIT_OK) {
		json_decref(o);
		return rc;
	}
	if (json_dumpf(o, out.f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) != 0 ||
	    fputc('\n', out.f) == EOF) {
		json_decref(o);
		return out_fail(&out);
	}
	json_decref(o);
	return out_commit(&out);
}

int
sweep_part_read(const char *path, struct fc_study_ident *id, json_t **root)
{
	struct fc_diags d;

	fc_diags_init(&d);
	return said(&d, fc_study_part_read(path, id, root, &d));
}

int
sweep_part_same(const char *path, const struct fc_study_ident *b, const char *apath,
    const struct fc_study_ident *a)
{
	struct fc_diags d;

	fc_diags_init(&d);
	return said(&d, fc_study_part_same(path, b, apath, a, &d));
}

int
sweep_part_points(const char *path, json_t *root, const struct fc_study_ident *id,
    struct fc_study_run *r, unsigned char *done)
{
	struct fc_diags d;

	fc_diags_init(&d);
	return said(&d, fc_study_part_points(path, root, id, r, done, &d));
}
