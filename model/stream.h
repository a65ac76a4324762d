/*
 * stream.h: incremental parsers for the streaming responses of inference
 * servers, fed bytes as they arrive from the network (the network itself is
 * cmd/'s business):
 *
 *   - NDJSON (Ollama /api/generate and /api/chat): one JSON object a line;
 *   - Server-Sent Events (OpenAI-compatible /v1/completions and
 *     /v1/chat/completions): `data:` lines joined by '\n' until a blank
 *     line ends the event; `:` comments, `event:`, `id:` and `retry:`
 *     fields are ignored; CR, LF and CRLF all end a line.
 *
 * Then one record of either API is turned into struct fc_stream_rec: how
 * much text it carries, whether it is the last, and the server's own
 * figures (token counts, durations) where it sends them.
 *
 * Ownership: fc_stream_new() allocates, fc_stream_free() releases (NULL is
 * fine).  Record callbacks get a borrowed pointer valid during the call.
 */
#ifndef FC_STREAM_H
#define FC_STREAM_H

#include <stddef.h>

#include "fc.h"

enum fc_stream_kind {
	FC_STREAM_NDJSON,   /* Ollama */
	FC_STREAM_SSE,      /* OpenAI-compatible */
};

/* Called once per complete record (an NDJSON line or an SSE event's data,
 * without its terminator; never empty).  A nonzero return stops the feed,
 * which then returns FC_EDOM. */
typedef int (*fc_stream_fn)(void *ctx, const char *data, size_t len);

struct fc_stream;

/* max_record bounds one record's size (0: 1 MiB); a longer one is an
 * error, so a server that never sends a newline cannot exhaust memory. */
struct fc_stream *fc_stream_new(enum fc_stream_kind kind, size_t max_record);
void fc_stream_free(struct fc_stream *s);

/*
 * Feeds len bytes.  Complete records are passed to fn as they end.
 * Returns FC_OK, FC_EDOM (fn asked to stop), FC_ERANGE (a record longer
 * than max_record: a diagnostic says so), FC_ENOMEM.
 */
enum fc_status fc_stream_feed(struct fc_stream *s, const char *buf, size_t len,
    fc_stream_fn fn, void *ctx, struct fc_diags *d);
/* At the end of the body: passes a last NDJSON line that lacked its
 * newline, or a last SSE event that lacked its blank line. */
enum fc_status fc_stream_finish(struct fc_stream *s, fc_stream_fn fn, void *ctx,
    struct fc_diags *d);
/* Records passed so far (1-based number of the next one minus one). */
size_t fc_stream_records(const struct fc_stream *s);

/* What one record says.  Durations in seconds; -1 where the server did
 * not send the figure. */
struct fc_stream_rec {
	int done;               /* the final record (Ollama done, OpenAI [DONE]) */
	int has_choice;         /* carries a generated piece (possibly empty text) */
	size_t text_len;        /* bytes of generated text it carries */
	int finished;           /* OpenAI: finish_reason set; Ollama: done */
	double prompt_tokens;   /* the whole prompt: Ollama prompt_eval_count,
	                           usage.prompt_tokens, timings.prompt_n + cache_n */
	double prompt_eval_tokens; /* the part prompt_s covers (cache hits
	                           excluded): prompt_eval_count, timings.prompt_n */
	double output_tokens;   /* eval_count, usage.completion_tokens, timings.predicted_n */
	double prompt_s;        /* prompt_eval_duration, timings.prompt_ms */
	double eval_s;          /* eval_duration, timings.predicted_ms */
	double load_s;          /* load_duration (Ollama) */
	double total_s;         /* total_duration (Ollama) */
	char model[128];        /* the model the server names, "" if none */
	char reason[32];        /* done_reason / finish_reason, "" if none */
};

/*
 * Interprets one record.  A record that is not JSON (or, for OpenAI, the
 * `[DONE]` sentinel), or that carries an "error", is an error diagnostic
 * at loc (its message quotes the server's words) and FC_EINVAL.
 */
enum fc_status fc_stream_ollama_rec(const char *data, size_t len,
    struct fc_stream_rec *r, struct fc_loc loc, struct fc_diags *d);
enum fc_status fc_stream_openai_rec(const char *data, size_t len,
    struct fc_stream_rec *r, struct fc_loc loc, struct fc_diags *d);

/* The message in an error body such as {"error":"..."} or
 * {"error":{"message":"..."}} (Ollama, OpenAI), copied to out; else the
 * body's first line.  Returns out. */
char *fc_stream_error_text(const char *body, size_t len, char *out, size_t outlen);

#endif
