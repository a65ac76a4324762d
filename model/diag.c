/*
 * diag.c: diagnostics as data, allocation hooks and small string helpers
 * shared by every module.
 */
#include "fc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every allocation is counted (atomically: Monte Carlo workers allocate
 * too), so that the allocation-failure tests know how many there are. */
static long alloc_fail_at;  /* 0: off; else fail when alloc_count reaches it */
static _Atomic long alloc_count;

void
fc_alloc_fail_at(long n)
{
	alloc_count = 0;
	alloc_fail_at = n;
}

long
fc_alloc_count(void)
{
	return alloc_count;
}

static int
alloc_should_fail(void)
{
	long k = ++alloc_count;

	return alloc_fail_at > 0 && k == alloc_fail_at;
}

void *
fc_malloc(size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
fc_calloc(size_t n, size_t size)
{
	if (alloc_should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *
fc_realloc(void *p, size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *
fc_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *r = fc_malloc(len + 1);

	if (r == NULL)
		return NULL;
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

char *
fc_strdup(const char *s)
{
	return fc_strndup(s, strlen(s));
}

void
fc_free(void *p)
{
	free(p);
}

void
fc_diags_init(struct fc_diags *d)
{
	memset(d, 0, sizeof(*d));
	d->max_errors = 20;
}

void
fc_diags_free(struct fc_diags *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		fc_free(d->v[i].msg);
	fc_free(d->v);
	for (i = 0; i < d->n_files; i++)
		fc_free(d->files[i]);
	fc_free(d->files);
	memset(d, 0, sizeof(*d));
}

const char *
fc_diags_intern(struct fc_diags *d, const char *name)
{
	size_t i;
	char **nf, *copy;

	if (name == NULL)
		return NULL;
	for (i = 0; i < d->n_files; i++)
		if (strcmp(d->files[i], name) == 0)
			return d->files[i];
	nf = fc_realloc(d->files, (d->n_files + 1) * sizeof(*nf));
	if (nf == NULL) {
		d->oom = 1;
		return "?";
	}
	d->files = nf;
	copy = fc_strdup(name);
	if (copy == NULL) {
		d->oom = 1;
		return "?";
	}
	d->files[d->n_files++] = copy;
	return copy;
}

static void
vadd(struct fc_diags *d, enum fc_severity sev, struct fc_loc loc,
    const char *fmt, va_list ap)
{
	struct fc_diag *nv;
	char buf[1024];

	if (d == NULL)
		return;
	if (sev == FC_SEV_ERROR) {
		d->n_errors++;
		if (d->max_errors && d->n_errors > d->max_errors) {
			d->n_dropped++;
			return;
		}
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (d->n == d->cap) {
		size_t ncap = d->cap ? 2 * d->cap : 8;
		nv = fc_realloc(d->v, ncap * sizeof(*nv));
		if (nv == NULL) {
			d->oom = 1;
			return;
		}
		d->v = nv;
		d->cap = ncap;
	}
	d->v[d->n].msg = fc_strdup(buf);
	if (d->v[d->n].msg == NULL) {
		d->oom = 1;
		return;
	}
	d->v[d->n].sev = sev;
	d->v[d->n].loc = loc;
	d->n++;
}

enum fc_status
fc_error(struct fc_diags *d, struct fc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, FC_SEV_ERROR, loc, fmt, ap);
	va_end(ap);
	return FC_EINVAL;
}

enum fc_status
fc_verror(struct fc_diags *d, struct fc_loc loc, const char *fmt, va_list ap)
{
	vadd(d, FC_SEV_ERROR, loc, fmt, ap);
	return FC_EINVAL;
}

void
fc_warning(struct fc_diags *d, struct fc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, FC_SEV_WARNING, loc, fmt, ap);
	va_end(ap);
}

void
fc_note(struct fc_diags *d, struct fc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, FC_SEV_NOTE, loc, fmt, ap);
	va_end(ap);
}

int
fc_diags_full(const struct fc_diags *d)
{
	return d->max_errors && d->n_errors >= d->max_errors;
}

/* Levenshtein distance, capped rows of at most 64 characters. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65], prev, tmp;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
fc_suggest(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, i, len = strlen(s);
	/* a third of the name may be wrong in a long one ("qwen7b-q4_k_m" for
	 * "qwen2.5-7b-q4_k_m") */
	size_t limit = len < 4 ? 1 : len < 8 ? 2 : len < 12 ? 3 : len / 3;

	/* twice the distance, plus one unless the candidate holds what was
	 * typed: '95' is 'p95' rather than 'p5', both one edit away */
	for (i = 0; i < n; i++) {
		size_t dist = 2 * edit_distance(s, cands[i]) + (*s && strstr(cands[i], s) ? 0 : 1);
		if (dist < bestd) {
			bestd = dist;
			best = cands[i];
		}
	}
	return bestd <= 2 * limit + 1 ? best : NULL;
}

const char *
fc_strstatus(enum fc_status st)
{
	switch (st) {
	case FC_OK: return "success";
	case FC_EINVAL: return "invalid input";
	case FC_EIO: return "input/output error";
	case FC_ENOMEM: return "out of memory";
	case FC_EDOM: return "outside the model's domain";
	case FC_ERANGE: return "result out of range";
	}
	return "unknown error";
}
