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
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "calib_int.h"

#define CHUNK (1 << 20)
#define MAX_COLS 512
#define ROLE_USAGE FC_NROLES      /* Langfuse usage object (JSON text in CSV) */
#define ROLE_META (FC_NROLES + 1) /* LiteLLM metadata: trace_id, else session_id */
#define ROLE_SESSION (FC_NROLES + 2) /* LiteLLM's session_id column (its litellm_trace_id) */
#define ROLE_TAGS (FC_NROLES + 3) /* LiteLLM's request_tags: a list of strings */
#define NR (FC_NROLES + 4)
/* Where a row's trace id comes from when no trace column or key gives one,
 * the first found of (a higher number wins): */
#define ALT_TAG 1         /* request_tags: "trace_id:X" (or session_id:X, ...) */
#define ALT_META_SESSION 2 /* metadata.session_id */
#define ALT_SESSION 3     /* a session_id column or key */
#define ALT_META_TRACE 4  /* metadata.trace_id */
#define PATHED 100                /* PATHED + r: a JSON cell holding role r at the
                                   * dotted path of --columns r=COLUMN.PATH */
#define SLEN 256
#define JSON_MAX_DEPTH 64     /* a log record nests a few levels */

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
	[FC_ROLE_CALL_END] = { "endTime", "end_time", NULL },
	[ROLE_USAGE] = { "usage_details", "usageDetails", "usage", NULL },
	[ROLE_META] = { "metadata", NULL },
	[ROLE_SESSION] = { "session_id", "sessionId", NULL },
	[ROLE_TAGS] = { "request_tags", NULL },
};

/* The role of a column or key named name (-1: none).  A role named in
 * --columns matches only that name. */
static int
role_of(const struct fc_calib_opts *o, const char *name)
{
	int r, k;

	for (r = 0; r < FC_NROLES; r++) {
		const char *dot;
		if (!o->columns[r])
			continue;
		if (strcmp(o->columns[r], name) == 0)
			return r;
		dot = strchr(o->columns[r], '.');
		if (dot && strlen(name) == (size_t)(dot - o->columns[r]) &&
		    strncmp(o->columns[r], name, (size_t)(dot - o->columns[r])) == 0)
			return PATHED + r;
	}
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
	int alt;                   /* ALT_*: the trace id in alt_trace came from there */
	char alt_trace[SLEN];
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
	int seen[FC_NROLES];       /* a record had a value for the role */
	struct rec r;
};

static void
rec_clear(struct rec *r)
{
	/* v[] and s[] are read only where have[] is set */
	memset(r->have, 0, sizeof(r->have));
	r->bad = 0;
	r->alt = 0;
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

/* A decimal number as the man page lists them: digits with an optional
 * fraction and exponent (12, 12.5, .5, 1e3, 1.5E+3); no sign, hex,
 * inf, nan or spaces.  1 when s is one. */
static int
decimal(const char *s)
{
	const char *p = s;
	int d = 0;

	for (; *p >= '0' && *p <= '9'; p++)
		d = 1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			d = 1;
	if (!d)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static int
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static long
month_days(long y, long m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* The end of a time: nothing (UTC), Z, UTC or an offset +hh:mm, +hhmm,
 * +hh (hours at most 23, minutes at most 59) into *off, seconds east of
 * UTC.  -1 when p is anything else. */
static int
zone(const char *p, double *off)
{
	long oh, om = 0;
	int sg;

	*off = 0;
	if (*p == ' ')
		p++;
	if (*p == 'Z' || strcmp(p, "UTC") == 0)
		return p[*p == 'Z' ? 1 : 3] ? -1 : 0;
	if (*p != '+' && *p != '-')
		return *p ? -1 : 0;
	sg = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &oh) || oh > 23)
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &om))
			return -1;
	} else if (digits(&p, 2, &om)) {
		om = 0;
	}
	if (om > 59 || *p)
		return -1;
	*off = sg * (double)(oh * 3600 + om * 60);
	return 0;
}

/* ISO 8601 (2024-05-01T12:00:00.123Z, a space for T, +hh:mm offsets,
 * date only) or Unix seconds (milliseconds above 1e11).  -1 if neither. */
int
fc_calib_parse_time(const char *s, double *out)
{
	const char *p = s;
	long y, mo, d, h = 0, mi = 0, se = 0;
	double frac = 0, t, off;
	char *end;

	if (digits(&p, 4, &y) != 0 || *p != '-') {
		if (!decimal(s))
			return -1;
		t = strtod(s, &end);
		if (!isfinite(t))
			return -1;
		*out = t > 1e11 ? t / 1000 : t;
		return 0;
	}
	p++;
	if (digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) || mo < 1 ||
	    mo > 12 || d < 1 || d > month_days(y, mo))
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
				if (p[1] < '0' || p[1] > '9')
					return -1;
				for (p++; *p >= '0' && *p <= '9'; p++, sc /= 10)
					frac += (*p - '0') * sc;
			}
		}
	}
	t = (double)days_from_civil(y, mo, d) * FC_SECONDS_PER_DAY + (double)(h * 3600 + mi * 60 + se) + frac;
	if (zone(p, &off) != 0)
		return -1;
	*out = t - off;
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
	case FC_ROLE_TS: case FC_ROLE_END: case FC_ROLE_CALL_END:
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
			return rec_bad(r, "'%s': longer than %d bytes: '%.40s...'", name, SLEN - 1, val);
		memcpy(r->s[role], val, n);
		r->s[role][n] = '\0';
		r->have[role] = 1;
		return;
	}
	case FC_ROLE_TS: case FC_ROLE_END: case FC_ROLE_CALL_END:
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
		x = decimal(val) ? strtod(val, &end) : NAN;
		if (!isfinite(x))
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

/* The limits of RESOURCE LIMITS in flatcost(1), checked as the bytes
 * come, so that a bomb stops within its first megabytes. */
static void
too_long(struct reader *rd, long line, const char *what, size_t lim)
{
	rd_error(rd, line, "%s over %zu MiB: not a usage log (the limit is in RESOURCE LIMITS "
	    "of flatcost(1))", what, lim >> 20);
}

/* A bad row: counted while under --skip-bad, else the error. */
static void
bad_row(struct reader *rd, long line, const char *msg)
{
	char where[48] = "";

	if (fc_calib_bad_rows(rd->c) < (double)rd->o->skip_bad) {
		fc_calib_note_bad(rd->c);
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

	int i;

	if (!r->have[FC_ROLE_TRACE] && r->alt > 0) {
		memcpy(r->s[FC_ROLE_TRACE], r->alt_trace, sizeof(r->alt_trace));
		r->have[FC_ROLE_TRACE] = 1;
	}
	for (i = 0; i < FC_NROLES; i++)
		rd->seen[i] |= r->have[i];
	if (r->bad)
		return bad_row(rd, line, r->msg);
	if (r->have[FC_ROLE_TYPE] && strcmp(r->s[FC_ROLE_TYPE], "GENERATION") != 0)
		return;    /* a Langfuse span or event, not an LLM call */
	if (!r->have[FC_ROLE_TS])
		return bad_row(rd, line, "no timestamp: the row's time column is empty");
	if (r->have[FC_ROLE_CACHE_HIT] && r->v[FC_ROLE_CACHE_HIT] == 1) {
		fc_calib_note_cache_hit(rd->c);    /* the proxy answered: no API call */
		return;
	}
	if (!r->have[FC_ROLE_IN] && !r->have[FC_ROLE_OUT])
		return bad_row(rd, line, "no token counts: the row's input and output token columns are empty");
	cr.ts = r->v[FC_ROLE_TS];
	cr.t_end = r->have[FC_ROLE_END] ? r->v[FC_ROLE_END] : NAN;
	cr.t_done = r->have[FC_ROLE_CALL_END] ? r->v[FC_ROLE_CALL_END] : NAN;
	if (cr.t_done < cr.ts)
		return bad_row(rd, line, "the call ends before it starts (end time before its start time)");
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
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	default: return "null";
	}
}

/* Stores the JSON value v of a field of role into r: null is absent; a
 * string is read as its text would be in a CSV; numbers for numbers,
 * times and ids; true/false for flags; anything else is an error. */
static void
json_set(struct rec *r, int role, const char *name, json_t *v)
{
	char buf[64];
	int flag = role == FC_ROLE_OK || role == FC_ROLE_BATCH || role == FC_ROLE_CACHE_HIT;
	int text = role == FC_ROLE_USER || role == FC_ROLE_END_USER || role == FC_ROLE_TRACE ||
	    role == FC_ROLE_MODEL || role == FC_ROLE_TYPE;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v))
		return rec_set(r, role, name, json_string_value(v));
	if (json_is_boolean(v) && flag)
		return rec_set(r, role, name, json_is_true(v) ? "1" : "0");
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		return rec_set(r, role, name, buf);
	}
	if (json_is_real(v) && !flag && !text) {
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
		return rec_set(r, role, name, buf);
	}
	rec_bad(r, "'%s': expected %s, got %s", name, text ? "a string or a whole number" :
	    role_what(role), json_type_name(v));
}

/* A trace id found where a format keeps one when no trace column gives it
 * (ALT_*: the higher wins), as JSON value v or text str, read as a trace
 * id is (a string or a whole number, at most SLEN - 1 bytes). */
static void
alt_trace(struct rec *r, int alt, const char *name, json_t *v, const char *str)
{
	char save[SLEN];
	int had = r->have[FC_ROLE_TRACE];

	if (alt <= r->alt)
		return;
	memcpy(save, r->s[FC_ROLE_TRACE], sizeof(save));
	r->have[FC_ROLE_TRACE] = 0;
	if (v)
		json_set(r, FC_ROLE_TRACE, name, v);
	else
		rec_set(r, FC_ROLE_TRACE, name, str);
	if (r->have[FC_ROLE_TRACE]) {
		memcpy(r->alt_trace, r->s[FC_ROLE_TRACE], sizeof(r->alt_trace));
		r->alt = alt;
	}
	memcpy(r->s[FC_ROLE_TRACE], save, sizeof(save));
	r->have[FC_ROLE_TRACE] = had;
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

	for (i = 0; i < 3; i++)
		for (k = 0; lists[i][k]; k++) {
			json_t *v = json_object_get(u, lists[i][k]);
			if (v && !r->have[roles[i]]) {
				json_set(r, roles[i], lists[i][k], v);
				break;
			}
		}
}

/* The value at a dotted path (a.b.c) in v; NULL when absent. */
static json_t *
json_path(json_t *v, const char *path)
{
	char key[SLEN];

	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key) || !json_is_object(v))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (dot ? 1 : 0);
	}
	return v;
}

/* Tags (LiteLLM's request_tags: a list of strings, "KEY:VALUE" by
 * convention): with --columns ROLE=COLUMN.KEY, the VALUE of the tag KEY;
 * else a tag trace_id:, litellm_trace_id:, session_id: or
 * litellm_session_id: as the trace id when nothing better gives one. */
static void
json_tags(struct reader *rd, int role, const char *name, json_t *cell)
{
	static const char *const keys[] = { "trace_id", "litellm_trace_id", "session_id",
	    "litellm_session_id", NULL };
	const char *full = role >= PATHED ? rd->o->columns[role - PATHED] : NULL;
	const char *want = full ? strchr(full, '.') + 1 : NULL;
	struct rec *r = &rd->r;
	json_t *x;
	size_t i;
	int k;

	json_array_foreach(cell, i, x) {
		const char *t, *colon, *v;
		size_t n;
		if (!json_is_string(x))
			return rec_bad(r, "'%s': expected a list of strings (tags), got %s in it", name,
			    json_type_name(x));
		t = json_string_value(x);
		if ((colon = strchr(t, ':')) == NULL)
			continue;
		n = (size_t)(colon - t);
		v = colon + 1 + strspn(colon + 1, " ");   /* "KEY: VALUE" as header tags are */
		if (want) {
			if (strlen(want) == n && strncmp(t, want, n) == 0)
				return rec_set(r, role - PATHED, full, v);
			continue;
		}
		for (k = 0; keys[k]; k++)
			if (strlen(keys[k]) == n && strncmp(t, keys[k], n) == 0)
				alt_trace(r, ALT_TAG, "request_tags", NULL, v);
	}
}

/* A JSON cell (an object, or a string holding one, as LiteLLM writes its
 * metadata; a list for tags) of role code role: the dotted path of
 * --columns, LiteLLM's metadata.trace_id (else metadata.session_id), or
 * its request_tags, for the trace. */
static void
json_cell(struct reader *rd, int role, const char *name, json_t *cell)
{
	json_t *parsed = NULL, *v;
	struct rec *r = &rd->r;

	if (role < PATHED && rd->o->columns[FC_ROLE_TRACE])
		return;    /* the trace is the column named */
	if (json_is_string(cell)) {
		const char *t = json_string_value(cell);
		if (t[0] == '\0' || strcmp(t, "None") == 0)
			return;
		cell = parsed = json_loads(t, 0, NULL);
	}
	if (json_is_array(cell) && (role == ROLE_TAGS || role >= PATHED)) {
		json_tags(rd, role, name, cell);
		json_decref(parsed);
		return;
	}
	if (role == ROLE_TAGS) {
		if (cell == NULL || !json_is_null(cell))
			rec_bad(r, "'%s': expected a JSON list of tags", name);
		json_decref(parsed);
		return;
	}
	if (!json_is_object(cell)) {
		if (role >= PATHED && cell && !json_is_null(cell))
			rec_bad(r, "'%s': expected a JSON object for --columns %s=%s", name,
			    fc_calib_role_names[role - PATHED], rd->o->columns[role - PATHED]);
		else if (role >= PATHED && !cell)
			rec_bad(r, "'%s': not JSON, expected a JSON object for --columns %s=%s", name,
			    fc_calib_role_names[role - PATHED], rd->o->columns[role - PATHED]);
		json_decref(parsed);
		return;
	}
	if (role >= PATHED) {
		const char *full = rd->o->columns[role - PATHED];
		if ((v = json_path(cell, strchr(full, '.') + 1)) != NULL)
			json_set(r, role - PATHED, full, v);
	} else {
		if ((v = json_object_get(cell, "trace_id")) != NULL && !json_is_null(v))
			alt_trace(r, ALT_META_TRACE, "metadata.trace_id", v, NULL);
		if ((v = json_object_get(cell, "session_id")) != NULL && !json_is_null(v))
			alt_trace(r, ALT_META_SESSION, "metadata.session_id", v, NULL);
	}
	json_decref(parsed);
}

static void
json_fields(struct reader *rd, json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		int role = role_of(rd->o, key);
		if (role < 0)
			continue;
		if (role == ROLE_USAGE) {
			if (json_is_object(v))
				json_usage(&rd->r, v);
			continue;
		}
		if (role == ROLE_META || role == ROLE_TAGS || role >= PATHED) {
			json_cell(rd, role, key, v);
			continue;
		}
		if (role == ROLE_SESSION) {
			if (!rd->o->columns[FC_ROLE_TRACE])
				alt_trace(&rd->r, ALT_SESSION, key, v, NULL);
			continue;
		}
		json_set(&rd->r, role, key, v);
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

	if (!json_is_array(res))
		return bad_row(rd, line, "a usage bucket without a 'results' list");
	json_array_foreach(res, i, x) {
		rec_clear(&rd->r);
		if (!json_is_object(x)) {
			bad_row(rd, line, "a usage result that is not an object");
			continue;
		}
		json_set(&rd->r, FC_ROLE_TS, "start_time", json_object_get(b, "start_time"));
		json_set(&rd->r, FC_ROLE_END, "end_time", json_object_get(b, "end_time"));
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
		fc_calib_note_format(rd->c, k);
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

/* ---- CSV ---- */

static void
csv_header_field(struct reader *rd, const char *s)
{
	int role;

	if (rd->col >= MAX_COLS) {
		rd_error(rd, 1, "more than %d columns in the header", MAX_COLS);
		return;
	}
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
	if (len > 0 && memchr(str, '\n', len)) {
		/* newlines inside a quoted field: the next row's line number */
		size_t i;
		for (i = 0; i < len; i++)
			rd->nl_in_rec += str[i] == '\n';
	}
	if (len > FC_CALIB_MAX_FIELD)
		return too_long(rd, rd->rec_line, "a CSV field", FC_CALIB_MAX_FIELD);
	if (!rd->header_done) {
		csv_header_field(rd, str);
		rd->col++;
		return;
	}
	if (rd->col >= rd->ncols) {
		/* counted at the row's end; a row that never ends is stopped here */
		if (rd->col >= rd->ncols + MAX_COLS)
			rd_error(rd, rd->rec_line, "more than %d fields in a row (the header has %d)",
			    rd->ncols + MAX_COLS, rd->ncols);
		rd->col++;
		return;
	}
	role = rd->role[rd->col];
	if (role == ROLE_USAGE && len > 0) {
		json_t *u = json_loadb(str, len, 0, NULL);
		if (u && json_is_object(u))
			json_usage(&rd->r, u);
		json_decref(u);
	} else if (role == ROLE_SESSION) {
		if (!rd->o->columns[FC_ROLE_TRACE])
			alt_trace(&rd->r, ALT_SESSION, rd->name[rd->col], NULL, str);
	} else if ((role == ROLE_META || role == ROLE_TAGS || role >= PATHED) && len > 0) {
		json_t *cell = json_string(str);
		if (cell == NULL)
			rec_bad(&rd->r, "'%s': not UTF-8 text", rd->name[rd->col]);
		json_cell(rd, role, rd->name[rd->col], cell);
		json_decref(cell);
	} else if (role >= 0) {
		rec_set(&rd->r, role, rd->name[rd->col], str);
		if ((role == FC_ROLE_USER || role == FC_ROLE_END_USER || role == FC_ROLE_TRACE) &&
		    len > 0)
			fc_calib_prefetch(rd->c, role == FC_ROLE_TRACE, str);
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
			found |= rd->role[i] == need[k] || rd->role[i] == PATHED + need[k];
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
	for (k = 0; k < FC_NROLES; k++) {
		const char *col = rd->o->columns[k];
		found = 0;
		for (i = 0; col && i < rd->ncols; i++)
			found |= rd->role[i] == k || rd->role[i] == PATHED + k;
		if (col && !found) {
			rd_error(rd, 1, "no column named '%.*s' (given as --columns %s=%s)",
			    (int)strcspn(col, "."), col, fc_calib_role_names[k], col);
			return;
		}
	}
	if (rd->fmt == FC_CALIB_AUTO)
		rd->fmt = csv_kind(rd);
	fc_calib_note_format(rd->c, rd->fmt);
	rd->header_done = 1;
}

static void
csv_cb_row(int ch, void *data)
{
	struct reader *rd = data;

	(void)ch;
	if (rd->stop)
		return;
	if (!rd->header_done) {
		csv_header_done(rd);
	} else {
		if (rd->col != rd->ncols)
			rec_bad(&rd->r, "%d fields, the header has %d (a %s row)", rd->col,
			    rd->ncols, rd->col < rd->ncols ? "short" : "long");
		rec_finish(rd, rd->rec_line);
	}
	rd->line = rd->rec_line + 1 + rd->nl_in_rec;
	rd->rec_line = rd->line;
	rd->nl_in_rec = 0;
	rd->col = 0;
	rec_clear(&rd->r);
}

/* ---- input ---- */

/* Raw bytes from a file descriptor or memory; gzip members (any number,
 * back to back) inflated by zlib, anything after the last member refused,
 * a member cut short refused. */
struct input {
	int fd;                    /* -1: memory */
	const unsigned char *raw;  /* unread raw bytes: raw[roff, rlen) */
	size_t rlen, roff;
	unsigned char *rbuf;       /* fd: the raw buffer (CHUNK) */
	int eof;                   /* no more raw bytes after raw[rlen) */
	int gz;                    /* 0 plain, 1 inside a member, 2 after one */
	z_stream z;
	double raw_done;           /* raw bytes consumed */
	const char *path;          /* for progress */
	double size;               /* bytes of the file, 0 unknown */
	char err[200];             /* in_read returned -1: why */
	enum fc_status est;        /* and its status: FC_EIO (read() failed),
	                            * FC_ENOMEM, else FC_EINVAL (the data) */
	int failed;                /* err is set: the next read returns -1 */
};

/* Moves the unread raw bytes to the front and reads more; the raw bytes
 * available (0 at the end). */
static size_t
raw_more(struct input *in)
{
	ssize_t k;

	if (in->fd < 0 || in->eof)
		return in->rlen - in->roff;
	if (in->roff > 0) {
		memmove(in->rbuf, in->rbuf + in->roff, in->rlen - in->roff);
		in->rlen -= in->roff;
		in->roff = 0;
	}
	while (in->rlen < CHUNK) {
		k = read(in->fd, in->rbuf + in->rlen, CHUNK - in->rlen);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			/* a directory is the user's mistake, as fc_ynode_load_file says */
			in->est = errno == EISDIR ? FC_EINVAL : FC_EIO;
			snprintf(in->err, sizeof(in->err), "cannot read: %s", strerror(errno));
			return (size_t)-1;
		}
		if (k == 0) {
			in->eof = 1;
			break;
		}
		in->rlen += (size_t)k;
		break;
	}
	return in->rlen - in->roff;
}

static int
is_gzip(const struct input *in)
{
	return in->rlen - in->roff >= 2 && in->raw[in->roff] == 0x1f &&
	    in->raw[in->roff + 1] == 0x8b;
}

/* Up to n bytes of the log's text into dst: the count, 0 at its end, -1
 * on an error (in->err says it). */
static long
in_read(struct input *in, char *dst, size_t n)
{
	size_t avail = in->rlen - in->roff;
	int ret;

	if (in->failed)
		return -1;
	if (in->gz == 0) {
		if (avail == 0 && (avail = raw_more(in)) == (size_t)-1)
			return -1;
		if (n > avail)
			n = avail;
		memcpy(dst, in->raw + in->roff, n);
		in->roff += n;
		in->raw_done += (double)n;
		return (long)n;
	}
	for (;;) {
		if (in->gz == 2) {
			/* after a member: the end, or another member */
			if (avail < 2 && (avail = raw_more(in)) == (size_t)-1)
				return -1;
			if (avail == 0)
				return 0;
			if (!is_gzip(in)) {
				snprintf(in->err, sizeof(in->err), "trailing data after the gzip data "
				    "(at compressed byte %.0f, not another gzip member): a damaged file",
				    in->raw_done);
				return -1;
			}
			if (inflateReset(&in->z) != Z_OK)
				return snprintf(in->err, sizeof(in->err), "gzip: %s", "cannot restart"), -1;
			in->gz = 1;
		}
		if (avail == 0) {
			if ((avail = raw_more(in)) == (size_t)-1)
				return -1;
			if (avail == 0) {
				snprintf(in->err, sizeof(in->err), "truncated gzip data: the file ends "
				    "inside a compressed member (after %.0f compressed bytes)", in->raw_done);
				return -1;
			}
		}
		in->z.next_in = (unsigned char *)(uintptr_t)(in->raw + in->roff);
		in->z.avail_in = (unsigned)avail;
		in->z.next_out = (unsigned char *)dst;
		in->z.avail_out = (unsigned)n;
		ret = inflate(&in->z, Z_NO_FLUSH);
		in->raw_done += (double)(avail - in->z.avail_in);
		in->roff += avail - in->z.avail_in;
		avail = in->z.avail_in;
		if (ret == Z_STREAM_END)
			in->gz = 2;
		else if (ret == Z_MEM_ERROR)
			return in->est = FC_ENOMEM, -1;
		else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			snprintf(in->err, sizeof(in->err), "corrupt gzip data (%s, near compressed "
			    "byte %.0f)", in->z.msg ? in->z.msg : "inflate failed", in->raw_done);
			/* the text inflated so far first: the error at the line it reached */
			in->failed = 1;
			return n - in->z.avail_out > 0 ? (long)(n - in->z.avail_out) : -1;
		}
		if (n - in->z.avail_out > 0)
			return (long)(n - in->z.avail_out);
	}
}

/* Starts reading: gzip or plain, by the first two bytes.  -1 on error. */
static int
in_start(struct input *in)
{
	if (raw_more(in) == (size_t)-1)
		return -1;
	if (in->fd >= 0 && !in->eof && in->rlen < 2 && raw_more(in) == (size_t)-1)
		return -1;
	if (is_gzip(in)) {
		if (inflateInit2(&in->z, 15 + 16) != Z_OK)
			return in->est = FC_ENOMEM, -1;
		in->gz = 1;
	}
	return 0;
}

static void
in_end(struct input *in)
{
	if (in->gz)
		inflateEnd(&in->z);
	fc_free(in->rbuf);
}

/* Reports the raw bytes of the file consumed (compressed bytes for gzip). */
static void
in_progress(const struct reader *rd, struct input *in)
{
	if (rd->o->progress && in->fd >= 0)
		rd->o->progress(rd->o->progress_ctx, in->path, in->raw_done, in->size);
}

/* A read error: the line being read when the input failed; FC_EIO (with
 * the error) when read() failed, FC_ENOMEM (with none) when memory ran
 * out, else FC_EINVAL (damaged gzip data). */
static void
in_failed(struct reader *rd, struct input *in, long line)
{
	if (rd->stop)
		return;
	if (in->est == FC_ENOMEM) {
		rd->stop = 1;
		rd->st = FC_ENOMEM;
		return;
	}
	rd_error(rd, line, "%s", in->err[0] ? in->err : "cannot read");
	if (in->est == FC_EIO)
		rd->st = FC_EIO;
}

/* One line without a quote, split in place as libcsv would (spaces and
 * tabs around a field trimmed, a CR before the newline a terminator, a
 * blank line no row): the common case, without libcsv's byte machine. */
static void
csv_line(struct reader *rd, char *p, char *e)
{
	char *q, *f, *t;

	if (e > p && e[-1] == '\r')
		e--;
	for (q = p; q < e && (*q == ' ' || *q == '\t'); q++)
		;
	if (q == e)
		return;
	for (f = p;; f = q + 1) {
		for (q = f; q < e && *q != ','; q++)
			;
		for (; f < q && (*f == ' ' || *f == '\t'); f++)
			;
		for (t = q; t > f && (t[-1] == ' ' || t[-1] == '\t'); t--)
			;
		*t = '\0';
		csv_cb_field(f, (size_t)(t - f), rd);
		if (q >= e || rd->stop)
			break;
	}
	if (!rd->stop)
		csv_cb_row('\n', rd);
}

/* A chunk of CSV: lines without a quote split by csv_line when libcsv is
 * between rows, the rest (quoted fields, a line cut by the chunk's end)
 * through libcsv.  -1 on a CSV error (said). */
static int
csv_chunk(struct reader *rd, char *buf, size_t k)
{
	size_t off = 0, n;
	char *p, *nl, *quote = memchr(buf, '"', k);   /* the next quote; NULL: none left */

	while (off < k && !rd->stop) {
		p = buf + off;
		nl = memchr(p, '\n', k - off);
		if (quote && quote < p)
			quote = memchr(p, '"', k - off);
		if (nl && rd->p.pstate == 0 && rd->p.entry_pos == 0 && (quote == NULL || quote > nl)) {
			csv_line(rd, p, nl);
			off = (size_t)(nl - buf) + 1;
			continue;
		}
		n = nl ? (size_t)(nl - p) + 1 : k - off;
		if (csv_parse(&rd->p, p, n, csv_cb_field, csv_cb_row, rd) != n && !rd->stop) {
			if (csv_error(&rd->p) == CSV_ENOMEM)
				rd->st = FC_ENOMEM, rd->stop = 1;
			else
				rd_error(rd, rd->rec_line, "malformed CSV: %s (a quote inside an unquoted field?)",
				    csv_strerror(csv_error(&rd->p)));
			return -1;
		}
		off += n;
	}
	return 0;
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
	/* libcsv grows a field's buffer by this much at a time (128 bytes by
	 * default): a field near the 16 MiB limit would be copied about
	 * 130,000 times where realloc cannot grow in place */
	csv_set_blk_size(&rd->p, 1 << 16);
	rd->line = rd->rec_line = 1;
	rec_clear(&rd->r);
	while (k > 0 && !rd->stop) {
		if (memchr(buf, '\0', (size_t)k)) {
			rd_error(rd, rd->rec_line, "a NUL byte: binary data, not a CSV, JSON or "
			    "JSON Lines log (plain or gzip)");
			break;
		}
		if (csv_chunk(rd, buf, (size_t)k) != 0)
			break;
		if (!rd->stop && rd->p.entry_pos > FC_CALIB_MAX_FIELD)
			too_long(rd, rd->rec_line, "a CSV field", FC_CALIB_MAX_FIELD);
		if (rd->stop)
			break;
		in_progress(rd, in);
		k = in_read(in, buf, CHUNK);
	}
	if (k < 0)
		in_failed(rd, in, rd->rec_line);
	if (!rd->stop && csv_fini(&rd->p, csv_cb_field, csv_cb_row, rd) != 0 && !rd->stop)
		rd_error(rd, rd->rec_line, "malformed CSV: an unterminated quoted field");
	if (!rd->header_done && !rd->stop)
		rd_error(rd, 0, "empty file: expected a header row");
	csv_free(&rd->p);
}

/* ---- JSON: documents, arrays of records, JSON Lines ---- */

/* Splits a JSON text into records without holding more than one: the
 * elements of a top-level array, or top-level objects one after another
 * (JSON Lines when the first is on one line, else documents). */
struct jsplit {
	char *v;
	size_t len, cap;
	int depth, instr, esc, started, scalar;
	int array;          /* 0 not an array, 1 inside the top-level array, 2 after it */
	int elem;           /* array: an element since '[' or the last ',' */
	int jsonl;          /* -1 not known yet, 0 documents, 1 JSON Lines */
	long line, vline;   /* the line read; the record's first line */
	long vnl;           /* newlines inside the record */
	long n;             /* records */
};

static void
js_reset(struct jsplit *j)
{
	j->len = 0;
	j->depth = j->instr = j->esc = j->started = j->scalar = 0;
}

/* The record collected (or the JSON Lines line cut at a newline when
 * broken): parsed and read. */
static void
js_emit(struct reader *rd, struct jsplit *j, int broken)
{
	json_error_t err;
	json_t *v;
	char msg[240];
	long line = j->vline;

	if (j->jsonl < 0)
		j->jsonl = j->array == 0 && j->vnl == 0 && !broken;
	j->n++;
	rd->rec_index = j->n;
	v = broken ? NULL : json_loadb(j->v, j->len, JSON_DECODE_ANY, &err);
	if (v == NULL) {
		if (broken)
			snprintf(msg, sizeof(msg), "invalid JSON: the line ends inside a record");
		else
			snprintf(msg, sizeof(msg), "invalid JSON: %s", err.text);
		if (!broken && err.line > 1)
			line += err.line - 1;
		if (j->jsonl == 1 || j->array)
			bad_row(rd, line, msg);
		else
			rd_error(rd, line, "%s", msg);
	} else {
		json_record(rd, v, line);
		json_decref(v);
	}
	js_reset(j);
}

static int
js_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A byte outside any record: separators, the array's brackets, or the
 * start of a record.  0 to go on collecting c, 1 when c is used up. */
static int
js_between(struct reader *rd, struct jsplit *j, char c)
{
	if (js_space(c))
		return 1;
	if (j->array == 1) {
		if (c == ',' && j->elem) {
			j->elem = 0;
			return 1;
		}
		if (c == ']' && (j->elem || j->n == 0)) {
			j->array = 2;
			return 1;
		}
		if (c == ',' || c == ']' || j->elem) {
			rd_error(rd, j->line, "invalid JSON: '%c' where a record, ',' or ']' was expected", c);
			return 1;
		}
		j->elem = 1;
	} else if (j->array == 2) {
		rd_error(rd, j->line, "invalid JSON: data after the end of the top-level array");
		return 1;
	} else if (c == '[' && j->n == 0) {
		j->array = 1;
		return 1;
	} else if (c != '{') {
		rd_error(rd, j->line, "invalid JSON: expected a record ('{') or an array of "
		    "records ('['), got '%c'", c);
		return 1;
	}
	j->started = 1;
	j->vline = j->line;
	j->vnl = 0;
	j->scalar = c != '{' && c != '[';
	return 0;
}

/* The bytes that change the splitter's state outside a string. */
static const unsigned char js_special[256] = {
	['\0'] = 1, ['\n'] = 1, ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1,
};

/* Appends n bytes to the record; -1 (stopped) past the limit or on
 * FC_ENOMEM. */
static int
js_append(struct reader *rd, struct jsplit *j, const char *p, size_t n)
{
	if (j->len + n > j->cap) {
		size_t ncap = j->cap ? j->cap : 4096;
		char *t;
		if (j->len + n > FC_CALIB_MAX_RECORD) {
			too_long(rd, j->vline, "a JSON record", FC_CALIB_MAX_RECORD);
			return -1;
		}
		while (ncap < j->len + n)
			ncap *= 2;
		if ((t = fc_realloc(j->v, ncap)) == NULL) {
			rd->st = FC_ENOMEM;
			rd->stop = 1;
			return -1;
		}
		j->v = t;
		j->cap = ncap;
	}
	memcpy(j->v + j->len, p, n);
	j->len += n;
	return 0;
}

/* One byte of the JSON text. */
static void
js_byte(struct reader *rd, struct jsplit *j, char c)
{
	if (!j->started && js_between(rd, j, c)) {
		j->line += c == '\n';
		return;
	}
	if (j->scalar && !j->instr && (c == ',' || c == ']' || js_space(c))) {
		js_emit(rd, j, 0);
		if (!rd->stop)
			js_byte(rd, j, c);
		return;
	}
	if (js_append(rd, j, &c, 1) != 0)
		return;
	if (c == '\n') {
		j->line++;
		j->vnl++;
		if (j->jsonl == 1 && !j->array) {
			j->len--;
			return js_emit(rd, j, 1);   /* JSON Lines: a record never spans lines */
		}
	}
	if (j->instr) {
		if (j->esc)
			j->esc = 0;
		else if (c == '\\')
			j->esc = 1;
		else if (c == '"')
			j->instr = 0;
		return;
	}
	if (c == '"') {
		j->instr = 1;
	} else if (c == '{' || c == '[') {
		if (++j->depth > JSON_MAX_DEPTH)
			rd_error(rd, j->line, "invalid JSON: nested more than %d deep", JSON_MAX_DEPTH);
	}
	else if ((c == '}' || c == ']') && --j->depth == 0 && !j->scalar)
		js_emit(rd, j, 0);
}

static void
read_json(struct reader *rd, struct input *in, char *buf, long have)
{
	struct jsplit j;
	long k = have, i;

	memset(&j, 0, sizeof(j));
	j.jsonl = -1;
	j.line = 1;
	while (k > 0 && !rd->stop) {
		for (i = 0; i < k && !rd->stop; i++) {
			long i0 = i;
			/* inside a record: runs of plain bytes copied at once */
			if (j.started && !j.scalar && !j.esc) {
				if (j.instr)
					while (i < k && buf[i] != '"' && buf[i] != '\\' && buf[i] != '\n' &&
					    buf[i] != '\0')
						i++;
				else
					while (i < k && !js_special[(unsigned char)buf[i]])
						i++;
				if (i > i0 && js_append(rd, &j, buf + i0, (size_t)(i - i0)) != 0)
					break;
				if (i == k)
					break;
			}
			if (buf[i] == '\0') {
				rd_error(rd, j.line, "a NUL byte: binary data, not a JSON log");
				break;
			}
			js_byte(rd, &j, buf[i]);
		}
		if (rd->stop)
			break;
		in_progress(rd, in);
		k = in_read(in, buf, CHUNK);
	}
	if (k < 0)
		in_failed(rd, in, j.line);
	if (!rd->stop && j.started && j.scalar)
		js_emit(rd, &j, 0);
	if (!rd->stop && j.started)
		rd_error(rd, j.vline, "invalid JSON: the file ends inside the record starting "
		    "on this line (truncated?)");
	else if (!rd->stop && j.array == 1)
		rd_error(rd, j.line, "invalid JSON: the file ends inside the top-level array (truncated?)");
	fc_free(j.v);
}

static enum fc_status
read_input(struct fc_calib *c, const char *name, struct input *in, struct fc_diags *d)
{
	struct reader *rd = fc_calloc(1, sizeof(*rd));
	char *buf = fc_malloc(CHUNK);
	long k = 0;
	size_t i = 0;
	enum fc_status st;

	if (rd == NULL || buf == NULL) {
		fc_free(rd);
		fc_free(buf);
		in_end(in);
		return FC_ENOMEM;
	}
	rd->c = c;
	rd->o = fc_calib_get_opts(c);
	rd->d = d;
	rd->file = fc_diags_intern(d, name);
	if (d->oom) {
		fc_free(rd);
		fc_free(buf);
		in_end(in);
		return FC_ENOMEM;
	}
	rd->fmt = rd->o->format == FC_CALIB_AUTO ? FC_CALIB_AUTO : rd->o->format;
	if (in_start(in) != 0)
		k = -1;     /* unreadable from its first byte (not "empty") */
	else if ((k = in_read(in, buf, CHUNK)) >= 3 &&
	    memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(buf, buf + 3, (size_t)k - 3);    /* a UTF-8 BOM */
		k -= 3;
	}
	while (k > 0 && i < (size_t)k && (buf[i] == ' ' || buf[i] == '\n' ||
	    buf[i] == '\r' || buf[i] == '\t'))
		i++;
	if (k < 0) {
		in_failed(rd, in, 0);
	} else if (k == 0 || i == (size_t)k) {
		rd_error(rd, 0, "empty file: no usable row");
	} else if ((buf[i] == '[' || buf[i] == '{') ? rd->o->format == FC_CALIB_CSV :
	    rd->o->format == FC_CALIB_OPENAI) {
		rd_error(rd, 0, "--log-format %s: this log is %s, which that format never is "
		    "(--log-format auto detects it)", fc_calib_format_name(rd->o->format),
		    buf[i] == '[' || buf[i] == '{' ? "JSON" : "not JSON (CSV?)");
	} else if (buf[i] == '[' || buf[i] == '{') {
		/* a blank start before the JSON: lines counted by the splitter */
		read_json(rd, in, buf, k);
		if (rd->fmt == FC_CALIB_AUTO)
			fc_calib_note_format(c, FC_CALIB_CSV);
	} else {
		read_csv(rd, in, buf, k);
	}
	for (i = 0; i < FC_NROLES && !rd->stop && rd->st == FC_OK && k > 0; i++)
		if (rd->o->columns[i] && !rd->seen[i])
			rd_error(rd, 0, "no row has a value at '%s' (given as --columns %s=%s)",
			    rd->o->columns[i], fc_calib_role_names[i], rd->o->columns[i]);
	st = rd->st;
	for (i = 0; i < (size_t)rd->ncols; i++)
		fc_free(rd->name[i]);
	fc_free(rd);
	fc_free(buf);
	in_end(in);
	return st;
}

enum fc_status
fc_calib_read_mem(struct fc_calib *c, const char *name, const char *buf,
    size_t len, struct fc_diags *d)
{
	struct input in;

	memset(&in, 0, sizeof(in));
	in.fd = -1;
	in.raw = (const unsigned char *)buf;
	in.rlen = len;
	in.eof = 1;
	in.path = name;
	return read_input(c, name, &in, d);
}

enum fc_status
fc_calib_read(struct fc_calib *c, const char *path, struct fc_diags *d)
{
	struct input in;
	int isstdin = strcmp(path, "-") == 0;
	struct stat sb;

	memset(&in, 0, sizeof(in));
	in.path = path;
	in.fd = isstdin ? 0 : open(path, O_RDONLY);
	if (in.fd < 0 || (in.rbuf = fc_malloc(CHUNK)) == NULL) {
		int e = errno;
		struct fc_loc loc = { fc_diags_intern(d, path), 0, 0, 0 };
		if (in.fd < 0) {
			if (d->oom)
				return FC_ENOMEM;
			/* a path that names no file is the user's mistake
			 * (exit 2), as a scenario's is; other failures the
			 * system's (exit 3) */
			fc_error(d, loc, "cannot open: %s", strerror(e));
			return e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP ?
			    FC_EINVAL : FC_EIO;
		}
		if (!isstdin)
			close(in.fd);
		return FC_ENOMEM;
	}
	in.raw = in.rbuf;
	if (fstat(in.fd, &sb) == 0 && S_ISREG(sb.st_mode))
		in.size = (double)sb.st_size;
	{
		enum fc_status st = read_input(c, isstdin ? "<stdin>" : path, &in, d);
		if (!isstdin)
			close(in.fd);
		return st;
	}
}
