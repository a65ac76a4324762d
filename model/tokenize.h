/*
 * tokenize.h: counting the tokens of a text as a model's own tokenizer
 * does, so that a scenario's input tokens can come from the prompt files
 * an application really sends.
 *
 * Tokenizers: "o200k_base" (GPT-4o, GPT-4.1, GPT-5, o-series) and
 * "cl100k_base" (GPT-4, GPT-3.5), OpenAI's byte-pair encodings, read from
 * their rank files in DATADIR/tokenizers/NAME.tiktoken.gz (OpenAI's
 * .tiktoken format, gzipped; see data/tokenizers/README.md).  A text is
 * split by the encoding's pretokenizer (its regular expression, with the
 * Unicode classes of tokenize_unicode.c) and each piece is merged pair by
 * pair, the lowest-ranked pair first (the leftmost of equal ranks), as
 * tiktoken does; the text is counted as ordinary text: a special token's
 * spelling ("<|endoftext|>") counts as the text it is.
 *
 * A text is UTF-8; an invalid byte is a piece of its own (the reference
 * implementations would have replaced it by U+FFFD).
 *
 * "gguf:PATH" is the tokenizer a GGUF model file carries
 * (tokenizer.ggml.*; tokenize_gguf.c): byte-level BPE ("gpt2", with the
 * pretokenizers of llama3, qwen2, qwen35 and gpt-2) or SentencePiece BPE
 * ("llama"), counted as llama.cpp's llama_tokenize(add_special false,
 * parse_special false) counts: the text's own tokens, no BOS; a
 * user-defined token is one token wherever it stands, a control token's
 * spelling is text.  Invalid UTF-8 is U+FFFD to the BPE models, as in
 * llama.cpp.
 *
 * Ownership: fc_tokenizer_load() gives a tokenizer that the caller frees
 * with fc_tokenizer_free() (which accepts NULL).  A loaded tokenizer is
 * read-only: threads may count with it at once.
 *
 * Caches: a process loads each rank file (keyed by its path and the hash
 * of its bytes) and each GGUF file (its path, size and modification time)
 * once and shares it; fc_tokenizer_free() leaves a shared one, which lives
 * until the process ends.  With a cache directory set, a parsed rank file
 * is also kept on disk (DIR/NAME.bin, written atomically, keyed by the
 * rank file's hash and checked whole when read; a mismatch is parsed and
 * written again), so that the next process skips the parse.
 */
#ifndef FC_TOKENIZE_H
#define FC_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "fc.h"

struct fc_tokenizer;

/* The names fc_tokenizer_load() takes besides "gguf:PATH", NULL-ended. */
extern const char *const fc_tokenizer_names[];

/* Loads tokenizer name from datadir (the directory that holds
 * tokenizers/), or "gguf:PATH" from the model file PATH.  FC_EINVAL for an
 * unknown name, a malformed rank file (diagnostics at file:line), or a
 * GGUF file that is missing or has no supported tokenizer (an unknown
 * tokenizer.ggml.pre is refused, named); FC_EIO when a file cannot be
 * read, FC_ENOMEM. */
enum fc_status fc_tokenizer_load(const char *name, const char *datadir,
    struct fc_tokenizer **out, struct fc_diags *d);
void fc_tokenizer_free(struct fc_tokenizer *t);
/* The directory of the cache on disk (created when first written); NULL
 * or "" keeps no cache.  Set it before loading, not while threads load. */
void fc_tokenizer_set_cache_dir(const char *dir);
/* The tokenizer's name, as given to fc_tokenizer_load(). */
const char *fc_tokenizer_name(const struct fc_tokenizer *t);

/* The number of tokens of text[0..len).  With ids non-NULL, also the
 * first max token ids (ranks) into ids.  FC_ENOMEM only. */
enum fc_status fc_tokenizer_count(const struct fc_tokenizer *t, const char *text,
    size_t len, size_t *n, uint32_t *ids, size_t max);

/* The number of tokens of the file at path (read whole, as bytes).
 * FC_EINVAL (diagnostic at path) when it does not exist, FC_EIO when it
 * cannot be read; FC_ENOMEM. */
enum fc_status fc_tokenizer_count_file(const struct fc_tokenizer *t, const char *path,
    size_t *n, struct fc_diags *d);

/* Reads `{prompt: FILE, tokenizer: NAME, plus: N or a distribution}` (a
 * scenario's input_tokens) into out: FILE's tokens (FILE relative to dir
 * unless absolute; rank files from datadir) plus the user's part, a
 * distribution shifted by the count (fc_num.shift); out's range is 0..hi.
 * Errors at the key's file:line:col (FC_EINVAL; FC_EIO when the prompt
 * exists but cannot be read). */
struct fc_ynode;
struct fc_num;
enum fc_status fc_prompt_tokens_read(const struct fc_ynode *n, const char *dir,
    const char *datadir, double hi, struct fc_num *out, struct fc_diags *d);

#endif
