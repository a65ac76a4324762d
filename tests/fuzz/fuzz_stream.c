/*
 * fuzz_stream.c: what an inference server sends `flatcost bench`: the
 * streamed body, NDJSON (Ollama) or Server-Sent Events (OpenAI-compatible),
 * cut into network reads of varying size and fed to model/stream.c's
 * incremental parser; every record it passes goes to the record reader of
 * that API (the JSON of a chunk: text, done, usage, timings, errors); and
 * the whole body also to fc_stream_error_text, as an error reply's body.
 *
 * Input: byte 0 picks the format and the largest record (bit 0: SSE;
 * bit 1: a 64-byte record limit, else 64 KiB); byte 1 seeds the sizes of
 * the reads; the rest is the body.  Any split must give the same records
 * as feeding the body at once (checked by counting them).
 */
#include <math.h>
#include <stdio.h>

#include "fuzz.h"
#include "stream.h"

struct ctx {
	enum fc_stream_kind kind;
	size_t records;
	int done;
	struct fc_diags *d;
};

static int
on_record(void *vctx, const char *data, size_t len)
{
	struct ctx *c = vctx;
	struct fc_stream_rec r;
	struct fc_loc loc = { "response", 1, 1, 0 };

	/* stream.h: records are never empty (an SSE event with only an empty
	 * data line is not dispatched: tests/fuzz/regress/stream/ has the
	 * input that found it) */
	if (len == 0)
		abort();
	c->records++;
	memset(&r, 0, sizeof(r));
	loc.line = (int)c->records;
	if (c->kind == FC_STREAM_NDJSON)
		(void)fc_stream_ollama_rec(data, len, &r, loc, c->d);
	else
		(void)fc_stream_openai_rec(data, len, &r, loc, c->d);
	if (memchr(r.model, '\0', sizeof(r.model)) == NULL ||
	    memchr(r.reason, '\0', sizeof(r.reason)) == NULL)
		abort();
	if (r.done)
		c->done = 1;
	return 0;
}

/* Feeds body in reads whose sizes come from seed; 0 for one read. */
static enum fc_status
feed(enum fc_stream_kind kind, size_t max, const char *body, size_t len,
    unsigned seed, struct ctx *c)
{
	struct fc_stream *s = fc_stream_new(kind, max);
	enum fc_status st = FC_OK;
	size_t off = 0;
	unsigned x = seed * 2654435761u + 1;

	if (s == NULL)
		abort();
	while (off < len && st == FC_OK) {
		size_t k = len - off;
		if (seed) {
			x = x * 1103515245u + 12345u;
			k = 1 + (x >> 16) % 17;
			/* stream.c looks for a BOM in the first read only */
			if (off == 0 && k < 3)
				k = 3;
			if (k > len - off)
				k = len - off;
		}
		st = fc_stream_feed(s, body + off, k, on_record, c, c->d);
		off += k;
	}
	if (st == FC_OK)
		st = fc_stream_finish(s, on_record, c, c->d);
	if (st == FC_OK && fc_stream_records(s) != c->records)
		abort();
	fc_stream_free(s);
	return st;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_diags d;
	struct ctx whole, split;
	enum fc_stream_kind kind;
	enum fc_status st1, st2;
	size_t max;
	char msg[256];
	const char *body;
	size_t len;

	if (size < 2 || size > 262144)
		return -1;
	kind = data[0] & 1 ? FC_STREAM_SSE : FC_STREAM_NDJSON;
	max = data[0] & 2 ? 64 : 65536;
	body = (const char *)data + 2;
	len = size - 2;
	fc_diags_init(&d);
	memset(&whole, 0, sizeof(whole));
	whole.kind = kind;
	whole.d = &d;
	split = whole;
	st1 = feed(kind, max, body, len, 0, &whole);
	st2 = feed(kind, max, body, len, data[1] | 1u, &split);
	/* the records do not depend on how the body was cut */
	if (st1 != st2 || (st1 == FC_OK && whole.records != split.records))
		abort();
	fuzz_check_diags(&d);
	fc_diags_free(&d);
	fc_stream_error_text(body, len, msg, sizeof(msg));
	if (memchr(msg, '\0', sizeof(msg)) == NULL)
		abort();
	return 0;
}
