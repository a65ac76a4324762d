/*
 * calib_read.c: the usage-log readers of flatcost calibrate.
 *
 * Input goes through zlib's gzread (which passes plain files through), in
 * chunks.  CSV is streamed through libcsv (quotes, CRLF, a UTF-8 BOM);
 * columns are found by name (a table of the usual names per role, or
 * --columns).  JSON Lines are parsed a line at a time with jansson; a
 * JSON document ('[' or a multi-line '{') is loaded whole (OpenAI usage
 * pages and Langfuse UI exports are documents).  Each record becomes a
 * struct fc_calib_rec for the accumulator.
 */
#include "calib.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#include "calib_int.h"

#define CHUNK (1 << 20)
#define MAX_COLS 512
#define ROLE_USAGE FC_NROLES      /* Langfuse usage object (JSON text in CSV) */
#define NR (FC_NROLES + 1)
#define SLEN 256

/* The usual names of each role's column or key. */
static const char *const synonyms[NR][10] = {
	[FC_ROLE_TS] = { "ts", "timestamp", "time", "startTime", "start_time",
	    "created_at", "createdAt", "date", NULL },
	[FC_ROLE_USER] = { "user", "user_id", "userId", "customer", "customer_id", NULL },
	[FC_ROLE_IN] = { "in", "input_tokens", "prompt_tokens", "promptTokens",
	    "inputTokens", "tokens_in", NULL },
	[FC_ROLE_OUT] = { "out", "output_tokens", "completion_tokens",
	    "completionTokens", "outputTokens", "tokens_out", NULL },
	[FC_ROLE_CACHED] = { "cached", "cached_tokens", "input_cached_tokens",
	    "cache_read_input_tokens", "cached_input_tokens", NULL },
	[FC_ROLE_TRACE] = { "trace", "trace_id", "traceId", NULL },
	[FC_ROLE_OK] = { "ok", "accepted", "shadow_ok", NULL },
	[FC_ROLE_MODEL] = { "model", "provided_model_name", NULL },
	[FC_ROLE_BATCH] = { "batch", NULL },
	[FC_ROLE_SPEND] = { "spend", "cost", "calculatedTotalCost", NULL },
	[FC_ROLE_N] = { "n", "num_model_requests", "requests", NULL },
	[FC_ROLE_END] = { NULL },
	[FC_ROLE_END_USER] = { "end_user", NULL },
	[FC_ROLE_TYPE] = { "type", NULL },
	[FC_ROLE_CACHE_HIT] = { "cache_hit", NULL },
	[ROLE_USAGE] = { "usage_details", "usageDetails", "usage", NULL },
};

/* The role of a column or key named name (-1: none).  A role named in
 * --columns matches only that name. */
static int
role_of(const struct fc_calib_opts *o, const char *name)
{
	int r, k;

	for (r = 0; r < FC_NROLES; r++)
		if (o->columns[r] && strcmp(o->columns[r], name) == 0)
			return r;
	for (r = 0; r < NR; r++) {
		if (r < FC_NROLES && o->columns[r])
			continue;
		for (k = 0; synonyms[r][k]; k++)
			if (strcmp(synonyms[r][k], name) == 0)
				return r;
	}
	return -1;
}

/* One record being assembled. */
struct rec {
	double v[FC_NROLES];       /* numbers; NAN absent */
	char s[FC_NROLES][SLEN];   /* strings: user, end_user, trace, model, type */
	int have[NR];
	int bad;                   /* an error is in msg */
	char msg[200];
};

struct reader {
	struct fc_calib *c;
	const struct fc_calib_opts *o;
	struct fc_diags *d;
	const char *file;          /* interned */
	enum fc_calib_format fmt;  /* detected or forced */
	enum fc_status st;
	int stop;
	/* CSV */
	struct csv_parser p;
	int header_done, col, ncols;
	int role[MAX_COLS];
	char *name[MAX_COLS];      /* header names, owned */
	long line, rec_line, nl_in_rec;
	long rec_index;            /* in a JSON document (no lines): the record, 1-based */
	struct rec r;
};

static void
rec_clear(struct rec *r)
{
	int i;

	for (i = 0; i < FC_NROLES; i++) {
		r->v[i] = NAN;
		r->s[i][0] = '\0';
	}
	memset(r->have, 0, sizeof(r->have));
	r->bad = 0;
}

static void
rec_bad(struct rec *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad)
		return;
	r->bad = 1;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char **p, int n, long *out)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* ISO 8601 (2024-05-01T12:00:00.123Z, a space for T, +hh:mm offsets,
 * date only) or Unix seconds (milliseconds above 1e11).  -1 if neither. */
int
fc_calib_parse_time(const char *s, double *out)
{
	const char *p = s;
	long y, mo, d, h = 0, mi = 0, se = 0, oh, om;
	double frac = 0, t;
	char *end;

	while (*p == ' ')
		p++;
	if (digits(&p, 4, &y) != 0 || *p != '-') {
		t = strtod(s, &end);
		while (*end == ' ')
			end++;
		if (end == s || *end || !isfinite(t) || t < 0)
			return -1;
		*out = t > 1e11 ? t / 1000 : t;
		return 0;
	}
	p++;
	if (digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) || mo < 1 ||
	    mo > 12 || d < 1 || d > 31)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || h > 23 || mi > 59)
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &se) || se > 60)
				return -1;
			if (*p == '.' || *p == ',') {
				double sc = 0.1;
				for (p++; *p >= '0' && *p <= '9'; p++, sc /= 10)
					frac += (*p - '0') * sc;
			}
		}
	}
	t = (double)days_from_civil(y, mo, d) * FC_SECONDS_PER_DAY + (double)(h * 3600 + mi * 60 + se) + frac;
	if (*p == ' ')
		p++;
	if (*p == 'Z' || strcmp(p, "UTC") == 0) {
		p += *p == 'Z' ? 1 : 3;
	} else if (*p == '+' || *p == '-') {
		int sg = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om))
			om = 0;
		t -= sg * (double)(oh * 3600 + om * 60);
	}
	if (*p)
		return -1;
	*out = t;
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "true", "True", "TRUE", "yes", "t", "y", NULL };
	static const char *const no[] = { "0", "false", "False", "FALSE", "no", "f", "n", NULL };
	int i;

	if ((s[0] == '0' || s[0] == '1') && s[1] == '\0')
		return *out = s[0] == '1', 0;
	for (i = 0; yes[i]; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = 1, 0;
	for (i = 0; no[i]; i++)
		if (strcmp(s, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

static const char *
role_what(int role)
{
	switch (role) {
	case FC_ROLE_TS: case FC_ROLE_END:
		return "a time such as 2024-05-01T12:00:00Z or Unix seconds";
	case FC_ROLE_OK: case FC_ROLE_BATCH: case FC_ROLE_CACHE_HIT:
		return "true or false (1 or 0)";
	case FC_ROLE_SPEND:
		return "USD >= 0";
	default:
		return "a number of tokens >= 0";
	}
}

/* A whole number of up to 15 digits, the common case, without strtod;
 * -1 when s is anything else. */
static int
parse_uint(const char *s, double *out)
{
	long v = 0;
	int i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == 15)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || s[i] != '\0')
		return -1;
	*out = (double)v;
	return 0;
}

/* Stores the text value of a field of role into r (name: the column). */
static void
rec_set(struct rec *r, int role, const char *name, const char *val)
{
	char *end;
	double x;
	int b;

	if (val[0] == '\0' || ((val[0] == 'n' || val[0] == 'N') &&
	    (strcmp(val, "null") == 0 || strcmp(val, "NULL") == 0)))
		return;
	switch (role) {
	case FC_ROLE_USER: case FC_ROLE_END_USER: case FC_ROLE_TRACE:
	case FC_ROLE_MODEL: case FC_ROLE_TYPE: {
		size_t n = strlen(val);
		if (n >= SLEN)
			n = SLEN - 1;
		memcpy(r->s[role], val, n);
		r->s[role][n] = '\0';
		r->have[role] = 1;
		return;
	}
	case FC_ROLE_TS: case FC_ROLE_END:
		if (fc_calib_parse_time(val, &x) != 0)
			return rec_bad(r, "'%s': expected %s, got '%.60s'", name, role_what(role), val);
		/* 1990 to 2199: anything else is a unit or parse mistake, and
		 * would make the per-day sums span millennia */
		if (x < 631152000 || x >= 7258118400.0)
			return rec_bad(r, "'%s': %.60s is not between 1990 and 2199", name, val);
		break;
	case FC_ROLE_OK: case FC_ROLE_BATCH: case FC_ROLE_CACHE_HIT:
		if (role == FC_ROLE_CACHE_HIT && strcmp(val, "None") == 0)
			return;    /* LiteLLM writes None when caching is off */
		if (parse_bool(val, &b) != 0)
			return rec_bad(r, "'%s': expected %s, got '%.60s'", name, role_what(role), val);
		x = b;
		break;
	default:
		if (parse_uint(val, &x) == 0)
			break;
		x = strtod(val, &end);
		if (end == val || *end || !isfinite(x) || x < 0)
			return rec_bad(r, "'%s': expected %s, got '%.60s'", name, role_what(role), val);
		break;
	}
	r->v[role] = x;
	r->have[role] = 1;
}

static enum fc_status
rd_error(struct reader *rd, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum fc_status
rd_error(struct reader *rd, long line, const char *fmt, ...)
{
	char buf[300];
	struct fc_loc loc = { rd->file, (int)line, line > 0 ? 1 : 0, 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rd->stop = 1;
	rd->st = FC_EINVAL;
	return fc_error(rd->d, loc, "%s", buf);
}

/* A bad row: counted while under --skip-bad, else the error. */
static void
bad_row(struct reader *rd, long line, const char *msg)
{
	char where[48] = "";

	if (calib_bad_rows(rd->c) < (double)rd->o->skip_bad) {
		calib_note_bad(rd->c);
		return;
	}
	/* jansson keeps no positions of values: a document's record by number */
	if (line == 0 && rd->rec_index > 0)
		snprintf(where, sizeof(where), "record %ld: ", rd->rec_index);
	if (rd->o->skip_bad > 0)
		rd_error(rd, line, "%s%s (and %ld bad rows skipped before: --skip-bad %ld)",
		    where, msg, rd->o->skip_bad, rd->o->skip_bad);
	else
		rd_error(rd, line, "%s%s", where, msg);
}

/* Turns the assembled record into a call (or bucket) for the accumulator. */
static void
rec_finish(struct reader *rd, long line)
{
	struct rec *r = &rd->r;
	struct fc_calib_rec cr;
	enum fc_status st;

	if (r->bad)
		return bad_row(rd, line, r->msg);
	if (r->have[FC_ROLE_TYPE] && strcmp(r->s[FC_ROLE_TYPE], "GENERATION") != 0)
		return;    /* a Langfuse span or event, not an LLM call */
	if (!r->have[FC_ROLE_TS])
		return bad_row(rd, line, "no timestamp: the row's time column is empty");
	if (r->have[FC_ROLE_CACHE_HIT] && r->v[FC_ROLE_CACHE_HIT] == 1) {
		calib_note_cache_hit(rd->c);    /* the proxy answered: no API call */
		return;
	}
	if (!r->have[FC_ROLE_IN] && !r->have[FC_ROLE_OUT])
		return bad_row(rd, line, "no token counts: the row's input and output token columns are empty");
	cr.ts = r->v[FC_ROLE_TS];
	cr.t_end = r->have[FC_ROLE_END] ? r->v[FC_ROLE_END] : NAN;
	cr.user = r->have[FC_ROLE_END_USER] ? r->s[FC_ROLE_END_USER] :
	    r->have[FC_ROLE_USER] ? r->s[FC_ROLE_USER] : NULL;
	cr.trace = r->have[FC_ROLE_TRACE] ? r->s[FC_ROLE_TRACE] : NULL;
	cr.model = r->have[FC_ROLE_MODEL] ? r->s[FC_ROLE_MODEL] : NULL;
	cr.n = r->have[FC_ROLE_N] ? r->v[FC_ROLE_N] : 1;
	cr.in = r->have[FC_ROLE_IN] ? r->v[FC_ROLE_IN] : 0;
	cr.out = r->have[FC_ROLE_OUT] ? r->v[FC_ROLE_OUT] : 0;
	cr.cached = r->have[FC_ROLE_CACHED] ? r->v[FC_ROLE_CACHED] : NAN;
	cr.ok = r->have[FC_ROLE_OK] ? (int)r->v[FC_ROLE_OK] : -1;
	cr.batch = r->have[FC_ROLE_BATCH] ? (int)r->v[FC_ROLE_BATCH] : -1;
	cr.spend = r->have[FC_ROLE_SPEND] ? r->v[FC_ROLE_SPEND] : NAN;
	if (cr.n > 1 && isnan(cr.t_end))
		cr.t_end = cr.ts;
	if ((st = fc_calib_add(rd->c, &cr)) != FC_OK) {
		rd->st = st;
		rd->stop = 1;
	}
}

/* ---- JSON ---- */

static const char *
json_text(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.17g", json_real_value(v));
	else if (json_is_true(v))
		snprintf(buf, len, "1");
	else if (json_is_false(v))
		snprintf(buf, len, "0");
	else
		buf[0] = '\0';   /* null, objects, arrays: absent */
	return buf;
}

/* Langfuse's usage object: {input, output, total, ...}. */
static void
json_usage(struct rec *r, json_t *u)
{
	static const char *const in[] = { "input", "promptTokens", "input_tokens", NULL };
	static const char *const out[] = { "output", "completionTokens", "output_tokens", NULL };
	static const char *const cached[] = { "input_cached_tokens", "cache_read_input_tokens",
	    "input_cache_read", NULL };
	const char *const *lists[3] = { in, out, cached };
	int roles[3] = { FC_ROLE_IN, FC_ROLE_OUT, FC_ROLE_CACHED }, i, k;
	char buf[64];

	for (i = 0; i < 3; i++)
		for (k = 0; lists[i][k]; k++) {
			json_t *v = json_object_get(u, lists[i][k]);
			if (v && !r->have[roles[i]]) {
				rec_set(r, roles[i], lists[i][k], json_text(v, buf, sizeof(buf)));
				break;
			}
		}
}

static void
json_fields(struct reader *rd, json_t *obj)
{
	const char *key;
	json_t *v;
	char buf[64];

	json_object_foreach(obj, key, v) {
		int role = role_of(rd->o, key);
		if (role < 0)
			continue;
		if (role == ROLE_USAGE) {
			if (json_is_object(v))
				json_usage(&rd->r, v);
			continue;
		}
		rec_set(&rd->r, role, key, json_text(v, buf, sizeof(buf)));
	}
}

static enum fc_calib_format
json_kind(json_t *obj)
{
	if (json_is_array(json_object_get(obj, "data")) ||
	    json_is_array(json_object_get(obj, "results")))
		return FC_CALIB_OPENAI;
	if (json_object_get(obj, "request_id") && json_object_get(obj, "spend"))
		return FC_CALIB_LITELLM;
	if (json_object_get(obj, "traceId") || json_object_get(obj, "trace_id"))
		return FC_CALIB_LANGFUSE;
	return FC_CALIB_CSV;
}

/* An OpenAI usage bucket: {start_time, end_time, results: [...]}. */
static void
json_bucket(struct reader *rd, json_t *b, long line)
{
	json_t *res = json_object_get(b, "results"), *x;
	size_t i;
	char buf[64];

	if (!json_is_array(res))
		return bad_row(rd, line, "a usage bucket without a 'results' list");
	json_array_foreach(res, i, x) {
		rec_clear(&rd->r);
		if (!json_is_object(x)) {
			bad_row(rd, line, "a usage result that is not an object");
			continue;
		}
		rec_set(&rd->r, FC_ROLE_TS, "start_time",
		    json_text(json_object_get(b, "start_time"), buf, sizeof(buf)));
		rec_set(&rd->r, FC_ROLE_END, "end_time",
		    json_text(json_object_get(b, "end_time"), buf, sizeof(buf)));
		json_fields(rd, x);
		/* user_id groups by the organization member who made the calls,
		 * not by the app's users: never a user here */
		rd->r.have[FC_ROLE_USER] = rd->r.have[FC_ROLE_END_USER] = 0;
		if (!rd->r.have[FC_ROLE_N])
			rec_bad(&rd->r, "a usage result without 'num_model_requests'");
		rec_finish(rd, line);
		if (rd->stop)
			return;
	}
}

static void
json_record(struct reader *rd, json_t *obj, long line)
{
	enum fc_calib_format k;
	json_t *data, *x;
	size_t i;

	if (!json_is_object(obj))
		return bad_row(rd, line, "expected a JSON object (a log record)");
	k = json_kind(obj);
	if (rd->fmt == FC_CALIB_AUTO) {
		rd->fmt = k;
		calib_note_format(rd->c, k);
	}
	if ((data = json_object_get(obj, "data")) && json_is_array(data)) {
		json_array_foreach(data, i, x) {
			if (json_is_object(x) && json_object_get(x, "results"))
				json_bucket(rd, x, line);
			else
				json_record(rd, x, line);
			if (rd->stop)
				return;
		}
		return;
	}
	if (json_object_get(obj, "results"))
		return json_bucket(rd, obj, line);
	rec_clear(&rd->r);
	json_fields(rd, obj);
	rec_finish(rd, line);
}

static void
json_document(struct reader *rd, const char *buf, size_t len)
{
	json_error_t err;
	json_t *root = json_loadb(buf, len, 0, &err), *x;
	size_t i;

	if (root == NULL) {
		rd_error(rd, err.line, "invalid JSON: %s", err.text);
		return;
	}
	if (json_is_array(root)) {
		json_array_foreach(root, i, x) {
			rd->rec_index = (long)i + 1;
			json_record(rd, x, 0);
			if (rd->stop)
				break;
		}
	} else {
		json_record(rd, root, 0);
	}
	json_decref(root);
}

static void
json_line(struct reader *rd, const char *s, size_t len, long line)
{
	json_error_t err;
	json_t *v;
	size_t i;

	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'); i++)
		;
	if (i == len)
		return;
	if ((v = json_loadb(s, len, 0, &err)) == NULL) {
		char msg[200];
		snprintf(msg, sizeof(msg), "invalid JSON: %s", err.text);
		return bad_row(rd, line, msg);
	}
	json_record(rd, v, line);
	json_decref(v);
}

/* ---- CSV ---- */

static void
csv_header_field(struct reader *rd, const char *s)
{
	int role;

	if (rd->col >= MAX_COLS)
		return;
	if (rd->col == 0 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	    (unsigned char)s[2] == 0xBF)
		s += 3;
	if ((rd->name[rd->col] = fc_strdup(s)) == NULL) {
		rd->st = FC_ENOMEM;
		rd->stop = 1;
		return;
	}
	role = role_of(rd->o, s);
	rd->role[rd->col] = role;
	rd->ncols = rd->col + 1;
}

static void
csv_cb_field(void *s, size_t len, void *data)
{
	struct reader *rd = data;
	const char *str = s ? s : "";
	int role;

	if (rd->stop)
		return;
	{
		/* newlines inside a quoted field: the next row's line number */
		size_t i;
		long nl = 0;
		for (i = 0; i < len; i++)
			nl += str[i] == '\n';
		rd->nl_in_rec += nl;
	}
	if (!rd->header_done) {
		csv_header_field(rd, str);
		rd->col++;
		return;
	}
	role = rd->col < rd->ncols ? rd->role[rd->col] : -1;
	if (role == ROLE_USAGE && len > 0) {
		json_t *u = json_loadb(str, len, 0, NULL);
		if (u && json_is_object(u))
			json_usage(&rd->r, u);
		json_decref(u);
	} else if (role >= 0) {
		rec_set(&rd->r, role, rd->name[rd->col], str);
	}
	rd->col++;
}

static enum fc_calib_format
csv_kind(const struct reader *rd)
{
	int i, req = 0, start = 0, trace = 0, usage = 0;

	for (i = 0; i < rd->ncols; i++) {
		const char *n = rd->name[i];
		req |= strcmp(n, "request_id") == 0;
		start |= strcmp(n, "startTime") == 0;
		trace |= rd->role[i] == FC_ROLE_TRACE;
		usage |= rd->role[i] == ROLE_USAGE;
	}
	if (req && start)
		return FC_CALIB_LITELLM;
	if (trace && usage)
		return FC_CALIB_LANGFUSE;
	return FC_CALIB_CSV;
}

static void
csv_header_done(struct reader *rd)
{
	static const int need[] = { FC_ROLE_TS, FC_ROLE_IN, FC_ROLE_OUT };
	int i, k, found, usage = 0;

	for (i = 0; i < rd->ncols; i++)
		usage |= rd->role[i] == ROLE_USAGE;
	for (k = 0; k < 3; k++) {
		found = 0;
		for (i = 0; i < rd->ncols; i++)
			found |= rd->role[i] == need[k];
		if (!found && !(usage && need[k] != FC_ROLE_TS)) {
			const char *r = fc_calib_role_names[need[k]];
			if (rd->o->columns[need[k]])
				rd_error(rd, 1, "no column named '%s' (given as --columns %s=%s)",
				    rd->o->columns[need[k]], r, rd->o->columns[need[k]]);
			else
				rd_error(rd, 1,
				    "no %s column (expected one of %s, %s, %s...; name it with --columns %s=COLUMN)",
				    r, synonyms[need[k]][0], synonyms[need[k]][1],
				    synonyms[need[k]][2], r);
			return;
		}
	}
	if (rd->fmt == FC_CALIB_AUTO)
		rd->fmt = csv_kind(rd);
	calib_note_format(rd->c, rd->fmt);
	rd->header_done = 1;
}

static void
csv_cb_row(int ch, void *data)
{
	struct reader *rd = data;

	(void)ch;
	if (rd->stop)
		return;
	if (!rd->header_done)
		csv_header_done(rd);
	else
		rec_finish(rd, rd->rec_line);
	rd->line = rd->rec_line + 1 + rd->nl_in_rec;
	rd->rec_line = rd->line;
	rd->nl_in_rec = 0;
	rd->col = 0;
	rec_clear(&rd->r);
}

/* ---- input ---- */

struct input {
	gzFile gz;           /* or */
	const char *buf;     /* memory */
	size_t len, off;
	const char *path;    /* for progress */
	double size;         /* bytes of the file, 0 unknown */
};

static long
in_read(struct input *in, char *dst, size_t n)
{
	if (in->gz) {
		int k = gzread(in->gz, dst, (unsigned)n);
		return k;
	}
	if (in->off >= in->len)
		return 0;
	if (n > in->len - in->off)
		n = in->len - in->off;
	memcpy(dst, in->buf + in->off, n);
	in->off += n;
	return (long)n;
}

/* Reports the bytes of the file consumed (compressed bytes for gzip). */
static void
in_progress(const struct reader *rd, struct input *in)
{
	if (rd->o->progress && in->gz)
		rd->o->progress(rd->o->progress_ctx, in->path, (double)gzoffset(in->gz), in->size);
}

static void
read_csv(struct reader *rd, struct input *in, char *buf, long have)
{
	long k = have;

	if (csv_init(&rd->p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		rd->st = FC_ENOMEM;
		return;
	}
	csv_set_realloc_func(&rd->p, fc_realloc);
	csv_set_free_func(&rd->p, fc_free);
	rd->line = rd->rec_line = 1;
	rec_clear(&rd->r);
	while (k > 0 && !rd->stop) {
		if (csv_parse(&rd->p, buf, (size_t)k, csv_cb_field, csv_cb_row, rd) != (size_t)k &&
		    !rd->stop) {
			if (csv_error(&rd->p) == CSV_ENOMEM)
				rd->st = FC_ENOMEM, rd->stop = 1;
			else
				rd_error(rd, rd->rec_line, "malformed CSV: %s (a quote inside an unquoted field?)",
				    csv_strerror(csv_error(&rd->p)));
			break;
		}
		in_progress(rd, in);
		k = in_read(in, buf, CHUNK);
	}
	if (k < 0 && !rd->stop)
		rd_error(rd, 0, "cannot read: %s", "gzip data error");
	if (!rd->stop && csv_fini(&rd->p, csv_cb_field, csv_cb_row, rd) != 0 && !rd->stop)
		rd_error(rd, rd->rec_line, "malformed CSV: an unterminated quoted field");
	if (!rd->header_done && !rd->stop)
		rd_error(rd, 0, "empty file: expected a header row");
	csv_free(&rd->p);
}

/* JSON Lines: one record per line; memory bounded by the longest line. */
static void
read_jsonl(struct reader *rd, struct input *in, char *buf, long have)
{
	char *line = NULL, *nl;
	size_t len = 0, cap = 0, off = 0;
	long k = have, lno = 1;

	while (!rd->stop) {
		if (off >= (size_t)k) {
			in_progress(rd, in);
			if ((k = in_read(in, buf, CHUNK)) <= 0)
				break;
			off = 0;
		}
		nl = memchr(buf + off, '\n', (size_t)k - off);
		{
			size_t n = (nl ? (size_t)(nl - buf) : (size_t)k) - off;
			if (len + n + 1 > cap) {
				size_t ncap = (len + n + 1) * 2;
				char *t = fc_realloc(line, ncap);
				if (t == NULL) {
					rd->st = FC_ENOMEM;
					break;
				}
				line = t;
				cap = ncap;
			}
			memcpy(line + len, buf + off, n);
			len += n;
			off += n + (nl ? 1 : 0);
		}
		if (nl) {
			json_line(rd, line, len, lno++);
			len = 0;
		}
	}
	if (len && !rd->stop)
		json_line(rd, line, len, lno);
	fc_free(line);
}

/* A whole JSON document, read into memory. */
static void
read_json_doc(struct reader *rd, struct input *in, char *buf, long have)
{
	char *all = NULL, *t;
	size_t len = 0, cap = 0;
	long k = have;

	while (k > 0) {
		if (len + (size_t)k > cap) {
			cap = (len + (size_t)k) * 2;
			if ((t = fc_realloc(all, cap)) == NULL) {
				rd->st = FC_ENOMEM;
				fc_free(all);
				return;
			}
			all = t;
		}
		memcpy(all + len, buf, (size_t)k);
		len += (size_t)k;
		in_progress(rd, in);
		k = in_read(in, buf, CHUNK);
	}
	json_document(rd, all ? all : "", len);
	fc_free(all);
}

/* Is the first line of buf a whole JSON value (JSON Lines)? */
static int
first_line_is_json(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	json_t *v;

	if (nl == NULL)
		return 0;   /* one line: read as a document */
	v = json_loadb(buf, (size_t)(nl - buf), 0, NULL);
	json_decref(v);
	return v != NULL;
}

static enum fc_status
read_input(struct fc_calib *c, const char *name, struct input *in, struct fc_diags *d)
{
	struct reader *rd = fc_calloc(1, sizeof(*rd));
	char *buf = fc_malloc(CHUNK);
	long k;
	size_t i = 0;
	enum fc_status st;

	if (rd == NULL || buf == NULL) {
		fc_free(rd);
		fc_free(buf);
		return FC_ENOMEM;
	}
	rd->c = c;
	rd->o = calib_opts(c);
	rd->d = d;
	rd->file = fc_diags_intern(d, name);
	rd->fmt = rd->o->format == FC_CALIB_AUTO ? FC_CALIB_AUTO : rd->o->format;
	k = in_read(in, buf, CHUNK);
	if (k < 0) {
		rd_error(rd, 0, "cannot read: not a readable gzip or plain file");
	} else {
		if (k >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
		    (unsigned char)buf[2] == 0xBF)
			i = 3;
		while (i < (size_t)k && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' ||
		    buf[i] == '\t'))
			i++;
		if (k == 0 || i == (size_t)k)
			rd_error(rd, 0, "empty file: no usable row");
		else if (buf[i] == '[' || buf[i] == '{') {
			if (i)
				memmove(buf, buf + i, (size_t)k - i), k -= (long)i;
			if (buf[0] == '{' && first_line_is_json(buf, (size_t)k))
				read_jsonl(rd, in, buf, k);
			else
				read_json_doc(rd, in, buf, k);
			if (rd->fmt == FC_CALIB_AUTO)
				calib_note_format(c, FC_CALIB_CSV);
		} else {
			read_csv(rd, in, buf, k);
		}
	}
	st = rd->st;
	for (i = 0; i < (size_t)rd->ncols; i++)
		fc_free(rd->name[i]);
	fc_free(rd);
	fc_free(buf);
	return st;
}

enum fc_status
fc_calib_read_mem(struct fc_calib *c, const char *name, const char *buf,
    size_t len, struct fc_diags *d)
{
	struct input in = { NULL, buf, len, 0, name, 0 };

	return read_input(c, name, &in, d);
}

enum fc_status
fc_calib_read(struct fc_calib *c, const char *path, struct fc_diags *d)
{
	struct input in = { NULL, NULL, 0, 0, path, 0 };
	enum fc_status st;
	int isstdin = strcmp(path, "-") == 0;
	struct stat sb;

	if (!isstdin && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		in.size = (double)sb.st_size;

	in.gz = isstdin ? gzdopen(0, "rb") : gzopen(path, "rb");
	if (in.gz == NULL) {
		struct fc_loc loc = { fc_diags_intern(d, path), 0, 0, 0 };
		fc_error(d, loc, "cannot open: %s", strerror(errno ? errno : ENOMEM));
		return FC_EIO;
	}
	gzbuffer(in.gz, CHUNK);
	st = read_input(c, isstdin ? "<stdin>" : path, &in, d);
	gzclose(in.gz);
	return st;
}
