/* test_stream.c: the NDJSON and SSE parsers fed in every possible split,
 * and the Ollama / OpenAI record readers (model/stream.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "stream.h"

#define NEAR(a, b) assert_true(((a) - (b)) < 1e-9 && ((b) - (a)) < 1e-9)

struct got {
	char rec[16][128];
	int n;
	int stop_at;      /* stop (return 1) on this record number; 0: never */
};

static int
collect(void *ctx, const char *data, size_t len)
{
	struct got *g = ctx;

	if (g->n < 16) {
		snprintf(g->rec[g->n], sizeof(g->rec[0]), "%.*s", (int)len, data);
		g->n++;
	}
	return g->stop_at && g->n == g->stop_at;
}

/* Feeds text to a new parser in pieces of `step` bytes, then finishes. */
static enum fc_status
feed_all(enum fc_stream_kind k, const char *text, size_t step, struct got *g)
{
	struct fc_stream *s = fc_stream_new(k, 256);
	struct fc_diags d;
	size_t i, n = strlen(text);
	enum fc_status st = FC_OK;

	assert_non_null(s);
	fc_diags_init(&d);
	memset(g->rec, 0, sizeof(g->rec));
	g->n = 0;
	for (i = 0; i < n && st == FC_OK; i += step)
		st = fc_stream_feed(s, text + i, n - i < step ? n - i : step,
		    collect, g, &d);
	if (st == FC_OK)
		st = fc_stream_finish(s, collect, g, &d);
	fc_stream_free(s);
	fc_diags_free(&d);
	return st;
}

static void
test_ndjson_any_split(void **state)
{
	const char *text = "{\"a\":1}\n\n{\"b\":2}\r\n  \n{\"c\":3}";
	struct got g = { .stop_at = 0 };
	size_t step;

	(void)state;
	for (step = 1; step <= strlen(text); step++) {
		assert_int_equal(feed_all(FC_STREAM_NDJSON, text, step, &g), FC_OK);
		assert_int_equal(g.n, 3);
		assert_string_equal(g.rec[0], "{\"a\":1}");
		assert_string_equal(g.rec[1], "{\"b\":2}");   /* CR dropped */
		assert_string_equal(g.rec[2], "{\"c\":3}");   /* no final newline */
	}
}

static void
test_sse_any_split(void **state)
{
	/* CRLF, CR-only and LF line ends; comments; two data lines joined;
	 * a field with no space; event and id ignored; last event without
	 * its blank line; a BOM first */
	const char *text = "\xef\xbb\xbf: keep-alive\r\n"
	    "event: message\r\ndata: {\"x\":1}\r\n\r\n"
	    "id: 7\rdata:one\rdata: two\r\r"
	    "retry: 10\ndata: [DONE]\n\n"
	    "data: tail";
	struct got g = { .stop_at = 0 };
	size_t step;

	(void)state;
	for (step = 1; step <= strlen(text); step++) {
		assert_int_equal(feed_all(FC_STREAM_SSE, text, step, &g), FC_OK);
		if (step < 3)
			continue;       /* a BOM split across pieces is not stripped */
		assert_int_equal(g.n, 4);
		assert_string_equal(g.rec[0], "{\"x\":1}");
		assert_string_equal(g.rec[1], "one\ntwo");
		assert_string_equal(g.rec[2], "[DONE]");
		assert_string_equal(g.rec[3], "tail");
	}
}

static void
test_sse_crlf_split_at_cr(void **state)
{
	struct fc_stream *s = fc_stream_new(FC_STREAM_SSE, 0);
	struct fc_diags d;
	struct got g = { .stop_at = 0 };

	(void)state;
	fc_diags_init(&d);
	/* the CR ends one piece, its LF starts the next: one line end, so the
	 * event is not dispatched until the real blank line */
	assert_int_equal(fc_stream_feed(s, "data: a\r", 8, collect, &g, &d), FC_OK);
	assert_int_equal(fc_stream_feed(s, "\ndata: b\r\n", 10, collect, &g, &d), FC_OK);
	assert_int_equal(g.n, 0);
	assert_int_equal(fc_stream_feed(s, "\r\n", 2, collect, &g, &d), FC_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rec[0], "a\nb");
	assert_int_equal(fc_stream_records(s), 1);
	fc_stream_free(s);
	fc_diags_free(&d);
}

static void
test_sse_empty_data_not_dispatched(void **state)
{
	/* tests/fuzz/regress/stream/sse-empty-data-event */
	struct got g = { .stop_at = 0 };

	(void)state;
	assert_int_equal(feed_all(FC_STREAM_SSE, "data:\n\ndata: {\"a\":1}\n\n"
	    "data:\ndata:\n\n: x\n\ndata: [DONE]\n\n", 1, &g), FC_OK);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.rec[0], "{\"a\":1}");
	assert_string_equal(g.rec[1], "\n");     /* two empty lines: one newline */
	assert_string_equal(g.rec[2], "[DONE]");
}

static void
test_limits_and_stop(void **state)
{
	struct fc_stream *s = fc_stream_new(FC_STREAM_NDJSON, 8);
	struct fc_diags d;
	struct got g = { .stop_at = 1 };

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_stream_feed(s, "0123456789\n", 11, collect, &g, &d),
	    FC_ERANGE);
	assert_int_equal(d.n_errors, 1);
	assert_non_null(strstr(d.v[0].msg, "longer than 8"));
	fc_stream_free(s);
	/* the same limit hit across pieces */
	s = fc_stream_new(FC_STREAM_SSE, 8);
	assert_int_equal(fc_stream_feed(s, "data: 0123", 10, collect, &g, &d), FC_OK);
	assert_int_equal(fc_stream_feed(s, "456789\n", 7, collect, &g, &d), FC_ERANGE);
	fc_stream_free(s);
	/* the callback stops the feed */
	s = fc_stream_new(FC_STREAM_NDJSON, 0);
	g.n = 0;
	assert_int_equal(fc_stream_feed(s, "a\nb\nc\n", 6, collect, &g, &d), FC_EDOM);
	assert_int_equal(g.n, 1);
	fc_stream_free(s);
	fc_stream_free(NULL);
	fc_diags_free(&d);
}

static struct fc_loc L = { "stream", 3, 0, 0 };

static void
test_ollama_records(void **state)
{
	struct fc_stream_rec r;
	struct fc_diags d;
	const char *gen = "{\"model\":\"m\",\"response\":\"hello\",\"done\":false}";
	const char *chat = "{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"done\":false}";
	const char *fin = "{\"model\":\"m\",\"response\":\"\",\"done\":true,"
	    "\"done_reason\":\"length\",\"total_duration\":2500000000,"
	    "\"load_duration\":1000000,\"prompt_eval_count\":64,"
	    "\"prompt_eval_duration\":500000000,\"eval_count\":32,"
	    "\"eval_duration\":2000000000}";

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_stream_ollama_rec(gen, strlen(gen), &r, L, &d), FC_OK);
	assert_true(r.has_choice);
	assert_int_equal(r.text_len, 5);
	assert_false(r.done);
	NEAR(r.output_tokens, -1);
	assert_string_equal(r.model, "m");
	assert_int_equal(fc_stream_ollama_rec(chat, strlen(chat), &r, L, &d), FC_OK);
	assert_int_equal(r.text_len, 2);
	assert_int_equal(fc_stream_ollama_rec(fin, strlen(fin), &r, L, &d), FC_OK);
	assert_true(r.done);
	assert_int_equal(r.text_len, 0);
	NEAR(r.prompt_tokens, 64);
	NEAR(r.prompt_eval_tokens, 64);
	NEAR(r.output_tokens, 32);
	NEAR(r.prompt_s, 0.5);
	NEAR(r.eval_s, 2.0);
	NEAR(r.load_s, 0.001);
	NEAR(r.total_s, 2.5);
	assert_string_equal(r.reason, "length");
	assert_int_equal(d.n, 0);
	assert_int_equal(fc_stream_ollama_rec("{\"error\":\"model crashed\"}", 25,
	    &r, L, &d), FC_EINVAL);
	assert_non_null(strstr(d.v[0].msg, "model crashed"));
	assert_int_equal(fc_stream_ollama_rec("{\"response\": tok}", 17, &r, L, &d),
	    FC_EINVAL);
	assert_non_null(strstr(d.v[1].msg, "malformed JSON in stream record 3"));
	assert_int_equal(fc_stream_ollama_rec("[1]", 3, &r, L, &d), FC_EINVAL);
	fc_diags_free(&d);
}

static void
test_openai_records(void **state)
{
	struct fc_stream_rec r;
	struct fc_diags d;
	const char *cmpl = "{\"choices\":[{\"index\":0,\"text\":\"abc\",\"finish_reason\":null}]}";
	const char *chat = "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"de\"}}]}";
	const char *fin = "{\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}";
	const char *usage = "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
	    "\"completion_tokens\":20,\"total_tokens\":30},\"timings\":{"
	    "\"prompt_n\":9,\"prompt_ms\":250.0,\"predicted_n\":20,\"predicted_ms\":1000}}";
	const char *timings = "{\"choices\":[],\"timings\":{\"cache_n\":4,\"prompt_n\":9,"
	    "\"prompt_ms\":250.0,\"predicted_n\":20,\"predicted_ms\":1000}}";

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_stream_openai_rec(cmpl, strlen(cmpl), &r, L, &d), FC_OK);
	assert_int_equal(r.text_len, 3);
	assert_false(r.finished);
	assert_int_equal(fc_stream_openai_rec(chat, strlen(chat), &r, L, &d), FC_OK);
	assert_int_equal(r.text_len, 2);
	assert_int_equal(fc_stream_openai_rec(fin, strlen(fin), &r, L, &d), FC_OK);
	assert_true(r.finished);
	assert_false(r.has_choice);
	assert_string_equal(r.reason, "length");
	assert_int_equal(fc_stream_openai_rec(usage, strlen(usage), &r, L, &d), FC_OK);
	NEAR(r.prompt_tokens, 10);       /* usage wins over timings for counts */
	NEAR(r.prompt_eval_tokens, 9);   /* timings: what prompt_ms covers */
	NEAR(r.output_tokens, 20);
	NEAR(r.prompt_s, 0.25);
	NEAR(r.eval_s, 1.0);
	assert_int_equal(fc_stream_openai_rec(timings, strlen(timings), &r, L, &d), FC_OK);
	NEAR(r.prompt_tokens, 13);       /* 9 evaluated + 4 from the cache */
	NEAR(r.prompt_eval_tokens, 9);
	assert_int_equal(fc_stream_openai_rec("[DONE]", 6, &r, L, &d), FC_OK);
	assert_true(r.done);
	assert_int_equal(d.n, 0);
	assert_int_equal(fc_stream_openai_rec("{\"error\":{\"message\":\"overloaded\"}}",
	    34, &r, L, &d), FC_EINVAL);
	assert_non_null(strstr(d.v[0].msg, "overloaded"));
	assert_int_equal(fc_stream_openai_rec("{\"choices\": [", 13, &r, L, &d), FC_EINVAL);
	fc_diags_free(&d);
}

static void
test_error_text(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(fc_stream_error_text("{\"error\":\"no such model\"}", 25,
	    buf, sizeof(buf)), "no such model");
	assert_string_equal(fc_stream_error_text(
	    "{\"error\":{\"code\":404,\"message\":\"gone\"}}", 39, buf, sizeof(buf)), "gone");
	assert_string_equal(fc_stream_error_text("{\"detail\":\"Not Found\"}", 22,
	    buf, sizeof(buf)), "Not Found");
	assert_string_equal(fc_stream_error_text("\n<html>\x01oops\n<body>", 20,
	    buf, sizeof(buf)), "<html>?oops");
	assert_string_equal(fc_stream_error_text("", 0, buf, sizeof(buf)), "");
}

/* Counts and durations a server could not have meant
 * (1e300 tokens, 1.5 tokens, -1, a year of prompt time) read as absent,
 * not as figures. */
static void
test_implausible_counts(void **state)
{
	struct fc_stream_rec r;
	struct fc_diags d;
	const char *oll = "{\"done\":true,\"prompt_eval_count\":1e300,"
	    "\"eval_count\":1.5,\"prompt_eval_duration\":31536000000000000,"
	    "\"eval_duration\":-5}";
	const char *oai = "{\"choices\":[],\"usage\":{\"prompt_tokens\":2e9,"
	    "\"completion_tokens\":12},\"timings\":{\"prompt_ms\":1e12}}";

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_stream_ollama_rec(oll, strlen(oll), &r, L, &d), FC_OK);
	NEAR(r.prompt_tokens, -1);
	NEAR(r.output_tokens, -1);
	NEAR(r.prompt_s, -1);
	NEAR(r.eval_s, -1);
	assert_int_equal(fc_stream_openai_rec(oai, strlen(oai), &r, L, &d), FC_OK);
	NEAR(r.prompt_tokens, -1);
	NEAR(r.output_tokens, 12);
	NEAR(r.prompt_s, -1);
	assert_int_equal(d.n, 0);
	fc_diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ndjson_any_split),
		cmocka_unit_test(test_sse_any_split),
		cmocka_unit_test(test_sse_crlf_split_at_cr),
		cmocka_unit_test(test_sse_empty_data_not_dispatched),
		cmocka_unit_test(test_limits_and_stop),
		cmocka_unit_test(test_ollama_records),
		cmocka_unit_test(test_openai_records),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_implausible_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
