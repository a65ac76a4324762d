/*
 * data_import.c: `flatcost data import FILE|URL` and `flatcost data
 * update`: other catalogs' prices into the user data directory, each
 * entry with its provenance, every file checked whole and renamed into
 * place (a failed or partial import changes nothing), and the import
 * recorded in imports.yaml so that `data update` can fetch it again.
 */
#include "cli.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "data.h"
#include "data_import.h"
#include "import.h"
#include "ynode.h"

#define FETCH_CONNECT_S 10L
#define FETCH_TOTAL_S 120L
#define FETCH_MAX_BYTES (256L << 20)

struct buf {
	char *p;
	size_t n, cap;
	int too_big;   /* the body passed FETCH_MAX_BYTES */
	int oom;
};

static size_t
buf_write(char *data, size_t size, size_t nmemb, void *u)
{
	struct buf *b = u;
	size_t len = size * nmemb;
	char *np;

	if (b->n + len + 1 > (size_t)FETCH_MAX_BYTES) {
		b->too_big = 1;
		return 0;
	}
	if (b->n + len + 1 > b->cap) {
		size_t cap = (b->n + len + 1) * 2;
		if ((np = fc_realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return 0;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
	b->p[b->n] = '\0';
	return len;
}

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* Reads a file or fetches a URL (libcurl, with timeouts) into b. */
/* A local file that fopen() refused, in the shape and with the exit status
 * of a scenario that cannot be opened: a name that is no file is the
 * user's mistake (2), another failure the system's (3). */
static int
open_failed(const char *src, int e)
{
	struct fc_diags d;
	struct fc_loc l = { NULL, 0, 0, 0 };
	enum fc_status st;

	fc_diags_init(&d);
	l.file = fc_diags_intern(&d, src);
	st = d.oom ? FC_ENOMEM : fc_error(&d, l, "cannot open: %s", strerror(e));
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_EINVAL && !(e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP))
		st = FC_EIO;
	return cli_failed(st);
}

static int
read_source(const char *src, int hetzner, struct buf *b)
{
	FILE *f;
	char chunk[65536], errbuf[CURL_ERROR_SIZE] = "", auth[512];
	size_t n;
	CURL *h;
	CURLcode rc;
	long code = 0;
	struct curl_slist *hdr = NULL;
	const char *tok = getenv("HCLOUD_TOKEN");
	struct stat sb;

	memset(b, 0, sizeof(*b));
	if (!is_url(src)) {
		if ((f = fopen(src, "rb")) == NULL)
			return open_failed(src, errno);
		if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_size >= (off_t)FETCH_MAX_BYTES) {
			cli_err("%s: %lld bytes, larger than the %ld MiB a price catalog may be; nothing imported",
			    src, (long long)sb.st_size, FETCH_MAX_BYTES >> 20);
			fclose(f);
			return EXIT_USAGE;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if (buf_write(chunk, 1, n, b) != n)
				break;
		if (ferror(f) || n > 0) {
			if (n > 0 && b->too_big)
				cli_err("%s: larger than the %ld MiB a price catalog may be; nothing imported",
				    src, FETCH_MAX_BYTES >> 20);
			else if (n > 0)
				cli_err("%s: out of memory", src);
			else
				cli_err("cannot read %s: %s", src, strerror(errno));
			fclose(f);
			fc_free(b->p);
			memset(b, 0, sizeof(*b));
			return cli_exit_status(FC_EIO);
		}
		fclose(f);
		return EXIT_OK;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h = curl_easy_init()) == NULL)
		return cli_oom();
	curl_easy_setopt(h, CURLOPT_URL, src);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, FETCH_TOTAL_S);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "flatcost/" FC_VERSION);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FETCH_MAX_BYTES - 1);
	if (hetzner && tok && *tok) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		hdr = curl_slist_append(hdr, auth);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	curl_global_cleanup();
	if (rc != CURLE_OK || code >= 400) {
		if (rc == CURLE_FILESIZE_EXCEEDED || b->too_big)
			cli_err("cannot fetch %s: the answer is larger than the %ld MiB a price catalog may be",
			    src, FETCH_MAX_BYTES >> 20);
		else if (b->oom)
			cli_err("cannot fetch %s: out of memory", src);
		else if (rc != CURLE_OK)
			cli_err("cannot fetch %s: %s", src, errbuf[0] ? errbuf : curl_easy_strerror(rc));
		else
			cli_err("cannot fetch %s: the server answered HTTP %ld", src, code);
		fc_free(b->p);
		memset(b, 0, sizeof(*b));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* The first n bytes of s as a double-quoted YAML scalar: quotes,
 * backslashes and control characters escaped, so that any id or source
 * (a provider with a ':') reads back as it was. */
static void
yaml_str_n(FILE *f, const char *s, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n && s[i]; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] == '\n')
			fputs("\\n", f);
		else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}

static void
yaml_str(FILE *f, const char *s)
{
	yaml_str_n(f, s, strlen(s));
}

static void
kv_num(FILE *f, const char *ind, const char *key, double v)
{
	fprintf(f, "%s%s: %.15g\n", ind, key, v);
}

static void
kv_str(FILE *f, const char *ind, const char *key, const char *v)
{
	if (v == NULL)
		return;
	fprintf(f, "%s%s: ", ind, key);
	yaml_str(f, v);
	fputc('\n', f);
}

static int
cmp_price(const void *a, const void *b)
{
	return strcmp((*(const struct fc_price *const *)a)->id,
	    (*(const struct fc_price *const *)b)->id);
}

/* One price entry under its provider, as prices.yaml lays it out. */
static void
write_price(FILE *f, const struct fc_price *p)
{
	const char *I = "    ";

	kv_num(f, I, "input", p->input);
	if (p->cached_input != p->input)
		kv_num(f, I, "cached_input", p->cached_input);
	if (p->cache_write != p->input)
		kv_num(f, I, "cache_write", p->cache_write);
	if (p->cache_write_1h != p->cache_write)
		kv_num(f, I, "cache_write_1h", p->cache_write_1h);
	if (p->min_cache_tokens > 0)
		kv_num(f, I, "min_cache_tokens", p->min_cache_tokens);
	kv_num(f, I, "output", p->output);
	if (p->batch_discount > 0)
		kv_num(f, I, "batch_discount", p->batch_discount);
	if (p->priority > 0)
		kv_num(f, I, "priority", p->priority);
	if (p->flex > 0)
		kv_num(f, I, "flex", p->flex);
	if (p->tier_above > 0) {
		fprintf(f, "%stier:\n", I);
		kv_num(f, "      ", "above_tokens", p->tier_above);
		kv_num(f, "      ", "input", p->tier_input);
		kv_num(f, "      ", "cached_input", p->tier_cached_input);
		kv_num(f, "      ", "output", p->tier_output);
	}
	kv_str(f, I, "as_of", p->as_of);
	kv_str(f, I, "source", p->source);
	kv_str(f, I, "note", p->note);
	kv_str(f, I, "deprecated", p->deprecated);
	kv_str(f, I, "shutdown", p->shutdown);
	kv_str(f, I, "successor", p->successor);
}

static int
write_prices(FILE *f, const struct fc_catalog *u)
{
	const struct fc_price **v;
	size_t i, plen = 0;
	const char *prev = NULL, *slash;

	if ((v = fc_calloc(u->nprices + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < u->nprices; i++)
		v[i] = &u->prices[i];
	qsort(v, u->nprices, sizeof(*v), cmp_price);
	fputs("# flatcost user data: API prices (written by `flatcost data import`;\n"
	    "# same layout and units as the bundled data/prices.yaml).  An entry\n"
	    "# here replaces the bundled entry of the same id whole.\n", f);
	for (i = 0; i < u->nprices; i++) {
		slash = strchr(v[i]->id, '/');
		if (slash == NULL)
			continue;
		if (prev == NULL || (size_t)(slash - v[i]->id) != plen ||
		    strncmp(prev, v[i]->id, plen) != 0) {
			prev = v[i]->id;
			plen = (size_t)(slash - v[i]->id);
			fputc('\n', f);
			yaml_str_n(f, prev, plen);
			fputs(":\n", f);
		}
		fputs("  ", f);
		yaml_str(f, slash + 1);
		fputs(":\n", f);
		write_price(f, v[i]);
	}
	fc_free(v);
	return ferror(f) ? -1 : 0;
}

static void
write_hw(FILE *f, const struct fc_hw *h)
{
	const char *I = "  ";
	size_t i, j;

	fprintf(f, "\n%s:\n", strchr(h->id, '/') + 1);
	kv_str(f, I, "name", h->name);
	fprintf(f, "  kind: %s\n", h->gpu ? "gpu" : "cpu");
	if (h->memory != FC_MEM_UNKNOWN)
		fprintf(f, "  memory: %s\n", fc_memory_names[h->memory]);
	if (h->tensor_rate != FC_TENSOR_UNKNOWN)
		fprintf(f, "  tensor_rate: %s\n", fc_tensor_rate_names[h->tensor_rate]);
	kv_num(f, I, "vcpu", h->vcpu);
	kv_num(f, I, "ram_gb", h->ram_gb);
	kv_num(f, I, "vram_gb", h->vram_gb);
	kv_num(f, I, "monthly_price", h->monthly_price);
	if (h->hourly_price > 0)
		kv_num(f, I, "hourly_price", h->hourly_price);
	if (h->monthly_price_eur > 0) {
		kv_num(f, I, "monthly_price_eur", h->monthly_price_eur);
		kv_num(f, I, "usd_per_eur", h->usd_per_eur);
		kv_str(f, I, "usd_per_eur_as_of", h->usd_per_eur_as_of);
	}
	kv_str(f, I, "price_as_of", h->price_as_of);
	kv_str(f, I, "price_source", h->price_source);
	kv_num(f, I, "mem_bandwidth_gbs", h->mem_bandwidth_gbs);
	kv_str(f, I, "mem_bandwidth_basis", h->mem_bandwidth_basis);
	kv_num(f, I, "compute_gflops", h->compute_gflops);
	kv_str(f, I, "compute_basis", h->compute_basis);
	fprintf(f, "  efficiency: {decode: %.15g, prefill: %.15g}\n", h->eta_decode,
	    h->eta_prefill);
	kv_str(f, I, "efficiency_basis", h->efficiency_basis);
	kv_str(f, I, "as_of", h->as_of);
	kv_str(f, I, "source", h->source);
	kv_str(f, I, "note", h->note);
	if (h->npoints)
		fputs("  throughput:\n", f);
	for (i = 0; i < h->npoints; i++) {
		const struct fc_tpoint *t = &h->points[i];
		fputs("    - model: ", f);
		yaml_str(f, t->model);
		fputc('\n', f);
		kv_num(f, "      ", "params_b", t->params_b);
		kv_num(f, "      ", "weights_gb", t->weights_gb);
		kv_str(f, "      ", "engine", t->engine);
		if (t->threads > 0)
			kv_num(f, "      ", "threads", t->threads);
		kv_num(f, "      ", "prefill_tok_s", t->prefill_tok_s);
		fputs("      decode_tok_s: {", f);
		for (j = 0; j < t->n; j++)
			fprintf(f, "%s%.15g: %.15g", j ? ", " : "", t->conc[j], t->tok_s[j]);
		fputs("}\n", f);
		kv_str(f, "      ", "basis", t->basis);
		kv_str(f, "      ", "as_of", t->as_of);
		kv_str(f, "      ", "source", t->source);
	}
}

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
	return write_prices(f, u);
}

static int
emit_hw(FILE *f, const void *arg)
{
	const struct fc_catalog *u = arg;
	size_t i;

	fputs("# flatcost user data: Hetzner servers repriced by `flatcost data import\n"
	    "# --from hetzner-pricing` (USD at the rate in usd_per_eur).\n", f);
	for (i = 0; i < u->nhw; i++)
		if (strncmp(u->hw[i].id, "hetzner/", 8) == 0)
			write_hw(f, &u->hw[i]);
	return ferror(f) ? -1 : 0;
}

static enum fc_status
check_hw(const char *path, struct fc_diags *d)
{
	return fc_hw_check_file(path, "hetzner", d);
}

/* The imports recorded in imports.yaml, as {source, from, location, rate};
 * as many as there are, each string whole. */
struct record {
	char *source, *from, *location;
	double rate;
};

struct records {
	struct record *r;
	size_t n;
	const char *today;
};

static void
records_free(struct records *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		fc_free(rs->r[i].source);
		fc_free(rs->r[i].from);
		fc_free(rs->r[i].location);
	}
	fc_free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

/* A new record at the end of rs, its strings copied (location may be
 * NULL); -1 out of memory. */
static int
records_add(struct records *rs, const char *source, const char *from,
    const char *location, double rate)
{
	struct record *nr = fc_realloc(rs->r, (rs->n + 1) * sizeof(*nr)), *r;

	if (nr == NULL)
		return -1;
	rs->r = nr;
	r = &nr[rs->n++];
	memset(r, 0, sizeof(*r));
	r->source = fc_strdup(source);
	r->from = fc_strdup(from);
	r->location = location && *location ? fc_strdup(location) : NULL;
	r->rate = rate;
	return r->source && r->from && (r->location || !(location && *location)) ? 0 : -1;
}

/* Reads imports.yaml into rs, every record; none when there is no file.
 * Returns an exit status: a file that cannot be read is an error, so
 * that an import never rewrites it with records lost. */
static int
read_records(const char *udir, struct records *rs)
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
		if (records_add(rs, v->str, from && from->kind == FC_Y_SCALAR ? from->str : "",
		    loc && loc->kind == FC_Y_SCALAR ? loc->str : NULL,
		    rate && rate->kind == FC_Y_SCALAR ? atof(rate->str) : 0) != 0)
			rc = cli_oom();
	}
	fc_ynode_free(root);
	if (rc != EXIT_OK)
		records_free(rs);
	return rc;
}

static int
emit_records(FILE *f, const void *arg)
{
	const struct records *rs = arg;
	size_t i;

	fputs("# flatcost user data: what `flatcost data import` read, for `flatcost\n"
	    "# data update` to read again.\nimports:\n", f);
	for (i = 0; i < rs->n; i++) {
		fputs("  - source: ", f);
		yaml_str(f, rs->r[i].source);
		fprintf(f, "\n    from: %s\n", rs->r[i].from);
		if (rs->r[i].location) {
			fputs("    location: ", f);
			yaml_str(f, rs->r[i].location);
			fprintf(f, "\n    usd_per_eur: %.15g\n", rs->r[i].rate);
		}
		fprintf(f, "    imported: %s\n    by: flatcost %s\n", rs->today, FC_VERSION);
	}
	return ferror(f) ? -1 : 0;
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
	struct records rs;
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
		records_free(&rs);
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
		struct record *r = &rs.r[i];
		fc_free(r->from);
		fc_free(r->location);
		r->from = fc_strdup(from);
		r->location = hetzner ? fc_strdup(a->location) : NULL;
		r->rate = hetzner ? a->usd_per_eur : 0;
		if (r->from == NULL || (hetzner && r->location == NULL))
			rc = cli_oom();
	} else if (rc == EXIT_OK && records_add(&rs, a->source, from,
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
	records_free(&rs);
	return rc;
}

int
data_import_one(const struct data_import_args *a)
{
	const char *udir = cli_user_data_dir();
	struct fc_catalog *cat = NULL;
	struct fc_import im;
	struct fc_diags d;
	struct buf b;
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
	if ((rc = read_source(a->source, hetzner, &b)) != EXIT_OK)
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
	struct records rs;
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
	records_free(&rs);
	return worst;
}
