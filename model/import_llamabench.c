/*
 * import_llamabench.c: llama-bench results (json, jsonl, csv, markdown)
 * into measured throughput points (import_llamabench.h).
 *
 * Units: llama-bench's `model_size` is bytes and its markdown "size" GiB
 * (or MiB); flatcost's weights_gb is 1e9 bytes.  `model_n_params` is a
 * count, the markdown "params" billions ("6.74 B") or millions ("500 M").
 */
#include "import_llamabench.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

const char *const fc_llamabench_format_names[FC_LB_NFORMATS + 1] = {
	"auto", "json", "jsonl", "csv", "md", NULL
};

#define MAX_COLS 128

struct reader {
	const char *name;
	struct fc_diags *d;
	struct fc_llamabench *lb;
	size_t cap;
};

static struct fc_loc
loc_at(struct reader *r, int line, int col)
{
	struct fc_loc l;

	memset(&l, 0, sizeof(l));
	l.file = fc_diags_intern(r->d, r->name);
	l.line = line;
	l.col = col;
	return l;
}

static void
row_clear(struct fc_lb_row *w)
{
	fc_free(w->model_type);
	fc_free(w->model_file);
	fc_free(w->backend);
	fc_free(w->gpu);
	memset(w, 0, sizeof(*w));
}

void
fc_llamabench_clear(struct fc_llamabench *lb)
{
	size_t i;

	if (lb == NULL)
		return;
	for (i = 0; i < lb->n; i++)
		row_clear(&lb->rows[i]);
	fc_free(lb->rows);
	memset(lb, 0, sizeof(*lb));
}

/* Appends w (its strings moved). */
static enum fc_status
push(struct reader *r, struct fc_lb_row *w)
{
	if (r->lb->n == r->cap) {
		size_t nc = r->cap ? 2 * r->cap : 16;
		struct fc_lb_row *v = fc_realloc(r->lb->rows, nc * sizeof(*v));

		if (v == NULL) {
			row_clear(w);
			return FC_ENOMEM;
		}
		r->lb->rows = v;
		r->cap = nc;
	}
	r->lb->rows[r->lb->n++] = *w;
	memset(w, 0, sizeof(*w));
	return FC_OK;
}

/* A whole number or decimal, with nothing after it but spaces. */
static int
num_of(const char *s, double *v)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || !isfinite(*v))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : 0;
}

/* A test name: "pp512", "tg 128", "pp512 @ d4096", "tg128@d512"; 1 for a
 * mixed "pp512+tg128" (skipped), -1 when it is none of these. */
static int
test_of(const char *s, struct fc_lb_row *w)
{
	char buf[64];
	size_t k = 0;
	char *p, *end;
	double n, depth = 0;

	for (; *s && k + 1 < sizeof(buf); s++)
		if (!isspace((unsigned char)*s))
			buf[k++] = (char)tolower((unsigned char)*s);
	buf[k] = '\0';
	if (strchr(buf, '+'))
		return 1;
	if (k < 3 || (strncmp(buf, "pp", 2) != 0 && strncmp(buf, "tg", 2) != 0))
		return -1;
	n = strtod(buf + 2, &end);
	if (end == buf + 2 || !(n > 0) || n != floor(n))
		return -1;
	p = end;
	if (*p == '@') {
		if (p[1] != 'd')
			return -1;
		depth = strtod(p + 2, &end);
		if (end == p + 2 || depth < 0 || depth != floor(depth))
			return -1;
		p = end;
	}
	if (*p)
		return -1;
	w->n_prompt = buf[0] == 'p' ? n : 0;
	w->n_gen = buf[0] == 't' ? n : 0;
	w->n_depth = depth;
	return 0;
}

/* ---- JSON and JSONL ---- */

static const char *
jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
jnum(json_t *o, const char *k, double *x)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_number(v))
		return -1;
	*x = json_number_value(v);
	return isfinite(*x) ? 0 : -1;
}

static enum fc_status
json_row(struct reader *r, json_t *o, struct fc_loc at)
{
	static const char *const need[] = { "model_type", "model_size", "model_n_params",
	    "n_prompt", "n_gen", "avg_ts" };
	struct fc_lb_row w;
	const char *s;
	double size = 0, np = 0;
	size_t i;

	if (!json_is_object(o))
		return fc_error(r->d, at, "expected a llama-bench result object");
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		json_t *v = json_object_get(o, need[i]);

		if (v == NULL || (i == 0 ? !json_is_string(v) : !json_is_number(v)))
			return fc_error(r->d, at, "result without %s (expected llama-bench -o json "
			    "output: model_type, model_size, model_n_params, n_prompt, n_gen, avg_ts)",
			    need[i]);
	}
	memset(&w, 0, sizeof(w));
	w.loc = at;
	(void)jnum(o, "model_size", &size);
	(void)jnum(o, "model_n_params", &np);
	(void)jnum(o, "n_prompt", &w.n_prompt);
	(void)jnum(o, "n_gen", &w.n_gen);
	(void)jnum(o, "avg_ts", &w.tok_s);
	if (jnum(o, "n_depth", &w.n_depth))
		w.n_depth = 0;
	if (jnum(o, "stddev_ts", &w.tok_s_sd))
		w.tok_s_sd = 0;
	if (jnum(o, "n_gpu_layers", &w.ngl))
		w.ngl = NAN;
	w.size_gb = size / 1e9;
	w.params_b = np / 1e9;
	if (!(w.size_gb > 0 && w.params_b > 0 && w.tok_s > 0 && w.n_prompt >= 0 &&
	    w.n_gen >= 0 && w.n_depth >= 0 && w.tok_s_sd >= 0))
		return fc_error(r->d, at, "a result with a size, parameter count or t/s that is "
		    "not positive (expected bytes, a count and tokens per second)");
	if (w.n_prompt > 0 && w.n_gen > 0) {
		r->lb->skipped++;
		return FC_OK;
	}
	w.model_type = fc_strdup(jstr(o, "model_type"));
	w.model_file = (s = jstr(o, "model_filename")) ? fc_strdup(s) : NULL;
	w.backend = (s = jstr(o, "backends")) ? fc_strdup(s) : NULL;
	w.gpu = (s = jstr(o, "gpu_info")) ? fc_strdup(s) : NULL;
	if (!w.model_type) {
		row_clear(&w);
		return FC_ENOMEM;
	}
	return push(r, &w);
}

static enum fc_status
read_json(struct reader *r, const char *buf, size_t len)
{
	json_error_t err;
	json_t *root = json_loadb(buf, len, 0, &err);
	enum fc_status st = FC_OK;
	size_t i;

	if (root == NULL)
		return fc_error(r->d, loc_at(r, err.line > 0 ? err.line : 1, err.column > 0 ?
		    err.column : 1), "%s (expected llama-bench -o json output)", err.text);
	if (!json_is_array(root)) {
		json_decref(root);
		return fc_error(r->d, loc_at(r, 1, 1), "expected an array of llama-bench results");
	}
	for (i = 0; i < json_array_size(root) && st == FC_OK; i++)
		st = json_row(r, json_array_get(root, i), loc_at(r, 1, 1));
	json_decref(root);
	return st;
}

static enum fc_status
read_jsonl(struct reader *r, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;
	int line = 0;
	enum fc_status st = FC_OK;

	while (p < e && st == FC_OK) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e, *q = p;
		json_error_t err;
		json_t *o;

		line++;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q < end) {
			o = json_loadb(q, (size_t)(end - q), 0, &err);
			if (o == NULL)
				return fc_error(r->d, loc_at(r, line, err.column > 0 ? err.column : 1),
				    "%s (expected one llama-bench -o jsonl result a line)", err.text);
			st = json_row(r, o, loc_at(r, line, 1));
			json_decref(o);
		}
		p = nl ? nl + 1 : e;
	}
	return st;
}

/* ---- CSV ---- */

/* Splits one CSV line (quotes, doubled quotes) into fields, in place in
 * buf; returns the count or -1 for an unterminated quote. */
static int
csv_split(char *buf, char **f, int maxf)
{
	int n = 0;
	char *p = buf;

	for (;;) {
		char *out = p, *start = p;

		if (n == maxf)
			return -1;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
		} else {
			while (*p && *p != ',')
				*out++ = *p++;
		}
		if (*p != ',' && *p != '\0')
			return -1;
		f[n++] = start;
		if (*p == '\0') {
			*out = '\0';
			break;
		}
		*out = '\0';
		p++;
	}
	return n;
}

/* A line of buf as a NUL-terminated copy without its CR/LF. */
static char *
line_copy(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);
	char *s;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if ((s = fc_malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static int
col_index(char **h, int nh, const char *name)
{
	int i;

	for (i = 0; i < nh; i++)
		if (strcmp(h[i], name) == 0)
			return i;
	return -1;
}

static enum fc_status
csv_row(struct reader *r, char **h, int nh, char **f, int nf, int line)
{
	static const char *const need[] = { "model_type", "model_size", "model_n_params",
	    "n_prompt", "n_gen", "avg_ts" };
	int ix[6], i, k;
	double v[6];
	struct fc_lb_row w;

	if (nf != nh)
		return fc_error(r->d, loc_at(r, line, 1), "%d fields where the header has %d "
		    "(expected one llama-bench -o csv result a row)", nf, nh);
	for (i = 0; i < 6; i++)
		ix[i] = col_index(h, nh, need[i]);
	for (i = 1; i < 6; i++)
		if (num_of(f[ix[i]], &v[i]))
			return fc_error(r->d, loc_at(r, line, 1), "%s '%s' is not a number",
			    need[i], f[ix[i]]);
	memset(&w, 0, sizeof(w));
	w.loc = loc_at(r, line, 1);
	w.size_gb = v[1] / 1e9;
	w.params_b = v[2] / 1e9;
	w.n_prompt = v[3];
	w.n_gen = v[4];
	w.tok_s = v[5];
	w.ngl = NAN;
	if ((k = col_index(h, nh, "n_depth")) >= 0 && num_of(f[k], &w.n_depth))
		return fc_error(r->d, w.loc, "n_depth '%s' is not a number", f[k]);
	if ((k = col_index(h, nh, "stddev_ts")) >= 0 && num_of(f[k], &w.tok_s_sd))
		return fc_error(r->d, w.loc, "stddev_ts '%s' is not a number", f[k]);
	if ((k = col_index(h, nh, "n_gpu_layers")) >= 0 && num_of(f[k], &w.ngl))
		w.ngl = NAN;
	if (!(w.size_gb > 0 && w.params_b > 0 && w.tok_s > 0 && w.n_prompt >= 0 &&
	    w.n_gen >= 0 && w.n_depth >= 0 && w.tok_s_sd >= 0))
		return fc_error(r->d, w.loc, "a result with a size, parameter count or t/s that "
		    "is not positive");
	if (w.n_prompt > 0 && w.n_gen > 0) {
		r->lb->skipped++;
		return FC_OK;
	}
	w.model_type = fc_strdup(f[ix[0]]);
	k = col_index(h, nh, "model_filename");
	w.model_file = k >= 0 ? fc_strdup(f[k]) : NULL;
	k = col_index(h, nh, "backends");
	w.backend = k >= 0 ? fc_strdup(f[k]) : NULL;
	k = col_index(h, nh, "gpu_info");
	w.gpu = k >= 0 ? fc_strdup(f[k]) : NULL;
	if (!w.model_type) {
		row_clear(&w);
		return FC_ENOMEM;
	}
	return push(r, &w);
}

static enum fc_status
read_csv(struct reader *r, const char *buf, size_t len)
{
	static const char *const need[] = { "model_type", "model_size", "model_n_params",
	    "n_prompt", "n_gen", "avg_ts" };
	const char *p = buf, *e = buf + len;
	char *hline = NULL, *h[MAX_COLS], *f[MAX_COLS];
	int nh = -1, line = 0, i;
	enum fc_status st = FC_OK;

	while (p < e && st == FC_OK) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl + 1 : e;
		char *s = line_copy(p, end);
		int nf;

		line++;
		p = end;
		if (s == NULL) {
			st = FC_ENOMEM;
			break;
		}
		if (s[0] == '\0') {
			fc_free(s);
			continue;
		}
		if (hline == NULL) {
			hline = s;
			if ((nh = csv_split(hline, h, MAX_COLS)) < 0) {
				st = fc_error(r->d, loc_at(r, line, 1), "a malformed CSV header");
				break;
			}
			for (i = 0; i < 6; i++)
				if (col_index(h, nh, need[i]) < 0) {
					st = fc_error(r->d, loc_at(r, line, 1), "no column %s (expected "
					    "llama-bench -o csv output: model_type, model_size, "
					    "model_n_params, n_prompt, n_gen, avg_ts)", need[i]);
					break;
				}
			continue;
		}
		nf = csv_split(s, f, MAX_COLS);
		st = nf < 0 ? fc_error(r->d, loc_at(r, line, 1), "a malformed CSV row "
		    "(an unterminated quote)") : csv_row(r, h, nh, f, nf, line);
		fc_free(s);
	}
	fc_free(hline);
	return st;
}

/* ---- markdown tables ---- */

/* Splits "| a | b |" into trimmed cells, in place; the count, or -1 when
 * the line is not a table row. */
static int
md_split(char *s, char **c, int maxc, int *cols)
{
	char *p = s;
	int n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '|')
		return -1;
	p++;
	while (*p && n < maxc) {
		char *bar = strchr(p, '|'), *a = p, *b;

		if (bar == NULL)
			break;
		*bar = '\0';
		while (isspace((unsigned char)*a))
			a++;
		b = a + strlen(a);
		while (b > a && isspace((unsigned char)b[-1]))
			*--b = '\0';
		cols[n] = (int)(a - s) + 1;
		c[n++] = a;
		p = bar + 1;
	}
	return n;
}

/* "3.56 GiB", "636.18 MiB", "6.74 B", "500.00 M": the number times the
 * unit's factor. */
static int
unit_num(const char *s, const char *const *units, const double *mult, double *v)
{
	char *end;
	size_t i;

	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || !(*v >= 0) || !isfinite(*v))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	for (i = 0; units[i]; i++)
		if (strcmp(end, units[i]) == 0) {
			*v *= mult[i];
			return 0;
		}
	return -1;
}

static enum fc_status
md_row(struct reader *r, char **c, const int *cols, const int *ix, int line)
{
	static const char *const size_u[] = { "GiB", "MiB", "GB", NULL };
	static const double size_m[] = { 1.073741824, 1.073741824 / 1024, 1 };
	static const char *const par_u[] = { "B", "M", NULL };
	static const double par_m[] = { 1, 1e-3 };
	struct fc_lb_row w;
	char *pm;
	int t;

	memset(&w, 0, sizeof(w));
	w.loc = loc_at(r, line, cols[ix[1]]);
	if (unit_num(c[ix[1]], size_u, size_m, &w.size_gb) || !(w.size_gb > 0))
		return fc_error(r->d, w.loc, "size '%s' (expected a size such as 3.56 GiB)", c[ix[1]]);
	w.loc.col = cols[ix[2]];
	if (unit_num(c[ix[2]], par_u, par_m, &w.params_b) || !(w.params_b > 0))
		return fc_error(r->d, w.loc, "params '%s' (expected a count such as 6.74 B)",
		    c[ix[2]]);
	w.loc.col = cols[ix[4]];
	if ((t = test_of(c[ix[4]], &w)) < 0)
		return fc_error(r->d, w.loc, "test '%s' (expected pp512, tg128 or pp512 @ d4096)",
		    c[ix[4]]);
	if (t == 1) {
		r->lb->skipped++;
		return FC_OK;
	}
	w.loc.col = cols[ix[5]];
	/* "132.19 ± 0.55" */
	if ((pm = strstr(c[ix[5]], "\xc2\xb1")) != NULL) {
		*pm = '\0';
		if (num_of(pm + 2, &w.tok_s_sd) || w.tok_s_sd < 0)
			return fc_error(r->d, w.loc, "t/s deviation '%s' (expected 132.19 ± 0.55)",
			    pm + 2);
	}
	if (num_of(c[ix[5]], &w.tok_s) || !(w.tok_s > 0))
		return fc_error(r->d, w.loc, "t/s '%s' (expected 132.19 ± 0.55)", c[ix[5]]);
	w.ngl = NAN;
	if (ix[6] >= 0 && num_of(c[ix[6]], &w.ngl))
		w.ngl = NAN;
	w.loc.col = cols[ix[0]];
	w.model_type = fc_strdup(c[ix[0]]);
	w.backend = ix[3] >= 0 ? fc_strdup(c[ix[3]]) : NULL;
	if (!w.model_type) {
		row_clear(&w);
		return FC_ENOMEM;
	}
	return push(r, &w);
}

static enum fc_status
read_md(struct reader *r, const char *buf, size_t len)
{
	static const char *const names[] = { "model", "size", "params", "backend", "test",
	    "t/s", "ngl" };
	const char *p = buf, *e = buf + len;
	int ix[7], line = 0, in_table = 0, i, cols[MAX_COLS];
	char *c[MAX_COLS];
	enum fc_status st = FC_OK;

	while (p < e && st == FC_OK) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl + 1 : e;
		char *s = line_copy(p, end);
		int n;

		line++;
		p = end;
		if (s == NULL)
			return FC_ENOMEM;
		n = md_split(s, c, MAX_COLS, cols);
		if (n < 0) {
			in_table = 0;
		} else if (!in_table) {
			/* a header: model, size, params, [backend], test, t/s */
			for (i = 0; i < 7; i++)
				ix[i] = col_index(c, n, names[i]);
			in_table = ix[0] >= 0 && ix[1] >= 0 && ix[2] >= 0 && ix[4] >= 0 &&
			    ix[5] >= 0;
		} else if (c[0][0] == '-' || c[0][0] == ':') {
			/* the separator row */
		} else if (n <= ix[5] || n <= ix[4]) {
			st = fc_error(r->d, loc_at(r, line, 1), "%d cells where the table's header "
			    "has more (expected a llama-bench markdown row)", n);
		} else {
			st = md_row(r, c, cols, ix, line);
		}
		fc_free(s);
	}
	return st;
}

enum fc_status
fc_llamabench_parse(const char *buf, size_t len, const char *name,
    enum fc_lb_format fmt, struct fc_llamabench *out, struct fc_diags *d)
{
	struct reader r;
	enum fc_status st;
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.d = d;
	r.lb = out;
	if (fmt == FC_LB_AUTO) {
		const char *q;

		while (i < len && isspace((unsigned char)buf[i]))
			i++;
		q = memchr(buf, '|', len);
		fmt = i < len && buf[i] == '[' ? FC_LB_JSON : i < len && buf[i] == '{' ?
		    FC_LB_JSONL : q && memmem(buf, len, "t/s", 3) ? FC_LB_MD : FC_LB_CSV;
	}
	out->format = fmt;
	switch (fmt) {
	case FC_LB_JSON: st = read_json(&r, buf, len); break;
	case FC_LB_JSONL: st = read_jsonl(&r, buf, len); break;
	case FC_LB_CSV: st = read_csv(&r, buf, len); break;
	default: st = read_md(&r, buf, len); break;
	}
	if (st == FC_OK && out->n == 0)
		st = fc_error(d, loc_at(&r, 1, 1), "no llama-bench result found (expected -o json, "
		    "jsonl, csv or md output, or a table with model, size, params, test and t/s)");
	if (st != FC_OK) {
		fc_llamabench_clear(out);
		out->format = fmt;
	}
	return st;
}

void
fc_llamabench_point_clear(struct fc_tpoint *t)
{
	fc_free(t->model);
	fc_free(t->engine);
	fc_free(t->basis);
	fc_free(t->as_of);
	fc_free(t->source);
	memset(t, 0, sizeof(*t));
}

static int
same_model(const struct fc_lb_row *a, const struct fc_lb_row *b)
{
	return strcmp(a->model_type, b->model_type) == 0 &&
	    fabs(a->size_gb - b->size_gb) <= 1e-3 * a->size_gb &&
	    fabs(a->params_b - b->params_b) <= 1e-3 * a->params_b;
}

enum fc_status
fc_llamabench_point(const struct fc_llamabench *lb, const char *type,
    const char *model_id, const char *as_of, const char *source,
    struct fc_tpoint *t, struct fc_diags *d)
{
	const struct fc_lb_row *first = NULL, *pp = NULL, *tg = NULL;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < lb->n && first == NULL; i++)
		if (type == NULL || strcmp(lb->rows[i].model_type, type) == 0)
			first = &lb->rows[i];
	if (first == NULL) {
		struct fc_loc l = { 0 };
		return fc_error(d, l, "no llama-bench result for model '%s'", type ? type : "");
	}
	for (i = 0; i < lb->n; i++) {
		const struct fc_lb_row *w = &lb->rows[i];

		if (!same_model(first, w) || w->n_depth > 0)
			continue;
		if (w->n_prompt > 0 && (pp == NULL ||
		    fabs(w->n_prompt - 512) < fabs(pp->n_prompt - 512)))
			pp = w;
		if (w->n_gen > 0 && tg == NULL)
			tg = w;
	}
	if (pp == NULL || tg == NULL)
		return fc_error(d, first->loc, "model '%s' has no %s test at depth 0 (a point "
		    "needs prompt processing, e.g. pp512, and generation, e.g. tg128)",
		    first->model_type, pp ? "tg" : "pp");
	t->model = fc_strdup(model_id);
	t->engine = fc_strdup("llama.cpp");
	t->basis = fc_strdup("measured");
	t->as_of = as_of ? fc_strdup(as_of) : NULL;
	t->source = source ? fc_strdup(source) : NULL;
	t->loc = first->loc;
	if (!t->model || !t->engine || !t->basis || (as_of && !t->as_of) ||
	    (source && !t->source)) {
		fc_llamabench_point_clear(t);
		return FC_ENOMEM;
	}
	t->params_b = first->params_b;
	t->weights_gb = first->size_gb;
	t->prefill_tok_s = pp->tok_s;
	t->prefill_sd = pp->tok_s_sd;
	t->n = 1;
	t->conc[0] = 1;
	t->tok_s[0] = tg->tok_s;
	t->tok_s_sd[0] = tg->tok_s_sd;
	t->context_tokens = tg->n_gen / 2;
	/* generation after a prefilled context: decode curves by context,
	 * the depth-0 one first */
	for (i = 0; i < lb->n; i++) {
		const struct fc_lb_row *w = &lb->rows[i];
		struct fc_ctxpoint *c;
		size_t k;

		if (!same_model(first, w) || w->n_gen <= 0 || w->n_gen != tg->n_gen)
			continue;
		if (t->n_ctx == 0 && w->n_depth > 0) {
			c = &t->by_ctx[t->n_ctx++];
			c->context_tokens = tg->n_gen / 2;
			c->n = 1;
			c->conc[0] = 1;
			c->tok_s[0] = tg->tok_s;
		}
		if (w->n_depth <= 0 || t->n_ctx >= FC_MAX_CONTEXTS)
			continue;
		/* sorted by context, each once */
		for (k = 0; k < t->n_ctx; k++)
			if (t->by_ctx[k].context_tokens >= w->n_depth + w->n_gen / 2)
				break;
		if (k < t->n_ctx && t->by_ctx[k].context_tokens == w->n_depth + w->n_gen / 2)
			continue;
		memmove(&t->by_ctx[k + 1], &t->by_ctx[k], (t->n_ctx - k) * sizeof(t->by_ctx[0]));
		c = &t->by_ctx[k];
		memset(c, 0, sizeof(*c));
		c->context_tokens = w->n_depth + w->n_gen / 2;
		c->n = 1;
		c->conc[0] = 1;
		c->tok_s[0] = w->tok_s;
		t->n_ctx++;
	}
	return FC_OK;
}
