/*
 * schema.h: reading a YAML mapping into C variables through a table of
 * fields, with every check the loaders share: unknown keys (with a "did you
 * mean" hint), missing required keys, types, ranges and dates.
 */
#ifndef FC_SCHEMA_H
#define FC_SCHEMA_H

#include "dist.h"
#include "fc.h"
#include "ynode.h"

enum fc_ftype {
	FT_DOUBLE,  /* double *: a finite number in [lo, hi] */
	FT_INT,     /* long *: a whole number in [lo, hi] */
	FT_NUM,     /* struct fc_num *: a number or a distribution */
	FT_STR,     /* char **: a string, copied (fc_free it) */
	FT_DATE,    /* char **: YYYY-MM-DD */
	FT_ENUM,    /* int *: index into enums[] */
	FT_NODE,    /* const struct fc_ynode **: any node, checked by the caller */
};

struct fc_field {
	const char *key;
	enum fc_ftype type;
	void *ptr;
	int required;
	double lo, hi;
	int lo_open;          /* lo itself is excluded */
	const char *what;     /* the expected form, for errors */
	const char *const *enums; /* FT_ENUM: NULL-terminated names */
};

/* Reads map (which must be a mapping; ctx names it in errors, e.g.
 * "workload") into the fields.  Fields whose key is absent are left as
 * they are (defaults).  Returns FC_OK or FC_EINVAL/FC_ENOMEM; it reports
 * every error it finds, not only the first. */
enum fc_status fc_schema_read(const struct fc_ynode *map, const char *ctx,
    const struct fc_field *fields, size_t n, struct fc_diags *d);
/* Reports an error for a node that is not a mapping. */
enum fc_status fc_schema_expect_map(const struct fc_ynode *n, const char *ctx,
    struct fc_diags *d);
/* Validates YYYY-MM-DD; returns 0 when valid. */
int fc_schema_date_valid(const char *s);
/* Days from 1970-01-01 to date s (YYYY-MM-DD), or -1. */
long fc_schema_date_days(const char *s);

#endif
