/*
 * data_import.c: `flatcost data import FILE|URL` and `flatcost data
 * update`: other catalogs' prices into the user data directory, each
 * entry with its provenance, every file checked whole and renamed into
 * place (a failed or partial import changes nothing), and the import
 * recorded in imports.yaml so that `data update` can fetch it again.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "data.h"
#include "data_fetch.h"
#include "data_import.h"
#include "import.h"
#include "ynode.h"

static int
mkdirs(const char *path)
{
	char p[4096], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* Checks the temporary file o->tmp would load; the errors name the file
 * it replaces ("PATH as it would be written"), never the temporary file,
 * which is gone when they are read. */
static int
check_out(const struct cli_out *o, const char *path,
    enum fc_status (*check)(const char *, struct fc_diags *))
{
	struct fc_diags d;
	enum fc_status st;
	char *shown;
	size_t i, len = strlen(path) + sizeof(" (as it would be written)");

	if (check == NULL || o->tmp == NULL)
		return EXIT_OK;
	fc_diags_init(&d);
	st = check(o->tmp, &d);
	if (st == FC_OK) {
		fc_diags_free(&d);
		return EXIT_OK;
	}
	if ((shown = fc_malloc(len)) != NULL) {
		snprintf(shown, len, "%s (as it would be written)", path);
		for (i = 0; i < d.n; i++)
			if (d.v[i].loc.file && strcmp(d.v[i].loc.file, o->tmp) == 0)
				d.v[i].loc.file = shown;
	}
	cli_print_diags(&d);
	fc_diags_free(&d);
	fc_free(shown);
	cli_err("%s: the new file would not load; nothing was changed", path);
	return st == FC_ENOMEM ? cli_oom() : EXIT_USAGE;   /* the new file's fault */
}

static int
emit_prices(FILE *f, const void *u)
{
	return fc_import_write_prices(f, u);
}

static int
emit_hw(FILE *f, const void *arg)
{
	return fc_import_write_hetzner(f, arg);
}

static enum fc_status
check_hw(const char *path, struct fc_diags *d)
{
	return fc_hw_check_file(path, "hetzner", d);
}

/* Reads imports.yaml into rs, every record; none when there is no file.
 * Returns an exit status: a file that cannot be read is an error, so
 * that an import never rewrites it with records lost. */
static int
read_records(const char *udir, struct fc_import_records *rs)
{
	char path[4096];
	struct fc_ynode *root = NULL;
	struct fc_diags d;
	const struct fc_ynode *imp, *e, *v, *from, *loc, *rate;
	struct stat sb;
	enum fc_status st;
	size_t i;
	int rc = EXIT_OK;

	memset(rs, 0, sizeof(*rs));
	snprintf(path, sizeof(path), "%s/imports.yaml", udir);
	if (lstat(path, &sb) != 0 && errno == ENOENT)
		return EXIT_OK;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		cli_err("%s: not a regular file; nothing was changed", path);
		return EXIT_USAGE;
	}
	fc_diags_init(&d);
	st = fc_ynode_load_file(path, &root, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK)
		return cli_failed(st);
	imp = fc_ynode_get(root, "imports");
	if (root && root->kind == FC_Y_MAP && imp && imp->kind != FC_Y_SEQ) {
		cli_err("%s:%d:%d: error: imports: expected a list of imports", path,
		    imp->loc.line, imp->loc.col);
		rc = EXIT_USAGE;
	}
	for (i = 0; rc == EXIT_OK && imp && imp->kind == FC_Y_SEQ && i < imp->n; i++) {
		e = imp->vals[i];
		if ((v = fc_ynode_get(e, "source")) == NULL || v->kind != FC_Y_SCALAR)
			continue;
		from = fc_ynode_get(e, "from");
		loc = fc_ynode_get(e, "location");
		rate = fc_ynode_get(e, "usd_per_eur");
		if (fc_import_records_add(rs, v->str, from && from->kind == FC_Y_SCALAR ? from->str : "",
		    loc && loc->kind == FC_Y_SCALAR ? loc->str : NULL,
		    rate && rate->kind == FC_Y_SCALAR ? atof(rate->str) : 0) != 0)
			rc = cli_oom();
	}
	fc_ynode_free(root);
	if (rc != EXIT_OK)
		fc_import_records_free(rs);
	return rc;
}

static int
emit_records(FILE *f, const void *arg)
{
	return fc_import_records_write(f, arg);
}

static void
day_str(long days, char *buf, size_t len)
{
	time_t t = (time_t)days * FC_SECONDS_PER_DAY;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* Seconds a writer waits for another to release the user data directory:
 * FLATCOST_LOCK_TIMEOUT, else 60. */
static double
lock_timeout(void)
{
	const char *s = getenv("FLATCOST_LOCK_TIMEOUT");
	double v;

	if (s && *s && fc_ynode_parse_double(s, &v) == 0 && v >= 0 && v <= 86400)
		return v;
	if (s && *s)
		cli_warn("FLATCOST_LOCK_TIMEOUT=%s is not a number of seconds from 0 to 86400; waiting 60 s", s);
	return 60;
}

/* The files one import rewrites, all or none: each is written to its
 * temporary file and checked, then all are renamed into place. */
enum { TX_PRICES, TX_HW, TX_IMPORTS, TX_N };

struct tx {
	struct cli_out o[TX_N];
	int open[TX_N];
};

static void
tx_abort(struct tx *t)
{
	int i;

	for (i = 0; i < TX_N; i++)
		if (t->open[i])
			out_abort(&t->o[i]);
	memset(t->open, 0, sizeof(t->open));
}

/* Opens, writes and checks one file of the transaction. */
static int
tx_write(struct tx *t, int k, const char *path, int (*emit)(FILE *, const void *),
    const void *arg, enum fc_status (*check)(const char *, struct fc_diags *))
{
	int rc;

	/* data update imports each source in turn: the same files again */
	if ((rc = cli_io_rewrite(path)) != EXIT_OK || (rc = out_open(&t->o[k], path)) != EXIT_OK)
		return rc;
	t->open[k] = 1;
	if (emit(t->o[k].f, arg) != 0 || fflush(t->o[k].f) != 0) {
		t->open[k] = 0;
		return out_fail(&t->o[k]);
	}
	return check_out(&t->o[k], path, check);
}

/* Renames every file of t into place.  A rename that fails after others
 * succeeded is reported with what was already replaced. */
static int
tx_commit(struct tx *t)
{
	int i, rc, done = 0;

	for (i = 0; i < TX_N; i++) {
		if (!t->open[i])
			continue;
		t->open[i] = 0;
		if ((rc = out_commit(&t->o[i])) != EXIT_OK) {
			if (done)
				cli_err("the user data directory is partly updated: %d file%s "
				    "replaced before this failure; run the import again", done,
				    done == 1 ? " was" : "s were");
			tx_abort(t);
			return rc;
		}
		done++;
	}
	return EXIT_OK;
}

/* The user directory's entries as they are now (read under the lock),
 * the new ones over them, and the import's record; then every file
 * written at once. */
static int
import_locked(const struct data_import_args *a, const char *udir,
    struct fc_import *im, const char *today)
{
	struct fc_catalog *u;
	struct fc_diags d;
	struct fc_import_records rs;
	struct tx t;
	enum fc_status st;
	char path[4096];
	const char *from;
	int rc, hetzner = a->format == FC_IMP_HETZNER;
	size_t i, nprices = im->nprices, nhw = im->nhw;

	memset(&t, 0, sizeof(t));
	if ((rc = read_records(udir, &rs)) != EXIT_OK)
		return rc;
	rs.today = today;
	if ((u = fc_calloc(1, sizeof(*u))) == NULL) {
		fc_import_records_free(&rs);
		return cli_oom();
	}
	fc_diags_init(&d);
	st = fc_catalog_overlay(u, udir, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_OK)
		st = fc_catalog_put_prices(u, im->prices, im->nprices);
	if (st == FC_OK)
		st = fc_catalog_put_hw(u, im->hw, im->nhw);
	rc = cli_failed(st);
	for (i = 0; rc == EXIT_OK && i < rs.n; i++)
		if (strcmp(rs.r[i].source, a->source) == 0)
			break;
	from = fc_import_format_names[hetzner ? FC_IMP_HETZNER : a->format];
	if (rc == EXIT_OK && i < rs.n) {   /* imported again: its record, in place */
		struct fc_import_record *r = &rs.r[i];
		fc_free(r->from);
		fc_free(r->location);
		r->from = fc_strdup(from);
		r->location = hetzner ? fc_strdup(a->location) : NULL;
		r->rate = hetzner ? a->usd_per_eur : 0;
		if (r->from == NULL || (hetzner && r->location == NULL))
			rc = cli_oom();
	} else if (rc == EXIT_OK && fc_import_records_add(&rs, a->source, from,
	    hetzner ? a->location : NULL, hetzner ? a->usd_per_eur : 0) != 0) {
		rc = cli_oom();
	}
	if (rc == EXIT_OK && nprices) {
		snprintf(path, sizeof(path), "%s/prices.yaml", udir);
		rc = tx_write(&t, TX_PRICES, path, emit_prices, u, fc_prices_check_file);
	}
	if (rc == EXIT_OK && nhw) {
		snprintf(path, sizeof(path), "%s/hardware", udir);
		if (mkdirs(path) != 0) {
			cli_err("cannot create %s: %s", path, strerror(errno));
			rc = EXIT_RUNTIME;
		} else {
			snprintf(path, sizeof(path), "%s/hardware/hetzner.yaml", udir);
			rc = tx_write(&t, TX_HW, path, emit_hw, u, check_hw);
		}
	}
	if (rc == EXIT_OK) {
		snprintf(path, sizeof(path), "%s/imports.yaml", udir);
		rc = tx_write(&t, TX_IMPORTS, path, emit_records, &rs, NULL);
	}
	if (rc == EXIT_OK)
		rc = tx_commit(&t);
	else
		tx_abort(&t);
	fc_catalog_free(u);
	fc_import_records_free(&rs);
	return rc;
}

int
data_import_one(const struct data_import_args *a)
{
	const char *udir = cli_user_data_dir();
	struct fc_catalog *cat = NULL;
	struct fc_import im;
	struct fc_diags d;
	struct data_buf b;
	enum fc_status st;
	char today[16], as_of[16], *source;
	int rc, lock = -1, hetzner = a->format == FC_IMP_HETZNER;
	size_t nprices, nhw, slen;

	if (udir == NULL) {
		cli_err("no user data directory: set FLATCOST_USER_DATA, XDG_DATA_HOME or HOME");
		return EXIT_USAGE;
	}
	/* its files' paths are built in PATH_MAX-sized buffers: refused, not cut */
	if (strlen(udir) > 4000) {
		cli_err("the user data directory's path is %zu characters long; at most 4000",
		    strlen(udir));
		return EXIT_USAGE;
	}
	day_str(cli_today(), today, sizeof(today));
	snprintf(as_of, sizeof(as_of), "%s", a->as_of ? a->as_of : today);
	if ((rc = data_read_source(a->source, hetzner, &b)) != EXIT_OK)
		return rc;
	fc_diags_init(&d);
	st = FC_OK;
	slen = strlen(a->source) + 64;
	if ((source = fc_malloc(slen)) == NULL)
		st = FC_ENOMEM;
	if (st == FC_OK && (hetzner || a->format == FC_IMP_AUTO))
		st = cli_catalog_load(&cat, &d);   /* the entries hetzner-pricing reprices */
	if (st == FC_OK) {
		snprintf(source, slen, "%s (imported by flatcost %s on %s)",
		    a->source, FC_VERSION, today);
		st = fc_import_parse(b.p ? b.p : "", b.n, a->source, a->format, as_of,
		    source, cat, a->usd_per_eur, a->location, &im, &d);
	}
	fc_free(source);
	fc_free(b.p);
	fc_catalog_free(cat);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK) {
		cli_err("%s: nothing imported", a->source);
		return cli_failed(st);
	}
	if (im.format == FC_IMP_HETZNER && !(a->usd_per_eur > 0)) {
		fc_import_clear(&im);
		return cli_usage_error("data", "hetzner-pricing: --usd-per-eur RATE is needed (the rate the EUR prices are converted at)");
	}
	if (mkdirs(udir) != 0) {
		fc_import_clear(&im);
		cli_err("cannot create %s: %s", udir, strerror(errno));
		return EXIT_RUNTIME;
	}
	nprices = im.nprices;
	nhw = im.nhw;
	fc_diags_init(&d);
	st = fc_import_userdata_lock(udir, lock_timeout(), &lock, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st != FC_OK) {
		fc_import_clear(&im);
		return st == FC_EINVAL ? EXIT_RUNTIME : cli_failed(st);   /* the lock: the system's */
	}
	rc = import_locked(a, udir, &im, today);
	fc_import_userdata_unlock(lock);
	fc_import_clear(&im);
	if (rc != EXIT_OK)
		return rc;
	fprintf(stderr, "flatcost: imported %zu price%s and %zu server%s from %s into %s\n",
	    nprices, nprices == 1 ? "" : "s", nhw, nhw == 1 ? "" : "s", a->source, udir);
	return EXIT_OK;
}

int
data_update(const struct data_import_args *base)
{
	const char *udir = cli_user_data_dir();
	struct fc_import_records rs;
	struct data_import_args a;
	size_t i;
	int rc, worst = EXIT_OK, f;

	memset(&rs, 0, sizeof(rs));
	if (udir && strlen(udir) > 4000) {
		cli_err("the user data directory's path is %zu characters long; at most 4000",
		    strlen(udir));
		return EXIT_USAGE;
	}
	if (udir && (rc = read_records(udir, &rs)) != EXIT_OK)
		return rc;
	if (udir == NULL || rs.n == 0) {
		cli_err("nothing to update: no imports recorded in %s/imports.yaml",
		    udir ? udir : "the user data directory");
		return EXIT_USAGE;
	}
	for (i = 0; i < rs.n; i++) {
		a = *base;
		a.source = rs.r[i].source;
		a.format = FC_IMP_AUTO;
		for (f = 0; f < FC_IMP_NFORMATS; f++)
			if (strcmp(rs.r[i].from, fc_import_format_names[f]) == 0)
				a.format = (enum fc_import_format)f;
		if (rs.r[i].location) {
			a.location = rs.r[i].location;
			a.usd_per_eur = base->usd_per_eur > 0 ? base->usd_per_eur : rs.r[i].rate;
		}
		rc = data_import_one(&a);
		if (rc != EXIT_OK && worst == EXIT_OK)
			worst = rc;
	}
	fc_import_records_free(&rs);
	return worst;
}
