/*
 * stream.c: NDJSON and Server-Sent Events parsers, fed in arbitrary pieces,
 * and the interpretation of Ollama and OpenAI-compatible stream records.
 *
 * The SSE rules follow the WHATWG HTML "server-sent events" section: lines
 * end at CR, LF or CRLF (a CR at the end of one piece and an LF at the
 * start of the next are one line end), a leading BOM is dropped, a field
 * is `name: value` with one optional space after the colon, and a blank
 * line dispatches the data lines joined by '\n'.  Unlike the standard, an
 * event whose data is empty is dropped (records are never empty), and an
 * event left without its blank line at the end of the body is still
 * dispatched by fc_stream_finish(), so that a server that forgets the
 * last blank line loses no figures.
 */
#include "stream.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MAX (1u << 20)
#define LINE_SLACK 64         /* an SSE line holds "data: " besides the record */

struct fc_stream {
	enum fc_stream_kind kind;
	size_t max;
	char *line;           /* the line being read */
	size_t n, cap;
	char *data;           /* SSE: data of the event being read */
	size_t dn, dcap;
	int has_data;         /* SSE: a data field was seen in this event */
	int after_cr;         /* the last byte fed was a CR */
	int started;          /* bytes were seen (BOM check done) */
	size_t records;
};

struct fc_stream *
fc_stream_new(enum fc_stream_kind kind, size_t max_record)
{
	struct fc_stream *s = fc_calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->kind = kind;
	s->max = max_record ? max_record : DEFAULT_MAX;
	return s;
}

void
fc_stream_free(struct fc_stream *s)
{
	if (s == NULL)
		return;
	fc_free(s->line);
	fc_free(s->data);
	fc_free(s);
}

size_t
fc_stream_records(const struct fc_stream *s)
{
	return s->records;
}

static enum fc_status
too_long(struct fc_stream *s, struct fc_diags *d)
{
	struct fc_loc loc = { "stream", (int)s->records + 1, 0, 0 };

	fc_error(d, loc, "record longer than %zu bytes", s->max);
	return FC_ERANGE;
}

static enum fc_status
append(char **p, size_t *n, size_t *cap, const char *src, size_t len,
    size_t max)
{
	if (*n + len > max)
		return FC_ERANGE;
	if (*n + len + 1 > *cap) {
		size_t ncap = *cap ? *cap : 256;
		char *np;

		while (ncap < *n + len + 1)
			ncap *= 2;
		np = fc_realloc(*p, ncap);
		if (np == NULL)
			return FC_ENOMEM;
		*p = np;
		*cap = ncap;
	}
	memcpy(*p + *n, src, len);
	*n += len;
	(*p)[*n] = '\0';
	return FC_OK;
}

static enum fc_status
emit(struct fc_stream *s, const char *data, size_t len, fc_stream_fn fn,
    void *ctx)
{
	s->records++;
	return fn(ctx, data, len) ? FC_EDOM : FC_OK;
}

static enum fc_status
sse_dispatch(struct fc_stream *s, fc_stream_fn fn, void *ctx)
{
	enum fc_status st = FC_OK;

	/* the data lines were each followed by '\n': drop the last.  An
	 * event with empty data ("data:" alone, a keep-alive) carries no
	 * record and is not passed on, though WHATWG would dispatch it. */
	if (s->has_data && s->dn > 1)
		st = emit(s, s->data, s->dn - 1, fn, ctx);
	s->dn = 0;
	s->has_data = 0;
	return st;
}

/* One complete line (terminator removed). */
static enum fc_status
on_line(struct fc_stream *s, const char *l, size_t n, fc_stream_fn fn,
    void *ctx, struct fc_diags *d)
{
	const char *colon, *val;
	size_t flen, vlen;
	enum fc_status st;

	if (s->kind == FC_STREAM_NDJSON) {
		size_t i;

		if (n > 0 && l[n - 1] == '\r')     /* CRLF line end */
			n--;
		for (i = 0; i < n; i++)
			if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
				break;
		if (i == n)
			return FC_OK;           /* blank line: nothing */
		if (n > s->max)
			return too_long(s, d);
		return emit(s, l, n, fn, ctx);
	}
	if (n == 0)
		return sse_dispatch(s, fn, ctx);
	if (l[0] == ':')
		return FC_OK;                   /* comment (keep-alive) */
	colon = memchr(l, ':', n);
	flen = colon ? (size_t)(colon - l) : n;
	if (flen != 4 || memcmp(l, "data", 4) != 0)
		return FC_OK;                   /* event, id, retry, unknown */
	val = colon ? colon + 1 : l + n;
	vlen = (size_t)(l + n - val);
	if (vlen > 0 && *val == ' ') {
		val++;
		vlen--;
	}
	s->has_data = 1;
	st = append(&s->data, &s->dn, &s->dcap, val, vlen, s->max);
	if (st == FC_OK)
		st = append(&s->data, &s->dn, &s->dcap, "\n", 1, s->max + 1);
	if (st == FC_ERANGE)
		return too_long(s, d);
	return st;
}

enum fc_status
fc_stream_feed(struct fc_stream *s, const char *buf, size_t len,
    fc_stream_fn fn, void *ctx, struct fc_diags *d)
{
	size_t i = 0;
	enum fc_status st;

	if (!s->started && len > 0) {
		/* a UTF-8 BOM can only be split across pieces pathologically;
		 * check it when the first piece holds all three bytes */
		if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			i = 3;
		s->started = 1;
	}
	while (i < len) {
		const char *p = buf + i;
		size_t k, rest = len - i;

		if (s->after_cr) {
			s->after_cr = 0;
			if (*p == '\n' && s->kind == FC_STREAM_SSE) {
				i++;
				continue;
			}
		}
		/* find the next line end */
		for (k = 0; k < rest; k++)
			if (p[k] == '\n' || (s->kind == FC_STREAM_SSE && p[k] == '\r'))
				break;
		if (k == rest) {                 /* no end yet: keep the piece */
			st = append(&s->line, &s->n, &s->cap, p, k, s->max + LINE_SLACK);
			if (st == FC_ERANGE)
				return too_long(s, d);
			return st;
		}
		if (s->n > 0) {
			st = append(&s->line, &s->n, &s->cap, p, k, s->max + LINE_SLACK);
			if (st == FC_ERANGE)
				return too_long(s, d);
			if (st != FC_OK)
				return st;
			st = on_line(s, s->line, s->n, fn, ctx, d);
			s->n = 0;
		} else {
			if (k > s->max + LINE_SLACK)
				return too_long(s, d);
			st = on_line(s, p, k, fn, ctx, d);
		}
		if (st != FC_OK)
			return st;
		if (p[k] == '\r')
			s->after_cr = 1;
		i += k + 1;
	}
	return FC_OK;
}

enum fc_status
fc_stream_finish(struct fc_stream *s, fc_stream_fn fn, void *ctx,
    struct fc_diags *d)
{
	enum fc_status st = FC_OK;

	if (s->n > 0) {
		st = on_line(s, s->line, s->n, fn, ctx, d);
		s->n = 0;
	}
	if (st == FC_OK && s->kind == FC_STREAM_SSE)
		st = sse_dispatch(s, fn, ctx);
	return st;
}

/* ---- records ---- */

static void
rec_init(struct fc_stream_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->prompt_tokens = r->prompt_eval_tokens = r->output_tokens = -1;
	r->prompt_s = r->eval_s = r->load_s = r->total_s = -1;
}

/* A nonnegative number member, scaled; -1 when absent, not a number or
 * above max once scaled (a server's counts are checked, not trusted: a
 * count of 1e300 printed a 300-digit table cell). */
static double
member_num(json_t *o, const char *key, double scale, double max)
{
	json_t *v = json_object_get(o, key);
	double x;

	if (!json_is_number(v) || !(json_number_value(v) >= 0))
		return -1;
	x = json_number_value(v) * scale;
	return x <= max ? x : -1;
}

/* Token counts: whole, at most a billion (no context is near that). */
#define MAX_TOKENS 1e9
/* Durations: at most a day (a request runs seconds to minutes). */
#define MAX_SECONDS FC_SECONDS_PER_DAY

static double
member_count(json_t *o, const char *key)
{
	double x = member_num(o, key, 1, MAX_TOKENS);

	return x == floor(x) ? x : -1;
}

static void
copy_str(char *out, size_t outlen, json_t *v)
{
	if (json_is_string(v))
		snprintf(out, outlen, "%s", json_string_value(v));
}

/* The server's message from an "error" member (string or object). */
static const char *
error_message(json_t *err)
{
	json_t *m;

	if (json_is_string(err))
		return json_string_value(err);
	if (json_is_object(err) && json_is_string(m = json_object_get(err, "message")))
		return json_string_value(m);
	return "(no message)";
}

static json_t *
load(const char *data, size_t len, struct fc_loc loc, struct fc_diags *d)
{
	json_error_t e;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	char shown[64];
	size_t n = len < sizeof(shown) - 4 ? len : sizeof(shown) - 4, i;

	if (j == NULL) {
		for (i = 0; i < n; i++)
			shown[i] = (data[i] >= 0x20 && data[i] < 0x7f) ? data[i] : '?';
		snprintf(shown + n, sizeof(shown) - n, "%s", len > n ? "..." : "");
		loc.col = e.column > 0 ? e.column : 0;
		fc_error(d, loc, "malformed JSON in stream record %d: %s: '%s'",
		    loc.line, e.text, shown);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		fc_error(d, loc, "stream record %d is not a JSON object", loc.line);
		return NULL;
	}
	return j;
}

enum fc_status
fc_stream_ollama_rec(const char *data, size_t len, struct fc_stream_rec *r,
    struct fc_loc loc, struct fc_diags *d)
{
	json_t *j, *v, *msg;

	rec_init(r);
	if ((j = load(data, len, loc, d)) == NULL)
		return FC_EINVAL;
	if ((v = json_object_get(j, "error")) != NULL) {
		fc_error(d, loc, "server error in stream: %s", error_message(v));
		json_decref(j);
		return FC_EINVAL;
	}
	if (json_is_string(v = json_object_get(j, "response"))) {
		r->has_choice = 1;
		r->text_len = json_string_length(v);
	} else if (json_is_object(msg = json_object_get(j, "message")) &&
	    json_is_string(v = json_object_get(msg, "content"))) {
		r->has_choice = 1;
		r->text_len = json_string_length(v);
	}
	r->done = r->finished = json_is_true(json_object_get(j, "done"));
	r->prompt_tokens = member_count(j, "prompt_eval_count");
	r->prompt_eval_tokens = r->prompt_tokens;
	r->output_tokens = member_count(j, "eval_count");
	r->prompt_s = member_num(j, "prompt_eval_duration", 1e-9, MAX_SECONDS);
	r->eval_s = member_num(j, "eval_duration", 1e-9, MAX_SECONDS);
	r->load_s = member_num(j, "load_duration", 1e-9, MAX_SECONDS);
	r->total_s = member_num(j, "total_duration", 1e-9, MAX_SECONDS);
	copy_str(r->model, sizeof(r->model), json_object_get(j, "model"));
	copy_str(r->reason, sizeof(r->reason), json_object_get(j, "done_reason"));
	json_decref(j);
	return FC_OK;
}

enum fc_status
fc_stream_openai_rec(const char *data, size_t len, struct fc_stream_rec *r,
    struct fc_loc loc, struct fc_diags *d)
{
	json_t *j, *v, *ch, *u, *t;

	rec_init(r);
	while (len > 0 && (data[len - 1] == ' ' || data[len - 1] == '\n'))
		len--;
	if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
		r->done = 1;
		return FC_OK;
	}
	if ((j = load(data, len, loc, d)) == NULL)
		return FC_EINVAL;
	if ((v = json_object_get(j, "error")) != NULL) {
		fc_error(d, loc, "server error in stream: %s", error_message(v));
		json_decref(j);
		return FC_EINVAL;
	}
	ch = json_object_get(j, "choices");
	if (json_is_array(ch) && json_array_size(ch) > 0 &&
	    json_is_object(v = json_array_get(ch, 0))) {
		json_t *delta = json_object_get(v, "delta"), *text;

		text = json_object_get(v, "text");
		if (!json_is_string(text) && json_is_object(delta))
			text = json_object_get(delta, "content");
		if (json_is_string(text)) {
			r->has_choice = 1;
			r->text_len = json_string_length(text);
		}
		if (json_is_string(json_object_get(v, "finish_reason"))) {
			r->finished = 1;
			copy_str(r->reason, sizeof(r->reason),
			    json_object_get(v, "finish_reason"));
		}
	}
	if (json_is_object(u = json_object_get(j, "usage"))) {
		r->prompt_tokens = member_count(u, "prompt_tokens");
		r->output_tokens = member_count(u, "completion_tokens");
	}
	if (json_is_object(t = json_object_get(j, "timings"))) {
		r->prompt_eval_tokens = member_count(t, "prompt_n");
		if (r->prompt_tokens < 0 && r->prompt_eval_tokens >= 0) {
			double cached = member_count(t, "cache_n");
			r->prompt_tokens = r->prompt_eval_tokens +
			    (cached > 0 ? cached : 0);
		}
		if (r->output_tokens < 0)
			r->output_tokens = member_count(t, "predicted_n");
		r->prompt_s = member_num(t, "prompt_ms", 1e-3, MAX_SECONDS);
		r->eval_s = member_num(t, "predicted_ms", 1e-3, MAX_SECONDS);
	}
	copy_str(r->model, sizeof(r->model), json_object_get(j, "model"));
	json_decref(j);
	return FC_OK;
}

char *
fc_stream_error_text(const char *body, size_t len, char *out, size_t outlen)
{
	json_t *j = json_loadb(body, len, 0, NULL), *e;
	size_t i, n;

	if (outlen == 0)
		return out;
	out[0] = '\0';
	if (j != NULL && json_is_object(j)) {
		if ((e = json_object_get(j, "error")) != NULL)
			snprintf(out, outlen, "%s", error_message(e));
		else if (json_is_string(e = json_object_get(j, "message")) ||
		    json_is_string(e = json_object_get(j, "detail")))
			snprintf(out, outlen, "%s", json_string_value(e));
	}
	json_decref(j);
	if (out[0] != '\0')
		return out;
	/* not JSON: the first line, printable characters only */
	for (i = 0, n = 0; i < len && n + 1 < outlen; i++) {
		if (body[i] == '\n' || body[i] == '\r') {
			if (n > 0)
				break;
			continue;
		}
		out[n++] = (body[i] >= 0x20 && body[i] < 0x7f) ? body[i] : '?';
	}
	out[n] = '\0';
	return out;
}
