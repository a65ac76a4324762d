/*
 * import.c: other catalogs' price files into price entries (import.h).
 */
#include "import.h"
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

const char *const fc_import_format_names[FC_IMP_NFORMATS + 1] = {
	"auto", "models.dev", "litellm", "genai-prices", "hetzner-pricing", NULL
};

void
fc_import_clear(struct fc_import *im)
{
	size_t i;

	for (i = 0; i < im->nprices; i++)
		fc_price_clear(&im->prices[i]);
	for (i = 0; i < im->nhw; i++)
		fc_hw_clear(&im->hw[i]);
	fc_free(im->prices);
	fc_free(im->hw);
	memset(im, 0, sizeof(*im));
}

void
fc_import_id(const char *provider, const char *model, char *buf, size_t len)
{
	const char *slash = strchr(model, '/');
	size_t i, n;

	if (strcmp(provider, "gemini") == 0)
		provider = "google";
	if (slash)   /* LiteLLM's "gemini/gemini-2.5-pro" */
		model = slash + 1;
	snprintf(buf, len, "%s/%s", provider, model);
	if (strcmp(provider, "anthropic") != 0)
		return;
	/* claude-sonnet-4-5(-20250929) -> claude-sonnet-4.5(-20250929) */
	n = strlen(buf);
	for (i = 1; i + 2 < n; i++)
		if (buf[i] == '-' && isdigit((unsigned char)buf[i - 1]) &&
		    !isdigit((unsigned char)buf[i - 1 > 0 ? i - 2 : 0]) &&
		    isdigit((unsigned char)buf[i + 1]) &&
		    (buf[i + 2] == '\0' || buf[i + 2] == '-'))
			buf[i] = '.';
	if (n >= 2 && buf[n - 2] == '-' && isdigit((unsigned char)buf[n - 1]) &&
	    isdigit((unsigned char)buf[n - 3]) && buf[n - 4] == '-')
		buf[n - 2] = '.';
}

int
fc_import_bad_id(const char *id, char *shown, size_t len)
{
	const unsigned char *c;
	size_t k = 0;
	int bad = id[0] == '/';

	for (c = (const unsigned char *)id; *c && k + 5 < len; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			bad = 1;
			k += (size_t)snprintf(shown + k, len - k, "\\x%02x", *c);
		} else {
			shown[k++] = (char)*c;
		}
	}
	if (len)
		shown[k < len ? k : len - 1] = '\0';
	for (; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			bad = 1;
	return bad;
}

/* A number field of o (a JSON number, or a numeric string), else NAN. */
static double
num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	char *end;
	double x;

	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v)) {
		x = strtod(json_string_value(v), &end);
		if (end != json_string_value(v) && *end == '\0')
			return x;
	}
	return NAN;
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Appends a zeroed entry to im->prices; NULL when out of memory. */
static struct fc_price *
new_price(struct fc_import *im, const char *id, const char *as_of,
    const char *source)
{
	struct fc_price *np = fc_realloc(im->prices, (im->nprices + 1) * sizeof(*np));
	struct fc_price *p;

	if (np == NULL)
		return NULL;
	im->prices = np;
	p = &np[im->nprices++];
	memset(p, 0, sizeof(*p));
	p->id = fc_strdup(id);
	p->as_of = fc_strdup(as_of);
	p->source = fc_strdup(source);
	if (!p->id || !p->as_of || !p->source)
		return NULL;
	return p;
}

static int
bad_price(double v)
{
	return !(v >= 0 && v <= 1e6);
}

/*
 * Checks one entry and fills the defaults the loader would: cached input,
 * cache writes and the tier's cached price at the input price when
 * absent (NAN).  Returns nonzero (after the error) when a figure is out
 * of range.
 */
static int
finish_price(struct fc_price *p, struct fc_loc loc, struct fc_diags *d)
{
	char shown[256];

	if (fc_import_bad_id(p->id, shown, sizeof(shown))) {
		fc_error(d, loc, "entry \"%s\": %s (expected provider/model in printable characters)",
		    shown, strchr(p->id, '/') == p->id ? "no provider before the '/'" :
		    "the name has a control character");
		return 1;
	}
	if (isnan(p->cached_input))
		p->cached_input = p->input;
	if (isnan(p->cache_write))
		p->cache_write = p->input;
	if (isnan(p->cache_write_1h))
		p->cache_write_1h = p->cache_write;
	if (p->tier_above > 0 && isnan(p->tier_input))
		p->tier_input = p->input;
	if (p->tier_above > 0 && isnan(p->tier_output))
		p->tier_output = p->output;
	if (p->tier_above > 0 && isnan(p->tier_cached_input))
		p->tier_cached_input = p->input > 0 ?
		    p->tier_input * p->cached_input / p->input : p->tier_input;
	if (bad_price(p->input) || bad_price(p->output) ||
	    bad_price(p->cached_input) || bad_price(p->cache_write) ||
	    bad_price(p->cache_write_1h) ||
	    (p->tier_above > 0 && (bad_price(p->tier_input) ||
	    bad_price(p->tier_output) || bad_price(p->tier_cached_input))) ||
	    !(p->batch_discount >= 0 && p->batch_discount <= 1) ||
	    !(p->priority == 0 || (p->priority >= 1 && p->priority <= 100)) ||
	    !(p->flex == 0 || (p->flex > 0 && p->flex <= 1))) {
		fc_error(d, loc, "%s: a price is negative, not a number or above USD 1e6 per million tokens",
		    p->id);
		return 1;
	}
	if (p->shutdown && fc_schema_date_valid(p->shutdown) != 0) {
		fc_free(p->shutdown);
		p->shutdown = NULL;
	}
	return 0;
}

static double
per_mtok(double per_token)
{
	/* LiteLLM's figures are USD per token; 1e6 of them, to the micro-dollar */
	return isnan(per_token) ? NAN : round(per_token * 1e12) / 1e6;
}

/* LiteLLM's "input_cost_per_token_above_200k_tokens": the threshold. */
static double
litellm_tier(const json_t *o)
{
	const char *key;
	const json_t *v;
	long k;
	int n = 0;

	json_object_foreach((json_t *)o, key, v) {
		(void)v;
		if (sscanf(key, "input_cost_per_token_above_%ldk_tokens%n", &k, &n) == 1 &&
		    key[n] == '\0' && k > 0)
			return (double)k * 1000;
	}
	return 0;
}

static enum fc_status
read_litellm(const json_t *root, struct fc_import *im, const char *as_of,
    const char *source, struct fc_loc loc, struct fc_diags *d)
{
	const char *key, *prov, *mode;
	const json_t *o;
	char id[256], k[128];
	struct fc_price *p;
	double tier, in, b;

	json_object_foreach((json_t *)root, key, o) {
		prov = str(o, "litellm_provider");
		mode = str(o, "mode");
		in = per_mtok(num(o, "input_cost_per_token"));
		if (!json_is_object(o) || prov == NULL || (mode && strcmp(mode, "chat")) ||
		    isnan(in) || isnan(num(o, "output_cost_per_token"))) {
			im->skipped++;
			continue;
		}
		fc_import_id(prov, key, id, sizeof(id));
		if ((p = new_price(im, id, as_of, source)) == NULL)
			return FC_ENOMEM;
		p->input = in;
		p->output = per_mtok(num(o, "output_cost_per_token"));
		p->cached_input = per_mtok(num(o, "cache_read_input_token_cost"));
		p->cache_write = per_mtok(num(o, "cache_creation_input_token_cost"));
		p->cache_write_1h = per_mtok(num(o, "cache_creation_input_token_cost_above_1hr"));
		b = per_mtok(num(o, "input_cost_per_token_batches"));
		if (!isnan(b) && in > 0)
			p->batch_discount = round((1 - b / in) * 1e6) / 1e6;
		b = per_mtok(num(o, "input_cost_per_token_priority"));
		if (!isnan(b) && in > 0 && b >= in)
			p->priority = round(b / in * 1e6) / 1e6;
		b = per_mtok(num(o, "input_cost_per_token_flex"));
		if (!isnan(b) && in > 0 && b <= in)
			p->flex = round(b / in * 1e6) / 1e6;
		if ((tier = litellm_tier(o)) > 0) {
			p->tier_above = tier;
			snprintf(k, sizeof(k), "input_cost_per_token_above_%.0fk_tokens", tier / 1000);
			p->tier_input = per_mtok(num(o, k));
			snprintf(k, sizeof(k), "output_cost_per_token_above_%.0fk_tokens", tier / 1000);
			p->tier_output = per_mtok(num(o, k));
			snprintf(k, sizeof(k), "cache_read_input_token_cost_above_%.0fk_tokens", tier / 1000);
			p->tier_cached_input = per_mtok(num(o, k));
		}
		if (str(o, "deprecation_date") && (p->shutdown = fc_strdup(str(o, "deprecation_date"))) == NULL)
			return FC_ENOMEM;
		if (finish_price(p, loc, d))
			return FC_EINVAL;
	}
	return FC_OK;
}

static enum fc_status
read_modelsdev(const json_t *root, struct fc_import *im, const char *as_of,
    const char *source, struct fc_loc loc, struct fc_diags *d)
{
	const char *pkey, *mkey;
	const json_t *prov, *m, *cost, *over;
	char id[256];
	struct fc_price *p;

	json_object_foreach((json_t *)root, pkey, prov) {
		json_object_foreach(json_object_get(prov, "models"), mkey, m) {
			cost = json_object_get(m, "cost");
			if (isnan(num(cost, "input")) || isnan(num(cost, "output"))) {
				im->skipped++;
				continue;
			}
			fc_import_id(pkey, mkey, id, sizeof(id));
			if ((p = new_price(im, id, as_of, source)) == NULL)
				return FC_ENOMEM;
			p->input = num(cost, "input");
			p->output = num(cost, "output");
			p->cached_input = num(cost, "cache_read");
			p->cache_write = num(cost, "cache_write");
			p->cache_write_1h = NAN;
			if ((over = json_object_get(cost, "context_over_200k")) != NULL) {
				p->tier_above = 200000;
				p->tier_input = num(over, "input");
				p->tier_output = num(over, "output");
				p->tier_cached_input = num(over, "cache_read");
			}
			if (finish_price(p, loc, d))
				return FC_EINVAL;
		}
	}
	return FC_OK;
}

/* genai-prices: a number, or {base, tiers: [{start, price}]}. */
static double
genai_price(const json_t *prices, const char *key, double *tier_start,
    double *tier_price)
{
	const json_t *v = json_object_get(prices, key), *t;

	if (json_is_object(v)) {
		t = json_array_get(json_object_get(v, "tiers"), 0);
		if (t && tier_start) {
			*tier_start = num(t, "start");
			*tier_price = num(t, "price");
		}
		return num(v, "base");
	}
	return num(prices, key);
}

static enum fc_status
read_genai(const json_t *root, struct fc_import *im, const char *as_of,
    const char *source, struct fc_loc loc, struct fc_diags *d)
{
	size_t i, j;
	const json_t *prov, *m, *pr;
	char id[256];
	struct fc_price *p;
	double ts = 0, tp = NAN, ots = 0, otp = NAN, cts = 0, ctp = NAN;

	json_array_foreach((json_t *)root, i, prov) {
		json_array_foreach(json_object_get(prov, "models"), j, m) {
			pr = json_object_get(m, "prices");
			if (json_is_array(pr))   /* dated price changes: the last is current */
				pr = json_object_get(json_array_get(pr, json_array_size(pr) - 1), "prices");
			ts = ots = cts = 0;
			tp = otp = ctp = NAN;
			if (!str(prov, "id") || !str(m, "id") ||
			    isnan(genai_price(pr, "input_mtok", &ts, &tp)) ||
			    isnan(genai_price(pr, "output_mtok", &ots, &otp))) {
				im->skipped++;
				continue;
			}
			fc_import_id(str(prov, "id"), str(m, "id"), id, sizeof(id));
			if ((p = new_price(im, id, as_of, source)) == NULL)
				return FC_ENOMEM;
			p->input = genai_price(pr, "input_mtok", NULL, NULL);
			p->output = genai_price(pr, "output_mtok", NULL, NULL);
			p->cached_input = genai_price(pr, "cache_read_mtok", &cts, &ctp);
			p->cache_write = genai_price(pr, "cache_write_mtok", NULL, NULL);
			p->cache_write_1h = genai_price(pr, "cache_write_1h_mtok", NULL, NULL);
			if (ts > 0) {
				p->tier_above = ts;
				p->tier_input = tp;
				p->tier_output = ots == ts ? otp : NAN;
				p->tier_cached_input = cts == ts ? ctp : NAN;
			}
			if (finish_price(p, loc, d))
				return FC_EINVAL;
		}
	}
	return FC_OK;
}

/* Hetzner's GET /v1/pricing: reprices the catalog's hetzner/<name> entries. */
static enum fc_status
read_hetzner(const json_t *root, struct fc_import *im, const char *as_of,
    const char *source, const struct fc_catalog *cat, double rate,
    const char *location, struct fc_loc loc, struct fc_diags *d)
{
	const json_t *pricing = json_object_get(root, "pricing"), *st, *pl;
	const char *cur = str(pricing, "currency");
	size_t i, j;
	char id[160], *lower;
	const struct fc_hw *h;
	struct fc_hw *nh;
	double month, hour;

	if (cur == NULL || strcmp(cur, "EUR") != 0)
		return fc_error(d, loc, "pricing.currency: expected EUR, got %s",
		    cur ? cur : "nothing");
	json_array_foreach(json_object_get(pricing, "server_types"), i, st) {
		if (!str(st, "name"))
			continue;
		snprintf(id, sizeof(id), "hetzner/%s", str(st, "name"));
		for (lower = id; *lower; lower++)
			*lower = (char)tolower((unsigned char)*lower);
		if (cat == NULL || (h = fc_catalog_hw(cat, id)) == NULL) {
			im->skipped++;
			continue;
		}
		month = hour = NAN;
		json_array_foreach(json_object_get(st, "prices"), j, pl) {
			if (str(pl, "location") && strcmp(str(pl, "location"), location) == 0) {
				month = num(json_object_get(pl, "price_monthly"), "net");
				hour = num(json_object_get(pl, "price_hourly"), "net");
			}
		}
		if (isnan(month)) {
			im->skipped++;
			continue;
		}
		if (!(month >= 0 && month < 1e6) || !(hour >= 0 && hour < 1e4))
			return fc_error(d, loc, "%s: the price in %s is not a number of EUR >= 0",
			    id, location);
		nh = fc_realloc(im->hw, (im->nhw + 1) * sizeof(*nh));
		if (nh == NULL)
			return FC_ENOMEM;
		im->hw = nh;
		if (fc_hw_copy(&nh[im->nhw], h) != FC_OK)
			return FC_ENOMEM;
		nh = &nh[im->nhw++];
		fc_free(nh->price_as_of);
		fc_free(nh->price_source);
		fc_free(nh->origin);
		nh->origin = NULL;
		nh->monthly_price_eur = month;
		nh->usd_per_eur = rate;
		nh->monthly_price = round(month * rate * 100) / 100;
		nh->hourly_price = round(hour * rate * 10000) / 10000;
		fc_free(nh->usd_per_eur_as_of);
		nh->price_as_of = fc_strdup(as_of);
		nh->price_source = fc_strdup(source);
		nh->usd_per_eur_as_of = fc_strdup(as_of);
		if (!nh->price_as_of || !nh->price_source || !nh->usd_per_eur_as_of)
			return FC_ENOMEM;
	}
	return FC_OK;
}

static enum fc_import_format
detect(const json_t *root)
{
	const char *key;
	const json_t *v;

	if (json_is_array(root))
		return FC_IMP_GENAI;
	if (json_object_get(json_object_get(root, "pricing"), "server_types"))
		return FC_IMP_HETZNER;
	if (json_object_get(root, "sample_spec"))
		return FC_IMP_LITELLM;
	json_object_foreach((json_t *)root, key, v) {
		if (json_object_get(v, "litellm_provider"))
			return FC_IMP_LITELLM;
		if (json_is_object(json_object_get(v, "models")))
			return FC_IMP_MODELSDEV;
	}
	return FC_IMP_AUTO;
}

enum fc_status
fc_import_parse(const char *buf, size_t len, const char *name,
    enum fc_import_format fmt, const char *as_of, const char *source,
    const struct fc_catalog *cat, double usd_per_eur, const char *location,
    struct fc_import *out, struct fc_diags *d)
{
	json_error_t err;
	json_t *root;
	struct fc_loc loc = { NULL, 0, 0, 0 };
	enum fc_status st;

	memset(out, 0, sizeof(*out));
	loc.file = fc_diags_intern(d, name);
	if (d->oom)
		return FC_ENOMEM;
	root = json_loadb(buf, len, 0, &err);
	if (root == NULL) {
		loc.line = err.line > 0 ? err.line : 1;
		loc.col = err.column > 0 ? err.column : 1;
		return fc_error(d, loc, "not valid JSON (%s): expected a whole price catalog",
		    err.text);
	}
	loc.line = loc.col = 1;
	if (fmt == FC_IMP_AUTO && (fmt = detect(root)) == FC_IMP_AUTO) {
		json_decref(root);
		return fc_error(d, loc,
		    "cannot tell the format: expected LiteLLM's model prices, models.dev's api.json, genai-prices' data.json or Hetzner's /v1/pricing (say which with --from)");
	}
	out->format = fmt;
	if ((fmt == FC_IMP_GENAI) != (json_is_array(root) != 0)) {
		json_decref(root);
		return fc_error(d, loc, "expected %s for %s",
		    fmt == FC_IMP_GENAI ? "a JSON array of providers" : "a JSON object",
		    fc_import_format_names[fmt]);
	}
	switch (fmt) {
	case FC_IMP_LITELLM:
		st = read_litellm(root, out, as_of, source, loc, d);
		break;
	case FC_IMP_MODELSDEV:
		st = read_modelsdev(root, out, as_of, source, loc, d);
		break;
	case FC_IMP_GENAI:
		st = read_genai(root, out, as_of, source, loc, d);
		break;
	default:
		st = read_hetzner(root, out, as_of, source, cat, usd_per_eur,
		    location, loc, d);
		break;
	}
	json_decref(root);
	if (st == FC_OK && out->nprices + out->nhw == 0)
		st = fc_error(d, loc, "no %s entries with token prices found",
		    fc_import_format_names[fmt]);
	if (st != FC_OK)
		fc_import_clear(out);
	return st;
}

enum fc_status
fc_import_userdata_lock(const char *udir, double timeout_s, int *fd, struct fc_diags *d)
{
	struct fc_loc l = { NULL, 0, 0, 0 };
	struct timespec nap = { 0, 20 * 1000 * 1000 };   /* 20 ms between tries */
	double waited = 0;
	size_t len = strlen(udir);
	char *path = fc_malloc(len + sizeof("/.lock"));
	int e;

	*fd = -1;
	if (path == NULL)
		return FC_ENOMEM;
	memcpy(path, udir, len);
	memcpy(path + len, "/.lock", sizeof("/.lock"));
	l.file = fc_diags_intern(d, path);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	fc_free(path);
	if (d->oom) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return FC_ENOMEM;
	}
	if (*fd < 0) {
		fc_error(d, l, "cannot open the user data directory's lock: %s", strerror(errno));
		return FC_EIO;
	}
	for (;;) {
		if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
			return FC_OK;
		e = errno;
		if (e != EWOULDBLOCK && e != EINTR) {
			fc_error(d, l, "cannot lock the user data directory: %s", strerror(e));
			break;
		}
		if (waited >= timeout_s) {
			fc_error(d, l, "another flatcost process has been writing this user data "
			    "directory for %g s; nothing was changed (try again when it is done, "
			    "or set FLATCOST_LOCK_TIMEOUT to wait longer)", waited);
			break;
		}
		nanosleep(&nap, NULL);
		waited += 0.02;
	}
	close(*fd);
	*fd = -1;
	return FC_EIO;
}

void
fc_import_userdata_unlock(int fd)
{
	if (fd >= 0)
		close(fd);   /* closing the descriptor releases the flock */
}
