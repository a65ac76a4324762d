/*
 * schema.c: table-driven reading of YAML mappings (see schema.h).
 */
#include "schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long
fc_schema_date_days(const char *s)
{
	int y, m, dd, n = 0;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long days;
	int leap;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || dd < 1 ||
	    dd > mdays[m - 1] + (m == 2 && leap))
		return -1;
	/* days from civil (Howard Hinnant's algorithm) */
	{
		long yy = y - (m <= 2);
		long era = yy / 400;
		long yoe = yy - era * 400;
		long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
		long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = era * 146097 + doe - 719468;
	}
	return days;
}

int
fc_schema_date_valid(const char *s)
{
	return fc_schema_date_days(s) < 0 ? -1 : 0;
}

enum fc_status
fc_schema_expect_map(const struct fc_ynode *n, const char *ctx,
    struct fc_diags *d)
{
	if (n->kind == FC_Y_MAP)
		return FC_OK;
	if (n->kind == FC_Y_SCALAR && n->len == 0 && !n->quoted)
		return fc_error(d, n->loc, "'%s' is empty: expected a mapping", ctx);
	if (strncmp(ctx, "the ", 4) == 0)
		return fc_error(d, n->loc, "%s must be a mapping of keys, not %s",
		    ctx, fc_ykind_name(n->kind));
	return fc_error(d, n->loc, "'%s' must be a mapping of keys, not %s",
	    ctx, fc_ykind_name(n->kind));
}

static enum fc_status
read_field(const struct fc_field *f, const struct fc_ynode *v, const char *ctx,
    struct fc_diags *d)
{
	double x;
	size_t i;
	char what[160], hint[64];

	if (f->what)
		snprintf(what, sizeof(what), "%s", f->what);
	else
		snprintf(what, sizeof(what), "a number");
	switch (f->type) {
	case FT_NODE:
		*(const struct fc_ynode **)f->ptr = v;
		return FC_OK;
	case FT_NUM: {
		char key[128];
		if (ctx && strncmp(ctx, "the ", 4) != 0 && *ctx)
			snprintf(key, sizeof(key), "%s.%s", ctx, f->key);
		else
			snprintf(key, sizeof(key), "%s", f->key);
		return fc_num_parse_key(v, key, f->lo, f->hi, f->lo_open, what,
		    (struct fc_num *)f->ptr, d);
	}
	case FT_DOUBLE:
	case FT_INT:
		if (v->kind != FC_Y_SCALAR)
			return fc_error(d, v->loc, "'%s' must be %s, not %s",
			    f->key, what, fc_ykind_name(v->kind));
		if (v->quoted || fc_ynode_parse_double(v->str, &x)) {
			char *end;
			double big = strtod(v->str, &end);
			if (strcasestr(v->str, "nan") || strcasestr(v->str, "inf") ||
			    (*end == '\0' && isinf(big)))
				return fc_error(d, v->loc,
				    "'%s' is not a finite number: '%s' must be %s",
				    v->str, f->key, what);
			if (!v->quoted && fc_ynode_number_hint(v->str, hint, sizeof(hint)))
				return fc_error(d, v->loc, "'%s' must be %s, got '%s' (did you mean %s?)",
				    f->key, what, v->str, hint);
			return fc_error(d, v->loc, "'%s' must be %s, got '%s'",
			    f->key, what, v->str);
		}
		if ((f->lo_open ? !(x > f->lo) : !(x >= f->lo)) || !(x <= f->hi))
			return fc_error(d, v->loc,
			    "'%s' is %g, out of range: expected %s", f->key, x, what);
		if (f->type == FT_INT) {
			if (x != floor(x))
				return fc_error(d, v->loc,
				    "'%s' must be a whole number, got %s", f->key, v->str);
			*(long *)f->ptr = (long)x;
		} else {
			*(double *)f->ptr = x;
		}
		return FC_OK;
	case FT_STR:
	case FT_DATE:
		/* --set name=Listwise: AI search: the ': ' made a mapping */
		if (v->kind == FC_Y_MAP && v->loc.file && strcmp(v->loc.file, "--set") == 0)
			return fc_error(d, v->loc, "'%s' must be %s, not a mapping (a ': ' in a "
			    "value starts a mapping: quote the value, as in --set '%s=\"A: B\"')",
			    f->key, f->type == FT_DATE ? "a date YYYY-MM-DD" : "a string", f->key);
		if (v->kind != FC_Y_SCALAR)
			return fc_error(d, v->loc, "'%s' must be %s, not %s", f->key,
			    f->type == FT_DATE ? "a date YYYY-MM-DD" : "a string",
			    fc_ykind_name(v->kind));
		if (f->type == FT_DATE && fc_schema_date_valid(v->str))
			return fc_error(d, v->loc,
			    "'%s' must be a date YYYY-MM-DD, got '%s'", f->key, v->str);
		{
			char **dst = (char **)f->ptr;
			char *copy = fc_strdup(v->str);
			if (copy == NULL)
				return FC_ENOMEM;
			fc_free(*dst);
			*dst = copy;
		}
		return FC_OK;
	case FT_ENUM:
		if (v->kind == FC_Y_SCALAR)
			for (i = 0; f->enums[i]; i++)
				if (strcmp(v->str, f->enums[i]) == 0) {
					*(int *)f->ptr = (int)i;
					return FC_OK;
				}
		{
			char list[160] = "";
			size_t ncand = 0;
			const char *s;
			for (i = 0; f->enums[i]; i++) {
				if (i)
					strncat(list, f->enums[i + 1] ? ", " : " or ",
					    sizeof(list) - strlen(list) - 1);
				strncat(list, f->enums[i], sizeof(list) - strlen(list) - 1);
				ncand++;
			}
			s = v->kind == FC_Y_SCALAR ?
			    fc_suggest(v->str, f->enums, ncand) : NULL;
			if (s)
				return fc_error(d, v->loc,
				    "unknown %s '%s' (did you mean '%s'?)", f->key, v->str, s);
			return fc_error(d, v->loc, "'%s' must be %s", f->key, list);
		}
	}
	(void)ctx;
	return FC_EINVAL;
}

enum fc_status
fc_schema_read(const struct fc_ynode *map, const char *ctx,
    const struct fc_field *fields, size_t n, struct fc_diags *d)
{
	enum fc_status st = FC_OK, r;
	const char *names[64];
	size_t i, j;

	if ((r = fc_schema_expect_map(map, ctx, d)) != FC_OK)
		return r;
	for (j = 0; j < n && j < 64; j++)
		names[j] = fields[j].key;
	for (i = 0; i < map->n; i++) {
		const struct fc_ynode *k = map->keys[i];
		const struct fc_field *f = NULL;

		for (j = 0; j < n; j++)
			if (strcmp(fields[j].key, k->str) == 0)
				f = &fields[j];
		if (f == NULL) {
			const char *s = fc_suggest(k->str, names, n < 64 ? n : 64);
			if (s)
				st = fc_error(d, k->loc,
				    "unknown key '%s' in %s (did you mean '%s'?)",
				    k->str, ctx, s);
			else
				st = fc_error(d, k->loc, "unknown key '%s' in %s",
				    k->str, ctx);
			continue;
		}
		r = read_field(f, map->vals[i], ctx, d);
		if (r == FC_ENOMEM)
			return r;
		if (r != FC_OK)
			st = r;
	}
	for (j = 0; j < n; j++)
		if (fields[j].required && fc_ynode_find(map, fields[j].key) < 0)
			st = fc_error(d, map->loc, "%s is missing required key '%s' (%s)",
			    ctx, fields[j].key,
			    fields[j].what ? fields[j].what : "required");
	return st;
}
