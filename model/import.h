/*
 * import.h: reading other catalogs' price files into price entries:
 * LiteLLM's model_prices_and_context_window.json, models.dev's api.json,
 * pydantic genai-prices' data.json, and Hetzner Cloud's GET /v1/pricing
 * answer (which prices existing hardware entries).  Pure parsing of a
 * buffer: fetching, and where the result is written, are cmd/'s.
 */
#ifndef FC_IMPORT_H
#define FC_IMPORT_H

#include <stdio.h>

#include "data.h"
#include "fc.h"

enum fc_import_format {
	FC_IMP_AUTO, FC_IMP_MODELSDEV, FC_IMP_LITELLM, FC_IMP_GENAI,
	FC_IMP_HETZNER, FC_IMP_NFORMATS
};
/* "auto", "models.dev", "litellm", "genai-prices", "hetzner-pricing" */
extern const char *const fc_import_format_names[FC_IMP_NFORMATS + 1];

struct fc_import {
	enum fc_import_format format;   /* the one read (never AUTO) */
	struct fc_price *prices;        /* owned; each with as_of and source */
	size_t nprices;
	struct fc_hw *hw;               /* owned: hetzner-pricing, repriced copies */
	size_t nhw;
	size_t skipped;                 /* records that are not chat models with
	                                 * token prices, or unknown server types */
};

/*
 * Parses buf (len bytes of JSON read from name) in format fmt (AUTO:
 * detected from its shape).  Every entry gets as_of and source (the
 * caller's provenance line).  hetzner-pricing needs cat (the hardware
 * entries it reprices), usd_per_eur (> 0) and location (e.g. "fsn1"); the
 * other formats ignore them.  An entry that fails validation fails the
 * whole import: on error *out holds nothing.
 */
enum fc_status fc_import_parse(const char *buf, size_t len, const char *name,
    enum fc_import_format fmt, const char *as_of, const char *source,
    const struct fc_catalog *cat, double usd_per_eur, const char *location,
    struct fc_import *out, struct fc_diags *d);
void fc_import_clear(struct fc_import *im);

/* The flatcost id of a provider's model name: "gemini" is "google";
 * Anthropic's "claude-sonnet-4-5" is "claude-sonnet-4.5" as bundled.
 * Writes at most len bytes to buf. */
void fc_import_id(const char *provider, const char *model, char *buf, size_t len);

/* Nonzero when id cannot be a catalog id: a control character anywhere,
 * or no provider before its '/'.  shown (len bytes) gets id with control
 * characters written as \xNN, for the message. */
int fc_import_bad_id(const char *id, char *shown, size_t len);

/* The user data directory's prices.yaml: a comment, then the entries of
 * u by id, grouped under their providers, in the bundled file's layout
 * (fields equal to their defaults left out).  0, or -1 when out of memory
 * or on a write error. */
int fc_import_write_prices(FILE *f, const struct fc_catalog *u);
/* Its hardware/hetzner.yaml: the hetzner/ entries of u, with their EUR
 * prices and rate.  0, or -1 on a write error. */
int fc_import_write_hetzner(FILE *f, const struct fc_catalog *u);
/* The imports recorded in a user data directory's imports.yaml, for
 * `flatcost data update` to read again: each as {source, from, location,
 * rate}, every string whole. */
struct fc_import_record {
	char *source;       /* the file or URL read */
	char *from;         /* its format's name (fc_import_format_names) */
	char *location;     /* hetzner-pricing: the location priced; NULL otherwise */
	double rate;        /* hetzner-pricing: USD per EUR */
};
struct fc_import_records {
	struct fc_import_record *r;
	size_t n;
	const char *today;  /* "YYYY-MM-DD": the date written as imported */
};
void fc_import_records_free(struct fc_import_records *rs);
/* A new record at the end of rs, its strings copied (location NULL or ""
 * for none); -1 out of memory. */
int fc_import_records_add(struct fc_import_records *rs, const char *source, const char *from,
    const char *location, double rate);
/* imports.yaml: a comment, then every record with rs->today and this
 * flatcost's version.  0, or -1 on a write error. */
int fc_import_records_write(FILE *f, const struct fc_import_records *rs);
/* s as a double-quoted YAML scalar: quotes, backslashes and control
 * characters escaped. */
void fc_import_yaml_str(FILE *f, const char *s);

/*
 * Writers of a user data directory take its lock (an advisory flock on
 * udir/.lock, which stays) before they read what they will rewrite, and
 * release it after the last rename, so that concurrent imports each see
 * the others' entries.  Waits up to timeout_s seconds for another
 * holder; then FC_EIO with an error naming the lock.  *fd is the lock,
 * released by fc_import_userdata_unlock() (or at exit); -1 on error.
 */
enum fc_status fc_import_userdata_lock(const char *udir, double timeout_s, int *fd,
    struct fc_diags *d);
void fc_import_userdata_unlock(int fd);

#endif
